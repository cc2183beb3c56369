//! **BackupButton**: "Back up now" for one VM or a selection.
//!
//! The button opens a dialog with the backup type, the policy rule that says where the backup goes (read from
//! each VM's policy when the dialog opens), a priority and an optional deadline for the start. A VM without a
//! policy, or a policy without an active rule, gets an explanation instead of a form that cannot work. VMs of
//! different policies are backed up in one group per policy, each with its own rule.
//!
//! A click starts the backup once: the button is guarded while the submission is in flight (a double click
//! sends one request), and the client never resends a submission whose answer was lost — it looks for the
//! tasks the submission created instead, which the widget then shows as recovered. The created tasks are
//! followed below the button through the page's shared task poller.
//!
//! A user the server refuses (403: a read-only user) reads why in the dialog, with the form as it was. The
//! button is not hidden from such users: Storware names no privilege for a backup by hand that a widget could
//! check first.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vmbackup_core::domain::{BackupType, Policy, Ref, Rule, SubmitResult, Task, Vm};
use vmbackup_core::error::ValidationCode;
use vmbackup_core::storware::policies::GetPolicy;
use vmbackup_core::storware::tasks::{ExportVms, DEFAULT_PRIORITY};
use vmbackup_core::storware::vms::GetVm;
use vmbackup_core::validation::validate_priority;
use vmbackup_core::{ApiError, ErrorKind, FieldError};

use crate::context::{use_widget_context, WidgetContext};
use crate::erased::{effect, ErasedMemo, ErasedSignal};
use crate::format;
use crate::handler;
use crate::host_events::HostEvent;
use crate::i18n::Msg;
use crate::linear_map::{LinearMap, LinearSet};
use crate::show_if::ShowIf;
use crate::small_sort;
use crate::widgets::notices::{ErrorNotice, SessionNotice};
use crate::widgets::task_progress::{open_modal, restore_focus, TaskProgress};

/// Deadlines offered for the start of the backup, in minutes from the submission (0: none, the server's own
/// window applies). A choice of durations rather than a clock time: "within an hour" is what users mean, and
/// it cannot name a time in the past.
pub const WINDOW_CHOICES_MINUTES: [u32; 7] = [0, 30, 60, 120, 240, 480, 1440];

/// The form fields errors are shown next to, by their name in the request body.
const FORM_FIELDS: [&str; 5] = ["priority", "windowEnd", "rules", "protectedEntities", "backupType"];

/// VMs that share a policy: one submission, one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyGroup {
    pub policy: Ref,
    pub vms: Vec<Vm>,
}

/// Splits VMs by policy, in the order the policies first appear; VMs without a policy come back separately.
pub fn group_by_policy(vms: &[Vm]) -> (Vec<PolicyGroup>, Vec<Vm>) {
    let mut groups: Vec<PolicyGroup> = Vec::new();
    let mut unprotected = Vec::new();
    for vm in vms {
        match vm.protection.policy.as_ref().filter(|p| !p.id.trim().is_empty()) {
            Some(policy) => match groups.iter_mut().find(|g| g.policy.id == policy.id) {
                Some(group) => group.vms.push(vm.clone()),
                None => groups.push(PolicyGroup { policy: policy.clone(), vms: vec![vm.clone()] }),
            },
            None => unprotected.push(vm.clone()),
        }
    }
    (groups, unprotected)
}

/// The rules a backup by hand can use: active ones with an id, in the policy's order.
pub fn usable_rules(policy: &Policy) -> Vec<Rule> {
    let mut rules: Vec<Rule> =
        policy.rules.iter().filter(|r| r.active && r.id.as_deref().is_some_and(|id| !id.is_empty())).cloned().collect();
    small_sort::sort_by_key(&mut rules, |r| r.position.unwrap_or(u32::MAX));
    rules
}

/// Reads the priority field: a whole number 0–100 (field `priority` otherwise).
pub fn parse_priority(text: &str) -> Result<u8, ApiError> {
    let out_of_range = || {
        ApiError::validation(vec![FieldError::new(
            "priority",
            ValidationCode::OutOfRange,
            "Priority must be a whole number between 0 and 100.",
        )])
    };
    let value: i64 = text.trim().parse().map_err(|_| out_of_range())?;
    validate_priority(value)?;
    u8::try_from(value).map_err(|_| out_of_range())
}

