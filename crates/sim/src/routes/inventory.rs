//! Restore targets and destinations: hypervisor managers, hypervisors, clusters, storages, backup destinations,
//! projects. Infrastructure is shared: every user sees it (tenants need it to restore); projects are scoped.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::Uri;
use serde_json::Value;

use super::Guid;
use crate::errors::{ApiResult, ErrorReply};
use crate::json::{ok_json, parse_body, value_ref_list};
use crate::listing::{contains_ignore_case, list_values, ListRequest, Query};
use crate::state::{Caller, Sim};

/// `GET /hypervisor-managers`; `backup-to-be-restored=<backup guid>` keeps the managers of the backup's platform.
pub async fn managers(State(sim): State<Sim>, caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let render = sim.render();
    let world = sim.read();
    let platform = match q.get("backup-to-be-restored") {
        None => None,
        Some(b) => {
            let backup = world
                .backups
                .get(b)
                .filter(|x| caller.sees(x.project))
                .ok_or_else(|| ErrorReply::not_found("Backup", b))?;
            let kind = world.vms.get(&backup.vm).and_then(|v| world.managers.get(v.manager)).map(|m| m.kind.clone());
            Some(kind.unwrap_or_default())
        }
    };
    let text = q.text_filter();
    let rows: Vec<Value> = world
        .managers
        .iter()
        .enumerate()
        .filter(|(_, m)| platform.as_deref().is_none_or(|k| m.kind == k))
        .filter(|(_, m)| text.as_deref().is_none_or(|t| contains_ignore_case(&m.name, t)))
        .map(|(i, m)| render.manager(&world, i, m))
        .collect();
    drop(world);
    Ok(list_values(rows, &request))
}

/// `GET /hypervisor-managers/{guid}`.
pub async fn manager(State(sim): State<Sim>, _caller: Caller, Guid(guid): Guid) -> ApiResult {
    let render = sim.render();
    let world = sim.read();
    let i = world.manager_by_guid(&guid).ok_or_else(|| ErrorReply::not_found("Hypervisor manager", &guid))?;
    Ok(ok_json(&render.manager(&world, i, &world.managers[i])))
}

/// `GET /hypervisors` (`hypervisor-manager=` narrows).
pub async fn hypervisors(State(sim): State<Sim>, _caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let render = sim.render();
    let world = sim.read();
    let manager = q.get("hypervisor-manager");
    let rows: Vec<Value> = world
        .hypervisors
        .iter()
        .enumerate()
        .filter(|(_, h)| manager.is_none_or(|m| world.managers.get(h.manager).is_some_and(|x| x.guid == m)))
        .map(|(i, h)| render.hypervisor(&world, i, h))
        .collect();
    drop(world);
    Ok(list_values(rows, &request))
}

/// `GET /hypervisors/{guid}`.
pub async fn hypervisor(State(sim): State<Sim>, _caller: Caller, Guid(guid): Guid) -> ApiResult {
    let render = sim.render();
    let world = sim.read();
    let i = world.hypervisor_by_guid(&guid).ok_or_else(|| ErrorReply::not_found("Hypervisor", &guid))?;
    Ok(ok_json(&render.hypervisor(&world, i, &world.hypervisors[i])))
}

/// `GET /hypervisor-clusters?hypervisor-manager=`.
pub async fn clusters(State(sim): State<Sim>, _caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let render = sim.render();
    let world = sim.read();
    let manager = q.get("hypervisor-manager");
    let rows: Vec<Value> = world
        .clusters
        .iter()
        .filter(|c| manager.is_none_or(|m| world.managers.get(c.manager).is_some_and(|x| x.guid == m)))
        .map(|c| render.cluster(&world, c))
        .collect();
    drop(world);
    Ok(list_values(rows, &request))
}

/// `GET /hypervisor-storages?hypervisor-manager=`.
pub async fn storages(State(sim): State<Sim>, _caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let render = sim.render();
    let world = sim.read();
    let manager = q.get("hypervisor-manager");
    let rows: Vec<Value> = world
        .storages
        .iter()
        .filter(|s| manager.is_none_or(|m| world.managers.get(s.manager).is_some_and(|x| x.guid == m)))
        .map(|s| render.storage(&world, s))
        .collect();
    drop(world);
    Ok(list_values(rows, &request))
}

/// `GET /backup-destinations`.
pub async fn destinations(State(sim): State<Sim>, _caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let render = sim.render();
    let world = sim.read();
    let text = q.text_filter();
    let rows: Vec<Value> = world
        .destinations
        .iter()
        .filter(|d| text.as_deref().is_none_or(|t| contains_ignore_case(&d.name, t)))
        .map(|d| render.destination(d))
        .collect();
    drop(world);
    Ok(list_values(rows, &request))
}

/// `GET /backup-destinations/{guid}`.
pub async fn destination(State(sim): State<Sim>, _caller: Caller, Guid(guid): Guid) -> ApiResult {
    let render = sim.render();
    let world = sim.read();
    let i = world.destination_by_guid(&guid).ok_or_else(|| ErrorReply::not_found("Backup destination", &guid))?;
    Ok(ok_json(&render.destination(&world.destinations[i])))
}

/// `POST /backup-destinations/usable-for-vms` with an array of VM references: the destinations all of them may
/// use (every destination here is visible to all VMs).
pub async fn usable_for_vms(State(sim): State<Sim>, caller: Caller, body: Bytes) -> ApiResult {
    let body = parse_body(&body)?;
    let vms = value_ref_list(&body)
        .map_err(|_| ErrorReply::bad_request("Expected a JSON array of virtual machine references"))?;
    let render = sim.render();
    let world = sim.read();
    for vm in &vms {
        if !world.vms.get(vm).is_some_and(|v| caller.sees(v.project)) {
            return Err(ErrorReply::not_found("Virtual machine", vm));
        }
    }
    let rows: Vec<Value> = world.destinations.iter().map(|d| render.destination(d)).collect();
    drop(world);
    Ok(list_values(rows, &ListRequest { page: None, order_by: None, descending: false }))
}

/// `GET /projects` (a tenant sees its own).
pub async fn projects(State(sim): State<Sim>, caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let render = sim.render();
    let world = sim.read();
    let rows: Vec<Value> =
        world.projects.iter().enumerate().filter(|(i, _)| caller.sees(*i)).map(|(_, p)| render.project(p)).collect();
    drop(world);
    Ok(list_values(rows, &request))
}
