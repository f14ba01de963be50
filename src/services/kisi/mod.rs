//! Everything that talks to Kisi. Views never build a request: they hold a [`KisiClient`].
//!
//! Every request waits at the page's [`RequestGate`], is paced (never more than Kisi's 5 per second
//! from this page: one [`RateWindow`] for all of the page's clients), time-limited, carries the
//! secret only in the `Authorization` header, and sends no cookies and no `Referer`. Failures come
//! back as [`ApiError`]s in the visitor's terms; the door list retries what may pass by itself
//! (rate limits, outages) before giving up, an unlock at most once.
//!
//! The rules live here, over a [`Network`]: the browser's in the page
//! ([`browser::BrowserNetwork`]), a scripted one in the host tests below.

pub mod browser;
pub mod error;
pub mod gate;
pub mod network;

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Duration;

use or_poisoned::OrPoisoned;

use crate::domain::door::{DoorId, LockList};
use crate::domain::lock::{LockPage, Organization};
use crate::domain::pace::{READ_WITHIN, RateWindow, UNLOCK_WITHIN, retry_delay, unlock_retry_delay};
use crate::domain::paging::{CollectionRange, PAGE_SIZE, next_offset};
use crate::domain::problem::Problem;
use crate::domain::secret::Secret;
use error::{ApiError, ErrorBody};
use gate::RequestGate;
use network::{Method, Network, NetworkError, Request, Response};

/// The Kisi client of the page: a [`KisiClient`] over the browser's network.
pub type Client = KisiClient<browser::BrowserNetwork>;

/// The page's access to one Kisi API: where it is, how long a request may take, and what every
/// client of the page shares (the pace window, the gate). Clones share all of it.
pub struct Kisi<N> {
    shared: Arc<Shared<N>>,
}

struct Shared<N> {
    network: N,
    base: String,
    timeout: Duration,
    pace: Mutex<RateWindow>,
    gate: RequestGate,
}

impl<N> Clone for Kisi<N> {
    fn clone(&self) -> Self {
        Kisi { shared: self.shared.clone() }
    }
}

impl<N: Network> Kisi<N> {
    /// The API at `base` (e.g. `https://api.kisi.io`), each request limited to `timeout`, all of
    /// them held at `gate`.
    pub fn new(network: N, base: &str, timeout: Duration, gate: RequestGate) -> Self {
        let base = base.trim_end_matches('/').to_owned();
        Kisi { shared: Arc::new(Shared { network, base, timeout, pace: Mutex::default(), gate }) }
    }

    /// A client for one link.
    pub fn client(&self, secret: Secret) -> KisiClient<N> {
        KisiClient { kisi: self.clone(), secret }
    }
}

/// A Kisi API client holding one group link's secret.
pub struct KisiClient<N> {
    kisi: Kisi<N>,
    secret: Secret,
}

impl<N> Clone for KisiClient<N> {
    fn clone(&self) -> Self {
        KisiClient { kisi: self.kisi.clone(), secret: self.secret.clone() }
    }
}

impl<N> PartialEq for KisiClient<N> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.kisi.shared, &other.kisi.shared) && self.secret == other.secret
    }
}

impl<N> std::fmt::Debug for KisiClient<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KisiClient").field("secret", &self.secret).finish_non_exhaustive()
    }
}

/// The least time an attempt is given: less is not worth starting.
const MIN_ATTEMPT: Duration = Duration::from_secs(1);

/// Whether a body that is not JSON is a web page (a sign-in page, a filter's notice).
fn looks_like_html<B>(answer: &Response<B>) -> bool {
    answer.content_type.as_deref().is_some_and(|t| t.contains("html")) || answer.text.trim_start().starts_with('<')
}

/// How the `Authorization` header introduces a group link's secret.
pub const AUTHORIZATION_SCHEME: &str = "KISI-GROUP-LINK ";

/// The `Authorization` header's value for `secret`: the one place the secret goes.
pub fn authorization(secret: &Secret) -> String {
    format!("{AUTHORIZATION_SCHEME}{}", secret.expose())
}

/// The URL of the page of doors at `offset` (at 0, the one `index.html`'s head start may have
/// requested), under `base` as the configuration reader and [`Kisi::new`] leave it: without a
/// trailing `/`.
pub fn locks_url(base: &str, offset: u64) -> String {
    format!("{base}/locks?limit={PAGE_SIZE}&offset={offset}")
}

