//! The Schedules page: the server's schedules, each with edit (in the ScheduleForm below the list) and delete
//! (after a confirmation), and the form, which creates a schedule when nothing is being edited.

use crate::catalog::AppMsg;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vmbackup_core::domain::{Schedule, ScheduleTiming};
use vmbackup_core::storware::schedules::{DeleteSchedule, ListSchedules};
use vmbackup_core::{ApiError, ErrorKind};
use vmbackup_ui::i18n::Msg;
use vmbackup_ui::privileges::{session_privileges, Privileges};
use vmbackup_ui::show_if::ShowIf;
use vmbackup_ui::use_widget_context;
use vmbackup_ui::widgets::schedule_form::ConfirmDialog;
use vmbackup_ui::widgets::{ErrorNotice, ScheduleForm};
use vmbackup_ui::{format, small_sort};
use wasm_bindgen::JsCast;

/// What the form below the list shows: a new schedule or the one being edited. The generation changes on every
/// choice, so that choosing again (a new schedule after one was saved) mounts a fresh form.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FormFor {
    generation: u32,
    schedule: Option<String>,
}

/// The list of schedules above the schedule form.
#[component]
pub fn SchedulesPage() -> impl IntoView {
    let ctx = use_widget_context();
    let schedules: RwSignal<Option<Vec<Schedule>>> = RwSignal::new(None);
    let list_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let reload = RwSignal::new(0_u32);
    let form_for = RwSignal::new(FormFor { generation: 0, schedule: None });
    let deleting: RwSignal<Option<Schedule>> = RwSignal::new(None);
    let deleted = RwSignal::new(false);
    // The Delete button that opened the confirmation, which gets the focus back when it is cancelled.
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    // Whether the user may change schedules: a read-only user gets View instead of Edit and no Delete, which the
    // server would refuse (403); until that is known, View and nothing else.
    let privileges = session_privileges(ctx);
    let may_change = move || privileges.with(Privileges::changes_policies) == Some(true);

    Effect::new(move || {
        reload.track();
        spawn_local(async move {
            let result = ctx.client().call(&ListSchedules::all()).await;
            match result {
                Ok(page) => {
                    let mut items = page.items;
                    small_sort::sort_by_key(&mut items, |s| format::lowercase(&s.name));
                    let _ = schedules.try_set(Some(items));
                    let _ = list_error.try_set(None);
                }
                // An expired session is the login prompt's business.
                Err(e) if e.kind == ErrorKind::Unauthorized => {}
                Err(e) => {
                    let _ = list_error.try_set(Some(e));
                }
            }
        });
    });
    // A list that an expired session stopped is read again once the user has logged in.
    Effect::watch(
        move || ctx.session_expired(),
        move |expired, _, _| {
            if !*expired && schedules.with_untracked(Option::is_none) {
                reload.update(|r| *r += 1);
            }
        },
        false,
    );
    let show_form = move |schedule: Option<String>| {
        form_for.update(|f| *f = FormFor { generation: f.generation + 1, schedule });
        deleted.set(false);
    };
    let delete = move |schedule: Schedule| {
        let Some(id) = schedule.id.clone() else { return };
        spawn_local(async move {
            let result = ctx.client().call(&DeleteSchedule::new(id.clone())).await;
            let _ = deleting.try_set(None);
            match result {
                Ok(()) => {
                    if reload.try_update(|r| *r += 1).is_none() {
                        return; // the page was left meanwhile
                    }
                    // The form must not go on editing what is gone.
                    if form_for.with_untracked(|f| f.schedule.as_deref() == Some(id.as_str())) {
                        show_form(None);
                    }
                    deleted.set(true);
                }
                Err(e) if e.kind == ErrorKind::Unauthorized => {}
                Err(e) => {
                    let _ = list_error.try_set(Some(e));
                }
            }
        });
    };

    let row = move |schedule: Schedule| {
        let id = schedule.id.clone().unwrap_or_default();
        let name = schedule.name.clone();
        let (edit_name, delete_name) = (name.clone(), name.clone());
        let edit_id = id.clone();
        let runs = match schedule.timing {
            ScheduleTiming::Time { .. } => Msg::ScheduleKindTime,
            ScheduleTiming::Interval { .. } => Msg::ScheduleKindInterval,
        };
        let active = if schedule.active { Msg::Yes } else { Msg::No };
        view! {
            <tr data-schedule-id=id>
                <td><bdi>{name}</bdi></td>
                <td>{move || ctx.text(runs)}</td>
                <td>{move || ctx.text(active)}</td>
                <td class="vmb-app-schedules__actions">
                    <button type="button" class="vmb-button"
                        aria-label=move || {
                            let msg = if may_change() { AppMsg::ScheduleEditNamed } else { AppMsg::ScheduleViewNamed };
                            ctx.fill(msg, &[("name", &edit_name)])
                        }
                        on:click=move |_| show_form(Some(edit_id.clone()))>
                        {move || ctx.text(if may_change() { AppMsg::Edit } else { AppMsg::View })}
                    </button>
                    <button type="button" class="vmb-button vmb-button--danger" aria-haspopup="dialog"
                        hidden=move || !may_change()
                        aria-label=move || ctx.fill(AppMsg::ScheduleDeleteNamed, &[("name", &delete_name)])
                        on:click=move |ev: leptos::ev::MouseEvent| {
                            opener.set_value(ev.current_target().and_then(|t| t.dyn_into().ok()));
                            deleting.set(Some(schedule.clone()));
                        }>
                        {move || ctx.text(Msg::Delete)}
                    </button>
                </td>
            </tr>
        }
    };

    view! {
        <section class="vmb-app-schedules" aria-labelledby="vmb-app-schedules-title">
            <h2 id="vmb-app-schedules-title">{move || ctx.text(AppMsg::SchedulesExisting)}</h2>
            {move || list_error.get().map(|e| view! {
                <ErrorNotice error=e on_retry=Callback::new(move |_| reload.update(|r| *r += 1)) />
            })}
            <p class="vmb-muted" role="status">{move || match schedules.with(|s| s.as_ref().map(Vec::is_empty)) {
                None if list_error.with(Option::is_none) => Some(ctx.text(Msg::Loading)),
                Some(true) => Some(ctx.text(AppMsg::SchedulesNone)),
                _ => None,
            }}{move || deleted.get().then(|| ctx.text(Msg::ScheduleDeleted))}</p>
            <ShowIf when=move || schedules.with(|s| s.as_ref().is_some_and(|s| !s.is_empty()))>
                <div class="vmb-table-scroll">
                    <table class="vmb-table" aria-labelledby="vmb-app-schedules-title">
                        <thead>
                            <tr>
                                <th scope="col">{move || ctx.text(Msg::ScheduleName)}</th>
                                <th scope="col">{move || ctx.text(Msg::ScheduleKind)}</th>
                                <th scope="col">{move || ctx.text(AppMsg::SchedulesColActive)}</th>
                                <th scope="col">{move || ctx.text(AppMsg::SchedulesColActions)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || schedules.get().unwrap_or_default().into_iter().map(row).collect_view()}
                        </tbody>
                    </table>
                </div>
            </ShowIf>
            // A user who may not change schedules is offered no new one: the server would refuse to save it.
            <ShowIf when=move || may_change() && form_for.with(|f| f.schedule.is_some())>
                <button type="button" class="vmb-button vmb-app-schedules__new" on:click=move |_| show_form(None)>
                    {move || ctx.text(Msg::ScheduleNew)}
                </button>
            </ShowIf>
        </section>
        {move || {
            let on_saved = Callback::new(move |_| reload.update(|r| *r += 1));
            let on_deleted = Callback::new(move |_| reload.update(|r| *r += 1));
            match form_for.get().schedule {
                Some(id) => view! { <ScheduleForm schedule=id on_saved=on_saved on_deleted=on_deleted /> }.into_any(),
                // Nor an empty form to fill in: View in the list shows a schedule.
                None => view! {
                    <ShowIf when=move || may_change()>
                        <ScheduleForm on_saved=on_saved on_deleted=on_deleted />
                    </ShowIf>
                }
                .into_any(),
            }
        }}
        <ShowIf when=move || deleting.with(Option::is_some)>
            <ConfirmDialog
                title=Msg::ScheduleDeleteTitle
                text=Signal::derive(move || {
                    let name = deleting.with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default());
                    ctx.fill(Msg::ScheduleDeleteConfirm, &[("name", &name)])
                })
                confirm_label=Msg::Delete
                on_confirm=Callback::new(move |_| {
                    if let Some(schedule) = deleting.get_untracked() {
                        delete(schedule);
                    }
                })
                on_cancel=Callback::new(move |_| {
                    deleting.set(None);
                    if let Some(button) = opener.get_value() {
                        let _ = button.focus();
                    }
                })
            />
        </ShowIf>
    }
}
