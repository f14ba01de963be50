//! The site's `config.json`, read exactly as the page reads it: by the domain's own reader
//! ([`domain::config::read::read_config`]), over what the browser's `JSON.parse` would have made
//! of the text.
//!
//! serde_json and `JSON.parse` disagree on a few texts, and the page is the one that counts:
//!
//! * a lone UTF-16 surrogate escape (`"\ud800"`) is an error to serde_json; `JSON.parse` keeps it,
//!   and the page's strings read it as U+FFFD — so here it is U+FFFD;
//! * a number beyond `f64` (`1e400`) is an error to serde_json; to `JSON.parse` it is `Infinity`,
//!   which the page reads as no whole number — as it reads `1e308`, which it becomes here;
//! * `5.0` and `1e1` are whole numbers to the page (JavaScript has one number type), floats to
//!   serde_json; a whole number beyond 2^53 is a float to the page: the domain's reader judges every
//!   number as the page holds it, whichever parser made it (`domain::json::Kind::scalar`);
//! * a key written twice means its last value in both (serde_json's map keeps the last one too);
//! * a byte-order mark before the text is dropped, as the browser's text decoding drops it.
//!
//! `tests/corpus/json_edges.json` holds these cases; the page's component tests and this crate's
//! tests read it, each with its own parser, and hold both to the same reading.

use std::path::Path;

use domain::config::SiteConfig;
use domain::config::read::read_config;
use domain::door::{Door, DoorId, LockList};
use serde_json::Value;

/// Where a text is not JSON, as an operator fixes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotJson {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
    /// What is wrong there ("trailing comma", "EOF while parsing an object").
    pub reason: String,
}

impl std::fmt::Display for NotJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.reason)
    }
}

/// The configuration a site's `config.json` gives the page, and the page's warnings about it (each
/// naming its key); `Err` where the text is not JSON, which the page refuses whole.
///
/// ```
/// let (config, warnings) = links::site::read(r#"{"doors": {"4021": {"name": "Front door"}}, "unlocked_seconds": 5.0}"#).unwrap();
/// assert_eq!(config.doors.get(domain::door::DoorId(4021)).and_then(|d| d.name.as_deref()), Some("Front door"));
/// assert_eq!(config.unlocked_for.as_secs(), 5);
/// assert!(warnings.is_empty());
/// let broken = links::site::read("{\n  \"demo\": true,\n}").unwrap_err();
/// assert_eq!((broken.line, broken.column), (3, 1));
/// ```
pub fn read(text: &str) -> Result<(SiteConfig, Vec<String>), NotJson> {
    Ok(read_config(&parse_as_the_page(text)?))
}

/// [`read`], of the file at `path` (a site folder's `config.json`); the error says which file and why.
pub fn load(path: &Path) -> Result<(SiteConfig, Vec<String>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    read(&text).map_err(|broken| format!("{} is not valid JSON, at {broken}", path.display()))
}

/// `text` parsed into what the page's reader sees (see the module's notes).
pub fn parse_as_the_page(text: &str) -> Result<Value, NotJson> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(&as_json_parse_reads(text)).map_err(|e| {
        let full = e.to_string();
        let reason = full.rsplit_once(" at line ").map_or(full.as_str(), |(reason, _)| reason).to_owned();
        NotJson { line: e.line(), column: e.column(), reason }
    })
}

