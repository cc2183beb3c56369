//! JSON values: read from the server's bytes and written into request bodies without serde.
//!
//! Why not `serde_json::Value`: in the npm package's wasm, serde_json's reader is serde's generic visitor
//! machinery instantiated for `Value`, its `Map` is a `BTreeMap` (an `IndexMap` with `preserve_order`: insert,
//! remove and rebalancing or hashing code), its numbers bring float parsing tables and its errors the texts of
//! I/O errors and `str`'s `Debug` with its Unicode tables. The widgets entry carried ~16 KiB (brotli) of it. The records here are read field by field
//! ([`crate::storware::wire::Record`]), which needs no more than this module: a value tree, one reader and one
//! writer, all non-generic.
//!
//! What the reader keeps, and serde_json's did not:
//! - An object's fields in the server's order, duplicates included ([`Map::get`] reads the last, as
//!   serde_json and the server's own JSON library do), so that fields kept as read and sent back
//!   ([`crate::domain::Policy::server_fields`]) mean to the server what they meant.
//! - A number's text ([`Number::as_str`]): `12345678901234567890` or `1.10` go back as they came.
//!
//! Both hold from the server's bytes to a request body. The serde forms (a record handed to JavaScript and read
//! back from it, in the headless entry) go through serde's data model instead: there a number is an integer or
//! a float (read with [`Number::as_f64`]), and reading one back keeps neither repeated fields nor number texts.
//!
//! ```
//! use vmbackup_core::json::{self, Value};
//!
//! let value = json::from_slice(br#"{"guid": "g1", "size": 1024, "tags": ["a", "b"]}"#).unwrap();
//! assert_eq!(value.get("guid").and_then(Value::as_str), Some("g1"));
//! assert_eq!(value.get("size").and_then(Value::as_f64), Some(1024.0));
//! assert_eq!(value.to_json(), r#"{"guid":"g1","size":1024,"tags":["a","b"]}"#);
//! assert!(json::from_slice(b"<html>").is_err());
//! ```

use std::fmt;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A JSON number, kept as its text (valid JSON number syntax).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(Box<str>);

/// A JSON object: its fields in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Map(Vec<(String, Value)>);

impl Value {
    /// The object's field `key` (`None` for other values).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(values) => Some(values),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A number's value as a float (see [`Number::as_f64`]).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// A number's value as an `i64` (see [`Number::as_i64`]).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// A number's value as a `u64` (see [`Number::as_u64`]).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_value(self, &mut out);
        out
    }
}

/// A JSON object from `(key, value)` pairs, in that order (request bodies, event details).
pub fn object(fields: Vec<(&str, Value)>) -> Value {
    Value::Object(fields.into_iter().map(|(key, value)| (key.to_string(), value)).collect())
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Map> for Value {
    fn from(map: Map) -> Value {
        Value::Object(map)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    /// `None` is `null`.
    fn from(value: Option<T>) -> Value {
        value.map_or(Value::Null, Into::into)
    }
}

impl FromIterator<Value> for Value {
    /// An array.
    fn from_iter<I: IntoIterator<Item = Value>>(values: I) -> Value {
        Value::Array(values.into_iter().collect())
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(values: Vec<T>) -> Value {
        Value::Array(values.into_iter().map(Into::into).collect())
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::Number(Number(n.to_string().into_boxed_str()))
            }
        }
    )*};
}

from_integer!(u8, u16, u32, u64, usize, i8, i16, i32, i64);

