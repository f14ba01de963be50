//! The visitor's path through the release build: open the link, see every door, tap, unlocked —
//! and every way that path can end differently.

use std::time::Duration;

use e2e::Harness;
use sandbox::SandboxOptions;

/// `document.querySelectorAll(selector).length`, as a JS expression.
fn count(selector: &str) -> String {
    format!("document.querySelectorAll({}).length", e2e::js_string(selector))
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_secret_the_help_screen_shows_and_nothing_is_sent() {
    let harness = Harness::start().await;
    let page = harness.open("").await;
    let title = page.wait_for("document.querySelector('[data-screen=help] h1')?.textContent").await;
    assert_eq!(title, "Open your access link");
    // The release build says which release it is, for a support person (the workspace's version).
    let generator = page.eval("document.querySelector('meta[name=generator]')?.content").await;
    assert_eq!(generator, format!("portier {}", env!("CARGO_PKG_VERSION")));

    let damaged = harness.open("ab%00cd").await;
    let title = damaged.wait_for("document.querySelector('[data-screen=help] h1')?.textContent").await;
    assert_eq!(title, "This link looks incomplete");
    assert!(harness.kisi.requests().is_empty(), "no request may reach the API: {:?}", harness.kisi.requests());
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_shows_every_door_grouped_by_place() {
    let harness = Harness::start().await;
    let page = harness.open("demo").await;
    page.wait_for(&format!("{} === 12", count("li.door[data-door-id]"))).await;

    let headings = page.eval("[...document.querySelectorAll('h2')].map(h => h.textContent)").await;
    assert_eq!(headings, serde_json::json!(["Acme HQ", "Warehouse Tempelhof", "Coworking Kreuzberg"]));
    assert_eq!(page.eval(&count("button.door-button")).await, 12, "every door is a real <button>");
    // The name is what the button shows, door name first (WCAG 2.5.3: label in name).
    assert_eq!(
        page.accessible_name("[data-door-id='101'] button").await,
        "Main entrance Glass doors on Torstraße Tap to unlock"
    );
    assert_eq!(page.accessible_name("[data-door-id='102'] button").await, "Reception Tap to unlock");
    assert_eq!(
        page.accessible_name("[data-door-id='105'] button").await,
        "Bike storage Courtyard, behind the bins Offline"
    );

    for (id, state, status) in [
        (105, "blocked", "Offline"),
        (201, "blocked", "Locked down"),
        (106, "blocked", "Not set up"),
        (101, "ready", "Tap to unlock"),
    ] {
        assert_eq!(page.door_state(id).await, state, "door {id}");
        let shown =
            page.eval(&format!("document.querySelector('[data-door-id=\"{id}\"] .door-status').textContent")).await;
        assert_eq!(shown, status, "door {id}");
    }
    let locks = harness.api_calls("GET", "/locks");
    assert_eq!(locks.len(), 1);
    assert_eq!(locks[0].path, "/locks?limit=250&offset=0");
    assert_eq!(locks[0].header("authorization"), Some("KISI-GROUP-LINK demo"));
    assert_eq!(locks[0].header("accept"), Some("application/json"));
    assert!(page.console().iter().all(|line| !line.contains("exception")), "{:?}", page.console());
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn one_tap_sends_exactly_one_unlock_and_shows_unlocked() {
    let harness = Harness::start().await;
    let page = harness.open("demo").await;
    page.tap("[data-door-id='101'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"101\"]').dataset.state === 'unlocked'").await;
    let status = page.eval("document.querySelector('[data-door-id=\"101\"] .door-status').textContent").await;
    assert_eq!(status, "Unlocked — open the door now");
    let countdown = page.eval("document.querySelector('[data-door-id=\"101\"] .door-countdown')?.textContent").await;
    assert!(countdown.as_str().is_some_and(|c| c.starts_with("Locks again in ")), "{countdown}");
    let announced = page.eval("document.querySelector('[role=status][aria-live=polite]').textContent").await;
    assert_eq!(
        announced, "\u{2068}Main entrance\u{2069} unlocked. Open the door now.",
        "the live region says what happened, with the door"
    );

    let unlocks = harness.api_calls("POST", "/locks/101/unlock");
    assert_eq!(unlocks.len(), 1, "exactly one unlock request");
    assert_eq!(unlocks[0].header("authorization"), Some("KISI-GROUP-LINK demo"));
    assert_eq!(unlocks[0].header("content-type"), Some("application/json"));
    assert_eq!(unlocks[0].body, "{}");
    assert_eq!(harness.api_calls("POST", "/locks/102/unlock").len(), 0, "no other door was unlocked");

    // After a few seconds the door is ready for the next visitor again.
    page.wait_for("document.querySelector('[data-door-id=\"101\"]').dataset.state === 'ready'").await;
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn taps_while_unlocking_are_ignored() {
    let harness = Harness::with_options(SandboxOptions {
        slow_latency: Duration::from_millis(1500),
        ..SandboxOptions::default()
    })
    .await;
    let page = harness.open("slow").await;
    page.tap("[data-door-id='102'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"102\"]').dataset.state === 'unlocking'").await;
    page.tap("[data-door-id='102'] button").await;
    page.tap("[data-door-id='102'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"102\"]').dataset.state === 'unlocked'").await;
    assert_eq!(harness.api_calls("POST", "/locks/102/unlock").len(), 1);
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn doors_that_cannot_open_ignore_taps() {
    let harness = Harness::start().await;
    let page = harness.open("demo").await;
    for id in [105, 201, 106] {
        page.tap(&format!("[data-door-id='{id}'] button")).await;
    }
    // A tappable door afterwards: once its answer is on screen, any request the blocked doors had
    // sent (earlier) would have been recorded too.
    page.tap("[data-door-id='301'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"301\"]').dataset.state === 'unlocked'").await;
    let posts: Vec<String> =
        harness.kisi.requests().into_iter().filter(|r| r.method == "POST").map(|r| r.path).collect();
    assert_eq!(posts, vec!["/locks/301/unlock"]);
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn six_hundred_and_forty_doors_over_three_pages() {
    let harness = Harness::start().await;
    let page = harness.open("many-doors").await;
    page.wait_for(&format!("{} === 640", count("li.door[data-door-id]"))).await;
    let paths: Vec<String> = harness.api_calls("GET", "/locks").into_iter().map(|r| r.path).collect();
    assert_eq!(paths, vec!["/locks?limit=250&offset=0", "/locks?limit=250&offset=250", "/locks?limit=250&offset=500"]);
    assert_eq!(page.eval(&count("h2")).await, 4, "four places, four headings");
    let last = page.eval("document.querySelector('li.door:last-child .door-name') && [...document.querySelectorAll('.door-name')].pop().textContent").await;
    assert_eq!(last, "Door 640");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn link_problems_replace_the_door_list_with_their_message() {
    let harness = Harness::start().await;
    for (secret, problem, title) in [
        ("invalid-link", "link_invalid", "This access link doesn't work"),
        ("expired-link", "link_expired", "This access link has expired"),
        ("future-link", "link_not_yet_valid", "This access link isn't active yet"),
    ] {
        let page = harness.open(secret).await;
        let shown =
            page.wait_for(&format!("document.querySelector('[data-problem=\"{problem}\"] h1')?.textContent")).await;
        assert_eq!(shown, title, "{secret}");
        assert_eq!(page.eval(&count("li.door[data-door-id]")).await, 0, "{secret}: no doors");
    }
    let page = harness.open("no-doors").await;
    let shown = page.wait_for("document.querySelector('[data-screen=empty] h1')?.textContent").await;
    assert_eq!(shown, "No doors yet");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unlock_failures_stay_on_their_door() {
    let harness = Harness::start().await;
    let page = harness.open("unlock-failures").await;
    for (id, status) in
        [(502, "The door isn't responding"), (503, "Locked down"), (504, "This door is no longer available")]
    {
        page.tap(&format!("[data-door-id='{id}'] button")).await;
        page.wait_for(&format!("document.querySelector('[data-door-id=\"{id}\"]').dataset.state === 'failed'")).await;
        let shown =
            page.eval(&format!("document.querySelector('[data-door-id=\"{id}\"] .door-status').textContent")).await;
        assert_eq!(shown, status, "door {id}");
        let advice = page
            .eval(&format!("document.querySelector('[data-door-id=\"{id}\"] .door-advice')?.textContent ?? ''"))
            .await;
        assert!(advice.as_str().is_some_and(|a| a.len() > 10), "door {id} explains what to do: {advice}");
    }
    page.tap("[data-door-id='501'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"501\"]').dataset.state === 'unlocked'").await;
    assert_eq!(page.door_state(502).await, "failed", "a failure stays on its door");
    assert_eq!(harness.kisi.requests().iter().filter(|r| r.method == "POST").count(), 4);
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_answer_shows_the_loading_state_first() {
    let harness = Harness::with_options(SandboxOptions {
        slow_latency: Duration::from_millis(1500),
        ..SandboxOptions::default()
    })
    .await;
    let page = harness.open("slow").await;
    let loading = page.wait_for("document.querySelector('[data-screen=loading] [role=status]')?.textContent").await;
    assert_eq!(loading, "Loading your doors…");
    page.wait_for(&format!("{} === 12", count("li.door[data-door-id]"))).await;
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_link_in_the_same_tab_is_followed() {
    let harness = Harness::start().await;
    let page = harness.open("").await;
    page.wait_for("document.querySelector('[data-screen=help]')").await;
    page.eval("location.hash = 'demo'").await;
    page.wait_for(&format!("{} === 12", count("li.door[data-door-id]"))).await;
    page.eval("location.hash = 'expired-link'").await;
    page.wait_for("document.querySelector('[data-problem=\"link_expired\"]')").await;
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_door_named_in_the_link_comes_first_and_stays_after_a_reload() {
    let harness = Harness::start().await;
    let page = harness.open("demo&door=302").await;
    page.wait_for(&format!("{} === 12", count("li.door[data-door-id]"))).await;
    let first = page.eval("document.querySelector('li.door').dataset.doorId").await;
    assert_eq!(first, "302");
    assert_eq!(page.eval("document.querySelector('li.door').dataset.highlighted").await, "true");
    assert_eq!(page.eval("location.hash").await, "#door=302", "the secret left the address bar, the door stayed");
    page.page.reload().await.expect("reload");
    page.wait_for("document.querySelector('li.door')?.dataset.doorId === '302'").await;
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_operators_names_notes_and_hidden_doors_are_shown_and_read() {
    let config = serde_json::json!({ "doors": {
        "101": { "name": "Front door", "note": "Pull firmly after the click" },
        "102": { "hidden": true },
        "301": { "note": "اضغط بقوة" },
    }});
    let harness = Harness::with_config(SandboxOptions::default(), config).await;
    let page = harness.open("demo").await;
    page.wait_for(&format!("{} === 11", count("li.door[data-door-id]"))).await;
    assert_eq!(page.eval(&count("[data-door-id='102']")).await, 0, "the hidden door is not drawn");
    // Renamed: the name shown, found and read is the operator's; the note is the description.
    assert_eq!(
        page.accessible_name("[data-door-id='101'] button").await,
        "Front door Glass doors on Torstraße Tap to unlock"
    );
    assert_eq!(page.accessible_description("[data-door-id='101'] button").await, "Pull firmly after the click");
    let shown = page.eval("document.querySelector('[data-door-id=\"101\"] .door-note').textContent").await;
    assert_eq!(shown, "Pull firmly after the click");
    assert_eq!(page.eval("document.querySelector('[data-door-id=\"301\"] .door-note').dir").await, "auto");
    assert_eq!(page.accessible_description("[data-door-id='103'] button").await, "", "no note, no description");
    let violations = page.axe_violations().await;
    assert!(violations.is_empty(), "{violations:?}");
    // Tapped, the renamed door is announced by its new name.
    page.tap("[data-door-id='101'] button").await;
    page.wait_for(&e2e::door_in_state(101, "unlocked")).await;
    page.wait_for(
        "document.querySelector('[aria-live=polite]')?.textContent === '\\u2068Front door\\u2069 unlocked. Open the door now.'",
    )
    .await;

    // A link that names the hidden door still shows only the others: hiding is the page's, not Kisi's.
    let named = harness.open("demo&door=102").await;
    named.wait_for(&format!("{} === 11", count("li.door[data-door-id]"))).await;
    assert_eq!(named.eval(&count("[data-door-id='102'], [data-highlighted]")).await, 0);
    harness.finish().await;
}

/// What the line under the title says of the link's end, once it is there.
async fn shown(page: &e2e::VisitorPage) -> String {
    page.wait_for("document.querySelector('.validity')?.textContent").await.as_str().unwrap().to_owned()
}

/// A tab in time zone `zone`, showing `fragment`, once its doors are on screen.
async fn open_in_zone(harness: &Harness, zone: &str, fragment: &str) -> e2e::VisitorPage {
    use chromiumoxide::cdp::browser_protocol::emulation::SetTimezoneOverrideParams;
    let page = harness.blank_tab().await;
    page.page.execute(SetTimezoneOverrideParams::new(zone)).await.expect("a time zone");
    page.goto(&format!("{}#{fragment}", harness.site.url())).await;
    page.wait_for(&format!("{} === 12", count("li.door[data-door-id]"))).await;
    page
}

#[tokio::test(flavor = "multi_thread")]
async fn the_links_end_is_shown_in_the_visitors_language_and_time_zone() {
    let harness = Harness::start().await;
    // 2099-12-24T17:00Z is 18:00 on Thursday 24 December in Berlin, 02:00 on Friday 25th in Tokyo.
    let berlin = open_in_zone(&harness, "Europe/Berlin", "demo&lang=de&until=2099-12-24T17:00Z").await;
    let german = shown(&berlin).await;
    assert!(german.starts_with("Gültig bis") && german.contains("24.") && german.contains("18:00"), "{german}");
    assert_eq!(berlin.eval("location.hash").await, "#lang=de&until=2099-12-24T17:00Z", "a reload shows it again");
    let tokyo = open_in_zone(&harness, "Asia/Tokyo", "demo&lang=ja&until=2099-12-24T18:00%2B01:00").await;
    let japanese = shown(&tokyo).await;
    assert!(japanese.ends_with("まで有効") && japanese.contains("25") && japanese.contains("02:00"), "{japanese}");

    // In the last hour: a plain notice with the time alone.
    let soon = harness.blank_tab().await;
    let in_half_an_hour = soon.eval("new Date(Date.now() + 30 * 60 * 1000).toISOString()").await;
    let soon =
        open_in_zone(&harness, "Europe/Berlin", &format!("demo&until={}", in_half_an_hour.as_str().unwrap())).await;
    soon.wait_for("document.querySelector('.validity')?.dataset.validity === 'ending'").await;
    let notice = shown(&soon).await;
    assert!(notice.starts_with("This link stops working at") && !notice.contains("Dec"), "{notice}");
    assert!(soon.axe_violations().await.is_empty());

    // Past the link's own date, Kisi still decides: a link it accepts opens doors, the stale date goes.
    let past = open_in_zone(&harness, "Europe/Berlin", "demo&until=2020-01-01T00:00Z").await;
    assert_eq!(past.eval(&count(".validity")).await, 0);
    past.tap("[data-door-id='101'] button").await;
    past.wait_for(&e2e::door_in_state(101, "unlocked")).await;
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn typing_in_the_search_box_narrows_the_doors() {
    let harness = Harness::start().await;
    let page = harness.open("demo").await;
    page.wait_for(&format!("{} === 12", count("li.door[data-door-id]"))).await;
    let search = page.page.find_element("#door-search").await.expect("12 doors get a search box");
    search.click().await.unwrap().type_str("kitch").await.unwrap();
    page.wait_for(&format!("{} === 1", count("li.door:not([hidden])"))).await;
    assert_eq!(page.eval("document.querySelector('li.door:not([hidden]) .door-name').textContent").await, "Kitchen");
    let headings =
        page.eval("[...document.querySelectorAll('section.place:not([hidden]) h2')].map(h => h.textContent)").await;
    assert_eq!(headings, serde_json::json!(["Coworking Kreuzberg"]));
    harness.finish().await;
}
