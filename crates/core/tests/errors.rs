#![allow(clippy::unwrap_used)]
//! Error extraction from every kind of body a server or proxy sends.

mod common;

use common::{fixture, json_response};
use vmbackup_core::error::{kind_for_status, looks_like_html, ValidationCode};
use vmbackup_core::http::HttpResponse;
use vmbackup_core::{ApiError, ErrorKind};

#[test]
fn status_maps_to_an_actionable_kind() {
    let cases = [
        (400, ErrorKind::Validation),
        (401, ErrorKind::Unauthorized),
        (403, ErrorKind::Forbidden),
        (404, ErrorKind::NotFound),
        (409, ErrorKind::Conflict),
        (422, ErrorKind::Validation),
        (500, ErrorKind::Server),
        (502, ErrorKind::Server),
        (503, ErrorKind::Server),
        (504, ErrorKind::Timeout),
        (418, ErrorKind::Server),
    ];
    for (status, kind) in cases {
        assert_eq!(kind_for_status(status), kind, "status {status}");
        let e = ApiError::from_response(&HttpResponse::new(status, Vec::new()));
        assert_eq!((e.kind, e.status), (kind, Some(status)));
        assert!(!e.message.is_empty());
    }
}

#[test]
fn message_comes_from_each_known_body_shape() {
    let e = ApiError::from_response(&HttpResponse::new(404, fixture("errors/not_found.json")));
    assert_eq!(e.message, "Virtual machine with guid 0f36 not found");

    let e = ApiError::from_response(&HttpResponse::new(400, fixture("errors/nested.json")));
    assert_eq!(e.message, "Priority must be between 0 and 100");
    assert_eq!(e.field.as_deref(), Some("priority"));
    assert_eq!(e.fields.len(), 1);
    assert_eq!(e.fields[0].code, ValidationCode::Server);

    let e = ApiError::from_response(&HttpResponse::new(400, fixture("errors/spring_validation.json")));
    assert_eq!((e.message.as_str(), e.field.as_deref()), ("must not be blank", Some("name")));

    let e = ApiError::from_response(&HttpResponse::new(404, fixture("errors/zstack.json")));
    assert_eq!(e.message, "cannot find VM[uuid:abc]");

    // `error` as a plain string is used when nothing better is there.
    let e = ApiError::from_response(&json_response(500, r#"{"error":"Internal Server Error"}"#));
    assert_eq!(e.message, "Internal Server Error");
}

#[test]
fn plain_text_and_empty_bodies() {
    let e = ApiError::from_response(&HttpResponse::new(503, b"  upstream connect error  ".to_vec()));
    assert_eq!(e.message, "upstream connect error");
    let e = ApiError::from_response(&HttpResponse::new(503, Vec::new()));
    assert!(e.message.contains("unavailable"), "{}", e.message);
    let e = ApiError::from_response(&json_response(500, r#"{"message":"   "}"#));
    assert!(e.message.contains("HTTP 500"), "blank server messages fall back: {}", e.message);
}

#[test]
fn html_pages_are_recognised_and_named() {
    let page = HttpResponse::new(502, fixture("errors/proxy_502.html"));
    assert!(looks_like_html(&page));
    let e = ApiError::from_response(&page);
    assert_eq!(e.kind, ErrorKind::Server);
    assert!(e.message.contains("web page") && e.message.contains("502"), "{}", e.message);
    assert_eq!(e.detail.as_deref(), Some("Page title: 502 Bad Gateway"));

    // Detected by content type even without markup at the start.
    let typed = HttpResponse::new(500, b"Oops".to_vec()).with_header("Content-Type", "text/html");
    assert!(looks_like_html(&typed));
    // JSON is not HTML.
    assert!(!looks_like_html(&json_response(500, r#"{"message":"<b>x</b>"}"#)));
}

#[test]
fn a_page_title_is_found_in_any_case_with_its_spaces_folded_after_bytes_that_are_not_utf8() {
    let mut body = b"\xEF\xBB\xBF<!DOCTYPE html><HTML><head>\xFF\xFE".to_vec();
    body.extend_from_slice("<TITLE lang=\"pl\">\n  Bramka   \u{17c}le\tdzia\u{142}a </Title></head></HTML>".as_bytes());
    let e = ApiError::from_response(&HttpResponse::new(502, body));
    assert_eq!(e.detail.as_deref(), Some("Page title: Bramka \u{17c}le dzia\u{142}a"));
    let typed = HttpResponse::new(500, b"{}".to_vec()).with_header("Content-Type", "Text/HTML; charset=utf-8");
    assert!(looks_like_html(&typed), "the content type is read in any case");
    let untitled = ApiError::from_response(&HttpResponse::new(502, b"<html><title>".to_vec()));
    assert_eq!(untitled.detail, None, "a title that never closes is no title");
}

#[test]
fn huge_bodies_are_cut() {
    let big = "x".repeat(100_000);
    let e = ApiError::from_response(&HttpResponse::new(500, big.into_bytes()));
    assert!(e.message.chars().count() <= 501);
    assert!(e.message.ends_with('…'));
}

#[test]
fn errors_serialise_for_javascript() {
    let e = ApiError::from_response(&HttpResponse::new(400, fixture("errors/nested.json")));
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["kind"], "validation");
    assert_eq!(v["status"], 400);
    assert_eq!(v["field"], "priority");
    assert_eq!(v["fields"][0]["code"], "server");
}

#[test]
fn a_kinds_name_is_its_serialised_name() {
    let kinds = [
        ErrorKind::Unauthorized,
        ErrorKind::Forbidden,
        ErrorKind::NotFound,
        ErrorKind::Validation,
        ErrorKind::Conflict,
        ErrorKind::Server,
        ErrorKind::Network,
        ErrorKind::Timeout,
        ErrorKind::Decode,
        ErrorKind::Unconfirmed,
    ];
    for kind in kinds {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.name(), "{kind:?}");
    }
}
