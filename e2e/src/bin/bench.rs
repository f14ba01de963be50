//! `cargo xtask bench [runs]`: portier against a plain-JavaScript reference page, on a throttled phone.
//!
//! Both pages are served brotli-compressed by the same static server, with the caching the hosting
//! guide prescribes, and talk to the Kisi sandbox on another origin (so CORS preflights happen as in
//! production). Headless Chromium emulates a mid-range phone on mobile data: 150 ms round trip,
//! 1.6 Mbps down, 750 kbps up, 4× CPU slowdown. Every run starts a fresh browser profile (a cold
//! cache) and measures, in this order: a first visit, an unlock, a repeat visit, a link with 1,000
//! doors and one keystroke in its search box. The medians of all runs are printed with the ratio
//! portier / reference and the targets of issues #6 and #28 (a door painted before the app has run
//! makes "instantiated → first door" negative). Nothing is asserted: this prints figures.

use std::fmt::Write as _;
use std::process::Command;
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::emulation::SetCpuThrottlingRateParams;
use chromiumoxide::cdp::browser_protocol::input::InsertTextParams;
use chromiumoxide::cdp::js_protocol::profiler;
use e2e::{Harness, VisitorPage, js, js_string};

/// The phone: one round trip in ms, bytes per second down and up, CPU slowdown.
const LATENCY_MS: f64 = 150.0;
const DOWN_BYTES_PER_S: f64 = 1_600_000.0 / 8.0;
const UP_BYTES_PER_S: f64 = 750_000.0 / 8.0;
const CPU_SLOWDOWN: f64 = 4.0;

/// How long any one measured step may take before the run is abandoned.
const STEP_LIMIT: Duration = Duration::from_secs(60);

/// The demo door every run unlocks (online, configured, not locked down).
const DOOR: u64 = 101;

/// What the benchmark measures, one value per run.
#[derive(Clone, Copy)]
enum Figure {
    Transfer,
    FirstDoor,
    WasmToReady,
    ReadyToFirstDoor,
    FirstTapToRequest,
    TapToRequest,
    TapToUnlocked,
    UnlockPageShare,
    TapToUnlockedThroughSite,
    Render1000,
    Keystroke,
    RepeatFirstDoor,
    RepeatWithoutWorker,
}

impl Figure {
    const ALL: [Figure; 13] = [
        Figure::Transfer,
        Figure::FirstDoor,
        Figure::WasmToReady,
        Figure::ReadyToFirstDoor,
        Figure::FirstTapToRequest,
        Figure::TapToRequest,
        Figure::TapToUnlocked,
        Figure::UnlockPageShare,
        Figure::TapToUnlockedThroughSite,
        Figure::Render1000,
        Figure::Keystroke,
        Figure::RepeatFirstDoor,
        Figure::RepeatWithoutWorker,
    ];

    fn label(self) -> &'static str {
        match self {
            Figure::Transfer => "first-load transfer, all files (bytes)",
            Figure::FirstDoor => "navigation → first door on screen (ms)",
            Figure::WasmToReady => "  … the wasm received → compiled and instantiated (ms)",
            Figure::ReadyToFirstDoor => "  … instantiated → first door on screen (ms)",
            Figure::FirstTapToRequest => "navigation → unlock request starts, tapped as the door shows (ms)",
            Figure::TapToRequest => "tap → unlock request starts (ms)",
            Figure::TapToUnlocked => "tap → \"Unlocked\" on screen (ms)",
            Figure::UnlockPageShare => "  … minus the request's time on the wire (ms)",
            Figure::TapToUnlockedThroughSite => {
                "tap → \"Unlocked\", Kisi through the site's own /kisi route (nginx) (ms)"
            }
            Figure::Render1000 => "1,000 doors: last page received → list on screen (ms)",
            Figure::Keystroke => "1,000 doors: search keystroke → list on screen (ms)",
            Figure::RepeatFirstDoor => "repeat visit, worker active: navigation → first door (ms)",
            Figure::RepeatWithoutWorker => "repeat visit, no worker (`offline: false`) (ms)",
        }
    }

    fn target(self) -> &'static str {
        match self {
            Figure::Transfer => "≤ 80 KB (81,920)",
            Figure::FirstDoor | Figure::FirstTapToRequest => "≤ 1.3× reference",
            Figure::WasmToReady | Figure::ReadyToFirstDoor => "",
            Figure::TapToRequest => "≤ 16",
            Figure::TapToUnlocked | Figure::UnlockPageShare | Figure::TapToUnlockedThroughSite => "",
            Figure::Render1000 => "≤ 150",
            Figure::Keystroke => "≤ 16",
            Figure::RepeatFirstDoor => "≤ 0.5× reference",
            Figure::RepeatWithoutWorker => "",
        }
    }
}

