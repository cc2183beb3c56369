//! Time-zone offsets from the JavaScript runtime's `Intl` (browsers, Node, Deno, workers, edge runtimes).
//!
//! The core's schedule math asks a [`ZoneOffsets`] for "the offset of zone Z at instant T". In JavaScript the
//! runtime already carries the tz database (kept current by runtime updates), so asking
//! `Intl.DateTimeFormat(…, { timeZone: Z }).formatToParts(T)` for the wall-clock reading and subtracting T costs
//! about 2 KB of wasm instead of ~100 KB of bundled zone data.

use std::cell::RefCell;

use vmbackup_core::json::{self, Value};
use vmbackup_core::schedule::civil::{days_from_civil, MAX_INSTANT_MS, MIN_INSTANT_MS, MS_PER_DAY};
use vmbackup_core::schedule::{ZoneError, ZoneOffsets};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Intl.DateTimeFormat`, bound here (rather than through js-sys) so that its constructor's `RangeError` for an
    /// unknown zone comes back as a `Result` instead of unwinding through the wasm.
    #[wasm_bindgen(js_namespace = Intl, js_name = DateTimeFormat)]
    #[derive(Debug)]
    type DateTimeFormat;

    #[wasm_bindgen(catch, constructor, js_namespace = Intl, js_class = "DateTimeFormat")]
    fn new(locales: &str, options: &JsValue) -> Result<DateTimeFormat, JsValue>;

    /// Throws a `RangeError` for instants outside JavaScript's `Date` range.
    #[wasm_bindgen(catch, method, js_name = formatToParts)]
    fn format_to_parts(this: &DateTimeFormat, instant_ms: f64) -> Result<JsValue, JsValue>;
}

/// A [`ZoneOffsets`] answered by the JavaScript runtime's `Intl` tz database: every IANA zone the runtime knows.
///
/// Formatters are cached per zone name (creating one costs far more than using it). Unknown zones are a
/// [`ZoneError::UnknownZone`], never a panic. Wrap it in [`vmbackup_core::schedule::WithFixedZones`] to accept
/// fixed offsets such as `+05:30` on every runtime (only recent ones accept them in `Intl`).
///
/// ```no_run
/// use vmbackup_core::schedule::ZoneOffsets;
/// use vmbackup_client::intl::IntlZones;
/// let zones = IntlZones::new();
/// assert_eq!(zones.offset_seconds("Europe/Warsaw", 1_767_225_600_000), Ok(3600)); // 2026-01-01: CET
/// ```
#[derive(Debug, Default)]
pub struct IntlZones {
    // A list, not a `HashMap`: a page uses a zone or two, and a hash table costs wasm for nothing.
    formatters: RefCell<Vec<(String, DateTimeFormat)>>,
}

impl IntlZones {
    /// A provider with an empty formatter cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The wall-clock reading in `zone` at `instant_ms`, as milliseconds since 1970-01-01 of that reading
    /// (whole seconds: `Intl` does not show milliseconds).
    fn wall_clock_ms(&self, zone: &str, instant_ms: i64) -> Result<i64, ZoneError> {
        if !(MIN_INSTANT_MS..=MAX_INSTANT_MS).contains(&instant_ms) {
            return Err(ZoneError::InstantOutOfRange(instant_ms));
        }
        let parts = {
            let mut formatters = self.formatters.borrow_mut();
            let index = match formatters.iter().position(|(name, _)| name == zone) {
                Some(index) => index,
                None => {
                    formatters.push((zone.to_string(), formatter_for(zone)?));
                    formatters.len() - 1
                }
            };
            let formatter = &formatters[index].1;
            // `instant_ms` lies within ±8.64e15, where an f64 holds every integer.
            formatter.format_to_parts(instant_ms as f64).map_err(|_| ZoneError::InstantOutOfRange(instant_ms))?
        };
        let text = js_sys::JSON::stringify(&parts).ok().and_then(|t| t.as_string()).unwrap_or_default();
        let parts = read_parts(&text).ok_or_else(|| ZoneError::UnknownZone(zone.to_string()))?;
        WallClock::read(&parts)
            .map(|clock| clock.to_ms())
            .ok_or_else(|| ZoneError::UnknownZone(format!("{zone} (unreadable date parts: {text})")))
    }
}

