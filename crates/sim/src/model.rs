//! The simulated server's state: inventory, policies, backups and tasks, held in one [`World`].
//!
//! Infrastructure that the API cannot change (projects, hypervisor managers, clusters, storages, hypervisors,
//! backup destinations) lives in plain vectors and is referred to by index. Everything the API creates or
//! deletes lives in a [`Table`], ordered by insertion and indexed by guid, so that 100,000 VMs are found in O(1)
//! and paged without copying.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::rng::SplitMix;

/// Epoch milliseconds, as the API sends every instant.
pub type Millis = i64;

/// One day in milliseconds.
pub const DAY_MS: Millis = 86_400_000;

/// A record kept in a [`Table`].
pub trait Keyed {
    /// The record's guid.
    fn guid(&self) -> &str;
}

/// Records in insertion order, found by guid in O(1), removable in O(log n).
#[derive(Debug, Clone)]
pub struct Table<T> {
    rows: BTreeMap<u64, T>,
    index: HashMap<String, u64>,
    next: u64,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table { rows: BTreeMap::new(), index: HashMap::new(), next: 0 }
    }
}

impl<T: Keyed> Table<T> {
    /// Adds a record (a record with the same guid is replaced in place).
    pub fn insert(&mut self, row: T) {
        if let Some(seq) = self.index.get(row.guid()) {
            self.rows.insert(*seq, row);
            return;
        }
        let seq = self.next;
        self.next += 1;
        self.index.insert(row.guid().to_string(), seq);
        self.rows.insert(seq, row);
    }

    /// The record with `guid`.
    pub fn get(&self, guid: &str) -> Option<&T> {
        self.index.get(guid).and_then(|seq| self.rows.get(seq))
    }

    /// The record with `guid`, to change it.
    pub fn get_mut(&mut self, guid: &str) -> Option<&mut T> {
        match self.index.get(guid) {
            Some(seq) => self.rows.get_mut(seq),
            None => None,
        }
    }

    /// Removes and returns the record with `guid`.
    pub fn remove(&mut self, guid: &str) -> Option<T> {
        let seq = self.index.remove(guid)?;
        self.rows.remove(&seq)
    }

    /// Whether a record with `guid` exists.
    pub fn contains(&self, guid: &str) -> bool {
        self.index.contains_key(guid)
    }

    /// All records, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.rows.values()
    }

    /// All records, to change them.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.rows.values_mut()
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// A tenant. Its users see only its VMs, backups, tasks, policies and schedules.
#[derive(Debug, Clone)]
pub struct Project {
    pub guid: String,
    /// The platform's project id: what `project-uuid` carries.
    pub uuid: String,
    pub name: String,
    pub login: String,
    pub password: String,
}

/// A hypervisor manager (oVirt/RHV engine, OpenStack, vCenter).
#[derive(Debug, Clone)]
pub struct HvManager {
    pub guid: String,
    pub name: String,
    pub url: String,
    /// `hvmType` name: RHV, OPENSTACK, VCENTER, …
    pub kind: String,
    pub export_mode: String,
}

/// A cluster of a manager.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub guid: String,
    pub uuid: String,
    pub name: String,
    pub manager: usize,
}

/// A storage domain / datastore / volume type of a manager.
#[derive(Debug, Clone)]
pub struct Storage {
    pub guid: String,
    pub uuid: String,
    pub name: String,
    pub manager: usize,
    pub clusters: Vec<usize>,
    pub total_available: u64,
    pub total_used: u64,
}

/// A hypervisor host.
#[derive(Debug, Clone)]
pub struct Hypervisor {
    pub guid: String,
    pub host: String,
    /// `hvType` name: KVM, ESXI, …
    pub kind: String,
    pub manager: usize,
    pub cluster: Option<usize>,
}

/// A backup destination.
#[derive(Debug, Clone)]
pub struct Destination {
    pub guid: String,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub default: bool,
    pub total_available: u64,
    pub total_used: u64,
}

/// Schedule time window of the INTERVAL execution type (ms after 00:00 UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub start_hour: i64,
    pub end_hour: i64,
    pub frequency: i64,
}

