//! Component tests in Chromium, Firefox and WebKit (`cargo xtask test` runs them once per engine),
//! driven by real DOM events. The doors page runs its real
//! path — `DoorsPage`, the door source, the Kisi client, the browser's `fetch`, serde over
//! `JSON.parse` — against a Kisi of the test's own put where the browser's `fetch` is (the client's
//! seam). Run with `cargo test --target wasm32-unknown-unknown --test web` (see `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use portier::domain::config::{Contact, DoorOrder, SiteConfig, Texts};
use portier::domain::directory::{SearchQuery, TextRules};
use portier::domain::door::{Door, DoorId, Place};
use portier::domain::lock::LockPage;
use portier::domain::problem::Problem;
use portier::domain::secret::{Secret, SecretError};
use portier::services::i18n::{Catalog, I18n};
use portier::services::json::Json;
use portier::services::kisi::browser::BrowserNetwork;
use portier::services::kisi::error::ApiError;
use portier::services::kisi::gate::RequestGate;
use portier::services::kisi::{Client, Kisi};
use portier::services::text::BrowserText;
use portier::view::{Announcer, ContactInfo, DoorSettings, DoorsPage, HelpScreen, PageTexts, ProblemPanel};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "web/painted.rs"]
mod painted;

// ---- A Kisi of the test's own, where the browser's fetch is ----

/// What the fake Kisi answers a request with.
enum Reply {
    /// A status and a JSON (or any) body.
    Body(u16, String),
    /// Held until the test calls [`FakeKisi::release`] (then 200 `{"message":"Unlocked!"}`).
    Held,
}

type Route = Box<dyn Fn(&str, &str) -> Reply>;

/// Kisi as the page's `fetch` sees it, recording each request; the real `fetch` comes back when
/// dropped.
struct FakeKisi {
    /// (method, URL, Authorization) of every request, in order.
    calls: Rc<RefCell<Vec<(String, String, String)>>>,
    /// Every `POST`, whole: method, URL, the headers and options that matter.
    requests: Rc<RefCell<Vec<String>>>,
    held: Rc<RefCell<Vec<js_sys::Function>>>,
    route: Rc<RefCell<Route>>,
    real_fetch: JsValue,
    _fetch: Closure<dyn FnMut(JsValue, JsValue) -> js_sys::Promise>,
}

impl FakeKisi {
    fn install(route: impl Fn(&str, &str) -> Reply + 'static) -> Self {
        let calls: Rc<RefCell<Vec<(String, String, String)>>> = Rc::default();
        let requests: Rc<RefCell<Vec<String>>> = Rc::default();
        let posted = requests.clone();
        let held: Rc<RefCell<Vec<js_sys::Function>>> = Rc::default();
        let route: Rc<RefCell<Route>> = Rc::new(RefCell::new(Box::new(route)));
        let (seen, waiting, routing) = (calls.clone(), held.clone(), route.clone());
        let fetch = Closure::<dyn FnMut(JsValue, JsValue) -> js_sys::Promise>::new(
            move |input: JsValue, init: JsValue| {
                // The app's fetch passes a `Request`; the head start's, a URL and options.
                let request: web_sys::Request = match input.as_string() {
                    Some(url) => web_sys::Request::new_with_str_and_init(&url, init.unchecked_ref()).unwrap(),
                    None => input.unchecked_into(),
                };
                if request.method() == "POST" {
                    let header = |name: &str| request.headers().get(name).ok().flatten().unwrap_or_default();
                    let option = |name: &str| {
                        js_sys::Reflect::get(&request, &name.into())
                            .ok()
                            .and_then(|v| v.as_string())
                            .unwrap_or_default()
                    };
                    posted.borrow_mut().push(format!(
                        "{} {} accept={} authorization={} content-type={} credentials={} redirect={} referrer-policy={}",
                        request.method(),
                        request.url(),
                        header("accept"),
                        header("authorization"),
                        header("content-type"),
                        option("credentials"),
                        option("redirect"),
                        option("referrerPolicy"),
                    ));
                }
                let (method, url) = (request.method(), request.url());
                let authorization = request.headers().get("authorization").ok().flatten().unwrap_or_default();
                seen.borrow_mut().push((method.clone(), url.clone(), authorization));
                let reply = (routing.borrow())(&method, &url);
                match reply {
                    Reply::Body(status, body) => js_sys::Promise::resolve(&JsValue::from(response(status, &body))),
                    Reply::Held => {
                        let waiting = waiting.clone();
                        js_sys::Promise::new(&mut |resolve, _| waiting.borrow_mut().push(resolve))
                    }
                }
            },
        );
        let real_fetch = js_sys::Reflect::get(&window(), &"fetch".into()).unwrap();
        js_sys::Reflect::set(&window(), &"fetch".into(), fetch.as_ref()).unwrap();
        FakeKisi { calls, requests, held, route, real_fetch, _fetch: fetch }
    }

