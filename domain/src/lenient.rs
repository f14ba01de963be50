//! Reading values leniently: a value that is not what was asked for counts as absent instead of
//! failing everything around it.
//!
//! Every leaf is read by the value's own kind ([`crate::json::Kind::scalar`]): a reader takes the
//! [`Scalar`] it wants and counts anything else as absent, without an error. One broken field of a
//! lock or of the configuration leaves every other field readable.

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
