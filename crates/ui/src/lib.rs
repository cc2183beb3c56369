//! vmbackup-ui: Leptos widgets and their embedding (mount functions, custom elements).
//!
//! Filled by the widgets issue; it builds now so that the workspace layout is complete.

pub use vmbackup_core as core;
