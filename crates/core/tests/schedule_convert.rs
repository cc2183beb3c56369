//! Calendar arithmetic, zone offsets, wall clock ⇄ instant and local ⇄ Storware schedule conversion, checked
//! against jiff's tzdb and the worked example of storware-api.md §6.
#![allow(clippy::unwrap_used)]

mod tz;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use vmbackup_core::domain::Weekday::{self, *};
use vmbackup_core::domain::{Month, Occurrence, Schedule};
use vmbackup_core::error::{ErrorKind, ValidationCode};
use vmbackup_core::schedule::civil::{
    days_from_civil, days_in_month, is_leap_year, month_from_number, split_instant, weekday_from_days, CivilDate,
    TimeOfDay, MAX_INSTANT_MS, MIN_INSTANT_MS,
};
use vmbackup_core::schedule::convert::{format_offset, shifted_days, sorted_days};
use vmbackup_core::schedule::zone::{offset_at, parse_fixed_zone};
use vmbackup_core::schedule::*;
use vmbackup_core::ApiError;

use jiff::tz::AmbiguousOffset;
use tz::{jiff_local_to_ms, ms, Tzdb, ZONES};

const WEEKDAYS: [Weekday; 5] = [Monday, Tuesday, Wednesday, Thursday, Friday];
const DAY: i64 = 86_400_000;

fn hm(hour: u8, minute: u8) -> TimeOfDay {
    TimeOfDay::from_hm(hour, minute).unwrap()
}

fn date(year: i32, month: u8, day: u8) -> CivilDate {
    CivilDate::new(year, month, day).unwrap()
}

fn jiff_weekday(w: jiff::civil::Weekday) -> Weekday {
    Weekday::from_index(i64::from(w.to_monday_zero_offset()))
}

// ---------------------------------------------------------------------------------------------------------------
// Civil dates

#[test]
fn every_jiff_date_has_the_same_day_number_weekday_and_month_length() {
    let epoch = jiff::civil::date(1970, 1, 1);
    let mut day = jiff::civil::Date::MIN;
    let mut expected_days = days_from_civil(-9999, 1, 1);
    assert_eq!(expected_days, -(day.until(epoch).unwrap().get_days() as i64));
    loop {
        let ours = CivilDate::from_days(expected_days).unwrap();
        assert_eq!((ours.year, ours.month, ours.day), (i32::from(day.year()), day.month() as u8, day.day() as u8));
        assert_eq!(ours.to_days(), expected_days);
        assert_eq!(weekday_from_days(expected_days), jiff_weekday(day.weekday()), "{day}");
        assert_eq!(ours.days_in_month() as i8, day.days_in_month(), "{day}");
        assert_eq!(is_leap_year(ours.year), day.in_leap_year(), "{day}");
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
        expected_days += 1;
    }
    assert_eq!(CivilDate::from_days(expected_days), CivilDate::new(9999, 12, 31));
}

#[test]
fn occurrence_in_month_agrees_with_jiff_from_1900_to_2100() {
    let mut day = jiff::civil::date(1900, 1, 1);
    while day.year() <= 2100 {
        let ours = date(i32::from(day.year()), day.month() as u8, day.day() as u8).occurrence();
        let nth = (1..=5).find(|n| day.nth_weekday_of_month(*n, day.weekday()).ok() == Some(day)).unwrap();
        assert_eq!(ours.nth, nth as u8, "{day}");
        assert_eq!(ours.is_last, day.nth_weekday_of_month(-1, day.weekday()).unwrap() == day, "{day}");
        day = day.tomorrow().unwrap();
    }
}

#[test]
fn known_dates() {
    assert_eq!(date(1970, 1, 1).to_days(), 0);
    assert_eq!(date(1970, 1, 1).weekday(), Thursday);
    assert_eq!(date(2000, 3, 1).to_days(), 11_017);
    assert_eq!(date(1969, 12, 31).to_days(), -1);
    assert_eq!(date(2026, 3, 29).weekday(), Sunday);
    assert_eq!(date(2026, 3, 29).month_of_year(), Some(Month::March));
    assert_eq!(date(2026, 2, 28).days_in_month(), 28);
    assert_eq!(date(2024, 2, 1).days_in_month(), 29);
    assert_eq!(days_in_month(1900, 2), 28);
    assert_eq!(days_in_month(2000, 2), 29);
    assert_eq!(days_in_month(2026, 13), 0);
    assert_eq!(month_from_number(12), Some(Month::December));
    assert_eq!(month_from_number(0), None);
    assert_eq!(month_from_number(13), None);
    assert!(CivilDate::new(2026, 2, 29).is_none());
    assert!(CivilDate::new(2026, 4, 31).is_none());
    assert!(CivilDate::new(2026, 0, 1).is_none());
    assert_eq!(date(2026, 12, 31).add_days(1), Some(date(2027, 1, 1)));
    assert_eq!(date(2024, 3, 1).add_days(-1), Some(date(2024, 2, 29)));
    assert_eq!(date(2026, 3, 29).to_string(), "2026-03-29");
    assert_eq!(date(-44, 3, 15).to_string(), "-000044-03-15");
}

#[test]
fn occurrences_first_fourth_fifth_and_last() {
    // Last Sunday of March 2026: Europe's spring-forward day, the 5th Sunday.
    let spring = date(2026, 3, 29).occurrence();
    assert_eq!((spring.nth, spring.is_last), (5, true));
    assert!(spring.matches(Occurrence::Last));
    assert!(!spring.matches(Occurrence::Fourth));
    // 28 February 2026 (a Saturday): the 4th and the last.
    let feb = date(2026, 2, 28).occurrence();
    assert_eq!((feb.nth, feb.is_last), (4, true));
    assert!(feb.matches(Occurrence::Fourth) && feb.matches(Occurrence::Last));
    // 29 February 2024 (a Thursday): the 5th and last.
    assert_eq!(date(2024, 2, 29).occurrence().nth, 5);
    // 1 January 2026: the first Thursday, not the last.
    let first = date(2026, 1, 1).occurrence();
    assert!(first.matches(Occurrence::First) && !first.matches(Occurrence::Last));
    assert!(first.matches_any(&[]));
    assert!(first.matches_any(&[Occurrence::Third, Occurrence::First]));
    assert!(!first.matches_any(&[Occurrence::Second, Occurrence::Last]));
    // 22 October 2026 (a Thursday): 4th, with a 5th Thursday (29th) still to come.
    let oct = date(2026, 10, 22).occurrence();
    assert_eq!((oct.nth, oct.is_last), (4, false));
}

