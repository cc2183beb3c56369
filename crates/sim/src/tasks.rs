//! The task runner: queues, runs and ends EXPORT → STORE (backup) and RESTORE → IMPORT (restore) workflows.
//!
//! A background ticker calls [`TaskRunner::tick`] every 100 ms under the world's write lock. Queued tasks start
//! by priority (higher first, then oldest) when a slot of their type is free and their window has opened; a task
//! whose `windowEnd` passes before it starts fails. A running task follows a [`ProgressPlan`] drawn when it
//! starts: uneven steps with pauses, status lines that say what it is doing, and — for the share of workflows
//! chosen by the fail rate — a failure part-way with a message.

use std::time::Duration;

use crate::model::{
    Backup, Checkpoint, Location, Millis, NamedRef, Origin, ProgressPlan, RestoreTarget, Task, TaskKind, TaskState,
    TaskTimeStats, Vm, World,
};
use crate::render::backup_name;
use crate::rng::SplitMix;

/// How often the runner looks at the tasks.
pub const TICK: Duration = Duration::from_millis(100);

/// How long a new task stays QUEUED at least (so clients see the state). The same for every task, so that
/// readiness follows submission order and priority alone decides among ready tasks.
pub const QUEUE_DELAY_MS: Millis = 150;

/// Default start window of an export that names none (the node's "export task timeout"): six hours.
pub const DEFAULT_WINDOW_MS: Millis = 6 * 3_600_000;

/// The settings a tick needs.
#[derive(Debug, Clone, Copy)]
pub struct RunnerSettings {
    /// Rough length of a whole workflow.
    pub task_seconds: f64,
    /// Tasks of one type running at once.
    pub slots: usize,
    /// How long ended tasks stay listed.
    pub retention: Duration,
}

/// A backup to start for one VM.
#[derive(Debug, Clone)]
pub struct ExportPlan {
    pub vm: String,
    /// Rule guid (5.x) — its destinations receive the backup.
    pub rule: Option<String>,
    /// Destination index (4.x `backupDestination`).
    pub destination: Option<usize>,
    /// FULL or INCREMENTAL as asked.
    pub backup_type: String,
    pub priority: i64,
    pub retry_count: i64,
    pub window_start: Millis,
    pub window_end: Millis,
    pub origin: Origin,
}

/// A restore to start.
#[derive(Debug, Clone)]
pub struct RestorePlan {
    pub backup: String,
    pub target: RestoreTarget,
    pub priority: i64,
    pub origin: Origin,
}

/// The task runner (stateless: everything it keeps is in the [`World`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct TaskRunner;

