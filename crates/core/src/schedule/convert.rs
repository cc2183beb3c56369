//! Local wall-clock time ⇄ instants, and a user's local schedule ⇄ Storware's UTC `hour` + `daysOfWeek`.
//!
//! Storware stores a schedule's time of day as milliseconds after 00:00 **UTC** and its weekdays as UTC days,
//! with no time zone (storware-api.md §6). Converting therefore needs one offset, and the choice of instant
//! whose offset is used decides which half of the year the schedule is right for: see [`OffsetReference`].
//!
//! ```
//! use vmbackup_core::domain::Weekday::*;
//! use vmbackup_core::schedule::civil::TimeOfDay;
//! use vmbackup_core::schedule::convert::{time_to_storware, LocalTimeSchedule};
//!
//! // Every weekday at 01:30 in Warsaw, saved while Warsaw is on CET (UTC+1) and on CEST (UTC+2):
//! let local = LocalTimeSchedule {
//!     time: TimeOfDay::from_hm(1, 30).unwrap(),
//!     days_of_week: vec![Monday, Tuesday, Wednesday, Thursday, Friday],
//! };
//! let winter = time_to_storware(&local, 3600);
//! assert_eq!((winter.time_of_day_ms, winter.days_of_week.clone()), (1_800_000, local.days_of_week.clone()));
//! let summer = time_to_storware(&local, 7200);
//! assert_eq!(summer.time_of_day_ms, 84_600_000); // 23:30 UTC the day before
//! assert_eq!(summer.days_of_week, vec![Monday, Tuesday, Wednesday, Thursday, Sunday]);
//! ```

#[cfg(feature = "typescript")]
use crate::typescript::tsify::{self, Tsify};
use serde::{Deserialize, Serialize};

use super::civil::{split_instant, CivilDate, TimeOfDay, MAX_INSTANT_MS, MIN_INSTANT_MS, MS_PER_DAY};
use super::next_runs::first_run_within_week;
use super::zone::{offset_at, ZoneError, ZoneOffsets};
use crate::domain::{Schedule, ScheduleTiming, Weekday};

/// A moment as a wall clock in some zone shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct LocalDateTime {
    /// The instant, epoch milliseconds.
    pub instant_ms: i64,
    /// The local date.
    pub date: CivilDate,
    /// The local weekday.
    pub weekday: Weekday,
    /// The local time of day.
    pub time: TimeOfDay,
    /// The zone's offset east of UTC at that instant, in seconds.
    pub offset_seconds: i32,
}

impl LocalDateTime {
    /// The offset as `+01:00` / `-04:00` / `+05:45` (`+00:00` for UTC).
    pub fn offset_text(&self) -> String {
        format_offset(self.offset_seconds)
    }
}

/// An offset in seconds as `±HH:MM` (with `:SS` when it has seconds, as old local mean times do).
pub fn format_offset(offset_seconds: i32) -> String {
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let abs = offset_seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    }
}

/// What the wall clock in `zone` shows at `instant_ms`.
pub fn instant_to_local<Z: ZoneOffsets + ?Sized>(
    zones: &Z,
    zone: &str,
    instant_ms: i64,
) -> Result<LocalDateTime, ZoneError> {
    if !(MIN_INSTANT_MS..=MAX_INSTANT_MS).contains(&instant_ms) {
        return Err(ZoneError::InstantOutOfRange(instant_ms));
    }
    let offset_seconds = offset_at(zones, zone, instant_ms)?;
    let (days, ms_of_day) = split_instant(instant_ms + i64::from(offset_seconds) * 1000);
    let date = CivilDate::from_days(days).ok_or(ZoneError::InstantOutOfRange(instant_ms))?;
    Ok(LocalDateTime {
        instant_ms,
        date,
        weekday: date.weekday(),
        time: TimeOfDay::from_ms_wrapping(i64::from(ms_of_day)),
        offset_seconds,
    })
}

/// How a local wall-clock reading maps to instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum LocalInstant {
    /// The reading happens once.
    #[serde(rename_all = "camelCase")]
    Unique { instant_ms: i64 },
    /// The clock falls back over it: it happens twice.
    #[serde(rename_all = "camelCase")]
    Repeated { earlier_ms: i64, later_ms: i64 },
    /// The clock jumps forward over it: it never happens. `after_gap_ms` is the reading taken with the offset
    /// before the jump, which lands after it (02:30 in a 02:00→03:00 gap is 03:30 new time).
    #[serde(rename_all = "camelCase")]
    Skipped { after_gap_ms: i64 },
}

