//! **RestoreDialog**: restores a VM from one of its backups into a new VM, in a modal dialog that shows exactly
//! what will be created where before anything starts.
//!
//! The user picks the backup and the copy of it to read from, the target (a hypervisor manager or a stand-alone
//! hypervisor, then optionally a cluster, a storage and a project) and a new name; a summary states the result;
//! the restore starts only after the user types the VM's name exactly. One click sends one request (the button
//! is disabled while it runs, and a lost answer is looked up on the server rather than sent again, every few
//! seconds while the server cannot be asked). Copies a browser's resend made are cancelled, and the dialog says so.
//! The restore then runs as two server tasks — RESTORE, then IMPORT, which creates the VM — followed through the
//! page's shared task poller, in the dialog and, once it is closed, beside its button.

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vmbackup_client::{Client, TaskEvent};
use vmbackup_core::domain::{
    Backup, BackupLocation, Cluster, DestinationRole, Direction, Hypervisor, HypervisorManager, LocationStatus, Page,
    Project, Ref, Storage, SubmitResult, Task, TaskState, TaskType, Vm,
};
use vmbackup_core::storware::backups::{GetBackup, ListBackupLocations, ListBackups};
use vmbackup_core::storware::inventory::{
    ListClusters, ListHypervisorManagers, ListHypervisors, ListProjects, ListStorages,
};
use vmbackup_core::storware::tasks::{ListTasks, RestoreAndImport, RestoreTarget};
use vmbackup_core::storware::vms::GetVm;
use vmbackup_core::{ApiError, ErrorKind};
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::context::{use_widget_context, WidgetContext};
use crate::erased::{effect, ErasedMemo, ErasedSignal};
use crate::format;
use crate::handler;
use crate::host_events::HostEvent;
use crate::i18n::Msg;
use crate::show_if::ShowIf;
use crate::small_sort;
use crate::widgets::backup_history::{
    backup_label, is_restorable, keep_until_unmount, location_text, next_instance_id, text_with_name, Loader,
};
use crate::widgets::notices::{ErrorNotice, SessionNotice};

/// Restorable backups offered, newest first.
pub const BACKUP_CHOICES: u32 = 50;
/// How many times to look for the IMPORT task that follows a finished RESTORE (servers queue it a moment
/// later), and how long to wait between looks.
const IMPORT_LOOKUPS: u32 = 10;
const IMPORT_LOOKUP_PAUSE_MS: u64 = 1_000;
/// How long to wait between looks for the task of a restore whose answer was lost and whose first look-up failed,
/// and how many looks (two minutes, as the backup button asks).
const CONFIRM_INTERVAL_MS: u64 = 3_000;
const CONFIRM_ATTEMPTS: u32 = 40;

/// What receives the restored VM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TargetKind {
    Manager,
    Hypervisor,
}

/// Where a started restore stands.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    /// The RESTORE task (reading the backup) is queued or running.
    Restoring,
    /// The IMPORT task (creating the VM) is queued or running, or being looked up.
    Importing,
    Finished,
    Failed,
    Cancelled,
    /// A task vanished from the server (purged) or the import task was never found.
    Lost,
}

impl Stage {
    /// The stage's name for the `data-stage` attribute (a hook for host styles and tests).
    fn name(&self) -> &'static str {
        match self {
            Stage::Restoring => "restoring",
            Stage::Importing => "importing",
            Stage::Finished => "finished",
            Stage::Failed => "failed",
            Stage::Cancelled => "cancelled",
            Stage::Lost => "lost",
        }
    }
}

/// A restore this dialog started and follows.
#[derive(Debug, Clone, PartialEq)]
struct RestoreRun {
    restore_id: String,
    import_id: Option<String>,
    stage: Stage,
    /// Progress of the current step, 0–100.
    step_progress: f64,
    /// The server's words about the current step or the failure.
    message: Option<String>,
    /// The name the new VM gets.
    new_name: String,
    /// The submission's answer was lost and the task was found on the server instead.
    recovered: bool,
    /// Extra copies of the submission (a browser's resend) that the client cancelled.
    cancelled_copies: usize,
}

impl RestoreRun {
    fn is_active(&self) -> bool {
        matches!(self.stage, Stage::Restoring | Stage::Importing)
    }

    fn follows(&self, task_id: &str) -> bool {
        self.restore_id == task_id || self.import_id.as_deref() == Some(task_id)
    }

    /// Progress of the whole restore: each of the two steps is half of it.
    fn overall(&self) -> f64 {
        let step = self.step_progress.clamp(0.0, 100.0);
        match self.stage {
            Stage::Restoring => step / 2.0,
            Stage::Importing => 50.0 + step / 2.0,
            Stage::Finished => 100.0,
            Stage::Failed | Stage::Cancelled | Stage::Lost => step,
        }
    }
}

