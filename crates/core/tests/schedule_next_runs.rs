//! Next runs of a schedule (Storware's UTC rule), shown in zones across the 2026 DST changes, and DST drift.
#![allow(clippy::unwrap_used)]

mod tz;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use vmbackup_core::domain::Weekday::{self, *};
use vmbackup_core::domain::{BackupType, Month, Occurrence, Schedule, ScheduleTiming, ScheduleType};
use vmbackup_core::schedule::civil::{MAX_INSTANT_MS, MIN_INSTANT_MS};
use vmbackup_core::schedule::next_runs::{LOOKAHEAD_DAYS, MAX_RUNS};
use vmbackup_core::schedule::*;

use tz::{ms, Tzdb, ZONES};

const WEEKDAYS: [Weekday; 5] = [Monday, Tuesday, Wednesday, Thursday, Friday];
const DAY: i64 = 86_400_000;

fn schedule(timing: ScheduleTiming, days: &[Weekday]) -> Schedule {
    Schedule {
        id: None,
        name: "test".into(),
        active: true,
        kind: ScheduleType::VmBackup,
        backup_type: BackupType::Incremental,
        timing,
        days_of_week: days.to_vec(),
        months: vec![],
        occurrences: vec![],
        rules: vec![],
        policies: vec![],
        server_fields: Default::default(),
    }
}

fn at(time_of_day_ms: u32, days: &[Weekday]) -> Schedule {
    schedule(ScheduleTiming::Time { time_of_day_ms, start_window_ms: Some(21_600_000) }, days)
}

fn every(start_ms: u32, end_ms: u32, frequency_ms: u64, days: &[Weekday]) -> Schedule {
    schedule(ScheduleTiming::Interval { start_ms, end_ms, frequency_ms }, days)
}

fn hm(hour: u8, minute: u8) -> TimeOfDay {
    TimeOfDay::from_hm(hour, minute).unwrap()
}

fn date(year: i32, month: u8, day: u8) -> CivilDate {
    CivilDate::new(year, month, day).unwrap()
}

/// (local date, local time, offset text) of each run.
fn shown(runs: &[LocalDateTime]) -> Vec<(String, String, String)> {
    runs.iter().map(|r| (r.date.to_string(), r.time.to_string(), r.offset_text())).collect()
}

fn row(d: &str, t: &str, o: &str) -> (String, String, String) {
    (d.to_string(), t.to_string(), o.to_string())
}

// ---------------------------------------------------------------------------------------------------------------
// UTC runs

#[test]
fn winter_saved_warsaw_schedule_jumps_from_0130_to_0230_across_2026_03_29() {
    let winter_saved = at(1_800_000, &WEEKDAYS);
    let from = ms("2026-03-25T00:00Z"); // Wednesday
    assert_eq!(
        next_runs(&winter_saved, from, 4),
        vec![ms("2026-03-25T00:30Z"), ms("2026-03-26T00:30Z"), ms("2026-03-27T00:30Z"), ms("2026-03-30T00:30Z")]
    );
    let local = next_runs_in_zone(&winter_saved, &Tzdb, "Europe/Warsaw", from, 4).unwrap();
    assert_eq!(
        shown(&local),
        vec![
            row("2026-03-25", "01:30", "+01:00"),
            row("2026-03-26", "01:30", "+01:00"),
            row("2026-03-27", "01:30", "+01:00"),
            row("2026-03-30", "02:30", "+02:00"),
        ]
    );
    assert_eq!(local[3].weekday, Monday);
}

#[test]
fn summer_saved_warsaw_schedule_runs_at_0030_local_after_2026_10_25_on_the_same_local_weekdays() {
    let summer_saved = at(84_600_000, &[Sunday, Monday, Tuesday, Wednesday, Thursday]);
    let local = next_runs_in_zone(&summer_saved, &Tzdb, "Europe/Warsaw", ms("2026-10-21T00:00Z"), 4).unwrap();
    assert_eq!(
        shown(&local),
        vec![
            row("2026-10-22", "01:30", "+02:00"),
            row("2026-10-23", "01:30", "+02:00"),
            row("2026-10-26", "00:30", "+01:00"),
            row("2026-10-27", "00:30", "+01:00"),
        ]
    );
    assert_eq!(local.iter().map(|r| r.weekday).collect::<Vec<_>>(), vec![Thursday, Friday, Monday, Tuesday]);
}

