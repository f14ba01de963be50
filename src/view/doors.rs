//! The doors page: the link's doors, a loading state, or what went wrong.

use leptos::prelude::*;

use crate::domain::door::DoorId;
use crate::domain::validity::ValidUntil;
use crate::services::document;
use crate::services::door_source::{DoorSource, Doors};
use crate::services::kisi::Client;
use crate::services::kisi::error::ApiError;
use crate::view::brand::ContactLine;
use crate::view::context::{DoorSettings, i18n, page_title};
use crate::view::door_list::DoorList;
use crate::view::problem::ProblemPanel;
use crate::view::remember::RememberLink;

/// Which screen the doors page shows. Only a change of screen redraws the page; a new list is
/// handed to the list already on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Screen {
    Loading,
    Empty,
    List,
    Problem(ApiError),
}

/// Loads the link's doors and shows them, a loading state, or what went wrong.
#[component]
pub fn DoorsPage(
    /// The client for this visitor's link.
    client: Client,
    /// Goes up when the doors should be read again (connection back, page seen again); the list
    /// stays on screen meanwhile.
    #[prop(into)]
    refresh: Signal<u32>,
    /// Whether the device is online: without, the doors show they need a connection and a tap
    /// sends nothing.
    #[prop(into, default = Signal::stored(true))]
    online: Signal<bool>,
    /// The door the link names (`&door=42`): shown first, highlighted.
    #[prop(into)]
    named: Signal<Option<DoorId>>,
    /// When the link stops working, if it says (`&until=…`).
    #[prop(default = None)]
    until: Option<ValidUntil>,
) -> impl IntoView {
    let secret = client.secret().clone();
    let source = DoorSource::start(client, refresh, online, expect_context::<DoorSettings>().doors);
    let doors = source.doors();
    let screen = Memo::new(move |_| {
        doors.with(|doors| match doors {
            Doors::Loading => Screen::Loading,
            Doors::Listed(list) if list.doors.is_empty() => Screen::Empty,
            Doors::Listed(_) => Screen::List,
            Doors::Failed(error) => Screen::Problem(error.clone()),
        })
    });
    // The painted list (if any) goes once this page has an answer of its own to show.
    Effect::new(move |_| {
        if screen.get() != Screen::Loading {
            document::remove_skeleton();
        }
    });
    let on_retry = Callback::new(move |()| source.retry());
    move || match screen.get() {
        Screen::Loading => view! { <Loading slow=source.slow() on_retry /> }.into_any(),
        Screen::Empty => view! { <Empty /> }.into_any(),
        Screen::List => view! {
            <DoorList doors source named until=until.clone() />
            <RememberLink secret=secret.clone() />
        }
        .into_any(),
        Screen::Problem(error) => {
            view! { <ProblemPanel error on_retry retrying=source.reading() worked_here=source.worked_here() /> }
                .into_any()
        }
    }
}

/// Shown until the first answer: it has the shape of the door list, so nothing jumps. When the
/// answer is slow to come, it says so and what the visitor can do, while the page keeps trying.
#[component]
fn Loading(
    /// The answer is taking longer than usual.
    slow: Signal<bool>,
    /// Starts reading again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let i18n = i18n();
    let taking_long = move || {
        slow.get().then(|| {
            view! {
                <div class="slow" data-slow="true">
                    <p>{i18n.t("page.slow")} " " {i18n.t("page.slow_advice")}</p>
                    <button type="button" class="retry" on:click=move |_| on_retry.run(())>
                        {i18n.t("problem.retry")}
                    </button>
                    <ContactLine />
                </div>
            }
        })
    };
    view! {
        <section class="screen loading" data-screen="loading" aria-busy="true">
            <h1 dir="auto">{page_title()}</h1>
            <p role="status">{move || if slow.get() { i18n.t("page.slow") } else { i18n.t("page.loading") }}</p>
            {taking_long}
            <ul class="door-list" aria-hidden="true">
                <li class="door placeholder"></li>
                <li class="door placeholder"></li>
            </ul>
        </section>
    }
}

/// A valid link that opens nothing.
#[component]
fn Empty() -> impl IntoView {
    let i18n = i18n();
    view! {
        <section class="screen empty" data-screen="empty">
            <h1>{i18n.t("empty.title")}</h1>
            <p>{i18n.t("empty.text")}</p>
            <ContactLine />
        </section>
    }
}
