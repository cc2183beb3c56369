//! The shape every API operation has: it builds its request and reads its response, with no IO.

use crate::error::ApiError;
use crate::http::{HttpRequest, HttpResponse};

/// One API operation.
///
/// A transport sends [`Endpoint::request`] and passes whatever came back to [`Endpoint::parse`], which turns a
/// success into [`Endpoint::Output`] and anything else (4xx/5xx, an HTML page, bad JSON) into an [`ApiError`].
pub trait Endpoint {
    /// What a successful call yields.
    type Output;

    /// The request to send (path relative to the API base).
    fn request(&self) -> HttpRequest;

    /// Reads the server's answer.
    fn parse(&self, response: &HttpResponse) -> Result<Self::Output, ApiError>;
}
