//! Keeps the sans-IO core free of runtimes, network stacks and browser bindings.

use std::collections::BTreeSet;

use crate::error::XtaskError;
use crate::process::Workspace;

/// Crates that must never be among vmbackup-core's normal dependencies, on any target.
const FORBIDDEN_IN_CORE: &[&str] =
    &["tokio", "reqwest", "hyper", "mio", "socket2", "web-sys", "js-sys", "wasm-bindgen-futures"];

/// `gloo` and every `gloo-*` crate are forbidden too.
const FORBIDDEN_FAMILY: &str = "gloo";

/// Lists vmbackup-core's normal dependencies for all targets and fails, naming them, if any is forbidden.
pub fn check_core_dependencies(workspace: &Workspace) -> Result<(), XtaskError> {
    let tree = workspace
        .cargo(&["tree", "-p", "vmbackup-core", "-e", "normal", "--prefix", "none", "--target", "all"])
        .read_stdout()?;
    let crates = crate_names(&tree);
    let forbidden: Vec<String> =
        crates.iter().filter(|name| is_forbidden(name)).map(|name| (*name).to_owned()).collect();
    if forbidden.is_empty() {
        println!("vmbackup-core: {} crates in its normal dependency tree (all targets), none forbidden", crates.len());
        Ok(())
    } else {
        Err(XtaskError::ForbiddenDependencies { crates: forbidden })
    }
}

/// The distinct crate names in `cargo tree --prefix none` output (`name vX.Y.Z [(…)]` per line).
fn crate_names(tree: &str) -> BTreeSet<&str> {
    tree.lines().filter_map(|line| line.split_whitespace().next()).collect()
}

fn is_forbidden(crate_name: &str) -> bool {
    FORBIDDEN_IN_CORE.contains(&crate_name)
        || crate_name == FORBIDDEN_FAMILY
        || crate_name.strip_prefix(FORBIDDEN_FAMILY).is_some_and(|rest| rest.starts_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_from_cargo_tree_output() {
        let tree = "vmbackup-core v0.1.0 (/work/main/crates/core)\n\
                    serde v1.0.228\n\
                    serde_derive v1.0.228 (proc-macro)\n\
                    serde v1.0.228 (*)\n\n";
        let names: Vec<&str> = crate_names(tree).into_iter().collect();
        assert_eq!(names, ["serde", "serde_derive", "vmbackup-core"]);
    }

    #[test]
    fn flags_the_forbidden_crates_and_the_gloo_family() {
        for name in ["tokio", "reqwest", "hyper", "web-sys", "js-sys", "mio", "socket2"] {
            assert!(is_forbidden(name), "{name}");
        }
        for name in ["wasm-bindgen-futures", "gloo", "gloo-net", "gloo-timers"] {
            assert!(is_forbidden(name), "{name}");
        }
        for name in ["serde", "serde_json", "thiserror", "percent-encoding", "glooey", "tokio_like"] {
            assert!(!is_forbidden(name), "{name}");
        }
    }
}
