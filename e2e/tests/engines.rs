//! The visitor's promises in every engine a phone runs — Chromium, WebKit (every iPhone browser)
//! and Firefox — over W3C WebDriver, against the release build and the Kisi sandbox. Each test
//! below runs once per engine (`engines::<test>::{chromium,webkit,firefox}`). What the page sent
//! is read where it arrived (the sandbox, the static site); a page that crashed fails the test
//! (`EngineBrowser::finish`).

use std::time::Duration;

use e2e::engine::{Engine, EngineBrowser};
use e2e::{door_in_state, doors_shown};
use serde_json::{Value, json};

/// Writes the test once and runs it in each engine, as `<name>::chromium`, `::webkit`, `::firefox`.
macro_rules! in_every_engine {
    ($(#[doc = $doc:literal])* async fn $name:ident($engine:ident) $body:block) => {
        $(#[doc = $doc])*
        mod $name {
            use super::*;

            async fn run($engine: Engine) $body

            #[tokio::test(flavor = "multi_thread")]
            async fn chromium() {
                run(Engine::Chromium).await
            }

            #[tokio::test(flavor = "multi_thread")]
            async fn webkit() {
                run(Engine::WebKit).await
            }

            #[tokio::test(flavor = "multi_thread")]
            async fn firefox() {
                run(Engine::Firefox).await
            }
        }
    };
}

/// The text of the first element matching `selector`, as a JS expression.
fn text_of(selector: &str) -> String {
    format!("document.querySelector({})?.textContent", e2e::js_string(selector))
}

/// The heading of the problem screen `name`, once it shows.
fn problem(name: &str) -> String {
    text_of(&format!("[data-problem={name}] h1"))
}

/// A door's status line.
fn status_of(id: u64) -> String {
    text_of(&format!("[data-door-id='{id}'] .door-status"))
}

/// `key` in the site's translation `lang` (as shipped in the build).
fn translated(lang: &str, key: &str) -> String {
    let file = e2e::dist_dir().join(format!("i18n/{lang}.json"));
    let texts: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("a translation")).expect("JSON");
    texts[key].as_str().unwrap_or_else(|| panic!("{key} in {lang}")).to_owned()
}

fn assert_accessible(engine: Engine, what: &str, violations: Vec<String>) {
    assert!(violations.is_empty(), "{engine}, {what}: {violations:#?}");
}

in_every_engine! {
    /// The secret from the fragment, the doors page by page, the secret out of the address bar;
    /// no secret, no request.
    async fn doors_from_the_fragment_paged(engine) {
        let browser = EngineBrowser::start(engine, json!({})).await;
        browser.open("").await;
        assert_eq!(browser.wait_for(&text_of("[data-screen=help] h1")).await, "Open your access link");
        assert!(browser.kisi().requests().is_empty(), "{engine}: no secret, no request");

        browser.open("many-doors").await;
        browser.wait_for(&doors_shown(640)).await;
        let paths: Vec<String> = browser.api_calls("GET", "/locks").into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["/locks?limit=250&offset=0", "/locks?limit=250&offset=250", "/locks?limit=250&offset=500"]);
        for call in browser.api_calls("GET", "/locks") {
            assert_eq!(call.header("authorization"), Some("KISI-GROUP-LINK many-doors"), "{engine}");
        }
        browser.wait_for("!location.hash.includes('many-doors')").await;
        assert!(!browser.current_url().await.contains("many-doors"), "{engine}: the secret left the address bar");

        // A door's own link shows that door first.
        browser.open("secret=demo&door=301").await;
        browser.wait_for(&doors_shown(12)).await;
        let first = browser.eval("document.querySelector('li.door[data-door-id]').dataset.doorId").await;
        assert_eq!(first, "301", "{engine}");
        assert!(browser.site().requests().iter().all(|r| !r.path.contains("demo")), "{engine}: the site never sees it");
        browser.finish().await;
    }
}

