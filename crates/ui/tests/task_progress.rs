//! TaskProgress in headless Chromium against the simulator (10,000 VMs, hostile names, 2-second tasks).
//!
//! Tasks are created through the client; faults changed here are put back at once. Each test works on VMs
//! of its own so that suites sharing the simulator do not meet.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use leptos::prelude::*;
use vmbackup_client::Client;
use vmbackup_core::domain::{BackupType, Ref, Task, TaskState, Vm};
use vmbackup_core::storware::policies::{GetPolicy, ListPolicies};
use vmbackup_core::storware::session::Login;
use vmbackup_core::storware::tasks::{CancelTask, ExportVms, GetTask};
use vmbackup_core::storware::vms::ListVms;
use vmbackup_ui::i18n::Lang;
use vmbackup_ui::widgets::backup_button::usable_rules;
use vmbackup_ui::widgets::task_progress::TaskProgress;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A start window this far ahead keeps a task queued for the whole test.
const LATER_MS: i64 = 30 * 60_000;

/// The `skip`-th present VM named `name…` whose policy has a usable rule, with that rule's id.
async fn protected_vm(client: &Client, name: &str, skip: usize) -> (Vm, String) {
    let vms = client.call(&ListVms::page(0, 100).name_like(name)).await.unwrap().items;
    let mut found = Vec::new();
    for vm in vms {
        let Some(policy) = vm.protection.policy.clone().filter(|_| vm.protection.present) else { continue };
        let policy = client.call(&GetPolicy::new(policy.id)).await.unwrap();
        if let Some(rule) = usable_rules(&policy).first().and_then(|r| r.id.clone()) {
            found.push((vm, rule));
        }
        if found.len() > skip {
            break;
        }
    }
    found.into_iter().nth(skip).unwrap_or_else(|| panic!("no protected VM {name}… #{skip} in the simulator"))
}

/// Any usable rule of any policy (for VMs without one of their own).
async fn any_rule(client: &Client) -> String {
    let policies = client.call(&ListPolicies::all().extended()).await.unwrap().items;
    policies.iter().flat_map(usable_rules).find_map(|r| r.id).expect("a policy with an active rule")
}

/// Starts a backup of `vm` through `rule`, optionally not before `not_before_ms`.
async fn start_backup(client: &Client, vm: &Vm, rule: &str, not_before_ms: Option<i64>) -> Task {
    let mut export = ExportVms::new(
        vec![Ref::named(vm.id.clone(), vm.name.clone())],
        vec![Ref::id(rule)],
        BackupType::Full,
        client.now_ms(),
    );
    if let Some(start) = not_before_ms {
        export.window_start = start;
    }
    let result = client.export_vms(&export).await.unwrap();
    result.tasks.into_iter().next().expect("the simulator answers the created task")
}

fn entry(host: &HtmlElement, task_id: &str) -> Option<Element> {
    first(host, &format!(".vmb-task[data-task-id=\"{task_id}\"]"))
}

fn entry_text(host: &HtmlElement, task_id: &str) -> String {
    entry(host, task_id).map(|e| text(&e)).unwrap_or_default()
}

fn bar_value(host: &HtmlElement, task_id: &str) -> Option<String> {
    entry(host, task_id)?.query_selector("[role=progressbar]").ok()??.get_attribute("aria-valuenow")
}

fn badge(host: &HtmlElement, task_id: &str) -> String {
    entry(host, task_id)
        .and_then(|e| e.query_selector(".vmb-badge").ok().flatten())
        .map(|b| text(&b))
        .unwrap_or_default()
}

fn live_region(host: &HtmlElement) -> String {
    first(host, "[aria-live=polite]").map(|e| text(&e)).unwrap_or_default()
}

