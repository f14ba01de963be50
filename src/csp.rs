//! Narrowing the Content-Security-Policy to the configured API once the configuration is known.
//!
//! `index.html` carries a static policy (added by `cargo xtask build`, which hashes Trunk's loader
//! script) whose `connect-src` has to allow any API origin an operator might configure. Once
//! `config.json` has been read, the page adds a second policy naming exactly the configured API
//! origin. Browsers enforce every policy a document has, so from then on the page can connect to
//! that origin and nowhere else — and the policy follows `api_base` without anyone editing HTML.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// Adds `<meta http-equiv="Content-Security-Policy" content="connect-src <origin>">` to `<head>`.
pub fn allow_connections_only_to(origin: &str) {
    let document = document();
    let (Some(head), Ok(meta)) = (document.head(), document.create_element("meta")) else {
        return;
    };
    let meta: web_sys::HtmlMetaElement = meta.unchecked_into();
    meta.set_http_equiv("Content-Security-Policy");
    meta.set_content(&format!("connect-src {origin}"));
    let _ = head.append_child(&meta);
}
