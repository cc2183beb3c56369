//! The widgets. Each is a Leptos component usable alone inside a mount (which provides the
//! [`crate::WidgetContext`]).

pub mod backup_button;
pub mod backup_history;
pub mod kinds;
pub mod notices;
pub mod policy_panel;
pub mod restore_dialog;
pub mod schedule_form;
pub mod task_progress;
pub mod vm_table;

pub use backup_button::BackupButton;
pub use backup_history::BackupHistory;
pub use notices::{ErrorNotice, SessionNotice};
pub use policy_panel::PolicyPanel;
pub use restore_dialog::RestoreDialog;
pub use schedule_form::ScheduleForm;
pub use task_progress::TaskProgress;
pub use vm_table::{VmTable, VmTableProps};
