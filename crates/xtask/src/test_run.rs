//! `cargo xtask test`: every check, in order, stopping at the first failure.

use std::time::{Duration, Instant};

use crate::dependency_check::check_core_dependencies;
use crate::e2e_tests::run_e2e_tests;
use crate::error::XtaskError;
use crate::npm_tests::run_npm_package_tests;
use crate::process::Workspace;
use crate::setup::{run_steps_needed_by_test, WASM_TARGET};
use crate::wasm_tests::{run_wasm_tests, run_widget_tests};

/// One step of the test run.
struct TestStep {
    /// Shown in the progress lines, the summary and the failure message.
    name: &'static str,
    run: fn(&Workspace) -> Result<(), XtaskError>,
}

/// The steps of `cargo xtask test`, in the order they run.
const TEST_STEPS: &[TestStep] = &[
    TestStep { name: "set-up", run: run_steps_needed_by_test },
    TestStep { name: "fmt", run: check_formatting },
    TestStep { name: "clippy", run: run_clippy },
    TestStep { name: "native tests", run: run_native_tests },
    TestStep { name: "core wasm build", run: build_core_for_wasm },
    TestStep { name: "core dependencies", run: check_core_dependencies },
    TestStep { name: "wasm tests", run: run_wasm_tests },
    TestStep { name: "npm package tests", run: run_npm_package_tests },
    TestStep { name: "widget tests", run: run_widget_tests },
    TestStep { name: "e2e tests", run: run_e2e_tests },
];

fn check_formatting(workspace: &Workspace) -> Result<(), XtaskError> {
    workspace.cargo(&["fmt", "--all", "--", "--check"]).run()
}

fn run_clippy(workspace: &Workspace) -> Result<(), XtaskError> {
    workspace.cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]).run()
}

fn run_native_tests(workspace: &Workspace) -> Result<(), XtaskError> {
    workspace.cargo(&["test", "--workspace"]).run()
}

fn build_core_for_wasm(workspace: &Workspace) -> Result<(), XtaskError> {
    workspace.cargo(&["build", "-p", "vmbackup-core", "--target", WASM_TARGET, "--release"]).run()
}

/// How a step ended.
enum Outcome {
    Passed(Duration),
    Failed(Duration),
    NotRun,
}

/// The key that names a step on the command line: its name with dashes for spaces (`npm-package-tests`).
pub fn step_key(name: &str) -> String {
    name.replace(' ', "-")
}

/// The keys of every step, in the order they run.
pub fn all_step_keys() -> Vec<String> {
    TEST_STEPS.iter().map(|step| step_key(step.name)).collect()
}

/// Runs every step, or only those whose [`step_key`] is in `step_keys` (in the usual order); an unknown key is a
/// usage error and nothing runs.
pub fn run_tests(workspace: &Workspace, step_keys: &[String]) -> Result<(), XtaskError> {
    if let Some(unknown) = step_keys.iter().find(|key| !TEST_STEPS.iter().any(|step| step_key(step.name) == **key)) {
        return Err(XtaskError::Usage(format!(
            "unknown test step `{unknown}`; the steps are: {}",
            all_step_keys().join(", ")
        )));
    }
    let selected: Vec<&TestStep> =
        TEST_STEPS.iter().filter(|step| step_keys.is_empty() || step_keys.contains(&step_key(step.name))).collect();
    run_steps(workspace, &selected)
}

/// Runs `steps`, prints a summary table, and returns the first failure named after its step.
fn run_steps(workspace: &Workspace, steps: &[&TestStep]) -> Result<(), XtaskError> {
    let mut outcomes: Vec<(&'static str, Outcome)> = Vec::with_capacity(steps.len());
    let mut first_failure = None;
    for (index, step) in steps.iter().enumerate() {
        if first_failure.is_some() {
            outcomes.push((step.name, Outcome::NotRun));
            continue;
        }
        println!("\n==> [{}/{}] {}", index + 1, steps.len(), step.name);
        let started = Instant::now();
        let result = (step.run)(workspace);
        let elapsed = started.elapsed();
        match result {
            Ok(()) => {
                println!("<== {}: ok in {:.1} s", step.name, elapsed.as_secs_f64());
                outcomes.push((step.name, Outcome::Passed(elapsed)));
            }
            Err(source) => {
                println!("<== {}: FAILED after {:.1} s", step.name, elapsed.as_secs_f64());
                outcomes.push((step.name, Outcome::Failed(elapsed)));
                first_failure = Some(XtaskError::TestStep { step: step.name, source: Box::new(source) });
            }
        }
    }
    print!("{}", summary_table(&outcomes));
    match first_failure {
        Some(failure) => Err(failure),
        None => {
            println!("cargo xtask test: all {} steps passed", steps.len());
            Ok(())
        }
    }
}

/// The closing table: one row per step with its result and time, then the total.
fn summary_table(outcomes: &[(&str, Outcome)]) -> String {
    let name_width = outcomes.iter().map(|(name, _)| name.len()).chain(["total".len()]).max().unwrap_or(0);
    let mut total = Duration::ZERO;
    let mut table = format!("\n{:<name_width$}  {:<7}  {:>8}\n", "step", "result", "seconds");
    for (name, outcome) in outcomes {
        let (result, seconds) = match outcome {
            Outcome::Passed(elapsed) => ("ok", Some(*elapsed)),
            Outcome::Failed(elapsed) => ("FAILED", Some(*elapsed)),
            Outcome::NotRun => ("not run", None),
        };
        let seconds = match seconds {
            Some(elapsed) => {
                total += elapsed;
                format!("{:.1}", elapsed.as_secs_f64())
            }
            None => "-".to_owned(),
        };
        table.push_str(&format!("{name:<name_width$}  {result:<7}  {seconds:>8}\n"));
    }
    table.push_str(&format!("{:<name_width$}  {:<7}  {:>8.1}\n", "total", "", total.as_secs_f64()));
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_keys_are_unique_and_unknown_ones_are_refused() -> Result<(), XtaskError> {
        let keys = all_step_keys();
        for (index, key) in keys.iter().enumerate() {
            assert!(!keys[index + 1..].contains(key), "duplicate step key {key}");
        }
        assert!(keys.contains(&"npm-package-tests".to_owned()));
        let workspace = Workspace::locate()?;
        assert!(matches!(run_tests(&workspace, &["no-such-step".to_owned()]), Err(XtaskError::Usage(_))));
        Ok(())
    }

    #[test]
    fn the_summary_lists_every_step_and_the_total() {
        let table = summary_table(&[
            ("set-up", Outcome::Passed(Duration::from_millis(400))),
            ("clippy", Outcome::Failed(Duration::from_millis(12_340))),
            ("native tests", Outcome::NotRun),
        ]);
        let expected = "\n\
            step          result    seconds\n\
            set-up        ok            0.4\n\
            clippy        FAILED       12.3\n\
            native tests  not run         -\n\
            total                      12.7\n";
        assert_eq!(table, expected);
    }
}