#[test]
fn day_ranges_and_instants() {
    assert_eq!(split_instant(-1), (-1, 86_399_999));
    assert_eq!(split_instant(DAY + 5), (1, 5));
    assert!(CivilDate::of_instant(MIN_INSTANT_MS).is_some());
    assert!(CivilDate::of_instant(MAX_INSTANT_MS).is_some());
    assert_eq!(CivilDate::of_instant(MAX_INSTANT_MS + 1), None);
    assert_eq!(CivilDate::of_instant(i64::MIN), None);
    assert_eq!(CivilDate::from_days(i64::MAX), None);
    assert_eq!(CivilDate::from_days(i64::MIN), None);
    assert_eq!(CivilDate::of_instant(MAX_INSTANT_MS), CivilDate::new(275_760, 9, 13));
    assert_eq!(CivilDate::of_instant(MIN_INSTANT_MS), CivilDate::new(-271_821, 4, 20));
    // An invalid date never panics, even with an absurd day.
    let odd = CivilDate { year: 2026, month: 2, day: 255 };
    let _ = (odd.to_days(), odd.weekday(), odd.occurrence(), odd.is_valid());
    let odd = CivilDate { year: i32::MIN, month: 200, day: 0 };
    let _ = (odd.to_days(), odd.weekday(), odd.occurrence(), odd.month_of_year());
}

#[test]
fn time_of_day() {
    assert_eq!(hm(1, 30).as_ms(), 5_400_000);
    assert_eq!((hm(23, 59).hour(), hm(23, 59).minute()), (23, 59));
    assert_eq!(TimeOfDay::from_hm(24, 0), None);
    assert_eq!(TimeOfDay::from_hm(0, 60), None);
    assert_eq!(TimeOfDay::from_hms_milli(0, 0, 60, 0), None);
    assert_eq!(TimeOfDay::from_hms_milli(0, 0, 0, 1000), None);
    assert_eq!(TimeOfDay::from_ms(86_399_999).map(|t| t.to_string()).as_deref(), Some("23:59:59.999"));
    assert_eq!(TimeOfDay::from_ms(86_400_000), None);
    assert_eq!(TimeOfDay::from_ms_wrapping(-1).as_ms(), 86_399_999);
    assert_eq!(TimeOfDay::from_ms_wrapping(DAY + 60_000), hm(0, 1));
    assert_eq!(TimeOfDay::from_hms_milli(7, 5, 9, 0).unwrap().to_string(), "07:05:09");
    assert_eq!(hm(7, 5).to_string(), "07:05");
    assert_eq!(serde_json::to_string(&hm(1, 30)).unwrap(), "5400000");
    assert_eq!(serde_json::from_str::<TimeOfDay>("5400000").unwrap(), hm(1, 30));
    assert!(serde_json::from_str::<TimeOfDay>("86400000").is_err());
}

// ---------------------------------------------------------------------------------------------------------------
// Zones

#[test]
fn fixed_zones_know_utc_names_and_offsets() {
    for name in ["UTC", "utc", "Etc/UTC", "GMT", "Etc/GMT", "Etc/GMT+0", "Etc/GMT-0", "GMT0", "Z", "Zulu", "UCT"] {
        assert_eq!(FixedZones.offset_seconds(name, 0), Ok(0), "{name}");
    }
    let cases = [
        ("+05:30", 19_800),
        ("-04:00", -14_400),
        ("+0545", 20_700),
        ("-3", -10_800),
        ("UTC+05:30", 19_800),
        ("UTC-10", -36_000),
        ("GMT+1", 3600),
        ("+14:00", 50_400),
        ("\u{2212}02:30", -9000),
        ("+18:00", 64_800),
        ("+01:02:03", 3723),
        ("Etc/GMT-5", 18_000),
        ("Etc/GMT+12", -43_200),
        ("Etc/GMT-14", 50_400),
    ];
    for (name, seconds) in cases {
        assert_eq!(parse_fixed_zone(name), Some(seconds), "{name}");
        assert_eq!(FixedZones.offset_seconds(name, 1_000), Ok(seconds), "{name}");
    }
    for name in [
        "Europe/Warsaw",
        "",
        "+",
        "+5:3",
        "+05:60",
        "+18:01",
        "+123",
        "UTC+",
        "Etc/GMT+13",
        "Etc/GMT-15",
        "Etc/GMT+5:30",
        "05:30",
        "+05:30:00:00",
        "UTC+05:3x",
    ] {
        assert_eq!(FixedZones.offset_seconds(name, 0), Err(ZoneError::UnknownZone(name.to_string())), "{name}");
    }
}

#[test]
fn with_fixed_zones_answers_fixed_names_itself_and_delegates_the_rest() {
    let zones = WithFixedZones(Tzdb);
    assert_eq!(zones.offset_seconds("+03:00", 0), Ok(10_800));
    assert_eq!(zones.offset_seconds("Europe/Warsaw", ms("2026-07-01T00:00Z")), Ok(7200));
    assert_eq!(zones.offset_seconds("Mars/Olympus", 0), Err(ZoneError::UnknownZone("Mars/Olympus".into())));
}

struct Broken(i32);
impl ZoneOffsets for Broken {
    fn offset_seconds(&self, _zone: &str, _instant_ms: i64) -> Result<i32, ZoneError> {
        Ok(self.0)
    }
}

#[test]
fn impossible_offsets_from_a_provider_are_errors_not_overflows() {
    for seconds in [i32::MAX, i32::MIN, 26 * 3600, -26 * 3600] {
        let expected = ZoneError::InvalidOffset { zone: "X".into(), seconds };
        assert_eq!(offset_at(&Broken(seconds), "X", 0), Err(expected.clone()));
        assert_eq!(instant_to_local(&Broken(seconds), "X", 0), Err(expected.clone()));
        assert_eq!(local_to_instant(&Broken(seconds), "X", date(2026, 1, 1), hm(1, 0)), Err(expected.clone()));
        let daily = LocalTimeSchedule { time: hm(1, 0), days_of_week: vec![Monday] };
        assert_eq!(
            time_to_storware_in_zone(&Broken(seconds), "X", &daily, OffsetReference::next_run(0)),
            Err(expected)
        );
    }
    assert_eq!(offset_at(&Broken(-25 * 3600), "X", 0), Ok(-25 * 3600));
    assert_eq!(offset_at(&FixedZones, "+18:00", 0), Ok(18 * 3600));
    assert_eq!(offset_at(&FixedZones, "+18:01", 0), Err(ZoneError::UnknownZone("+18:01".into())));
}

