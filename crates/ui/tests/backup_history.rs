//! BackupHistory in headless Chromium against the simulator (10,000 VMs, hostile names).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use leptos::prelude::*;
use vmbackup_client::Client;
use vmbackup_core::domain::{Backup, BackupStatus, BackupType, Direction, LocationStatus, Ref};
use vmbackup_core::storware::backups::ListBackups;
use vmbackup_core::storware::policies::GetPolicy;
use vmbackup_core::storware::session::Login;
use vmbackup_core::storware::tasks::ExportVms;
use vmbackup_core::storware::vms::ListVms;
use vmbackup_ui::format;
use vmbackup_ui::i18n::Lang;
use vmbackup_ui::widgets::backup_history::BackupHistory;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ZONE: &str = "Europe/Warsaw";

fn rows(host: &web_sys::HtmlElement) -> Vec<web_sys::Element> {
    all(host, "tbody tr")
}

fn cells(host: &web_sys::HtmlElement, class: &str) -> Vec<String> {
    all(host, &format!("tbody td.{class}")).iter().map(text).collect()
}

fn newest_first(vm: &str, index: u32, size: u32) -> ListBackups {
    ListBackups::of_vm(vm).page(index, size).sort_by("backupTime", Direction::Desc)
}

/// A VM (not one with a hostile name) with at least `min` backups.
async fn vm_with_backups(client: &Client, min: u64) -> String {
    let vms = client.call(&ListVms::page(0, 100)).await.unwrap().items;
    for vm in vms.iter().filter(|vm| vm.protection.last_backup.is_some() && !vm.name.contains('<')) {
        let page = client.call(&newest_first(&vm.id, 0, 1)).await.unwrap();
        if page.total.unwrap_or(0) >= min {
            return vm.id.clone();
        }
    }
    panic!("the simulator has no VM with {min} backups");
}

fn time_of(backup: &Backup) -> String {
    format::date_time(Lang::En, ZONE, backup.time.or(backup.snapshot_time).unwrap())
}

fn size_of(backup: &Backup) -> String {
    backup.size.map_or_else(|| "—Size not known yet".to_string(), |size| format::bytes(Lang::En, size))
}

/// Whether the history offers a restore from `backup`: it succeeded, at least partly, and a copy of it is there.
fn offers_restore(backup: &Backup) -> bool {
    matches!(backup.status, BackupStatus::Success | BackupStatus::PartialSuccess)
        && backup.locations.iter().any(|l| l.status == LocationStatus::Present)
}

fn injected() -> JsValue {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__vmbInjected")).unwrap()
}

#[wasm_bindgen_test]
async fn lists_the_backups_of_a_vm_with_sizes_and_locations() {
    let client = host_session_client().await;
    let vm = vm_with_backups(&client, 2).await;
    let expected = client.call(&newest_first(&vm, 0, 10)).await.unwrap().items;
    let vm_name = expected[0].vm.as_ref().and_then(|r| r.name.clone()).unwrap();
    let (host, _mounted) = mount(client, Lang::En, {
        let vm = vm.clone();
        move || view! { <BackupHistory vm=vm /> }
    });
    wait_for("every backup's row", 10, || rows(&host).len() == expected.len()).await;

    assert_eq!(cells(&host, "vmb-history__time"), expected.iter().map(time_of).collect::<Vec<_>>(), "newest first");
    assert_eq!(cells(&host, "vmb-history__size"), expected.iter().map(size_of).collect::<Vec<_>>());
    assert!(cells(&host, "vmb-history__size").iter().any(|s| s.ends_with("GiB") || s.ends_with("MiB")));
    let copies = cells(&host, "vmb-history__copies");
    let mut named_copies = 0;
    for (backup, cell) in expected.iter().zip(&copies) {
        for location in &backup.locations {
            let destination = location.destination.as_ref().and_then(|d| d.name.clone()).unwrap();
            assert!(cell.contains(&destination), "{destination} missing from {cell}");
            named_copies += 1;
        }
    }
    assert!(named_copies > 0, "the VM's backups are kept somewhere");
    let statuses = cells(&host, "vmb-history__status");
    for (backup, status) in expected.iter().zip(&statuses) {
        let word = match backup.status {
            BackupStatus::Success => "Successful",
            BackupStatus::PartialSuccess => "Partially successful",
            BackupStatus::Failed => "Failed",
            _ => "",
        };
        assert!(status.contains(word), "{status} for {:?}", backup.status);
    }
    let utc = first(&host, "tbody td.vmb-history__time").unwrap().get_attribute("title").unwrap();
    assert!(utc.ends_with('Z'), "UTC a hover away: {utc}");
    let title = text(&first(&host, ".vmb-history__title").unwrap());
    assert_eq!(title, format!("Backups of {vm_name}"));
    assert!(first(&host, ".vmb-pager").is_none(), "one page needs no pager");
}

