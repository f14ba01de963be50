//! Narrowing the Content-Security-Policy to the configured API once the configuration is known.
//!
//! `index.html` carries a static policy (added by `cargo xtask build`, which hashes Trunk's loader
//! script) whose `connect-src` has to allow any API origin an operator might configure. Once
//! `config.json` has been read, the page adds a second policy naming exactly the configured API
//! origin. Browsers enforce every policy a document has, so from then on the page can connect to
//! that origin and nowhere else — and the policy follows `api_base` without anyone editing HTML.
//! Images are narrowed the same way to the logo's origin, once the logo is known.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// Adds `<meta http-equiv="Content-Security-Policy" content="connect-src <origin>">` to `<head>`.
pub fn allow_connections_only_to(origin: &str) {
    add_policy(&format!("connect-src {origin}"));
}

/// Narrows images to this site, `data:` and the logo's origin (if it is elsewhere). Called once
/// the logo is known: from the configuration, or from Kisi's organization.
pub fn allow_images_only_from(logo_origin: Option<&str>) {
    add_policy(format!("img-src 'self' data: {}", logo_origin.unwrap_or_default()).trim_end());
}

fn add_policy(policy: &str) {
    let document = document();
    let (Some(head), Ok(meta)) = (document.head(), document.create_element("meta")) else {
        return;
    };
    let meta: web_sys::HtmlMetaElement = meta.unchecked_into();
    meta.set_http_equiv("Content-Security-Policy");
    meta.set_content(policy);
    let _ = head.append_child(&meta);
}
