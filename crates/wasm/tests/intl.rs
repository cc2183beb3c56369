//! The `Intl` zone-offset provider agrees with jiff's bundled tz database on the zones and DST days the schedule
//! math is tested on. Runs in Node (`cargo test -p vmbackup-wasm --target wasm32-unknown-unknown`) and, with
//! `WASM_BINDGEN_USE_BROWSER=1`, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use jiff::tz;
use jiff::Timestamp;
use vmbackup_core::schedule::{ZoneError, ZoneOffsets};
use vmbackup_wasm::intl::IntlZones;
use wasm_bindgen_test::wasm_bindgen_test;

const ZONES: &[&str] = &["Europe/Warsaw", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "UTC"];

/// The 2026 offset changes of the zones above (instants in UTC).
const TRANSITIONS_2026: &[&str] = &[
    "2026-03-08T07:00:00Z", // New York springs forward (02:00 EST -> 03:00 EDT)
    "2026-03-29T01:00:00Z", // Warsaw springs forward (02:00 CET -> 03:00 CEST)
    "2026-04-04T14:00:00Z", // Auckland falls back (03:00 NZDT -> 02:00 NZST)
    "2026-09-26T14:00:00Z", // Auckland springs forward (02:00 NZST -> 03:00 NZDT)
    "2026-10-25T01:00:00Z", // Warsaw falls back (03:00 CEST -> 02:00 CET)
    "2026-11-01T06:00:00Z", // New York falls back (02:00 EDT -> 01:00 EST)
];

fn ms(text: &str) -> i64 {
    text.parse::<Timestamp>().unwrap_or_else(|e| panic!("{text}: {e}")).as_millisecond()
}

fn jiff_offset(zone: &str, instant_ms: i64) -> i32 {
    let zone = tz::db().get(zone).unwrap_or_else(|e| panic!("{zone}: {e}"));
    let timestamp = Timestamp::from_millisecond(instant_ms).unwrap_or_else(|e| panic!("{instant_ms}: {e}"));
    zone.to_offset(timestamp).seconds()
}

/// Instants around each transition: the exact millisecond and its neighbours, and every 30 minutes over two days.
fn instants() -> Vec<i64> {
    let mut instants = Vec::new();
    for transition in TRANSITIONS_2026 {
        let at = ms(transition);
        for delta in [-86_400_000, -3_600_001, -3_600_000, -1000, -1, 0, 1, 999, 1000, 3_599_999, 3_600_000] {
            instants.push(at + delta);
        }
        for half_hour in -48..=48 {
            instants.push(at + half_hour * 1_800_000);
        }
    }
    // Ordinary days in both halves of the year, and both sides of the epoch (negative instants floor to seconds).
    instants.extend([ms("2026-01-15T12:00:00Z"), ms("2026-07-15T12:00:00Z"), -1, 0, 1, -86_400_001]);
    instants
}

#[wasm_bindgen_test]
fn intl_agrees_with_jiff_around_the_2026_dst_changes() {
    let zones = IntlZones::new();
    let mut checked = 0;
    for zone in ZONES {
        for instant in instants() {
            let expected = jiff_offset(zone, instant);
            assert_eq!(zones.offset_seconds(zone, instant), Ok(expected), "{zone} at {instant} ms");
            checked += 1;
        }
    }
    assert!(checked > 3000, "checked only {checked} instants");
}

#[wasm_bindgen_test]
fn the_worked_warsaw_example_holds() {
    let zones = IntlZones::new();
    assert_eq!(zones.offset_seconds("Europe/Warsaw", ms("2026-01-05T00:30:00Z")), Ok(3600));
    assert_eq!(zones.offset_seconds("Europe/Warsaw", ms("2026-07-06T23:30:00Z")), Ok(7200));
    assert_eq!(zones.offset_seconds("Asia/Kolkata", ms("2026-07-06T23:30:00Z")), Ok(19_800));
    // Intl takes any case, as jiff does.
    assert_eq!(zones.offset_seconds("europe/warsaw", ms("2026-01-05T00:30:00Z")), Ok(3600));
}

#[wasm_bindgen_test]
fn unknown_zones_are_errors_not_panics() {
    let zones = IntlZones::new();
    for zone in ["Mars/Olympus_Mons", "", "   ", "Europe/Warsaw\u{0}", "Europe/"] {
        assert_eq!(zones.offset_seconds(zone, 0), Err(ZoneError::UnknownZone(zone.to_string())), "{zone:?}");
    }
    // A failed name is not cached as a good one, and a good one still works after it.
    assert!(zones.offset_seconds("Mars/Olympus_Mons", 0).is_err());
    assert_eq!(zones.offset_seconds("UTC", 0), Ok(0));
}

#[wasm_bindgen_test]
fn instants_outside_the_date_range_are_errors() {
    let zones = IntlZones::new();
    let beyond = 8_640_000_000_000_001;
    assert_eq!(zones.offset_seconds("Europe/Warsaw", beyond), Err(ZoneError::InstantOutOfRange(beyond)));
    assert_eq!(zones.offset_seconds("Europe/Warsaw", -beyond), Err(ZoneError::InstantOutOfRange(-beyond)));
    assert_eq!(zones.offset_seconds("Europe/Warsaw", i64::MAX), Err(ZoneError::InstantOutOfRange(i64::MAX)));
    // The ends of the range itself work (years +275760 and -271821, before the common era).
    assert_eq!(zones.offset_seconds("UTC", 8_640_000_000_000_000), Ok(0));
    assert_eq!(zones.offset_seconds("UTC", -8_640_000_000_000_000), Ok(0));
    // (jiff stops at the year -9999, so only Intl answers here: local mean time, +05:53:28.)
    assert_eq!(zones.offset_seconds("Asia/Kolkata", -8_640_000_000_000_000), Ok(21_208));
}
