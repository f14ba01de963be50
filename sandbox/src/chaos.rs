//! A fault-injecting front for the sandbox: added latency and jitter, connections reset before or in
//! the middle of a body, bodies that drip in slowly, bursts of 429 (with and without `Retry-After`)
//! and of 5xx, HTML pages in place of answers, and hangs — each chosen from a seed, each bounded.
//!
//! The fault for a request is a function of the seed and the request's identity (method, path and
//! how many such requests came before), not of timing: a seed replays the same faults for the same
//! requests. Preflights are answered by the CORS layer outside this one, so they pass untouched,
//! and every injected answer still carries CORS headers (a browser would otherwise report a
//! network error instead of the answer).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What the front can do to an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    /// 100–1,500 ms more before the answer.
    Latency,
    /// The connection drops before any of the body.
    ResetBefore,
    /// The connection drops halfway through the body.
    ResetMidBody,
    /// The body arrives in eight pieces over up to 2.4 s.
    SlowDrip,
    /// This and the next two answers are 429 with `Retry-After: 1`.
    RateLimitBurst,
    /// This and the next two answers are 429 with Kisi's generic code and no `Retry-After`.
    RateLimitBurstBare,
    /// This and the next answer are 502, 503 or 504, with an empty, HTML or code-less JSON body.
    ServerErrorBurst,
    /// A guest Wi-Fi's HTML sign-in page in place of the answer.
    HtmlAnswer,
    /// Nothing for 20 s, then 504 (the page's own time limit ends it first).
    Hang,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Faults in the order of the draw, with their share of requests in percent (the rest: none).
const DRAW: [(Fault, u64); 9] = [
    (Fault::Latency, 22),
    (Fault::ResetBefore, 4),
    (Fault::ResetMidBody, 4),
    (Fault::SlowDrip, 5),
    (Fault::RateLimitBurst, 4),
    (Fault::RateLimitBurstBare, 3),
    (Fault::ServerErrorBurst, 5),
    (Fault::HtmlAnswer, 2),
    (Fault::Hang, 3),
];

/// The fault front's state: its seed, what it drew, and any burst under way.
#[derive(Debug)]
pub struct Chaos {
    seed: u64,
    seen: Mutex<HashMap<String, u64>>,
    burst: Mutex<Option<(Fault, u32)>>,
    injected: Mutex<BTreeMap<Fault, u64>>,
}

/// SplitMix64: a well-mixed 64-bit hash of a 64-bit value (also the chaos driver's dice).
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of `text`, to turn a request's identity into a number.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

impl Chaos {
    /// A front drawing its faults from `seed`.
    pub fn new(seed: u64) -> Arc<Chaos> {
        Arc::new(Chaos { seed, seen: Mutex::default(), burst: Mutex::default(), injected: Mutex::default() })
    }

