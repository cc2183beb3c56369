//! Schedule time math: calendar arithmetic, local time ⇄ Storware's UTC schedule fields, next runs, DST drift.
//!
//! The core has no time-zone data and no clock. Zone offsets come from a [`ZoneOffsets`] the caller passes (the
//! browser's `Intl`, jiff's tzdb natively, [`FixedZones`] for UTC and fixed offsets); "now" is a parameter.
//!
//! * [`civil`]: dates, weekdays, occurrence of a weekday in its month, times of day — hand-written.
//! * [`zone`]: the [`ZoneOffsets`] trait, [`ZoneError`], [`FixedZones`].
//! * [`convert`]: wall clock ⇄ instant (gap → later instant, repeated hour → earlier), and a user's local
//!   "01:30 on Mon–Fri" ⇄ Storware's `hour` (ms after 00:00 UTC) + UTC `daysOfWeek`, for `TIME` and `INTERVAL`.
//! * [`next_runs`](mod@next_runs): the next runs of a [`Schedule`](crate::domain::Schedule), in UTC or in a
//!   zone, and [`next_drift`]: where a DST change moves the local run time.
//!
//! ```
//! use vmbackup_core::domain::Weekday::*;
//! use vmbackup_core::schedule::{time_to_storware_in_zone, FixedZones, LocalTimeSchedule, OffsetReference, TimeOfDay};
//!
//! let local = LocalTimeSchedule { time: TimeOfDay::from_hm(1, 30).unwrap(), days_of_week: vec![Monday, Friday] };
//! let saved = time_to_storware_in_zone(&FixedZones, "UTC+01:00", &local, OffsetReference::next_run(0)).unwrap();
//! assert_eq!(saved.value.time_of_day_ms, 1_800_000);
//! assert_eq!(saved.value.days_of_week, vec![Monday, Friday]);
//! ```

pub mod civil;
pub mod convert;
pub mod next_runs;
pub mod zone;

pub use civil::{CivilDate, OccurrenceInMonth, TimeOfDay, MS_PER_DAY};
pub use convert::{
    instant_to_local, interval_from_storware, interval_from_storware_in_zone, interval_to_storware,
    interval_to_storware_in_zone, local_to_instant, next_local_occurrence, resolve_local, time_from_storware,
    time_from_storware_in_zone, time_to_storware, time_to_storware_in_zone, Converted, LocalDateTime, LocalInstant,
    LocalInterval, LocalTimeSchedule, OffsetReference, StorwareInterval, StorwareTime,
};
pub use next_runs::{next_drift, next_run, next_runs, next_runs_in_zone, Drift};
pub use zone::{FixedZones, WithFixedZones, ZoneError, ZoneOffsets};
