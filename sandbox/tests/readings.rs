//! Every scenario's `GET /locks` items read by the page's own decoder as the reference reading
//! (`tests/support/reference.rs` of the app) says they read: what the e2e tests see on screen
//! starts from the same doors.

use portier::domain::lock::LockPage;
use serde_json::Value;

#[path = "../../tests/support/reference.rs"]
mod reference;

#[path = "../../tests/support/javascript.rs"]
mod javascript;

use javascript::as_javascript_reads;

#[test]
fn every_sandbox_scenario_reads_as_the_reference_reads_it() {
    for (secret, scenario, _) in sandbox::SCENARIOS {
        let body = Value::Array(scenario.lock_items());
        let page = LockPage::read(&body).expect("a lock list");
        let (doors, received) = reference::lock_page(&as_javascript_reads(body)).unwrap();
        assert_eq!((page.doors, page.received), (doors, received), "{secret}");
    }
}
