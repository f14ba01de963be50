//! How long the visitor's link works, when the link says (`&until=…`): "Works until Thu, Dec 24,
//! 06:00 PM" (as `Intl` writes it for the visitor's language), and in the last hour a plain
//! notice. Past that time it says nothing: the doors are shown only if Kisi still accepts the link,
//! and then the date was stale (see [`crate::domain::validity`]).

use std::time::Duration;

use leptos::prelude::*;

use crate::domain::validity::{ValidUntil, Validity};
use crate::services::text::BrowserText;
use crate::view::context::i18n;

/// The longest a browser timer waits (2³¹ − 1 ms, ~24.8 days); a later change is seen on a later visit.
const LONGEST_TIMER_MS: f64 = 2_147_483_647.0;

/// The line under the page's title that says until when the link works.
#[component]
pub fn LinkValidity(
    /// The link's end, from the address; `None` shows nothing.
    until: Option<ValidUntil>,
) -> impl IntoView {
    let i18n = i18n();
    until.map(|until| {
        // Drawn again when what the line says changes: at the last hour, and at the end. A trigger,
        // not a signal of the time: no value type of its own to ship.
        let changed = Trigger::new();
        let now = js_sys::Date::now();
        for moment in until.changes() {
            let wait = moment - now;
            if wait > 0.0 && wait < LONGEST_TIMER_MS {
                set_timeout(move || changed.notify(), Duration::from_millis(wait as u64 + 1));
            }
        }
        move || {
            changed.track();
            let text = BrowserText(i18n);
            let (kind, words) = match until.at(js_sys::Date::now()) {
                Validity::Until => {
                    ("until", i18n.t_with("page.valid_until", &[("time", &text.local_time(until.unix_ms, true))]))
                }
                Validity::EndingSoon => {
                    ("ending", i18n.t_with("page.ending_soon", &[("time", &text.local_time(until.unix_ms, false))]))
                }
                Validity::Passed => return None,
            };
            Some(view! { <p class="validity" data-validity=kind>{words}</p> })
        }
    })
}
