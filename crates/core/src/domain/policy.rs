use crate::json::Map;
#[cfg(feature = "typescript")]
use crate::typescript::tsify::{self, Tsify};
use serde::{Deserialize, Serialize};

use super::{DestinationRole, Ref};
use crate::open_enum;

open_enum! {
    /// Whether a policy assigns VMs to itself by tags, names or clusters.
    pub enum AutoAssignMode {
        Disabled = "DISABLED",
        AssignOnly = "ASSIGN_ONLY",
        AssignAndRemove = "ASSIGN_AND_REMOVE",
    }
}

/// A VM backup policy (an SLA): which VMs, by which rules, with what priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// `None` before it is created.
    pub id: Option<String>,
    pub name: String,
    /// `false` disables the policy's schedules.
    pub active: bool,
    /// 0–100.
    pub priority: u8,
    pub retry_count: u32,
    pub auto_remove_non_present: bool,
    pub auto_assign: AutoAssignMode,
    pub vms: Vec<Ref>,
    pub rules: Vec<Rule>,
    pub projects: Vec<Ref>,
    pub visible_for_all_projects: bool,
    /// Number of assigned VMs, when the server counts them.
    pub vm_count: Option<u32>,
    /// Server fields this version does not model (auto-assign tags, report settings, thresholds, …), kept as
    /// read and sent back unchanged when the record is saved, so that saving never resets what an administrator
    /// set in the backup server's own UI. Empty for records made here.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[cfg_attr(feature = "typescript", tsify(type = "Record<string, unknown>"))]
    pub server_fields: Map,
}

/// A rule of a policy: schedules that fire it and destinations it writes to. A backup started by hand names
/// the rule it follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: Option<String>,
    pub name: String,
    pub active: bool,
    /// 0-based order within the policy.
    pub position: Option<u32>,
    pub policy: Option<Ref>,
    pub schedules: Vec<Ref>,
    pub destinations: Vec<RuleDestination>,
    /// Server fields this version does not model (auto-assign tags, report settings, thresholds, …), kept as
    /// read and sent back unchanged when the record is saved, so that saving never resets what an administrator
    /// set in the backup server's own UI. Empty for records made here.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[cfg_attr(feature = "typescript", tsify(type = "Record<string, unknown>"))]
    pub server_fields: Map,
}

/// A destination of a rule with its role and retention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct RuleDestination {
    pub id: Option<String>,
    pub destination: Ref,
    pub role: DestinationRole,
    pub active: bool,
    pub retention_lock_days: u32,
    pub retention: Retention,
}

/// How long backups are kept at a destination.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Retention {
    pub keep_last_full: Option<u32>,
    pub keep_full_newer_than_ms: Option<u64>,
    pub keep_last_incremental: Option<u32>,
    pub keep_incremental_newer_than_ms: Option<u64>,
    pub keep_last_when_source_exists: bool,
}
