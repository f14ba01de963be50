//! What the visitor sees. Components render state and report taps; they never call HTTP.

mod brand;
mod demo;
mod door_button;
mod door_events;
mod doors;
mod help;
mod problem;
mod remember;

pub use brand::{BrandHeader, ContactLine};
pub use demo::{ConfigWarnings, ThemeSwitcher};
pub use doors::{DoorList, DoorsPage, OnTap};
pub use help::HelpScreen;
pub use problem::ProblemPanel;
pub use remember::RememberLink;

use crate::config::{SiteConfig, Texts};

/// The operator's texts for the page's language (none without a configuration).
pub fn page_texts() -> Texts {
    leptos::prelude::use_context::<SiteConfig>().map(|config| config.texts_for(crate::i18n::code())).unwrap_or_default()
}

/// The page's one live region: components say what changed, in a full sentence with the door's
/// name, and screen readers read it out.
#[derive(Clone, Copy)]
pub struct Announcer(pub leptos::prelude::WriteSignal<String>);

impl Announcer {
    /// Announces `message` (politely: after what the screen reader is saying).
    pub fn say(self, message: String) {
        use leptos::prelude::Set;
        self.0.set(message);
    }
}
