//! The schedule shapes the pure helpers take and give ([`crate::helpers`]): a schedule in local wall time, Storware's
//! UTC fields for one schedule, and what decides when a schedule runs.

use serde::{Deserialize, Serialize};
use vmbackup_core::domain::{BackupType, Month, Occurrence, Schedule, ScheduleTiming, ScheduleType, Weekday};
use vmbackup_core::json::Value;
use vmbackup_core::schedule::civil::TimeOfDay;
use vmbackup_core::typescript::tsify::{self, Tsify};

use crate::error::VmbackupError;
use crate::json::{At, Fields, FromJson};

/// A schedule's timing as its user enters it: wall-clock times in their zone and their local weekdays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum LocalSchedule {
    /// Once a day at `time` (milliseconds after local midnight).
    #[serde(rename_all = "camelCase")]
    Time {
        time: TimeOfDay,
        days_of_week: Vec<Weekday>,
        /// How long after `time` the task may still start; left out, the server's default applies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start_window_ms: Option<u64>,
    },
    /// Every `frequencyMs` from `start` to `end` (milliseconds after local midnight).
    #[serde(rename_all = "camelCase")]
    Interval { start: TimeOfDay, end: TimeOfDay, frequency_ms: u64, days_of_week: Vec<Weekday> },
}

impl FromJson for LocalSchedule {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        match f.tag("kind")?.as_str() {
            "time" => Ok(LocalSchedule::Time {
                time: f.get("time")?,
                days_of_week: f.get("daysOfWeek")?,
                start_window_ms: f.get("startWindowMs")?,
            }),
            "interval" => Ok(LocalSchedule::Interval {
                start: f.get("start")?,
                end: f.get("end")?,
                frequency_ms: f.get("frequencyMs")?,
                days_of_week: f.get("daysOfWeek")?,
            }),
            other => Err(f.unknown_tag("kind", other, &["time", "interval"])),
        }
    }
}

/// Storware's fields for one schedule: its `timing` and UTC `daysOfWeek`, ready to put into a [`Schedule`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ServerTiming {
    pub timing: ScheduleTiming,
    pub days_of_week: Vec<Weekday>,
}

impl FromJson for ServerTiming {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        Ok(ServerTiming { timing: f.get("timing")?, days_of_week: f.get("daysOfWeek")? })
    }
}

/// What decides when a schedule runs: a whole [`Schedule`] fits, and so does a form's draft with only these.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleRules {
    /// An inactive schedule never runs; left out, the schedule counts as active.
    #[serde(default = "active_by_default")]
    pub active: bool,
    pub timing: ScheduleTiming,
    pub days_of_week: Vec<Weekday>,
    /// Empty or left out: every month.
    #[serde(default)]
    pub months: Vec<Month>,
    /// Empty or left out: every occurrence of the weekdays in their month.
    #[serde(default)]
    pub occurrences: Vec<Occurrence>,
}

fn active_by_default() -> bool {
    true
}

impl FromJson for ScheduleRules {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        Ok(ScheduleRules {
            active: f.or("active", active_by_default())?,
            timing: f.get("timing")?,
            days_of_week: f.get("daysOfWeek")?,
            months: f.or("months", Vec::new())?,
            occurrences: f.or("occurrences", Vec::new())?,
        })
    }
}

impl ScheduleRules {
    /// A schedule with these rules (the other fields play no part in when it runs).
    pub fn into_schedule(self) -> Schedule {
        Schedule {
            id: None,
            name: String::new(),
            active: self.active,
            kind: ScheduleType::VmBackup,
            backup_type: BackupType::Full,
            timing: self.timing,
            days_of_week: self.days_of_week,
            months: self.months,
            occurrences: self.occurrences,
            rules: Vec::new(),
            policies: Vec::new(),
            server_fields: Default::default(),
        }
    }
}
