//! The wasm32 transport and runtime over the JavaScript global scope: `fetch`, `AbortController`,
//! `setTimeout` and `Date.now` — all globals of pages, workers, Node 20+ and edge runtimes, so nothing here
//! needs `window`.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestCredentials, RequestInit, Response};

use vmbackup_core::http::{HttpRequest, HttpResponse};

use crate::transport::{LocalBoxFuture, NoAnswer, Runtime, Transport};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (not `window.fetch`).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &Request) -> Promise;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, millis: i32) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// Whether `fetch` sends cookies (the `credentials` option of `fetch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Credentials {
    /// Always, also cross-origin (the portal's session cookie reaches a backup API on another origin).
    #[default]
    Include,
    /// Only to the page's own origin.
    SameOrigin,
    /// Never.
    Omit,
}

impl Credentials {
    /// Reads `"include"`, `"same-origin"` or `"omit"`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "include" => Some(Credentials::Include),
            "same-origin" => Some(Credentials::SameOrigin),
            "omit" => Some(Credentials::Omit),
            _ => None,
        }
    }

    fn as_request_credentials(self) -> RequestCredentials {
        match self {
            Credentials::Include => RequestCredentials::Include,
            Credentials::SameOrigin => RequestCredentials::SameOrigin,
            Credentials::Omit => RequestCredentials::Omit,
        }
    }
}

/// Sends requests with the global `fetch`.
#[derive(Debug, Clone, Default)]
pub struct FetchTransport {
    credentials: Credentials,
}

impl FetchTransport {
    /// A transport sending cookies as `credentials` says.
    pub fn new(credentials: Credentials) -> Self {
        FetchTransport { credentials }
    }
}

impl Transport for FetchTransport {
    fn send<'a>(
        &'a self,
        url: String,
        request: &'a HttpRequest,
        timeout: Duration,
    ) -> LocalBoxFuture<'a, Result<HttpResponse, NoAnswer>> {
        Box::pin(async move {
            let controller = AbortController::new().map_err(|e| NoAnswer::network(describe(&e)))?;
            let js_request = build_request(&url, request, self.credentials, &controller)?;
            let guard = AbortGuard::arm(controller, timeout);
            let answer = JsFuture::from(global_fetch(&js_request)).await;
            let result = match answer {
                Ok(response) => read_response(response.unchecked_into()).await,
                Err(error) => Err(NoAnswer::network(describe(&error))),
            };
            let timed_out = guard.timed_out();
            guard.disarm();
            match result {
                Err(_) if timed_out => Err(NoAnswer::timeout(timeout)),
                other => other,
            }
        })
    }
}

fn build_request(
    url: &str,
    request: &HttpRequest,
    credentials: Credentials,
    controller: &AbortController,
) -> Result<Request, NoAnswer> {
    let headers = Headers::new().map_err(|e| NoAnswer::network(describe(&e)))?;
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|e| NoAnswer::network(describe(&e)));
    set("Accept", "application/json")?;
    for (name, value) in &request.headers {
        // Browsers refuse to let scripts set `Cookie` (their jar sends it); Node and edge runtimes allow it.
        if name.eq_ignore_ascii_case("cookie") && is_browser() {
            continue;
        }
        set(name, value)?;
    }
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_credentials(credentials.as_request_credentials());
    init.set_signal(Some(&controller.signal()));
    if let Some(body) = &request.body {
        set("Content-Type", "application/json")?;
        init.set_body(&Uint8Array::from(body.as_slice()).into());
    }
    init.set_headers(&headers);
    Request::new_with_str_and_init(url, &init).map_err(|e| NoAnswer::network(describe(&e)))
}

