//! Services: everything that touches the browser or the network on the domain's behalf — the Kisi
//! client, storage (which owns every key), the site's own files, the catalog of texts, the door
//! list's source and model, the document. They may use the reactive graph (signals), never a view.

pub mod branding;
pub mod csp;
pub mod document;
pub mod door_board;
pub mod door_cache;
pub mod door_source;
pub mod head_start;
pub mod i18n;
pub mod install;
pub mod json;
pub mod kisi;
pub mod main_thread;
pub mod presence;
pub mod session;
pub mod site_files;
pub mod storage;
pub mod text;
pub mod worker;