/// The two pages under test.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Subject {
    Portier,
    Reference,
}

impl Subject {
    /// The page's address for a link with `secret`.
    fn link(self, harness: &Harness, secret: &str) -> String {
        match self {
            Subject::Portier => format!("{}#{secret}", harness.site.url()),
            Subject::Reference => format!("{}reference.html#{secret}", harness.site.url()),
        }
    }

    fn search_box(self) -> &'static str {
        match self {
            Subject::Portier => "#door-search",
            Subject::Reference => "#search",
        }
    }
}

#[tokio::main]
async fn main() {
    if std::env::var_os("BENCH_SERVE").is_some() {
        return serve().await;
    }
    match std::env::var("BENCH_PROFILE").as_deref() {
        Ok("repeat") => return profile_visit(true).await,
        Ok("first") => return profile_visit(false).await,
        Ok("start") => return start_split().await,
        Ok(_) => return profile_render().await,
        Err(_) => {}
    }
    let runs: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(5);
    println!(
        "benchmark: {runs} runs per page; {LATENCY_MS} ms round trip, {} kbps down, {} kbps up, {CPU_SLOWDOWN}× CPU slowdown",
        DOWN_BYTES_PER_S * 8.0 / 1000.0,
        UP_BYTES_PER_S * 8.0 / 1000.0
    );
    let mut samples: Vec<(Subject, Vec<f64>)> = Vec::new();
    for run in 1..=runs {
        // Alternating the order spreads any drift of the machine over both pages.
        let order =
            if run % 2 == 1 { [Subject::Portier, Subject::Reference] } else { [Subject::Reference, Subject::Portier] };
        for subject in order {
            let values = one_run(subject).await;
            eprintln!("run {run} {subject:?}: {values:?}");
            samples.push((subject, values));
        }
    }
    print!("{}", table(&samples));
}

