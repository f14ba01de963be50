//! Giving the main thread back between the steps of the start.
//!
//! Starting the app is a few hundred milliseconds of work on a slow phone. Done as one task, the
//! browser can neither paint nor take input until all of it is done (Lighthouse counts every task
//! past 50 ms as blocking). Between its steps the start yields, so each step is a task of its own.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Resolves in a later task: through `scheduler.yield()` where the browser has it (the start then
/// goes on before other queued work), else through a zero-delay timer.
///
/// ```no_run
/// # async fn start() {
/// portier::services::main_thread::yield_to_browser().await;
/// # }
/// ```
pub async fn yield_to_browser() {
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into()).unwrap_or(JsValue::UNDEFINED);
    let yield_now = js_sys::Reflect::get(&scheduler, &"yield".into())
        .ok()
        .and_then(|method| method.dyn_into::<js_sys::Function>().ok());
    let promise = match yield_now.and_then(|method| method.call0(&scheduler).ok()) {
        Some(promise) => promise.unchecked_into::<js_sys::Promise>(),
        None => js_sys::Promise::new(&mut |resolve, _| {
            let _ = leptos::prelude::window().set_timeout_with_callback(&resolve);
        }),
    };
    let _ = JsFuture::from(promise).await;
}
