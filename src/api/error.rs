//! What went wrong, in the visitor's terms.
//!
//! Kisi answers failures with `{"error": "<message>", "code": "<6 hex>"}`. Its messages are written
//! for administrators and its status codes for unlocks are undocumented, so the page maps the
//! `code` first, the HTTP status second, and shows its own plain words.

use std::time::Duration;

use crate::json::Json;

/// A failure of one API call, as the page reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// What it means for the visitor.
    pub problem: Problem,
    /// The HTTP status, when a response came back at all.
    pub status: Option<u16>,
    /// Kisi's error code, when the body carried one.
    pub code: Option<String>,
    /// How long Kisi asked us to wait (`Retry-After`), if it said.
    pub retry_after: Option<Duration>,
}

/// What the visitor is told. Each variant has its own words and its own way forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The link is unknown, revoked or mistyped.
    LinkInvalid,
    /// The link's validity window has ended.
    LinkExpired,
    /// The link's validity window has not started.
    LinkNotYetValid,
    /// The place has switched links off, or the access rights exclude them.
    LinksDisabled,
    /// Kisi refused access for this link (or this door).
    AccessDenied,
    /// A time restriction applies right now.
    NotAllowedNow,
    /// The door or the whole place is locked down.
    LockedDown,
    /// The door no longer exists or is no longer part of this link.
    DoorNotFound,
    /// The lock has not been set up.
    DoorNotSetUp,
    /// The door's controller or lock is not reachable.
    DoorOffline,
    /// The controller's firmware is updating; it will be back shortly.
    FirmwareUpdating,
    /// The door is already being unlocked.
    Busy,
    /// Too many requests; Kisi asked us to slow down.
    RateLimited,
    /// Kisi is temporarily unavailable.
    ServiceUnavailable,
    /// No answer: offline, DNS, CORS, connection cut.
    Network,
    /// Kisi did not answer within the time limit.
    Timeout,
    /// An answer we could not read.
    BadResponse,
    /// Anything else.
    Unexpected,
}

impl ApiError {
    /// Builds the error for a non-success response from its status and (possibly non-JSON) body.
    ///
    /// ```
    /// use portier::api::error::{ApiError, Problem};
    /// let e = ApiError::from_response(403, r#"{"error":"Your link expired.","code":"f35ade"}"#);
    /// assert_eq!(e.problem, Problem::LinkExpired);
    /// assert_eq!(ApiError::from_response(502, "<html>Bad gateway</html>").problem, Problem::ServiceUnavailable);
    /// ```
    pub fn from_response(status: u16, body: &str) -> Self {
        let json = Json::parse(body).ok();
        let code = json
            .as_ref()
            .and_then(|body| body.get("code")?.as_str())
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty() && c.len() <= 16);
        let problem = code.as_deref().and_then(problem_for_code).unwrap_or_else(|| problem_for_status(status));
        ApiError { problem, status: Some(status), code, retry_after: None }
    }

    /// An error without a response (network failure, unreadable body).
    pub fn without_response(problem: Problem) -> Self {
        ApiError { problem, status: None, code: None, retry_after: None }
    }

    /// Adds the response's `Retry-After` header, if it holds a number of seconds.
    pub fn with_retry_after(mut self, header: Option<&str>) -> Self {
        self.retry_after = header.and_then(parse_retry_after);
        self
    }
}

/// `Retry-After` in its delay-seconds form. The HTTP-date form is not used by APIs like Kisi's and
/// would need a clock we cannot trust on a visitor's phone, so it is ignored (back-off applies).
///
/// ```
/// use std::time::Duration;
/// use portier::api::error::parse_retry_after;
/// assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
/// ```
pub fn parse_retry_after(header: &str) -> Option<Duration> {
    let header = header.trim();
    (!header.is_empty() && header.len() <= 6 && header.bytes().all(|b| b.is_ascii_digit()))
        .then(|| Duration::from_secs(header.parse().unwrap_or(0)))
}

/// The codes of Kisi's error table that a group link can meet.
fn problem_for_code(code: &str) -> Option<Problem> {
    use Problem::*;
    Some(match code {
        "f29aef" | "f398de" | "f298bf" => LinkInvalid,
        "f358de" => LinkNotYetValid,
        "f35ade" => LinkExpired,
        "f298cf" | "f298df" => LinksDisabled,
        "34ffaa" => NotAllowedNow,
        "afc496" | "fcd8ef" | "fcd8ff" | "fad137" => AccessDenied,
        "fad001" | "fad002" => LockedDown,
        "fad10e" => DoorNotFound,
        "fad105" | "fad108" | "ff420a" => DoorNotSetUp,
        "fad110" | "fad112" => Busy,
        "fac001" | "fac002" | "fac003" | "fac004" | "ecc123" | "fad106" | "fad107" | "fad10f" => DoorOffline,
        "fbc000" => FirmwareUpdating,
        "ffffff" => Unexpected,
        _ => return None,
    })
}

/// The fallback when the code is missing or unknown: by status, then by status class.
fn problem_for_status(status: u16) -> Problem {
    use Problem::*;
    match status {
        401 => LinkInvalid,
        403 => AccessDenied,
        404 => DoorNotFound,
        409 => Busy,
        429 => RateLimited,
        502..=504 => ServiceUnavailable,
        _ => Unexpected,
    }
}

