//! `cargo xtask`: the project's set-up, its whole test run and (later) its demo, in plain Rust.
//!
//! Run from anywhere inside the workspace as `cargo xtask <command>`; `cargo xtask help` lists the commands.

mod demo;
mod dependency_check;
mod e2e_tests;
mod error;
mod export_names;
mod foreign_classes;
mod function_order;
mod import_names;
mod node_tools;
mod npm_package;
mod npm_tests;
mod process;
mod setup;
mod simulator;
mod spa;
mod test_run;
mod wasm_binary;
mod wasm_tests;

use std::error::Error;
use std::process::ExitCode;

use error::XtaskError;
use process::Workspace;
use setup::SETUP_STEPS;

/// A command line `cargo xtask` understands.
#[derive(Debug, PartialEq, Eq)]
enum XtaskCommand {
    /// Every test step in order, or only the named ones (see [`test_run::step_key`]).
    Test { step_keys: Vec<String> },
    /// The set-up steps `test` needs, or the named ones.
    Setup { step_names: Vec<String> },
    /// The npm package in `target/npm/vmbackup/`, its size table and its `.tgz`.
    Npm,
    /// The demo site (SPA, embedding demo, npm package) in `target/demo-site/`, copied to `copy_to` if given.
    Site { copy_to: Option<std::path::PathBuf> },
    /// The demo: the simulator in the foreground, with extra simulator options passed through.
    Demo { simulator_args: Vec<String> },
    /// The usage text.
    Help,
}

fn main() -> ExitCode {
    match parse_args(std::env::args_os().skip(1)).and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\ncargo xtask: {}", error_chain(&error));
            ExitCode::from(error.exit_code())
        }
    }
}

/// Reads the arguments after `cargo xtask`.
fn parse_args(args: impl Iterator<Item = std::ffi::OsString>) -> Result<XtaskCommand, XtaskError> {
    let args = args
        .map(|arg| arg.into_string().map_err(|arg| XtaskError::Usage(format!("argument {arg:?} is not valid UTF-8"))))
        .collect::<Result<Vec<String>, _>>()?;
    let (command, rest) = match args.split_first() {
        None => return Ok(XtaskCommand::Help),
        Some((command, rest)) => (command.as_str(), rest),
    };
    let takes_no_arguments = |parsed: XtaskCommand| match rest.first() {
        None => Ok(parsed),
        Some(extra) => Err(XtaskError::Usage(format!("`cargo xtask {command}` takes no arguments, got `{extra}`"))),
    };
    match command {
        "test" => match rest.iter().find(|arg| arg.starts_with('-')) {
            Some(option) => {
                Err(XtaskError::Usage(format!("`cargo xtask test` takes test step names, not options like `{option}`")))
            }
            None => Ok(XtaskCommand::Test { step_keys: rest.to_vec() }),
        },
        "npm" => takes_no_arguments(XtaskCommand::Npm),
        "demo" => Ok(XtaskCommand::Demo { simulator_args: rest.to_vec() }),
        "site" => match rest {
            [] => Ok(XtaskCommand::Site { copy_to: None }),
            [dir] if !dir.starts_with('-') => Ok(XtaskCommand::Site { copy_to: Some(dir.into()) }),
            _ => Err(XtaskError::Usage("`cargo xtask site` takes at most one folder to copy the site to".into())),
        },
        "help" | "-h" | "--help" => takes_no_arguments(XtaskCommand::Help),
        "setup" => match rest.iter().find(|arg| arg.starts_with('-')) {
            Some(option) => Err(XtaskError::Usage(format!(
                "`cargo xtask setup` takes set-up step names, not options like `{option}`"
            ))),
            None => Ok(XtaskCommand::Setup { step_names: rest.to_vec() }),
        },
        other => Err(XtaskError::Usage(format!("unknown command `{other}`"))),
    }
}

/// The workspace, with what building the SPA and the npm package needs installed first (all set-up steps but
/// the browser), as `test` does for itself: `demo`, `npm` and `site` then work on a fresh machine.
fn workspace_set_up_to_build() -> Result<Workspace, XtaskError> {
    let workspace = Workspace::locate()?;
    setup::run_steps_needed_by_build(&workspace)?;
    Ok(workspace)
}

fn run(command: XtaskCommand) -> Result<(), XtaskError> {
    match command {
        XtaskCommand::Help => {
            print!("{}", usage());
            Ok(())
        }
        XtaskCommand::Demo { simulator_args } => demo::run_demo(&workspace_set_up_to_build()?, &simulator_args),
        XtaskCommand::Site { copy_to } => {
            let site = spa::build_demo_site(&workspace_set_up_to_build()?)?;
            let shown = match copy_to {
                Some(dir) => spa::copy_tree(&site, &dir).map(|()| dir)?,
                None => site,
            };
            println!("demo site in {}", shown.display());
            Ok(())
        }
        XtaskCommand::Test { step_keys } => test_run::run_tests(&Workspace::locate()?, &step_keys),
        XtaskCommand::Npm => npm_package::build_npm_package(&workspace_set_up_to_build()?).map(|_| ()),
        XtaskCommand::Setup { step_names } => {
            let workspace = Workspace::locate()?;
            if step_names.is_empty() {
                setup::run_steps_needed_by_test(&workspace)
            } else {
                setup::run_named_steps(&workspace, &step_names)
            }
        }
    }
}

