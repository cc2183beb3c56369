//! Users and sessions: `admin` sees and changes every project, `viewer` sees every project and changes nothing,
//! each project has one tenant user who sees only it.
//!
//! A session is an opaque `JSESSIONID` cookie (the real server is a Java servlet application). Like a servlet
//! session it expires after an idle time (`--session-ttl`): every authenticated request restarts the clock.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::model::Millis;
use crate::rng::SplitMix;

/// The administrator's login.
pub const ADMIN_LOGIN: &str = "admin";
/// The administrator's password (the real server's default).
pub const ADMIN_PASSWORD: &str = "vPr0tect";
/// The read-only user's login: sees every project, holds no `*_WRITE` privilege.
pub const VIEWER_LOGIN: &str = "viewer";
/// The read-only user's password.
pub const VIEWER_PASSWORD: &str = "viewer-pass";
/// The session cookie's name.
pub const COOKIE_NAME: &str = "JSESSIONID";

/// The privilege to create, change and delete backup policies, their rules and schedules ("SLA" in Storware's
/// names); without it those calls answer 403.
pub const SLA_WRITE: &str = "VE_BACKUP_SLA_WRITE";
/// The privilege to start a backup by hand (`POST /tasks/export`). The simulator's own name: Storware's is not
/// known, so the widgets never look for it and only meet its 403.
pub const BACKUP_WRITE: &str = "VE_BACKUP_WRITE";
/// The privilege to start a restore (`POST /tasks/restore-and-import`); the simulator's own name, like
/// [`BACKUP_WRITE`].
pub const RESTORE: &str = "VE_RESTORE";
/// The privilege to cancel or delete tasks; the simulator's own name, like [`BACKUP_WRITE`].
pub const TASK_WRITE: &str = "TASK_WRITE";

/// A project user's privileges: its project's VMs, backups, restores, policies and tasks.
const TENANT_PRIVILEGES: &[&str] =
    &["VE_READ", "VE_BACKUP_SLA_READ", SLA_WRITE, "VE_BACKUP_READ", BACKUP_WRITE, RESTORE, "TASK_READ", TASK_WRITE];
/// What the administrator holds besides a project user's privileges: nodes, hypervisors and access rights.
const ADMIN_EXTRA_PRIVILEGES: &[&str] =
    &["NODE_READ", "NODE_WRITE", "VE_WRITE", "MGMT_RBAC_ACCESS_READ", "MGMT_RBAC_ACCESS_WRITE"];
const VIEWER_PRIVILEGES: &[&str] =
    &["NODE_READ", "VE_READ", "VE_BACKUP_SLA_READ", "VE_BACKUP_READ", "TASK_READ", "MGMT_RBAC_ACCESS_READ"];

/// What a user may see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Every project, with every privilege.
    Admin,
    /// Every project, read only.
    Viewer,
    /// One project (index into the world's projects).
    Tenant(usize),
}

impl Role {
    /// The privilege names `GET /session/user` lists for this role.
    pub fn privileges(self) -> Vec<&'static str> {
        match self {
            Role::Admin => [TENANT_PRIVILEGES, ADMIN_EXTRA_PRIVILEGES].concat(),
            Role::Viewer => VIEWER_PRIVILEGES.to_vec(),
            Role::Tenant(_) => TENANT_PRIVILEGES.to_vec(),
        }
    }

    /// Whether the role holds `privilege`.
    pub fn has(self, privilege: &str) -> bool {
        self.privileges().contains(&privilege)
    }
}

/// A logged-in session.
#[derive(Debug, Clone)]
pub struct Session {
    pub login: String,
    pub role: Role,
    /// When the user logged in (epoch ms), for `lastSuccessfulLogin`.
    pub logged_in_at: Millis,
    last_used: Instant,
}

/// Login times of a user, for the session information.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoginHistory {
    pub last_success: Option<Millis>,
    pub last_failure: Option<Millis>,
}

/// All sessions, keyed by cookie value.
#[derive(Debug)]
pub struct SessionStore {
    sessions: Mutex<HashMap<String, Session>>,
    history: Mutex<HashMap<String, LoginHistory>>,
    ids: Mutex<SplitMix>,
}

impl Default for SessionStore {
    fn default() -> Self {
        SessionStore::new()
    }
}

