//! Schedules, policies and rules: CRUD through the core's operations and raw bodies of every era, with the
//! real server's validation (400 with a message) and VM assignment; a user without `VE_BACKUP_SLA_WRITE`
//! changes none of them.
#![allow(clippy::unwrap_used)]

mod common;

use common::{body_json, start, Client};
use serde_json::{json, Value};
use vmbackup_core::domain::Ref;
use vmbackup_core::http::Method;
use vmbackup_core::storware::policies::{AssignVms, CreatePolicy, DeletePolicy, GetPolicy, ListPolicies};
use vmbackup_core::storware::schedules::{DeleteSchedule, GetSchedule, ListSchedules};
use vmbackup_core::storware::session::CurrentUser;
use vmbackup_core::storware::vms::{GetVm, ListVms};
use vmbackup_core::ErrorKind;

fn message(r: &vmbackup_core::http::HttpResponse) -> String {
    body_json(r)["message"].as_str().unwrap_or_default().to_string()
}

fn time_schedule(name: &str) -> Value {
    json!({
        "name": name, "active": true, "type": {"name": "VM_BACKUP"}, "backupType": "INCREMENTAL",
        "executionType": {"name": "TIME", "description": "Time"}, "hour": 1_800_000, "startWindowLength": 21_600_000,
        "interval": null, "daysOfWeek": [{"name": "MONDAY"}, "FRIDAY"], "dayOfWeekOccurrences": [], "months": []
    })
}

#[test]
fn schedules_crud_with_validation() {
    let sim = start();
    let c = Client::admin(&sim);
    let before = c.call(&ListSchedules::all()).unwrap().items.len();
    let r = c.json(Method::Post, "/schedules", &time_schedule("nightly"));
    assert_eq!(r.status, 200, "{}", message(&r));
    let created = body_json(&r);
    let id = created["guid"].as_str().unwrap().to_string();
    assert_eq!(created["daysOfWeek"][1]["name"], "FRIDAY");
    assert_eq!(created["executionType"]["description"], "Time");
    let read = c.call(&GetSchedule::new(&id)).unwrap();
    assert_eq!(read.name, "nightly");
    assert_eq!(c.call(&ListSchedules::all()).unwrap().items.len(), before + 1);

    // Validation: each case is a 400 whose message names the problem.
    let cases: Vec<(Value, &str)> = vec![
        (json!({"name": "x"}), "executionType"),
        (json!({"name": "", "executionType": "TIME"}), "name"),
        (json!({"name": "x".repeat(256), "executionType": "TIME"}), "255"),
        (
            {
                let mut b = time_schedule("x");
                b["hour"] = json!(86_400_000);
                b
            },
            "hour",
        ),
        (
            {
                let mut b = time_schedule("x");
                b["hour"] = json!(-1);
                b
            },
            "hour",
        ),
        (
            {
                let mut b = time_schedule("x");
                b["startWindowLength"] = Value::Null;
                b
            },
            "startWindowLength",
        ),
        (
            {
                let mut b = time_schedule("x");
                b["daysOfWeek"] = json!([]);
                b
            },
            "daysOfWeek",
        ),
        (
            {
                let mut b = time_schedule("x");
                b["daysOfWeek"] = json!(["FUNDAY"]);
                b
            },
            "FUNDAY",
        ),
        (
            {
                let mut b = time_schedule("x");
                b["months"] = json!(["SMARCH"]);
                b
            },
            "months",
        ),
        (
            {
                let mut b = time_schedule("x");
                b["executionType"] = json!("INTERVAL");
                b
            },
            "interval",
        ),
        (
            {
                let mut b = time_schedule("x");
                b["executionType"] = json!("INTERVAL");
                b["interval"] = json!({"startHour": 5, "endHour": 1, "frequency": 60_000});
                b
            },
            "endHour",
        ),
        (time_schedule("nightly"), "already exists"),
    ];
    for (body, expected) in cases {
        let r = c.json(Method::Post, "/schedules", &body);
        assert_eq!(r.status, 400, "{body}");
        assert!(message(&r).contains(expected), "{expected}: {}", message(&r));
    }
    // An INTERVAL schedule as the UI sends it.
    let mut interval = time_schedule("every-2h");
    interval["executionType"] = json!({"name": "INTERVAL"});
    interval["hour"] = Value::Null;
    interval["startWindowLength"] = Value::Null;
    interval["interval"] = json!({"startHour": 0, "endHour": 79_140_000, "frequency": 7_200_000});
    assert_eq!(c.json(Method::Post, "/schedules", &interval).status, 200);

    // Replace, then delete; then it is gone.
    let mut renamed = time_schedule("nightly-2");
    renamed["active"] = json!(false);
    let r = c.json(Method::Put, &format!("/schedules/{id}"), &renamed);
    assert_eq!(r.status, 200, "{}", message(&r));
    assert_eq!(body_json(&r)["active"], false);
    c.call(&DeleteSchedule::new(&id)).unwrap();
    assert_eq!(c.call(&GetSchedule::new(&id)).unwrap_err().kind, ErrorKind::NotFound);
}

