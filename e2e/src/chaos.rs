//! The seeded chaos run: visitor sessions against the sandbox behind its fault front
//! ([`sandbox::chaos`]), each held to the page's promises.
//!
//! A session opens a link, waits for doors or a message, taps one or two doors (sometimes twice in
//! a row; sometimes on the list the head start painted, while the site holds the app back), may go
//! offline and come back, may reload, and ends on a settled screen. The dice are a
//! function of the seed and the session's number, so a seed replays the same sessions (the fault
//! front draws from the same seed). Every session is checked for:
//!
//! - a blank screen at any moment (a page-side `MutationObserver` watches from the first byte),
//!   a panic, an uncaught exception or a policy violation;
//! - more than one unlock request in flight for a door, or an unlock of a door never tapped, or
//!   more than two requests per tap (one try and one retry);
//! - more than [`MAX_REQUESTS`] requests to Kisi starting within any [`WINDOW_MS`] (as Chromium
//!   timed them);
//! - doors or a message later than [`READ_WITHIN`] after the page started, or a tap unsettled
//!   later than [`UNLOCK_WITHIN`] after it (each plus a small allowance, see [`ALLOWANCE_MS`]);
//! - a session that does not end on doors, an empty list or a problem screen.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use portier::domain::pace::{MAX_REQUESTS, READ_WITHIN, UNLOCK_WITHIN, WINDOW_MS};
use sandbox::SandboxOptions;
use sandbox::chaos::{Fault, mix};

use crate::{Harness, VisitorPage, js, js_string};

/// What the page may take beyond a promise: the app's own start (measured from navigation), and a
/// last attempt's minimum time, on a machine running several Chromiums on two cores.
pub const ALLOWANCE_MS: f64 = 3_000.0;

/// Records, in the page, every frame with no text at all once it had shown some (installed before
/// the page loads; see the file for what counts).
const BLANK_WATCH: &str = include_str!("js/blank_watch.js");

/// Truthy (the page's clock, ms) once the page shows doors or a message.
const ANSWERED: &str = "document.querySelector('[data-screen=doors] li.door[data-door-id], [data-screen=problem], \
    [data-screen=empty]') && performance.now()";

/// The screen a session ended on.
const FINAL_SCREEN: &str = include_str!("js/final_screen.js");

/// One broken promise.
#[derive(Clone, Debug)]
pub struct Violation {
    /// The seed that replays it.
    pub seed: u64,
    /// The session within the seed.
    pub session: usize,
    /// What went wrong.
    pub what: String,
}

/// The run's figures.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Sessions run.
    pub sessions: usize,
    /// Faults the front injected, by kind.
    pub faults: BTreeMap<Fault, u64>,
    /// Requests the front saw (faulted or not).
    pub requests: usize,
    /// Taps made, and unlock requests the page sent.
    pub taps: usize,
    /// Of the taps, those on a painted door, before the app ran.
    pub early_taps: usize,
    /// Unlock requests the page sent.
    pub unlocks: usize,
    /// How the sessions ended, by screen.
    pub endings: BTreeMap<String, usize>,
    /// The longest wait for doors or a message (page clock, from navigation), ms.
    pub worst_answer_ms: f64,
    /// The longest wait from a tap to its outcome, ms.
    pub worst_unlock_ms: f64,
    /// The most requests to Kisi that started within any one window.
    pub busiest_window: usize,
    /// Every broken promise.
    pub violations: Vec<Violation>,
}

impl Report {
    /// Adds `other`'s figures to these.
    pub fn merge(&mut self, other: Report) {
        self.sessions += other.sessions;
        for (fault, count) in other.faults {
            *self.faults.entry(fault).or_default() += count;
        }
        self.requests += other.requests;
        self.taps += other.taps;
        self.early_taps += other.early_taps;
        self.unlocks += other.unlocks;
        for (ending, count) in other.endings {
            *self.endings.entry(ending).or_default() += count;
        }
        self.worst_answer_ms = self.worst_answer_ms.max(other.worst_answer_ms);
        self.worst_unlock_ms = self.worst_unlock_ms.max(other.worst_unlock_ms);
        self.busiest_window = self.busiest_window.max(other.busiest_window);
        self.violations.extend(other.violations);
    }

