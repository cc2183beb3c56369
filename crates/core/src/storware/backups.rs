//! Backups of a VM (`GET /backups`, `GET /backups/{guid}`) and the places their copies are kept
//! (`GET /backup-locations`), which is what a restore picks on 5.0+ servers.
//!
//! Reads the 7.x records (enums as `{"name", "description"}` objects), the newest ones (several enums as bare
//! strings) and 4.x records, which have no `backupLocations` and no `originEntity`.

use super::paged;
use super::wire::{parse_list, parse_record, read_record, Record};
use crate::domain::{
    Backup, BackupLocation, BackupStatus, BackupType, DestinationRole, Direction, LocationStatus, Millis, Page,
    PageRequest, Ref, Sort,
};
use crate::endpoint::Endpoint;
use crate::error::ApiError;
use crate::http::{segment, HttpRequest, HttpResponse};

/// The name given to a required enum the server left out, so that the record is still shown.
const UNKNOWN: &str = "UNKNOWN";

/// A backup location as `GET /backup-locations` sends it and as `BackupListRecord.backupLocations` embeds it.
fn read_location(w: Record) -> Result<BackupLocation, String> {
    Ok(BackupLocation {
        id: w.required_string("guid")?,
        backup: w.reference("backup"),
        destination: w.reference("backupDestination"),
        destination_type: w.enum_name("backupDestinationType").map(str::to_string),
        role: w.enum_name("roleType").map(DestinationRole::from_name),
        status: LocationStatus::from_name(w.enum_name("status").unwrap_or(UNKNOWN)),
        snapshot_time: w.i64("snapshotTime"),
        backup_type: w.enum_name("type").map(BackupType::from_name),
        retention_hint: w.enum_name("retentionHint").map(str::to_string),
    })
}

/// A backup as `GET /backups` (`BackupListRecord`) and `GET /backups/{guid}` (`BackupExtendedDetails`, a superset)
/// send it. 4.x records lack `backupLocations`, `originEntity` and `backupRule`; all of them read as absent.
fn read_backup(w: Record) -> Result<Backup, String> {
    let guid = w.required_string("guid")?;
    // An embedded entry that is not a location (no `guid`, a `null`) is skipped rather than losing the backup.
    let locations = w
        .list("backupLocations")?
        .iter()
        .filter_map(|l| read_record(l, read_location).ok())
        .map(|mut location| {
            // Embedded locations may leave out the backup they belong to; a restore request needs it.
            if location.backup.is_none() {
                location.backup = Some(Ref::id(guid.clone()));
            }
            location
        })
        .collect();
    Ok(Backup {
        vm: w.reference("protectedEntity"),
        time: w.i64("backupTime"),
        snapshot_time: w.i64("snapshotTime"),
        backup_type: BackupType::from_name(w.enum_name("type").unwrap_or(UNKNOWN)),
        status: BackupStatus::from_name(w.enum_name("status").unwrap_or(UNKNOWN)),
        size: w.u64("size"),
        status_info: w.string("statusInfo"),
        description: w.string("description"),
        rule: w.reference("backupRule"),
        origin: w.origin("originEntity"),
        locations,
        warnings: w.strings("warnings")?,
        id: guid,
    })
}

/// `GET /backups`: the backup history, usually of one VM, filtered by status, type and time, sorted and paged on
/// the server.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::backups::ListBackups, domain::{BackupStatus, Direction}};
/// let req = ListBackups::of_vm("vm-1")
///     .with_status(BackupStatus::Success)
///     .with_status(BackupStatus::PartialSuccess)
///     .between(1_740_000_000_000, 1_741_000_000_000)
///     .page(0, 20)
///     .sort_by("snapshotTime", Direction::Desc)
///     .request();
/// assert_eq!(
///     req.path_and_query(),
///     "/backups?protected-entity=vm-1&status=SUCCESS&status=PARTIAL_SUCCESS&from=1740000000000&to=1741000000000\
///      &page=0&size=20&orderBy=snapshotTime&direction=desc"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListBackups {
    /// Only backups of this VM (Storware guid); `None` lists the backups of every VM the user may see.
    pub vm: Option<String>,
    /// Only backups in one of these states (repeated `status` parameter); empty means any state.
    pub statuses: Vec<BackupStatus>,
    /// Only backups of this type.
    pub backup_type: Option<BackupType>,
    /// Only backups made at or after this instant.
    pub from: Option<Millis>,
    /// Only backups made at or before this instant.
    pub to: Option<Millis>,
    /// Only backups that can be mounted for file-level restore.
    pub only_mountable: bool,
    /// `None` fetches every matching backup.
    pub page: Option<PageRequest>,
    pub sort: Option<Sort>,
}

