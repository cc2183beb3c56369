//! Tasks: back up now (export), restore and import, the task list, one task, cancel and delete; plus the rule
//! for finding the tasks a submission created when its answer was lost.
//!
//! A backup is an EXPORT task followed by a STORE task the server creates itself; a restore is a RESTORE task
//! followed by an IMPORT task (storware-api.md §5). Submissions answer in several shapes depending on the
//! server version (an array of tasks, one task, or `{"successful", "unsuccessful", "tasks"}`), all read into
//! one [`SubmitResult`].

use crate::json::{Map, Value};

use super::paged;
use super::wire::{
    ensure_success, guid_ref, guid_refs, name_only, object, parse_empty, parse_list, parse_record, parse_value,
    read_rows, Record,
};
use crate::domain::{
    BackupLocation, BackupType, Direction, Millis, OriginType, Page, PageRequest, Ref, Sort, SubmitResult, Task,
    TaskState, TaskType,
};
use crate::endpoint::Endpoint;
use crate::error::{ApiError, FieldError, ValidationCode};
use crate::http::{segment, HttpRequest, HttpResponse};

/// Default priority of a backup task (the server's and the UI's default).
pub const DEFAULT_PRIORITY: u8 = 50;

/// Highest priority the server accepts.
pub const MAX_PRIORITY: u8 = 100;

/// How far a task's time may lie *before* the submit instant and still count as created by that submission,
/// in [`tasks_possibly_created_by`].
///
/// The submit instant comes from the caller's clock; a task's `windowStart` is normally the very value the
/// caller sent (same clock), but a server that fills it in itself, and `startTime`, use the server's clock.
/// Desktop and browser clocks commonly drift by seconds to a few minutes from a server's; five minutes covers
/// that while still excluding the earlier backups of the same VM, which are normally hours apart.
pub const CLOCK_SKEW_ALLOWANCE_MS: Millis = 5 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------------
// Wire records
// ---------------------------------------------------------------------------------------------------------

/// A task as `GET /tasks`, `GET /tasks/{guid}` and the submit calls send it (`TaskListRecord` / task details,
/// 4.x to 7.x). Only `guid` is required.
fn read_task(w: Record) -> Result<Task, String> {
    let vm = w.reference("protectedEntity");
    // The display name survives the VM record; fall back to the reference's name while the VM exists.
    let vm_name = w
        .string("protectedEntityDisplayName")
        .filter(|n| !n.trim().is_empty())
        .or_else(|| vm.as_ref().and_then(|r| r.name.clone()));
    Ok(Task {
        id: w.required_string("guid")?,
        // An absent type or state reads as `Other("")`: unknown, and (for the state) not terminal, so the
        // task stays tracked instead of being dropped.
        kind: TaskType::from_name(w.enum_name("type").unwrap_or_default()),
        state: TaskState::from_name(w.enum_name("state").unwrap_or_default()),
        progress: clamp_progress(w.f64("progress")),
        priority: w.i64("priority").and_then(|p| u8::try_from(p.clamp(0, i64::from(MAX_PRIORITY))).ok()),
        window_start: w.i64("windowStart"),
        window_end: w.i64("windowEnd"),
        start_time: w.i64("startTime"),
        finish_time: w.i64("finishTime"),
        backup_type: w.enum_name("backupType").map(BackupType::from_name),
        vm,
        vm_name,
        target_vm: w.reference("dstProtectedEntity"),
        hypervisor_manager: w.reference("hypervisorManager"),
        hypervisor: w.reference("hypervisor"),
        backup: w.reference("backup"),
        status_info: w.string("statusInfo"),
        origin: w.origin("originEntity"),
        parent: w.reference("parentTask"),
        // `{"guid": …, …contexts}` in 6.x/7.x; absent before.
        workflow: w.reference("workflowExecution").map(|r| r.id),
    })
}

/// Progress as a percentage: absent or not a number reads as 0, anything else is held to 0–100.
fn clamp_progress(progress: Option<f64>) -> f64 {
    match progress {
        Some(p) if p.is_finite() => p.clamp(0.0, 100.0),
        _ => 0.0,
    }
}

/// Keys that mark an object as the submit-result shape rather than a single task.
const SUBMIT_RESULT_KEYS: [&str; 3] = ["successful", "unsuccessful", "tasks"];

/// The newest submit answer: `{"successful": NameAndGuid[], "unsuccessful": NameAndGuid[], "tasks": TaskDetails[]}`;
/// a task that cannot be read fails the call with its index, like [`parse_list`] does.
fn read_submit_result(w: Record) -> Result<SubmitResult, String> {
    Ok(SubmitResult {
        accepted: w.refs("successful")?,
        refused: w.refs("unsuccessful")?,
        tasks: read_rows(w.list("tasks")?, "task", read_task)?,
        ..SubmitResult::default()
    })
}

