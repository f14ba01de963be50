//! Reading `config.json`.
//!
//! A broken or missing file never stops the page: every key is read on its own, and one that
//! cannot be used falls back to its default with one warning naming it (on the console; in the demo
//! also on screen); unknown keys are reported the same way, keys starting with `_` are comments.
//! Colour pairs that fail WCAG AA contrast are reported too.
//!
//! The parsed file (a [`JsonValue`]: the browser's `JSON.parse` result in the page, serde_json's in
//! the link tool) becomes a [`Value`] — objects and leaves by their own kind ([`Scalar`]), no
//! deeper than a configuration goes, lists and anything deeper not walked. Then
//! plain functions read it: each object of the file is a [`Section`] read key by key, each leaf
//! checked as a typed [`Setting`] (`ApiBase`, `Text<80>`, `Colour`, …). Values are read leniently
//! (see [`crate::lenient`]).

use std::collections::BTreeMap;
use std::fmt::Display;
use std::time::Duration;

use super::colour::Colour;
use super::doors::{DoorOverride, DoorOverrides};
use super::theme::{Palette, Role, Scheme, Theme, ThemeMode};
use super::urls::{self, DEFAULT_API_BASE};
use super::{
    Brand, CONFIG_PATH, Contact, DEFAULT_REQUEST_TIMEOUT, DEFAULT_UNLOCKED_FOR, DoorOrder, Gesture,
    REQUEST_TIMEOUT_RANGE_MS, SiteConfig, Texts,
};
use crate::door::DoorId;
use crate::json::{JsonValue, Kind};
use crate::language::LANGUAGES;
use crate::lenient::Scalar;

/// Reads a parsed `config.json`. Never fails: anything unusable means the default, with a warning.
///
/// ```
/// use domain::config::read::read_config;
/// let file = serde_json::json!({"api_base": "http://127.0.0.1:8787/", "unlocked_seconds": 0});
/// let (config, warnings) = read_config(&file);
/// assert_eq!(config.api_base, "http://127.0.0.1:8787");
/// assert_eq!(warnings, ["config.json: \"unlocked_seconds\" must be a whole number from 1 to 60; using 5"]);
/// ```
pub fn read_config(file: impl JsonValue) -> (SiteConfig, Vec<String>) {
    match Value::read(&file, MAX_DEPTH) {
        // By the value's own kind: a string or a list is not an object, however it iterates.
        file @ Value::Object(_) => {
            let mut warnings = Vec::new();
            let config = Reader::root(&mut warnings).section(&file);
            (config, warnings)
        }
        _ => (SiteConfig::default(), vec![format!("{CONFIG_PATH}: expected a JSON object; using defaults")]),
    }
}

/// A value of `config.json` as the reader sees it: an object (its entries in the file's order, a
/// key written twice as often as it was) or a leaf by its own kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// An object.
    Object(Vec<(String, Value)>),
    /// Anything else: a string, a whole number, a flag, or (a list, another number, `null`, an
    /// object deeper than [`MAX_DEPTH`]) nothing a setting can be.
    Leaf(Scalar),
}

/// How deep objects nest in a configuration (`demo_themes.<name>.light.accent`: four objects).
/// Deeper ones are not walked: a hostile `{"a":{"a":…}}` costs nothing, whatever its depth.
pub const MAX_DEPTH: u8 = 4;

impl Value {
    /// `file` with at most `depth` objects nested, the outermost included: a deeper object is a
    /// leaf (nothing), skipped without being walked, as a list is.
    fn read(file: &impl JsonValue, depth: u8) -> Value {
        match file.kind() {
            Kind::Object if depth > 0 => Value::Object(
                file.entries()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(key, value)| (key, Value::read(&value, depth - 1)))
                    .collect(),
            ),
            kind => Value::Leaf(kind.scalar()),
        }
    }
}

/// Every top-level key of `config.json`, as the reader knows them. Held to the reader, README's
/// configuration table and the property generator (`tests/properties.rs`) by tests, so a key added
/// to one and not the others fails.
pub const KEYS: [&str; 15] = [
    "api_base",
    "request_timeout_ms",
    "brand",
    "theme",
    "texts",
    "contact",
    "unlock_gesture",
    "door_order",
    "group_by_place",
    "doors",
    "unlocked_seconds",
    "language",
    "offline",
    "demo",
    "demo_themes",
];

