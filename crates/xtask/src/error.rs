//! The one error type of `cargo xtask`.

use std::error::Error;
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::process::ExitStatus;

/// Everything that can stop an xtask command.
///
/// `Display` describes this level only; the cause, if any, comes from [`Error::source`], and `main` prints the
/// whole chain.
#[derive(Debug)]
pub enum XtaskError {
    /// The command line was not understood; the message says what was wrong.
    Usage(String),
    /// The workspace root derived from this crate's manifest directory has no `Cargo.toml`.
    WorkspaceNotFound(PathBuf),
    /// A program could not be started at all (most often: it is not installed or not on `PATH`).
    Spawn { command: String, source: io::Error },
    /// A program ran and ended unsuccessfully.
    CommandFailed { command: String, status: ExitStatus },
    /// A set-up step could not install what it installs.
    SetupFailed { step: &'static str, source: Box<XtaskError> },
    /// A set-up step ran its installation, yet its check still fails afterwards.
    SetupIncomplete { step: &'static str, reason: String },
    /// The core's dependency tree contains crates that must stay out of it.
    ForbiddenDependencies { crates: Vec<String> },
    /// A file or folder could not be read, written, copied or removed.
    Io { action: &'static str, path: PathBuf, source: io::Error },
    /// A built artefact or a tool's output is not what the next step needs; the text says what was found.
    Unexpected(String),
    /// A step of `cargo xtask test` failed.
    TestStep { step: &'static str, source: Box<XtaskError> },
}

impl XtaskError {
    /// The process exit code for this error: 2 for a misuse or a command that does not exist yet, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for XtaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(message) => write!(f, "{message} (see `cargo xtask help`)"),
            Self::WorkspaceNotFound(root) => {
                write!(f, "no Cargo.toml at the expected workspace root {}", root.display())
            }
            Self::Spawn { command, .. } => write!(f, "could not start `{command}`"),
            Self::CommandFailed { command, status } => match status.code() {
                Some(code) => write!(f, "`{command}` failed with exit code {code}"),
                None => write!(f, "`{command}` was stopped ({status})"),
            },
            Self::SetupFailed { step, .. } => write!(f, "set-up step `{step}` failed"),
            Self::SetupIncomplete { step, reason } => {
                write!(f, "set-up step `{step}` installed, but its check still fails: {reason}")
            }
            Self::ForbiddenDependencies { crates } => write!(
                f,
                "vmbackup-core must stay free of IO, async runtimes and browser bindings, but its normal \
                 dependencies include: {}. See how each one gets in with \
                 `cargo tree -p vmbackup-core -e normal --target all -i <crate>`",
                crates.join(", ")
            ),
            Self::Io { action, path, .. } => write!(f, "could not {action} {}", path.display()),
            Self::Unexpected(message) => f.write_str(message),
            Self::TestStep { step, .. } => write!(f, "step `{step}` failed"),
        }
    }
}

impl Error for XtaskError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Spawn { source, .. } | Self::Io { source, .. } => Some(source),
            Self::SetupFailed { source, .. } | Self::TestStep { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}
