//! The operator's workflow end to end: `portier-links` against the sandbox, then the visitor's side
//! in headless Chromium with the printed URL, then revocation.

use std::os::unix::fs::PermissionsExt;
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
    run(api, ("KISI_API_KEY", key), args)
}

/// Runs `portier-links --api <api> args…` with one credential (`(variable, value)`) in the
/// environment and no site from it.
fn run(api: &str, (variable, value): (&str, &str), args: &[&str]) -> Output {
    Command::new(tool())
        .arg("--api")
        .arg(api)
        .args(args)
        .env(variable, value)
        .env_remove("PORTIER_SITE")
        .output()
        .expect("run portier-links")
}

fn text(output: &Output) -> (String, String) {
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// Decodes the QR code in a PNG file.
fn decode_qr(path: &Path) -> String {
    let codes = decode_all(&image::open(path).expect("a PNG").to_luma8());
    assert_eq!(codes.len(), 1, "one QR code in {}", path.display());
    codes[0].clone()
}

/// Every QR code in `image`, decoded.
fn decode_all(image: &image::GrayImage) -> Vec<String> {
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(image.width() as usize, image.height() as usize, |x, y| {
            image.get_pixel(x as u32, y as u32).0[0]
        });
    prepared.detect_grids().iter().map(|grid| grid.decode().expect("a readable QR code").1).collect()
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
        // A QR code of an address without a scheme scans as text: a phone offers to search for it.
        (
            vec!["create", "--name", "Ada", "--group", "1", "--no-expiry", "--site", "doors.example.com"],
            "https:// address",
        ),
        (vec!["create", "--name", "Ada", "--group", "1", "--no-expiry", "--site", "https://d.example/?a#b"], "query"),
    ] {
        let output = links(&api, ADMIN_KEY, &args);
        let (_, stderr) = text(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    assert!(kisi.requests().is_empty(), "nothing was sent for bad input");

    // The API key travels with every request: never over plain http:// to anything but this machine.
    let output = links("http://kisi.example", ADMIN_KEY, &["list", "--group", "1"]);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--api must be"), "{stderr}");

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
    assert!(url.ends_with("&until=2099-12-31T17:00:00Z"), "the page is told the link's end, in UTC: {url}");
    assert_eq!(decode_qr(Path::new(created["qr_png"].as_str().unwrap())), url, "the QR code holds the visitor URL");
    // Each of these holds the secret: readable by the operator alone, whatever the umask.
    for file in ["qr_svg", "qr_png", "eml"] {
        let mode = std::fs::metadata(created[file].as_str().unwrap()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file} is written 0600");
    }
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
    let validity = page.wait_for("document.querySelector('.validity')?.textContent").await;
    assert!(
        validity.as_str().unwrap().starts_with("Works until") && validity.as_str().unwrap().contains("2099"),
        "{validity}"
    );
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
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), format!("portier-links {}", domain::release::VERSION));
}

