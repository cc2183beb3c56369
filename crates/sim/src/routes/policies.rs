//! `/policies/vm-backup` and `/rules/vm-backup`: VM backup policies with their rules, with the real server's
//! validation (name 1–255, priority 0–100, rules required and not empty) and VM assignment (a VM is in at most
//! one policy; `PUT` with `vms` sets the policy's VMs exactly).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::Uri;
use serde_json::{Map, Value};

use super::schedules::required_name;
use super::Guid;
use crate::errors::{ApiResult, ErrorReply};
use crate::json::{
    field, has, no_content, ok_json, opt_bool, opt_enum, opt_i64, opt_ref, parse_body, parse_object, ref_list,
    value_ref_list,
};
use crate::listing::{contains_ignore_case, list_values, ListRequest, Query};
use crate::model::{Policy, Retention, Rule, RuleDestination, World};
use crate::sessions::SLA_WRITE;
use crate::state::{Caller, Sim};

const ROLES: &[&str] = &["PRIMARY", "SECONDARY", "ARCHIVE"];
const AUTO_ASSIGN: &[&str] = &["DISABLED", "ASSIGN_ONLY", "ASSIGN_AND_REMOVE"];

fn in_range(name: &str, v: Option<i64>, low: i64, high: i64, default: i64) -> Result<i64, ErrorReply> {
    let v = v.unwrap_or(default);
    if (low..=high).contains(&v) {
        Ok(v)
    } else {
        Err(ErrorReply::bad_request(format!("Field '{name}' must be between {low} and {high}, got {v}")))
    }
}

/// A rule read from a body, before it is stored.
struct RuleInput {
    guid: Option<String>,
    name: String,
    active: bool,
    position: Option<i64>,
    schedules: Vec<String>,
    destinations: Vec<RuleDestination>,
}

/// Reads one rule object (`prefix` names it in messages, e.g. `rules[0].`).
fn read_rule(
    world: &mut World,
    caller: &Caller,
    m: &Map<String, Value>,
    prefix: &str,
) -> Result<RuleInput, ErrorReply> {
    let name = required_name(m, "name")
        .map_err(|e| ErrorReply::bad_request(e.message.replace("'name'", &format!("'{prefix}name'"))))?;
    let schedules = ref_list(m, "schedules")?;
    for s in &schedules {
        if !world.schedules.get(s).is_some_and(|x| caller.sees_owned(x.project)) {
            return Err(ErrorReply::not_found("Schedule", s));
        }
    }
    let mut destinations = Vec::new();
    if let Some(list) = field(m, "ruleBackupDestinations") {
        let Value::Array(items) = list else {
            return Err(ErrorReply::bad_request(format!("Field '{prefix}ruleBackupDestinations' must be a list")));
        };
        for (i, item) in items.iter().enumerate() {
            let Value::Object(d) = item else {
                return Err(ErrorReply::bad_request(format!(
                    "Field '{prefix}ruleBackupDestinations[{i}]' must be an object"
                )));
            };
            let here = format!("{prefix}ruleBackupDestinations[{i}]");
            let dest = opt_ref(d, "backupDestination")?
                .ok_or_else(|| ErrorReply::bad_request(format!("Field '{here}.backupDestination' is required")))?;
            let index =
                world.destination_by_guid(&dest).ok_or_else(|| ErrorReply::not_found("Backup destination", &dest))?;
            let role = opt_enum(d, "roleType")?.unwrap_or_else(|| "PRIMARY".into());
            if !ROLES.contains(&role.as_str()) {
                return Err(ErrorReply::bad_request(format!(
                    "Field '{here}.roleType': {role} is not one of {}",
                    ROLES.join(", ")
                )));
            }
            let lock = opt_i64(d, "daysToKeepRetentionLock")?.unwrap_or(0);
            if lock < 0 {
                return Err(ErrorReply::bad_request(format!(
                    "Field '{here}.daysToKeepRetentionLock' must not be negative"
                )));
            }
            let mut retention = Retention::default();
            if let Some(Value::Object(r)) = field(d, "backupRetentionSettings") {
                let non_negative = |name: &str, default: i64| -> Result<i64, ErrorReply> {
                    let v = opt_i64(r, name)?.unwrap_or(default);
                    if v < 0 {
                        Err(ErrorReply::bad_request(format!(
                            "Field '{here}.backupRetentionSettings.{name}' must not be negative"
                        )))
                    } else {
                        Ok(v)
                    }
                };
                retention.keep_last_n_full = non_negative("retentionKeepLastNFull", retention.keep_last_n_full)?;
                retention.keep_full_newer_than =
                    non_negative("retentionKeepFullNewerThan", retention.keep_full_newer_than)?;
                retention.keep_last_n_incremental =
                    non_negative("retentionKeepLastNIncremental", retention.keep_last_n_incremental)?;
                retention.keep_incremental_newer_than =
                    non_negative("retentionKeepIncrementalNewerThan", retention.keep_incremental_newer_than)?;
                retention.keep_last_backup_when_source_still_exists =
                    opt_bool(r, "keepLastBackupWhenSourceStillExists")?.unwrap_or(false);
            }
            let guid = crate::json::opt_string(d, "guid")?.unwrap_or_else(|| world.new_guid());
            destinations.push(RuleDestination {
                guid,
                destination: index,
                role,
                active: opt_bool(d, "active")?.unwrap_or(true),
                days_to_keep_retention_lock: lock,
                retention,
            });
        }
    } else {
        // 4.x rules name plain destinations; they become PRIMARY ones.
        for d in ref_list(m, "backupDestinations")? {
            let index = world.destination_by_guid(&d).ok_or_else(|| ErrorReply::not_found("Backup destination", &d))?;
            let guid = world.new_guid();
            destinations.push(RuleDestination {
                guid,
                destination: index,
                role: "PRIMARY".into(),
                active: true,
                days_to_keep_retention_lock: 0,
                retention: Retention::default(),
            });
        }
    }
    if destinations.iter().filter(|d| d.role == "PRIMARY").count() > 1 {
        return Err(ErrorReply::bad_request(format!("Rule '{name}' may have only one PRIMARY backup destination")));
    }
    Ok(RuleInput {
        guid: crate::json::opt_string(m, "guid")?,
        name,
        active: opt_bool(m, "active")?.unwrap_or(true),
        position: opt_i64(m, "position")?,
        schedules,
        destinations,
    })
}