/// The warning for a file that is not JSON at all, which the page refuses whole: nothing it says
/// can be trusted, so no request is sent (the visitor is told [`Problem::SiteSettings`]). `why` is
/// the parser's own words; where they do not say where (WebKit's do not), the warning says so and
/// who does.
///
/// [`Problem::SiteSettings`]: crate::problem::Problem::SiteSettings
///
/// ```
/// use domain::config::read::not_json;
/// let said = not_json("Expected double-quoted property name in JSON at position 42 (line 3 column 1)");
/// assert_eq!(said, "config.json is not valid JSON: Expected double-quoted property name in JSON at position 42 (line 3 column 1); nothing is sent to Kisi until it is");
/// assert!(not_json("JSON Parse error: Expected '}'").contains("portier-links check"));
/// ```
pub fn not_json(why: &str) -> String {
    let place =
        if why.contains("line") { "" } else { " (this browser does not say where: `portier-links check` does)" };
    format!("{CONFIG_PATH} is not valid JSON: {why}{place}; nothing is sent to Kisi until it is")
}

/// The warning for a site without the file.
pub fn missing() -> String {
    format!("{CONFIG_PATH} not found on the site; using defaults")
}

/// The warning for a file the site did not answer for (yet).
pub fn unreachable() -> String {
    format!("{CONFIG_PATH} could not be loaded; using defaults, and nothing is sent until it is")
}

/// A value type of `config.json`, and what it must be.
pub trait Setting: Sized {
    /// The setting, from the value as read; `None` when the value is not one.
    fn from_value(value: Scalar) -> Option<Self>;

    /// What the warning says after the key when the value is not one: "must be …; using …".
    fn rule() -> String;
}

/// A string setting, trimmed and checked by `check`.
fn checked_text<T>(value: Scalar, check: impl FnOnce(&str) -> bool, wrap: impl FnOnce(String) -> T) -> Option<T> {
    let text = value.text()?;
    let text = text.trim();
    check(text).then(|| wrap(text.to_owned()))
}

/// Where reading is in the file (the key path, `theme.light.accent`), and the warnings so far.
pub struct Reader<'w> {
    path: String,
    warnings: &'w mut Vec<String>,
}

impl<'w> Reader<'w> {
    fn root(warnings: &'w mut Vec<String>) -> Self {
        Reader { path: String::new(), warnings }
    }

    /// The reader for `key` inside this one.
    fn at(&mut self, key: &str) -> Reader<'_> {
        let path = if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) };
        Reader { path, warnings: &mut *self.warnings }
    }

    /// Warns about the value at this path.
    pub fn warn(&mut self, problem: impl Display) {
        self.warnings.push(format!("{CONFIG_PATH}: \"{}\" {problem}", self.path));
    }

    /// The current key's value as a `T`; `None`, with a warning, when it is not one.
    pub fn value<T: Setting>(&mut self, value: &Value) -> Option<T> {
        let read = T::from_value(value.scalar());
        if read.is_none() {
            self.warn(T::rule());
        }
        read
    }

    /// The current key's value as `true` or `false`; `default`, with a warning that says so, when
    /// it is neither. (The key knows its default, not the kind: `offline` falls back to true,
    /// `demo` to false.)
    pub fn flag(&mut self, value: &Value, default: bool) -> bool {
        let read = value.scalar().flag();
        if read.is_none() {
            self.warn(format_args!("must be true or false; using {default}"));
        }
        read.unwrap_or(default)
    }

    /// The current key's value as a section, read key by key; the default, with a warning, when it
    /// is not an object.
    pub fn section<S: Section>(&mut self, value: &Value) -> S {
        let Value::Object(entries) = value else {
            self.warn("must be an object; ignored");
            return S::default();
        };
        let mut section = S::default();
        for (key, value) in entries {
            let mut at = self.at(key);
            if !section.read(key, value, &mut at) && !key.starts_with('_') {
                at.warn("is not a setting; ignored");
            }
        }
        section.finish(self);
        section
    }
}

impl Value {
    /// The value as a leaf reader sees it (an object is no leaf).
    fn scalar(&self) -> Scalar {
        match self {
            Value::Leaf(scalar) => scalar.clone(),
            Value::Object(_) => Scalar::Other,
        }
    }
}

