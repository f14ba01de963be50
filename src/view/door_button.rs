//! One door's button: its name, its state, the tap (or hold) that unlocks it, and what it says.
//! Its events arrive through the door list's listeners (see `door_events`).

use leptos::prelude::*;

use crate::domain::directory::{DoorDirectory, SearchQuery};
use crate::domain::door::{Blocker, Door};
use crate::domain::gesture::{CONFIRM_WITHIN, HOLD_FOR, HoldGesture, Step, Timer};
use crate::domain::unlock::{UnlockCycle, UnlockState};
use crate::services::door_board::DoorRow;
use crate::services::door_source::DoorSource;
use crate::view::brand::ContactLine;
use crate::view::context::{Announcer, DoorSettings, i18n};
use crate::view::door_events::{DoorEvent, DoorEvents};

/// What decides whether a door is shown: the arranged list and the visitor's search.
#[derive(Clone, Copy)]
pub struct Filter {
    /// The arranged list (with each door's search text).
    pub directory: Memo<DoorDirectory>,
    /// What the visitor typed.
    pub query: Memo<SearchQuery>,
}

/// One door: a real `<button>` named after the door, with its state beneath the name.
///
/// With the `hold` gesture, a pointer must press and hold (a bar fills; letting go early cancels);
/// keyboard and screen-reader users confirm with a second activation instead (see
/// [`crate::domain::gesture`]).
#[component]
pub fn DoorButton(
    /// The door as last read.
    door: Door,
    /// Its unlock state.
    row: DoorRow,
    /// Hides the door when the search does not match it.
    filter: Filter,
    /// The door the link named (`&door=…`): shown first and marked.
    #[prop(optional)]
    highlighted: bool,
) -> impl IntoView {
    let i18n = i18n();
    let DoorSettings { hold, unlocked_for, doors, .. } = expect_context::<DoorSettings>();
    let source = expect_context::<DoorSource>();
    let announce = expect_context::<Announcer>();
    let (cycle, remaining, still_trying) = (row.cycle.clone(), row.remaining.clone(), row.still_trying.clone());
    let id = door.id;
    let state = {
        let cycle = cycle.clone();
        move || cycle.with(UnlockCycle::state)
    };
    let blocker = door.blocker();
    let name = i18n.door_name(&door);
    let description =
        door.shown_description().map(|text| view! { <span class="door-description" dir="auto">{text}</span> });
    // The operator's note sits under the button and is its description (read after its name).
    // Only a door with a note pays for an id (the list may hold a thousand doors).
    let (described_by, note) = match doors.with_value(|doors| doors.note(id).map(str::to_owned)) {
        Some(text) => {
            let note_id = format!("door-note-{id}");
            (Some(note_id.clone()), Some(view! { <p class="door-note" id=note_id dir="auto">{text}</p> }))
        }
        None => (None, None),
    };
    let filtered_out = move || filter.directory.with(|d| d.searchable() && filter.query.with(|q| !d.matches(id, q)));

    let unlock = {
        let (row, name, door) = (row.clone(), name.clone(), door.clone());
        move || {
            // The live region says what happened, with the door's name.
            let name = name.clone();
            source.tap(&door, &row, unlocked_for, move |progress| {
                if let Some(message) = i18n.tap_news(progress, &name) {
                    announce.say(message);
                }
            });
        }
    };

    // The hold gesture, only where it is configured.
    let gesture = hold.then(|| RwSignal::new(HoldGesture::default()));
    let can_start = {
        let (row, door) = (row.clone(), door.clone());
        move || row.can_start(&door)
    };
    let run = {
        let unlock = unlock.clone();
        move |step: Step, gesture: RwSignal<HoldGesture>| {
            let fire_after = |timer: Timer, after| {
                let unlock = unlock.clone();
                set_timeout(
                    move || {
                        if gesture.try_update(|g| g.timer_fired(timer)) == Some(Step::Unlock) {
                            unlock();
                        }
                    },
                    after,
                );
            };
            match step {
                Step::Wait => {}
                Step::Unlock => unlock(),
                Step::StartHold(timer) => fire_after(timer, HOLD_FOR),
                Step::StartConfirmWindow(timer) => fire_after(timer, CONFIRM_WITHIN),
            }
        }
    };
    if let Some(events) = use_context::<DoorEvents>() {
        let unlock = unlock.clone();
        events.register(id, move |event, raw| match (gesture, event) {
            (None, DoorEvent::Click) => unlock(),
            (None, _) => {}
            (Some(gesture), DoorEvent::Click) => {
                run(gesture.try_update(|g| g.click(can_start())).unwrap_or(Step::Wait), gesture)
            }
            (Some(gesture), DoorEvent::PointerDown) => {
                run(gesture.try_update(|g| g.pointer_down(can_start())).unwrap_or(Step::Wait), gesture)
            }
            (Some(gesture), DoorEvent::PointerGone) => gesture.update(HoldGesture::pointer_gone),
            // A long press would open the browser's menu over the button being held.
            (Some(_), DoorEvent::ContextMenu) => raw.prevent_default(),
        });
    }
    // A tap on the painted door, before the app ran: this button takes it over (after this render,
    // in a task of its own) and shows how it goes, as if the tap had been its own.
    if source.tapped_early(id) {
        let unlock = unlock.clone();
        leptos::task::spawn_local(async move { unlock() });
    }
    let holding = gesture.map(|gesture| move || gesture.with(HoldGesture::is_holding).then_some("true"));
    let armed = move || gesture.is_some_and(|gesture| gesture.with(HoldGesture::is_armed));

    let online = source.online();
    let data_state = {
        let state = state.clone();
        move || match (blocker, state()) {
            (Some(_), _) => "blocked",
            (None, UnlockState::Ready) if !online.get() => "no-connection",
            (None, UnlockState::Ready) => "ready",
            (None, UnlockState::Unlocking) => "unlocking",
            (None, UnlockState::Unlocked) => "unlocked",
            (None, UnlockState::Failed(_)) => "failed",
        }
    };
    let status = {
        let state = state.clone();
        move || match (blocker, state()) {
            (Some(blocker), _) => i18n.t(blocker_key(blocker)),
            (None, UnlockState::Ready) if !online.get() => i18n.t("door.needs_connection"),
            (None, UnlockState::Ready | UnlockState::Failed(_)) if armed() => i18n.t("door.confirm"),
            (None, UnlockState::Ready) if hold => i18n.t("door.hold"),
            (None, UnlockState::Ready) => i18n.t("door.tap"),
            (None, UnlockState::Unlocking) if still_trying.get() => i18n.t("door.still_trying"),
            (None, UnlockState::Unlocking) => i18n.t("door.unlocking"),
            (None, UnlockState::Unlocked) => i18n.t("door.unlocked"),
            (None, UnlockState::Failed(problem)) => i18n.problem_title(problem),
        }
    };
    let busy = {
        let state = state.clone();
        move || (state() == UnlockState::Unlocking).then_some("true")
    };
    // Below the button: the countdown while unlocked, what to do after a failure.
    let below = move || match state() {
        UnlockState::Unlocked if remaining.get() > 0 => Some(
            view! {
                <p class="door-countdown" aria-hidden="true">
                    {i18n.t_with("door.locks_again", &[("seconds", &remaining.get().to_string())])}
                </p>
            }
            .into_any(),
        ),
        UnlockState::Failed(problem) => Some(
            view! {
                <div class="door-advice">
                    <p>{i18n.problem_advice(problem)}</p>
                    <ContactLine />
                </div>
            }
            .into_any(),
        ),
        _ => None,
    };

    // The button's name is everything it shows, in reading order: the door's name first (what a
    // voice-control user says), then its description and state (WCAG 2.5.3, label in name).
    // `dir="auto"` + CSS isolation: a name with bidirectional-override characters cannot reorder
    // the text around it.
    view! {
        <li
            class="door"
            data-door-id=id.to_string()
            data-state=data_state
            data-holding=holding
            data-highlighted=highlighted.then_some("true")
            hidden=filtered_out
        >
            <button
                type="button"
                class="door-button"
                aria-disabled=move || (blocker.is_some() || !online.get()).then_some("true")
                aria-busy=busy
                aria-describedby=described_by
            >
                <span class="door-name" dir="auto">{name}</span>
                {description}
                <span class="door-status">
                    <span class="door-icon" aria-hidden="true"></span>
                    {status}
                </span>
            </button>
            {note}
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