async fn read_response(response: Response) -> Result<HttpResponse, NoAnswer> {
    let status = response.status();
    let mut headers = Vec::new();
    if let Ok(Some(iterator)) = js_sys::try_iter(&response.headers()) {
        for entry in iterator.flatten() {
            let pair: Array = entry.unchecked_into();
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                headers.push((name, value));
            }
        }
    }
    // `Set-Cookie` is folded into one header by iteration; `getSetCookie()` (Node, edge) keeps them apart.
    headers.retain(|(name, _)| !name.eq_ignore_ascii_case("set-cookie"));
    headers.extend(set_cookies(&response.headers()).into_iter().map(|value| ("set-cookie".to_string(), value)));
    let buffer = response.array_buffer().map_err(|e| NoAnswer::network(describe(&e)))?;
    let body = JsFuture::from(buffer).await.map_err(|e| NoAnswer::network(describe(&e)))?;
    Ok(HttpResponse { status, headers, body: Uint8Array::new(&body).to_vec() })
}

/// Every `Set-Cookie` value the runtime shows (none in browsers).
fn set_cookies(headers: &Headers) -> Vec<String> {
    let Ok(method) = Reflect::get(headers, &JsValue::from_str("getSetCookie")) else { return Vec::new() };
    let Some(method) = method.dyn_ref::<Function>() else { return Vec::new() };
    match method.call0(headers) {
        Ok(values) => Array::from(&values).iter().filter_map(|v| v.as_string()).collect(),
        Err(_) => Vec::new(),
    }
}

/// A page or a worker of a browser (where `Cookie` is a forbidden request header), as opposed to Node or an
/// edge runtime.
fn is_browser() -> bool {
    let global = js_sys::global();
    ["document", "WorkerGlobalScope"]
        .iter()
        .any(|name| Reflect::get(&global, &JsValue::from_str(name)).map(|value| !value.is_undefined()).unwrap_or(false))
}

fn describe(error: &JsValue) -> String {
    if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        let cause =
            Reflect::get(error, &JsValue::from_str("cause")).ok().filter(|c| !c.is_undefined()).map(|c| describe(&c));
        let message: String = error.message().into();
        return match cause {
            Some(cause) => format!("{message} ({cause})"),
            None => message,
        };
    }
    // JSON, not `{:?}`: a JsValue's Debug form pulls wasm-bindgen's `debugString` into the package's glue.
    error
        .as_string()
        .or_else(|| js_sys::JSON::stringify(error).ok().and_then(|text| text.as_string()))
        .unwrap_or_else(|| "unknown error".to_string())
}

/// Aborts the fetch when the timeout passes or when the request's future is dropped (the caller lost
/// interest), and remembers which of the two happened.
struct AbortGuard {
    controller: AbortController,
    timer: JsValue,
    timed_out: Rc<Cell<bool>>,
    _on_timeout: Closure<dyn FnMut()>,
    armed: bool,
}

impl AbortGuard {
    fn arm(controller: AbortController, timeout: Duration) -> Self {
        let timed_out = Rc::new(Cell::new(false));
        let flag = timed_out.clone();
        let aborter = controller.clone();
        let on_timeout = Closure::<dyn FnMut()>::new(move || {
            flag.set(true);
            aborter.abort();
        });
        let millis = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
        let timer = set_timeout(on_timeout.as_ref().unchecked_ref(), millis);
        AbortGuard { controller, timer, timed_out, _on_timeout: on_timeout, armed: true }
    }

    fn timed_out(&self) -> bool {
        self.timed_out.get()
    }

    /// The exchange completed: no abort.
    fn disarm(mut self) {
        clear_timeout(&self.timer);
        self.armed = false;
    }
}

impl Drop for AbortGuard {
    fn drop(&mut self) {
        if self.armed {
            clear_timeout(&self.timer);
            self.controller.abort();
        }
    }
}

/// The JavaScript event loop as the client's runtime.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsRuntime;

impl Runtime for JsRuntime {
    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        let millis = i32::try_from(duration.as_millis()).unwrap_or(i32::MAX);
        let promise = Promise::new(&mut |resolve, _reject| {
            set_timeout(&resolve, millis);
        });
        Box::pin(async move {
            let _ = JsFuture::from(promise).await;
        })
    }

    fn spawn(&self, future: LocalBoxFuture<'static, ()>) {
        wasm_bindgen_futures::spawn_local(future);
    }
}
