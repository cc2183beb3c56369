#[cfg(feature = "typescript")]
use crate::typescript::tsify::{self, Tsify};
use serde::{Deserialize, Serialize};

use super::{Millis, Ref};
use crate::open_enum;

open_enum! {
    /// How a backup was taken.
    pub enum BackupType {
        Full = "FULL",
        Incremental = "INCREMENTAL",
        Synchronization = "SYNCHRONIZATION",
        Synthetic = "SYNTHETIC",
    }
}

open_enum! {
    /// Where a backup stands.
    pub enum BackupStatus {
        Queued = "QUEUED",
        InProgress = "INPROGRESS",
        Success = "SUCCESS",
        PartialSuccess = "PARTIAL_SUCCESS",
        Failed = "FAILED",
        SuccessRemoved = "SUCCESS_REMOVED",
    }
}

open_enum! {
    /// Whether a copy of a backup exists at a location.
    pub enum LocationStatus {
        Present = "PRESENT",
        InProgress = "IN_PROGRESS",
        Failed = "FAILED",
        Removed = "REMOVED",
    }
}

open_enum! {
    /// The role of a destination in a policy rule.
    pub enum DestinationRole {
        Primary = "PRIMARY",
        Secondary = "SECONDARY",
        Archive = "ARCHIVE",
    }
}

open_enum! {
    /// Who or what started a task or a backup.
    pub enum OriginType {
        User = "USER",
        Schedule = "SCHEDULE",
        SystemSchedule = "SYSTEM_SCHEDULE",
    }
}

/// Who or what started a task or backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Origin {
    pub kind: OriginType,
    pub id: Option<String>,
    pub name: Option<String>,
}

/// One backup of a VM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Backup {
    pub id: String,
    /// The VM the backup is of.
    pub vm: Option<Ref>,
    /// When the backup was made.
    pub time: Option<Millis>,
    /// When the snapshot it was made from was taken.
    pub snapshot_time: Option<Millis>,
    pub backup_type: BackupType,
    pub status: BackupStatus,
    /// Size in bytes.
    pub size: Option<u64>,
    pub status_info: Option<String>,
    pub description: Option<String>,
    pub rule: Option<Ref>,
    pub origin: Option<Origin>,
    /// Where copies of it are kept.
    pub locations: Vec<BackupLocation>,
    pub warnings: Vec<String>,
}

/// One place a backup is kept (primary, secondary or archive destination); restores pick a location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct BackupLocation {
    pub id: String,
    pub backup: Option<Ref>,
    pub destination: Option<Ref>,
    /// Destination type (`FILESYSTEM`, `S3`, …) as the server names it.
    pub destination_type: Option<String>,
    pub role: Option<DestinationRole>,
    pub status: LocationStatus,
    pub snapshot_time: Option<Millis>,
    pub backup_type: Option<BackupType>,
    /// Retention hint (`STANDARD_RETENTION`, `TO_REMOVE`, `ARCHIVE`) as the server names it.
    pub retention_hint: Option<String>,
}
