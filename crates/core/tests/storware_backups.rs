//! Storware backups: `GET /backups`, `GET /backups/{guid}`, `GET /backup-locations`.
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Debug;

use common::{json_response, ok_fixture, AreaErrors};
use vmbackup_core::domain::{
    Backup, BackupLocation, BackupStatus, BackupType, DestinationRole, Direction, LocationStatus, Origin, OriginType,
    Ref,
};
use vmbackup_core::http::{HttpResponse, Method, Purpose};
use vmbackup_core::storware::backups::{GetBackup, ListBackupLocations, ListBackups};
use vmbackup_core::{Endpoint, ErrorKind};

const VM: &str = "0f36f40c-6427-4035-9f2b-1ead6aca3597";
const BACKUP: &str = "9c7e2a41-5d0f-4b8e-a3c1-6e2f9d8b7a10";

fn ok_json(name: &str) -> HttpResponse {
    ok_fixture(&format!("backups/{name}"))
}

/// Every way a call can fail at the HTTP level must give the right error, whatever the operation.
fn assert_error_answers<E: Endpoint>(op: &E)
where
    E::Output: Debug,
{
    common::assert_error_answers(
        op,
        &AreaErrors {
            area: "backups",
            not_found: "Backup with guid 9c7e2a41-5d0f-4b8e-a3c1-6e2f9d8b7a10 not found",
            forbidden: "Missing privilege VE_BACKUP_READ",
            invalid: ("Parameter 'from' must be a number", "from"),
        },
    );
}

fn primary_location_7x() -> BackupLocation {
    BackupLocation {
        id: "3f5d0a9e-0b1a-4c9e-8a10-5b2f7c6d4e21".into(),
        backup: Some(Ref::named(BACKUP, "web-01 backup")),
        destination: Some(Ref::named("b0d1c2e3-1111-4222-8333-444455556666", "fs-primary")),
        destination_type: Some("FILESYSTEM".into()),
        role: Some(DestinationRole::Primary),
        status: LocationStatus::Present,
        snapshot_time: Some(1740988805000),
        backup_type: Some(BackupType::Full),
        retention_hint: Some("STANDARD_RETENTION".into()),
    }
}

fn unknown_status() -> BackupStatus {
    BackupStatus::Other("UNKNOWN".into())
}

// ---------------------------------------------------------------------------------------------------------
// ListBackups: request

#[test]
fn list_backups_of_vm_request() {
    let req = ListBackups::of_vm(VM).request();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.purpose, Purpose::Query);
    assert_eq!(req.path_and_query(), format!("/backups?protected-entity={VM}"));
    assert_eq!(req.body, None);
}

#[test]
fn list_backups_request_with_every_filter_in_order() {
    let req = ListBackups::of_vm("vm-1")
        .restorable()
        .of_type(BackupType::Full)
        .between(1740000000000, 1741000000000)
        .only_mountable()
        .page(2, 20)
        .sort_by("snapshotTime", Direction::Desc)
        .request();
    assert_eq!(
        req.path_and_query(),
        "/backups?protected-entity=vm-1&status=SUCCESS&status=PARTIAL_SUCCESS&type=FULL&from=1740000000000\
         &to=1741000000000&only-mountable=true&page=2&size=20&orderBy=snapshotTime&direction=desc"
    );
    assert_eq!(req.body, None);
    assert_eq!(req.method, Method::Get);
}

#[test]
fn list_backups_all_has_no_query() {
    assert_eq!(ListBackups::all().request().path_and_query(), "/backups");
}

#[test]
fn list_backups_statuses_repeat_the_key_once_each_and_keep_unknown_names() {
    let req = ListBackups::all()
        .with_status(BackupStatus::Failed)
        .with_status(BackupStatus::Failed)
        .with_status(BackupStatus::Other("VERIFYING".into()))
        .request();
    assert_eq!(req.path_and_query(), "/backups?status=FAILED&status=VERIFYING");
}

#[test]
fn list_backups_single_bound_and_encoded_vm() {
    let mut op = ListBackups::of_vm("a b&c");
    op.to = Some(-5);
    op.backup_type = Some(BackupType::Synchronization);
    assert_eq!(op.request().path_and_query(), "/backups?protected-entity=a%20b%26c&type=SYNCHRONIZATION&to=-5");
}