#[test]
fn runs_in_new_york_kolkata_auckland_and_utc_across_2026_transitions() {
    // New York: 02:00 UTC on Saturdays is Friday 21:00 EST, 22:00 EDT.
    let ny = at(7_200_000, &[Saturday]);
    assert_eq!(
        shown(&next_runs_in_zone(&ny, &Tzdb, "America/New_York", ms("2026-02-25T00:00Z"), 3).unwrap()),
        vec![
            row("2026-02-27", "21:00", "-05:00"),
            row("2026-03-06", "21:00", "-05:00"),
            row("2026-03-13", "22:00", "-04:00")
        ]
    );
    assert_eq!(
        shown(&next_runs_in_zone(&ny, &Tzdb, "America/New_York", ms("2026-10-25T00:00Z"), 2).unwrap()),
        vec![row("2026-10-30", "22:00", "-04:00"), row("2026-11-06", "21:00", "-05:00")]
    );
    // Kolkata: 19:30 UTC on Sundays is always Monday 01:00 (+05:30), whatever Europe does.
    let kolkata = at(70_200_000, &[Sunday]);
    for from in ["2026-03-22T00:00Z", "2026-10-18T00:00Z"] {
        let runs = next_runs_in_zone(&kolkata, &Tzdb, "Asia/Kolkata", ms(from), 3).unwrap();
        assert!(
            runs.iter().all(|r| r.weekday == Monday && r.time == hm(1, 0) && r.offset_seconds == 19_800),
            "{runs:?}"
        );
    }
    // Auckland: 21:00 UTC on Sundays is Monday 10:00 NZDT (+13), 09:00 NZST (+12) after 2026-04-05.
    let auckland = at(75_600_000, &[Sunday]);
    assert_eq!(
        shown(&next_runs_in_zone(&auckland, &Tzdb, "Pacific/Auckland", ms("2026-03-25T00:00Z"), 2).unwrap()),
        vec![row("2026-03-30", "10:00", "+13:00"), row("2026-04-06", "09:00", "+12:00")]
    );
    assert_eq!(
        shown(&next_runs_in_zone(&auckland, &Tzdb, "Pacific/Auckland", ms("2026-09-18T00:00Z"), 2).unwrap()),
        vec![row("2026-09-21", "09:00", "+12:00"), row("2026-09-28", "10:00", "+13:00")]
    );
    // UTC: what is stored.
    let utc = next_runs_in_zone(&at(5_400_000, &[Monday]), &Tzdb, "UTC", ms("2026-03-25T00:00Z"), 1).unwrap();
    assert_eq!(shown(&utc), vec![row("2026-03-30", "01:30", "+00:00")]);
    assert!(next_runs_in_zone(&ny, &Tzdb, "Nowhere/City", 0, 1).is_err());
}

#[test]
fn now_is_inclusive() {
    let s = at(1_800_000, &[Monday]);
    let run = ms("2026-03-30T00:30Z");
    assert_eq!(next_runs(&s, run, 1), vec![run]);
    assert_eq!(next_run(&s, run), Some(run));
    assert_eq!(next_run(&s, run + 1), Some(run + 7 * DAY));
    let interval = every(0, 79_200_000, 7_200_000, &[Monday]);
    let run = ms("2026-03-30T04:00Z");
    assert_eq!(next_runs(&interval, run, 2), vec![run, run + 7_200_000]);
    assert_eq!(next_runs(&interval, run + 1, 1), vec![run + 7_200_000]);
}

#[test]
fn months_restrict_to_utc_months() {
    let mut s = at(1_800_000, &[Monday]);
    s.months = vec![Month::April, Month::December];
    assert_eq!(
        next_runs(&s, ms("2026-01-01T00:00Z"), 6)[..5],
        [
            ms("2026-04-06T00:30Z"),
            ms("2026-04-13T00:30Z"),
            ms("2026-04-20T00:30Z"),
            ms("2026-04-27T00:30Z"),
            ms("2026-12-07T00:30Z"),
        ]
    );
}