fn press_escape(element: &Element) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    element
        .dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_backup_is_followed_to_finished_with_the_bar_at_100() {
    let client = host_session_client().await;
    let (vm, rule) = protected_vm(&client, "proxy-", 0).await;
    let task = start_backup(&client, &vm, &rule, None).await;
    let id = task.id.clone();
    let ids = vec![id.clone()];
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <TaskProgress task_ids=ids /> });
    let finished = listen(&host, "vmb-task-finished");
    wait_for("the entry", 10, || entry(&host, &id).is_some()).await;
    let bar = entry(&host, &id).unwrap().query_selector("[role=progressbar]").unwrap().unwrap();
    assert_eq!(bar.get_attribute("aria-valuemin").as_deref(), Some("0"));
    assert_eq!(bar.get_attribute("aria-valuemax").as_deref(), Some("100"));
    let mut seen: Vec<u32> = Vec::new();
    wait_for("FINISHED with the bar at 100", 60, || {
        if let Some(value) = bar_value(&host, &id).and_then(|v| v.parse().ok()) {
            if seen.last() != Some(&value) {
                seen.push(value);
            }
        }
        badge(&host, &id) == "Finished" && bar_value(&host, &id).as_deref() == Some("100")
    })
    .await;
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "the bar never goes back: {seen:?}");
    let words = entry_text(&host, &id);
    assert!(words.contains(&format!("Backup of \u{2068}{}\u{2069}", vm.name)), "{words}");
    assert!(words.contains("Started "), "the start time is shown: {words}");
    // The whole workflow ended: the export and the store that followed it.
    assert_eq!(client.call(&GetTask::new(id.clone())).await.unwrap().state, TaskState::Finished);
    wait_for("the host hears the end", 5, || !finished.borrow().is_empty()).await;
    assert_eq!(finished.borrow().len(), 1);
    assert_eq!(finished.borrow()[0]["taskId"], id.as_str());
    assert_eq!(finished.borrow()[0]["state"], "FINISHED");
    assert!(live_region(&host).contains("Finished"), "announced: {}", live_region(&host));
    let toast = first(&host, ".vmb-task-toast").map(|t| text(&t)).unwrap_or_default();
    assert!(toast.contains("Backup of") && toast.contains("Finished"), "a toast: {toast}");
    assert!(first(&host, ".vmb-task button.vmb-button--danger").is_none(), "nothing left to cancel");
}

#[wasm_bindgen_test]
async fn cancel_asks_first_and_the_task_ends_cancelled() {
    let client = host_session_client().await;
    let (vm, rule) = protected_vm(&client, "proxy-", 1).await;
    let task = start_backup(&client, &vm, &rule, Some(client.now_ms() + LATER_MS)).await;
    let id = task.id.clone();
    let ids = vec![id.clone()];
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <TaskProgress task_ids=ids /> });
    let finished = listen(&host, "vmb-task-finished");
    wait_for("a queued task with a cancel button", 10, || {
        badge(&host, &id) == "Queued" && first(&host, ".vmb-task button.vmb-button--danger").is_some()
    })
    .await;
    let cancel_button = first(&host, ".vmb-task button.vmb-button--danger").unwrap();
    assert_eq!(text(&cancel_button), "Cancel task");

    // Keep it: nothing happens.
    click(&cancel_button);
    wait_for("the confirmation", 5, || first(&host, "dialog.vmb-task-confirm").is_some()).await;
    let dialog = first(&host, "dialog.vmb-task-confirm").unwrap();
    assert_eq!(dialog.get_attribute("role").as_deref(), Some("dialog"));
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let labelled = dialog.get_attribute("aria-labelledby").unwrap();
    assert_eq!(shadow(&host).get_element_by_id(&labelled).map(|e| text(&e)).as_deref(), Some("Cancel task"));
    assert!(text(&dialog).contains("A backup in progress is discarded"), "{}", text(&dialog));
    click(&first(&host, ".vmb-task-confirm__keep").unwrap());
    wait_for("the confirmation to close", 5, || first(&host, "dialog.vmb-task-confirm").is_none()).await;
    assert!(shadow(&host).active_element().is_some_and(|a| a == cancel_button), "focus returns to the button");
    pause(300).await;
    assert_eq!(client.call(&GetTask::new(id.clone())).await.unwrap().state, TaskState::Queued);

    // Escape closes it too.
    click(&cancel_button);
    wait_for("the confirmation", 5, || first(&host, "dialog.vmb-task-confirm").is_some()).await;
    press_escape(&first(&host, "dialog.vmb-task-confirm").unwrap());
    wait_for("the confirmation to close", 5, || first(&host, "dialog.vmb-task-confirm").is_none()).await;

    // Confirmed: CANCELLED.
    click(&cancel_button);
    wait_for("the confirmation", 5, || first(&host, "dialog.vmb-task-confirm").is_some()).await;
    click(&first(&host, ".vmb-task-confirm__yes").unwrap());
    wait_for("CANCELLED", 15, || badge(&host, &id) == "Cancelled").await;
    assert_eq!(client.call(&GetTask::new(id.clone())).await.unwrap().state, TaskState::Cancelled);
    assert!(first(&host, ".vmb-task button.vmb-button--danger").is_none(), "nothing left to cancel");
    assert!(live_region(&host).contains("Cancelled"), "{}", live_region(&host));
    wait_for("the host hears the end", 5, || !finished.borrow().is_empty()).await;
    assert_eq!(finished.borrow()[0]["state"], "CANCELLED");
}

