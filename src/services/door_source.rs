//! Where the door list comes from: this device's copy first (a repeat visit shows its doors before
//! the network answers), then Kisi, whose answer replaces the list only when it differs; again
//! whenever the page asks (connection back, page seen again, the visitor's "Try again").
//!
//! A list on screen is never replaced by a passing failure (each tap then reports its own); a link
//! Kisi refuses replaces it with the reason, and loses its copy on the device — unless Kisi calls a
//! link that worked on this device invalid: a network that strips the `Authorization` header makes
//! exactly that answer, so the copy stays and the page says the network may be in the way.
//! A reading that goes unanswered for [`READING_SLOW_AFTER`] says so while it goes on.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::config::doors::DoorOverrides;
use crate::domain::door::LockList;
use crate::domain::pace::READING_SLOW_AFTER;
use crate::domain::problem::Problem;
use crate::services::door_board::DoorBoard;
use crate::services::door_cache;
use crate::services::kisi::Client;
use crate::services::kisi::error::ApiError;

/// What the doors page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Doors {
    /// Nothing to show yet.
    Loading,
    /// The doors (from Kisi, or until Kisi answers from this device).
    Listed(LockList),
    /// Why there are none.
    Failed(ApiError),
}

impl Doors {
    /// What a reading's `outcome` makes of the list now on screen; `None` when it stays as it is
    /// (an unchanged list is not drawn again).
    ///
    /// ```
    /// use portier::domain::door::LockList;
    /// use portier::domain::problem::Problem;
    /// use portier::services::door_source::Doors;
    /// use portier::services::kisi::error::ApiError;
    /// let listed = Doors::Listed(LockList::default());
    /// assert_eq!(listed.after(Err(ApiError::without_response(Problem::Network))), None);
    /// assert!(listed.after(Err(ApiError::without_response(Problem::LinkExpired))).is_some());
    /// ```
    pub fn after(&self, outcome: Result<LockList, ApiError>) -> Option<Doors> {
        match (self, outcome) {
            (Doors::Listed(shown), Ok(list)) if *shown == list => None,
            (_, Ok(list)) => Some(Doors::Listed(list)),
            (Doors::Listed(_), Err(error)) if !error.problem.replaces_the_list() => None,
            (_, Err(error)) => Some(Doors::Failed(error)),
        }
    }
}

/// The doors of one link, as a signal the doors page draws, and their rows (which keep each door's
/// unlock state across readings).
#[derive(Clone, Copy)]
pub struct DoorSource {
    doors: RwSignal<Doors>,
    board: DoorBoard,
    reading: RwSignal<bool>,
    /// The first reading has gone unanswered for a while.
    slow: RwSignal<bool>,
    /// This device kept the link's doors before: the link worked here.
    worked_here: RwSignal<bool>,
    /// Counts readings, so the answer of one that a newer reading overtook is dropped.
    generation: StoredValue<u32>,
    client: StoredValue<Client>,
    online: Signal<bool>,
    /// What the operator says of single doors, applied to every list before it is shown.
    overrides: StoredValue<DoorOverrides>,
}

impl DoorSource {
    /// Starts reading `client`'s doors (the device's copy at once, if any, then Kisi's), and reads
    /// them again each time `refresh` changes. While `online` is false a tap sends nothing. Every
    /// list is shown as `overrides` say (renamed, hidden doors gone); the device keeps Kisi's own.
    pub fn start(
        client: Client,
        refresh: Signal<u32>,
        online: Signal<bool>,
        overrides: StoredValue<DoorOverrides>,
    ) -> Self {
        let source = DoorSource {
            doors: RwSignal::new(Doors::Loading),
            board: DoorBoard::default(),
            reading: RwSignal::new(false),
            slow: RwSignal::new(false),
            worked_here: RwSignal::new(false),
            generation: StoredValue::new(0),
            client: StoredValue::new(client),
            online,
            overrides,
        };
        source.read(true);
        Effect::new(move |seen: Option<()>| {
            refresh.track();
            if seen.is_some() {
                source.read(false);
            }
        });
        let board = source.board;
        Effect::new(move |_| {
            if online.get() {
                board.reconnected();
            }
        });
        source
    }

    /// The doors, or why there are none.
    pub fn doors(self) -> Signal<Doors> {
        self.doors.into()
    }

    /// Every door's row.
    pub fn board(self) -> DoorBoard {
        self.board
    }

    /// A tap on `door`: unlocks it through its row (see [`crate::services::door_board::DoorRow::tap`]).
    pub fn tap(
        self,
        door: &crate::domain::door::Door,
        row: &crate::services::door_board::DoorRow,
        unlocked_for: std::time::Duration,
        on_progress: impl Fn(crate::services::door_board::Progress) + Send + Sync + 'static,
    ) {
        if let Some(client) = self.client.try_get_value() {
            row.tap(door, &client, self.online.get_untracked(), unlocked_for, on_progress);
        }
    }

