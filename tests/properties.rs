//! Property tests: the readers of what the outside world sends (the URL fragment, Kisi's paging
//! header and bodies, error bodies, the operator's config) never panic, whatever they get, and keep
//! their promises on well-formed input. 1,000 cases per property.
//!
//! In the page, JSON is parsed by the browser and read by serde through `src/services/json.rs`;
//! here serde_json parses, its numbers are restated as the browser holds them
//! (`tests/support/javascript.rs`), and the same serde readers read (the component tests run them
//! over the browser's parsed values too).
#![cfg(not(target_arch = "wasm32"))]

use portier::domain::config::read::read_config;
use portier::domain::fragment::Fragment;
use portier::domain::lock::LockPage;
use portier::domain::paging::{CollectionRange, MAX_OFFSET, PAGE_SIZE, next_offset};
use portier::domain::secret::{MAX_SECRET_LEN, MIN_SECRET_LEN};
use portier::services::kisi::error::{ApiError, ErrorBody};
use proptest::prelude::*;
use serde_json::Value;

#[path = "support/reference.rs"]
mod reference;

#[path = "support/javascript.rs"]
mod javascript;

use javascript::as_javascript_reads;

/// Any JSON value, nested a few levels, with the strings and numbers that break naive code.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("JSON has no NaN/inf", |f| f.is_finite()).prop_map(Value::from),
        // Whole numbers written as floats (`42.0`), and integers past 2^53: JavaScript reads both
        // otherwise than serde_json.
        (-1_000_000i64..1_000_000).prop_map(|n| Value::from(n as f64)),
        (9_007_199_254_740_000u64..=u64::MAX).prop_map(Value::from),
        ".{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("id".to_owned()),
                        Just("name".to_owned()),
                        Just("place".to_owned()),
                        Just("description".to_owned()),
                        Just("configured".to_owned()),
                        Just("online".to_owned()),
                        Just("locked_down".to_owned()),
                        "[a-z_]{1,12}"
                    ],
                    inner
                ),
                0..8
            )
            .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// Reads `body` as a page of `GET /locks`: serde_json stands in for the browser's parser, and the
/// domain reads its numbers as JavaScript holds them (the reference restates them by its own rule).
fn lock_page(body: &str) -> Option<LockPage> {
    LockPage::read(&serde_json::from_str::<Value>(body).ok()?)
}

