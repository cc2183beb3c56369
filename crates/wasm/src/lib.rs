//! vmbackup-wasm: the JavaScript surface of vmbackup, the npm package's headless entries.
//!
//! * [`client`]: the `Client` class, one Promise-returning method per everyday operation (session, VMs, backups,
//!   tasks, back up, restore and its targets, the VM's policy for its rules), session and task events;
//! * `admin` (cargo feature `admin`, on by default): the administration methods of `Client` (policies, rules and
//!   schedules: list, create, update, delete, assign VMs; backup destinations);
//! * [`helpers`]: pure helpers without a server (`validateBackup`, `isVmbackupError`; with `admin` also schedule
//!   conversion, next runs and the other validators from `schedule_helpers`);
//! * [`error`]: every failure reaches JavaScript as an `Error` named `VmbackupError` with `kind`, `status`,
//!   `message`, `field`, `fields` and `detail`;
//! * [`intl`]: [`intl::IntlZones`], the core's zone-offset provider over the runtime's `Intl`.
//!
//! Built without default features the crate is the npm package's main entry, small enough for its size budget;
//! with them (`admin`) it is the whole API.
//!
//! Values cross the boundary as JSON ([`json`]): JavaScript gets plain objects shaped like the core's serde types,
//! which the `.d.ts` declares (generated from the Rust types through the core's `typescript` feature). Arguments
//! are read by hand ([`json::FromJson`], [`input`]) rather than through derived `Deserialize`, for size.

// The fetch transport and the Intl zones exist on wasm32 only; natively the crate still builds (for clippy and
// native tests).
#[cfg(all(target_arch = "wasm32", feature = "admin"))]
pub mod admin;
#[cfg(target_arch = "wasm32")]
pub mod client;
pub mod error;
#[cfg(target_arch = "wasm32")]
pub mod helpers;
pub mod input;
#[cfg(target_arch = "wasm32")]
pub mod intl;
pub mod json;
pub mod options;
#[cfg(all(target_arch = "wasm32", feature = "admin"))]
pub mod schedule_helpers;
#[cfg(feature = "admin")]
pub mod shapes;

#[cfg(target_arch = "wasm32")]
pub use client::WasmClient;
pub use error::VmbackupError;
#[cfg(target_arch = "wasm32")]
pub use intl::IntlZones;
