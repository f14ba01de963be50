//! The door list the head start paints before the app arrives (`index.html`, `portier:paint`),
//! held to the app's: this very block of the page's script, run beside the real `DoorsPage` and
//! `BrandHeader` over generated lock lists and configurations (hostile names among them), must
//! build the same DOM — tags, attributes, text — or nothing at all; and an altered copy of it must
//! be caught. A tap on a painted door sends the app's own unlock request, once, and the app takes
//! its answer over.

use std::collections::HashMap;

use portier::boot::head_start::{PAINTED_TEXTS, paint as paint_rules};
use portier::domain::config::read::read_config;
use portier::domain::json::JsonValue;
use portier::view::BrandHeader;

use super::*;

/// The page as shipped (before the build writes its values in: the painter block is the same).
const INDEX_HTML: &str = include_str!("../../index.html");

/// The painter block's source, as `index.html` has it.
fn painter_source() -> &'static str {
    let start = INDEX_HTML.find("const paint = ").expect("index.html paints the door list");
    let end = INDEX_HTML[start..].find("// portier:paint — end").expect("the painter block ends") + start;
    &INDEX_HTML[start..end]
}

/// The painter made from `source`.
fn painter(source: &str) -> js_sys::Function {
    let make = js_sys::Function::new_no_args(&format!("{source}\nreturn paint;"));
    make.call0(&JsValue::NULL).unwrap().unchecked_into()
}

/// What the build gives the painter (`boot::head_start::Shared`'s `paint` and `english`).
fn shared() -> JsValue {
    let rules = paint_rules();
    let english = Catalog::english();
    let texts: serde_json::Map<String, serde_json::Value> = PAINTED_TEXTS
        .iter()
        .filter(|key| english.t(key) != **key)
        .map(|key| (key.to_string(), english.t(key).into()))
        .collect();
    let shared = serde_json::json!({
        "paint": {
            "whiteSpace": rules.white_space, "invisible": rules.invisible, "nameChars": rules.name_chars,
            "descriptionChars": rules.description_chars, "titleChars": rules.title_chars,
            "introChars": rules.intro_chars, "brandChars": rules.brand_chars,
            "doorNameChars": rules.door_name_chars, "noteChars": rules.note_chars,
            "pageSize": rules.page_size, "searchFrom": rules.search_from,
        },
        "english": texts,
    });
    js_sys::JSON::parse(&shared.to_string()).unwrap()
}

/// One case: a link's first page, the site's configuration, the named door, the language.
#[derive(Clone, Debug)]
struct Case {
    body: String,
    config: String,
    named: Option<u64>,
    language: &'static str,
}

/// The texts of `language` (English alone for `en`), as `i18n::load` makes them.
fn catalog(language: &'static str) -> (Catalog, Option<String>) {
    let text = match language {
        "de" => include_str!("../../i18n/de.json"),
        "ar" => include_str!("../../i18n/ar.json"),
        _ => return (Catalog::english(), None),
    };
    let parsed = Json::parse(text).unwrap();
    let texts: HashMap<String, String> =
        parsed.entries().unwrap().into_iter().map(|(key, value)| (key, value.scalar().text().unwrap())).collect();
    (Catalog::with(language, texts, Catalog::english()), Some(text.to_owned()))
}

/// What the painter draws for `case`: its nodes in a container, or `None` when it paints nothing.
fn painted(
    paint: &js_sys::Function,
    case: &Case,
    taps: &js_sys::Map,
    client: &Client,
) -> Option<(HtmlElement, JsValue)> {
    let input = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| js_sys::Reflect::set(&input, &key.into(), value).unwrap();
    set("config", &js_sys::JSON::parse(&case.config).unwrap());
    set("body", &case.body.as_str().into());
    set("range", &JsValue::NULL);
    set("named", &case.named.map_or(JsValue::UNDEFINED, |id| JsValue::from_f64(id as f64)));
    set("code", &case.language.into());
    set("translation", &catalog(case.language).1.map_or(JsValue::NULL, |text| text.into()));
    set("online", &true.into());
    set("taps", taps);
    let (url_of, authorization) = (client.clone(), format!("KISI-GROUP-LINK {}", client.secret().expose()));
    let unlock = Closure::<dyn Fn(String) -> JsValue>::new(move |id: String| {
        let request = js_sys::Object::new();
        let url = url_of.unlock_url(DoorId(id.parse().unwrap()));
        js_sys::Reflect::set(&request, &"url".into(), &url.into()).unwrap();
        js_sys::Reflect::set(&request, &"authorization".into(), &authorization.as_str().into()).unwrap();
        js_sys::Reflect::set(&request, &"timeout".into(), &5000.into()).unwrap();
        request.into()
    });
    set("unlock", unlock.as_ref());
    unlock.forget();
    let page = paint.call2(&JsValue::NULL, &shared(), &input).unwrap();
    if page.is_null() {
        return None;
    }
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    let nodes: js_sys::Array = js_sys::Reflect::get(&page, &"nodes".into()).unwrap().unchecked_into();
    for node in nodes.iter() {
        container.append_child(&node.unchecked_into()).unwrap();
    }
    document().body().unwrap().append_child(&container).unwrap();
    Some((container, page))
}

