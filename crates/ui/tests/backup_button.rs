//! BackupButton in headless Chromium against the simulator (10,000 VMs, hostile names, 2-second tasks).
//!
//! Other suites may share the simulator: request counts are compared before and after within a test, and
//! each test works on VMs of its own.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use leptos::prelude::*;
use vmbackup_client::Client;
use vmbackup_core::domain::{TaskState, TaskType, Vm};
use vmbackup_core::http::HttpRequest;
use vmbackup_core::storware::session::Login;
use vmbackup_core::storware::tasks::ListTasks;
use vmbackup_ui::i18n::Lang;
use vmbackup_ui::widgets::backup_button::BackupButton;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

const EXPORT_POST: &str = "POST /api/tasks/export";

/// How many backup submissions the simulator has answered so far.
async fn export_posts() -> u64 {
    requests_answered(EXPORT_POST).await
}

/// How many EXPORT tasks the VM has on the server.
async fn export_tasks_of(client: &Client, vm_id: &str) -> usize {
    client.call(&ListTasks::for_vm(vm_id).of_type(TaskType::Export)).await.unwrap().items.len()
}

/// A VM named `name…` without a policy.
async fn unprotected_vm(client: &Client, name: &str) -> Vm {
    vms_named(client, name)
        .await
        .into_iter()
        .find(|vm| vm.protection.policy.is_none())
        .unwrap_or_else(|| panic!("no VM {name}… without a policy in the simulator"))
}

fn enabled(element: &Element) -> bool {
    !element.has_attribute("disabled")
}

fn field_errors(host: &HtmlElement) -> Vec<String> {
    all(host, ".vmb-field-error").iter().map(text).filter(|t| !t.trim().is_empty()).collect()
}

/// Opens the dialog and waits until every policy is read.
async fn open_dialog(host: &HtmlElement) {
    wait_for("an enabled backup button", 10, || first(host, ".vmb-backup-open").is_some_and(|b| enabled(&b))).await;
    click(&first(host, ".vmb-backup-open").unwrap());
    wait_for("the dialog with its policies read", 10, || {
        first(host, "dialog[role=dialog]").is_some()
            && all(host, "dialog [role=status]").iter().all(|s| !text(s).contains("Loading"))
            && all(host, "dialog [role=status]").iter().all(|s| !text(s).contains("Wczytywanie"))
    })
    .await;
}

fn submit_button(host: &HtmlElement) -> Element {
    first(host, "dialog .vmb-backup-submit").unwrap()
}

fn result_text(host: &HtmlElement) -> String {
    first(host, ".vmb-backup-result").map(|r| text(&r)).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_double_click_on_start_creates_exactly_one_task_and_it_is_followed_to_the_end() {
    let client = host_session_client().await;
    let vm = protected_vm(&client, "mq-", 0).await;
    let tasks_before = export_tasks_of(&client, &vm.id).await;
    let posts_before = export_posts().await;
    let vm_id = vm.id.clone();
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <BackupButton vm=vm_id /> });
    let started = listen(&host, "vmb-backup-started");
    let finished = listen(&host, "vmb-task-finished");
    open_dialog(&host).await;
    assert!(first(&host, "dialog select[name=rules] option").is_some(), "the policy's rule is offered");
    let start = submit_button(&host);
    assert!(enabled(&start));
    // Two clicks in the same task, before anything could re-render, then a third a moment later.
    click(&start);
    click(&start);
    pause(30).await;
    if start.is_connected() {
        assert!(!enabled(&start), "disabled while the submission is in flight");
        click(&start);
    }
    wait_for("the created task", 15, || result_text(&host).contains("Backup tasks created: 1")).await;
    pause(300).await;
    assert_eq!(export_posts().await - posts_before, 1, "one POST /api/tasks/export for a double click");
    assert_eq!(export_tasks_of(&client, &vm.id).await - tasks_before, 1, "one task on the server");
    assert!(first(&host, "dialog").is_none(), "the dialog closed");
    let active = shadow(&host).active_element().unwrap();
    assert!(active.class_list().contains("vmb-backup-open"), "focus went back to the button");
    assert_eq!(started.borrow().len(), 1);
    let detail = started.borrow()[0].clone();
    assert_eq!(detail["vmIds"], serde_json::json!([vm.id]));
    assert_eq!(detail["recovered"], false);
    let task_id = detail["taskIds"][0].as_str().unwrap().to_string();
    // The created task is shown and followed through the shared poller to its end.
    let bar = format!(".vmb-task[data-task-id=\"{task_id}\"] [role=progressbar]");
    wait_for("the backup to finish", 60, || {
        first(&host, &bar).and_then(|b| b.get_attribute("aria-valuenow")).as_deref() == Some("100")
    })
    .await;
    let entry = first(&host, &format!(".vmb-task[data-task-id=\"{task_id}\"]")).unwrap();
    assert!(text(&entry).contains("Finished"), "{}", text(&entry));
    assert!(text(&entry).contains(&vm.name), "{}", text(&entry));
    wait_for("the host hears the end", 5, || !finished.borrow().is_empty()).await;
    assert_eq!(finished.borrow()[0]["taskId"], task_id.as_str());
    assert_eq!(finished.borrow()[0]["state"], "FINISHED");
}

