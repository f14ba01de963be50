//! Giving the main thread back between the steps of the start.
//!
//! Starting the app is a few hundred milliseconds of work on a slow phone. Done as one task, the
//! browser can neither paint nor take input until all of it is done (Lighthouse counts every task
//! past 50 ms as blocking). Between its steps the start yields, so each step is a task of its own.

use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `scheduler.yield()`; throws where the browser has no `scheduler` (Safari, older browsers).
    #[wasm_bindgen(js_namespace = scheduler, js_name = "yield", catch)]
    fn scheduler_yield() -> Result<Promise, wasm_bindgen::JsValue>;
}

/// Resolves in a later task: through `scheduler.yield()` where the browser has it (the start then
/// goes on before other queued work), else through a zero-delay timer.
///
/// ```no_run
/// # async fn start() {
/// portier::services::main_thread::yield_to_browser().await;
/// # }
/// ```
pub async fn yield_to_browser() {
    let promise = scheduler_yield().unwrap_or_else(|_| {
        Promise::new(&mut |resolve, _| {
            let _ = leptos::prelude::window().set_timeout_with_callback(&resolve);
        })
    });
    let _ = JsFuture::from(promise).await;
}
