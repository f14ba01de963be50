//! Reading the access link's secret from the URL fragment.
//!
//! The fragment (`#…`) is the one part of a URL that browsers never send to the web server, which is
//! why the secret travels there. Two shapes are accepted:
//!
//! * `#<secret>` — what a visitor most often receives;
//! * `#secret=<secret>` — the explicit form, which leaves room for more parameters
//!   (`#secret=abc&door=42`). Unknown parameters are ignored so older pages keep working with
//!   newer links.
//!
//! Values are percent-decoded and trimmed. Anything that cannot be a Kisi secret (empty, control
//! characters, spaces inside, non-ASCII, absurd length) is rejected *before* any request is made.

use crate::door::DoorId;
use crate::language::is_language_tag;
use crate::secret::{Secret, SecretError};
use crate::validity::ValidUntil;

/// What the page understood from the URL fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fragment {
    /// The secret, or why there is none usable.
    pub secret: Result<Secret, SecretError>,
    /// `&door=<id>`: the door to bring to the top and highlight (e.g. from a QR code on that door).
    pub door: Option<DoorId>,
    /// `&lang=<code>`: the language the link asks for (`de`, `ar`, …), if it looks like one.
    pub lang: Option<String>,
    /// `&until=<time>`: when the link stops working, as the link tool wrote it (a hint; Kisi decides).
    pub until: Option<ValidUntil>,
}

impl Fragment {
    /// Parses a fragment, with or without its leading `#`.
    ///
    /// ```
    /// use domain::fragment::Fragment;
    /// use domain::secret::SecretError;
    /// let plain = Fragment::parse("#abcd1234");
    /// let named = Fragment::parse("#secret=abcd1234&door=42");
    /// assert_eq!(plain.secret, named.secret);
    /// assert_eq!(Fragment::parse("").secret, Err(SecretError::Empty));
    /// ```
    pub fn parse(fragment: &str) -> Self {
        let body = fragment.strip_prefix('#').unwrap_or(fragment);
        let mut bare = None;
        let mut named = None;
        let mut door = None;
        let mut lang = None;
        let mut until = None;
        for (index, part) in body.split('&').enumerate() {
            match part.split_once('=') {
                Some(("secret", value)) => named = named.or(Some(value)),
                Some(("door", value)) => door = door.or(value.parse().ok().map(DoorId)),
                Some(("lang", value)) if is_language_tag(value) => {
                    lang = lang.or(Some(value.to_ascii_lowercase()));
                }
                Some(("until", value)) => {
                    until = until.or_else(|| percent_decode(value).as_deref().and_then(ValidUntil::parse));
                }
                // The first part is the secret itself unless it is a `key=value` pair with a
                // key we know; a bare secret may well contain `=` (base64 padding).
                Some((key, _)) if is_known_parameter(key) => {}
                _ if index == 0 => bare = Some(part),
                _ => {}
            }
        }
        let secret = match named.or(bare) {
            None => Err(SecretError::Empty),
            Some(raw) => percent_decode(raw).ok_or(SecretError::BadEscape).and_then(|s| Secret::new(&s)),
        };
        Fragment { secret, door, lang, until }
    }

    /// The secret for a page whose address carries this fragment: the fragment's own if it
    /// carries one; for a fragment without any, the one kept for this tab (`tab`), else the one
    /// remembered on this device (`device`), whichever first is a usable secret. A damaged secret
    /// in the fragment stays an error: the visitor must see that their link is broken.
    ///
    /// ```
    /// use domain::fragment::Fragment;
    /// let kept = Fragment::parse("#door=4").secret_or_kept(Some("  "), Some("abcd1234"));
    /// assert_eq!(kept.map(|s| s.expose().to_owned()), Ok("abcd1234".to_owned()));
    /// ```
    pub fn secret_or_kept(&self, tab: Option<&str>, device: Option<&str>) -> Result<Secret, SecretError> {
        match &self.secret {
            Ok(secret) => Ok(secret.clone()),
            Err(SecretError::Empty) => {
                [tab, device].into_iter().flatten().find_map(|raw| Secret::new(raw).ok()).ok_or(SecretError::Empty)
            }
            Err(damaged) => Err(*damaged),
        }
    }

