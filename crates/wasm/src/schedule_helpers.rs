//! The schedule helpers (cargo feature `admin`): conversion between a user's local wall time and Storware's UTC
//! fields, next-run previews, wall-clock conversions and the validation of policies, rules, schedules and zones.
//! Zone offsets come from the runtime's `Intl` ([`IntlZones`]). Re-exported by [`crate::helpers`].

use vmbackup_core::domain::{Policy, Rule, Schedule, ScheduleTiming};
use vmbackup_core::error::ApiError;
use vmbackup_core::schedule::civil::{CivilDate, TimeOfDay};
use vmbackup_core::schedule::{
    instant_to_local, interval_from_storware_in_zone, interval_to_storware_in_zone, local_to_instant, next_drift,
    next_runs_in_zone, time_from_storware_in_zone, time_to_storware_in_zone, Converted, LocalInterval,
    LocalTimeSchedule, OffsetReference, StorwareInterval, StorwareTime, WithFixedZones, ZoneOffsets,
};
use vmbackup_core::validation;
use wasm_bindgen::prelude::*;

use crate::error::VmbackupError;
use crate::helpers::field_errors;
use crate::intl::IntlZones;
use crate::json::{from_js, integer_arg, string_arg, to_js};

pub use crate::shapes::{LocalSchedule, ScheduleRules, ServerTiming};

/// The zones the helpers use: UTC and fixed offsets (`+05:30`) on every runtime, every other name from `Intl`.
fn zones() -> WithFixedZones<IntlZones> {
    WithFixedZones(IntlZones::new())
}

/// The instant whose offset a conversion uses: the given one, or by default the next run after now.
fn reference_arg(reference: &JsValue) -> Result<OffsetReference, VmbackupError> {
    let reference: Option<OffsetReference> = from_js(reference, "reference")?;
    Ok(reference.unwrap_or_else(|| OffsetReference::next_run(js_sys::Date::now() as i64)))
}

fn count_arg(count: f64) -> Result<usize, VmbackupError> {
    let count = integer_arg(count, "count")?;
    usize::try_from(count).map_err(|_| VmbackupError::usage_of("count", "count must not be negative"))
}

/// Converts a schedule entered in local wall time in `zone` into Storware's UTC fields.
///
/// Usually one part; two when an interval's window crosses midnight UTC (each needs its own schedule, attached
/// to the same rules). `reference` picks the instant whose UTC offset is used: by default the next run after now.
/// Unknown zones reject with a validation error on `timeZone`.
#[wasm_bindgen(js_name = scheduleToServer, unchecked_return_type = "Converted<ServerTiming[]>")]
pub fn schedule_to_server(
    #[wasm_bindgen(unchecked_param_type = "LocalSchedule")] local: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] zone: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "OffsetReference | null")] reference: JsValue,
) -> Result<JsValue, JsValue> {
    let local: LocalSchedule = from_js(&local, "local")?;
    let zone = string_arg(&zone, "zone")?;
    let reference = reference_arg(&reference)?;
    Ok(to_js(&to_server(&zones(), &zone, local, reference)?)?)
}

/// [`schedule_to_server`] with a given zone provider.
pub fn to_server<Z: ZoneOffsets + ?Sized>(
    zones: &Z,
    zone: &str,
    local: LocalSchedule,
    reference: OffsetReference,
) -> Result<Converted<Vec<ServerTiming>>, VmbackupError> {
    match local {
        LocalSchedule::Time { time, days_of_week, start_window_ms } => {
            let local = LocalTimeSchedule { time, days_of_week };
            let converted = time_to_storware_in_zone(zones, zone, &local, reference).map_err(ApiError::from)?;
            Ok(converted
                .map(|utc| vec![ServerTiming { timing: utc.timing(start_window_ms), days_of_week: utc.days_of_week }]))
        }
        LocalSchedule::Interval { start, end, frequency_ms, days_of_week } => {
            let local = LocalInterval { start, end, frequency_ms, days_of_week };
            let converted = interval_to_storware_in_zone(zones, zone, &local, reference).map_err(ApiError::from)?;
            Ok(converted.map(|pieces| {
                pieces
                    .into_iter()
                    .map(|piece| ServerTiming {
                        // Storware wants an interval's start before its end: a piece holding one run is a TIME
                        // schedule.
                        timing: if piece.is_single_run() {
                            ScheduleTiming::Time { time_of_day_ms: piece.start_ms, start_window_ms: None }
                        } else {
                            piece.timing()
                        },
                        days_of_week: piece.days_of_week,
                    })
                    .collect()
            }))
        }
    }
}

