//! The sandbox over real HTTP: paging header, error bodies, CORS and recording.

use sandbox::probe::Answer;
use sandbox::{KisiSandbox, SandboxOptions};

async fn call(base: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    sandbox::probe::call(base, method, path, headers, body).await.expect("the sandbox answers")
}

trait Text {
    fn head(&self) -> String;
    fn body_text(&self) -> String;
}

impl Text for Answer {
    /// The headers as one lower-case block, for `contains` checks.
    fn head(&self) -> String {
        self.headers.iter().map(|(n, v)| format!("{n}: {}\n", v.to_ascii_lowercase())).collect()
    }
    fn body_text(&self) -> String {
        self.text()
    }
}

const AUTH_DEMO: (&str, &str) = ("Authorization", "KISI-GROUP-LINK demo");

#[tokio::test]
async fn pages_with_the_collection_range_header() {
    let kisi = KisiSandbox::start(SandboxOptions::default()).await.unwrap();
    let auth = ("Authorization", "KISI-GROUP-LINK many-doors");
    let first = call(&kisi.url(), "GET", "/locks?limit=250&offset=0", &[auth], "").await;
    assert_eq!(first.status, 200);
    assert!(first.head().contains("x-collection-range: 0-249/640"), "{}", first.head());
    let items: Vec<serde_json::Value> = serde_json::from_str(&first.body_text()).unwrap();
    assert_eq!(items.len(), 250);
    let last = call(&kisi.url(), "GET", "/locks?limit=250&offset=500", &[auth], "").await;
    assert!(last.head().contains("x-collection-range: 500-749/640"), "{}", last.head());
    assert_eq!(serde_json::from_str::<Vec<serde_json::Value>>(&last.body_text()).unwrap().len(), 140);
    let default_limit = call(&kisi.url(), "GET", "/locks", &[auth], "").await;
    assert_eq!(serde_json::from_str::<Vec<serde_json::Value>>(&default_limit.body_text()).unwrap().len(), 50);
}

#[tokio::test]
async fn empty_collections_say_star_slash_zero() {
    let kisi = KisiSandbox::start(SandboxOptions::default()).await.unwrap();
    let answer =
        call(&kisi.url(), "GET", "/locks?limit=250&offset=0", &[("Authorization", "KISI-GROUP-LINK no-doors")], "")
            .await;
    assert_eq!((answer.status, answer.body_text().as_str()), (200, "[]"));
    assert!(answer.head().contains("x-collection-range: */0"), "{}", answer.head());
}

#[tokio::test]
async fn link_errors_use_kisis_error_body() {
    let kisi = KisiSandbox::start(SandboxOptions::default()).await.unwrap();
    for (auth, status, code) in [
        ("KISI-GROUP-LINK expired-link", 403, "f35ade"),
        ("KISI-GROUP-LINK future-link", 403, "f358de"),
        ("KISI-GROUP-LINK nonsense", 401, "f29aef"),
        ("Bearer demo", 401, "f29aef"),
    ] {
        let answer = call(&kisi.url(), "GET", "/locks", &[("Authorization", auth)], "").await;
        let body: serde_json::Value = serde_json::from_str(&answer.body_text()).unwrap();
        assert_eq!((answer.status, body["code"].as_str()), (status, Some(code)), "{auth}");
        assert!(body["error"].is_string());
    }
}

#[tokio::test]
async fn unlock_answers_per_door() {
    let kisi = KisiSandbox::start(SandboxOptions::default()).await.unwrap();
    let json = [AUTH_DEMO, ("Content-Type", "application/json")];
    let ok = call(&kisi.url(), "POST", "/locks/101/unlock", &json, "{}").await;
    assert_eq!((ok.status, ok.body_text().as_str()), (200, r#"{"message":"Unlocked!"}"#));
    let docs_example = r#"{"context":{"location":{"latitude":0,"longitude":0}},"lock":{"proximity_proof":null}}"#;
    assert_eq!(call(&kisi.url(), "POST", "/locks/101/unlock", &json, docs_example).await.status, 200);
    assert_eq!(call(&kisi.url(), "POST", "/locks/101/unlock", &[AUTH_DEMO], "").await.status, 200, "no body");
    assert_eq!(call(&kisi.url(), "POST", "/locks/101/unlock", &json, "[1]").await.status, 422);
    for (id, status, code) in [(105, 503, "fac001"), (201, 403, "fad001"), (106, 409, "fad105"), (999, 404, "fad10e")] {
        let answer = call(&kisi.url(), "POST", &format!("/locks/{id}/unlock"), &json, "{}").await;
        let body: serde_json::Value = serde_json::from_str(&answer.body_text()).unwrap();
        assert_eq!((answer.status, body["code"].as_str()), (status, Some(code)), "door {id}");
    }
}

#[tokio::test]
async fn rate_limited_answers_429_once() {
    let kisi = KisiSandbox::start(SandboxOptions::default()).await.unwrap();
    let auth = [("Authorization", "KISI-GROUP-LINK rate-limited")];
    let first = call(&kisi.url(), "GET", "/locks", &auth, "").await;
    assert_eq!(first.status, 429);
    assert!(first.head().contains("retry-after: 1"));
    assert_eq!(call(&kisi.url(), "GET", "/locks", &auth, "").await.status, 200);
}

#[tokio::test]
async fn preflights_allow_the_page_and_expose_the_paging_header() {
    let kisi = KisiSandbox::start(SandboxOptions::default()).await.unwrap();
    let preflight = call(
        &kisi.url(),
        "OPTIONS",
        "/locks",
        &[
            ("Origin", "http://127.0.0.1:1"),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "authorization"),
        ],
        "",
    )
    .await;
    assert_eq!(preflight.status, 200);
    assert!(preflight.head().contains("access-control-allow-origin: *"), "{}", preflight.head());
    assert!(preflight.head().contains("authorization"), "{}", preflight.head());
    let get = call(&kisi.url(), "GET", "/locks", &[AUTH_DEMO, ("Origin", "http://127.0.0.1:1")], "").await;
    assert!(get.head().contains("access-control-expose-headers: x-collection-range"), "{}", get.head());
}

#[tokio::test]
async fn records_every_request() {
    let kisi = KisiSandbox::start(SandboxOptions::default()).await.unwrap();
    call(&kisi.url(), "POST", "/locks/101/unlock", &[AUTH_DEMO], "{}").await;
    call(&kisi.url(), "GET", "/organization", &[AUTH_DEMO], "").await;
    let requests = kisi.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str(), requests[0].body.as_str()),
        ("POST", "/locks/101/unlock", "{}")
    );
    assert_eq!(requests[0].header("authorization"), Some("KISI-GROUP-LINK demo"));
    assert_eq!(requests[1].path_only(), "/organization");
}
