//! PolicyPanel in headless Chromium against the simulator: a policy of the test's own with its rule, schedule
//! and destination; a VM assigned and removed (from the search and from the VM's own view); what a project
//! user and a read-only user are not offered; errors, hostile names and Polish texts.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use leptos::prelude::*;
use vmbackup_client::Client;
use vmbackup_core::domain::{
    AutoAssignMode, BackupType, DestinationRole, Policy, Ref, Rule, RuleDestination, Schedule, ScheduleTiming,
    ScheduleType, Vm, Weekday,
};
use vmbackup_core::storware::inventory::ListBackupDestinations;
use vmbackup_core::storware::policies::{ui_default_retention, AssignVms, CreatePolicy, DeletePolicy, GetPolicy};
use vmbackup_core::storware::schedules::{CreateSchedule, DeleteSchedule};
use vmbackup_core::storware::session::Login;
use vmbackup_core::storware::vms::{GetVm, ListVms};
use vmbackup_ui::i18n::Lang;
use vmbackup_ui::widgets::policy_panel::PolicyPanel;
use vmbackup_ui::widgets::schedule_form::ScheduleForm;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The note of a session without `VE_BACKUP_SLA_WRITE`.
const READ_ONLY_NOTE: &str = "You can see the policies but not change them: ask your backup administrator.";

/// A name no other test (or earlier run against the same simulator) uses.
fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", (js_sys::Math::random() * 1e12) as u64)
}

/// What a test creates for itself, removed again by [`Fixture::remove`].
struct Fixture {
    schedule: Schedule,
    policy: Policy,
    destination: String,
    vm: Vm,
}

