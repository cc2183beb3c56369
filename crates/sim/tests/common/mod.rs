//! Shared test harness: start a simulator in-process on a free loopback port and drive it through the core's
//! request builders and parsers with a small blocking HTTP client (ureq) that keeps the session cookie.
#![allow(clippy::unwrap_used, dead_code)]

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;
use vmbackup_core::http::{HttpRequest, HttpResponse, Method};
use vmbackup_core::storware::session::Login;
use vmbackup_core::{ApiError, Endpoint};
use vmbackup_sim::{Options, RunningSimulator};

/// Options for tests: a free port, quiet, fast tasks.
pub fn test_options() -> Options {
    Options { addr: "127.0.0.1:0".parse().unwrap(), quiet: true, task_seconds: 1.0, ..Options::default() }
}

/// A simulator with test options changed by `change`.
pub fn start_with(change: impl FnOnce(&mut Options)) -> RunningSimulator {
    let mut options = test_options();
    change(&mut options);
    RunningSimulator::start(options).unwrap()
}

/// A simulator with the test options.
pub fn start() -> RunningSimulator {
    start_with(|_| {})
}

/// A client with its own connection pool and cookie.
pub struct Client {
    agent: ureq::Agent,
    /// `http://127.0.0.1:PORT`
    pub root: String,
    cookie: Mutex<Option<String>>,
}

impl Client {
    /// A client of `sim` (not logged in).
    pub fn new(sim: &RunningSimulator) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(20)))
            .build();
        Client { agent: config.into(), root: sim.url(), cookie: Mutex::new(None) }
    }

    /// A client logged in as `login`.
    pub fn logged_in(sim: &RunningSimulator, login: &str, password: &str) -> Client {
        let c = Client::new(sim);
        c.call(&Login::new(login, password)).unwrap();
        c
    }

    /// The admin.
    pub fn admin(sim: &RunningSimulator) -> Client {
        Client::logged_in(sim, "admin", "vPr0tect")
    }

    /// The session cookie value, if any.
    pub fn cookie(&self) -> Option<String> {
        self.cookie.lock().unwrap().clone()
    }

    /// Replaces the session cookie.
    pub fn set_cookie(&self, value: Option<String>) {
        *self.cookie.lock().unwrap() = value;
    }

    /// Sends a core request (path relative to `/api`).
    pub fn send(&self, req: &HttpRequest) -> HttpResponse {
        let url = req.url(&format!("{}/api", self.root));
        self.exchange(req.method, &url, &req.headers, req.body.clone())
    }

    /// Sends a raw request to a path under the server root (`/__sim/faults`, `/api/tasks?x=1`).
    pub fn raw(&self, method: Method, path: &str, body: Option<&str>) -> HttpResponse {
        let headers = if body.is_some() {
            vec![("Content-Type".to_string(), "application/json".to_string())]
        } else {
            Vec::new()
        };
        self.exchange(method, &format!("{}{}", self.root, path), &headers, body.map(|b| b.as_bytes().to_vec()))
    }

    /// Raw request with extra headers.
    pub fn raw_with_headers(&self, method: Method, path: &str, headers: &[(&str, &str)]) -> HttpResponse {
        let headers: Vec<(String, String)> = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.exchange(method, &format!("{}{}", self.root, path), &headers, None)
    }

    /// Raw request that may fail at the network level (the dropped-connection fault).
    pub fn try_raw(&self, method: Method, path: &str, body: Option<&str>) -> Result<HttpResponse, ureq::Error> {
        let headers = vec![("Content-Type".to_string(), "application/json".to_string())];
        self.try_exchange(method, &format!("{}{}", self.root, path), &headers, body.map(|b| b.as_bytes().to_vec()))
    }

    fn exchange(&self, method: Method, url: &str, headers: &[(String, String)], body: Option<Vec<u8>>) -> HttpResponse {
        self.try_exchange(method, url, headers, body).unwrap_or_else(|e| panic!("{} {url}: {e}", method.as_str()))
    }

    fn try_exchange(
        &self,
        method: Method,
        url: &str,
        headers: &[(String, String)],
        body: Option<Vec<u8>>,
    ) -> Result<HttpResponse, ureq::Error> {
        let mut builder = ureq::http::Request::builder().method(method.as_str()).uri(url);
        for (k, v) in headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        if let Some(c) = self.cookie() {
            builder = builder.header("Cookie", format!("JSESSIONID={c}"));
        }
        let result = match body {
            Some(bytes) => self.agent.run(builder.body(bytes).unwrap()),
            None => self.agent.run(builder.body(()).unwrap()),
        };
        let mut response = result?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        for (k, v) in &headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                if let Some(rest) = v.strip_prefix("JSESSIONID=") {
                    let value = rest.split(';').next().unwrap_or("").to_string();
                    self.set_cookie(if value.is_empty() || v.contains("Max-Age=0") { None } else { Some(value) });
                }
            }
        }
        let body = response.body_mut().with_config().limit(256 << 20).read_to_vec()?;
        let mut out = HttpResponse::new(status, body);
        out.headers = headers;
        Ok(out)
    }

    /// Runs a core operation.
    pub fn call<E: Endpoint>(&self, op: &E) -> Result<E::Output, ApiError> {
        op.parse(&self.send(&op.request()))
    }

    /// GET under `/api`, answer as JSON (panics unless 2xx).
    pub fn get_json(&self, path: &str) -> Value {
        let r = self.raw(Method::Get, &format!("/api{path}"), None);
        assert!(r.is_success(), "GET {path}: {} {}", r.status, String::from_utf8_lossy(&r.body));
        serde_json::from_slice(&r.body).unwrap()
    }

    /// A method with a JSON body under `/api`; returns the response.
    pub fn json(&self, method: Method, path: &str, body: &Value) -> HttpResponse {
        self.raw(method, &format!("/api{path}"), Some(&body.to_string()))
    }
}

/// Polls `f` every 50 ms until it returns `Some`, for at most `timeout`.
pub fn wait_for<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "condition not met within {timeout:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The body as JSON.
pub fn body_json(r: &HttpResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap_or(Value::Null)
}

/// The guid of the first VM of a project with a policy that is present (a VM a backup can succeed on).
pub fn backupable_vm(c: &Client) -> (String, String) {
    let vms = c.get_json("/virtual-machines");
    let vm = vms
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["present"] == true && !v["vmBackupPolicy"].is_null())
        .unwrap()
        .clone();
    (vm["guid"].as_str().unwrap().to_string(), vm["name"].as_str().unwrap().to_string())
}