#[test]
fn occurrences_restrict_to_nth_and_last_weekday_of_the_utc_month() {
    let mut last_sunday = at(3_600_000, &[Sunday]);
    last_sunday.occurrences = vec![Occurrence::Last];
    assert_eq!(
        next_runs(&last_sunday, ms("2026-01-01T00:00Z"), 4),
        vec![ms("2026-01-25T01:00Z"), ms("2026-02-22T01:00Z"), ms("2026-03-29T01:00Z"), ms("2026-04-26T01:00Z")]
    );
    let mut first_monday = at(0, &[Monday]);
    first_monday.occurrences = vec![Occurrence::First];
    assert_eq!(
        next_runs(&first_monday, ms("2026-01-01T00:00Z"), 4),
        vec![ms("2026-01-05T00:00Z"), ms("2026-02-02T00:00Z"), ms("2026-03-02T00:00Z"), ms("2026-04-06T00:00Z")]
    );
    // 28 February 2026 is both the 4th and the last Saturday: listed once.
    let mut saturdays = at(0, &[Saturday]);
    saturdays.occurrences = vec![Occurrence::Fourth, Occurrence::Last];
    saturdays.months = vec![Month::February];
    assert_eq!(
        next_runs(&saturdays, ms("2026-01-01T00:00Z"), 2),
        vec![ms("2026-02-28T00:00Z"), ms("2027-02-27T00:00Z")]
    );
    // Second and third Wednesdays.
    let mut wednesdays = at(0, &[Wednesday]);
    wednesdays.occurrences = vec![Occurrence::Third, Occurrence::Second];
    assert_eq!(
        next_runs(&wednesdays, ms("2026-03-01T00:00Z"), 3),
        vec![ms("2026-03-11T00:00Z"), ms("2026-03-18T00:00Z"), ms("2026-04-08T00:00Z")]
    );
    // The occurrence is that of the UTC date: 23:30 UTC on the last Sunday of March is Monday in Warsaw.
    let mut late = at(84_600_000, &[Sunday]);
    late.occurrences = vec![Occurrence::Last];
    late.months = vec![Month::March];
    let run = next_runs_in_zone(&late, &Tzdb, "Europe/Warsaw", ms("2026-01-01T00:00Z"), 1).unwrap();
    assert_eq!(shown(&run), vec![row("2026-03-30", "01:30", "+02:00")]);
}

#[test]
fn interval_runs_every_frequency_from_start_to_end() {
    // Storware UI's default: 00:00–21:59 UTC every 2 h → 00:00 … 20:00 (11 runs a day).
    let default = every(0, 79_140_000, 7_200_000, &[Monday]);
    let runs = next_runs(&default, ms("2026-03-30T00:00Z"), 12);
    assert_eq!(runs.len(), 12);
    assert_eq!(runs[10], ms("2026-03-30T20:00Z"));
    assert_eq!(runs[11], ms("2026-04-06T00:00Z"));
    // An end that is a run is included: 00:00–22:00 → 12 runs.
    let inclusive = every(0, 79_200_000, 7_200_000, &[Monday]);
    assert_eq!(next_runs(&inclusive, ms("2026-03-30T00:00Z"), 13)[11], ms("2026-03-30T22:00Z"));
    // From the middle of a window.
    let runs = next_runs(&default, ms("2026-03-30T05:00Z"), 9);
    assert_eq!(runs[0], ms("2026-03-30T06:00Z"));
    assert_eq!(runs[7], ms("2026-03-30T20:00Z"));
    assert_eq!(runs[8], ms("2026-04-06T00:00Z"));
    // An end past the day is cut at midnight; a frequency above a day leaves the start alone.
    let long = every(82_800_000, u32::MAX, 1_800_000, &[Monday]);
    assert_eq!(
        next_runs(&long, ms("2026-03-30T00:00Z"), 3),
        vec![ms("2026-03-30T23:00Z"), ms("2026-03-30T23:30Z"), ms("2026-04-06T23:00Z")]
    );
    let rare = every(3_600_000, 7_200_000, u64::MAX, &[Monday]);
    assert_eq!(next_runs(&rare, ms("2026-03-30T00:00Z"), 2), vec![ms("2026-03-30T01:00Z"), ms("2026-04-06T01:00Z")]);
    // A window holding one run.
    let single = every(3_600_000, 3_600_000, 60_000, &[Monday]);
    assert_eq!(next_runs(&single, ms("2026-03-30T00:00Z"), 1), vec![ms("2026-03-30T01:00Z")]);
}

