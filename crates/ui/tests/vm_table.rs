//! VmTable in headless Chromium against the simulator (10,000 VMs, hostile names).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use leptos::prelude::*;
use vmbackup_core::domain::Direction;
use vmbackup_core::storware::vms::ListVms;
use vmbackup_ui::i18n::Lang;
use vmbackup_ui::widgets::VmTable;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn data_rows(host: &web_sys::HtmlElement) -> Vec<web_sys::Element> {
    all(host, "tbody tr[role=row]")
}

fn loaded_names(host: &web_sys::HtmlElement) -> Vec<String> {
    data_rows(host)
        .iter()
        .filter_map(|row| row.query_selector("td:nth-child(2)").ok().flatten())
        .map(|c| text(&c))
        .collect()
}

#[wasm_bindgen_test]
async fn ten_thousand_vms_scroll_top_to_bottom_with_a_bounded_number_of_rows() {
    let client = host_session_client().await;
    let total = client.call(&ListVms::page(0, 1)).await.unwrap().total.unwrap();
    assert!(total >= 10_000, "the test simulator has 10,000 VMs, not {total}");
    let (host, _mounted) = mount(client, Lang::En, || view! { <VmTable /> });
    wait_for("the first rows", 10, || loaded_names(&host).len() >= 12).await;
    let scroller: web_sys::HtmlElement = first(&host, ".vmb-table-scroll").unwrap().dyn_into().unwrap();
    let mut most_rows = 0;
    let step = scroller.scroll_height() / 25;
    for i in 1..=25 {
        scroll_to(&scroller, step * i);
        pause(30).await;
        most_rows = most_rows.max(data_rows(&host).len());
    }
    scroll_to(&scroller, scroller.scroll_height());
    let last_index = (total + 1).to_string();
    wait_for("the last row", 10, || {
        data_rows(&host).last().and_then(|r| r.get_attribute("aria-rowindex")).as_deref() == Some(last_index.as_str())
            && loaded_names(&host).last().is_some_and(|n| n != "Loading…")
    })
    .await;
    assert!(most_rows <= 30, "at most 30 rows in the DOM while scrolling, saw {most_rows}");
    let grid = first(&host, "[role=grid]").unwrap();
    assert_eq!(grid.get_attribute("aria-rowcount"), Some((total + 1).to_string()));
}

#[wasm_bindgen_test]
async fn the_table_is_as_tall_as_its_rows_up_to_its_visible_rows() {
    let client = host_session_client().await;
    let (host, _mounted) = mount(client, Lang::En, || view! { <VmTable visible_rows=8 /> });
    wait_for("the first rows", 10, || loaded_names(&host).len() >= 8).await;
    let scroller: web_sys::HtmlElement = first(&host, ".vmb-table-scroll").unwrap().dyn_into().unwrap();
    let height = || scroller.get_bounding_client_rect().height();
    // Eight rows and the header, 36 px each.
    assert_eq!(height(), 9.0 * 36.0);
    type_into(&host, "input[type=search]", "web-00306");
    wait_for("one match", 10, || loaded_names(&host) == ["web-00306"]).await;
    // The header and one row; the box's border (1 px each side) comes on top once it is not at its cap.
    wait_for("a table of one row", 5, || height() == 2.0 * 36.0 + 2.0).await;
    type_into(&host, "input[type=search]", "");
    wait_for("the whole list again", 10, || height() == 9.0 * 36.0).await;
}

