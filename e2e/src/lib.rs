//! The end-to-end harness: the release build of portier, served by a static server, talking to
//! the Kisi sandbox on another origin, in a real headless Chromium driven over CDP.
//!
//! - [`launch`]: [`Harness`] starts the sandbox, the site and Chromium, and checks at the end that
//!   no page broke;
//! - [`site`]: the release build deployed into a folder as an operator deploys it;
//! - [`record`]: what each tab did (console, exceptions, requests), as CDP reports it;
//! - [`page`]: [`VisitorPage`] drives one tab — waits, taps, reads its state;
//! - [`js`]: the scripts both harnesses run in a page (the files in `js/`), and how they are called;
//! - [`engine`]: the same visitor in Chromium, WebKit and Firefox over WebDriver.
//!
//! Waiting is event-driven: [`VisitorPage::wait_for`] resolves from a `MutationObserver` in the
//! page the moment a condition holds; its timeout only bounds a failing test.

pub mod chaos;
pub mod engine;
pub mod js;
pub mod launch;
pub mod nginx;
pub mod page;
pub mod processes;
pub mod record;
pub mod site;

use std::time::Duration;

pub use js::string as js_string;
pub use launch::Harness;
pub use page::{VisitorPage, door_in_state, doors_shown};
pub use record::{Headers, SeenRequest};
pub use site::{app_wasm_path, bundle_path, dist_dir};

/// How long a condition may take before the test fails. It only bounds a failing test (every wait
/// ends the moment its condition holds), so it is generous: a dozen Chromiums share 2 cores while a
/// test binary runs, and a slower machine must not turn a pass into a failure.
pub const WAIT_LIMIT: Duration = Duration::from_secs(60);
