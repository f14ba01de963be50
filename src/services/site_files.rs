//! The site's own small files — `config.json` and the visitor's translation — fetched, and kept on
//! the device so a repeat visit starts at once instead of waiting a round trip to revalidate them.
//!
//! Both files are served `no-cache` (an operator's edit must show without waiting for a cache to
//! expire), which costs every visit a round trip before the page can be drawn. Instead the page
//! starts from the copy it kept last time and compares it with the site's answer, which the head
//! start in `index.html` requested while the app loaded: a changed configuration is kept and the
//! page reloads once to apply it (see `boot`); a changed translation is kept for the next visit.
//! Neither file holds anything about the visitor.

use crate::domain::config::read::{not_json, read_config};
use crate::domain::config::{CONFIG_PATH, SiteConfig};
use crate::domain::pace::SITE_FILE_WITHIN;
use crate::services::json::Json;
use crate::services::storage::{self, SITE_PREFIX, Store};

/// The most text kept per file: a configuration or translation is a few KB; anything far larger
/// is not worth blocking the page to write.
const MAX_CHARS: usize = 64 * 1024;

/// Reads `config.json`'s text as the page does: parsed by the browser, then by the domain's reader
/// (every key on its own, with a warning per unusable one). `Err` with the warning for a text that
/// is not JSON at all, which the page refuses whole (see `boot`).
pub fn read_config_text(text: &str) -> Result<(SiteConfig, Vec<String>), String> {
    match Json::parse_or_why(text) {
        Ok(json) => Ok(read_config(json)),
        Err(why) => Err(not_json(&why)),
    }
}

/// What the site answered for one of its files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SiteAnswer {
    /// The file's text.
    Text(String),
    /// The site says it has no such file (404 or 410): the operator removed it.
    Missing,
    /// No answer that says anything about the file: offline, out of time, a server error, or a
    /// redirect (the network in between, such as a guest Wi-Fi's sign-in page).
    Unreachable,
}

impl SiteAnswer {
    /// Reads what the head start's `siteFile` resolves to: the text, the HTTP status of a refusal,
    /// or `null`.
    pub fn from_head_start(value: &wasm_bindgen::JsValue) -> Self {
        match (value.as_string(), value.as_f64()) {
            (Some(text), _) => SiteAnswer::Text(text),
            (None, Some(status)) => Self::from_status(status as u16),
            (None, None) => SiteAnswer::Unreachable,
        }
    }

    /// A refusal with HTTP `status`.
    fn from_status(status: u16) -> Self {
        if matches!(status, 404 | 410) { SiteAnswer::Missing } else { SiteAnswer::Unreachable }
    }
}

/// Fetches `file` from the site, revalidated (`no-cache`) so an operator's edit or a release's new
/// texts show at once, within [`SITE_FILE_WITHIN`]. For when the head start in `index.html` did not
/// already ask (it fetches the same way).
pub async fn fetch(file: &str) -> SiteAnswer {
    let within = u32::try_from(SITE_FILE_WITHIN.as_millis()).unwrap_or(u32::MAX);
    let signal = web_sys::AbortSignal::timeout_with_u32(within);
    let request = gloo_net::http::Request::get(file).cache(web_sys::RequestCache::NoCache).abort_signal(Some(&signal));
    let Ok(response) = request.send().await else { return SiteAnswer::Unreachable };
    if response.redirected() {
        return SiteAnswer::Unreachable;
    }
    if !response.ok() {
        return SiteAnswer::from_status(response.status());
    }
    response.text().await.map_or(SiteAnswer::Unreachable, SiteAnswer::Text)
}

/// The text of `file`, `None` when the site has none or cannot be reached now.
pub async fn fetch_text(file: &str) -> Option<String> {
    match fetch(file).await {
        SiteAnswer::Text(text) => Some(text),
        SiteAnswer::Missing | SiteAnswer::Unreachable => None,
    }
}

/// The storage name `file`'s copy is kept under (`site.config.json`; the head start is given the
/// configuration's).
pub fn kept_name(file: &str) -> String {
    [SITE_PREFIX, file].concat()
}

/// The kept copy of `file` (`config.json`, `i18n/de.json`, …), if any.
pub fn kept(file: &str) -> Option<String> {
    Store::Device.read(&kept_name(file))
}

/// Keeps `text` as the copy of `file`. Where it cannot be kept (longer than [`MAX_CHARS`], storage
/// refused or full) the older copy goes too: a page must never start again and again from a copy
/// the site has replaced (for the configuration, a reload in every new tab and, in a tab that
/// already reloaded, a closed request gate). The next visit then waits for the site's answer.
pub fn keep(file: &str, text: &str) {
    if text.len() > MAX_CHARS || !Store::Device.write(&kept_name(file), text) {
        forget(file);
    }
}

/// Takes over what this device kept before keys were scoped to the deployment
/// ([`storage::take_over_unscoped`]) if the configuration it kept then is the one this site
/// answers now (`None`: the site has none, and none was kept) — the sign that those keys are this
/// deployment's, not a neighbour's on the same origin. Where they differ (a neighbour's, or an
/// operator's edit since the visitor's last visit) they are left for the deployment they match.
pub fn take_over_unscoped(config: Option<&str>) {
    if storage::unscoped(&kept_name(CONFIG_PATH)).as_deref() == config {
        storage::take_over_unscoped();
    }
}

/// Forgets the kept copy of `file` (the site no longer has one).
pub fn forget(file: &str) {
    Store::Device.remove(&kept_name(file));
}
