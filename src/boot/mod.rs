//! Starting the page: the configuration (this device's copy or the site's, revalidated), the
//! visitor's language, the page's policy and theme — everything decided before the first view is
//! drawn, handed to the views as a [`Site`].

pub mod crash;
pub mod head_start;

use crate::domain::config::read::{missing, not_json, read_config};
use crate::domain::config::urls::logo_origin;
use crate::domain::config::{CONFIG_PATH, SiteConfig};
use crate::domain::fragment::Fragment;
use crate::domain::language;
use crate::services::i18n::{self, Catalog};
use crate::services::json::Json;
use crate::services::kisi::Kisi;
use crate::services::kisi::browser::BrowserNetwork;
use crate::services::kisi::gate::RequestGate;
use crate::services::storage::{RELOADED_FOR_CONFIG, Store};
use crate::services::{csp, document, session, site_files};

/// What the views start from.
pub struct Site {
    /// The deployment's configuration.
    pub config: SiteConfig,
    /// What was wrong with it (listed on screen in demo mode; always on the console).
    pub warnings: Vec<String>,
    /// The Kisi API the configuration names, its requests held until the configuration is
    /// confirmed.
    pub kisi: Kisi<BrowserNetwork>,
    /// The visitor's language.
    pub catalog: Catalog,
}

/// Starts the page: reads the configuration and the visitor's language, and sets the page's
/// policy, theme and language on the document.
///
/// A repeat visit starts from this device's copy of `config.json` instead of waiting a round trip
/// for the site's; the site's copy, requested by the head start while the app loaded, is compared
/// once it arrives, and if the operator changed it, it is kept and the page reloads once to apply
/// it — the configuration decides the API and the page's policy, which cannot be changed in
/// place. Until the site's copy has confirmed the kept one, no request goes to the API (the
/// request gate; the stored doors show meanwhile). Offline, the kept copy is simply used.
pub async fn start() -> Site {
    let (config, warnings, gate) = configuration().await;
    for warning in &warnings {
        leptos::logging::warn!("portier: {warning}");
    }
    let kisi = Kisi::new(BrowserNetwork, &config.api_base, config.request_timeout, gate);
    let fragment = Fragment::parse(&session::address_fragment());
    let visitor: Vec<String> =
        leptos::prelude::window().navigator().languages().iter().filter_map(|language| language.as_string()).collect();
    let code = language::choose(fragment.lang.as_deref(), config.language.as_deref(), &visitor);
    let catalog = i18n::load(code).await;
    crash::speak(crash::CrashWords::from(&catalog));
    document::set_language(catalog.code(), catalog.is_rtl());
    csp::allow_connections_only_to(config.api_origin());
    match (&config.brand.logo, &config.brand.name) {
        (Some(logo), _) => csp::allow_images_only_from(logo_origin(logo)),
        // Named but no logo: no image will ever come from elsewhere.
        (None, Some(_)) => csp::allow_images_only_from(None),
        // Unbranded: the organization's logo is still to come (see the brand header).
        (None, None) => {}
    }
    document::apply_theme(&config.theme);
    Site { config, warnings, kisi, catalog }
}

/// The configuration to start from, its warnings, and the gate the API's requests wait at.
async fn configuration() -> (SiteConfig, Vec<String>, RequestGate) {
    let request = crate::services::head_start::config_request();
    let kept = site_files::kept(CONFIG_PATH);
    let (text, revalidate) = match (kept, request) {
        (Some(kept), Some(request)) => (Some(kept.clone()), Some((kept, request))),
        (_, Some(request)) => (request.await, None),
        (_, None) => (site_files::fetch(CONFIG_PATH).await, None),
    };
    if revalidate.is_none()
        && let Some(text) = &text
    {
        site_files::keep(CONFIG_PATH, text);
    }
    let (config, warnings) = read(text.as_deref());
    let Some((kept, request)) = revalidate else { return (config, warnings, RequestGate::default()) };
    let gate = RequestGate::held();
    let (held, kept_api) = (gate.clone(), config.api_base.clone());
    // wasm-bindgen's executor, not Leptos': Leptos sets its own up when the page mounts.
    wasm_bindgen_futures::spawn_local(async move {
        match request.await {
            Some(fresh) if fresh != kept => {
                site_files::keep(CONFIG_PATH, &fresh);
                if reload_once() {
                    return;
                }
                // Changed again in a tab that already reloaded for it: this visit goes on with the
                // kept copy if it names the same API, and sends nothing if it does not.
                if read(Some(&fresh)).0.api_base == kept_api { held.open() } else { held.close() }
            }
            // Unchanged, or the site could not be asked (offline): the kept copy stands.
            _ => held.open(),
        }
    });
    (config, warnings, gate)
}

/// Reads `config.json`'s text (`None`: it could not be had). Never fails: a missing or broken file
/// means defaults, with a warning.
fn read(text: Option<&str>) -> (SiteConfig, Vec<String>) {
    match text.map(Json::parse) {
        Some(Some(json)) => read_config(json.deserializer()),
        Some(None) => (SiteConfig::default(), vec![not_json()]),
        None => (SiteConfig::default(), vec![missing()]),
    }
}

/// Reloads the page, unless this tab already did so for a configuration change (a site that
/// answers differently every time must not reload forever). Returns whether it reloads.
fn reload_once() -> bool {
    Store::Tab.read(RELOADED_FOR_CONFIG).is_none()
        && Store::Tab.write(RELOADED_FOR_CONFIG, "1")
        && leptos::prelude::window().location().reload().is_ok()
}
