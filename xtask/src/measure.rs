//! `cargo xtask bench` and `chaos`: speed against the plain page, and seeded visitor sessions
//! against the sandbox's fault front.

use std::process::Command;

use crate::build::{build_release, bundle};
use crate::error::Result;
use crate::setup::{Tools, run};

/// The benchmark (`e2e/src/bin/bench.rs`) against the bundle's precompressed site.
pub fn bench(tools: &Tools, runs: Option<String>) -> Result<()> {
    let tarball = bundle(tools)?;
    let site = tarball.with_extension("").with_extension("").join("site");
    let mut command = Command::new("cargo");
    command.args(["run", "--locked", "-q", "-p", "e2e", "--bin", "bench", "--"]).args(runs);
    run(command.current_dir(&tools.root).env("PATH", &tools.path).env("PORTIER_DIST", site))
}

/// The seeded chaos run against the release build (arguments as `e2e`'s `chaos` binary takes them).
pub fn chaos(tools: &Tools, args: impl Iterator<Item = String>) -> Result<()> {
    build_release(tools)?;
    let mut command = Command::new("cargo");
    command.args(["run", "--locked", "-q", "-p", "e2e", "--bin", "chaos", "--"]).args(args);
    run(command.current_dir(&tools.root).env("PATH", &tools.path).env("PORTIER_DIST", tools.root.join("dist")))
}
