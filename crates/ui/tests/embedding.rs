//! Embedding in a host page: custom elements, `mount`, style isolation both ways, events to the host.
//! Built with the `widgets-entry` feature (`cargo xtask test` passes it).
#![cfg(all(target_arch = "wasm32", feature = "widgets-entry"))]
#![allow(clippy::unwrap_used)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::Ordering;

use common::*;
use vmbackup_core::storware::vms::ListVms;
use vmbackup_ui::embed::{define_elements, mount_widget, resume_session, WidgetHandle};
use vmbackup_ui::host_events::HostEvent;
use vmbackup_ui::i18n::Lang;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn computed(element: &web_sys::Element, property: &str) -> String {
    web_sys::window().unwrap().get_computed_style(element).unwrap().unwrap().get_property_value(property).unwrap()
}

fn custom_element(tag: &str, attributes: &[(&str, &str)]) -> HtmlElement {
    let element: HtmlElement = document().create_element(tag).unwrap().dyn_into().unwrap();
    for (name, value) in attributes {
        element.set_attribute(name, value).unwrap();
    }
    document().body().unwrap().append_child(&element).unwrap();
    element
}

fn api_base() -> String {
    format!("{}/api", sim_root())
}

/// `mount(host, kind, {apiBase, lang: "en"})`, as a host page calls it.
fn mount_in_english(host: &HtmlElement, kind: &str) -> WidgetHandle {
    let options = js_sys::JSON::parse(&format!(r#"{{"apiBase":"{}","lang":"en"}}"#, api_base())).unwrap();
    mount_widget(host.clone(), kind, Some(options)).unwrap()
}

#[wasm_bindgen_test]
async fn a_custom_element_renders_in_its_language_and_theme_and_remounts_when_moved_back() {
    host_session_client().await; // the host page's own login: the browser now holds the session cookie
    define_elements();
    define_elements(); // twice is harmless
    let table = custom_element("vmb-vm-table", &[("api-base", &api_base()), ("lang", "pl"), ("theme", "dark")]);
    wait_for("rows", 10, || all(&table, "tbody tr[role=row] td:nth-child(2)").len() >= 5).await;
    let header = text(&first(&table, "thead th:nth-child(2)").unwrap());
    assert!(header.contains("Nazwa"), "Polish header: {header}");
    assert_eq!(first(&table, ".vmb-root").unwrap().get_attribute("data-theme").as_deref(), Some("dark"));
    // Native controls are dark too (a light checkbox on the dark panel otherwise).
    let checkbox = first(&table, "tbody input[type=checkbox]").unwrap();
    assert_eq!(computed(&checkbox, "color-scheme"), "dark");

    table.remove();
    assert!(first(&table, ".vmb-root").is_none(), "unmounted when removed");
    document().body().unwrap().append_child(&table).unwrap();
    wait_for("rows after re-adding", 10, || all(&table, "tbody tr[role=row] td:nth-child(2)").len() >= 5).await;
    assert_eq!(all(&table, ".vmb-root").len(), 1, "one widget, not two");
    // A new language or theme keeps the widget (and so its selection): the same root element, now in English.
    let root = first(&table, ".vmb-root").unwrap();
    first(&table, "tbody input[type=checkbox]").unwrap().unchecked_into::<web_sys::HtmlElement>().click();
    wait_for("a selected row", 10, || first(&table, "tbody tr[aria-selected=true]").is_some()).await;
    table.set_attribute("lang", "en").unwrap();
    table.set_attribute("theme", "light").unwrap();
    wait_for("English after the attribute changed", 10, || {
        first(&table, "thead th:nth-child(2)").is_some_and(|th| text(&th).contains("Name"))
    })
    .await;
    let root_now = first(&table, ".vmb-root").unwrap();
    assert!(root_now.is_same_node(Some(&root)), "not remounted for a language or theme change");
    assert_eq!(root_now.get_attribute("data-theme").as_deref(), Some("light"));
    assert!(first(&table, "tbody tr[aria-selected=true]").is_some(), "the selection survives a language change");
    table.remove();
}

#[wasm_bindgen_test]
async fn hostile_host_css_does_not_reach_the_widget_and_the_widget_does_not_touch_the_host() {
    host_session_client().await;
    define_elements();
    let probe = custom_element("p", &[]);
    probe.set_text_content(Some("host text"));
    let before = (computed(&probe, "font-family"), computed(&probe, "color"), computed(&probe, "font-size"));
    let table = custom_element("vmb-vm-table", &[("api-base", &api_base())]);
    wait_for("rows", 10, || all(&table, "tbody tr[role=row] td:nth-child(2)").len() >= 5).await;
    let after = (computed(&probe, "font-family"), computed(&probe, "color"), computed(&probe, "font-size"));
    assert_eq!(before, after, "the widget changed the host page's styles");

    let hostile = custom_element("style", &[]);
    hostile.set_text_content(Some(
        "* { color: rgb(255, 0, 0) !important; font-size: 40px !important; } \
         td, tr, table, .vmb-table { display: none !important; } .vmb-root { background: rgb(0, 255, 0) !important; } \
         * { letter-spacing: 3px; word-spacing: 9px; text-transform: uppercase; font-style: italic; \
             font-weight: 900; text-indent: 20px; text-shadow: 1px 1px red; white-space: pre; }",
    ));
    let cell = first(&table, "tbody tr[role=row] td:nth-child(2)").unwrap();
    // Inherited text properties set on the element by a host rule (which beats `:host`) do not reach in.
    for (property, unaffected) in [
        ("letter-spacing", "normal"),
        ("word-spacing", "0px"),
        ("text-transform", "none"),
        ("font-style", "normal"),
        ("font-weight", "400"),
        ("text-indent", "0px"),
        ("text-shadow", "none"),
    ] {
        assert_eq!(computed(&cell, property), unaffected, "{property}");
    }
    assert_eq!(computed(&cell, "display"), "table-cell");
    assert_ne!(computed(&cell, "color"), "rgb(255, 0, 0)");
    assert_ne!(computed(&cell, "font-size"), "40px");
    assert_ne!(computed(&first(&table, ".vmb-root").unwrap(), "background-color"), "rgb(0, 255, 0)");
    hostile.remove();
    probe.remove();
    table.remove();
}

#[wasm_bindgen_test]
async fn the_host_themes_the_widget_through_custom_properties() {
    host_session_client().await;
    define_elements();
    let table = custom_element("vmb-vm-table", &[("api-base", &api_base()), ("theme", "light")]);
    table.style().set_property("--vmb-color-accent", "rgb(1, 2, 3)").unwrap();
    table.style().set_property("--vmb-color-background", "rgb(4, 5, 6)").unwrap();
    wait_for("rows", 10, || all(&table, "tbody tr[role=row] td:nth-child(2)").len() >= 5).await;
    assert_eq!(computed(&first(&table, ".vmb-root").unwrap(), "background-color"), "rgb(4, 5, 6)");
    table.remove();
}

#[wasm_bindgen_test]
async fn mount_returns_a_handle_events_bubble_to_the_document_and_bad_input_is_a_usage_error() {
    host_session_client().await;
    let host = host_element();
    let mut handle = mount_in_english(&host, "vm-table");
    let heard: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = heard.clone();
    let listener = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
        let target: web_sys::Element = event.target().unwrap().dyn_into().unwrap();
        sink.borrow_mut().push(format!("{}:{}", event.type_(), target.tag_name()));
    });
    document().add_event_listener_with_callback("vmb-selection-changed", listener.as_ref().unchecked_ref()).unwrap();
    wait_for("rows", 10, || all(&host, "tbody tr[role=row] td:nth-child(2)").len() >= 5).await;
    click(&first(&host, "tbody tr[role=row]:nth-child(3)").unwrap());
    wait_for("the selection event", 10, || !heard.borrow().is_empty()).await;
    assert_eq!(heard.borrow().as_slice(), ["vmb-selection-changed:DIV"], "retargeted to the host element");
    handle.unmount();
    assert!(first(&host, ".vmb-root").is_none());

    let unknown = mount_widget(host.clone(), "vm-tabel", None).err().unwrap();
    let kind = js_sys::Reflect::get(&unknown, &JsValue::from_str("kind")).unwrap();
    assert_eq!(kind.as_string().as_deref(), Some("usage"));
    let bad_options = js_sys::JSON::parse(r#"{"apiBase": 42}"#).unwrap();
    assert!(mount_widget(host.clone(), "vm-table", Some(bad_options)).is_err());
    listener.forget();
    host.remove();
}

#[wasm_bindgen_test]
async fn after_the_host_logs_in_another_user_resume_session_asks_again_what_may_be_changed() {
    host_session_client().await;
    let host = host_element();
    let mut handle = mount_in_english(&host, "schedule-form");
    let offers_save = |host: &HtmlElement| first(host, "button[type=submit]").is_some();
    wait_for("Save offered to the administrator", 10, || offers_save(&host)).await;

    // The host switches users without the old session expiring, then tells the widgets.
    host_session_client_as("viewer", "viewer-pass").await;
    resume_session(Some(api_base()), None);
    wait_for("no Save for the read-only user", 10, || !offers_save(&host)).await;
    assert!(first(&host, ".vmb-schedule-form__read-only").is_some(), "the viewer is told why");

    host_session_client().await;
    resume_session(Some(api_base()), None);
    wait_for("Save offered again", 10, || offers_save(&host)).await;
    handle.unmount();
    host.remove();
}

/// The embed demo's pattern: the host points other widgets at the table's selection from its
/// `vmb-selection-changed` handler, so they remount from inside a callback of the table, not from the page's
/// top level. The remounted widget must be the page's, not the clicked row's: once that row leaves the table,
/// the widget still answers (here: to a language change). Two things keep it so, each enough alone: `mount_in`
/// builds outside the caller's owner, and `WidgetContext::emit` dispatches after the widget's handling; without
/// both, the history stays English.
#[wasm_bindgen_test]
async fn a_widget_remounted_from_a_host_event_handler_outlives_the_row_that_was_clicked() {
    remounted_widget_outlives_the_clicked_row(ClickedRowLeaves::BySearch).await;
}

/// As above, with the clicked row scrolled out of the table's rendered rows instead of searched away.
#[wasm_bindgen_test]
async fn a_widget_remounted_from_a_host_event_handler_outlives_the_row_scrolled_away() {
    remounted_widget_outlives_the_clicked_row(ClickedRowLeaves::ByScrolling).await;
}

/// How the clicked row leaves the table.
enum ClickedRowLeaves {
    BySearch,
    ByScrolling,
}

async fn remounted_widget_outlives_the_clicked_row(leaves: ClickedRowLeaves) {
    host_session_client().await;
    define_elements();
    let table = custom_element("vmb-vm-table", &[("api-base", &api_base()), ("lang", "en")]);
    let history = custom_element("vmb-backup-history", &[("api-base", &api_base()), ("lang", "en")]);
    let follower = history.clone();
    let follow = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
        let ids = js_sys::Reflect::get(&event.detail(), &JsValue::from_str("vmIds")).unwrap();
        if let Some(id) = js_sys::Array::from(&ids).get(0).as_string() {
            follower.set_attribute("vm", &id).unwrap();
        }
    });
    table.add_event_listener_with_callback("vmb-selection-changed", follow.as_ref().unchecked_ref()).unwrap();
    wait_for("rows", 10, || all(&table, "tbody tr[role=row] td:nth-child(2)").len() >= 5).await;
    let name = text(&first(&table, "tbody tr[role=row] td:nth-child(2)").unwrap());
    click(&first(&table, "tbody tr[role=row]").unwrap());
    let english = format!("Backups of {name}");
    wait_for("the history of the clicked VM", 10, || {
        first(&history, ".vmb-root").is_some_and(|root| text(&root).contains(&english))
    })
    .await;

    match leaves {
        ClickedRowLeaves::BySearch => {
            type_into(&table, "input[type=search]", "no-vm-is-called-this");
            wait_for("the clicked row gone", 10, || all(&table, "tbody tr[role=row]").is_empty()).await;
        }
        ClickedRowLeaves::ByScrolling => {
            let scroller: HtmlElement = first(&table, ".vmb-table-scroll").unwrap().dyn_into().unwrap();
            scroll_to(&scroller, scroller.scroll_height() / 2);
            // The first data row is row 2 (the header is row 1).
            wait_for("the clicked row scrolled out of the rendered rows", 10, || {
                let rows = all(&table, "tbody tr[role=row]");
                !rows.is_empty() && rows.iter().all(|row| row.get_attribute("aria-rowindex").as_deref() != Some("2"))
            })
            .await;
        }
    }
    history.set_attribute("lang", "pl").unwrap();
    let polish = format!("Kopie zapasowe maszyny {name}");
    wait_for("the history in Polish", 10, || {
        first(&history, ".vmb-root").is_some_and(|root| text(&root).contains(&polish))
    })
    .await;

    drop(follow);
    table.remove();
    history.remove();
}

