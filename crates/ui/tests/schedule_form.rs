//! ScheduleForm in headless Chromium against the simulator: local times in Europe/Warsaw, the preview across
//! the 2026-03-29 daylight-saving change, what reaches the server, edit, delete, errors and Polish texts.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use leptos::prelude::*;
use vmbackup_core::domain::{BackupType, Schedule, ScheduleTiming, ScheduleType, Weekday};
use vmbackup_core::storware::schedules::{CreateSchedule, DeleteSchedule, GetSchedule};
use vmbackup_core::storware::session::Login;
use vmbackup_core::ErrorKind;
use vmbackup_ui::i18n::Lang;
use vmbackup_ui::widgets::schedule_form::ScheduleForm;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Monday 2026-03-23 12:00 UTC: Warsaw is on CET (UTC+1) and changes to CEST on Sunday 29 March.
const MARCH_23_NOON: i64 = 1_774_267_200_000;
/// Monday 2026-07-06 12:00 UTC: Warsaw is on CEST (UTC+2).
const JULY_6_NOON: i64 = 1_783_339_200_000;
const WEEKDAYS: [Weekday; 5] =
    [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
const MON_TO_FRI: [bool; 7] = [true, true, true, true, true, false, false];

/// A name no other test (or earlier run against the same simulator) uses.
fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", (js_sys::Math::random() * 1e12) as u64)
}

fn input(host: &HtmlElement, selector: &str) -> HtmlInputElement {
    first(host, selector).unwrap_or_else(|| panic!("no {selector}")).dyn_into().unwrap()
}

fn day_boxes(host: &HtmlElement) -> Vec<HtmlInputElement> {
    all(host, "fieldset[id$='-daysOfWeek'] input[type=checkbox]").into_iter().map(|e| e.dyn_into().unwrap()).collect()
}

/// Ticks exactly the wanted days (Monday first) by clicking the boxes that differ.
fn choose_days(host: &HtmlElement, wanted: [bool; 7]) {
    let boxes = day_boxes(host);
    assert_eq!(boxes.len(), 7);
    for (checkbox, want) in boxes.iter().zip(wanted) {
        if checkbox.checked() != want {
            checkbox.click();
        }
    }
}

fn ticked_days(host: &HtmlElement) -> Vec<bool> {
    day_boxes(host).iter().map(HtmlInputElement::checked).collect()
}

fn runs(host: &HtmlElement) -> Vec<Element> {
    all(host, "ol.vmb-schedule-runs li")
}

fn status(host: &HtmlElement) -> String {
    first(host, ".vmb-status").map(|e| text(&e)).unwrap_or_default()
}

/// The error text an input points at through `aria-describedby`.
fn error_of(host: &HtmlElement, element: &Element) -> Option<String> {
    let ids = element.get_attribute("aria-describedby")?;
    ids.split_whitespace()
        .filter_map(|id| first(host, &format!("#{id}")))
        .find(|e| e.class_list().contains("vmb-field-error"))
        .map(|e| text(&e))
}

/// Waits for the live region to say `expected`, showing the whole form when it never does.
async fn wait_for_status(host: &HtmlElement, expected: &str) {
    for _ in 0..200 {
        if status(host).contains(expected) {
            return;
        }
        pause(50).await;
    }
    panic!("no \"{expected}\" after 10 s; the widget shows: {}", text(&first(host, "section").unwrap()));
}

/// Waits for the form to offer Save, which comes with the session's privileges (the tests' administrator may
/// change schedules).
async fn wait_for_save(host: &HtmlElement) {
    wait_for("the form's Save", 10, || first(host, "button[type=submit]").is_some()).await;
}

fn save(host: &HtmlElement) {
    click(&first(host, "button[type=submit]").unwrap());
}

/// What `on_saved` reported, and the callback that records it.
fn saved_sink() -> (Arc<Mutex<Option<Schedule>>>, Callback<Schedule>) {
    let sink: Arc<Mutex<Option<Schedule>>> = Arc::default();
    let writer = sink.clone();
    (sink, Callback::new(move |s: Schedule| *writer.lock().unwrap() = Some(s)))
}

fn saved_id(sink: &Arc<Mutex<Option<Schedule>>>) -> Option<String> {
    sink.lock().unwrap().as_ref().and_then(|s| s.id.clone())
}

fn shadow_focus_text(host: &HtmlElement) -> String {
    shadow(host).active_element().map(|e| text(&e)).unwrap_or_default()
}

fn key(element: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    element
        .dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap();
}

