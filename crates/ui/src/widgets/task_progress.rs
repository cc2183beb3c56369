//! **TaskProgress**: one task or a list of them, followed live through the page's shared task poller.
//!
//! Each entry is a *workflow* as the user thinks of it: a backup is an EXPORT task followed by a STORE task, a
//! restore a RESTORE task followed by an IMPORT task. The entry starts from the task id it was given, and when
//! that task finishes it looks up the task that continues the workflow and follows it too, so that "Finished"
//! means the backup is stored, and a store that fails shows as a failed backup. The bar shows the whole
//! workflow (each task an equal share), the ETA comes from the recent progress history, and the end of each
//! entry is announced to screen readers, shown as a toast, sent to the host (`vmb-task-finished`) and — only
//! after the user asked for it with a click — shown as a browser notification.

use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vmbackup_client::{Client, TaskEvent};
use vmbackup_core::domain::{Millis, Task, TaskState, TaskType};
use vmbackup_core::storware::tasks::{CancelTask, GetTask, ListTasks};
use vmbackup_core::{ApiError, ErrorKind};
use wasm_bindgen::{JsCast, JsValue};

use crate::context::{use_widget_context, WidgetContext};
use crate::erased::{effect, ErasedMemo, ErasedSignal};
use crate::format;
use crate::handler;
use crate::host_events::HostEvent;
use crate::i18n::Msg;
use crate::keyed_list::{keyed_list, KeyedRow};
use crate::show_if::ShowIf;
use crate::widgets::notices::{ErrorNotice, SessionNotice};

/// Progress samples older than this (relative to the newest) do not count for the ETA: a task's speed
/// changes between its steps, and the recent pace predicts the rest best.
pub const ETA_WINDOW_MS: i64 = 60_000;
/// Samples kept per entry.
const MAX_SAMPLES: usize = 32;
/// How long an end-of-task toast stays.
const TOAST_MS: u64 = 8_000;
/// Lookups of the task that continues a workflow; servers may create it a moment after the first one ends.
const FOLLOW_UP_ATTEMPTS: u32 = 3;
const FOLLOW_UP_RETRY_MS: i32 = 1_500;

/// Where an entry stands, beyond its current task's own state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// No reading yet.
    Waiting,
    /// The current task is queued or running.
    Active,
    /// The current task finished and the one continuing the workflow is being looked up.
    AwaitingNext,
    /// The workflow ended (finished, failed or cancelled).
    Ended,
    /// The server no longer knows the task.
    Gone,
}

/// One followed workflow.
#[derive(Debug, Clone, PartialEq)]
struct Followed {
    /// The id the entry was asked for (the host knows this one).
    root_id: String,
    /// The workflow's tasks seen so far, the root first and the current one last.
    task_ids: Vec<String>,
    /// The latest reading of the current task.
    task: Option<Task>,
    /// The root task's type and VM, kept when the current task changes.
    root_kind: Option<TaskType>,
    vm_name: Option<String>,
    /// When the workflow started (the root task's start).
    start_time: Option<Millis>,
    /// Index of the current task in the workflow and the number of tasks expected.
    phase: usize,
    phases: usize,
    /// `(time, overall progress)` readings for the ETA.
    samples: Vec<(i64, f64)>,
    stage: Stage,
    /// A cancel request is on its way or accepted and not yet reflected by the server.
    cancelling: bool,
    /// Why the last cancel request failed.
    cancel_error: Option<ApiError>,
}

/// What a reading did to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Absorbed {
    /// Nothing the user would notice.
    Quiet,
    /// The shown state changed (announce it).
    StateChanged,
    /// The current task finished and the workflow continues: look up the next task.
    LookForNext,
    /// The workflow ended.
    Ended,
}

impl Followed {
    fn new(root_id: String) -> Self {
        Followed {
            task_ids: vec![root_id.clone()],
            root_id,
            task: None,
            root_kind: None,
            vm_name: None,
            start_time: None,
            phase: 0,
            phases: 1,
            samples: Vec::new(),
            stage: Stage::Waiting,
            cancelling: false,
            cancel_error: None,
        }
    }

    fn current_id(&self) -> &str {
        self.task_ids.last().map(String::as_str).unwrap_or(&self.root_id)
    }

    fn is_final(&self) -> bool {
        matches!(self.stage, Stage::Ended | Stage::Gone)
    }

    /// Whether the user can cancel the current task.
    fn cancellable(&self) -> bool {
        self.stage == Stage::Active && !self.cancelling
    }

    /// The state to show: the current task's, except while the next task is looked up (still running).
    fn shown_state(&self) -> Option<TaskState> {
        match self.stage {
            Stage::AwaitingNext => Some(TaskState::Running),
            Stage::Waiting | Stage::Gone => None,
            Stage::Active | Stage::Ended => self.task.as_ref().map(|t| t.state.clone()),
        }
    }

    /// Progress of the whole workflow, 0–100: each expected task an equal share.
    fn overall_progress(&self) -> f64 {
        let phases = self.phases.max(1) as f64;
        let current = match (&self.stage, &self.task) {
            (Stage::Ended, Some(task)) if task.state == TaskState::Finished => return 100.0,
            (Stage::AwaitingNext, _) => 100.0,
            (_, Some(task)) => task.progress.clamp(0.0, 100.0),
            (_, None) => 0.0,
        };
        ((self.phase as f64 * 100.0 + current) / phases).clamp(0.0, 100.0)
    }

