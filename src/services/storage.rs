//! Everything the page keeps in the browser, and under which key: this module owns every key (the
//! head start in `index.html` is given the ones it reads by the build).
//!
//! | key | where | what |
//! |---|---|---|
//! | `portier.secret` | `sessionStorage` | this tab's secret, so a reload in the tab works |
//! | `portier.remembered-secret` | `localStorage` | the secret, only if the visitor ticked "Remember this link" |
//! | `portier.doors.<SHA-256 of the secret>` | `localStorage` | the link's last door list (Kisi's answer pages), for the 4 links saved last |
//! | `portier.doors-recent` | `localStorage` | those links' keys, the most recently saved first |
//! | `portier.site.<file>` | `localStorage` | the site's `config.json` and the visitor's translation |
//! | `portier.reloaded-for-config` | `sessionStorage` | this tab already reloaded once for an edited configuration |
//! | `portier-shell-<build>` | Cache Storage | the service worker's copy of the page and the app's files (`worker/sw.js`); nothing else |
//!
//! Storage may be unavailable (private modes, strict settings) or full: every access tolerates
//! that, and the page then simply keeps less.

use web_sys::Storage;

/// `sessionStorage`: this tab's secret.
pub const TAB_SECRET: &str = "portier.secret";
/// `localStorage`: the secret the visitor chose to remember on this device.
pub const REMEMBERED_SECRET: &str = "portier.remembered-secret";
/// `localStorage`: prefix of each link's door list.
pub const DOORS_PREFIX: &str = "portier.doors.";
/// `localStorage`: the door lists' keys, the most recently saved first (`services/door_cache.rs`).
pub const DOORS_RECENT: &str = "portier.doors-recent";
/// `localStorage`: prefix of the site's kept files.
pub const SITE_PREFIX: &str = "portier.site.";
/// `sessionStorage`: set when this tab reloaded to apply an edited configuration.
pub const RELOADED_FOR_CONFIG: &str = "portier.reloaded-for-config";

/// Which of the browser's two stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    /// `sessionStorage`: this tab, until it closes.
    Tab,
    /// `localStorage`: this device.
    Device,
}

impl Store {
    fn get(self) -> Option<Storage> {
        let window = leptos::prelude::window();
        match self {
            Store::Tab => window.session_storage(),
            Store::Device => window.local_storage(),
        }
        .ok()
        .flatten()
    }

    /// The text under `key`, if any.
    pub fn read(self, key: &str) -> Option<String> {
        self.get()?.get_item(key).ok().flatten()
    }

    /// Keeps `text` under `key`; `false` when storage refused (unavailable, full).
    pub fn write(self, key: &str, text: &str) -> bool {
        self.get().is_some_and(|storage| storage.set_item(key, text).is_ok())
    }

    /// Every key this store holds (none when it is unavailable).
    pub fn keys(self) -> Vec<String> {
        let Some(storage) = self.get() else { return Vec::new() };
        let count = storage.length().unwrap_or(0);
        (0..count).filter_map(|index| storage.key(index).ok().flatten()).collect()
    }

    /// Forgets `key`; `false` when storage refused.
    pub fn remove(self, key: &str) -> bool {
        self.get().is_some_and(|storage| storage.remove_item(key).is_ok())
    }
}
