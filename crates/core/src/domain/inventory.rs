//! Restore targets and backup destinations.

#[cfg(feature = "typescript")]
use crate::typescript::tsify::{self, Tsify};
use serde::{Deserialize, Serialize};

use super::Ref;

/// A hypervisor manager (oVirt/RHV engine, OpenStack, vCenter, Nutanix, …): a restore target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct HypervisorManager {
    pub id: String,
    /// Display name; Storware often has only the URL.
    pub name: Option<String>,
    pub url: Option<String>,
    /// Manager type (`RHV`, `OPENSTACK`, `VCENTER`, …) as the server names it.
    pub kind: Option<String>,
}

/// A stand-alone hypervisor (KVM, Citrix, ESXi, …): a restore target for platforms without a manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Hypervisor {
    pub id: String,
    /// Host name or address.
    pub host: String,
    /// Hypervisor type (`KVM`, `ESXI`, …) as the server names it.
    pub kind: Option<String>,
    pub cluster: Option<Ref>,
    pub hypervisor_manager: Option<Ref>,
}

/// A cluster of a hypervisor manager. Restores address it by its platform `uuid`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    pub id: String,
    pub uuid: Option<String>,
    pub name: String,
}

/// A storage domain / datastore / volume type. Restores address it by its platform `uuid`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Storage {
    pub id: String,
    pub uuid: Option<String>,
    pub name: String,
    /// Clusters that can use it.
    pub clusters: Vec<Ref>,
    /// The server's `totalAvailableSpace`. Storware's own UI treats it as the capacity and shows the free space
    /// as `available_bytes - used_bytes`.
    pub available_bytes: Option<u64>,
    /// The server's `totalUsedSpace`.
    pub used_bytes: Option<u64>,
}

/// Where backups are written (file system, S3, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct BackupDestination {
    pub id: String,
    pub name: String,
    /// Destination type (`FILESYSTEM`, `S3`, …) as the server names it.
    pub kind: Option<String>,
    pub description: Option<String>,
    pub is_default: bool,
    pub used_bytes: Option<u64>,
    pub available_bytes: Option<u64>,
}