#[wasm_bindgen_test]
async fn a_vm_without_a_policy_is_explained_and_cannot_be_submitted() {
    let client = host_session_client().await;
    let vm = unprotected_vm(&client, "ci-").await;
    let posts_before = export_posts().await;
    let vm_id = vm.id.clone();
    let (host, _mounted) = mount(client, Lang::En, move || view! { <BackupButton vm=vm_id /> });
    open_dialog(&host).await;
    let note = text(&first(&host, "dialog .vmb-backup-explanation").unwrap());
    assert!(note.contains("This VM has no backup policy"), "{note}");
    assert!(note.contains("Ask your backup administrator"), "says what to do: {note}");
    assert!(first(&host, "dialog select[name=rules]").is_none(), "no rule to choose");
    let start = submit_button(&host);
    assert!(!enabled(&start), "no enabled submit");
    click(&start);
    pause(300).await;
    assert_eq!(export_posts().await, posts_before, "nothing was sent");
    // Escape closes the dialog.
    let dialog = first(&host, "dialog").unwrap();
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    dialog
        .dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap();
    wait_for("the dialog to close", 5, || first(&host, "dialog").is_none()).await;
}

#[wasm_bindgen_test]
async fn a_priority_out_of_range_is_shown_next_to_its_field_and_nothing_is_sent() {
    let client = host_session_client().await;
    let vm = protected_vm(&client, "mq-", 1).await;
    let posts_before = export_posts().await;
    let vm_id = vm.id.clone();
    let (host, _mounted) = mount(client, Lang::En, move || view! { <BackupButton vm=vm_id /> });
    open_dialog(&host).await;
    type_into(&host, "input[name=priority]", "150");
    click(&submit_button(&host));
    wait_for("the priority error", 5, || !field_errors(&host).is_empty()).await;
    let input = first(&host, "input[name=priority]").unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = input.get_attribute("aria-describedby").unwrap();
    let message = shadow(&host).get_element_by_id(&described).map(|e| text(&e)).unwrap_or_default();
    assert_eq!(message, "Enter a whole number from 0 to 100.", "the error is tied to its field");
    assert_eq!(field_errors(&host), vec![message]);
    assert_eq!(export_posts().await, posts_before, "nothing was sent");
    let value = input.dyn_into::<HtmlInputElement>().unwrap().value();
    assert_eq!(value, "150", "the user's value is kept");
}

