//! The door list: one big button per door, grouped by place.

use leptos::prelude::*;

use leptos::task::spawn_local;

use crate::actions::unlock_door;
use crate::api::error::ApiError;
use crate::api::{KisiClient, LockList};
use crate::config::{DoorOrder, Gesture, SiteConfig};
use crate::door::{
    Door, DoorId, MAX_NAME_CHARS, PlaceGroup, SEARCH_FROM, SearchQuery, clip, group_by_place, search_text,
};
use crate::door_cache;
use crate::i18n::{t, t_with};
use crate::session;
use crate::unlock::UnlockCycle;
use crate::view::door_button::{DoorButton, DoorSettings, DoorStates};
use crate::view::door_events::{DoorEvent, DoorEvents};
use crate::view::{ContactLine, ProblemPanel, RememberLink, page_texts};

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
    // when it differs (an unchanged list is not drawn again) or refuses the link.
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
    let outcome = client.fetch_all_locks().await;
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