/// Reads the answer to a submission (export, restore): an empty body or `null` (nothing to report), an array
/// of tasks, a single task, or the submit-result object. `{}` counts as an empty result; any other object, or
/// a body that is not JSON, is a decode error (a 2xx HTML page says that the API address is wrong).
fn parse_submit(response: &HttpResponse, expected: &str) -> Result<SubmitResult, ApiError> {
    ensure_success(response)?;
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(SubmitResult::default());
    }
    let body = parse_value(response, expected)?;
    let result = match &body {
        Value::Null => Ok(SubmitResult::default()),
        Value::Array(rows) => {
            read_rows(rows, "task", read_task).map(|tasks| SubmitResult { tasks, ..Default::default() })
        }
        Value::Object(map) if SUBMIT_RESULT_KEYS.iter().any(|k| map.contains_key(k)) => read_submit_result(Record(map)),
        Value::Object(map) if map.contains_key("guid") => {
            read_task(Record(map)).map(|task| SubmitResult { tasks: vec![task], ..Default::default() })
        }
        Value::Object(map) if map.is_empty() => Ok(SubmitResult::default()),
        _ => Err("expected a task, a list of tasks or a submit result".to_string()),
    };
    result.map_err(|e| ApiError::decode(expected, e, response))
}

fn required(field: &str, message: &str) -> FieldError {
    FieldError::new(field, ValidationCode::Required, message)
}

// ---------------------------------------------------------------------------------------------------------
// Export (back up now)
// ---------------------------------------------------------------------------------------------------------

/// `POST /tasks/export`: back up VMs now, one EXPORT task per VM (5.0+ body, with policy rules).
///
/// `window_start` is the submit instant ("now"), passed by the caller because the core reads no clock; keep it
/// to find the created tasks if the answer is lost ([`ExportVms::tasks_possibly_created`]).
///
/// ```
/// # use vmbackup_core::{Endpoint, domain::{BackupType, Ref}, storware::tasks::ExportVms};
/// let op = ExportVms::new(vec![Ref::named("vm-1", "web-01")], vec![Ref::id("rule-1")], BackupType::Full, 1_740_988_800_000);
/// let req = op.request();
/// assert_eq!(req.path, "/tasks/export");
/// assert_eq!(
///     req.body_json().unwrap(),
///     serde_json::json!({
///         "protectedEntityType": "VM",
///         "protectedEntities": [{"guid": "vm-1", "name": "web-01"}],
///         "backupType": {"name": "FULL"},
///         "rules": [{"guid": "rule-1"}],
///         "priority": 50,
///         "retryCount": 0,
///         "windowStart": 1_740_988_800_000_i64
///     })
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportVms {
    /// The VMs to back up.
    pub vms: Vec<Ref>,
    pub backup_type: BackupType,
    /// Policy rules whose destinations receive the backup (the server needs at least one; take them from the
    /// VM's policy).
    pub rules: Vec<Ref>,
    /// 0–100, higher runs first; default [`DEFAULT_PRIORITY`].
    pub priority: u8,
    /// How often the server retries a failed task; default 0.
    pub retry_count: u32,
    /// When the task may start: the submit instant.
    pub window_start: Millis,
    /// The task fails if not started by then; `None` lets the server apply its configured window.
    pub window_end: Option<Millis>,
    /// Sends `"async": true` (7.x): the server answers before the tasks exist, often without task records.
    pub asynchronous: bool,
}

impl ExportVms {
    /// A backup of `vms` through `rules`, submitted at `now`, with default priority and no retries.
    pub fn new(vms: Vec<Ref>, rules: Vec<Ref>, backup_type: BackupType, now: Millis) -> Self {
        ExportVms {
            vms,
            backup_type,
            rules,
            priority: DEFAULT_PRIORITY,
            retry_count: 0,
            window_start: now,
            window_end: None,
            asynchronous: false,
        }
    }

    /// With a priority (0–100).
    pub fn with_priority(mut self, priority: u8) -> Self {
        self.priority = priority;
        self
    }

    /// With a retry count.
    pub fn with_retry_count(mut self, retry_count: u32) -> Self {
        self.retry_count = retry_count;
        self
    }

    /// With an end of the start window.
    pub fn with_window_end(mut self, window_end: Millis) -> Self {
        self.window_end = Some(window_end);
        self
    }

    /// Asks the server (7.x) to accept the submission asynchronously.
    pub fn asynchronous(mut self) -> Self {
        self.asynchronous = true;
        self
    }

