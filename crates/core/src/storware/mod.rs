//! Storware Backup & Recovery (formerly vProtect) REST API, 5.x–7.x shapes, reading 4.x shapes too.
//!
//! One type per operation; each implements [`crate::Endpoint`]. Paths are relative to the API base
//! (`https://server:8181/api`). Where the integration guide and the real server disagree, the operations
//! follow the real server (see the project's `storware-api.md`).

pub mod backups;
pub mod inventory;
pub mod policies;
pub mod schedules;
pub mod session;
pub mod tasks;
pub mod vms;
pub mod wire;

use crate::domain::{PageRequest, Sort};
use crate::http::HttpRequest;

/// The tenant a portal acts for. Storware 6.x/7.x scope every call by the `project-uuid` query parameter, and
/// deployments behind Horizon-style proxies also by the `3rd-party` / `3rd-party-project` headers.
///
/// ```
/// # use vmbackup_core::storware::Scope;
/// # use vmbackup_core::http::HttpRequest;
/// let scope = Scope::project("p-1").with_third_party("HORIZON");
/// let req = scope.apply(HttpRequest::get("/virtual-machines"));
/// assert_eq!(req.query_value("project-uuid"), Some("p-1"));
/// assert!(req.headers.contains(&("3rd-party-project".into(), "p-1".into())));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// The project's platform uuid.
    pub project_uuid: Option<String>,
    /// The value of the `3rd-party` header (e.g. `HORIZON`), when the deployment restricts by it.
    pub third_party: Option<String>,
}

impl Scope {
    /// Scoped to one project.
    pub fn project(uuid: impl Into<String>) -> Self {
        Scope { project_uuid: Some(uuid.into()), third_party: None }
    }

    /// Also sends the 3rd-party restriction headers.
    pub fn with_third_party(mut self, integration: impl Into<String>) -> Self {
        self.third_party = Some(integration.into());
        self
    }

    /// Adds the scope to a request, unless the request already names a project itself.
    pub fn apply(&self, mut req: HttpRequest) -> HttpRequest {
        if let Some(uuid) = &self.project_uuid {
            if req.query_value("project-uuid").is_none() {
                req.query.push(("project-uuid".into(), uuid.clone()));
            }
            if let Some(integration) = &self.third_party {
                req.headers.push(("3rd-party".into(), integration.clone()));
                req.headers.push(("3rd-party-project".into(), uuid.clone()));
            }
        }
        req
    }
}

/// Adds `page`/`size` and `orderBy`/`direction` to a list request.
pub(crate) fn paged(req: HttpRequest, page: Option<PageRequest>, sort: Option<&Sort>) -> HttpRequest {
    let req = match page {
        Some(p) => req.query("page", p.index.to_string()).query("size", p.size.to_string()),
        None => req,
    };
    match sort {
        Some(s) => req.query("orderBy", s.field.clone()).query("direction", s.direction.as_str()),
        None => req,
    }
}
