//! Checking a new link before anything is sent: Kisi's advice made into rules.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A group link to create, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct NewLink {
    /// Who the link is for; Kisi's event log shows it, so it names the person.
    pub name: String,
    /// The Kisi group whose doors the link opens.
    pub group_id: u64,
    /// With an address, Kisi emails the link itself (to Kisi's page).
    pub email: Option<String>,
    /// When the link starts working (`None`: at once).
    pub valid_from: Option<OffsetDateTime>,
    /// When it stops (`None`: never, only with an explicit `--no-expiry`).
    pub valid_until: Option<OffsetDateTime>,
    /// `online` or `offline` QR code for Kisi readers.
    pub qr_type: Option<String>,
}

/// What was typed, unchecked.
#[derive(Clone, Debug, Default)]
pub struct Typed<'a> {
    /// `--name`
    pub name: &'a str,
    /// `--group`
    pub group_id: u64,
    /// `--email`
    pub email: Option<&'a str>,
    /// `--valid-from`
    pub valid_from: Option<&'a str>,
    /// `--valid-until`
    pub valid_until: Option<&'a str>,
    /// `--no-expiry`
    pub no_expiry: bool,
    /// `--qr`
    pub qr_type: Option<&'a str>,
}

impl NewLink {
    /// Checks `typed` against the rules, at time `now`. The error says what to type instead.
    ///
    /// ```
    /// use links::input::{NewLink, Typed};
    /// let now = time::OffsetDateTime::now_utc();
    /// let forever = Typed { name: "Ada", group_id: 1, no_expiry: true, ..Typed::default() };
    /// assert!(NewLink::check(forever, now).is_ok());
    /// let unnamed = Typed { name: "", group_id: 1, no_expiry: true, ..Typed::default() };
    /// assert!(NewLink::check(unnamed, now).is_err());
    /// ```
    pub fn check(typed: Typed<'_>, now: OffsetDateTime) -> Result<NewLink, String> {
        let name = typed.name.trim();
        if name.is_empty() {
            return Err("--name is required: name the person the link is for (Kisi's event log shows it)".into());
        }
        let time = |flag: &str, value: Option<&str>| -> Result<Option<OffsetDateTime>, String> {
            value
                .map(|v| {
                    OffsetDateTime::parse(v.trim(), &Rfc3339).map_err(|_| {
                        format!("{flag} {v:?} is not an ISO 8601 time with an offset, e.g. 2026-12-01T18:00:00+01:00")
                    })
                })
                .transpose()
        };
        let valid_from = time("--valid-from", typed.valid_from)?;
        let valid_until = time("--valid-until", typed.valid_until)?;
        match (valid_until, typed.no_expiry) {
            (None, false) => {
                return Err("Kisi recommends that every link expires: give --valid-until, or --no-expiry to create one that never does".into());
            }
            (Some(_), true) => return Err("--valid-until and --no-expiry contradict each other".into()),
            _ => {}
        }
        if let Some(until) = valid_until
            && until <= valid_from.unwrap_or(now)
        {
            return Err(match valid_from {
                Some(_) => "--valid-until must be after --valid-from".into(),
                None => "--valid-until is in the past".into(),
            });
        }
        if let Some(email) = typed.email
            && !(email.contains('@') && !email.contains(char::is_whitespace) && email.len() <= 254)
        {
            return Err(format!("--email {email:?} is not an email address"));
        }
        if let Some(kind) = typed.qr_type
            && !matches!(kind, "online" | "offline")
        {
            return Err(format!("--qr must be online or offline, not {kind:?}"));
        }
        Ok(NewLink {
            name: name.to_owned(),
            group_id: typed.group_id,
            email: typed.email.map(str::to_owned),
            valid_from,
            valid_until,
            qr_type: typed.qr_type.map(str::to_owned),
        })
    }

    /// The body of `POST /group_links`.
    pub fn body(&self) -> Value {
        let at = |t: Option<OffsetDateTime>| t.and_then(|t| t.format(&Rfc3339).ok());
        let mut link = json!({ "name": self.name, "group_id": self.group_id });
        for (key, value) in [
            ("email", self.email.clone()),
            ("valid_from", at(self.valid_from)),
            ("valid_until", at(self.valid_until)),
            ("quick_response_code_type", self.qr_type.clone()),
        ] {
            if let Some(value) = value {
                link[key] = json!(value);
            }
        }
        json!({ "group_link": link })
    }
}

