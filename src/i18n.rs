//! The visitor's language. Translations are data — `i18n/<code>.json`, one flat map of key to text
//! per language — so a translator edits JSON, never Rust; a test fails when a language lacks a key
//! or a placeholder.
//!
//! Only English (the fallback, and most visitors' language) is built into the app. Every other
//! language is a file of the site, fetched when chosen — usually already on its way, started by
//! the head start in `index.html` (see [`crate::api::early`]) — so nobody downloads eight
//! languages they will not read.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::json::Json;

/// Every language the page speaks (`i18n/<code>.json` each). `index.html`'s head start keeps a
/// copy of this list; a test checks they agree.
pub const LANGUAGES: [&str; 9] = ["en", "de", "fr", "es", "it", "nl", "pt", "ja", "ar"];

/// The fallback language's texts, built in: the page can always say something.
const ENGLISH: &str = include_str!("../i18n/en.json");

/// Where the site serves the other languages, relative to the page.
const FOLDER: &str = "i18n/";

/// One language's texts.
#[derive(Clone, Debug, Default)]
struct Catalog {
    code: &'static str,
    texts: HashMap<String, String>,
}

impl Catalog {
    /// Reads a translation file; `None` if it is not a flat JSON object of texts.
    fn parse(code: &'static str, source: &str) -> Option<Catalog> {
        let json = Json::parse(source).ok()?;
        let texts = json.as_object()?.iter().map(|(key, text)| Some((key.clone(), text.as_str()?.to_owned())));
        Some(Catalog { code, texts: texts.collect::<Option<_>>()? })
    }

    fn english() -> Catalog {
        Catalog::parse("en", ENGLISH).unwrap_or_default()
    }
}

thread_local! {
    static ACTIVE: RefCell<(Catalog, Catalog)> = RefCell::new((Catalog::english(), Catalog::default()));
}

/// The language to use: the link's `&lang=`, else the operator's `language`, else the first of the
/// visitor's preferred languages that the page speaks, else English. `de-CH` counts as `de`.
///
/// ```
/// use portier::i18n::choose;
/// assert_eq!(choose(None, None, &["fr-CA".into(), "en".into()]), "fr");
/// assert_eq!(choose(Some("ar"), Some("de"), &["fr".into()]), "ar");
/// assert_eq!(choose(None, None, &["xx".into()]), "en");
/// ```
pub fn choose(link: Option<&str>, operator: Option<&str>, visitor: &[String]) -> &'static str {
    let supported = |tag: &str| {
        let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        LANGUAGES.into_iter().find(|code| *code == primary)
    };
    link.and_then(supported)
        .or_else(|| operator.and_then(supported))
        .or_else(|| visitor.iter().find_map(|tag| supported(tag)))
        .unwrap_or("en")
}

/// Makes `code` the page's language, fetching its texts unless they are English or this device
/// kept them last time (then the site's current copy, which the head start requested, is kept for
/// the next visit). Returns the language now active: English if the texts could not be had
/// (offline, broken file), because a page in English beats no page — the visitor still gets their
/// doors. Call before the page narrows its policy (it may fetch).
pub async fn load(code: &'static str) -> &'static str {
    if code == "en" {
        return activate(Catalog::default());
    }
    let file = format!("{FOLDER}{code}.json");
    let kept = crate::site_cache::load(&file).and_then(|text| Some((Catalog::parse(code, &text)?, text)));
    if let Some((catalog, kept)) = kept {
        // wasm-bindgen's executor: Leptos' is only set up when the page mounts.
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(Some(fresh)) = crate::api::early::translation(code).await
                && fresh != kept
                && Catalog::parse(code, &fresh).is_some()
            {
                crate::site_cache::save(&file, &fresh);
            }
        });
        return activate(catalog);
    }
    let text = match crate::api::early::translation(code).await {
        Some(text) => text,
        None => crate::site_cache::fetch(&file).await,
    };
    match text.and_then(|text| Some((Catalog::parse(code, &text)?, text))) {
        Some((catalog, text)) => {
            crate::site_cache::save(&file, &text);
            activate(catalog)
        }
        None => activate(Catalog::default()),
    }
}

