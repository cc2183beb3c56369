//! The widgets a host page can embed by name, and what each needs to be configured from attributes.

use leptos::prelude::*;

use crate::widgets::VmTable;

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

    /// The widget's view for `config`.
    pub fn view(self, config: WidgetConfig) -> AnyView {
        match self {
            WidgetKind::VmTable => match config.project {
                Some(project) => view! { <VmTable project=project /> }.into_any(),
                None => view! { <VmTable /> }.into_any(),
            },
            // Wired as their widgets land (widgets issue, this session).
            _ => ().into_any(),
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
