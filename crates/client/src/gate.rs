//! Logins happen one at a time: when several requests meet an expired session together, one logs in and the
//! others wait for it and replay, instead of each opening its own session.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use vmbackup_core::ApiError;

#[derive(Default)]
struct GateState {
    /// A login is under way.
    running: bool,
    /// Completed login attempts so far.
    epoch: u64,
    /// How the latest attempt ended.
    last: Option<Result<(), ApiError>>,
    waiters: Vec<Waker>,
}

/// Serialises logins (and token refreshes).
#[derive(Default)]
pub(crate) struct LoginGate {
    state: RefCell<GateState>,
}

impl LoginGate {
    /// The number of login attempts completed; a request remembers it when sent.
    pub(crate) fn epoch(&self) -> u64 {
        self.state.borrow().epoch
    }

    /// Runs `login` unless an attempt completed since `seen_epoch` (then its result is returned) or one is under
    /// way (then this waits for it and returns its result).
    pub(crate) async fn login_once<F>(&self, seen_epoch: u64, login: F) -> Result<(), ApiError>
    where
        F: Future<Output = Result<(), ApiError>>,
    {
        loop {
            {
                let mut state = self.state.borrow_mut();
                if state.epoch != seen_epoch {
                    return state.last.clone().unwrap_or(Ok(()));
                }
                if !state.running {
                    state.running = true;
                    break;
                }
            }
            WaitForLogin { gate: self, epoch: seen_epoch }.await;
        }
        let guard = RunningGuard { gate: self, result: None };
        let result = login.await;
        guard.finish(result)
    }
}

/// Ends an attempt, also when the login future is dropped half-way (the caller gave up): waiters then retry.
struct RunningGuard<'a> {
    gate: &'a LoginGate,
    result: Option<Result<(), ApiError>>,
}

impl RunningGuard<'_> {
    fn finish(mut self, result: Result<(), ApiError>) -> Result<(), ApiError> {
        self.result = Some(result.clone());
        result
    }
}

impl Drop for RunningGuard<'_> {
    fn drop(&mut self) {
        let waiters = {
            let mut state = self.gate.state.borrow_mut();
            state.running = false;
            if let Some(result) = self.result.take() {
                state.epoch += 1;
                state.last = Some(result);
            }
            std::mem::take(&mut state.waiters)
        };
        waiters.into_iter().for_each(Waker::wake);
    }
}

struct WaitForLogin<'a> {
    gate: &'a LoginGate,
    epoch: u64,
}

impl Future for WaitForLogin<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.gate.state.borrow_mut();
        if state.epoch != self.epoch || !state.running {
            return Poll::Ready(());
        }
        state.waiters.push(cx.waker().clone());
        Poll::Pending
    }
}
