//! Project chores, as `cargo xtask <command>`:
//!
//! * `setup` — install whatever this machine lacks (wasm target, Trunk, wasm-bindgen-cli matching
//!   `Cargo.lock`, wasm-opt, Chromium and its driver, brotli); skips what is there.
//! * `build` — the release site into `dist/`.
//! * `bundle` — the release bundle for operators: `target/bundle/portier-<version>.tar.gz` and `.zip`.
//! * `demo`  — build, then serve the site and the Kisi sandbox and print the URL to open.
//! * `screenshots` — phone-sized screenshots of each example theme into `docs/screenshots/`.
//! * `test`  — every check and test layer, as CI runs it.
//! * `bench [runs]` — portier against the plain-JS reference page on a throttled phone (medians).
//! * `chaos [sessions] [--seed S] [--per-seed K] [--parallel P]` — visitor sessions against the
//!   sandbox's seeded fault front, each held to the page's promises; prints the table.
//! * `layers` — the app's modules by layer, and any cycle or import against the layers.
//! * `release-links <target>` — `portier-links` for a Rust target triple, with its `.sha256`, into
//!   `target/release-files/` (the release workflow's build step).
//! * `release-notes <tag>` — the tag's section of `CHANGELOG.md`; fails unless the tag is this
//!   version and has notes.

mod csp;
mod layers;
mod minify;
mod release;
mod setup;
mod steps;
mod worker;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <setup | build | bundle | demo | screenshots | test | bench [runs] | chaos [sessions] | layers | release-links <target> | release-notes <tag>>";

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let outcome = match command.as_str() {
        "setup" => setup::all(setup::Need::Everything).map(drop),
        "build" => setup::all(setup::Need::Build).and_then(|tools| steps::build_release(&tools)).map(drop),
        "bundle" => setup::all(setup::Need::Build).and_then(|tools| steps::bundle(&tools)).map(drop),
        "demo" => setup::all(setup::Need::Build).and_then(|tools| steps::demo(&tools)),
        "screenshots" => setup::all(setup::Need::Everything).and_then(|tools| steps::screenshots(&tools)),
        "test" => setup::all(setup::Need::Everything).and_then(|tools| steps::test(&tools)),
        "layers" => steps::layers(&setup::root()),
        "bench" => setup::all(setup::Need::Everything).and_then(|tools| steps::bench(&tools, std::env::args().nth(2))),
        "chaos" => setup::all(setup::Need::Everything).and_then(|tools| steps::chaos(&tools, std::env::args().skip(2))),
        "release-links" => match std::env::args().nth(2) {
            Some(target) => release::links_binary(&setup::root(), &target).map(drop),
            None => Err(USAGE.to_owned()),
        },
        "release-notes" => match std::env::args().nth(2) {
            Some(tag) => release::notes(&setup::root(), &tag).map(|notes| println!("{notes}")),
            None => Err(USAGE.to_owned()),
        },
        _ => Err(USAGE.to_owned()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