/// A widget unmounted while its first requests are on their way (a host remounting on every attribute it sets)
/// takes nothing down with it: its tasks end quietly, and the next widget works.
#[wasm_bindgen_test]
async fn widgets_unmounted_with_requests_on_their_way_leave_the_page_working() {
    let panics = count_panics();
    let before = panics.load(Ordering::SeqCst);
    let client = host_session_client().await;
    let host = host_element();
    let vm = client.call(&ListVms::page(0, 1)).await.unwrap().items.remove(0).id;
    let options = format!(r#"{{"apiBase":"{}","lang":"en","vm":"{vm}"}}"#, api_base());
    // Unmounted in the same turn (a host setting two attributes in a row), after the first tasks ran, and with
    // the first answers on their way.
    for pause_ms in [None, Some(0), Some(30)] {
        for kind in [
            "vm-table",
            "backup-button",
            "task-progress",
            "schedule-form",
            "backup-history",
            "restore-dialog",
            "policy-panel",
        ] {
            let mut handle = mount_widget(host.clone(), kind, Some(js_sys::JSON::parse(&options).unwrap())).unwrap();
            if let Some(ms) = pause_ms {
                pause(ms).await;
            }
            handle.unmount();
        }
    }
    pause(1_000).await; // every answer is in
    assert_eq!(panics.load(Ordering::SeqCst), before, "a task of an unmounted widget panicked");
    let mut table = mount_in_english(&host, "vm-table");
    wait_for("rows", 10, || all(&host, "tbody tr[role=row] td:nth-child(2)").len() >= 5).await;
    table.unmount();
    host.remove();
}

/// Removes `element` from the page when it sends `event`, as a host page closing a picker or an editor does from
/// its handler.
fn remove_on(element: &HtmlElement, event: &str) -> Closure<dyn FnMut(web_sys::Event)> {
    let target = element.clone();
    let close = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| target.remove());
    element.add_event_listener_with_callback(event, close.as_ref().unchecked_ref()).unwrap();
    close
}

