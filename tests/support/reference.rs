//! The readings the decoders promise, restated over `serde_json::Value` as plainly as possible: the
//! yardstick the app's decoders are held against (in `tests/properties.rs`, on arbitrary JSON, and
//! on every sandbox scenario). It was checked to agree with the hand-written reader it replaced on
//! the same inputs before that reader was removed.

use portier::domain::door::{Door, DoorId, Place};
use serde_json::Value;

/// A lock item as the page reads it: only a non-negative whole `id` is required; every other field
/// has a reading when missing, `null` or of the wrong type.
pub fn door(item: &Value) -> Option<Door> {
    let object = item.as_object()?;
    let id = object.get("id")?.as_u64()?;
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    let flag = |key: &str| object.get(key).and_then(Value::as_bool);
    Some(Door {
        id: DoorId(id),
        name: text("name").unwrap_or_default().to_owned(),
        description: text("description").filter(|d| !d.trim().is_empty()).map(str::to_owned),
        place: object.get("place").and_then(place),
        configured: flag("configured").unwrap_or(true),
        online: flag("online"),
        locked_down: flag("locked_down").unwrap_or(false),
    })
}

/// A place with a whole `id`; one without a name is called by its number.
fn place(value: &Value) -> Option<Place> {
    let id = value.as_object()?.get("id")?.as_u64()?;
    let name = value.get("name").and_then(Value::as_str).map(str::trim).unwrap_or_default();
    Some(Place { id, name: if name.is_empty() { format!("Place {id}") } else { name.to_owned() } })
}

/// A page of `GET /locks`: `None` unless the body is a JSON array; else the doors and how many
/// items it held.
pub fn lock_page(body: &Value) -> Option<(Vec<Door>, usize)> {
    let items = body.as_array()?;
    Some((items.iter().filter_map(door).collect(), items.len()))
}
