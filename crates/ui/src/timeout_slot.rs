//! A timeout a widget sets again and again (a search due when typing pauses, a refresh due later), of which only
//! the latest may run, and none once the widget is gone.

use std::time::Duration;

use leptos::prelude::*;

/// At most one pending timeout: setting one clears the one waiting, and unmounting the widget that made the
/// slot clears it too, so that its callback never meets the widget's disposed signals (a panic there traps in
/// the npm build and can leave the page's other widgets stuck).
#[derive(Clone, Copy)]
pub(crate) struct TimeoutSlot {
    pending: StoredValue<Option<TimeoutHandle>, LocalStorage>,
}

impl TimeoutSlot {
    /// A slot of the widget being made: call it in the component's body, whose unmount then clears it.
    pub(crate) fn new() -> Self {
        let pending = StoredValue::new_local(None);
        on_cleanup(move || clear(pending));
        TimeoutSlot { pending }
    }

    /// Runs `run` after `delay`, unless the slot is set again or the widget unmounted first.
    pub(crate) fn set(self, delay: Duration, run: impl FnOnce() + 'static) {
        self.set_boxed(delay, Box::new(run));
    }

    // One copy of the timer code for every callback type.
    fn set_boxed(self, delay: Duration, run: Box<dyn FnOnce()>) {
        clear(self.pending);
        let handle = set_timeout_with_handle(run, delay).ok();
        let _ = self.pending.try_set_value(handle);
    }

    /// Forgets the waiting timeout, if any.
    pub(crate) fn clear(self) {
        clear(self.pending);
    }
}

fn clear(pending: StoredValue<Option<TimeoutHandle>, LocalStorage>) {
    if let Some(Some(handle)) = pending.try_update_value(Option::take) {
        handle.clear();
    }
}
