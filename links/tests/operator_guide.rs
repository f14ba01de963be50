//! The operator guide, walked: the Linux commands of the bundle's `OPERATOR-GUIDE.md` (each block
//! marked `<!-- walk -->`), run in bash as written, in order, from the downloaded files to a visitor
//! through the door — against the Kisi sandbox and nginx on loopback, with the shipped HTTPS server
//! block and a certificate of the test's own.
//!
//! Only what the guide names as the operator's to change is changed, and the list is here:
//! - the site's address (`doors.example.com`) → `127.0.0.1` and a free port; nginx's `listen` lines
//!   (443 and 80) → that port and another on `127.0.0.1`;
//! - the web root (`/var/www/portier`), nginx's folder (`/etc/nginx`) and the certificate's
//!   (`/etc/letsencrypt`) → folders of a temporary directory;
//! - the group (`42`) → the sandbox's, the link's end → a year from now, Kisi's address → the
//!   sandbox (`KISI_API` for the tool, `api_base` in `config.json`: the guide's "edit");
//! - `sudo`, `nginx` and `systemctl` are small scripts on `PATH` that run nginx on those folders.
//!
//! The steps that are not commands (paste the API key into a file; edit `config.json`) the test
//! does itself. Each step's time is printed: the figures for how long the guide takes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use e2e::Harness;
use e2e::processes::survivors_of;
use sandbox::SandboxOptions;
use serde_json::json;
use tempfile::TempDir;

/// The tool as downloaded: this build's, or the static release binary (`PORTIER_LINKS_BIN`).
fn tool() -> PathBuf {
    std::env::var_os("PORTIER_LINKS_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_portier-links")), PathBuf::from)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn run(command: &mut Command) -> Output {
    let output = command.output().expect("run a command");
    assert!(output.status.success(), "{command:?}: {}", String::from_utf8_lossy(&output.stderr));
    output
}

/// The guide's walked blocks, in order, with `{{VERSION}}` as the bundle filled it.
fn walked_blocks(guide: &str) -> Vec<String> {
    guide
        .split("<!-- walk -->\n```sh\n")
        .skip(1)
        .map(|rest| rest.split("\n```").next().expect("the block ends").to_owned())
        .collect()
}

/// A machine to walk the guide on: folders for the operator's home, the web root, nginx and the
/// certificate, and the commands that stand in for the system's.
struct Machine {
    dir: TempDir,
    https: u16,
    http: u16,
    api: String,
    substitutions: Vec<(String, String)>,
}

