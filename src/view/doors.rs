//! The door list: one big button per door, grouped by place.

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;

use leptos::task::spawn_local;

use crate::actions::unlock_door;
use crate::api::error::ApiError;
use crate::api::{KisiClient, LockList};
use crate::config::{DoorOrder, Gesture, SiteConfig};
use crate::door::{
    Blocker, Door, DoorId, MAX_NAME_CHARS, PlaceGroup, SEARCH_FROM, SearchQuery, clip, group_by_place, search_text,
};
use crate::door_cache;
use crate::i18n::{t, t_with};
use crate::session;
use crate::unlock::{UnlockCycle, UnlockState};
use crate::view::door_events::{DoorEvent, DoorEvents};
use crate::view::{Announcer, ContactLine, ProblemPanel, RememberLink, page_texts};

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
    // A repeat visit starts from this device's copy of the list; Kisi's answer replaces it only
    // when it differs (so a door tapped meanwhile keeps its state) or refuses the link.
    let revalidated = RwSignal::new(0_u32);
    let checked = StoredValue::new(None::<Result<LockList, ApiError>>);
    let first_load = StoredValue::new(true);
    let locks = {
        let client = client.clone();
        LocalResource::new(move || {
            refresh.track();
            revalidated.track();
            let client = client.clone();
            async move {
                if let Some(outcome) = checked.try_update_value(Option::take).flatten() {
                    return outcome;
                }
                let key = door_cache::key_for(client.secret()).await;
                let stored = first_load.try_update_value(std::mem::take).unwrap_or(false);
                match (stored, key.as_deref().and_then(door_cache::load)) {
                    (true, Some(stored)) => {
                        let shown = stored.clone();
                        spawn_local(async move {
                            let outcome = fetch_and_store(&client, key.as_deref()).await;
                            let changed = outcome.as_ref().map_or_else(|e| e.problem.is_link_level(), |l| *l != shown);
                            if changed {
                                checked.set_value(Some(outcome));
                                revalidated.update(|n| *n += 1);
                            }
                        });
                        Ok(stored)
                    }
                    _ => fetch_and_store(&client, key.as_deref()).await,
                }
            }
        })
    };
    let secret = client.secret().clone();
    let unlocked_for = use_context::<SiteConfig>().unwrap_or_default().unlocked_for;
    let on_tap = OnTap::new(move |(door, cycle)| unlock_door(&client, door, cycle, unlocked_for));
    provide_context(DoorStates::new());
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

/// Every door of the link from Kisi, kept on this device under `key` (see [`door_cache`]); a
/// link Kisi refuses loses its copy.
async fn fetch_and_store(client: &KisiClient, key: Option<&str>) -> Result<LockList, ApiError> {
    let outcome = client.fetch_all_lock_pages().await;
    match (&outcome, key) {
        (Ok((_, pages)), Some(key)) => door_cache::save(key, pages),
        (Err(error), Some(key)) if error.problem.is_link_level() => door_cache::forget(key),
        _ => {}
    }
    outcome.map(|(list, _)| list)
}

/// Shown until the first answer: it has the shape of the door list, so nothing jumps.
#[component]
fn Loading() -> impl IntoView {
    view! {
        <section class="screen loading" data-screen="loading" aria-busy="true">
            <h1 dir="auto">{page_texts().title.unwrap_or_else(|| t("page.title"))}</h1>
            <p role="status">{t("page.loading")}</p>
            <ul class="door-list" aria-hidden="true">
                <li class="door placeholder"></li>
                <li class="door placeholder"></li>
            </ul>
        </section>
    }
}

/// Every door of the link, grouped by place (with headings only when there is more than one), in
/// the order and grouping the operator configured.
#[component]
pub fn DoorList(
    /// The doors as read from Kisi.
    list: LockList,
    /// What a tap does.
    on_tap: OnTap,
) -> impl IntoView {
    let config = use_context::<SiteConfig>().unwrap_or_default();
    let texts = page_texts();
    if list.doors.is_empty() {
        return view! {
            <section class="screen empty" data-screen="empty">
                <h1>{t("empty.title")}</h1>
                <p>{t("empty.text")}</p>
                <ContactLine />
            </section>
        }
        .into_any();
    }
    let events = DoorEvents::new(config.gesture == Gesture::Hold);
    provide_context(events);
    // What every door needs of the configuration, copied once: not the whole configuration per door.
    provide_context(DoorSettings { hold: config.gesture == Gesture::Hold, unlocked_for: config.unlocked_for });
    let skipped = list.skipped;
    let mut doors = list.doors;
    if config.door_order == DoorOrder::Name {
        sort_by_name(&mut doors);
    }
    // A door named in the link (`&door=42`, e.g. a QR code on that door) goes first, highlighted.
    let named = session::named_door().and_then(|id| doors.iter().position(|d| d.id == id)).map(|i| doors.remove(i));
    let named = named.map(|door| {
        view! {
            <section class="place named" aria-label=t("list.this_door")>
                <ul class="door-list">
                    <DoorButton door on_tap highlighted=true />
                </ul>
            </section>
        }
    });
    let searchable = doors.len() + usize::from(named.is_some()) > SEARCH_FROM;
    let typed = RwSignal::new(String::new());
    let search_query = Memo::new(move |_| typed.with(|q| SearchQuery::new(q)));
    let groups = if config.group_by_place { group_by_place(doors) } else { vec![PlaceGroup { place: None, doors }] };
    let headed = groups.len() > 1;
    // Each door's search text, made once (lower-casing crosses into the browser) and shared out.
    let search_texts: Vec<Vec<String>> = if searchable {
        groups.iter().map(|group| group.doors.iter().map(search_text).collect()).collect()
    } else {
        vec![Vec::new(); groups.len()]
    };
    let all_text: Vec<String> = search_texts.iter().flatten().cloned().collect();
    let query = searchable.then_some(search_query);
    let search = searchable.then(|| {
        let nothing_found = move || {
            (!search_query.with(|q| all_text.iter().any(|text| q.matches(text))))
                .then(|| view! { <p class="note" role="status">{t("search.none")}</p> })
        };
        view! {
            <div class="search">
                <label for="door-search">{t("search.label")}</label>
                <input
                    id="door-search"
                    type="search"
                    autocomplete="off"
                    enterkeyhint="search"
                    prop:value=typed
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
                {nothing_found}
            </div>
        }
    });
    view! {
        <section
            class="doors"
            data-screen="doors"
            on:click=move |ev| events.dispatch(DoorEvent::Click, &ev)
            on:pointerdown=move |ev| events.dispatch(DoorEvent::PointerDown, &ev)
            on:pointerup=move |ev| events.dispatch(DoorEvent::PointerGone, &ev)
            on:pointerout=move |ev| events.dispatch(DoorEvent::PointerGone, &ev)
            on:pointercancel=move |ev| events.dispatch(DoorEvent::PointerGone, &ev)
            on:contextmenu=move |ev| events.dispatch(DoorEvent::ContextMenu, &ev)
        >
            <h1 dir="auto">{texts.title.unwrap_or_else(|| t("page.title"))}</h1>
            {texts.intro.map(|intro| view! { <p class="intro" dir="auto">{intro}</p> })}
            {named}
            {search}
            {groups
                .into_iter()
                .zip(search_texts)
                .map(|(group, texts)| view! { <PlaceDoors group texts headed on_tap query /> })
                .collect_view()}
            {(skipped > 0)
                .then(|| {
                    let text = if skipped == 1 {
                        t("list.skipped_one")
                    } else {
                        t_with("list.skipped_many", &[("count", &skipped.to_string())])
                    };
                    view! { <p class="note">{text}</p> }
                })}
        </section>
    }
    .into_any()
}