impl Fixture {
    /// A weekly schedule, a policy with one rule that uses it and stores at the first destination, and a VM that
    /// has no policy (picked at random, so that suites sharing the simulator do not reach for the same one).
    async fn create(client: &Client, policy_name: &str) -> Fixture {
        let schedule = client
            .call(&CreateSchedule::new(Schedule {
                id: None,
                name: unique("panel-weekly"),
                active: true,
                kind: ScheduleType::VmBackup,
                backup_type: BackupType::Full,
                timing: ScheduleTiming::Time { time_of_day_ms: 7_200_000, start_window_ms: Some(3_600_000) },
                days_of_week: vec![Weekday::Saturday],
                months: vec![],
                occurrences: vec![],
                rules: vec![],
                policies: vec![],
                server_fields: Default::default(),
            }))
            .await
            .unwrap();
        let destination = client.call(&ListBackupDestinations::all()).await.unwrap().items.remove(0);
        let rule = Rule {
            id: None,
            name: "Weekly to disk".into(),
            active: true,
            position: Some(0),
            policy: None,
            schedules: vec![Ref::named(schedule.id.clone().unwrap(), schedule.name.clone())],
            destinations: vec![RuleDestination {
                id: None,
                destination: Ref::named(destination.id.clone(), destination.name.clone()),
                role: DestinationRole::Primary,
                active: true,
                retention_lock_days: 0,
                retention: ui_default_retention(),
            }],
            server_fields: Default::default(),
        };
        let policy = client
            .call(&CreatePolicy::new(Policy {
                id: None,
                name: policy_name.into(),
                active: true,
                priority: 42,
                retry_count: 0,
                auto_remove_non_present: false,
                auto_assign: AutoAssignMode::Disabled,
                vms: vec![],
                rules: vec![rule],
                projects: vec![],
                visible_for_all_projects: true,
                vm_count: None,
                server_fields: Default::default(),
            }))
            .await
            .unwrap();
        let page = (js_sys::Math::random() * 20.0) as u32 + 1;
        let candidates: Vec<Vm> = client
            .call(&ListVms::page(page, 100))
            .await
            .unwrap()
            .items
            .into_iter()
            .filter(|vm| {
                vm.protection.policy.is_none() && vm.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            .collect();
        assert!(!candidates.is_empty(), "page {page} has VMs without a policy");
        let vm = candidates[(js_sys::Math::random() * candidates.len() as f64) as usize].clone();
        Fixture { schedule, policy, destination: destination.name, vm }
    }

    fn policy_id(&self) -> String {
        self.policy.id.clone().unwrap()
    }

    async fn remove(self, client: &Client) {
        client.call(&DeletePolicy::new(self.policy_id())).await.unwrap();
        client.call(&DeleteSchedule::new(self.schedule.id.unwrap())).await.unwrap();
    }
}

fn toggle_of(host: &HtmlElement, policy: &str) -> Option<Element> {
    all(host, ".vmb-policy__toggle").into_iter().find(|b| text(b).contains(policy))
}

fn row_of(host: &HtmlElement, policy: &str) -> Element {
    toggle_of(host, policy).unwrap().closest(".vmb-policy").unwrap().unwrap()
}

fn by_label(host: &HtmlElement, label: &str) -> Option<Element> {
    all(host, "[aria-label]").into_iter().find(|e| e.get_attribute("aria-label").as_deref() == Some(label))
}

fn status(host: &HtmlElement) -> String {
    first(host, ".vmb-status").map(|e| text(&e)).unwrap_or_default()
}

fn dialog_button(host: &HtmlElement, label: &str) -> Element {
    all(host, "[role=dialog] button").into_iter().find(|b| text(b) == label).unwrap()
}

async fn policy_vms(client: &Client, id: &str) -> Vec<String> {
    client.call(&GetPolicy::new(id)).await.unwrap().vms.into_iter().map(|r| r.id).collect()
}

async fn vm_policy(client: &Client, id: &str) -> Option<String> {
    client.call(&GetVm::new(id)).await.unwrap().protection.policy.map(|p| p.id)
}

#[wasm_bindgen_test]
async fn a_policy_shows_its_rule_and_a_vm_is_assigned_and_removed() {
    let client = host_session_client().await;
    let policy = unique("panel-gold");
    let fixture = Fixture::create(&client, &policy).await;
    let vm = fixture.vm.name.clone();
    let (host, _mounted) = mount(client.clone(), Lang::En, || view! { <PolicyPanel /> });
    wait_for("the test's policy", 10, || toggle_of(&host, &policy).is_some()).await;
    let toggle = toggle_of(&host, &policy).unwrap();
    assert_eq!(toggle.get_attribute("aria-expanded").as_deref(), Some("false"));
    let head = text(&row_of(&host, &policy));
    assert!(head.contains("Priority 42") && head.contains("0 VMs") && head.contains("Active"), "{head}");
    assert!(!text(&first(&host, "section").unwrap()).contains(READ_ONLY_NOTE), "the administrator may change");

    click(&toggle);
    wait_for("the rules", 10, || text(&row_of(&host, &policy)).contains("Weekly to disk")).await;
    assert_eq!(toggle.get_attribute("aria-expanded").as_deref(), Some("true"));
    let body_id = toggle.get_attribute("aria-controls").unwrap();
    let body = text(&first(&host, &format!("#{body_id}")).unwrap());
    assert!(body.contains(&fixture.schedule.name), "the rule's schedule: {body}");
    assert!(body.contains(&format!("{} (primary)", fixture.destination)), "the rule's destination: {body}");
    assert!(body.contains("No VMs are assigned to this policy."), "{body}");

    let search = by_label(&host, "Find a VM by name").unwrap();
    type_text(&search, &vm);
    let project = fixture.vm.project.as_ref().and_then(|p| p.name.clone()).unwrap();
    let assign_label = format!("Assign {vm} ({project}) to {policy}");
    wait_for("the VM in the search", 10, || by_label(&host, &assign_label).is_some()).await;
    click(&by_label(&host, &assign_label).unwrap());
    wait_for("assigned", 10, || status(&host).contains(&format!("{vm} ({project}) assigned to the policy {policy}.")))
        .await;
    let remove_label = format!("Remove {vm} from {policy}");
    wait_for("the VM among the assigned", 10, || by_label(&host, &remove_label).is_some()).await;
    assert_eq!(policy_vms(&client, &fixture.policy_id()).await, vec![fixture.vm.id.clone()]);
    assert_eq!(vm_policy(&client, &fixture.vm.id).await, Some(fixture.policy_id()));
    wait_for("the count", 10, || text(&row_of(&host, &policy)).contains("1 VMs")).await;
    let here = by_label(&host, &assign_label).unwrap();
    assert!(here.dyn_ref::<web_sys::HtmlButtonElement>().unwrap().disabled(), "already in this policy");

    click(&by_label(&host, &remove_label).unwrap());
    wait_for("the dialog", 10, || first(&host, "[role=dialog]").is_some()).await;
    let question = text(&first(&host, "[role=dialog]").unwrap());
    assert!(question.contains(&format!("Remove {vm} from the policy {policy}?")), "{question}");
    click(&dialog_button(&host, "Remove from policy"));
    wait_for("removed", 10, || status(&host).contains(&format!("{vm} removed from the policy {policy}."))).await;
    wait_for("no VMs again", 10, || text(&row_of(&host, &policy)).contains("No VMs are assigned")).await;
    assert!(policy_vms(&client, &fixture.policy_id()).await.is_empty());
    assert_eq!(vm_policy(&client, &fixture.vm.id).await, None);
    fixture.remove(&client).await;
}

#[wasm_bindgen_test]
async fn polish_sentences_read_in_order_on_a_right_to_left_page() {
    let client = host_session_client().await;
    let policy = unique("panel-rtl");
    let fixture = Fixture::create(&client, &policy).await;
    let vm_id = fixture.vm.id.clone();
    let (host, _mounted) = mount(client.clone(), Lang::Pl, move || view! { <PolicyPanel vm=vm_id /> });
    host.set_attribute("dir", "rtl").unwrap();
    wait_for("the VM's state", 10, || text(&first(&host, "section").unwrap()).contains("nie ma polityki kopii")).await;
    wait_for("the test's policy", 10, || toggle_of(&host, &policy).is_some()).await;
    click(&toggle_of(&host, &policy).unwrap());
    wait_for("the rules", 10, || text(&row_of(&host, &policy)).contains("Harmonogramy:")).await;
    // "Maszyna … nie ma polityki kopii, więc …", "Harmonogramy:", "Do tej polityki nie przypisano maszyn.", …
    assert!(assert_sentences_read_in_order(&host) >= 10);
    fixture.remove(&client).await;
}

#[wasm_bindgen_test]
async fn a_project_user_is_offered_no_change_to_a_policy_shared_by_all_projects() {
    let client = host_session_client().await;
    let policy = unique("panel-shared");
    let fixture = Fixture::create(&client, &policy).await;
    let shared = client.call(&GetPolicy::new(fixture.policy_id())).await.unwrap();
    assert!(shared.projects.is_empty(), "the test's policy belongs to no project");

    client.call(&Login::new("tenant-a", "tenant-a-pass")).await.unwrap();
    let outsider = client
        .call(&ListVms::page(0, 100))
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|vm| vm.protection.policy.is_none() && !vm.name.contains('<'))
        .expect("a VM of Project A without a policy");
    // What the panel must not offer: the server refuses it.
    let refused = client.call(&AssignVms::assign(shared, &[Ref::id(outsider.id.clone())]).unwrap()).await;
    assert_eq!(refused.unwrap_err().status, Some(403));

    let vm_id = outsider.id.clone();
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <PolicyPanel vm=vm_id /> });
    wait_for("the shared policy", 10, || toggle_of(&host, &policy).is_some()).await;
    let own =
        all(&host, ".vmb-policy").into_iter().find(|row| !text(row).contains(&policy)).expect("a policy of Project A");
    assert!(text(&own).contains("Assign this VM"), "Project A's own policy offers it: {}", text(&own));
    assert!(!text(&first(&host, "section").unwrap()).contains(READ_ONLY_NOTE), "a project user may change");
    assert!(!text(&row_of(&host, &policy)).contains("Assign this VM"), "{}", text(&row_of(&host, &policy)));
    click(&toggle_of(&host, &policy).unwrap());
    wait_for("the rules", 10, || text(&row_of(&host, &policy)).contains("Weekly to disk")).await;
    let body = row_of(&host, &policy);
    assert!(text(&body).contains("Shared by all projects: only a backup administrator"), "{}", text(&body));
    assert!(by_label(&host, "Find a VM by name").is_none(), "no search to assign from");

    client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
    fixture.remove(&client).await;
}

