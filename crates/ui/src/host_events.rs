//! Events the widgets send to the host page: `CustomEvent`s that bubble out of the shadow root (`composed`), so
//! a listener on the element, or on `document`, hears them.

use std::cell::RefCell;

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
    pub fn detail(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            HostEvent::BackupStarted { task_ids, vm_ids, recovered } => {
                json!({"taskIds": task_ids, "vmIds": vm_ids, "recovered": recovered})
            }
            HostEvent::RestoreStarted { task_ids } => json!({"taskIds": task_ids}),
            HostEvent::TaskFinished { task_id, state, message } => {
                json!({"taskId": task_id, "state": state, "message": message})
            }
            HostEvent::SessionExpired => json!({}),
            HostEvent::Error { kind, status, message } => json!({"kind": kind, "status": status, "message": message}),
            HostEvent::SelectionChanged { vm_ids } => json!({"vmIds": vm_ids}),
            HostEvent::BackupSelected { backup_id, vm_id } => json!({"backupId": backup_id, "vmId": vm_id}),
            HostEvent::ScheduleSaved { schedule_id } => json!({"scheduleId": schedule_id}),
            HostEvent::ScheduleDeleted { schedule_id } => json!({"scheduleId": schedule_id}),
        }
    }

    /// Dispatches the event on `host`.
    pub fn dispatch_on(&self, host: &HtmlElement) {
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        let detail = js_sys::JSON::parse(&self.detail().to_string()).unwrap_or(JsValue::NULL);
        init.set_detail(&detail);
        if let Ok(event) = CustomEvent::new_with_event_init_dict(self.name(), &init) {
            let _ = host.dispatch_event(&event);
        }
    }
}
