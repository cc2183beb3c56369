//! Field-level validation: every rule, field names as in the Storware request body, all errors collected.
#![allow(clippy::unwrap_used)]

mod tz;

use vmbackup_core::domain::{
    AutoAssignMode, BackupType, Policy, Ref, Rule, Schedule, ScheduleTiming, ScheduleType, Weekday,
};
use vmbackup_core::error::{ErrorKind, ValidationCode};
use vmbackup_core::schedule::FixedZones;
use vmbackup_core::validation::*;
use vmbackup_core::ApiError;

/// (field, code) of each error, in order.
fn fields(result: Result<(), ApiError>) -> Vec<(String, ValidationCode)> {
    let error = result.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Validation);
    assert_eq!(error.field.as_deref(), error.fields.first().map(|f| f.field.as_str()));
    assert_eq!(error.message, error.fields[0].message);
    error.fields.iter().map(|f| (f.field.clone(), f.code)).collect()
}

fn pairs(expected: &[(&str, ValidationCode)]) -> Vec<(String, ValidationCode)> {
    expected.iter().map(|(f, c)| (f.to_string(), *c)).collect()
}

fn time_schedule() -> Schedule {
    Schedule {
        id: None,
        name: "weekdays-0130-warsaw".into(),
        active: true,
        kind: ScheduleType::VmBackup,
        backup_type: BackupType::Incremental,
        timing: ScheduleTiming::Time { time_of_day_ms: 1_800_000, start_window_ms: Some(21_600_000) },
        days_of_week: vec![Weekday::Monday, Weekday::Friday],
        months: vec![],
        occurrences: vec![],
        rules: vec![],
        policies: vec![],
        server_fields: Default::default(),
    }
}

fn interval_schedule(start_ms: u32, end_ms: u32, frequency_ms: u64) -> Schedule {
    Schedule { timing: ScheduleTiming::Interval { start_ms, end_ms, frequency_ms }, ..time_schedule() }
}

fn rule(name: &str) -> Rule {
    Rule {
        id: None,
        name: name.into(),
        active: true,
        position: Some(0),
        policy: None,
        schedules: vec![Ref::id("ab12")],
        destinations: vec![],
        server_fields: Default::default(),
    }
}

