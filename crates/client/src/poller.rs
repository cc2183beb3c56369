//! One task poller per client: every tracked task shares one timer and one request per round (the list of
//! active tasks, see `vmbackup_core::polling`); the interval adapts to movement; polling pauses while the page
//! is hidden or the session expired, and stops when nothing is tracked.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use vmbackup_core::domain::Task;
use vmbackup_core::polling::{active_tasks_request, has_moved, reconcile, PollCadence, PollPacing, TrackedTasks};
use vmbackup_core::storware::tasks::GetTask;
use vmbackup_core::{ApiError, ErrorKind};

use crate::client::{Client, ClientInner};
use crate::listeners::{Listeners, Subscription};
use crate::transport::LocalBoxFuture;

/// What subscribers of the poller hear.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskEvent {
    /// A tracked task was read for the first time, or its state, progress or message changed.
    Updated { task: Box<Task>, previous: Option<Box<Task>> },
    /// A tracked task reached FINISHED, FAILED or CANCELLED; it is no longer tracked.
    Ended { task: Box<Task> },
    /// A tracked task no longer exists on the server (purged or deleted); it is no longer tracked.
    Gone { id: String },
    /// A round failed (network, server error); polling goes on, more slowly.
    Error(ApiError),
}

struct PollerState {
    /// Tracked task ids and their latest reading.
    known: RefCell<TrackedTasks>,
    listeners: Listeners<TaskEvent>,
    cadence: RefCell<PollCadence>,
    hidden: Cell<bool>,
    /// The background loop is alive.
    running: Cell<bool>,
    /// Cuts the current wait short (a task was tracked, the page became visible, the session came back).
    interrupted: Cell<bool>,
    waker: RefCell<Option<Waker>>,
    /// Rounds made so far (for tests and diagnostics).
    rounds: Cell<u64>,
}

/// Tracks tasks for a [`Client`]; get it from [`Client::poller`].
pub struct TaskPoller {
    client: Weak<ClientInner>,
    state: Rc<PollerState>,
}

impl TaskPoller {
    pub(crate) fn new(client: Weak<ClientInner>, pacing: PollPacing) -> Self {
        TaskPoller {
            client,
            state: Rc::new(PollerState {
                known: RefCell::new(TrackedTasks::new()),
                listeners: Listeners::new(),
                cadence: RefCell::new(PollCadence::new(pacing)),
                hidden: Cell::new(false),
                running: Cell::new(false),
                interrupted: Cell::new(false),
                waker: RefCell::new(None),
                rounds: Cell::new(0),
            }),
        }
    }

    /// Starts tracking a task (tracking one twice is the same as once). The first round comes soon.
    pub fn track(&self, id: impl Into<String>) {
        self.state.known.borrow_mut().track(id.into());
        self.state.cadence.borrow_mut().hurry();
        self.interrupt();
        self.ensure_running();
    }

    /// Stops tracking a task.
    pub fn untrack(&self, id: &str) {
        self.state.known.borrow_mut().untrack(id);
    }

    /// The ids tracked now, sorted.
    pub fn tracked(&self) -> Vec<String> {
        self.state.known.borrow().ids()
    }

    /// The latest reading of a tracked task.
    pub fn latest(&self, id: &str) -> Option<Task> {
        self.state.known.borrow().reading(id).cloned()
    }

    /// Calls `callback` with every task event until the subscription is dropped.
    pub fn subscribe(&self, callback: impl Fn(&TaskEvent) + 'static) -> Subscription {
        self.state.listeners.subscribe(callback)
    }

    /// The page became hidden (pause polling) or visible again (poll soon).
    pub fn set_hidden(&self, hidden: bool) {
        if self.state.hidden.replace(hidden) && !hidden {
            self.state.cadence.borrow_mut().hurry();
            self.interrupt();
        }
    }

    /// Rounds made since the client was created.
    pub fn rounds(&self) -> u64 {
        self.state.rounds.get()
    }

    /// The wait before the next round, in milliseconds.
    pub fn next_delay_ms(&self) -> u32 {
        self.state.cadence.borrow().delay_ms()
    }

    /// The session is back: poll soon.
    pub(crate) fn resume(&self) {
        self.state.cadence.borrow_mut().hurry();
        self.interrupt();
    }

