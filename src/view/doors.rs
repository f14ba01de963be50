//! The door list: one big button per door, grouped by place.

use leptos::prelude::*;

use crate::actions::unlock_door;
use crate::api::error::ApiError;
use crate::api::{KisiClient, LockList};
use crate::door::{Blocker, Door, DoorId, MAX_NAME_CHARS, PlaceGroup, clip, group_by_place};
use crate::unlock::{UnlockCycle, UnlockState};
use crate::view::{ProblemPanel, RememberLink};

/// What a tap on a door does: the page's unlock action, or whatever a test wants to observe.
/// It receives the door and its unlock cycle, which it is expected to move along.
pub type OnTap = Callback<(DoorId, RwSignal<UnlockCycle>)>;

/// Loads the link's doors and shows them, a loading state, or what went wrong.
#[component]
pub fn DoorsPage(
    /// The client for this visitor's link.
    client: KisiClient,
    /// Goes up when the doors should be read again (connection back, page seen again); the list
    /// stays on screen meanwhile.
    refresh: ReadSignal<u32>,
) -> impl IntoView {
    let locks = {
        let client = client.clone();
        LocalResource::new(move || {
            refresh.track();
            let client = client.clone();
            async move { client.fetch_all_locks().await }
        })
    };
    let secret = client.secret().clone();
    let on_tap = OnTap::new(move |(door, cycle)| unlock_door(&client, door, cycle));
    let (retrying, set_retrying) = signal(false);
    let on_retry = Callback::new(move |()| locks.refetch());
    let show = move |result: Result<LockList, ApiError>| match result {
        Ok(list) => view! {
            <DoorList list on_tap />
            <RememberLink secret=secret.clone() />
        }
        .into_any(),
        Err(error) => view! { <ProblemPanel error on_retry retrying /> }.into_any(),
    };
    view! {
        <Transition fallback=Loading set_pending=set_retrying>
            {move || {
                let show = show.clone();
                Suspend::new(async move { show(locks.await) })
            }}
        </Transition>
    }
}

/// Shown until the first answer: it has the shape of the door list, so nothing jumps.
#[component]
fn Loading() -> impl IntoView {
    view! {
        <section class="screen loading" data-screen="loading" aria-busy="true">
            <h1>"Your doors"</h1>
            <p role="status">"Loading your doors…"</p>
            <ul class="door-list" aria-hidden="true">
                <li class="door placeholder"></li>
                <li class="door placeholder"></li>
            </ul>
        </section>
    }
}

/// Every door of the link, grouped by place (with headings only when there is more than one).
#[component]
pub fn DoorList(
    /// The doors as read from Kisi.
    list: LockList,
    /// What a tap does.
    on_tap: OnTap,
) -> impl IntoView {
    if list.doors.is_empty() {
        return view! {
            <section class="screen empty" data-screen="empty">
                <h1>"No doors yet"</h1>
                <p>"This link doesn't open any doors right now. If you expected some, please contact your host."</p>
            </section>
        }
        .into_any();
    }
    let skipped = list.skipped;
    let groups = group_by_place(list.doors);
    let headed = groups.len() > 1;
    view! {
        <section class="doors" data-screen="doors">
            <h1>"Your doors"</h1>
            {groups.into_iter().map(|group| view! { <PlaceDoors group headed on_tap /> }).collect_view()}
            {(skipped > 0)
                .then(|| {
                    let text = if skipped == 1 {
                        "1 door couldn't be shown.".to_owned()
                    } else {
                        format!("{skipped} doors couldn't be shown.")
                    };
                    view! { <p class="note">{text}</p> }
                })}
        </section>
    }
    .into_any()
}

/// The doors of one place.
#[component]
fn PlaceDoors(group: PlaceGroup, headed: bool, on_tap: OnTap) -> impl IntoView {
    let heading = group.place.filter(|_| headed).map(|place| {
        let id = format!("place-{}", place.id);
        (id.clone(), view! { <h2 id=id dir="auto">{clip(&place.name, MAX_NAME_CHARS)}</h2> })
    });
    let (labelled_by, heading) = heading.unzip();
    view! {
        <section class="place" aria-labelledby=labelled_by>
            {heading}
            <ul class="door-list">{group.doors.into_iter().map(|door| view! { <DoorButton door on_tap /> }).collect_view()}</ul>
        </section>
    }
}

/// One door: a real `<button>` named after the door, with its state beneath the name.
#[component]
pub fn DoorButton(
    /// The door to show.
    door: Door,
    /// What a tap does (not called for doors that cannot be unlocked).
    on_tap: OnTap,
) -> impl IntoView {
    let cycle = RwSignal::new(UnlockCycle::default());
    let state = move || cycle.with(UnlockCycle::state);
    let blocker = door.blocker();
    let id = door.id;
    let name_id = format!("door-{id}-name");
    let description_id = format!("door-{id}-description");
    let status_id = format!("door-{id}-status");
    let described_by = status_id.clone();
    let labelled_by = match door.description {
        Some(_) => format!("{name_id} {description_id}"),
        None => name_id.clone(),
    };
    let description =
        door.description.clone().map(|text| view! { <span class="door-description" id=description_id>{text}</span> });

    let data_state = move || match (blocker, state()) {
        (Some(_), _) => "blocked",
        (None, UnlockState::Ready) => "ready",
        (None, UnlockState::Unlocking) => "unlocking",
        (None, UnlockState::Unlocked) => "unlocked",
        (None, UnlockState::Failed(_)) => "failed",
    };
    let status = move || match (blocker, state()) {
        (Some(blocker), _) => blocker_text(blocker),
        (None, UnlockState::Ready) => "Tap to unlock",
        (None, UnlockState::Unlocking) => "Unlocking…",
        (None, UnlockState::Unlocked) => "Unlocked",
        (None, UnlockState::Failed(problem)) => problem.title(),
    };
    let advice = move || match state() {
        UnlockState::Failed(problem) => Some(view! { <p class="door-advice">{problem.advice()}</p> }),
        _ => None,
    };

    view! {
        <li class="door" data-door-id=id.to_string() data-state=data_state>
            <button
                type="button"
                class="door-button"
                aria-labelledby=labelled_by
                aria-describedby=described_by
                aria-disabled=blocker.is_some().then_some("true")
                aria-busy=move || (state() == UnlockState::Unlocking).then_some("true")
                on:click=move |_| {
                    if blocker.is_none() {
                        on_tap.run((id, cycle));
                    }
                }
            >
                <span class="door-name" id=name_id dir="auto">{door.display_name()}</span>
                {description}
                <span class="door-status" id=status_id role="status">
                    <span class="door-icon" aria-hidden="true"></span>
                    {status}
                </span>
            </button>
            {advice}
        </li>
    }
}

fn blocker_text(blocker: Blocker) -> &'static str {
    match blocker {
        Blocker::LockedDown => "Locked down",
        Blocker::Offline => "Offline",
        Blocker::NotConfigured => "Not set up",
    }
}
