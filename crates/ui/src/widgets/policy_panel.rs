//! **PolicyPanel**: the backup policies, their rules (schedules and destinations) and their VMs, with VMs
//! assigned and removed by users who may change policies (the others see a note why they cannot).
//!
//! Storware has no call that adds one VM to a policy: the whole policy is written back with a new VM list
//! ([`AssignVms`]). So each change starts from a fresh read of the policy — never from the copy on screen, which
//! another user may have changed meanwhile — and a VM assigned here leaves its previous policy (a VM is in at
//! most one), which the panel then re-reads too.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vmbackup_core::domain::{DestinationRole, Policy, Ref, Rule, Vm};
use vmbackup_core::storware::policies::{AssignVms, GetPolicy, ListPolicies};
use vmbackup_core::storware::vms::{GetVm, ListVms};
use vmbackup_core::{substring, ApiError, ErrorKind};

use crate::context::use_widget_context;
use crate::erased::{ErasedMemo, ErasedSignal};
use crate::format;
use crate::handler;
use crate::i18n::{Lang, Msg};
use crate::keyed_list::{keyed_list, KeyedRow};
use crate::linear_map::LinearMap;
use crate::privileges::{session_privileges, Privileges};
use crate::small_sort;
use crate::timeout_slot::TimeoutSlot;
use crate::widgets::notices::{ErrorNotice, SessionNotice};
use crate::widgets::schedule_form::ConfirmDialog;

/// Assigned VMs listed at once; a filter finds the others.
pub const SHOWN_VMS: usize = 50;
/// VMs a search offers for assignment.
pub const SEARCH_RESULTS: u32 = 8;
/// Quiet time after the last keystroke before the VM search is sent.
const SEARCH_DEBOUNCE_MS: u64 = 300;

/// A policy shared by all projects (it belongs to none).
fn is_shared(policy: &Policy) -> bool {
    policy.projects.is_empty()
}

/// A sentence for the live region, translated when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Announcement {
    msg: Msg,
    values: Vec<(&'static str, String)>,
}

impl Announcement {
    fn text(&self, lang: Lang) -> String {
        let values: Vec<(&str, &str)> = self.values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.msg.fill(lang, &values)
    }
}

/// A VM and the policy it should leave, waiting for the user's confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PendingRemoval {
    policy_id: String,
    policy_name: String,
    vm: Ref,
}

/// A reference's name, or its id when the server sent none.
fn ref_name(r: &Ref) -> String {
    r.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| r.id.clone())
}

fn role_msg(role: &DestinationRole) -> Option<Msg> {
    match role {
        DestinationRole::Primary => Some(Msg::PolicyRolePrimary),
        DestinationRole::Secondary => Some(Msg::PolicyRoleSecondary),
        DestinationRole::Archive => Some(Msg::PolicyRoleArchive),
        _ => None,
    }
}

/// The assigned VMs whose names contain `filter` (any case), at most [`SHOWN_VMS`], and how many more match.
fn filtered_vms(vms: &[Ref], filter: &str) -> (Vec<Ref>, usize) {
    let filter = format::lowercase(filter.trim());
    let matching: Vec<&Ref> = vms
        .iter()
        .filter(|vm| filter.is_empty() || substring::contains(&format::lowercase(&ref_name(vm)), &filter))
        .collect();
    let more = matching.len().saturating_sub(SHOWN_VMS);
    (matching.into_iter().take(SHOWN_VMS).cloned().collect(), more)
}

