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
    /// An unlock's URL after the base, around the door's id.
    pub unlock: [&'static str; 2],
    /// The longest an unlock may take, in milliseconds (the configured limit, if shorter).
    pub unlock_within: u64,
    /// The start of a kept door list's storage name, before the SHA-256 of the secret in hex (its
    /// pages are joined by a NUL: `services::door_cache`).
    pub doors_key: &'static str,
    /// What painting the door list before the app needs (see [`Paint`]).
    pub paint: Paint,
    /// The English texts of [`PAINTED_TEXTS`], from `i18n/en.json` (what the app falls back to).
    #[cfg(not(target_arch = "wasm32"))]
    pub english: std::collections::BTreeMap<&'static str, String>,
}

/// The rules the head start paints the early door list by (`index.html`, `portier:paint`): the
/// domain's, so the painted list is the app's. `tests/web/painted.rs` holds the two DOMs equal.
/// Its English texts are [`Shared::english`].
#[derive(Clone, Debug)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize), serde(rename_all = "camelCase"))]
pub struct Paint {
    /// Rust's white space, inside a regular expression's class (what `trim` strips).
    pub white_space: String,
    /// White space and the default-ignorable code points: a name of only these is no name.
    pub invisible: String,
    /// The most characters of a door's or a place's name as shown, and of a description.
    pub name_chars: usize,
    /// See [`name_chars`](Self::name_chars).
    pub description_chars: usize,
    /// The configuration's text limits: a title, an intro, a brand name, a door's name and note.
    pub title_chars: usize,
    /// See [`title_chars`](Self::title_chars).
    pub intro_chars: usize,
    /// See [`title_chars`](Self::title_chars).
    pub brand_chars: usize,
    /// See [`title_chars`](Self::title_chars).
    pub door_name_chars: usize,
    /// See [`title_chars`](Self::title_chars).
    pub note_chars: usize,
    /// Locks per page: a first page this full may have more after it.
    pub page_size: u64,
    /// Above this many doors the list gets a search box.
    pub search_from: usize,
}

/// Every text the painted door list shows (or says after a tap), by key.
pub const PAINTED_TEXTS: [&str; 16] = [
    "_direction",
    "page.title",
    "list.skipped_one",
    "list.skipped_many",
    "list.this_door",
    "search.label",
    "door.unnamed",
    "door.tap",
    "door.hold",
    "door.locked_down",
    "door.offline",
    "door.not_set_up",
    "door.needs_connection",
    "door.unlocking",
    "door.unlocked",
    "problem.unlock_unconfirmed.title",
];

/// [`Paint`], from the domain's definitions.
pub fn paint() -> Paint {
    use crate::domain::config::read::{INTRO_CHARS, NAME_CHARS, NOTE_CHARS};
    use crate::domain::door::{IGNORABLE, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, WHITE_SPACE, class_of};
    Paint {
        white_space: class_of(&[WHITE_SPACE]),
        invisible: class_of(&[WHITE_SPACE, IGNORABLE]),
        name_chars: MAX_NAME_CHARS,
        description_chars: MAX_DESCRIPTION_CHARS,
        title_chars: NAME_CHARS,
        intro_chars: INTRO_CHARS,
        brand_chars: NAME_CHARS,
        door_name_chars: NAME_CHARS,
        note_chars: NOTE_CHARS,
        page_size: crate::domain::paging::PAGE_SIZE,
        search_from: crate::domain::directory::SEARCH_FROM,
    }
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
        unlock: crate::services::kisi::UNLOCK_PATH,
        unlock_within: crate::domain::pace::UNLOCK_WITHIN.as_millis() as u64,
        doors_key: crate::services::storage::DOORS_PREFIX,
        paint: paint(),
        #[cfg(not(target_arch = "wasm32"))]
        english: english(),
    }
}

/// The English texts of [`PAINTED_TEXTS`] (a key `en.json` lacks is left out: the painter then
/// shows the key, as the app does).
#[cfg(not(target_arch = "wasm32"))]
fn english() -> std::collections::BTreeMap<&'static str, String> {
    let all: std::collections::BTreeMap<String, String> =
        serde_json::from_str(include_str!("../../i18n/en.json")).unwrap_or_default();
    PAINTED_TEXTS.iter().filter_map(|key| Some((*key, all.get(*key)?.clone()))).collect()
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
    #[cfg(not(target_arch = "wasm32"))]
    fn every_painted_text_is_in_english() {
        // `_direction` is only a right-to-left language's.
        let wanted: Vec<&str> = PAINTED_TEXTS.into_iter().filter(|key| !key.starts_with('_')).collect();
        assert_eq!(english().into_keys().collect::<Vec<_>>(), {
            let mut w = wanted;
            w.sort();
            w
        });
    }

    /// The painter reads its rules by name (`rules.nameChars`): each must be one the build writes.
    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn the_painter_reads_only_rules_the_build_writes() {
        let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html")).unwrap();
        let written = serde_json::to_value(paint()).unwrap();
        let read: Vec<&str> = html
            .split("rules.")
            .skip(1)
            .map(|rest| rest.split(|c: char| !c.is_alphanumeric()).next().unwrap())
            .collect();
        assert!(read.len() >= 10, "{read:?}");
        for name in read {
            assert!(written.get(name).is_some(), "index.html reads rules.{name}, which the build does not write");
        }
        let shared = serde_json::to_value(shared()).unwrap();
        for name in ["unlock", "unlockWithin", "english", "paint"] {
            assert!(shared.get(name).is_some(), "{name}");
        }
    }

    #[test]
    fn index_html_has_the_marker_once() {
        let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html")).unwrap();
        assert_eq!(html.matches(MARKER).count(), 1);
        assert!(render(&html, "{}").unwrap().contains("const shared = {};"));
    }
}
