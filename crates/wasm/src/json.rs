//! Values across the JavaScript boundary: as JSON text, written with serde_json, read with the core's
//! [`vmbackup_core::json`] reader, and `JSON.parse`/`JSON.stringify`.
//!
//! JSON keeps the wasm small (serde_json is in the core anyway; serde-wasm-bindgen would add a second serialiser)
//! and gives JavaScript plain objects whose shape is the core's serde shape, as the `.d.ts` declares it.
//!
//! Results go out through serde (`Serialize`). Arguments come in as a [`Value`] and are read by hand
//! through [`FromJson`], not through derived `Deserialize`: each derived `Deserialize` is a visitor
//! monomorphised for the JSON deserializer (map and sequence paths, field-name matchers, internally tagged enums
//! buffered through serde's `Content`), several KB of wasm per type, and any typed deserialization pulls float
//! formatting into the wasm for its error messages. The readers follow the types' serde shapes exactly (the
//! same names, required and optional fields, defaults and closed enum names), which the native tests in
//! [`crate::input`] check against the derived `Deserialize` impls the types keep for Rust users.

use serde::Serialize;
use vmbackup_core::error::{ApiError, ErrorKind};
use vmbackup_core::json::{self, Map, Value};
use wasm_bindgen::prelude::*;

use crate::error::VmbackupError;

/// A Rust value as a plain JavaScript value (object, array, string, number, boolean or null).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, VmbackupError> {
    // Cannot fail for the package's types (string keys, no foreign serialisers); said without the error's text,
    // whose messages would otherwise be in the wasm.
    let text = serde_json::to_string(value).map_err(|_| internal("A result could not be encoded as JSON."))?;
    parse_json(&text)
}

/// `JSON.parse` of a text this package wrote (non-generic, so it is in the wasm once).
fn parse_json(text: &str) -> Result<JsValue, VmbackupError> {
    js_sys::JSON::parse(text).map_err(|_| internal("A result could not be decoded as JSON."))
}

/// A JavaScript value (`what` names it in messages, e.g. `options`) read as `T`.
///
/// `undefined` reads as `null`, so that an omitted optional argument reads as `None`.
pub fn from_js<T: FromJson>(value: &JsValue, what: &str) -> Result<T, VmbackupError> {
    T::from_json(&json_value(value, what)?, &At::root(what))
}

/// A JavaScript value as a JSON `Value` (non-generic).
pub fn json_value(value: &JsValue, what: &str) -> Result<Value, VmbackupError> {
    let text = json_text(value, what)?;
    // From bytes, as the core reads server answers: the JSON reader is in the wasm once.
    json::from_slice(text.as_bytes())
        .map_err(|e| VmbackupError::usage_of(what, format!("{what} is not JSON data: {e}")))
}

/// The JSON text of a JavaScript value (`null` for `undefined` and functions).
pub fn json_text(value: &JsValue, what: &str) -> Result<String, VmbackupError> {
    if value.is_undefined() {
        return Ok("null".to_string());
    }
    let text = js_sys::JSON::stringify(value).map_err(|e| {
        let reason = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
        VmbackupError::usage_of(what, format!("{what} cannot be read as JSON (a BigInt or a cycle?): {reason}"))
    })?;
    Ok(text.as_string().unwrap_or_else(|| "null".to_string()))
}

/// A required string argument.
pub fn string_arg(value: &JsValue, name: &str) -> Result<String, VmbackupError> {
    value.as_string().ok_or_else(|| VmbackupError::usage_of(name, format!("{name} must be a string")))
}

/// A list of strings (ids).
pub fn strings_arg(value: &JsValue, name: &str) -> Result<Vec<String>, VmbackupError> {
    from_js::<Vec<String>>(value, name)
}

/// A whole number argument (epoch milliseconds, counts): finite, integral and exactly representable.
pub fn integer_arg(value: f64, name: &str) -> Result<i64, VmbackupError> {
    // Beyond 2^53 a JavaScript number no longer holds every integer.
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if value.is_finite() && value.fract() == 0.0 && value.abs() <= MAX_SAFE {
        Ok(value as i64)
    } else {
        // No `{value}`: formatting an f64 would pull float printing (~13 KB) into the wasm.
        Err(VmbackupError::usage_of(name, format!("{name} must be a whole number of safe size")))
    }
}

/// An error that only a bug in this package can cause.
fn internal(message: &str) -> VmbackupError {
    ApiError::new(ErrorKind::Decode, message).into()
}

// ---------------------------------------------------------------------------------------------------------
// Reading arguments
// ---------------------------------------------------------------------------------------------------------

/// Where in an argument a value is: the argument's name (the error's `field`) and the path inside it, for
/// messages (`schedule.timing.startMs`, `vms[2]`).
#[derive(Debug, Clone)]
pub struct At<'a> {
    arg: &'a str,
    path: String,
}

impl<'a> At<'a> {
    /// The argument itself.
    pub fn root(arg: &'a str) -> Self {
        At { arg, path: arg.to_string() }
    }

    /// A field of the value here.
    pub fn key(&self, key: &str) -> At<'a> {
        At { arg: self.arg, path: format!("{}.{key}", self.path) }
    }

    /// An element of the list here.
    pub fn index(&self, index: usize) -> At<'a> {
        At { arg: self.arg, path: format!("{}[{index}]", self.path) }
    }

    /// A usage error about the value here.
    pub fn error(&self, message: &str) -> VmbackupError {
        VmbackupError::usage_of(self.arg, format!("{}: {message}", self.path))
    }

    /// The value here is not of the expected kind.
    pub fn expected(&self, what: &str, found: &Value) -> VmbackupError {
        self.error(&format!("expected {what}, found {}", vmbackup_core::storware::wire::type_name(found)))
    }
}