#[test]
fn schedules_that_never_fire_give_no_runs_quickly() {
    let mut inactive = at(0, Weekday::ALL);
    inactive.active = false;
    let never = [
        inactive,
        at(0, &[]),
        at(86_400_000, Weekday::ALL),
        at(u32::MAX, Weekday::ALL),
        every(0, 3_600_000, 0, Weekday::ALL),
        every(7_200_000, 3_600_000, 60_000, Weekday::ALL),
        every(86_400_000, u32::MAX, 60_000, Weekday::ALL),
    ];
    for s in never {
        assert_eq!(next_runs(&s, ms("2026-01-01T00:00Z"), 10), Vec::<i64>::new(), "{:?}", s.timing);
        assert_eq!(next_run(&s, ms("2026-01-01T00:00Z")), None);
        assert_eq!(next_drift(&s, &Tzdb, "Europe/Warsaw", ms("2026-01-01T00:00Z")), Ok(None));
    }
    // The first Monday of February: once a year, so five years hold five runs.
    let mut yearly = at(0, &[Monday]);
    yearly.months = vec![Month::February];
    yearly.occurrences = vec![Occurrence::First];
    let runs = next_runs(&yearly, ms("2026-01-01T00:00Z"), 10);
    assert_eq!(runs.len(), 5, "{LOOKAHEAD_DAYS} days ahead");
    assert_eq!(runs[0], ms("2026-02-02T00:00Z"));
    assert_eq!(runs[4], ms("2030-02-04T00:00Z"));
}

#[test]
fn limits_and_extreme_instants() {
    let daily = at(0, Weekday::ALL);
    assert!(next_runs(&daily, 0, 0).is_empty());
    let every_second = every(0, 86_399_999, 1000, Weekday::ALL);
    let runs = next_runs(&every_second, 0, usize::MAX);
    assert_eq!(runs.len(), MAX_RUNS);
    assert_eq!(runs[MAX_RUNS - 1], (MAX_RUNS as i64 - 1) * 1000);
    for now in [i64::MIN, i64::MAX, MIN_INSTANT_MS - 1, MAX_INSTANT_MS + 1] {
        assert!(next_runs(&daily, now, 5).is_empty());
    }
    // Near the end of the range: runs stop with it.
    let last = next_runs(&daily, MAX_INSTANT_MS - 3 * DAY, 100);
    assert!(!last.is_empty() && last.len() < 5 && last.iter().all(|t| *t <= MAX_INSTANT_MS));
    assert_eq!(next_runs(&daily, MIN_INSTANT_MS, 1), vec![MIN_INSTANT_MS]);
}

// ---------------------------------------------------------------------------------------------------------------
// Drift

#[test]
fn drift_of_a_winter_saved_warsaw_schedule_in_march_and_october() {
    let winter_saved = at(1_800_000, &WEEKDAYS);
    let spring = next_drift(&winter_saved, &Tzdb, "Europe/Warsaw", ms("2026-03-20T00:00Z")).unwrap().unwrap();
    assert_eq!(spring.last_before.instant_ms, ms("2026-03-27T00:30Z"));
    assert_eq!((spring.last_before.time, spring.last_before.offset_text()), (hm(1, 30), "+01:00".to_string()));
    assert_eq!(spring.first_after.instant_ms, ms("2026-03-30T00:30Z"));
    assert_eq!((spring.first_after.time, spring.first_after.offset_text()), (hm(2, 30), "+02:00".to_string()));
    assert_eq!(spring.shift_seconds(), 3600);
    // Re-saving for after the change gives the summer values.
    let intended = LocalTimeSchedule { time: hm(1, 30), days_of_week: WEEKDAYS.to_vec() };
    let resaved =
        time_to_storware_in_zone(&Tzdb, "Europe/Warsaw", &intended, OffsetReference::at(spring.first_after.instant_ms))
            .unwrap();
    assert_eq!(resaved.value.time_of_day_ms, 84_600_000);

    let autumn = next_drift(&winter_saved, &Tzdb, "Europe/Warsaw", ms("2026-05-01T00:00Z")).unwrap().unwrap();
    assert_eq!(autumn.last_before.instant_ms, ms("2026-10-23T00:30Z"));
    assert_eq!(autumn.last_before.time, hm(2, 30));
    assert_eq!(autumn.first_after.instant_ms, ms("2026-10-26T00:30Z"));
    assert_eq!(autumn.first_after.time, hm(1, 30));
    assert_eq!(autumn.shift_seconds(), -3600);
}

