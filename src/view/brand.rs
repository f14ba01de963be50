//! The operator's (or the organization's) name and logo, and the lines that frame every screen.

use leptos::prelude::*;

use crate::domain::config::Brand;
use crate::view::context::{ContactInfo, i18n};

/// Name and logo at the top of every screen. The logo is decoration next to the name, so it has
/// an empty `alt`; without a name it carries the brand itself.
#[component]
pub fn BrandHeader(
    /// What to show; changes when zero-config branding arrives from Kisi.
    brand: impl Fn() -> Brand + Send + Sync + 'static,
    /// Keep the header's place while the brand is still on its way, so the doors below do not
    /// jump down under the visitor's finger when it arrives.
    reserve: impl Fn() -> bool + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = i18n();
    move || {
        let Brand { name, logo } = brand();
        (name.is_some() || logo.is_some() || reserve()).then(|| {
            let alt = if name.is_some() { String::new() } else { i18n.t("logo.alt") };
            view! {
                <header class="brand">
                    {logo.map(|src| view! { <img class="brand-logo" src=src alt=alt width="40" height="40" /> })}
                    {name.map(|name| view! { <span class="brand-name" dir="auto">{name}</span> })}
                </header>
            }
        })
    }
}

/// "Trouble? Call reception" with the operator's `tel:`/`mailto:` link; nothing when unset.
#[component]
pub fn ContactLine() -> impl IntoView {
    expect_context::<ContactInfo>().0.get_value().map(|contact| {
        view! {
            <p class="contact">
                <a href=contact.href>{contact.label}</a>
            </p>
        }
    })
}