/// A schedule; it reaches policies through the rules that list it.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub guid: String,
    pub name: String,
    pub active: bool,
    pub kind: String,
    pub backup_type: String,
    pub execution_type: String,
    pub hour: Option<i64>,
    pub start_window_length: Option<i64>,
    pub interval: Option<Interval>,
    pub days_of_week: Vec<String>,
    pub day_of_week_occurrences: Vec<String>,
    pub months: Vec<String>,
    /// Owning project; `None` = created by an administrator for everyone.
    pub project: Option<usize>,
}

impl Keyed for Schedule {
    fn guid(&self) -> &str {
        &self.guid
    }
}

/// Retention settings of a rule destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub keep_last_n_full: i64,
    pub keep_full_newer_than: i64,
    pub keep_last_n_incremental: i64,
    pub keep_incremental_newer_than: i64,
    pub keep_last_backup_when_source_still_exists: bool,
}

impl Default for Retention {
    /// The UI's defaults: 4 fulls, 30 incrementals, both kept 30 days.
    fn default() -> Self {
        Retention {
            keep_last_n_full: 4,
            keep_full_newer_than: 30 * DAY_MS,
            keep_last_n_incremental: 30,
            keep_incremental_newer_than: 30 * DAY_MS,
            keep_last_backup_when_source_still_exists: false,
        }
    }
}

/// Where a rule sends its backups.
#[derive(Debug, Clone)]
pub struct RuleDestination {
    pub guid: String,
    pub destination: usize,
    /// PRIMARY, SECONDARY or ARCHIVE.
    pub role: String,
    pub active: bool,
    pub days_to_keep_retention_lock: i64,
    pub retention: Retention,
}

/// A rule of a VM backup policy.
#[derive(Debug, Clone)]
pub struct Rule {
    pub guid: String,
    pub name: String,
    pub active: bool,
    pub position: i64,
    /// Guid of the owning policy.
    pub policy: String,
    /// Guids of its schedules.
    pub schedules: Vec<String>,
    pub destinations: Vec<RuleDestination>,
}

impl Keyed for Rule {
    fn guid(&self) -> &str {
        &self.guid
    }
}

/// A VM backup policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub guid: String,
    pub name: String,
    pub active: bool,
    pub priority: i64,
    pub backup_retry_count: i64,
    pub auto_remove_non_present: bool,
    pub auto_assign_mode: String,
    pub fail_export_threshold: Option<i64>,
    pub fail_store_threshold: Option<i64>,
    pub daily_report_enabled: bool,
    pub disable_clean_old_backups: bool,
    pub quiesce_before_snapshot: bool,
    /// Owning project; `None` = visible to all projects.
    pub project: Option<usize>,
    /// Guids of its rules, in `position` order.
    pub rules: Vec<String>,
    /// Guids of its VMs (kept in step with `Vm::policy` by [`World::assign_policy`]).
    pub members: BTreeSet<String>,
}

impl Policy {
    /// A new, active policy with the server's defaults (priority 50, no retries, no auto-assignment, no
    /// thresholds, no daily report), no rules and no VMs.
    pub fn with_defaults(guid: String, name: String) -> Policy {
        Policy {
            guid,
            name,
            active: true,
            priority: 50,
            backup_retry_count: 0,
            auto_remove_non_present: false,
            auto_assign_mode: "DISABLED".into(),
            fail_export_threshold: None,
            fail_store_threshold: None,
            daily_report_enabled: false,
            disable_clean_old_backups: false,
            quiesce_before_snapshot: false,
            project: None,
            rules: Vec::new(),
            members: BTreeSet::new(),
        }
    }
}

impl Keyed for Policy {
    fn guid(&self) -> &str {
        &self.guid
    }
}

/// A guid with the name it had when referenced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamedRef {
    pub guid: String,
    pub name: String,
}

/// A virtual machine.
#[derive(Debug, Clone)]
pub struct Vm {
    pub guid: String,
    pub uuid: String,
    pub name: String,
    pub project: usize,
    pub manager: usize,
    pub cluster: Option<usize>,
    pub hypervisor: Option<usize>,
    /// Guid of its backup policy (a VM is in at most one).
    pub policy: Option<String>,
    pub present: bool,
    pub tags: Vec<String>,
    pub last_backup: Option<Millis>,
    pub last_backup_size: Option<u64>,
    pub last_full_backup_size: Option<u64>,
    pub last_full_backup: Option<NamedRef>,
    pub last_incremental_backup: Option<NamedRef>,
    pub warnings_present: bool,
}