/// Converts Storware's UTC fields (a [`Schedule`] or a [`ServerTiming`]) into local wall time in `zone`.
///
/// Usually one part; two when an interval's window crosses local midnight. `reference` picks the instant whose
/// UTC offset is used: by default the schedule's next run after now, so the time shown is when the next backup
/// really starts.
#[wasm_bindgen(js_name = scheduleFromServer, unchecked_return_type = "Converted<LocalSchedule[]>")]
pub fn schedule_from_server(
    #[wasm_bindgen(unchecked_param_type = "ServerTiming | Schedule")] server: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] zone: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "OffsetReference | null")] reference: JsValue,
) -> Result<JsValue, JsValue> {
    let server: ServerTiming = from_js(&server, "server")?;
    let zone = string_arg(&zone, "zone")?;
    let reference = reference_arg(&reference)?;
    Ok(to_js(&from_server(&zones(), &zone, server, reference)?)?)
}

/// [`schedule_from_server`] with a given zone provider.
pub fn from_server<Z: ZoneOffsets + ?Sized>(
    zones: &Z,
    zone: &str,
    server: ServerTiming,
    reference: OffsetReference,
) -> Result<Converted<Vec<LocalSchedule>>, VmbackupError> {
    match server.timing {
        ScheduleTiming::Time { time_of_day_ms, start_window_ms } => {
            let utc = StorwareTime { time_of_day_ms, days_of_week: server.days_of_week };
            let converted = time_from_storware_in_zone(zones, zone, &utc, reference).map_err(ApiError::from)?;
            Ok(converted.map(|local| {
                vec![LocalSchedule::Time { time: local.time, days_of_week: local.days_of_week, start_window_ms }]
            }))
        }
        ScheduleTiming::Interval { start_ms, end_ms, frequency_ms } => {
            let utc = StorwareInterval { start_ms, end_ms, frequency_ms, days_of_week: server.days_of_week };
            let converted = interval_from_storware_in_zone(zones, zone, &utc, reference).map_err(ApiError::from)?;
            Ok(converted.map(|pieces| {
                pieces
                    .into_iter()
                    .map(|piece| LocalSchedule::Interval {
                        start: piece.start,
                        end: piece.end,
                        frequency_ms: piece.frequency_ms,
                        days_of_week: piece.days_of_week,
                    })
                    .collect()
            }))
        }
    }
}

/// The next up to `count` runs (at most 10,000) at or after `fromMs`, as epoch milliseconds. Storware keeps
/// schedules in UTC, so no zone is needed; see `nextRunsLocal` for how a wall clock shows them.
#[wasm_bindgen(js_name = nextRuns, unchecked_return_type = "number[]")]
pub fn next_runs(
    #[wasm_bindgen(unchecked_param_type = "ScheduleRules")] schedule: JsValue,
    #[wasm_bindgen(js_name = fromMs)] from_ms: f64,
    count: f64,
) -> Result<JsValue, JsValue> {
    let schedule = from_js::<ScheduleRules>(&schedule, "schedule")?.into_schedule();
    let runs = vmbackup_core::schedule::next_runs(&schedule, integer_arg(from_ms, "fromMs")?, count_arg(count)?);
    Ok(to_js(&runs)?)
}

/// The next up to `count` runs at or after `fromMs` as the wall clock in `zone` shows them (local date, weekday,
/// time and offset of each), for a preview such as "Mon 30 Mar 02:30 (UTC+02:00)".
#[wasm_bindgen(js_name = nextRunsLocal, unchecked_return_type = "LocalDateTime[]")]
pub fn next_runs_local(
    #[wasm_bindgen(unchecked_param_type = "ScheduleRules")] schedule: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] zone: JsValue,
    #[wasm_bindgen(js_name = fromMs)] from_ms: f64,
    count: f64,
) -> Result<JsValue, JsValue> {
    let schedule = from_js::<ScheduleRules>(&schedule, "schedule")?.into_schedule();
    let zone = string_arg(&zone, "zone")?;
    let runs = next_runs_in_zone(&schedule, &zones(), &zone, integer_arg(from_ms, "fromMs")?, count_arg(count)?)
        .map_err(|e| VmbackupError::from(ApiError::from(e)))?;
    Ok(to_js(&runs)?)
}

