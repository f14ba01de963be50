//! Request recording, so tests can assert on exactly what a browser sent.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// Bodies larger than this are cut in the record (the request itself is passed on whole).
const MAX_RECORDED_BODY: usize = 1 << 20;

/// One request as it reached a server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `GET`, `POST`, `OPTIONS`, …
    pub method: String,
    /// Path and query, e.g. `/locks?limit=250&offset=0`.
    pub path: String,
    /// Every header, names lower-case, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy UTF-8).
    pub body: String,
    /// When the request arrived (for rate and back-off assertions).
    pub received_at: Instant,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The path without its query.
    pub fn path_only(&self) -> &str {
        self.path.split('?').next().unwrap_or_default()
    }
}

/// A shared, append-only log of requests, with a way to await the next one.
#[derive(Clone, Debug)]
pub struct Recorder {
    log: Arc<Mutex<Vec<RecordedRequest>>>,
    /// Bumped on every request: waiters wake on the change, and none is ever missed.
    arrivals: Arc<tokio::sync::watch::Sender<usize>>,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder { log: Arc::default(), arrivals: Arc::new(tokio::sync::watch::channel(0).0) }
    }
}

impl Recorder {
    /// Everything recorded so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until `done` holds for the requests recorded so far, re-checking on each arrival (an
    /// event, not a poll); `false` if `limit` passed first.
    pub async fn wait_until(&self, limit: Duration, done: impl Fn(&[RecordedRequest]) -> bool) -> bool {
        let mut arrivals = self.arrivals.subscribe();
        tokio::time::timeout(limit, async {
            loop {
                if done(&self.requests()) {
                    return;
                }
                if arrivals.changed().await.is_err() {
                    return;
                }
            }
        })
        .await
        .is_ok()
    }

    fn push(&self, request: RecordedRequest) {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).push(request);
        self.arrivals.send_modify(|n| *n += 1);
    }
}

/// Axum middleware: records the request, then passes it on unchanged.
pub async fn record(State(recorder): State<Recorder>, request: Request, next: Next) -> Response {
    let received_at = Instant::now();
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    recorder.push(RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| parts.uri.path().to_owned()),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect(),
        body: String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_RECORDED_BODY)]).into_owned(),
        received_at,
    });
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}
