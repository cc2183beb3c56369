//! RestoreDialog in headless Chromium against the simulator (10,000 VMs, hostile names, 2-second tasks).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use leptos::prelude::*;
use vmbackup_client::Client;
use vmbackup_core::domain::{Backup, Task, TaskState, TaskType, Vm};
use vmbackup_core::http::HttpRequest;
use vmbackup_core::storware::backups::ListBackups;
use vmbackup_core::storware::session::Login;
use vmbackup_core::storware::tasks::{GetTask, ListTasks};
use vmbackup_core::storware::vms::{GetVm, ListVms};
use vmbackup_ui::erased::ErasedSignal;
use vmbackup_ui::i18n::Lang;
use vmbackup_ui::widgets::backup_history::BackupHistory;
use vmbackup_ui::widgets::restore_dialog::RestoreDialog;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlButtonElement, HtmlDialogElement, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The `skip`-th VM (plainly named) that has a backup a restore can use; each test takes its own so that
/// counting one VM's restore tasks is not disturbed by another test.
async fn restorable_vm(client: &Client, skip: usize) -> Vm {
    let backups = client.call(&ListBackups::all().restorable().page(0, 500)).await.unwrap().items;
    let mut seen: Vec<String> = Vec::new();
    for backup in backups {
        let Some(vm) = backup.vm else { continue };
        if vm.name.as_deref().is_some_and(|n| n.contains('<')) || seen.contains(&vm.id) {
            continue;
        }
        seen.push(vm.id.clone());
        if seen.len() > skip {
            let record = client.call(&GetVm::new(vm.id)).await.unwrap();
            if record.protection.present {
                return record;
            }
        }
    }
    panic!("not enough restorable VMs in the simulator");
}

async fn restore_tasks(client: &Client, vm: &str) -> Vec<Task> {
    client.call(&ListTasks::for_vm(vm).of_type(TaskType::Restore)).await.unwrap().items
}

fn dialog(host: &HtmlElement) -> HtmlDialogElement {
    first(host, "dialog").unwrap().dyn_into().unwrap()
}

fn submit_button(host: &HtmlElement) -> Option<HtmlButtonElement> {
    first(host, ".vmb-restore__submit").and_then(|b| b.dyn_into().ok())
}

fn input(host: &HtmlElement, selector: &str) -> HtmlInputElement {
    first(host, selector).unwrap().dyn_into().unwrap()
}

/// Whether the form shows its choices, with a target chosen and the confirmation field present.
fn form_ready(host: &HtmlElement) -> bool {
    let options = |id: &str| all(host, &format!("select[name={id}] option")).len();
    options("backup") > 0
        && options("copy") > 0
        && options("target") > 0
        && first(host, "input[name=confirm-name]").is_some()
}

fn alerts(host: &HtmlElement) -> Vec<String> {
    all(host, "dialog [role=alert]").iter().map(text).collect()
}

fn injected() -> JsValue {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__vmbInjected")).unwrap()
}

/// Mounts the dialog for `vm`, opens it with its button and waits for the form.
async fn open_dialog(client: Client, lang: Lang, vm: &str) -> (HtmlElement, vmbackup_ui::mount::MountedWidget) {
    let (host, mounted) = mount(client, lang, {
        let vm = vm.to_string();
        move || view! { <RestoreDialog vm=vm /> }
    });
    wait_for("the restore button", 10, || first(&host, ".vmb-restore__open").is_some()).await;
    click(&first(&host, ".vmb-restore__open").unwrap());
    wait_for("the open dialog", 10, || dialog(&host).open()).await;
    (host, mounted)
}

