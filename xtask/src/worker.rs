//! The offline and install files of the release build: the service worker (`sw.js`, its file list
//! written from the real output), the web app manifest and its icons.
//!
//! The worker's list is never written by hand: it is every file the page needs before it can run —
//! `index.html` as finally written (head start, policy) and Trunk's hashed files as minified — each
//! with its SHA-256 (the worker fetches with Subresource Integrity, so a host halfway through a new
//! deployment cannot mix builds in the cache). The build's cache name comes from those hashes, so a
//! new build is a new worker.
//!
//! The manifest and the icons are the operator's to edit, like `config.json` (no rebuild): the build
//! writes them once from the app's own defaults (the title, the built-in palette).

use std::path::Path;

use base64::Engine;
use portier::domain::config::theme::{Role, Scheme, default_palette};
use portier::services::storage::SCOPE_END;
use portier::services::worker::{CACHE_PREFIX, MANIFEST, SCRIPT, UNSCOPED_CACHE_PREFIX};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Where `worker/sw.js` wants this build's files.
const MARKER: &str = "/*portier:build*/null";

/// The page the worker answers navigations with.
const PAGE: &str = "index.html";

/// One file the worker keeps.
struct ShellFile {
    path: String,
    integrity: String,
}

/// The files of `dist` a visit needs before the page runs: the page and Trunk's hashed files.
fn shell_files(dist: &Path) -> Result<Vec<ShellFile>> {
    let mut names: Vec<String> = std::fs::read_dir(dist)
        .map_err(Error::read(dist))?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name == PAGE || is_hashed(name))
        .collect();
    names.sort();
    if !names.iter().any(|n| n == PAGE) || !names.iter().any(|n| n.ends_with(".wasm")) {
        return Err(Error::check(format!("{} has no {PAGE} or no app: build it first", dist.display())));
    }
    names
        .into_iter()
        .map(|path| {
            let file = dist.join(&path);
            let bytes = std::fs::read(&file).map_err(Error::read(&file))?;
            let integrity =
                format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&bytes)));
            Ok(ShellFile { path, integrity })
        })
        .collect()
}

