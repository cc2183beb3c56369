//! Set-up: installs what the build and the tests need, skipping what is already there.
//!
//! Each [`SetupStep`] checks first and installs only when the check fails, so a warm rerun costs a few
//! milliseconds. New tools become new entries in [`SETUP_STEPS`]; a step joins `cargo xtask test` when its
//! `needed_by_test` turns true.

use std::fs;

use crate::error::XtaskError;
use crate::node_tools::{node_bin_dir, tests_dir};
use crate::process::{is_on_path, ProbeOutcome, Workspace};

/// The Rust target of every browser build.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The wasm-bindgen CLI version; it must equal the `wasm-bindgen = "=…"` pin in the workspace `Cargo.toml`
/// exactly (a unit test below checks that).
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";

/// One thing a fresh machine lacks.
pub struct SetupStep {
    /// The name `cargo xtask setup NAME` takes.
    pub name: &'static str,
    /// What it installs, for the usage text.
    pub installs: &'static str,
    /// Whether `cargo xtask test` (and `cargo xtask setup` without names) runs it.
    pub needed_by_test: bool,
    /// Whether `cargo xtask demo` (and `cargo xtask npm`, `cargo xtask site`) runs it: what building the SPA and
    /// the npm package needs.
    pub needed_by_build: bool,
    check: fn(&Workspace) -> Result<Check, XtaskError>,
    install: fn(&Workspace) -> Result<(), XtaskError>,
}

/// The result of a step's check.
pub enum Check {
    /// Installed as needed.
    Done,
    /// Missing or wrong; the text says what was found.
    Missing(String),
}

/// Every set-up step, in the order they run.
pub const SETUP_STEPS: &[SetupStep] = &[
    SetupStep {
        name: "wasm-target",
        installs: "the Rust target wasm32-unknown-unknown (rustup)",
        needed_by_test: true,
        needed_by_build: true,
        check: check_wasm_target,
        install: install_wasm_target,
    },
    SetupStep {
        name: "rust-src",
        installs: "the Rust standard library's source, which the npm package's modules are built with (rustup)",
        needed_by_test: true,
        needed_by_build: true,
        check: check_rust_src,
        install: install_rust_src,
    },
    SetupStep {
        name: "wasm-bindgen-cli",
        installs: "the wasm-bindgen CLI 0.2.130 (cargo install)",
        needed_by_test: true,
        needed_by_build: true,
        check: check_wasm_bindgen_cli,
        install: install_wasm_bindgen_cli,
    },
    SetupStep {
        name: "chromium",
        installs: "Chromium and chromedriver for browser tests (apt-get, as root)",
        needed_by_test: true,
        needed_by_build: false,
        check: check_chromium,
        install: install_chromium,
    },
    SetupStep {
        name: "npm-dev",
        installs:
            "binaryen (wasm-opt), terser, TypeScript, playwright-core and axe-core into tests/node_modules (npm ci)",
        needed_by_test: true,
        needed_by_build: true,
        check: check_npm_dev_tools,
        install: install_npm_dev_tools,
    },
    SetupStep {
        name: "trunk",
        installs: "Trunk 0.21.14, the SPA's build tool (cargo install --locked)",
        needed_by_test: true,
        needed_by_build: true,
        check: check_trunk,
        install: install_trunk,
    },
];

/// Runs the steps `cargo xtask test` needs.
pub fn run_steps_needed_by_test(workspace: &Workspace) -> Result<(), XtaskError> {
    run_steps(workspace, SETUP_STEPS.iter().filter(|step| step.needed_by_test))
}

/// Runs the steps building the SPA and the npm package needs (`cargo xtask demo`, `npm`, `site`).
pub fn run_steps_needed_by_build(workspace: &Workspace) -> Result<(), XtaskError> {
    run_steps(workspace, SETUP_STEPS.iter().filter(|step| step.needed_by_build))
}

/// Runs the named steps in the order of [`SETUP_STEPS`]; an unknown name is a usage error and nothing runs.
pub fn run_named_steps(workspace: &Workspace, names: &[String]) -> Result<(), XtaskError> {
    if let Some(unknown) = names.iter().find(|name| !SETUP_STEPS.iter().any(|step| step.name == name.as_str())) {
        let known: Vec<&str> = SETUP_STEPS.iter().map(|step| step.name).collect();
        return Err(XtaskError::Usage(format!("unknown set-up step `{unknown}`; the steps are: {}", known.join(", "))));
    }
    run_steps(workspace, SETUP_STEPS.iter().filter(|step| names.iter().any(|name| name == step.name)))
}

fn run_steps<'a>(workspace: &Workspace, steps: impl Iterator<Item = &'a SetupStep>) -> Result<(), XtaskError> {
    for step in steps {
        run_step(workspace, step)
            .map_err(|source| XtaskError::SetupFailed { step: step.name, source: Box::new(source) })?;
    }
    Ok(())
}

