//! Which release this is.

/// The release's version (the workspace's, in `Cargo.toml`): in the page's
/// `<meta name="generator">`, on the crash screen, in the bundle's name and in
/// `portier-links --version`.
///
/// ```
/// assert_eq!(portier::domain::release::VERSION, portier::VERSION);
/// ```
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