/// One fresh browser, every figure once.
async fn one_run(subject: Subject) -> Vec<f64> {
    let harness = Harness::start().await;
    install_reference(&harness);

    let first = throttled_tab(&harness).await;
    first.goto(&subject.link(&harness, "demo-bench")).await;
    let first_door = mark(&first, "firstDoor").await;
    // The visitor taps the moment the door shows (a painted door, when it is one).
    first.tap(&format!("li[data-door-id=\"{DOOR}\"] button")).await;
    let unlocked = mark(&first, &format!("unlocked {DOOR}")).await;
    let click = first.eval("__bench.marks.click").await.as_f64().unwrap_or(f64::NAN);
    let unlock = only_request(&first, &format!("/locks/{DOOR}/unlock")).await;
    let tap_to_request = unlock.0 - click;
    let tap_to_unlocked = unlocked - click;
    let page_share = tap_to_unlocked - (unlock.1 - unlock.0);

    // Then the app: all its bytes, and where the time after its arrival goes (the reference has
    // no app: NaN).
    if subject == Subject::Portier {
        first.eval("__bench.finished('_bg.wasm')").await;
        mark(&first, "wasmReady").await;
    }
    let transfer = first.eval("__bench.transfer()").await.as_f64().unwrap_or(f64::NAN);
    print_timeline(subject, "first visit", &first, first_door).await;
    let wasm_received = first.eval("Math.max(...__bench.requests('_bg.wasm').map(r => r.end))").await.as_f64();
    let ready = first.eval("__bench.marks.wasmReady ?? null").await.as_f64();
    let wasm_to_ready = ready.unwrap_or(f64::NAN) - wasm_received.unwrap_or(f64::NAN);
    let ready_to_first_door = first_door - ready.unwrap_or(f64::NAN);
    if subject == Subject::Portier {
        // The worker installs after the first visit has loaded; the repeat visit is measured once it
        // is in charge (the reference has none).
        first.eval("navigator.serviceWorker.ready.then(() => true)").await;
    }
    first.page.clone().close().await.ok();

    let repeat_first_door = repeat_visit(&harness, subject, "repeat visit").await;
    let repeat_without_worker = match subject {
        Subject::Portier => {
            // The same two visits on a site with the worker switched off: what it buys.
            let plain = Harness::with_config(Default::default(), serde_json::json!({ "offline": false })).await;
            let first = throttled_tab(&plain).await;
            first.goto(&subject.link(&plain, "demo-bench")).await;
            mark(&first, "firstDoor").await;
            first.page.clone().close().await.ok();
            let value = repeat_visit(&plain, subject, "repeat visit, no worker").await;
            plain.finish().await;
            value
        }
        Subject::Reference => repeat_first_door,
    };

    // The same tap with Kisi under the site's own origin (`"api_base": "/kisi"` behind the bundle's
    // nginx route): no preflight. The reference has no such mode.
    let through_site = match subject {
        Subject::Portier => tap_through_the_sites_route(&harness).await,
        Subject::Reference => f64::NAN,
    };

    let long = throttled_tab(&harness).await;
    long.goto(&subject.link(&harness, "thousand-bench")).await;
    let listed = mark(&long, "doors1000").await;
    let last_page = long.eval("Math.max(...__bench.requests('/locks?').map(r => r.end))").await.as_f64();
    let render = listed - last_page.unwrap_or(f64::NAN);
    let search = subject.search_box();
    long.tap(search).await;
    long.wait_for(&format!("document.activeElement === document.querySelector({})", js_string(search))).await;
    long.page.execute(InsertTextParams::new("9")).await.expect("type into the search box");
    let searched = mark(&long, "searched").await;
    let input = long.eval("__bench.marks.input").await.as_f64().unwrap_or(f64::NAN);
    let keystroke = searched - input;

    harness.finish().await;
    let values = vec![
        transfer,
        first_door,
        wasm_to_ready,
        ready_to_first_door,
        unlock.0,
        tap_to_request,
        tap_to_unlocked,
        page_share,
        through_site,
        render,
        keystroke,
        repeat_first_door,
        repeat_without_worker,
    ];
    debug_assert_eq!(values.len(), Figure::ALL.len());
    values
}

