//! The "e2e tests" step: the user journeys of `tests/e2e/` in headless Chromium (playwright-core driving Debian's
//! browser), against the demo site as `cargo xtask demo` serves it: the SPA at `/`, the embedding demo at
//! `/embed-demo.html` and the API at `/api`, all on the simulator's origin.
//!
//! The simulator holds 10,000 VMs (the scrolling journey needs them) with markup-named VMs among the first
//! (`--hostile-names`); the journeys switch faults, task speed and session lifetime at run time through
//! `/__sim/faults` and put everything back with `/__sim/reset`. The files run one at a time: they share the
//! simulator. Screenshots go to `target/e2e/screens/`.

use crate::error::XtaskError;
use crate::node_tools::run_node_tests_against_site;
use crate::npm_tests::CHROMIUM;
use crate::process::Workspace;
use crate::spa::build_demo_site;

/// The port the simulator of this step prefers (any free one when it is taken).
const PREFERRED_SIMULATOR_PORT: u16 = 47_821;

/// 10,000 VMs for the scrolling journey, markup-named VMs for the hostile-input journey, quick tasks with room
/// for many at once.
const SIMULATOR_ARGS: [&str; 7] = ["--vms", "10000", "--hostile-names", "--task-seconds", "4", "--task-slots", "64"];

/// Builds the demo site (SPA, embedding demo, npm package) and runs `tests/e2e/*.test.mjs` against it.
pub fn run_e2e_tests(workspace: &Workspace) -> Result<(), XtaskError> {
    let site = build_demo_site(workspace)?;
    let work_dir = workspace.target_dir().join("e2e");
    let screens = work_dir.join("screens");
    std::fs::create_dir_all(&screens).map_err(|source| XtaskError::Io {
        action: "create",
        path: screens.clone(),
        source,
    })?;
    run_node_tests_against_site(
        workspace,
        &workspace.root.join("tests").join("e2e"),
        &site,
        PREFERRED_SIMULATOR_PORT,
        &SIMULATOR_ARGS,
        &work_dir,
        |node, simulator_url| {
            node.env("VMBACKUP_E2E_URL", simulator_url)
                .env("VMBACKUP_E2E_SCREENS", &screens)
                .env("VMBACKUP_CHROMIUM", CHROMIUM)
        },
    )
}