#[wasm_bindgen_test]
async fn dates_and_sizes_keep_their_order_on_a_right_to_left_page() {
    let client = host_session_client().await;
    let vm = vm_with_backups(&client, 1).await;
    let (host, _mounted) = mount(client, Lang::Pl, move || view! { <BackupHistory vm=vm /> });
    host.set_attribute("dir", "rtl").unwrap();
    wait_for("the rows", 10, || !rows(&host).is_empty()).await;
    let time_cell = first(&host, "tbody td.vmb-history__time").unwrap();
    let style = web_sys::window().unwrap().get_computed_style(&time_cell).unwrap().unwrap();
    assert_eq!(style.get_property_value("direction").unwrap(), "rtl", "the table itself mirrors");
    for selector in ["td.vmb-history__time", "td.vmb-history__size", ".vmb-history__copies li bdi"] {
        let cells = all(&host, &format!("tbody {selector}"));
        assert!(!cells.is_empty(), "{selector}");
        for cell in cells {
            // "25 lis 2026, 14:05" stays so; unisolated, it reads "lis 2026, 14:05 25".
            assert_isolated_left_to_right(&cell);
        }
    }
    // The caption "Kopie zapasowe maszyny {name}" keeps the name at its end.
    wait_for("the caption", 10, || first(&host, ".vmb-history__title .vmb-name").is_some()).await;
    let caption = first(&host, ".vmb-history__title > bdi").unwrap();
    assert_eq!(caption.get_attribute("dir").as_deref(), Some("ltr"));
    let sentence_end = word_boxes(&caption).last().unwrap().1;
    let name = caption.query_selector(".vmb-name").unwrap().unwrap();
    assert!(name.get_bounding_client_rect().left() >= sentence_end - 0.5, "the name is drawn after the sentence");
    assert!(assert_sentences_read_in_order(&host) >= 10);
}

#[wasm_bindgen_test]
async fn pages_through_a_long_history_on_the_server() {
    let client = host_session_client().await;
    let vm = vm_with_backups(&client, 3).await;
    let first_page = client.call(&newest_first(&vm, 0, 2)).await.unwrap();
    let second_page = client.call(&newest_first(&vm, 1, 2)).await.unwrap();
    let total = first_page.total.unwrap();
    let (host, _mounted) = mount(client, Lang::En, {
        let vm = vm.clone();
        move || view! { <BackupHistory vm=vm page_size=2 /> }
    });
    let want_first: Vec<String> = first_page.items.iter().map(time_of).collect();
    let want_second: Vec<String> = second_page.items.iter().map(time_of).collect();
    wait_for("the first page", 10, || cells(&host, "vmb-history__time") == want_first).await;
    let pager = text(&first(&host, ".vmb-pager").unwrap());
    assert!(pager.contains(&format!("1–2 of {total}")), "{pager}");
    let buttons = all(&host, ".vmb-pager button");
    assert_eq!(buttons[0].get_attribute("disabled").as_deref(), Some(""), "no page before the first");
    click(&buttons[1]);
    wait_for("the second page", 10, || cells(&host, "vmb-history__time") == want_second).await;
    let pager = text(&first(&host, ".vmb-pager").unwrap());
    assert!(pager.contains(&format!("3–{} of {total}", total.min(4))), "{pager}");
    click(&all(&host, ".vmb-pager button")[0]);
    wait_for("the first page again", 10, || cells(&host, "vmb-history__time") == want_first).await;
}