fn run_step(workspace: &Workspace, step: &SetupStep) -> Result<(), XtaskError> {
    match (step.check)(workspace)? {
        Check::Done => {
            println!("set-up: {}: already installed", step.name);
            return Ok(());
        }
        Check::Missing(found) => println!("set-up: {}: {found}; installing", step.name),
    }
    (step.install)(workspace)?;
    match (step.check)(workspace)? {
        Check::Done => {
            println!("set-up: {}: installed", step.name);
            Ok(())
        }
        Check::Missing(reason) => Err(XtaskError::SetupIncomplete { step: step.name, reason }),
    }
}

fn check_wasm_target(workspace: &Workspace) -> Result<Check, XtaskError> {
    check_rustup_lists(workspace, "target", WASM_TARGET)
}

fn install_wasm_target(workspace: &Workspace) -> Result<(), XtaskError> {
    workspace.program("rustup", &["target", "add", WASM_TARGET]).run()
}

/// The rustup component holding the standard library's source (`-Zbuild-std`, see `npm_package::SMALL_STD_ARGS`).
/// rustup names it without a target triple: the source is the same for every target.
const RUST_SRC: &str = "rust-src";

fn check_rust_src(workspace: &Workspace) -> Result<Check, XtaskError> {
    check_rustup_lists(workspace, "component", RUST_SRC)
}

fn install_rust_src(workspace: &Workspace) -> Result<(), XtaskError> {
    workspace.program("rustup", &["component", "add", RUST_SRC]).run()
}

/// Whether `rustup LIST list --installed` (`target` or `component`) names `item` on a line of its own.
fn check_rustup_lists(workspace: &Workspace, list: &str, item: &str) -> Result<Check, XtaskError> {
    let installed = workspace.program("rustup", &[list, "list", "--installed"]).read_stdout()?;
    if installed.lines().any(|line| line.trim() == item) {
        Ok(Check::Done)
    } else {
        Ok(Check::Missing(format!("`rustup {list} list --installed` lacks {item}")))
    }
}

fn check_wasm_bindgen_cli(workspace: &Workspace) -> Result<Check, XtaskError> {
    let probe = workspace.program("wasm-bindgen", &["--version"]);
    let shown = probe.shown().to_owned();
    Ok(match probe.probe_stdout()? {
        ProbeOutcome::Succeeded(stdout) => match wasm_bindgen_version(&stdout) {
            Some(WASM_BINDGEN_VERSION) => Check::Done,
            Some(other) => Check::Missing(format!(
                "the wasm-bindgen on PATH is {other}, the workspace needs {WASM_BINDGEN_VERSION} \
                 (if this stays after installing, another wasm-bindgen comes earlier on PATH)"
            )),
            None => Check::Missing(format!("`{shown}` printed no version: {}", stdout.trim())),
        },
        ProbeOutcome::NotFound(_) => Check::Missing("wasm-bindgen is not on PATH".to_owned()),
        ProbeOutcome::Failed(status) => Check::Missing(format!("`{shown}` failed ({status})")),
    })
}

/// The version in `wasm-bindgen --version` output (`wasm-bindgen 0.2.130`).
fn wasm_bindgen_version(version_output: &str) -> Option<&str> {
    let mut words = version_output.split_whitespace();
    match (words.next(), words.next()) {
        (Some("wasm-bindgen"), Some(version)) => Some(version),
        _ => None,
    }
}

