//! The commands themselves: build, demo, test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use sandbox::{KisiSandbox, SCENARIOS, SandboxOptions, StaticSite};

use crate::setup::{Tools, run};

/// `trunk build --release` into `dist/`, the Content-Security-Policy into its `index.html`, then the
/// size report. Returns the policy.
pub fn build_release(tools: &Tools) -> Result<String, String> {
    run(Command::new("trunk")
        .args(["build", "--release", "--offline"])
        .current_dir(&tools.root)
        .env("PATH", &tools.path)
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", without_build_paths()))?;
    check_no_build_paths(&tools.root.join("dist"))?;
    crate::minify::minify_assets(&tools.root.join("dist"), &tools.esbuild)?;
    let index = tools.root.join("dist/index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("read {}: {e}", index.display()))?;
    // The head start gets the values it shares with the app, then the policy hashes it as shipped.
    let shared = serde_json::to_string(&portier::boot::head_start::shared()).map_err(|e| e.to_string())?;
    let html = portier::boot::head_start::render(&html, &shared)?;
    let html = crate::minify::minify_head_start(&html, &tools.esbuild)?;
    let (html, policy) = crate::csp::apply(&html)?;
    let html = with_generator(&html)?;
    std::fs::write(&index, html).map_err(|e| format!("write {}: {e}", index.display()))?;
    // Last: the worker lists the files as finally written.
    crate::worker::write_offline_files(&tools.root, &tools.root.join("dist"), &tools.esbuild)?;
    println!("Content-Security-Policy: {policy}");
    report_sizes(&tools.root.join("dist"))?;
    Ok(policy)
}

/// rustc flags for the shipped wasm: the panic locations the app carries name a dependency's file
/// as `tachys-0.2.19/src/…`, not under this machine's Cargo home (`/root/.cargo/registry/src/
/// index.crates.io-…/`). The build no longer says who built it where, builds on two machines
/// agree, and the wasm is 3.3 KB smaller raw, 0.36 KB brotli (docs/benchmark.md, session 9).
fn without_build_paths() -> String {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_default();
    let sources = std::fs::read_dir(cargo_home.join("registry/src")).into_iter().flatten().flatten();
    let mut prefixes: Vec<PathBuf> = sources.map(|entry| entry.path()).collect();
    prefixes.push(cargo_home.join("git/checkouts"));
    prefixes.sort();
    prefixes.iter().map(|prefix| format!("--remap-path-prefix={}/=", prefix.display())).collect::<Vec<_>>().join(" ")
}

/// Fails when a shipped file still names this machine's Cargo home (see [`without_build_paths`]).
fn check_no_build_paths(dist: &Path) -> Result<(), String> {
    for file in files_in(dist)? {
        let bytes = std::fs::read(&file).map_err(|e| format!("read {}: {e}", file.display()))?;
        if bytes.windows(b"/registry/src/".len()).any(|window| window == b"/registry/src/") {
            return Err(format!("{} names a path of the build machine (/registry/src/)", file.display()));
        }
    }
    Ok(())
}

/// README.md's table of `config.json`'s keys (between its two markers): the operator guide carries
/// the same table, written once.
fn config_keys(root: &Path) -> Result<String, String> {
    let readme = std::fs::read_to_string(root.join("README.md")).map_err(|e| format!("read README.md: {e}"))?;
    let start = "<!-- config.json keys: cargo xtask bundle copies this table into OPERATOR-GUIDE.md -->\n";
    let (_, rest) = readme.split_once(start).ok_or("README.md lost the start marker of its config.json table")?;
    let (table, _) = rest
        .split_once("<!-- end of config.json keys -->")
        .ok_or("README.md lost the end marker of its config.json table")?;
    Ok(table.to_owned())
}

/// Copies every screenshot the operator guide shows (`](screenshots/<name>.png)`) from
/// `docs/screenshots/` into the bundle; fails on one that is not there, so the guide never shows a
/// broken image.
fn copy_screenshots(root: &Path, guide: &str, bundle: &Path) -> Result<(), String> {
    let names: Vec<&str> =
        guide.split("](screenshots/").skip(1).filter_map(|rest| rest.split_once(')').map(|(name, _)| name)).collect();
    if names.is_empty() {
        return Ok(());
    }
    let out = bundle.join("screenshots");
    std::fs::create_dir_all(&out).map_err(|e| format!("create {}: {e}", out.display()))?;
    for name in names {
        let from = root.join("docs/screenshots").join(name);
        std::fs::copy(&from, out.join(name))
            .map_err(|e| format!("the operator guide shows {}, which cannot be copied: {e}", from.display()))?;
    }
    Ok(())
}

/// The release bundle: `target/bundle/portier-<version>/` and its `.tar.gz` and `.zip`, with the
/// site (precompressed), the host configurations (carrying this build's policy) and the operator
/// guide. Returns the `.tar.gz`.
pub fn bundle(tools: &Tools) -> Result<PathBuf, String> {
    let policy = build_release(tools)?;
    let name = format!("portier-{}", portier::VERSION);
    let out = tools.root.join("target/bundle");
    let dir = out.join(&name);
    let _ = std::fs::remove_dir_all(&out);
    let site = dir.join("site");
    copy_site(&tools.root.join("dist"), &site)?;
    for file in files_in(&site)?.into_iter().chain(files_in(&site.join("i18n"))?) {
        // config.json and the manifest are the operator's to edit: a precompressed copy would go
        // stale and hide edits.
        if file.file_name().is_some_and(|n| n == "config.json" || n == portier::services::worker::MANIFEST) {
            continue;
        }
        run(Command::new("brotli").args(["-q", "11", "-k", "-f"]).arg(&file))?;
        run(Command::new("gzip").args(["-9", "-n", "-k", "-f"]).arg(&file))?;
    }
    // Only a header can carry frame-ancestors; the meta tag in index.html carries the rest.
    let header_policy = format!("{policy}; frame-ancestors 'none'");
    let hosting = dir.join("hosting");
    std::fs::create_dir_all(&hosting).map_err(|e| format!("create {}: {e}", hosting.display()))?;
    let config_keys = config_keys(&tools.root)?;
    for template in files_in(&tools.root.join("hosting"))? {
        let text = std::fs::read_to_string(&template).map_err(|e| format!("read {}: {e}", template.display()))?;
        let text = text.replace("{{CONTENT_SECURITY_POLICY}}", &header_policy).replace("{{VERSION}}", portier::VERSION);
        let file_name = template.file_name().unwrap_or_default();
        if file_name == "OPERATOR-GUIDE.md" {
            copy_screenshots(&tools.root, &text, &dir)?;
            std::fs::write(dir.join(file_name), text.replace("{{CONFIG_KEYS}}", &config_keys))
                .map_err(|e| format!("write the operator guide: {e}"))?;
            continue;
        }
        let target = hosting.join(file_name);
        std::fs::write(&target, text).map_err(|e| format!("write {}: {e}", target.display()))?;
    }
    let tarball = out.join(format!("{name}.tar.gz"));
    run(Command::new("tar").arg("-C").arg(&out).arg("-czf").arg(&tarball).arg(&name))?;
    run(Command::new("zip").args(["-q", "-r"]).arg(format!("{name}.zip")).arg(&name).current_dir(&out))?;
    println!("\nbundle {}:", dir.display());
    for file in files_in(&dir)?.into_iter().chain(files_in(&site)?).chain(files_in(&hosting)?) {
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        println!("  {:<52} {size:>9}", file.strip_prefix(&dir).unwrap_or(&file).display());
    }
    for archive in [tarball.clone(), out.join(format!("{name}.zip"))] {
        crate::release::write_checksum(&archive)?;
        let size = std::fs::metadata(&archive).map(|m| m.len()).unwrap_or(0);
        println!("  {:<52} {size:>9}", archive.strip_prefix(&out).unwrap_or(&archive).display());
    }
    Ok(tarball)
}

/// `html` with `<meta name="generator" content="portier <version>">` after its charset, so a
/// support person can tell which release a site runs (view source, or the console's crash report).
fn with_generator(html: &str) -> Result<String, String> {
    const CHARSET: &str = r#"<meta charset="utf-8" />"#;
    let at = html.find(CHARSET).ok_or("index.html has no <meta charset=\"utf-8\" />")? + CHARSET.len();
    let generator = format!(r#"<meta name="generator" content="portier {}" />"#, portier::VERSION);
    Ok(format!("{}{generator}{}", &html[..at], &html[at..]))
}

/// The regular files directly inside `dir`, sorted.
fn files_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    files.sort();
    Ok(files)
}

/// Every file of the release build: (name, raw bytes, brotli bytes — what a phone downloads).
fn first_load_sizes(dist: &Path) -> Result<Vec<(String, u64, u64)>, String> {
    let mut sizes = Vec::new();
    for file in files_in(dist)? {
        let raw = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        let output =
            Command::new("brotli").args(["-c", "-q", "11"]).arg(&file).output().map_err(|e| format!("brotli: {e}"))?;
        sizes.push((
            file.file_name().unwrap_or_default().to_string_lossy().into_owned(),
            raw,
            output.stdout.len() as u64,
        ));
    }
    Ok(sizes)
}

/// Prints every file of the release build, raw and brotli-compressed.
fn report_sizes(dist: &Path) -> Result<(), String> {
    let sizes = first_load_sizes(dist)?;
    println!("\nrelease build ({}):", dist.display());
    println!("  {:<44} {:>10} {:>10}", "file", "raw", "brotli");
    for (name, raw, br) in &sizes {
        println!("  {name:<44} {raw:>10} {br:>10}");
    }
    let (raw, br) = sizes.iter().fold((0, 0), |(r, b), (_, raw, br)| (r + raw, b + br));
    println!("  {:<44} {raw:>10} {br:>10}", "first load (all files)");
    // Not part of the first load: a visitor downloads one of these only if it is their language.
    let languages = first_load_sizes(&dist.join("i18n"))?;
    let largest = languages.iter().max_by_key(|(_, _, br)| *br);
    if let Some((name, raw, br)) = largest {
        println!("  {:<44} {raw:>10} {br:>10}", format!("+ largest translation (i18n/{name})"));
    }
    println!();
    Ok(())
}

/// Fails when the release build's first load (brotli, all files) outgrows `size-budget.json` by
/// more than 5 %. Brotli at quality 11 is deterministic, so this cannot flake.
fn check_size_budget(root: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(root.join("size-budget.json")).map_err(|e| format!("size-budget.json: {e}"))?;
    let budget: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("size-budget.json: {e}"))?;
    let budget = budget["first_load_brotli_bytes"].as_u64().ok_or("size-budget.json: no first_load_brotli_bytes")?;
    let total: u64 = first_load_sizes(&root.join("dist"))?.iter().map(|(_, _, br)| br).sum();
    let limit = budget + budget / 20;
    println!("size budget: first load {total} B brotli; budget {budget} B, limit (+5 %) {limit} B");
    if total > limit {
        return Err(format!(
            "the first load is {total} B brotli, over the budget of {budget} B + 5 % ({limit} B): find what grew \
             (`twiggy top`), or raise size-budget.json in a commit that says why"
        ));
    }
    Ok(())
}

/// Builds, serves the site and the sandbox, prints the link, and runs until Ctrl-C.
pub fn demo(tools: &Tools) -> Result<(), String> {
    build_release(tools)?;
    let site_dir = tools.root.join("target/demo-site");
    copy_site(&tools.root.join("dist"), &site_dir)?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let kisi = match KisiSandbox::start(SandboxOptions { port: 8787, ..SandboxOptions::default() }).await {
            Ok(kisi) => kisi,
            Err(_) => {
                KisiSandbox::start(SandboxOptions::default()).await.map_err(|e| format!("start the sandbox: {e}"))?
            }
        };
        // The demo is configured exactly as an operator configures a deployment: config.json. Demo
        // mode lists configuration warnings on screen and offers the example themes.
        let themes = example_themes(&tools.root)?;
        let mut demo_themes = serde_json::Map::new();
        for (name, config) in &themes {
            demo_themes.insert(title_case(name), config.get("theme").cloned().unwrap_or_default());
        }
        let config = serde_json::json!({ "api_base": kisi.url(), "demo": true, "demo_themes": demo_themes });
        let config = serde_json::to_string_pretty(&config).map_err(|e| e.to_string())?;
        std::fs::write(site_dir.join("config.json"), config).map_err(|e| format!("write config.json: {e}"))?;
        let site = match StaticSite::start(&site_dir, 8080).await {
            Ok(site) => site,
            Err(_) => StaticSite::start(&site_dir, 0).await.map_err(|e| format!("start the site: {e}"))?,
        };
        println!("Kisi sandbox:  {}", kisi.url());
        println!("Site:          {}  (serving {})", site.url(), site_dir.display());
        println!("\nOpen  {}#demo  (on a phone-sized window for the real thing)\n", site.url());
        println!("Other scenario secrets (replace `demo` after the #):");
        for (secret, _, what) in SCENARIOS {
            println!("  {secret:<16} {what}");
        }
        println!("\nCtrl-C to stop.");
        tokio::signal::ctrl_c().await.map_err(|e| e.to_string())
    })
}

