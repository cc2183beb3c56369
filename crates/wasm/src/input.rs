//! [`FromJson`] for the core's types that JavaScript passes in (policies, rules, schedules, their enums, dates and
//! times): each reads exactly the serde shape the type serialises to and declares in the `.d.ts`. Unknown fields
//! are ignored, as the derived `Deserialize` ignores them; the option types of this package refuse them.

use vmbackup_core::domain::{
    AutoAssignMode, BackupStatus, BackupType, DestinationRole, LocationStatus, Month, Occurrence, Policy, Ref,
    Retention, Rule, RuleDestination, Schedule, ScheduleTiming, ScheduleType, TaskState, TaskType, Weekday,
};
use vmbackup_core::json::Value;
use vmbackup_core::schedule::civil::{CivilDate, TimeOfDay};
use vmbackup_core::schedule::OffsetReference;

use crate::error::VmbackupError;
use crate::json::{enum_name, unknown_name, At, Fields, FromJson};

/// Open enums: any name reads (unknown ones as `Other`).
macro_rules! open_enums {
    ($($ty:ty),+) => {$(
        impl FromJson for $ty {
            fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
                enum_name(value, at).map(<$ty>::from_name)
            }
        }
    )+};
}

open_enums!(
    AutoAssignMode,
    BackupStatus,
    BackupType,
    DestinationRole,
    LocationStatus,
    ScheduleType,
    TaskState,
    TaskType
);

/// Closed enums: an unknown name is an error listing the known ones.
macro_rules! closed_enums {
    ($($ty:ty),+) => {$(
        impl FromJson for $ty {
            fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
                let name = enum_name(value, at)?;
                <$ty>::from_name(name).ok_or_else(|| {
                    let known: Vec<&str> = <$ty>::ALL.iter().map(|v| v.as_str()).collect();
                    unknown_name(name, at, &known)
                })
            }
        }
    )+};
}

closed_enums!(Weekday, Month, Occurrence);

impl FromJson for Ref {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        Ok(Ref { id: f.get("id")?, name: f.get("name")? })
    }
}

impl FromJson for Retention {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        Ok(Retention {
            keep_last_full: f.get("keepLastFull")?,
            keep_full_newer_than_ms: f.get("keepFullNewerThanMs")?,
            keep_last_incremental: f.get("keepLastIncremental")?,
            keep_incremental_newer_than_ms: f.get("keepIncrementalNewerThanMs")?,
            keep_last_when_source_exists: f.get("keepLastWhenSourceExists")?,
        })
    }
}

impl FromJson for RuleDestination {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        Ok(RuleDestination {
            id: f.get("id")?,
            destination: f.get("destination")?,
            role: f.get("role")?,
            active: f.get("active")?,
            retention_lock_days: f.get("retentionLockDays")?,
            retention: f.get("retention")?,
        })
    }
}

impl FromJson for Rule {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        Ok(Rule {
            id: f.get("id")?,
            name: f.get("name")?,
            active: f.get("active")?,
            position: f.get("position")?,
            policy: f.get("policy")?,
            schedules: f.get("schedules")?,
            destinations: f.get("destinations")?,
            server_fields: f.or("serverFields", Default::default())?,
        })
    }
}

impl FromJson for Policy {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        Ok(Policy {
            id: f.get("id")?,
            name: f.get("name")?,
            active: f.get("active")?,
            priority: f.get("priority")?,
            retry_count: f.get("retryCount")?,
            auto_remove_non_present: f.get("autoRemoveNonPresent")?,
            auto_assign: f.get("autoAssign")?,
            vms: f.get("vms")?,
            rules: f.get("rules")?,
            projects: f.get("projects")?,
            visible_for_all_projects: f.get("visibleForAllProjects")?,
            vm_count: f.get("vmCount")?,
            server_fields: f.or("serverFields", Default::default())?,
        })
    }
}

