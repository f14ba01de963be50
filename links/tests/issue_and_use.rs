//! The operator's workflow end to end: `portier-links` against the sandbox, then the visitor's side
//! in headless Chromium with the printed URL, then revocation.

use std::path::Path;
use std::process::{Command, Output};

use e2e::Harness;
use serde_json::Value;
use tempfile::TempDir;

const ADMIN_KEY: &str = sandbox::group_links::ADMIN_KEY;

/// The binary under test: this build's, or the one `PORTIER_LINKS_BIN` names (`cargo xtask test`
/// runs these tests once more against the static release binary it built).
fn tool() -> String {
    std::env::var("PORTIER_LINKS_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_portier-links").to_owned())
}

/// Runs `portier-links --api <api> args…` with the API key in the environment.
fn links(api: &str, key: &str, args: &[&str]) -> Output {
    Command::new(tool())
        .arg("--api")
        .arg(api)
        .args(args)
        .env("KISI_API_KEY", key)
        .env_remove("PORTIER_SITE")
        .output()
        .expect("run portier-links")
}

fn text(output: &Output) -> (String, String) {
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// Decodes the QR code in a PNG file.
fn decode_qr(path: &Path) -> String {
    let image = image::open(path).expect("a PNG").to_luma8();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(image.width() as usize, image.height() as usize, |x, y| {
            image.get_pixel(x as u32, y as u32).0[0]
        });
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in {}", path.display());
    grids[0].decode().expect("a readable QR code").1
}

#[tokio::test(flavor = "multi_thread")]
async fn input_is_checked_before_anything_is_sent_and_kisis_refusals_read_plainly() {
    let kisi = sandbox::KisiSandbox::start(sandbox::SandboxOptions::default()).await.unwrap();
    let api = kisi.url();
    for (args, expected) in [
        (
            vec!["create", "--name", " ", "--group", "1", "--no-expiry", "--site", "https://d.example"],
            "--name is required",
        ),
        (vec!["create", "--name", "Ada", "--group", "1", "--site", "https://d.example"], "every link expires"),
        (
            vec!["create", "--name", "Ada", "--group", "1", "--valid-until", "tomorrow", "--site", "https://d.example"],
            "ISO 8601",
        ),
        (vec!["create", "--name", "Ada", "--group", "1", "--no-expiry"], "--site"),
    ] {
        let output = links(&api, ADMIN_KEY, &args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    assert!(kisi.requests().is_empty(), "nothing was sent for bad input");

    let output = links(
        &api,
        ADMIN_KEY,
        &["create", "--name", "Ada", "--group", "42", "--no-expiry", "--site", "https://d.example"],
    );
    assert_eq!(text(&output).1.trim(), "portier-links: Kisi rejected the link: group_id is invalid");
    assert_eq!(output.status.code(), Some(1));

    let output = links(&api, "not-the-key", &["list", "--group", "1"]);
    let (stdout, stderr) = text(&output);
    assert!(stderr.contains("Kisi refused the credentials (401"), "{stderr}");
    assert!(!stdout.contains("not-the-key") && !stderr.contains("not-the-key"), "the API key is never printed");

    let output =
        Command::new(tool()).args(["--api", &api, "list", "--group", "1"]).env_remove("KISI_API_KEY").output().unwrap();
    assert!(text(&output).1.contains("no API key: set KISI_API_KEY"), "{}", text(&output).1);
    let sent = kisi.requests();
    assert!(sent.iter().all(|r| r.header("authorization").is_some_and(|a| a.starts_with("KISI-LOGIN "))));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_created_link_opens_doors_until_it_is_revoked() {
    let harness = Harness::start().await;
    let api = harness.kisi.url();
    let site = harness.site.url();
    let out = TempDir::new().unwrap();

    let out_dir = out.path().to_string_lossy().into_owned();
    let until = "2099-12-31T18:00:00+01:00";
    let create = [
        "--json",
        "create",
        "--name",
        "Ada Lovelace",
        "--group",
        "1",
        "--valid-until",
        until,
        "--site",
        &site,
        "--eml",
        "--out",
        &out_dir,
    ];
    let output = links(&api, ADMIN_KEY, &create);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let created: Value = serde_json::from_str(&stdout).expect("--json prints JSON");
    let url = created["visitor_url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("{site}#gl")), "{url}");
    assert_eq!(decode_qr(Path::new(created["qr_png"].as_str().unwrap())), url, "the QR code holds the visitor URL");
    let draft = std::fs::read_to_string(created["eml"].as_str().unwrap()).unwrap();
    assert!(draft.contains("Content-ID: <qr@portier>") && draft.contains("multipart/alternative"));
    let create = harness.api_calls("POST", "/group_links");
    assert_eq!(create.len(), 1);
    let body: Value = serde_json::from_str(&create[0].body).unwrap();
    assert_eq!(body["group_link"]["name"], "Ada Lovelace");
    assert_eq!(body["group_link"]["valid_until"], "2099-12-31T18:00:00+01:00");

    let listed: Value =
        serde_json::from_str(&text(&links(&api, ADMIN_KEY, &["--json", "list", "--group", "1"])).0).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], created["id"]);

    let page = harness.open_url(&url).await;
    page.wait_for("document.querySelectorAll('li.door[data-door-id]').length === 12").await;
    page.tap("[data-door-id='101'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"101\"]').dataset.state === 'unlocked'").await;

    let id = created["id"].to_string();
    let revoked = links(&api, ADMIN_KEY, &["revoke", &id]);
    assert!(revoked.status.success(), "{}", text(&revoked).1);
    page.page.reload().await.expect("reload");
    let shown = page.wait_for("document.querySelector('[data-problem=link_invalid] h1')?.textContent").await;
    assert_eq!(shown, "This access link doesn't work");
    harness.finish().await;
}

#[test]
fn the_tool_says_which_release_it_is() {
    let output = Command::new(tool()).arg("--version").output().unwrap();
    assert!(output.status.success());
    // The workspace's version: the same the site shows in its <meta name="generator">.
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), format!("portier-links {}", portier::VERSION));
}
