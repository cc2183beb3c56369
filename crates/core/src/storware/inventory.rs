//! Restore targets (hypervisor managers, hypervisors, clusters, storages, projects) and backup destinations.
//!
//! A restore dialog asks for the managers that can receive a backup (`backup-to-be-restored`), then for that
//! manager's clusters, storages and projects. Clusters and storages are addressed in restore requests by their
//! platform `uuid`, so [`Cluster::uuid`] and [`Storage::uuid`] are what to send, not their ids.

use super::paged;
use super::wire::{guid_refs, parse_list, Record};
use crate::domain::{
    BackupDestination, Cluster, Direction, Hypervisor, HypervisorManager, Page, PageRequest, Project, Ref, Sort,
    Storage,
};
use crate::endpoint::Endpoint;
use crate::error::ApiError;
use crate::http::{HttpRequest, HttpResponse, Purpose};

/// A hypervisor manager as `GET /hypervisor-managers` sends it.
fn read_hypervisor_manager(w: Record) -> Result<HypervisorManager, String> {
    Ok(HypervisorManager {
        id: w.required_string("guid")?,
        name: w.string("name"),
        url: w.string("url"),
        kind: w.enum_name("type").map(str::to_string),
    })
}

/// A stand-alone hypervisor as `GET /hypervisors` sends it.
fn read_hypervisor(w: Record) -> Result<Hypervisor, String> {
    let guid = w.required_string("guid")?;
    Ok(Hypervisor {
        // `host` is what the server shows; a record without it still needs a label.
        host: w.string("host").or_else(|| w.string("name")).unwrap_or_else(|| guid.clone()),
        id: guid,
        kind: w.enum_name("type").map(str::to_string),
        cluster: w.reference("cluster"),
        hypervisor_manager: w.reference("hvManager"),
    })
}

/// A cluster as `GET /hypervisor-clusters` sends it.
fn read_cluster(w: Record) -> Result<Cluster, String> {
    let guid = w.required_string("guid")?;
    let uuid = w.string("uuid");
    Ok(Cluster { name: label(w.string("name"), uuid.as_deref(), &guid), id: guid, uuid })
}

/// A storage as `GET /hypervisor-storages` sends it.
fn read_storage(w: Record) -> Result<Storage, String> {
    let guid = w.required_string("guid")?;
    let uuid = w.string("uuid");
    Ok(Storage {
        name: label(w.string("name"), uuid.as_deref(), &guid),
        id: guid,
        uuid,
        clusters: w.refs("clusters")?,
        available_bytes: w.u64("totalAvailableSpace"),
        used_bytes: w.u64("totalUsedSpace"),
    })
}

/// A backup destination as `GET /backup-destinations` and `POST /backup-destinations/usable-for-vms` send it.
fn read_backup_destination(w: Record) -> Result<BackupDestination, String> {
    let guid = w.required_string("guid")?;
    Ok(BackupDestination {
        name: label(w.string("name"), None, &guid),
        id: guid,
        kind: w.enum_name("type").map(str::to_string),
        description: w.string("description"),
        is_default: w.bool("defaultBackupDestination").unwrap_or(false),
        used_bytes: w.u64("totalUsedSpace"),
        available_bytes: w.u64("totalAvailableSpace"),
    })
}

/// A project (OpenStack, Kubernetes/OpenShift namespace) as `GET /projects` sends it.
fn read_project(w: Record) -> Result<Project, String> {
    let guid = w.required_string("guid")?;
    let uuid = w.string("uuid");
    Ok(Project { name: label(w.string("name"), uuid.as_deref(), &guid), id: guid, uuid })
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
        parse_list(response, "a list of hypervisor managers", read_hypervisor_manager)
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
        parse_list(response, "a list of hypervisors", read_hypervisor)
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
        parse_list(response, "a list of clusters", read_cluster)
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
        parse_list(response, "a list of storages", read_storage)
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
        parse_list(response, "a list of backup destinations", read_backup_destination)
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
        parse_list(response, "a list of backup destinations", read_backup_destination)
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
        parse_list(response, "a list of projects", read_project)
    }
}