#[wasm_bindgen_test]
async fn a_typed_name_confirms_one_restore_that_is_tracked_until_the_new_vm_exists() {
    let client = host_session_client().await;
    let vm = restorable_vm(&client, 0).await;
    let before = restore_tasks(&client, &vm.id).await.len();
    let (host, _mounted) = open_dialog(client.clone(), Lang::En, &vm.id).await;
    let heard: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = heard.clone();
    let listener = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
        sink.borrow_mut().push(js_sys::JSON::stringify(&event.detail()).unwrap().into());
    });
    host.add_event_listener_with_callback("vmb-restore-started", listener.as_ref().unchecked_ref()).unwrap();
    let finished = listen(&host, "vmb-task-finished");
    wait_for("the form", 10, || form_ready(&host)).await;

    let submit = submit_button(&host).unwrap();
    assert!(submit.disabled(), "nothing is confirmed yet");
    let new_name = format!("restored-{}", client.now_ms());
    type_text(&input(&host, "input[name=new-name]"), &new_name);
    let confirm = input(&host, "input[name=confirm-name]");
    type_text(&confirm, &format!("{} ", vm.name));
    pause(50).await;
    assert!(submit.disabled(), "a name that is not exactly the VM's keeps the restore disabled");
    assert_eq!(confirm.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(text(&first(&host, ".vmb-field-error[aria-live]").unwrap()).contains("does not match"));
    type_text(&confirm, &vm.name.to_uppercase());
    pause(50).await;
    assert!(submit.disabled() || vm.name == vm.name.to_uppercase(), "the match is exact, case included");
    type_text(&confirm, &vm.name);
    wait_for("the restore button enabled", 5, || !submit.disabled()).await;
    let summary = text(&first(&host, ".vmb-restore__summary").unwrap());
    assert!(summary.contains(&format!("A new virtual machine named {new_name} will be created")), "{summary}");
    let prompt = text(&first(&host, ".vmb-restore__prompt").unwrap());
    assert_eq!(prompt, format!("To confirm, type the name of the virtual machine: {}", vm.name));

    submit.click();
    submit.click();
    wait_for("the progress", 10, || first(&host, "dialog .vmb-restore__progress").is_some()).await;
    wait_for("the restore to finish", 40, || {
        first(&host, "dialog .vmb-restore__stage")
            .is_some_and(|s| text(&s).contains(&format!("Restored as {new_name}")))
    })
    .await;
    let bar = first(&host, "dialog [role=progressbar]").unwrap();
    assert_eq!(bar.get_attribute("aria-valuenow").as_deref(), Some("100"));

    let after = restore_tasks(&client, &vm.id).await;
    assert_eq!(after.len(), before + 1, "exactly one restore task for two clicks");
    assert_eq!(heard.borrow().len(), 1, "one vmb-restore-started");
    let newest = after.iter().max_by_key(|t| t.window_start.or(t.start_time)).unwrap();
    assert!(heard.borrow()[0].contains(&newest.id), "{} names {}", heard.borrow()[0], newest.id);
    let restore = client.call(&GetTask::new(newest.id.clone())).await.unwrap();
    assert_eq!(restore.state, TaskState::Finished);
    // One end for the whole restore (restore and import), named like vmb-restore-started named it.
    wait_for("the host hears the end", 5, || !finished.borrow().is_empty()).await;
    let ends: Vec<(String, String)> = finished
        .borrow()
        .iter()
        .map(|e| {
            (e["taskId"].as_str().unwrap_or_default().to_string(), e["state"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    assert_eq!(ends, vec![(newest.id.clone(), "FINISHED".to_string())]);
    let found = client.call(&ListVms::page(0, 10).name_like(&new_name)).await.unwrap().items;
    assert_eq!(found.iter().filter(|v| v.name == new_name).count(), 1, "the restored VM is in the VM list");

    // Closed, the widget still says how the restore ended.
    click(&first(&host, "dialog .vmb-dialog__actions button").unwrap());
    wait_for("the dialog closed", 5, || !dialog(&host).open()).await;
    assert!(text(&first(&host, ".vmb-restore__status").unwrap()).contains("Restored as"));
    listener.forget();
}

#[wasm_bindgen_test]
async fn the_dialog_is_modal_labelled_takes_the_focus_and_gives_it_back_on_escape() {
    let client = host_session_client().await;
    let vm = restorable_vm(&client, 1).await;
    let (host, _mounted) = mount(client, Lang::En, {
        let vm = vm.id.clone();
        move || view! { <RestoreDialog vm=vm /> }
    });
    wait_for("the restore button", 10, || first(&host, ".vmb-restore__open").is_some()).await;
    let opener: HtmlElement = first(&host, ".vmb-restore__open").unwrap().dyn_into().unwrap();
    opener.focus().unwrap();
    opener.click();
    wait_for("the open dialog", 10, || dialog(&host).open()).await;
    let dialog_element = dialog(&host);
    assert_eq!(dialog_element.get_attribute("role").as_deref(), Some("dialog"));
    assert_eq!(dialog_element.get_attribute("aria-modal").as_deref(), Some("true"));
    let title_id = dialog_element.get_attribute("aria-labelledby").unwrap();
    wait_for("the title with the VM's name", 10, || {
        shadow(&host).get_element_by_id(&title_id).is_some_and(|t| text(&t) == format!("Restore {}", vm.name))
    })
    .await;
    let focused = shadow(&host).active_element().unwrap();
    assert!(dialog_element.contains(Some(&*focused)), "the focus moved into the dialog");
    wait_for("the form", 10, || form_ready(&host)).await;

    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let escape = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input(&host, "input[name=confirm-name]").dispatch_event(&escape).unwrap();
    wait_for("the dialog closed", 5, || !dialog(&host).open()).await;
    wait_for("the focus back on the button", 5, || {
        shadow(&host).active_element().is_some_and(|a| a == *opener.unchecked_ref::<web_sys::Element>())
    })
    .await;
    assert!(first(&host, "dialog form").is_none(), "a closed dialog keeps no form in the page");
}

#[wasm_bindgen_test]
async fn an_html_error_page_while_loading_is_shown_clearly_in_polish_and_retry_recovers() {
    let client = host_session_client().await;
    let vm = restorable_vm(&client, 2).await;
    set_faults(serde_json::json!({"errorRate": 1.0, "htmlErrors": true})).await;
    let (host, _mounted) = open_dialog(client, Lang::Pl, &vm.id).await;
    // On a right-to-left page, whose sentences must still read in order.
    host.set_attribute("dir", "rtl").unwrap();
    wait_for("an alert", 10, || !alerts(&host).is_empty()).await;
    set_faults(serde_json::json!({"errorRate": 0.0, "htmlErrors": false})).await;
    assert!(assert_sentences_read_in_order(&host) >= 2, "the alert's summary and the retry button");
    let alert = alerts(&host).remove(0);
    assert!(alert.contains("Serwer kopii zapasowych zgłosił błąd"), "Polish summary: {alert}");
    assert!(alert.contains("HTTP 502"), "{alert}");
    assert!(!alert.contains('<'), "no page source: {alert}");
    click(&first(&host, "dialog [role=alert] button").unwrap());
    wait_for("the form after retry", 10, || form_ready(&host) && alerts(&host).is_empty()).await;
    let title = text(&first(&host, "dialog h2").unwrap());
    assert_eq!(title, format!("Przywracanie maszyny {}", vm.name));
    let prompt = text(&first(&host, ".vmb-restore__prompt").unwrap());
    assert_eq!(prompt, format!("Aby potwierdzić, wpisz nazwę maszyny wirtualnej: {}", vm.name));
    assert_eq!(text(&submit_button(&host).unwrap()), "Przywróć");
    assert!(text(&first(&host, ".vmb-restore__summary").unwrap()).contains("Podsumowanie"));
    // The title, labels, the hint ending in a full stop, the summary's sentences and the typed-name prompt.
    assert!(assert_sentences_read_in_order(&host) >= 10);
}

#[wasm_bindgen_test]
async fn failed_submissions_say_what_happened_keep_the_form_and_send_nothing_twice() {
    let client = host_session_client().await;
    let vm = restorable_vm(&client, 3).await;
    let before = restore_tasks(&client, &vm.id).await.len();
    let (host, _mounted) = open_dialog(client.clone(), Lang::En, &vm.id).await;
    let started = listen(&host, "vmb-restore-started");
    wait_for("the form", 10, || form_ready(&host)).await;
    // This one goes to a stand-alone hypervisor.
    click(&first(&host, "input[type=radio][value=hypervisor]").unwrap());
    wait_for("the hypervisors", 10, || {
        first(&host, "label[for$=target]").is_some_and(|l| text(&l) == "Stand-alone hypervisor")
            && !all(&host, "select[name=target] option").is_empty()
    })
    .await;
    let target: web_sys::HtmlSelectElement = first(&host, "select[name=target]").unwrap().dyn_into().unwrap();
    wait_for("a hypervisor chosen", 5, || !target.value().is_empty()).await;
    let hypervisor = target.value();
    let new_name = format!("retried-{}", client.now_ms());
    type_text(&input(&host, "input[name=new-name]"), &new_name);
    type_text(&input(&host, "input[name=confirm-name]"), &vm.name);
    let submit = submit_button(&host).unwrap();
    wait_for("the restore button enabled", 5, || !submit.disabled()).await;

    // A proxy's HTML 502 to the submission: its fate is unknown, and the look-up fails too.
    set_faults(serde_json::json!({"errorRate": 1.0, "htmlErrors": true})).await;
    submit.click();
    wait_for("the unconfirmed notice", 10, || alerts(&host).iter().any(|a| a.contains("did not confirm"))).await;
    // While the widget asks again whether it started, another click could start a second restore.
    wait_for("the check", 5, || text(&first(&host, "dialog").unwrap()).contains("Checking")).await;
    pause(3_500).await;
    assert!(submit.disabled(), "Restore waits for the look-up");
    submit.click();
    // The server answers again: the restore is not there, and Restore is offered again.
    set_faults(serde_json::json!({"errorRate": 0.0, "htmlErrors": false})).await;
    wait_for("the restore button enabled", 10, || !submit.disabled()).await;
    assert!(alerts(&host).iter().any(|a| a.contains("did not confirm")), "{:?}", alerts(&host));
    // The server's own error answer.
    set_faults(serde_json::json!({"errorRate": 1.0, "htmlErrors": false})).await;
    submit.click();
    wait_for("the server error", 10, || {
        alerts(&host).iter().any(|a| a.contains("The backup server reported an error.") && a.contains("HTTP 500"))
    })
    .await;
    set_faults(serde_json::json!({"errorRate": 0.0, "htmlErrors": false})).await;
    assert!(alerts(&host).iter().all(|a| !a.contains('<')), "{:?}", alerts(&host));
    assert_eq!(restore_tasks(&client, &vm.id).await.len(), before, "no failed submission created a task");
    assert_eq!(input(&host, "input[name=new-name]").value(), new_name, "what the user typed is kept");
    assert_eq!(input(&host, "input[name=confirm-name]").value(), vm.name);

    wait_for("the restore button enabled", 5, || !submit.disabled()).await;
    submit.click();
    wait_for("the progress", 10, || first(&host, "dialog .vmb-restore__progress").is_some()).await;
    assert_eq!(restore_tasks(&client, &vm.id).await.len(), before + 1);
    wait_for("the restore to finish", 40, || {
        first(&host, "dialog .vmb-restore__stage")
            .is_some_and(|s| text(&s).contains(&format!("Restored as {new_name}")))
    })
    .await;
    let restored = client.call(&ListVms::page(0, 10).name_like(&new_name)).await.unwrap().items;
    assert_eq!(restored.len(), 1);
    assert_eq!(restored[0].hypervisor.as_ref().map(|h| h.id.as_str()), Some(hypervisor.as_str()), "on the chosen host");
    // The first submission's look-ups ended when the server said it held no such restore: they never took the
    // later restore for theirs.
    assert_eq!(started.borrow().len(), 1, "one vmb-restore-started: {:?}", started.borrow());
}

#[wasm_bindgen_test]
async fn an_expired_session_at_submission_prompts_and_the_restore_goes_on_after_login() {
    let client = host_session_client().await;
    let vm = restorable_vm(&client, 4).await;
    let before = restore_tasks(&client, &vm.id).await.len();
    let (host, _mounted) = open_dialog(client.clone(), Lang::En, &vm.id).await;
    wait_for("the form", 10, || form_ready(&host)).await;
    type_text(&input(&host, "input[name=confirm-name]"), &vm.name);
    let submit = submit_button(&host).unwrap();
    wait_for("the restore button enabled", 5, || !submit.disabled()).await;
    control(HttpRequest::post("/__sim/expire-sessions")).await;
    submit.click();
    wait_for("the session prompt in the dialog", 10, || {
        alerts(&host).iter().any(|a| a.contains("Your session has expired"))
    })
    .await;
    assert_eq!(alerts(&host).len(), 1, "the prompt alone, not an error as well: {:?}", alerts(&host));
    client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
    let resume =
        all(&host, "dialog [role=alert] button").into_iter().find(|b| text(b).contains("logged in again")).unwrap();
    click(&resume);
    assert_eq!(restore_tasks(&client, &vm.id).await.len(), before, "the refused submission created nothing");
    wait_for("the form again", 10, || form_ready(&host) && alerts(&host).is_empty()).await;
    wait_for("the restore button enabled", 5, || !submit.disabled()).await;
    submit.click();
    wait_for("the progress", 10, || first(&host, "dialog .vmb-restore__progress").is_some()).await;
    assert_eq!(restore_tasks(&client, &vm.id).await.len(), before + 1);
}

#[wasm_bindgen_test]
async fn hostile_vm_names_render_as_text_in_the_title_summary_and_prompt() {
    let client = host_session_client().await;
    let mut checked = 0;
    for needle in ["onerror", "script", "bold"] {
        let vm = client.call(&ListVms::page(0, 5).name_like(needle)).await.unwrap().items.remove(0);
        assert!(vm.name.contains('<'), "the simulator runs with --hostile-names: {}", vm.name);
        let restorable = client.call(&ListBackups::of_vm(&vm.id).restorable().page(0, 1)).await.unwrap();
        if restorable.items.is_empty() {
            continue;
        }
        let (host, mounted) = open_dialog(client.clone(), Lang::En, &vm.id).await;
        wait_for("the form", 10, || form_ready(&host)).await;
        let title = text(&first(&host, "dialog h2").unwrap());
        assert_eq!(title, format!("Restore {}", vm.name));
        let prompt = text(&first(&host, ".vmb-restore__prompt").unwrap());
        assert_eq!(prompt, format!("To confirm, type the name of the virtual machine: {}", vm.name));
        let summary = text(&first(&host, ".vmb-restore__summary").unwrap());
        assert!(summary.contains(&format!("named {} will be created", vm.name)), "{summary}");
        assert!(all(&host, "img, script, b").is_empty(), "markup from {:?} became elements", vm.name);
        let confirm = input(&host, "input[name=confirm-name]");
        type_text(&confirm, &vm.name);
        let submit = submit_button(&host).unwrap();
        wait_for("the hostile name confirms exactly", 5, || !submit.disabled()).await;
        click(&all(&host, "dialog .vmb-dialog__actions button")[0]);
        wait_for("the dialog closed", 5, || !dialog(&host).open()).await;
        drop(mounted);
        host.remove();
        checked += 1;
    }
    assert!(checked > 0, "a hostile-named VM with a restorable backup");
    assert!(injected().is_undefined(), "a payload ran");
}

#[wasm_bindgen_test]
async fn a_backup_chosen_in_the_history_opens_the_dialog_with_that_backup() {
    let client = host_session_client().await;
    let mut vm = None;
    for skip in 5..40 {
        let candidate = restorable_vm(&client, skip).await;
        let restorable = client.call(&ListBackups::of_vm(&candidate.id).restorable().page(0, 10)).await.unwrap();
        if restorable.items.len() >= 2 {
            vm = Some(candidate);
            break;
        }
    }
    let vm = vm.expect("a VM with two restorable backups");
    let (host, _mounted) = mount(client, Lang::En, {
        let id = vm.id.clone();
        move || {
            let chosen: RwSignal<Option<String>> = RwSignal::new(None);
            let open = ErasedSignal::new(false);
            let on_select = Callback::new(move |backup: Backup| {
                chosen.set(Some(backup.id));
                open.set(true);
            });
            view! {
                <BackupHistory vm=id.clone() on_select=on_select />
                <RestoreDialog vm=id backup=chosen open=open />
            }
        }
    });
    wait_for("the history", 10, || all(&host, "tbody td.vmb-history__actions button").len() >= 2).await;
    assert!(first(&host, ".vmb-restore__open").is_none(), "the host opens the dialog, so it has no button of its own");
    // The older of the two restorable backups: not the one the dialog would take by itself.
    let buttons = all(&host, "tbody td.vmb-history__actions button");
    let older = buttons.last().unwrap().clone();
    let older_row_time = text(&older.closest("tr").unwrap().unwrap().query_selector("td").unwrap().unwrap());
    older.dyn_ref::<HtmlElement>().unwrap().focus().unwrap();
    click(&older);
    wait_for("the open dialog", 10, || dialog(&host).open()).await;
    wait_for("the form", 10, || form_ready(&host)).await;
    let select: web_sys::HtmlSelectElement = first(&host, "select[name=backup]").unwrap().dyn_into().unwrap();
    wait_for("the chosen backup preselected", 5, || {
        select.selected_index() > 0
            && select
                .get(select.selected_index() as u32)
                .map(|o| text(&o))
                .unwrap_or_default()
                .starts_with(&older_row_time)
    })
    .await;
    let summary = text(&first(&host, ".vmb-restore__summary").unwrap());
    assert!(summary.contains(&older_row_time), "the summary names the chosen backup: {summary}");
    click(&all(&host, "dialog .vmb-dialog__actions button")[0]);
    wait_for("the dialog closed", 5, || !dialog(&host).open()).await;
    wait_for("the focus back on the history's button", 5, || shadow(&host).active_element().as_ref() == Some(&older))
        .await;
}

/// How many restore submissions the simulator has answered so far.
async fn restore_posts() -> u64 {
    requests_answered("POST /api/tasks/restore-and-import").await
}

#[wasm_bindgen_test]
async fn a_read_only_user_is_refused_clearly_keeps_the_form_and_each_click_sends_one_request() {
    let client = host_session_client().await;
    let vm = restorable_vm(&client, 5).await;
    let before = restore_tasks(&client, &vm.id).await.len();
    // The simulator's viewer may read backups but not restore: the server refuses, the widget does not guess.
    client.call(&Login::new("viewer", "viewer-pass")).await.unwrap();
    let (host, _mounted) = open_dialog(client.clone(), Lang::En, &vm.id).await;
    let started = listen(&host, "vmb-restore-started");
    let errors = listen(&host, "vmb-error");
    wait_for("the form", 10, || form_ready(&host)).await;
    let new_name = format!("refused-{}", client.now_ms());
    type_text(&input(&host, "input[name=new-name]"), &new_name);
    type_text(&input(&host, "input[name=confirm-name]"), &vm.name);
    let submit = submit_button(&host).unwrap();
    wait_for("the restore button enabled", 5, || !submit.disabled()).await;
    let posts_before = restore_posts().await;

    submit.click();
    wait_for("the refusal", 10, || alerts(&host).iter().any(|a| a.contains("You do not have permission to do this.")))
        .await;
    assert_eq!(alerts(&host).len(), 1, "{:?}", alerts(&host));
    assert!(alerts(&host)[0].contains("HTTP 403"), "{:?}", alerts(&host));
    assert!(first(&host, "dialog [role=alert] button").is_none(), "no retry that cannot help");
    // Long enough for a retry or a lookup to show up: none comes.
    pause(2_000).await;
    assert_eq!(restore_posts().await - posts_before, 1, "one POST for one click");
    assert!(first(&host, "dialog .vmb-restore__progress").is_none(), "nothing claims to have started");
    assert!(started.borrow().is_empty(), "no vmb-restore-started: {:?}", started.borrow());
    assert_eq!(errors.borrow().last().unwrap()["kind"], "forbidden");
    assert!(dialog(&host).open(), "the dialog stays open");
    assert_eq!(input(&host, "input[name=new-name]").value(), new_name, "what the user typed is kept");
    assert_eq!(input(&host, "input[name=confirm-name]").value(), vm.name);

    // Asking again is the user's choice, and is again one request.
    wait_for("the restore button enabled", 5, || !submit.disabled()).await;
    submit.click();
    wait_for("the second refusal", 10, || errors.borrow().len() == 2).await;
    pause(1_000).await;
    assert_eq!(restore_posts().await - posts_before, 2, "one more POST for the second click");
    client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
    assert_eq!(restore_tasks(&client, &vm.id).await.len(), before, "no restore task on the server");
}

/// Fills the open dialog's form for a restore of `vm` under a new name starting with `prefix`; returns the enabled
/// Restore button.
async fn ready_to_restore(host: &HtmlElement, client: &Client, vm: &Vm, prefix: &str) -> HtmlButtonElement {
    wait_for("the form", 10, || form_ready(host)).await;
    type_text(&input(host, "input[name=new-name]"), &format!("{prefix}-{}", client.now_ms()));
    type_text(&input(host, "input[name=confirm-name]"), &vm.name);
    let submit = submit_button(host).unwrap();
    wait_for("the restore button enabled", 5, || !submit.disabled()).await;
    submit
}

/// After `reached` copies of one restore of `vm` reached the server: waits until all but one are cancelled (a
/// running task ends cancelled on the server's next step, not at once) and returns the one that goes on.
async fn the_one_restore_going_on(client: &Client, vm: &Vm, before: &[String], reached: u64) -> Task {
    let new_tasks = || async {
        restore_tasks(client, &vm.id).await.into_iter().filter(|t| !before.contains(&t.id)).collect::<Vec<_>>()
    };
    let mut tasks = Vec::new();
    for _ in 0..50 {
        tasks = new_tasks().await;
        if tasks.iter().filter(|t| t.state == TaskState::Cancelled).count() as u64 + 1 >= reached {
            break;
        }
        pause(200).await;
    }
    let states: Vec<TaskState> = tasks.iter().map(|t| t.state.clone()).collect();
    assert_eq!(states.len() as u64, reached, "one task per copy that reached the server: {states:?}");
    assert_eq!(states.iter().filter(|s| **s == TaskState::Cancelled).count() as u64, reached - 1, "{states:?}");
    let mut going: Vec<Task> = tasks.into_iter().filter(|t| !t.state.is_terminal()).collect();
    assert_eq!(going.len(), 1, "one restore goes on: {states:?}");
    going.remove(0)
}

fn copies_note(host: &HtmlElement) -> Option<String> {
    first(host, "dialog .vmb-restore__copies").map(|note| text(&note))
}

#[wasm_bindgen_test]
async fn copies_a_browser_resend_made_are_cancelled_one_restore_goes_on_and_the_user_is_told() {
    let client = host_session_client().await;
    let vm = restorable_vm(&client, 6).await;
    let before: Vec<String> = restore_tasks(&client, &vm.id).await.into_iter().map(|t| t.id).collect();
    let task_seconds = sim_get("/__sim/faults").await["taskSeconds"].clone();
    let (host, _mounted) = open_dialog(client.clone(), Lang::En, &vm.id).await;
    let started = listen(&host, "vmb-restore-started");
    let submit = ready_to_restore(&host, &client, &vm, "resent").await;
    let posts_before = restore_posts().await;

    // A load balancer closes the connection without a reply after the server acted; Chromium itself resends a
    // POST whose reused connection closed that way. The latency holds each request for a while, so the proxy can
    // recover (the fault is read when a request arrives) once the first copy has reached the server and before
    // the widget looks for it. Tasks run long enough that no copy finishes (a finished one cannot be cancelled).
    set_faults(serde_json::json!({"dropRate": 1.0, "latencyMs": 1_500, "taskSeconds": 120})).await;
    submit.click();
    for _ in 0..200 {
        if restore_posts().await > posts_before {
            break;
        }
        pause(50).await;
    }
    set_faults(serde_json::json!({"dropRate": 0.0, "latencyMs": 0})).await;
    wait_for("the progress", 30, || first(&host, "dialog .vmb-restore__progress").is_some()).await;
    let reached = restore_posts().await - posts_before;
    assert!(reached >= 2, "Chromium resent the dropped restore: {reached} copies reached the server");
    let going = the_one_restore_going_on(&client, &vm, &before, reached).await;
    assert_eq!(
        copies_note(&host).unwrap(),
        format!(
            "The restore request reached the server more than once; the extra restores were cancelled: {}.",
            reached - 1
        )
    );
    assert_eq!(started.borrow().len(), 1, "one vmb-restore-started");
    assert_eq!(started.borrow()[0]["taskIds"], serde_json::json!([going.id]), "it names the restore that goes on");
    set_faults(serde_json::json!({"taskSeconds": task_seconds})).await;
}

#[wasm_bindgen_test]
async fn a_restore_lost_behind_a_dropping_proxy_is_found_once_the_proxy_recovers_and_its_copies_are_cancelled() {
    let client = host_session_client().await;
    let vm = restorable_vm(&client, 7).await;
    let before: Vec<String> = restore_tasks(&client, &vm.id).await.into_iter().map(|t| t.id).collect();
    let task_seconds = sim_get("/__sim/faults").await["taskSeconds"].clone();
    let (host, _mounted) = open_dialog(client.clone(), Lang::Pl, &vm.id).await;
    let started = listen(&host, "vmb-restore-started");
    let submit = ready_to_restore(&host, &client, &vm, "lost").await;
    let posts_before = restore_posts().await;

    // Every answer is dropped, the widget's look-up included: it says so and keeps asking, sending nothing again.
    set_faults(serde_json::json!({"dropRate": 1.0, "taskSeconds": 120})).await;
    submit.click();
    wait_for("the unconfirmed notice", 20, || {
        alerts(&host).iter().any(|a| a.contains("Serwer nie potwierdził żądania"))
    })
    .await;
    wait_for("the checking note", 5, || {
        first(&host, "dialog [role=status] .vmb-restore__checking")
            .is_some_and(|n| text(&n) == "Sprawdzanie na serwerze, czy przywracanie się rozpoczęło…")
    })
    .await;
    let reached = restore_posts().await - posts_before;
    pause(4_000).await;
    assert_eq!(restore_posts().await - posts_before, reached, "asking again never resubmits");

    set_faults(serde_json::json!({"dropRate": 0.0})).await;
    wait_for("the progress", 20, || first(&host, "dialog .vmb-restore__progress").is_some()).await;
    assert!(reached >= 2, "Chromium resent the dropped restore: {reached} copies reached the server");
    let going = the_one_restore_going_on(&client, &vm, &before, reached).await;
    assert!(alerts(&host).is_empty(), "the notice is gone once the restore is found: {:?}", alerts(&host));
    assert!(first(&host, "dialog .vmb-restore__checking").is_none());
    let notes: Vec<String> = all(&host, "dialog .vmb-alert--info").iter().map(text).collect();
    assert_eq!(
        notes,
        [
            "Odpowiedź serwera zaginęła, ale znaleziono zadanie przywracania: nie zostało uruchomione dwukrotnie."
                .to_string(),
            format!(
                "Żądanie przywrócenia dotarło do serwera więcej niż raz; anulowano dodatkowe przywracania: {}.",
                reached - 1
            ),
        ]
    );
    assert_eq!(started.borrow().len(), 1, "one vmb-restore-started");
    assert_eq!(started.borrow()[0]["taskIds"], serde_json::json!([going.id]));
    set_faults(serde_json::json!({"taskSeconds": task_seconds})).await;
}
