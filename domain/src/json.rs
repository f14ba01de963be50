//! A parsed JSON value, as the readers of the domain and of the Kisi client see it.
//!
//! Whatever parsed the text — the browser's `JSON.parse` in the page, serde_json in the link tool
//! and the host tests (feature `serde_json`) — the readers ask a [`JsonValue`] four things: its
//! kind, one field, its entries, its items. Each reader asks only for what it reads, so a hostile
//! value it does not read (`[[[[…]]]]` a million deep) costs nothing, and no parser's quirks reach
//! a rule: the one place numbers are judged is [`Kind::scalar`], which reads them as JavaScript
//! holds them.
//!
//! Why not serde's `Deserializer` (what this replaced): reading through it made a visitor per type
//! read, and the page's wasm carried each one; these readers are plain functions.

use crate::lenient::Scalar;

/// A value by its own kind, with a leaf's contents.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Flag(bool),
    /// A number, as JavaScript holds it (an IEEE double).
    Number(f64),
    /// A string.
    Text(String),
    /// A list.
    List,
    /// An object.
    Object,
}

/// Numbers JavaScript holds exactly as integers (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Kind {
    /// The value as a leaf reader takes it: a string, a whole number (`1.0` is one, as
    /// `JSON.parse` makes it; past 2^53 − 1 none is exact), a flag, or nothing a setting can be.
    ///
    /// ```
    /// use domain::json::Kind;
    /// use domain::lenient::Scalar;
    /// assert_eq!(Kind::Number(42.0).scalar(), Scalar::Whole(42));
    /// assert_eq!(Kind::Number(1.5).scalar(), Scalar::Other);
    /// assert_eq!(Kind::Number(9_007_199_254_740_992.0).scalar(), Scalar::Other);
    /// assert_eq!(Kind::List.scalar(), Scalar::Other);
    /// ```
    pub fn scalar(self) -> Scalar {
        match self {
            Kind::Text(text) => Scalar::Text(text),
            Kind::Flag(flag) => Scalar::Flag(flag),
            Kind::Number(number) if number.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&number) => {
                Scalar::Whole(number as u64)
            }
            Kind::Number(_) | Kind::Null | Kind::List | Kind::Object => Scalar::Other,
        }
    }
}

/// A parsed JSON value. Objects are never lists: `get` and `entries` answer only for objects,
/// `items` only for lists.
pub trait JsonValue: Sized {
    /// The value's kind (a string's text, a number's value).
    fn kind(&self) -> Kind;

    /// The value of `key`, if this is an object that has it.
    fn get(&self, key: &'static str) -> Option<Self>;

    /// The entries of an object, in its order; `None` for anything else.
    fn entries(&self) -> Option<Vec<(String, Self)>>;

    /// The items of a list, in order; `None` for anything else.
    fn items(&self) -> Option<Vec<Self>>;

    /// The value as a leaf reader takes it (see [`Kind::scalar`]).
    fn scalar(&self) -> Scalar {
        self.kind().scalar()
    }

    /// `key`'s value as a leaf ([`Scalar::Other`] when missing).
    fn field(&self, key: &'static str) -> Scalar {
        self.get(key).map_or(Scalar::Other, |value| value.scalar())
    }

    /// `key`'s value if it is an object.
    fn object(&self, key: &'static str) -> Option<Self> {
        self.get(key).filter(|value| value.kind() == Kind::Object)
    }
}

/// serde_json's value, read as the page reads the browser's (the link tool, the host tests): by
/// reference, as every reader here takes it.
#[cfg(feature = "serde_json")]
impl JsonValue for &serde_json::Value {
    fn kind(&self) -> Kind {
        use serde_json::Value;
        match self {
            Value::Null => Kind::Null,
            Value::Bool(flag) => Kind::Flag(*flag),
            // As `JSON.parse` holds it: the nearest double (serde_json keeps big integers exact).
            Value::Number(number) => Kind::Number(number.as_f64().unwrap_or(f64::NAN)),
            Value::String(text) => Kind::Text(text.clone()),
            Value::Array(_) => Kind::List,
            Value::Object(_) => Kind::Object,
        }
    }

    fn get(&self, key: &'static str) -> Option<Self> {
        self.as_object()?.get(key)
    }

    fn entries(&self) -> Option<Vec<(String, Self)>> {
        Some(self.as_object()?.iter().map(|(key, value)| (key.clone(), value)).collect())
    }

    fn items(&self) -> Option<Vec<Self>> {
        Some(self.as_array()?.iter().collect())
    }
}

/// An owned serde_json value, for the host tests' stand-in of the page's network (its answers own
/// their bodies): read as by reference, each part taken is a copy.
#[cfg(feature = "serde_json")]
impl JsonValue for serde_json::Value {
    fn kind(&self) -> Kind {
        (&self).kind()
    }

    fn get(&self, key: &'static str) -> Option<Self> {
        (&self).get(key).cloned()
    }

    fn entries(&self) -> Option<Vec<(String, Self)>> {
        Some((&self).entries()?.into_iter().map(|(key, value)| (key, value.clone())).collect())
    }

    fn items(&self) -> Option<Vec<Self>> {
        Some((&self).items()?.into_iter().cloned().collect())
    }
}
