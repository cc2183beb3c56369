//! Command-line options of `vmbackup-sim`.
//!
//! Parsed by hand: the options are flat `--name value` pairs and flags, and a hand-written parser keeps the
//! dependency tree small and the messages exact (see the note in Cargo.toml).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything the simulator can be told at start-up. `Options::default()` is what tests start from.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    pub addr: SocketAddr,
    /// Seed of the generated inventory and of every random decision (task failures, progress steps, faults).
    pub seed: u64,
    /// Number of generated VMs (ignored with `inventory`).
    pub vms: usize,
    /// Number of generated projects (tenants), 1–26 (ignored with `inventory`).
    pub projects: usize,
    /// Load the inventory from this JSON file instead of generating it (format in the crate's README).
    pub inventory: Option<PathBuf>,
    /// Idle time after which a session expires (every authenticated request restarts it, like a servlet session).
    pub session_ttl: Duration,
    /// How long a backup (export + store) or a restore (restore + import) takes, roughly, in seconds.
    pub task_seconds: f64,
    /// How many tasks of one type run at once; the rest wait in the queue by priority.
    pub task_slots: usize,
    /// How long finished tasks stay listed before they are purged, like the real server's task-queue clean-up.
    pub task_retention: Duration,
    /// Share (0–1) of submitted backups and restores that end FAILED.
    pub fail_rate: f64,
    /// Delay added to every `/api` request.
    pub latency_ms: u64,
    /// Share (0–1) of `/api` requests answered with a server error instead of being handled.
    pub error_rate: f64,
    /// Injected errors are nginx-style HTML 502 pages instead of JSON 500s.
    pub html_errors: bool,
    /// Share (0–1) of `/api` requests handled but answered by dropping the connection.
    pub drop_rate: f64,
    /// Origins allowed to call the API with credentials (CORS); none means same-origin only.
    pub allow_origins: Vec<String>,
    /// Serve the files of this directory at `/` (the SPA and the demo pages).
    pub static_dir: Option<PathBuf>,
    /// Enums the newest generated docs show as bare strings (location role/status/type, auto-assign mode, …)
    /// are written as bare strings, as 7.x servers do; otherwise every enum is a `{name, description}` object.
    pub newest_enums: bool,
    /// The first generated VMs get names made of markup and script payloads.
    pub hostile_names: bool,
    /// Do not log each request to stderr.
    pub quiet: bool,
    /// Print the inventory (generated or loaded) as an inventory file on stdout and exit.
    pub print_inventory: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            seed: 1,
            vms: 40,
            projects: 3,
            inventory: None,
            session_ttl: Duration::from_secs(1800),
            task_seconds: 20.0,
            task_slots: 8,
            task_retention: Duration::from_secs(3600),
            fail_rate: 0.0,
            latency_ms: 0,
            error_rate: 0.0,
            html_errors: false,
            drop_rate: 0.0,
            allow_origins: Vec::new(),
            static_dir: None,
            newest_enums: false,
            hostile_names: false,
            quiet: false,
            print_inventory: false,
        }
    }
}

/// Why the command line could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionsError {
    /// `--help` was asked for; not an error, but the caller prints the usage and stops.
    #[error("help requested")]
    Help,
    /// An option that does not exist.
    #[error("unknown option `{0}` (see --help)")]
    Unknown(String),
    /// An option that needs a value was last on the line.
    #[error("option `{0}` needs a value")]
    MissingValue(String),
    /// A value that cannot be used, with the reason.
    #[error("bad value `{value}` for `{option}`: {reason}")]
    BadValue { option: String, value: String, reason: String },
}

/// The `--help` text.
pub const USAGE: &str = "\
vmbackup-sim: a simulator of the Storware Backup & Recovery REST API (served under /api)

