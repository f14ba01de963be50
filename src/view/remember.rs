//! The visitor's choice to keep the link on this device, and with it, adding the page to the home
//! screen (an installed page opens without the link, so it needs the link remembered).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::secret::Secret;
use crate::services::install::{Choice, Install, InstallWay};
use crate::services::session;
use crate::view::context::i18n;

/// A checkbox: "Remember this link on this device". Off unless the visitor turned it on earlier.
///
/// Below it, where the browser offers installing, "Add to home screen": it remembers the link (the
/// note above says what that means) and shows the browser's prompt; if the visitor then declines,
/// the link is forgotten again unless it was remembered before. On iOS, once the link is
/// remembered, a one-line hint says how to add the page from the share menu.
#[component]
pub fn RememberLink(
    /// The link's secret.
    secret: Secret,
) -> impl IntoView {
    let i18n = i18n();
    let remembered = RwSignal::new(session::is_remembered(&secret));
    let set_remembered = {
        let secret = secret.clone();
        move |wanted: bool| {
            // If storage refuses, the box goes back to what is really stored.
            let stored = session::remember(&secret, wanted);
            remembered.set(if stored { wanted } else { !wanted });
            stored
        }
    };
    let on_change = {
        let set_remembered = set_remembered.clone();
        move |ev: leptos::ev::Event| {
            set_remembered(event_target_checked(&ev));
        }
    };
    let install = Install::watch();
    let way = install.way();
    let on_install = move |_| {
        let before = remembered.get_untracked();
        if !before && !set_remembered(true) {
            return;
        }
        let set_remembered = set_remembered.clone();
        spawn_local(async move {
            if install.prompt().await == Choice::Dismissed && !before {
                set_remembered(false);
            }
        });
    };
    // Always in the page, shown or hidden: cheaper to ship than views built on demand.
    let not_offered = move || way.get() != InstallWay::Prompt;
    let no_hint = move || !(way.get() == InstallWay::ShareMenu && remembered.get());
    view! {
        <div class="remember">
            <label>
                <input type="checkbox" prop:checked=remembered on:change=on_change />
                " "
                {i18n.t("remember.label")}
            </label>
            <p class="note">{i18n.t("remember.note")}</p>
            <button type="button" class="install" hidden=not_offered on:click=on_install>
                {i18n.t("install.button")}
            </button>
            <p class="note" hidden=not_offered>
                {i18n.t("install.note")}
            </p>
            <p class="note install-hint" hidden=no_hint>
                {i18n.t("install.ios_hint")}
            </p>
            // For a shared device: everything this page kept goes, the remembered link with it.
            <button type="button" class="forget" on:click=move |_| { session::forget_device(); }>
                {i18n.t("forget.button")}
            </button>
        </div>
    }
}