in_every_engine! {
    /// One tap, one unlock, "Unlocked" shown and announced — and a second door tapped while the
    /// first is still unlocking opens on its own. The case of issue #25: in WebKit and Firefox the
    /// first door hung on "Still trying…".
    async fn a_tap_unlocks_once_and_another_door_meanwhile(engine) {
        let browser = EngineBrowser::start(engine, json!({})).await;
        browser.open("demo").await;
        browser.wait_for(&doors_shown(12)).await;
        assert_accessible(engine, "the door list", browser.axe_violations().await);

        let first_answer = browser.kisi().hold("/locks/101/unlock");
        browser.tap("[data-door-id='101'] button").await;
        browser.wait_for(&door_in_state(101, "unlocking")).await;
        browser.tap("[data-door-id='102'] button").await;
        browser.wait_for(&door_in_state(102, "unlocked")).await;
        assert_eq!(browser.door_state(101).await, "unlocking", "{engine}: 101 still waits for its answer");
        first_answer.release();

        browser.wait_for(&door_in_state(101, "unlocked")).await;
        assert_eq!(browser.eval(&status_of(101)).await, "Unlocked — open the door now", "{engine}");
        browser
            .wait_for("document.querySelector('[role=status][aria-live=polite]')?.textContent === '\\u2068Main entrance\\u2069 unlocked. Open the door now.'")
            .await;
        assert_accessible(engine, "unlocked", browser.axe_violations().await);
        for id in [101, 102] {
            let unlocks = browser.api_calls("POST", &format!("/locks/{id}/unlock"));
            assert_eq!(unlocks.len(), 1, "{engine}: exactly one unlock of {id}");
            assert_eq!(unlocks[0].header("authorization"), Some("KISI-GROUP-LINK demo"), "{engine}");
        }
        // Back to ready for the next visitor, and nothing else was sent.
        browser.wait_for(&door_in_state(101, "ready")).await;
        assert_eq!(browser.kisi().requests().iter().filter(|r| r.method == "POST").count(), 2, "{engine}");
        browser.finish().await;
    }
}

/// The doors as listed, in order: id and name, as a JS expression over the elements `scope` holds.
fn listed_doors(scope: &str) -> String {
    format!(
        "[...document.querySelectorAll({})].map((door) => door.dataset.doorId + ' ' + door.querySelector('.door-name').textContent)",
        e2e::js_string(&format!("{scope} li[data-door-id]"))
    )
}

in_every_engine! {
    /// Issue #28: the doors of the head start's early answer are on screen while the app has not
    /// arrived (its wasm held back by the site), a tap on one sends the unlock at once and says how
    /// it went; the app, arriving, lists the same doors and shows that very unlock's answer, without
    /// a second one.
    async fn a_door_painted_before_the_app_opens_at_once(engine) {
        let browser = EngineBrowser::start(engine, json!({})).await;
        let app = browser.site().hold(&e2e::app_wasm_path(browser.site_dir()));
        // Navigated to by the page itself: a driver's own navigation would wait for the load event,
        // which the held wasm (preloaded) holds back.
        browser.goto("about:blank").await;
        let url = format!("{}#demo", browser.site().url());
        browser.eval(&format!("(location.href = {}, true)", e2e::js_string(&url))).await;
        browser.wait_across_navigations("document.querySelectorAll('#skeleton[data-painted] li[data-door-id]').length === 12").await;
        let painted = browser.eval(&listed_doors("#skeleton")).await;
        assert_eq!(browser.eval("document.title").await, "Your doors", "{engine}");
        assert_accessible(engine, "the painted list", browser.axe_violations().await);

        browser.tap("#skeleton [data-door-id='101'] button").await;
        assert!(
            browser.kisi().wait_for_calls("POST", "/locks/101/unlock", 1, e2e::WAIT_LIMIT).await,
            "{engine}: the painted door sent its unlock"
        );
        browser.wait_for("document.querySelector('#skeleton [data-door-id=\"101\"]')?.dataset.state === 'unlocked'").await;
        assert_eq!(browser.eval(&status_of(101)).await, "Unlocked — open the door now", "{engine}");
        assert_eq!(browser.eval("document.querySelectorAll('.page:not(#skeleton)').length").await, 0, "{engine}: no app yet");

        // A search typed before the app came is the app's search.
        browser.eval("(document.querySelector('#skeleton #door-search').value = 'Main entrance', true)").await;

        app.release();
        browser.wait_for(&format!("!document.getElementById('skeleton') && {}", door_in_state(101, "unlocked"))).await;
        assert_eq!(browser.eval(&status_of(101)).await, "Unlocked — open the door now", "{engine}");
        assert_eq!(browser.eval("document.querySelector('#door-search').value").await, "Main entrance", "{engine}");
        let visible = "[...document.querySelectorAll('li.door[data-door-id]')].filter((door) => !door.closest('[hidden]'))";
        browser.wait_for(&format!("{visible}.length === 1 && {visible}[0].dataset.doorId === '101'")).await;
        let clear = "(box) => ((box.value = ''), box.dispatchEvent(new Event('input', { bubbles: true })), true)";
        browser.eval(&format!("({clear})(document.querySelector('#door-search'))")).await;
        browser.wait_for(&format!("{visible}.length === 12")).await;
        assert_eq!(browser.eval(&listed_doors("[data-screen=doors]")).await, painted, "{engine}: the app lists what was painted");
        let unlocks = browser.api_calls("POST", "/locks/101/unlock");
        assert_eq!(unlocks.len(), 1, "{engine}: the app took that unlock over");
        assert_eq!(unlocks[0].header("authorization"), Some("KISI-GROUP-LINK demo"), "{engine}");
        assert_eq!(browser.api_calls("GET", "/locks").len(), 1, "{engine}: one door list");
        // The next tap is the app's own.
        browser.wait_for(&door_in_state(101, "ready")).await;
        browser.tap("[data-door-id='101'] button").await;
        browser.wait_for(&door_in_state(101, "unlocked")).await;
        assert_eq!(browser.api_calls("POST", "/locks/101/unlock").len(), 2, "{engine}");
        browser.finish().await;
    }
}

