//! Shared test support: fixtures, response builders and the "never panics" property harness.
#![allow(dead_code)] // each test binary uses a different part of this module

use std::path::PathBuf;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use vmbackup_core::http::HttpResponse;
use vmbackup_core::{Endpoint, ErrorKind};

/// Cases per parser in the normal test run (the issue asks for at least 10,000).
pub const PROPERTY_CASES: u32 = 10_000;

/// The text of `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", name].iter().collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// A 200 response carrying a fixture as JSON.
pub fn ok_fixture(name: &str) -> HttpResponse {
    HttpResponse::new(200, fixture(name)).with_header("Content-Type", "application/json")
}

/// A response with `status` and a JSON text body.
pub fn json_response(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body.as_bytes().to_vec()).with_header("Content-Type", "application/json")
}

/// A proxy's HTML error page.
pub fn html_page(status: u16) -> HttpResponse {
    HttpResponse::new(
        status,
        b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
            .to_vec(),
    )
    .with_header("Content-Type", "text/html; charset=utf-8")
}

/// Keys the generated JSON draws from: real Storware field names, so generated objects reach deep into the
/// parsers instead of bouncing off the first missing field.
#[rustfmt::skip]
const KEYS: &[&str] = &[
    "guid", "uuid", "name", "description", "type", "state", "status", "progress", "priority", "present",
    "hvManager", "hypervisor", "hvCluster", "vmBackupPolicy", "backupUpToDate", "lastBackup", "size",
    "backupTime", "snapshotTime", "protectedEntity", "backupLocations", "backup", "backupDestination",
    "roleType", "windowStart", "windowEnd", "startTime", "finishTime", "tasks", "successful", "unsuccessful",
    "rules", "schedules", "hour", "interval", "startHour", "endHour", "frequency", "daysOfWeek", "months",
    "dayOfWeekOccurrences", "executionType", "backupType", "active", "vms", "ruleBackupDestinations",
    "backupRetentionSettings", "autoAssignSettings", "mode", "message", "error", "privileges", "url", "host",
    "clusters", "members", "items", "statusInfo", "originEntity", "tags", "position", "policy", "projects",
];

/// Arbitrary JSON, biased towards Storware-like objects and enum encodings.
pub fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        "[A-Z_]{0,12}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
        (0usize..KEYS.len()).prop_map(|i| Value::String(KEYS[i].to_string())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(((0usize..KEYS.len()).prop_map(|i| KEYS[i].to_string()), inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// An arbitrary response: any status the server or a proxy may send, an optional garbage total count, and a
/// body of arbitrary bytes or arbitrary JSON.
pub fn arb_response() -> impl Strategy<Value = HttpResponse> {
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        arb_json().prop_map(|v| v.to_string().into_bytes()),
        prop::collection::vec(arb_json(), 0..4).prop_map(|v| Value::Array(v).to_string().into_bytes()),
    ];
    let status =
        prop_oneof![Just(200u16), Just(201), Just(204), Just(400), Just(401), Just(404), Just(502), 100u16..600];
    let total = prop::option::of(prop_oneof!["[0-9]{1,25}", ".{0,8}"]);
    (status, total, body).prop_map(|(status, total, body)| {
        let mut r = HttpResponse::new(status, body);
        if let Some(t) = total {
            r = r.with_header("X-Total-Count", &t);
        }
        r
    })
}

/// Feeds `PROPERTY_CASES` arbitrary responses to `op.parse`: each must return `Ok` or `Err`, never panic, and a
/// non-2xx status must never be `Ok`.
pub fn parser_never_panics<E: Endpoint>(op: &E) {
    let mut runner = TestRunner::new(Config { cases: PROPERTY_CASES, failure_persistence: None, ..Config::default() });
    runner
        .run(&arb_response(), |resp| {
            let result = op.parse(&resp);
            if !resp.is_success() {
                prop_assert!(result.is_err(), "status {} parsed as success", resp.status);
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

/// The error fixtures of one area (`tests/fixtures/<area>/error_*.json`) and the messages they carry.
pub struct AreaErrors<'a> {
    pub area: &'a str,
    /// Message of `error_404.json`.
    pub not_found: &'a str,
    /// Message of `error_403_nested.json`.
    pub forbidden: &'a str,
    /// Message and field of `error_400_field.json`.
    pub invalid: (&'a str, &'a str),
}

/// Every way a call can fail at the HTTP level gives the right error, whatever the operation: the area's JSON
/// error bodies (401, 403 nested, 400 with a field, 404), a proxy's HTML page and a 2xx web page.
pub fn assert_error_answers<E: Endpoint>(op: &E, expected: &AreaErrors)
where
    E::Output: std::fmt::Debug,
{
    let answer = |status: u16, name: &str| {
        let body = fixture(&format!("{}/{name}", expected.area));
        op.parse(&HttpResponse::new(status, body).with_header("Content-Type", "application/json"))
            .expect_err("an error status must not parse as success")
    };
    let e = answer(404, "error_404.json");
    assert_eq!((e.kind, e.status, e.message.as_str()), (ErrorKind::NotFound, Some(404), expected.not_found));

    let e = answer(401, "error_401.json");
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Unauthorized, "Session expired"));

    let e = answer(403, "error_403_nested.json");
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Forbidden, expected.forbidden));

    let e = answer(400, "error_400_field.json");
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Validation, expected.invalid.0));
    assert_eq!(e.field.as_deref(), Some(expected.invalid.1));

    // A proxy's error page in front of the server.
    let e = op.parse(&html_page(502)).expect_err("a 502 page is an error");
    assert_eq!((e.kind, e.status), (ErrorKind::Server, Some(502)));
    assert!(e.message.contains("web page"), "{}", e.message);
    assert_eq!(e.detail.as_deref(), Some("Page title: 502 Bad Gateway"));

    // A web site answering 200 because the API base URL is wrong.
    let e = op.parse(&html_page(200)).expect_err("a 2xx web page is an error");
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.message.contains("web page"), "{}", e.message);
}
