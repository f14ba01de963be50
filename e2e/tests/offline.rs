//! Offline start and installing: the service worker (`worker/sw.js`, its file list written by
//! `cargo xtask build`) and the web app manifest, in headless Chromium against the static site and
//! the sandbox. The browser profile lives as long as the harness, so a second tab is a repeat visit.

use std::path::Path;

use base64::Engine;
use e2e::{Harness, VisitorPage, WAIT_LIMIT, door_in_state, doors_shown};
use serde_json::Value;

/// Waits until this page's origin has an active worker, and returns the newest build's cache name
/// (Cache Storage lists caches in the order they were made).
async fn worker_active(page: &VisitorPage) -> String {
    page.eval(
        "navigator.serviceWorker.ready.then(async (registration) => { \
           const worker = registration.active; \
           if (worker.state !== 'activated') await new Promise(r => worker.addEventListener('statechange', () => worker.state === 'activated' && r())); \
           return (await caches.keys()).filter(name => name.startsWith('portier-shell:/:')).pop(); })",
    )
    .await
    .as_str()
    .expect("the worker's cache")
    .to_owned()
}

/// A harness and a first visit of the link `secret` in it, once its worker is in charge; the
/// worker's cache name.
async fn first_visit(secret: &str) -> (Harness, VisitorPage, String) {
    let harness = Harness::start().await;
    let first = harness.open(secret).await;
    first.wait_for(&doors_shown(12)).await;
    let cache = worker_active(&first).await;
    (harness, first, cache)
}

/// No axe-core violation on `page` as it stands (`what`), in light and in dark; left light.
async fn assert_accessible_light_and_dark(page: &VisitorPage, what: &str) {
    for dark in [false, true] {
        page.prefer_dark(dark).await;
        let violations = page.axe_violations().await;
        assert!(violations.is_empty(), "{what} (dark: {dark}): {violations:#?}");
    }
    page.prefer_dark(false).await;
}

/// Requests for the page and its app files (not `config.json`, the translations, the worker's own
/// update check) the static site received after the first `since`.
fn shell_requests(harness: &Harness, since: usize) -> Vec<String> {
    harness.site.requests()[since..]
        .iter()
        .map(|r| r.path_only().to_owned())
        .filter(|path| path == "/" || path == "/index.html" || path.starts_with("/portier-"))
        .collect()
}

/// Every entry of Cache Storage: its cache, URL, the request's headers, the response's headers and
/// its body as base64.
async fn cache_storage(page: &VisitorPage) -> Vec<Value> {
    let entries = page
        .eval(
            "(async () => { const out = []; \
               for (const name of await caches.keys()) { const cache = await caches.open(name); \
                 for (const request of await cache.keys()) { const response = await cache.match(request); \
                   const bytes = new Uint8Array(await response.arrayBuffer()); let binary = ''; \
                   for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192)); \
                   out.push({ cache: name, url: request.url, requestHeaders: [...request.headers], \
                              responseHeaders: [...response.headers], body: btoa(binary) }); } } \
               return out; })()",
        )
        .await;
    entries.as_array().cloned().unwrap_or_default()
}

/// Holds Cache Storage to the worker's promise: only a build's own files, byte for byte as the site
/// serves them now or served them as first deployed (the build before a release stays, for a
/// page of it still starting), under the site's own URLs; no API answer, no `Authorization`, no
/// secret.
async fn assert_cache_holds_only_the_build(page: &VisitorPage, harness: &Harness, secret: &str) {
    let entries = cache_storage(page).await;
    assert!(!entries.is_empty(), "the worker keeps the app's files");
    for entry in &entries {
        let url = entry["url"].as_str().unwrap();
        let name = url.strip_prefix(&harness.site.url()).unwrap_or_else(|| panic!("{url} is not the site's"));
        assert!(!url.contains(secret) && !url.contains("/locks"), "{url}");
        let served =
            std::fs::read(harness.site_dir().join(name)).unwrap_or_else(|_| panic!("{name} is no file of the build"));
        let first = std::fs::read(e2e::dist_dir().join(name)).unwrap_or_default();
        let kept = base64::engine::general_purpose::STANDARD.decode(entry["body"].as_str().unwrap()).expect("base64");
        assert!(kept == served || kept == first, "{name}: what the worker keeps is a build's file, byte for byte");
        let headers = format!("{} {}", entry["requestHeaders"], entry["responseHeaders"]).to_ascii_lowercase();
        assert!(!headers.contains("authorization") && !headers.contains(secret), "{name}: {headers}");
    }
}