impl ListBackups {
    /// The backups of one VM.
    pub fn of_vm(vm_id: impl Into<String>) -> Self {
        ListBackups { vm: Some(vm_id.into()), ..Default::default() }
    }

    /// The backups of every VM the user may see.
    pub fn all() -> Self {
        ListBackups::default()
    }

    /// Also accepts backups in `status` (call again for more states).
    pub fn with_status(mut self, status: BackupStatus) -> Self {
        if !self.statuses.contains(&status) {
            self.statuses.push(status);
        }
        self
    }

    /// Only the backups a restore can use: `SUCCESS` and `PARTIAL_SUCCESS`.
    pub fn restorable(self) -> Self {
        self.with_status(BackupStatus::Success).with_status(BackupStatus::PartialSuccess)
    }

    /// Only backups of one type.
    pub fn of_type(mut self, backup_type: BackupType) -> Self {
        self.backup_type = Some(backup_type);
        self
    }

    /// Only backups made between `from` and `to` (epoch ms, both inclusive).
    pub fn between(mut self, from: Millis, to: Millis) -> Self {
        self.from = Some(from);
        self.to = Some(to);
        self
    }

    /// Only backups that can be mounted.
    pub fn only_mountable(mut self) -> Self {
        self.only_mountable = true;
        self
    }

    /// One page of `size` backups, 0-based.
    pub fn page(mut self, index: u32, size: u32) -> Self {
        self.page = Some(PageRequest { index, size });
        self
    }

    /// Sorted by a server field (`backupTime`, `snapshotTime`, `size`, `status`, `type`, …).
    pub fn sort_by(mut self, field: &str, direction: Direction) -> Self {
        self.sort = Some(Sort { field: field.to_string(), direction });
        self
    }
}

impl Endpoint for ListBackups {
    type Output = Page<Backup>;

    fn request(&self) -> HttpRequest {
        let mut req = HttpRequest::get("/backups").query_opt("protected-entity", self.vm.as_ref());
        for status in &self.statuses {
            req = req.query("status", status.as_str());
        }
        let req = req
            .query_opt("type", self.backup_type.as_ref())
            .query_opt("from", self.from)
            .query_opt("to", self.to)
            .query_opt("only-mountable", self.only_mountable.then_some(true));
        paged(req, self.page, self.sort.as_ref())
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<Backup>, ApiError> {
        parse_list(response, "a list of backups", read_backup)
    }
}

/// `GET /backups/{guid}`: one backup with its locations.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::backups::GetBackup};
/// assert_eq!(GetBackup::new("b 1").request().path, "/backups/b%201");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetBackup {
    pub id: String,
}

impl GetBackup {
    /// The backup with Storware id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        GetBackup { id: id.into() }
    }
}

impl Endpoint for GetBackup {
    type Output = Backup;

    fn request(&self) -> HttpRequest {
        HttpRequest::get(format!("/backups/{}", segment(&self.id)))
    }

    fn parse(&self, response: &HttpResponse) -> Result<Backup, ApiError> {
        parse_record(response, "a backup", read_backup)
    }
}

/// `GET /backup-locations`: every copy of a VM's backups (5.0+). A restore picks one of these.
///
/// The API filters by VM and location status only; to find the locations of one backup, filter the result on
/// [`BackupLocation::backup`] (or read [`crate::domain::Backup::locations`]).
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::backups::ListBackupLocations};
/// let req = ListBackupLocations::present("vm-1").request();
/// assert_eq!(req.path_and_query(), "/backup-locations?protected-entity=vm-1&location-status=PRESENT");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListBackupLocations {
    /// The VM (Storware guid) whose backups' locations to list.
    pub vm: String,
    /// Only locations in this state; `None` lists them all (including removed and failed copies).
    pub status: Option<LocationStatus>,
}

impl ListBackupLocations {
    /// Every location of the VM's backups, whatever its state.
    pub fn of_vm(vm_id: impl Into<String>) -> Self {
        ListBackupLocations { vm: vm_id.into(), status: None }
    }

    /// The locations that hold a copy now (`PRESENT`): what a restore dialog offers.
    pub fn present(vm_id: impl Into<String>) -> Self {
        ListBackupLocations { vm: vm_id.into(), status: Some(LocationStatus::Present) }
    }

    /// Only locations in `status`.
    pub fn with_status(mut self, status: LocationStatus) -> Self {
        self.status = Some(status);
        self
    }
}

impl Endpoint for ListBackupLocations {
    type Output = Page<BackupLocation>;

    fn request(&self) -> HttpRequest {
        HttpRequest::get("/backup-locations")
            .query("protected-entity", self.vm.clone())
            .query_opt("location-status", self.status.as_ref())
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<BackupLocation>, ApiError> {
        parse_list(response, "a list of backup locations", read_location)
    }
}