impl TaskRunner {
    /// Creates the backup record and its QUEUED EXPORT task; returns the task's guid.
    pub fn submit_export(world: &mut World, plan: ExportPlan, fail_rate: f64, now: Millis) -> Option<String> {
        let vm = world.vms.get(&plan.vm)?.clone();
        let workflow = world.new_guid();
        let rule = plan.rule.as_deref().and_then(|g| world.rules.get(g)).cloned();
        let targets: Vec<(usize, String)> = match (&rule, plan.destination) {
            (_, Some(d)) => vec![(d, "PRIMARY".to_string())],
            (Some(r), None) => {
                r.destinations.iter().filter(|d| d.active).map(|d| (d.destination, d.role.clone())).collect()
            }
            (None, None) => Vec::new(),
        };
        // An incremental needs a base: without a successful backup it becomes a full one, as on the real server.
        let base =
            world.last_successful_backup(&vm.guid).map(|b| NamedRef { guid: b.guid.clone(), name: b.name.clone() });
        let kind = if plan.backup_type == "INCREMENTAL" && base.is_some() { "INCREMENTAL" } else { "FULL" };
        let doomed = if !vm.present {
            Some(format!("Virtual machine {} no longer exists on the hypervisor manager", vm.name))
        } else if targets.is_empty() {
            Some(match &rule {
                Some(r) => format!("No active backup destination is assigned to rule {}", r.name),
                None => "No backup destination given".to_string(),
            })
        } else {
            None
        };
        let fail_in = Self::draw_failure(&mut world.rng, fail_rate, TaskKind::Export, TaskKind::Store);
        let backup = Backup {
            guid: world.new_guid(),
            name: backup_name(&vm.name, now),
            vm: vm.guid.clone(),
            vm_name: vm.name.clone(),
            project: vm.project,
            backup_time: None,
            snapshot_time: None,
            status: "QUEUED".into(),
            kind: kind.into(),
            size: 0,
            status_info: "Waiting in the queue".into(),
            description: String::new(),
            parent: if kind == "INCREMENTAL" { base } else { None },
            rule: rule.as_ref().map(|r| NamedRef { guid: r.guid.clone(), name: r.name.clone() }),
            origin: plan.origin.clone(),
            locations: Vec::new(),
            warnings: Vec::new(),
            warnings_acknowledged: false,
            stats: TaskTimeStats::default(),
            export_mode: world.managers.get(vm.manager).map(|m| m.export_mode.clone()).unwrap_or_default(),
            created_at: now,
        };
        let backup_ref = NamedRef { guid: backup.guid.clone(), name: backup.name.clone() };
        world.add_backup(backup);
        let task = Task {
            guid: world.new_guid(),
            kind: TaskKind::Export,
            state: TaskState::Queued,
            progress: 0.0,
            priority: plan.priority,
            window_start: plan.window_start,
            window_end: plan.window_end,
            created_at: now,
            queued_until: now + QUEUE_DELAY_MS,
            start_time: None,
            finish_time: None,
            backup_type: Some(kind.into()),
            vm: Some(NamedRef { guid: vm.guid.clone(), name: vm.name.clone() }),
            dst_vm: None,
            manager: Some(vm.manager),
            hypervisor: vm.hypervisor,
            destination: targets.first().map(|t| t.0),
            backup: Some(backup_ref),
            rule: rule.as_ref().map(|r| NamedRef { guid: r.guid.clone(), name: r.name.clone() }),
            origin: plan.origin,
            status_info: "Waiting in the queue".into(),
            retry_count: plan.retry_count,
            parent: None,
            workflow,
            project: vm.project,
            restore: None,
            plan: ProgressPlan::default(),
            cancel_requested: None,
            fail_in,
            doomed,
            targets,
        };
        let guid = task.guid.clone();
        world.active_tasks.insert(guid.clone());
        world.tasks.insert(task);
        Some(guid)
    }

    /// Creates a QUEUED RESTORE task for `plan`; returns its guid.
    pub fn submit_restore(world: &mut World, plan: RestorePlan, fail_rate: f64, now: Millis) -> Option<String> {
        let backup = world.backups.get(&plan.backup)?.clone();
        let workflow = world.new_guid();
        let fail_in = Self::draw_failure(&mut world.rng, fail_rate, TaskKind::Restore, TaskKind::Import);
        let task = Task {
            guid: world.new_guid(),
            kind: TaskKind::Restore,
            state: TaskState::Queued,
            progress: 0.0,
            priority: plan.priority,
            window_start: now,
            window_end: now + DEFAULT_WINDOW_MS,
            created_at: now,
            queued_until: now + QUEUE_DELAY_MS,
            start_time: None,
            finish_time: None,
            backup_type: Some(backup.kind.clone()),
            vm: Some(NamedRef { guid: backup.vm.clone(), name: backup.vm_name.clone() }),
            dst_vm: None,
            manager: Some(plan.target.manager),
            hypervisor: plan.target.hypervisor,
            destination: backup.locations.first().map(|l| l.destination),
            backup: Some(NamedRef { guid: backup.guid.clone(), name: backup.name.clone() }),
            rule: None,
            origin: plan.origin,
            status_info: "Waiting in the queue".into(),
            retry_count: 0,
            parent: None,
            workflow,
            project: backup.project,
            restore: Some(plan.target),
            plan: ProgressPlan::default(),
            cancel_requested: None,
            fail_in,
            doomed: None,
            targets: Vec::new(),
        };
        let guid = task.guid.clone();
        world.active_tasks.insert(guid.clone());
        world.tasks.insert(task);
        Some(guid)
    }

