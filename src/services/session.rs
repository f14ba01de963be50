//! Where this page view's secret comes from, and where it is kept.
//!
//! The head start in `index.html` takes the secret out of the address bar (`history.replaceState`)
//! before anything else runs, so it is not shown, screenshotted, bookmarked or shared by accident —
//! even when the app never starts — and hands the fragment over in memory ([`opened_with`]). The
//! app does the same for a link that arrives later in the tab (`hashchange`). A reload in the same tab
//! still works because the secret is kept in `sessionStorage`, which belongs to this tab alone and
//! is cleared when the tab closes. Keeping it on the device beyond that (`localStorage`) happens
//! only when the visitor ticks "Remember this link on this device".

use leptos::prelude::ReadSignal;

use crate::domain::fragment::Fragment;
use crate::domain::secret::{Secret, SecretError};
use crate::services::storage::{REMEMBERED_SECRET, Store, TAB_SECRET};

/// The address bar's fragment now (`#…`).
pub fn address_fragment() -> String {
    leptos::prelude::window().location().hash().unwrap_or_default()
}

/// The fragment the page was opened with: the head start's copy (the address bar no longer holds
/// its secret), else the address bar's.
pub fn opened_with() -> String {
    crate::services::head_start::fragment().unwrap_or_else(address_fragment)
}

/// The fragment the page was opened with, then each one a `hashchange` brings (a new link in
/// the same tab), each taken as it arrives (see [`adopt`]). Call once, from the top-level
/// component: the listener goes with its owner.
pub fn watch_address() -> ReadSignal<String> {
    use leptos::prelude::{Set, on_cleanup, signal, window_event_listener};
    let arrived = opened_with();
    adopt(&Fragment::parse(&arrived));
    let (address, set_address) = signal(arrived);
    let on_hash_change = window_event_listener(leptos::ev::hashchange, move |_| {
        let arrived = address_fragment();
        adopt(&Fragment::parse(&arrived));
        set_address.set(arrived);
    });
    on_cleanup(move || on_hash_change.remove());
    address
}

/// The secret for a page whose address carries `fragment`: the fragment's own if it carries one,
/// otherwise the one this tab already had, otherwise the one remembered on this device. Reads
/// only; see [`adopt`].
pub fn secret_for(fragment: &Fragment) -> Result<Secret, SecretError> {
    fragment.secret_or_kept(Store::Tab.read(TAB_SECRET).as_deref(), Store::Device.read(REMEMBERED_SECRET).as_deref())
}

/// Takes a secret the address brought over: kept for this tab, and removed from the address bar
/// and the tab's history entry (without reloading or firing `hashchange`). A named door and
/// language stay (`#door=42&lang=de`), so a reload keeps them. Does nothing for an address without
/// a secret.
pub fn adopt(fragment: &Fragment) {
    let Ok(secret) = &fragment.secret else { return };
    Store::Tab.write(TAB_SECRET, secret.expose());
    let window = leptos::prelude::window();
    let location = window.location();
    let clean = format!(
        "{}{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
        fragment.without_secret()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
    }
}

/// Whether `secret` is the one remembered on this device.
pub fn is_remembered(secret: &Secret) -> bool {
    stored(Store::Device, REMEMBERED_SECRET).as_ref() == Some(secret)
}

/// Remembers `secret` on this device, or forgets it. Returns whether that worked.
pub fn remember(secret: &Secret, yes: bool) -> bool {
    if yes { Store::Device.write(REMEMBERED_SECRET, secret.expose()) } else { Store::Device.remove(REMEMBERED_SECRET) }
}

/// Forgets everything this deployment kept on this device and in this tab — the secret, the
/// remembered link, the door lists, the site's files — for a shared device, then opens the bare
/// page (which then has no link). Returns `false` if storage refused, and then stays.
pub fn forget_device() -> bool {
    if !crate::services::storage::forget_everything() {
        return false;
    }
    let location = leptos::prelude::window().location();
    let bare = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    location.replace(&bare).is_ok()
}

/// Every secret this page holds (this tab's, the device's, and one still in the address bar), for
/// scrubbing them out of error reports.
pub fn known_secrets() -> Vec<String> {
    [
        Fragment::parse(&opened_with()).secret.ok(),
        Fragment::parse(&address_fragment()).secret.ok(),
        stored(Store::Tab, TAB_SECRET),
        stored(Store::Device, REMEMBERED_SECRET),
    ]
    .into_iter()
    .flatten()
    .map(|secret| secret.expose().to_owned())
    .collect()
}

fn stored(store: Store, key: &str) -> Option<Secret> {
    store.read(key).and_then(|raw| Secret::new(&raw).ok())
}
