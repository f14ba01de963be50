//! The URLs, paths and lengths an operator may write into `config.json`, and their checks.

/// The deployment a page at `pathname` belongs to: the folder it is served from, which everything
/// the page keeps is scoped to (`services/storage.rs`, the service worker's caches). The head start
/// in `index.html` writes the same rule as `pathname.replace(/[^/]*$/, "")`; `e2e/tests/neighbours.rs`
/// holds the two to it with two deployments on one origin.
///
/// ```
/// use domain::config::urls::deployment_scope;
/// assert_eq!(deployment_scope("/"), "/");
/// assert_eq!(deployment_scope("/a/index.html"), "/a/");
/// assert_eq!(deployment_scope("/a/"), "/a/");
/// assert_eq!(deployment_scope("/doors"), "/");
/// assert_eq!(deployment_scope(""), "");
/// ```
pub fn deployment_scope(pathname: &str) -> &str {
    &pathname[..pathname.rfind('/').map_or(0, |slash| slash + 1)]
}

/// Kisi's production API.
pub const DEFAULT_API_BASE: &str = "https://api.kisi.io";

/// The API base the page talks to: an absolute `https://` URL (a path prefix is allowed), plain
/// `http://` for loopback development, or a path on this site (`/kisi`) where the host forwards
/// Kisi's API; no query, fragment, credentials or spaces. Returns it without trailing slashes.
///
/// ```
/// use domain::config::urls::api_base;
/// assert_eq!(api_base("https://kisi.example.com/proxy/").as_deref(), Some("https://kisi.example.com/proxy"));
/// assert_eq!(api_base("http://127.0.0.1:8787").as_deref(), Some("http://127.0.0.1:8787"));
/// assert_eq!(api_base("/kisi/").as_deref(), Some("/kisi"));
/// assert_eq!(api_base("http://api.kisi.io"), None);
/// assert_eq!(api_base("//evil.example/kisi"), None);
/// ```
pub fn api_base(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_end_matches('/');
    if raw.starts_with('/') {
        return is_same_origin_base(raw).then(|| raw.to_owned());
    }
    absolute_base(raw)
}

/// An absolute base URL that secrets may be sent to, or that carries them: `https://` and a host
/// (see [`policy_origin`]), plain `http://` only to `localhost` or `127.0.0.1`, an optional path, no
/// query, fragment, credentials or spaces. Returns it without trailing slashes. The page's API base
/// is one ([`api_base`]); the link tool holds its `--site` and `--api` to the same rule, since a
/// link's secret travels to both.
///
/// ```
/// use domain::config::urls::absolute_base;
/// assert_eq!(absolute_base("https://doors.example.com/").as_deref(), Some("https://doors.example.com"));
/// assert_eq!(absolute_base("http://localhost:8080/a").as_deref(), Some("http://localhost:8080/a"));
/// assert_eq!(absolute_base("doors.example.com"), None);
/// assert_eq!(absolute_base("http://doors.example.com"), None);
/// assert_eq!(absolute_base("https://doors.example.com/?x#y"), None);
/// assert_eq!(absolute_base("https://user@doors.example.com"), None);
/// ```
pub fn absolute_base(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_end_matches('/');
    let origin = policy_origin(raw)?;
    if let Some(host) = origin.strip_prefix("http://") {
        let host = host.split(':').next().unwrap_or_default();
        if !["localhost", "127.0.0.1"].contains(&host) {
            return None;
        }
    }
    let path = &raw[origin.len()..];
    let valid = !path.contains(['?', '#', ' ', '@', '\\']) && path.chars().all(|c| c.is_ascii_graphic());
    valid.then(|| raw.to_owned())
}

/// The origin of an absolute `https://` or `http://` URL, as a Content-Security-Policy source
/// writes it: the scheme, a host of dot-separated labels of ASCII letters, digits and `-` (CSP's
/// host-source: an IPv6 literal cannot be one), and an optional numeric port. `None` for anything
/// else — a policy source is built from nothing but this, so no URL can write another directive
/// (`https://cdn.example;connect-src …`) into the policy.
///
/// ```
/// use domain::config::urls::policy_origin;
/// assert_eq!(policy_origin("https://cdn.example.com:8443/a/logo.svg"), Some("https://cdn.example.com:8443"));
/// assert_eq!(policy_origin("https://cdn.example;connect-src/l.png"), None);
/// ```
pub fn policy_origin(url: &str) -> Option<&str> {
    let after_scheme = ["https://", "http://"].iter().find_map(|scheme| url.strip_prefix(scheme))?;
    let end = after_scheme.find('/').unwrap_or(after_scheme.len());
    let (host, port) = match after_scheme[..end].split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (&after_scheme[..end], None),
    };
    let label = |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    (host.split('.').all(label) && port_ok).then(|| &url[..url.len() - after_scheme.len() + end])
}

/// The head start's stricter reading of [`api_base`], as a regular expression: the value exactly
/// as written (nothing trimmed but trailing slashes, which both drop), printable ASCII, no `?`, `#`,
/// `@` or `\`, a host, and for plain `http://` one of the loopback hosts with at most a numeric
/// port. Whatever it accepts, [`api_base`] accepts as the same base; what it refuses, the head
/// start leaves to the app (`tests/head_start.rs` runs both over the same values).
pub const HEAD_START_API_BASE_PATTERN: &str = r"^(?=[!-~]+$)(?!.*[?#@\\])(?:https://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::[0-9]{1,5})?|http://(?:localhost|127\.0\.0\.1)(?::[0-9]{1,5})?)(?:/.*)?$";

/// A path on this site for the API: `/` and then letters, digits, `-`, `_`, `.` and `/`, no `//`
/// (which would name another host) and no `.` or `..` segment.
fn is_same_origin_base(path: &str) -> bool {
    path.len() > 1
        && !path.contains("//")
        && path.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
        && !path.split('/').any(|segment| segment == "." || segment == "..")
}

