//! The option objects JavaScript passes to the client's methods, read strictly: an unknown option, a value of the
//! wrong type or an enum name this version does not know is a `usage` error naming it, never silently ignored.

use serde::Deserialize;
use vmbackup_core::domain::{
    BackupLocation, BackupStatus, BackupType, Direction, LocationStatus, Millis, PageRequest, Ref, ScheduleType, Sort,
    TaskState, TaskType,
};
use vmbackup_core::json::Value;
use vmbackup_core::storware::backups::{ListBackupLocations, ListBackups};
use vmbackup_core::storware::inventory::{
    ListBackupDestinations, ListClusters, ListHypervisorManagers, ListHypervisors,
};
use vmbackup_core::storware::policies::ListPolicies;
use vmbackup_core::storware::schedules::ListSchedules;
use vmbackup_core::storware::tasks::{ExportVms, ListTasks, RestoreAndImport, RestoreTarget, DEFAULT_PRIORITY};
use vmbackup_core::storware::vms::ListVms;
use vmbackup_core::typescript::tsify::{self, Tsify};

use crate::error::VmbackupError;
use crate::json::{At, Fields, FromJson};

/// A sort direction, in either case (`"asc"`, `"ASC"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Tsify)]
#[tsify(type = "\"asc\" | \"desc\" | \"ASC\" | \"DESC\"")]
pub enum SortDirection {
    #[serde(rename = "asc", alias = "ASC")]
    Asc,
    #[serde(rename = "desc", alias = "DESC")]
    Desc,
}

impl FromJson for SortDirection {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        match value.as_str() {
            Some("asc" | "ASC") => Ok(SortDirection::Asc),
            Some("desc" | "DESC") => Ok(SortDirection::Desc),
            _ => Err(at.error("expected \"asc\" or \"desc\"")),
        }
    }
}

impl From<SortDirection> for Direction {
    fn from(direction: SortDirection) -> Direction {
        match direction {
            SortDirection::Asc => Direction::Asc,
            SortDirection::Desc => Direction::Desc,
        }
    }
}

/// Rows per page when `page` is given without `size`.
pub const DEFAULT_PAGE_SIZE: u32 = 20;

/// What the open enums used in options have in common: a list of the names this version knows.
trait OpenEnum: Sized + PartialEq + 'static {
    fn known() -> &'static [Self];
    fn name(&self) -> &str;
}

macro_rules! open_enums {
    ($($ty:ty),+) => {$(
        impl OpenEnum for $ty {
            fn known() -> &'static [Self] {
                <$ty>::KNOWN
            }
            fn name(&self) -> &str {
                self.as_str()
            }
        }
    )+};
}

/// Rejects an open enum's value this version does not know: in a request it is a typo far more often than a
/// value a newer server added.
fn ensure_known<T: OpenEnum>(value: T, field: &str) -> Result<T, VmbackupError> {
    if T::known().contains(&value) {
        return Ok(value);
    }
    let known: Vec<&str> = T::known().iter().map(OpenEnum::name).collect();
    Err(VmbackupError::usage_of(
        field,
        format!("{field}: unknown value \"{}\", expected one of {}", value.name(), known.join(", ")),
    ))
}

open_enums!(BackupStatus, BackupType, LocationStatus, ScheduleType, TaskState, TaskType);

