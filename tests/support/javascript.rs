//! JSON as the page holds it: parsed by the browser's `JSON.parse`, where every number is a
//! JavaScript number (an IEEE double). serde_json keeps `1.0` a float and `9007199254740993` an
//! exact integer; the browser reads the first as the whole number 1 and rounds the second. The
//! page's decoder (`src/services/json.rs`) sees a whole number within 2^53 as an integer and
//! anything else as a float (`domain::json::Kind::scalar`). The plain reference readings
//! (`reference.rs`) restate values that way before reading them, by a rule of their own.

use serde_json::{Number, Value};

/// Numbers JavaScript holds exactly as integers (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// `value` with every number as the page's decoder sees it after `JSON.parse`: a whole double within
/// ±2^53 as an integer, anything else as the double JavaScript holds.
pub fn as_javascript_reads(value: Value) -> Value {
    match value {
        Value::Number(number) => {
            let double = number.as_f64().expect("JSON numbers are finite");
            match double {
                n if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&n) => Value::from(n as u64),
                n if n.fract() == 0.0 && (-MAX_SAFE_INTEGER..0.0).contains(&n) => Value::from(n as i64),
                n => Number::from_f64(n).map_or(Value::Null, Value::Number),
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(as_javascript_reads).collect()),
        Value::Object(fields) => Value::Object(fields.into_iter().map(|(k, v)| (k, as_javascript_reads(v))).collect()),
        other => other,
    }
}

#[test]
fn numbers_read_as_javascript_holds_them() {
    let read = |text: &str| as_javascript_reads(serde_json::from_str(text).unwrap());
    assert_eq!(read("[1.0, 1e2, -0.0, -3.0, 1.5]"), serde_json::json!([1, 100, 0, -3, 1.5]));
    assert_eq!(read("9007199254740993"), serde_json::json!(9_007_199_254_740_992.0), "rounded, and past 2^53");
    assert_eq!(read(r#"{"id": 42.0}"#)["id"].as_u64(), Some(42));
}
