//! The door list as the visitor sees it: in the operator's order, the door the link names first,
//! grouped by place, searchable by door and place name.

use std::collections::HashMap;

use crate::config::DoorOrder;
use crate::door::{Door, DoorId, LockList, Place};

/// Above this many doors the list gets a search box.
pub const SEARCH_FROM: usize = 8;

/// What reading and sorting names needs from the platform. In the browser these are the
/// browser's own Unicode case mapping and `Intl` collation, which ship with it; Rust's would ship
/// their tables to every phone. [`PlainText`] is Rust's, for the host.
pub trait TextRules {
    /// Unicode lower case.
    fn lower_case(&self, text: &str) -> String;
    /// The order that sorts `names` as the visitor's language sorts them: indices into `names`.
    fn sort_order(&self, names: &[String]) -> Vec<usize>;
    /// The name a door is shown (and found and sorted) by: its own, or the stand-in for an unnamed
    /// door in the visitor's language ("Door 42").
    fn door_name(&self, door: &Door) -> String;
}

/// Rust's case mapping and code-point order; an unnamed door is "Door <id>".
#[derive(Clone, Copy, Debug, Default)]
pub struct PlainText;

impl TextRules for PlainText {
    fn lower_case(&self, text: &str) -> String {
        text.to_lowercase()
    }

    fn sort_order(&self, names: &[String]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..names.len()).collect();
        order.sort_by(|a, b| names[*a].cmp(&names[*b]));
        order
    }

    fn door_name(&self, door: &Door) -> String {
        door.shown_name().unwrap_or_else(|| format!("Door {}", door.id))
    }
}

/// How the operator wants the list laid out, and the door the link names (`&door=42`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Arrangement {
    /// Kisi's order or by name.
    pub order: DoorOrder,
    /// Headings per place (when there is more than one place).
    pub group_by_place: bool,
    /// The door to show first, highlighted (e.g. from a QR code on that door).
    pub named: Option<DoorId>,
}

/// Doors of one place, in display order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceGroup {
    /// The place, or `None` for doors without one (or when the list is not grouped).
    pub place: Option<Place>,
    /// The doors' ids, in display order.
    pub doors: Vec<DoorId>,
}

/// The arranged list: what the door list draws.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DoorDirectory {
    /// The door the link named, if it is one of the link's doors.
    pub named: Option<DoorId>,
    /// The other doors, by place, in display order.
    pub groups: Vec<PlaceGroup>,
    /// Whether places get headings: only when there is more than one group.
    pub headed: bool,
    /// Each door's search text (its name and its place's, lower-cased); empty when the list is
    /// short enough to need no search.
    pub search_texts: HashMap<DoorId, String>,
    /// Items Kisi sent that were not doors.
    pub skipped: usize,
}

impl DoorDirectory {
    /// Arranges `list` as the operator wants it.
    ///
    /// ```
    /// use domain::directory::{Arrangement, DoorDirectory, PlainText};
    /// use domain::door::{Door, DoorId, LockList, Place};
    /// let door = |id, place: u64| Door {
    ///     id: DoorId(id), name: format!("Door {id}"), description: None,
    ///     place: Some(Place { id: place, name: format!("Place {place}") }),
    ///     configured: true, online: Some(true), locked_down: false,
    /// };
    /// let list = LockList { doors: vec![door(1, 7), door(2, 9), door(3, 7)], skipped: 0 };
    /// let arrangement = Arrangement { group_by_place: true, named: Some(DoorId(2)), ..Arrangement::default() };
    /// let directory = DoorDirectory::arrange(&list, arrangement, &PlainText);
    /// assert_eq!(directory.named, Some(DoorId(2)));
    /// assert_eq!(directory.groups[0].doors, vec![DoorId(1), DoorId(3)]);
    /// ```
    pub fn arrange(list: &LockList, arrangement: Arrangement, text: &impl TextRules) -> Self {
        let mut order: Vec<&Door> = list.doors.iter().collect();
        if arrangement.order == DoorOrder::Name {
            let names: Vec<String> = order.iter().map(|door| text.door_name(door)).collect();
            order = text.sort_order(&names).into_iter().map(|i| order[i]).collect();
        }
        let named = arrangement.named.filter(|id| order.iter().any(|door| door.id == *id));
        let rest = order.iter().copied().filter(|door| Some(door.id) != named);
        let groups = if arrangement.group_by_place {
            group_by_place(rest)
        } else {
            vec![PlaceGroup { place: None, doors: rest.map(|door| door.id).collect() }]
        };
        let search_texts = if list.doors.len() > SEARCH_FROM {
            list.doors.iter().map(|door| (door.id, search_text(door, text))).collect()
        } else {
            HashMap::new()
        };
        DoorDirectory { named, headed: groups.len() > 1, groups, search_texts, skipped: list.skipped }
    }

    /// Whether the list gets a search box.
    pub fn searchable(&self) -> bool {
        !self.search_texts.is_empty()
    }

    /// Whether door `id` matches `query` (every door does without a search box).
    pub fn matches(&self, id: DoorId, query: &SearchQuery) -> bool {
        self.search_texts.get(&id).is_none_or(|text| query.matches(text))
    }

    /// Whether any door at all — the named one included — matches `query`.
    pub fn any_matches(&self, query: &SearchQuery) -> bool {
        self.search_texts.is_empty() || self.search_texts.values().any(|text| query.matches(text))
    }
}

/// Groups doors by place, keeping the order of first appearance for places and doors alike.
fn group_by_place<'a>(doors: impl Iterator<Item = &'a Door>) -> Vec<PlaceGroup> {
    let mut groups: Vec<PlaceGroup> = Vec::new();
    for door in doors {
        let place_id = door.place.as_ref().map(|p| p.id);
        match groups.iter_mut().find(|g| g.place.as_ref().map(|p| p.id) == place_id) {
            Some(group) => group.doors.push(door.id),
            None => groups.push(PlaceGroup { place: door.place.clone(), doors: vec![door.id] }),
        }
    }
    groups
}

