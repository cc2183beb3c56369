#[cfg(feature = "typescript")]
use crate::typescript::tsify::{self, Tsify};
use serde::{Deserialize, Serialize};

use super::{Millis, Ref};

/// A virtual machine and how well it is protected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Vm {
    pub id: String,
    /// The virtualisation platform's id of the VM.
    pub platform_id: Option<String>,
    pub name: String,
    pub project: Option<Ref>,
    /// A stand-alone hypervisor, for platforms without a manager.
    pub hypervisor: Option<Ref>,
    pub hypervisor_manager: Option<Ref>,
    pub cluster: Option<Ref>,
    /// Platform type (`RHV`, `OPENSTACK`, `KVM`, …) as the server names it.
    pub platform: Option<String>,
    pub protection: Protection,
    pub tags: Vec<String>,
}

/// A VM's protection status.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Protection {
    /// The backup policy the VM is assigned to; `None` means it is not protected by any schedule.
    pub policy: Option<Ref>,
    /// When the last backup was made.
    pub last_backup: Option<Millis>,
    /// Size of the last successful backup, in bytes.
    pub last_backup_size: Option<u64>,
    /// Whether backups are as recent as the schedule asks; `None` when no schedule applies.
    pub up_to_date: Option<bool>,
    /// Whether the VM still exists on the platform.
    pub present: bool,
    /// Whether the last backups carry warnings.
    pub warnings: bool,
}
