//! Event handlers boxed to one type per event type, for `on:…=` in `view!`.
//!
//! Why: Leptos's `On<E, F>` is generic over the handler's closure type, so every `on:click=move |_| …` compiled
//! its own copy of tachys's listener attach, rebuild, clone and type-erasure code. Boxed, every click handler
//! has the same type and shares one copy; what stays per handler is its own body.

use leptos::ev::{KeyboardEvent, MouseEvent, SubmitEvent};
use web_sys::Event;

/// A boxed handler of `click` (or any other mouse event).
pub fn mouse(handler: impl FnMut(MouseEvent) + 'static) -> Box<dyn FnMut(MouseEvent)> {
    Box::new(handler)
}

/// A boxed handler of an event without a more specific type: `input`, `change`, `scroll`, `close`.
pub fn event(handler: impl FnMut(Event) + 'static) -> Box<dyn FnMut(Event)> {
    Box::new(handler)
}

/// A boxed handler of `keydown` (or any other keyboard event).
pub fn keyboard(handler: impl FnMut(KeyboardEvent) + 'static) -> Box<dyn FnMut(KeyboardEvent)> {
    Box::new(handler)
}

/// A boxed handler of `submit`.
pub fn submit(handler: impl FnMut(SubmitEvent) + 'static) -> Box<dyn FnMut(SubmitEvent)> {
    Box::new(handler)
}