impl Keyed for Vm {
    fn guid(&self) -> &str {
        &self.guid
    }
}

/// Where a copy of a backup lives.
#[derive(Debug, Clone)]
pub struct Location {
    pub guid: String,
    pub destination: usize,
    pub role: String,
    /// PRESENT, IN_PROGRESS, FAILED or REMOVED.
    pub status: String,
    pub retention_hint: String,
}

/// Who started something: a user or a schedule.
#[derive(Debug, Clone)]
pub struct Origin {
    /// USER, SCHEDULE or SYSTEM_SCHEDULE.
    pub kind: String,
    pub guid: Option<String>,
    pub name: String,
}

/// How long each step of a backup took (the `taskTimeStats` block).
#[derive(Debug, Clone, Copy, Default)]
pub struct TaskTimeStats {
    pub queued_export: i64,
    pub export: i64,
    pub queued_store: i64,
    pub store: i64,
}

/// A backup of one VM.
#[derive(Debug, Clone)]
pub struct Backup {
    pub guid: String,
    pub name: String,
    pub vm: String,
    pub vm_name: String,
    pub project: usize,
    pub backup_time: Option<Millis>,
    pub snapshot_time: Option<Millis>,
    /// QUEUED, INPROGRESS, SUCCESS, PARTIAL_SUCCESS, FAILED.
    pub status: String,
    /// FULL or INCREMENTAL.
    pub kind: String,
    pub size: u64,
    pub status_info: String,
    pub description: String,
    pub parent: Option<NamedRef>,
    pub rule: Option<NamedRef>,
    pub origin: Origin,
    pub locations: Vec<Location>,
    pub warnings: Vec<String>,
    pub warnings_acknowledged: bool,
    pub stats: TaskTimeStats,
    pub export_mode: String,
    pub created_at: Millis,
}

impl Keyed for Backup {
    fn guid(&self) -> &str {
        &self.guid
    }
}

/// Task types the simulator runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskKind {
    Export,
    Store,
    Restore,
    Import,
}

impl TaskKind {
    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            TaskKind::Export => "EXPORT",
            TaskKind::Store => "STORE",
            TaskKind::Restore => "RESTORE",
            TaskKind::Import => "IMPORT",
        }
    }

    /// Every kind (for per-kind slot counting).
    pub const ALL: [TaskKind; 4] = [TaskKind::Export, TaskKind::Store, TaskKind::Restore, TaskKind::Import];
}

/// Task states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskState {
    Queued,
    Running,
    Finished,
    Failed,
    Cancelled,
}

impl TaskState {
    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            TaskState::Queued => "QUEUED",
            TaskState::Running => "RUNNING",
            TaskState::Finished => "FINISHED",
            TaskState::Failed => "FAILED",
            TaskState::Cancelled => "CANCELLED",
        }
    }

    /// The state for a wire name.
    pub fn from_name(name: &str) -> Option<TaskState> {
        match name {
            "QUEUED" => Some(TaskState::Queued),
            "RUNNING" => Some(TaskState::Running),
            "FINISHED" => Some(TaskState::Finished),
            "FAILED" => Some(TaskState::Failed),
            "CANCELLED" => Some(TaskState::Cancelled),
            _ => None,
        }
    }

    /// Whether the task has ended.
    pub fn is_terminal(self) -> bool {
        matches!(self, TaskState::Finished | TaskState::Failed | TaskState::Cancelled)
    }
}

/// One checkpoint of a task's progress: from `at_ms` after its start, progress is `progress` and the status
/// line is `info`.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    pub at_ms: i64,
    pub progress: f64,
    pub info: String,
}

/// How a running task will advance, decided when it starts.
#[derive(Debug, Clone, Default)]
pub struct ProgressPlan {
    pub checkpoints: Vec<Checkpoint>,
    /// Total run time in ms.
    pub duration_ms: i64,
    /// When set, the task fails `at` ms after its start with `message`.
    pub failure: Option<(i64, String)>,
}