fn copy_site(from: &Path, to: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).map_err(|e| format!("create {}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("read {}: {e}", from.display()))?.filter_map(Result::ok) {
        let kind = entry.file_type().map_err(|e| format!("{:?}: {e}", entry.file_name()))?;
        if kind.is_dir() {
            copy_site(&entry.path(), &to.join(entry.file_name()))?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))
                .map_err(|e| format!("copy {:?}: {e}", entry.file_name()))?;
        }
    }
    Ok(())
}

/// Every check and every test layer, in the order that fails fastest.
pub fn test(tools: &Tools) -> Result<(), String> {
    let cargo = |args: &[&str]| {
        let mut command = Command::new("cargo");
        command.args(args).current_dir(&tools.root).env("PATH", &tools.path);
        command
    };
    let mut timings: Vec<(&str, Duration)> = Vec::new();
    let mut step = |name: &'static str, action: &mut dyn FnMut() -> Result<(), String>| {
        eprintln!("\n== {name}");
        let started = Instant::now();
        let outcome = action();
        timings.push((name, started.elapsed()));
        outcome.map_err(|e| format!("{name}: {e}"))
    };

    step("format", &mut || run(&mut cargo(&["fmt", "--all", "--check"])))?;
    step("module layers and cycles (src/)", &mut || layers(&tools.root))?;
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
    fn start() -> Result<Display, String> {
        use std::io::BufRead;
        let mut xvfb = Command::new(crate::setup::XVFB)
            .args(["-displayfd", "1", "-screen", "0", "1024x900x24", "-nolisten", "tcp"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("start Xvfb: {e}"))?;
        let mut line = String::new();
        let stdout = xvfb.stdout.take().ok_or("Xvfb's stdout")?;
        std::io::BufReader::new(stdout).read_line(&mut line).map_err(|e| format!("Xvfb's display: {e}"))?;
        let number = line.trim();
        if number.is_empty() {
            let _ = xvfb.kill();
            return Err("Xvfb did not start".to_owned());
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

/// The app's module graph: fails on any cycle in `src/` or import against the layers, and on a
/// browser crate in the domain's manifest.
pub fn layers(root: &Path) -> Result<(), String> {
    let graph = crate::layers::Graph::read(&root.join("src"))?;
    println!("src/: {}", graph.summary(&root.join("src")));
    let manifest = root.join("domain/Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut problems = graph.problems();
    problems.extend(crate::layers::domain_dependencies(&manifest));
    for problem in &problems {
        eprintln!("  {problem}");
    }
    if problems.is_empty() { Ok(()) } else { Err(format!("{} problems in the module layers", problems.len())) }
}

/// The benchmark (`e2e/src/bin/bench.rs`) against the bundle's precompressed site.
pub fn bench(tools: &Tools, runs: Option<String>) -> Result<(), String> {
    let tarball = bundle(tools)?;
    let site = tarball.with_extension("").with_extension("").join("site");
    let mut command = Command::new("cargo");
    command.args(["run", "--locked", "-q", "-p", "e2e", "--bin", "bench", "--"]).args(runs);
    run(command.current_dir(&tools.root).env("PATH", &tools.path).env("PORTIER_DIST", site))
}

/// The seeded chaos run against the release build (arguments as `e2e`'s `chaos` binary takes them).
pub fn chaos(tools: &Tools, args: impl Iterator<Item = String>) -> Result<(), String> {
    build_release(tools)?;
    let mut command = Command::new("cargo");
    command.args(["run", "--locked", "-q", "-p", "e2e", "--bin", "chaos", "--"]).args(args);
    run(command.current_dir(&tools.root).env("PATH", &tools.path).env("PORTIER_DIST", tools.root.join("dist")))
}

/// The example themes in `themes/`, by file stem, default first.
fn example_themes(root: &Path) -> Result<Vec<(String, serde_json::Value)>, String> {
    let mut themes = Vec::new();
    for file in files_in(&root.join("themes"))? {
        let text = std::fs::read_to_string(&file).map_err(|e| format!("read {}: {e}", file.display()))?;
        let value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        themes.push((file.file_stem().unwrap_or_default().to_string_lossy().into_owned(), value));
    }
    themes.sort_by_key(|(name, _)| name != "default");
    Ok(themes)
}

fn title_case(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Phone-sized screenshots of the demo, one per example theme, for the README.
pub fn screenshots(tools: &Tools) -> Result<(), String> {
    build_release(tools)?;
    let site_dir = tools.root.join("target/screenshot-site");
    copy_site(&tools.root.join("dist"), &site_dir)?;
    let out = tools.root.join("docs/screenshots");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let kisi = KisiSandbox::start(SandboxOptions::default()).await.map_err(|e| e.to_string())?;
        let site = StaticSite::start(&site_dir, 0).await.map_err(|e| e.to_string())?;
        // Each example theme, then the default look in German, in Arabic (right to left) and dark.
        let mut shots: Vec<(String, serde_json::Value, &str)> = example_themes(&tools.root)?
            .into_iter()
            .map(|(name, theme)| (format!("theme-{name}"), theme, "demo"))
            .collect();
        shots.push(("language-de".into(), serde_json::json!({}), "demo&lang=de"));
        shots.push(("language-ar".into(), serde_json::json!({}), "demo&lang=ar"));
        shots.push(("dark".into(), serde_json::json!({ "theme": { "mode": "dark" } }), "demo"));
        for (name, theme, fragment) in shots {
            let mut config = theme.clone();
            config["api_base"] = serde_json::json!(kisi.url());
            std::fs::write(site_dir.join("config.json"), config.to_string()).map_err(|e| e.to_string())?;
            let file = out.join(format!("{name}.png"));
            let profile = tools.root.join("target/screenshot-profile");
            let _ = std::fs::remove_dir_all(&profile);
            // Chromium blocks while it renders, so it runs on a blocking thread and the servers keep answering.
            let url = format!("{}#{fragment}", site.url());
            let mut chromium = Command::new(&tools.chromium);
            chromium
                .args(["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                .args(["--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"])
                .args(["--window-size=390,844", "--virtual-time-budget=6000"])
                .arg(format!("--user-data-dir={}", profile.display()))
                .arg(format!("--screenshot={}", file.display()))
                .arg(url);
            let status = tokio::task::spawn_blocking(move || chromium.output()).await.map_err(|e| e.to_string())?;
            let output = status.map_err(|e| format!("chromium: {e}"))?;
            if !output.status.success() {
                return Err(format!("chromium failed for {name}: {}", String::from_utf8_lossy(&output.stderr)));
            }
            println!("wrote {}", file.display());
        }
        Ok(())
    })
}
