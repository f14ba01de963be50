//! The whole page.

use leptos::prelude::*;

use crate::boot::Site;
use crate::domain::config::Gesture;
use crate::domain::fragment::Fragment;
use crate::services::i18n::I18n;
use crate::services::{branding, document, presence, session};
use crate::view::brand::BrandHeader;
use crate::view::context::{Announcer, ContactInfo, DoorSettings, PageTexts, page_title};
use crate::view::demo::{ConfigWarnings, ThemeSwitcher};
use crate::view::doors::DoorsPage;
use crate::view::help::HelpScreen;

/// The whole page: the help screen without a usable secret, the doors with one. Follows
/// `hashchange`, so opening a new link in the same tab works.
#[component]
pub fn App(
    /// What the page started from (see [`crate::boot::start`]).
    site: Site,
) -> impl IntoView {
    let Site { config, warnings, kisi, catalog } = site;
    let i18n = I18n::new(catalog);
    provide_context(i18n);
    let texts = config.texts_for(i18n.code());
    let footer = texts.footer.clone().map(|text| view! { <footer class="footer" dir="auto">{text}</footer> });
    provide_context(PageTexts(StoredValue::new(texts)));
    document::set_title(&page_title());
    provide_context(ContactInfo(StoredValue::new(config.contact.clone())));
    provide_context(DoorSettings {
        order: config.door_order,
        group_by_place: config.group_by_place,
        hold: config.gesture == Gesture::Hold,
        unlocked_for: config.unlocked_for,
        doors: StoredValue::new(config.doors.clone()),
    });
    let (announcement, announce) = signal(String::new());
    provide_context(Announcer(announce));

    // The address: a memo, so the page is redrawn only when the secret itself changes, not on
    // every `hashchange`.
    let address = session::watch_address();
    let secret = Memo::new(move |_| address.with(|address| session::secret_for(&Fragment::parse(address))));
    let named_door = Memo::new(move |_| address.with(|address| Fragment::parse(address).door));
    let presence = presence::watch();
    let unbranded = config.brand.is_unset();
    let brand = branding::brand(config.brand.clone(), kisi.clone(), secret);

    let demo = config.demo.then(|| {
        let themes = config.demo_themes.clone();
        view! {
            <ConfigWarnings warnings />
            <ThemeSwitcher themes />
        }
    });
    view! {
        <main class="page">
            {demo}
            <BrandHeader brand=move || brand.get() reserve=move || unbranded && secret.with(Result::is_ok) />
            <Show when=move || !presence.online.get()>
                <p class="offline" role="status">
                    {i18n.t("page.offline")}
                </p>
            </Show>
            {move || match secret.get() {
                Ok(secret) => {
                    // The link's end as the link gave it; a new link (a new secret) reads it again.
                    let until = address.with_untracked(|address| Fragment::parse(address).until);
                    view! { <DoorsPage client=kisi.client(secret) refresh=presence.refresh online=presence.online named=named_door until /> }.into_any()
                }
                Err(reason) => {
                    document::remove_skeleton();
                    view! { <HelpScreen reason /> }.into_any()
                }
            }}
            {footer}
            <p class="visually-hidden" role="status" aria-live="polite">
                {announcement}
            </p>
        </main>
    }
}
