//! Starting the page: the configuration (this device's copy or the site's, revalidated), the
//! visitor's language, the page's policy and theme — everything decided before the first view is
//! drawn, handed to the views as a [`Site`].

pub mod crash;
pub mod head_start;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::domain::config::read::{missing, unreachable};
use crate::domain::config::urls::logo_origin;
use crate::domain::config::{CONFIG_PATH, SiteConfig};
use crate::domain::fragment::Fragment;
use crate::domain::language;
use crate::domain::problem::Problem;
use crate::services::i18n::{self, Catalog};
use crate::services::kisi::Kisi;
use crate::services::kisi::browser::{BrowserNetwork, online_or_after};
use crate::services::kisi::gate::RequestGate;
use crate::services::site_files::SiteAnswer;
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

/// Whether this browser has what the app cannot start without (`docs/browsers.md`):
/// `AbortSignal.timeout` is the newest such API (Safari 16, Chrome 103, Firefox 100). Where it is
/// missing the head start has already told the visitor so; the app then leaves that message alone
/// instead of crashing over it (`e2e/tests/optional_apis.rs` holds the two to the same rule).
pub fn browser_can_run() -> bool {
    let signal = js_sys::Reflect::get(&js_sys::global(), &"AbortSignal".into()).ok();
    signal.and_then(|signal| js_sys::Reflect::get(&signal, &"timeout".into()).ok()).is_some_and(|t| t.is_function())
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
    let (config, warnings, gate, confirmed) = configuration().await;
    // Reading the configuration and reading the texts are each a task (services::main_thread).
    crate::services::main_thread::yield_to_browser().await;
    for warning in &warnings {
        leptos::logging::warn!("portier: {warning}");
    }
    let kisi = Kisi::new(BrowserNetwork, &config.api_base, config.request_timeout, gate);
    let fragment = Fragment::parse(&session::opened_with());
    let visitor: Vec<String> =
        leptos::prelude::window().navigator().languages().iter().filter_map(|language| language.as_string()).collect();
    let code = language::choose(fragment.lang.as_deref(), config.language.as_deref(), &visitor);
    let catalog = i18n::load(code).await;
    crash::speak(crash::CrashWords::from(&catalog));
    document::set_language(catalog.code(), catalog.is_rtl());
    // Until the site has confirmed the configuration, the page may still have to ask it again
    // (nothing goes to the API meanwhile): the policy narrows once it has.
    if confirmed {
        csp::allow_connections_only_to(config.api_origin());
    }
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

/// The configuration to start from, its warnings, the gate the API's requests wait at, and whether
/// the site has confirmed the configuration already (the gate is open).
async fn configuration() -> (SiteConfig, Vec<String>, RequestGate, bool) {
    let answer: Pin<Box<dyn Future<Output = SiteAnswer>>> = match crate::services::head_start::config_request() {
        Some(request) => Box::pin(request),
        None => Box::pin(site_files::fetch(CONFIG_PATH)),
    };
    let (started_from, answer) = match site_files::kept(CONFIG_PATH) {
        // The site's answer is awaited in the background; the page goes on with the kept copy.
        Some(kept) => (Some(kept), answer),
        None => match answer.await {
            SiteAnswer::Text(text) => {
                site_files::take_over_unscoped(Some(&text));
                return match site_files::read_config_text(&text) {
                    Ok((config, warnings)) => {
                        site_files::keep(CONFIG_PATH, &text);
                        (config, warnings, RequestGate::default(), true)
                    }
                    // Not JSON: nothing the site says can be trusted, so nothing is sent (not even to
                    // Kisi's default API), and the visitor is told why instead of a network message.
                    Err(warning) => {
                        (SiteConfig::default(), vec![warning], RequestGate::closed(Problem::SiteSettings), false)
                    }
                };
            }
            SiteAnswer::Missing => {
                site_files::take_over_unscoped(None);
                let (config, warnings) = read(None);
                return (config, warnings, RequestGate::default(), true);
            }
            // Nothing to go by: the page is drawn with every default, but which API the secret
            // may go to is not known until the site answers.
            SiteAnswer::Unreachable => (None, Box::pin(std::future::ready(SiteAnswer::Unreachable)) as Pin<Box<_>>),
        },
    };
    let (config, mut warnings) = read(started_from.as_deref());
    if started_from.is_none() {
        warnings = vec![unreachable()];
    }
    let gate = RequestGate::held();
    // wasm-bindgen's executor, not Leptos': Leptos sets its own up when the page mounts.
    let started =
        Started { text: started_from, api_base: config.api_base.clone(), api_origin: config.api_origin().into() };
    wasm_bindgen_futures::spawn_local(confirm(started, answer, gate.clone()));
    (config, warnings, gate, false)
}

/// What the page started from before the site confirmed it.
struct Started {
    /// The configuration's text (`None`: no file, every default).
    text: Option<String>,
    /// The API it names.
    api_base: String,
    /// That API's origin, the only one the page's policy keeps once settled.
    api_origin: String,
}

/// Settles `gate` once the site has answered for its `config.json`: open if the answer is what the
/// page started from. A different answer is kept (or the kept copy forgotten) and the page reloads
/// once to apply it; in a tab that already reloaded for it, requests go only if the site's
/// configuration names the API the page started with. While the site cannot be reached, it is
/// asked again when the device comes online, or after a growing pause — the requests waiting at the
/// gate meanwhile give up in their own time. Once settled, the page's policy narrows to the API.
async fn confirm(started: Started, answer: Pin<Box<dyn Future<Output = SiteAnswer>>>, gate: RequestGate) {
    let mut answer = answer.await;
    let mut pause = FIRST_PAUSE;
    let fresh = loop {
        match answer {
            SiteAnswer::Text(text) => break Some(text),
            SiteAnswer::Missing => break None,
            SiteAnswer::Unreachable => {
                online_or_after(pause).await;
                pause = (pause * 2).min(LONGEST_PAUSE);
                answer = site_files::fetch(CONFIG_PATH).await;
            }
        }
    };
    // A text that is not JSON confirms nothing, and is never kept to start from (`None` here).
    let fresh_config = match fresh.as_deref().map(site_files::read_config_text) {
        Some(Ok((config, _))) => Some(config),
        Some(Err(_)) => None,
        None => Some(read(None).0),
    };
    if fresh != started.text {
        match (&fresh, &fresh_config) {
            (Some(text), Some(_)) => site_files::keep(CONFIG_PATH, text),
            _ => site_files::forget(CONFIG_PATH),
        }
        if reload_once() {
            return;
        }
    }
    let Some(fresh_config) = fresh_config else {
        gate.close(Problem::SiteSettings);
        return;
    };
    csp::allow_connections_only_to(&started.api_origin);
    // Changed again in a tab that already reloaded for it: this visit goes on with what it started
    // from if that names the same API, and sends nothing if it does not.
    if fresh == started.text || fresh_config.api_base == started.api_base {
        gate.open();
    } else {
        gate.close(Problem::Unexpected);
    }
}

/// The first pause before asking an unreachable site again, doubled each time up to
/// [`LONGEST_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_secs(2);
/// The longest pause between asking an unreachable site again.
const LONGEST_PAUSE: Duration = Duration::from_secs(30);

/// Reads `config.json`'s text (`None`: it could not be had). Never fails: a missing or broken file
/// means defaults, with a warning (a broken one also keeps every request back: see [`confirm`]).
fn read(text: Option<&str>) -> (SiteConfig, Vec<String>) {
    match text {
        Some(text) => {
            site_files::read_config_text(text).unwrap_or_else(|warning| (SiteConfig::default(), vec![warning]))
        }
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