#[tokio::test(flavor = "multi_thread")]
async fn door_posters_open_their_door_first_and_never_print_the_secret() {
    let harness = Harness::start().await;
    let api = harness.kisi.url();
    let site = harness.site.url();
    let out = TempDir::new().unwrap();
    let out_dir = out.path().to_string_lossy().into_owned();
    let created = links(
        &api,
        ADMIN_KEY,
        &[
            "--json",
            "create",
            "--name",
            "Door posters",
            "--group",
            "1",
            "--no-expiry",
            "--site",
            &site,
            "--out",
            &out_dir,
        ],
    );
    let created: Value = serde_json::from_str(&text(&created).0).expect("--json prints JSON");
    let url = created["visitor_url"].as_str().unwrap();
    let secret = url.split_once('#').unwrap().1.to_owned();
    let with_secret = |args: &[&str]| run(&api, ("KISI_LINK_SECRET", &secret), args);
    let listed: Value = serde_json::from_str(&text(&with_secret(&["--json", "doors"])).0).unwrap();
    let ids: Vec<String> = listed.as_array().unwrap().iter().take(3).map(|door| door["id"].to_string()).collect();
    assert_eq!(ids.len(), 3, "the sandbox's link opens doors: {listed}");

    let posters = out.path().join("posters.html");
    let posters_arg = posters.to_string_lossy().into_owned();
    let refused = with_secret(&["poster", "--site", &site, "--door", "999999", "--out", &posters_arg]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused).1);
    assert!(text(&refused).1.contains("does not open door(s) 999999"), "{}", text(&refused).1);
    assert!(!posters.exists(), "nothing written for a door the link does not open");

    let logo = out.path().join("logo.svg");
    std::fs::write(&logo, "<svg xmlns='http://www.w3.org/2000/svg' width='120' height='40'><rect width='120' height='40' fill='#0b57d0'/></svg>").unwrap();
    let mut args =
        vec!["--json", "poster", "--site", &site, "--lang", "de", "--paper", "letter", "--out", &posters_arg];
    let logo_arg = logo.to_string_lossy().into_owned();
    args.extend(["--logo", &logo_arg]);
    for id in &ids {
        args.extend(["--door", id]);
    }
    // An older posters.html, readable by everyone, is replaced by one that is not.
    std::fs::write(&posters, "old").unwrap();
    std::fs::set_permissions(&posters, std::fs::Permissions::from_mode(0o644)).unwrap();
    let output = with_secret(&args);
    assert!(output.status.success(), "{}", text(&output).1);
    let report: Value = serde_json::from_str(&text(&output).0).unwrap();
    assert_eq!(report["doors"].as_array().unwrap().len(), 3);
    let html = std::fs::read_to_string(&posters).unwrap();
    assert!(!html.contains(&secret), "the poster's HTML never carries the secret");
    let mode = std::fs::metadata(&posters).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "its QR codes scan: the file is its owner's only");

    // As printed: the page drawn by Chromium, each poster's QR code read from its pixels.
    let page = harness.open_url(&format!("file://{posters_arg}")).await;
    page.wait_for("[...document.images].every((image) => image.complete && image.naturalWidth > 0)").await;
    let words = page.eval("document.body.innerText").await;
    let words = words.as_str().unwrap();
    assert!(
        !words.contains(&secret) && !words.contains("secret=") && !words.contains("&door="),
        "no secret in the text layer: {words}"
    );
    assert_eq!(words.matches("Scannen, um diese Tür zu öffnen").count(), 3, "{words}");
    let boxes = page
        .eval(
            "[...document.querySelectorAll('section.poster')].map((poster) => { const box = poster.getBoundingClientRect(); \
             return { id: poster.dataset.doorId, x: box.x + scrollX, y: box.y + scrollY, width: box.width, height: box.height, \
             scale: devicePixelRatio } })",
        )
        .await;
    let shot = image::load_from_memory(&page.screenshot_png().await).unwrap().to_luma8();
    let boxes = boxes.as_array().unwrap();
    assert_eq!(boxes.len(), 3);
    let mut read = Vec::new();
    for poster in boxes {
        let at = |key: &str| (poster[key].as_f64().unwrap() * poster["scale"].as_f64().unwrap()).round() as u32;
        // Letter at 96 CSS px per inch: 816 × 1056.
        assert_eq!(
            (poster["width"].as_f64().unwrap().round(), poster["height"].as_f64().unwrap().round()),
            (816.0, 1056.0)
        );
        let crop = image::imageops::crop_imm(&shot, at("x"), at("y"), at("width"), at("height")).to_image();
        let codes = decode_all(&crop);
        assert_eq!(codes.len(), 1, "one QR code on the poster of door {}", poster["id"]);
        let fragment = domain::fragment::Fragment::parse(codes[0].split_once('#').unwrap().1);
        assert!(codes[0].starts_with(&site), "{}", codes[0]);
        assert_eq!(fragment.secret.map(|s| s.expose().to_owned()), Ok(secret.clone()));
        let id: u64 = poster["id"].as_str().unwrap().parse().unwrap();
        assert_eq!(fragment.door, Some(domain::door::DoorId(id)));
        read.push((id, codes[0].clone()));
    }
    assert_eq!(read.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>(), ids, "a page per door, in order");

    // Scanned: the page opens with that door on top.
    let (id, scanned) = &read[1];
    let visitor = harness.open_url(scanned).await;
    visitor.wait_for(&format!("document.querySelector('section.named li[data-door-id=\"{id}\"]') !== null")).await;
    harness.finish().await;
}

