//! Restore targets (hypervisor managers, hypervisors, clusters, storages, projects) and backup destinations.
//!
//! A restore dialog asks for the managers that can receive a backup (`backup-to-be-restored`), then for that
//! manager's clusters, storages and projects. Clusters and storages are addressed in restore requests by their
//! platform `uuid`, so [`Cluster::uuid`] and [`Storage::uuid`] are what to send, not their ids.

use serde::Deserialize;

use super::paged;
use super::wire::{guid_refs, opt_bool, opt_enum_name, opt_ref, opt_string, opt_u64, parse_list, ref_list};
use crate::domain::{
    BackupDestination, Cluster, Direction, Hypervisor, HypervisorManager, Page, PageRequest, Project, Ref, Sort,
    Storage,
};
use crate::endpoint::Endpoint;
use crate::error::ApiError;
use crate::http::{HttpRequest, HttpResponse, Purpose};

/// A hypervisor manager as `GET /hypervisor-managers` sends it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireHypervisorManager {
    guid: String,
    #[serde(default, deserialize_with = "opt_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    url: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "opt_enum_name")]
    kind: Option<String>,
}

impl From<WireHypervisorManager> for HypervisorManager {
    fn from(w: WireHypervisorManager) -> HypervisorManager {
        HypervisorManager { id: w.guid, name: w.name, url: w.url, kind: w.kind }
    }
}

/// A stand-alone hypervisor as `GET /hypervisors` sends it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireHypervisor {
    guid: String,
    #[serde(default, deserialize_with = "opt_string")]
    host: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    name: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "opt_enum_name")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "opt_ref")]
    cluster: Option<Ref>,
    #[serde(default, deserialize_with = "opt_ref")]
    hv_manager: Option<Ref>,
}

impl From<WireHypervisor> for Hypervisor {
    fn from(w: WireHypervisor) -> Hypervisor {
        Hypervisor {
            // `host` is what the server shows; a record without it still needs a label.
            host: w.host.or(w.name).unwrap_or_else(|| w.guid.clone()),
            id: w.guid,
            kind: w.kind,
            cluster: w.cluster,
            hypervisor_manager: w.hv_manager,
        }
    }
}

/// A cluster as `GET /hypervisor-clusters` sends it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCluster {
    guid: String,
    #[serde(default, deserialize_with = "opt_string")]
    uuid: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    name: Option<String>,
}

impl From<WireCluster> for Cluster {
    fn from(w: WireCluster) -> Cluster {
        Cluster { name: label(w.name, w.uuid.as_deref(), &w.guid), id: w.guid, uuid: w.uuid }
    }
}

/// A storage as `GET /hypervisor-storages` sends it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireStorage {
    guid: String,
    #[serde(default, deserialize_with = "opt_string")]
    uuid: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "ref_list")]
    clusters: Vec<Ref>,
    #[serde(default, deserialize_with = "opt_u64")]
    total_available_space: Option<u64>,
    #[serde(default, deserialize_with = "opt_u64")]
    total_used_space: Option<u64>,
}

impl From<WireStorage> for Storage {
    fn from(w: WireStorage) -> Storage {
        Storage {
            name: label(w.name, w.uuid.as_deref(), &w.guid),
            id: w.guid,
            uuid: w.uuid,
            clusters: w.clusters,
            available_bytes: w.total_available_space,
            used_bytes: w.total_used_space,
        }
    }
}

/// A backup destination as `GET /backup-destinations` and `POST /backup-destinations/usable-for-vms` send it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireBackupDestination {
    guid: String,
    #[serde(default, deserialize_with = "opt_string")]
    name: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "opt_enum_name")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    description: Option<String>,
    #[serde(default, deserialize_with = "opt_bool")]
    default_backup_destination: Option<bool>,
    #[serde(default, deserialize_with = "opt_u64")]
    total_used_space: Option<u64>,
    #[serde(default, deserialize_with = "opt_u64")]
    total_available_space: Option<u64>,
}

impl From<WireBackupDestination> for BackupDestination {
    fn from(w: WireBackupDestination) -> BackupDestination {
        BackupDestination {
            name: label(w.name, None, &w.guid),
            id: w.guid,
            kind: w.kind,
            description: w.description,
            is_default: w.default_backup_destination.unwrap_or(false),
            used_bytes: w.total_used_space,
            available_bytes: w.total_available_space,
        }
    }
}

/// A project (OpenStack, Kubernetes/OpenShift namespace) as `GET /projects` sends it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireProject {
    guid: String,
    #[serde(default, deserialize_with = "opt_string")]
    uuid: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    name: Option<String>,
}

impl From<WireProject> for Project {
    fn from(w: WireProject) -> Project {
        Project { name: label(w.name, w.uuid.as_deref(), &w.guid), id: w.guid, uuid: w.uuid }
    }
}

/// A display name: the server's name, else the platform uuid, else the Storware guid.
fn label(name: Option<String>, uuid: Option<&str>, guid: &str) -> String {
    name.filter(|n| !n.trim().is_empty()).or_else(|| uuid.map(str::to_string)).unwrap_or_else(|| guid.to_string())
}

