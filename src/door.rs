//! Doors as the page understands them, and how they are grouped for display.

use std::fmt;

/// Kisi's numeric lock id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DoorId(pub u64);

impl fmt::Display for DoorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The place (building, site) a door belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// Kisi's place id.
    pub id: u64,
    /// The place's display name.
    pub name: String,
}

/// One door the access link may open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Door {
    /// Kisi's lock id, used in the unlock request.
    pub id: DoorId,
    /// The door's name as the operator typed it (possibly empty; see [`Door::display_name`]).
    pub name: String,
    /// The operator's optional description ("2nd floor, left of the lifts").
    pub description: Option<String>,
    /// Where the door is; `None` when Kisi sent no usable place.
    pub place: Option<Place>,
    /// Whether the lock has been set up in Kisi.
    pub configured: bool,
    /// `Some(false)` when the controller is known to be offline; `None` when Kisi does not know.
    pub online: Option<bool>,
    /// Locked for everyone by an administrator.
    pub locked_down: bool,
}

/// Why a door cannot be unlocked right now, known before anyone taps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocker {
    /// An administrator locked the door for everyone.
    LockedDown,
    /// The door's controller is not reachable.
    Offline,
    /// The lock has not been set up yet.
    NotConfigured,
}

/// Names longer than this are cut for display: a door button is no place for a novel, and a
/// hostile 100 KB name must not make the page unusable.
pub const MAX_NAME_CHARS: usize = 120;
/// Descriptions longer than this are cut for display.
pub const MAX_DESCRIPTION_CHARS: usize = 300;

/// `text` trimmed and, past `max_chars` characters, cut with an ellipsis.
///
/// ```
/// use portier::door::clip;
/// assert_eq!(clip("  Front door ", 20), "Front door");
/// assert_eq!(clip("abcdef", 4), "abc…");
/// ```
pub fn clip(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max_chars) {
        None => text.to_owned(),
        Some(_) => {
            let cut = text.char_indices().nth(max_chars.saturating_sub(1)).map_or(text.len(), |(i, _)| i);
            format!("{}…", text[..cut].trim_end())
        }
    }
}

impl Door {
    /// The name to show: the door's own (cut at [`MAX_NAME_CHARS`]), or a neutral stand-in when
    /// the operator left it empty.
    pub fn display_name(&self) -> String {
        let name = clip(&self.name, MAX_NAME_CHARS);
        if name.is_empty() { crate::i18n::t_with("door.unnamed", &[("id", &self.id.to_string())]) } else { name }
    }

    /// The description to show, cut at [`MAX_DESCRIPTION_CHARS`].
    pub fn display_description(&self) -> Option<String> {
        self.description.as_deref().map(|d| clip(d, MAX_DESCRIPTION_CHARS)).filter(|d| !d.is_empty())
    }

    /// The first reason this door cannot be unlocked, if any. Lockdown wins because it is the one
    /// the visitor should hear first: it will not pass by itself.
    pub fn blocker(&self) -> Option<Blocker> {
        if self.locked_down {
            Some(Blocker::LockedDown)
        } else if !self.configured {
            Some(Blocker::NotConfigured)
        } else if self.online == Some(false) {
            Some(Blocker::Offline)
        } else {
            None
        }
    }
}

/// Above this many doors the list gets a search box.
pub const SEARCH_FROM: usize = 8;

/// What a door is found by: its name and its place's name, lower-cased.
///
/// ```
/// use portier::door::{search_text, Door, DoorId, Place};
/// let door = Door { id: DoorId(1), name: "Front Door".into(), description: None,
///     place: Some(Place { id: 7, name: "HQ".into() }), configured: true, online: None, locked_down: false };
/// assert!(search_text(&door).contains("front door") && search_text(&door).contains("hq"));
/// ```
pub fn search_text(door: &Door) -> String {
    let place = door.place.as_ref().map(|p| p.name.as_str()).unwrap_or_default();
    lower_case(&format!("{}\n{}", door.display_name(), place))
}

/// Unicode lower case. In the browser it is the browser's own `toLowerCase` (the same Unicode
/// default mapping): Rust's `str::to_lowercase` would ship its ~12 KB case table to every phone
/// for the one thing search needs it for. On the host (tests) it is Rust's.
fn lower_case(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    return String::from(js_sys::JsString::from(text).to_lower_case());
    #[cfg(not(target_arch = "wasm32"))]
    return text.to_lowercase();
}

/// What the visitor typed, split into lower-case words once per keystroke (not once per door). A
/// door matches when every word appears in its [`search_text`] (in any order, case-insensitively);
/// an empty query matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    words: Vec<String>,
}

