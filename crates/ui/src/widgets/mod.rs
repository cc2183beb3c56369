//! The widgets. Each is a Leptos component usable alone inside a mount (which provides the
//! [`crate::WidgetContext`]).

pub mod notices;
pub mod vm_table;

pub use notices::{ErrorNotice, SessionNotice};
pub use vm_table::{VmTable, VmTableProps};
