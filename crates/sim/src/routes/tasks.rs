//! `/tasks`: submit backups (export) and restores, list, read, cancel and delete tasks.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::Uri;
use serde_json::{json, Map, Value};

use super::Guid;
use crate::errors::{ApiResult, ErrorReply};
use crate::json::{
    enum_value, field, no_content, ok_json, opt_bool, opt_enum, opt_i64, opt_ref, opt_string, parse_object, ref_list,
    ref_value,
};
use crate::listing::{contains_ignore_case, list_response, page_rows, sort_rows, ListRequest, Query, SortKey};
use crate::model::{Origin, RestoreTarget, Task, TaskState, World};
use crate::render::name_and_guid;
use crate::sessions::{BACKUP_WRITE, RESTORE, TASK_WRITE};
use crate::state::{now_ms, Caller, Sim};
use crate::tasks::{ExportPlan, RestorePlan, TaskRunner, DEFAULT_WINDOW_MS};

/// Who started a task submitted by `caller`.
fn user_origin(caller: &Caller) -> Origin {
    Origin { kind: "USER".into(), guid: None, name: caller.login.clone() }
}

/// A priority from the body: 0–100, default 50.
fn priority(body: &Map<String, Value>) -> Result<i64, ErrorReply> {
    let p = opt_i64(body, "priority")?.unwrap_or(50);
    if (0..=100).contains(&p) {
        Ok(p)
    } else {
        Err(ErrorReply::bad_request(format!("Field 'priority' must be between 0 and 100, got {p}")))
    }
}

/// The rule a VM's backup uses: one of the given rules that belongs to the VM's policy, else the first given one;
/// without rules the first active rule of the VM's policy.
fn rule_for(world: &World, vm_policy: Option<&str>, given: &[String]) -> Option<String> {
    if !given.is_empty() {
        let own =
            given.iter().find(|r| world.rules.get(r.as_str()).is_some_and(|r| Some(r.policy.as_str()) == vm_policy));
        return own.or(given.first()).cloned();
    }
    let policy = world.policies.get(vm_policy?)?;
    world.rules_of(policy).into_iter().find(|r| r.active).map(|r| r.guid.clone())
}

