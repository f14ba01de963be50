//! The site configuration: `config.json` next to `index.html`, edited by the operator after the
//! build, so the same build serves any deployment.
//!
//! A broken or missing file never stops the page: every key that cannot be used falls back to its
//! default, with one warning naming the key (on the console; in the demo also on screen). Colour
//! pairs that fail WCAG AA contrast are reported the same way.

pub mod colour;
pub mod theme;

use std::collections::BTreeMap;
use std::fmt::Display;
use std::time::Duration;

use crate::json::Json;

use colour::Colour;
use theme::{Palette, ROLES, Theme, ThemeMode};

/// Kisi's production API.
pub const DEFAULT_API_BASE: &str = "https://api.kisi.io";

/// Where the configuration lives, relative to the page.
pub const CONFIG_PATH: &str = "config.json";

/// How long one request to Kisi may take by default.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// The shortest and longest request time limits an operator may set.
pub const REQUEST_TIMEOUT_RANGE_MS: (u64, u64) = (1_000, 120_000);
/// How long a door shows "Unlocked" by default. Kisi does not say how long the lock hardware
/// stays open, so this is a typical relock time.
pub const DEFAULT_UNLOCKED_FOR: Duration = Duration::from_secs(5);

/// The operator's name and logo, shown at the top of every screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Brand {
    /// The brand name; without one, the page asks Kisi for the organization's.
    pub name: Option<String>,
    /// An `https://` (or same-site) logo URL.
    pub logo: Option<String>,
}

/// Texts the operator may put in place of the built-in ones, for one language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Texts {
    /// The page title and the door list's heading.
    pub title: Option<String>,
    /// A line under the heading ("Welcome to Acme. Tap your door.").
    pub intro: Option<String>,
    /// The help screen's text, for visitors without a link.
    pub help: Option<String>,
    /// A line at the bottom of every screen.
    pub footer: Option<String>,
}

/// Who to call when something goes wrong; shown with every error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// "Trouble? Call reception"
    pub label: String,
    /// A `tel:` or `mailto:` link.
    pub href: String,
}

/// How a door is opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Gesture {
    /// One tap.
    #[default]
    Tap,
    /// Press and hold, so a pocket or a stray touch cannot open a door.
    Hold,
}

/// In which order doors are listed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DoorOrder {
    /// As Kisi lists them.
    #[default]
    Api,
    /// By name.
    Name,
}

/// What the operator configured, with defaults filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteConfig {
    /// The origin (and optional path prefix) of the Kisi API, without a trailing slash.
    pub api_base: String,
    /// How long one request may take before the page gives up on it and says so.
    pub request_timeout: Duration,
    /// Name and logo.
    pub brand: Brand,
    /// Colours, font, radius, mode, stylesheet.
    pub theme: Theme,
    /// Text overrides by language (`en`, `de`, …).
    pub texts: BTreeMap<String, Texts>,
    /// Shown with every error.
    pub contact: Option<Contact>,
    /// Tap or hold.
    pub gesture: Gesture,
    /// API order or by name.
    pub door_order: DoorOrder,
    /// Headings per place (when there is more than one).
    pub group_by_place: bool,
    /// How long "Unlocked" shows.
    pub unlocked_for: Duration,
    /// The language for every visitor (`de`, …) unless the link names one; `None` follows the
    /// visitor's device.
    pub language: Option<String>,
    /// Demo mode: configuration warnings on screen, and a theme switcher.
    pub demo: bool,
    /// The demo's themes, by name.
    pub demo_themes: Vec<(String, Theme)>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            api_base: DEFAULT_API_BASE.to_owned(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            brand: Brand::default(),
            theme: Theme::default(),
            texts: BTreeMap::new(),
            contact: None,
            gesture: Gesture::Tap,
            door_order: DoorOrder::Api,
            group_by_place: true,
            unlocked_for: DEFAULT_UNLOCKED_FOR,
            language: None,
            demo: false,
            demo_themes: Vec::new(),
        }
    }
}

/// Collects one warning per problem, each naming its key.
#[derive(Default)]
struct Reader {
    warnings: Vec<String>,
}

impl Reader {
    fn warn(&mut self, key: &str, problem: impl Display) {
        self.warnings.push(format!("{CONFIG_PATH}: \"{key}\" {problem}"));
    }

