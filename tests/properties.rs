//! Property tests: the parsers that read what the outside world sends (the URL fragment, Kisi's
//! paging header and bodies, error bodies, the operator's config) never panic, whatever they get,
//! and keep their promises on well-formed input. 1,000 cases per property.
#![cfg(not(target_arch = "wasm32"))]

use portier::api::error::ApiError;
use portier::api::lock::decode_lock_page;
use portier::api::range::{CollectionRange, MAX_OFFSET, PAGE_SIZE, next_offset};
use portier::config::SiteConfig;
use portier::fragment::{Fragment, MAX_SECRET_LEN, MIN_SECRET_LEN};
use portier::json::Json;
use proptest::prelude::*;
use serde_json::Value;

#[path = "support/reference.rs"]
mod reference;

/// Any JSON value, nested a few levels, with the strings and numbers that break naive code.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("JSON has no NaN/inf", |f| f.is_finite()).prop_map(Value::from),
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

/// Percent-encodes every byte, which any decoder must undo exactly.
/// Whether our reading of a text is serde_json's: same shape, same strings, same whole numbers.
fn same(ours: &Json, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        (Json::Number(_), Value::Number(n)) => ours.as_u64() == n.as_u64(),
        (Json::String(a), Value::String(b)) => a == b,
        (Json::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b)),
        (Json::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(key, value)| b.get(key).is_some_and(|b| same(value, b)))
        }
        _ => false,
    }
}

fn encode_all(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// src/json.rs reads every JSON text as serde_json does, compact or pretty.
    #[test]
    fn the_json_reader_reads_json_as_serde_json_does(value in json_value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) }.unwrap();
        let ours = Json::parse(&text);
        prop_assert!(ours.as_ref().is_ok_and(|ours| same(ours, &value)), "{text} read as {ours:?}");
    }

    /// … and refuses exactly what serde_json refuses, on near-JSON junk and on anything at all.
    #[test]
    fn the_json_reader_refuses_what_serde_json_refuses(text in r#"[\[\]{}",: 0-9eE.+\-\\ufdtrlsn\n]{0,30}|.{0,30}"#) {
        let theirs = serde_json::from_str::<Value>(&text);
        // serde_json also refuses numbers too big for an f64 (1e400); JSON itself does not.
        if theirs.as_ref().is_err_and(|e| e.to_string().contains("out of range")) {
            return Ok(());
        }
        let ours = Json::parse(&text);
        prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: ours {:?}, serde_json {:?}", text, ours, theirs);
        if let (Ok(ours), Ok(theirs)) = (&ours, &theirs) {
            prop_assert!(same(ours, theirs), "{:?}: ours {:?}, serde_json {:?}", text, ours, theirs);
        }
    }

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
        let page = decode_lock_page(&body.to_string()).expect("a JSON array is a lock list");
        let (doors, received) = reference::lock_page(&body).unwrap();
        prop_assert_eq!((page.doors, page.received), (doors, received));
    }

    #[test]
    fn any_body_decodes_without_panicking(body in ".*|\\[.{0,200}\\]") {
        let _ = decode_lock_page(&body);
    }

    #[test]
    fn any_json_list_decodes_item_by_item(items in prop::collection::vec(json_value(), 0..40)) {
        let body = Value::Array(items.clone()).to_string();
        let page = decode_lock_page(&body).expect("a JSON array is a lock list");
        prop_assert_eq!(page.received, items.len());
        prop_assert_eq!(page.doors.len() + page.skipped, items.len());
        for door in &page.doors {
            prop_assert!(door.display_name().chars().count() <= portier::door::MAX_NAME_CHARS);
        }
    }

    #[test]
    fn any_error_response_maps_without_panicking(status in 100u16..600, body in ".*", json in json_value()) {
        let _ = ApiError::from_response(status, &body);
        let e = ApiError::from_response(status, &json.to_string());
        prop_assert_eq!(e.status, Some(status));
    }

    #[test]
    fn any_config_file_yields_a_usable_config(text in ".*", json in json_value()) {
        for text in [text, json.to_string()] {
            let (config, _) = SiteConfig::from_json(&text);
            prop_assert!(config.api_base.starts_with("https://") || config.api_base.starts_with("http://"));
        }
    }
}