impl SessionStore {
    /// An empty store. Session ids mix process entropy into the generator: unlike the data, they need not be
    /// reproducible, and two simulator runs should not hand out the same cookie.
    pub fn new() -> Self {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(std::process::id().into());
        SessionStore {
            sessions: Mutex::new(HashMap::new()),
            history: Mutex::new(HashMap::new()),
            ids: Mutex::new(SplitMix::new(hasher.finish())),
        }
    }

    /// Opens a session and returns its cookie value.
    pub fn open(&self, login: &str, role: Role, now: Millis) -> String {
        let id = {
            let mut rng = self.ids.lock().unwrap_or_else(|e| e.into_inner());
            format!("{:016X}{:016X}", rng.next_u64(), rng.next_u64())
        };
        let session = Session { login: login.to_string(), role, logged_in_at: now, last_used: Instant::now() };
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).insert(id.clone(), session);
        self.history.lock().unwrap_or_else(|e| e.into_inner()).entry(login.to_string()).or_default().last_success =
            Some(now);
        id
    }

    /// Notes a failed login of `login`.
    pub fn note_failure(&self, login: &str, now: Millis) {
        self.history.lock().unwrap_or_else(|e| e.into_inner()).entry(login.to_string()).or_default().last_failure =
            Some(now);
    }

    /// Login times of `login`.
    pub fn history(&self, login: &str) -> LoginHistory {
        self.history.lock().unwrap_or_else(|e| e.into_inner()).get(login).copied().unwrap_or_default()
    }

    /// The session behind a cookie value, if it is still valid; using it restarts its idle time.
    pub fn touch(&self, id: &str, ttl: Duration) -> Option<Session> {
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let session = sessions.get_mut(id)?;
        if session.last_used.elapsed() > ttl {
            sessions.remove(id);
            return None;
        }
        session.last_used = Instant::now();
        Some(session.clone())
    }

    /// Ends a session (logout).
    pub fn end(&self, id: &str) -> bool {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).remove(id).is_some()
    }

    /// Ends every session, or those of one user; returns how many ended.
    pub fn expire(&self, login: Option<&str>) -> usize {
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let before = sessions.len();
        match login {
            Some(user) => sessions.retain(|_, s| s.login != user),
            None => sessions.clear(),
        }
        before - sessions.len()
    }

    /// Drops sessions idle for longer than `ttl` (so the map stays small).
    pub fn purge(&self, ttl: Duration) {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).retain(|_, s| s.last_used.elapsed() <= ttl);
    }

    /// Number of open sessions.
    pub fn len(&self) -> usize {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no session is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The value of the session cookie in a `Cookie` header.
pub fn cookie_value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header.split(';').map(str::trim).find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k.trim() == name).then(|| v.trim().trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_expire_when_idle() {
        let store = SessionStore::new();
        let id = store.open("admin", Role::Admin, 1);
        assert!(store.touch(&id, Duration::from_secs(60)).is_some());
        std::thread::sleep(Duration::from_millis(20));
        assert!(store.touch(&id, Duration::from_millis(5)).is_none());
        assert!(store.touch(&id, Duration::from_secs(60)).is_none(), "an expired session stays gone");
    }

    #[test]
    fn cookies_are_found() {
        assert_eq!(cookie_value("a=1; JSESSIONID=XYZ; b=2", COOKIE_NAME), Some("XYZ"));
        assert_eq!(cookie_value("a=1", COOKIE_NAME), None);
    }

    #[test]
    fn expire_by_user() {
        let store = SessionStore::new();
        store.open("a", Role::Admin, 0);
        store.open("b", Role::Tenant(0), 0);
        assert_eq!(store.expire(Some("a")), 1);
        assert_eq!(store.len(), 1);
        assert_eq!(store.expire(None), 1);
    }

    #[test]
    fn only_the_viewer_lacks_every_write_privilege() {
        assert!(Role::Viewer.privileges().iter().all(|p| !p.ends_with("_WRITE")));
        for write in [SLA_WRITE, BACKUP_WRITE, RESTORE, TASK_WRITE] {
            assert!(!Role::Viewer.has(write), "{write}");
            assert!(Role::Admin.has(write) && Role::Tenant(0).has(write), "{write}");
        }
        assert!(Role::Viewer.has("VE_BACKUP_SLA_READ"), "it sees the policies it may not change");
        assert!(Role::Admin.has("MGMT_RBAC_ACCESS_WRITE") && !Role::Tenant(0).has("MGMT_RBAC_ACCESS_WRITE"));
    }
}
