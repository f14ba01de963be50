//! The end-to-end harness: the release build of portier, served by a static server, talking to
//! the Kisi sandbox on another origin, in a real headless Chromium driven over CDP.
//!
//! Waiting is event-driven: [`VisitorPage::wait_for`] resolves from a `MutationObserver` in the
//! page the moment a condition holds; its timeout only bounds a failing test.

pub mod chaos;
pub mod engine;
pub mod nginx;
pub mod processes;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::accessibility::{AxValue, GetPartialAxTreeParams};
use chromiumoxide::cdp::browser_protocol::emulation::{MediaFeature, SetEmulatedMediaParams};
use chromiumoxide::cdp::browser_protocol::network::{
    EmulateNetworkConditionsByRuleParams, EventLoadingFailed, EventLoadingFinished, EventRequestWillBeSent,
    EventRequestWillBeSentExtraInfo, NetworkConditions, OverrideNetworkStateParams,
};
use chromiumoxide::cdp::browser_protocol::target::SetAutoAttachParams;
use chromiumoxide::cdp::js_protocol::runtime::{EvaluateParams, EventConsoleApiCalled, EventExceptionThrown};
use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::page::Page;
use futures::StreamExt;
use sandbox::{KisiSandbox, RecordedRequest, SandboxOptions, StaticSite};
use serde_json::Value;
use tempfile::TempDir;
use tokio::task::JoinHandle;

/// How long a condition may take before the test fails. It only bounds a failing test (every wait
/// ends the moment its condition holds), so it is generous: a dozen Chromiums share 2 cores while a
/// test binary runs, and a slower machine must not turn a pass into a failure.
pub const WAIT_LIMIT: Duration = Duration::from_secs(60);

/// The release bundle's `.tar.gz` built by `cargo xtask test` (or `cargo xtask bundle`):
/// `PORTIER_BUNDLE`, or the one in `target/bundle/`.
pub fn bundle_path() -> PathBuf {
    let path = std::env::var_os("PORTIER_BUNDLE").map(PathBuf::from).unwrap_or_else(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bundle");
        std::fs::read_dir(&dir)
            .ok()
            .and_then(|entries| {
                entries.filter_map(Result::ok).map(|e| e.path()).find(|p| p.to_string_lossy().ends_with(".tar.gz"))
            })
            .unwrap_or_else(|| dir.join("portier.tar.gz"))
    });
    assert!(path.is_file(), "no bundle at {} — run `cargo xtask bundle` (cargo xtask test does)", path.display());
    path
}

/// Where the release build is: `PORTIER_DIST`, or `dist/` at the workspace root.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("PORTIER_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}

/// A sandbox, a static site configured for it, and a browser.
pub struct Harness {
    /// The Kisi sandbox the page talks to.
    pub kisi: KisiSandbox,
    /// The static server that serves the page.
    pub site: StaticSite,
    browser: Browser,
    handler: JoinHandle<()>,
    /// The console of every page opened, checked for panics and CSP violations by [`Harness::finish`].
    consoles: Mutex<Vec<Arc<Mutex<Vec<String>>>>>,
    site_dir: TempDir,
    _profile: TempDir,
}

impl Harness {
    /// Starts everything with the default sandbox options.
    pub async fn start() -> Self {
        Self::with_options(SandboxOptions::default()).await
    }

    /// Starts everything with `options` for the sandbox.
    pub async fn with_options(options: SandboxOptions) -> Self {
        Self::with_config(options, serde_json::json!({})).await
    }

    /// Starts everything with `options` for the sandbox and `config` (a JSON object) merged into
    /// the site's `config.json`.
    pub async fn with_config(options: SandboxOptions, config: Value) -> Self {
        Self::with_browser_args(options, config, &[]).await
    }

