#![allow(clippy::unwrap_used)]
//! `/policies/vm-backup` and `/rules/vm-backup`: requests and parsing.

mod common;

use common::{fixture, html_page, json_response, ok_fixture};
use serde_json::json;
use vmbackup_core::domain::{
    AutoAssignMode, DestinationRole, Direction, Policy, Ref, Retention, Rule, RuleDestination,
};
use vmbackup_core::http::{HttpResponse, Method, Purpose};
use vmbackup_core::storware::policies::{
    ui_default_retention, AssignVms, CreatePolicy, CreateRule, DeletePolicy, DeleteRule, GetPolicy, GetRule,
    ListPolicies, PoliciesForVms, UpdatePolicy, UpdateRule,
};
use vmbackup_core::{Endpoint, ErrorKind};

const THIRTY_DAYS: u64 = 2_592_000_000;

fn primary(dest: &str) -> RuleDestination {
    RuleDestination {
        id: None,
        destination: Ref::id(dest),
        role: DestinationRole::Primary,
        active: true,
        retention_lock_days: 0,
        retention: ui_default_retention(),
    }
}

fn default_rule() -> Rule {
    Rule {
        id: None,
        name: "Default".into(),
        active: true,
        position: Some(0),
        policy: None,
        schedules: vec![Ref::id("ab12")],
        destinations: vec![primary("b0d1")],
        server_fields: Default::default(),
    }
}

/// The policy of the §4.9 example.
fn gold() -> Policy {
    Policy {
        id: None,
        name: "gold".into(),
        active: true,
        priority: 50,
        retry_count: 0,
        auto_remove_non_present: false,
        auto_assign: AutoAssignMode::Disabled,
        vms: vec![Ref::id("0f36f40c-6427-4035-9f2b-1ead6aca3597")],
        rules: vec![default_rule()],
        projects: vec![],
        visible_for_all_projects: true,
        vm_count: None,
        server_fields: Default::default(),
    }
}

/// A saved policy with ids on the policy, its rule and the rule's destination.
fn saved_gold() -> Policy {
    let mut p = gold();
    p.id = Some("pol-1".into());
    p.rules[0].id = Some("rule-1".into());
    p.rules[0].destinations[0].id = Some("rbd-1".into());
    p
}

fn retention_json() -> serde_json::Value {
    json!({
        "retentionKeepLastNFull": 4, "retentionKeepFullNewerThan": THIRTY_DAYS,
        "retentionKeepLastNIncremental": 30, "retentionKeepIncrementalNewerThan": THIRTY_DAYS,
        "keepLastBackupWhenSourceStillExists": false
    })
}

// ----- policy requests ------------------------------------------------------------------------------------

#[test]
fn list_request_with_every_option() {
    let op = ListPolicies::page(2, 10)
        .sort_by("priority", Direction::Desc)
        .extended()
        .name_like(" gold ")
        .filter("a&b")
        .for_vm("vm/1")
        .in_project("p 1");
    let req = op.request();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path, "/policies/vm-backup");
    assert_eq!(
        req.path_and_query(),
        "/policies/vm-backup?page=2&size=10&orderBy=priority&direction=desc&extended=true&nameLike=gold&filter=a%26b\
         &virtual-machine=vm%2F1&project-uuid=p%201"
    );
    assert_eq!(req.body, None);
}

#[test]
fn list_request_without_options() {
    assert_eq!(ListPolicies::all().request().path_and_query(), "/policies/vm-backup");
    let blank = ListPolicies::all().name_like("  ").filter("").request();
    assert_eq!(blank.path_and_query(), "/policies/vm-backup", "blank searches are no filter");
}

#[test]
fn get_and_delete_requests_encode_the_id() {
    let req = GetPolicy::new("p/1").request();
    assert_eq!((req.method, req.path_and_query()), (Method::Get, "/policies/vm-backup/p%2F1".to_string()));
    let req = DeletePolicy::new("p 1").request();
    assert_eq!((req.method, req.path_and_query()), (Method::Delete, "/policies/vm-backup/p%201".to_string()));
    assert_eq!(req.body, None);
}

