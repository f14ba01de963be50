//! The site configuration: `config.json` next to `index.html`, edited by the operator after the
//! build, so the same build serves any deployment.
//!
//! A broken or missing file never stops the page: every key that cannot be used falls back to its
//! default, with one warning naming the key.

use std::time::Duration;

use serde_json::Value;

/// Kisi's production API.
pub const DEFAULT_API_BASE: &str = "https://api.kisi.io";

/// Where the configuration lives, relative to the page.
pub const CONFIG_PATH: &str = "config.json";

/// How long one request to Kisi may take by default.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// The shortest and longest request time limits an operator may set.
pub const REQUEST_TIMEOUT_RANGE_MS: (u64, u64) = (1_000, 120_000);

/// What the operator configured, with defaults filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteConfig {
    /// The origin (and optional path prefix) of the Kisi API, without a trailing slash.
    pub api_base: String,
    /// How long one request may take before the page gives up on it and says so.
    pub request_timeout: Duration,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig { api_base: DEFAULT_API_BASE.to_owned(), request_timeout: DEFAULT_REQUEST_TIMEOUT }
    }
}

impl SiteConfig {
    /// The API's origin (`scheme://host[:port]`), which is all the page may connect to.
    ///
    /// ```
    /// use portier::config::SiteConfig;
    /// let config = SiteConfig { api_base: "https://kisi.example.com/proxy".into(), ..SiteConfig::default() };
    /// assert_eq!(config.api_origin(), "https://kisi.example.com");
    /// ```
    pub fn api_origin(&self) -> &str {
        let after_scheme = self.api_base.find("://").map_or(0, |i| i + 3);
        let end = self.api_base[after_scheme..].find('/').map_or(self.api_base.len(), |i| after_scheme + i);
        &self.api_base[..end]
    }

    /// Reads the configuration file's text. Returns the configuration and one warning per problem.
    ///
    /// ```
    /// use portier::config::SiteConfig;
    /// let (config, warnings) = SiteConfig::from_json(r#"{"api_base": "http://127.0.0.1:8787/"}"#);
    /// assert_eq!(config.api_base, "http://127.0.0.1:8787");
    /// assert!(warnings.is_empty());
    /// ```
    pub fn from_json(text: &str) -> (Self, Vec<String>) {
        let mut config = SiteConfig::default();
        let mut warnings = Vec::new();
        let root = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return (config, vec![format!("{CONFIG_PATH}: expected a JSON object; using defaults")]),
            Err(e) => return (config, vec![format!("{CONFIG_PATH}: not valid JSON ({e}); using defaults")]),
        };
        for (key, value) in root {
            match key.as_str() {
                "api_base" => match value.as_str().and_then(api_base) {
                    Some(base) => config.api_base = base,
                    None => warnings.push(format!(
                        "{CONFIG_PATH}: \"api_base\" must be an https:// URL (http:// only for localhost); using {DEFAULT_API_BASE}"
                    )),
                },
                "request_timeout_ms" => {
                    let (min, max) = REQUEST_TIMEOUT_RANGE_MS;
                    match value.as_u64().filter(|ms| (min..=max).contains(ms)) {
                        Some(ms) => config.request_timeout = Duration::from_millis(ms),
                        None => warnings.push(format!(
                            "{CONFIG_PATH}: \"request_timeout_ms\" must be a whole number from {min} to {max}; using {}",
                            DEFAULT_REQUEST_TIMEOUT.as_millis()
                        )),
                    }
                }
                // Comments are welcome in a file operators edit by hand.
                k if k.starts_with('_') => {}
                other => warnings.push(format!("{CONFIG_PATH}: unknown key \"{other}\" ignored")),
            }
        }
        (config, warnings)
    }
}

/// Accepts an absolute https URL, or http for loopback development; returns it without the
/// trailing slash.
fn api_base(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_end_matches('/');
    let rest = if let Some(rest) = raw.strip_prefix("https://") {
        rest
    } else {
        let rest = raw.strip_prefix("http://")?;
        let loopback = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .any(|host| rest.strip_prefix(host).is_some_and(|after| after.is_empty() || after.starts_with([':', '/'])));
        if !loopback {
            return None;
        }
        rest
    };
    let host = rest.split('/').next().unwrap_or_default();
    let valid =
        !host.is_empty() && !rest.contains(['?', '#', ' ', '@', '\\']) && rest.chars().all(|c| c.is_ascii_graphic());
    valid.then(|| raw.to_owned())
}

