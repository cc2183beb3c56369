//! Tolerant reading of Storware's JSON, shared by the operation modules.
//!
//! The server omits nulls, grows its records every release, sends enums as strings or objects and references
//! as objects or bare guids; 4.x servers send older shapes. The helpers here read all of that; each operation
//! module keeps its own record types next to the request that yields them.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::domain::{Origin, OriginType, Page, Ref};
use crate::error::{looks_like_html, ApiError};
use crate::http::HttpResponse;
use crate::json::{self, Map, Value};

/// Request bodies are built with the JSON module's [`object`](crate::json::object).
pub use crate::json::object;

/// A `NameAndGuid` reference: `{"guid": "…", "name": "…"}` (extra fields ignored) or a bare guid string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRef {
    pub guid: String,
    pub name: Option<String>,
}

impl From<WireRef> for Ref {
    fn from(r: WireRef) -> Ref {
        Ref { id: r.guid, name: r.name }
    }
}

impl<'de> Deserialize<'de> for WireRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RefVisitor;
        impl<'de> Visitor<'de> for RefVisitor {
            type Value = WireRef;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a reference: an object with `guid` or a guid string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireRef, E> {
                Ok(WireRef { guid: v.to_string(), name: None })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireRef, A::Error> {
                let (mut guid, mut name) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "guid" if guid.is_none() => guid = map.next_value::<Option<String>>()?,
                        "name" if name.is_none() => name = map.next_value::<Option<String>>()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let guid = guid.ok_or_else(|| de::Error::missing_field("guid"))?;
                Ok(WireRef { guid, name })
            }
        }
        d.deserialize_any(RefVisitor)
    }
}

// ---------------------------------------------------------------------------------------------------------
// Reading records
// ---------------------------------------------------------------------------------------------------------
//
// Records are read by hand from a parsed `Value` rather than through `#[derive(Deserialize)]` wire structs.
// In the npm package's wasm every derived `Deserialize` is a visitor monomorphised for the JSON deserializer
// (a map path, a positional sequence path, three field-name matchers and a wrapper type per
// `deserialize_with` field), 2–8 KB per record type; a [`Record`] reader is non-generic, so a record costs a
// few calls per field.

/// One JSON object the server sent, read field by field with the tolerant rules of this module: a field that is
/// absent, `null` or of an unexpected type reads as absent (`None`, empty), except where a method says otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a>(pub &'a Map);

impl<'a> Record<'a> {
    /// `value` as a record; arrays and scalars are refused (serde would read an array positionally into a
    /// struct: `["x"]` as a VM with guid `x`).
    pub fn new(value: &'a Value) -> Result<Self, String> {
        value.as_object().map(Record).ok_or_else(|| format!("expected a JSON object, found {}", type_name(value)))
    }

