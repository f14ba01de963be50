//! Driving one tab: navigating, waiting for what the page shows, tapping, reading its state and
//! what it sent, over Chromium's DevTools protocol.
//!
//! Waiting is event-driven: [`VisitorPage::wait_for`] resolves from a `MutationObserver` in the
//! page the moment a condition holds; its timeout only bounds a failing test.

use chromiumoxide::cdp::browser_protocol::accessibility::{AxNode, AxValue, GetPartialAxTreeParams};
use chromiumoxide::cdp::browser_protocol::emulation::{MediaFeature, SetEmulatedMediaParams};
use chromiumoxide::cdp::browser_protocol::network::{
    EmulateNetworkConditionsByRuleParams, NetworkConditions, OverrideNetworkStateParams,
};
use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use chromiumoxide::page::Page;
use serde_json::{Value, json};

use crate::WAIT_LIMIT;
use crate::js;
use crate::record::{Seen, SeenRequest, is_failure};

/// `js/answered.js`.
const ANSWERED: &str = include_str!("js/answered.js");
/// `js/refused_connection.js`.
const REFUSED_CONNECTION: &str = include_str!("js/refused_connection.js");

/// One tab showing the page.
pub struct VisitorPage {
    /// The CDP page, for anything the helpers do not cover.
    pub page: Page,
    seen: Seen,
}

impl VisitorPage {
    /// `page`, recorded into `seen`.
    pub(crate) fn new(page: Page, seen: Seen) -> Self {
        VisitorPage { page, seen }
    }

    /// Evaluates a JS expression (awaiting it if it is a promise) and returns its JSON value.
    pub async fn eval(&self, expression: &str) -> Value {
        let params = EvaluateParams::builder()
            .expression(expression)
            .await_promise(true)
            .return_by_value(true)
            .build()
            .expect("evaluate params");
        let result =
            self.page.evaluate_expression(params).await.unwrap_or_else(|e| panic!("evaluating {expression}: {e}"));
        result.value().cloned().unwrap_or(Value::Null)
    }

    /// Waits until the JS `condition` is truthy in whichever document the tab holds by then, and
    /// returns its value: for a wait that spans a navigation the page makes itself (a reload), where
    /// [`wait_for`](Self::wait_for) would end with the document it started in. Each document is
    /// asked with the same event-driven wait, a few seconds at a time: a document that goes away
    /// while it is asked may leave the question unanswered rather than failed (in CI once, the one
    /// question of the kill-switch test went unanswered until the limit, the page's text unknown),
    /// so the tab is asked again, of whichever document it holds, until [`WAIT_LIMIT`]. A failure
    /// says what the last document answered it showed.
    pub async fn wait_across_navigations(&self, condition: &str) -> Value {
        const ASK: std::time::Duration = std::time::Duration::from_secs(3);
        let script = js::wait_for_within(condition, ASK);
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        let mut shown = Value::Null;
        while tokio::time::Instant::now() < deadline {
            let params =
                EvaluateParams::builder().expression(&script).await_promise(true).return_by_value(true).build();
            let asked = self.page.evaluate_expression(params.expect("params"));
            let answer_by = (tokio::time::Instant::now() + 2 * ASK).min(deadline);
            if let Ok(Ok(result)) = tokio::time::timeout_at(answer_by, asked).await {
                let outcome = result.value().cloned().unwrap_or(Value::Null);
                if outcome["ok"] == Value::Bool(true) {
                    return outcome["value"].clone();
                }
                shown = outcome["text"].clone();
            }
        }
        panic!("timed out waiting for `{condition}` across navigations.\nPage text: {shown}");
    }

    /// A PNG of the whole document as drawn, at the tab's device pixel ratio: for what only pixels
    /// can show (a printed QR code).
    pub async fn screenshot_png(&self) -> Vec<u8> {
        let params = chromiumoxide::page::ScreenshotParams::builder().full_page(true).build();
        self.page.screenshot(params).await.expect("a screenshot")
    }

    /// Waits until the JS `condition` is truthy and returns its value. Re-checked on every DOM
    /// mutation; fails after [`WAIT_LIMIT`] with the condition and the page's text.
    pub async fn wait_for(&self, condition: &str) -> Value {
        let outcome = self.eval(&js::wait_for(condition)).await;
        assert_eq!(
            outcome["ok"],
            Value::Bool(true),
            "timed out waiting for `{condition}`.\nPage text: {}\nConsole: {:#?}",
            outcome["text"],
            self.console()
        );
        outcome["value"].clone()
    }