#[wasm_bindgen_test]
async fn a_failing_task_shows_the_servers_message() {
    let client = host_session_client().await;
    let (vm, rule) = protected_vm(&client, "proxy-", 2).await;
    let before = sim_get("/__sim/faults").await["failRate"].clone();
    set_faults(serde_json::json!({"failRate": 1.0})).await;
    // The simulator decides a workflow's fate when it is submitted: the fault can go at once.
    let task = start_backup(&client, &vm, &rule, None).await;
    set_faults(serde_json::json!({"failRate": before})).await;
    let id = task.id.clone();
    let ids = vec![id.clone()];
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <TaskProgress task_ids=ids /> });
    let finished = listen(&host, "vmb-task-finished");
    wait_for("FAILED", 60, || badge(&host, &id) == "Failed").await;
    let info =
        entry(&host, &id).unwrap().query_selector(".vmb-task__info").unwrap().map(|e| text(&e)).unwrap_or_default();
    // The export fails, or the export finishes and its store fails: either way the backup failed, with the
    // failing task's own words.
    assert!(info.contains("failed"), "the server's message: {info}");
    wait_for("the host hears the end", 5, || !finished.borrow().is_empty()).await;
    assert_eq!(finished.borrow()[0]["state"], "FAILED");
    assert_eq!(finished.borrow()[0]["message"], info.as_str());
    let toast = first(&host, ".vmb-task-toast").map(|t| text(&t)).unwrap_or_default();
    assert!(toast.contains("Failed") && toast.contains(&info), "{toast}");
    let bar = entry(&host, &id).unwrap().query_selector(".vmb-progress__bar").unwrap().unwrap();
    assert!(bar.class_list().contains("vmb-progress__bar--failed"));
}

#[wasm_bindgen_test]
async fn follow_all_shows_tasks_tracked_elsewhere_on_the_page() {
    let client = host_session_client().await;
    let (vm, rule) = protected_vm(&client, "proxy-", 3).await;
    let task = start_backup(&client, &vm, &rule, Some(client.now_ms() + LATER_MS)).await;
    client.poller().track(task.id.clone());
    let (host, _mounted) = mount(client.clone(), Lang::En, || view! { <TaskProgress follow_all=true /> });
    wait_for("the task someone else tracks", 10, || badge(&host, &task.id) == "Queued").await;
    // A task tracked after mounting shows up too.
    let later = start_backup(&client, &vm, &rule, Some(client.now_ms() + LATER_MS)).await;
    client.poller().track(later.id.clone());
    wait_for("the task tracked later", 15, || badge(&host, &later.id) == "Queued").await;
    for id in [task.id, later.id] {
        client.call(&CancelTask::new(id)).await.unwrap();
    }
}

#[wasm_bindgen_test]
async fn a_vms_active_tasks_are_followed() {
    let client = host_session_client().await;
    let (vm, rule) = protected_vm(&client, "proxy-", 4).await;
    let task = start_backup(&client, &vm, &rule, Some(client.now_ms() + LATER_MS)).await;
    let vm_id = vm.id.clone();
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <TaskProgress vm=vm_id /> });
    wait_for("the VM's queued task", 10, || badge(&host, &task.id) == "Queued").await;
    client.call(&CancelTask::new(task.id.clone())).await.unwrap();
    wait_for("the cancel seen by the poller", 30, || badge(&host, &task.id) == "Cancelled").await;
}

