//! The widgets a host page can embed by name, and what each needs to be configured from attributes.

use leptos::prelude::*;

use crate::context::use_widget_context;
use crate::host_events::HostEvent;
use crate::widgets::{BackupButton, BackupHistory, PolicyPanel, RestoreDialog, ScheduleForm, TaskProgress, VmTable};

/// A widget a host can mount by name or custom element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WidgetKind {
    VmTable,
    BackupButton,
    TaskProgress,
    ScheduleForm,
    BackupHistory,
    RestoreDialog,
    PolicyPanel,
}

/// What an embedded widget is about, from its attributes or mount options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WidgetConfig {
    /// The project the widget is limited to.
    pub project: Option<String>,
    /// The VM the widget is about (backup button, history, restore).
    pub vm: Option<String>,
    /// The task to follow (task progress); none follows every task the page tracks.
    pub task: Option<String>,
    /// The schedule to edit (schedule form); none creates one.
    pub schedule: Option<String>,
    /// The backup to restore (restore dialog); none lets the user choose.
    pub backup: Option<String>,
}

impl WidgetKind {
    /// Every kind.
    pub const ALL: [WidgetKind; 7] = [
        WidgetKind::VmTable,
        WidgetKind::BackupButton,
        WidgetKind::TaskProgress,
        WidgetKind::ScheduleForm,
        WidgetKind::BackupHistory,
        WidgetKind::RestoreDialog,
        WidgetKind::PolicyPanel,
    ];

    /// The name `mount` takes (`vm-table`, …).
    pub fn name(self) -> &'static str {
        match self {
            WidgetKind::VmTable => "vm-table",
            WidgetKind::BackupButton => "backup-button",
            WidgetKind::TaskProgress => "task-progress",
            WidgetKind::ScheduleForm => "schedule-form",
            WidgetKind::BackupHistory => "backup-history",
            WidgetKind::RestoreDialog => "restore-dialog",
            WidgetKind::PolicyPanel => "policy-panel",
        }
    }

    /// The custom element's tag (`vmb-vm-table`, …).
    pub fn tag(self) -> String {
        format!("vmb-{}", self.name())
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<WidgetKind> {
        WidgetKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The kind of a custom element (tag names arrive upper-case from the DOM).
    pub fn from_tag(tag: &str) -> Option<WidgetKind> {
        let tag = tag.to_ascii_lowercase();
        WidgetKind::parse(tag.strip_prefix("vmb-")?)
    }

    /// The widget's view for `config`. Callbacks become host events, so that a page using only custom
    /// elements hears everything a Rust caller would.
    pub fn view(self, config: WidgetConfig) -> AnyView {
        let WidgetConfig { project, vm, task, schedule, backup } = config;
        match self {
            WidgetKind::VmTable => match project {
                Some(project) => view! { <VmTable project=project /> }.into_any(),
                None => view! { <VmTable /> }.into_any(),
            },
            // Optional props take their inner value in `view!`, hence the matches on `Option`s below.
            WidgetKind::BackupButton => match vm {
                Some(vm) => view! { <BackupButton vm=vm /> }.into_any(),
                None => view! { <BackupButton /> }.into_any(),
            },
            WidgetKind::TaskProgress => {
                // `task` may list several ids, comma-separated; without one, follow a VM's tasks or everything
                // the page tracks.
                let ids: Vec<String> = task
                    .iter()
                    .flat_map(|t| t.split(','))
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from)
                    .collect();
                let follow_all = ids.is_empty() && vm.is_none();
                match vm {
                    Some(vm) if ids.is_empty() => view! { <TaskProgress vm=vm /> }.into_any(),
                    _ => view! { <TaskProgress task_ids=ids follow_all=follow_all /> }.into_any(),
                }
            }
            WidgetKind::ScheduleForm => {
                let ctx = use_widget_context();
                let saved = Callback::new(move |s: vmbackup_core::domain::Schedule| {
                    ctx.emit(HostEvent::ScheduleSaved { schedule_id: s.id });
                });
                let deleted = Callback::new(move |id: String| ctx.emit(HostEvent::ScheduleDeleted { schedule_id: id }));
                match schedule {
                    Some(id) => view! { <ScheduleForm schedule=id on_saved=saved on_deleted=deleted /> }.into_any(),
                    None => view! { <ScheduleForm on_saved=saved on_deleted=deleted /> }.into_any(),
                }
            }
            WidgetKind::BackupHistory => {
                let ctx = use_widget_context();
                let vm_id = vm.clone();
                let selected = Callback::new(move |b: vmbackup_core::domain::Backup| {
                    ctx.emit(HostEvent::BackupSelected { backup_id: b.id, vm_id: vm_id.clone() });
                });
                view! { <BackupHistory vm=vm on_select=selected /> }.into_any()
            }
            WidgetKind::RestoreDialog => view! { <RestoreDialog vm=vm backup=backup /> }.into_any(),
            WidgetKind::PolicyPanel => match (project, vm) {
                (Some(project), Some(vm)) => view! { <PolicyPanel project=project vm=vm /> }.into_any(),
                (Some(project), None) => view! { <PolicyPanel project=project /> }.into_any(),
                (None, Some(vm)) => view! { <PolicyPanel vm=vm /> }.into_any(),
                (None, None) => view! { <PolicyPanel /> }.into_any(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_tags_round_trip() {
        for kind in WidgetKind::ALL {
            assert_eq!(WidgetKind::parse(kind.name()), Some(kind));
            assert_eq!(WidgetKind::from_tag(&kind.tag().to_ascii_uppercase()), Some(kind));
        }
        assert_eq!(WidgetKind::parse("vm_table"), None);
        assert_eq!(WidgetKind::from_tag("DIV"), None);
    }
}
