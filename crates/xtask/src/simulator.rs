//! A simulator (`vmbackup-sim`) started for a test step, stopped when the step ends.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::error::XtaskError;
use crate::process::Workspace;

/// How long the simulator may take from start to its "listening" line (it generates its data first).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The start of the line the simulator prints once it listens: `vmbackup-sim listening on http://ADDR  (…)`.
const LISTENING_PREFIX: &str = "vmbackup-sim listening on ";

/// A running simulator; dropping it stops it.
pub struct RunningSimulator {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash (the API is under `/api`).
    pub url: String,
    /// The file with the simulator's standard error: its request log and any failure message.
    pub log: PathBuf,
}

impl RunningSimulator {
    /// Builds the simulator (debug profile, shared with `cargo test`) and starts it on `port` with `args`;
    /// its standard error goes to `log`. Returns once it listens.
    pub fn start(workspace: &Workspace, port: u16, args: &[&str], log: &Path) -> Result<Self, XtaskError> {
        workspace.cargo(&["build", "--quiet", "-p", "vmbackup-sim"]).run()?;
        let binary = workspace.target_dir().join("debug").join(format!("vmbackup-sim{}", std::env::consts::EXE_SUFFIX));
        if let Some(parent) = log.parent() {
            std::fs::create_dir_all(parent).map_err(|source| XtaskError::Io {
                action: "create",
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let log_file =
            File::create(log).map_err(|source| XtaskError::Io { action: "create", path: log.to_path_buf(), source })?;
        let address = format!("127.0.0.1:{port}");
        let shown = format!("{} --addr {address} {}", binary.display(), args.join(" "));
        println!("$ {shown} 2> {}", log.display());
        let mut child = Command::new(&binary)
            .arg("--addr")
            .arg(&address)
            .args(args)
            .current_dir(&workspace.root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .map_err(|source| XtaskError::Spawn { command: shown.clone(), source })?;
        let stdout = child.stdout.take();
        let (listening_sender, listening) = mpsc::channel();
        thread::spawn(move || {
            // Forwards the banner line by line until the process ends, so that its pipe never fills.
            let Some(stdout) = stdout else { return };
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if let Some(url) = listening_url(&line) {
                    let _ = listening_sender.send(url.to_owned());
                }
            }
        });
        let mut simulator = Self { child, url: String::new(), log: log.to_path_buf() };
        match listening.recv_timeout(START_TIMEOUT) {
            Ok(url) => {
                simulator.url = url;
                println!("simulator: {} (log: {})", simulator.url, simulator.log.display());
                Ok(simulator)
            }
            Err(_) => Err(XtaskError::Unexpected(format!(
                "the simulator did not say it was listening within {} s; see {}",
                START_TIMEOUT.as_secs(),
                log.display()
            ))),
        }
    }
}

impl Drop for RunningSimulator {
    fn drop(&mut self) {
        // Killing a process that has already ended fails harmlessly; wait() then reaps it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The URL in the simulator's listening line.
fn listening_url(line: &str) -> Option<&str> {
    line.strip_prefix(LISTENING_PREFIX)?.split_whitespace().next()
}

/// `preferred` when nothing listens there now, else a port the system picks.
///
/// A stable port keeps URLs that tests compile in (`option_env!`) the same from run to run, so cargo does not
/// rebuild those tests each time; the fallback keeps a busy machine working.
pub fn free_port(preferred: u16) -> Result<u16, XtaskError> {
    let localhost = |port| SocketAddrV4::new(Ipv4Addr::LOCALHOST, port);
    if TcpListener::bind(localhost(preferred)).is_ok() {
        return Ok(preferred);
    }
    TcpListener::bind(localhost(0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|source| XtaskError::Io { action: "find a free port on", path: PathBuf::from("127.0.0.1"), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_url_from_the_banner() {
        let line = "vmbackup-sim listening on http://127.0.0.1:41234  (API base: http://127.0.0.1:41234/api)";
        assert_eq!(listening_url(line), Some("http://127.0.0.1:41234"));
        assert_eq!(listening_url("users: admin / vPr0tect"), None);
    }

    #[test]
    fn a_busy_preferred_port_gives_another() -> Result<(), Box<dyn std::error::Error>> {
        let busy = TcpListener::bind("127.0.0.1:0")?;
        let busy_port = busy.local_addr()?.port();
        let port = free_port(busy_port)?;
        assert_ne!(port, busy_port);
        Ok(())
    }
}
