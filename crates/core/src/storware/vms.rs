//! Virtual machines: the paged list with its protection status, and one VM's details.

use serde::Deserialize;

use super::paged;
use super::wire::{
    opt_bool, opt_enum_name, opt_i64, opt_ref, opt_string, opt_u64, parse_list, parse_record, string_list,
};
use crate::domain::{Direction, Page, PageRequest, Protection, Ref, Sort, Vm};
use crate::endpoint::Endpoint;
use crate::error::ApiError;
use crate::http::{segment, HttpRequest, HttpResponse};

/// A VM record as `GET /virtual-machines` and `GET /virtual-machines/{guid}` send it (list and details share the
/// fields a portal needs; details add settings we do not read).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireVm {
    guid: String,
    #[serde(default, deserialize_with = "opt_string")]
    uuid: Option<String>,
    #[serde(default, deserialize_with = "opt_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "opt_bool")]
    present: Option<bool>,
    #[serde(default, deserialize_with = "opt_ref")]
    hypervisor: Option<Ref>,
    #[serde(default, deserialize_with = "opt_ref")]
    hv_manager: Option<Ref>,
    #[serde(default, deserialize_with = "opt_ref")]
    hv_cluster: Option<Ref>,
    #[serde(default, deserialize_with = "opt_ref")]
    project: Option<Ref>,
    #[serde(default, deserialize_with = "opt_enum_name")]
    hv_type: Option<String>,
    #[serde(default, deserialize_with = "opt_enum_name")]
    hvm_type: Option<String>,
    #[serde(default, deserialize_with = "opt_ref")]
    vm_backup_policy: Option<Ref>,
    #[serde(default, deserialize_with = "opt_bool")]
    backup_up_to_date: Option<bool>,
    #[serde(default, deserialize_with = "opt_i64")]
    last_backup: Option<i64>,
    #[serde(default, deserialize_with = "opt_u64")]
    last_successful_backup_size: Option<u64>,
    #[serde(default, deserialize_with = "opt_bool")]
    warnings_present: Option<bool>,
    #[serde(default, deserialize_with = "string_list")]
    tags: Vec<String>,
}

impl From<WireVm> for Vm {
    fn from(w: WireVm) -> Vm {
        Vm {
            name: w.name.unwrap_or_else(|| w.guid.clone()),
            id: w.guid,
            platform_id: w.uuid,
            project: w.project,
            hypervisor: w.hypervisor,
            hypervisor_manager: w.hv_manager,
            cluster: w.hv_cluster,
            platform: w.hvm_type.or(w.hv_type),
            protection: Protection {
                policy: w.vm_backup_policy,
                last_backup: w.last_backup,
                last_backup_size: w.last_successful_backup_size,
                up_to_date: w.backup_up_to_date,
                // Older servers omit `present` for VMs that exist.
                present: w.present.unwrap_or(true),
                warnings: w.warnings_present.unwrap_or(false),
            },
            tags: w.tags,
        }
    }
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
        parse_list::<WireVm, Vm>(response, "a list of virtual machines", Vm::from)
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
        parse_record::<WireVm>(response, "a virtual machine").map(Vm::from)
    }
}
