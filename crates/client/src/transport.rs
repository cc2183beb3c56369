//! What the client needs from its environment: a way to send a request and a way to wait.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use vmbackup_core::http::{HttpRequest, HttpResponse};
use vmbackup_core::ErrorKind;

/// A boxed future that need not be `Send` (browsers and the client are single-threaded).
pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// A request that got no HTTP answer at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoAnswer {
    /// [`ErrorKind::Network`] (refused, reset, DNS, CORS) or [`ErrorKind::Timeout`].
    pub kind: ErrorKind,
    /// What the runtime said, for the error's detail.
    pub message: String,
}

impl NoAnswer {
    /// A network failure.
    pub fn network(message: impl Into<String>) -> Self {
        NoAnswer { kind: ErrorKind::Network, message: message.into() }
    }

    /// No answer within the timeout.
    pub fn timeout(timeout: Duration) -> Self {
        // As u64: formatting the u128 that `as_millis` gives links a u128 printer of its own (~1.5 KB of wasm).
        let millis = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        NoAnswer { kind: ErrorKind::Timeout, message: format!("no answer within {millis} ms") }
    }
}

/// Sends one HTTP request. Redirects, cookies of the runtime (the browser's jar) and TLS are the transport's
/// business; session rules, retries and parsing are the client's.
pub trait Transport {
    /// Sends `request` to `url` (the request's path and query joined with the API base); gives up after
    /// `timeout`. Dropping the future aborts the request.
    fn send<'a>(
        &'a self,
        url: String,
        request: &'a HttpRequest,
        timeout: Duration,
    ) -> LocalBoxFuture<'a, Result<HttpResponse, NoAnswer>>;
}

/// Time and background work, from the environment (the JS event loop, tokio).
pub trait Runtime {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;

    /// Completes after `duration`.
    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()>;

    /// Runs `future` in the background on the current thread.
    fn spawn(&self, future: LocalBoxFuture<'static, ()>);
}