#[test]
fn create_sends_the_7x_one_request_body() {
    let req = CreatePolicy::new(gold()).request();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.purpose, Purpose::Submit);
    assert_eq!(req.path_and_query(), "/policies/vm-backup");
    assert!(req.headers.contains(&("Content-Type".into(), "application/json".into())));
    assert_eq!(
        req.body_json().unwrap(),
        json!({
            "name": "gold",
            "active": true,
            "priority": 50,
            "backupRetryCount": 0,
            "autoRemoveNonPresent": false,
            "autoAssignSettings": {"mode": {"name": "DISABLED"}, "includeTags": [], "excludeTags": [],
                                   "includeRegExps": [], "excludeRegExps": [], "hvClusters": []},
            "vms": [{"guid": "0f36f40c-6427-4035-9f2b-1ead6aca3597"}],
            "rules": [{
                "name": "Default",
                "active": true,
                "position": 0,
                "schedules": [{"guid": "ab12"}],
                "ruleBackupDestinations": [{
                    "roleType": {"name": "PRIMARY"},
                    "active": true,
                    "backupDestination": {"guid": "b0d1"},
                    "daysToKeepRetentionLock": 0,
                    "backupRetentionSettings": retention_json()
                }]
            }],
            "failRemainingBackupTasksExportThreshold": null,
            "failRemainingBackupTasksStoreThreshold": null,
            "projects": [],
            "visibleForAllProjects": true,
            "dailyReportEnabled": false,
            "executeAutoAssignmentAfterSavingPolicy": false,
            "disableCleanOldBackups": false,
            "quiesceBeforeSnapshot": false
        })
    );
}

#[test]
fn create_drops_ids_and_numbers_rules_without_position() {
    let mut p = saved_gold();
    let mut second = default_rule();
    second.name = "Monthly".into();
    second.position = None;
    second.destinations = vec![RuleDestination {
        id: Some("rbd-9".into()),
        destination: Ref::named("tape", "Tape library"),
        role: DestinationRole::Archive,
        active: false,
        retention_lock_days: 30,
        retention: Retention::default(),
    }];
    p.rules.push(second);
    p.projects = vec![Ref::named("proj-1", "tenant-a")];
    p.visible_for_all_projects = false;
    let body = CreatePolicy::new(p).request().body_json().unwrap();
    assert!(body.get("guid").is_none());
    assert!(body["rules"][0].get("guid").is_none(), "a copied rule's id is not sent");
    assert!(body["rules"][0]["ruleBackupDestinations"][0].get("guid").is_none());
    assert_eq!(
        body["rules"][1],
        json!({
            "name": "Monthly",
            "active": true,
            "position": 1,
            "schedules": [{"guid": "ab12"}],
            "ruleBackupDestinations": [{
                "roleType": {"name": "ARCHIVE"},
                "active": false,
                "backupDestination": {"guid": "tape", "name": "Tape library"},
                "daysToKeepRetentionLock": 30,
                "backupRetentionSettings": {
                    "retentionKeepLastNFull": null, "retentionKeepFullNewerThan": null,
                    "retentionKeepLastNIncremental": null, "retentionKeepIncrementalNewerThan": null,
                    "keepLastBackupWhenSourceStillExists": false
                }
            }]
        })
    );
    assert_eq!(body["projects"], json!([{"guid": "proj-1", "name": "tenant-a"}]));
    assert_eq!(body["visibleForAllProjects"], json!(false));
}

#[test]
fn update_puts_the_same_body_with_all_ids() {
    let op = UpdatePolicy::new(saved_gold()).unwrap();
    let req = op.request();
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.purpose, Purpose::Change);
    assert_eq!(req.path_and_query(), "/policies/vm-backup/pol-1");
    assert_eq!(
        req.body_json().unwrap(),
        json!({
            "guid": "pol-1",
            "name": "gold",
            "active": true,
            "priority": 50,
            "backupRetryCount": 0,
            "autoRemoveNonPresent": false,
            "autoAssignSettings": {"mode": {"name": "DISABLED"}, "includeTags": [], "excludeTags": [],
                                   "includeRegExps": [], "excludeRegExps": [], "hvClusters": []},
            "vms": [{"guid": "0f36f40c-6427-4035-9f2b-1ead6aca3597"}],
            "rules": [{
                "guid": "rule-1",
                "name": "Default",
                "active": true,
                "position": 0,
                "schedules": [{"guid": "ab12"}],
                "ruleBackupDestinations": [{
                    "guid": "rbd-1",
                    "roleType": {"name": "PRIMARY"},
                    "active": true,
                    "backupDestination": {"guid": "b0d1"},
                    "daysToKeepRetentionLock": 0,
                    "backupRetentionSettings": retention_json()
                }]
            }],
            "failRemainingBackupTasksExportThreshold": null,
            "failRemainingBackupTasksStoreThreshold": null,
            "projects": [],
            "visibleForAllProjects": true,
            "dailyReportEnabled": false,
            "executeAutoAssignmentAfterSavingPolicy": false,
            "disableCleanOldBackups": false,
            "quiesceBeforeSnapshot": false
        })
    );
}