#[test]
fn drift_in_auckland_new_york_and_none_in_kolkata_or_utc() {
    let daily = at(75_600_000, Weekday::ALL);
    let nz = next_drift(&daily, &Tzdb, "Pacific/Auckland", ms("2026-01-10T00:00Z")).unwrap().unwrap();
    assert_eq!((nz.last_before.instant_ms, nz.last_before.time), (ms("2026-04-03T21:00Z"), hm(10, 0)));
    assert_eq!((nz.first_after.instant_ms, nz.first_after.time), (ms("2026-04-04T21:00Z"), hm(9, 0)));
    assert_eq!(nz.shift_seconds(), -3600);
    let nz = next_drift(&daily, &Tzdb, "Pacific/Auckland", ms("2026-05-01T00:00Z")).unwrap().unwrap();
    assert_eq!(nz.first_after.date, date(2026, 9, 27));
    assert_eq!(nz.shift_seconds(), 3600);
    let ny =
        next_drift(&at(7_200_000, &[Saturday]), &Tzdb, "America/New_York", ms("2026-02-25T00:00Z")).unwrap().unwrap();
    assert_eq!((ny.last_before.date, ny.first_after.date), (date(2026, 3, 6), date(2026, 3, 13)));
    assert_eq!(next_drift(&daily, &Tzdb, "Asia/Kolkata", ms("2026-01-10T00:00Z")), Ok(None));
    assert_eq!(next_drift(&daily, &Tzdb, "UTC", ms("2026-01-10T00:00Z")), Ok(None));
    assert_eq!(next_drift(&daily, &FixedZones, "+05:45", ms("2026-01-10T00:00Z")), Ok(None));
    assert!(next_drift(&daily, &Tzdb, "Nowhere/City", 0).is_err());
}

#[test]
fn drift_within_one_day_of_interval_runs() {
    let hourly = every(0, 82_800_000, 3_600_000, Weekday::ALL);
    let d = next_drift(&hourly, &Tzdb, "Europe/Warsaw", ms("2026-03-28T12:00Z")).unwrap().unwrap();
    assert_eq!((d.last_before.instant_ms, d.last_before.time), (ms("2026-03-29T00:00Z"), hm(1, 0)));
    assert_eq!((d.first_after.instant_ms, d.first_after.time), (ms("2026-03-29T01:00Z"), hm(3, 0)));
    let quarterly = every(0, 85_500_000, 900_000, Weekday::ALL);
    let d = next_drift(&quarterly, &Tzdb, "Europe/Warsaw", ms("2026-03-28T12:00Z")).unwrap().unwrap();
    assert_eq!(
        (d.last_before.instant_ms, d.first_after.instant_ms),
        (ms("2026-03-29T00:45Z"), ms("2026-03-29T01:00Z"))
    );
    // A change between one day's last run and the next day's first: New York's 07:00 UTC on 2026-03-08.
    // (03:00 EST on Saturday and 03:00 EDT on Sunday: the same wall-clock time, but an hour apart from each
    // day's other runs, so it counts.)
    let ny = every(25_200_000, 28_800_000, 1_800_000, &[Saturday, Sunday]);
    let d = next_drift(&ny, &Tzdb, "America/New_York", ms("2026-03-07T00:00Z")).unwrap().unwrap();
    assert_eq!(
        (d.last_before.instant_ms, d.first_after.instant_ms),
        (ms("2026-03-07T08:00Z"), ms("2026-03-08T07:00Z"))
    );
    assert_eq!((d.last_before.offset_seconds, d.first_after.offset_seconds), (-18_000, -14_400));
    // Within one day the other way round: the window's first run before the change, the rest after it.
    let ny = every(23_400_000, 28_800_000, 1_800_000, &[Sunday]);
    let d = next_drift(&ny, &Tzdb, "America/New_York", ms("2026-03-07T00:00Z")).unwrap().unwrap();
    assert_eq!(
        (d.last_before.instant_ms, d.first_after.instant_ms),
        (ms("2026-03-08T06:30Z"), ms("2026-03-08T07:00Z"))
    );
    assert_eq!((d.last_before.time, d.first_after.time), (hm(1, 30), hm(3, 0)));
}

// ---------------------------------------------------------------------------------------------------------------
// Properties

fn weekdays_from(mask: u8) -> Vec<Weekday> {
    Weekday::ALL.iter().copied().filter(|d| mask & (1 << d.index()) != 0).collect()
}

