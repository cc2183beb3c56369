//! **ScheduleForm**: create, edit and delete one backup schedule, with times in the user's time zone.
//!
//! Storware keeps a schedule's time as milliseconds after 00:00 **UTC** and its weekdays as UTC days, with no
//! time zone. The form takes a local wall-clock time ("01:30 on weekdays, Europe/Warsaw"), converts it with the
//! zone's offset at the schedule's next run (the core's [`OffsetReference::NextRun`]), shows the stored UTC values
//! beside it, and previews the next five runs as they will really happen — so a daylight-saving change that moves
//! the local run time (01:30 becomes 02:30 from the last Sunday of March) is visible before saving, with a note
//! saying from when.
//!
//! Validation is the core's ([`schedule_errors`]); each error sits at its input (`aria-invalid` +
//! `aria-describedby`), and a server's validation answer is put at the input it names.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vmbackup_client::Client;
use vmbackup_core::domain::{BackupType, Month, Occurrence, Ref, Schedule, ScheduleTiming, ScheduleType, Weekday};
use vmbackup_core::error::{FieldError, ValidationCode};
use vmbackup_core::schedule::civil::{CivilDate, TimeOfDay, MS_PER_DAY};
use vmbackup_core::schedule::convert::format_offset;
use vmbackup_core::schedule::{
    instant_to_local, interval_from_storware_in_zone, interval_to_storware_in_zone, next_drift, next_runs_in_zone,
    time_from_storware_in_zone, time_to_storware_in_zone, Drift, LocalDateTime, LocalInterval, LocalTimeSchedule,
    OffsetReference, StorwareInterval, StorwareTime, ZoneOffsets,
};
use vmbackup_core::storware::schedules::{CreateSchedule, DeleteSchedule, GetSchedule, ListSchedules, UpdateSchedule};
use vmbackup_core::validation::{schedule_errors, validate_time_zone, MAX_NAME_CHARS};
use vmbackup_core::{substring, ApiError, ErrorKind};

use crate::context::use_widget_context;
use crate::erased::{effect, ErasedMemo, ErasedSignal};
use crate::handler;
use crate::i18n::{Lang, Msg};
use crate::privileges::{session_privileges, Privileges};
use crate::show_if::ShowIf;
use crate::small_sort;
use crate::widgets::notices::{ErrorNotice, SessionNotice};

/// The time-zone provider of the form: the browser's `Intl` (every IANA zone it knows), with UTC and fixed
/// offsets answered by the core.
#[cfg(target_arch = "wasm32")]
type BrowserZones = vmbackup_core::schedule::WithFixedZones<vmbackup_client::intl::IntlZones>;
/// Native builds (the workspace's unit tests) have no `Intl`; the widget itself only runs in browsers.
#[cfg(not(target_arch = "wasm32"))]
type BrowserZones = vmbackup_core::schedule::FixedZones;

/// How many upcoming runs the preview lists.
pub const PREVIEW_RUNS: usize = 5;
/// The start window of a new schedule, in hours (the Storware UI's default of 6 h).
const DEFAULT_START_WINDOW_HOURS: &str = "6";
const MS_PER_HOUR: f64 = 3_600_000.0;
const MS_PER_MINUTE: f64 = 60_000.0;

/// The inputs of the form, named as the fields of Storware's request body so that validation and server errors
/// (which name those fields) find their input. Listed in the order they appear on screen.
const FIELDS: [&str; 12] = [
    "name",
    "active",
    "backupType",
    "executionType",
    "hour",
    "startWindowLength",
    "interval.startHour",
    "interval.endHour",
    "interval.frequency",
    "daysOfWeek",
    "months",
    "dayOfWeekOccurrences",
];
/// The time-zone input (not a field of the request body; validation names it so).
const ZONE_FIELD: &str = "timeZone";

/// Whether a schedule runs once a day or repeatedly within a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Execution {
    Time,
    Interval,
}

/// The form's inputs as the user typed them: times of day are local wall-clock times in `zone`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScheduleDraft {
    pub name: String,
    pub active: bool,
    pub backup_type: BackupType,
    pub execution: Execution,
    /// `HH:MM` (or `HH:MM:SS`), as `<input type=time>` gives it.
    pub time: String,
    pub start_window_hours: String,
    pub interval_start: String,
    pub interval_end: String,
    pub frequency_minutes: String,
    /// Local weekdays.
    pub days: Vec<Weekday>,
    pub months: Vec<Month>,
    pub occurrences: Vec<Occurrence>,
    pub zone: String,
}

impl ScheduleDraft {
    /// A new schedule: every day, a 6-hour start window, and the Storware UI's interval defaults (every two
    /// hours from 00:00 to 22:00).
    pub fn new(zone: String) -> Self {
        ScheduleDraft {
            name: String::new(),
            active: true,
            backup_type: BackupType::Incremental,
            execution: Execution::Time,
            time: String::new(),
            start_window_hours: DEFAULT_START_WINDOW_HOURS.into(),
            interval_start: "00:00".into(),
            interval_end: "22:00".into(),
            frequency_minutes: "120".into(),
            days: Weekday::ALL.to_vec(),
            months: Vec::new(),
            occurrences: Vec::new(),
            zone,
        }
    }
}

/// An error to show at an input: a catalog message and its placeholder values (translated when shown, so a
/// language change re-words it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShownError {
    /// One of [`FIELDS`] or [`ZONE_FIELD`].
    pub field: &'static str,
    pub msg: Msg,
    pub values: Vec<(&'static str, String)>,
}

impl ShownError {
    fn new(field: &'static str, msg: Msg) -> Self {
        ShownError { field, msg, values: Vec::new() }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.values.push((name, value.into()));
        self
    }

    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let values: Vec<(&str, &str)> = self.values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.msg.fill(lang, &values)
    }
}

/// The schedule as it will be saved, with the offset the local times were converted with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BuiltSchedule {
    pub schedule: Schedule,
    /// Seconds east of UTC.
    pub offset_seconds: i32,
    /// The instant whose offset was used (the next run).
    pub reference_ms: i64,
}

/// The draft checked: its errors, and the schedule it describes as soon as the timing is complete — even while
/// other inputs (the name) still have errors, so that the preview follows what is typed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Checked {
    pub built: Option<BuiltSchedule>,
    /// In screen order.
    pub errors: Vec<ShownError>,
}

impl Checked {
    fn failed(mut errors: Vec<ShownError>) -> Self {
        small_sort::sort_by_key(&mut errors, |e| field_position(e.field));
        Checked { built: None, errors }
    }

    /// The schedule to save, when nothing is wrong.
    pub fn ready(&self) -> Option<&BuiltSchedule> {
        self.errors.is_empty().then_some(self.built.as_ref()).flatten()
    }
}

/// One of the form's field names, as a `'static` str (`None` for fields the form has no input for).
fn known_field(name: &str) -> Option<&'static str> {
    FIELDS.iter().chain(std::iter::once(&ZONE_FIELD)).find(|f| **f == name).copied()
}

/// An input's position on screen (errors are listed and focused in this order).
fn field_position(field: &str) -> usize {
    FIELDS.iter().position(|f| *f == field).map_or(FIELDS.len(), |p| p + 1)
}

/// The catalog message for a validation error of the core or the server.
pub(crate) fn shown_from_field_error(error: &FieldError) -> Option<ShownError> {
    let field = known_field(&error.field)?;
    let is_time = matches!(field, "hour" | "interval.startHour" | "interval.endHour");
    let shown = match error.code {
        ValidationCode::Required if field == "name" => ShownError::new(field, Msg::ScheduleFieldNameRequired),
        ValidationCode::Required if field == ZONE_FIELD => ShownError::new(field, Msg::ScheduleFieldZoneRequired),
        ValidationCode::Required if is_time => ShownError::new(field, Msg::ScheduleFieldTimeRequired),
        ValidationCode::Required => ShownError::new(field, Msg::ScheduleFieldNumberRequired),
        ValidationCode::TooLong => {
            ShownError::new(field, Msg::ScheduleFieldNameTooLong).with("max", MAX_NAME_CHARS.to_string())
        }
        ValidationCode::OutOfRange => ShownError::new(field, Msg::ScheduleFieldOutOfRange),
        ValidationCode::EndNotAfterStart => ShownError::new(field, Msg::ScheduleFieldEndNotAfterStart),
        ValidationCode::NotTimeOfDay => ShownError::new(field, Msg::ScheduleFieldNotTimeOfDay),
        ValidationCode::Empty if field == "daysOfWeek" => ShownError::new(field, Msg::ScheduleFieldDaysEmpty),
        ValidationCode::Empty => ShownError::new(field, Msg::ScheduleFieldEmpty),
        ValidationCode::NotPositive if field == "interval.frequency" => {
            ShownError::new(field, Msg::ScheduleFieldFrequencyNotPositive)
        }
        ValidationCode::NotPositive => ShownError::new(field, Msg::ScheduleFieldStartWindowNotPositive),
        ValidationCode::UnknownTimeZone => ShownError::new(field, Msg::ScheduleFieldUnknownZone),
        ValidationCode::Server => {
            ShownError::new(field, Msg::ScheduleFieldServerRejected).with("message", &error.message)
        }
    };
    Some(shown)
}