/// An object of `config.json`, read key by key.
pub trait Section: Default {
    /// Reads `key`'s `value` (through `at`, which knows the key's path). `false` when `key` is not
    /// a key of this section: its value is then ignored, with a warning unless the key is a
    /// comment (`_…`).
    fn read(&mut self, key: &str, value: &Value, at: &mut Reader) -> bool;

    /// Checks what concerns several keys, once all are read.
    fn finish(&mut self, _at: &mut Reader) {}
}

// ---- The settings ----

/// `api_base`.
struct ApiBase(String);

impl Setting for ApiBase {
    fn from_value(value: Scalar) -> Option<Self> {
        value.text().as_deref().and_then(urls::api_base).map(ApiBase)
    }

    fn rule() -> String {
        format!(
            "must be an https:// URL (http:// only for localhost) or a path on this site like /kisi; using {DEFAULT_API_BASE}"
        )
    }
}

/// A whole number within `MIN..=MAX`.
struct Whole<const MIN: u64, const MAX: u64>(u64);

impl<const MIN: u64, const MAX: u64> Whole<MIN, MAX> {
    /// The value, if it is a whole number within `MIN..=MAX`.
    fn within(value: Scalar) -> Option<Self> {
        value.whole().filter(|n| (MIN..=MAX).contains(n)).map(Whole)
    }
}

/// `request_timeout_ms`.
type RequestTimeoutMs = Whole<{ REQUEST_TIMEOUT_RANGE_MS.0 }, { REQUEST_TIMEOUT_RANGE_MS.1 }>;

impl Setting for RequestTimeoutMs {
    fn from_value(value: Scalar) -> Option<Self> {
        Whole::within(value)
    }

    fn rule() -> String {
        let (min, max) = REQUEST_TIMEOUT_RANGE_MS;
        format!("must be a whole number from {min} to {max}; using {}", DEFAULT_REQUEST_TIMEOUT.as_millis())
    }
}

/// `unlocked_seconds`.
type UnlockedSeconds = Whole<1, 60>;

impl Setting for UnlockedSeconds {
    fn from_value(value: Scalar) -> Option<Self> {
        Whole::within(value)
    }

    fn rule() -> String {
        format!("must be a whole number from 1 to 60; using {}", DEFAULT_UNLOCKED_FOR.as_secs())
    }
}

/// The most characters of a brand name, a door's name, a title (and a contact's label).
pub const NAME_CHARS: usize = 80;
/// The most characters of an intro line.
pub const INTRO_CHARS: usize = 300;
/// The most characters of a door's note (and of a footer).
pub const NOTE_CHARS: usize = 200;

/// A text of 1 to `MAX` characters (after trimming) without control characters.
struct Text<const MAX: usize>(String);

impl<const MAX: usize> Setting for Text<MAX> {
    fn from_value(value: Scalar) -> Option<Self> {
        checked_text(
            value,
            |text| !text.is_empty() && text.chars().count() <= MAX && !text.chars().any(char::is_control),
            Text,
        )
    }

    fn rule() -> String {
        format!("must be a text of 1 to {MAX} characters; ignored")
    }
}

