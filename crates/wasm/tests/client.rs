//! The `Client` class as JavaScript uses it (options and results as JS objects, Promises, listener functions),
//! against the simulator whose root URL `cargo xtask test` compiles in as `VMBACKUP_SIM_URL`. Runs in Node and,
//! with `WASM_BINDGEN_USE_BROWSER=1`, in headless Chromium (the simulator must then allow the test page's origin).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use serde_json::{json, Value};
use vmbackup_wasm::error::is_vmbackup_error;
use vmbackup_wasm::WasmClient;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

/// The simulator's root (`http://127.0.0.1:PORT`), compiled in by the test run.
// Not `env!`: the suite must still compile (for clippy, or to list its tests) without a simulator.
#[allow(clippy::option_env_unwrap)]
fn sim_root() -> &'static str {
    option_env!("VMBACKUP_SIM_URL").expect(
        "VMBACKUP_SIM_URL was not set when this suite was compiled: run it through `cargo xtask test`, which starts \
         the simulator and sets it (or set it to a running simulator's root, e.g. http://127.0.0.1:8080)",
    )
}

fn api_base() -> String {
    format!("{}/api", sim_root())
}

fn js(value: Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap()
}

fn json_of(value: &JsValue) -> Value {
    if value.is_undefined() {
        return Value::Null;
    }
    serde_json::from_str(&js_sys::JSON::stringify(value).unwrap().as_string().unwrap()).unwrap()
}

fn prop(value: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(value, &name.into()).unwrap()
}