/// Checks the portier site's address an operator typed (`--site`) by the page's rule for an address
/// a secret travels to: `https://` and a host (plain `http://` only for `localhost` or
/// `127.0.0.1`), an optional path, no query, fragment or credentials. A
/// scanner shows an address without a scheme as text and offers to search the web for it — with
/// the secret in it — so nothing else is accepted.
///
/// ```
/// use links::input::site;
/// assert_eq!(site("https://doors.example.com/").as_deref(), Ok("https://doors.example.com"));
/// assert!(site("doors.example.com").is_err());
/// assert!(site("https://doors.example.com/?x#y").is_err());
/// ```
pub fn site(raw: &str) -> Result<String, String> {
    address(raw, "--site", "the site's https:// address, e.g. https://doors.example.com")
}

/// Checks Kisi's address (`--api`) by the same rule as [`site`]: the API key (or a link's secret)
/// goes with every request, so plain `http://` only to this machine (the sandbox).
///
/// ```
/// use links::input::api;
/// assert!(api("https://api.kisi.io").is_ok());
/// assert!(api("http://127.0.0.1:8787").is_ok());
/// assert!(api("http://kisi.example").is_err());
/// ```
pub fn api(raw: &str) -> Result<String, String> {
    address(raw, "--api", "Kisi's https:// address, e.g. https://api.kisi.io (the API key goes with every request)")
}

/// The page's own rule for an address a secret travels to ([`domain::config::urls::absolute_base`]);
/// `flag` and `what` say in the error what was expected.
fn address(raw: &str, flag: &str, what: &str) -> Result<String, String> {
    domain::config::urls::absolute_base(raw)
        .ok_or_else(|| format!("{flag} must be {what}, without spaces, credentials, query or fragment (not {raw:?})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> OffsetDateTime {
        OffsetDateTime::parse("2026-11-29T12:00:00Z", &Rfc3339).unwrap()
    }

    fn typed() -> Typed<'static> {
        Typed { name: "Ada Lovelace", group_id: 1, valid_until: Some("2026-12-01T18:00:00+01:00"), ..Typed::default() }
    }

    #[test]
    fn a_good_link_becomes_kisis_body() {
        let link = NewLink::check(Typed { email: Some("ada@example.com"), ..typed() }, now()).unwrap();
        assert_eq!(
            link.body(),
            json!({"group_link": {"name": "Ada Lovelace", "group_id": 1, "email": "ada@example.com", "valid_until": "2026-12-01T18:00:00+01:00"}})
        );
    }

    #[test]
    fn rules_are_checked_before_sending() {
        let cases: Vec<(Typed<'static>, &str)> = vec![
            (Typed { name: "  ", ..typed() }, "--name is required"),
            (Typed { valid_until: None, ..typed() }, "every link expires"),
            (Typed { no_expiry: true, ..typed() }, "contradict"),
            (Typed { valid_until: Some("2026-12-01 18:00"), ..typed() }, "not an ISO 8601 time"),
            (Typed { valid_until: Some("2026-12-01T18:00:00"), ..typed() }, "with an offset"),
            (Typed { valid_until: Some("2026-11-01T00:00:00Z"), ..typed() }, "in the past"),
            (Typed { valid_from: Some("2026-12-02T00:00:00Z"), ..typed() }, "after --valid-from"),
            (Typed { email: Some("not an address"), ..typed() }, "not an email address"),
            (Typed { qr_type: Some("paper"), ..typed() }, "--qr must be"),
        ];
        for (typed, expected) in cases {
            let error = NewLink::check(typed.clone(), now()).unwrap_err();
            assert!(error.contains(expected), "{typed:?}: {error}");
        }
    }

    #[test]
    fn no_expiry_must_be_explicit() {
        let link = NewLink::check(Typed { valid_until: None, no_expiry: true, ..typed() }, now()).unwrap();
        assert_eq!(link.valid_until, None);
        assert!(link.body()["group_link"].get("valid_until").is_none());
    }
}
