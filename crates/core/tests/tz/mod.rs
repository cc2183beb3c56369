//! A reference [`ZoneOffsets`] for tests, answered from jiff's bundled tz database (never in the shipped core).
#![allow(dead_code)] // each test binary uses a different part of this module

use jiff::civil::DateTime;
use jiff::tz::{self, TimeZone};
use jiff::Timestamp;
use vmbackup_core::schedule::{ZoneError, ZoneOffsets};

/// Offsets from jiff's bundled tzdb.
pub struct Tzdb;

impl ZoneOffsets for Tzdb {
    fn offset_seconds(&self, zone: &str, instant_ms: i64) -> Result<i32, ZoneError> {
        let time_zone = zone_named(zone).ok_or_else(|| ZoneError::UnknownZone(zone.to_string()))?;
        let timestamp =
            Timestamp::from_millisecond(instant_ms).map_err(|_| ZoneError::InstantOutOfRange(instant_ms))?;
        Ok(time_zone.to_offset(timestamp).seconds())
    }
}

/// The zone of an IANA name from the bundled database.
pub fn zone_named(zone: &str) -> Option<TimeZone> {
    tz::db().get(zone).ok()
}

/// Epoch ms of an instant written in RFC 3339 / ISO 8601 with an offset or `Z`.
pub fn ms(text: &str) -> i64 {
    text.parse::<Timestamp>().unwrap_or_else(|e| panic!("{text}: {e}")).as_millisecond()
}

/// Epoch ms of local `date time` in `zone`, by jiff's "compatible" rule (gap → later, fold → earlier).
pub fn jiff_local_to_ms(zone: &str, local: &str) -> i64 {
    let dt: DateTime = local.parse().unwrap_or_else(|e| panic!("{local}: {e}"));
    zone_named(zone).unwrap().to_ambiguous_timestamp(dt).compatible().unwrap().as_millisecond()
}

/// The zones every schedule test runs in: both hemispheres' DST, a half-hour zone without DST, and UTC.
pub const ZONES: &[&str] = &["Europe/Warsaw", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "UTC"];