impl Machine {
    fn new(api: &str, brotli_module: bool) -> Machine {
        let dir = TempDir::new().unwrap();
        let (https, http) = (free_port(), free_port());
        let at = |part: &str| dir.path().join(part);
        for folder in ["home/Downloads", "www", "etc-nginx/conf.d", "letsencrypt/live/127.0.0.1", "bin"] {
            std::fs::create_dir_all(at(folder)).unwrap();
        }
        let nginx_dir = at("etc-nginx");
        std::fs::copy("/etc/nginx/mime.types", nginx_dir.join("mime.types")).expect("nginx's mime.types");
        let load =
            if brotli_module { "load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;\n" } else { "" };
        let tmp = dir.path().display();
        // Debian's nginx.conf, reduced: conf.d/ included in the http block.
        std::fs::write(
            nginx_dir.join("nginx.conf"),
            format!(
                "{load}user root;\nworker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n\
                 http {{\n  include mime.types;\n  default_type application/octet-stream;\n  access_log {tmp}/access.log;\n\
                 client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n  fastcgi_temp_path {tmp}/fastcgi;\n\
                 uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n  include conf.d/*.conf;\n}}\n"
            ),
        )
        .unwrap();
        // The certificate "certbot" made for the address.
        let live = at("letsencrypt/live/127.0.0.1");
        run(Command::new("openssl")
            .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"])
            .args(["-addext", "subjectAltName=IP:127.0.0.1"])
            .arg("-keyout")
            .arg(live.join("privkey.pem"))
            .arg("-out")
            .arg(live.join("fullchain.pem")));
        let nginx = format!("/usr/sbin/nginx -p {0}/ -c {0}/nginx.conf", nginx_dir.display());
        let shims = [
            ("sudo", "exec \"$@\"".to_owned()),
            ("nginx", format!("exec {nginx} \"$@\"")),
            (
                "systemctl",
                format!(
                    "[ \"$*\" = \"reload nginx\" ] || exit 2\nif [ -s {tmp}/nginx.pid ] && kill -0 \"$(cat {tmp}/nginx.pid)\" 2>/dev/null; then exec {nginx} -s reload; else exec {nginx}; fi"
                ),
            ),
        ];
        for (name, body) in shims {
            let path = at("bin").join(name);
            std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            run(Command::new("chmod").arg("755").arg(&path));
        }
        let substitutions = vec![
            ("https://doors.example.com".to_owned(), format!("https://127.0.0.1:{https}")),
            ("doors.example.com".to_owned(), "127.0.0.1".to_owned()),
            ("/var/www/portier".to_owned(), format!("{tmp}/www/portier")),
            ("/etc/nginx".to_owned(), nginx_dir.display().to_string()),
            ("/etc/letsencrypt".to_owned(), format!("{tmp}/letsencrypt")),
            ("--group 42".to_owned(), "--group 1".to_owned()),
            ("2026-12-24T18:00:00+01:00".to_owned(), a_year_from_now()),
        ];
        Machine { dir, https, http, api: api.to_owned(), substitutions }
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// The bundle and the tool in `~/Downloads`, with their `.sha256`, as the releases page has
    /// them — the bundle's nginx.conf listening where this machine may.
    fn download(&self) -> String {
        let unpacked = self.dir.path().join("release");
        std::fs::create_dir_all(&unpacked).unwrap();
        run(Command::new("tar").arg("-xzf").arg(e2e::bundle_path()).arg("-C").arg(&unpacked));
        let name = std::fs::read_dir(&unpacked).unwrap().filter_map(Result::ok).map(|e| e.file_name()).next().unwrap();
        let name = name.to_string_lossy().into_owned();
        let conf = unpacked.join(&name).join("hosting/nginx.conf");
        let shipped = std::fs::read_to_string(&conf).unwrap();
        let listening = shipped
            .replace("    listen 443 ssl;\n", &format!("    listen 127.0.0.1:{} ssl;\n", self.https))
            .replace("    listen [::]:443 ssl;\n", "")
            .replace("    listen 80;\n", &format!("    listen 127.0.0.1:{};\n", self.http))
            .replace("    listen [::]:80;\n", "")
            .replace("/var/www/portier", &format!("{}/www/portier", self.dir.path().display()))
            .replace("/etc/letsencrypt", &format!("{}/letsencrypt", self.dir.path().display()));
        assert_eq!(listening.matches("listen 127.0.0.1:").count(), 2, "the shipped HTTPS and HTTP servers");
        std::fs::write(&conf, listening).unwrap();
        let downloads = self.home().join("Downloads");
        let tarball = format!("{name}.tar.gz");
        run(Command::new("tar").arg("-C").arg(&unpacked).arg("-czf").arg(downloads.join(&tarball)).arg(&name));
        let version = name.trim_start_matches("portier-");
        let tool_name = format!("portier-links-{version}-x86_64-unknown-linux-musl");
        std::fs::copy(tool(), downloads.join(&tool_name)).unwrap();
        for file in [&tarball, &tool_name] {
            let sum = run(Command::new("sha256sum").arg(file).current_dir(&downloads));
            std::fs::write(downloads.join(format!("{file}.sha256")), sum.stdout).unwrap();
        }
        name
    }

    /// Runs one of the guide's blocks in bash, as written but for the substitutions, in `dir`.
    fn walk(&self, block: &str, dir: &Path) -> Output {
        let mut script = block.to_owned();
        for (from, to) in &self.substitutions {
            script = script.replace(from, to);
        }
        let path = format!("{}:{}", self.dir.path().join("bin").display(), std::env::var("PATH").unwrap_or_default());
        Command::new("bash")
            .args(["-euo", "pipefail", "-c", &script])
            .current_dir(dir)
            .env("HOME", self.home())
            .env("PATH", path)
            .env("KISI_API", &self.api)
            .env_remove("KISI_API_KEY")
            .env_remove("KISI_LINK_SECRET")
            .env_remove("PORTIER_SITE")
            .output()
            .expect("run bash")
    }

    /// The certificate "certbot" made for the site's address.
    fn certificate(&self) -> PathBuf {
        self.dir.path().join("letsencrypt/live/127.0.0.1/fullchain.pem")
    }

    /// The response headers (lower case) of `path` on the site over HTTPS, trusting its certificate,
    /// with `Accept-Encoding: encodings`. nginx has no readiness signal: a refused connection is
    /// asked again, for at most 10 s.
    async fn https_headers(&self, path: &str, encodings: &str) -> String {
        let wait_until = Instant::now() + Duration::from_secs(10);
        loop {
            let output = Command::new("curl")
                .args(["-sS", "-D", "-", "-o", "/dev/null", "-H", &format!("Accept-Encoding: {encodings}")])
                .arg("--cacert")
                .arg(self.certificate())
                .arg(format!("https://127.0.0.1:{}/{path}", self.https))
                .output()
                .expect("run curl");
            if output.status.success() || Instant::now() > wait_until {
                return String::from_utf8_lossy(&output.stdout).to_lowercase();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// nginx's master, if it runs.
    fn nginx_pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.dir.path().join("nginx.pid")).ok()?.trim().parse().ok()
    }
}

impl Drop for Machine {
    /// nginx stopped, its workers with it (it runs as a daemon, in a process group of its own).
    fn drop(&mut self) {
        if let Some(pid) = self.nginx_pid() {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            let left = survivors_of(pid, Duration::from_secs(10));
            if !left.is_empty() && !std::thread::panicking() {
                panic!("nginx outlived the walk: {left:?}");
            }
        }
    }
}

fn a_year_from_now() -> String {
    let output = run(Command::new("date").args(["-d", "+1 year", "+%Y-%m-%dT%H:%M:%S+00:00"]));
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// From the downloaded files to a visitor through the door, every command of the guide as written.
#[tokio::test(flavor = "multi_thread")]
async fn the_operator_guide_runs_as_written_from_the_download_to_a_visitor_through_the_door() {
    let started = Instant::now();
    let mut times: Vec<(&str, Duration)> = Vec::new();
    let mut lap = Instant::now();
    let mut step = |name: &'static str, times: &mut Vec<(&str, Duration)>| {
        times.push((name, lap.elapsed()));
        lap = Instant::now();
    };
    let kisi = sandbox::KisiSandbox::start(SandboxOptions::default()).await.expect("the Kisi sandbox");
    let machine = Machine::new(&kisi.url(), true);
    let name = machine.download();
    let guide =
        std::fs::read_to_string(machine.dir.path().join("release").join(&name).join("OPERATOR-GUIDE.md")).unwrap();
    let blocks = walked_blocks(&guide);
    assert_eq!(blocks.len(), 6, "download, check, host, first link, doors, posters: {blocks:#?}");
    step("set up", &mut times);

    // 1. Download.
    let output = machine.walk(&blocks[0], &machine.home());
    assert!(output.status.success(), "download: {}", text(&output));
    assert!(
        text(&output).contains(": OK\n")
            && text(&output).contains(&format!("portier-links {}", domain::release::VERSION)),
        "{}",
        text(&output)
    );
    let bundle = machine.home().join("Downloads").join(&name);
    assert!(bundle.join("portier-links").is_file() && bundle.join("site/index.html").is_file());
    step("1. download", &mut times);

    // 2. Configure (the operator's edit: Kisi's address), then check.
    let config = bundle.join("site/config.json");
    std::fs::write(&config, json!({ "api_base": kisi.url(), "brand": { "name": "Acme Works" } }).to_string()).unwrap();
    let output = machine.walk(&blocks[1], &bundle);
    assert!(output.status.success(), "check: {}", text(&output));
    assert!(text(&output).contains("the page reads every key"), "{}", text(&output));
    step("2. configure and check", &mut times);

    // 3. Host: nginx with the shipped HTTPS server block.
    let output = machine.walk(&blocks[2], &bundle);
    assert!(output.status.success(), "host: {}", text(&output));
    assert!(text(&output).contains("test is successful"), "{}", text(&output));
    assert!(machine.nginx_pid().is_some(), "nginx runs");
    let certificate = machine.certificate();
    let site = format!("https://127.0.0.1:{}/", machine.https);
    let headers = machine.https_headers("portier-links-never", "br, gzip").await;
    assert!(headers.starts_with("http/1.1 404"), "a missing file is a 404 over HTTPS: {headers}");
    let index = machine.https_headers("", "br").await;
    assert!(index.contains("content-encoding: br") && index.contains("content-security-policy:"), "{index}");
    let plain = run(Command::new("curl")
        .args(["-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}"])
        .arg(format!("http://127.0.0.1:{}/", machine.http)));
    assert_eq!(String::from_utf8_lossy(&plain.stdout), format!("301 https://127.0.0.1/"), "plain HTTP goes to HTTPS");
    step("3. host (nginx, HTTPS)", &mut times);

    // 4. The first link (the API key is in a file, as the guide has the operator paste it).
    let key = machine.home().join("kisi-api-key");
    std::fs::write(&key, sandbox::group_links::ADMIN_KEY).unwrap();
    let output = machine.walk(&blocks[3], &bundle);
    assert!(output.status.success(), "first link: {}", text(&output));
    let said = text(&output);
    let url =
        said.lines().find_map(|line| line.strip_prefix("Visitor URL: ")).unwrap_or_else(|| panic!("{said}")).to_owned();
    assert!(url.starts_with(&site), "{url}");
    assert!(std::fs::read_to_string(bundle.join("test-link.secret")).unwrap().trim().starts_with("gl"));
    let output = machine.walk(&blocks[4], &bundle);
    assert!(output.status.success(), "doors: {}", text(&output));
    assert!(text(&output).contains("12 door(s)."), "{}", text(&output));
    step("4. first link and its doors", &mut times);

    // 5. Posters, named as the site names its doors.
    let named = json!({ "api_base": kisi.url(), "brand": { "name": "Acme Works" }, "doors": { "101": { "name": "Front door" }, "102": { "hidden": true } } });
    std::fs::write(&config, named.to_string()).unwrap();
    let output = machine.walk(&blocks[5], &bundle);
    assert!(output.status.success(), "posters: {}", text(&output));
    let posters = std::fs::read_to_string(bundle.join("posters.html")).expect("posters.html");
    assert_eq!(posters.matches("<section class=\"poster\"").count(), 11, "a page per door the site shows");
    assert!(
        posters.contains("<h1>Front door</h1>") && !posters.contains("data-door-id=\"102\""),
        "as the site shows them"
    );
    step("5. posters", &mut times);

    // The visitor: the printed URL in Chromium, trusting this machine's certificate.
    let spki = run(Command::new("sh").arg("-c").arg(format!(
        "openssl x509 -pubkey -noout -in {} | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64",
        certificate.display()
    )));
    let trust = format!("--ignore-certificate-errors-spki-list={}", String::from_utf8_lossy(&spki.stdout).trim());
    let harness = Harness::with_browser_args(SandboxOptions::default(), json!({}), &[trust]).await;
    let page = harness.open_url(&url).await;
    page.wait_for(&e2e::doors_shown(12)).await;
    page.tap("[data-door-id='101'] button").await;
    page.wait_for(&e2e::door_in_state(101, "unlocked")).await;
    let unlocks =
        kisi.requests().into_iter().filter(|r| r.method == "POST" && r.path_only() == "/locks/101/unlock").count();
    assert_eq!(unlocks, 1, "the visitor went through the door");
    harness.finish().await;
    step("a visitor through the door", &mut times);

    for (name, took) in &times {
        println!("  {name:<32} {:>6.1} s", took.as_secs_f64());
    }
    println!("  {:<32} {:>6.1} s", "the walk", started.elapsed().as_secs_f64());
}

/// Without nginx's brotli module: `nginx -t` says the directive is unknown, as the guide warns, and
/// its remedy (remove the snippet) serves the gzip copies.
#[tokio::test(flavor = "multi_thread")]
async fn without_the_brotli_module_the_guides_remedy_serves_the_gzip_copies() {
    let machine = Machine::new("http://127.0.0.1:9", false);
    let name = machine.download();
    let guide =
        std::fs::read_to_string(machine.dir.path().join("release").join(&name).join("OPERATOR-GUIDE.md")).unwrap();
    let blocks = walked_blocks(&guide);
    assert!(machine.walk(&blocks[0], &machine.home()).status.success());
    let bundle = machine.home().join("Downloads").join(&name);
    let output = machine.walk(&blocks[2], &bundle);
    assert!(!output.status.success(), "nginx -t refuses the brotli snippet without its module");
    assert!(text(&output).contains("unknown directive \"brotli_static\""), "as the guide says: {}", text(&output));
    let remedy = guide
        .lines()
        .find_map(|line| {
            line.split_once("`sudo rm ").map(|(_, rest)| format!("sudo rm {}", rest.split('`').next().unwrap()))
        })
        .expect("the guide's remedy");
    let output = machine.walk(&format!("{remedy}\nsudo nginx -t\nsudo systemctl reload nginx"), &bundle);
    assert!(output.status.success(), "{}", text(&output));
    let headers = machine.https_headers("", "br, gzip").await;
    assert!(headers.contains("content-encoding: gzip"), "{headers}");
}
