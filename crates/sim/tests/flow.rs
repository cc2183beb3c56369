//! The whole path a portal takes: login → list with paging/sort/filter → back up → poll to FINISHED → backup
//! listed → restore → restored VM listed; plus cancel, delete and priorities.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{backupable_vm, body_json, start, start_with, wait_for, Client};
use serde_json::json;
use vmbackup_core::domain::{BackupStatus, BackupType, Direction, LocationStatus, Ref, TaskState, TaskType};
use vmbackup_core::endpoint::Endpoint;
use vmbackup_core::http::{HttpResponse, Method};
use vmbackup_core::storware::backups::{ListBackupLocations, ListBackups};
use vmbackup_core::storware::inventory::{ListClusters, ListHypervisorManagers, ListStorages};
use vmbackup_core::storware::policies::PoliciesForVms;
use vmbackup_core::storware::tasks::{
    CancelTask, DeleteTask, ExportVms, GetTask, ListTasks, RestoreAndImport, RestoreTarget,
};
use vmbackup_core::storware::vms::{GetVm, ListVms};
use vmbackup_core::ErrorKind;

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64
}

/// The first rule of the VM's policy, as a portal finds it.
fn rule_of(c: &Client, vm: &str) -> Ref {
    let policies = c.call(&PoliciesForVms::new([vm])).unwrap();
    let rule = &policies[0].rules[0];
    Ref { id: rule.id.clone().unwrap(), name: Some(rule.name.clone()) }
}