fn sort(field: &str, direction: Direction) -> Option<Sort> {
    Some(Sort { field: field.to_string(), direction })
}

/// `GET /hypervisor-managers`: the managers (RHV/oVirt, OpenStack, vCenter, …), optionally only those that can
/// receive a given backup.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::inventory::ListHypervisorManagers};
/// let req = ListHypervisorManagers::for_restore_of("b-1").request();
/// assert_eq!(req.path_and_query(), "/hypervisor-managers?backup-to-be-restored=b-1");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListHypervisorManagers {
    /// Only managers a restore of this backup (Storware guid) can go to.
    pub backup_to_be_restored: Option<String>,
    /// `None` fetches every manager.
    pub page: Option<PageRequest>,
    pub sort: Option<Sort>,
}

impl ListHypervisorManagers {
    /// Every manager.
    pub fn all() -> Self {
        ListHypervisorManagers::default()
    }

    /// The managers that can receive a restore of backup `backup_id`.
    pub fn for_restore_of(backup_id: impl Into<String>) -> Self {
        ListHypervisorManagers { backup_to_be_restored: Some(backup_id.into()), ..Default::default() }
    }

    /// One page of `size` managers, 0-based.
    pub fn page(mut self, index: u32, size: u32) -> Self {
        self.page = Some(PageRequest { index, size });
        self
    }

    /// Sorted by a server field (`url`, `type`, …).
    pub fn sort_by(mut self, field: &str, direction: Direction) -> Self {
        self.sort = sort(field, direction);
        self
    }
}

impl Endpoint for ListHypervisorManagers {
    type Output = Page<HypervisorManager>;

    fn request(&self) -> HttpRequest {
        let req = HttpRequest::get("/hypervisor-managers")
            .query_opt("backup-to-be-restored", self.backup_to_be_restored.as_ref());
        paged(req, self.page, self.sort.as_ref())
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<HypervisorManager>, ApiError> {
        parse_list::<WireHypervisorManager, HypervisorManager>(
            response,
            "a list of hypervisor managers",
            HypervisorManager::from,
        )
    }
}

/// `GET /hypervisors`: the stand-alone hypervisors (KVM, Citrix, ESXi, …).
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::inventory::ListHypervisors};
/// assert_eq!(ListHypervisors::page(1, 10).request().path_and_query(), "/hypervisors?page=1&size=10");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListHypervisors {
    /// `None` fetches every hypervisor.
    pub page: Option<PageRequest>,
    pub sort: Option<Sort>,
}

impl ListHypervisors {
    /// Every hypervisor.
    pub fn all() -> Self {
        ListHypervisors::default()
    }

    /// One page of `size` hypervisors, 0-based.
    pub fn page(index: u32, size: u32) -> Self {
        ListHypervisors { page: Some(PageRequest { index, size }), sort: None }
    }

    /// Sorted by a server field (`host`, `type`, …).
    pub fn sort_by(mut self, field: &str, direction: Direction) -> Self {
        self.sort = sort(field, direction);
        self
    }
}

impl Endpoint for ListHypervisors {
    type Output = Page<Hypervisor>;

    fn request(&self) -> HttpRequest {
        paged(HttpRequest::get("/hypervisors"), self.page, self.sort.as_ref())
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<Hypervisor>, ApiError> {
        parse_list::<WireHypervisor, Hypervisor>(response, "a list of hypervisors", Hypervisor::from)
    }
}

/// `GET /hypervisor-clusters`: clusters, usually of one manager. Send a cluster's `uuid` as the restore's
/// cluster.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::inventory::ListClusters};
/// let req = ListClusters::of_manager("hvm-1").request();
/// assert_eq!(req.path_and_query(), "/hypervisor-clusters?hypervisor-manager=hvm-1");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListClusters {
    /// Only clusters of this hypervisor manager (Storware guid).
    pub hypervisor_manager: Option<String>,
    /// `None` fetches every cluster.
    pub page: Option<PageRequest>,
    pub sort: Option<Sort>,
}

impl ListClusters {
    /// The clusters of one manager.
    pub fn of_manager(manager_id: impl Into<String>) -> Self {
        ListClusters { hypervisor_manager: Some(manager_id.into()), ..Default::default() }
    }

    /// Every cluster.
    pub fn all() -> Self {
        ListClusters::default()
    }

    /// One page of `size` clusters, 0-based.
    pub fn page(mut self, index: u32, size: u32) -> Self {
        self.page = Some(PageRequest { index, size });
        self
    }

    /// Sorted by a server field (`name`, …).
    pub fn sort_by(mut self, field: &str, direction: Direction) -> Self {
        self.sort = sort(field, direction);
        self
    }
}

impl Endpoint for ListClusters {
    type Output = Page<Cluster>;

