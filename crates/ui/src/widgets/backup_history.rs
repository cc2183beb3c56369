//! **BackupHistory**: the backups of one VM, newest first — when each was made, its type, status and size, and
//! where its copies are kept — a page at a time, with a way to start a restore from any restorable backup.
//!
//! Also holds what the restore dialog shares with it: `Loader` (a server read whose latest request wins and
//! whose late answers after an unmount are dropped) and the labels of backup types, statuses and copies.

use leptos::prelude::*;
use leptos::task::spawn_local;
use vmbackup_client::{Subscription, TaskEvent};
use vmbackup_core::domain::{
    Backup, BackupLocation, BackupStatus, BackupType, DestinationRole, Direction, LocationStatus, Millis, Page,
    TaskType, Vm,
};
use vmbackup_core::storware::backups::ListBackups;
use vmbackup_core::storware::vms::GetVm;
use vmbackup_core::{substring, ApiError, Endpoint, ErrorKind};
use wasm_bindgen::JsValue;

use crate::context::{use_widget_context, WidgetContext};
use crate::erased::{effect, ErasedMemo, ErasedSignal};
use crate::format;
use crate::handler;
use crate::i18n::Msg;
use crate::show_if::ShowIf;
use crate::timeout_slot::TimeoutSlot;
use crate::widgets::notices::{ErrorNotice, SessionNotice};

/// Backups shown per page unless the host asks for another number.
pub const DEFAULT_PAGE_SIZE: u32 = 10;
/// While a shown backup is queued or in progress the page is read again, first after this long, then less
/// and less often, up to [`REFRESH_SLOWEST_MS`]: the row reaches its end without a Refresh button, and a
/// backup stuck in progress costs one request every half minute.
const REFRESH_FIRST_MS: u64 = 3_000;
const REFRESH_SLOWEST_MS: u64 = 30_000;

/// Where one server read stands. The last answer stays while a new request runs, so that a page being
/// refreshed does not blink empty.
#[derive(Debug, Clone)]
pub(crate) struct LoadState<T> {
    pub(crate) value: Option<T>,
    pub(crate) loading: bool,
    pub(crate) error: Option<ApiError>,
}

impl<T> Default for LoadState<T> {
    fn default() -> Self {
        LoadState { value: None, loading: false, error: None }
    }
}

/// A server read a widget shows. Each fetch takes a ticket: only the newest request's answer is kept (a slow
/// answer to an older question never overwrites a newer one), and an answer arriving after the widget was
/// unmounted is dropped instead of touching disposed signals.
pub(crate) struct Loader<T: Send + Sync + 'static> {
    state: ErasedSignal<LoadState<T>>,
    ticket: StoredValue<u64>,
}

impl<T: Send + Sync + 'static> Clone for Loader<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Loader<T> {}

impl<T: Clone + Send + Sync + 'static> Loader<T> {
    /// A loader that has asked nothing yet.
    pub(crate) fn new() -> Self {
        Loader { state: ErasedSignal::new(LoadState::default()), ticket: StoredValue::new(0) }
    }

    /// Runs `operation`; its answer replaces the value unless a newer fetch or [`Loader::clear`] came first.
    /// An expired session is not reported to the host here: the client already told it, once.
    pub(crate) fn fetch<E>(self, ctx: WidgetContext, operation: E)
    where
        E: Endpoint<Output = T> + 'static,
    {
        let ticket = self.ticket.get_value() + 1;
        self.ticket.set_value(ticket);
        self.state.update(|s| {
            s.loading = true;
            s.error = None;
        });
        let client = ctx.client();
        spawn_local(async move {
            let result = client.call(&operation).await;
            if self.ticket.try_get_value() != Some(ticket) {
                return;
            }
            if let Err(error) = &result {
                if error.kind != ErrorKind::Unauthorized {
                    ctx.report(error);
                }
            }
            self.state.try_update(|s| {
                s.loading = false;
                match result {
                    Ok(value) => s.value = Some(value),
                    Err(error) => s.error = Some(error),
                }
            });
        });
    }

    /// Forgets the value and any answer still on its way.
    pub(crate) fn clear(self) {
        self.ticket.update_value(|t| *t += 1);
        self.state.set(LoadState::default());
    }

    /// Reads the state (tracked).
    pub(crate) fn with<R>(self, f: impl FnOnce(&LoadState<T>) -> R) -> R {
        self.state.with(f)
    }

    /// Reads the state without tracking it.
    pub(crate) fn with_untracked<R>(self, f: impl FnOnce(&LoadState<T>) -> R) -> R {
        self.state.with_untracked(f)
    }

    /// The latest answer (tracked).
    pub(crate) fn value(self) -> Option<T> {
        self.state.with(|s| s.value.clone())
    }

    /// The error of the latest request, unless it was an expired session, which the session prompt shows
    /// instead (tracked).
    pub(crate) fn shown_error(self) -> Option<ApiError> {
        self.state.with(|s| s.error.clone().filter(|e| e.kind != ErrorKind::Unauthorized))
    }

    /// Whether a request is running (tracked).
    pub(crate) fn loading(self) -> bool {
        self.state.with(|s| s.loading)
    }
}