#[wasm_bindgen_test]
async fn vms_of_different_policies_are_explained_and_backed_up_one_group_each() {
    let client = host_session_client().await;
    let first_vm = protected_vm(&client, "dns-", 0).await;
    let mut second_vm = None;
    for skip in 1..20 {
        let candidate = protected_vm(&client, "dns-", skip).await;
        if candidate.protection.policy.as_ref().map(|p| &p.id) != first_vm.protection.policy.as_ref().map(|p| &p.id) {
            second_vm = Some(candidate);
            break;
        }
    }
    let second_vm = second_vm.expect("two dns- VMs of different policies");
    let lonely = unprotected_vm(&client, "dns-").await;
    let posts_before = export_posts().await;
    let selection = vec![first_vm.clone(), lonely.clone(), second_vm.clone()];
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <BackupButton vms=selection /> });
    let started = listen(&host, "vmb-backup-started");
    assert_eq!(text(&first(&host, ".vmb-backup-open").unwrap()), "Back up 3 VMs");
    open_dialog(&host).await;
    let notes: Vec<String> = all(&host, "dialog .vmb-backup-explanation").iter().map(text).collect();
    assert!(notes.iter().any(|n| n.contains("no backup policy") && n.contains(&lonely.name)), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("2 different policies")), "{notes:?}");
    assert_eq!(all(&host, "dialog select[name=rules]").len(), 2, "a rule per policy");
    click(&submit_button(&host));
    wait_for("the created tasks", 15, || result_text(&host).contains("Backup tasks created: 2")).await;
    assert_eq!(export_posts().await - posts_before, 2, "one submission per policy");
    let mut vm_ids: Vec<String> = started
        .borrow()
        .iter()
        .flat_map(|d| d["vmIds"].as_array().unwrap().clone())
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    vm_ids.sort();
    let mut expected = vec![first_vm.id, second_vm.id];
    expected.sort();
    assert_eq!(vm_ids, expected, "the VM without a policy was left out");
}

#[wasm_bindgen_test]
async fn hostile_vm_names_render_as_text() {
    let client = host_session_client().await;
    let hostile = vms_named(&client, "<").await;
    assert!(hostile.len() >= 2, "the simulator runs with --hostile-names");
    let selection = hostile.clone();
    let (host, _mounted) = mount(client, Lang::En, move || view! { <BackupButton vms=selection /> });
    open_dialog(&host).await;
    let names: Vec<String> = all(&host, "dialog .vmb-backup-vms li").iter().map(text).collect();
    for vm in &hostile {
        assert!(names.contains(&vm.name), "{names:?} lacks {}", vm.name);
    }
    assert!(all(&host, "dialog img, dialog script, dialog b").is_empty(), "markup from a name became elements");
    let injected = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__vmbInjected")).unwrap();
    assert!(injected.is_undefined(), "a payload ran");
}

#[wasm_bindgen_test]
async fn polish_texts() {
    let client = host_session_client().await;
    let vm = protected_vm(&client, "mq-", 2).await;
    let bare = unprotected_vm(&client, "mq-").await;
    let vm_id = vm.id.clone();
    let (host, _mounted) = mount(client.clone(), Lang::Pl, move || view! { <BackupButton vm=vm_id /> });
    wait_for("the button", 10, || first(&host, ".vmb-backup-open").is_some_and(|b| enabled(&b))).await;
    assert_eq!(text(&first(&host, ".vmb-backup-open").unwrap()), "Utwórz kopię teraz");
    open_dialog(&host).await;
    let dialog = text(&first(&host, "dialog").unwrap());
    for expected in [
        "Utwórz kopię zapasową",
        "Reguła polityki (miejsce kopii)",
        "Typ kopii",
        "Pełna",
        "Przyrostowa",
        "Priorytet (0–100)",
        "Musi rozpocząć się do (opcjonalnie)",
        "Bez terminu",
        "W ciągu 30 min",
        "Anuluj",
        "Rozpocznij kopię",
        "Maszyny wirtualne (1)",
    ] {
        assert!(dialog.contains(expected), "missing {expected:?} in {dialog}");
    }
    type_into(&host, "input[name=priority]", "abc");
    click(&submit_button(&host));
    wait_for("the Polish field error", 5, || field_errors(&host) == ["Wpisz liczbę całkowitą od 0 do 100."]).await;

    let bare_id = bare.id.clone();
    let (host, _mounted) = mount(client, Lang::Pl, move || view! { <BackupButton vm=bare_id /> });
    open_dialog(&host).await;
    let note = text(&first(&host, "dialog .vmb-backup-explanation").unwrap());
    assert!(note.contains("Ta maszyna nie ma polityki kopii zapasowych"), "{note}");
}

