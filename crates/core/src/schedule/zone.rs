//! Time-zone offsets, asked of the caller.
//!
//! The core carries no time-zone database: the browser build answers [`ZoneOffsets`] with `Intl.DateTimeFormat`
//! (every zone the browser knows, kept current by browser updates), native code and tests with jiff's tzdb.
//! The core itself only knows UTC and fixed offsets ([`FixedZones`]).

use crate::error::{ApiError, FieldError, ValidationCode};

/// The largest offset from UTC a provider may answer (±25:59:59, the widest any tz library represents;
/// real zones stay within −12:00…+14:00, historical local mean times within ±16:00).
pub const MAX_OFFSET_SECONDS: i32 = 25 * 3600 + 59 * 60 + 59;

/// The largest fixed offset [`parse_fixed_zone`] accepts (±18:00, the limit of ISO 8601 and Java's `ZoneOffset`).
pub const MAX_FIXED_OFFSET_SECONDS: i32 = 18 * 3600;

/// Why a zone offset could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    /// The zone name is not known to the provider.
    #[error("Unknown time zone \"{0}\".")]
    UnknownZone(String),
    /// The provider answered an offset beyond ±[`MAX_OFFSET_SECONDS`] (a provider bug, not user input).
    #[error("The time zone \"{zone}\" gave an impossible offset of {seconds} seconds.")]
    InvalidOffset { zone: String, seconds: i32 },
    /// The instant lies outside the range the provider (or the core) handles.
    #[error("The date is outside the supported range (epoch milliseconds {0}).")]
    InstantOutOfRange(i64),
}

impl From<ZoneError> for ApiError {
    /// A validation error on the form's `timeZone` field.
    fn from(error: ZoneError) -> ApiError {
        let code = match error {
            ZoneError::UnknownZone(_) => ValidationCode::UnknownTimeZone,
            ZoneError::InvalidOffset { .. } | ZoneError::InstantOutOfRange(_) => ValidationCode::OutOfRange,
        };
        ApiError::validation(vec![FieldError::new("timeZone", code, error.to_string())])
    }
}

/// Answers "what is the offset of zone Z at instant T".
///
/// Implementations: [`FixedZones`] (UTC and fixed offsets), the browser's `Intl` in the wasm build, jiff's tzdb
/// in native code and tests. The offset is east of UTC: Warsaw in winter is `3600`, New York in winter `-18000`.
///
/// ```
/// use vmbackup_core::schedule::zone::{FixedZones, ZoneOffsets};
/// assert_eq!(FixedZones.offset_seconds("UTC", 0), Ok(0));
/// assert_eq!(FixedZones.offset_seconds("+05:30", 0), Ok(19_800));
/// assert!(FixedZones.offset_seconds("Europe/Warsaw", 0).is_err());
/// ```
pub trait ZoneOffsets {
    /// The offset east of UTC, in seconds, in force in `zone` (an IANA name) at `instant_ms` (epoch ms).
    fn offset_seconds(&self, zone: &str, instant_ms: i64) -> Result<i32, ZoneError>;
}

impl<T: ZoneOffsets + ?Sized> ZoneOffsets for &T {
    fn offset_seconds(&self, zone: &str, instant_ms: i64) -> Result<i32, ZoneError> {
        (**self).offset_seconds(zone, instant_ms)
    }
}

impl<T: ZoneOffsets + ?Sized> ZoneOffsets for Box<T> {
    fn offset_seconds(&self, zone: &str, instant_ms: i64) -> Result<i32, ZoneError> {
        (**self).offset_seconds(zone, instant_ms)
    }
}

/// The offset of `zone` at `instant_ms` from `zones`, checked to be within ±[`MAX_OFFSET_SECONDS`], so that the
/// arithmetic after it cannot overflow whatever a provider answers.
pub fn offset_at<Z: ZoneOffsets + ?Sized>(zones: &Z, zone: &str, instant_ms: i64) -> Result<i32, ZoneError> {
    let seconds = zones.offset_seconds(zone, instant_ms)?;
    if seconds.unsigned_abs() > MAX_OFFSET_SECONDS.unsigned_abs() {
        return Err(ZoneError::InvalidOffset { zone: zone.to_string(), seconds });
    }
    Ok(seconds)
}

