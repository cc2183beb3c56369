//! Proleptic Gregorian calendar arithmetic, hand-written so that the core needs no date crate.
//!
//! Days are counted from 1970-01-01 (day 0); instants are Unix epoch milliseconds. The algorithms are
//! Howard Hinnant's `days_from_civil` / `civil_from_days`, which are exact for every year.
//!
//! ```
//! use vmbackup_core::schedule::civil::CivilDate;
//! use vmbackup_core::domain::Weekday;
//!
//! let date = CivilDate::new(2026, 3, 29).unwrap();
//! assert_eq!(date.weekday(), Weekday::Sunday);
//! assert_eq!(CivilDate::from_days(date.to_days()), Some(date));
//! assert!(date.occurrence().is_last); // the last Sunday of March: Europe's spring-forward day
//! ```

use std::fmt;

#[cfg(feature = "typescript")]
use crate::typescript::tsify::{self, Tsify};
use serde::{Deserialize, Serialize};

use crate::domain::{Month, Occurrence, Weekday};

/// Milliseconds in a (UTC) day.
pub const MS_PER_DAY: i64 = 86_400_000;

/// The earliest instant the schedule math handles: the start of JavaScript's `Date` range (-271821-04-20).
pub const MIN_INSTANT_MS: i64 = -8_640_000_000_000_000;

/// The latest instant the schedule math handles: the end of JavaScript's `Date` range (+275760-09-13).
pub const MAX_INSTANT_MS: i64 = 8_640_000_000_000_000;

/// Days from 1970-01-01 of [`MIN_INSTANT_MS`] and [`MAX_INSTANT_MS`] (the range [`CivilDate::from_days`] accepts,
/// with a little room either side for shifting by a day).
pub const MAX_ABS_DAYS: i64 = MAX_INSTANT_MS / MS_PER_DAY + 2;

/// Whether `year` has a 29 February.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`; 0 for a month outside 1–12.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to `year-month-day` (negative before). Exact for valid dates; never panics for
/// any input (an invalid month or day gives a meaningless but finite number).
pub fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let month = i64::from(month);
    let day = i64::from(day);
    // Count years from March, so that the leap day is the last day of the "year".
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400; // 0..=399
    let month_from_march = if month > 2 { month - 3 } else { month + 9 }; // 0..=11
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1; // 0..=365
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year; // 0..=146096
    era * 146_097 + day_of_era - 719_468
}

/// The weekday of the day `days` after 1970-01-01 (a Thursday).
pub fn weekday_from_days(days: i64) -> Weekday {
    // Weekday::from_index counts from Monday = 0; 1970-01-01 was a Thursday (3).
    Weekday::from_index(days.rem_euclid(7) + 3)
}

/// Splits an instant into its UTC day (from 1970-01-01) and the milliseconds since that day's 00:00 UTC.
pub fn split_instant(instant_ms: i64) -> (i64, u32) {
    let days = instant_ms.div_euclid(MS_PER_DAY);
    // rem_euclid of MS_PER_DAY is always in 0..86_400_000, which fits u32.
    let ms_of_day = u32::try_from(instant_ms.rem_euclid(MS_PER_DAY)).unwrap_or(0);
    (days, ms_of_day)
}

/// The month for its number 1–12.
pub fn month_from_number(month: u8) -> Option<Month> {
    Month::ALL.get(usize::from(month).checked_sub(1)?).copied()
}

/// A calendar date (proleptic Gregorian). Fields are public for easy display; [`CivilDate::new`] checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CivilDate {
    pub year: i32,
    /// 1 = January … 12 = December.
    pub month: u8,
    /// 1–31.
    pub day: u8,
}

impl CivilDate {
    /// A date, if `month` and `day` exist in `year`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        let date = CivilDate { year, month, day };
        date.is_valid().then_some(date)
    }

    /// Whether the month and day exist.
    pub fn is_valid(self) -> bool {
        self.day >= 1 && self.day <= days_in_month(self.year, self.month)
    }

    /// The date `days` after 1970-01-01, for `|days|` up to [`MAX_ABS_DAYS`] (`None` outside).
    pub fn from_days(days: i64) -> Option<Self> {
        if days.unsigned_abs() > MAX_ABS_DAYS.unsigned_abs() {
            return None;
        }
        let shifted = days + 719_468; // days from 0000-03-01
        let era = shifted.div_euclid(146_097);
        // Day of the 400-year era (0..=146096), then year of the era (0..=399).
        let day_of_era = shifted - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // 0..=365
        let month_from_march = (5 * day_of_year + 2) / 153; // 0..=11
        let day = day_of_year - (153 * month_from_march + 2) / 5 + 1; // 1..=31
        let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 }; // 1..=12
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Some(CivilDate {
            year: i32::try_from(year).ok()?,
            month: u8::try_from(month).ok()?,
            day: u8::try_from(day).ok()?,
        })
    }

    /// The UTC date of an instant (`None` outside [`MIN_INSTANT_MS`]..=[`MAX_INSTANT_MS`]).
    pub fn of_instant(instant_ms: i64) -> Option<Self> {
        if !(MIN_INSTANT_MS..=MAX_INSTANT_MS).contains(&instant_ms) {
            return None;
        }
        Self::from_days(split_instant(instant_ms).0)
    }

    /// Days from 1970-01-01.
    pub fn to_days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The date `days` later (earlier when negative); `None` outside the supported range.
    pub fn add_days(self, days: i64) -> Option<Self> {
        Self::from_days(self.to_days().checked_add(days)?)
    }

    /// Its weekday.
    pub fn weekday(self) -> Weekday {
        weekday_from_days(self.to_days())
    }

    /// Its month as the domain enum (`None` only for an invalid month number).
    pub fn month_of_year(self) -> Option<Month> {
        month_from_number(self.month)
    }

    /// Days in its month.
    pub fn days_in_month(self) -> u8 {
        days_in_month(self.year, self.month)
    }

    /// Which occurrence of its weekday within its month it is (1st … 5th, and whether it is the last).
    pub fn occurrence(self) -> OccurrenceInMonth {
        OccurrenceInMonth {
            nth: self.day.saturating_sub(1) / 7 + 1,
            is_last: u16::from(self.day) + 7 > u16::from(self.days_in_month()),
        }
    }
}

