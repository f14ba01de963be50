//! Decoding the group-link variant of Kisi's Lock.
//!
//! The body is decoded item by item: one malformed door is skipped and counted, so a single
//! broken record never hides every other door. Unknown fields are ignored, so additions on Kisi's
//! side do not break the page.

use crate::door::{Door, DoorId, Place};
use crate::json::Json;

/// One page of `GET /locks`, decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LockPage {
    /// The doors that decoded.
    pub doors: Vec<Door>,
    /// How many items the page held in all, decodable or not (drives paging).
    pub received: usize,
    /// How many items were skipped because they were not a usable lock.
    pub skipped: usize,
}

/// The body was not a JSON array at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotALockList;

/// Reads one group-link Lock as Kisi sends it. Only `id` is needed to unlock; everything else has
/// a sensible reading when missing, `null` or of the wrong type, because a visitor at a door is
/// better served by a door with a plain name than by no door.
fn door(item: &Json) -> Option<Door> {
    item.as_object()?;
    let id = item.get("id")?.as_u64()?;
    let text = |key: &str| item.get(key).and_then(Json::as_str);
    let flag = |key: &str| item.get(key).and_then(Json::as_bool);
    Some(Door {
        id: DoorId(id),
        name: text("name").unwrap_or_default().to_owned(),
        description: text("description").filter(|d| !d.trim().is_empty()).map(str::to_owned),
        place: item.get("place").and_then(place),
        configured: flag("configured").unwrap_or(true),
        online: flag("online"),
        locked_down: flag("locked_down").unwrap_or(false),
    })
}

/// The lock's place; one without a name is called by its number.
fn place(value: &Json) -> Option<Place> {
    let id = value.get("id")?.as_u64()?;
    let name = value.get("name").and_then(Json::as_str).map(str::trim).unwrap_or_default();
    Some(Place { id, name: if name.is_empty() { format!("Place {id}") } else { name.to_owned() } })
}

/// Decodes one page of `GET /locks`.
///
/// ```
/// use portier::api::lock::decode_lock_page;
/// let page = decode_lock_page(r#"[{"id":42,"name":"Front door","extra":1}, {"name":"no id"}]"#).unwrap();
/// assert_eq!((page.doors.len(), page.received, page.skipped), (1, 2, 1));
/// ```
pub fn decode_lock_page(body: &str) -> Result<LockPage, NotALockList> {
    let json = Json::parse(body).map_err(|_| NotALockList)?;
    let items = json.as_array().ok_or(NotALockList)?;
    let received = items.len();
    let doors: Vec<Door> = items.iter().filter_map(door).collect();
    Ok(LockPage { skipped: received - doors.len(), received, doors })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC_SAMPLE: &str = r#"[{"id":42,"name":"Front door","description":null,"configured":true,"online":true,
        "open":false,"unlocked":false,"locked_down":false,"locked_down_since":null,
        "unlocked_until":null,"place_id":7,
        "place":{"id":7,"name":"HQ","latitude":52.52,"longitude":13.40}}]"#;

    #[test]
    fn decodes_the_spec_sample() {
        let page = decode_lock_page(SPEC_SAMPLE).unwrap();
        assert_eq!(page.skipped, 0);
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
    }

    #[test]
    fn tolerates_unknown_fields_and_odd_types() {
        let page = decode_lock_page(
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
        let page = decode_lock_page(r#"[{"id":1,"name":"a"}, {"id":"two"}, null, 7, {"id":-3}, {"id":4,"name":"d"}]"#)
            .unwrap();
        assert_eq!(page.doors.iter().map(|d| d.id.0).collect::<Vec<_>>(), vec![1, 4]);
        assert_eq!((page.received, page.skipped), (6, 4));
    }

    #[test]
    fn rejects_bodies_that_are_not_a_list() {
        for body in ["", "<html>", "{}", r#"{"error":"x"}"#, "[1,"] {
            assert_eq!(decode_lock_page(body), Err(NotALockList), "{body:?}");
        }
    }

    #[test]
    fn a_place_without_a_name_gets_one() {
        let page = decode_lock_page(r#"[{"id":1,"name":"a","place":{"id":9,"name":""}}]"#).unwrap();
        assert_eq!(page.doors[0].place, Some(Place { id: 9, name: "Place 9".into() }));
    }
}