/// Where a restore goes.
#[derive(Debug, Clone)]
pub struct RestoreTarget {
    pub manager: usize,
    pub hypervisor: Option<usize>,
    pub cluster: Option<usize>,
    pub storage: Option<usize>,
    pub new_name: String,
}

/// A task.
#[derive(Debug, Clone)]
pub struct Task {
    pub guid: String,
    pub kind: TaskKind,
    pub state: TaskState,
    pub progress: f64,
    pub priority: i64,
    pub window_start: Millis,
    pub window_end: Millis,
    pub created_at: Millis,
    /// The task may not start before this (a short, random stay in the queue).
    pub queued_until: Millis,
    pub start_time: Option<Millis>,
    pub finish_time: Option<Millis>,
    pub backup_type: Option<String>,
    /// The VM the task is about (guid, name); the name stays when the VM is gone.
    pub vm: Option<NamedRef>,
    pub dst_vm: Option<NamedRef>,
    pub manager: Option<usize>,
    pub hypervisor: Option<usize>,
    pub destination: Option<usize>,
    pub backup: Option<NamedRef>,
    pub rule: Option<NamedRef>,
    pub origin: Origin,
    pub status_info: String,
    pub retry_count: i64,
    pub parent: Option<NamedRef>,
    pub workflow: String,
    pub project: usize,
    pub restore: Option<RestoreTarget>,
    pub plan: ProgressPlan,
    /// Set by a cancel of a running task; the runner ends it on its next tick.
    pub cancel_requested: Option<String>,
    /// Whether this workflow was chosen to fail (decided at submit), and in which task kind.
    pub fail_in: Option<TaskKind>,
    /// A failure the task cannot avoid (VM gone, no destination), with its message; it fails soon after start.
    pub doomed: Option<String>,
    /// Destinations (index, role) a backup workflow stores to.
    pub targets: Vec<(usize, String)>,
}

impl Keyed for Task {
    fn guid(&self) -> &str {
        &self.guid
    }
}

/// The whole simulated server state.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub projects: Vec<Project>,
    pub managers: Vec<HvManager>,
    pub clusters: Vec<Cluster>,
    pub storages: Vec<Storage>,
    pub hypervisors: Vec<Hypervisor>,
    pub destinations: Vec<Destination>,
    /// The (single) backup node every task runs on.
    pub node: NamedRef,
    pub schedules: Table<Schedule>,
    pub rules: Table<Rule>,
    pub policies: Table<Policy>,
    pub vms: Table<Vm>,
    /// Number of VMs per project (index), so that an unfiltered page knows its total without a scan.
    pub vm_counts: Vec<usize>,
    pub backups: Table<Backup>,
    /// Backup guids of each VM, oldest first.
    pub backups_by_vm: HashMap<String, Vec<String>>,
    pub tasks: Table<Task>,
    /// Guids of tasks not yet ended, which the task runner looks at on every tick.
    pub active_tasks: BTreeSet<String>,
    /// Random decisions made while serving (guids, failures, progress plans).
    pub rng: SplitMix,
}

impl World {
    /// A fresh guid.
    pub fn new_guid(&mut self) -> String {
        self.rng.uuid()
    }

    /// The index of the project with platform uuid `uuid`.
    pub fn project_by_uuid(&self, uuid: &str) -> Option<usize> {
        self.projects.iter().position(|p| p.uuid == uuid || p.guid == uuid)
    }

    /// The index of the manager with `guid`.
    pub fn manager_by_guid(&self, guid: &str) -> Option<usize> {
        self.managers.iter().position(|m| m.guid == guid)
    }

    /// The index of the hypervisor with `guid`.
    pub fn hypervisor_by_guid(&self, guid: &str) -> Option<usize> {
        self.hypervisors.iter().position(|h| h.guid == guid)
    }

    /// The index of the destination with `guid`.
    pub fn destination_by_guid(&self, guid: &str) -> Option<usize> {
        self.destinations.iter().position(|d| d.guid == guid)
    }