#[wasm_bindgen_test]
async fn a_lost_answer_is_not_resent_and_the_user_is_told_to_check_the_task_list() {
    let client = host_session_client().await;
    let vm = protected_vm(&client, "mq-", 3).await;
    let vm_id = vm.id.clone();
    let (host, _mounted) = mount(client, Lang::En, move || view! { <BackupButton vm=vm_id /> });
    let errors = listen(&host, "vmb-error");
    open_dialog(&host).await;
    type_into(&host, "input[name=priority]", "77");
    let posts_before = export_posts().await;
    // A proxy answers every request with its HTML error page: the submission's fate is unknown.
    set_faults(serde_json::json!({"errorRate": 1.0, "htmlErrors": true})).await;
    click(&submit_button(&host));
    wait_for("an alert in the dialog", 20, || first(&host, "dialog [role=alert]").is_some()).await;
    set_faults(serde_json::json!({"errorRate": 0.0, "htmlErrors": false})).await;
    let alert = first(&host, "dialog [role=alert]").unwrap();
    let words = text(&alert);
    assert!(words.contains("The server did not confirm the request."), "{words}");
    assert!(!words.contains("<html") && !words.contains("<title"), "no page source: {words}");
    assert!(alert.query_selector("button").unwrap().is_none(), "no one-click retry that could start it twice");
    assert_eq!(export_posts().await - posts_before, 1, "the lost submission was not sent again");
    assert!(!result_text(&host).contains("created"), "nothing claims to have started: {}", result_text(&host));
    assert_eq!(errors.borrow().last().unwrap()["kind"], "unconfirmed");
    let priority: HtmlInputElement = first(&host, "input[name=priority]").unwrap().dyn_into().unwrap();
    assert_eq!(priority.value(), "77", "the form keeps its values");

    // Once the server answers again the widget looks once more: no task, so it says the backup did not start,
    // and the user may start it (the proxy's error came before the server's handler).
    wait_for("the re-check's verdict", 15, || {
        first(&host, "dialog [role=alert]").is_some_and(|a| text(&a).contains("no backup task for it was found"))
    })
    .await;
    wait_for("start enabled again", 5, || enabled(&submit_button(&host))).await;
    assert_eq!(export_posts().await - posts_before, 1, "still sent once");
}

