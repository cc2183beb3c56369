//! Control endpoints under `/__sim/` for tests and demos. They never see faults or need a session.
//!
//! | call | what it does |
//! |---|---|
//! | `GET /__sim/health` | `{"status":"ok", "vms", "tasks", "activeTasks", "sessions"}` |
//! | `GET /__sim/faults` | the current faults and timings |
//! | `PUT` or `PATCH /__sim/faults` | changes the fields given: `latencyMs`, `errorRate`, `htmlErrors`, `dropRate`, `failRate`, `taskSeconds`, `sessionTtlSecs` |
//! | `POST /__sim/expire-sessions[?user=LOGIN]` | ends every session (or one user's): the next call gets 401 |
//! | `GET /__sim/requests` | request counts by `"METHOD /path"` and status, and the latest requests |
//! | `DELETE /__sim/requests` | forgets the counts |
//! | `POST /__sim/reset` | rebuilds the inventory, clears tasks, restores the start-up faults, forgets counts |
//! | `GET /__sim/users` | the users and passwords (for the demo banner and tests) |

use axum::body::Bytes;
use axum::extract::State;
use axum::http::Uri;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::errors::{ApiResult, ErrorReply};
use crate::faults::Faults;
use crate::json::{no_content, ok_json, parse_object};
use crate::listing::Query;
use crate::sessions::{ADMIN_LOGIN, ADMIN_PASSWORD, VIEWER_LOGIN, VIEWER_PASSWORD};
use crate::state::{Sim, Simulator};

/// The `/__sim` routes.
pub fn router() -> Router<Sim> {
    Router::new()
        .route("/health", get(health))
        .route("/faults", get(get_faults).put(set_faults).patch(set_faults))
        .route("/expire-sessions", post(expire_sessions))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/reset", post(reset))
        .route("/users", get(users))
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

async fn health(State(sim): State<Sim>) -> ApiResult {
    let world = sim.read();
    let body = json!({
        "status": "ok",
        "vms": world.vms.len(),
        "backups": world.backups.len(),
        "tasks": world.tasks.len(),
        "activeTasks": world.active_tasks.len(),
        "sessions": sim.sessions.len(),
    });
    drop(world);
    Ok(ok_json(&body))
}

async fn get_faults(State(sim): State<Sim>) -> ApiResult {
    Ok(ok_json(&to_json(&sim.faults.get())))
}

async fn set_faults(State(sim): State<Sim>, body: Bytes) -> ApiResult {
    let body = parse_object(&body)?;
    let faults = sim.faults.update(&body)?;
    Ok(ok_json(&to_json(&faults)))
}

async fn expire_sessions(State(sim): State<Sim>, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let expired = sim.sessions.expire(q.get("user"));
    Ok(ok_json(&json!({ "expired": expired })))
}

async fn requests(State(sim): State<Sim>) -> ApiResult {
    Ok(ok_json(&to_json(&sim.requests.summary())))
}

async fn clear_requests(State(sim): State<Sim>) -> ApiResult {
    sim.requests.clear();
    Ok(no_content())
}

async fn reset(State(sim): State<Sim>) -> ApiResult {
    let world = Simulator::build_world(&sim.options)
        .map_err(|e| ErrorReply::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    *sim.write() = world;
    sim.faults.set(Faults::from_options(&sim.options));
    sim.requests.clear();
    Ok(ok_json(&json!({ "reset": true })))
}

async fn users(State(sim): State<Sim>) -> ApiResult {
    let world = sim.read();
    let mut users = vec![json!({ "login": ADMIN_LOGIN, "password": ADMIN_PASSWORD, "project": null })];
    for p in &world.projects {
        users.push(json!({
            "login": p.login, "password": p.password,
            "project": { "guid": p.guid, "uuid": p.uuid, "name": p.name },
        }));
    }
    drop(world);
    users.push(json!({ "login": VIEWER_LOGIN, "password": VIEWER_PASSWORD, "project": null, "readOnly": true }));
    Ok(ok_json(&Value::Array(users)))
}
