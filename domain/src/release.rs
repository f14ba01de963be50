//! Which release this is.

/// The release's version (the workspace's, in `Cargo.toml`): in the page's
/// `<meta name="generator">`, on the crash screen, in the bundle's name and in
/// `portier-links --version`.
///
/// ```
/// assert!(domain::release::VERSION.split('.').all(|part| part.parse::<u32>().is_ok()));
/// ```
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
