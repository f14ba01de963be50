//! Minifying the build's JavaScript glue and stylesheet with esbuild, keeping `index.html`'s
//! Subresource Integrity hashes true.
//!
//! Why not Trunk's own `minify`: its JavaScript minifier fails on the wasm-bindgen glue
//! (`RequiredTokenNotFound`) and leaves it as it was, and its HTML minifier drops the comment that
//! marks where the Content-Security-Policy goes. The file names keep Trunk's hashes: they name
//! the source, and minifying the same source always gives the same bytes.

use std::path::Path;
use std::process::Command;

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::error::{Error, Result};

/// Minifies every `portier-*.js` and `portier-*.css` in `dist` in place and updates their
/// `integrity` attributes in `dist/index.html`. `esbuild` is the binary setup installed.
///
/// A minifier that silently did nothing (or was never installed properly) would only show as a
/// size budget creeping up, so every file must come out smaller, and each is reported.
pub fn minify_assets(dist: &Path, esbuild: &Path) -> Result<()> {
    let index = dist.join("index.html");
    let mut html = std::fs::read_to_string(&index).map_err(Error::read(&index))?;
    let entries = std::fs::read_dir(dist).map_err(Error::read(dist))?;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with("portier-") || !(name.ends_with(".js") || name.ends_with(".css")) {
            continue;
        }
        let file = entry.path();
        let before = std::fs::read(&file).map_err(Error::read(&file))?;
        let output = Command::new(esbuild)
            .arg(&file)
            .args(["--minify", "--log-level=warning"])
            .output()
            .map_err(Error::run(format!("esbuild ({})", esbuild.display())))?;
        // Writing nothing is failing too: the file would be left empty.
        if !output.status.success() || output.stdout.is_empty() {
            return Err(Error::exit(format!("esbuild on {name}"), output.status, &output.stderr));
        }
        if output.stdout.len() >= before.len() {
            return Err(Error::check(format!(
                "esbuild did not shrink {name} ({} → {} B)",
                before.len(),
                output.stdout.len()
            )));
        }
        println!("minified {name}: {} → {} B", before.len(), output.stdout.len());
        let (old, new) = (integrity(&before), integrity(&output.stdout));
        if !html.contains(&old) {
            return Err(Error::check(format!("index.html has no integrity {old} for {name}")));
        }
        html = html.replace(&old, &new);
        std::fs::write(&file, &output.stdout).map_err(Error::write(&file))?;
    }
    std::fs::write(&index, html).map_err(Error::write(&index))
}

/// `index.html` with its head start (the first inline `<script>`, already given its shared values)
/// minified by esbuild: it is the largest part of the page's HTML, and the policy hashes it as
/// shipped. The readable source stays in `index.html`.
pub fn minify_head_start(html: &str, esbuild: &Path) -> Result<String> {
    let start =
        html.find("<script>").ok_or_else(|| Error::check("index.html has no inline head start"))? + "<script>".len();
    let end = start
        + html[start..].find("</script>").ok_or_else(|| Error::check("index.html: the head start is not closed"))?;
    let minified = minify_js(&html[start..end], esbuild)?;
    println!("minified the head start: {} → {} B", end - start, minified.len());
    Ok(format!("{}{minified}{}", &html[..start], &html[end..]))
}

/// `script` minified by esbuild (which must make it smaller, or something is wrong with it).
pub fn minify_js(script: &str, esbuild: &Path) -> Result<String> {
    let program = format!("esbuild ({})", esbuild.display());
    let mut child = Command::new(esbuild)
        .args(["--minify", "--log-level=warning", "--loader=js"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(Error::run(&program))?;
    use std::io::Write;
    // The pipe is a temporary, closed at the end of the statement, so esbuild sees the end of its input.
    child
        .stdin
        .take()
        .ok_or_else(|| Error::check(format!("{program} was started without a stdin")))?
        .write_all(script.as_bytes())
        .map_err(Error::run(&program))?;
    let output = child.wait_with_output().map_err(Error::run(&program))?;
    if !output.status.success() || output.stdout.is_empty() {
        return Err(Error::exit(program, output.status, &output.stderr));
    }
    let minified = String::from_utf8(output.stdout)
        .map_err(|e| Error::check(format!("{program} wrote a script that is not UTF-8: {e}")))?;
    let minified = minified.trim_end();
    if minified.len() >= script.len() {
        return Err(Error::check("esbuild did not shrink a script"));
    }
    Ok(minified.to_owned())
}

/// The Subresource Integrity value Trunk writes: `sha384-` and the base64 of the digest.
fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_is_sha384_in_base64() {
        // printf 'alert(1)' | openssl dgst -sha384 -binary | base64
        assert_eq!(integrity(b"alert(1)"), "sha384-HT2E9NfWiuQ/w1PRai+hTyqW16NIoCGA/m8VQDUopfAtcz6YQjtsMmQd5uRbVDpW");
    }
}
