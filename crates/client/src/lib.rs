//! vmbackup-client: runs `vmbackup-core` operations over a transport.
//!
//! The async client, its fetch and native transports and the task poller arrive with the client issue; until
//! then this crate re-exports the core so that dependants build against one path.

pub use vmbackup_core as core;