/// A schedule made through the client (not the form), for the tests that edit or show one.
fn time_schedule(name: &str, time_of_day_ms: u32) -> Schedule {
    Schedule {
        id: None,
        name: name.into(),
        active: true,
        kind: ScheduleType::VmBackup,
        backup_type: BackupType::Full,
        timing: ScheduleTiming::Time { time_of_day_ms, start_window_ms: Some(3_600_000) },
        days_of_week: WEEKDAYS.to_vec(),
        months: vec![],
        occurrences: vec![],
        rules: vec![],
        policies: vec![],
        server_fields: Default::default(),
    }
}

#[wasm_bindgen_test]
async fn weekdays_at_0130_in_warsaw_preview_the_march_dst_change_and_save_utc_values() {
    let client = host_session_client().await;
    let name = unique("warsaw-weekdays");
    let (sink, on_saved) = saved_sink();
    let (host, _mounted) =
        mount(client.clone(), Lang::En, move || view! { <ScheduleForm now_ms=MARCH_23_NOON on_saved=on_saved /> });
    wait_for_save(&host).await;
    let zone: HtmlSelectElement = first(&host, "select[name=timeZone]").unwrap().dyn_into().unwrap();
    assert_eq!(zone.value(), "Europe/Warsaw", "the widget's zone is preselected");
    assert!(all(&host, "select[name=timeZone] option").len() > 100, "the browser's IANA zones are offered");

    type_into(&host, "input[name=name]", &name);
    type_into(&host, "input[name=hour]", "01:30");
    choose_days(&host, MON_TO_FRI);
    wait_for("five runs", 10, || runs(&host).len() == 5).await;

    let texts: Vec<String> = runs(&host).iter().map(text).collect();
    for run in &texts[..4] {
        assert!(run.contains("01:30 (UTC+01:00)") && run.contains("00:30 UTC"), "CET runs: {texts:?}");
    }
    assert!(texts[4].contains("02:30 (UTC+02:00)") && texts[4].contains("00:30 UTC"), "after the change: {texts:?}");
    let instants: Vec<String> =
        all(&host, "ol.vmb-schedule-runs time").iter().filter_map(|t| t.get_attribute("datetime")).collect();
    assert_eq!(
        instants,
        ["2026-03-24", "2026-03-25", "2026-03-26", "2026-03-27", "2026-03-30"].map(|d| format!("{d}T00:30:00.000Z"))
    );
    let drift = text(&first(&host, ".vmb-schedule-drift").unwrap());
    assert!(drift.contains("02:30 instead of 01:30"), "{drift}");
    let preview = text(&first(&host, ".vmb-schedule-preview").unwrap());
    assert!(preview.contains("Stored in UTC: 00:30 on Monday, Tuesday, Wednesday, Thursday, Friday"), "{preview}");
    assert!(preview.contains("UTC+01:00"), "{preview}");

    save(&host);
    wait_for_status(&host, "Schedule saved.").await;
    let id = saved_id(&sink).unwrap();
    let stored = client.call(&GetSchedule::new(&id)).await.unwrap();
    assert_eq!(stored.name, name);
    assert_eq!(stored.timing, ScheduleTiming::Time { time_of_day_ms: 1_800_000, start_window_ms: Some(21_600_000) });
    assert_eq!(stored.days_of_week, WEEKDAYS.to_vec());
    let heading = text(&first(&host, "h2").unwrap());
    assert_eq!(heading, format!("Edit schedule “{name}”"), "the form now edits what it created");
    assert!(first(&host, "button.vmb-button--danger").is_some(), "and offers to delete it");
    client.call(&DeleteSchedule::new(id)).await.unwrap();
}

