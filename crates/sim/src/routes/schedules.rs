//! `/schedules`: list, read, create, replace, delete, with the real server's validation (400 with a message).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::Uri;
use serde_json::{Map, Value};

use super::Guid;
use crate::errors::{ApiResult, ErrorReply};
use crate::json::{
    enum_list, field, has, no_content, ok_json, opt_bool, opt_enum, opt_i64, opt_string, parse_object, ref_list,
};
use crate::listing::{contains_ignore_case, list_values, ListRequest, Query};
use crate::model::{Interval, Schedule, DAY_MS};
use crate::sessions::SLA_WRITE;
use crate::state::{Caller, Sim};

const DAYS: &[&str] = &["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
const MONTHS: &[&str] = &[
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
];
const OCCURRENCES: &[&str] =
    &["FIRST_IN_MONTH", "SECOND_IN_MONTH", "THIRD_IN_MONTH", "FOURTH_IN_MONTH", "LAST_IN_MONTH"];
const TYPES: &[&str] = &["VM_BACKUP", "VM_SNAPSHOT", "APP_BACKUP", "SNAPSHOT"];
const BACKUP_TYPES: &[&str] = &["FULL", "INCREMENTAL", "SYNCHRONIZATION"];

/// A name of 1–255 characters (after trimming), or a 400 naming the field.
pub fn required_name(body: &Map<String, Value>, field_name: &str) -> Result<String, ErrorReply> {
    let name = opt_string(body, field_name)?.unwrap_or_default();
    let name = name.trim();
    if name.is_empty() {
        return Err(ErrorReply::bad_request(format!("Field '{field_name}' is required")));
    }
    if name.chars().count() > 255 {
        return Err(ErrorReply::bad_request(format!("Field '{field_name}' must be between 1 and 255 characters")));
    }
    Ok(name.to_string())
}

fn one_of(field_name: &str, value: String, allowed: &[&str]) -> Result<String, ErrorReply> {
    if allowed.contains(&value.as_str()) {
        Ok(value)
    } else {
        Err(ErrorReply::bad_request(format!("Field '{field_name}': {value} is not one of {}", allowed.join(", "))))
    }
}

fn all_of(field_name: &str, values: Vec<String>, allowed: &[&str]) -> Result<Vec<String>, ErrorReply> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let v = one_of(field_name, v, allowed)?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(out)
}

fn time_of_day(field_name: &str, v: i64) -> Result<i64, ErrorReply> {
    if (0..=DAY_MS).contains(&v) {
        Ok(v)
    } else {
        Err(ErrorReply::bad_request(format!(
            "Field '{field_name}' is a time of day in milliseconds after 00:00 UTC (0-86400000), got {v}"
        )))
    }
}