/// The field a server message names as `Field 'x'` (the simulator's and Spring's wording), when the error body
/// itself names none.
fn field_named_in(message: &str) -> Option<&'static str> {
    let lower = message.to_ascii_lowercase();
    let start = substring::find(&lower, "field '")? + "field '".len();
    let rest = message.get(start..)?;
    known_field(rest.split('\'').next()?)
}

/// A server's validation answer, placed at the inputs it names (empty when it names none the form has: the
/// error is then shown for the whole form).
pub(crate) fn server_field_errors(error: &ApiError) -> Vec<ShownError> {
    if error.kind != ErrorKind::Validation {
        return Vec::new();
    }
    let mut shown: Vec<ShownError> = error.fields.iter().filter_map(shown_from_field_error).collect();
    if shown.is_empty() {
        let field = error.field.as_deref().and_then(known_field).or_else(|| field_named_in(&error.message));
        if let Some(field) = field {
            shown.push(ShownError::new(field, Msg::ScheduleFieldServerRejected).with("message", &error.message));
        }
    }
    small_sort::sort_by_key(&mut shown, |e| field_position(e.field));
    shown
}

/// The input type of the time fields: text checked by [`parse_time`], not `time`, whose field Chromium shows in the
/// browser's locale ("01:30 AM" in a Polish widget) whatever the widget's language.
const TIME_INPUT: &str = "text";
/// The hint under each time field: the 24-hour `HH:MM` that [`parse_time`] reads, in the widget's language.
const TIME_HINT: Option<Msg> = Some(Msg::ScheduleTimeFormatHint);

/// `HH:MM` or `HH:MM:SS` → a time of day; also a 12-hour time with its half of the day (`1:30 PM`, `12 am`,
/// `9:05 p.m.`), as users of 12-hour locales type it even when the hint asks for 24 hours.
pub(crate) fn parse_time(text: &str) -> Option<TimeOfDay> {
    let (clock, afternoon) = split_half_of_day(text.trim());
    let mut parts = clock.split(':');
    let mut next = |max: u8| -> Option<Option<u8>> {
        match parts.next() {
            None => Some(None),
            Some(p) if (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().ok().filter(|v| *v <= max).map(Some)
            }
            Some(_) => None,
        }
    };
    let hour = next(23)??;
    // "1 PM" names a time without minutes; "1" alone does not.
    let minute = if afternoon.is_some() { next(59)?.unwrap_or(0) } else { next(59)?? };
    let second = next(59)?.unwrap_or(0);
    if parts.next().is_some() {
        return None;
    }
    let hour = match afternoon {
        None => hour,
        Some(_) if !(1..=12).contains(&hour) => return None,
        // 12 AM is midnight and 12 PM noon.
        Some(pm) => hour % 12 + if pm { 12 } else { 0 },
    };
    TimeOfDay::from_hms_milli(hour, minute, second, 0)
}

/// `text` without a trailing `AM`/`PM` (any case, `a.m.` and `p.m.` too), and whether it named the afternoon.
fn split_half_of_day(text: &str) -> (&str, Option<bool>) {
    let lower = text.to_ascii_lowercase();
    for (suffix, afternoon) in [("am", false), ("a.m.", false), ("pm", true), ("p.m.", true)] {
        if lower.ends_with(suffix) {
            // The suffix is ASCII in `text` too, so the cut falls on a character boundary.
            return (text[..text.len() - suffix.len()].trim_end(), Some(afternoon));
        }
    }
    (text, None)
}

/// A time of day as `HH:MM` (`HH:MM:SS` when it has seconds).
pub(crate) fn time_text(time: TimeOfDay) -> String {
    if time.second() == 0 {
        format!("{:02}:{:02}", time.hour(), time.minute())
    } else {
        format!("{:02}:{:02}:{:02}", time.hour(), time.minute(), time.second())
    }
}

/// A UTC time of day in milliseconds as `HH:MM`.
fn utc_ms_text(ms: u32) -> String {
    time_text(TimeOfDay::from_ms_wrapping(i64::from(ms)))
}

/// A positive decimal number (hours, minutes; a comma is accepted as the decimal mark) times `unit_ms`.
/// `Err` holds the error: blank, not a number, or negative.
fn parse_duration(field: &'static str, text: &str, unit_ms: f64) -> Result<u64, ShownError> {
    let text = text.trim().replace(',', ".");
    if text.is_empty() {
        return Err(ShownError::new(field, Msg::ScheduleFieldNumberRequired));
    }
    decimal_times(&text, unit_ms as u64).ok_or_else(|| ShownError::new(field, Msg::ScheduleFieldOutOfRange))
}