/// A host closes a widget from inside the handler of the event it sent: the VM picker once a VM is chosen, the
/// schedule editor once the schedule is saved, the backup panel once its backup started. The widget goes
/// without a panic, and the page's widgets work.
#[wasm_bindgen_test]
async fn a_host_may_remove_a_widget_from_the_handler_of_its_event() {
    let panics = count_panics();
    let before = panics.load(Ordering::SeqCst);
    let client = host_session_client().await;
    define_elements();

    let picker = custom_element("vmb-vm-table", &[("api-base", &api_base()), ("lang", "en")]);
    let _closing_picker = remove_on(&picker, "vmb-selection-changed");
    wait_for("rows", 10, || all(&picker, "tbody tr[role=row] td:nth-child(2)").len() >= 5).await;
    click(&first(&picker, "tbody tr[role=row]").unwrap());
    wait_for("the host to close the picker on a selection", 10, || !picker.is_connected()).await;

    let editor = custom_element("vmb-schedule-form", &[("api-base", &api_base()), ("lang", "en")]);
    let _closing_editor = remove_on(&editor, "vmb-schedule-saved");
    wait_for("the form's Save", 10, || first(&editor, "button[type=submit]").is_some()).await;
    type_into(&editor, "input[name=name]", &format!("closed-on-save-{}", (js_sys::Math::random() * 1e9) as u64));
    type_into(&editor, "input[name=hour]", "02:00");
    click(&first(&editor, "fieldset[id$='-daysOfWeek'] input[type=checkbox]").unwrap());
    click(&first(&editor, "button[type=submit]").unwrap());
    wait_for("the host to close the editor on save", 10, || !editor.is_connected()).await;

    // The backup panel closes once its backup started.
    let vm = protected_vm(&client, "log-", 0).await;
    let panel = custom_element("vmb-backup-button", &[("api-base", &api_base()), ("lang", "en"), ("vm", &vm.id)]);
    let _closing_panel = remove_on(&panel, "vmb-backup-started");
    wait_for("an enabled backup button", 10, || {
        first(&panel, ".vmb-backup-open").is_some_and(|b| !b.has_attribute("disabled"))
    })
    .await;
    click(&first(&panel, ".vmb-backup-open").unwrap());
    wait_for("the policy's rule offered", 10, || first(&panel, "dialog select[name=rules] option").is_some()).await;
    click(&first(&panel, "dialog .vmb-backup-submit").unwrap());
    wait_for("the host to close the panel once the backup started", 15, || !panel.is_connected()).await;

    pause(500).await;
    assert_eq!(panics.load(Ordering::SeqCst), before, "a widget panicked on its way out");
    let table = custom_element("vmb-vm-table", &[("api-base", &api_base()), ("lang", "en")]);
    wait_for("rows in a new table", 10, || all(&table, "tbody tr[role=row] td:nth-child(2)").len() >= 5).await;
    table.remove();
}

/// Once the host unmounted a widget, nothing more of it reaches the host, even from a request that ends later:
/// the widget's context (and its handle on the host element) goes with the widget.
#[wasm_bindgen_test]
async fn after_its_unmount_a_widget_tells_its_host_nothing_more() {
    let client = host_session_client().await;
    let (host, mounted) = mount(client, Lang::Pl, || ());
    let context = mounted.context();
    let errors = listen(&host, "vmb-error");
    let report = |message: &str| HostEvent::Error { kind: "server".into(), status: Some(500), message: message.into() };
    context.emit(report("while mounted"));
    wait_for("the report of the mounted widget", 5, || errors.borrow().len() == 1).await;
    assert_eq!(context.lang(), Lang::Pl);
    drop(mounted);
    context.emit(report("after the unmount"));
    pause(200).await;
    assert_eq!(errors.borrow().len(), 1, "a report after the unmount reached the host: {:?}", errors.borrow());
    // Its other values are gone too: reads give defaults instead of failing.
    assert_eq!(context.lang(), Lang::En);
    host.remove();
}