#[wasm_bindgen_test]
async fn a_dropped_connection_on_submit_is_confirmed_once_the_server_answers_and_resent_copies_are_cancelled() {
    let client = host_session_client().await;
    let vm = protected_vm(&client, "mq-", 5).await;
    let vm_id = vm.id.clone();
    // Copies must still be running when the widget looks again, to be cancellable.
    let task_seconds = sim_get("/__sim/faults").await["taskSeconds"].clone();
    set_faults(serde_json::json!({"taskSeconds": 60})).await;
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <BackupButton vm=vm_id /> });
    let started = listen(&host, "vmb-backup-started");
    open_dialog(&host).await;
    let posts_before = export_posts().await;
    // A load balancer closes each connection without a reply after the server acted. Chromium itself resends
    // a request on a reused connection that closed that way, so the server may see the submission more than once.
    set_faults(serde_json::json!({"dropRate": 1.0})).await;
    click(&submit_button(&host));
    wait_for("an alert in the dialog", 30, || first(&host, "dialog [role=alert]").is_some()).await;
    let words = text(&first(&host, "dialog [role=alert]").unwrap());
    assert!(words.contains("The server did not confirm the request."), "{words}");
    wait_for("the checking note", 5, || first(&host, "dialog .vmb-backup-checking").is_some()).await;
    assert!(!enabled(&submit_button(&host)), "nothing can be submitted while the first submission is checked");

    set_faults(serde_json::json!({"dropRate": 0.0})).await;
    wait_for("the backup confirmed", 20, || result_text(&host).contains("Backup tasks created: 1")).await;
    let reached = export_posts().await - posts_before;
    // A running task ends cancelled on the server's next step, not at once.
    let mut states: Vec<TaskState> = Vec::new();
    for _ in 0..50 {
        let tasks = client.call(&ListTasks::for_vm(&vm.id).of_type(TaskType::Export)).await.unwrap().items;
        states = tasks.into_iter().map(|t| t.state).collect();
        if states.iter().filter(|s| **s == TaskState::Cancelled).count() as u64 + 1 >= reached {
            break;
        }
        pause(200).await;
    }
    let cancelled = states.iter().filter(|s| **s == TaskState::Cancelled).count() as u64;
    assert_eq!(states.len() as u64, reached, "one task per submission that reached the server: {states:?}");
    assert_eq!(cancelled, reached - 1, "every copy but one is cancelled: {states:?}");
    let copies_note = format!("the extra backups were cancelled: {}", reached - 1);
    assert_eq!(result_text(&host).contains(&copies_note), reached > 1, "{}", result_text(&host));
    assert!(first(&host, "dialog").is_none(), "the dialog closed once confirmed");
    assert_eq!(started.borrow().len(), 1);
    assert_eq!(started.borrow()[0]["recovered"], true);
    set_faults(serde_json::json!({"taskSeconds": task_seconds})).await;
}

/// The widget goes while it checks a lost submission with the server (the user leaves the page): the look-up's
/// answer, when it comes, finds nothing to update and panics on nothing.
#[wasm_bindgen_test]
async fn a_widget_unmounted_while_it_checks_a_lost_submission_ends_quietly() {
    let panics = count_panics();
    let before = panics.load(std::sync::atomic::Ordering::SeqCst);
    let client = host_session_client().await;
    let vm = protected_vm(&client, "mq-", 7).await;
    let vm_id = vm.id.clone();
    let (host, mounted) = mount(client, Lang::En, move || view! { <BackupButton vm=vm_id /> });
    open_dialog(&host).await;
    set_faults(serde_json::json!({"errorRate": 1.0, "htmlErrors": true})).await;
    click(&submit_button(&host));
    wait_for("the checking note", 20, || first(&host, "dialog .vmb-backup-checking").is_some()).await;
    // Each look-up now takes 4 s. The widget pauses 3 s between look-ups, so after 3.5 s one is on its way.
    set_faults(serde_json::json!({"errorRate": 0.0, "htmlErrors": false, "latencyMs": 4000})).await;
    pause(3_500).await;
    drop(mounted);
    pause(5_000).await;
    set_faults(serde_json::json!({"latencyMs": 0})).await;
    assert_eq!(panics.load(std::sync::atomic::Ordering::SeqCst), before, "the look-up's answer met a panic");
    host.remove();
}

#[wasm_bindgen_test]
async fn an_expired_session_prompts_inside_the_dialog_and_the_backup_starts_after_resuming() {
    let client = host_session_client().await;
    let vm = protected_vm(&client, "mq-", 4).await;
    let vm_id = vm.id.clone();
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <BackupButton vm=vm_id /> });
    let expiries = listen(&host, "vmb-session-expired");
    open_dialog(&host).await;
    type_into(&host, "input[name=priority]", "64");
    let posts_before = export_posts().await;
    control(HttpRequest::post("/__sim/expire-sessions")).await;
    click(&submit_button(&host));
    wait_for("the session prompt inside the dialog", 10, || {
        all(&host, "dialog [role=alert]").iter().any(|a| text(a).contains("Your session has expired"))
    })
    .await;
    assert_eq!(expiries.borrow().len(), 1);
    assert!(result_text(&host).is_empty());
    client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
    let resume =
        all(&host, "dialog [role=alert] button").into_iter().find(|b| text(b).contains("logged in again")).unwrap();
    click(&resume);
    wait_for("the submit button", 5, || enabled(&submit_button(&host))).await;
    let priority: HtmlInputElement = first(&host, "input[name=priority]").unwrap().dyn_into().unwrap();
    assert_eq!(priority.value(), "64", "the form kept its values");
    click(&submit_button(&host));
    wait_for("the created task", 15, || result_text(&host).contains("Backup tasks created: 1")).await;
    // The expired attempt may or may not have reached the server's 401; one more made the task.
    let posts = export_posts().await - posts_before;
    assert!((1..=2).contains(&posts), "{posts} submissions");
}

