//! The sandbox's scenarios. The secret of the access link picks the scenario, so one running
//! sandbox serves the demo and every test case at once.

use serde_json::{Value, json};

/// A door as the sandbox stores it, with what its unlock does.
#[derive(Clone, Debug)]
pub struct SandboxDoor {
    /// Lock id.
    pub id: u64,
    /// Lock name.
    pub name: String,
    /// Optional description.
    pub description: Option<String>,
    /// Place id (must be one of [`places`]).
    pub place_id: u64,
    /// Whether the lock is configured.
    pub configured: bool,
    /// `None` = unknown.
    pub online: Option<bool>,
    /// Locked down for everyone.
    pub locked_down: bool,
    /// What `POST /locks/{id}/unlock` answers besides success.
    pub unlock: UnlockOutcome,
}

/// How the sandbox answers an unlock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnlockOutcome {
    /// 200 `{"message":"Unlocked!"}` (unless the door's state forbids it).
    Unlocks,
    /// The door's controller is offline: 503 `fac001`.
    ControllerOffline,
    /// The place went into lockdown since the list was read: 403 `fad002`.
    PlaceLockedDown,
    /// The door was removed since the list was read: 404 `fad10e`.
    Gone,
    /// A gateway error without a Kisi code: 503 every time.
    Unavailable,
    /// 429 (`Retry-After: 1`) on the first unlock, then success.
    RateLimitedOnce,
}

/// What a secret selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// A realistic organization: three places, a dozen doors, one offline, one locked down, one not configured.
    Demo,
    /// 640 doors in four places (three pages of 250).
    ManyDoors,
    /// A valid link that opens nothing.
    NoDoors,
    /// 401 `f29aef` on every call.
    InvalidLink,
    /// 403 `f35ade` on every call.
    ExpiredLink,
    /// 403 `f358de` on every call.
    NotYetValidLink,
    /// The first `GET /locks` gets 429 with `Retry-After: 1`; afterwards it behaves like the demo.
    RateLimited,
    /// The demo, answered after the sandbox's configured slow latency.
    Slow,
    /// Six doors: one unlocks, three fail (503 offline, 403 lockdown, 404 gone), one answers 503
    /// without a code every time, one is rate limited on its first unlock only.
    UnlockFailures,
    /// Doors with hostile or broken data: markup and bidi overrides in names, a 100 KB name, an
    /// empty name, a `null` place, wrong types; three items are not doors at all.
    Hostile,
    /// 10,000 doors (40 pages of 250).
    Huge,
    /// 1,000 doors with varied names in four places (four pages of 250): the benchmark's long list.
    Thousand,
    /// `GET /locks` answers 200 with a body that is not JSON.
    Garbage,
    /// `GET /locks` starts a body and cuts the connection.
    Cut,
    /// `GET /locks` never answers.
    Hang,
    /// The first two `GET /locks` answer 503 (no code), then the demo doors.
    Flaky,
    /// The first `GET /locks` answers 429 with `Retry-After: 2`, then the demo doors.
    RetryAfter,
    /// The demo doors; from the second `GET /locks` on, door 101 has a new name (a list that
    /// changed between two readings).
    Renamed,
    /// A guest Wi-Fi's portal: every `GET /locks` is redirected (302) to a sign-in page (200 HTML).
    CaptiveRedirect,
    /// A guest Wi-Fi's portal that answers in Kisi's place: 200 with its HTML sign-in page.
    CaptivePage,
    /// A network that strips the `Authorization` header after a while: the first `GET /locks`
    /// lists the demo doors, every later call gets Kisi's 401 for a missing link.
    StrippedAuth,
    /// The demo doors, but an unlock never gets an answer.
    UnlockHangs,
    /// The demo doors; every unlock is redirected (307, which re-sends the POST) to a guest
    /// Wi-Fi's sign-in page: a client that follows it hands the secret to the portal.
    UnlockRedirect,
}