impl FromJson for ScheduleTiming {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        match f.tag("kind")?.as_str() {
            "time" => Ok(ScheduleTiming::Time {
                time_of_day_ms: f.get("timeOfDayMs")?,
                start_window_ms: f.get("startWindowMs")?,
            }),
            "interval" => Ok(ScheduleTiming::Interval {
                start_ms: f.get("startMs")?,
                end_ms: f.get("endMs")?,
                frequency_ms: f.get("frequencyMs")?,
            }),
            other => Err(f.unknown_tag("kind", other, &["time", "interval"])),
        }
    }
}

impl FromJson for Schedule {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        Ok(Schedule {
            id: f.get("id")?,
            name: f.get("name")?,
            active: f.get("active")?,
            kind: f.get("kind")?,
            backup_type: f.get("backupType")?,
            timing: f.get("timing")?,
            days_of_week: f.get("daysOfWeek")?,
            months: f.get("months")?,
            occurrences: f.get("occurrences")?,
            rules: f.get("rules")?,
            policies: f.get("policies")?,
            server_fields: f.or("serverFields", Default::default())?,
        })
    }
}

impl FromJson for TimeOfDay {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        TimeOfDay::try_from(u32::from_json(value, at)?).map_err(|message| at.error(&message))
    }
}

impl FromJson for CivilDate {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        Ok(CivilDate { year: f.get("year")?, month: f.get("month")?, day: f.get("day")? })
    }
}

impl FromJson for OffsetReference {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        match f.tag("kind")?.as_str() {
            "at" => Ok(OffsetReference::At { instant_ms: f.get("instantMs")? }),
            "nextRun" => Ok(OffsetReference::NextRun { now_ms: f.get("nowMs")? }),
            other => Err(f.unknown_tag("kind", other, &["at", "nextRun"])),
        }
    }
}