    /// Whether the visitor tapped `door` on the list the head start painted, before the app ran, and
    /// the app has not taken that tap over yet (its button then does, with [`tap`](Self::tap):
    /// the answer already on its way is the tap's, nothing is sent twice).
    pub fn tapped_early(self, door: crate::domain::door::DoorId) -> bool {
        self.client.try_with_value(|client| crate::services::head_start::tapped(&client.unlock_url(door))) == Some(true)
    }

    /// Whether the device is online (a door cannot be opened without).
    pub fn online(self) -> Signal<bool> {
        self.online
    }

    /// Whether a reading is under way (the "Try again" button says so).
    pub fn reading(self) -> Signal<bool> {
        self.reading.into()
    }

    /// Whether the doors are taking longer than usual to arrive (nothing on screen yet).
    pub fn slow(self) -> Signal<bool> {
        self.slow.into()
    }

    /// Whether this device had the link's doors before (so a refusal may be the network's doing).
    pub fn worked_here(self) -> Signal<bool> {
        self.worked_here.into()
    }

    /// Reads the doors again (the visitor's "Try again").
    pub fn retry(self) {
        self.read(false);
    }

    fn read(self, from_device_first: bool) {
        let Some(generation) = self.generation.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        let Some(client) = self.client.try_get_value() else { return };
        self.reading.set(true);
        self.slow.set(false);
        set_timeout(
            move || {
                let current = self.generation.try_get_value() == Some(generation);
                if current && self.doors.try_with_untracked(|doors| *doors == Doors::Loading) == Some(true) {
                    self.slow.try_set(true);
                }
            },
            READING_SLOW_AFTER,
        );
        spawn_local(async move {
            let key = door_cache::key_for(client.secret()).await;
            let stored = key.as_deref().filter(|_| from_device_first).and_then(door_cache::load);
            let kept = stored.is_some() || key.as_deref().is_some_and(door_cache::exists);
            if kept {
                self.worked_here.try_set(true);
            }
            let current = || self.generation.try_get_value() == Some(generation);
            let overrides = self.overrides.try_get_value().unwrap_or_default();
            if let Some(stored) = stored.filter(|_| current()) {
                self.show(Doors::Listed(overrides.apply(stored)));
            }
            let outcome = client.fetch_all_locks().await;
            // A reading that a newer one overtook changes nothing, not even the device's copy.
            if !current() {
                return;
            }
            match (&outcome, key.as_deref()) {
                (Ok((_, pages)), Some(key)) => door_cache::save(key, pages),
                (Err(error), _) if error.problem == Problem::LinkInvalid && kept => {}
                // Kisi refused the link itself: its doors are no longer this device's to show.
                (Err(error), Some(key)) if error.problem.is_link_level() => door_cache::forget(key),
                _ => {}
            }
            let next = self
                .doors
                .try_with_untracked(|doors| doors.after(outcome.map(|(list, _)| overrides.apply(list))))
                .flatten();
            if let Some(next) = next {
                self.show(next);
            }
            self.reading.try_set(false);
            self.slow.try_set(false);
        });
    }

    /// Shows `doors`, the rows brought up to them first.
    fn show(self, doors: Doors) {
        if let Doors::Listed(list) = &doors {
            self.board.update(list);
        }
        self.doors.try_set(doors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::door::{Door, DoorId};
    use crate::domain::problem::Problem;

    fn list(ids: &[u64]) -> LockList {
        let door = |id: u64| Door {
            id: DoorId(id),
            name: format!("Door {id}"),
            description: None,
            place: None,
            configured: true,
            online: Some(true),
            locked_down: false,
        };
        LockList { doors: ids.iter().map(|id| door(*id)).collect(), skipped: 0 }
    }

    #[test]
    fn a_reading_replaces_only_what_changed() {
        let shown = Doors::Listed(list(&[1, 2]));
        assert_eq!(shown.after(Ok(list(&[1, 2]))), None, "unchanged: not drawn again");
        assert_eq!(shown.after(Ok(list(&[1]))), Some(Doors::Listed(list(&[1]))));
        assert_eq!(Doors::Loading.after(Ok(list(&[]))), Some(Doors::Listed(list(&[]))));
    }

    #[test]
    fn a_passing_failure_keeps_the_list_a_refused_link_does_not() {
        let shown = Doors::Listed(list(&[1]));
        for passing in [Problem::Network, Problem::Timeout, Problem::ServiceUnavailable, Problem::BadResponse] {
            assert_eq!(shown.after(Err(ApiError::without_response(passing))), None, "{passing:?}");
        }
        let expired = ApiError::without_response(Problem::LinkExpired);
        assert_eq!(shown.after(Err(expired.clone())), Some(Doors::Failed(expired)));
        let lost = ApiError::without_response(Problem::Network);
        assert_eq!(Doors::Loading.after(Err(lost.clone())), Some(Doors::Failed(lost.clone())));
        let failed = Doors::Failed(lost.clone());
        assert_eq!(failed.after(Ok(list(&[1]))), Some(Doors::Listed(list(&[1]))), "a retry that works shows the doors");
    }
}
