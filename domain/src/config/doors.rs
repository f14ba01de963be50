//! What the operator says about single doors (`config.json`'s `doors`, by Kisi lock id): a name
//! for the page, a note for the visitor, or that the page does not show the door at all.
//!
//! Kisi stays the authority on what a link opens: a hidden door is only not drawn (its group still
//! grants it), and a renamed door is renamed on this site only.

use crate::door::{DoorId, LockList};

/// One door's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DoorOverride {
    /// The name the page shows instead of Kisi's.
    pub name: Option<String>,
    /// Shown under the door and read with it ("Pull firmly after the click").
    pub note: Option<String>,
    /// Not drawn on the page.
    pub hidden: bool,
}

/// Every door's settings, by door (a site has tens of them: a list searched in order costs the
/// page less code than a map, measured).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DoorOverrides(pub Vec<(DoorId, DoorOverride)>);

impl DoorOverrides {
    /// `list` as this site shows it: hidden doors gone, renamed doors renamed. Applied to every
    /// list the page draws (the device's copy and Kisi's answer alike), never to what is kept.
    ///
    /// ```
    /// use domain::config::doors::{DoorOverride, DoorOverrides};
    /// use domain::door::{Door, DoorId, LockList};
    /// let door = |id| Door {
    ///     id: DoorId(id), name: format!("Lock {id}"), description: None, place: None,
    ///     configured: true, online: Some(true), locked_down: false,
    /// };
    /// let overrides = DoorOverrides(
    ///     [
    ///         (DoorId(1), DoorOverride { name: Some("Front door".into()), ..DoorOverride::default() }),
    ///         (DoorId(2), DoorOverride { hidden: true, ..DoorOverride::default() }),
    ///     ]
    ///     .into(),
    /// );
    /// let shown = overrides.apply(LockList { doors: vec![door(1), door(2), door(3)], skipped: 0 });
    /// let names: Vec<&str> = shown.doors.iter().map(|d| d.name.as_str()).collect();
    /// assert_eq!(names, ["Front door", "Lock 3"]);
    /// ```
    pub fn apply(&self, mut list: LockList) -> LockList {
        if self.0.is_empty() {
            return list;
        }
        list.doors.retain_mut(|door| match self.get(door.id) {
            Some(settings) if settings.hidden => false,
            Some(DoorOverride { name: Some(name), .. }) => {
                door.name.clone_from(name);
                true
            }
            _ => true,
        });
        list
    }

    /// The operator's note for `door`, if any.
    pub fn note(&self, door: DoorId) -> Option<&str> {
        self.get(door).and_then(|o| o.note.as_deref())
    }

    /// `door`'s settings (the last given, as for any key written twice).
    pub fn get(&self, door: DoorId) -> Option<&DoorOverride> {
        self.0.iter().rev().find(|(id, _)| *id == door).map(|(_, settings)| settings)
    }
}