/// The usage text, with the set-up steps listed from [`SETUP_STEPS`].
fn usage() -> String {
    let mut text = String::from(
        "cargo xtask: set-up, the whole test run and the demo of vmbackup

Usage: cargo xtask <command>

Commands:
  test [STEP...]    every check, in the order listed below (set-up, fmt, clippy, the Rust tests, the wasm
                    tests in Node and headless Chromium, the npm package's tests, the widget tests, the
                    browser journeys); stops at the first failure. With STEP keys, only those steps
  npm               builds the npm package into target/npm/vmbackup/ (wasm-bindgen web, bundler and nodejs
                    builds, wasm-opt -Oz), prints its sizes (also in target/npm/sizes.txt) and packs
                    target/npm/vmbackup-<version>.tgz
  setup [STEP...]   install what `test` needs, skipping what is installed; with STEP names, only those steps
  site [DIR]        builds the demo site (the SPA, the embedding demo page, the npm package) into
                    target/demo-site/, and copies it to DIR if given
  demo [SIM-OPTION...]
                    builds the demo site and serves it with the simulator (API, demo data, users printed at
                    start; backups take ~20 s); options go to vmbackup-sim (e.g. --vms 10000,
                    --addr 0.0.0.0:8080)
  help              this text
",
    );
    text.push_str("\nTest steps (keys for `cargo xtask test STEP...`), in the order they run:\n");
    for key in test_run::all_step_keys() {
        text.push_str(&format!("  {key}\n"));
    }
    text.push_str("\nSet-up steps (* = run by `test` and by `setup` without names):\n");
    let name_width = SETUP_STEPS.iter().map(|step| step.name.len()).max().unwrap_or(0);
    for step in SETUP_STEPS {
        let marker = if step.needed_by_test { '*' } else { ' ' };
        text.push_str(&format!("  {marker} {:<name_width$}  {}\n", step.name, step.installs));
    }
    text
}

/// The error and its causes, joined with `: `.
fn error_chain(error: &XtaskError) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        cause = inner.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<XtaskCommand, XtaskError> {
        parse_args(args.iter().map(std::ffi::OsString::from))
    }

    #[test]
    fn parses_the_commands() {
        assert_eq!(parse(&[]).ok(), Some(XtaskCommand::Help));
        assert_eq!(parse(&["help"]).ok(), Some(XtaskCommand::Help));
        assert_eq!(parse(&["--help"]).ok(), Some(XtaskCommand::Help));
        assert_eq!(parse(&["test"]).ok(), Some(XtaskCommand::Test { step_keys: vec![] }));
        assert_eq!(
            parse(&["test", "npm-package-tests"]).ok(),
            Some(XtaskCommand::Test { step_keys: vec!["npm-package-tests".to_owned()] })
        );
        assert_eq!(parse(&["npm"]).ok(), Some(XtaskCommand::Npm));
        assert_eq!(parse(&["demo"]).ok(), Some(XtaskCommand::Demo { simulator_args: vec![] }));
        assert_eq!(
            parse(&["demo", "--vms", "10000"]).ok(),
            Some(XtaskCommand::Demo { simulator_args: vec!["--vms".into(), "10000".into()] })
        );
        assert_eq!(parse(&["site"]).ok(), Some(XtaskCommand::Site { copy_to: None }));
        assert_eq!(parse(&["site", "/tmp/s"]).ok(), Some(XtaskCommand::Site { copy_to: Some("/tmp/s".into()) }));
        assert_eq!(parse(&["setup"]).ok(), Some(XtaskCommand::Setup { step_names: vec![] }));
        assert_eq!(
            parse(&["setup", "chromium"]).ok(),
            Some(XtaskCommand::Setup { step_names: vec!["chromium".to_owned()] })
        );
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        for args in [&["tset"][..], &["test", "--release"], &["setup", "--all"], &["npm", "--dev"], &["site", "a", "b"]]
        {
            assert!(matches!(parse(args), Err(XtaskError::Usage(_))), "{args:?}");
        }
    }

    #[test]
    fn usage_lists_every_setup_step_and_test_step() {
        let text = usage();
        for key in test_run::all_step_keys() {
            assert!(text.contains(&format!("  {key}\n")), "{key}");
        }
        for step in SETUP_STEPS {
            assert!(text.contains(step.name), "{}", step.name);
        }
    }

    #[test]
    fn the_error_chain_names_the_step_and_its_cause() {
        let failure = XtaskError::TestStep { step: "clippy", source: Box::new(XtaskError::Usage("inner".to_owned())) };
        assert_eq!(error_chain(&failure), "step `clippy` failed: inner (see `cargo xtask help`)");
        assert_eq!(failure.exit_code(), 1);
    }
}