#[test]
fn list_pages_sorts_and_filters_with_total_count() {
    let sim = start();
    let c = Client::admin(&sim);
    let first = c.call(&ListVms::page(0, 7).sort_by("name", Direction::Asc)).unwrap();
    assert_eq!(first.total, Some(40));
    assert_eq!(first.items.len(), 7);
    let second = c.call(&ListVms::page(1, 7).sort_by("name", Direction::Asc)).unwrap();
    let names: Vec<String> = first.items.iter().chain(&second.items).map(|v| v.name.to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "two pages continue one sorted order");
    let desc = c.call(&ListVms::page(0, 3).sort_by("lastBackup", Direction::Desc)).unwrap();
    let times: Vec<i64> = desc.items.iter().map(|v| v.protection.last_backup.unwrap_or(0)).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");

    let web = c.call(&ListVms::page(0, 100).name_like("WEB")).unwrap();
    assert!(!web.items.is_empty());
    assert!(web.items.iter().all(|v| v.name.contains("web")));
    assert_eq!(web.total, Some(web.items.len() as u64));
    // Past the end: an empty page, the same total.
    let past = c.call(&ListVms::page(99, 20)).unwrap();
    assert!(past.items.is_empty());
    assert_eq!(past.total, Some(40));
    // An unknown or empty orderBy is tolerated, a bad page number is not.
    assert_eq!(c.raw(Method::Get, "/api/virtual-machines?orderBy=&direction=&page=0&size=5", None).status, 200);
    assert_eq!(c.raw(Method::Get, "/api/virtual-machines?orderBy=nope", None).status, 200);
    assert_eq!(c.raw(Method::Get, "/api/virtual-machines?page=x", None).status, 400);
    let r = c.raw(Method::Get, "/api/virtual-machines/%FF", None);
    assert_eq!((r.status, body_json(&r)["status"].as_u64()), (400, Some(400)), "bad path: JSON 400");
    // One VM by guid; an unknown guid is a 404 with a JSON message.
    let vm = &first.items[0];
    assert_eq!(c.call(&GetVm::new(&vm.id)).unwrap().name, vm.name);
    let e = c.call(&GetVm::new("no-such-vm")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(e.message.contains("no-such-vm"), "{}", e.message);
}

#[test]
fn back_up_poll_list_restore_and_find_the_restored_vm() {
    let sim = start();
    let c = Client::admin(&sim);
    let (vm, vm_name) = backupable_vm(&c);
    let rule = rule_of(&c, &vm);

    let submitted =
        c.call(&ExportVms::new(vec![Ref::named(&vm, &vm_name)], vec![rule], BackupType::Full, now())).unwrap();
    assert_eq!(submitted.tasks.len(), 1);
    let export = &submitted.tasks[0];
    assert_eq!(export.kind, TaskType::Export);
    assert_eq!(export.state, TaskState::Queued);
    let backup_id = export.backup.as_ref().unwrap().id.clone();
    let workflow = export.workflow.clone().unwrap();

    // Poll the workflow's tasks until the STORE that follows the EXPORT has finished.
    let mut seen_progress = Vec::new();
    let tasks = wait_for(Duration::from_secs(20), || {
        let page = c.call(&ListTasks::for_workflow(&workflow)).unwrap();
        for t in &page.items {
            if t.state == TaskState::Running {
                seen_progress.push(t.progress);
            }
        }
        page.items.iter().any(|t| t.kind == TaskType::Store && t.state == TaskState::Finished).then_some(page.items)
    });
    let store = tasks.iter().find(|t| t.kind == TaskType::Store).unwrap();
    assert_eq!(store.parent.as_ref().unwrap().id, export.id, "STORE names its EXPORT as parent");
    assert_eq!(c.call(&GetTask::new(&export.id)).unwrap().state, TaskState::Finished);
    assert!(seen_progress.iter().all(|p| (0.0..100.0).contains(p)));

    // The backup is listed with its locations, and the VM shows it.
    let backups = c.call(&ListBackups::of_vm(&vm)).unwrap();
    let backup = backups.items.iter().find(|b| b.id == backup_id).unwrap();
    assert_eq!(backup.status, BackupStatus::Success);
    assert!(!backup.locations.is_empty());
    assert!(backup.size.unwrap() > 0);
    let details = c.call(&GetVm::new(&vm)).unwrap();
    assert_eq!(details.protection.last_backup, backup.time);
    let locations = c.call(&ListBackupLocations::present(&vm)).unwrap();
    let location = locations.items.into_iter().find(|l| l.backup.as_ref().is_some_and(|b| b.id == backup_id)).unwrap();
    assert_eq!(location.status, LocationStatus::Present);

    // Restore to a manager that can take it, onto a cluster and storage given by platform uuid.
    let managers = c.call(&ListHypervisorManagers::for_restore_of(&backup_id)).unwrap();
    let manager = managers.items[0].clone();
    let clusters = c.call(&ListClusters::of_manager(&manager.id)).unwrap();
    let storages = c.call(&ListStorages::of_manager(&manager.id)).unwrap();
    let restored_name = format!("{vm_name}-restored");
    let restore = RestoreAndImport::new(location, RestoreTarget::HypervisorManager(Ref::id(&manager.id)))
        .with_cluster(clusters.items[0].uuid.clone().unwrap())
        .with_storage(storages.items[0].uuid.clone().unwrap())
        .with_new_name(&restored_name);
    let submitted = c.call(&restore).unwrap();
    let restore_task = &submitted.tasks[0];
    assert_eq!(restore_task.kind, TaskType::Restore);
    let workflow = restore_task.workflow.clone().unwrap();
    let tasks = wait_for(Duration::from_secs(20), || {
        let page = c.call(&ListTasks::for_workflow(&workflow)).unwrap();
        page.items.iter().any(|t| t.kind == TaskType::Import && t.state == TaskState::Finished).then_some(page.items)
    });
    let import = tasks.iter().find(|t| t.kind == TaskType::Import).unwrap();
    let target = import.target_vm.clone().unwrap();
    let found = c.call(&ListVms::all().name_like(&restored_name)).unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].id, target.id);
    assert_eq!(found.items[0].hypervisor_manager.as_ref().unwrap().id, manager.id);
    assert_eq!(found.items[0].cluster.as_ref().unwrap().id, clusters.items[0].id);
}