    /// Answers every held request with success.
    fn release(&self) {
        for resolve in self.held.borrow_mut().drain(..) {
            let _ = resolve.call1(&JsValue::NULL, &response(200, r#"{"message":"Unlocked!"}"#));
        }
    }

    /// Answers from now on as `route` says.
    fn reroute(&self, route: impl Fn(&str, &str) -> Reply + 'static) {
        *self.route.borrow_mut() = Box::new(route);
    }

    fn calls(&self, method: &str, path: &str) -> usize {
        self.calls.borrow().iter().filter(|(m, url, _)| m == method && url.contains(path)).count()
    }
}

impl Drop for FakeKisi {
    fn drop(&mut self) {
        let _ = js_sys::Reflect::set(&window(), &"fetch".into(), &self.real_fetch);
    }
}

fn response(status: u16, body: &str) -> web_sys::Response {
    let init = web_sys::ResponseInit::new();
    init.set_status(status);
    let headers = web_sys::Headers::new().unwrap();
    headers.set("content-type", "application/json").unwrap();
    init.set_headers(&headers);
    web_sys::Response::new_with_opt_str_and_init(Some(body), &init).unwrap()
}

/// A Kisi whose `GET /locks` answers `doors` and whose unlocks succeed.
fn kisi_with(doors: serde_json::Value) -> FakeKisi {
    FakeKisi::install(move |method, url| match (method, url.contains("/locks?")) {
        ("GET", true) => Reply::Body(200, doors.to_string()),
        ("POST", _) => Reply::Body(200, r#"{"message":"Unlocked!"}"#.into()),
        _ => Reply::Body(404, r#"{"error":"Not found.","code":"ffffff"}"#.into()),
    })
}

fn lock(id: u64, name: &str, place: u64) -> serde_json::Value {
    serde_json::json!({ "id": id, "name": name, "description": null, "configured": true, "online": true,
        "locked_down": false, "place_id": place, "place": { "id": place, "name": format!("Place {place}") } })
}

// ---- Mounting ----

/// A secret no other test uses (each link keeps its own door list on the device).
fn secret(test: &str) -> Secret {
    Secret::new(&format!("component-{test}-{}", js_sys::Math::random().to_bits())).unwrap()
}

fn client(test: &str) -> Client {
    Kisi::new(BrowserNetwork, "https://kisi.test", Duration::from_secs(5), RequestGate::default()).client(secret(test))
}

/// The contexts the page's views read, as `App` provides them.
fn page_context(config: &SiteConfig) {
    page_context_in(config, Catalog::english(), Texts::default());
}

/// [`page_context`] in the language of `catalog`, with the operator's `texts`.
fn page_context_in(config: &SiteConfig, catalog: Catalog, texts: Texts) {
    provide_context(I18n::new(catalog));
    provide_context(PageTexts(StoredValue::new(texts)));
    provide_context(ContactInfo(StoredValue::new(config.contact.clone())));
    provide_context(DoorSettings {
        order: config.door_order,
        group_by_place: config.group_by_place,
        hold: config.gesture == portier::domain::config::Gesture::Hold,
        unlocked_for: config.unlocked_for,
        doors: StoredValue::new(config.doors.clone()),
    });
    let (_, announce) = signal(String::new());
    provide_context(Announcer(announce));
}

/// Mounts `view` into a fresh container; the handle keeps it alive.
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

/// The real doors page for `client` under `config`; `refresh` reads the doors again when bumped.
fn doors_page(client: Client, config: SiteConfig, named: Option<DoorId>) -> (HtmlElement, RwSignal<u32>, impl Drop) {
    let refresh = RwSignal::new(0);
    let (root, keep) = mount(move || {
        page_context(&config);
        view! { <DoorsPage client refresh named=Signal::stored(named) /> }
    });
    (root, refresh, keep)
}

fn all_text(root: &HtmlElement, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length()).map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

fn element(root: &HtmlElement, selector: &str) -> HtmlElement {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).unchecked_into()
}

/// Resolves as soon as `condition` holds (checked now, then on every change under `root`: a
/// `MutationObserver`, not a timer); fails the test if it has not within 10 s.
async fn until(root: &HtmlElement, what: &str, condition: impl Fn() -> bool + 'static) {
    if condition() {
        return;
    }
    let condition = Rc::new(condition);
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let check = condition.clone();
        let callback = Closure::<dyn FnMut()>::new(move || {
            if check() {
                let _ = resolve.call0(&JsValue::NULL);
            }
        });
        let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).unwrap();
        let options = web_sys::MutationObserverInit::new();
        options.set_subtree(true);
        options.set_child_list(true);
        options.set_attributes(true);
        options.set_character_data(true);
        observer.observe_with_options(root, &options).unwrap();
        callback.forget();
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&reject, 10_000);
    });
    if JsFuture::from(promise).await.is_err() {
        panic!("timed out waiting for {what}; the page reads: {:?}", root.text_content());
    }
}

fn state_of(root: &HtmlElement, id: u64) -> Option<String> {
    root.query_selector(&format!("[data-door-id='{id}']")).ok().flatten().and_then(|e| e.get_attribute("data-state"))
}

async fn door_becomes(root: &HtmlElement, id: u64, state: &'static str) {
    let watched = root.clone();
    until(root, &format!("door {id} to be {state}"), move || state_of(&watched, id).as_deref() == Some(state)).await;
}