impl fmt::Display for CivilDate {
    /// ISO 8601: `2026-03-29` (years outside 0–9999 with a sign, as ISO's expanded form).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if (0..=9999).contains(&self.year) {
            write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
        } else {
            write!(f, "{:+07}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }
}

/// The position of a date's weekday within its month: the 29th is the 5th of its weekday, and the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct OccurrenceInMonth {
    /// 1–5.
    pub nth: u8,
    /// No later day of the month has the same weekday.
    pub is_last: bool,
}

impl OccurrenceInMonth {
    /// Whether this position is `occurrence` (a 4th that is also the last matches both `Fourth` and `Last`;
    /// a 5th matches only `Last`).
    pub fn matches(self, occurrence: Occurrence) -> bool {
        match occurrence {
            Occurrence::First => self.nth == 1,
            Occurrence::Second => self.nth == 2,
            Occurrence::Third => self.nth == 3,
            Occurrence::Fourth => self.nth == 4,
            Occurrence::Last => self.is_last,
        }
    }

    /// Whether it matches any of `occurrences`; an empty list means "every occurrence" (Storware's rule).
    pub fn matches_any(self, occurrences: &[Occurrence]) -> bool {
        occurrences.is_empty() || occurrences.iter().any(|o| self.matches(*o))
    }
}

/// A time of day in milliseconds after midnight, `00:00` to `23:59:59.999`.
///
/// ```
/// use vmbackup_core::schedule::civil::TimeOfDay;
/// let t = TimeOfDay::from_hm(1, 30).unwrap();
/// assert_eq!(t.as_ms(), 5_400_000);
/// assert_eq!(t.to_string(), "01:30");
/// assert!(TimeOfDay::from_hm(24, 0).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(Tsify))]
#[serde(try_from = "u32", into = "u32")]
// Milliseconds after midnight on the wire (`try_from`/`into` u32), which tsify cannot see through.
#[cfg_attr(feature = "typescript", tsify(type = "number"))]
pub struct TimeOfDay(u32);

impl TimeOfDay {
    /// 00:00.
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);

    /// `hour`:`minute`, if `hour` < 24 and `minute` < 60.
    pub fn from_hm(hour: u8, minute: u8) -> Option<Self> {
        Self::from_hms_milli(hour, minute, 0, 0)
    }

    /// `hour`:`minute`:`second`.`millisecond`, if each is within its range.
    pub fn from_hms_milli(hour: u8, minute: u8, second: u8, millisecond: u16) -> Option<Self> {
        if hour >= 24 || minute >= 60 || second >= 60 || millisecond >= 1000 {
            return None;
        }
        let ms = ((u32::from(hour) * 60 + u32::from(minute)) * 60 + u32::from(second)) * 1000 + u32::from(millisecond);
        Some(TimeOfDay(ms))
    }

    /// Milliseconds after midnight, if less than a day.
    pub fn from_ms(ms: u32) -> Option<Self> {
        (i64::from(ms) < MS_PER_DAY).then_some(TimeOfDay(ms))
    }

    /// Any millisecond count, wrapped into one day (`-1` is 23:59:59.999).
    pub fn from_ms_wrapping(ms: i64) -> Self {
        TimeOfDay(u32::try_from(ms.rem_euclid(MS_PER_DAY)).unwrap_or(0))
    }

    /// Milliseconds after midnight.
    pub fn as_ms(self) -> u32 {
        self.0
    }

    /// 0–23.
    pub fn hour(self) -> u8 {
        (self.0 / 3_600_000) as u8
    }

    /// 0–59.
    pub fn minute(self) -> u8 {
        (self.0 / 60_000 % 60) as u8
    }

    /// 0–59.
    pub fn second(self) -> u8 {
        (self.0 / 1000 % 60) as u8
    }

    /// 0–999.
    pub fn millisecond(self) -> u16 {
        (self.0 % 1000) as u16
    }
}

impl TryFrom<u32> for TimeOfDay {
    type Error = String;
    fn try_from(ms: u32) -> Result<Self, Self::Error> {
        TimeOfDay::from_ms(ms).ok_or_else(|| format!("{ms} ms is not a time of day (must be below 86400000)"))
    }
}

impl From<TimeOfDay> for u32 {
    fn from(t: TimeOfDay) -> u32 {
        t.0
    }
}

impl fmt::Display for TimeOfDay {
    /// `HH:MM`, with `:SS` and `.mmm` only when they are not zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())?;
        if self.second() != 0 || self.millisecond() != 0 {
            write!(f, ":{:02}", self.second())?;
        }
        if self.millisecond() != 0 {
            write!(f, ".{:03}", self.millisecond())?;
        }
        Ok(())
    }
}
