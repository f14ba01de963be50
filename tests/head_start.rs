//! The head start in `index.html` and the app agree: the real script, as the build writes it, runs
//! in node over the fragment corpus and a list of hostile cases, and whenever it sends a request,
//! the app would have sent the byte-identical request to the same API; otherwise it sends nothing.
//! Whenever it fetches a translation, it is the language the app chooses.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Stdio};

use portier::boot::head_start;
use portier::domain::config::SiteConfig;
use portier::domain::config::read::read_config;
use portier::domain::config::urls::DEFAULT_API_BASE;
use portier::domain::fragment::Fragment;
use portier::domain::language;
use portier::domain::pace::SITE_FILE_WITHIN;
use portier::services::kisi::{authorization, locks_url};
use portier::services::storage::{KEY_PREFIX, REMEMBERED_SECRET, SCOPE_END, TAB_SECRET, deployment_scope};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

/// The built head start: `index.html`'s first inline script with the shared values written in, as
/// `cargo xtask build` writes them.
fn script() -> String {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html")).unwrap();
    let shared = serde_json::to_string(&head_start::shared()).unwrap();
    let html = head_start::render(&html, &shared).unwrap();
    let start = html.find("<script>").expect("an inline script") + "<script>".len();
    let end = start + html[start..].find("</script>").unwrap();
    html[start..end].to_owned()
}

/// How the site answers for its `config.json`.
#[derive(Clone, Debug)]
enum SiteFile {
    /// With this text.
    Text(String),
    /// Not at all (offline, out of time).
    Offline,
    /// With this HTTP status and no file.
    Refused(u16),
    /// With this text, after a redirect (the network in between).
    Redirected(String),
}

impl SiteFile {
    fn case(&self) -> Value {
        match self {
            SiteFile::Text(text) => json!({ "text": text }),
            SiteFile::Offline => Value::Null,
            SiteFile::Refused(status) => json!({ "status": status }),
            SiteFile::Redirected(text) => json!({ "text": text, "redirected": true }),
        }
    }
}

/// One visit: the address's fragment, the tab's and the device's storage, the site's answer for
/// `config.json`, the device's languages.
#[derive(Clone, Debug)]
struct Visit {
    /// The page's path (its folder is the deployment whose keys it reads).
    path: String,
    hash: String,
    tab: Option<String>,
    remembered: Option<String>,
    kept_config: Option<String>,
    config: SiteFile,
    languages: Vec<String>,
}

