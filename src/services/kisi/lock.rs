//! Reading the group-link variant of Kisi's Lock (`GET /locks`) and its Organization.
//!
//! A page is read item by item: one malformed door is skipped and counted, so a single broken
//! record never hides every other door. Unknown fields are ignored, so additions on Kisi's side do
//! not break the page; every field but `id` has a reading when missing, `null` or of the wrong
//! type, because a visitor at a door is better served by a door with a plain name than by no door.

use serde::Deserialize;

use crate::domain::door::{Door, DoorId, MAX_NAME_CHARS, Place, clip};
use crate::domain::lenient::{AnyBool, AnyStr, AnyWhole, Fields, ListOf, ObjectOnly};
use crate::services::kisi::network::Body;

/// One page of `GET /locks`, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LockPage {
    /// The doors that could be read.
    pub doors: Vec<Door>,
    /// How many items the page held in all, readable or not (drives paging).
    pub received: usize,
}

impl LockPage {
    /// Reads a parsed page; `None` unless it is a list.
    pub fn read(body: &impl Body) -> Option<LockPage> {
        let ListOf(items) = body.decode::<ListOf<MaybeLock>>()?;
        let received = items.len();
        Some(LockPage { doors: items.into_iter().filter_map(|MaybeLock(door)| door).collect(), received })
    }
}

/// An item of the list: a door, or `None` when it is not one.
struct MaybeLock(Option<Door>);

impl<'de> Deserialize<'de> for MaybeLock {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let lock = ObjectOnly::<WireLock>::deserialize(deserializer).ok();
        Ok(MaybeLock(lock.and_then(|ObjectOnly(lock)| lock.into_door())))
    }
}

/// The Lock as Kisi sends it to a group link (see `docs/kisi-api.md` §3). Every field is read by
/// its value's own kind (see [`crate::domain::lenient`]); only `id` is needed.
#[derive(Deserialize)]
struct WireLock {
    #[serde(default)]
    id: AnyWhole,
    #[serde(default)]
    name: AnyStr,
    #[serde(default)]
    description: AnyStr,
    #[serde(default, deserialize_with = "place")]
    place: Option<WirePlace>,
    #[serde(default)]
    configured: AnyBool,
    #[serde(default)]
    online: AnyBool,
    #[serde(default)]
    locked_down: AnyBool,
}

impl Fields for WireLock {
    const NAME: &'static str = "WireLock";
    const FIELDS: &'static [&'static str] =
        &["id", "name", "description", "place", "configured", "online", "locked_down"];
}

/// The lock's place. Kisi's schema adds coordinates, which live answers may lack; they are not read.
#[derive(Deserialize)]
struct WirePlace {
    #[serde(default)]
    id: AnyWhole,
    #[serde(default)]
    name: AnyStr,
}

impl Fields for WirePlace {
    const NAME: &'static str = "WirePlace";
    const FIELDS: &'static [&'static str] = &["id", "name"];
}

/// A lock's `place`, read only from an object (see [`ObjectOnly`]); `None` otherwise.
fn place<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<WirePlace>, D::Error> {
    Ok(Option::<ObjectOnly<WirePlace>>::deserialize(deserializer).ok().flatten().map(|ObjectOnly(place)| place))
}

impl WireLock {
    /// The door, if the lock has an id.
    fn into_door(self) -> Option<Door> {
        Some(Door {
            id: DoorId(self.id.0?),
            name: self.name.0.unwrap_or_default(),
            description: self.description.0.filter(|d| !d.trim().is_empty()),
            // A place without a name is called by its number; one without an id is none.
            place: self.place.and_then(|place| {
                let id = place.id.0?;
                let name = place.name.0.as_deref().map(str::trim).unwrap_or_default().to_owned();
                Some(Place { id, name: if name.is_empty() { format!("Place {id}") } else { name } })
            }),
            configured: self.configured.0.unwrap_or(true),
            online: self.online.0,
            locked_down: self.locked_down.0.unwrap_or(false),
        })
    }
}

/// The organization, as far as the page shows it (zero-config branding).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Organization {
    /// The organization's name.
    pub name: String,
    /// Its logo, if Kisi has one (an `http(s)://` URL).
    pub logo: Option<String>,
}

#[derive(Deserialize)]
struct WireOrganization {
    #[serde(default)]
    name: AnyStr,
    #[serde(default)]
    logo: AnyStr,
}

impl Fields for WireOrganization {
    const NAME: &'static str = "WireOrganization";
    const FIELDS: &'static [&'static str] = &["name", "logo"];
}

impl Organization {
    /// Reads `GET /organization`'s answer; `None` without a usable name.
    pub fn read(body: &impl Body) -> Option<Organization> {
        let ObjectOnly(wire) = body.decode::<ObjectOnly<WireOrganization>>()?;
        let name = clip(&wire.name.0?, MAX_NAME_CHARS);
        let logo = wire.logo.0.filter(|l| l.starts_with("https://") || l.starts_with("http://"));
        (!name.is_empty()).then_some(Organization { name, logo })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::door::LockList;
    use serde_json::Value;

    /// A parsed body on the host: serde_json stands in for the browser's `JSON.parse`.
    impl Body for Value {
        fn decode<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
            T::deserialize(self).ok()
        }
    }

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
    fn each_wire_struct_is_asked_for_all_its_fields() {
        use crate::services::kisi::tests::derived_fields;
        assert_eq!(derived_fields::<WireLock>(), WireLock::FIELDS);
        assert_eq!(derived_fields::<WirePlace>(), WirePlace::FIELDS);
        assert_eq!(derived_fields::<WireOrganization>(), WireOrganization::FIELDS);
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
