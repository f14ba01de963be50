//! The page's service worker (`worker/sw.js`, written into the build by `cargo xtask build`): it
//! keeps the app's own files on the device so a repeat visit starts with no round trip and a visit
//! without a network still opens the page. It never touches a request to the API.
//!
//! The head start in `index.html` registers it once the page has loaded, or retires it —
//! unregistered, its caches deleted — where the configuration says `"offline": false` (see
//! [`crate::domain::config::SiteConfig::offline`]); it is given these names by the build. Done in
//! the head start rather than here because there it is a few lines of script: the same in Rust,
//! with its futures and closures, was 4.3 KB of wasm (1.5 KB brotli).

/// The worker's file, next to `index.html` (its scope is the page's folder).
pub const SCRIPT: &str = "sw.js";
/// The web app manifest, next to `index.html`.
pub const MANIFEST: &str = "manifest.webmanifest";
/// The start of the name of each build's cache (`portier-shell:<scope>:<build>`, the scope as in
/// `services/storage.rs`): the worker and the kill switch delete only what carries it and their
/// own deployment's scope.
pub const CACHE_PREFIX: &str = "portier-shell:";
/// How each build's cache was named before it was scoped (`portier-shell-<build>`): the worker
/// deletes such a cache once it has seen that the files in it are its own deployment's.
pub const UNSCOPED_CACHE_PREFIX: &str = "portier-shell-";
