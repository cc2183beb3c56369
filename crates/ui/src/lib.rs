//! # vmbackup-ui
//!
//! Leptos widgets for VM backup — a VM table, a backup button, task progress, a schedule form, backup history,
//! a restore dialog and a policy panel — and their embedding into a host page that already holds a session:
//! [`mount`] functions and custom elements (`<vmb-vm-table>`, …), each widget in its own shadow root with the
//! stylesheet adopted there, themable through `--vmb-*` custom properties, speaking English or Polish.
//!
//! Every widget of a page against the same API base and project shares one [`vmbackup_client::Client`]: one
//! session, one expiry prompt, one task poller.

// The page's shared clients use the fetch transport, which exists on wasm32 only; everything else also builds
// natively so that `cargo test --workspace` checks the catalog and the logic.
#[cfg(target_arch = "wasm32")]
pub mod clients;
pub mod context;
/// The `vmbackup/widgets` entry: `mount`, `defineElements` and the custom elements (feature `widgets-entry`,
/// so that the SPA, which links this crate too, does not carry the JavaScript exports).
#[cfg(all(target_arch = "wasm32", feature = "widgets-entry"))]
pub mod embed;
pub mod erased;
pub mod format;
pub mod handler;
pub mod host_events;
pub mod i18n;
pub mod keyed_list;
pub mod linear_map;
pub mod mount;
pub mod show_if;
pub mod small_sort;
pub mod style;
pub mod widgets;

pub use context::{use_widget_context, WidgetContext};
pub use i18n::{Lang, Msg};