    /// Checks what the server would reject: no VMs, no rules, priority above 100, a window end not after its
    /// start. All problems are reported at once.
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut fields = Vec::new();
        if self.vms.is_empty() {
            fields.push(FieldError::new("protectedEntities", ValidationCode::Empty, "Choose at least one VM."));
        }
        if self.vms.iter().any(|v| v.id.trim().is_empty()) {
            fields.push(required("protectedEntities", "Every VM needs an id."));
        }
        if self.rules.is_empty() {
            fields.push(FieldError::new("rules", ValidationCode::Empty, "Choose at least one policy rule."));
        }
        if self.rules.iter().any(|r| r.id.trim().is_empty()) {
            fields.push(required("rules", "Every policy rule needs an id."));
        }
        if self.priority > MAX_PRIORITY {
            fields.push(FieldError::new("priority", ValidationCode::OutOfRange, "Priority must be between 0 and 100."));
        }
        if self.window_end.is_some_and(|end| end <= self.window_start) {
            fields.push(FieldError::new(
                "windowEnd",
                ValidationCode::EndNotAfterStart,
                "The end of the start window must be after its start.",
            ));
        }
        if fields.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(fields))
        }
    }

    /// Among `tasks` fetched after this submission's answer was lost, those it may have created; see
    /// [`tasks_possibly_created_by`].
    pub fn tasks_possibly_created<'a>(&self, tasks: &'a [Task]) -> Vec<&'a Task> {
        tasks_possibly_created_by(self.vms.iter().map(|v| v.id.as_str()), self.window_start, tasks)
    }

    /// Among `tasks` fetched after this submission's answer was lost, those it created, split into the tasks to
    /// keep and the extra copies to cancel.
    ///
    /// Why copies exist: a browser resends a request, a POST included, when a reused keep-alive connection closes
    /// without a reply (Chromium does), so one submission can reach the server several times, and Storware has no
    /// idempotency key. A copy carries this submission's exact `windowStart` (the submit instant in ms, which
    /// another submission shares only by chance); per VM the copy furthest along is kept (finished, then running
    /// with the most progress, then the one listed first) and the other queued or running copies are extras. A task that
    /// is not an exact copy is never an extra: when in doubt, nothing is cancelled.
    ///
    /// ```
    /// # use vmbackup_core::{Endpoint, domain::{BackupType, Ref}, storware::tasks::{ExportVms, ListTasks}, http::HttpResponse};
    /// let export = ExportVms::new(vec![Ref::id("vm-1")], vec![Ref::id("rule-1")], BackupType::Full, 1_000_000);
    /// let listed = ListTasks::for_vm("vm-1").parse(&HttpResponse::new(200, br#"[
    ///   {"guid":"a","type":"EXPORT","state":"RUNNING","progress":10,"protectedEntity":{"guid":"vm-1"},"windowStart":1000000},
    ///   {"guid":"b","type":"EXPORT","state":"QUEUED","protectedEntity":{"guid":"vm-1"},"windowStart":1000000}
    /// ]"#.to_vec())).unwrap();
    /// let created = export.tasks_created(&listed.items);
    /// assert_eq!(created.kept.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["a"]);
    /// assert_eq!(created.extra_copies.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["b"]);
    /// ```
    pub fn tasks_created<'a>(&self, tasks: &'a [Task]) -> CreatedTasks<'a> {
        keep_the_furthest_copy(self.tasks_possibly_created(tasks), |t| self.is_copy(t), |a, b| vm_id(a) == vm_id(b))
    }

    /// Whether `task` carries this submission's exact `windowStart`: it is this submission's task, or a copy of it
    /// that a browser's resend made (another submission shares the instant only by chance).
    pub fn is_copy(&self, task: &Task) -> bool {
        task.window_start == Some(self.window_start)
    }

    /// After this export was answered with `answered` (its tasks), whether `tasks` (EXPORT tasks of its VMs,
    /// read after the answer) hold a copy of it that a browser's resend made: a queued or running task with this
    /// submission's exact `windowStart` that is not one of the answered ones, next to an answered task the
    /// listing shows with that `windowStart` (the server kept it; otherwise nothing can be told apart).
    ///
    /// A resend can be answered: the first copies reached the server and their answers were lost, the last one
    /// was answered, so the caller knows one task per VM of several. Then [`ExportVms::tasks_created`] on
    /// every VM's tasks says which to cancel.
    ///
    /// ```
    /// # use vmbackup_core::{Endpoint, domain::{BackupType, Ref}, storware::tasks::{ExportVms, ListTasks}, http::HttpResponse};
    /// let export = ExportVms::new(vec![Ref::id("vm-1")], vec![Ref::id("rule-1")], BackupType::Full, 1_000_000);
    /// let listed = ListTasks::for_vm("vm-1").parse(&HttpResponse::new(200, br#"[
    ///   {"guid":"first","type":"EXPORT","state":"QUEUED","protectedEntity":{"guid":"vm-1"},"windowStart":1000000},
    ///   {"guid":"answered","type":"EXPORT","state":"QUEUED","protectedEntity":{"guid":"vm-1"},"windowStart":1000000}
    /// ]"#.to_vec())).unwrap();
    /// assert!(export.copied_beside(&listed.items[1..], &listed.items));
    /// assert!(!export.copied_beside(&listed.items[1..], &listed.items[1..]));
    /// ```
    pub fn copied_beside(&self, answered: &[Task], tasks: &[Task]) -> bool {
        let is_answered = |task: &Task| answered.iter().any(|a| a.id == task.id);
        tasks.iter().any(|t| is_answered(t) && self.is_copy(t))
            && self
                .tasks_possibly_created(tasks)
                .into_iter()
                .any(|t| self.is_copy(t) && cancellable(t) && !is_answered(t))
    }
}