/// When a backup was made (its snapshot time when the server left the backup time out).
pub(crate) fn backup_time(backup: &Backup) -> Option<Millis> {
    backup.time.or(backup.snapshot_time)
}

/// A time in the user's zone and language, or "Unknown".
pub(crate) fn time_text(ctx: WidgetContext, ms: Option<Millis>) -> String {
    match ms {
        Some(ms) => format::date_time(ctx.lang(), &ctx.zone(), ms),
        None => ctx.text(Msg::Unknown).to_string(),
    }
}

/// The same instant in UTC (ISO 8601), for a `title` — the user's zone is what the cell shows.
pub(crate) fn utc_title(ms: Option<Millis>) -> Option<String> {
    // `Date.toISOString` throws outside ±8.64e15 ms; such a time is not worth a tooltip.
    let ms = ms.filter(|ms| ms.unsigned_abs() < 8_640_000_000_000_000)?;
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    Some(String::from(date.to_iso_string()))
}

/// A backup type in the user's language; a type this version does not know keeps the server's name.
pub(crate) fn backup_type_text(ctx: WidgetContext, kind: &BackupType) -> String {
    let msg = match kind {
        BackupType::Full => Msg::BackupFull,
        BackupType::Incremental => Msg::BackupIncremental,
        BackupType::Synthetic => Msg::HistoryTypeSynthetic,
        BackupType::Synchronization => Msg::HistoryTypeSynchronization,
        BackupType::Other(name) => return name.clone(),
    };
    ctx.text(msg).to_string()
}

/// A backup status in the user's language and the badge class that colours it.
pub(crate) fn backup_status_text(ctx: WidgetContext, status: &BackupStatus) -> (String, &'static str) {
    let (msg, class) = match status {
        BackupStatus::Queued => (Msg::HistoryStatusQueued, "vmb-badge vmb-badge--muted"),
        BackupStatus::InProgress => (Msg::HistoryStatusInProgress, "vmb-badge vmb-badge--muted"),
        BackupStatus::Success => (Msg::HistoryStatusSuccess, "vmb-badge vmb-badge--ok"),
        BackupStatus::PartialSuccess => (Msg::HistoryStatusPartial, "vmb-badge vmb-badge--warn"),
        BackupStatus::Failed => (Msg::HistoryStatusFailed, "vmb-badge vmb-badge--danger"),
        BackupStatus::SuccessRemoved => (Msg::HistoryStatusRemoved, "vmb-badge vmb-badge--muted"),
        BackupStatus::Other(name) => return (name.clone(), "vmb-badge vmb-badge--muted"),
    };
    (ctx.text(msg).to_string(), class)
}