in_every_engine! {
    /// Every screen of README's failure table that a sandbox scenario makes, with its way forward.
    async fn every_failure_ends_in_a_message_and_a_way_forward(engine) {
        // A short time limit, so the time-out paths take seconds.
        let browser = EngineBrowser::start(engine, json!({ "request_timeout_ms": 1000 })).await;
        for (secret, name, title) in [
            ("invalid-link", "link_invalid", "This access link doesn't work"),
            ("expired-link", "link_expired", "This access link has expired"),
            ("future-link", "link_not_yet_valid", "This access link isn't active yet"),
            ("hang", "timeout", "Kisi didn't answer"),
            ("cut-off", "unreachable", "Kisi can't be reached from this network"),
            ("garbage", "bad_response", "Something went wrong"),
            ("captive-redirect", "captive_portal", "This network wants you to sign in"),
            ("captive-page", "captive_portal", "This network wants you to sign in"),
        ] {
            browser.open(secret).await;
            assert_eq!(browser.wait_for(&problem(name)).await, title, "{engine}: {secret}");
        }
        // The secret is never handed on by a redirect: nothing reached the sign-in page.
        let portal = browser.kisi().requests().into_iter().filter(|r| r.path_only().starts_with("/portal/"));
        assert_eq!(portal.filter(|r| r.header("authorization").is_some()).count(), 0, "{engine}");
        // The last one offers a retry, which asks again.
        let reads = browser.api_calls("GET", "/locks").len();
        browser.tap("button.retry").await;
        assert!(
            browser.kisi().wait_for_calls("GET", "/locks", reads + 1, e2e::WAIT_LIMIT).await,
            "{engine}: Try again asks Kisi again"
        );
        assert_accessible(engine, "a problem screen", browser.axe_violations().await);

        // Waited out by itself: a rate limit, an outage.
        for secret in ["rate-limited", "flaky"] {
            browser.open(secret).await;
            browser.wait_for(&doors_shown(12)).await;
        }
        browser.open("no-doors").await;
        browser.wait_for("document.querySelector('[data-screen=empty]')").await;

        // Unlock failures stay on their door.
        browser.open("unlock-failures").await;
        browser.wait_for(&doors_shown(6)).await;
        browser.tap("[data-door-id='501'] button").await;
        browser.wait_for(&door_in_state(501, "unlocked")).await;
        browser.tap("[data-door-id='505'] button").await;
        browser.wait_for(&door_in_state(505, "failed")).await;
        assert_eq!(browser.eval(&status_of(505)).await, "Kisi is unavailable", "{engine}");
        browser.tap("[data-door-id='502'] button").await;
        browser.wait_for(&door_in_state(502, "failed")).await;
        assert_eq!(browser.door_state(501).await, "unlocked", "{engine}: the other doors are untouched");

        // An unlock without an answer: "Still trying…", then it says the door may have opened.
        browser.open("unlock-hangs").await;
        browser.wait_for(&doors_shown(12)).await;
        browser.tap("[data-door-id='101'] button").await;
        // With a 1 s time limit the unlock gives up before "Still trying…" would show (4 s).
        browser.wait_for(&format!("{} === 'No answer from the door'", status_of(101))).await;
        assert_eq!(browser.api_calls("POST", "/locks/101/unlock").len(), 1, "{engine}: never sent again");

        // An unlock redirected to a sign-in page: the portal is named, and the POST (with the
        // secret) is not re-sent there.
        browser.open("unlock-redirect").await;
        browser.wait_for(&doors_shown(12)).await;
        browser.tap("[data-door-id='101'] button").await;
        browser.wait_for(&door_in_state(101, "failed")).await;
        assert_eq!(browser.eval(&status_of(101)).await, "This network wants you to sign in", "{engine}");
        let followed: Vec<String> =
            browser.kisi().requests().into_iter().filter(|r| r.path_only().starts_with("/portal/")).map(|r| r.method).collect();
        assert_eq!(followed, Vec::<String>::new(), "{engine}: no redirect was followed");

        // Hostile names are text.
        browser.open("hostile").await;
        browser.wait_for("document.querySelector('li.door[data-door-id]')").await;
        assert_eq!(browser.eval("document.querySelectorAll('li.door script, li.door img, li.door b').length").await, 0);
        browser.finish().await;
    }
}