    /// Puts `vm` into `policy` (or into none), keeping the policies' member sets in step. A VM is in at most one
    /// policy, so it leaves its previous one.
    pub fn assign_policy(&mut self, vm: &str, policy: Option<&str>) {
        let previous = match self.vms.get_mut(vm) {
            Some(v) => std::mem::replace(&mut v.policy, policy.map(str::to_string)),
            None => return,
        };
        if let Some(old) = previous.as_deref() {
            if let Some(p) = self.policies.get_mut(old) {
                p.members.remove(vm);
            }
        }
        if let Some(new) = policy {
            if let Some(p) = self.policies.get_mut(new) {
                p.members.insert(vm.to_string());
            }
        }
    }

    /// The shortest time between two scheduled backups of `policy`, when a schedule of it would run backups
    /// (the policy, one of its rules and that rule's schedule are active). Only then does a VM of the policy have
    /// a `backupUpToDate` value.
    pub fn policy_backup_period(&self, policy: &str) -> Option<Millis> {
        let p = self.policies.get(policy)?;
        if !p.active {
            return None;
        }
        p.rules
            .iter()
            .filter_map(|r| self.rules.get(r))
            .filter(|r| r.active)
            .flat_map(|r| r.schedules.iter().filter_map(|s| self.schedules.get(s)))
            .filter(|s| s.active)
            .map(|s| match s.interval {
                Some(i) if s.execution_type == "INTERVAL" => i.frequency.max(60_000),
                // A TIME schedule runs on k days a week: on average every 7/k days.
                _ => 7 * DAY_MS / (s.days_of_week.len().max(1) as Millis),
            })
            .min()
    }

    /// `backupUpToDate` of a VM at `now`: absent when no schedule applies; otherwise whether the last successful
    /// backup is younger than one and a half schedule periods (so a weekly policy is not "late" on day two).
    pub fn backup_up_to_date(&self, vm: &Vm, now: Millis) -> Option<bool> {
        let period = self.policy_backup_period(vm.policy.as_deref()?)?;
        Some(vm.last_backup.is_some_and(|t| now - t < period + period / 2))
    }

    /// Adds a VM (VMs are only ever added: the API has no call that deletes one).
    pub fn add_vm(&mut self, vm: Vm) {
        if !self.vms.contains(&vm.guid) {
            if self.vm_counts.len() <= vm.project {
                self.vm_counts.resize(vm.project + 1, 0);
            }
            self.vm_counts[vm.project] += 1;
        }
        self.vms.insert(vm);
    }

    /// Records a backup and indexes it under its VM.
    pub fn add_backup(&mut self, backup: Backup) {
        self.backups_by_vm.entry(backup.vm.clone()).or_default().push(backup.guid.clone());
        self.backups.insert(backup);
    }

    /// The rules of `policy` in position order.
    pub fn rules_of(&self, policy: &Policy) -> Vec<&Rule> {
        let mut rules: Vec<&Rule> = policy.rules.iter().filter_map(|g| self.rules.get(g)).collect();
        rules.sort_by_key(|r| r.position);
        rules
    }

    /// The guids of the rules that list `schedule`.
    pub fn rules_with_schedule(&self, schedule: &str) -> Vec<&Rule> {
        self.rules.iter().filter(|r| r.schedules.iter().any(|s| s == schedule)).collect()
    }

    /// Updates a VM's "last backup" fields after `backup` succeeded.
    pub fn record_successful_backup(&mut self, backup: &str) {
        let Some(b) = self.backups.get(backup) else { return };
        let (vm, time, size, kind, r) = (
            b.vm.clone(),
            b.backup_time,
            b.size,
            b.kind.clone(),
            NamedRef { guid: b.guid.clone(), name: b.name.clone() },
        );
        if let Some(v) = self.vms.get_mut(&vm) {
            v.last_backup = time;
            v.last_backup_size = Some(size);
            if kind == "FULL" {
                v.last_full_backup_size = Some(size);
                v.last_full_backup = Some(r);
            } else {
                v.last_incremental_backup = Some(r);
            }
        }
    }

    /// The newest successful FULL or INCREMENTAL backup of a VM: the base of the next incremental.
    pub fn last_successful_backup(&self, vm: &str) -> Option<&Backup> {
        self.backups_by_vm
            .get(vm)?
            .iter()
            .rev()
            .filter_map(|g| self.backups.get(g))
            .find(|b| matches!(b.status.as_str(), "SUCCESS" | "PARTIAL_SUCCESS"))
    }
}