/// Where daylight saving moves the schedule's local run time in `zone` within the next 400 days: the last run at
/// the next run's offset and the first one after the change; `null` when every run keeps its local time.
#[wasm_bindgen(js_name = nextDrift, unchecked_return_type = "Drift | null")]
pub fn next_drift_js(
    #[wasm_bindgen(unchecked_param_type = "ScheduleRules")] schedule: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] zone: JsValue,
    #[wasm_bindgen(js_name = fromMs)] from_ms: f64,
) -> Result<JsValue, JsValue> {
    let schedule = from_js::<ScheduleRules>(&schedule, "schedule")?.into_schedule();
    let zone = string_arg(&zone, "zone")?;
    let drift = next_drift(&schedule, &zones(), &zone, integer_arg(from_ms, "fromMs")?)
        .map_err(|e| VmbackupError::from(ApiError::from(e)))?;
    Ok(to_js(&drift)?)
}

/// What the wall clock in `zone` shows at `instantMs`.
#[wasm_bindgen(js_name = instantToLocal, unchecked_return_type = "LocalDateTime")]
pub fn instant_to_local_js(
    #[wasm_bindgen(unchecked_param_type = "string")] zone: JsValue,
    #[wasm_bindgen(js_name = instantMs)] instant_ms: f64,
) -> Result<JsValue, JsValue> {
    let zone = string_arg(&zone, "zone")?;
    let local = instant_to_local(&zones(), &zone, integer_arg(instant_ms, "instantMs")?)
        .map_err(|e| VmbackupError::from(ApiError::from(e)))?;
    Ok(to_js(&local)?)
}

/// The instant (epoch ms) at which the wall clock in `zone` shows `date` at `timeMs` after midnight. A time
/// skipped by a daylight-saving jump gives the instant after the jump; a repeated one the earlier instant.
#[wasm_bindgen(js_name = localToInstant)]
pub fn local_to_instant_js(
    #[wasm_bindgen(unchecked_param_type = "string")] zone: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CivilDate")] date: JsValue,
    #[wasm_bindgen(js_name = timeMs)] time_ms: f64,
) -> Result<f64, JsValue> {
    let zone = string_arg(&zone, "zone")?;
    let date: CivilDate = from_js(&date, "date")?;
    let date = CivilDate::new(date.year, date.month, date.day)
        .ok_or_else(|| VmbackupError::usage_of("date", format!("date: {date} does not exist")))?;
    let time = u32::try_from(integer_arg(time_ms, "timeMs")?).ok().and_then(TimeOfDay::from_ms).ok_or_else(|| {
        VmbackupError::usage_of("timeMs", "timeMs must be milliseconds after midnight, below 86400000")
    })?;
    let instant = local_to_instant(&zones(), &zone, date, time).map_err(|e| VmbackupError::from(ApiError::from(e)))?;
    // Within JavaScript's Date range, so exactly representable.
    Ok(instant as f64)
}

/// The field errors of a schedule (name, times, window, frequency, weekdays); empty when it is valid.
#[wasm_bindgen(js_name = validateSchedule, unchecked_return_type = "FieldError[]")]
pub fn validate_schedule(
    #[wasm_bindgen(unchecked_param_type = "Schedule")] schedule: JsValue,
) -> Result<JsValue, JsValue> {
    field_errors(validation::schedule_errors(&from_js::<Schedule>(&schedule, "schedule")?))
}

/// The field errors of a policy (name, priority, retries, rules and each rule's name); empty when it is valid.
#[wasm_bindgen(js_name = validatePolicy, unchecked_return_type = "FieldError[]")]
pub fn validate_policy(#[wasm_bindgen(unchecked_param_type = "Policy")] policy: JsValue) -> Result<JsValue, JsValue> {
    field_errors(validation::policy_errors(&from_js::<Policy>(&policy, "policy")?))
}

/// The field errors of a rule on its own (its name); empty when it is valid.
#[wasm_bindgen(js_name = validateRule, unchecked_return_type = "FieldError[]")]
pub fn validate_rule(#[wasm_bindgen(unchecked_param_type = "Rule")] rule: JsValue) -> Result<JsValue, JsValue> {
    field_errors(validation::rule_errors(&from_js::<Rule>(&rule, "rule")?, ""))
}

/// The field errors of a time-zone name (`timeZone`): blank or unknown to the runtime; empty when it is known.
#[wasm_bindgen(js_name = validateTimeZone, unchecked_return_type = "FieldError[]")]
pub fn validate_time_zone(#[wasm_bindgen(unchecked_param_type = "string")] zone: JsValue) -> Result<JsValue, JsValue> {
    let zone = string_arg(&zone, "zone")?;
    let errors = match validation::validate_time_zone(&zones(), &zone, js_sys::Date::now() as i64) {
        Ok(()) => Vec::new(),
        Err(error) => error.fields,
    };
    field_errors(errors)
}
