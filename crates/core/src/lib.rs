//! # vmbackup-core
//!
//! The sans-IO heart of vmbackup: provider-neutral domain types, one type per backup-server API operation that
//! builds its request and parses its response, typed errors, validation, schedule time math and the session rules.
//!
//! Nothing here performs IO, spawns tasks or reads a clock: a transport (browser `fetch`, Node, native HTTP) sends
//! the [`http::HttpRequest`] an operation builds and hands the [`http::HttpResponse`] back to the same operation.
//!
//! ```
//! use vmbackup_core::endpoint::Endpoint;
//! use vmbackup_core::http::HttpResponse;
//! use vmbackup_core::storware::vms::ListVms;
//!
//! let op = ListVms::page(0, 20).name_like("web");
//! let req = op.request();
//! assert_eq!(req.path, "/virtual-machines");
//! let resp = HttpResponse::new(200, br#"[{"guid":"g1","name":"web-01","present":true}]"#.to_vec())
//!     .with_header("X-Total-Count", "1");
//! let page = op.parse(&resp).unwrap();
//! assert_eq!(page.items[0].name, "web-01");
//! assert_eq!(page.total, Some(1));
//! ```

pub mod domain;
pub mod endpoint;
pub mod error;
pub mod http;
pub mod json;
pub mod open_enum;
pub mod polling;
pub mod schedule;
pub mod session;
pub mod storware;
pub mod substring;
#[cfg(feature = "typescript")]
pub mod typescript;
pub mod validation;

pub use endpoint::Endpoint;
pub use error::{ApiError, ErrorKind, FieldError};