/// What an unlock's URL has after the base, before and after the door's id (the head start
/// builds the same URL for a tap on a painted door).
pub const UNLOCK_PATH: [&str; 2] = ["/locks/", "/unlock"];

/// The URL that unlocks `door`, under `base` (see [`locks_url`]).
pub fn unlock_url(base: &str, door: DoorId) -> String {
    format!("{base}{}{door}{}", UNLOCK_PATH[0], UNLOCK_PATH[1])
}

impl<N: Network> KisiClient<N> {
    /// The URL that unlocks `door` on this client's API.
    pub fn unlock_url(&self, door: DoorId) -> String {
        unlock_url(&self.kisi.shared.base, door)
    }

    /// The link's secret (for the door cache's key and the "remember this link" choice; never for
    /// display).
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// `GET /locks`, page after page, until every door the link grants has been read. Each page is
    /// retried on its own when Kisi is rate limiting or briefly unreachable, all of it within
    /// [`READ_WITHIN`]: then the last failure is the answer. Returns the doors and Kisi's answer pages
    /// as they came (for the door cache).
    pub async fn fetch_all_locks(&self) -> Result<(LockList, Vec<String>), ApiError> {
        let give_up_at = self.kisi.shared.network.now() + READ_WITHIN.as_millis() as f64;
        let mut list = LockList::default();
        let mut pages = Vec::new();
        let mut offset = 0;
        loop {
            let url = locks_url(&self.kisi.shared.base, offset);
            // The first page's first attempt may already be under way (`index.html` started it).
            let mut first_attempt = offset == 0;
            let attempt = || self.send(Method::Get, &url, std::mem::take(&mut first_attempt), give_up_at);
            let policy = |e: &ApiError, retries| retry_delay(e.problem, retries, e.retry_after);
            let answer = self.retrying(attempt, policy, give_up_at).await?;
            let page = answer
                .json
                .as_ref()
                .and_then(LockPage::read)
                .ok_or_else(|| ApiError::without_response(Problem::BadResponse))?;
            let received = page.received;
            list.add(page.doors, received);
            pages.push(answer.text);
            let range = answer.range.as_deref().and_then(CollectionRange::parse);
            match next_offset(offset, received, range) {
                Some(next) => offset = next,
                None => return Ok((list, pages)),
            }
        }
    }

    /// `GET /organization`: name and logo for a page the operator did not brand. Not retried: the
    /// doors matter, the branding is a nicety.
    pub async fn fetch_organization(&self) -> Result<Organization, ApiError> {
        let url = format!("{}/organization", self.kisi.shared.base);
        let give_up_at = self.kisi.shared.network.now() + self.kisi.shared.timeout.as_millis() as f64;
        let answer = self.send(Method::Get, &url, false, give_up_at).await?;
        answer
            .json
            .as_ref()
            .and_then(Organization::read)
            .ok_or_else(|| ApiError::without_response(Problem::BadResponse))
    }

    /// `POST /locks/{id}/unlock`. Geofence and reader restrictions do not apply to group links, so
    /// the body is empty JSON. A rate limit or a brief outage is retried once; anything else is the
    /// visitor's call. All within [`UNLOCK_WITHIN`] (or the configured limit, if shorter). An unlock
    /// that got no answer may have opened the door or not: it says so
    /// ([`Problem::UnlockUnconfirmed`]), unless the device is offline (then it never left).
    pub async fn unlock(&self, door: DoorId) -> Result<(), ApiError> {
        let url = unlock_url(&self.kisi.shared.base, door);
        let within = UNLOCK_WITHIN.min(self.kisi.shared.timeout);
        let give_up_at = self.kisi.shared.network.now() + within.as_millis() as f64;
        let once = |e: &ApiError, retries| unlock_retry_delay(e.problem, retries, e.retry_after);
        // The first attempt may be the head start's: a tap on the door it painted.
        let mut first_attempt = true;
        let attempt = || self.send(Method::Post, &url, std::mem::take(&mut first_attempt), give_up_at);
        let outcome = self.retrying(attempt, once, give_up_at).await;
        outcome.map(drop).map_err(|error| match error.problem {
            Problem::Timeout | Problem::Unreachable => ApiError::without_response(Problem::UnlockUnconfirmed),
            _ => error,
        })
    }

