//! The secret stays secret: recorded over CDP (every request the browser sends), at both servers
//! (every request they receive), in the console and in storage, across every scenario — and the page
//! works entirely under its Content-Security-Policy.

use std::time::{SystemTime, UNIX_EPOCH};

use chromiumoxide::cdp::browser_protocol::page::EventLoadEventFired;
use e2e::{Harness, VisitorPage};
use futures::StreamExt;
use sandbox::{KisiSandbox, RecordedRequest, SandboxOptions};

/// A secret for `scenario` that no other string on the page could contain by chance.
fn unique_secret(scenario: &str) -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{scenario}-s3cr3t{nanos:08x}{:04x}", std::process::id() % 0xffff)
}

/// Every place the secret could leak to, checked. Returns how many requests were checked.
async fn assert_confined(harness: &Harness, page: &VisitorPage, secret: &str) -> usize {
    let api = harness.kisi.url();
    let expected_authorization = format!("KISI-GROUP-LINK {secret}");

    let href = page.eval("location.href").await;
    assert!(!href.as_str().unwrap().contains(secret), "the address bar still shows the secret: {href}");

    let seen = page.requests();
    for request in &seen {
        assert!(!request.url.contains(secret), "secret in a URL: {request:?}");
        for (name, value) in &request.headers {
            if value.contains(secret) {
                assert_eq!(name, "authorization", "secret in header {name}: {request:?}");
                assert_eq!(value, &expected_authorization);
                assert!(request.url.starts_with(&api), "secret sent to {} (not the API)", request.url);
            }
            // CDP shows a suppressed Referer as an empty value.
            assert!(name != "referer" || value.is_empty(), "a Referer was sent: {request:?}");
        }
    }

    let received: Vec<RecordedRequest> = harness.kisi.requests().into_iter().chain(harness.site.requests()).collect();
    for request in &received {
        assert!(!request.path.contains(secret) && !request.body.contains(secret), "secret in {request:?}");
        assert!(request.header("referer").is_none(), "a Referer reached a server: {request:?}");
        for (name, value) in &request.headers {
            assert!(
                !value.contains(secret) || (name == "authorization" && value == &expected_authorization),
                "{request:?}"
            );
        }
    }
    for request in harness.site.requests() {
        assert!(
            request.headers.iter().all(|(_, v)| !v.contains(secret)),
            "the secret reached the web server: {request:?}"
        );
    }

    let console = page.console();
    assert!(console.iter().all(|line| !line.contains(secret)), "secret in the console: {console:#?}");

    let storage = page.storage().await;
    assert!(!storage["local"].to_string().contains(secret), "secret in localStorage without opting in: {storage}");
    assert!(!storage["cookies"].to_string().contains(secret), "secret in a cookie: {storage}");
    let session = storage["session"].as_object().unwrap();
    for (key, value) in session {
        assert!(key == "portier:/:secret" || !value.to_string().contains(secret), "secret in sessionStorage[{key}]");
    }
    seen.len() + received.len()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_secret_travels_only_in_the_authorization_header() {
    let mut checked = 0;
    let mut scenarios = 0;

    // Loading, unlocking, tapping a door that cannot open, reloading.
    let harness = Harness::start().await;
    let secret = unique_secret("demo");
    let page = harness.open(&secret).await;
    page.wait_for(&e2e::doors_shown(12)).await;
    page.tap("[data-door-id='101'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"101\"]').dataset.state === 'unlocked'").await;
    page.tap("[data-door-id='105'] button").await;
    page.page.reload().await.expect("reload");
    page.wait_for(&e2e::doors_shown(12)).await;
    // The doors show from the device's copy at once; Kisi is asked too, with the stored secret.
    page.answered("/locks?").await;
    assert_eq!(harness.api_calls("GET", "/locks").len(), 2, "the reload found the secret in this tab's storage");
    checked += assert_confined(&harness, &page, &secret).await;
    scenarios += 1;
    harness.finish().await;

    // Paging, unlock failures and their retries, link failures, rate limiting, a visitor's retry,
    // no doors.
    // (scenario, what shows first, what shows after a reload)
    let problem = |name: &str| format!("document.querySelector('[data-problem={name}]')");
    for (scenario, ready, reloaded) in [
        ("many-doors", e2e::doors_shown(640), e2e::doors_shown(640)),
        ("unlock-failures", e2e::doors_shown(6), e2e::doors_shown(6)),
        ("expired-link", problem("link_expired"), problem("link_expired")),
        ("invalid-link", problem("link_invalid"), problem("link_invalid")),
        ("rate-limited", e2e::doors_shown(12), e2e::doors_shown(12)),
        ("garbage", problem("bad_response"), problem("bad_response")),
        (
            "no-doors",
            "document.querySelector('[data-screen=empty]')".to_owned(),
            "document.querySelector('[data-screen=empty]')".to_owned(),
        ),
    ] {
        let harness = Harness::start().await;
        let secret = unique_secret(scenario);
        let page = harness.open(&secret).await;
        page.wait_for(&ready).await;
        match scenario {
            "unlock-failures" => {
                for id in [501, 502, 503, 504, 505, 506] {
                    page.tap(&format!("[data-door-id='{id}'] button")).await;
                    page.wait_for(&format!(
                        "['unlocked', 'failed'].includes(document.querySelector('[data-door-id=\"{id}\"]').dataset.state)"
                    ))
                    .await;
                }
            }
            "garbage" => page.tap("button.retry").await,
            _ => {}
        }
        page.page.reload().await.expect("reload");
        page.wait_for(&reloaded).await;
        checked += assert_confined(&harness, &page, &secret).await;
        scenarios += 1;
        harness.finish().await;
    }
    println!("secret confinement: {checked} requests checked across {scenarios} scenarios");
    assert!(checked > 40, "the recording saw too little to prove anything: {checked}");
}

#[tokio::test(flavor = "multi_thread")]
async fn remembering_the_link_on_the_device_is_the_visitors_choice() {
    let harness = Harness::start().await;
    let secret = unique_secret("demo");
    let page = harness.open(&secret).await;
    page.wait_for(&e2e::doors_shown(12)).await;
    // By default the device keeps the door list (keyed by a hash; see speed.rs), never the secret.
    let stored = page.eval("JSON.stringify(Object.entries(localStorage))").await;
    assert!(!stored.to_string().contains(&secret), "secret on the device without opting in: {stored}");
    assert_eq!(page.eval("localStorage.getItem('portier:/:remembered-secret')").await, serde_json::Value::Null);
    assert_eq!(page.eval("document.querySelector('.remember input').checked").await, false);

    page.tap(".remember input").await;
    page.wait_for("localStorage.getItem('portier:/:remembered-secret') !== null").await;
    assert_eq!(page.eval("localStorage.getItem('portier:/:remembered-secret')").await, secret.as_str());

    // A new tab (fresh sessionStorage) without the link finds the remembered one.
    let later = harness.open("").await;
    later.wait_for(&e2e::doors_shown(12)).await;
    assert_eq!(later.eval("document.querySelector('.remember input').checked").await, true);
    later.tap(".remember input").await;
    later.wait_for("localStorage.getItem('portier:/:remembered-secret') === null").await;

    // A shared device: "Forget this link on this device" leaves nothing of the link — not the
    // remembered secret, the tab's, nor the door list — and the bare page has no link.
    later.tap(".remember input").await;
    later.wait_for("localStorage.getItem('portier:/:remembered-secret') !== null").await;
    later.tap(".forget").await;
    later
        .wait_across_navigations(
            "document.querySelector('[data-screen=help] h1')?.textContent === 'Open your access link'",
        )
        .await;
    let left = later
        .eval("JSON.stringify([Object.keys(localStorage).filter(k => !k.startsWith('portier:/:site.')), Object.keys(sessionStorage)])")
        .await;
    assert_eq!(left, "[[],[]]", "what the device kept of the link");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_works_under_a_strict_policy_that_admits_only_the_api() {
    let harness = Harness::start().await;
    let page = harness.open("demo").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    page.tap("[data-door-id='102'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"102\"]').dataset.state === 'unlocked'").await;

    let policies = page
        .eval("[...document.querySelectorAll('meta[http-equiv=Content-Security-Policy]')].map(m => m.content)")
        .await;
    let policies: Vec<&str> = policies.as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    let shipped = policies[0];
    for required in [
        "default-src 'none'",
        "'wasm-unsafe-eval'",
        "'sha256-",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(shipped.contains(required), "{required} missing from {shipped}");
    }
    assert!(!shipped.contains("unsafe-inline") && !shipped.contains("'unsafe-eval'"), "{shipped}");
    assert_eq!(policies[1], format!("connect-src {}", harness.kisi.url()), "narrowed to the API at start");
    // The unbranded demo shows Kisi's organization logo, from the sandbox: images are narrowed to it.
    assert!(page.image_loaded(".brand-logo").await > 0, "the logo loaded under the narrowed policy");
    let images = page
        .eval("[...document.querySelectorAll('meta[http-equiv=Content-Security-Policy]')].map(m => m.content).pop()")
        .await;
    assert_eq!(images, format!("img-src 'self' data: {}", harness.kisi.url()));

    // Anything but the configured API is refused, even the page's own origin.
    assert_eq!(page.probe_refused_connection("config.json").await, "connect-src");
    assert_eq!(page.probe_refused_connection("https://example.com/").await, "connect-src");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edited_kept_configuration_never_receives_the_secret() {
    let harness = Harness::start().await;
    let elsewhere = KisiSandbox::start(SandboxOptions::default()).await.expect("a second API");
    let secret = unique_secret("demo");
    let first = harness.open(&secret).await;
    first.wait_for(&e2e::doors_shown(12)).await;
    // Someone with the device (or an extension) points the kept configuration elsewhere.
    let tampered = format!(r#"{{"api_base": "{}"}}"#, elsewhere.url());
    first.eval(&format!("localStorage.setItem('portier:/:site.config.json', {})", e2e::js_string(&tampered))).await;

    let tab = harness.blank_tab().await;
    let mut loads = tab.page.event_listener::<EventLoadEventFired>().await.expect("load events");
    tab.goto(&format!("{}#{secret}", harness.site.url())).await;
    loads.next().await.expect("the first load");
    loads.next().await.expect("the reload with the site's configuration");
    tab.wait_for(&e2e::doors_shown(12)).await;
    let served = std::fs::read_to_string(harness.site_dir().join("config.json")).expect("config.json");
    assert_eq!(tab.eval("localStorage.getItem('portier:/:site.config.json')").await, served.as_str());
    assert_eq!(elsewhere.requests(), vec![], "not a single request reached the API the site did not name");
    assert_confined(&harness, &tab, &secret).await;

    // Edited again in this tab, which already reloaded once: no second reload, and since the kept
    // copy names another API than the site, nothing is sent at all: a tap fails instead.
    tab.eval(&format!("localStorage.setItem('portier:/:site.config.json', {})", e2e::js_string(&tampered))).await;
    tab.page.reload().await.expect("reload");
    tab.wait_for(&e2e::doors_shown(12)).await;
    tab.tap("[data-door-id='101'] button").await;
    tab.wait_for(&e2e::door_in_state(101, "failed")).await;
    assert_eq!(elsewhere.requests(), vec![], "still not a single request to the API the site did not name");
    assert_eq!(tab.eval("localStorage.getItem('portier:/:site.config.json')").await, served.as_str());
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn while_the_site_cannot_confirm_its_configuration_the_kept_one_gets_nothing() {
    let harness = Harness::start().await;
    let moved_to = KisiSandbox::start(SandboxOptions::default()).await.expect("the API the operator moves to");
    let secret = unique_secret("demo");
    let first = harness.open(&secret).await;
    first.wait_for(&e2e::doors_shown(12)).await;
    let readings_before = harness.api_calls("GET", "/locks").len();

    // The operator moves to another API, and the site fails to serve its config.json for a while:
    // this device's kept copy still names the old API.
    let moved = format!(r#"{{"api_base": "{}"}}"#, moved_to.url());
    std::fs::write(harness.site_dir().join("config.json"), &moved).expect("config.json");
    let failing = harness.site.refuse("/config.json", 503);
    let asked = |requests: &[RecordedRequest]| requests.iter().filter(|r| r.path == "/config.json").count();
    let asked_before = asked(&harness.site.requests());

    let tab = harness.blank_tab().await;
    let mut loads = tab.page.event_listener::<EventLoadEventFired>().await.expect("load events");
    tab.goto(&format!("{}#{secret}", harness.site.url())).await;
    loads.next().await.expect("the first load");
    // The kept doors show while nothing is sent; the site is asked again, and refuses again.
    tab.wait_for(&e2e::doors_shown(12)).await;
    let asked_twice = harness.site.wait_until(e2e::WAIT_LIMIT, |requests| asked(requests) >= asked_before + 2).await;
    assert!(asked_twice, "the page asks the site again after a refusal");
    assert_eq!(harness.api_calls("GET", "/locks").len(), readings_before, "nothing went to the kept copy's API");

    failing.release();
    loads.next().await.expect("the reload with the site's new configuration");
    tab.wait_for(&e2e::doors_shown(12)).await;
    assert_eq!(tab.eval("localStorage.getItem('portier:/:site.config.json')").await, moved.as_str());
    // The kept doors may be on screen before the reading leaves: wait for its arrival, not for the screen.
    let asked_new = moved_to.wait_for_calls("GET", "/locks", 1, e2e::WAIT_LIMIT).await;
    assert!(asked_new, "the new API is asked");
    assert_eq!(harness.api_calls("GET", "/locks").len(), readings_before, "still nothing to the old API");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_secret_leaves_the_address_bar_before_the_app_runs_even_when_it_never_does() {
    let harness = Harness::start().await;
    let secret = unique_secret("demo");

    // The app's files fail (a broken deploy): the secret is out of the address bar all the same,
    // and the door the link names stays.
    let broken = harness.site.refuse("/portier-", 404);
    let page = harness.blank_tab().await;
    page.goto(&format!("{}#{secret}&door=101", harness.site.url())).await;
    page.wait_for("document.readyState === 'complete'").await;
    assert_eq!(page.eval("location.hash").await, "#door=101");
    assert!(!page.eval("location.href").await.as_str().unwrap().contains(&secret));
    drop(broken);

    // A secret a chat app damaged (an invisible character appended) is taken out too, and the page
    // says the link looks incomplete.
    let damaged = harness.open(&format!("{secret}%E2%80%8B")).await;
    damaged
        .wait_for("document.querySelector('[data-screen=help] h1')?.textContent === 'This link looks incomplete'")
        .await;
    assert_eq!(damaged.eval("location.href").await, harness.site.url().as_str());

    // Storage that refuses every write (full, or a strict mode): the secret reaches the app in
    // memory, and the doors come.
    let refusing = harness.blank_tab().await;
    refusing
        .page
        .evaluate_on_new_document(
            "Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); }",
        )
        .await
        .unwrap();
    refusing.goto(&format!("{}#{secret}", harness.site.url())).await;
    refusing.wait_for(&e2e::doors_shown(12)).await;
    assert_eq!(refusing.eval("location.hash").await, "");
    harness.finish().await;
}