/// Splits the tasks one submission may have created into those to keep and the extra copies to cancel: a task
/// is an extra when `is_copy` says it is one, it is queued or running, and another copy of the same work
/// (`same_work`) is further along ([`progress_rank`]), or as far along and listed earlier. So the first of the
/// furthest-along copies is kept; a finished copy is never an extra (it cannot be cancelled), nor is a task in a
/// state this version does not know.
fn keep_the_furthest_copy<'a>(
    found: Vec<&'a Task>,
    is_copy: impl Fn(&Task) -> bool,
    same_work: impl Fn(&Task, &Task) -> bool,
) -> CreatedTasks<'a> {
    let outranked = |index: usize, task: &Task| {
        found.iter().enumerate().any(|(other_index, other)| {
            other_index != index
                && is_copy(other)
                && same_work(other, task)
                && match progress_rank(other).partial_cmp(&progress_rank(task)) {
                    Some(std::cmp::Ordering::Greater) => true,
                    Some(std::cmp::Ordering::Equal) => other_index < index,
                    _ => false,
                }
        })
    };
    let mut created = CreatedTasks::default();
    for (index, task) in found.iter().enumerate() {
        if is_copy(task) && cancellable(task) && outranked(index, task) {
            created.extra_copies.push(task);
        } else {
            created.kept.push(task);
        }
    }
    created
}

/// Whether `task` can still be cancelled: queued or running. A finished one cannot be, and a state this version
/// does not know is left alone.
fn cancellable(task: &Task) -> bool {
    matches!(task.state, TaskState::Queued | TaskState::Running)
}

/// What a submission created, once found on the server: see [`ExportVms::tasks_created`] and
/// [`RestoreAndImport::tasks_created`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreatedTasks<'a> {
    /// The tasks to track: one copy per VM (per restore), and any task that is not surely a copy.
    pub kept: Vec<&'a Task>,
    /// Queued or running extra copies of the same submission, to cancel.
    pub extra_copies: Vec<&'a Task>,
}

/// The id of the VM a task works on.
fn vm_id(task: &Task) -> Option<&str> {
    task.vm.as_ref().map(|vm| vm.id.as_str())
}

/// How far along a task is, for choosing the copy to keep: finished, then running, then queued; then progress.
fn progress_rank(task: &Task) -> (u8, f64) {
    let state = match task.state {
        TaskState::Finished => 3,
        TaskState::Running => 2,
        TaskState::Queued => 1,
        _ => 0,
    };
    (state, task.progress)
}

impl Endpoint for ExportVms {
    type Output = SubmitResult;

    fn request(&self) -> HttpRequest {
        let mut body = Map::new();
        body.insert("protectedEntityType".into(), Value::from("VM"));
        body.insert("protectedEntities".into(), guid_refs(&self.vms));
        body.insert("backupType".into(), name_only(self.backup_type.as_str()));
        body.insert("rules".into(), guid_refs(&self.rules));
        body.insert("priority".into(), Value::from(self.priority));
        body.insert("retryCount".into(), Value::from(self.retry_count));
        body.insert("windowStart".into(), Value::from(self.window_start));
        if let Some(end) = self.window_end {
            body.insert("windowEnd".into(), Value::from(end));
        }
        if self.asynchronous {
            body.insert("async".into(), Value::Bool(true));
        }
        HttpRequest::post("/tasks/export").json(&Value::Object(body))
    }

    fn parse(&self, response: &HttpResponse) -> Result<SubmitResult, ApiError> {
        parse_submit(response, "the backup tasks created")
    }
}

/// Which of a lost submission's possible tasks to keep: EXPORT tasks of the submitted VMs, started by a user
/// (when the server says who started them), queued, running or finished, whose `windowStart` (or, without
/// one, `startTime`) lies at or after `submitted_at` minus [`CLOCK_SKEW_ALLOWANCE_MS`].
///
/// Use it when `POST /tasks/export` got no answer (network error, gateway 502/504): fetch the VMs' tasks
/// (e.g. [`ListTasks::for_vm`]) and call this before offering to submit again. A non-empty result means the
/// submission most likely reached the server: track those tasks instead of resending.
///
/// Deliberate choices:
/// * tasks of a deleted VM (no `protectedEntity`) and tasks with neither time cannot be attributed and are
///   left out;
/// * a task with no origin (4.x servers send none) is kept; SCHEDULE / SYSTEM_SCHEDULE origins are not;
/// * FAILED and CANCELLED tasks are left out (resubmitting is then what the user wants anyway); states this
///   version does not know are kept;
/// * the backup type is not compared: the server turns an incremental into a full when it has no base.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::tasks::{tasks_possibly_created_by, ListTasks}, http::HttpResponse};
/// let listed = ListTasks::for_vm("vm-1").parse(&HttpResponse::new(200, br#"[
///   {"guid":"new","type":"EXPORT","state":"QUEUED","protectedEntity":{"guid":"vm-1"},"windowStart":1000000,
///    "originEntity":{"type":"USER"}},
///   {"guid":"old","type":"EXPORT","state":"FINISHED","protectedEntity":{"guid":"vm-1"},"windowStart":1}
/// ]"#.to_vec())).unwrap();
/// let found = tasks_possibly_created_by(["vm-1"], 1_000_000, &listed.items);
/// assert_eq!(found.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["new"]);
/// ```
pub fn tasks_possibly_created_by<I, S>(vm_ids: I, submitted_at: Millis, tasks: &[Task]) -> Vec<&Task>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    // A list rather than a set: a submission names a few VMs, and a `HashSet<String>` adds its own hash table code
    // to the npm package's wasm.
    let vm_ids: Vec<String> = vm_ids.into_iter().map(|id| id.as_ref().to_string()).collect();
    tasks
        .iter()
        .filter(|t| t.kind == TaskType::Export)
        .filter(|t| t.vm.as_ref().is_some_and(|vm| vm_ids.contains(&vm.id)))
        .filter(|t| started_by_a_user_since(t, submitted_at))
        .collect()
}