/// Percent-encodes every byte, which any decoder must undo exactly.
/// Configuration files: the real keys with values of every kind (good ones too), and junk keys.
fn config_file() -> impl Strategy<Value = Value> {
    // Every key the reader knows (`offline` was missing from a hand-kept copy), a comment and junk.
    let keys: Vec<&str> = portier::domain::config::read::KEYS.into_iter().chain(["_comment", "colour"]).collect();
    let value = prop_oneof![
        json_value(),
        prop_oneof![
            Just("https://api.kisi.io/"),
            Just("http://127.0.0.1:8787"),
            Just("http://evil.example"),
            Just("https://a b"),
            Just("hold"),
            Just("name"),
            Just("de"),
            Just("#123"),
            Just("tel:+4930"),
        ]
        .prop_map(|s| Value::String(s.to_owned())),
        (0u64..200_000).prop_map(Value::from),
    ];
    prop::collection::vec((prop::sample::select(keys), value), 0..12)
        .prop_map(|entries| Value::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

/// How many keys `value` has, all levels counted.
fn count_keys(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.len() + map.values().map(count_keys).sum::<usize>(),
        Value::Array(items) => items.iter().map(count_keys).sum(),
        _ => 0,
    }
}

fn encode_all(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_fragment_parses_without_panicking_and_yields_only_usable_secrets(fragment in "\\PC*|.*|[#%=&a-zA-Z0-9 ]{0,600}") {
        if let Ok(secret) = Fragment::parse(&fragment).secret {
            let s = secret.expose();
            prop_assert!((MIN_SECRET_LEN..=MAX_SECRET_LEN).contains(&s.len()));
            prop_assert!(s.bytes().all(|b| b.is_ascii_graphic()), "{s:?}");
        }
    }

    #[test]
    fn every_usable_secret_survives_both_link_forms(secret in "[!-~]{4,200}") {
        // The bare form cannot carry `&` or a leading `key=`; the named form, percent-encoded, can carry anything.
        let named = Fragment::parse(&format!("#secret={}&door=1", encode_all(&secret))).secret;
        prop_assert_eq!(named.map(|s| s.expose().to_owned()), Ok(secret.clone()));
        if !secret.contains(['&', '%']) && !secret.starts_with("secret=") && !secret.starts_with("door=") && !secret.starts_with("lang=") {
            let bare = Fragment::parse(&format!("#{secret}")).secret;
            prop_assert_eq!(bare.map(|s| s.expose().to_owned()), Ok(secret));
        }
    }

    #[test]
    fn any_range_header_parses_without_panicking(header in ".*|[0-9*/ -]{0,30}") {
        if let Some(range) = CollectionRange::parse(&header) {
            prop_assert_eq!(range.start.is_some(), range.end.is_some());
            prop_assert!(range.start <= range.end);
        }
    }

    #[test]
    fn well_formed_range_headers_round_trip(start in 0u64..1_000_000, len in 0u64..1000, total in any::<u64>()) {
        let header = format!("{start}-{}/{total}", start + len);
        prop_assert_eq!(CollectionRange::parse(&header), Some(CollectionRange { start: Some(start), end: Some(start + len), total }));
    }

    #[test]
    fn paging_always_ends(pages in prop::collection::vec((0usize..=250, prop::option::of(any::<u64>())), 1..200)) {
        // Whatever sizes and totals the server claims, the loop asks at most MAX_OFFSET / PAGE_SIZE + 1 pages.
        let mut offset = 0;
        let mut asked = 0;
        for (received, total) in pages {
            asked += 1;
            let range = total.map(|total| CollectionRange { start: Some(offset), end: Some(offset + PAGE_SIZE - 1), total });
            match next_offset(offset, received, range) {
                Some(next) => { prop_assert!(next > offset && next <= MAX_OFFSET); offset = next; }
                None => break,
            }
        }
        prop_assert!(asked <= (MAX_OFFSET / PAGE_SIZE + 1) as usize);
    }

    /// The lock decoder reads every JSON array as the reference reading does.
    #[test]
    fn lock_pages_read_as_the_reference_reads_them(items in prop::collection::vec(json_value(), 0..40)) {
        let body = Value::Array(items);
        let page = lock_page(&body.to_string()).expect("a JSON array is a lock list");
        let (doors, received) = reference::lock_page(&as_javascript_reads(body)).unwrap();
        prop_assert_eq!((page.doors, page.received), (doors, received));
    }

    #[test]
    fn any_body_decodes_without_panicking(body in ".*|\\[.{0,200}\\]") {
        let _ = lock_page(&body);
    }

    #[test]
    fn any_json_list_decodes_item_by_item(items in prop::collection::vec(json_value(), 0..40)) {
        let body = Value::Array(items.clone()).to_string();
        let page = lock_page(&body).expect("a JSON array is a lock list");
        prop_assert_eq!(page.received, items.len());
        prop_assert!(page.doors.len() <= items.len());
        for door in &page.doors {
            prop_assert!(door.shown_name().is_none_or(|name| name.chars().count() <= portier::domain::door::MAX_NAME_CHARS));
        }
    }

    #[test]
    fn any_error_response_maps_without_panicking(status in 100u16..600, json in json_value(), code in "[0-9a-fA-F ]{0,20}") {
        let body = ErrorBody::read(&json);
        let json = as_javascript_reads(json);
        let e = ApiError::from_body(status, body);
        // Whatever the body, a code the error keeps is one that body carried (cleaned up).
        let carried = json.get("code").and_then(Value::as_str).map(|c| c.trim().to_ascii_lowercase());
        prop_assert!(e.code.is_none() || e.code == carried, "{json}: kept {:?}", e.code);
        let e = ApiError::from_answer(status, Some(&code));
        prop_assert!(e.code.as_deref().is_none_or(|kept| kept == code.trim().to_ascii_lowercase()));
    }

    /// Any configuration, shaped like one (known keys with any values, unknown keys, nesting),
    /// reads into a usable configuration: a base the page may talk to, values within their
    /// ranges, and one warning at most per key it could not use.
    #[test]
    fn any_config_file_yields_a_usable_config(file in config_file()) {
        let (config, warnings) = read_config(&file);
        let file = as_javascript_reads(file);
        prop_assert!(portier::domain::config::urls::api_base(&config.api_base).as_deref() == Some(config.api_base.as_str()));
        let (min, max) = portier::domain::config::REQUEST_TIMEOUT_RANGE_MS;
        prop_assert!((min..=max).contains(&(config.request_timeout.as_millis() as u64)));
        prop_assert!((1..=60).contains(&config.unlocked_for.as_secs()));
        let keys = file.as_object().map_or(0, |o| o.len());
        // Per top-level key at most one warning, but for objects (theme, texts, …) one per key inside.
        prop_assert!(warnings.len() <= count_keys(&file) + 2 * keys, "{file}: {warnings:?}");
        if let Some(base) = file.get("api_base").and_then(Value::as_str)
            && let Some(usable) = portier::domain::config::urls::api_base(base) {
            prop_assert_eq!(config.api_base, usable, "a usable api_base is used");
        }
    }
}
