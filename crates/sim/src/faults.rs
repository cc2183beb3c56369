//! Faults and timings that tests and demos switch at run time: latency, injected server errors (JSON or a
//! proxy's HTML page), dropped connections, the share of failing tasks, how long tasks take and how long sessions
//! live.
//!
//! They apply to `/api` only; the control endpoints under `/__sim/` always answer.

use std::sync::{Mutex, RwLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::errors::ErrorReply;
use crate::json::{opt_bool, opt_i64};
use crate::options::Options;
use crate::rng::SplitMix;
use crate::state::Sim;

/// The current faults and timings (`GET /__sim/faults`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Faults {
    pub latency_ms: u64,
    pub error_rate: f64,
    pub html_errors: bool,
    /// Share (0–1) of `/api` requests whose connection drops without an answer **after** the server handled them:
    /// the harshest network fault, where a submitted backup may exist although the caller never heard of it.
    pub drop_rate: f64,
    pub fail_rate: f64,
    pub task_seconds: f64,
    pub session_ttl_secs: u64,
}

impl Faults {
    /// The faults the command line asked for.
    pub fn from_options(o: &Options) -> Faults {
        Faults {
            latency_ms: o.latency_ms,
            error_rate: o.error_rate,
            html_errors: o.html_errors,
            drop_rate: o.drop_rate,
            fail_rate: o.fail_rate,
            task_seconds: o.task_seconds,
            session_ttl_secs: o.session_ttl.as_secs(),
        }
    }

    /// The session idle time as a duration.
    pub fn session_ttl(&self) -> Duration {
        Duration::from_secs(self.session_ttl_secs)
    }
}

/// The switchable faults plus the generator that decides which request fails.
#[derive(Debug)]
pub struct FaultSwitch {
    current: RwLock<Faults>,
    rng: Mutex<SplitMix>,
}

impl FaultSwitch {
    /// Faults as given, errors drawn from `seed`.
    pub fn new(faults: Faults, seed: u64) -> Self {
        FaultSwitch { current: RwLock::new(faults), rng: Mutex::new(SplitMix::new(seed ^ 0xFA17)) }
    }

    /// The current faults.
    pub fn get(&self) -> Faults {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces all faults.
    pub fn set(&self, faults: Faults) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = faults;
    }

    /// Changes the fields present in `body` (`latencyMs`, `errorRate`, `htmlErrors`, `dropRate`, `failRate`,
    /// `taskSeconds`, `sessionTtlSecs`); the others keep their values. Unknown fields are a 400 here (a typo in a test script
    /// should not pass silently).
    pub fn update(&self, body: &Map<String, Value>) -> Result<Faults, ErrorReply> {
        const KNOWN: &[&str] =
            &["latencyMs", "errorRate", "htmlErrors", "dropRate", "failRate", "taskSeconds", "sessionTtlSecs"];
        if let Some(unknown) = body.keys().find(|k| !KNOWN.contains(&k.as_str())) {
            return Err(ErrorReply::bad_request(format!("Unknown fault '{unknown}'; known: {}", KNOWN.join(", "))));
        }
        let mut f = self.get();
        if let Some(v) = opt_i64(body, "latencyMs")? {
            f.latency_ms = u64::try_from(v).map_err(|_| ErrorReply::bad_request("latencyMs must not be negative"))?;
        }
        if let Some(v) = share(body, "errorRate")? {
            f.error_rate = v;
        }
        if let Some(v) = opt_bool(body, "htmlErrors")? {
            f.html_errors = v;
        }
        if let Some(v) = share(body, "dropRate")? {
            f.drop_rate = v;
        }
        if let Some(v) = share(body, "failRate")? {
            f.fail_rate = v;
        }
        if let Some(v) = body.get("taskSeconds").and_then(Value::as_f64) {
            if !(0.05..=86_400.0).contains(&v) {
                return Err(ErrorReply::bad_request("taskSeconds must be between 0.05 and 86400"));
            }
            f.task_seconds = v;
        }
        if let Some(v) = opt_i64(body, "sessionTtlSecs")? {
            f.session_ttl_secs =
                u64::try_from(v).map_err(|_| ErrorReply::bad_request("sessionTtlSecs must not be negative"))?;
        }
        self.set(f.clone());
        Ok(f)
    }

    /// Whether this request gets an injected error.
    fn roll(&self, rate: f64) -> bool {
        self.rng.lock().unwrap_or_else(|e| e.into_inner()).chance(rate)
    }
}

fn share(body: &Map<String, Value>, name: &str) -> Result<Option<f64>, ErrorReply> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_f64() {
            Some(f) if (0.0..=1.0).contains(&f) => Ok(Some(f)),
            _ => Err(ErrorReply::bad_request(format!("{name} must be a number between 0 and 1"))),
        },
    }
}

/// The page nginx sends when its upstream fails.
pub const NGINX_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n";

/// Middleware on `/api`: adds latency and injects errors before the request reaches a handler (so an injected
/// error has no side effect, like a proxy failing in front of the server), and drops connections after it (so the
/// request took effect but its answer is lost). CORS preflights pass untouched.
pub async fn inject_faults(State(sim): State<Sim>, request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let faults = sim.faults.get();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if faults.error_rate > 0.0 && sim.faults.roll(faults.error_rate) {
        return if faults.html_errors {
            let mut r = (StatusCode::BAD_GATEWAY, Body::from(NGINX_502)).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            r
        } else {
            ErrorReply::new(StatusCode::INTERNAL_SERVER_ERROR, "Simulated server error (error rate fault)")
                .into_response()
        };
    }
    let response = next.run(request).await;
    if faults.drop_rate > 0.0 && sim.faults.roll(faults.drop_rate) {
        return dropped_connection();
    }
    response
}

/// A response whose body fails before its first byte: hyper then closes the connection without writing the head,
/// so the client sees a network error and no status (as when a load balancer resets the connection).
fn dropped_connection() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "simulated dropped connection (drop rate fault)",
        ))
    });
    Body::from_stream(failing).into_response()
}
