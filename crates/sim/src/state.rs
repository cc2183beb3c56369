//! The shared simulator state and who is calling.

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::errors::ErrorReply;
use crate::faults::{FaultSwitch, Faults};
use crate::generator::{generate, GeneratorSettings};
use crate::inventory::{Inventory, InventoryError};
use crate::listing::Query;
use crate::model::{Millis, World};
use crate::options::Options;
use crate::render::Render;
use crate::request_log::RequestLog;
use crate::sessions::{cookie_value, Role, SessionStore, COOKIE_NAME};

/// The simulator as handlers see it.
pub type Sim = Arc<Simulator>;

/// Everything the simulator holds.
#[derive(Debug)]
pub struct Simulator {
    pub options: Options,
    pub world: RwLock<World>,
    pub sessions: SessionStore,
    pub faults: FaultSwitch,
    pub requests: RequestLog,
}

/// The current time in epoch milliseconds.
pub fn now_ms() -> Millis {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as Millis).unwrap_or(0)
}

impl Simulator {
    /// A simulator with the inventory the options describe.
    pub fn new(options: Options) -> Result<Simulator, InventoryError> {
        let world = Self::build_world(&options)?;
        Ok(Simulator {
            faults: FaultSwitch::new(Faults::from_options(&options), options.seed),
            options,
            world: RwLock::new(world),
            sessions: SessionStore::new(),
            requests: RequestLog::default(),
        })
    }

    /// The inventory document the options describe: the file, or the generated one.
    pub fn inventory(options: &Options) -> Result<Inventory, InventoryError> {
        match &options.inventory {
            Some(path) => Inventory::read(path),
            None => Ok(generate(GeneratorSettings {
                seed: options.seed,
                vms: options.vms,
                projects: options.projects,
                hostile_names: options.hostile_names,
            })),
        }
    }

    /// A fresh world from the options (also used by `POST /__sim/reset`).
    pub fn build_world(options: &Options) -> Result<World, InventoryError> {
        Self::inventory(options)?.into_world(options.seed, now_ms())
    }

    /// Reads the world.
    pub fn read(&self) -> RwLockReadGuard<'_, World> {
        self.world.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Changes the world.
    pub fn write(&self) -> RwLockWriteGuard<'_, World> {
        self.world.write().unwrap_or_else(|e| e.into_inner())
    }

    /// How records are written now.
    pub fn render(&self) -> Render {
        Render { newest_enums: self.options.newest_enums, now: now_ms() }
    }
}

/// Which projects a request may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every project (an administrator without `project-uuid`).
    All,
    /// One project.
    Project(usize),
    /// None (a tenant asking for another project, or an unknown `project-uuid`).
    Nothing,
}

/// The logged-in user of a request, with the projects it may see.
#[derive(Debug, Clone)]
pub struct Caller {
    pub login: String,
    pub role: Role,
    pub scope: Scope,
    /// The session cookie value.
    pub session_id: String,
}

impl Caller {
    /// Whether objects of `project` are visible.
    pub fn sees(&self, project: usize) -> bool {
        match self.scope {
            Scope::All => true,
            Scope::Project(p) => p == project,
            Scope::Nothing => false,
        }
    }

    /// Whether an object owned by `project` (`None` = shared by all projects) is visible.
    pub fn sees_owned(&self, project: Option<usize>) -> bool {
        match project {
            Some(p) => self.sees(p),
            None => self.scope != Scope::Nothing,
        }
    }

    /// Whether the caller may change an object owned by `project`: tenants only their own project's objects, the
    /// viewer none.
    pub fn may_change(&self, project: Option<usize>) -> bool {
        match (self.role, project) {
            (Role::Admin, _) => true,
            (Role::Viewer, _) => false,
            (Role::Tenant(own), Some(p)) => own == p,
            (Role::Tenant(_), None) => false,
        }
    }

    /// The project new objects belong to: the tenant's, or the one an administrator narrowed to.
    pub fn home_project(&self) -> Option<usize> {
        match (self.role, self.scope) {
            (Role::Tenant(p), _) => Some(p),
            (_, Scope::Project(p)) => Some(p),
            _ => None,
        }
    }

    /// 403 unless the caller's role holds `privilege` (the real server checks privileges before anything else,
    /// so a missing one is a 403 even for an object the caller cannot see).
    pub fn require(&self, privilege: &str) -> Result<(), ErrorReply> {
        if self.role.has(privilege) {
            Ok(())
        } else {
            Err(ErrorReply::forbidden(format!("Missing privilege: {privilege}")))
        }
    }
}

impl FromRequestParts<Sim> for Caller {
    type Rejection = ErrorReply;

    async fn from_request_parts(parts: &mut Parts, sim: &Sim) -> Result<Self, Self::Rejection> {
        let expired = || ErrorReply::unauthorized("Session expired or not logged in");
        let session_id = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|h| cookie_value(h, COOKIE_NAME))
            .ok_or_else(expired)?
            .to_string();
        let ttl = sim.faults.get().session_ttl();
        let session = sim.sessions.touch(&session_id, ttl).ok_or_else(expired)?;
        // `project-uuid` (query) and `3rd-party-project` (header) narrow what the request sees.
        let query = Query::parse(parts.uri.query());
        let narrowed = query.get("project-uuid").map(str::to_string).or_else(|| {
            parts.headers.get("3rd-party-project").and_then(|v| v.to_str().ok()).map(|s| s.trim().to_string())
        });
        let narrowed = narrowed.filter(|s| !s.is_empty()).map(|uuid| sim.read().project_by_uuid(&uuid));
        let scope = match (session.role, narrowed) {
            (Role::Admin | Role::Viewer, None) => Scope::All,
            (Role::Admin | Role::Viewer, Some(Some(p))) => Scope::Project(p),
            (Role::Tenant(own), None) => Scope::Project(own),
            (Role::Tenant(own), Some(Some(p))) if p == own => Scope::Project(own),
            (_, Some(_)) => Scope::Nothing,
        };
        Ok(Caller { login: session.login, role: session.role, scope, session_id })
    }
}
