use crate::json::Map;
#[cfg(feature = "typescript")]
use crate::typescript::tsify::{self, Tsify};
use serde::{Deserialize, Serialize};

use super::{BackupType, Ref};
use crate::{closed_enum, open_enum};

closed_enum! {
    /// A day of the week.
    pub enum Weekday {
        Monday = "MONDAY",
        Tuesday = "TUESDAY",
        Wednesday = "WEDNESDAY",
        Thursday = "THURSDAY",
        Friday = "FRIDAY",
        Saturday = "SATURDAY",
        Sunday = "SUNDAY",
    }
}

impl Weekday {
    /// 0 = Monday … 6 = Sunday.
    pub fn index(self) -> u8 {
        self as u8
    }

    /// The weekday for 0 = Monday … 6 = Sunday (wrapping).
    pub fn from_index(index: i64) -> Self {
        Self::ALL[index.rem_euclid(7) as usize]
    }

    /// The next (`days` = 1) or previous (`days` = -1) weekday.
    pub fn shifted(self, days: i64) -> Self {
        Self::from_index(self.index() as i64 + days)
    }
}

closed_enum! {
    /// A month of the year.
    pub enum Month {
        January = "JANUARY",
        February = "FEBRUARY",
        March = "MARCH",
        April = "APRIL",
        May = "MAY",
        June = "JUNE",
        July = "JULY",
        August = "AUGUST",
        September = "SEPTEMBER",
        October = "OCTOBER",
        November = "NOVEMBER",
        December = "DECEMBER",
    }
}

impl Month {
    /// 1 = January … 12 = December.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }
}

closed_enum! {
    /// Which occurrence of a weekday within its month.
    pub enum Occurrence {
        First = "FIRST_IN_MONTH",
        Second = "SECOND_IN_MONTH",
        Third = "THIRD_IN_MONTH",
        Fourth = "FOURTH_IN_MONTH",
        Last = "LAST_IN_MONTH",
    }
}

open_enum! {
    /// What a schedule triggers.
    pub enum ScheduleType {
        VmBackup = "VM_BACKUP",
        VmSnapshot = "VM_SNAPSHOT",
        AppBackup = "APP_BACKUP",
        Snapshot = "SNAPSHOT",
    }
}

/// When a schedule fires within a day. All times of day are milliseconds after 00:00 **UTC**, as the server
/// stores them; `crate::schedule` converts from and to a local wall-clock time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ScheduleTiming {
    /// Once a day at `time_of_day_ms`; the task must start within `start_window_ms`.
    #[serde(rename_all = "camelCase")]
    Time { time_of_day_ms: u32, start_window_ms: Option<u64> },
    /// Every `frequency_ms` from `start_ms` to `end_ms`.
    #[serde(rename_all = "camelCase")]
    Interval { start_ms: u32, end_ms: u32, frequency_ms: u64 },
}

/// A backup schedule. Days, months and occurrences restrict when it fires; empty months or occurrences mean
/// "no restriction". Days are UTC days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Schedule {
    /// `None` before it is created.
    pub id: Option<String>,
    pub name: String,
    pub active: bool,
    pub kind: ScheduleType,
    pub backup_type: BackupType,
    pub timing: ScheduleTiming,
    pub days_of_week: Vec<Weekday>,
    pub months: Vec<Month>,
    pub occurrences: Vec<Occurrence>,
    /// Policy rules that use this schedule (how a schedule is attached to a policy).
    pub rules: Vec<Ref>,
    /// Policies it belongs to, when the server lists them.
    pub policies: Vec<Ref>,
    /// Server fields this version does not model (project scoping, tenant ids, …), kept as read and sent back
    /// unchanged when the schedule is saved. Empty for schedules made here.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[cfg_attr(feature = "typescript", tsify(type = "Record<string, unknown>"))]
    pub server_fields: Map,
}