/// A first visit of the bundle behind nginx with `"api_base": "/kisi"` and the shipped route to
/// this run's sandbox, then a tap: tap → "Unlocked" (ms).
async fn tap_through_the_sites_route(harness: &Harness) -> f64 {
    let bundle = e2e::dist_dir().parent().expect("PORTIER_DIST is a bundle's site/ (cargo xtask bench)").to_owned();
    let nginx = e2e::nginx::Nginx::serve(&bundle, r#"{"api_base": "/kisi"}"#, Some(&harness.kisi.url())).await;
    let tab = throttled_tab(harness).await;
    tab.goto(&format!("{}/#demo-bench", nginx.url)).await;
    mark(&tab, "firstDoor").await;
    tab.tap(&format!("li[data-door-id=\"{DOOR}\"] button")).await;
    let unlocked = mark(&tab, &format!("unlocked {DOOR}")).await;
    let click = tab.eval("__bench.marks.click").await.as_f64().unwrap_or(f64::NAN);
    tab.page.clone().close().await.ok();
    unlocked - click
}

/// A repeat visit of `subject` in a new tab: navigation → first door (ms).
async fn repeat_visit(harness: &Harness, subject: Subject, label: &str) -> f64 {
    let repeat = throttled_tab(harness).await;
    repeat.goto(&subject.link(harness, "demo-bench")).await;
    let first_door = mark(&repeat, "firstDoor").await;
    print_timeline(subject, label, &repeat, first_door).await;
    repeat.page.clone().close().await.ok();
    first_door
}

/// With `BENCH_TIMELINE` set: where a visit's time went — every request's start and end (ms since
/// navigation start; `transferSize` 0 = from the cache), then the first door.
async fn print_timeline(subject: Subject, visit: &str, tab: &VisitorPage, first_door: f64) {
    if std::env::var_os("BENCH_TIMELINE").is_none() {
        return;
    }
    let script = "[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
        .map(e => `${e.startTime.toFixed(0).padStart(6)} → ${e.responseEnd.toFixed(0).padStart(6)} ${String(e.transferSize).padStart(7)} B  ${e.name.replace(/[?#].*/, '').split('/').slice(-2).join('/')}`)
        .join('\\n')";
    let timeline = tab.eval(script).await;
    let marks = tab
        .eval("[__bench.marks.wasmReady ?? null, __bench.marks.skeletonGone ?? null, __bench.marks.firstDoorInDocument ?? null]")
        .await;
    let at = |index: usize| marks[index].as_f64().map_or("-".into(), |t| format!("{t:.0}"));
    eprintln!(
        "{subject:?}, {visit}:\n{}\n{:>6}  wasm instantiated\n{:>6}  the app's list replaces the skeleton\n{:>6}  first door in the document\n{first_door:>6.0}  first door on screen",
        timeline.as_str().unwrap_or_default(),
        at(0),
        at(1),
        at(2),
    );
}

/// With `BENCH_PROFILE` set, instead of the figures: a 1,000-door link opened in portier and the
/// reference, three times each, printing how each long animation frame split into script and style + layout; with
/// `BENCH_PROFILE=cpu`, the first time also under Chromium's sampling profiler, printing the
/// functions with the most self time (names need a build that keeps them; see docs/benchmark.md).
async fn profile_render() {
    let cpu = std::env::var("BENCH_PROFILE").is_ok_and(|v| v == "cpu");
    for (attempt, subject) in [Subject::Portier, Subject::Reference].into_iter().cycle().take(6).enumerate() {
        let harness = Harness::start().await;
        install_reference(&harness);
        let tab = throttled_tab(&harness).await;
        let profiling = cpu && attempt == 0;
        if profiling {
            tab.page.execute(profiler::EnableParams::default()).await.expect("enable the profiler");
            tab.page.execute(profiler::SetSamplingIntervalParams::new(100)).await.expect("sampling interval");
            tab.page.execute(profiler::StartParams::default()).await.expect("start the profiler");
        }
        tab.goto(&subject.link(&harness, "thousand-bench")).await;
        let listed = mark(&tab, "doors1000").await;
        let last_page =
            tab.eval("Math.max(...__bench.requests('/locks?').map(r => r.end))").await.as_f64().unwrap_or(0.0);
        println!("{subject:?}: last page received at {last_page:.0} ms, 1,000 doors on screen at {listed:.0} ms");
        print_long_frames(&tab).await;
        if profiling {
            print_cpu_profile(tab.page.execute(profiler::StopParams::default()).await.expect("stop").result.profile);
        }
        harness.finish().await;
    }
}

/// With `BENCH_SERVE` set: the benchmark's site and sandbox, kept running until Ctrl-C, for tools
/// that bring their own browser (Lighthouse; see docs/benchmark.md).
async fn serve() {
    let harness = Harness::start().await;
    install_reference(&harness);
    println!("portier:   {}#demo-lighthouse", harness.site.url());
    println!("reference: {}", Subject::Reference.link(&harness, "demo-lighthouse"));
    tokio::signal::ctrl_c().await.ok();
    harness.finish().await;
}

/// With `BENCH_PROFILE=start`: only the first visit's start, many times (the run count, 9 unless
/// given), each in a fresh browser: the wasm received → instantiated → the app mounted → the first
/// door, medians. For comparing builds whose difference is in the start, where the full
/// benchmark's three runs are too few to tell 20 ms apart.
async fn start_split() {
    const NAMES: [&str; 6] = [
        "received → instantiated",
        "instantiated → mounted",
        "mounted → first door",
        "instantiated → first door",
        "longest task",
        "blocking",
    ];
    let runs: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(9);
    let mut splits: Vec<[f64; 6]> = Vec::new();
    for _ in 0..runs {
        let harness = Harness::start().await;
        let tab = throttled_tab(&harness).await;
        tab.goto(&Subject::Portier.link(&harness, "demo-bench")).await;
        let first_door = mark(&tab, "firstDoor").await;
        // The tasks over 50 ms that ended by the first door: the longest, and the time past 50 ms
        // summed (Total Blocking Time's rule, here at the benchmark's CPU, not Lighthouse's model).
        let script = js::call(include_str!("../js/bench_long_tasks.js"), &[first_door.into()]);
        let times = tab.eval(&script).await;
        let at = |index: usize| times[index].as_f64().unwrap_or(f64::NAN);
        let split = [at(1) - at(0), at(2) - at(1), first_door - at(2), first_door - at(1), at(3), at(4)];
        let line: Vec<String> = NAMES.iter().zip(split).map(|(name, ms)| format!("{name} {ms:.0}")).collect();
        println!("{} (ms); long tasks (start after instantiated + length): {}", line.join(", "), times[5]);
        splits.push(split);
        harness.finish().await;
    }
    let medians: Vec<String> = NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| format!("{name} {:.0}", median(splits.iter().map(|split| split[i]).collect())))
        .collect();
    println!("medians of {runs}: {} (ms)", medians.join(", "));
}

