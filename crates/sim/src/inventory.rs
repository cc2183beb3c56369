//! The inventory file: a JSON document describing everything the simulator starts with, and its loader.
//!
//! Generated inventories go through the same document (`generator.rs` writes one, [`Inventory::into_world`]
//! reads it), so `--print-inventory` shows exactly what a hand-written file would need. The format is described
//! in the crate's README. Objects refer to each other by **name** (projects, managers, clusters, schedules,
//! policies, destinations); guids and platform uuids are optional and drawn from the seed when absent.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::{
    Backup, Cluster, Destination, HvManager, Hypervisor, Interval, Location, Millis, NamedRef, Origin, Policy, Project,
    Retention, Rule, RuleDestination, Schedule, Storage, TaskTimeStats, Vm, World,
};
use crate::render::backup_name;
use crate::rng::SplitMix;

/// Why an inventory could not be used.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("cannot read the inventory file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("the inventory file is not valid: {0}")]
    Parse(String),
    #[error("{context} refers to {kind} `{name}`, which the inventory does not define")]
    Reference { context: String, kind: &'static str, name: String },
    #[error("{kind} `{name}` is defined twice")]
    Duplicate { kind: &'static str, name: String },
    #[error("{context}: {message}")]
    Invalid { context: String, message: String },
}

/// The whole document.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Inventory {
    #[serde(default)]
    pub projects: Vec<ProjectSpec>,
    #[serde(default)]
    pub hypervisor_managers: Vec<ManagerSpec>,
    #[serde(default)]
    pub backup_destinations: Vec<DestinationSpec>,
    #[serde(default)]
    pub schedules: Vec<ScheduleSpec>,
    #[serde(default)]
    pub policies: Vec<PolicySpec>,
    #[serde(default)]
    pub vms: Vec<VmSpec>,
}

/// A project (tenant) and its user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    pub name: String,
    /// The tenant user's login and password.
    pub login: String,
    pub password: String,
}

/// A hypervisor manager with its clusters, storages and hosts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManagerSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    pub name: String,
    /// `hvmType`: RHV, OPENSTACK, VCENTER, NUTANIX, …
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default)]
    pub clusters: Vec<ClusterSpec>,
    #[serde(default)]
    pub storages: Vec<StorageSpec>,
    #[serde(default)]
    pub hypervisors: Vec<HypervisorSpec>,
}

/// A cluster.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    pub name: String,
}

/// A storage, and the clusters (by name) it serves.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    pub name: String,
    #[serde(default)]
    pub clusters: Vec<String>,
    #[serde(default = "default_storage_space")]
    pub total_available_space: u64,
    #[serde(default)]
    pub total_used_space: u64,
}

fn default_storage_space() -> u64 {
    4 << 40
}

/// A hypervisor host, in a cluster (by name).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HypervisorSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    pub host: String,
    /// `hvType`: KVM, ESXI, …
    #[serde(rename = "type", default = "default_hv_type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
}

fn default_hv_type() -> String {
    "KVM".into()
}

/// A backup destination.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DestinationSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    pub name: String,
    /// FILESYSTEM, S3, SYNTHETICDDBOOST, …
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub default: bool,
    #[serde(default = "default_destination_space")]
    pub total_available_space: u64,
    #[serde(default)]
    pub total_used_space: u64,
}

fn default_destination_space() -> u64 {
    20 << 40
}

/// A schedule: the same fields as the API's schedule body, enums as bare names, plus the owning project.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    pub name: String,
    /// Project name; absent = visible to every project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(rename = "type", default = "default_schedule_type")]
    pub kind: String,
    #[serde(default = "default_backup_type")]
    pub backup_type: String,
    #[serde(default = "default_execution_type")]
    pub execution_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hour: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_window_length: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<IntervalSpec>,
    #[serde(default)]
    pub days_of_week: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub day_of_week_occurrences: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub months: Vec<String>,
}

/// `interval` of an INTERVAL schedule (ms after 00:00 UTC, frequency in ms).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IntervalSpec {
    pub start_hour: i64,
    pub end_hour: i64,
    pub frequency: i64,
}

fn yes() -> bool {
    true
}
fn default_schedule_type() -> String {
    "VM_BACKUP".into()
}
fn default_backup_type() -> String {
    "FULL".into()
}
fn default_execution_type() -> String {
    "TIME".into()
}
fn default_priority() -> i64 {
    50
}
fn default_role() -> String {
    "PRIMARY".into()
}