#[wasm_bindgen_test]
async fn an_unknown_task_is_said_to_be_gone_and_an_empty_list_says_so() {
    let client = host_session_client().await;
    let (host, _mounted) = mount(client.clone(), Lang::En, || view! { <TaskProgress /> });
    wait_for("the empty line", 5, || text(&first(&host, "section").unwrap()).contains("No tasks are being tracked."))
        .await;
    let ids = vec!["00000000-0000-0000-0000-000000000000".to_string()];
    let (host, _mounted) = mount(client, Lang::En, move || view! { <TaskProgress task_ids=ids /> });
    wait_for("the gone notice", 15, || {
        entry_text(&host, "00000000-0000-0000-0000-000000000000").contains("The task no longer exists on the server.")
    })
    .await;
}

#[wasm_bindgen_test]
async fn polish_texts() {
    let client = host_session_client().await;
    let (vm, rule) = protected_vm(&client, "auth-", 0).await;
    let task = start_backup(&client, &vm, &rule, Some(client.now_ms() + LATER_MS)).await;
    let id = task.id.clone();
    let ids = vec![id.clone()];
    let (host, _mounted) = mount(client.clone(), Lang::Pl, move || view! { <TaskProgress task_ids=ids /> });
    wait_for("W kolejce", 10, || badge(&host, &id) == "W kolejce").await;
    let words = entry_text(&host, &id);
    assert!(words.contains(&format!("Kopia zapasowa: \u{2068}{}\u{2069}", vm.name)), "{words}");
    assert!(words.contains("Etap 1 z 2"), "{words}");
    let bar = entry(&host, &id).unwrap().query_selector("[role=progressbar]").unwrap().unwrap();
    assert!(bar.get_attribute("aria-label").unwrap().starts_with("Postęp: "));
    let cancel_button = first(&host, ".vmb-task button.vmb-button--danger").unwrap();
    assert_eq!(text(&cancel_button), "Anuluj zadanie");
    click(&cancel_button);
    wait_for("the confirmation", 5, || first(&host, "dialog.vmb-task-confirm").is_some()).await;
    let dialog = text(&first(&host, "dialog.vmb-task-confirm").unwrap());
    assert!(dialog.contains("Anulować to zadanie?") && dialog.contains("Nie anuluj"), "{dialog}");
    click(&first(&host, ".vmb-task-confirm__yes").unwrap());
    wait_for("Anulowane", 15, || badge(&host, &id) == "Anulowane").await;
    assert!(live_region(&host).contains("Anulowane"), "{}", live_region(&host));
}

#[wasm_bindgen_test]
async fn polish_sentences_and_titles_read_in_order_on_a_right_to_left_page() {
    let client = host_session_client().await;
    let (empty, _empty_mounted) = mount(client.clone(), Lang::Pl, || view! { <TaskProgress /> });
    empty.set_attribute("dir", "rtl").unwrap();
    wait_for("the empty line", 5, || text(&first(&empty, "section").unwrap()).contains("śledzone.")).await;
    assert!(assert_sentences_read_in_order(&empty) >= 1);

    let (vm, rule) = protected_vm(&client, "auth-", 1).await;
    let task = start_backup(&client, &vm, &rule, Some(client.now_ms() + LATER_MS)).await;
    let id = task.id.clone();
    let ids = vec![id.clone()];
    let (host, _mounted) = mount(client.clone(), Lang::Pl, move || view! { <TaskProgress task_ids=ids /> });
    host.set_attribute("dir", "rtl").unwrap();
    wait_for("W kolejce", 10, || badge(&host, &id) == "W kolejce").await;
    // "Kopia zapasowa: <name>", the start time, the step, the cancel button.
    assert!(assert_sentences_read_in_order(&host) >= 4);
    let title = first(&host, ".vmb-task__title").unwrap();
    let (title_box, entry_box) =
        (title.get_bounding_client_rect(), entry(&host, &id).unwrap().get_bounding_client_rect());
    assert!(entry_box.right() - title_box.right() < entry_box.width() / 4.0, "the title sits on the right");
    click(&first(&host, ".vmb-task button.vmb-button--danger").unwrap());
    wait_for("the confirmation", 5, || first(&host, "dialog.vmb-task-confirm").is_some()).await;
    pause(100).await;
    // "Anulować to zadanie? Kopia w toku zostanie odrzucona." in the dialog too.
    assert_sentences_read_in_order(&host);
    click(&first(&host, ".vmb-task-confirm__yes").unwrap());
    wait_for("Anulowane", 15, || badge(&host, &id) == "Anulowane").await;
}