/// Whether a task may come from a user's submission at `submitted_at`: started by a user (when the server says
/// who), not failed or cancelled, with a `windowStart` (or `startTime`) no earlier than the submission minus
/// [`CLOCK_SKEW_ALLOWANCE_MS`].
fn started_by_a_user_since(task: &Task, submitted_at: Millis) -> bool {
    let earliest = submitted_at.saturating_sub(CLOCK_SKEW_ALLOWANCE_MS);
    task.origin.as_ref().is_none_or(|o| o.kind == OriginType::User)
        && !matches!(task.state, TaskState::Failed | TaskState::Cancelled)
        && task.window_start.or(task.start_time).is_some_and(|time| time >= earliest)
}

// ---------------------------------------------------------------------------------------------------------
// Restore and import
// ---------------------------------------------------------------------------------------------------------

/// Where a restored VM is imported: a hypervisor manager (oVirt/RHV, OpenStack, vCenter, Nutanix, …) or a
/// stand-alone hypervisor (KVM, Citrix, ESXi, …), never both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreTarget {
    HypervisorManager(Ref),
    Hypervisor(Ref),
}

/// `POST /tasks/restore-and-import`: restore a backup from one of its locations and import it as a VM
/// (5.0+ body: the location identifies the backup, `backup` is sent as `null`).
///
/// ```
/// # use vmbackup_core::{Endpoint, domain::{BackupLocation, LocationStatus, Ref}};
/// # use vmbackup_core::storware::tasks::{RestoreAndImport, RestoreTarget};
/// let location = BackupLocation {
///     id: "loc-1".into(), backup: Some(Ref::id("b-1")), destination: None, destination_type: None, role: None,
///     status: LocationStatus::Present, snapshot_time: None, backup_type: None, retention_hint: None,
/// };
/// let op = RestoreAndImport::new(location, RestoreTarget::HypervisorManager(Ref::id("hvm-1")))
///     .with_new_name("web-01-restored");
/// assert_eq!(
///     op.request().body_json().unwrap(),
///     serde_json::json!({
///         "backupLocation": {"guid": "loc-1", "backup": {"guid": "b-1"}},
///         "backup": null,
///         "hypervisorManager": {"guid": "hvm-1"},
///         "restoredPeName": "web-01-restored",
///         "overwrite": false
///     })
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RestoreAndImport {
    /// The backup location to restore from (from the backup's `locations`).
    pub location: BackupLocation,
    pub target: RestoreTarget,
    /// The target cluster's **platform uuid** (not its Storware guid).
    pub cluster_uuid: Option<String>,
    /// The target storage's **platform uuid** (not its Storware guid).
    pub storage_uuid: Option<String>,
    /// A new name for the restored VM; `None` keeps the original name.
    pub new_name: Option<String>,
    /// The project (OpenStack, Kubernetes/OpenShift) to restore into.
    pub project: Option<Ref>,
    /// Replace an existing VM of the same name.
    pub overwrite: bool,
}

impl RestoreAndImport {
    /// Where to look for the task this restore may have created when its answer was lost: the RESTORE tasks of
    /// its backup; `None` when the location names no backup (then nothing can be attributed).
    pub fn possible_tasks(&self) -> Option<ListTasks> {
        let backup = self.location.backup.as_ref()?;
        Some(ListTasks::all().of_backup(backup.id.clone()).of_type(TaskType::Restore))
    }