/// `POST /tasks/export`: one EXPORT task (and backup record) per VM. The 5.x+ body names `rules`; the 4.x body
/// names a `backupDestination`; with neither, the VM's policy's first active rule is used. Answers the array of
/// created tasks, or `{successful, unsuccessful, tasks}` when the body says `"async": true`. Without
/// [`BACKUP_WRITE`] a 403.
pub async fn export(State(sim): State<Sim>, caller: Caller, body: Bytes) -> ApiResult {
    caller.require(BACKUP_WRITE)?;
    let body = parse_object(&body)?;
    let vms = ref_list(&body, "protectedEntities")?;
    if vms.is_empty() {
        return Err(ErrorReply::bad_request("Field 'protectedEntities' must name at least one virtual machine"));
    }
    if let Some(kind) =
        opt_string(&body, "protectedEntityType").ok().flatten().or(opt_enum(&body, "protectedEntityType")?)
    {
        if kind != "VM" {
            return Err(ErrorReply::bad_request(format!("Protected entity type {kind} cannot be exported here")));
        }
    }
    let backup_type = opt_enum(&body, "backupType")?.unwrap_or_else(|| "FULL".into());
    if !matches!(backup_type.as_str(), "FULL" | "INCREMENTAL") {
        return Err(ErrorReply::bad_request(format!(
            "Backup type {backup_type} is not supported for virtual machines"
        )));
    }
    let rules = ref_list(&body, "rules")?;
    let destination = opt_ref(&body, "backupDestination")?;
    let priority = priority(&body)?;
    let retry_count = opt_i64(&body, "retryCount")?.unwrap_or(0);
    if retry_count < 0 {
        return Err(ErrorReply::bad_request("Field 'retryCount' must not be negative"));
    }
    let now = now_ms();
    let window_start = opt_i64(&body, "windowStart")?.unwrap_or(now);
    let window_end = opt_i64(&body, "windowEnd")?.unwrap_or(window_start.max(now) + DEFAULT_WINDOW_MS);
    if window_end <= window_start {
        return Err(ErrorReply::bad_request("Field 'windowEnd' must be after 'windowStart'"));
    }
    let asynchronous = opt_bool(&body, "async")?.unwrap_or(false);
    let fail_rate = sim.faults.get().fail_rate;
    let render = sim.render();

    let mut world = sim.write();
    for rule in &rules {
        let visible = world
            .rules
            .get(rule)
            .and_then(|r| world.policies.get(&r.policy))
            .is_some_and(|p| caller.sees_owned(p.project));
        if !visible {
            return Err(ErrorReply::not_found("Rule", rule));
        }
    }
    let destination = match destination {
        Some(d) => Some(world.destination_by_guid(&d).ok_or_else(|| ErrorReply::not_found("Backup destination", &d))?),
        None => None,
    };
    // Check every VM before creating anything: a synchronous submit is all or nothing.
    let mut accepted = Vec::new();
    let mut unsuccessful = Vec::new();
    for guid in &vms {
        let vm = world.vms.get(guid).filter(|v| caller.sees(v.project));
        let problem = match vm {
            None => Some(ErrorReply::not_found("Virtual machine", guid)),
            Some(v) => {
                let rule = rule_for(&world, v.policy.as_deref(), &rules);
                if rule.is_none() && destination.is_none() {
                    Some(ErrorReply::bad_request(format!(
                        "Virtual machine {} has no backup policy with an active rule; choose a rule or assign a policy",
                        v.name
                    )))
                } else {
                    accepted.push((guid.clone(), rule));
                    None
                }
            }
        };
        if let Some(problem) = problem {
            if !asynchronous {
                return Err(problem);
            }
            let name = vm.map(|v| v.name.clone()).unwrap_or_default();
            unsuccessful.push(name_and_guid(guid, &name));
        }
    }
    let mut created = Vec::new();
    let mut successful = Vec::new();
    for (vm, rule) in accepted {
        let plan = ExportPlan {
            vm: vm.clone(),
            rule: if destination.is_some() && rules.is_empty() { None } else { rule },
            destination,
            backup_type: backup_type.clone(),
            priority,
            retry_count,
            window_start,
            window_end,
            origin: user_origin(&caller),
        };
        if let Some(task) = TaskRunner::submit_export(&mut world, plan, fail_rate, now) {
            if let Some(v) = world.vms.get(&vm) {
                successful.push(name_and_guid(&v.guid, &v.name));
            }
            created.push(task);
        }
    }
    let tasks: Vec<Value> = created.iter().filter_map(|g| world.tasks.get(g)).map(|t| render.task(&world, t)).collect();
    drop(world);
    if asynchronous {
        Ok(ok_json(&json!({ "successful": successful, "unsuccessful": unsuccessful, "tasks": tasks })))
    } else {
        Ok(ok_json(&Value::Array(tasks)))
    }
}