impl ZoneOffsets for IntlZones {
    fn offset_seconds(&self, zone: &str, instant_ms: i64) -> Result<i32, ZoneError> {
        let wall_ms = self.wall_clock_ms(zone, instant_ms)?;
        // The reading has whole seconds, so compare it with the instant cut down to its second.
        let offset_ms = wall_ms - (instant_ms - instant_ms.rem_euclid(1000));
        i32::try_from(offset_ms / 1000)
            .map_err(|_| ZoneError::InvalidOffset { zone: zone.to_string(), seconds: i32::MAX })
    }
}

/// A formatter that shows every field of the wall clock in `zone` as plain numbers: Gregorian calendar, Latin
/// digits, 24-hour clock (`h23`: midnight is 00, never 24) and the era for years before 1 CE.
fn formatter_for(zone: &str) -> Result<DateTimeFormat, ZoneError> {
    let unknown = || ZoneError::UnknownZone(zone.to_string());
    // `Intl` takes any case ("europe/warsaw") and some aliases; an empty name would mean the runtime's own zone.
    if zone.trim().is_empty() {
        return Err(unknown());
    }
    // A plain JS object, set key by key: no JSON map (whose `collect` sorts with std's stable sort) and no JSON
    // text in between.
    let options = js_sys::Object::new();
    for (key, value) in [
        ("calendar", "gregory"),
        ("numberingSystem", "latn"),
        ("hourCycle", "h23"),
        ("era", "short"),
        ("year", "numeric"),
        ("month", "numeric"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "numeric"),
        ("second", "numeric"),
        ("timeZone", zone),
    ] {
        js_sys::Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value)).map_err(|_| unknown())?;
    }
    DateTimeFormat::new("en-US", &options).map_err(|_| unknown())
}

/// One entry of `formatToParts`.
struct Part {
    kind: String,
    value: String,
}

/// The entries of `formatToParts` (as JSON), each with a string `type` and `value`. Read from a `Value` by hand:
/// a derived `Deserialize` would add its own JSON visitor, and typed deserialization brings float formatting
/// (for its error messages) into the npm package's wasm.
fn read_parts(text: &str) -> Option<Vec<Part>> {
    let parts = json::from_slice(text.as_bytes()).ok()?;
    let text = |part: &Value, key| part.get(key).and_then(Value::as_str).map(str::to_string);
    parts.as_array()?.iter().map(|part| Some(Part { kind: text(part, "type")?, value: text(part, "value")? })).collect()
}

/// A wall-clock reading.
#[derive(Debug, Default)]
struct WallClock {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    before_common_era: bool,
}

impl WallClock {
    fn read(parts: &[Part]) -> Option<Self> {
        let mut clock = WallClock::default();
        let mut seen = 0u8;
        for part in parts {
            let number = || part.value.trim().parse::<i64>().ok();
            match part.kind.as_str() {
                "year" => (clock.year, seen) = (number()?, seen | 1),
                "month" => (clock.month, seen) = (number()?, seen | 2),
                "day" => (clock.day, seen) = (number()?, seen | 4),
                "hour" => (clock.hour, seen) = (number()?, seen | 8),
                "minute" => (clock.minute, seen) = (number()?, seen | 16),
                "second" => (clock.second, seen) = (number()?, seen | 32),
                // en-US writes "BC" (older ICU "B"); "AD"/"A" otherwise.
                "era" => clock.before_common_era = part.value.trim_start().starts_with('B'),
                _ => {}
            }
        }
        let valid = seen == 63
            && (1..=12).contains(&clock.month)
            && (1..=31).contains(&clock.day)
            && (0..=24).contains(&clock.hour)
            && (0..60).contains(&clock.minute)
            && (0..60).contains(&clock.second);
        valid.then_some(clock)
    }

    fn to_ms(&self) -> i64 {
        // 1 BC is year 0, 2 BC is year -1 (astronomical numbering, as `days_from_civil` counts).
        let year = if self.before_common_era { 1 - self.year } else { self.year };
        // Engines that ignore `hourCycle` print midnight as 24 of the same day.
        let hour = if self.hour == 24 { 0 } else { self.hour };
        let days = days_from_civil(year as i32, self.month as u8, self.day as u8);
        days * MS_PER_DAY + ((hour * 60 + self.minute) * 60 + self.second) * 1000
    }
}
