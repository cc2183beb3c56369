//! **VmTable**: the user's VMs and how well each is protected.
//!
//! Rows come from the server a page at a time (`X-Total-Count` gives the height of the whole list) and only the
//! rows in view, plus a few above and below, are in the DOM: a 10,000-VM inventory keeps about thirty `<tr>`s
//! while it scrolls from top to bottom. Sorting and the name search (debounced) run on the server. The table is
//! one keyboard stop: arrows, Page Up/Down, Home/End move the active row; Space or Enter selects it.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vmbackup_core::domain::{Direction, Project, Vm};
use vmbackup_core::storware::inventory::ListProjects;
use vmbackup_core::storware::vms::ListVms;
use vmbackup_core::{ApiError, ErrorKind};

use crate::context::use_widget_context;
use crate::erased::{effect, ErasedSignal};
use crate::format;
use crate::handler;
use crate::host_events::HostEvent;
use crate::i18n::Msg;
use crate::keyed_list::{keyed_list, KeyedRow};
use crate::linear_map::{LinearMap, LinearSet};
use crate::show_if::ShowIf;
use crate::timeout_slot::TimeoutSlot;
use crate::widgets::notices::{ErrorNotice, SessionNotice};

/// Height of one row in pixels (the stylesheet draws rows this tall).
pub const ROW_HEIGHT: f64 = 36.0;
/// Rows fetched per request.
pub const FETCH_PAGE_SIZE: u32 = 100;
/// Rows rendered above and below the visible ones.
const OVERSCAN: usize = 8;
/// Quiet time after the last keystroke before the search is sent.
const SEARCH_DEBOUNCE_MS: u64 = 300;

/// What the server is asked for; a change starts the list afresh.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TableQuery {
    sort_field: Option<&'static str>,
    direction: Direction,
    name: String,
    project: Option<String>,
}

/// A sortable column: its message and the server's sort field.
const COLUMNS: [(Msg, Option<&str>); 7] = [
    (Msg::ColName, Some("name")),
    (Msg::ColProject, Some("project.name")),
    (Msg::ColPlatform, Some("hvCluster.name")),
    (Msg::ColPolicy, Some("vmBackupPolicy.name")),
    (Msg::ColLastBackup, Some("lastBackup")),
    (Msg::ColUpToDate, Some("backupUpToDate")),
    (Msg::ColPresent, Some("present")),
];

