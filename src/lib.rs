//! portier — a landing page for Kisi access links.
//!
//! The code is in layers, each importing only those before it (`ARCHITECTURE.md` has the map):
//!
//! * [`domain`] — what a link, a door, an unlock and a configuration are: plain types and rules,
//!   no browser, tested on the host;
//! * [`services`] — the Kisi client, storage, the site's files, the texts, the door list's source:
//!   everything that touches the browser or the network;
//! * [`boot`] — starting the page: configuration, language, policy, theme;
//! * [`view`](mod@view) — the components, which render state and forward events.

pub mod boot;
/// The domain crate, where the app's modules find it (`crate::domain::…`).
pub use ::domain;
pub mod services;
pub mod view;

pub use domain::release::VERSION;

/// Starts the page: [`boot::start`], then the views over the static skeleton, each a task of its
/// own (see [`services::main_thread`]).
pub async fn run() {
    if !boot::browser_can_run() {
        return;
    }
    let site = boot::start().await;
    services::main_thread::yield_to_browser().await;
    view::mount(site);
}