/// Field errors an error carries: its list, or its one named field.
fn field_errors_of(error: &ApiError) -> Vec<FieldError> {
    if !error.fields.is_empty() {
        return error.fields.clone();
    }
    match &error.field {
        Some(field) => vec![FieldError::new(field.clone(), ValidationCode::Server, error.message.clone())],
        None => Vec::new(),
    }
}

/// A field error in the user's language; the server's own words when it wrote them.
fn field_message(ctx: WidgetContext, error: &FieldError) -> String {
    let msg = match (error.field.as_str(), error.code) {
        (_, ValidationCode::Server) if !error.message.trim().is_empty() => return error.message.clone(),
        ("priority", _) => Msg::FieldPriorityRange,
        ("windowEnd", _) => Msg::FieldWindowEnd,
        ("rules", _) => Msg::FieldRuleRequired,
        ("protectedEntities", _) => Msg::FieldVmsRequired,
        _ => Msg::FieldInvalid,
    };
    ctx.text(msg).to_string()
}

/// How often, and how many times, a lost submission is looked up again while the server cannot be read: two
/// minutes in all, enough for a proxy to recover, short enough not to poll a server that is down for long.
const CONFIRM_INTERVAL_MS: u64 = 3_000;
const CONFIRM_ATTEMPTS: u32 = 40;

/// What one click started, over its policy groups.
#[derive(Debug, Default)]
struct StartedBackups {
    policy_ids: Vec<String>,
    vm_ids: Vec<String>,
    tasks: Vec<Task>,
    recovered: bool,
    cancelled_copies: Vec<String>,
}

impl StartedBackups {
    /// Adds a group's submission; once started, a retry after a later group's failure must not start it again.
    fn add(&mut self, group: &PolicyGroup, result: SubmitResult) {
        self.policy_ids.push(group.policy.id.clone());
        self.vm_ids.extend(group.vms.iter().map(|vm| vm.id.clone()));
        self.tasks.extend(result.tasks);
        self.recovered |= result.recovered;
        self.cancelled_copies.extend(result.cancelled_copies);
    }
}

/// A policy as the dialog knows it.
#[derive(Debug, Clone, PartialEq)]
enum PolicyLoad {
    Loading,
    Loaded(Policy),
    Failed(ApiError),
}