#[wasm_bindgen_test]
async fn names_and_dates_are_isolated_on_a_right_to_left_page() {
    let client = host_session_client().await;
    let (host, _mounted) = mount(client, Lang::Pl, || view! { <VmTable /> });
    host.set_attribute("dir", "rtl").unwrap();
    wait_for("the first rows", 10, || loaded_names(&host).len() >= 12).await;
    let backed_up = all(&host, "tbody td.vmb-vm-table__last-backup")
        .into_iter()
        .filter(|bdi| text(bdi).chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>();
    assert!(!backed_up.is_empty(), "some VMs were backed up");
    for date in &backed_up {
        assert_isolated_left_to_right(date);
    }
    for row in data_rows(&host) {
        for column in 2..=4 {
            // A row still loading has one cell.
            let Some(cell) = row.query_selector(&format!("td:nth-child({column})")).unwrap() else { continue };
            let name = cell.first_element_child().unwrap();
            assert_eq!(name.tag_name(), "BDI", "a name from the server is isolated: {}", cell.outer_html());
            assert_eq!(name.get_attribute("dir"), None, "a name takes its direction from its own text");
        }
    }
    let counts = first(&host, ".vmb-toolbar bdi[dir=ltr]").unwrap();
    assert!(text(&counts).starts_with('1'), "{}", text(&counts));
    assert_isolated_left_to_right(&counts);
    assert!(assert_sentences_read_in_order(&host) >= 12);
}

#[wasm_bindgen_test]
async fn hostile_names_render_as_text_and_run_nothing() {
    let client = host_session_client().await;
    let (host, _mounted) = mount(client, Lang::En, || view! { <VmTable /> });
    wait_for("rows", 10, || loaded_names(&host).len() >= 5).await;
    // Search for the payloads so that they are on screen whatever the order.
    type_into(&host, "input[type=search]", "script");
    wait_for("the script-named VM", 10, || loaded_names(&host).iter().any(|n| n.contains("<script>"))).await;
    assert!(all(&host, "tbody script, tbody img, tbody b").is_empty(), "markup from a name became elements");
    let injected = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__vmbInjected")).unwrap();
    assert!(injected.is_undefined(), "a payload ran");
}

#[wasm_bindgen_test]
async fn sorting_by_name_asks_the_server_and_marks_the_column() {
    let client = host_session_client().await;
    let expected = client.call(&ListVms::page(0, 3).sort_by("name", Direction::Desc)).await.unwrap();
    let (host, _mounted) = mount(client, Lang::En, || view! { <VmTable /> });
    wait_for("rows", 10, || loaded_names(&host).len() >= 3).await;
    let name_header = first(&host, "thead th:nth-child(2) button").unwrap();
    click(&name_header);
    pause(50).await;
    click(&name_header);
    let want: Vec<String> = expected.items.iter().map(|v| v.name.clone()).collect();
    wait_for("descending names", 10, || loaded_names(&host).get(..3) == Some(&want[..])).await;
    let th = first(&host, "thead th:nth-child(2)").unwrap();
    assert_eq!(th.get_attribute("aria-sort").as_deref(), Some("descending"));
}

#[wasm_bindgen_test]
async fn a_server_error_page_is_shown_with_retry_and_the_table_recovers() {
    let client = host_session_client().await;
    set_faults(serde_json::json!({"errorRate": 1.0, "htmlErrors": true})).await;
    let (host, _mounted) = mount(client, Lang::Pl, || view! { <VmTable /> });
    wait_for("an alert", 10, || first(&host, "[role=alert]").is_some()).await;
    set_faults(serde_json::json!({"errorRate": 0.0, "htmlErrors": false})).await;
    let alert = text(&first(&host, "[role=alert]").unwrap());
    assert!(alert.contains("Serwer kopii zapasowych zgłosił błąd"), "Polish summary: {alert}");
    assert!(alert.contains("HTTP 502"), "{alert}");
    assert!(!alert.contains("<html"), "no page source: {alert}");
    click(&first(&host, "[role=alert] button").unwrap());
    wait_for("rows after retry", 10, || loaded_names(&host).len() >= 5 && first(&host, "[role=alert]").is_none()).await;
}

#[wasm_bindgen_test]
async fn keyboard_selects_rows_and_the_host_hears_the_selection() {
    let client = host_session_client().await;
    let (host, _mounted) = mount(client, Lang::En, || view! { <VmTable /> });
    let heard: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = heard.clone();
    let listener = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
        sink.borrow_mut().push(js_sys::JSON::stringify(&event.detail()).unwrap().into());
    });
    host.add_event_listener_with_callback("vmb-selection-changed", listener.as_ref().unchecked_ref()).unwrap();
    wait_for("rows", 10, || loaded_names(&host).len() >= 3).await;
    let grid: web_sys::HtmlElement = first(&host, "[role=grid]").unwrap().dyn_into().unwrap();
    grid.focus().unwrap();
    for key in ["ArrowDown", "ArrowDown", " "] {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        grid.dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
            .unwrap();
        pause(20).await;
    }
    let selected = all(&host, "tbody tr[aria-selected=true]");
    assert_eq!(selected.len(), 1);
    assert_eq!(selected[0].get_attribute("aria-rowindex").as_deref(), Some("3"), "the second VM");
    assert_eq!(heard.borrow().len(), 1);
    assert!(heard.borrow()[0].contains("vmIds"));
    listener.forget();
}