/// Every scenario with its secret and a line for the README / `--help`.
pub const SCENARIOS: &[(&str, Scenario, &str)] = &[
    ("demo", Scenario::Demo, "Acme Works: 3 places, 12 doors (one offline, one locked down, one not set up)"),
    ("many-doors", Scenario::ManyDoors, "640 doors in 4 places: three pages of 250"),
    ("no-doors", Scenario::NoDoors, "a valid link without doors"),
    ("invalid-link", Scenario::InvalidLink, "401 f29aef (so does any unknown secret)"),
    ("expired-link", Scenario::ExpiredLink, "403 f35ade: the link has expired"),
    ("future-link", Scenario::NotYetValidLink, "403 f358de: the link is not valid yet"),
    ("rate-limited", Scenario::RateLimited, "first GET /locks answers 429 (Retry-After: 1), then the demo doors"),
    ("slow", Scenario::Slow, "the demo doors, answered after --slow-ms (default 2000 ms)"),
    (
        "unlock-failures",
        Scenario::UnlockFailures,
        "6 doors: one unlocks; 503 fac001, 403 fad002, 404 fad10e; 503 without a code; 429 on the first unlock only",
    ),
    ("hostile", Scenario::Hostile, "markup, bidi overrides, a 100 KB name, empty names, null place, wrong types"),
    ("huge", Scenario::Huge, "10,000 doors: 40 pages of 250"),
    ("thousand", Scenario::Thousand, "1,000 doors with varied names in 4 places: four pages of 250"),
    ("garbage", Scenario::Garbage, "GET /locks answers 200 with a body that is not JSON"),
    ("cut-off", Scenario::Cut, "GET /locks cuts the connection mid-body"),
    ("hang", Scenario::Hang, "GET /locks never answers"),
    ("flaky", Scenario::Flaky, "the first two GET /locks answer 503, then the demo doors"),
    ("retry-after", Scenario::RetryAfter, "the first GET /locks answers 429 with Retry-After: 2, then the demo doors"),
    ("renamed", Scenario::Renamed, "the demo doors; from the second GET /locks on, door 101 has a new name"),
    (
        "captive-redirect",
        Scenario::CaptiveRedirect,
        "a guest Wi-Fi: GET /locks redirected (302) to an HTML sign-in page",
    ),
    ("captive-page", Scenario::CaptivePage, "a guest Wi-Fi answering in Kisi's place: 200 with an HTML sign-in page"),
    ("stripped-auth", Scenario::StrippedAuth, "the demo doors once, then 401 f29aef (a proxy dropping Authorization)"),
    ("unlock-hangs", Scenario::UnlockHangs, "the demo doors; an unlock never gets an answer"),
    (
        "unlock-redirect",
        Scenario::UnlockRedirect,
        "the demo doors; every unlock redirected (307) to a guest Wi-Fi's sign-in page",
    ),
];

impl Scenario {
    /// The scenario a secret selects: its name, or its name followed by `-` and anything (so tests
    /// can use secrets no other string on the page could contain by chance, e.g. `demo-7f3a9c`).
    /// Unknown secrets are invalid links.
    pub fn for_secret(secret: &str) -> Scenario {
        SCENARIOS
            .iter()
            .find(|(name, _, _)| secret.strip_prefix(name).is_some_and(|rest| rest.is_empty() || rest.starts_with('-')))
            .map_or(Scenario::InvalidLink, |(_, scenario, _)| *scenario)
    }

    /// The link-level error every call of this scenario gets, if any: (status, message, code).
    pub fn link_error(self) -> Option<(u16, &'static str, &'static str)> {
        match self {
            Scenario::InvalidLink => Some((401, "Your link is invalid.", "f29aef")),
            Scenario::ExpiredLink => Some((403, "Your link is no longer valid.", "f35ade")),
            Scenario::NotYetValidLink => Some((403, "Your link is not valid yet.", "f358de")),
            _ => None,
        }
    }