fn policy() -> Policy {
    Policy {
        id: None,
        name: "gold".into(),
        active: true,
        priority: 50,
        retry_count: 0,
        auto_remove_non_present: false,
        auto_assign: AutoAssignMode::Disabled,
        vms: vec![],
        rules: vec![rule("Default")],
        projects: vec![],
        visible_for_all_projects: true,
        vm_count: None,
        server_fields: Default::default(),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Names, priority, window, zone

#[test]
fn names_must_not_be_blank_or_longer_than_255_characters() {
    assert_eq!(validate_name("gold"), Ok(()));
    assert_eq!(validate_name(&"x".repeat(255)), Ok(()));
    // Characters, not bytes: 255 Polish letters are 510 bytes.
    assert_eq!(validate_name(&"ż".repeat(255)), Ok(()));
    assert_eq!(fields(validate_name("")), pairs(&[("name", ValidationCode::Required)]));
    assert_eq!(fields(validate_name(" \t\n ")), pairs(&[("name", ValidationCode::Required)]));
    assert_eq!(fields(validate_name(&"x".repeat(256))), pairs(&[("name", ValidationCode::TooLong)]));
    assert_eq!(name_errors("rules[2].name", "")[0].field, "rules[2].name");
    assert!(name_errors("name", "ok").is_empty());
}

#[test]
fn priority_is_0_to_100() {
    for ok in [0, 50, 100] {
        assert_eq!(validate_priority(ok), Ok(()));
    }
    for bad in [-1, 101, i64::MIN, i64::MAX] {
        assert_eq!(fields(validate_priority(bad)), pairs(&[("priority", ValidationCode::OutOfRange)]));
    }
}

#[test]
fn backup_window_must_end_after_it_starts() {
    assert_eq!(validate_backup_window(1_000, 2_000), Ok(()));
    assert_eq!(fields(validate_backup_window(2_000, 2_000)), pairs(&[("windowEnd", ValidationCode::EndNotAfterStart)]));
    assert_eq!(fields(validate_backup_window(2_000, 1_000)), pairs(&[("windowEnd", ValidationCode::EndNotAfterStart)]));
}

#[test]
fn time_zone_must_be_known() {
    assert_eq!(validate_time_zone(&tz::Tzdb, "Europe/Warsaw", 0), Ok(()));
    assert_eq!(validate_time_zone(&FixedZones, "UTC", 0), Ok(()));
    assert_eq!(
        fields(validate_time_zone(&tz::Tzdb, "Europe/Atlantis", 0)),
        pairs(&[("timeZone", ValidationCode::UnknownTimeZone)])
    );
    assert_eq!(fields(validate_time_zone(&tz::Tzdb, "  ", 0)), pairs(&[("timeZone", ValidationCode::Required)]));
}

// ---------------------------------------------------------------------------------------------------------------
// Schedules

#[test]
fn a_valid_time_schedule_passes() {
    assert_eq!(validate_schedule(&time_schedule()), Ok(()));
    let mut no_window = time_schedule();
    no_window.timing = ScheduleTiming::Time { time_of_day_ms: 86_399_999, start_window_ms: None };
    assert_eq!(validate_schedule(&no_window), Ok(()));
}

#[test]
fn time_of_day_must_lie_within_a_day() {
    let mut s = time_schedule();
    s.timing = ScheduleTiming::Time { time_of_day_ms: 86_400_000, start_window_ms: Some(1) };
    assert_eq!(fields(validate_schedule(&s)), pairs(&[("hour", ValidationCode::NotTimeOfDay)]));
}

#[test]
fn start_window_must_be_positive_when_set() {
    let mut s = time_schedule();
    s.timing = ScheduleTiming::Time { time_of_day_ms: 0, start_window_ms: Some(0) };
    assert_eq!(fields(validate_schedule(&s)), pairs(&[("startWindowLength", ValidationCode::NotPositive)]));
}

#[test]
fn schedules_need_a_day_of_week() {
    let mut s = time_schedule();
    s.days_of_week.clear();
    assert_eq!(fields(validate_schedule(&s)), pairs(&[("daysOfWeek", ValidationCode::Empty)]));
    let mut s = interval_schedule(0, 79_140_000, 7_200_000);
    s.days_of_week.clear();
    assert_eq!(fields(validate_schedule(&s)), pairs(&[("daysOfWeek", ValidationCode::Empty)]));
}

#[test]
fn schedule_names_are_checked() {
    let mut s = time_schedule();
    s.name = "   ".into();
    assert_eq!(fields(validate_schedule(&s)), pairs(&[("name", ValidationCode::Required)]));
    s.name = "n".repeat(256);
    assert_eq!(fields(validate_schedule(&s)), pairs(&[("name", ValidationCode::TooLong)]));
}

#[test]
fn interval_rules() {
    assert_eq!(validate_schedule(&interval_schedule(0, 79_140_000, 7_200_000)), Ok(()));
    assert_eq!(validate_schedule(&interval_schedule(0, 86_399_999, 1)), Ok(()));
    assert_eq!(
        fields(validate_schedule(&interval_schedule(3_600_000, 3_600_000, 60_000))),
        pairs(&[("interval.endHour", ValidationCode::EndNotAfterStart)])
    );
    assert_eq!(
        fields(validate_schedule(&interval_schedule(7_200_000, 3_600_000, 60_000))),
        pairs(&[("interval.endHour", ValidationCode::EndNotAfterStart)])
    );
    assert_eq!(
        fields(validate_schedule(&interval_schedule(0, 3_600_000, 0))),
        pairs(&[("interval.frequency", ValidationCode::NotPositive)])
    );
    assert_eq!(
        fields(validate_schedule(&interval_schedule(86_400_000, 3_600_000, 60_000))),
        pairs(&[("interval.startHour", ValidationCode::NotTimeOfDay)])
    );
    // An end beyond the day is out of range, and is not also reported as "before the start".
    assert_eq!(
        fields(validate_schedule(&interval_schedule(0, 86_400_000, 60_000))),
        pairs(&[("interval.endHour", ValidationCode::NotTimeOfDay)])
    );
}

#[test]
fn every_schedule_error_is_reported_at_once() {
    let mut s = interval_schedule(u32::MAX, u32::MAX, 0);
    s.name = String::new();
    s.days_of_week.clear();
    assert_eq!(
        fields(validate_schedule(&s)),
        pairs(&[
            ("name", ValidationCode::Required),
            ("interval.startHour", ValidationCode::NotTimeOfDay),
            ("interval.endHour", ValidationCode::NotTimeOfDay),
            ("interval.frequency", ValidationCode::NotPositive),
            ("daysOfWeek", ValidationCode::Empty),
        ])
    );
    assert_eq!(schedule_errors(&s).len(), 5);
    let mut t = time_schedule();
    t.name = " ".into();
    t.timing = ScheduleTiming::Time { time_of_day_ms: u32::MAX, start_window_ms: Some(0) };
    t.days_of_week.clear();
    assert_eq!(
        fields(validate_schedule(&t)),
        pairs(&[
            ("name", ValidationCode::Required),
            ("hour", ValidationCode::NotTimeOfDay),
            ("startWindowLength", ValidationCode::NotPositive),
            ("daysOfWeek", ValidationCode::Empty),
        ])
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Policies and rules

#[test]
fn a_valid_policy_passes() {
    assert_eq!(validate_policy(&policy()), Ok(()));
    let mut p = policy();
    p.priority = 100;
    p.retry_count = MAX_RETRY_COUNT;
    assert_eq!(validate_policy(&p), Ok(()));
}

#[test]
fn policy_priority_retries_and_rules() {
    let mut p = policy();
    p.priority = 101;
    assert_eq!(fields(validate_policy(&p)), pairs(&[("priority", ValidationCode::OutOfRange)]));
    let mut p = policy();
    p.retry_count = MAX_RETRY_COUNT + 1;
    assert_eq!(fields(validate_policy(&p)), pairs(&[("backupRetryCount", ValidationCode::OutOfRange)]));
    let mut p = policy();
    p.rules.clear();
    assert_eq!(fields(validate_policy(&p)), pairs(&[("rules", ValidationCode::Empty)]));
    let mut p = policy();
    p.rules = vec![rule("Default"), rule(" "), rule(&"r".repeat(300))];
    assert_eq!(
        fields(validate_policy(&p)),
        pairs(&[("rules[1].name", ValidationCode::Required), ("rules[2].name", ValidationCode::TooLong)])
    );
}

#[test]
fn every_policy_error_is_reported_at_once() {
    let mut p = policy();
    p.name = String::new();
    p.priority = 200;
    p.retry_count = 1_000;
    p.rules = vec![rule("")];
    assert_eq!(
        fields(validate_policy(&p)),
        pairs(&[
            ("name", ValidationCode::Required),
            ("priority", ValidationCode::OutOfRange),
            ("backupRetryCount", ValidationCode::OutOfRange),
            ("rules[0].name", ValidationCode::Required),
        ])
    );
    assert_eq!(policy_errors(&p).len(), 4);
}

#[test]
fn a_rule_on_its_own_needs_a_name() {
    assert_eq!(validate_rule(&rule("Default")), Ok(()));
    assert_eq!(fields(validate_rule(&rule(""))), pairs(&[("name", ValidationCode::Required)]));
    assert_eq!(rule_errors(&rule(""), "rules[3].")[0].field, "rules[3].name");
}

// ---------------------------------------------------------------------------------------------------------------
// Backup (export) requests

#[test]
fn a_valid_export_passes() {
    assert_eq!(validate_export(1, 1, 50, None, None), Ok(()));
    assert_eq!(validate_export(3, 2, 0, Some(1_740_988_800_000), Some(1_741_010_400_000)), Ok(()));
    assert_eq!(validate_export(1, 1, 100, Some(1), None), Ok(()));
}

#[test]
fn export_needs_a_vm() {
    assert_eq!(fields(validate_export(0, 1, 50, None, None)), pairs(&[("protectedEntities", ValidationCode::Empty)]));
}

#[test]
fn export_without_a_rule_explains_that_the_policy_has_no_active_rule() {
    let error = validate_export(1, 0, 50, None, None).unwrap_err();
    assert_eq!(error.field.as_deref(), Some("rules"));
    assert_eq!(error.fields[0].code, ValidationCode::Empty);
    assert!(error.message.contains("policy has no active rule"), "{}", error.message);
    assert!(error.message.contains("Activate a rule"), "{}", error.message);
}

#[test]
fn export_priority_and_window() {
    assert_eq!(fields(validate_export(1, 1, -1, None, None)), pairs(&[("priority", ValidationCode::OutOfRange)]));
    assert_eq!(fields(validate_export(1, 1, 101, None, None)), pairs(&[("priority", ValidationCode::OutOfRange)]));
    assert_eq!(
        fields(validate_export(1, 1, 50, Some(5), Some(5))),
        pairs(&[("windowEnd", ValidationCode::EndNotAfterStart)])
    );
}

#[test]
fn every_export_error_is_reported_at_once() {
    assert_eq!(
        fields(validate_export(0, 0, 500, Some(10), Some(1))),
        pairs(&[
            ("protectedEntities", ValidationCode::Empty),
            ("rules", ValidationCode::Empty),
            ("priority", ValidationCode::OutOfRange),
            ("windowEnd", ValidationCode::EndNotAfterStart),
        ])
    );
    assert_eq!(export_errors(0, 0, 500, Some(10), Some(1)).len(), 4);
    assert_eq!(into_result(Vec::new()), Ok(()));
}
