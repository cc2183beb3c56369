#![allow(clippy::unwrap_used)]
//! `/schedules`: list, get, create, update and delete — requests and parsing.

mod common;

use common::{fixture, html_page, json_response, ok_fixture};
use serde_json::json;
use vmbackup_core::domain::{
    BackupType, Direction, Month, Occurrence, Ref, Schedule, ScheduleTiming, ScheduleType, Weekday,
};
use vmbackup_core::http::{HttpResponse, Method, Purpose};
use vmbackup_core::storware::schedules::{
    CreateSchedule, DeleteSchedule, GetSchedule, ListSchedules, UpdateSchedule, DEFAULT_INTERVAL_FREQUENCY_MS,
};
use vmbackup_core::{Endpoint, ErrorKind};

/// "Every weekday at 01:30 Europe/Warsaw", saved in winter (§4.8 / §6 of the API notes).
fn weekday_schedule() -> Schedule {
    Schedule {
        id: None,
        name: "weekdays-0130-warsaw".into(),
        active: true,
        kind: ScheduleType::VmBackup,
        backup_type: BackupType::Incremental,
        timing: ScheduleTiming::Time { time_of_day_ms: 1_800_000, start_window_ms: Some(21_600_000) },
        days_of_week: vec![Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday],
        months: vec![],
        occurrences: vec![],
        rules: vec![Ref::id("5c2e7d10-9a8b-4c6d-8e7f-112233445566")],
        policies: vec![],
        server_fields: Default::default(),
    }
}

fn interval_schedule() -> Schedule {
    Schedule {
        id: Some("ab12c3d4-0000-4000-8000-000000000002".into()),
        name: "every-2h".into(),
        active: false,
        kind: ScheduleType::VmSnapshot,
        backup_type: BackupType::Full,
        timing: ScheduleTiming::Interval { start_ms: 0, end_ms: 79_140_000, frequency_ms: 7_200_000 },
        days_of_week: vec![Weekday::Saturday],
        months: vec![Month::January, Month::December],
        occurrences: vec![Occurrence::First, Occurrence::Last],
        rules: vec![Ref::named("r-1", "Default"), Ref::id("r-2")],
        policies: vec![Ref::named("p-1", "gold")],
        server_fields: Default::default(),
    }
}

// ----- requests -----------------------------------------------------------------------------------------

#[test]
fn list_request_with_every_option() {
    let op = ListSchedules::page(1, 50)
        .sort_by("name", Direction::Asc)
        .of_type(ScheduleType::VmBackup)
        .for_vm("vm/1")
        .in_project("p 1");
    let req = op.request();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.purpose, Purpose::Query);
    assert_eq!(req.path, "/schedules");
    assert_eq!(
        req.path_and_query(),
        "/schedules?page=1&size=50&orderBy=name&direction=asc&type=VM_BACKUP&protected-entity=vm%2F1&project-uuid=p%201"
    );
    assert_eq!(req.body, None);
}

#[test]
fn list_request_without_options_fetches_everything() {
    assert_eq!(ListSchedules::all().request().path_and_query(), "/schedules");
    let req = ListSchedules::all().of_type(ScheduleType::Other("APP_BACKUP_V2".into())).request();
    assert_eq!(req.path_and_query(), "/schedules?type=APP_BACKUP_V2", "unknown types are sent by their name");
}

#[test]
fn get_and_delete_requests_encode_the_id() {
    let req = GetSchedule::new("a/b c").request();
    assert_eq!((req.method, req.path_and_query()), (Method::Get, "/schedules/a%2Fb%20c".to_string()));
    assert_eq!(req.body, None);

    let req = DeleteSchedule::new("ab12?x").request();
    assert_eq!((req.method, req.path_and_query()), (Method::Delete, "/schedules/ab12%3Fx".to_string()));
    assert_eq!(req.purpose, Purpose::Change);
    assert_eq!(req.body, None);
}

#[test]
fn create_time_schedule_sends_the_documented_body() {
    let req = CreateSchedule::new(weekday_schedule()).request();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.purpose, Purpose::Submit, "a create is never replayed blindly");
    assert_eq!(req.path_and_query(), "/schedules");
    assert!(req.headers.contains(&("Content-Type".into(), "application/json".into())));
    assert_eq!(
        req.body_json().unwrap(),
        json!({
            "name": "weekdays-0130-warsaw",
            "active": true,
            "type": {"name": "VM_BACKUP"},
            "backupType": {"name": "INCREMENTAL"},
            "executionType": {"name": "TIME"},
            "hour": 1_800_000,
            "startWindowLength": 21_600_000,
            "interval": null,
            "daysOfWeek": [{"name": "MONDAY"}, {"name": "TUESDAY"}, {"name": "WEDNESDAY"}, {"name": "THURSDAY"},
                           {"name": "FRIDAY"}],
            "dayOfWeekOccurrences": [],
            "months": [],
            "rules": [{"guid": "5c2e7d10-9a8b-4c6d-8e7f-112233445566"}]
        })
    );
}