impl Visit {
    fn plain(hash: &str) -> Self {
        Visit {
            path: "/".into(),
            hash: hash.to_owned(),
            tab: None,
            remembered: None,
            kept_config: None,
            config: SiteFile::Text(r#"{"api_base": "https://api.kisi.io"}"#.into()),
            languages: vec!["en-US".into()],
        }
    }

    /// The storage key the app keeps `name` under for this page.
    fn key(&self, name: &str) -> String {
        format!("{KEY_PREFIX}{}{SCOPE_END}{name}", deployment_scope(&self.path))
    }

    fn case(&self) -> Value {
        let mut device = serde_json::Map::new();
        if let Some(kept) = &self.kept_config {
            device.insert(self.key("site.config.json"), kept.clone().into());
        }
        if let Some(secret) = &self.remembered {
            device.insert(self.key(REMEMBERED_SECRET), secret.clone().into());
        }
        // A neighbour's on the same origin, which this page must never read.
        device.insert(format!("{KEY_PREFIX}/neighbour/{SCOPE_END}{REMEMBERED_SECRET}"), "neighbours1234".into());
        let tab: serde_json::Map<String, Value> =
            self.tab.iter().map(|secret| (self.key(TAB_SECRET), Value::from(secret.clone()))).collect();
        json!({
            "path": self.path,
            "hash": self.hash,
            "tab": tab,
            "device": device,
            "config": self.config.case(),
            "languages": self.languages,
        })
    }
}

/// The configuration the app reads from `text` (parsed here by serde_json, in the page by the
/// browser; either way read with numbers as JavaScript holds them).
fn config(text: Option<&str>) -> SiteConfig {
    text.and_then(|text| serde_json::from_str::<Value>(text).ok())
        .map(|value| read_config(&value).0)
        .unwrap_or_default()
}

/// Runs the script over every visit in one node process.
fn run(visits: &[Visit]) -> Vec<Value> {
    let input = json!({ "script": script(), "cases": visits.iter().map(Visit::case).collect::<Vec<_>>() });
    let harness = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/run_head_start.js");
    let mut node = Command::new("node")
        .arg(harness)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs the head start (`cargo xtask setup` installs Node.js)");
    node.stdin.take().unwrap().write_all(input.to_string().as_bytes()).unwrap();
    let output = node.wait_with_output().unwrap();
    assert!(output.status.success(), "the harness failed");
    serde_json::from_slice(&output.stdout).expect("the harness's results")
}

/// Checks every visit's outcome against the app; returns how many sent a lock request.
fn check(visits: &[Visit]) -> usize {
    let results = run(visits);
    let mut sent = 0;
    for (visit, result) in visits.iter().zip(&results) {
        // Where the secret may go is the site's own text to say: without it, nothing goes early.
        let site = match &visit.config {
            SiteFile::Text(text) => Some(config(Some(text))),
            SiteFile::Offline | SiteFile::Refused(_) | SiteFile::Redirected(_) => None,
        };
        let used = match &visit.kept_config {
            Some(kept) => config(Some(kept)),
            None => site.clone().unwrap_or_default(),
        };
        let fragment = Fragment::parse(&visit.hash);
        let secret = fragment.secret_or_kept(visit.tab.as_deref(), visit.remembered.as_deref());
        // The secret left the address bar before anything else, a damaged one too; what the app
        // reads besides it stayed.
        let address = result["address"].as_str().unwrap();
        let left = Fragment::parse(address);
        assert!(left.secret.is_err(), "{visit:?}: {address} still carries a secret");
        assert!(
            address
                .split('&')
                .all(|part| ["door=", "lang=", "until="].iter().any(|p| part.trim_start_matches('#').starts_with(p)))
                || address.is_empty(),
            "{visit:?}: {address}"
        );
        assert_eq!(
            (left.door, left.lang, left.until),
            (fragment.door, fragment.lang.clone(), fragment.until.clone()),
            "{visit:?}: {address}"
        );
        // What the script writes for the tab is the fragment's secret, as the app takes it, under
        // the app's key (so a reload before the app starts keeps the link); nothing else.
        for (key, value) in result["tab"].as_object().unwrap() {
            assert_eq!(key, &visit.key(TAB_SECRET), "{visit:?}");
            if value.as_str() != visit.tab.as_deref() {
                let taken = fragment.secret.as_ref().map(|s| s.expose());
                assert_eq!(Ok(value.as_str().unwrap()), taken.map_err(|_| ()), "{visit:?}");
            }
        }
        // A connection opened early, before the site has named its API, goes to the API this visit
        // will most likely use: the device's copy's, else the default. It carries nothing, and only a
        // visit with a secret opens one.
        for link in result["links"].as_array().unwrap() {
            let guess = if visit.kept_config.is_some() { used.api_base.as_str() } else { DEFAULT_API_BASE };
            let origin: String = guess.split_inclusive('/').take(3).collect();
            assert_eq!(link["rel"], "preconnect", "{visit:?}");
            assert_eq!(link["href"].as_str(), Some(origin.trim_end_matches('/')), "{visit:?}: preconnected elsewhere");
            assert_eq!(link["crossOrigin"], "anonymous", "{visit:?}: the lock request takes an anonymous connection");
            assert!(secret.is_ok(), "{visit:?}: a preconnect without a secret to send");
        }
        assert!(result["links"].as_array().unwrap().len() <= 1, "{visit:?}: one preconnect at most");
        let chosen = language::choose(fragment.lang.as_deref(), used.language.as_deref(), &visit.languages);
        for fetch in result["fetches"].as_array().unwrap() {
            let url = fetch["url"].as_str().unwrap();
            if url == "config.json" || url.starts_with("i18n/") {
                // The site's files, fetched as src/services/site_files.rs fetches them.
                assert_eq!(fetch["cache"], "no-cache", "{visit:?}: {url}");
                assert_eq!(fetch["timeout"], SITE_FILE_WITHIN.as_millis() as u64, "{visit:?}: {url}");
                assert_eq!(fetch["headers"], json!({}), "{visit:?}: {url}");
            }
            if url == "config.json" {
                assert_eq!(fetch["priority"], "high", "{visit:?}: the first door waits for the configuration");
                continue;
            }
            if let Some(code) = url.strip_prefix("i18n/").and_then(|file| file.strip_suffix(".json")) {
                assert_eq!(code, chosen, "{visit:?}: the head start fetched another language than the app chooses");
                assert_ne!(code, "en", "{visit:?}: English is built in");
                continue;
            }
            // A request to the API: exactly the app's first request, to the site's own API.
            let (Ok(secret), Some(site)) = (&secret, &site) else {
                panic!("{visit:?}: the head start sent {fetch} without a secret or the site's configuration")
            };
            assert_eq!(url, locks_url(&site.api_base, 0), "{visit:?}: not the site's API, or not the app's URL");
            assert_eq!(url, locks_url(&used.api_base, 0), "{visit:?}: not the API the app uses on this visit");
            assert_eq!(fetch["headers"]["Authorization"], authorization(secret), "{visit:?}");
            assert_eq!(fetch["headers"]["Accept"], "application/json", "{visit:?}");
            assert_eq!(fetch["headers"].as_object().unwrap().len(), 2, "{visit:?}: no other header");
            assert_eq!((&fetch["credentials"], &fetch["referrerPolicy"]), (&json!("omit"), &json!("no-referrer")));
            assert_eq!(fetch["redirect"], json!("manual"), "a request with the secret follows no redirect");
            assert_eq!(fetch["priority"], "high", "{visit:?}: the first page of doors goes first");
            assert_eq!(fetch["timeout"], site.request_timeout.as_millis() as u64, "{visit:?}");
            assert_eq!(result["locks"]["url"], url, "{visit:?}");
            assert_eq!(result["locks"]["authorization"], authorization(secret), "{visit:?}");
            assert_eq!(result["locks"]["body"], "[]", "{visit:?}: the body was read before a time limit could cut it");
            sent += 1;
        }
        if let Some(code) = result["texts"].as_str() {
            assert_eq!(code, chosen, "{visit:?}: the head start expects another language than the app chooses");
        }
    }
    sent
}

/// The cases found by reading both programs side by side, and the ones that broke them once.
fn hostile() -> Vec<Visit> {
    let mut visits = Vec::new();
    // A leading byte order mark: JavaScript's trim() strips it, Rust's does not.
    for hash in [
        "#%EF%BB%BFabcd1234",
        "#abcd1234%EF%BB%BF",
        "#%20abcd1234",
        "#abcd1234%20",
        "#%C2%A0abcd1234",
        "#%E3%80%80abcd1234",
        "#abcd%0A1234",
        "#secret=%20abcd1234&door=1",
        "#abc",
        "#%ZZabcd",
        "#abcd%",
        "#%C0%AFabcd",
        "#%ED%A0%80abcd",
        "#=abcd1234",
        "#secretx=abcd1234",
        "#door=1&abcd1234",
        "#lang=de&abcd1234",
        "#secret=&door=2",
        "#secret=a&secret=abcd1234",
        "#abcd1234&secret=efgh5678",
        "#QUJDRA==",
        "#a+b+c+d",
        "",
        "#",
        "#%61%62%63%64",
        "#ABCD%2fEFGH",
    ] {
        visits.push(Visit::plain(hash));
    }
    // Languages: a link's tag the app refuses, an operator's code in the wrong case.
    for (hash, config, languages) in [
        ("#abcd1234&lang=de_CH", r#"{}"#, vec!["fr"]),
        ("#abcd1234&lang=DE", r#"{}"#, vec!["fr"]),
        ("#abcd1234&lang=pt-BR", r#"{}"#, vec![]),
        ("#abcd1234&lang=<x>", r#"{"language": "ja"}"#, vec!["fr"]),
        ("#abcd1234", r#"{"language": "DE"}"#, vec!["nl-BE"]),
        ("#abcd1234", r#"{"language": "de"}"#, vec!["nl-BE"]),
        ("#abcd1234", r#"{"language": 7}"#, vec!["xx", "it_IT"]),
    ] {
        let languages = languages.into_iter().map(str::to_owned).collect();
        visits.push(Visit { config: SiteFile::Text(config.into()), languages, ..Visit::plain(hash) });
    }
    // API bases the app refuses (it then uses its default) or reads differently.
    for base in [
        json!("http://api.kisi.io"),
        json!("http://127.0.0.1.evil.example"),
        json!("http://localhost.evil"),
        json!(" https://api.kisi.io"),
        json!("https://api.kisi.io "),
        json!("https://a b"),
        json!("https://x?y=1"),
        json!("https://u@x"),
        json!("https://x#y"),
        json!("https:///"),
        json!("javascript:alert(1)"),
        json!("https://x\\y"),
        json!(42),
        json!(null),
        json!(["https://api.kisi.io"]),
        json!("https://kisi.example.com/proxy//"),
        json!("http://127.0.0.1:8787/"),
        json!("http://localhost:abc"),
        json!("http://[::1]:9/x"),
        json!("https://ünï.example"),
    ] {
        let config = json!({ "api_base": base }).to_string();
        visits.push(Visit { config: SiteFile::Text(config), ..Visit::plain("#abcd1234") });
    }
    // Files that are not an object, or not JSON; time limits in and out of range.
    for config in [
        Some("[1]"),
        Some("null"),
        Some("\"x\""),
        Some("42"),
        Some("{"),
        Some(""),
        Some("<html>"),
        None,
        Some(r#"{"request_timeout_ms": 999}"#),
        Some(r#"{"request_timeout_ms": 2500}"#),
        Some(r#"{"request_timeout_ms": 1.5}"#),
        Some(r#"{"request_timeout_ms": 2e4}"#),
        Some(r#"{"request_timeout_ms": 20000.0}"#),
        Some(r#"{"request_timeout_ms": "20000"}"#),
        Some(r#"{"api_base": "https://a.example", "api_base": "https://b.example"}"#),
    ] {
        let config = config.map_or(SiteFile::Offline, |text| SiteFile::Text(text.to_owned()));
        visits.push(Visit { config, ..Visit::plain("#abcd1234") });
    }
    // A site that refuses, or a network that redirects, with and without a kept copy.
    let site_api = r#"{"api_base": "https://api.kisi.io"}"#;
    for answer in
        [SiteFile::Refused(404), SiteFile::Refused(503), SiteFile::Redirected(site_api.into()), SiteFile::Offline]
    {
        for kept_config in [None, Some(site_api.to_owned())] {
            visits.push(Visit { config: answer.clone(), kept_config, ..Visit::plain("#abcd1234") });
        }
    }
    // The secret from storage: the tab's, the device's, garbage in either.
    for (tab, remembered) in [
        (Some("tab-secret-1"), None),
        (None, Some("device-secret-1")),
        (Some(" padded "), Some("device-secret-2")),
        (Some("ab"), Some("device-secret-3")),
        (Some("has space"), None),
        (Some("\u{feff}bom-secret"), None),
    ] {
        visits.push(Visit {
            tab: tab.map(str::to_owned),
            remembered: remembered.map(str::to_owned),
            ..Visit::plain("#door=3")
        });
    }
    // A kept configuration: the same API, another API, broken, another language.
    for kept in [
        r#"{"api_base": "https://api.kisi.io"}"#,
        r#"{"api_base": "https://elsewhere.example"}"#,
        r#"{"api_base": "https://api.kisi.io/"}"#,
        "{",
        r#"{"language": "ar"}"#,
        r#"{"api_base": 5}"#,
    ] {
        visits.push(Visit { kept_config: Some(kept.into()), ..Visit::plain("#abcd1234") });
    }
    visits
}

#[test]
fn the_head_start_registers_the_worker_unless_the_configuration_the_app_uses_switches_it_off() {
    let texts = [
        r#"{}"#,
        r#"{"offline": true}"#,
        r#"{"offline": false}"#,
        r#"{"offline": "false"}"#,
        r#"{"offline": 0}"#,
        r#"{"offline": null}"#,
        r#"{"offline": [false]}"#,
        r#"{"offline": true, "offline": false}"#,
        r#"{"offline": false, "offline": true}"#,
        r#"[false]"#,
        r#""offline""#,
    ];
    let mut visits = Vec::new();
    for text in texts {
        // The site's file on a first visit; a kept copy (the one the app starts from) on a repeat.
        visits.push(Visit { config: SiteFile::Text(text.into()), ..Visit::plain("") });
        visits.push(Visit { kept_config: Some(text.into()), config: SiteFile::Offline, ..Visit::plain("#abcd1234") });
    }
    // Nothing to go by: neither registered nor retired (the next visit decides).
    visits.push(Visit { config: SiteFile::Offline, ..Visit::plain("") });
    // A kept copy that says nothing, and the site that now says false: the site's answer wins,
    // even if the app never starts to refresh the kept copy (the last two visits).
    let switched_off = [r#"{"offline": false}"#, r#"{"offline": true, "offline": false}"#];
    for text in switched_off {
        visits.push(Visit {
            kept_config: Some("{}".into()),
            config: SiteFile::Text(text.into()),
            ..Visit::plain("#abcd1234")
        });
    }
    let results = run(&visits);
    for (visit, result) in visits.iter().zip(&results).skip(visits.len() - switched_off.len()) {
        let log = result["worker"].as_array().expect("the worker's log");
        let unregistered = log.iter().position(|op| op == &json!(["unregister", "/"]));
        assert!(unregistered.is_some(), "{visit:?}: the site's false retires the worker: {log:?}");
        assert!(
            log[unregistered.unwrap()..].iter().all(|op| op[0] != "register"),
            "{visit:?}: nothing registers it again: {log:?}"
        );
        assert_eq!(log.last(), Some(&json!(["delete", "portier-shell:/:0123"])), "{visit:?}");
    }
    let visits = &visits[..visits.len() - switched_off.len()];
    let mut retired = 0;
    for (visit, result) in visits.iter().zip(&results) {
        let text = visit.kept_config.clone().or(match &visit.config {
            SiteFile::Text(text) => Some(text.clone()),
            _ => None,
        });
        let expected = match text {
            None => json!([]),
            Some(text) if config(Some(&text)).offline => json!([["register", "sw.js", "none"]]),
            Some(_) => {
                retired += 1;
                json!([["unregister", "/"], ["delete", "portier-shell:/:0123"]])
            }
        };
        assert_eq!(result["worker"], expected, "{visit:?}");
    }
    assert_eq!(retired, 4, "`false`, and a later `false` over `true`, each as site file and as kept copy");
}

#[test]
fn whatever_the_head_start_sends_the_app_would_send_on_the_hostile_cases() {
    let visits = hostile();
    let sent = check(&visits);
    println!("head start: {sent} of {} hostile visits sent a lock request, each the app's own", visits.len());
    assert!(sent >= 15, "too few cases sent anything to prove agreement: {sent}");
}

#[test]
fn whatever_the_head_start_sends_the_app_would_send_on_the_fragment_corpus() {
    // The fragment property tests' corpus, with storage and configurations mixed in.
    let fragments =
        prop_oneof!["\\PC*", ".*", "[#%=&a-zA-Z0-9 ]{0,600}", "#[!-~]{0,40}(&(door|lang|secret)=[!-~a-z]{0,8}){0,3}"];
    let configs = prop_oneof![
        Just(r#"{"api_base": "https://api.kisi.io"}"#.to_owned()),
        Just(r#"{"api_base": "http://127.0.0.1:8787/", "language": "de"}"#.to_owned()),
        "\\{\"api_base\": \"[!-~ ]{0,30}\"\\}",
    ];
    let storage = prop::option::of("[!-~ ]{0,12}");
    // Where the page is served from: a site of its own, or one of several on an origin.
    let paths = prop_oneof![Just("/"), Just("/a/"), Just("/a/index.html"), Just("/a%20b/c/")];
    let strategy =
        (fragments, configs, storage.clone(), storage, prop::collection::vec("[a-zA-Z_-]{0,6}", 0..3), paths);
    let mut runner = TestRunner::deterministic();
    let visits: Vec<Visit> = (0..1000)
        .map(|_| {
            let (hash, config, tab, remembered, languages, path) = strategy.new_tree(&mut runner).unwrap().current();
            // As a browser's `location.hash` presents it: empty, or `#` and the fragment.
            let hash = if hash.is_empty() || hash.starts_with('#') { hash } else { format!("#{hash}") };
            Visit {
                path: path.into(),
                hash,
                tab,
                remembered,
                kept_config: None,
                config: SiteFile::Text(config),
                languages,
            }
        })
        .collect();
    let sent = check(&visits);
    println!("head start: {sent} of {} generated visits sent a lock request, each the app's own", visits.len());
    assert!(sent >= 50, "too few cases sent anything to prove agreement: {sent}");
}
