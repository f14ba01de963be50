//! What happens if the app panics: the visitor gets a way out instead of a frozen page, and the
//! developer gets the details — never with the secret in them.
//!
//! `console_error_panic_hook` would print the panic to the console; this hook also draws a
//! recovery screen in the visitor's language and scrubs every secret the page holds from the
//! report, which a visitor's page needs and that crate does not do.

use std::sync::OnceLock;

use crate::domain::release::VERSION;
use crate::services::i18n::Catalog;
use crate::services::session;

/// The crash screen's words in the page's language, set once the language is known (the hook may
/// run before: then it speaks English). A write-once value, not state: nothing reads it but the hook.
static WORDS: OnceLock<CrashWords> = OnceLock::new();

/// The crash screen's title, text and link label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrashWords {
    title: String,
    text: String,
    reload: String,
}

impl CrashWords {
    /// The words in `catalog`'s language.
    pub fn from(catalog: &Catalog) -> Self {
        CrashWords { title: catalog.t("crash.title"), text: catalog.t("crash.text"), reload: catalog.t("crash.reload") }
    }

    fn english() -> Self {
        CrashWords {
            title: "Something went wrong".to_owned(),
            text: "The page stopped working. Reloading it usually helps; your link is kept.".to_owned(),
            reload: "Reload".to_owned(),
        }
    }
}

/// Tells the hook which words to use (once; later calls change nothing).
pub fn speak(words: CrashWords) {
    let _ = WORDS.set(words);
}

/// Shown in place of the page after a panic, with the release's version for a support person.
/// Plain HTML with a plain link: once the app has panicked its code must not run again, so the
/// way out needs no script.
fn crash_screen(words: &CrashWords) -> String {
    let escape = |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        r#"<main class="page"><section class="screen problem" role="alert" data-screen="crashed">
<h1>{}</h1>
<p>{}</p>
<a class="retry" href="">{}</a>
<p class="support-code">portier {}</p>
</section></main>"#,
        escape(&words.title),
        escape(&words.text),
        escape(&words.reload),
        VERSION
    )
}

/// Installs the panic hook. Call first thing in `main`.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let stack = js_sys::Reflect::get(&js_sys::Error::new(""), &"stack".into()).ok().and_then(|s| s.as_string());
        let details = format!("portier {}: {info}\n\n{}", VERSION, stack.unwrap_or_default());
        web_sys::console::error_1(&redact(&details, &session::known_secrets()).into());
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            show_crash_screen_in(&body);
        }
    }));
}

/// Replaces everything inside `container` (the page's `<body>` after a panic) with the crash screen.
pub fn show_crash_screen_in(container: &web_sys::HtmlElement) {
    let english = CrashWords::english();
    container.set_inner_html(&crash_screen(WORDS.get().unwrap_or(&english)));
}

/// `text` with every occurrence of each secret replaced by `<secret>`.
///
/// ```
/// use portier::boot::crash::redact;
/// assert_eq!(redact("auth KISI-GROUP-LINK abcd1234 failed", &["abcd1234".into()]), "auth KISI-GROUP-LINK <secret> failed");
/// ```
pub fn redact(text: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_owned(), |text, secret| text.replace(secret.as_str(), "<secret>"))
}