fn timing_strategy() -> impl Strategy<Value = ScheduleTiming> {
    let time_of_day = prop_oneof![4 => 0u32..86_400_000, 1 => any::<u32>()];
    let frequency = prop_oneof![3 => 60_000u64..86_400_000, 1 => 0u64..60_000, 1 => any::<u64>()];
    prop_oneof![
        (time_of_day.clone(), proptest::option::of(any::<u64>()))
            .prop_map(|(time_of_day_ms, start_window_ms)| ScheduleTiming::Time { time_of_day_ms, start_window_ms }),
        (time_of_day.clone(), time_of_day, frequency)
            .prop_map(|(start_ms, end_ms, frequency_ms)| ScheduleTiming::Interval { start_ms, end_ms, frequency_ms }),
    ]
}

fn schedule_strategy() -> impl Strategy<Value = Schedule> {
    let months = prop_oneof![2 => Just(0u16), 1 => any::<u16>()];
    let occurrences = prop_oneof![2 => Just(0u8), 1 => any::<u8>()];
    (timing_strategy(), any::<u8>(), months, occurrences, proptest::bool::weighted(0.9)).prop_map(
        |(timing, days, months, occurrences, active)| {
            let mut s = schedule(timing, &weekdays_from(days));
            s.active = active;
            s.months = Month::ALL.iter().copied().filter(|m| months & (1 << (m.number() - 1)) != 0).collect();
            s.occurrences = Occurrence::ALL
                .iter()
                .copied()
                .enumerate()
                .filter(|(i, _)| occurrences & (1 << i) != 0)
                .map(|(_, o)| o)
                .collect();
            s
        },
    )
}

fn now_strategy() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => ms("1990-01-01T00:00Z")..ms("2100-01-01T00:00Z"),
        1 => any::<i64>(),
        1 => MIN_INSTANT_MS..=MAX_INSTANT_MS,
    ]
}

/// Whether a UTC instant is one at which `s` fires, checked with jiff's calendar (independent of ours).
fn fires_at(s: &Schedule, t: i64) -> bool {
    let Ok(ts) = jiff::Timestamp::from_millisecond(t) else { return false };
    let dt = ts.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    let weekday = Weekday::from_index(i64::from(dt.weekday().to_monday_zero_offset()));
    let month = Month::ALL[dt.month() as usize - 1];
    let nth = (dt.day() - 1) / 7 + 1;
    let is_last = dt.date().nth_weekday_of_month(-1, dt.weekday()).unwrap() == dt.date();
    let occurrence_ok = s.occurrences.is_empty()
        || s.occurrences.iter().any(|o| match o {
            Occurrence::First => nth == 1,
            Occurrence::Second => nth == 2,
            Occurrence::Third => nth == 3,
            Occurrence::Fourth => nth == 4,
            Occurrence::Last => is_last,
        });
    let ms_of_day = t.rem_euclid(DAY);
    let time_ok = match s.timing {
        ScheduleTiming::Time { time_of_day_ms, .. } => ms_of_day == i64::from(time_of_day_ms),
        ScheduleTiming::Interval { start_ms, end_ms, frequency_ms } => {
            let (start, end) = (i64::from(start_ms), i64::from(end_ms));
            frequency_ms > 0
                && ms_of_day >= start
                && ms_of_day <= end
                && u64::try_from(ms_of_day - start).unwrap() % frequency_ms == 0
        }
    };
    s.active
        && s.days_of_week.contains(&weekday)
        && (s.months.is_empty() || s.months.contains(&month))
        && occurrence_ok
        && time_ok
}