#[wasm_bindgen_test]
async fn choosing_a_restorable_backup_calls_back_and_marks_its_row() {
    let client = host_session_client().await;
    let vm = vm_with_backups(&client, 2).await;
    let expected = client.call(&newest_first(&vm, 0, 10)).await.unwrap().items;
    let restorable: Vec<&Backup> = expected.iter().filter(|b| offers_restore(b)).collect();
    assert!(!restorable.is_empty());
    let chosen: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = chosen.clone();
    let (host, _mounted) = mount(client, Lang::En, {
        let vm = vm.clone();
        move || {
            let on_select = Callback::new(move |backup: Backup| sink.lock().unwrap().push(backup.id));
            view! { <BackupHistory vm=vm on_select=on_select /> }
        }
    });
    wait_for("rows", 10, || rows(&host).len() == expected.len()).await;
    let buttons = all(&host, "tbody td.vmb-history__actions button");
    assert_eq!(buttons.len(), restorable.len(), "only backups a restore can use offer it");
    let label = buttons[0].get_attribute("aria-label").unwrap();
    assert!(label.starts_with("Restore the backup of "), "{label}");
    click(&buttons[0]);
    pause(50).await;
    assert_eq!(*chosen.lock().unwrap(), vec![restorable[0].id.clone()]);
    let marked = all(&host, "tbody tr[aria-current=true]");
    assert_eq!(marked.len(), 1);
    assert!(marked[0].contains(Some(&*buttons[0])));
}

#[wasm_bindgen_test]
async fn a_narrow_history_fits_its_place_without_scrolling_sideways() {
    let client = host_session_client().await;
    let vm = vm_with_backups(&client, 3).await;
    // The SPA's details pane (about 460 px) in English and Polish, and a wide page.
    for (width, lang, type_shown) in [(460, Lang::En, false), (460, Lang::Pl, false), (900, Lang::Pl, true)] {
        let (host, _mounted) = mount(client.clone(), lang, {
            let vm = vm.clone();
            move || view! { <BackupHistory vm=vm /> }
        });
        host.style().set_property("width", &format!("{width}px")).unwrap();
        wait_for("the rows", 10, || !rows(&host).is_empty()).await;
        let scroll = assert_table_fits_sideways(&host, &format!("{width} px, {lang:?}"));
        let edge = scroll.get_bounding_client_rect();
        let mut named_copies = 0;
        for copies in all(&host, "tbody td.vmb-history__copies") {
            let cell = copies.get_bounding_client_rect();
            assert!(cell.left() >= edge.left() && cell.right() <= edge.right(), "the copies are in view at {width} px");
            // "fs-primary · primary" (a backup another test is making has none yet).
            named_copies += usize::from(text(&copies).contains('·'));
        }
        assert!(named_copies > 0, "the VM's backups are kept somewhere");
        let type_cell = first(&host, "tbody td.vmb-history__type").unwrap().get_bounding_client_rect();
        assert_eq!(type_cell.width() > 0.0, type_shown, "the type column at {width} px");
    }
}

/// A VM (not one with a hostile name) whose history holds the longest texts the simulator gives: a partly
/// successful backup ("Częściowo udana", with its reason beneath) whose second copy failed ("s3-offsite ·
/// dodatkowa · kopia nieudana"), beside incrementals ("Przyrostowa").
async fn vm_with_a_partial_backup(client: &Client) -> String {
    let partial = ListBackups::all().with_status(BackupStatus::PartialSuccess).page(0, 50);
    let backups = client.call(&partial).await.unwrap().items;
    backups
        .iter()
        .filter_map(|backup| backup.vm.as_ref())
        .find(|vm| vm.name.as_ref().is_some_and(|name| !name.contains('<')))
        .map(|vm| vm.id.clone())
        .expect("the simulator has partly successful backups (gold policies)")
}

