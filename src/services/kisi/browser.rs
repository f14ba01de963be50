//! The browser's network: `fetch` (through gloo-net) with the page's request policy, and its
//! timers.

use std::time::Duration;

use gloo_net::http::{Method as HttpMethod, RequestBuilder, Response as FetchResponse};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, ReferrerPolicy, RequestCredentials, RequestRedirect, ResponseType};

use super::network::{LocalFuture, Method, Network, NetworkError, Request, Response};
use crate::services::head_start as early;
use crate::services::json::Json;

/// The browser's `fetch` and clock. Stateless: any `window.fetch` will do (the component tests put
/// a Kisi of their own there).
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserNetwork;

impl Network for BrowserNetwork {
    type Body = Json;

    fn send<'a>(
        &'a self,
        request: Request<'a>,
        timeout: Duration,
    ) -> LocalFuture<'a, Result<Response<Json>, NetworkError>> {
        Box::pin(send(request, timeout))
    }

    fn now(&self) -> f64 {
        js_sys::Date::now()
    }

    fn sleep(&self, duration: Duration) -> LocalFuture<'static, ()> {
        Box::pin(sleep(duration))
    }
}

/// Waits `duration` without blocking the page.
pub async fn sleep(duration: Duration) {
    let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = leptos::prelude::window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
    });
    let _ = JsFuture::from(promise).await;
}

/// Waits until the device comes back online (the window's `online` event) or `duration` has
/// passed, whichever is first.
pub async fn online_or_after(duration: Duration) {
    let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
    let window = leptos::prelude::window();
    let mut resolver = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        let _ = window.add_event_listener_with_callback("online", &resolve);
        resolver = Some(resolve);
    });
    let _ = JsFuture::from(promise).await;
    if let Some(resolve) = resolver {
        let _ = window.remove_event_listener_with_callback("online", &resolve);
    }
}

async fn send(request: Request<'_>, timeout: Duration) -> Result<Response<Json>, NetworkError> {
    if request.may_be_under_way
        && let Some(outcome) = early::response(request.method, request.url, request.authorization).await
    {
        return match outcome {
            Ok(early) => {
                let text = early.text.await.map(|text| text.as_string().unwrap_or_default());
                answer(&FetchResponse::from(early.answer), text.map_err(|rejection| rejected(&rejection)))
            }
            Err(rejection) => Err(rejected(&rejection)),
        };
    }
    // The browser's own time limit; whether it ran out is read from the signal (see `lost`).
    let signal = AbortSignal::timeout_with_u32(u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX));
    let builder = RequestBuilder::new(request.url)
        .method(if request.method == Method::Post { HttpMethod::POST } else { HttpMethod::GET })
        .header("Accept", "application/json")
        .header("Authorization", request.authorization)
        .credentials(RequestCredentials::Omit)
        .referrer_policy(ReferrerPolicy::NoReferrer)
        // A request with the secret never follows a redirect: the browser would resend
        // `Authorization` to a same-origin target (a proxy's login page) and re-POST an unlock on a
        // 307. The opaque redirect it gets instead still tells a captive portal apart (`answer`).
        .redirect(RequestRedirect::Manual)
        .abort_signal(Some(&signal));
    let prepared = match request.method {
        Method::Post => builder.header("Content-Type", "application/json").body("{}"),
        Method::Get => builder.build(),
    };
    // gloo's errors are dropped, not shown: their text may quote the request.
    let prepared = prepared.map_err(|_| NetworkError::Connection)?;
    let response = prepared.send().await.map_err(|_| lost(&signal))?;
    read(response, &signal).await
}

/// Reads a whole answer. A connection cut mid-body (or the time limit running out during it) fails
/// here, not at `send`.
async fn read(response: FetchResponse, signal: &AbortSignal) -> Result<Response<Json>, NetworkError> {
    let text = response.text().await.map_err(|_| lost(signal));
    answer(&response, text)
}

/// The answer of `response` whose body read as `text`.
fn answer(response: &FetchResponse, text: Result<String, NetworkError>) -> Result<Response<Json>, NetworkError> {
    let headers = response.headers();
    let (range, retry_after, content_type) =
        (headers.get("x-collection-range"), headers.get("retry-after"), headers.get("content-type"));
    // Not followed (`redirect: "manual"`), a redirect is an opaque answer; `redirected` would only
    // be true for a request that followed one.
    let redirected = response.type_() == ResponseType::Opaqueredirect || response.redirected();
    let status = response.status();
    let text = text?;
    let json = Json::parse(&text);
    Ok(Response { status, text, json, range, retry_after, content_type, redirected })
}

/// What a failed request means. The signal says whether its time limit ran out, not the error's
/// name: WebKit (and Chromium before 124) rejects with an `AbortError` where others pass the
/// signal's `TimeoutError` on.
fn lost(signal: &AbortSignal) -> NetworkError {
    if signal.aborted() { NetworkError::Timeout } else { offline_or_cut() }
}

/// What a rejection of the head start's fetch (or of its body) means.
fn rejected(rejection: &wasm_bindgen::JsValue) -> NetworkError {
    if early::timed_out(rejection) { NetworkError::Timeout } else { offline_or_cut() }
}

fn offline_or_cut() -> NetworkError {
    if leptos::prelude::window().navigator().on_line() { NetworkError::Connection } else { NetworkError::Offline }
}
