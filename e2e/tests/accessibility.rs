//! axe-core on every state a visitor can meet, in light and in dark: zero WCAG 2.2 A/AA violations.

use std::time::Duration;

use e2e::{Harness, VisitorPage};
use sandbox::SandboxOptions;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn every_state_passes_axe_in_light_and_dark() {
    let slow = SandboxOptions { slow_latency: Duration::from_millis(4000), ..SandboxOptions::default() };
    // "Unlocked" lasts a minute, so that state cannot end while axe is still looking at it.
    let harness = Harness::with_config(slow, json!({ "unlocked_seconds": 60 })).await;
    let mut report = Vec::new();
    for dark in [false, true] {
        let mut check = async |name: &str, page: &VisitorPage| {
            let violations = page.axe_violations().await;
            report.push(format!("{} {name}: {}", if dark { "dark" } else { "light" }, violations.len()));
            assert!(violations.is_empty(), "{name} ({}): {violations:#?}", if dark { "dark" } else { "light" });
        };

        let page = harness.open("").await;
        page.prefer_dark(dark).await;
        page.wait_for("document.querySelector('[data-screen=help]')").await;
        check("help screen", &page).await;

        // A secret per pass: the second visit of one link would show its stored doors at once.
        let page = harness.open(if dark { "slow-dark" } else { "slow-light" }).await;
        page.prefer_dark(dark).await;
        page.wait_for("document.querySelector('[data-screen=loading]')").await;
        check("loading", &page).await;
        page.wait_for("document.querySelectorAll('li.door[data-door-id]').length === 12").await;
        check("door list", &page).await;
        page.tap("[data-door-id='101'] button").await;
        page.wait_for(&e2e::door_in_state(101, "unlocking")).await;
        check("unlocking", &page).await;
        page.wait_for(&e2e::door_in_state(101, "unlocked")).await;
        check("unlocked", &page).await;

        // The doors the head start painted, before the app has arrived (its wasm held back):
        // the list, a painted door unlocking and unlocked.
        let app = harness.site.hold(&e2e::app_wasm_path(harness.site_dir()));
        let page = harness.blank_tab().await;
        page.prefer_dark(dark).await;
        // The app's files from the site, where they are held: not from the worker, nor a cache.
        use chromiumoxide::cdp::browser_protocol::network::{SetBypassServiceWorkerParams, SetCacheDisabledParams};
        page.page.execute(SetBypassServiceWorkerParams::new(true)).await.expect("no worker");
        page.page.execute(SetCacheDisabledParams::new(true)).await.expect("no HTTP cache");
        page.start_navigation(&format!(
            "{}#{}",
            harness.site.url(),
            if dark { "demo-painted-dark" } else { "demo-painted-light" }
        ))
        .await;
        page.wait_across_navigations(
            "document.querySelectorAll('#skeleton[data-painted] li[data-door-id]').length === 12",
        )
        .await;
        check("painted door list", &page).await;
        let kisi_answer = harness.kisi.hold("/locks/102/unlock");
        page.tap("#skeleton [data-door-id='102'] button").await;
        page.wait_for("document.querySelector('#skeleton [data-door-id=\"102\"]').dataset.state === 'unlocking'").await;
        check("painted door unlocking", &page).await;
        kisi_answer.release();
        page.wait_for("document.querySelector('#skeleton [data-door-id=\"102\"]').dataset.state === 'unlocked'").await;
        check("painted door unlocked", &page).await;
        app.release();
        page.wait_for("!document.getElementById('skeleton')").await;

        let page = harness.open("unlock-failures").await;
        page.prefer_dark(dark).await;
        page.tap("[data-door-id='502'] button").await;
        page.wait_for(&e2e::door_in_state(502, "failed")).await;
        check("door error", &page).await;

        let page = harness.open("expired-link").await;
        page.prefer_dark(dark).await;
        page.wait_for("document.querySelector('[data-problem=link_expired]')").await;
        check("link error", &page).await;

        let page = harness.open("demo").await;
        page.prefer_dark(dark).await;
        page.wait_for("document.querySelectorAll('li.door[data-door-id]').length === 12").await;
        page.set_offline(true).await;
        page.wait_for("document.querySelector('.offline')").await;
        check("offline", &page).await;
    }
    println!("axe-core violations per state: {}", report.join("; "));
    harness.finish().await;
}