impl LocalInstant {
    /// The one instant to use: the unique one, the **earlier** of a repeated hour, the **later** across a gap
    /// (Temporal's and jiff's "compatible" choice).
    pub fn compatible(self) -> i64 {
        match self {
            LocalInstant::Unique { instant_ms } => instant_ms,
            LocalInstant::Repeated { earlier_ms, .. } => earlier_ms,
            LocalInstant::Skipped { after_gap_ms } => after_gap_ms,
        }
    }
}

/// Every instant at which the wall clock in `zone` shows `date` `time` (see [`LocalInstant`]).
///
/// A date with a day beyond its month counts on (30 February is 2 or 1 March).
pub fn resolve_local<Z: ZoneOffsets + ?Sized>(
    zones: &Z,
    zone: &str,
    date: CivilDate,
    time: TimeOfDay,
) -> Result<LocalInstant, ZoneError> {
    // The wall-clock reading as if it were UTC; the answer lies within the largest offset of it.
    let local = date
        .to_days()
        .checked_mul(MS_PER_DAY)
        .and_then(|ms| ms.checked_add(i64::from(time.as_ms())))
        .filter(|ms| (MIN_INSTANT_MS + 2 * MS_PER_DAY..=MAX_INSTANT_MS - 2 * MS_PER_DAY).contains(ms))
        .ok_or(ZoneError::InstantOutOfRange(date.to_days().saturating_mul(MS_PER_DAY)))?;
    // The offsets a day either side bracket any one transition near `local` (real zones change their offset at
    // most a few times a year); each gives a candidate instant, kept if the zone agrees with it.
    let before = i64::from(offset_at(zones, zone, local - MS_PER_DAY)?) * 1000;
    let after = i64::from(offset_at(zones, zone, local + MS_PER_DAY)?) * 1000;
    let (early, late) = ((local - before).min(local - after), (local - before).max(local - after));
    let agrees = |t: i64| -> Result<bool, ZoneError> { Ok(i64::from(offset_at(zones, zone, t)?) * 1000 == local - t) };
    let early_agrees = agrees(early)?;
    if early == late {
        return Ok(if early_agrees {
            LocalInstant::Unique { instant_ms: early }
        } else {
            LocalInstant::Skipped { after_gap_ms: early }
        });
    }
    Ok(match (early_agrees, agrees(late)?) {
        (true, true) => LocalInstant::Repeated { earlier_ms: early, later_ms: late },
        (true, false) => LocalInstant::Unique { instant_ms: early },
        (false, true) => LocalInstant::Unique { instant_ms: late },
        // A gap: the later candidate is the pre-transition offset applied, which lands after the jump.
        (false, false) => LocalInstant::Skipped { after_gap_ms: late },
    })
}

/// The instant at which the wall clock in `zone` shows `date` `time`.
///
/// * Inside a gap (the clock jumps forward over it) the **later** instant is taken, as if the clock had not yet
///   been moved: 02:30 on 2026-03-29 in Europe/Warsaw is 03:30 CEST = 01:30 UTC (Temporal's and jiff's
///   "compatible" choice, and what happens to a job planned for a time that does not exist that day).
/// * Inside a repeated hour (the clock falls back) the **earlier** instant is taken: 02:30 on 2026-10-25 in
///   Warsaw is 02:30 CEST = 00:30 UTC.
///
/// A date with a day beyond its month counts on (30 February is 2 or 1 March).
///
/// ```
/// use vmbackup_core::schedule::civil::{CivilDate, TimeOfDay};
/// use vmbackup_core::schedule::convert::local_to_instant;
/// use vmbackup_core::schedule::zone::FixedZones;
/// let t = local_to_instant(&FixedZones, "+05:30", CivilDate::new(2026, 1, 1).unwrap(), TimeOfDay::MIDNIGHT);
/// assert_eq!(t, Ok(1_767_205_800_000)); // 2025-12-31T18:30Z
/// ```
pub fn local_to_instant<Z: ZoneOffsets + ?Sized>(
    zones: &Z,
    zone: &str,
    date: CivilDate,
    time: TimeOfDay,
) -> Result<i64, ZoneError> {
    resolve_local(zones, zone, date, time).map(LocalInstant::compatible)
}

