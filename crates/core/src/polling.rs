//! Task polling rules: which requests one polling round makes, how their answers update what is tracked, and
//! how long to wait before the next round. No timer lives here; the client's poller runs these rules.
//!
//! One round costs one request however many tasks are tracked: the list of active (queued or running) tasks.
//! A tracked task missing from that list has ended (or the list was cut off by its page size), so it is read on
//! its own once — a cost paid when a task ends, not every round.
//!
//! ```
//! use vmbackup_core::polling::{PollCadence, PollPacing};
//!
//! let mut cadence = PollCadence::new(PollPacing::default());
//! assert_eq!(cadence.delay_ms(), 1_000);          // a task was just tracked: look soon
//! cadence.after_round(false);
//! assert_eq!(cadence.delay_ms(), 1_500);          // nothing moved: slow down step by step
//! cadence.after_round(true);
//! assert_eq!(cadence.delay_ms(), 1_000);          // progress moved: fast again
//! ```

use crate::domain::{Page, Task, TaskState};
use crate::storware::tasks::ListTasks;

/// How many active tasks one round asks for. Tracked tasks beyond it are read one by one, which stays correct.
pub const ACTIVE_PAGE_SIZE: u32 = 500;

/// The states in which a task is still moving.
pub const ACTIVE_STATES: [TaskState; 2] = [TaskState::Queued, TaskState::Running];

/// The request of a round: every active task the caller can see, one page.
///
/// ```
/// # use vmbackup_core::{Endpoint, polling::active_tasks_request};
/// assert_eq!(
///     active_tasks_request().request().path_and_query(),
///     "/tasks?page=0&size=500&states=QUEUED&states=RUNNING"
/// );
/// ```
pub fn active_tasks_request() -> ListTasks {
    ListTasks::page(0, ACTIVE_PAGE_SIZE).in_states(&ACTIVE_STATES)
}

/// Intervals of the adaptive cadence, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPacing {
    /// While tracked tasks change between rounds (and right after a task is tracked).
    pub fast_ms: u32,
    /// The longest wait while nothing changes.
    pub slow_ms: u32,
    /// The longest wait after failed rounds (the server or network is in trouble).
    pub failing_ms: u32,
    /// Each quiet round multiplies the wait by this many tenths (15 = 1.5×).
    pub growth_tenths: u32,
}

impl Default for PollPacing {
    fn default() -> Self {
        PollPacing { fast_ms: 1_000, slow_ms: 10_000, failing_ms: 30_000, growth_tenths: 15 }
    }
}

/// The wait before the next round: fast while tracked tasks move, slower step by step while they do not,
/// doubling after failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollCadence {
    pacing: PollPacing,
    delay_ms: u32,
}

impl PollCadence {
    /// A cadence starting fast.
    pub fn new(pacing: PollPacing) -> Self {
        PollCadence { pacing, delay_ms: pacing.fast_ms }
    }

    /// The wait before the next round.
    pub fn delay_ms(&self) -> u32 {
        self.delay_ms
    }

    /// After a round that got its answers; `moved` is whether any tracked task changed state or progress.
    pub fn after_round(&mut self, moved: bool) {
        self.delay_ms = if moved {
            self.pacing.fast_ms
        } else {
            let grown = self.delay_ms.saturating_mul(self.pacing.growth_tenths) / 10;
            grown.max(self.delay_ms.saturating_add(1)).min(self.pacing.slow_ms.max(self.pacing.fast_ms))
        };
    }

    /// After a round that failed (network, 5xx): back off, up to [`PollPacing::failing_ms`].
    pub fn after_failure(&mut self) {
        self.delay_ms = self.delay_ms.saturating_mul(2).clamp(self.pacing.fast_ms, self.pacing.failing_ms);
    }

    /// A task was tracked, or polling resumed after a pause: look soon.
    pub fn hurry(&mut self) {
        self.delay_ms = self.pacing.fast_ms;
    }
}

