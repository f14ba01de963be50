//! Kisi's failures, mapped to what the visitor is told ([`Problem`]).
//!
//! Kisi answers failures with `{"error": "<message>", "code": "<6 hex>"}`. Its messages are written
//! for administrators and its status codes for unlocks are undocumented (see `docs/kisi-api.md`), so
//! the page shows its own plain words, by this rule: **the status decides, a specific code refines.**
//! A code of Kisi's table that names a cause (`f35ade`: the link expired) says more than any status;
//! a generic code (`ffffff`, "unexpected", or client-js's `000000`), an unknown one or none says
//! nothing, and then the status decides — so a 429 or a 503 from a rate limiter or a proxy, whatever
//! its body, is waited out and retried.

use std::time::Duration;

use crate::domain::json::{JsonValue, Kind};
use crate::domain::problem::Problem;

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

/// Kisi's error body, read only from an object; only the code matters (the message is for
/// administrators).
pub struct ErrorBody {
    code: Option<String>,
}

impl ErrorBody {
    /// Reads a parsed error body; `None` unless it is an object.
    pub fn read(body: &impl JsonValue) -> Option<ErrorBody> {
        (body.kind() == Kind::Object).then(|| ErrorBody { code: body.field("code").text() })
    }
}

impl ApiError {
    /// The error for a non-success answer: its status and, when the body was a JSON object, Kisi's
    /// error `code` in it.
    ///
    /// ```
    /// use portier::domain::problem::Problem;
    /// use portier::services::kisi::error::ApiError;
    /// assert_eq!(ApiError::from_answer(403, Some("f35ade")).problem, Problem::LinkExpired);
    /// assert_eq!(ApiError::from_answer(502, None).problem, Problem::ServiceUnavailable);
    /// ```
    pub fn from_answer(status: u16, code: Option<&str>) -> Self {
        let code = code.map(|c| c.trim().to_ascii_lowercase()).filter(|c| !c.is_empty() && c.len() <= 16);
        let problem = code.as_deref().and_then(problem_for_code).unwrap_or_else(|| problem_for_status(status));
        ApiError { problem, status: Some(status), code, retry_after: None }
    }

    /// The error for a non-success answer that is not JSON at all, or not from Kisi: an HTML page
    /// (a guest Wi-Fi's sign-in page), or one the request was redirected to (Kisi's API never
    /// redirects), is the network in the way; anything else goes by its status.
    pub fn from_foreign_answer(status: u16, html: bool, redirected: bool) -> Self {
        let problem = if html || redirected { Problem::CaptivePortal } else { problem_for_status(status) };
        ApiError { problem, status: Some(status), code: None, retry_after: None }
    }