#[test]
fn zone_errors_become_time_zone_field_errors() {
    let e = ApiError::from(ZoneError::UnknownZone("Mars/Olympus".into()));
    assert_eq!(e.kind, ErrorKind::Validation);
    assert_eq!(e.field.as_deref(), Some("timeZone"));
    assert_eq!(e.fields[0].code, ValidationCode::UnknownTimeZone);
    assert!(e.message.contains("Mars/Olympus"), "{}", e.message);
    assert_eq!(ApiError::from(ZoneError::InstantOutOfRange(1)).fields[0].code, ValidationCode::OutOfRange);
}

#[test]
fn format_offsets() {
    assert_eq!(format_offset(0), "+00:00");
    assert_eq!(format_offset(3600), "+01:00");
    assert_eq!(format_offset(-16_200), "-04:30");
    assert_eq!(format_offset(19_800), "+05:30");
    assert_eq!(format_offset(-3723), "-01:02:03");
}

// ---------------------------------------------------------------------------------------------------------------
// Wall clock ⇄ instant

#[test]
fn gaps_take_the_later_instant_and_repeated_hours_the_earlier() {
    let cases = [
        // Warsaw springs forward 2026-03-29 02:00 → 03:00: 02:30 does not exist → 03:30 CEST.
        ("Europe/Warsaw", date(2026, 3, 29), hm(2, 30), "2026-03-29T01:30Z"),
        ("Europe/Warsaw", date(2026, 3, 29), hm(1, 59), "2026-03-29T00:59Z"),
        ("Europe/Warsaw", date(2026, 3, 29), hm(3, 0), "2026-03-29T01:00Z"),
        // Warsaw falls back 2026-10-25 03:00 → 02:00: 02:30 happens twice → the first (CEST).
        ("Europe/Warsaw", date(2026, 10, 25), hm(2, 30), "2026-10-25T00:30Z"),
        ("Europe/Warsaw", date(2026, 10, 25), hm(3, 0), "2026-10-25T02:00Z"),
        ("Europe/Warsaw", date(2026, 10, 25), hm(1, 59), "2026-10-24T23:59Z"),
        // New York: 2026-03-08 02:00 → 03:00 and 2026-11-01 02:00 → 01:00.
        ("America/New_York", date(2026, 3, 8), hm(2, 30), "2026-03-08T07:30Z"),
        ("America/New_York", date(2026, 11, 1), hm(1, 30), "2026-11-01T05:30Z"),
        ("America/New_York", date(2026, 11, 1), hm(2, 0), "2026-11-01T07:00Z"),
        // Auckland: NZDT ends 2026-04-05 03:00 → 02:00, NZDT starts 2026-09-27 02:00 → 03:00.
        ("Pacific/Auckland", date(2026, 4, 5), hm(2, 30), "2026-04-04T13:30Z"),
        ("Pacific/Auckland", date(2026, 9, 27), hm(2, 30), "2026-09-26T14:30Z"),
        // Kolkata: always +05:30.
        ("Asia/Kolkata", date(2026, 3, 29), hm(2, 30), "2026-03-28T21:00Z"),
        ("UTC", date(2026, 3, 29), hm(2, 30), "2026-03-29T02:30Z"),
    ];
    for (zone, day, time, expected) in cases {
        assert_eq!(local_to_instant(&Tzdb, zone, day, time), Ok(ms(expected)), "{zone} {day} {time}");
    }
}

#[test]
fn readings_are_unique_repeated_or_skipped() {
    let warsaw = |d: CivilDate, t: TimeOfDay| resolve_local(&Tzdb, "Europe/Warsaw", d, t).unwrap();
    assert_eq!(
        warsaw(date(2026, 10, 25), hm(2, 30)),
        LocalInstant::Repeated { earlier_ms: ms("2026-10-25T00:30Z"), later_ms: ms("2026-10-25T01:30Z") }
    );
    assert_eq!(warsaw(date(2026, 3, 29), hm(2, 30)), LocalInstant::Skipped { after_gap_ms: ms("2026-03-29T01:30Z") });
    assert_eq!(warsaw(date(2026, 3, 29), hm(2, 30)).compatible(), ms("2026-03-29T01:30Z"));
    assert_eq!(warsaw(date(2026, 10, 25), hm(2, 30)).compatible(), ms("2026-10-25T00:30Z"));
    assert_eq!(warsaw(date(2026, 6, 1), hm(2, 30)), LocalInstant::Unique { instant_ms: ms("2026-06-01T00:30Z") });
    assert_eq!(
        resolve_local(&FixedZones, "UTC", date(2026, 6, 1), hm(2, 30)),
        Ok(LocalInstant::Unique { instant_ms: ms("2026-06-01T02:30Z") })
    );
}

#[test]
fn instants_read_as_local_times() {
    let local = instant_to_local(&Tzdb, "Europe/Warsaw", ms("2026-03-29T01:30Z")).unwrap();
    assert_eq!(
        (local.date, local.time, local.weekday, local.offset_seconds),
        (date(2026, 3, 29), hm(3, 30), Sunday, 7200)
    );
    assert_eq!(local.offset_text(), "+02:00");
    let local = instant_to_local(&Tzdb, "Asia/Kolkata", ms("2026-03-28T18:30Z")).unwrap();
    assert_eq!((local.date, local.time, local.weekday), (date(2026, 3, 29), hm(0, 0), Sunday));
    let local = instant_to_local(&Tzdb, "America/New_York", ms("2026-01-01T03:00Z")).unwrap();
    assert_eq!((local.date, local.time, local.offset_text()), (date(2025, 12, 31), hm(22, 0), "-05:00".to_string()));
    assert_eq!(instant_to_local(&Tzdb, "Nowhere/City", 0), Err(ZoneError::UnknownZone("Nowhere/City".into())));
    assert_eq!(instant_to_local(&FixedZones, "UTC", i64::MAX), Err(ZoneError::InstantOutOfRange(i64::MAX)));
    assert!(local_to_instant(&FixedZones, "UTC", CivilDate { year: i32::MAX, month: 12, day: 31 }, hm(0, 0)).is_err());
}

