//! The screen for a visitor who arrived without a usable access link.

use leptos::prelude::*;

use crate::domain::secret::SecretError;
use crate::view::brand::ContactLine;
use crate::view::context::{PageTexts, i18n};

/// Tells the visitor how to get to their doors. Shown instead of making any request.
#[component]
pub fn HelpScreen(
    /// Why the URL held no usable secret: none at all, or a damaged one.
    reason: SecretError,
) -> impl IntoView {
    let i18n = i18n();
    let (title, text) = match reason {
        SecretError::Empty => (i18n.t("help.title"), i18n.t("help.text")),
        _ => (i18n.t("help.damaged_title"), i18n.t("help.damaged_text")),
    };
    // The operator's own words for a visitor without a link; a damaged link keeps ours.
    let help = expect_context::<PageTexts>().0.with_value(|texts| texts.help.clone());
    let text = match (reason, help) {
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
