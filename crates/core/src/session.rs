//! Session rules: what to do after each answer, as plain functions of (request, outcome).
//!
//! Three ways to hold a session (design.md): the host page's cookie session, a login the client performs with
//! credentials the caller supplied, and a bearer token from a caller's callback. The rules:
//!
//! * a 401 in cookie mode means the host's session expired: tell the host and pause; never retry on our own;
//! * a 401 in login or token mode: log in again (or fetch a fresh token) once, then replay the request once —
//!   a 401 means the server did not act, so even a POST may be replayed;
//! * a second 401 after that replay: the session is expired for good; say so, do not loop;
//! * a 401 to the login itself is wrong credentials, not an expired session;
//! * a request that got no answer (network error, timeout) or a gateway error (502/504, the proxy may have
//!   forwarded it) is never resent if it creates something: its outcome is unknown, so look for what it may
//!   have created instead; a request that only reads or replaces may be retried once.
//!
//! ```
//! use vmbackup_core::http::{HttpRequest, HttpResponse};
//! use vmbackup_core::session::{next_step, Next, Outcome, SessionMode};
//!
//! let list = HttpRequest::get("/virtual-machines");
//! let expired = HttpResponse::new(401, Vec::new());
//! assert_eq!(next_step(SessionMode::Login, &list, Outcome::Answered(&expired), false), Next::ReloginAndReplay);
//! assert_eq!(next_step(SessionMode::Login, &list, Outcome::Answered(&expired), true), Next::SessionExpired);
//! assert_eq!(next_step(SessionMode::HostCookie, &list, Outcome::Answered(&expired), false), Next::SessionExpired);
//! ```

use serde::{Deserialize, Serialize};

use crate::error::ErrorKind;
use crate::http::{HttpRequest, HttpResponse, Purpose};

/// How the client holds its session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SessionMode {
    /// The host page's own cookie session (widgets in a portal): on 401 the host is told and calls pause.
    HostCookie,
    /// The client logs in with credentials the caller supplied (tools, tests): re-login once on 401.
    Login,
    /// A bearer token from a caller's callback (backends that mint short-lived tokens): refresh once on 401.
    Token,
}

/// What happened to a request.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// The server (or a proxy) answered.
    Answered(&'a HttpResponse),
    /// No answer: the kind is [`ErrorKind::Network`] or [`ErrorKind::Timeout`].
    NoAnswer(ErrorKind),
}

/// What the client does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Next {
    /// Hand the answer to the operation's parser (success or an error for the user).
    Deliver,
    /// Log in again with the stored credentials, then send the request once more.
    ReloginAndReplay,
    /// Ask the token callback for a fresh token, then send the request once more.
    RefreshTokenAndReplay,
    /// The session is over: tell the user or host, pause further calls, do not resend.
    SessionExpired,
    /// A request that is safe to repeat got no answer: send it once more.
    RetryOnce,
    /// A request that creates something may or may not have reached the server: never resend it; look for
    /// what it may have created.
    OutcomeUnknown,
    /// Report the failure to the caller.
    Fail,
}

/// Decides what follows an outcome. `replayed` is true when this request was already sent once more after a
/// re-login, token refresh or retry.
pub fn next_step(mode: SessionMode, request: &HttpRequest, outcome: Outcome<'_>, replayed: bool) -> Next {
    match outcome {
        Outcome::Answered(response) if response.status == 401 => {
            if request.purpose == Purpose::Login {
                Next::Deliver
            } else if replayed {
                Next::SessionExpired
            } else {
                match mode {
                    SessionMode::HostCookie => Next::SessionExpired,
                    SessionMode::Login => Next::ReloginAndReplay,
                    SessionMode::Token => Next::RefreshTokenAndReplay,
                }
            }
        }
        Outcome::Answered(response) if is_gateway_failure(response.status) && !request.purpose.is_replay_safe() => {
            Next::OutcomeUnknown
        }
        Outcome::Answered(_) => Next::Deliver,
        Outcome::NoAnswer(_) if !request.purpose.is_replay_safe() => Next::OutcomeUnknown,
        Outcome::NoAnswer(_) if replayed => Next::Fail,
        Outcome::NoAnswer(_) => Next::RetryOnce,
    }
}

/// A proxy's "the backend did not answer" statuses: the request may have reached the backend.
fn is_gateway_failure(status: u16) -> bool {
    matches!(status, 502 | 504)
}

/// Adds a bearer token to a request (token mode).
pub fn with_bearer(request: HttpRequest, token: &str) -> HttpRequest {
    request.header("Authorization", format!("Bearer {token}"))
}
