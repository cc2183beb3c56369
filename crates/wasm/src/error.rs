//! Errors as JavaScript sees them: an `Error` named `VmbackupError` carrying the core's error fields.

use js_sys::JsString;
use serde::Serialize;
use vmbackup_core::error::{ApiError, ErrorKind, FieldError};
use vmbackup_core::typescript_declaration;
use wasm_bindgen::prelude::*;

/// The `name` every error this package throws or rejects with carries.
pub const ERROR_NAME: &str = "VmbackupError";

/// What the package reports to JavaScript: an error of the backup API (or of validation), or a call made with
/// arguments of the wrong shape (`kind: "usage"`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VmbackupError {
    /// An error of the core or the client (server answers, network, validation, session).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The caller passed something the package cannot use: a missing option, a value of the wrong type, an
    /// unknown enum name. A programming error on the caller's side, not something to show an end user.
    #[error("{message}")]
    Usage {
        /// What is wrong and what was expected.
        message: String,
        /// The argument or option at fault, when one is.
        field: Option<String>,
    },
}

impl VmbackupError {
    /// A usage error about no particular argument.
    pub fn usage(message: impl Into<String>) -> Self {
        VmbackupError::Usage { message: message.into(), field: None }
    }

    /// A usage error about the argument or option `field`.
    pub fn usage_of(field: impl Into<String>, message: impl Into<String>) -> Self {
        VmbackupError::Usage { message: message.into(), field: Some(field.into()) }
    }

    /// The JavaScript `Error` for it.
    pub fn into_js(self) -> JsValue {
        let payload = self.payload();
        let error = js_sys::Error::new(payload.message);
        error.set_name(ERROR_NAME);
        // One JSON text and one `Object.assign` instead of a property set per field: fewer imports, less glue.
        let fields = serde_json::to_string(&payload).ok().and_then(|text| js_sys::JSON::parse(&text).ok());
        if let Some(object) = fields.and_then(|f| f.dyn_into::<js_sys::Object>().ok()) {
            js_sys::Object::assign(&error, &object);
        }
        error.into()
    }

    fn payload(&self) -> ErrorPayload<'_> {
        match self {
            VmbackupError::Api(e) => ErrorPayload {
                kind: PayloadKind(Some(e.kind)),
                status: e.status,
                message: &e.message,
                field: e.field.as_deref(),
                fields: &e.fields,
                detail: e.detail.as_deref(),
            },
            VmbackupError::Usage { message, field } => ErrorPayload {
                kind: PayloadKind(None),
                status: None,
                message,
                field: field.as_deref(),
                fields: &[],
                detail: None,
            },
        }
    }
}

/// The own properties a `VmbackupError` gets (its `name` is set apart).
#[derive(Serialize)]
struct ErrorPayload<'a> {
    kind: PayloadKind,
    status: Option<u16>,
    message: &'a str,
    field: Option<&'a str>,
    fields: &'a [FieldError],
    detail: Option<&'a str>,
}

/// An error's `kind`: the core's own serialisation of [`ErrorKind`] (so the two never differ), or `"usage"`.
struct PayloadKind(Option<ErrorKind>);

impl Serialize for PayloadKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(kind) => kind.serialize(serializer),
            None => serializer.serialize_str("usage"),
        }
    }
}

impl From<VmbackupError> for JsValue {
    fn from(error: VmbackupError) -> JsValue {
        error.into_js()
    }
}

/// Whether `value` is an error this package threw or rejected with (by its `name`, so that errors from another
/// realm, such as an iframe, count too).
#[wasm_bindgen(js_name = isVmbackupError, unchecked_return_type = "value is VmbackupError")]
pub fn is_vmbackup_error(#[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue) -> bool {
    if !value.is_object() {
        return false;
    }
    js_sys::Reflect::get(&value, &JsString::from("name"))
        .ok()
        .and_then(|name| name.as_string())
        .is_some_and(|name| name == ERROR_NAME)
}

/// TypeScript declarations of the error types. Hand-written because `ApiError`, `ErrorKind` and `FieldError` live
/// in the core's error module, which does not derive declarations; a test checks the lists against the core's
/// serialisation.
pub const ERROR_DECLARATIONS: &str = r#"/** What went wrong, in terms of what the user can do about it; "usage" is a wrong call to this package. */
export type ErrorKind = "unauthorized" | "forbidden" | "notFound" | "validation" | "conflict" | "server" | "network" | "timeout" | "decode" | "unconfirmed" | "usage";

/** Stable codes of field-level validation messages, for a message catalog. */
export type ValidationCode = "required" | "tooLong" | "outOfRange" | "endNotAfterStart" | "notTimeOfDay" | "empty" | "notPositive" | "unknownTimeZone" | "server";

/** A field-level validation message. */
export interface FieldError {
    /** The input's name as in the request body (`priority`, `hour`, `daysOfWeek`, `rules[0].name`). */
    field: string;
    code: ValidationCode;
    /** An English message for logs and callers without a catalog. */
    message: string;
}

/** Every error this package throws or rejects with. Check with `isVmbackupError(e)`. */
export interface VmbackupError extends Error {
    name: "VmbackupError";
    kind: ErrorKind;
    /** HTTP status, when a response arrived. */
    status: number | null;
    /** What to show the user. */
    message: string;
    /** The input the error is about, when known. */
    field: string | null;
    /** Every field-level error (validation may find several at once). */
    fields: FieldError[];
    /** Technical detail for a folded "details" section. */
    detail: string | null;
}"#;

typescript_declaration!(ERROR_DECLARATIONS);
