//! vmbackup-wasm: the JavaScript surface of vmbackup, the npm package's headless entry.
//!
//! * [`client`]: the `Client` class, one Promise-returning method per backup-server operation, session and task
//!   events;
//! * [`helpers`]: pure helpers without a server (validation, schedule conversion, next runs);
//! * [`error`]: every failure reaches JavaScript as an `Error` named `VmbackupError` with `kind`, `status`,
//!   `message`, `field`, `fields` and `detail`;
//! * [`intl`]: [`intl::IntlZones`], the core's zone-offset provider over the runtime's `Intl`.
//!
//! Values cross the boundary as JSON ([`json`]): JavaScript gets plain objects shaped like the core's serde types,
//! which the `.d.ts` declares (generated from the Rust types through the core's `typescript` feature).

pub mod error;
pub mod helpers;
pub mod intl;
pub mod json;
pub mod options;

pub use error::VmbackupError;
pub use intl::IntlZones;
