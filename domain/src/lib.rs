//! The pure domain: what a link, a door, an unlock and a configuration are, and the rules about
//! them. Plain types with `impl`s, tested on the host: no browser (`web-sys`, `js-sys`), no
//! reactive graph, no translated words — a problem is a [`problem::Problem`], the view says it.
//!
//! No outside crate: how the configuration and Kisi's answers are read is a rule of the domain,
//! whatever parsed the text ([`json`], [`lenient`], [`config::read`]).

pub mod config;
pub mod directory;
pub mod door;
pub mod fragment;
pub mod gesture;
pub mod json;
pub mod language;
pub mod lenient;
pub mod lock;
pub mod pace;
pub mod paging;
pub mod problem;
pub mod release;
pub mod secret;
pub mod unlock;
pub mod validity;