/// Which instant's offset converts between local time and Storware's UTC fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum OffsetReference {
    /// The offset in force at this instant. `At(now)` is what Storware's own UI does (it uses the offset "at the
    /// moment of editing"); it is wrong for a schedule saved on the day before a DST change.
    At {
        #[serde(rename = "instantMs")]
        instant_ms: i64,
    },
    /// The default: the offset in force at the schedule's **next run on or after `now_ms`**, i.e. the run the
    /// user is most likely picturing when they type "01:30". Local → Storware: the next instant on or after
    /// `now_ms` at which the zone's wall clock shows the chosen time on a chosen local weekday (any weekday if
    /// none is chosen). Storware → local: the next UTC run of the stored schedule on or after `now_ms`, so the
    /// local time shown is the one the next backup will really start at. Falls back to `now_ms` when there is no
    /// such run (no weekday, an invalid interval).
    NextRun {
        #[serde(rename = "nowMs")]
        now_ms: i64,
    },
}

impl OffsetReference {
    /// The offset at `instant_ms`.
    pub fn at(instant_ms: i64) -> Self {
        OffsetReference::At { instant_ms }
    }

    /// The offset at the next run on or after `now_ms` (the default).
    pub fn next_run(now_ms: i64) -> Self {
        OffsetReference::NextRun { now_ms }
    }
}

/// A converted value with the offset and the instant it was computed for (so a form can say "UTC+02:00, as
/// on 2026-07-06").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Converted<T> {
    pub value: T,
    /// The zone's offset used, seconds east of UTC.
    pub offset_seconds: i32,
    /// The instant whose offset was used.
    pub reference_ms: i64,
}

impl<T> Converted<T> {
    /// The same conversion (offset and reference instant) with its value turned into another shape.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Converted<U> {
        Converted { value: f(self.value), offset_seconds: self.offset_seconds, reference_ms: self.reference_ms }
    }
}

/// A `TIME` schedule as Storware stores it: a UTC time of day and UTC weekdays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct StorwareTime {
    /// Storware's `hour`: milliseconds after 00:00 UTC.
    pub time_of_day_ms: u32,
    /// UTC weekdays, Monday first, no duplicates.
    pub days_of_week: Vec<Weekday>,
}

impl StorwareTime {
    /// The UTC time and days of a `TIME` schedule (`None` for an interval schedule).
    pub fn of(schedule: &Schedule) -> Option<Self> {
        match schedule.timing {
            ScheduleTiming::Time { time_of_day_ms, .. } => {
                Some(StorwareTime { time_of_day_ms, days_of_week: sorted_days(&schedule.days_of_week) })
            }
            ScheduleTiming::Interval { .. } => None,
        }
    }

    /// The schedule timing to store, with the start window.
    pub fn timing(&self, start_window_ms: Option<u64>) -> ScheduleTiming {
        ScheduleTiming::Time { time_of_day_ms: self.time_of_day_ms, start_window_ms }
    }
}

/// A `TIME` schedule as the user sees it: a local time of day on local weekdays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct LocalTimeSchedule {
    pub time: TimeOfDay,
    /// Local weekdays (the conversions return them Monday first, without duplicates).
    pub days_of_week: Vec<Weekday>,
}

/// An `INTERVAL` schedule as Storware stores it: runs every `frequency_ms` from `start_ms` to `end_ms`
/// (inclusive when a run lands on it), all times after 00:00 UTC, on UTC weekdays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct StorwareInterval {
    /// `interval.startHour`.
    pub start_ms: u32,
    /// `interval.endHour`.
    pub end_ms: u32,
    /// `interval.frequency`.
    pub frequency_ms: u64,
    /// UTC weekdays, Monday first, no duplicates.
    pub days_of_week: Vec<Weekday>,
}

impl StorwareInterval {
    /// The UTC window and days of an `INTERVAL` schedule (`None` for a `TIME` schedule).
    pub fn of(schedule: &Schedule) -> Option<Self> {
        match schedule.timing {
            ScheduleTiming::Interval { start_ms, end_ms, frequency_ms } => Some(StorwareInterval {
                start_ms,
                end_ms,
                frequency_ms,
                days_of_week: sorted_days(&schedule.days_of_week),
            }),
            ScheduleTiming::Time { .. } => None,
        }
    }

