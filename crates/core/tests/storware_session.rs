#![allow(clippy::unwrap_used)]
//! Session operations: login, logout, keep-alive, current user.

mod common;

use common::{html_page, json_response, ok_fixture};
use serde_json::json;
use vmbackup_core::http::{HttpResponse, Method, Purpose};
use vmbackup_core::storware::session::{CurrentUser, KeepAlive, Login, Logout};
use vmbackup_core::{Endpoint, ErrorKind};

#[test]
fn login_request_is_exact_and_marked_as_login() {
    let req = Login::new("portal-svc", "s3cret \"quoted\"").request();
    assert_eq!((req.method, req.path_and_query().as_str()), (Method::Post, "/session/login"));
    assert_eq!(req.purpose, Purpose::Login);
    assert_eq!(req.body_json(), Some(json!({"login": "portal-svc", "password": "s3cret \"quoted\""})));
    assert!(req.headers.contains(&("Content-Type".into(), "application/json".into())));
}

#[test]
fn login_password_never_appears_in_debug_output() {
    let text = format!("{:?}", Login::new("u", "hunter2"));
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn login_parses_session_info_with_both_privilege_encodings() {
    let info = Login::new("u", "p").parse(&ok_fixture("session/login_7x.json")).unwrap();
    assert_eq!(info.last_successful_login, Some(1_740_988_798_000));
    assert_eq!(info.last_failed_login, None);
    assert_eq!(info.time_zone.as_deref(), Some("Europe/Warsaw"));
    assert_eq!(info.privileges, vec!["VE_BACKUP_SLA_READ", "NODE_READ", "MGMT_RBAC_ACCESS_READ"]);
}

#[test]
fn login_accepts_201_and_an_empty_body() {
    let info = Login::new("u", "p").parse(&HttpResponse::new(201, Vec::new())).unwrap();
    assert_eq!(info, Default::default());
}

#[test]
fn wrong_credentials_say_so() {
    let e = Login::new("u", "bad").parse(&HttpResponse::new(401, Vec::new())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthorized);
    assert_eq!(e.message, "The user name or password is not correct.");
    // The server's own message wins when it has one.
    let e = Login::new("u", "bad").parse(&json_response(401, r#"{"message":"Account locked"}"#)).unwrap_err();
    assert_eq!(e.message, "Account locked");
}

#[test]
fn login_through_a_failing_proxy() {
    let e = Login::new("u", "p").parse(&html_page(502)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);
    assert!(e.message.contains("web page"));
}

#[test]
fn logout_keep_alive_and_current_user_requests() {
    let req = Logout.request();
    assert_eq!((req.method, req.path.as_str(), req.body.is_none()), (Method::Post, "/session/logout", true));
    assert!(req.purpose.is_replay_safe());
    let req = KeepAlive.request();
    assert_eq!((req.method, req.path_and_query().as_str()), (Method::Get, "/session"));
    let req = CurrentUser.request();
    assert_eq!((req.method, req.path_and_query().as_str()), (Method::Get, "/session/user"));
}

#[test]
fn keep_alive_reads_204_and_401() {
    assert_eq!(KeepAlive.parse(&HttpResponse::new(204, Vec::new())), Ok(()));
    assert_eq!(KeepAlive.parse(&HttpResponse::new(401, Vec::new())).unwrap_err().kind, ErrorKind::Unauthorized);
    assert_eq!(Logout.parse(&HttpResponse::new(200, b"{}".to_vec())), Ok(()));
}

#[test]
fn current_user_parses_like_login() {
    let info = CurrentUser.parse(&ok_fixture("session/login_7x.json")).unwrap();
    assert_eq!(info.time_zone.as_deref(), Some("Europe/Warsaw"));
    let e = CurrentUser.parse(&HttpResponse::new(200, b"[1,2]".to_vec())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
}

#[test]
fn login_never_panics() {
    common::parser_never_panics(&Login::new("u", "p"));
}

#[test]
fn current_user_never_panics() {
    common::parser_never_panics(&CurrentUser);
}

#[test]
fn keep_alive_never_panics() {
    common::parser_never_panics(&KeepAlive);
}

#[test]
fn logout_never_panics() {
    common::parser_never_panics(&Logout);
}
