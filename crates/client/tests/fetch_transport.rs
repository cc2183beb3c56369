//! The fetch transport against the simulator, in Node and in headless Chromium (`cargo xtask test` runs this
//! suite in both, with the simulator's root URL compiled in as `VMBACKUP_SIM_URL`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use vmbackup_client::fetch::{Credentials, FetchTransport, JsRuntime};
use vmbackup_client::{Client, ClientOptions, Runtime, Session, TaskEvent, Transport};
use vmbackup_core::domain::{BackupType, Ref, TaskState};
use vmbackup_core::http::HttpRequest;
use vmbackup_core::polling::PollPacing;
use vmbackup_core::storware::policies::GetPolicy;
use vmbackup_core::storware::tasks::ExportVms;
use vmbackup_core::storware::vms::ListVms;
use vmbackup_core::{Endpoint, ErrorKind};
use wasm_bindgen_test::wasm_bindgen_test;

/// The simulator's root (`http://127.0.0.1:PORT`), compiled in by the test run.
// Not `env!`: the suite must still compile (for clippy, or to list its tests) without a simulator.
#[allow(clippy::option_env_unwrap)]
fn sim_root() -> &'static str {
    option_env!("VMBACKUP_SIM_URL").expect(
        "VMBACKUP_SIM_URL was not set when this suite was compiled: run it through `cargo xtask test`, which \
         starts the simulator and sets it",
    )
}

fn admin_client(timeout: Duration) -> Client {
    let session = Session::Login { username: "admin".into(), password: "vPr0tect".into() };
    let options = ClientOptions::new(format!("{}/api", sim_root()), session).timeout(timeout).pacing(PollPacing {
        fast_ms: 100,
        slow_ms: 400,
        failing_ms: 1_000,
        growth_tenths: 15,
    });
    Client::new(options, Rc::new(FetchTransport::new(Credentials::Include)), Rc::new(JsRuntime))
}

/// A control call to the simulator; returns the JSON body.
async fn control(request: HttpRequest) -> serde_json::Value {
    let transport = FetchTransport::new(Credentials::Omit);
    let response = transport.send(request.url(sim_root()), &request, Duration::from_secs(10)).await.unwrap();
    assert!(response.is_success(), "control call {} answered {}", request.path, response.status);
    serde_json::from_slice(&response.body).unwrap_or(serde_json::Value::Null)
}

async fn set_faults(faults: serde_json::Value) {
    control(HttpRequest::put("/__sim/faults").json(&faults.into())).await;
}

#[wasm_bindgen_test]
async fn logs_in_lists_backs_up_and_tracks_the_task_to_its_end() {
    let client = admin_client(Duration::from_secs(10));
    client.login().await.unwrap();
    let vms = client.call(&ListVms::page(0, 20)).await.unwrap();
    assert!(vms.total.unwrap_or(0) > 20, "X-Total-Count crosses CORS: {:?}", vms.total);
    let vm = vms.items.iter().find(|vm| vm.protection.present && vm.protection.policy.is_some()).unwrap();
    let policy = client.call(&GetPolicy::new(vm.protection.policy.clone().unwrap().id)).await.unwrap();
    let rules: Vec<Ref> = policy.rules.iter().filter_map(|r| r.id.clone()).map(Ref::id).collect();
    let export = ExportVms::new(vec![Ref::named(&vm.id, &vm.name)], rules, BackupType::Full, client.now_ms());
    let submitted = client.export_vms(&export).await.unwrap();
    assert_eq!(submitted.tasks.len(), 1);

    let ended: Rc<RefCell<Option<TaskState>>> = Rc::default();
    let sink = ended.clone();
    let _subscription = client.poller().subscribe(move |event| {
        if let TaskEvent::Ended { task } = event {
            *sink.borrow_mut() = Some(task.state.clone());
        }
    });
    client.poller().track(submitted.tasks[0].id.clone());
    for _ in 0..300 {
        if ended.borrow().is_some() {
            break;
        }
        JsRuntime.sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ended.borrow().clone(), Some(TaskState::Finished));
}

#[wasm_bindgen_test]
async fn an_expired_session_is_renewed_once_and_the_request_replayed() {
    let client = admin_client(Duration::from_secs(10));
    client.login().await.unwrap();
    let expiries = Rc::new(Cell::new(0));
    let counter = expiries.clone();
    client.on_session_expired(move || counter.set(counter.get() + 1)).keep();
    control(HttpRequest::post("/__sim/expire-sessions?user=admin")).await;
    assert_eq!(client.call(&ListVms::page(0, 5)).await.unwrap().items.len(), 5);
    assert_eq!(expiries.get(), 0);
}

#[wasm_bindgen_test]
async fn a_slow_server_is_a_timeout_and_an_html_error_page_a_clear_server_error() {
    let client = admin_client(Duration::from_millis(300));
    client.login().await.unwrap();
    set_faults(serde_json::json!({"latencyMs": 1500})).await;
    let slow = client.call(&ListVms::page(0, 5)).await;
    set_faults(serde_json::json!({"latencyMs": 0, "errorRate": 1.0, "htmlErrors": true})).await;
    let html = client.call(&ListVms::page(0, 5)).await;
    set_faults(serde_json::json!({"errorRate": 0.0, "htmlErrors": false})).await;

    let slow = slow.unwrap_err();
    assert_eq!(slow.kind, ErrorKind::Timeout, "{slow:?}");
    let html = html.unwrap_err();
    assert_eq!((html.kind, html.status), (ErrorKind::Server, Some(502)), "{html:?}");
    assert!(!html.message.contains('<'), "no markup in the message: {}", html.message);
    assert_eq!(client.call(&ListVms::page(0, 5)).await.unwrap().items.len(), 5, "recovers when the fault ends");
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_a_network_error() {
    let options = ClientOptions::new("http://127.0.0.1:9/api", Session::HostCookie).timeout(Duration::from_secs(5));
    let client = Client::new(options, Rc::new(FetchTransport::new(Credentials::Include)), Rc::new(JsRuntime));
    let error = client.call(&ListVms::page(0, 5)).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Network, "{error:?}");
}

#[wasm_bindgen_test]
async fn a_fetch_rejected_with_neither_an_error_nor_a_string_is_a_network_error_that_says_what_came() {
    // What a page's fetch wrapper (a monitoring script, an extension) may reject with.
    let global = js_sys::global();
    let fetch = js_sys::Reflect::get(&global, &"fetch".into()).unwrap();
    let wrapper = js_sys::Function::new_no_args("return Promise.reject({ reason: 'blocked by policy' })");
    js_sys::Reflect::set(&global, &"fetch".into(), &wrapper).unwrap();
    let request = ListVms::page(0, 5).request();
    let outcome =
        FetchTransport::new(Credentials::Include).send(request.url(sim_root()), &request, Duration::from_secs(5)).await;
    js_sys::Reflect::set(&global, &"fetch".into(), &fetch).unwrap();
    let no_answer = outcome.unwrap_err();
    assert_eq!(no_answer.kind, ErrorKind::Network);
    assert_eq!(no_answer.message, r#"{"reason":"blocked by policy"}"#);
}
