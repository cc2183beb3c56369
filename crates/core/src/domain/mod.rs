//! Provider-neutral domain types: what widgets and JavaScript see, whichever backup server is behind them.
//!
//! Times are Unix epoch milliseconds (`i64`), sizes are bytes (`u64`), ids are the server's own strings.
//! Every type serialises as camelCase JSON for the JavaScript surface.

mod backup;
mod inventory;
mod policy;
mod schedule;
mod task;
mod vm;

pub use backup::*;
pub use inventory::*;
pub use policy::*;
pub use schedule::*;
pub use task::*;
pub use vm::*;

#[cfg(feature = "typescript")]
use crate::typescript::tsify::{self, Tsify};
use serde::{Deserialize, Serialize};

/// Epoch milliseconds (UTC).
#[cfg_attr(feature = "typescript", tsify::declare)]
pub type Millis = i64;

/// A reference to another object: its id and, when the server sent it, its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Ref {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Ref {
    /// A reference by id only.
    pub fn id(id: impl Into<String>) -> Self {
        Ref { id: id.into(), name: None }
    }

    /// A reference with id and name.
    pub fn named(id: impl Into<String>, name: impl Into<String>) -> Self {
        Ref { id: id.into(), name: Some(name.into()) }
    }
}

/// One page of a list, with the total number of matching rows when the server told it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    /// All matching rows (Storware's `X-Total-Count`); `None` when the server did not say.
    pub total: Option<u64>,
}

/// Which page of a list to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PageRequest {
    /// 0-based page index.
    pub index: u32,
    /// Rows per page.
    pub size: u32,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    Asc,
    Desc,
}

impl Direction {
    /// The wire value (`asc` / `desc`).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Asc => "asc",
            Direction::Desc => "desc",
        }
    }
}

/// A sort order: a field name the server understands and a direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Sort {
    pub field: String,
    pub direction: Direction,
}

/// A tenant (Storware project, OpenStack project).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: String,
    /// The platform's id of the project (what `project-uuid` carries).
    pub uuid: Option<String>,
    pub name: String,
}

/// What the server says about the logged-in session.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub last_successful_login: Option<Millis>,
    pub last_failed_login: Option<Millis>,
    /// The user's configured time zone (IANA name), if any.
    pub time_zone: Option<String>,
    /// Privilege names (`VE_BACKUP_SLA_READ`, …).
    pub privileges: Vec<String>,
}
