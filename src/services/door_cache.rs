//! The last door list of each link on this device, so a repeat visit shows the doors before the
//! network answers (then the page checks with Kisi and updates in place).
//!
//! Door names are not the secret, but they are the link's: the entry is keyed by a SHA-256 of the
//! secret, never the secret itself, and holds Kisi's own answer pages as they came (read back with
//! the same lenient reader as a live answer, since storage can be edited). A link Kisi refuses
//! (invalid, expired) loses its entry at once.

use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::domain::door::LockList;
use crate::domain::lock::LockPage;
use crate::domain::secret::Secret;
use crate::services::json::Json;
use crate::services::storage::{DOORS_PREFIX, DOORS_RECENT, Store};

/// Separates the stored pages: a NUL can never appear in JSON text (inside strings it is escaped).
const PAGE_SEPARATOR: char = '\0';

/// The most text one link may keep (about 3,000 doors): writing `localStorage` blocks the page, and
/// a list that long is searched, not glanced at, so it gains little from appearing early.
pub const MAX_STORED_CHARS: usize = 1 << 20;

/// The storage key for `secret`: the prefix and the SHA-256 of the secret in hex. `None` where
/// the browser cannot hash (no secure context): then nothing is cached.
pub async fn key_for(secret: &Secret) -> Option<String> {
    let subtle = leptos::prelude::window().crypto().ok()?.subtle();
    let digest = subtle.digest_with_str_and_u8_array("SHA-256", secret.expose().as_bytes()).ok()?;
    let buffer: ArrayBuffer = JsFuture::from(digest).await.ok()?.dyn_into().ok()?;
    let mut key = String::with_capacity(DOORS_PREFIX.len() + 64);
    key.push_str(DOORS_PREFIX);
    for byte in Uint8Array::new(&buffer).to_vec() {
        // Two hex digits per byte by hand: `format!("{byte:02x}")` 32 times would be 32 allocations.
        key.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        key.push(char::from_digit(u32::from(byte & 15), 16).unwrap_or('0'));
    }
    Some(key)
}

/// Whether this device keeps doors under `key` (without reading them).
pub fn exists(key: &str) -> bool {
    Store::Device.read(key).is_some()
}

/// The doors stored under `key`, if every stored page can still be read.
pub fn load(key: &str) -> Option<LockList> {
    let text = Store::Device.read(key)?;
    let mut list = LockList::default();
    for page in text.split(PAGE_SEPARATOR) {
        let LockPage { doors, received } = LockPage::read(&Json::parse(page)?)?;
        list.add(doors, received);
    }
    Some(list)
}

/// The most links whose doors one device keeps: the ones saved last. With [`MAX_STORED_CHARS`]
/// each, the door lists stay under the 5 MiB most browsers give a site, so they cannot fill it for
/// the configuration and the secret.
pub const MAX_KEPT_LINKS: usize = 4;

/// Stores Kisi's answer `pages` under `key` (silently not, when storage is refused, or the list is
/// longer than [`MAX_STORED_CHARS`]: then any older copy goes too). The device keeps the lists of
/// the [`MAX_KEPT_LINKS`] links saved last (`DOORS_RECENT` lists them); when storage is full,
/// every other link's list goes (lists kept before that order was, too) and the write is tried once
/// more.
pub fn save(key: &str, pages: &[String]) {
    if pages.iter().map(String::len).sum::<usize>() > MAX_STORED_CHARS {
        forget(key);
        return;
    }
    let text = pages.join(&PAGE_SEPARATOR.to_string());
    let listed = Store::Device.read(DOORS_RECENT).unwrap_or_default();
    let mut recent: Vec<&str> =
        std::iter::once(key).chain(listed.split(' ').filter(|k| !k.is_empty() && *k != key)).collect();
    if !Store::Device.write(key, &text) {
        for other in Store::Device.names().iter().filter(|k| k.starts_with(DOORS_PREFIX) && *k != key) {
            forget(other);
        }
        recent.truncate(1);
        if !Store::Device.write(key, &text) {
            return;
        }
    }
    for stale in recent.split_off(MAX_KEPT_LINKS.min(recent.len())) {
        forget(stale);
    }
    Store::Device.write(DOORS_RECENT, &recent.join(" "));
}

/// Forgets the entry under `key`.
pub fn forget(key: &str) {
    Store::Device.remove(key);
}