impl SearchQuery {
    /// The words of `query`.
    ///
    /// ```
    /// use portier::door::SearchQuery;
    /// let query = SearchQuery::new("  Lab 7 ");
    /// assert!(query.matches("lab 17\nbuilding a"));
    /// assert!(!query.matches("office 7\nbuilding a"));
    /// assert!(SearchQuery::new("").matches("anything"));
    /// ```
    pub fn new(query: &str) -> Self {
        SearchQuery { words: lower_case(query).split_whitespace().map(str::to_owned).collect() }
    }

    /// Whether a door with `search_text` (see [`search_text`]) matches: every word appears in it.
    pub fn matches(&self, search_text: &str) -> bool {
        self.words.iter().all(|word| search_text.contains(word.as_str()))
    }
}

/// Doors of one place, in the order the API listed them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceGroup {
    /// The place, or `None` for doors without one.
    pub place: Option<Place>,
    /// The doors, in API order.
    pub doors: Vec<Door>,
}

/// Groups doors by place, keeping the API's order of first appearance for places and doors alike.
///
/// ```
/// use portier::door::{group_by_place, Door, DoorId, Place};
/// let door = |id, place: u64| Door {
///     id: DoorId(id), name: format!("Door {id}"), description: None,
///     place: Some(Place { id: place, name: format!("Place {place}") }),
///     configured: true, online: Some(true), locked_down: false,
/// };
/// let groups = group_by_place(vec![door(1, 7), door(2, 9), door(3, 7)]);
/// assert_eq!(groups.len(), 2);
/// assert_eq!(groups[0].doors.len(), 2);
/// ```
pub fn group_by_place(doors: Vec<Door>) -> Vec<PlaceGroup> {
    let mut groups: Vec<PlaceGroup> = Vec::new();
    for door in doors {
        let place_id = door.place.as_ref().map(|p| p.id);
        match groups.iter_mut().find(|g| g.place.as_ref().map(|p| p.id) == place_id) {
            Some(group) => group.doors.push(door),
            None => groups.push(PlaceGroup { place: door.place.clone(), doors: vec![door] }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn door(id: u64, place: Option<u64>) -> Door {
        Door {
            id: DoorId(id),
            name: format!("Door {id}"),
            description: None,
            place: place.map(|id| Place { id, name: format!("Place {id}") }),
            configured: true,
            online: Some(true),
            locked_down: false,
        }
    }

    #[test]
    fn groups_keep_api_order() {
        let groups =
            group_by_place(vec![door(1, Some(9)), door(2, None), door(3, Some(7)), door(4, Some(9)), door(5, None)]);
        let shape: Vec<(Option<u64>, Vec<u64>)> =
            groups.iter().map(|g| (g.place.as_ref().map(|p| p.id), g.doors.iter().map(|d| d.id.0).collect())).collect();
        assert_eq!(shape, vec![(Some(9), vec![1, 4]), (None, vec![2, 5]), (Some(7), vec![3])]);
    }

    #[test]
    fn no_doors_no_groups() {
        assert!(group_by_place(Vec::new()).is_empty());
    }

    #[test]
    fn blockers_in_order_of_importance() {
        let mut d = door(1, None);
        assert_eq!(d.blocker(), None);
        d.online = None;
        assert_eq!(d.blocker(), None, "unknown online state must not block");
        d.online = Some(false);
        assert_eq!(d.blocker(), Some(Blocker::Offline));
        d.configured = false;
        assert_eq!(d.blocker(), Some(Blocker::NotConfigured));
        d.locked_down = true;
        assert_eq!(d.blocker(), Some(Blocker::LockedDown));
    }

    #[test]
    fn huge_names_are_cut() {
        let mut d = door(1, None);
        d.name = "x".repeat(100_000);
        let shown = d.display_name();
        assert_eq!(shown.chars().count(), MAX_NAME_CHARS);
        assert!(shown.ends_with('…'));
        d.name = "é".repeat(MAX_NAME_CHARS);
        assert_eq!(d.display_name(), d.name, "exactly the limit is not cut");
        d.description = Some("y".repeat(5000));
        assert_eq!(d.display_description().unwrap().chars().count(), MAX_DESCRIPTION_CHARS);
    }

    #[test]
    fn search_finds_doors_by_any_words_of_name_and_place() {
        let text = search_text(&door(3, Some(7)));
        assert!(SearchQuery::new("").matches(&text));
        assert!(SearchQuery::new("door 3").matches(&text));
        assert!(SearchQuery::new("  PLACE  door ").matches(&text));
        assert!(SearchQuery::new("7 3").matches(&text));
        assert!(!SearchQuery::new("door 4").matches(&text));
    }

    #[test]
    fn empty_names_get_a_stand_in() {
        let mut d = door(42, None);
        d.name = "  ".into();
        assert_eq!(d.display_name(), "Door 42");
        d.name = " Front door ".into();
        assert_eq!(d.display_name(), "Front door");
    }
}
