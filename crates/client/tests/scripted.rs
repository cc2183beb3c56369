//! Session rules the simulator does not exercise (bearer tokens, answers lost in transit), over a scripted
//! transport that answers from a closure and records what was sent.
// Native only: the simulator and tokio do not run in wasm (fetch_transport.rs covers wasm).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use common::run_local;
use vmbackup_client::native::TokioRuntime;
use vmbackup_client::{Client, ClientOptions, LocalBoxFuture, NoAnswer, Session, TokenProvider, Transport};
use vmbackup_core::domain::{BackupType, Ref};
use vmbackup_core::http::{HttpRequest, HttpResponse};
use vmbackup_core::storware::schedules::DeleteSchedule;
use vmbackup_core::storware::tasks::ExportVms;
use vmbackup_core::storware::vms::ListVms;
use vmbackup_core::{ApiError, ErrorKind};

type Answer = Box<dyn Fn(&HttpRequest, usize) -> Result<HttpResponse, NoAnswer>>;

/// Answers each request with `answer(request, index)` and keeps every request sent.
struct ScriptedTransport {
    answer: Answer,
    sent: RefCell<Vec<HttpRequest>>,
}

impl Transport for ScriptedTransport {
    fn send<'a>(
        &'a self,
        _url: String,
        request: &'a HttpRequest,
        _timeout: Duration,
    ) -> LocalBoxFuture<'a, Result<HttpResponse, NoAnswer>> {
        let index = self.sent.borrow().len();
        self.sent.borrow_mut().push(request.clone());
        let answer = (self.answer)(request, index);
        Box::pin(async move { answer })
    }
}

fn scripted(answer: impl Fn(&HttpRequest, usize) -> Result<HttpResponse, NoAnswer> + 'static) -> Rc<ScriptedTransport> {
    Rc::new(ScriptedTransport { answer: Box::new(answer), sent: RefCell::new(Vec::new()) })
}

fn client_of(session: Session, transport: Rc<ScriptedTransport>) -> Client {
    Client::new(ClientOptions::new("https://backup.example/api", session), transport, Rc::new(TokioRuntime))
}

fn ok_list() -> HttpResponse {
    HttpResponse::new(200, br#"[{"guid":"vm-1","name":"web-01"}]"#.to_vec()).with_header("X-Total-Count", "1")
}

fn unauthorized() -> HttpResponse {
    HttpResponse::new(401, br#"{"error":{"message":"Unauthorized"}}"#.to_vec())
}

fn bearer(request: &HttpRequest) -> Option<String> {
    request.headers.iter().find(|(name, _)| name == "Authorization").map(|(_, value)| value.clone())
}

/// A token provider handing out `token-1`, `token-2`, … and counting calls.
fn counting_tokens() -> (TokenProvider, Rc<Cell<u32>>) {
    let calls = Rc::new(Cell::new(0));
    let counter = calls.clone();
    let provider: TokenProvider = Rc::new(move || {
        counter.set(counter.get() + 1);
        let token = format!("token-{}", counter.get());
        Box::pin(async move { Ok::<_, ApiError>(token) })
    });
    (provider, calls)
}

#[test]
fn token_mode_sends_the_token_and_refreshes_it_once_on_401() {
    run_local(async {
        let transport = scripted(|request, _| {
            Ok(if bearer(request).as_deref() == Some("Bearer token-2") { ok_list() } else { unauthorized() })
        });
        let (provider, calls) = counting_tokens();
        let client = client_of(Session::Token(provider), transport.clone());
        let page = client.call(&ListVms::page(0, 20)).await.unwrap();
        assert_eq!(page.items[0].name, "web-01");
        assert_eq!(calls.get(), 2);
        let tokens: Vec<Option<String>> = transport.sent.borrow().iter().map(bearer).collect();
        assert_eq!(tokens, [Some("Bearer token-1".into()), Some("Bearer token-2".into())]);
        client.call(&ListVms::page(0, 20)).await.unwrap();
        assert_eq!(calls.get(), 2, "a good token is reused");
    });
}

#[test]
fn token_mode_gives_up_after_one_refresh_and_pauses() {
    run_local(async {
        let transport = scripted(|_, _| Ok(unauthorized()));
        let (provider, calls) = counting_tokens();
        let client = client_of(Session::Token(provider), transport.clone());
        let expiries = Rc::new(Cell::new(0));
        let counter = expiries.clone();
        client.on_session_expired(move || counter.set(counter.get() + 1)).keep();
        let error = client.call(&ListVms::page(0, 20)).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Unauthorized);
        assert_eq!((transport.sent.borrow().len(), calls.get(), expiries.get()), (2, 2, 1));
        client.call(&ListVms::page(0, 20)).await.unwrap_err();
        assert_eq!(transport.sent.borrow().len(), 2, "paused: nothing sent");
    });
}

#[test]
fn a_failing_token_provider_is_a_session_expiry_not_a_crash() {
    run_local(async {
        let transport = scripted(|_, _| Ok(ok_list()));
        let provider: TokenProvider =
            Rc::new(|| Box::pin(async { Err(ApiError::new(ErrorKind::Network, "token service down")) }));
        let client = client_of(Session::Token(provider), transport.clone());
        let error = client.call(&ListVms::page(0, 20)).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Unauthorized);
        assert!(error.detail.as_deref().unwrap_or_default().contains("token service down"), "{error:?}");
        assert!(transport.sent.borrow().is_empty());
    });
}

