//! What makes the page fast on a phone, checked for being there (the figures are the benchmark's,
//! `cargo xtask bench`): the door list is asked for while the app still downloads, exactly once;
//! a repeat visit shows the doors before Kisi answers, and does not wait for `config.json`.

use chromiumoxide::cdp::browser_protocol::page::EventLoadEventFired;
use e2e::{Harness, doors_shown};
use futures::StreamExt;

#[tokio::test(flavor = "multi_thread")]
async fn the_door_list_is_requested_while_the_app_downloads_and_only_once() {
    let harness = Harness::start().await;
    // The app's files (Trunk's hashed `portier-…`) are held back: the door list must be asked for
    // while they are, whatever this machine's speed.
    let app_files = harness.site.hold("/portier-");
    let tab = harness.blank_tab().await;
    tab.start_navigation(&format!("{}#demo", harness.site.url())).await;
    let asked = harness.kisi.wait_for_calls("GET", "/locks", 1, e2e::WAIT_LIMIT).await;
    assert!(asked, "the door list is asked for while the app has not arrived");
    app_files.release();
    // The app's own list (the head start may have painted one before it ran).
    tab.wait_for(&format!("!document.getElementById('skeleton') && {}", e2e::doors_shown(12))).await;

    let timing = tab
        .eval(
            "(() => {
                const entries = performance.getEntriesByType('resource');
                const wasm = entries.find(e => e.name.endsWith('.wasm'));
                const locks = entries.filter(e => e.name.includes('/locks?'));
                return { wasmDone: wasm.responseEnd, locksStart: locks.map(e => e.startTime) };
            })()",
        )
        .await;
    let wasm_done = timing["wasmDone"].as_f64().expect("the wasm was loaded");
    let starts = timing["locksStart"].as_array().expect("lock requests").clone();
    assert_eq!(starts.len(), 1, "one GET /locks from the page: {timing}");
    assert!(starts[0].as_f64().unwrap() < wasm_done, "the browser agrees: {timing}");
    assert_eq!(harness.api_calls("GET", "/locks").len(), 1, "the sandbox saw one GET /locks");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeat_visit_shows_the_stored_doors_before_kisi_answers() {
    let harness = Harness::start().await;
    let secret = "demo-repeat-7c41";
    let first = harness.open(secret).await;
    first.wait_for(&doors_shown(12)).await;
    let keys = first.eval("Object.keys(localStorage).filter(k => k.startsWith('portier:/:doors.'))").await;
    let keys = keys.as_array().expect("keys").clone();
    assert_eq!(keys.len(), 1, "one stored door list: {keys:?}");
    let key = keys[0].as_str().unwrap();
    assert!(
        key.len() == "portier:/:doors.".len() + 64 && key.starts_with("portier:/:doors."),
        "keyed by the SHA-256 of the secret: {key}"
    );
    let stored = first.eval("JSON.stringify(Object.entries(localStorage))").await.to_string();
    assert!(!stored.contains(secret), "the secret itself is not stored: {stored}");

    // Kisi does not answer until the doors are on screen: "before Kisi answered", whatever the
    // machine's speed.
    let kisi_answers = harness.kisi.hold("/locks");
    let again = harness.open(secret).await;
    again.wait_for(&doors_shown(12)).await;
    let answered =
        again.eval("performance.getEntriesByType('resource').filter(e => e.name.includes('/locks?')).length").await;
    assert_eq!(answered, 0, "the doors were on screen before any answer from Kisi");
    // Kisi is still asked, and its (unchanged) answer leaves the list as it is.
    assert!(harness.kisi.wait_for_calls("GET", "/locks", 2, e2e::WAIT_LIMIT).await, "the repeat visit asked Kisi");
    kisi_answers.release();
    again.answered("/locks?").await;
    assert_eq!(again.eval("document.querySelectorAll('li.door[data-door-id]').length").await, 12);
    assert_eq!(harness.api_calls("GET", "/locks").len(), 2, "each visit asked Kisi once");
    harness.finish().await;
}

