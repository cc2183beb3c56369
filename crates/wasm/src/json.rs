//! Values across the JavaScript boundary: as JSON text, read with serde_json and `JSON.parse`/`JSON.stringify`.
//!
//! JSON keeps the wasm small (serde_json is in the core anyway; serde-wasm-bindgen would add a second serialiser)
//! and gives JavaScript plain objects whose shape is the core's serde shape, as the `.d.ts` declares it.

use serde::de::DeserializeOwned;
use serde::Serialize;
use vmbackup_core::error::{ApiError, ErrorKind};
use wasm_bindgen::prelude::*;

use crate::error::VmbackupError;

/// A Rust value as a plain JavaScript value (object, array, string, number, boolean or null).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, VmbackupError> {
    let text = serde_json::to_string(value).map_err(|e| internal(format!("A result could not be encoded: {e}")))?;
    parse_json(&text)
}

/// `JSON.parse` of a text this package wrote (non-generic, so it is in the wasm once).
fn parse_json(text: &str) -> Result<JsValue, VmbackupError> {
    js_sys::JSON::parse(text).map_err(|_| internal("A result could not be decoded as JSON.".to_string()))
}

/// A JavaScript value (`what` names it in messages, e.g. `the options of listVms`) read as `T`.
///
/// `undefined` reads as `null`, so that an omitted optional argument reads as `None` or as a struct with
/// every field left out.
pub fn from_js<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, VmbackupError> {
    // Through a `Value` read from bytes: the core reads server answers the same way, so the JSON reader is in
    // the wasm once and each type's `Deserialize` only for `Value` (positions would mean nothing here anyway).
    T::deserialize(json_value(value, what)?).map_err(|e| VmbackupError::usage_of(what, format!("{what}: {e}")))
}

/// A JavaScript value as a JSON `Value` (non-generic).
fn json_value(value: &JsValue, what: &str) -> Result<serde_json::Value, VmbackupError> {
    let text = json_text(value, what)?;
    serde_json::from_slice(text.as_bytes())
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
fn internal(message: String) -> VmbackupError {
    ApiError::new(ErrorKind::Decode, message).into()
}
