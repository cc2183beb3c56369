//! The request log: one line per request on stderr, and counts per method and path for `/__sim/requests`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use crate::state::Sim;

/// How many recent requests `/__sim/requests` shows.
const RECENT: usize = 200;

/// One logged request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    pub method: String,
    /// Path and query.
    pub path: String,
    pub status: u16,
    pub millis: f64,
}

#[derive(Debug, Default)]
struct Counts {
    total: u64,
    by_path: BTreeMap<String, u64>,
    by_status: BTreeMap<u16, u64>,
    recent: VecDeque<LoggedRequest>,
}

/// Counts of the requests served (control requests under `/__sim/` are logged but not counted).
#[derive(Debug, Default)]
pub struct RequestLog {
    counts: Mutex<Counts>,
}

/// What `GET /__sim/requests` answers.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestSummary {
    pub total: u64,
    /// `"GET /api/tasks": 12` (path without query).
    pub by_path: BTreeMap<String, u64>,
    pub by_status: BTreeMap<u16, u64>,
    /// The latest requests, oldest first.
    pub recent: Vec<LoggedRequest>,
}

impl RequestLog {
    fn record(&self, entry: LoggedRequest) {
        let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        c.total += 1;
        let path = entry.path.split('?').next().unwrap_or_default();
        *c.by_path.entry(format!("{} {}", entry.method, path)).or_default() += 1;
        *c.by_status.entry(entry.status).or_default() += 1;
        if c.recent.len() == RECENT {
            c.recent.pop_front();
        }
        c.recent.push_back(entry);
    }

    /// The counts so far.
    pub fn summary(&self) -> RequestSummary {
        let c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        RequestSummary {
            total: c.total,
            by_path: c.by_path.clone(),
            by_status: c.by_status.clone(),
            recent: c.recent.iter().cloned().collect(),
        }
    }

    /// Forgets every count.
    pub fn clear(&self) {
        *self.counts.lock().unwrap_or_else(|e| e.into_inner()) = Counts::default();
    }
}

/// Outermost middleware: times the request, logs one line, counts it.
pub async fn log_requests(State(sim): State<Sim>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    let response = next.run(request).await;
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    let status = response.status().as_u16();
    if !sim.options.quiet {
        eprintln!("{method} {path} {status} {millis:.1}ms");
    }
    if !path.starts_with("/__sim") {
        sim.requests.record(LoggedRequest { method, path, status, millis: (millis * 10.0).round() / 10.0 });
    }
    response
}