#[wasm_bindgen_test]
async fn an_expired_host_session_prompts_once_and_tells_the_host() {
    let client = host_session_client().await;
    let (host, _mounted) = mount(client.clone(), Lang::En, || view! { <VmTable /> });
    wait_for("rows", 10, || loaded_names(&host).len() >= 3).await;
    let expiries = Rc::new(RefCell::new(0));
    let sink = expiries.clone();
    let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| *sink.borrow_mut() += 1);
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .add_event_listener_with_callback("vmb-session-expired", listener.as_ref().unchecked_ref())
        .unwrap();
    control(vmbackup_core::http::HttpRequest::post("/__sim/expire-sessions")).await;
    type_into(&host, "input[type=search]", "web");
    wait_for("the session prompt", 10, || {
        all(&host, "[role=alert]").iter().any(|a| text(a).contains("Your session has expired"))
    })
    .await;
    assert_eq!(*expiries.borrow(), 1, "the host heard it once, from the shadow root");
    client.call(&vmbackup_core::storware::session::Login::new("admin", "vPr0tect")).await.unwrap();
    let resume = all(&host, "[role=alert] button").into_iter().find(|b| text(b).contains("logged in again")).unwrap();
    click(&resume);
    wait_for("rows again", 10, || loaded_names(&host).iter().any(|n| n.contains("web"))).await;
    listener.forget();
}

#[wasm_bindgen_test]
async fn the_table_fits_its_place_without_scrolling_sideways() {
    let client = host_session_client().await;
    // A 764 px host has the scroll box of the SPA's dashboard at a 1280 px window (730 px, beside the details
    // pane); narrower places drop the least needed columns (hypervisor, then project, policy and presence) but
    // keep the name, the last backup and "up to date".
    for (width, lang, hidden) in [
        (1000, Lang::Pl, &[][..]),
        (764, Lang::En, &[][..]),
        (764, Lang::Pl, &[][..]),
        (640, Lang::Pl, &[4][..]),
        (480, Lang::Pl, &[3, 4, 5, 8][..]),
        (400, Lang::En, &[3, 4, 5, 8][..]),
    ] {
        let (host, _mounted) = mount(client.clone(), lang, || view! { <VmTable /> });
        host.style().set_property("width", &format!("{width}px")).unwrap();
        wait_for("the first rows", 10, || loaded_names(&host).len() >= 12).await;
        let scroll = assert_table_fits_sideways(&host, &format!("{width} px, {lang:?}"));
        let headers = all(&host, "thead th");
        let widths: Vec<String> =
            headers.iter().map(|th| format!("{:.0}", th.get_bounding_client_rect().width())).collect();
        let edge = scroll.get_bounding_client_rect();
        for (index, th) in headers.iter().enumerate() {
            let column = index + 1;
            let rect = th.get_bounding_client_rect();
            if hidden.contains(&column) {
                assert_eq!(rect.width(), 0.0, "{width} px, {lang:?}: column {column} gives way: {widths:?}");
            } else {
                assert!(
                    rect.width() > 0.0 && rect.left() >= edge.left() - 0.5 && rect.right() <= edge.right() + 0.5,
                    "{width} px, {lang:?}: column {column} is in view: {widths:?}"
                );
            }
        }
    }
}

/// The host removes the table while the user is typing a search (the portal's page changes): the search, due
/// when typing pauses, finds the table gone and panics on nothing.
#[wasm_bindgen_test]
async fn a_table_unmounted_while_a_search_is_being_typed_ends_quietly() {
    let panics = count_panics();
    let before = panics.load(std::sync::atomic::Ordering::SeqCst);
    let client = host_session_client().await;
    let (host, mounted) = mount(client, Lang::En, || view! { <VmTable /> });
    wait_for("the first rows", 10, || !loaded_names(&host).is_empty()).await;
    type_into(&host, "input[type=search]", "web-0");
    drop(mounted);
    // The search waits 300 ms for typing to pause.
    pause(800).await;
    assert_eq!(panics.load(std::sync::atomic::Ordering::SeqCst), before, "the due search met a panic");
    host.remove();
}
