//! nginx serving the release bundle with its shipped `hosting/nginx.conf`, on a free loopback port:
//! for the hosting tests and the benchmark's same-origin route to Kisi.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::processes::ProcessGroup;

/// nginx serving a copy of a bundle's site; killed on drop, its workers with it.
pub struct Nginx {
    process: ProcessGroup,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// The site nginx serves (a copy: its `config.json` is this server's).
    pub site: PathBuf,
    /// Where nginx writes `access.log` and `error.log`.
    pub logs: PathBuf,
    _dir: TempDir,
}

impl Nginx {
    /// The id of nginx's process group (its master and workers), to check that none outlives it.
    pub fn process_group(&self) -> u32 {
        self.process.id()
    }
}

impl Nginx {
    /// Serves a copy of `bundle`'s `site/` (an unpacked bundle: `site/` and `hosting/`) with
    /// `config` as its `config.json` and the shipped server block; with `kisi_route`, its optional
    /// `/kisi/` route switched on (as the operator would: the `# ` removed) and forwarding there
    /// instead of Kisi.
    pub async fn serve(bundle: &Path, config: &str, kisi_route: Option<&str>) -> Nginx {
        let nginx = Path::new("/usr/sbin/nginx");
        assert!(nginx.exists(), "nginx is not installed — `cargo xtask setup` installs it");
        let dir = TempDir::new().unwrap();
        let site = dir.path().join("site");
        let status = Command::new("cp").arg("-r").arg(bundle.join("site")).arg(&site).status().unwrap();
        assert!(status.success(), "copy the bundle's site");
        std::fs::write(site.join("config.json"), config).unwrap();

        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let shipped = std::fs::read_to_string(bundle.join("hosting/nginx.conf")).unwrap();
        // Plain HTTP on a loopback port: the shipped HTTPS server block without its certificate,
        // and without the block that sends port 80 to it. (The operator guide's walk,
        // `e2e/tests/operator_guide.rs`, serves the shipped HTTPS as it is.)
        let redirect = shipped.find("server {\n    listen 80;").expect("the shipped config sends HTTP to HTTPS");
        let redirect_end = redirect + shipped[redirect..].find("\n}\n").expect("its block ends") + "\n}\n".len();
        let server = format!("{}{}", &shipped[..redirect], &shipped[redirect_end..])
            .replace("    listen 443 ssl;\n", &format!("    listen 127.0.0.1:{port};\n"))
            .replace("    listen [::]:443 ssl;\n", "")
            .replace("root /var/www/portier;", &format!("root {};", site.display()));
        let server: String =
            server.lines().filter(|line| !line.starts_with("    ssl_")).map(|line| format!("{line}\n")).collect();
        assert!(
            server.contains(&format!("listen 127.0.0.1:{port};"))
                && server.contains(&format!("root {};", site.display())),
            "the shipped config has the listen/root lines this test adapts"
        );
        // The brotli module is loaded below: its snippet goes where the shipped block includes it.
        std::fs::create_dir_all(dir.path().join("snippets")).unwrap();
        std::fs::copy(bundle.join("hosting/nginx-brotli.conf"), dir.path().join("snippets/portier-brotli.conf"))
            .expect("the bundle's nginx-brotli.conf");
        let server = match kisi_route {
            None => server,
            Some(upstream) => {
                let start = server.find("    # location ^~ /kisi/ {").expect("the shipped config has the /kisi/ route");
                let end = start + server[start..].find("\n    # }\n").expect("the route ends") + "\n    # }\n".len();
                let route = server[start..end].replace("    # ", "    ").replace("https://api.kisi.io", upstream);
                // The route's rate limit lives at the http level, commented out with it.
                format!("{}{route}{}", &server[..start], &server[end..])
                    .replace("\n# limit_req_zone ", "\nlimit_req_zone ")
            }
        };
        std::fs::write(dir.path().join("portier.conf"), server).unwrap();
        let brotli = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";
        let tmp = dir.path().display();
        let main = format!(
            "load_module {brotli};\nuser root;\nworker_processes 1;\ndaemon off;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n\
             events {{}}\nhttp {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log {tmp}/access.log;\n\
             client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n  fastcgi_temp_path {tmp}/fastcgi;\n\
             uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n  include {tmp}/portier.conf;\n}}\n"
        );
        std::fs::write(dir.path().join("nginx.conf"), main).unwrap();
        // In a group of its own: killing the master alone would leave its workers running.
        let mut process = ProcessGroup::spawn(
            Command::new(nginx)
                .arg("-p")
                .arg(dir.path())
                .arg("-c")
                .arg(dir.path().join("nginx.conf"))
                .stdout(Stdio::null())
                .stderr(Stdio::inherit()),
        )
        .expect("start nginx");
        let url = format!("http://127.0.0.1:{port}");
        // nginx has no readiness signal: poll the port, bounded.
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(
                process.child().try_wait().unwrap().is_none(),
                "nginx refused the configuration (its message is above)"
            );
            assert!(started.elapsed() < Duration::from_secs(10), "nginx did not start; see {tmp}/error.log");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Nginx { process, url, site, logs: dir.path().to_owned(), _dir: dir }
    }
}