/// What a door is found by: its name and its place's name, lower-cased.
fn search_text(door: &Door, text: &impl TextRules) -> String {
    let place = door.place.as_ref().map(|p| p.name.as_str()).unwrap_or_default();
    text.lower_case(&format!("{}\n{}", text.door_name(door), place))
}

/// What the visitor typed, split into lower-case words once per keystroke (not once per door). A
/// door matches when every word appears in its search text (in any order, case-insensitively);
/// an empty query matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    words: Vec<String>,
}

impl SearchQuery {
    /// The words of `query`.
    ///
    /// ```
    /// use domain::directory::{PlainText, SearchQuery};
    /// let query = SearchQuery::new("  Lab 7 ", &PlainText);
    /// assert!(query.matches("lab 17\nbuilding a"));
    /// assert!(!query.matches("office 7\nbuilding a"));
    /// assert!(SearchQuery::new("", &PlainText).matches("anything"));
    /// ```
    pub fn new(query: &str, text: &impl TextRules) -> Self {
        SearchQuery { words: text.lower_case(query).split_whitespace().map(str::to_owned).collect() }
    }

    /// Whether a door with `search_text` matches: every word appears in it.
    pub fn matches(&self, search_text: &str) -> bool {
        self.words.iter().all(|word| search_text.contains(word.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::door::tests::door;

    fn list(doors: Vec<Door>) -> LockList {
        LockList { doors, skipped: 0 }
    }

    fn grouped() -> Arrangement {
        Arrangement { group_by_place: true, ..Arrangement::default() }
    }

    fn shape(directory: &DoorDirectory) -> Vec<(Option<u64>, Vec<u64>)> {
        directory
            .groups
            .iter()
            .map(|g| (g.place.as_ref().map(|p| p.id), g.doors.iter().map(|d| d.0).collect()))
            .collect()
    }

    #[test]
    fn groups_keep_api_order() {
        let doors = vec![door(1, Some(9)), door(2, None), door(3, Some(7)), door(4, Some(9)), door(5, None)];
        let directory = DoorDirectory::arrange(&list(doors), grouped(), &PlainText);
        assert_eq!(shape(&directory), vec![(Some(9), vec![1, 4]), (None, vec![2, 5]), (Some(7), vec![3])]);
        assert!(directory.headed);
    }

    #[test]
    fn one_place_or_no_grouping_means_no_headings() {
        let one_place = DoorDirectory::arrange(&list(vec![door(1, Some(7)), door(2, Some(7))]), grouped(), &PlainText);
        assert!(!one_place.headed);
        let ungrouped =
            DoorDirectory::arrange(&list(vec![door(1, Some(7)), door(2, Some(8))]), Arrangement::default(), &PlainText);
        assert_eq!(shape(&ungrouped), vec![(None, vec![1, 2])]);
        assert!(!ungrouped.headed);
        assert!(DoorDirectory::arrange(&list(Vec::new()), grouped(), &PlainText).groups.is_empty());
    }

    #[test]
    fn by_name_sorts_with_the_platforms_collation_and_unnamed_doors_by_their_stand_in() {
        let mut doors = vec![door(3, None), door(1, None), door(2, None)];
        doors[0].name = "Zebra".into();
        doors[1].name = String::new(); // "Door 1"
        doors[2].name = "Attic".into();
        let by_name = Arrangement { order: DoorOrder::Name, ..Arrangement::default() };
        let directory = DoorDirectory::arrange(&list(doors), by_name, &PlainText);
        assert_eq!(shape(&directory), vec![(None, vec![2, 1, 3])]);
    }

    #[test]
    fn the_named_door_comes_out_of_its_group_and_only_if_it_is_there() {
        let doors = vec![door(1, Some(7)), door(2, Some(7)), door(3, Some(8))];
        let named = Arrangement { named: Some(DoorId(2)), ..grouped() };
        let directory = DoorDirectory::arrange(&list(doors.clone()), named, &PlainText);
        assert_eq!(directory.named, Some(DoorId(2)));
        assert_eq!(shape(&directory), vec![(Some(7), vec![1]), (Some(8), vec![3])]);
        let absent = Arrangement { named: Some(DoorId(99)), ..grouped() };
        assert_eq!(DoorDirectory::arrange(&list(doors), absent, &PlainText).named, None);
    }

    #[test]
    fn search_finds_doors_by_any_words_of_name_and_place_the_named_door_included() {
        let doors: Vec<Door> = (1..=9).map(|id| door(id, Some(id % 2))).collect();
        let named = Arrangement { named: Some(DoorId(3)), ..grouped() };
        let directory = DoorDirectory::arrange(&list(doors), named, &PlainText);
        assert!(directory.searchable());
        let query = |q: &str| SearchQuery::new(q, &PlainText);
        assert!(directory.matches(DoorId(3), &query("")));
        assert!(directory.matches(DoorId(3), &query("  PLACE  door 3")));
        assert!(!directory.matches(DoorId(4), &query("door 3")));
        assert!(directory.any_matches(&query("door 3")), "only the named door matches: that is a match");
        assert!(!directory.any_matches(&query("door 10")));
    }

    #[test]
    fn eight_doors_need_no_search() {
        let doors: Vec<Door> = (1..=8).map(|id| door(id, None)).collect();
        let directory = DoorDirectory::arrange(&list(doors), grouped(), &PlainText);
        assert!(!directory.searchable());
        assert!(directory.matches(DoorId(1), &SearchQuery::new("nothing like it", &PlainText)));
    }
}
