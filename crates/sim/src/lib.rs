//! # vmbackup-sim
//!
//! A simulator of the Storware Backup & Recovery (formerly vProtect) REST API, for demos and tests: the same
//! paths under `/api`, query parameters, status codes and JSON shapes as the real server (see the project's
//! `storware-api.md`), with a generated or file-loaded inventory, tenants, sessions, tasks that queue and run,
//! and faults that can be switched at run time under `/__sim/`.
//!
//! Tests start it in-process on a free port:
//!
//! ```no_run
//! use vmbackup_sim::{Options, RunningSimulator};
//! let sim = RunningSimulator::start(Options { addr: "127.0.0.1:0".parse().unwrap(), ..Options::default() }).unwrap();
//! println!("API at {}", sim.api_base());
//! ```

pub mod control;
pub mod cors;
pub mod errors;
pub mod faults;
pub mod generator;
pub mod inventory;
pub mod json;
pub mod listing;
pub mod model;
pub mod options;
pub mod render;
pub mod request_log;
pub mod rng;
pub mod routes;
pub mod sessions;
pub mod state;
pub mod static_files;
pub mod tasks;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

pub use inventory::{Inventory, InventoryError};
pub use options::{Options, OptionsError, USAGE};
pub use state::{Sim, Simulator};

use crate::state::now_ms;
use crate::tasks::{RunnerSettings, TaskRunner, TICK};

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Inventory(#[from] InventoryError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("cannot start the runtime: {0}")]
    Runtime(std::io::Error),
}

/// Advances tasks every [`TICK`] and drops idle sessions now and then, until the process or runtime ends.
async fn run_ticker(sim: Sim) {
    let mut interval = tokio::time::interval(TICK);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut ticks: u64 = 0;
    loop {
        interval.tick().await;
        let faults = sim.faults.get();
        let settings = RunnerSettings {
            task_seconds: faults.task_seconds,
            slots: sim.options.task_slots,
            retention: sim.options.task_retention,
        };
        TaskRunner::tick(&mut sim.write(), now_ms(), settings);
        ticks += 1;
        if ticks % 100 == 0 {
            sim.sessions.purge(faults.session_ttl());
        }
    }
}

/// Serves `sim` on `listener` until `shutdown` completes (then open connections get two seconds to finish).
pub async fn serve(
    sim: Sim,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let ticker = tokio::spawn(run_ticker(sim.clone()));
    let (stop_tx, mut stop_rx) = watch::channel(false);
    let mut deadline_rx = stop_rx.clone();
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    let server = axum::serve(listener, routes::app(sim)).with_graceful_shutdown(async move {
        let _ = stop_rx.wait_for(|stop| *stop).await;
    });
    let result = tokio::select! {
        r = server => r,
        _ = async move {
            let _ = deadline_rx.wait_for(|stop| *stop).await;
            tokio::time::sleep(Duration::from_secs(2)).await;
        } => Ok(()),
    };
    ticker.abort();
    result
}

/// A simulator running on its own thread and runtime (for tests and tools); stopped when dropped.
#[derive(Debug)]
pub struct RunningSimulator {
    addr: SocketAddr,
    sim: Sim,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl RunningSimulator {
    /// Builds the inventory, binds `options.addr` (port 0 picks a free one) and serves in the background.
    pub fn start(options: Options) -> Result<RunningSimulator, StartError> {
        let sim = Arc::new(Simulator::new(options)?);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(StartError::Runtime)?;
        let addr = sim.options.addr;
        let listener =
            runtime.block_on(TcpListener::bind(addr)).map_err(|source| StartError::Listen { addr, source })?;
        let addr = listener.local_addr().map_err(|source| StartError::Listen { addr, source })?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = sim.clone();
        let thread = std::thread::Builder::new()
            .name("vmbackup-sim".into())
            .spawn(move || {
                let shutdown = async move {
                    let _ = stopped.await;
                };
                if let Err(e) = runtime.block_on(serve(served, listener, shutdown)) {
                    eprintln!("vmbackup-sim: server stopped: {e}");
                }
            })
            .map_err(StartError::Runtime)?;
        Ok(RunningSimulator { addr, sim, stop: Some(stop), thread: Some(thread) })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/api`, the base the core's paths are relative to.
    pub fn api_base(&self) -> String {
        format!("{}/api", self.url())
    }

    /// The simulator's state (to inspect or change it directly in tests).
    pub fn simulator(&self) -> &Sim {
        &self.sim
    }
}

impl Drop for RunningSimulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