    /// The table the note and `cargo xtask chaos` print.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let faults: u64 = self.faults.values().sum();
        let _ = writeln!(out, "  sessions                               {:>8}", self.sessions);
        let _ = writeln!(out, "  requests to Kisi (front)               {:>8}", self.requests);
        let _ = writeln!(out, "  faults injected                        {faults:>8}");
        for (fault, count) in &self.faults {
            let _ = writeln!(out, "    {:<36} {count:>8}", fault.to_string());
        }
        let _ = writeln!(
            out,
            "  taps / unlock requests sent            {:>8}",
            format!("{} / {}", self.taps, self.unlocks)
        );
        let _ = writeln!(out, "    taps on a painted door, before the app {:>7}", self.early_taps);
        for (ending, count) in &self.endings {
            let _ = writeln!(out, "  ended on {:<30} {count:>8}", ending);
        }
        let _ = writeln!(out, "  worst time to doors or a message       {:>6.1} s", self.worst_answer_ms / 1000.0);
        let _ = writeln!(out, "  worst time from a tap to its outcome   {:>6.1} s", self.worst_unlock_ms / 1000.0);
        let _ =
            writeln!(out, "  most Kisi requests in any {:.1} s        {:>8}", WINDOW_MS / 1000.0, self.busiest_window);
        let _ = writeln!(out, "  invariant violations                   {:>8}", self.violations.len());
        for violation in &self.violations {
            let _ = writeln!(out, "    seed {} session {}: {}", violation.seed, violation.session, violation.what);
        }
        out
    }
}

/// The session's dice: SplitMix64 over the seed, the session and a counter.
struct Dice {
    state: u64,
}

impl Dice {
    fn new(seed: u64, session: usize) -> Self {
        Dice { state: mix(seed ^ mix(session as u64 + 1)) }
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.state = mix(self.state);
        self.state % n
    }

