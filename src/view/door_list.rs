//! The door list: one big button per door, grouped by place, with a search box when it is long.

use leptos::prelude::*;

use crate::domain::directory::{Arrangement, DoorDirectory, PlaceGroup, SearchQuery};
use crate::domain::door::DoorId;
use crate::domain::validity::ValidUntil;
use crate::services::door_board::DoorBoard;
use crate::services::door_source::{DoorSource, Doors};
use crate::services::text::BrowserText;
use crate::view::context::{DoorSettings, PageTexts, i18n, page_title};
use crate::view::door_button::{DoorButton, Filter};
use crate::view::door_events::{DoorEvent, DoorEvents};
use crate::view::validity::LinkValidity;

/// Every door of the link, grouped by place (with headings only when there is more than one), in
/// the order and grouping the operator configured, the door the link names first. Keyed by door and
/// revision: a new reading of the list redraws only the doors it changed, and each door's state
/// (its board entry) outlives any redrawing.
#[component]
pub fn DoorList(
    /// The doors as last read (the list shows them when there are some).
    doors: Signal<Doors>,
    /// Where they come from: their rows (each door's state) and the client.
    source: DoorSource,
    /// The door the link names.
    #[prop(into)]
    named: Signal<Option<DoorId>>,
    /// When the link stops working, if it says.
    #[prop(default = None)]
    until: Option<ValidUntil>,
) -> impl IntoView {
    let i18n = i18n();
    let settings = expect_context::<DoorSettings>();
    let board = source.board();
    provide_context(source);
    let events = DoorEvents::new(settings.hold);
    provide_context(events);
    let text = BrowserText(i18n);
    let directory = Memo::new(move |_| {
        let arrangement =
            Arrangement { order: settings.order, group_by_place: settings.group_by_place, named: named.get() };
        doors.with(|doors| match doors {
            Doors::Listed(list) => DoorDirectory::arrange(list, arrangement, &text),
            _ => DoorDirectory::default(),
        })
    });
    let typed = RwSignal::new(String::new());
    let query = Memo::new(move |_| typed.with(|typed| SearchQuery::new(typed, &text)));
    let filter = Filter { directory, query };
    // A memo: the box is drawn again only when the list stops or starts being long enough for one
    // (a reading that changes a door must not take the visitor's focus and keyboard away).
    let searchable = Memo::new(move |_| directory.with(DoorDirectory::searchable));
    let search = move || {
        searchable.get().then(|| {
            let nothing_found = move || {
                (!directory.with(|d| query.with(|q| d.any_matches(q))))
                    .then(|| view! { <p class="note" role="status">{i18n.t("search.none")}</p> })
            };
            view! {
                <div class="search">
                    <label for="door-search">{i18n.t("search.label")}</label>
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
        })
    };
    // The named door, redrawn only when it is another door or it changed.
    let named_door = Memo::new(move |_| directory.with(|d| d.named).map(|id| (id, board.revision(id))));
    let named = move || {
        let (door, row) = named_door.get().and_then(|(id, _)| board.door(id))?;
        Some(view! {
            <section class="place named" aria-label=i18n.t("list.this_door")>
                <ul class="door-list">
                    <DoorButton door row filter highlighted=true />
                </ul>
            </section>
        })
    };
    let skipped = move || {
        let skipped = directory.with(|d| d.skipped);
        (skipped > 0).then(|| {
            let text = if skipped == 1 {
                i18n.t("list.skipped_one")
            } else {
                i18n.t_with("list.skipped_many", &[("count", &skipped.to_string())])
            };
            view! { <p class="note">{text}</p> }
        })
    };
    let texts = expect_context::<PageTexts>();
    let intro = texts.0.with_value(|texts| texts.intro.clone());
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
            <h1 dir="auto">{page_title()}</h1>
            {intro.map(|intro| view! { <p class="intro" dir="auto">{intro}</p> })}
            <LinkValidity until />
            {named}
            {search}
            <For
                each=move || directory.with(|d| d.groups.iter().map(|g| g.place.as_ref().map(|p| p.id)).collect::<Vec<_>>())
                key=|place| *place
                children=move |place| view! { <PlaceDoors place board filter /> }
            />
            {skipped}
        </section>
    }
}

/// The doors of one place (`None`: doors without one, or an ungrouped list); hidden, with its
/// heading, when a search matches none of them.
#[component]
fn PlaceDoors(place: Option<u64>, board: DoorBoard, filter: Filter) -> impl IntoView {
    let Filter { directory, query } = filter;
    let group = Memo::new(move |_| {
        directory.with(|d| d.groups.iter().find(|g| g.place.as_ref().map(|p| p.id) == place).cloned())
    });
    let heading = move || {
        let headed = directory.with(|d| d.headed);
        group
            .with(|g| g.as_ref().and_then(|g: &PlaceGroup| g.place.as_ref()).filter(|_| headed).map(|p| p.shown_name()))
    };
    let id = place.map(|place| format!("place-{place}"));
    let labelled_by = {
        let id = id.clone();
        move || heading().is_some().then(|| id.clone()).flatten()
    };
    let none_match = move || {
        directory.with(|d| {
            d.searchable()
                && query.with(|q| {
                    group.with(|g| g.as_ref().is_none_or(|g| !g.doors.iter().any(|door| d.matches(*door, q))))
                })
        })
    };
    view! {
        <section class="place" aria-labelledby=labelled_by hidden=none_match>
            {move || heading().map(|name| view! { <h2 id=id.clone() dir="auto">{name}</h2> })}
            <ul class="door-list">
                // Keyed by door and revision: a reading redraws only the doors it changed.
                <For
                    each=move || {
                        group.with(|g| g.iter().flat_map(|g| &g.doors).map(|id| (*id, board.revision(*id))).collect::<Vec<_>>())
                    }
                    key=|entry| *entry
                    children=move |(id, _)| board.door(id).map(|(door, row)| view! { <DoorButton door row filter /> })
                />
            </ul>
        </section>
    }
}