    /// Decides whether a workflow fails, and in which of its two tasks (mostly the first, as on real servers).
    fn draw_failure(rng: &mut SplitMix, fail_rate: f64, first: TaskKind, second: TaskKind) -> Option<TaskKind> {
        if rng.chance(fail_rate) {
            Some(if rng.chance(0.7) { first } else { second })
        } else {
            None
        }
    }

    /// Cancels a task: a queued one at once, a running one on the next tick (cancelling takes a moment, as the
    /// real server cleans up snapshots). Returns `Err(state)` when the task has already ended.
    pub fn cancel(world: &mut World, guid: &str, info: &str, now: Millis) -> Result<(), TaskState> {
        let Some(task) = world.tasks.get_mut(guid) else { return Ok(()) };
        match task.state {
            TaskState::Queued => {
                Self::end(world, guid, TaskState::Cancelled, info, now);
                Ok(())
            }
            TaskState::Running => {
                task.cancel_requested = Some(info.to_string());
                task.status_info = "Cancelling".into();
                Ok(())
            }
            ended => Err(ended),
        }
    }

    /// One step of the runner: end cancelled and finished tasks, advance running ones, start queued ones, purge
    /// old ones.
    pub fn tick(world: &mut World, now: Millis, settings: RunnerSettings) {
        let active: Vec<String> = world.active_tasks.iter().cloned().collect();
        for guid in &active {
            Self::advance(world, guid, now, settings);
        }
        Self::start_queued(world, now, settings);
        Self::purge(world, now, settings.retention);
    }

    fn advance(world: &mut World, guid: &str, now: Millis, settings: RunnerSettings) {
        let Some(task) = world.tasks.get_mut(guid) else {
            world.active_tasks.remove(guid);
            return;
        };
        if task.state != TaskState::Running {
            return;
        }
        if let Some(info) = task.cancel_requested.take() {
            Self::end(world, guid, TaskState::Cancelled, &info, now);
            return;
        }
        let elapsed = now - task.start_time.unwrap_or(now);
        if let Some((at, message)) = task.plan.failure.clone() {
            if elapsed >= at {
                Self::end(world, guid, TaskState::Failed, &message, now);
                return;
            }
        }
        if elapsed >= task.plan.duration_ms {
            Self::finish(world, guid, now, settings);
            return;
        }
        if let Some(c) = task.plan.checkpoints.iter().rev().find(|c| c.at_ms <= elapsed) {
            task.progress = c.progress;
            task.status_info = c.info.clone();
        }
    }