#[test]
fn update_refuses_unsaved_policies_and_policies_read_without_rules() {
    let e = UpdatePolicy::new(gold()).unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Validation, Some("guid")));

    let mut no_rules = saved_gold();
    no_rules.rules.clear();
    let e = UpdatePolicy::new(no_rules.clone()).unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Validation, Some("rules")));
    let e = AssignVms::assign(no_rules, &[Ref::id("x")]).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("rules"));

    // A list without `extended` has no rules: such a policy cannot be saved back by accident.
    let listed = ListPolicies::all().parse(&ok_fixture("policies/list.json")).unwrap();
    assert!(UpdatePolicy::new(listed.items[0].clone()).is_err());
}

#[test]
fn assign_adds_vms_once_and_puts_the_whole_policy() {
    let mut p = saved_gold();
    p.vms = vec![Ref::named("a", "web-01"), Ref::id("b")];
    let op = AssignVms::assign(p, &[Ref::id("b"), Ref::named("c", "db-01"), Ref::id("c")]).unwrap();
    assert_eq!(op.policy.vms, vec![Ref::named("a", "web-01"), Ref::id("b"), Ref::named("c", "db-01")]);
    let req = op.request();
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.path_and_query(), "/policies/vm-backup/pol-1");
    let body = req.body_json().unwrap();
    assert_eq!(body["guid"], json!("pol-1"));
    assert_eq!(body["vms"], json!([{"guid": "a", "name": "web-01"}, {"guid": "b"}, {"guid": "c", "name": "db-01"}]));
    assert_eq!(body["rules"][0]["guid"], json!("rule-1"), "the rules go back with their ids");
}

#[test]
fn unassign_and_replace_compute_the_new_list() {
    let mut p = saved_gold();
    p.vms = vec![Ref::id("a"), Ref::id("b"), Ref::id("c")];
    let op = AssignVms::unassign(p.clone(), &[Ref::named("b", "ignored name"), Ref::id("not-there")]).unwrap();
    assert_eq!(op.policy.vms, vec![Ref::id("a"), Ref::id("c")]);
    assert_eq!(op.request().body_json().unwrap()["vms"], json!([{"guid": "a"}, {"guid": "c"}]));

    let op = AssignVms::unassign(p.clone(), &[Ref::id("a"), Ref::id("b"), Ref::id("c")]).unwrap();
    assert_eq!(op.request().body_json().unwrap()["vms"], json!([]));

    let op = AssignVms::replace(p, vec![Ref::id("z"), Ref::id("z"), Ref::id("y")]).unwrap();
    assert_eq!(op.policy.vms, vec![Ref::id("z"), Ref::id("y")]);
    assert_eq!(op.id, "pol-1");
}

#[test]
fn a_read_policy_is_written_back_with_its_rules() {
    let p = GetPolicy::new("x").parse(&ok_fixture("policies/detail_7x.json")).unwrap();
    let body = AssignVms::unassign(p, &[Ref::id("1e47f51d-7538-4146-8a3c-2fbe7bdb46a8")]).unwrap().request();
    let body = body.body_json().unwrap();
    assert_eq!(body["vms"], json!([{"guid": "0f36f40c-6427-4035-9f2b-1ead6aca3597", "name": "web-01"}]));
    assert_eq!(body["priority"], json!(80));
    assert_eq!(body["backupRetryCount"], json!(2));
    assert_eq!(body["autoRemoveNonPresent"], json!(true));
    let rules = body["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2, "the rule marked for deletion is not sent back");
    assert_eq!(rules[0]["guid"], json!("6d3f8e21-0b9c-4d7e-9f80-223344556677"));
    assert_eq!(rules[0]["position"], json!(0));
    assert_eq!(
        rules[1]["ruleBackupDestinations"][1],
        json!({
            "guid": "rbd-2",
            "roleType": {"name": "SECONDARY"},
            "active": false,
            "backupDestination": {"guid": "b0d1c2e3-0000-4000-8000-000000000002", "name": "s3-offsite"},
            "daysToKeepRetentionLock": 14,
            "backupRetentionSettings": {
                "retentionKeepLastNFull": 12, "retentionKeepFullNewerThan": 31_536_000_000u64,
                "retentionKeepLastNIncremental": 0, "retentionKeepIncrementalNewerThan": 0,
                "keepLastBackupWhenSourceStillExists": true
            }
        })
    );
}

#[test]
fn policies_for_vms_posts_bare_guids_as_a_query() {
    let req = PoliciesForVms::new(["0f36", "vm-2"]).request();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.purpose, Purpose::Query, "a read-only POST may be repeated");
    assert_eq!(req.path_and_query(), "/policies/vm-backup/list-by-entities");
    assert_eq!(req.body_json().unwrap(), json!({"protectedEntities": ["0f36", "vm-2"]}));
}