    /// The schedule timing to store.
    pub fn timing(&self) -> ScheduleTiming {
        ScheduleTiming::Interval { start_ms: self.start_ms, end_ms: self.end_ms, frequency_ms: self.frequency_ms }
    }

    /// Whether the window holds a single run (`start_ms == end_ms`): a piece of a split interval can. Storware
    /// expects an interval's start before its end, so save such a piece as a `TIME` schedule at `start_ms`.
    pub fn is_single_run(&self) -> bool {
        self.start_ms == self.end_ms
    }
}

/// An `INTERVAL` schedule as the user sees it: every `frequency_ms` from `start` to `end` local time, on local
/// weekdays (the weekday of the window's start).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct LocalInterval {
    pub start: TimeOfDay,
    pub end: TimeOfDay,
    pub frequency_ms: u64,
    pub days_of_week: Vec<Weekday>,
}

/// Weekdays Monday first, without duplicates.
pub fn sorted_days(days: &[Weekday]) -> Vec<Weekday> {
    shifted_days(days, 0)
}

/// Each weekday moved by `by` days (−1: the day before), Monday first, without duplicates.
pub fn shifted_days(days: &[Weekday], by: i64) -> Vec<Weekday> {
    let mut present = [false; 7];
    for day in days {
        present[usize::from(day.shifted(by).index())] = true;
    }
    Weekday::ALL.iter().copied().filter(|d| present[usize::from(d.index())]).collect()
}

/// Local time and weekdays → Storware's UTC `hour` and `daysOfWeek`, with a known offset (seconds east of UTC).
///
/// `hour = (local − offset) mod 24 h`; when `local − offset` falls before 00:00 UTC the UTC weekday is the day
/// before the local one (every day moves one back), when it falls after 24:00 the day after — Storware UI's
/// `viewToSourceShiftedDays`, storware-api.md §6.
pub fn time_to_storware(local: &LocalTimeSchedule, offset_seconds: i32) -> StorwareTime {
    let utc = i64::from(local.time.as_ms()) - i64::from(offset_seconds) * 1000;
    StorwareTime {
        time_of_day_ms: TimeOfDay::from_ms_wrapping(utc).as_ms(),
        days_of_week: shifted_days(&local.days_of_week, utc.div_euclid(MS_PER_DAY)),
    }
}

/// Storware's UTC `hour` and `daysOfWeek` → local time and weekdays, with a known offset (the inverse of
/// [`time_to_storware`]). An `hour` of a day or more (which never fires) is read modulo a day.
pub fn time_from_storware(utc: &StorwareTime, offset_seconds: i32) -> LocalTimeSchedule {
    let utc_ms = i64::from(utc.time_of_day_ms).rem_euclid(MS_PER_DAY);
    let local = utc_ms + i64::from(offset_seconds) * 1000;
    LocalTimeSchedule {
        time: TimeOfDay::from_ms_wrapping(local),
        days_of_week: shifted_days(&utc.days_of_week, local.div_euclid(MS_PER_DAY)),
    }
}

/// [`time_to_storware`] with the offset of `zone` at the instant `reference` picks.
///
/// ```
/// use vmbackup_core::domain::Weekday::*;
/// use vmbackup_core::schedule::civil::TimeOfDay;
/// use vmbackup_core::schedule::convert::{time_to_storware_in_zone, LocalTimeSchedule, OffsetReference};
/// use vmbackup_core::schedule::zone::FixedZones;
/// let local = LocalTimeSchedule { time: TimeOfDay::from_hm(0, 15).unwrap(), days_of_week: vec![Monday] };
/// let saved = time_to_storware_in_zone(&FixedZones, "+05:30", &local, OffsetReference::next_run(0)).unwrap();
/// assert_eq!(saved.value.time_of_day_ms, 67_500_000); // 18:45 UTC …
/// assert_eq!(saved.value.days_of_week, vec![Sunday]); // … on Sunday
/// assert_eq!(saved.offset_seconds, 19_800);
/// ```
pub fn time_to_storware_in_zone<Z: ZoneOffsets + ?Sized>(
    zones: &Z,
    zone: &str,
    local: &LocalTimeSchedule,
    reference: OffsetReference,
) -> Result<Converted<StorwareTime>, ZoneError> {
    let reference_ms = match reference {
        OffsetReference::At { instant_ms } => instant_ms,
        OffsetReference::NextRun { now_ms } => {
            next_local_occurrence(zones, zone, local.time, &local.days_of_week, now_ms)?.unwrap_or(now_ms)
        }
    };
    let offset_seconds = offset_at(zones, zone, reference_ms)?;
    Ok(Converted { value: time_to_storware(local, offset_seconds), offset_seconds, reference_ms })
}