    /// [`with_config`](Self::with_config), with Chromium started with `arguments` too (a
    /// certificate to trust, `--ignore-certificate-errors-spki-list=…`).
    pub async fn with_browser_args(options: SandboxOptions, config: Value, arguments: &[String]) -> Self {
        let kisi = KisiSandbox::start(options).await.expect("start the Kisi sandbox");
        let site_dir = deploy_site(&kisi.url(), config);
        let site = StaticSite::start(site_dir.path(), 0).await.expect("start the static site");
        let profile = TempDir::new().expect("a browser profile directory");
        let chromium = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
        let config = BrowserConfig::builder()
            .chrome_executable(chromium)
            .user_data_dir(profile.path())
            .new_headless_mode()
            .no_sandbox()
            .viewport(Viewport {
                width: 390,
                height: 844,
                device_scale_factor: Some(1.0),
                emulating_mobile: true,
                is_landscape: false,
                has_touch: true,
            })
            .args(["--disable-gpu", "--disable-component-update", "--disable-quic", "--no-default-browser-check"])
            .args(arguments.iter().map(String::as_str))
            .launch_timeout(Duration::from_secs(30))
            // Generous: a dozen Chromiums share 2 cores while a test binary runs its tests in parallel.
            .request_timeout(Duration::from_secs(60))
            .build()
            .expect("a browser configuration");
        let (browser, mut events) =
            Browser::launch(config).await.expect("launch Chromium (is it installed? run `cargo xtask setup`)");
        let handler = tokio::spawn(async move { while events.next().await.is_some() {} });
        Harness { kisi, site, browser, handler, consoles: Mutex::default(), site_dir, _profile: profile }
    }

    /// Opens the page in a new tab with `fragment` after the `#` (none when empty).
    pub async fn open(&self, fragment: &str) -> VisitorPage {
        let url = if fragment.is_empty() { self.site.url() } else { format!("{}#{fragment}", self.site.url()) };
        self.open_url(&url).await
    }

    /// Opens `url` (a page served elsewhere, e.g. by nginx) in a new tab, recorded like [`open`].
    ///
    /// [`open`]: Harness::open
    pub async fn open_url(&self, url: &str) -> VisitorPage {
        let tab = self.blank_tab().await;
        tab.goto(url).await;
        tab
    }

