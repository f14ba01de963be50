//! Zero-config branding: a page the operator did not brand carries the organization's name and
//! logo, asked of Kisi once per link. A failure changes nothing; the doors never wait for it.

use leptos::prelude::*;

use crate::domain::config::Brand;
use crate::domain::config::urls::logo_origin;
use crate::domain::secret::{Secret, SecretError};
use crate::services::csp;
use crate::services::kisi::Kisi;
use crate::services::kisi::browser::BrowserNetwork;

/// The brand to show: the operator's, or — when they set neither name nor logo — the
/// organization's once Kisi has answered for the link `secret` holds (nothing until then, and
/// nothing if it does not). The image policy is narrowed to the organization's logo's origin.
pub fn brand(
    configured: Brand,
    kisi: Kisi<BrowserNetwork>,
    secret: Memo<Result<Secret, SecretError>>,
) -> Signal<Brand> {
    if !configured.is_unset() {
        return Signal::stored(configured);
    }
    let organization = LocalResource::new(move || {
        let link = secret.get().ok().map(|secret| kisi.client(secret));
        async move {
            let organization = link?.fetch_organization().await.ok()?;
            // Kisi's logo shows only from an origin the policy can name; any other is left out.
            let logo = organization.logo.filter(|logo| logo_origin(logo).is_some());
            csp::allow_images_only_from(logo.as_deref().and_then(logo_origin));
            Some(Brand { name: Some(organization.name), logo })
        }
    });
    Signal::derive(move || organization.get().flatten().unwrap_or_default())
}