#[test]
fn policies_with_rules_validation_and_vm_assignment() {
    let sim = start();
    let c = Client::logged_in(&sim, "tenant-a", "tenant-a-pass");
    let destinations = c.get_json("/backup-destinations");
    let fs = destinations[0]["guid"].as_str().unwrap().to_string();
    let vms = c.call(&ListVms::all()).unwrap().items;
    let (vm1, vm2) = (vms[0].id.clone(), vms[1].id.clone());
    let schedule = body_json(&c.json(Method::Post, "/schedules", &time_schedule("a-nightly")))["guid"].clone();

    let policy = |name: &str, rules: Value| {
        json!({
            "name": name, "active": true, "priority": "70", "backupRetryCount": 0, "autoRemoveNonPresent": false,
            "autoAssignSettings": {"mode": "DISABLED", "includeTags": []},
            "vms": [vm1.clone()], "rules": rules, "visibleForAllProjects": false,
            "extraUiFlag": true
        })
    };
    let rule = json!({
        "name": "Default", "active": true, "position": 0, "schedules": [{"guid": schedule}],
        "ruleBackupDestinations": [{
            "roleType": {"name": "PRIMARY"}, "active": true, "backupDestination": {"guid": fs},
            "daysToKeepRetentionLock": 0,
            "backupRetentionSettings": {"retentionKeepLastNFull": 4, "retentionKeepFullNewerThan": 2_592_000_000_i64,
                "retentionKeepLastNIncremental": 30, "retentionKeepIncrementalNewerThan": 2_592_000_000_i64,
                "keepLastBackupWhenSourceStillExists": false}
        }]
    });

    // Validation.
    let r = c.json(Method::Post, "/policies/vm-backup", &policy("p", json!([])));
    assert_eq!(r.status, 400);
    assert!(message(&r).contains("rules"));
    let mut bad = policy("p", json!([rule.clone()]));
    bad["priority"] = json!(101);
    let r = c.json(Method::Post, "/policies/vm-backup", &bad);
    assert!(r.status == 400 && message(&r).contains("priority"), "{}", message(&r));
    let r = c.json(Method::Post, "/policies/vm-backup", &policy(&"n".repeat(256), json!([rule.clone()])));
    assert_eq!(r.status, 400);
    let r = c.json(Method::Post, "/policies/vm-backup", &policy("gold", json!([rule.clone()])));
    assert!(message(&r).contains("already exists"), "the project already has a gold policy");
    let mut unknown_vm = policy("p", json!([rule.clone()]));
    unknown_vm["vms"] = json!(["ghost"]);
    assert_eq!(c.json(Method::Post, "/policies/vm-backup", &unknown_vm).status, 404);

    // Create: the VM joins it (and leaves its old policy).
    let r = c.json(Method::Post, "/policies/vm-backup", &policy("platinum", json!([rule.clone()])));
    assert_eq!(r.status, 200, "{}", message(&r));
    let id = body_json(&r)["guid"].as_str().unwrap().to_string();
    assert_eq!(body_json(&r)["priority"], 70);
    assert_eq!(c.call(&GetVm::new(&vm1)).unwrap().protection.policy.unwrap().id, id);
    let in_policy = |p: &str| c.call(&ListPolicies::all().extended().for_vm(p)).unwrap().items;
    assert_eq!(in_policy(&vm1).len(), 1);

    // Assign through the core's whole-policy PUT: vm2 in, vm1 out.
    let read = c.call(&GetPolicy::new(&id)).unwrap();
    assert_eq!(read.rules.len(), 1);
    assert_eq!(read.rules[0].destinations[0].destination.id, fs);
    c.call(&AssignVms::replace(read, vec![Ref::id(&vm2)]).unwrap()).unwrap();
    assert!(c.call(&GetVm::new(&vm1)).unwrap().protection.policy.is_none());
    assert_eq!(c.call(&GetVm::new(&vm2)).unwrap().protection.policy.unwrap().id, id);
    let read = c.call(&GetPolicy::new(&id)).unwrap();
    assert_eq!(read.vms.iter().map(|v| v.id.clone()).collect::<Vec<_>>(), vec![vm2.clone()]);

    // A copy made by the core's create operation is accepted as it writes it.
    let mut copy = read.clone();
    copy.id = None;
    copy.name = "platinum-copy".into();
    copy.vms = vec![];
    let created = c.call(&CreatePolicy::new(copy)).unwrap();
    assert_eq!(created.rules.len(), 1);

    // Rules: the 4.x two-step shape with bare guids; a policy keeps at least one rule.
    let r = c.json(
        Method::Post,
        "/rules/vm-backup",
        &json!({"name": "Second", "schedules": [schedule], "backupDestinations": [fs], "policy": id}),
    );
    assert_eq!(r.status, 200, "{}", message(&r));
    let second = body_json(&r)["guid"].as_str().unwrap().to_string();
    assert_eq!(body_json(&r)["ruleBackupDestinations"][0]["roleType"]["name"], "PRIMARY");
    assert_eq!(c.call(&GetPolicy::new(&id)).unwrap().rules.len(), 2);
    let r = c.json(Method::Post, "/rules/vm-backup", &json!({"name": "x", "schedules": []}));
    assert!(r.status == 400 && message(&r).contains("policy"));
    assert_eq!(c.raw(Method::Delete, &format!("/api/rules/vm-backup/{second}"), None).status, 204);
    let last = c.call(&GetPolicy::new(&id)).unwrap().rules[0].id.clone().unwrap();
    let r = c.raw(Method::Delete, &format!("/api/rules/vm-backup/{last}"), None);
    assert_eq!(r.status, 400);
    // list-by-entities names the VM's policy with its rules.
    let r = c.json(Method::Post, "/policies/vm-backup/list-by-entities", &json!({"protectedEntities": [vm2]}));
    assert_eq!(body_json(&r)[0]["rules"][0]["name"], "Default");

    // Delete: the VM is left without a policy.
    c.call(&DeletePolicy::new(&id)).unwrap();
    assert!(c.call(&GetVm::new(&vm2)).unwrap().protection.policy.is_none());
    assert_eq!(c.call(&GetPolicy::new(&id)).unwrap_err().kind, ErrorKind::NotFound);
}