USAGE: vmbackup-sim [OPTIONS]

  --addr HOST:PORT        listen address (default 127.0.0.1:8080; port 0 picks a free one)
  --seed N                seed of the generated data and of every random decision (default 1)
  --vms N                 number of generated VMs (default 40; fine up to 100000)
  --projects N            number of generated projects/tenants, 1-26 (default 3)
  --inventory FILE        load the inventory from a JSON file instead of generating it
  --print-inventory       print the inventory as such a JSON file and exit
  --session-ttl SECS      idle time after which a session expires (default 1800)
  --task-seconds SECS     how long a backup or a restore takes, roughly (default 20)
  --task-slots N          tasks of one type running at once; the rest queue by priority (default 8)
  --task-retention SECS   finished tasks are purged after this long (default 3600)
  --fail-rate F           share 0-1 of backups and restores that end FAILED (default 0)
  --latency-ms N          delay added to every /api request (default 0)
  --error-rate F          share 0-1 of /api requests answered with a 500 JSON error (default 0)
  --html-errors           injected errors are nginx-style HTML 502 pages instead
  --drop-rate F           share 0-1 of /api requests handled, then answered by dropping the connection
  --allow-origin ORIGIN   allow this origin to call the API with credentials (CORS); repeatable;
                          scheme://host:* allows any port of that host
  --static DIR            serve the files of DIR at /
  --newest-enums          write some enums as bare strings, as the newest 7.x servers do
  --hostile-names         name the first VMs with markup and script payloads (rendering tests)
  --quiet                 do not log each request to stderr
  -h, --help              this text

Users: admin / vPr0tect sees every project, viewer / viewer-pass too but may not change policies or
schedules; tenant-a / tenant-a-pass, tenant-b / tenant-b-pass, ... see one.
Faults can be changed at run time: GET/PUT /__sim/faults (see the README).
";

impl Options {
    /// Reads the options from command-line arguments (without the program name).
    ///
    /// ```
    /// # use vmbackup_sim::Options;
    /// let o = Options::parse(["--vms", "100", "--allow-origin", "http://localhost:3000"]).unwrap();
    /// assert_eq!(o.vms, 100);
    /// assert_eq!(o.allow_origins, vec!["http://localhost:3000".to_string()]);
    /// ```
    pub fn parse<I, S>(args: I) -> Result<Options, OptionsError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut options = Options::default();
        let mut args = args.into_iter().map(Into::into);
        while let Some(arg) = args.next() {
            // `--name=value` is accepted as well as `--name value`.
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| -> Result<String, OptionsError> {
                match inline.clone() {
                    Some(v) => Ok(v),
                    None => args.next().ok_or_else(|| OptionsError::MissingValue(name.to_string())),
                }
            };
            match name.as_str() {
                "-h" | "--help" => return Err(OptionsError::Help),
                "--addr" => {
                    let v = value(&name)?;
                    options.addr = v.parse().map_err(|_| bad(&name, &v, "expected HOST:PORT, e.g. 127.0.0.1:8080"))?;
                }
                "--seed" => options.seed = number(&name, &value(&name)?)?,
                "--vms" => {
                    let v = value(&name)?;
                    let n: usize = number(&name, &v)?;
                    if n > 1_000_000 {
                        return Err(bad(&name, &v, "at most 1000000"));
                    }
                    options.vms = n;
                }
                "--projects" => {
                    let v = value(&name)?;
                    let n: usize = number(&name, &v)?;
                    if !(1..=26).contains(&n) {
                        return Err(bad(&name, &v, "between 1 and 26"));
                    }
                    options.projects = n;
                }
                "--inventory" => options.inventory = Some(PathBuf::from(value(&name)?)),
                "--print-inventory" => options.print_inventory = true,
                "--session-ttl" => options.session_ttl = Duration::from_secs(number(&name, &value(&name)?)?),
                "--task-seconds" => {
                    let v = value(&name)?;
                    let s: f64 = number(&name, &v)?;
                    if !(0.05..=86_400.0).contains(&s) {
                        return Err(bad(&name, &v, "between 0.05 and 86400 seconds"));
                    }
                    options.task_seconds = s;
                }
                "--task-slots" => {
                    let v = value(&name)?;
                    let n: usize = number(&name, &v)?;
                    if n == 0 {
                        return Err(bad(&name, &v, "at least 1"));
                    }
                    options.task_slots = n;
                }
                "--task-retention" => options.task_retention = Duration::from_secs(number(&name, &value(&name)?)?),
                "--fail-rate" => options.fail_rate = share(&name, &value(&name)?)?,
                "--latency-ms" => options.latency_ms = number(&name, &value(&name)?)?,
                "--error-rate" => options.error_rate = share(&name, &value(&name)?)?,
                "--html-errors" => options.html_errors = true,
                "--drop-rate" => options.drop_rate = share(&name, &value(&name)?)?,
                "--allow-origin" => {
                    let v = value(&name)?;
                    options.allow_origins.push(origin(&name, &v)?);
                }
                "--static" => options.static_dir = Some(PathBuf::from(value(&name)?)),
                "--newest-enums" => options.newest_enums = true,
                "--hostile-names" => options.hostile_names = true,
                "--quiet" => options.quiet = true,
                _ => return Err(OptionsError::Unknown(arg)),
            }
        }
        Ok(options)
    }
}

