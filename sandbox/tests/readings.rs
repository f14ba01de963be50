//! Every scenario's `GET /locks` items read by the page's own decoder as the reference reading
//! (`tests/support/reference.rs` of the app) says they read: what the e2e tests see on screen
//! starts from the same doors.

use portier::api::lock::decode_lock_page;
use serde_json::Value;

#[path = "../../tests/support/reference.rs"]
mod reference;

#[test]
fn every_sandbox_scenario_reads_as_the_reference_reads_it() {
    for (secret, scenario, _) in sandbox::SCENARIOS {
        let body = Value::Array(scenario.lock_items());
        let page = decode_lock_page(&body.to_string()).expect("a lock list");
        let (doors, received) = reference::lock_page(&body).unwrap();
        assert_eq!((page.doors, page.received), (doors, received), "{secret}");
    }
}
