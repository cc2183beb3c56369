//! Events the widgets send to the host page: `CustomEvent`s that bubble out of the shadow root (`composed`), so
//! a listener on the element, or on `document`, hears them.

use std::cell::RefCell;

use vmbackup_core::json::{object, Value};
use wasm_bindgen::JsValue;

use crate::linear_map::LinearSet;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

thread_local! {
    /// The tasks whose end the page has told its host about.
    static ENDS_TOLD: RefCell<LinearSet<String>> = RefCell::new(LinearSet::new());
}

/// Whether the end of `task_id` is news for the page: true the first time only. Several widgets may follow one
/// task (a backup button's own list and a page-wide task list); the host hears of its end once, and sees one
/// toast.
pub fn first_report_of_end(task_id: &str) -> bool {
    ENDS_TOLD.with(|told| told.borrow_mut().insert(task_id.to_string()))
}

/// An event for the host page.
#[derive(Debug, Clone, PartialEq)]
pub enum HostEvent {
    /// `vmb-backup-started`: tasks were created; detail `{taskIds, vmIds, recovered}`.
    BackupStarted { task_ids: Vec<String>, vm_ids: Vec<String>, recovered: bool },
    /// `vmb-restore-started`: detail `{taskIds}`.
    RestoreStarted { task_ids: Vec<String> },
    /// `vmb-task-finished`: a tracked task ended; detail `{taskId, state, message}`.
    TaskFinished { task_id: String, state: String, message: Option<String> },
    /// `vmb-session-expired`: the session ended; the host should log the user in and call `resume()`.
    SessionExpired,
    /// `vmb-error`: an error the widget showed; detail `{kind, status, message}`.
    Error { kind: String, status: Option<u16>, message: String },
    /// `vmb-selection-changed`: the VM table's selection; detail `{vmIds}`.
    SelectionChanged { vm_ids: Vec<String> },
    /// `vmb-backup-selected`: a backup was chosen in the history (to restore it); detail `{backupId, vmId}`.
    BackupSelected { backup_id: String, vm_id: Option<String> },
    /// `vmb-schedule-saved`: detail `{scheduleId}`.
    ScheduleSaved { schedule_id: Option<String> },
    /// `vmb-schedule-deleted`: detail `{scheduleId}`.
    ScheduleDeleted { schedule_id: String },
}

impl HostEvent {
    /// The DOM event name.
    pub fn name(&self) -> &'static str {
        match self {
            HostEvent::BackupStarted { .. } => "vmb-backup-started",
            HostEvent::RestoreStarted { .. } => "vmb-restore-started",
            HostEvent::TaskFinished { .. } => "vmb-task-finished",
            HostEvent::SessionExpired => "vmb-session-expired",
            HostEvent::Error { .. } => "vmb-error",
            HostEvent::SelectionChanged { .. } => "vmb-selection-changed",
            HostEvent::BackupSelected { .. } => "vmb-backup-selected",
            HostEvent::ScheduleSaved { .. } => "vmb-schedule-saved",
            HostEvent::ScheduleDeleted { .. } => "vmb-schedule-deleted",
        }
    }

    /// The event's `detail` as JSON.
    pub fn detail(&self) -> Value {
        match self {
            HostEvent::BackupStarted { task_ids, vm_ids, recovered } => object(vec![
                ("taskIds", task_ids.clone().into()),
                ("vmIds", vm_ids.clone().into()),
                ("recovered", (*recovered).into()),
            ]),
            HostEvent::RestoreStarted { task_ids } => object(vec![("taskIds", task_ids.clone().into())]),
            HostEvent::TaskFinished { task_id, state, message } => object(vec![
                ("taskId", task_id.as_str().into()),
                ("state", state.as_str().into()),
                ("message", message.clone().into()),
            ]),
            HostEvent::SessionExpired => object(vec![]),
            HostEvent::Error { kind, status, message } => object(vec![
                ("kind", kind.as_str().into()),
                ("status", (*status).into()),
                ("message", message.as_str().into()),
            ]),
            HostEvent::SelectionChanged { vm_ids } => object(vec![("vmIds", vm_ids.clone().into())]),
            HostEvent::BackupSelected { backup_id, vm_id } => {
                object(vec![("backupId", backup_id.as_str().into()), ("vmId", vm_id.clone().into())])
            }
            HostEvent::ScheduleSaved { schedule_id } => object(vec![("scheduleId", schedule_id.clone().into())]),
            HostEvent::ScheduleDeleted { schedule_id } => object(vec![("scheduleId", schedule_id.as_str().into())]),
        }
    }

    /// Dispatches the event on `host`.
    pub fn dispatch_on(&self, host: &HtmlElement) {
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        let detail = js_sys::JSON::parse(&self.detail().to_json()).unwrap_or(JsValue::NULL);
        init.set_detail(&detail);
        if let Ok(event) = CustomEvent::new_with_event_init_dict(self.name(), &init) {
            let _ = host.dispatch_event(&event);
        }
    }
}
