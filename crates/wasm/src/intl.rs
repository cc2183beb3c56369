//! Time-zone offsets from the JavaScript runtime's `Intl`: [`IntlZones`] lives in the client crate so that the
//! widgets (a separate wasm module) use the same implementation; this package re-exports it.

pub use vmbackup_client::intl::IntlZones;