/// The tool shows a link's doors as the site does — `config.json`'s names and notes, hidden doors
/// left out (and refused a poster) — and `check` reads a `config.json` exactly as the page will,
/// before it is uploaded.
#[tokio::test(flavor = "multi_thread")]
async fn doors_and_posters_follow_the_sites_configuration_which_check_reads_as_the_page_does() {
    let harness = Harness::start().await;
    let api = harness.kisi.url();
    let site = harness.site.url();
    let out = TempDir::new().unwrap();
    let out_dir = out.path().to_string_lossy().into_owned();
    let args = ["create", "--name", "Ada Lovelace (visitor)", "--group", "1", "--no-expiry", "--site", &site];
    let created = links(&api, ADMIN_KEY, &[&["--json"], &args[..], &["--out", &out_dir]].concat());
    let created: Value = serde_json::from_str(&text(&created).0).expect("--json prints JSON");
    let secret = created["secret"].as_str().expect("the secret, labelled").to_owned();
    assert!(created["visitor_url"].as_str().unwrap().ends_with(&format!("#{secret}")), "{created}");
    let printed = text(&links(&api, ADMIN_KEY, &[&args[..], &["--out", &out_dir]].concat())).0;
    let line = printed.lines().find(|l| l.starts_with("Secret:")).unwrap_or_else(|| panic!("{printed}"));
    assert!(line.trim_start_matches("Secret:").trim().starts_with("gl"), "on its own line: {printed}");

    let with_secret = |args: &[&str]| run(&api, ("KISI_LINK_SECRET", &secret), args);
    let listed: Value = serde_json::from_str(&text(&with_secret(&["--json", "doors"])).0).unwrap();
    let ids: Vec<u64> = listed.as_array().unwrap().iter().map(|door| door["id"].as_u64().unwrap()).collect();
    let (renamed, hidden) = (ids[0], ids[1]);
    let site_dir = out.path().join("site");
    std::fs::create_dir(&site_dir).unwrap();
    let config = format!(
        r#"{{"doors": {{"{renamed}": {{"name": "Front door", "note": "Pull firmly"}}, "{hidden}": {{"hidden": true}}}}}}"#
    );
    std::fs::write(site_dir.join("config.json"), &config).unwrap();
    let dir = site_dir.to_string_lossy().into_owned();

    let shown = with_secret(&["doors", "--site-dir", &dir]);
    let (stdout, stderr) = text(&shown);
    assert!(shown.status.success(), "{stderr}");
    assert!(stdout.contains(&format!("{renamed:>8}  Front door  (")) && stdout.contains("— Pull firmly"), "{stdout}");
    assert!(!stdout.contains(&format!("{hidden:>8}  ")), "the hidden door is left out: {stdout}");
    assert!(stdout.contains(&format!("{} door(s).", ids.len() - 1)), "{stdout}");
    let all = text(&with_secret(&["doors", "--site-dir", &dir, "--include-hidden"])).0;
    assert!(
        all.lines().any(|l| l.starts_with(&format!("{hidden:>8}")) && l.ends_with("[hidden on the page]")),
        "{all}"
    );

    let posters = out.path().join("posters.html").to_string_lossy().into_owned();
    let config_file = site_dir.join("config.json").to_string_lossy().into_owned();
    let refused = with_secret(&[
        "poster",
        "--site",
        &site,
        "--config",
        &config_file,
        "--door",
        &hidden.to_string(),
        "--out",
        &posters,
    ]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused).1);
    assert!(text(&refused).1.contains(&format!("the site hides door(s) {hidden}")), "{}", text(&refused).1);
    let printed = with_secret(&["--json", "poster", "--site", &site, "--config", &config_file, "--out", &posters]);
    assert!(printed.status.success(), "{}", text(&printed).1);
    let report: Value = serde_json::from_str(&text(&printed).0).unwrap();
    let on_posters: Vec<u64> = report["doors"].as_array().unwrap().iter().map(|id| id.as_u64().unwrap()).collect();
    assert_eq!(on_posters, ids.iter().copied().filter(|id| *id != hidden).collect::<Vec<_>>());
    let html = std::fs::read_to_string(&posters).unwrap();
    assert!(html.contains("<h1>Front door</h1><p class=\"note\">Pull firmly</p>"), "the site's name and note");

    // `check`: 0 when every key is used, 1 with the keys that fall back, 2 for a file the page
    // refuses whole, with the place of the slip.
    let check = |text: &str| {
        std::fs::write(site_dir.join("config.json"), text).unwrap();
        let output = links(&api, ADMIN_KEY, &["check", &dir]);
        let (stdout, stderr) = self::text(&output);
        (output.status.code(), stdout + &stderr)
    };
    let (code, said) = check(&config);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("the page reads every key") && said.contains("https://api.kisi.io"), "{said}");
    let (code, said) = check(r#"{"unlocked_seconds": "five", "mystery": 1, "unlocked_seconds": 4.0}"#);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("1 warning(s)") && said.contains("\"mystery\""),
        "a repeated key counts once, 4.0 is whole: {said}"
    );
    let (code, said) = check("{\n  \"demo\": true,\n}\n");
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("is not valid JSON, at line 3, column 1: trailing comma"), "{said}");
    assert!(said.contains("This page's settings can't be read"), "what visitors would see: {said}");
    harness.finish().await;
}
