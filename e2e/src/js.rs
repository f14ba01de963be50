//! The scripts the harnesses run in a page. Each file in `js/` is one JS function expression,
//! `(arguments) => …`, and is run as a call of it composed here: [`call`] writes the arguments in
//! as JSON (a JS literal, so a string is quoted and escaped whatever it holds), [`call_with`] also
//! hands it an expression of the caller's as a function. No script is assembled from Rust format
//! strings with doubled braces.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::WAIT_LIMIT;

/// `js/wait_for.js`.
const WAIT_FOR: &str = include_str!("js/wait_for.js");
/// `js/image_loaded.js`.
const IMAGE_LOADED: &str = include_str!("js/image_loaded.js");
/// `js/settled.js`.
const SETTLED: &str = include_str!("js/settled.js");
/// `js/axe_run.js`, run once axe-core's own script is in the page.
pub(crate) const AXE_RUN: &str = include_str!("js/axe_run.js");

/// The JS expression that calls `function` (a JS function expression, e.g. a file in `js/`) with
/// `args`, each written as JSON.
pub fn call(function: &str, args: &[Value]) -> String {
    invoke(function, args.iter().map(Value::to_string).collect())
}

/// [`call`], with a function returning the JS `expression` (code of the caller's, evaluated each
/// time it is called, in the page's global scope) before `args`.
pub fn call_with(function: &str, expression: &str, args: &[Value]) -> String {
    let mut all = vec![format!("() => ({expression})")];
    all.extend(args.iter().map(Value::to_string));
    invoke(function, all)
}

/// `function` called with `args`, JS expressions already.
fn invoke(function: &str, args: Vec<String>) -> String {
    // On lines of their own: a file may end in a line comment.
    format!("(\n{}\n)({})", function.trim(), args.join(", "))
}

/// `s` as a JS string literal.
pub fn string(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

/// [`WAIT_LIMIT`] in milliseconds, for a script's own bound.
fn limit_ms() -> Value {
    json!(WAIT_LIMIT.as_millis() as u64)
}

/// `js/wait_for.js` for `condition`, bounded by [`WAIT_LIMIT`]: resolves with `{ ok, value }` the
/// moment the condition holds, or `{ ok: false, text }` at the limit.
pub(crate) fn wait_for(condition: &str) -> String {
    call_with(WAIT_FOR, condition, &[limit_ms()])
}

/// [`wait_for`], bounded by `limit` instead.
pub(crate) fn wait_for_within(condition: &str, limit: std::time::Duration) -> String {
    call_with(WAIT_FOR, condition, &[json!(limit.as_millis() as u64)])
}

/// `js/image_loaded.js` for the image `selector` matches.
pub(crate) fn image_loaded(selector: &str) -> String {
    call(IMAGE_LOADED, &[json!(selector)])
}

/// `js/settled.js`, bounded by [`WAIT_LIMIT`].
pub(crate) fn settled() -> String {
    call(SETTLED, &[limit_ms()])
}

/// A condition: the element `selector` matches exists (a boolean: an element as the value would be
/// handed back to the driver, which fails if the page replaced it meanwhile).
pub(crate) fn exists(selector: &str) -> String {
    format!("document.querySelector({}) !== null", string(selector))
}

/// axe-core's script: `$AXE_CORE`, else where `cargo xtask setup` installs it.
pub(crate) fn axe_core_path() -> PathBuf {
    std::env::var_os("AXE_CORE").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/tools/node_modules/axe-core/axe.min.js")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_written_as_json() {
        let called = call("(s, n) => s + n", &[json!("it's \"quoted\"\n"), json!(3)]);
        assert_eq!(called, "(\n(s, n) => s + n\n)(\"it's \\\"quoted\\\"\\n\", 3)");
    }

    #[test]
    fn an_expression_is_handed_over_as_a_function() {
        let called = call_with("// a comment\n(f, n) => f() + n\n", "1 + 1", &[json!(2)]);
        assert_eq!(called, "(\n// a comment\n(f, n) => f() + n\n)(() => (1 + 1), 2)");
    }
}