#[test]
fn local_to_instant_agrees_with_jiff_compatible_every_half_hour_around_2026_transitions() {
    let days = [
        date(2026, 3, 8),
        date(2026, 3, 29),
        date(2026, 4, 5),
        date(2026, 9, 27),
        date(2026, 10, 25),
        date(2026, 11, 1),
        date(2026, 6, 15),
    ];
    for zone in ZONES {
        for day in days {
            for offset in -1..=1 {
                let d = day.add_days(offset).unwrap();
                for half_hours in 0..48u8 {
                    let time = hm(half_hours / 2, half_hours % 2 * 30);
                    let text = format!("{d}T{time}");
                    assert_eq!(
                        local_to_instant(&Tzdb, zone, d, time),
                        Ok(jiff_local_to_ms(zone, &text)),
                        "{zone} {text}"
                    );
                    // Every instant of the reading, against jiff's own classification.
                    let local_ms = d.to_days() * DAY + i64::from(time.as_ms());
                    let dt: jiff::civil::DateTime = text.parse().unwrap();
                    let at = |offset: jiff::tz::Offset| local_ms - i64::from(offset.seconds()) * 1000;
                    let expected = match tz::zone_named(zone).unwrap().to_ambiguous_timestamp(dt).offset() {
                        AmbiguousOffset::Unambiguous { offset } => LocalInstant::Unique { instant_ms: at(offset) },
                        AmbiguousOffset::Fold { before, after } => {
                            LocalInstant::Repeated { earlier_ms: at(before), later_ms: at(after) }
                        }
                        AmbiguousOffset::Gap { before, .. } => LocalInstant::Skipped { after_gap_ms: at(before) },
                    };
                    assert_eq!(resolve_local(&Tzdb, zone, d, time), Ok(expected), "{zone} {text}");
                }
            }
        }
    }
}

