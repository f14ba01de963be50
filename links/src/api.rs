//! Kisi's administrator API for group links (`KISI-LOGIN`), and `GET /locks` as a link sees it.
//! Kisi's errors come back as sentences an operator can act on; neither the API key nor a secret
//! ever appears in one.

use std::fmt;
use std::time::Duration;

use serde_json::Value;
use ureq::Agent;

use crate::input::NewLink;

/// Kisi's production API.
pub const DEFAULT_API: &str = "https://api.kisi.io";

/// A failed call, in words.
#[derive(Debug, PartialEq, Eq)]
pub struct KisiError(pub String);

impl fmt::Display for KisiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Turns a failed answer into a sentence: field errors (422) one by one, Kisi's own message with
/// its code otherwise.
///
/// ```
/// use links::api::explain;
/// let text = explain(422, r#"{"errors":{"valid_until":["must be after valid_from"]}}"#);
/// assert_eq!(text.0, "Kisi rejected the link: valid_until must be after valid_from");
/// ```
pub fn explain(status: u16, body: &str) -> KisiError {
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    if let Some(fields) = json.get("errors").and_then(Value::as_object) {
        let problems: Vec<String> = fields
            .iter()
            .flat_map(|(field, problems)| {
                let problems = problems.as_array().cloned().unwrap_or_else(|| vec![problems.clone()]);
                problems
                    .into_iter()
                    .map(move |p| format!("{field} {}", p.as_str().map_or_else(|| p.to_string(), str::to_owned)))
            })
            .collect();
        return KisiError(format!("Kisi rejected the link: {}", problems.join("; ")));
    }
    let message = json.get("error").and_then(Value::as_str).unwrap_or("no message");
    let code = json.get("code").and_then(Value::as_str).map(|c| format!(", code {c}")).unwrap_or_default();
    KisiError(match status {
        401 => format!("Kisi refused the credentials (401{code}): {message}"),
        403 => format!("Kisi does not allow this (403{code}): {message}"),
        404 => format!("Kisi found nothing there (404{code}): {message}"),
        429 => "Kisi is rate limiting; wait a second and try again (429)".to_owned(),
        _ => format!("Kisi answered {status}{code}: {message}"),
    })
}

/// A client for one API base and one `Authorization` header.
pub struct Kisi {
    base: String,
    authorization: String,
    agent: Agent,
}

impl Kisi {
    /// Administrator access with an API key (`KISI-LOGIN`).
    pub fn admin(base: &str, api_key: &str) -> Self {
        Self::new(base, format!("KISI-LOGIN {}", api_key.trim()))
    }

    /// A group link's access (`KISI-GROUP-LINK`).
    pub fn link(base: &str, secret: &str) -> Self {
        Self::new(base, format!("KISI-GROUP-LINK {}", secret.trim()))
    }

    fn new(base: &str, authorization: String) -> Self {
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Kisi { base: base.trim_end_matches('/').to_owned(), authorization, agent }
    }

    /// `POST /group_links`: the created record, with `secret`.
    pub fn create(&self, link: &NewLink) -> Result<Value, KisiError> {
        let url = format!("{}/group_links", self.base);
        let request =
            self.agent.post(&url).header("Authorization", &self.authorization).header("Accept", "application/json");
        let answer = request.header("Content-Type", "application/json").send(link.body().to_string());
        self.json(&url, answer).map(|(value, _)| value)
    }

    /// `GET /group_links?group_id=…`, every page.
    pub fn list(&self, group_id: u64) -> Result<Vec<Value>, KisiError> {
        self.all_pages(&format!("{}/group_links?group_id={group_id}", self.base))
    }

    /// `DELETE /group_links/{id}`.
    pub fn revoke(&self, id: u64) -> Result<(), KisiError> {
        let url = format!("{}/group_links/{id}", self.base);
        let answer = self.agent.delete(&url).header("Authorization", &self.authorization).call();
        self.json(&url, answer).map(drop)
    }

    /// `GET /locks` with the link's secret, every page.
    pub fn doors(&self) -> Result<Vec<Value>, KisiError> {
        self.all_pages(&format!("{}/locks?", self.base))
    }

    fn all_pages(&self, url: &str) -> Result<Vec<Value>, KisiError> {
        let mut items = Vec::new();
        loop {
            let separator = if url.ends_with('?') { "" } else { "&" };
            let page_url = format!("{url}{separator}limit=250&offset={}", items.len());
            let answer = self
                .agent
                .get(&page_url)
                .header("Authorization", &self.authorization)
                .header("Accept", "application/json")
                .call();
            let (page, total) = self.json(&page_url, answer)?;
            let page = page.as_array().cloned().ok_or_else(|| KisiError("Kisi's answer was not a list".into()))?;
            let received = page.len();
            items.extend(page);
            if received == 0 || total.is_none_or(|total| items.len() as u64 >= total) {
                return Ok(items);
            }
        }
    }

    /// Reads an answer: JSON (or nothing, for 204) and the total of `X-Collection-Range`.
    fn json(
        &self,
        url: &str,
        answer: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<(Value, Option<u64>), KisiError> {
        let mut response = answer.map_err(|e| KisiError(format!("could not reach {}: {e}", host_of(url))))?;
        let status = response.status().as_u16();
        let total = response
            .headers()
            .get("x-collection-range")
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.rsplit('/').next())
            .and_then(|t| t.trim().parse().ok());
        let body = response.body_mut().read_to_string().unwrap_or_default();
        if !(200..300).contains(&status) {
            return Err(explain(status, &body));
        }
        if body.trim().is_empty() {
            return Ok((Value::Null, total));
        }
        serde_json::from_str(&body)
            .map(|v| (v, total))
            .map_err(|_| KisiError(format!("Kisi's answer ({status}) was not JSON")))
    }
}

/// `scheme://host` of `url`, for messages that must not quote a query.
fn host_of(url: &str) -> &str {
    let after = url.find("://").map_or(0, |i| i + 3);
    &url[..url[after..].find('/').map_or(url.len(), |i| after + i)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_sentences() {
        assert_eq!(
            explain(422, r#"{"errors":{"name":["can't be blank"],"group_id":["is invalid"]}}"#).0,
            "Kisi rejected the link: group_id is invalid; name can't be blank"
        );
        assert_eq!(
            explain(401, r#"{"error":"Invalid API key.","code":"f29aef"}"#).0,
            "Kisi refused the credentials (401, code f29aef): Invalid API key."
        );
        assert_eq!(explain(500, "<html>").0, "Kisi answered 500: no message");
    }

    #[test]
    fn messages_name_the_host_only() {
        assert_eq!(host_of("https://api.kisi.io/locks?limit=1"), "https://api.kisi.io");
    }
}