/// Makes `chosen` the active language (an empty catalog: English alone), returning its code.
/// English, the fallback, was read once when first needed and stays.
fn activate(chosen: Catalog) -> &'static str {
    ACTIVE.with(|active| active.borrow_mut().1 = chosen);
    code()
}

/// Makes `code` the page's language with the texts `source` (a translation file's content), as
/// [`load`] does after fetching it. For tests and tools that have the file at hand.
pub fn activate_with(code: &'static str, source: &str) {
    activate(Catalog::parse(code, source).unwrap_or_default());
}

/// The active language's code (`en`, `de`, …).
pub fn code() -> &'static str {
    ACTIVE.with(|active| {
        let active = active.borrow();
        if active.1.code.is_empty() { active.0.code } else { active.1.code }
    })
}

/// Whether the active language is written right to left.
pub fn is_rtl() -> bool {
    t("_direction") == "rtl"
}

/// The text for `key` in the active language (English if missing there; the key itself if missing
/// everywhere, so a gap shows instead of breaking the page).
pub fn t(key: &str) -> String {
    ACTIVE.with(|active| {
        let (english, chosen) = &*active.borrow();
        chosen.texts.get(key).or_else(|| english.texts.get(key)).cloned().unwrap_or_else(|| key.to_owned())
    })
}

/// The crash screen's title, text and link label. Safe to call from the panic hook: if the panic
/// struck while the catalog was in use, it falls back to English instead of panicking again.
pub fn crash_texts() -> (String, String, String) {
    let english = || {
        (
            "Something went wrong".to_owned(),
            "The page stopped working. Reloading it usually helps; your link is kept.".to_owned(),
            "Reload".to_owned(),
        )
    };
    ACTIVE
        .try_with(|active| {
            active.try_borrow().ok().map(|active| {
                let (english_catalog, chosen) = &*active;
                let get = |key: &str| chosen.texts.get(key).or_else(|| english_catalog.texts.get(key)).cloned();
                (get("crash.title"), get("crash.text"), get("crash.reload"))
            })
        })
        .ok()
        .flatten()
        .and_then(|(a, b, c)| Some((a?, b?, c?)))
        .unwrap_or_else(english)
}

/// [`t`] with `{name}` placeholders filled in.
///
/// ```
/// assert_eq!(portier::i18n::t_with("door.unnamed", &[("id", "42")]), "Door 42");
/// ```
pub fn t_with(key: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(t(key), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> =
            text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
        found.sort_unstable();
        found
    }

    fn source(code: &str) -> String {
        let path = format!("{}/i18n/{code}.json", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn every_language_has_every_key_and_placeholder() {
        let english = Catalog::english().texts;
        assert!(english.len() > 40, "the built-in English reads: {} texts", english.len());
        for code in LANGUAGES {
            let texts =
                Catalog::parse(code, &source(code)).unwrap_or_else(|| panic!("{code}.json: not a map of texts")).texts;
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
    fn the_head_start_knows_the_same_languages() {
        let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html")).unwrap();
        let list = html.split("const languages = [").nth(1).and_then(|rest| rest.split(']').next()).unwrap();
        let codes: Vec<&str> = list.split(',').map(|code| code.trim().trim_matches('"')).collect();
        assert_eq!(codes, LANGUAGES);
    }

    #[test]
    fn switching_languages() {
        activate_with("de", &source("de"));
        assert_eq!((code(), t("page.title").as_str(), is_rtl()), ("de", "Ihre Türen", false));
        activate_with("ar", &source("ar"));
        assert!(is_rtl());
        assert_eq!(t("no.such.key"), "no.such.key");
        activate_with("xx", "not json");
        assert_eq!((code(), t("page.title").as_str()), ("en", "Your doors"), "a broken file leaves English");
        activate(Catalog::default());
        assert_eq!(t_with("list.skipped_many", &[("count", "3")]), "3 doors couldn't be shown.");
    }
}
