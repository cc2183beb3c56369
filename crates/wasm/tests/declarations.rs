//! The hand-written TypeScript declarations of the error types name exactly the kinds and codes the core
//! serialises (the core's error module does not derive declarations). Runs natively with `cargo test`.
#![cfg(not(target_arch = "wasm32"))]

use vmbackup_core::error::{ErrorKind, ValidationCode};
use vmbackup_wasm::error::ERROR_DECLARATIONS;

/// Every error kind. The match has no wildcard, so a new kind fails to compile here until it is listed.
fn every_kind() -> Vec<ErrorKind> {
    use ErrorKind::*;
    let kinds =
        vec![Unauthorized, Forbidden, NotFound, Validation, Conflict, Server, Network, Timeout, Decode, Unconfirmed];
    for kind in &kinds {
        match kind {
            Unauthorized | Forbidden | NotFound | Validation | Conflict | Server | Network | Timeout | Decode
            | Unconfirmed => {}
        }
    }
    kinds
}

/// Every validation code (same guard as above).
fn every_code() -> Vec<ValidationCode> {
    use ValidationCode::*;
    let codes = vec![
        Required,
        TooLong,
        OutOfRange,
        EndNotAfterStart,
        NotTimeOfDay,
        Empty,
        NotPositive,
        UnknownTimeZone,
        Server,
    ];
    for code in &codes {
        match code {
            Required | TooLong | OutOfRange | EndNotAfterStart | NotTimeOfDay | Empty | NotPositive
            | UnknownTimeZone | Server => {}
        }
    }
    codes
}

/// The string literals of `export type NAME = "a" | "b" …;` in the declarations.
fn union_members(name: &str) -> Vec<String> {
    let start = format!("export type {name} = ");
    let line = ERROR_DECLARATIONS
        .lines()
        .find_map(|line| line.strip_prefix(start.as_str()))
        .unwrap_or_else(|| panic!("no `{start}` in the declarations"));
    line.trim_end_matches(';').split(" | ").map(|member| member.trim_matches('"').to_string()).collect()
}

fn serde_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        other => panic!("not a string: {other:?}"),
    }
}

#[test]
fn error_kinds_are_the_cores_plus_usage() {
    let mut expected: Vec<String> = every_kind().iter().map(serde_name).collect();
    expected.push("usage".to_string());
    assert_eq!(union_members("ErrorKind"), expected);
}

#[test]
fn validation_codes_are_the_cores() {
    let expected: Vec<String> = every_code().iter().map(serde_name).collect();
    assert_eq!(union_members("ValidationCode"), expected);
}