async fn settle(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

async fn ok(promise: Promise) -> Value {
    match settle(promise).await {
        Ok(value) => json_of(&value),
        Err(error) => panic!("rejected: {} ({})", json_of(&prop(&error, "message")), json_of(&prop(&error, "kind"))),
    }
}

/// Asserts a `VmbackupError` of `kind`; returns `{kind, status, message, field, fields, detail}`.
fn assert_error(error: &JsValue, kind: &str) -> Value {
    assert!(is_vmbackup_error(error.clone()), "not a VmbackupError: {error:?}");
    let properties = json!({
        "kind": json_of(&prop(error, "kind")),
        "status": json_of(&prop(error, "status")),
        "message": json_of(&prop(error, "message")),
        "field": json_of(&prop(error, "field")),
        "fields": json_of(&prop(error, "fields")),
        "detail": json_of(&prop(error, "detail")),
    });
    assert_eq!(properties["kind"], kind, "{properties}");
    properties
}

async fn rejects(promise: Promise, kind: &str) -> Value {
    match settle(promise).await {
        Ok(value) => panic!("resolved with {}, expected a {kind} error", json_of(&value)),
        Err(error) => assert_error(&error, kind),
    }
}

fn admin_client() -> WasmClient {
    WasmClient::new(js(json!({
        "baseUrl": api_base(),
        "session": { "mode": "login", "username": "admin", "password": "vPr0tect" },
        "timeoutMs": 10_000,
        "polling": { "fastMs": 150, "slowMs": 600 },
    })))
    .unwrap()
}

/// What a recording listener received, as JSON.
type Records = Rc<RefCell<Vec<Value>>>;

/// A JS function that records the JSON of its argument, and the records.
fn recorder() -> (Closure<dyn FnMut(JsValue)>, Records) {
    let seen: Records = Rc::default();
    let sink = seen.clone();
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |value: JsValue| sink.borrow_mut().push(json_of(&value)));
    (closure, seen)
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout: Function = js_sys::Reflect::get(&global, &"setTimeout".into()).unwrap().into();
        set_timeout.call2(&JsValue::UNDEFINED, &resolve, &ms.into()).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn logs_in_lists_and_reads_vms_with_typed_errors() {
    let client = admin_client();
    let session = ok(client.login(JsValue::UNDEFINED)).await;
    assert!(session["privileges"].is_array(), "{session}");
    let page = ok(client.list_vms(js(json!({ "page": 0, "size": 5, "sortBy": "name", "direction": "ASC" })))).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert!(page["total"].as_u64().unwrap() >= 5, "{}", page["total"]);
    let names: Vec<&str> = items.iter().map(|vm| vm["name"].as_str().unwrap()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|name| name.to_lowercase());
    assert_eq!(names, sorted, "sorted by name");
    let vm = ok(client.get_vm(items[0]["id"].clone().as_str().unwrap().into())).await;
    assert_eq!(vm["id"], items[0]["id"]);
    assert!(vm["protection"]["present"].is_boolean());

    let missing = rejects(client.get_vm("00000000-0000-0000-0000-000000000000".into()), "notFound").await;
    assert_eq!(missing["status"], 404);
    assert!(missing["fields"].is_array());
}

#[wasm_bindgen_test]
async fn backs_up_a_vm_and_follows_its_task_to_the_end_through_events() {
    let client = admin_client();
    ok(client.login(JsValue::UNDEFINED)).await;
    let page = ok(client.list_vms(js(json!({ "page": 0, "size": 100 })))).await;
    let vm = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|vm| vm["protection"]["present"] == true && vm["protection"]["policy"].is_object())
        .unwrap()
        .clone();
    let policy = ok(client.get_policy(vm["protection"]["policy"]["id"].as_str().unwrap().into())).await;
    let rules: Vec<Value> =
        policy["rules"].as_array().unwrap().iter().filter(|r| r["active"] == true).map(|r| r["id"].clone()).collect();
    let submitted = ok(client.back_up(js(json!({ "vms": [vm["id"]], "rules": rules, "backupType": "FULL" })))).await;
    let task_id = submitted["tasks"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(submitted["recovered"], false);

    let (listener, events) = recorder();
    let unsubscribe: Function = client.on_task_event(listener.as_ref().clone()).unwrap().into();
    client.track_task(task_id.as_str().into()).unwrap();
    assert_eq!(client.tracked_tasks(), vec![task_id.clone()]);
    for _ in 0..300 {
        if events.borrow().iter().any(|e| e["type"] == "ended") {
            break;
        }
        sleep(100).await;
    }
    let events = events.borrow().clone();
    let ended = events.iter().find(|e| e["type"] == "ended").unwrap_or_else(|| panic!("no end: {events:?}"));
    assert_eq!(ended["task"]["id"], task_id.as_str());
    assert_eq!(ended["task"]["state"], "FINISHED", "{ended}");
    assert!(events.iter().all(|e| e["type"] != "error"), "{events:?}");
    assert!(client.tracked_tasks().is_empty(), "an ended task is no longer tracked");
    unsubscribe.call0(&JsValue::UNDEFINED).unwrap();
    unsubscribe.call0(&JsValue::UNDEFINED).unwrap(); // a second call does nothing
    assert_eq!(ok(client.get_task(task_id.as_str().into())).await["state"], "FINISHED");
    // Cancelling an ended task is a conflict the caller can show.
    rejects(client.cancel_task(task_id.as_str().into()), "conflict").await;
}

#[wasm_bindgen_test]
async fn wrong_arguments_are_usage_errors_that_name_the_mistake() {
    let client = admin_client();
    let wrong_type = rejects(client.list_vms(js(json!({ "page": "first" }))), "usage").await;
    assert_eq!(wrong_type["field"], "options");
    let typo = rejects(client.list_vms(js(json!({ "pageSize": 5 }))), "usage").await;
    assert!(typo["message"].as_str().unwrap().contains("pageSize"), "{typo}");
    let state = rejects(client.list_tasks(js(json!({ "states": ["RUNING"] }))), "usage").await;
    assert!(state["message"].as_str().unwrap().contains("RUNING"), "{state}");
    rejects(client.get_vm(JsValue::from(42)), "usage").await;
    rejects(client.list_vms(js(json!({ "direction": "desc" }))), "usage").await;
    rejects(client.restore(js(json!({ "locationId": "l", "backupId": "b" }))), "usage").await;

    // Validation before anything is sent: every problem at once.
    let invalid =
        rejects(client.back_up(js(json!({ "vms": [], "rules": [], "backupType": "FULL" }))), "validation").await;
    assert_eq!(invalid["fields"].as_array().unwrap().len(), 2, "{invalid}");
    rejects(client.back_up(js(json!({ "vms": ["v"], "rules": ["r"], "backupType": "FULLEST" }))), "usage").await;

    for options in [
        json!({ "baseUrl": api_base() }),
        json!({ "baseUrl": "", "session": { "mode": "hostCookie" } }),
        json!({ "baseUrl": api_base(), "session": { "mode": "password" } }),
        json!({ "baseUrl": api_base(), "session": { "mode": "token" } }),
        json!({ "baseUrl": api_base(), "session": { "mode": "hostCookie" }, "credentials": "always" }),
        json!({ "baseUrl": api_base(), "session": { "mode": "hostCookie" }, "timeoutMs": -5 }),
    ] {
        let error = WasmClient::new(js(options.clone())).err().unwrap_or_else(|| panic!("accepted {options}"));
        assert_error(&error, "usage");
    }
    assert_error(&client.on_task_event(JsValue::from(42)).err().unwrap(), "usage");
    assert_error(&client.track_task(JsValue::UNDEFINED).err().unwrap(), "usage");
}

#[wasm_bindgen_test]
async fn a_host_cookie_session_that_expires_is_reported_once_and_resume_lets_calls_through() {
    // `omit`: whatever cookies the test page holds, this client has no session.
    let client = WasmClient::new(js(json!({
        "baseUrl": api_base(),
        "session": { "mode": "hostCookie" },
        "credentials": "omit",
    })))
    .unwrap();
    let (listener, expiries) = recorder();
    let _unsubscribe = client.on_session_expired(listener.as_ref().clone()).unwrap();
    let first = rejects(client.list_vms(js(json!({ "page": 0, "size": 1 }))), "unauthorized").await;
    assert_eq!(first["status"], 401);
    assert!(client.session_expired());
    // Paused: the next call fails at once, without a second report.
    rejects(client.list_vms(JsValue::UNDEFINED), "unauthorized").await;
    assert_eq!(expiries.borrow().len(), 1);
    client.resume();
    assert!(!client.session_expired());
    rejects(client.list_vms(js(json!({ "page": 0, "size": 1 }))), "unauthorized").await;
    assert_eq!(expiries.borrow().len(), 2);
}

#[wasm_bindgen_test]
async fn a_token_callback_is_asked_again_once_and_its_failure_is_unauthorized() {
    let calls = Rc::new(RefCell::new(0));
    let counter = calls.clone();
    let get_token = Closure::<dyn FnMut() -> JsValue>::new(move || {
        *counter.borrow_mut() += 1;
        // A Promise of a token the simulator does not know.
        Promise::resolve(&JsValue::from_str("not-a-token")).into()
    });
    let options = js(json!({ "baseUrl": api_base(), "session": { "mode": "token" }, "credentials": "omit" }));
    let session = prop(&options, "session");
    js_sys::Reflect::set(&session, &"getToken".into(), get_token.as_ref()).unwrap();
    let client = WasmClient::new(options).unwrap();
    rejects(client.list_vms(js(json!({ "page": 0, "size": 1 }))), "unauthorized").await;
    assert_eq!(*calls.borrow(), 2, "a token, then a fresh one after the 401");

    let failing =
        Closure::<dyn FnMut() -> JsValue>::new(|| Promise::reject(&js_sys::Error::new("vault sealed").into()).into());
    let options = js(json!({ "baseUrl": api_base(), "session": { "mode": "token" }, "credentials": "omit" }));
    js_sys::Reflect::set(&prop(&options, "session"), &"getToken".into(), failing.as_ref()).unwrap();
    let client = WasmClient::new(options).unwrap();
    let error = rejects(client.list_vms(JsValue::NULL), "unauthorized").await;
    assert!(error["detail"].as_str().unwrap_or_default().contains("vault sealed"), "{error}");
}

#[wasm_bindgen_test]
async fn login_with_credentials_replaces_wrong_ones() {
    let client = WasmClient::new(js(json!({
        "baseUrl": api_base(),
        "session": { "mode": "login", "username": "admin", "password": "wrong" },
    })))
    .unwrap();
    let wrong = rejects(client.login(JsValue::UNDEFINED), "unauthorized").await;
    assert_eq!(wrong["status"], 401);
    let session = ok(client.login(js(json!({ "username": "tenant-b", "password": "tenant-b-pass" })))).await;
    assert!(session.is_object());
    let projects = ok(client.list_projects(JsValue::UNDEFINED)).await;
    assert!(projects["items"].is_array(), "{projects}");
    ok(client.logout()).await;
}
