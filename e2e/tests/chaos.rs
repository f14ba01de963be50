//! A short, fixed chaos run (three seeds, two sessions each) in the test command; `cargo xtask
//! chaos` runs as many as asked and prints the full table.

use e2e::chaos::{Report, run_seed};

#[tokio::test(flavor = "multi_thread")]
async fn visitor_sessions_under_a_seeded_fault_front_keep_every_promise() {
    let mut report = Report::default();
    for seed in [11, 12, 13] {
        report.merge(run_seed(seed, 2).await);
    }
    println!("{}", report.table());
    let faults: u64 = report.faults.values().sum();
    assert!(faults >= 3, "the front injected too few faults to prove anything: {faults}");
    assert!(
        report.violations.is_empty(),
        "replay with `cargo xtask chaos --seed <seed> --per-seed 2`:\n{}",
        report.table()
    );
}