/// A VM backup policy with its rules.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicySpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    pub name: String,
    /// Project name; absent = visible to every project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default = "default_priority")]
    pub priority: i64,
    pub rules: Vec<RuleSpec>,
}

/// A rule: schedules by name and destinations by name.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    pub name: String,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub schedules: Vec<String>,
    #[serde(default)]
    pub destinations: Vec<RuleDestinationSpec>,
}

/// One destination of a rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleDestinationSpec {
    pub destination: String,
    /// PRIMARY, SECONDARY or ARCHIVE.
    #[serde(default = "default_role")]
    pub role: String,
    #[serde(default = "default_keep_full")]
    pub keep_last_n_full: i64,
    #[serde(default = "default_keep_incremental")]
    pub keep_last_n_incremental: i64,
}

fn default_keep_full() -> i64 {
    4
}
fn default_keep_incremental() -> i64 {
    30
}

/// A VM, with optional backup history.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VmSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    pub name: String,
    /// Project name.
    pub project: String,
    /// Hypervisor manager name.
    pub manager: String,
    /// Cluster name (of that manager).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Hypervisor host name (of that manager).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hypervisor: Option<String>,
    /// Policy name (of the VM's project, or a policy visible to all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    #[serde(default = "yes")]
    pub present: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backups: Vec<BackupSpec>,
}

/// A past backup. Its time is `ageHours` before the simulator started (so the data stays fresh).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackupSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    /// FULL or INCREMENTAL.
    #[serde(rename = "type", default = "default_backup_type")]
    pub kind: String,
    /// SUCCESS, PARTIAL_SUCCESS or FAILED.
    #[serde(default = "default_backup_status")]
    pub status: String,
    pub age_hours: f64,
    /// Bytes; drawn from the seed when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_info: Option<String>,
}

fn default_backup_status() -> String {
    "SUCCESS".into()
}

