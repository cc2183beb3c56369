//! A native HTTP/1.1 transport on tokio and hyper, for Rust tests and tools (feature `native`).
//!
//! Plain `http://` only — the simulator, or a backup server behind a local proxy; a TLS transport would add
//! rustls and its certificate handling, which no test or tool here needs yet. One connection per request keeps
//! it simple and never reuses a connection a fault broke.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::Uri;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use vmbackup_core::http::{HttpRequest, HttpResponse};

use crate::transport::{LocalBoxFuture, NoAnswer, Runtime, Transport};

/// Sends requests over a fresh TCP connection each.
#[derive(Debug, Default, Clone)]
pub struct NativeTransport;

impl NativeTransport {
    /// The transport.
    pub fn new() -> Self {
        NativeTransport
    }
}

impl Transport for NativeTransport {
    fn send<'a>(
        &'a self,
        url: String,
        request: &'a HttpRequest,
        timeout: Duration,
    ) -> LocalBoxFuture<'a, Result<HttpResponse, NoAnswer>> {
        Box::pin(async move {
            match tokio::time::timeout(timeout, exchange(&url, request)).await {
                Ok(result) => result,
                Err(_) => Err(NoAnswer::timeout(timeout)),
            }
        })
    }
}

async fn exchange(url: &str, request: &HttpRequest) -> Result<HttpResponse, NoAnswer> {
    let uri: Uri = url.parse().map_err(|e| NoAnswer::network(format!("bad URL {url}: {e}")))?;
    if uri.scheme_str() != Some("http") {
        return Err(NoAnswer::network(format!("the native transport speaks plain http only, not {url}")));
    }
    let host = uri.host().ok_or_else(|| NoAnswer::network(format!("no host in {url}")))?.to_string();
    let port = uri.port_u16().unwrap_or(80);
    let stream = TcpStream::connect((host.as_str(), port)).await.map_err(|e| NoAnswer::network(e.to_string()))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| NoAnswer::network(e.to_string()))?;
    // The connection task ends when the exchange ends or fails.
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let exchange = async {
        let mut builder = hyper::Request::builder()
            .method(request.method.as_str())
            .uri(uri.path_and_query().map(|p| p.as_str()).unwrap_or("/"))
            .header("Host", format!("{host}:{port}"))
            .header("Accept", "application/json");
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let body = match &request.body {
            Some(body) => {
                builder = builder.header("Content-Type", "application/json");
                Bytes::from(body.clone())
            }
            None => Bytes::new(),
        };
        let outgoing = builder.body(Full::new(body)).map_err(|e| NoAnswer::network(e.to_string()))?;
        let incoming = sender.send_request(outgoing).await.map_err(|e| NoAnswer::network(e.to_string()))?;
        let status = incoming.status().as_u16();
        let headers: Vec<(String, String)> = incoming
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.as_str().to_string(), value.to_str().ok()?.to_string())))
            .collect();
        let body = incoming.into_body().collect().await.map_err(|e| NoAnswer::network(e.to_string()))?;
        Ok(HttpResponse { status, headers, body: body.to_bytes().to_vec() })
    };
    exchange.await
}

/// Tokio's clock and `spawn_local`: run the client inside a `tokio::task::LocalSet`.
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioRuntime;

impl Runtime for TokioRuntime {
    fn now_ms(&self) -> i64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
    }

    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }

    fn spawn(&self, future: LocalBoxFuture<'static, ()>) {
        tokio::task::spawn_local(future);
    }
}