    /// Waits until what the visitor sees has settled: every finite CSS transition and animation on
    /// the page has finished, and a frame has been drawn after the last. Reading computed colours
    /// or layout right after a state change would otherwise sample a transition midway, and
    /// whether it had ended would depend on how fast this machine is. Infinite animations (the
    /// spinner) never settle and are not waited for. Returns how many animations it waited for.
    ///
    /// Event-driven: each round awaits the animations' own `finished` promises, then a frame. A
    /// page that has not settled within [`WAIT_LIMIT`] fails the test (a paused animation, a
    /// transition restarted forever) rather than hanging it.
    pub async fn settled(&self) -> u64 {
        let waited = self.eval(&js::settled()).await;
        waited.as_u64().unwrap_or_else(|| panic!("the page never settled: {:#?}", self.console()))
    }

    /// Waits for the element matching `selector` and clicks it like a finger would (scrolled into
    /// view, pressed and released at its centre).
    pub async fn tap(&self, selector: &str) {
        self.wait_for(&js::exists(selector)).await;
        let element = self.page.find_element(selector).await.unwrap_or_else(|e| panic!("find {selector}: {e}"));
        element.click().await.unwrap_or_else(|e| panic!("tap {selector}: {e}"));
    }

    /// Navigates this tab to `url`.
    ///
    /// It waits for the page's `load` event, within chromiumoxide's fixed 30 s. Ten Chromiums
    /// loading at once on two cores have exceeded that; since every test goes on to wait for what
    /// it needs on the page itself, a load that was merely slow is not a failure.
    pub async fn goto(&self, url: &str) {
        match self.page.goto(url).await {
            Ok(_) | Err(chromiumoxide::error::CdpError::Timeout) => {}
            Err(e) => panic!("navigate to {url}: {e}"),
        }
    }

    /// Starts navigating to `url` and returns at once, without waiting for the page to load: for
    /// a test that holds back some of the page's files and watches what happens meanwhile.
    pub async fn start_navigation(&self, url: &str) {
        self.eval(&format!("location.href = {}; true", js::string(url))).await;
    }

    /// Waits until this page has received an answer to a request whose URL contains `part` (a
    /// `PerformanceObserver`, not a timer): for answers that change nothing on screen.
    pub async fn answered(&self, part: &str) {
        self.eval(&js::call(ANSWERED, &[json!(part)])).await;
    }

    /// Slows this tab's every request (the page's and the API's alike): `latency_ms` per round trip,
    /// throughput in bytes per second. Set it on a [`Harness::blank_tab`] before [`goto`](Self::goto).
    ///
    /// [`Harness::blank_tab`]: crate::Harness::blank_tab
    pub async fn throttle_network(&self, latency_ms: f64, down_bytes_per_s: f64, up_bytes_per_s: f64) {
        // An empty URL pattern matches every request.
        let line = NetworkConditions::new("", latency_ms, down_bytes_per_s, up_bytes_per_s);
        let emulate = EmulateNetworkConditionsByRuleParams::new(false, vec![line]);
        self.page.execute(emulate).await.expect("throttle the network");
    }

    /// Takes the browser off the network (`navigator.onLine`, `offline`/`online` events) or back.
    pub async fn set_offline(&self, offline: bool) {
        let state = OverrideNetworkStateParams::builder()
            .offline(offline)
            .latency(0.0)
            .download_throughput(-1.0)
            .upload_throughput(-1.0)
            .build()
            .expect("network state params");
        self.page.execute(state).await.expect("override the network state");
    }

    /// Emulates the visitor's `prefers-color-scheme`.
    pub async fn prefer_dark(&self, dark: bool) {
        let scheme = if dark { "dark" } else { "light" };
        let media =
            SetEmulatedMediaParams::builder().features(vec![MediaFeature::new("prefers-color-scheme", scheme)]).build();
        self.page.execute(media).await.expect("emulate the colour scheme");
    }

    /// Waits for the image matching `selector` to exist and finish loading (its `load` or `error`
    /// event, which no DOM mutation signals); returns its natural width (0 if it failed).
    pub async fn image_loaded(&self, selector: &str) -> u64 {
        self.wait_for(&js::exists(selector)).await;
        self.eval(&js::image_loaded(selector)).await.as_u64().unwrap_or(0)
    }

    /// The accessible name Chromium computes for the element matching `selector`.
    pub async fn accessible_name(&self, selector: &str) -> String {
        self.accessible(selector, |node| node.name.as_ref()).await
    }

