//! Field-level validation of what a user is about to send, before it reaches the server.
//!
//! Every check collects **all** field errors (a form marks every wrong input at once) into one
//! [`ApiError::validation`]; field names are those of the Storware request body (`priority`, `hour`,
//! `interval.endHour`, `rules[0].name`), so a form can put each message beside its input. The `*_errors`
//! functions return the list itself, for forms that check several things together ([`into_result`] then makes
//! the error).
//!
//! ```
//! use vmbackup_core::error::ValidationCode;
//! use vmbackup_core::validation::validate_export;
//!
//! let err = validate_export(1, 0, 150, None, None).unwrap_err();
//! let fields: Vec<_> = err.fields.iter().map(|f| (f.field.as_str(), f.code)).collect();
//! assert_eq!(fields, [("rules", ValidationCode::Empty), ("priority", ValidationCode::OutOfRange)]);
//! ```

use crate::domain::{Policy, Rule, Schedule, ScheduleTiming};
use crate::error::{ApiError, FieldError, ValidationCode};
use crate::schedule::civil::MS_PER_DAY;
use crate::schedule::zone::{offset_at, ZoneOffsets};

/// The longest name (policy, rule, schedule) Storware accepts, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// The highest task priority (Storware: 0–100).
pub const MAX_PRIORITY: i64 = 100;

/// The most retries we let a policy ask for. Storware only requires ≥ 0; more than a handful of retries of a
/// failing backup only loads the backup server (this limit is ours, not the server's).
pub const MAX_RETRY_COUNT: u32 = 10;

/// `Ok` for no errors, else one validation error carrying them all.
pub fn into_result(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// The errors of a name (policy, rule, schedule) in `field`: not blank, at most [`MAX_NAME_CHARS`] characters.
pub fn name_errors(field: &str, name: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    check_name(&mut errors, field, name);
    errors
}

/// Checks a name in the field `name`.
pub fn validate_name(name: &str) -> Result<(), ApiError> {
    into_result(name_errors("name", name))
}

/// Checks a priority in the field `priority`: 0–100.
pub fn validate_priority(priority: i64) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    check_priority(&mut errors, "priority", priority);
    into_result(errors)
}

/// Checks a backup window (`windowStart`, `windowEnd`, epoch ms): the end after the start.
pub fn validate_backup_window(window_start_ms: i64, window_end_ms: i64) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    check_window(&mut errors, Some(window_start_ms), Some(window_end_ms));
    into_result(errors)
}

/// Checks a time-zone name against `zones`, in the field `timeZone` (unknown zones are a form error, not a
/// failure later on).
pub fn validate_time_zone<Z: ZoneOffsets + ?Sized>(zones: &Z, zone: &str, now_ms: i64) -> Result<(), ApiError> {
    if zone.trim().is_empty() {
        return into_result(vec![FieldError::new("timeZone", ValidationCode::Required, "Choose a time zone.")]);
    }
    offset_at(zones, zone, now_ms).map(|_| ()).map_err(ApiError::from)
}

/// The errors of a schedule:
///
/// * `name`: not blank, at most 255 characters;
/// * `TIME`: `hour` within a day (below 86 400 000 ms), `startWindowLength` positive when set;
/// * `INTERVAL`: `interval.startHour` and `interval.endHour` within a day, the start before the end,
///   `interval.frequency` positive;
/// * `daysOfWeek`: at least one day (for both kinds; a schedule without days never runs).
pub fn schedule_errors(schedule: &Schedule) -> Vec<FieldError> {
    let mut errors = Vec::new();
    check_name(&mut errors, "name", &schedule.name);
    match schedule.timing {
        ScheduleTiming::Time { time_of_day_ms, start_window_ms } => {
            check_time_of_day(&mut errors, "hour", time_of_day_ms);
            if start_window_ms == Some(0) {
                errors.push(FieldError::new(
                    "startWindowLength",
                    ValidationCode::NotPositive,
                    "The start window must be longer than zero.",
                ));
            }
        }
        ScheduleTiming::Interval { start_ms, end_ms, frequency_ms } => {
            let start_ok = check_time_of_day(&mut errors, "interval.startHour", start_ms);
            let end_ok = check_time_of_day(&mut errors, "interval.endHour", end_ms);
            if start_ok && end_ok && end_ms <= start_ms {
                errors.push(FieldError::new(
                    "interval.endHour",
                    ValidationCode::EndNotAfterStart,
                    "The interval must end after it starts.",
                ));
            }
            if frequency_ms == 0 {
                errors.push(FieldError::new(
                    "interval.frequency",
                    ValidationCode::NotPositive,
                    "The time between runs must be longer than zero.",
                ));
            }
        }
    }
    if schedule.days_of_week.is_empty() {
        errors.push(FieldError::new("daysOfWeek", ValidationCode::Empty, "Choose at least one day of the week."));
    }
    errors
}

