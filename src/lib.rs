//! portier — a landing page for Kisi access links.
//!
//! The modules follow the visitor's path: the [`fragment`] yields the secret, [`api`] fetches the
//! doors and unlocks them, [`door`] and [`unlock`] hold the state, and [`view`](mod@view) shows it.

pub mod actions;
pub mod api;
pub mod config;
pub mod crash;
pub mod csp;
pub mod door;
pub mod door_cache;
pub mod fragment;
pub mod i18n;
pub mod json;
pub mod presence;
pub mod session;
pub mod site_cache;
pub mod unlock;
pub mod view;

use leptos::prelude::*;

use api::KisiClient;
use config::{Brand, SiteConfig, logo_origin};
use leptos::task::spawn_local;
use view::{BrandHeader, ConfigWarnings, DoorsPage, HelpScreen, ThemeSwitcher};

/// The whole page: the help screen without a usable secret, the doors with one. Follows
/// `hashchange`, so opening a new link in the same tab works.
#[component]
pub fn App(
    /// The deployment's configuration (API base, theme, texts, …).
    config: SiteConfig,
    /// Problems found in the configuration; listed on screen in demo mode.
    #[prop(optional)]
    warnings: Vec<String>,
) -> impl IntoView {
    let secret = RwSignal::new(session::current_secret());
    let on_hash_change = window_event_listener(leptos::ev::hashchange, move |_| secret.set(session::current_secret()));
    on_cleanup(move || on_hash_change.remove());
    let presence = presence::watch();
    let texts = config.texts_for(i18n::code());
    document().set_title(&texts.title.clone().unwrap_or_else(|| i18n::t("page.title")));
    let (brand, set_brand) = signal(config.brand.clone());
    provide_context(config.clone());
    let (announcement, announce) = signal(String::new());
    provide_context(view::Announcer(announce));

    // Zero-config branding: without a configured name, the organization's name and logo. A failure
    // here changes nothing: the doors never wait for it.
    let unbranded = config.brand.name.is_none() && config.brand.logo.is_none();
    Effect::new({
        let config = config.clone();
        move |_| {
            if let (true, Ok(secret)) = (unbranded, secret.get()) {
                let client = KisiClient::new(&config.api_base, secret).with_timeout(config.request_timeout);
                spawn_local(async move {
                    if let Ok(organization) = client.fetch_organization().await {
                        csp::allow_images_only_from(organization.logo.as_deref().and_then(logo_origin));
                        set_brand.set(Brand { name: Some(organization.name), logo: organization.logo });
                    }
                });
            }
        }
    });

    let demo = config.demo.then(|| {
        let themes = config.demo_themes.clone();
        view! {
            <ConfigWarnings warnings />
            <ThemeSwitcher themes />
        }
    });
    let footer = texts.footer.clone().map(|text| view! { <footer class="footer">{text}</footer> });
    view! {
        <main class="page">
            {demo}
            <BrandHeader brand reserve=Signal::derive(move || unbranded && secret.with(Result::is_ok)) />
            <Show when=move || !presence.online.get()>
                <p class="offline" role="status">
                    {i18n::t("page.offline")}
                </p>
            </Show>
            {move || match secret.get() {
                Ok(secret) => {
                    let client = KisiClient::new(&config.api_base, secret).with_timeout(config.request_timeout);
                    view! { <DoorsPage client refresh=presence.refresh /> }.into_any()
                }
                Err(reason) => view! { <HelpScreen reason /> }.into_any(),
            }}
            {footer}
            <p class="visually-hidden" role="status" aria-live="polite">
                {announcement}
            </p>
        </main>
    }
}

/// Picks the page's language (the link's `&lang=`, the operator's, the visitor's device), loads
/// its texts, and sets `lang` and `dir` on the document, so right-to-left languages lay out right
/// to left. Call before [`mount`].
async fn choose_language(config: &SiteConfig) {
    let visitor: Vec<String> =
        window().navigator().languages().iter().filter_map(|language| language.as_string()).collect();
    let code =
        i18n::load(i18n::choose(session::named_language().as_deref(), config.language.as_deref(), &visitor)).await;
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", code);
        let _ = root.set_attribute("dir", if i18n::is_rtl() { "rtl" } else { "ltr" });
    }
}

/// Starts the page: reads the configuration and the visitor's language, then mounts.
///
/// A repeat visit starts from this device's copy of `config.json` instead of waiting a round trip
/// for the site's (see [`site_cache`]); the site's copy, requested by the head start while the app
/// loaded, is compared once it arrives, and if the operator changed it, it is kept and the page
/// reloads once to apply it — the configuration decides the API and the page's policy, which
/// cannot be changed in place. Until the site's copy has confirmed the kept one, no request goes
/// to the API (the stored doors show meanwhile). Offline, the kept copy is simply used.
pub async fn start() {
    let request = api::early::config_request();
    let kept = site_cache::load(config::CONFIG_PATH);
    let (text, revalidate) = match (kept, request) {
        (Some(kept), Some(request)) => (Some(kept.clone()), Some((kept, request))),
        (_, Some(request)) => (request.await, None),
        (_, None) => (site_cache::fetch(config::CONFIG_PATH).await, None),
    };
    if revalidate.is_none()
        && let Some(text) = &text
    {
        site_cache::save(config::CONFIG_PATH, text);
    }
    let (config, warnings) = config::read(text.as_deref());
    if let Some((kept, request)) = revalidate {
        let mut settle = None;
        let confirmed = js_sys::Promise::new(&mut |confirm, refuse| settle = Some((confirm, refuse)));
        api::hold_requests_until(confirmed);
        let kept_api = config.api_base.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let Some((confirm, refuse)) = settle else { return };
            let verdict = match request.await {
                Some(fresh) if fresh != kept => {
                    site_cache::save(config::CONFIG_PATH, &fresh);
                    if reload_once() {
                        return;
                    }
                    // Changed again in a tab that already reloaded for it: this visit goes on with
                    // the kept copy if it names the same API, and sends nothing if it does not.
                    if SiteConfig::from_json(&fresh).0.api_base == kept_api { confirm } else { refuse }
                }
                // Unchanged, or the site could not be asked (offline): the kept copy stands.
                _ => confirm,
            };
            let _ = verdict.call0(&wasm_bindgen::JsValue::NULL);
        });
    }
    choose_language(&config).await;
    mount(config, warnings);
}

/// Reloads the page, unless this tab already did so for a configuration change (a site that
/// answers differently every time must not reload forever). Returns whether it reloads.
fn reload_once() -> bool {
    const RELOADED: &str = "portier.reloaded-for-config";
    let Some(storage) = window().session_storage().ok().flatten() else { return false };
    storage.get_item(RELOADED).ok().flatten().is_none()
        && storage.set_item(RELOADED, "1").is_ok()
        && window().location().reload().is_ok()
}

/// Replaces the static skeleton of `index.html` with the live page.
pub fn mount(config: SiteConfig, warnings: Vec<String>) {
    csp::allow_connections_only_to(config.api_origin());
    match (&config.brand.logo, &config.brand.name) {
        (Some(logo), _) => csp::allow_images_only_from(logo_origin(logo)),
        // Named but no logo: no image will ever come from elsewhere.
        (None, Some(_)) => csp::allow_images_only_from(None),
        // Unbranded: wait for the organization's logo (see `App`).
        (None, None) => {}
    }
    config.theme.apply();
    if let Some(skeleton) = document().get_element_by_id("skeleton") {
        skeleton.remove();
    }
    leptos::mount::mount_to_body(move || view! { <App config warnings /> });
}