/// The doors of one place; a place none of whose doors match the search is hidden with them.
#[component]
fn PlaceDoors(
    group: PlaceGroup,
    /// Each door's search text (empty without a search box).
    texts: Vec<String>,
    headed: bool,
    on_tap: OnTap,
    query: Option<Memo<SearchQuery>>,
) -> impl IntoView {
    let none_match = query.map(|query| {
        let texts = texts.clone();
        move || query.with(|q| !texts.iter().any(|text| q.matches(text)))
    });
    let heading = group.place.filter(|_| headed).map(|place| {
        let id = format!("place-{}", place.id);
        (id.clone(), view! { <h2 id=id dir="auto">{clip(&place.name, MAX_NAME_CHARS)}</h2> })
    });
    let (labelled_by, heading) = heading.unzip();
    let mut texts = texts.into_iter();
    let doors = group.doors.into_iter().map(|door| {
        let search = query.zip(texts.next());
        view! { <DoorButton door on_tap search /> }
    });
    view! {
        <section class="place" aria-labelledby=labelled_by hidden=none_match>
            {heading}
            <ul class="door-list">{doors.collect_view()}</ul>
        </section>
    }
}

/// Each door's unlock cycle, kept by the [`DoorsPage`] rather than by the door's button: a refresh
/// draws the list again, and a tap's answer must still reach the door (and "Unlocked" stay on)
/// when it arrives after that.
#[derive(Clone, Copy)]
struct DoorStates {
    cycles: StoredValue<HashMap<DoorId, RwSignal<UnlockCycle>>>,
    /// The page's owner: the cycles live as long as the page, not as one drawing of the list.
    owner: StoredValue<Option<Owner>>,
}

impl DoorStates {
    fn new() -> Self {
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

/// What each door needs of the configuration (provided by [`DoorList`]).
#[derive(Clone, Copy, Debug, Default)]
struct DoorSettings {
    /// The `hold` gesture instead of a tap.
    hold: bool,
    /// How long a door stays unlocked.
    unlocked_for: Duration,
}

/// How long a door must be held in `hold` mode.
pub const HOLD_FOR: Duration = Duration::from_millis(800);
/// How long a first tap (keyboard, screen reader) waits for the confirming second in `hold` mode.
pub const CONFIRM_WITHIN: Duration = Duration::from_secs(4);

/// One door: a real `<button>` named after the door, with its state beneath the name. Its events
/// arrive through the enclosing [`DoorList`]'s listeners (see `door_events`).
///
/// With the `hold` gesture, a pointer must press and hold for [`HOLD_FOR`] (a bar fills; letting go
/// early cancels). Keyboard and screen-reader users, who cannot hold, get an equally deliberate
/// alternative: the first activation asks "Press again to unlock", the second within
/// [`CONFIRM_WITHIN`] unlocks.
#[component]
fn DoorButton(
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

/// Sorts doors by name the way the visitor's language sorts (`Intl` collation: "Ä" with "A" in
/// German, accents in French, …).
fn sort_by_name(doors: &mut [Door]) {
    let locales = js_sys::Array::of1(&crate::i18n::code().into());
    let options = js_sys::Object::new();
    let names: Vec<js_sys::JsString> = doors.iter().map(|door| door.display_name().as_str().into()).collect();
    let mut order: Vec<usize> = (0..doors.len()).collect();
    order.sort_by(|a, b| {
        names[*a].locale_compare(&names[*b].as_string().unwrap_or_default(), &locales, &options).cmp(&0)
    });
    let sorted: Vec<Door> = order.iter().map(|i| doors[*i].clone()).collect();
    doors.clone_from_slice(&sorted);
}
