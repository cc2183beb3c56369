//! Shared harness of the native client tests: an in-process simulator, a client over the native transport and
//! a current-thread runtime with a `LocalSet` (the client is single-threaded, as in a browser).
#![allow(clippy::unwrap_used, dead_code)]

use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use serde_json::Value;
use vmbackup_client::native::{NativeTransport, TokioRuntime};
use vmbackup_client::{Client, ClientOptions, Session, Transport};
use vmbackup_core::domain::Ref;
use vmbackup_core::http::HttpRequest;
use vmbackup_core::polling::PollPacing;
use vmbackup_core::storware::policies::GetPolicy;
use vmbackup_core::storware::vms::ListVms;
use vmbackup_sim::{Options, RunningSimulator};

/// A quiet simulator on a free port whose tasks take `task_seconds`.
pub fn simulator(task_seconds: f64) -> RunningSimulator {
    simulator_with(|options| options.task_seconds = task_seconds)
}

/// A quiet simulator on a free port with options changed by `change`.
pub fn simulator_with(change: impl FnOnce(&mut Options)) -> RunningSimulator {
    let mut options = Options { addr: "127.0.0.1:0".parse().unwrap(), quiet: true, ..Options::default() };
    change(&mut options);
    RunningSimulator::start(options).unwrap()
}

/// Runs a test body on a current-thread runtime inside a `LocalSet`.
pub fn run_local<F: Future>(body: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    tokio::task::LocalSet::new().block_on(&runtime, body)
}

/// Fast polling, so that tests finish quickly.
pub fn quick_pacing() -> PollPacing {
    PollPacing { fast_ms: 100, slow_ms: 400, failing_ms: 1_000, growth_tenths: 15 }
}

/// A client of `sim` in `session` mode over `transport`.
pub fn client_over(sim: &RunningSimulator, session: Session, transport: Rc<dyn Transport>) -> Client {
    let options = ClientOptions::new(sim.api_base(), session).pacing(quick_pacing()).timeout(Duration::from_secs(10));
    Client::new(options, transport, Rc::new(TokioRuntime))
}

/// A client logging in as the simulator's admin.
pub fn admin_client(sim: &RunningSimulator) -> Client {
    client_over(sim, admin_session(), Rc::new(NativeTransport::new()))
}

pub fn admin_session() -> Session {
    Session::Login { username: "admin".into(), password: "vPr0tect".into() }
}

/// A control call to the simulator (`/__sim/...`), returning its JSON body.
pub async fn control(sim: &RunningSimulator, request: HttpRequest) -> Value {
    let response =
        NativeTransport::new().send(request.url(&sim.url()), &request, Duration::from_secs(10)).await.unwrap();
    assert!(response.is_success(), "control call {} failed: {}", request.path, response.status);
    serde_json::from_slice(&response.body).unwrap_or(Value::Null)
}

/// How many `METHOD /api/PATH` requests the simulator has served since the counts were last cleared.
pub async fn served(sim: &RunningSimulator, method_and_path: &str) -> u64 {
    let summary = control(sim, HttpRequest::get("/__sim/requests")).await;
    summary["byPath"][method_and_path].as_u64().unwrap_or(0)
}

/// Forgets the simulator's request counts.
pub async fn clear_counts(sim: &RunningSimulator) {
    control(sim, HttpRequest::delete("/__sim/requests")).await;
}

/// Ends every session at the simulator.
pub async fn expire_sessions(sim: &RunningSimulator) {
    control(sim, HttpRequest::post("/__sim/expire-sessions")).await;
}

/// A present VM with a policy, and the ids of its policy's rules: what a backup needs.
pub async fn backupable_vm(client: &Client) -> (Ref, Vec<Ref>) {
    let vms = client.call(&ListVms::page(0, 100)).await.unwrap();
    let vm = vms
        .items
        .into_iter()
        .find(|vm| vm.protection.present && vm.protection.policy.is_some())
        .expect("the simulator has a present VM with a policy");
    let policy = client.call(&GetPolicy::new(vm.protection.policy.clone().unwrap().id)).await.unwrap();
    let rules = policy.rules.iter().filter_map(|rule| rule.id.clone()).map(Ref::id).collect();
    (Ref::named(vm.id, vm.name), rules)
}
