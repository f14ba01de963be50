//! Every failure path against the sandbox: what the visitor sees, how many requests Kisi got, that
//! nothing panicked (checked by `Harness::finish`), and that the page recovers once Kisi does.

use std::time::Duration;

use e2e::Harness;
use sandbox::SandboxOptions;
use serde_json::json;

fn problem(name: &str) -> String {
    format!("document.querySelector('[data-problem={name}] h1')?.textContent")
}

/// A short request time limit, so the time-out paths take seconds, not minutes.
async fn impatient() -> Harness {
    Harness::with_config(SandboxOptions::default(), json!({ "request_timeout_ms": 1000 })).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limit_is_waited_out_without_the_visitor() {
    let harness = Harness::start().await;
    let page = harness.open("rate-limited").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    assert_eq!(harness.api_calls("GET", "/locks").len(), 2);

    let page = harness.open("retry-after").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    let calls = harness.api_calls("GET", "/locks");
    let waited = calls[calls.len() - 1].received_at - calls[calls.len() - 2].received_at;
    assert!(waited >= Duration::from_millis(1950), "Retry-After: 2 was honoured ({waited:?})");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_outage_is_retried_until_kisi_recovers() {
    let harness = Harness::start().await;
    let page = harness.open("flaky").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    assert_eq!(harness.api_calls("GET", "/locks").len(), 3, "two 503s, then the doors");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn kisi_not_answering_ends_in_a_message_and_a_retry() {
    let harness = impatient().await;
    let page = harness.open("hang").await;
    assert_eq!(page.wait_for(&problem("timeout")).await, "Kisi didn't answer");
    assert_eq!(harness.api_calls("GET", "/locks").len(), 3, "the first try and two retries, each aborted");
    assert!(page.eval("!!document.querySelector('button.retry')").await.as_bool().unwrap());
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cut_connection_and_a_garbled_answer_say_so() {
    let harness = Harness::start().await;
    let page = harness.open("cut-off").await;
    // Online, yet the connection dies: not "offline", but Kisi out of reach from this network.
    assert_eq!(page.wait_for(&problem("unreachable")).await, "Kisi can't be reached from this network");
    // Counted as the page sent them (CDP): Chromium's network stack itself resends a request whose
    // connection died right away, so the sandbox may see one more.
    let sent = page.requests().iter().filter(|r| r.method == "GET" && r.url.contains("/locks?")).count();
    assert_eq!(sent, 3, "the first try and two retries");

    let harness = Harness::start().await;
    let page = harness.open("garbage").await;
    assert_eq!(page.wait_for(&problem("bad_response")).await, "Something went wrong");
    assert_eq!(harness.api_calls("GET", "/locks").len(), 1, "a garbled answer is not retried by itself");
    // The retry button is busy while the retry runs, then ready again.
    page.eval(
        "window.__wasBusy = false;
         new MutationObserver(() => { if (document.querySelector('button.retry[aria-busy]')) window.__wasBusy = true; })
           .observe(document.body, { subtree: true, attributes: true, childList: true });",
    )
    .await;
    page.tap("button.retry").await;
    page.wait_for("window.__wasBusy && document.querySelector('button.retry:not([aria-busy])')").await;
    assert_eq!(harness.api_calls("GET", "/locks").len(), 2, "the visitor's retry asks again");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_data_is_only_ever_text() {
    let harness = Harness::start().await;
    let page = harness.open("hostile").await;
    page.wait_for(&e2e::doors_shown(7)).await;
    assert_eq!(page.eval("document.querySelectorAll('.doors img, .doors script, .doors b').length").await, 0);
    let name = |id: u64| format!("document.querySelector('[data-door-id=\"{id}\"] .door-name').textContent");
    assert_eq!(page.eval(&name(701)).await, "<img src=x onerror=alert(1)>");
    assert_eq!(page.eval(&name(702)).await, "<script>alert(2)</script>");
    assert_eq!(page.eval(&name(704)).await, "Door 704");
    assert_eq!(page.eval(&name(709)).await, "Door 709");
    let long = page.eval(&name(705)).await;
    assert_eq!(long.as_str().unwrap().chars().count(), 120, "a 100 KB name is cut for display");
    assert_eq!(page.eval("document.querySelector('.note').textContent").await, "3 doors couldn't be shown.");
    // The bidi override stays inside its own name.
    assert_eq!(
        page.eval("getComputedStyle(document.querySelector('[data-door-id=\"703\"] .door-name')).unicodeBidi").await,
        "isolate"
    );
    page.tap("[data-door-id='701'] button").await;
    page.wait_for(&e2e::door_in_state(701, "unlocked")).await;
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_thousand_doors_within_the_rate_limit() {
    let harness = Harness::start().await;
    let page = harness.open("huge").await;
    page.wait_for(&e2e::doors_shown(10_000)).await;
    assert_eq!(harness.api_calls("GET", "/locks").len(), 40);
    let busiest = page.busiest_second(&harness.kisi.url());
    assert!(busiest <= 5, "the page started {busiest} requests within one second");
    let doors_kept = page.eval("Object.keys(localStorage).filter(k => k.startsWith('portier:/:doors.')).length").await;
    assert_eq!(doors_kept, 0, "a list this long is not kept on the device");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unlocks_are_retried_once_and_only_when_it_can_help() {
    let harness = Harness::start().await;
    let page = harness.open("unlock-failures").await;
    page.wait_for(&e2e::doors_shown(6)).await;
    page.tap("[data-door-id='506'] button").await;
    page.wait_for(&e2e::door_in_state(506, "unlocked")).await;
    assert_eq!(harness.api_calls("POST", "/locks/506/unlock").len(), 2, "429, then the automatic retry");

    page.tap("[data-door-id='505'] button").await;
    page.wait_for(&e2e::door_in_state(505, "failed")).await;
    assert_eq!(harness.api_calls("POST", "/locks/505/unlock").len(), 2, "503, one retry, then the visitor decides");
    let status = page.eval("document.querySelector('[data-door-id=\"505\"] .door-status').textContent").await;
    assert_eq!(status, "Kisi is unavailable");

    page.tap("[data-door-id='502'] button").await;
    page.wait_for(&e2e::door_in_state(502, "failed")).await;
    assert_eq!(harness.api_calls("POST", "/locks/502/unlock").len(), 1, "an offline controller is not retried");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rapid_taps_on_many_doors_stay_under_the_rate_limit() {
    // Each door stays "unlocked" for a minute, so the first is still open when the last is checked,
    // however long nine paced unlocks take on this machine.
    let harness = Harness::with_config(SandboxOptions::default(), json!({ "unlocked_seconds": 60 })).await;
    let page = harness.open("demo").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    let tappable = [101, 102, 103, 104, 202, 203, 301, 302, 303];
    for id in tappable {
        page.tap(&format!("[data-door-id='{id}'] button")).await;
    }
    for id in tappable {
        page.wait_for(&e2e::door_in_state(id, "unlocked")).await;
    }
    assert_eq!(harness.kisi.requests().iter().filter(|r| r.method == "POST").count(), 9);
    let busiest = page.busiest_second(&harness.kisi.url());
    assert!(busiest <= 5, "the page started {busiest} requests within one second");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn going_offline_shows_a_notice_and_coming_back_reloads_the_doors() {
    let harness = Harness::start().await;
    let page = harness.open("demo").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    page.set_offline(true).await;
    let notice = page.wait_for("document.querySelector('.offline')?.textContent").await;
    assert_eq!(notice, "You're offline. Your doors will reload when the connection is back.");
    assert!(page.eval(&e2e::doors_shown(12)).await.as_bool().unwrap(), "the doors stay on screen");

    page.set_offline(false).await;
    page.wait_for("!document.querySelector('.offline')").await;
    assert!(harness.kisi.wait_for_calls("GET", "/locks", 2, e2e::WAIT_LIMIT).await, "the doors were read again");
    page.wait_for(&e2e::doors_shown(12)).await;
    assert_eq!(harness.api_calls("GET", "/locks").len(), 2, "the doors were read again");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reading_the_list_again_keeps_what_a_tap_did() {
    // "Unlocked" lasts a minute: the refresh must find the door open, however slow it is here.
    let harness = Harness::with_config(SandboxOptions::default(), json!({ "unlocked_seconds": 60 })).await;
    let page = harness.open("renamed").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    page.tap("[data-door-id='102'] button").await;
    page.wait_for(&e2e::door_in_state(102, "unlocked")).await;
    // The connection comes back: the list is read again, and has changed meanwhile.
    page.eval("dispatchEvent(new Event('online')); true").await;
    let renamed = page
        .wait_for("document.querySelector('[data-door-id=\"101\"] .door-name')?.textContent.includes('renamed')")
        .await;
    assert_eq!(renamed, true);
    assert_eq!(page.door_state(102).await, "unlocked", "the door opened a moment ago still says so");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn coming_back_after_a_while_refreshes_without_flicker() {
    let harness = Harness::start().await;
    let page = harness.open("demo").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    // Watch for the loading screen (it must never come back), hide the page, let 31 s pass on the
    // page's clock, show it again.
    page.eval(
        "window.__sawLoading = false;
         new MutationObserver(() => { if (document.querySelector('[data-screen=loading]')) window.__sawLoading = true; })
           .observe(document.body, { subtree: true, childList: true });
         const visible = (yes) => {
           Object.defineProperty(document, 'hidden', { value: !yes, configurable: true });
           document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
         };
         visible(false);
         const realNow = Date.now;
         Date.now = () => realNow() + 31000;
         visible(true);",
    )
    .await;
    assert!(harness.kisi.wait_for_calls("GET", "/locks", 2, e2e::WAIT_LIMIT).await, "the doors were read again");
    page.wait_for(&e2e::doors_shown(12)).await;
    assert_eq!(harness.api_calls("GET", "/locks").len(), 2);
    assert_eq!(page.eval("window.__sawLoading").await, false, "the list never gave way to the loading screen");
    harness.finish().await;
}
