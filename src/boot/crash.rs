//! What happens if the app panics, or a JavaScript exception escapes into it: the visitor gets a
//! way out instead of a frozen page, and the developer gets the details — never with the secret in
//! them.
//!
//! An exception thrown by a browser call that is not bound with `catch` unwinds through the wasm
//! without running a single destructor or the panic hook: the task that made the call stops where
//! it was, forever (a door left "Unlocking…", a `RefCell` left borrowed), while the rest of the
//! page runs on as if nothing happened. Every call that can throw is bound with `catch` where it
//! is made; this module is the net under them: an exception that still escapes reaches the
//! window's `error` event, and the page is replaced by the crash screen rather than left half
//! alive.
//!
//! `console_error_panic_hook` would print the panic to the console; this hook also draws a
//! recovery screen in the visitor's language and scrubs every secret the page holds from the
//! report, which a visitor's page needs and that crate does not do.

use std::sync::OnceLock;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::domain::release::VERSION;
use crate::services::i18n::Catalog;
use crate::services::session;

/// The crash screen's words in the page's language, set once the language is known (the hook may
/// run before: then it speaks English). A write-once value, not state: nothing reads it but the hook.
static WORDS: OnceLock<CrashWords> = OnceLock::new();

/// The crash screen's title, text, link label, and what to say when a tap was under way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrashWords {
    title: String,
    text: String,
    tapped: String,
    reload: String,
}

impl CrashWords {
    /// The words in `catalog`'s language.
    pub fn from(catalog: &Catalog) -> Self {
        CrashWords {
            title: catalog.t("crash.title"),
            text: catalog.t("crash.text"),
            tapped: catalog.t("crash.tapped"),
            reload: catalog.t("crash.reload"),
        }
    }

    fn english() -> Self {
        CrashWords {
            title: "Something went wrong".to_owned(),
            text: "The page stopped working. Reloading it usually helps; your link is kept.".to_owned(),
            tapped: "If you just tapped a door, it may have opened: check before you try again.".to_owned(),
            reload: "Reload".to_owned(),
        }
    }
}

/// Tells the hook which words to use (once; later calls change nothing).
pub fn speak(words: CrashWords) {
    let _ = WORDS.set(words);
}

/// Shown in place of the page after a panic, with the release's version for a support person;
/// `tap_under_way` adds that a door may have opened. Plain HTML with a plain link: once the app has
/// crashed its code must not run again, so the way out needs no script.
fn crash_screen(words: &CrashWords, tap_under_way: bool) -> String {
    let escape = |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let tapped =
        if tap_under_way { format!("\n<p data-crash=\"tapped\">{}</p>", escape(&words.tapped)) } else { String::new() };
    format!(
        r#"<main class="page"><section class="screen problem" role="alert" data-screen="crashed">
<h1>{}</h1>
<p>{}</p>{tapped}
<a class="retry" href="">{}</a>
<p class="support-code">portier {}</p>
</section></main>"#,
        escape(&words.title),
        escape(&words.text),
        escape(&words.reload),
        VERSION
    )
}

/// Installs the panic hook and the net for exceptions that escape into the app. Call first thing
/// in `main`.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let stack = js_sys::Reflect::get(&js_sys::Error::new(""), &"stack".into()).ok().and_then(|s| s.as_string());
        crashed(&format!("{info}\n\n{}", stack.unwrap_or_default()));
    }));
    // An uncaught exception (a throwing import, a trap after the hook ran) is reported to the
    // window's `error` event with the exception in `error`; a resource that failed to load and
    // the browser's own notices (a ResizeObserver loop) carry none, and are not crashes.
    let on_error = Closure::<dyn Fn(web_sys::ErrorEvent)>::new(|event: web_sys::ErrorEvent| {
        let error = event.error();
        if error.is_undefined() || error.is_null() {
            return;
        }
        let stack = js_sys::Reflect::get(&error, &"stack".into()).ok().and_then(|s| s.as_string());
        crashed(&format!("uncaught exception: {}\n\n{}", event.message(), stack.unwrap_or_default()));
    });
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
    }
    // Listens for the page's lifetime.
    on_error.forget();
}

/// The report to the console (scrubbed), then the crash screen — once: a panic's trap reaches
/// the `error` event after the hook has already drawn it.
fn crashed(details: &str) {
    let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
    if body.query_selector("[data-screen=crashed]").ok().flatten().is_some() {
        return;
    }
    web_sys::console::error_1(&redact(&format!("portier {VERSION}: {details}"), &session::known_secrets()).into());
    show_crash_screen_in(&body);
}

/// Replaces everything inside `container` (the page's `<body>` after a crash) with the crash
/// screen, which says a door may have opened if one was unlocking.
pub fn show_crash_screen_in(container: &web_sys::HtmlElement) {
    let english = CrashWords::english();
    let tap_under_way = container.query_selector("[data-state=unlocking]").ok().flatten().is_some();
    container.set_inner_html(&crash_screen(WORDS.get().unwrap_or(&english), tap_under_way));
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
