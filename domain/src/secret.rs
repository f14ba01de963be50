//! The group link's secret, and what may count as one.

use std::fmt;

/// The shortest string we accept as a secret; anything shorter is a typo or a truncated link.
pub const MIN_SECRET_LEN: usize = 4;
/// The longest string we accept as a secret. Kisi does not document the format (see
/// `docs/kisi-api.md`, open question 6), so this is generous: it only rules out pasted garbage.
pub const MAX_SECRET_LEN: usize = 512;

/// A group-link secret, checked to be something we may put into an `Authorization` header.
///
/// `Debug` is redacted on purpose: a secret must never reach a log line, a panic message or an
/// error text by accident. The only way to the raw value is [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Checks `raw` (already percent-decoded) and wraps it. Surrounding whitespace (Rust's
    /// `str::trim`: Unicode `White_Space`) is dropped; what is left must be 4 to 512 printable
    /// ASCII characters.
    ///
    /// ```
    /// use domain::secret::{Secret, SecretError};
    /// assert!(Secret::new("k1s1-l1nk").is_ok());
    /// assert_eq!(Secret::new("has space"), Err(SecretError::Whitespace));
    /// ```
    pub fn new(raw: &str) -> Result<Self, SecretError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(SecretError::Empty);
        }
        if let Some(c) = value.chars().find(|c| !c.is_ascii_graphic()) {
            return Err(if c.is_whitespace() { SecretError::Whitespace } else { SecretError::NotPrintableAscii });
        }
        match value.len() {
            n if n < MIN_SECRET_LEN => Err(SecretError::TooShort),
            n if n > MAX_SECRET_LEN => Err(SecretError::TooLong),
            _ => Ok(Secret(value.to_owned())),
        }
    }

    /// The raw secret, for the one place that needs it: the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Why a value is not a usable secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretError {
    /// Nothing after the `#`.
    Empty,
    /// Fewer than [`MIN_SECRET_LEN`] characters.
    TooShort,
    /// More than [`MAX_SECRET_LEN`] characters.
    TooLong,
    /// A space, tab or line break inside the value.
    Whitespace,
    /// Control characters or non-ASCII text, which no Kisi secret contains and no HTTP header carries.
    NotPrintableAscii,
    /// A `%` escape that is malformed or decodes to invalid UTF-8.
    BadEscape,
}

/// The stricter rule the head start in `index.html` applies before it sends anything: the value
/// exactly as it came (no trimming at all), 4 to 512 printable ASCII characters. Whatever passes it,
/// [`Secret::new`] accepts unchanged; what it refuses, the app judges for itself.
///
/// ```
/// assert_eq!(domain::secret::head_start_pattern(), "^[\\x21-\\x7e]{4,512}$");
/// ```
pub fn head_start_pattern() -> String {
    format!("^[\\x21-\\x7e]{{{MIN_SECRET_LEN},{MAX_SECRET_LEN}}}$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_is_rusts_and_the_byte_order_mark_is_not_whitespace() {
        assert_eq!(Secret::new("  abcd\t").map(|s| s.expose().to_owned()), Ok("abcd".into()));
        assert_eq!(Secret::new("\u{a0}abcd\u{3000}").map(|s| s.expose().to_owned()), Ok("abcd".into()));
        // JavaScript's trim() strips U+FEFF; Rust's does not, so the secret is refused.
        assert_eq!(Secret::new("\u{feff}abcd1234"), Err(SecretError::NotPrintableAscii));
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let secret = Secret::new("very-secret-value").unwrap();
        assert!(!format!("{secret:?}").contains("very-secret-value"));
    }
}