    fn start_queued(world: &mut World, now: Millis, settings: RunnerSettings) {
        let mut running = [0usize; 4];
        let mut queued: Vec<(i64, Millis, String)> = Vec::new();
        for guid in &world.active_tasks {
            if let Some(t) = world.tasks.get(guid) {
                match t.state {
                    TaskState::Running => running[kind_slot(t.kind)] += 1,
                    TaskState::Queued => queued.push((t.priority, t.created_at, guid.clone())),
                    _ => {}
                }
            }
        }
        // Higher priority first, then first come first served.
        queued.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, _, guid) in queued {
            let Some(t) = world.tasks.get(&guid) else { continue };
            if now > t.window_end {
                Self::end(world, &guid, TaskState::Failed, "The task was not started within its time window", now);
                continue;
            }
            let slot = kind_slot(t.kind);
            if now < t.window_start || now < t.queued_until || running[slot] >= settings.slots {
                continue;
            }
            running[slot] += 1;
            Self::start(world, &guid, now, settings);
        }
    }

    fn start(world: &mut World, guid: &str, now: Millis, settings: RunnerSettings) {
        let Some(task) = world.tasks.get(guid) else { return };
        let (kind, fail_in, doomed) = (task.kind, task.fail_in, task.doomed.clone());
        let failure = match doomed {
            Some(message) => Some(message),
            None if fail_in == Some(kind) => Some(failure_message(&mut world.rng, kind)),
            None => None,
        };
        let plan = make_plan(&mut world.rng, kind, settings.task_seconds, failure);
        let backup_guid = task.backup.as_ref().map(|b| b.guid.clone());
        let (created, targets) = (task.created_at, task.targets.clone());
        let mut locations = Vec::new();
        if kind == TaskKind::Store {
            for (destination, role) in &targets {
                locations.push(Location {
                    guid: world.new_guid(),
                    destination: *destination,
                    role: role.clone(),
                    status: "IN_PROGRESS".into(),
                    retention_hint: "STANDARD_RETENTION".into(),
                });
            }
        }
        if let Some(task) = world.tasks.get_mut(guid) {
            task.state = TaskState::Running;
            task.start_time = Some(now);
            task.progress = 0.0;
            task.status_info = plan.checkpoints.first().map(|c| c.info.clone()).unwrap_or_default();
            task.plan = plan;
        }
        if let Some(b) = backup_guid.as_deref().and_then(|g| world.backups.get_mut(g)) {
            match kind {
                TaskKind::Export => {
                    b.status = "INPROGRESS".into();
                    b.status_info = "Exporting".into();
                    b.snapshot_time = Some(now);
                    b.stats.queued_export = now - created;
                }
                TaskKind::Store => {
                    b.status_info = "Storing".into();
                    b.stats.queued_store = now - created;
                    b.locations = locations;
                }
                _ => {}
            }
        }
    }

    /// A task reached 100 %: mark it FINISHED and start what follows it.
    fn finish(world: &mut World, guid: &str, now: Millis, settings: RunnerSettings) {
        let Some(task) = world.tasks.get_mut(guid) else { return };
        task.state = TaskState::Finished;
        task.progress = 100.0;
        task.finish_time = Some(now);
        let elapsed = now - task.start_time.unwrap_or(now);
        task.status_info = match task.kind {
            TaskKind::Export => "Export finished",
            TaskKind::Store => "Backup finished",
            TaskKind::Restore => "Restore finished",
            TaskKind::Import => "Import finished",
        }
        .into();
        let task = task.clone();
        world.active_tasks.remove(guid);
        let backup_guid = task.backup.as_ref().map(|b| b.guid.clone()).unwrap_or_default();
        match task.kind {
            TaskKind::Export => {
                if let Some(b) = world.backups.get_mut(&backup_guid) {
                    b.stats.export = elapsed;
                    b.status_info = "Waiting for store".into();
                }
                Self::follow_up(world, &task, TaskKind::Store, now);
            }
            TaskKind::Store => {
                let size = backup_size(&mut world.rng, task.backup_type.as_deref() == Some("INCREMENTAL"));
                if let Some(b) = world.backups.get_mut(&backup_guid) {
                    b.stats.store = elapsed;
                    b.status = "SUCCESS".into();
                    b.status_info = "Backup finished".into();
                    b.backup_time = Some(now);
                    b.size = size;
                    for l in &mut b.locations {
                        l.status = "PRESENT".into();
                    }
                }
                world.record_successful_backup(&backup_guid);
                if let Some(d) = task.destination.and_then(|d| world.destinations.get_mut(d)) {
                    d.total_used = d.total_used.saturating_add(size);
                }
            }
            TaskKind::Restore => Self::follow_up(world, &task, TaskKind::Import, now),
            TaskKind::Import => {
                let Some(target) = task.restore.clone() else { return };
                let source_vm = task.vm.as_ref().and_then(|v| world.vms.get(&v.guid)).cloned();
                let vm = Vm {
                    guid: world.new_guid(),
                    uuid: world.new_guid(),
                    name: target.new_name.clone(),
                    project: task.project,
                    manager: target.manager,
                    cluster: target.cluster.or_else(|| world.clusters.iter().position(|c| c.manager == target.manager)),
                    hypervisor: target.hypervisor,
                    policy: None,
                    present: true,
                    tags: source_vm.map(|v| v.tags).unwrap_or_default(),
                    last_backup: None,
                    last_backup_size: None,
                    last_full_backup_size: None,
                    last_full_backup: None,
                    last_incremental_backup: None,
                    warnings_present: false,
                };
                let dst = NamedRef { guid: vm.guid.clone(), name: vm.name.clone() };
                world.add_vm(vm);
                for g in [Some(guid.to_string()), task.parent.as_ref().map(|p| p.guid.clone())].into_iter().flatten() {
                    if let Some(t) = world.tasks.get_mut(&g) {
                        t.dst_vm = Some(dst.clone());
                    }
                }
            }
        }
        let _ = settings;
    }

    /// Queues the second task of a workflow (STORE after EXPORT, IMPORT after RESTORE).
    fn follow_up(world: &mut World, parent: &Task, kind: TaskKind, now: Millis) {
        let mut next = parent.clone();
        next.guid = world.new_guid();
        next.kind = kind;
        next.state = TaskState::Queued;
        next.progress = 0.0;
        next.created_at = now;
        next.queued_until = now + QUEUE_DELAY_MS / 3;
        next.window_start = now;
        next.window_end = now + DEFAULT_WINDOW_MS;
        next.start_time = None;
        next.finish_time = None;
        next.status_info = "Waiting in the queue".into();
        next.parent = Some(NamedRef { guid: parent.guid.clone(), name: parent.kind.name().to_string() });
        next.plan = ProgressPlan::default();
        next.cancel_requested = None;
        // A doomed export never gets here; the follow-up cannot inherit its fate.
        next.doomed = None;
        world.active_tasks.insert(next.guid.clone());
        world.tasks.insert(next);
    }

    /// Ends a task FAILED or CANCELLED, and its backup with it.
    fn end(world: &mut World, guid: &str, state: TaskState, info: &str, now: Millis) {
        let Some(task) = world.tasks.get_mut(guid) else { return };
        task.state = state;
        task.finish_time = Some(now);
        task.status_info = info.to_string();
        task.cancel_requested = None;
        let kind = task.kind;
        let backup = task.backup.as_ref().map(|b| b.guid.clone());
        world.active_tasks.remove(guid);
        if matches!(kind, TaskKind::Export | TaskKind::Store) {
            if let Some(b) = backup.as_deref().and_then(|g| world.backups.get_mut(g)) {
                // A cancelled backup is marked failed, as the real server does.
                b.status = "FAILED".into();
                b.status_info = info.to_string();
                b.backup_time.get_or_insert(now);
                for l in &mut b.locations {
                    if l.status == "IN_PROGRESS" {
                        l.status = "FAILED".into();
                    }
                }
            }
        }
    }

    /// Removes ended tasks older than the retention, like the real server's periodic task clean-up.
    fn purge(world: &mut World, now: Millis, retention: Duration) {
        let limit = retention.as_millis() as Millis;
        let old: Vec<String> = world
            .tasks
            .iter()
            .filter(|t| t.state.is_terminal() && t.finish_time.is_some_and(|f| now - f > limit))
            .map(|t| t.guid.clone())
            .collect();
        for g in old {
            world.tasks.remove(&g);
        }
    }
}

