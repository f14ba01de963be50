//! The screen for a visitor who arrived without a usable access link.

use leptos::prelude::*;

use crate::fragment::SecretError;
use crate::i18n::t;
use crate::view::{ContactLine, page_texts};

/// Tells the visitor how to get to their doors. Shown instead of making any request.
#[component]
pub fn HelpScreen(
    /// Why the URL held no usable secret: none at all, or a damaged one.
    reason: SecretError,
) -> impl IntoView {
    let (title, text) = match reason {
        SecretError::Empty => (t("help.title"), t("help.text")),
        _ => (t("help.damaged_title"), t("help.damaged_text")),
    };
    // The operator's own words for a visitor without a link; a damaged link keeps ours.
    let text = match (reason, page_texts().help) {
        (SecretError::Empty, Some(help)) => help,
        _ => text,
    };
    view! {
        <section class="screen help" data-screen="help">
            <h1>{title}</h1>
            <p dir="auto">{text}</p>
            <ContactLine />
        </section>
    }
}