/// Chromium's own verdict on installing the page (DevTools' "Installability" section).
async fn installability_errors(page: &VisitorPage) -> Vec<String> {
    use chromiumoxide::cdp::browser_protocol::page::GetInstallabilityErrorsParams;
    let answer = page.page.execute(GetInstallabilityErrorsParams::default()).await.expect("installability");
    answer.result.installability_errors.iter().map(|e| e.error_id.clone()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeat_visit_starts_from_the_device_and_a_visit_offline_shows_the_last_doors() {
    let (harness, first, cache) = first_visit("renamed").await;
    let errors = installability_errors(&first).await;
    assert!(errors.is_empty(), "{errors:?}");

    // Again, in a new tab: the page and the app come from the device.
    let before = harness.site.requests().len();
    let second = harness.open("renamed").await;
    second.wait_for(&doors_shown(12)).await;
    assert_eq!(second.eval("navigator.serviceWorker.controller !== null").await, true);
    assert_eq!(shell_requests(&harness, before), Vec::<String>::new(), "no round trip for the page or the app");
    let config = harness.site.requests()[before..].iter().filter(|r| r.path_only() == "/config.json").count();
    assert!(config >= 1, "the site still confirms its configuration (the worker never answers for it)");

    // Offline: the page opens from the device, with the doors this device saw last.
    second.set_offline(true).await;
    let before = harness.site.requests().len();
    second.goto(&format!("{}#renamed", harness.site.url())).await;
    second.wait_for(&doors_shown(12)).await;
    second.wait_for("document.querySelector('p.offline')?.textContent.includes('offline')").await;
    second.wait_for(&door_in_state(101, "no-connection")).await;
    let status = second.eval("document.querySelector('[data-door-id=\"101\"] .door-status').textContent").await;
    assert_eq!(status, "Needs a connection");
    assert_eq!(second.eval("document.querySelector('[data-door-id=\"101\"] button').ariaDisabled").await, "true");
    assert_accessible_light_and_dark(&second, "offline start").await;

    // A tap offline sends nothing, now or later, and says why.
    second.tap("[data-door-id='101'] button").await;
    second.wait_for(&door_in_state(101, "failed")).await;
    let said = second.eval("document.querySelector('[data-door-id=\"101\"]').innerText").await;
    assert!(said.as_str().unwrap().contains("Opening a door needs a connection"), "{said}");
    assert!(said.as_str().unwrap().contains("Nothing was sent"), "{said}");
    let tapped_offline: Vec<_> = second.requests().into_iter().filter(|r| r.method == "POST").collect();
    assert!(tapped_offline.is_empty(), "an offline tap starts no request: {tapped_offline:?}");
    assert_eq!(shell_requests(&harness, before), Vec::<String>::new());

    // Back online: the doors are read again, the door is ready, a tap unlocks — once.
    let reads = harness.api_calls("GET", "/locks").len();
    second.set_offline(false).await;
    assert!(harness.kisi.wait_for_calls("GET", "/locks", reads + 1, WAIT_LIMIT).await, "read again once online");
    second.wait_for(&door_in_state(101, "ready")).await;
    second.tap("[data-door-id='101'] button").await;
    second.wait_for(&door_in_state(101, "unlocked")).await;
    assert_eq!(harness.api_calls("POST", "/locks/101/unlock").len(), 1, "the offline tap was never sent later");

    assert_cache_holds_only_the_build(&second, &harness, "renamed").await;
    assert_eq!(worker_active(&second).await, cache, "the same build all along");
    harness.finish().await;
}

/// `dir`'s `index.html` changed as a new release would change it (a marker in its head), and, if
/// `with_worker`, its `sw.js` as the build would write it for that page: the page's new hash under
/// a new cache.
fn deploy_new_build(dir: &Path, marker: &str, with_worker: bool) {
    let index = dir.join("index.html");
    // The page the worker lists: the build's, as first deployed.
    let old = std::fs::read(e2e::dist_dir().join("index.html")).unwrap();
    let html = String::from_utf8(old.clone()).unwrap().replacen(
        "<head>",
        &format!("<head><meta name=\"portier-test-build\" content=\"{marker}\" />"),
        1,
    );
    let worker = std::fs::read_to_string(dir.join("sw.js")).unwrap();
    let (old_hash, new_hash) = (sri(&old), sri(html.as_bytes()));
    assert!(worker.contains(&old_hash), "sw.js lists index.html by its SHA-256");
    // The build's id, which ends its cache's name (`portier-shell:<scope>:<id>`).
    let start = ["\"id\":\"", "id:\""]
        .iter()
        .find_map(|key| worker.find(key).map(|at| at + key.len()))
        .expect("the build's id in sw.js");
    let id: String = worker[start..].chars().take_while(char::is_ascii_hexdigit).collect();
    let worker = worker.replace(&old_hash, &new_hash).replace(&id, &format!("{:0>16}", marker_hex(marker)));
    std::fs::write(&index, html).unwrap();
    if with_worker {
        std::fs::write(dir.join("sw.js"), worker).unwrap();
    }
}

fn marker_hex(marker: &str) -> String {
    marker.bytes().map(|b| format!("{b:02x}")).collect::<String>().chars().take(16).collect()
}

/// Subresource Integrity (`sha256-<base64>`) of `bytes`, as the worker checks it; computed by
/// `openssl`, independently of the build's own code.
fn sri(bytes: &[u8]) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut digest = Command::new("sh")
        .args(["-c", "openssl dgst -sha256 -binary | base64 -w0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("openssl");
    digest.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = digest.wait_with_output().unwrap();
    format!("sha256-{}", String::from_utf8(out.stdout).unwrap().trim())
}

/// The release marker of the page in `page` (`None`: the first build).
async fn build_of(page: &VisitorPage) -> Value {
    page.eval("document.querySelector('meta[name=portier-test-build]')?.content ?? null").await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_release_is_picked_up_on_the_next_visit_and_never_mixed_with_the_old() {
    let (harness, _first, old_cache) = first_visit("demo").await;

    // Halfway through a deployment: the new page is up, the worker still lists the old one. The
    // worker refuses to keep a page that is not the build's, so visitors stay on the old build whole.
    deploy_new_build(harness.site_dir(), "half", false);
    let halfway = harness.open("demo").await;
    halfway.wait_for(&doors_shown(12)).await;
    assert_eq!(build_of(&halfway).await, Value::Null, "the device's build, whole");

    // The release completes: the visit that notices it still runs the old build (already on screen,
    // nothing swapped under the visitor's finger) and installs the new one; the next visit runs it.
    deploy_new_build(harness.site_dir(), "next", true);
    let noticing = harness.blank_tab().await;
    noticing
        .page
        .evaluate_on_new_document(
            "window.__portierTakenOver = new Promise(r => navigator.serviceWorker?.addEventListener('controllerchange', () => r(true)))",
        )
        .await
        .unwrap();
    noticing.goto(&format!("{}#demo", harness.site.url())).await;
    noticing.wait_for(&doors_shown(12)).await;
    assert_eq!(build_of(&noticing).await, Value::Null, "this visit keeps the build it started with");
    assert_eq!(noticing.eval("window.__portierTakenOver").await, true, "the new worker took over");
    let new_cache = worker_active(&noticing).await;
    assert_ne!(new_cache, old_cache);

    let before = harness.site.requests().len();
    let next = harness.open("demo").await;
    next.wait_for(&doors_shown(12)).await;
    assert_eq!(build_of(&next).await, "next", "the next visit runs the new build");
    assert_eq!(shell_requests(&harness, before), Vec::<String>::new(), "from the device, no round trip");
    next.tap("[data-door-id='101'] button").await;
    next.wait_for(&door_in_state(101, "unlocked")).await;
    assert_cache_holds_only_the_build(&next, &harness, "demo-not-a-word-of-the-app").await;
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_operators_kill_switch_retires_the_worker() {
    let (harness, first, _) = first_visit("demo").await;
    // Only the next visit's tab is open when the site changes.
    first.page.clone().close().await.ok();

    // config.json: "offline": false. The next visit hears it from the site and retires the worker.
    let config_path = harness.site_dir().join("config.json");
    let mut config: Value = serde_json::from_str(&std::fs::read_to_string(&config_path).unwrap()).unwrap();
    config["offline"] = Value::Bool(false);
    std::fs::write(&config_path, config.to_string()).unwrap();
    // The page starts from the configuration it kept, hears the site's new one and reloads once to
    // apply it (as for any edit): the reloaded page retires the worker.
    let second = harness.blank_tab().await;
    second.goto(&format!("{}#demo", harness.site.url())).await;
    // The reload comes whenever the site's answer does: whichever document the tab holds is asked,
    // until the reloaded one has drawn the doors. (Counting `load` events raced with the reload
    // and failed in CI once.)
    second
        .wait_across_navigations(&format!(
            "performance.getEntriesByType('navigation')[0]?.type === 'reload' && ({})",
            doors_shown(12)
        ))
        .await;
    second.wait_for("document.documentElement.dataset.worker === 'retired'").await;
    assert_eq!(second.eval("navigator.serviceWorker.getRegistrations().then(r => r.length)").await, 0);
    let kept = second.eval("caches.keys().then(names => names.filter(n => n.startsWith('portier-shell:/:')))").await;
    assert_eq!(kept, serde_json::json!([]), "the worker's files are gone");

    // And the visit after comes from the site again.
    let before = harness.site.requests().len();
    let third = harness.open("demo").await;
    third.wait_for(&doors_shown(12)).await;
    assert_eq!(third.eval("navigator.serviceWorker.controller").await, Value::Null);
    assert!(shell_requests(&harness, before).contains(&"/".to_owned()), "{:?}", shell_requests(&harness, before));
    assert_eq!(third.eval("navigator.serviceWorker.getRegistrations().then(r => r.length)").await, 0);
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn installing_goes_with_remembering_the_link() {
    let harness = Harness::start().await;

    // Chromium's offer, as the head start holds it: a stand-in event the test controls, so the
    // visitor's answer in the browser's own dialog can be chosen.
    let page = harness.blank_tab().await;
    page.page
        .evaluate_on_new_document(
            "window.__portierPrompted = 0; \
             addEventListener('beforeinstallprompt', (e) => { if (!e.standIn) e.stopImmediatePropagation(); }); \
             addEventListener('DOMContentLoaded', () => { \
               const offer = new Event('beforeinstallprompt', { cancelable: true }); offer.standIn = true; \
               offer.prompt = () => { window.__portierPrompted++; return Promise.resolve(); }; \
               offer.userChoice = Promise.resolve({ outcome: window.__portierOutcome || 'dismissed' }); \
               dispatchEvent(offer); })",
        )
        .await
        .unwrap();
    page.goto(&format!("{}#demo", harness.site.url())).await;
    page.wait_for(&doors_shown(12)).await;
    page.wait_for("!document.querySelector('button.install').hidden").await;
    assert_accessible_light_and_dark(&page, "the install offer").await;
    page.tap("button.install").await;
    page.wait_for("window.__portierPrompted === 1").await;
    // Declined: the link is forgotten again, as it was not remembered before.
    page.wait_for("document.querySelector('button.install').hidden").await;
    page.wait_for("!document.querySelector('.remember input').checked").await;
    assert_eq!(page.storage().await["local"].get("portier:/:remembered-secret"), None);
    let violations = page.axe_violations().await;
    assert!(violations.is_empty(), "{violations:#?}");

    // iOS Safari: no prompt, a hint once the link is remembered.
    let ios = harness.blank_tab().await;
    ios.page
        .evaluate_on_new_document(
            "Object.defineProperty(Navigator.prototype, 'standalone', { get: () => false }); \
             addEventListener('beforeinstallprompt', (e) => e.stopImmediatePropagation());",
        )
        .await
        .unwrap();
    ios.goto(&format!("{}#demo", harness.site.url())).await;
    ios.wait_for(&doors_shown(12)).await;
    assert_eq!(ios.eval("document.querySelector('.install-hint').hidden").await, true, "not before remembering");
    assert_eq!(ios.eval("document.querySelector('button.install').hidden").await, true, "no prompt on iOS");
    ios.tap(".remember input").await;
    let hint = ios
        .wait_for(
            "!document.querySelector('.install-hint').hidden && document.querySelector('.install-hint').textContent",
        )
        .await;
    assert!(hint.as_str().unwrap().contains("Add to Home Screen"), "{hint}");
    assert_accessible_light_and_dark(&ios, "the install hint").await;
    assert!(ios.storage().await["local"].get("portier:/:remembered-secret").is_some());
    harness.finish().await;
}
