//! `cargo xtask build` and `bundle`: the release site into `dist/` (its policy, sizes and budget),
//! and the operators' bundle around it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};
use crate::setup::{Tools, run};

/// `trunk build --release` into `dist/`, the Content-Security-Policy into its `index.html`, then the
/// size report. Returns the policy.
pub fn build_release(tools: &Tools) -> Result<String> {
    run(Command::new("trunk")
        .args(["build", "--release", "--offline"])
        .current_dir(&tools.root)
        .env("PATH", &tools.path)
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", without_build_paths()))?;
    check_no_build_paths(&tools.root.join("dist"))?;
    crate::minify::minify_assets(&tools.root.join("dist"), &tools.esbuild)?;
    let index = tools.root.join("dist/index.html");
    let html = std::fs::read_to_string(&index).map_err(Error::read(&index))?;
    // The head start gets the values it shares with the app, then the policy hashes it as shipped.
    let shared = serde_json::to_string(&portier::boot::head_start::shared())
        .map_err(Error::json("write the head start's shared values"))?;
    let html = portier::boot::head_start::render(&html, &shared).map_err(Error::Check)?;
    let html = crate::minify::minify_head_start(&html, &tools.esbuild)?;
    let (html, policy) = crate::csp::apply(&html)?;
    let html = with_generator(&html)?;
    std::fs::write(&index, html).map_err(Error::write(&index))?;
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
fn check_no_build_paths(dist: &Path) -> Result<()> {
    for file in files_in(dist)? {
        let bytes = std::fs::read(&file).map_err(Error::read(&file))?;
        if bytes.windows(b"/registry/src/".len()).any(|window| window == b"/registry/src/") {
            return Err(Error::check(format!("{} names a path of the build machine (/registry/src/)", file.display())));
        }
    }
    Ok(())
}

/// README.md's table of `config.json`'s keys (between its two markers): the operator guide carries
/// the same table, written once.
fn config_keys(root: &Path) -> Result<String> {
    let path = root.join("README.md");
    let readme = std::fs::read_to_string(&path).map_err(Error::read(&path))?;
    let start = "<!-- config.json keys: cargo xtask bundle copies this table into OPERATOR-GUIDE.md -->\n";
    let (_, rest) = readme
        .split_once(start)
        .ok_or_else(|| Error::check("README.md lost the start marker of its config.json table"))?;
    let (table, _) = rest
        .split_once("<!-- end of config.json keys -->")
        .ok_or_else(|| Error::check("README.md lost the end marker of its config.json table"))?;
    Ok(table.to_owned())
}

/// Copies every screenshot the operator guide shows (`](screenshots/<name>.png)`) from
/// `docs/screenshots/` into the bundle; fails on one that is not there, so the guide never shows a
/// broken image.
fn copy_screenshots(root: &Path, guide: &str, bundle: &Path) -> Result<()> {
    let names: Vec<&str> =
        guide.split("](screenshots/").skip(1).filter_map(|rest| rest.split_once(')').map(|(name, _)| name)).collect();
    if names.is_empty() {
        return Ok(());
    }
    let out = bundle.join("screenshots");
    std::fs::create_dir_all(&out).map_err(Error::create(&out))?;
    for name in names {
        let (from, to) = (root.join("docs/screenshots").join(name), out.join(name));
        std::fs::copy(&from, &to)
            .map_err(Error::copy(&from, &to))
            .map_err(|e| e.context(format!("the operator guide shows {name}")))?;
    }
    Ok(())
}

/// The release bundle: `target/bundle/portier-<version>/` and its `.tar.gz` and `.zip`, with the
/// site (precompressed), the host configurations (carrying this build's policy) and the operator
/// guide. Returns the `.tar.gz`.
pub fn bundle(tools: &Tools) -> Result<PathBuf> {
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
    std::fs::create_dir_all(&hosting).map_err(Error::create(&hosting))?;
    let config_keys = config_keys(&tools.root)?;
    for template in files_in(&tools.root.join("hosting"))? {
        let text = std::fs::read_to_string(&template).map_err(Error::read(&template))?;
        let text = text.replace("{{CONTENT_SECURITY_POLICY}}", &header_policy).replace("{{VERSION}}", portier::VERSION);
        let file_name = template.file_name().unwrap_or_default();
        if file_name == "OPERATOR-GUIDE.md" {
            copy_screenshots(&tools.root, &text, &dir)?;
            let guide = dir.join(file_name);
            std::fs::write(&guide, text.replace("{{CONFIG_KEYS}}", &config_keys)).map_err(Error::write(&guide))?;
            continue;
        }
        let target = hosting.join(file_name);
        std::fs::write(&target, text).map_err(Error::write(&target))?;
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
fn with_generator(html: &str) -> Result<String> {
    const CHARSET: &str = r#"<meta charset="utf-8" />"#;
    let at = html.find(CHARSET).ok_or_else(|| Error::check(format!("index.html has no {CHARSET}")))? + CHARSET.len();
    let generator = format!(r#"<meta name="generator" content="portier {}" />"#, portier::VERSION);
    Ok(format!("{}{generator}{}", &html[..at], &html[at..]))
}

/// The regular files directly inside `dir`, sorted.
pub fn files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(Error::read(dir))?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    files.sort();
    Ok(files)
}

/// Every file of the release build: (name, raw bytes, brotli bytes — what a phone downloads).
fn first_load_sizes(dist: &Path) -> Result<Vec<(String, u64, u64)>> {
    let mut sizes = Vec::new();
    for file in files_in(dist)? {
        let raw = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        let output =
            Command::new("brotli").args(["-c", "-q", "11"]).arg(&file).output().map_err(Error::run("brotli"))?;
        sizes.push((
            file.file_name().unwrap_or_default().to_string_lossy().into_owned(),
            raw,
            output.stdout.len() as u64,
        ));
    }
    Ok(sizes)
}

/// Prints every file of the release build, raw and brotli-compressed.
fn report_sizes(dist: &Path) -> Result<()> {
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
pub fn check_size_budget(root: &Path) -> Result<()> {
    let path = root.join("size-budget.json");
    let text = std::fs::read_to_string(&path).map_err(Error::read(&path))?;
    let budget: serde_json::Value =
        serde_json::from_str(&text).map_err(Error::json(format!("read {}", path.display())))?;
    let budget = budget["first_load_brotli_bytes"]
        .as_u64()
        .ok_or_else(|| Error::check("size-budget.json: no first_load_brotli_bytes"))?;
    let total: u64 = first_load_sizes(&root.join("dist"))?.iter().map(|(_, _, br)| br).sum();
    let limit = budget + budget / 20;
    println!("size budget: first load {total} B brotli; budget {budget} B, limit (+5 %) {limit} B");
    if total > limit {
        return Err(Error::check(format!(
            "the first load is {total} B brotli, over the budget of {budget} B + 5 % ({limit} B): find what grew \
             (`twiggy top`), or raise size-budget.json in a commit that says why"
        )));
    }
    Ok(())
}

pub fn copy_site(from: &Path, to: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).map_err(Error::create(to))?;
    for entry in std::fs::read_dir(from).map_err(Error::read(from))?.filter_map(Result::ok) {
        let (file, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().map_err(Error::read(&file))?;
        if kind.is_dir() {
            copy_site(&file, &target)?;
        } else if kind.is_file() {
            std::fs::copy(&file, &target).map_err(Error::copy(&file, &target))?;
        }
    }
    Ok(())
}