/// Distinguishes the element ids of several panels on one page.
fn next_instance_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The policy panel.
///
/// * `project`: only this project's policies and VMs (its platform uuid);
/// * `vm`: the Storware id of a VM the panel is about: it says which policy the VM is in, and each policy
///   offers to take this VM (or to let it go).
///
/// Each policy opens to show its rules (with their schedules and destinations) and its VMs; a VM is assigned
/// by searching for it, and removed after a confirmation.
#[component]
pub fn PolicyPanel(
    #[prop(optional, into)] project: Option<String>,
    #[prop(optional, into)] vm: Option<String>,
) -> impl IntoView {
    let ctx = use_widget_context();
    let instance = next_instance_id();
    let project = StoredValue::new(project);
    let focus_vm = StoredValue::new(vm);

    let policies: ErasedSignal<Option<Vec<Policy>>> = ErasedSignal::new(None);
    let list_error: ErasedSignal<Option<ApiError>> = ErasedSignal::new(None);
    let expanded: ErasedSignal<Option<String>> = ErasedSignal::new(None);
    let details: ErasedSignal<LinearMap<String, Policy>> = ErasedSignal::new(LinearMap::new());
    let details_error: ErasedSignal<Option<(String, ApiError)>> = ErasedSignal::new(None);
    let action_error: ErasedSignal<Option<ApiError>> = ErasedSignal::new(None);
    let busy = ErasedSignal::new(false);
    let announcement: ErasedSignal<Option<Announcement>> = ErasedSignal::new(None);
    let pending_removal: ErasedSignal<Option<PendingRemoval>> = ErasedSignal::new(None);
    let this_vm: ErasedSignal<Option<Vm>> = ErasedSignal::new(None);
    // No Assign or Remove is offered that the server would refuse, nor any before the privileges are known.
    let privileges = session_privileges(ctx);
    let changes_any = move || privileges.with(Privileges::changes_policies);
    let vm_filter = ErasedSignal::new(String::new());
    let search_text = ErasedSignal::new(String::new());
    let search_results: ErasedSignal<Option<Vec<Vm>>> = ErasedSignal::new(None);
    let search_generation = ErasedSignal::new(0_u64);
    let search_input = NodeRef::<html::Input>::new();
    let filter_input = NodeRef::<html::Input>::new();
    // The button that opened the removal dialog, to give focus back to.
    let opener: StoredValue<Option<web_sys::HtmlElement>, LocalStorage> = StoredValue::new_local(None);
    let remember_opener = move |ev: &leptos::ev::MouseEvent| {
        let element = ev.current_target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok());
        opener.set_value(element);
    };
    // Focus goes back to the opener, or, when it is gone (the VM left the list), to the list's filter. It runs
    // in the next frame, when the host may have unmounted the panel: nothing then.
    let restore_focus = move || {
        let target = opener.try_get_value().flatten().filter(|el| el.is_connected());
        match target {
            Some(el) => {
                let _ = el.focus();
            }
            None => {
                if let Some(input) = filter_input.try_get_untracked().flatten() {
                    let _ = input.focus();
                }
            }
        }
    };
    let heading_id = format!("vmb-pp{instance}-heading");
    let heading_ref = heading_id.clone();

    let load_list = move || {
        list_error.set(None);
        spawn_local(async move {
            // Nothing to ask for a panel the host has unmounted since.
            let Some(project) = project.try_get_value() else { return };
            let mut op = ListPolicies::all();
            if let Some(project) = project {
                op = op.in_project(&project);
            }
            let result = ctx.client().call(&op).await;
            if policies.try_get_untracked().is_none() {
                return; // unmounted meanwhile
            }
            match result {
                Ok(mut page) => {
                    small_sort::sort_by_key(&mut page.items, |p| format::lowercase(&p.name));
                    policies.set(Some(page.items));
                }
                Err(e) => {
                    if e.kind != ErrorKind::Unauthorized {
                        ctx.report(&e);
                    }
                    list_error.set(Some(e));
                }
            }
        });
    };
    let load_this_vm = move || {
        let Some(id) = focus_vm.get_value() else { return };
        spawn_local(async move {
            let result = ctx.client().call(&GetVm::new(id)).await;
            if let Ok(vm) = result {
                let _ = this_vm.try_set(Some(vm));
            }
        });
    };
    let load_details = move |id: String| {
        details_error.set(None);
        spawn_local(async move {
            let result = ctx.client().call(&GetPolicy::new(id.clone())).await;
            if details.try_get_untracked().is_none() {
                return;
            }
            match result {
                Ok(policy) => details.update(|d| {
                    d.insert(id, policy);
                }),
                Err(e) => {
                    if e.kind != ErrorKind::Unauthorized {
                        ctx.report(&e);
                    }
                    details_error.set(Some((id, e)));
                }
            }
        });
    };
    load_list();
    load_this_vm();

    // The session came back after an expiry that stopped a load: load again.
    Effect::watch(
        move || ctx.session_expired(),
        move |expired, _, _| {
            if *expired {
                return;
            }
            let stalled = |e: &Option<ApiError>| e.as_ref().is_some_and(|e| e.kind == ErrorKind::Unauthorized);
            if list_error.with_untracked(stalled) {
                load_list();
            }
            let details_stalled = details_error.with_untracked(|e| {
                e.as_ref().filter(|(_, e)| e.kind == ErrorKind::Unauthorized).map(|(id, _)| id.clone())
            });
            if let Some(id) = details_stalled {
                load_details(id);
            }
        },
        false,
    );

    let run_search = move || {
        let text = search_text.get_untracked();
        search_generation.update(|g| *g += 1);
        let current = search_generation.get_untracked();
        if text.trim().is_empty() {
            search_results.set(None);
            return;
        }
        spawn_local(async move {
            let Some(project) = project.try_get_value() else { return };
            let mut op = ListVms::page(0, SEARCH_RESULTS).name_like(text.trim());
            if let Some(project) = project {
                op = op.in_project(&project);
            }
            let result = ctx.client().call(&op).await;
            if search_generation.try_get_untracked() != Some(current) {
                return; // replaced by a newer search, or unmounted
            }
            match result {
                Ok(page) => search_results.set(Some(page.items)),
                Err(e) if e.kind == ErrorKind::Unauthorized => {}
                Err(e) => {
                    ctx.report(&e);
                    action_error.set(Some(e));
                }
            }
        });
    };
    let search_due = TimeoutSlot::new();
    let on_search = move |ev: leptos::ev::Event| {
        search_text.set(event_target_value(&ev));
        search_due.set(std::time::Duration::from_millis(SEARCH_DEBOUNCE_MS), run_search);
    };

    let toggle = move |id: String| {
        action_error.set(None);
        if expanded.get_untracked().as_deref() == Some(id.as_str()) {
            expanded.set(None);
            return;
        }
        vm_filter.set(String::new());
        search_text.set(String::new());
        search_results.set(None);
        expanded.set(Some(id.clone()));
        if !details.with_untracked(|d| d.contains_key(&id)) {
            load_details(id);
        }
    };

    // Writes the policy `policy_id` back with `vm` added or removed, from a fresh read.
    let change_membership = move |policy_id: String, vm: Ref, add: bool| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        action_error.set(None);
        announcement.set(None);
        spawn_local(async move {
            let client = ctx.client();
            let result = async {
                let fresh = client.call(&GetPolicy::new(policy_id.clone())).await?;
                let op = if add {
                    AssignVms::assign(fresh, std::slice::from_ref(&vm))?
                } else {
                    AssignVms::unassign(fresh, std::slice::from_ref(&vm))?
                };
                client.call(&op).await
            }
            .await;
            if busy.try_get_untracked().is_none() {
                return;
            }
            busy.set(false);
            match result {
                Ok(saved) => {
                    let policy_name = saved.name.clone();
                    // Other policies may have lost the VM: read them again when they are opened.
                    details.update(|d| {
                        *d = LinearMap::new();
                        d.insert(policy_id.clone(), saved);
                    });
                    let msg = if add { Msg::PolicyAssigned } else { Msg::PolicyUnassigned };
                    announcement
                        .set(Some(Announcement { msg, values: vec![("vm", ref_name(&vm)), ("policy", policy_name)] }));
                    load_list();
                    load_this_vm();
                    if add {
                        run_search();
                        if let Some(input) = search_input.get_untracked() {
                            let _ = input.focus();
                        }
                    } else {
                        request_animation_frame(restore_focus);
                    }
                }
                Err(e) if e.kind == ErrorKind::Unauthorized => {}
                Err(e) => {
                    ctx.report(&e);
                    action_error.set(Some(e));
                }
            }
        });
    };
    let ask_removal = move |policy_id: String, policy_name: String, vm: Ref| {
        pending_removal.set(Some(PendingRemoval { policy_id, policy_name, vm }));
    };

    let rule_view = move |rule: Rule| {
        let schedules = rule.schedules.iter().map(ref_name).collect::<Vec<_>>().join(", ");
        let destinations = rule.destinations.clone();
        view! {
            <li class="vmb-rule">
                <span class="vmb-rule__name">{rule.name.clone()}</span>
                {(!rule.active).then(|| view! {
                    " " <span class="vmb-badge vmb-badge--muted">{ctx.message(Msg::PolicyRuleInactive)}</span>
                })}
                <div class="vmb-muted">
                    {ctx.message(Msg::PolicyRuleSchedules)} " "
                    {if schedules.is_empty() {
                        view! { <span>{ctx.message(Msg::PolicyRuleNoSchedules)}</span> }.into_any()
                    } else {
                        view! { <span>{schedules.clone()}</span> }.into_any()
                    }}
                </div>
                <div class="vmb-muted">
                    {ctx.message(Msg::PolicyRuleDestinations)} " "
                    {if destinations.is_empty() {
                        view! { <span>{ctx.message(Msg::None)}</span> }.into_any()
                    } else {
                        let destinations = destinations.clone();
                        view! { <span>{move || destinations.iter().map(|d| {
                            let role = role_msg(&d.role).map_or_else(|| d.role.as_str().to_string(), |m| ctx.text(m).to_string());
                            format!("{} ({role})", ref_name(&d.destination))
                        }).collect::<Vec<_>>().join(", ")}</span> }.into_any()
                    }}
                </div>
            </li>
        }
    };

    // The opened policy: its rules, its VMs and the VM search.
    let body_view = move |policy: Policy| {
        let policy_id = policy.id.clone().unwrap_or_default();
        let policy_name = policy.name.clone();
        let vms = policy.vms.clone();
        let member_ids: Vec<String> = vms.iter().map(|v| v.id.clone()).collect();
        let rules = policy.rules.clone();
        // Read once: the body is drawn again when the privileges change (see `body`).
        let may_change = privileges.with_untracked(Privileges::changes_policies) == Some(true);
        let read_only = privileges.with_untracked(|p| p.changes_policy(is_shared(&policy))) != Some(true);
        let vm_list = {
            let (policy_id, policy_name) = (policy_id.clone(), policy_name.clone());
            move || {
                let (shown, more) = vm_filter.with(|f| filtered_vms(&vms, f));
                if shown.is_empty() {
                    let msg = if vms.is_empty() { Msg::PolicyNoVms } else { Msg::NoVms };
                    return view! { <p class="vmb-muted">{ctx.text(msg)}</p> }.into_any();
                }
                let (policy_id, policy_name) = (policy_id.clone(), policy_name.clone());
                view! {
                    <ul class="vmb-list vmb-vm-list">
                        {shown.into_iter().map(|vm| {
                            let name = ref_name(&vm);
                            let label = ctx.fill(Msg::PolicyUnassignLabel, &[("vm", &name), ("policy", &policy_name)]);
                            let (policy_id, policy_name) = (policy_id.clone(), policy_name.clone());
                            view! {
                                <li class="vmb-vm-list__item">
                                    <span>{name}</span>
                                    <button
                                        type="button"
                                        class="vmb-button vmb-button--danger"
                                        hidden=read_only
                                        aria-label=label
                                        aria-haspopup="dialog"
                                        disabled=move || busy.get()
                                        on:click=handler::mouse(move |ev| {
                                            remember_opener(&ev);
                                            ask_removal(policy_id.clone(), policy_name.clone(), vm.clone());
                                        })
                                    >
                                        {ctx.text(Msg::PolicyUnassign)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(more > 0).then(|| view! {
                        <p class="vmb-muted">{ctx.fill(Msg::PolicyMoreVms, &[("count", &more.to_string())])}</p>
                    })}
                }
                .into_any()
            }
        };
        let results = {
            let (policy_id, policy_name) = (policy_id.clone(), policy_name.clone());
            move || {
                let found = search_results.get()?;
                if found.is_empty() {
                    return Some(view! { <p class="vmb-muted">{ctx.text(Msg::NoVms)}</p> }.into_any());
                }
                let (policy_id, policy_name) = (policy_id.clone(), policy_name.clone());
                let member_ids = member_ids.clone();
                Some(view! {
                    <ul class="vmb-list vmb-vm-list" aria-label=ctx.text(Msg::PolicySearchResults)>
                        {found.into_iter().map(|vm| {
                            let here = member_ids.contains(&vm.id);
                            let current = vm.protection.policy.as_ref().map(ref_name);
                            // Tenants' VMs may share names, so the project tells them apart.
                            let shown_name = match vm.project.as_ref().and_then(|p| p.name.clone()) {
                                Some(project) => format!("{} ({project})", vm.name),
                                None => vm.name.clone(),
                            };
                            let label = ctx.fill(Msg::PolicyAssignLabel, &[("vm", &shown_name), ("policy", &policy_name)]);
                            let target = Ref::named(vm.id.clone(), shown_name.clone());
                            let policy_id = policy_id.clone();
                            view! {
                                <li class="vmb-vm-list__item">
                                    <span>{shown_name}</span>
                                    {match (here, current) {
                                        (true, _) => view! {
                                            <span class="vmb-badge vmb-badge--ok">{ctx.text(Msg::PolicyAlreadyHere)}</span>
                                        }.into_any(),
                                        (false, Some(other)) => view! {
                                            <span class="vmb-muted">{ctx.fill(Msg::PolicyNowIn, &[("policy", &other)])}</span>
                                        }.into_any(),
                                        (false, None) => view! {
                                            <span class="vmb-muted">{ctx.text(Msg::NoPolicy)}</span>
                                        }.into_any(),
                                    }}
                                    <button
                                        type="button"
                                        class="vmb-button"
                                        aria-label=label
                                        disabled=move || here || busy.get()
                                        on:click=handler::mouse(move |_| change_membership(policy_id.clone(), target.clone(), true))
                                    >
                                        {ctx.text(Msg::PolicyAssign)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any())
            }
        };
        view! {
            <h4 class="vmb-subheading">{ctx.message(Msg::PolicyRules)}</h4>
            {if rules.is_empty() {
                view! { <p class="vmb-muted">{ctx.message(Msg::PolicyNoRules)}</p> }.into_any()
            } else {
                view! { <ul class="vmb-list vmb-rule-list">{rules.into_iter().map(rule_view).collect_view()}</ul> }.into_any()
            }}
            <h4 class="vmb-subheading">{move || ctx.fill(Msg::PolicyVms, &[("count", &policy.vms.len().to_string())])}</h4>
            <input
                type="search"
                class="vmb-input"
                node_ref=filter_input
                aria-label=ctx.message(Msg::PolicyFilterVms)
                placeholder=ctx.message(Msg::PolicyFilterVms)
                prop:value=move || vm_filter.get()
                on:input=handler::event(move |ev| vm_filter.set(event_target_value(&ev)))
            />
            {vm_list}
            {if !may_change {
                // Not known yet, or nothing may be changed: the panel's note says why once, above the list.
                ().into_any()
            } else if read_only {
                view! { <p class="vmb-hint vmb-policy__shared">{ctx.message(Msg::PolicySharedReadOnly)}</p> }
                    .into_any()
            } else {
                view! {
                    <h4 class="vmb-subheading">{ctx.message(Msg::PolicyAssignTitle)}</h4>
                    <p class="vmb-hint">{ctx.message(Msg::PolicyAssignMoves)}</p>
                    <input
                        type="search"
                        class="vmb-input"
                        node_ref=search_input
                        aria-label=ctx.message(Msg::PolicyFindVm)
                        placeholder=ctx.message(Msg::PolicyFindVm)
                        prop:value=move || search_text.get()
                        on:input=handler::event(on_search)
                    />
                    {results}
                }
                .into_any()
            }}
        }
    };

    let policy_row = move |policy: Policy| {
        let id = policy.id.clone().unwrap_or_default();
        let body_id = format!("vmb-pp{instance}-policy-{}", id.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
        let current = {
            let id = id.clone();
            move || {
                policies
                    .with(|list| list.as_ref().and_then(|l| l.iter().find(|p| p.id.as_deref() == Some(&id)).cloned()))
            }
        };
        let is_open = {
            let id = id.clone();
            ErasedMemo::new(move |_| expanded.with(|e| e.as_deref() == Some(id.as_str())))
        };
        let name = policy.name.clone();
        // An administrator sees every project's policies, often under the same names ("gold" in each): the
        // project tells them apart when the list spans several.
        let project_names = policy.projects.iter().map(ref_name).collect::<Vec<_>>().join(", ");
        let several_projects = move || {
            policies.with(|list| {
                let mut seen =
                    list.iter().flatten().map(|p| p.projects.iter().map(|r| r.id.as_str()).collect::<Vec<_>>());
                seen.next().is_some_and(|first| seen.any(|other| other != first))
            })
        };
        let toggle_id = id.clone();
        let body = {
            let id = id.clone();
            move || {
                if !is_open.get() {
                    return None;
                }
                let failed = details_error.with(|e| e.as_ref().filter(|(at, _)| *at == id).map(|(_, e)| e.clone()));
                if let Some(error) = failed.filter(|e| e.kind != ErrorKind::Unauthorized) {
                    let id = id.clone();
                    return Some(
                        view! { <ErrorNotice error=error on_retry=Callback::new(move |_| load_details(id.clone())) /> }
                            .into_any(),
                    );
                }
                privileges.track();
                Some(match details.with(|d| d.get(&id).cloned()) {
                    Some(full) => body_view(full).into_any(),
                    None => view! { <p class="vmb-muted" role="status">{ctx.text(Msg::Loading)}</p> }.into_any(),
                })
            }
        };
        let shared = is_shared(&policy);
        let vm_action = {
            let (id, name) = (id.clone(), name.clone());
            move || {
                if privileges.with(|p| p.changes_policy(shared)) != Some(true) {
                    return None;
                }
                let vm = this_vm.get()?;
                let here = vm.protection.policy.as_ref().is_some_and(|p| p.id == id);
                let target = Ref::named(vm.id.clone(), vm.name.clone());
                let (id, name) = (id.clone(), name.clone());
                Some(if here {
                    view! {
                        <button
                            type="button"
                            class="vmb-button vmb-button--danger"
                            aria-haspopup="dialog"
                            disabled=move || busy.get()
                            on:click=handler::mouse(move |ev| {
                                remember_opener(&ev);
                                ask_removal(id.clone(), name.clone(), target.clone());
                            })
                        >
                            {ctx.message(Msg::PolicyUnassignThisVm)}
                        </button>
                    }
                    .into_any()
                } else {
                    view! {
                        <button
                            type="button"
                            class="vmb-button"
                            disabled=move || busy.get()
                            on:click=handler::mouse(move |_| change_membership(id.clone(), target.clone(), true))
                        >
                            {ctx.message(Msg::PolicyAssignThisVm)}
                        </button>
                    }
                    .into_any()
                })
            }
        };
        let current_2 = current.clone();
        let current_3 = current.clone();
        view! {
            <li class="vmb-policy">
                <div class="vmb-policy__head">
                    <button
                        type="button"
                        class="vmb-policy__toggle"
                        aria-expanded=move || is_open.get().to_string()
                        aria-controls=body_id.clone()
                        on:click=handler::mouse(move |_| toggle(toggle_id.clone()))
                    >
                        <span aria-hidden="true">{move || if is_open.get() { "▾ " } else { "▸ " }}</span>
                        <span class="vmb-policy__name">{name.clone()}</span>
                        {move || (several_projects() && !project_names.is_empty()).then(|| view! {
                            " " <span class="vmb-muted vmb-policy__projects">{format!("({project_names})")}</span>
                        })}
                    </button>
                    {move || current().map(|p| if p.active {
                        view! { <span class="vmb-badge vmb-badge--ok">{ctx.text(Msg::PolicyActive)}</span> }.into_any()
                    } else {
                        view! { <span class="vmb-badge vmb-badge--muted">{ctx.text(Msg::PolicyInactive)}</span> }.into_any()
                    })}
                    <span class="vmb-muted">{move || current_2().map(|p| ctx.fill(Msg::PolicyPriority, &[("priority", &p.priority.to_string())]))}</span>
                    <span class="vmb-muted">{move || current_3().and_then(|p| p.vm_count).map(|count| ctx.fill(Msg::PolicyVmCount, &[("count", &count.to_string())]))}</span>
                    {vm_action}
                </div>
                <div class="vmb-policy__body" id=body_id hidden=move || !is_open.get()>{body}</div>
            </li>
        }
    };

    let this_vm_line = move || {
        let vm = this_vm.get()?;
        Some(match vm.protection.policy.as_ref() {
            Some(policy) => ctx.fill(Msg::PolicyOfVm, &[("vm", &vm.name), ("policy", &ref_name(policy))]),
            None => ctx.fill(Msg::PolicyVmHasNone, &[("vm", &vm.name)]),
        })
    };

    view! {
        <section class="vmb-policy-panel" aria-labelledby=heading_ref>
            <SessionNotice />
            <h2 class="vmb-heading" id=heading_id>{ctx.message(Msg::PolicyPanelLabel)}</h2>
            {move || this_vm_line().map(|text| view! { <p>{text}</p> })}
            {move || (changes_any() == Some(false)).then(|| view! {
                <p class="vmb-hint vmb-policy-panel__read-only">{ctx.message(Msg::PolicyReadOnly)}</p>
            })}
            <p class="vmb-status" role="status" aria-live="polite">
                {move || announcement.get().map(|a| a.text(ctx.lang()))}
            </p>
            {move || action_error.get().map(|e| view! { <ErrorNotice error=e /> })}
            {move || list_error.get().filter(|e| e.kind != ErrorKind::Unauthorized).map(|e| view! {
                <ErrorNotice error=e on_retry=Callback::new(move |_| load_list()) />
            })}
            {move || match policies.with(|p| p.as_ref().map(Vec::len)) {
                None if list_error.with(Option::is_none) => Some(view! {
                    <p class="vmb-muted" role="status">{ctx.text(Msg::Loading)}</p>
                }.into_any()),
                Some(0) => Some(view! { <p class="vmb-muted">{ctx.text(Msg::PolicyNoPolicies)}</p> }.into_any()),
                _ => None,
            }}
            <ul class="vmb-list vmb-policy-list">
                {keyed_list(move || {
                    let policies = policies.get().unwrap_or_default();
                    policies.into_iter().map(|p| KeyedRow::new(p.id.clone(), move || policy_row(p))).collect()
                })}
            </ul>
            {move || pending_removal.get().map(|pending| {
                let text = ctx.fill(Msg::PolicyUnassignConfirm, &[("vm", &ref_name(&pending.vm)), ("policy", &pending.policy_name)]);
                let confirmed = pending.clone();
                view! {
                    <ConfirmDialog
                        title=Msg::PolicyUnassignTitle
                        text=Signal::derive(move || text.clone())
                        confirm_label=Msg::PolicyUnassign
                        on_confirm=Callback::new(move |_| {
                            pending_removal.set(None);
                            change_membership(confirmed.policy_id.clone(), confirmed.vm.clone(), false);
                        })
                        on_cancel=Callback::new(move |_| {
                            pending_removal.set(None);
                            restore_focus();
                        })
                    />
                }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assigned_vms_are_filtered_by_name_and_capped() {
        let vms: Vec<Ref> = (0..120).map(|i| Ref::named(format!("g{i}"), format!("web-{i:03}"))).collect();
        let (shown, more) = filtered_vms(&vms, "");
        assert_eq!((shown.len(), more), (SHOWN_VMS, 70));
        let (shown, more) = filtered_vms(&vms, " WEB-11");
        assert_eq!(
            shown.iter().map(ref_name).collect::<Vec<_>>(),
            (110..120).map(|i| format!("web-{i:03}")).collect::<Vec<_>>()
        );
        assert_eq!(more, 0);
        assert_eq!(ref_name(&Ref::id("only-id")), "only-id");
    }
}
