//! `/virtual-machines`: the paged, sorted, filtered list and one VM's details.

use axum::extract::State;
use axum::http::Uri;

use super::Guid;
use crate::errors::{ApiResult, ErrorReply};
use crate::json::ok_json;
use crate::listing::{contains_ignore_case, list_response, page_rows, sort_rows, ListRequest, Query, SortKey};
use crate::model::{Millis, Vm, World};
use crate::state::{Caller, Scope, Sim};

/// The sort key of a VM for an `orderBy` property (the UI's column fields).
fn vm_key(world: &World, v: &Vm, field: &str, now: Millis) -> SortKey {
    let text = |s: Option<&str>| s.map_or(SortKey::Missing, |s| SortKey::Text(s.to_lowercase()));
    match field {
        "name" => text(Some(&v.name)),
        "guid" => text(Some(&v.guid)),
        "uuid" => text(Some(&v.uuid)),
        "present" => SortKey::Bool(v.present),
        "hypervisor" | "hypervisor.name" | "hypervisor.host" => {
            text(v.hypervisor.and_then(|h| world.hypervisors.get(h)).map(|h| h.host.as_str()))
        }
        "hvManager" | "hvManager.name" => text(world.managers.get(v.manager).map(|m| m.name.as_str())),
        "hvCluster" | "hvCluster.name" => text(v.cluster.and_then(|c| world.clusters.get(c)).map(|c| c.name.as_str())),
        "hvmType" | "hvmType.name" => text(world.managers.get(v.manager).map(|m| m.kind.as_str())),
        "project" | "project.name" => text(world.projects.get(v.project).map(|p| p.name.as_str())),
        "vmBackupPolicy" | "vmBackupPolicy.name" => {
            text(v.policy.as_deref().and_then(|g| world.policies.get(g)).map(|p| p.name.as_str()))
        }
        "backupUpToDate" => world.backup_up_to_date(v, now).map_or(SortKey::Missing, SortKey::Bool),
        "lastBackup" => v.last_backup.map_or(SortKey::Missing, |t| SortKey::Number(t as f64)),
        "lastSuccessfulBackupSize" => v.last_backup_size.map_or(SortKey::Missing, |s| SortKey::Number(s as f64)),
        "lastSuccessfulFullBackupSize" => {
            v.last_full_backup_size.map_or(SortKey::Missing, |s| SortKey::Number(s as f64))
        }
        "warningsPresent" => SortKey::Bool(v.warnings_present),
        _ => SortKey::Missing,
    }
}

/// `GET /virtual-machines` with `page`, `size`, `orderBy`, `direction`, `filter`/`nameLike` (name contains),
/// `uuid` (platform id), `project-uuid`, `hypervisor-manager` (guid), `hypervisor-manager-type`,
/// `vm-backup-policy` (guid).
pub async fn list(State(sim): State<Sim>, caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let text = q.text_filter();
    let uuid = q.get("uuid");
    let manager = q.get("hypervisor-manager");
    let manager_type = q.get("hypervisor-manager-type");
    let policy = q.get("vm-backup-policy");
    let render = sim.render();
    let world = sim.read();
    let unfiltered = text.is_none()
        && uuid.is_none()
        && manager.is_none()
        && manager_type.is_none()
        && policy.is_none()
        && request.order_by.is_none();
    if unfiltered {
        // The common first view (a page in stored order): the total is known without a scan, and only the rows
        // up to the end of the page are visited — cheap even with 100,000 VMs.
        let total = match caller.scope {
            Scope::All => world.vms.len(),
            Scope::Project(p) => world.vm_counts.get(p).copied().unwrap_or(0),
            Scope::Nothing => 0,
        };
        let (skip, take) = match request.page {
            Some((page, size)) => (page.saturating_mul(size), size),
            None => (0, usize::MAX),
        };
        let json = world
            .vms
            .iter()
            .filter(|v| caller.sees(v.project))
            .skip(skip)
            .take(take)
            .map(|v| render.vm(&world, v, false))
            .collect();
        drop(world);
        return Ok(list_response(json, total));
    }
    let mut rows: Vec<&Vm> = world
        .vms
        .iter()
        .filter(|v| caller.sees(v.project))
        .filter(|v| text.as_deref().is_none_or(|t| contains_ignore_case(&v.name, t)))
        .filter(|v| uuid.is_none_or(|u| v.uuid == u))
        .filter(|v| manager.is_none_or(|m| world.managers.get(v.manager).is_some_and(|x| x.guid == m)))
        .filter(|v| manager_type.is_none_or(|t| world.managers.get(v.manager).is_some_and(|x| x.kind == t)))
        .filter(|v| policy.is_none_or(|p| v.policy.as_deref() == Some(p)))
        .collect();
    sort_rows(&mut rows, &request, |v, f| vm_key(&world, v, f, render.now));
    let (rows, total) = page_rows(rows, &request);
    let json = rows.into_iter().map(|v| render.vm(&world, v, false)).collect();
    drop(world);
    Ok(list_response(json, total))
}

/// `GET /virtual-machines/{guid}`.
pub async fn get(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid) -> ApiResult {
    let render = sim.render();
    let world = sim.read();
    match world.vms.get(&guid).filter(|v| caller.sees(v.project)) {
        Some(v) => Ok(ok_json(&render.vm(&world, v, true))),
        None => Err(ErrorReply::not_found("Virtual machine", &guid)),
    }
}
