//! The browser's text rules: its Unicode case mapping and `Intl` collation, which ship with it,
//! for what [`TextRules`] asks (searching and sorting door names).

use js_sys::{Array, Intl, JsString, Object};
use wasm_bindgen::JsValue;

use crate::domain::directory::TextRules;
use crate::domain::door::Door;
use crate::services::i18n::I18n;

/// Text as the browser reads it, in the visitor's language.
#[derive(Clone, Copy)]
pub struct BrowserText(pub I18n);

impl TextRules for BrowserText {
    /// The browser's `toLowerCase` (Unicode's default mapping): Rust's `to_lowercase` would ship its
    /// ~12 KB case table to every phone for the one thing search needs it for.
    fn lower_case(&self, text: &str) -> String {
        String::from(JsString::from(text).to_lower_case())
    }

    /// One `Intl.Collator` for the visitor's language ("Ä" with "A" in German, accents in French):
    /// the names cross into JavaScript once each, and each comparison passes two handles.
    fn sort_order(&self, names: &[String]) -> Vec<usize> {
        let collator = Intl::Collator::new(&Array::of1(&self.0.code().into()), &Object::new());
        let compare = collator.compare();
        let names: Vec<JsValue> = names.iter().map(|name| JsValue::from_str(name)).collect();
        let mut order: Vec<usize> = (0..names.len()).collect();
        order.sort_by(|a, b| {
            let sign =
                compare.call2(&JsValue::NULL, &names[*a], &names[*b]).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
            sign.partial_cmp(&0.0).unwrap_or(std::cmp::Ordering::Equal)
        });
        order
    }

    fn door_name(&self, door: &Door) -> String {
        self.0.door_name(door)
    }
}

impl BrowserText {
    /// A moment in the visitor's language and time zone, as the browser's `Intl` writes it: "Thu,
    /// Dec 24, 06:00 PM" (`with_day`; the year too when it is not this one), else just "06:00 PM".
    pub fn local_time(&self, unix_ms: i64, with_day: bool) -> String {
        let moment = js_sys::Date::new(&JsValue::from_f64(unix_ms as f64));
        let this_year = js_sys::Date::new_0().get_full_year() == moment.get_full_year();
        let options = match (with_day, this_year) {
            (false, _) => r#"{"hour":"2-digit","minute":"2-digit"}"#,
            (true, true) => {
                r#"{"weekday":"short","day":"numeric","month":"short","hour":"2-digit","minute":"2-digit"}"#
            }
            (true, false) => {
                r#"{"weekday":"short","day":"numeric","month":"short","year":"numeric","hour":"2-digit","minute":"2-digit"}"#
            }
        };
        let options = js_sys::JSON::parse(options).unwrap_or_else(|_| Object::new().into());
        String::from(moment.to_locale_string(self.0.code(), &options))
    }
}
