//! wasm-bindgen-test suites against a simulator, in Node and in headless Chromium. The "wasm tests" step runs those
//! of `vmbackup-client` and `vmbackup-wasm` ([`CLIENT_AND_WASM_SUITES`]) once in each.
//!
//! How wasm-bindgen-test-runner 0.2.130 (the `runner` of `.cargo/config.toml`) picks where a test binary runs
//! (read in its `wasm_bindgen_test_runner.rs` and `headless.rs`):
//! - a binary with `wasm_bindgen_test_configure!(run_in_browser)` (or a worker, or `run_in_node_experimental`)
//!   carries that choice in a custom section, and it wins;
//! - a binary without it runs where the environment says: `WASM_BINDGEN_USE_BROWSER` → a browser,
//!   none → Node;
//! - `WASM_BINDGEN_TEST_ONLY_NODE` skips the browser-only binaries, `WASM_BINDGEN_TEST_ONLY_WEB` the Node ones.
//!
//! So suites that leave `wasm_bindgen_test_configure!` out run in both passes below; suites pinned to one place
//! run in that pass only. The browser pass drives Chromium through `CHROMEDRIVER`; the runner merges the
//! capabilities of the file named by `WASM_BINDGEN_TEST_WEBDRIVER_JSON` and adds `headless`, `no-sandbox` and
//! `disable-dev-shm-usage` to `goog:chromeOptions.args` itself. Each test binary's page is served from a fresh
//! loopback port (no `WASM_BINDGEN_TEST_ADDRESS`: a fixed port collides with the previous binary's closing
//! socket), and the simulator allows any loopback port with credentials (CORS `http://127.0.0.1:*`).
//!
//! The tests find the simulator through the compile-time `VMBACKUP_SIM_URL` (`option_env!`, so that they still
//! build without one, for clippy); its port stays the same from run to run where it is free, so the tests are not
//! rebuilt for a new URL each time.

use std::path::Path;

use crate::error::XtaskError;
use crate::npm_package::write_file;
use crate::process::Workspace;
use crate::setup::WASM_TARGET;
use crate::simulator::{free_port, RunningSimulator};

/// Crates whose wasm-bindgen-test suites run against one simulator, and where.
///
/// A test step is one such value: another set of suites that needs a simulator of its own (more VMs, hostile
/// names) is one more constant and a step that calls [`run_wasm_test_suites`] with it.
pub struct WasmTestSuites {
    /// Shown in the progress lines; also the folder under `target/` with the simulator's log and webdriver.json.
    pub name: &'static str,
    /// The crates given to `cargo test -p`.
    pub crates: &'static [&'static str],
    /// Extra cargo arguments (features).
    pub cargo_args: &'static [&'static str],
    /// Simulator options (the address and `--allow-origin` for the test page are added).
    pub simulator_args: &'static [&'static str],
    /// The passes, in order.
    pub passes: &'static [Pass],
}

/// The client's and the npm entry's suites, in Node and in Chromium, with 2-second backups.
pub const CLIENT_AND_WASM_SUITES: WasmTestSuites = WasmTestSuites {
    name: "wasm-tests",
    crates: &["vmbackup-client", "vmbackup-wasm"],
    cargo_args: &[],
    simulator_args: &["--task-seconds", "2"],
    passes: &[Pass::Node, Pass::Chromium],
};

/// The widgets' component suites (pinned to the browser), with the embedding entry compiled in, against a
/// simulator with 10,000 VMs (virtual scrolling) and VMs named with markup and script payloads.
pub const WIDGET_SUITES: WasmTestSuites = WasmTestSuites {
    name: "widget-tests",
    crates: &["vmbackup-ui"],
    cargo_args: &["--features", "vmbackup-ui/widgets-entry"],
    simulator_args: &["--task-seconds", "2", "--vms", "10000", "--hostile-names"],
    passes: &[Pass::Chromium],
};

/// Preferred port of the simulator (it falls back to a free one); a stable port keeps `VMBACKUP_SIM_URL`, and
/// with it the compiled tests, the same from run to run.
const PREFERRED_SIMULATOR_PORT: u16 = 47_821;
/// The origins of the runner's test pages: loopback, any port.
const TEST_PAGE_ORIGINS: &str = "http://127.0.0.1:*";

