//! Reading the group-link variant of Kisi's Lock (`GET /locks`) and its Organization.
//!
//! A page is read item by item: one malformed door is skipped and counted, so a single broken
//! record never hides every other door. Unknown fields are ignored, so additions on Kisi's side do
//! not break the page; every field but `id` has a reading when missing, `null` or of the wrong
//! type, because a visitor at a door is better served by a door with a plain name than by no door.

use crate::door::{Door, DoorId, MAX_NAME_CHARS, Place, clip};
use crate::json::{JsonValue, Kind};

/// One page of `GET /locks`, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LockPage {
    /// The doors that could be read.
    pub doors: Vec<Door>,
    /// How many items the page held in all, readable or not (drives paging).
    pub received: usize,
}

impl LockPage {
    /// Reads a parsed page; `None` unless it is a list (by its own kind: a JavaScript string
    /// iterates, and must not read as a list of characters).
    pub fn read(body: &impl JsonValue) -> Option<LockPage> {
        let items = body.items()?;
        Some(LockPage { received: items.len(), doors: items.iter().filter_map(|lock| door(lock)).collect() })
    }
}

/// The Lock as Kisi sends it to a group link (see `docs/kisi-api.md` §3): the door, if the item is
/// an object with an id (a list is no lock: `[42]` is not door 42). Every field is read by its
/// value's own kind (see [`crate::lenient`]); the rest have a reading when missing or odd.
pub fn door(lock: &impl JsonValue) -> Option<Door> {
    if lock.kind() != Kind::Object {
        return None;
    }
    Some(Door {
        id: DoorId(lock.field("id").whole()?),
        name: lock.field("name").text().unwrap_or_default(),
        description: lock.field("description").text().filter(|d| !d.trim().is_empty()),
        // Kisi's schema gives a place coordinates too, which live answers may lack; they are not
        // read. A place without a name is called by its number; one without an id is none.
        place: lock.object("place").and_then(|place| {
            let id = place.field("id").whole()?;
            let name = place.field("name").text().map(|name| name.trim().to_owned()).unwrap_or_default();
            Some(Place { id, name: if name.is_empty() { format!("Place {id}") } else { name } })
        }),
        configured: lock.field("configured").flag().unwrap_or(true),
        online: lock.field("online").flag(),
        locked_down: lock.field("locked_down").flag().unwrap_or(false),
    })
}

/// The organization, as far as the page shows it (zero-config branding).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Organization {
    /// The organization's name.
    pub name: String,
    /// Its logo, if Kisi has one (an `http(s)://` URL).
    pub logo: Option<String>,
}

