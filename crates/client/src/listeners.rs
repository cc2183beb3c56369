//! Callback lists with handles that unsubscribe when dropped.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

type Callback<T> = Rc<dyn Fn(&T)>;
/// Subscribed callbacks with the ids their subscriptions remove.
type Entries<T> = RefCell<Vec<(u64, Callback<T>)>>;

/// Callbacks subscribed to one kind of event.
pub(crate) struct Listeners<T> {
    entries: Rc<Entries<T>>,
    next_id: std::cell::Cell<u64>,
}

impl<T: 'static> Listeners<T> {
    pub(crate) fn new() -> Self {
        Listeners { entries: Rc::new(RefCell::new(Vec::new())), next_id: std::cell::Cell::new(0) }
    }

    /// Adds a callback; it stays until the returned [`Subscription`] is dropped or cancelled.
    pub(crate) fn subscribe(&self, callback: impl Fn(&T) + 'static) -> Subscription {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        self.entries.borrow_mut().push((id, Rc::new(callback)));
        let entries: Weak<Entries<T>> = Rc::downgrade(&self.entries);
        Subscription {
            cancel: Some(Box::new(move || {
                if let Some(entries) = entries.upgrade() {
                    entries.borrow_mut().retain(|(entry, _)| *entry != id);
                }
            })),
        }
    }

    /// Calls every callback with `event`. Callbacks may subscribe or unsubscribe meanwhile: the list is copied
    /// first so that no borrow is held while they run.
    pub(crate) fn emit(&self, event: &T) {
        let callbacks: Vec<Callback<T>> = self.entries.borrow().iter().map(|(_, c)| c.clone()).collect();
        for callback in callbacks {
            callback(event);
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.borrow().len()
    }
}

/// A subscription to client events; dropping it (or calling [`Subscription::cancel`]) unsubscribes.
/// Call [`Subscription::keep`] to keep the callback for the client's lifetime.
#[must_use = "dropping a Subscription unsubscribes at once"]
pub struct Subscription {
    cancel: Option<Box<dyn FnOnce()>>,
}

impl Subscription {
    /// Unsubscribes now.
    pub fn cancel(mut self) {
        if let Some(cancel) = self.cancel.take() {
            cancel();
        }
    }

    /// Keeps the callback subscribed for as long as the client lives.
    pub fn keep(mut self) {
        self.cancel = None;
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(cancel) = self.cancel.take() {
            cancel();
        }
    }
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription").field("active", &self.cancel.is_some()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn dropping_the_subscription_unsubscribes_and_keep_does_not() {
        let listeners = Listeners::<u32>::new();
        let seen = Rc::new(Cell::new(0));
        let counter = seen.clone();
        let subscription = listeners.subscribe(move |n| counter.set(counter.get() + n));
        listeners.emit(&2);
        drop(subscription);
        listeners.emit(&5);
        assert_eq!(seen.get(), 2);
        let counter = seen.clone();
        listeners.subscribe(move |n| counter.set(counter.get() + n)).keep();
        listeners.emit(&3);
        assert_eq!(seen.get(), 5);
        assert_eq!(listeners.len(), 1);
    }

    #[test]
    fn a_callback_may_unsubscribe_another_while_events_are_emitted() {
        let listeners = Rc::new(Listeners::<()>::new());
        let victim: Rc<RefCell<Option<Subscription>>> = Rc::new(RefCell::new(None));
        let slot = victim.clone();
        listeners.subscribe(move |_| drop(slot.borrow_mut().take())).keep();
        *victim.borrow_mut() = Some(listeners.subscribe(|_| {}));
        listeners.emit(&());
        assert_eq!(listeners.len(), 1);
    }
}