    /// One request: held at the gate, paced, time-limited (to the configured limit, and to
    /// `give_up_at`, ms on the network's clock), its failure mapped.
    async fn send(
        &self,
        method: Method,
        url: &str,
        may_be_under_way: bool,
        give_up_at: f64,
    ) -> Result<Response<N::Body>, ApiError> {
        let shared = &self.kisi.shared;
        // The gate is held while the site's configuration cannot be had: a request waits for it
        // no longer than it may take in all.
        let left = Duration::from_millis((give_up_at - shared.network.now()).max(0.0) as u64);
        // A race of two futures, by hand: futures-util's `select` (already in the graph, through
        // gloo-net) measured +394 B brotli for the same thing.
        let (mut passed, mut waited) = (pin!(shared.gate.passed()), shared.network.sleep(left));
        let settled = poll_fn(|context| match passed.as_mut().poll(context) {
            Poll::Ready(passed) => Poll::Ready(Some(passed)),
            Poll::Pending => waited.as_mut().poll(context).map(|()| None),
        });
        match settled.await {
            Some(Ok(())) => {}
            Some(Err(problem)) => return Err(ApiError::without_response(problem)),
            // Not sent: the site itself could not be reached, so the connection is the problem.
            None => return Err(ApiError::without_response(Problem::Network)),
        }
        self.wait_turn().await;
        let left = Duration::from_millis((give_up_at - shared.network.now()).max(0.0) as u64);
        let timeout = shared.timeout.min(left).max(MIN_ATTEMPT);
        let authorization = authorization(&self.secret);
        let request = Request { method, url, authorization: &authorization, may_be_under_way };
        match shared.network.send(request, timeout).await {
            Err(NetworkError::Offline) => Err(ApiError::without_response(Problem::Network)),
            Err(NetworkError::Connection) => Err(ApiError::without_response(Problem::Unreachable)),
            Err(NetworkError::Timeout) => Err(ApiError::without_response(Problem::Timeout)),
            // Kisi's API never redirects, and answers JSON: anything else came from the network in
            // between (a guest Wi-Fi's sign-in page).
            Ok(answer) if answer.redirected => Err(ApiError::from_foreign_answer(answer.status, false, true)),
            Ok(answer) if (200..300).contains(&answer.status) && answer.json.is_none() && looks_like_html(&answer) => {
                Err(ApiError::from_foreign_answer(answer.status, true, false))
            }
            Ok(answer) if (200..300).contains(&answer.status) => Ok(answer),
            Ok(answer) => {
                let body = answer.json.as_ref().and_then(ErrorBody::read);
                Err(ApiError::from_body(answer.status, body).with_retry_after(answer.retry_after.as_deref()))
            }
        }
    }

    /// Waits until the page's window has room, then records the real start: between the check and
    /// the record nothing else runs, so concurrent unlocks cannot overfill the window either.
    async fn wait_turn(&self) {
        let shared = &self.kisi.shared;
        loop {
            let now = shared.network.now();
            let wait = {
                let mut window = shared.pace.lock().or_poisoned();
                let wait = window.wait_for(now);
                if wait <= 0.0 {
                    window.record(now);
                }
                wait
            };
            if wait <= 0.0 {
                return;
            }
            shared.network.sleep(Duration::from_millis(wait.ceil() as u64)).await;
        }
    }

