//! The one error type every operation returns, with kinds a user (and a widget) can act on.

use serde::{Deserialize, Serialize};

use crate::http::HttpResponse;
use crate::json::{self, Value};
use crate::substring::find_bytes;

/// What went wrong, in terms of what the user can do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The session is missing or has expired: log in again.
    Unauthorized,
    /// The user lacks a permission: ask the backup administrator.
    Forbidden,
    /// The object is gone (deleted, purged, or never visible to this user).
    NotFound,
    /// The request was rejected as invalid; `field` names the input when known.
    Validation,
    /// The request clashes with the current state (duplicate name, task already finished).
    Conflict,
    /// The server (or a proxy in front of it) failed.
    Server,
    /// The server could not be reached.
    Network,
    /// No answer in time.
    Timeout,
    /// An answer arrived but could not be read (not JSON, an HTML page, an unexpected shape).
    Decode,
    /// A submission got no answer and nothing it would have created was found: it may or may not have reached
    /// the server. Check the task list before submitting again.
    Unconfirmed,
}

impl ErrorKind {
    /// The kind's name as it is serialised (`notFound`, `server`, …), for callers that send it without serde.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "notFound",
            ErrorKind::Validation => "validation",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Server => "server",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Decode => "decode",
            ErrorKind::Unconfirmed => "unconfirmed",
        }
    }
}

/// A field-level validation message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    /// The input's name, as in the request body (`priority`, `hour`, `daysOfWeek`, `rules[0].name`).
    pub field: String,
    /// A stable code a message catalog can translate.
    pub code: ValidationCode,
    /// An English message for logs and callers without a catalog.
    pub message: String,
}

impl FieldError {
    /// A field error with its code and English message.
    pub fn new(field: impl Into<String>, code: ValidationCode, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code, message: message.into() }
    }
}

/// Stable codes for validation failures, so that widgets can show them in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ValidationCode {
    /// A required value is missing or blank.
    Required,
    /// A text is longer than allowed.
    TooLong,
    /// A number is outside its allowed range.
    OutOfRange,
    /// An end lies at or before its start.
    EndNotAfterStart,
    /// A time of day lies outside 00:00–24:00.
    NotTimeOfDay,
    /// A list that needs at least one entry is empty.
    Empty,
    /// A number that must be positive is not.
    NotPositive,
    /// A time-zone name is unknown.
    UnknownTimeZone,
    /// The server rejected the value (message from the server).
    Server,
}

/// The error of any operation.
///
/// `message` is what to show the user; `detail` holds technical context (a proxy page's title, the decode
/// failure) to fold below it.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct ApiError {
    pub kind: ErrorKind,
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    pub message: String,
    /// The input the error is about, when the server or validation names one.
    pub field: Option<String>,
    /// Every field-level error (validation may find several at once).
    #[serde(default)]
    pub fields: Vec<FieldError>,
    /// Technical detail for a folded "details" section.
    pub detail: Option<String>,
}

/// Longest server text kept in a message; error pages can be huge.
const MAX_MESSAGE_CHARS: usize = 500;

impl ApiError {
    /// An error of `kind` with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ApiError { kind, status: None, message: message.into(), field: None, fields: Vec::new(), detail: None }
    }

    /// A validation error made of field errors (the first one gives the message and field).
    pub fn validation(fields: Vec<FieldError>) -> Self {
        let (message, field) = match fields.first() {
            Some(f) => (f.message.clone(), Some(f.field.clone())),
            None => ("The input is not valid.".to_string(), None),
        };
        ApiError { kind: ErrorKind::Validation, status: None, message, field, fields, detail: None }
    }

    /// A 2xx answer whose body could not be read as `expected`.
    pub fn decode(expected: &str, cause: impl std::fmt::Display, response: &HttpResponse) -> Self {
        if looks_like_html(response) {
            let mut e = ApiError::new(
                ErrorKind::Decode,
                format!(
                    "The server answered with a web page instead of data (HTTP {}). The API address may point at \
                     a web site rather than the backup server's API, or a proxy answered in its place.",
                    response.status
                ),
            );
            e.status = Some(response.status);
            e.detail = html_title(&response.body).map(|t| format!("Page title: {t}"));
            return e;
        }
        let mut e = ApiError::new(ErrorKind::Decode, format!("The server's answer could not be read as {expected}."));
        e.status = Some(response.status);
        e.detail = Some(truncate(&cause.to_string()));
        e
    }

    /// Adds detail text.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The error for a non-2xx response: kind from the status, message from the body when it has one.
    ///
    /// ```
    /// # use vmbackup_core::{ApiError, ErrorKind, http::HttpResponse};
    /// let resp = HttpResponse::new(404, br#"{"status":404,"error":"Not Found","message":"No VM abc"}"#.to_vec());
    /// let e = ApiError::from_response(&resp);
    /// assert_eq!(e.kind, ErrorKind::NotFound);
    /// assert_eq!(e.message, "No VM abc");
    /// ```
    pub fn from_response(response: &HttpResponse) -> Self {
        let status = response.status;
        let kind = kind_for_status(status);
        let mut error = if looks_like_html(response) {
            let mut e = ApiError::new(
                kind,
                format!(
                    "The server answered HTTP {status} with a web page instead of an API error. A proxy or \
                     gateway in front of the backup server may be failing, or the API address may be wrong."
                ),
            );
            e.detail = html_title(&response.body).map(|t| format!("Page title: {t}"));
            e
        } else if let Ok(body) = json::from_slice(&response.body) {
            let mut e = ApiError::new(kind, server_message(&body).unwrap_or_else(|| default_message(status)));
            e.field = server_field(&body);
            e
        } else {
            let text = lossy_text(&response.body);
            let text = text.trim();
            if text.is_empty() {
                ApiError::new(kind, default_message(status))
            } else {
                ApiError::new(kind, truncate(text))
            }
        };
        error.status = Some(status);
        if let (ErrorKind::Validation, Some(field)) = (error.kind, error.field.clone()) {
            error.fields.push(FieldError::new(field, ValidationCode::Server, error.message.clone()));
        }
        error
    }
}