/// The app's page for `case`, settled: its brand header and its doors screen.
async fn app(case: &Case, client: Client) -> (HtmlElement, FakeKisi, impl Drop) {
    let body = case.body.clone();
    let kisi = FakeKisi::install(move |method, url| match (method, url.contains("/locks?")) {
        ("GET", true) => Reply::Body(200, body.clone()),
        ("POST", _) => Reply::Held,
        _ => Reply::Body(404, "{}".into()),
    });
    let (config, _) = read_config(Json::parse(&case.config).unwrap());
    let (catalog, _) = catalog(case.language);
    let named = case.named.map(DoorId);
    let (root, keep) = mount(move || {
        let texts = config.texts_for(catalog.code());
        page_context_in(&config, catalog, texts);
        let brand = config.brand.clone();
        let unbranded = brand.is_unset();
        view! {
            <BrandHeader brand=move || brand.clone() reserve=move || unbranded />
            <DoorsPage client refresh=Signal::stored(0) named=Signal::stored(named) />
        }
    });
    let watched = root.clone();
    until(&root, "the doors page to settle", move || {
        watched.query_selector("[data-screen]:not([data-screen=loading])").ok().flatten().is_some()
    })
    .await;
    (root, kisi, keep)
}

/// `node` and everything under it as one line: tags, attributes (sorted), text (adjacent text
/// joined, empty text and comments — a renderer's markers — left out).
fn outline(node: &web_sys::Node, out: &mut String) {
    if let Some(element) = node.dyn_ref::<web_sys::Element>() {
        let names = element.get_attribute_names();
        let mut attributes: Vec<String> = names
            .iter()
            .map(|name| {
                let name = name.as_string().unwrap();
                format!("{name}={:?}", element.get_attribute(&name).unwrap_or_default())
            })
            .collect();
        attributes.sort();
        out.push_str(&format!("<{} {}>", element.tag_name().to_lowercase(), attributes.join(" ")));
        let mut text = String::new();
        let children = element.child_nodes();
        for i in 0..children.length() {
            let child = children.item(i).unwrap();
            match child.node_type() {
                web_sys::Node::TEXT_NODE => text.push_str(&child.text_content().unwrap_or_default()),
                web_sys::Node::ELEMENT_NODE => {
                    if !text.is_empty() {
                        out.push_str(&format!("{text:?}"));
                        text.clear();
                    }
                    outline(&child, out);
                }
                _ => {}
            }
        }
        if !text.is_empty() {
            out.push_str(&format!("{text:?}"));
        }
        out.push_str(&format!("</{}>", element.tag_name().to_lowercase()));
    }
}

/// The outline of what `root` holds of the door list: the brand header and the doors section.
fn drawn(root: &HtmlElement) -> String {
    let mut out = String::new();
    for selector in ["header.brand", "section.doors"] {
        if let Some(node) = root.query_selector(selector).unwrap() {
            outline(&node, &mut out);
            out.push('\n');
        }
    }
    out
}

/// A small seeded generator, so a failure names the case that reproduces it.
struct Seeded(u64);
impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Stands for a lone surrogate (`\ud83d`), which JSON text may hold and a Rust string cannot.
const LONE_SURROGATE: &str = "LONE-SURROGATE";

/// Names a door, a place or a setting may have, the hostile ones first among them.
fn names() -> Vec<serde_json::Value> {
    use serde_json::json;
    vec![
        json!("Front door"),
        json!("<img src=x onerror=alert(1)>Lobby"),
        json!("\u{202E}rood tnorF\u{202C}"),
        json!("\u{2066}Lift\u{2069} \u{200F}B"),
        json!("x".repeat(10_000)),
        json!(""),
        json!("   "),
        json!("\u{200B}\u{FEFF}"),
        json!("\u{FEFF}Side gate"),
        json!("\u{85}Bike room\u{3000}"),
        json!(" Ärztehaus "),
        json!("Zebra"),
        json!("attic"),
        json!("東京オフィス"),
        json!("مدخل"),
        json!("Door\u{0}with a NUL"),
        json!(format!("{} end", "é".repeat(119))),
        json!(LONE_SURROGATE),
        json!(42),
        json!(null),
        json!({"name": "an object"}),
    ]
}