/// `POST /tasks/restore-and-import`: the backup comes from `backupLocation` (5.x+, its `backup` or its guid) or
/// from `backup` (4.x); the target is `hypervisorManager` or `hypervisor`; `restoreClusterId` and
/// `restoreStorageId` are platform **uuids**. Answers the RESTORE task; when it finishes an IMPORT task follows,
/// and when that finishes the restored VM is in the inventory. Without [`RESTORE`] a 403.
pub async fn restore(State(sim): State<Sim>, caller: Caller, body: Bytes) -> ApiResult {
    caller.require(RESTORE)?;
    let body = parse_object(&body)?;
    let location = field(&body, "backupLocation");
    let location_guid = location.and_then(|l| l.get("guid")).and_then(Value::as_str).map(str::to_string);
    let location_backup = location.and_then(|l| l.get("backup")).filter(|v| !v.is_null()).and_then(ref_value);
    let backup = opt_ref(&body, "backup")?;
    let manager = opt_ref(&body, "hypervisorManager")?;
    let hypervisor = opt_ref(&body, "hypervisor")?;
    let cluster = opt_string(&body, "restoreClusterId")?.filter(|s| !s.trim().is_empty());
    let storage = opt_string(&body, "restoreStorageId")?.filter(|s| !s.trim().is_empty());
    let new_name = opt_string(&body, "restoredPeName")?.filter(|s| !s.trim().is_empty());
    let project = match field(&body, "restoreProject") {
        Some(Value::String(s)) if s.is_empty() => None,
        Some(v) => ref_value(v).or_else(|| v.as_str().map(str::to_string)),
        None => None,
    };
    let priority = priority(&body)?;
    if let Some(n) = &new_name {
        if n.chars().count() > 255 {
            return Err(ErrorReply::bad_request("Field 'restoredPeName' must be at most 255 characters"));
        }
    }
    let fail_rate = sim.faults.get().fail_rate;
    let now = now_ms();
    let render = sim.render();
    let mut world = sim.write();

    // Which backup.
    let backup_guid = match (location_backup, backup, &location_guid) {
        (Some(b), _, _) | (None, Some(b), _) => b,
        (None, None, Some(l)) => world
            .backups
            .iter()
            .find(|b| b.locations.iter().any(|x| &x.guid == l))
            .map(|b| b.guid.clone())
            .ok_or_else(|| ErrorReply::not_found("Backup location", l))?,
        (None, None, None) => return Err(ErrorReply::bad_request("Field 'backupLocation' or 'backup' is required")),
    };
    let b = world
        .backups
        .get(&backup_guid)
        .filter(|b| caller.sees(b.project))
        .ok_or_else(|| ErrorReply::not_found("Backup", &backup_guid))?;
    if !matches!(b.status.as_str(), "SUCCESS" | "PARTIAL_SUCCESS") {
        return Err(ErrorReply::bad_request(format!(
            "Backup {} cannot be restored: its status is {}",
            b.name, b.status
        )));
    }
    if let Some(l) = &location_guid {
        match b.locations.iter().find(|x| &x.guid == l) {
            None => {
                return Err(ErrorReply::bad_request(format!(
                    "Backup location {l} does not belong to backup {}",
                    b.name
                )))
            }
            Some(x) if x.status != "PRESENT" => {
                return Err(ErrorReply::bad_request(format!("Backup location {l} is {}, not PRESENT", x.status)))
            }
            Some(_) => {}
        }
    }
    let source_name = b.vm_name.clone();
    let mut target_project = b.project;

    // Where to.
    let (manager, hypervisor) = match (manager, hypervisor) {
        (Some(m), _) => {
            (world.manager_by_guid(&m).ok_or_else(|| ErrorReply::not_found("Hypervisor manager", &m))?, None)
        }
        (None, Some(h)) => {
            let i = world.hypervisor_by_guid(&h).ok_or_else(|| ErrorReply::not_found("Hypervisor", &h))?;
            (world.hypervisors[i].manager, Some(i))
        }
        (None, None) => return Err(ErrorReply::bad_request("Field 'hypervisorManager' or 'hypervisor' is required")),
    };
    let manager_name = world.managers[manager].name.clone();
    let cluster = match cluster {
        None => None,
        Some(id) => Some(match world.clusters.iter().position(|c| c.manager == manager && c.uuid == id) {
            Some(c) => c,
            None if world.clusters.iter().any(|c| c.guid == id) => {
                return Err(ErrorReply::bad_request(format!(
                    "Field 'restoreClusterId' takes the cluster's platform uuid, not its guid ({id})"
                )))
            }
            None => return Err(ErrorReply::bad_request(format!("No cluster with uuid {id} on {manager_name}"))),
        }),
    };
    let storage = match storage {
        None => None,
        Some(id) => Some(match world.storages.iter().position(|s| s.manager == manager && s.uuid == id) {
            Some(s) => s,
            None if world.storages.iter().any(|s| s.guid == id) => {
                return Err(ErrorReply::bad_request(format!(
                    "Field 'restoreStorageId' takes the storage's platform uuid, not its guid ({id})"
                )))
            }
            None => return Err(ErrorReply::bad_request(format!("No storage with uuid {id} on {manager_name}"))),
        }),
    };
    if let Some(p) = project {
        match world.project_by_uuid(&p).filter(|i| caller.sees(*i)) {
            Some(i) => target_project = i,
            None => return Err(ErrorReply::not_found("Project", &p)),
        }
    }
    let target = RestoreTarget { manager, hypervisor, cluster, storage, new_name: new_name.unwrap_or(source_name) };
    let plan = RestorePlan { backup: backup_guid, target, priority, origin: user_origin(&caller) };
    let guid = TaskRunner::submit_restore(&mut world, plan, fail_rate, now)
        .ok_or_else(|| ErrorReply::bad_request("The restore could not be queued"))?;
    if let Some(t) = world.tasks.get_mut(&guid) {
        t.project = target_project;
    }
    let task = world.tasks.get(&guid).map(|t| render.task(&world, t)).unwrap_or(Value::Null);
    Ok(ok_json(&task))
}