#[wasm_bindgen_test]
async fn hostile_vm_names_render_as_text() {
    let client = host_session_client().await;
    let hostile = client.call(&ListVms::page(0, 10).name_like("<img")).await.unwrap().items;
    let vm = hostile.first().expect("the simulator runs with --hostile-names").clone();
    let rule = any_rule(&client).await;
    let task = start_backup(&client, &vm, &rule, Some(client.now_ms() + LATER_MS)).await;
    let id = task.id.clone();
    let ids = vec![id.clone()];
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <TaskProgress task_ids=ids /> });
    wait_for("the entry with its name", 10, || entry_text(&host, &id).contains(&vm.name)).await;
    assert!(all(&host, "img, script, b").is_empty(), "markup from a name became elements");
    let injected = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__vmbInjected")).unwrap();
    assert!(injected.is_undefined(), "a payload ran");
    client.call(&CancelTask::new(id)).await.unwrap();
}

/// Replaces `window.Notification` with a recorder: `requestPermission` calls and notifications shown.
fn fake_notifications() -> js_sys::Object {
    let install = js_sys::Function::new_no_args(
        "const log = { requests: 0, shown: [], original: globalThis.Notification };
         class FakeNotification {
           constructor(title, options) { log.shown.push({ title, body: options && options.body }); }
           static get permission() { return log.granted ? 'granted' : 'default'; }
           static requestPermission() { log.requests += 1; log.granted = true; return Promise.resolve('granted'); }
         }
         globalThis.Notification = FakeNotification;
         return log;",
    );
    install.call0(&JsValue::NULL).unwrap().dyn_into().unwrap()
}

fn restore_notifications(log: &js_sys::Object) {
    let original = js_sys::Reflect::get(log, &JsValue::from_str("original")).unwrap();
    js_sys::Reflect::set(&js_sys::global(), &JsValue::from_str("Notification"), &original).unwrap();
}

fn requests(log: &js_sys::Object) -> f64 {
    js_sys::Reflect::get(log, &JsValue::from_str("requests")).unwrap().as_f64().unwrap()
}

fn shown(log: &js_sys::Object) -> Vec<String> {
    let list: js_sys::Array = js_sys::Reflect::get(log, &JsValue::from_str("shown")).unwrap().dyn_into().unwrap();
    list.iter().map(|n| js_sys::JSON::stringify(&n).unwrap().into()).collect()
}

#[wasm_bindgen_test]
async fn a_browser_notification_only_after_the_user_opts_in() {
    let log = fake_notifications();
    let client = host_session_client().await;
    let (vm, rule) = protected_vm(&client, "auth-", 1).await;
    let task = start_backup(&client, &vm, &rule, Some(client.now_ms() + LATER_MS)).await;
    let id = task.id.clone();
    let ids = vec![id.clone()];
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <TaskProgress task_ids=ids /> });
    wait_for("the entry", 10, || badge(&host, &id) == "Queued").await;
    pause(300).await;
    assert_eq!(requests(&log), 0.0, "never prompted on load");
    let notify = first(&host, ".vmb-task-progress__notify").unwrap();
    assert_eq!(text(&notify), "Notify me when it ends");
    assert_eq!(notify.get_attribute("aria-pressed").as_deref(), Some("false"));
    click(&notify);
    wait_for("notifications on", 5, || notify.get_attribute("aria-pressed").as_deref() == Some("true")).await;
    assert_eq!(requests(&log), 1.0, "asked once, on the click");
    client.call(&CancelTask::new(id.clone())).await.unwrap();
    wait_for("a notification", 30, || !shown(&log).is_empty()).await;
    restore_notifications(&log);
    let shown = shown(&log);
    assert_eq!(shown.len(), 1);
    assert!(shown[0].contains("Backup of") && shown[0].contains("Cancelled"), "{shown:?}");
}

