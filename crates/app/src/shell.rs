//! The app's frame: header, navigation (hash routes, so a reload or a re-login keeps the page), language and
//! theme switches, logout; and the pages built from widgets.

use leptos::prelude::*;
use leptos::task::spawn_local;
use vmbackup_core::domain::{Backup, TaskState, Vm};
use vmbackup_core::storware::tasks::ListTasks;
use vmbackup_ui::erased::ErasedSignal;
use vmbackup_ui::i18n::Lang;
use vmbackup_ui::use_widget_context;
use vmbackup_ui::widgets::{BackupButton, BackupHistory, PolicyPanel, RestoreDialog, TaskProgress};
use wasm_bindgen::prelude::*;

use crate::catalog::AppMsg;
use crate::schedules::SchedulesPage;
use wasm_bindgen::JsCast;

/// A page of the app, addressed by the URL's hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Vms,
    Tasks,
    Schedules,
    Policies,
}

impl Page {
    const ALL: [Page; 4] = [Page::Vms, Page::Tasks, Page::Schedules, Page::Policies];

    fn hash(self) -> &'static str {
        match self {
            Page::Vms => "#/vms",
            Page::Tasks => "#/tasks",
            Page::Schedules => "#/schedules",
            Page::Policies => "#/policies",
        }
    }

    fn label(self) -> AppMsg {
        match self {
            Page::Vms => AppMsg::NavVms,
            Page::Tasks => AppMsg::NavTasks,
            Page::Schedules => AppMsg::NavSchedules,
            Page::Policies => AppMsg::NavPolicies,
        }
    }
}

/// The page the URL's hash names (the VM dashboard by default).
pub fn page_from_hash() -> Page {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    Page::ALL.into_iter().find(|p| p.hash() == hash).unwrap_or(Page::Vms)
}

/// Keeps `page` in step with the hash (links, back and forward buttons).
pub fn follow_hash(page: RwSignal<Page>) {
    let Some(window) = web_sys::window() else { return };
    let on_change = Closure::<dyn FnMut()>::new(move || {
        let _ = page.try_set(page_from_hash());
    });
    let _ = window.add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref());
    // The app lives as long as the page.
    on_change.forget();
}

/// Header, navigation and the current page.
#[component]
pub fn Shell(page: RwSignal<Page>, on_logout: Callback<()>, children: ChildrenFn) -> impl IntoView {
    let ctx = use_widget_context();
    let dark = RwSignal::new(false);
    Effect::new(move || {
        let theme = if dark.get() { "dark" } else { "light" };
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("vmb-app")) {
            let _ = root.set_attribute("data-theme", theme);
        }
    });
    let logout = move |_| {
        spawn_local(async move {
            let _ = ctx.client().logout().await;
            // The next user must not inherit this one's privileges.
            vmbackup_ui::privileges::forget(ctx);
            on_logout.run(());
        });
    };
    view! {
        <header class="vmb-app-header">
            <strong class="vmb-app-title">{move || ctx.text(AppMsg::AppTitle)}</strong>
            <nav aria-label=move || ctx.text(AppMsg::MainNavigation)>
                <ul class="vmb-app-nav">
                    {Page::ALL.into_iter().map(|p| view! {
                        <li>
                            <a href=p.hash() aria-current=move || (page.get() == p).then_some("page")>
                                {move || ctx.text(p.label())}
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </nav>
            <label class="vmb-app-switch">
                <span>{move || ctx.text(AppMsg::Language)}</span>
                <select class="vmb-select" on:change=move |ev| {
                    let lang = Lang::parse(&event_target_value(&ev));
                    ctx.set_lang(lang);
                    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
                        let _ = root.set_attribute("lang", lang.tag());
                    }
                }>
                    {Lang::ALL.into_iter().map(|l| view! {
                        <option value=l.tag() selected=move || ctx.lang() == l>{l.tag().to_uppercase()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="vmb-app-switch">
                <input type="checkbox" prop:checked=move || dark.get() on:change=move |ev| dark.set(event_target_checked(&ev)) />
                <span>{move || ctx.text(AppMsg::DarkTheme)}</span>
            </label>
            <button type="button" class="vmb-button" on:click=logout>{move || ctx.text(AppMsg::LogOut)}</button>
        </header>
        <main class="vmb-app-main">{children()}</main>
    }
}

/// The server's active tasks a page-wide list shows at most (one poll reads them all anyway).
const ACTIVE_TASKS_SHOWN: u32 = 500;

/// The tasks, schedules and policies pages.
pub fn page_for(page: Page) -> AnyView {
    let ctx = use_widget_context();
    let heading = view! { <h1>{move || ctx.text(page.label())}</h1> };
    match page {
        Page::Vms | Page::Tasks => {
            // Not only the tasks this page started: after a reload, or started elsewhere, the server's queued and
            // running tasks are tracked too, so that the list shows them (if that read fails, the list still
            // follows what this page tracks).
            spawn_local(async move {
                let client = ctx.client();
                let active = ListTasks::page(0, ACTIVE_TASKS_SHOWN).in_states(&[TaskState::Queued, TaskState::Running]);
                if let Ok(found) = client.call(&active).await {
                    for task in found.items {
                        client.poller().track(task.id);
                    }
                }
            });
            view! { {heading} <TaskProgress follow_all=true /> }.into_any()
        }
        Page::Schedules => view! { {heading} <SchedulesPage /> }.into_any(),
        Page::Policies => view! { {heading} <PolicyPanel /> }.into_any(),
    }
}

/// The details pane of the VM dashboard for `vm` (`selection` is every selected VM, for the backup button):
/// back up, the VM's running tasks, its history, and a restore of the backup chosen there.
pub fn vm_details(vm: Vm, selection: Vec<Vm>) -> AnyView {
    let chosen: RwSignal<Option<String>> = RwSignal::new(None);
    let open = ErasedSignal::new(false);
    let on_select = Callback::new(move |backup: Backup| {
        chosen.set(Some(backup.id));
        open.set(true);
    });
    let id = vm.id.clone();
    view! {
        <h2 class="vmb-app-vm-name">{vm.name}</h2>
        <BackupButton vms=selection />
        <TaskProgress vm=id.clone() />
        <BackupHistory vm=id.clone() on_select=on_select />
        <RestoreDialog vm=id backup=chosen open=open />
    }
    .into_any()
}
