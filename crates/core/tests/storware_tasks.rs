#![allow(clippy::unwrap_used)]
//! Tasks: export, restore-and-import, list, get, cancel, delete, and finding the tasks of a lost submission.

mod common;

use common::{fixture, html_page, json_response, ok_fixture};
use serde_json::json;
use vmbackup_core::domain::{
    BackupLocation, BackupType, Direction, LocationStatus, OriginType, Ref, SubmitResult, Task, TaskState, TaskType,
};
use vmbackup_core::error::ValidationCode;
use vmbackup_core::http::{HttpResponse, Method, Purpose};
use vmbackup_core::storware::tasks::{
    tasks_possibly_created_by, CancelTask, DeleteTask, ExportVms, GetTask, ListTasks, RestoreAndImport, RestoreTarget,
    CLOCK_SKEW_ALLOWANCE_MS,
};
use vmbackup_core::{Endpoint, ErrorKind};

const NOW: i64 = 1_740_988_800_000;
const WEB: &str = "0f36f40c-6427-4035-9f2b-1ead6aca3597";
const DB: &str = "1a2b3c4d-0000-4000-8000-000000000002";

fn export() -> ExportVms {
    ExportVms::new(
        vec![Ref::named(WEB, "web-01"), Ref::id(DB)],
        vec![Ref::named("5c2e7d10-9a8b-4c6d-8e7f-112233445566", "Default")],
        BackupType::Full,
        NOW,
    )
}

fn location() -> BackupLocation {
    BackupLocation {
        id: "3f5d0a9e-0b1a-4c9e-8a10-5b2f7c6d4e21".into(),
        backup: Some(Ref::named("9c7e2a41-5d0f-4b8e-a3c1-6e2f9d8b7a10", "web-01 backup")),
        destination: Some(Ref::named("b0d10000-0000-4000-8000-000000000001", "fs-primary")),
        destination_type: Some("FILESYSTEM".into()),
        role: None,
        status: LocationStatus::Present,
        snapshot_time: Some(1_740_988_800_000),
        backup_type: Some(BackupType::Full),
        retention_hint: None,
    }
}

fn restore() -> RestoreAndImport {
    RestoreAndImport::new(location(), RestoreTarget::HypervisorManager(Ref::id("7d0c2e64-6a7b-4f6e-9d51-2f0a3c1b9e11")))
}

fn ids(tasks: &[Task]) -> Vec<&str> {
    tasks.iter().map(|t| t.id.as_str()).collect()
}

fn assert_html_errors<E: Endpoint>(op: &E)
where
    E::Output: std::fmt::Debug,
{
    let e = op.parse(&html_page(502)).unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Server, Some(502)));
    assert!(e.message.contains("web page"), "{}", e.message);
    assert_eq!(e.detail.as_deref(), Some("Page title: 502 Bad Gateway"));

    let e = op.parse(&HttpResponse::new(200, fixture("errors/spa_index.html"))).unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Decode, Some(200)));
    assert!(e.message.contains("web page"), "{}", e.message);
    assert_eq!(e.detail.as_deref(), Some("Page title: Cloud Portal"));
}

// ---------------------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------------------

#[test]
fn export_request_is_the_5x_body_exactly() {
    let req = export().request();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.purpose, Purpose::Submit, "a backup must never be replayed blindly");
    assert_eq!(req.path_and_query(), "/tasks/export");
    assert!(req.headers.contains(&("Content-Type".into(), "application/json".into())));
    assert_eq!(
        req.body_json().unwrap(),
        json!({
            "protectedEntityType": "VM",
            "protectedEntities": [{"guid": WEB, "name": "web-01"}, {"guid": DB}],
            "backupType": {"name": "FULL"},
            "rules": [{"guid": "5c2e7d10-9a8b-4c6d-8e7f-112233445566", "name": "Default"}],
            "priority": 50,
            "retryCount": 0,
            "windowStart": NOW
        })
    );
}

#[test]
fn export_request_with_every_option() {
    let op = ExportVms::new(vec![Ref::id(WEB)], vec![Ref::id("r1"), Ref::id("r2")], BackupType::Incremental, NOW)
        .with_priority(90)
        .with_retry_count(2)
        .with_window_end(NOW + 21_600_000)
        .asynchronous();
    let req = op.request();
    assert_eq!(req.path_and_query(), "/tasks/export");
    assert_eq!(
        req.body_json().unwrap(),
        json!({
            "protectedEntityType": "VM",
            "protectedEntities": [{"guid": WEB}],
            "backupType": {"name": "INCREMENTAL"},
            "rules": [{"guid": "r1"}, {"guid": "r2"}],
            "priority": 90,
            "retryCount": 2,
            "windowStart": NOW,
            "windowEnd": NOW + 21_600_000,
            "async": true
        })
    );
}

#[test]
fn export_validation_reports_every_problem() {
    assert!(export().validate().is_ok());
    let op = ExportVms::new(vec![], vec![], BackupType::Full, NOW).with_priority(101).with_window_end(NOW);
    let e = op.validate().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    let found: Vec<(&str, ValidationCode)> = e.fields.iter().map(|f| (f.field.as_str(), f.code)).collect();
    assert_eq!(
        found,
        [
            ("protectedEntities", ValidationCode::Empty),
            ("rules", ValidationCode::Empty),
            ("priority", ValidationCode::OutOfRange),
            ("windowEnd", ValidationCode::EndNotAfterStart),
        ]
    );
    assert_eq!(e.field.as_deref(), Some("protectedEntities"));

    let e = ExportVms::new(vec![Ref::id(" ")], vec![Ref::id("")], BackupType::Full, NOW).validate().unwrap_err();
    let found: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(found, ["protectedEntities", "rules"]);
    assert!(e.fields.iter().all(|f| f.code == ValidationCode::Required));
}

