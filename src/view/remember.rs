//! The visitor's choice to keep the link on this device.

use leptos::prelude::*;

use crate::domain::secret::Secret;
use crate::services::session;
use crate::view::context::i18n;

/// A checkbox: "Remember this link on this device". Off unless the visitor turned it on earlier.
#[component]
pub fn RememberLink(
    /// The link's secret.
    secret: Secret,
) -> impl IntoView {
    let i18n = i18n();
    let remembered = RwSignal::new(session::is_remembered(&secret));
    let on_change = move |ev: leptos::ev::Event| {
        let wanted = event_target_checked(&ev);
        // If storage refuses, the box goes back to what is really stored.
        let stored = session::remember(&secret, wanted);
        remembered.set(if stored { wanted } else { !wanted });
    };
    view! {
        <div class="remember">
            <label>
                <input type="checkbox" prop:checked=remembered on:change=on_change />
                " "
                {i18n.t("remember.label")}
            </label>
            <p class="note">{i18n.t("remember.note")}</p>
        </div>
    }
}