    /// What may stay in the address bar once the secret has left it: the named door, language and
    /// end (`#door=42&lang=de`, so a reload keeps them), or nothing.
    ///
    /// ```
    /// use domain::fragment::Fragment;
    /// assert_eq!(Fragment::parse("#abcd1234&lang=de&door=42").without_secret(), "#door=42&lang=de");
    /// assert_eq!(Fragment::parse("#abcd1234").without_secret(), "");
    /// ```
    pub fn without_secret(&self) -> String {
        let kept: Vec<String> = [
            self.door.map(|door| format!("door={door}")),
            self.lang.as_ref().map(|l| format!("lang={l}")),
            self.until.as_ref().map(|u| format!("until={}", u.text)),
        ]
        .into_iter()
        .flatten()
        .collect();
        if kept.is_empty() { String::new() } else { format!("#{}", kept.join("&")) }
    }
}

/// The fragment of a visitor's link: `secret` escaped so that none of its characters reads as the
/// fragment's own `&`, `=`, `%` or `#`, then the door to bring first and the link's end, as the
/// link tool writes them on links and posters. [`Fragment::parse`] reads back exactly these.
///
/// ```
/// use domain::door::DoorId;
/// use domain::fragment::{Fragment, link_fragment};
/// let written = link_fragment("a&b=c+d", Some(DoorId(42)), Some("2026-12-24T17:00:00Z"));
/// assert_eq!(written, "#a%26b%3Dc%2Bd&door=42&until=2026-12-24T17:00:00Z");
/// let read = Fragment::parse(&written);
/// assert_eq!(read.secret.map(|s| s.expose().to_owned()), Ok("a&b=c+d".to_owned()));
/// assert_eq!(read.door, Some(DoorId(42)));
/// ```
pub fn link_fragment(secret: &str, door: Option<DoorId>, until: Option<&str>) -> String {
    let mut fragment = format!("#{}", percent_encode(secret));
    if let Some(door) = door {
        fragment.push_str(&format!("&door={door}"));
    }
    if let Some(until) = until {
        fragment.push_str("&until=");
        fragment.push_str(&percent_encode_except(until, b":+"));
    }
    fragment
}

/// Escapes every byte outside RFC 3986's unreserved set (the inverse of [`percent_decode`]).
pub fn percent_encode(text: &str) -> String {
    percent_encode_except(text, b"")
}

