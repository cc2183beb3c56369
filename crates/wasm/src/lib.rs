//! vmbackup-wasm: the npm package's headless entry (wasm-bindgen surface of the client).
//!
//! Filled by the client issue; it builds now so that the workspace layout is complete.

pub use vmbackup_core as core;
