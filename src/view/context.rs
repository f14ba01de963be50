//! What the views share, provided by [`super::app::App`] (and the door list): small `Copy`
//! contexts, not the whole configuration.

use std::time::Duration;

use leptos::prelude::*;

use crate::domain::config::doors::DoorOverrides;
use crate::domain::config::{Contact, DoorOrder, Texts};
use crate::services::i18n::I18n;

/// The page's catalog of texts.
pub fn i18n() -> I18n {
    expect_context::<I18n>()
}

/// The page's one live region: components say what changed, in a full sentence with the door's
/// name, and screen readers read it out.
#[derive(Clone, Copy)]
pub struct Announcer(pub WriteSignal<String>);

impl Announcer {
    /// Announces `message` (politely: after what the screen reader is saying).
    pub fn say(self, message: String) {
        self.0.set(message);
    }
}

/// The operator's texts for the page's language.
#[derive(Clone, Copy)]
pub struct PageTexts(pub StoredValue<Texts>);

/// Who to call when something goes wrong, if the operator said.
#[derive(Clone, Copy)]
pub struct ContactInfo(pub StoredValue<Option<Contact>>);

/// What the door list needs of the configuration.
#[derive(Clone, Copy, Debug)]
pub struct DoorSettings {
    /// Kisi's order or by name.
    pub order: DoorOrder,
    /// Headings per place.
    pub group_by_place: bool,
    /// The `hold` gesture instead of a tap.
    pub hold: bool,
    /// How long a door shows "Unlocked".
    pub unlocked_for: Duration,
    /// The operator's names, notes and hidden doors.
    pub doors: StoredValue<DoorOverrides>,
}

/// The page's heading (and the document's title): the operator's title, or ours.
pub fn page_title() -> String {
    expect_context::<PageTexts>().0.with_value(|texts| texts.title.clone()).unwrap_or_else(|| i18n().t("page.title"))
}
