//! `cargo xtask test`: every check and test layer, in order, as CI runs it.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::build::{bundle, check_size_budget};
use crate::error::{Error, Result};
use crate::setup::{Tools, run};

/// Every check and every test layer, in the order that fails fastest.
pub fn test(tools: &Tools) -> Result<()> {
    let cargo = |args: &[&str]| {
        let mut command = Command::new("cargo");
        command.args(args).current_dir(&tools.root).env("PATH", &tools.path);
        command
    };
    let mut timings: Vec<(&str, Duration)> = Vec::new();
    let mut step = |name: &'static str, action: &mut dyn FnMut() -> Result<()>| {
        eprintln!("\n== {name}");
        let started = Instant::now();
        let outcome = action();
        timings.push((name, started.elapsed()));
        outcome.map_err(|e| e.context(name))
    };

    step("format", &mut || run(&mut cargo(&["fmt", "--all", "--check"])))?;
    step("module layers and cycles (src/)", &mut || crate::layers::check(&tools.root))?;
    step("release workflow (actionlint) and this version's release notes", &mut || {
        crate::release::lint_workflows(tools)?;
        crate::release::notes(&tools.root, &format!("v{}", portier::VERSION)).map(drop)
    })?;
    step("clippy (host)", &mut || {
        run(&mut cargo(&["clippy", "--locked", "--workspace", "--all-targets", "--", "-D", "warnings"]))
    })?;
    step("clippy (wasm)", &mut || {
        run(&mut cargo(&[
            "clippy",
            "--locked",
            "-p",
            "portier",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    step("dependency licenses, bans and sources (cargo deny)", &mut || {
        run(&mut cargo(&["deny", "check", "licenses", "bans", "sources"]))
    })?;
    step("unit tests (host)", &mut || {
        run(&mut cargo(&["test", "--locked", "--workspace", "--exclude", "e2e", "--exclude", "links"]))
    })?;
    // wasm-bindgen-test-runner takes the first driver it is given: one run per engine. For WebKit
    // it is WebKitGTK's driver in the runner's Safari role: that session asks for no capabilities
    // (it ignores webdriver.json), and WebKitWebDriver then starts its own MiniBrowser — which
    // draws into a private Xvfb display, as it has no headless mode.
    step("component tests (wasm in headless Chromium)", &mut || {
        run(cargo(&["test", "--locked", "-p", "portier", "--target", "wasm32-unknown-unknown", "--test", "web"])
            .env("CHROMEDRIVER", &tools.chromedriver)
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &tools.wasm_bindgen_test_runner)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))
    })?;
    step("component tests (wasm in headless Firefox)", &mut || {
        run(cargo(&["test", "--locked", "-p", "portier", "--target", "wasm32-unknown-unknown", "--test", "web"])
            .env("GECKODRIVER", &tools.geckodriver)
            .env("GECKODRIVER_ARGS", format!("--binary {}", crate::setup::FIREFOX))
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &tools.wasm_bindgen_test_runner)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))
    })?;
    step("component tests (wasm in WebKit, MiniBrowser under Xvfb)", &mut || {
        let display = Display::start()?;
        run(cargo(&["test", "--locked", "-p", "portier", "--target", "wasm32-unknown-unknown", "--test", "web"])
            .env("SAFARIDRIVER", crate::setup::WEBKIT_WEBDRIVER)
            .env("DISPLAY", &display.name)
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &tools.wasm_bindgen_test_runner)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))
    })?;
    let mut tarball = PathBuf::new();
    step("release build and bundle", &mut || bundle(tools).map(|path| tarball = path))?;
    step("size budget", &mut || check_size_budget(&tools.root))?;
    step("end-to-end tests (release build, sandbox, nginx, portier-links; Chromium, WebKit, Firefox)", &mut || {
        run(cargo(&["test", "--locked", "-p", "e2e", "-p", "links"])
            .env("GECKODRIVER", &tools.geckodriver)
            .env("PORTIER_DIST", tools.root.join("dist"))
            .env("PORTIER_BUNDLE", &tarball))
    })?;
    step(
        "portier-links static release (x86_64 musl): built, then its workflow and the operator guide's walk",
        &mut || {
            let binary = crate::release::links_binary(&tools.root, "x86_64-unknown-linux-musl")?;
            run(cargo(&["test", "--locked", "-p", "links", "--test", "issue_and_use", "--test", "operator_guide"])
                .env("PORTIER_DIST", tools.root.join("dist"))
                .env("PORTIER_BUNDLE", &tarball)
                .env("PORTIER_LINKS_BIN", &binary))
        },
    )?;

    println!("\nall checks passed:");
    for (name, took) in &timings {
        println!("  {name:<60} {:>7.1} s", took.as_secs_f64());
    }
    println!("  {:<60} {:>7.1} s", "total", timings.iter().map(|(_, t)| t.as_secs_f64()).sum::<f64>());
    Ok(())
}

/// A private X display (Xvfb), stopped when dropped. `-displayfd` makes Xvfb choose a free
/// display and print its number once it is ready, so nothing races for one.
struct Display {
    name: String,
    xvfb: std::process::Child,
}

impl Display {
    fn start() -> Result<Display> {
        use std::io::BufRead;
        let mut xvfb = Command::new(crate::setup::XVFB)
            .args(["-displayfd", "1", "-screen", "0", "1024x900x24", "-nolisten", "tcp"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(Error::run("Xvfb"))?;
        let mut line = String::new();
        let stdout = xvfb.stdout.take().ok_or_else(|| Error::check("Xvfb was started without a stdout"))?;
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(Error::run("Xvfb (reading its display number)"))?;
        let number = line.trim();
        if number.is_empty() {
            let _ = xvfb.kill();
            return Err(Error::check("Xvfb did not start: it printed no display number"));
        }
        Ok(Display { name: format!(":{number}"), xvfb })
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}
