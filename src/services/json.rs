//! JSON, parsed by the browser and read by serde. `JSON.parse` is the fastest and best-tested JSON
//! parser the page can have, and it is already on the phone; the serde derives of the domain and
//! of the Kisi client then read the parsed value through [`Json`], a serde `Deserializer` over
//! JavaScript values. No JSON parser ships in the wasm.
//!
//! Why not `serde-wasm-bindgen`, the well-kept crate for this (measured, `docs/benchmark.md`): it
//! words its errors — "invalid type: floating point `1.5`, expected …" — and that pulls Rust's
//! float formatting into the app (12.6 KB of code, ~4.6 KB brotli, for messages the page drops
//! unread); its "wrong type" errors also format the JavaScript value's debug text, which for a
//! hostile `[[[[…]]]]` recurses until the browser's stack runs out. This reader's one error says
//! nothing, reads a struct by looking up only its fields, and never looks into a value it skips.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use js_sys::{Array, JsString, Object, Reflect};
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use wasm_bindgen::{JsCast, JsValue};

use crate::services::kisi::network::Body;

/// A parsed JSON value, as the browser holds it.
#[derive(Clone, Debug)]
pub struct Json {
    value: JsValue,
    keys: Rc<FieldNames>,
}

/// The JavaScript strings of the struct fields read so far in one parsed value: a field's name is
/// made once per document, not once per object (a page of 250 locks would make 2,000).
#[derive(Debug, Default)]
struct FieldNames(RefCell<Vec<(FieldList, Vec<JsValue>)>>);

/// A struct's field list, by address and length: the compiler may place one struct's list at the
/// start of another's, so the address alone does not tell them apart.
type FieldList = (usize, usize);

impl FieldNames {
    /// The names of `fields` (one struct's), made on first use.
    fn of(&self, fields: &'static [&'static str]) -> Vec<JsValue> {
        let id: FieldList = (fields.as_ptr() as usize, fields.len());
        let mut known = self.0.borrow_mut();
        if let Some((_, names)) = known.iter().find(|(known, _)| *known == id) {
            return names.clone();
        }
        let names: Vec<JsValue> = fields.iter().map(|field| JsString::from(*field).into()).collect();
        known.push((id, names.clone()));
        names
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

    /// Reads the value as a `T`; `None` if it is not one.
    pub fn decode<T: DeserializeOwned>(&self) -> Option<T> {
        T::deserialize(self.clone()).ok()
    }

    /// The value as a deserializer, for readers that take one.
    pub fn deserializer(&self) -> Json {
        self.clone()
    }
}

impl Body for Json {
    fn decode<T: DeserializeOwned>(&self) -> Option<T> {
        Json::decode(self)
    }
}

/// Why a value could not be read: deliberately wordless (the page never shows it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not readable")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Refused
    }
}

/// Numbers JavaScript holds exactly as integers (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl<'de> Deserializer<'de> for Json {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        let value = &self.value;
        if value.is_null() || value.is_undefined() {
            visitor.visit_unit()
        } else if let Some(flag) = value.as_bool() {
            visitor.visit_bool(flag)
        } else if let Some(number) = value.as_f64() {
            match number {
                n if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&n) => visitor.visit_u64(n as u64),
                n if n.fract() == 0.0 && (-MAX_SAFE_INTEGER..0.0).contains(&n) => visitor.visit_i64(n as i64),
                n => visitor.visit_f64(n),
            }
        } else if let Some(text) = value.as_string() {
            visitor.visit_string(text)
        } else if Array::is_array(value) {
            let items: Array = value.clone().unchecked_into();
            visitor.visit_seq(Items { length: items.length(), items, next: 0, document: self })
        } else if value.is_object() {
            let keys = Object::keys(value.unchecked_ref::<Object>());
            visitor.visit_map(Entries { length: keys.length(), keys, next: 0, value: None, document: self })
        } else {
            Err(Refused)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        if self.value.is_null() || self.value.is_undefined() { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    /// An object, read by looking up just `fields` (no list, nothing else).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refused> {
        if self.value.is_object() && !Array::is_array(&self.value) {
            let names = self.keys.of(fields).into_iter();
            visitor.visit_map(Fields { fields: fields.iter().zip(names), value: None, document: self })
        } else {
            Err(Refused)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_newtype_struct(self)
    }

    /// Skipped without a look inside: a hostile value costs nothing.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct
        seq tuple tuple_struct map enum identifier
    }
}

/// A list's items, in order.
struct Items {
    items: Array,
    length: u32,
    next: u32,
    document: Json,
}

impl<'de> SeqAccess<'de> for Items {
    type Error = Refused;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Refused> {
        if self.next >= self.length {
            return Ok(None);
        }
        self.next += 1;
        seed.deserialize(self.document.inner(self.items.get(self.next - 1))).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.length - self.next) as usize)
    }
}

/// An object's own keys and their values, in the object's order.
struct Entries {
    keys: Array,
    length: u32,
    next: u32,
    value: Option<JsValue>,
    /// The object itself (and its document).
    document: Json,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Refused;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Refused> {
        if self.next >= self.length {
            return Ok(None);
        }
        let key = self.keys.get(self.next);
        self.next += 1;
        self.value = Some(Reflect::get(&self.document.value, &key).map_err(|_| Refused)?);
        seed.deserialize(self.document.inner(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Refused> {
        seed.deserialize(self.document.inner(self.value.take().ok_or(Refused)?))
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.length - self.next) as usize)
    }
}

/// A struct's fields, looked up by name; a missing one is left to the struct's default.
struct Fields {
    fields: std::iter::Zip<std::slice::Iter<'static, &'static str>, std::vec::IntoIter<JsValue>>,
    value: Option<JsValue>,
    /// The object itself (and its document).
    document: Json,
}

impl<'de> MapAccess<'de> for Fields {
    type Error = Refused;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Refused> {
        for (field, name) in self.fields.by_ref() {
            let value = Reflect::get(&self.document.value, &name).map_err(|_| Refused)?;
            if !value.is_undefined() {
                self.value = Some(value);
                return seed.deserialize(de::value::BorrowedStrDeserializer::<Refused>::new(field)).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Refused> {
        seed.deserialize(self.document.inner(self.value.take().ok_or(Refused)?))
    }
}
