//! Every scenario's `GET /locks` items read by the page's own decoder as the reference reading
//! (`tests/support/reference.rs` of the app) says they read: what the e2e tests see on screen
//! starts from the same doors.

use portier::services::kisi::lock::LockPage;
use portier::services::kisi::network::Body;
use serde_json::Value;

/// A parsed body, as the client's seam holds it (serde_json stands in for the browser's parser).
struct Parsed(Value);

impl Body for Parsed {
    fn decode<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        T::deserialize(&self.0).ok()
    }
}

#[path = "../../tests/support/reference.rs"]
mod reference;

#[test]
fn every_sandbox_scenario_reads_as_the_reference_reads_it() {
    for (secret, scenario, _) in sandbox::SCENARIOS {
        let body = Value::Array(scenario.lock_items());
        let page = LockPage::read(&Parsed(body.clone())).expect("a lock list");
        let (doors, received) = reference::lock_page(&body).unwrap();
        assert_eq!((page.doors, page.received), (doors, received), "{secret}");
    }
}
