//! The visitor's language. Translations are data — `i18n/<code>.json`, one flat map of key to text
//! per language — so a translator edits JSON, never Rust; a test fails when a language lacks a key
//! or a placeholder.
//!
//! Only English (the fallback, and most visitors' language) is built into the app. Every other
//! language is a file of the site, fetched when chosen — usually already on its way, started by
//! the head start in `index.html` (see [`crate::services::head_start`]) — so nobody downloads
//! eight languages they will not read. The catalog is provided to the views as [`I18n`].

use std::collections::HashMap;

use leptos::prelude::{StoredValue, WithValue};

use crate::domain::door::Door;
use crate::domain::json::JsonValue;
use crate::domain::problem::Problem;
use crate::domain::unlock::UnlockState;
use crate::services::door_board::Progress;
use crate::services::head_start;
use crate::services::json::Json;
use crate::services::site_files;

/// The fallback language's texts, built in: the page can always say something.
const ENGLISH: &str = include_str!("../../i18n/en.json");

/// Where the site serves the other languages, relative to the page.
pub const FOLDER: &str = "i18n/";

/// One language's texts, with English behind them for any key the language lacks.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    code: &'static str,
    chosen: HashMap<String, String>,
    english: HashMap<String, String>,
}

impl Catalog {
    /// English alone.
    pub fn english() -> Catalog {
        Catalog { code: "en", chosen: HashMap::new(), english: parse(ENGLISH).unwrap_or_default() }
    }

    /// `code`'s `texts` over English.
    pub fn with(code: &'static str, texts: HashMap<String, String>, english: Catalog) -> Catalog {
        Catalog { code, chosen: texts, english: english.english }
    }

    /// The language's code (`en`, `de`, …).
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        self.t("_direction") == "rtl"
    }

    /// The text for `key` (English if missing here; the key itself if missing everywhere, so a gap
    /// shows instead of breaking the page).
    pub fn t(&self, key: &str) -> String {
        self.chosen.get(key).or_else(|| self.english.get(key)).cloned().unwrap_or_else(|| key.to_owned())
    }

    /// [`Catalog::t`] with `{name}` placeholders filled in.
    pub fn t_with(&self, key: &str, values: &[(&str, &str)]) -> String {
        values.iter().fold(self.t(key), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
    }

    /// What the live region says of a tap on the door `name`: `None` when there is nothing to say.
    /// The name is isolated (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE): a
    /// right-to-left name, or a hostile one with bidi controls, cannot reorder the sentence around
    /// it, as `dir="auto"` keeps it from reordering the button.
    pub fn tap_news(&self, progress: Progress, name: &str) -> Option<String> {
        let name = format!("\u{2068}{name}\u{2069}");
        let about = |key: &str| self.t_with(key, &[("door", &name)]);
        Some(match progress {
            Progress::Done(UnlockState::Ready) => return None,
            Progress::Unlocking | Progress::Done(UnlockState::Unlocking) => about("announce.unlocking"),
            Progress::StillTrying => about("announce.still_trying"),
            Progress::Done(UnlockState::Unlocked) => about("announce.unlocked"),
            Progress::Done(UnlockState::Failed(problem)) => {
                let key = problem.key();
                format!(
                    "{name}: {} {}",
                    self.t(&format!("problem.{key}.title")),
                    self.t(&format!("problem.{key}.advice"))
                )
            }
        })
    }
}

/// Reads a translation file; `None` if it is not a JSON object of texts.
fn parse(source: &str) -> Option<HashMap<String, String>> {
    texts(&Json::parse(source)?)
}

/// The texts of a parsed translation file; `None` unless it is an object whose every value is a text.
fn texts(file: &impl JsonValue) -> Option<HashMap<String, String>> {
    file.entries()?.into_iter().map(|(key, text)| Some((key, text.scalar().text()?))).collect()
}

/// The catalog for `code`: its texts fetched unless they are English or this device kept them last
/// time (then the site's current copy, which the head start requested, is kept for the next
/// visit). English if the texts cannot be had (offline, broken file), because a page in English
/// beats no page — the visitor still gets their doors. Call before the page narrows its policy
/// (it may fetch).
pub async fn load(code: &'static str) -> Catalog {
    let english = Catalog::english();
    if code == "en" {
        return english;
    }
    let file = format!("{FOLDER}{code}.json");
    if let Some((texts, kept)) = site_files::kept(&file).and_then(|text| Some((parse(&text)?, text))) {
        // wasm-bindgen's executor: Leptos' is only set up when the page mounts.
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(Some(fresh)) = head_start::translation(code).await
                && fresh != kept
                && parse(&fresh).is_some()
            {
                site_files::keep(&file, &fresh);
            }
        });
        return Catalog::with(code, texts, english);
    }
    let text = match head_start::translation(code).await {
        Some(text) => text,
        None => site_files::fetch_text(&file).await,
    };
    match text.and_then(|text| Some((parse(&text)?, text))) {
        Some((texts, text)) => {
            site_files::keep(&file, &text);
            Catalog::with(code, texts, english)
        }
        None => english,
    }
}