fn task_key(t: &Task, field: &str) -> SortKey {
    let num = |v: Option<i64>| v.map_or(SortKey::Missing, |n| SortKey::Number(n as f64));
    match field {
        "priority" => SortKey::Number(t.priority as f64),
        "state" | "state.name" => SortKey::Text(t.state.name().to_lowercase()),
        "type" | "type.name" => SortKey::Text(t.kind.name().to_lowercase()),
        "progress" => SortKey::Number(t.progress),
        "startTime" => num(t.start_time),
        "finishTime" => num(t.finish_time),
        "windowStart" => num(Some(t.window_start)),
        "windowEnd" => num(Some(t.window_end)),
        "protectedEntity" | "protectedEntity.name" | "protectedEntityDisplayName" => {
            t.vm.as_ref().map_or(SortKey::Missing, |v| SortKey::Text(v.name.to_lowercase()))
        }
        _ => SortKey::Missing,
    }
}

/// `GET /tasks`: `protected-entity`, `state`, `states` (repeatable), `type`, `workflow-execution`,
/// `parent-task`, `backup`, `filter`, `project-uuid`, paging and sorting. Newest first by default.
pub async fn list(State(sim): State<Sim>, caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let vm = q.get("protected-entity");
    let mut states = q.all("states");
    states.extend(q.all("state"));
    for s in &states {
        if TaskState::from_name(s).is_none() {
            return Err(ErrorReply::bad_request(format!("Unknown task state {s}")));
        }
    }
    let kind = q.get("type");
    let workflow = q.get("workflow-execution");
    let parent = q.get("parent-task");
    let backup = q.get("backup");
    let text = q.text_filter();
    let render = sim.render();
    let world = sim.read();
    let mut rows: Vec<&Task> = world
        .tasks
        .iter()
        .rev()
        .filter(|t| caller.sees(t.project))
        .filter(|t| {
            vm.is_none_or(|g| {
                t.vm.as_ref().is_some_and(|v| v.guid == g) || t.dst_vm.as_ref().is_some_and(|v| v.guid == g)
            })
        })
        .filter(|t| states.is_empty() || states.iter().any(|s| s == t.state.name()))
        .filter(|t| kind.is_none_or(|k| k == t.kind.name()))
        .filter(|t| workflow.is_none_or(|w| w == t.workflow))
        .filter(|t| parent.is_none_or(|p| t.parent.as_ref().is_some_and(|x| x.guid == p)))
        .filter(|t| backup.is_none_or(|b| t.backup.as_ref().is_some_and(|x| x.guid == b)))
        .filter(|t| text.as_deref().is_none_or(|s| t.vm.as_ref().is_some_and(|v| contains_ignore_case(&v.name, s))))
        .collect();
    sort_rows(&mut rows, &request, |t, f| task_key(t, f));
    let (rows, total) = page_rows(rows, &request);
    let json: Vec<Value> = rows.into_iter().map(|t| render.task(&world, t)).collect();
    drop(world);
    Ok(list_response(json, total))
}

/// `GET /tasks/{guid}`.
pub async fn get(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid) -> ApiResult {
    let render = sim.render();
    let world = sim.read();
    match world.tasks.get(&guid).filter(|t| caller.sees(t.project)) {
        Some(t) => Ok(ok_json(&render.task(&world, t))),
        None => Err(ErrorReply::not_found("Task", &guid)),
    }
}