/// Declares an options struct for a list operation: the given fields plus `page`, `size`, `sortBy`, `direction`,
/// with its [`FromJson`] (each field's JSON name is given, as serde's `rename_all` spells it).
macro_rules! list_options {
    ($(#[$meta:meta])* pub struct $name:ident {
        $($(#[$field_meta:meta])* pub $field:ident: $ty:ty = $key:literal,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Deserialize, Tsify)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct $name {
            $($(#[$field_meta])* #[serde(default)] pub $field: Option<$ty>,)*
            /// 0-based page index; with neither `page` nor `size`, every row comes at once.
            #[serde(default)]
            pub page: Option<u32>,
            /// Rows per page (default 20 when `page` is given).
            #[serde(default)]
            pub size: Option<u32>,
            /// A field name the server sorts by (`name`, …).
            #[serde(default)]
            pub sort_by: Option<String>,
            /// Sort direction, with `sortBy` (default `"asc"`).
            #[serde(default)]
            pub direction: Option<SortDirection>,
        }

        impl $name {
            /// The page asked for, if any.
            pub fn page_request(&self) -> Option<PageRequest> {
                page_request(self.page, self.size)
            }

            /// The sort order asked for, if any.
            pub fn sort(&self) -> Result<Option<Sort>, VmbackupError> {
                sort(self.sort_by.as_deref(), self.direction)
            }
        }

        impl FromJson for $name {
            fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
                let f = Fields::of(value, at)?;
                f.only(&[$($key,)* "page", "size", "sortBy", "direction"])?;
                Ok($name {
                    $($field: f.get($key)?,)*
                    page: f.get("page")?,
                    size: f.get("size")?,
                    sort_by: f.get("sortBy")?,
                    direction: f.get("direction")?,
                })
            }
        }
    };
}

fn page_request(page: Option<u32>, size: Option<u32>) -> Option<PageRequest> {
    match (page, size) {
        (None, None) => None,
        (index, size) => Some(PageRequest { index: index.unwrap_or(0), size: size.unwrap_or(DEFAULT_PAGE_SIZE) }),
    }
}

fn sort(sort_by: Option<&str>, direction: Option<SortDirection>) -> Result<Option<Sort>, VmbackupError> {
    match (sort_by.map(str::trim).filter(|f| !f.is_empty()), direction) {
        (Some(field), direction) => {
            Ok(Some(Sort { field: field.to_string(), direction: direction.map_or(Direction::Asc, Direction::from) }))
        }
        (None, Some(_)) => Err(VmbackupError::usage_of("direction", "direction needs sortBy (the field to sort by)")),
        (None, None) => Ok(None),
    }
}

fn non_blank(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

list_options! {
    /// Options of `listVms`.
    pub struct ListVmsOptions {
        /// Names containing this text.
        pub name: String = "name",
        /// Only VMs of this project (its platform uuid); default: the client's `project`.
        pub project: String = "project",
        /// The VM with this platform id.
        pub platform_id: String = "platformId",
    }
}

impl ListVmsOptions {
    /// The operation.
    pub fn operation(self) -> Result<ListVms, VmbackupError> {
        Ok(ListVms {
            page: self.page_request(),
            sort: self.sort()?,
            name: non_blank(self.name),
            project_uuid: non_blank(self.project),
            platform_id: non_blank(self.platform_id),
        })
    }
}

list_options! {
    /// Options of `listBackups`.
    pub struct ListBackupsOptions {
        /// Only backups in one of these states.
        pub statuses: Vec<BackupStatus> = "statuses",
        /// Only backups of this type.
        pub backup_type: BackupType = "backupType",
        /// Only backups made at or after this instant (epoch ms).
        pub from: Millis = "from",
        /// Only backups made at or before this instant (epoch ms).
        pub to: Millis = "to",
        /// Only backups that can be mounted for file-level restore.
        pub only_mountable: bool = "onlyMountable",
    }
}

impl ListBackupsOptions {
    /// The operation for the backups of `vm` (every VM's when `None`).
    pub fn operation(self, vm: Option<String>) -> Result<ListBackups, VmbackupError> {
        let statuses = self.statuses.clone().unwrap_or_default();
        let statuses = statuses.into_iter().map(|s| ensure_known(s, "statuses")).collect::<Result<_, _>>()?;
        let backup_type = self.backup_type.clone().map(|t| ensure_known(t, "backupType")).transpose()?;
        Ok(ListBackups {
            vm,
            statuses,
            backup_type,
            from: self.from,
            to: self.to,
            only_mountable: self.only_mountable.unwrap_or(false),
            page: self.page_request(),
            sort: self.sort()?,
        })
    }
}

/// Options of `listBackupLocations`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListBackupLocationsOptions {
    /// Only locations in this state (`"PRESENT"`: what a restore can use); default: every location.
    #[serde(default)]
    pub status: Option<LocationStatus>,
}

impl FromJson for ListBackupLocationsOptions {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        f.only(&["status"])?;
        Ok(ListBackupLocationsOptions { status: f.get("status")? })
    }
}

impl ListBackupLocationsOptions {
    /// The operation for the backup locations of `vm`.
    pub fn operation(self, vm: String) -> Result<ListBackupLocations, VmbackupError> {
        let status = self.status.map(|s| ensure_known(s, "status")).transpose()?;
        Ok(ListBackupLocations { vm, status })
    }
}

list_options! {
    /// Options of `listTasks`.
    pub struct ListTasksOptions {
        /// Only tasks of this VM (id).
        pub vm: String = "vm",
        /// Only tasks in one of these states.
        pub states: Vec<TaskState> = "states",
        /// Only tasks of this type.
        #[serde(rename = "type")]
        pub kind: TaskType = "type",
        /// Only tasks of this workflow execution (an export and its store, a restore and its import).
        pub workflow: String = "workflow",
        /// Only tasks of this backup (id).
        pub backup: String = "backup",
    }
}

impl ListTasksOptions {
    /// The operation.
    pub fn operation(self) -> Result<ListTasks, VmbackupError> {
        let states = self.states.clone().unwrap_or_default();
        let states = states.into_iter().map(|s| ensure_known(s, "states")).collect::<Result<_, _>>()?;
        let kind = self.kind.clone().map(|k| ensure_known(k, "type")).transpose()?;
        Ok(ListTasks {
            page: self.page_request(),
            sort: self.sort()?,
            vm: non_blank(self.vm),
            states,
            kind,
            workflow: non_blank(self.workflow),
            backup: non_blank(self.backup),
        })
    }
}

list_options! {
    /// Options of `listPolicies`.
    pub struct ListPoliciesOptions {
        /// With each policy's rules.
        pub extended: bool = "extended",
        /// Names containing this text.
        pub name: String = "name",
        /// Free-text search.
        pub filter: String = "filter",
        /// Only the policy this VM (id) is assigned to.
        pub vm: String = "vm",
        /// Only policies of this project (platform uuid).
        pub project: String = "project",
    }
}

impl ListPoliciesOptions {
    /// The operation.
    pub fn operation(self) -> Result<ListPolicies, VmbackupError> {
        Ok(ListPolicies {
            page: self.page_request(),
            sort: self.sort()?,
            extended: self.extended.unwrap_or(false),
            name_like: non_blank(self.name),
            filter: non_blank(self.filter),
            vm: non_blank(self.vm),
            project_uuid: non_blank(self.project),
        })
    }
}

list_options! {
    /// Options of `listSchedules`.
    pub struct ListSchedulesOptions {
        /// Only schedules of this type.
        #[serde(rename = "type")]
        pub kind: ScheduleType = "type",
        /// Only schedules that apply to this VM (id).
        pub vm: String = "vm",
        /// Only schedules of this project (platform uuid).
        pub project: String = "project",
    }
}

impl ListSchedulesOptions {
    /// The operation.
    pub fn operation(self) -> Result<ListSchedules, VmbackupError> {
        let kind = self.kind.clone().map(|k| ensure_known(k, "type")).transpose()?;
        Ok(ListSchedules {
            page: self.page_request(),
            sort: self.sort()?,
            kind,
            protected_entity: non_blank(self.vm),
            project_uuid: non_blank(self.project),
        })
    }
}

list_options! {
    /// Options of `listHypervisorManagers`.
    pub struct ListHypervisorManagersOptions {
        /// Only managers a restore of this backup (id) can go to.
        pub for_restore_of: String = "forRestoreOf",
    }
}

impl ListHypervisorManagersOptions {
    /// The operation.
    pub fn operation(self) -> Result<ListHypervisorManagers, VmbackupError> {
        Ok(ListHypervisorManagers {
            backup_to_be_restored: non_blank(self.for_restore_of.clone()),
            page: self.page_request(),
            sort: self.sort()?,
        })
    }
}

list_options! {
    /// Options of `listHypervisors`.
    pub struct ListHypervisorsOptions {}
}

impl ListHypervisorsOptions {
    /// The operation.
    pub fn operation(self) -> Result<ListHypervisors, VmbackupError> {
        Ok(ListHypervisors { page: self.page_request(), sort: self.sort()? })
    }
}

list_options! {
    /// Options of `listClusters`.
    pub struct ListClustersOptions {}
}

impl ListClustersOptions {
    /// The operation for the clusters of hypervisor manager `manager` (every cluster when `None`).
    pub fn operation(self, manager: Option<String>) -> Result<ListClusters, VmbackupError> {
        Ok(ListClusters { hypervisor_manager: non_blank(manager), page: self.page_request(), sort: self.sort()? })
    }
}

list_options! {
    /// Options of `listBackupDestinations`.
    pub struct ListBackupDestinationsOptions {}
}

impl ListBackupDestinationsOptions {
    /// The operation.
    pub fn operation(self) -> Result<ListBackupDestinations, VmbackupError> {
        Ok(ListBackupDestinations { page: self.page_request(), sort: self.sort()? })
    }
}

/// A backup to start now (`backUp`, `validateBackup`).
#[derive(Debug, Clone, PartialEq, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackupRequest {
    /// The VMs to back up (ids).
    pub vms: Vec<String>,
    /// The policy rules (ids) whose destinations receive the backup and whose retention keeps it; take them from
    /// the VM's policy.
    pub rules: Vec<String>,
    pub backup_type: BackupType,
    /// 0–100, higher runs first; default 50.
    #[serde(default)]
    pub priority: Option<i64>,
    /// How often the server retries a failed task; default 0.
    #[serde(default)]
    pub retry_count: Option<u32>,
    /// The task fails if it has not started by then (epoch ms); default: the server's window.
    #[serde(default)]
    pub window_end: Option<Millis>,
    /// Ask the server (7.x) to answer before the tasks exist; the answer may then list no tasks.
    #[serde(default)]
    pub asynchronous: Option<bool>,
    /// For `validateBackup` only: when the window starts (epoch ms); a backup starts its window at submission.
    #[serde(default)]
    pub window_start: Option<Millis>,
}

impl FromJson for BackupRequest {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        f.only(&["vms", "rules", "backupType", "priority", "retryCount", "windowEnd", "asynchronous", "windowStart"])?;
        Ok(BackupRequest {
            vms: f.get("vms")?,
            rules: f.get("rules")?,
            backup_type: f.get("backupType")?,
            priority: f.get("priority")?,
            retry_count: f.get("retryCount")?,
            window_end: f.get("windowEnd")?,
            asynchronous: f.get("asynchronous")?,
            window_start: f.get("windowStart")?,
        })
    }
}