#[wasm_bindgen_test]
async fn in_july_the_days_shift_back_in_utc_and_editing_and_deleting_reach_the_server() {
    let client = host_session_client().await;
    let name = unique("summer");
    let (sink, on_saved) = saved_sink();
    let (host, created) =
        mount(client.clone(), Lang::En, move || view! { <ScheduleForm now_ms=JULY_6_NOON on_saved=on_saved /> });
    wait_for_save(&host).await;
    type_into(&host, "input[name=name]", &name);
    type_into(&host, "input[name=hour]", "01:30");
    choose_days(&host, MON_TO_FRI);
    wait_for("runs", 10, || runs(&host).len() == 5).await;
    let first_run = all(&host, "ol.vmb-schedule-runs time")[0].get_attribute("datetime").unwrap();
    assert_eq!(first_run, "2026-07-06T23:30:00.000Z", "Tuesday 01:30 CEST is Monday 23:30 UTC");
    save(&host);
    wait_for_status(&host, "Schedule saved.").await;
    let id = saved_id(&sink).unwrap();
    let stored = client.call(&GetSchedule::new(&id)).await.unwrap();
    assert_eq!(stored.timing, ScheduleTiming::Time { time_of_day_ms: 84_600_000, start_window_ms: Some(21_600_000) });
    use Weekday::*;
    assert_eq!(stored.days_of_week, vec![Monday, Tuesday, Wednesday, Thursday, Sunday]);
    drop(created);

    // A second form opens the saved schedule by id and shows the local values it was made from.
    let (deleted, on_deleted) = {
        let sink: Arc<Mutex<Option<String>>> = Arc::default();
        let writer = sink.clone();
        (sink, Callback::new(move |id: String| *writer.lock().unwrap() = Some(id)))
    };
    let (sink, on_saved) = saved_sink();
    let edit_id = id.clone();
    let (host, _mounted) = mount(client.clone(), Lang::En, move || {
        view! { <ScheduleForm schedule=edit_id now_ms=JULY_6_NOON on_saved=on_saved on_deleted=on_deleted /> }
    });
    wait_for("the loaded schedule", 10, || input(&host, "input[name=name]").value() == name).await;
    wait_for_save(&host).await;
    assert_eq!(input(&host, "input[name=hour]").value(), "01:30");
    assert_eq!(ticked_days(&host), MON_TO_FRI.to_vec());
    assert_eq!(input(&host, "input[name=startWindowLength]").value(), "6");

    type_into(&host, "input[name=hour]", "02:00");
    type_into(&host, "input[name=startWindowLength]", "2");
    save(&host);
    wait_for_status(&host, "Schedule saved.").await;
    assert_eq!(saved_id(&sink).as_deref(), Some(id.as_str()), "the same schedule, replaced");
    let stored = client.call(&GetSchedule::new(&id)).await.unwrap();
    assert_eq!(stored.timing, ScheduleTiming::Time { time_of_day_ms: 0, start_window_ms: Some(7_200_000) });
    assert_eq!(stored.days_of_week, WEEKDAYS.to_vec(), "02:00 CEST is 00:00 UTC on the same days");

    // Delete asks first; Escape keeps the schedule and gives focus back.
    let delete = first(&host, "button.vmb-button--danger").unwrap();
    click(&delete);
    wait_for("the dialog", 10, || first(&host, "[role=dialog]").is_some()).await;
    let dialog = first(&host, "[role=dialog]").unwrap();
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    assert!(text(&dialog).contains(&format!("Delete the schedule “{name}”?")), "{}", text(&dialog));
    wait_for("focus on Cancel", 5, || shadow_focus_text(&host) == "Cancel").await;
    key(&shadow(&host).active_element().unwrap(), "Escape");
    wait_for("the dialog closed", 5, || first(&host, "[role=dialog]").is_none()).await;
    assert_eq!(shadow_focus_text(&host), "Delete", "focus is back on the button that opened it");
    assert!(client.call(&GetSchedule::new(&id)).await.is_ok(), "nothing was deleted");

    click(&first(&host, "button.vmb-button--danger").unwrap());
    wait_for("the dialog", 10, || first(&host, "[role=dialog]").is_some()).await;
    let confirm = all(&host, "[role=dialog] button").into_iter().find(|b| text(b) == "Delete").unwrap();
    click(&confirm);
    wait_for_status(&host, "Schedule deleted.").await;
    assert_eq!(deleted.lock().unwrap().as_deref(), Some(id.as_str()));
    let gone = client.call(&GetSchedule::new(&id)).await.unwrap_err();
    assert_eq!(gone.kind, ErrorKind::NotFound);
    assert_eq!(text(&first(&host, "h2").unwrap()), "New schedule", "the form is ready for a new one");
}

#[wasm_bindgen_test]
async fn validation_errors_sit_at_their_inputs_and_focus_the_first() {
    let client = host_session_client().await;
    let (host, _mounted) = mount(client, Lang::En, move || view! { <ScheduleForm now_ms=MARCH_23_NOON /> });
    wait_for_save(&host).await;
    choose_days(&host, [false; 7]);
    save(&host);
    wait_for("errors", 10, || first(&host, "[aria-invalid=true]").is_some()).await;

    let name = first(&host, "input[name=name]").unwrap();
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(error_of(&host, &name).as_deref(), Some("Enter a name."));
    let time = first(&host, "input[name=hour]").unwrap();
    assert_eq!(error_of(&host, &time).as_deref(), Some("Enter a time."));
    let days = first(&host, "fieldset[id$='-daysOfWeek']").unwrap();
    assert_eq!(error_of(&host, &days).as_deref(), Some("Choose at least one day of the week."));
    assert!(day_boxes(&host).iter().all(|b| b.get_attribute("aria-invalid").as_deref() == Some("true")));
    let start_window = first(&host, "input[name=startWindowLength]").unwrap();
    assert_eq!(start_window.get_attribute("aria-invalid"), None, "a valid input is not marked");
    assert!(all(&host, "[role=alert]").iter().any(|a| text(a).contains("The schedule was not saved")));
    wait_for("focus on the name", 5, || shadow(&host).active_element().as_ref() == Some(&name)).await;

    // Fixing an input clears its error at once.
    type_into(&host, "input[name=name]", "fixed");
    wait_for("the name error gone", 5, || error_of(&host, &name).is_none()).await;
    assert_eq!(name.get_attribute("aria-invalid"), None);
    assert!(error_of(&host, &time).is_some(), "the others stay");
}

