//! Holding every request to the API until the site's configuration has confirmed the one the page
//! started from.
//!
//! A repeat visit starts from the configuration this device kept (see `boot`), and device storage
//! can be edited: the secret goes only to the API the site's own `config.json` names, so nothing
//! is sent until the site's copy has confirmed the kept one. If it does not, the gate closes and
//! every request fails as unexpected (the page reloads with the site's copy instead); if the site's
//! copy cannot be read at all, it closes with [`Problem::SiteSettings`], which the visitor is told.

// The waker list is written by hand: the same gate as futures' `Shared` over a `oneshot` (both
// already in the graph, through gloo-net) measured +997 B brotli of wasm.
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use or_poisoned::OrPoisoned;

use crate::domain::problem::Problem;

#[derive(Debug)]
enum State {
    Open,
    Held(Vec<Waker>),
    Closed(Problem),
}

/// A gate all of the page's requests pass. Clones share it.
#[derive(Clone, Debug)]
pub struct RequestGate(Arc<Mutex<State>>);

impl Default for RequestGate {
    /// An open gate: the configuration came from the site itself.
    fn default() -> Self {
        RequestGate(Arc::new(Mutex::new(State::Open)))
    }
}

impl RequestGate {
    /// A gate that holds requests until [`open`](Self::open) or [`close`](Self::close).
    pub fn held() -> Self {
        RequestGate(Arc::new(Mutex::new(State::Held(Vec::new()))))
    }

    /// A gate that refuses every request from the start, each failing with `problem`.
    pub fn closed(problem: Problem) -> Self {
        RequestGate(Arc::new(Mutex::new(State::Closed(problem))))
    }

    /// Lets every held and later request through.
    pub fn open(&self) {
        self.settle(State::Open);
    }

    /// Refuses every held and later request, each failing with `problem`.
    pub fn close(&self, problem: Problem) {
        self.settle(State::Closed(problem));
    }

    fn settle(&self, to: State) {
        let was = std::mem::replace(&mut *self.0.lock().or_poisoned(), to);
        if let State::Held(waiting) = was {
            waiting.into_iter().for_each(Waker::wake);
        }
    }

    /// Resolves once the gate is settled: `Ok` if requests may go, else what the visitor is told.
    pub fn passed(&self) -> impl Future<Output = Result<(), Problem>> + '_ {
        Settled(self)
    }
}

/// The future of [`RequestGate::passed`]: ready once the gate is open or closed.
struct Settled<'a>(&'a RequestGate);

impl Future for Settled<'_> {
    type Output = Result<(), Problem>;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Result<(), Problem>> {
        match &mut *self.0.0.lock().or_poisoned() {
            State::Open => Poll::Ready(Ok(())),
            State::Closed(problem) => Poll::Ready(Err(*problem)),
            State::Held(waiting) => {
                if !waiting.iter().any(|w| w.will_wake(context.waker())) {
                    waiting.push(context.waker().clone());
                }
                Poll::Pending
            }
        }
    }
}