    fn request(&self) -> HttpRequest {
        let req =
            HttpRequest::get("/hypervisor-clusters").query_opt("hypervisor-manager", self.hypervisor_manager.as_ref());
        paged(req, self.page, self.sort.as_ref())
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<Cluster>, ApiError> {
        parse_list::<WireCluster, Cluster>(response, "a list of clusters", Cluster::from)
    }
}

/// `GET /hypervisor-storages`: storage domains / datastores / volume types, usually of one manager. Send a
/// storage's `uuid` as the restore's storage.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::inventory::ListStorages};
/// let req = ListStorages::of_manager("hvm-1").request();
/// assert_eq!(req.path_and_query(), "/hypervisor-storages?hypervisor-manager=hvm-1");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListStorages {
    /// Only storages of this hypervisor manager (Storware guid).
    pub hypervisor_manager: Option<String>,
}

impl ListStorages {
    /// The storages of one manager.
    pub fn of_manager(manager_id: impl Into<String>) -> Self {
        ListStorages { hypervisor_manager: Some(manager_id.into()) }
    }

    /// Every storage.
    pub fn all() -> Self {
        ListStorages::default()
    }
}

impl Endpoint for ListStorages {
    type Output = Page<Storage>;

    fn request(&self) -> HttpRequest {
        HttpRequest::get("/hypervisor-storages").query_opt("hypervisor-manager", self.hypervisor_manager.as_ref())
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<Storage>, ApiError> {
        parse_list::<WireStorage, Storage>(response, "a list of storages", Storage::from)
    }
}

/// `GET /backup-destinations`: every backup destination (file system, S3, …).
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::inventory::ListBackupDestinations};
/// assert_eq!(ListBackupDestinations::all().request().path_and_query(), "/backup-destinations");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListBackupDestinations {
    /// `None` fetches every destination.
    pub page: Option<PageRequest>,
    pub sort: Option<Sort>,
}

impl ListBackupDestinations {
    /// Every destination.
    pub fn all() -> Self {
        ListBackupDestinations::default()
    }

    /// One page of `size` destinations, 0-based.
    pub fn page(index: u32, size: u32) -> Self {
        ListBackupDestinations { page: Some(PageRequest { index, size }), sort: None }
    }

    /// Sorted by a server field (`name`, `type`, …).
    pub fn sort_by(mut self, field: &str, direction: Direction) -> Self {
        self.sort = sort(field, direction);
        self
    }
}

impl Endpoint for ListBackupDestinations {
    type Output = Page<BackupDestination>;

    fn request(&self) -> HttpRequest {
        paged(HttpRequest::get("/backup-destinations"), self.page, self.sort.as_ref())
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<BackupDestination>, ApiError> {
        parse_list::<WireBackupDestination, BackupDestination>(
            response,
            "a list of backup destinations",
            BackupDestination::from,
        )
    }
}

/// `POST /backup-destinations/usable-for-vms`: the destinations every one of the given VMs can be backed up to.
/// Only reads, so it is safe to repeat.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::inventory::UsableBackupDestinations, domain::Ref};
/// let req = UsableBackupDestinations::new(vec![Ref::id("vm-1")]).request();
/// assert_eq!(req.body_json(), Some(serde_json::json!([{"guid": "vm-1"}])));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsableBackupDestinations {
    /// The VMs (Storware guids, names optional).
    pub vms: Vec<Ref>,
}

impl UsableBackupDestinations {
    /// The destinations usable by all of `vms`.
    pub fn new(vms: Vec<Ref>) -> Self {
        UsableBackupDestinations { vms }
    }
}

impl Endpoint for UsableBackupDestinations {
    type Output = Page<BackupDestination>;

    fn request(&self) -> HttpRequest {
        HttpRequest::post("/backup-destinations/usable-for-vms").purpose(Purpose::Query).json(&guid_refs(&self.vms))
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<BackupDestination>, ApiError> {
        parse_list::<WireBackupDestination, BackupDestination>(
            response,
            "a list of backup destinations",
            BackupDestination::from,
        )
    }
}

/// `GET /projects`: projects a restore can go to (OpenStack, Kubernetes, OpenShift), optionally of one manager.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::inventory::ListProjects};
/// let req = ListProjects::of_manager("hvm-1").request();
/// assert_eq!(req.path_and_query(), "/projects?hypervisor-manager=hvm-1");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListProjects {
    /// Only projects of this hypervisor manager (Storware guid).
    pub hypervisor_manager: Option<String>,
}

impl ListProjects {
    /// The projects of one manager.
    pub fn of_manager(manager_id: impl Into<String>) -> Self {
        ListProjects { hypervisor_manager: Some(manager_id.into()) }
    }

    /// Every project.
    pub fn all() -> Self {
        ListProjects::default()
    }
}

impl Endpoint for ListProjects {
    type Output = Page<Project>;

    fn request(&self) -> HttpRequest {
        HttpRequest::get("/projects").query_opt("hypervisor-manager", self.hypervisor_manager.as_ref())
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<Project>, ApiError> {
        parse_list::<WireProject, Project>(response, "a list of projects", Project::from)
    }
}
