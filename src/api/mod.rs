//! Everything that talks to Kisi. Views never build a request: they call [`KisiClient`].
//!
//! Every request is paced (never more than Kisi's 5 per second from this page), time-limited
//! (aborted when Kisi does not answer in time), carries the secret only in the `Authorization`
//! header, and sends no cookies and no `Referer`. Failures come back as [`ApiError`]s in the
//! visitor's terms; the door list retries what may pass by itself (rate limits, outages) before
//! giving up, an unlock at most once.

pub mod deadline;
pub mod early;
pub mod error;
pub mod lock;
pub mod pace;
pub mod range;

use std::cell::RefCell;
use std::future::Future;
use std::time::Duration;

use gloo_net::http::{Method, RequestBuilder, Response};
use web_sys::{ReferrerPolicy, RequestCredentials};

use crate::door::{Door, DoorId};
use crate::fragment::Secret;
use crate::json::Json;
use deadline::{Deadline, now, sleep};
use error::{ApiError, Problem};
use lock::{LockPage, decode_lock_page};
use pace::{RateWindow, retry_delay};
use range::{CollectionRange, PAGE_SIZE, next_offset};

/// How long a request may take unless the configuration says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

thread_local! {
    /// One window for the whole page: Kisi counts every request of the link together.
    static PACE: RefCell<RateWindow> = RefCell::default();
}

/// Every door of a link, read across all pages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LockList {
    /// The doors, in API order.
    pub doors: Vec<Door>,
    /// Items Kisi sent that were not a usable door.
    pub skipped: usize,
}

impl LockList {
    /// The doors of stored answer `pages` (see [`crate::door_cache`]); `None` if any page is not one.
    pub fn from_pages(pages: &[&str]) -> Option<LockList> {
        let mut list = LockList::default();
        for body in pages {
            list.add(decode_lock_page(body).ok()?);
        }
        Some(list)
    }

    /// Appends one page's doors and counts what it skipped.
    fn add(&mut self, page: LockPage) {
        self.skipped += page.skipped;
        self.doors.extend(page.doors);
    }
}

thread_local! {
    static CONFIRMED: std::cell::RefCell<Option<js_sys::Promise>> = const { std::cell::RefCell::new(None) };
}

/// Holds every request to the API until `confirmed` settles; if it is rejected, every request
/// fails as unexpected instead. The page may start from the configuration this device kept (see
/// [`crate::site_cache`]), and device storage can be edited: the secret goes only to the API the
/// site's own `config.json` names, so nothing is sent until the site has confirmed the kept copy
/// (if it does not, the page reloads instead).
pub fn hold_requests_until(confirmed: js_sys::Promise) {
    CONFIRMED.with(|held| *held.borrow_mut() = Some(confirmed));
}

/// A Kisi API client holding one group link's secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KisiClient {
    base: String,
    secret: Secret,
    timeout: Duration,
}

/// The organization, as far as the page shows it (zero-config branding).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Organization {
    /// The organization's name.
    pub name: String,
    /// Its logo, if Kisi has one.
    pub logo: Option<String>,
}

/// A successful answer: the body and the paging header.
struct Answer {
    body: String,
    range: Option<CollectionRange>,
}

impl KisiClient {
    /// A client for the API at `base` (e.g. `https://api.kisi.io`), authenticated by `secret`.
    pub fn new(base: &str, secret: Secret) -> Self {
        KisiClient { base: base.trim_end_matches('/').to_owned(), secret, timeout: DEFAULT_TIMEOUT }
    }

    /// The same client with another time limit per request.
    pub fn with_timeout(self, timeout: Duration) -> Self {
        KisiClient { timeout, ..self }
    }

    /// The link's secret (for the "remember this link" choice; never for display).
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// `GET /locks`, page after page, until every door the link grants has been read. Each page is
    /// retried on its own when Kisi is rate limiting or briefly unreachable. Returns the doors and
    /// Kisi's answer pages as they came (for the door cache).
    pub async fn fetch_all_locks(&self) -> Result<(LockList, Vec<String>), ApiError> {
        let mut list = LockList::default();
        let mut pages = Vec::new();
        let mut offset = 0;
        loop {
            let url = format!("{}/locks?limit={PAGE_SIZE}&offset={offset}", self.base);
            let url = url.as_str();
            // The first page's first attempt may already be under way (`index.html` started it).
            let mut head_start = offset == 0;
            let attempt = || {
                let early = std::mem::take(&mut head_start);
                async move {
                    if early && let Some(outcome) = self.early_first_page(url).await {
                        return outcome;
                    }
                    self.exchange(Method::GET, url).await
                }
            };
            let answer = retrying(attempt, |e, attempt| retry_delay(e.problem, attempt, e.retry_after)).await?;
            let page = decode_lock_page(&answer.body).map_err(|_| ApiError::without_response(Problem::BadResponse))?;
            let received = page.received;
            list.add(page);
            pages.push(answer.body);
            match next_offset(offset, received, answer.range) {
                Some(next) => offset = next,
                None => return Ok((list, pages)),
            }
        }
    }