    /// Takes a reading of one of the entry's tasks.
    fn absorb(&mut self, task: &Task, now: i64) -> Absorbed {
        if self.is_final() || task.id != self.current_id() {
            return Absorbed::Quiet;
        }
        let before = self.shown_state();
        let first_reading = self.stage == Stage::Waiting;
        if first_reading && self.phase == 0 {
            // Given the second task of a workflow (a store whose export is done), show the whole workflow.
            match (&task.kind, &task.parent) {
                (TaskType::Store, Some(_)) => {
                    (self.root_kind, self.phase, self.phases) = (Some(TaskType::Export), 1, 2)
                }
                (TaskType::Import, Some(_)) => {
                    (self.root_kind, self.phase, self.phases) = (Some(TaskType::Restore), 1, 2)
                }
                (kind, _) => (self.root_kind, self.phases) = (Some(kind.clone()), workflow_length(kind)),
            }
        }
        if self.vm_name.is_none() {
            self.vm_name = task.vm_name.clone().or_else(|| task.vm.as_ref().and_then(|vm| vm.name.clone()));
        }
        if self.start_time.is_none() {
            self.start_time = task.start_time;
        }
        if task.state != TaskState::Running || task.state.is_terminal() {
            // A cancel takes effect when the task leaves the running state (or ends).
            self.cancelling &= task.state == TaskState::Running;
        }
        self.task = Some(task.clone());
        let outcome = if task.state.is_terminal() {
            if task.state == TaskState::Finished && self.phase + 1 < self.phases {
                self.stage = Stage::AwaitingNext;
                Absorbed::LookForNext
            } else {
                self.stage = Stage::Ended;
                self.cancelling = false;
                Absorbed::Ended
            }
        } else {
            self.stage = Stage::Active;
            if !first_reading && self.shown_state() != before {
                Absorbed::StateChanged
            } else {
                Absorbed::Quiet
            }
        };
        if !self.is_final() {
            self.record_sample(now);
        }
        outcome
    }

    /// Continues the workflow with `next` (the task whose parent is the current one).
    fn attach_next(&mut self, next: &Task, now: i64) -> Absorbed {
        if self.is_final() || self.task_ids.contains(&next.id) {
            return Absorbed::Quiet;
        }
        self.task_ids.push(next.id.clone());
        self.phase += 1;
        self.phases = self.phases.max(self.phase + 1);
        self.stage = Stage::Active;
        match self.absorb(next, now) {
            Absorbed::Quiet => Absorbed::StateChanged,
            other => other,
        }
    }

    /// No task continues the workflow: the finished task was its end.
    fn end_without_next(&mut self) {
        if self.stage == Stage::AwaitingNext {
            self.phases = self.phase + 1;
            self.stage = Stage::Ended;
        }
    }

    fn record_sample(&mut self, now: i64) {
        let progress = self.overall_progress();
        if self.samples.last().is_some_and(|(_, p)| (*p - progress).abs() < f64::EPSILON) {
            return;
        }
        self.samples.push((now, progress));
        if self.samples.len() > MAX_SAMPLES {
            self.samples.remove(0);
        }
    }

    /// The remaining time in ms, if the recent pace tells.
    fn remaining_ms(&self) -> Option<i64> {
        if self.stage != Stage::Active || self.task.as_ref().is_some_and(|t| t.state != TaskState::Running) {
            return None;
        }
        estimate_remaining_ms(&self.samples, ETA_WINDOW_MS)
    }
}

/// How many tasks a workflow that starts with `kind` has: a backup is stored after its export, a restore is
/// imported after it is restored.
fn workflow_length(kind: &TaskType) -> usize {
    match kind {
        TaskType::Export | TaskType::Restore => 2,
        _ => 1,
    }
}

/// Linear estimate of the time left to 100 % from `(time ms, progress 0–100)` samples, oldest first, using
/// only those within `window_ms` of the newest. `None` without two samples in the window or without progress
/// between them.
pub fn estimate_remaining_ms(samples: &[(i64, f64)], window_ms: i64) -> Option<i64> {
    let &(last_time, last_progress) = samples.last()?;
    let &(first_time, first_progress) =
        samples.iter().find(|(time, _)| last_time - *time <= window_ms).filter(|(time, _)| *time < last_time)?;
    let rate = (last_progress - first_progress) / (last_time - first_time) as f64;
    if !rate.is_finite() || rate <= 0.0 {
        return None;
    }
    let remaining = ((100.0 - last_progress).max(0.0) / rate).round();
    Some(remaining as i64)
}

/// The ETA as the user reads it ("About 3 min left").
fn eta_text(ctx: WidgetContext, remaining_ms: i64) -> String {
    if remaining_ms < 60_000 {
        ctx.text(Msg::EtaUnderMinute).to_string()
    } else {
        let minutes = (remaining_ms as f64 / 60_000.0).ceil();
        ctx.fill(Msg::Eta, &[("minutes", &format::number(ctx.lang(), minutes, 0))])
    }
}

/// A task state in the user's language (a state this version does not know shows as the server names it).
pub fn state_text(ctx: WidgetContext, state: &TaskState) -> String {
    match state {
        TaskState::Queued => ctx.text(Msg::StateQueued).to_string(),
        TaskState::Running => ctx.text(Msg::StateRunning).to_string(),
        TaskState::Finished => ctx.text(Msg::StateFinished).to_string(),
        TaskState::Failed => ctx.text(Msg::StateFailed).to_string(),
        TaskState::Cancelled => ctx.text(Msg::StateCancelled).to_string(),
        other => other.as_str().to_string(),
    }
}

fn state_badge(state: Option<&TaskState>) -> &'static str {
    match state {
        Some(TaskState::Finished) => "vmb-badge vmb-badge--ok",
        Some(TaskState::Failed) => "vmb-badge vmb-badge--danger",
        Some(TaskState::Cancelled) | None => "vmb-badge vmb-badge--muted",
        Some(_) => "vmb-badge",
    }
}