#[wasm_bindgen_test]
async fn a_read_only_user_sees_policies_rules_and_vms_but_no_change_and_a_note_why() {
    let client = host_session_client().await;
    let policy = unique("panel-viewed");
    let fixture = Fixture::create(&client, &policy).await;
    let with_vm = client
        .call(&AssignVms::assign(fixture.policy.clone(), &[Ref::id(fixture.vm.id.clone())]).unwrap())
        .await
        .unwrap();

    client.call(&Login::new("viewer", "viewer-pass")).await.unwrap();
    // What the panel must not offer: the server refuses it.
    let refused = client.call(&AssignVms::unassign(with_vm, &[Ref::id(fixture.vm.id.clone())]).unwrap()).await;
    assert_eq!(refused.unwrap_err().status, Some(403));

    let vm = fixture.vm.name.clone();
    let vm_id = fixture.vm.id.clone();
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <PolicyPanel vm=vm_id /> });
    let section = || text(&first(&host, "section").unwrap());
    wait_for("the VM's policy", 10, || section().contains(&format!("{vm} is backed up by the policy {policy}."))).await;
    wait_for("the test's policy", 10, || toggle_of(&host, &policy).is_some()).await;
    assert_eq!(section().matches(READ_ONLY_NOTE).count(), 1, "the note, once: {}", section());
    assert!(all(&host, ".vmb-policy").len() > 1, "every project's policies are listed");
    click(&toggle_of(&host, &policy).unwrap());
    wait_for("the rules", 10, || text(&row_of(&host, &policy)).contains("Weekly to disk")).await;
    let body = text(&row_of(&host, &policy));
    assert!(body.contains(&fixture.schedule.name) && body.contains("Assigned VMs (1)"), "{body}");
    assert!(all(&host, ".vmb-vm-list__item").iter().any(|item| text(item).contains(&vm)), "the VM is listed: {body}");
    // The only controls are the policies' toggles: no Assign, Remove or VM search anywhere.
    let visible_buttons: Vec<String> = all(&host, "button")
        .iter()
        .filter(|b| b.closest("[hidden]").unwrap().is_none() && !b.matches(".vmb-policy__toggle").unwrap())
        .map(text)
        .collect();
    assert!(visible_buttons.is_empty(), "{visible_buttons:?}");
    assert!(by_label(&host, "Find a VM by name").is_none(), "no search to assign from");
    assert!(!body.contains("Shared by all projects"), "the panel's note says it for every policy");

    client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
    fixture.remove(&client).await;
}