/// Issue #28: on a repeat visit the head start paints the doors this device kept, before the app
/// has arrived and before the site has answered; a tap on one waits, as the app's would, for the
/// site's own `config.json` to confirm the kept copy, then goes — once, taken over by the app.
#[tokio::test(flavor = "multi_thread")]
async fn a_repeat_visit_paints_the_kept_doors_at_once_and_a_tap_waits_for_the_site() {
    // No worker, and (below) no HTTP cache: the app's files come from the site, which holds them.
    let harness = Harness::with_config(Default::default(), serde_json::json!({ "offline": false })).await;
    let secret = "demo-painted-repeat";
    let first = harness.open(secret).await;
    first.wait_for(&doors_shown(12)).await;
    first.wait_for("Object.keys(localStorage).some((key) => key.startsWith('portier:/:doors.'))").await;
    first.page.clone().close().await.ok();

    let app = harness.site.hold(&e2e::app_wasm_path(harness.site_dir()));
    let site_answer = harness.site.hold("/config.json");
    let tab = harness.blank_tab().await;
    tab.page
        .execute(chromiumoxide::cdp::browser_protocol::network::SetCacheDisabledParams::new(true))
        .await
        .expect("no HTTP cache");
    tab.start_navigation(&format!("{}#{secret}", harness.site.url())).await;
    tab.wait_across_navigations("document.querySelectorAll('#skeleton[data-painted] li[data-door-id]').length === 12")
        .await;
    assert_eq!(harness.api_calls("GET", "/locks").len(), 1, "only the first visit's: the site has not confirmed");

    tab.tap("#skeleton [data-door-id='101'] button").await;
    tab.wait_for("document.querySelector('#skeleton [data-door-id=\"101\"]').dataset.state === 'unlocking'").await;
    assert_eq!(
        harness.api_calls("POST", "/locks/101/unlock").len(),
        0,
        "nothing with the secret before the site confirms"
    );
    site_answer.release();
    assert!(harness.kisi.wait_for_calls("POST", "/locks/101/unlock", 1, e2e::WAIT_LIMIT).await, "then the tap goes");
    tab.wait_for("document.querySelector('#skeleton [data-door-id=\"101\"]').dataset.state === 'unlocked'").await;

    app.release();
    tab.wait_for(&format!("!document.getElementById('skeleton') && {}", e2e::door_in_state(101, "unlocked"))).await;
    assert_eq!(harness.api_calls("POST", "/locks/101/unlock").len(), 1, "the app took that unlock over");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeat_visit_does_not_wait_for_config_json_yet_an_edit_shows_at_once() {
    let harness = Harness::start().await;
    let secret = "demo-kept-config";
    let first = harness.open(secret).await;
    first.wait_for(&doors_shown(12)).await;
    let served = std::fs::read_to_string(harness.site_dir().join("config.json")).expect("config.json");
    assert_eq!(first.eval("localStorage.getItem('portier:/:site.config.json')").await, served.as_str());

    // The site's config.json does not answer until the doors are on screen: the page started from
    // the kept copy (and showed the kept doors) without waiting for it.
    let config_answers = harness.site.hold("/config.json");
    let held = harness.open(secret).await;
    held.wait_for(&doors_shown(12)).await;
    let answered =
        held.eval("performance.getEntriesByType('resource').filter(e => e.name.endsWith('/config.json')).length").await;
    assert_eq!(answered, 0, "the doors were on screen before config.json answered");
    config_answers.release();
    held.answered("/config.json").await;
    held.page.clone().close().await.ok();

    // The operator renames the page: the next visit starts from the kept copy, sees the edit
    // arrive, keeps it and reloads once to apply it.
    let mut edited: serde_json::Value = serde_json::from_str(&served).unwrap();
    edited["texts"] = serde_json::json!({ "en": { "title": "Welcome to Acme" } });
    std::fs::write(harness.site_dir().join("config.json"), edited.to_string()).expect("edit config.json");
    let tab = harness.blank_tab().await;
    let mut loads = tab.page.event_listener::<EventLoadEventFired>().await.expect("load events");
    tab.goto(&format!("{}#{secret}", harness.site.url())).await;
    loads.next().await.expect("the first load");
    loads.next().await.expect("the reload that applies the edit");
    assert_eq!(tab.wait_for("document.querySelector('[data-screen=doors] h1')?.textContent").await, "Welcome to Acme");
    assert_eq!(tab.eval("performance.getEntriesByType('navigation')[0].type").await, "reload");
    tab.wait_for(&doors_shown(12)).await;
    let kept = tab.eval("localStorage.getItem('portier:/:site.config.json')").await;
    assert_eq!(kept, edited.to_string().as_str());

    // From then on the kept copy is the site's: no more reloads.
    let later = harness.open(secret).await;
    assert_eq!(
        later.wait_for("document.querySelector('[data-screen=doors] h1')?.textContent").await,
        "Welcome to Acme"
    );
    assert_eq!(later.eval("performance.getEntriesByType('navigation')[0].type").await, "navigate");

    // Edited again while the first tab, which already reloaded once, is reloaded: no second automatic
    // reload; the visit goes on with the copy it kept (same API: Kisi is asked) and keeps the new one.
    edited["texts"] = serde_json::json!({ "en": { "title": "Welcome, again" } });
    std::fs::write(harness.site_dir().join("config.json"), edited.to_string()).expect("edit config.json again");
    tab.page.reload().await.expect("reload");
    tab.wait_for(&doors_shown(12)).await;
    tab.answered("/locks?").await;
    assert_eq!(tab.eval("document.querySelector('[data-screen=doors] h1').textContent").await, "Welcome to Acme");
    tab.wait_for(&format!(
        "localStorage.getItem('portier:/:site.config.json') === {}",
        e2e::js_string(&edited.to_string())
    ))
    .await;
    harness.finish().await;
}
