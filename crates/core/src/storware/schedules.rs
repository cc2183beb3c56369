//! Backup schedules: list, read, create, replace and delete (`/schedules`).
//!
//! A schedule is attached to a policy through the policy's rules (`rules` here, `schedules` on a rule). Times of
//! day are milliseconds after 00:00 **UTC** and days are UTC days, exactly as the server stores them;
//! `crate::schedule` converts a local wall-clock choice into these values.
//!
//! Reading is tolerant: enums as `"X"` or `{"name": "X", …}`, day/month/occurrence lists as objects or strings
//! (unknown entries skipped), rules as objects or bare guid strings (4.x), and a missing `executionType` is
//! inferred from the record (an `interval` object and no `hour` means INTERVAL, anything else TIME).
//! Writing is strict: the 5.x–7.x body of `storware-api.md` §4.8, enums as `{"name": "X"}`.

use crate::json::Value;

use super::paged;
use super::wire::{ensure_success, guid_refs, name_only, object, parse_empty, parse_list, parse_record, Record};
use crate::domain::{
    BackupType, Direction, Month, Occurrence, Page, PageRequest, Schedule, ScheduleTiming, ScheduleType, Sort, Weekday,
};
use crate::endpoint::Endpoint;
use crate::error::{ApiError, FieldError, ValidationCode};
use crate::http::{segment, HttpRequest, HttpResponse};

/// One day in milliseconds: the range of every time of day in a schedule.
const DAY_MS: i64 = 86_400_000;

/// The frequency assumed for an INTERVAL schedule whose record carries none: the Storware UI's default (2 h).
pub const DEFAULT_INTERVAL_FREQUENCY_MS: u64 = 7_200_000;

/// The fields of a schedule record this version models; every other field is kept in `server_fields`.
const SCHEDULE_FIELDS: [&str; 14] = [
    "guid",
    "name",
    "active",
    "type",
    "backupType",
    "executionType",
    "hour",
    "startWindowLength",
    "interval",
    "daysOfWeek",
    "months",
    "dayOfWeekOccurrences",
    "rules",
    "policies",
];

/// A start time of day: values outside one day are wrapped into it (the server only ever means a time of day).
fn time_of_day(ms: i64) -> u32 {
    // rem_euclid keeps the value in 0..DAY_MS, which fits u32.
    u32::try_from(ms.rem_euclid(DAY_MS)).unwrap_or(0)
}

/// An end time of day: like [`time_of_day`], but 24:00 (the end of the day) is kept as it is.
fn end_of_day_range(ms: i64) -> u32 {
    if ms == DAY_MS {
        return DAY_MS as u32;
    }
    time_of_day(ms)
}

/// When a schedule record fires: `executionType` decides, else the record's shape.
fn read_timing(w: Record) -> ScheduleTiming {
    let hour = w.i64("hour");
    // `{"startHour", "endHour", "frequency"}`, all milliseconds; absent, `null` or not an object reads as none.
    let interval = w.object("interval");
    let is_interval = match w.enum_name("executionType") {
        Some(t) if t.eq_ignore_ascii_case("INTERVAL") => true,
        Some(t) if t.eq_ignore_ascii_case("TIME") => false,
        // Missing (older servers) or a future value: decide from the record itself.
        _ => interval.is_some() && hour.is_none(),
    };
    if is_interval {
        ScheduleTiming::Interval {
            start_ms: time_of_day(interval.and_then(|i| i.i64("startHour")).unwrap_or(0)),
            end_ms: end_of_day_range(interval.and_then(|i| i.i64("endHour")).unwrap_or(DAY_MS)),
            frequency_ms: interval.and_then(|i| i.u64("frequency")).unwrap_or(DEFAULT_INTERVAL_FREQUENCY_MS),
        }
    } else {
        ScheduleTiming::Time {
            time_of_day_ms: time_of_day(hour.unwrap_or(0)),
            start_window_ms: w.u64("startWindowLength"),
        }
    }
}

/// A schedule as `GET /schedules`, `GET /schedules/{guid}` and `POST /schedules` send it (5.x–7.x and 4.x).
fn read_schedule_record(w: Record) -> Result<Schedule, String> {
    Ok(Schedule {
        id: Some(w.required_string("guid")?),
        // A schedule without a name is shown blank rather than by its id, so that saving it back never
        // renames it to its id.
        name: w.string("name").unwrap_or_default(),
        active: w.bool("active").unwrap_or(true),
        kind: w.enum_name("type").map_or(ScheduleType::VmBackup, ScheduleType::from_name),
        backup_type: w.enum_name("backupType").map_or(BackupType::Full, BackupType::from_name),
        timing: read_timing(w),
        days_of_week: w.enum_names("daysOfWeek")?.into_iter().filter_map(Weekday::from_name).collect(),
        months: w.enum_names("months")?.into_iter().filter_map(Month::from_name).collect(),
        occurrences: w.enum_names("dayOfWeekOccurrences")?.into_iter().filter_map(Occurrence::from_name).collect(),
        rules: w.refs("rules")?,
        policies: w.refs("policies")?,
        server_fields: w.other_fields(&SCHEDULE_FIELDS),
    })
}

