//! Signals, memos and effects whose Leptos machinery is compiled once instead of once per value or closure type.
//!
//! Why: reactive_graph is generic over a signal's value type and an effect's or memo's closure type. The
//! widgets hold some fifty value types, and each `RwSignal<T>` compiled its own read, write, guard and
//! notification code (~1–2 KB of wasm each); each `Effect::new` its own spawned task. Here the value lives in
//! a `Box<dyn Any>` inside one `RwSignal` type and is cast back at each use, so that machinery exists once; what
//! stays per type is a small box and a downcast. The cost is an allocation per write and a type check per read.

use std::any::Any;
use std::marker::PhantomData;

use leptos::prelude::*;

/// A value of any type, as the erased signals and memos hold it.
type AnyValue = Box<dyn Any + Send + Sync>;

/// The value inside `value`, which only ever holds a `T` (each wrapper stores its own type).
fn cast<T: 'static>(value: &AnyValue) -> &T {
    value.downcast_ref().expect("an erased signal holds the type it was made with")
}

fn cast_mut<T: 'static>(value: &mut AnyValue) -> &mut T {
    value.downcast_mut().expect("an erased signal holds the type it was made with")
}

/// A signal or memo over [`AnyValue`] seen as holding a `T`: [`ErasedSignal`] or [`ErasedMemo`].
pub struct Erased<S, T> {
    inner: S,
    value_type: PhantomData<fn() -> T>,
}

impl<S: Copy, T> Clone for Erased<S, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: Copy, T> Copy for Erased<S, T> {}

/// A reactive value, like [`RwSignal`] (arena-allocated, `Copy`, owned by the reactive owner that made it).
pub type ErasedSignal<T> = Erased<RwSignal<AnyValue>, T>;

/// A derived value recomputed when what it read changes, like [`Memo`]: readers are notified only when the new
/// value differs from the old one.
pub type ErasedMemo<T> = Erased<Memo<AnyValue>, T>;

impl<S, T> Erased<S, T>
where
    S: Copy + Track + With<Value = AnyValue> + WithUntracked<Value = AnyValue>,
    T: 'static,
{
    /// Reads the value (tracked).
    pub fn with<R>(self, read: impl FnOnce(&T) -> R) -> R {
        self.inner.with(|value| read(cast(value)))
    }

    /// Reads the value (tracked); `None` once it is disposed.
    pub fn try_with<R>(self, read: impl FnOnce(&T) -> R) -> Option<R> {
        self.inner.try_with(|value| read(cast(value)))
    }

    /// Reads the value without tracking it.
    pub fn with_untracked<R>(self, read: impl FnOnce(&T) -> R) -> R {
        self.inner.with_untracked(|value| read(cast(value)))
    }

    /// Reads the value without tracking it; `None` once it is disposed.
    pub fn try_with_untracked<R>(self, read: impl FnOnce(&T) -> R) -> Option<R> {
        self.inner.try_with_untracked(|value| read(cast(value)))
    }

    /// A copy of the value (tracked).
    pub fn get(self) -> T
    where
        T: Clone,
    {
        self.with(T::clone)
    }

    /// A copy of the value, not tracked.
    pub fn get_untracked(self) -> T
    where
        T: Clone,
    {
        self.with_untracked(T::clone)
    }

    /// A copy of the value, not tracked; `None` once it is disposed.
    pub fn try_get_untracked(self) -> Option<T>
    where
        T: Clone,
    {
        self.try_with_untracked(T::clone)
    }

    /// Subscribes the running effect or memo to the value.
    pub fn track(self) {
        self.inner.track();
    }
}

impl<T: Send + Sync + 'static> ErasedSignal<T> {
    /// A signal holding `value`.
    pub fn new(value: T) -> Self {
        Erased { inner: RwSignal::new(Box::new(value)), value_type: PhantomData }
    }

    /// Replaces the value and notifies.
    pub fn set(self, value: T) {
        self.inner.set(Box::new(value));
    }

    /// Replaces the value and notifies, as [`RwSignal::try_set`]: `None` when it was set, the value given back
    /// once the signal is disposed.
    pub fn try_set(self, value: T) -> Option<T> {
        let unset = self.inner.try_set(Box::new(value))?;
        unset.downcast().ok().map(|value| *value)
    }

    /// Changes the value in place and notifies.
    pub fn update(self, change: impl FnOnce(&mut T)) {
        self.inner.update(|value| change(cast_mut(value)));
    }

    /// Changes the value in place and notifies; `None` once the signal is disposed.
    pub fn try_update<R>(self, change: impl FnOnce(&mut T) -> R) -> Option<R> {
        self.inner.try_update(|value| change(cast_mut(value)))
    }
}

/// Whether a memo's new value differs from its old one.
fn changed<T: PartialEq + 'static>(old: Option<&AnyValue>, new: Option<&AnyValue>) -> bool {
    old.map(cast::<T>) != new.map(cast::<T>)
}

type Compute = Box<dyn Fn(Option<&AnyValue>) -> AnyValue + Send + Sync>;

impl<T: PartialEq + Send + Sync + 'static> ErasedMemo<T> {
    /// A memo of `compute` (given the previous value).
    pub fn new(compute: impl Fn(Option<&T>) -> T + Send + Sync + 'static) -> Self {
        let compute: Compute = Box::new(move |old| Box::new(compute(old.map(cast))));
        Erased { inner: Memo::new_with_compare(compute, changed::<T>), value_type: PhantomData }
    }
}

/// Runs `run` now and again whenever a signal it read changes, like [`Effect::new`], until its owner is
/// disposed.
pub fn effect(run: impl FnMut() + 'static) {
    effect_boxed(Box::new(run));
}

fn effect_boxed(run: Box<dyn FnMut()>) {
    Effect::new(run);
}
