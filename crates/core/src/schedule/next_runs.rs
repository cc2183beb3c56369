//! The next runs of a schedule, in UTC and as a wall clock in some zone shows them, and where daylight-saving
//! changes move a schedule's local run time.
//!
//! Storware's rule (storware-api.md §6): a `TIME` schedule runs at every instant `t` with
//! `t mod 24 h == hour` whose **UTC** weekday is in `daysOfWeek`, whose UTC month is in `months` (empty = every
//! month) and whose position among the same weekdays of that UTC month is in `dayOfWeekOccurrences` (empty = every
//! one; `LAST_IN_MONTH` = no later such weekday in the month). An `INTERVAL` schedule runs every `frequency` from
//! `startHour` through `endHour` (inclusive when a run lands on it) on such days. An inactive schedule never runs.
//!
//! "Next runs after `now`" are **inclusive**: a run exactly at `now` is listed, as in the simulator's rule
//! ("first instant `t` ≥ now"), so a form asking at a run's very millisecond still shows that run.
//!
//! ```
//! use vmbackup_core::domain::*;
//! use vmbackup_core::schedule::next_runs::next_runs;
//!
//! let schedule = Schedule {
//!     id: None, name: "nightly".into(), active: true, kind: ScheduleType::VmBackup,
//!     backup_type: BackupType::Full,
//!     timing: ScheduleTiming::Time { time_of_day_ms: 1_800_000, start_window_ms: Some(21_600_000) },
//!     days_of_week: vec![Weekday::Monday], months: vec![], occurrences: vec![], rules: vec![], policies: vec![],
//!     server_fields: Default::default(),
//! };
//! // 2026-03-25 (a Wednesday) 00:00 UTC → Mondays 30 March and 6 April at 00:30 UTC.
//! let runs = next_runs(&schedule, 1_774_396_800_000, 2);
//! assert_eq!(runs, vec![1_774_830_600_000, 1_775_435_400_000]);
//! ```

#[cfg(feature = "typescript")]
use crate::typescript::tsify::{self, Tsify};
use serde::{Deserialize, Serialize};

use super::civil::{weekday_from_days, CivilDate, MAX_INSTANT_MS, MIN_INSTANT_MS, MS_PER_DAY};
use super::convert::{instant_to_local, LocalDateTime};
use super::zone::{offset_at, ZoneError, ZoneOffsets};
use crate::domain::{Month, Occurrence, Schedule, ScheduleTiming, Weekday};

/// How far ahead runs are looked for: five years (of 366 days). A schedule restricted to one weekday of one
/// month still fires five times in that span; one that never fires costs at most this many days of work.
pub const LOOKAHEAD_DAYS: i64 = 5 * 366;

/// The most runs [`next_runs`] returns, whatever `limit` asks (an interval every second would otherwise make
/// millions).
pub const MAX_RUNS: usize = 10_000;

/// How far ahead [`next_drift`] looks for an offset change: a year and a month, so that both changes of any
/// zone's daylight-saving year are seen.
pub const DRIFT_LOOKAHEAD_DAYS: i64 = 400;

/// The runs of one UTC day at or after some instant: `count` runs from `first_ms`, `step_ms` apart.
#[derive(Debug, Clone, Copy)]
struct DayRuns {
    first_ms: i64,
    step_ms: i64,
    count: i64,
}

impl DayRuns {
    fn nth(self, index: i64) -> i64 {
        self.first_ms + index * self.step_ms
    }

    fn last(self) -> i64 {
        self.nth(self.count - 1)
    }
}