/// The policy source of an API base [`api_base`] accepted: its [`policy_origin`], or `'self'` for
/// a path on this site. `'none'` for anything else, which cannot reach here.
pub fn origin_of(api_base: &str) -> &str {
    if api_base.starts_with('/') {
        return "'self'";
    }
    policy_origin(api_base).unwrap_or("'none'")
}

/// A path on this site: relative, no scheme, no `//`, no `..`, and no white space or control
/// character (a URL parser drops TAB and LF, so `/\t/evil.example/x.css` would name another host).
pub fn is_site_path(text: &str) -> bool {
    !text.is_empty()
        && !text.contains("://")
        && !text.starts_with("//")
        && !text.split('/').any(|part| part == "..")
        && !text.contains(['\\', ':', '?', '#'])
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// An absolute `https://` image URL, or a path on this site.
pub fn is_logo_url(url: &str) -> bool {
    match url.strip_prefix("https://") {
        Some(_) => policy_origin(url).is_some() && !url.contains([' ', '"', '\'', '<', '>', '\\']),
        None => is_site_path(url),
    }
}

/// `tel:+49 30 …` or `mailto:reception@example.com`.
pub fn is_contact_href(href: &str) -> bool {
    let valid_tel = href
        .strip_prefix("tel:")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || "+-() ".contains(c)));
    let valid_mail = href.strip_prefix("mailto:").is_some_and(|a| a.contains('@') && !a.contains([' ', '<', '>', '"']));
    valid_tel || valid_mail
}

/// The origin of a logo URL, for the image part of the Content-Security-Policy (`None` for a
/// same-site path, which `'self'` covers). Configured logos are `https://` only; Kisi's own
/// organization logo is taken as Kisi sends it (the sandbox serves it over plain loopback HTTP).
///
/// ```
/// use domain::config::urls::logo_origin;
/// assert_eq!(logo_origin("https://cdn.example.com/a/logo.svg"), Some("https://cdn.example.com"));
/// assert_eq!(logo_origin("brand/logo.svg"), None);
/// ```
pub fn logo_origin(logo: &str) -> Option<&str> {
    policy_origin(logo)
}

/// `0`, or a number up to 100 (at most one decimal point) with `px`, `rem` or `em`. Checked by
/// hand: parsing floats would ship a float parser to the browser for one setting.
pub fn is_css_length(text: &str) -> bool {
    if text == "0" {
        return true;
    }
    let Some(number) = ["px", "rem", "em"].iter().find_map(|unit| text.strip_suffix(unit)) else {
        return false;
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, "0"));
    let digits = |s: &str| !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole)
        && digits(fraction)
        && whole.parse::<u32>().is_ok_and(|w| w < 100 || (w == 100 && fraction.bytes().all(|b| b == b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_and_loopback_http() {
        for (raw, want) in [
            ("https://api.kisi.io", "https://api.kisi.io"),
            ("https://kisi.example.com/proxy/", "https://kisi.example.com/proxy"),
            ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
            ("http://localhost:9000/", "http://localhost:9000"),
            ("/kisi", "/kisi"),
            ("/api/kisi/", "/api/kisi"),
        ] {
            assert_eq!(api_base(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn rejects_unusable_bases() {
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
            "/",
            "//evil.example",
            "/kisi//x",
            "/../kisi",
            "/./kisi",
            "/kisi?x",
            "/kisi#x",
            "/ki si",
            "/kisi\\x",
            "/kisi:8080",
            // Not a policy source: an IPv6 literal, or a host that would write more into the policy.
            "http://[::1]:8787",
            "https://kisi.example;connect-src",
            "https://kisi.example,evil.example",
            "https://kisi.example:",
            "https://kisi.example:80a",
            "https://.example",
            "https://a..example",
        ] {
            assert_eq!(api_base(raw), None, "{raw}");
        }
    }

    #[test]
    fn a_policy_source_is_only_ever_a_whole_origin() {
        // A logo from Kisi's answer goes into img-src: a hostile one must not write a directive.
        assert_eq!(logo_origin("https://cdn.example;connect-src/l.png"), None);
        assert_eq!(logo_origin("https://cdn.example connect-src/l.png"), None);
        assert_eq!(logo_origin("https://[::1]/l.png"), None);
        assert_eq!(logo_origin("https://CDN.example:8443/l.png"), Some("https://CDN.example:8443"));
        assert_eq!(logo_origin("http://127.0.0.1:8787/assets/l.svg"), Some("http://127.0.0.1:8787"));
        assert_eq!(logo_origin("https://cdn.example"), Some("https://cdn.example"));
    }

    #[test]
    fn a_site_path_has_no_control_characters() {
        // A URL parser drops TAB and LF: "/\t/evil.example/x.css" resolves to another host.
        for bad in ["/\t/evil.example/x.css", "/\n/evil.example/x.css", "brand/\r/x.css", "brand\u{7f}.css"] {
            assert!(!is_site_path(bad), "{bad:?}");
        }
        assert!(is_site_path("/brand/acme.css"));
    }

    #[test]
    fn lengths_and_paths() {
        for good in ["0", "12px", "0.75rem", "100px", "1.5em"] {
            assert!(is_css_length(good), "{good}");
        }
        for bad in ["huge", "-4px", "101px", "1.2345rem", "12", "px"] {
            assert!(!is_css_length(bad), "{bad}");
        }
        assert!(is_site_path("brand/acme.css") && !is_site_path("../secret.css") && !is_site_path("//evil/x"));
        assert!(is_contact_href("tel:+49 30 1234567") && !is_contact_href("javascript:alert(1)"));
    }
}
