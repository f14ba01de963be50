//! Doors as the page understands them.

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
    /// The door's name as the operator typed it (possibly empty; see [`Door::shown_name`]).
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

/// Every door of a link, read across all of Kisi's pages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LockList {
    /// The doors, in Kisi's order.
    pub doors: Vec<Door>,
    /// Items Kisi sent that were not a usable door.
    pub skipped: usize,
}

impl LockList {
    /// Appends one page of Kisi's list: the `doors` read of the `received` items it held, counting
    /// the rest as skipped. A door already listed (paging over a list that changed between two
    /// pages can bring one twice) is skipped too: a door is one button, with one state.
    pub fn add(&mut self, doors: Vec<Door>, received: usize) {
        let before = self.doors.len();
        let mut listed: std::collections::HashSet<DoorId> = self.doors.iter().map(|door| door.id).collect();
        for door in doors {
            if listed.insert(door.id) {
                self.doors.push(door);
            }
        }
        self.skipped += received - (self.doors.len() - before);
    }
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
/// use domain::door::clip;
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

/// Unicode's `White_Space` characters, as ranges: what Rust's `char::is_whitespace` and `str::trim`
/// go by (a test holds the two to agree). Written out because the head start trims and judges names
/// too, by a regular expression the build writes from this table (JavaScript's `trim` differs: it
/// strips U+FEFF and keeps U+0085).
pub const WHITE_SPACE: &[(char, char)] = &[
    ('\u{9}', '\u{D}'),
    (' ', ' '),
    ('\u{85}', '\u{85}'),
    ('\u{A0}', '\u{A0}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{200A}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202F}', '\u{202F}'),
    ('\u{205F}', '\u{205F}'),
    ('\u{3000}', '\u{3000}'),
];

/// Unicode's default-ignorable code points (format characters such as zero-width spaces and
/// joiners, bidi controls, the soft hyphen, variation selectors, tags), which a font renders as
/// nothing at all.
pub const IGNORABLE: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),
    ('\u{034F}', '\u{034F}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{115F}', '\u{1160}'),
    ('\u{17B4}', '\u{17B5}'),
    ('\u{180B}', '\u{180F}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{206F}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{FE00}', '\u{FE0F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFA0}', '\u{FFA0}'),
    ('\u{FFF0}', '\u{FFF8}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0000}', '\u{E0FFF}'),
];

fn within(c: char, table: &[(char, char)]) -> bool {
    table.iter().any(|(first, last)| (*first..=*last).contains(&c))
}

/// `tables` as the inside of a JavaScript regular expression's character class (for the `u` flag):
/// `\u{9}-\u{d} …`. What the build gives the head start, so it reads names by these very tables.
///
/// ```
/// assert_eq!(domain::door::class_of(&[&[('a', 'c')], &[(' ', ' ')]]), "\\u{61}-\\u{63}\\u{20}");
/// ```
pub fn class_of(tables: &[&[(char, char)]]) -> String {
    let mut class = String::new();
    for (first, last) in tables.iter().flat_map(|table| table.iter()) {
        class.push_str(&format!("\\u{{{:x}}}", u32::from(*first)));
        if first != last {
            class.push_str(&format!("-\\u{{{:x}}}", u32::from(*last)));
        }
    }
    class
}

/// Whether `c` draws nothing: white space, or a default-ignorable code point.
fn is_invisible(c: char) -> bool {
    c.is_whitespace() || within(c, IGNORABLE)
}

/// `text` if it shows anything: a name of nothing but invisible characters is no name.
fn visible(text: String) -> Option<String> {
    (!text.chars().all(is_invisible)).then_some(text)
}

impl Door {
    /// The name to show, cut at [`MAX_NAME_CHARS`]; `None` when the operator left it empty or made
    /// it of nothing visible (the view then shows a neutral stand-in in the visitor's language,
    /// "Door 42").
    pub fn shown_name(&self) -> Option<String> {
        visible(clip(&self.name, MAX_NAME_CHARS))
    }

    /// The description to show, cut at [`MAX_DESCRIPTION_CHARS`]; `None` if it shows nothing.
    pub fn shown_description(&self) -> Option<String> {
        self.description.as_deref().and_then(|d| visible(clip(d, MAX_DESCRIPTION_CHARS)))
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

impl Place {
    /// The place's name as shown (cut at [`MAX_NAME_CHARS`]).
    pub fn shown_name(&self) -> String {
        clip(&self.name, MAX_NAME_CHARS)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A door of `place` named "Door <id>", online and configured.
    pub(crate) fn door(id: u64, place: Option<u64>) -> Door {
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
    fn a_name_of_nothing_visible_is_no_name() {
        let mut d = door(7, None);
        // Zero-width space, word joiner, BOM, soft hyphen, bidi controls, a variation selector, a tag.
        for invisible in
            ["\u{200B}", "\u{2060}\u{FEFF}", " \u{00AD} ", "\u{202E}\u{2066}\u{2069}", "\u{FE0F}", "\u{E0041}"]
        {
            d.name = invisible.to_owned();
            assert_eq!(d.shown_name(), None, "{:?}", invisible.escape_unicode().to_string());
            d.description = Some(invisible.to_owned());
            assert_eq!(d.shown_description(), None);
        }
        d.name = "\u{200B}Lift\u{200B}".to_owned();
        assert_eq!(d.shown_name().as_deref(), Some("\u{200B}Lift\u{200B}"), "a visible name keeps its characters");
    }

    #[test]
    fn the_white_space_table_is_rusts() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(within(c, WHITE_SPACE), c.is_whitespace(), "{:?}", c.escape_unicode().to_string());
        }
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
        let shown = d.shown_name().unwrap();
        assert_eq!(shown.chars().count(), MAX_NAME_CHARS);
        assert!(shown.ends_with('…'));
        d.name = "é".repeat(MAX_NAME_CHARS);
        assert_eq!(d.shown_name(), Some(d.name.clone()), "exactly the limit is not cut");
        d.description = Some("y".repeat(5000));
        assert_eq!(d.shown_description().unwrap().chars().count(), MAX_DESCRIPTION_CHARS);
    }

    #[test]
    fn empty_names_are_left_to_the_view() {
        let mut d = door(42, None);
        d.name = "  ".into();
        assert_eq!(d.shown_name(), None);
        d.name = " Front door ".into();
        assert_eq!(d.shown_name().as_deref(), Some("Front door"));
    }
}
