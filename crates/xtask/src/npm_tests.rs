//! The "npm package tests" step: the package as its users get it, tested with Node's test runner against a
//! simulator (tests/npm/, see tests/README.md).
//!
//! It builds the package (`cargo xtask npm`), lays out the plain HTML page of `tests/npm/page/` with the package's
//! browser build beside it, starts a simulator that serves that page on the API's origin, and runs
//! `node --test` on `tests/npm/*.test.mjs`, one file at a time (they share the simulator, and some of them expire
//! its sessions or count its requests).

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::XtaskError;
use crate::node_tools::run_node_tests_against_site;
use crate::npm_package::{build_npm_package, BuiltPackage};
use crate::process::Workspace;

/// The port the simulator of this step prefers (any free one when it is taken).
const PREFERRED_SIMULATOR_PORT: u16 = 47_811;

/// Simulator options: 2-second backups so that a tracked task finishes quickly (the poller test makes its own
/// slow tasks at run time through `/__sim/faults`), room for 100 tasks running at once, and enough VMs with a
/// policy for them.
const SIMULATOR_ARGS: [&str; 6] = ["--task-seconds", "2", "--task-slots", "128", "--vms", "200"];

/// The Chromium the page test drives through playwright-core (Debian's; never a downloaded browser).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Builds the package and runs the tests of `tests/npm/`.
pub fn run_npm_package_tests(workspace: &Workspace) -> Result<(), XtaskError> {
    let package = build_npm_package(workspace)?;
    let work_dir = workspace.target_dir().join("npm-tests");
    let site = lay_out_page_site(workspace, &package, &work_dir.join("site"))?;
    run_node_tests_against_site(
        workspace,
        &workspace.root.join("tests").join("npm"),
        &site,
        PREFERRED_SIMULATOR_PORT,
        &SIMULATOR_ARGS,
        &work_dir,
        |node, simulator_url| {
            node.env("VMBACKUP_SIM_URL", simulator_url)
                .env("VMBACKUP_NPM_TARBALL", &package.tarball)
                .env("VMBACKUP_NPM_PACKAGE_DIR", &package.dir)
                .env("VMBACKUP_TEST_WORK_DIR", &work_dir)
                .env("VMBACKUP_CHROMIUM", CHROMIUM)
        },
    )
}

/// Copies the page (`tests/npm/page/`) to `site/` and the package's browser build to `site/vmbackup/`, where the
/// page's import map finds it; the simulator serves `site/` on the API's origin.
fn lay_out_page_site(workspace: &Workspace, package: &BuiltPackage, site: &Path) -> Result<PathBuf, XtaskError> {
    if site.exists() {
        fs::remove_dir_all(site).map_err(|source| XtaskError::Io {
            action: "remove",
            path: site.to_path_buf(),
            source,
        })?;
    }
    copy_dir(&workspace.root.join("tests").join("npm").join("page"), site)?;
    copy_dir(&package.dir.join("web"), &site.join("vmbackup"))?;
    Ok(site.to_path_buf())
}

/// Copies the files of `from` (not its sub-folders, which the page and the build do not have) into `to`.
fn copy_dir(from: &Path, to: &Path) -> Result<(), XtaskError> {
    fs::create_dir_all(to).map_err(|source| XtaskError::Io { action: "create", path: to.to_path_buf(), source })?;
    let entries =
        fs::read_dir(from).map_err(|source| XtaskError::Io { action: "list", path: from.to_path_buf(), source })?;
    for entry in entries {
        let path = entry.map_err(|source| XtaskError::Io { action: "list", path: from.to_path_buf(), source })?.path();
        if path.is_file() {
            let target = to.join(path.file_name().unwrap_or_default());
            fs::copy(&path, &target).map_err(|source| XtaskError::Io { action: "copy", path: path.clone(), source })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node_tools::node_test_files;

    #[test]
    fn finds_the_test_files_of_tests_npm() -> Result<(), XtaskError> {
        let files = node_test_files(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/npm")))?;
        let names: Vec<String> =
            files.iter().filter_map(|file| file.file_name()).map(|name| name.to_string_lossy().into_owned()).collect();
        for expected in ["consumer.test.mjs", "types.test.mjs", "page.test.mjs", "poller.test.mjs"] {
            assert!(names.iter().any(|name| name == expected), "{expected} in {names:?}");
        }
        Ok(())
    }
}