impl Problem {
    /// Every problem, for exhaustive tests (and, later, translation checks).
    pub const ALL: [Problem; 18] = {
        use Problem::*;
        [
            LinkInvalid,
            LinkExpired,
            LinkNotYetValid,
            LinksDisabled,
            AccessDenied,
            NotAllowedNow,
            LockedDown,
            DoorNotFound,
            DoorNotSetUp,
            DoorOffline,
            FirmwareUpdating,
            Busy,
            RateLimited,
            ServiceUnavailable,
            Network,
            Timeout,
            BadResponse,
            Unexpected,
        ]
    };

    /// Whether the problem concerns the whole link (it replaces the door list) rather than one door.
    pub fn is_link_level(self) -> bool {
        matches!(self, Problem::LinkInvalid | Problem::LinkExpired | Problem::LinkNotYetValid | Problem::LinksDisabled)
    }

    /// The key of this problem's texts in `i18n/*.json`.
    pub fn key(self) -> &'static str {
        use Problem::*;
        match self {
            LinkInvalid => "link_invalid",
            LinkExpired => "link_expired",
            LinkNotYetValid => "link_not_yet_valid",
            LinksDisabled => "links_disabled",
            AccessDenied => "access_denied",
            NotAllowedNow => "not_allowed_now",
            LockedDown => "locked_down",
            DoorNotFound => "door_not_found",
            DoorNotSetUp => "door_not_set_up",
            DoorOffline => "door_offline",
            FirmwareUpdating => "firmware_updating",
            Busy => "busy",
            RateLimited => "rate_limited",
            ServiceUnavailable => "service_unavailable",
            Network => "network",
            Timeout => "timeout",
            BadResponse => "bad_response",
            Unexpected => "unexpected",
        }
    }

    /// The headline, in plain words, in the visitor's language.
    pub fn title(self) -> String {
        crate::i18n::t(&format!("problem.{}.title", self.key()))
    }

    /// What the visitor can do about it, in the visitor's language.
    pub fn advice(self) -> String {
        crate::i18n::t(&format!("problem.{}.advice", self.key()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(status: u16, body: &str) -> Problem {
        ApiError::from_response(status, body).problem
    }

    #[test]
    fn code_wins_over_status() {
        assert_eq!(problem(401, r#"{"error":"Your link is invalid.","code":"f29aef"}"#), Problem::LinkInvalid);
        assert_eq!(problem(403, r#"{"error":"x","code":"f358de"}"#), Problem::LinkNotYetValid);
        assert_eq!(problem(403, r#"{"error":"x","code":"F35ADE"}"#), Problem::LinkExpired);
        assert_eq!(problem(403, r#"{"error":"x","code":"fad002"}"#), Problem::LockedDown);
        assert_eq!(problem(503, r#"{"error":"x","code":"fac001"}"#), Problem::DoorOffline);
        assert_eq!(problem(404, r#"{"error":"x","code":"fad10e"}"#), Problem::DoorNotFound);
        assert_eq!(problem(409, r#"{"error":"x","code":"fad110"}"#), Problem::Busy);
        assert_eq!(problem(503, r#"{"error":"x","code":"fbc000"}"#), Problem::FirmwareUpdating);
        assert_eq!(problem(200, r#"{"code":"34ffaa"}"#), Problem::NotAllowedNow);
    }

    #[test]
    fn unknown_or_missing_codes_fall_back_to_the_status() {
        assert_eq!(problem(401, r#"{"error":"x","code":"123456"}"#), Problem::LinkInvalid);
        assert_eq!(problem(403, "{}"), Problem::AccessDenied);
        assert_eq!(problem(404, ""), Problem::DoorNotFound);
        assert_eq!(problem(429, "Too Many Requests"), Problem::RateLimited);
        assert_eq!(problem(503, "<html>"), Problem::ServiceUnavailable);
        assert_eq!(problem(500, r#"{"errors":{"id":["is bad"]}}"#), Problem::Unexpected);
        assert_eq!(problem(418, r#"{"code":null}"#), Problem::Unexpected);
        assert_eq!(problem(400, r#"{"code":17}"#), Problem::Unexpected);
    }

    #[test]
    fn the_code_is_kept_for_support() {
        let e = ApiError::from_response(403, r#"{"error":"x","code":" FAD001 "}"#);
        assert_eq!(e.code.as_deref(), Some("fad001"));
        assert_eq!(e.status, Some(403));
    }

    #[test]
    fn retry_after_is_read_in_seconds_only() {
        assert_eq!(parse_retry_after("0"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        for bad in ["", "-1", "1.5", "soon", "9999999", "+3"] {
            assert_eq!(parse_retry_after(bad), None, "{bad:?}");
        }
        let e = ApiError::from_response(429, "").with_retry_after(Some("2"));
        assert_eq!((e.problem, e.retry_after), (Problem::RateLimited, Some(Duration::from_secs(2))));
    }

    #[test]
    fn link_level_problems_are_the_link_ones() {
        assert!(Problem::LinkExpired.is_link_level());
        assert!(!Problem::DoorOffline.is_link_level());
        assert!(!Problem::Network.is_link_level());
    }

    #[test]
    fn every_problem_has_words() {
        for p in Problem::ALL {
            assert!(!p.title().is_empty() && p.advice().ends_with('.'), "{p:?}");
        }
    }
}