fn set_select(host: &HtmlElement, selector: &str, value: &str) {
    let select: HtmlSelectElement = first(host, selector).unwrap().dyn_into().unwrap();
    select.set_value(value);
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

fn select_value(host: &HtmlElement, selector: &str) -> String {
    first(host, selector).unwrap().dyn_into::<HtmlSelectElement>().unwrap().value()
}

#[wasm_bindgen_test]
async fn a_read_only_user_is_told_why_in_the_dialog_keeps_the_choices_and_each_click_sends_one_request() {
    let client = host_session_client().await;
    let vm = protected_vm(&client, "mq-", 6).await;
    let tasks_before = export_tasks_of(&client, &vm.id).await;
    // The simulator's viewer holds no privilege to back up: the server refuses, the widget does not guess.
    client.call(&Login::new("viewer", "viewer-pass")).await.unwrap();
    let vm_id = vm.id.clone();
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <BackupButton vm=vm_id /> });
    let started = listen(&host, "vmb-backup-started");
    let errors = listen(&host, "vmb-error");
    open_dialog(&host).await;
    let rule = select_value(&host, "dialog select[name=rules]");
    set_select(&host, "dialog select[name=backupType]", "INCREMENTAL");
    type_into(&host, "input[name=priority]", "42");
    set_select(&host, "dialog select[name=windowEnd]", "60");
    let posts_before = export_posts().await;

    click(&submit_button(&host));
    wait_for("the refusal in the dialog", 10, || first(&host, "dialog [role=alert]").is_some()).await;
    let alert = first(&host, "dialog [role=alert]").unwrap();
    let words = text(&alert);
    assert!(words.contains("You do not have permission to do this."), "{words}");
    assert!(words.contains("HTTP 403"), "{words}");
    assert!(alert.query_selector("button").unwrap().is_none(), "no retry that cannot help: {}", alert.outer_html());
    // Long enough for a retry or a lookup to show up: none comes.
    pause(2_000).await;
    assert_eq!(export_posts().await - posts_before, 1, "one POST /api/tasks/export for one click");
    assert!(started.borrow().is_empty(), "no vmb-backup-started: {:?}", started.borrow());
    assert_eq!(errors.borrow().last().unwrap()["kind"], "forbidden");
    assert!(result_text(&host).is_empty(), "nothing claims to have started: {}", result_text(&host));
    assert!(first(&host, "dialog").is_some(), "the dialog stays open");
    assert_eq!(select_value(&host, "dialog select[name=rules]"), rule);
    assert_eq!(select_value(&host, "dialog select[name=backupType]"), "INCREMENTAL");
    assert_eq!(select_value(&host, "dialog select[name=windowEnd]"), "60");
    let priority: HtmlInputElement = first(&host, "input[name=priority]").unwrap().dyn_into().unwrap();
    assert_eq!(priority.value(), "42", "the form keeps its values");

    // Asking again is the user's choice, and is again one request.
    wait_for("start enabled again", 5, || enabled(&submit_button(&host))).await;
    click(&submit_button(&host));
    wait_for("the second refusal", 10, || errors.borrow().len() == 2).await;
    pause(1_000).await;
    assert_eq!(export_posts().await - posts_before, 2, "one more POST for the second click");
    assert!(first(&host, "dialog [role=alert]").is_some_and(|a| text(&a).contains("You do not have permission")));
    assert!(started.borrow().is_empty());
    client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
    assert_eq!(export_tasks_of(&client, &vm.id).await, tasks_before, "no task on the server");
}