/// "Backup of web-01", "Restore of db-02", or the task type for other tasks.
fn entry_title(ctx: WidgetContext, entry: &Followed) -> String {
    // First-strong isolation: a name's own direction marks (or a hostile override) stay inside the name.
    let vm = entry.vm_name.as_ref().map_or_else(|| "—".to_string(), |name| format!("\u{2068}{name}\u{2069}"));
    match &entry.root_kind {
        Some(TaskType::Export) => ctx.fill(Msg::TaskBackupOf, &[("vm", &vm)]),
        Some(TaskType::Restore) => ctx.fill(Msg::TaskRestoreOf, &[("vm", &vm)]),
        Some(kind) => ctx.fill(Msg::TaskOtherOf, &[("kind", kind.as_str()), ("vm", &vm)]),
        None => ctx.fill(Msg::TaskNumbered, &[("id", &entry.root_id)]),
    }
}

/// Resolves after `ms` milliseconds (the runtime's `setTimeout`; widgets run where there is one).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let set_timeout = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("setTimeout"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match set_timeout {
            Some(set_timeout) => {
                let _ = set_timeout.call2(&JsValue::NULL, &resolve, &JsValue::from(ms));
            }
            None => {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The task continuing a workflow after `finished`, if the server has it.
async fn find_next_task(client: &Client, finished: &Task) -> Result<Option<Task>, ApiError> {
    let Some(workflow) = finished.workflow.clone() else { return Ok(None) };
    let tasks = client.call(&ListTasks::for_workflow(workflow)).await?;
    Ok(tasks.items.into_iter().find(|t| t.parent.as_ref().is_some_and(|p| p.id == finished.id)))
}

/// The browser's `Notification` constructor, when this runtime has one.
fn notification_api() -> Option<js_sys::Function> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("Notification")).ok()?.dyn_into().ok()
}

/// `Notification.permission` (`default`, `granted` or `denied`).
fn notification_permission() -> Option<String> {
    js_sys::Reflect::get(&notification_api()?.into(), &JsValue::from_str("permission")).ok()?.as_string()
}

/// Asks for permission (call only from a click: browsers ignore or penalise prompts without one).
async fn request_notification_permission() -> Option<String> {
    let api = notification_api()?;
    let request: js_sys::Function =
        js_sys::Reflect::get(&api, &JsValue::from_str("requestPermission")).ok()?.dyn_into().ok()?;
    let answer = request.call0(&api).ok()?;
    match answer.dyn_into::<js_sys::Promise>() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.as_string(),
        Err(value) => value.as_string(),
    }
}

/// Shows a browser notification (text only: browsers render title and body as plain text).
fn notify(title: &str, body: &str) {
    let Some(api) = notification_api() else { return };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("body"), &JsValue::from_str(body));
    let args = js_sys::Array::of2(&JsValue::from_str(title), &options);
    let _ = js_sys::Reflect::construct(&api, &args);
}

/// Opens a `<dialog>` as a modal (top layer, the rest of the page inert, focus moved in; Escape fires
/// `cancel`). Where `showModal` is missing or refuses, it opens in place.
pub(crate) fn open_modal(dialog: &web_sys::HtmlDialogElement) {
    if dialog.open() {
        return;
    }
    if dialog.show_modal().is_err() {
        dialog.set_open(true);
    }
}

/// Moves focus back to where it was before a dialog opened, if that element is still on the page.
pub(crate) fn restore_focus(element: Option<web_sys::HtmlElement>) {
    if let Some(element) = element.filter(|e| e.is_connected()) {
        let _ = element.focus();
    }
}

/// A toast about an ended workflow.
#[derive(Debug, Clone, PartialEq)]
struct Toast {
    id: u64,
    text: String,
    detail: Option<String>,
    failed: bool,
}

/// The widget's reactive state, as one `Copy` bundle so that event handlers, the poller's callback and async
/// follow-ups can share the same steps. After an `.await` the widget may be gone: every write is a `try_`.
#[derive(Clone, Copy)]
struct Live {
    ctx: WidgetContext,
    entries: ErasedSignal<Vec<Followed>>,
    announcement: ErasedSignal<String>,
    toasts: ErasedSignal<Vec<Toast>>,
    poll_error: ErasedSignal<Option<ApiError>>,
    notifications_on: ErasedSignal<bool>,
    next_toast: StoredValue<u64>,
    /// Entries are made for tasks the poller reports that nobody asked this widget for.
    follow_all: bool,
}

impl Live {
    /// Follows `id` (idempotent): an entry, a first reading from the poller's memory, tracking.
    fn follow(self, id: String) {
        let known = self.entries.try_with_untracked(|list| list.iter().any(|e| e.root_id == id));
        if id.trim().is_empty() || known != Some(false) {
            return;
        }
        let client = self.ctx.client();
        let mut entry = Followed::new(id.clone());
        let absorbed = client.poller().latest(&id).map(|task| entry.absorb(&task, client.now_ms()));
        let _ = self.entries.try_update(|list| list.push(entry));
        client.poller().track(id.clone());
        if let Some(absorbed @ (Absorbed::Ended | Absorbed::LookForNext)) = absorbed {
            self.react(id, absorbed);
        }
    }

