//! Error answers in the real server's shape: `{"status": 404, "error": "Not Found", "message": "…"}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer of the API: status plus a message for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}: {message}")]
pub struct ErrorReply {
    pub status: StatusCode,
    pub message: String,
}

impl ErrorReply {
    /// An answer with any status.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ErrorReply { status, message: message.into() }
    }

    /// 400: the request is invalid.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404 for an object of `kind` (e.g. "Virtual machine") with `guid`.
    pub fn not_found(kind: &str, guid: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("{kind} with guid {guid} not found"))
    }

    /// 401: no valid session.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    /// 403: the user may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 409: the object's state does not allow this.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }
}

impl IntoResponse for ErrorReply {
    fn into_response(self) -> Response {
        let body = json!({
            "status": self.status.as_u16(),
            "error": self.status.canonical_reason().unwrap_or("Error"),
            "message": self.message,
        });
        let mut response = (self.status, body.to_string()).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response
    }
}

/// What API handlers return.
pub type ApiResult = Result<Response, ErrorReply>;
