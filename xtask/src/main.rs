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

mod build;
mod csp;
mod demo;
mod error;
mod layers;
mod measure;
mod minify;
mod release;
mod screenshots;
mod setup;
mod test;
mod worker;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Project chores for portier (`cargo xtask <command>`).
#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install whatever this machine lacks; skip what is there.
    Setup,
    /// The release site into `dist/`, with its sizes.
    Build,
    /// The release bundle for operators (`target/bundle/`).
    Bundle,
    /// Build, then serve the site and the Kisi sandbox and print the URL to open.
    Demo,
    /// Phone-sized screenshots of each example theme into `docs/screenshots/`.
    Screenshots,
    /// Every check and test layer, as CI runs it.
    Test,
    /// The app's modules by layer, and any cycle or import against the layers.
    Layers,
    /// portier against the plain-JS reference page on a throttled phone (medians of `runs`).
    Bench {
        /// How many runs of each page.
        runs: Option<String>,
    },
    /// Visitor sessions against the sandbox's seeded fault front, each held to the page's promises.
    Chaos {
        /// `[sessions] [--seed S] [--per-seed K] [--parallel P]`, passed to the chaos runner.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        arguments: Vec<String>,
    },
    /// `portier-links` for a Rust target triple, with its `.sha256`, into `target/release-files/`.
    ReleaseLinks {
        /// The target triple (`x86_64-unknown-linux-musl`, …).
        target: String,
    },
    /// The tag's section of `CHANGELOG.md`; fails unless the tag is this version and has notes.
    ReleaseNotes {
        /// `v<version>`.
        tag: String,
    },
}

fn main() -> ExitCode {
    let outcome = match Cli::parse().command {
        Command::Setup => setup::all(setup::Need::Everything).map(drop),
        Command::Build => setup::all(setup::Need::Build).and_then(|tools| build::build_release(&tools)).map(drop),
        Command::Bundle => setup::all(setup::Need::Build).and_then(|tools| build::bundle(&tools)).map(drop),
        Command::Demo => setup::all(setup::Need::Build).and_then(|tools| demo::demo(&tools)),
        Command::Screenshots => setup::all(setup::Need::Everything).and_then(|tools| screenshots::screenshots(&tools)),
        Command::Test => setup::all(setup::Need::Everything).and_then(|tools| test::test(&tools)),
        Command::Layers => layers::check(&setup::root()),
        Command::Bench { runs } => setup::all(setup::Need::Everything).and_then(|tools| measure::bench(&tools, runs)),
        Command::Chaos { arguments } => {
            setup::all(setup::Need::Everything).and_then(|tools| measure::chaos(&tools, arguments.into_iter()))
        }
        Command::ReleaseLinks { target } => release::links_binary(&setup::root(), &target).map(drop),
        Command::ReleaseNotes { tag } => release::notes(&setup::root(), &tag).map(|notes| println!("{notes}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}