/// Reads and validates a schedule body into `s` (a full replace: absent fields take their defaults).
fn read_schedule(body: &Map<String, Value>, s: &mut Schedule) -> Result<(), ErrorReply> {
    s.name = required_name(body, "name")?;
    s.active = opt_bool(body, "active")?.unwrap_or(true);
    s.kind = one_of("type", opt_enum(body, "type")?.unwrap_or_else(|| "VM_BACKUP".into()), TYPES)?;
    s.backup_type = one_of("backupType", opt_enum(body, "backupType")?.unwrap_or_else(|| "FULL".into()), BACKUP_TYPES)?;
    let execution = opt_enum(body, "executionType")?
        .ok_or_else(|| ErrorReply::bad_request("Field 'executionType' is required (TIME or INTERVAL)"))?;
    s.execution_type = one_of("executionType", execution, &["TIME", "INTERVAL"])?;
    if s.execution_type == "TIME" {
        let hour = opt_i64(body, "hour")?
            .ok_or_else(|| ErrorReply::bad_request("Field 'hour' is required for a TIME schedule"))?;
        if hour >= DAY_MS {
            return Err(ErrorReply::bad_request("Field 'hour' must be less than 86400000 (24:00)"));
        }
        s.hour = Some(time_of_day("hour", hour)?);
        let window = opt_i64(body, "startWindowLength")?
            .ok_or_else(|| ErrorReply::bad_request("Field 'startWindowLength' is required for a TIME schedule"))?;
        if window <= 0 || window > DAY_MS {
            return Err(ErrorReply::bad_request("Field 'startWindowLength' must be between 1 and 86400000 ms"));
        }
        s.start_window_length = Some(window);
        s.interval = None;
    } else {
        let interval = match field(body, "interval") {
            Some(Value::Object(m)) => m,
            Some(_) => return Err(ErrorReply::bad_request("Field 'interval' must be an object")),
            None => return Err(ErrorReply::bad_request("Field 'interval' is required for an INTERVAL schedule")),
        };
        let get = |name: &str| -> Result<i64, ErrorReply> {
            opt_i64(interval, name)?
                .ok_or_else(|| ErrorReply::bad_request(format!("Field 'interval.{name}' is required")))
        };
        let start = time_of_day("interval.startHour", get("startHour")?)?;
        let end = time_of_day("interval.endHour", get("endHour")?)?;
        let frequency = get("frequency")?;
        if end <= start {
            return Err(ErrorReply::bad_request("Field 'interval.endHour' must be after 'interval.startHour'"));
        }
        if frequency <= 0 {
            return Err(ErrorReply::bad_request("Field 'interval.frequency' must be positive"));
        }
        s.interval = Some(Interval { start_hour: start, end_hour: end, frequency });
        s.hour = None;
        s.start_window_length = None;
    }
    s.days_of_week = all_of("daysOfWeek", enum_list(body, "daysOfWeek")?, DAYS)?;
    if s.days_of_week.is_empty() {
        return Err(ErrorReply::bad_request("Field 'daysOfWeek' must name at least one day"));
    }
    s.day_of_week_occurrences = all_of("dayOfWeekOccurrences", enum_list(body, "dayOfWeekOccurrences")?, OCCURRENCES)?;
    s.months = all_of("months", enum_list(body, "months")?, MONTHS)?;
    Ok(())
}

/// Links the schedule to exactly the listed rules (the schedule side of the rule ↔ schedule link), when the body
/// has `rules`.
fn link_rules(
    sim_world: &mut crate::model::World,
    caller: &Caller,
    body: &Map<String, Value>,
    schedule: &str,
) -> Result<(), ErrorReply> {
    if !has(body, "rules") {
        return Ok(());
    }
    let rules = ref_list(body, "rules")?;
    for r in &rules {
        let ok = sim_world
            .rules
            .get(r)
            .and_then(|rule| sim_world.policies.get(&rule.policy))
            .is_some_and(|p| caller.sees_owned(p.project) && caller.may_change(p.project));
        if !ok {
            return Err(ErrorReply::not_found("Rule", r));
        }
    }
    let visible: Vec<String> = sim_world
        .rules
        .iter()
        .filter(|r| sim_world.policies.get(&r.policy).is_some_and(|p| caller.may_change(p.project)))
        .map(|r| r.guid.clone())
        .collect();
    for guid in visible {
        if let Some(rule) = sim_world.rules.get_mut(&guid) {
            let listed = rules.contains(&guid);
            let linked = rule.schedules.iter().any(|s| s == schedule);
            if listed && !linked {
                rule.schedules.push(schedule.to_string());
            } else if !listed && linked {
                rule.schedules.retain(|s| s != schedule);
            }
        }
    }
    Ok(())
}

fn name_taken(world: &crate::model::World, name: &str, except: Option<&str>) -> bool {
    world.schedules.iter().any(|s| s.name == name && Some(s.guid.as_str()) != except)
}

/// `GET /schedules`: `type`, `protected-entity` (the schedules of the VM's policy), `filter`, paging, sorting.
pub async fn list(State(sim): State<Sim>, caller: Caller, uri: Uri) -> ApiResult {
    let q = Query::parse(uri.query());
    let request = ListRequest::from_query(&q)?;
    let kind = q.get("type");
    let text = q.text_filter();
    let render = sim.render();
    let world = sim.read();
    let of_vm: Option<Vec<String>> = q.get("protected-entity").map(|vm| {
        world
            .vms
            .get(vm)
            .filter(|v| caller.sees(v.project))
            .and_then(|v| v.policy.as_deref())
            .and_then(|p| world.policies.get(p))
            .map(|p| world.rules_of(p).into_iter().flat_map(|r| r.schedules.clone()).collect())
            .unwrap_or_default()
    });
    let rows: Vec<Value> = world
        .schedules
        .iter()
        .filter(|s| caller.sees_owned(s.project))
        .filter(|s| kind.is_none_or(|k| s.kind == k))
        .filter(|s| text.as_deref().is_none_or(|t| contains_ignore_case(&s.name, t)))
        .filter(|s| of_vm.as_ref().is_none_or(|list| list.contains(&s.guid)))
        .map(|s| render.schedule(&world, s))
        .collect();
    drop(world);
    Ok(list_values(rows, &request))
}

