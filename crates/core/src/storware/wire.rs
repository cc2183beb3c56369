//! Tolerant reading of Storware's JSON, shared by the operation modules.
//!
//! The server omits nulls, grows its records every release, sends enums as strings or objects and references
//! as objects or bare guids; 4.x servers send older shapes. The helpers here read all of that; each operation
//! module keeps its own record types next to the request that yields them.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::domain::{Origin, OriginType, Page, Ref};
use crate::error::{looks_like_html, ApiError};
use crate::http::HttpResponse;

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

/// A reference whose object form may lack a `guid` (origin entities of system schedules); read leniently.
pub fn opt_ref<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Ref>, D::Error> {
    let value = Option::<Value>::deserialize(d)?;
    Ok(value.and_then(|v| WireRef::deserialize(v).ok()).map(Ref::from))
}

/// A list of references; entries that are not references are skipped (a `null` in a list is not a reason to
/// lose the record).
pub fn ref_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Ref>, D::Error> {
    let values = Option::<Vec<Value>>::deserialize(d)?.unwrap_or_default();
    Ok(values.into_iter().filter_map(|v| WireRef::deserialize(v).ok()).map(Ref::from).collect())
}

/// An origin entity `{guid?, name?, type}`.
#[derive(Debug, Clone, Deserialize)]
pub struct WireOrigin {
    #[serde(default)]
    pub guid: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: OriginType,
}

impl From<WireOrigin> for Origin {
    fn from(o: WireOrigin) -> Origin {
        Origin { kind: o.kind, id: o.guid, name: o.name }
    }
}

/// An origin entity, or `None` when absent or unreadable.
pub fn opt_origin<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Origin>, D::Error> {
    let value = Option::<Value>::deserialize(d)?;
    Ok(value.and_then(|v| WireOrigin::deserialize(v).ok()).map(Origin::from))
}

/// An enum's name from `"X"` or `{"name": "X", …}`, as a plain string; `None` when absent or unreadable.
pub fn opt_enum_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Option::<Value>::deserialize(d)?;
    Ok(value.and_then(|v| match v {
        Value::String(s) => Some(s),
        Value::Object(map) => map.get("name").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }))
}

/// An open enum value, or `None` when absent or unreadable (a future encoding must not lose the record).
pub fn opt_enum<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = Option::<Value>::deserialize(d)?;
    Ok(value.and_then(|v| T::deserialize(v).ok()))
}

/// A list of enum values; unreadable entries are skipped.
pub fn enum_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let values = Option::<Vec<Value>>::deserialize(d)?.unwrap_or_default();
    Ok(values.into_iter().filter_map(|v| T::deserialize(v).ok()).collect())
}

/// A number sent as a JSON number or a numeric string; `None` for null, absent or unreadable.
fn lenient_number(value: Option<Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

/// An `i64` (epoch ms and the like) from a number or numeric string.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let n = lenient_number(Option::<Value>::deserialize(d)?);
    Ok(n.filter(|n| *n >= i64::MIN as f64 && *n <= i64::MAX as f64).map(|n| n as i64))
}

/// A non-negative integer (sizes, counts) from a number or numeric string; negative values read as `None`.
pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let n = lenient_number(Option::<Value>::deserialize(d)?);
    Ok(n.filter(|n| *n >= 0.0 && *n <= u64::MAX as f64).map(|n| n as u64))
}

/// A float (progress) from a number or numeric string.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(lenient_number(Option::<Value>::deserialize(d)?))
}

/// A boolean from `true`/`false` or `"true"`/`"false"`; `None` otherwise.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Bool(b)) => Some(b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}

/// A string, or `None` for null, absent or a non-string.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// A list of strings; non-string entries are skipped.
pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let values = Option::<Vec<Value>>::deserialize(d)?.unwrap_or_default();
    Ok(values.into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
}

/// Fails with the server's error unless the response is 2xx.
pub fn ensure_success(response: &HttpResponse) -> Result<(), ApiError> {
    if response.is_success() {
        Ok(())
    } else {
        Err(ApiError::from_response(response))
    }
}

/// Reads a 2xx JSON body as `T`; anything else becomes the matching [`ApiError`].
pub fn parse_json<T: serde::de::DeserializeOwned>(response: &HttpResponse, expected: &str) -> Result<T, ApiError> {
    ensure_success(response)?;
    serde_json::from_slice(&response.body).map_err(|e| ApiError::decode(expected, e, response))
}

/// Reads a 2xx JSON **object** as the record `T`. Use this rather than [`parse_json`] for records: serde would
/// otherwise read a JSON array positionally into a struct (`["x"]` as a VM with guid `x`).
pub fn parse_record<T: serde::de::DeserializeOwned>(response: &HttpResponse, expected: &str) -> Result<T, ApiError> {
    let value: Value = parse_json(response, expected)?;
    record_from_value(value).map_err(|e| ApiError::decode(expected, e, response))
}

/// Reads one JSON object as the record `T` (arrays and scalars are refused, see [`parse_record`]).
pub fn record_from_value<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, String> {
    if !value.is_object() {
        return Err("expected a JSON object".to_string());
    }
    T::deserialize(value).map_err(|e| e.to_string())
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
/// Each row is read by `row`; a row that cannot be read fails the call with its index, rather than silently
/// disappearing. The total comes from `X-Total-Count` when present.
pub fn parse_list<W, T>(response: &HttpResponse, expected: &str, row: impl Fn(W) -> T) -> Result<Page<T>, ApiError>
where
    W: serde::de::DeserializeOwned,
{
    let body: Value = parse_json(response, expected)?;
    let rows = match body {
        Value::Array(rows) => rows,
        Value::Object(mut map) => match map.remove("members").or_else(|| map.remove("items")) {
            Some(Value::Array(rows)) => rows,
            _ => return Err(ApiError::decode(expected, "expected a JSON array", response)),
        },
        _ => return Err(ApiError::decode(expected, "expected a JSON array", response)),
    };
    let mut items = Vec::with_capacity(rows.len());
    for (index, value) in rows.into_iter().enumerate() {
        let wire =
            W::deserialize(value).map_err(|e| ApiError::decode(expected, format!("row {index}: {e}"), response))?;
        items.push(row(wire));
    }
    let total = response.header("X-Total-Count").and_then(|v| v.trim().parse::<u64>().ok());
    Ok(Page { items, total })
}

/// `{"name": "X"}`: how enums are written in requests (accepted by every server version).
pub fn name_only(name: &str) -> Value {
    json!({ "name": name })
}

/// `{"guid": "…"}` plus `name` when known: how references are written in requests.
pub fn guid_ref(r: &Ref) -> Value {
    match &r.name {
        Some(name) => json!({ "guid": r.id, "name": name }),
        None => json!({ "guid": r.id }),
    }
}

/// A list of references for a request body.
pub fn guid_refs(refs: &[Ref]) -> Value {
    Value::Array(refs.iter().map(guid_ref).collect())
}