/// The backup button.
///
/// * `vm`: the Storware id of one VM, loaded by the widget (the custom element's `vm` attribute);
/// * `vms`: the VMs to back up, e.g. a [`crate::widgets::VmTable`]'s selection (ignored when `vm` is given);
/// * `show_progress`: follow the created tasks below the button (default on);
/// * `on_started`: called with each submission's result.
///
/// Events: `vmb-backup-started` (detail `{taskIds, vmIds, recovered}`) for each submission that started
/// backups; `vmb-task-finished` from the task list below; `vmb-error` for errors it shows.
#[component]
pub fn BackupButton(
    #[prop(optional, into)] vms: Signal<Vec<Vm>>,
    #[prop(optional, into)] vm: Option<String>,
    #[prop(default = true)] show_progress: bool,
    #[prop(optional, into)] on_started: Option<Callback<SubmitResult>>,
) -> impl IntoView {
    let ctx = use_widget_context();
    let instance = next_instance_id();
    let fixed_vm = StoredValue::new(vm.clone());
    let loaded_vm: ErasedSignal<Option<Vm>> = ErasedSignal::new(None);
    let vm_error: ErasedSignal<Option<ApiError>> = ErasedSignal::new(None);
    let open = ErasedSignal::new(false);
    let policies: ErasedSignal<LinearMap<String, PolicyLoad>> = ErasedSignal::new(LinearMap::new());
    let backup_type = ErasedSignal::new(BackupType::Full);
    let priority_text = ErasedSignal::new(DEFAULT_PRIORITY.to_string());
    let window_minutes = ErasedSignal::new(0_u32);
    let rule_choice: ErasedSignal<LinearMap<String, String>> = ErasedSignal::new(LinearMap::new());
    let submitting = ErasedSignal::new(false);
    let field_errors: ErasedSignal<Vec<FieldError>> = ErasedSignal::new(Vec::new());
    let submit_error: ErasedSignal<Option<ApiError>> = ErasedSignal::new(None);
    let started_groups: ErasedSignal<LinearSet<String>> = ErasedSignal::new(LinearSet::new());
    let created: ErasedSignal<Vec<String>> = ErasedSignal::new(Vec::new());
    // Tasks created, whether they were found after a lost answer, extra copies cancelled.
    let last_result: ErasedSignal<Option<(usize, bool, usize)>> = ErasedSignal::new(None);
    // A lost submission is being confirmed with the server: nothing may be submitted meanwhile.
    let checking = ErasedSignal::new(false);
    let trigger = NodeRef::<html::Button>::new();
    let dialog = NodeRef::<html::Dialog>::new();

    // The one VM of the `vm` prop.
    let load_vm = move || {
        let Some(id) = fixed_vm.get_value() else { return };
        vm_error.set(None);
        spawn_local(async move {
            match ctx.client().call(&GetVm::new(id)).await {
                Ok(vm) => {
                    let _ = loaded_vm.try_set(Some(vm));
                }
                Err(error) if error.kind == ErrorKind::Unauthorized => {}
                Err(error) => {
                    ctx.report(&error);
                    let _ = vm_error.try_set(Some(error));
                }
            }
        });
    };
    load_vm();
    let vm_mode = vm.is_some();
    let chosen = ErasedMemo::new(move |_| if vm_mode { loaded_vm.get().into_iter().collect() } else { vms.get() });
    let grouping = ErasedMemo::new(move |_| chosen.with(|vms| group_by_policy(vms)));

    // The policy behind a group, read fresh each time the dialog opens; the first usable rule is preselected.
    let load_policy = move |id: String| {
        policies.update(|map| {
            map.insert(id.clone(), PolicyLoad::Loading);
        });
        spawn_local(async move {
            let result = ctx.client().call(&GetPolicy::new(id.clone())).await;
            let load = match result {
                Ok(policy) => {
                    // Keep the user's earlier choice while the policy still has it; else its first usable rule.
                    let usable: Vec<String> = usable_rules(&policy).into_iter().filter_map(|r| r.id).collect();
                    let _ = rule_choice.try_update(|choice| match usable.first() {
                        Some(first) if !choice.get(&id).is_some_and(|chosen| usable.contains(chosen)) => {
                            choice.insert(id.clone(), first.clone());
                        }
                        Some(_) => {}
                        None => {
                            choice.remove(&id);
                        }
                    });
                    PolicyLoad::Loaded(policy)
                }
                Err(error) => {
                    if error.kind != ErrorKind::Unauthorized {
                        ctx.report(&error);
                    }
                    PolicyLoad::Failed(error)
                }
            };
            let _ = policies.try_update(|map| {
                map.insert(id, load);
            });
        });
    };
    effect(move || {
        if !open.get() {
            return;
        }
        let ids: Vec<String> = grouping.with(|(groups, _)| groups.iter().map(|g| g.policy.id.clone()).collect());
        untrack(|| {
            for id in ids {
                if !policies.with(|map| map.contains_key(&id)) {
                    load_policy(id);
                }
            }
        });
    });
    effect(move || {
        if let Some(dialog) = dialog.get() {
            open_modal(&dialog);
        }
    });

    let open_dialog = move |_| {
        policies.set(LinearMap::new());
        started_groups.set(LinearSet::new());
        field_errors.set(Vec::new());
        submit_error.set(None);
        open.set(true);
    };
    let close_dialog = move || {
        if !open.get_untracked() {
            return;
        }
        // Close the modal first: while it is open the rest of the page is inert and cannot take focus.
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
        open.set(false);
        restore_focus(trigger.get_untracked().map(Into::into));
    };

    // The groups this click would submit: not yet started, policy read, a rule chosen.
    let plan = move || -> Vec<(PolicyGroup, String)> {
        let (groups, _) = grouping.get();
        let choices = rule_choice.get();
        let started = started_groups.get();
        policies.with(|map| {
            groups
                .into_iter()
                .filter(|g| !started.contains(&g.policy.id))
                .filter(|g| matches!(map.get(&g.policy.id), Some(PolicyLoad::Loaded(_))))
                .filter_map(|g| choices.get(&g.policy.id).cloned().map(|rule| (g, rule)))
                .collect()
        })
    };
    let still_loading = move || policies.with(|map| map.values().any(|p| matches!(p, PolicyLoad::Loading)));
    let can_submit = move || !submitting.get() && !checking.get() && !still_loading() && !plan().is_empty();

    // Tracks and announces backups that reached the server.
    let record = move |started: StartedBackups| {
        if started.vm_ids.is_empty() {
            return;
        }
        let _ = started_groups.try_update(|groups| groups.extend(started.policy_ids.iter().cloned()));
        let client = ctx.client();
        let task_ids: Vec<String> = started.tasks.iter().map(|t| t.id.clone()).collect();
        for id in &task_ids {
            client.poller().track(id.clone());
        }
        created.update(|list| list.extend(task_ids.iter().cloned()));
        last_result.set(Some((started.tasks.len(), started.recovered, started.cancelled_copies.len())));
        ctx.emit(HostEvent::BackupStarted { task_ids, vm_ids: started.vm_ids, recovered: started.recovered });
        if let Some(callback) = on_started {
            callback.run(SubmitResult {
                tasks: started.tasks,
                recovered: started.recovered,
                cancelled_copies: started.cancelled_copies,
                ..SubmitResult::default()
            });
        }
    };

    // A submission whose answer was lost and whose tasks could not be looked up yet: ask the server again every
    // few seconds until it answers (a failing proxy recovers), then track what it created and cancel the copies
    // a browser's resend made. Never resubmits; the submit button stays disabled meanwhile.
    let confirm_later = move |group: PolicyGroup, export: ExportVms| async move {
        checking.set(true);
        let client = ctx.client();
        for _ in 0..CONFIRM_ATTEMPTS {
            client.sleep(std::time::Duration::from_millis(CONFIRM_INTERVAL_MS)).await;
            if checking.try_get_untracked().is_none() {
                return; // unmounted meanwhile
            }
            let confirmed = client.confirm_export(&export).await;
            if checking.try_get_untracked().is_none() {
                return; // unmounted meanwhile
            }
            match confirmed {
                Ok(result) => {
                    let mut started = StartedBackups::default();
                    started.add(&group, result);
                    record(started);
                    submit_error.set(None);
                    close_dialog();
                    break;
                }
                Err(none_found) if none_found.kind == ErrorKind::Unconfirmed => {
                    if open.get_untracked() {
                        submit_error.set(Some(none_found));
                    }
                    break;
                }
                // Not reachable yet (or the session is being renewed): ask again.
                Err(_) => {}
            }
        }
        checking.set(false);
    };

    let submit = move || {
        // A second click (or Enter) while the first submission is in flight does nothing: one task per click.
        if submitting.get_untracked() {
            return;
        }
        field_errors.set(Vec::new());
        submit_error.set(None);
        let priority = match parse_priority(&priority_text.get_untracked()) {
            Ok(priority) => priority,
            Err(error) => {
                field_errors.set(field_errors_of(&error));
                return;
            }
        };
        let groups = untrack(plan);
        if groups.is_empty() {
            field_errors.set(vec![FieldError::new("rules", ValidationCode::Required, "Choose a policy rule.")]);
            return;
        }
        submitting.set(true);
        let kind = backup_type.get_untracked();
        let minutes = window_minutes.get_untracked();
        spawn_local(async move {
            let client = ctx.client();
            let now = client.now_ms();
            let mut started = StartedBackups::default();
            let mut failure: Option<ApiError> = None;
            let mut lost: Option<(PolicyGroup, ExportVms)> = None;
            for (group, rule) in groups {
                let refs = group.vms.iter().map(|vm| Ref::named(vm.id.clone(), vm.name.clone())).collect();
                let mut export = ExportVms::new(refs, vec![Ref::id(rule)], kind.clone(), now).with_priority(priority);
                if minutes > 0 {
                    export = export.with_window_end(now + i64::from(minutes) * 60_000);
                }
                match client.export_vms(&export).await {
                    Ok(result) => started.add(&group, result),
                    Err(error) => {
                        if error.kind == ErrorKind::Unconfirmed {
                            lost = Some((group, export));
                        }
                        failure = Some(error);
                        break;
                    }
                }
            }
            if submitting.try_get_untracked().is_none() {
                return; // unmounted meanwhile
            }
            record(started);
            submitting.set(false);
            match failure {
                None => close_dialog(),
                // The session prompt says what to do; the form keeps its values for the retry.
                Some(error) if error.kind == ErrorKind::Unauthorized => {}
                Some(error) => {
                    ctx.report(&error);
                    let fields = field_errors_of(&error);
                    let all_placed =
                        !fields.is_empty() && fields.iter().all(|f| FORM_FIELDS.contains(&f.field.as_str()));
                    field_errors.set(fields);
                    if !all_placed {
                        submit_error.set(Some(error));
                    }
                }
            }
            if let Some((group, export)) = lost {
                confirm_later(group, export).await;
            }
        });
    };

    let checking_note = move || {
        checking
            .get()
            .then(|| view! { <p class="vmb-hint vmb-backup-checking">{ctx.text(Msg::CheckingSubmission)}</p> })
    };

    let error_for = move |field: &'static str| {
        move || field_errors.with(|errors| errors.iter().find(|e| e.field == field).map(|e| field_message(ctx, e)))
    };
    let field_id = move |name: &str| format!("vmb-bb-{instance}-{name}");

    let trigger_label = move || {
        let count = chosen.with(Vec::len);
        if count > 1 {
            ctx.fill(Msg::BackUpSelected, &[("count", &format::number(ctx.lang(), count as f64, 0))])
        } else {
            ctx.text(Msg::BackUpNow).to_string()
        }
    };

    let group_fields = move || {
        let (groups, _) = grouping.get();
        let several = groups.len() > 1;
        groups
            .into_iter()
            .enumerate()
            .map(|(index, group)| {
                let policy_id = group.policy.id.clone();
                let policy_name = group.policy.name.clone().unwrap_or_else(|| group.policy.id.clone());
                let select_id = field_id(&format!("rule-{index}"));
                let label = {
                    let policy_name = policy_name.clone();
                    move || {
                        if several {
                            ctx.fill(Msg::RuleOfPolicy, &[("policy", &policy_name)])
                        } else {
                            ctx.text(Msg::Rule).to_string()
                        }
                    }
                };
                let started = {
                    let policy_id = policy_id.clone();
                    move || started_groups.with(|s| s.contains(&policy_id))
                };
                let load = {
                    let policy_id = policy_id.clone();
                    move || policies.with(|map| map.get(&policy_id).cloned())
                };
                let names = isolated_names(&group.vms);
                let rule_error = error_for("rules");
                let error_id = field_id(&format!("rule-{index}-error"));
                let group_attr = policy_id.clone();
                let error_attr = error_id.clone();
                let label_for = select_id.clone();
                view! {
                    <div class="vmb-field vmb-backup-group" data-policy-id=group_attr>
                        <label class="vmb-label" for=label_for>{label}</label>
                        {several.then(|| view! { <span class="vmb-hint">{names}</span> })}
                        {move || {
                            let policy_id = policy_id.clone();
                            let policy_name = policy_name.clone();
                            if started() {
                                return view! {
                                    <span class="vmb-badge vmb-badge--ok">{ctx.text(Msg::BackupGroupStarted)}</span>
                                }.into_any();
                            }
                            match load() {
                                None | Some(PolicyLoad::Loading) => view! {
                                    <span class="vmb-muted" role="status">{ctx.text(Msg::Loading)}</span>
                                }.into_any(),
                                Some(PolicyLoad::Failed(error)) => view! {
                                    <ErrorNotice error=error on_retry=Callback::new(move |_| load_policy(policy_id.clone())) />
                                }.into_any(),
                                Some(PolicyLoad::Loaded(policy)) => {
                                    let rules = usable_rules(&policy);
                                    if rules.is_empty() {
                                        return view! {
                                            <p class="vmb-alert vmb-alert--info vmb-backup-explanation" role="note">
                                                {ctx.fill(Msg::NoActiveRule, &[("policy", &policy_name)])}
                                            </p>
                                        }.into_any();
                                    }
                                    let chosen_rule = {
                                        let policy_id = policy_id.clone();
                                        move || rule_choice.with(|c| c.get(&policy_id).cloned()).unwrap_or_default()
                                    };
                                    // `selected` on the options, not a value on the select: a select's value set
                                    // before its options exist does not stick, and what the user sees must be what
                                    // is sent.
                                    let error_id = error_id.clone();
                                    view! {
                                        <select
                                            id=select_id.clone()
                                            class="vmb-select"
                                            name="rules"
                                            aria-invalid=move || rule_error().is_some().to_string()
                                            aria-describedby=error_id
                                            on:change=handler::event(move |ev| {
                                                let value = event_target_value(&ev);
                                                let policy_id = policy_id.clone();
                                                rule_choice.update(|c| { c.insert(policy_id, value); });
                                            })
                                        >
                                            {rules.into_iter().map(|rule| {
                                                let id = rule.id.clone().unwrap_or_default();
                                                let chosen_rule = chosen_rule.clone();
                                                let this = id.clone();
                                                view! {
                                                    <option value=id selected=move || chosen_rule() == this>
                                                        {rule.name}
                                                    </option>
                                                }
                                            }).collect_view()}
                                        </select>
                                    }.into_any()
                                }
                            }
                        }}
                        <span class="vmb-field-error" id=error_attr>{rule_error}</span>
                    </div>
                }
            })
            .collect_view()
    };

    let dialog_view = move || {
        let title_id = field_id("title");
        let labelled_by = title_id.clone();
        let priority_error = error_for("priority");
        let window_error = error_for("windowEnd");
        let vms_error = error_for("protectedEntities");
        let type_error = error_for("backupType");
        view! {
            <dialog
                class="vmb-dialog vmb-backup-dialog"
                node_ref=dialog
                role="dialog"
                aria-modal="true"
                aria-labelledby=labelled_by
                on:close=handler::event(move |_| close_dialog())
                on:keydown=handler::keyboard(move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Escape" {
                        ev.prevent_default();
                        close_dialog();
                    }
                })
            >
                <form
                    class="vmb-backup-form"
                    novalidate=true
                    on:submit=handler::submit(move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        submit();
                    })
                >
                    <h2 class="vmb-dialog__title" id=title_id>{ctx.message(Msg::BackupDialogTitle)}</h2>
                    <SessionNotice />
                    <div class="vmb-field">
                        <span class="vmb-label">{move || ctx.fill(Msg::BackupVmsHeading, &[
                            ("count", &format::number(ctx.lang(), chosen.with(Vec::len) as f64, 0)),
                        ])}</span>
                        <ul class="vmb-list vmb-backup-vms">
                            {move || chosen.get().into_iter().map(|vm| view! { <li><bdi>{vm.name}</bdi></li> }).collect_view()}
                        </ul>
                        <span class="vmb-field-error">{vms_error}</span>
                    </div>
                    {move || {
                        let (groups, unprotected) = grouping.get();
                        let single = chosen.with(Vec::len) == 1;
                        let mut notes = Vec::new();
                        if !unprotected.is_empty() {
                            let text = if single {
                                ctx.text(Msg::NoRuleExplanation).to_string()
                            } else {
                                let names = isolated_names(&unprotected);
                                ctx.fill(Msg::SomeWithoutPolicy, &[("names", &names)])
                            };
                            notes.push(view! {
                                <p class="vmb-alert vmb-alert--info vmb-backup-explanation" role="note">{text}</p>
                            });
                        }
                        if groups.len() > 1 {
                            let text = ctx.fill(Msg::BackupMixedPolicies, &[("count", &groups.len().to_string())]);
                            notes.push(view! {
                                <p class="vmb-alert vmb-alert--info vmb-backup-explanation" role="note">{text}</p>
                            });
                        }
                        notes
                    }}
                    {group_fields}
                    <ShowIf when=move || grouping.with(|(groups, _)| !groups.is_empty())>
                        <div class="vmb-field">
                            <label class="vmb-label" for=field_id("type")>{ctx.message(Msg::BackupType)}</label>
                            <select
                                id=field_id("type")
                                class="vmb-select"
                                name="backupType"
                                aria-invalid=move || type_error().is_some().to_string()
                                on:change=handler::event(move |ev| backup_type.set(BackupType::from_name(&event_target_value(&ev))))
                            >
                                <option value="FULL" selected=move || backup_type.get() == BackupType::Full>
                                    {ctx.message(Msg::BackupFull)}
                                </option>
                                <option value="INCREMENTAL" selected=move || backup_type.get() == BackupType::Incremental>
                                    {ctx.message(Msg::BackupIncremental)}
                                </option>
                            </select>
                            <span class="vmb-field-error">{type_error}</span>
                        </div>
                        <div class="vmb-field">
                            <label class="vmb-label" for=field_id("priority")>{ctx.message(Msg::Priority)}</label>
                            <input
                                id=field_id("priority")
                                class="vmb-input vmb-backup-priority"
                                name="priority"
                                type="number"
                                inputmode="numeric"
                                min="0"
                                max="100"
                                step="1"
                                aria-invalid=move || priority_error().is_some().to_string()
                                aria-describedby=field_id("priority-error")
                                prop:value=move || priority_text.get()
                                on:input=handler::event(move |ev| priority_text.set(event_target_value(&ev)))
                            />
                            <span class="vmb-field-error" id=field_id("priority-error")>{priority_error}</span>
                        </div>
                        <div class="vmb-field">
                            <label class="vmb-label" for=field_id("window")>{ctx.message(Msg::WindowEnd)}</label>
                            <select
                                id=field_id("window")
                                class="vmb-select"
                                name="windowEnd"
                                aria-invalid=move || window_error().is_some().to_string()
                                aria-describedby=field_id("window-hint")
                                on:change=handler::event(move |ev| {
                                    window_minutes.set(event_target_value(&ev).parse().unwrap_or(0));
                                })
                            >
                                {WINDOW_CHOICES_MINUTES.iter().map(|&minutes| view! {
                                    <option value=minutes.to_string() selected=move || window_minutes.get() == minutes>
                                        {move || window_label(ctx, minutes)}
                                    </option>
                                }).collect_view()}
                            </select>
                            <span class="vmb-hint" id=field_id("window-hint")>{move || {
                                let minutes = window_minutes.get();
                                (minutes > 0).then(|| {
                                    let by = ctx.client().now_ms() + i64::from(minutes) * 60_000;
                                    ctx.fill(Msg::WindowDeadline, &[
                                        ("time", &format::date_time(ctx.lang(), &ctx.zone(), by)),
                                    ])
                                })
                            }}</span>
                            <span class="vmb-field-error">{window_error}</span>
                        </div>
                    </ShowIf>
                    {move || submit_error.get().map(|error| {
                        // Retrying an unconfirmed submission could start the backup twice: the user checks first.
                        // A refusal for want of a privilege stays one: asking again cannot help.
                        let retryable = !matches!(error.kind, ErrorKind::Unconfirmed | ErrorKind::Forbidden);
                        let retry = retryable.then(|| Callback::new(move |_| submit()));
                        match retry {
                            Some(retry) => view! { <ErrorNotice error=error on_retry=retry /> }.into_any(),
                            None => view! { <ErrorNotice error=error /> }.into_any(),
                        }
                    })}
                    <div role="status">{checking_note}</div>
                    <div class="vmb-dialog__actions">
                        <button type="button" class="vmb-button" on:click=handler::mouse(move |_| close_dialog())>
                            {ctx.message(Msg::Cancel)}
                        </button>
                        <button
                            type="submit"
                            class="vmb-button vmb-button--primary vmb-backup-submit"
                            prop:disabled=move || !can_submit()
                            aria-busy=move || submitting.get().to_string()
                        >
                            {move || if submitting.get() { ctx.text(Msg::Submitting) } else { ctx.text(Msg::StartBackup) }}
                        </button>
                    </div>
                </form>
            </dialog>
        }
    };

    view! {
        <div class="vmb-backup-button">
            // While the modal dialog is open the rest is inert: the prompt is shown inside it instead.
            <ShowIf when=move || !open.get()><SessionNotice /></ShowIf>
            {move || vm_error.get().map(|error| view! {
                <ErrorNotice error=error on_retry=Callback::new(move |_| load_vm()) />
            })}
            <div class="vmb-toolbar">
                <button
                    type="button"
                    class="vmb-button vmb-button--primary vmb-backup-open"
                    node_ref=trigger
                    aria-haspopup="dialog"
                    // Not disabled while submitting: the modal dialog covers it then, and focus must be able to
                    // come back to it the moment the dialog closes.
                    prop:disabled=move || chosen.with(Vec::is_empty)
                    on:click=handler::mouse(open_dialog)
                >
                    {trigger_label}
                </button>
                <ShowIf when=move || !vm_mode && chosen.with(Vec::is_empty)>
                    <span class="vmb-hint">{ctx.message(Msg::NoVmSelected)}</span>
                </ShowIf>
            </div>
            <ShowIf when=move || open.get()>{dialog_view}</ShowIf>
            <div class="vmb-backup-result" role="status" aria-live="polite">
                {checking_note}
                {move || last_result.get().map(|(count, recovered, copies)| view! {
                    <p>{ctx.fill(Msg::TasksCreated, &[("count", &format::number(ctx.lang(), count as f64, 0))])}</p>
                    {recovered.then(|| view! { <p class="vmb-hint vmb-backup-recovered">{ctx.text(Msg::TasksRecovered)}</p> })}
                    {(copies > 0).then(|| view! {
                        <p class="vmb-hint vmb-backup-copies">
                            {ctx.fill(Msg::CopiesCancelled, &[("count", &format::number(ctx.lang(), copies as f64, 0))])}
                        </p>
                    })}
                })}
            </div>
            {show_progress.then(|| view! { <TaskProgress task_ids=Signal::derive(move || created.get()) embedded=true /> })}
        </div>
    }
}