/// The visible buttons of `host` that would change something: all but the policies' toggles.
fn offered_changes(host: &HtmlElement) -> Vec<String> {
    all(host, "button")
        .iter()
        .filter(|b| b.closest("[hidden]").unwrap().is_none() && !b.matches(".vmb-policy__toggle").unwrap())
        .map(text)
        .collect()
}

#[wasm_bindgen_test]
async fn a_panel_and_a_schedule_form_over_one_client_ask_once_and_a_viewer_is_never_offered_a_change() {
    let client = host_session_client().await;
    let policy = unique("panel-asked-once");
    let fixture = Fixture::create(&client, &policy).await;
    client.call(&Login::new("viewer", "viewer-pass")).await.unwrap();
    let asked_before = requests_answered("GET /api/session/user").await;
    // Slow answers, so that a change offered before the privileges come would be seen.
    set_faults(serde_json::json!({"latencyMs": 1_500})).await;
    let vm_id = fixture.vm.id.clone();
    let (panel, _panel_mounted) = mount(client.clone(), Lang::En, move || view! { <PolicyPanel vm=vm_id /> });
    let (form, _form_mounted) = mount(client.clone(), Lang::En, move || view! { <ScheduleForm /> });
    let trial_note = "You can try out times and see the next runs, but not create schedules";
    let mut offered = Vec::new();
    for _ in 0..600 {
        offered.extend(offered_changes(&panel));
        if first(&form, "button[type=submit]").is_some() {
            offered.push("Save".to_string());
        }
        let panel_text = text(&first(&panel, "section").unwrap());
        if panel_text.contains(READ_ONLY_NOTE)
            && toggle_of(&panel, &policy).is_some()
            && text(&first(&form, "section").unwrap()).contains(trial_note)
        {
            break;
        }
        pause(25).await;
    }
    set_faults(serde_json::json!({"latencyMs": 0})).await;
    // The simulator logs a request once answered: a question still on its way (latency) is counted after it.
    pause(2_000).await;
    assert!(offered.is_empty(), "offered to a viewer: {offered:?}");
    assert!(text(&first(&panel, "section").unwrap()).contains(READ_ONLY_NOTE), "the panel's note");
    assert_eq!(requests_answered("GET /api/session/user").await - asked_before, 1, "one question for both widgets");

    client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
    fixture.remove(&client).await;
}

