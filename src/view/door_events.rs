//! One set of listeners for the whole door list, instead of six per door.
//!
//! Why: every `on:` listener is a JavaScript function made from a Rust closure. A list of 1,000
//! doors made 6,000 of them (click, and the hold gesture's pointer events), a measurable share of
//! the time to show a long list (see docs/benchmark.md). Events bubble, so the list listens once
//! and hands each event to the door whose button it happened on; doors keep their logic in plain
//! Rust closures, registered here.

use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::domain::door::DoorId;

/// What happened on a door's button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoorEvent {
    /// A click: a tap, a mouse click, Enter or Space, or a screen reader's activation.
    Click,
    /// A finger or mouse button went down on the button.
    PointerDown,
    /// It came up again, left the button, or the browser took it over (scrolling).
    PointerGone,
    /// The long-press menu is about to open.
    ContextMenu,
}

type Handler = Rc<dyn Fn(DoorEvent, &web_sys::Event)>;

/// Hands the list's events to the door they happened on. Provided by the door list; a door
/// registers itself for as long as it is shown.
#[derive(Clone, Copy)]
pub struct DoorEvents {
    /// Each shown door's handler, with the token of the registration that set it.
    handlers: StoredValue<HashMap<DoorId, (u64, Handler)>, LocalStorage>,
    next_token: StoredValue<u64>,
    /// Whether anything but clicks matters (the `hold` gesture); a tap's pointer events are skipped.
    pointers: bool,
}

impl DoorEvents {
    /// An empty registry; `pointers`: whether doors want pointer and context-menu events too.
    pub fn new(pointers: bool) -> Self {
        DoorEvents { handlers: StoredValue::new_local(HashMap::new()), next_token: StoredValue::new(0), pointers }
    }

    /// Sends `door`'s events to `handler` until the calling component is cleaned up.
    pub fn register(self, door: DoorId, handler: impl Fn(DoorEvent, &web_sys::Event) + 'static) {
        let token = self.next_token.try_update_value(|n| std::mem::replace(n, *n + 1)).unwrap_or_default();
        self.handlers.update_value(|handlers| {
            handlers.insert(door, (token, Rc::new(handler)));
        });
        // While a fresh list replaces an old one, both show the same door for a moment: the old
        // one's cleanup must not remove the new one's handler.
        on_cleanup(move || {
            self.handlers.try_update_value(|handlers| {
                if handlers.get(&door).is_some_and(|(registered, _)| *registered == token) {
                    handlers.remove(&door);
                }
            });
        });
    }

    /// Hands `event` to the door whose button it happened on, if any.
    pub fn dispatch(self, kind: DoorEvent, event: &web_sys::Event) {
        if kind != DoorEvent::Click && !self.pointers {
            return;
        }
        let Some(button) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|target| target.closest(".door-button").ok().flatten())
        else {
            return;
        };
        if kind == DoorEvent::PointerGone && event.type_() == "pointerout" && still_inside(&button, event) {
            return;
        }
        let door = button
            .closest("li[data-door-id]")
            .ok()
            .flatten()
            .and_then(|item| item.get_attribute("data-door-id"))
            .and_then(|id| id.parse().ok())
            .map(DoorId);
        // The handler is taken out before it runs: what it sets off may show or remove doors.
        let handler = door.and_then(|door| self.handlers.with_value(|h| h.get(&door).map(|(_, h)| h.clone())));
        if let Some(handler) = handler {
            handler(kind, event);
        }
    }
}

/// Whether a `pointerout` only moved between parts of `button` (its name, its status line):
/// only leaving the button itself counts.
fn still_inside(button: &web_sys::Element, event: &web_sys::Event) -> bool {
    let related = js_sys::Reflect::get(event, &JsValue::from_str("relatedTarget")).ok();
    related.and_then(|node| node.dyn_into::<web_sys::Node>().ok()).is_some_and(|node| button.contains(Some(&node)))
}
