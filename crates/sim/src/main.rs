//! `vmbackup-sim`: runs the Storware API simulator until Ctrl-C.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use vmbackup_sim::sessions::{ADMIN_LOGIN, ADMIN_PASSWORD, VIEWER_LOGIN, VIEWER_PASSWORD};
use vmbackup_sim::{serve, Options, OptionsError, Simulator, USAGE};

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(OptionsError::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("vmbackup-sim: {e}");
            return ExitCode::from(2);
        }
    };
    if options.print_inventory {
        return match Simulator::inventory(&options).map(|inv| serde_json::to_string_pretty(&inv)) {
            Ok(Ok(text)) => {
                println!("{text}");
                ExitCode::SUCCESS
            }
            Ok(Err(e)) => {
                eprintln!("vmbackup-sim: {e}");
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("vmbackup-sim: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let started = Instant::now();
    let sim = match Simulator::new(options) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("vmbackup-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    let loaded_in = started.elapsed();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("vmbackup-sim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = sim.options.addr;
    let listener = match runtime.block_on(tokio::net::TcpListener::bind(addr)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("vmbackup-sim: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    print_banner(&sim, &local.to_string(), loaded_in.as_secs_f64());
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("vmbackup-sim: stopping");
    };
    match runtime.block_on(serve(sim, listener, shutdown)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vmbackup-sim: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What a person starting the simulator needs: where it is and how to log in.
fn print_banner(sim: &Simulator, addr: &str, loaded_secs: f64) {
    let world = sim.read();
    println!("vmbackup-sim listening on http://{addr}  (API base: http://{addr}/api)");
    println!(
        "  inventory: {} VMs, {} backups, {} projects, {} policies ({}; built in {loaded_secs:.2} s)",
        world.vms.len(),
        world.backups.len(),
        world.projects.len(),
        world.policies.len(),
        match &sim.options.inventory {
            Some(path) => format!("from {}", path.display()),
            None => format!("seed {}", sim.options.seed),
        }
    );
    println!("  users:");
    println!("    {ADMIN_LOGIN} / {ADMIN_PASSWORD}  (every project)");
    println!("    {VIEWER_LOGIN} / {VIEWER_PASSWORD}  (every project, read only)");
    for p in &world.projects {
        println!("    {} / {}  ({}, project-uuid {})", p.login, p.password, p.name, p.uuid);
    }
    let f = sim.faults.get();
    println!(
        "  tasks take ~{} s; fail rate {}; latency {} ms; error rate {}{}; control: http://{addr}/__sim/faults",
        f.task_seconds,
        f.fail_rate,
        f.latency_ms,
        f.error_rate,
        if f.html_errors { " (HTML 502 pages)" } else { "" }
    );
}