    /// A poller event.
    fn on_event(self, event: &TaskEvent) {
        let time = self.ctx.client().now_ms();
        match event {
            TaskEvent::Updated { task, .. } | TaskEvent::Ended { task } => {
                let _ = self.poll_error.try_set(None);
                let mut result: Option<(String, Absorbed)> = None;
                let known = self.entries.try_update(|list| {
                    if let Some(entry) = list.iter_mut().find(|e| e.task_ids.contains(&task.id)) {
                        result = Some((entry.root_id.clone(), entry.absorb(task, time)));
                        return true;
                    }
                    // A task continuing one of ours (another widget found it first).
                    let parent = task.parent.as_ref().map(|p| p.id.as_str());
                    if let Some(entry) = list.iter_mut().find(|e| parent == Some(e.current_id()) && !e.is_final()) {
                        result = Some((entry.root_id.clone(), entry.attach_next(task, time)));
                        return true;
                    }
                    false
                });
                match known {
                    Some(true) => {
                        if let Some((root_id, absorbed)) = result {
                            self.react(root_id, absorbed);
                        }
                    }
                    Some(false) if self.follow_all => {
                        let mut entry = Followed::new(task.id.clone());
                        let absorbed = entry.absorb(task, time);
                        let _ = self.entries.try_update(|list| list.push(entry));
                        self.react(task.id.clone(), absorbed);
                    }
                    _ => {}
                }
            }
            TaskEvent::Gone { id } => {
                let _ = self.entries.try_update(|list| {
                    if let Some(entry) = list.iter_mut().find(|e| e.current_id() == id && !e.is_final()) {
                        entry.stage = Stage::Gone;
                    }
                });
            }
            // The session prompt covers an expired session.
            TaskEvent::Error(error) if error.kind == ErrorKind::Unauthorized => {}
            TaskEvent::Error(error) => {
                let _ = self.poll_error.try_set(Some(error.clone()));
            }
        }
    }

    /// What follows a reading: an announcement, the lookup of the next task, or the end. Runs from events,
    /// outside any view: texts are read untracked.
    fn react(self, root_id: String, absorbed: Absorbed) {
        untrack(move || self.react_now(root_id, absorbed));
    }

    fn react_now(self, root_id: String, absorbed: Absorbed) {
        let Some(Some(entry)) =
            self.entries.try_with_untracked(|list| list.iter().find(|e| e.root_id == root_id).cloned())
        else {
            return;
        };
        match absorbed {
            Absorbed::Quiet => {}
            Absorbed::StateChanged => {
                if let Some(state) = entry.shown_state() {
                    let text = self.ctx.fill(
                        Msg::TaskStateNow,
                        &[("task", &entry_title(self.ctx, &entry)), ("state", &state_text(self.ctx, &state))],
                    );
                    let _ = self.announcement.try_set(text);
                }
            }
            Absorbed::Ended => self.finish(entry),
            Absorbed::LookForNext => {
                if let Some(finished) = entry.task {
                    self.look_for_next(root_id, finished);
                }
            }
        }
    }

    /// Finds the task continuing the workflow after `finished` and follows it; without one, the workflow
    /// ended with `finished`.
    fn look_for_next(self, root_id: String, finished: Task) {
        spawn_local(async move {
            let client = self.ctx.client();
            let mut next = None;
            for attempt in 0..FOLLOW_UP_ATTEMPTS {
                if attempt > 0 {
                    sleep_ms(FOLLOW_UP_RETRY_MS).await;
                }
                let waiting = self.entries.try_with_untracked(|list| {
                    list.iter().any(|e| e.root_id == root_id && e.stage == Stage::AwaitingNext)
                });
                if waiting != Some(true) {
                    return; // removed, unmounted, or someone else attached the next task
                }
                if let Ok(Some(task)) = find_next_task(&client, &finished).await {
                    next = Some(task);
                    break;
                }
            }
            let time = client.now_ms();
            let mut outcome = Absorbed::Quiet;
            let _ = self.entries.try_update(|list| {
                if let Some(entry) = list.iter_mut().find(|e| e.root_id == root_id && e.stage == Stage::AwaitingNext) {
                    outcome = match &next {
                        Some(task) => entry.attach_next(task, time),
                        None => {
                            entry.end_without_next();
                            Absorbed::Ended
                        }
                    };
                }
            });
            if outcome == Absorbed::Quiet {
                return;
            }
            if let Some(task) = next.filter(|t| !t.state.is_terminal()) {
                client.poller().track(task.id);
            }
            self.react(root_id, outcome);
        });
    }

    /// The end of a workflow: announce, toast, host event, notification.
    fn finish(self, entry: Followed) {
        let ctx = self.ctx;
        let title = entry_title(ctx, &entry);
        let state = entry.shown_state().unwrap_or(TaskState::Finished);
        let state_label = state_text(ctx, &state);
        let message = entry.task.as_ref().and_then(|t| t.status_info.clone()).filter(|m| !m.trim().is_empty());
        let text = ctx.fill(Msg::TaskEnded, &[("task", &title), ("state", &state_label)]);
        let _ = self.announcement.try_set(text.clone());
        // Another widget of the page following the same task has told the host and shown the toast already.
        if !crate::host_events::first_report_of_end(&entry.root_id) {
            return;
        }
        let failed = state == TaskState::Failed;
        let Some(id) = self.next_toast.try_get_value() else { return };
        self.next_toast.set_value(id + 1);
        let toast = Toast { id, text: text.clone(), detail: message.clone().filter(|_| failed), failed };
        let _ = self.toasts.try_update(|list| list.push(toast));
        let toasts = self.toasts;
        set_timeout(
            move || {
                let _ = toasts.try_update(|list| list.retain(|t| t.id != id));
            },
            Duration::from_millis(TOAST_MS),
        );
        ctx.emit(HostEvent::TaskFinished {
            task_id: entry.root_id.clone(),
            state: state.as_str().to_string(),
            message: message.clone(),
        });
        if self.notifications_on.try_get_untracked() == Some(true) {
            notify(&text, message.as_deref().unwrap_or_default());
        }
    }

