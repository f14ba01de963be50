//! Adding the page to the home screen. An installed page opens at the site's address, without the
//! link's secret (the address bar lost it when the page first took it over), so installing only
//! makes sense together with "Remember this link on this device": the page offers it there, and
//! keeps the browser's own offer back until then (the head start in `index.html` holds Chromium's
//! `beforeinstallprompt`, which may come before the app runs).
//!
//! Where the browser has no prompt to offer (Safari on iOS), the page gives a one-line hint; where
//! the page already runs installed, nothing.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// How this browser can add the page to the home screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstallWay {
    /// Its own prompt, ready to be shown (Chromium's `beforeinstallprompt` event, which the head
    /// start keeps in `portierEarly.install`).
    Prompt,
    /// By hand, from the share menu (Safari on iOS, which has no prompt).
    ShareMenu,
    /// Not at all, or not any more: installed already, or running installed.
    None,
}

/// What the visitor decided in the browser's prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Installed.
    Accepted,
    /// Not now (or the prompt could not be shown).
    Dismissed,
}

/// The page's way to the home screen, kept current: a prompt the browser offers later appears, an
/// installed page stops offering.
#[derive(Clone, Copy)]
pub struct Install {
    way: RwSignal<InstallWay>,
}

impl Install {
    /// Starts watching. Call once, from a component.
    pub fn watch() -> Self {
        let way = RwSignal::new(initial_way());
        // The head start's listener keeps the event and holds the browser's own offer back.
        let offered = window_event_listener_untyped("beforeinstallprompt", move |_| {
            if !running_installed() {
                way.set(InstallWay::Prompt);
            }
        });
        let installed = window_event_listener_untyped("appinstalled", move |_| way.set(InstallWay::None));
        on_cleanup(move || {
            offered.remove();
            installed.remove();
        });
        Install { way }
    }

    /// How the page can be added now.
    pub fn way(self) -> ReadSignal<InstallWay> {
        self.way.read_only()
    }

    /// Shows the browser's prompt, if it offered one, and says what the visitor chose. A prompt
    /// can be shown once: the offer is gone afterwards (the browser may make another).
    pub async fn prompt(self) -> Choice {
        if self.way.get_untracked() != InstallWay::Prompt {
            return Choice::Dismissed;
        }
        self.way.set(InstallWay::None);
        let Some(event) = early_offer() else { return Choice::Dismissed };
        // An offer can be shown once.
        if let Some(early) = early() {
            let _ = js_sys::Reflect::set(&early, &JsValue::from_str(OFFER), &JsValue::UNDEFINED);
        }
        let call = |name: &str| {
            js_sys::Reflect::get(&event, &JsValue::from_str(name))
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .and_then(|f| f.call0(&event).ok())
        };
        let Some(shown) = call("prompt") else { return Choice::Dismissed };
        if let Ok(promise) = shown.dyn_into::<js_sys::Promise>()
            && wasm_bindgen_futures::JsFuture::from(promise).await.is_err()
        {
            return Choice::Dismissed;
        }
        let Ok(choice) = js_sys::Reflect::get(&event, &JsValue::from_str("userChoice")) else {
            return Choice::Dismissed;
        };
        let Ok(choice) = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&choice)).await else {
            return Choice::Dismissed;
        };
        let outcome = js_sys::Reflect::get(&choice, &JsValue::from_str("outcome")).ok().and_then(|o| o.as_string());
        if outcome.as_deref() == Some("accepted") { Choice::Accepted } else { Choice::Dismissed }
    }
}

/// The way at start: an offer the head start caught, else the share menu on iOS, else none.
fn initial_way() -> InstallWay {
    if running_installed() {
        return InstallWay::None;
    }
    if early_offer().is_some() {
        InstallWay::Prompt
    } else if standalone_flag(&window()) == Some(false) {
        // Only Safari on iOS has `navigator.standalone`; it is false in the browser.
        InstallWay::ShareMenu
    } else {
        InstallWay::None
    }
}

/// Where the head start keeps the browser's offer: `window.portierEarly.install`.
const OFFER: &str = "install";

/// The head start's `window.portierEarly`.
fn early() -> Option<JsValue> {
    js_sys::Reflect::get(&window(), &JsValue::from_str("portierEarly")).ok().filter(JsValue::is_object)
}

/// The browser's latest offer, as the head start kept it.
fn early_offer() -> Option<JsValue> {
    js_sys::Reflect::get(&early()?, &JsValue::from_str(OFFER)).ok().filter(JsValue::is_object)
}

/// Whether the page runs as an installed app (from the home screen).
fn running_installed() -> bool {
    let window = window();
    let standalone =
        window.match_media("(display-mode: standalone)").ok().flatten().is_some_and(|query| query.matches());
    standalone || standalone_flag(&window) == Some(true)
}

/// iOS Safari's `navigator.standalone`, where it exists.
fn standalone_flag(window: &web_sys::Window) -> Option<bool> {
    js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("standalone")).ok().and_then(|v| v.as_bool())
}