/// Trunk's content-hashed output (`portier-<hex>.js`, `portier-<hex>_bg.wasm`, `portier-<hex>.css`),
/// the files the hosting configurations cache for a year.
pub fn is_hashed(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("portier-") else { return false };
    let Some((stem, extension)) = rest.rsplit_once('.') else { return false };
    let hex = stem.strip_suffix("_bg").unwrap_or(stem);
    matches!(extension, "js" | "wasm" | "css") && !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The worker's source with this build's files written in; returns it and the build's id (the
/// cache's name ends with it: `portier-shell:<scope>:<id>`, the scope known only where it runs).
pub fn render_worker(template: &str, dist: &Path) -> Result<(String, String)> {
    if template.matches(MARKER).count() != 1 {
        return Err(Error::check(format!("worker/sw.js must hold {MARKER} exactly once")));
    }
    let files = shell_files(dist)?;
    let mut build = Sha256::new();
    for file in &files {
        build.update(format!("{} {}\n", file.path, file.integrity));
    }
    let id: String = build.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    let listed: Vec<_> = files
        .iter()
        // The page is revalidated; the hashed files may come from the HTTP cache the visit just
        // filled (their names change with their bytes, and the integrity check holds either way).
        .map(|f| json!({ "path": f.path, "integrity": f.integrity, "revalidate": f.path == PAGE }))
        .collect();
    let shared = json!({
        "id": id,
        "prefix": CACHE_PREFIX,
        "unscopedPrefix": UNSCOPED_CACHE_PREFIX,
        "scopeEnd": SCOPE_END,
        "page": PAGE,
        "files": listed,
    });
    Ok((template.replacen(MARKER, &shared.to_string(), 1), id))
}

/// Writes `sw.js` (minified by `esbuild`), the manifest and the icons into `dist`.
pub fn write_offline_files(root: &Path, dist: &Path, esbuild: &Path) -> Result<()> {
    let template = root.join("worker/sw.js");
    let template = std::fs::read_to_string(&template).map_err(Error::read(&template))?;
    let (worker, id) = render_worker(&template, dist)?;
    let minified = crate::minify::minify_js(&worker, esbuild)?;
    println!("service worker {SCRIPT}: {} → {} B, build {id}", worker.len(), minified.len());
    write(&dist.join(SCRIPT), minified.as_bytes())?;
    let manifest = serde_json::to_string_pretty(&manifest()).map_err(Error::json(format!("write {MANIFEST}")))?;
    write(&dist.join(MANIFEST), manifest.as_bytes())?;
    let icons = dist.join("icons");
    std::fs::create_dir_all(&icons).map_err(Error::create(&icons))?;
    write(&icons.join("icon.svg"), icon_svg().as_bytes())?;
    for (name, size, maskable) in ICONS {
        let icon = icons.join(name);
        write(&icon, &icon_png(*size, *maskable).map_err(Error::file("draw", &icon))?)?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(Error::write(path))
}

/// The raster icons: (file, pixels, maskable). 192 and 512 are what Android and Chromium ask for.
const ICONS: &[(&str, u32, bool)] =
    &[("icon-192.png", 192, false), ("icon-512.png", 512, false), ("maskable-512.png", 512, true)];

/// The web app manifest, from the app's defaults: the page's English title, the built-in light
/// palette's background (the page itself sets `<meta name="theme-color">` from the configuration's
/// theme: `Theme::browser_colours`).
pub fn manifest() -> serde_json::Value {
    let palette = default_palette(Scheme::Light);
    let colour = |role: Role| palette[Role::ALL.iter().position(|r| *r == role).unwrap_or(0)].to_string();
    let title = english("page.title");
    let mut icons = vec![json!({ "src": "icons/icon.svg", "sizes": "any", "type": "image/svg+xml" })];
    for (name, size, maskable) in ICONS {
        icons.push(json!({
            "src": format!("icons/{name}"),
            "sizes": format!("{size}x{size}"),
            "type": "image/png",
            "purpose": if *maskable { "maskable" } else { "any" },
        }));
    }
    json!({
        "id": "./",
        "name": title,
        "short_name": "Doors",
        "description": "Open the doors your host shared with you.",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": colour(Role::Background),
        "theme_color": colour(Role::Background),
        "icons": icons,
    })
}

/// An English text of the app (`i18n/en.json`, which the app carries built in).
fn english(key: &str) -> String {
    let texts: serde_json::Value =
        serde_json::from_str(include_str!("../../i18n/en.json")).expect("i18n/en.json is JSON");
    texts[key].as_str().unwrap_or("Your doors").to_owned()
}

// The icon: a door (the text colour on the accent) with its handle, on the accent. One geometry,
// in a 100-unit square, for the SVG and the PNGs.
const CORNER: f64 = 22.0;
const DOOR: (f64, f64, f64, f64) = (32.0, 20.0, 36.0, 62.0);
const DOOR_CORNER: f64 = 3.0;
const HANDLE: (f64, f64, f64) = (60.0, 52.0, 3.5);
/// A maskable icon keeps what matters within the middle 80 % (the platform's safe zone).
const MASKABLE_SCALE: f64 = 0.8;

fn icon_svg() -> String {
    let palette = default_palette(Scheme::Light);
    let (accent, on_accent) = (palette[0], palette[1]);
    let (x, y, w, h) = DOOR;
    let (cx, cy, r) = HANDLE;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" rx="{CORNER}" fill="{accent}"/><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{DOOR_CORNER}" fill="{on_accent}"/><circle cx="{cx}" cy="{cy}" r="{r}" fill="{accent}"/></svg>
"##
    )
}

/// Whether (px, py) lies in the rectangle (x, y, w, h) with corners rounded by `r`.
fn in_rounded(px: f64, py: f64, (x, y, w, h): (f64, f64, f64, f64), r: f64) -> bool {
    if px < x || py < y || px > x + w || py > y + h {
        return false;
    }
    let dx = (x + r - px).max(px - (x + w - r)).max(0.0);
    let dy = (y + r - py).max(py - (y + h - r)).max(0.0);
    dx * dx + dy * dy <= r * r
}

/// The icon as a PNG of RGBA pixels, 4×4 samples per pixel. Encoding into memory fails only on
/// what png finds wrong with the image, which it converts to an `io::Error` (its message kept),
/// so the caller reports it like a failed write of the file.
fn icon_png(size: u32, maskable: bool) -> std::io::Result<Vec<u8>> {
    let palette = default_palette(Scheme::Light);
    let rgb = |c: portier::domain::config::colour::Colour| [c.r as f64, c.g as f64, c.b as f64];
    let (accent, on_accent) = (rgb(palette[0]), rgb(palette[1]));
    const SAMPLES: u32 = 4;
    let mut pixels = Vec::with_capacity((size * size * 4) as usize);
    for row in 0..size {
        for column in 0..size {
            let (mut colour, mut cover) = ([0.0; 3], 0.0);
            for sy in 0..SAMPLES {
                for sx in 0..SAMPLES {
                    let u = (column as f64 + (sx as f64 + 0.5) / SAMPLES as f64) * 100.0 / size as f64;
                    let v = (row as f64 + (sy as f64 + 0.5) / SAMPLES as f64) * 100.0 / size as f64;
                    let background = maskable || in_rounded(u, v, (0.0, 0.0, 100.0, 100.0), CORNER);
                    if !background {
                        continue;
                    }
                    // The glyph, shrunk into the safe zone on a maskable icon.
                    let scale = if maskable { MASKABLE_SCALE } else { 1.0 };
                    let (gu, gv) = ((u - 50.0) / scale + 50.0, (v - 50.0) / scale + 50.0);
                    let (cx, cy, r) = HANDLE;
                    let on_door =
                        in_rounded(gu, gv, DOOR, DOOR_CORNER) && (gu - cx) * (gu - cx) + (gv - cy) * (gv - cy) > r * r;
                    let sample = if on_door { on_accent } else { accent };
                    for (c, s) in colour.iter_mut().zip(sample) {
                        *c += s;
                    }
                    cover += 1.0;
                }
            }
            let alpha = cover / (SAMPLES * SAMPLES) as f64;
            let average = |c: f64| if cover > 0.0 { (c / cover).round() as u8 } else { 0 };
            pixels.extend([average(colour[0]), average(colour[1]), average(colour[2]), (alpha * 255.0).round() as u8]);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, size, size);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_trunks_hashed_files_are_hashed() {
        for name in ["portier-0a1b2c.js", "portier-0a1b2c_bg.wasm", "portier-ff.css"] {
            assert!(is_hashed(name), "{name}");
        }
        for name in ["portier-.js", "portier-xyz.js", "config.json", "sw.js", "portier-0a_bg.json", "index.html"] {
            assert!(!is_hashed(name), "{name}");
        }
    }

    #[test]
    fn the_worker_lists_every_file_of_the_build_with_its_hash() {
        let dist = tempfile_dir();
        std::fs::write(dist.join("index.html"), "<html>").unwrap();
        std::fs::write(dist.join("portier-00ff_bg.wasm"), [0, 97, 115, 109]).unwrap();
        std::fs::write(dist.join("portier-00ff.js"), "x").unwrap();
        std::fs::write(dist.join("config.json"), "{}").unwrap();
        let (worker, cache) = render_worker("const build = /*portier:build*/null;", &dist).unwrap();
        let json: serde_json::Value =
            serde_json::from_str(worker.strip_prefix("const build = ").unwrap().strip_suffix(';').unwrap()).unwrap();
        let paths: Vec<&str> = json["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
        assert_eq!(paths, ["index.html", "portier-00ff.js", "portier-00ff_bg.wasm"], "config.json is not the worker's");
        // printf 'x' | openssl dgst -sha256 -binary | base64
        assert_eq!(json["files"][1]["integrity"], "sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE=");
        assert_eq!(json["id"], cache.as_str());
        // Another build, another cache: the browser installs the new worker.
        std::fs::write(dist.join("portier-00ff.js"), "y").unwrap();
        assert_ne!(render_worker("const build = /*portier:build*/null;", &dist).unwrap().1, cache);
        std::fs::remove_dir_all(&dist).unwrap();
    }

    #[test]
    fn the_manifest_makes_the_page_installable() {
        let manifest = manifest();
        assert_eq!(manifest["display"], "standalone");
        assert_eq!(manifest["start_url"], "./");
        assert_eq!(manifest["theme_color"], "#f3f4f6", "the page's background, as <meta name=theme-color>");
        let icons = manifest["icons"].as_array().unwrap();
        assert!(icons.iter().any(|i| i["purpose"] == "maskable"));
        assert!(icons.iter().any(|i| i["type"] == "image/svg+xml"));
    }

    #[test]
    fn the_icon_is_the_door_on_the_accent() {
        let png = icon_png(64, false).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut pixels).unwrap();
        let at = |x: usize, y: usize| &pixels[(y * 64 + x) * 4..(y * 64 + x) * 4 + 4];
        assert_eq!(at(0, 0)[3], 0, "the rounded corner is transparent");
        assert_eq!(at(8, 32), [0x0b, 0x57, 0xd0, 255], "the accent around the door");
        assert_eq!(at(28, 40), [0xff, 0xff, 0xff, 255], "the door");
        let maskable = icon_png(64, true).unwrap();
        assert_ne!(maskable, icon_png(64, false).unwrap());
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("portier-worker-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