impl Organization {
    /// Reads `GET /organization`'s answer; `None` unless it is an object with a usable name.
    pub fn read(body: &impl JsonValue) -> Option<Organization> {
        if body.kind() != Kind::Object {
            return None;
        }
        let name = clip(&body.field("name").text()?, MAX_NAME_CHARS);
        let logo = body.field("logo").text().filter(|l| l.starts_with("https://") || l.starts_with("http://"));
        (!name.is_empty()).then_some(Organization { name, logo })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::door::LockList;
    use serde_json::Value;

    fn page(text: &str) -> Option<LockPage> {
        LockPage::read(&serde_json::from_str::<Value>(text).ok()?)
    }

    const SPEC_SAMPLE: &str = r#"[{"id":42,"name":"Front door","description":null,"configured":true,"online":true,
        "open":false,"unlocked":false,"locked_down":false,"locked_down_since":null,
        "unlocked_until":null,"place_id":7,
        "place":{"id":7,"name":"HQ","latitude":52.52,"longitude":13.40}}]"#;

    #[test]
    fn reads_the_spec_sample() {
        let page = page(SPEC_SAMPLE).unwrap();
        assert_eq!(
            page.doors,
            vec![Door {
                id: DoorId(42),
                name: "Front door".into(),
                description: None,
                place: Some(Place { id: 7, name: "HQ".into() }),
                configured: true,
                online: Some(true),
                locked_down: false,
            }]
        );
        assert_eq!(page.received, 1);
    }

    #[test]
    fn tolerates_unknown_fields_and_odd_types() {
        let page = page(
            r#"[{"id":1,"name":5,"description":"  ","configured":"yes","online":null,"locked_down":1,"place":null,"new_field":{"x":[]}}]"#,
        )
        .unwrap();
        let door = &page.doors[0];
        assert_eq!(
            (door.name.as_str(), &door.description, door.configured, door.online, door.locked_down),
            ("", &None, true, None, false)
        );
        assert_eq!(door.place, None);
    }

    #[test]
    fn skips_only_the_broken_items() {
        let page = page(r#"[{"id":1,"name":"a"}, {"id":"two"}, null, 7, {"id":-3}, {"id":1.5}, {"id":4,"name":"d"}]"#)
            .unwrap();
        assert_eq!(page.doors.iter().map(|d| d.id.0).collect::<Vec<_>>(), vec![1, 4]);
        assert_eq!(page.received, 7);
        let mut list = LockList::default();
        list.add(page.doors, page.received);
        assert_eq!(list.skipped, 5);
    }

    #[test]
    fn a_door_listed_twice_is_one_door() {
        let mut list = LockList::default();
        for body in [
            r#"[{"id":1,"name":"a"}, {"id":2,"name":"b"}, {"id":1,"name":"a again"}]"#,
            r#"[{"id":2,"name":"b on the next page"}, {"id":3,"name":"c"}]"#,
        ] {
            let LockPage { doors, received } = page(body).unwrap();
            list.add(doors, received);
        }
        let ids: Vec<(u64, &str)> = list.doors.iter().map(|d| (d.id.0, d.name.as_str())).collect();
        assert_eq!(ids, vec![(1, "a"), (2, "b"), (3, "c")], "the first reading of a door stands");
        assert_eq!(list.skipped, 2);
    }

    #[test]
    fn refuses_bodies_that_are_not_a_list() {
        for body in ["", "<html>", "{}", r#"{"error":"x"}"#, "[1,", r#""a string iterates in JavaScript""#, "null"] {
            assert_eq!(page(body), None, "{body:?}");
        }
    }

    #[test]
    fn a_place_without_a_name_gets_one_and_coordinates_are_not_needed() {
        let page =
            page(r#"[{"id":1,"name":"a","place":{"id":9,"name":""}}, {"id":2,"place":{"id":3,"name":"HQ"}}]"#).unwrap();
        assert_eq!(page.doors[0].place, Some(Place { id: 9, name: "Place 9".into() }));
        assert_eq!(page.doors[1].place, Some(Place { id: 3, name: "HQ".into() }));
    }

    #[test]
    fn deep_nesting_in_a_field_is_not_walked() {
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let page = page(&format!(r#"[{{"id":1,"name":{deep},"extra":{deep}}}]"#)).unwrap();
        assert_eq!((page.doors.len(), page.doors[0].name.as_str()), (1, ""));
    }

    #[test]
    fn a_list_is_no_lock_and_no_place() {
        let page = page(r#"[[42, "by position"], {"id": 1, "place": [9, "HQ"]}]"#).unwrap();
        assert_eq!(page.doors.iter().map(|d| (d.id.0, d.place.is_some())).collect::<Vec<_>>(), vec![(1, false)]);
    }

    #[test]
    fn the_organization_needs_a_name() {
        let read = |text: &str| Organization::read(&serde_json::from_str::<Value>(text).unwrap());
        assert_eq!(
            read(r#"{"name":" Acme ","logo":"https://x/l.svg","domain":"acme"}"#),
            Some(Organization { name: "Acme".into(), logo: Some("https://x/l.svg".into()) })
        );
        assert_eq!(read(r#"{"name":"Acme","logo":"javascript:alert(1)"}"#).unwrap().logo, None);
        assert_eq!(read(r#"{"name":"  "}"#), None);
        assert_eq!(read(r#"{"logo":"https://x/l.svg"}"#), None);
    }
}