fn bad(option: &str, value: &str, reason: &str) -> OptionsError {
    OptionsError::BadValue { option: option.to_string(), value: value.to_string(), reason: reason.to_string() }
}

fn number<T: std::str::FromStr>(option: &str, value: &str) -> Result<T, OptionsError> {
    value.trim().parse().map_err(|_| bad(option, value, "expected a number"))
}

fn share(option: &str, value: &str) -> Result<f64, OptionsError> {
    let f: f64 = number(option, value)?;
    if (0.0..=1.0).contains(&f) {
        Ok(f)
    } else {
        Err(bad(option, value, "a share between 0 and 1"))
    }
}

/// An origin as browsers send it: `scheme://host[:port]`, no path. `*` is refused because a wildcard cannot
/// carry credentials (browsers reject `Access-Control-Allow-Origin: *` with cookies).
fn origin(option: &str, value: &str) -> Result<String, OptionsError> {
    let v = value.trim().trim_end_matches('/');
    if v == "*" {
        return Err(bad(option, value, "a wildcard cannot be used with credentials; name each origin"));
    }
    let rest = v.strip_prefix("http://").or_else(|| v.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains('/') => Ok(v.to_string()),
        _ => Err(bad(option, value, "expected an origin such as http://localhost:3000")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let o = Options::parse(Vec::<String>::new()).unwrap_or_default();
        assert_eq!(o.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(o.vms, 40);
    }

    #[test]
    fn every_option() {
        let o = Options::parse([
            "--addr=0.0.0.0:9000",
            "--seed",
            "9",
            "--vms",
            "100000",
            "--session-ttl",
            "5",
            "--task-seconds",
            "1.5",
            "--fail-rate",
            "0.25",
            "--latency-ms",
            "30",
            "--error-rate",
            "0.1",
            "--html-errors",
            "--allow-origin",
            "http://a.test",
            "--allow-origin",
            "https://b.test:8443/",
            "--static",
            "www",
            "--quiet",
        ]);
        let o = o.unwrap_or_default();
        assert_eq!(o.addr.port(), 9000);
        assert_eq!(o.seed, 9);
        assert_eq!(o.vms, 100_000);
        assert_eq!(o.session_ttl, Duration::from_secs(5));
        assert_eq!(o.task_seconds, 1.5);
        assert_eq!(o.fail_rate, 0.25);
        assert_eq!(o.latency_ms, 30);
        assert_eq!(o.error_rate, 0.1);
        assert!(o.html_errors && o.quiet);
        assert_eq!(o.allow_origins, vec!["http://a.test", "https://b.test:8443"]);
        assert_eq!(o.static_dir, Some(PathBuf::from("www")));
    }

    #[test]
    fn errors_are_specific() {
        assert_eq!(Options::parse(["--nope"]), Err(OptionsError::Unknown("--nope".into())));
        assert_eq!(Options::parse(["--vms"]), Err(OptionsError::MissingValue("--vms".into())));
        assert!(matches!(Options::parse(["--fail-rate", "2"]), Err(OptionsError::BadValue { .. })));
        assert!(matches!(Options::parse(["--allow-origin", "*"]), Err(OptionsError::BadValue { .. })));
        assert!(matches!(Options::parse(["--addr", "localhost"]), Err(OptionsError::BadValue { .. })));
        assert_eq!(Options::parse(["-h"]), Err(OptionsError::Help));
    }
}