    fn object<'v>(&mut self, key: &str, value: &'v Json) -> Option<&'v [(String, Json)]> {
        let object = value.as_object();
        if object.is_none() {
            self.warn(key, "must be an object; ignored");
        }
        object
    }

    /// A non-empty string of at most `max` characters without control characters.
    fn text(&mut self, key: &str, value: &Json, max: usize) -> Option<String> {
        match value.as_str().map(str::trim) {
            Some(s) if !s.is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control) => {
                Some(s.to_owned())
            }
            _ => {
                self.warn(key, format_args!("must be a text of 1 to {max} characters; ignored"));
                None
            }
        }
    }

    fn choice<T: Copy>(&mut self, key: &str, value: &Json, options: &[(&str, T)]) -> Option<T> {
        let found = value.as_str().and_then(|s| options.iter().find(|(name, _)| *name == s)).map(|(_, v)| *v);
        if found.is_none() {
            let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
            self.warn(key, format_args!("must be one of {}; using the default", names.join(", ")));
        }
        found
    }

    fn unknown(&mut self, key: &str) {
        if !key.rsplit('.').next().unwrap_or(key).starts_with('_') {
            self.warn(key, "is not a setting; ignored");
        }
    }

    fn palette(&mut self, key: &str, value: &Json) -> Palette {
        let mut palette = Palette::default();
        for (role, colour) in self.object(key, value).into_iter().flatten() {
            let path = format!("{key}.{role}");
            match ROLES.iter().position(|r| r == role) {
                Some(i) => match colour.as_str().and_then(Colour::parse) {
                    Some(c) => palette.colours[i] = Some(c),
                    None => {
                        self.warn(&path, format_args!("{colour} is not a colour (#rgb or #rrggbb); using the default"))
                    }
                },
                None => self.unknown(&path),
            }
        }
        palette
    }

    fn theme(&mut self, key: &str, value: &Json) -> Theme {
        let mut theme = Theme::default();
        for (name, value) in self.object(key, value).into_iter().flatten() {
            let path = format!("{key}.{name}");
            match name.as_str() {
                "light" => theme.light = self.palette(&path, value),
                "dark" => theme.dark = self.palette(&path, value),
                "mode" => {
                    let modes = [("system", ThemeMode::System), ("light", ThemeMode::Light), ("dark", ThemeMode::Dark)];
                    theme.mode = self.choice(&path, value, &modes).unwrap_or_default();
                }
                "font" => {
                    theme.font = self.text(&path, value, 200).filter(|font| {
                        let safe = !font.contains([';', '{', '}', '<', '>', '\\']);
                        if !safe {
                            self.warn(&path, "must be a plain CSS font stack; ignored");
                        }
                        safe
                    });
                }
                "radius" => {
                    theme.radius = value.as_str().map(str::trim).filter(|r| is_css_length(r)).map(str::to_owned);
                    if theme.radius.is_none() {
                        self.warn(&path, "must be a length like 12px or 0.75rem; using the default");
                    }
                }
                "stylesheet" => {
                    theme.stylesheet = value
                        .as_str()
                        .map(str::trim)
                        .filter(|s| is_site_path(s) && s.ends_with(".css"))
                        .map(str::to_owned);
                    if theme.stylesheet.is_none() {
                        self.warn(&path, "must be a .css file on this site (a relative path); ignored");
                    }
                }
                _ => self.unknown(&path),
            }
        }
        for (scheme, palette, dark) in [("light", &theme.light, false), ("dark", &theme.dark, true)] {
            for problem in palette.contrast_problems(dark) {
                self.warn(&format!("{key}.{scheme}"), problem);
            }
        }
        theme
    }
}