// ----- rule requests --------------------------------------------------------------------------------------

#[test]
fn get_and_delete_rule_requests() {
    let req = GetRule::new("r/1").request();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path_and_query(), "/rules/vm-backup/r%2F1?only-active-destinations=false");
    let req = DeleteRule::new("r 1").request();
    assert_eq!((req.method, req.path_and_query()), (Method::Delete, "/rules/vm-backup/r%201".to_string()));
}

#[test]
fn create_rule_sends_the_7x_body_with_its_policy() {
    let mut rule = default_rule();
    rule.id = Some("stale".into());
    rule.destinations[0].id = Some("stale-rbd".into());
    rule.policy = Some(Ref::id("ignored"));
    let req = CreateRule::new(Ref::named("pol-1", "gold"), rule).request();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.purpose, Purpose::Submit);
    assert_eq!(req.path_and_query(), "/rules/vm-backup");
    assert_eq!(
        req.body_json().unwrap(),
        json!({
            "name": "Default",
            "active": true,
            "position": 0,
            "policy": {"guid": "pol-1", "name": "gold"},
            "schedules": [{"guid": "ab12"}],
            "ruleBackupDestinations": [{
                "roleType": {"name": "PRIMARY"},
                "active": true,
                "backupDestination": {"guid": "b0d1"},
                "daysToKeepRetentionLock": 0,
                "backupRetentionSettings": retention_json()
            }]
        })
    );
}

#[test]
fn create_rule_without_position_lets_the_server_place_it() {
    let mut rule = default_rule();
    rule.position = None;
    let body = CreateRule::new(Ref::id("pol-1"), rule).request().body_json().unwrap();
    assert!(body.get("position").is_none(), "{body}");
    assert_eq!(body["policy"], json!({"guid": "pol-1"}));
}

#[test]
fn update_rule_puts_the_body_with_ids() {
    let mut rule = default_rule();
    rule.id = Some("rule-1".into());
    rule.destinations[0].id = Some("rbd-1".into());
    rule.policy = Some(Ref::named("pol-1", "gold"));
    let req = UpdateRule::new(rule).unwrap().request();
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.path_and_query(), "/rules/vm-backup/rule-1");
    assert_eq!(
        req.body_json().unwrap(),
        json!({
            "guid": "rule-1",
            "name": "Default",
            "active": true,
            "position": 0,
            "policy": {"guid": "pol-1", "name": "gold"},
            "schedules": [{"guid": "ab12"}],
            "ruleBackupDestinations": [{
                "guid": "rbd-1",
                "roleType": {"name": "PRIMARY"},
                "active": true,
                "backupDestination": {"guid": "b0d1"},
                "daysToKeepRetentionLock": 0,
                "backupRetentionSettings": retention_json()
            }]
        })
    );

    let e = UpdateRule::new(default_rule()).unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Validation, Some("guid")));
}

// ----- policy parsing -------------------------------------------------------------------------------------

#[test]
fn list_parses_records_without_rules_and_the_total() {
    let resp = ok_fixture("policies/list.json").with_header("X-Total-Count", "2");
    let page = ListPolicies::page(0, 10).parse(&resp).unwrap();
    assert_eq!(page.total, Some(2));
    let gold = &page.items[0];
    assert_eq!(gold.id.as_deref(), Some("a8b1f0d2-1111-4c3d-9e8f-000000000001"));
    assert_eq!(gold.name, "gold");
    assert!(gold.active);
    assert_eq!((gold.priority, gold.retry_count), (80, 2));
    assert!(gold.auto_remove_non_present);
    assert_eq!(gold.auto_assign, AutoAssignMode::Disabled);
    assert_eq!(gold.vm_count, Some(12));
    assert!(gold.rules.is_empty() && gold.vms.is_empty());
    assert!(gold.visible_for_all_projects);

    let silver = &page.items[1];
    assert!(!silver.active);
    assert_eq!(silver.auto_assign, AutoAssignMode::AssignAndRemove);
    assert_eq!(silver.name, "uuid_4a9e2b71_silver", "the name is kept as the server sent it");
    assert_eq!(silver.projects, vec![Ref::named("proj-1", "tenant-a")]);
    assert!(!silver.visible_for_all_projects);
}

