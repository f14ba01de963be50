//! Running an axum router on loopback, recorded, until it is stopped or dropped.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use axum::Router;
use axum::middleware::from_fn_with_state;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::record::{RecordedRequest, Recorder, record};

/// A server bound to `127.0.0.1`. Dropping it stops it.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    recorder: Recorder,
    task: JoinHandle<()>,
}

impl RunningServer {
    /// Binds `127.0.0.1:port` (`0` = any free port) and serves `router`, recording every request.
    pub async fn start(router: Router, port: u16) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let recorder = Recorder::default();
        // The recorder is the outermost layer so it also sees what inner layers answer themselves
        // (CORS preflights).
        let app = router.layer(from_fn_with_state(recorder.clone(), record));
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("sandbox: server on {addr} stopped: {e}");
            }
        });
        Ok(RunningServer { addr, recorder, task })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.recorder.requests()
    }

    /// The recorder, to await requests.
    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        // Aborting (rather than a graceful shutdown) closes the listener and every kept-alive
        // browser connection at once, so a test never waits on an idle socket.
        self.task.abort();
    }
}
