//! What a test starts: the Kisi sandbox, a static site serving the release build configured for
//! it, and a headless Chromium whose every tab is recorded — and what checks, when it all stops,
//! that no page broke.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::target::SetAutoAttachParams;
use chromiumoxide::handler::viewport::Viewport;
use futures::StreamExt;
use sandbox::{KisiSandbox, RecordedRequest, SandboxOptions, StaticSite};
use serde_json::Value;
use tempfile::TempDir;
use tokio::task::JoinHandle;

use crate::js;
use crate::page::VisitorPage;
use crate::record::{Seen, is_failure};
use crate::site::{deploy_into, deploy_site};

/// Installed in every tab before its page loads: see `js/csp_listener.js`.
const CSP_LISTENER: &str = include_str!("js/csp_listener.js");

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
        let (browser, mut events) = Browser::launch(chromium_config(&profile, arguments))
            .await
            .expect("launch Chromium (is it installed? run `cargo xtask setup`)");
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
        // Every Content-Security-Policy violation lands in the console, where `finish` fails on it.
        page.evaluate_on_new_document(js::call(CSP_LISTENER, &[])).await.expect("install the CSP violation listener");
        let seen = Seen::record(&page).await;
        self.consoles.lock().unwrap().push(seen.console.clone());
        VisitorPage::new(page, seen)
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

/// Headless Chromium on a phone-sized touch screen, with its profile in `profile` and `arguments`
/// added to its own.
fn chromium_config(profile: &TempDir, arguments: &[String]) -> BrowserConfig {
    let chromium = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    BrowserConfig::builder()
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
        .expect("a browser configuration")
}
