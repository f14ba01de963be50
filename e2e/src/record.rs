//! What a tab did, as Chromium's DevTools protocol reports it: its console, its uncaught
//! exceptions, and every request it sent, with the headers on the wire and when each ended.

use std::sync::{Arc, Mutex};

use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventLoadingFinished, EventRequestWillBeSent, EventRequestWillBeSentExtraInfo,
};
use chromiumoxide::cdp::js_protocol::runtime::{EventConsoleApiCalled, EventExceptionThrown};
use chromiumoxide::page::Page;
use futures::{Stream, StreamExt};
use serde_json::Value;

/// Header `(lower-case name, value)` pairs.
pub type Headers = Vec<(String, String)>;

/// One request as the browser sent it (from CDP).
#[derive(Clone, Debug)]
pub struct SeenRequest {
    /// When the page started it (CDP's monotonic clock, seconds).
    pub sent_at: f64,
    /// CDP's request id (joins the raw headers).
    pub id: String,
    /// The URL on the wire (never the fragment).
    pub url: String,
    /// `GET`, `POST`, …
    pub method: String,
    /// Headers as the page set them, plus the raw ones the network stack sent.
    pub headers: Headers,
    /// The document (CDP's loader id) that sent it: a reload is a new one.
    pub document: String,
    /// When it ended, answered in full or failed (same clock as `sent_at`); `None` while under way.
    pub ended_at: Option<f64>,
}

/// What a page did, as seen from the browser.
#[derive(Clone, Default)]
pub(crate) struct Seen {
    pub(crate) console: Arc<Mutex<Vec<String>>>,
    requests: Arc<Mutex<Vec<SeenRequest>>>,
    raw_headers: Arc<Mutex<Vec<(String, Headers)>>>,
    /// Request ids and when each ended (finished or failed).
    ended: Arc<Mutex<Vec<(String, f64)>>>,
}

impl Seen {
    /// Starts recording what `page` does from now on: console calls and uncaught exceptions (into
    /// one console), requests sent, their raw headers, and when each ended.
    pub(crate) async fn record(page: &Page) -> Seen {
        let seen = Seen::default();
        let calls = page.event_listener::<EventConsoleApiCalled>().await.expect("console events");
        record(calls, seen.console.clone(), |call| {
            let text = call.args.iter().filter_map(|a| a.value.as_ref().map(|v| v.to_string())).collect::<Vec<_>>();
            format!("{:?}: {}", call.r#type, text.join(" "))
        });
        let exceptions = page.event_listener::<EventExceptionThrown>().await.expect("exception events");
        record(exceptions, seen.console.clone(), |exception| {
            let details = &exception.exception_details;
            let description = details.exception.as_ref().and_then(|e| e.description.clone()).unwrap_or_default();
            format!("exception: {} {description}", details.text)
        });
        let sent = page.event_listener::<EventRequestWillBeSent>().await.expect("request events");
        // `request.url` is what goes on the wire; CDP reports the fragment separately
        // (`url_fragment`) because browsers never send it.
        record(sent, seen.requests.clone(), |event| SeenRequest {
            sent_at: *event.timestamp.inner(),
            id: event.request_id.inner().clone(),
            url: event.request.url.clone(),
            method: event.request.method.clone(),
            headers: header_pairs(event.request.headers.inner()),
            document: event.loader_id.inner().clone(),
            ended_at: None,
        });
        let sent_raw = page.event_listener::<EventRequestWillBeSentExtraInfo>().await.expect("raw request events");
        record(sent_raw, seen.raw_headers.clone(), |event| {
            (event.request_id.inner().clone(), header_pairs(event.headers.inner()))
        });
        let finished = page.event_listener::<EventLoadingFinished>().await.expect("finished requests");
        let failed = page.event_listener::<EventLoadingFailed>().await.expect("failed requests");
        let ended = futures::stream::select(
            finished.map(|event| (event.request_id.inner().clone(), *event.timestamp.inner())),
            failed.map(|event| (event.request_id.inner().clone(), *event.timestamp.inner())),
        );
        record(ended, seen.ended.clone(), |end| end);
        seen
    }

    /// Console messages and uncaught exceptions so far.
    pub(crate) fn console(&self) -> Vec<String> {
        self.console.lock().unwrap().clone()
    }

    /// Every request sent so far, with the headers the network stack really sent (CDP's raw
    /// headers, which include cookies and `Referer`) merged in, and when each ended.
    pub(crate) fn requests(&self) -> Vec<SeenRequest> {
        let raw = self.raw_headers.lock().unwrap().clone();
        let ended = self.ended.lock().unwrap().clone();
        let mut requests = self.requests.lock().unwrap().clone();
        for request in &mut requests {
            for (_, headers) in raw.iter().filter(|(id, _)| *id == request.id) {
                request.headers.extend(headers.iter().cloned());
            }
            request.ended_at = ended.iter().find(|(id, _)| *id == request.id).map(|(_, at)| *at);
        }
        requests
    }
}

/// Pushes what `map` makes of each of `events` onto `sink`, in a task of its own, until the events
/// end (with their tab).
fn record<S, T>(events: S, sink: Arc<Mutex<Vec<T>>>, map: impl Fn(S::Item) -> T + Send + 'static)
where
    S: Stream + Send + 'static,
    T: Send + 'static,
{
    tokio::spawn(async move {
        let mut events = std::pin::pin!(events);
        while let Some(event) = events.next().await {
            sink.lock().unwrap().push(map(event));
        }
    });
}

/// A console line that means the page broke: a panic, an uncaught exception, a
/// Content-Security-Policy violation.
pub(crate) fn is_failure(line: &str) -> bool {
    line.starts_with("exception:") || line.contains("panicked at") || line.contains("csp-violation")
}

/// A CDP header object as `(lower-case name, value)` pairs.
fn header_pairs(headers: &Value) -> Headers {
    headers
        .as_object()
        .map(|map| {
            map.iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
                .collect()
        })
        .unwrap_or_default()
}
