#[cfg(feature = "typescript")]
use crate::typescript::tsify::{self, Tsify};
use serde::{Deserialize, Serialize};

use super::{BackupType, Millis, Origin, Ref};
use crate::open_enum;

open_enum! {
    /// What a task does. Storware 7.4 names, plus the 4.x ones that were dropped since.
    pub enum TaskType {
        Export = "EXPORT",
        Store = "STORE",
        Restore = "RESTORE",
        Import = "IMPORT",
        Mount = "MOUNT",
        Unmount = "UNMOUNT",
        Delete = "DELETE",
        Snapshot = "SNAPSHOT",
        SnapshotReversion = "SNAPSHOT_REVERSION",
        SnapshotCleanup = "SNAPSHOT_CLEANUP",
        BackupCleanup = "BACKUP_CLEANUP",
        InventorySync = "INVENTORY_SYNC",
        ScopedInventorySync = "SCOPED_INVENTORY_SYNC",
        BackupDestinationInit = "BACKUP_DESTINATION_INIT",
        BackupDestinationSync = "BACKUP_DESTINATION_SYNC",
        ConnectivityTest = "CONNECTIVITY_TEST",
        StagingCleanup = "STAGING_CLEANUP",
        LiveMigration = "LIVE_MIGRATION",
        Upload = "UPLOAD",
        EjectTape = "EJECT_TAPE",
        ImportTape = "IMPORT_TAPE",
        TapeManagerInventorySync = "TAPE_MANAGER_INVENTORY_SYNC",
        Index = "INDEX",
        OldBackupsRemoval = "OLD_BACKUPS_REMOVAL",
        OldSnapshotsRemoval = "OLD_SNAPSHOTS_REMOVAL",
    }
}

open_enum! {
    /// Where a task stands.
    pub enum TaskState {
        Queued = "QUEUED",
        Running = "RUNNING",
        Finished = "FINISHED",
        Failed = "FAILED",
        Cancelled = "CANCELLED",
    }
}

impl TaskState {
    /// Whether the task will not change any more. Unknown states count as not terminal so that they stay
    /// tracked rather than silently dropped.
    pub fn is_terminal(&self) -> bool {
        matches!(self, TaskState::Finished | TaskState::Failed | TaskState::Cancelled)
    }
}

/// A unit of work on the backup server: a backup (export + store), a restore (restore + import), …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub id: String,
    pub kind: TaskType,
    pub state: TaskState,
    /// 0–100, may be fractional.
    pub progress: f64,
    /// 0–100, higher runs first.
    pub priority: Option<u8>,
    pub window_start: Option<Millis>,
    pub window_end: Option<Millis>,
    pub start_time: Option<Millis>,
    pub finish_time: Option<Millis>,
    pub backup_type: Option<BackupType>,
    /// The VM the task works on; `None` when the VM record was deleted (see `vm_name`).
    pub vm: Option<Ref>,
    /// The VM's name as the server displays it, even after the VM is gone.
    pub vm_name: Option<String>,
    /// The VM a restore creates or replaces.
    pub target_vm: Option<Ref>,
    /// The hypervisor manager the task works with: a backup's source, a restore's target.
    pub hypervisor_manager: Option<Ref>,
    /// The stand-alone hypervisor the task works with, when there is one: a backup's source, a restore's target.
    pub hypervisor: Option<Ref>,
    pub backup: Option<Ref>,
    /// The server's human message (progress step or failure reason).
    pub status_info: Option<String>,
    pub origin: Option<Origin>,
    pub parent: Option<Ref>,
    /// The workflow execution grouping related tasks (export + store, restore + import).
    pub workflow: Option<String>,
}

impl Task {
    /// A task with an id, type and state and nothing else known (tests, placeholders until the first reading).
    pub fn new(id: impl Into<String>, kind: TaskType, state: TaskState) -> Self {
        Task {
            id: id.into(),
            kind,
            state,
            progress: 0.0,
            priority: None,
            window_start: None,
            window_end: None,
            start_time: None,
            finish_time: None,
            backup_type: None,
            vm: None,
            vm_name: None,
            target_vm: None,
            hypervisor_manager: None,
            hypervisor: None,
            backup: None,
            status_info: None,
            origin: None,
            parent: None,
            workflow: None,
        }
    }
}

/// What the server answered to a backup or restore submission.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SubmitResult {
    /// Tasks created; may be empty when the server materialises them later (Storware `async: true`).
    pub tasks: Vec<Task>,
    /// Objects accepted, when the server lists them.
    pub accepted: Vec<Ref>,
    /// Objects refused, when the server lists them.
    pub refused: Vec<Ref>,
    /// True when the server's answer was lost and `tasks` are the ones found on the server afterwards, which the
    /// submission most likely created (it was not sent again).
    #[serde(default)]
    pub recovered: bool,
    /// Ids of extra copies of the submission that reached the server more than once (a browser resends a request
    /// whose connection closed without a reply) and that the client cancelled; after a lost answer
    /// (`recovered`) or beside an answered one.
    #[serde(default)]
    pub cancelled_copies: Vec<String>,
}