#[test]
fn get_parses_7x_details_and_drops_rules_marked_for_deletion() {
    let p = GetPolicy::new("x").parse(&ok_fixture("policies/detail_7x.json")).unwrap();
    assert_eq!(p.id.as_deref(), Some("a8b1f0d2-1111-4c3d-9e8f-000000000001"));
    assert_eq!(
        p.vms,
        vec![
            Ref::named("0f36f40c-6427-4035-9f2b-1ead6aca3597", "web-01"),
            Ref::named("1e47f51d-7538-4146-8a3c-2fbe7bdb46a8", "db-01")
        ],
        "whole VM records read as references"
    );
    assert_eq!(p.vm_count, Some(2));
    assert_eq!(p.rules.len(), 2);
    assert!(p.rules.iter().all(|r| r.name != "Being removed"));

    let weekly = &p.rules[0];
    assert_eq!(weekly.name, "Weekly full", "rules are ordered by position");
    assert_eq!(weekly.position, Some(0));
    assert!(!weekly.active);
    assert_eq!(weekly.policy, Some(Ref::named("a8b1f0d2-1111-4c3d-9e8f-000000000001", "gold")), "owner filled in");
    assert_eq!(
        weekly.destinations,
        vec![RuleDestination {
            id: None,
            destination: Ref::named("b0d1c2e3-0000-4000-8000-000000000003", "tape"),
            role: DestinationRole::Archive,
            active: true,
            retention_lock_days: 0,
            retention: Retention::default(),
        }]
    );

    let daily = &p.rules[1];
    assert_eq!(daily.id.as_deref(), Some("5c2e7d10-9a8b-4c6d-8e7f-112233445566"));
    assert_eq!(daily.schedules, vec![Ref::named("ab12c3d4-0000-4000-8000-000000000001", "weekdays-0130-warsaw")]);
    assert_eq!(
        daily.destinations[0],
        RuleDestination {
            id: Some("rbd-1".into()),
            destination: Ref::named("b0d1c2e3-0000-4000-8000-000000000001", "fs-primary"),
            role: DestinationRole::Primary,
            active: true,
            retention_lock_days: 0,
            retention: ui_default_retention(),
        }
    );
    assert_eq!(
        daily.destinations[1],
        RuleDestination {
            id: Some("rbd-2".into()),
            destination: Ref::named("b0d1c2e3-0000-4000-8000-000000000002", "s3-offsite"),
            role: DestinationRole::Secondary,
            active: false,
            retention_lock_days: 14,
            retention: Retention {
                keep_last_full: Some(12),
                keep_full_newer_than_ms: Some(31_536_000_000),
                keep_last_incremental: Some(0),
                keep_incremental_newer_than_ms: Some(0),
                keep_last_when_source_exists: true,
            },
        }
    );
}

#[test]
fn get_parses_bare_string_enums_and_skips_unreadable_destinations() {
    let p = GetPolicy::new("x").parse(&ok_fixture("policies/detail_bare.json")).unwrap();
    assert_eq!(p.name, "platinum");
    assert!(p.active);
    assert_eq!((p.priority, p.retry_count), (70, 1), "numeric strings read as numbers");
    assert!(!p.auto_remove_non_present);
    assert_eq!(p.auto_assign, AutoAssignMode::AssignOnly);
    assert_eq!(p.rules.len(), 1, "\"false\" is not marked for deletion");
    let rule = &p.rules[0];
    assert_eq!(
        rule.destinations,
        vec![
            RuleDestination {
                id: Some("rbd-bare".into()),
                destination: Ref::named("dest-1", "fs"),
                role: DestinationRole::Secondary,
                active: true,
                retention_lock_days: 7,
                retention: Retention {
                    keep_last_full: Some(3),
                    keep_last_when_source_exists: true,
                    ..Retention::default()
                },
            },
            RuleDestination {
                id: None,
                destination: Ref::id("dest-2"),
                role: DestinationRole::Other("COLD_STORAGE".into()),
                active: true,
                retention_lock_days: 0,
                retention: Retention::default(),
            },
        ],
        "an entry without a destination and a bare string are skipped; unknown roles are kept"
    );
}

#[test]
fn get_parses_a_4x_policy_without_inline_rules() {
    let p = GetPolicy::new("x").parse(&ok_fixture("policies/detail_4x.json")).unwrap();
    assert_eq!(p.id.as_deref(), Some("legacy-policy"));
    assert_eq!(p.name, "default");
    assert!(p.active, "4.x policies have no `active`: they are active");
    assert_eq!(p.priority, 50);
    assert_eq!(p.retry_count, 0);
    assert_eq!(p.auto_assign, AutoAssignMode::Disabled);
    assert_eq!(p.vms, vec![Ref::id("0f36f40c-6427-4035-9f2b-1ead6aca3597"), Ref::named("vm-2", "app-02")]);
    assert!(p.rules.is_empty());
    assert!(p.visible_for_all_projects);
    assert_eq!(p.vm_count, None);
}