/// "type · size" of a backup, for choices and summaries.
pub(crate) fn backup_label(ctx: WidgetContext, backup: &Backup) -> String {
    let mut parts = vec![time_text(ctx, backup_time(backup)), backup_type_text(ctx, &backup.backup_type)];
    if let Some(size) = backup.size {
        parts.push(format::bytes(ctx.lang(), size));
    }
    parts.join(" · ")
}

/// A copy of a backup as the user reads it: the destination's name, its role, and its state unless the copy is
/// there (`fs-primary · primary`, `s3-offsite · secondary · copy failed`).
pub(crate) fn location_text(ctx: WidgetContext, location: &BackupLocation) -> String {
    let destination = location
        .destination
        .as_ref()
        .and_then(|d| d.name.clone())
        .or_else(|| location.destination_type.clone())
        .unwrap_or_else(|| ctx.text(Msg::Unknown).to_string());
    let mut parts = vec![destination];
    match &location.role {
        Some(DestinationRole::Primary) => parts.push(ctx.text(Msg::HistoryRolePrimary).to_string()),
        Some(DestinationRole::Secondary) => parts.push(ctx.text(Msg::HistoryRoleSecondary).to_string()),
        Some(DestinationRole::Archive) => parts.push(ctx.text(Msg::HistoryRoleArchive).to_string()),
        Some(DestinationRole::Other(name)) => parts.push(format::lowercase(name)),
        None => {}
    }
    match &location.status {
        LocationStatus::Present => {}
        LocationStatus::InProgress => parts.push(ctx.text(Msg::HistoryCopyStoring).to_string()),
        LocationStatus::Failed => parts.push(ctx.text(Msg::HistoryCopyFailed).to_string()),
        LocationStatus::Removed => parts.push(ctx.text(Msg::HistoryCopyRemoved).to_string()),
        LocationStatus::Other(name) => parts.push(format::lowercase(name)),
    }
    parts.join(" · ")
}

/// Whether a restore can start from this backup: it succeeded (at least partly) and a copy of it is present.
/// A backup that lists no copies at all (4.x servers) is restorable from the backup itself.
pub(crate) fn is_restorable(backup: &Backup) -> bool {
    matches!(backup.status, BackupStatus::Success | BackupStatus::PartialSuccess)
        && (backup.locations.is_empty() || backup.locations.iter().any(|l| l.status == LocationStatus::Present))
}

/// Distinguishes the element ids of several widgets of one kind on a page (the SPA renders without shadow
/// roots, so ids must be unique in the document).
pub(crate) fn next_instance_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Renders a catalog text with a `{name}` placeholder so that the name is its own isolated text node
/// (`<bdi>`): markup in a name stays text, and a right-to-left override in it cannot reorder the sentence. The
/// sentence is isolated in its language's direction too: on a right-to-left page a name at its end would
/// otherwise be drawn before it ("ci-01 Kopie zapasowe maszyny").
pub(crate) fn text_with_name(ctx: WidgetContext, msg: Msg, name: String) -> impl IntoView {
    move || {
        let template = ctx.text(msg);
        let (before, after) = substring::split_once(template, "{name}").unwrap_or((template, ""));
        view! { <bdi dir=ctx.dir()>{before}<bdi class="vmb-name">{name.clone()}</bdi>{after}</bdi> }
    }
}