fn generated(seed: u64) -> Case {
    use serde_json::{Value, json};
    let mut random = Seeded(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let names = names();
    let count = *random.pick(&[1u64, 2, 3, 5, 9, 12]);
    let mut items: Vec<Value> = Vec::new();
    for _ in 0..count {
        let id = 1 + random.below(14);
        let place = match random.below(4) {
            0 => Value::Null,
            n => json!({"id": n, "name": random.pick(&names).clone()}),
        };
        let mut lock = json!({"id": id, "name": random.pick(&names).clone(), "place": place});
        let fields = lock.as_object_mut().unwrap();
        if random.below(4) == 0 {
            fields.insert("description".into(), random.pick(&names).clone());
        }
        for (field, odd) in [("locked_down", json!(true)), ("configured", json!(false)), ("online", json!(false))] {
            if random.below(8) == 0 {
                fields.insert(field.into(), odd);
            }
        }
        items.push(lock);
    }
    if random.below(4) == 0 {
        items.push(
            random.pick(&[json!(null), json!(7), json!({"id": "eight"}), json!({"id": 1.5}), json!([3])]).clone(),
        );
    }
    let mut config = serde_json::Map::new();
    config.insert("api_base".into(), json!("https://kisi.test"));
    if random.below(2) == 0 {
        config.insert("door_order".into(), random.pick(&[json!("name"), json!("api"), json!("random")]).clone());
    }
    if random.below(3) == 0 {
        config.insert("group_by_place".into(), random.pick(&[json!(false), json!(true), json!("no")]).clone());
    }
    if random.below(5) == 0 {
        config.insert("unlock_gesture".into(), json!("hold"));
    }
    if random.below(2) == 0 {
        let mut doors = serde_json::Map::new();
        for _ in 0..3 {
            let key = random.pick(&["1", "2", "3", "4", "07", "_comment", "x", "99999999999999999999999"]).to_string();
            let settings = match random.below(4) {
                0 => json!({"hidden": true}),
                1 => json!({"name": random.pick(&names).clone()}),
                2 => json!({"note": random.pick(&names).clone(), "hidden": "yes"}),
                _ => random.pick(&names).clone(),
            };
            doors.insert(key, settings);
        }
        config.insert("doors".into(), Value::Object(doors));
    }
    if random.below(3) == 0 {
        let language = random.pick(&["en", "de", "xx-y", "_note"]).to_string();
        let texts = json!({"title": random.pick(&names).clone(), "intro": random.pick(&names).clone()});
        config.insert("texts".into(), Value::Object([(language, texts)].into_iter().collect()));
    }
    if random.below(4) == 0 {
        config.insert("brand".into(), json!({"name": random.pick(&names).clone()}));
    }
    let lone = |text: String| text.replace(LONE_SURROGATE, "\\ud83d");
    Case {
        body: lone(Value::Array(items).to_string()),
        config: lone(Value::Object(config).to_string()),
        named: (random.below(3) == 0).then(|| 1 + random.below(15)),
        language: ["en", "en", "de", "ar"][random.below(4) as usize],
    }
}

/// Paints `case` with `paint` and draws it with the app: the two outlines (`None` for what the
/// painter leaves to the skeleton; then the app must not show a door list either).
async fn both(paint: &js_sys::Function, case: &Case) -> (Option<String>, String) {
    let client = client("painted");
    let taps = js_sys::Map::new();
    let painted = painted(paint, case, &taps, &client).map(|(container, _)| {
        let outline = drawn(&container);
        container.remove();
        outline
    });
    let (root, _kisi, _keep) = app(case, client).await;
    let shown = if root.query_selector("section.doors").unwrap().is_some() { drawn(&root) } else { String::new() };
    root.remove();
    (painted, shown)
}

#[wasm_bindgen_test]
async fn the_painted_list_is_the_apps_list_over_generated_links_and_configurations() {
    let paint = painter(painter_source());
    let mut painted_cases = 0;
    for seed in 1..=60 {
        let case = generated(seed);
        match both(&paint, &case).await {
            (Some(painted), shown) => {
                assert_eq!(painted, shown, "case {seed}: {case:?}");
                painted_cases += 1;
            }
            (None, shown) => {
                assert!(!shown.contains("<section"), "case {seed} painted nothing, the app a list: {shown}")
            }
        }
    }
    assert!(painted_cases >= 45, "the painter painted only {painted_cases} of 60 lists");
}

#[wasm_bindgen_test]
async fn what_the_painter_leaves_to_the_app_it_does_not_paint() {
    let paint = painter(painter_source());
    let door = r#"[{"id": 1, "name": "Front door"}]"#;
    for (body, config) in [
        ("[]", "{}"),
        (r#"[{"id": 1, "name": "Hidden"}]"#, r#"{"doors": {"1": {"hidden": true}}}"#),
        (r#"{"error": "no"}"#, "{}"),
        ("<html>", "{}"),
        (door, r##"{"theme": {"light": {"accent": "#123456"}}}"##),
        (door, r#"{"brand": {"logo": "https://cdn.example/logo.svg"}}"#),
        (door, r#"{"demo": true}"#),
    ] {
        let case = Case { body: body.into(), config: config.into(), named: None, language: "en" };
        let client = client("unpainted");
        assert!(painted(&paint, &case, &js_sys::Map::new(), &client).is_none(), "{case:?}");
    }
    // A full first page may have more after it: the app shows them all, the painter none.
    let full: Vec<serde_json::Value> = (1..=250).map(|id| lock(id, "Door", 1)).collect();
    let case =
        Case { body: serde_json::Value::Array(full).to_string(), config: "{}".into(), named: None, language: "en" };
    assert!(painted(&paint, &case, &js_sys::Map::new(), &client("full")).is_none());
}

#[wasm_bindgen_test]
async fn an_altered_painter_is_caught() {
    let case = Case {
        body: serde_json::json!([lock(1, "Front door", 7), lock(2, "Back door", 8)]).to_string(),
        config: r#"{"doors": {"2": {"note": "Pull firmly"}}}"#.into(),
        named: Some(2),
        language: "en",
    };
    let (painted, shown) = both(&painter(painter_source()), &case).await;
    assert_eq!(painted.as_deref(), Some(shown.as_str()));
    for (what, altered) in [
        ("a class", painter_source().replacen("\"door-name\"", "\"door-label\"", 1)),
        ("an attribute", painter_source().replacen("dir: \"auto\" }, door.shown", "}, door.shown", 1)),
        ("a text", painter_source().replacen("\"list.this_door\"", "\"list.skipped_one\"", 1)),
        ("an element", painter_source().replacen("element(\"h1\"", "element(\"h2\"", 1)),
    ] {
        assert_ne!(altered, painter_source(), "the alteration of {what} applies");
        let (painted, shown) = both(&painter(&altered), &case).await;
        assert_ne!(painted.as_deref(), Some(shown.as_str()), "an altered {what} went unnoticed");
    }
}

#[wasm_bindgen_test]
async fn a_tap_on_a_painted_door_sends_the_apps_request_once_and_the_app_takes_the_answer_over() {
    let case = Case {
        body: serde_json::json!([lock(1, "Front door", 7), lock(2, "Back door", 7), lock(3, "Gate", 7)]).to_string(),
        config: r#"{"api_base": "https://kisi.test"}"#.into(),
        named: None,
        language: "en",
    };
    let client = client("painted-tap");
    let kisi =
        FakeKisi::install(|method, _| if method == "POST" { Reply::Held } else { Reply::Body(404, "{}".into()) });
    let early = js_sys::Object::new();
    let taps = js_sys::Map::new();
    js_sys::Reflect::set(&early, &"taps".into(), &taps).unwrap();
    js_sys::Reflect::set(&window(), &"portierEarly".into(), &early).unwrap();
    let (painted, _) = painted(&painter(painter_source()), &case, &taps, &client).unwrap();
    let button = element(&painted, "[data-door-id='2'] .door-button");
    button.click();
    // At once, in the same task as the tap.
    assert_eq!(state_of(&painted, 2).as_deref(), Some("unlocking"));
    assert_eq!(all_text(&painted, "[data-door-id='2'] .door-status"), vec!["Unlocking…"]);
    button.click();
    element(&painted, "[data-door-id='1'] .door-button").click();
    assert_eq!(kisi.calls("POST", "/unlock"), 2, "one request per tap and door: {:?}", kisi.calls.borrow());
    let painted_request = kisi.requests.borrow()[0].clone();
    drop(kisi);
    // The app took both taps over: no request of its own, the doors "Unlocking…" as they were.
    let (root, app_kisi, _keep) = app(&case, client.clone()).await;
    door_becomes(&root, 2, "unlocking").await;
    door_becomes(&root, 1, "unlocking").await;
    assert_eq!(app_kisi.calls("POST", "/unlock"), 0, "the app sent an unlock the painted door had sent");
    assert_eq!(taps.size(), 0, "every tap taken over once");
    // The app's own tap on the third door: the request the painted door made, but for its door.
    element(&root, "[data-door-id='3'] .door-button").click();
    door_becomes(&root, 3, "unlocking").await;
    let app_request = app_kisi.requests.borrow()[0].clone();
    assert_eq!(app_request, painted_request.replace("/locks/2/unlock", "/locks/3/unlock"));
    drop(app_kisi);
    painted.remove();
    root.remove();
    js_sys::Reflect::delete_property(&window(), &"portierEarly".into()).unwrap();
}