#[test]
fn next_runs_are_increasing_match_the_schedule_and_never_panic() {
    let mut runner = TestRunner::new(Config { cases: 10_000, failure_persistence: None, ..Config::default() });
    runner
        .run(&(schedule_strategy(), now_strategy(), 0usize..40), |(s, now, limit)| {
            let runs = next_runs(&s, now, limit);
            prop_assert!(runs.len() <= limit);
            prop_assert!(runs.windows(2).all(|w| w[0] < w[1]), "not increasing: {:?}", runs);
            prop_assert_eq!(next_run(&s, now), next_runs(&s, now, 1).first().copied());
            for run in &runs {
                prop_assert!(*run >= now && *run - now <= (LOOKAHEAD_DAYS + 1) * DAY);
                if *run < ms("9999-01-01T00:00Z") && *run > ms("-009999-01-03T00:00Z") {
                    prop_assert!(fires_at(&s, *run), "{} is not a run of {:?}", run, s);
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn next_runs_miss_no_run_of_time_schedules() {
    let mut runner = TestRunner::new(Config { cases: 2_000, failure_persistence: None, ..Config::default() });
    let strategy = (schedule_strategy(), ms("2000-01-01T00:00Z")..ms("2090-01-01T00:00Z"), 1usize..12);
    runner
        .run(&strategy, |(mut s, now, limit)| {
            if let ScheduleTiming::Interval { start_ms, .. } = s.timing {
                s.timing = ScheduleTiming::Time { time_of_day_ms: start_ms, start_window_ms: None };
            }
            let runs = next_runs(&s, now, limit);
            // Every day from `now` to the last run (or to the lookahead's end) is checked on its own.
            let horizon = if runs.len() == limit { *runs.last().unwrap() } else { now + LOOKAHEAD_DAYS * DAY };
            let ScheduleTiming::Time { time_of_day_ms, .. } = s.timing else { unreachable!() };
            let mut expected = Vec::new();
            let mut day_start = now.div_euclid(DAY) * DAY;
            while day_start <= horizon && expected.len() < limit {
                let t = day_start + i64::from(time_of_day_ms);
                if t >= now && t <= horizon && fires_at(&s, t) {
                    expected.push(t);
                }
                day_start += DAY;
            }
            prop_assert_eq!(runs, expected);
            Ok(())
        })
        .unwrap();
}

#[test]
fn next_runs_miss_no_run_of_interval_schedules() {
    let mut runner = TestRunner::new(Config { cases: 2_000, failure_persistence: None, ..Config::default() });
    let interval = (0u32..86_400_000, 0u32..86_400_000, 300_000u64..=43_200_000, 1u8..128);
    let strategy = (interval, ms("2000-01-01T00:00Z")..ms("2090-01-01T00:00Z"), 1usize..40);
    runner
        .run(&strategy, |((a, b, frequency_ms, days), now, limit)| {
            let s = every(a.min(b), a.max(b), frequency_ms, &weekdays_from(days));
            let runs = next_runs(&s, now, limit);
            prop_assert_eq!(runs.len(), limit); // some day of every week fires
            let mut expected = Vec::new();
            let mut t = now.div_euclid(DAY) * DAY + i64::from(a.min(b));
            while expected.len() < limit {
                // Step through every candidate instant of the window, day by day.
                if t >= now && fires_at(&s, t) {
                    expected.push(t);
                }
                let next = t + frequency_ms as i64;
                t = if next.rem_euclid(DAY) > i64::from(a.max(b)) || next.div_euclid(DAY) != t.div_euclid(DAY) {
                    (t.div_euclid(DAY) + 1) * DAY + i64::from(a.min(b))
                } else {
                    next
                };
            }
            prop_assert_eq!(runs, expected);
            Ok(())
        })
        .unwrap();
}

#[test]
fn drift_is_consistent_and_never_panics() {
    let mut runner = TestRunner::new(Config { cases: 400, failure_persistence: None, ..Config::default() });
    let strategy = (schedule_strategy(), 0..ZONES.len(), ms("2000-01-01T00:00Z")..ms("2090-01-01T00:00Z"));
    runner
        .run(&strategy, |(s, zone, now)| {
            let zone = ZONES[zone];
            let drift = next_drift(&s, &Tzdb, zone, now).unwrap();
            let first = next_run(&s, now);
            match (drift, first) {
                (Some(d), Some(first)) => {
                    prop_assert!(d.last_before.instant_ms >= first);
                    prop_assert_eq!(d.last_before.offset_seconds, offset_of(zone, first));
                    prop_assert!(d.first_after.offset_seconds != d.last_before.offset_seconds);
                    prop_assert_eq!(next_run(&s, d.last_before.instant_ms + 1), Some(d.first_after.instant_ms));
                    prop_assert!(zone != "UTC" && zone != "Asia/Kolkata");
                }
                (Some(_), None) => prop_assert!(false, "drift without runs"),
                (None, _) => {}
            }
            Ok(())
        })
        .unwrap();
}

fn offset_of(zone: &str, t: i64) -> i32 {
    Tzdb.offset_seconds(zone, t).unwrap()
}
