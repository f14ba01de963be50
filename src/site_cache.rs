//! The site's own small files — `config.json` and the visitor's translation — kept on the device,
//! so a repeat visit starts at once instead of waiting a round trip to revalidate them.
//!
//! Both files are served `no-cache` (an operator's edit must show without waiting for a cache to
//! expire), which costs every visit a round trip before the page can be drawn. Instead the page
//! starts from the copy it kept last time and compares it with the site's answer, which the head
//! start in `index.html` requested while the app loaded: a changed configuration is stored and the
//! page reloads once to apply it (see [`crate::start`]); a changed translation is stored for the
//! next visit. Neither file holds anything about the visitor.

use crate::session::local_storage;

/// Prefix of every entry's key in `localStorage`.
pub const KEY_PREFIX: &str = "portier.site.";

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
pub fn load(file: &str) -> Option<String> {
    local_storage()?.get_item(&format!("{KEY_PREFIX}{file}")).ok().flatten()
}

/// Keeps `text` as the copy of `file` (silently not, when storage is refused or full).
pub fn save(file: &str, text: &str) {
    if text.len() > MAX_CHARS {
        return;
    }
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(&format!("{KEY_PREFIX}{file}"), text);
    }
}