// ---------------------------------------------------------------------------------------------------------
// ListBackups: parser

#[test]
fn list_backups_reads_7x_object_enums() {
    let page = ListBackups::of_vm(VM).parse(&ok_json("list_7x.json").with_header("X-Total-Count", "137")).unwrap();
    assert_eq!(page.total, Some(137));
    assert_eq!(page.items.len(), 2);

    let expected = Backup {
        id: BACKUP.into(),
        vm: Some(Ref::named(VM, "web-01")),
        time: Some(1740989261000),
        snapshot_time: Some(1740988805000),
        backup_type: BackupType::Full,
        status: BackupStatus::Success,
        size: Some(10737418240),
        status_info: Some("Backup finished".into()),
        description: Some("before upgrade".into()),
        rule: Some(Ref::named("5c2e8a10-7d3b-4c1e-9f20-1a2b3c4d5e6f", "Default")),
        origin: Some(Origin {
            kind: OriginType::User,
            id: Some("d3a4b5c6-0000-4000-8000-000000000001".into()),
            name: Some("admin".into()),
        }),
        locations: vec![
            primary_location_7x(),
            BackupLocation {
                id: "4a6e1b0f-1c2b-4d0f-9b21-6c3f8d7e5f32".into(),
                backup: Some(Ref::named(BACKUP, "web-01 backup")),
                destination: Some(Ref::named("c1e2d3f4-2222-4333-8444-555566667777", "s3-offsite")),
                destination_type: Some("S3".into()),
                role: Some(DestinationRole::Secondary),
                status: LocationStatus::InProgress,
                snapshot_time: Some(1740988805000),
                backup_type: Some(BackupType::Full),
                retention_hint: Some("STANDARD_RETENTION".into()),
            },
        ],
        warnings: vec![],
    };
    assert_eq!(page.items[0], expected);

    let second = &page.items[1];
    assert_eq!(second.status, BackupStatus::PartialSuccess);
    assert_eq!(second.backup_type, BackupType::Incremental);
    assert_eq!(second.origin.as_ref().map(|o| &o.kind), Some(&OriginType::Schedule));
    assert_eq!(second.warnings, vec!["Disk sdb was excluded because it is a shareable disk".to_string()]);
    // The embedded location named no backup: it is the record's own.
    assert_eq!(second.locations.len(), 1);
    assert_eq!(second.locations[0].backup, Some(Ref::id("7b1f3c52-6e1a-4c9f-b4d2-7f3a0e9c8b21")));
    assert_eq!(second.locations[0].retention_hint, None);
}

#[test]
fn list_backups_reads_newest_bare_strings_and_ignores_extra_fields() {
    let page = ListBackups::of_vm(VM).parse(&ok_json("list_newest.json")).unwrap();
    assert_eq!(page.total, None);
    let first = &page.items[0];
    assert_eq!(first.status, BackupStatus::Success);
    assert_eq!(first.backup_type, BackupType::Synthetic);
    assert_eq!(first.vm, Some(Ref::named(VM, "web-01")));
    assert_eq!(first.origin, Some(Origin { kind: OriginType::SystemSchedule, id: None, name: Some("system".into()) }));
    assert_eq!(first.locations.len(), 2);
    let primary = &first.locations[0];
    assert_eq!(primary.role, Some(DestinationRole::Primary));
    assert_eq!(primary.destination_type.as_deref(), Some("SYNTHETICXFS"));
    assert_eq!(primary.status, LocationStatus::Present);
    assert_eq!(primary.backup_type, Some(BackupType::Synthetic));
    assert_eq!(primary.retention_hint.as_deref(), Some("STANDARD_RETENTION"));
    // Values this version does not know are kept as sent.
    let archive = &first.locations[1];
    assert_eq!(archive.role, Some(DestinationRole::Archive));
    assert_eq!(archive.destination_type.as_deref(), Some("TAPE"));
    assert_eq!(archive.status, LocationStatus::Other("ARCHIVING".into()));
    assert_eq!(archive.backup, Some(Ref::id("2d4c6e80-1a3b-4c5d-8e7f-901a2b3c4d5e")));

    let second = &page.items[1];
    assert_eq!(second.status, BackupStatus::Other("VERIFYING".into()));
    assert_eq!(second.backup_type, BackupType::Full);
    // Numbers sent as strings.
    assert_eq!(second.time, Some(1741248461000));
    assert_eq!(second.size, Some(1073741824));
    assert_eq!(second.snapshot_time, None);
    assert!(second.locations.is_empty());
}

