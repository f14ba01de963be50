//! Deployments that share an origin (GitHub Pages serves each of a user's project sites at
//! `https://<user>.github.io/<project>/`): each keeps its own remembered link, configuration, door
//! lists, worker and caches (#26), and what a device kept before keys were scoped stays with the
//! deployment it belongs to. In headless Chromium, two copies of the release build at `/a/` and
//! `/b/` of one static site.

use e2e::{Harness, VisitorPage, doors_shown, js_string};
use serde_json::{Value, json};

/// What this origin's storage and workers hold, as JSON.
async fn kept(page: &VisitorPage) -> Value {
    page.eval(
        "(async () => ({ \
           local: Object.keys(localStorage).sort(), \
           workers: (await navigator.serviceWorker.getRegistrations()).map(r => new URL(r.scope).pathname).sort(), \
           caches: (await caches.keys()).map(name => name.split(':').slice(0, 2).join(':')).sort() \
         }))()",
    )
    .await
}

/// Requests to the API that carried `secret` since the `since`-th.
fn sent_with(harness: &Harness, since: usize, secret: &str) -> usize {
    let requests = harness.kisi.requests();
    requests[since..].iter().filter(|r| r.headers.iter().any(|(_, value)| value.contains(secret))).count()
}

const NO_LINK: &str = "document.querySelector('[data-screen=help] h1')?.textContent === 'Open your access link'";

#[tokio::test(flavor = "multi_thread")]
async fn two_deployments_on_one_origin_keep_nothing_of_each_other() {
    let harness = Harness::start().await;
    let a = harness.deploy_beside("a", json!({ "brand": { "name": "Site A" } }));
    // B switches its worker off: that must retire B's, never A's.
    let b = harness.deploy_beside("b", json!({ "brand": { "name": "Site B" }, "offline": false }));

    // A visitor of A remembers the link there, and A's worker takes charge of A.
    let first = harness.open_url(&format!("{a}#demo")).await;
    first.wait_for(&doors_shown(12)).await;
    first.tap(".remember input").await;
    first.wait_for("document.documentElement.dataset.worker === 'registered'").await;
    first.eval("navigator.serviceWorker.ready.then(() => true)").await;

    // B, opened bare: A's link is not B's to use, and nothing goes anywhere with it.
    let before = harness.kisi.requests().len();
    let other = harness.open_url(&b).await;
    other.wait_for(NO_LINK).await;
    other.wait_for("document.documentElement.dataset.worker === 'retired'").await;
    assert_eq!(sent_with(&harness, before, "demo"), 0, "A's secret went out from B");
    let both = kept(&other).await;
    assert_eq!(both["workers"], json!(["/a/"]), "B's kill switch left A's worker: {both}");
    assert!(both["caches"].as_array().unwrap().iter().all(|c| c == "portier-shell:/a/"), "{both}");
    assert!(both["local"].as_array().unwrap().iter().all(|k| !k.as_str().unwrap().starts_with("portier.")), "{both}");

    // A again, bare: its remembered link, from A's worker, without a reload for B's configuration.
    let again = harness.open_url(&a).await;
    again.wait_for(&doors_shown(12)).await;
    assert_eq!(again.eval("performance.getEntriesByType('navigation')[0].type").await, "navigate");
    assert_eq!(
        again.eval("document.querySelector('.brand')?.textContent ?? ''").await.as_str().map(|t| t.contains("Site A")),
        Some(true)
    );
    assert_ne!(again.eval("navigator.serviceWorker.controller").await, Value::Null, "A's worker still serves A");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn what_a_device_kept_before_keys_were_scoped_stays_with_its_own_deployment() {
    let harness = Harness::start().await;
    let a = harness.deploy_beside("a", json!({ "brand": { "name": "Site A" }, "offline": false }));
    let b = harness.deploy_beside("b", json!({ "brand": { "name": "Site B" }, "offline": false }));
    let served_a = std::fs::read_to_string(harness.site_dir().join("a/config.json")).unwrap();

    // What the release before scoped keys left on this device for A: the kept configuration and
    // the remembered link, under the origin's global keys.
    let device = harness.open_url(&format!("{}config.json", harness.site.url())).await;
    device
        .eval(&format!(
            "localStorage.setItem('portier.site.config.json', {}); localStorage.setItem('portier.remembered-secret', 'demo')",
            js_string(&served_a)
        ))
        .await;

    // B's configuration is not the one kept: B leaves them alone and has no link.
    let before = harness.kisi.requests().len();
    let other = harness.open_url(&b).await;
    other.wait_for(NO_LINK).await;
    assert_eq!(sent_with(&harness, before, "demo"), 0, "A's remembered secret went out from B");
    assert_eq!(other.eval("localStorage.getItem('portier.remembered-secret')").await, "demo");

    // A's is: A takes them over (the visitor keeps the remembered link) and the global keys go.
    let own = harness.open_url(&a).await;
    own.wait_for(&doors_shown(12)).await;
    assert_eq!(own.eval("localStorage.getItem('portier:/a/:remembered-secret')").await, "demo");
    assert_eq!(own.eval("localStorage.getItem('portier:/a/:site.config.json')").await, served_a.as_str());
    let left = kept(&own).await;
    assert!(left["local"].as_array().unwrap().iter().all(|k| !k.as_str().unwrap().starts_with("portier.")), "{left}");
    harness.finish().await;
}