/// The VM table.
///
/// * `project`: show only this project's VMs (and hide the project filter);
/// * `visible_rows`: height of the scrolling area in rows (less when fewer VMs match);
/// * `on_selection`: called with the selected VMs whenever the selection changes (the host also gets a
///   `vmb-selection-changed` event).
#[component]
pub fn VmTable(
    #[prop(optional, into)] project: Option<String>,
    #[prop(default = 12)] visible_rows: usize,
    #[prop(optional, into)] on_selection: Option<Callback<Vec<Vm>>>,
) -> impl IntoView {
    let ctx = use_widget_context();
    let fixed_project = project.clone();
    let query =
        ErasedSignal::new(TableQuery { sort_field: None, direction: Direction::Asc, name: String::new(), project });
    let search_text = ErasedSignal::new(String::new());
    let generation = ErasedSignal::new(0_u64);
    let pages: ErasedSignal<LinearMap<u32, Vec<Vm>>> = ErasedSignal::new(LinearMap::new());
    let in_flight: ErasedSignal<LinearSet<u32>> = ErasedSignal::new(LinearSet::new());
    let total: ErasedSignal<Option<u64>> = ErasedSignal::new(None);
    let error: ErasedSignal<Option<ApiError>> = ErasedSignal::new(None);
    let scroll_top = ErasedSignal::new(0.0_f64);
    let selected: ErasedSignal<Vec<Vm>> = ErasedSignal::new(Vec::new());
    let active: ErasedSignal<Option<usize>> = ErasedSignal::new(None);
    let projects: ErasedSignal<Vec<Project>> = ErasedSignal::new(Vec::new());
    let scroller = NodeRef::<html::Div>::new();
    let instance = next_instance_id();

    let restart = move || {
        generation.update(|g| *g += 1);
        pages.set(LinearMap::new());
        in_flight.set(LinearSet::new());
        error.set(None);
    };

    // A changed query starts over at the top.
    Effect::watch(
        move || query.get(),
        move |_, _, _| {
            restart();
            total.set(None);
            active.set(None);
            scroll_top.set(0.0);
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
        },
        false,
    );

    // The session came back: load again.
    Effect::watch(
        move || ctx.session_expired(),
        move |expired, _, _| {
            if !expired {
                restart()
            }
        },
        false,
    );

    // The projects for the filter, when the user may see several.
    if fixed_project.is_none() {
        spawn_local(async move {
            if let Ok(list) = ctx.client().call(&ListProjects::all()).await {
                let _ = projects.try_set(list.items);
            }
        });
    }

    let visible_range = move || {
        let first = ((scroll_top.get() / ROW_HEIGHT).floor() as usize).saturating_sub(OVERSCAN);
        let count = visible_rows + 2 * OVERSCAN;
        let end = match total.get() {
            Some(total) => (first + count).min(total as usize),
            None => first + count,
        };
        first..end
    };

    // Fetch the pages the visible rows need.
    effect(move || {
        let range = visible_range();
        let current = generation.get();
        if ctx.session_expired() || error.with(Option::is_some) {
            return;
        }
        let q = query.get();
        let needed: Vec<u32> = page_span(range.start, range.end.max(range.start + 1))
            .filter(|page| !pages.with(|p| p.contains_key(page)) && !in_flight.with(|f| f.contains(page)))
            .collect();
        for page in needed {
            in_flight.update(|f| {
                f.insert(page);
            });
            let q = q.clone();
            spawn_local(async move {
                let mut op = ListVms::page(page, FETCH_PAGE_SIZE);
                if let Some(field) = q.sort_field {
                    op = op.sort_by(field, q.direction);
                }
                if !q.name.trim().is_empty() {
                    op = op.name_like(q.name.trim());
                }
                if let Some(project) = &q.project {
                    op = op.in_project(project);
                }
                let result = ctx.client().call(&op).await;
                // The widget may be gone (unmounted) or the query replaced meanwhile.
                if generation.try_get_untracked() != Some(current) {
                    return;
                }
                in_flight.update(|f| {
                    f.remove(&page);
                });
                match result {
                    Ok(rows) => {
                        if rows.total.is_some() || page == 0 {
                            total.set(Some(rows.total.unwrap_or(rows.items.len() as u64)));
                        }
                        pages.update(|p| {
                            p.insert(page, rows.items);
                        });
                    }
                    Err(e) if e.kind == ErrorKind::Unauthorized => {}
                    Err(e) => {
                        ctx.report(&e);
                        error.set(Some(e));
                    }
                }
            });
        }
    });

    let row_at = move |index: usize| -> Option<Vm> {
        let page = (index / FETCH_PAGE_SIZE as usize) as u32;
        pages.with(|p| p.get(&page).and_then(|rows| rows.get(index % FETCH_PAGE_SIZE as usize).cloned()))
    };

    let set_selection = move |vms: Vec<Vm>| {
        selected.set(vms.clone());
        ctx.emit(HostEvent::SelectionChanged { vm_ids: vms.iter().map(|v| v.id.clone()).collect() });
        if let Some(callback) = on_selection {
            callback.run(vms);
        }
    };
    let toggle = move |vm: Vm| {
        let mut vms = selected.get_untracked();
        match vms.iter().position(|v| v.id == vm.id) {
            Some(at) => {
                vms.remove(at);
            }
            None => vms.push(vm),
        }
        set_selection(vms);
    };
    let is_selected = move |id: &str| selected.with(|s| s.iter().any(|v| v.id == id));

    // Debounced search: the query changes only after typing pauses.
    let search_due = TimeoutSlot::new();
    let on_search = move |ev: leptos::ev::Event| {
        search_text.set(event_target_value(&ev));
        search_due.set(std::time::Duration::from_millis(SEARCH_DEBOUNCE_MS), move || {
            let text = search_text.get_untracked();
            query.update(|q| q.name = text);
        });
    };

    let sort_by = move |field: &'static str| {
        query.update(|q| {
            if q.sort_field == Some(field) {
                q.direction = match q.direction {
                    Direction::Asc => Direction::Desc,
                    Direction::Desc => Direction::Asc,
                };
            } else {
                q.sort_field = Some(field);
                q.direction = Direction::Asc;
            }
        });
    };

    let scroll_to_row = move |index: usize| {
        if let Some(el) = scroller.get_untracked() {
            let top = index as f64 * ROW_HEIGHT;
            let view_height = visible_rows as f64 * ROW_HEIGHT;
            let current = el.scroll_top() as f64;
            // The sticky header covers the first row's height.
            if top < current {
                el.set_scroll_top(top as i32);
            } else if top + 2.0 * ROW_HEIGHT > current + view_height {
                el.set_scroll_top((top + 2.0 * ROW_HEIGHT - view_height) as i32);
            }
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let Some(count) = total.get_untracked().map(|t| t as usize).filter(|t| *t > 0) else { return };
        let current = active.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowDown" => Some(current.map_or(0, |i| (i + 1).min(count - 1))),
            "ArrowUp" => Some(current.map_or(0, |i| i.saturating_sub(1))),
            "PageDown" => Some(current.map_or(0, |i| (i + visible_rows).min(count - 1))),
            "PageUp" => Some(current.map_or(0, |i| i.saturating_sub(visible_rows))),
            "Home" => Some(0),
            "End" => Some(count - 1),
            " " | "Enter" => {
                if let Some(vm) = current.and_then(row_at) {
                    toggle(vm);
                }
                ev.prevent_default();
                None
            }
            _ => None,
        };
        if let Some(next) = next {
            ev.prevent_default();
            active.set(Some(next));
            scroll_to_row(next);
        }
    };

    let row_id = move |index: usize| format!("vmb-vmtable-{instance}-row-{index}");
    let header = COLUMNS.map(|(msg, field)| {
        let aria_sort = move || match (field, query.with(|q| (q.sort_field, q.direction))) {
            (Some(f), (Some(s), Direction::Asc)) if f == s => "ascending",
            (Some(f), (Some(s), Direction::Desc)) if f == s => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=aria_sort>
                {match field {
                    Some(field) => view! {
                        <button type="button" class="vmb-sort" on:click=handler::mouse(move |_| sort_by(field))>
                            {ctx.message(msg)}
                            <span aria-hidden="true">{move || match aria_sort() {
                                "ascending" => " ▲",
                                "descending" => " ▼",
                                _ => "",
                            }}</span>
                        </button>
                    }.into_any(),
                    None => view! { <span>{ctx.message(msg)}</span> }.into_any(),
                }}
            </th>
        }
    });

    let render_row = move |index: usize| {
        let row = move || row_at(index);
        view! {
            <tr
                id=move || row_id(index)
                role="row"
                aria-rowindex=index + 2
                aria-selected=move || row().map(|vm| is_selected(&vm.id).to_string())
                class:vmb-row--active=move || active.get() == Some(index)
                on:click=handler::mouse(move |_| {
                    active.set(Some(index));
                    if let Some(vm) = row() {
                        toggle(vm);
                    }
                })
            >
                {move || match row() {
                    Some(vm) => vm_cells(vm, is_selected).into_any(),
                    None => view! {
                        <td colspan="8" class="vmb-muted">{ctx.message(Msg::Loading)}</td>
                    }.into_any(),
                }}
            </tr>
        }
    };

    let rows_view = move || {
        let range = visible_range();
        let after = total.get().map_or(0, |t| (t as usize).saturating_sub(range.end));
        let before_px = range.start as f64 * ROW_HEIGHT;
        let after_px = after as f64 * ROW_HEIGHT;
        view! {
            <tr aria-hidden="true" style:height=format::css_pixels(before_px)></tr>
            {keyed_list(move || visible_range().map(|index| KeyedRow::new(Some(index.to_string()), move || render_row(index))).collect())}
            <tr aria-hidden="true" style:height=format::css_pixels(after_px)></tr>
        }
    };

    let rows_info = move || {
        let total = total.get()?;
        let first = (scroll_top.get() / ROW_HEIGHT).floor() as u64 + 1;
        let last = (first + visible_rows as u64 - 1).min(total);
        Some(if total == 0 {
            String::new()
        } else {
            ctx.fill(
                Msg::RowsInfo,
                &[
                    ("from", &format::number(ctx.lang(), first as f64, 0)),
                    ("to", &format::number(ctx.lang(), last as f64, 0)),
                    ("total", &format::number(ctx.lang(), total as f64, 0)),
                ],
            )
        })
    };

    view! {
        <section class="vmb-vm-table" aria-label=ctx.message(Msg::VmTableLabel)>
            <SessionNotice />
            <div class="vmb-toolbar">
                <input
                    type="search"
                    class="vmb-input"
                    aria-label=ctx.message(Msg::SearchByName)
                    placeholder=ctx.message(Msg::SearchByName)
                    prop:value=move || search_text.get()
                    on:input=handler::event(on_search)
                />
                <ShowIf when=move || fixed_project.is_none() && projects.with(|p| p.len() > 1)>
                    <select
                        class="vmb-select"
                        aria-label=ctx.message(Msg::ColProject)
                        on:change=handler::event(move |ev| {
                            let value = event_target_value(&ev);
                            query.update(|q| q.project = Some(value).filter(|v| !v.is_empty()));
                        })
                    >
                        <option value="">{ctx.message(Msg::AllProjects)}</option>
                        {move || projects.get().into_iter().map(|p| {
                            let value = p.uuid.clone().unwrap_or_else(|| p.id.clone());
                            view! { <option value=value>{p.name}</option> }
                        }).collect_view()}
                    </select>
                </ShowIf>
                <span class="vmb-muted" aria-live="polite">{move || {
                    let count = selected.with(Vec::len);
                    (count > 0).then(|| ctx.fill(Msg::Selected, &[("count", &count.to_string())]))
                }}</span>
                <bdi class="vmb-muted" dir=move || ctx.dir()>{move || rows_info()}</bdi>
            </div>
            {move || error.get().map(|e| view! { <ErrorNotice error=e on_retry=Callback::new(move |_| restart()) /> })}
            <ShowIf when=move || total.get() == Some(0)>
                <p class="vmb-muted" role="status">{ctx.message(Msg::NoVms)}</p>
            </ShowIf>
            <div
                class="vmb-table-scroll"
                node_ref=scroller
                tabindex="0"
                role="grid"
                aria-label=ctx.message(Msg::VmTableLabel)
                aria-rowcount=move || total.get().map(|t| (t + 1).to_string())
                aria-multiselectable="true"
                aria-activedescendant=move || active.get().map(row_id)
                aria-busy=move || in_flight.with(|f| !f.is_empty()).to_string()
                // At most `visible_rows` tall, less when fewer VMs match (a search with one match leaves no box of
                // empty rows).
                style:max-height=format::css_pixels((visible_rows as f64 + 1.0) * ROW_HEIGHT)
                on:scroll=handler::event(move |ev| {
                    let el: web_sys::Element = event_target(&ev);
                    scroll_top.set(el.scroll_top() as f64);
                })
                on:keydown=handler::keyboard(on_keydown)
            >
                <table class="vmb-table" role="presentation">
                    <thead>
                        <tr role="row" aria-rowindex="1">
                            <th scope="col"><span class="vmb-sr-only">{ctx.message(Msg::SelectAll)}</span></th>
                            {header}
                        </tr>
                    </thead>
                    <tbody>{rows_view}</tbody>
                </table>
            </div>
        </section>
    }
}