#[test]
fn list_backups_reads_minimal_records_and_skips_unreadable_parts() {
    let page = ListBackups::all().parse(&ok_json("list_minimal.json")).unwrap();
    assert_eq!(page.items.len(), 3);
    for b in &page.items[..2] {
        assert_eq!(b.status, unknown_status());
        assert_eq!(b.backup_type, BackupType::Other("UNKNOWN".into()));
        assert_eq!((b.vm.as_ref(), b.time, b.snapshot_time, b.size), (None, None, None, None));
        assert_eq!((b.status_info.as_ref(), b.description.as_ref()), (None, None));
        assert_eq!((b.rule.as_ref(), b.origin.as_ref()), (None, None));
        assert!(b.locations.is_empty());
        assert!(b.warnings.is_empty());
    }
    let third = &page.items[2];
    assert_eq!(third.status, unknown_status(), "an enum object without a name reads as unknown");
    assert_eq!(third.origin, None, "an origin without a type is dropped, not the backup");
    assert_eq!(third.warnings, vec!["kept".to_string()]);
    assert_eq!(third.locations.len(), 1, "null and guid-less locations are skipped");
    let location = &third.locations[0];
    assert_eq!(location.id, "0b000000-0000-4000-8000-000000000001");
    assert_eq!(location.status, LocationStatus::Other("UNKNOWN".into()));
    assert_eq!(location.backup, Some(Ref::id("0a000000-0000-4000-8000-000000000003")));
}

#[test]
fn list_backups_reads_4x_records() {
    let page = ListBackups::of_vm(VM).parse(&ok_json("list_4x.json")).unwrap();
    assert_eq!(page.items.len(), 2);
    let first = &page.items[0];
    assert_eq!(first.id, "8f2a4c6e-0b1d-4e3f-a5b7-c9d1e3f5a7b9");
    assert_eq!(first.vm, Some(Ref::named(VM, "web-01")));
    assert_eq!(first.time, Some(1604368800000));
    assert_eq!(first.snapshot_time, Some(1604368500000));
    assert_eq!(first.status, BackupStatus::Success);
    assert_eq!(first.backup_type, BackupType::Full);
    assert_eq!(first.size, Some(8589934592));
    assert_eq!(first.status_info.as_deref(), Some(""));
    assert_eq!((first.rule.as_ref(), first.origin.as_ref()), (None, None));
    assert!(first.locations.is_empty());
    let second = &page.items[1];
    assert_eq!(second.status, BackupStatus::Failed);
    assert_eq!(second.backup_type, BackupType::Incremental);
    assert_eq!(second.size, Some(0));
    assert_eq!(second.status_info.as_deref(), Some("Snapshot for incremental backup not found"));
}

#[test]
fn list_backups_reads_an_envelope_and_an_empty_list() {
    let body = format!(r#"{{"members": [{{"guid": "{BACKUP}", "status": "SUCCESS", "type": "FULL"}}]}}"#);
    let page = ListBackups::all().parse(&json_response(200, &body).with_header("x-total-count", "1")).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, BACKUP);
    assert_eq!(page.total, Some(1));

    let page = ListBackups::all().parse(&json_response(200, "[]").with_header("X-Total-Count", "0")).unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.total, Some(0));
}

