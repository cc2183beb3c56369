//! The session rules: re-login once, replay once, never loop, never resend a submission of unknown fate.

use vmbackup_core::http::{HttpRequest, HttpResponse, Purpose};
use vmbackup_core::session::{next_step, with_bearer, Next, Outcome, SessionMode};
use vmbackup_core::ErrorKind;

const MODES: [SessionMode; 3] = [SessionMode::HostCookie, SessionMode::Login, SessionMode::Token];

fn requests() -> Vec<HttpRequest> {
    vec![
        HttpRequest::get("/virtual-machines"),
        HttpRequest::put("/schedules/s1"),
        HttpRequest::delete("/tasks/t1"),
        HttpRequest::post("/tasks/export"),
        HttpRequest::post("/policies/vm-backup/list-by-entities").purpose(Purpose::Query),
    ]
}

fn answered(status: u16) -> HttpResponse {
    HttpResponse::new(status, Vec::new())
}

#[test]
fn successes_and_ordinary_errors_are_delivered() {
    for mode in MODES {
        for req in requests() {
            for status in [200, 201, 204, 400, 403, 404, 409, 500, 503] {
                assert_eq!(next_step(mode, &req, Outcome::Answered(&answered(status)), false), Next::Deliver);
            }
        }
    }
}

#[test]
fn first_401_relogins_or_refreshes_then_replays_even_a_post() {
    let resp = answered(401);
    for req in requests() {
        assert_eq!(next_step(SessionMode::Login, &req, Outcome::Answered(&resp), false), Next::ReloginAndReplay);
        assert_eq!(next_step(SessionMode::Token, &req, Outcome::Answered(&resp), false), Next::RefreshTokenAndReplay);
    }
}

#[test]
fn host_cookie_mode_never_relogins() {
    for req in requests() {
        assert_eq!(
            next_step(SessionMode::HostCookie, &req, Outcome::Answered(&answered(401)), false),
            Next::SessionExpired
        );
    }
}

#[test]
fn a_second_401_is_an_expired_session_not_a_loop() {
    for mode in MODES {
        for req in requests() {
            assert_eq!(next_step(mode, &req, Outcome::Answered(&answered(401)), true), Next::SessionExpired);
        }
    }
}

#[test]
fn a_401_to_the_login_itself_is_delivered_as_wrong_credentials() {
    let login = HttpRequest::post("/session/login").purpose(Purpose::Login);
    for mode in MODES {
        for replayed in [false, true] {
            assert_eq!(next_step(mode, &login, Outcome::Answered(&answered(401)), replayed), Next::Deliver);
        }
    }
}

#[test]
fn a_submission_without_an_answer_is_never_resent() {
    let export = HttpRequest::post("/tasks/export");
    for mode in MODES {
        for kind in [ErrorKind::Network, ErrorKind::Timeout] {
            for replayed in [false, true] {
                assert_eq!(next_step(mode, &export, Outcome::NoAnswer(kind), replayed), Next::OutcomeUnknown);
            }
        }
        // A gateway error may hide a request that reached the server.
        for status in [502, 504] {
            assert_eq!(next_step(mode, &export, Outcome::Answered(&answered(status)), false), Next::OutcomeUnknown);
        }
        // 503 means the request was refused, so its outcome is known.
        assert_eq!(next_step(mode, &export, Outcome::Answered(&answered(503)), false), Next::Deliver);
    }
}

#[test]
fn safe_requests_without_an_answer_are_retried_once() {
    for mode in MODES {
        for req in requests().into_iter().filter(|r| r.purpose.is_replay_safe()) {
            assert_eq!(next_step(mode, &req, Outcome::NoAnswer(ErrorKind::Network), false), Next::RetryOnce);
            assert_eq!(next_step(mode, &req, Outcome::NoAnswer(ErrorKind::Timeout), true), Next::Fail);
            assert_eq!(next_step(mode, &req, Outcome::Answered(&answered(502)), false), Next::Deliver);
        }
    }
}

#[test]
fn bearer_header_is_added() {
    let req = with_bearer(HttpRequest::get("/x"), "abc");
    assert_eq!(req.headers, vec![("Authorization".to_string(), "Bearer abc".to_string())]);
}