/// `text` — digits with an optional fraction and exponent, as `<input type=number>` gives them — times `unit`,
/// rounded; `None` when it is no such number, negative, or too large. Read by hand: `str::parse::<f64>` would
/// bring Rust's float parser and its tables (~13 KB of wasm) for this alone.
fn decimal_times(text: &str, unit: u64) -> Option<u64> {
    let text = text.strip_prefix('+').unwrap_or(text);
    let (number, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], text[at + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = || whole.bytes().chain(fraction.bytes());
    if (whole.is_empty() && fraction.is_empty()) || !digits().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // The significant digits as an integer, and the power of ten that scales it. Twelve digits are more than
    // a duration in ms needs; later ones are dropped (the scale kept), so that the product fits a u64 (u128
    // would bring its own multiplication and division code).
    let mut significand: u64 = 0;
    let mut scale = i64::from(exponent) - fraction.len() as i64;
    for digit in digits().skip_while(|b| *b == b'0') {
        if significand >= 100_000_000_000 {
            scale += 1;
        } else {
            significand = significand * 10 + u64::from(digit - b'0');
        }
    }
    let mut value = significand.checked_mul(unit)?;
    if value == 0 {
        return Some(0);
    }
    while scale > 0 {
        value = value.checked_mul(10)?;
        scale -= 1;
    }
    if scale < 0 {
        // Round half up while dividing by the remaining power of ten.
        value = match u32::try_from(-scale).ok().and_then(|e| 10_u64.checked_pow(e)) {
            Some(divisor) => value / divisor + u64::from(value % divisor >= divisor - divisor / 2),
            None => 0,
        };
    }
    Some(value)
}

/// A duration in ms as a number of `unit_ms` (no trailing zeros: "6", "1.5").
fn duration_text(ms: u64, unit_ms: f64) -> String {
    // In whole thousandths, written out by hand: `f64`'s formatting would bring Rust's float printing (~14 KB
    // of wasm) for this alone.
    // u64 arithmetic: u128 would bring its own division and printing code.
    let unit = unit_ms as u64;
    let thousandths = ms.saturating_mul(1000).saturating_add(unit / 2) / unit;
    let text = format!("{}.{:03}", thousandths / 1000, thousandths % 1000);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The schedule the draft describes, converted to Storware's UTC fields, or every error of the draft.
///
/// `base` is the schedule being edited (its id, type, rules and unmodelled server fields are kept); a new
/// schedule is attached to `new_rule` when given.
pub(crate) fn build_schedule<Z: ZoneOffsets + ?Sized>(
    draft: &ScheduleDraft,
    base: Option<&Schedule>,
    new_rule: Option<&str>,
    zones: &Z,
    now_ms: i64,
) -> Checked {
    let mut errors: Vec<ShownError> = Vec::new();
    let zone = draft.zone.trim();
    if let Err(e) = validate_time_zone(zones, zone, now_ms) {
        errors.extend(e.fields.iter().filter_map(shown_from_field_error).map(|s| match s.msg {
            Msg::ScheduleFieldUnknownZone => s.with("zone", zone),
            _ => s,
        }));
    }
    let time_of = |field: &'static str, text: &str, errors: &mut Vec<ShownError>| {
        let parsed = parse_time(text);
        if parsed.is_none() {
            let msg =
                if text.trim().is_empty() { Msg::ScheduleFieldTimeRequired } else { Msg::ScheduleFieldNotTimeOfDay };
            errors.push(ShownError::new(field, msg));
        }
        parsed
    };
    let duration_of = |field: &'static str, text: &str, unit: f64, errors: &mut Vec<ShownError>| {
        parse_duration(field, text, unit).map_err(|e| errors.push(e)).ok()
    };
    // The timing as typed (local times), checked by the core before it is converted; inputs that could not be
    // read stand in as valid values, as their own error already says what is wrong.
    let local_timing = match draft.execution {
        Execution::Time => {
            let time = time_of("hour", &draft.time, &mut errors);
            let window = duration_of("startWindowLength", &draft.start_window_hours, MS_PER_HOUR, &mut errors);
            ScheduleTiming::Time {
                time_of_day_ms: time.map_or(0, TimeOfDay::as_ms),
                start_window_ms: Some(window.unwrap_or(1)),
            }
        }
        Execution::Interval => {
            let start = time_of("interval.startHour", &draft.interval_start, &mut errors).map(TimeOfDay::as_ms);
            let end = time_of("interval.endHour", &draft.interval_end, &mut errors).map(TimeOfDay::as_ms);
            let frequency = duration_of("interval.frequency", &draft.frequency_minutes, MS_PER_MINUTE, &mut errors);
            let start_ms = start.unwrap_or(0);
            ScheduleTiming::Interval {
                start_ms,
                end_ms: end.unwrap_or(start_ms + 1),
                frequency_ms: frequency.unwrap_or(1),
            }
        }
    };
    let mut schedule = Schedule {
        id: base.and_then(|b| b.id.clone()),
        name: draft.name.trim().to_string(),
        active: draft.active,
        kind: base.map_or(ScheduleType::VmBackup, |b| b.kind.clone()),
        backup_type: draft.backup_type.clone(),
        timing: local_timing,
        days_of_week: sorted(&draft.days),
        months: sorted(&draft.months),
        occurrences: sorted(&draft.occurrences),
        rules: match base {
            Some(b) => b.rules.clone(),
            None => new_rule.map(|r| vec![Ref::id(r)]).unwrap_or_default(),
        },
        policies: base.map(|b| b.policies.clone()).unwrap_or_default(),
        server_fields: base.map(|b| b.server_fields.clone()).unwrap_or_default(),
    };
    // The core's checks, except where the draft's own error already says more about the same input.
    for error in schedule_errors(&schedule).iter().filter_map(shown_from_field_error) {
        if !errors.iter().any(|e| e.field == error.field) {
            errors.push(error);
        }
    }
    // Errors of the name alone leave the timing convertible, for the preview.
    if errors.iter().any(|e| e.field != "name") {
        return Checked::failed(errors);
    }
    // Local wall-clock values → Storware's UTC fields, with the zone's offset at the next run.
    let reference = OffsetReference::next_run(now_ms);
    let local_days = schedule.days_of_week.clone();
    let (offset_seconds, reference_ms) = match schedule.timing {
        ScheduleTiming::Time { time_of_day_ms, start_window_ms } => {
            let local = LocalTimeSchedule {
                time: TimeOfDay::from_ms_wrapping(i64::from(time_of_day_ms)),
                days_of_week: local_days,
            };
            let Ok(converted) = time_to_storware_in_zone(zones, zone, &local, reference) else {
                errors.push(zone_error(zone));
                return Checked::failed(errors);
            };
            schedule.timing = converted.value.timing(start_window_ms);
            schedule.days_of_week = converted.value.days_of_week;
            (converted.offset_seconds, converted.reference_ms)
        }
        ScheduleTiming::Interval { start_ms, end_ms, frequency_ms } => {
            let local = LocalInterval {
                start: TimeOfDay::from_ms_wrapping(i64::from(start_ms)),
                end: TimeOfDay::from_ms_wrapping(i64::from(end_ms)),
                frequency_ms,
                days_of_week: local_days,
            };
            let Ok(converted) = interval_to_storware_in_zone(zones, zone, &local, reference) else {
                errors.push(zone_error(zone));
                return Checked::failed(errors);
            };
            match converted.value.as_slice() {
                [one] => {
                    schedule.timing = interval_timing(one);
                    schedule.days_of_week = one.days_of_week.clone();
                }
                pieces => {
                    // Storware's window lies within one UTC day; say where this one lands in UTC.
                    let first = pieces.first().map_or(0, |p| p.start_ms);
                    let last = pieces.last().map_or(0, |p| p.end_ms);
                    errors.push(
                        ShownError::new("interval.endHour", Msg::ScheduleCrossesUtcMidnight)
                            .with("start", utc_ms_text(first))
                            .with("end", utc_ms_text(last)),
                    );
                    return Checked::failed(errors);
                }
            }
            (converted.offset_seconds, converted.reference_ms)
        }
    };
    small_sort::sort_by_key(&mut errors, |e| field_position(e.field));
    Checked { built: Some(BuiltSchedule { schedule, offset_seconds, reference_ms }), errors }
}

/// A zone that failed while converting although it passed the check (an instant beyond the provider's range, a
/// provider fault): shown at the zone input like an unknown zone.
fn zone_error(zone: &str) -> ShownError {
    ShownError::new(ZONE_FIELD, Msg::ScheduleFieldUnknownZone).with("zone", zone)
}

fn interval_timing(piece: &StorwareInterval) -> ScheduleTiming {
    ScheduleTiming::Interval { start_ms: piece.start_ms, end_ms: piece.end_ms, frequency_ms: piece.frequency_ms }
}

fn sorted<T: Ord + Copy>(items: &[T]) -> Vec<T> {
    let mut items = items.to_vec();
    small_sort::sort_by_key(&mut items, |item| *item);
    items.dedup();
    items
}

/// What [`draft_from_schedule`] could not show as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoadNotice {
    /// The interval's window crosses midnight in the chosen zone; the form shows it in UTC.
    ShownInUtc,
}

/// The form's inputs for a saved schedule, in `zone` (with the offset at its next run on or after `now_ms`).
/// An unknown zone, or an interval that crosses local midnight, is shown in UTC.
pub(crate) fn draft_from_schedule<Z: ZoneOffsets + ?Sized>(
    schedule: &Schedule,
    zones: &Z,
    zone: &str,
    now_ms: i64,
) -> (ScheduleDraft, Option<LoadNotice>) {
    let mut draft = ScheduleDraft::new(zone.to_string());
    draft.name = schedule.name.clone();
    draft.active = schedule.active;
    draft.backup_type = schedule.backup_type.clone();
    draft.months = schedule.months.clone();
    draft.occurrences = schedule.occurrences.clone();
    let reference = OffsetReference::next_run(now_ms);
    let mut notice = None;
    match &schedule.timing {
        ScheduleTiming::Time { start_window_ms, .. } => {
            draft.execution = Execution::Time;
            if let Some(window) = start_window_ms {
                draft.start_window_hours = duration_text(*window, MS_PER_HOUR);
            }
            if let Some(utc) = StorwareTime::of(schedule) {
                let local = time_from_storware_in_zone(zones, zone, &utc, reference).unwrap_or_else(|_| {
                    draft.zone = "UTC".into();
                    let value = vmbackup_core::schedule::time_from_storware(&utc, 0);
                    vmbackup_core::schedule::Converted { value, offset_seconds: 0, reference_ms: now_ms }
                });
                draft.time = time_text(local.value.time);
                draft.days = local.value.days_of_week;
            }
        }
        ScheduleTiming::Interval { frequency_ms, .. } => {
            draft.execution = Execution::Interval;
            draft.frequency_minutes = duration_text(*frequency_ms, MS_PER_MINUTE);
            if let Some(utc) = StorwareInterval::of(schedule) {
                let local = match interval_from_storware_in_zone(zones, zone, &utc, reference) {
                    Ok(c) if c.value.len() == 1 => c.value,
                    other => {
                        if other.is_ok() {
                            notice = Some(LoadNotice::ShownInUtc);
                        }
                        draft.zone = "UTC".into();
                        vmbackup_core::schedule::interval_from_storware(&utc, 0)
                    }
                };
                if let Some(piece) = local.first() {
                    draft.interval_start = time_text(piece.start);
                    draft.interval_end = time_text(piece.end);
                    draft.days = piece.days_of_week.clone();
                }
            }
        }
    }
    (draft, notice)
}

/// The preview under the form: the UTC values, the next runs and where daylight saving moves them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Preview {
    pub runs: Vec<LocalDateTime>,
    pub drift: Option<Drift>,
    /// The local date of the run whose offset converted the times.
    pub reference: Option<LocalDateTime>,
}

/// The preview of `built` in `zone` from `now_ms` (no runs for an inactive schedule).
pub(crate) fn preview<Z: ZoneOffsets + ?Sized>(built: &BuiltSchedule, zones: &Z, zone: &str, now_ms: i64) -> Preview {
    let schedule = &built.schedule;
    Preview {
        runs: next_runs_in_zone(schedule, zones, zone, now_ms, PREVIEW_RUNS).unwrap_or_default(),
        drift: next_drift(schedule, zones, zone, now_ms).ok().flatten(),
        reference: instant_to_local(zones, zone, built.reference_ms).ok(),
    }
}

