//! CORS with credentials for the origins given by `--allow-origin`: exact matches, or `scheme://host:*` for any
//! port of one host (test runners serve their pages from a fresh port each time). Never a bare `*`, which
//! browsers refuse with cookies. Preflights are answered here, before faults and authentication.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::Sim;

const ALLOWED_METHODS: &str = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
const DEFAULT_ALLOWED_HEADERS: &str = "Content-Type, 3rd-party, 3rd-party-project, X-CSRFToken";

fn allow(response: &mut Response, origin: &str) {
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
    }
    headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}

/// Whether `origin` matches the allowed entry `allowed` (exact, or any port with `scheme://host:*`).
fn origin_allowed(allowed: &str, origin: &str) -> bool {
    match allowed.strip_suffix(":*") {
        Some(host) => origin
            .strip_prefix(host)
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())),
        None => allowed == origin,
    }
}

/// The middleware.
pub async fn cors(State(sim): State<Sim>, request: Request, next: Next) -> Response {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| sim.options.allow_origins.iter().any(|a| origin_allowed(a, o)))
        .map(str::to_string);
    let preflight =
        request.method() == Method::OPTIONS && request.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let mut response = StatusCode::NO_CONTENT.into_response();
        if let Some(origin) = origin {
            let asked = request
                .headers()
                .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
                .cloned()
                .unwrap_or(HeaderValue::from_static(DEFAULT_ALLOWED_HEADERS));
            allow(&mut response, &origin);
            let headers = response.headers_mut();
            headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(ALLOWED_METHODS));
            headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked);
            headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        }
        return response;
    }
    let mut response = next.run(request).await;
    if let Some(origin) = origin {
        allow(&mut response, &origin);
        response.headers_mut().insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("X-Total-Count"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::origin_allowed;

    #[test]
    fn origins_match_exactly_or_by_any_port_of_the_host() {
        assert!(origin_allowed("http://127.0.0.1:8000", "http://127.0.0.1:8000"));
        assert!(!origin_allowed("http://127.0.0.1:8000", "http://127.0.0.1:8001"));
        assert!(origin_allowed("http://127.0.0.1:*", "http://127.0.0.1:41234"));
        assert!(!origin_allowed("http://127.0.0.1:*", "http://127.0.0.1"));
        assert!(!origin_allowed("http://127.0.0.1:*", "http://127.0.0.1.evil.example:80"));
        assert!(!origin_allowed("http://127.0.0.1:*", "http://127.0.0.10:80"));
        assert!(!origin_allowed("http://127.0.0.1:*", "https://127.0.0.1:443"));
    }
}
