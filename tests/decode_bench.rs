//! How long reading Kisi's answers takes in the browser: the 1,000-door scenario's four pages,
//! parsed and read as the page reads them. A measurement that prints figures and asserts nothing
//! about time; run it on demand, in release:
//! `cargo test --release -p portier --target wasm32-unknown-unknown --test decode_bench -- --nocapture`
//! (not part of `cargo xtask test`; the benchmark's 1,000-door render figure includes this work).
#![cfg(target_arch = "wasm32")]

use portier::domain::lock::LockPage;
use portier::services::json::Json;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// One page of 250 doors as Kisi sends them (the sandbox's `thousand` scenario's shape).
fn page(first: u64) -> String {
    let kinds = ["Office", "Lab", "Storage", "Meeting room", "Entrance", "Kitchen", "Stairwell", "Server room"];
    let doors: Vec<String> = (first..first + 250)
        .map(|n| {
            format!(
                r#"{{"id":{},"name":"{} {n}","description":null,"configured":true,"online":true,"open":false,"unlocked":false,"locked_down":false,"locked_down_since":null,"unlocked_until":null,"place_id":{},"place":{{"id":{},"name":"Building {}","latitude":52.52,"longitude":13.4}}}}"#,
                30_000 + n,
                kinds[n as usize % kinds.len()],
                100 + (n - 1) / 250,
                100 + (n - 1) / 250,
                (n - 1) / 250
            )
        })
        .collect();
    format!("[{}]", doors.join(","))
}

#[wasm_bindgen_test]
fn reading_a_thousand_doors() {
    let pages: Vec<String> = [1, 251, 501, 751].into_iter().map(page).collect();
    let now = || js_sys::Date::now();
    let mut best = f64::MAX;
    for _ in 0..20 {
        let started = now();
        let doors: usize =
            pages.iter().map(|text| LockPage::read(&Json::parse(text).unwrap()).unwrap().doors.len()).sum();
        best = best.min(now() - started);
        assert_eq!(doors, 1_000);
    }
    web_sys::console::log_1(&format!("decode: 1,000 doors (4 pages) in {best:.1} ms, best of 20").into());
}