/// [`percent_encode`], leaving `also` as they are too (a time's `:` and `+`, which a fragment may
/// hold and [`percent_decode`] leaves alone).
fn percent_encode_except(text: &str, also: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || also.contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The parameters a fragment may carry (the head start in `index.html` knows them too).
pub const PARAMETERS: [&str; 4] = ["secret", "door", "lang", "until"];

/// Parameters a fragment may carry besides the secret; later features read them.
fn is_known_parameter(key: &str) -> bool {
    PARAMETERS.contains(&key)
}

/// Decodes `%XX` escapes (and nothing else: `+` stays `+`, since fragments are not form data).
/// Returns `None` for a malformed escape or a result that is not UTF-8.
pub fn percent_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hi = (hex[0] as char).to_digit(16)?;
            let lo = (hex[1] as char).to_digit(16)?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::MAX_SECRET_LEN;

    fn secret_of(fragment: &str) -> Result<String, SecretError> {
        Fragment::parse(fragment).secret.map(|s| s.expose().to_owned())
    }

    #[test]
    fn bare_and_named_forms_agree() {
        assert_eq!(secret_of("#k1s1-secret"), Ok("k1s1-secret".into()));
        assert_eq!(secret_of("k1s1-secret"), Ok("k1s1-secret".into()));
        assert_eq!(secret_of("#secret=k1s1-secret"), Ok("k1s1-secret".into()));
        assert_eq!(secret_of("#secret=k1s1-secret&door=42"), Ok("k1s1-secret".into()));
        assert_eq!(secret_of("#door=42&secret=k1s1-secret"), Ok("k1s1-secret".into()));
        assert_eq!(secret_of("#k1s1-secret&door=42&lang=de"), Ok("k1s1-secret".into()));
    }

    #[test]
    fn unknown_parameters_are_ignored() {
        assert_eq!(secret_of("#secret=abcd&utm_source=mail"), Ok("abcd".into()));
        assert_eq!(secret_of("#abcd&future=1"), Ok("abcd".into()));
    }

    #[test]
    fn base64_padding_is_part_of_a_bare_secret() {
        assert_eq!(secret_of("#QUJDRA=="), Ok("QUJDRA==".into()));
    }

    #[test]
    fn values_are_percent_decoded_and_trimmed() {
        assert_eq!(secret_of("#ab%2Fcd%3D"), Ok("ab/cd=".into()));
        assert_eq!(secret_of("#%20%20abcd%20"), Ok("abcd".into()));
        assert_eq!(secret_of("#secret=%61bcd"), Ok("abcd".into()));
    }

    #[test]
    fn missing_or_unusable_secrets_are_rejected() {
        assert_eq!(secret_of(""), Err(SecretError::Empty));
        assert_eq!(secret_of("#"), Err(SecretError::Empty));
        assert_eq!(secret_of("#door=42"), Err(SecretError::Empty));
        assert_eq!(secret_of("#secret="), Err(SecretError::Empty));
        assert_eq!(secret_of("#%20%20"), Err(SecretError::Empty));
        assert_eq!(secret_of("#abc"), Err(SecretError::TooShort));
        assert_eq!(secret_of("#ab%20cd"), Err(SecretError::Whitespace));
        assert_eq!(secret_of("#ab%09cd"), Err(SecretError::Whitespace));
        assert_eq!(secret_of("#ab%00cd"), Err(SecretError::NotPrintableAscii));
        assert_eq!(secret_of("#ab%7Fcd"), Err(SecretError::NotPrintableAscii));
        assert_eq!(secret_of("#%C3%A9cole"), Err(SecretError::NotPrintableAscii));
        assert_eq!(secret_of("#ab%zzcd"), Err(SecretError::BadEscape));
        assert_eq!(secret_of("#abcd%4"), Err(SecretError::BadEscape));
        assert_eq!(secret_of("#abcd%FF"), Err(SecretError::BadEscape));
        assert_eq!(secret_of(&format!("#{}", "a".repeat(MAX_SECRET_LEN))).map(|s| s.len()), Ok(MAX_SECRET_LEN));
        assert_eq!(secret_of(&format!("#{}", "a".repeat(MAX_SECRET_LEN + 1))), Err(SecretError::TooLong));
    }

    #[test]
    fn a_door_can_be_named() {
        assert_eq!(Fragment::parse("#abcd&door=42").door, Some(DoorId(42)));
        assert_eq!(Fragment::parse("#door=7&secret=abcd").door, Some(DoorId(7)));
        assert_eq!(Fragment::parse("#abcd&door=x").door, None);
        assert_eq!(Fragment::parse("#abcd").door, None);
    }

    #[test]
    fn the_links_end_is_read_and_kept_in_the_address_bar() {
        let read = Fragment::parse("#abcd1234&until=2026-12-24T17:00Z&door=4");
        assert_eq!(read.until.as_ref().map(|u| u.unix_ms), Some(1_798_131_600_000));
        assert_eq!(read.without_secret(), "#door=4&until=2026-12-24T17:00Z");
        let escaped = Fragment::parse("#secret=abcd1234&until=2026-12-24T18%3A00%2B01%3A00");
        assert_eq!(escaped.until.map(|u| u.unix_ms), Some(1_798_131_600_000));
        assert_eq!(Fragment::parse("#abcd1234&until=soon").until, None);
        assert_eq!(Fragment::parse("#until=2026-12-24T17:00Z").secret, Err(SecretError::Empty));
    }

    #[test]
    fn a_first_part_is_the_secret_unless_its_key_is_a_parameter() {
        // An unknown key: the whole part is the secret (`=` may be base64 padding).
        assert_eq!(secret_of("#abcd=1234"), Ok("abcd=1234".to_owned()));
        // A parameter whose value is unusable is still a parameter, never a secret.
        assert_eq!(Fragment::parse("#lang=<x>").secret, Err(SecretError::Empty));
        assert_eq!(Fragment::parse("#door=front").secret, Err(SecretError::Empty));
    }

    #[test]
    fn a_language_can_be_asked_for() {
        assert_eq!(Fragment::parse("#abcd&lang=de").lang.as_deref(), Some("de"));
        assert_eq!(Fragment::parse("#abcd&lang=pt-BR").lang.as_deref(), Some("pt-br"));
        assert_eq!(Fragment::parse("#abcd&lang=<x>").lang, None);
        assert_eq!(Fragment::parse("#lang=ja").secret, Err(SecretError::Empty));
    }
}