async fn doors_shown(root: &HtmlElement, count: u32) {
    let watched = root.clone();
    until(root, &format!("{count} doors"), move || {
        watched.query_selector_all("li.door[data-door-id]").map(|l| l.length()).unwrap_or(0) == count
    })
    .await;
}

// ---- The doors page, on its real path ----

#[wasm_bindgen_test]
async fn offline_a_door_says_it_needs_a_connection_and_a_tap_sends_nothing_now_or_later() {
    let kisi = kisi_with(serde_json::json!([lock(1, "Front", 7), lock(2, "Lab", 7)]));
    let online = RwSignal::new(true);
    let (root, _keep) = mount(move || {
        page_context(&SiteConfig::default());
        view! { <DoorsPage client=client("offline-tap") refresh=Signal::stored(0) online named=Signal::stored(None) /> }
    });
    doors_shown(&root, 2).await;
    online.set(false);
    door_becomes(&root, 2, "no-connection").await;
    assert_eq!(all_text(&root, "[data-door-id='2'] .door-status"), vec!["Needs a connection"]);
    let button = element(&root, "[data-door-id='2'] button");
    assert_eq!(button.get_attribute("aria-disabled").as_deref(), Some("true"));
    button.click();
    door_becomes(&root, 2, "failed").await;
    assert_eq!(all_text(&root, "[data-door-id='2'] .door-status"), vec!["Opening a door needs a connection"]);
    assert_eq!(kisi.calls("POST", "/locks/2/unlock"), 0, "nothing sent");
    // Back online: the door is ready again, and the offline tap is not sent after the fact.
    online.set(true);
    door_becomes(&root, 2, "ready").await;
    assert_eq!(kisi.calls("POST", "/locks/2/unlock"), 0, "nothing queued");
    button.click();
    door_becomes(&root, 2, "unlocked").await;
    assert_eq!(kisi.calls("POST", "/locks/2/unlock"), 1);
}

#[wasm_bindgen_test]
async fn the_doors_page_lists_what_kisi_sends_and_one_tap_sends_one_unlock() {
    let kisi = kisi_with(serde_json::json!([lock(1, "Front", 7), lock(2, "Lab", 9), lock(3, "Back", 7)]));
    let client = client("list");
    let authorization = format!("KISI-GROUP-LINK {}", client.secret().expose());
    let (root, _refresh, _keep) = doors_page(client, SiteConfig::default(), None);
    doors_shown(&root, 3).await;
    assert_eq!(all_text(&root, "h2"), vec!["Place 7", "Place 9"]);
    assert_eq!(all_text(&root, "section.place:first-of-type .door-name"), vec!["Front", "Back"]);
    assert_eq!(kisi.calls("GET", "/locks?limit=250&offset=0"), 1);
    assert!(kisi.calls.borrow().iter().all(|(_, _, auth)| *auth == authorization), "the secret in the header");

    kisi.reroute(|method, url| match method {
        "POST" if url.ends_with("/locks/2/unlock") => Reply::Held,
        _ => Reply::Body(500, String::new()),
    });
    let button = element(&root, "[data-door-id='2'] button");
    button.click();
    button.click();
    door_becomes(&root, 2, "unlocking").await;
    button.click();
    assert_eq!(button.get_attribute("aria-busy").as_deref(), Some("true"));
    assert_eq!(all_text(&root, "[data-door-id='2'] .door-status"), vec!["Unlocking…"]);
    kisi.release();
    door_becomes(&root, 2, "unlocked").await;
    assert_eq!(kisi.calls("POST", "/locks/2/unlock"), 1, "three taps while unlocking sent one request");
    assert_eq!(all_text(&root, "[data-door-id='2'] .door-status"), vec!["Unlocked — open the door now"]);
}

#[wasm_bindgen_test]
async fn a_refresh_redraws_only_the_doors_that_changed_and_keeps_what_a_tap_did() {
    let kisi = kisi_with(serde_json::json!([lock(1, "Front", 7), lock(2, "Lab", 7), lock(3, "Back", 7)]));
    let (root, refresh, _keep) =
        doors_page(client("refresh"), SiteConfig { unlocked_for: Duration::from_secs(60), ..Default::default() }, None);
    doors_shown(&root, 3).await;
    element(&root, "[data-door-id='1'] button").click();
    door_becomes(&root, 1, "unlocked").await;
    element(&root, "[data-door-id='2'] button").click();
    door_becomes(&root, 2, "unlocked").await;
    let (first, second) = (element(&root, "[data-door-id='1']"), element(&root, "[data-door-id='2']"));

    // Door 2 is renamed and door 3 is gone by the next reading.
    kisi.reroute(|method, _| match method {
        "GET" => Reply::Body(200, serde_json::json!([lock(1, "Front", 7), lock(2, "Lab (renamed)", 7)]).to_string()),
        _ => Reply::Body(500, String::new()),
    });
    refresh.update(|n| *n += 1);
    let watched = root.clone();
    until(&root, "the renamed door", move || all_text(&watched, "[data-door-id='2'] .door-name") == ["Lab (renamed)"])
        .await;
    assert_eq!(kisi.calls("GET", "/locks?"), 2);
    assert_eq!(state_of(&root, 1).as_deref(), Some("unlocked"), "the door opened a moment ago still says so");
    assert_eq!(state_of(&root, 2).as_deref(), Some("unlocked"), "…and so does the renamed one, redrawn");
    assert!(state_of(&root, 3).is_none(), "a door the link lost is gone");
    assert!(first.is_same_node(Some(&element(&root, "[data-door-id='1']"))), "an unchanged door is not redrawn");
    assert!(!second.is_same_node(Some(&element(&root, "[data-door-id='2']"))), "the changed door is");
}

