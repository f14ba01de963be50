//! Decoding the group-link variant of Kisi's Lock.
//!
//! The body is decoded item by item: one malformed door is skipped and counted, so a single
//! broken record never hides every other door. Unknown fields are ignored, so additions on Kisi's
//! side do not break the page.

use serde::Deserialize;
use serde_json::Value;

use crate::door::{Door, DoorId, Place};

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

/// The group-link Lock as Kisi sends it. Only `id` is needed to unlock; everything else has a
/// sensible reading when missing or `null`, because a visitor at a door is better served by a door
/// with a plain name than by no door.
#[derive(Deserialize)]
struct WireLock {
    id: u64,
    #[serde(default, deserialize_with = "lenient::string")]
    name: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    description: Option<String>,
    #[serde(default = "yes", deserialize_with = "lenient::bool_or_yes")]
    configured: bool,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    online: Option<bool>,
    #[serde(default, deserialize_with = "lenient::bool_or_no")]
    locked_down: bool,
    #[serde(default, deserialize_with = "lenient::place")]
    place: Option<Place>,
}

fn yes() -> bool {
    true
}

impl From<WireLock> for Door {
    fn from(w: WireLock) -> Self {
        Door {
            id: DoorId(w.id),
            name: w.name,
            description: w.description.filter(|d| !d.trim().is_empty()),
            place: w.place,
            configured: w.configured,
            online: w.online,
            locked_down: w.locked_down,
        }
    }
}

/// Decodes one page of `GET /locks`.
///
/// ```
/// use portier::api::lock::decode_lock_page;
/// let page = decode_lock_page(r#"[{"id":42,"name":"Front door","extra":1}, {"name":"no id"}]"#).unwrap();
/// assert_eq!((page.doors.len(), page.received, page.skipped), (1, 2, 1));
/// ```
pub fn decode_lock_page(body: &str) -> Result<LockPage, NotALockList> {
    let items: Vec<Value> = serde_json::from_str(body).map_err(|_| NotALockList)?;
    let received = items.len();
    let doors: Vec<Door> =
        items.into_iter().filter_map(|item| WireLock::deserialize(item).ok().map(Door::from)).collect();
    Ok(LockPage { skipped: received - doors.len(), received, doors })
}

/// Field readers that turn wrong types into the field's neutral value instead of failing the door.
mod lenient {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    use crate::door::Place;

    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(opt_string(d)?.unwrap_or_default())
    }

    pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => Some(s),
            _ => None,
        })
    }

    pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(Value::deserialize(d)?.as_bool())
    }

    pub fn bool_or_yes<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(opt_bool(d)?.unwrap_or(true))
    }

    pub fn bool_or_no<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(opt_bool(d)?.unwrap_or(false))
    }

    pub fn place<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Place>, D::Error> {
        let value = Value::deserialize(d)?;
        let id = value.get("id").and_then(Value::as_u64);
        let name = value.get("name").and_then(Value::as_str).map(str::trim).unwrap_or_default();
        Ok(id.map(|id| Place { id, name: if name.is_empty() { format!("Place {id}") } else { name.to_owned() } }))
    }
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
