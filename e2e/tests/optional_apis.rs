//! The spine — doors from the link, a tap, "Unlocked" — with each optional browser API removed
//! before the page starts, as an engine without it would be (`docs/browsers.md` lists them and
//! what the page does without each). Chromium only: removing an API before any script of the page
//! runs needs CDP's `Page.addScriptToEvaluateOnNewDocument`; the engine tests show the same spine
//! in WebKit and Firefox, where several of these are missing for real.

use e2e::{Harness, door_in_state, doors_shown};

/// Each optional API, and the script that removes it (an event that never fires counts as removed).
const REMOVED: &[(&str, &str)] = &[
    ("navigator.vibrate", "delete Navigator.prototype.vibrate;"),
    ("scheduler.yield", "delete window.scheduler;"),
    ("requestIdleCallback", "delete window.requestIdleCallback; delete window.cancelIdleCallback;"),
    (
        "beforeinstallprompt (never fires)",
        "const add = EventTarget.prototype.addEventListener; \
         EventTarget.prototype.addEventListener = function (type, ...rest) { \
           if (type !== 'beforeinstallprompt') return add.call(this, type, ...rest); };",
    ),
    ("navigator.serviceWorker", "delete Navigator.prototype.serviceWorker;"),
    ("Cache Storage", "delete window.caches;"),
    ("crypto.subtle", "Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined });"),
    (
        "localStorage (storage switched off)",
        "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });",
    ),
];

#[tokio::test(flavor = "multi_thread")]
async fn the_spine_holds_without_each_optional_api() {
    let harness = Harness::start().await;
    for (index, (api, removal)) in REMOVED.iter().enumerate() {
        let page = harness.blank_tab().await;
        page.page.evaluate_on_new_document(*removal).await.expect("remove the API before the page runs");
        // A secret of its own per page: no door list kept by an earlier page helps.
        let secret = format!("demo-without-{index}");
        page.goto(&format!("{}#{secret}", harness.site.url())).await;
        page.wait_for(&doors_shown(12)).await;
        page.tap("[data-door-id='101'] button").await;
        page.wait_for(&door_in_state(101, "unlocked")).await;
        let unlocks =
            harness.kisi.requests().into_iter().filter(|r| {
                r.method == "POST" && r.header("authorization") == Some(&format!("KISI-GROUP-LINK {secret}"))
            });
        assert_eq!(unlocks.count(), 1, "without {api}: exactly one unlock");
        assert_eq!(page.failures(), Vec::<String>::new(), "without {api}: nothing threw");
    }
    harness.finish().await;
}

/// Without WebAssembly (an iPhone's Lockdown Mode switches it off) or with a browser older than the
/// minimum (no `AbortSignal.timeout`), the skeleton says why instead of loading forever, and
/// nothing is sent.
#[tokio::test(flavor = "multi_thread")]
async fn a_browser_that_cannot_run_the_app_is_told_so() {
    let harness = Harness::start().await;
    for (removal, loader_fails) in [("delete window.WebAssembly;", true), ("delete AbortSignal.timeout;", false)] {
        let page = harness.blank_tab().await;
        let script = format!("{removal} addEventListener('TrunkApplicationStarted', () => window.__started = true);");
        page.page.evaluate_on_new_document(script).await.expect("remove the API before the page runs");
        page.goto(&format!("{}#demo", harness.site.url())).await;
        let said =
            page.wait_for("document.querySelector('[data-screen=unsupported] [role=status]')?.textContent").await;
        assert!(
            said.as_str().is_some_and(|s| s.starts_with("This browser can't open doors with this page")),
            "{removal}: {said}"
        );
        assert_eq!(page.eval("document.querySelector('[aria-busy]')").await, serde_json::Value::Null, "{removal}");
        if !loader_fails {
            // The app runs, sees the same gap, and leaves the message alone: no crash screen.
            // Trunk's loader says so once `main` has run; the app's first task (where it checks)
            // ran in the microtask before that.
            page.eval(
                "window.__started || new Promise((r) => addEventListener('TrunkApplicationStarted', () => r(true)))",
            )
            .await;
            assert_eq!(page.eval("document.querySelector('[data-screen=crashed]')").await, serde_json::Value::Null);
            assert_eq!(page.failures(), Vec::<String>::new(), "{removal}");
        }
    }
    assert!(harness.kisi.requests().is_empty(), "nothing reached Kisi: {:?}", harness.kisi.requests());
    // Without WebAssembly, Trunk's loader throws (it is not the app's to catch): expected here.
    let _ = harness.close().await;
}
