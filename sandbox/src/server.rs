//! Running an axum router on loopback, recorded, until it is stopped or dropped.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::record::{RecordedRequest, Recorder, record};

/// One hold: the path prefix it covers, whether it has been released, and the status it answers
/// with meanwhile (`None`: it holds the answer back instead).
type HeldPath = (String, watch::Receiver<bool>, Option<StatusCode>);

/// Paths whose answers are held back until a test lets them go (see [`RunningServer::hold`]).
#[derive(Clone, Debug, Default)]
struct Holds {
    held: Arc<Mutex<Vec<HeldPath>>>,
}

/// Holds back every answer to a path starting with a prefix, so a test can see what the page does
/// before that answer, whatever the machine's speed; [`Hold::release`] (or dropping it) lets the
/// held requests and all later ones through. The request is recorded on arrival, before it waits.
#[derive(Debug)]
pub struct Hold {
    released: watch::Sender<bool>,
}

impl Hold {
    /// Lets the held requests, and every later one, be answered.
    pub fn release(self) {}
}

impl Drop for Hold {
    fn drop(&mut self) {
        let _ = self.released.send(true);
    }
}

/// Middleware: refuses while a refusal covers the request's path, and waits while a hold does.
async fn wait_while_held(State(holds): State<Holds>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let covering: Vec<HeldPath> = holds
        .held
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter(|(prefix, released, _)| path.starts_with(prefix.as_str()) && !*released.borrow())
        .cloned()
        .collect();
    if let Some(status) = covering.iter().find_map(|(_, _, refusal)| *refusal) {
        return status.into_response();
    }
    for (_, mut released, _) in covering {
        // An error means the hold is gone: released as well.
        let _ = released.wait_for(|done| *done).await;
    }
    next.run(request).await
}

/// A server bound to `127.0.0.1`. Dropping it stops it.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    recorder: Recorder,
    holds: Holds,
    task: JoinHandle<()>,
}

impl RunningServer {
    /// Binds `127.0.0.1:port` (`0` = any free port) and serves `router`, recording every request.
    pub async fn start(router: Router, port: u16) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let recorder = Recorder::default();
        let holds = Holds::default();
        // The recorder is the outermost layer so it also sees what inner layers answer themselves
        // (CORS preflights), and sees a held request when it arrives.
        let app = router
            .layer(from_fn_with_state(holds.clone(), wait_while_held))
            .layer(from_fn_with_state(recorder.clone(), record));
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("sandbox: server on {addr} stopped: {e}");
            }
        });
        Ok(RunningServer { addr, recorder, holds, task })
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

    /// Holds back the answers to every path starting with `path_prefix` until the returned
    /// [`Hold`] is released or dropped.
    pub fn hold(&self, path_prefix: &str) -> Hold {
        let (released, waiting) = watch::channel(false);
        self.holds.held.lock().unwrap_or_else(|e| e.into_inner()).push((path_prefix.to_owned(), waiting, None));
        Hold { released }
    }

    /// Answers every path starting with `path_prefix` with `status` alone until the returned
    /// [`Hold`] is released or dropped (a host that has lost a file, or is failing).
    pub fn refuse(&self, path_prefix: &str, status: StatusCode) -> Hold {
        let (released, waiting) = watch::channel(false);
        let refusal = (path_prefix.to_owned(), waiting, Some(status));
        self.holds.held.lock().unwrap_or_else(|e| e.into_inner()).push(refusal);
        Hold { released }
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