#[test]
fn list_backups_rejects_wrong_shapes() {
    let e = ListBackups::all().parse(&json_response(200, r#"{"guid": "x"}"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert_eq!(e.message, "The server's answer could not be read as a list of backups.");

    // A row without a guid fails the call with its index instead of vanishing.
    let e = ListBackups::all().parse(&json_response(200, r#"[{"guid": "a"}, {"name": "no guid"}]"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.detail.as_deref().unwrap_or_default().contains("row 1"), "{:?}", e.detail);

    let e = ListBackups::all().parse(&json_response(200, "not json")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
}

#[test]
fn list_backups_error_answers() {
    assert_error_answers(&ListBackups::of_vm(VM));
}

#[test]
fn list_backups_never_panics() {
    common::parser_never_panics(&ListBackups::of_vm(VM));
}

// ---------------------------------------------------------------------------------------------------------
// GetBackup

#[test]
fn get_backup_request() {
    let req = GetBackup::new(BACKUP).request();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.purpose, Purpose::Query);
    assert_eq!(req.path_and_query(), format!("/backups/{BACKUP}"));
    assert_eq!(req.body, None);
    assert_eq!(GetBackup::new("../tasks?x=1").request().path_and_query(), "/backups/..%2Ftasks%3Fx%3D1");
}

#[test]
fn get_backup_reads_7x_details() {
    let backup = GetBackup::new(BACKUP).parse(&ok_json("details_7x.json")).unwrap();
    assert_eq!(backup.id, BACKUP);
    assert_eq!(backup.status, BackupStatus::Success);
    assert_eq!(backup.backup_type, BackupType::Full);
    assert_eq!(backup.vm, Some(Ref::named(VM, "web-01")));
    assert_eq!(backup.rule, Some(Ref::named("5c2e8a10-7d3b-4c1e-9f20-1a2b3c4d5e6f", "Default")));
    assert_eq!(backup.origin.as_ref().and_then(|o| o.name.as_deref()), Some("admin"));
    assert_eq!(backup.locations, vec![primary_location_7x()]);
}

#[test]
fn get_backup_reads_newest_bare_strings() {
    let backup = GetBackup::new("x").parse(&ok_json("details_newest.json")).unwrap();
    assert_eq!(backup.status, BackupStatus::Queued);
    assert_eq!(backup.backup_type, BackupType::Incremental);
    assert_eq!(backup.size, Some(0));
    assert_eq!(
        backup.origin,
        Some(Origin {
            kind: OriginType::User,
            id: Some("d3a4b5c6-0000-4000-8000-000000000001".into()),
            name: Some("portal-svc".into())
        })
    );
    let location = &backup.locations[0];
    assert_eq!(location.status, LocationStatus::InProgress);
    assert_eq!(location.role, Some(DestinationRole::Primary));
    assert_eq!(location.destination_type.as_deref(), Some("FILESYSTEM"));
    assert_eq!(location.backup, Some(Ref::id("2d4c6e80-1a3b-4c5d-8e7f-901a2b3c4d5e")));
    assert_eq!(location.snapshot_time, None);
}

#[test]
fn get_backup_reads_4x_details_and_a_bare_record() {
    let backup = GetBackup::new("x").parse(&ok_json("details_4x.json")).unwrap();
    assert_eq!(backup.id, "8f2a4c6e-0b1d-4e3f-a5b7-c9d1e3f5a7b9");
    assert_eq!(backup.status, BackupStatus::Success);
    assert_eq!(backup.size, Some(8589934592));
    assert!(backup.locations.is_empty());

    let backup = GetBackup::new("g").parse(&json_response(200, r#"{"guid": "g"}"#)).unwrap();
    assert_eq!(backup.id, "g");
    assert_eq!(backup.status, unknown_status());
}

#[test]
fn get_backup_rejects_a_list_and_a_record_without_guid() {
    let e = GetBackup::new("g").parse(&ok_json("list_7x.json")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert_eq!(e.message, "The server's answer could not be read as a backup.");
    let e = GetBackup::new("g").parse(&json_response(200, r#"{"status": "SUCCESS"}"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
}

#[test]
fn get_backup_error_answers() {
    assert_error_answers(&GetBackup::new(BACKUP));
}

#[test]
fn get_backup_never_panics() {
    common::parser_never_panics(&GetBackup::new(BACKUP));
}

// ---------------------------------------------------------------------------------------------------------
// ListBackupLocations

#[test]
fn list_backup_locations_requests() {
    let req = ListBackupLocations::present(VM).request();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.purpose, Purpose::Query);
    assert_eq!(req.path_and_query(), format!("/backup-locations?protected-entity={VM}&location-status=PRESENT"));
    assert_eq!(req.body, None);

    assert_eq!(
        ListBackupLocations::of_vm("vm 1").request().path_and_query(),
        "/backup-locations?protected-entity=vm%201"
    );
    assert_eq!(
        ListBackupLocations::of_vm("vm-1").with_status(LocationStatus::Removed).request().path_and_query(),
        "/backup-locations?protected-entity=vm-1&location-status=REMOVED"
    );
}

#[test]
fn list_backup_locations_reads_7x_object_enums() {
    let page = ListBackupLocations::present(VM)
        .parse(&ok_json("locations_7x.json").with_header("X-Total-Count", "2"))
        .unwrap();
    assert_eq!(page.total, Some(2));
    let mut first = primary_location_7x();
    first.snapshot_time = Some(1740988800000);
    assert_eq!(page.items[0], first);
    assert_eq!(
        page.items[1],
        BackupLocation {
            id: "5b7f2c1a-2d3c-4e1a-8c32-7d4a9e8f6a43".into(),
            backup: Some(Ref::named("7b1f3c52-6e1a-4c9f-b4d2-7f3a0e9c8b21", "web-01 backup")),
            destination: Some(Ref::named("c1e2d3f4-2222-4333-8444-555566667777", "s3-offsite")),
            destination_type: Some("S3".into()),
            role: Some(DestinationRole::Secondary),
            status: LocationStatus::Present,
            snapshot_time: Some(1741075205000),
            backup_type: Some(BackupType::Incremental),
            retention_hint: Some("TO_REMOVE".into()),
        }
    );
}

#[test]
fn list_backup_locations_reads_newest_bare_strings_and_extra_fields() {
    let page = ListBackupLocations::present(VM).parse(&ok_json("locations_newest.json")).unwrap();
    assert_eq!(
        page.items[0],
        BackupLocation {
            id: "6c8a3d2b-3e4d-4f2b-9d43-8e5b0f9a7b54".into(),
            backup: Some(Ref::named("2d4c6e80-1a3b-4c5d-8e7f-901a2b3c4d5e", "web-01 backup")),
            destination: Some(Ref::named("d2f3e4a5-3333-4444-8555-666677778888", "azure-archive")),
            destination_type: Some("AZURE".into()),
            role: Some(DestinationRole::Archive),
            status: LocationStatus::Present,
            snapshot_time: Some(1741161605000),
            backup_type: Some(BackupType::Full),
            retention_hint: Some("ARCHIVE".into()),
        }
    );
    let second = &page.items[1];
    // A bare-guid backup reference and a numeric string.
    assert_eq!(second.backup, Some(Ref::id("3e5d7f91-2b4c-4d6e-9f80-a12b3c4d5e6f")));
    assert_eq!(second.snapshot_time, Some(1741248005000));
    assert_eq!(second.role, Some(DestinationRole::Other("REPLICA".into())));
    assert_eq!(second.retention_hint, None);
}

#[test]
fn list_backup_locations_reads_minimal_records() {
    let page = ListBackupLocations::of_vm(VM).parse(&ok_json("locations_minimal.json")).unwrap();
    assert_eq!(page.items.len(), 2);
    for (location, id) in
        page.items.iter().zip(["0c000000-0000-4000-8000-000000000001", "0c000000-0000-4000-8000-000000000002"])
    {
        assert_eq!(
            *location,
            BackupLocation {
                id: id.into(),
                backup: None,
                destination: None,
                destination_type: None,
                role: None,
                status: LocationStatus::Other("UNKNOWN".into()),
                snapshot_time: None,
                backup_type: None,
                retention_hint: None,
            }
        );
    }
}

#[test]
fn list_backup_locations_rejects_a_row_without_guid() {
    let e = ListBackupLocations::of_vm(VM).parse(&json_response(200, r#"[{"status": "PRESENT"}]"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert_eq!(e.message, "The server's answer could not be read as a list of backup locations.");
}

#[test]
fn list_backup_locations_error_answers() {
    assert_error_answers(&ListBackupLocations::present(VM));
}

#[test]
fn list_backup_locations_never_panics() {
    common::parser_never_panics(&ListBackupLocations::present(VM));
}
