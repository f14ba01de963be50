//! The release bundle behind a real web server: unpacked as an operator would, configured through
//! its `config.json`, served by nginx with the shipped `hosting/nginx.conf` — then used in Chromium,
//! and its response headers checked on the wire.

use std::process::Command;

use e2e::nginx::Nginx;
use e2e::{Harness, bundle_path};
use sandbox::probe::{Answer, call};
use tempfile::TempDir;

/// Unpacks the bundle as an operator would and serves it with nginx (see [`Nginx::serve`]), its
/// config.json pointing at `api_base`.
async fn serve_bundle(api_base: &str, kisi_route: Option<&str>) -> Nginx {
    let dir = TempDir::new().unwrap();
    let status = Command::new("tar").arg("-xzf").arg(bundle_path()).arg("-C").arg(dir.path()).status().unwrap();
    assert!(status.success(), "unpack the bundle");
    let root =
        std::fs::read_dir(dir.path()).unwrap().filter_map(Result::ok).map(|e| e.path()).find(|p| p.is_dir()).unwrap();
    Nginx::serve(&root, &format!("{{\"api_base\": \"{api_base}\"}}"), kisi_route).await
}

async fn get(nginx: &Nginx, path: &str, encodings: &str) -> Answer {
    call(&nginx.url, "GET", path, &[("Accept-Encoding", encodings)], "").await.expect("nginx answers")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bundle_works_behind_nginx_with_the_shipped_configuration() {
    let harness = Harness::start().await;
    let nginx = serve_bundle(&harness.kisi.url(), None).await;

    let page = harness.open_url(&format!("{}/#demo", nginx.url)).await;
    page.wait_for("document.querySelectorAll('li.door[data-door-id]').length === 12").await;
    page.tap("[data-door-id='101'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"101\"]').dataset.state === 'unlocked'").await;
    assert_eq!(harness.api_calls("POST", "/locks/101/unlock").len(), 1);
    // Kisi on another origin: every request with an Authorization header is preflighted.
    assert!(
        !harness.api_calls("OPTIONS", "/locks/101/unlock").is_empty(),
        "the control: a cross-origin tap is preflighted"
    );

    // Under the shipped headers (the policy applies to the worker too) the worker installs, and the
    // next visit starts from the device.
    page.eval("navigator.serviceWorker.ready.then(() => true)").await;
    let again = harness.open_url(&format!("{}/#demo", nginx.url)).await;
    again.wait_for("document.querySelectorAll('li.door[data-door-id]').length === 12").await;
    assert_eq!(again.eval("navigator.serviceWorker.controller !== null").await, true, "served by the worker");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn kisi_through_the_sites_own_route_needs_no_preflight_and_logs_no_secret() {
    let harness = Harness::start().await;
    let nginx = serve_bundle("/kisi", Some(&harness.kisi.url())).await;

    let page = harness.open_url(&format!("{}/#demo", nginx.url)).await;
    page.wait_for("document.querySelectorAll('li.door[data-door-id]').length === 12").await;
    page.tap("[data-door-id='101'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"101\"]').dataset.state === 'unlocked'").await;
    assert_eq!(harness.api_calls("POST", "/locks/101/unlock").len(), 1, "the tap reached Kisi through the site");
    let sent = harness.kisi.requests();
    assert!(sent.iter().all(|r| r.method != "OPTIONS"), "same origin: no preflight: {sent:?}");
    assert!(
        // The organization's logo is an image Kisi links to, fetched as any image is.
        sent.iter()
            .filter(|r| !r.path.starts_with("/assets/"))
            .all(|r| r.header("authorization") == Some("KISI-GROUP-LINK demo")),
        "the secret arrives in the header, as before: {:?}",
        sent.iter().map(|r| (&r.method, &r.path, r.header("authorization"))).collect::<Vec<_>>()
    );
    // The page allows connections to its own origin only.
    let policies = page
        .eval("[...document.querySelectorAll('meta[http-equiv=Content-Security-Policy]')].map(m => m.content)")
        .await;
    assert!(policies.as_array().unwrap().iter().any(|p| p == "connect-src 'self'"), "{policies}");
    // The route passes the page's three requests and nothing else of Kisi's API; its answers are
    // stored nowhere.
    let auth = [("authorization", "KISI-GROUP-LINK demo")];
    let locks = sandbox::probe::call(&nginx.url, "GET", "/kisi/locks?limit=250&offset=0", &auth, "").await.unwrap();
    assert_eq!((locks.status, locks.header("cache-control")), (200, Some("no-store")));
    let before = harness.kisi.requests().len();
    for (method, path, refused) in [
        ("GET", "/kisi/group_links", 404),
        ("POST", "/kisi/group_links", 404),
        ("DELETE", "/kisi/locks/101", 404),
        ("GET", "/kisi/locks/101/unlock", 403),
        ("DELETE", "/kisi/organization", 403),
    ] {
        let answer = sandbox::probe::call(&nginx.url, method, path, &auth, "").await.unwrap();
        assert_eq!(answer.status, refused, "{method} {path}");
    }
    assert_eq!(harness.kisi.requests().len(), before, "nothing else reached Kisi");
    // One address cannot spend the server's share of Kisi's rate limit: past a burst of 40 at
    // 10 a second, nginx answers 429 itself (60 requests, as fast as they go: bounded).
    let mut limited = 0;
    for _ in 0..60 {
        let answer = sandbox::probe::call(&nginx.url, "GET", "/kisi/organization", &auth, "").await.unwrap();
        limited += usize::from(answer.status == 429);
    }
    let reached = harness.kisi.requests().len() - before;
    assert!(limited > 0 && reached + limited == 60, "{limited} limited, {reached} reached Kisi");
    // Nothing of the visitor's requests to Kisi is in the site's logs.
    let access = std::fs::read_to_string(nginx.logs.join("access.log")).unwrap_or_default();
    assert!(access.contains("GET / ") && !access.contains("/kisi/"), "{access}");
    assert!(!access.contains("KISI-GROUP-LINK"), "{access}");
    // Stopped, nginx leaves nothing behind: not its master, not a worker.
    let group = nginx.process_group();
    assert!(!e2e::processes::running_in_group(group).is_empty(), "nginx runs in its own group");
    drop(nginx);
    let survivors = e2e::processes::survivors_of(group, e2e::WAIT_LIMIT);
    assert_eq!(survivors, Vec::<u32>::new(), "nginx's processes survived it");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn nginx_sends_the_headers_the_operator_guide_promises() {
    let harness_free_api = "https://api.kisi.io";
    let nginx = serve_bundle(harness_free_api, None).await;
    let wasm = std::fs::read_dir(&nginx.site)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".wasm"))
        .unwrap();

    let index = get(&nginx, "/", "br, gzip").await;
    assert_eq!(index.status, 200);
    assert_eq!(index.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(index.header("content-encoding"), Some("br"));
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    let csp = index.header("content-security-policy").unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'sha256-") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert_eq!(index.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(index.header("x-content-type-options"), Some("nosniff"));
    assert!(index.header("permissions-policy").unwrap().contains("geolocation=()"));
    assert_eq!(index.header("server"), Some("nginx"), "no version on display");

    // The header policy is the page's own policy plus frame-ancestors.
    let plain = get(&nginx, "/index.html", "identity").await;
    assert_eq!(plain.header("content-encoding"), None);
    let html = plain.text();
    let meta =
        html.split("http-equiv=\"Content-Security-Policy\" content=\"").nth(1).unwrap().split('"').next().unwrap();
    assert_eq!(csp, format!("{meta}; frame-ancestors 'none'"));

    let app = get(&nginx, &format!("/{wasm}"), "br").await;
    assert_eq!(app.header("content-type"), Some("application/wasm"));
    assert_eq!(app.header("content-encoding"), Some("br"));
    assert_eq!(app.header("cache-control"), Some("public, max-age=31536000, immutable"));
    // Trunk's hashes are hex without leading zeros, so their length varies: every app file is immutable.
    for name in std::fs::read_dir(&nginx.site)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
    {
        if name.starts_with("portier-") && [".js", ".css", ".wasm"].iter().any(|ext| name.ends_with(ext)) {
            let file = get(&nginx, &format!("/{name}"), "identity").await;
            assert_eq!(file.header("cache-control"), Some("public, max-age=31536000, immutable"), "{name}");
        }
    }
    let gzipped = get(&nginx, &format!("/{wasm}"), "gzip").await;
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
    assert!(gzipped.body.len() < app.body.len() * 2);

    let config = get(&nginx, "/config.json", "br, gzip").await;
    assert_eq!((config.status, config.header("cache-control")), (200, Some("no-cache")));
    assert_eq!(config.header("content-encoding"), None, "config.json is never served from a stale precompressed copy");

    // A cached worker would hold visitors on an old release; an edited manifest must show at once.
    let worker = get(&nginx, "/sw.js", "br, gzip").await;
    assert_eq!((worker.status, worker.header("cache-control")), (200, Some("no-cache")));
    assert_eq!(worker.header("content-type"), Some("application/javascript; charset=utf-8"));
    let manifest = get(&nginx, "/manifest.webmanifest", "br, gzip").await;
    assert_eq!((manifest.status, manifest.header("cache-control")), (200, Some("no-cache")));
    assert_eq!(manifest.header("content-type"), Some("application/manifest+json"));
    assert_eq!(manifest.header("content-encoding"), None, "the operator's to edit: never a stale precompressed copy");
    let icon = get(&nginx, "/icons/maskable-512.png", "br").await;
    assert_eq!((icon.status, icon.header("content-type")), (200, Some("image/png")));

    for path in ["/nothing-here", "/hosting/", "/site/", "/.git/config", "/portier-0000000000000000.js"] {
        let missing = get(&nginx, path, "br").await;
        assert_eq!(missing.status, 404, "{path}");
        assert!(!missing.text().contains("Index of"), "{path} lists a directory");
    }
}