fn kind_slot(kind: TaskKind) -> usize {
    match kind {
        TaskKind::Export => 0,
        TaskKind::Store => 1,
        TaskKind::Restore => 2,
        TaskKind::Import => 3,
    }
}

/// A new backup's size: fulls a few GiB, incrementals a tenth of that.
fn backup_size(rng: &mut SplitMix, incremental: bool) -> u64 {
    let full = (rng.between(4, 64) as u64) << 28;
    if incremental {
        full / 10
    } else {
        full
    }
}

fn failure_message(rng: &mut SplitMix, kind: TaskKind) -> String {
    let options: &[&str] = match kind {
        TaskKind::Export => &[
            "Snapshot creation failed: the hypervisor manager did not answer in time",
            "Export failed: disk transfer interrupted (connection reset by peer)",
            "Export failed: not enough space in the staging area of node1",
        ],
        TaskKind::Store => &[
            "Store failed: the backup destination is not reachable",
            "Store failed: checksum mismatch in a transferred file",
        ],
        TaskKind::Restore => &[
            "Restore failed: not enough space on the target storage",
            "Restore failed: backup file could not be read from the destination",
        ],
        TaskKind::Import => &["Import failed: the hypervisor manager refused the VM definition"],
    };
    rng.pick(options).map(|s| s.to_string()).unwrap_or_else(|| "Task failed".into())
}