/// The role an element of the table must state itself when its `display` is no longer the table's own: a
/// browser then drops the element's table semantics, and a screen reader would read loose text.
fn role_kept(element: &web_sys::Element) -> Result<(), String> {
    let (native_display, role) = match element.tag_name().as_str() {
        "TABLE" => ("table", "table"),
        "THEAD" => ("table-header-group", "rowgroup"),
        "TBODY" => ("table-row-group", "rowgroup"),
        "TR" => ("table-row", "row"),
        "TH" => ("table-cell", "columnheader"),
        "TD" => ("table-cell", "cell"),
        _ => return Ok(()),
    };
    let style = web_sys::window().unwrap().get_computed_style(element).unwrap().unwrap();
    let display = style.get_property_value("display").unwrap();
    if display == native_display || element.get_attribute("role").as_deref() == Some(role) {
        Ok(())
    } else {
        Err(format!("a {} shown as `display: {display}` has no role=\"{role}\"", element.tag_name()))
    }
}

#[wasm_bindgen_test]
async fn the_longest_rows_fit_every_width_without_scrolling_sideways_and_stay_a_table() {
    let client = host_session_client().await;
    let vm = vm_with_a_partial_backup(&client).await;
    let expected = client.call(&newest_first(&vm, 0, 10)).await.unwrap().items;
    let restorable = expected.iter().filter(|backup| offers_restore(backup)).count();
    // A phone, a narrow details pane in a portal, the SPA's pane (460 px), each layout's narrowest widths and a page;
    // mostly in Polish, whose words are the longest, and once right to left.
    let places = [
        (320, Lang::Pl, false),
        (320, Lang::En, false),
        (320, Lang::Pl, true),
        (400, Lang::Pl, false),
        (460, Lang::Pl, false),
        (550, Lang::Pl, false),
        (560, Lang::En, false),
        (640, Lang::Pl, false),
        (720, Lang::Pl, false),
        (900, Lang::Pl, false),
        (900, Lang::En, false),
    ];
    for (width, lang, rtl) in places {
        let place = format!("{width} px, {lang:?}{}", if rtl { ", rtl" } else { "" });
        let (host, mounted) = mount(client.clone(), lang, {
            let vm = vm.clone();
            move || view! { <BackupHistory vm=vm /> }
        });
        host.style().set_property("width", &format!("{width}px")).unwrap();
        if rtl {
            host.set_attribute("dir", "rtl").unwrap();
        }
        wait_for("every backup's row", 10, || rows(&host).len() == expected.len()).await;
        let partly = if lang == Lang::Pl { "Częściowo udana" } else { "Partially successful" };
        assert!(cells(&host, "vmb-history__status").iter().any(|s| s.contains(partly)), "{place}: the longest status");

        let scroll = assert_table_fits_sideways(&host, &place);
        let edge = scroll.get_bounding_client_rect();
        let in_view = |element: &web_sys::Element| {
            let rect = element.get_bounding_client_rect();
            rect.width() > 0.0 && rect.left() >= edge.left() - 0.5 && rect.right() <= edge.right() + 0.5
        };
        for copies in all(&host, "tbody td.vmb-history__copies") {
            assert!(in_view(&copies), "{place}: the copies \"{}\" are in view", text(&copies));
        }
        let buttons = all(&host, "tbody td.vmb-history__actions button");
        assert_eq!(buttons.len(), restorable, "{place}: every restorable backup offers a restore");
        for button in &buttons {
            assert!(in_view(button), "{place}: the Restore button is in view without scrolling");
        }

        // Readable: no text of a row under ~12 px (14 px × the badges' .85).
        let window = web_sys::window().unwrap();
        for element in all(&host, "tbody td, tbody td *") {
            let has_text = (0..element.child_nodes().length()).filter_map(|i| element.child_nodes().item(i)).any(|n| {
                n.node_type() == web_sys::Node::TEXT_NODE && n.text_content().unwrap_or_default().trim() != ""
            });
            if !has_text || element.closest(".vmb-sr-only").unwrap().is_some() {
                continue;
            }
            let size = window.get_computed_style(&element).unwrap().unwrap().get_property_value("font-size").unwrap();
            let px: f64 = size.trim_end_matches("px").parse().unwrap();
            assert!(px >= 11.9, "{place}: \"{}\" is drawn at {size}", text(&element));
        }

        let faults: Vec<String> =
            all(&host, "table, thead, tbody, tr, th, td").iter().filter_map(|e| role_kept(e).err()).collect();
        assert!(faults.is_empty(), "{place}: the accessibility tree loses the table: {faults:?}");
        if rtl {
            assert!(assert_sentences_read_in_order(&host) >= 10, "{place}");
        }
        drop(mounted);
        host.remove();
    }
}