#[test]
fn list_reads_4x_rule_references_and_clamps_priority() {
    let page = ListPolicies::all().parse(&ok_fixture("policies/list_4x.json")).unwrap();
    let p = &page.items[0];
    assert_eq!(p.priority, 100, "priority 150 is clamped to the 0–100 range");
    assert_eq!(p.vms, vec![Ref::id("vm-1")]);
    let ids: Vec<_> = p.rules.iter().map(|r| (r.id.as_deref(), r.name.as_str())).collect();
    assert_eq!(ids, vec![(Some("rule-guid-1"), ""), (Some("rule-guid-2"), "Second")]);
    assert!(p.rules.iter().all(|r| r.destinations.is_empty() && r.active));
}

#[test]
fn a_minimal_policy_gets_documented_defaults() {
    let p = GetPolicy::new("x").parse(&json_response(200, r#"{"guid":"only"}"#)).unwrap();
    assert_eq!(p.id.as_deref(), Some("only"));
    assert_eq!(p.name, "");
    assert!(p.active);
    assert_eq!((p.priority, p.retry_count), (50, 0));
    assert_eq!(p.auto_assign, AutoAssignMode::Disabled);
    assert!(p.vms.is_empty() && p.rules.is_empty() && p.projects.is_empty());
}

#[test]
fn policies_for_vms_reads_the_policies_with_rules() {
    let policies = PoliciesForVms::new(["0f36f40c-6427-4035-9f2b-1ead6aca3597"])
        .parse(&ok_fixture("policies/list_by_entities.json"))
        .unwrap();
    assert_eq!(policies.len(), 1);
    let rules = &policies[0].rules;
    assert_eq!(rules.len(), 1, "the rule marked for deletion is not offered");
    assert_eq!(rules[0].id.as_deref(), Some("5c2e7d10-9a8b-4c6d-8e7f-112233445566"));
    assert_eq!(rules[0].name, "Default");
    assert_eq!(rules[0].policy, Some(Ref::named("a8b1f0d2-1111-4c3d-9e8f-000000000001", "gold")));

    let none = PoliciesForVms::new(["x"]).parse(&json_response(200, "[]")).unwrap();
    assert!(none.is_empty());
}

#[test]
fn create_and_update_return_the_saved_policy() {
    let saved = CreatePolicy::new(gold()).parse(&ok_fixture("policies/detail_7x.json")).unwrap();
    assert_eq!(saved.id.as_deref(), Some("a8b1f0d2-1111-4c3d-9e8f-000000000001"));
    let e = CreatePolicy::new(gold()).parse(&HttpResponse::new(201, Vec::new())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode, "a create without the record cannot tell the new id");

    let op = UpdatePolicy::new(saved_gold()).unwrap();
    assert_eq!(op.parse(&HttpResponse::new(204, Vec::new())).unwrap(), saved_gold());
    assert_eq!(op.parse(&ok_fixture("policies/detail_7x.json")).unwrap().priority, 80);

    let mut p = saved_gold();
    p.vms.clear();
    let op = AssignVms::assign(p, &[Ref::id("new")]).unwrap();
    assert_eq!(op.parse(&HttpResponse::new(204, Vec::new())).unwrap().vms, vec![Ref::id("new")]);
}

// ----- rule parsing ---------------------------------------------------------------------------------------

#[test]
fn get_rule_parses_7x_details() {
    let rule = GetRule::new("x").parse(&ok_fixture("policies/rule_7x.json")).unwrap();
    assert_eq!(rule.id.as_deref(), Some("5c2e7d10-9a8b-4c6d-8e7f-112233445566"));
    assert_eq!(rule.name, "Daily");
    assert_eq!(rule.position, Some(1));
    assert_eq!(rule.policy, Some(Ref::named("a8b1f0d2-1111-4c3d-9e8f-000000000001", "gold")));
    assert_eq!(rule.schedules.len(), 2);
    assert_eq!(rule.destinations.len(), 2);
    assert_eq!(rule.destinations[1].role, DestinationRole::Secondary);
    assert!(!rule.destinations[1].active);
    assert_eq!(
        rule.destinations[1].retention,
        Retention {
            keep_last_full: Some(12),
            keep_full_newer_than_ms: Some(31_536_000_000),
            keep_last_incremental: None,
            keep_incremental_newer_than_ms: None,
            keep_last_when_source_exists: true,
        },
        "missing retention values stay unknown"
    );
}

#[test]
fn get_rule_parses_the_4x_shape() {
    let rule = GetRule::new("x").parse(&ok_fixture("policies/rule_4x.json")).unwrap();
    assert_eq!(rule.id.as_deref(), Some("legacy-rule"));
    assert!(rule.active);
    assert_eq!(rule.position, None);
    assert_eq!(rule.policy, Some(Ref::id("legacy-policy")), "a bare guid is a reference");
    assert_eq!(rule.schedules, vec![Ref::id("sch-guid-1"), Ref::named("sch-guid-2", "nightly")]);
    assert_eq!(
        rule.destinations,
        vec![
            RuleDestination {
                id: None,
                destination: Ref::named("dest-guid-1", "fs-1"),
                role: DestinationRole::Primary,
                active: true,
                retention_lock_days: 0,
                retention: Retention::default(),
            },
            RuleDestination {
                id: None,
                destination: Ref::id("dest-guid-2"),
                role: DestinationRole::Primary,
                active: true,
                retention_lock_days: 0,
                retention: Retention::default(),
            },
        ]
    );
}

#[test]
fn create_and_update_rule_return_the_saved_rule() {
    let rule = CreateRule::new(Ref::id("p"), default_rule()).parse(&ok_fixture("policies/rule_7x.json")).unwrap();
    assert_eq!(rule.name, "Daily");

    let mut sent = default_rule();
    sent.id = Some("rule-1".into());
    let op = UpdateRule::new(sent.clone()).unwrap();
    assert_eq!(op.parse(&HttpResponse::new(204, Vec::new())).unwrap(), sent);
    assert_eq!(op.parse(&ok_fixture("policies/rule_4x.json")).unwrap().name, "Default");
}

#[test]
fn deletes_accept_any_2xx() {
    assert_eq!(DeletePolicy::new("p").parse(&HttpResponse::new(204, Vec::new())), Ok(()));
    assert_eq!(DeleteRule::new("r").parse(&json_response(200, "{}")), Ok(()));
}

// ----- errors ---------------------------------------------------------------------------------------------

#[test]
fn error_bodies_give_the_right_kind_and_message() {
    let bad = json_response(
        400,
        r#"{"status":400,"error":"Bad Request","message":"Policy must have at least one rule","field":"rules"}"#,
    );
    let e = CreatePolicy::new(gold()).parse(&bad).unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Validation, Some(400)));
    assert_eq!(e.message, "Policy must have at least one rule");
    assert_eq!(e.field.as_deref(), Some("rules"));

    let gone = json_response(404, r#"{"message":"VM backup policy with guid pol-1 not found"}"#);
    for e in [
        GetPolicy::new("pol-1").parse(&gone).unwrap_err(),
        UpdatePolicy::new(saved_gold()).unwrap().parse(&gone).unwrap_err(),
        AssignVms::assign(saved_gold(), &[]).unwrap().parse(&gone).unwrap_err(),
        DeletePolicy::new("pol-1").parse(&gone).unwrap_err(),
    ] {
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(e.message, "VM backup policy with guid pol-1 not found");
    }

    let e = GetRule::new("r").parse(&HttpResponse::new(403, fixture("errors/forbidden.json"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert_eq!(e.message, "Missing privilege: VE_BACKUP_SLA_WRITE");

    let e = PoliciesForVms::new(["x"]).parse(&json_response(500, r#"{"error":{"message":"boom"}}"#)).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Server, "boom"));

    let e = UpdateRule::new(Rule { id: Some("r".into()), ..default_rule() })
        .unwrap()
        .parse(&json_response(409, r#"{"message":"Rule is in use"}"#))
        .unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Conflict, "Rule is in use"));
}

#[test]
fn html_answers_say_so() {
    let e = ListPolicies::all().parse(&html_page(502)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);
    assert!(e.message.contains("web page"), "{}", e.message);
    let e = PoliciesForVms::new(["x"]).parse(&html_page(502)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);
    let e = DeleteRule::new("r").parse(&html_page(502)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);

    let spa = HttpResponse::new(200, fixture("errors/spa_index.html"));
    for e in [ListPolicies::all().parse(&spa).unwrap_err(), PoliciesForVms::new(["x"]).parse(&spa).unwrap_err()] {
        assert_eq!(e.kind, ErrorKind::Decode);
        assert!(e.message.contains("web page"), "{}", e.message);
    }
    for e in [
        GetPolicy::new("p").parse(&spa).unwrap_err(),
        UpdatePolicy::new(saved_gold()).unwrap().parse(&spa).unwrap_err(),
        AssignVms::assign(saved_gold(), &[]).unwrap().parse(&spa).unwrap_err(),
    ] {
        assert_eq!(e.kind, ErrorKind::Decode);
        assert!(e.message.contains("web page"), "{}", e.message);
    }
    let e = GetRule::new("r").parse(&spa).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
}

#[test]
fn wrong_shapes_are_decode_errors() {
    let e = GetPolicy::new("p").parse(&json_response(200, r#"["p","gold",true]"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.message.contains("backup policy"), "{}", e.message);
    let e = ListPolicies::all().parse(&json_response(200, r#"[{"guid":"a"},{"name":"no id"}]"#)).unwrap_err();
    assert!(e.detail.unwrap().contains("row 1"));
    let e = GetRule::new("r").parse(&json_response(200, "42")).unwrap_err();
    assert!(e.message.contains("policy rule"), "{}", e.message);
}

// ----- never panics ---------------------------------------------------------------------------------------

#[test]
fn list_policies_never_panics() {
    common::parser_never_panics(&ListPolicies::all().extended());
}

#[test]
fn get_policy_never_panics() {
    common::parser_never_panics(&GetPolicy::new("p"));
}

#[test]
fn create_policy_never_panics() {
    common::parser_never_panics(&CreatePolicy::new(gold()));
}

#[test]
fn update_policy_never_panics() {
    common::parser_never_panics(&UpdatePolicy::new(saved_gold()).unwrap());
}

#[test]
fn delete_policy_never_panics() {
    common::parser_never_panics(&DeletePolicy::new("p"));
}

#[test]
fn assign_vms_never_panics() {
    common::parser_never_panics(&AssignVms::assign(saved_gold(), &[Ref::id("v")]).unwrap());
}

#[test]
fn policies_for_vms_never_panics() {
    common::parser_never_panics(&PoliciesForVms::new(["v"]));
}

#[test]
fn get_rule_never_panics() {
    common::parser_never_panics(&GetRule::new("r"));
}

#[test]
fn create_rule_never_panics() {
    common::parser_never_panics(&CreateRule::new(Ref::id("p"), default_rule()));
}

#[test]
fn update_rule_never_panics() {
    common::parser_never_panics(&UpdateRule::new(Rule { id: Some("r".into()), ..default_rule() }).unwrap());
}

#[test]
fn delete_rule_never_panics() {
    common::parser_never_panics(&DeleteRule::new("r"));
}

#[test]
fn saving_a_read_policy_keeps_settings_the_domain_does_not_model() {
    let policy = GetPolicy::new("pol-admin").parse(&ok_fixture("policies/detail_admin_settings.json")).unwrap();
    assert_eq!(policy.auto_assign, AutoAssignMode::AssignOnly);
    let op = AssignVms::assign(policy, &[Ref::id("vm-2")]).unwrap();
    let body = op.request().body_json().unwrap();
    // What the portal changed...
    assert_eq!(body["vms"], json!([{"guid": "vm-1", "name": "web-01"}, {"guid": "vm-2"}]));
    assert_eq!(body["guid"], "pol-admin");
    // ...and what an administrator set in the server's own UI, sent back as it was.
    assert_eq!(body["dailyReportEnabled"], true);
    assert_eq!(body["mailingList"], json!({"guid": "ml-1", "name": "backup-admins"}));
    assert_eq!(body["failRemainingBackupTasksExportThreshold"], 30);
    assert_eq!(body["failRemainingBackupTasksStoreThreshold"], 50);
    assert_eq!(body["disableCleanOldBackups"], true);
    assert_eq!(body["quiesceBeforeSnapshot"], true);
    assert_eq!(body["scanFileSystem"], true);
    assert_eq!(
        body["autoAssignSettings"],
        json!({"mode": {"name": "ASSIGN_ONLY"}, "includeTags": ["prod"], "excludeTags": ["tmp"],
               "includeRegExps": ["^web-"], "excludeRegExps": [], "hvClusters": [{"guid": "c1", "name": "Default"}],
               "projects": [{"guid": "p1"}]})
    );
    assert_eq!(body["rules"][0]["archiveSettings"], json!({"enabled": true, "everyNth": 7}));
    assert_eq!(body["rules"][0]["guid"], "r1");
    assert_eq!(body["visibleForAllProjects"], false);
}

#[test]
fn a_copied_policy_is_created_without_the_originals_ids() {
    let mut policy = GetPolicy::new("pol-admin").parse(&ok_fixture("policies/detail_admin_settings.json")).unwrap();
    policy.id = None;
    policy.name = "copy".into();
    let body = CreatePolicy::new(policy).request().body_json().unwrap();
    assert_eq!(body.get("guid"), None);
    assert_eq!(body["rules"][0].get("guid"), None);
    assert_eq!(body["rules"][0]["ruleBackupDestinations"][0].get("guid"), None);
    assert_eq!(body["dailyReportEnabled"], true, "settings are copied with the policy");
}