    /// True with probability `percent` %.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Runs `sessions` sessions against a sandbox whose fault front draws from `seed`.
pub async fn run_seed(seed: u64, sessions: usize) -> Report {
    let options = SandboxOptions { chaos_seed: Some(seed), ..SandboxOptions::default() };
    let harness = Harness::with_options(options).await;
    let mut report = Report::default();
    for session in 0..sessions {
        let found = run_session(&harness, seed, session, &mut report).await;
        report.sessions += 1;
        report.violations.extend(found.into_iter().map(|what| Violation { seed, session, what }));
    }
    report.faults = harness.kisi.faults();
    report.requests = harness.kisi.requests().iter().filter(|r| r.method != "OPTIONS").count();
    for failure in harness.close().await {
        report.violations.push(Violation { seed, session: usize::MAX, what: format!("the page broke: {failure}") });
    }
    report
}

/// One visitor's session; returns what it broke.
async fn run_session(harness: &Harness, seed: u64, session: usize, report: &mut Report) -> Vec<String> {
    let mut dice = Dice::new(seed, session);
    let mut broken = Vec::new();
    let tab = harness.blank_tab().await;
    tab.page.evaluate_on_new_document(js::call(BLANK_WATCH, &[])).await.expect("install the blank-screen watch");
    let secret = format!("demo-chaos-{seed}-{session}");
    let link = format!("{}#{secret}", harness.site.url());
    // Sometimes the app is slow to come (the site holds its wasm back): the visitor taps what the
    // head start painted, if it painted the list (a fault on its requests leaves the skeleton).
    let held = dice.chance(30).then(|| harness.site.hold(&crate::app_wasm_path(harness.site_dir())));
    let painted = match held {
        Some(_) => {
            tab.start_navigation(&link).await;
            tab.wait_across_navigations("window.portierEarly && 'painted' in window.portierEarly").await;
            let painted =
                "portierEarly.painted.then(() => !!document.querySelector('#skeleton[data-painted]'), () => false)";
            tab.eval(painted).await == serde_json::Value::Bool(true)
        }
        None => {
            tab.goto(&link).await;
            answered(&tab, "the first visit", report, &mut broken).await;
            false
        }
    };
    // Without a painted list the app is let go at once; the time to the first answer is not held
    // to a promise then, as the test itself kept the app from starting.
    let held = if painted {
        held
    } else {
        drop(held);
        None
    };

    // Taps: one or two doors, sometimes tapped twice in a row.
    let mut taps: BTreeMap<u64, usize> = BTreeMap::new();
    for _ in 0..=dice.below(2) {
        let ready =
            tab.eval("[...document.querySelectorAll('li.door[data-state=ready]')].map(d => +d.dataset.doorId)").await;
        let ready: Vec<u64> =
            ready.as_array().map(|ids| ids.iter().filter_map(|id| id.as_u64()).collect()).unwrap_or_default();
        if ready.is_empty() {
            break;
        }
        let door = ready[dice.below(ready.len() as u64) as usize];
        let presses = if dice.chance(30) { 2 } else { 1 };
        let started = tab.eval("performance.now()").await.as_f64().unwrap_or_default();
        let selector = format!("[data-door-id='{door}'] button");
        for _ in 0..presses {
            tab.eval(&format!("document.querySelector({}).click(); true", js_string(&selector))).await;
        }
        *taps.entry(door).or_default() += presses;
        report.taps += presses;
        report.early_taps += if held.is_some() { presses } else { 0 };
        let outcome = format!(
            "['unlocked', 'failed'].includes(document.querySelector('[data-door-id=\"{door}\"]')?.dataset.state) && performance.now()"
        );
        let ended = tab.wait_for(&outcome).await.as_f64().unwrap_or_default();
        let took = ended - started;
        report.worst_unlock_ms = report.worst_unlock_ms.max(took);
        if took > UNLOCK_WITHIN.as_millis() as f64 + ALLOWANCE_MS {
            broken.push(format!("door {door}'s tap took {took:.0} ms to an outcome"));
        }
    }

    if let Some(held) = held {
        held.release();
        tab.wait_for("!document.getElementById('skeleton')").await;
    }
    tab.wait_for(ANSWERED).await;

    if dice.chance(50) {
        tab.set_offline(true).await;
        tab.wait_for("document.querySelector('.offline')").await;
        tab.set_offline(false).await;
        tab.wait_for("!document.querySelector('.offline')").await;
        answered(&tab, "coming back online", report, &mut broken).await;
    }
    // The watch starts afresh with a new document: take what this one saw before any reload.
    let mut blank = blank_moments(&tab).await;
    if dice.chance(50) {
        tab.page.reload().await.ok();
        answered(&tab, "the reload", report, &mut broken).await;
    }

    // Settled: no tap under way, and a screen that is not the loading one.
    let settled = "!document.querySelector('li.door[data-state=unlocking]') && !document.querySelector('.slow') && \
        document.querySelector('[data-screen]:not([data-screen=loading])')";
    tab.wait_for(settled).await;
    let ending = tab.eval(&js::call(FINAL_SCREEN, &[])).await.as_str().unwrap_or("none").to_owned();
    if !(ending == "doors" || ending == "empty" || ending.starts_with("problem: ")) {
        broken.push(format!("ended on {ending}"));
    }
    *report.endings.entry(ending).or_default() += 1;

    blank.extend(blank_moments(&tab).await);
    if !blank.is_empty() {
        broken.push(format!("a blank screen at {blank:?} ms (page clock)"));
    }
    broken.extend(tab.failures().into_iter().map(|line| format!("the page broke: {line}")));
    broken.extend(check_requests(&tab, &harness.kisi.url(), &taps, report));
    tab.page.clone().close().await.ok();
    broken
}

/// The moments the page's document so far showed no text, and clears them.
async fn blank_moments(tab: &VisitorPage) -> Vec<f64> {
    let moments =
        tab.eval("(() => { const seen = window.__chaosBlank || []; window.__chaosBlank = []; return seen; })()").await;
    moments.as_array().map(|m| m.iter().filter_map(serde_json::Value::as_f64).collect()).unwrap_or_default()
}

/// Waits for doors or a message and holds the wait to [`READ_WITHIN`] (from navigation).
async fn answered(tab: &VisitorPage, moment: &str, report: &mut Report, broken: &mut Vec<String>) {
    let at = tab.wait_for(ANSWERED).await.as_f64().unwrap_or_default();
    report.worst_answer_ms = report.worst_answer_ms.max(at);
    if at > READ_WITHIN.as_millis() as f64 + ALLOWANCE_MS {
        broken.push(format!("{moment}: doors or a message only after {at:.0} ms"));
    }
}

/// The request invariants over what Chromium saw this tab send.
fn check_requests(tab: &VisitorPage, api: &str, taps: &BTreeMap<u64, usize>, report: &mut Report) -> Vec<String> {
    let mut broken = Vec::new();
    // The API's own requests (the sandbox also serves the organization's logo, a CDN in life).
    let to_kisi: Vec<_> = tab
        .requests()
        .into_iter()
        .filter(|r| r.url.starts_with(api) && r.method != "OPTIONS" && !r.url[api.len()..].starts_with("/assets/"))
        .collect();

    // The pace is the page's: a reload is a new page that starts a window afresh (Kisi's answer to
    // the rare sixth request is a 429, which the page waits out).
    let documents: std::collections::BTreeSet<&str> = to_kisi.iter().map(|r| r.document.as_str()).collect();
    for document in documents {
        let sent: Vec<_> = to_kisi.iter().filter(|r| r.document == document).collect();
        let starts: Vec<f64> = sent.iter().map(|r| r.sent_at * 1000.0).collect();
        let busiest = starts
            .iter()
            .map(|start| starts.iter().filter(|t| **t >= *start && **t - *start < WINDOW_MS).count())
            .max()
            .unwrap_or(0);
        report.busiest_window = report.busiest_window.max(busiest);
        if busiest > MAX_REQUESTS {
            let first = starts.first().copied().unwrap_or_default();
            let seen: Vec<String> = sent
                .iter()
                .map(|r| format!("{:.0} ms {} {}", r.sent_at * 1000.0 - first, r.method, &r.url[api.len()..]))
                .collect();
            broken.push(format!("{busiest} requests to Kisi within {WINDOW_MS} ms: {}", seen.join(", ")));
        }
    }

    let mut unlocks: BTreeMap<u64, Vec<(f64, f64)>> = BTreeMap::new();
    for request in to_kisi.iter().filter(|r| r.method == "POST") {
        let door = request.url.rsplit("/locks/").next().and_then(|rest| rest.strip_suffix("/unlock"));
        let Some(door) = door.and_then(|id| id.parse::<u64>().ok()) else { continue };
        unlocks.entry(door).or_default().push((request.sent_at, request.ended_at.unwrap_or(f64::INFINITY)));
    }
    for (door, mut spans) in unlocks {
        report.unlocks += spans.len();
        let tapped = taps.get(&door).copied().unwrap_or(0);
        if tapped == 0 {
            broken.push(format!("door {door} was unlocked without a tap"));
        }
        if spans.len() > 2 * tapped {
            broken.push(format!("door {door}: {} unlock requests for {tapped} taps", spans.len()));
        }
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        if spans.windows(2).any(|pair| pair[1].0 < pair[0].1) {
            broken.push(format!("door {door}: two unlock requests in flight at once"));
        }
    }
    broken
}