/// The hand-written readers against the derived `Deserialize` impls: for a valid value of each type and for
/// every variation of it made by leaving out, nulling or mistyping one field (at any depth), both accept with
/// the same result or both refuse (except that the readers refuse a struct written as an array).
#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use serde::de::DeserializeOwned;
    use serde_json::{json, Map, Value};
    use vmbackup_core::domain::*;
    use vmbackup_core::schedule::civil::{CivilDate, TimeOfDay};
    use vmbackup_core::schedule::OffsetReference;

    use crate::error::VmbackupError;
    use crate::json::{At, FromJson};
    use crate::options::*;
    #[cfg(feature = "admin")]
    use crate::shapes::{LocalSchedule, ScheduleRules, ServerTiming};

    /// Values a field is set to in the variations.
    fn odd_values() -> Vec<Value> {
        vec![
            Value::Null,
            json!(true),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(4_294_967_296_u64),
            json!(86_400_000),
            json!("x"),
            json!("FULL"),
            json!("MONDAY"),
            json!("time"),
            json!([]),
            json!(["x"]),
            json!({}),
            json!({ "name": "MONDAY" }),
            json!({ "id": "i" }),
        ]
    }

    /// `value` and every variation of it with one field (at any depth) left out or replaced by an odd value, and
    /// one unknown field added at the top.
    fn variations(value: &Value) -> Vec<Value> {
        let mut out = vec![value.clone()];
        match value {
            Value::Object(map) => {
                let mut extra = map.clone();
                extra.insert("zzUnknown".into(), json!(1));
                out.push(Value::Object(extra));
                for (key, field) in map {
                    let mut without = map.clone();
                    without.remove(key);
                    out.push(Value::Object(without));
                    for replacement in odd_values().into_iter().chain(variations(field).into_iter().skip(1)) {
                        let mut changed: Map<String, Value> = map.clone();
                        changed.insert(key.clone(), replacement);
                        out.push(Value::Object(changed));
                    }
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for replacement in odd_values().into_iter().chain(variations(&items[0]).into_iter().skip(1)) {
                    let mut changed = items.clone();
                    changed[0] = replacement;
                    out.push(Value::Array(changed));
                }
            }
            _ => {}
        }
        out
    }

    /// `value` as JavaScript hands it over: JSON text, read by the core's reader.
    #[track_caller]
    fn as_passed(value: &Value) -> vmbackup_core::json::Value {
        match vmbackup_core::json::from_slice(value.to_string().as_bytes()) {
            Ok(read) => read,
            Err(error) => panic!("{value}: {error}"),
        }
    }

    #[track_caller]
    fn same_as_serde<T: FromJson + DeserializeOwned + PartialEq + Debug>(valid: Value) {
        let valid_reading = T::from_json(&as_passed(&valid), &At::root("arg"));
        assert!(valid_reading.is_ok(), "{valid}: {valid_reading:?}");
        let cases = variations(&valid);
        for value in &cases {
            let serde = serde_json::from_value::<T>(value.clone());
            let ours = T::from_json(&as_passed(value), &At::root("arg"));
            match (serde, ours) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{value}"),
                (Err(_), Err(_)) => {}
                // serde reads a struct from an array positionally (`["x"]` as `{"id": "x"}`); the readers refuse
                // that on purpose.
                (Ok(_), Err(VmbackupError::Usage { message, .. }))
                    if message.ends_with("expected an object, found array") => {}
                (a, b) => panic!("{value}\nserde: {a:?}\nours: {b:?}"),
            }
        }
    }

    fn to_value<T: serde::Serialize>(value: &T) -> Value {
        serde_json::to_value(value).unwrap_or(Value::Null)
    }

    fn sample_rule() -> Rule {
        Rule {
            id: Some("r-1".into()),
            name: "daily".into(),
            active: true,
            position: Some(0),
            policy: Some(Ref::named("p-1", "gold")),
            schedules: vec![Ref::id("s-1")],
            destinations: vec![RuleDestination {
                id: Some("d-1".into()),
                destination: Ref::named("dest-1", "nfs"),
                role: DestinationRole::Primary,
                active: true,
                retention_lock_days: 3,
                retention: Retention {
                    keep_last_full: Some(4),
                    keep_full_newer_than_ms: Some(2_592_000_000),
                    keep_last_incremental: None,
                    keep_incremental_newer_than_ms: Some(1),
                    keep_last_when_source_exists: true,
                },
            }],
            server_fields: serde_json::from_value(json!({ "foo": [1, { "bar": null }] })).unwrap_or_default(),
        }
    }

    fn sample_schedule(timing: ScheduleTiming) -> Schedule {
        Schedule {
            id: None,
            name: "nightly".into(),
            active: false,
            kind: ScheduleType::Other("CUSTOM".into()),
            backup_type: BackupType::Incremental,
            timing,
            days_of_week: vec![Weekday::Monday, Weekday::Sunday],
            months: vec![Month::March],
            occurrences: vec![Occurrence::Last],
            rules: vec![Ref::named("r-1", "daily")],
            policies: vec![],
            server_fields: Default::default(),
        }
    }

    #[test]
    fn domain_types_read_as_serde_reads_them() {
        same_as_serde::<Rule>(to_value(&sample_rule()));
        let policy = Policy {
            id: None,
            name: "gold".into(),
            active: true,
            priority: 50,
            retry_count: 2,
            auto_remove_non_present: false,
            auto_assign: AutoAssignMode::AssignOnly,
            vms: vec![Ref::id("vm-1")],
            rules: vec![sample_rule()],
            projects: vec![],
            visible_for_all_projects: true,
            vm_count: Some(7),
            server_fields: Default::default(),
        };
        same_as_serde::<Policy>(to_value(&policy));
        let time = ScheduleTiming::Time { time_of_day_ms: 3_600_000, start_window_ms: Some(60_000) };
        let interval = ScheduleTiming::Interval { start_ms: 0, end_ms: 86_400_000, frequency_ms: 7_200_000 };
        same_as_serde::<Schedule>(to_value(&sample_schedule(time)));
        same_as_serde::<Schedule>(to_value(&sample_schedule(interval)));
        same_as_serde::<Ref>(json!({ "id": "a", "name": "b" }));
        same_as_serde::<CivilDate>(json!({ "year": 2026, "month": 3, "day": 29 }));
        same_as_serde::<TimeOfDay>(json!(5_400_000));
        same_as_serde::<OffsetReference>(json!({ "kind": "at", "instantMs": -5 }));
        same_as_serde::<OffsetReference>(json!({ "kind": "nextRun", "nowMs": 1_700_000_000_000_i64 }));
        same_as_serde::<Option<OffsetReference>>(Value::Null);
        same_as_serde::<Vec<Weekday>>(json!(["MONDAY", { "name": "FRIDAY", "description": "Friday" }]));
        same_as_serde::<Vec<TaskState>>(json!(["RUNNING", "SOMETHING_NEW"]));
    }

    #[cfg(feature = "admin")]
    #[test]
    fn helper_shapes_read_as_serde_reads_them() {
        same_as_serde::<LocalSchedule>(json!({ "kind": "time", "time": 0, "daysOfWeek": ["MONDAY"] }));
        same_as_serde::<LocalSchedule>(
            json!({ "kind": "time", "time": 60_000, "daysOfWeek": [], "startWindowMs": 3_600_000 }),
        );
        same_as_serde::<LocalSchedule>(
            json!({ "kind": "interval", "start": 0, "end": 3_600_000, "frequencyMs": 900_000, "daysOfWeek": ["TUESDAY"] }),
        );
        same_as_serde::<ServerTiming>(
            json!({ "timing": { "kind": "time", "timeOfDayMs": 0, "startWindowMs": null }, "daysOfWeek": ["MONDAY"] }),
        );
        same_as_serde::<ScheduleRules>(
            json!({ "timing": { "kind": "interval", "startMs": 0, "endMs": 10, "frequencyMs": 5 }, "daysOfWeek": [] }),
        );
        let time = ScheduleTiming::Time { time_of_day_ms: 0, start_window_ms: None };
        same_as_serde::<ScheduleRules>(to_value(&sample_schedule(time)));
    }

    #[test]
    fn options_read_as_serde_reads_them() {
        let paging = json!({ "page": 1, "size": 20, "sortBy": "name", "direction": "DESC" });
        let with = |extra: Value| {
            let mut object = paging.as_object().cloned().unwrap_or_default();
            object.extend(extra.as_object().cloned().unwrap_or_default());
            Value::Object(object)
        };
        same_as_serde::<ListVmsOptions>(with(json!({ "name": "web", "project": "p", "platformId": "u" })));
        same_as_serde::<ListBackupsOptions>(with(json!({
            "statuses": ["SUCCESS", { "name": "FAILED" }], "backupType": "FULL", "from": 0, "to": 1_700_000_000_000_i64,
            "onlyMountable": true
        })));
        same_as_serde::<ListTasksOptions>(with(json!({
            "vm": "v", "states": ["RUNNING"], "type": "EXPORT", "workflow": "w", "backup": "b"
        })));
        same_as_serde::<ListPoliciesOptions>(with(json!({
            "extended": true, "name": "n", "filter": "f", "vm": "v", "project": "p"
        })));
        same_as_serde::<ListSchedulesOptions>(with(json!({ "type": "VM_BACKUP", "vm": "v", "project": "p" })));
        same_as_serde::<ListHypervisorManagersOptions>(with(json!({ "forRestoreOf": "b" })));
        same_as_serde::<ListHypervisorsOptions>(paging.clone());
        same_as_serde::<ListClustersOptions>(paging.clone());
        same_as_serde::<ListBackupDestinationsOptions>(paging.clone());
        same_as_serde::<ListBackupLocationsOptions>(json!({ "status": "PRESENT" }));
        same_as_serde::<Option<ListVmsOptions>>(Value::Null);
        same_as_serde::<BackupRequest>(json!({
            "vms": ["v"], "rules": ["r"], "backupType": "FULL", "priority": 60, "retryCount": 1,
            "windowEnd": 1_700_000_000_000_i64, "asynchronous": true, "windowStart": 1_600_000_000_000_i64
        }));
        same_as_serde::<RestoreRequest>(json!({
            "locationId": "l", "backupId": "b", "hypervisorManager": "m", "hypervisor": null, "clusterUuid": "c",
            "storageUuid": "s", "newName": "n", "project": "p", "overwrite": false
        }));
    }
}
