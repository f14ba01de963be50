//! The page's service worker (`worker/sw.js`, written into the build by `cargo xtask build`): it
//! keeps the app's own files on the device so a repeat visit starts with no round trip and a visit
//! without a network still opens the page. It never touches a request to the API.
//!
//! The page registers it once it has loaded (the first visit's downloads come first), and retires
//! it — unregistered, its files deleted — when the operator's configuration says `"offline":
//! false`.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The worker's file, next to `index.html` (its scope is the page's folder).
pub const SCRIPT: &str = "sw.js";
/// The web app manifest, next to `index.html`.
pub const MANIFEST: &str = "manifest.webmanifest";
/// The start of the name of each build's cache (`portier-shell-<build>`): the worker and the kill
/// switch delete only what carries it.
pub const CACHE_PREFIX: &str = "portier-shell-";

/// The browser's worker container, where there is one (not in every private mode, not over plain
/// HTTP on another host than localhost).
fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = leptos::prelude::window().navigator();
    js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// Registers the worker once the page has loaded (now, if it has). A registration that fails
/// changes nothing: the page works as it did without one.
pub fn register_when_loaded() {
    let Some(container) = container() else { return };
    let register = move || {
        let options = web_sys::RegistrationOptions::new();
        // The browser asks the host for sw.js itself on every visit, past its HTTP cache.
        options.set_update_via_cache(web_sys::ServiceWorkerUpdateViaCache::None);
        let registering = container.register_with_options(SCRIPT, &options);
        wasm_bindgen_futures::spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(registering).await.is_ok() {
                mark("registered");
            }
        });
    };
    let document = leptos::prelude::document();
    if document.ready_state() == "complete" {
        register();
    } else {
        let once = web_sys::AddEventListenerOptions::new();
        once.set_once(true);
        let _ = leptos::prelude::window().add_event_listener_with_callback_and_add_event_listener_options(
            "load",
            Closure::once_into_js(register).unchecked_ref(),
            &once,
        );
    }
}

/// Unregisters every worker of this page and deletes its caches: the operator switched offline
/// start off. (A page that stays open keeps running; the next visit comes from the site.)
pub async fn retire() {
    if let Some(container) = container()
        && let Ok(registrations) = wasm_bindgen_futures::JsFuture::from(container.get_registrations()).await
    {
        for registration in js_sys::Array::from(&registrations).iter() {
            if let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>()
                && let Ok(unregistering) = registration.unregister()
            {
                let _ = wasm_bindgen_futures::JsFuture::from(unregistering).await;
            }
        }
    }
    let Ok(caches) = leptos::prelude::window().caches() else { return };
    let Ok(names) = wasm_bindgen_futures::JsFuture::from(caches.keys()).await else { return };
    for name in js_sys::Array::from(&names).iter().filter_map(|name| name.as_string()) {
        if name.starts_with(CACHE_PREFIX) {
            let _ = wasm_bindgen_futures::JsFuture::from(caches.delete(&name)).await;
        }
    }
    mark("retired");
}

/// Says on the document (`<html data-worker="registered">` or `"retired"`) where the worker stands:
/// for a support person in the browser's inspector, and for the tests to await.
fn mark(state: &str) {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-worker", state);
    }
}