/// Maps a status to the kind a user can act on.
pub fn kind_for_status(status: u16) -> ErrorKind {
    match status {
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 | 410 => ErrorKind::NotFound,
        400 | 422 => ErrorKind::Validation,
        409 | 412 => ErrorKind::Conflict,
        408 | 504 => ErrorKind::Timeout,
        _ => ErrorKind::Server,
    }
}

fn default_message(status: u16) -> String {
    match status {
        401 => "Your session has expired or you are not logged in. Log in again.".into(),
        403 => "You do not have permission to do this. Ask your backup administrator.".into(),
        404 | 410 => "The requested item was not found. It may have been deleted.".into(),
        400 | 422 => "The server rejected the request as invalid.".into(),
        409 | 412 => "The request conflicts with the current state. Refresh and try again.".into(),
        408 | 504 => "The server did not answer in time. Try again.".into(),
        502 | 503 => format!("The backup server is unavailable (HTTP {status}). Try again later."),
        _ => format!("The server answered with an error (HTTP {status})."),
    }
}

/// The message in an error body: `error.message`, `message`, `error.description` (ZStack), `error` (a string),
/// `errors[0].defaultMessage|message` (Spring validation).
fn server_message(body: &Value) -> Option<String> {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(truncate);
    let error = body.get("error");
    text(error.and_then(|e| e.get("message")))
        .or_else(|| text(body.get("message")))
        .or_else(|| text(error.and_then(|e| e.get("details"))))
        .or_else(|| text(error.and_then(|e| e.get("description"))))
        .or_else(|| {
            first_error_entry(body).and_then(|e| text(e.get("defaultMessage")).or_else(|| text(e.get("message"))))
        })
        .or_else(|| text(body.get("errorMessage")))
        .or_else(|| text(error))
}

fn first_error_entry(body: &Value) -> Option<&Value> {
    body.get("errors").or_else(|| body.get("fieldErrors")).and_then(Value::as_array).and_then(|a| a.first())
}

fn server_field(body: &Value) -> Option<String> {
    let field = |v: Option<&Value>| v.and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    field(body.get("field"))
        .or_else(|| field(body.get("error").and_then(|e| e.get("field"))))
        .or_else(|| field(first_error_entry(body).and_then(|e| e.get("field"))))
}

/// Whether a body is an HTML page (by content type or by its first characters).
pub fn looks_like_html(response: &HttpResponse) -> bool {
    if response
        .header("content-type")
        .is_some_and(|ct| find_bytes(&ct.as_bytes().to_ascii_lowercase(), b"html").is_some())
    {
        return true;
    }
    let start: Vec<u8> = response
        .body
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
        .take(15)
        .map(u8::to_ascii_lowercase)
        .collect();
    start.starts_with(b"<!doctype")
        || start.starts_with(b"<html")
        || start.starts_with(b"<head")
        || start.starts_with(b"<body")
}

/// `bytes` as text, each invalid UTF-8 sequence replaced by U+FFFD, as `String::from_utf8_lossy` does (whose
/// chunk iterator is ~0.3 KiB of brotli in each wasm module; this reuses the validation every module has).
fn lossy_text(mut bytes: &[u8]) -> String {
    let mut text = String::new();
    loop {
        match std::str::from_utf8(bytes) {
            Ok(valid) => {
                text.push_str(valid);
                return text;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                text.push(char::REPLACEMENT_CHARACTER);
                bytes = rest.get(error.error_len().unwrap_or(rest.len())..).unwrap_or_default();
            }
        }
    }
}

/// The `<title>` of an HTML page, as plain text.
fn html_title(body: &[u8]) -> Option<String> {
    // Searched as bytes: ASCII lowercasing keeps every byte's position.
    let lower = body.to_ascii_lowercase();
    let start = find_bytes(&lower, b"<title")?;
    let open_end = start + lower[start..].iter().position(|b| *b == b'>')? + 1;
    let close = open_end + find_bytes(&lower[open_end..], b"</title")?;
    let text = lossy_text(&body[open_end..close]);
    let title = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then(|| truncate(&title))
}

fn truncate(text: &str) -> String {
    if text.chars().count() <= MAX_MESSAGE_CHARS {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::lossy_text;

    #[test]
    fn lossy_text_replaces_invalid_sequences_as_the_standard_library_does() {
        let samples: [&[u8]; 8] = [
            b"",
            b"plain",
            "zażółć".as_bytes(),
            b"\xff",
            b"a\xffb\xfe",
            b"cut \xe2\x82",
            b"\xe2\x82 then text \xf0\x9f\x98\x80",
            b"\xc3\x28 overlong \xc0\xaf end",
        ];
        for bytes in samples {
            assert_eq!(lossy_text(bytes), String::from_utf8_lossy(bytes), "{bytes:?}");
        }
    }
}