#[test]
fn local_to_instant_agrees_with_jiff_for_random_times_1970_to_2040() {
    let mut runner = TestRunner::new(Config { cases: 10_000, failure_persistence: None, ..Config::default() });
    let strategy = (0..ZONES.len(), 0i64..25_567, 0u32..1440);
    runner
        .run(&strategy, |(zone, days, minutes)| {
            let zone = ZONES[zone];
            let d = CivilDate::from_days(days).unwrap();
            let time = TimeOfDay::from_ms(minutes * 60_000).unwrap();
            let expected = jiff_local_to_ms(zone, &format!("{d}T{time}"));
            prop_assert_eq!(local_to_instant(&Tzdb, zone, d, time), Ok(expected));
            let back = instant_to_local(&Tzdb, zone, expected).unwrap();
            let jiff_back =
                jiff::Timestamp::from_millisecond(expected).unwrap().to_zoned(tz::zone_named(zone).unwrap());
            prop_assert_eq!(back.time.as_ms(), (jiff_back.hour() as u32 * 60 + jiff_back.minute() as u32) * 60_000);
            prop_assert_eq!(back.date.to_string(), jiff_back.date().to_string());
            prop_assert_eq!(back.offset_seconds, jiff_back.offset().seconds());
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------------------------------------------
// Local ⇄ Storware, TIME

fn weekdays_0130() -> LocalTimeSchedule {
    LocalTimeSchedule { time: hm(1, 30), days_of_week: WEEKDAYS.to_vec() }
}

#[test]
fn worked_example_warsaw_0130_weekdays_saved_in_january_and_in_july() {
    // Saved on 2026-01-14 (CET, UTC+1): 00:30 UTC the same day.
    let winter = time_to_storware_in_zone(
        &Tzdb,
        "Europe/Warsaw",
        &weekdays_0130(),
        OffsetReference::next_run(ms("2026-01-14T12:00Z")),
    )
    .unwrap();
    assert_eq!(winter.value, StorwareTime { time_of_day_ms: 1_800_000, days_of_week: WEEKDAYS.to_vec() });
    assert_eq!(winter.offset_seconds, 3600);
    assert_eq!(winter.reference_ms, ms("2026-01-15T00:30Z")); // Thursday 01:30 CET, the next run

    // Saved on 2026-07-14 (CEST, UTC+2): 23:30 UTC the day before.
    let summer = time_to_storware_in_zone(
        &Tzdb,
        "Europe/Warsaw",
        &weekdays_0130(),
        OffsetReference::next_run(ms("2026-07-14T12:00Z")),
    )
    .unwrap();
    assert_eq!(summer.value.time_of_day_ms, 84_600_000);
    assert_eq!(summer.value.days_of_week, vec![Monday, Tuesday, Wednesday, Thursday, Sunday]);
    assert_eq!(summer.offset_seconds, 7200);
    assert_eq!(summer.reference_ms, ms("2026-07-14T23:30Z"));
    // The same with the offset given directly, and the JSON the form sends on.
    assert_eq!(time_to_storware(&weekdays_0130(), 3600), winter.value);
    assert_eq!(time_to_storware(&weekdays_0130(), 7200), summer.value);
    assert_eq!(
        summer.value.timing(Some(21_600_000)),
        vmbackup_core::domain::ScheduleTiming::Time { time_of_day_ms: 84_600_000, start_window_ms: Some(21_600_000) }
    );
}

#[test]
fn next_run_reference_uses_the_offset_of_the_run_not_of_the_editing_moment() {
    // Saturday 2026-03-28 (still CET): the next weekday run is Monday 2026-03-30, already CEST.
    let saturday = ms("2026-03-28T12:00Z");
    let next = time_to_storware_in_zone(&Tzdb, "Europe/Warsaw", &weekdays_0130(), OffsetReference::next_run(saturday))
        .unwrap();
    assert_eq!((next.value.time_of_day_ms, next.offset_seconds), (84_600_000, 7200));
    assert_eq!(next.reference_ms, ms("2026-03-29T23:30Z"));
    // Storware's own UI takes the offset of "now": the CET answer, an hour off from Monday on.
    let now =
        time_to_storware_in_zone(&Tzdb, "Europe/Warsaw", &weekdays_0130(), OffsetReference::at(saturday)).unwrap();
    assert_eq!((now.value.time_of_day_ms, now.offset_seconds, now.reference_ms), (1_800_000, 3600, saturday));
}

#[test]
fn next_local_occurrence_is_inclusive_and_honours_days_and_gaps() {
    let at_run = ms("2026-01-15T00:30Z"); // Thursday 01:30 CET
    assert_eq!(next_local_occurrence(&Tzdb, "Europe/Warsaw", hm(1, 30), &WEEKDAYS, at_run), Ok(Some(at_run)));
    assert_eq!(
        next_local_occurrence(&Tzdb, "Europe/Warsaw", hm(1, 30), &WEEKDAYS, at_run + 1),
        Ok(Some(ms("2026-01-16T00:30Z")))
    );
    assert_eq!(
        next_local_occurrence(&Tzdb, "Europe/Warsaw", hm(1, 30), &[Monday], at_run + 1),
        Ok(Some(ms("2026-01-19T00:30Z")))
    );
    // No day chosen: any day.
    assert_eq!(
        next_local_occurrence(&Tzdb, "Europe/Warsaw", hm(1, 30), &[], at_run + 1),
        Ok(Some(ms("2026-01-16T00:30Z")))
    );
    // 02:30 on the spring-forward Sunday is 03:30 CEST.
    assert_eq!(
        next_local_occurrence(&Tzdb, "Europe/Warsaw", hm(2, 30), &[Sunday], ms("2026-03-28T12:00Z")),
        Ok(Some(ms("2026-03-29T01:30Z")))
    );
    // New York falls back at 06:00 UTC on 2026-11-01: 01:00 EDT has passed, 01:00 EST is still to come.
    assert_eq!(
        next_local_occurrence(&Tzdb, "America/New_York", hm(1, 0), &[Sunday], ms("2026-11-01T05:30Z")),
        Ok(Some(ms("2026-11-01T06:00Z")))
    );
    assert_eq!(
        next_local_occurrence(&Tzdb, "America/New_York", hm(1, 0), &[Sunday], ms("2026-11-01T05:00Z")),
        Ok(Some(ms("2026-11-01T05:00Z")))
    );
    assert_eq!(
        next_local_occurrence(&Tzdb, "America/New_York", hm(1, 0), &[Sunday], ms("2026-11-01T06:00:00.001Z")),
        Ok(Some(ms("2026-11-08T06:00Z")))
    );
    // Kolkata: a local date starts the UTC day before.
    assert_eq!(
        next_local_occurrence(&Tzdb, "Asia/Kolkata", hm(0, 15), &[Monday], ms("2026-03-29T18:00Z")),
        Ok(Some(ms("2026-03-29T18:45Z")))
    );
}

#[test]
fn a_time_in_the_spring_gap_is_saved_with_the_offset_after_the_gap() {
    // Saturday 2026-03-28: "Sundays 02:30" next happens on the 29th, inside Warsaw's gap → 03:30 CEST.
    let sundays = LocalTimeSchedule { time: hm(2, 30), days_of_week: vec![Sunday] };
    let saved =
        time_to_storware_in_zone(&Tzdb, "Europe/Warsaw", &sundays, OffsetReference::next_run(ms("2026-03-28T12:00Z")))
            .unwrap();
    assert_eq!((saved.reference_ms, saved.offset_seconds), (ms("2026-03-29T01:30Z"), 7200));
    assert_eq!(saved.value, StorwareTime { time_of_day_ms: 1_800_000, days_of_week: vec![Sunday] });
    // So it runs at 01:30 CET that very Sunday (00:30 UTC, before the jump), then at 02:30 CEST every Sunday.
    let stored = Schedule {
        id: None,
        name: "sundays".into(),
        active: true,
        kind: vmbackup_core::domain::ScheduleType::VmBackup,
        backup_type: vmbackup_core::domain::BackupType::Full,
        timing: saved.value.timing(None),
        days_of_week: saved.value.days_of_week.clone(),
        months: vec![],
        occurrences: vec![],
        rules: vec![],
        policies: vec![],
        server_fields: Default::default(),
    };
    let runs = next_runs_in_zone(&stored, &Tzdb, "Europe/Warsaw", ms("2026-03-28T12:00Z"), 2).unwrap();
    assert_eq!((runs[0].time, runs[0].offset_seconds), (hm(1, 30), 3600));
    assert_eq!((runs[1].time, runs[1].offset_seconds), (hm(2, 30), 7200));
}

#[test]
fn storware_back_to_local_for_display() {
    let winter_saved = StorwareTime { time_of_day_ms: 1_800_000, days_of_week: WEEKDAYS.to_vec() };
    // In July the winter-saved schedule runs at 02:30 local, still Monday–Friday.
    let july =
        time_from_storware_in_zone(&Tzdb, "Europe/Warsaw", &winter_saved, OffsetReference::at(ms("2026-07-01T00:00Z")))
            .unwrap();
    assert_eq!(july.value, LocalTimeSchedule { time: hm(2, 30), days_of_week: WEEKDAYS.to_vec() });
    // The summer-saved one runs at 00:30 local in winter, Monday–Friday local.
    let summer_saved =
        StorwareTime { time_of_day_ms: 84_600_000, days_of_week: vec![Sunday, Monday, Tuesday, Wednesday, Thursday] };
    let january = time_from_storware(&summer_saved, 3600);
    assert_eq!(january, LocalTimeSchedule { time: hm(0, 30), days_of_week: WEEKDAYS.to_vec() });
    assert_eq!(time_from_storware(&summer_saved, 7200), weekdays_0130());
    // NextRun: the next UTC run decides. Saturday 2026-03-28 → Sunday 23:30 UTC = Monday 01:30 CEST.
    let shown = time_from_storware_in_zone(
        &Tzdb,
        "Europe/Warsaw",
        &summer_saved,
        OffsetReference::next_run(ms("2026-03-28T12:00Z")),
    )
    .unwrap();
    assert_eq!((shown.value.clone(), shown.reference_ms), (weekdays_0130(), ms("2026-03-29T23:30Z")));
    // On the fall-back night the next run comes once more at 02:30 CEST, and the form says so.
    let daily = StorwareTime { time_of_day_ms: 1_800_000, days_of_week: Weekday::ALL.to_vec() };
    let shown =
        time_from_storware_in_zone(&Tzdb, "Europe/Warsaw", &daily, OffsetReference::next_run(ms("2026-10-24T23:45Z")))
            .unwrap();
    assert_eq!((shown.value.time, shown.offset_seconds), (hm(2, 30), 7200));
    let shown =
        time_from_storware_in_zone(&Tzdb, "Europe/Warsaw", &daily, OffsetReference::next_run(ms("2026-10-25T00:31Z")))
            .unwrap();
    assert_eq!((shown.value.time, shown.offset_seconds), (hm(1, 30), 3600));
}

/// (zone, local time, local days, saved at, expected UTC ms of day, expected UTC days, expected offset)
type ConversionCase = (&'static str, TimeOfDay, &'static [Weekday], &'static str, u32, &'static [Weekday], i32);

#[test]
fn conversions_in_each_zone_across_2026() {
    let cases: &[ConversionCase] = &[
        ("America/New_York", hm(21, 0), &[Friday], "2026-01-05T00:00Z", 7_200_000, &[Saturday], -18_000),
        ("America/New_York", hm(21, 0), &[Friday], "2026-07-05T00:00Z", 3_600_000, &[Saturday], -14_400),
        ("America/New_York", hm(1, 0), &[Monday], "2026-07-05T00:00Z", 18_000_000, &[Monday], -14_400),
        // Saved on the Saturday before the spring change: the Sunday run is already EDT.
        ("America/New_York", hm(9, 0), &[Sunday], "2026-03-07T20:00Z", 46_800_000, &[Sunday], -14_400),
        ("Asia/Kolkata", hm(1, 0), &[Monday], "2026-01-05T00:00Z", 70_200_000, &[Sunday], 19_800),
        ("Asia/Kolkata", hm(5, 30), &[Monday], "2026-07-05T00:00Z", 0, &[Monday], 19_800),
        ("Asia/Kolkata", hm(5, 29), &[Monday, Sunday], "2026-07-05T00:00Z", 86_340_000, &[Saturday, Sunday], 19_800),
        ("Asia/Kolkata", hm(23, 59), &[Sunday], "2026-07-05T00:00Z", 66_540_000, &[Sunday], 19_800),
        ("Pacific/Auckland", hm(10, 0), &[Monday], "2026-01-05T00:00Z", 75_600_000, &[Sunday], 46_800),
        ("Pacific/Auckland", hm(10, 0), &[Monday], "2026-07-05T00:00Z", 79_200_000, &[Sunday], 43_200),
        ("Pacific/Auckland", hm(14, 0), &[Monday], "2026-07-05T00:00Z", 7_200_000, &[Monday], 43_200),
        (
            "Pacific/Auckland",
            hm(12, 30),
            &[Saturday, Sunday],
            "2026-07-05T00:00Z",
            1_800_000,
            &[Saturday, Sunday],
            43_200,
        ),
        ("UTC", hm(1, 30), &[Monday, Friday], "2026-07-05T00:00Z", 5_400_000, &[Monday, Friday], 0),
    ];
    for &(zone, time, days, saved, utc_ms, utc_days, offset) in cases {
        let local = LocalTimeSchedule { time, days_of_week: days.to_vec() };
        let saved_at = OffsetReference::next_run(ms(saved));
        let got = time_to_storware_in_zone(&Tzdb, zone, &local, saved_at).unwrap();
        assert_eq!(
            got.value,
            StorwareTime { time_of_day_ms: utc_ms, days_of_week: sorted_days(utc_days) },
            "{zone} {time}"
        );
        assert_eq!(got.offset_seconds, offset, "{zone} {time}");
        let back = time_from_storware_in_zone(&Tzdb, zone, &got.value, OffsetReference::at(got.reference_ms)).unwrap();
        assert_eq!(back.value, LocalTimeSchedule { time, days_of_week: sorted_days(days) }, "{zone} {time}");
    }
    assert!(time_to_storware_in_zone(&Tzdb, "Nowhere/City", &weekdays_0130(), OffsetReference::next_run(0)).is_err());
}

#[test]
fn day_shifting() {
    assert_eq!(shifted_days(&[Monday, Sunday], -1), vec![Saturday, Sunday]);
    assert_eq!(shifted_days(&[Monday, Sunday], 1), vec![Monday, Tuesday]);
    assert_eq!(shifted_days(&[Friday, Friday, Monday], 0), vec![Monday, Friday]);
    assert_eq!(sorted_days(&[]), vec![]);
    assert_eq!(shifted_days(Weekday::ALL, 3), Weekday::ALL.to_vec());
}

/// The Storware UI's own formulas (storware-api.md §6): ours must give the same answer for real offsets.
fn storware_ui_formula(local_ms: i64, days: &[Weekday], offset_ms: i64) -> (u32, Vec<Weekday>) {
    let hour = (local_ms - offset_ms + DAY).rem_euclid(DAY);
    let u = hour + offset_ms;
    let shift = if u >= DAY {
        -1
    } else if u < 0 {
        1
    } else {
        0
    };
    (hour as u32, shifted_days(days, shift))
}

fn days_strategy() -> impl Strategy<Value = Vec<Weekday>> {
    (1u8..128).prop_map(|mask| Weekday::ALL.iter().copied().filter(|d| mask & (1 << d.index()) != 0).collect())
}

#[test]
fn time_to_storware_matches_the_storware_ui_formula() {
    let mut runner = TestRunner::new(Config { cases: 10_000, failure_persistence: None, ..Config::default() });
    let strategy = (0u32..86_400_000, days_strategy(), -14 * 3600..=14 * 3600i32);
    runner
        .run(&strategy, |(ms_of_day, days, offset)| {
            let local = LocalTimeSchedule { time: TimeOfDay::from_ms(ms_of_day).unwrap(), days_of_week: days.clone() };
            let ours = time_to_storware(&local, offset);
            let ui = storware_ui_formula(i64::from(ms_of_day), &days, i64::from(offset) * 1000);
            prop_assert_eq!((ours.time_of_day_ms, ours.days_of_week.clone()), ui);
            prop_assert_eq!(
                time_from_storware(&ours, offset),
                LocalTimeSchedule { time: local.time, days_of_week: sorted_days(&days) }
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn local_to_storware_to_local_round_trips_in_every_zone() {
    let mut runner = TestRunner::new(Config { cases: 5_000, failure_persistence: None, ..Config::default() });
    // Now anywhere in 2024–2030 or within ten days before a 2026 transition, any minute, any non-empty set of days.
    let near = |at: &str| ms(at) - 10 * DAY..ms(at) + DAY;
    let now = prop_oneof![
        ms("2024-01-01T00:00Z")..ms("2030-12-31T00:00Z"),
        near("2026-03-08T07:00Z"),
        near("2026-03-29T01:00Z"),
        near("2026-04-04T14:00Z"),
        near("2026-09-26T14:00Z"),
        near("2026-10-25T01:00Z"),
        near("2026-11-01T06:00Z"),
    ];
    let strategy = (0..ZONES.len(), now, 0u8..24, 0u8..60, days_strategy());
    runner
        .run(&strategy, |(zone, now, hour, minute, days)| {
            let zone = ZONES[zone];
            let local = LocalTimeSchedule { time: hm(hour, minute), days_of_week: days.clone() };
            let saved = time_to_storware_in_zone(&Tzdb, zone, &local, OffsetReference::next_run(now)).unwrap();
            let reference = saved.reference_ms;
            prop_assert!(reference >= now && reference - now <= 8 * DAY);
            // Unless the chosen time fell into a DST gap (then the reference is the later instant, past the gap),
            // the reference is a run of the stored schedule at the chosen local time on a chosen local day.
            let seen = instant_to_local(&Tzdb, zone, reference).unwrap();
            if seen.time == local.time {
                prop_assert_eq!(reference.rem_euclid(DAY), i64::from(saved.value.time_of_day_ms));
                let utc_weekday = weekday_from_days(reference.div_euclid(DAY));
                prop_assert!(saved.value.days_of_week.contains(&utc_weekday));
                prop_assert!(days.contains(&seen.weekday));
                // No chosen local occurrence between `now` and the reference was skipped.
                let today = instant_to_local(&Tzdb, zone, now).unwrap().date;
                let mut day = today.add_days(-1).unwrap();
                while day < seen.date {
                    if days.contains(&day.weekday()) {
                        prop_assert!(local_to_instant(&Tzdb, zone, day, local.time).unwrap() < now);
                    }
                    day = day.add_days(1).unwrap();
                }
            }
            // Back to local with the same reference: exactly what was typed.
            let back = time_from_storware_in_zone(&Tzdb, zone, &saved.value, OffsetReference::at(reference)).unwrap();
            prop_assert_eq!(&back.value, &LocalTimeSchedule { time: local.time, days_of_week: sorted_days(&days) });
            prop_assert_eq!(back.offset_seconds, saved.offset_seconds);
            // Back with "next run from now": the same local schedule whenever the time is not in a gap and no offset
            // change lies ahead within the week (then the next UTC run is the reference itself).
            let next = time_from_storware_in_zone(&Tzdb, zone, &saved.value, OffsetReference::next_run(now)).unwrap();
            if seen.time == local.time
                && offset_at(&Tzdb, zone, now).unwrap() == saved.offset_seconds
                && offset_at(&Tzdb, zone, now + 8 * DAY).unwrap() == saved.offset_seconds
            {
                prop_assert_eq!(next.reference_ms, reference);
                prop_assert_eq!(next.value, back.value);
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------------------------------------------
// Local ⇄ Storware, INTERVAL

fn local_interval(start: TimeOfDay, end: TimeOfDay, frequency_ms: u64, days: &[Weekday]) -> LocalInterval {
    LocalInterval { start, end, frequency_ms, days_of_week: days.to_vec() }
}

#[test]
fn interval_within_one_utc_day_is_one_piece() {
    let local = local_interval(hm(8, 0), hm(18, 0), 7_200_000, &WEEKDAYS);
    let winter = interval_to_storware_in_zone(
        &Tzdb,
        "Europe/Warsaw",
        &local,
        OffsetReference::next_run(ms("2026-01-14T12:00Z")),
    )
    .unwrap();
    assert_eq!(
        winter.value,
        vec![StorwareInterval {
            start_ms: 25_200_000,
            end_ms: 61_200_000,
            frequency_ms: 7_200_000,
            days_of_week: WEEKDAYS.to_vec()
        }]
    );
    let summer = interval_to_storware(&local, 7200);
    assert_eq!((summer[0].start_ms, summer[0].end_ms), (21_600_000, 57_600_000));
    assert_eq!(interval_from_storware(&summer[0], 7200), vec![local.clone()]);
    // The user's end is kept when it is not a run (21:59 with runs every two hours).
    let local = local_interval(hm(0, 0), hm(21, 59), 7_200_000, &[Monday]);
    let utc = interval_to_storware(&local, 0);
    assert_eq!((utc[0].start_ms, utc[0].end_ms, utc[0].is_single_run()), (0, 79_140_000, false));
    assert_eq!(
        utc[0].timing(),
        vmbackup_core::domain::ScheduleTiming::Interval { start_ms: 0, end_ms: 79_140_000, frequency_ms: 7_200_000 }
    );
}

#[test]
fn interval_crossing_utc_midnight_splits_into_two_pieces() {
    // Auckland 08:00–18:00 every 2 h on Mondays, in their summer (+13): 19:00 Sun … 05:00 Mon UTC.
    let local = local_interval(hm(8, 0), hm(18, 0), 7_200_000, &[Monday]);
    let saved = interval_to_storware_in_zone(
        &Tzdb,
        "Pacific/Auckland",
        &local,
        OffsetReference::next_run(ms("2026-01-05T00:00Z")),
    )
    .unwrap();
    assert_eq!(saved.offset_seconds, 46_800);
    assert_eq!(
        saved.value,
        vec![
            StorwareInterval {
                start_ms: 68_400_000,
                end_ms: 82_800_000,
                frequency_ms: 7_200_000,
                days_of_week: vec![Sunday]
            },
            StorwareInterval {
                start_ms: 3_600_000,
                end_ms: 18_000_000,
                frequency_ms: 7_200_000,
                days_of_week: vec![Monday]
            },
        ]
    );
    // Storware's default interval (00:00–21:59 UTC every 2 h) seen from Kolkata: 05:30–23:30, then 01:30–03:29
    // the next local day.
    let default =
        StorwareInterval { start_ms: 0, end_ms: 79_140_000, frequency_ms: 7_200_000, days_of_week: vec![Monday] };
    let shown = interval_from_storware_in_zone(
        &Tzdb,
        "Asia/Kolkata",
        &default,
        OffsetReference::next_run(ms("2026-03-01T00:00Z")),
    )
    .unwrap();
    assert_eq!(
        shown.value,
        vec![
            local_interval(hm(5, 30), hm(23, 30), 7_200_000, &[Monday]),
            local_interval(hm(1, 30), hm(3, 29), 7_200_000, &[Tuesday]),
        ]
    );
    // A piece can hold one run: Kolkata 05:00–09:00 every 3 h on Fridays runs at 05:00 (23:30 UTC Thursday) and
    // 08:00 (02:30 UTC Friday); the user's end 09:00 is 03:30 UTC.
    let local = local_interval(hm(5, 0), hm(9, 0), 10_800_000, &[Friday]);
    let utc = interval_to_storware(&local, 19_800);
    assert_eq!(
        utc,
        vec![
            StorwareInterval {
                start_ms: 84_600_000,
                end_ms: 84_600_000,
                frequency_ms: 10_800_000,
                days_of_week: vec![Thursday]
            },
            StorwareInterval {
                start_ms: 9_000_000,
                end_ms: 12_600_000,
                frequency_ms: 10_800_000,
                days_of_week: vec![Friday]
            },
        ]
    );
    assert!(utc[0].is_single_run() && !utc[1].is_single_run());
}

#[test]
fn invalid_intervals_are_shifted_whole_without_panicking() {
    let zero = local_interval(hm(8, 0), hm(18, 0), 0, &[Monday]);
    assert_eq!(interval_to_storware(&zero, 3600).len(), 1);
    let reversed = local_interval(hm(18, 0), hm(8, 0), 3_600_000, &[Monday]);
    assert_eq!(interval_to_storware(&reversed, -3600).len(), 1);
    let huge = StorwareInterval { start_ms: u32::MAX, end_ms: u32::MAX, frequency_ms: u64::MAX, days_of_week: vec![] };
    assert_eq!(interval_from_storware(&huge, 50_400).len(), 1);
    let shown = interval_from_storware_in_zone(&Tzdb, "UTC", &huge, OffsetReference::next_run(123)).unwrap();
    assert_eq!(shown.reference_ms, 123); // never runs: the offset of "now"
}

/// Every (weekday, ms of day) at which a day-of-week interval runs, shifted by `delta_ms`.
fn interval_runs(start: u32, end: u32, frequency: u64, days: &[Weekday], delta_ms: i64) -> Vec<(Weekday, i64)> {
    let mut runs = Vec::new();
    for day in days {
        let mut t = i64::from(start);
        while t <= i64::from(end) {
            let shifted = t + delta_ms;
            runs.push((day.shifted(shifted.div_euclid(DAY)), shifted.rem_euclid(DAY)));
            t += frequency as i64;
        }
    }
    runs.sort();
    runs
}

#[test]
fn interval_pieces_keep_every_run_and_round_trip() {
    let mut runner = TestRunner::new(Config { cases: 3_000, failure_persistence: None, ..Config::default() });
    let strategy = (0u32..1440, 0u32..1440, 15u64..=720, days_strategy(), -14 * 4..=14 * 4i32);
    runner
        .run(&strategy, |(a, b, frequency_minutes, days, quarter_hours)| {
            let (start, end) = (a.min(b) * 60_000, a.max(b) * 60_000 + 59_000);
            let frequency = frequency_minutes * 60_000;
            let offset = quarter_hours * 900;
            let local =
                local_interval(TimeOfDay::from_ms(start).unwrap(), TimeOfDay::from_ms(end).unwrap(), frequency, &days);
            let pieces = interval_to_storware(&local, offset);
            prop_assert!(!pieces.is_empty() && pieces.len() <= 2);
            let mut utc_runs: Vec<_> = pieces
                .iter()
                .flat_map(|p| interval_runs(p.start_ms, p.end_ms, p.frequency_ms, &p.days_of_week, 0))
                .collect();
            utc_runs.sort();
            prop_assert_eq!(&utc_runs, &interval_runs(start, end, frequency, &days, -i64::from(offset) * 1000));
            for piece in &pieces {
                prop_assert!(piece.start_ms <= piece.end_ms && i64::from(piece.end_ms) < DAY);
            }
            // Back to local: every local run again.
            let mut local_runs: Vec<_> = pieces
                .iter()
                .flat_map(|p| interval_from_storware(p, offset))
                .flat_map(|l| interval_runs(l.start.as_ms(), l.end.as_ms(), l.frequency_ms, &l.days_of_week, 0))
                .collect();
            local_runs.sort();
            prop_assert_eq!(local_runs, interval_runs(start, end, frequency, &days, 0));
            // One piece comes back exactly as typed, unless the typed end (not itself a run) had to move back to
            // the last run to stay within the UTC day.
            let delta = -i64::from(offset) * 1000;
            let same_day = (i64::from(start) + delta).div_euclid(DAY) == (i64::from(end) + delta).div_euclid(DAY);
            if pieces.len() == 1 && same_day {
                prop_assert_eq!(
                    interval_from_storware(&pieces[0], offset),
                    vec![LocalInterval { days_of_week: sorted_days(&days), ..local }]
                );
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn conversions_never_panic_on_arbitrary_input() {
    let mut runner = TestRunner::new(Config { cases: 10_000, failure_persistence: None, ..Config::default() });
    let zone = prop_oneof![Just("UTC".to_string()), Just("+05:45".to_string()), ".{0,12}", "[+-UTCG0-9:]{0,9}"];
    let strategy = (
        (any::<u32>(), any::<u32>(), any::<u64>(), any::<u8>()),
        any::<i32>(),
        any::<i64>(),
        zone,
        (any::<i32>(), any::<u8>(), any::<u8>()),
    );
    runner
        .run(&strategy, |((a, b, frequency_ms, days), offset, instant, zone, (year, month, day))| {
            let days: Vec<Weekday> = Weekday::ALL.iter().copied().filter(|d| days & (1 << d.index()) != 0).collect();
            let utc = StorwareTime { time_of_day_ms: a, days_of_week: days.clone() };
            let _ = time_to_storware(&time_from_storware(&utc, offset), offset);
            let interval = StorwareInterval { start_ms: a, end_ms: b, frequency_ms, days_of_week: days.clone() };
            for local in interval_from_storware(&interval, offset) {
                let _ = interval_to_storware(&local, offset);
            }
            let _ = parse_fixed_zone(&zone);
            let _ = instant_to_local(&FixedZones, &zone, instant);
            let reference = OffsetReference::next_run(instant);
            let _ = time_from_storware_in_zone(&FixedZones, &zone, &utc, reference);
            let _ = interval_from_storware_in_zone(&FixedZones, &zone, &interval, reference);
            let time = TimeOfDay::from_ms_wrapping(i64::from(b));
            let local = LocalTimeSchedule { time, days_of_week: days };
            let _ = time_to_storware_in_zone(&FixedZones, &zone, &local, reference);
            let odd_date = CivilDate { year, month, day };
            let _ = resolve_local(&FixedZones, "UTC", odd_date, time);
            let _ = (odd_date.to_days(), odd_date.weekday(), odd_date.occurrence(), odd_date.to_string());
            let _ = CivilDate::from_days(instant);
            Ok(())
        })
        .unwrap();
}
