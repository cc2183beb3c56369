//! [`ShowIf`]: Leptos's `<Show>` without its per-use cost in wasm.

use std::sync::Arc;

use crate::erased::ErasedMemo;
use leptos::prelude::*;

/// Shows `children` while `when` holds, else `fallback` (nothing by default); the children are made afresh each
/// time `when` turns true, as with Leptos's `<Show>`.
///
/// Why not `<Show>`: it is generic over its condition and its children's view type, so each of the widgets'
/// dozens of uses compiled a memo, a children closure and an either-view of its own. Here the condition is
/// boxed at once and the children are type-erased ([`ChildrenFn`]), so every use shares one compiled body.
#[component]
pub fn ShowIf(
    /// The condition (reactive).
    when: impl Fn() -> bool + Send + Sync + 'static,
    /// What is shown while the condition holds.
    children: ChildrenFn,
    /// What is shown otherwise.
    #[prop(optional, into)]
    fallback: ViewFn,
) -> impl IntoView {
    shown_while(Arc::new(when), children, fallback)
}

fn shown_while(when: Arc<dyn Fn() -> bool + Send + Sync>, children: ChildrenFn, fallback: ViewFn) -> AnyView {
    let shown = ErasedMemo::new(move |_| when());
    (move || if shown.get() { children() } else { fallback.run() }).into_any()
}
