//! The visitor's language. Translations are data — `i18n/<code>.json`, one flat map of key to text
//! per language — so a translator edits JSON, never Rust; a test fails when a language lacks a key
//! or a placeholder. Only the chosen language (and English, the fallback) is parsed.

use std::cell::RefCell;
use std::collections::HashMap;

/// Every language the page speaks, with its translation file.
pub const LANGUAGES: [(&str, &str); 9] = [
    ("en", include_str!("../i18n/en.json")),
    ("de", include_str!("../i18n/de.json")),
    ("fr", include_str!("../i18n/fr.json")),
    ("es", include_str!("../i18n/es.json")),
    ("it", include_str!("../i18n/it.json")),
    ("nl", include_str!("../i18n/nl.json")),
    ("pt", include_str!("../i18n/pt.json")),
    ("ja", include_str!("../i18n/ja.json")),
    ("ar", include_str!("../i18n/ar.json")),
];

/// One language's texts.
#[derive(Clone, Debug, Default)]
struct Catalog {
    code: &'static str,
    texts: HashMap<String, String>,
}

impl Catalog {
    fn load(code: &'static str) -> Catalog {
        let source = LANGUAGES.iter().find(|(c, _)| *c == code).map_or("{}", |(_, s)| s);
        Catalog { code, texts: serde_json::from_str(source).unwrap_or_default() }
    }
}

thread_local! {
    static ACTIVE: RefCell<(Catalog, Catalog)> = RefCell::new((Catalog::load("en"), Catalog::default()));
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
        LANGUAGES.iter().map(|(code, _)| *code).find(|code| *code == primary)
    };
    link.and_then(supported)
        .or_else(|| operator.and_then(supported))
        .or_else(|| visitor.iter().find_map(|tag| supported(tag)))
        .unwrap_or("en")
}

/// Makes `code` the page's language.
pub fn activate(code: &'static str) {
    ACTIVE.with(|active| *active.borrow_mut() = (Catalog::load("en"), Catalog::load(code)));
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

    #[test]
    fn every_language_has_every_key_and_placeholder() {
        let english: HashMap<String, String> = serde_json::from_str(LANGUAGES[0].1).unwrap();
        for (code, source) in LANGUAGES {
            let texts: HashMap<String, String> =
                serde_json::from_str(source).unwrap_or_else(|e| panic!("{code}.json: {e}"));
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
    fn switching_languages() {
        activate("de");
        assert_eq!((code(), t("page.title").as_str(), is_rtl()), ("de", "Ihre Türen", false));
        activate("ar");
        assert!(is_rtl());
        assert_eq!(t("no.such.key"), "no.such.key");
        activate("en");
        assert_eq!(t_with("list.skipped_many", &[("count", "3")]), "3 doors couldn't be shown.");
    }
}