in_every_engine! {
    /// A `config.json` that is not JSON (one trailing comma, the operator's likeliest slip) is never
    /// a network message: the visitor is told this page's settings cannot be read, with no retry
    /// that cannot help, and nothing goes to any API — not the one it named, not Kisi's default. On
    /// a first visit and on a repeat visit that started from the copy this device kept.
    async fn a_broken_configuration_is_said_plainly_and_sends_nothing(engine) {
        let browser = EngineBrowser::start(engine, json!({})).await;
        browser.open("demo").await;
        browser.wait_for(&doors_shown(12)).await;
        // The organization's name and logo come last: every request of this visit has been answered.
        browser.wait_for("document.body.innerText.includes('Acme Works')").await;
        assert!(browser.image_loaded(".brand-logo").await > 0, "{engine}: the organization's logo");
        let before = browser.kisi().requests().len();

        let config = browser.site_dir().join("config.json");
        let text = std::fs::read_to_string(&config).expect("the site's config.json");
        let broken = format!("{},\n}}\n", text.trim_end().strip_suffix('}').expect("an object").trim_end());
        std::fs::write(&config, broken).expect("break config.json");
        let title = translated("en", "problem.site_settings.title");
        // The repeat visit starts from the kept copy; the site's broken answer takes it away.
        browser.open("demo").await;
        assert_eq!(browser.wait_across_navigations(&problem("site_settings")).await, title, "{engine}: repeat visit");
        assert_eq!(browser.eval("document.querySelector('.problem .retry') === null").await, true, "{engine}");
        // And a visit with nothing kept.
        browser.eval("localStorage.clear(), sessionStorage.clear(), true").await;
        browser.open("demo").await;
        assert_eq!(browser.wait_for(&problem("site_settings")).await, title, "{engine}: first visit");
        browser.settled().await;
        let sent: Vec<String> = browser.kisi().requests()[before..]
            .iter()
            .map(|r| format!("{} {} (authorization: {:?})", r.method, r.path, r.header("authorization")))
            .collect();
        assert!(sent.is_empty(), "{engine}: nothing sent with a broken config.json, yet {sent:#?}");
        browser.finish().await;
    }
}