#[test]
fn export_accepts_the_older_shapes_and_answers_async_submits_as_an_object() {
    let sim = start();
    let c = Client::admin(&sim);
    let (vm, _) = backupable_vm(&c);
    let destinations = c.get_json("/backup-destinations");
    let destination = destinations[0]["guid"].as_str().unwrap();
    // 4.x: bare strings for enums and references, a destination instead of rules, numeric strings.
    let r = c.json(
        Method::Post,
        "/tasks/export",
        &json!({"backupType": "FULL", "backupDestination": {"guid": destination},
                "protectedEntities": [vm], "priority": "60", "tenantId": "ignored", "unknownField": [1, 2]}),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let tasks = body_json(&r);
    assert_eq!(tasks[0]["priority"], 60);
    assert_eq!(tasks[0]["backupDestination"]["guid"], destination);
    // 7.x async: an object with successful/unsuccessful/tasks; unknown VMs are refused, not fatal.
    let r = c.json(
        Method::Post,
        "/tasks/export",
        &json!({"protectedEntities": [{"guid": vm, "name": "x", "present": true}, {"guid": "ghost"}],
                "backupType": {"name": "INCREMENTAL", "description": "Incremental"}, "async": true}),
    );
    assert_eq!(r.status, 200);
    let body = body_json(&r);
    assert_eq!(body["successful"].as_array().unwrap().len(), 1);
    assert_eq!(body["unsuccessful"][0]["guid"], "ghost");
    assert_eq!(body["tasks"][0]["type"]["name"], "EXPORT");
    // Bad input: 400 with a message; unknown VM in a synchronous submit: 404.
    let bad = c.json(Method::Post, "/tasks/export", &json!({"protectedEntities": [vm], "priority": 101}));
    assert_eq!(bad.status, 400);
    assert!(body_json(&bad)["message"].as_str().unwrap().contains("priority"));
    assert_eq!(c.json(Method::Post, "/tasks/export", &json!({"protectedEntities": []})).status, 400);
    assert_eq!(c.json(Method::Post, "/tasks/export", &json!({"protectedEntities": ["ghost"]})).status, 404);
    let malformed = c.raw(Method::Post, "/api/tasks/export", Some("{\"protectedEntities\": ["));
    assert_eq!(malformed.status, 400);
    assert_eq!(body_json(&malformed)["status"], 400);
}

#[test]
fn cancel_queued_and_running_tasks_and_delete_as_the_server_does() {
    // One slot and slow tasks: the first export runs, the second waits in the queue.
    let sim = start_with(|o| {
        o.task_slots = 1;
        o.task_seconds = 6.0;
    });
    let c = Client::admin(&sim);
    let vms = c.get_json("/virtual-machines");
    let present: Vec<String> = vms
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["present"] == true && !v["vmBackupPolicy"].is_null())
        .map(|v| v["guid"].as_str().unwrap().to_string())
        .collect();
    let submit = |vm: &str| {
        let r = c.json(Method::Post, "/tasks/export", &json!({"protectedEntities": [vm]}));
        assert_eq!(r.status, 200);
        body_json(&r)[0].clone()
    };
    let running = submit(&present[0]);
    let queued = submit(&present[1]);
    let running_id = running["guid"].as_str().unwrap().to_string();
    let queued_id = queued["guid"].as_str().unwrap().to_string();
    wait_for(Duration::from_secs(5), || {
        (c.call(&GetTask::new(&running_id)).unwrap().state == TaskState::Running).then_some(())
    });

    // A running task cannot be deleted, but can be cancelled; it ends CANCELLED shortly after.
    assert_eq!(c.call(&DeleteTask::new(&running_id)).unwrap_err().kind, ErrorKind::Conflict);
    c.call(&CancelTask::new(&running_id)).unwrap();
    let cancelled = wait_for(Duration::from_secs(5), || {
        let t = c.call(&GetTask::new(&running_id)).unwrap();
        (t.state == TaskState::Cancelled).then_some(t)
    });
    assert!(cancelled.finish_time.is_some());
    let backup = c.get_json(&format!("/backups/{}", running["backup"]["guid"].as_str().unwrap()));
    assert_eq!(backup["status"]["name"], "FAILED", "a cancelled backup is marked failed");
    // Cancelling again: the task has ended: 409.
    assert_eq!(c.call(&CancelTask::new(&running_id)).unwrap_err().kind, ErrorKind::Conflict);
    // Only CANCELLED may be set.
    let r = c.json(Method::Put, &format!("/tasks/{queued_id}/state"), &json!({"state": "RUNNING"}));
    assert_eq!(r.status, 400);

    // The queued one (it may have started meanwhile): cancel works either way.
    c.call(&CancelTask::new(&queued_id)).unwrap();
    wait_for(Duration::from_secs(5), || {
        (c.call(&GetTask::new(&queued_id)).unwrap().state == TaskState::Cancelled).then_some(())
    });
    // Ended tasks can be deleted; then they are gone.
    c.call(&DeleteTask::new(&running_id)).unwrap();
    assert_eq!(c.call(&GetTask::new(&running_id)).unwrap_err().kind, ErrorKind::NotFound);
    assert_eq!(c.call(&CancelTask::new("ghost")).unwrap_err().kind, ErrorKind::NotFound);
}