/// The backup history of one VM.
///
/// * `vm`: the VM's id (Storware guid); without one the widget asks the user to choose a VM. It may change
///   (a signal): the history then starts again at its first page.
/// * `page_size`: backups per page (the server pages; `X-Total-Count` gives the number of pages).
/// * `on_select`: called with the backup whose **Restore…** button was pressed, so that a restore can start
///   from it (the SPA opens the [`crate::widgets::restore_dialog::RestoreDialog`] with it). Only backups that
///   succeeded and have a present copy offer the button.
///
/// Errors are reported to the host as `vmb-error` events; the history reloads by itself when a tracked backup
/// task of the VM ends.
#[component]
pub fn BackupHistory(
    #[prop(optional, into)] vm: MaybeProp<String>,
    #[prop(default = DEFAULT_PAGE_SIZE)] page_size: u32,
    #[prop(optional, into)] on_select: Option<Callback<Backup>>,
) -> impl IntoView {
    let ctx = use_widget_context();
    let page_size = page_size.max(1);
    let instance = next_instance_id();
    let title_id = format!("vmb-history-{instance}-title");
    let table_labelled_by = title_id.clone();
    let current_vm = ErasedMemo::new(move |_| vm.get().filter(|id| !id.trim().is_empty()));
    // The page belongs to the VM it was chosen for: another VM starts at its first page without an extra
    // request for the old page number.
    let page_of_vm: ErasedSignal<(Option<String>, u32)> = ErasedSignal::new((None, 0));
    let page = ErasedMemo::new(move |_| {
        let vm = current_vm.get();
        page_of_vm.with(|(of, index)| if *of == vm { *index } else { 0 })
    });
    let reload = ErasedSignal::new(0_u64);
    let selected: ErasedSignal<Option<String>> = ErasedSignal::new(None);
    let backups: Loader<Page<Backup>> = Loader::new();
    let vm_record: Loader<Vm> = Loader::new();

    // The VM's name for the caption (the history itself does not need it), read once per VM.
    effect(move || {
        reload.track();
        let id = current_vm.get();
        if ctx.session_expired() {
            return;
        }
        let known = vm_record.with_untracked(|s| s.value.as_ref().map(|v| v.id.clone()));
        if known.is_some() && known == id {
            return;
        }
        vm_record.clear();
        if let Some(id) = id {
            vm_record.fetch(ctx, GetVm::new(id));
        }
    });
    Effect::watch(move || current_vm.get(), move |_, _, _| selected.set(None), false);

    effect(move || {
        reload.track();
        if ctx.session_expired() {
            return;
        }
        let index = page.get();
        match current_vm.get() {
            Some(id) => {
                backups.fetch(ctx, ListBackups::of_vm(id).page(index, page_size).sort_by("backupTime", Direction::Desc))
            }
            None => backups.clear(),
        }
    });

    let refresh_delay = StoredValue::new(REFRESH_FIRST_MS);

    // A backup of this VM that the page tracks (started by a backup button) ended: its row changed.
    let subscription = ctx.client().poller().subscribe(move |event| {
        let TaskEvent::Ended { task } = event else { return };
        let Some(Some(shown)) = current_vm.try_get_untracked() else { return };
        let of_shown_vm = task.vm.as_ref().is_some_and(|r| r.id == shown);
        if of_shown_vm && matches!(task.kind, TaskType::Export | TaskType::Store) {
            // Its store follows now: look again soon rather than at the slowed-down pace.
            refresh_delay.try_set_value(REFRESH_FIRST_MS);
            let _ = reload.try_update(|r| *r += 1);
        }
    });
    keep_until_unmount(subscription);

    // Backups on the page still queued or running: read the page again later.
    let refresh_due = TimeoutSlot::new();
    effect(move || {
        let (loading, unfinished) = backups.with(|s| {
            let unfinished = s.value.as_ref().is_some_and(|p| {
                p.items.iter().any(|b| matches!(b.status, BackupStatus::Queued | BackupStatus::InProgress))
            });
            (s.loading, unfinished)
        });
        if loading {
            return;
        }
        refresh_due.clear();
        if !unfinished {
            refresh_delay.set_value(REFRESH_FIRST_MS);
            return;
        }
        let delay = refresh_delay.get_value();
        refresh_delay.set_value((delay * 2).min(REFRESH_SLOWEST_MS));
        refresh_due.set(std::time::Duration::from_millis(delay), move || {
            let _ = reload.try_update(|r| *r += 1);
        });
    });

    let go_to = move |index: u32| page_of_vm.set((current_vm.get_untracked(), index));
    // Without `X-Total-Count` (old servers) a full page suggests there is more.
    let total = move || {
        backups.with(|s| {
            s.value.as_ref().map(|p| {
                p.total.unwrap_or_else(|| {
                    let seen = u64::from(page.get()) * u64::from(page_size) + p.items.len() as u64;
                    seen + u64::from(p.items.len() as u64 == u64::from(page_size))
                })
            })
        })
    };
    let has_next = move || {
        let index = u64::from(page.get());
        total().is_some_and(|t| (index + 1) * u64::from(page_size) < t)
    };
    let page_info = move || {
        let total = total().filter(|t| *t > 0)?;
        let lang = ctx.lang();
        let first = u64::from(page.get()) * u64::from(page_size) + 1;
        let last = (first + u64::from(page_size) - 1).min(total);
        Some(ctx.fill(
            Msg::RowsInfo,
            &[
                ("from", &format::number(lang, first as f64, 0)),
                ("to", &format::number(lang, last as f64, 0)),
                ("total", &format::number(lang, total as f64, 0)),
            ],
        ))
    };

    let caption = move || match vm_record.value() {
        Some(record) => text_with_name(ctx, Msg::HistoryOf, record.name).into_any(),
        None => view! { {ctx.message(Msg::BackupHistoryLabel)} }.into_any(),
    };

    let select = move |backup: Backup| {
        selected.set(Some(backup.id.clone()));
        if let Some(callback) = on_select {
            callback.run(backup);
        }
    };

    let rows = move || {
        let items = backups.with(|s| s.value.as_ref().map(|p| p.items.clone()).unwrap_or_default());
        items.into_iter().map(|backup| history_row(ctx, backup, selected, select)).collect_view()
    };

    view! {
        <section class="vmb-history" aria-labelledby=title_id.clone()>
            <SessionNotice />
            <div class="vmb-history__title" id=title_id.clone()>{caption}</div>
            {move || backups.shown_error().map(|e| view! {
                <ErrorNotice error=e on_retry=Callback::new(move |_| reload.update(|r| *r += 1)) />
            })}
            <p class="vmb-muted" role="status">{move || {
                if current_vm.get().is_none() {
                    Some(ctx.text(Msg::HistoryNoVm))
                } else if backups.with(|s| s.loading && s.value.is_none()) {
                    // Rows on screen stay while their page is read again; the table says it is busy.
                    Some(ctx.text(Msg::Loading))
                } else if total() == Some(0) {
                    Some(ctx.text(Msg::HistoryEmpty))
                } else {
                    None
                }
            }}</p>
            <ShowIf when=move || backups.with(|s| s.value.as_ref().is_some_and(|p| !p.items.is_empty()))>
                <div class="vmb-table-scroll">
                    // Roles stated, though native: in a narrow place the stylesheet lays each row out as a card,
                    // and a browser drops the table semantics of a part whose `display` changes.
                    <table class="vmb-table vmb-history__table" role="table" aria-labelledby=table_labelled_by.clone()
                        aria-busy=move || backups.loading().to_string()>
                        <thead role="rowgroup">
                            <tr role="row">
                                <th scope="col" role="columnheader">{ctx.message(Msg::HistoryColTime)}</th>
                                <th scope="col" role="columnheader">{ctx.message(Msg::HistoryColType)}</th>
                                <th scope="col" role="columnheader">{ctx.message(Msg::HistoryColStatus)}</th>
                                <th scope="col" role="columnheader">{ctx.message(Msg::HistoryColSize)}</th>
                                <th scope="col" role="columnheader">{ctx.message(Msg::HistoryColCopies)}</th>
                                <th scope="col" role="columnheader">
                                    <span class="vmb-sr-only">{ctx.message(Msg::HistoryColActions)}</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody role="rowgroup">{rows}</tbody>
                    </table>
                </div>
            </ShowIf>
            <ShowIf when=move || total().is_some_and(|t| t > u64::from(page_size))>
                <nav class="vmb-pager" aria-label=ctx.message(Msg::BackupHistoryLabel)>
                    <button type="button" class="vmb-button" disabled=move || page.get() == 0 || backups.loading()
                        on:click=handler::mouse(move |_| go_to(page.get_untracked().saturating_sub(1)))>
                        {ctx.message(Msg::HistoryPreviousPage)}
                    </button>
                    <bdi class="vmb-muted" aria-live="polite" dir=move || ctx.dir()>{move || page_info()}</bdi>
                    <button type="button" class="vmb-button" disabled=move || !has_next() || backups.loading()
                        on:click=handler::mouse(move |_| go_to(page.get_untracked() + 1))>
                        {ctx.message(Msg::HistoryNextPage)}
                    </button>
                </nav>
            </ShowIf>
        </section>
    }
}

