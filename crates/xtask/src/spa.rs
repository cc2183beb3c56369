//! The standalone SPA (`crates/app`, `www/index.html`, `Trunk.toml`) built by Trunk into `target/spa/`, and the
//! demo site: the SPA, the embedding demo page and the npm package, served together by the simulator.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::XtaskError;
use crate::node_tools::path_with_node_tools;
use crate::npm_package::{build_npm_package, lay_out_functions, PACKAGE_NAME};
use crate::process::Workspace;

/// The page Trunk writes, and the module it loads (Trunk.toml's `filehash = false` keeps the name; `www/boot.js`
/// loads it by that name).
const SPA_HTML: &str = "index.html";
const SPA_MODULE: &str = "vmbackup-app_bg.wasm";

/// The embedding demo's files in `www/`, copied beside the SPA.
const EMBED_DEMO_FILES: [&str; 3] = ["embed-demo.html", "embed-demo.css", "embed-demo.js"];

/// `trunk build --release`: Trunk finds the pinned wasm-bindgen CLI and npm's wasm-opt first on `PATH` and
/// downloads nothing (`Trunk.toml`: `offline`, pinned tool versions). Then the module's functions are laid out
/// for brotli, as the npm package's are (SPA module 300.2 -> 290.3 KiB brotli; `index.html` carries no integrity
/// hash of it). Returns `target/spa`.
pub fn build_spa(workspace: &Workspace) -> Result<PathBuf, XtaskError> {
    let dist = workspace.target_dir().join("spa");
    // Trunk.toml's `dist` is relative to the workspace; with CARGO_TARGET_DIR set elsewhere, follow it.
    workspace
        .program("trunk", &["build", "--release"])
        .env("PATH", path_with_node_tools(workspace))
        .env("TRUNK_BUILD_DIST", &dist)
        .run()?;
    for file in [SPA_HTML, SPA_MODULE] {
        if !dist.join(file).is_file() {
            return Err(XtaskError::Unexpected(format!("trunk build made no {}", dist.join(file).display())));
        }
    }
    lay_out_functions(workspace, &dist.join(SPA_MODULE))?;
    Ok(dist)
}

/// Builds the SPA and the npm package and puts them, with the embedding demo, into `target/demo-site/`:
/// `/` is the SPA, `/embed-demo.html` the portal page, `/vmbackup/` the package it imports.
pub fn build_demo_site(workspace: &Workspace) -> Result<PathBuf, XtaskError> {
    let spa = build_spa(workspace)?;
    let package = build_npm_package(workspace)?;
    let site = workspace.target_dir().join("demo-site");
    if site.exists() {
        fs::remove_dir_all(&site).map_err(|source| XtaskError::Io { action: "remove", path: site.clone(), source })?;
    }
    copy_tree(&spa, &site)?;
    for file in EMBED_DEMO_FILES {
        copy(&workspace.root.join("www").join(file), &site.join(file))?;
    }
    copy_tree(&package.dir, &site.join(PACKAGE_NAME))?;
    Ok(site)
}

fn copy(from: &Path, to: &Path) -> Result<(), XtaskError> {
    fs::copy(from, to).map(|_| ()).map_err(|source| XtaskError::Io { action: "copy", path: from.to_path_buf(), source })
}

/// Copies a folder's files and subfolders (Trunk's staging folder excepted).
pub fn copy_tree(from: &Path, to: &Path) -> Result<(), XtaskError> {
    fs::create_dir_all(to).map_err(|source| XtaskError::Io { action: "create", path: to.to_path_buf(), source })?;
    let entries =
        fs::read_dir(from).map_err(|source| XtaskError::Io { action: "read", path: from.to_path_buf(), source })?;
    for entry in entries {
        let entry = entry.map_err(|source| XtaskError::Io { action: "read", path: from.to_path_buf(), source })?;
        let name = entry.file_name();
        if name == ".stage" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name))?;
        } else {
            copy(&path, &to.join(&name))?;
        }
    }
    Ok(())
}