/// The runs of `timing` on UTC day `day` (from 1970-01-01) at or after `now_ms`; `None` when there are none.
///
/// A `TIME` of a day or more never fires (no instant has it as its time of day). An interval with frequency 0,
/// a start after its end or a start of a day or more never fires; an end beyond the day is cut at 23:59:59.999.
fn runs_on_day(timing: &ScheduleTiming, day: i64, now_ms: i64) -> Option<DayRuns> {
    let day_start = day.checked_mul(MS_PER_DAY)?;
    match *timing {
        ScheduleTiming::Time { time_of_day_ms, .. } => {
            let time = i64::from(time_of_day_ms);
            let run = day_start + time;
            (time < MS_PER_DAY && run >= now_ms).then_some(DayRuns { first_ms: run, step_ms: 0, count: 1 })
        }
        ScheduleTiming::Interval { start_ms, end_ms, frequency_ms } => {
            let (start, end) = (i64::from(start_ms), i64::from(end_ms).min(MS_PER_DAY - 1));
            if frequency_ms == 0 || start > end {
                return None;
            }
            // Steps of a day or more leave one run per window; clamping keeps the arithmetic in i64.
            let step = i64::try_from(frequency_ms).unwrap_or(MS_PER_DAY).min(MS_PER_DAY);
            let total = (end - start) / step + 1;
            let window_start = day_start + start;
            let skipped = if window_start >= now_ms { 0 } else { (now_ms - window_start + step - 1) / step };
            (skipped < total).then_some(DayRuns {
                first_ms: window_start + skipped * step,
                step_ms: step,
                count: total - skipped,
            })
        }
    }
}

/// Whether UTC day `day` is one the schedule fires on.
fn day_matches(days: &[Weekday], months: &[Month], occurrences: &[Occurrence], day: i64) -> bool {
    if !days.contains(&weekday_from_days(day)) {
        return false;
    }
    if months.is_empty() && occurrences.is_empty() {
        return true;
    }
    let Some(date) = CivilDate::from_days(day) else { return false };
    (months.is_empty() || date.month_of_year().is_some_and(|m| months.contains(&m)))
        && date.occurrence().matches_any(occurrences)
}

/// The run days from the UTC day of `now_ms` on, for `lookahead_days` days (none for an instant outside the
/// supported range).
fn run_days<'a>(
    timing: &'a ScheduleTiming,
    days: &'a [Weekday],
    months: &'a [Month],
    occurrences: &'a [Occurrence],
    now_ms: i64,
    lookahead_days: i64,
) -> impl Iterator<Item = DayRuns> + 'a {
    let range = if (MIN_INSTANT_MS..=MAX_INSTANT_MS).contains(&now_ms) {
        let first = now_ms.div_euclid(MS_PER_DAY);
        first..=(first + lookahead_days).min(MAX_INSTANT_MS / MS_PER_DAY - 1)
    } else {
        #[allow(clippy::reversed_empty_ranges)] // deliberately empty
        {
            1..=0
        }
    };
    range
        .filter(move |day| day_matches(days, months, occurrences, *day))
        .filter_map(move |day| runs_on_day(timing, day, now_ms))
}

fn schedule_run_days(schedule: &Schedule, now_ms: i64, lookahead_days: i64) -> impl Iterator<Item = DayRuns> + '_ {
    let lookahead = if schedule.active { lookahead_days } else { -1 };
    run_days(&schedule.timing, &schedule.days_of_week, &schedule.months, &schedule.occurrences, now_ms, lookahead)
}

/// The first run of `timing` on `days` (no month or occurrence restriction) within a week from `now_ms`.
pub(crate) fn first_run_within_week(timing: &ScheduleTiming, days: &[Weekday], now_ms: i64) -> Option<i64> {
    run_days(timing, days, &[], &[], now_ms, 7).next().map(|runs| runs.first_ms)
}

/// The next up to `limit` runs (at most [`MAX_RUNS`]) at or after `now_ms`, epoch milliseconds, strictly
/// increasing. Fewer when the schedule is inactive, never fires (no weekday, a combination of months and
/// occurrences that does not occur, an invalid time) or fires rarely within [`LOOKAHEAD_DAYS`].
pub fn next_runs(schedule: &Schedule, now_ms: i64, limit: usize) -> Vec<i64> {
    let limit = limit.min(MAX_RUNS);
    let mut runs = Vec::with_capacity(limit.min(64));
    for day in schedule_run_days(schedule, now_ms, LOOKAHEAD_DAYS) {
        for index in 0..day.count {
            if runs.len() >= limit {
                return runs;
            }
            runs.push(day.nth(index));
        }
    }
    runs
}