/// The policy-level fields of a body, validated into `p`.
fn read_policy_fields(body: &Map<String, Value>, p: &mut Policy) -> Result<(), ErrorReply> {
    p.name = required_name(body, "name")?;
    p.active = opt_bool(body, "active")?.unwrap_or(true);
    p.priority = in_range("priority", opt_i64(body, "priority")?, 0, 100, 50)?;
    p.backup_retry_count = opt_i64(body, "backupRetryCount")?.unwrap_or(0);
    if p.backup_retry_count < 0 {
        return Err(ErrorReply::bad_request("Field 'backupRetryCount' must not be negative"));
    }
    p.auto_remove_non_present = opt_bool(body, "autoRemoveNonPresent")?.unwrap_or(false);
    p.auto_assign_mode = match field(body, "autoAssignSettings") {
        Some(Value::Object(a)) => opt_enum(a, "mode")?.unwrap_or_else(|| "DISABLED".into()),
        Some(_) => return Err(ErrorReply::bad_request("Field 'autoAssignSettings' must be an object")),
        None => "DISABLED".into(),
    };
    if !AUTO_ASSIGN.contains(&p.auto_assign_mode.as_str()) {
        return Err(ErrorReply::bad_request(format!(
            "Field 'autoAssignSettings.mode': {} is not one of {}",
            p.auto_assign_mode,
            AUTO_ASSIGN.join(", ")
        )));
    }
    for (name, slot) in [
        ("failRemainingBackupTasksExportThreshold", &mut p.fail_export_threshold),
        ("failRemainingBackupTasksStoreThreshold", &mut p.fail_store_threshold),
    ] {
        *slot = match opt_i64(body, name)? {
            Some(v) => Some(in_range(name, Some(v), 0, 100, 0)?),
            None => None,
        };
    }
    p.daily_report_enabled = opt_bool(body, "dailyReportEnabled")?.unwrap_or(false);
    p.disable_clean_old_backups = opt_bool(body, "disableCleanOldBackups")?.unwrap_or(false);
    p.quiesce_before_snapshot = opt_bool(body, "quiesceBeforeSnapshot")?.unwrap_or(false);
    Ok(())
}

fn policy_name_taken(world: &World, name: &str, project: Option<usize>, except: Option<&str>) -> bool {
    world.policies.iter().any(|p| p.name == name && p.project == project && Some(p.guid.as_str()) != except)
}