    /// A field's value; `None` when absent or `null`.
    pub fn get(self, key: &str) -> Option<&'a Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    /// A field that must be a string (the record's `guid`).
    pub fn required_string(self, key: &str) -> Result<String, String> {
        match self.0.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(format!("invalid type: {}, expected a string for `{key}`", type_name(other))),
            None => Err(format!("missing field `{key}`")),
        }
    }

    /// A string (a number reads as its text).
    pub fn string(self, key: &str) -> Option<String> {
        string_value(self.get(key)?)
    }

    /// A boolean from `true`/`false` or `"true"`/`"false"`.
    pub fn bool(self, key: &str) -> Option<bool> {
        bool_value(self.get(key)?)
    }

    /// An `i64` (epoch ms and the like) from a number or numeric string.
    pub fn i64(self, key: &str) -> Option<i64> {
        lenient_number(self.get(key)).filter(|n| *n >= i64::MIN as f64 && *n <= i64::MAX as f64).map(|n| n as i64)
    }

    /// A non-negative integer (sizes, counts) from a number or numeric string; negative values read as `None`.
    pub fn u64(self, key: &str) -> Option<u64> {
        lenient_number(self.get(key)).filter(|n| *n >= 0.0 && *n <= u64::MAX as f64).map(|n| n as u64)
    }

    /// A float (progress) from a number or numeric string.
    pub fn f64(self, key: &str) -> Option<f64> {
        lenient_number(self.get(key))
    }

    /// An enum's name from `"X"` or `{"name": "X", …}`.
    pub fn enum_name(self, key: &str) -> Option<&'a str> {
        enum_name_value(self.get(key)?)
    }

    /// A reference: `{"guid", "name"?}` or a bare guid.
    pub fn reference(self, key: &str) -> Option<Ref> {
        reference_value(self.get(key)?)
    }

    /// An origin entity `{guid?, name?, type}`.
    pub fn origin(self, key: &str) -> Option<Origin> {
        let record = Record::new(self.get(key)?).ok()?;
        let optional = |key| match record.0.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            Some(_) => None,
        };
        let kind = OriginType::from_name(record.enum_name("type")?);
        Some(Origin { kind, id: optional("guid")?, name: optional("name")? })
    }

    /// An object field; `None` when absent or not an object.
    pub fn object(self, key: &str) -> Option<Record<'a>> {
        Record::new(self.get(key)?).ok()
    }

    /// A list: absent or `null` reads as empty, but anything other than an array fails the record (as a serde
    /// `Vec` field does).
    pub fn list(self, key: &str) -> Result<&'a [Value], String> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(values)) => Ok(values),
            Some(other) => Err(format!("invalid type: {}, expected a sequence for `{key}`", type_name(other))),
        }
    }

    /// A list that may be anything: not an array reads as empty.
    pub fn lenient_list(self, key: &str) -> &'a [Value] {
        self.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
    }

    /// A list of references; entries that are not references are skipped.
    pub fn refs(self, key: &str) -> Result<Vec<Ref>, String> {
        Ok(self.list(key)?.iter().filter_map(reference_value).collect())
    }

    /// A list of strings; non-string entries are skipped.
    pub fn strings(self, key: &str) -> Result<Vec<String>, String> {
        Ok(self.list(key)?.iter().filter_map(Value::as_str).map(str::to_string).collect())
    }

    /// A list of enum names; unreadable entries are skipped.
    pub fn enum_names(self, key: &str) -> Result<Vec<&'a str>, String> {
        Ok(self.list(key)?.iter().filter_map(enum_name_value).collect())
    }

    /// Every field but `known`: what a record keeps as its server fields, sent back unchanged on save.
    pub fn other_fields(self, known: &[&str]) -> Map {
        self.0.iter().filter(|(key, _)| !known.contains(&key.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

/// What kind of JSON value `value` is, for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn string_value(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn bool_value(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// `"X"` or `{"name": "X", …}`.
fn enum_name_value(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        Value::Object(map) => map.get("name").and_then(Value::as_str),
        _ => None,
    }
}

/// A bare guid, or an object with a string `guid` and a string (or no) `name`.
fn reference_value(value: &Value) -> Option<Ref> {
    match value {
        Value::String(guid) => Some(Ref::id(guid.clone())),
        Value::Object(map) => {
            let guid = map.get("guid")?.as_str()?;
            let name = match map.get("name") {
                None | Some(Value::Null) => None,
                Some(Value::String(name)) => Some(name.clone()),
                Some(_) => return None,
            };
            Some(Ref { id: guid.to_string(), name })
        }
        _ => None,
    }
}

/// A number sent as a JSON number or a numeric string; `None` for null, absent or unreadable.
fn lenient_number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => number_text(s.trim()),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

/// The number a numeric string holds: an integer (`"42"`, `"+7"`), else JSON number text (`"66.5"`, `"1e3"`).
/// Read with the JSON reader rather than `f64::from_str` (see [`json::Number::as_f64`]); forms such as `".5"`
/// and `"5."` read as absent.
fn number_text(text: &str) -> Option<f64> {
    if let Ok(integer) = text.parse::<i64>() {
        return Some(integer as f64);
    }
    match json::from_slice(text.as_bytes()) {
        Ok(Value::Number(n)) => n.as_f64(),
        _ => None,
    }
}

/// Fails with the server's error unless the response is 2xx.
pub fn ensure_success(response: &HttpResponse) -> Result<(), ApiError> {
    if response.is_success() {
        Ok(())
    } else {
        Err(ApiError::from_response(response))
    }
}

/// Reads a 2xx JSON body as a `Value`; anything else becomes the matching [`ApiError`]. The one place the
/// server's JSON text is parsed: typed reading then happens on the `Value`.
pub fn parse_value(response: &HttpResponse, expected: &str) -> Result<Value, ApiError> {
    ensure_success(response)?;
    json::from_slice(&response.body).map_err(|e| ApiError::decode(expected, e.to_string(), response))
}

/// Reads a 2xx JSON **object** with `read`.
pub fn parse_record<T>(
    response: &HttpResponse,
    expected: &str,
    read: fn(Record) -> Result<T, String>,
) -> Result<T, ApiError> {
    let value = parse_value(response, expected)?;
    read_record(&value, read).map_err(|e| ApiError::decode(expected, e, response))
}

/// Reads one JSON object with `read` (arrays and scalars are refused, see [`Record::new`]).
pub fn read_record<T>(value: &Value, read: fn(Record) -> Result<T, String>) -> Result<T, String> {
    read(Record::new(value)?)
}

/// Reads a 2xx answer whose body does not matter (204 No Content, or a body some versions send). A 2xx web page
/// is still an error: the API address points at a web site that answers every path, and nothing was done.
pub fn parse_empty(response: &HttpResponse) -> Result<(), ApiError> {
    ensure_success(response)?;
    if looks_like_html(response) {
        return Err(ApiError::decode("a confirmation", "an HTML page", response));
    }
    Ok(())
}

/// Reads a list: a bare JSON array (Storware), or an envelope with `members`/`items` that some proxies add.
/// Each row (a JSON object) is read by `row`; a row that cannot be read fails the call with its index, rather
/// than silently disappearing. The total comes from `X-Total-Count` when present.
pub fn parse_list<T>(
    response: &HttpResponse,
    expected: &str,
    row: fn(Record) -> Result<T, String>,
) -> Result<Page<T>, ApiError> {
    let (body, total) = list_body(response, expected)?;
    let rows = body.as_array().map_or(&[][..], Vec::as_slice);
    let items = read_rows(rows, "row", row).map_err(|e| ApiError::decode(expected, e, response))?;
    Ok(Page { items, total })
}

/// The non-generic part of [`parse_list`] (in the wasm once, not once per row type): the rows as a JSON array,
/// and the total.
fn list_body(response: &HttpResponse, expected: &str) -> Result<(Value, Option<u64>), ApiError> {
    let rows = match parse_value(response, expected)? {
        rows @ Value::Array(_) => rows,
        Value::Object(mut map) => match map.remove("members").or_else(|| map.remove("items")) {
            Some(rows @ Value::Array(_)) => rows,
            _ => return Err(ApiError::decode(expected, "expected a JSON array", response)),
        },
        _ => return Err(ApiError::decode(expected, "expected a JSON array", response)),
    };
    let total = response.header("X-Total-Count").and_then(|v| v.trim().parse::<u64>().ok());
    Ok((rows, total))
}

/// Reads every row with `row`; the first that cannot be read fails them all, named `{what} {index}`.
pub fn read_rows<T>(rows: &[Value], what: &str, row: fn(Record) -> Result<T, String>) -> Result<Vec<T>, String> {
    let mut items = Vec::with_capacity(rows.len());
    for (index, value) in rows.iter().enumerate() {
        items.push(read_record(value, row).map_err(|e| format!("{what} {index}: {e}"))?);
    }
    Ok(items)
}

/// A list of strings for a request body.
pub fn strings(values: &[String]) -> Value {
    Value::Array(values.iter().map(|v| Value::from(v.as_str())).collect())
}

/// `{"name": "X"}`: how enums are written in requests (accepted by every server version).
pub fn name_only(name: &str) -> Value {
    object(vec![("name", Value::from(name))])
}

/// `{"guid": "…"}` plus `name` when known: how references are written in requests.
pub fn guid_ref(r: &Ref) -> Value {
    match &r.name {
        Some(name) => object(vec![("guid", Value::from(r.id.as_str())), ("name", Value::from(name.as_str()))]),
        None => object(vec![("guid", Value::from(r.id.as_str()))]),
    }
}

/// A list of references for a request body.
pub fn guid_refs(refs: &[Ref]) -> Value {
    Value::Array(refs.iter().map(guid_ref).collect())
}