#[test]
fn higher_priority_starts_first_and_a_passed_window_fails_the_task() {
    let sim = start_with(|o| {
        o.task_slots = 1;
        o.task_seconds = 1.0;
    });
    let c = Client::admin(&sim);
    let (vm, _) = backupable_vm(&c);
    let submit = |priority: i64, window_end: Option<i64>| {
        let mut body = json!({"protectedEntities": [vm], "priority": priority});
        if let Some(end) = window_end {
            body["windowStart"] = json!(now());
            body["windowEnd"] = json!(end);
        }
        let r = c.json(Method::Post, "/tasks/export", &body);
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        body_json(&r)[0]["guid"].as_str().unwrap().to_string()
    };
    let blocker = submit(50, None);
    wait_for(Duration::from_secs(5), || {
        (c.call(&GetTask::new(&blocker)).unwrap().state == TaskState::Running).then_some(())
    });
    let low = submit(10, None);
    let high = submit(90, None);
    // Its window closes long before the slot is free.
    let doomed = submit(50, Some(now() + 300));
    let start_of = |id: &str| wait_for(Duration::from_secs(15), || c.call(&GetTask::new(id)).unwrap().start_time);
    let (b, h, l) = (start_of(&blocker), start_of(&high), start_of(&low));
    assert!(b <= h && h <= l, "blocker {b}, high {h}, low {l}");
    let t = c.call(&GetTask::new(&doomed)).unwrap();
    assert_eq!(t.state, TaskState::Failed);
    assert!(t.status_info.unwrap().contains("window"));
}

#[test]
fn a_viewer_may_not_start_a_backup_or_a_restore_nor_cancel_or_delete_a_task() {
    // Slow tasks: the administrator's backup is still queued or running while the viewer tries to cancel it.
    let sim = start_with(|o| o.task_seconds = 60.0);
    let admin = Client::admin(&sim);
    let viewer = Client::logged_in(&sim, "viewer", "viewer-pass");
    let (vm, vm_name) = backupable_vm(&admin);
    // The same body shape as every other refusal, naming the missing privilege.
    let refused = |r: &HttpResponse, privilege: &str| {
        let expected =
            json!({"status": 403, "error": "Forbidden", "message": format!("Missing privilege: {privilege}")});
        assert_eq!((r.status, body_json(r)), (403, expected));
    };
    let tasks_of_vm = || admin.call(&ListTasks::for_vm(&vm)).unwrap().items;
    let before = tasks_of_vm().len();

    // Back up now: refused, also with a body that is invalid anyway (privileges are checked first).
    let export = ExportVms::new(vec![Ref::named(&vm, &vm_name)], vec![rule_of(&admin, &vm)], BackupType::Full, now());
    let e = viewer.call(&export).unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Forbidden, Some(403)));
    refused(&viewer.send(&export.request()), "VE_BACKUP_WRITE");
    refused(&viewer.json(Method::Post, "/tasks/export", &json!({"protectedEntities": []})), "VE_BACKUP_WRITE");
    assert_eq!(tasks_of_vm().len(), before, "no task was created");

    // Restore: refused; nothing is queued.
    let location = admin.call(&ListBackupLocations::present(&vm)).unwrap().items.into_iter().next().unwrap();
    let backup = location.backup.clone().unwrap().id;
    let manager = admin.call(&ListHypervisorManagers::for_restore_of(&backup)).unwrap().items[0].id.clone();
    let restore = RestoreAndImport::new(location, RestoreTarget::HypervisorManager(Ref::id(&manager)));
    let restores = || admin.call(&ListTasks::all().of_type(TaskType::Restore)).unwrap().items.len();
    let restores_before = restores();
    let e = viewer.call(&restore).unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Forbidden, Some(403)));
    refused(&viewer.send(&restore.request()), "VE_RESTORE");
    assert_eq!(restores(), restores_before, "no restore was queued");

    // The administrator's backup: the viewer sees it but may neither cancel nor delete it, one by one or all.
    let task = admin.call(&export).unwrap().tasks.remove(0);
    assert_eq!(viewer.call(&GetTask::new(&task.id)).unwrap().id, task.id);
    let e = viewer.call(&CancelTask::new(&task.id)).unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Forbidden, Some(403)));
    refused(&viewer.send(&CancelTask::new(&task.id).request()), "TASK_WRITE");
    refused(&viewer.send(&DeleteTask::new(&task.id).request()), "TASK_WRITE");
    for bulk in ["all-running", "all-finished", "all-finished-and-queued"] {
        refused(&viewer.raw(Method::Delete, &format!("/api/tasks/{bulk}"), None), "TASK_WRITE");
    }
    let state = admin.call(&GetTask::new(&task.id)).unwrap().state;
    assert!(matches!(state, TaskState::Queued | TaskState::Running), "the task goes on: {state:?}");
    assert_eq!(tasks_of_vm().len(), before + 1, "every task is still there");

    // The administrator may do all of it.
    admin.call(&restore).unwrap();
    admin.call(&CancelTask::new(&task.id)).unwrap();
}
