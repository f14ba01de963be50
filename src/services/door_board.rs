//! The door list's model: each door as last read, with a revision that goes up when a reading
//! changes it (the list redraws exactly the doors whose revision moved), and its state — the
//! unlock cycle — which outlives every reading of the list; and the flow of a tap: request,
//! answer, "Unlocked" for a while, back to ready.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use or_poisoned::OrPoisoned;

use crate::domain::door::{Door, DoorId, LockList};
use crate::domain::pace::UNLOCK_SLOW_AFTER;
use crate::domain::unlock::{UnlockCycle, UnlockState};
use crate::services::kisi::Client;

/// One door's state, kept across readings of the list.
#[derive(Clone)]
pub struct DoorRow {
    id: DoorId,
    /// Its unlock cycle.
    pub cycle: ArcRwSignal<UnlockCycle>,
    /// Seconds until an unlocked door shows as locked again (0 otherwise).
    pub remaining: ArcRwSignal<u64>,
    /// The unlock has gone unanswered for a while (and is still being tried).
    pub still_trying: ArcRwSignal<bool>,
    countdown: Arc<Mutex<Option<IntervalHandle>>>,
}

impl DoorRow {
    fn new(id: DoorId) -> Self {
        DoorRow {
            id,
            cycle: ArcRwSignal::new(UnlockCycle::default()),
            remaining: ArcRwSignal::new(0),
            still_trying: ArcRwSignal::new(false),
            countdown: Arc::default(),
        }
    }

    fn stop_countdown(&self) {
        if let Some(handle) = self.countdown.lock().or_poisoned().take() {
            handle.clear();
        }
        self.remaining.try_set(0);
    }

    /// Whether `door` (this row's) may be unlocked now: nothing blocks it and no request of it is
    /// in flight.
    pub fn can_start(&self, door: &Door) -> bool {
        door.blocker().is_none() && self.cycle.with_untracked(UnlockCycle::state) != UnlockState::Unlocking
    }

    /// A tap on `door` (this row's): nothing for a door that cannot open (locked down, offline,
    /// not set up), nothing while its request is in flight, otherwise exactly one unlock request.
    /// `on_progress` hears how the tap goes (for the live region): unlocking, still trying after
    /// [`UNLOCK_SLOW_AFTER`] without an answer, and the outcome. `unlocked_for` is how long a
    /// success shows.
    pub fn tap(
        &self,
        door: &Door,
        client: &Client,
        online: bool,
        unlocked_for: Duration,
        on_progress: impl Fn(Progress) + Send + Sync + 'static,
    ) {
        if door.blocker().is_some() {
            return;
        }
        if !online {
            if self.cycle.try_update(UnlockCycle::tap_offline) == Some(true) {
                on_progress(Progress::Done(self.cycle.with_untracked(UnlockCycle::state)));
            }
            return;
        }
        // The state moves without telling the view yet: the request's task is queued first, so it
        // leaves before the "Unlocking" state is drawn (both happen before the next frame anyway).
        let Some(attempt) = self.cycle.try_update_untracked(UnlockCycle::tap).flatten() else { return };
        self.stop_countdown();
        let on_progress = Arc::new(on_progress);
        let (client, row, on_progress_later) = (client.clone(), self.clone(), on_progress.clone());
        let id = self.id;
        spawn_local(async move {
            let result = client.unlock(id).await.map_err(|e| e.problem);
            let succeeded = result.is_ok();
            let Some(state) = row.cycle.try_update(|cycle| {
                cycle.finish(attempt, result);
                cycle.state()
            }) else {
                return;
            };
            // After the state: what the visitor reads must never wait on, or depend on, a buzz.
            buzz(succeeded);
            row.still_trying.try_set(false);
            on_progress_later(Progress::Done(state));
            if state == UnlockState::Unlocked {
                row.remaining.try_set(unlocked_for.as_secs());
                let ticking = row.clone();
                let tick = move || {
                    ticking.remaining.try_update(|r| *r = r.saturating_sub(1));
                };
                *row.countdown.lock().or_poisoned() = set_interval_with_handle(tick, Duration::from_secs(1)).ok();
                let settling = row.clone();
                set_timeout(
                    move || {
                        settling.cycle.try_update(|cycle| cycle.settle(attempt));
                        if settling.cycle.try_with_untracked(UnlockCycle::state) != Some(UnlockState::Unlocked) {
                            settling.stop_countdown();
                        }
                    },
                    unlocked_for,
                );
            }
        });
        self.cycle.notify();
        on_progress(Progress::Unlocking);
        let (waiting, on_progress_waiting) = (self.clone(), on_progress.clone());
        set_timeout(
            move || {
                let unanswered = waiting.cycle.try_with_untracked(|cycle| cycle.is_unlocking(attempt)) == Some(true);
                if unanswered {
                    waiting.still_trying.try_set(true);
                    on_progress_waiting(Progress::StillTrying);
                }
            },
            UNLOCK_SLOW_AFTER,
        );
    }
}