#[wasm_bindgen_test]
async fn an_unlock_failure_stays_on_its_door_with_advice() {
    let kisi = kisi_with(serde_json::json!([lock(5, "Gate", 7), lock(6, "Shed", 7)]));
    let config = SiteConfig {
        contact: Some(Contact { label: "Call reception".into(), href: "tel:+4930123".into() }),
        ..Default::default()
    };
    let (root, _refresh, _keep) = doors_page(client("failure"), config, None);
    doors_shown(&root, 2).await;
    kisi.reroute(|_, _| Reply::Body(503, r#"{"error":"Controller offline","code":"fac001"}"#.into()));
    element(&root, "[data-door-id='5'] button").click();
    door_becomes(&root, 5, "failed").await;
    let i18n = I18n::new(Catalog::english());
    assert_eq!(all_text(&root, "[data-door-id='5'] .door-status"), vec![i18n.problem_title(Problem::DoorOffline)]);
    assert_eq!(
        all_text(&root, "[data-door-id='5'] .door-advice"),
        vec![format!("{}Call reception", i18n.problem_advice(Problem::DoorOffline))]
    );
    assert_eq!(state_of(&root, 6).as_deref(), Some("ready"), "the other door is untouched");
    assert_eq!(kisi.calls("POST", "/unlock"), 1, "an offline controller is not retried");
}

#[wasm_bindgen_test]
async fn doors_that_cannot_open_send_nothing() {
    let mut offline = lock(1, "Offline", 7);
    offline["online"] = false.into();
    let mut locked = lock(2, "Locked", 7);
    locked["locked_down"] = true.into();
    let kisi = kisi_with(serde_json::json!([offline, locked, lock(3, "Open", 7)]));
    let (root, _refresh, _keep) = doors_page(client("blocked"), SiteConfig::default(), None);
    doors_shown(&root, 3).await;
    for selector in ["[data-door-id='1'] button", "[data-door-id='2'] button"] {
        let button = element(&root, selector);
        assert_eq!(button.get_attribute("aria-disabled").as_deref(), Some("true"));
        button.click();
    }
    // The door that can open is tapped last: tasks start in order, so once its unlock has been
    // sent, an unlock the blocked taps had started would have been sent before it.
    element(&root, "[data-door-id='3'] button").click();
    door_becomes(&root, 3, "unlocked").await;
    assert_eq!(kisi.calls("POST", "/unlock"), 1);
    assert_eq!(kisi.calls("POST", "/locks/3/unlock"), 1);
    assert_eq!(all_text(&root, ".door-status"), vec!["Offline", "Locked down", "Unlocked — open the door now"]);
}

#[wasm_bindgen_test]
async fn names_from_the_api_are_text_never_markup_and_broken_items_are_counted() {
    let hostile = serde_json::json!([
        { "id": 1, "name": "<img src=x onerror=alert(1)>", "description": "<script>alert(2)</script>" },
        { "id": 2, "name": "" },
        [3, "by position"],
        "not even an object",
        { "id": "4" },
    ]);
    let _kisi = kisi_with(hostile);
    let (root, _refresh, _keep) = doors_page(client("hostile"), SiteConfig::default(), None);
    doors_shown(&root, 2).await;
    assert!(root.query_selector("img, script").unwrap().is_none());
    assert_eq!(all_text(&root, ".door-name"), vec!["<img src=x onerror=alert(1)>", "Door 2"]);
    assert_eq!(all_text(&root, ".door-description"), vec!["<script>alert(2)</script>"]);
    assert_eq!(all_text(&root, ".doors .note"), vec!["3 doors couldn't be shown."]);
}

#[wasm_bindgen_test]
async fn an_empty_link_says_so_and_a_refused_one_says_why() {
    let _kisi = kisi_with(serde_json::json!([]));
    let (root, _refresh, _keep) = doors_page(client("empty"), SiteConfig::default(), None);
    let watched = root.clone();
    until(&root, "the empty screen", move || all_text(&watched, "h1") == ["No doors yet"]).await;

    let _kisi = FakeKisi::install(|_, _| Reply::Body(403, r#"{"error":"Your link expired.","code":"f35ade"}"#.into()));
    let (root, _refresh, _keep) = doors_page(client("expired"), SiteConfig::default(), None);
    let watched = root.clone();
    until(&root, "the link's problem", move || {
        watched.query_selector("[data-problem=link_expired]").ok().flatten().is_some()
    })
    .await;
    assert!(root.query_selector("button.retry").unwrap().is_none(), "an expired link does not heal by retrying");
}

#[wasm_bindgen_test]
async fn more_than_eight_doors_get_a_search_over_doors_and_places_the_named_door_included() {
    let doors: Vec<serde_json::Value> =
        (1..=10).map(|id| lock(id, &format!("Door {id}"), if id <= 5 { 7 } else { 9 })).collect();
    let _kisi = kisi_with(serde_json::Value::Array(doors));
    let (root, _refresh, _keep) = doors_page(client("search"), SiteConfig::default(), Some(DoorId(3)));
    doors_shown(&root, 10).await;
    assert_eq!(element(&root, "li.door").dataset().get("doorId").as_deref(), Some("3"), "the named door first");
    let visible = |root: &HtmlElement| all_text(root, "li.door:not([hidden]) .door-name");
    let search: web_sys::HtmlInputElement = element(&root, "input[type=search]").unchecked_into();
    let typed = |text: &str| {
        search.set_value(text);
        search.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    };
    typed("door 1");
    leptos::task::tick().await;
    assert_eq!(visible(&root), vec!["Door 1", "Door 10"]);
    typed("place 9");
    leptos::task::tick().await;
    assert_eq!(visible(&root).len(), 5);
    assert_eq!(all_text(&root, "section.place:not([hidden]) h2"), vec!["Place 9"], "a place without matches hides");
    typed("door 3");
    leptos::task::tick().await;
    assert_eq!(visible(&root), vec!["Door 3"], "only the named door matches");
    assert!(all_text(&root, ".search [role=status]").is_empty(), "…and that is a match");
    typed("nowhere");
    leptos::task::tick().await;
    assert_eq!(all_text(&root, ".search [role=status]"), vec!["No door matches your search."]);
}

#[wasm_bindgen_test]
async fn doors_by_name_sort_as_the_visitors_language_does() {
    let _kisi = kisi_with(serde_json::json!([lock(1, "Zimmer", 7), lock(2, "Äpfel", 7), lock(3, "Bad", 7)]));
    let config = SiteConfig { door_order: DoorOrder::Name, ..Default::default() };
    let (root, _refresh, _keep) = doors_page(client("sorted"), config, None);
    doors_shown(&root, 3).await;
    assert_eq!(all_text(&root, ".door-name"), vec!["Äpfel", "Bad", "Zimmer"], "Ä with A, not after Z");
}

// ---- The hold gesture, on the real path ----

fn holding() -> SiteConfig {
    SiteConfig { gesture: portier::domain::config::Gesture::Hold, ..Default::default() }
}

#[wasm_bindgen_test]
async fn hold_mode_asks_keyboard_and_screen_reader_users_to_confirm() {
    let kisi = kisi_with(serde_json::json!([lock(8, "Vault", 7)]));
    let (root, _refresh, _keep) = doors_page(client("confirm"), holding(), None);
    doors_shown(&root, 1).await;
    assert_eq!(all_text(&root, ".door-status"), vec!["Press and hold to unlock"]);
    let button = element(&root, "button");
    button.click(); // a click with no pointer before it: keyboard or assistive technology
    leptos::task::tick().await;
    assert_eq!(kisi.calls("POST", "/unlock"), 0, "one activation is not enough");
    assert_eq!(all_text(&root, ".door-status"), vec!["Press again to unlock"]);
    button.click();
    door_becomes(&root, 8, "unlocked").await;
    assert_eq!(kisi.calls("POST", "/unlock"), 1, "the confirming second activation unlocks");
}

#[wasm_bindgen_test]
async fn hold_mode_unlocks_after_a_full_hold_and_not_on_a_short_press() {
    let kisi = kisi_with(serde_json::json!([lock(8, "Vault", 7)]));
    let (root, _refresh, _keep) = doors_page(client("hold"), holding(), None);
    doors_shown(&root, 1).await;
    let button = element(&root, "button");
    let item = element(&root, "li.door");
    let pointer = |kind: &str| {
        let init = web_sys::PointerEventInit::new();
        init.set_bubbles(true);
        let event = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).unwrap();
        button.dispatch_event(&event).unwrap();
    };
    pointer("pointerdown");
    leptos::task::tick().await;
    assert_eq!(item.get_attribute("data-holding").as_deref(), Some("true"), "the bar fills while held");
    pointer("pointerup");
    leptos::task::tick().await;
    assert_eq!(item.get_attribute("data-holding"), None, "letting go early cancels");
    button.click(); // the pointer's own click after release is not a confirmation
    leptos::task::tick().await;
    assert_eq!(all_text(&root, ".door-status"), vec!["Press and hold to unlock"]);
    assert_eq!(kisi.calls("POST", "/unlock"), 0);

    pointer("pointerdown");
    door_becomes(&root, 8, "unlocked").await; // after the 0.8 s hold
    assert_eq!(kisi.calls("POST", "/unlock"), 1);
}

// ---- What the device keeps ----

#[wasm_bindgen_test]
async fn a_device_keeps_the_doors_of_the_last_links_and_makes_room_when_storage_is_full() {
    use portier::services::door_cache::{self, MAX_KEPT_LINKS};
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let key = |n: usize| format!("doors.{n:064}");
    let page = r#"[{"id": 1, "name": "Door"}]"#.to_owned();
    for n in 0..MAX_KEPT_LINKS + 2 {
        door_cache::save(&key(n), std::slice::from_ref(&page));
    }
    let kept: Vec<bool> = (0..MAX_KEPT_LINKS + 2).map(|n| door_cache::exists(&key(n))).collect();
    assert_eq!(kept, [false, false, true, true, true, true], "the links saved last");

    // Storage full of door lists kept before any bound (another tab, an older release): a new
    // link's doors still find room, and what made it goes.
    storage.clear().unwrap();
    let filler = "x".repeat(512 * 1024);
    let mut filled = 0;
    while filled < 64 && storage.set_item(&scoped(&key(100 + filled)), &filler).is_ok() {
        filled += 1;
    }
    assert!(filled < 64, "storage took 32 MiB: no quota to test against");
    // Larger than any filler, so it cannot fit in what the last filler left.
    let big = format!("[{}]", " ".repeat(600 * 1024));
    door_cache::save(&key(1), std::slice::from_ref(&big));
    assert!(door_cache::exists(&key(1)), "the new link's doors were kept");
    assert!((0..filled).all(|n| !door_cache::exists(&key(100 + n))), "the older lists made room");
    storage.clear().unwrap();
}

/// The key `name` is kept under by this page (the runner's page is the deployment).
fn scoped(name: &str) -> String {
    use portier::services::storage::{KEY_PREFIX, SCOPE_END, deployment_scope};
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    format!("{KEY_PREFIX}{}{SCOPE_END}{name}", deployment_scope(&path))
}

#[wasm_bindgen_test]
async fn what_a_device_kept_before_keys_were_scoped_is_taken_over_only_by_its_own_deployment() {
    use portier::services::session;
    use portier::services::site_files;
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let tab = web_sys::window().unwrap().session_storage().unwrap().unwrap();
    let (ours, theirs) = (r#"{"brand": {"name": "Acme"}}"#, r#"{"brand": {"name": "Neighbour"}}"#);
    let unscoped = |storage: &web_sys::Storage| {
        storage.clear().unwrap();
        storage.set_item("portier.site.config.json", ours).unwrap();
        storage.set_item("portier.remembered-secret", "remembered1234").unwrap();
        storage.set_item("portier.doors.00ff", "[]").unwrap();
        storage.set_item("portier.doors-recent", "portier.doors.00ff").unwrap();
        // A neighbour's, scoped: never touched.
        storage.set_item("portier:/neighbour/:remembered-secret", "neighbours1234").unwrap();
    };

    // Another deployment's configuration: the keys are a neighbour's (or from before an edit).
    unscoped(&storage);
    site_files::take_over_unscoped(Some(theirs));
    assert_eq!(storage.get_item("portier.remembered-secret").unwrap().as_deref(), Some("remembered1234"));
    assert!(!session::is_remembered(&Secret::new("remembered1234").unwrap()));

    // The same configuration: this deployment's, moved into its scope whole.
    tab.set_item("portier.secret", "tab1234").unwrap();
    site_files::take_over_unscoped(Some(ours));
    assert!(session::is_remembered(&Secret::new("remembered1234").unwrap()));
    assert_eq!(storage.get_item(&scoped("doors.00ff")).unwrap().as_deref(), Some("[]"));
    assert_eq!(storage.get_item(&scoped("doors-recent")).unwrap(), None, "the order starts again");
    assert_eq!(tab.get_item(&scoped("secret")).unwrap().as_deref(), Some("tab1234"));
    let left: Vec<String> = (0..storage.length().unwrap()).filter_map(|i| storage.key(i).unwrap()).collect();
    assert!(left.iter().all(|key| !key.starts_with("portier.")), "{left:?}");
    assert_eq!(storage.get_item("portier:/neighbour/:remembered-secret").unwrap().as_deref(), Some("neighbours1234"));

    // "Forget this device": everything of this deployment goes, in both stores; the neighbour's stays.
    assert!(portier::services::storage::forget_everything());
    assert_eq!(storage.length().unwrap(), 1);
    assert_eq!(storage.get_item("portier:/neighbour/:remembered-secret").unwrap().as_deref(), Some("neighbours1234"));
    assert_eq!(tab.get_item(&scoped("secret")).unwrap(), None);
    storage.clear().unwrap();
    tab.clear().unwrap();
}

#[wasm_bindgen_test]
async fn a_configuration_that_cannot_be_kept_takes_the_older_copy_with_it() {
    use portier::services::site_files;
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    site_files::keep("config.json", "{}");
    assert_eq!(site_files::kept("config.json").as_deref(), Some("{}"));
    // Too long to keep: the page must not start from the replaced copy in every new tab.
    site_files::keep("config.json", &format!("{{\"x\": \"{}\"}}", "x".repeat(70 * 1024)));
    assert_eq!(site_files::kept("config.json"), None);
    storage.clear().unwrap();
}

// ---- Screens ----

#[wasm_bindgen_test]
async fn help_screen_tells_the_visitor_what_to_do() {
    let (root, _keep) = mount(|| {
        page_context(&SiteConfig::default());
        view! { <HelpScreen reason=SecretError::Empty /> }
    });
    assert_eq!(all_text(&root, "h1"), vec!["Open your access link"]);
    let (root, _keep) = mount(|| {
        page_context(&SiteConfig::default());
        view! { <HelpScreen reason=SecretError::BadEscape /> }
    });
    assert_eq!(all_text(&root, "h1"), vec!["This link looks incomplete"]);
}

#[wasm_bindgen_test]
async fn problems_offer_a_retry_only_when_it_can_help() {
    let retries = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = retries.clone();
    let on_retry = Callback::new(move |()| {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    });
    let network = ApiError::without_response(Problem::Network);
    let (root, _keep) = mount(move || {
        page_context(&SiteConfig::default());
        view! { <ProblemPanel error=network on_retry retrying=Signal::stored(false) /> }
    });
    assert_eq!(all_text(&root, "h1"), vec![I18n::new(Catalog::english()).problem_title(Problem::Network)]);
    element(&root, "button.retry").click();
    assert_eq!(retries.load(std::sync::atomic::Ordering::SeqCst), 1);

    let expired = ApiError::from_answer(403, Some("f35ade"));
    let (root, _keep) = mount(move || {
        page_context(&SiteConfig::default());
        view! { <ProblemPanel error=expired on_retry retrying=Signal::stored(false) /> }
    });
    assert!(root.query_selector("button.retry").unwrap().is_none(), "an expired link does not heal by retrying");
    assert_eq!(all_text(&root, ".support-code"), vec!["Code f35ade"]);
}

#[wasm_bindgen_test]
async fn the_crash_screen_offers_a_reload_that_needs_no_script() {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    portier::boot::crash::show_crash_screen_in(&container);
    assert_eq!(all_text(&container, "h1"), vec!["Something went wrong"]);
    let reload = element(&container, "a.retry");
    assert_eq!(reload.get_attribute("href").as_deref(), Some(""), "a plain link back to this page");
    assert_eq!(element(&container, "[role=alert]").dataset().get("screen").as_deref(), Some("crashed"));
    assert_eq!(
        all_text(&container, ".support-code"),
        vec![format!("portier {}", portier::VERSION)],
        "for a support person"
    );
}

// ---- The readers, over the browser's own parsed values ----

fn page(text: &str) -> Option<LockPage> {
    LockPage::read(&Json::parse(text)?)
}

#[wasm_bindgen_test]
fn lock_pages_read_from_the_browsers_json_as_on_the_host() {
    let read = page(
        r#"[{"id":1,"name":5,"configured":"yes","online":null,"locked_down":1,"place":null,"extra":{"x":[]}},
            {"id":"two"}, null, 7, {"id":-3}, {"id":1.5}, [4, "by position"],
            {"id":5,"name":"Gate","place":{"id":9,"name":""}}, {"id":6,"name":"a","name":"b"}]"#,
    )
    .unwrap();
    let names: Vec<(u64, &str)> = read.doors.iter().map(|d| (d.id.0, d.name.as_str())).collect();
    assert_eq!(names, vec![(1, ""), (5, "Gate"), (6, "b")], "a repeated key: the last one, as JSON.parse reads");
    assert_eq!(read.received, 9);
    assert!(read.doors[0].configured && !read.doors[0].locked_down && read.doors[0].online.is_none());
    assert_eq!(read.doors[1].place, Some(Place { id: 9, name: "Place 9".into() }));
    for not_a_list in ["", "<html>", "{}", r#""a string iterates in JavaScript""#, "null", "42"] {
        assert!(page(not_a_list).is_none(), "{not_a_list:?}");
    }
}

#[wasm_bindgen_test]
fn hostile_bodies_neither_panic_nor_freeze() {
    // 100,000 levels deep: JSON.parse copes, and nothing of ours walks into it.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let read = page(&format!(r#"[{{"id":1,"name":{deep},"place":{deep},"extra":{deep}}}, {deep}]"#)).unwrap();
    assert_eq!((read.doors.len(), read.received), (1, 2));
    // A megabyte-long name is read, and cut for display.
    let long = page(&format!(r#"[{{"id":1,"name":"{}"}}]"#, "x".repeat(1 << 20))).unwrap();
    assert_eq!(long.doors[0].shown_name().unwrap().chars().count(), portier::domain::door::MAX_NAME_CHARS);
    // 20,000 items of which most are junk.
    let junk: Vec<String> =
        (0..20_000).map(|i| if i % 2 == 0 { format!(r#"{{"id":{i}}}"#) } else { "[]".into() }).collect();
    assert_eq!(page(&format!("[{}]", junk.join(","))).unwrap().doors.len(), 10_000);
}

#[wasm_bindgen_test]
fn the_configuration_reads_from_the_browsers_json_key_by_key() {
    let json = Json::parse(
        r##"{"api_base": "http://127.0.0.1:8787/", "brand": "Acme", "theme": {"light": {"accent": [1]}, "mode": "dark"},
             "texts": {"de": {"title": "Türen"}, "english": {}}, "unlocked_seconds": 8, "_comment": 1, "colour": "red"}"##,
    )
    .unwrap();
    let (config, warnings) = portier::domain::config::read::read_config(json);
    assert_eq!(config.api_base, "http://127.0.0.1:8787");
    assert_eq!(config.unlocked_for, Duration::from_secs(8));
    assert_eq!(config.texts_for("de").title.as_deref(), Some("Türen"));
    assert_eq!(config.theme.mode, portier::domain::config::theme::ThemeMode::Dark);
    let keys: Vec<&str> = warnings.iter().filter_map(|w| w.split('"').nth(1)).collect();
    assert_eq!(keys, vec!["brand", "theme.light.accent", "texts.english", "colour"], "{warnings:?}");
    let (_, warnings) = portier::domain::config::read::read_config(Json::parse(r#""a string""#).unwrap());
    assert_eq!(warnings.len(), 1, "a string is no configuration, however it iterates: {warnings:?}");
}

#[wasm_bindgen_test]
fn search_ignores_case_beyond_ascii_with_the_browsers_own_case_mapping() {
    let text = BrowserText(I18n::new(Catalog::english()));
    assert_eq!(text.lower_case("ÉTAGE Ω-Lab\nZürich HQ"), "étage ω-lab\nzürich hq");
    let door = Door {
        id: DoorId(1),
        name: "ÉTAGE Ω-Lab".into(),
        description: None,
        place: Some(Place { id: 1, name: "Zürich HQ".into() }),
        configured: true,
        online: None,
        locked_down: false,
    };
    let searched = text.lower_case(&format!("{}\n{}", text.door_name(&door), "Zürich HQ"));
    assert!(SearchQuery::new("étage ZÜRICH", &text).matches(&searched));
    assert!(SearchQuery::new("Ω", &text).matches(&searched));
    assert!(!SearchQuery::new("étage genf", &text).matches(&searched), "every word must match");
}

// ---- The start's yields ----

/// The start yields between its steps; a yield that never came back would leave the skeleton up
/// forever. It comes back through `scheduler.yield()` and, where a browser has no `scheduler`
/// (Safari), through the timer.
#[wasm_bindgen_test]
async fn a_yield_comes_back_with_and_without_the_browsers_scheduler() {
    use portier::services::main_thread::yield_to_browser;
    let global = js_sys::global();
    let scheduler = js_sys::Reflect::get(&global, &"scheduler".into()).expect("read scheduler");
    // Chromium and Firefox (142+) have it, so the first path is tested there; WebKit has none.
    let agent = web_sys::window().unwrap().navigator().user_agent().unwrap_or_default();
    let webkit = agent.contains("AppleWebKit") && !agent.contains("Chrome");
    assert_eq!(scheduler.is_object(), !webkit, "scheduler where the engine has it ({agent})");
    yield_to_browser().await;
    js_sys::Reflect::delete_property(global.unchecked_ref::<js_sys::Object>(), &"scheduler".into())
        .expect("hide scheduler");
    assert!(js_sys::Reflect::get(&global, &"scheduler".into()).expect("read").is_undefined());
    yield_to_browser().await;
    if !webkit {
        js_sys::Reflect::set(&global, &"scheduler".into(), &scheduler).expect("put scheduler back");
    }
}

/// `tests/corpus/json_edges.json`: `config.json` texts on which the browser's `JSON.parse` and
/// serde_json differ (a lone surrogate, `1e400`, `5.0`, a key written twice, …). The page reads
/// each as its plain twin reads with the host's reader; the link tool's tests
/// (`links/src/site.rs`) hold `portier-links check` to the same readings of the same file.
#[wasm_bindgen_test]
fn the_page_reads_every_json_edge_as_its_plain_twin() {
    use portier::domain::config::read::read_config;
    use portier::services::site_files::read_config_text;
    let corpus: serde_json::Value = serde_json::from_str(include_str!("corpus/json_edges.json")).unwrap();
    for case in corpus["cases"].as_array().unwrap() {
        let text = case["text"].as_str().unwrap();
        match case["reads_as"].as_str() {
            Some(plain) => {
                let expected = read_config(serde_json::from_str::<serde_json::Value>(plain).unwrap());
                assert_eq!(read_config_text(text).ok(), Some(expected), "{text}");
            }
            None => {
                let warning = read_config_text(text).expect_err(text);
                assert!(warning.starts_with("config.json is not valid JSON: "), "{warning}");
            }
        }
    }
}

/// A configuration whose values nest far deeper than any setting (`JSON.parse` takes them): read
/// without walking past what a configuration can hold, each key still read on its own.
#[wasm_bindgen_test]
fn a_configuration_nested_far_too_deep_is_read_without_walking_into_it() {
    use portier::services::site_files::read_config_text;
    let objects = format!("{}1{}", r#"{"a":"#.repeat(20_000), "}".repeat(20_000));
    let lists = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let text = format!(
        r#"{{"mystery": {objects}, "theme": {{"light": {{"accent": {objects}}}, "dark": {lists}}}, "demo_themes": {{"x": {{"light": {{"text": {objects}}}}}}}, "unlocked_seconds": 7}}"#
    );
    let (config, warnings) = read_config_text(&text).expect("JSON");
    assert_eq!(config.unlocked_for, Duration::from_secs(7));
    for (key, says) in [
        ("mystery", "is not a setting"),
        ("theme.light.accent", "must be a colour"),
        ("theme.dark", "must be an object"),
        ("demo_themes.x.light.text", "must be a colour"),
    ] {
        assert!(warnings.iter().any(|w| w.contains(&format!("\"{key}\" {says}"))), "{key}: {warnings:#?}");
    }
}