impl Number {
    /// The number as the JSON text it was read from (or written as).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as a float. Exact (correctly rounded) when its digits, read without the decimal point, make an
    /// integer up to 2^53 and the power of ten that then scales it lies within ±22: `66.5` is 665 × 10^-1, and
    /// timestamps, sizes and percentages are all of this kind. Otherwise within a few units in the last place;
    /// 0 or infinite past `f64`'s range. Read here rather than with `f64::from_str`, whose correctly rounding
    /// parser and its tables would add several KB to the npm package's wasm.
    pub fn as_f64(&self) -> Option<f64> {
        let text = self.0.as_bytes();
        let (negative, text) = match text.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, text),
        };
        let mut mantissa: u64 = 0;
        let mut exponent: i64 = 0;
        let mut in_fraction = false;
        let mut at = 0;
        while let Some(&byte) = text.get(at) {
            match byte {
                b'0'..=b'9' => {
                    if mantissa < 1_000_000_000_000_000_000 {
                        mantissa = mantissa * 10 + u64::from(byte - b'0');
                        exponent -= i64::from(in_fraction);
                    } else {
                        // Digits past the 19th only scale the value.
                        exponent += i64::from(!in_fraction);
                    }
                }
                b'.' => in_fraction = true,
                _ => break,
            }
            at += 1;
        }
        if let Some(b'e' | b'E') = text.get(at) {
            let digits = &text[at + 1..];
            let (sign, digits) = match digits.split_first() {
                Some((b'-', rest)) => (-1, rest),
                Some((b'+', rest)) => (1, rest),
                _ => (1, digits),
            };
            let mut written: i64 = 0;
            for &d in digits {
                written = written.saturating_mul(10).saturating_add(i64::from(d - b'0'));
            }
            exponent = exponent.saturating_add(sign * written);
        }
        let mut value = mantissa as f64;
        let mut scale = exponent.unsigned_abs();
        // Powers of ten up to 1e22 are exact floats; one multiplication or division by one rounds correctly.
        while scale > 0 && value != 0.0 && value.is_finite() {
            let step = scale.min(22);
            let power = (0..step).fold(1.0_f64, |p, _| p * 10.0);
            value = if exponent < 0 { value / power } else { value * power };
            scale -= step;
        }
        Some(if negative { -value } else { value })
    }

    /// The number as an `i64`, when it is written as an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// The number as a `u64`, when it is written as a non-negative integer in range.
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Map {
    pub fn new() -> Map {
        Map(Vec::new())
    }

    /// The field `key`: its last occurrence, should the object repeat it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key` to `value`, in place of its (last) occurrence, else at the end; returns the value replaced.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.0.iter_mut().rev().find(|(k, _)| *k == key) {
            Some((_, slot)) => Some(std::mem::replace(slot, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }

    /// Takes every occurrence of `key` out; returns the value of the last.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let mut removed = None;
        self.0.retain_mut(|(k, v)| {
            let keep = k != key;
            if !keep {
                removed = Some(std::mem::take(v));
            }
            keep
        });
        removed
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(fields: I) -> Map {
        Map(fields.into_iter().collect())
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

// ---------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&n.0),
        Value::String(s) => write_string(s, out),
        Value::Array(values) => {
            out.push('[');
            for (index, value) in values.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_value(value, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (index, (key, value)) in map.0.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(value, out);
            }
            out.push('}');
        }
    }
}

/// A JSON string: quotes, backslashes and control characters escaped, everything else as it is (as serde_json
/// writes it).
fn write_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------

/// Why a text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub kind: JsonErrorKind,
    /// The line (from 1) and column (from 1; 0 for an empty line) where reading stopped.
    pub line: usize,
    pub column: usize,
}

/// What kind of text is not JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// The text ended inside a value (or was empty).
    Eof,
    /// Something that is not JSON.
    Syntax,
    /// Objects and arrays nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            JsonErrorKind::Eof => "the text ends too early",
            JsonErrorKind::Syntax => "invalid JSON",
            JsonErrorKind::TooDeep => "JSON nested too deeply",
        };
        write!(f, "{what} at line {}, column {}", self.line, self.column)
    }
}

impl std::error::Error for JsonError {}

/// Objects and arrays nested deeper than this are refused, so that a hostile body cannot exhaust the stack
/// (serde_json's limit is the same to within one level).
pub const MAX_DEPTH: u32 = 128;

/// Reads one JSON value, with nothing but whitespace around it.
pub fn from_slice(text: &[u8]) -> Result<Value, JsonError> {
    let mut reader = Reader { text, at: 0, depth: 0, too_deep: false };
    let value = reader.value();
    let value = value.and_then(|value| match reader.skip_whitespace() {
        None => Ok(value),
        Some(_) => Err(()),
    });
    value.map_err(|()| reader.error())
}

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
    depth: u32,
    /// Reading stopped at the nesting limit.
    too_deep: bool,
}