/// The chromedriver of Debian's `chromium-driver` package.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Chromium options on top of the runner's own (`headless`, `no-sandbox`, `disable-dev-shm-usage`): no GPU, and
/// none of the background connections that this machine's closed network refuses.
pub const CHROMIUM_TEST_FLAGS: [&str; 7] = [
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
];

/// Seconds one test may take (the runner's default is 20); a tracked backup takes a few.
const TEST_TIMEOUT_SECONDS: &str = "90";

/// Where the test binaries of a pass run (those that do not pin a place with `wasm_bindgen_test_configure!`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Node,
    Chromium,
}

/// The "wasm tests" step: [`CLIENT_AND_WASM_SUITES`].
pub fn run_wasm_tests(workspace: &Workspace) -> Result<(), XtaskError> {
    run_wasm_test_suites(workspace, &CLIENT_AND_WASM_SUITES)
}

/// The "widget tests" step: [`WIDGET_SUITES`].
pub fn run_widget_tests(workspace: &Workspace) -> Result<(), XtaskError> {
    run_wasm_test_suites(workspace, &WIDGET_SUITES)
}

/// Runs each pass of `suites` against one simulator started for them.
pub fn run_wasm_test_suites(workspace: &Workspace, suites: &WasmTestSuites) -> Result<(), XtaskError> {
    let work_dir = workspace.target_dir().join(suites.name);
    // The runner serves each test binary's page from a fresh port (a fixed one collides with the previous
    // binary's socket still closing), so the simulator allows any port of the loopback host.
    let mut simulator_args: Vec<&str> = suites.simulator_args.to_vec();
    simulator_args.extend(["--allow-origin", TEST_PAGE_ORIGINS]);
    let simulator = RunningSimulator::start(
        workspace,
        free_port(PREFERRED_SIMULATOR_PORT)?,
        &simulator_args,
        &work_dir.join("simulator.log"),
    )?;
    let webdriver_json = work_dir.join("webdriver.json");
    write_file(&webdriver_json, webdriver_capabilities())?;

    for &pass in suites.passes {
        println!("\n-- {}: wasm-bindgen tests in {pass:?}", suites.name);
        let result = wasm_test_command(workspace, suites, pass, &simulator.url, &webdriver_json).run();
        if result.is_err() {
            println!("simulator log: {}", simulator.log.display());
            return result;
        }
    }
    Ok(())
}

fn wasm_test_command(
    workspace: &Workspace,
    suites: &WasmTestSuites,
    pass: Pass,
    simulator_url: &str,
    webdriver_json: &Path,
) -> crate::process::Cmd {
    let mut args = vec!["test", "--target", WASM_TARGET];
    for name in suites.crates {
        args.extend(["-p", name]);
    }
    args.extend(suites.cargo_args);
    let command = workspace
        .cargo(&args)
        .env("VMBACKUP_SIM_URL", simulator_url)
        .env("WASM_BINDGEN_TEST_TIMEOUT", TEST_TIMEOUT_SECONDS);
    match pass {
        Pass::Node => command.env("WASM_BINDGEN_TEST_ONLY_NODE", "1"),
        Pass::Chromium => command
            .env("WASM_BINDGEN_USE_BROWSER", "1")
            .env("WASM_BINDGEN_TEST_ONLY_WEB", "1")
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", webdriver_json),
    }
}

/// The capabilities file for chromedriver: Debian's Chromium and [`CHROMIUM_TEST_FLAGS`].
fn webdriver_capabilities() -> String {
    let args: Vec<String> = CHROMIUM_TEST_FLAGS.iter().map(|flag| format!("\"{flag}\"")).collect();
    format!(
        "{{\n  \"goog:chromeOptions\": {{\n    \"binary\": \"{}\",\n    \"args\": [{}]\n  }}\n}}\n",
        crate::npm_tests::CHROMIUM,
        args.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_capabilities_name_the_binary_and_every_flag() {
        let json = webdriver_capabilities();
        assert!(json.contains("\"binary\": \"/usr/bin/chromium\""));
        for flag in CHROMIUM_TEST_FLAGS {
            assert!(json.contains(&format!("\"{flag}\"")), "{flag}");
        }
    }
}