/// [`time_from_storware`] with the offset of `zone` at the instant `reference` picks.
pub fn time_from_storware_in_zone<Z: ZoneOffsets + ?Sized>(
    zones: &Z,
    zone: &str,
    utc: &StorwareTime,
    reference: OffsetReference,
) -> Result<Converted<LocalTimeSchedule>, ZoneError> {
    let reference_ms = match reference {
        OffsetReference::At { instant_ms } => instant_ms,
        OffsetReference::NextRun { now_ms } => {
            first_run_within_week(&utc.timing(None), &utc.days_of_week, now_ms).unwrap_or(now_ms)
        }
    };
    let offset_seconds = offset_at(zones, zone, reference_ms)?;
    Ok(Converted { value: time_from_storware(utc, offset_seconds), offset_seconds, reference_ms })
}

/// The first instant on or after `now_ms` at which the wall clock in `zone` shows `time` on one of `days`
/// (any day when `days` is empty). A time in a gap counts at its instant after the gap (as in
/// [`local_to_instant`]); a time in a repeated hour at its first instant, or at its second once the first has
/// passed. `None` only when the date range runs out.
pub fn next_local_occurrence<Z: ZoneOffsets + ?Sized>(
    zones: &Z,
    zone: &str,
    time: TimeOfDay,
    days: &[Weekday],
    now_ms: i64,
) -> Result<Option<i64>, ZoneError> {
    let today = instant_to_local(zones, zone, now_ms)?.date;
    // From yesterday (a local date can map to an instant before its UTC date) through the same weekday next week.
    for offset_days in -1..=8 {
        let Some(date) = today.add_days(offset_days) else { continue };
        if !days.is_empty() && !days.contains(&date.weekday()) {
            continue;
        }
        let candidates = match resolve_local(zones, zone, date, time)? {
            LocalInstant::Unique { instant_ms } => [instant_ms, instant_ms],
            // The clock shows the time twice; the second one counts when the first has passed.
            LocalInstant::Repeated { earlier_ms, later_ms } => [earlier_ms, later_ms],
            LocalInstant::Skipped { after_gap_ms } => [after_gap_ms, after_gap_ms],
        };
        if let Some(instant) = candidates.into_iter().find(|t| *t >= now_ms) {
            return Ok(Some(instant));
        }
    }
    Ok(None)
}

/// A local interval → Storware interval(s), with a known offset.
///
/// Usually one piece. When the window crosses 00:00 UTC (Auckland 08:00–18:00 is 19:00–05:00 UTC, or 20:00–06:00
/// in their summer) one Storware interval cannot hold it, because Storware's window lies within one UTC day:
/// the answer is then **two** pieces, the runs before midnight UTC on the day before and the runs after it,
/// keeping every run at the same instant (each piece needs its own Storware schedule, attached to the same rule).
/// A piece may hold a single run ([`StorwareInterval::is_single_run`]). An invalid interval (start after end,
/// zero frequency, beyond a day) is shifted as a whole; validation rejects it anyway.
pub fn interval_to_storware(local: &LocalInterval, offset_seconds: i32) -> Vec<StorwareInterval> {
    split_interval(local.start.as_ms(), local.end.as_ms(), local.frequency_ms, -i64::from(offset_seconds) * 1000)
        .into_iter()
        .map(|piece| StorwareInterval {
            start_ms: piece.start.as_ms(),
            end_ms: piece.end.as_ms(),
            frequency_ms: local.frequency_ms,
            days_of_week: shifted_days(&local.days_of_week, piece.day_shift),
        })
        .collect()
}

