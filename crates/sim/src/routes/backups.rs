//! `/backups` and `/backup-locations`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::Uri;
use serde_json::Value;

use super::Guid;
use crate::errors::{ApiResult, ErrorReply};
use crate::json::{no_content, ok_json, opt_bool, opt_string, parse_object};
use crate::listing::{contains_ignore_case, list_response, page_rows, sort_rows, ListRequest, Query, SortKey};
use crate::model::{Backup, World};
use crate::state::{Caller, Sim};

/// The instant a backup is listed under: its backup time, or its creation while it runs.
fn effective_time(b: &Backup) -> i64 {
    b.backup_time.unwrap_or(b.created_at)
}

fn backup_key(b: &Backup, field: &str) -> SortKey {
    match field {
        "backupTime" => SortKey::Number(effective_time(b) as f64),
        "snapshotTime" => b.snapshot_time.map_or(SortKey::Missing, |t| SortKey::Number(t as f64)),
        "size" => SortKey::Number(b.size as f64),
        "status" | "status.name" => SortKey::Text(b.status.to_lowercase()),
        "type" | "type.name" => SortKey::Text(b.kind.to_lowercase()),
        "name" => SortKey::Text(b.name.to_lowercase()),
        "protectedEntity" | "protectedEntity.name" => SortKey::Text(b.vm_name.to_lowercase()),
        _ => SortKey::Missing,
    }
}

/// The visible backups matching the common filters, newest first unless `orderBy` says otherwise.
fn matching<'w>(world: &'w World, caller: &Caller, q: &Query) -> Result<Vec<&'w Backup>, ErrorReply> {
    let statuses = q.all("status");
    let kind = q.get("type");
    let from = q.int("from")?;
    let to = q.int("to")?;
    let destination = q.get("backup-destination");
    let mountable = q.bool("only-mountable")?.unwrap_or(false);
    let text = q.text_filter();
    let keep = |b: &&Backup| {
        caller.sees(b.project)
            && (statuses.is_empty() || statuses.contains(&b.status))
            && kind.is_none_or(|k| b.kind == k)
            && from.is_none_or(|f| effective_time(b) >= f)
            && to.is_none_or(|t| effective_time(b) <= t)
            && destination.is_none_or(|d| {
                b.locations.iter().any(|l| world.destinations.get(l.destination).is_some_and(|x| x.guid == d))
            })
            && (!mountable || matches!(b.status.as_str(), "SUCCESS" | "PARTIAL_SUCCESS"))
            && text.as_deref().is_none_or(|t| contains_ignore_case(&b.name, t))
    };
    let mut rows: Vec<&Backup> = match q.get("protected-entity") {
        // The per-VM index keeps a VM's history cheap however many backups exist.
        Some(vm) => world
            .backups_by_vm
            .get(vm)
            .map(|list| list.iter().filter_map(|g| world.backups.get(g)).filter(keep).collect())
            .unwrap_or_default(),
        None => world.backups.iter().filter(keep).collect(),
    };
    rows.sort_by_key(|b| std::cmp::Reverse(effective_time(b)));
    Ok(rows)
}

/// `GET /backups` (also `/backups/`): `protected-entity`, `status` (repeatable), `type`, `from`, `to` (ms),
/// `backup-destination`, `only-mountable`, `filter`, `project-uuid`, paging and sorting.
pub async fn list(State(sim): State<Sim>, caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let render = sim.render();
    let world = sim.read();
    let mut rows = matching(&world, &caller, &q)?;
    sort_rows(&mut rows, &request, |b, f| backup_key(b, f));
    let (rows, total) = page_rows(rows, &request);
    let json: Vec<Value> = rows.into_iter().map(|b| render.backup(&world, b, false)).collect();
    drop(world);
    Ok(list_response(json, total))
}

/// `GET /backups/{guid}`.
pub async fn get(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid) -> ApiResult {
    let render = sim.render();
    let world = sim.read();
    match world.backups.get(&guid).filter(|b| caller.sees(b.project)) {
        Some(b) => Ok(ok_json(&render.backup(&world, b, true))),
        None => Err(ErrorReply::not_found("Backup", &guid)),
    }
}

/// `PUT /backups/{guid}/description` `{"value": "text"}`.
pub async fn set_description(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid, body: Bytes) -> ApiResult {
    let body = parse_object(&body)?;
    let text = opt_string(&body, "value")?.unwrap_or_default();
    let mut world = sim.write();
    let b = world.backups.get_mut(&guid).filter(|b| caller.sees(b.project));
    let b = b.ok_or_else(|| ErrorReply::not_found("Backup", &guid))?;
    b.description = text;
    Ok(no_content())
}

/// `PUT /backups/{guid}/warnings-acknowledged` `{"value": true}`.
pub async fn acknowledge_warnings(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid, body: Bytes) -> ApiResult {
    let body = parse_object(&body)?;
    let value = opt_bool(&body, "value")?.unwrap_or(true);
    let mut world = sim.write();
    let b = world.backups.get_mut(&guid).filter(|b| caller.sees(b.project));
    let b = b.ok_or_else(|| ErrorReply::not_found("Backup", &guid))?;
    b.warnings_acknowledged = value;
    Ok(no_content())
}

/// `GET /backup-locations?protected-entity=&location-status=`: the locations of the matching backups, newest
/// backup first.
pub async fn locations(State(sim): State<Sim>, caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let statuses = q.all("location-status");
    let render = sim.render();
    let world = sim.read();
    let backups = matching(&world, &caller, &q)?;
    let mut rows: Vec<Value> = Vec::new();
    for b in backups {
        for l in &b.locations {
            if statuses.is_empty() || statuses.contains(&l.status) {
                rows.push(render.location(&world, b, l));
            }
        }
    }
    drop(world);
    Ok(crate::listing::list_values(rows, &request))
}