#[wasm_bindgen_test]
async fn two_widgets_following_one_task_tell_the_host_of_its_end_once() {
    let client = host_session_client().await;
    let (vm, rule) = protected_vm(&client, "proxy-", 6).await;
    let task = start_backup(&client, &vm, &rule, None).await;
    let id = task.id.clone();
    // A backup button's own list and the page's task list, both following the same task.
    let ids = vec![id.clone()];
    let (own, _own_mounted) = mount(client.clone(), Lang::En, move || view! { <TaskProgress task_ids=ids /> });
    let (page_wide, _page_mounted) = mount(client.clone(), Lang::En, || view! { <TaskProgress follow_all=true /> });
    let heard_own = listen(&own, "vmb-task-finished");
    let heard_page_wide = listen(&page_wide, "vmb-task-finished");
    wait_for("both to show FINISHED", 60, || badge(&own, &id) == "Finished" && badge(&page_wide, &id) == "Finished")
        .await;
    pause(500).await;
    let ends = heard_own.borrow().len() + heard_page_wide.borrow().len();
    assert_eq!(ends, 1, "one vmb-task-finished for one task on the page");
    let toasts = all(&own, ".vmb-task-toast").len() + all(&page_wide, ".vmb-task-toast").len();
    assert_eq!(toasts, 1, "one toast for one task on the page");
}

/// How many times the simulator has been asked to change the task's state (to cancel it).
async fn cancel_requests(task_id: &str) -> u64 {
    requests_answered(&format!("PUT /api/tasks/{task_id}/state")).await
}

#[wasm_bindgen_test]
async fn a_read_only_user_who_cancels_is_told_why_and_the_task_stays_as_it_was() {
    let client = host_session_client().await;
    let (vm, rule) = protected_vm(&client, "proxy-", 5).await;
    let task = start_backup(&client, &vm, &rule, Some(client.now_ms() + LATER_MS)).await;
    let id = task.id.clone();
    // The simulator's viewer may read tasks but not cancel them: the server refuses, the widget does not guess.
    client.call(&Login::new("viewer", "viewer-pass")).await.unwrap();
    let ids = vec![id.clone()];
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <TaskProgress task_ids=ids /> });
    let finished = listen(&host, "vmb-task-finished");
    let errors = listen(&host, "vmb-error");
    wait_for("a queued task with a cancel button", 10, || {
        badge(&host, &id) == "Queued" && first(&host, ".vmb-task button.vmb-button--danger").is_some()
    })
    .await;
    let requests_before = cancel_requests(&id).await;
    click(&first(&host, ".vmb-task button.vmb-button--danger").unwrap());
    wait_for("the confirmation", 5, || first(&host, "dialog.vmb-task-confirm").is_some()).await;
    click(&first(&host, ".vmb-task-confirm__yes").unwrap());

    let refusal = format!(".vmb-task[data-task-id=\"{id}\"] [role=alert]");
    wait_for("the refusal at the task", 10, || first(&host, &refusal).is_some()).await;
    let words = text(&first(&host, &refusal).unwrap());
    assert!(words.contains("You do not have permission to do this.") && words.contains("HTTP 403"), "{words}");
    // Long enough for a retry or a poll to show up: the view still shows the task as the server has it.
    pause(2_000).await;
    assert_eq!(cancel_requests(&id).await - requests_before, 1, "one cancel request for one confirmation");
    assert_eq!(badge(&host, &id), "Queued");
    assert!(!entry_text(&host, &id).contains("Cancelling"), "{}", entry_text(&host, &id));
    assert!(finished.borrow().is_empty(), "the task did not end: {:?}", finished.borrow());
    assert_eq!(errors.borrow().last().unwrap()["kind"], "forbidden");
    assert!(first(&host, ".vmb-task button.vmb-button--danger").is_some_and(|b| !b.has_attribute("disabled")));
    client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
    assert_eq!(client.call(&GetTask::new(id.clone())).await.unwrap().state, TaskState::Queued);
    client.call(&CancelTask::new(id)).await.unwrap();
}
