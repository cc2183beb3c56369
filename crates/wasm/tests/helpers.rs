//! The pure helpers and the error conversion as JavaScript sees them (values in and out as JS objects), without a
//! server. Runs in Node and, with `WASM_BINDGEN_USE_BROWSER=1`, in headless Chromium.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use vmbackup_wasm::error::is_vmbackup_error;
use vmbackup_wasm::helpers::{
    instant_to_local_js, local_to_instant_js, next_drift_js, next_runs, next_runs_local, schedule_from_server,
    schedule_to_server, validate_backup, validate_schedule, validate_time_zone,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

/// A JS value from JSON.
fn js(value: Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap()
}

/// A JS value as JSON.
fn json_of(value: &JsValue) -> Value {
    serde_json::from_str(&js_sys::JSON::stringify(value).unwrap().as_string().unwrap()).unwrap()
}

fn prop(value: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(value, &name.into()).unwrap()
}

/// Asserts that `error` is a `VmbackupError` of `kind` and returns its JSON-able properties.
fn assert_error(error: &JsValue, kind: &str) -> Value {
    assert!(is_vmbackup_error(error.clone()), "not a VmbackupError: {error:?}");
    assert!(error.is_instance_of::<js_sys::Error>(), "a VmbackupError is an Error");
    assert_eq!(prop(error, "name").as_string().as_deref(), Some("VmbackupError"));
    let properties = json!({
        "kind": json_of(&prop(error, "kind")),
        "status": json_of(&prop(error, "status")),
        "message": json_of(&prop(error, "message")),
        "field": json_of(&prop(error, "field")),
        "fields": json_of(&prop(error, "fields")),
        "detail": json_of(&prop(error, "detail")),
    });
    assert_eq!(properties["kind"], kind, "{properties}");
    assert!(properties["message"].as_str().is_some_and(|m| !m.is_empty()), "{properties}");
    assert!(properties["fields"].is_array(), "{properties}");
    properties
}

const WEEKDAYS: [&str; 5] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"];
/// 2026-01-05T00:00:00Z (a Monday in Warsaw's winter) and 2026-07-06T00:00:00Z (a Monday in its summer).
const WINTER_MS: i64 = 1_767_571_200_000;
const SUMMER_MS: i64 = 1_783_296_000_000;
const HALF_PAST_ONE_MS: i64 = 5_400_000;

fn at(instant_ms: i64) -> JsValue {
    js(json!({ "kind": "at", "instantMs": instant_ms }))
}

#[wasm_bindgen_test]
fn warsaw_weekdays_at_half_past_one_convert_as_in_winter_and_in_summer() {
    let local = js(json!({ "kind": "time", "time": HALF_PAST_ONE_MS, "daysOfWeek": WEEKDAYS }));
    let winter = json_of(&schedule_to_server(local.clone(), "Europe/Warsaw".into(), at(WINTER_MS)).unwrap());
    assert_eq!(
        winter,
        json!({
            "value": [{ "timing": { "kind": "time", "timeOfDayMs": 1_800_000, "startWindowMs": null }, "daysOfWeek": WEEKDAYS }],
            "offsetSeconds": 3600,
            "referenceMs": WINTER_MS,
        })
    );
    let summer = json_of(&schedule_to_server(local, "Europe/Warsaw".into(), at(SUMMER_MS)).unwrap());
    assert_eq!(summer["value"][0]["timing"]["timeOfDayMs"], 84_600_000);
    assert_eq!(summer["value"][0]["daysOfWeek"], json!(["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "SUNDAY"]));
    assert_eq!(summer["offsetSeconds"], 7200);

    // Back again: the user's 01:30 on Monday to Friday.
    let back =
        json_of(&schedule_from_server(js(summer["value"][0].clone()), "Europe/Warsaw".into(), at(SUMMER_MS)).unwrap());
    assert_eq!(back["value"], json!([{ "kind": "time", "time": HALF_PAST_ONE_MS, "daysOfWeek": WEEKDAYS }]));
}

#[wasm_bindgen_test]
fn a_whole_schedule_converts_back_and_the_reference_defaults_to_the_next_run() {
    let schedule = js(json!({
        "id": "s-1", "name": "nightly", "active": true, "kind": "VM_BACKUP", "backupType": "FULL",
        "timing": { "kind": "time", "timeOfDayMs": 1_800_000, "startWindowMs": 3_600_000 },
        "daysOfWeek": ["MONDAY"], "months": [], "occurrences": [], "rules": [], "policies": [],
    }));
    let local = json_of(&schedule_from_server(schedule, "UTC".into(), JsValue::UNDEFINED).unwrap());
    assert_eq!(
        local["value"],
        json!([{ "kind": "time", "time": 1_800_000, "daysOfWeek": ["MONDAY"], "startWindowMs": 3_600_000 }])
    );
    assert_eq!(local["offsetSeconds"], 0);
    let now = js_sys::Date::now() as i64;
    let reference = local["referenceMs"].as_i64().unwrap();
    assert!(reference >= now - 60_000 && reference <= now + 8 * 86_400_000, "the next run: {reference}");
}

#[wasm_bindgen_test]
fn an_auckland_working_day_interval_crosses_midnight_utc_and_splits_in_two() {
    // 08:00–18:00 every two hours on Mondays, in the southern winter (UTC+12): 20:00–06:00 UTC.
    let local = js(json!({
        "kind": "interval", "start": 8 * 3_600_000, "end": 18 * 3_600_000, "frequencyMs": 7_200_000,
        "daysOfWeek": ["MONDAY"],
    }));
    let converted = json_of(&schedule_to_server(local, "Pacific/Auckland".into(), at(SUMMER_MS)).unwrap());
    assert_eq!(converted["offsetSeconds"], 43_200);
    assert_eq!(
        converted["value"],
        json!([
            { "timing": { "kind": "interval", "startMs": 72_000_000, "endMs": 79_200_000, "frequencyMs": 7_200_000 }, "daysOfWeek": ["SUNDAY"] },
            { "timing": { "kind": "interval", "startMs": 0, "endMs": 21_600_000, "frequencyMs": 7_200_000 }, "daysOfWeek": ["MONDAY"] },
        ])
    );
}

#[wasm_bindgen_test]
fn next_runs_cross_the_spring_change_and_show_the_new_local_time() {
    // 00:30 UTC = 01:30 CET; Warsaw moves to CEST at 01:00 UTC on 2026-03-29, so from the 30th on it is 02:30.
    let rules = js(
        json!({ "timing": { "kind": "time", "timeOfDayMs": 1_800_000, "startWindowMs": null }, "daysOfWeek": ["FRIDAY", "SATURDAY", "SUNDAY", "MONDAY"] }),
    );
    let from = 1_774_656_000_000_f64; // 2026-03-28T00:00:00Z, a Saturday
    let runs = json_of(&next_runs(rules.clone(), from, 3.0).unwrap());
    assert_eq!(runs, json!([1_774_657_800_000_i64, 1_774_744_200_000_i64, 1_774_830_600_000_i64]));
    let local = json_of(&next_runs_local(rules.clone(), "Europe/Warsaw".into(), from, 3.0).unwrap());
    let times: Vec<(i64, i64)> = local
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["time"].as_i64().unwrap(), r["offsetSeconds"].as_i64().unwrap()))
        .collect();
    assert_eq!(times, [(5_400_000, 3600), (5_400_000, 3600), (9_000_000, 7200)]);
    let drift = json_of(&next_drift_js(rules, "Europe/Warsaw".into(), from).unwrap());
    assert_eq!(drift["lastBefore"]["instantMs"], 1_774_744_200_000_i64);
    assert_eq!(drift["firstAfter"]["instantMs"], 1_774_830_600_000_i64);
    assert_eq!(drift["firstAfter"]["offsetSeconds"], 7200);
    // A zone without daylight saving keeps the local time.
    let rules =
        js(json!({ "timing": { "kind": "time", "timeOfDayMs": 0, "startWindowMs": null }, "daysOfWeek": ["MONDAY"] }));
    assert!(next_drift_js(rules, "Asia/Kolkata".into(), from).unwrap().is_null());
}

#[wasm_bindgen_test]
fn wall_clock_readings_and_instants() {
    let local = json_of(&instant_to_local_js("Asia/Kolkata".into(), 0.0).unwrap());
    assert_eq!(local["date"], json!({ "year": 1970, "month": 1, "day": 1 }));
    assert_eq!((local["time"].as_i64(), local["weekday"].as_str()), (Some(19_800_000), Some("THURSDAY")));
    // 02:30 on the spring-forward day does not exist in Warsaw: the instant after the gap (01:30 UTC).
    let date = js(json!({ "year": 2026, "month": 3, "day": 29 }));
    assert_eq!(local_to_instant_js("Europe/Warsaw".into(), date, 9_000_000.0).unwrap(), 1_774_747_800_000.0);
    let impossible =
        local_to_instant_js("Europe/Warsaw".into(), js(json!({ "year": 2026, "month": 2, "day": 30 })), 0.0);
    assert_error(&impossible.unwrap_err(), "usage");
}

#[wasm_bindgen_test]
fn validation_lists_every_field_error() {
    let schedule = js(json!({
        "id": null, "name": " ", "active": true, "kind": "VM_BACKUP", "backupType": "FULL",
        "timing": { "kind": "interval", "startMs": 7_200_000, "endMs": 3_600_000, "frequencyMs": 0 },
        "daysOfWeek": [], "months": [], "occurrences": [], "rules": [], "policies": [],
    }));
    let errors = json_of(&validate_schedule(schedule).unwrap());
    let fields: Vec<(&str, &str)> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", "required"),
            ("interval.endHour", "endNotAfterStart"),
            ("interval.frequency", "notPositive"),
            ("daysOfWeek", "empty")
        ]
    );
    let backup = js(json!({ "vms": [], "rules": ["r-1"], "backupType": "FULL", "priority": 101 }));
    let errors = json_of(&validate_backup(backup).unwrap());
    assert_eq!(errors.as_array().unwrap().len(), 2, "{errors}");
    assert_eq!(json_of(&validate_time_zone("Europe/Warsaw".into()).unwrap()), json!([]));
    let unknown = json_of(&validate_time_zone("Europe/Atlantis".into()).unwrap());
    assert_eq!(
        (unknown[0]["field"].as_str(), unknown[0]["code"].as_str()),
        (Some("timeZone"), Some("unknownTimeZone"))
    );
}

