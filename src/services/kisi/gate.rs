//! Holding every request to the API until the site's configuration has confirmed the one the page
//! started from.
//!
//! A repeat visit starts from the configuration this device kept (see `boot`), and device storage
//! can be edited: the secret goes only to the API the site's own `config.json` names, so nothing
//! is sent until the site's copy has confirmed the kept one. If it does not, the gate closes and
//! every request fails as unexpected (the page reloads with the site's copy instead).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

#[derive(Debug)]
enum State {
    Open,
    Held(Vec<Waker>),
    Closed,
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

    /// Lets every held and later request through.
    pub fn open(&self) {
        self.settle(State::Open);
    }

    /// Refuses every held and later request.
    pub fn close(&self) {
        self.settle(State::Closed);
    }

    fn settle(&self, to: State) {
        let was = std::mem::replace(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()), to);
        if let State::Held(waiting) = was {
            waiting.into_iter().for_each(Waker::wake);
        }
    }

    /// Resolves once the gate is settled: `true` if requests may go.
    pub fn passed(&self) -> impl Future<Output = bool> + '_ {
        Passage(self)
    }
}

struct Passage<'a>(&'a RequestGate);

impl Future for Passage<'_> {
    type Output = bool;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<bool> {
        match &mut *self.0.0.lock().unwrap_or_else(|e| e.into_inner()) {
            State::Open => Poll::Ready(true),
            State::Closed => Poll::Ready(false),
            State::Held(waiting) => {
                if !waiting.iter().any(|w| w.will_wake(context.waker())) {
                    waiting.push(context.waker().clone());
                }
                Poll::Pending
            }
        }
    }
}
