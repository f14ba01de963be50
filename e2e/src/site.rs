//! The release build of portier, deployed into a folder of its own as an operator deploys it: the
//! build's files, and a `config.json` pointing at the sandbox.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

/// The release bundle's `.tar.gz` built by `cargo xtask test` (or `cargo xtask bundle`):
/// `PORTIER_BUNDLE`, or the one in `target/bundle/`.
pub fn bundle_path() -> PathBuf {
    let path = std::env::var_os("PORTIER_BUNDLE").map(PathBuf::from).unwrap_or_else(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bundle");
        std::fs::read_dir(&dir)
            .ok()
            .and_then(|entries| {
                entries.filter_map(Result::ok).map(|e| e.path()).find(|p| p.to_string_lossy().ends_with(".tar.gz"))
            })
            .unwrap_or_else(|| dir.join("portier.tar.gz"))
    });
    assert!(path.is_file(), "no bundle at {} — run `cargo xtask bundle` (cargo xtask test does)", path.display());
    path
}

/// Where the release build is: `PORTIER_DIST`, or `dist/` at the workspace root.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("PORTIER_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}

/// The path the site serves the app's wasm at (Trunk's hashed `/portier-…_bg.wasm`) in the deployed
/// `site_dir`: what a test holds back to keep the app from running.
pub fn app_wasm_path(site_dir: &Path) -> String {
    let name = std::fs::read_dir(site_dir)
        .expect("the site")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .find(|name| name.ends_with("_bg.wasm"))
        .expect("the app's wasm");
    format!("/{name}")
}

/// Copies the release build into a fresh directory and points its `config.json` at the sandbox,
/// exactly as an operator deploys it.
pub(crate) fn deploy_site(api_base: &str, extra: Value) -> TempDir {
    let dir = TempDir::new().expect("a site directory");
    deploy_into(dir.path(), api_base, extra);
    dir
}

/// Copies the release build into `dir` with its `config.json`: the API and `extra` merged in.
pub(crate) fn deploy_into(dir: &Path, api_base: &str, extra: Value) {
    let dist = dist_dir();
    assert!(
        dist.join("index.html").is_file(),
        "no release build in {} — run `cargo xtask test` (it builds one)",
        dist.display()
    );
    copy_dir(&dist, dir);
    let mut config = serde_json::json!({ "api_base": api_base });
    if let (Some(config), Some(extra)) = (config.as_object_mut(), extra.as_object()) {
        config.extend(extra.clone());
    }
    std::fs::write(dir.join("config.json"), config.to_string()).expect("write config.json");
}

/// Copies every file under `from` (folders too, e.g. `i18n/`) into `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a site folder");
    for entry in std::fs::read_dir(from).expect("read dist") {
        let entry = entry.expect("a dist entry");
        let kind = entry.file_type().expect("a dist entry's type");
        if kind.is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy a dist file");
        }
    }
}