    /// Among `tasks` fetched after this restore's answer was lost (see [`RestoreAndImport::possible_tasks`]),
    /// those it may have created: RESTORE tasks of the same backup started by a user since `submitted_at` (minus
    /// [`CLOCK_SKEW_ALLOWANCE_MS`]), not failed or cancelled.
    pub fn tasks_possibly_created<'a>(&self, submitted_at: Millis, tasks: &'a [Task]) -> Vec<&'a Task> {
        let Some(backup) = self.location.backup.as_ref() else { return Vec::new() };
        tasks
            .iter()
            .filter(|t| t.kind == TaskType::Restore)
            .filter(|t| t.backup.as_ref().is_some_and(|b| b.id == backup.id))
            .filter(|t| started_by_a_user_since(t, submitted_at))
            .collect()
    }

    /// Among `tasks` fetched after this restore's answer was lost (see [`RestoreAndImport::possible_tasks`]),
    /// those it created, split into the task to keep and the extra copies to cancel.
    ///
    /// Why copies exist: a browser resends a POST whose reused keep-alive connection closed without a reply, so
    /// one restore can reach the server several times (see [`ExportVms::tasks_created`]). A restore's body
    /// carries no instant of its own, so a copy is one of [`RestoreAndImport::tasks_possibly_created`]: a RESTORE
    /// task of the same backup started by a user since `submitted_at` (minus [`CLOCK_SKEW_ALLOWANCE_MS`]). The
    /// copy furthest along is kept (finished, then running with the most progress, then the one listed first)
    /// and the other queued or running copies are extras.
    ///
    /// When in doubt nothing is cancelled: when any of those tasks restores under another name than this
    /// restore's (the record's `dstProtectedEntity`, when it names one) or into another target (its
    /// `hypervisorManager` or `hypervisor`, when it names one of this restore's kind), or is in a state this
    /// version does not know, someone else is restoring the same backup, and the others may be theirs.
    ///
    /// ```
    /// # use vmbackup_core::{Endpoint, domain::{BackupLocation, LocationStatus, Ref}, http::HttpResponse};
    /// # use vmbackup_core::storware::tasks::{ListTasks, RestoreAndImport, RestoreTarget};
    /// let location = BackupLocation {
    ///     id: "loc-1".into(), backup: Some(Ref::id("b-1")), destination: None, destination_type: None, role: None,
    ///     status: LocationStatus::Present, snapshot_time: None, backup_type: None, retention_hint: None,
    /// };
    /// let restore = RestoreAndImport::new(location, RestoreTarget::HypervisorManager(Ref::id("hvm-1")))
    ///     .with_new_name("web-01-restored");
    /// let listed = ListTasks::all().parse(&HttpResponse::new(200, br#"[
    ///   {"guid":"b","type":"RESTORE","state":"QUEUED","backup":{"guid":"b-1"},"windowStart":1000500},
    ///   {"guid":"a","type":"RESTORE","state":"RUNNING","progress":5,"backup":{"guid":"b-1"},"windowStart":1000100,
    ///    "dstProtectedEntity":{"guid":"vm-9","name":"web-01-restored"}}
    /// ]"#.to_vec())).unwrap();
    /// let created = restore.tasks_created(1_000_000, &listed.items);
    /// assert_eq!(created.kept.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["a"]);
    /// assert_eq!(created.extra_copies.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["b"]);
    /// ```
    pub fn tasks_created<'a>(&self, submitted_at: Millis, tasks: &'a [Task]) -> CreatedTasks<'a> {
        self.copies_among(self.tasks_possibly_created(submitted_at, tasks))
    }

    /// After this restore was answered with `answered` (its one task), the copies of it among `tasks` (fetched
    /// from [`RestoreAndImport::possible_tasks`] after the answer), split like
    /// [`RestoreAndImport::tasks_created`].
    ///
    /// A browser's resend can be answered too: the first copies reached the server, their answers were lost,
    /// and the last one was answered, so the caller knows one task of several. The answer tells the server's own
    /// time of the submission (the answered task's `windowStart`), and every copy reached the server while the
    /// request was under way, `elapsed` long by the caller's clock: a copy's `windowStart` lies within
    /// `elapsed` (plus a second for rounding) of the answered one's. That excludes another user's restore of
    /// the same backup minutes apart, which the lost-answer case, lacking the server's time, cannot.
    ///
    /// Nothing is an extra when the answered task has no `windowStart`, is not among `tasks`, or when in doubt
    /// as in [`RestoreAndImport::tasks_created`].
    pub fn copies_of_answered<'a>(&self, answered: &Task, elapsed: Millis, tasks: &'a [Task]) -> CreatedTasks<'a> {
        let Some(answered_at) = answered.window_start else { return CreatedTasks::default() };
        let reach = elapsed.max(0).saturating_add(1_000);
        let found: Vec<&Task> = self
            .tasks_possibly_created(answered_at.saturating_sub(reach), tasks)
            .into_iter()
            .filter(|t| t.window_start.is_some_and(|at| at.abs_diff(answered_at) <= reach.unsigned_abs()))
            .collect();
        if !found.iter().any(|t| t.id == answered.id) {
            return CreatedTasks { kept: found, extra_copies: Vec::new() };
        }
        self.copies_among(found)
    }

    /// [`keep_the_furthest_copy`] over the tasks this restore may have created: one restore makes one RESTORE
    /// task, so every task is a copy of the same work, unless one of them casts doubt on all (see
    /// [`RestoreAndImport::tasks_created`]).
    fn copies_among<'a>(&self, found: Vec<&'a Task>) -> CreatedTasks<'a> {
        let in_doubt = found.iter().any(|t| {
            matches!(t.state, TaskState::Other(_)) || !self.restores_as_named(t) || !self.restores_into_target(t)
        });
        keep_the_furthest_copy(found, |_| !in_doubt, |_, _| true)
    }

    /// Whether `task` restores under this restore's name, as far as its record says: a record without a named
    /// `dstProtectedEntity` says nothing; without a new name the restored VM keeps the backed-up VM's name.
    fn restores_as_named(&self, task: &Task) -> bool {
        let Some(restored_as) = task.target_vm.as_ref().and_then(|vm| vm.name.as_deref()) else { return true };
        self.new_name.as_deref().or(task.vm_name.as_deref()) == Some(restored_as)
    }

    /// Whether `task` restores into this restore's target, as far as its record says: a record naming no
    /// target of the same kind (a manager for a manager, a hypervisor for a hypervisor) says nothing.
    fn restores_into_target(&self, task: &Task) -> bool {
        let (target, named) = match &self.target {
            RestoreTarget::HypervisorManager(r) => (r, &task.hypervisor_manager),
            RestoreTarget::Hypervisor(r) => (r, &task.hypervisor),
        };
        named.as_ref().is_none_or(|n| n.id == target.id)
    }

    /// A restore of `location` into `target`, keeping the name and not overwriting.
    pub fn new(location: BackupLocation, target: RestoreTarget) -> Self {
        RestoreAndImport {
            location,
            target,
            cluster_uuid: None,
            storage_uuid: None,
            new_name: None,
            project: None,
            overwrite: false,
        }
    }

    /// Into the cluster with this platform uuid.
    pub fn with_cluster(mut self, cluster_uuid: impl Into<String>) -> Self {
        self.cluster_uuid = Some(cluster_uuid.into());
        self
    }

    /// Onto the storage with this platform uuid.
    pub fn with_storage(mut self, storage_uuid: impl Into<String>) -> Self {
        self.storage_uuid = Some(storage_uuid.into());
        self
    }

    /// Under a new name (blank keeps the original name).
    pub fn with_new_name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.new_name = (!name.trim().is_empty()).then_some(name);
        self
    }

    /// Into a project.
    pub fn in_project(mut self, project: Ref) -> Self {
        self.project = Some(project);
        self
    }

    /// Whether to replace an existing VM of the same name.
    pub fn overwriting(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// Checks what the server needs: a location id, the backup the location belongs to, a target id.
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut fields = Vec::new();
        if self.location.id.trim().is_empty() {
            fields.push(required("backupLocation", "Choose the backup location to restore from."));
        }
        if self.location.backup.as_ref().is_none_or(|b| b.id.trim().is_empty()) {
            fields.push(required("backupLocation.backup", "The backup location does not name its backup."));
        }
        let (field, target) = match &self.target {
            RestoreTarget::HypervisorManager(r) => ("hypervisorManager", r),
            RestoreTarget::Hypervisor(r) => ("hypervisor", r),
        };
        if target.id.trim().is_empty() {
            fields.push(required(field, "Choose where to restore the VM."));
        }
        if fields.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(fields))
        }
    }
}