/// `0`, or a number up to 100 (at most one decimal point) with `px`, `rem` or `em`. Checked by
/// hand: parsing floats would ship a float parser to the browser for one setting.
fn is_css_length(text: &str) -> bool {
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

/// A path on this site: relative, no scheme, no `//`, no `..`.
fn is_site_path(text: &str) -> bool {
    !text.is_empty()
        && !text.contains("://")
        && !text.starts_with("//")
        && !text.split('/').any(|part| part == "..")
        && !text.contains(['\\', ':', '?', '#', ' '])
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
        origin_of(&self.api_base)
    }

    /// The operator's texts for `language` (`de-CH` falls back to `de`, then to `en`).
    pub fn texts_for(&self, language: &str) -> Texts {
        let primary = language.split('-').next().unwrap_or_default().to_ascii_lowercase();
        self.texts.get(&primary).or_else(|| self.texts.get("en")).cloned().unwrap_or_default()
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
        let root = match Json::parse(text) {
            Ok(Json::Object(members)) => members,
            Ok(_) => return (config, vec![format!("{CONFIG_PATH}: expected a JSON object; using defaults")]),
            Err(e) => return (config, vec![format!("{CONFIG_PATH}: not valid JSON ({e}); using defaults")]),
        };
        let mut r = Reader::default();
        for (key, value) in &root {
            let key = key.as_str();
            match key {
                "api_base" => match value.as_str().and_then(api_base) {
                    Some(base) => config.api_base = base,
                    None => r.warn(
                        key,
                        format_args!("must be an https:// URL (http:// only for localhost); using {DEFAULT_API_BASE}"),
                    ),
                },
                "request_timeout_ms" => {
                    let (min, max) = REQUEST_TIMEOUT_RANGE_MS;
                    match value.as_u64().filter(|ms| (min..=max).contains(ms)) {
                        Some(ms) => config.request_timeout = Duration::from_millis(ms),
                        None => r.warn(
                            key,
                            format_args!(
                                "must be a whole number from {min} to {max}; using {}",
                                DEFAULT_REQUEST_TIMEOUT.as_millis()
                            ),
                        ),
                    }
                }
                "brand" => {
                    for (name, value) in r.object(key, value).into_iter().flatten() {
                        let path = format!("brand.{name}");
                        match name.as_str() {
                            "name" => config.brand.name = r.text(&path, value, 80),
                            "logo" => {
                                config.brand.logo =
                                    value.as_str().map(str::trim).filter(|u| is_logo_url(u)).map(str::to_owned);
                                if config.brand.logo.is_none() {
                                    r.warn(&path, "must be an https:// URL or an image on this site; ignored");
                                }
                            }
                            _ => r.unknown(&path),
                        }
                    }
                }
                "theme" => config.theme = r.theme(key, value),
                "texts" => {
                    for (language, texts) in r.object(key, value).into_iter().flatten() {
                        let path = format!("texts.{language}");
                        if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_lowercase()) {
                            r.warn(&path, "must be a language code like en or de; ignored");
                            continue;
                        }
                        let mut entry = Texts::default();
                        for (name, value) in r.object(&path, texts).into_iter().flatten() {
                            let field = format!("{path}.{name}");
                            match name.as_str() {
                                "title" => entry.title = r.text(&field, value, 80),
                                "intro" => entry.intro = r.text(&field, value, 300),
                                "help" => entry.help = r.text(&field, value, 600),
                                "footer" => entry.footer = r.text(&field, value, 200),
                                _ => r.unknown(&field),
                            }
                        }
                        config.texts.insert(language.clone(), entry);
                    }
                }
                "contact" => {
                    let members = r.object(key, value).unwrap_or_default();
                    let label = value.get("label").and_then(|v| r.text("contact.label", v, 80));
                    let href = value.get("href").and_then(Json::as_str).map(str::trim).filter(|h| is_contact_href(h));
                    if href.is_none() {
                        r.warn("contact.href", "must be a tel: or mailto: link; the contact line is not shown");
                    }
                    if let (Some(label), Some(href)) = (label, href) {
                        config.contact = Some(Contact { label, href: href.to_owned() });
                    }
                    for (name, _) in members.iter().filter(|(k, _)| !matches!(k.as_str(), "label" | "href")) {
                        r.unknown(&format!("contact.{name}"));
                    }
                }
                "unlock_gesture" => {
                    config.gesture =
                        r.choice(key, value, &[("tap", Gesture::Tap), ("hold", Gesture::Hold)]).unwrap_or_default();
                }
                "door_order" => {
                    config.door_order =
                        r.choice(key, value, &[("api", DoorOrder::Api), ("name", DoorOrder::Name)]).unwrap_or_default();
                }
                "group_by_place" => match value.as_bool() {
                    Some(yes) => config.group_by_place = yes,
                    None => r.warn(key, "must be true or false; using true"),
                },
                "unlocked_seconds" => match value.as_u64().filter(|s| (1..=60).contains(s)) {
                    Some(seconds) => config.unlocked_for = Duration::from_secs(seconds),
                    None => r.warn(
                        key,
                        format_args!("must be a whole number from 1 to 60; using {}", DEFAULT_UNLOCKED_FOR.as_secs()),
                    ),
                },
                "language" => {
                    let supported = crate::i18n::LANGUAGES;
                    match value.as_str().filter(|code| supported.contains(code)) {
                        Some(code) => config.language = Some(code.to_owned()),
                        None => r.warn(
                            key,
                            format_args!("must be one of {}; following the visitor's device", supported.join(", ")),
                        ),
                    }
                }
                "demo" => config.demo = value.as_bool() == Some(true),
                "demo_themes" => {
                    for (name, theme) in r.object(key, value).into_iter().flatten() {
                        let theme = r.theme(&format!("demo_themes.{name}"), theme);
                        config.demo_themes.push((name.clone(), theme));
                    }
                }
                _ => r.unknown(key),
            }
        }
        (config, r.warnings)
    }
}