fn read_schedule(response: &HttpResponse) -> Result<Schedule, ApiError> {
    parse_record(response, "a schedule", read_schedule_record)
}

/// The request body for `POST /schedules` and `PUT /schedules/{guid}` (with `guid`), §4.8 of the API notes.
///
/// ```
/// # use vmbackup_core::domain::*;
/// # use vmbackup_core::storware::schedules::schedule_body;
/// let s = Schedule {
///     id: None, name: "nightly".into(), active: true, kind: ScheduleType::VmBackup, backup_type: BackupType::Full,
///     timing: ScheduleTiming::Time { time_of_day_ms: 3_600_000, start_window_ms: Some(21_600_000) },
///     days_of_week: vec![Weekday::Monday], months: vec![], occurrences: vec![], rules: vec![Ref::id("r1")],
///     policies: vec![], server_fields: Default::default(),
/// };
/// let body = schedule_body(&s, None);
/// let field = |key| body.get(key).map(|v| v.to_json());
/// assert_eq!(field("executionType").as_deref(), Some(r#"{"name":"TIME"}"#));
/// assert_eq!(field("hour").as_deref(), Some("3600000"));
/// assert_eq!(field("interval").as_deref(), Some("null"));
/// ```
pub fn schedule_body(schedule: &Schedule, guid: Option<&str>) -> Value {
    let (execution, hour, window, interval) = match &schedule.timing {
        ScheduleTiming::Time { time_of_day_ms, start_window_ms } => {
            ("TIME", Value::from(*time_of_day_ms), Value::from(*start_window_ms), Value::Null)
        }
        ScheduleTiming::Interval { start_ms, end_ms, frequency_ms } => (
            "INTERVAL",
            Value::Null,
            Value::Null,
            object(vec![
                ("startHour", Value::from(*start_ms)),
                ("endHour", Value::from(*end_ms)),
                ("frequency", Value::from(*frequency_ms)),
            ]),
        ),
    };
    // Unmodelled server fields first, so that saving keeps them; modelled fields overwrite.
    let mut body = schedule.server_fields.clone();
    if let Some(guid) = guid {
        body.insert("guid".into(), Value::from(guid));
    }
    body.insert("name".into(), Value::from(schedule.name.as_str()));
    body.insert("active".into(), Value::from(schedule.active));
    body.insert("type".into(), name_only(schedule.kind.as_str()));
    body.insert("backupType".into(), name_only(schedule.backup_type.as_str()));
    body.insert("executionType".into(), name_only(execution));
    body.insert("hour".into(), hour);
    body.insert("startWindowLength".into(), window);
    body.insert("interval".into(), interval);
    body.insert("daysOfWeek".into(), schedule.days_of_week.iter().map(|d| name_only(d.as_str())).collect());
    body.insert("dayOfWeekOccurrences".into(), schedule.occurrences.iter().map(|o| name_only(o.as_str())).collect());
    body.insert("months".into(), schedule.months.iter().map(|m| name_only(m.as_str())).collect());
    body.insert("rules".into(), guid_refs(&schedule.rules));
    Value::Object(body)
}

/// `GET /schedules`: a page of schedules, optionally of one type or for one VM.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::schedules::ListSchedules, domain::ScheduleType};
/// let req = ListSchedules::all().of_type(ScheduleType::VmBackup).for_vm("vm-1").request();
/// assert_eq!(req.path_and_query(), "/schedules?type=VM_BACKUP&protected-entity=vm-1");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListSchedules {
    /// `None` fetches every schedule.
    pub page: Option<PageRequest>,
    pub sort: Option<Sort>,
    /// Only schedules of this type (`type=VM_BACKUP`).
    pub kind: Option<ScheduleType>,
    /// Only schedules that apply to this VM (Storware guid).
    pub protected_entity: Option<String>,
    /// Only schedules of this project (platform uuid).
    pub project_uuid: Option<String>,
}

impl ListSchedules {
    /// One page of `size` schedules, 0-based.
    pub fn page(index: u32, size: u32) -> Self {
        ListSchedules { page: Some(PageRequest { index, size }), ..Default::default() }
    }

