//! The visitor's promises in every browser engine a phone runs, over W3C WebDriver with one client
//! (fantoccini): Chromium (`chromedriver`), WebKit (WebKitGTK's `WebKitWebDriver` driving
//! MiniBrowser — the engine of Safari and of every iPhone browser; it has no headless mode, so it
//! draws into a private Xvfb display) and Gecko (Firefox ESR and `geckodriver`).
//!
//! WebDriver sees less than CDP: no console, no network log, no throttling. So what a page sent is
//! read where it arrives (the sandbox and the static site record every request), and a page that
//! broke shows it — an uncaught exception or a panic ends in the crash screen, which
//! [`EngineBrowser::finish`] fails on. The tests that need Chromium's DevTools protocol stay on
//! [`crate::Harness`]; README's test table lists them.
//!
//! Every process a browser needs (the driver, the browser it starts, Xvfb) runs in a process
//! group of its own, and the whole group is killed when the [`EngineBrowser`] is dropped: a failing
//! test leaves nothing behind.

use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use sandbox::{KisiSandbox, RecordedRequest, SandboxOptions, StaticSite};
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::page::door_state_of;
use crate::processes::ProcessGroup;
use crate::site::deploy_site;
use crate::{WAIT_LIMIT, js};

/// `js/outcome.js`: an expression's value, or what it threw.
const OUTCOME: &str = include_str!("js/outcome.js");

/// In a script WebDriver runs asynchronously, the function that ends it with its argument.
const DONE: &str = "arguments[arguments.length - 1]";

/// Whether the driver refused a command because the page replaced its element meanwhile: the W3C
/// "stale element reference", or WebKit's own words for it where it reports another code.
fn replaced(error: &fantoccini::error::CmdError) -> bool {
    error.is_stale_element_reference() || error.to_string().contains("Stale element")
}

/// A browser engine a visitor's phone runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Chrome, Samsung Internet, most Android browsers.
    Chromium,
    /// Safari, and every browser on an iPhone.
    WebKit,
    /// Firefox.
    Firefox,
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Chromium => "Chromium",
            Engine::WebKit => "WebKit",
            Engine::Firefox => "Firefox",
        })
    }
}

