//! A static file server for the built site, as a plain static host would serve it: precompressed
//! `.br`/`.gz` files when the browser accepts them, every request line and `Referer` recorded.

use std::io;
use std::path::Path;

use axum::Router;
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
        let server = RunningServer::start(Router::new().fallback_service(files), port).await?;
        Ok(StaticSite { server })
    }

    /// `http://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("{}/", self.server.url())
    }

    /// Every request the site received (method, path, headers incl. `Referer`), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }
}