#[test]
fn export_parses_an_array_of_tasks_in_both_enum_encodings() {
    let result = export().parse(&ok_fixture("tasks/export_array.json")).unwrap();
    assert_eq!(ids(&result.tasks), ["e1e10000-0000-4000-8000-000000000001", "e1e10000-0000-4000-8000-000000000002"]);
    assert!(result.accepted.is_empty() && result.refused.is_empty());
    for task in &result.tasks {
        assert_eq!(task.kind, TaskType::Export);
        assert_eq!(task.state, TaskState::Queued);
        assert_eq!(task.backup_type, Some(BackupType::Full));
        assert_eq!(task.window_start, Some(NOW));
        assert_eq!(task.origin.as_ref().unwrap().kind, OriginType::User);
    }
    assert_eq!(result.tasks[0].vm, Some(Ref::named(WEB, "web-01")));
    assert_eq!(result.tasks[1].vm, Some(Ref::named(DB, "db-01")));
    assert_eq!(result.tasks[1].origin.as_ref().unwrap().id, None, "an origin without guid is still read");
}

#[test]
fn export_parses_the_submit_result_object() {
    let resp = ok_fixture("tasks/export_submit_result.json").with_header("Content-Type", "application/json");
    let result = export().parse(&resp).unwrap();
    assert_eq!(result.accepted, vec![Ref::named(WEB, "web-01"), Ref::id(DB)], "null entries are skipped");
    assert_eq!(result.refused, vec![Ref::named("dead0000-0000-4000-8000-000000000003", "broken-vm")]);
    assert_eq!(ids(&result.tasks), ["e1e10000-0000-4000-8000-000000000001", "e1e10000-0000-4000-8000-000000000002"]);
    assert_eq!(result.tasks[0].vm_name.as_deref(), Some("web-01"));
    assert_eq!(result.tasks[1].kind, TaskType::Export);
    assert_eq!(result.tasks[1].progress, 0.0);
    assert_eq!(result.tasks[1].priority, None);
}

#[test]
fn export_async_answer_without_tasks() {
    let result = export().asynchronous().parse(&ok_fixture("tasks/export_async.json")).unwrap();
    assert!(result.tasks.is_empty());
    assert_eq!(result.accepted, vec![Ref::named(WEB, "web-01")]);
    assert!(result.refused.is_empty());
}

#[test]
fn export_single_task_object() {
    let result = export().parse(&ok_fixture("tasks/task_details.json")).unwrap();
    assert_eq!(ids(&result.tasks), ["8d1b6f3e-2c4a-4f0e-9b7d-1a2b3c4d5e6f"]);
}

#[test]
fn export_empty_answers_are_an_empty_result() {
    for (status, body) in [(201, ""), (204, ""), (200, " \n"), (200, "null"), (200, "{}"), (200, "[]")] {
        let result = export().parse(&HttpResponse::new(status, body.as_bytes().to_vec())).unwrap();
        assert_eq!(result, SubmitResult::default(), "status {status} body {body:?}");
    }
}

