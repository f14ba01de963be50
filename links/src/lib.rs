//! `portier-links`: the operator's half of the workflow. Kisi's dashboard issues links to Kisi's
//! own page; the API's `POST /group_links` returns the secret a custom page needs. This crate turns
//! that into one command, and hands over the visitor URL, a QR code and an email draft.
//!
//! Modules: [`input`] checks what the operator typed before anything is sent, [`api`] talks to
//! Kisi, [`share`] builds what goes to the visitor, [`poster`] the printable QR posters for doors,
//! [`site`] reads the site's `config.json` as the page does.

pub mod api;
pub mod input;
pub mod poster;
pub mod share;
pub mod site;
