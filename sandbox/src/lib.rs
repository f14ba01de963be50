//! A local stand-in for Kisi's API as a group link sees it, plus the static server that serves the
//! built page. Both bind `127.0.0.1`, record every request, and stop when dropped.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use sandbox::{KisiSandbox, SandboxOptions};
//! let kisi = KisiSandbox::start(SandboxOptions::default()).await?;
//! println!("configure the page with api_base = {}", kisi.url());
//! # Ok(()) }
//! ```

pub mod chaos;
pub mod group_links;
pub mod kisi;
pub mod probe;
pub mod record;
pub mod scenario;
pub mod server;
pub mod site;

pub use kisi::{KisiSandbox, SandboxOptions};
pub use record::RecordedRequest;
pub use scenario::{SCENARIOS, Scenario};
pub use server::Hold;
pub use site::StaticSite;
