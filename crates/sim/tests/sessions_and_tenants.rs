//! Sessions (login, cookie, keep-alive, logout, expiry → 401 → login → replay) and tenant isolation.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{body_json, start, start_with, wait_for, Client};
use serde_json::json;
use vmbackup_core::domain::{BackupType, Ref};
use vmbackup_core::http::Method;
use vmbackup_core::storware::backups::ListBackups;
use vmbackup_core::storware::policies::ListPolicies;
use vmbackup_core::storware::session::{CurrentUser, KeepAlive, Login, Logout};
use vmbackup_core::storware::tasks::{CancelTask, ExportVms, GetTask, ListTasks};
use vmbackup_core::storware::vms::{GetVm, ListVms};
use vmbackup_core::ErrorKind;

#[test]
fn login_cookie_keep_alive_user_and_logout() {
    let sim = start();
    let c = Client::new(&sim);
    // No session: 401 with the JSON error body.
    let r = c.raw(Method::Get, "/api/virtual-machines", None);
    assert_eq!(r.status, 401);
    assert_eq!(body_json(&r)["status"], 401);
    assert_eq!(c.call(&ListVms::all()).unwrap_err().kind, ErrorKind::Unauthorized);
    // Wrong password: 401, and the core says so in words.
    let e = c.call(&Login::new("admin", "wrong")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthorized);
    assert!(c.cookie().is_none());
    let login = c.raw(Method::Post, "/api/session/login", Some(r#"{"login":"admin","password":"vPr0tect"}"#));
    assert_eq!(login.status, 200);
    let cookie = login.header("set-cookie").unwrap();
    assert!(cookie.starts_with("JSESSIONID=") && cookie.contains("Path=/") && cookie.contains("HttpOnly"));
    assert!(!cookie.contains("SameSite"), "same-origin only: a plain cookie that works over http");
    c.call(&KeepAlive).unwrap();
    let me = c.call(&CurrentUser).unwrap();
    assert!(me.privileges.iter().any(|p| p == "VE_BACKUP_READ"));
    assert!(me.last_failed_login.is_some(), "the failed attempt is remembered");
    c.call(&Logout).unwrap();
    assert_eq!(c.call(&KeepAlive).unwrap_err().kind, ErrorKind::Unauthorized);
    assert_eq!(c.raw(Method::Post, "/api/session/login", Some("{")).status, 400);
}

#[test]
fn cross_origin_cookie_is_samesite_none_and_secure() {
    let sim = start_with(|o| o.allow_origins = vec!["http://portal.test".into()]);
    let c = Client::new(&sim);
    let login = c.raw(Method::Post, "/api/session/login", Some(r#"{"login":"admin","password":"vPr0tect"}"#));
    let cookie = login.header("set-cookie").unwrap();
    assert!(cookie.contains("SameSite=None") && cookie.contains("Secure"), "{cookie}");
}

#[test]
fn expired_session_gives_401_then_login_and_replay_work() {
    let sim = start_with(|o| o.session_ttl = Duration::from_secs(1));
    let c = Client::admin(&sim);
    let op = ListVms::page(0, 5);
    let before = c.call(&op).unwrap();
    // Use keeps the session alive (idle time, not age)…
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(500));
        c.call(&KeepAlive).unwrap();
    }
    // …idleness ends it.
    std::thread::sleep(Duration::from_millis(1300));
    assert_eq!(c.call(&op).unwrap_err().kind, ErrorKind::Unauthorized);
    c.call(&Login::new("admin", "vPr0tect")).unwrap();
    assert_eq!(c.call(&op).unwrap().items, before.items, "the replayed request gives the same answer");

    // Ended from the control endpoint: the same 401, for one user only.
    let tenant = Client::logged_in(&sim, "tenant-a", "tenant-a-pass");
    let ended = c.raw(Method::Post, "/__sim/expire-sessions?user=admin", None);
    assert_eq!(body_json(&ended)["expired"], 1);
    assert_eq!(c.call(&op).unwrap_err().kind, ErrorKind::Unauthorized);
    tenant.call(&KeepAlive).unwrap();
    c.call(&Login::new("admin", "vPr0tect")).unwrap();
    c.call(&op).unwrap();
}

#[test]
fn tenants_see_only_their_project() {
    let sim = start();
    let admin = Client::admin(&sim);
    let a = Client::logged_in(&sim, "tenant-a", "tenant-a-pass");
    let b = Client::logged_in(&sim, "tenant-b", "tenant-b-pass");
    let projects = admin.get_json("/projects");
    assert_eq!(projects.as_array().unwrap().len(), 3);
    assert_eq!(a.get_json("/projects").as_array().unwrap().len(), 1);
    let project_a = a.get_json("/projects")[0]["uuid"].as_str().unwrap().to_string();
    let project_b = b.get_json("/projects")[0]["uuid"].as_str().unwrap().to_string();

    let all = admin.call(&ListVms::all()).unwrap();
    let of_a = a.call(&ListVms::all()).unwrap();
    let of_b = b.call(&ListVms::all()).unwrap();
    assert_eq!(of_a.items.len() + of_b.items.len() + 13, all.items.len(), "40 VMs over 3 projects: 14/13/13");
    assert!(of_a.items.iter().all(|v| v.project.as_ref().unwrap().name.as_deref() == Some("Project A")));
    assert_eq!(of_a.total, Some(of_a.items.len() as u64));
    // The admin narrows with project-uuid; a tenant asking for another project sees nothing.
    let narrowed = admin.call(&ListVms::all().in_project(&project_a)).unwrap();
    let ids_a: HashSet<String> = of_a.items.iter().map(|v| v.id.clone()).collect();
    assert_eq!(narrowed.items.iter().map(|v| v.id.clone()).collect::<HashSet<_>>(), ids_a);
    assert!(a.call(&ListVms::all().in_project(&project_b)).unwrap().items.is_empty());
    let by_header = admin.raw_with_headers(
        Method::Get,
        "/api/virtual-machines",
        &[("3rd-party", "HORIZON"), ("3rd-party-project", &project_b)],
    );
    assert_eq!(body_json(&by_header).as_array().unwrap().len(), of_b.items.len());

    // B's VM does not exist for A: details, backups, export are 404 / empty.
    let vm_b = of_b.items.iter().find(|v| v.protection.policy.is_some() && v.protection.present).unwrap();
    assert_eq!(a.call(&GetVm::new(&vm_b.id)).unwrap_err().kind, ErrorKind::NotFound);
    assert!(a.call(&ListBackups::of_vm(&vm_b.id)).unwrap().items.is_empty());
    let admin_backups = admin.call(&ListBackups::all()).unwrap();
    let a_backups = a.call(&ListBackups::all()).unwrap();
    assert!(a_backups.items.len() < admin_backups.items.len());
    assert!(a_backups.items.iter().all(|bk| bk.vm.as_ref().is_some_and(|v| ids_a.contains(&v.id))));
    let r = a.json(Method::Post, "/tasks/export", &json!({"protectedEntities": [vm_b.id]}));
    assert_eq!(r.status, 404);

    // B's task: invisible to A, cancellable by B.
    let submitted =
        b.call(&ExportVms::new(vec![Ref::id(&vm_b.id)], vec![], BackupType::Full, 0).asynchronous()).unwrap();
    let task = submitted.tasks[0].id.clone();
    assert_eq!(a.call(&GetTask::new(&task)).unwrap_err().kind, ErrorKind::NotFound);
    assert_eq!(a.call(&CancelTask::new(&task)).unwrap_err().kind, ErrorKind::NotFound);
    assert!(a.call(&ListTasks::all()).unwrap().items.iter().all(|t| t.id != task));
    assert!(admin.call(&ListTasks::all()).unwrap().items.iter().any(|t| t.id == task));
    b.call(&CancelTask::new(&task)).unwrap();

    // Policies: each tenant sees its own three.
    let pa = a.call(&ListPolicies::all()).unwrap();
    let pb = b.call(&ListPolicies::all()).unwrap();
    assert_eq!(pa.items.len(), 3);
    let ids: HashSet<_> = pa.items.iter().map(|p| p.id.clone()).collect();
    assert!(pb.items.iter().all(|p| !ids.contains(&p.id)));
    let policy_b = pb.items[0].id.clone().unwrap();
    let r = a.raw(Method::Get, &format!("/api/policies/vm-backup/{policy_b}"), None);
    assert_eq!(r.status, 404);
    wait_for(Duration::from_secs(5), || {
        let t = b.call(&GetTask::new(&task)).unwrap();
        t.state.is_terminal().then_some(())
    });
}