#[test]
fn create_ignores_an_id_and_sends_a_time_without_window_as_null() {
    let mut s = weekday_schedule();
    s.id = Some("stale".into());
    s.timing = ScheduleTiming::Time { time_of_day_ms: 84_600_000, start_window_ms: None };
    let body = CreateSchedule::new(s).request().body_json().unwrap();
    assert!(body.get("guid").is_none(), "no guid on create: {body}");
    assert_eq!(body["hour"], json!(84_600_000));
    assert_eq!(body["startWindowLength"], json!(null));
    assert_eq!(body["interval"], json!(null));
}

#[test]
fn create_interval_schedule_sends_the_documented_body() {
    let mut s = interval_schedule();
    s.id = None;
    let req = CreateSchedule::new(s).request();
    assert_eq!(
        req.body_json().unwrap(),
        json!({
            "name": "every-2h",
            "active": false,
            "type": {"name": "VM_SNAPSHOT"},
            "backupType": {"name": "FULL"},
            "executionType": {"name": "INTERVAL"},
            "hour": null,
            "startWindowLength": null,
            "interval": {"startHour": 0, "endHour": 79_140_000, "frequency": 7_200_000},
            "daysOfWeek": [{"name": "SATURDAY"}],
            "dayOfWeekOccurrences": [{"name": "FIRST_IN_MONTH"}, {"name": "LAST_IN_MONTH"}],
            "months": [{"name": "JANUARY"}, {"name": "DECEMBER"}],
            "rules": [{"guid": "r-1", "name": "Default"}, {"guid": "r-2"}]
        })
    );
}

#[test]
fn update_puts_the_same_body_with_guid() {
    let op = UpdateSchedule::new(interval_schedule()).unwrap();
    let req = op.request();
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.purpose, Purpose::Change);
    assert_eq!(req.path_and_query(), "/schedules/ab12c3d4-0000-4000-8000-000000000002");
    assert_eq!(
        req.body_json().unwrap(),
        json!({
            "guid": "ab12c3d4-0000-4000-8000-000000000002",
            "name": "every-2h",
            "active": false,
            "type": {"name": "VM_SNAPSHOT"},
            "backupType": {"name": "FULL"},
            "executionType": {"name": "INTERVAL"},
            "hour": null,
            "startWindowLength": null,
            "interval": {"startHour": 0, "endHour": 79_140_000, "frequency": 7_200_000},
            "daysOfWeek": [{"name": "SATURDAY"}],
            "dayOfWeekOccurrences": [{"name": "FIRST_IN_MONTH"}, {"name": "LAST_IN_MONTH"}],
            "months": [{"name": "JANUARY"}, {"name": "DECEMBER"}],
            "rules": [{"guid": "r-1", "name": "Default"}, {"guid": "r-2"}]
        })
    );
}