impl Endpoint for RestoreAndImport {
    type Output = SubmitResult;

    fn request(&self) -> HttpRequest {
        let mut location = Map::new();
        location.insert("guid".into(), Value::from(self.location.id.as_str()));
        if let Some(backup) = &self.location.backup {
            location.insert("backup".into(), guid_ref(backup));
        }
        if let Some(time) = self.location.snapshot_time {
            location.insert("snapshotTime".into(), Value::from(time));
        }
        if let Some(destination) = &self.location.destination {
            location.insert("backupDestination".into(), guid_ref(destination));
        }

        let mut body = Map::new();
        body.insert("backupLocation".into(), Value::Object(location));
        // 5.0+ servers identify the backup by the location; the UI sends `backup` as null.
        body.insert("backup".into(), Value::Null);
        match &self.target {
            RestoreTarget::HypervisorManager(r) => body.insert("hypervisorManager".into(), guid_ref(r)),
            RestoreTarget::Hypervisor(r) => body.insert("hypervisor".into(), guid_ref(r)),
        };
        if let Some(cluster) = &self.cluster_uuid {
            body.insert("restoreClusterId".into(), Value::from(cluster.as_str()));
        }
        if let Some(storage) = &self.storage_uuid {
            body.insert("restoreStorageId".into(), Value::from(storage.as_str()));
        }
        if let Some(name) = &self.new_name {
            body.insert("restoredPeName".into(), Value::from(name.as_str()));
        }
        if let Some(project) = &self.project {
            body.insert("restoreProject".into(), guid_ref(project));
        }
        body.insert("overwrite".into(), Value::from(self.overwrite));
        HttpRequest::post("/tasks/restore-and-import").json(&Value::Object(body))
    }

    fn parse(&self, response: &HttpResponse) -> Result<SubmitResult, ApiError> {
        parse_submit(response, "the restore task created")
    }
}

// ---------------------------------------------------------------------------------------------------------
// List, get, cancel, delete
// ---------------------------------------------------------------------------------------------------------