/// The catalog's name of a weekday.
pub fn weekday_msg(day: Weekday) -> Msg {
    match day {
        Weekday::Monday => Msg::ScheduleMonday,
        Weekday::Tuesday => Msg::ScheduleTuesday,
        Weekday::Wednesday => Msg::ScheduleWednesday,
        Weekday::Thursday => Msg::ScheduleThursday,
        Weekday::Friday => Msg::ScheduleFriday,
        Weekday::Saturday => Msg::ScheduleSaturday,
        Weekday::Sunday => Msg::ScheduleSunday,
    }
}

fn month_msg(month: Month) -> Msg {
    match month {
        Month::January => Msg::ScheduleJanuary,
        Month::February => Msg::ScheduleFebruary,
        Month::March => Msg::ScheduleMarch,
        Month::April => Msg::ScheduleApril,
        Month::May => Msg::ScheduleMay,
        Month::June => Msg::ScheduleJune,
        Month::July => Msg::ScheduleJuly,
        Month::August => Msg::ScheduleAugust,
        Month::September => Msg::ScheduleSeptember,
        Month::October => Msg::ScheduleOctober,
        Month::November => Msg::ScheduleNovember,
        Month::December => Msg::ScheduleDecember,
    }
}

fn occurrence_msg(occurrence: Occurrence) -> Msg {
    match occurrence {
        Occurrence::First => Msg::ScheduleOccurrenceFirst,
        Occurrence::Second => Msg::ScheduleOccurrenceSecond,
        Occurrence::Third => Msg::ScheduleOccurrenceThird,
        Occurrence::Fourth => Msg::ScheduleOccurrenceFourth,
        Occurrence::Last => Msg::ScheduleOccurrenceLast,
    }
}

/// Weekday names in `lang`, joined with commas.
fn days_text(lang: Lang, days: &[Weekday]) -> String {
    days.iter().map(|d| weekday_msg(*d).text(lang)).collect::<Vec<_>>().join(", ")
}

/// Adds or removes `item`, keeping declaration order.
fn toggle<T: Ord + Copy>(items: &mut Vec<T>, item: T, on: bool) {
    items.retain(|i| *i != item);
    if on {
        items.push(item);
        small_sort::sort_by_key(items, |item| *item);
    }
}

/// A local calendar date as the user's locale writes it with its weekday ("Tue, 24 Mar 2026"). Formatted as a
/// UTC date at noon, so that it is the date the core computed whatever zone the runtime knows.
fn date_text(lang: Lang, date: CivilDate) -> String {
    use js_sys::{Array, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;
    let options = Object::new();
    for (key, value) in
        [("weekday", "short"), ("day", "numeric"), ("month", "short"), ("year", "numeric"), ("timeZone", "UTC")]
    {
        let _ = Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    let format = Intl::DateTimeFormat::new(&Array::of1(&JsValue::from_str(lang.tag())), &options);
    let noon = date.to_days() as f64 * MS_PER_DAY as f64 + 12.0 * MS_PER_HOUR;
    format
        .format()
        .call1(&format, &js_sys::Date::new(&JsValue::from_f64(noon)))
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_else(|| date.to_string())
}

/// An instant as ISO 8601 UTC, for `<time datetime>`.
fn iso_utc(instant_ms: i64) -> String {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(instant_ms as f64)).to_iso_string().into()
}

/// Every IANA zone the runtime knows (`Intl.supportedValuesOf("timeZone")` where it exists), with UTC and
/// `current` added when missing.
fn zone_choices(current: &str) -> Vec<String> {
    use wasm_bindgen::{JsCast, JsValue};
    let supported = (|| {
        let intl = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
        let list: js_sys::Function =
            js_sys::Reflect::get(&intl, &JsValue::from_str("supportedValuesOf")).ok()?.dyn_into().ok()?;
        let zones = list.call1(&intl, &JsValue::from_str("timeZone")).ok()?;
        Some(js_sys::Array::from(&zones).iter().filter_map(|z| z.as_string()).collect::<Vec<_>>())
    })();
    let mut zones = supported.unwrap_or_default();
    for extra in [current, "UTC"] {
        if !extra.is_empty() && !zones.iter().any(|z| z == extra) {
            zones.insert(0, extra.to_string());
        }
    }
    zones
}

/// A lost answer whose outcome is now known not to matter (nothing was created, or the request can safely be
/// sent again): an ordinary failure, with the server's own words that the client kept as detail.
fn settled(lost: ApiError) -> ApiError {
    if lost.kind != ErrorKind::Unconfirmed {
        return lost;
    }
    let mut error = ApiError::new(ErrorKind::Server, lost.detail.clone().unwrap_or(lost.message));
    error.status = lost.status;
    error
}

/// The schedule a create whose answer was lost may have made: same name (names are unique on the server), same
/// timing and days. `None` when there is none.
async fn find_created(client: &Client, schedule: &Schedule) -> Result<Option<Schedule>, ApiError> {
    let page = client.call(&ListSchedules::all()).await?;
    Ok(page
        .items
        .into_iter()
        .find(|s| s.name == schedule.name && s.timing == schedule.timing && s.days_of_week == schedule.days_of_week))
}

/// Saves `schedule` (creates it when it has no id) and answers it as the server holds it, and whether it was
/// found after a lost answer rather than confirmed. A create is sent once: when its answer is lost, or when
/// `after_lost` says the previous attempt's was, the server is asked first whether it exists, so a retry never
/// makes a second schedule. A replace is idempotent, so a lost answer there is simply a failure to retry.
async fn save_schedule(client: &Client, schedule: Schedule, after_lost: bool) -> Result<(Schedule, bool), ApiError> {
    if schedule.id.is_some() {
        let op = UpdateSchedule::new(schedule)?;
        return client.call(&op).await.map(|saved| (saved, false)).map_err(settled);
    }
    if after_lost {
        if let Some(found) = find_created(client, &schedule).await? {
            return Ok((found, true));
        }
    }
    match client.call(&CreateSchedule::new(schedule.clone())).await {
        Ok(saved) => Ok((saved, false)),
        Err(lost) if lost.kind == ErrorKind::Unconfirmed => match find_created(client, &schedule).await {
            Ok(Some(found)) => Ok((found, true)),
            Ok(None) => Err(settled(lost)),
            // Still unknown: say so, and look again before the retry sends anything.
            Err(_) => Err(lost),
        },
        Err(e) => Err(e),
    }
}

/// Distinguishes the element ids of several forms on one page.
fn next_instance_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// What the live region last announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Saved,
    /// Saved, but only found after the server's answer was lost.
    SavedRecovered,
    Deleted,
}

