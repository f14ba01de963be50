//! Whether the visitor is online and looking at the page — and so when the doors should be read
//! again: when the connection comes back, and when the page is seen again after a while away.

use leptos::prelude::*;

/// After this long out of sight, door states may have changed (a lockdown, a door taken offline).
pub const STALE_AFTER_MS: f64 = 30_000.0;

/// Whether a page hidden at `hidden_since` and visible again at `now` should read its doors again.
///
/// ```
/// use portier::services::presence::should_refresh;
/// assert!(!should_refresh(Some(0.0), 5_000.0));
/// assert!(should_refresh(Some(0.0), 31_000.0));
/// assert!(!should_refresh(None, 31_000.0));
/// ```
pub fn should_refresh(hidden_since: Option<f64>, now: f64) -> bool {
    hidden_since.is_some_and(|since| now - since >= STALE_AFTER_MS)
}

/// What the page knows about the visitor's connection and attention.
#[derive(Clone, Copy)]
pub struct Presence {
    /// `navigator.onLine`, kept current by the `online`/`offline` events.
    pub online: ReadSignal<bool>,
    /// Goes up each time the doors should be read again.
    pub refresh: ReadSignal<u32>,
}

/// Starts watching. Call once, from the top-level component.
pub fn watch() -> Presence {
    let (online, set_online) = signal(window().navigator().on_line());
    let (refresh, set_refresh) = signal(0_u32);
    let hidden_since = StoredValue::new(None::<f64>);

    let went_offline = window_event_listener(leptos::ev::offline, move |_| set_online.set(false));
    let came_back = window_event_listener(leptos::ev::online, move |_| {
        set_online.set(true);
        *set_refresh.write() += 1;
    });
    let visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
        let now = js_sys::Date::now();
        if document().hidden() {
            hidden_since.set_value(Some(now));
        } else {
            if should_refresh(hidden_since.get_value(), now) {
                *set_refresh.write() += 1;
            }
            hidden_since.set_value(None);
        }
    });
    on_cleanup(move || {
        went_offline.remove();
        came_back.remove();
        visibility.remove();
    });
    Presence { online, refresh }
}