    /// Cancels the entry's current task (the user confirmed).
    fn cancel(self, root_id: String) {
        let Some(Some(task_id)) = self.entries.try_with_untracked(|list| {
            list.iter().find(|e| e.root_id == root_id && e.cancellable()).map(|e| e.current_id().to_string())
        }) else {
            return;
        };
        let _ = self.entries.try_update(|list| {
            if let Some(entry) = list.iter_mut().find(|e| e.root_id == root_id) {
                entry.cancelling = true;
                entry.cancel_error = None;
            }
        });
        spawn_local(async move {
            let client = self.ctx.client();
            let result = client.call(&CancelTask::new(task_id.clone())).await;
            // A reading right away shows a queued task cancelled without waiting for the next round.
            let reading = match &result {
                Ok(()) => client.call(&GetTask::new(task_id.clone())).await.ok(),
                Err(_) => None,
            };
            let time = client.now_ms();
            let mut absorbed = Absorbed::Quiet;
            let alive = self.entries.try_update(|list| {
                let Some(entry) = list.iter_mut().find(|e| e.root_id == root_id) else { return };
                match &result {
                    Ok(()) => {
                        if let Some(task) = &reading {
                            absorbed = entry.absorb(task, time);
                        }
                    }
                    Err(error) => {
                        entry.cancelling = false;
                        if error.kind != ErrorKind::Unauthorized {
                            entry.cancel_error = Some(error.clone());
                        }
                    }
                }
            });
            if alive.is_none() {
                return;
            }
            match result {
                Ok(()) => {
                    // Poll soon: a running task takes a moment to stop.
                    client.poller().track(task_id);
                    self.react(root_id, absorbed);
                }
                Err(error) if error.kind != ErrorKind::Unauthorized => self.ctx.report(&error),
                Err(_) => {}
            }
        });
    }

    /// Polls soon (the user asked to retry after a failed round).
    fn hurry(self) {
        let client = self.ctx.client();
        for entry in self.entries.get_untracked() {
            if !entry.is_final() {
                client.poller().track(entry.current_id().to_string());
            }
        }
        self.poll_error.set(None);
    }
}