/// `GET /schedules/{guid}`.
pub async fn get(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid) -> ApiResult {
    let render = sim.render();
    let world = sim.read();
    match world.schedules.get(&guid).filter(|s| caller.sees_owned(s.project)) {
        Some(s) => Ok(ok_json(&render.schedule(&world, s))),
        None => Err(ErrorReply::not_found("Schedule", &guid)),
    }
}

/// `POST /schedules`: answers the created schedule (200).
pub async fn create(State(sim): State<Sim>, caller: Caller, body: Bytes) -> ApiResult {
    caller.require(SLA_WRITE)?;
    let body = parse_object(&body)?;
    let render = sim.render();
    let mut world = sim.write();
    let mut s = Schedule {
        guid: world.new_guid(),
        name: String::new(),
        active: true,
        kind: String::new(),
        backup_type: String::new(),
        execution_type: String::new(),
        hour: None,
        start_window_length: None,
        interval: None,
        days_of_week: Vec::new(),
        day_of_week_occurrences: Vec::new(),
        months: Vec::new(),
        project: caller.home_project(),
    };
    read_schedule(&body, &mut s)?;
    if name_taken(&world, &s.name, None) {
        return Err(ErrorReply::bad_request(format!("A schedule named '{}' already exists", s.name)));
    }
    let guid = s.guid.clone();
    world.schedules.insert(s);
    if let Err(e) = link_rules(&mut world, &caller, &body, &guid) {
        world.schedules.remove(&guid);
        return Err(e);
    }
    let out = world.schedules.get(&guid).map(|s| render.schedule(&world, s)).unwrap_or(Value::Null);
    Ok(ok_json(&out))
}

/// `PUT /schedules/{guid}`: replaces the schedule (same body as create); answers it.
pub async fn update(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid, body: Bytes) -> ApiResult {
    caller.require(SLA_WRITE)?;
    let body = parse_object(&body)?;
    let render = sim.render();
    let mut world = sim.write();
    let mut s = world
        .schedules
        .get(&guid)
        .filter(|s| caller.sees_owned(s.project))
        .cloned()
        .ok_or_else(|| ErrorReply::not_found("Schedule", &guid))?;
    if !caller.may_change(s.project) {
        return Err(ErrorReply::forbidden("Only an administrator can change a schedule shared by all projects"));
    }
    read_schedule(&body, &mut s)?;
    if name_taken(&world, &s.name, Some(&guid)) {
        return Err(ErrorReply::bad_request(format!("A schedule named '{}' already exists", s.name)));
    }
    link_rules(&mut world, &caller, &body, &guid)?;
    world.schedules.insert(s);
    let out = world.schedules.get(&guid).map(|s| render.schedule(&world, s)).unwrap_or(Value::Null);
    Ok(ok_json(&out))
}

/// `DELETE /schedules/{guid}`: the schedule leaves every rule that listed it.
pub async fn delete(State(sim): State<Sim>, caller: Caller, Guid(guid): Guid) -> ApiResult {
    caller.require(SLA_WRITE)?;
    let mut world = sim.write();
    let project = match world.schedules.get(&guid).filter(|s| caller.sees_owned(s.project)) {
        Some(s) => s.project,
        None => return Err(ErrorReply::not_found("Schedule", &guid)),
    };
    if !caller.may_change(project) {
        return Err(ErrorReply::forbidden("Only an administrator can delete a schedule shared by all projects"));
    }
    world.schedules.remove(&guid);
    for rule in world.rules.iter_mut() {
        rule.schedules.retain(|s| s != &guid);
    }
    Ok(no_content())
}