/// How a tap goes, for what the page says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// The request is on its way.
    Unlocking,
    /// No answer yet after a while; still trying.
    StillTrying,
    /// The answer: unlocked, or why not.
    Done(UnlockState),
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `navigator.vibrate`, bound with `catch`: WebKit never had it and Firefox removed it (129),
    /// where calling it throws a `TypeError` — web-sys' binding would let that unwind through the
    /// unlock's task and leave the door "Unlocking…" for good (issue #25). Here a missing or
    /// refusing vibrator is an `Err`, ignored.
    #[wasm_bindgen(js_namespace = navigator, js_name = vibrate, catch)]
    fn vibrate(pattern: &wasm_bindgen::JsValue) -> Result<bool, wasm_bindgen::JsValue>;
}

/// A short buzz for success, a double one for failure, on devices that can (Android phones): the
/// visitor's eyes may already be on the door. Nothing anywhere else.
fn buzz(succeeded: bool) {
    let pattern: wasm_bindgen::JsValue =
        if succeeded { 40.into() } else { js_sys::Array::of3(&70.into(), &50.into(), &70.into()).into() };
    let _ = vibrate(&pattern);
}

/// A door as last read, its revision, and its state.
struct Entry {
    revision: u32,
    door: Door,
    row: DoorRow,
}

/// Every door of the list, by id. Entries outlive readings of the list: a reading updates the doors
/// that changed (a new revision), adds new ones, and drops the gone.
#[derive(Clone, Copy)]
pub struct DoorBoard {
    entries: StoredValue<HashMap<DoorId, Entry>>,
    /// Notified on every update: what reads a revision follows it.
    updated: Trigger,
}

impl Default for DoorBoard {
    fn default() -> Self {
        DoorBoard { entries: StoredValue::new(HashMap::new()), updated: Trigger::new() }
    }
}

impl DoorBoard {
    /// Brings the entries up to `list`.
    pub fn update(self, list: &LockList) {
        self.entries.try_update_value(|entries| {
            let mut was = std::mem::replace(entries, HashMap::with_capacity(list.doors.len()));
            for door in &list.doors {
                let entry = match was.remove(&door.id) {
                    Some(entry) if entry.door == *door => entry,
                    Some(entry) => Entry { revision: entry.revision + 1, door: door.clone(), row: entry.row },
                    None => Entry { revision: 0, door: door.clone(), row: DoorRow::new(door.id) },
                };
                entries.insert(door.id, entry);
            }
        });
        self.updated.notify();
    }

    /// Door `id`'s revision: the list redraws a door when it moves. Reactive: a reader follows
    /// every update of the board.
    pub fn revision(self, id: DoorId) -> u32 {
        self.updated.track();
        self.entries.try_with_value(|entries| entries.get(&id).map(|entry| entry.revision)).flatten().unwrap_or(0)
    }

    /// The connection is back: every door that only said it needed one is ready again.
    pub fn reconnected(self) {
        self.entries.try_with_value(|entries| {
            for entry in entries.values() {
                // Only the doors that change are redrawn.
                if entry.row.cycle.try_update_untracked(UnlockCycle::reconnected) == Some(true) {
                    entry.row.cycle.notify();
                }
            }
        });
    }

    /// Door `id` as last read, and its state; `None` if the list has no such door.
    pub fn door(self, id: DoorId) -> Option<(Door, DoorRow)> {
        self.entries
            .try_with_value(|entries| entries.get(&id).map(|entry| (entry.door.clone(), entry.row.clone())))
            .flatten()
    }
}
