//! Files at `/` from `--static DIR` (the SPA and the demo pages), or a small landing page without it.
//!
//! Paths are checked to stay inside the directory; a path without an extension that names no file gets
//! `index.html`, so client-side routes of a single-page app work on reload.

use std::path::{Component, Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::state::Sim;

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The file under `root` that `url_path` names, refusing anything that could leave `root`.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded: String = percent_decode(url_path)?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(root.join(relative))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes: Vec<u8> = form_urlencoded::parse(format!("p={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned().into_bytes())?;
    let text = String::from_utf8(bytes).ok()?;
    (!text.contains('\\') && !text.contains('\0')).then_some(text)
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found\n").into_response()
}

const LANDING: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>vmbackup-sim</title></head><body>\
<h1>vmbackup-sim</h1><p>A simulator of the Storware Backup &amp; Recovery REST API. The API is under \
<code>/api</code>; log in with <code>POST /api/session/login</code> and <code>{\"login\":\"admin\",\
\"password\":\"vPr0tect\"}</code>. Control endpoints are under <code>/__sim/</code>.</p></body></html>";

/// The fallback for everything outside `/api` and `/__sim`.
pub async fn serve(State(sim): State<Sim>, request: Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "Method not allowed\n").into_response();
    }
    let path = request.uri().path();
    let Some(root) = sim.options.static_dir.as_deref() else {
        if path == "/" {
            let mut r = LANDING.into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            return r;
        }
        return not_found();
    };
    let Some(mut file) = resolve(root, path) else { return not_found() };
    if file.is_dir() {
        file = file.join("index.html");
    }
    if !file.is_file() && Path::new(path).extension().is_none() {
        // A client-side route of the single-page app.
        file = root.join("index.html");
    }
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let mut r = Body::from(bytes).into_response();
            let headers = r.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&file)));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            r
        }
        Err(_) => not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_root() {
        let root = Path::new("/srv/www");
        assert_eq!(resolve(root, "/app.js"), Some(PathBuf::from("/srv/www/app.js")));
        assert_eq!(resolve(root, "/a/b.css"), Some(PathBuf::from("/srv/www/a/b.css")));
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(root, "/a%5C..%5Cb"), None);
    }
}
