//! A small JSON reader for the three kinds of text the page reads: Kisi's answers, `config.json`
//! and translation files.
//!
//! Why not serde: every reader here is lenient by design — a door with a wrong-typed field is
//! still a door, a broken setting is a warning — so each one walks a parsed tree by hand anyway.
//! serde_json's generic machinery (and its float parsing and printing tables) cost ≈ 10 KB of
//! brotli on every visitor's phone for that tree; this is the tree alone. It follows RFC 8259
//! strictly (a host property test compares it with serde_json on arbitrary input) and keeps
//! numbers as their text, since the page only ever needs whole numbers out of them.

use std::fmt;

/// How deep arrays and objects may nest. A hostile answer of 100,000 `[` must end in an error,
/// not in a stack overflow that kills the page.
const MAX_DEPTH: usize = 128;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written (`42`, `-1.5e3`).
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object's members in document order; a repeated key keeps its last value.
    Object(Vec<(String, Json)>),
}

/// Why a text is not JSON, and where (1-based line and column, counted in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// What was wrong.
    pub problem: &'static str,
    /// The line it was found on.
    pub line: usize,
    /// The column it was found at.
    pub column: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.problem, self.line, self.column)
    }
}

impl Json {
    /// Parses `text`, which must hold exactly one JSON value (surrounded by whitespace at most).
    ///
    /// ```
    /// use portier::json::Json;
    /// let lock = Json::parse(r#"{"id": 42, "name": "Front door", "place": null}"#).unwrap();
    /// assert_eq!(lock.get("id").and_then(Json::as_u64), Some(42));
    /// assert_eq!(lock.get("name").and_then(Json::as_str), Some("Front door"));
    /// assert!(Json::parse("[1,").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Json, JsonError> {
        let mut parser = Parser { text: text.as_bytes(), at: 0 };
        let value = parser.value(0)?;
        parser.skip_whitespace();
        if parser.at < parser.text.len() {
            return Err(parser.error("trailing characters"));
        }
        Ok(value)
    }

    /// The member `key` of an object (`None` for anything else).
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?.iter().find(|(name, _)| name == key).map(|(_, value)| value)
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// The value of `true` or `false`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// A number that is a whole number from 0 to `u64::MAX`, written without fraction or exponent.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members of an object, in document order.
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }
}

/// Writes the value back as compact JSON (for messages that quote what was found).
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(value) => write!(f, "{value}"),
            Json::Number(text) => f.write_str(text),
            Json::String(text) => write_string(f, text),
            Json::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Json::Object(members) => {
                f.write_str("{")?;
                for (i, (name, value)) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_string(f, name)?;
                    write!(f, ":{value}")?;
                }
                f.write_str("}")
            }
        }
    }
}

