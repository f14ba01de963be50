//! Which language the page speaks: the link's, the operator's, or the visitor's device's.

/// Every language the page speaks (`i18n/<code>.json` each). The head start in `index.html` is
/// given this list by the build.
pub const LANGUAGES: [&str; 9] = ["en", "de", "fr", "es", "it", "nl", "pt", "ja", "ar"];

/// Whether `tag` may be a language the link asks for (`&lang=de`, `&lang=pt-BR`): 2 to 8 letters
/// or hyphens.
///
/// ```
/// use domain::language::is_language_tag;
/// assert!(is_language_tag("pt-BR"));
/// assert!(!is_language_tag("de_CH") && !is_language_tag("<x>"));
/// ```
pub fn is_language_tag(tag: &str) -> bool {
    (2..=8).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
}

/// The head start's form of [`is_language_tag`], a regular expression (a test holds the two to
/// agree).
pub const LANGUAGE_TAG_PATTERN: &str = "^[A-Za-z-]{2,8}$";

/// The language to use: the link's `&lang=`, else the operator's `language` (exactly one of
/// [`LANGUAGES`]), else the first of the visitor's preferred languages that the page speaks, else
/// English. A link's or device's `de-CH` counts as `de`.
///
/// ```
/// use domain::language::choose;
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
        .or_else(|| operator.and_then(|code| LANGUAGES.into_iter().find(|known| *known == code)))
        .or_else(|| visitor.iter().find_map(|tag| supported(tag)))
        .unwrap_or("en")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pattern_and_the_rule_agree() {
        // A tiny regular-expression reading of the pattern: a class of letters and '-', 2 to 8 long.
        let by_pattern =
            |tag: &str| (2..=8).contains(&tag.len()) && tag.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
        assert_eq!(LANGUAGE_TAG_PATTERN, "^[A-Za-z-]{2,8}$", "the reading below follows this pattern");
        for tag in ["de", "pt-BR", "x", "abcdefghi", "de_CH", "é", "<x>", "--", "zh-Hant-TW", ""] {
            assert_eq!(is_language_tag(tag), by_pattern(tag), "{tag:?}");
        }
    }

    #[test]
    fn the_operator_names_a_language_exactly() {
        assert_eq!(choose(None, Some("DE"), &[]), "en", "config.json's language is one of the codes, as written");
        assert_eq!(choose(None, Some("de"), &[]), "de");
        assert_eq!(choose(Some("DE-ch"), None, &[]), "de", "the link's tag is read like a device's");
    }
}
