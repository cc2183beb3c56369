//! Plain HTTP request and response values exchanged between the core and a transport.
//!
//! Paths are relative to the API base (`https://backup.example/api`); a transport joins them with
//! [`HttpRequest::url`]. Bodies are bytes; JSON bodies come from [`HttpRequest::json`].

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

/// Characters left as they are in query values and path segments (RFC 3986 unreserved).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The HTTP methods the backup APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
    Patch,
}

impl Method {
    /// The method's name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
        }
    }
}

/// What a request does, which decides whether it may be sent again when its outcome is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Purpose {
    /// Reads only (GET, and POSTs that only query, such as `list-by-entities`): safe to repeat.
    Query,
    /// Changes state idempotently (PUT of a whole record, DELETE): repeating gives the same result.
    Change,
    /// Creates something (a task, a schedule, a policy): repeating may create it twice.
    Submit,
    /// Opens a session.
    Login,
}

impl Purpose {
    /// Whether sending the request a second time cannot do harm.
    pub fn is_replay_safe(self) -> bool {
        !matches!(self, Purpose::Submit)
    }
}

/// A request built by an operation, ready for a transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    /// Path relative to the API base, starting with `/`; path segments are already percent-encoded.
    pub path: String,
    /// Query pairs in order, not yet encoded; a key may repeat (multi-valued parameters).
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// JSON body bytes, if any.
    pub body: Option<Vec<u8>>,
    pub purpose: Purpose,
}

impl HttpRequest {
    fn new(method: Method, path: String, purpose: Purpose) -> Self {
        HttpRequest { method, path, query: Vec::new(), headers: Vec::new(), body: None, purpose }
    }

    /// A `GET` of `path`.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::Get, path.into(), Purpose::Query)
    }

    /// A `DELETE` of `path`.
    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::Delete, path.into(), Purpose::Change)
    }

    /// A `POST` that creates something; never replayed blindly.
    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::Post, path.into(), Purpose::Submit)
    }

    /// A `PUT` that replaces a record.
    pub fn put(path: impl Into<String>) -> Self {
        Self::new(Method::Put, path.into(), Purpose::Change)
    }

    /// Overrides what the request does (for POSTs that only query, or the login).
    pub fn purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = purpose;
        self
    }

    /// Sets a JSON body and the matching `Content-Type`.
    pub fn json(mut self, body: &crate::json::Value) -> Self {
        self.body = Some(body.to_json().into_bytes());
        self.headers.push(("Content-Type".into(), "application/json".into()));
        self
    }

    /// Appends a query pair.
    pub fn query(mut self, key: &str, value: impl Into<String>) -> Self {
        self.query.push((key.to_string(), value.into()));
        self
    }

    /// Appends a query pair when `value` is `Some`.
    pub fn query_opt<V: ToString>(self, key: &str, value: Option<V>) -> Self {
        match value {
            Some(v) => self.query(key, v.to_string()),
            None => self,
        }
    }

    /// Appends a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// The value of the first query pair named `key`.
    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The path with its encoded query string, e.g. `/tasks?state=RUNNING&page=0`.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let pairs: Vec<String> = self
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", utf8_percent_encode(k, UNRESERVED), utf8_percent_encode(v, UNRESERVED)))
            .collect();
        format!("{}?{}", self.path, pairs.join("&"))
    }

    /// The full URL under `base` (with or without a trailing slash).
    ///
    /// ```
    /// # use vmbackup_core::http::HttpRequest;
    /// let req = HttpRequest::get("/tasks").query("state", "RUNNING");
    /// assert_eq!(req.url("https://b.example/api/"), "https://b.example/api/tasks?state=RUNNING");
    /// ```
    pub fn url(&self, base: &str) -> String {
        format!("{}{}", base.trim_end_matches('/'), self.path_and_query())
    }

    /// The body parsed back as JSON (for tests and logs).
    pub fn body_json(&self) -> Option<serde_json::Value> {
        self.body.as_deref().and_then(|b| serde_json::from_slice(b).ok())
    }
}

/// Percent-encodes one path segment (an id from the server or the user may hold anything).
///
/// ```
/// # use vmbackup_core::http::segment;
/// assert_eq!(segment("a/b c"), "a%2Fb%20c");
/// ```
pub fn segment(raw: &str) -> String {
    utf8_percent_encode(raw, UNRESERVED).to_string()
}

/// A response as a transport received it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with `status` and `body` and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse { status, headers: Vec::new(), body: body.into() }
    }

    /// Adds a header (builder style, for transports and tests).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The first header named `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}