/// What a task is doing at `progress` (0–100).
fn step_info(kind: TaskKind, progress: f64, disks: u32) -> String {
    match kind {
        TaskKind::Export if progress < 5.0 => "Creating snapshot".into(),
        TaskKind::Export if progress >= 95.0 => "Removing snapshot".into(),
        TaskKind::Export => {
            let disk = ((progress - 5.0) / 90.0 * f64::from(disks)).floor() as u32 + 1;
            format!("Exporting disk {} of {disks}", disk.min(disks))
        }
        TaskKind::Store if progress < 90.0 => "Storing backup files".into(),
        TaskKind::Store => "Verifying stored files".into(),
        TaskKind::Restore if progress < 10.0 => "Preparing restore".into(),
        TaskKind::Restore => "Restoring disk files".into(),
        TaskKind::Import if progress < 60.0 => "Uploading disks to the target storage".into(),
        TaskKind::Import => "Creating the virtual machine".into(),
    }
}

/// Draws how a task will advance: 4–8 checkpoints at uneven times, uneven progress steps, some pauses (a
/// checkpoint that does not move the progress), never linear. `failure` makes it fail at one checkpoint.
pub fn make_plan(rng: &mut SplitMix, kind: TaskKind, task_seconds: f64, failure: Option<String>) -> ProgressPlan {
    let share = match kind {
        TaskKind::Export => 0.65,
        TaskKind::Store => 0.35,
        TaskKind::Restore => 0.7,
        TaskKind::Import => 0.3,
    };
    let duration = ((task_seconds * 1000.0 * share) * (0.8 + 0.4 * rng.unit())).max(60.0) as i64;
    let steps = rng.between(4, 8) as usize;
    let disks = rng.between(1, 3) as u32;
    let gaps: Vec<f64> = (0..steps).map(|_| 0.3 + rng.unit() * 1.2).collect();
    let gap_total: f64 = gaps.iter().sum();
    let moves: Vec<f64> = (0..steps).map(|_| if rng.chance(0.25) { 0.0 } else { 0.2 + rng.unit() }).collect();
    let move_total: f64 = moves.iter().sum::<f64>().max(0.2);
    let mut checkpoints = vec![Checkpoint { at_ms: 0, progress: 0.0, info: step_info(kind, 0.0, disks) }];
    let (mut t, mut p) = (0.0, 0.0);
    for i in 0..steps {
        t += gaps[i] / gap_total * duration as f64 * 0.95;
        p += moves[i] / move_total * 97.0;
        let progress = (p * 10.0).round() / 10.0;
        checkpoints.push(Checkpoint { at_ms: t as i64, progress, info: step_info(kind, progress, disks) });
    }
    let failure = failure.map(|message| {
        let at = checkpoints.get(rng.between(1, steps as i64) as usize).map_or(duration / 2, |c| c.at_ms);
        (at, message)
    });
    ProgressPlan { checkpoints, duration_ms: duration, failure }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_uneven_and_bounded() {
        let mut rng = SplitMix::new(4);
        let plan = make_plan(&mut rng, TaskKind::Export, 10.0, None);
        assert!(plan.checkpoints.len() >= 5);
        let mut last = (-1, -1.0);
        for c in &plan.checkpoints {
            assert!(c.at_ms >= last.0 && c.progress >= last.1, "monotonic");
            assert!(c.progress < 100.0);
            last = (c.at_ms, c.progress);
        }
        assert!(last.0 < plan.duration_ms);
        let steps: Vec<f64> = plan.checkpoints.windows(2).map(|w| w[1].progress - w[0].progress).collect();
        assert!(steps.iter().any(|s| (s - steps[0]).abs() > 0.5), "steps differ in size: {steps:?}");
    }

    #[test]
    fn failing_plans_fail_inside_the_run() {
        let mut rng = SplitMix::new(9);
        let plan = make_plan(&mut rng, TaskKind::Store, 2.0, Some("boom".into()));
        let Some((at, message)) = plan.failure else { panic!("no failure") };
        assert!(at > 0 && at < plan.duration_ms);
        assert_eq!(message, "boom");
    }
}