    /// The items of `GET /locks`: the doors, plus, for [`Scenario::Hostile`], items that are
    /// broken in the ways a client must survive.
    pub fn lock_items(self) -> Vec<Value> {
        let mut items: Vec<Value> = self.doors().iter().map(SandboxDoor::to_json).collect();
        if self == Scenario::Hostile {
            items.extend([
                json!({"id": 706, "name": "No place", "description": null, "configured": true, "online": true,
                       "locked_down": false, "place_id": null, "place": null}),
                json!({"id": 709, "name": 42, "configured": "yes", "online": "maybe", "locked_down": null,
                       "place": {"id": 7, "name": "Acme HQ"}}),
                json!({"id": "707", "name": "an id that is a string"}),
                json!({"name": "no id at all"}),
                json!("not even an object"),
            ]);
        }
        items
    }

    /// The doors this scenario's link grants.
    pub fn doors(self) -> Vec<SandboxDoor> {
        match self {
            Scenario::Demo
            | Scenario::RateLimited
            | Scenario::Slow
            | Scenario::Flaky
            | Scenario::RetryAfter
            | Scenario::Renamed
            | Scenario::StrippedAuth
            | Scenario::UnlockHangs
            | Scenario::UnlockRedirect => demo_doors(),
            Scenario::Huge => {
                (1..=10_000).map(|n| door(20_000 + n, &format!("Door {n:05}"), None, 100 + (n - 1) / 2_500)).collect()
            }
            Scenario::Thousand => {
                // Names a search can narrow (by word and by number), as a real campus would have.
                const KINDS: [&str; 8] =
                    ["Office", "Lab", "Storage", "Meeting room", "Entrance", "Kitchen", "Stairwell", "Server room"];
                (1..=1_000)
                    .map(|n| {
                        door(30_000 + n, &format!("{} {n}", KINDS[n as usize % KINDS.len()]), None, 100 + (n - 1) / 250)
                    })
                    .collect()
            }
            Scenario::Hostile => vec![
                door(701, "<img src=x onerror=alert(1)>", None, 7),
                door(702, "<script>alert(2)</script>", Some("<b>not bold</b>"), 7),
                door(703, "\u{202E}roodtnorF\u{202C} entrance", Some("\u{202E}\u{2066}mirrored"), 7),
                door(704, "", None, 7),
                door(705, &"Very long name ".repeat(7_000), None, 7),
            ],
            Scenario::Garbage | Scenario::Cut | Scenario::Hang | Scenario::CaptiveRedirect | Scenario::CaptivePage => {
                Vec::new()
            }
            Scenario::ManyDoors => {
                (1..=640).map(|n| door(10_000 + n, &format!("Door {n:03}"), None, 100 + (n - 1) / 160)).collect()
            }
            Scenario::UnlockFailures => vec![
                door(501, "Working door", None, 7),
                SandboxDoor { unlock: UnlockOutcome::ControllerOffline, ..door(502, "Controller offline", None, 7) },
                SandboxDoor { unlock: UnlockOutcome::PlaceLockedDown, ..door(503, "Lockdown since listing", None, 7) },
                SandboxDoor { unlock: UnlockOutcome::Gone, ..door(504, "Removed door", None, 7) },
                SandboxDoor { unlock: UnlockOutcome::Unavailable, ..door(505, "Gateway trouble", None, 7) },
                SandboxDoor { unlock: UnlockOutcome::RateLimitedOnce, ..door(506, "Busy at first", None, 7) },
            ],
            Scenario::NoDoors | Scenario::InvalidLink | Scenario::ExpiredLink | Scenario::NotYetValidLink => Vec::new(),
        }
    }
}

fn door(id: u64, name: &str, description: Option<&str>, place_id: u64) -> SandboxDoor {
    SandboxDoor {
        id,
        name: name.to_owned(),
        description: description.map(str::to_owned),
        place_id,
        configured: true,
        online: Some(true),
        locked_down: false,
        unlock: UnlockOutcome::Unlocks,
    }
}

