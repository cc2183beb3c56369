//! Running programs from the workspace root, showing each command line before it runs.

use std::env;
use std::ffi::{OsStr, OsString};
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::XtaskError;

/// The workspace xtask works on, and the `cargo` it was started with.
pub struct Workspace {
    /// The directory holding the workspace `Cargo.toml`; every command runs here.
    pub root: PathBuf,
    /// The cargo binary from the `CARGO` variable that `cargo run` sets, or `cargo` from `PATH`.
    cargo: OsString,
}

impl Workspace {
    /// Finds the workspace root two levels above this crate's manifest directory (`crates/xtask`).
    pub fn locate() -> Result<Self, XtaskError> {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir.ancestors().nth(2).unwrap_or(manifest_dir).to_path_buf();
        if !root.join("Cargo.toml").is_file() {
            return Err(XtaskError::WorkspaceNotFound(root));
        }
        let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
        Ok(Self { root, cargo })
    }

    /// `cargo` with `args`, run from the workspace root.
    pub fn cargo(&self, args: &[&str]) -> Cmd {
        Cmd::new(&self.root, "cargo", &self.cargo, args)
    }

    /// Any other program, found on `PATH`, with `args`, run from the workspace root.
    pub fn program(&self, program: &str, args: &[&str]) -> Cmd {
        Cmd::new(&self.root, program, program, args)
    }

    /// Where cargo puts its builds: `CARGO_TARGET_DIR` when set (relative to the root), else `target/`.
    pub fn target_dir(&self) -> PathBuf {
        match env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => self.root.join(dir),
            None => self.root.join("target"),
        }
    }
}

/// A command line ready to run, with its printable form.
///
/// The child inherits this process's environment (so `RUSTUP_TOOLCHAIN`, `CARGO_TERM_COLOR`, `PATH` … carry
/// over) and, unless captured, its terminal.
pub struct Cmd {
    command: Command,
    shown: String,
}

impl Cmd {
    fn new(root: &Path, shown_program: &str, program: impl AsRef<OsStr>, args: &[&str]) -> Self {
        let mut command = Command::new(program);
        command.args(args).current_dir(root);
        let shown = std::iter::once(shown_program).chain(args.iter().copied()).collect::<Vec<_>>().join(" ");
        Self { command, shown }
    }

    /// Sets one environment variable for the child.
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    /// Appends one argument that is not plain text known in advance (a path, most often).
    pub fn arg(mut self, argument: impl AsRef<OsStr>) -> Self {
        self.shown.push(' ');
        self.shown.push_str(&argument.as_ref().to_string_lossy());
        self.command.arg(argument);
        self
    }

    /// Appends plain-text arguments.
    pub fn args(mut self, arguments: &[&str]) -> Self {
        for argument in arguments {
            self = self.arg(argument);
        }
        self
    }

    /// Runs the child in `directory` instead of the workspace root.
    pub fn current_dir(mut self, directory: &Path) -> Self {
        self.command.current_dir(directory);
        self
    }

    /// The command line as printed and as named in errors.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Prints the command line, runs it on this terminal and succeeds when it exits with 0.
    pub fn run(mut self) -> Result<(), XtaskError> {
        println!("$ {}", self.shown);
        let status =
            self.command.status().map_err(|source| XtaskError::Spawn { command: self.shown.clone(), source })?;
        if status.success() {
            Ok(())
        } else {
            Err(XtaskError::CommandFailed { command: self.shown, status })
        }
    }

    /// Runs quietly with standard output captured (errors still reach the terminal) and returns that output when
    /// the command exits with 0.
    pub fn read_stdout(self) -> Result<String, XtaskError> {
        let shown = self.shown.clone();
        match self.probe_stdout()? {
            ProbeOutcome::Succeeded(stdout) => Ok(stdout),
            ProbeOutcome::NotFound(source) => Err(XtaskError::Spawn { command: shown, source }),
            ProbeOutcome::Failed(status) => Err(XtaskError::CommandFailed { command: shown, status }),
        }
    }

    /// Like [`Cmd::read_stdout`], but a program that is missing or fails is an answer rather than an error: for
    /// checking whether something is installed.
    pub fn probe_stdout(mut self) -> Result<ProbeOutcome, XtaskError> {
        let output = match self.command.stdin(Stdio::null()).stderr(Stdio::inherit()).output() {
            Ok(output) => output,
            Err(source) if source.kind() == io::ErrorKind::NotFound => {
                return Ok(ProbeOutcome::NotFound(source));
            }
            Err(source) => return Err(XtaskError::Spawn { command: self.shown, source }),
        };
        if output.status.success() {
            Ok(ProbeOutcome::Succeeded(String::from_utf8_lossy(&output.stdout).into_owned()))
        } else {
            Ok(ProbeOutcome::Failed(output.status))
        }
    }
}

/// What a quiet run of a program found.
pub enum ProbeOutcome {
    /// It exited with 0; this is its standard output.
    Succeeded(String),
    /// The program is not on `PATH`.
    NotFound(io::Error),
    /// It ran and failed.
    Failed(std::process::ExitStatus),
}

/// Whether an executable file called `name` is in one of the `PATH` directories.
pub fn is_on_path(name: &str) -> bool {
    env::var_os("PATH")
        .is_some_and(|path| env::split_paths(&path).any(|directory| is_executable_file(&directory.join(name))))
}

#[cfg(unix)]
fn is_executable_file(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable_file(path: &Path) -> bool {
    path.is_file() || path.with_extension("exe").is_file()
}