#[wasm_bindgen_test]
async fn an_open_policy_keeps_a_filter_being_typed_when_the_hosts_user_changes() {
    let client = host_session_client().await;
    let policy = unique("panel-switch");
    let fixture = Fixture::create(&client, &policy).await;
    let (host, _mounted) = mount(client.clone(), Lang::En, || view! { <PolicyPanel /> });
    wait_for("the test's policy", 10, || toggle_of(&host, &policy).is_some()).await;
    click(&toggle_of(&host, &policy).unwrap());
    wait_for("the VM search", 10, || by_label(&host, "Find a VM by name").is_some()).await;
    let filter = by_label(&host, "Filter the assigned VMs").unwrap();
    filter.dyn_ref::<HtmlElement>().unwrap().focus().unwrap();
    type_text(&filter, "web-");

    // The host logs in as a viewer on the same page and says so.
    client.call(&Login::new("viewer", "viewer-pass")).await.unwrap();
    vmbackup_ui::privileges::ask_again(&client);
    wait_for("the VM search gone", 10, || by_label(&host, "Find a VM by name").is_none()).await;
    assert!(filter.is_connected(), "the filter field was drawn again");
    assert_eq!(filter.dyn_ref::<HtmlInputElement>().unwrap().value(), "web-");
    assert!(shadow(&host).active_element().is_some_and(|e| e == filter), "the filter kept the focus");
    assert!(offered_changes(&host).is_empty(), "offered to a viewer: {:?}", offered_changes(&host));

    client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
    vmbackup_ui::privileges::ask_again(&client);
    wait_for("the VM search back", 10, || by_label(&host, "Find a VM by name").is_some()).await;
    assert!(filter.is_connected(), "the filter field was drawn again");
    fixture.remove(&client).await;
}

