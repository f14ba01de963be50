//! The visitor's language: chosen by the link (`&lang=`), the operator, or the device; right to
//! left for Arabic; every screen translated.

use e2e::Harness;
use sandbox::SandboxOptions;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn the_link_can_ask_for_a_language_and_arabic_reads_right_to_left() {
    let harness = Harness::start().await;
    let page = harness.open("demo&lang=de").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    assert_eq!(page.eval("document.querySelector('h1').textContent").await, "Ihre Türen");
    assert_eq!(page.eval("document.documentElement.lang").await, "de");
    assert_eq!(
        page.eval("document.querySelector('[data-door-id=\"101\"] .door-status').textContent").await,
        "Zum Öffnen tippen"
    );
    assert_eq!(page.eval("document.title").await, "Ihre Türen");
    assert_eq!(
        page.eval("location.hash").await,
        "#lang=de",
        "the language stays in the address bar, the secret does not"
    );

    let page = harness.open("demo&lang=ar").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    assert_eq!(page.eval("document.documentElement.dir").await, "rtl");
    assert_eq!(page.eval("getComputedStyle(document.body).direction").await, "rtl");
    assert_eq!(page.eval("document.querySelector('h1').textContent").await, "أبوابك");
    page.tap("[data-door-id='102'] button").await;
    page.wait_for("document.querySelector('[data-door-id=\"102\"]').dataset.state === 'unlocked'").await;
    assert_eq!(
        page.eval("document.querySelector('[data-door-id=\"102\"] .door-status').textContent").await,
        "مفتوح — ادخل الآن"
    );

    let page = harness.open("expired-link&lang=ja").await;
    let title = page.wait_for("document.querySelector('[data-problem=link_expired] h1')?.textContent").await;
    assert_eq!(title, "このアクセスリンクは有効期限切れです", "error messages are translated too");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_operator_can_fix_the_language_and_the_link_still_wins() {
    let harness = Harness::with_config(SandboxOptions::default(), json!({ "language": "fr" })).await;
    let page = harness.open("demo").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    assert_eq!(page.eval("document.querySelector('h1').textContent").await, "Vos portes");
    let page = harness.open("demo&lang=es").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    assert_eq!(page.eval("document.querySelector('h1').textContent").await, "Tus puertas");
    let page = harness.open("").await;
    let help = page.wait_for("document.querySelector('[data-screen=help] h1')?.textContent").await;
    assert_eq!(help, "Ouvrez votre lien d'accès");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_language_arrives_while_the_app_downloads_and_english_stands_in_without_it() {
    let harness = Harness::start().await;
    // The app's files (Trunk's hashed `portier-…`) are held back: the translation must be asked for
    // while they are, whatever this machine's speed.
    let app_files = harness.site.hold("/portier-");
    let tab = harness.blank_tab().await;
    tab.start_navigation(&format!("{}#demo&lang=de", harness.site.url())).await;
    let german = |requests: &[sandbox::RecordedRequest]| requests.iter().any(|r| r.path_only() == "/i18n/de.json");
    let asked = harness.site.wait_until(e2e::WAIT_LIMIT, german).await;
    assert!(asked, "the translation is asked for while the app has not arrived");
    app_files.release();
    // The app's own list (the head start may have painted one before it ran).
    tab.wait_for(&format!("!document.getElementById('skeleton') && {}", e2e::doors_shown(12))).await;
    assert_eq!(tab.eval("document.querySelector('h1').textContent").await, "Ihre Türen");
    let timing = tab
        .eval(
            "(() => {
                const entries = performance.getEntriesByType('resource');
                const wasm = entries.find(e => e.name.endsWith('.wasm'));
                const texts = entries.filter(e => e.name.includes('/i18n/'));
                return { wasmDone: wasm.responseEnd, texts: texts.map(e => [e.name, e.startTime]) };
            })()",
        )
        .await;
    let texts = timing["texts"].as_array().expect("translation requests").clone();
    assert_eq!(texts.len(), 1, "one translation fetched: {timing}");
    assert!(texts[0][0].as_str().unwrap().ends_with("/i18n/de.json"), "{timing}");
    let (german_asked, wasm_done) = (texts[0][1].as_f64(), timing["wasmDone"].as_f64());
    let (german_asked, wasm_done) = german_asked.zip(wasm_done).expect("both requests were timed");
    assert!(german_asked < wasm_done, "the browser agrees: {timing}");
    let fetched: Vec<String> =
        harness.site.requests().iter().map(|r| r.path_only().to_owned()).filter(|p| p.contains("/i18n/")).collect();
    assert_eq!(fetched, ["/i18n/de.json"], "only the chosen language is ever downloaded");

    // The device keeps it: the next visit reads German before the site answers.
    let kept = tab.eval("localStorage.getItem('portier:/:site.i18n/de.json')").await;
    assert!(kept.as_str().is_some_and(|text| text.contains("Ihre Türen")), "{kept}");
    harness.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_language_file_the_page_is_in_english() {
    // A site without the file (a botched upload): the visitor still gets their doors, in English.
    let harness = Harness::start().await;
    std::fs::remove_file(harness.site_dir().join("i18n/de.json")).expect("remove de.json");
    let page = harness.open("demo&lang=de").await;
    page.wait_for(&e2e::doors_shown(12)).await;
    assert_eq!(page.eval("document.querySelector('h1').textContent").await, "Your doors");
    assert_eq!(page.eval("document.documentElement.lang").await, "en");
    harness.finish().await;
}