/// A Storware interval → local interval(s), with a known offset: the inverse of [`interval_to_storware`]. A
/// window that crosses local midnight comes back as two pieces (each with its own local weekdays).
pub fn interval_from_storware(utc: &StorwareInterval, offset_seconds: i32) -> Vec<LocalInterval> {
    split_interval(utc.start_ms, utc.end_ms, utc.frequency_ms, i64::from(offset_seconds) * 1000)
        .into_iter()
        .map(|piece| LocalInterval {
            start: piece.start,
            end: piece.end,
            frequency_ms: utc.frequency_ms,
            days_of_week: shifted_days(&utc.days_of_week, piece.day_shift),
        })
        .collect()
}

/// [`interval_to_storware`] with the offset of `zone` at the instant `reference` picks (for
/// [`OffsetReference::NextRun`]: the next local start of the window on a chosen weekday).
pub fn interval_to_storware_in_zone<Z: ZoneOffsets + ?Sized>(
    zones: &Z,
    zone: &str,
    local: &LocalInterval,
    reference: OffsetReference,
) -> Result<Converted<Vec<StorwareInterval>>, ZoneError> {
    let reference_ms = match reference {
        OffsetReference::At { instant_ms } => instant_ms,
        OffsetReference::NextRun { now_ms } => {
            next_local_occurrence(zones, zone, local.start, &local.days_of_week, now_ms)?.unwrap_or(now_ms)
        }
    };
    let offset_seconds = offset_at(zones, zone, reference_ms)?;
    Ok(Converted { value: interval_to_storware(local, offset_seconds), offset_seconds, reference_ms })
}

/// [`interval_from_storware`] with the offset of `zone` at the instant `reference` picks (for
/// [`OffsetReference::NextRun`]: the interval's next run on or after `now_ms`).
pub fn interval_from_storware_in_zone<Z: ZoneOffsets + ?Sized>(
    zones: &Z,
    zone: &str,
    utc: &StorwareInterval,
    reference: OffsetReference,
) -> Result<Converted<Vec<LocalInterval>>, ZoneError> {
    let reference_ms = match reference {
        OffsetReference::At { instant_ms } => instant_ms,
        OffsetReference::NextRun { now_ms } => {
            first_run_within_week(&utc.timing(), &utc.days_of_week, now_ms).unwrap_or(now_ms)
        }
    };
    let offset_seconds = offset_at(zones, zone, reference_ms)?;
    Ok(Converted { value: interval_from_storware(utc, offset_seconds), offset_seconds, reference_ms })
}

/// A piece of a shifted interval: its window within one day and how many days it moved.
struct IntervalPiece {
    start: TimeOfDay,
    end: TimeOfDay,
    day_shift: i64,
}

/// Moves the runs `start, start + frequency, … ≤ end` by `delta_ms` and cuts them at day boundaries.
fn split_interval(start: u32, end: u32, frequency_ms: u64, delta_ms: i64) -> Vec<IntervalPiece> {
    let (start, end) = (i64::from(start), i64::from(end));
    let shifted_start = start + delta_ms;
    let start_shift = shifted_start.div_euclid(MS_PER_DAY);
    let piece = |from: i64, to: i64, day_shift: i64| IntervalPiece {
        start: TimeOfDay::from_ms_wrapping(from - day_shift * MS_PER_DAY),
        end: TimeOfDay::from_ms_wrapping(to - day_shift * MS_PER_DAY),
        day_shift,
    };
    if frequency_ms == 0 || start > end || end >= MS_PER_DAY {
        return vec![piece(shifted_start, end + delta_ms, start_shift)];
    }
    // A frequency of a day or more gives one run per window; clamping keeps the arithmetic in i64.
    let step = i64::try_from(frequency_ms).unwrap_or(MS_PER_DAY).min(MS_PER_DAY);
    let last_run = shifted_start + (end - start) / step * step;
    let shifted_end = end + delta_ms;
    let boundary = (start_shift + 1) * MS_PER_DAY;
    if last_run < boundary {
        // One piece. Keep the user's end (e.g. 21:59 with runs every two hours) when it stays on the same day.
        let to = if shifted_end < boundary { shifted_end } else { last_run };
        return vec![piece(shifted_start, to, start_shift)];
    }
    // The window spans less than a day, so it crosses at most one boundary.
    let first_after = (boundary - shifted_start + step - 1) / step; // index of the first run past the boundary
    vec![
        piece(shifted_start, shifted_start + (first_after - 1) * step, start_shift),
        piece(shifted_start + first_after * step, shifted_end, start_shift + 1),
    ]
}