fn install_wasm_bindgen_cli(workspace: &Workspace) -> Result<(), XtaskError> {
    // Without `--locked` on purpose: the CLI's lock file names a dependency version the registry no longer
    // has, so a locked install fails.
    workspace.cargo(&["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION]).run()
}

/// The executables the `chromium` and `chromium-driver` Debian packages provide.
const CHROMIUM_EXECUTABLES: [&str; 2] = ["chromium", "chromedriver"];

fn check_chromium(_workspace: &Workspace) -> Result<Check, XtaskError> {
    let missing: Vec<&str> = CHROMIUM_EXECUTABLES.into_iter().filter(|executable| !is_on_path(executable)).collect();
    Ok(if missing.is_empty() { Check::Done } else { Check::Missing(format!("not on PATH: {}", missing.join(", "))) })
}

fn install_chromium(workspace: &Workspace) -> Result<(), XtaskError> {
    workspace.program("apt-get", &["update"]).env("DEBIAN_FRONTEND", "noninteractive").run()?;
    workspace
        .program("apt-get", &["install", "-y", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .run()
}

/// The copy of `tests/package-lock.json` that the `npm-dev` step leaves in `node_modules/` after a successful
/// `npm ci`: while the two are equal, the installed tools are the locked ones.
const INSTALLED_LOCK_STAMP: &str = "node_modules/.xtask-installed-package-lock.json";

/// Executables the `npm-dev` step must leave in `tests/node_modules/.bin`.
const NPM_DEV_EXECUTABLES: [&str; 2] = ["wasm-opt", "tsc"];

fn check_npm_dev_tools(workspace: &Workspace) -> Result<Check, XtaskError> {
    let tests = tests_dir(workspace);
    let lock = read_file(&tests.join("package-lock.json"))?;
    let stamp = match fs::read(tests.join(INSTALLED_LOCK_STAMP)) {
        Ok(stamp) => stamp,
        Err(_) => return Ok(Check::Missing("tests/node_modules was not installed by `npm ci`".to_owned())),
    };
    if stamp != lock {
        return Ok(Check::Missing("tests/package-lock.json changed since tests/node_modules was installed".to_owned()));
    }
    let bin = node_bin_dir(workspace);
    let missing: Vec<&str> =
        NPM_DEV_EXECUTABLES.into_iter().filter(|executable| !bin.join(executable).is_file()).collect();
    Ok(if missing.is_empty() {
        Check::Done
    } else {
        Check::Missing(format!("not in tests/node_modules/.bin: {}", missing.join(", ")))
    })
}

fn install_npm_dev_tools(workspace: &Workspace) -> Result<(), XtaskError> {
    let tests = tests_dir(workspace);
    workspace.program("npm", &["ci", "--no-audit", "--no-fund"]).current_dir(&tests).run()?;
    let stamp = tests.join(INSTALLED_LOCK_STAMP);
    fs::copy(tests.join("package-lock.json"), &stamp).map(|_| ()).map_err(|source| XtaskError::Io {
        action: "write",
        path: stamp,
        source,
    })
}

fn read_file(path: &std::path::Path) -> Result<Vec<u8>, XtaskError> {
    fs::read(path).map_err(|source| XtaskError::Io { action: "read", path: path.to_path_buf(), source })
}

/// The Trunk release that builds with this machine's Rust (0.22 needs a newer rustc).
const TRUNK_VERSION: &str = "0.21.14";

fn check_trunk(workspace: &Workspace) -> Result<Check, XtaskError> {
    let probe = workspace.program("trunk", &["--version"]);
    let shown = probe.shown().to_owned();
    Ok(match probe.probe_stdout()? {
        ProbeOutcome::Succeeded(stdout) => match stdout.split_whitespace().nth(1) {
            Some(TRUNK_VERSION) => Check::Done,
            Some(other) => Check::Missing(format!("the trunk on PATH is {other}, the workspace needs {TRUNK_VERSION}")),
            None => Check::Missing(format!("`{shown}` printed no version: {}", stdout.trim())),
        },
        ProbeOutcome::NotFound(_) => Check::Missing("trunk is not on PATH".to_owned()),
        ProbeOutcome::Failed(status) => Check::Missing(format!("`{shown}` failed ({status})")),
    })
}

fn install_trunk(workspace: &Workspace) -> Result<(), XtaskError> {
    workspace.cargo(&["install", "trunk", "--version", TRUNK_VERSION, "--locked"]).run()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_wasm_bindgen_version() {
        assert_eq!(wasm_bindgen_version("wasm-bindgen 0.2.130\n"), Some("0.2.130"));
        assert_eq!(wasm_bindgen_version("something else 1.0"), None);
        assert_eq!(wasm_bindgen_version(""), None);
    }

    #[test]
    fn the_cli_version_equals_the_workspace_pin() -> Result<(), std::io::Error> {
        let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.toml"))?;
        let pin = format!("wasm-bindgen = \"={WASM_BINDGEN_VERSION}\"");
        assert!(
            manifest.lines().any(|line| line.trim() == pin),
            "the workspace Cargo.toml must pin `{pin}` to match the CLI that set-up installs"
        );
        Ok(())
    }

    #[test]
    fn the_builds_need_no_browser_and_the_test_run_installs_all_they_need() {
        for step in SETUP_STEPS {
            assert!(!step.needed_by_build || step.needed_by_test, "{} is needed by the builds, not by test", step.name);
        }
        let chromium = SETUP_STEPS.iter().find(|step| step.name == "chromium");
        assert!(chromium.is_some_and(|step| !step.needed_by_build), "the demo must not install a browser");
    }

    #[test]
    fn step_names_are_unique() {
        for (index, step) in SETUP_STEPS.iter().enumerate() {
            assert!(
                SETUP_STEPS[index + 1..].iter().all(|later| later.name != step.name),
                "duplicate set-up step {}",
                step.name
            );
        }
    }
}