    /// The accessible description Chromium computes for the first element matching `selector`
    /// (what a screen reader reads after the name, e.g. from `aria-describedby`).
    pub async fn accessible_description(&self, selector: &str) -> String {
        self.accessible(selector, |node| node.description.as_ref()).await
    }

    async fn accessible(&self, selector: &str, part: impl Fn(&AxNode) -> Option<&AxValue>) -> String {
        let element = self.page.find_element(selector).await.unwrap_or_else(|e| panic!("find {selector}: {e}"));
        let params =
            GetPartialAxTreeParams::builder().backend_node_id(element.backend_node_id).fetch_relatives(false).build();
        let tree = self.page.execute(params).await.expect("accessibility tree");
        tree.result
            .nodes
            .first()
            .and_then(part)
            .and_then(|value| value.value.as_ref())
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    }

    /// Console messages and uncaught exceptions so far.
    pub fn console(&self) -> Vec<String> {
        self.seen.console()
    }

    /// The console lines so far that mean the page broke: a panic, an uncaught exception, a
    /// Content-Security-Policy violation.
    pub fn failures(&self) -> Vec<String> {
        self.console().into_iter().filter(|line| is_failure(line)).collect()
    }

    /// Every request the browser sent for this tab, with the headers the network stack really
    /// sent (CDP's raw headers, which include cookies and `Referer`) merged in.
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.seen.requests()
    }

    /// Fetches `url` from the page, which the policy must refuse, and returns the violated
    /// directive the browser reported (resolved by the `securitypolicyviolation` event itself).
    pub async fn probe_refused_connection(&self, url: &str) -> String {
        self.eval(&js::call(REFUSED_CONNECTION, &[json!(url)])).await.as_str().unwrap_or_default().to_owned()
    }

    /// Runs axe-core (the npm package's script, injected over CDP, which the page's policy does not
    /// govern) against the page once it has [settled](Self::settled), for WCAG 2.0–2.2 A and AA.
    /// Returns one line per violated rule.
    pub async fn axe_violations(&self) -> Vec<String> {
        self.settled().await;
        let path = js::axe_core_path();
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("axe-core at {} ({e}) — `cargo xtask setup` installs it", path.display()));
        self.eval(&format!("{source};true")).await;
        let found = self.eval(&js::call(js::AXE_RUN, &[])).await;
        found.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default()
    }

    /// The most requests to `api` (preflights and the sandbox-hosted logo excluded) that this page
    /// started within any one second — the page's pacing, measured where the page controls it
    /// (arrival times at a server add network and CPU jitter the page cannot help).
    pub fn busiest_second(&self, api: &str) -> usize {
        let starts: Vec<f64> = self
            .requests()
            .into_iter()
            .filter(|r| r.url.starts_with(api) && r.method != "OPTIONS" && !r.url.contains("/assets/"))
            .map(|r| r.sent_at)
            .collect();
        starts
            .iter()
            .map(|start| starts.iter().filter(|t| **t >= *start && **t - *start < 1.0).count())
            .max()
            .unwrap_or(0)
    }

    /// `localStorage`, `sessionStorage` and `document.cookie`, as JSON.
    pub async fn storage(&self) -> Value {
        self.eval("({ local: { ...localStorage }, session: { ...sessionStorage }, cookies: document.cookie })").await
    }

    /// The `data-state` of door `id`.
    pub async fn door_state(&self, id: u64) -> String {
        self.eval(&door_state_of(id)).await.as_str().unwrap_or_default().to_owned()
    }
}

/// A condition for [`VisitorPage::wait_for`]: exactly `count` doors are listed, by the app.
pub fn doors_shown(count: usize) -> String {
    // The app's list: the one the head start may paint before it (in `#skeleton`) is not yet the
    // app's, which keeps the doors on the device and drives everything after.
    format!(
        "!document.getElementById('skeleton') && document.querySelectorAll('li.door[data-door-id]').length === {count}"
    )
}

/// Door `id`'s `data-state` (`''` while it is not listed), as a JS expression.
pub(crate) fn door_state_of(id: u64) -> String {
    format!("document.querySelector('[data-door-id=\"{id}\"]')?.dataset.state ?? ''")
}

/// A condition for [`VisitorPage::wait_for`]: door `id` is in `state` (`ready`, `unlocking`, …).
pub fn door_in_state(id: u64, state: &str) -> String {
    format!("document.querySelector('[data-door-id=\"{id}\"]')?.dataset.state === '{state}'")
}