/// Checked strings: each a string that `$check` accepts (trimmed), with its rule.
macro_rules! checked_string {
    ($(#[$doc:meta])* $name:ident, $check:expr, $rule:expr) => {
        $(#[$doc])*
        struct $name(String);

        impl Setting for $name {
            fn from_value(value: Scalar) -> Option<Self> {
                checked_text(value, $check, $name)
            }

            fn rule() -> String {
                $rule.to_owned()
            }
        }
    };
}

checked_string!(
    /// `theme.font`: a plain CSS font stack, nothing that could end the declaration.
    FontStack,
    |font: &str| {
        !font.is_empty() && font.chars().count() <= 200 && !font.contains([';', '{', '}', '<', '>', '\\'])
            && !font.chars().any(char::is_control)
    },
    "must be a plain CSS font stack of 1 to 200 characters; ignored"
);
checked_string!(
    /// `brand.logo`.
    LogoUrl,
    urls::is_logo_url,
    "must be an https:// URL or an image on this site; ignored"
);
checked_string!(
    /// `theme.radius`.
    Radius,
    urls::is_css_length,
    "must be a length like 12px or 0.75rem; using the default"
);
checked_string!(
    /// `theme.stylesheet`.
    Stylesheet,
    |path: &str| urls::is_site_path(path) && path.ends_with(".css"),
    "must be a .css file on this site (a relative path); ignored"
);
checked_string!(
    /// `contact.href`.
    ContactHref,
    urls::is_contact_href,
    "must be a tel: or mailto: link; the contact line is not shown"
);
checked_string!(
    /// `language`: exactly one of the page's languages.
    Language,
    |code: &str| LANGUAGES.contains(&code),
    format!("must be one of {}; following the visitor's device", LANGUAGES.join(", "))
);

impl Setting for Colour {
    fn from_value(value: Scalar) -> Option<Self> {
        Colour::parse(&value.text()?)
    }

    fn rule() -> String {
        "must be a colour (#rgb or #rrggbb); using the default".to_owned()
    }
}

/// One of a setting's choices, by name.
fn chosen<T: Copy>(value: Scalar, choices: &[(&str, T)]) -> Option<T> {
    let name = value.text()?;
    choices.iter().find(|(known, _)| *known == name).map(|(_, choice)| *choice)
}

/// "must be one of a, b; using the default".
fn one_of<T>(choices: &[(&str, T)]) -> String {
    let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
    format!("must be one of {}; using the default", names.join(", "))
}

/// `unlock_gesture`.
const GESTURES: [(&str, Gesture); 2] = [("tap", Gesture::Tap), ("hold", Gesture::Hold)];
/// `door_order`.
const ORDERS: [(&str, DoorOrder); 2] = [("api", DoorOrder::Api), ("name", DoorOrder::Name)];
/// `theme.mode`.
const MODES: [(&str, ThemeMode); 3] =
    [("system", ThemeMode::System), ("light", ThemeMode::Light), ("dark", ThemeMode::Dark)];

impl Setting for Gesture {
    fn from_value(value: Scalar) -> Option<Self> {
        chosen(value, &GESTURES)
    }

    fn rule() -> String {
        one_of(&GESTURES)
    }
}

impl Setting for DoorOrder {
    fn from_value(value: Scalar) -> Option<Self> {
        chosen(value, &ORDERS)
    }

    fn rule() -> String {
        one_of(&ORDERS)
    }
}

impl Setting for ThemeMode {
    fn from_value(value: Scalar) -> Option<Self> {
        chosen(value, &MODES)
    }

    fn rule() -> String {
        one_of(&MODES)
    }
}

// ---- The sections ----

impl Section for SiteConfig {
    fn read(&mut self, key: &str, value: &Value, at: &mut Reader) -> bool {
        match key {
            "api_base" => {
                if let Some(ApiBase(base)) = at.value(value) {
                    self.api_base = base;
                }
            }
            "request_timeout_ms" => {
                if let Some(Whole(ms)) = at.value::<RequestTimeoutMs>(value) {
                    self.request_timeout = Duration::from_millis(ms);
                }
            }
            "brand" => self.brand = at.section(value),
            "theme" => self.theme = at.section(value),
            "texts" => self.texts = at.section::<TextsByLanguage>(value).0,
            "contact" => self.contact = at.section::<ContactSection>(value).contact(),
            "unlock_gesture" => self.gesture = at.value(value).unwrap_or_default(),
            "door_order" => self.door_order = at.value(value).unwrap_or_default(),
            "group_by_place" => self.group_by_place = at.flag(value, true),
            "doors" => self.doors = at.section(value),
            "unlocked_seconds" => {
                if let Some(Whole(seconds)) = at.value::<UnlockedSeconds>(value) {
                    self.unlocked_for = Duration::from_secs(seconds);
                }
            }
            "language" => self.language = at.value::<Language>(value).map(|Language(code)| code),
            "offline" => self.offline = at.flag(value, true),
            "demo" => self.demo = at.flag(value, false),
            "demo_themes" => self.demo_themes = at.section::<NamedThemes>(value).0,
            _ => return false,
        }
        true
    }
}

impl Section for Brand {
    fn read(&mut self, key: &str, value: &Value, at: &mut Reader) -> bool {
        match key {
            "name" => self.name = at.value::<Text<NAME_CHARS>>(value).map(|Text(name)| name),
            "logo" => self.logo = at.value::<LogoUrl>(value).map(|LogoUrl(logo)| logo),
            _ => return false,
        }
        true
    }
}

impl Section for Theme {
    fn read(&mut self, key: &str, value: &Value, at: &mut Reader) -> bool {
        match key {
            "light" => self.light = at.section(value),
            "dark" => self.dark = at.section(value),
            "mode" => self.mode = at.value(value).unwrap_or_default(),
            "font" => self.font = at.value::<FontStack>(value).map(|FontStack(font)| font),
            "radius" => self.radius = at.value::<Radius>(value).map(|Radius(radius)| radius),
            "stylesheet" => self.stylesheet = at.value::<Stylesheet>(value).map(|Stylesheet(path)| path),
            _ => return false,
        }
        true
    }

    fn finish(&mut self, at: &mut Reader) {
        for scheme in Scheme::BOTH {
            for problem in self.palette(scheme).contrast_problems(scheme) {
                at.at(scheme.name()).warn(problem);
            }
        }
    }
}

impl Section for Palette {
    fn read(&mut self, key: &str, value: &Value, at: &mut Reader) -> bool {
        let Some(role) = Role::from_key(key) else { return false };
        if let Some(colour) = at.value(value) {
            self.set(role, colour);
        }
        true
    }
}

/// `texts`: the operator's texts by language code.
#[derive(Default)]
struct TextsByLanguage(BTreeMap<String, Texts>);

impl Section for TextsByLanguage {
    fn read(&mut self, key: &str, value: &Value, at: &mut Reader) -> bool {
        if key.starts_with('_') {
            return false;
        }
        if (2..=3).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_lowercase()) {
            let texts = at.section(value);
            self.0.insert(key.to_owned(), texts);
        } else {
            at.warn("must be a language code like en or de; ignored");
        }
        true
    }
}

impl Section for Texts {
    fn read(&mut self, key: &str, value: &Value, at: &mut Reader) -> bool {
        match key {
            "title" => self.title = at.value::<Text<NAME_CHARS>>(value).map(|Text(text)| text),
            "intro" => self.intro = at.value::<Text<INTRO_CHARS>>(value).map(|Text(text)| text),
            "help" => self.help = at.value::<Text<600>>(value).map(|Text(text)| text),
            "footer" => self.footer = at.value::<Text<NOTE_CHARS>>(value).map(|Text(text)| text),
            _ => return false,
        }
        true
    }
}

/// `doors`: each door's settings under its Kisi lock id (`"4021": {"note": "…"}`).
impl Section for DoorOverrides {
    fn read(&mut self, key: &str, value: &Value, at: &mut Reader) -> bool {
        if key.starts_with('_') {
            return false;
        }
        match key.parse::<u64>() {
            Ok(id) if key.bytes().all(|b| b.is_ascii_digit()) => {
                let door = at.section(value);
                self.0.push((DoorId(id), door));
            }
            _ => {
                at.warn("must be a door's id (a whole number, as portier-links doors lists it); ignored");
            }
        }
        true
    }
}

impl Section for DoorOverride {
    fn read(&mut self, key: &str, value: &Value, at: &mut Reader) -> bool {
        match key {
            "name" => self.name = at.value::<Text<NAME_CHARS>>(value).map(|Text(name)| name),
            "note" => self.note = at.value::<Text<NOTE_CHARS>>(value).map(|Text(note)| note),
            "hidden" => self.hidden = at.flag(value, false),
            _ => return false,
        }
        true
    }
}

/// `contact`: shown only with both a label and a usable link.
#[derive(Default)]
struct ContactSection {
    label: Option<String>,
    label_given: bool,
    href: Option<String>,
    href_given: bool,
}

impl ContactSection {
    fn contact(self) -> Option<Contact> {
        Some(Contact { label: self.label?, href: self.href? })
    }
}

impl Section for ContactSection {
    fn read(&mut self, key: &str, value: &Value, at: &mut Reader) -> bool {
        match key {
            "label" => {
                self.label_given = true;
                self.label = at.value::<Text<80>>(value).map(|Text(label)| label);
            }
            "href" => {
                self.href_given = true;
                self.href = at.value::<ContactHref>(value).map(|ContactHref(href)| href);
            }
            _ => return false,
        }
        true
    }

    fn finish(&mut self, at: &mut Reader) {
        // A contact line needs both: say which one is missing rather than show nothing silently.
        if !self.label_given {
            at.at("label").warn(<Text<80>>::rule());
        }
        if !self.href_given {
            at.at("href").warn(ContactHref::rule());
        }
    }
}

/// `demo_themes`: example themes by name.
#[derive(Default)]
struct NamedThemes(Vec<(String, Theme)>);

impl Section for NamedThemes {
    fn read(&mut self, key: &str, value: &Value, at: &mut Reader) -> bool {
        if key.starts_with('_') {
            return false;
        }
        let theme = at.section(value);
        self.0.push((key.to_owned(), theme));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// Reads `config.json`'s text as the page does: parsed first (here by serde_json, in the page
    /// by the browser), then read.
    fn from_text(text: &str) -> (SiteConfig, Vec<String>) {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => read_config(&value),
            Err(why) => (SiteConfig::default(), vec![not_json(&why.to_string())]),
        }
    }

    #[test]
    fn objects_are_walked_no_deeper_than_a_configuration_goes() {
        let object = |key: &str, value: super::Value| super::Value::Object(vec![(key.to_owned(), value)]);
        let file = json!({"a": {"b": {"c": {"d": {"e": 1}}}}});
        // Four objects deep (`demo_themes.<name>.light.accent`'s depth): the fifth is a leaf, unread.
        let expected = object("a", object("b", object("c", object("d", super::Value::Leaf(Scalar::Other)))));
        assert_eq!(super::Value::read(&&file, MAX_DEPTH), expected);
        assert_eq!(super::Value::read(&&file, 0), super::Value::Leaf(Scalar::Other), "no depth: not even the file");
    }

    #[test]
    fn a_missing_or_unreachable_file_is_named_with_what_is_used_instead() {
        assert_eq!(missing(), "config.json not found on the site; using defaults");
        assert_eq!(unreachable(), "config.json could not be loaded; using defaults, and nothing is sent until it is");
    }

    #[test]
    fn each_warning_says_what_the_value_must_be_and_what_is_used_instead() {
        let (config, mut warnings) = read_config(json!({
            "api_base": 42, "request_timeout_ms": 1, "brand": {"name": 5}, "theme": {"light": {"accent": "nope"},
            "mode": "blue"}, "unlock_gesture": "wave", "door_order": "random", "doors": {"+7": {"name": "x"}}
        }));
        warnings.sort();
        let must = |key: &str, rule: &str| format!("config.json: \"{key}\" must be {rule}");
        assert_eq!(
            warnings,
            [
                must(
                    "api_base",
                    "an https:// URL (http:// only for localhost) or a path on this site like /kisi; using https://api.kisi.io"
                ),
                must("brand.name", "a text of 1 to 80 characters; ignored"),
                must("door_order", "one of api, name; using the default"),
                must("doors.+7", "a door's id (a whole number, as portier-links doors lists it); ignored"),
                must("request_timeout_ms", "a whole number from 1000 to 120000; using 15000"),
                must("theme.light.accent", "a colour (#rgb or #rrggbb); using the default"),
                must("theme.mode", "one of system, light, dark; using the default"),
                must("unlock_gesture", "one of tap, hold; using the default"),
            ]
        );
        assert_eq!(config.doors.get(DoorId(7)), None, "\"+7\" is no door's id, though it reads as 7");
    }

    #[test]
    fn defaults_when_empty() {
        assert_eq!(read_config(json!({})), (SiteConfig::default(), vec![]));
    }

    #[test]
    fn the_api_base_and_its_warning() {
        let (config, warnings) = read_config(json!({"api_base": "https://kisi.example.com/proxy/"}));
        assert_eq!((config.api_base.as_str(), warnings.len()), ("https://kisi.example.com/proxy", 0));
        for bad in [json!("http://api.kisi.io"), json!("javascript:alert(1)"), json!(42), json!(null)] {
            let (config, warnings) = read_config(json!({ "api_base": bad }));
            assert_eq!(config.api_base, DEFAULT_API_BASE, "{bad}");
            assert_eq!(warnings.len(), 1, "{bad}");
            assert!(warnings[0].contains("\"api_base\""), "{warnings:?}");
        }
    }

    #[test]
    fn a_flags_warning_says_the_value_that_is_really_used() {
        let (config, warnings) = from_text(r#"{"demo": "yes", "offline": "no", "group_by_place": 1}"#);
        assert_eq!((config.demo, config.offline, config.group_by_place), (false, true, true));
        assert_eq!(
            warnings,
            [
                "config.json: \"demo\" must be true or false; using false",
                "config.json: \"group_by_place\" must be true or false; using true",
                "config.json: \"offline\" must be true or false; using true",
            ]
        );
        let (config, warnings) = from_text(r#"{"doors": {"7": {"hidden": "yes"}}}"#);
        assert_eq!(config.doors.get(DoorId(7)).map(|door| door.hidden), Some(false));
        assert_eq!(warnings, ["config.json: \"doors.7.hidden\" must be true or false; using false"]);
    }

    #[test]
    fn request_timeout_is_bounded() {
        let (config, warnings) = from_text(r#"{"request_timeout_ms": 2500}"#);
        assert_eq!((config.request_timeout, warnings.len()), (Duration::from_millis(2500), 0));
        for bad in ["0", "999", "120001", "-5", "1.5", "\"10\"", "null"] {
            let (config, warnings) = from_text(&format!(r#"{{"request_timeout_ms": {bad}}}"#));
            assert_eq!((config.request_timeout, warnings.len()), (DEFAULT_REQUEST_TIMEOUT, 1), "{bad}");
        }
    }

    #[test]
    fn broken_files_fall_back_to_defaults() {
        for text in ["", "{", "[1]", "null", "<html>not found</html>", "\"config\"", "42"] {
            let (config, warnings) = from_text(text);
            assert_eq!(config, SiteConfig::default(), "{text:?}");
            assert_eq!(warnings.len(), 1, "{text:?}");
        }
    }

    #[test]
    fn the_key_list_is_the_readers() {
        for key in KEYS {
            let (_, warnings) = read_config(json!({ key: [[1]] }));
            assert!(warnings.iter().all(|w| !w.contains("is not a setting")), "{key}: {warnings:?}");
        }
        // Every key the README documents at the top level is a key of the reader, and the other way round.
        let readme = include_str!("../../../README.md");
        let table = readme.split("| `api_base` |").nth(1).expect("README's configuration table");
        let table = &table[..table.find("\n\n").unwrap_or(table.len())];
        let documented: std::collections::BTreeSet<&str> = std::iter::once("api_base")
            .chain(table.lines().filter_map(|row| row.strip_prefix("| `")?.split(['`', '.']).next()))
            .collect();
        assert_eq!(documented, KEYS.into_iter().collect(), "README's table and the reader's keys");
    }

    #[test]
    fn unknown_keys_warn_and_comments_do_not() {
        let (_, warnings) =
            read_config(json!({"_comment": "hi", "colour": "red", "theme": {"_note": 1, "shade": [[[[2]]]]}}));
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
        "doors": {"_comment": "by Kisi lock id", "101": {"name": "Front door", "note": "Pull firmly after the click"},
                  "102": {"hidden": true}},
        "unlocked_seconds": 8,
        "request_timeout_ms": 20000,
        "language": "de",
        "offline": false,
        "demo": true,
        "demo_themes": {"Plain": {}}
    }"##;

    #[test]
    fn every_key_is_read() {
        let (config, warnings) = from_text(FULL);
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(
            config.brand,
            Brand { name: Some("Acme Works".into()), logo: Some("https://cdn.example.com/acme.svg".into()) }
        );
        assert_eq!(config.theme.mode, ThemeMode::Dark);
        assert_eq!(config.theme.light.get(Role::Accent, Scheme::Light), Colour::parse("#1d4ed8").unwrap());
        assert_eq!(
            config.theme.dark.get(Role::Background, Scheme::Dark),
            super::super::theme::default_palette(Scheme::Dark)[Role::Background as usize],
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
        assert_eq!((config.language.as_deref(), config.demo), (Some("de"), true));
        assert!(!config.offline, "the worker's kill switch");
        assert!(from_text("{}").0.offline, "offline start is on unless switched off");
        assert_eq!(config.demo_themes, vec![("Plain".to_owned(), Theme::default())]);
        let front = DoorOverride {
            name: Some("Front door".into()),
            note: Some("Pull firmly after the click".into()),
            hidden: false,
        };
        let hidden = DoorOverride { hidden: true, ..DoorOverride::default() };
        assert_eq!(config.doors, DoorOverrides(vec![(DoorId(101), front), (DoorId(102), hidden)]));
    }

    #[test]
    fn every_bad_value_falls_back_with_one_warning_naming_its_key() {
        let cases = [
            (r#"{"brand": {"logo": "http://example.com/logo.png"}}"#, "brand.logo"),
            (r#"{"brand": {"logo": "javascript:alert(1)"}}"#, "brand.logo"),
            (r#"{"brand": {"name": ""}}"#, "brand.name"),
            (r#"{"brand": "Acme"}"#, "brand"),
            (r#"{"doors": {"front": {"note": "Pull"}}}"#, "doors.front"),
            (r#"{"doors": {"-1": {"hidden": true}}}"#, "doors.-1"),
            (r#"{"doors": {"7": {"note": ""}}}"#, "doors.7.note"),
            (r#"{"doors": {"7": {"hidden": "yes please"}}}"#, "doors.7.hidden"),
            (r#"{"doors": {"7": {"label": "x"}}}"#, "doors.7.label"),
            (r#"{"doors": ["7"]}"#, "doors"),
            (r#"{"theme": {"light": {"accent": "blue"}}}"#, "theme.light.accent"),
            (r#"{"theme": {"dark": {"text": 12}}}"#, "theme.dark.text"),
            (r##"{"theme": {"light": {"glow": "#fff"}}}"##, "theme.light.glow"),
            (r#"{"theme": {"font": "x; background: url(evil)"}}"#, "theme.font"),
            (r#"{"theme": {"radius": "huge"}}"#, "theme.radius"),
            (r#"{"theme": {"radius": "-4px"}}"#, "theme.radius"),
            (r#"{"theme": {"stylesheet": "https://evil.example/x.css"}}"#, "theme.stylesheet"),
            (r#"{"theme": {"stylesheet": "../secret.css"}}"#, "theme.stylesheet"),
            (r#"{"theme": {"mode": "sepia"}}"#, "theme.mode"),
            (r#"{"theme": [1, 2]}"#, "theme"),
            (r#"{"texts": {"english": {"title": "x"}}}"#, "texts.english"),
            (r#"{"texts": {"en": {"title": 5}}}"#, "texts.en.title"),
            (r#"{"texts": {"en": {"title": "a\u0007b"}}}"#, "texts.en.title"),
            (r#"{"contact": {"label": "Call us", "href": "javascript:alert(1)"}}"#, "contact.href"),
            (r#"{"contact": {"label": "Call us"}}"#, "contact.href"),
            (r#"{"contact": {"href": "tel:+4930123"}}"#, "contact.label"),
            (r#"{"demo": "yes"}"#, "demo"),
            (r#"{"offline": "no"}"#, "offline"),
            (r#"{"unlock_gesture": "swipe"}"#, "unlock_gesture"),
            (r#"{"door_order": "random"}"#, "door_order"),
            (r#"{"group_by_place": "yes"}"#, "group_by_place"),
            (r#"{"unlocked_seconds": 0}"#, "unlocked_seconds"),
            (r#"{"unlocked_seconds": 600}"#, "unlocked_seconds"),
            (r#"{"language": "klingon"}"#, "language"),
            (r#"{"language": "DE"}"#, "language"),
        ];
        for (text, key) in cases {
            let (config, warnings) = from_text(text);
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
    fn one_bad_value_costs_only_its_key() {
        let (config, warnings) = read_config(json!({
            "brand": {"name": 7, "logo": "brand/logo.svg"},
            "unlocked_seconds": "ten",
            "door_order": "name"
        }));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!((config.brand.logo.as_deref(), config.door_order), (Some("brand/logo.svg"), DoorOrder::Name));
    }

    #[test]
    fn poor_contrast_is_reported_per_pair() {
        let (config, warnings) = read_config(
            json!({"theme": {"light": {"accent": "#ffff00", "accent_text": "#ffffff", "background": "#ffffff"}}}),
        );
        assert_eq!(
            config.theme.light.get(Role::Accent, Scheme::Light),
            Colour::parse("#ffff00").unwrap(),
            "still applied: the operator decides"
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings.iter().all(|w| w.contains("\"theme.light\"") && w.contains("WCAG AA")));
        assert!(warnings[0].contains("accent_text on accent"));
        assert!(warnings[1].contains("accent on background"));
    }
}