#[wasm_bindgen_test]
async fn a_vm_without_backups_says_so_in_polish() {
    let client = host_session_client().await;
    let vms = client.call(&ListVms::page(0, 300)).await.unwrap().items;
    let mut empty = None;
    for vm in vms.iter().filter(|vm| vm.protection.last_backup.is_none() && !vm.name.contains('<')) {
        if client.call(&newest_first(&vm.id, 0, 1)).await.unwrap().total == Some(0) {
            empty = Some(vm.clone());
            break;
        }
    }
    let vm = empty.expect("the simulator has VMs that were never backed up");
    let (host, _mounted) = mount(client, Lang::Pl, {
        let id = vm.id.clone();
        move || view! { <BackupHistory vm=id /> }
    });
    wait_for("the empty state", 10, || {
        all(&host, "[role=status]").iter().any(|s| text(s) == "Ta maszyna wirtualna nie ma jeszcze kopii zapasowych.")
    })
    .await;
    wait_for("the Polish caption", 10, || {
        first(&host, ".vmb-history__title").is_some_and(|t| text(&t) == format!("Kopie zapasowe maszyny {}", vm.name))
    })
    .await;
    assert!(first(&host, "table").is_none());
}

#[wasm_bindgen_test]
async fn an_html_error_page_is_shown_clearly_and_retry_recovers() {
    let client = host_session_client().await;
    let vm = vm_with_backups(&client, 1).await;
    set_faults(serde_json::json!({"errorRate": 1.0, "htmlErrors": true})).await;
    let (host, _mounted) = mount(client, Lang::Pl, {
        let vm = vm.clone();
        move || view! { <BackupHistory vm=vm /> }
    });
    wait_for("an alert", 10, || first(&host, "[role=alert]").is_some()).await;
    set_faults(serde_json::json!({"errorRate": 0.0, "htmlErrors": false})).await;
    let alert = text(&first(&host, "[role=alert]").unwrap());
    assert!(alert.contains("Serwer kopii zapasowych zgłosił błąd"), "Polish summary: {alert}");
    assert!(alert.contains("HTTP 502"), "{alert}");
    assert!(!alert.contains('<'), "no page source: {alert}");
    click(&first(&host, "[role=alert] button").unwrap());
    wait_for("rows after retry", 10, || !rows(&host).is_empty() && first(&host, "[role=alert]").is_none()).await;
    assert_eq!(text(&all(&host, "thead th")[3]), "Rozmiar");
}

#[wasm_bindgen_test]
async fn hostile_vm_names_render_as_text_and_run_nothing() {
    let client = host_session_client().await;
    for needle in ["onerror", "script", "bold"] {
        let vm = client.call(&ListVms::page(0, 5).name_like(needle)).await.unwrap().items.remove(0);
        assert!(vm.name.contains('<'), "the simulator runs with --hostile-names: {}", vm.name);
        let (host, mounted) = mount(client.clone(), Lang::En, {
            let id = vm.id.clone();
            move || view! { <BackupHistory vm=id /> }
        });
        wait_for("the caption with the name", 10, || {
            first(&host, ".vmb-history__title").is_some_and(|t| text(&t) == format!("Backups of {}", vm.name))
        })
        .await;
        assert!(all(&host, "img, script, b").is_empty(), "markup from {:?} became elements", vm.name);
        assert_eq!(all(&host, ".vmb-history__title bdi.vmb-name").len(), 1, "the name is isolated from the sentence");
        drop(mounted);
        host.remove();
    }
    assert!(injected().is_undefined(), "a payload ran");
}