/// A program of this machine: `$VAR` if set, else `default`.
fn program(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// Where `cargo install` put geckodriver (`cargo xtask setup` installs it there).
fn geckodriver() -> PathBuf {
    if let Some(path) = std::env::var_os("GECKODRIVER") {
        return PathBuf::from(path);
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin/geckodriver")
}

/// A free TCP port on loopback (bound, read, released: the driver binds it next).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// Processes in groups of their own, killed with everything they started when dropped (last
/// started first: the driver before the display it draws into).
#[derive(Default)]
struct ProcessGroups(Vec<ProcessGroup>);

impl ProcessGroups {
    fn spawn(&mut self, command: &mut Command) -> &mut Child {
        let group = ProcessGroup::spawn(command)
            .unwrap_or_else(|e| panic!("start {:?} (run `cargo xtask setup`): {e}", command.get_program()));
        self.0.push(group);
        self.0.last_mut().expect("just pushed").child()
    }

    /// The groups' ids, to check that none outlives this.
    fn ids(&self) -> Vec<u32> {
        self.0.iter().map(ProcessGroup::id).collect()
    }
}

impl Drop for ProcessGroups {
    fn drop(&mut self) {
        while self.0.pop().is_some() {}
    }
}

/// Starts a private X display for WebKit (which cannot draw without one) and returns its name.
/// `-displayfd` makes Xvfb choose a free display and print its number when it is ready, so
/// parallel tests never race for one.
fn start_display(processes: &mut ProcessGroups) -> String {
    let xvfb = processes.spawn(
        Command::new(program("XVFB", "/usr/bin/Xvfb"))
            .args(["-displayfd", "1", "-screen", "0", "1024x900x24", "-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null()),
    );
    let mut line = String::new();
    BufReader::new(xvfb.stdout.take().expect("Xvfb's stdout")).read_line(&mut line).expect("Xvfb's display number");
    let number = line.trim();
    assert!(!number.is_empty(), "Xvfb did not start (is it installed? run `cargo xtask setup`)");
    format!(":{number}")
}

/// Waits until something listens on `port` (the driver is up); panics after `limit`.
fn await_listening(port: u16, limit: Duration) {
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < limit, "the WebDriver server did not start listening on port {port}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The phone-sized window every engine gets.
const WINDOW: (u32, u32) = (390, 844);

/// Starts `engine`'s driver and returns it with the session's capabilities.
fn start_driver(engine: Engine, processes: &mut ProcessGroups, profile: &TempDir) -> (u16, Value) {
    let port = free_port();
    let quiet = |command: &mut Command| {
        command.stdout(Stdio::null()).stderr(Stdio::null());
    };
    let capabilities = match engine {
        Engine::Chromium => {
            let mut driver = Command::new(program("CHROMEDRIVER", "/usr/bin/chromedriver"));
            driver.arg(format!("--port={port}"));
            quiet(&mut driver);
            processes.spawn(&mut driver);
            json!({ "goog:chromeOptions": {
                "binary": program("CHROMIUM", "/usr/bin/chromium"),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--no-default-browser-check", "--disable-quic",
                    format!("--window-size={},{}", WINDOW.0, WINDOW.1),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }})
        }
        Engine::WebKit => {
            let display = start_display(processes);
            let mut driver = Command::new(program("WEBKIT_WEBDRIVER", "/usr/bin/WebKitWebDriver"));
            driver.arg(format!("--port={port}")).env("DISPLAY", &display);
            quiet(&mut driver);
            processes.spawn(&mut driver);
            json!({ "webkitgtk:browserOptions": {
                "binary": program("MINIBROWSER", "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"),
                "args": ["--automation"],
            }})
        }
        Engine::Firefox => {
            let mut driver = Command::new(geckodriver());
            driver
                .args(["--port", &port.to_string(), "--websocket-port", &free_port().to_string()])
                // The offline switch is Firefox's own, reached from its privileged context.
                .arg("--allow-system-access")
                .args(["--binary", &program("FIREFOX", "/usr/bin/firefox-esr").to_string_lossy()]);
            quiet(&mut driver);
            processes.spawn(&mut driver);
            json!({ "moz:firefoxOptions": {
                "args": ["-headless", format!("--width={}", WINDOW.0), format!("--height={}", WINDOW.1)],
                "prefs": {
                    // No background traffic: this machine reaches nothing outside.
                    "network.captive-portal-service.enabled": false,
                    "network.connectivity-service.enabled": false,
                    "browser.safebrowsing.update.enabled": false,
                    "app.update.disabledForTesting": true,
                    "datareporting.policy.dataSubmissionEnabled": false,
                },
            }})
        }
    };
    await_listening(port, Duration::from_secs(30));
    (port, capabilities)
}

/// A sandbox, a static site configured for it, and one browser of an engine, in one window.
pub struct EngineBrowser {
    /// The engine this browser runs.
    pub engine: Engine,
    /// The Kisi sandbox the page talks to. `None` once [`EngineBrowser::stop_servers`] stopped it.
    kisi: Option<KisiSandbox>,
    site: Option<StaticSite>,
    site_url: String,
    kisi_url: String,
    client: Option<Client>,
    site_dir: TempDir,
    // Dropped last: the processes, then the profile they wrote into.
    processes: ProcessGroups,
    _profile: TempDir,
}

impl EngineBrowser {
    /// Everything with the default sandbox and `config` (a JSON object) merged into `config.json`.
    pub async fn start(engine: Engine, config: Value) -> Self {
        Self::with_options(engine, SandboxOptions::default(), config).await
    }

    /// Everything with `options` for the sandbox and `config` merged into `config.json`.
    pub async fn with_options(engine: Engine, options: SandboxOptions, config: Value) -> Self {
        let kisi = KisiSandbox::start(options).await.expect("start the Kisi sandbox");
        let site_dir = deploy_site(&kisi.url(), config);
        let site = StaticSite::start(site_dir.path(), 0).await.expect("start the static site");
        let profile = TempDir::new().expect("a browser profile directory");
        let mut processes = ProcessGroups::default();
        let (port, capabilities) = start_driver(engine, &mut processes, &profile);
        let Value::Object(capabilities) = capabilities else { unreachable!("capabilities are an object") };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("a {engine} WebDriver session: {e}"));
        let limit = Some(WAIT_LIMIT + Duration::from_secs(30));
        client
            .update_timeouts(TimeoutConfiguration::new(limit, limit, Some(Duration::ZERO)))
            .await
            .expect("set the session's time limits");
        // Headless Chromium and Firefox take their size from their arguments; MiniBrowser's window
        // is sized here (the others accept it too).
        let _ = client.set_window_size(WINDOW.0, WINDOW.1).await;
        EngineBrowser {
            engine,
            site_url: site.url(),
            kisi_url: kisi.url(),
            kisi: Some(kisi),
            site: Some(site),
            client: Some(client),
            site_dir,
            processes,
            _profile: profile,
        }
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("the session is open until finish")
    }

    /// The Kisi sandbox (until [`EngineBrowser::stop_servers`]).
    pub fn kisi(&self) -> &KisiSandbox {
        self.kisi.as_ref().expect("the sandbox runs until stop_servers")
    }

    /// The static site (until [`EngineBrowser::stop_servers`]).
    pub fn site(&self) -> &StaticSite {
        self.site.as_ref().expect("the site runs until stop_servers")
    }

    /// The sandbox's address, which stays the page's API after the servers stopped.
    pub fn kisi_url(&self) -> &str {
        &self.kisi_url
    }

    /// The directory the site serves (the release build's copy), to change its files between visits.
    pub fn site_dir(&self) -> &std::path::Path {
        self.site_dir.path()
    }

    /// Requests the sandbox received for `method` and path (query ignored).
    pub fn api_calls(&self, method: &str, path: &str) -> Vec<RecordedRequest> {
        self.kisi().requests().into_iter().filter(|r| r.method == method && r.path_only() == path).collect()
    }

    /// Stops the site and the sandbox: the closest WebDriver gets to taking a phone off the
    /// network in every engine (connections are refused; `navigator.onLine` stays true).
    pub fn stop_servers(&mut self) {
        self.site = None;
        self.kisi = None;
    }

    /// A new visit: the page with `fragment` after the `#` (none when empty), navigated to from a
    /// blank page, so a fragment-only change is a fresh load too.
    pub async fn open(&self, fragment: &str) {
        let url = if fragment.is_empty() { self.site_url.clone() } else { format!("{}#{fragment}", self.site_url) };
        self.goto("about:blank").await;
        self.goto(&url).await;
    }

    /// Navigates to `url` and waits for its `load` event.
    pub async fn goto(&self, url: &str) {
        self.client().goto(url).await.unwrap_or_else(|e| panic!("{}: navigate to {url}: {e}", self.engine));
    }

    /// The address bar.
    pub async fn current_url(&self) -> String {
        self.client().current_url().await.map(|u| u.to_string()).expect("the current URL")
    }

    /// Evaluates the JS `expression` in the page (a promise is awaited) and returns its value.
    pub async fn eval(&self, expression: &str) -> Value {
        let script = format!("{}.then({DONE});", js::call_with(OUTCOME, expression, &[]));
        let outcome = self
            .client()
            .execute_async(&script, vec![])
            .await
            .unwrap_or_else(|e| panic!("{}: evaluating {expression}: {e}", self.engine));
        assert_eq!(outcome["ok"], json!(true), "{}: {expression} threw {}", self.engine, outcome["error"]);
        outcome["value"].clone()
    }

    /// Waits until the JS `condition` is truthy (re-checked on every DOM mutation) and returns its
    /// value; fails after [`WAIT_LIMIT`] with the condition and the page's text.
    pub async fn wait_for(&self, condition: &str) -> Value {
        let outcome = self.eval(&js::wait_for(condition)).await;
        assert_eq!(
            outcome["ok"],
            json!(true),
            "{}: timed out waiting for `{condition}`.\nPage text: {}",
            self.engine,
            outcome["text"]
        );
        outcome["value"].clone()
    }

    /// Waits until the JS `condition` is truthy in whichever document the window holds by then: for
    /// a wait that spans a reload the page makes itself, where [`wait_for`](Self::wait_for) ends
    /// with the document it started in. Each document is asked with the same event-driven wait; one
    /// that goes away meanwhile hands over to the next: the driver reports its script as aborted,
    /// or (geckodriver, which would wait for a script of a gone document until its time limit) the
    /// script answers as its document is hidden for good.
    pub async fn wait_across_navigations(&self, condition: &str) -> Value {
        let script = format!(
            "const done = {DONE}; addEventListener('pagehide', () => done({{ gone: true }})); \
             Promise.resolve({}).then(done, () => done(null));",
            js::wait_for(condition)
        );
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        loop {
            let asked = tokio::time::timeout_at(deadline, self.client().execute_async(&script, vec![]));
            match asked.await {
                Ok(Ok(outcome)) if outcome["ok"] == json!(true) => return outcome["value"].clone(),
                // Hidden for good, or its wait torn down with it (the wait itself never rejects).
                Ok(Ok(outcome)) if outcome["gone"] == json!(true) || outcome.is_null() => continue,
                Ok(Ok(outcome)) => {
                    panic!("{}: timed out waiting for `{condition}`.\nPage text: {}", self.engine, outcome["text"])
                }
                // The document went away while it was asked: ask the one after it.
                Ok(Err(_)) if tokio::time::Instant::now() < deadline => continue,
                _ => panic!("{}: timed out waiting for `{condition}` across navigations", self.engine),
            }
        }
    }

    /// Waits until the image `selector` matches has loaded (or failed), and returns its natural
    /// width (0 if it failed).
    pub async fn image_loaded(&self, selector: &str) -> u64 {
        self.wait_for(&js::exists(selector)).await;
        self.eval(&js::image_loaded(selector)).await.as_u64().unwrap_or(0)
    }

    /// Waits until every finite transition and animation has finished (see `js/settled.js`).
    pub async fn settled(&self) {
        self.eval(&js::settled()).await;
    }

    async fn element(&self, selector: &str) -> fantoccini::elements::Element {
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        loop {
            self.wait_for(&js::exists(selector)).await;
            match self.client().find(Locator::Css(selector)).await {
                Ok(element) => return element,
                // Replaced between the wait and the find (the app taking over a painted list):
                // WebKit then reports the element it was resolving as stale. Find the new one.
                Err(e) if replaced(&e) && tokio::time::Instant::now() < deadline => continue,
                Err(e) => panic!("{}: find {selector}: {e} ({e:?})", self.engine),
            }
        }
    }

    /// Clicks the element matching `selector` as WebDriver does: scrolled into view, the pointer
    /// pressed and released at its centre (real pointer, mouse and click events). When the page
    /// replaces that element between the finding and the click (the app taking over the doors the
    /// head start painted), the driver refuses the click as stale before pressing anything, and
    /// the element matching `selector` by then is clicked: the button a finger there would press.
    pub async fn tap(&self, selector: &str) {
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        loop {
            match self.element(selector).await.click().await {
                Ok(()) => return,
                Err(e) if replaced(&e) && tokio::time::Instant::now() < deadline => continue,
                Err(e) => panic!("{}: tap {selector}: {e} ({e:?})", self.engine),
            }
        }
    }

    /// Presses the pointer on the element matching `selector`, keeps it down for `held`, then
    /// lets go — the hold gesture as a finger makes it.
    pub async fn press_and_hold(&self, selector: &str, held: Duration) {
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        loop {
            let element = self.element(selector).await;
            let scroll = "(selector) => document.querySelector(selector).scrollIntoView({ block: 'center' })";
            self.eval(&js::call(scroll, &[json!(selector)])).await;
            let finger = MouseActions::new("finger".to_owned())
                .then(PointerAction::MoveToElement { element, duration: None, x: 0.0, y: 0.0 })
                .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
                .then(PointerAction::Pause { duration: held })
                .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
            // As in `tap`: an element replaced before the finger reached it is pressed anew.
            match self.client().perform_actions(finger).await {
                Ok(()) => break,
                Err(e) if replaced(&e) && tokio::time::Instant::now() < deadline => continue,
                Err(e) => panic!("{}: press and hold {selector}: {e} ({e:?})", self.engine),
            }
        }
        let _ = self.client().release_actions().await;
    }

    /// Takes the browser off the network (`navigator.onLine` false, the `offline` event) or back,
    /// where its driver can: chromedriver's network conditions, Firefox's own switch (from its
    /// privileged context). `false` where it cannot (WebKitWebDriver has no such command).
    pub async fn set_offline(&self, offline: bool) -> bool {
        let run = |path: &'static str, body: Value| self.client().issue_cmd(SessionCommand { path, body });
        match self.engine {
            Engine::Chromium => {
                let conditions = json!({ "network_conditions": {
                    "offline": offline, "latency": 0, "download_throughput": -1, "upload_throughput": -1,
                }});
                run("chromium/network_conditions", conditions).await.expect("chromedriver's network conditions");
            }
            Engine::Firefox => {
                run("moz/context", json!({ "context": "chrome" })).await.expect("Firefox's privileged context");
                let script =
                    "Services.io.manageOfflineStatus = false; Services.io.offline = arguments[0]; return true;";
                self.client().execute(script, vec![json!(offline)]).await.expect("Firefox's offline switch");
                run("moz/context", json!({ "context": "content" })).await.expect("back to the page");
            }
            Engine::WebKit => return false,
        }
        true
    }

    /// The `data-state` of door `id`.
    pub async fn door_state(&self, id: u64) -> String {
        self.eval(&door_state_of(id)).await.as_str().unwrap_or_default().to_owned()
    }

    /// axe-core (the npm package's script, run by the driver, which the page's policy does not
    /// govern) against the page once it has settled, for WCAG 2.0–2.2 A and AA: one line per rule.
    pub async fn axe_violations(&self) -> Vec<String> {
        self.settled().await;
        let source = std::fs::read_to_string(js::axe_core_path()).expect("axe-core (`cargo xtask setup`)");
        // Defined on the page's window, as an injected script would.
        self.client()
            .execute(&format!("{source}; return true;"), vec![])
            .await
            .unwrap_or_else(|e| panic!("{}: inject axe-core: {e}", self.engine));
        let found = self.eval(&js::call(js::AXE_RUN, &[])).await;
        found.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default()
    }

    /// Ends the session and stops every process; fails the test if the page ended on the crash
    /// screen (a panic or an uncaught exception: whatever the scenario, the page must not die).
    pub async fn finish(self) {
        let engine = self.engine;
        let crashed = self.eval("document.querySelector('[data-screen=crashed]')?.innerText ?? null").await;
        self.close().await;
        assert_eq!(crashed, Value::Null, "{engine}: the page crashed");
    }

    /// Ends the session and stops every process, whatever the page shows; fails the test if any
    /// process it started (a browser's helper, Xvfb) survives.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
        let groups = self.processes.ids();
        drop(std::mem::take(&mut self.processes));
        let survivors: Vec<u32> =
            groups.into_iter().flat_map(|group| crate::processes::survivors_of(group, WAIT_LIMIT)).collect();
        assert_eq!(survivors, Vec::<u32>::new(), "{}: processes survived the browser", self.engine);
    }
}

impl Drop for EngineBrowser {
    fn drop(&mut self) {
        // A test that panicked before `finish`: the processes die with `processes`; the session's
        // client only needs its connection dropped.
        self.client.take();
    }
}

/// A driver's own endpoint under the session, `POST`ed with `body`.
#[derive(Debug)]
struct SessionCommand {
    path: &'static str,
    body: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/{}", session.unwrap_or_default(), self.path))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// A request that arrived where a stopped server was (see [`listen_in_place_of`]).
#[derive(Clone, Debug)]
pub struct Knock {
    /// Its request line (`GET /path HTTP/1.1`).
    pub line: String,
    /// Whether it carried an `Authorization` header.
    pub authorization: bool,
}

/// What arrived at an address whose server is gone (see [`listen_in_place_of`]).
pub struct Knocks {
    seen: Arc<Mutex<Vec<Knock>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Knocks {
    /// The requests that arrived so far.
    pub fn requests(&self) -> Vec<Knock> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for Knocks {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Listens where the server at `url` (`http://127.0.0.1:<port>`, just stopped) was, reads the
/// head of every request that arrives and closes the connection unanswered: to a page, the server
/// is still unreachable, and a test learns what tried to reach it.
pub async fn listen_in_place_of(url: &str) -> Knocks {
    use tokio::io::AsyncReadExt;
    let address = url.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let started = Instant::now();
    // The stopped server's socket closes as its task winds down.
    let listener = loop {
        match tokio::net::TcpListener::bind(&address).await {
            Ok(listener) => break listener,
            Err(e) => {
                assert!(started.elapsed() < Duration::from_secs(10), "listen on {address} again: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    };
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let task = tokio::spawn(async move {
        while let Ok((mut connection, _)) = listener.accept().await {
            let sink = sink.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut chunk = [0u8; 4096];
                // Until the end of the head (or the peer gives up); bounded like any test wait.
                let read = async {
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
                        match connection.read(&mut chunk).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => head.extend_from_slice(&chunk[..n]),
                        }
                    }
                };
                let _ = tokio::time::timeout(WAIT_LIMIT, read).await;
                let text = String::from_utf8_lossy(&head).into_owned();
                if text.is_empty() {
                    return;
                }
                let knock = Knock {
                    line: text.lines().next().unwrap_or_default().to_owned(),
                    authorization: text.lines().any(|l| l.to_ascii_lowercase().starts_with("authorization:")),
                };
                sink.lock().unwrap_or_else(|e| e.into_inner()).push(knock);
            });
        }
    });
    Knocks { seen, task }
}
