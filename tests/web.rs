//! Component tests: each view mounted on its own in headless Chromium, driven by real DOM events.
//! Run with `cargo test --target wasm32-unknown-unknown --test web` (see `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::prelude::*;
use leptos::task::tick;
use portier::api::LockList;
use portier::api::error::{ApiError, Problem};
use portier::door::{Door, DoorId, Place};
use portier::fragment::SecretError;
use portier::view::{DoorList, HelpScreen, OnTap, ProblemPanel};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `view` into a fresh container and returns the container; the handle keeps it alive.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> (HtmlElement, impl Drop) {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), view);
    (container, Unmount(Some(handle)))
}

struct Unmount<T>(Option<T>);
impl<T> Drop for Unmount<T> {
    fn drop(&mut self) {
        drop(self.0.take());
    }
}

fn door(id: u64, place: u64) -> Door {
    Door {
        id: DoorId(id),
        name: format!("Door {id}"),
        description: None,
        place: Some(Place { id: place, name: format!("Place {place}") }),
        configured: true,
        online: Some(true),
        locked_down: false,
    }
}

fn all_text(root: &HtmlElement, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length()).map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

fn element(root: &HtmlElement, selector: &str) -> HtmlElement {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).unchecked_into()
}

/// A tap handler that moves the cycle like the page does and counts the requests it would send.
fn counting_taps() -> (OnTap, Arc<AtomicUsize>) {
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    let on_tap = OnTap::new(move |(_door, cycle): (DoorId, RwSignal<portier::unlock::UnlockCycle>)| {
        if cycle.try_update(|c| c.tap()).flatten().is_some() {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    (on_tap, sent)
}

#[wasm_bindgen_test]
async fn help_screen_tells_the_visitor_what_to_do() {
    let (root, _keep) = mount(|| view! { <HelpScreen reason=SecretError::Empty /> });
    assert_eq!(all_text(&root, "h1"), vec!["Open your access link"]);
    let (root, _keep) = mount(|| view! { <HelpScreen reason=SecretError::BadEscape /> });
    assert_eq!(all_text(&root, "h1"), vec!["This link looks incomplete"]);
}

#[wasm_bindgen_test]
async fn one_place_needs_no_headings() {
    let (on_tap, _) = counting_taps();
    let list = LockList { doors: vec![door(1, 7), door(2, 7)], skipped: 0 };
    let (root, _keep) = mount(move || view! { <DoorList list on_tap /> });
    assert_eq!(all_text(&root, "h2").len(), 0);
    assert_eq!(all_text(&root, "button.door-button .door-name"), vec!["Door 1", "Door 2"]);
}

#[wasm_bindgen_test]
async fn several_places_get_headings_in_api_order() {
    let (on_tap, _) = counting_taps();
    let list = LockList { doors: vec![door(1, 9), door(2, 7), door(3, 9)], skipped: 2 };
    let (root, _keep) = mount(move || view! { <DoorList list on_tap /> });
    assert_eq!(all_text(&root, "h2"), vec!["Place 9", "Place 7"]);
    assert_eq!(all_text(&root, "section.place:first-of-type .door-name"), vec!["Door 1", "Door 3"]);
    assert_eq!(all_text(&root, ".note"), vec!["2 doors couldn't be shown."]);
}

#[wasm_bindgen_test]
async fn a_tap_moves_the_door_through_its_states() {
    let (on_tap, sent) = counting_taps();
    let list = LockList { doors: vec![door(42, 7)], skipped: 0 };
    let (root, _keep) = mount(move || view! { <DoorList list on_tap /> });
    let item = element(&root, "[data-door-id='42']");
    let button = element(&root, "[data-door-id='42'] button");
    assert_eq!(item.dataset().get("state").as_deref(), Some("ready"));

    button.click();
    button.click();
    tick().await;
    assert_eq!(sent.load(Ordering::SeqCst), 1, "the second tap came while unlocking");
    assert_eq!(item.dataset().get("state").as_deref(), Some("unlocking"));
    assert_eq!(button.get_attribute("aria-busy").as_deref(), Some("true"));
    assert_eq!(all_text(&root, ".door-status"), vec!["Unlocking…"]);
}

#[wasm_bindgen_test]
async fn failures_show_on_the_door_with_advice() {
    let failing = OnTap::new(|(_door, cycle): (DoorId, RwSignal<portier::unlock::UnlockCycle>)| {
        if let Some(attempt) = cycle.try_update(|c| c.tap()).flatten() {
            cycle.update(|c| c.finish(attempt, Err(Problem::DoorOffline)));
        }
    });
    let list = LockList { doors: vec![door(5, 7)], skipped: 0 };
    let (root, _keep) = mount(move || view! { <DoorList list on_tap=failing /> });
    element(&root, "button").click();
    tick().await;
    assert_eq!(element(&root, "li.door").dataset().get("state").as_deref(), Some("failed"));
    assert_eq!(all_text(&root, ".door-status"), vec![Problem::DoorOffline.title()]);
    assert_eq!(all_text(&root, ".door-advice"), vec![Problem::DoorOffline.advice()]);
}

#[wasm_bindgen_test]
async fn doors_that_cannot_open_do_not_report_taps() {
    let (on_tap, sent) = counting_taps();
    let offline = Door { online: Some(false), ..door(1, 7) };
    let locked = Door { locked_down: true, ..door(2, 7) };
    let (root, _keep) =
        mount(move || view! { <DoorList list=LockList { doors: vec![offline, locked], skipped: 0 } on_tap /> });
    for selector in ["[data-door-id='1'] button", "[data-door-id='2'] button"] {
        let button = element(&root, selector);
        assert_eq!(button.get_attribute("aria-disabled").as_deref(), Some("true"));
        button.click();
    }
    tick().await;
    assert_eq!(sent.load(Ordering::SeqCst), 0);
    assert_eq!(all_text(&root, ".door-status"), vec!["Offline", "Locked down"]);
}

#[wasm_bindgen_test]
async fn names_from_the_api_are_text_never_markup() {
    let (on_tap, _) = counting_taps();
    let hostile = Door {
        name: "<img src=x onerror=alert(1)>".into(),
        description: Some("<script>alert(2)</script>".into()),
        ..door(1, 7)
    };
    let (root, _keep) = mount(move || view! { <DoorList list=LockList { doors: vec![hostile], skipped: 0 } on_tap /> });
    assert!(root.query_selector("img, script").unwrap().is_none());
    assert_eq!(all_text(&root, ".door-name"), vec!["<img src=x onerror=alert(1)>"]);
    assert_eq!(all_text(&root, ".door-description"), vec!["<script>alert(2)</script>"]);
}

#[wasm_bindgen_test]
async fn an_empty_link_says_so() {
    let (on_tap, _) = counting_taps();
    let (root, _keep) = mount(move || view! { <DoorList list=LockList::default() on_tap /> });
    assert_eq!(all_text(&root, "h1"), vec!["No doors yet"]);
}

#[wasm_bindgen_test]
async fn problems_offer_a_retry_only_when_it_can_help() {
    let retries = Arc::new(AtomicUsize::new(0));
    let counter = retries.clone();
    let on_retry = Callback::new(move |()| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let (retrying, _) = signal(false);
    let network = ApiError::without_response(Problem::Network);
    let (root, _keep) = mount(move || view! { <ProblemPanel error=network on_retry retrying /> });
    assert_eq!(all_text(&root, "h1"), vec![Problem::Network.title()]);
    element(&root, "button.retry").click();
    assert_eq!(retries.load(Ordering::SeqCst), 1);

    let expired = ApiError::from_response(403, r#"{"error":"x","code":"f35ade"}"#);
    let (root, _keep) = mount(move || view! { <ProblemPanel error=expired on_retry retrying /> });
    assert!(root.query_selector("button.retry").unwrap().is_none(), "an expired link does not heal by retrying");
    assert_eq!(all_text(&root, ".support-code"), vec!["Code f35ade"]);
}

#[wasm_bindgen_test]
async fn the_crash_screen_offers_a_reload_that_needs_no_script() {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    portier::crash::show_crash_screen_in(&container);
    assert_eq!(all_text(&container, "h1"), vec!["Something went wrong"]);
    let reload = element(&container, "a.retry");
    assert_eq!(reload.get_attribute("href").as_deref(), Some(""), "a plain link back to this page");
    assert_eq!(element(&container, "[role=alert]").dataset().get("screen").as_deref(), Some("crashed"));
}

/// Mounts a door list under a configuration with the `hold` gesture.
fn mount_holding(on_tap: OnTap) -> (HtmlElement, impl Drop) {
    let config = portier::config::SiteConfig { gesture: portier::config::Gesture::Hold, ..Default::default() };
    mount(move || {
        provide_context(config);
        view! { <DoorList list=LockList { doors: vec![door(8, 7)], skipped: 0 } on_tap /> }
    })
}

#[wasm_bindgen_test]
async fn hold_mode_asks_keyboard_and_screen_reader_users_to_confirm() {
    let (on_tap, sent) = counting_taps();
    let (root, _keep) = mount_holding(on_tap);
    assert_eq!(all_text(&root, ".door-status"), vec!["Press and hold to unlock"]);
    let button = element(&root, "button");
    button.click(); // a click with no pointer before it: keyboard or assistive technology
    tick().await;
    assert_eq!(sent.load(Ordering::SeqCst), 0, "one activation is not enough");
    assert_eq!(all_text(&root, ".door-status"), vec!["Press again to unlock"]);
    button.click();
    tick().await;
    assert_eq!(sent.load(Ordering::SeqCst), 1, "the confirming second activation unlocks");
}

#[wasm_bindgen_test]
async fn hold_mode_unlocks_after_a_full_hold_and_not_on_a_short_press() {
    let (on_tap, sent) = counting_taps();
    let (root, _keep) = mount_holding(on_tap);
    let button = element(&root, "button");
    let item = element(&root, "li.door");
    let pointer = |kind: &str| {
        let init = web_sys::PointerEventInit::new();
        init.set_bubbles(true);
        let event = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).unwrap();
        button.dispatch_event(&event).unwrap();
    };
    pointer("pointerdown");
    tick().await;
    assert_eq!(item.get_attribute("data-holding").as_deref(), Some("true"), "the bar fills while held");
    pointer("pointerup");
    tick().await;
    assert_eq!(item.get_attribute("data-holding"), None, "letting go early cancels");
    button.click(); // the pointer's own click after release is not a confirmation
    tick().await;
    assert_eq!(all_text(&root, ".door-status"), vec!["Press and hold to unlock"]);
    assert_eq!(sent.load(Ordering::SeqCst), 0);

    pointer("pointerdown");
    attribute_becomes(&item, "data-state", "unlocking").await; // after the 0.8 s hold
    assert_eq!(sent.load(Ordering::SeqCst), 1);
}

/// Resolves when `element`'s attribute `name` becomes `value` (a `MutationObserver`, not a timer).
async fn attribute_becomes(element: &HtmlElement, name: &str, value: &str) {
    let (target, name, value) = (element.clone(), name.to_owned(), value.to_owned());
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let watched = target.clone();
        let (name, value) = (name.clone(), value.clone());
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if watched.get_attribute(&name).as_deref() == Some(value.as_str()) {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            }
        });
        let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).unwrap();
        let options = web_sys::MutationObserverInit::new();
        options.set_attributes(true);
        observer.observe_with_options(&target, &options).unwrap();
        callback.forget();
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn more_than_eight_doors_get_a_search_that_filters_by_door_and_place() {
    let (on_tap, _) = counting_taps();
    let doors: Vec<Door> = (1..=10).map(|id| door(id, if id <= 5 { 7 } else { 9 })).collect();
    let (root, _keep) = mount(move || view! { <DoorList list=LockList { doors, skipped: 0 } on_tap /> });
    let visible = |root: &HtmlElement| all_text(root, "li.door:not([hidden]) .door-name");
    assert_eq!(visible(&root).len(), 10);
    let search: web_sys::HtmlInputElement = element(&root, "input[type=search]").unchecked_into();
    let typed = |text: &str| {
        search.set_value(text);
        search.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    };
    typed("door 1");
    tick().await;
    assert_eq!(visible(&root), vec!["Door 1", "Door 10"]);
    typed("place 9");
    tick().await;
    assert_eq!(visible(&root).len(), 5);
    assert_eq!(all_text(&root, "section.place:not([hidden]) h2"), vec!["Place 9"], "a place without matches hides");
    typed("nowhere");
    tick().await;
    assert_eq!(all_text(&root, ".search [role=status]"), vec!["No door matches your search."]);
}

#[wasm_bindgen_test]
async fn eight_doors_need_no_search() {
    let (on_tap, _) = counting_taps();
    let doors: Vec<Door> = (1..=8).map(|id| door(id, 7)).collect();
    let (root, _keep) = mount(move || view! { <DoorList list=LockList { doors, skipped: 0 } on_tap /> });
    assert!(root.query_selector("input[type=search]").unwrap().is_none());
}

#[wasm_bindgen_test]
fn search_ignores_case_beyond_ascii_with_the_browsers_own_case_mapping() {
    use portier::door::{SearchQuery, search_text};
    let door =
        Door { name: "ÉTAGE Ω-Lab".into(), place: Some(Place { id: 1, name: "Zürich HQ".into() }), ..door(1, 1) };
    let text = search_text(&door);
    assert_eq!(text, "étage ω-lab\nzürich hq");
    assert!(SearchQuery::new("étage ZÜRICH").matches(&text));
    assert!(SearchQuery::new("Ω").matches(&text));
    assert!(!SearchQuery::new("étage genf").matches(&text), "every word must match");
}
