//! Everything the page keeps in the browser, and under which key: this module owns every key (the
//! head start in `index.html` is given the ones it reads by the build).
//!
//! Every key is scoped to the deployment — `portier:<scope>:<name>`, the scope being the folder the
//! page is served from ([`deployment_scope`]: `/` for a site of its own, `/a/` for
//! `https://user.github.io/a/`) — because storage belongs to the whole origin, and two deployments
//! on one origin must not share a remembered link, a configuration or door lists. (Scoping keeps
//! honest neighbours apart; a hostile page on the same origin reads storage directly, which is why
//! the operator guide says a site of its own is the safe choice.)
//!
//! | name | where | what |
//! |---|---|---|
//! | `secret` | `sessionStorage` | this tab's secret, so a reload in the tab works |
//! | `remembered-secret` | `localStorage` | the secret, only if the visitor ticked "Remember this link" |
//! | `doors.<SHA-256 of the secret>` | `localStorage` | the link's last door list (Kisi's answer pages), for the 4 links saved last |
//! | `doors-recent` | `localStorage` | those links' names, the most recently saved first |
//! | `site.<file>` | `localStorage` | the site's `config.json` and the visitor's translation |
//! | `reloaded-for-config` | `sessionStorage` | this tab already reloaded once for an edited configuration |
//! | `portier-shell:<scope>:<build>` | Cache Storage | the service worker's copy of the page and the app's files (`worker/sw.js`); nothing else |
//!
//! Before keys were scoped they were `portier.<name>`: [`take_over_unscoped`] moves them into a
//! deployment's scope once that deployment has shown they are its own.
//!
//! Storage may be unavailable (private modes, strict settings) or full: every access tolerates
//! that, and the page then simply keeps less.

use web_sys::Storage;

pub use crate::domain::config::urls::deployment_scope;

/// `sessionStorage`: this tab's secret.
pub const TAB_SECRET: &str = "secret";
/// `localStorage`: the secret the visitor chose to remember on this device.
pub const REMEMBERED_SECRET: &str = "remembered-secret";
/// `localStorage`: prefix of each link's door list.
pub const DOORS_PREFIX: &str = "doors.";
/// `localStorage`: the door lists' names, the most recently saved first (`services/door_cache.rs`).
pub const DOORS_RECENT: &str = "doors-recent";
/// `localStorage`: prefix of the site's kept files.
pub const SITE_PREFIX: &str = "site.";
/// `sessionStorage`: set when this tab reloaded to apply an edited configuration.
pub const RELOADED_FOR_CONFIG: &str = "reloaded-for-config";
/// Every key starts with this, then the deployment's scope, then [`SCOPE_END`], then the name.
pub const KEY_PREFIX: &str = "portier:";
/// Ends the scope in a key. (A path may hold `:` too, so a scope is only ever written from the
/// page's own path, never read back out of a key.)
pub const SCOPE_END: &str = ":";
/// How keys began before they were scoped (`portier.remembered-secret`).
const UNSCOPED_PREFIX: &str = "portier.";

/// The start of every key of this deployment: `portier:/a/:`.
fn scope_prefix() -> String {
    let path = leptos::prelude::window().location().pathname().unwrap_or_default();
    // Pushed, not `format!`ed: the formatting machinery was half of this function's bytes.
    let mut prefix = String::from(KEY_PREFIX);
    prefix.push_str(deployment_scope(&path));
    prefix.push_str(SCOPE_END);
    prefix
}

/// The key of `name` in this deployment's scope.
fn scoped(name: &str) -> String {
    let mut key = scope_prefix();
    key.push_str(name);
    key
}

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

    /// The text kept under `name` in this deployment's scope, if any.
    pub fn read(self, name: &str) -> Option<String> {
        self.get()?.get_item(&scoped(name)).ok().flatten()
    }

    /// Keeps `text` under `name`; `false` when storage refused (unavailable, full).
    pub fn write(self, name: &str, text: &str) -> bool {
        let key = scoped(name);
        self.get().is_some_and(|storage| storage.set_item(&key, text).is_ok())
    }

    /// The name of every key this store holds in this deployment's scope (none when it is
    /// unavailable).
    pub fn names(self) -> Vec<String> {
        let prefix = scope_prefix();
        self.all_keys().into_iter().filter_map(|key| key.strip_prefix(&prefix).map(str::to_owned)).collect()
    }

    /// Forgets `name`; `false` when storage refused.
    pub fn remove(self, name: &str) -> bool {
        let key = scoped(name);
        self.get().is_some_and(|storage| storage.remove_item(&key).is_ok())
    }

    /// Every key of the origin, scoped or not.
    fn all_keys(self) -> Vec<String> {
        let Some(storage) = self.get() else { return Vec::new() };
        let count = storage.length().unwrap_or(0);
        (0..count).filter_map(|index| storage.key(index).ok().flatten()).collect()
    }
}

/// The text kept on this device under `name` before keys were scoped (`portier.<name>`).
pub fn unscoped(name: &str) -> Option<String> {
    Store::Device.get()?.get_item(&[UNSCOPED_PREFIX, name].concat()).ok().flatten()
}

/// Moves everything kept under unscoped keys (`portier.<name>`, both stores) into this deployment's
/// scope, and removes the unscoped keys: a visitor's remembered link, door lists and kept files
/// survive the upgrade to scoped keys. Call only once this deployment has shown they are its own
/// (see `site_files::take_over_unscoped`). What this scope already holds wins.
pub fn take_over_unscoped() {
    for store in [Store::Tab, Store::Device] {
        let Some(storage) = store.get() else { continue };
        for key in store.all_keys() {
            let Some(name) = key.strip_prefix(UNSCOPED_PREFIX) else { continue };
            // The order of the door lists is not taken: its words were unscoped keys, and the
            // next save starts it again (a list outside it still goes when storage is full).
            if let (false, Ok(Some(text))) = (name == DOORS_RECENT, storage.get_item(&key))
                && store.read(name).is_none()
            {
                store.write(name, &text);
            }
            let _ = storage.remove_item(&key);
        }
    }
}

/// Forgets everything this deployment keeps in both stores (the visitor's "Forget this device").
/// Returns whether nothing is left.
pub fn forget_everything() -> bool {
    [Store::Tab, Store::Device]
        .into_iter()
        .all(|store| store.names().iter().all(|name| store.remove(name)) && store.names().is_empty())
}