in_every_engine! {
    /// Hold to unlock: a full hold unlocks, a short press does nothing.
    async fn the_hold_gesture(engine) {
        let browser = EngineBrowser::start(engine, json!({ "unlock_gesture": "hold" })).await;
        browser.open("demo").await;
        // The app's list: a door the head start painted takes no hold (the gesture is the app's).
        browser.wait_for(&format!("!document.getElementById('skeleton') && {}", doors_shown(12))).await;
        assert_eq!(browser.eval(&status_of(102)).await, "Press and hold to unlock", "{engine}");
        browser.press_and_hold("[data-door-id='102'] button", Duration::from_millis(100)).await;
        browser.settled().await;
        assert_eq!(browser.door_state(102).await, "ready", "{engine}: a short press is no unlock");

        browser.press_and_hold("[data-door-id='101'] button", Duration::from_millis(1500)).await;
        browser.wait_for(&door_in_state(101, "unlocked")).await;
        assert_eq!(browser.api_calls("POST", "/locks/101/unlock").len(), 1, "{engine}");
        assert_eq!(browser.api_calls("POST", "/locks/102/unlock").len(), 0, "{engine}");
        browser.finish().await;
    }
}

in_every_engine! {
    /// The worker brings the next visit from the device; with the site and the sandbox gone, the
    /// page still opens with the doors this device saw last, and a tap sends nothing.
    async fn the_repeat_visit_and_an_offline_start_from_the_worker(engine) {
        let mut browser = EngineBrowser::start(engine, json!({ "request_timeout_ms": 2000 })).await;
        browser.open("demo").await;
        browser.wait_for(&doors_shown(12)).await;
        browser
            .eval(
                "navigator.serviceWorker.ready.then((registration) => { const worker = registration.active; \
                   return worker.state === 'activated' || new Promise((r) => worker.addEventListener('statechange', \
                     () => worker.state === 'activated' && r(true))); })",
            )
            .await;

        let before = browser.site().requests().len();
        browser.open("demo").await;
        browser.wait_for(&doors_shown(12)).await;
        assert_eq!(browser.eval("navigator.serviceWorker.controller !== null").await, true, "{engine}");
        let shell: Vec<String> = browser.site().requests()[before..]
            .iter()
            .map(|r| r.path_only().to_owned())
            .filter(|p| p == "/" || p.starts_with("/portier-"))
            .collect();
        assert_eq!(shell, Vec::<String>::new(), "{engine}: no round trip for the page or the app");

        // Offline for real where the driver can switch the network off: the page opens from the
        // device, says so, and a tap says it needs a connection and sends nothing.
        if browser.set_offline(true).await {
            let posts = browser.api_calls("POST", "/locks/101/unlock").len();
            browser.open("demo").await;
            browser.wait_for(&doors_shown(12)).await;
            browser.wait_for("document.querySelector('p.offline')").await;
            browser.wait_for(&door_in_state(101, "no-connection")).await;
            browser.tap("[data-door-id='101'] button").await;
            browser.wait_for(&door_in_state(101, "failed")).await;
            let said = browser.eval(&text_of("[data-door-id='101']")).await;
            assert!(said.as_str().unwrap_or_default().contains("Opening a door needs a connection"), "{engine}: {said}");
            assert_eq!(browser.api_calls("POST", "/locks/101/unlock").len(), posts, "{engine}: nothing sent offline");
            browser.set_offline(false).await;
        }
        // The host and Kisi gone (WebDriver cannot take WebKit offline): what arrives at Kisi's
        // address is read.
        let kisi = browser.kisi().url();
        // The last page's own requests (it was online, its configuration confirmed) end before it
        // does: its organization's answer is in (else WebKit's network layer may send that request
        // again, to whatever listens there now).
        browser.wait_for("performance.getEntriesByType('resource').some((entry) => entry.name.endsWith('/organization'))").await;
        browser.goto("about:blank").await;
        browser.stop_servers();
        let knocks = e2e::engine::listen_in_place_of(&kisi).await;
        browser.open("demo").await;
        browser.wait_for(&doors_shown(12)).await;
        browser.tap("[data-door-id='101'] button").await;
        browser.wait_for(&door_in_state(101, "failed")).await;
        // WebKit asks again for the organization's logo (an image, no secret); nothing with the
        // secret arrives: the site never confirmed its configuration, so the gate stays shut.
        let knocked = knocks.requests();
        assert!(
            knocked.iter().all(|r| !r.authorization && !r.line.starts_with("POST")),
            "{engine}: nothing with the secret reached Kisi's address: {knocked:?}"
        );
        browser.finish().await;
    }
}