    /// How many of each fault it has injected so far.
    pub fn injected(&self) -> BTreeMap<Fault, u64> {
        self.injected.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The fault for the next request `identity` (method and path), and a number for its details.
    fn draw(&self, identity: &str) -> Option<(Fault, u64)> {
        let nth = {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            let count = seen.entry(identity.to_owned()).or_default();
            *count += 1;
            *count
        };
        let roll = mix(self.seed ^ mix(fnv(identity) ^ nth));
        let mut burst = self.burst.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((fault, left)) = burst.as_mut() {
            let fault = *fault;
            *left -= 1;
            if *left == 0 {
                *burst = None;
            }
            return Some((fault, roll));
        }
        let mut at = roll % 100;
        let fault = DRAW.iter().find_map(|(fault, share)| {
            if at < *share {
                Some(*fault)
            } else {
                at -= share;
                None
            }
        })?;
        match fault {
            Fault::RateLimitBurst | Fault::RateLimitBurstBare => *burst = Some((fault, 2)),
            Fault::ServerErrorBurst => *burst = Some((fault, 1)),
            _ => {}
        }
        Some((fault, roll))
    }

    fn count(&self, fault: Fault) {
        *self.injected.lock().unwrap_or_else(|e| e.into_inner()).entry(fault).or_default() += 1;
    }
}

/// Axum middleware: the fault front.
pub async fn front(State(chaos): State<Arc<Chaos>>, request: Request, next: Next) -> Response {
    let identity = format!("{} {}", request.method(), request.uri().path());
    let Some((fault, roll)) = chaos.draw(&identity) else { return next.run(request).await };
    chaos.count(fault);
    match fault {
        Fault::Latency => {
            tokio::time::sleep(Duration::from_millis(100 + roll % 1_400)).await;
            next.run(request).await
        }
        Fault::ResetBefore => broken(Bytes::new()),
        Fault::ResetMidBody => {
            let answer = next.run(request).await;
            let (parts, body) = answer.into_parts();
            let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
            let mut answer = broken(bytes.slice(..bytes.len() / 2));
            answer.headers_mut().extend(parts.headers);
            answer.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len().max(1)));
            *answer.status_mut() = parts.status;
            answer
        }
        Fault::SlowDrip => {
            let answer = next.run(request).await;
            let (parts, body) = answer.into_parts();
            let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
            let pause = Duration::from_millis(50 + roll % 250);
            let pieces: Vec<Bytes> =
                (0..8).map(|i| bytes.slice(bytes.len() * i / 8..bytes.len() * (i + 1) / 8)).collect();
            let dripping = futures_util::stream::unfold(pieces.into_iter(), move |mut pieces| async move {
                let piece = pieces.next()?;
                tokio::time::sleep(pause).await;
                Some((Ok::<Bytes, std::io::Error>(piece), pieces))
            });
            let mut answer = Response::from_parts(parts, Body::from_stream(dripping));
            answer.headers_mut().remove(header::CONTENT_LENGTH);
            answer
        }
        Fault::RateLimitBurst => {
            let mut answer =
                (StatusCode::TOO_MANY_REQUESTS, axum::Json(serde_json::json!({"error": "Too many requests."})))
                    .into_response();
            answer.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            answer
        }
        Fault::RateLimitBurstBare => (
            StatusCode::TOO_MANY_REQUESTS,
            axum::Json(serde_json::json!({"error": "An unexpected issue occured.", "code": "ffffff"})),
        )
            .into_response(),
        Fault::ServerErrorBurst => {
            let status = [StatusCode::BAD_GATEWAY, StatusCode::SERVICE_UNAVAILABLE, StatusCode::GATEWAY_TIMEOUT]
                [(roll % 3) as usize];
            match (roll >> 8) % 3 {
                0 => status.into_response(),
                1 => (status, [(header::CONTENT_TYPE, "text/html")], "<html><body>Bad gateway</body></html>")
                    .into_response(),
                _ => (status, axum::Json(serde_json::json!({"error": "Service unavailable"}))).into_response(),
            }
        }
        Fault::HtmlAnswer => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!doctype html><html><body><h1>Guest Wi-Fi</h1><p>Sign in to continue.</p></body></html>",
        )
            .into_response(),
        Fault::Hang => {
            tokio::time::sleep(Duration::from_secs(20)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
    }
}

/// An answer whose connection drops after `sent` bytes of its body.
fn broken(sent: Bytes) -> Response {
    let body =
        futures_util::stream::iter([Ok(sent), Err(std::io::Error::other("connection reset by the chaos front"))]);
    let mut answer = Response::new(Body::from_stream(body));
    answer.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_draws_the_same_faults_for_the_same_requests() {
        let draws = |seed| {
            let chaos = Chaos::new(seed);
            (0..200).map(|n| chaos.draw(&format!("GET /locks{}", n % 7)).map(|(fault, _)| fault)).collect::<Vec<_>>()
        };
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
        let faults = draws(7).into_iter().flatten().count();
        assert!((40..=140).contains(&faults), "about half of the requests get a fault: {faults}");
    }

    #[test]
    fn a_burst_covers_the_next_requests() {
        let chaos = Chaos::new(1);
        *chaos.burst.lock().unwrap() = Some((Fault::RateLimitBurst, 2));
        assert_eq!(chaos.draw("GET /a").map(|d| d.0), Some(Fault::RateLimitBurst));
        assert_eq!(chaos.draw("POST /b").map(|d| d.0), Some(Fault::RateLimitBurst));
        assert!(chaos.burst.lock().unwrap().is_none(), "then it is over");
    }
}
