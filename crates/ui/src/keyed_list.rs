//! [`keyed_list`]: Leptos's `<For>` compiled once for every list of the widgets.
//!
//! Why: `<For>` is generic over its item, key and closure types, so each of the widgets' keyed lists compiled
//! its own copy of the keyed diffing (~6 KB of wasm each). Here every list has the same item type — a key and a
//! boxed function drawing the row — so they share one.

use std::sync::Arc;

use leptos::prelude::*;

/// A list item: its key (rows whose key stays keep their DOM nodes and reactive state) and how to draw it.
pub struct KeyedRow {
    key: Option<String>,
    view: Box<dyn FnOnce() -> AnyView + Send>,
}

impl KeyedRow {
    /// A row with `key`, drawn by `view` when the key first appears.
    pub fn new<V: IntoView + 'static>(key: Option<String>, view: impl FnOnce() -> V + Send + 'static) -> Self {
        KeyedRow { key, view: Box::new(move || view().into_any()) }
    }
}

/// The rows `rows` returns, each drawn once per key, in order; re-read when a signal `rows` read changes.
pub fn keyed_list(rows: impl Fn() -> Vec<KeyedRow> + Send + Sync + 'static) -> AnyView {
    keyed_rows(Arc::new(rows))
}

fn keyed_rows(rows: Arc<dyn Fn() -> Vec<KeyedRow> + Send + Sync>) -> AnyView {
    view! { <For each=move || rows() key=|row: &KeyedRow| row.key.clone() children=|row: KeyedRow| (row.view)() /> }
        .into_any()
}
