//! What the head start in `index.html` shares with the app, defined once, here.
//!
//! The head start is a small inline script that reads the configuration and starts the first
//! `GET /locks` while the app downloads (see [`crate::services::head_start`], which takes its work
//! over). It must agree with the app on every rule that decides whether and what it sends: the
//! storage keys, the languages, the default API, the first page's URL, the time limit, the secret
//! rule, and which API bases it may send the secret to. It also registers the service worker (or
//! retires it: `"offline": false`), whose file and cache names it is given here. `cargo xtask
//! build` writes [`SHARED`] into the script (replacing [`MARKER`]); a script that was not given it
//! does nothing. Where the script
//! applies a rule of its own (a regular expression for the API base), it is stricter than the
//! app's, and `tests/head_start.rs` runs the real script over the fragment corpus and a list of
//! hostile cases to show that whatever it sends is byte for byte what the app would send.

use crate::domain::config::urls::{DEFAULT_API_BASE, HEAD_START_API_BASE_PATTERN};
use crate::domain::config::{CONFIG_PATH, DEFAULT_REQUEST_TIMEOUT, REQUEST_TIMEOUT_RANGE_MS};
use crate::domain::fragment::PARAMETERS;
use crate::domain::language::{LANGUAGE_TAG_PATTERN, LANGUAGES};
use crate::services::storage::{KEY_PREFIX, REMEMBERED_SECRET, SCOPE_END, TAB_SECRET};

/// What `index.html` holds in place of the shared values until the build writes them.
pub const MARKER: &str = "/*portier:shared*/null";

/// The values the script is given (serialized as a JSON object literal).
// Serialized by the build, on the host only: the wasm never writes it.
#[derive(Clone, Debug)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct Shared {
    /// The configuration's file name.
    pub config_file: &'static str,
    /// Every storage key's start, before the deployment's scope (`services/storage.rs`).
    pub storage_prefix: &'static str,
    /// What ends the scope in a storage key or a worker cache's name.
    pub scope_end: &'static str,
    /// Where this device keeps its copy of the configuration (`localStorage`, in the scope).
    pub kept_config_key: String,
    /// This tab's secret (`sessionStorage`).
    pub tab_secret_key: &'static str,
    /// The remembered secret (`localStorage`).
    pub remembered_secret_key: &'static str,
    /// The fragment's parameter names.
    pub parameters: [&'static str; 4],
    /// Every language the page speaks.
    pub languages: [&'static str; 9],
    /// What a link's `&lang=` must look like.
    pub language_tag: &'static str,
    /// Where the translations are, relative to the page.
    pub language_folder: &'static str,
    /// The secret rule, as the script applies it (no trimming; see
    /// [`crate::domain::secret::head_start_pattern`]).
    pub secret: String,
    /// The API base when the configuration names none.
    pub default_api_base: &'static str,
    /// The API bases the script may send the secret to (stricter than the app's rule).
    pub api_base: &'static str,
    /// The first page of doors, after the base.
    pub first_page: String,
    /// The `Authorization` header's value, before the secret.
    pub authorization: &'static str,
    /// The request time limit by default, and the range an operator may set, in milliseconds.
    pub timeout: [u64; 3],
    /// The time limit for the site's own files, in milliseconds.
    pub site_file_timeout: u64,
    /// The service worker's file.
    pub worker: &'static str,
    /// The start of the worker's cache names, before the deployment's scope (what retiring it
    /// deletes).
    pub worker_cache_prefix: &'static str,
}

/// [`Shared`], filled from the app's own definitions.
pub fn shared() -> Shared {
    Shared {
        config_file: CONFIG_PATH,
        storage_prefix: KEY_PREFIX,
        scope_end: SCOPE_END,
        kept_config_key: crate::services::site_files::kept_name(CONFIG_PATH),
        tab_secret_key: TAB_SECRET,
        remembered_secret_key: REMEMBERED_SECRET,
        parameters: PARAMETERS,
        languages: LANGUAGES,
        language_tag: LANGUAGE_TAG_PATTERN,
        language_folder: crate::services::i18n::FOLDER,
        secret: crate::domain::secret::head_start_pattern(),
        default_api_base: DEFAULT_API_BASE,
        api_base: HEAD_START_API_BASE_PATTERN,
        first_page: crate::services::kisi::locks_url("", 0),
        authorization: crate::services::kisi::AUTHORIZATION_SCHEME,
        timeout: [DEFAULT_REQUEST_TIMEOUT.as_millis() as u64, REQUEST_TIMEOUT_RANGE_MS.0, REQUEST_TIMEOUT_RANGE_MS.1],
        site_file_timeout: crate::domain::pace::SITE_FILE_WITHIN.as_millis() as u64,
        worker: crate::services::worker::SCRIPT,
        worker_cache_prefix: crate::services::worker::CACHE_PREFIX,
    }
}

/// `index.html` with [`shared`] written into its head start as `json` (the caller serializes it:
/// the app itself carries no JSON writer). Errors if the marker is missing.
pub fn render(index_html: &str, json: &str) -> Result<String, String> {
    if !index_html.contains(MARKER) {
        return Err(format!("index.html has no {MARKER} for the head start's shared values"));
    }
    Ok(index_html.replacen(MARKER, json, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_html_has_the_marker_once() {
        let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html")).unwrap();
        assert_eq!(html.matches(MARKER).count(), 1);
        assert!(render(&html, "{}").unwrap().contains("const shared = {};"));
    }
}
