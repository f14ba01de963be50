//! `cargo run -p e2e --bin engine_bench -- [runs] [engines…]`: the first door of a first visit in
//! each engine a phone runs, unthrottled, portier beside the plain-JavaScript reference page.
//!
//! The benchmark proper (`bench`) throttles a phone's network and CPU, which only Chromium's
//! DevTools protocol can do; WebKit (every iPhone) and Firefox are driven over WebDriver, which
//! cannot. This prints what they can show without it: navigation start → a door's button in the
//! document, read by a `MutationObserver` in the page at the moment it appears (the time of the
//! DOM change; the frame that paints it follows). Each visit is a fresh browser profile, on the
//! local static site and sandbox (no network delay: this compares the pages' own work, not a
//! phone's connection). Medians of `runs` (5 unless given); engines `chromium webkit firefox`
//! unless named. Nothing is asserted: this prints figures.

use e2e::engine::{Engine, EngineBrowser};
use serde_json::json;

/// What the harness waits for in whichever document the tab holds: the time a door's button that
/// takes a tap (not `disabled`, not `aria-disabled`) first exists (ms since that document's
/// navigation started).
const FIRST_DOOR: &str = "document.querySelector('li[data-door-id] button:not([disabled]):not([aria-disabled=\"true\"])') && performance.now()";

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let runs: usize = args.next_if(|arg| arg.parse::<usize>().is_ok()).map_or(5, |n| n.parse().unwrap_or(5));
    let named: Vec<String> = args.collect();
    let engines: Vec<Engine> = [Engine::Chromium, Engine::WebKit, Engine::Firefox]
        .into_iter()
        .filter(|engine| named.is_empty() || named.iter().any(|name| name.eq_ignore_ascii_case(&engine.to_string())))
        .collect();
    println!("engine benchmark: first visit, navigation → first door (ms), unthrottled, median of {runs}");
    println!("  {:<10} {:>8} {:>10} {:>7}", "engine", "portier", "reference", "ratio");
    for engine in engines {
        let (mut portier, mut reference) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            portier.push(first_door(engine, "").await);
            reference.push(first_door(engine, "reference.html").await);
        }
        eprintln!("{engine}: portier {portier:?}, reference {reference:?}");
        let (portier, reference) = (median(portier), median(reference));
        println!("  {:<10} {portier:>8.0} {reference:>10.0} {:>6.2}×", engine.to_string(), portier / reference);
    }
}

/// One first visit of `page` (`""`: portier) in a fresh browser: navigation → first door (ms).
async fn first_door(engine: Engine, page: &str) -> f64 {
    let browser = EngineBrowser::start(engine, json!({})).await;
    let source = include_str!("../../../bench/reference/index.html");
    std::fs::write(browser.site_dir().join("reference.html"), source.replace("__API_BASE__", browser.kisi_url()))
        .expect("write the reference page");
    browser.goto("about:blank").await;
    // Navigated to by the page, so the driver does not first wait for the load event.
    let url = format!("{}{page}#demo-bench", browser.site().url());
    browser.eval(&format!("(location.href = {}, true)", e2e::js_string(&url))).await;
    let time = browser.wait_across_navigations(FIRST_DOOR).await.as_f64().expect("a time");
    browser.close().await;
    time
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