/// The text with what serde_json refuses and `JSON.parse` takes written as the page reads it: lone
/// surrogate escapes as `\uFFFD`, numbers beyond `f64` as `1e308`. Every replacement has the length
/// of what it replaces (padded with spaces after a number), so positions in errors stay true.
fn as_json_parse_reads(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    let mut in_string = false;
    let hex_at = |from: usize| -> Option<u32> {
        let digits = bytes.get(from..from + 4)?;
        u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    while at < bytes.len() {
        let byte = bytes[at];
        if in_string {
            match byte {
                b'"' => in_string = false,
                b'\\' if bytes.get(at + 1) == Some(&b'u') => {
                    let Some(unit) = hex_at(at + 2) else {
                        out.push(byte);
                        at += 1;
                        continue;
                    };
                    let pair = (0xD800..0xDC00).contains(&unit)
                        && bytes.get(at + 6..at + 8) == Some(b"\\u")
                        && hex_at(at + 8).is_some_and(|low| (0xDC00..0xE000).contains(&low));
                    if pair {
                        out.extend_from_slice(&bytes[at..at + 12]);
                        at += 12;
                    } else if (0xD800..0xE000).contains(&unit) {
                        out.extend_from_slice(b"\\uFFFD");
                        at += 6;
                    } else {
                        out.extend_from_slice(&bytes[at..at + 6]);
                        at += 6;
                    }
                    continue;
                }
                b'\\' => {
                    out.extend_from_slice(&bytes[at..(at + 2).min(bytes.len())]);
                    at += 2;
                    continue;
                }
                _ => {}
            }
            out.push(byte);
            at += 1;
        } else if byte == b'-' || byte.is_ascii_digit() {
            let end = bytes[at..]
                .iter()
                .position(|b| !(b.is_ascii_digit() || b"+-.eE".contains(b)))
                .map_or(bytes.len(), |n| at + n);
            let token = &text[at..end];
            match token.parse::<f64>() {
                Ok(number) if number.is_infinite() => {
                    let finite = if number < 0.0 { "-1e308" } else { "1e308" };
                    // The shortest number beyond f64 (`2e308`) is as long as `1e308`.
                    out.extend_from_slice(finite.as_bytes());
                    out.resize(out.len() + token.len().saturating_sub(finite.len()), b' ');
                }
                _ => out.extend_from_slice(token.as_bytes()),
            }
            at = end;
        } else {
            in_string = byte == b'"';
            out.push(byte);
            at += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The doors of a link as the site shows them: `config.json`'s names in place of Kisi's, its notes,
/// and hidden doors left out unless `include_hidden` (then marked). Which doors show, and by which
/// name, is the page's own rule ([`DoorOverrides::apply`](domain::config::doors::DoorOverrides::apply)).
pub fn shown_doors(config: &SiteConfig, doors: Vec<SiteDoor>, include_hidden: bool) -> Vec<SiteDoor> {
    let listed = LockList { doors: doors.iter().map(SiteDoor::as_door).collect(), skipped: 0 };
    let shown = config.doors.apply(listed);
    doors
        .into_iter()
        .filter_map(|mut door| {
            match shown.doors.iter().find(|page| page.id == DoorId(door.id)) {
                Some(page) => door.name.clone_from(&page.name),
                None if include_hidden => door.hidden = true,
                None => return None,
            }
            door.note = config.doors.note(DoorId(door.id)).map(str::to_owned);
            Some(door)
        })
        .collect()
}

/// One door of a link, as the tool prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteDoor {
    /// Kisi's lock id (the key of `config.json`'s `doors`, the `door=` of a poster's URL).
    pub id: u64,
    /// The name the page shows.
    pub name: String,
    /// The place the door belongs to.
    pub place: Option<String>,
    /// The site's note for the door.
    pub note: Option<String>,
    /// Whether the site hides it.
    pub hidden: bool,
}

impl SiteDoor {
    /// The door as the domain has it, for the page's rules.
    fn as_door(&self) -> Door {
        Door {
            id: DoorId(self.id),
            name: self.name.clone(),
            description: None,
            place: None,
            configured: true,
            online: None,
            locked_down: false,
        }
    }

    /// Reads a lock item of Kisi's answer as the page reads it ([`domain::lock::door`]); `None`
    /// without a usable id. A name the page would not show (empty, or nothing visible) prints as
    /// `#<id>`.
    pub fn from_lock(lock: &Value) -> Option<Self> {
        let door = domain::lock::door(&lock)?;
        let name = door.shown_name().map(|name| name.trim().to_owned()).filter(|name| !name.is_empty());
        Some(SiteDoor {
            id: door.id.0,
            name: name.unwrap_or_else(|| format!("#{}", door.id.0)),
            place: door.place.map(|place| place.shown_name()),
            note: None,
            hidden: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tests/corpus/json_edges.json`: texts on which serde_json and `JSON.parse` differ, each with
    /// a plain text the page reads the same way. The page's component tests read the same file.
    #[test]
    fn the_tool_reads_every_edge_as_the_page_does() {
        let corpus: Value = serde_json::from_str(include_str!("../../tests/corpus/json_edges.json")).unwrap();
        let cases = corpus["cases"].as_array().unwrap();
        assert!(cases.len() >= 10, "{}", cases.len());
        for case in cases {
            let (text, plain) = (case["text"].as_str().unwrap(), &case["reads_as"]);
            match plain.as_str() {
                Some(plain) => {
                    let expected = read_config(serde_json::from_str::<Value>(plain).unwrap());
                    assert_eq!(read(text).as_ref().ok(), Some(&expected), "{text}");
                }
                None => assert!(read(text).is_err(), "not JSON to the page either: {text}"),
            }
        }
    }

    /// The tool lists what the page shows: its lock reader, not a reading of its own.
    #[test]
    fn locks_are_read_as_the_page_reads_them() {
        let door = |lock: Value| SiteDoor::from_lock(&lock).map(|d| (d.id, d.name, d.place));
        // A whole number written as a float is a door to the page (JavaScript has one number type).
        assert_eq!(door(serde_json::json!({"id": 5.0, "name": " Gate "})), Some((5, "Gate".into(), None)));
        assert_eq!(door(serde_json::json!({"id": "7", "name": "Gate"})), None, "an id in quotes is none");
        assert_eq!(door(serde_json::json!([42, "by position"])), None, "a list is no lock");
        // Nothing visible in the name: the page says "Door 8", the tool prints the id.
        assert_eq!(door(serde_json::json!({"id": 8, "name": "\u{200B}"})).unwrap().1, "#8");
        let unnamed_place = serde_json::json!({"id": 9, "name": "Lift", "place": {"id": 3, "name": ""}});
        assert_eq!(door(unnamed_place).unwrap().2.as_deref(), Some("Place 3"), "the page's name for it");
    }

    #[test]
    fn replacements_keep_every_position() {
        for text in [r#"{"a": 1.5e400000, "b": }"#, r#"{"a": "\ud800", "b": }"#, r#"{"a": -2e308, "b": }"#] {
            assert_eq!(as_json_parse_reads(text).len(), text.len(), "{text}");
            let broken = read(text).unwrap_err();
            assert_eq!((broken.line, broken.column), (1, text.len()), "{text}: {broken}");
        }
    }

    #[test]
    fn the_site_names_hides_and_notes_doors() {
        let (config, _) =
            read(r#"{"doors": {"1": {"name": "Front door", "note": "Pull"}, "2": {"hidden": true}}}"#).unwrap();
        let door = |id| SiteDoor { id, name: format!("Lock {id}"), place: None, note: None, hidden: false };
        let shown = shown_doors(&config, vec![door(1), door(2), door(3)], false);
        assert_eq!(shown, [SiteDoor { name: "Front door".into(), note: Some("Pull".into()), ..door(1) }, door(3),]);
        let all = shown_doors(&config, vec![door(1), door(2), door(3)], true);
        assert_eq!(all.iter().map(|d| (d.id, d.hidden)).collect::<Vec<_>>(), [(1, false), (2, true), (3, false)]);
    }
}
