//! `cargo xtask demo`: the simulator with demo-friendly settings, in the foreground until Ctrl-C.
//!
//! It builds the release simulator and starts it; the simulator prints its URL and the users to log in with.
//! The standalone SPA and the embedding demo page join it (served by the simulator's `--static`) with the
//! widgets issue.

use crate::error::XtaskError;
use crate::process::Workspace;

/// How long a demo backup takes: long enough to watch the progress bar and press Cancel.
const DEMO_TASK_SECONDS: &str = "20";

/// Runs the simulator; `simulator_args` come after the demo defaults, so they override them.
pub fn run_demo(workspace: &Workspace, simulator_args: &[String]) -> Result<(), XtaskError> {
    let mut args = vec!["run", "--release", "--quiet", "-p", "vmbackup-sim", "--", "--task-seconds", DEMO_TASK_SECONDS];
    args.extend(simulator_args.iter().map(String::as_str));
    workspace.cargo(&args).run()
}