in_every_engine! {
    /// The visitor's language, right to left for Arabic.
    async fn languages_and_right_to_left(engine) {
        let browser = EngineBrowser::start(engine, json!({})).await;
        for (lang, dir) in [("de", "ltr"), ("ar", "rtl")] {
            browser.open(&format!("secret=demo&lang={lang}")).await;
            browser.wait_for(&doors_shown(12)).await;
            let expected = translated(lang, "door.tap");
            browser.wait_for(&format!("{} === {}", status_of(101), e2e::js_string(&expected))).await;
            let html = browser.eval("[document.documentElement.lang, document.documentElement.dir || 'ltr']").await;
            assert_eq!(html, json!([lang, dir]), "{engine}");
            assert_accessible(engine, lang, browser.axe_violations().await);
        }
        browser.finish().await;
    }
}

in_every_engine! {
    /// The dark scheme (fixed by the operator, as WebDriver cannot emulate the visitor's choice):
    /// the door list, an unlocked door and a problem screen pass axe-core.
    async fn the_dark_scheme_is_accessible(engine) {
        let browser = EngineBrowser::start(engine, json!({ "theme": { "mode": "dark" } })).await;
        browser.open("demo").await;
        browser.wait_for(&doors_shown(12)).await;
        browser.wait_for("getComputedStyle(document.documentElement).colorScheme.includes('dark')").await;
        assert_accessible(engine, "dark door list", browser.axe_violations().await);
        browser.tap("[data-door-id='101'] button").await;
        browser.wait_for(&door_in_state(101, "unlocked")).await;
        assert_accessible(engine, "dark unlocked", browser.axe_violations().await);
        browser.open("expired-link").await;
        browser.wait_for(&problem("link_expired")).await;
        assert_accessible(engine, "dark problem", browser.axe_violations().await);
        browser.finish().await;
    }
}

in_every_engine! {
    /// A browser call that throws mid-unlock (here `Response.redirected`, made to throw once the
    /// doors are shown) ends in the crash screen, which says the door may have opened — never a
    /// page frozen on "Unlocking…", as before the net of #25.
    async fn an_exception_mid_unlock_ends_in_the_crash_screen(engine) {
        let browser = EngineBrowser::start(engine, json!({})).await;
        browser.open("demo").await;
        browser.wait_for(&doors_shown(12)).await;
        // Every request of the start answered and read first (the organization's name is the last
        // to show), so only the unlock meets the planted getter.
        browser.wait_for("document.body.innerText.includes('Acme Works')").await;
        // The browser's own getter of another interface: it throws a TypeError from native code, as
        // a broken or missing API would (an exception thrown by a script the driver injected would
        // reach the page as a muted "Script error." in Chromium, which is no crash of the page's).
        browser
            .eval(
                "(Object.defineProperty(Response.prototype, 'redirected', \
                   { get: Object.getOwnPropertyDescriptor(Request.prototype, 'url').get }), true)",
            )
            .await;
        browser.tap("[data-door-id='101'] button").await;
        let said = browser.wait_for(&text_of("[data-screen=crashed] [data-crash=tapped]")).await;
        assert_eq!(said, "If you just tapped a door, it may have opened: check before you try again.", "{engine}");
        assert_eq!(browser.eval(&text_of("[data-screen=crashed] h1")).await, "Something went wrong");
        assert_eq!(browser.api_calls("POST", "/locks/101/unlock").len(), 1, "{engine}");
        browser.close().await;
    }
}
