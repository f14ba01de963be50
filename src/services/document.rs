//! What the page sets on the document itself: the theme's custom properties, the language and
//! writing direction, the title.

use wasm_bindgen::JsCast;

use crate::domain::config::theme::{Scheme, Theme, ThemeMode, all_properties};

/// Puts `theme` on the document: custom properties through the CSSOM (which a strict
/// Content-Security-Policy allows, unlike a `style` attribute), the mode as `data-theme`, the
/// stylesheet as a `<link>`. Values an earlier theme set and this one does not are removed, so
/// themes can be switched.
pub fn apply_theme(theme: &Theme) {
    let document = leptos::prelude::document();
    let Some(root) = document.document_element().and_then(|root| root.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return;
    };
    let style = root.style();
    for property in all_properties() {
        let _ = style.remove_property(&property);
    }
    for (property, value) in theme.properties() {
        let _ = style.set_property(&property, &value);
    }
    let _ = match theme.mode {
        ThemeMode::System => root.remove_attribute("data-theme"),
        ThemeMode::Light => root.set_attribute("data-theme", "light"),
        ThemeMode::Dark => root.set_attribute("data-theme", "dark"),
    };
    set_browser_colours(theme);
    if let Some(href) = &theme.stylesheet
        && let (Some(head), Ok(link)) = (document.head(), document.create_element("link"))
    {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", href);
        let _ = head.append_child(&link);
    }
}

/// The browser's bars (and an installed page's window) in the page's background colour: one
/// `<meta name="theme-color">` for a light device and one for a dark one.
fn set_browser_colours(theme: &Theme) {
    let document = leptos::prelude::document();
    let Some(head) = document.head() else { return };
    for (scheme, colour) in Scheme::BOTH.into_iter().zip(theme.browser_colours()) {
        let media = format!("(prefers-color-scheme: {})", scheme.name());
        let selector = format!("meta[name=\"theme-color\"][media=\"{media}\"]");
        let meta = match document.query_selector(&selector) {
            Ok(Some(meta)) => meta,
            _ => match document.create_element("meta") {
                Ok(meta) => {
                    let _ = meta.set_attribute("name", "theme-color");
                    let _ = meta.set_attribute("media", &media);
                    let _ = head.append_child(&meta);
                    meta
                }
                Err(_) => continue,
            },
        };
        let _ = meta.set_attribute("content", &colour.to_string());
    }
}

/// Sets `lang` and `dir` on the document, so right-to-left languages lay out right to left.
pub fn set_language(code: &str, right_to_left: bool) {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("lang", code);
        let _ = root.set_attribute("dir", if right_to_left { "rtl" } else { "ltr" });
    }
}

/// Sets the document's title.
pub fn set_title(title: &str) {
    leptos::prelude::document().set_title(title);
}

/// Whether the head start painted the door list into the skeleton (`index.html`, `portier:paint`):
/// then it stays until the app has its own list to show (see [`remove_skeleton`]).
pub fn painted() -> bool {
    leptos::prelude::document()
        .get_element_by_id("skeleton")
        .is_some_and(|skeleton| skeleton.has_attribute("data-painted"))
}

/// Removes the static skeleton `index.html` shows until the app takes over. A painted one the
/// head start hands over itself (see [`head_start::hand_over_painted`]): not under a finger, and
/// with the visitor's focus moved to the app's same door.
///
/// [`head_start::hand_over_painted`]: crate::services::head_start::hand_over_painted
pub fn remove_skeleton() {
    if painted() && crate::services::head_start::hand_over_painted() {
        return;
    }
    if let Some(skeleton) = leptos::prelude::document().get_element_by_id("skeleton") {
        skeleton.remove();
    }
}
