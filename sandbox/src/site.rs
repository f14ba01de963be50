//! A static file server for the built site, as a plain static host would serve it: precompressed
//! `.br`/`.gz` files when the browser accepts them, the caching the hosting guide prescribes, every
//! request line and `Referer` recorded.

use std::io;
use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use axum::middleware::{Next, from_fn};
use axum::response::Response;
use tower_http::services::ServeDir;

use crate::record::RecordedRequest;
use crate::server::RunningServer;

/// A running static site. Dropping it stops it.
#[derive(Debug)]
pub struct StaticSite {
    server: RunningServer,
}

impl StaticSite {
    /// Serves `dir` on `127.0.0.1:port` (`0` = any free port).
    pub async fn start(dir: &Path, port: u16) -> io::Result<Self> {
        let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
        let router = Router::new().fallback_service(files).layer(from_fn(cache_policy));
        let server = RunningServer::start(router, port).await?;
        Ok(StaticSite { server })
    }

    /// `http://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("{}/", self.server.url())
    }

    /// Holds back every answer to a path starting with `path_prefix` (e.g. `/config.json`) until
    /// the returned hold is released.
    pub fn hold(&self, path_prefix: &str) -> crate::server::Hold {
        self.server.hold(path_prefix)
    }

    /// Answers every path starting with `path_prefix` with `status` until the returned hold is
    /// released (a host that lost the file, or is failing).
    pub fn refuse(&self, path_prefix: &str, status: u16) -> crate::server::Hold {
        let status = axum::http::StatusCode::from_u16(status).expect("an HTTP status");
        self.server.refuse(path_prefix, status)
    }

    /// Waits (at most `limit`) until the requests received so far satisfy `done`; whether they did.
    pub async fn wait_until(&self, limit: std::time::Duration, done: impl Fn(&[RecordedRequest]) -> bool) -> bool {
        self.server.recorder().wait_until(limit, done).await
    }

    /// Every request the site received (method, path, headers incl. `Referer`), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }
}

/// The caching of `hosting/` (nginx, Caddy, `_headers`): Trunk's hashed files forever, everything
/// else (the page, `config.json`) revalidated on every visit so an operator's edit shows at once.
async fn cache_policy(request: Request, next: Next) -> Response {
    let hashed = request.uri().path().starts_with("/portier-");
    let mut response = next.run(request).await;
    let policy = if hashed { "public, max-age=31536000, immutable" } else { "no-cache" };
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}