/// Fetches and reads `config.json`. Never fails: a missing or broken file means defaults, and every
/// problem is reported once on the console (the file holds no secrets, so this is safe to log).
pub async fn load() -> SiteConfig {
    let text = match gloo_net::http::Request::get(CONFIG_PATH).cache(web_sys::RequestCache::NoCache).send().await {
        Ok(response) if response.ok() => response.text().await.ok(),
        _ => None,
    };
    let Some(text) = text else {
        leptos::logging::warn!("portier: {CONFIG_PATH} could not be loaded; using defaults");
        return SiteConfig::default();
    };
    let (config, warnings) = SiteConfig::from_json(&text);
    for warning in warnings {
        leptos::logging::warn!("portier: {warning}");
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_empty() {
        assert_eq!(SiteConfig::from_json("{}"), (SiteConfig::default(), vec![]));
    }

    #[test]
    fn accepts_https_and_loopback_http() {
        for (raw, want) in [
            ("https://api.kisi.io", "https://api.kisi.io"),
            ("https://kisi.example.com/proxy/", "https://kisi.example.com/proxy"),
            ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
            ("http://localhost:9000/", "http://localhost:9000"),
            ("http://[::1]:8787", "http://[::1]:8787"),
        ] {
            let (config, warnings) = SiteConfig::from_json(&format!(r#"{{"api_base": "{raw}"}}"#));
            assert_eq!((config.api_base.as_str(), warnings.len()), (want, 0), "{raw}");
        }
    }

    #[test]
    fn rejects_unusable_bases_with_a_warning() {
        for raw in [
            "http://api.kisi.io",
            "http://127.0.0.1.evil.example",
            "http://localhost.evil.example",
            "ftp://x",
            "api.kisi.io",
            "https://",
            "https://a b",
            "https://x?y=1",
            "https://u@x",
            "javascript:alert(1)",
        ] {
            let (config, warnings) = SiteConfig::from_json(&format!(r#"{{"api_base": "{raw}"}}"#));
            assert_eq!(config.api_base, DEFAULT_API_BASE, "{raw}");
            assert_eq!(warnings.len(), 1, "{raw}");
            assert!(warnings[0].contains("api_base"));
        }
        let (config, warnings) = SiteConfig::from_json(r#"{"api_base": 42}"#);
        assert_eq!((config.api_base.as_str(), warnings.len()), (DEFAULT_API_BASE, 1));
    }

    #[test]
    fn request_timeout_is_bounded() {
        let (config, warnings) = SiteConfig::from_json(r#"{"request_timeout_ms": 2500}"#);
        assert_eq!((config.request_timeout, warnings.len()), (Duration::from_millis(2500), 0));
        for bad in ["0", "999", "120001", "-5", "1.5", "\"10\"", "null"] {
            let (config, warnings) = SiteConfig::from_json(&format!(r#"{{"request_timeout_ms": {bad}}}"#));
            assert_eq!((config.request_timeout, warnings.len()), (DEFAULT_REQUEST_TIMEOUT, 1), "{bad}");
        }
    }

    #[test]
    fn broken_files_fall_back_to_defaults() {
        for text in ["", "{", "[1]", "null", "<html>not found</html>"] {
            let (config, warnings) = SiteConfig::from_json(text);
            assert_eq!(config, SiteConfig::default(), "{text:?}");
            assert_eq!(warnings.len(), 1, "{text:?}");
        }
    }

    #[test]
    fn unknown_keys_warn_and_comments_do_not() {
        let (_, warnings) = SiteConfig::from_json(r#"{"_comment": "hi", "colour": "red"}"#);
        assert_eq!(warnings, vec![format!("{CONFIG_PATH}: unknown key \"colour\" ignored")]);
    }
}
