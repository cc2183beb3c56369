//! Session: login, logout, keep-alive and the current user.
//!
//! The session is a cookie the server sets on login; browsers keep it (`credentials: "include"`), native
//! transports keep a cookie jar.

use crate::json::Value;

use super::wire::{object, parse_empty, parse_record};
use crate::domain::SessionInfo;
use crate::endpoint::Endpoint;
use crate::error::ApiError;
use crate::http::{HttpRequest, HttpResponse, Purpose};

/// Path of the login call (the session rules never treat its 401 as an expired session).
pub const LOGIN_PATH: &str = "/session/login";

/// `POST /session/login` with `{"login", "password"}`.
#[derive(Clone, PartialEq, Eq)]
pub struct Login {
    pub login: String,
    pub password: String,
}

impl std::fmt::Debug for Login {
    // The password never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login").field("login", &self.login).field("password", &"***").finish()
    }
}

impl Login {
    /// A login with user name and password.
    pub fn new(login: impl Into<String>, password: impl Into<String>) -> Self {
        Login { login: login.into(), password: password.into() }
    }
}

fn read_session_info(response: &HttpResponse) -> Result<SessionInfo, ApiError> {
    // Some servers answer login with an empty body; the session is the cookie.
    if response.is_success() && response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(SessionInfo::default());
    }
    parse_record(response, "session information", |w| {
        Ok(SessionInfo {
            last_successful_login: w.i64("lastSuccessfulLogin"),
            last_failed_login: w.i64("lastFailedLogin"),
            time_zone: w.string("uiTimeZone"),
            // Privilege entries `{"name": …}` or bare names.
            privileges: w.enum_names("privileges")?.into_iter().map(str::to_string).collect(),
        })
    })
}

impl Endpoint for Login {
    type Output = SessionInfo;

    fn request(&self) -> HttpRequest {
        HttpRequest::post(LOGIN_PATH).purpose(Purpose::Login).json(&object(vec![
            ("login", Value::from(self.login.as_str())),
            ("password", Value::from(self.password.as_str())),
        ]))
    }

    fn parse(&self, response: &HttpResponse) -> Result<SessionInfo, ApiError> {
        match response.status {
            // A wrong password is not an "expired session": say what it is.
            401 | 403 => {
                let mut e = ApiError::from_response(response);
                if e.message.starts_with("Your session") || e.message.starts_with("You do not have") {
                    e.message = "The user name or password is not correct.".into();
                }
                Err(e)
            }
            _ => read_session_info(response),
        }
    }
}

/// `POST /session/logout`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Logout;

impl Endpoint for Logout {
    type Output = ();

    fn request(&self) -> HttpRequest {
        HttpRequest::post("/session/logout").purpose(Purpose::Change)
    }

    fn parse(&self, response: &HttpResponse) -> Result<(), ApiError> {
        parse_empty(response)
    }
}

/// `GET /session`: the cheapest authenticated call, 204 while the session is valid. Used as keep-alive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeepAlive;

impl Endpoint for KeepAlive {
    type Output = ();

    fn request(&self) -> HttpRequest {
        HttpRequest::get("/session")
    }

    fn parse(&self, response: &HttpResponse) -> Result<(), ApiError> {
        parse_empty(response)
    }
}

/// `GET /session/user`: the current session's information.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CurrentUser;

impl Endpoint for CurrentUser {
    type Output = SessionInfo;

    fn request(&self) -> HttpRequest {
        HttpRequest::get("/session/user")
    }

    fn parse(&self, response: &HttpResponse) -> Result<SessionInfo, ApiError> {
        read_session_info(response)
    }
}