impl BackupRequest {
    /// The operation, submitted at `now`. Checks what the core checks (VMs, rules, priority, window) and rejects
    /// with a validation error listing every problem.
    pub fn operation(self, now: Millis) -> Result<ExportVms, VmbackupError> {
        let backup_type = ensure_known(self.backup_type, "backupType")?;
        let priority = self.priority.unwrap_or(i64::from(DEFAULT_PRIORITY));
        let errors = vmbackup_core::validation::export_errors(
            self.vms.len(),
            self.rules.len(),
            priority,
            Some(now),
            self.window_end,
        );
        vmbackup_core::validation::into_result(errors)?;
        let mut op = ExportVms::new(
            self.vms.into_iter().map(Ref::id).collect(),
            self.rules.into_iter().map(Ref::id).collect(),
            backup_type,
            now,
        )
        // Checked to lie within 0–100 just above.
        .with_priority(u8::try_from(priority).unwrap_or(DEFAULT_PRIORITY))
        .with_retry_count(self.retry_count.unwrap_or(0));
        if let Some(end) = self.window_end {
            op = op.with_window_end(end);
        }
        if self.asynchronous == Some(true) {
            op = op.asynchronous();
        }
        op.validate()?;
        Ok(op)
    }
}

/// A restore of a backup from one of its locations into a hypervisor manager or a stand-alone hypervisor
/// (`restore`).
#[derive(Debug, Clone, PartialEq, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RestoreRequest {
    /// The backup location to restore from (a `BackupLocation`'s id).
    pub location_id: String,
    /// The backup the location holds (id).
    pub backup_id: String,
    /// Restore into this hypervisor manager (id); give this or `hypervisor`.
    #[serde(default)]
    pub hypervisor_manager: Option<String>,
    /// Restore onto this stand-alone hypervisor (id); give this or `hypervisorManager`.
    #[serde(default)]
    pub hypervisor: Option<String>,
    /// The target cluster's platform `uuid` (a `Cluster`'s `uuid`, not its `id`).
    #[serde(default)]
    pub cluster_uuid: Option<String>,
    /// The target storage's platform `uuid` (a `Storage`'s `uuid`, not its `id`).
    #[serde(default)]
    pub storage_uuid: Option<String>,
    /// A new name for the restored VM; default: the original name.
    #[serde(default)]
    pub new_name: Option<String>,
    /// The project (id) to restore into (OpenStack, Kubernetes/OpenShift).
    #[serde(default)]
    pub project: Option<String>,
    /// Replace an existing VM of the same name; default `false`.
    #[serde(default)]
    pub overwrite: Option<bool>,
}

