//! The client's one seam: sending a request and waiting. In the page it is the browser's `fetch`
//! and timers ([`super::browser::BrowserNetwork`]); in host tests a scripted stand-in, so the
//! paging, pacing, retrying and holding rules are tested without a browser.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::domain::json::JsonValue;

/// A future that stays on this thread (the page has one).
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// `GET` or `POST`: all the page ever sends to Kisi.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Reading.
    Get,
    /// Unlocking (with the body `{}`).
    Post,
}

/// One request to Kisi.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// `GET` or `POST`.
    pub method: Method,
    /// The whole URL.
    pub url: &'a str,
    /// The `Authorization` header's value: the one place the secret goes.
    pub authorization: &'a str,
    /// `index.html` may already have started exactly this request (the first page of doors, or an
    /// unlock tapped on the painted list).
    pub may_be_under_way: bool,
}

/// What came back.
#[derive(Clone, Debug)]
pub struct Response<B> {
    /// The HTTP status.
    pub status: u16,
    /// The body as text (kept for the door cache).
    pub text: String,
    /// The body parsed, when it is JSON.
    pub json: Option<B>,
    /// `X-Collection-Range`.
    pub range: Option<String>,
    /// `Retry-After`.
    pub retry_after: Option<String>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// Whether the request was redirected on its way (Kisi never redirects its API).
    pub redirected: bool,
}

/// Why no answer came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetworkError {
    /// The device is offline.
    Offline,
    /// Online, yet the connection failed or was cut (DNS, TLS, CORS, a reset mid-body).
    Connection,
    /// Nothing within the time limit.
    Timeout,
}

/// Sending and waiting.
pub trait Network {
    /// How a parsed body is held.
    /// A parsed JSON body: the browser's value in the page, serde_json's in the host tests.
    type Body: JsonValue;

    /// Sends `request` once and reads its whole answer, giving up after `timeout`.
    fn send<'a>(
        &'a self,
        request: Request<'a>,
        timeout: Duration,
    ) -> LocalFuture<'a, Result<Response<Self::Body>, NetworkError>>;

    /// Milliseconds on the page's clock.
    fn now(&self) -> f64;

    /// Waits `duration`.
    fn sleep(&self, duration: Duration) -> LocalFuture<'static, ()>;
}
