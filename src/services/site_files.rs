//! The site's own small files — `config.json` and the visitor's translation — fetched, and kept on
//! the device so a repeat visit starts at once instead of waiting a round trip to revalidate them.
//!
//! Both files are served `no-cache` (an operator's edit must show without waiting for a cache to
//! expire), which costs every visit a round trip before the page can be drawn. Instead the page
//! starts from the copy it kept last time and compares it with the site's answer, which the head
//! start in `index.html` requested while the app loaded: a changed configuration is kept and the
//! page reloads once to apply it (see `boot`); a changed translation is kept for the next visit.
//! Neither file holds anything about the visitor.

use crate::services::storage::{SITE_PREFIX, Store};

/// The most text kept per file: a configuration or translation is a few KB; anything far larger
/// is not worth blocking the page to write.
const MAX_CHARS: usize = 64 * 1024;

/// Fetches `file` from the site, revalidated (`no-cache`) so an operator's edit or a release's new
/// texts show at once: its text, or `None` when it could not be had. For when the head start in
/// `index.html` did not already ask.
pub async fn fetch(file: &str) -> Option<String> {
    let request = gloo_net::http::Request::get(file).cache(web_sys::RequestCache::NoCache);
    let response = request.send().await.ok().filter(gloo_net::http::Response::ok)?;
    response.text().await.ok()
}

/// The kept copy of `file` (`config.json`, `i18n/de.json`, …), if any.
pub fn kept(file: &str) -> Option<String> {
    Store::Device.read(&format!("{SITE_PREFIX}{file}"))
}

/// Keeps `text` as the copy of `file` (silently not, when storage is refused or full).
pub fn keep(file: &str, text: &str) {
    if text.len() <= MAX_CHARS {
        Store::Device.write(&format!("{SITE_PREFIX}{file}"), text);
    }
}