#[wasm_bindgen_test]
fn bad_input_throws_usage_errors_naming_what_is_wrong() {
    // Not an object.
    let error = validate_schedule("nope".into()).unwrap_err();
    let properties = assert_error(&error, "usage");
    assert_eq!(properties["field"], "schedule");
    // An unknown weekday.
    let local = js(json!({ "kind": "time", "time": 0, "daysOfWeek": ["FUNDAY"] }));
    let error = schedule_to_server(local, "UTC".into(), JsValue::UNDEFINED).unwrap_err();
    assert!(assert_error(&error, "usage")["message"].as_str().unwrap().contains("FUNDAY"));
    // A time beyond the day.
    let local = js(json!({ "kind": "time", "time": 86_400_000, "daysOfWeek": [] }));
    assert_error(&schedule_to_server(local, "UTC".into(), JsValue::UNDEFINED).unwrap_err(), "usage");
    // A zone that is not a string, numbers that are not whole.
    let local = js(json!({ "kind": "time", "time": 0, "daysOfWeek": [] }));
    assert_error(&schedule_to_server(local, JsValue::from(3), JsValue::UNDEFINED).unwrap_err(), "usage");
    let rules =
        js(json!({ "timing": { "kind": "time", "timeOfDayMs": 0, "startWindowMs": null }, "daysOfWeek": ["MONDAY"] }));
    assert_error(&next_runs(rules.clone(), f64::NAN, 3.0).unwrap_err(), "usage");
    assert_error(&next_runs(rules.clone(), 0.5, 3.0).unwrap_err(), "usage");
    assert_error(&next_runs(rules, 0.0, -1.0).unwrap_err(), "usage");
    // A BigInt cannot become JSON.
    let bigint = js_sys::BigInt::from(1u64);
    assert_error(&validate_schedule(bigint.into()).unwrap_err(), "usage");
}

#[wasm_bindgen_test]
fn unknown_zones_are_validation_errors_on_the_time_zone_field() {
    let local = js(json!({ "kind": "time", "time": 0, "daysOfWeek": ["MONDAY"] }));
    let error = schedule_to_server(local, "Mars/Olympus_Mons".into(), JsValue::UNDEFINED).unwrap_err();
    let properties = assert_error(&error, "validation");
    assert_eq!(properties["field"], "timeZone");
    assert_eq!(properties["fields"][0]["code"], "unknownTimeZone");
    assert_eq!(properties["status"], Value::Null);
    // Fixed offsets work on every runtime.
    let converted = json_of(&instant_to_local_js("+05:45".into(), 0.0).unwrap());
    assert_eq!(converted["offsetSeconds"], 20_700);
}

#[wasm_bindgen_test]
fn only_vmbackup_errors_are_vmbackup_errors() {
    assert!(!is_vmbackup_error(js_sys::Error::new("plain").into()));
    assert!(!is_vmbackup_error(JsValue::NULL));
    assert!(!is_vmbackup_error("VmbackupError".into()));
    // An error from another realm carries the same name, which is what counts.
    assert!(is_vmbackup_error(js(json!({ "name": "VmbackupError" }))));
}