/// With `BENCH_PROFILE=first` (or `repeat`): a first (or repeat) visit of portier under the sampling
/// profiler, printing its long frames and the functions with the most self time up to the first
/// door. For names in the profile, build with `-g` in `data-wasm-opt-params` and
/// `data-keep-debug="true"` on the wasm's `<link>` (`docs/benchmark.md`, session 9).
async fn profile_visit(repeat: bool) {
    let harness = Harness::start().await;
    if repeat {
        let first = throttled_tab(&harness).await;
        first.goto(&Subject::Portier.link(&harness, "demo-bench")).await;
        mark(&first, "firstDoor").await;
        // As in the benchmark: the worker in charge before the repeat visit.
        first.eval("navigator.serviceWorker.ready.then(() => true)").await;
        first.page.clone().close().await.ok();
    }
    let tab = throttled_tab(&harness).await;
    tab.page.execute(profiler::EnableParams::default()).await.expect("enable the profiler");
    tab.page.execute(profiler::SetSamplingIntervalParams::new(100)).await.expect("sampling interval");
    tab.page.execute(profiler::StartParams::default()).await.expect("start the profiler");
    tab.goto(&Subject::Portier.link(&harness, "demo-bench")).await;
    let first_door = mark(&tab, "firstDoor").await;
    let profile = tab.page.execute(profiler::StopParams::default()).await.expect("stop").result.profile;
    let ready = tab.eval("__bench.marks.wasmReady ?? null").await.as_f64().unwrap_or(f64::NAN);
    let visit = if repeat { "repeat" } else { "first" };
    println!("{visit} visit: wasm instantiated at {ready:.0} ms, first door at {first_door:.0} ms");
    print_long_frames(&tab).await;
    print_cpu_profile(profile);
    harness.finish().await;
}

/// How each long animation frame so far split into script and style + layout.
async fn print_long_frames(tab: &VisitorPage) {
    let frames = tab
        .eval(
            "new Promise(r => new PerformanceObserver(l => r(l.getEntries().map(e => ({ start: e.startTime, \
               duration: e.duration, script: e.scripts.reduce((n, s) => n + s.duration, 0), \
               layout: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0 })))) \
               .observe({ type: 'long-animation-frame', buffered: true }))",
        )
        .await;
    for frame in frames.as_array().into_iter().flatten() {
        let field = |name: &str| frame[name].as_f64().unwrap_or(f64::NAN);
        println!(
            "  long frame at {:>6.0} ms: {:>5.0} ms = script {:>5.0} + style and layout {:>5.0} + other",
            field("start"),
            field("duration"),
            field("script"),
            field("layout")
        );
    }
}

