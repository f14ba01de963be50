//! The head start `index.html` gives the app, taken over.
//!
//! On a phone the app's download is the longest wait, and the door list cannot be asked for before
//! the app runs — unless the page asks for it first. A small inline script in `index.html` reads the
//! configuration, fetches the translation of the language it expects the app to choose and, when
//! the fragment (or this tab's storage) holds a plausible secret, starts the first `GET /locks` the
//! app would make, exactly as the app would make it. This module takes each over, once: the
//! configuration text always, the translation only if it is for the language the app chose, the
//! lock request only if its URL and `Authorization` are byte for byte what the app itself would
//! send now. Anything else — no script, another language, another secret, another API base — is
//! dropped and the app asks itself, so the head start can never change what the page does, only
//! when. (What the script shares with the app, the build writes into it: see `boot::head_start`.)

use std::future::Future;

use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::services::kisi::network::Method;
use crate::services::site_files::SiteAnswer;

/// The global the script in `index.html` fills.
const GLOBAL: &str = "portierEarly";

/// The script's global, if it ran.
fn early() -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &GLOBAL.into()).ok().filter(JsValue::is_object)
}

/// Takes field `name` of the head start, leaving `undefined` behind so nothing is used twice.
fn take(name: &str) -> Option<JsValue> {
    let early = early()?;
    let value = Reflect::get(&early, &name.into()).ok().filter(|v| !v.is_undefined())?;
    let _ = Reflect::delete_property(early.unchecked_ref::<js_sys::Object>(), &name.into());
    Some(value)
}

/// The fragment the page was opened with, which the script took out of the address bar before
/// anything else ran (see `index.html`); `None` without a head start. Read, not taken: it is the
/// page's starting point for as long as the page lives.
pub fn fragment() -> Option<String> {
    let early = early()?;
    Reflect::get(&early, &"fragment".into()).ok()?.as_string()
}

/// The script's request for `config.json`, taken over: it is already on its way (started before
/// the page narrowed its policy, so it may still finish after that). `None` here when there was no
/// head start (the app then asks itself).
pub fn config_request() -> Option<impl Future<Output = SiteAnswer>> {
    let promise = take("config")?.dyn_into::<Promise>().ok()?;
    Some(async move {
        JsFuture::from(promise).await.map_or(SiteAnswer::Unreachable, |value| SiteAnswer::from_head_start(&value))
    })
}

/// The text of `i18n/<code>.json` if the script fetched exactly that language: `Some(None)` when
/// it could not be read, `None` when it fetched another language or none (the app then fetches).
pub async fn translation(code: &str) -> Option<Option<String>> {
    let started = JsFuture::from(take("texts")?.dyn_into::<Promise>().ok()?).await.ok()?;
    if Reflect::get(&started, &"code".into()).ok()?.as_string().as_deref() != Some(code) {
        return None;
    }
    let text = Reflect::get(&started, &"text".into()).ok()?.dyn_into::<Promise>().ok()?;
    Some(JsFuture::from(text).await.ok().and_then(|text| text.as_string()))
}

/// The outcome of a request the script started, if it started one for exactly `url` with exactly
/// `authorization`: the first page of doors (`GET`), or an unlock tapped on the door list it
/// painted (`POST`, taken once). The answer, and its body's text (read by the script as soon as it
/// came); `Err` carries the fetch's rejection (network failure, or `TimeoutError` when it ran out
/// of time).
pub async fn response(method: Method, url: &str, authorization: &str) -> Option<Result<EarlyAnswer, JsValue>> {
    let started = match method {
        Method::Get => JsFuture::from(take("locks")?.dyn_into::<Promise>().ok()?).await.ok()?,
        Method::Post => take_tap(url)?,
    };
    let field = |name: &str| Reflect::get(&started, &name.into()).ok().and_then(|v| v.as_string());
    if field("url").as_deref() != Some(url) || field("authorization").as_deref() != Some(authorization) {
        return None;
    }
    let response = Reflect::get(&started, &"response".into()).ok()?.dyn_into::<Promise>().ok()?;
    let outcome = match JsFuture::from(response).await {
        Ok(outcome) => outcome,
        Err(rejection) => return Some(Err(rejection)),
    };
    let answer = Reflect::get(&outcome, &"answer".into()).ok()?.dyn_into::<web_sys::Response>().ok()?;
    let text = Reflect::get(&outcome, &"text".into()).ok()?.dyn_into::<Promise>().ok()?;
    Some(Ok(EarlyAnswer { answer, text: JsFuture::from(text) }))
}

/// Asks the script to put the painted door list away now that the app's is there (`handover` in
/// `index.html`): it does once no press is under way on it — a finger already down on a painted
/// door would otherwise lift over a different element and its tap be lost — and the painted door's
/// click then reaches the app's same door. Whether the script took it (else the caller removes
/// the skeleton itself).
pub fn hand_over_painted() -> bool {
    let Some(early) = early() else { return false };
    let handover = Reflect::get(&early, &"handover".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    handover.is_some_and(|handover| handover.call0(&early).is_ok())
}

/// The script's taps on the painted list, by unlock URL (a `Map`).
fn taps() -> Option<js_sys::Map> {
    let early = early()?;
    Reflect::get(&early, &"taps".into()).ok()?.dyn_into::<js_sys::Map>().ok()
}

/// Whether the visitor tapped the painted door whose unlock is `url` before the app ran, and the
/// app has not taken that tap over yet.
pub fn tapped(url: &str) -> bool {
    taps().is_some_and(|taps| taps.has(&url.into()))
}

/// The script's tap for `url`, taken: no later tap of the app's can be answered by it.
fn take_tap(url: &str) -> Option<JsValue> {
    let taps = taps()?;
    let tap = taps.get(&url.into());
    taps.delete(&url.into());
    Some(tap).filter(JsValue::is_object)
}

/// The early lock request's answer: its status and headers, and its body on the way.
pub struct EarlyAnswer {
    /// The response (its body already being read: use [`text`](Self::text)).
    pub answer: web_sys::Response,
    /// The body's text; a rejection as the fetch's would be.
    pub text: JsFuture,
}

/// Whether a fetch rejection is the script's own time limit running out.
pub fn timed_out(rejection: &JsValue) -> bool {
    Reflect::get(rejection, &"name".into()).ok().and_then(|n| n.as_string()).as_deref() == Some("TimeoutError")
}