impl FromJson for RestoreRequest {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        f.only(&[
            "locationId",
            "backupId",
            "hypervisorManager",
            "hypervisor",
            "clusterUuid",
            "storageUuid",
            "newName",
            "project",
            "overwrite",
        ])?;
        Ok(RestoreRequest {
            location_id: f.get("locationId")?,
            backup_id: f.get("backupId")?,
            hypervisor_manager: f.get("hypervisorManager")?,
            hypervisor: f.get("hypervisor")?,
            cluster_uuid: f.get("clusterUuid")?,
            storage_uuid: f.get("storageUuid")?,
            new_name: f.get("newName")?,
            project: f.get("project")?,
            overwrite: f.get("overwrite")?,
        })
    }
}

impl RestoreRequest {
    /// The operation; rejects with a validation error when a required part is missing.
    pub fn operation(self) -> Result<RestoreAndImport, VmbackupError> {
        let target = match (non_blank(self.hypervisor_manager), non_blank(self.hypervisor)) {
            (Some(manager), None) => RestoreTarget::HypervisorManager(Ref::id(manager)),
            (None, Some(hypervisor)) => RestoreTarget::Hypervisor(Ref::id(hypervisor)),
            (Some(_), Some(_)) => {
                return Err(VmbackupError::usage_of("hypervisor", "give hypervisorManager or hypervisor, not both"))
            }
            (None, None) => {
                return Err(VmbackupError::usage_of(
                    "hypervisorManager",
                    "give hypervisorManager or hypervisor: where to restore the VM",
                ))
            }
        };
        let location = BackupLocation {
            id: self.location_id,
            backup: Some(Ref::id(self.backup_id)),
            destination: None,
            destination_type: None,
            role: None,
            status: LocationStatus::Present,
            snapshot_time: None,
            backup_type: None,
            retention_hint: None,
        };
        let mut op = RestoreAndImport::new(location, target).overwriting(self.overwrite.unwrap_or(false));
        if let Some(cluster) = non_blank(self.cluster_uuid) {
            op = op.with_cluster(cluster);
        }
        if let Some(storage) = non_blank(self.storage_uuid) {
            op = op.with_storage(storage);
        }
        if let Some(name) = self.new_name {
            op = op.with_new_name(name);
        }
        if let Some(project) = non_blank(self.project) {
            op = op.in_project(Ref::id(project));
        }
        op.validate()?;
        Ok(op)
    }
}