#[test]
fn update_needs_a_saved_schedule() {
    let e = UpdateSchedule::new(weekday_schedule()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert_eq!(e.field.as_deref(), Some("guid"));
    let mut blank = weekday_schedule();
    blank.id = Some("  ".into());
    assert_eq!(UpdateSchedule::new(blank).unwrap_err().kind, ErrorKind::Validation);
}

#[test]
fn a_read_schedule_is_written_back_unchanged() {
    let page = ListSchedules::all().parse(&ok_fixture("schedules/list_7x.json")).unwrap();
    let op = UpdateSchedule::new(page.items[0].clone()).unwrap();
    assert_eq!(
        op.request().body_json().unwrap(),
        json!({
            "guid": "ab12c3d4-0000-4000-8000-000000000001",
            "name": "weekdays-0130-warsaw",
            "active": true,
            "type": {"name": "VM_BACKUP"},
            "backupType": {"name": "INCREMENTAL"},
            "executionType": {"name": "TIME"},
            "hour": 1_800_000,
            "startWindowLength": 21_600_000,
            "interval": null,
            "daysOfWeek": [{"name": "MONDAY"}, {"name": "TUESDAY"}, {"name": "WEDNESDAY"}, {"name": "THURSDAY"},
                           {"name": "FRIDAY"}],
            "dayOfWeekOccurrences": [],
            "months": [],
            "rules": [{"guid": "5c2e7d10-9a8b-4c6d-8e7f-112233445566", "name": "Default"}],
            // Fields the domain does not model travel back as the server sent them (the project scoping above all).
            "lastRun": 1_740_988_800_000_i64,
            "nextRun": {"time": 1_741_051_800_000_i64},
            "projectUuid": null
        })
    );
}

// ----- parsing --------------------------------------------------------------------------------------------

#[test]
fn list_parses_7x_records_with_object_enums_and_total() {
    let resp = ok_fixture("schedules/list_7x.json").with_header("X-Total-Count", "3");
    let page = ListSchedules::page(0, 10).parse(&resp).unwrap();
    assert_eq!(page.total, Some(3));
    assert_eq!(page.items.len(), 3);

    let time = &page.items[0];
    assert_eq!(time.id.as_deref(), Some("ab12c3d4-0000-4000-8000-000000000001"));
    assert_eq!(time.name, "weekdays-0130-warsaw");
    assert!(time.active);
    assert_eq!(time.kind, ScheduleType::VmBackup);
    assert_eq!(time.backup_type, BackupType::Incremental);
    assert_eq!(time.timing, ScheduleTiming::Time { time_of_day_ms: 1_800_000, start_window_ms: Some(21_600_000) });
    assert_eq!(
        time.days_of_week,
        vec![Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday]
    );
    assert!(time.months.is_empty() && time.occurrences.is_empty());
    assert_eq!(time.rules, vec![Ref::named("5c2e7d10-9a8b-4c6d-8e7f-112233445566", "Default")]);
    assert_eq!(time.policies, vec![Ref::named("a8b1f0d2-1111-4c3d-9e8f-000000000001", "gold")]);

    let interval = &page.items[1];
    assert!(!interval.active);
    assert_eq!(interval.backup_type, BackupType::Full);
    assert_eq!(interval.timing, ScheduleTiming::Interval { start_ms: 0, end_ms: 79_140_000, frequency_ms: 7_200_000 });
    assert_eq!(interval.occurrences, vec![Occurrence::First, Occurrence::Last]);
    assert_eq!(interval.months, vec![Month::January, Month::February, Month::March]);
    assert!(interval.rules.is_empty());
}

#[test]
fn unknown_and_malformed_list_entries_are_skipped_not_fatal() {
    let page = ListSchedules::all().parse(&ok_fixture("schedules/list_7x.json")).unwrap();
    let snap = &page.items[2];
    assert_eq!(snap.kind, ScheduleType::VmSnapshot);
    assert_eq!(snap.timing, ScheduleTiming::Time { time_of_day_ms: 84_600_000, start_window_ms: Some(3_600_000) });
    assert_eq!(
        snap.days_of_week,
        vec![Weekday::Saturday, Weekday::Sunday],
        "FUNDAY, null, 7 and a nameless entry skipped"
    );
    assert_eq!(snap.occurrences, vec![Occurrence::Second]);
    assert_eq!(snap.months, vec![Month::December]);
    assert_eq!(snap.rules, vec![Ref::named("r-2", "Snap")], "null and guid-less rule refs skipped");
}

#[test]
fn get_parses_bare_string_enums_and_numeric_strings() {
    let s = GetSchedule::new("bb").parse(&ok_fixture("schedules/detail_bare.json")).unwrap();
    assert_eq!(s.id.as_deref(), Some("bb000000-0000-4000-8000-000000000001"));
    assert_eq!(s.name, "hourly-office");
    assert!(s.active, "\"true\" reads as true");
    assert_eq!(s.kind, ScheduleType::VmBackup);
    assert_eq!(s.backup_type, BackupType::Incremental);
    assert_eq!(
        s.timing,
        ScheduleTiming::Interval { start_ms: 25_200_000, end_ms: 64_800_000, frequency_ms: 3_600_000 }
    );
    assert_eq!(s.days_of_week, vec![Weekday::Monday, Weekday::Wednesday, Weekday::Friday]);
    assert_eq!(s.occurrences, vec![Occurrence::Second]);
    assert_eq!(s.months, vec![Month::June, Month::July]);
    assert_eq!(s.rules, vec![Ref::id("rule-1")]);
    assert_eq!(s.policies, vec![Ref::named("pol-1", "silver")]);
}

#[test]
fn get_parses_the_4x_shape_with_bare_guid_rules() {
    let s = GetSchedule::new("c4").parse(&ok_fixture("schedules/detail_4x.json")).unwrap();
    assert_eq!(s.name, "legacy-nightly");
    assert_eq!(s.kind, ScheduleType::VmBackup);
    assert_eq!(s.backup_type, BackupType::Full);
    assert_eq!(s.timing, ScheduleTiming::Time { time_of_day_ms: 3_600_000, start_window_ms: Some(18_000_000) });
    assert_eq!(s.days_of_week, Weekday::ALL.to_vec());
    assert_eq!(
        s.rules,
        vec![Ref::id("0c1d2e3f-4a5b-4c6d-8e7f-000000000004"), Ref::id("0c1d2e3f-4a5b-4c6d-8e7f-000000000005")]
    );
    assert!(s.policies.is_empty());
}

#[test]
fn timing_is_inferred_when_execution_type_is_missing_or_unknown() {
    let page = ListSchedules::all().parse(&ok_fixture("schedules/inferred.json")).unwrap();
    assert_eq!(
        page.items[0].timing,
        ScheduleTiming::Interval { start_ms: 3_600_000, end_ms: 86_400_000, frequency_ms: 1_800_000 },
        "an interval object without an hour is INTERVAL; 24:00 as an end is kept"
    );
    assert_eq!(
        page.items[1].timing,
        ScheduleTiming::Time { time_of_day_ms: 36_000_000, start_window_ms: Some(7_200_000) },
        "an hour without an interval is TIME"
    );

    let future = &page.items[2];
    assert_eq!(
        future.timing,
        ScheduleTiming::Interval { start_ms: 0, end_ms: 86_400_000, frequency_ms: 900_000 },
        "an unknown execution type falls back to the record's shape; missing interval bounds span the day"
    );
    assert_eq!(future.kind, ScheduleType::Other("APP_BACKUP_NEXT".into()), "unknown values are kept");
    assert_eq!(future.backup_type, BackupType::Other("FOREVER_INCREMENTAL".into()));
    assert!(future.days_of_week.is_empty());

    let wrapped = &page.items[3];
    assert_eq!(
        wrapped.timing,
        ScheduleTiming::Time { time_of_day_ms: 3_600_000, start_window_ms: None },
        "an hour beyond a day wraps into it; a negative window is no window"
    );
}

#[test]
fn a_minimal_record_gets_documented_defaults() {
    let s = GetSchedule::new("x").parse(&ok_fixture("schedules/minimal.json")).unwrap();
    assert_eq!(s.id.as_deref(), Some("only-guid"));
    assert_eq!(s.name, "", "no name is a blank name, never the id");
    assert!(s.active);
    assert_eq!(s.kind, ScheduleType::VmBackup);
    assert_eq!(s.backup_type, BackupType::Full);
    assert_eq!(s.timing, ScheduleTiming::Time { time_of_day_ms: 0, start_window_ms: None });
    assert!(s.days_of_week.is_empty() && s.rules.is_empty() && s.policies.is_empty());
}

#[test]
fn interval_without_frequency_uses_the_ui_default() {
    let body = r#"{"guid":"g","executionType":"INTERVAL","interval":null}"#;
    let s = GetSchedule::new("g").parse(&json_response(200, body)).unwrap();
    assert_eq!(
        s.timing,
        ScheduleTiming::Interval { start_ms: 0, end_ms: 86_400_000, frequency_ms: DEFAULT_INTERVAL_FREQUENCY_MS }
    );
    assert_eq!(DEFAULT_INTERVAL_FREQUENCY_MS, 7_200_000);
}

#[test]
fn create_returns_the_saved_schedule() {
    let s = CreateSchedule::new(weekday_schedule()).parse(&ok_fixture("schedules/detail_4x.json")).unwrap();
    assert_eq!(s.id.as_deref(), Some("c4000000-0000-4000-8000-000000000001"));
    // 201 Created with the record is success too.
    let resp = HttpResponse::new(201, fixture("schedules/minimal.json"));
    assert_eq!(CreateSchedule::new(weekday_schedule()).parse(&resp).unwrap().id.as_deref(), Some("only-guid"));
    // A create that answers nothing cannot tell the new id.
    let e = CreateSchedule::new(weekday_schedule()).parse(&HttpResponse::new(201, Vec::new())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
}

#[test]
fn update_returns_the_sent_schedule_on_204_and_the_servers_on_200() {
    let op = UpdateSchedule::new(interval_schedule()).unwrap();
    let s = op.parse(&HttpResponse::new(204, Vec::new())).unwrap();
    assert_eq!(s, interval_schedule());
    let s = op.parse(&HttpResponse::new(200, b" \n".to_vec())).unwrap();
    assert_eq!(s, interval_schedule());

    let s = op.parse(&ok_fixture("schedules/detail_bare.json")).unwrap();
    assert_eq!(s.name, "hourly-office", "the server's answer wins when it sends one");
}

#[test]
fn update_with_an_explicit_id_reports_that_id() {
    let op = UpdateSchedule { id: "other".into(), schedule: weekday_schedule() };
    assert_eq!(op.request().path, "/schedules/other");
    assert_eq!(op.request().body_json().unwrap()["guid"], json!("other"));
    assert_eq!(op.parse(&HttpResponse::new(204, Vec::new())).unwrap().id.as_deref(), Some("other"));
}

#[test]
fn delete_accepts_any_2xx() {
    assert_eq!(DeleteSchedule::new("x").parse(&HttpResponse::new(204, Vec::new())), Ok(()));
    assert_eq!(DeleteSchedule::new("x").parse(&json_response(200, "{}")), Ok(()));
}

// ----- errors ---------------------------------------------------------------------------------------------

#[test]
fn error_bodies_give_the_right_kind_and_message() {
    let not_found =
        json_response(404, r#"{"status":404,"error":"Not Found","message":"Schedule with guid x not found"}"#);
    for e in [
        GetSchedule::new("x").parse(&not_found).unwrap_err(),
        UpdateSchedule::new(interval_schedule()).unwrap().parse(&not_found).unwrap_err(),
        DeleteSchedule::new("x").parse(&not_found).unwrap_err(),
    ] {
        assert_eq!((e.kind, e.status), (ErrorKind::NotFound, Some(404)));
        assert_eq!(e.message, "Schedule with guid x not found");
    }

    let dup = json_response(400, r#"{"error":{"message":"Schedule name must be unique","field":"name"}}"#);
    let e = CreateSchedule::new(weekday_schedule()).parse(&dup).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert_eq!(e.message, "Schedule name must be unique");
    assert_eq!(e.field.as_deref(), Some("name"));

    let e = ListSchedules::all().parse(&json_response(401, "{}")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthorized);
}

#[test]
fn html_answers_say_so() {
    let e = ListSchedules::all().parse(&html_page(502)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);
    assert!(e.message.contains("web page"), "{}", e.message);
    assert_eq!(e.detail.as_deref(), Some("Page title: 502 Bad Gateway"));

    let e = UpdateSchedule::new(interval_schedule()).unwrap().parse(&html_page(502)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);

    // 200 with the portal's own page: the API base URL is wrong.
    let spa = HttpResponse::new(200, fixture("errors/spa_index.html"));
    for e in [
        ListSchedules::all().parse(&spa).unwrap_err(),
        GetSchedule::new("x").parse(&spa).unwrap_err(),
        UpdateSchedule::new(interval_schedule()).unwrap().parse(&spa).unwrap_err(),
    ] {
        assert_eq!(e.kind, ErrorKind::Decode);
        assert!(e.message.contains("web page"), "{}", e.message);
    }
}

#[test]
fn wrong_shapes_are_decode_errors() {
    let e = ListSchedules::all().parse(&json_response(200, r#"{"guid":"a"}"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.message.contains("list of schedules"), "{}", e.message);
    let e = ListSchedules::all().parse(&json_response(200, r#"[{"guid":"a"},{"name":"no id"}]"#)).unwrap_err();
    assert!(e.detail.unwrap().contains("row 1"));
    let e = GetSchedule::new("x").parse(&json_response(200, r#"["not","a","record"]"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.message.contains("a schedule"), "{}", e.message);
}

// ----- never panics ---------------------------------------------------------------------------------------

#[test]
fn list_schedules_never_panics() {
    common::parser_never_panics(&ListSchedules::page(0, 10));
}

#[test]
fn get_schedule_never_panics() {
    common::parser_never_panics(&GetSchedule::new("g"));
}

#[test]
fn create_schedule_never_panics() {
    common::parser_never_panics(&CreateSchedule::new(weekday_schedule()));
}

#[test]
fn update_schedule_never_panics() {
    common::parser_never_panics(&UpdateSchedule::new(interval_schedule()).unwrap());
}

#[test]
fn delete_schedule_never_panics() {
    common::parser_never_panics(&DeleteSchedule::new("g"));
}
