//! What the visitor sees. Components render state and report taps; they never call HTTP.

mod doors;
mod help;
mod problem;
mod remember;

pub use doors::{DoorButton, DoorList, DoorsPage, OnTap};
pub use help::HelpScreen;
pub use problem::ProblemPanel;
pub use remember::RememberLink;