    /// A new, recorded tab showing nothing yet: for conditions (throttling, scripts) that must be in
    /// place before the page loads. Then [`VisitorPage::goto`].
    pub async fn blank_tab(&self) -> VisitorPage {
        let page = self.browser.new_page("about:blank").await.expect("a new tab");
        // chromiumoxide attaches to every target a tab starts with "wait for the debugger", and never
        // lets a service worker go on (it resumes page targets only): the page's worker would time
        // out starting. Attached without waiting, it starts as in a visitor's browser.
        let attach = SetAutoAttachParams::builder()
            .auto_attach(true)
            .wait_for_debugger_on_start(false)
            .flatten(true)
            .build()
            .expect("auto-attach params");
        page.execute(attach).await.expect("let the tab's workers start");
        let seen = Seen::default();
        self.consoles.lock().unwrap().push(seen.console.clone());
        // Every Content-Security-Policy violation lands in the console, where `finish` fails on it.
        // A test that provokes a violation on purpose names it in `__portierExpectedViolation`.
        page.evaluate_on_new_document(
            "document.addEventListener('securitypolicyviolation', e => { \
               const expected = window.__portierExpectedViolation; \
               if (!(expected && e.blockedURI.includes(expected))) \
                 console.error('csp-violation', e.violatedDirective, e.blockedURI); })",
        )
        .await
        .expect("install the CSP violation listener");
        let mut calls = page.event_listener::<EventConsoleApiCalled>().await.expect("console events");
        let mut exceptions = page.event_listener::<EventExceptionThrown>().await.expect("exception events");
        let mut sent = page.event_listener::<EventRequestWillBeSent>().await.expect("request events");
        let mut sent_raw = page.event_listener::<EventRequestWillBeSentExtraInfo>().await.expect("raw request events");
        let sink = seen.clone();
        tokio::spawn(async move {
            while let Some(call) = calls.next().await {
                let text = call.args.iter().filter_map(|a| a.value.as_ref().map(|v| v.to_string())).collect::<Vec<_>>();
                sink.console.lock().unwrap().push(format!("{:?}: {}", call.r#type, text.join(" ")));
            }
        });
        let sink = seen.clone();
        tokio::spawn(async move {
            while let Some(exception) = exceptions.next().await {
                let details = &exception.exception_details;
                let description = details.exception.as_ref().and_then(|e| e.description.clone()).unwrap_or_default();
                sink.console.lock().unwrap().push(format!("exception: {} {description}", details.text));
            }
        });
        let sink = seen.clone();
        tokio::spawn(async move {
            while let Some(event) = sent.next().await {
                // `request.url` is what goes on the wire; CDP reports the fragment separately
                // (`url_fragment`) because browsers never send it.
                sink.requests.lock().unwrap().push(SeenRequest {
                    sent_at: *event.timestamp.inner(),
                    id: event.request_id.inner().clone(),
                    url: event.request.url.clone(),
                    method: event.request.method.clone(),
                    headers: header_pairs(event.request.headers.inner()),
                    document: event.loader_id.inner().clone(),
                    ended_at: None,
                });
            }
        });
        let finished = page.event_listener::<EventLoadingFinished>().await.expect("finished requests");
        let failed = page.event_listener::<EventLoadingFailed>().await.expect("failed requests");
        let mut ended = futures::stream::select(
            finished.map(|event| (event.request_id.inner().clone(), *event.timestamp.inner())),
            failed.map(|event| (event.request_id.inner().clone(), *event.timestamp.inner())),
        );
        let sink = seen.clone();
        tokio::spawn(async move {
            while let Some(end) = ended.next().await {
                sink.ended.lock().unwrap().push(end);
            }
        });
        let sink = seen.clone();
        tokio::spawn(async move {
            while let Some(event) = sent_raw.next().await {
                sink.raw_headers
                    .lock()
                    .unwrap()
                    .push((event.request_id.inner().clone(), header_pairs(event.headers.inner())));
            }
        });
        VisitorPage { page, seen }
    }

    /// Deploys the release build a second time, at `/<folder>/` on the same origin (as GitHub
    /// Pages serves one user's project sites), with `config` merged into its `config.json`.
    /// Returns its address.
    pub fn deploy_beside(&self, folder: &str, config: Value) -> String {
        deploy_into(&self.site_dir.path().join(folder), &self.kisi.url(), config);
        format!("{}{folder}/", self.site.url())
    }

    /// The directory the static site serves (a copy of the release build), to add files to.
    pub fn site_dir(&self) -> &Path {
        self.site_dir.path()
    }

    /// Requests the sandbox received for `method` and path (query ignored).
    pub fn api_calls(&self, method: &str, path: &str) -> Vec<RecordedRequest> {
        self.kisi.requests().into_iter().filter(|r| r.method == method && r.path_only() == path).collect()
    }

    /// Closes the browser and waits for it to exit, then fails the test if any page panicked, threw
    /// or violated its Content-Security-Policy: whatever the scenario, the page must never die, and
    /// it must work entirely within its policy.
    pub async fn finish(self) {
        let failures = self.close().await;
        assert!(failures.is_empty(), "the page panicked or threw: {failures:#?}");
    }

    /// Closes the browser and waits for it to exit; returns every console line of every page that
    /// means the page broke (a panic, an uncaught exception, a policy violation).
    pub async fn close(mut self) -> Vec<String> {
        let _ = self.browser.close().await;
        let _ = self.browser.wait().await;
        self.handler.abort();
        self.consoles.lock().unwrap().iter().flat_map(|c| c.lock().unwrap().clone()).filter(|l| is_failure(l)).collect()
    }
}

/// A console line that means the page broke.
fn is_failure(line: &str) -> bool {
    line.starts_with("exception:") || line.contains("panicked at") || line.contains("csp-violation")
}

/// Header `(lower-case name, value)` pairs.
pub type Headers = Vec<(String, String)>;

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
struct Seen {
    console: Arc<Mutex<Vec<String>>>,
    requests: Arc<Mutex<Vec<SeenRequest>>>,
    raw_headers: Arc<Mutex<Vec<(String, Headers)>>>,
    /// Request ids and when each ended (finished or failed).
    ended: Arc<Mutex<Vec<(String, f64)>>>,
}

/// Copies the release build into a fresh directory and points its `config.json` at the sandbox,
/// exactly as an operator deploys it.
pub(crate) fn deploy_site(api_base: &str, extra: Value) -> TempDir {
    let dir = TempDir::new().expect("a site directory");
    deploy_into(dir.path(), api_base, extra);
    dir
}

/// Copies the release build into `dir` with its `config.json`: the API and `extra` merged in.
fn deploy_into(dir: &Path, api_base: &str, extra: Value) {
    let dist = dist_dir();
    assert!(
        dist.join("index.html").is_file(),
        "no release build in {} — run `cargo xtask test` (it builds one)",
        dist.display()
    );
    copy_dir(&dist, dir);
    let mut config = serde_json::json!({ "api_base": api_base });
    if let (Some(config), Some(extra)) = (config.as_object_mut(), extra.as_object()) {
        config.extend(extra.clone());
    }
    std::fs::write(dir.join("config.json"), config.to_string()).expect("write config.json");
}

/// Copies every file under `from` (folders too, e.g. `i18n/`) into `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a site folder");
    for entry in std::fs::read_dir(from).expect("read dist") {
        let entry = entry.expect("a dist entry");
        let kind = entry.file_type().expect("a dist entry's type");
        if kind.is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy a dist file");
        }
    }
}