/// Reading stopped at `Reader::at`.
type Step<T> = Result<T, ()>;

impl Reader<'_> {
    fn error(&self) -> JsonError {
        let eof = self.at >= self.text.len();
        let kind = match (self.too_deep, eof) {
            (true, _) => JsonErrorKind::TooDeep,
            (false, true) => JsonErrorKind::Eof,
            (false, false) => JsonErrorKind::Syntax,
        };
        let read = &self.text[..self.at.min(self.text.len())];
        let line_start = read.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let line = 1 + read.iter().filter(|&&b| b == b'\n').count();
        let column = read.len() - line_start + usize::from(!eof);
        JsonError { kind, line, column }
    }

    /// The next byte that is not whitespace, not taken.
    fn skip_whitespace(&mut self) -> Option<u8> {
        while let Some(&byte) = self.text.get(self.at) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(byte);
            }
            self.at += 1;
        }
        None
    }

    fn expect(&mut self, byte: u8) -> Step<()> {
        if self.text.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(())
        }
    }

    fn literal(&mut self, word: &[u8], value: Value) -> Step<Value> {
        for &byte in word {
            self.expect(byte)?;
        }
        Ok(value)
    }

    fn value(&mut self) -> Step<Value> {
        match self.skip_whitespace().ok_or(())? {
            b'n' => self.literal(b"null", Value::Null),
            b't' => self.literal(b"true", Value::Bool(true)),
            b'f' => self.literal(b"false", Value::Bool(false)),
            b'"' => self.string().map(Value::String),
            b'-' | b'0'..=b'9' => self.number(),
            b'[' => self.nested(Reader::array),
            b'{' => self.nested(Reader::object),
            _ => Err(()),
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Step<Value>) -> Step<Value> {
        if self.depth == MAX_DEPTH {
            self.too_deep = true;
            return Err(());
        }
        self.depth += 1;
        self.at += 1;
        let value = read(self)?;
        self.depth -= 1;
        Ok(value)
    }

    /// After the `[`.
    fn array(&mut self) -> Step<Value> {
        let mut values = Vec::new();
        if self.skip_whitespace() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(values));
        }
        loop {
            values.push(self.value()?);
            match self.skip_whitespace().ok_or(())? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Ok(Value::Array(values));
                }
                _ => return Err(()),
            }
        }
    }

    /// After the `{`.
    fn object(&mut self) -> Step<Value> {
        let mut fields = Vec::new();
        if self.skip_whitespace() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(Map(fields)));
        }
        loop {
            if self.skip_whitespace().ok_or(())? != b'"' {
                return Err(());
            }
            let key = self.string()?;
            self.skip_whitespace();
            self.expect(b':')?;
            fields.push((key, self.value()?));
            match self.skip_whitespace().ok_or(())? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Ok(Value::Object(Map(fields)));
                }
                _ => return Err(()),
            }
        }
    }

    /// At the opening quote.
    fn string(&mut self) -> Step<String> {
        self.at += 1;
        let mut bytes = Vec::new();
        loop {
            let byte = *self.text.get(self.at).ok_or(())?;
            match byte {
                b'"' => break,
                b'\\' => {
                    self.at += 1;
                    let escaped = match *self.text.get(self.at).ok_or(())? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(()),
                    };
                    let mut buffer = [0; 4];
                    bytes.extend_from_slice(escaped.encode_utf8(&mut buffer).as_bytes());
                }
                0..=0x1f => return Err(()),
                _ => bytes.push(byte),
            }
            self.at += 1;
        }
        let start = self.at;
        self.at += 1;
        // Invalid UTF-8 is reported where the string ends.
        String::from_utf8(bytes).map_err(|_| self.at = start)
    }

    /// At the `u` of `\uXXXX`; leaves `at` on the escape's last digit. A surrogate pair is one character; a lone
    /// surrogate is an error (it is no character).
    fn unicode_escape(&mut self) -> Step<char> {
        let first = self.hex4()?;
        let code = match first {
            0xd800..=0xdbff => {
                self.at += 1;
                self.expect(b'\\')?;
                if self.text.get(self.at) != Some(&b'u') {
                    return Err(());
                }
                let second = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&second) {
                    return Err(());
                }
                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
            }
            code => code,
        };
        char::from_u32(code).ok_or(())
    }

    /// The four hex digits after the `u` at `at`; leaves `at` on the last.
    fn hex4(&mut self) -> Step<u32> {
        let mut code = 0;
        for _ in 0..4 {
            self.at += 1;
            let digit = char::from(*self.text.get(self.at).ok_or(())?).to_digit(16).ok_or(())?;
            code = code * 16 + digit;
        }
        Ok(code)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Step<Value> {
        let start = self.at;
        if self.text.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        match self.text.get(self.at).ok_or(())? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits()?,
            _ => return Err(()),
        }
        if self.text.get(self.at) == Some(&b'.') {
            self.at += 1;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.text.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.text.get(self.at) {
                self.at += 1;
            }
            self.digits()?;
        }
        // ASCII by construction: each byte is its character.
        let text: String = self.text[start..self.at].iter().map(|&byte| char::from(byte)).collect();
        Ok(Value::Number(Number(text.into())))
    }

    /// One or more digits.
    fn digits(&mut self) -> Step<()> {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.text.get(self.at) {
            self.at += 1;
        }
        if self.at == start {
            Err(())
        } else {
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// serde, for the records' Rust and JavaScript forms (the headless entry, the simulator)
// ---------------------------------------------------------------------------------------------------------

impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => n.serialize(serializer),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(values) => serializer.collect_seq(values),
            Value::Object(map) => map.serialize(serializer),
        }
    }
}