/// The schedule form.
///
/// * `schedule`: the Storware id of the schedule to edit; without it the form creates one (and edits it once
///   saved);
/// * `rule`: a new schedule is attached to this policy rule (its Storware id);
/// * `now_ms`: the instant the preview and the conversion start from (default: now) — for tests and for
///   planning ahead;
/// * `on_saved`: called with the schedule as the server saved it;
/// * `on_deleted`: called with the id of the deleted schedule.
///
/// Times are entered in the widget's time zone (the mount's, by default the browser's), which the user can
/// change in the form.
#[component]
pub fn ScheduleForm(
    #[prop(optional, into)] schedule: Option<String>,
    #[prop(optional, into)] rule: Option<String>,
    #[prop(optional)] now_ms: Option<i64>,
    #[prop(optional, into)] on_saved: Option<Callback<Schedule>>,
    #[prop(optional, into)] on_deleted: Option<Callback<String>>,
) -> impl IntoView {
    let ctx = use_widget_context();
    let instance = next_instance_id();
    let zones: StoredValue<BrowserZones, LocalStorage> = StoredValue::new_local(BrowserZones::default());
    let now = move || now_ms.unwrap_or_else(|| js_sys::Date::now() as i64);
    let start_zone = Some(ctx.zone_untracked()).filter(|z| !z.is_empty()).unwrap_or_else(crate::format::runtime_zone);
    let zone_list = zone_choices(&start_zone);
    let start_zone_for_options = start_zone.clone();

    let draft = ErasedSignal::new(ScheduleDraft::new(start_zone));
    let loaded: ErasedSignal<Option<Schedule>> = ErasedSignal::new(None);
    let loading = ErasedSignal::new(schedule.is_some());
    let load_error: ErasedSignal<Option<ApiError>> = ErasedSignal::new(None);
    let load_notice: ErasedSignal<Option<LoadNotice>> = ErasedSignal::new(None);
    let attempted = ErasedSignal::new(false);
    let server_errors: ErasedSignal<Vec<ShownError>> = ErasedSignal::new(Vec::new());
    let submit_error: ErasedSignal<Option<ApiError>> = ErasedSignal::new(None);
    let busy = ErasedSignal::new(false);
    let status: ErasedSignal<Option<Status>> = ErasedSignal::new(None);
    let confirming = ErasedSignal::new(false);
    // Whether the user may save or delete schedules: `None` until the server says, and nothing is offered then.
    let privileges = session_privileges(ctx);
    let may_change = move || privileges.with(Privileges::changes_policies);
    let form_ref = NodeRef::<html::Form>::new();
    let zone_select = NodeRef::<html::Select>::new();
    let delete_button = NodeRef::<html::Button>::new();
    let name_input = NodeRef::<html::Input>::new();
    let new_rule = StoredValue::new(rule);

    let built = ErasedMemo::new(move |_| {
        let base = loaded.get();
        let now = now();
        draft.with(|d| {
            zones
                .with_value(|z| build_schedule(d, base.as_ref(), new_rule.with_value(|r| r.clone()).as_deref(), z, now))
        })
    });
    let zone = ErasedMemo::new(move |_| draft.with(|d| d.zone.clone()));
    let execution = ErasedMemo::new(move |_| draft.with(|d| d.execution));
    let preview_now = ErasedMemo::new(move |_| {
        let zone = zone.get();
        built.with(|c| c.built.as_ref().map(|b| zones.with_value(|z| preview(b, z, &zone, now()))))
    });

    // The zone list is rendered once; the chosen zone is set on the <select> rather than per option.
    effect(move || {
        let zone = zone.get();
        if let Some(select) = zone_select.get() {
            select.set_value(&zone);
        }
    });
    // A change the user makes. The server's verdict and the last announcement were about what was sent before,
    // so they go (values the form sets itself after a load or save keep them).
    let edit = move |change: &dyn Fn(&mut ScheduleDraft)| {
        draft.update(|d| change(d));
        server_errors.set(Vec::new());
        status.set(None);
    };

    let load = move |id: String| {
        loading.set(true);
        load_error.set(None);
        spawn_local(async move {
            let result = ctx.client().call(&GetSchedule::new(id)).await;
            if loading.try_get_untracked().is_none() {
                return; // unmounted meanwhile
            }
            loading.set(false);
            match result {
                Ok(saved) => {
                    let zone = draft.with_untracked(|d| d.zone.clone());
                    let (next, notice) = zones.with_value(|z| draft_from_schedule(&saved, z, &zone, now()));
                    load_notice.set(notice);
                    loaded.set(Some(saved));
                    draft.set(next);
                }
                Err(e) => {
                    if e.kind != ErrorKind::Unauthorized {
                        ctx.report(&e);
                    }
                    load_error.set(Some(e));
                }
            }
        });
    };
    let schedule_id = StoredValue::new(schedule);
    if let Some(id) = schedule_id.get_value() {
        load(id);
    }
    // The session came back after an expiry that stopped the load: load again.
    Effect::watch(
        move || ctx.session_expired(),
        move |expired, _, _| {
            let stalled = load_error.with_untracked(|e| e.as_ref().is_some_and(|e| e.kind == ErrorKind::Unauthorized));
            if !expired && stalled {
                if let Some(id) = schedule_id.get_value() {
                    load(id);
                }
            }
        },
        false,
    );

    let focus_first_invalid = move || {
        // In the next frame the host may have unmounted the form (on the `vmb-error` a server's refusal sends).
        request_animation_frame(move || {
            if let Some(form) = form_ref.try_get_untracked().flatten() {
                if let Ok(Some(el)) = form.query_selector("[aria-invalid=\"true\"]") {
                    if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                        let _ = el.focus();
                    }
                }
            }
        });
    };

    let submit = move || {
        if busy.get_untracked() || privileges.with_untracked(Privileges::changes_policies) != Some(true) {
            return;
        }
        // Whether the last attempt's answer was lost: then the server is asked before anything is sent again.
        let after_lost = submit_error.with_untracked(|e| e.as_ref().is_some_and(|e| e.kind == ErrorKind::Unconfirmed));
        attempted.set(true);
        server_errors.set(Vec::new());
        submit_error.set(None);
        status.set(None);
        let Some(to_save) = built.with_untracked(|c| c.ready().map(|b| b.schedule.clone())) else {
            focus_first_invalid();
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let result = save_schedule(&ctx.client(), to_save, after_lost).await;
            if busy.try_get_untracked().is_none() {
                return;
            }
            busy.set(false);
            match result {
                Ok((saved, recovered)) => {
                    let zone = draft.with_untracked(|d| d.zone.clone());
                    let (next, notice) = zones.with_value(|z| draft_from_schedule(&saved, z, &zone, now()));
                    attempted.set(false);
                    load_notice.set(notice);
                    loaded.set(Some(saved.clone()));
                    draft.set(next);
                    status.set(Some(if recovered { Status::SavedRecovered } else { Status::Saved }));
                    if let Some(callback) = on_saved {
                        callback.run(saved);
                    }
                }
                Err(e) if e.kind == ErrorKind::Unauthorized => {} // the session prompt shows; the values stay
                Err(e) => {
                    ctx.report(&e);
                    let at_fields = server_field_errors(&e);
                    if at_fields.is_empty() {
                        submit_error.set(Some(e));
                    } else {
                        server_errors.set(at_fields);
                        focus_first_invalid();
                    }
                }
            }
        });
    };

    let delete = move || {
        let Some(id) = loaded.with_untracked(|s| s.as_ref().and_then(|s| s.id.clone())) else { return };
        confirming.set(false);
        busy.set(true);
        submit_error.set(None);
        spawn_local(async move {
            let result = ctx.client().call(&DeleteSchedule::new(id.clone())).await;
            if busy.try_get_untracked().is_none() {
                return;
            }
            busy.set(false);
            // Already gone (deleted elsewhere, or by a first attempt whose answer was lost) is what was asked.
            let result = match result {
                Err(e) if e.kind == ErrorKind::NotFound => Ok(()),
                other => other.map_err(settled),
            };
            match result {
                Ok(()) => {
                    let zone = draft.with_untracked(|d| d.zone.clone());
                    loaded.set(None);
                    load_notice.set(None);
                    attempted.set(false);
                    draft.set(ScheduleDraft::new(zone));
                    status.set(Some(Status::Deleted));
                    if let Some(input) = name_input.get_untracked() {
                        let _ = input.focus();
                    }
                    if let Some(callback) = on_deleted {
                        callback.run(id);
                    }
                }
                Err(e) if e.kind == ErrorKind::Unauthorized => {}
                Err(e) => {
                    ctx.report(&e);
                    submit_error.set(Some(e));
                }
            }
        });
    };

    // The error shown at `field`, if any: the server's first, then the draft's (once a save was tried).
    let error_at = move |field: &'static str| -> Option<ShownError> {
        server_errors.with(|errors| errors.iter().find(|e| e.field == field).cloned()).or_else(|| {
            if !attempted.get() {
                return None;
            }
            built.with(|c| c.errors.iter().find(|e| e.field == field).cloned())
        })
    };
    let id_of = move |field: &str| format!("vmb-sf{instance}-{}", field.replace('.', "-"));
    let error_id = move |field: &str| format!("{}-error", id_of(field));
    let invalid = move |field: &'static str| error_at(field).is_some().then_some("true");
    let described_by = move |field: &'static str, hint: Option<String>| {
        let ids: Vec<String> = hint.into_iter().chain(error_at(field).map(|_| error_id(field))).collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let field_error = move |field: &'static str| {
        move || {
            error_at(field).map(|e| {
                view! { <p class="vmb-field-error" id=error_id(field)>{e.text(ctx.lang())}</p> }
            })
        }
    };
    let any_error =
        move || !server_errors.with(Vec::is_empty) || (attempted.get() && built.with(|c| !c.errors.is_empty()));

    let text_input = move |field: &'static str,
                           label: Msg,
                           kind: &'static str,
                           value: fn(&ScheduleDraft) -> String,
                           set: fn(&mut ScheduleDraft, String),
                           hint: Option<Msg>| {
        let hint_id = hint.map(|_| format!("{}-hint", id_of(field)));
        let hint_id_for_attr = hint_id.clone();
        view! {
            <div class="vmb-field">
                <label class="vmb-label" for=id_of(field)>{ctx.message(label)}</label>
                <input
                    class="vmb-input"
                    id=id_of(field)
                    type=kind
                    name=field
                    prop:value=move || draft.with(value)
                    aria-invalid=move || invalid(field)
                    aria-describedby=move || described_by(field, hint_id_for_attr.clone())
                    on:input=handler::event(move |ev| {
                        let text = event_target_value(&ev);
                        edit(&|d| set(d, text.clone()));
                    })
                />
                {hint.map(|msg| view! { <p class="vmb-hint" id=hint_id.clone()>{ctx.message(msg)}</p> })}
                {field_error(field)}
            </div>
        }
    };

    let check_group = move |field: &'static str, legend: Msg, boxes: Vec<(Msg, Callback<bool>, Signal<bool>)>| {
        view! {
            <fieldset
                class="vmb-fieldset"
                id=id_of(field)
                aria-describedby=move || described_by(field, None)
            >
                <legend class="vmb-label">{ctx.message(legend)}</legend>
                <div class="vmb-check-grid">
                    {boxes.into_iter().map(|(label, on_change, checked)| view! {
                        <label class="vmb-check">
                            <input
                                type="checkbox"
                                prop:checked=move || checked.get()
                                aria-invalid=move || invalid(field)
                                on:change=handler::event(move |ev| on_change.run(event_target_checked(&ev)))
                            />
                            <span>{ctx.message(label)}</span>
                        </label>
                    }).collect_view()}
                </div>
                {field_error(field)}
            </fieldset>
        }
    };
    let day_boxes = Weekday::ALL
        .iter()
        .copied()
        .map(|day| {
            (
                weekday_msg(day),
                Callback::new(move |on: bool| edit(&|d| toggle(&mut d.days, day, on))),
                Signal::derive(move || draft.with(|d| d.days.contains(&day))),
            )
        })
        .collect::<Vec<_>>();
    let month_boxes = Month::ALL
        .iter()
        .copied()
        .map(|month| {
            (
                month_msg(month),
                Callback::new(move |on: bool| edit(&|d| toggle(&mut d.months, month, on))),
                Signal::derive(move || draft.with(|d| d.months.contains(&month))),
            )
        })
        .collect::<Vec<_>>();
    let occurrence_boxes = Occurrence::ALL
        .iter()
        .copied()
        .map(|occurrence| {
            (
                occurrence_msg(occurrence),
                Callback::new(move |on: bool| edit(&|d| toggle(&mut d.occurrences, occurrence, on))),
                Signal::derive(move || draft.with(|d| d.occurrences.contains(&occurrence))),
            )
        })
        .collect::<Vec<_>>();

    let timing_inputs = move || match execution.get() {
        Execution::Time => view! {
            <div class="vmb-field-row">
                {text_input("hour", Msg::ScheduleTime, TIME_INPUT, |d| d.time.clone(), |d, v| d.time = v, TIME_HINT)}
                {text_input(
                    "startWindowLength",
                    Msg::ScheduleStartWindow,
                    "number",
                    |d| d.start_window_hours.clone(),
                    |d, v| d.start_window_hours = v,
                    Some(Msg::ScheduleStartWindowHint),
                )}
            </div>
        }
        .into_any(),
        Execution::Interval => view! {
            <div class="vmb-field-row">
                {text_input(
                    "interval.startHour",
                    Msg::ScheduleIntervalStart,
                    TIME_INPUT,
                    |d| d.interval_start.clone(),
                    |d, v| d.interval_start = v,
                    TIME_HINT,
                )}
                {text_input(
                    "interval.endHour",
                    Msg::ScheduleIntervalEnd,
                    TIME_INPUT,
                    |d| d.interval_end.clone(),
                    |d, v| d.interval_end = v,
                    TIME_HINT,
                )}
                {text_input(
                    "interval.frequency",
                    Msg::ScheduleFrequency,
                    "number",
                    |d| d.frequency_minutes.clone(),
                    |d, v| d.frequency_minutes = v,
                    None,
                )}
            </div>
        }
        .into_any(),
    };

    // "In UTC: 00:30 on Monday, …" and the offset it was converted with.
    let utc_line = move || {
        let lang = ctx.lang();
        built.with(|c| {
            let b = c.built.as_ref()?;
            let days = days_text(lang, &b.schedule.days_of_week);
            let line = match b.schedule.timing {
                ScheduleTiming::Time { time_of_day_ms, .. } => {
                    Msg::ScheduleInUtc.fill(lang, &[("time", &utc_ms_text(time_of_day_ms)), ("days", &days)])
                }
                ScheduleTiming::Interval { start_ms, end_ms, .. } => Msg::ScheduleIntervalInUtc
                    .fill(lang, &[("start", &utc_ms_text(start_ms)), ("end", &utc_ms_text(end_ms)), ("days", &days)]),
            };
            Some(line)
        })
    };
    let offset_line = move || {
        let lang = ctx.lang();
        let offset = built.with(|c| c.built.as_ref().map(|b| b.offset_seconds))?;
        let reference = preview_now.with(|p| p.as_ref().and_then(|p| p.reference))?;
        Some(Msg::ScheduleOffsetUsed.fill(
            lang,
            &[("offset", &format!("UTC{}", format_offset(offset))), ("date", &date_text(lang, reference.date))],
        ))
    };
    let runs_view = move || {
        let lang = ctx.lang();
        let active = draft.with(|d| d.active);
        let Some(preview) = preview_now.get() else {
            return view! { <p class="vmb-muted">{ctx.text(Msg::SchedulePreviewNeedsValues)}</p> }.into_any();
        };
        if !active {
            return view! { <p class="vmb-muted">{ctx.text(Msg::ScheduleInactiveNoRuns)}</p> }.into_any();
        }
        if preview.runs.is_empty() {
            return view! { <p class="vmb-muted">{ctx.text(Msg::ScheduleNoRuns)}</p> }.into_any();
        }
        let drift = preview.drift.map(|d| {
            Msg::ScheduleDrift.fill(
                lang,
                &[
                    ("date", &date_text(lang, d.first_after.date)),
                    ("before", &time_text(d.last_before.time)),
                    ("after", &time_text(d.first_after.time)),
                ],
            )
        });
        view! {
            <ol class="vmb-schedule-runs">
                {preview.runs.into_iter().map(|run| {
                    let utc = time_text(TimeOfDay::from_ms_wrapping(run.instant_ms));
                    view! {
                        <li>
                            <time datetime=iso_utc(run.instant_ms) dir=lang.dir()>
                                {format!("{}, {} (UTC{})", date_text(lang, run.date), time_text(run.time), run.offset_text())}
                            </time>
                            " "
                            <span class="vmb-muted" dir=lang.dir()>{Msg::ScheduleRunUtc.fill(lang, &[("time", &utc)])}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {drift.map(|text| view! { <p class="vmb-alert vmb-alert--info vmb-schedule-drift">{text}</p> })}
        }
        .into_any()
    };

    // A user who may not save is not editing or creating: the heading says what is shown. Without a schedule
    // the form stays a simulator of the next runs, which is worth having read-only too. Until the privileges are
    // known the heading promises neither.
    let heading = move || match (loaded.with(|s| s.as_ref().map(|s| s.name.clone())), may_change()) {
        (Some(name), Some(true)) => ctx.fill(Msg::ScheduleEditing, &[("name", &name)]),
        (Some(name), _) => ctx.fill(Msg::ScheduleViewing, &[("name", &name)]),
        (None, Some(true)) => ctx.text(Msg::ScheduleNew).to_string(),
        (None, Some(false)) => ctx.text(Msg::ScheduleTrying).to_string(),
        (None, None) => ctx.text(Msg::ScheduleFormLabel).to_string(),
    };
    let used_by = move || {
        let rules = loaded.with(|s| {
            s.as_ref().map(|s| {
                s.rules.iter().map(|r| r.name.clone().unwrap_or_else(|| r.id.clone())).collect::<Vec<_>>().join(", ")
            })
        })?;
        (!rules.is_empty()).then(|| ctx.fill(Msg::ScheduleUsedBy, &[("rules", &rules)]))
    };
    let read_only_note = if schedule_id.get_value().is_some() { Msg::ScheduleReadOnly } else { Msg::ScheduleTryOnly };
    let heading_id = format!("vmb-sf{instance}-heading");
    let heading_ref = heading_id.clone();
    let zone_hint_id = format!("vmb-sf{instance}-zone-hint");
    let exec_name = format!("vmb-sf{instance}-exec");
    let exec_name_2 = exec_name.clone();
    let zone_hint_for_attr = zone_hint_id.clone();
    let backup_type_extra = move || {
        draft.with(|d| match d.backup_type {
            BackupType::Full | BackupType::Incremental => None,
            ref other => Some(other.as_str().to_string()),
        })
    };

    view! {
        <section class="vmb-schedule-form" aria-labelledby=heading_ref aria-busy=move || loading.get().to_string()>
            <SessionNotice />
            <h2 class="vmb-heading" id=heading_id>{heading}</h2>
            // Why nothing can be saved, read before the form.
            <ShowIf when=move || may_change() == Some(false)>
                <p class="vmb-hint vmb-schedule-form__read-only">{ctx.message(read_only_note)}</p>
            </ShowIf>
            {move || load_error.get().filter(|e| e.kind != ErrorKind::Unauthorized).map(|e| view! {
                <ErrorNotice error=e on_retry=Callback::new(move |_| {
                    if let Some(id) = schedule_id.get_value() {
                        load(id);
                    }
                }) />
            })}
            <ShowIf when=move || loading.get()>
                <p class="vmb-muted" role="status">{ctx.message(Msg::Loading)}</p>
            </ShowIf>
            <form
                class="vmb-form"
                node_ref=form_ref
                novalidate
                hidden=move || loading.get() || load_error.with(Option::is_some)
                on:submit=handler::submit(move |ev| {
                    ev.prevent_default();
                    submit();
                })
            >
                {move || load_notice.get().map(|_| view! {
                    <p class="vmb-alert vmb-alert--info">{ctx.text(Msg::ScheduleShownInUtc)}</p>
                })}
                {move || used_by().map(|text| view! { <p class="vmb-muted">{text}</p> })}
                <div class="vmb-field-row">
                    <div class="vmb-field">
                        <label class="vmb-label" for=id_of("name")>{ctx.message(Msg::ScheduleName)}</label>
                        <input
                            class="vmb-input"
                            id=id_of("name")
                            type="text"
                            name="name"
                            node_ref=name_input
                            maxlength=MAX_NAME_CHARS.to_string()
                            prop:value=move || draft.with(|d| d.name.clone())
                            aria-invalid=move || invalid("name")
                            aria-describedby=move || described_by("name", None)
                            on:input=handler::event(move |ev| {
                                let text = event_target_value(&ev);
                                edit(&|d| d.name = text.clone());
                            })
                        />
                        {field_error("name")}
                    </div>
                    <div class="vmb-field">
                        <label class="vmb-label" for=id_of("backupType")>{ctx.message(Msg::BackupType)}</label>
                        <select
                            class="vmb-select"
                            id=id_of("backupType")
                            name="backupType"
                            prop:value=move || draft.with(|d| d.backup_type.as_str().to_string())
                            on:change=handler::event(move |ev| {
                                let value = event_target_value(&ev);
                                edit(&|d| d.backup_type = BackupType::from_name(&value));
                            })
                        >
                            <option value="FULL">{ctx.message(Msg::BackupFull)}</option>
                            <option value="INCREMENTAL">{ctx.message(Msg::BackupIncremental)}</option>
                            {move || backup_type_extra().map(|name| view! { <option value=name.clone()>{name.clone()}</option> })}
                        </select>
                    </div>
                </div>
                <label class="vmb-check">
                    <input
                        type="checkbox"
                        name="active"
                        prop:checked=move || draft.with(|d| d.active)
                        on:change=handler::event(move |ev| {
                            let on = event_target_checked(&ev);
                            edit(&|d| d.active = on);
                        })
                    />
                    <span>{ctx.message(Msg::ScheduleActive)}</span>
                </label>
                <fieldset class="vmb-fieldset" role="radiogroup">
                    <legend class="vmb-label">{ctx.message(Msg::ScheduleKind)}</legend>
                    <label class="vmb-check">
                        <input
                            type="radio"
                            name=exec_name
                            value="TIME"
                            prop:checked=move || execution.get() == Execution::Time
                            on:change=handler::event(move |_| edit(&|d| d.execution = Execution::Time))
                        />
                        <span>{ctx.message(Msg::ScheduleKindTime)}</span>
                    </label>
                    <label class="vmb-check">
                        <input
                            type="radio"
                            name=exec_name_2
                            value="INTERVAL"
                            prop:checked=move || execution.get() == Execution::Interval
                            on:change=handler::event(move |_| edit(&|d| d.execution = Execution::Interval))
                        />
                        <span>{ctx.message(Msg::ScheduleKindInterval)}</span>
                    </label>
                </fieldset>
                {timing_inputs}
                <div class="vmb-field">
                    <label class="vmb-label" for=id_of(ZONE_FIELD)>{ctx.message(Msg::ScheduleTimeZone)}</label>
                    <select
                        class="vmb-select"
                        id=id_of(ZONE_FIELD)
                        name=ZONE_FIELD
                        node_ref=zone_select
                        aria-invalid=move || invalid(ZONE_FIELD)
                        aria-describedby=move || described_by(ZONE_FIELD, Some(zone_hint_for_attr.clone()))
                        on:change=handler::event(move |ev| {
                            let value = event_target_value(&ev);
                            edit(&|d| d.zone = value.clone());
                        })
                    >
                        {zone_list.into_iter().map(|z| {
                            let label = z.clone();
                            let chosen = z == start_zone_for_options;
                            view! { <option value=z selected=chosen>{label}</option> }
                        }).collect_view()}
                    </select>
                    <p class="vmb-hint" id=zone_hint_id>{ctx.message(Msg::ScheduleTimeZoneHint)}</p>
                    {field_error(ZONE_FIELD)}
                </div>
                {check_group("daysOfWeek", Msg::ScheduleDays, day_boxes)}
                <details class="vmb-details" open=move || draft.with(|d| !d.months.is_empty() || !d.occurrences.is_empty())>
                    <summary>{ctx.message(Msg::ScheduleMonthsAndOccurrences)}</summary>
                    {check_group("months", Msg::ScheduleMonths, month_boxes)}
                    {check_group("dayOfWeekOccurrences", Msg::ScheduleOccurrences, occurrence_boxes)}
                </details>
                <div class="vmb-schedule-preview" aria-live="polite">
                    <p>{utc_line}</p>
                    <p class="vmb-hint">{offset_line}</p>
                    <h3 class="vmb-subheading">{ctx.message(Msg::ScheduleNextRuns)}</h3>
                    {runs_view}
                </div>
                <ShowIf when=any_error>
                    <p class="vmb-field-error" role="alert">{ctx.message(Msg::ScheduleFixErrors)}</p>
                </ShowIf>
                {move || submit_error.get().map(|e| view! {
                    <ErrorNotice error=e on_retry=Callback::new(move |_| submit()) />
                })}
                <div class="vmb-form-actions">
                    <ShowIf when=move || may_change() == Some(true)>
                        <button type="submit" class="vmb-button vmb-button--primary" disabled=move || busy.get()>
                            {move || if busy.get() { ctx.text(Msg::ScheduleSaving) } else { ctx.text(Msg::Save) }}
                        </button>
                    </ShowIf>
                    <ShowIf when=move || loaded.with(Option::is_some) && may_change() == Some(true)>
                        <button
                            type="button"
                            class="vmb-button vmb-button--danger"
                            node_ref=delete_button
                            disabled=move || busy.get()
                            aria-haspopup="dialog"
                            on:click=handler::mouse(move |_| confirming.set(true))
                        >
                            {ctx.message(Msg::Delete)}
                        </button>
                    </ShowIf>
                    <span class="vmb-status" role="status" aria-live="polite">{move || status.get().map(|s| match s {
                        Status::Saved => ctx.text(Msg::ScheduleSaved),
                        Status::SavedRecovered => ctx.text(Msg::ScheduleSavedRecovered),
                        Status::Deleted => ctx.text(Msg::ScheduleDeleted),
                    })}</span>
                </div>
            </form>
            <ShowIf when=move || confirming.get()>
                <ConfirmDialog
                    title=Msg::ScheduleDeleteTitle
                    text=Signal::derive(move || {
                        let name = loaded.with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default());
                        ctx.fill(Msg::ScheduleDeleteConfirm, &[("name", &name)])
                    })
                    confirm_label=Msg::Delete
                    on_confirm=Callback::new(move |_| delete())
                    on_cancel=Callback::new(move |_| {
                        confirming.set(false);
                        if let Some(button) = delete_button.get_untracked() {
                            let _ = button.focus();
                        }
                    })
                />
            </ShowIf>
        </section>
    }
}

/// A confirmation for a destructive action: a modal dialog (focus moves to Cancel, stays inside, Escape
/// cancels). The caller returns focus to what opened it in `on_cancel`.
#[component]
pub fn ConfirmDialog(
    title: Msg,
    #[prop(into)] text: Signal<String>,
    confirm_label: Msg,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let ctx = use_widget_context();
    let instance = next_instance_id();
    let title_id = format!("vmb-confirm{instance}-title");
    let text_id = format!("vmb-confirm{instance}-text");
    let (title_ref, text_ref) = (title_id.clone(), text_id.clone());
    let cancel_button = NodeRef::<html::Button>::new();
    let confirm_button = NodeRef::<html::Button>::new();
    effect(move || {
        if let Some(button) = cancel_button.get() {
            let _ = button.focus();
        }
    });
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            ev.stop_propagation();
            on_cancel.run(());
        }
        "Tab" => {
            // Two buttons: Tab from the last goes to the first and back, so focus stays in the dialog.
            let target = ev.target();
            let (first, last) = (cancel_button.get_untracked(), confirm_button.get_untracked());
            let is = |el: &Option<web_sys::HtmlButtonElement>| {
                el.as_ref().is_some_and(|el| target.as_ref().is_some_and(|t| t == el.as_ref()))
            };
            let wrap_to = if ev.shift_key() && is(&first) {
                last
            } else if !ev.shift_key() && is(&last) {
                first
            } else {
                None
            };
            if let Some(el) = wrap_to {
                ev.prevent_default();
                let _ = el.focus();
            }
        }
        _ => {}
    };
    view! {
        <div
            class="vmb-dialog vmb-confirm"
            role="dialog"
            aria-modal="true"
            aria-labelledby=title_ref
            aria-describedby=text_ref
            on:keydown=handler::keyboard(on_keydown)
        >
            <h2 class="vmb-dialog__title" id=title_id>{ctx.message(title)}</h2>
            <p id=text_id>{move || text.get()}</p>
            <div class="vmb-dialog__actions">
                <button type="button" class="vmb-button" node_ref=cancel_button on:click=handler::mouse(move |_| on_cancel.run(()))>
                    {ctx.message(Msg::Cancel)}
                </button>
                <button
                    type="button"
                    class="vmb-button vmb-button--danger"
                    node_ref=confirm_button
                    on:click=handler::mouse(move |_| on_confirm.run(()))
                >
                    {ctx.message(confirm_label)}
                </button>
            </div>
        </div>
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use vmbackup_core::schedule::FixedZones;
    use Weekday::*;

    const WEEKDAYS: [Weekday; 5] = [Monday, Tuesday, Wednesday, Thursday, Friday];
    /// 2026-03-23 12:00 UTC, a Monday.
    const MARCH_23_NOON: i64 = 1_774_267_200_000;

    fn draft(zone: &str) -> ScheduleDraft {
        let mut d = ScheduleDraft::new(zone.into());
        d.name = "nightly".into();
        d.time = "01:30".into();
        d.days = WEEKDAYS.to_vec();
        d
    }

    #[test]
    fn a_local_time_becomes_utc_time_and_shifted_days() {
        let built = build_schedule(&draft("+01:00"), None, Some("rule-1"), &FixedZones, MARCH_23_NOON).built.unwrap();
        assert_eq!(
            built.schedule.timing,
            ScheduleTiming::Time { time_of_day_ms: 1_800_000, start_window_ms: Some(21_600_000) }
        );
        assert_eq!(built.schedule.days_of_week, WEEKDAYS.to_vec());
        assert_eq!(built.schedule.rules, vec![Ref::id("rule-1")]);
        let summer = build_schedule(&draft("+02:00"), None, None, &FixedZones, MARCH_23_NOON).built.unwrap();
        assert_eq!(
            summer.schedule.timing,
            ScheduleTiming::Time { time_of_day_ms: 84_600_000, start_window_ms: Some(21_600_000) }
        );
        assert_eq!(summer.schedule.days_of_week, vec![Monday, Tuesday, Wednesday, Thursday, Sunday]);
        assert_eq!(summer.offset_seconds, 7200);
    }

    #[test]
    fn every_error_of_the_draft_is_at_its_field_in_screen_order() {
        let mut d = draft("Mars/Olympus");
        d.name = "  ".into();
        d.time = "25:00".into();
        d.start_window_hours = "0".into();
        d.days.clear();
        let errors = build_schedule(&d, None, None, &FixedZones, MARCH_23_NOON).errors;
        let fields: Vec<(&str, Msg)> = errors.iter().map(|e| (e.field, e.msg)).collect();
        assert_eq!(
            fields,
            [
                ("name", Msg::ScheduleFieldNameRequired),
                ("hour", Msg::ScheduleFieldNotTimeOfDay),
                ("startWindowLength", Msg::ScheduleFieldStartWindowNotPositive),
                ("daysOfWeek", Msg::ScheduleFieldDaysEmpty),
                (ZONE_FIELD, Msg::ScheduleFieldUnknownZone),
            ]
        );
        assert!(errors[4].text(Lang::Pl).contains("Mars/Olympus"));
    }

    #[test]
    fn a_missing_name_keeps_the_preview_but_not_the_save() {
        let mut d = draft("+01:00");
        d.name.clear();
        let checked = build_schedule(&d, None, None, &FixedZones, MARCH_23_NOON);
        assert_eq!(checked.errors.iter().map(|e| e.field).collect::<Vec<_>>(), ["name"]);
        assert!(checked.built.is_some());
        assert!(checked.ready().is_none());
    }

    #[test]
    fn an_interval_across_utc_midnight_is_refused_at_its_end() {
        let mut d = draft("+05:30");
        d.execution = Execution::Interval;
        d.interval_start = "02:00".into();
        d.interval_end = "10:00".into();
        d.frequency_minutes = "60".into();
        let errors = build_schedule(&d, None, None, &FixedZones, MARCH_23_NOON).errors;
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "interval.endHour");
        assert_eq!(errors[0].msg, Msg::ScheduleCrossesUtcMidnight);
        assert_eq!(errors[0].values, vec![("start", "20:30".to_string()), ("end", "04:30".to_string())]);
        d.interval_start = "06:00".into();
        let built = build_schedule(&d, None, None, &FixedZones, MARCH_23_NOON).built.unwrap();
        assert_eq!(
            built.schedule.timing,
            ScheduleTiming::Interval { start_ms: 1_800_000, end_ms: 16_200_000, frequency_ms: 3_600_000 }
        );
    }

    #[test]
    fn a_saved_schedule_reads_back_as_the_local_values_it_was_made_from() {
        for zone in ["+01:00", "+02:00", "-04:00", "UTC"] {
            let built = build_schedule(&draft(zone), None, None, &FixedZones, MARCH_23_NOON).built.unwrap();
            let (back, notice) = draft_from_schedule(&built.schedule, &FixedZones, zone, MARCH_23_NOON);
            assert_eq!(notice, None);
            assert_eq!((back.time.as_str(), back.days.clone()), ("01:30", WEEKDAYS.to_vec()), "{zone}");
            assert_eq!(back.start_window_hours, "6");
            assert_eq!(back.name, "nightly");
        }
    }

    #[test]
    fn server_errors_find_their_input() {
        let mut e = ApiError::new(ErrorKind::Validation, "Field 'startWindowLength' must be between 1 and 86400000 ms");
        let shown = server_field_errors(&e);
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].field, "startWindowLength");
        assert!(shown[0].text(Lang::En).contains("must be between 1 and 86400000"));
        e.message = "A schedule named 'hour' already exists".into();
        assert!(server_field_errors(&e).is_empty(), "a quoted name is not a field");
        e.field = Some("name".into());
        assert_eq!(server_field_errors(&e)[0].field, "name");
        e.fields = vec![FieldError::new("interval.frequency", ValidationCode::NotPositive, "x")];
        assert_eq!(server_field_errors(&e)[0].msg, Msg::ScheduleFieldFrequencyNotPositive);
        assert!(server_field_errors(&ApiError::new(ErrorKind::Server, "Field 'name' broke")).is_empty());
    }

    #[test]
    fn times_and_durations_are_read_strictly() {
        assert_eq!(parse_time("01:30"), TimeOfDay::from_hm(1, 30));
        assert_eq!(parse_time("1:05:09"), TimeOfDay::from_hms_milli(1, 5, 9, 0));
        assert_eq!(parse_time("1:30 PM"), TimeOfDay::from_hm(13, 30));
        assert_eq!(parse_time(" 9:05p.m. "), TimeOfDay::from_hm(21, 5));
        assert_eq!(parse_time("12 am"), TimeOfDay::from_hm(0, 0));
        assert_eq!(parse_time("12:15 PM"), TimeOfDay::from_hm(12, 15));
        assert_eq!(parse_time("11:59:30 AM"), TimeOfDay::from_hms_milli(11, 59, 30, 0));
        for bad in ["", "24:00", "12", "12:60", "ab:cd", "12:00:00:00", "-1:00", "13:00 PM", "0:30 AM", "PM", "1:30 XM"]
        {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        assert_eq!(parse_duration("x", "1,5", MS_PER_HOUR), Ok(5_400_000));
        assert!(parse_duration("x", "-1", MS_PER_HOUR).is_err());
        assert_eq!(parse_duration("x", " 120 ", MS_PER_MINUTE), Ok(7_200_000));
        assert_eq!(parse_duration("x", ".25", MS_PER_HOUR), Ok(900_000));
        assert_eq!(parse_duration("x", "0.0001", MS_PER_HOUR), Ok(360));
        assert_eq!(parse_duration("x", "1e1", MS_PER_MINUTE), Ok(600_000));
        assert_eq!(parse_duration("x", "0", MS_PER_HOUR), Ok(0));
        assert_eq!(parse_duration("x", "1.00000000000000000001", MS_PER_HOUR), Ok(3_600_000));
        for wrong in ["x", "1.2.3", "1e", ".", "--1", "1e99999", "99999999999999999999"] {
            assert!(parse_duration("x", wrong, MS_PER_HOUR).is_err(), "{wrong}");
        }
        assert_eq!(duration_text(5_400_000, MS_PER_HOUR), "1.5");
        assert_eq!(duration_text(7_200_000, MS_PER_MINUTE), "120");
    }
}