    /// Runs `attempt` until it succeeds or `policy` (given the error and the retries made so far)
    /// says to stop, waiting as long as the policy asks in between — but never past `give_up_at`
    /// (ms on the network's clock): a wait that would leave no time for an attempt is not begun.
    async fn retrying<T, F, Fut>(
        &self,
        mut attempt: F,
        policy: impl Fn(&ApiError, u32) -> Option<Duration>,
        give_up_at: f64,
    ) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let network = &self.kisi.shared.network;
        let mut retries = 0;
        loop {
            match attempt().await {
                Err(error) => match policy(&error, retries) {
                    Some(wait) if network.now() + (wait + MIN_ATTEMPT).as_millis() as f64 <= give_up_at => {
                        network.sleep(wait).await;
                        retries += 1;
                    }
                    _ => return Err(error),
                },
                done => return done,
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! The client's rules against a scripted network on a virtual clock: no browser, no waiting.

    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use serde_json::{Value, json};

    use super::*;
    use crate::domain::pace::{MAX_REQUESTS, WINDOW_MS};

    /// A request as the scripted network saw it: when, how, where, with what, and whether the head
    /// start may have sent it already.
    type Sent = (f64, Method, String, String, bool);

    /// What the scripted network answers, in order, and what it saw.
    #[derive(Default)]
    struct Script {
        answers: RefCell<VecDeque<Result<Response<Value>, NetworkError>>>,
        sent: RefCell<Vec<Sent>>,
        limits: RefCell<Vec<Duration>>,
        clock: RefCell<f64>,
        clock_stopped: RefCell<bool>,
    }

    #[derive(Clone, Default)]
    struct Scripted(std::rc::Rc<Script>);

    impl Network for Scripted {
        type Body = Value;

        fn send<'a>(
            &'a self,
            request: Request<'a>,
            timeout: Duration,
        ) -> network::LocalFuture<'a, Result<Response<Value>, NetworkError>> {
            let script = &self.0;
            script.limits.borrow_mut().push(timeout);
            script.sent.borrow_mut().push((
                *script.clock.borrow(),
                request.method,
                request.url.to_owned(),
                request.authorization.to_owned(),
                request.may_be_under_way,
            ));
            let answer = script.answers.borrow_mut().pop_front().expect("the script has an answer for every request");
            // A request that times out took its whole limit.
            if answer.as_ref().is_err_and(|lost| *lost == NetworkError::Timeout) {
                *script.clock.borrow_mut() += timeout.as_millis() as f64;
            }
            Box::pin(async move { answer })
        }

        fn now(&self) -> f64 {
            *self.0.clock.borrow()
        }

        /// Time passes when the sleep is first waited on, at once; not at all while the test has
        /// stopped the clock (a sleep then never ends).
        fn sleep(&self, duration: Duration) -> network::LocalFuture<'static, ()> {
            let script = self.0.clone();
            Box::pin(async move {
                if *script.clock_stopped.borrow() {
                    std::future::pending::<()>().await;
                }
                *script.clock.borrow_mut() += duration.as_millis() as f64;
            })
        }
    }

    fn ok(body: Value, range: Option<&str>) -> Result<Response<Value>, NetworkError> {
        Ok(Response {
            status: 200,
            text: body.to_string(),
            json: Some(body),
            range: range.map(str::to_owned),
            retry_after: None,
            content_type: Some("application/json".into()),
            redirected: false,
        })
    }

    fn failed(status: u16, body: &str, retry_after: Option<&str>) -> Result<Response<Value>, NetworkError> {
        Ok(Response {
            status,
            text: body.to_owned(),
            json: serde_json::from_str(body).ok(),
            range: None,
            retry_after: retry_after.map(str::to_owned),
            content_type: None,
            redirected: false,
        })
    }

    fn doors(ids: std::ops::Range<u64>) -> Value {
        Value::Array(ids.map(|id| json!({ "id": id, "name": format!("Door {id}") })).collect())
    }

    fn scripted(
        answers: Vec<Result<Response<Value>, NetworkError>>,
        gate: RequestGate,
    ) -> (KisiClient<Scripted>, Scripted) {
        let network = Scripted::default();
        network.0.answers.borrow_mut().extend(answers);
        let kisi = Kisi::new(network.clone(), "https://api.example.com/", Duration::from_secs(15), gate);
        (kisi.client(Secret::new("abcd1234").unwrap()), network)
    }

    /// Polls `future` to its end; everything here is ready at once but for a held gate.
    fn finish<T>(future: impl Future<Output = T>) -> T {
        let mut future = pin!(future);
        match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(value) => value,
            Poll::Pending => panic!("the future waited for something the test never gives"),
        }
    }

    #[test]
    fn pages_until_the_total_is_read_and_keeps_each_answer() {
        let (client, network) = scripted(
            vec![
                ok(doors(0..250), Some("0-249/612")),
                ok(doors(250..500), Some("250-499/612")),
                ok(doors(500..612), Some("500-749/612")),
            ],
            RequestGate::default(),
        );
        let (list, pages) = finish(client.fetch_all_locks()).unwrap();
        assert_eq!((list.doors.len(), list.skipped, pages.len()), (612, 0, 3));
        let sent = network.0.sent.borrow();
        let urls: Vec<&str> = sent.iter().map(|(_, _, url, _, _)| url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://api.example.com/locks?limit=250&offset=0",
                "https://api.example.com/locks?limit=250&offset=250",
                "https://api.example.com/locks?limit=250&offset=500"
            ]
        );
        assert!(
            sent.iter().all(|(_, method, _, auth, _)| *method == Method::Get && auth == "KISI-GROUP-LINK abcd1234")
        );
        let under_way: Vec<bool> = sent.iter().map(|(.., early)| *early).collect();
        assert_eq!(under_way, [true, false, false], "only the first page's first try may be the head start's");
    }

    #[test]
    fn a_page_is_retried_after_a_rate_limit_and_an_outage_then_given_up() {
        let (client, network) = scripted(
            vec![
                failed(429, r#"{"error":"Too many requests."}"#, Some("2")),
                failed(503, "Service Unavailable", None),
                ok(doors(0..3), None),
            ],
            RequestGate::default(),
        );
        let (list, _) = finish(client.fetch_all_locks()).unwrap();
        assert_eq!(list.doors.len(), 3);
        let starts: Vec<f64> = network.0.sent.borrow().iter().map(|(at, ..)| *at).collect();
        assert_eq!(starts, [0.0, 2000.0, 4000.0], "Retry-After: 2, then the 503's back-off after one retry (2 s)");
        let under_way: Vec<bool> = network.0.sent.borrow().iter().map(|(.., early)| *early).collect();
        assert_eq!(under_way, [true, false, false], "a retry is never the head start's request");

        let (client, network) = scripted(
            vec![Err(NetworkError::Timeout), Err(NetworkError::Connection), Err(NetworkError::Timeout)],
            RequestGate::default(),
        );
        assert_eq!(finish(client.fetch_all_locks()).unwrap_err().problem, Problem::Timeout);
        assert_eq!(network.0.sent.borrow().len(), 3, "the first try and two retries");
    }

    #[test]
    fn a_reading_that_gets_no_answer_gives_up_within_its_time() {
        // Kisi never answers: each try takes its whole limit (15 s, cut to what is left).
        let (client, network) = scripted((0..10).map(|_| Err(NetworkError::Timeout)).collect(), RequestGate::default());
        let error = finish(client.fetch_all_locks()).unwrap_err();
        assert_eq!(error.problem, Problem::Timeout);
        let ended = *network.0.clock.borrow();
        assert!(ended <= READ_WITHIN.as_millis() as f64, "the final message came at {ended} ms");
        let limits: Vec<u128> = network.0.limits.borrow().iter().map(Duration::as_millis).collect();
        assert_eq!(limits, [15_000, 14_000], "the second try gets what is left after 15 s and a 1 s wait");
    }

    #[test]
    fn the_network_in_the_way_is_told_apart() {
        let page = |status, content_type: &str, redirected| {
            Ok(Response {
                status,
                text: "<html><body>Sign in to Guest Wi-Fi</body></html>".into(),
                json: None,
                range: None,
                retry_after: None,
                content_type: Some(content_type.into()),
                redirected,
            })
        };
        for answer in [page(200, "text/html", false), page(200, "text/plain", true), page(200, "", false)] {
            let (client, _) = scripted(vec![answer], RequestGate::default());
            assert_eq!(finish(client.fetch_all_locks()).unwrap_err().problem, Problem::CaptivePortal);
        }
        let (client, _) = scripted(vec![page(503, "text/html", false), ok(doors(0..1), None)], RequestGate::default());
        assert!(finish(client.fetch_all_locks()).is_ok(), "a proxy's HTML 503 is an outage: waited out");
        let (client, _) = scripted((0..3).map(|_| Err(NetworkError::Connection)).collect(), RequestGate::default());
        assert_eq!(finish(client.fetch_all_locks()).unwrap_err().problem, Problem::Unreachable);
        let (client, _) = scripted((0..3).map(|_| Err(NetworkError::Offline)).collect(), RequestGate::default());
        assert_eq!(finish(client.fetch_all_locks()).unwrap_err().problem, Problem::Network);
    }

    #[test]
    fn an_unlock_without_an_answer_says_the_door_may_have_opened() {
        let (client, network) = scripted(vec![Err(NetworkError::Timeout)], RequestGate::default());
        assert_eq!(finish(client.unlock(DoorId(3))).unwrap_err().problem, Problem::UnlockUnconfirmed);
        assert_eq!(network.0.limits.borrow()[0], UNLOCK_WITHIN, "an unlock waits 10 s at most, not the list's 15");
        let (client, _) = scripted(vec![Err(NetworkError::Offline)], RequestGate::default());
        assert_eq!(finish(client.unlock(DoorId(3))).unwrap_err().problem, Problem::Network, "offline: it never left");
    }

    #[test]
    fn link_problems_and_garbled_answers_are_not_retried() {
        let (client, network) =
            scripted(vec![failed(403, r#"{"error":"x","code":"f35ade"}"#, None)], RequestGate::default());
        let error = finish(client.fetch_all_locks()).unwrap_err();
        assert_eq!((error.problem, error.code.as_deref()), (Problem::LinkExpired, Some("f35ade")));
        assert_eq!(network.0.sent.borrow().len(), 1);

        let (client, _) = scripted(vec![ok(json!({"not": "a list"}), None)], RequestGate::default());
        assert_eq!(finish(client.fetch_all_locks()).unwrap_err().problem, Problem::BadResponse);
    }

    #[test]
    fn an_unlock_is_retried_once_and_only_when_it_can_help() {
        let (client, network) = scripted(
            vec![failed(429, "", Some("1")), ok(json!({"message": "Unlocked!"}), None)],
            RequestGate::default(),
        );
        assert_eq!(finish(client.unlock(DoorId(7))), Ok(()));
        let sent = network.0.sent.borrow();
        assert_eq!(sent.len(), 2);
        assert!(sent.iter().all(|(_, method, url, ..)| *method == Method::Post && url.ends_with("/locks/7/unlock")));
        drop(sent);

        let (client, network) =
            scripted(vec![failed(503, r#"{"error":"x","code":"fac001"}"#, None)], RequestGate::default());
        assert_eq!(finish(client.unlock(DoorId(7))).unwrap_err().problem, Problem::DoorOffline);
        assert_eq!(network.0.sent.borrow().len(), 1, "an offline controller is not retried");
    }

    #[test]
    fn never_more_than_five_starts_in_any_window() {
        let answers = (0..12).map(|_| ok(json!({"message": "Unlocked!"}), None)).collect();
        let (client, network) = scripted(answers, RequestGate::default());
        for id in 0..12 {
            finish(client.unlock(DoorId(id))).unwrap();
        }
        let starts: Vec<f64> = network.0.sent.borrow().iter().map(|(at, ..)| *at).collect();
        for (i, start) in starts.iter().enumerate() {
            let within = starts[i..].iter().filter(|s| **s < start + WINDOW_MS).count();
            assert!(within <= MAX_REQUESTS, "{within} starts within a window from {start}: {starts:?}");
        }
        assert_eq!(starts[5], WINDOW_MS, "the sixth waited for the window");
    }

    #[test]
    fn nothing_is_sent_until_the_gate_opens_and_nothing_at_all_if_it_closes() {
        let gate = RequestGate::held();
        let (client, network) = scripted(vec![ok(doors(0..1), None)], gate.clone());
        *network.0.clock_stopped.borrow_mut() = true;
        let mut fetching = pin!(client.fetch_all_locks());
        let mut context = Context::from_waker(Waker::noop());
        assert!(fetching.as_mut().poll(&mut context).is_pending());
        assert!(network.0.sent.borrow().is_empty(), "held at the gate");
        gate.open();
        assert!(matches!(fetching.as_mut().poll(&mut context), Poll::Ready(Ok(_))));
        assert_eq!(network.0.sent.borrow().len(), 1);

        let gate = RequestGate::held();
        let (client, network) = scripted(Vec::new(), gate.clone());
        *network.0.clock_stopped.borrow_mut() = true;
        let mut unlocking = pin!(client.unlock(DoorId(1)));
        assert!(unlocking.as_mut().poll(&mut context).is_pending());
        gate.close(Problem::SiteSettings);
        match unlocking.as_mut().poll(&mut context) {
            Poll::Ready(Err(error)) => assert_eq!(error.problem, Problem::SiteSettings, "the gate's reason"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(network.0.sent.borrow().is_empty(), "a closed gate sends nothing, ever");
    }

    #[test]
    fn a_gate_that_never_settles_holds_requests_no_longer_than_they_may_take() {
        let (client, network) = scripted(Vec::new(), RequestGate::held());
        let error = finish(client.fetch_all_locks()).unwrap_err();
        assert_eq!(error.problem, Problem::Network);
        assert_eq!(*network.0.clock.borrow(), READ_WITHIN.as_millis() as f64, "gave up when the reading's time was up");
        assert!(network.0.sent.borrow().is_empty(), "nothing went past the gate");

        let (client, network) = scripted(Vec::new(), RequestGate::held());
        let error = finish(client.unlock(DoorId(1))).unwrap_err();
        assert_eq!(error.problem, Problem::Network, "never sent, so not unconfirmed");
        assert_eq!(*network.0.clock.borrow(), UNLOCK_WITHIN.as_millis() as f64);
        assert!(network.0.sent.borrow().is_empty());
    }
}