/// The functions with the most self time in `profile` (ms at the throttled CPU).
fn print_cpu_profile(profile: profiler::Profile) {
    let samples: i64 = profile.nodes.iter().filter_map(|n| n.hit_count).sum();
    let per_sample = (profile.end_time - profile.start_time) / 1000.0 / samples.max(1) as f64;
    let mut by_name: std::collections::HashMap<String, f64> = std::collections::HashMap::new();
    for node in &profile.nodes {
        let frame = &node.call_frame;
        let name = if frame.function_name.is_empty() {
            format!("(anonymous {})", frame.url)
        } else {
            frame.function_name.clone()
        };
        *by_name.entry(name).or_default() += node.hit_count.unwrap_or(0) as f64 * per_sample;
    }
    let mut ranked: Vec<(String, f64)> = by_name.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("self time (ms), whole visit:");
    for (name, ms) in ranked.iter().take(40) {
        println!("{ms:>8.1}  {}", name.chars().take(150).collect::<String>());
    }
}

/// Writes the reference page (pointed at this run's sandbox) next to portier, brotli-compressed
/// like the rest of the site.
fn install_reference(harness: &Harness) {
    let source = include_str!("../../../bench/reference/index.html");
    let page = source.replace("__API_BASE__", &harness.kisi.url());
    let path = harness.site_dir().join("reference.html");
    std::fs::write(&path, page).expect("write the reference page");
    let status = Command::new("brotli").args(["-q", "11", "-k", "-f"]).arg(&path).status().expect("run brotli");
    assert!(status.success(), "brotli failed on the reference page");
}

/// A new tab with the phone's network and CPU, and the probe installed.
async fn throttled_tab(harness: &Harness) -> VisitorPage {
    let tab = harness.blank_tab().await;
    tab.throttle_network(LATENCY_MS, DOWN_BYTES_PER_S, UP_BYTES_PER_S).await;
    tab.page.execute(SetCpuThrottlingRateParams::new(CPU_SLOWDOWN)).await.expect("throttle the CPU");
    tab.page
        .evaluate_on_new_document(js::call(include_str!("../js/bench_probe.js"), &[]))
        .await
        .expect("install the probe");
    tab
}

/// Waits for the probe's mark `name` and returns its time (ms since navigation start).
async fn mark(tab: &VisitorPage, name: &str) -> f64 {
    let value = tab.eval(&format!("__bench.when({}, {})", js_string(name), STEP_LIMIT.as_millis())).await;
    value.as_f64().unwrap_or_else(|| panic!("`{name}` never happened. Console: {:#?}", tab.console()))
}

/// (start, end) of the one request whose URL contains `part`, once it has finished.
async fn only_request(tab: &VisitorPage, part: &str) -> (f64, f64) {
    tab.eval(&format!("__bench.finished({})", js_string(part))).await;
    let timing = tab.eval(&format!("__bench.requests({})", js_string(part))).await;
    let requests = timing.as_array().cloned().unwrap_or_default();
    assert_eq!(requests.len(), 1, "one request to {part}, not {timing}");
    (requests[0]["start"].as_f64().unwrap_or(f64::NAN), requests[0]["end"].as_f64().unwrap_or(f64::NAN))
}

/// The median of `values` (NaN if there are none).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The medians as a Markdown table.
fn table(samples: &[(Subject, Vec<f64>)]) -> String {
    let median_of = |subject: Subject, index: usize| {
        median(samples.iter().filter(|(s, _)| *s == subject).map(|(_, values)| values[index]).collect())
    };
    let mut out = String::new();
    let _ = writeln!(out, "\n| figure (median) | portier | reference | ratio | target |");
    let _ = writeln!(out, "|---|---:|---:|---:|---|");
    for (index, figure) in Figure::ALL.into_iter().enumerate() {
        let (ours, theirs) = (median_of(Subject::Portier, index), median_of(Subject::Reference, index));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.2}× | {} |",
            figure.label(),
            grouped(ours),
            grouped(theirs),
            ours / theirs,
            figure.target()
        );
    }
    out
}

/// `1234.5` as `1,235`.
fn grouped(value: f64) -> String {
    if !value.is_finite() {
        return "—".to_owned();
    }
    let digits = format!("{:.0}", value.abs());
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if value < 0.0 { format!("-{out}") } else { out }
}