/// Creates or replaces a policy from a body (`existing` = the guid being replaced).
fn save_policy(
    world: &mut World,
    caller: &Caller,
    body: &Map<String, Value>,
    existing: Option<&str>,
) -> Result<String, ErrorReply> {
    let mut policy = match existing {
        Some(g) => world.policies.get(g).cloned().ok_or_else(|| ErrorReply::not_found("VM backup policy", g))?,
        None => Policy::with_defaults(world.new_guid(), String::new()),
    };
    read_policy_fields(body, &mut policy)?;
    if existing.is_none() {
        // An administrator may place the policy in a project by `projectUuid` or `projects`; a tenant's
        // policies are always in its own project.
        let named = match crate::json::opt_string(body, "projectUuid")?.filter(|u| !u.is_empty()) {
            Some(uuid) => Some(uuid),
            None => ref_list(body, "projects")?.into_iter().next(),
        };
        policy.project = match (caller.role, named) {
            (crate::sessions::Role::Admin, Some(id)) => {
                Some(world.project_by_uuid(&id).ok_or_else(|| ErrorReply::not_found("Project", &id))?)
            }
            _ => caller.home_project(),
        };
    }
    if policy_name_taken(world, &policy.name, policy.project, existing) {
        return Err(ErrorReply::bad_request(format!("A policy named '{}' already exists", policy.name)));
    }
    // Rules: required, not empty.
    let items = match field(body, "rules") {
        Some(Value::Array(items)) if !items.is_empty() => items.clone(),
        Some(Value::Array(_)) | None => {
            return Err(ErrorReply::bad_request("Field 'rules' must contain at least one rule"))
        }
        Some(_) => return Err(ErrorReply::bad_request("Field 'rules' must be a list")),
    };
    let mut inputs = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(m) = item else {
            return Err(ErrorReply::bad_request(format!("Field 'rules[{i}]' must be an object")));
        };
        let input = read_rule(world, caller, m, &format!("rules[{i}]."))?;
        if let Some(g) = &input.guid {
            if !policy.rules.contains(g) {
                return Err(ErrorReply::bad_request(format!("Rule {g} does not belong to policy '{}'", policy.name)));
            }
        }
        if inputs.iter().any(|x: &RuleInput| x.name == input.name) {
            return Err(ErrorReply::bad_request(format!("Rule names must be unique in a policy: '{}'", input.name)));
        }
        inputs.push(input);
    }
    // VMs: each must be visible; checked before anything changes.
    let vms = if has(body, "vms") { Some(ref_list(body, "vms")?) } else { None };
    if let Some(vms) = &vms {
        for vm in vms {
            if !world.vms.get(vm).is_some_and(|v| caller.sees(v.project)) {
                return Err(ErrorReply::not_found("Virtual machine", vm));
            }
        }
    }
    // Store the rules: listed ones kept/updated/created, others deleted.
    let mut kept = Vec::new();
    for (i, input) in inputs.into_iter().enumerate() {
        let guid = input.guid.clone().unwrap_or_else(|| world.new_guid());
        world.rules.insert(Rule {
            guid: guid.clone(),
            name: input.name,
            active: input.active,
            position: input.position.unwrap_or(i as i64),
            policy: policy.guid.clone(),
            schedules: input.schedules,
            destinations: input.destinations,
        });
        kept.push(guid);
    }
    for old in &policy.rules {
        if !kept.contains(old) {
            world.rules.remove(old);
        }
    }
    policy.rules = kept;
    let guid = policy.guid.clone();
    let previous_members = policy.members.clone();
    world.policies.insert(policy);
    if let Some(vms) = vms {
        for vm in previous_members.iter().filter(|m| !vms.contains(m)) {
            world.assign_policy(vm, None);
        }
        for vm in &vms {
            world.assign_policy(vm, Some(&guid));
        }
    }
    Ok(guid)
}

/// `GET /policies/vm-backup`: `extended=true` adds rules and VMs; `virtual-machine=`, `filter`, paging, sorting.
pub async fn list(State(sim): State<Sim>, caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let extended = q.bool("extended")?.unwrap_or(false);
    let vm = q.get("virtual-machine");
    let text = q.text_filter();
    let render = sim.render();
    let world = sim.read();
    let rows: Vec<Value> = world
        .policies
        .iter()
        .filter(|p| caller.sees_owned(p.project))
        .filter(|p| vm.is_none_or(|v| p.members.contains(v)))
        .filter(|p| text.as_deref().is_none_or(|t| contains_ignore_case(&p.name, t)))
        .map(|p| render.policy(&world, p, extended))
        .collect();
    drop(world);
    Ok(list_values(rows, &request))
}

/// `GET /policies/vm-backup/{guid}`: details with rules and VMs.
pub async fn get(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid) -> ApiResult {
    let render = sim.render();
    let world = sim.read();
    match world.policies.get(&guid).filter(|p| caller.sees_owned(p.project)) {
        Some(p) => Ok(ok_json(&render.policy(&world, p, true))),
        None => Err(ErrorReply::not_found("VM backup policy", &guid)),
    }
}

