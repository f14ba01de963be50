//! Reading values leniently with serde: a value that is not what was asked for counts as absent
//! instead of failing everything around it.
//!
//! Sound only over an already parsed value — the browser's `JSON.parse` result in the page, a
//! `serde_json::Value` on the host — where one value's failure leaves the rest readable (a
//! streaming parser could not go on after an error inside a value).
//!
//! Every leaf is read by the value's own kind (`deserialize_any`): [`Scalar`], and [`AnyStr`],
//! [`AnyWhole`], [`AnyBool`] over it, take what they want and count anything else as absent,
//! without an error. That
//! matters in the browser: `serde-wasm-bindgen` words its "wrong type" errors with the JavaScript
//! value's debug text, which for a hostile `[[[[…]]]]` recurses until the browser's stack runs out.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// A value as a leaf reader sees it: by its own kind. A list or an object is skipped without being
/// looked into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// A string.
    Text(String),
    /// A whole number of at least 0.
    Whole(u64),
    /// `true` or `false`.
    Flag(bool),
    /// Anything else (`null`, another number, a list, an object).
    Other,
}

impl Scalar {
    /// The string, if the value is one.
    pub fn text(self) -> Option<String> {
        if let Scalar::Text(text) = self { Some(text) } else { None }
    }

    /// The whole number, if the value is one.
    pub fn whole(self) -> Option<u64> {
        if let Scalar::Whole(number) = self { Some(number) } else { None }
    }

    /// The flag, if the value is one.
    pub fn flag(self) -> Option<bool> {
        if let Scalar::Flag(flag) = self { Some(flag) } else { None }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarKind)
    }
}

/// The visitor that reads any value as a [`Scalar`], by its own kind (the configuration's reader
/// takes its leaves from it too: `config::read::Value`).
pub(crate) struct ScalarKind;

impl<'de> Visitor<'de> for ScalarKind {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(text.to_owned()))
    }
    fn visit_string<E: de::Error>(self, text: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(text))
    }
    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Scalar, E> {
        Ok(Scalar::Whole(number))
    }
    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Scalar, E> {
        Ok(u64::try_from(number).map_or(Scalar::Other, Scalar::Whole))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_bool<E: de::Error>(self, flag: bool) -> Result<Scalar, E> {
        Ok(Scalar::Flag(flag))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

/// A string, when the value is one; absent otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnyStr(pub Option<String>);

impl<'de> Deserialize<'de> for AnyStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Scalar::deserialize(deserializer)
            .map(|scalar| AnyStr(if let Scalar::Text(text) = scalar { Some(text) } else { None }))
    }
}

/// A whole number of at least 0, when the value is one (`1.5`, `-3`, `"7"` are not); absent otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnyWhole(pub Option<u64>);

impl<'de> Deserialize<'de> for AnyWhole {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Scalar::deserialize(deserializer)
            .map(|scalar| AnyWhole(if let Scalar::Whole(n) = scalar { Some(n) } else { None }))
    }
}

/// `true` or `false`, when the value is one; absent otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnyBool(pub Option<bool>);

impl<'de> Deserialize<'de> for AnyBool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Scalar::deserialize(deserializer)
            .map(|scalar| AnyBool(if let Scalar::Flag(flag) = scalar { Some(flag) } else { None }))
    }
}

/// A list of `T`s, read only from a list. By the value's own kind (`deserialize_any`): JavaScript
/// strings are iterable, and a string must not read as a list of characters.
pub struct ListOf<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ListOf<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Items<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Items<T> {
            type Value = ListOf<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ListOf<T>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(ListOf(items))
            }
        }
        deserializer.deserialize_any(Items(PhantomData))
    }
}

/// An object of `V`s by key, read only from an object (by the value's own kind, as [`ListOf`]).
pub struct ObjectOf<V>(pub HashMap<String, V>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for ObjectOf<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = ObjectOf<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ObjectOf<V>, A::Error> {
                let mut entries = HashMap::with_capacity(map.size_hint().unwrap_or(0).min(1024));
                while let Some((key, value)) = map.next_entry()? {
                    entries.insert(key, value);
                }
                Ok(ObjectOf(entries))
            }
        }
        deserializer.deserialize_any(Entries(PhantomData))
    }
}

/// The fields a struct read with [`ObjectOnly`] has (the Kisi client's tests hold each list to its
/// struct's derive).
pub trait Fields {
    /// The struct's name.
    const NAME: &'static str;
    /// Its fields, as its `Deserialize` names them.
    const FIELDS: &'static [&'static str];
}

/// A `T` read only from an object. serde's derive also reads a struct from a list, by position
/// (`[42]` would be door 42): the page's readers want objects, and anything else is not one. Asking for a
/// struct by its fields keeps the browser's reader to looking up just those.
pub struct ObjectOnly<T>(pub T);

impl<'de, T: Deserialize<'de> + Fields> Deserialize<'de> for ObjectOnly<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Object<T> {
            type Value = ObjectOnly<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<ObjectOnly<T>, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(ObjectOnly)
            }
        }
        deserializer.deserialize_struct(T::NAME, T::FIELDS, Object(std::marker::PhantomData))
    }
}
