//! # vmbackup-ui
//!
//! Leptos widgets for VM backup — a VM table, a backup button, task progress, a schedule form, backup history,
//! a restore dialog and a policy panel — and their embedding into a host page that already holds a session:
//! [`mount`] functions and custom elements (`<vmb-vm-table>`, …), each widget in its own shadow root with the
//! stylesheet adopted there, themable through `--vmb-*` custom properties, speaking English or Polish.
//!
//! Every widget of a page against the same API base and project shares one [`vmbackup_client::Client`]: one
//! session, one expiry prompt, one task poller.
//!
//! ## Size
//!
//! Every byte of the widgets entry is downloaded by the portal's users (budget: 250 KiB brotli for all
//! widgets; `cargo xtask npm` prints the figure). What was measured (brotli KiB of the optimised module):
//!
//! - Each widget's own share, measured by building the entry without it: ScheduleForm 37, RestoreDialog 28,
//!   BackupButton 19, PolicyPanel 19, VmTable 13, BackupHistory 7 (TaskProgress lives inside BackupButton and
//!   RestoreDialog). Code two or more widgets share (Leptos, the client, core's parsers, the catalog): ~129. The
//!   entry with no widget at all (embedding, client set-up, stylesheet): 58.
//! - What paid most recently: JSON read and written by the core's own non-generic `json` module instead of
//!   `serde_json::Value`, which brought serde's visitors, a `BTreeMap`, float tables and `str`'s `Debug` with it
//!   (277.1 -> 261.5 KiB); Leptos's erased views told apart without their 16-byte `TypeId`s (`vendor/tachys`:
//!   -5.0 KiB); typed attributes (`id`, `aria-label`, …) that carry their name as a string, so that their code
//!   exists once per value type, not once per name (`vendor/tachys`: -4.4 KiB; it brings a rule for views, see
//!   `vendor/README.md`: branches of one reactive view must not differ only in attribute names); ids
//!   deduplicated with FxHash and substrings found by a plain scan instead of std's SipHash and two-way searcher
//!   (-1.4); the function layout's search window of 1,200 instead of 400 (-0.5); short export names in the npm
//!   build (-0.6); the SPA's texts in its own catalog (-0.2); the catalog's English texts before its Polish ones
//!   (-0.2).
//! - What paid before: the module's functions laid out so that each follows the one it most resembles, for brotli
//!   (`function_order` in `cargo xtask npm`: 286.3 -> 277.5 KiB, the same bytes raw); a standard library compiled
//!   with the module, panics that trap without formatting and no panic locations (`SMALL_STD_ARGS`: 301.7 -> 286.3
//!   KiB); type-erased signals, memos and handlers ([`erased`], [`handler`]); no std sort, float parsing, Unicode
//!   case tables or `HashMap` ([`small_sort`], [`linear_map`], [`format`]); `-inline-threshold=0`; the squeezed
//!   stylesheet; short import names in the npm build.
//! - What did not: a data-driven `<select>` field shared by the restore dialog's seven selects (+1.4), one
//!   type-erased ticket check for all loaders (+0.4), building widgets from their props structs (-0.1). With
//!   `erase_components`, Leptos already shares a view's code by its output type; an abstraction layered on top
//!   costs more in signals, callbacks and boxes than the repeated markup it replaces.
//! - Views without tachys do not pay either. BackupHistory rebuilt on a 120-line builder of direct DOM calls
//!   (every reactive part a boxed closure under one non-generic effect; Leptos kept for signals and the other
//!   widgets) made the entry 1.5 KiB larger: the widget's own share went from 5.7 to 7.2 KiB, builder
//!   included. Each element, attribute and listener costs a DOM call either way; what a rewrite of all the
//!   widgets could drop is tachys's shared core alone, a few KiB.
//! - Leptos's `erase_components` is still worth 55 KiB (the entry without it: 363.7 KiB, with: 308.3, both
//!   measured with unminified glue).
//! - Neither did the `talc` allocator in place of std's dlmalloc (+0.3, +0.6 with its size features), nor
//!   `rlsf`'s `SmallGlobalTlsf` (+0.4), nor a tighter stylesheet (no space after `:`, no `;` before `}`: 0.6 KB
//!   less raw, +0.4 KiB brotli), nor `-Zshare-generics` (no change), nor
//!   more wasm-opt work after `-O1 --merge-similar-functions -Oz`: `--converge` +0.2, the pair twice +0.3,
//!   `--gufa-optimizing` 0.0, `--dae2` +0.1.
//! - Nor did every HTML element as one `Custom<&'static str>` type in the vendored tachys (so that a view's code
//!   would not be compiled per tag): 2.6 KiB larger, though 5 KB smaller raw.

// The page's shared clients use the fetch transport, which exists on wasm32 only; everything else also builds
// natively so that `cargo test --workspace` checks the catalog and the logic.
#[cfg(target_arch = "wasm32")]
pub mod clients;
pub mod context;
/// The `vmbackup/widgets` entry: `mount`, `defineElements` and the custom elements (feature `widgets-entry`,
/// so that the SPA, which links this crate too, does not carry the JavaScript exports).
#[cfg(all(target_arch = "wasm32", feature = "widgets-entry"))]
pub mod embed;
pub mod erased;
pub mod format;
pub mod handler;
pub mod host_events;
pub mod i18n;
pub mod keyed_list;
pub mod linear_map;
pub mod mount;
pub mod privileges;
pub mod show_if;
pub mod small_sort;
pub mod style;
mod timeout_slot;
pub mod widgets;

pub use context::{use_widget_context, WidgetContext};
pub use i18n::{Lang, Msg};