/// The next run at or after `now_ms`, if there is one within [`LOOKAHEAD_DAYS`].
pub fn next_run(schedule: &Schedule, now_ms: i64) -> Option<i64> {
    schedule_run_days(schedule, now_ms, LOOKAHEAD_DAYS).next().map(|day| day.first_ms)
}

/// [`next_runs`] as the wall clock in `zone` shows them (local date, weekday, time and offset of each run), so a
/// form can list "Mon 30 Mar 02:30 (UTC+02:00)".
pub fn next_runs_in_zone<Z: ZoneOffsets + ?Sized>(
    schedule: &Schedule,
    zones: &Z,
    zone: &str,
    now_ms: i64,
    limit: usize,
) -> Result<Vec<LocalDateTime>, ZoneError> {
    next_runs(schedule, now_ms, limit).into_iter().map(|run| instant_to_local(zones, zone, run)).collect()
}

/// Where a schedule's local run time moves: the last run at the local time of the next run, and the first run
/// after the zone's offset changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Drift {
    /// The last run still at the offset of the next run.
    pub last_before: LocalDateTime,
    /// The first run at another offset: from here on the runs come at another local time.
    pub first_after: LocalDateTime,
}

impl Drift {
    /// How far the local run time moves, in seconds (3600: an hour later on the wall clock).
    pub fn shift_seconds(&self) -> i32 {
        self.first_after.offset_seconds - self.last_before.offset_seconds
    }
}

/// Whether the schedule's runs keep their local time in `zone`: `None` if every run within
/// [`DRIFT_LOOKAHEAD_DAYS`] from `now_ms` comes at the same offset as the next run (zones without daylight saving,
/// UTC, a schedule that does not run), else the pair of runs where the offset — and with it the local run time —
/// changes.
///
/// Storware keeps a UTC time, so a schedule saved for 01:30 in a Warsaw winter runs at 02:30 from the last Sunday
/// of March on. A form can warn "from 30 Mar this schedule runs at 02:30 instead of 01:30" and offer to re-save:
/// converting the intended local time again with `OffsetReference::at(drift.first_after.instant_ms)` gives the
/// values for after the change.
pub fn next_drift<Z: ZoneOffsets + ?Sized>(
    schedule: &Schedule,
    zones: &Z,
    zone: &str,
    now_ms: i64,
) -> Result<Option<Drift>, ZoneError> {
    let mut base_offset = None;
    let mut previous_run: Option<i64> = None;
    for day in schedule_run_days(schedule, now_ms, DRIFT_LOOKAHEAD_DAYS) {
        let first_offset = offset_at(zones, zone, day.first_ms)?;
        let base = *base_offset.get_or_insert(first_offset);
        if first_offset != base {
            if let Some(before) = previous_run {
                return drift(zones, zone, before, day.first_ms).map(Some);
            }
        }
        let last = day.last();
        if day.count > 1 && offset_at(zones, zone, last)? != base {
            // The change falls within this day's runs: find the first run past it.
            let (mut same, mut changed) = (0, day.count - 1);
            while changed - same > 1 {
                let middle = same + (changed - same) / 2;
                if offset_at(zones, zone, day.nth(middle))? == base {
                    same = middle;
                } else {
                    changed = middle;
                }
            }
            return drift(zones, zone, day.nth(same), day.nth(changed)).map(Some);
        }
        previous_run = Some(last);
    }
    Ok(None)
}

fn drift<Z: ZoneOffsets + ?Sized>(zones: &Z, zone: &str, before: i64, after: i64) -> Result<Drift, ZoneError> {
    Ok(Drift {
        last_before: instant_to_local(zones, zone, before)?,
        first_after: instant_to_local(zones, zone, after)?,
    })
}