fn write_string(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in text.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if u32::from(c) < 0x20 => write!(f, "\\u{:04x}", u32::from(c))?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

struct Parser<'t> {
    text: &'t [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, problem: &'static str) -> JsonError {
        let before = &self.text[..self.at.min(self.text.len())];
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // Characters, not bytes: count the bytes that start one.
        let column = before[line_start..].iter().filter(|&&b| (b & 0xC0) != 0x80).count() + 1;
        JsonError { problem, line: before.iter().filter(|&&b| b == b'\n').count() + 1, column }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect_word(&mut self, word: &[u8], value: Json) -> Result<Json, JsonError> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'n') => self.expect_word(b"null", Json::Null),
            Some(b't') => self.expect_word(b"true", Json::Bool(true)),
            Some(b'f') => self.expect_word(b"false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') if depth < MAX_DEPTH => self.array(depth + 1),
            Some(b'{') if depth < MAX_DEPTH => self.object(depth + 1),
            Some(b'[' | b'{') => Err(self.error("nested too deeply")),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("unexpected end")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected , or ]")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.at += 1;
        let mut members: Vec<(String, Json)> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name"));
            }
            let name = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("expected :"));
            }
            self.at += 1;
            let value = self.value(depth)?;
            match members.iter_mut().find(|(existing, _)| *existing == name) {
                Some(member) => member.1 = value,
                None => members.push((name, value)),
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.error("expected , or }")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let leading_zero = self.peek() == Some(b'0');
        match self.digits() {
            0 => return Err(self.error("expected a digit")),
            n if leading_zero && n > 1 => return Err(self.error("leading zero")),
            _ => {}
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error("expected a digit"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("expected a digit"));
            }
        }
        // Only ASCII was consumed, so this slice is valid UTF-8.
        Ok(Json::Number(String::from_utf8_lossy(&self.text[start..self.at]).into_owned()))
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut bytes = Vec::new();
        loop {
            let Some(b) = self.peek() else { return Err(self.error("unterminated string")) };
            match b {
                b'"' => {
                    self.at += 1;
                    // The input is a &str and escapes push whole characters, so this cannot fail.
                    return String::from_utf8(bytes).map_err(|_| self.error("invalid UTF-8"));
                }
                b'\\' => {
                    self.at += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(self.error("invalid escape")),
                    };
                    self.at += 1;
                    bytes.extend_from_slice(escaped.encode_utf8(&mut [0; 4]).as_bytes());
                }
                0x00..=0x1F => return Err(self.error("control character in string")),
                _ => {
                    // Copy the whole run up to the next quote, escape or control character at once.
                    let run = self.text[self.at..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20);
                    let end = run.map_or(self.text.len(), |n| self.at + n);
                    bytes.extend_from_slice(&self.text[self.at..end]);
                    self.at = end;
                }
            }
        }
    }

    /// Reads `uXXXX` (and a following `\uXXXX` low surrogate), leaving `at` on the last hex digit.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let high = self.hex4()?;
        let code = match high {
            0xD800..=0xDBFF => {
                if !self.text[self.at + 1..].starts_with(b"\\u") {
                    return Err(self.error("lone surrogate"));
                }
                self.at += 2;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error("lone surrogate"));
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone surrogate")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid escape"))
    }

    /// Reads four hex digits after the current byte, leaving `at` on the last.
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut code = 0;
        for _ in 0..4 {
            self.at += 1;
            let digit = self.peek().and_then(|b| char::from(b).to_digit(16));
            code = code * 16 + digit.ok_or_else(|| self.error("invalid \\u escape"))?;
        }
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_value() {
        let value =
            Json::parse(" {\"a\": [null, true, false, -0.5e+3, \"x\\u00e9\\ud83d\\ude00\\n\"], \"b\": {}} ").unwrap();
        assert_eq!(
            value,
            Json::Object(vec![
                (
                    "a".into(),
                    Json::Array(vec![
                        Json::Null,
                        Json::Bool(true),
                        Json::Bool(false),
                        Json::Number("-0.5e+3".into()),
                        Json::String("xé😀\n".into()),
                    ])
                ),
                ("b".into(), Json::Object(vec![])),
            ])
        );
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_in_its_first_place() {
        let value = Json::parse(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert_eq!(value.to_string(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn whole_numbers_only_from_as_u64() {
        let numbers = ["0", "42", "18446744073709551615", "18446744073709551616", "-1", "1.0", "1e3"];
        let read: Vec<Option<u64>> = numbers.iter().map(|n| Json::parse(n).unwrap().as_u64()).collect();
        assert_eq!(read, [Some(0), Some(42), Some(u64::MAX), None, None, None, None]);
    }

    #[test]
    fn says_what_and_where() {
        let error = Json::parse("{\n  \"é\": tru\n}").unwrap_err();
        assert_eq!((error.problem, error.line, error.column), ("expected a value", 2, 8));
        assert_eq!(error.to_string(), "expected a value at line 2 column 8");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert_eq!(Json::parse(&deep).unwrap_err().problem, "nested too deeply");
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(Json::parse(&fine).is_ok());
    }

    #[test]
    fn refuses_what_rfc_8259_refuses() {
        for text in [
            "",
            " ",
            "nul",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "+1",
            "\"\\x\"",
            "\"a\nb\"",
            "'a'",
            "[1 2]",
            "{\"a\" 1}",
            "{1:2}",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "NaN",
            "[1]x",
        ] {
            assert!(Json::parse(text).is_err(), "{text:?} must be refused");
        }
    }

    #[test]
    fn writes_back_what_it_read() {
        let text = r#"{"name":"a\"b\\c\u0001","list":[1,-2.5e10,true,null]}"#;
        assert_eq!(Json::parse(text).unwrap().to_string(), text);
    }
}
