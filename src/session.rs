//! Where this page view's secret comes from, and where it is kept.
//!
//! The link's fragment is read once, then removed from the address bar (`history.replaceState`)
//! so the secret is not shown, screenshotted, bookmarked or shared by accident. A reload in the same
//! tab still works because the secret is kept in `sessionStorage`, which belongs to this tab alone
//! and is cleared when the tab closes. Keeping it on the device beyond that (`localStorage`) happens
//! only when the visitor ticks "Remember this link on this device".
//!
//! Storage may be unavailable (private modes, strict settings): every access tolerates that, and
//! the page then simply needs the link again after a reload.

use web_sys::Storage;

use crate::fragment::{Fragment, Secret, SecretError};

/// `sessionStorage` key: this tab's secret.
pub const TAB_KEY: &str = "portier.secret";
/// `localStorage` key: the secret the visitor chose to remember on this device.
pub const DEVICE_KEY: &str = "portier.remembered-secret";

/// The secret for this page view: from the URL fragment if it carries one (which is then hidden
/// from the address bar and kept for this tab), otherwise the one this tab already had, otherwise
/// the one remembered on this device.
pub fn current_secret() -> Result<Secret, SecretError> {
    let window = leptos::prelude::window();
    let hash = window.location().hash().unwrap_or_default();
    match Fragment::parse(&hash).secret {
        Ok(secret) => {
            store(session_storage(), TAB_KEY, Some(&secret));
            let fragment = Fragment::parse(&hash);
            hide_secret(fragment.door, fragment.lang.as_deref());
            Ok(secret)
        }
        Err(SecretError::Empty) => {
            stored(session_storage(), TAB_KEY).or_else(|| stored(local_storage(), DEVICE_KEY)).ok_or(SecretError::Empty)
        }
        Err(damaged) => Err(damaged),
    }
}

/// Whether `secret` is the one remembered on this device.
pub fn is_remembered(secret: &Secret) -> bool {
    stored(local_storage(), DEVICE_KEY).as_ref() == Some(secret)
}

/// Remembers `secret` on this device, or forgets it. Returns whether that worked.
pub fn remember(secret: &Secret, yes: bool) -> bool {
    store(local_storage(), DEVICE_KEY, yes.then_some(secret))
}

/// Every secret this page holds (this tab's, the device's, and one still in the address bar), for
/// scrubbing them out of error reports.
pub fn known_secrets() -> Vec<String> {
    let hash = leptos::prelude::window().location().hash().unwrap_or_default();
    [Fragment::parse(&hash).secret.ok(), stored(session_storage(), TAB_KEY), stored(local_storage(), DEVICE_KEY)]
        .into_iter()
        .flatten()
        .map(|secret| secret.expose().to_owned())
        .collect()
}

/// The door named in the address bar (`#…&door=42`), which stays there when the secret is hidden.
pub fn named_door() -> Option<crate::door::DoorId> {
    Fragment::parse(&leptos::prelude::window().location().hash().unwrap_or_default()).door
}

/// The language named in the address bar (`#…&lang=de`), which stays there when the secret is hidden.
pub fn named_language() -> Option<String> {
    Fragment::parse(&leptos::prelude::window().location().hash().unwrap_or_default()).lang
}

/// Removes the secret from the address bar and the tab's history entry, without reloading or firing
/// `hashchange`. A named door and language stay (`#door=42&lang=de`), so a reload keeps them.
fn hide_secret(door: Option<crate::door::DoorId>, lang: Option<&str>) {
    let window = leptos::prelude::window();
    let location = window.location();
    let kept: Vec<String> = [door.map(|door| format!("door={door}")), lang.map(|lang| format!("lang={lang}"))]
        .into_iter()
        .flatten()
        .collect();
    let rest = if kept.is_empty() { String::new() } else { format!("#{}", kept.join("&")) };
    let clean = format!("{}{}{rest}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
    }
}

fn session_storage() -> Option<Storage> {
    leptos::prelude::window().session_storage().ok().flatten()
}

/// This device's `localStorage`, if the browser grants it.
pub(crate) fn local_storage() -> Option<Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

fn stored(storage: Option<Storage>, key: &str) -> Option<Secret> {
    storage?.get_item(key).ok().flatten().and_then(|raw| Secret::new(&raw).ok())
}

fn store(storage: Option<Storage>, key: &str, secret: Option<&Secret>) -> bool {
    let Some(storage) = storage else { return false };
    match secret {
        Some(secret) => storage.set_item(key, secret.expose()).is_ok(),
        None => storage.remove_item(key).is_ok(),
    }
}