/// UTC under its common names and fixed offsets; every other zone is unknown.
///
/// Names: `UTC`, `Etc/UTC`, `GMT`, `Etc/GMT`, `UCT`, `Universal`, `Zulu`, `Greenwich`, `Z` (any case, with or
/// without `Etc/`); `Etc/GMT-5` (= +05:00, POSIX's inverted sign, as in the tz database); and offsets
/// `+05:30`, `-0400`, `+5`, `UTC+05:30`, `GMT-3` up to ±18:00.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FixedZones;

impl ZoneOffsets for FixedZones {
    fn offset_seconds(&self, zone: &str, _instant_ms: i64) -> Result<i32, ZoneError> {
        parse_fixed_zone(zone).ok_or_else(|| ZoneError::UnknownZone(zone.to_string()))
    }
}

/// A provider that answers UTC and fixed offsets itself ([`FixedZones`]) and asks `P` for every other zone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WithFixedZones<P>(pub P);

impl<P: ZoneOffsets> ZoneOffsets for WithFixedZones<P> {
    fn offset_seconds(&self, zone: &str, instant_ms: i64) -> Result<i32, ZoneError> {
        match parse_fixed_zone(zone) {
            Some(seconds) => Ok(seconds),
            None => self.0.offset_seconds(zone, instant_ms),
        }
    }
}

/// The offset of a UTC alias or fixed-offset zone name (see [`FixedZones`]), `None` for anything else.
///
/// ```
/// use vmbackup_core::schedule::zone::parse_fixed_zone;
/// assert_eq!(parse_fixed_zone("Etc/UTC"), Some(0));
/// assert_eq!(parse_fixed_zone("-04:00"), Some(-14_400));
/// assert_eq!(parse_fixed_zone("Etc/GMT-14"), Some(50_400));
/// assert_eq!(parse_fixed_zone("UTC+5:45"), Some(20_700));
/// assert_eq!(parse_fixed_zone("+19:00"), None);
/// assert_eq!(parse_fixed_zone("Asia/Kolkata"), None);
/// ```
pub fn parse_fixed_zone(name: &str) -> Option<i32> {
    let lower = name.to_ascii_lowercase();
    let bare = lower.strip_prefix("etc/").unwrap_or(&lower);
    const UTC_NAMES: &[&str] = &["utc", "uct", "gmt", "gmt0", "gmt+0", "gmt-0", "greenwich", "universal", "zulu", "z"];
    if UTC_NAMES.contains(&bare) {
        return Some(0);
    }
    if lower.starts_with("etc/") {
        // Etc/GMT+5 is five hours *behind* UTC (POSIX sign convention); only whole hours exist.
        let rest = bare.strip_prefix("gmt")?;
        let (sign, digits) = split_sign(rest)?;
        if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let hours: i32 = digits.parse().ok()?;
        let limit = if sign > 0 { 12 } else { 14 };
        return (hours <= limit).then_some(-sign * hours * 3600);
    }
    let rest = bare.strip_prefix("utc").or_else(|| bare.strip_prefix("gmt")).unwrap_or(bare);
    let (sign, digits) = split_sign(rest)?;
    let seconds = parse_hh_mm_ss(digits)?;
    (seconds <= MAX_FIXED_OFFSET_SECONDS).then_some(sign * seconds)
}

fn split_sign(text: &str) -> Option<(i32, &str)> {
    if let Some(rest) = text.strip_prefix('+') {
        Some((1, rest))
    } else {
        // U+2212 MINUS SIGN is what some locales print for negative offsets.
        text.strip_prefix('-').or_else(|| text.strip_prefix('\u{2212}')).map(|rest| (-1, rest))
    }
}

/// `H`, `HH`, `HHMM`, `HH:MM`, `HHMMSS`, `HH:MM:SS` (hours may have one digit before a colon) → seconds.
fn parse_hh_mm_ss(text: &str) -> Option<i32> {
    let parts: Vec<&str> = if text.contains(':') {
        text.split(':').collect()
    } else {
        match text.len() {
            1 | 2 => vec![text],
            4 => vec![text.get(..2)?, text.get(2..)?],
            6 => vec![text.get(..2)?, text.get(2..4)?, text.get(4..)?],
            _ => return None,
        }
    };
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut seconds = 0;
    for (i, part) in parts.iter().enumerate() {
        let width_ok = if i == 0 { (1..=2).contains(&part.len()) } else { part.len() == 2 };
        if !width_ok || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value: i32 = part.parse().ok()?;
        if i > 0 && value >= 60 {
            return None;
        }
        seconds += value * [3600, 60, 1][i];
    }
    Some(seconds)
}
