//! portier — a landing page for Kisi access links.
//!
//! The modules follow the visitor's path: the [`fragment`] yields the secret, [`api`] fetches the
//! doors and unlocks them, [`door`] and [`unlock`] hold the state, and [`view`] shows it.

pub mod actions;
pub mod api;
pub mod config;
pub mod crash;
pub mod csp;
pub mod door;
pub mod fragment;
pub mod presence;
pub mod session;
pub mod unlock;
pub mod view;

use leptos::prelude::*;

use api::KisiClient;
use config::SiteConfig;
use view::{DoorsPage, HelpScreen};

/// The whole page: the help screen without a usable secret, the doors with one. Follows
/// `hashchange`, so opening a new link in the same tab works.
#[component]
pub fn App(
    /// The deployment's configuration (API base, …).
    config: SiteConfig,
) -> impl IntoView {
    let secret = RwSignal::new(session::current_secret());
    let on_hash_change = window_event_listener(leptos::ev::hashchange, move |_| secret.set(session::current_secret()));
    on_cleanup(move || on_hash_change.remove());
    let presence = presence::watch();

    view! {
        <main class="page">
            <Show when=move || !presence.online.get()>
                <p class="offline" role="status">
                    "You're offline. Your doors will reload when the connection is back."
                </p>
            </Show>
            {move || match secret.get() {
                Ok(secret) => {
                    let client = KisiClient::new(&config.api_base, secret).with_timeout(config.request_timeout);
                    view! { <DoorsPage client refresh=presence.refresh /> }.into_any()
                }
                Err(reason) => view! { <HelpScreen reason /> }.into_any(),
            }}
        </main>
    }
}

/// Replaces the static skeleton of `index.html` with the live page.
pub fn mount(config: SiteConfig) {
    csp::allow_connections_only_to(config.api_origin());
    if let Some(skeleton) = document().get_element_by_id("skeleton") {
        skeleton.remove();
    }
    leptos::mount::mount_to_body(move || view! { <App config /> });
}
