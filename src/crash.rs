//! What happens if the app panics: the visitor gets a way out instead of a frozen page, and the
//! developer gets the details — never with the secret in them.

use crate::session;

/// Shown in place of the page after a panic, in the page's language. Plain HTML with a plain link:
/// once the app has panicked its code must not run again, so the way out needs no script.
fn crash_screen() -> String {
    let escape = |text: String| text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let (title, text, reload) = crate::i18n::crash_texts();
    format!(
        r#"<main class="page"><section class="screen problem" role="alert" data-screen="crashed">
<h1>{}</h1>
<p>{}</p>
<a class="retry" href="">{}</a>
</section></main>"#,
        escape(title),
        escape(text),
        escape(reload)
    )
}

/// Installs the panic hook. Call first thing in `main`.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let stack = js_sys::Reflect::get(&js_sys::Error::new(""), &"stack".into()).ok().and_then(|s| s.as_string());
        let details = format!("{info}\n\n{}", stack.unwrap_or_default());
        web_sys::console::error_1(&redact(&details, &session::known_secrets()).into());
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            show_crash_screen_in(&body);
        }
    }));
}

/// Replaces everything inside `container` (the page's `<body>` after a panic) with the crash screen.
pub fn show_crash_screen_in(container: &web_sys::HtmlElement) {
    container.set_inner_html(&crash_screen());
}

/// `text` with every occurrence of each secret replaced by `<secret>`.
///
/// ```
/// use portier::crash::redact;
/// assert_eq!(redact("auth KISI-GROUP-LINK abcd1234 failed", &["abcd1234".into()]), "auth KISI-GROUP-LINK <secret> failed");
/// ```
pub fn redact(text: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_owned(), |text, secret| text.replace(secret.as_str(), "<secret>"))
}