/// Checks a schedule (see [`schedule_errors`]).
pub fn validate_schedule(schedule: &Schedule) -> Result<(), ApiError> {
    into_result(schedule_errors(schedule))
}

/// The errors of a rule, with field names under `prefix` (`""` for a rule on its own, `"rules[0]."` within a
/// policy): `name` not blank, at most 255 characters.
pub fn rule_errors(rule: &Rule, prefix: &str) -> Vec<FieldError> {
    name_errors(&format!("{prefix}name"), &rule.name)
}

/// Checks a rule on its own (see [`rule_errors`]).
pub fn validate_rule(rule: &Rule) -> Result<(), ApiError> {
    into_result(rule_errors(rule, ""))
}

/// The errors of a policy: `name`, `priority` 0–100, `backupRetryCount` at most [`MAX_RETRY_COUNT`], at least one
/// rule in `rules`, and each rule's own errors as `rules[i].name`.
pub fn policy_errors(policy: &Policy) -> Vec<FieldError> {
    let mut errors = Vec::new();
    check_name(&mut errors, "name", &policy.name);
    check_priority(&mut errors, "priority", i64::from(policy.priority));
    if policy.retry_count > MAX_RETRY_COUNT {
        errors.push(FieldError::new(
            "backupRetryCount",
            ValidationCode::OutOfRange,
            format!("Retry a failed backup at most {MAX_RETRY_COUNT} times."),
        ));
    }
    if policy.rules.is_empty() {
        errors.push(FieldError::new(
            "rules",
            ValidationCode::Empty,
            "Add at least one rule: a policy's rules say when and where its VMs are backed up.",
        ));
    }
    for (index, rule) in policy.rules.iter().enumerate() {
        errors.extend(rule_errors(rule, &format!("rules[{index}].")));
    }
    errors
}

/// Checks a policy (see [`policy_errors`]).
pub fn validate_policy(policy: &Policy) -> Result<(), ApiError> {
    into_result(policy_errors(policy))
}

/// The errors of a backup ("export") request, from plain values: at least one VM (`protectedEntities`), at
/// least one rule (`rules`; when there is none the VM's policy has no active rule, and the message says so),
/// `priority` 0–100, and `windowEnd` after `windowStart` when both are set.
pub fn export_errors(
    vm_count: usize,
    rule_count: usize,
    priority: i64,
    window_start_ms: Option<i64>,
    window_end_ms: Option<i64>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if vm_count == 0 {
        errors.push(FieldError::new("protectedEntities", ValidationCode::Empty, "Choose at least one VM to back up."));
    }
    if rule_count == 0 {
        errors.push(FieldError::new(
            "rules",
            ValidationCode::Empty,
            "This backup cannot start: the VM's backup policy has no active rule, and a backup follows a rule \
             (where to store it and how long to keep it). Activate a rule in the policy, or assign the VM to a \
             policy with an active rule.",
        ));
    }
    check_priority(&mut errors, "priority", priority);
    check_window(&mut errors, window_start_ms, window_end_ms);
    errors
}

/// Checks a backup request (see [`export_errors`]).
pub fn validate_export(
    vm_count: usize,
    rule_count: usize,
    priority: i64,
    window_start_ms: Option<i64>,
    window_end_ms: Option<i64>,
) -> Result<(), ApiError> {
    into_result(export_errors(vm_count, rule_count, priority, window_start_ms, window_end_ms))
}

fn check_name(errors: &mut Vec<FieldError>, field: &str, name: &str) {
    if name.trim().is_empty() {
        errors.push(FieldError::new(field, ValidationCode::Required, "Enter a name."));
    } else if name.chars().count() > MAX_NAME_CHARS {
        errors.push(FieldError::new(
            field,
            ValidationCode::TooLong,
            format!("The name is too long: at most {MAX_NAME_CHARS} characters."),
        ));
    }
}

fn check_priority(errors: &mut Vec<FieldError>, field: &str, priority: i64) {
    if !(0..=MAX_PRIORITY).contains(&priority) {
        errors.push(FieldError::new(
            field,
            ValidationCode::OutOfRange,
            format!("The priority must be between 0 and {MAX_PRIORITY}."),
        ));
    }
}

fn check_window(errors: &mut Vec<FieldError>, start_ms: Option<i64>, end_ms: Option<i64>) {
    if let (Some(start), Some(end)) = (start_ms, end_ms) {
        if end <= start {
            errors.push(FieldError::new(
                "windowEnd",
                ValidationCode::EndNotAfterStart,
                "The backup window must end after it starts.",
            ));
        }
    }
}

/// Pushes an error unless `ms` is a time of day; returns whether it is.
fn check_time_of_day(errors: &mut Vec<FieldError>, field: &str, ms: u32) -> bool {
    let ok = i64::from(ms) < MS_PER_DAY;
    if !ok {
        errors.push(FieldError::new(
            field,
            ValidationCode::NotTimeOfDay,
            "The time must lie within a day (00:00–23:59).",
        ));
    }
    ok
}