#[test]
fn a_read_without_an_answer_is_retried_once_and_then_reported() {
    run_local(async {
        let transport = scripted(|_, index| if index == 0 { Err(NoAnswer::network("reset")) } else { Ok(ok_list()) });
        let client = client_of(Session::HostCookie, transport.clone());
        assert_eq!(client.call(&ListVms::page(0, 20)).await.unwrap().items.len(), 1);
        assert_eq!(transport.sent.borrow().len(), 2);

        let transport = scripted(|_, _| Err(NoAnswer::timeout(Duration::from_secs(30))));
        let client = client_of(Session::HostCookie, transport.clone());
        let error = client.call(&ListVms::page(0, 20)).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Timeout);
        assert_eq!(transport.sent.borrow().len(), 2, "one retry, no more");
    });
}

#[test]
fn a_submission_answered_by_a_gateway_error_is_unconfirmed_and_never_resent() {
    run_local(async {
        let transport = scripted(|request, _| {
            Ok(match request.path.as_str() {
                "/tasks/export" => HttpResponse::new(502, b"<html><title>502 Bad Gateway</title></html>".to_vec()),
                _ => HttpResponse::new(200, b"[]".to_vec()),
            })
        });
        let client = client_of(Session::HostCookie, transport.clone());
        let export = ExportVms::new(vec![Ref::id("vm-1")], vec![Ref::id("rule-1")], BackupType::Full, 1_000);
        let error = client.export_vms(&export).await.unwrap_err();
        assert_eq!((error.kind, error.status), (ErrorKind::Unconfirmed, Some(502)));
        let paths: Vec<String> = transport.sent.borrow().iter().map(|r| r.path.clone()).collect();
        assert_eq!(paths, ["/tasks/export", "/tasks"], "sent once, then the task list is checked");
    });
}

#[test]
fn a_delete_without_an_answer_is_retried_once_because_repeating_it_is_harmless() {
    run_local(async {
        let transport =
            scripted(
                |_, index| {
                    if index == 0 {
                        Err(NoAnswer::network("reset"))
                    } else {
                        Ok(HttpResponse::new(204, Vec::new()))
                    }
                },
            );
        let client = client_of(Session::HostCookie, transport.clone());
        client.call(&DeleteSchedule::new("s-1")).await.unwrap();
        assert_eq!(transport.sent.borrow().len(), 2);
    });
}

#[test]
fn the_project_scope_reaches_every_call_but_the_login() {
    run_local(async {
        let transport = scripted(|request, _| {
            Ok(if request.path == "/session/login" { HttpResponse::new(200, b"{}".to_vec()) } else { ok_list() })
        });
        let options =
            ClientOptions::new("https://backup.example/api", common::admin_session()).project(Some("p-1".into()));
        let client = Client::new(options, transport.clone(), Rc::new(TokioRuntime));
        client.login().await.unwrap();
        client.call(&ListVms::page(0, 20)).await.unwrap();
        let sent = transport.sent.borrow();
        assert_eq!(sent[0].query_value("project-uuid"), None);
        assert_eq!(sent[1].query_value("project-uuid"), Some("p-1"));
    });
}
