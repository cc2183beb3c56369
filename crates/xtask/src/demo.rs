//! `cargo xtask demo`: builds the SPA and the npm package, then runs the release simulator serving the API, the
//! SPA and the embedding demo page on one origin, in the foreground until Ctrl-C.

use crate::error::XtaskError;
use crate::process::Workspace;
use crate::spa::build_demo_site;

/// How long a demo backup takes: long enough to watch the progress bar and press Cancel.
const DEMO_TASK_SECONDS: &str = "20";

/// Runs the demo; `simulator_args` come after the demo defaults, so they override them (`--addr`, `--vms`, …).
pub fn run_demo(workspace: &Workspace, simulator_args: &[String]) -> Result<(), XtaskError> {
    let site = build_demo_site(workspace)?;
    let site = site.to_string_lossy().into_owned();
    println!(
        "\nvmbackup demo: on the simulator's address below (default http://127.0.0.1:8080)\n\
         \x20 /                  the standalone app (log in as admin / vPr0tect, tenant-a / tenant-a-pass, or the read-only viewer / viewer-pass)\n\
         \x20 /embed-demo.html   a third-party portal page embedding the widgets (it signs in as tenant-a)\n\
         \x20 /api               the simulated Storware API; /__sim/faults to switch faults on and off\n"
    );
    let mut args = vec![
        "run",
        "--release",
        "--quiet",
        "-p",
        "vmbackup-sim",
        "--",
        "--task-seconds",
        DEMO_TASK_SECONDS,
        "--static",
        site.as_str(),
    ];
    args.extend(simulator_args.iter().map(String::as_str));
    workspace.cargo(&args).run()
}