    /// `GET /organization`: name and logo for a page the operator did not brand. Not retried: the
    /// doors matter, the branding is a nicety.
    pub async fn fetch_organization(&self) -> Result<Organization, ApiError> {
        let answer = self.exchange(Method::GET, &format!("{}/organization", self.base)).await?;
        let json = Json::parse(&answer.body).map_err(|_| ApiError::without_response(Problem::BadResponse))?;
        let name = json.get("name").and_then(Json::as_str).map(str::trim).filter(|n| !n.is_empty());
        let name = name.ok_or_else(|| ApiError::without_response(Problem::BadResponse))?;
        let logo =
            json.get("logo").and_then(Json::as_str).filter(|l| l.starts_with("https://") || l.starts_with("http://"));
        Ok(Organization { name: crate::door::clip(name, crate::door::MAX_NAME_CHARS), logo: logo.map(str::to_owned) })
    }

    /// `POST /locks/{id}/unlock`. Geofence and reader restrictions do not apply to group links, so
    /// the body is empty JSON. A rate limit or a brief outage is retried once; anything else is the
    /// visitor's call.
    pub async fn unlock(&self, door: DoorId) -> Result<(), ApiError> {
        let url = format!("{}/locks/{door}/unlock", self.base);
        let once = |e: &ApiError, attempt: u32| {
            let passing = matches!(e.problem, Problem::RateLimited | Problem::ServiceUnavailable);
            (attempt == 0 && passing)
                .then(|| e.retry_after.unwrap_or(Duration::from_secs(1)).min(Duration::from_secs(5)))
        };
        retrying(|| self.exchange(Method::POST, &url), once).await.map(drop)
    }

    /// The answer to the request `index.html` started for `url` with this link's secret, if it did;
    /// counted in the pace window like any request of ours.
    async fn early_first_page(&self, url: &str) -> Option<Result<Answer, ApiError>> {
        let outcome = early::lock_response(url, &self.authorization()).await?;
        PACE.with(|window| window.borrow_mut().record(now()));
        Some(match outcome {
            Ok(response) => read(Response::from(response), || ApiError::without_response(Problem::Network)).await,
            Err(rejection) => Err(ApiError::without_response(if early::timed_out(&rejection) {
                Problem::Timeout
            } else {
                Problem::Network
            })),
        })
    }

    /// The `Authorization` header's value: the one place the secret goes.
    fn authorization(&self) -> String {
        format!("KISI-GROUP-LINK {}", self.secret.expose())
    }

    /// One request: paced, time-limited, its failure mapped.
    async fn exchange(&self, method: Method, url: &str) -> Result<Answer, ApiError> {
        let confirmed = CONFIRMED.with(|confirmed| confirmed.borrow().clone());
        if let Some(confirmed) = confirmed
            && wasm_bindgen_futures::JsFuture::from(confirmed).await.is_err()
        {
            return Err(ApiError::without_response(Problem::Unexpected));
        }
        // Wait until the window has room, then record the real start: between the check and the
        // record nothing else runs, so concurrent unlocks cannot overfill the window either.
        loop {
            let wait = PACE.with(|window| window.borrow().wait_for(now()));
            if wait <= 0.0 {
                PACE.with(|window| window.borrow_mut().record(now()));
                break;
            }
            sleep(Duration::from_millis(wait.ceil() as u64)).await;
        }
        let deadline = Deadline::start(self.timeout);
        let builder = RequestBuilder::new(url)
            .method(method.clone())
            .header("Accept", "application/json")
            .header("Authorization", &self.authorization())
            .credentials(RequestCredentials::Omit)
            .referrer_policy(ReferrerPolicy::NoReferrer)
            .abort_signal(deadline.signal().as_ref());
        let request = match method {
            Method::POST => builder.header("Content-Type", "application/json").body("{}"),
            _ => builder.build(),
        };
        // Errors from gloo are dropped, not shown: their text may quote the request.
        let request = request.map_err(|_| ApiError::without_response(Problem::Unexpected))?;
        let lost = |deadline: &Deadline| {
            ApiError::without_response(if deadline.expired() { Problem::Timeout } else { Problem::Network })
        };
        let response = request.send().await.map_err(|_| lost(&deadline))?;
        read(response, || lost(&deadline)).await
    }
}

/// Reads an answer: the body and paging header of a success, Kisi's error otherwise. `lost` is the
/// error for a body that stops arriving.
async fn read(response: Response, lost: impl Fn() -> ApiError) -> Result<Answer, ApiError> {
    if !response.ok() {
        let body = response.text().await.unwrap_or_default();
        let retry_after = response.headers().get("retry-after");
        return Err(ApiError::from_response(response.status(), &body).with_retry_after(retry_after.as_deref()));
    }
    let range = response.headers().get("x-collection-range").and_then(|h| CollectionRange::parse(&h));
    // A connection cut mid-body fails here, not at `send`.
    let body = response.text().await.map_err(|_| lost())?;
    Ok(Answer { body, range })
}

/// Runs `attempt` until it succeeds or `policy` (given the error and the retries made so far) says
/// to stop, waiting as long as the policy asks in between.
async fn retrying<T, F, Fut>(mut attempt: F, policy: impl Fn(&ApiError, u32) -> Option<Duration>) -> Result<T, ApiError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let mut retries = 0;
    loop {
        match attempt().await {
            Err(error) => match policy(&error, retries) {
                Some(wait) => {
                    sleep(wait).await;
                    retries += 1;
                }
                None => return Err(error),
            },
            done => return done,
        }
    }
}
