//! Operators brand the page through config.json alone; without a brand, the page carries the
//! organization's; and a broken configuration never costs a visitor their doors.

use e2e::{Harness, VisitorPage};
use sandbox::SandboxOptions;
use serde_json::{Value, json};

/// `#rrggbb` as the `rgb(r, g, b)` that `getComputedStyle` reports.
fn rgb(hex: &str) -> String {
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
    format!("rgb({}, {}, {})", channel(1), channel(3), channel(5))
}

/// The computed `property` of `selector` once the page has settled (no transition midway).
async fn computed(page: &VisitorPage, selector: &str, property: &str) -> String {
    page.settled().await;
    let script = format!("getComputedStyle(document.querySelector({})).{property}", e2e::js_string(selector));
    page.eval(&script).await.as_str().unwrap_or_default().to_owned()
}

fn theme_file(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../themes/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_example_theme_styles_the_page() {
    for (name, dark, accent, background) in [
        ("default", false, "#0b57d0", "#f3f4f6"),
        ("midnight", true, "#7dd3fc", "#0b1020"),
        ("sunny", false, "#c2185b", "#fff7e6"),
    ] {
        let theme = theme_file(name);
        let scheme = if dark { "dark" } else { "light" };
        if name != "default" {
            assert_eq!(theme["theme"][scheme]["accent"], accent, "the test follows themes/{name}.json");
        }
        let harness = Harness::with_config(SandboxOptions::default(), theme.clone()).await;
        let page = harness.open("demo").await;
        page.wait_for(&e2e::doors_shown(12)).await;
        assert_eq!(computed(&page, "[data-door-id='101'] button", "backgroundColor").await, rgb(accent), "{name}");
        assert_eq!(computed(&page, "body", "backgroundColor").await, rgb(background), "{name}");
        if let Some(radius) = theme["theme"]["radius"].as_str() {
            assert_eq!(computed(&page, "[data-door-id='101'] button", "borderTopLeftRadius").await, radius, "{name}");
        }
        if let Some(brand) = theme["brand"]["name"].as_str() {
            assert_eq!(page.eval("document.querySelector('.brand-name').textContent").await, brand);
        }
        harness.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_visitors_dark_mode_is_followed_unless_the_operator_fixes_it() {
    let harness = Harness::start().await;
    let page = harness.open("demo").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    page.prefer_dark(true).await;
    assert_eq!(computed(&page, "body", "backgroundColor").await, rgb("#0f1115"));
    harness.finish().await;

    let fixed_light = json!({ "theme": { "mode": "light" } });
    let harness = Harness::with_config(SandboxOptions::default(), fixed_light).await;
    let page = harness.open("demo").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    page.prefer_dark(true).await;
    assert_eq!(computed(&page, "body", "backgroundColor").await, rgb("#f3f4f6"));
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_brand_the_page_carries_the_organizations() {
    let harness = Harness::start().await;
    let page = harness.open("demo").await;
    let name = page.wait_for("document.querySelector('.brand-name')?.textContent").await;
    assert_eq!(name, "Acme Works");
    assert!(page.image_loaded(".brand-logo").await > 0, "the organization's logo loaded");
    assert_eq!(harness.api_calls("GET", "/organization").len(), 1);
    page.wait_for(&e2e::doors_shown(12)).await;
    // The brand arrives after the doors, into a place kept for it: nothing moved under a finger.
    let shifted = page
        .eval(
            "(() => { const o = new PerformanceObserver(() => {}); o.observe({ type: 'layout-shift', buffered: true }); \
               const shifts = o.takeRecords(); o.disconnect(); return shifts.reduce((n, e) => n + e.value, 0); })()",
        )
        .await;
    assert_eq!(shifted, 0.0, "cumulative layout shift");
    harness.finish().await;

    // A failing organization call changes nothing for the doors.
    let harness = Harness::start().await;
    let page = harness.open("unlock-failures").await;
    page.wait_for(&e2e::doors_shown(6)).await;
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_configured_brand_means_no_organization_call() {
    let config = json!({ "brand": { "name": "Operator Name" }, "contact": { "label": "Call reception", "href": "tel:+4930123" } });
    let harness = Harness::with_config(SandboxOptions::default(), config).await;
    let page = harness.open("unlock-failures").await;
    page.wait_for(&e2e::doors_shown(6)).await;
    assert_eq!(page.eval("document.querySelector('.brand-name').textContent").await, "Operator Name");
    // Every error carries the contact line.
    page.tap("[data-door-id='502'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"502\"]').dataset.state === 'failed'").await;
    assert_eq!(
        page.eval("document.querySelector('[data-door-id=\"502\"] .contact a').getAttribute('href')").await,
        "tel:+4930123"
    );
    assert_eq!(harness.api_calls("GET", "/organization").len(), 0);
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_configuration_still_opens_doors_and_says_what_is_wrong() {
    let broken = json!({
        "theme": { "light": { "accent": "purple-ish", "text": "#ffff00" }, "radius": "round", "font": "x; y" },
        "brand": { "logo": "http://insecure.example/logo.png" },
        "door_order": "shuffled",
        "unlocked_seconds": "five",
        "mystery": true,
        "demo": true
    });
    let harness = Harness::with_config(SandboxOptions::default(), broken).await;
    let page = harness.open("demo").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    let listed = page.eval("[...document.querySelectorAll('.config-warnings li')].map(li => li.textContent)").await;
    let listed: Vec<String> = listed.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    for key in [
        "theme.light.accent",
        "theme.radius",
        "theme.font",
        "brand.logo",
        "door_order",
        "unlocked_seconds",
        "mystery",
        "theme.light",
    ] {
        assert!(listed.iter().any(|w| w.contains(&format!("\"{key}\""))), "no warning for {key}: {listed:#?}");
    }
    let console = page.console();
    assert!(console.iter().filter(|l| l.contains("portier: config.json")).count() >= 8, "{console:#?}");
    page.tap("[data-door-id='101'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"101\"]').dataset.state === 'unlocked'").await;
    harness.finish().await;
}

/// A `config.json` that is not JSON: the console names the line and column (Chromium's parser gives
/// them), so the operator can find the slip; the visitor sees the settings screen, nothing is sent.
#[tokio::test(flavor = "multi_thread")]
async fn a_config_file_that_is_not_json_is_named_by_line_and_column() {
    let harness = Harness::start().await;
    std::fs::write(harness.site_dir().join("config.json"), "{\n  \"demo\": true,\n}\n").expect("break config.json");
    let page = harness.open("demo").await;
    page.wait_for("document.querySelector('[data-problem=site_settings]')").await;
    let console = page.console();
    let said: Vec<&String> = console.iter().filter(|l| l.contains("portier: config.json is not valid JSON")).collect();
    assert_eq!(said.len(), 1, "{console:#?}");
    assert!(said[0].contains("line 3 column 1"), "{said:?}");
    assert!(harness.kisi.requests().is_empty(), "nothing sent");
    harness.finish().await;
}