    /// The error for `status` with an error body (`None`: not JSON, or not an object).
    pub fn from_body(status: u16, body: Option<ErrorBody>) -> Self {
        ApiError::from_answer(status, body.and_then(|b| b.code).as_deref())
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
/// use portier::services::kisi::error::parse_retry_after;
/// assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
/// ```
pub fn parse_retry_after(header: &str) -> Option<Duration> {
    let header = header.trim();
    (!header.is_empty() && header.len() <= 6 && header.bytes().all(|b| b.is_ascii_digit()))
        .then(|| Duration::from_secs(header.parse().unwrap_or(0)))
}

/// Kisi's codes that name no cause: its table's "unexpected", and what kisi-inc/client-js reports
/// when a body has none.
pub const GENERIC_CODES: [&str; 2] = ["ffffff", "000000"];

/// The specific codes of Kisi's error table that a group link can meet, and what each means for the
/// visitor (`docs/kisi-api.md` §6). Generic and unknown codes are `None`: the status decides.
pub fn problem_for_code(code: &str) -> Option<Problem> {
    use Problem::*;
    Some(match code {
        "f29aef" | "f398de" | "f298bf" | "afc507" => LinkInvalid,
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
        _ => return None,
    })
}

/// What a status means without a specific code.
pub fn problem_for_status(status: u16) -> Problem {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_kept_only_when_it_is_one() {
        assert_eq!(ApiError::from_answer(403, Some("  ")).code, None, "blank");
        assert_eq!(ApiError::from_answer(403, Some("f35ade0123456789x")).code, None, "longer than any code");
        assert_eq!(ApiError::from_answer(403, Some(" F35ADE ")).code.as_deref(), Some("f35ade"));
        // Without a code, a conflict is the door being busy.
        assert_eq!(ApiError::from_answer(409, None).problem, Problem::Busy);
    }

    /// The problem for `status` with `body` as Kisi (or whatever stands in front of it) sent it.
    fn problem(status: u16, body: &str) -> Problem {
        let body = serde_json::from_str::<serde_json::Value>(body).ok();
        ApiError::from_body(status, body.as_ref().and_then(ErrorBody::read)).problem
    }

    #[test]
    fn a_specific_code_refines_the_status() {
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

    /// Every code of the table, the generic ones, an unknown one and none, with every status a
    /// group link can meet: the status decides unless the code is specific.
    #[test]
    fn the_status_decides_and_a_specific_code_refines_over_the_whole_table() {
        let table = [
            "f29aef", "f398de", "f298bf", "afc507", "f358de", "f35ade", "f298cf", "f298df", "34ffaa", "afc496",
            "fcd8ef", "fcd8ff", "fad137", "fad001", "fad002", "fad10e", "fad105", "fad108", "ff420a", "fad110",
            "fad112", "fac001", "fac002", "fac003", "fac004", "ecc123", "fad106", "fad107", "fad10f", "fbc000",
        ];
        let statuses = [400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504];
        for status in statuses {
            for code in table {
                let specific = problem_for_code(code).expect("a code of the table is specific");
                assert_eq!(ApiError::from_answer(status, Some(code)).problem, specific, "{status} {code}");
            }
            for code in GENERIC_CODES.into_iter().map(Some).chain([Some("123456"), Some(""), None]) {
                let problem = ApiError::from_answer(status, code).problem;
                assert_eq!(problem, problem_for_status(status), "{status} {code:?}: the status decides");
                if matches!(status, 429 | 502..=504) {
                    assert!(
                        crate::domain::pace::retry_delay(problem, 0, None).is_some(),
                        "{status} {code:?}: waited out and retried"
                    );
                }
            }
        }
    }

    #[test]
    fn what_rate_limiters_and_proxies_send_is_waited_out() {
        for body in [
            "",
            "Too Many Requests",
            "<html><body>429</body></html>",
            r#"{"error":"slow down"}"#,
            r#"{"error":"x","code":"ffffff"}"#,
            r#"{"code":"000000"}"#,
        ] {
            assert_eq!(problem(429, body), Problem::RateLimited, "{body:?}");
            assert_eq!(problem(503, body), Problem::ServiceUnavailable, "{body:?}");
            assert_eq!(problem(502, body), Problem::ServiceUnavailable, "{body:?}");
        }
        assert_eq!(
            problem(503, r#"{"error":"x","code":"fac001"}"#),
            Problem::DoorOffline,
            "a specific 503 is the door's"
        );
        assert_eq!(problem(401, r#"{"error":"x","code":"ffffff"}"#), Problem::LinkInvalid);
    }

    #[test]
    fn an_html_or_redirected_answer_is_the_network_in_the_way() {
        assert_eq!(ApiError::from_foreign_answer(200, true, false).problem, Problem::CaptivePortal);
        assert_eq!(ApiError::from_foreign_answer(200, false, true).problem, Problem::CaptivePortal);
        assert_eq!(ApiError::from_foreign_answer(503, false, false).problem, Problem::ServiceUnavailable);
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
    fn only_an_object_carries_a_code() {
        assert_eq!(problem(401, r#"["f35ade"]"#), Problem::LinkInvalid, "a list is no error body");
    }

    #[test]
    fn the_code_is_kept_for_support() {
        let e = ApiError::from_answer(403, Some(" FAD001 "));
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
        let e = ApiError::from_answer(429, None).with_retry_after(Some("2"));
        assert_eq!((e.problem, e.retry_after), (Problem::RateLimited, Some(Duration::from_secs(2))));
    }
}