/// VM names for a sentence, each isolated so that a name's direction marks cannot reorder the sentence.
fn isolated_names(vms: &[Vm]) -> String {
    vms.iter().map(|vm| format!("\u{2068}{}\u{2069}", vm.name)).collect::<Vec<_>>().join(", ")
}

/// A deadline choice as the user reads it.
fn window_label(ctx: WidgetContext, minutes: u32) -> String {
    match minutes {
        0 => ctx.text(Msg::WindowNoLimit).to_string(),
        m if m < 60 => ctx.fill(Msg::WindowWithinMinutes, &[("minutes", &m.to_string())]),
        m => ctx.fill(Msg::WindowWithinHours, &[("hours", &format::number(ctx.lang(), f64::from(m) / 60.0, 1))]),
    }
}

/// Distinguishes the element ids of several buttons on one page.
fn next_instance_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vmbackup_core::domain::{AutoAssignMode, Protection};

    fn vm(id: &str, policy: Option<&str>) -> Vm {
        Vm {
            id: id.into(),
            platform_id: None,
            name: format!("vm-{id}"),
            project: None,
            hypervisor: None,
            hypervisor_manager: None,
            cluster: None,
            platform: None,
            protection: Protection { policy: policy.map(|p| Ref::named(p, p)), ..Protection::default() },
            tags: Vec::new(),
        }
    }

    fn rule(id: Option<&str>, active: bool, position: u32) -> Rule {
        Rule {
            id: id.map(str::to_string),
            name: format!("rule-{position}"),
            active,
            position: Some(position),
            policy: None,
            schedules: Vec::new(),
            destinations: Vec::new(),
            server_fields: Default::default(),
        }
    }

    #[test]
    fn vms_are_grouped_by_policy_in_order_and_unprotected_ones_set_apart() {
        let vms = [vm("1", Some("gold")), vm("2", None), vm("3", Some("silver")), vm("4", Some("gold"))];
        let (groups, unprotected) = group_by_policy(&vms);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].policy.id, "gold");
        assert_eq!(groups[0].vms.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(), ["1", "4"]);
        assert_eq!(groups[1].policy.id, "silver");
        assert_eq!(unprotected.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(), ["2"]);
    }

    #[test]
    fn only_active_rules_with_ids_are_offered_in_policy_order() {
        let policy = Policy {
            id: Some("p".into()),
            name: "gold".into(),
            active: true,
            priority: 50,
            retry_count: 0,
            auto_remove_non_present: false,
            auto_assign: AutoAssignMode::Disabled,
            vms: Vec::new(),
            rules: vec![
                rule(Some("b"), true, 2),
                rule(Some("off"), false, 0),
                rule(None, true, 1),
                rule(Some("a"), true, 1),
            ],
            projects: Vec::new(),
            visible_for_all_projects: true,
            vm_count: None,
            server_fields: Default::default(),
        };
        let ids: Vec<_> = usable_rules(&policy).into_iter().filter_map(|r| r.id).collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn priority_must_be_a_whole_number_from_0_to_100() {
        assert_eq!(parse_priority(" 0 ").ok(), Some(0));
        assert_eq!(parse_priority("100").ok(), Some(100));
        for bad in ["101", "-1", "50.5", "", "ten", "99999999999999999999"] {
            let error = parse_priority(bad).expect_err(bad);
            assert_eq!(error.kind, ErrorKind::Validation, "{bad}");
            assert_eq!(error.fields[0].field, "priority", "{bad}");
        }
    }

    #[test]
    fn a_server_error_naming_a_field_becomes_a_field_error() {
        let mut error = ApiError::new(ErrorKind::Validation, "Priority too high");
        error.field = Some("priority".into());
        let fields = field_errors_of(&error);
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].code, ValidationCode::Server);
        assert!(field_errors_of(&ApiError::new(ErrorKind::Server, "boom")).is_empty());
    }
}