/// `scheme://host[:port]` of an absolute URL.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..].find('/').map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

/// An absolute `https://` image URL, or a path on this site.
fn is_logo_url(url: &str) -> bool {
    match url.strip_prefix("https://") {
        Some(rest) => !rest.is_empty() && !rest.starts_with('/') && !url.contains([' ', '"', '\'', '<', '>', '\\']),
        None => is_site_path(url),
    }
}

/// `tel:+49 30 …` or `mailto:reception@example.com`.
fn is_contact_href(href: &str) -> bool {
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
/// use portier::config::logo_origin;
/// assert_eq!(logo_origin("https://cdn.example.com/a/logo.svg"), Some("https://cdn.example.com"));
/// assert_eq!(logo_origin("brand/logo.svg"), None);
/// ```
pub fn logo_origin(logo: &str) -> Option<&str> {
    (logo.starts_with("https://") || logo.starts_with("http://")).then(|| origin_of(logo))
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

/// Reads the text of `config.json` (`None`: it could not be had). Never fails: a missing or broken
/// file means defaults, and every problem is reported once on the console (the file holds no
/// secrets, so this is safe to log). Returns the warnings too, for the demo's on-screen list.
pub fn read(text: Option<&str>) -> (SiteConfig, Vec<String>) {
    let (config, warnings) = match text {
        Some(text) => SiteConfig::from_json(text),
        None => (SiteConfig::default(), vec![format!("{CONFIG_PATH} could not be loaded; using defaults")]),
    };
    for warning in &warnings {
        leptos::logging::warn!("portier: {warning}");
    }
    (config, warnings)
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
        let (_, warnings) =
            SiteConfig::from_json(r#"{"_comment": "hi", "colour": "red", "theme": {"_note": 1, "shade": 2}}"#);
        assert_eq!(
            warnings,
            vec![
                format!("{CONFIG_PATH}: \"colour\" is not a setting; ignored"),
                format!("{CONFIG_PATH}: \"theme.shade\" is not a setting; ignored"),
            ]
        );
    }

    const FULL: &str = r##"{
        "api_base": "https://api.kisi.io",
        "brand": {"name": "Acme Works", "logo": "https://cdn.example.com/acme.svg"},
        "theme": {
            "mode": "dark",
            "light": {"accent": "#1d4ed8", "accent_text": "#fff", "background": "#fafafa", "surface": "#ffffff",
                      "text": "#111", "danger": "#b91c1c", "success": "#15803d", "success_text": "#ffffff"},
            "dark": {"accent": "#93c5fd", "accent_text": "#0b1220"},
            "font": "\"Inter\", system-ui, sans-serif",
            "radius": "8px",
            "stylesheet": "brand/acme.css"
        },
        "texts": {"en": {"title": "Acme doors", "intro": "Tap your door.", "help": "Ask reception for a link.", "footer": "Acme Works GmbH"},
                  "de": {"title": "Acme Türen"}},
        "contact": {"label": "Trouble? Call reception", "href": "tel:+49 30 1234567"},
        "unlock_gesture": "hold",
        "door_order": "name",
        "group_by_place": false,
        "unlocked_seconds": 8,
        "request_timeout_ms": 20000
    }"##;

    #[test]
    fn every_key_is_read() {
        let (config, warnings) = SiteConfig::from_json(FULL);
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(
            config.brand,
            Brand { name: Some("Acme Works".into()), logo: Some("https://cdn.example.com/acme.svg".into()) }
        );
        assert_eq!(config.theme.mode, ThemeMode::Dark);
        assert_eq!(config.theme.light.get("accent", false), Colour::parse("#1d4ed8").unwrap());
        assert_eq!(
            config.theme.dark.get("background", true),
            theme::default_palette(true)[2],
            "unset roles keep the default"
        );
        assert_eq!(config.theme.font.as_deref(), Some("\"Inter\", system-ui, sans-serif"));
        assert_eq!(
            (config.theme.radius.as_deref(), config.theme.stylesheet.as_deref()),
            (Some("8px"), Some("brand/acme.css"))
        );
        assert_eq!(config.texts_for("de-CH").title.as_deref(), Some("Acme Türen"));
        assert_eq!(
            config.texts_for("fr").intro.as_deref(),
            Some("Tap your door."),
            "unknown languages fall back to en"
        );
        assert_eq!(
            config.contact,
            Some(Contact { label: "Trouble? Call reception".into(), href: "tel:+49 30 1234567".into() })
        );
        assert_eq!((config.gesture, config.door_order, config.group_by_place), (Gesture::Hold, DoorOrder::Name, false));
        assert_eq!((config.unlocked_for, config.request_timeout), (Duration::from_secs(8), Duration::from_secs(20)));
        assert_eq!(logo_origin(config.brand.logo.as_deref().unwrap()), Some("https://cdn.example.com"));
    }

    #[test]
    fn every_bad_value_falls_back_with_one_warning_naming_its_key() {
        let cases = [
            (r#"{"brand": {"logo": "http://example.com/logo.png"}}"#, "brand.logo"),
            (r#"{"brand": {"logo": "javascript:alert(1)"}}"#, "brand.logo"),
            (r#"{"brand": {"name": ""}}"#, "brand.name"),
            (r#"{"brand": "Acme"}"#, "brand"),
            (r#"{"theme": {"light": {"accent": "blue"}}}"#, "theme.light.accent"),
            (r#"{"theme": {"dark": {"text": 12}}}"#, "theme.dark.text"),
            (r#"{"theme": {"font": "x; background: url(evil)"}}"#, "theme.font"),
            (r#"{"theme": {"radius": "huge"}}"#, "theme.radius"),
            (r#"{"theme": {"radius": "-4px"}}"#, "theme.radius"),
            (r#"{"theme": {"stylesheet": "https://evil.example/x.css"}}"#, "theme.stylesheet"),
            (r#"{"theme": {"stylesheet": "../secret.css"}}"#, "theme.stylesheet"),
            (r#"{"theme": {"mode": "sepia"}}"#, "theme.mode"),
            (r#"{"texts": {"english": {"title": "x"}}}"#, "texts.english"),
            (r#"{"texts": {"en": {"title": 5}}}"#, "texts.en.title"),
            (r#"{"contact": {"label": "Call us", "href": "javascript:alert(1)"}}"#, "contact.href"),
            (r#"{"unlock_gesture": "swipe"}"#, "unlock_gesture"),
            (r#"{"door_order": "random"}"#, "door_order"),
            (r#"{"group_by_place": "yes"}"#, "group_by_place"),
            (r#"{"unlocked_seconds": 0}"#, "unlocked_seconds"),
            (r#"{"unlocked_seconds": 600}"#, "unlocked_seconds"),
            (r#"{"language": "klingon"}"#, "language"),
        ];
        for (text, key) in cases {
            let (config, warnings) = SiteConfig::from_json(text);
            assert_eq!(warnings.len(), 1, "{text}: {warnings:?}");
            assert!(warnings[0].contains(&format!("\"{key}\"")), "{text}: {warnings:?}");
            assert_eq!(config.api_base, DEFAULT_API_BASE);
            assert_eq!(
                (config.gesture, config.door_order, config.group_by_place),
                (Gesture::Tap, DoorOrder::Api, true),
                "{text}"
            );
            assert_eq!(config.unlocked_for, DEFAULT_UNLOCKED_FOR);
            assert!(
                config.brand.logo.is_none() && config.theme.stylesheet.is_none() && config.contact.is_none(),
                "{text}"
            );
        }
    }

    #[test]
    fn poor_contrast_is_reported_per_pair() {
        let (config, warnings) = SiteConfig::from_json(
            r##"{"theme": {"light": {"accent": "#ffff00", "accent_text": "#ffffff", "background": "#ffffff"}}}"##,
        );
        assert_eq!(
            config.theme.light.get("accent", false),
            Colour::parse("#ffff00").unwrap(),
            "still applied: the operator decides"
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings.iter().all(|w| w.contains("\"theme.light\"") && w.contains("WCAG AA")));
        assert!(warnings[0].contains("accent_text on accent"));
        assert!(warnings[1].contains("accent on background"));
    }
}