#[wasm_bindgen_test]
async fn a_server_400_is_shown_at_the_field_it_names_and_the_values_stay() {
    let client = host_session_client().await;
    let name = unique("too-long-window");
    let (host, _mounted) = mount(client, Lang::En, move || view! { <ScheduleForm now_ms=MARCH_23_NOON /> });
    wait_for_save(&host).await;
    type_into(&host, "input[name=name]", &name);
    type_into(&host, "input[name=hour]", "01:30");
    // The server allows a start window of at most 24 hours.
    type_into(&host, "input[name=startWindowLength]", "25");
    save(&host);
    let window = first(&host, "input[name=startWindowLength]").unwrap();
    wait_for("the server's error at the start window", 10, || error_of(&host, &window).is_some()).await;
    let message = error_of(&host, &window).unwrap();
    assert!(message.starts_with("The server rejected this value:"), "{message}");
    assert!(message.contains("startWindowLength"), "the server's own words: {message}");
    assert_eq!(window.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(input(&host, "input[name=name]").value(), name, "nothing typed is lost");
    assert_eq!(text(&first(&host, "h2").unwrap()), "New schedule", "nothing was created");
}

#[wasm_bindgen_test]
async fn an_html_502_page_is_a_clear_error_and_retry_saves() {
    let client = host_session_client().await;
    let name = unique("through-a-failing-proxy");
    let (sink, on_saved) = saved_sink();
    let (host, _mounted) =
        mount(client.clone(), Lang::En, move || view! { <ScheduleForm now_ms=MARCH_23_NOON on_saved=on_saved /> });
    wait_for_save(&host).await;
    type_into(&host, "input[name=name]", &name);
    type_into(&host, "input[name=hour]", "03:15");
    set_faults(serde_json::json!({"errorRate": 1.0, "htmlErrors": true})).await;
    save(&host);
    wait_for("an alert", 10, || all(&host, ".vmb-alert[role=alert]").iter().any(|a| text(a).contains("HTTP 502")))
        .await;
    set_faults(serde_json::json!({"errorRate": 0.0, "htmlErrors": false})).await;
    let alert = all(&host, ".vmb-alert[role=alert]").into_iter().find(|a| text(a).contains("HTTP 502")).unwrap();
    let said = text(&alert);
    // A gateway page in answer to a create leaves its fate unknown (and the look-up failed too): the user is told
    // so, in words, without the page's markup.
    assert!(said.contains("The server did not confirm the request"), "{said}");
    assert!(!said.contains('<'), "no page source: {said}");
    assert!(alert.query_selector("title, body, h1").unwrap().is_none());
    assert_eq!(input(&host, "input[name=name]").value(), name, "nothing typed is lost");

    click(&alert.query_selector("button").unwrap().unwrap());
    wait_for_status(&host, "Schedule saved.").await;
    let id = saved_id(&sink).unwrap();
    let stored = client.call(&GetSchedule::new(&id)).await.unwrap();
    assert_eq!(stored.timing, ScheduleTiming::Time { time_of_day_ms: 8_100_000, start_window_ms: Some(21_600_000) });
    client.call(&DeleteSchedule::new(id)).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_schedule_that_cannot_be_read_through_a_failing_proxy_says_so_and_loads_on_retry() {
    let client = host_session_client().await;
    let name = unique("behind-a-proxy");
    let created = client.call(&CreateSchedule::new(time_schedule(&name, 1_800_000))).await.unwrap();
    let id = created.id.clone().unwrap();
    set_faults(serde_json::json!({"errorRate": 1.0, "htmlErrors": true})).await;
    let edit_id = id.clone();
    let (host, _mounted) =
        mount(client.clone(), Lang::En, move || view! { <ScheduleForm schedule=edit_id now_ms=MARCH_23_NOON /> });
    wait_for("an alert", 10, || first(&host, ".vmb-alert[role=alert]").is_some()).await;
    set_faults(serde_json::json!({"errorRate": 0.0, "htmlErrors": false})).await;
    let alert = first(&host, ".vmb-alert[role=alert]").unwrap();
    let said = text(&alert);
    assert!(said.contains("The backup server reported an error.") && said.contains("HTTP 502"), "{said}");
    assert!(!said.contains('<'), "no page source: {said}");
    assert!(first(&host, "form").unwrap().has_attribute("hidden"), "no empty form to fill in by mistake");
    click(&alert.query_selector("button").unwrap().unwrap());
    wait_for("the loaded schedule", 10, || input(&host, "input[name=name]").value() == name).await;
    assert!(!first(&host, "form").unwrap().has_attribute("hidden"));
    assert!(first(&host, ".vmb-alert[role=alert]").is_none());
    client.call(&DeleteSchedule::new(id)).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_read_only_user_sees_the_schedule_and_its_runs_but_is_offered_no_save_or_delete() {
    let client = host_session_client().await;
    let name = unique("viewed");
    let created = client.call(&CreateSchedule::new(time_schedule(&name, 1_800_000))).await.unwrap();
    let id = created.id.clone().unwrap();
    client.call(&Login::new("viewer", "viewer-pass")).await.unwrap();
    let edit_id = id.clone();
    let (host, _mounted) =
        mount(client.clone(), Lang::En, move || view! { <ScheduleForm schedule=edit_id now_ms=MARCH_23_NOON /> });
    wait_for("the loaded schedule", 10, || input(&host, "input[name=name]").value() == name).await;
    let note = "You can see the schedule but not save changes: ask your backup administrator.";
    wait_for("the read-only note", 10, || text(&first(&host, "section").unwrap()).contains(note)).await;
    wait_for("runs", 10, || runs(&host).len() == 5).await;
    // The user is not editing, and the heading says so once the privileges are read.
    wait_for("the heading of a schedule shown", 10, || {
        text(&first(&host, "h2").unwrap()) == format!("Schedule “{name}”")
    })
    .await;
    assert!(first(&host, "button[type=submit]").is_none(), "no Save");
    assert!(all(&host, "button").iter().all(|b| text(b) != "Delete"), "no Delete");
    // The fields still preview other values; Enter in a field submits the form, which sends nothing.
    type_into(&host, "input[name=name]", "renamed by a viewer");
    let form = first(&host, "form").unwrap();
    form.dispatch_event(&web_sys::Event::new("submit").unwrap()).unwrap();
    pause(1_000).await;
    assert!(first(&host, ".vmb-alert[role=alert]").is_none(), "no refusal to show: nothing was sent");
    assert_eq!(text(&first(&host, "h2").unwrap()), format!("Schedule “{name}”"), "still not editing");
    let polish_id = id.clone();
    let (polish, _polish_mounted) =
        mount(client.clone(), Lang::Pl, move || view! { <ScheduleForm schedule=polish_id now_ms=MARCH_23_NOON /> });
    wait_for("the Polish heading", 10, || {
        first(&polish, "h2").is_some_and(|h| text(&h) == format!("Harmonogram „{name}”"))
    })
    .await;
    // Without a schedule the form is a simulator of the next runs: no "New schedule" it could not save.
    let (trial, _trial_mounted) =
        mount(client.clone(), Lang::En, move || view! { <ScheduleForm now_ms=MARCH_23_NOON /> });
    wait_for("the trial heading", 10, || first(&trial, "h2").is_some_and(|h| text(&h) == "Try a schedule")).await;
    let trial_note = "You can try out times and see the next runs, but not create schedules: ask your backup \
                      administrator.";
    assert!(text(&first(&trial, "section").unwrap()).contains(trial_note));
    assert!(first(&trial, "button[type=submit]").is_none(), "no Save");
    type_into(&trial, "input[name=hour]", "01:30");
    choose_days(&trial, MON_TO_FRI);
    wait_for("runs of the trial", 10, || runs(&trial).len() == 5).await;
    client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
    let stored = client.call(&GetSchedule::new(&id)).await.unwrap();
    assert_eq!(stored.name, name);
    client.call(&DeleteSchedule::new(id)).await.unwrap();
}

/// Whether a form offers a change: Save, or Delete.
fn offers_a_change(host: &HtmlElement) -> bool {
    first(host, "button[type=submit]").is_some() || all(host, "button").iter().any(|b| text(b) == "Delete")
}

/// Waits up to 15 s for `settled` while checking at every turn that none of `hosts` offers a change; whether
/// one did.
async fn offered_before(hosts: &[&HtmlElement], mut settled: impl FnMut() -> bool) -> bool {
    for _ in 0..600 {
        if hosts.iter().any(|host| offers_a_change(host)) {
            return true;
        }
        if settled() {
            return false;
        }
        pause(25).await;
    }
    panic!("timed out after 15 s waiting for the forms to settle");
}

#[wasm_bindgen_test]
async fn forms_over_one_client_ask_for_the_privileges_once_and_a_viewer_is_never_offered_save() {
    let client = host_session_client().await;
    let name = unique("asked-once");
    let created = client.call(&CreateSchedule::new(time_schedule(&name, 1_800_000))).await.unwrap();
    let id = created.id.clone().unwrap();
    client.call(&Login::new("viewer", "viewer-pass")).await.unwrap();
    let asked_before = requests_answered("GET /api/session/user").await;
    // Slow answers: a form that took the user for one who may change things until the server said otherwise
    // would show Save for 1.5 s.
    set_faults(serde_json::json!({"latencyMs": 1_500})).await;
    let edit_id = id.clone();
    let (viewed, _viewed_mounted) =
        mount(client.clone(), Lang::En, move || view! { <ScheduleForm schedule=edit_id now_ms=MARCH_23_NOON /> });
    let (trial, _trial_mounted) =
        mount(client.clone(), Lang::En, move || view! { <ScheduleForm now_ms=MARCH_23_NOON /> });
    // While the privileges are unknown the heading promises neither a new schedule nor a trial.
    let neutral = text(&first(&trial, "h2").unwrap());
    let note = "You can see the schedule but not save changes: ask your backup administrator.";
    let trial_note = "You can try out times and see the next runs, but not create schedules";
    let offered = offered_before(&[&viewed, &trial], || {
        text(&first(&viewed, "section").unwrap()).contains(note)
            && text(&first(&trial, "section").unwrap()).contains(trial_note)
            && input(&viewed, "input[name=name]").value() == name
    })
    .await;
    set_faults(serde_json::json!({"latencyMs": 0})).await;
    // The simulator logs a request once answered: a question still on its way (latency) is counted after it.
    pause(2_000).await;
    assert!(!offered, "a viewer was offered Save or Delete before the privileges came");
    assert_eq!(neutral, "Backup schedule");
    assert_eq!(requests_answered("GET /api/session/user").await - asked_before, 1, "one question for two forms");
    pause(500).await;
    assert!(!offers_a_change(&viewed) && !offers_a_change(&trial), "no Save or Delete once known either");
    // The reason is read first: directly under the heading, before the form.
    for (host, note) in [(&viewed, note), (&trial, trial_note)] {
        let under_heading = first(host, "h2").unwrap().next_element_sibling().unwrap();
        let what = format!("<{} class={:?}>", under_heading.tag_name(), under_heading.class_name());
        assert!(under_heading.matches(".vmb-schedule-form__read-only").unwrap(), "under the heading: {what}");
        assert!(text(&under_heading).starts_with(note), "{}", text(&under_heading));
    }
    client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
    client.call(&DeleteSchedule::new(id)).await.unwrap();
}

#[wasm_bindgen_test]
async fn forms_over_one_client_offer_save_once_the_server_says_the_user_may_change_schedules() {
    let client = host_session_client().await;
    let asked_before = requests_answered("GET /api/session/user").await;
    set_faults(serde_json::json!({"latencyMs": 1_000})).await;
    let (first_form, _first_mounted) =
        mount(client.clone(), Lang::En, move || view! { <ScheduleForm now_ms=MARCH_23_NOON /> });
    let (second_form, _second_mounted) =
        mount(client.clone(), Lang::En, move || view! { <ScheduleForm now_ms=MARCH_23_NOON /> });
    let offered_early = offers_a_change(&first_form) || offers_a_change(&second_form);
    let neutral = text(&first(&second_form, "h2").unwrap());
    wait_for("Save in both forms", 15, || {
        first(&first_form, "button[type=submit]").is_some() && first(&second_form, "button[type=submit]").is_some()
    })
    .await;
    set_faults(serde_json::json!({"latencyMs": 0})).await;
    // The simulator logs a request once answered: a question still on its way (latency) is counted after it.
    pause(2_000).await;
    assert!(!offered_early, "Save before the privileges came");
    assert_eq!(neutral, "Backup schedule");
    for host in [&first_form, &second_form] {
        assert_eq!(text(&first(host, "h2").unwrap()), "New schedule");
        assert!(first(host, ".vmb-schedule-form__read-only").is_none(), "no read-only note");
    }
    assert_eq!(requests_answered("GET /api/session/user").await - asked_before, 1, "one question for two forms");
}

#[wasm_bindgen_test]
async fn a_schedule_named_with_markup_renders_as_text() {
    let client = host_session_client().await;
    let name = unique(r#"<img src=x onerror="window.__vmbInjected=1"><script>window.__vmbInjected=2</script>"#);
    let created = client.call(&CreateSchedule::new(time_schedule(&name, 1_800_000))).await.unwrap();
    let id = created.id.clone().unwrap();
    let edit_id = id.clone();
    let (host, _mounted) =
        mount(client.clone(), Lang::En, move || view! { <ScheduleForm schedule=edit_id now_ms=MARCH_23_NOON /> });
    wait_for("the loaded schedule", 10, || input(&host, "input[name=name]").value() == name).await;
    wait_for_save(&host).await;
    assert_eq!(text(&first(&host, "h2").unwrap()), format!("Edit schedule “{name}”"));
    click(&first(&host, "button.vmb-button--danger").unwrap());
    wait_for("the dialog", 10, || first(&host, "[role=dialog]").is_some()).await;
    assert!(text(&first(&host, "[role=dialog]").unwrap()).contains(&name));
    assert!(all(&host, "img, script").is_empty(), "markup from a name became elements");
    let injected = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__vmbInjected")).unwrap();
    assert!(injected.is_undefined(), "a payload ran");
    client.call(&DeleteSchedule::new(id)).await.unwrap();
}

#[wasm_bindgen_test]
async fn polish_labels_errors_and_preview() {
    let client = host_session_client().await;
    let (host, _mounted) = mount(client, Lang::Pl, move || view! { <ScheduleForm now_ms=MARCH_23_NOON /> });
    wait_for_save(&host).await;
    let page = text(&first(&host, "section").unwrap());
    for words in [
        "Nowy harmonogram",
        "Nazwa harmonogramu",
        "Godzina rozpoczęcia",
        "Dni tygodnia",
        "Poniedziałek",
        "Niedziela",
        "Strefa czasowa",
        "Zapisz",
    ] {
        assert!(page.contains(words), "{words} missing from: {page}");
    }
    save(&host);
    let name = first(&host, "input[name=name]").unwrap();
    wait_for("the name error", 10, || error_of(&host, &name).is_some()).await;
    assert_eq!(error_of(&host, &name).as_deref(), Some("Podaj nazwę."));
    assert!(all(&host, "[role=alert]").iter().any(|a| text(a).contains("Harmonogramu nie zapisano")));
    type_into(&host, "input[name=hour]", "01:30");
    wait_for("runs", 10, || runs(&host).len() == 5).await;
    let preview = text(&first(&host, ".vmb-schedule-preview").unwrap());
    assert!(preview.contains("Najbliższe uruchomienia") && preview.contains("czasu UTC"), "{preview}");
    assert!(preview.contains("Zapisane w UTC: 00:30"), "{preview}");
}

#[wasm_bindgen_test]
async fn a_polish_time_is_entered_and_shown_on_a_24_hour_clock() {
    let client = host_session_client().await;
    let (host, _mounted) = mount(client, Lang::Pl, move || view! { <ScheduleForm now_ms=MARCH_23_NOON /> });
    wait_for_save(&host).await;
    let time = input(&host, "input[name=hour]");
    // Chromium draws an <input type=time> in the browser's locale ("01:30 AM"), whatever the widget's language.
    assert_eq!(time.type_(), "text", "a text box shows the time exactly as the widget writes it");
    let hints: Vec<String> = time
        .get_attribute("aria-describedby")
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|id| first(&host, &format!("#{id}")))
        .map(|e| text(&e))
        .collect();
    assert!(hints.iter().any(|h| h == "Zegar 24-godzinny, GG:MM"), "the format is told and described: {hints:?}");
    choose_days(&host, [true; 7]);
    for wrong in ["13:30 PM", "25:00", "13.45"] {
        type_into(&host, "input[name=hour]", wrong);
        save(&host);
        wait_for("the time error", 10, || error_of(&host, &time).is_some()).await;
        assert_eq!(error_of(&host, &time).as_deref(), Some("Podaj godzinę od 00:00 do 23:59."), "{wrong}");
        assert_eq!(time.get_attribute("aria-invalid").as_deref(), Some("true"));
    }
    type_into(&host, "input[name=hour]", "13:45");
    wait_for("the error gone", 5, || error_of(&host, &time).is_none()).await;
    assert_eq!(time.value(), "13:45");
    wait_for("runs", 10, || runs(&host).len() == 5).await;
    let preview = text(&first(&host, ".vmb-schedule-preview").unwrap());
    assert!(preview.contains("Zapisane w UTC: 12:45"), "13:45 in Warsaw in March is 12:45 UTC: {preview}");
    // A time typed the 12-hour way is read too.
    type_into(&host, "input[name=hour]", "1:15 PM");
    wait_for("1:15 PM read as 13:15", 10, || {
        text(&first(&host, ".vmb-schedule-preview").unwrap()).contains("Zapisane w UTC: 12:15")
    })
    .await;
    assert_eq!(error_of(&host, &time), None);
    // The window of an interval schedule is entered the same way.
    click(&first(&host, "input[value=INTERVAL]").unwrap());
    wait_for("the window", 10, || first(&host, "input[name='interval.startHour']").is_some()).await;
    for field in ["interval.startHour", "interval.endHour"] {
        let window_edge = input(&host, &format!("input[name='{field}']"));
        assert_eq!(window_edge.type_(), "text", "{field}");
        assert!(window_edge.value().len() == 5 && window_edge.value().as_bytes()[2] == b':', "{field}");
    }
}

#[wasm_bindgen_test]
async fn polish_sentences_read_in_order_on_a_right_to_left_page() {
    let client = host_session_client().await;
    let (host, _mounted) = mount(client, Lang::Pl, move || view! { <ScheduleForm now_ms=MARCH_23_NOON /> });
    host.set_attribute("dir", "rtl").unwrap();
    wait_for_save(&host).await;
    save(&host);
    wait_for("the summary of errors", 10, || {
        all(&host, "[role=alert]").iter().any(|a| text(a).contains("Harmonogramu nie zapisano"))
    })
    .await;
    type_into(&host, "input[name=hour]", "01:30");
    wait_for("runs", 10, || runs(&host).len() == 5).await;
    // Labels, hints ending in a full stop, field errors, the alert, the preview and its UTC line.
    assert!(assert_sentences_read_in_order(&host) >= 20);
    // ...while the parts of the form still line up from the right: the first choice of "Runs" is the rightmost.
    let option_left =
        |value: &str| first(&host, &format!("input[value={value}]")).unwrap().get_bounding_client_rect().left();
    assert!(option_left("TIME") > option_left("INTERVAL"), "the options of a group are mirrored");
    // The preview's numbers stay on the right, but read "1." (left to right), not ".1".
    let window = web_sys::window().unwrap();
    for run in runs(&host) {
        let item = window.get_computed_style(&run).unwrap().unwrap();
        assert_eq!(item.get_property_value("direction").unwrap(), "rtl", "the marker is on the right");
        let marker = window.get_computed_style_with_pseudo_elt(&run, "::marker").unwrap().unwrap();
        assert_eq!(marker.get_property_value("direction").unwrap(), "ltr", "the number reads left to right");
        assert_eq!(marker.get_property_value("unicode-bidi").unwrap(), "isolate");
    }
}

#[wasm_bindgen_test]
async fn an_expired_session_keeps_the_values_and_saves_after_the_user_logs_in_again() {
    let client = host_session_client().await;
    let name = unique("after-expiry");
    let (sink, on_saved) = saved_sink();
    let (host, _mounted) =
        mount(client.clone(), Lang::En, move || view! { <ScheduleForm now_ms=MARCH_23_NOON on_saved=on_saved /> });
    wait_for_save(&host).await;
    type_into(&host, "input[name=name]", &name);
    type_into(&host, "input[name=hour]", "04:00");
    control(vmbackup_core::http::HttpRequest::post("/__sim/expire-sessions")).await;
    save(&host);
    wait_for("the session prompt", 10, || {
        all(&host, "[role=alert]").iter().any(|a| text(a).contains("Your session has expired"))
    })
    .await;
    assert_eq!(input(&host, "input[name=name]").value(), name);
    assert!(saved_id(&sink).is_none());
    client.call(&vmbackup_core::storware::session::Login::new("admin", "vPr0tect")).await.unwrap();
    let resume = all(&host, "[role=alert] button").into_iter().find(|b| text(b).contains("logged in again"));
    if let Some(resume) = resume {
        click(&resume);
    }
    wait_for("the prompt gone", 10, || {
        !all(&host, "[role=alert]").iter().any(|a| text(a).contains("Your session has expired"))
    })
    .await;
    save(&host);
    wait_for_status(&host, "Schedule saved.").await;
    client.call(&DeleteSchedule::new(saved_id(&sink).unwrap())).await.unwrap();
}

/// The host closes the form when it hears the server's refusal (`vmb-error`): the focus the form gives the
/// refused field in the next frame finds the form gone and panics on nothing.
#[wasm_bindgen_test]
async fn a_form_the_host_closes_on_the_servers_refusal_ends_quietly() {
    let panics = count_panics();
    let before = panics.load(std::sync::atomic::Ordering::SeqCst);
    let client = host_session_client().await;
    let (host, mounted) = mount(client, Lang::En, move || view! { <ScheduleForm now_ms=MARCH_23_NOON /> });
    let kept = std::rc::Rc::new(std::cell::RefCell::new(Some(mounted)));
    let closed = std::rc::Rc::new(std::cell::Cell::new(false));
    let close_on_error = {
        let (kept, closed) = (kept.clone(), closed.clone());
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            drop(kept.borrow_mut().take());
            closed.set(true);
        })
    };
    host.add_event_listener_with_callback("vmb-error", close_on_error.as_ref().unchecked_ref()).unwrap();
    wait_for_save(&host).await;
    type_into(&host, "input[name=name]", &unique("closed-on-refusal"));
    type_into(&host, "input[name=hour]", "01:30");
    // The server allows a start window of at most 24 hours.
    type_into(&host, "input[name=startWindowLength]", "25");
    save(&host);
    wait_for("the host to close the form", 10, || closed.get()).await;
    pause(300).await;
    assert_eq!(panics.load(std::sync::atomic::Ordering::SeqCst), before, "the focus in the next frame met a panic");
    host.remove();
}