#[test]
fn export_unreadable_answers_are_decode_errors() {
    // An object that is neither a task nor a submit result.
    let e = export().parse(&json_response(200, r#"{"status":"UP"}"#)).unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Decode, Some(200)));
    assert!(e.message.contains("backup tasks"), "{}", e.message);
    // A task row without guid names its index.
    let e = export().parse(&json_response(200, r#"[{"guid":"a"},{"type":"EXPORT"}]"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.detail.unwrap().contains("task 1"));
    let e = export().parse(&json_response(200, r#"{"tasks":[{"state":"QUEUED"}]}"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    let e = export().parse(&json_response(200, r#"{"tasks":"none"}"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    let e = export().parse(&json_response(200, "42")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    let e = export().parse(&HttpResponse::new(200, b"[{\"guid\":".to_vec())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
}

#[test]
fn export_errors_carry_the_servers_message() {
    let e = export().parse(&HttpResponse::new(400, fixture("tasks/error_400_rules.json"))).unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Validation, Some(400)));
    assert_eq!(e.message, "Export task requires at least one policy rule");

    let e = export().parse(&HttpResponse::new(403, fixture("tasks/error_403_privilege.json"))).unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Forbidden, Some(403)));
    assert_eq!(e.message, "User portal-svc has no privilege VE_BACKUP_SLA_EXECUTE to run backups");

    let e = export().parse(&HttpResponse::new(401, Vec::new())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthorized);

    // A non-2xx with a body that looks like a success is still an error.
    let e = export().parse(&HttpResponse::new(500, fixture("tasks/export_array.json"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);
}

#[test]
fn export_html_answers_say_so() {
    assert_html_errors(&export());
}

// ---------------------------------------------------------------------------------------------------------
// Restore and import
// ---------------------------------------------------------------------------------------------------------

#[test]
fn restore_request_minimal_body_exactly() {
    let req = restore().request();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.purpose, Purpose::Submit);
    assert_eq!(req.path_and_query(), "/tasks/restore-and-import");
    assert_eq!(
        req.body_json().unwrap(),
        json!({
            "backupLocation": {
                "guid": "3f5d0a9e-0b1a-4c9e-8a10-5b2f7c6d4e21",
                "backup": {"guid": "9c7e2a41-5d0f-4b8e-a3c1-6e2f9d8b7a10", "name": "web-01 backup"},
                "snapshotTime": 1_740_988_800_000_i64,
                "backupDestination": {"guid": "b0d10000-0000-4000-8000-000000000001", "name": "fs-primary"}
            },
            "backup": null,
            "hypervisorManager": {"guid": "7d0c2e64-6a7b-4f6e-9d51-2f0a3c1b9e11"},
            "overwrite": false
        })
    );
}

#[test]
fn restore_request_with_every_option_to_a_hypervisor() {
    let mut loc = location();
    loc.snapshot_time = None;
    loc.destination = None;
    loc.backup = Some(Ref::id("9c7e2a41-5d0f-4b8e-a3c1-6e2f9d8b7a10"));
    let op = RestoreAndImport::new(loc, RestoreTarget::Hypervisor(Ref::named("h1", "kvm-host-1")))
        .with_cluster("00000002-0002-0002-0002-0000000001e3")
        .with_storage("9a1b2c3d-platform-storage-uuid")
        .with_new_name("web-01-restored")
        .in_project(Ref::named("p-1", "tenant-a"))
        .overwriting(true);
    assert_eq!(
        op.request().body_json().unwrap(),
        json!({
            "backupLocation": {
                "guid": "3f5d0a9e-0b1a-4c9e-8a10-5b2f7c6d4e21",
                "backup": {"guid": "9c7e2a41-5d0f-4b8e-a3c1-6e2f9d8b7a10"}
            },
            "backup": null,
            "hypervisor": {"guid": "h1", "name": "kvm-host-1"},
            "restoreClusterId": "00000002-0002-0002-0002-0000000001e3",
            "restoreStorageId": "9a1b2c3d-platform-storage-uuid",
            "restoredPeName": "web-01-restored",
            "restoreProject": {"guid": "p-1", "name": "tenant-a"},
            "overwrite": true
        })
    );
    // A blank new name keeps the original name.
    assert_eq!(restore().with_new_name("  ").new_name, None);
}

#[test]
fn restore_validation() {
    assert!(restore().validate().is_ok());
    let mut loc = location();
    loc.id = String::new();
    loc.backup = None;
    let e = RestoreAndImport::new(loc, RestoreTarget::Hypervisor(Ref::id(""))).validate().unwrap_err();
    let found: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(found, ["backupLocation", "backupLocation.backup", "hypervisor"]);
    assert!(e.fields.iter().all(|f| f.code == ValidationCode::Required));
}

#[test]
fn restore_parses_a_4x_single_task() {
    let result = restore().parse(&ok_fixture("tasks/restore_task_4x.json")).unwrap();
    let task = &result.tasks[0];
    assert_eq!(result.tasks.len(), 1);
    assert_eq!((task.kind.clone(), task.state.clone()), (TaskType::Restore, TaskState::Queued));
    assert_eq!(
        task.target_vm,
        Some(Ref::named("4a4a0000-0000-4000-8000-0000000000nv", "legacy-vm-restored")),
        "4.x clients read the new VM from dstProtectedEntity"
    );
    assert_eq!(task.backup, Some(Ref::named("4a4a0000-0000-4000-8000-0000000000bk", "legacy-vm backup")));
    assert_eq!(task.origin, None);
    assert_eq!(task.workflow, None);
}

#[test]
fn restore_parses_an_array_and_the_submit_result() {
    let result = restore().parse(&ok_fixture("tasks/restore_array.json")).unwrap();
    let task = &result.tasks[0];
    assert_eq!(task.kind, TaskType::Restore);
    assert_eq!(task.target_vm, Some(Ref::named("22220000-0000-4000-8000-000000000001", "web-01-restored")));
    assert_eq!(task.workflow.as_deref(), Some("f0e10000-0000-4000-8000-000000000077"));

    let body = r#"{"successful":[{"guid":"9c7e"}],"unsuccessful":[],"tasks":[{"guid":"t1","type":"RESTORE"}]}"#;
    let result = restore().parse(&json_response(201, body)).unwrap();
    assert_eq!(ids(&result.tasks), ["t1"]);
    assert_eq!(result.accepted, vec![Ref::id("9c7e")]);
    assert_eq!(restore().parse(&HttpResponse::new(204, Vec::new())).unwrap(), SubmitResult::default());
}

#[test]
fn restore_errors() {
    let e = restore().parse(&json_response(400, r#"{"message":"Storage 9a1b not found"}"#)).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Validation, "Storage 9a1b not found"));
    let e = restore().parse(&HttpResponse::new(403, fixture("tasks/error_403_privilege.json"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert!(e.message.contains("VE_BACKUP_SLA_EXECUTE"));
    assert_html_errors(&restore());
}

// ---------------------------------------------------------------------------------------------------------
// List and get
// ---------------------------------------------------------------------------------------------------------

#[test]
fn list_request_with_every_filter_in_order() {
    let op = ListTasks::for_vm(WEB)
        .paged(1, 20)
        .sort_by("priority", Direction::Desc)
        .in_states(&[TaskState::Queued, TaskState::Running, TaskState::Other("PAUSED".into())])
        .of_type(TaskType::Export)
        .of_backup("b/1");
    let op = ListTasks { workflow: Some("wf 1".into()), ..op };
    let req = op.request();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.purpose, Purpose::Query);
    assert_eq!(req.path, "/tasks");
    assert_eq!(
        req.path_and_query(),
        format!(
            "/tasks?page=1&size=20&orderBy=priority&direction=desc&protected-entity={WEB}\
             &states=QUEUED&states=RUNNING&states=PAUSED&type=EXPORT&workflow-execution=wf%201&backup=b%2F1"
        )
    );
    assert_eq!(req.body, None);
}

#[test]
fn list_request_shortcuts() {
    assert_eq!(ListTasks::all().request().path_and_query(), "/tasks");
    assert_eq!(ListTasks::page(0, 10).request().path_and_query(), "/tasks?page=0&size=10");
    assert_eq!(ListTasks::for_workflow("wf").request().path_and_query(), "/tasks?workflow-execution=wf");
    assert_eq!(
        ListTasks::all().of_type(TaskType::Store).in_states(&[TaskState::Finished]).request().path_and_query(),
        "/tasks?states=FINISHED&type=STORE"
    );
}

#[test]
fn list_parses_7_4_records_with_object_enums() {
    let resp = ok_fixture("tasks/list_7_4.json").with_header("X-Total-Count", "3");
    let page = ListTasks::page(0, 10).parse(&resp).unwrap();
    assert_eq!(page.total, Some(3));
    assert_eq!(page.items.len(), 3);

    let running = &page.items[0];
    assert_eq!(running.id, "8d1b6f3e-2c4a-4f0e-9b7d-1a2b3c4d5e6f");
    assert_eq!(running.kind, TaskType::Export);
    assert_eq!(running.state, TaskState::Running);
    assert_eq!(running.progress, 42.5);
    assert_eq!(running.priority, Some(50));
    assert_eq!(running.window_start, Some(1_740_988_800_000));
    assert_eq!(running.window_end, Some(1_741_010_400_000));
    assert_eq!(running.start_time, Some(1_740_988_805_000));
    assert_eq!(running.finish_time, None);
    assert_eq!(running.backup_type, Some(BackupType::Full));
    assert_eq!(running.vm, Some(Ref::named(WEB, "web-01")));
    assert_eq!(running.vm_name.as_deref(), Some("web-01"));
    assert_eq!(running.target_vm, None);
    assert_eq!(running.hypervisor_manager, Some(Ref::named("7d0c2e64-6a7b-4f6e-9d51-2f0a3c1b9e11", "rhv.lab.local")));
    assert_eq!(running.hypervisor, None);
    assert_eq!(running.backup, Some(Ref::named("9c7e2a41-5d0f-4b8e-a3c1-6e2f9d8b7a10", "web-01 backup")));
    assert_eq!(running.status_info.as_deref(), Some("Exporting disk 1 of 2"));
    let origin = running.origin.as_ref().unwrap();
    assert_eq!(origin.kind, OriginType::User);
    assert_eq!(origin.id.as_deref(), Some("d3000000-0000-4000-8000-000000000001"));
    assert_eq!(origin.name.as_deref(), Some("portal-svc"));
    assert_eq!(running.parent, None);
    assert_eq!(running.workflow.as_deref(), Some("f0e10000-0000-4000-8000-000000000001"));

    let deleted_vm = &page.items[1];
    assert_eq!(deleted_vm.vm, None, "protectedEntity null: the VM record is gone");
    assert_eq!(deleted_vm.vm_name.as_deref(), Some("old-db (deleted)"));
    assert_eq!(deleted_vm.state, TaskState::Finished);
    assert_eq!(deleted_vm.finish_time, Some(1_740_903_010_000));
    assert_eq!(deleted_vm.backup_type, Some(BackupType::Incremental));
    assert_eq!(deleted_vm.origin.as_ref().unwrap().kind, OriginType::Schedule);

    let store = &page.items[2];
    assert_eq!((store.kind.clone(), store.state.clone()), (TaskType::Store, TaskState::Queued));
    assert_eq!(store.start_time, None);
    assert_eq!(store.parent, Some(Ref::named("8d1b6f3e-2c4a-4f0e-9b7d-1a2b3c4d5e6f", "Export web-01")));
    assert_eq!(store.workflow, running.workflow, "export and store share the workflow execution");
    assert_eq!(store.vm_name.as_deref(), Some("web-01"), "without a display name, the VM reference's name");
}

#[test]
fn list_parses_newest_bare_strings_unknown_values_and_odd_numbers() {
    let page = ListTasks::all().parse(&ok_fixture("tasks/list_newest.json")).unwrap();
    assert_eq!(page.total, None);

    let restore = &page.items[0];
    assert_eq!(restore.kind, TaskType::Restore);
    assert_eq!(restore.state, TaskState::Failed);
    assert_eq!(restore.progress, 66.5, "numeric string progress");
    assert_eq!(restore.priority, Some(70), "numeric string priority");
    assert_eq!(restore.window_start, Some(1_740_988_800_000));
    assert_eq!(restore.target_vm, Some(Ref::named("22220000-0000-4000-8000-000000000001", "web-01-restored")));
    assert_eq!(restore.backup, Some(Ref::id("9c7e2a41-5d0f-4b8e-a3c1-6e2f9d8b7a10")), "bare guid reference");
    assert_eq!(restore.workflow.as_deref(), Some("f0e10000-0000-4000-8000-000000000009"));
    assert_eq!(restore.origin.as_ref().unwrap().kind, OriginType::User);
    assert_eq!(restore.status_info.as_deref(), Some("Storage 9a1b2c3d not found on cluster Default"));

    let future = &page.items[1];
    assert_eq!(future.kind, TaskType::Other("CLOUD_SITE_SYNC".into()));
    assert_eq!(future.state, TaskState::Other("PAUSED".into()));
    assert!(!future.state.is_terminal(), "unknown states stay tracked");
    assert_eq!(future.progress, 100.0, "progress above 100 is held at 100");
    assert_eq!(future.priority, Some(100), "priority above 100 is held at 100");
    assert_eq!(future.backup_type, Some(BackupType::Synthetic));
    let origin = future.origin.as_ref().unwrap();
    assert_eq!((origin.kind.clone(), origin.id.clone()), (OriginType::SystemSchedule, None));

    let sync = &page.items[2];
    assert_eq!(sync.kind, TaskType::InventorySync);
    assert_eq!(sync.progress, 0.0, "NaN progress reads as 0");
    assert_eq!(sync.priority, Some(0), "negative priority is held at 0");
    assert_eq!(sync.vm_name, None, "a blank display name is no name");
    assert_eq!(sync.origin, None, "an origin without a type is dropped, the task is kept");

    let negative = &page.items[3];
    assert_eq!(negative.progress, 0.0, "negative progress is held at 0");
    assert_eq!(negative.backup_type, Some(BackupType::Full));
}

#[test]
fn list_row_without_guid_names_the_row() {
    let e = ListTasks::all().parse(&json_response(200, r#"[{"guid":"a"},{"type":"EXPORT"}]"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.detail.unwrap().contains("row 1"));
    assert!(e.message.contains("list of tasks"));
}

#[test]
fn list_errors() {
    let e = ListTasks::all().parse(&HttpResponse::new(403, fixture("tasks/error_403_privilege.json"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert!(e.message.contains("VE_BACKUP_SLA_EXECUTE"));
    let e = ListTasks::all().parse(&json_response(400, r#"{"message":"Unknown state: PAUSED"}"#)).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Validation, "Unknown state: PAUSED"));
    assert_html_errors(&ListTasks::all());
}

#[test]
fn get_request_encodes_the_id() {
    let req = GetTask::new("8d1b/../x y").request();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path_and_query(), "/tasks/8d1b%2F..%2Fx%20y");
    assert_eq!(req.body, None);
}

#[test]
fn get_parses_details_4x_and_minimal() {
    let op = GetTask::new("8d1b6f3e-2c4a-4f0e-9b7d-1a2b3c4d5e6f");
    let task = op.parse(&ok_fixture("tasks/task_details.json")).unwrap();
    assert_eq!(task.kind, TaskType::Export);
    assert_eq!(task.state, TaskState::Running);
    assert_eq!(task.progress, 42.5);
    assert_eq!(task.workflow.as_deref(), Some("f0e10000-0000-4000-8000-000000000001"));

    let legacy = op.parse(&ok_fixture("tasks/task_4x.json")).unwrap();
    assert_eq!(legacy.kind, TaskType::Export);
    assert_eq!(legacy.state, TaskState::Finished);
    assert_eq!(legacy.progress, 100.0);
    assert_eq!(legacy.vm, Some(Ref::named("4a4a0000-0000-4000-8000-0000000000vm", "legacy-vm")));
    assert_eq!(legacy.vm_name.as_deref(), Some("legacy-vm"));
    assert_eq!(legacy.finish_time, Some(1_609_460_100_000));
    assert_eq!((legacy.origin.clone(), legacy.workflow.clone(), legacy.parent.clone()), (None, None, None));

    let minimal = op.parse(&ok_fixture("tasks/task_minimal.json")).unwrap();
    assert_eq!(minimal.id, "9e9e0000-0000-4000-8000-000000000001");
    assert_eq!(minimal.kind, TaskType::Other(String::new()));
    assert_eq!(minimal.state, TaskState::Other(String::new()));
    assert!(!minimal.state.is_terminal());
    assert_eq!(minimal.progress, 0.0);
    assert_eq!(
        (minimal.priority, minimal.window_start, minimal.start_time, minimal.vm.clone(), minimal.vm_name.clone()),
        (None, None, None, None, None)
    );
}

#[test]
fn get_errors() {
    let op = GetTask::new("8d1b6f3e-2c4a-4f0e-9b7d-1a2b3c4d5e6f");
    let e = op.parse(&HttpResponse::new(404, fixture("tasks/error_404_task.json"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound, "purged tasks answer 404");
    assert_eq!(e.message, "Task with guid 8d1b6f3e-2c4a-4f0e-9b7d-1a2b3c4d5e6f not found");
    let e = op.parse(&json_response(200, r#"[{"guid":"a"}]"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.message.contains("a task"));
    assert_html_errors(&op);
}

// ---------------------------------------------------------------------------------------------------------
// Cancel and delete
// ---------------------------------------------------------------------------------------------------------

#[test]
fn cancel_request_is_exact() {
    let req = CancelTask::new("8d1b 6f3e").request();
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.path_and_query(), "/tasks/8d1b%206f3e/state");
    assert_eq!(req.body_json().unwrap(), json!({"state": {"name": "CANCELLED"}, "statusInfo": "Canceled by user"}));
}

#[test]
fn cancel_accepts_any_2xx_with_or_without_body() {
    let op = CancelTask::new("t");
    for resp in [
        HttpResponse::new(204, Vec::new()),
        HttpResponse::new(200, Vec::new()),
        ok_fixture("tasks/task_details.json"),
        json_response(200, "not json at all"),
    ] {
        op.parse(&resp).unwrap();
    }
}

#[test]
fn cancel_errors() {
    let op = CancelTask::new("t");
    let e = op.parse(&HttpResponse::new(400, fixture("tasks/error_400_cancel_finished.json"))).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Validation, "Task in state FINISHED cannot be cancelled"));
    let e = op.parse(&HttpResponse::new(403, fixture("tasks/error_403_privilege.json"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    let e = op.parse(&HttpResponse::new(404, fixture("tasks/error_404_task.json"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert_html_errors(&op);
}

#[test]
fn delete_request_and_answers() {
    let req = DeleteTask::new("a/b").request();
    assert_eq!(req.method, Method::Delete);
    assert_eq!(req.path_and_query(), "/tasks/a%2Fb");
    assert_eq!(req.body, None);
    let op = DeleteTask::new("t");
    op.parse(&HttpResponse::new(204, Vec::new())).unwrap();
    op.parse(&json_response(200, "{}")).unwrap();
    let e = op.parse(&HttpResponse::new(404, fixture("tasks/error_404_task.json"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    let e = op.parse(&json_response(409, r#"{"message":"Task is running"}"#)).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Conflict, "Task is running"));
    assert_html_errors(&op);
}

// ---------------------------------------------------------------------------------------------------------
// A submission whose answer was lost
// ---------------------------------------------------------------------------------------------------------

fn candidates() -> Vec<Task> {
    ListTasks::for_vm(WEB).parse(&ok_fixture("tasks/recovery_candidates.json")).unwrap().items
}

#[test]
fn lost_submission_finds_only_the_tasks_it_may_have_created() {
    let tasks = candidates();
    let found: Vec<&str> = tasks_possibly_created_by([WEB, DB], NOW, &tasks).iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        found,
        ["mine-queued", "mine-running-skewed", "boundary", "second-vm", "legacy-no-origin", "unknown-state"],
        "left out: old-finished, just-outside-skew, scheduled, store, failed, cancelled, other-vm, deleted-vm, \
         no-times, old-window-new-start"
    );
}

#[test]
fn lost_submission_via_the_operation_uses_its_vms_and_instant() {
    let tasks = candidates();
    let only_web = ExportVms::new(vec![Ref::id(WEB)], vec![Ref::id("r")], BackupType::Full, NOW);
    let found: Vec<&str> = only_web.tasks_possibly_created(&tasks).iter().map(|t| t.id.as_str()).collect();
    assert_eq!(found, ["mine-queued", "mine-running-skewed", "boundary", "legacy-no-origin", "unknown-state"]);

    // Submitted later: the earlier tasks no longer qualify.
    let later = ExportVms { window_start: NOW + CLOCK_SKEW_ALLOWANCE_MS + 60_001, ..only_web };
    assert!(later.tasks_possibly_created(&tasks).is_empty());
}

#[test]
fn lost_submission_edge_cases() {
    let tasks = candidates();
    assert!(tasks_possibly_created_by(Vec::<String>::new(), NOW, &tasks).is_empty(), "no VMs, no tasks");
    assert!(tasks_possibly_created_by([WEB], NOW, &[]).is_empty());
    // The allowance is exactly five minutes, boundary included.
    assert_eq!(CLOCK_SKEW_ALLOWANCE_MS, 300_000);
    let found = tasks_possibly_created_by(vec![WEB.to_string()], i64::MIN, &tasks);
    assert_eq!(found.len(), 8, "from the beginning of time: every non-failed user export of the VM with a time");
}

/// A listed EXPORT task of `vm` with a state, progress and `windowStart`.
fn listed_export(id: &str, vm: &str, state: &str, progress: u32, window_start: i64) -> serde_json::Value {
    json!({
        "guid": id, "type": "EXPORT", "state": state, "progress": progress,
        "protectedEntity": {"guid": vm}, "windowStart": window_start,
        "originEntity": {"type": "USER"}
    })
}

/// The tasks of a `GET /tasks` answer listing `rows`.
fn listed_tasks(rows: serde_json::Value) -> Vec<Task> {
    ListTasks::all().parse(&json_response(200, &rows.to_string())).unwrap().items
}

fn ref_ids<'a>(tasks: &[&'a Task]) -> Vec<&'a str> {
    tasks.iter().map(|t| t.id.as_str()).collect()
}

#[test]
fn copies_of_a_resent_submission_keep_the_one_furthest_along_per_vm_and_cancel_the_rest() {
    let tasks = listed_tasks(json!([
        listed_export("web-queued-1", WEB, "QUEUED", 0, NOW),
        listed_export("web-running", WEB, "RUNNING", 40, NOW),
        listed_export("web-queued-2", WEB, "QUEUED", 0, NOW),
        listed_export("db-queued-1", DB, "QUEUED", 0, NOW),
        listed_export("db-queued-2", DB, "QUEUED", 0, NOW),
        // Another submission a second later (another tab, another user): not a copy, never cancelled.
        listed_export("web-other-submission", WEB, "QUEUED", 0, NOW + 1_000),
    ]));
    let export = ExportVms::new(vec![Ref::id(WEB), Ref::id(DB)], vec![Ref::id("r")], BackupType::Full, NOW);
    let created = export.tasks_created(&tasks);
    assert_eq!(ref_ids(&created.kept), ["web-running", "db-queued-1", "web-other-submission"]);
    assert_eq!(ref_ids(&created.extra_copies), ["web-queued-1", "web-queued-2", "db-queued-2"]);
}

#[test]
fn finished_copies_are_kept_and_a_finished_copy_wins_over_running_ones() {
    let tasks = listed_tasks(json!([
        listed_export("running", WEB, "RUNNING", 90, NOW),
        listed_export("finished-1", WEB, "FINISHED", 100, NOW),
        listed_export("finished-2", WEB, "FINISHED", 100, NOW),
    ]));
    let export = ExportVms::new(vec![Ref::id(WEB)], vec![Ref::id("r")], BackupType::Full, NOW);
    let created = export.tasks_created(&tasks);
    // A finished copy cannot be cancelled: it stays in the list the user sees; the running one is the extra.
    assert_eq!(ref_ids(&created.kept), ["finished-1", "finished-2"]);
    assert_eq!(ref_ids(&created.extra_copies), ["running"]);
}

#[test]
fn copies_beside_an_answered_backup_are_told_only_by_the_exact_window_start() {
    let answered = listed_tasks(json!([listed_export("web-answered", WEB, "QUEUED", 0, NOW)]));
    let with = |rows: serde_json::Value| export().copied_beside(&answered, &listed_tasks(rows));
    assert!(with(json!([
        listed_export("web-first", WEB, "RUNNING", 10, NOW),
        listed_export("web-answered", WEB, "QUEUED", 0, NOW),
    ])));
    // The answer alone, another submission a second later, a finished copy: no copy to cancel.
    assert!(!with(json!([listed_export("web-answered", WEB, "QUEUED", 0, NOW)])));
    assert!(!with(json!([
        listed_export("web-answered", WEB, "QUEUED", 0, NOW),
        listed_export("web-other", WEB, "QUEUED", 0, NOW + 1_000),
    ])));
    assert!(!with(json!([
        listed_export("web-answered", WEB, "QUEUED", 0, NOW),
        listed_export("web-done", WEB, "FINISHED", 100, NOW),
    ])));
    // A server that does not keep the submitted windowStart: nothing can be told apart.
    assert!(!with(json!([
        listed_export("web-answered", WEB, "QUEUED", 0, NOW + 5),
        listed_export("web-first", WEB, "QUEUED", 0, NOW),
    ])));
}

#[test]
fn a_lost_restore_is_looked_for_among_its_backups_restore_tasks() {
    let backup = "9c7e2a41-5d0f-4b8e-a3c1-6e2f9d8b7a10";
    let listing = restore().possible_tasks().unwrap();
    assert_eq!(listing.request().path_and_query(), format!("/tasks?type=RESTORE&backup={backup}"));
    let restore_task = |id: &str, backup: &str, state: &str, origin: &str, start: i64| {
        json!({"guid": id, "type": "RESTORE", "state": state, "backup": {"guid": backup}, "windowStart": start,
               "originEntity": {"type": origin}})
    };
    let tasks = listed_tasks(json!([
        restore_task("mine", backup, "RUNNING", "USER", NOW + 10),
        restore_task("other-backup", "another", "RUNNING", "USER", NOW + 10),
        restore_task("old", backup, "FINISHED", "USER", NOW - CLOCK_SKEW_ALLOWANCE_MS - 1),
        restore_task("failed", backup, "FAILED", "USER", NOW + 10),
        restore_task("scheduled", backup, "QUEUED", "SCHEDULE", NOW + 10),
        listed_export("an-export", WEB, "RUNNING", 0, NOW + 10),
    ]));
    assert_eq!(ref_ids(&restore().tasks_possibly_created(NOW, &tasks)), ["mine"]);

    let without_backup = RestoreAndImport { location: BackupLocation { backup: None, ..location() }, ..restore() };
    assert!(without_backup.possible_tasks().is_none(), "nothing to attribute a task to");
    assert!(without_backup.tasks_possibly_created(NOW, &tasks).is_empty());
}

/// The backup [`restore`] restores.
const RESTORED_BACKUP: &str = "9c7e2a41-5d0f-4b8e-a3c1-6e2f9d8b7a10";

/// A listed RESTORE task of [`RESTORED_BACKUP`], started by a user, with a state, progress, `windowStart` and
/// (when `Some`) the name the record gives the restored VM.
fn listed_restore(
    id: &str,
    state: &str,
    progress: u32,
    window_start: i64,
    restored_as: Option<&str>,
) -> serde_json::Value {
    json!({
        "guid": id, "type": "RESTORE", "state": state, "progress": progress, "backup": {"guid": RESTORED_BACKUP},
        "windowStart": window_start, "originEntity": {"type": "USER"},
        "protectedEntity": {"guid": WEB, "name": "web-01"}, "protectedEntityDisplayName": "web-01",
        "dstProtectedEntity": restored_as.map(|name| json!({"guid": format!("new-{id}"), "name": name})),
    })
}

#[test]
fn copies_of_a_resent_restore_keep_the_one_furthest_along_and_cancel_the_rest() {
    let tasks = listed_tasks(json!([
        listed_restore("queued-1", "QUEUED", 0, NOW + 10, None),
        listed_restore("running", "RUNNING", 30, NOW + 20, Some("web-01")),
        listed_restore("queued-2", "QUEUED", 0, NOW + 30, None),
        listed_restore("earlier", "QUEUED", 0, NOW - CLOCK_SKEW_ALLOWANCE_MS - 1, None),
        listed_restore("failed", "FAILED", 0, NOW + 40, None),
    ]));
    let created = restore().tasks_created(NOW, &tasks);
    assert_eq!(ref_ids(&created.kept), ["running"], "without a new name the VM keeps the backed-up VM's name");
    assert_eq!(ref_ids(&created.extra_copies), ["queued-1", "queued-2"]);

    let all_queued = listed_tasks(json!([
        listed_restore("first", "QUEUED", 0, NOW + 10, None),
        listed_restore("second", "QUEUED", 0, NOW + 5, None),
    ]));
    let created = restore().tasks_created(NOW, &all_queued);
    assert_eq!((ref_ids(&created.kept), ref_ids(&created.extra_copies)), (vec!["first"], vec!["second"]));
}

#[test]
fn finished_restore_copies_are_kept_and_win_over_running_ones() {
    let tasks = listed_tasks(json!([
        listed_restore("running", "RUNNING", 90, NOW, None),
        listed_restore("finished", "FINISHED", 100, NOW, None),
        listed_restore("queued", "QUEUED", 0, NOW, None),
    ]));
    let created = restore().tasks_created(NOW, &tasks);
    assert_eq!(ref_ids(&created.kept), ["finished"]);
    assert_eq!(ref_ids(&created.extra_copies), ["running", "queued"]);
}

#[test]
fn a_restore_under_another_name_or_in_an_unknown_state_means_nothing_is_cancelled() {
    let named = restore().with_new_name("web-01-restored");
    let under = |other: &str| {
        listed_tasks(json!([
            listed_restore("mine", "RUNNING", 10, NOW, Some("web-01-restored")),
            listed_restore("copy", "QUEUED", 0, NOW, None),
            listed_restore("theirs", "QUEUED", 0, NOW, Some(other)),
        ]))
    };
    let same = under("web-01-restored");
    assert_eq!(ref_ids(&named.tasks_created(NOW, &same).extra_copies), ["copy", "theirs"]);
    let other_name = under("web-01-copy-for-tests");
    let created = named.tasks_created(NOW, &other_name);
    assert_eq!(ref_ids(&created.kept), ["mine", "copy", "theirs"]);
    assert!(created.extra_copies.is_empty(), "another restore of the backup is under way: cancel nothing");
    // The original name is not this restore's name when it asks for a new one.
    let original_name = under("web-01");
    assert!(named.tasks_created(NOW, &original_name).extra_copies.is_empty());

    let unknown = listed_tasks(json!([
        listed_restore("mine", "RUNNING", 10, NOW, None),
        listed_restore("copy", "QUEUED", 0, NOW, None),
        listed_restore("odd", "PAUSED", 0, NOW, None),
    ]));
    let created = restore().tasks_created(NOW, &unknown);
    assert_eq!(ref_ids(&created.kept), ["mine", "copy", "odd"]);
    assert!(created.extra_copies.is_empty());
}

#[test]
fn a_restore_into_another_target_means_nothing_is_cancelled() {
    // `restore()` imports into this manager; the sim and Storware 7.x name the target on the task record.
    let ours = json!({"guid": "7d0c2e64-6a7b-4f6e-9d51-2f0a3c1b9e11", "name": "rhv.lab.local"});
    let into = |manager: serde_json::Value, hypervisor: serde_json::Value| {
        let mut theirs = listed_restore("theirs", "QUEUED", 0, NOW, None);
        theirs["hypervisorManager"] = manager;
        theirs["hypervisor"] = hypervisor;
        let mut mine = listed_restore("mine", "RUNNING", 10, NOW, None);
        mine["hypervisorManager"] = ours.clone();
        listed_tasks(json!([mine, theirs]))
    };
    let same = into(ours.clone(), json!(null));
    assert_eq!(ref_ids(&restore().tasks_created(NOW, &same).extra_copies), ["theirs"]);
    let unnamed = into(json!(null), json!(null));
    assert_eq!(ref_ids(&restore().tasks_created(NOW, &unnamed).extra_copies), ["theirs"], "a record naming no target");

    let other_manager = into(json!({"guid": "another-manager", "name": "vcenter.lab"}), json!(null));
    let created = restore().tasks_created(NOW, &other_manager);
    assert_eq!(ref_ids(&created.kept), ["mine", "theirs"]);
    assert!(created.extra_copies.is_empty(), "another restore of the backup goes elsewhere: cancel nothing");

    // Into a stand-alone hypervisor: compared by hypervisor, whatever manager the record also names.
    let to_host = |id: &str| RestoreAndImport { target: RestoreTarget::Hypervisor(Ref::id(id)), ..restore() };
    let on_host = |id: &str| {
        let row = |guid: &str, state: &str| {
            let mut row = listed_restore(guid, state, 0, NOW, None);
            row["hypervisorManager"] = ours.clone();
            row["hypervisor"] = json!({"guid": id, "name": "kvm-01"});
            row
        };
        listed_tasks(json!([row("mine", "RUNNING"), row("theirs", "QUEUED")]))
    };
    assert_eq!(ref_ids(&to_host("kvm-1").tasks_created(NOW, &on_host("kvm-1")).extra_copies), ["theirs"]);
    assert!(to_host("kvm-1").tasks_created(NOW, &on_host("kvm-2")).extra_copies.is_empty());

    let answered = same[0].clone();
    assert!(restore().copies_of_answered(&answered, 1_000, &other_manager).extra_copies.is_empty());
}

#[test]
fn copies_beside_an_answered_restore_lie_within_the_request_time_of_its_server_instant() {
    let tasks = listed_tasks(json!([
        listed_restore("answered", "QUEUED", 0, NOW + 2_000, None),
        listed_restore("first-copy", "QUEUED", 0, NOW + 800, None),
        listed_restore("colleagues", "RUNNING", 20, NOW - 60_000, None),
    ]));
    let answered = tasks[0].clone();
    let created = restore().copies_of_answered(&answered, 1_500, &tasks);
    assert_eq!(ref_ids(&created.kept), ["answered"], "a restore a minute earlier is not a copy");
    assert_eq!(ref_ids(&created.extra_copies), ["first-copy"]);

    // A request that took no time: the first copy lies beyond the second of rounding.
    let created = restore().copies_of_answered(&answered, 0, &tasks);
    assert_eq!((ref_ids(&created.kept), created.extra_copies.len()), (vec!["answered"], 0));

    // The answered task further along than a copy is kept, whichever was answered.
    let running_copy = listed_tasks(json!([
        listed_restore("answered", "QUEUED", 0, NOW + 2_000, None),
        listed_restore("first-copy", "RUNNING", 5, NOW + 1_000, None),
    ]));
    let created = restore().copies_of_answered(&running_copy[0], 1_500, &running_copy);
    assert_eq!((ref_ids(&created.kept), ref_ids(&created.extra_copies)), (vec!["first-copy"], vec!["answered"]));

    // In doubt, nothing: the answered task has no server instant or is not listed.
    let no_instant = Task { window_start: None, ..answered.clone() };
    assert_eq!(restore().copies_of_answered(&no_instant, 1_500, &tasks), Default::default());
    let unlisted = Task { id: "unlisted".into(), ..answered };
    let created = restore().copies_of_answered(&unlisted, 1_500, &tasks);
    assert_eq!((ref_ids(&created.kept), created.extra_copies.len()), (vec!["answered", "first-copy"], 0));
}

proptest::proptest! {
    /// Whatever the copies' states and progress: every found task is either kept or an extra, extras are
    /// queued or running, exactly one queued or running copy survives when nothing finished, and no extra is
    /// further along than the copy kept.
    #[test]
    fn restore_copies_leave_exactly_one_going(
        copies in proptest::collection::vec((0..4u8, 0..=100u32), 1..8)
    ) {
        let states = ["QUEUED", "RUNNING", "FINISHED", "CANCELLED"];
        let rows: Vec<serde_json::Value> = copies
            .iter()
            .enumerate()
            .map(|(i, (state, progress))| listed_restore(&format!("t{i}"), states[*state as usize], *progress, NOW, None))
            .collect();
        let tasks = listed_tasks(serde_json::Value::Array(rows));
        let found = restore().tasks_possibly_created(NOW, &tasks);
        let created = restore().tasks_created(NOW, &tasks);
        proptest::prop_assert_eq!(created.kept.len() + created.extra_copies.len(), found.len());
        let going = |t: &Task| matches!(t.state, TaskState::Queued | TaskState::Running);
        proptest::prop_assert!(created.extra_copies.iter().all(|t| going(t)));
        let finished = created.kept.iter().filter(|t| t.state == TaskState::Finished).count();
        let kept_going = created.kept.iter().filter(|t| going(t)).count();
        proptest::prop_assert_eq!(kept_going, usize::from(finished == 0 && !found.is_empty()));
        let rank = |t: &Task| (t.state == TaskState::Finished, t.state == TaskState::Running, t.progress as u32);
        let best_kept = created.kept.iter().map(|t| rank(t)).max();
        proptest::prop_assert!(created.extra_copies.iter().all(|t| Some(rank(t)) <= best_kept));
    }
}

#[test]
fn a_single_found_task_or_tasks_without_the_exact_instant_are_all_kept() {
    let tasks = candidates();
    let export = ExportVms::new(vec![Ref::id(WEB), Ref::id(DB)], vec![Ref::id("r")], BackupType::Full, NOW);
    let created = export.tasks_created(&tasks);
    assert_eq!(ref_ids(&created.kept), ref_ids(&export.tasks_possibly_created(&tasks)));
    assert!(created.extra_copies.is_empty(), "tasks that only may be ours are never cancelled");
}

// ---------------------------------------------------------------------------------------------------------
// Never panics
// ---------------------------------------------------------------------------------------------------------

#[test]
fn export_vms_never_panics() {
    common::parser_never_panics(&export());
}

#[test]
fn restore_and_import_never_panics() {
    common::parser_never_panics(&restore());
}

#[test]
fn list_tasks_never_panics() {
    common::parser_never_panics(&ListTasks::page(0, 10));
}

#[test]
fn get_task_never_panics() {
    common::parser_never_panics(&GetTask::new("x"));
}

#[test]
fn cancel_task_never_panics() {
    common::parser_never_panics(&CancelTask::new("x"));
}

#[test]
fn delete_task_never_panics() {
    common::parser_never_panics(&DeleteTask::new("x"));
}