    /// Every schedule at once.
    pub fn all() -> Self {
        ListSchedules::default()
    }

    /// Sorted by a server field (`name`, `active`, …).
    pub fn sort_by(mut self, field: &str, direction: Direction) -> Self {
        self.sort = Some(Sort { field: field.to_string(), direction });
        self
    }

    /// Only schedules of `kind`.
    pub fn of_type(mut self, kind: ScheduleType) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Only schedules that apply to the VM with Storware id `vm_id`.
    pub fn for_vm(mut self, vm_id: &str) -> Self {
        self.protected_entity = Some(vm_id.to_string());
        self
    }

    /// Only schedules of one project.
    pub fn in_project(mut self, project_uuid: &str) -> Self {
        self.project_uuid = Some(project_uuid.to_string());
        self
    }
}

impl Endpoint for ListSchedules {
    type Output = Page<Schedule>;

    fn request(&self) -> HttpRequest {
        paged(HttpRequest::get("/schedules"), self.page, self.sort.as_ref())
            .query_opt("type", self.kind.as_ref().map(ScheduleType::as_str))
            .query_opt("protected-entity", self.protected_entity.as_ref())
            .query_opt("project-uuid", self.project_uuid.as_ref())
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<Schedule>, ApiError> {
        parse_list(response, "a list of schedules", read_schedule_record)
    }
}

/// `GET /schedules/{guid}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetSchedule {
    pub id: String,
}

impl GetSchedule {
    /// The schedule with Storware id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        GetSchedule { id: id.into() }
    }
}

impl Endpoint for GetSchedule {
    type Output = Schedule;

    fn request(&self) -> HttpRequest {
        HttpRequest::get(format!("/schedules/{}", segment(&self.id)))
    }

    fn parse(&self, response: &HttpResponse) -> Result<Schedule, ApiError> {
        read_schedule(response)
    }
}

/// `POST /schedules`: creates a schedule (its `id` is ignored) and returns it as the server saved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateSchedule {
    pub schedule: Schedule,
}

impl CreateSchedule {
    /// Creates `schedule`.
    pub fn new(schedule: Schedule) -> Self {
        CreateSchedule { schedule }
    }
}

impl Endpoint for CreateSchedule {
    type Output = Schedule;

    fn request(&self) -> HttpRequest {
        HttpRequest::post("/schedules").json(&schedule_body(&self.schedule, None))
    }

    fn parse(&self, response: &HttpResponse) -> Result<Schedule, ApiError> {
        read_schedule(response)
    }
}

/// `PUT /schedules/{guid}`: replaces a schedule with the same body as create plus `guid`.
///
/// The output is the schedule as the server answered it, or — when the server answers with an empty body
/// (204 No Content, as the generated docs show for PUT) — the schedule that was sent, with `id` set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSchedule {
    /// The Storware id of the schedule to replace (wins over `schedule.id`).
    pub id: String,
    pub schedule: Schedule,
}

impl UpdateSchedule {
    /// Replaces the saved schedule `schedule`; a validation error (field `guid`) when it has no id yet.
    pub fn new(schedule: Schedule) -> Result<Self, ApiError> {
        match schedule.id.clone() {
            Some(id) if !id.trim().is_empty() => Ok(UpdateSchedule { id, schedule }),
            _ => Err(ApiError::validation(vec![FieldError::new(
                "guid",
                ValidationCode::Required,
                "The schedule has not been created yet, so it cannot be updated.",
            )])),
        }
    }
}

impl Endpoint for UpdateSchedule {
    type Output = Schedule;

    fn request(&self) -> HttpRequest {
        HttpRequest::put(format!("/schedules/{}", segment(&self.id)))
            .json(&schedule_body(&self.schedule, Some(&self.id)))
    }

    fn parse(&self, response: &HttpResponse) -> Result<Schedule, ApiError> {
        ensure_success(response)?;
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Schedule { id: Some(self.id.clone()), ..self.schedule.clone() });
        }
        read_schedule(response)
    }
}

/// `DELETE /schedules/{guid}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteSchedule {
    pub id: String,
}

impl DeleteSchedule {
    /// Deletes the schedule with Storware id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        DeleteSchedule { id: id.into() }
    }
}

impl Endpoint for DeleteSchedule {
    type Output = ();

    fn request(&self) -> HttpRequest {
        HttpRequest::delete(format!("/schedules/{}", segment(&self.id)))
    }

    fn parse(&self, response: &HttpResponse) -> Result<(), ApiError> {
        parse_empty(response)
    }
}
