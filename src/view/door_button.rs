//! One door's button: its name, its state, the tap (or hold) that unlocks it, and what it
//! announces. Used by the door list in [`super::doors`].

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;

use crate::door::{Blocker, Door, DoorId, SearchQuery};
use crate::i18n::{t, t_with};
use crate::unlock::{UnlockCycle, UnlockState};
use crate::view::door_events::{DoorEvent, DoorEvents};
use crate::view::doors::OnTap;
use crate::view::{Announcer, ContactLine};

/// Each door's unlock cycle, kept by the doors page rather than by the door's button: a refresh
/// draws the list again, and a tap's answer must still reach the door (and "Unlocked" stay on)
/// when it arrives after that.
#[derive(Clone, Copy)]
pub(super) struct DoorStates {
    cycles: StoredValue<HashMap<DoorId, RwSignal<UnlockCycle>>>,
    /// The page's owner: the cycles live as long as the page, not as one drawing of the list.
    owner: StoredValue<Option<Owner>>,
}

impl DoorStates {
    /// An empty set, owned by the calling component (the page).
    pub(super) fn new() -> Self {
        DoorStates { cycles: StoredValue::new(HashMap::new()), owner: StoredValue::new(Owner::current()) }
    }

    /// `door`'s cycle, made on first use.
    fn cycle(self, door: DoorId) -> RwSignal<UnlockCycle> {
        if let Some(cycle) = self.cycles.with_value(|cycles| cycles.get(&door).copied()) {
            return cycle;
        }
        let make = || RwSignal::new(UnlockCycle::default());
        let cycle = self.owner.with_value(|owner| owner.as_ref().map_or_else(make, |owner| owner.with(make)));
        self.cycles.update_value(|cycles| {
            cycles.insert(door, cycle);
        });
        cycle
    }
}

/// What each door needs of the configuration (provided by the door list).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct DoorSettings {
    /// The `hold` gesture instead of a tap.
    pub(super) hold: bool,
    /// How long a door stays unlocked.
    pub(super) unlocked_for: Duration,
}

/// How long a door must be held in `hold` mode.
pub const HOLD_FOR: Duration = Duration::from_millis(800);
/// How long a first tap (keyboard, screen reader) waits for the confirming second in `hold` mode.
pub const CONFIRM_WITHIN: Duration = Duration::from_secs(4);

