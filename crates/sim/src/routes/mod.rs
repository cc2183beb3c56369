//! The HTTP surface: `/api` (the Storware API), `/__sim` (control), and `/` (static files or a landing page).

pub mod backups;
pub mod inventory;
pub mod policies;
pub mod schedules;
pub mod session;
pub mod tasks;
pub mod vms;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put, MethodRouter};
use axum::Router;

use crate::errors::ErrorReply;
use crate::state::Sim;

/// The `{guid}` of a path, with a JSON 400 (instead of axum's plain-text one) when it is not valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guid(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Guid {
    type Rejection = ErrorReply;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(guid)| Guid(guid))
            .map_err(|e| ErrorReply::bad_request(e.body_text()))
    }
}

/// Largest request body accepted (a policy `PUT` may list thousands of whole VM records).
const BODY_LIMIT: usize = 64 << 20;

/// Adds `path` and `path/` (the guide writes `/backups/?protected-entity=`; clients drop the slash).
fn both(router: Router<Sim>, path: &str, methods: MethodRouter<Sim>) -> Router<Sim> {
    router.route(path, methods.clone()).route(&format!("{path}/"), methods)
}

/// The `/api` routes (paths relative to `/api`).
fn api() -> Router<Sim> {
    let r = Router::new();
    let r = both(r, "/session/login", post(session::login));
    let r = both(r, "/session/logout", post(session::logout));
    let r = both(r, "/session", get(session::keep_alive));
    let r = both(r, "/session/user", get(session::current_user));

    let r = both(r, "/virtual-machines", get(vms::list));
    let r = both(r, "/virtual-machines/{guid}", get(vms::get));

    let r = both(r, "/hypervisor-managers", get(inventory::managers));
    let r = both(r, "/hypervisor-managers/{guid}", get(inventory::manager));
    let r = both(r, "/hypervisors", get(inventory::hypervisors));
    let r = both(r, "/hypervisors/{guid}", get(inventory::hypervisor));
    let r = both(r, "/hypervisor-clusters", get(inventory::clusters));
    let r = both(r, "/hypervisor-storages", get(inventory::storages));
    let r = both(r, "/backup-destinations", get(inventory::destinations));
    let r = both(r, "/backup-destinations/usable-for-vms", post(inventory::usable_for_vms));
    let r = both(r, "/backup-destinations/{guid}", get(inventory::destination));
    let r = both(r, "/projects", get(inventory::projects));

    let r = both(r, "/backups", get(backups::list));
    let r = both(r, "/backups/{guid}", get(backups::get));
    let r = both(r, "/backups/{guid}/description", put(backups::set_description));
    let r = both(r, "/backups/{guid}/warnings-acknowledged", put(backups::acknowledge_warnings));
    let r = both(r, "/backup-locations", get(backups::locations));

    let r = both(r, "/tasks", get(tasks::list));
    let r = both(r, "/tasks/export", post(tasks::export));
    let r = both(r, "/tasks/restore-and-import", post(tasks::restore));
    let r = both(r, "/tasks/all-finished", axum::routing::delete(tasks::delete_all_finished));
    let r = both(r, "/tasks/all-finished-and-queued", axum::routing::delete(tasks::delete_all_finished_and_queued));
    let r = both(r, "/tasks/all-running", axum::routing::delete(tasks::cancel_all_running));
    let r = both(r, "/tasks/{guid}", get(tasks::get).delete(tasks::delete));
    let r = both(r, "/tasks/{guid}/state", put(tasks::set_state));

    let r = both(r, "/schedules", get(schedules::list).post(schedules::create));
    let r = both(r, "/schedules/{guid}", get(schedules::get).put(schedules::update).delete(schedules::delete));

    let r = both(r, "/policies/vm-backup", get(policies::list).post(policies::create));
    let r = both(r, "/policies/vm-backup/list-by-entities", post(policies::list_by_entities));
    let r = both(r, "/policies/vm-backup/{guid}", get(policies::get).put(policies::update).delete(policies::delete));
    let r = both(r, "/rules/vm-backup", get(policies::list_rules).post(policies::create_rule));
    let r = both(
        r,
        "/rules/vm-backup/{guid}",
        get(policies::get_rule).put(policies::update_rule).delete(policies::delete_rule),
    );
    r.fallback(api_not_found).method_not_allowed_fallback(method_not_allowed)
}

async fn api_not_found(request: Request) -> Response {
    ErrorReply::new(StatusCode::NOT_FOUND, format!("No API endpoint {} {}", request.method(), request.uri().path()))
        .into_response()
}

async fn method_not_allowed(request: Request) -> Response {
    ErrorReply::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("Method {} is not supported on {}", request.method(), request.uri().path()),
    )
    .into_response()
}

/// The whole application for `sim`.
pub fn app(sim: Sim) -> Router {
    let api = api().layer(from_fn_with_state(sim.clone(), crate::faults::inject_faults));
    Router::new()
        .nest("/api", api)
        .nest("/__sim", crate::control::router())
        .fallback(crate::static_files::serve)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn_with_state(sim.clone(), crate::cors::cors))
        .layer(from_fn_with_state(sim.clone(), crate::request_log::log_requests))
        .with_state(sim)
}