/// `PUT /tasks/{guid}/state` `{"state": {"name": "CANCELLED"}, "statusInfo": "…"}`: cancels a queued or running
/// task (204). Only CANCELLED can be set (400 otherwise); a task that has already ended is a 409; without
/// [`TASK_WRITE`] a 403.
pub async fn set_state(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid, body: Bytes) -> ApiResult {
    caller.require(TASK_WRITE)?;
    let body = parse_object(&body)?;
    let state = match field(&body, "state") {
        None => None,
        Some(v) => Some(
            enum_value(v)
                .ok_or_else(|| ErrorReply::bad_request("Field 'state': expected {\"name\": \"CANCELLED\"}"))?,
        ),
    };
    match state.as_deref() {
        Some("CANCELLED") => {}
        Some(other) => {
            return Err(ErrorReply::bad_request(format!("Task state cannot be set to {other}; only CANCELLED")))
        }
        None => return Err(ErrorReply::bad_request("Field 'state' is required")),
    }
    let info = opt_string(&body, "statusInfo")?.unwrap_or_else(|| "Cancelled by user".into());
    let mut world = sim.write();
    if !world.tasks.get(&guid).is_some_and(|t| caller.sees(t.project)) {
        return Err(ErrorReply::not_found("Task", &guid));
    }
    match TaskRunner::cancel(&mut world, &guid, &info, now_ms()) {
        Ok(()) => Ok(no_content()),
        Err(ended) => Err(ErrorReply::conflict(format!("Task {guid} has already ended ({})", ended.name()))),
    }
}

/// `DELETE /tasks/{guid}`: removes an ended task; a queued one is cancelled and removed; a running one must be
/// cancelled first (409), as the CLI's "delete/cancel" suggests. Without [`TASK_WRITE`] a 403, like the bulk calls.
pub async fn delete(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid) -> ApiResult {
    caller.require(TASK_WRITE)?;
    let now = now_ms();
    let mut world = sim.write();
    let state = match world.tasks.get(&guid).filter(|t| caller.sees(t.project)) {
        Some(t) => t.state,
        None => return Err(ErrorReply::not_found("Task", &guid)),
    };
    match state {
        TaskState::Running => Err(ErrorReply::conflict(format!("Task {guid} is running; cancel it first"))),
        TaskState::Queued => {
            let _ = TaskRunner::cancel(&mut world, &guid, "Deleted from the queue", now);
            world.tasks.remove(&guid);
            Ok(no_content())
        }
        _ => {
            world.tasks.remove(&guid);
            Ok(no_content())
        }
    }
}

/// Which tasks a bulk call touches.
enum Bulk {
    Finished,
    FinishedAndQueued,
    Running,
}

fn bulk(sim: &Sim, caller: &Caller, what: Bulk) -> ApiResult {
    caller.require(TASK_WRITE)?;
    let now = now_ms();
    let mut world = sim.write();
    let targets: Vec<(String, TaskState)> =
        world.tasks.iter().filter(|t| caller.sees(t.project)).map(|t| (t.guid.clone(), t.state)).collect();
    for (guid, state) in targets {
        match (&what, state) {
            (Bulk::Running, TaskState::Running) => {
                let _ = TaskRunner::cancel(&mut world, &guid, "Cancelled by user", now);
            }
            (Bulk::FinishedAndQueued, TaskState::Queued) => {
                let _ = TaskRunner::cancel(&mut world, &guid, "Deleted from the queue", now);
                world.tasks.remove(&guid);
            }
            (Bulk::Finished | Bulk::FinishedAndQueued, s) if s.is_terminal() => {
                world.tasks.remove(&guid);
            }
            _ => {}
        }
    }
    Ok(no_content())
}

/// `DELETE /tasks/all-finished`.
pub async fn delete_all_finished(State(sim): State<Sim>, caller: Caller) -> ApiResult {
    bulk(&sim, &caller, Bulk::Finished)
}

/// `DELETE /tasks/all-finished-and-queued`.
pub async fn delete_all_finished_and_queued(State(sim): State<Sim>, caller: Caller) -> ApiResult {
    bulk(&sim, &caller, Bulk::FinishedAndQueued)
}

/// `DELETE /tasks/all-running`: cancels every running task.
pub async fn cancel_all_running(State(sim): State<Sim>, caller: Caller) -> ApiResult {
    bulk(&sim, &caller, Bulk::Running)
}