/// `POST /policies/vm-backup`: creates a policy with its rules (and VMs); answers the details.
pub async fn create(State(sim): State<Sim>, caller: Caller, body: Bytes) -> ApiResult {
    caller.require(SLA_WRITE)?;
    let body = parse_object(&body)?;
    let render = sim.render();
    let mut world = sim.write();
    let guid = save_policy(&mut world, &caller, &body, None)?;
    let out = world.policies.get(&guid).map(|p| render.policy(&world, p, true)).unwrap_or(Value::Null);
    Ok(ok_json(&out))
}

/// `PUT /policies/vm-backup/{guid}`: replaces the policy; `vms` (when present) becomes its exact VM list.
pub async fn update(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid, body: Bytes) -> ApiResult {
    caller.require(SLA_WRITE)?;
    let body = parse_object(&body)?;
    let render = sim.render();
    let mut world = sim.write();
    let project = match world.policies.get(&guid).filter(|p| caller.sees_owned(p.project)) {
        Some(p) => p.project,
        None => return Err(ErrorReply::not_found("VM backup policy", &guid)),
    };
    if !caller.may_change(project) {
        return Err(ErrorReply::forbidden("Only an administrator can change a policy shared by all projects"));
    }
    save_policy(&mut world, &caller, &body, Some(&guid))?;
    let out = world.policies.get(&guid).map(|p| render.policy(&world, p, true)).unwrap_or(Value::Null);
    Ok(ok_json(&out))
}

/// `DELETE /policies/vm-backup/{guid}`: its rules go with it; its VMs are left without a policy.
pub async fn delete(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid) -> ApiResult {
    caller.require(SLA_WRITE)?;
    let mut world = sim.write();
    let (project, members, rules) = match world.policies.get(&guid).filter(|p| caller.sees_owned(p.project)) {
        Some(p) => (p.project, p.members.clone(), p.rules.clone()),
        None => return Err(ErrorReply::not_found("VM backup policy", &guid)),
    };
    if !caller.may_change(project) {
        return Err(ErrorReply::forbidden("Only an administrator can delete a policy shared by all projects"));
    }
    for vm in &members {
        world.assign_policy(vm, None);
    }
    for r in &rules {
        world.rules.remove(r);
    }
    world.policies.remove(&guid);
    Ok(no_content())
}

/// `POST /policies/vm-backup/list-by-entities` `{"protectedEntities": [vm, …]}`: the policies (with rules) of
/// those VMs.
pub async fn list_by_entities(State(sim): State<Sim>, caller: Caller, body: Bytes) -> ApiResult {
    let body = parse_body(&body)?;
    let vms = match &body {
        Value::Object(m) => ref_list(m, "protectedEntities")?,
        other => {
            value_ref_list(other).map_err(|_| ErrorReply::bad_request("Expected {\"protectedEntities\": [...]}"))?
        }
    };
    let render = sim.render();
    let world = sim.read();
    let mut seen: Vec<String> = Vec::new();
    for vm in &vms {
        let v = world
            .vms
            .get(vm)
            .filter(|v| caller.sees(v.project))
            .ok_or_else(|| ErrorReply::not_found("Virtual machine", vm))?;
        if let Some(p) = &v.policy {
            if !seen.contains(p) {
                seen.push(p.clone());
            }
        }
    }
    let rows: Vec<Value> =
        seen.iter().filter_map(|g| world.policies.get(g)).map(|p| render.policy(&world, p, true)).collect();
    drop(world);
    Ok(list_values(rows, &ListRequest { page: None, order_by: None, descending: false }))
}

// ----- rules -----

/// The policy of a rule body (`policy` as any reference form), checked for visibility and ownership.
fn owning_policy(world: &World, caller: &Caller, guid: &str) -> Result<(), ErrorReply> {
    let p = world
        .policies
        .get(guid)
        .filter(|p| caller.sees_owned(p.project))
        .ok_or_else(|| ErrorReply::not_found("VM backup policy", guid))?;
    if caller.may_change(p.project) {
        Ok(())
    } else {
        Err(ErrorReply::forbidden("Only an administrator can change a policy shared by all projects"))
    }
}

fn visible_rule<'w>(world: &'w World, caller: &Caller, guid: &str) -> Result<&'w Rule, ErrorReply> {
    world
        .rules
        .get(guid)
        .filter(|r| world.policies.get(&r.policy).is_some_and(|p| caller.sees_owned(p.project)))
        .ok_or_else(|| ErrorReply::not_found("Rule", guid))
}