/// The page's catalog, as the views read it: a `Copy` handle (provided as a context).
#[derive(Clone, Copy)]
pub struct I18n(StoredValue<Catalog>);

impl I18n {
    /// Provides `catalog` to the views.
    pub fn new(catalog: Catalog) -> Self {
        I18n(StoredValue::new(catalog))
    }

    /// See [`Catalog::t`].
    pub fn t(self, key: &str) -> String {
        self.0.with_value(|catalog| catalog.t(key))
    }

    /// See [`Catalog::t_with`].
    pub fn t_with(self, key: &str, values: &[(&str, &str)]) -> String {
        self.0.with_value(|catalog| catalog.t_with(key, values))
    }

    /// The language's code.
    pub fn code(self) -> &'static str {
        self.0.with_value(Catalog::code)
    }

    /// See [`Catalog::tap_news`].
    pub fn tap_news(self, progress: Progress, name: &str) -> Option<String> {
        self.0.with_value(|catalog| catalog.tap_news(progress, name))
    }

    /// A problem's headline, in plain words.
    pub fn problem_title(self, problem: Problem) -> String {
        self.t(&format!("problem.{}.title", problem.key()))
    }

    /// What the visitor can do about a problem.
    pub fn problem_advice(self, problem: Problem) -> String {
        self.t(&format!("problem.{}.advice", problem.key()))
    }

    /// The name a door is shown by: its own, or "Door 42" for one the operator left unnamed.
    pub fn door_name(self, door: &Door) -> String {
        door.shown_name().unwrap_or_else(|| self.t_with("door.unnamed", &[("id", &door.id.to_string())]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::language::LANGUAGES;

    fn texts(code: &str) -> HashMap<String, String> {
        let path = format!("{}/i18n/{code}.json", env!("CARGO_MANIFEST_DIR"));
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let value: serde_json::Value = serde_json::from_str(&source).unwrap_or_else(|e| panic!("{path}: {e}"));
        super::texts(&value).unwrap_or_else(|| panic!("{code}.json: not a map of texts"))
    }

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> =
            text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_language_has_every_key_and_placeholder() {
        let english = texts("en");
        assert!(english.len() > 40, "the built-in English reads: {} texts", english.len());
        for code in LANGUAGES {
            let texts = texts(code);
            for (key, text) in &english {
                if key.starts_with('_') {
                    continue;
                }
                let translated = texts.get(key).unwrap_or_else(|| panic!("{code}.json lacks {key:?}"));
                assert!(!translated.trim().is_empty(), "{code}.json: {key:?} is empty");
                assert_eq!(placeholders(translated), placeholders(text), "{code}.json: {key:?} placeholders");
            }
            for key in texts.keys().filter(|k| !k.starts_with('_')) {
                assert!(english.contains_key(key), "{code}.json has {key:?}, which English does not");
            }
        }
    }

    #[test]
    fn every_problem_has_a_title_and_advice_in_english() {
        let english = texts("en");
        for problem in Problem::ALL {
            for part in ["title", "advice"] {
                let key = format!("problem.{}.{part}", problem.key());
                let text = english.get(&key).unwrap_or_else(|| panic!("en.json lacks {key}"));
                assert!(!text.trim().is_empty(), "{key}");
            }
        }
    }

    #[test]
    fn the_live_region_isolates_the_door_name() {
        let english = Catalog { code: "en", chosen: HashMap::new(), english: texts("en") };
        // A right-to-left override in a hostile name would otherwise run over the rest of the sentence.
        let hostile = "\u{202E}Vault";
        assert_eq!(
            english.tap_news(Progress::Done(UnlockState::Unlocked), hostile).as_deref(),
            Some("\u{2068}\u{202E}Vault\u{2069} unlocked. Open the door now.")
        );
        assert_eq!(english.tap_news(Progress::Unlocking, "Lift").as_deref(), Some("Unlocking \u{2068}Lift\u{2069}…"));
        let failed = english.tap_news(Progress::Done(UnlockState::Failed(Problem::DoorOffline)), "Lift").unwrap();
        assert_eq!(
            failed,
            "\u{2068}Lift\u{2069}: The door isn't responding Wait a moment and try again, or contact your host."
        );
        assert_eq!(english.tap_news(Progress::Done(UnlockState::Ready), "Lift"), None);
    }

    #[test]
    fn a_language_stands_on_english_and_says_its_direction() {
        let english = Catalog { code: "en", chosen: HashMap::new(), english: texts("en") };
        let german = Catalog::with("de", texts("de"), english.clone());
        assert_eq!((german.code(), german.t("page.title").as_str(), german.is_rtl()), ("de", "Ihre Türen", false));
        let arabic = Catalog::with("ar", texts("ar"), english.clone());
        assert!(arabic.is_rtl());
        let sparse = Catalog::with("xx", HashMap::from([("page.title".into(), "X".into())]), english);
        assert_eq!(sparse.t("door.tap"), "Tap to unlock", "a missing text is English");
        assert_eq!(sparse.t("no.such.key"), "no.such.key", "a gap shows, nothing breaks");
        assert_eq!(sparse.t_with("list.skipped_many", &[("count", "3")]), "3 doors couldn't be shown.");
    }
}
