//! The Content-Security-Policy of the built page.
//!
//! Trunk injects its loader as an inline `<script type="module">`. Rather than allow inline scripts,
//! the policy names that exact script by its SHA-256 hash, computed here after every build.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Where `index.html` wants the policy.
const MARKER: &str = "<!-- portier:content-security-policy";

/// The policy for a page whose inline scripts are `scripts`.
///
/// `connect-src` must admit every API origin an operator may configure (any HTTPS origin, and
/// loopback for development); the page narrows it to the configured origin at start (`src/csp.rs`).
pub fn policy(scripts: &[&str]) -> String {
    let hashes: Vec<String> = scripts
        .iter()
        .map(|s| format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))))
        .collect();
    [
        "default-src 'none'".to_owned(),
        format!("script-src 'self' 'wasm-unsafe-eval' {}", hashes.join(" ")),
        "style-src 'self'".to_owned(),
        // Narrowed at start to the logo's origin once the logo is known (configured, or Kisi's).
        "img-src 'self' data: https: http://localhost:* http://127.0.0.1:*".to_owned(),
        "connect-src 'self' https: http://localhost:* http://127.0.0.1:*".to_owned(),
        "manifest-src 'self'".to_owned(),
        // The service worker (sw.js, same origin); nothing else may start a worker.
        "worker-src 'self'".to_owned(),
        "base-uri 'none'".to_owned(),
        "form-action 'none'".to_owned(),
        "object-src 'none'".to_owned(),
    ]
    .join("; ")
}

/// The contents of every inline `<script>` (one without `src`) in `html`.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let Some(open_end) = rest[start..].find('>').map(|i| start + i + 1) else { break };
        let Some(close) = rest[open_end..].find("</script>").map(|i| open_end + i) else { break };
        if !rest[start..open_end].contains(" src=") {
            scripts.push(&rest[open_end..close]);
        }
        rest = &rest[close + "</script>".len()..];
    }
    scripts
}

/// Puts the policy (as a `<meta http-equiv>`) where `index.html` marked it. Returns the policy.
pub fn apply(html: &str) -> Result<(String, String)> {
    let start =
        html.find(MARKER).ok_or_else(|| Error::check("index.html has no portier:content-security-policy marker"))?;
    let end = html[start..]
        .find("-->")
        .map(|i| start + i + 3)
        .ok_or_else(|| Error::check("index.html: unterminated portier:content-security-policy marker comment"))?;
    let policy = policy(&inline_scripts(html));
    let meta = format!(r#"<meta http-equiv="Content-Security-Policy" content="{policy}" />"#);
    Ok((format!("{}{meta}{}", &html[..start], &html[end..]), policy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_inline_scripts() {
        let html = r#"<script type="module">a()</script><script src="x.js"></script><script>b</script>"#;
        assert_eq!(inline_scripts(html), vec!["a()", "b"]);
    }

    #[test]
    fn hashes_the_exact_script_text() {
        // printf 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert!(policy(&["alert(1)"]).contains("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"));
    }

    #[test]
    fn replaces_the_marker() {
        let (html, policy) =
            apply("<head><!-- portier:content-security-policy here --><script>x</script></head>").unwrap();
        assert!(html.starts_with(r#"<head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; "#));
        assert!(!html.contains("portier:content-security-policy"));
        assert!(policy.contains("object-src 'none'"));
    }

    /// README's section on the secret quotes the policy: it must be this one, hashes aside.
    #[test]
    fn readme_quotes_the_policy_the_build_writes() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
        let one = policy(&["x"]);
        let hash = one.split(' ').find(|part| part.starts_with("'sha256-")).unwrap().trim_end_matches(';');
        let quoted = one.replace(hash, "'sha256-…'");
        assert!(readme.contains(&format!("`{quoted}`")), "README.md should quote `{quoted}`");
    }
}
