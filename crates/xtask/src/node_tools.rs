//! The npm development tools under `tests/` (binaryen's `wasm-opt`, `tsc`, playwright-core), installed by the
//! `npm-dev` set-up step with `npm ci` from the committed `tests/package-lock.json`.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::error::XtaskError;
use crate::process::{Cmd, Workspace};
use crate::simulator::{free_port, RunningSimulator};

/// The binaryen release whose `wasm-opt` optimises the npm package (never Debian's older `binaryen`, whose
/// output breaks at run time); it must match the pin in `tests/package.json`.
pub const BINARYEN_VERSION: &str = "132";

/// The folder holding `package.json`, `package-lock.json` and `node_modules/` of the development tools.
pub fn tests_dir(workspace: &Workspace) -> PathBuf {
    workspace.root.join("tests")
}

/// `tests/node_modules/.bin`: the tools' executables.
pub fn node_bin_dir(workspace: &Workspace) -> PathBuf {
    tests_dir(workspace).join("node_modules").join(".bin")
}

/// The current `PATH` with [`node_bin_dir`] first, so that `wasm-opt` is binaryen's from npm even where
/// Debian's `binaryen` is installed.
pub fn path_with_node_tools(workspace: &Workspace) -> OsString {
    prepend_to_path(&node_bin_dir(workspace), env::var_os("PATH"))
}

/// The `*.test.mjs` files of `dir` (Node's test runner takes them one by one), sorted by name; none is an error.
pub fn node_test_files(dir: &Path) -> Result<Vec<PathBuf>, XtaskError> {
    let entries =
        std::fs::read_dir(dir).map_err(|source| XtaskError::Io { action: "list", path: dir.to_path_buf(), source })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.ends_with(".test.mjs")))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(XtaskError::Unexpected(format!("no *.test.mjs files in {}", dir.display())));
    }
    Ok(files)
}

/// A simulator on `preferred_port` (or any free one) with `simulator_args`, serving `site` on the API's origin
/// and logging to `work_dir/simulator.log`; then Node's test runner on the `*.test.mjs` files of `test_dir`, one
/// file at a time (they share the simulator), with the variables `with_env` adds given the simulator's URL.
/// Names the simulator's log when a test fails.
pub fn run_node_tests_against_site(
    workspace: &Workspace,
    test_dir: &Path,
    site: &Path,
    preferred_port: u16,
    simulator_args: &[&str],
    work_dir: &Path,
    with_env: impl FnOnce(Cmd, &str) -> Cmd,
) -> Result<(), XtaskError> {
    let test_files = node_test_files(test_dir)?;
    let site_arg = site.to_string_lossy().into_owned();
    let mut args = simulator_args.to_vec();
    args.extend(["--static", site_arg.as_str()]);
    let port = free_port(preferred_port)?;
    let simulator = RunningSimulator::start(workspace, port, &args, &work_dir.join("simulator.log"))?;

    let node = workspace.program("node", &["--test", "--test-concurrency=1", "--test-reporter=spec"]);
    let mut node = with_env(node, &simulator.url);
    for file in &test_files {
        node = node.arg(file);
    }
    let result = node.run();
    if result.is_err() {
        println!("simulator log: {}", simulator.log.display());
    }
    result
}

fn prepend_to_path(first: &Path, path: Option<OsString>) -> OsString {
    let rest: Vec<PathBuf> = path.as_deref().map(|path| env::split_paths(path).collect()).unwrap_or_default();
    // Joining fails only for a folder whose name holds the separator (`:`); the old PATH then stays as it was, and
    // the `wasm-opt` version check names whichever one is found instead.
    env::join_paths(std::iter::once(first.to_path_buf()).chain(rest))
        .unwrap_or_else(|_| path.unwrap_or_else(|| first.as_os_str().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tools_come_first_on_path() {
        let joined = prepend_to_path(Path::new("/w/tests/node_modules/.bin"), Some(OsString::from("/usr/bin:/bin")));
        assert_eq!(joined, OsString::from("/w/tests/node_modules/.bin:/usr/bin:/bin"));
        let alone = prepend_to_path(Path::new("/w/.bin"), None);
        assert_eq!(alone, OsString::from("/w/.bin"));
    }

    #[test]
    fn the_binaryen_pin_matches_tests_package_json() -> Result<(), std::io::Error> {
        let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/package.json"))?;
        let pin = format!("\"binaryen\": \"{BINARYEN_VERSION}.0.0\"");
        assert!(manifest.contains(&pin), "tests/package.json must pin {pin}");
        Ok(())
    }
}