/// The cells of one VM's row (text only: names from the server never become markup).
fn vm_cells(vm: Vm, is_selected: impl Fn(&str) -> bool + Copy + Send + Sync + 'static) -> impl IntoView {
    let ctx = use_widget_context();
    let id = vm.id.clone();
    let name_label = vm.name.clone();
    let platform = [
        vm.hypervisor_manager.as_ref().or(vm.hypervisor.as_ref()).and_then(|r| r.name.clone()),
        vm.cluster.as_ref().and_then(|r| r.name.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" / ");
    let project = vm.project.and_then(|p| p.name).unwrap_or_default();
    let policy = vm.protection.policy.as_ref().and_then(|p| p.name.clone());
    // Titles: a narrow table cuts these cells short. They sit on the text, not the cell: the name's cell is the
    // row's only cell with a title (the journeys find a VM's row by it).
    let (project_title, platform_title) = (project.clone(), platform.clone());
    let last_backup = vm.protection.last_backup;
    let warnings = vm.protection.warnings;
    let up_to_date = vm.protection.up_to_date;
    let present = vm.protection.present;
    view! {
        <td role="gridcell">
            <input
                type="checkbox"
                tabindex="-1"
                prop:checked=move || is_selected(&id)
                aria-label=move || ctx.fill(Msg::SelectRow, &[("name", &name_label)])
                on:click=handler::mouse(|ev| ev.prevent_default())
            />
        </td>
        <td role="gridcell" title=vm.name.clone()><bdi>{vm.name.clone()}</bdi></td>
        <td role="gridcell"><bdi title=project_title>{project}</bdi></td>
        <td role="gridcell"><bdi title=platform_title>{platform}</bdi></td>
        <td role="gridcell">{match policy {
            Some(name) => view! { <bdi title=name.clone()>{name.clone()}</bdi> }.into_any(),
            None => view! { <span class="vmb-muted">{ctx.message(Msg::NoPolicy)}</span> }.into_any(),
        }}</td>
        <td role="gridcell" class="vmb-vm-table__last-backup">
            {move || match last_backup {
                Some(ms) => format::date_time(ctx.lang(), &ctx.zone(), ms),
                None => ctx.text(Msg::Never).to_string(),
            }}
            {warnings.then(|| view! { " " <span class="vmb-badge vmb-badge--warn">"!"</span> })}
        </td>
        <td role="gridcell">{move || match up_to_date {
            Some(true) => view! { <span class="vmb-badge vmb-badge--ok">{ctx.text(Msg::Yes)}</span> }.into_any(),
            Some(false) => view! { <span class="vmb-badge vmb-badge--danger">{ctx.text(Msg::No)}</span> }.into_any(),
            None => view! { <span class="vmb-muted">"—"</span> }.into_any(),
        }}</td>
        <td role="gridcell">{move || if present { ctx.text(Msg::Yes) } else { ctx.text(Msg::No) }}</td>
    }
}

/// The server pages holding rows `start..end`.
fn page_span(start: usize, end: usize) -> impl Iterator<Item = u32> {
    let size = FETCH_PAGE_SIZE as usize;
    (start / size..=(end.saturating_sub(1)) / size).map(|p| p as u32)
}

/// Distinguishes the element ids of several tables on one page.
fn next_instance_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