/// `GET /rules/vm-backup?policy=` (also the 4.x `rule=`): a policy's rules; without a parameter all visible.
pub async fn list_rules(State(sim): State<Sim>, caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let policy = q.get("policy").or_else(|| q.get("rule"));
    let render = sim.render();
    let world = sim.read();
    let rows: Vec<Value> = world
        .rules
        .iter()
        .filter(|r| world.policies.get(&r.policy).is_some_and(|p| caller.sees_owned(p.project)))
        .filter(|r| policy.is_none_or(|p| r.policy == p))
        .map(|r| render.rule(&world, r))
        .collect();
    drop(world);
    Ok(list_values(rows, &request))
}

/// `GET /rules/vm-backup/{guid}`.
pub async fn get_rule(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid) -> ApiResult {
    let render = sim.render();
    let world = sim.read();
    let rule = visible_rule(&world, &caller, &guid)?;
    Ok(ok_json(&render.rule(&world, rule)))
}

/// `POST /rules/vm-backup` (the 4.x second step): `{name, schedules, backupDestinations | ruleBackupDestinations,
/// policy}`; `policy` is required.
pub async fn create_rule(State(sim): State<Sim>, caller: Caller, body: Bytes) -> ApiResult {
    caller.require(SLA_WRITE)?;
    let body = parse_object(&body)?;
    let policy = opt_ref(&body, "policy")?.ok_or_else(|| ErrorReply::bad_request("Field 'policy' is required"))?;
    let render = sim.render();
    let mut world = sim.write();
    owning_policy(&world, &caller, &policy)?;
    let input = read_rule(&mut world, &caller, &body, "")?;
    let siblings: Vec<&Rule> = world.rules.iter().filter(|r| r.policy == policy).collect();
    if siblings.iter().any(|r| r.name == input.name) {
        return Err(ErrorReply::bad_request(format!("Rule names must be unique in a policy: '{}'", input.name)));
    }
    let position = input.position.unwrap_or(siblings.len() as i64);
    let guid = world.new_guid();
    world.rules.insert(Rule {
        guid: guid.clone(),
        name: input.name,
        active: input.active,
        position,
        policy: policy.clone(),
        schedules: input.schedules,
        destinations: input.destinations,
    });
    if let Some(p) = world.policies.get_mut(&policy) {
        p.rules.push(guid.clone());
    }
    let out = world.rules.get(&guid).map(|r| render.rule(&world, r)).unwrap_or(Value::Null);
    Ok(ok_json(&out))
}

/// `PUT /rules/vm-backup/{guid}`: replaces one rule (its policy stays).
pub async fn update_rule(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid, body: Bytes) -> ApiResult {
    caller.require(SLA_WRITE)?;
    let body = parse_object(&body)?;
    let render = sim.render();
    let mut world = sim.write();
    let current = visible_rule(&world, &caller, &guid)?.clone();
    owning_policy(&world, &caller, &current.policy)?;
    if let Some(p) = opt_ref(&body, "policy")? {
        if p != current.policy {
            return Err(ErrorReply::bad_request("A rule cannot move to another policy"));
        }
    }
    let input = read_rule(&mut world, &caller, &body, "")?;
    if world.rules.iter().any(|r| r.policy == current.policy && r.guid != guid && r.name == input.name) {
        return Err(ErrorReply::bad_request(format!("Rule names must be unique in a policy: '{}'", input.name)));
    }
    world.rules.insert(Rule {
        guid: guid.clone(),
        name: input.name,
        active: input.active,
        position: input.position.unwrap_or(current.position),
        policy: current.policy,
        schedules: input.schedules,
        destinations: input.destinations,
    });
    let out = world.rules.get(&guid).map(|r| render.rule(&world, r)).unwrap_or(Value::Null);
    Ok(ok_json(&out))
}

/// `DELETE /rules/vm-backup/{guid}`: a policy keeps at least one rule (400 for its last).
pub async fn delete_rule(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid) -> ApiResult {
    caller.require(SLA_WRITE)?;
    let mut world = sim.write();
    let policy = visible_rule(&world, &caller, &guid)?.policy.clone();
    owning_policy(&world, &caller, &policy)?;
    if world.policies.get(&policy).is_some_and(|p| p.rules.len() <= 1) {
        return Err(ErrorReply::bad_request("A policy must keep at least one rule; delete the policy instead"));
    }
    world.rules.remove(&guid);
    if let Some(p) = world.policies.get_mut(&policy) {
        p.rules.retain(|r| r != &guid);
    }
    Ok(no_content())
}