/// Task progress.
///
/// * `task_ids`: the tasks to follow (a plain list or a signal; ids added later are followed too, removed
///   ones are dropped);
/// * `follow_all`: also follow every task the page's poller tracks, whoever started tracking it (a page-wide
///   task list);
/// * `vm`: also follow the queued and running tasks of this VM (Storware id) found at mount;
/// * `embedded`: inside another widget that shows the session prompt itself; hides it here, and hides the
///   "no tasks" line.
///
/// Events: `vmb-task-finished` (detail `{taskId, state, message}`) when an entry's workflow ends, once per page
/// even when several widgets follow the task (the first to see the end sends it, and shows the toast);
/// `taskId` is the id the entry was given.
#[component]
pub fn TaskProgress(
    #[prop(optional, into)] task_ids: Signal<Vec<String>>,
    #[prop(optional)] follow_all: bool,
    #[prop(optional, into)] vm: Option<String>,
    #[prop(optional)] embedded: bool,
) -> impl IntoView {
    let ctx = use_widget_context();
    let live = Live {
        ctx,
        entries: ErasedSignal::new(Vec::new()),
        announcement: ErasedSignal::new(String::new()),
        toasts: ErasedSignal::new(Vec::new()),
        poll_error: ErasedSignal::new(None),
        notifications_on: ErasedSignal::new(false),
        next_toast: StoredValue::new(0),
        follow_all,
    };
    let Live { entries, announcement, toasts, poll_error, notifications_on, .. } = live;
    let notifications_blocked = ErasedSignal::new(notification_permission().as_deref() == Some("denied"));
    let confirming: ErasedSignal<Option<String>> = ErasedSignal::new(None);
    let confirm_dialog = NodeRef::<html::Dialog>::new();
    let focus_before_confirm: StoredValue<Option<web_sys::HtmlElement>, LocalStorage> = StoredValue::new_local(None);
    let instance = next_instance_id();

    let subscription = ctx.client().poller().subscribe(move |event| live.on_event(event));
    let held: StoredValue<Option<vmbackup_client::Subscription>, LocalStorage> =
        StoredValue::new_local(Some(subscription));
    // Unsubscribe when the widget goes. Tracked tasks stay tracked: another widget may follow them, and the
    // poller stops tracking each when it ends.
    on_cleanup(move || {
        let _ = held.try_update_value(|slot| slot.take());
    });

    // The given ids, now and whenever they change; without other sources, entries of removed ids go.
    let given_only = !follow_all && vm.is_none();
    effect(move || {
        let wanted = task_ids.get();
        untrack(|| {
            for id in &wanted {
                live.follow(id.clone());
            }
            if given_only {
                entries.update(|list| list.retain(|e| wanted.contains(&e.root_id)));
            }
        });
    });

    // Everything the poller tracks now, for a page-wide list.
    if follow_all {
        for id in ctx.client().poller().tracked() {
            live.follow(id);
        }
    }

    // The VM's active tasks.
    if let Some(vm_id) = vm {
        spawn_local(async move {
            let op = ListTasks::for_vm(vm_id).in_states(&[TaskState::Queued, TaskState::Running]);
            match ctx.client().call(&op).await {
                Ok(page) => {
                    for task in page.items {
                        live.follow(task.id);
                    }
                }
                Err(error) if error.kind == ErrorKind::Unauthorized => {}
                Err(error) => {
                    ctx.report(&error);
                    let _ = poll_error.try_set(Some(error));
                }
            }
        });
    }

    let close_confirm = move || {
        // Close the modal first: while it is open the rest of the page is inert and cannot take focus.
        if let Some(dialog) = confirm_dialog.get_untracked() {
            dialog.close();
        }
        confirming.set(None);
        restore_focus(focus_before_confirm.get_value());
    };
    let ask_cancel = move |root_id: String, opener: Option<web_sys::HtmlElement>| {
        focus_before_confirm.set_value(opener);
        confirming.set(Some(root_id));
    };
    effect(move || {
        if let Some(dialog) = confirm_dialog.get() {
            open_modal(&dialog);
        }
    });

    // Notifications only ever on the user's click: the permission prompt is never shown unasked.
    let toggle_notifications = move |_| {
        if notifications_on.get_untracked() {
            notifications_on.set(false);
            return;
        }
        spawn_local(async move {
            let permission = match notification_permission().as_deref() {
                Some("granted") => Some("granted".to_string()),
                _ => request_notification_permission().await,
            };
            let _ = notifications_on.try_set(permission.as_deref() == Some("granted"));
            let _ = notifications_blocked.try_set(permission.as_deref() == Some("denied"));
        });
    };

    let render_entry = move |root_id: String| {
        let key = root_id.clone();
        let entry = ErasedMemo::new(move |_| entries.with(|list| list.iter().find(|e| e.root_id == key).cloned()));
        let title = move || entry.with(|e| e.as_ref().map(|e| entry_title(ctx, e)).unwrap_or_default());
        let title_id = title_id_for(instance, &root_id);
        let labelled_by = title_id.clone();
        let progress = move || entry.with(|e| e.as_ref().map_or(0.0, Followed::overall_progress));
        let percent = move || progress().round() as u32;
        let state = move || entry.with(|e| e.as_ref().and_then(Followed::shown_state));
        let root_for_cancel = root_id.clone();
        view! {
            <li class="vmb-task" data-task-id=root_id.clone() aria-labelledby=labelled_by>
                <div class="vmb-task__head">
                    <strong id=title_id class="vmb-task__title">{title}</strong>
                    <span class=move || state_badge(state().as_ref())>
                        {move || match (state(), entry.with(|e| e.as_ref().map(|e| e.stage))) {
                            (_, Some(Stage::Gone)) => ctx.text(Msg::Unknown).to_string(),
                            (Some(state), _) => state_text(ctx, &state),
                            (None, _) => ctx.text(Msg::Loading).to_string(),
                        }}
                    </span>
                </div>
                <div
                    class="vmb-progress"
                    role="progressbar"
                    aria-valuemin="0"
                    aria-valuemax="100"
                    aria-valuenow=move || percent().to_string()
                    aria-valuetext=move || format!("{} %", percent())
                    aria-label=move || ctx.fill(Msg::ProgressOf, &[("task", &title())])
                >
                    <div
                        class="vmb-progress__bar"
                        class:vmb-progress__bar--failed=move || {
                            matches!(state(), Some(TaskState::Failed) | Some(TaskState::Cancelled))
                        }
                        class:vmb-progress__bar--finished=move || state() == Some(TaskState::Finished)
                        style:width=move || format::css_percent(progress())
                    ></div>
                </div>
                <div class="vmb-task__meta vmb-muted">
                    <bdi class="vmb-task__percent" dir=move || ctx.dir()>{move || format!("{} %", percent())}</bdi>
                    {move || entry.with(|e| {
                        let e = e.as_ref()?;
                        (e.phases > 1 && !e.is_final()).then(|| view! {
                            <span class="vmb-task__step">{ctx.fill(Msg::TaskStep, &[
                                ("step", &(e.phase + 1).to_string()),
                                ("steps", &e.phases.to_string()),
                            ])}</span>
                        })
                    })}
                    {move || entry.with(|e| e.as_ref().and_then(|e| e.start_time)).map(|ms| view! {
                        <bdi class="vmb-task__started" dir=move || ctx.dir()>{move || ctx.fill(Msg::Started, &[
                            ("time", &format::date_time(ctx.lang(), &ctx.zone(), ms)),
                        ])}</bdi>
                    })}
                    {move || entry.with(|e| e.as_ref().and_then(Followed::remaining_ms)).map(|ms| view! {
                        <bdi class="vmb-task__eta" dir=move || ctx.dir()>{move || eta_text(ctx, ms)}</bdi>
                    })}
                </div>
                {move || entry.with(|e| {
                    let e = e.as_ref()?;
                    if e.stage == Stage::Gone {
                        return Some(view! {
                            <div class="vmb-task__info vmb-muted">{ctx.text(Msg::TaskGone)}</div>
                        }.into_any());
                    }
                    let info = e.task.as_ref()?.status_info.clone().filter(|s| !s.trim().is_empty())?;
                    let failed = matches!(e.shown_state(), Some(TaskState::Failed));
                    // The server's words, as text.
                    Some(view! {
                        <div class="vmb-task__info" class:vmb-field-error=failed>{info}</div>
                    }.into_any())
                })}
                {move || entry.with(|e| e.as_ref().and_then(|e| e.cancel_error.clone())).map(|error| view! {
                    <ErrorNotice error=error />
                })}
                <ShowIf when=move || entry.with(|e| e.as_ref().is_some_and(|e| e.cancellable() || e.cancelling))>
                    {
                        let root = root_for_cancel.clone();
                        view! {
                            <div class="vmb-task__actions">
                                <button
                                    type="button"
                                    class="vmb-button vmb-button--danger"
                                    prop:disabled=move || entry.with(|e| e.as_ref().is_some_and(|e| e.cancelling))
                                    aria-describedby=title_id_for(instance, &root)
                                    on:click=handler::mouse({
                                        let root = root.clone();
                                        move |ev: leptos::ev::MouseEvent| {
                                            let opener = ev.current_target()
                                                .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
                                            ask_cancel(root.clone(), opener);
                                        }
                                    })
                                >
                                    {move || if entry.with(|e| e.as_ref().is_some_and(|e| e.cancelling)) {
                                        ctx.text(Msg::Cancelling)
                                    } else {
                                        ctx.text(Msg::CancelTask)
                                    }}
                                </button>
                            </div>
                        }
                    }
                </ShowIf>
            </li>
        }
    };

    let confirm_title_id = format!("vmb-tp-{instance}-confirm-title");
    let confirm_text_id = format!("vmb-tp-{instance}-confirm-text");
    let active_count = move || entries.with(|list| list.iter().filter(|e| !e.is_final()).count());

    view! {
        <section class="vmb-task-progress" aria-label=ctx.message(Msg::TaskProgressLabel)>
            {(!embedded).then(|| view! { <SessionNotice /> })}
            {move || poll_error.get().map(|error| view! {
                <ErrorNotice error=error on_retry=Callback::new(move |_| live.hurry()) />
            })}
            <ShowIf when=move || !embedded && entries.with(Vec::is_empty)>
                <p class="vmb-muted">{ctx.message(Msg::NoTasks)}</p>
            </ShowIf>
            <ShowIf when=move || {
                notification_api().is_some() && active_count() > 0
                    && (!notifications_blocked.get() || notifications_on.get())
            }>
                <div class="vmb-toolbar">
                    <button
                        type="button"
                        class="vmb-button vmb-task-progress__notify"
                        aria-pressed=move || notifications_on.get().to_string()
                        on:click=handler::mouse(toggle_notifications)
                    >
                        {move || if notifications_on.get() {
                            ctx.text(Msg::NotificationsOn)
                        } else {
                            ctx.text(Msg::NotifyMe)
                        }}
                    </button>
                </div>
            </ShowIf>
            <ShowIf when=move || notifications_blocked.get()>
                <p class="vmb-muted">{ctx.message(Msg::NotificationsBlocked)}</p>
            </ShowIf>
            <ul class="vmb-list vmb-task-list">
                {keyed_list(move || entries.with(|list| {
                    list.iter().map(|e| {
                        let id = e.root_id.clone();
                        KeyedRow::new(Some(id.clone()), move || render_entry(id))
                    }).collect()
                }))}
            </ul>
            <div class="vmb-sr-only" role="status" aria-live="polite" aria-atomic="true">
                {move || announcement.get()}
            </div>
            {move || confirming.get().map(|root_id| {
                let about = entries.with_untracked(|list| {
                    list.iter().find(|e| e.root_id == root_id).map(|e| entry_title(ctx, e))
                }).unwrap_or_default();
                let root = root_id.clone();
                let labelled_by = confirm_title_id.clone();
                let described_by = confirm_text_id.clone();
                let title_id = confirm_title_id.clone();
                let text_id = confirm_text_id.clone();
                view! {
                    <dialog
                        class="vmb-dialog vmb-task-confirm"
                        node_ref=confirm_dialog
                        role="dialog"
                        aria-modal="true"
                        aria-labelledby=labelled_by
                        aria-describedby=described_by
                        on:close=handler::event(move |_| close_confirm())
                        on:keydown=handler::keyboard(move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Escape" {
                                ev.prevent_default();
                                close_confirm();
                            }
                        })
                    >
                        <h2 class="vmb-dialog__title" id=title_id>{ctx.message(Msg::CancelTask)}</h2>
                        <p id=text_id>
                            <strong class="vmb-task-confirm__about">{about}</strong>
                            " "
                            {ctx.message(Msg::CancelTaskConfirm)}
                        </p>
                        <div class="vmb-dialog__actions">
                            <button type="button" class="vmb-button vmb-task-confirm__keep" autofocus=true
                                on:click=handler::mouse(move |_| close_confirm())>
                                {ctx.message(Msg::KeepTask)}
                            </button>
                            <button type="button" class="vmb-button vmb-button--danger vmb-task-confirm__yes"
                                on:click=handler::mouse(move |_| {
                                    close_confirm();
                                    live.cancel(root.clone());
                                })>
                                {ctx.message(Msg::CancelTask)}
                            </button>
                        </div>
                    </dialog>
                }
            })}
            <div class="vmb-toast vmb-task-toasts">
                {keyed_list(move || toasts.get().into_iter().map(|toast| KeyedRow::new(Some(toast.id.to_string()), move || {
                        let id = toast.id;
                        view! {
                            <div class="vmb-alert vmb-task-toast" class:vmb-alert--info=!toast.failed role="status">
                                <div>
                                    <strong>{toast.text}</strong>
                                    {toast.detail.map(|d| view! { <div class="vmb-alert__detail">{d}</div> })}
                                </div>
                                <button type="button" class="vmb-button"
                                    on:click=handler::mouse(move |_| toasts.update(|list| list.retain(|t| t.id != id)))>
                                    {ctx.message(Msg::Close)}
                                </button>
                            </div>
                        }
                    })).collect())}
            </div>
        </section>
    }
}