/// A type read from a JSON value the way its `Deserialize` would read it.
pub trait FromJson: Sized {
    /// Reads `value` (found at `at`).
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError>;

    /// The value of a field left out of an object: an error, except for `Option` (`None`).
    fn missing(at: &At) -> Result<Self, VmbackupError> {
        Err(at.error("required but left out"))
    }
}

/// The fields of a JSON object.
pub struct Fields<'v, 'a> {
    map: &'v Map,
    at: &'v At<'a>,
}

impl<'v, 'a> Fields<'v, 'a> {
    /// `value` as an object.
    pub fn of(value: &'v Value, at: &'v At<'a>) -> Result<Self, VmbackupError> {
        match value {
            Value::Object(map) => Ok(Fields { map, at }),
            other => Err(at.expected("an object", other)),
        }
    }

    /// Fails on a field not in `known` (options: a typo must not pass silently).
    pub fn only(&self, known: &[&str]) -> Result<&Self, VmbackupError> {
        match self.map.iter().map(|(key, _)| key).find(|key| !known.contains(&key.as_str())) {
            Some(key) => Err(self.at.error(&format!("unknown field `{key}`, expected one of {}", known.join(", ")))),
            None => Ok(self),
        }
    }

    /// A field: required unless `T` is an `Option`.
    pub fn get<T: FromJson>(&self, key: &str) -> Result<T, VmbackupError> {
        let at = self.at.key(key);
        match self.map.get(key) {
            Some(value) => T::from_json(value, &at),
            None => T::missing(&at),
        }
    }

    /// A field that takes `default` when left out.
    pub fn or<T: FromJson>(&self, key: &str, default: T) -> Result<T, VmbackupError> {
        match self.map.get(key) {
            Some(value) => T::from_json(value, &self.at.key(key)),
            None => Ok(default),
        }
    }

    /// The string field `tag` of an internally tagged enum.
    pub fn tag(&self, tag: &str) -> Result<String, VmbackupError> {
        self.get(tag)
    }

    /// The error for an unknown tag value.
    pub fn unknown_tag(&self, tag: &str, value: &str, known: &[&str]) -> VmbackupError {
        self.at.key(tag).error(&format!("unknown value \"{value}\", expected one of {}", known.join(", ")))
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        match value {
            Value::Null => Ok(None),
            value => T::from_json(value, at).map(Some),
        }
    }

    fn missing(_: &At) -> Result<Self, VmbackupError> {
        Ok(None)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let values = value.as_array().ok_or_else(|| at.expected("a list", value))?;
        values.iter().enumerate().map(|(index, value)| T::from_json(value, &at.index(index))).collect()
    }
}

impl FromJson for String {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        value.as_str().map(str::to_string).ok_or_else(|| at.expected("a string", value))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        value.as_bool().ok_or_else(|| at.expected("a boolean", value))
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        // A number past f64's range (`1e400`) is refused, as serde refuses it.
        value.as_f64().filter(|n| n.is_finite()).ok_or_else(|| at.expected("a number", value))
    }
}

/// A whole number from 0 to `max` (as serde reads integers: `1.0` is refused, as `1.5` is).
fn unsigned(value: &Value, at: &At, max: u64) -> Result<u64, VmbackupError> {
    value.as_u64().filter(|n| *n <= max).ok_or_else(|| at.error(&format!("expected a whole number from 0 to {max}")))
}

/// A whole number from `min` to `max`.
fn signed(value: &Value, at: &At, min: i64, max: i64) -> Result<i64, VmbackupError> {
    value
        .as_i64()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| at.error(&format!("expected a whole number from {min} to {max}")))
}

macro_rules! integers {
    ($read:ident: $($ty:ty),+) => {$(
        impl FromJson for $ty {
            fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
                // Within the type's range by the check, so `as` cannot truncate.
                $read(value, at, <$ty>::MIN as _, <$ty>::MAX as _).map(|n| n as $ty)
            }
        }
    )+};
}

fn unsigned_in(value: &Value, at: &At, _min: u64, max: u64) -> Result<u64, VmbackupError> {
    unsigned(value, at, max)
}

integers!(unsigned_in: u8, u32, u64);
integers!(signed: i32, i64);

impl FromJson for Map {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        value.as_object().cloned().ok_or_else(|| at.expected("an object", value))
    }
}

impl FromJson for Value {
    fn from_json(value: &Value, _: &At) -> Result<Self, VmbackupError> {
        Ok(value.clone())
    }
}

/// An enum's name, as `"X"` or `{"name": "X", …}` (the core's `open_enum::read_name`).
pub fn enum_name<'v>(value: &'v Value, at: &At) -> Result<&'v str, VmbackupError> {
    match value {
        Value::String(name) => Ok(name),
        Value::Object(map) => match map.get("name") {
            Some(Value::String(name)) => Ok(name),
            Some(other) => Err(at.key("name").expected("a string", other)),
            None => Err(at.error("an enum object needs its `name`")),
        },
        other => Err(at.expected("a name", other)),
    }
}

/// An unknown name of a closed enum.
pub fn unknown_name(name: &str, at: &At, known: &[&str]) -> VmbackupError {
    at.error(&format!("unknown value \"{name}\", expected one of {}", known.join(", ")))
}