#[wasm_bindgen_test]
async fn about_one_vm_the_panel_says_its_policy_and_moves_it_in_and_out() {
    let client = host_session_client().await;
    let policy = unique("panel-silver");
    let fixture = Fixture::create(&client, &policy).await;
    let vm = fixture.vm.name.clone();
    let vm_id = fixture.vm.id.clone();
    let (host, _mounted) = mount(client.clone(), Lang::En, move || view! { <PolicyPanel vm=vm_id /> });
    wait_for("the VM's state", 10, || {
        text(&first(&host, "section").unwrap()).contains(&format!("{vm} has no backup policy"))
    })
    .await;
    wait_for("the test's policy", 10, || toggle_of(&host, &policy).is_some()).await;
    let head_button = |label: &str| {
        let buttons = row_of(&host, &policy).query_selector_all(".vmb-policy__head button").unwrap();
        (0..buttons.length()).filter_map(|i| buttons.item(i)?.dyn_into::<Element>().ok()).find(|b| text(b) == label)
    };
    let assign = head_button("Assign this VM").unwrap();
    click(&assign);
    let in_policy = format!("{vm} is backed up by the policy {policy}.");
    wait_for("the VM in the policy", 10, || text(&first(&host, "section").unwrap()).contains(&in_policy)).await;
    assert_eq!(vm_policy(&client, &fixture.vm.id).await, Some(fixture.policy_id()));

    let remove = || head_button("Remove this VM");
    wait_for("the remove button", 10, || remove().is_some()).await;
    click(&remove().unwrap());
    wait_for("the dialog", 10, || first(&host, "[role=dialog]").is_some()).await;
    wait_for("focus on Cancel", 5, || shadow(&host).active_element().is_some_and(|e| text(&e) == "Cancel")).await;
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    shadow(&host)
        .active_element()
        .unwrap()
        .dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap();
    wait_for("the dialog closed", 5, || first(&host, "[role=dialog]").is_none()).await;
    assert!(shadow(&host).active_element().is_some_and(|e| text(&e) == "Remove this VM"), "focus went back");
    assert_eq!(vm_policy(&client, &fixture.vm.id).await, Some(fixture.policy_id()), "Escape removed nothing");

    click(&remove().unwrap());
    wait_for("the dialog", 10, || first(&host, "[role=dialog]").is_some()).await;
    click(&dialog_button(&host, "Remove from policy"));
    wait_for("the VM out again", 10, || {
        text(&first(&host, "section").unwrap()).contains(&format!("{vm} has no backup policy"))
    })
    .await;
    assert_eq!(vm_policy(&client, &fixture.vm.id).await, None);
    fixture.remove(&client).await;
}

#[wasm_bindgen_test]
async fn an_html_502_is_a_clear_error_with_retry_and_the_texts_are_polish() {
    let client = host_session_client().await;
    let policy = unique("panel-bronze");
    let fixture = Fixture::create(&client, &policy).await;
    set_faults(serde_json::json!({"errorRate": 1.0, "htmlErrors": true})).await;
    let (host, _mounted) = mount(client.clone(), Lang::Pl, || view! { <PolicyPanel /> });
    wait_for("an alert", 10, || first(&host, ".vmb-alert[role=alert]").is_some()).await;
    set_faults(serde_json::json!({"errorRate": 0.0, "htmlErrors": false})).await;
    let alert = first(&host, ".vmb-alert[role=alert]").unwrap();
    let said = text(&alert);
    assert!(said.contains("Serwer kopii zapasowych zgłosił błąd") && said.contains("HTTP 502"), "{said}");
    assert!(!said.contains('<'), "no page source: {said}");
    let retry = alert.query_selector("button").unwrap().unwrap();
    assert_eq!(text(&retry), "Spróbuj ponownie");
    click(&retry);
    wait_for("the list after retry", 10, || toggle_of(&host, &policy).is_some()).await;
    assert!(first(&host, ".vmb-alert[role=alert]").is_none());
    assert_eq!(text(&first(&host, "h2").unwrap()), "Polityki kopii");
    click(&toggle_of(&host, &policy).unwrap());
    wait_for("the rules", 10, || text(&row_of(&host, &policy)).contains("Weekly to disk")).await;
    let row = text(&row_of(&host, &policy));
    for words in [
        "Reguły",
        "Harmonogramy:",
        "(główne)",
        "Przypisane maszyny (0)",
        "Do tej polityki nie przypisano maszyn.",
        "Priorytet 42",
    ] {
        assert!(row.contains(words), "{words} missing from: {row}");
    }
    assert!(by_label(&host, "Znajdź maszynę po nazwie").is_some());
    fixture.remove(&client).await;
}