#[test]
fn a_viewer_sees_policies_and_schedules_but_may_change_none() {
    let sim = start();
    let admin = Client::admin(&sim);
    let viewer = Client::logged_in(&sim, "viewer", "viewer-pass");
    let me = viewer.call(&CurrentUser).unwrap();
    assert!(me.privileges.iter().any(|p| p == "VE_BACKUP_SLA_READ"), "{:?}", me.privileges);
    assert!(me.privileges.iter().all(|p| !p.ends_with("_WRITE")), "{:?}", me.privileges);

    // It sees what the administrator sees, and narrows to a project like the administrator.
    let policies = viewer.call(&ListPolicies::all()).unwrap().items;
    assert_eq!(policies.len(), admin.call(&ListPolicies::all()).unwrap().items.len());
    assert_eq!(viewer.call(&ListVms::all()).unwrap().items.len(), admin.call(&ListVms::all()).unwrap().items.len());
    let project_a = admin.get_json("/projects")[0]["uuid"].as_str().unwrap().to_string();
    let narrowed = viewer.call(&ListVms::all().in_project(&project_a)).unwrap().items;
    assert_eq!(narrowed.len(), admin.call(&ListVms::all().in_project(&project_a)).unwrap().items.len());

    // Every change of a policy, its VMs, its rules or a schedule is a 403 that names the privilege.
    let forbidden = |r: &vmbackup_core::http::HttpResponse| {
        assert_eq!(r.status, 403, "{}", message(r));
        assert_eq!(message(r), "Missing privilege: VE_BACKUP_SLA_WRITE");
    };
    let id = policies.iter().find(|p| p.vm_count.unwrap_or(0) > 0).unwrap().id.clone().unwrap();
    let policy = viewer.call(&GetPolicy::new(&id)).unwrap();
    let members: Vec<String> = policy.vms.iter().map(|v| v.id.clone()).collect();
    let outsider = viewer.call(&ListVms::all()).unwrap().items.into_iter().find(|v| v.protection.policy.is_none());
    let outsider = Ref::id(outsider.unwrap().id);
    let e = viewer.call(&AssignVms::assign(policy.clone(), std::slice::from_ref(&outsider)).unwrap()).unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Forbidden, Some(403)));
    let e = viewer.call(&AssignVms::unassign(policy.clone(), &policy.vms[..1]).unwrap()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert_eq!(viewer.call(&DeletePolicy::new(&id)).unwrap_err().kind, ErrorKind::Forbidden);
    let mut copy = policy.clone();
    copy.id = None;
    copy.name = "viewer-copy".into();
    copy.vms = vec![];
    assert_eq!(viewer.call(&CreatePolicy::new(copy)).unwrap_err().kind, ErrorKind::Forbidden);
    let after = admin.call(&GetPolicy::new(&id)).unwrap();
    assert_eq!(after.vms.iter().map(|v| v.id.clone()).collect::<Vec<_>>(), members, "nothing changed");

    let rule = after.rules[0].id.clone().unwrap();
    forbidden(&viewer.json(Method::Post, "/rules/vm-backup", &json!({"name": "x", "schedules": [], "policy": id})));
    forbidden(&viewer.json(Method::Put, &format!("/rules/vm-backup/{rule}"), &json!({"name": "x"})));
    forbidden(&viewer.raw(Method::Delete, &format!("/api/rules/vm-backup/{rule}"), None));
    assert_eq!(admin.call(&GetPolicy::new(&id)).unwrap().rules.len(), after.rules.len());

    let schedule = viewer.call(&ListSchedules::all()).unwrap().items[0].id.clone().unwrap();
    forbidden(&viewer.json(Method::Post, "/schedules", &time_schedule("viewer-nightly")));
    forbidden(&viewer.json(Method::Put, &format!("/schedules/{schedule}"), &time_schedule("viewer-nightly")));
    forbidden(&viewer.raw(Method::Delete, &format!("/api/schedules/{schedule}"), None));
    let kept = admin.call(&GetSchedule::new(&schedule)).unwrap();
    assert_ne!(kept.name, "viewer-nightly");

    // The administrator still may, on the same policy.
    admin.call(&AssignVms::assign(after, &[outsider]).unwrap()).unwrap();
}
