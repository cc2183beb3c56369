//! # vmbackup-client
//!
//! Runs the operations of [`vmbackup_core`] against a backup server: an async [`Client`] over a [`Transport`]
//! that applies the session rules (host cookie session, login, token), never resends a submission whose answer
//! was lost (it looks for what the submission created instead), and tracks tasks with one shared [`TaskPoller`].
//!
//! Transports: [`fetch::FetchTransport`] on wasm32 (the global `fetch`: pages, workers, Node 20+, edge runtimes)
//! and, with the `native` feature, [`native::NativeTransport`] for Rust tests and tools.
//!
//! The client is single-threaded (`Rc`, not `Arc`), as a browser page is: on native, run it on a tokio
//! current-thread runtime inside a `LocalSet`.
//!
//! ```no_run
//! # #[cfg(all(feature = "native", not(target_arch = "wasm32")))]
//! # async fn example() -> Result<(), vmbackup_core::ApiError> {
//! use std::rc::Rc;
//! use vmbackup_client::{native::{NativeTransport, TokioRuntime}, Client, ClientOptions, Session};
//! use vmbackup_core::storware::vms::ListVms;
//!
//! let session = Session::Login { username: "admin".into(), password: "vPr0tect".into() };
//! let options = ClientOptions::new("http://127.0.0.1:8080/api", session);
//! let client = Client::new(options, Rc::new(NativeTransport::new()), Rc::new(TokioRuntime));
//! client.login().await?;
//! let page = client.call(&ListVms::page(0, 20)).await?;
//! println!("{} of {:?} VMs", page.items.len(), page.total);
//! # Ok(()) }
//! ```

mod client;
mod cookies;
mod gate;
mod listeners;
mod poller;
mod transport;

#[cfg(target_arch = "wasm32")]
pub mod fetch;
#[cfg(target_arch = "wasm32")]
pub mod intl;
#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
pub mod native;

pub use client::{Client, ClientOptions, Session, TokenProvider};
pub use listeners::Subscription;
pub use poller::{TaskEvent, TaskPoller};
pub use transport::{LocalBoxFuture, NoAnswer, Runtime, Transport};
pub use vmbackup_core as core;