/// One backup's row: every value from the server is a text node.
fn history_row(
    ctx: WidgetContext,
    backup: Backup,
    selected: ErasedSignal<Option<String>>,
    select: impl Fn(Backup) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = backup.id.clone();
    let time = backup_time(&backup);
    let kind = backup.backup_type.clone();
    let status = backup.status.clone();
    let status_info = backup.status_info.clone().filter(|_| {
        matches!(backup.status, BackupStatus::Failed | BackupStatus::PartialSuccess) || !backup.warnings.is_empty()
    });
    // A backup still being made has no size yet, whatever the server writes there (0 while it runs).
    let size = backup.size.filter(|_| !matches!(backup.status, BackupStatus::Queued | BackupStatus::InProgress));
    let locations = backup.locations.clone();
    let restorable = is_restorable(&backup);
    let is_selected = ErasedMemo::new(move |_| selected.with(|s| s.as_deref() == Some(id.as_str())));
    view! {
        <tr class="vmb-history__row" role="row" class:vmb-history__row--chosen=move || is_selected.get()
            aria-current=move || is_selected.get().then_some("true")>
            <td class="vmb-history__time" role="cell" title=utc_title(time)>{move || time_text(ctx, time)}</td>
            <td class="vmb-history__type" role="cell">{move || backup_type_text(ctx, &kind)}</td>
            <td class="vmb-history__status" role="cell">
                {move || {
                    let (text, class) = backup_status_text(ctx, &status);
                    view! { <span class=class>{text}</span> }
                }}
                {status_info.map(|info| view! { <div class="vmb-hint vmb-history__info">{info}</div> })}
            </td>
            <td class="vmb-history__size" role="cell">
                {match size {
                    Some(bytes) => view! { {move || format::bytes(ctx.lang(), bytes)} }.into_any(),
                    // A dash alone is read out as "dash", or not at all.
                    None => view! {
                        <span aria-hidden="true">"—"</span>
                        <span class="vmb-sr-only">{ctx.message(Msg::HistorySizeNotYet)}</span>
                    }.into_any(),
                }}
            </td>
            <td class="vmb-history__copies" role="cell">
                {if locations.is_empty() {
                    view! { <span class="vmb-muted">{ctx.message(Msg::HistoryNoCopies)}</span> }.into_any()
                } else {
                    view! {
                        <ul class="vmb-list">
                            {locations.into_iter().map(|l| view! {
                                <li><bdi dir=move || ctx.dir()>{move || location_text(ctx, &l)}</bdi></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </td>
            <td class="vmb-history__actions" role="cell">
                {restorable.then(|| {
                    let label = move || ctx.fill(Msg::HistoryRestoreBackupOf, &[("time", &time_text(ctx, time))]);
                    let backup = backup.clone();
                    view! {
                        <button type="button" class="vmb-button" aria-label=label
                            on:click=handler::mouse(move |_| select(backup.clone()))>
                            {ctx.message(Msg::HistoryRestore)}
                        </button>
                    }
                })}
            </td>
        </tr>
    }
}

/// Keeps a client subscription for as long as the widget is mounted; unmounting unsubscribes.
pub(crate) fn keep_until_unmount(subscription: Subscription) {
    let kept: StoredValue<Option<Subscription>, LocalStorage> = StoredValue::new_local(Some(subscription));
    on_cleanup(move || {
        if let Some(Some(subscription)) = kept.try_update_value(Option::take) {
            subscription.cancel();
        }
    });
}