/// `GET /tasks`: a page of tasks, filtered by VM, states, type, workflow execution or backup.
///
/// Query order: `page`, `size`, `orderBy`, `direction`, `protected-entity`, `states` (repeated), `type`,
/// `workflow-execution`, `backup`.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::tasks::ListTasks, domain::TaskState};
/// let req = ListTasks::for_vm("vm-1").in_states(&[TaskState::Queued, TaskState::Running]).request();
/// assert_eq!(req.path_and_query(), "/tasks?protected-entity=vm-1&states=QUEUED&states=RUNNING");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListTasks {
    /// `None` fetches every task.
    pub page: Option<PageRequest>,
    pub sort: Option<Sort>,
    /// Only tasks of this VM (Storware guid).
    pub vm: Option<String>,
    /// Only tasks in one of these states; empty means any state.
    pub states: Vec<TaskState>,
    /// Only tasks of this type.
    pub kind: Option<TaskType>,
    /// Only tasks of this workflow execution (6.x/7.x).
    pub workflow: Option<String>,
    /// Only tasks of this backup.
    pub backup: Option<String>,
}

impl ListTasks {
    /// Every task (the server may hold many; prefer a filter or a page).
    pub fn all() -> Self {
        ListTasks::default()
    }

    /// One page of `size` tasks, 0-based.
    pub fn page(index: u32, size: u32) -> Self {
        ListTasks { page: Some(PageRequest { index, size }), ..Default::default() }
    }

    /// The tasks of one VM.
    pub fn for_vm(vm_id: impl Into<String>) -> Self {
        ListTasks { vm: Some(vm_id.into()), ..Default::default() }
    }

    /// The tasks of one workflow execution (an export and its store, a restore and its import).
    pub fn for_workflow(workflow_id: impl Into<String>) -> Self {
        ListTasks { workflow: Some(workflow_id.into()), ..Default::default() }
    }

    /// Only in these states.
    pub fn in_states(mut self, states: &[TaskState]) -> Self {
        self.states = states.to_vec();
        self
    }

    /// Only of this type.
    pub fn of_type(mut self, kind: TaskType) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Only of this backup.
    pub fn of_backup(mut self, backup_id: impl Into<String>) -> Self {
        self.backup = Some(backup_id.into());
        self
    }

    /// Paged (0-based).
    pub fn paged(mut self, index: u32, size: u32) -> Self {
        self.page = Some(PageRequest { index, size });
        self
    }

    /// Sorted by a server field (`priority`, `state`, `type`, …).
    pub fn sort_by(mut self, field: &str, direction: Direction) -> Self {
        self.sort = Some(Sort { field: field.to_string(), direction });
        self
    }
}

impl Endpoint for ListTasks {
    type Output = Page<Task>;

    fn request(&self) -> HttpRequest {
        let mut req = paged(HttpRequest::get("/tasks"), self.page, self.sort.as_ref())
            .query_opt("protected-entity", self.vm.as_ref());
        for state in &self.states {
            req = req.query("states", state.as_str());
        }
        req.query_opt("type", self.kind.as_ref())
            .query_opt("workflow-execution", self.workflow.as_ref())
            .query_opt("backup", self.backup.as_ref())
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<Task>, ApiError> {
        parse_list(response, "a list of tasks", read_task)
    }
}

/// `GET /tasks/{guid}`. Tasks are purged periodically: a 404 for an old task is normal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetTask {
    pub id: String,
}

impl GetTask {
    /// The task with Storware id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        GetTask { id: id.into() }
    }
}

impl Endpoint for GetTask {
    type Output = Task;

    fn request(&self) -> HttpRequest {
        HttpRequest::get(format!("/tasks/{}", segment(&self.id)))
    }

    fn parse(&self, response: &HttpResponse) -> Result<Task, ApiError> {
        parse_record(response, "a task", read_task)
    }
}

/// `PUT /tasks/{guid}/state` with `{"state": {"name": "CANCELLED"}, "statusInfo": "Canceled by user"}`: cancel
/// a queued or running task. Cancelling a running export takes a while (snapshots are cleaned up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelTask {
    pub id: String,
}

impl CancelTask {
    /// Cancels the task with Storware id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        CancelTask { id: id.into() }
    }
}

impl Endpoint for CancelTask {
    type Output = ();

    fn request(&self) -> HttpRequest {
        HttpRequest::put(format!("/tasks/{}/state", segment(&self.id))).json(&object(vec![
            ("state", name_only(TaskState::Cancelled.as_str())),
            ("statusInfo", Value::from("Canceled by user")),
        ]))
    }

    fn parse(&self, response: &HttpResponse) -> Result<(), ApiError> {
        parse_empty(response)
    }
}

/// `DELETE /tasks/{guid}`: remove a finished or queued task from the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteTask {
    pub id: String,
}

impl DeleteTask {
    /// Deletes the task with Storware id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        DeleteTask { id: id.into() }
    }
}

impl Endpoint for DeleteTask {
    type Output = ();

    fn request(&self) -> HttpRequest {
        HttpRequest::delete(format!("/tasks/{}", segment(&self.id)))
    }

    fn parse(&self, response: &HttpResponse) -> Result<(), ApiError> {
        parse_empty(response)
    }
}