/// The restore dialog.
///
/// * `vm`: the VM (Storware guid) to restore; without one the **Restore…** button is disabled.
/// * `backup`: the backup to preselect when the dialog opens (e.g. the one chosen in
///   [`crate::widgets::backup_history::BackupHistory`]); otherwise the newest restorable backup.
/// * `open`: lets the host open and close the dialog itself (the widget then shows no button of its own and
///   sets it back to `false` when the user closes the dialog).
/// * `on_started`: called with the created task ids when a restore starts; the host also gets
///   `vmb-restore-started` (`{taskIds}`), and `vmb-task-finished` when the restore ends.
#[component]
pub fn RestoreDialog(
    #[prop(optional, into)] vm: MaybeProp<String>,
    #[prop(optional, into)] backup: MaybeProp<String>,
    #[prop(optional)] open: Option<ErasedSignal<bool>>,
    #[prop(optional, into)] on_started: Option<Callback<Vec<String>>>,
) -> impl IntoView {
    let ctx = use_widget_context();
    let instance = next_instance_id();
    let id_of = move |part: &str| format!("vmb-restore-{instance}-{part}");
    let host_controls_opening = open.is_some();
    let is_open = open.unwrap_or_else(|| ErasedSignal::new(false));
    let current_vm = ErasedMemo::new(move |_| vm.get().filter(|id| !id.trim().is_empty()));
    let reload = ErasedSignal::new(0_u64);

    let vm_record: Loader<Vm> = Loader::new();
    let backups: Loader<Page<Backup>> = Loader::new();
    let present_copies: Loader<Page<BackupLocation>> = Loader::new();
    // The preselected backup when it is older than the backups offered.
    let older_backup: Loader<Backup> = Loader::new();
    let managers: Loader<Page<HypervisorManager>> = Loader::new();
    let hypervisors: Loader<Page<Hypervisor>> = Loader::new();
    let clusters: Loader<Page<Cluster>> = Loader::new();
    let storages: Loader<Page<Storage>> = Loader::new();
    let projects: Loader<Page<Project>> = Loader::new();

    let form = RestoreForm::new();
    let submitting = ErasedSignal::new(false);
    // A lost submission's task is being looked for (see `confirm_later`).
    let checking = ErasedSignal::new(false);
    let submit_error: ErasedSignal<Option<ApiError>> = ErasedSignal::new(None);
    let run: ErasedSignal<Option<RestoreRun>> = ErasedSignal::new(None);
    let dialog_ref = NodeRef::<html::Dialog>::new();
    let return_focus: StoredValue<Option<HtmlElement>, LocalStorage> = StoredValue::new_local(None);

    // Opening starts a fresh form (unless a restore is still running, which the dialog then shows), moves the
    // focus into the dialog and remembers where it was; closing gives it back.
    Effect::new(move |was_open: Option<bool>| {
        let opened = is_open.get();
        let was_open = was_open.unwrap_or(false);
        let Some(dialog) = dialog_ref.get() else { return was_open };
        if opened && !was_open {
            if !run.with_untracked(|r| r.as_ref().is_some_and(RestoreRun::is_active)) {
                run.set(None);
                form.reset(backup.get_untracked());
                submit_error.set(None);
            }
            return_focus.set_value(focused_element());
            if !dialog.open() {
                // Fails only when the dialog is not in a document; the widget is then not on screen anyway.
                let _ = dialog.show_modal();
            }
            let _ = dialog.focus();
        } else if !opened && was_open {
            if dialog.open() {
                dialog.close();
            }
            if let Some(element) = return_focus.try_update_value(Option::take).flatten() {
                if element.is_connected() {
                    let _ = element.focus();
                }
            }
        }
        opened
    });
    let close = move || {
        if is_open.get_untracked() {
            is_open.set(false);
        }
    };

    // What the dialog offers, read when it opens (and again on retry or when the session comes back).
    effect(move || {
        reload.track();
        let (opened, vm, expired) = (is_open.get(), current_vm.get(), ctx.session_expired());
        if !opened || expired {
            return;
        }
        match vm {
            Some(id) => {
                vm_record.fetch(ctx, GetVm::new(id.clone()));
                backups.fetch(
                    ctx,
                    ListBackups::of_vm(id.clone())
                        .restorable()
                        .page(0, BACKUP_CHOICES)
                        .sort_by("backupTime", Direction::Desc),
                );
                present_copies.fetch(ctx, ListBackupLocations::present(id));
            }
            None => {
                vm_record.clear();
                backups.clear();
                present_copies.clear();
            }
        }
    });
    // A preselected backup beyond the newest [`BACKUP_CHOICES`] is read on its own: the dialog restores what the
    // user picked in the history, never silently another backup.
    effect(move || {
        reload.track();
        let (opened, wanted, expired) = (is_open.get(), backup.get(), ctx.session_expired());
        let Some(wanted) = wanted.filter(|_| opened && !expired) else { return };
        let listed = backups.with(|s| s.value.as_ref().map(|p| p.items.iter().any(|b| b.id == wanted)));
        let known = older_backup.with_untracked(|s| s.value.as_ref().is_some_and(|b| b.id == wanted));
        if listed == Some(false) && !known {
            older_backup.fetch(ctx, GetBackup::new(wanted));
        }
    });
    // The managers that can receive the chosen backup (those of its platform).
    effect(move || {
        reload.track();
        let (opened, chosen, expired) = (is_open.get(), form.backup.get(), ctx.session_expired());
        if !opened || expired {
            return;
        }
        match chosen {
            Some(id) => managers.fetch(ctx, ListHypervisorManagers::for_restore_of(id)),
            None => managers.clear(),
        }
    });
    // Stand-alone hypervisors, once the user asks for them.
    effect(move || {
        reload.track();
        let (opened, kind, expired) = (is_open.get(), form.kind.get(), ctx.session_expired());
        if opened && !expired && kind == TargetKind::Hypervisor && hypervisors.with_untracked(|s| s.value.is_none()) {
            hypervisors.fetch(ctx, ListHypervisors::all());
        }
    });

    let hypervisor_choices = ErasedMemo::new(move |_| {
        // A hypervisor under a manager that cannot receive this backup cannot receive it either.
        let allowed: Option<Vec<String>> =
            managers.with(|s| s.value.as_ref().map(|p| p.items.iter().map(|m| m.id.clone()).collect()));
        hypervisors.with(|s| {
            s.value
                .as_ref()
                .map(|p| {
                    p.items
                        .iter()
                        .filter(|h| match (&h.hypervisor_manager, &allowed) {
                            (Some(manager), Some(allowed)) => allowed.contains(&manager.id),
                            _ => true,
                        })
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // The manager whose clusters, storages and projects apply: the chosen one, or the chosen hypervisor's.
    let target_manager = ErasedMemo::new(move |_| match form.kind.get() {
        TargetKind::Manager => form.manager.get(),
        TargetKind::Hypervisor => {
            let chosen = form.hypervisor.get()?;
            hypervisor_choices
                .with(|list| list.iter().find(|h| h.id == chosen).and_then(|h| h.hypervisor_manager.clone()))
                .map(|r| r.id)
        }
    });
    let fetched_for: StoredValue<Option<String>> = StoredValue::new(None);
    effect(move || {
        reload.track();
        let (opened, manager, expired) = (is_open.get(), target_manager.get(), ctx.session_expired());
        if !opened || expired {
            return;
        }
        if fetched_for.get_value() != manager {
            // Another manager: the old one's clusters and storages mean nothing there.
            fetched_for.set_value(manager.clone());
            clusters.clear();
            storages.clear();
            projects.clear();
            form.cluster.set(None);
            form.cluster_decided.set(false);
            form.storage.set(None);
            form.project.set(None);
        }
        if let Some(manager) = manager {
            clusters.fetch(ctx, ListClusters::of_manager(manager.clone()));
            storages.fetch(ctx, ListStorages::of_manager(manager.clone()));
            projects.fetch(ctx, ListProjects::of_manager(manager));
        }
    });

    // Choices that follow from the lists: keep what the user chose while it is still offered, otherwise take
    // the preselected backup, the VM's own manager, hypervisor and cluster, or the first entry.
    let backup_choices = ErasedMemo::new(move |_| {
        let mut list: Vec<Backup> = backups.with(|s| {
            s.value.as_ref().map(|p| p.items.iter().filter(|b| is_restorable(b)).cloned().collect::<Vec<_>>())
        })?;
        let vm = current_vm.get();
        if let Some(older) = older_backup.value() {
            let of_this_vm = older.vm.as_ref().map(|r| &r.id) == vm.as_ref();
            if of_this_vm && is_restorable(&older) && !list.iter().any(|b| b.id == older.id) {
                list.push(older);
            }
        }
        Some(list)
    });
    effect(move || {
        let Some(list) = backup_choices.get() else { return };
        let chosen = form.backup.get();
        let offered = |id: &String| list.iter().any(|b| &b.id == id);
        let preferred = backup.get_untracked().filter(offered);
        let pick = if preferred.is_some() && !form.backup_touched.get() {
            preferred
        } else if chosen.as_ref().is_some_and(offered) {
            chosen.clone()
        } else {
            list.first().map(|b| b.id.clone())
        };
        if pick != chosen {
            form.backup.set(pick);
        }
    });
    let chosen_backup = ErasedMemo::new(move |_| {
        let id = form.backup.get()?;
        backup_choices.with(|list| list.as_ref()?.iter().find(|b| b.id == id).cloned())
    });
    let copy_choices = ErasedMemo::new(move |_| {
        let backup = chosen_backup.get()?;
        Some(present_copies.with(|s| copies_of(&backup, s.value.as_ref())))
    });
    effect(move || {
        let list = copy_choices.get().unwrap_or_default();
        let chosen = form.copy.get();
        if chosen.as_ref().is_some_and(|id| list.iter().any(|l| &l.id == id)) {
            return;
        }
        let first = list.first().map(|l| l.id.clone());
        if chosen != first {
            form.copy.set(first);
        }
    });
    effect(move || {
        let Some(list) = managers.with(|s| s.value.as_ref().map(|p| p.items.clone())) else { return };
        let chosen = form.manager.get();
        if chosen.as_ref().is_some_and(|id| list.iter().any(|m| &m.id == id)) {
            return;
        }
        let own = vm_record
            .value()
            .and_then(|vm| vm.hypervisor_manager.map(|r| r.id))
            .filter(|id| list.iter().any(|m| &m.id == id));
        let pick = own.or_else(|| list.first().map(|m| m.id.clone()));
        if chosen != pick {
            form.manager.set(pick);
        }
    });
    effect(move || {
        let list = hypervisor_choices.get();
        if form.kind.get() != TargetKind::Hypervisor || hypervisors.with(|s| s.value.is_none()) {
            return;
        }
        let chosen = form.hypervisor.get();
        if chosen.as_ref().is_some_and(|id| list.iter().any(|h| &h.id == id)) {
            return;
        }
        let own =
            vm_record.value().and_then(|vm| vm.hypervisor.map(|r| r.id)).filter(|id| list.iter().any(|h| &h.id == id));
        let pick = own.or_else(|| list.first().map(|h| h.id.clone()));
        if chosen != pick {
            form.hypervisor.set(pick);
        }
    });
    let cluster_choices = ErasedMemo::new(move |_| {
        clusters.with(|s| {
            s.value
                .as_ref()
                .map(|p| p.items.iter().filter(|c| c.uuid.is_some()).cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    // The VM's own cluster is the default when restoring next to it; elsewhere the server chooses.
    effect(move || {
        if form.cluster_decided.get() || clusters.with(|s| s.value.is_none()) {
            return;
        }
        let own = vm_record.value().and_then(|vm| vm.cluster.map(|r| r.id));
        let uuid = own.and_then(|own| {
            cluster_choices.with(|list| list.iter().find(|c| c.id == own).and_then(|c| c.uuid.clone()))
        });
        form.cluster.set(uuid);
        form.cluster_decided.set(true);
    });
    let storage_choices = ErasedMemo::new(move |_| {
        let cluster_id = form.cluster.get().and_then(|uuid| {
            cluster_choices.with(|list| list.iter().find(|c| c.uuid.as_ref() == Some(&uuid)).map(|c| c.id.clone()))
        });
        storages.with(|s| {
            s.value
                .as_ref()
                .map(|p| {
                    p.items
                        .iter()
                        .filter(|st| st.uuid.is_some())
                        .filter(|st| match &cluster_id {
                            Some(cluster) => st.clusters.is_empty() || st.clusters.iter().any(|c| &c.id == cluster),
                            None => true,
                        })
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    effect(move || {
        let list = storage_choices.get();
        if let Some(chosen) = form.storage.get() {
            if !list.iter().any(|s| s.uuid.as_ref() == Some(&chosen)) {
                form.storage.set(None);
            }
        }
    });
    let project_choices =
        ErasedMemo::new(move |_| projects.with(|s| s.value.as_ref().map(|p| p.items.clone()).unwrap_or_default()));

    let vm_name = ErasedMemo::new(move |_| vm_record.value().map(|vm| vm.name));
    let name_confirmed = ErasedMemo::new(move |_| {
        let typed = form.typed_name.get();
        vm_name.with(|name| name.as_ref().is_some_and(|name| *name == typed))
    });

    // The request the form describes, or `None` while something it needs is not chosen.
    let request = move || -> Option<RestoreAndImport> {
        let copy_id = form.copy.get_untracked()?;
        let copy = copy_choices.get_untracked()?.into_iter().find(|l| l.id == copy_id)?;
        let target = match form.kind.get_untracked() {
            TargetKind::Manager => RestoreTarget::HypervisorManager(Ref::id(form.manager.get_untracked()?)),
            TargetKind::Hypervisor => RestoreTarget::Hypervisor(Ref::id(form.hypervisor.get_untracked()?)),
        };
        let mut op = RestoreAndImport::new(copy, target).with_new_name(form.new_name.get_untracked());
        if let Some(cluster) = form.cluster.get_untracked() {
            op = op.with_cluster(cluster);
        }
        if let Some(storage) = form.storage.get_untracked() {
            op = op.with_storage(storage);
        }
        if let Some(project) = form.project.get_untracked() {
            op = op.in_project(Ref::id(project));
        }
        Some(op)
    };
    let target_chosen = move || match form.kind.get() {
        TargetKind::Manager => form.manager.get().is_some(),
        TargetKind::Hypervisor => form.hypervisor.get().is_some(),
    };
    // While a lost submission is looked for, another could start a second restore: Restore waits, as the backup
    // button's Start does, until the look-up has found the restore or found none.
    let can_submit = move || {
        !submitting.get() && !checking.get() && name_confirmed.get() && form.copy.get().is_some() && target_chosen()
    };

    // The page's poller reports the restore's tasks; this follows RESTORE into IMPORT.
    let client = ctx.client();
    let follower = client.clone();
    let subscription = client.poller().subscribe(move |event| {
        let Some(Some(current)) = run.try_get_untracked() else { return };
        match event {
            TaskEvent::Updated { task, .. } if current.follows(&task.id) => {
                let _ = run.try_update(|r| {
                    if let Some(r) = r {
                        r.step_progress = task.progress;
                        r.message = task.status_info.clone();
                    }
                });
            }
            TaskEvent::Ended { task } if task.id == current.restore_id && current.stage == Stage::Restoring => {
                if task.state == TaskState::Finished {
                    let _ = run.try_update(|r| {
                        if let Some(r) = r {
                            r.stage = Stage::Importing;
                            r.step_progress = 0.0;
                            r.message = None;
                        }
                    });
                    look_for_import(ctx, follower.clone(), (**task).clone(), run, 0);
                } else {
                    end_run(ctx, run, task);
                }
            }
            TaskEvent::Ended { task } if current.import_id.as_deref() == Some(task.id.as_str()) => {
                end_run(ctx, run, task);
            }
            TaskEvent::Gone { id } if current.follows(id) && current.is_active() => {
                let _ = run.try_update(|r| {
                    if let Some(r) = r {
                        r.stage = Stage::Lost;
                    }
                });
            }
            _ => {}
        }
    });
    keep_until_unmount(subscription);

    // Follows a restore that reached the server and tells the host; `alive` is false once the widget is gone.
    let begin = move |client: &Client, submitted: SubmitResult, new_name: String, alive: bool| {
        let task_ids: Vec<String> = submitted.tasks.iter().map(|t| t.id.clone()).collect();
        if alive {
            run.set(Some(RestoreRun {
                restore_id: task_ids.first().cloned().unwrap_or_default(),
                import_id: None,
                stage: Stage::Restoring,
                step_progress: 0.0,
                message: None,
                new_name,
                recovered: submitted.recovered,
                cancelled_copies: submitted.cancelled_copies.len(),
            }));
        }
        for id in &task_ids {
            client.poller().track(id.clone());
        }
        ctx.emit(HostEvent::RestoreStarted { task_ids: task_ids.clone() });
        if let (true, Some(callback)) = (alive, on_started) {
            callback.run(task_ids);
        }
    };

    // A restore whose answer was lost and whose task could not be looked up yet (a proxy dropping every answer
    // drops the look-up too): ask the server again every few seconds until it answers, then follow what the
    // restore created and cancel the copies a browser's resend made. Never resubmits; Restore is disabled
    // meanwhile.
    let confirm_later = move |op: RestoreAndImport, submitted_at: i64, new_name: String| async move {
        let _ = checking.try_set(true);
        let client = ctx.client();
        let unmounted = move || checking.try_get_untracked().is_none();
        for _ in 0..CONFIRM_ATTEMPTS {
            client.sleep(std::time::Duration::from_millis(CONFIRM_INTERVAL_MS)).await;
            if unmounted() {
                return;
            }
            let outcome = client.confirm_restore(&op, submitted_at).await;
            if unmounted() {
                return;
            }
            match outcome {
                Ok(found) => {
                    submit_error.set(None);
                    begin(&client, found, new_name, true);
                    break;
                }
                Err(none_found) if none_found.kind == ErrorKind::Unconfirmed => {
                    submit_error.set(Some(none_found));
                    break;
                }
                // Not reachable yet (or the session is being renewed): ask again.
                Err(_) => {}
            }
        }
        let _ = checking.try_set(false);
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // One task per click: a second click (or Enter) while the first request runs, or while a lost one is
        // looked for, does nothing.
        if submitting.get_untracked()
            || checking.get_untracked()
            || run.with_untracked(Option::is_some)
            || !name_confirmed.get_untracked()
        {
            return;
        }
        let Some(op) = request() else { return };
        if let Err(error) = op.validate() {
            submit_error.set(Some(error));
            return;
        }
        let new_name = op.new_name.clone().or_else(|| vm_name.get_untracked()).unwrap_or_default();
        submitting.set(true);
        submit_error.set(None);
        let client = ctx.client();
        spawn_local(async move {
            // Taken before sending, as the client takes it: the look-up counts tasks from this instant on.
            let submitted_at = client.now_ms();
            let result = client.restore(&op).await;
            let alive = submitting.try_set(false).is_none();
            match result {
                Ok(submitted) => begin(&client, submitted, new_name, alive),
                Err(error) => {
                    if error.kind != ErrorKind::Unauthorized {
                        ctx.report(&error);
                    }
                    let lost = error.kind == ErrorKind::Unconfirmed;
                    let _ = submit_error.try_set(Some(error));
                    if lost && alive {
                        confirm_later(op, submitted_at, new_name).await;
                    }
                }
            }
        });
    };

    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
        }
    };

    let load_error = move || {
        vm_record
            .shown_error()
            .or_else(|| backups.shown_error())
            .or_else(|| older_backup.shown_error())
            .or_else(|| present_copies.shown_error())
            .or_else(|| managers.shown_error())
            .or_else(|| hypervisors.shown_error())
            .or_else(|| clusters.shown_error())
            .or_else(|| storages.shown_error())
            .or_else(|| projects.shown_error())
    };
    let retry = Callback::new(move |_| reload.update(|r| *r += 1));
    let started = ErasedMemo::new(move |_| run.with(Option::is_some));
    let title_id = id_of("title");
    let heading_id = title_id.clone();

    let title = move || match vm_name.get() {
        Some(name) => text_with_name(ctx, Msg::RestoreTitle, name).into_any(),
        None => view! { {ctx.message(Msg::RestoreDialogLabel)} }.into_any(),
    };

    let choices = Choices {
        backups: backup_choices,
        copies: copy_choices,
        managers,
        hypervisors: hypervisor_choices,
        clusters: cluster_choices,
        storages: storage_choices,
        projects: project_choices,
    };
    let form_view = move || {
        restore_form(RestoreFormView {
            ctx,
            instance,
            form,
            choices,
            vm_name,
            chosen_backup,
            loading: Signal::derive(move || vm_record.loading() || backups.loading()),
            has_vm: Signal::derive(move || current_vm.get().is_some()),
            name_confirmed,
            can_submit: Signal::derive(can_submit),
            submitting,
            checking,
            submit_error,
            submit,
            close,
        })
    };

    view! {
        <div class="vmb-restore">
            // While the dialog is open, its own copy of the session prompt is the one the user can reach.
            <ShowIf when=move || !is_open.get()>
                <SessionNotice />
            </ShowIf>
            // Always in the page, so that closing the dialog can give the focus back to it.
            {(!host_controls_opening).then(|| view! {
                <button type="button" class="vmb-button vmb-restore__open" aria-haspopup="dialog"
                    disabled=move || current_vm.get().is_none()
                    on:click=handler::mouse(move |_| is_open.set(true))>
                    {ctx.message(Msg::HistoryRestore)}
                </button>
            })}
            <ShowIf when=move || !is_open.get()>
                {move || run.get().map(|r| view! {
                    <div class="vmb-restore__status">{progress_view(ctx, r)}</div>
                })}
            </ShowIf>
            <dialog
                node_ref=dialog_ref
                class="vmb-dialog vmb-restore__dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby=title_id.clone()
                tabindex="-1"
                on:keydown=handler::keyboard(on_keydown)
                on:close=handler::event(move |_| close())
            >
                <ShowIf when=move || is_open.get()>
                    <h2 class="vmb-dialog__title" id=heading_id.clone()>{title}</h2>
                    <SessionNotice />
                    {move || load_error().map(|e| view! { <ErrorNotice error=e on_retry=retry /> })}
                    <ShowIf when=move || started.get() fallback=form_view>
                        {move || run.get().map(|r| progress_view(ctx, r))}
                        {move || run.with(|r| r.as_ref().is_some_and(|r| r.recovered)).then(|| view! {
                            <p class="vmb-alert vmb-alert--info">{ctx.message(Msg::RestoreRecovered)}</p>
                        })}
                        {move || {
                            let copies = run.with(|r| r.as_ref().map_or(0, |r| r.cancelled_copies));
                            let count = format::number(ctx.lang(), copies as f64, 0);
                            (copies > 0).then(|| view! {
                                <p class="vmb-alert vmb-alert--info vmb-restore__copies">
                                    {ctx.fill(Msg::RestoreCopiesCancelled, &[("count", &count)])}
                                </p>
                            })
                        }}
                        <div class="vmb-dialog__actions">
                            <CloseButton ctx=ctx close=close />
                        </div>
                    </ShowIf>
                </ShowIf>
            </dialog>
        </div>
    }
}

/// The form's choices.
#[derive(Clone, Copy)]
struct RestoreForm {
    backup: ErasedSignal<Option<String>>,
    /// The user chose a backup; the preselected one no longer overrides it.
    backup_touched: ErasedSignal<bool>,
    copy: ErasedSignal<Option<String>>,
    kind: ErasedSignal<TargetKind>,
    manager: ErasedSignal<Option<String>>,
    hypervisor: ErasedSignal<Option<String>>,
    /// Platform uuid; `None` lets the server choose.
    cluster: ErasedSignal<Option<String>>,
    /// The cluster was set (by default or by the user) for the current manager.
    cluster_decided: ErasedSignal<bool>,
    /// Platform uuid; `None` lets the server choose.
    storage: ErasedSignal<Option<String>>,
    /// Project id; `None` restores into the backup's project.
    project: ErasedSignal<Option<String>>,
    new_name: ErasedSignal<String>,
    typed_name: ErasedSignal<String>,
}

impl RestoreForm {
    fn new() -> Self {
        RestoreForm {
            backup: ErasedSignal::new(None),
            backup_touched: ErasedSignal::new(false),
            copy: ErasedSignal::new(None),
            kind: ErasedSignal::new(TargetKind::Manager),
            manager: ErasedSignal::new(None),
            hypervisor: ErasedSignal::new(None),
            cluster: ErasedSignal::new(None),
            cluster_decided: ErasedSignal::new(false),
            storage: ErasedSignal::new(None),
            project: ErasedSignal::new(None),
            new_name: ErasedSignal::new(String::new()),
            typed_name: ErasedSignal::new(String::new()),
        }
    }

    /// Back to the defaults, with `backup` preselected.
    fn reset(self, backup: Option<String>) {
        self.backup.set(backup);
        self.backup_touched.set(false);
        self.copy.set(None);
        self.kind.set(TargetKind::Manager);
        self.manager.set(None);
        self.hypervisor.set(None);
        self.cluster.set(None);
        self.cluster_decided.set(false);
        self.storage.set(None);
        self.project.set(None);
        self.new_name.set(String::new());
        self.typed_name.set(String::new());
    }
}

/// What the form offers, each list already narrowed to what can be chosen.
#[derive(Clone, Copy)]
struct Choices {
    backups: ErasedMemo<Option<Vec<Backup>>>,
    copies: ErasedMemo<Option<Vec<BackupLocation>>>,
    managers: Loader<Page<HypervisorManager>>,
    hypervisors: ErasedMemo<Vec<Hypervisor>>,
    clusters: ErasedMemo<Vec<Cluster>>,
    storages: ErasedMemo<Vec<Storage>>,
    projects: ErasedMemo<Vec<Project>>,
}

/// Everything the form view reads and writes.
struct RestoreFormView<S, C> {
    ctx: WidgetContext,
    instance: u32,
    form: RestoreForm,
    choices: Choices,
    vm_name: ErasedMemo<Option<String>>,
    chosen_backup: ErasedMemo<Option<Backup>>,
    loading: Signal<bool>,
    has_vm: Signal<bool>,
    name_confirmed: ErasedMemo<bool>,
    can_submit: Signal<bool>,
    submitting: ErasedSignal<bool>,
    checking: ErasedSignal<bool>,
    submit_error: ErasedSignal<Option<ApiError>>,
    submit: S,
    close: C,
}

/// The form: choices, summary, typed confirmation, actions. Built once per opening; its parts update in place
/// so that typing never loses focus.
fn restore_form<S, C>(v: RestoreFormView<S, C>) -> impl IntoView
where
    S: Fn(SubmitEvent) + Copy + Send + Sync + 'static,
    C: Fn() + Copy + Send + Sync + 'static,
{
    let RestoreFormView {
        ctx,
        instance,
        form,
        choices,
        vm_name,
        chosen_backup,
        loading,
        has_vm,
        name_confirmed,
        can_submit,
        submitting,
        checking,
        submit_error,
        submit,
        close,
    } = v;
    let id_of = move |part: &str| format!("vmb-restore-{instance}-{part}");
    let kind_name = id_of("kind");
    let confirm_id = id_of("confirm");
    let mismatch_id = id_of("mismatch");
    let new_name_hint_id = id_of("new-name-hint");
    let summary_id = id_of("summary");
    let no_backups = move || choices.backups.with(|list| list.as_ref().is_some_and(Vec::is_empty));
    let ready = move || {
        choices.backups.with(|list| list.as_ref().is_some_and(|l| !l.is_empty())) && vm_name.with(Option::is_some)
    };
    let mismatch = move || {
        let typed = form.typed_name.get();
        !typed.is_empty() && !name_confirmed.get()
    };

    let target_label = move || match form.kind.get() {
        TargetKind::Manager => ctx.text(Msg::RestoreToManager),
        TargetKind::Hypervisor => ctx.text(Msg::RestoreToHypervisor),
    };
    let summary_rows = move || {
        let backup = chosen_backup.get().map(|b| backup_label(ctx, &b)).unwrap_or_default();
        let copy = form
            .copy
            .get()
            .and_then(|id| choices.copies.get()?.into_iter().find(|l| l.id == id))
            .map(|l| location_text(ctx, &l))
            .unwrap_or_else(|| ctx.text(Msg::RestoreNoCopies).to_string());
        let target = match form.kind.get() {
            TargetKind::Manager => form.manager.get().and_then(|id| {
                choices.managers.with(|s| s.value.as_ref()?.items.iter().find(|m| m.id == id).map(manager_label))
            }),
            TargetKind::Hypervisor => form
                .hypervisor
                .get()
                .and_then(|id| choices.hypervisors.with(|list| list.iter().find(|h| h.id == id).map(hypervisor_label))),
        }
        .unwrap_or_else(|| "—".to_string());
        let cluster = form
            .cluster
            .get()
            .and_then(|uuid| {
                choices.clusters.with(|l| l.iter().find(|c| c.uuid.as_ref() == Some(&uuid)).map(|c| c.name.clone()))
            })
            .unwrap_or_else(|| ctx.text(Msg::RestoreServerDefault).to_string());
        let storage = form
            .storage
            .get()
            .and_then(|uuid| {
                choices.storages.with(|l| l.iter().find(|s| s.uuid.as_ref() == Some(&uuid)).map(|s| s.name.clone()))
            })
            .unwrap_or_else(|| ctx.text(Msg::RestoreServerDefault).to_string());
        let project = form
            .project
            .get()
            .and_then(|id| choices.projects.with(|l| l.iter().find(|p| p.id == id).map(|p| p.name.clone())))
            .unwrap_or_else(|| ctx.text(Msg::RestoreBackupsProject).to_string());
        let rows = [
            (ctx.text(Msg::RestoreChooseBackup), backup),
            (ctx.text(Msg::RestoreChooseCopy), copy),
            (target_label(), target),
            (ctx.text(Msg::RestoreCluster), cluster),
            (ctx.text(Msg::RestoreStorage), storage),
            (ctx.text(Msg::RestoreProject), project),
        ];
        rows.into_iter().map(|(term, value)| view! { <dt>{term}</dt><dd><bdi>{value}</bdi></dd> }).collect_view()
    };
    let final_name = move || {
        let typed = form.new_name.get();
        if typed.trim().is_empty() {
            vm_name.get().unwrap_or_default()
        } else {
            typed
        }
    };

    view! {
        <form class="vmb-restore__form" novalidate=true on:submit=handler::submit(submit)>
            <ShowIf when=move || !has_vm.get()>
                <p class="vmb-muted" role="status">{ctx.message(Msg::HistoryNoVm)}</p>
            </ShowIf>
            <ShowIf when=move || loading.get() && !ready()>
                <p class="vmb-muted" role="status">{ctx.message(Msg::Loading)}</p>
            </ShowIf>
            <ShowIf when=no_backups>
                <p class="vmb-alert vmb-alert--info" role="status">{ctx.message(Msg::RestoreNoBackups)}</p>
            </ShowIf>
            <ShowIf when=ready>
                <div class="vmb-field">
                    <label class="vmb-label" for=id_of("backup")>{ctx.message(Msg::RestoreChooseBackup)}</label>
                    <select id=id_of("backup") class="vmb-select" name="backup"
                        on:change=handler::event(move |ev| {
                            form.backup_touched.set(true);
                            form.backup.set(Some(event_target_value(&ev)).filter(|v| !v.is_empty()));
                        })>
                        {move || choices.backups.get().unwrap_or_default().into_iter().map(|b| {
                            let id = b.id.clone();
                            let label = backup_label(ctx, &b);
                            view! {
                                <option value=b.id.clone() dir=move || ctx.dir()
                                    prop:selected=move || form.backup.get().as_deref() == Some(id.as_str())>
                                    {label}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                <div class="vmb-field">
                    <label class="vmb-label" for=id_of("copy")>{ctx.message(Msg::RestoreChooseCopy)}</label>
                    <select id=id_of("copy") class="vmb-select" name="copy"
                        aria-invalid=move || choices.copies.with(|c| c.as_ref().is_some_and(Vec::is_empty)).to_string()
                        on:change=handler::event(move |ev| form.copy.set(Some(event_target_value(&ev)).filter(|v| !v.is_empty())))>
                        {move || choices.copies.get().unwrap_or_default().into_iter().map(|l| {
                            let id = l.id.clone();
                            let label = location_text(ctx, &l);
                            view! {
                                <option value=l.id.clone() prop:selected=move || form.copy.get().as_deref() == Some(id.as_str())>
                                    {label}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                    <ShowIf when=move || choices.copies.with(|c| c.as_ref().is_some_and(Vec::is_empty))>
                        <span class="vmb-field-error">{ctx.message(Msg::RestoreNoCopies)}</span>
                    </ShowIf>
                </div>
                <fieldset class="vmb-field vmb-restore__kind">
                    <legend class="vmb-label">{ctx.message(Msg::RestoreTargetKind)}</legend>
                    <label>
                        <input type="radio" name=kind_name.clone() value="manager"
                            prop:checked=move || form.kind.get() == TargetKind::Manager
                            on:change=handler::event(move |_| form.kind.set(TargetKind::Manager)) />
                        " " {ctx.message(Msg::RestoreToManager)}
                    </label>
                    <label>
                        <input type="radio" name=kind_name.clone() value="hypervisor"
                            prop:checked=move || form.kind.get() == TargetKind::Hypervisor
                            on:change=handler::event(move |_| form.kind.set(TargetKind::Hypervisor)) />
                        " " {ctx.message(Msg::RestoreToHypervisor)}
                    </label>
                </fieldset>
                <div class="vmb-field">
                    <label class="vmb-label" for=id_of("target")>{target_label}</label>
                    <select id=id_of("target") class="vmb-select" name="target"
                        on:change=handler::event(move |ev| {
                            let value = Some(event_target_value(&ev)).filter(|v| !v.is_empty());
                            match form.kind.get_untracked() {
                                TargetKind::Manager => form.manager.set(value),
                                TargetKind::Hypervisor => form.hypervisor.set(value),
                            }
                        })>
                        {move || match form.kind.get() {
                            TargetKind::Manager => choices.managers.with(|s| s.value.as_ref().map(|p| p.items.clone())).unwrap_or_default()
                                .into_iter().map(|m| {
                                    let id = m.id.clone();
                                    view! {
                                        <option value=m.id.clone() prop:selected=move || form.manager.get().as_deref() == Some(id.as_str())>
                                            {manager_label(&m)}
                                        </option>
                                    }
                                }).collect_view().into_any(),
                            TargetKind::Hypervisor => choices.hypervisors.get().into_iter().map(|h| {
                                    let id = h.id.clone();
                                    view! {
                                        <option value=h.id.clone() prop:selected=move || form.hypervisor.get().as_deref() == Some(id.as_str())>
                                            {hypervisor_label(&h)}
                                        </option>
                                    }
                                }).collect_view().into_any(),
                        }}
                    </select>
                    <ShowIf when=move || form.kind.get() == TargetKind::Manager
                        && choices.managers.with(|s| s.value.as_ref().is_some_and(|p| p.items.is_empty()))>
                        <span class="vmb-field-error">{ctx.message(Msg::RestoreNoTargets)}</span>
                    </ShowIf>
                </div>
                <div class="vmb-field">
                    <label class="vmb-label" for=id_of("cluster")>{ctx.message(Msg::RestoreCluster)}</label>
                    <select id=id_of("cluster") class="vmb-select" name="cluster"
                        on:change=handler::event(move |ev| {
                            form.cluster_decided.set(true);
                            form.cluster.set(Some(event_target_value(&ev)).filter(|v| !v.is_empty()));
                        })>
                        <option value="" prop:selected=move || form.cluster.get().is_none()>
                            {ctx.message(Msg::RestoreServerDefault)}
                        </option>
                        {move || choices.clusters.get().into_iter().filter_map(|c| {
                            let uuid = c.uuid.clone()?;
                            let selected_uuid = uuid.clone();
                            Some(view! {
                                <option value=uuid prop:selected=move || form.cluster.get().as_deref() == Some(selected_uuid.as_str())>
                                    {c.name.clone()}
                                </option>
                            })
                        }).collect_view()}
                    </select>
                </div>
                <div class="vmb-field">
                    <label class="vmb-label" for=id_of("storage")>{ctx.message(Msg::RestoreStorage)}</label>
                    <select id=id_of("storage") class="vmb-select" name="storage"
                        on:change=handler::event(move |ev| form.storage.set(Some(event_target_value(&ev)).filter(|v| !v.is_empty())))>
                        <option value="" prop:selected=move || form.storage.get().is_none()>
                            {ctx.message(Msg::RestoreServerDefault)}
                        </option>
                        {move || choices.storages.get().into_iter().filter_map(|s| {
                            let uuid = s.uuid.clone()?;
                            let selected_uuid = uuid.clone();
                            let label = storage_label(ctx, &s);
                            Some(view! {
                                <option value=uuid prop:selected=move || form.storage.get().as_deref() == Some(selected_uuid.as_str())>
                                    {label}
                                </option>
                            })
                        }).collect_view()}
                    </select>
                </div>
                <ShowIf when=move || choices.projects.with(|p| !p.is_empty())>
                    <div class="vmb-field">
                        <label class="vmb-label" for=id_of("project")>{ctx.message(Msg::RestoreProject)}</label>
                        <select id=id_of("project") class="vmb-select" name="project"
                            on:change=handler::event(move |ev| form.project.set(Some(event_target_value(&ev)).filter(|v| !v.is_empty())))>
                            <option value="" prop:selected=move || form.project.get().is_none()>
                                {ctx.message(Msg::RestoreBackupsProject)}
                            </option>
                            {move || choices.projects.get().into_iter().map(|p| {
                                let id = p.id.clone();
                                view! {
                                    <option value=p.id.clone() prop:selected=move || form.project.get().as_deref() == Some(id.as_str())>
                                        {p.name.clone()}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </div>
                </ShowIf>
                <div class="vmb-field">
                    <label class="vmb-label" for=id_of("new-name")>{ctx.message(Msg::RestoreNewName)}</label>
                    <input id=id_of("new-name") class="vmb-input" type="text" name="new-name" autocomplete="off"
                        maxlength="255" aria-describedby=new_name_hint_id.clone()
                        placeholder=move || vm_name.get().unwrap_or_default()
                        prop:value=move || form.new_name.get()
                        on:input=handler::event(move |ev| form.new_name.set(event_target_value(&ev))) />
                    <span class="vmb-hint" id=new_name_hint_id.clone()>{ctx.message(Msg::RestoreNewNameHint)}</span>
                </div>
                <section class="vmb-restore__summary" aria-labelledby=summary_id.clone()>
                    <h3 class="vmb-restore__summary-title" id=summary_id.clone()>{ctx.message(Msg::RestoreSummary)}</h3>
                    <dl class="vmb-restore__facts">{summary_rows}</dl>
                    <p class="vmb-restore__outcome">{move || text_with_name(ctx, Msg::RestoreSummaryCreates, final_name())}</p>
                </section>
                <div class="vmb-field">
                    <label class="vmb-label vmb-restore__prompt" for=confirm_id.clone()>
                        {move || text_with_name(ctx, Msg::RestoreConfirmByName, vm_name.get().unwrap_or_default())}
                    </label>
                    <input id=confirm_id.clone() class="vmb-input vmb-restore__confirm" type="text" name="confirm-name"
                        autocomplete="off" spellcheck="false" autocapitalize="off"
                        aria-invalid=move || mismatch().to_string()
                        aria-describedby=mismatch_id.clone()
                        prop:value=move || form.typed_name.get()
                        on:input=handler::event(move |ev| form.typed_name.set(event_target_value(&ev))) />
                    <span class="vmb-field-error" id=mismatch_id.clone() aria-live="polite">
                        {move || mismatch().then(|| ctx.text(Msg::RestoreConfirmMismatch))}
                    </span>
                </div>
            </ShowIf>
            // An expired session is the session prompt's to show.
            {move || submit_error.get().filter(|e| e.kind != ErrorKind::Unauthorized).map(|e| view! { <ErrorNotice error=e /> })}
            <div role="status">
                {move || checking.get().then(|| view! { <p class="vmb-hint vmb-restore__checking">{ctx.text(Msg::RestoreChecking)}</p> })}
            </div>
            <div class="vmb-dialog__actions">
                <button type="button" class="vmb-button" on:click=handler::mouse(move |_| close())>{ctx.message(Msg::Cancel)}</button>
                <button type="submit" class="vmb-button vmb-button--primary vmb-restore__submit"
                    disabled=move || !can_submit.get()>
                    {move || if submitting.get() { ctx.text(Msg::RestoreSubmitting) } else { ctx.text(Msg::RestoreSubmit) }}
                </button>
            </div>
        </form>
    }
}

/// The dialog's close button once a restore started; it takes the focus, which the form's vanished submit
/// button held.
#[component]
fn CloseButton<C>(ctx: WidgetContext, close: C) -> impl IntoView
where
    C: Fn() + Copy + Send + Sync + 'static,
{
    let button = NodeRef::<html::Button>::new();
    effect(move || {
        if let Some(button) = button.get() {
            let _ = button.focus();
        }
    });
    view! {
        <button type="button" class="vmb-button" node_ref=button on:click=handler::mouse(move |_| close())>
            {ctx.message(Msg::Close)}
        </button>
    }
}

/// A started restore: its step, a progress bar, the server's words, and the outcome.
fn progress_view(ctx: WidgetContext, run: RestoreRun) -> impl IntoView {
    let overall = run.overall();
    let percent = format!("{}%", format::number(ctx.lang_untracked(), overall, 0));
    let bar_class = match run.stage {
        Stage::Finished => "vmb-progress__bar vmb-progress__bar--finished",
        Stage::Failed | Stage::Cancelled | Stage::Lost => "vmb-progress__bar vmb-progress__bar--failed",
        Stage::Restoring | Stage::Importing => "vmb-progress__bar",
    };
    let stage = run.stage.clone();
    let new_name = run.new_name.clone();
    let status = move || match &stage {
        Stage::Restoring => view! { {ctx.text(Msg::RestoreStepRestoring)} }.into_any(),
        Stage::Importing => view! { {ctx.text(Msg::RestoreStepImporting)} }.into_any(),
        Stage::Finished => text_with_name(ctx, Msg::RestoreDone, new_name.clone()).into_any(),
        Stage::Failed => view! { {ctx.text(Msg::RestoreFailed)} }.into_any(),
        Stage::Cancelled => view! { {ctx.text(Msg::RestoreCancelled)} }.into_any(),
        Stage::Lost => view! { {ctx.text(Msg::RestoreLost)} }.into_any(),
    };
    let failed = matches!(run.stage, Stage::Failed | Stage::Cancelled | Stage::Lost);
    view! {
        <div class="vmb-restore__progress" data-stage=run.stage.name()>
            <p class="vmb-restore__stage" role="status" aria-live="polite"
                class:vmb-field-error=failed>
                {status} " " <bdi class="vmb-muted" dir=move || ctx.dir()>{percent.clone()}</bdi>
            </p>
            <div class="vmb-progress" role="progressbar" aria-label=ctx.message(Msg::RestoreProgressLabel)
                aria-valuemin="0" aria-valuemax="100" aria-valuenow=(overall.clamp(0.0, 100.0).round() as u32).to_string()
                aria-valuetext=percent>
                <div class=bar_class style:width=format::css_percent(overall)></div>
            </div>
            {run.message.map(|m| view! { <p class="vmb-hint vmb-restore__message">{m}</p> })}
        </div>
    }
}

/// A restore task or its import ended: record how, and tell the host — once per page, under the id
/// `vmb-restore-started` gave (the restore task's), as a page-wide task list following the same workflow does.
fn end_run(ctx: WidgetContext, run: ErasedSignal<Option<RestoreRun>>, task: &Task) {
    let stage = match task.state {
        TaskState::Finished => Stage::Finished,
        TaskState::Cancelled => Stage::Cancelled,
        _ => Stage::Failed,
    };
    let _ = run.try_update(|r| {
        if let Some(r) = r {
            r.stage = stage;
            if task.state == TaskState::Finished {
                r.step_progress = 100.0;
                if let Some(name) = task.target_vm.as_ref().and_then(|vm| vm.name.clone()) {
                    r.new_name = name;
                }
            }
            r.message = task.status_info.clone();
        }
    });
    let restore_id = run.try_with_untracked(|r| r.as_ref().map(|r| r.restore_id.clone())).flatten();
    let task_id = restore_id.unwrap_or_else(|| task.id.clone());
    if crate::host_events::first_report_of_end(&task_id) {
        ctx.emit(HostEvent::TaskFinished {
            task_id,
            state: task.state.as_str().to_string(),
            message: task.status_info.clone(),
        });
    }
}

/// Finds the IMPORT task that follows the finished `restore` (same workflow, or the restore as its parent)
/// and tracks it; tries again a few times, since a server may queue it a moment later.
fn look_for_import(
    ctx: WidgetContext,
    client: Client,
    restore: Task,
    run: ErasedSignal<Option<RestoreRun>>,
    attempt: u32,
) {
    spawn_local(async move {
        let query = match (&restore.workflow, &restore.vm) {
            (Some(workflow), _) => Some(ListTasks::for_workflow(workflow.clone()).of_type(TaskType::Import)),
            (None, Some(vm)) => Some(ListTasks::for_vm(vm.id.clone()).of_type(TaskType::Import)),
            (None, None) => None,
        };
        let found = match query {
            Some(query) => client.call(&query).await.ok().and_then(|page| {
                page.items.into_iter().find(|t| {
                    t.parent.as_ref().is_some_and(|p| p.id == restore.id)
                        || (restore.workflow.is_some() && t.workflow == restore.workflow)
                })
            }),
            None => None,
        };
        match found {
            Some(import) => {
                if run.try_get_untracked().is_none() {
                    return;
                }
                let ended = import.state.is_terminal();
                let _ = run.try_update(|r| {
                    if let Some(r) = r {
                        r.import_id = Some(import.id.clone());
                        r.step_progress = import.progress;
                        r.message = import.status_info.clone();
                    }
                });
                if ended {
                    // It ended before the poller could see it run: take its end from this reading.
                    end_run(ctx, run, &import);
                } else {
                    client.poller().track(import.id);
                }
            }
            None if attempt + 1 < IMPORT_LOOKUPS && run.try_get_untracked().is_some() => {
                set_timeout(
                    move || look_for_import(ctx, client, restore, run, attempt + 1),
                    std::time::Duration::from_millis(IMPORT_LOOKUP_PAUSE_MS),
                );
            }
            None => {
                let _ = run.try_update(|r| {
                    if let Some(r) = r {
                        r.stage = Stage::Lost;
                    }
                });
            }
        }
    });
}

/// The copies a restore of `backup` can read: those it lists as present (5.0+), or, when it lists none, the
/// VM's present locations that belong to it. The primary copy comes first.
fn copies_of(backup: &Backup, present: Option<&Page<BackupLocation>>) -> Vec<BackupLocation> {
    let mut copies: Vec<BackupLocation> = if backup.locations.is_empty() {
        present
            .map(|p| p.items.iter().filter(|l| l.backup.as_ref().is_some_and(|b| b.id == backup.id)).cloned().collect())
            .unwrap_or_default()
    } else {
        backup.locations.iter().filter(|l| l.status == LocationStatus::Present).cloned().collect()
    };
    for copy in &mut copies {
        // A restore request names the backup through its copy.
        if copy.backup.is_none() {
            copy.backup = Some(Ref::id(backup.id.clone()));
        }
    }
    small_sort::sort_by_key(&mut copies, |l| match l.role {
        Some(DestinationRole::Primary) => 0,
        Some(DestinationRole::Secondary) => 1,
        Some(DestinationRole::Archive) => 2,
        _ => 3,
    });
    copies
}

/// A manager's name (Storware often has only its URL) and type.
fn manager_label(manager: &HypervisorManager) -> String {
    let name = manager.name.clone().or_else(|| manager.url.clone()).unwrap_or_else(|| manager.id.clone());
    match &manager.kind {
        Some(kind) => format!("{name} ({kind})"),
        None => name,
    }
}

/// A hypervisor's host and type.
fn hypervisor_label(hypervisor: &Hypervisor) -> String {
    match &hypervisor.kind {
        Some(kind) => format!("{} ({kind})", hypervisor.host),
        None => hypervisor.host.clone(),
    }
}

/// A storage's name and free space (Storware's `totalAvailableSpace` is the capacity, as its own UI reads it).
fn storage_label(ctx: WidgetContext, storage: &Storage) -> String {
    match (storage.available_bytes, storage.used_bytes) {
        (Some(capacity), used) => {
            let free = format::bytes(ctx.lang_untracked(), capacity.saturating_sub(used.unwrap_or(0)));
            format!("{} — {}", storage.name, ctx.fill(Msg::RestoreStorageFree, &[("free", &free)]))
        }
        (None, _) => storage.name.clone(),
    }
}

/// The element that has the focus, looking through open shadow roots (a widget's own button lives in one).
fn focused_element() -> Option<HtmlElement> {
    let document = web_sys::window()?.document()?;
    let mut active = document.active_element()?;
    while let Some(inner) = active.shadow_root().and_then(|root| root.active_element()) {
        active = inner;
    }
    active.dyn_into::<HtmlElement>().ok()
}