/// One tab showing the page.
pub struct VisitorPage {
    /// The CDP page, for anything the helpers do not cover.
    pub page: Page,
    seen: Seen,
}

impl VisitorPage {
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
    /// asked with the same event-driven wait; a document that goes away meanwhile (its evaluation
    /// fails with it) hands over to the next. Fails after [`WAIT_LIMIT`].
    pub async fn wait_across_navigations(&self, condition: &str) -> Value {
        let script = wait_for_script(condition);
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        loop {
            let params =
                EvaluateParams::builder().expression(&script).await_promise(true).return_by_value(true).build();
            let asked = tokio::time::timeout_at(deadline, self.page.evaluate_expression(params.expect("params")));
            match asked.await {
                Ok(Ok(result)) => {
                    let outcome = result.value().cloned().unwrap_or(Value::Null);
                    if outcome["ok"] == Value::Bool(true) {
                        return outcome["value"].clone();
                    }
                    panic!("timed out waiting for `{condition}`.\nPage text: {}", outcome["text"]);
                }
                // The document went away while it was asked (or before): ask the one after it.
                Ok(Err(_)) if tokio::time::Instant::now() < deadline => continue,
                _ => panic!("timed out waiting for `{condition}` across navigations"),
            }
        }
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
        let outcome = self.eval(&wait_for_script(condition)).await;
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
        let waited = self.eval(&settled_script()).await;
        waited.as_u64().unwrap_or_else(|| panic!("the page never settled: {:#?}", self.console()))
    }

    /// Waits for the element matching `selector` and clicks it like a finger would (scrolled into
    /// view, pressed and released at its centre).
    pub async fn tap(&self, selector: &str) {
        self.wait_for(&format!("document.querySelector({})", js_string(selector))).await;
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
        self.eval(&format!("location.href = {}; true", js_string(url))).await;
    }

    /// Waits until this page has received an answer to a request whose URL contains `part` (a
    /// `PerformanceObserver`, not a timer): for answers that change nothing on screen.
    pub async fn answered(&self, part: &str) {
        let part = js_string(part);
        self.eval(&format!(
            "new Promise(r => {{ const seen = () => performance.getEntriesByType('resource').some(e => e.name.includes({part})); \
               if (seen()) return r(true); \
               new PerformanceObserver((l, o) => seen() && (o.disconnect(), r(true))).observe({{ type: 'resource' }}); }})"
        ))
        .await;
    }

    /// Slows this tab's every request (the page's and the API's alike): `latency_ms` per round trip,
    /// throughput in bytes per second. Set it on a [`Harness::blank_tab`] before [`goto`](Self::goto).
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
        self.wait_for(&format!("document.querySelector({})", js_string(selector))).await;
        self.eval(&image_loaded_script(selector)).await.as_u64().unwrap_or(0)
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

    async fn accessible(
        &self,
        selector: &str,
        part: impl Fn(&chromiumoxide::cdp::browser_protocol::accessibility::AxNode) -> Option<&AxValue>,
    ) -> String {
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
        self.seen.console.lock().unwrap().clone()
    }

