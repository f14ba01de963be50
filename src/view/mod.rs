//! What the visitor sees. Components render state and forward events; they never call HTTP, never
//! read or write storage, and hold no rules: those are the services' and the domain's.

mod app;
mod brand;
mod context;
mod demo;
mod door_button;
mod door_events;
mod door_list;
mod doors;
mod help;
mod problem;
mod remember;
mod validity;

pub use app::App;
pub use brand::{BrandHeader, ContactLine};
pub use context::{Announcer, ContactInfo, DoorSettings, PageTexts, i18n, page_title};
pub use demo::{ConfigWarnings, ThemeSwitcher};
pub use door_list::DoorList;
pub use doors::DoorsPage;
pub use help::HelpScreen;
pub use problem::ProblemPanel;
pub use remember::RememberLink;
pub use validity::LinkValidity;

use leptos::prelude::*;

use crate::boot::Site;
use crate::services::document;

/// Replaces the static skeleton of `index.html` with the live page. A door list the head start
/// painted stays up (the page's own is hidden behind it, `style/portier.css`) until the doors page
/// has its own answer to show: then one goes as the other shows, in the same frame.
pub fn mount(site: Site) {
    if !document::painted() {
        document::remove_skeleton();
    }
    leptos::mount::mount_to_body(move || view! { <App site /> });
}
