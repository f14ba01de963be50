//! Time limits for requests, and waiting, in the browser.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{AbortController, AbortSignal};

/// Aborts a request that takes longer than its limit. Dropping it cancels the timer.
pub struct Deadline {
    controller: Option<AbortController>,
    timer: Option<i32>,
    expired: Rc<Cell<bool>>,
    _on_expiry: Option<Closure<dyn FnMut()>>,
}

impl Deadline {
    /// Starts the clock.
    pub fn start(limit: Duration) -> Self {
        let expired = Rc::new(Cell::new(false));
        let controller = AbortController::new().ok();
        let on_expiry = controller.clone().map(|controller| {
            let expired = expired.clone();
            Closure::<dyn FnMut()>::new(move || {
                expired.set(true);
                controller.abort();
            })
        });
        let timer = on_expiry.as_ref().and_then(|callback| {
            leptos::prelude::window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    callback.as_ref().unchecked_ref(),
                    i32::try_from(limit.as_millis()).unwrap_or(i32::MAX),
                )
                .ok()
        });
        Deadline { controller, timer, expired, _on_expiry: on_expiry }
    }

    /// The signal to hand to `fetch`.
    pub fn signal(&self) -> Option<AbortSignal> {
        self.controller.as_ref().map(AbortController::signal)
    }

    /// Whether the limit passed (so an abort was ours, not the network's).
    pub fn expired(&self) -> bool {
        self.expired.get()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(timer) = self.timer {
            leptos::prelude::window().clear_timeout_with_handle(timer);
        }
    }
}

/// Waits `duration` without blocking the page.
pub async fn sleep(duration: Duration) {
    let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = leptos::prelude::window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Milliseconds on the page's clock.
pub fn now() -> f64 {
    js_sys::Date::now()
}