fn demo_doors() -> Vec<SandboxDoor> {
    vec![
        door(101, "Main entrance", Some("Glass doors on Torstraße"), 7),
        door(102, "Reception", None, 7),
        door(103, "Office, 2nd floor", Some("Left of the lifts"), 7),
        door(104, "Meeting room Spree", None, 7),
        SandboxDoor { online: Some(false), ..door(105, "Bike storage", Some("Courtyard, behind the bins"), 7) },
        SandboxDoor { configured: false, online: None, ..door(106, "Roof terrace", None, 7) },
        SandboxDoor { locked_down: true, ..door(201, "Loading dock", None, 8) },
        door(202, "Staff entrance", None, 8),
        door(203, "Storage cage", Some("Aisle 4"), 8),
        door(301, "Street door", None, 9),
        door(302, "Lift lobby", None, 9),
        door(303, "Kitchen", None, 9),
    ]
}

/// Every place the scenarios use: (id, name, address).
pub fn places() -> Vec<(u64, String, String)> {
    let mut places = vec![
        (7, "Acme HQ".to_owned(), "Torstraße 1, 10119 Berlin".to_owned()),
        (8, "Warehouse Tempelhof".to_owned(), "Columbiadamm 10, 12101 Berlin".to_owned()),
        (9, "Coworking Kreuzberg".to_owned(), "Oranienstraße 25, 10999 Berlin".to_owned()),
    ];
    places.extend(
        (100..104).map(|id| (id, format!("Building {}", (b'A' + (id - 100) as u8) as char), "Campus Way 1".to_owned())),
    );
    places
}

impl SandboxDoor {
    /// The group-link Lock variant of Kisi's API for this door.
    pub fn to_json(&self) -> Value {
        let (_, place_name, _) = places().into_iter().find(|(id, _, _)| *id == self.place_id).unwrap_or_default();
        json!({
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "configured": self.configured,
            "online": self.online,
            "open": false,
            "unlocked": false,
            "locked_down": self.locked_down,
            "locked_down_since": if self.locked_down { json!("2026-11-01T08:00:00Z") } else { Value::Null },
            "unlocked_until": null,
            "place_id": self.place_id,
            "place": {"id": self.place_id, "name": place_name, "latitude": 52.52, "longitude": 13.40},
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_and_select_their_scenario() {
        for (secret, scenario, _) in SCENARIOS {
            assert_eq!(Scenario::for_secret(secret), *scenario);
        }
        assert_eq!(Scenario::for_secret("anything-else"), Scenario::InvalidLink);
        assert_eq!(Scenario::for_secret("demo-7f3a9c"), Scenario::Demo);
        assert_eq!(Scenario::for_secret("many-doors-1"), Scenario::ManyDoors);
        assert_eq!(Scenario::for_secret("demonstration"), Scenario::InvalidLink);
    }

    #[test]
    fn the_demo_has_what_the_readme_promises() {
        let doors = Scenario::Demo.doors();
        assert_eq!(doors.len(), 12);
        assert_eq!(doors.iter().filter(|d| d.online == Some(false)).count(), 1);
        assert_eq!(doors.iter().filter(|d| d.locked_down).count(), 1);
        assert_eq!(doors.iter().filter(|d| !d.configured).count(), 1);
        let mut place_ids: Vec<u64> = doors.iter().map(|d| d.place_id).collect();
        place_ids.dedup();
        assert_eq!(place_ids, vec![7, 8, 9]);
    }

    #[test]
    fn hostile_has_seven_doors_and_three_broken_items() {
        assert_eq!(Scenario::Hostile.lock_items().len(), 10);
        assert!(Scenario::Hostile.doors().iter().any(|d| d.name.len() >= 100_000));
    }

    #[test]
    fn a_thousand_doors_have_searchable_names_in_every_place() {
        let doors = Scenario::Thousand.doors();
        assert_eq!(doors.len(), 1_000);
        assert_eq!(doors.iter().filter(|d| d.name.starts_with("Kitchen")).count(), 125);
        assert!((100..104).all(|place| doors.iter().filter(|d| d.place_id == place).count() == 250));
    }

    #[test]
    fn many_doors_spans_several_pages_and_places() {
        let doors = Scenario::ManyDoors.doors();
        assert_eq!(doors.len(), 640);
        assert!(doors.iter().all(|d| places().iter().any(|(id, _, _)| *id == d.place_id)));
    }
}