impl serde::Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(n) = self.as_i64() {
            serializer.serialize_i64(n)
        } else if let Some(n) = self.as_u64() {
            serializer.serialize_u64(n)
        } else {
            // `as_f64`, not `f64::from_str`: the correctly rounding parser would add ~13 KiB (brotli) to the
            // headless entry for floats in records' server fields, which it reads within a few units in the last
            // place.
            serializer.serialize_f64(self.as_f64().unwrap_or_default())
        }
    }
}

impl serde::Serialize for Map {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        serde_json::Value::deserialize(deserializer).map(Value::from)
    }
}

impl<'de> serde::Deserialize<'de> for Map {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Map, D::Error> {
        let map = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        Ok(map.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
    }
}

impl From<serde_json::Value> for Value {
    fn from(value: serde_json::Value) -> Value {
        match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(Number(n.to_string().into_boxed_str())),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(values) => Value::Array(values.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Value, JsonError> {
        from_slice(text.as_bytes())
    }

    #[test]
    fn reads_what_serde_json_reads_and_writes_it_back_alike() {
        let samples = [
            r#"{"a":1,"b":[true,false,null],"c":{"d":"e"},"f":-0.5e-3,"g":"","h":[]}"#,
            r#"[1,2.5,"\"\\\/\b\f\n\r\t\u0001\u00e9\ud83d\ude00",{}]"#,
            "  {\"x\" :\n [ 1 , { \"y\" : [ ] } ] }  ",
            "\"ünïcödé ✓\"",
            "12345678901234567890123",
            "0",
        ];
        for text in samples {
            let ours = read(text).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            let again: serde_json::Value = serde_json::from_str(&ours.to_json()).unwrap();
            assert_eq!(again, theirs, "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_json() {
        let bad = [
            "",
            " ",
            "<html>",
            "{",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "{a:1}",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "tru",
            "nul",
            "\"abc",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\ud800\\u0041\"",
            "\"\u{1}\"",
            "1 2",
            "[]]",
            "\"\\u12g4\"",
        ];
        for text in bad {
            assert!(read(text).is_err(), "{text:?} was read");
            assert!(serde_json::from_str::<serde_json::Value>(text).is_err(), "serde_json reads {text:?}");
        }
        assert!(from_slice(b"\"\xff\"").is_err());
    }

    #[test]
    fn says_where_reading_stopped() {
        let error = |kind, line, column| JsonError { kind, line, column };
        assert_eq!(read("").unwrap_err(), error(JsonErrorKind::Eof, 1, 0));
        assert_eq!(read("<html>").unwrap_err(), error(JsonErrorKind::Syntax, 1, 1));
        assert_eq!(read("{\n  \"a\": x}").unwrap_err(), error(JsonErrorKind::Syntax, 2, 8));
        assert_eq!(read("[1,").unwrap_err().to_string(), "the text ends too early at line 1, column 3");
        assert_eq!(read("[1}").unwrap_err().to_string(), "invalid JSON at line 1, column 3");
    }

    #[test]
    fn refuses_nesting_deeper_than_the_limit() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(read(&deep(MAX_DEPTH as usize)).is_ok());
        let too_deep = read(&deep(MAX_DEPTH as usize + 1)).unwrap_err();
        assert_eq!((too_deep.kind, too_deep.column), (JsonErrorKind::TooDeep, MAX_DEPTH as usize + 1));
        assert_eq!(too_deep.to_string(), "JSON nested too deeply at line 1, column 129");
        assert_eq!(read(&"[".repeat(100_000)).unwrap_err().kind, JsonErrorKind::TooDeep);
    }

    #[test]
    fn keeps_an_objects_fields_in_order_and_reads_the_last_of_a_repeated_one() {
        let value = read(r#"{"z":1,"a":2,"z":3}"#).unwrap();
        assert_eq!(value.get("z"), Some(&Value::from(3)));
        assert_eq!(value.to_json(), r#"{"z":1,"a":2,"z":3}"#);
        let mut map = value.as_object().unwrap().clone();
        assert_eq!(map.insert("z".into(), Value::from(4)), Some(Value::from(3)));
        assert_eq!(Value::Object(map.clone()).to_json(), r#"{"z":1,"a":2,"z":4}"#);
        assert_eq!(map.remove("z"), Some(Value::from(4)));
        assert_eq!(Value::Object(map).to_json(), r#"{"a":2}"#);
    }

    #[test]
    fn numbers_keep_their_text_and_read_as_floats() {
        let number = |text: &str| match read(text).unwrap() {
            Value::Number(n) => n,
            other => panic!("{other:?}"),
        };
        assert_eq!(number("12345678901234567890").to_string(), "12345678901234567890");
        assert_eq!(number("1.10").as_str(), "1.10");
        assert_eq!(number("-0").as_f64().map(f64::to_bits), Some((-0.0_f64).to_bits()));
        for (text, value) in [
            ("0", 0.0),
            ("1700000000000", 1_700_000_000_000.0),
            ("66.5", 66.5),
            ("0.1", 0.1),
            ("-2.5e3", -2500.0),
            ("1E-2", 0.01),
            ("123456789012345.6", 123_456_789_012_345.6),
            ("9007199254740993", 9_007_199_254_740_992.0),
        ] {
            assert_eq!(number(text).as_f64(), Some(value), "{text}");
        }
        assert_eq!(number("1e400").as_f64(), Some(f64::INFINITY));
        assert_eq!(number("1e-400").as_f64(), Some(0.0));
        // Exponents far past any float, written or implied by many digits, saturate instead of wrapping.
        assert_eq!(number("1e99999999999999999999999").as_f64(), Some(f64::INFINITY));
        assert_eq!(number(&format!("0.{}1e250000", "0".repeat(200_000))).as_f64(), Some(f64::INFINITY));
        assert_eq!(number(&format!("1{}e-250000", "0".repeat(200_000))).as_f64(), Some(0.0));
        let far = number("12345678901234567890123e-5").as_f64().unwrap();
        assert!((far / 123_456_789_012_345_678.901_23 - 1.0).abs() < 1e-15);
        assert_eq!(number("42").as_i64(), Some(42));
        assert_eq!(number("4.2").as_i64(), None);
        assert_eq!(number("-1").as_u64(), None);
    }

    #[test]
    fn writes_strings_as_serde_json_does() {
        for text in ["plain", "quote \" backslash \\ slash /", "\u{0}\u{1f}\n\r\t\u{8}\u{c}\u{7f}", "ünï ✓ 😀"] {
            let ours = Value::from(text).to_json();
            assert_eq!(ours, serde_json::to_string(text).unwrap());
        }
    }
}
