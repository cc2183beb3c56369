//! The standalone vmbackup SPA: a login page, then the VM dashboard (table + details pane with history, backup
//! and restore), tasks, schedules and policies — all built from the `vmbackup-ui` widgets, rendered straight
//! into the page (no shadow roots: the page is ours).
//!
//! The API base comes from `<meta name="vmbackup-api-base">` (default `/api`, the same origin). Credentials live
//! in memory only, for the one re-login the client makes when the session expires; nothing is stored in the
//! browser. When the session expires for good the login form comes back over the current page, and the user
//! continues where they were.

// The app runs in a browser only; natively the binary is empty so that `cargo test --workspace` and clippy
// still build the workspace.
#[cfg(target_arch = "wasm32")]
mod app;
// Built natively too, so that its tests run with the workspace's.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod catalog;
#[cfg(target_arch = "wasm32")]
mod schedules;
#[cfg(target_arch = "wasm32")]
mod shell;

fn main() {
    #[cfg(target_arch = "wasm32")]
    app::start();
}
