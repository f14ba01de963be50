//! The whole page.

use leptos::prelude::*;

use crate::boot::Site;
use crate::domain::config::Brand;
use crate::domain::config::Gesture;
use crate::domain::config::urls::logo_origin;
use crate::domain::fragment::Fragment;
use crate::services::i18n::I18n;
use crate::services::{csp, document, presence, session};
use crate::view::brand::BrandHeader;
use crate::view::context::{Announcer, ContactInfo, DoorSettings, PageTexts};
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
    document::set_title(&texts.title.clone().unwrap_or_else(|| i18n.t("page.title")));
    let footer = texts.footer.clone().map(|text| view! { <footer class="footer" dir="auto">{text}</footer> });
    provide_context(PageTexts(StoredValue::new(texts)));
    provide_context(ContactInfo(StoredValue::new(config.contact.clone())));
    provide_context(DoorSettings {
        order: config.door_order,
        group_by_place: config.group_by_place,
        hold: config.gesture == Gesture::Hold,
        unlocked_for: config.unlocked_for,
    });
    let (announcement, announce) = signal(String::new());
    provide_context(Announcer(announce));

    // The address: its secret is taken (kept for the tab, removed from the address bar) as it
    // arrives; the page follows what the address says, read once per change.
    let address = RwSignal::new(session::address_fragment());
    session::adopt(&Fragment::parse(&address.get_untracked()));
    let on_hash_change = window_event_listener(leptos::ev::hashchange, move |_| {
        let arrived = session::address_fragment();
        session::adopt(&Fragment::parse(&arrived));
        address.set(arrived);
    });
    on_cleanup(move || on_hash_change.remove());
    // Memos: the page is redrawn only when the secret itself changes, not on every `hashchange`.
    let secret = Memo::new(move |_| address.with(|address| session::secret_for(&Fragment::parse(address))));
    let named_door = Memo::new(move |_| address.with(|address| Fragment::parse(address).door));
    let presence = presence::watch();

    // Zero-config branding: without a configured name or logo, the organization's. A failure
    // changes nothing: the doors never wait for it.
    let unbranded = config.brand.is_unset();
    let organization = {
        let kisi = kisi.clone();
        LocalResource::new(move || {
            let link = secret.get().ok().filter(|_| unbranded).map(|secret| kisi.client(secret));
            async move {
                let organization = link?.fetch_organization().await.ok()?;
                csp::allow_images_only_from(organization.logo.as_deref().and_then(logo_origin));
                Some(organization)
            }
        })
    };
    let configured = config.brand.clone();
    let brand = move || match unbranded {
        true => organization
            .get()
            .flatten()
            .map(|organization| Brand { name: Some(organization.name), logo: organization.logo })
            .unwrap_or_default(),
        false => configured.clone(),
    };

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
            <BrandHeader brand reserve=move || unbranded && secret.with(Result::is_ok) />
            <Show when=move || !presence.online.get()>
                <p class="offline" role="status">
                    {i18n.t("page.offline")}
                </p>
            </Show>
            {move || match secret.get() {
                Ok(secret) => {
                    view! { <DoorsPage client=kisi.client(secret) refresh=presence.refresh named=named_door /> }.into_any()
                }
                Err(reason) => view! { <HelpScreen reason /> }.into_any(),
            }}
            {footer}
            <p class="visually-hidden" role="status" aria-live="polite">
                {announcement}
            </p>
        </main>
    }
}