#[wasm_bindgen_test]
async fn names_with_markup_render_as_text() {
    let client = host_session_client().await;
    let policy = unique(r#"<img src=x onerror="window.__vmbInjected=1">"#);
    let fixture = Fixture::create(&client, &policy).await;
    let (host, _mounted) = mount(client.clone(), Lang::En, || view! { <PolicyPanel /> });
    wait_for("the policy named with markup", 10, || toggle_of(&host, &policy).is_some()).await;
    click(&toggle_of(&host, &policy).unwrap());
    let search = || by_label(&host, "Find a VM by name");
    wait_for("the search", 10, || search().is_some()).await;
    // The simulator names its first VMs with script payloads.
    type_text(&search().unwrap(), "script");
    wait_for("the script-named VM", 10, || {
        all(&host, ".vmb-vm-list__item span").iter().any(|s| text(s).contains("<script>"))
    })
    .await;
    assert!(all(&host, "img, script, b").is_empty(), "markup from a name became elements");
    let injected = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__vmbInjected")).unwrap();
    assert!(injected.is_undefined(), "a payload ran");
    fixture.remove(&client).await;
}

#[wasm_bindgen_test]
async fn an_expired_session_prompts_and_the_panel_goes_on_after_the_login() {
    let client = host_session_client().await;
    let policy = unique("panel-expiry");
    let fixture = Fixture::create(&client, &policy).await;
    let (host, _mounted) = mount(client.clone(), Lang::En, || view! { <PolicyPanel /> });
    wait_for("the test's policy", 10, || toggle_of(&host, &policy).is_some()).await;
    control(vmbackup_core::http::HttpRequest::post("/__sim/expire-sessions")).await;
    click(&toggle_of(&host, &policy).unwrap());
    wait_for("the session prompt", 10, || {
        all(&host, "[role=alert]").iter().any(|a| text(a).contains("Your session has expired"))
    })
    .await;
    assert!(!text(&row_of(&host, &policy)).contains("Weekly to disk"));
    assert!(first(&host, ".vmb-alert:not(.vmb-alert--info)").is_none(), "an expiry is not shown as a failure");
    client.call(&vmbackup_core::storware::session::Login::new("admin", "vPr0tect")).await.unwrap();
    if let Some(resume) = all(&host, "[role=alert] button").into_iter().find(|b| text(b).contains("logged in again")) {
        click(&resume);
    }
    wait_for("the rules after the login", 10, || text(&row_of(&host, &policy)).contains("Weekly to disk")).await;
    fixture.remove(&client).await;
}

#[wasm_bindgen_test]
async fn policies_of_several_projects_say_whose_they_are() {
    // The administrator sees each project's "gold": the toggles (their accessible names) tell them apart.
    let client = host_session_client().await;
    let (host, _mounted) = mount(client.clone(), Lang::En, || view! { <PolicyPanel /> });
    wait_for("the policies", 10, || toggle_of(&host, "gold (").is_some()).await;
    let golds: Vec<String> =
        all(&host, ".vmb-policy__toggle").iter().map(text).filter(|t| t.contains("gold (")).collect();
    for project in ["Project A", "Project B", "Project C"] {
        assert!(golds.iter().any(|t| t.ends_with(&format!("gold ({project})"))), "{golds:?}");
    }
}

/// The host removes the panel while the user types a VM search (the portal's page changes): the search, due
/// when typing pauses, finds the panel gone and panics on nothing.
#[wasm_bindgen_test]
async fn a_panel_unmounted_while_a_search_is_being_typed_ends_quietly() {
    let panics = count_panics();
    let before = panics.load(std::sync::atomic::Ordering::SeqCst);
    let client = host_session_client().await;
    let policy = unique("panel-leaving");
    let fixture = Fixture::create(&client, &policy).await;
    let (host, mounted) = mount(client.clone(), Lang::En, || view! { <PolicyPanel /> });
    wait_for("the test's policy", 10, || toggle_of(&host, &policy).is_some()).await;
    click(&toggle_of(&host, &policy).unwrap());
    wait_for("the VM search", 10, || by_label(&host, "Find a VM by name").is_some()).await;
    type_text(&by_label(&host, "Find a VM by name").unwrap(), &fixture.vm.name);
    drop(mounted);
    // The search waits 300 ms for typing to pause.
    pause(800).await;
    assert_eq!(panics.load(std::sync::atomic::Ordering::SeqCst), before, "the due search met a panic");
    host.remove();
    fixture.remove(&client).await;
}
