//! Every fault option, from the command line and switched at run time through `/__sim/`, plus CORS, static
//! files and the control endpoints.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{backupable_vm, body_json, start, start_with, wait_for, Client};
use serde_json::json;
use vmbackup_core::http::Method;
use vmbackup_core::storware::session::KeepAlive;
use vmbackup_core::storware::tasks::GetTask;
use vmbackup_core::storware::vms::ListVms;
use vmbackup_core::ErrorKind;

#[test]
fn latency_applies_to_the_api_only() {
    let sim = start_with(|o| o.latency_ms = 250);
    let c = Client::admin(&sim);
    let t = Instant::now();
    c.call(&KeepAlive).unwrap();
    assert!(t.elapsed() >= Duration::from_millis(250));
    let t = Instant::now();
    assert_eq!(c.raw(Method::Get, "/__sim/health", None).status, 200);
    assert!(t.elapsed() < Duration::from_millis(200), "control endpoints are not delayed");
    // Switched off at run time.
    let r = c.raw(Method::Put, "/__sim/faults", Some(r#"{"latencyMs": 0}"#));
    assert_eq!(body_json(&r)["latencyMs"], 0);
    let t = Instant::now();
    c.call(&KeepAlive).unwrap();
    assert!(t.elapsed() < Duration::from_millis(200));
}

#[test]
fn error_rate_gives_json_server_errors_and_html_errors_give_proxy_pages() {
    let sim = start_with(|o| o.error_rate = 1.0);
    let c = Client::new(&sim);
    let r = c.raw(Method::Post, "/api/session/login", Some(r#"{"login":"admin","password":"vPr0tect"}"#));
    assert_eq!(r.status, 500);
    assert_eq!(body_json(&r)["error"], "Internal Server Error");
    let e = c.call(&ListVms::all()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);
    assert!(e.message.contains("Simulated"), "{}", e.message);
    // The control endpoints still answer; turn on HTML pages.
    let r = c.raw(Method::Patch, "/__sim/faults", Some(r#"{"htmlErrors": true}"#));
    assert_eq!(r.status, 200);
    let r = c.raw(Method::Get, "/api/session", None);
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(String::from_utf8_lossy(&r.body).contains("nginx"));
    let e = c.call(&ListVms::all()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);
    assert!(e.message.contains("web page"), "{}", e.message);
    // A share: about half of 200 requests fail.
    c.raw(Method::Put, "/__sim/faults", Some(r#"{"errorRate": 0.5, "htmlErrors": false}"#));
    let failed = (0..200).filter(|_| c.raw(Method::Get, "/api/session", None).status == 500).count();
    assert!((60..=140).contains(&failed), "{failed} of 200 failed");
    // Bad control input is refused with a message.
    let r = c.raw(Method::Put, "/__sim/faults", Some(r#"{"errorRate": 2}"#));
    assert_eq!(r.status, 400);
    let r = c.raw(Method::Put, "/__sim/faults", Some(r#"{"errrorRate": 0}"#));
    assert_eq!(r.status, 400);
}

#[test]
fn html_errors_from_the_command_line() {
    let sim = start_with(|o| {
        o.error_rate = 1.0;
        o.html_errors = true;
    });
    let c = Client::new(&sim);
    let r = c.raw(Method::Get, "/api/virtual-machines", None);
    assert_eq!(r.status, 502);
    assert!(String::from_utf8_lossy(&r.body).contains("502 Bad Gateway"));
}

#[test]
fn fail_rate_ends_tasks_failed_with_a_message_and_the_backup_failed() {
    let sim = start_with(|o| o.fail_rate = 1.0);
    let c = Client::admin(&sim);
    let (vm, _) = backupable_vm(&c);
    let r = c.json(Method::Post, "/tasks/export", &json!({"protectedEntities": [vm]}));
    let task = body_json(&r)[0].clone();
    let workflow = task["workflowExecution"]["guid"].as_str().unwrap().to_string();
    let failed = wait_for(Duration::from_secs(10), || {
        let tasks = c.get_json(&format!("/tasks?workflow-execution={workflow}&states=FAILED"));
        tasks.as_array().unwrap().first().cloned()
    });
    assert!(!failed["statusInfo"].as_str().unwrap().is_empty());
    assert!(failed["finishTime"].is_i64());
    let backup = c.get_json(&format!("/backups/{}", task["backup"]["guid"].as_str().unwrap()));
    assert_eq!(backup["status"]["name"], "FAILED");
    assert_eq!(backup["statusInfo"], failed["statusInfo"]);
    // Switched off at run time: the next backup succeeds.
    c.raw(Method::Put, "/__sim/faults", Some(r#"{"failRate": 0, "taskSeconds": 0.5}"#));
    let r = c.json(Method::Post, "/tasks/export", &json!({"protectedEntities": [vm]}));
    let backup = body_json(&r)[0]["backup"]["guid"].as_str().unwrap().to_string();
    wait_for(Duration::from_secs(10), || {
        (c.get_json(&format!("/backups/{backup}"))["status"]["name"] == "SUCCESS").then_some(())
    });
    // A VM that is no longer present cannot be backed up: the task fails and says why.
    let gone = c.get_json("/virtual-machines");
    let gone = gone.as_array().unwrap().iter().find(|v| v["present"] == false && !v["vmBackupPolicy"].is_null());
    if let Some(gone) = gone {
        let r = c.json(Method::Post, "/tasks/export", &json!({"protectedEntities": [gone["guid"]]}));
        let id = body_json(&r)[0]["guid"].as_str().unwrap().to_string();
        let t = wait_for(Duration::from_secs(10), || {
            let t = c.call(&GetTask::new(&id)).unwrap();
            t.state.is_terminal().then_some(t)
        });
        assert!(t.status_info.unwrap().contains("no longer exists"));
    }
}

#[test]
fn cors_for_allowed_origins_only() {
    let sim = start_with(|o| o.allow_origins = vec!["http://portal.test".into()]);
    let c = Client::admin(&sim);
    let pre = c.raw_with_headers(Method::Get, "/api/virtual-machines", &[("Origin", "http://portal.test")]);
    assert_eq!(pre.header("access-control-allow-origin"), Some("http://portal.test"));
    assert_eq!(pre.header("access-control-allow-credentials"), Some("true"));
    assert!(pre.header("access-control-expose-headers").unwrap().contains("X-Total-Count"));
    let other = c.raw_with_headers(Method::Get, "/api/virtual-machines", &[("Origin", "http://evil.test")]);
    assert_eq!(other.header("access-control-allow-origin"), None);
    // A preflight needs no session and is never delayed or failed by faults.
    c.raw(Method::Put, "/__sim/faults", Some(r#"{"errorRate": 1}"#));
    let anonymous = Client::new(&sim);
    assert_eq!(anonymous.raw(Method::Get, "/api/session", None).status, 500, "plain requests still fail");
    let options = ureq_options(&sim.url(), "/api/tasks/export");
    assert_eq!(options.0, 204);
    assert_eq!(options.1.as_deref(), Some("http://portal.test"));
}

/// An OPTIONS preflight (the core's `Method` has no OPTIONS).
fn ureq_options(root: &str, path: &str) -> (u16, Option<String>) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let request = ureq::http::Request::builder()
        .method("OPTIONS")
        .uri(format!("{root}{path}"))
        .header("Origin", "http://portal.test")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .body(())
        .unwrap();
    let r = agent.run(request).unwrap();
    let origin = r.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_string());
    (r.status().as_u16(), origin)
}

#[test]
fn request_counts_reset_and_unknown_paths() {
    let sim = start();
    let c = Client::admin(&sim);
    c.raw(Method::Delete, "/__sim/requests", None);
    for _ in 0..3 {
        c.call(&ListVms::page(0, 5)).unwrap();
    }
    let counts = body_json(&c.raw(Method::Get, "/__sim/requests", None));
    assert_eq!(counts["byPath"]["GET /api/virtual-machines"], 3);
    assert_eq!(counts["total"], 3, "control calls are not counted");
    // Unknown API paths and methods: JSON 404 / 405.
    let r = c.raw(Method::Get, "/api/no-such-thing", None);
    assert_eq!((r.status, body_json(&r)["status"].as_u64()), (404, Some(404)));
    let r = c.raw(Method::Patch, "/api/virtual-machines", None);
    assert_eq!(r.status, 405);
    // Trailing slash variant of the guide.
    let (vm, _) = backupable_vm(&c);
    assert_eq!(c.raw(Method::Get, &format!("/api/backups/?protected-entity={vm}"), None).status, 200);
    // Reset: tasks gone, faults back to the start-up values.
    c.json(Method::Post, "/tasks/export", &json!({"protectedEntities": [vm]}));
    c.raw(Method::Put, "/__sim/faults", Some(r#"{"latencyMs": 5}"#));
    assert_eq!(c.raw(Method::Post, "/__sim/reset", None).status, 200);
    assert_eq!(body_json(&c.raw(Method::Get, "/__sim/faults", None))["latencyMs"], 0);
    assert!(c.get_json("/tasks").as_array().unwrap().is_empty());
    let users = body_json(&c.raw(Method::Get, "/__sim/users", None));
    assert_eq!(users[1]["login"], "tenant-a");
    let viewer = users.as_array().unwrap().iter().find(|u| u["login"] == "viewer").unwrap();
    assert_eq!((&viewer["password"], &viewer["readOnly"]), (&json!("viewer-pass"), &json!(true)));
}

#[test]
fn static_files_and_landing_page() {
    let dir = std::env::temp_dir().join(format!("vmbackup-sim-static-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), "<html>spa</html>").unwrap();
    std::fs::write(dir.join("assets/app.js"), "console.log(1)").unwrap();
    let sim = start_with(|o| o.static_dir = Some(dir.clone()));
    let c = Client::new(&sim);
    let r = c.raw(Method::Get, "/", None);
    assert_eq!((r.status, r.body.as_slice()), (200, b"<html>spa</html>".as_slice()));
    let r = c.raw(Method::Get, "/assets/app.js", None);
    assert!(r.header("content-type").unwrap().starts_with("text/javascript"));
    let r = c.raw(Method::Get, "/vms/123", None);
    assert_eq!(r.body, b"<html>spa</html>", "client-side routes get the app");
    assert_eq!(c.raw(Method::Get, "/missing.css", None).status, 404);
    assert_eq!(c.raw(Method::Get, "/%2e%2e/%2e%2e/etc/passwd", None).status, 404);
    drop(sim);
    let _ = std::fs::remove_dir_all(&dir);
    let plain = start();
    let r = Client::new(&plain).raw(Method::Get, "/", None);
    assert!(String::from_utf8_lossy(&r.body).contains("vmbackup-sim"));
}

#[test]
fn a_dropped_connection_loses_the_answer_but_not_the_request() {
    let sim = start();
    let c = Client::admin(&sim);
    let vm = backupable_vm(&c);
    let r = c.raw(Method::Put, "/__sim/faults", Some(r#"{"dropRate": 1}"#));
    assert_eq!(body_json(&r)["dropRate"], 1.0);
    let before = body_json(&c.raw(Method::Get, "/__sim/health", None))["tasks"].as_u64().unwrap();
    let body = json!({"protectedEntities": [vm.0]}).to_string();
    let sent = c.try_raw(Method::Post, "/api/tasks/export", Some(&body));
    assert!(sent.is_err(), "the connection drops without an answer: {sent:?}");
    c.raw(Method::Put, "/__sim/faults", Some(r#"{"dropRate": 0}"#));
    let after = body_json(&c.raw(Method::Get, "/__sim/health", None))["tasks"].as_u64().unwrap();
    assert!(after > before, "the backup was submitted although its answer was lost ({before} -> {after})");
}
