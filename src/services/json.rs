//! JSON, parsed by the browser. `JSON.parse` is the fastest and best-tested JSON parser the page
//! can have, and it is already on the phone; the readers of the domain and of the Kisi client then
//! read the parsed value through [`Json`], the domain's [`JsonValue`] over JavaScript values. No
//! JSON parser ships in the wasm.
//!
//! Why not `serde-wasm-bindgen`, the well-kept crate for this (measured, `docs/benchmark.md`): it
//! words its errors — "invalid type: floating point `1.5`, expected …" — and that pulls Rust's
//! float formatting into the app (12.6 KB of code, ~4.6 KB brotli, for messages the page drops
//! unread); its "wrong type" errors also format the JavaScript value's debug text, which for a
//! hostile `[[[[…]]]]` recurses until the browser's stack runs out. This view says nothing, looks
//! up only the fields a reader asks for, and never looks into a value it is not asked about.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, JsString, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::domain::json::{JsonValue, Kind};

/// A parsed JSON value, as the browser holds it.
#[derive(Clone, Debug)]
pub struct Json {
    value: JsValue,
    keys: Rc<FieldNames>,
}

/// The JavaScript strings of the field names looked up so far in one parsed value: a field's name
/// is made once per document, not once per object (a page of 250 locks would make 2,000).
#[derive(Debug, Default)]
struct FieldNames(RefCell<Vec<(&'static str, JsValue)>>);

impl FieldNames {
    /// The JavaScript string of `field`, made on first use.
    fn of(&self, field: &'static str) -> JsValue {
        let mut known = self.0.borrow_mut();
        if let Some((_, name)) = known.iter().find(|(known, _)| *known == field) {
            return name.clone();
        }
        let name: JsValue = JsString::from(field).into();
        known.push((field, name.clone()));
        name
    }
}

impl Json {
    /// Parses `text`; `None` if it is not JSON.
    pub fn parse(text: &str) -> Option<Json> {
        Self::parse_or_why(text).ok()
    }

    /// Parses `text`; if it is not JSON, the browser's words for why (Chromium and Firefox name the
    /// line and column, WebKit does not).
    pub fn parse_or_why(text: &str) -> Result<Json, String> {
        match js_sys::JSON::parse(text) {
            Ok(value) => Ok(Json { value, keys: Rc::default() }),
            Err(error) => Err(error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default()),
        }
    }

    /// Another value of the same document.
    fn inner(&self, value: JsValue) -> Json {
        Json { value, keys: self.keys.clone() }
    }

    /// Whether the value is an object (a list is not), asked without copying a string out.
    fn is_object(&self) -> bool {
        self.value.is_object() && !Array::is_array(&self.value)
    }
}

impl JsonValue for Json {
    fn kind(&self) -> Kind {
        let value = &self.value;
        if let Some(flag) = value.as_bool() {
            Kind::Flag(flag)
        } else if let Some(number) = value.as_f64() {
            Kind::Number(number)
        } else if let Some(text) = value.as_string() {
            Kind::Text(text)
        } else if Array::is_array(value) {
            Kind::List
        } else if value.is_object() {
            Kind::Object
        } else {
            Kind::Null
        }
    }

    fn get(&self, key: &'static str) -> Option<Json> {
        if !self.is_object() {
            return None;
        }
        let value = Reflect::get(&self.value, &self.keys.of(key)).ok().filter(|value| !value.is_undefined())?;
        Some(self.inner(value))
    }

    fn entries(&self) -> Option<Vec<(String, Json)>> {
        if !self.is_object() {
            return None;
        }
        let keys = Object::keys(self.value.unchecked_ref::<Object>());
        let entries = keys.iter().filter_map(|key| {
            let value = Reflect::get(&self.value, &key).ok()?;
            Some((key.as_string()?, self.inner(value)))
        });
        Some(entries.collect())
    }

    fn items(&self) -> Option<Vec<Json>> {
        let items = Array::is_array(&self.value).then(|| self.value.unchecked_ref::<Array>())?;
        Some(items.iter().map(|item| self.inner(item)).collect())
    }
}
