//! `/session`: login, logout, keep-alive, current user.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use serde_json::{json, Value};

use crate::errors::{ApiResult, ErrorReply};
use crate::json::{no_content, ok_json, opt_string, parse_object};
use crate::sessions::{Role, ADMIN_LOGIN, ADMIN_PASSWORD, COOKIE_NAME, VIEWER_LOGIN, VIEWER_PASSWORD};
use crate::state::{now_ms, Caller, Sim};

fn session_info(sim: &Sim, login: &str, role: Role) -> Value {
    let history = sim.sessions.history(login);
    let privileges: Vec<Value> = role.privileges().iter().map(|p| json!({ "name": p })).collect();
    json!({
        "lastSuccessfulLogin": history.last_success,
        "lastFailedLogin": history.last_failure,
        "uiTimeZone": "UTC",
        "privileges": privileges,
        "appUserSettings": { "unmountPeriodForMountedBackups": 86_400_000 },
    })
}

/// The `Set-Cookie` value. `SameSite=None; Secure` only when a cross-origin page may call (`--allow-origin`):
/// browsers need both for a cookie sent cross-site, and they accept `Secure` from `http://localhost` and
/// `http://127.0.0.1`; without cross-origin callers the cookie stays a plain one that works over any plain HTTP.
fn session_cookie(sim: &Sim, id: &str, max_age_zero: bool) -> String {
    let mut cookie = format!("{COOKIE_NAME}={id}; Path=/; HttpOnly");
    if max_age_zero {
        cookie.push_str("; Max-Age=0");
    }
    if !sim.options.allow_origins.is_empty() {
        cookie.push_str("; SameSite=None; Secure");
    }
    cookie
}

/// `POST /session/login` `{"login", "password"}`.
pub async fn login(State(sim): State<Sim>, body: Bytes) -> ApiResult {
    let body = parse_object(&body)?;
    let login = opt_string(&body, "login")?.unwrap_or_default();
    let password = opt_string(&body, "password")?.unwrap_or_default();
    if login.is_empty() {
        return Err(ErrorReply::bad_request("Field 'login' is required"));
    }
    let now = now_ms();
    let role = if login == ADMIN_LOGIN && password == ADMIN_PASSWORD {
        Some(Role::Admin)
    } else if login == VIEWER_LOGIN && password == VIEWER_PASSWORD {
        Some(Role::Viewer)
    } else {
        let world = sim.read();
        world.projects.iter().position(|p| p.login == login && p.password == password).map(Role::Tenant)
    };
    let Some(role) = role else {
        sim.sessions.note_failure(&login, now);
        return Err(ErrorReply::unauthorized("Invalid login or password"));
    };
    let id = sim.sessions.open(&login, role, now);
    let mut response = ok_json(&session_info(&sim, &login, role));
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&sim, &id, false)) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

/// `POST /session/logout`: ends the session (204); without a valid session it is a 401 like any call.
pub async fn logout(State(sim): State<Sim>, caller: Caller) -> ApiResult {
    sim.sessions.end(&caller.session_id);
    let mut response: Response = no_content();
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&sim, "", true)) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

/// `GET /session`: 204 while the session is valid (the keep-alive).
pub async fn keep_alive(_caller: Caller) -> ApiResult {
    Ok(no_content())
}

/// `GET /session/user`.
pub async fn current_user(State(sim): State<Sim>, caller: Caller) -> ApiResult {
    Ok(ok_json(&session_info(&sim, &caller.login, caller.role)))
}
