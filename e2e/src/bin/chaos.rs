//! `cargo xtask chaos [SESSIONS] [--seed S] [--per-seed K] [--parallel P]`: the seeded chaos run
//! (see `e2e::chaos`), printing its table. Seeds 1, 2, … each run K sessions (default 5) against a
//! sandbox whose fault front draws from the seed; `--seed` replays one seed. Exits non-zero on
//! any violation, naming the seed that replays it.

use std::process::ExitCode;

use e2e::chaos::{Report, run_seed};
use futures::StreamExt;

fn main() -> ExitCode {
    let mut sessions = 200usize;
    let (mut only_seed, mut per_seed, mut parallel) = (None, 5usize, 2usize);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |what: &str| -> u64 {
            args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{what} needs a number"))
        };
        match arg.as_str() {
            "--seed" => only_seed = Some(number("--seed")),
            "--per-seed" => per_seed = number("--per-seed").max(1) as usize,
            "--parallel" => parallel = number("--parallel").max(1) as usize,
            other => sessions = other.parse().unwrap_or_else(|_| panic!("not a number of sessions: {other}")),
        }
    }
    let seeds: Vec<u64> = match only_seed {
        Some(seed) => vec![seed],
        None => (1..=sessions.div_ceil(per_seed) as u64).collect(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    let started = std::time::Instant::now();
    let report = runtime.block_on(async {
        let mut total = Report::default();
        let mut runs =
            futures::stream::iter(seeds.iter().map(|seed| run_seed(*seed, per_seed))).buffer_unordered(parallel);
        while let Some(report) = runs.next().await {
            eprintln!(
                "chaos: {} sessions done, {} violations",
                total.sessions + report.sessions,
                total.violations.len() + report.violations.len()
            );
            for violation in &report.violations {
                eprintln!("  seed {} session {}: {}", violation.seed, violation.session, violation.what);
            }
            total.merge(report);
        }
        total
    });
    println!(
        "chaos run: seeds {}..={}, {per_seed} sessions each, {parallel} browsers at a time, {:.0} s",
        seeds[0],
        seeds[seeds.len() - 1],
        started.elapsed().as_secs_f64()
    );
    print!("{}", report.table());
    if report.violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        let mut failing: Vec<u64> = report.violations.iter().map(|v| v.seed).collect();
        failing.dedup();
        for seed in failing {
            println!("replay: cargo xtask chaos --seed {seed} --per-seed {per_seed}");
        }
        ExitCode::FAILURE
    }
}