    fn interrupt(&self) {
        self.state.interrupted.set(true);
        if let Some(waker) = self.state.waker.borrow_mut().take() {
            waker.wake();
        }
    }

    fn ensure_running(&self) {
        let Some(client) = self.client.upgrade() else { return };
        if self.state.running.replace(true) {
            return;
        }
        let runtime = client.runtime.clone();
        let poller = TaskPoller { client: self.client.clone(), state: self.state.clone() };
        runtime.spawn(Box::pin(async move { poller.run().await }));
    }

    /// The background loop: one round, then a wait, until nothing is tracked or the client is gone.
    async fn run(self) {
        loop {
            let Some(inner) = self.client.upgrade() else { break };
            let client = Client::from_inner(inner);
            if self.state.known.borrow().is_empty() {
                break;
            }
            if self.state.hidden.get() || client.session_expired() {
                drop(client);
                Interruptible { sleep: None, state: &self.state }.await;
                continue;
            }
            // This round answers every interruption so far (a task tracked before the loop started, a resume):
            // the wait after it must not end at once because of them.
            self.state.interrupted.set(false);
            self.round(&client).await;
            let delay = Duration::from_millis(u64::from(self.state.cadence.borrow().delay_ms()));
            let sleep = client.runtime_handle().sleep(delay);
            drop(client);
            Interruptible { sleep: Some(sleep), state: &self.state }.await;
        }
        self.state.running.set(false);
    }

    /// One round: the active list, then each tracked task missing from it on its own.
    async fn round(&self, client: &Client) {
        self.state.rounds.set(self.state.rounds.get() + 1);
        let active = match client.call(&active_tasks_request()).await {
            Ok(page) => page,
            // An expired session pauses the loop; the client has told its subscribers.
            Err(error) if error.kind == ErrorKind::Unauthorized => return,
            Err(error) => {
                self.state.cadence.borrow_mut().after_failure();
                self.state.listeners.emit(&TaskEvent::Error(error));
                return;
            }
        };
        let result = reconcile(&self.state.known.borrow(), &active);
        let mut moved = false;
        for task in result.changed {
            moved = true;
            self.record(task);
        }
        for id in result.missing {
            if !self.state.known.borrow().contains(&id) {
                continue; // untracked by a subscriber meanwhile
            }
            match client.call(&GetTask::new(id.clone())).await {
                Ok(task) => {
                    let previous = self.latest(&id);
                    if previous.as_ref().is_none_or(|p| has_moved(p, &task) || task.state.is_terminal()) {
                        moved = true;
                        self.record(task);
                    }
                }
                Err(error) if error.kind == ErrorKind::NotFound => {
                    moved = true;
                    self.state.known.borrow_mut().untrack(&id);
                    self.state.listeners.emit(&TaskEvent::Gone { id });
                }
                Err(error) if error.kind == ErrorKind::Unauthorized => return,
                Err(error) => {
                    self.state.cadence.borrow_mut().after_failure();
                    self.state.listeners.emit(&TaskEvent::Error(error));
                    return;
                }
            }
        }
        self.state.cadence.borrow_mut().after_round(moved);
    }

    /// Stores a reading and tells subscribers; an ended task stops being tracked.
    fn record(&self, task: Task) {
        let event = if task.state.is_terminal() {
            self.state.known.borrow_mut().untrack(&task.id);
            TaskEvent::Ended { task: Box::new(task) }
        } else {
            let previous = self.state.known.borrow_mut().record(task.clone());
            TaskEvent::Updated { task: Box::new(task), previous: previous.map(Box::new) }
        };
        self.state.listeners.emit(&event);
    }
}

/// Waits for a sleep to end (or forever, without one) unless the poller is interrupted first.
struct Interruptible<'a> {
    sleep: Option<LocalBoxFuture<'static, ()>>,
    state: &'a PollerState,
}

impl Future for Interruptible<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.state.interrupted.replace(false) {
            return Poll::Ready(());
        }
        if let Some(sleep) = self.sleep.as_mut() {
            if sleep.as_mut().poll(cx).is_ready() {
                return Poll::Ready(());
            }
        }
        *self.state.waker.borrow_mut() = Some(cx.waker().clone());
        Poll::Pending
    }
}