#[wasm_bindgen_test]
async fn an_expired_session_prompts_and_the_history_resumes() {
    let client = host_session_client().await;
    let vm = vm_with_backups(&client, 3).await;
    let second_page = client.call(&newest_first(&vm, 1, 2)).await.unwrap();
    let want_second: Vec<String> = second_page.items.iter().map(time_of).collect();
    let (host, _mounted) = mount(client.clone(), Lang::En, {
        let vm = vm.clone();
        move || view! { <BackupHistory vm=vm page_size=2 /> }
    });
    wait_for("the first page", 10, || rows(&host).len() == 2).await;
    control(vmbackup_core::http::HttpRequest::post("/__sim/expire-sessions")).await;
    click(&all(&host, ".vmb-pager button")[1]);
    wait_for("the session prompt", 10, || {
        all(&host, "[role=alert]").iter().any(|a| text(a).contains("Your session has expired"))
    })
    .await;
    assert_eq!(all(&host, "[role=alert]").len(), 1, "the prompt, not an error as well");
    client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
    let resume = all(&host, "[role=alert] button").into_iter().find(|b| text(b).contains("logged in again")).unwrap();
    click(&resume);
    wait_for("the second page", 10, || cells(&host, "vmb-history__time") == want_second).await;
}

#[wasm_bindgen_test]
async fn a_tracked_backup_of_the_vm_shows_up_and_reaches_its_end_without_a_refresh() {
    let client = host_session_client().await;
    let vms = client.call(&ListVms::page(0, 100)).await.unwrap().items;
    let vm = vms
        .into_iter()
        .find(|vm| vm.protection.policy.is_some() && vm.protection.present && !vm.name.contains('<'))
        .expect("a protected VM");
    let (host, _mounted) = mount(client.clone(), Lang::En, {
        let id = vm.id.clone();
        move || view! { <BackupHistory vm=id /> }
    });
    wait_for("the caption", 10, || first(&host, ".vmb-history__title").is_some_and(|t| text(&t).contains(&vm.name)))
        .await;
    pause(300).await;
    let newest_before = cells(&host, "vmb-history__time").first().cloned();
    let policy = client.call(&GetPolicy::new(vm.protection.policy.clone().unwrap().id)).await.unwrap();
    let rule = policy.rules.iter().find_map(|r| r.id.clone()).map(Ref::id).unwrap();
    let export = ExportVms::new(vec![Ref::id(vm.id.clone())], vec![rule], BackupType::Full, client.now_ms());
    let submitted = client.export_vms(&export).await.unwrap();
    for task in &submitted.tasks {
        client.poller().track(task.id.clone());
    }
    let first_status = || all(&host, "tbody td.vmb-history__status").first().map(text).unwrap_or_default();
    wait_for("the new backup, running, at the top", 30, || {
        cells(&host, "vmb-history__time").first() != newest_before.as_ref() && first_status().contains("In progress")
    })
    .await;
    // Running, it has no size yet (the server says 0): a dash, named for screen readers.
    let size = first(&host, "tbody td.vmb-history__size").unwrap();
    assert_eq!(text(&size), "—Size not known yet");
    let dash = size.query_selector("[aria-hidden=true]").unwrap().unwrap();
    assert_eq!(text(&dash), "—");
    assert!(size.query_selector(".vmb-sr-only").unwrap().is_some());
    wait_for("the new backup, successful, at the top", 30, || {
        cells(&host, "vmb-history__time").first() != newest_before.as_ref() && first_status().contains("Successful")
    })
    .await;
    let newest = client.call(&newest_first(&vm.id, 0, 1)).await.unwrap().items.remove(0);
    assert_eq!(newest.status, BackupStatus::Success);
    assert_eq!(cells(&host, "vmb-history__size").first(), Some(&size_of(&newest)));
    assert!(newest.size.is_some_and(|bytes| bytes > 0), "a finished backup keeps its size");
}
