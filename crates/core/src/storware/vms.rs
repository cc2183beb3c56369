//! Virtual machines: the paged list with its protection status, and one VM's details.

use super::paged;
use super::wire::{parse_list, parse_record, Record};
use crate::domain::{Direction, Page, PageRequest, Protection, Sort, Vm};
use crate::endpoint::Endpoint;
use crate::error::ApiError;
use crate::http::{segment, HttpRequest, HttpResponse};

/// A VM as `GET /virtual-machines` and `GET /virtual-machines/{guid}` send it (list and details share the fields a
/// portal needs; details add settings we do not read). Only `guid` is required.
pub(crate) fn read_vm(w: Record) -> Result<Vm, String> {
    let guid = w.required_string("guid")?;
    Ok(Vm {
        name: w.string("name").unwrap_or_else(|| guid.clone()),
        id: guid,
        platform_id: w.string("uuid"),
        project: w.reference("project"),
        hypervisor: w.reference("hypervisor"),
        hypervisor_manager: w.reference("hvManager"),
        cluster: w.reference("hvCluster"),
        platform: w.enum_name("hvmType").or_else(|| w.enum_name("hvType")).map(str::to_string),
        protection: Protection {
            policy: w.reference("vmBackupPolicy"),
            last_backup: w.i64("lastBackup"),
            last_backup_size: w.u64("lastSuccessfulBackupSize"),
            up_to_date: w.bool("backupUpToDate"),
            // Older servers omit `present` for VMs that exist.
            present: w.bool("present").unwrap_or(true),
            warnings: w.bool("warningsPresent").unwrap_or(false),
        },
        tags: w.strings("tags")?,
    })
}

/// `GET /virtual-machines`: a page of VMs, filtered by name and project, sorted on the server.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::vms::ListVms, domain::Direction};
/// let req = ListVms::page(2, 20).sort_by("lastBackup", Direction::Desc).request();
/// assert_eq!(req.path_and_query(), "/virtual-machines?page=2&size=20&orderBy=lastBackup&direction=desc");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListVms {
    /// `None` fetches every VM (old servers and small inventories).
    pub page: Option<PageRequest>,
    pub sort: Option<Sort>,
    /// Free-text search on the name (the server's `filter`).
    pub name: Option<String>,
    /// Only VMs of this project (platform uuid).
    pub project_uuid: Option<String>,
    /// The VM with this platform id.
    pub platform_id: Option<String>,
}

impl ListVms {
    /// One page of `size` VMs, 0-based.
    pub fn page(index: u32, size: u32) -> Self {
        ListVms { page: Some(PageRequest { index, size }), ..Default::default() }
    }

    /// Every VM at once.
    pub fn all() -> Self {
        ListVms::default()
    }

    /// Sorted by a server field (`name`, `lastBackup`, `vmBackupPolicy`, `backupUpToDate`, `present`, …).
    pub fn sort_by(mut self, field: &str, direction: Direction) -> Self {
        self.sort = Some(Sort { field: field.to_string(), direction });
        self
    }

    /// Names containing `text` (blank text means no filter).
    pub fn name_like(mut self, text: &str) -> Self {
        let text = text.trim();
        self.name = (!text.is_empty()).then(|| text.to_string());
        self
    }

    /// VMs of one project.
    pub fn in_project(mut self, project_uuid: &str) -> Self {
        self.project_uuid = Some(project_uuid.to_string());
        self
    }
}

impl Endpoint for ListVms {
    type Output = Page<Vm>;

    fn request(&self) -> HttpRequest {
        paged(HttpRequest::get("/virtual-machines"), self.page, self.sort.as_ref())
            .query_opt("filter", self.name.as_ref())
            .query_opt("project-uuid", self.project_uuid.as_ref())
            .query_opt("uuid", self.platform_id.as_ref())
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<Vm>, ApiError> {
        parse_list(response, "a list of virtual machines", read_vm)
    }
}

/// `GET /virtual-machines/{guid}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetVm {
    pub id: String,
}

impl GetVm {
    /// The VM with Storware id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        GetVm { id: id.into() }
    }
}

impl Endpoint for GetVm {
    type Output = Vm;

    fn request(&self) -> HttpRequest {
        HttpRequest::get(format!("/virtual-machines/{}", segment(&self.id)))
    }

    fn parse(&self, response: &HttpResponse) -> Result<Vm, ApiError> {
        parse_record(response, "a virtual machine", read_vm)
    }
}