/// What a round's list of active tasks says about the tracked ones.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoundResult {
    /// Tracked tasks found in the list whose state or progress differ from what was known (or were unknown).
    pub changed: Vec<Task>,
    /// Tracked ids not in the list: ended, purged, or beyond the page; read each one on its own.
    pub missing: Vec<String>,
}

/// The tracked tasks and the latest reading of each (`None`: not read yet), ordered by id.
///
/// A sorted list rather than a hash map: a client tracks a few hundred tasks at most, lookups are binary
/// searches, the ids come out sorted without a sort, and the wasm carries no hash table or hasher for it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrackedTasks {
    entries: Vec<(String, Option<Task>)>,
}

impl TrackedTasks {
    /// Nothing tracked.
    pub fn new() -> Self {
        TrackedTasks::default()
    }

    fn position(&self, id: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(known, _)| known.as_str().cmp(id))
    }

    /// Starts tracking `id` (unread); tracking it again keeps its reading.
    pub fn track(&mut self, id: String) {
        if let Err(at) = self.position(&id) {
            self.entries.insert(at, (id, None));
        }
    }

    /// Stops tracking `id`; returns whether it was tracked.
    pub fn untrack(&mut self, id: &str) -> bool {
        match self.position(id) {
            Ok(at) => {
                self.entries.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Whether `id` is tracked.
    pub fn contains(&self, id: &str) -> bool {
        self.position(id).is_ok()
    }

    /// The latest reading of `id` (`None` when it is not tracked or not read yet).
    pub fn reading(&self, id: &str) -> Option<&Task> {
        self.position(id).ok().and_then(|at| self.entries[at].1.as_ref())
    }

    /// Stores the reading of a task (tracking it if it was not) and returns the previous one.
    pub fn record(&mut self, task: Task) -> Option<Task> {
        match self.position(&task.id) {
            Ok(at) => self.entries[at].1.replace(task),
            Err(at) => {
                self.entries.insert(at, (task.id.clone(), Some(task)));
                None
            }
        }
    }

    /// The tracked ids, sorted.
    pub fn ids(&self) -> Vec<String> {
        self.entries.iter().map(|(id, _)| id.clone()).collect()
    }

    /// Whether nothing is tracked.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Compares the active list with what is known of each tracked task.
///
/// ```
/// # use vmbackup_core::{domain::{Page, Task, TaskState, TaskType}, polling::{reconcile, TrackedTasks}};
/// let running = Task { progress: 40.0, ..Task::new("t1", TaskType::Export, TaskState::Running) };
/// let active = Page { items: vec![running.clone()], total: Some(1) };
/// let mut known = TrackedTasks::new();
/// known.track("t2".to_string());
/// known.track("t1".to_string());
/// let result = reconcile(&known, &active);
/// assert_eq!(result.changed, vec![running]);
/// assert_eq!(result.missing, vec!["t2".to_string()]);
/// ```
pub fn reconcile(known: &TrackedTasks, active: &Page<Task>) -> RoundResult {
    let mut result = RoundResult::default();
    let mut seen = vec![false; known.entries.len()];
    for task in &active.items {
        let Ok(at) = known.position(&task.id) else { continue };
        seen[at] = true;
        if known.entries[at].1.as_ref().is_none_or(|previous| has_moved(previous, task)) {
            result.changed.push(task.clone());
        }
    }
    // In id order, as the entries are.
    result.missing = known.entries.iter().zip(seen).filter(|(_, seen)| !seen).map(|((id, _), _)| id.clone()).collect();
    result
}

/// Whether a task's state or progress differ between two readings (what a progress bar or status shows).
pub fn has_moved(before: &Task, after: &Task) -> bool {
    before.state != after.state || before.progress != after.progress || before.status_info != after.status_info
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TaskType;

    fn task(id: &str, state: TaskState, progress: f64) -> Task {
        Task { progress, ..Task::new(id, TaskType::Export, state) }
    }

    #[test]
    fn quiet_rounds_slow_down_to_the_slow_interval_and_movement_speeds_up() {
        let mut cadence = PollCadence::new(PollPacing::default());
        let mut delays = Vec::new();
        for _ in 0..8 {
            cadence.after_round(false);
            delays.push(cadence.delay_ms());
        }
        assert_eq!(delays, [1_500, 2_250, 3_375, 5_062, 7_593, 10_000, 10_000, 10_000]);
        cadence.after_round(true);
        assert_eq!(cadence.delay_ms(), 1_000);
    }

    #[test]
    fn failures_double_the_wait_up_to_the_failing_limit() {
        let mut cadence = PollCadence::new(PollPacing::default());
        let delays: Vec<u32> = (0..6)
            .map(|_| {
                cadence.after_failure();
                cadence.delay_ms()
            })
            .collect();
        assert_eq!(delays, [2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
        cadence.hurry();
        assert_eq!(cadence.delay_ms(), 1_000);
    }

    #[test]
    fn a_pacing_without_growth_still_slows_down() {
        let mut cadence = PollCadence::new(PollPacing { growth_tenths: 10, ..PollPacing::default() });
        cadence.after_round(false);
        assert_eq!(cadence.delay_ms(), 1_001);
    }

    #[test]
    fn unchanged_tasks_are_not_reported_and_ended_ones_are_missing() {
        let mut known = TrackedTasks::new();
        for (id, progress) in [("same", 10.0), ("moved", 10.0), ("ended", 90.0)] {
            known.record(task(id, TaskState::Running, progress));
        }
        let active = Page {
            items: vec![
                task("same", TaskState::Running, 10.0),
                task("moved", TaskState::Running, 55.5),
                task("someone-elses", TaskState::Running, 3.0),
            ],
            total: Some(3),
        };
        let result = reconcile(&known, &active);
        assert_eq!(result.changed, vec![task("moved", TaskState::Running, 55.5)]);
        assert_eq!(result.missing, vec!["ended".to_string()]);
    }

    #[test]
    fn tracked_tasks_stay_in_id_order_and_keep_their_readings() {
        let mut known = TrackedTasks::new();
        for id in ["c", "a", "b", "a"] {
            known.track(id.to_string());
        }
        assert_eq!(known.ids(), ["a", "b", "c"]);
        assert_eq!(known.reading("b"), None);
        assert_eq!(known.record(task("b", TaskState::Running, 5.0)), None);
        known.track("b".to_string());
        assert_eq!(known.reading("b").map(|t| t.progress), Some(5.0), "tracking again keeps the reading");
        let previous = known.record(task("b", TaskState::Running, 7.0));
        assert_eq!(previous.map(|t| t.progress), Some(5.0));
        assert_eq!(known.record(task("0", TaskState::Queued, 0.0)), None, "recording tracks an unknown task");
        assert_eq!(known.ids(), ["0", "a", "b", "c"]);
        assert!(known.untrack("a"));
        assert!(!known.untrack("a"));
        assert!(!known.contains("a") && known.contains("c"));
        assert_eq!(known.ids(), ["0", "b", "c"]);
        for id in known.ids() {
            known.untrack(&id);
        }
        assert!(known.is_empty());
    }

    #[test]
    fn missing_tasks_come_in_id_order() {
        let mut known = TrackedTasks::new();
        for id in ["t9", "t1", "t5", "t3"] {
            known.track(id.to_string());
        }
        let active = Page { items: vec![task("t5", TaskState::Running, 1.0)], total: Some(1) };
        let result = reconcile(&known, &active);
        assert_eq!(result.missing, ["t1", "t3", "t9"]);
        assert_eq!(result.changed, vec![task("t5", TaskState::Running, 1.0)]);
    }

    #[test]
    fn a_state_change_without_progress_counts_as_movement() {
        assert!(has_moved(&task("t", TaskState::Queued, 0.0), &task("t", TaskState::Running, 0.0)));
        assert!(!has_moved(&task("t", TaskState::Running, 5.0), &task("t", TaskState::Running, 5.0)));
    }
}