    /// The console lines so far that mean the page broke: a panic, an uncaught exception, a
    /// Content-Security-Policy violation.
    pub fn failures(&self) -> Vec<String> {
        self.console().into_iter().filter(|line| is_failure(line)).collect()
    }

    /// Every request the browser sent for this tab, with the headers the network stack really
    /// sent (CDP's raw headers, which include cookies and `Referer`) merged in.
    pub fn requests(&self) -> Vec<SeenRequest> {
        let raw = self.seen.raw_headers.lock().unwrap().clone();
        let ended = self.seen.ended.lock().unwrap().clone();
        let mut requests = self.seen.requests.lock().unwrap().clone();
        for request in &mut requests {
            for (_, headers) in raw.iter().filter(|(id, _)| *id == request.id) {
                request.headers.extend(headers.iter().cloned());
            }
            request.ended_at = ended.iter().find(|(id, _)| *id == request.id).map(|(_, at)| *at);
        }
        requests
    }

    /// Fetches `url` from the page, which the policy must refuse, and returns the violated
    /// directive the browser reported (resolved by the `securitypolicyviolation` event itself).
    pub async fn probe_refused_connection(&self, url: &str) -> String {
        let url = js_string(url);
        let script = format!(
            "new Promise(resolve => {{
                window.__portierExpectedViolation = {url};
                document.addEventListener('securitypolicyviolation', e => resolve(e.violatedDirective), {{ once: true }});
                fetch({url}).then(() => resolve('fetched'), () => {{}});
            }})"
        );
        self.eval(&script).await.as_str().unwrap_or_default().to_owned()
    }

    /// Runs axe-core (the npm package's script, injected over CDP, which the page's policy does not
    /// govern) against the page once it has [settled](Self::settled), for WCAG 2.0–2.2 A and AA.
    /// Returns one line per violated rule.
    pub async fn axe_violations(&self) -> Vec<String> {
        self.settled().await;
        let path = axe_core_path();
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("axe-core at {} ({e}) — `cargo xtask setup` installs it", path.display()));
        self.eval(&format!("{source};true")).await;
        let found = self.eval(include_str!("js/axe_run.js")).await;
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
        self.eval(&crate::door_state_of(id)).await.as_str().unwrap_or_default().to_owned()
    }
}

/// `js/wait_for.js` for `condition`, bounded by [`WAIT_LIMIT`]: resolves with `{ ok, value }` the
/// moment the condition holds, or `{ ok: false, text }` at the limit.
pub(crate) fn wait_for_script(condition: &str) -> String {
    include_str!("js/wait_for.js")
        .replace("CONDITION", condition)
        .replace("LIMIT_MS", &WAIT_LIMIT.as_millis().to_string())
}

/// `js/image_loaded.js` for the image `selector` matches.
pub(crate) fn image_loaded_script(selector: &str) -> String {
    include_str!("js/image_loaded.js").replace("SELECTOR", &js_string(selector))
}

/// `js/settled.js`, bounded by [`WAIT_LIMIT`].
pub(crate) fn settled_script() -> String {
    include_str!("js/settled.js").replace("LIMIT_MS", &WAIT_LIMIT.as_millis().to_string())
}

/// axe-core's script: `$AXE_CORE`, else where `cargo xtask setup` installs it.
pub(crate) fn axe_core_path() -> PathBuf {
    std::env::var_os("AXE_CORE").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools/node_modules/axe-core/axe.min.js")
    })
}

/// A condition for [`VisitorPage::wait_for`]: exactly `count` doors are listed.
pub fn doors_shown(count: usize) -> String {
    format!("document.querySelectorAll('li.door[data-door-id]').length === {count}")
}

/// Door `id`'s `data-state` (`''` while it is not listed), as a JS expression.
fn door_state_of(id: u64) -> String {
    format!("document.querySelector('[data-door-id=\"{id}\"]')?.dataset.state ?? ''")
}

/// A condition for [`VisitorPage::wait_for`]: door `id` is in `state` (`ready`, `unlocking`, …).
pub fn door_in_state(id: u64, state: &str) -> String {
    format!("document.querySelector('[data-door-id=\"{id}\"]')?.dataset.state === '{state}'")
}

/// `s` as a JS string literal.
pub fn js_string(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}