/// One door: a real `<button>` named after the door, with its state beneath the name. Its events
/// arrive through the enclosing door list's listeners (see `door_events`).
///
/// With the `hold` gesture, a pointer must press and hold for [`HOLD_FOR`] (a bar fills; letting go
/// early cancels). Keyboard and screen-reader users, who cannot hold, get an equally deliberate
/// alternative: the first activation asks "Press again to unlock", the second within
/// [`CONFIRM_WITHIN`] unlocks.
#[component]
pub(super) fn DoorButton(
    /// The door to show.
    door: Door,
    /// What a tap does (not called for doors that cannot be unlocked).
    on_tap: OnTap,
    /// The door the link named (`&door=…`): shown first and marked.
    #[prop(optional)]
    highlighted: bool,
    /// The visitor's search and this door's search text; the door hides when it does not match.
    #[prop(optional_no_strip)]
    search: Option<(Memo<SearchQuery>, String)>,
) -> impl IntoView {
    // Each reactive attribute is an effect per door, so a long list only gets the ones it can use:
    // no search box, no filtering; no hold gesture, no hold bar.
    let filtered_out = search.map(|(query, text)| move || query.with(|q| !q.matches(&text)));
    let DoorSettings { hold, unlocked_for } = use_context::<DoorSettings>().unwrap_or_default();
    let cycle = use_context::<DoorStates>().map_or_else(|| RwSignal::new(UnlockCycle::default()), |s| s.cycle(door.id));
    let state = move || cycle.with(UnlockCycle::state);
    let blocker = door.blocker();
    let id = door.id;
    // The button's name is everything it shows, in reading order: the door's name first (what a
    // voice-control user says), then its description and state (WCAG 2.5.3, label in name).
    let description = door.display_description();
    // `dir="auto"` + CSS isolation: a name with bidirectional-override characters cannot reorder
    // the text around it.
    let description = description.map(|text| view! { <span class="door-description" dir="auto">{text}</span> });

    let holding = RwSignal::new(false);
    let armed = RwSignal::new(false);
    let hold_timer = StoredValue::new(None::<TimeoutHandle>);
    let pressed_by_pointer = StoredValue::new(false);
    // Announcements and the countdown follow the door's state, which only moves after a tap: a
    // door nobody taps (most of a long list) never needs the effect, so the first tap creates it,
    // under this door's owner so that it goes away with the door.
    let not_yet_watched = StoredValue::new(Some((Owner::current(), door.display_name())));
    let announce = use_context::<Announcer>();
    let remaining = RwSignal::new(0_u64);
    let countdown = StoredValue::new(None::<IntervalHandle>);
    // `announce_now`: whether the state the effect first sees is news (a tap) or already told (a
    // door drawn again mid-cycle, when the list was refreshed).
    let watch_state = move |announce_now: bool| {
        let Some((owner, name)) = not_yet_watched.try_update_value(Option::take).flatten() else {
            return;
        };
        let effect = move |previous: Option<UnlockState>| {
            let now = state();
            let changed =
                previous.is_some_and(|p| p != now) || (previous.is_none() && announce_now && now != UnlockState::Ready);
            let message = match now {
                UnlockState::Ready => None,
                UnlockState::Unlocking => Some(t_with("announce.unlocking", &[("door", &name)])),
                UnlockState::Unlocked => Some(t_with("announce.unlocked", &[("door", &name)])),
                UnlockState::Failed(problem) => Some(format!("{name}: {} {}", problem.title(), problem.advice())),
            };
            if let (true, Some(announce), Some(message)) = (changed, announce, message) {
                announce.say(message);
            }
            if let Some(handle) = countdown.get_value() {
                handle.clear();
                countdown.set_value(None);
            }
            if now == UnlockState::Unlocked {
                remaining.set(unlocked_for.as_secs());
                let tick = move || remaining.update(|r| *r = r.saturating_sub(1));
                countdown.set_value(set_interval_with_handle(tick, Duration::from_secs(1)).ok());
            }
            now
        };
        match &owner {
            Some(owner) => owner.with(|| Effect::new(effect)),
            None => Effect::new(effect),
        };
    };
    // Drawn again while an unlock is under way (the list was refreshed): follow it from here.
    if cycle.with_untracked(UnlockCycle::state) != UnlockState::Ready {
        watch_state(false);
    }
    let unlock = move || {
        if blocker.is_none() {
            armed.set(false);
            on_tap.run((id, cycle));
            // After the tap's request is on its way: the effect's first run (which announces
            // "Unlocking") then queues behind it instead of delaying it.
            watch_state(true);
        }
    };
    let stop_holding = move || {
        if let Some(timer) = hold_timer.get_value() {
            timer.clear();
        }
        hold_timer.set_value(None);
        holding.set(false);
    };
    let on_pointer_down = move || {
        if hold && blocker.is_none() && state() != UnlockState::Unlocking {
            pressed_by_pointer.set_value(true);
            holding.set(true);
            let timer = set_timeout_with_handle(
                move || {
                    hold_timer.set_value(None);
                    holding.set(false);
                    unlock();
                },
                HOLD_FOR,
            );
            hold_timer.set_value(timer.ok());
        }
    };
    let on_click = move || {
        if !hold {
            unlock();
        } else if pressed_by_pointer.get_value() {
            // The pointer's own click, after a hold (done) or a release (cancelled).
            pressed_by_pointer.set_value(false);
        } else if armed.get_untracked() {
            unlock();
        } else if blocker.is_none() && state() != UnlockState::Unlocking {
            armed.set(true);
            set_timeout(move || armed.set(false), CONFIRM_WITHIN);
        }
    };
    if let Some(events) = use_context::<DoorEvents>() {
        events.register(id, move |event, raw| match event {
            DoorEvent::Click => on_click(),
            DoorEvent::PointerDown => on_pointer_down(),
            DoorEvent::PointerGone => stop_holding(),
            // A long press would open the browser's menu over the button being held.
            DoorEvent::ContextMenu if hold => raw.prevent_default(),
            DoorEvent::ContextMenu => {}
        });
    }

    let data_state = move || match (blocker, state()) {
        (Some(_), _) => "blocked",
        (None, UnlockState::Ready) => "ready",
        (None, UnlockState::Unlocking) => "unlocking",
        (None, UnlockState::Unlocked) => "unlocked",
        (None, UnlockState::Failed(_)) => "failed",
    };
    let status = move || match (blocker, state()) {
        (Some(blocker), _) => t(blocker_key(blocker)),
        (None, UnlockState::Ready | UnlockState::Failed(_)) if armed.get() => t("door.confirm"),
        (None, UnlockState::Ready) if hold => t("door.hold"),
        (None, UnlockState::Ready) => t("door.tap"),
        (None, UnlockState::Unlocking) => t("door.unlocking"),
        (None, UnlockState::Unlocked) => t("door.unlocked"),
        (None, UnlockState::Failed(problem)) => problem.title(),
    };
    // Below the button: the countdown while unlocked, what to do after a failure.
    let below = move || match state() {
        UnlockState::Unlocked if remaining.get() > 0 => Some(
            view! {
                <p class="door-countdown" aria-hidden="true">
                    {t_with("door.locks_again", &[("seconds", &remaining.get().to_string())])}
                </p>
            }
            .into_any(),
        ),
        UnlockState::Failed(problem) => Some(
            view! {
                <div class="door-advice">
                    <p>{problem.advice()}</p>
                    <ContactLine />
                </div>
            }
            .into_any(),
        ),
        _ => None,
    };

    view! {
        <li
            class="door"
            data-door-id=id.to_string()
            data-state=data_state
            data-holding=hold.then_some(move || holding.get().then_some("true"))
            data-highlighted=highlighted.then_some("true")
            hidden=filtered_out
        >
            <button
                type="button"
                class="door-button"
                aria-disabled=blocker.is_some().then_some("true")
                aria-busy=move || (state() == UnlockState::Unlocking).then_some("true")
            >
                <span class="door-name" dir="auto">{door.display_name()}</span>
                {description}
                <span class="door-status">
                    <span class="door-icon" aria-hidden="true"></span>
                    {status}
                </span>
            </button>
            {below}
        </li>
    }
}

fn blocker_key(blocker: Blocker) -> &'static str {
    match blocker {
        Blocker::LockedDown => "door.locked_down",
        Blocker::Offline => "door.offline",
        Blocker::NotConfigured => "door.not_set_up",
    }
}
