//! Reading request bodies the way the real server does: unknown fields ignored, enums as `"X"` or
//! `{"name": "X", …}`, references in all four forms (bare guid, `{guid}`, `{guid, name}`, a whole record), numbers
//! also as numeric strings, `null` the same as absent. What cannot be read is a 400 with a message naming the field.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};
use vmbackup_core::storware::wire::WireRef;

use crate::errors::ErrorReply;

/// Parses a request body as JSON.
pub fn parse_body(bytes: &[u8]) -> Result<Value, ErrorReply> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ErrorReply::bad_request("Required request body is missing"));
    }
    serde_json::from_slice(bytes).map_err(|e| ErrorReply::bad_request(format!("Malformed JSON request: {e}")))
}

/// Parses a body that must be a JSON object.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, ErrorReply> {
    match parse_body(bytes)? {
        Value::Object(m) => Ok(m),
        other => Err(ErrorReply::bad_request(format!("Expected a JSON object, got {}", kind_of(&other)))),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong(field: &str, expected: &str, got: &Value) -> ErrorReply {
    ErrorReply::bad_request(format!("Field '{field}': expected {expected}, got {}", kind_of(got)))
}

/// A field's value; `null` counts as absent.
pub fn field<'a>(m: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    m.get(name).filter(|v| !v.is_null())
}

/// Whether the body names the field at all (even as `null`): a PUT without it keeps the old value.
pub fn has(m: &Map<String, Value>, name: &str) -> bool {
    m.contains_key(name)
}

/// An integer from a number or a numeric string.
pub fn opt_i64(m: &Map<String, Value>, name: &str) -> Result<Option<i64>, ErrorReply> {
    let Some(v) = field(m, name) else { return Ok(None) };
    value_i64(v).map(Some).ok_or_else(|| wrong(name, "an integer", v))
}

/// An integer from a JSON value (number without fraction, or numeric string).
pub fn value_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => {
            n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9e15).map(|f| f as i64))
        }
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

/// A boolean from `true`/`false` or `"true"`/`"false"`.
pub fn opt_bool(m: &Map<String, Value>, name: &str) -> Result<Option<bool>, ErrorReply> {
    match field(m, name) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(v) => Err(wrong(name, "a boolean", v)),
    }
}

/// A string (numbers are accepted and written out).
pub fn opt_string(m: &Map<String, Value>, name: &str) -> Result<Option<String>, ErrorReply> {
    match field(m, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(v) => Err(wrong(name, "a string", v)),
    }
}

/// An enum name from `"X"` or `{"name": "X", …}`.
pub fn opt_enum(m: &Map<String, Value>, name: &str) -> Result<Option<String>, ErrorReply> {
    match field(m, name) {
        None => Ok(None),
        Some(v) => enum_value(v).map(Some).ok_or_else(|| wrong(name, "an enum name or {\"name\": …}", v)),
    }
}

/// An enum name from a JSON value.
pub fn enum_value(v: &Value) -> Option<String> {
    vmbackup_core::open_enum::read_name(v).ok()
}

/// A list of enum names.
pub fn enum_list(m: &Map<String, Value>, name: &str) -> Result<Vec<String>, ErrorReply> {
    match field(m, name) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| enum_value(v).ok_or_else(|| wrong(name, "a list of enum names", v)))
            .collect(),
        Some(v) => Err(wrong(name, "a list", v)),
    }
}

/// A reference's guid from any of the four forms.
pub fn ref_value(v: &Value) -> Option<String> {
    WireRef::deserialize(v).ok().map(|r| r.guid).filter(|g| !g.is_empty())
}

/// A reference field's guid.
pub fn opt_ref(m: &Map<String, Value>, name: &str) -> Result<Option<String>, ErrorReply> {
    match field(m, name) {
        None => Ok(None),
        Some(v) => ref_value(v).map(Some).ok_or_else(|| wrong(name, "a reference ({\"guid\": …} or a guid)", v)),
    }
}

/// A list of references' guids.
pub fn ref_list(m: &Map<String, Value>, name: &str) -> Result<Vec<String>, ErrorReply> {
    match field(m, name) {
        None => Ok(Vec::new()),
        Some(v) => value_ref_list(v).map_err(|_| wrong(name, "a list of references", v)),
    }
}

/// A value that should have been a list of references but is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("expected a list of references")]
pub struct NotAReferenceList;

/// A JSON array of references' guids.
pub fn value_ref_list(v: &Value) -> Result<Vec<String>, NotAReferenceList> {
    match v {
        Value::Array(items) => items
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| ref_value(v).ok_or(NotAReferenceList))
            .collect::<Result<Vec<_>, _>>(),
        _ => Err(NotAReferenceList),
    }
}

/// A 200 answer with a JSON body.
pub fn ok_json(value: &Value) -> Response {
    json_response(StatusCode::OK, value)
}

/// An answer with a JSON body.
pub fn json_response(status: StatusCode, value: &Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// 204 No Content.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn every_reference_form() {
        let m = obj(json!({"a": "g1", "b": {"guid": "g2"}, "c": {"guid": "g3", "name": "x"},
            "d": {"guid": "g4", "name": "x", "present": true, "hvManager": {"guid": "m"}}, "e": null}));
        assert_eq!(opt_ref(&m, "a"), Ok(Some("g1".into())));
        assert_eq!(opt_ref(&m, "b"), Ok(Some("g2".into())));
        assert_eq!(opt_ref(&m, "c"), Ok(Some("g3".into())));
        assert_eq!(opt_ref(&m, "d"), Ok(Some("g4".into())));
        assert_eq!(opt_ref(&m, "e"), Ok(None));
        assert!(opt_ref(&obj(json!({"a": 5})), "a").is_err());
    }

    #[test]
    fn both_enum_encodings_and_numeric_strings() {
        let m = obj(json!({"a": "FULL", "b": {"name": "FULL", "description": "Full"}, "p": "50", "q": 7, "r": "x"}));
        assert_eq!(opt_enum(&m, "a"), Ok(Some("FULL".into())));
        assert_eq!(opt_enum(&m, "b"), Ok(Some("FULL".into())));
        assert_eq!(opt_i64(&m, "p"), Ok(Some(50)));
        assert_eq!(opt_i64(&m, "q"), Ok(Some(7)));
        assert!(opt_i64(&m, "r").is_err());
    }

    #[test]
    fn bodies() {
        assert_eq!(parse_body(b"  ").map_err(|e| e.status), Err(StatusCode::BAD_REQUEST));
        assert!(parse_body(b"{").is_err());
        assert!(parse_object(b"[1]").is_err());
        assert!(parse_object(br#"{"x":1}"#).is_ok());
    }
}