const TASK_STATES_OK: &[&str] = &["SUCCESS", "PARTIAL_SUCCESS", "FAILED"];
const DAYS: &[&str] = &["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

impl Inventory {
    /// Reads an inventory file.
    pub fn read(path: &Path) -> Result<Inventory, InventoryError> {
        let text =
            std::fs::read(path).map_err(|source| InventoryError::Read { path: path.display().to_string(), source })?;
        serde_json::from_slice(&text).map_err(|e| InventoryError::Parse(e.to_string()))
    }

    /// Builds the server state. Missing guids and uuids are drawn from `seed`; backup times are relative to `now`.
    pub fn into_world(self, seed: u64, now: Millis) -> Result<World, InventoryError> {
        let mut rng = SplitMix::new(seed ^ 0x5157_0A2E);
        let mut world = World { node: NamedRef { guid: rng.uuid(), name: "node1".into() }, ..World::default() };

        // Projects.
        let mut project_index = HashMap::new();
        for p in &self.projects {
            if project_index.insert(p.name.clone(), world.projects.len()).is_some() {
                return Err(InventoryError::Duplicate { kind: "project", name: p.name.clone() });
            }
            if world.projects.iter().any(|q| q.login == p.login)
                || [crate::sessions::ADMIN_LOGIN, crate::sessions::VIEWER_LOGIN].contains(&p.login.as_str())
            {
                return Err(InventoryError::Duplicate { kind: "login", name: p.login.clone() });
            }
            world.projects.push(Project {
                guid: id(&p.guid, &mut rng),
                uuid: id(&p.uuid, &mut rng),
                name: p.name.clone(),
                login: p.login.clone(),
                password: p.password.clone(),
            });
        }
        let project = |name: &str, context: &str| {
            project_index.get(name).copied().ok_or_else(|| InventoryError::Reference {
                context: context.to_string(),
                kind: "project",
                name: name.to_string(),
            })
        };

        // Managers, clusters, storages, hypervisors.
        for m in &self.hypervisor_managers {
            if world.managers.iter().any(|x| x.name == m.name) {
                return Err(InventoryError::Duplicate { kind: "hypervisor manager", name: m.name.clone() });
            }
            let mi = world.managers.len();
            world.managers.push(HvManager {
                guid: id(&m.guid, &mut rng),
                name: m.name.clone(),
                url: m.url.clone().unwrap_or_else(|| format!("https://{}/api", m.name)),
                kind: m.kind.clone(),
                export_mode: export_mode_for(&m.kind).to_string(),
            });
            for c in &m.clusters {
                world.clusters.push(Cluster {
                    guid: id(&c.guid, &mut rng),
                    uuid: id(&c.uuid, &mut rng),
                    name: c.name.clone(),
                    manager: mi,
                });
            }
            let cluster_of = |world: &World, name: &str, context: String| {
                world
                    .clusters
                    .iter()
                    .position(|c| c.manager == mi && c.name == name)
                    .ok_or_else(|| InventoryError::Reference { context, kind: "cluster", name: name.to_string() })
            };
            for s in &m.storages {
                let mut clusters = Vec::new();
                for c in &s.clusters {
                    clusters.push(cluster_of(&world, c, format!("storage `{}`", s.name))?);
                }
                world.storages.push(Storage {
                    guid: id(&s.guid, &mut rng),
                    uuid: id(&s.uuid, &mut rng),
                    name: s.name.clone(),
                    manager: mi,
                    clusters,
                    total_available: s.total_available_space,
                    total_used: s.total_used_space,
                });
            }
            for h in &m.hypervisors {
                let cluster = match &h.cluster {
                    Some(c) => Some(cluster_of(&world, c, format!("hypervisor `{}`", h.host))?),
                    None => None,
                };
                world.hypervisors.push(Hypervisor {
                    guid: id(&h.guid, &mut rng),
                    host: h.host.clone(),
                    kind: h.kind.clone(),
                    manager: mi,
                    cluster,
                });
            }
        }

        // Destinations.
        for d in &self.backup_destinations {
            if world.destinations.iter().any(|x| x.name == d.name) {
                return Err(InventoryError::Duplicate { kind: "backup destination", name: d.name.clone() });
            }
            world.destinations.push(Destination {
                guid: id(&d.guid, &mut rng),
                name: d.name.clone(),
                kind: d.kind.clone(),
                description: d.description.clone(),
                default: d.default,
                total_available: d.total_available_space,
                total_used: d.total_used_space,
            });
        }

        // Schedules (names are global, as on the real server).
        let mut schedule_index = HashMap::new();
        for s in &self.schedules {
            let context = format!("schedule `{}`", s.name);
            let proj = match &s.project {
                Some(p) => Some(project(p, &context)?),
                None => None,
            };
            for day in &s.days_of_week {
                if !DAYS.contains(&day.as_str()) {
                    return Err(InventoryError::Invalid { context, message: format!("unknown day `{day}`") });
                }
            }
            let guid = id(&s.guid, &mut rng);
            if schedule_index.insert(s.name.clone(), guid.clone()).is_some() {
                return Err(InventoryError::Duplicate { kind: "schedule", name: s.name.clone() });
            }
            world.schedules.insert(Schedule {
                guid,
                name: s.name.clone(),
                active: s.active,
                kind: s.kind.clone(),
                backup_type: s.backup_type.clone(),
                execution_type: s.execution_type.clone(),
                hour: s.hour,
                start_window_length: s.start_window_length,
                interval: s.interval.map(|i| Interval {
                    start_hour: i.start_hour,
                    end_hour: i.end_hour,
                    frequency: i.frequency,
                }),
                days_of_week: s.days_of_week.clone(),
                day_of_week_occurrences: s.day_of_week_occurrences.clone(),
                months: s.months.clone(),
                project: proj,
            });
        }

        // Policies and rules; a policy name is unique within its project.
        let mut policy_index: HashMap<(Option<usize>, String), String> = HashMap::new();
        for p in &self.policies {
            let context = format!("policy `{}`", p.name);
            let proj = match &p.project {
                Some(name) => Some(project(name, &context)?),
                None => None,
            };
            if p.rules.is_empty() {
                return Err(InventoryError::Invalid { context, message: "a policy needs at least one rule".into() });
            }
            let guid = id(&p.guid, &mut rng);
            if policy_index.insert((proj, p.name.clone()), guid.clone()).is_some() {
                return Err(InventoryError::Duplicate { kind: "policy", name: p.name.clone() });
            }
            let mut rule_guids = Vec::new();
            for (position, r) in p.rules.iter().enumerate() {
                let rule_context = format!("rule `{}` of policy `{}`", r.name, p.name);
                let mut schedules = Vec::new();
                for s in &r.schedules {
                    let g = schedule_index.get(s).ok_or_else(|| InventoryError::Reference {
                        context: rule_context.clone(),
                        kind: "schedule",
                        name: s.clone(),
                    })?;
                    schedules.push(g.clone());
                }
                let mut destinations = Vec::new();
                for d in &r.destinations {
                    let di = world.destinations.iter().position(|x| x.name == d.destination).ok_or_else(|| {
                        InventoryError::Reference {
                            context: rule_context.clone(),
                            kind: "backup destination",
                            name: d.destination.clone(),
                        }
                    })?;
                    destinations.push(RuleDestination {
                        guid: rng.uuid(),
                        destination: di,
                        role: d.role.clone(),
                        active: true,
                        days_to_keep_retention_lock: 0,
                        retention: Retention {
                            keep_last_n_full: d.keep_last_n_full,
                            keep_last_n_incremental: d.keep_last_n_incremental,
                            ..Retention::default()
                        },
                    });
                }
                let rule_guid = id(&r.guid, &mut rng);
                rule_guids.push(rule_guid.clone());
                world.rules.insert(Rule {
                    guid: rule_guid,
                    name: r.name.clone(),
                    active: r.active,
                    position: position as i64,
                    policy: guid.clone(),
                    schedules,
                    destinations,
                });
            }
            world.policies.insert(Policy {
                active: p.active,
                priority: p.priority,
                project: proj,
                rules: rule_guids,
                ..Policy::with_defaults(guid, p.name.clone())
            });
        }

        // VMs and their backups.
        let manager_index: HashMap<String, usize> =
            world.managers.iter().enumerate().map(|(i, m)| (m.name.clone(), i)).collect();
        for v in self.vms {
            let context = format!("VM `{}`", v.name);
            let proj = project(&v.project, &context)?;
            let mi = *manager_index.get(v.manager.as_str()).ok_or_else(|| InventoryError::Reference {
                context: context.clone(),
                kind: "hypervisor manager",
                name: v.manager.clone(),
            })?;
            let cluster = match &v.cluster {
                Some(c) => {
                    Some(world.clusters.iter().position(|x| x.manager == mi && &x.name == c).ok_or_else(|| {
                        InventoryError::Reference { context: context.clone(), kind: "cluster", name: c.clone() }
                    })?)
                }
                None => None,
            };
            let hypervisor = match &v.hypervisor {
                Some(h) => {
                    Some(world.hypervisors.iter().position(|x| x.manager == mi && &x.host == h).ok_or_else(|| {
                        InventoryError::Reference { context: context.clone(), kind: "hypervisor", name: h.clone() }
                    })?)
                }
                None => None,
            };
            let policy = match &v.policy {
                Some(name) => Some(
                    policy_index
                        .get(&(Some(proj), name.clone()))
                        .or_else(|| policy_index.get(&(None, name.clone())))
                        .cloned()
                        .ok_or_else(|| InventoryError::Reference {
                            context: context.clone(),
                            kind: "policy",
                            name: name.clone(),
                        })?,
                ),
                None => None,
            };
            let guid = id(&v.guid, &mut rng);
            if world.vms.contains(&guid) {
                return Err(InventoryError::Duplicate { kind: "VM guid", name: guid });
            }
            let vm = Vm {
                guid: guid.clone(),
                uuid: id(&v.uuid, &mut rng),
                name: v.name.clone(),
                project: proj,
                manager: mi,
                cluster,
                hypervisor,
                policy: None,
                present: v.present,
                tags: v.tags.clone(),
                last_backup: None,
                last_backup_size: None,
                last_full_backup_size: None,
                last_full_backup: None,
                last_incremental_backup: None,
                warnings_present: false,
            };
            let export_mode = world.managers[mi].export_mode.clone();
            world.add_vm(vm);
            if let Some(p) = policy.as_deref() {
                world.assign_policy(&guid, Some(p));
            }
            // The destinations a past backup was stored in: those of the policy's first rule, else the default.
            let (rule, targets) = history_targets(&world, policy.as_deref());
            let mut parent: Option<NamedRef> = None;
            for b in &v.backups {
                if !TASK_STATES_OK.contains(&b.status.as_str()) {
                    return Err(InventoryError::Invalid {
                        context: context.clone(),
                        message: format!("backup status `{}` is not SUCCESS, PARTIAL_SUCCESS or FAILED", b.status),
                    });
                }
                let time = now - (b.age_hours * 3_600_000.0) as Millis;
                // A size given in the file is taken as it is; a drawn one is smaller for incrementals.
                let size = b.size.unwrap_or_else(|| {
                    let full = (rng.between(1, 40) as u64) << 30;
                    if b.kind == "INCREMENTAL" {
                        full / 8
                    } else {
                        full
                    }
                });
                let name = backup_name(&v.name, time);
                let status_info = b.status_info.clone().unwrap_or_else(|| match b.status.as_str() {
                    "SUCCESS" => "Backup finished".to_string(),
                    "PARTIAL_SUCCESS" => "Backup finished; copy to a secondary destination failed".to_string(),
                    _ => "Export failed: snapshot could not be created".to_string(),
                });
                let locations = match b.status.as_str() {
                    "FAILED" => Vec::new(),
                    status => targets
                        .iter()
                        .enumerate()
                        .map(|(i, (dest, role))| Location {
                            guid: rng.uuid(),
                            destination: *dest,
                            role: role.clone(),
                            status: if status == "PARTIAL_SUCCESS" && i > 0 { "FAILED" } else { "PRESENT" }.into(),
                            retention_hint: "STANDARD_RETENTION".into(),
                        })
                        .collect(),
                };
                let backup = Backup {
                    guid: id(&b.guid, &mut rng),
                    name: name.clone(),
                    vm: guid.clone(),
                    vm_name: v.name.clone(),
                    project: proj,
                    backup_time: Some(time),
                    snapshot_time: Some(time - 60_000),
                    status: b.status.clone(),
                    kind: b.kind.clone(),
                    size: if b.status == "FAILED" { 0 } else { size },
                    status_info,
                    description: String::new(),
                    parent: if b.kind == "INCREMENTAL" { parent.clone() } else { None },
                    rule: rule.clone(),
                    origin: Origin { kind: "SCHEDULE".into(), guid: None, name: "schedule".into() },
                    locations,
                    warnings: Vec::new(),
                    warnings_acknowledged: false,
                    stats: TaskTimeStats { queued_export: 4_000, export: 240_000, queued_store: 1_000, store: 120_000 },
                    export_mode: export_mode.clone(),
                    created_at: time - 365_000,
                };
                let bguid = backup.guid.clone();
                let ok = b.status != "FAILED";
                if ok {
                    parent = Some(NamedRef { guid: bguid.clone(), name });
                }
                world.add_backup(backup);
                if ok {
                    world.record_successful_backup(&bguid);
                }
            }
        }
        world.rng = SplitMix::new(seed ^ 0x00C0_FFEE);
        Ok(world)
    }
}

/// The given id, or a fresh one from the seed.
fn id(given: &Option<String>, rng: &mut SplitMix) -> String {
    given.clone().unwrap_or_else(|| rng.uuid())
}

/// The rule and destinations (index, role) a VM's past backups went to.
fn history_targets(world: &World, policy: Option<&str>) -> (Option<NamedRef>, Vec<(usize, String)>) {
    if let Some(p) = policy.and_then(|g| world.policies.get(g)) {
        if let Some(rule) = world.rules_of(p).into_iter().next() {
            let targets: Vec<(usize, String)> =
                rule.destinations.iter().map(|d| (d.destination, d.role.clone())).collect();
            if !targets.is_empty() {
                return (Some(NamedRef { guid: rule.guid.clone(), name: rule.name.clone() }), targets);
            }
        }
    }
    let default = world.destinations.iter().position(|d| d.default).or(if world.destinations.is_empty() {
        None
    } else {
        Some(0)
    });
    (None, default.map(|d| vec![(d, "PRIMARY".to_string())]).unwrap_or_default())
}

/// The export mode each platform uses by default.
fn export_mode_for(kind: &str) -> &'static str {
    match kind {
        "RHV" | "RHEV" | "ORACLE" => "DISK_IMAGE_TRANSFER",
        "VCENTER" => "CHANGED_BLOCK_TRACKING",
        "OPENSTACK" => "DISK_ATTACHMENT",
        _ => "INHERIT",
    }
}