fn title_id_for(instance: u32, root_id: &str) -> String {
    format!("vmb-tp-{instance}-{}", sanitize_id(root_id))
}

/// An id fragment safe in an element id (server ids are uuids, but nothing is assumed).
fn sanitize_id(raw: &str) -> String {
    raw.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect()
}

/// Distinguishes the element ids of several task lists on one page.
fn next_instance_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vmbackup_core::domain::Ref;

    fn task(id: &str, kind: TaskType, state: TaskState, progress: f64) -> Task {
        let mut task = Task::new(id, kind, state);
        task.progress = progress;
        task.workflow = Some("wf".into());
        task.vm_name = Some("web-01".into());
        task
    }

    #[test]
    fn eta_is_linear_over_the_recent_window() {
        // 10 % in 10 s: 60 % left takes 60 s.
        assert_eq!(estimate_remaining_ms(&[(0, 30.0), (10_000, 40.0)], ETA_WINDOW_MS), Some(60_000));
        // An old, slow start is outside the window: only the last 60 s count (20 % in 20 s, so 30 % takes 30 s).
        let samples = [(0, 0.0), (200_000, 10.0), (250_000, 50.0), (270_000, 70.0)];
        assert_eq!(estimate_remaining_ms(&samples, ETA_WINDOW_MS), Some(30_000));
    }

    #[test]
    fn eta_needs_two_samples_and_movement() {
        assert_eq!(estimate_remaining_ms(&[], ETA_WINDOW_MS), None);
        assert_eq!(estimate_remaining_ms(&[(5, 20.0)], ETA_WINDOW_MS), None);
        assert_eq!(estimate_remaining_ms(&[(0, 20.0), (1_000, 20.0)], ETA_WINDOW_MS), None);
        assert_eq!(estimate_remaining_ms(&[(0, 50.0), (1_000, 40.0)], ETA_WINDOW_MS), None);
        assert_eq!(estimate_remaining_ms(&[(0, 10.0), (100_000, 20.0)], ETA_WINDOW_MS), None);
    }

    #[test]
    fn a_backup_is_followed_through_export_and_store_to_100() {
        let mut entry = Followed::new("e".into());
        assert_eq!(entry.absorb(&task("e", TaskType::Export, TaskState::Queued, 0.0), 0), Absorbed::Quiet);
        assert_eq!(entry.phases, 2);
        assert_eq!(entry.absorb(&task("e", TaskType::Export, TaskState::Running, 50.0), 1_000), Absorbed::StateChanged);
        assert_eq!(entry.overall_progress(), 25.0);
        assert_eq!(
            entry.absorb(&task("e", TaskType::Export, TaskState::Finished, 100.0), 2_000),
            Absorbed::LookForNext
        );
        assert_eq!(entry.shown_state(), Some(TaskState::Running), "the backup is not done before it is stored");
        assert_eq!(entry.overall_progress(), 50.0);
        let mut store = task("s", TaskType::Store, TaskState::Running, 20.0);
        store.parent = Some(Ref::id("e"));
        assert_eq!(entry.attach_next(&store, 3_000), Absorbed::StateChanged);
        assert_eq!(entry.current_id(), "s");
        assert_eq!(entry.overall_progress(), 60.0);
        assert!(entry.remaining_ms().is_some());
        assert_eq!(entry.absorb(&task("s", TaskType::Store, TaskState::Finished, 100.0), 4_000), Absorbed::Ended);
        assert_eq!(entry.overall_progress(), 100.0);
        assert_eq!(entry.shown_state(), Some(TaskState::Finished));
        // Readings after the end change nothing.
        assert_eq!(entry.absorb(&task("s", TaskType::Store, TaskState::Running, 10.0), 5_000), Absorbed::Quiet);
    }

    #[test]
    fn a_failed_store_fails_the_backup_and_a_lone_export_can_end_it() {
        let mut entry = Followed::new("e".into());
        entry.absorb(&task("e", TaskType::Export, TaskState::Finished, 100.0), 0);
        let mut store = task("s", TaskType::Store, TaskState::Failed, 40.0);
        store.status_info = Some("Store failed: the backup destination is not reachable".into());
        assert_eq!(entry.attach_next(&store, 1), Absorbed::Ended);
        assert_eq!(entry.shown_state(), Some(TaskState::Failed));

        let mut lone = Followed::new("e2".into());
        assert_eq!(lone.absorb(&task("e2", TaskType::Export, TaskState::Finished, 100.0), 0), Absorbed::LookForNext);
        lone.end_without_next();
        assert_eq!(lone.shown_state(), Some(TaskState::Finished));
        assert_eq!(lone.overall_progress(), 100.0);
    }

    #[test]
    fn other_tasks_are_single_step_and_cancelled_ones_end() {
        let mut entry = Followed::new("x".into());
        assert_eq!(entry.absorb(&task("x", TaskType::Store, TaskState::Running, 30.0), 0), Absorbed::Quiet);
        assert_eq!(entry.phases, 1);
        assert_eq!(entry.overall_progress(), 30.0);
        assert!(entry.cancellable());
        assert_eq!(entry.absorb(&task("x", TaskType::Store, TaskState::Cancelled, 30.0), 1), Absorbed::Ended);
        assert!(!entry.cancellable());
        assert_eq!(entry.overall_progress(), 30.0);
        assert_eq!(entry.absorb(&task("other", TaskType::Store, TaskState::Running, 1.0), 2), Absorbed::Quiet);
    }

    #[test]
    fn a_store_given_alone_shows_as_the_second_step_of_its_backup() {
        let mut store = task("s", TaskType::Store, TaskState::Running, 50.0);
        store.parent = Some(Ref::id("e"));
        let mut entry = Followed::new("s".into());
        entry.absorb(&store, 0);
        assert_eq!(entry.root_kind, Some(TaskType::Export));
        assert_eq!((entry.phase, entry.phases), (1, 2));
        assert_eq!(entry.overall_progress(), 75.0);
    }

    #[test]
    fn element_ids_are_sanitized() {
        assert_eq!(sanitize_id("a b\"<c>-1"), "a_b__c_-1");
    }
}