/// A door that fails changes its background from the accent to the surface in a 150 ms transition
/// while its text turns red at once: sampled midway, red on blue fails contrast, and whether axe
/// got there before or after the transition ended depended on the machine. Here the transition is
/// made to last 2 s, so any machine samples it midway unless the check waits for it to finish.
#[tokio::test(flavor = "multi_thread")]
async fn a_state_is_checked_once_its_transition_has_finished() {
    let harness = Harness::start().await;
    let page = harness.open("unlock-failures").await;
    page.wait_for(&e2e::doors_shown(6)).await;
    // Through the CSSOM, which the page's Content-Security-Policy allows (an inline style it would not).
    page.eval(
        "const sheet = document.styleSheets[0];
         sheet.insertRule('.door-button { transition-duration: 2s !important }', sheet.cssRules.length); true",
    )
    .await;
    page.tap("[data-door-id='502'] button").await;
    // The moment the state changes (in the mutation's own callback, before a frame is drawn), the
    // transitions it starts are paused: what follows does not depend on this machine's speed.
    let paused = page
        .wait_for(&format!(
            "{} && (() => {{ const started = document.getAnimations().filter((a) => a instanceof CSSTransition);
                started.forEach((a) => a.pause()); return {{ paused: started.length }}; }})()",
            e2e::door_in_state(502, "failed")
        ))
        .await;
    assert!(paused["paused"].as_u64() >= Some(1), "the new state starts a transition: {paused}");
    let background = "getComputedStyle(document.querySelector('[data-door-id=\"502\"] button')).backgroundColor";
    assert_ne!(page.eval(background).await, "rgb(255, 255, 255)", "midway: not yet the surface");
    page.eval("document.getAnimations().forEach((a) => a.playState === 'paused' && a.play()); true").await;
    assert!(page.settled().await >= 1, "the background's transition was waited for");
    assert_eq!(page.eval(background).await, "rgb(255, 255, 255)", "settled: the surface");
    let violations = page.axe_violations().await;
    assert!(violations.is_empty(), "{violations:#?}");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn at_320_css_pixels_nothing_scrolls_sideways_and_every_target_is_44_pixels() {
    use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
    let harness = Harness::start().await;
    // 320 CSS px wide is what 200% zoom makes of a 640 px window (WCAG 1.4.10 reflow).
    let page = harness.open("demo").await;
    let narrow = SetDeviceMetricsOverrideParams::builder()
        .width(320)
        .height(640)
        .device_scale_factor(2.0)
        .mobile(true)
        .build()
        .unwrap();
    page.page.execute(narrow).await.expect("a 320 px viewport");
    page.wait_for("document.querySelectorAll('li.door[data-door-id]').length === 12").await;
    let overflow = page.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth").await;
    assert_eq!(overflow, 0, "no horizontal scrolling at 320 px");
    let small = page
        .eval(
            "[...document.querySelectorAll('button, input, a.retry')]
               .filter(e => e.offsetParent !== null && !(e.type === 'checkbox' && e.closest('label')))
               .map(e => { const r = e.getBoundingClientRect(); return [e.className || e.id || e.tagName, Math.round(r.width), Math.round(r.height)]; })
               .filter(([, w, h]) => w < 44 || h < 44)",
        )
        .await;
    assert_eq!(small, serde_json::json!([]), "targets under 44×44 CSS px");
    // A checkbox inside its label is targeted through the whole label row.
    let label = page.eval("Math.round(document.querySelector('.remember label').getBoundingClientRect().height)").await;
    assert!(label.as_u64().unwrap() >= 44, "the remember checkbox's label is the target: {label}");
    harness.finish().await;
}
