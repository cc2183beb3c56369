//! The client against the simulator over the native transport: session modes, replay rules and lost
//! submissions.
// Native only: the simulator and tokio do not run in wasm (fetch_transport.rs covers wasm).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use common::*;
use vmbackup_client::native::NativeTransport;
use vmbackup_client::{LocalBoxFuture, NoAnswer, Session, Transport};
use vmbackup_core::domain::{BackupType, Ref, Task, TaskState, TaskType};
use vmbackup_core::http::{HttpRequest, HttpResponse};
use vmbackup_core::storware::backups::ListBackupLocations;
use vmbackup_core::storware::session::Login;
use vmbackup_core::storware::tasks::{ExportVms, ListTasks, RestoreAndImport, RestoreTarget, CLOCK_SKEW_ALLOWANCE_MS};
use vmbackup_core::storware::vms::ListVms;
use vmbackup_core::ErrorKind;

#[test]
fn login_mode_logs_in_again_once_and_replays_when_the_session_expires() {
    let sim = simulator(1.0);
    run_local(async {
        let client = admin_client(&sim);
        client.login().await.unwrap();
        let expired = Rc::new(Cell::new(0));
        let counter = expired.clone();
        client.on_session_expired(move || counter.set(counter.get() + 1)).keep();
        expire_sessions(&sim).await;
        clear_counts(&sim).await;
        let page = client.call(&ListVms::page(0, 5)).await.unwrap();
        assert_eq!(page.items.len(), 5);
        assert_eq!(served(&sim, "POST /api/session/login").await, 1);
        assert_eq!(served(&sim, "GET /api/virtual-machines").await, 2, "the list is replayed exactly once");
        assert_eq!(expired.get(), 0, "a successful re-login is not an expiry");
    });
}

#[test]
fn requests_meeting_an_expired_session_together_share_one_login() {
    let sim = simulator(1.0);
    run_local(async {
        let client = admin_client(&sim);
        client.login().await.unwrap();
        expire_sessions(&sim).await;
        clear_counts(&sim).await;
        let lists: Vec<_> = (0..5)
            .map(|i| {
                let client = client.clone();
                tokio::task::spawn_local(async move { client.call(&ListVms::page(i, 3)).await })
            })
            .collect();
        for list in lists {
            assert_eq!(list.await.unwrap().unwrap().items.len(), 3);
        }
        assert_eq!(served(&sim, "POST /api/session/login").await, 1);
    });
}

#[test]
fn wrong_credentials_are_reported_as_such() {
    let sim = simulator(1.0);
    run_local(async {
        let session = Session::Login { username: "admin".into(), password: "wrong".into() };
        let client = client_over(&sim, session, Rc::new(NativeTransport::new()));
        let error = client.login().await.unwrap_err();
        assert_eq!((error.kind, error.status), (ErrorKind::Unauthorized, Some(401)));
        assert_eq!(error.message, "Invalid login or password", "the server's own words");
    });
}

#[test]
fn a_failed_relogin_pauses_the_client_tells_once_and_sends_nothing_until_a_login() {
    let sim = simulator(1.0);
    run_local(async {
        // The password is revoked on the server's side after the first login.
        let revoked = Rc::new(Cell::new(false));
        let flag = revoked.clone();
        let transport = InterceptingTransport::new(move |request| {
            if request.path == "/session/login" && flag.get() {
                let body = br#"{"error":{"message":"Invalid login or password"}}"#.to_vec();
                Intercept::Answer(HttpResponse::new(401, body).with_header("Content-Type", "application/json"))
            } else {
                Intercept::Pass
            }
        });
        let client = client_over(&sim, admin_session(), transport.clone());
        client.login().await.unwrap();
        let expired = Rc::new(Cell::new(0));
        let counter = expired.clone();
        client.on_session_expired(move || counter.set(counter.get() + 1)).keep();
        revoked.set(true);
        expire_sessions(&sim).await;
        clear_counts(&sim).await;
        let error = client.call(&ListVms::page(0, 5)).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Unauthorized);
        assert!(client.session_expired());
        for _ in 0..3 {
            assert_eq!(client.call(&ListVms::page(0, 5)).await.unwrap_err().kind, ErrorKind::Unauthorized);
        }
        assert_eq!(served(&sim, "GET /api/virtual-machines").await, 1, "one 401, then nothing is sent");
        assert_eq!(transport.intercepted.get(), 1, "one re-login attempt, no loop");
        assert_eq!(expired.get(), 1, "one expiry, told once");
        revoked.set(false);
        client.login().await.unwrap();
        assert!(!client.session_expired());
        assert_eq!(client.call(&ListVms::page(0, 5)).await.unwrap().items.len(), 5);
    });
}

#[test]
fn host_cookie_mode_tells_the_host_once_pauses_and_resumes_when_told() {
    let sim = simulator(1.0);
    run_local(async {
        let client = client_over(&sim, Session::HostCookie, Rc::new(NativeTransport::new()));
        // The host's own login puts the session cookie where the client's requests carry it.
        client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
        assert_eq!(client.call(&ListVms::page(0, 2)).await.unwrap().items.len(), 2);
        let expired = Rc::new(Cell::new(0));
        let counter = expired.clone();
        client.on_session_expired(move || counter.set(counter.get() + 1)).keep();
        expire_sessions(&sim).await;
        clear_counts(&sim).await;
        let error = client.call(&ListVms::page(0, 2)).await.unwrap_err();
        assert_eq!((error.kind, error.status), (ErrorKind::Unauthorized, Some(401)));
        assert_eq!(client.call(&ListVms::page(0, 2)).await.unwrap_err().kind, ErrorKind::Unauthorized);
        assert_eq!(served(&sim, "GET /api/virtual-machines").await, 1, "one 401, then paused");
        assert_eq!(served(&sim, "POST /api/session/login").await, 0, "the client never logs in for the host");
        assert_eq!(expired.get(), 1);
        client.call(&Login::new("admin", "vPr0tect")).await.unwrap();
        client.resume();
        assert_eq!(client.call(&ListVms::page(0, 2)).await.unwrap().items.len(), 2);
    });
}

/// What [`InterceptingTransport`] does with a request its rule picks.
#[derive(Clone)]
enum Intercept {
    /// Send it normally.
    Pass,
    /// Send it, then lose the answer (a dropped connection after the server acted).
    LoseAnswer,
    /// Never send it (the server never saw it).
    Drop,
    /// Answer in the server's place.
    Answer(HttpResponse),
    /// Send it this many times, as a browser resends a request whose reused connection closed without a reply,
    /// then lose the answer.
    ResendThenLoseAnswer(u32),
    /// Send it this many times, losing every answer but the last, as when a browser's resend is answered.
    ResendThenAnswer(u32),
}

/// Passes requests to the simulator except where its rule says otherwise, counting the requests it touched.
struct InterceptingTransport {
    inner: NativeTransport,
    rule: Box<dyn Fn(&HttpRequest) -> Intercept>,
    intercepted: Cell<u32>,
}

impl InterceptingTransport {
    fn new(rule: impl Fn(&HttpRequest) -> Intercept + 'static) -> Rc<Self> {
        Rc::new(InterceptingTransport {
            inner: NativeTransport::new(),
            rule: Box::new(rule),
            intercepted: Cell::new(0),
        })
    }
}

impl Transport for InterceptingTransport {
    fn send<'a>(
        &'a self,
        url: String,
        request: &'a HttpRequest,
        timeout: Duration,
    ) -> LocalBoxFuture<'a, Result<HttpResponse, NoAnswer>> {
        Box::pin(async move {
            let intercept = (self.rule)(request);
            if !matches!(intercept, Intercept::Pass) {
                self.intercepted.set(self.intercepted.get() + 1);
            }
            match intercept {
                Intercept::Pass => self.inner.send(url, request, timeout).await,
                Intercept::LoseAnswer => {
                    let _ = self.inner.send(url, request, timeout).await;
                    Err(NoAnswer::network("connection reset by peer"))
                }
                Intercept::Drop => Err(NoAnswer::network("connection refused")),
                Intercept::Answer(response) => Ok(response),
                Intercept::ResendThenLoseAnswer(times) => {
                    for _ in 0..times {
                        let _ = self.inner.send(url.clone(), request, timeout).await;
                    }
                    Err(NoAnswer::network("empty response"))
                }
                Intercept::ResendThenAnswer(times) => {
                    for _ in 1..times {
                        let _ = self.inner.send(url.clone(), request, timeout).await;
                    }
                    self.inner.send(url, request, timeout).await
                }
            }
        })
    }
}

fn lossy(deliver: bool) -> Rc<InterceptingTransport> {
    InterceptingTransport::new(move |request| match request.path.as_str() {
        "/tasks/export" if deliver => Intercept::LoseAnswer,
        "/tasks/export" => Intercept::Drop,
        _ => Intercept::Pass,
    })
}

#[test]
fn a_backup_whose_answer_is_lost_is_not_resent_and_its_tasks_are_found() {
    let sim = simulator(30.0);
    run_local(async {
        let transport = lossy(true);
        let client = client_over(&sim, admin_session(), transport.clone());
        client.login().await.unwrap();
        let (vm, rules) = backupable_vm(&client).await;
        let export = ExportVms::new(vec![vm.clone()], rules, BackupType::Full, client.now_ms());
        let result = client.export_vms(&export).await.unwrap();
        assert_eq!(transport.intercepted.get(), 1, "the export is sent exactly once");
        assert!(result.recovered);
        assert_eq!(result.tasks.len(), 1);
        assert_eq!(result.tasks[0].vm.as_ref().map(|v| v.id.as_str()), Some(vm.id.as_str()));
    });
}

#[test]
fn a_backup_that_never_reached_the_server_is_reported_unconfirmed_and_not_resent() {
    let sim = simulator(30.0);
    run_local(async {
        let transport = lossy(false);
        let client = client_over(&sim, admin_session(), transport.clone());
        client.login().await.unwrap();
        let (vm, rules) = backupable_vm(&client).await;
        let export = ExportVms::new(vec![vm], rules, BackupType::Full, client.now_ms());
        let error = client.export_vms(&export).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Unconfirmed);
        assert!(error.message.contains("check the task list"), "{}", error.message);
        assert_eq!(transport.intercepted.get(), 1);
    });
}

/// The states of the VM's export tasks at the server, in listing order.
async fn export_states(client: &vmbackup_client::Client, vm: &Ref) -> Vec<TaskState> {
    let listed = client.call(&ListTasks::for_vm(vm.id.clone()).of_type(TaskType::Export)).await.unwrap();
    listed.items.into_iter().map(|t| t.state).collect()
}

#[test]
fn a_backup_the_transport_resent_keeps_one_task_and_cancels_the_copies() {
    let sim = simulator(60.0);
    run_local(async {
        let transport = InterceptingTransport::new(|request| match request.path.as_str() {
            "/tasks/export" => Intercept::ResendThenLoseAnswer(3),
            _ => Intercept::Pass,
        });
        let client = client_over(&sim, admin_session(), transport.clone());
        client.login().await.unwrap();
        let (vm, rules) = backupable_vm(&client).await;
        let export = ExportVms::new(vec![vm.clone()], rules, BackupType::Full, client.now_ms());
        let result = client.export_vms(&export).await.unwrap();
        assert!(result.recovered);
        assert_eq!(result.tasks.len(), 1, "one task to track");
        assert_eq!(result.cancelled_copies.len(), 2, "the two copies are cancelled");
        let states = export_states(&client, &vm).await;
        assert_eq!(states.iter().filter(|s| **s == TaskState::Cancelled).count(), 2, "{states:?}");
        assert_eq!(states.iter().filter(|s| !s.is_terminal()).count(), 1, "one backup goes on: {states:?}");
    });
}

/// Two present VMs under the same policy, and that policy's rules.
async fn two_backupable_vms(client: &vmbackup_client::Client) -> (Vec<Ref>, Vec<Ref>) {
    let (first, rules) = backupable_vm(client).await;
    let vms = client.call(&ListVms::page(0, 100)).await.unwrap().items;
    let policy_of = |id: &str| vms.iter().find(|vm| vm.id == id).and_then(|vm| vm.protection.policy.clone());
    let second = vms
        .iter()
        .find(|vm| vm.id != first.id && vm.protection.present && vm.protection.policy == policy_of(&first.id))
        .expect("the simulator has two present VMs under one policy");
    (vec![first, Ref::named(second.id.clone(), second.name.clone())], rules)
}

#[test]
fn a_backup_whose_resend_was_answered_keeps_one_task_per_vm_and_cancels_the_copies() {
    let sim = simulator(60.0);
    run_local(async {
        let look_ups = Rc::new(Cell::new(0));
        let counted = look_ups.clone();
        let transport = InterceptingTransport::new(move |request| match request.path.as_str() {
            "/tasks/export" => Intercept::ResendThenAnswer(3),
            "/tasks" => {
                counted.set(counted.get() + 1);
                Intercept::Pass
            }
            _ => Intercept::Pass,
        });
        let client = client_over(&sim, admin_session(), transport.clone());
        client.login().await.unwrap();
        let (vms, rules) = two_backupable_vms(&client).await;
        let export = ExportVms::new(vms.clone(), rules, BackupType::Full, client.now_ms());
        look_ups.set(0);
        let result = client.export_vms(&export).await.unwrap();
        assert!(!result.recovered, "the answer came");
        assert_eq!(look_ups.get(), vms.len(), "each VM's tasks are read once");
        assert_eq!(result.tasks.len(), 2, "one task per VM to track: {:?}", result.tasks);
        assert_eq!(result.cancelled_copies.len(), 4, "two copies of each VM's backup are cancelled");
        for vm in &vms {
            let states = export_states(&client, vm).await;
            assert_eq!(states.iter().filter(|s| **s == TaskState::Cancelled).count(), 2, "{states:?}");
            assert_eq!(states.iter().filter(|s| !s.is_terminal()).count(), 1, "one backup goes on: {states:?}");
            let tracked: Vec<&str> = result
                .tasks
                .iter()
                .filter(|t| t.vm.as_ref().map(|v| &v.id) == Some(&vm.id))
                .map(|t| t.id.as_str())
                .collect();
            assert_eq!(tracked.len(), 1, "{tracked:?}");
        }
    });
}

#[test]
fn an_answered_backup_without_copies_costs_one_look_up_and_cancels_nothing() {
    let sim = simulator(60.0);
    run_local(async {
        let look_ups = Rc::new(Cell::new(0));
        let counted = look_ups.clone();
        let transport = InterceptingTransport::new(move |request| {
            if request.path == "/tasks" {
                counted.set(counted.get() + 1);
            }
            Intercept::Pass
        });
        let client = client_over(&sim, admin_session(), transport);
        client.login().await.unwrap();
        let (vms, rules) = two_backupable_vms(&client).await;
        // An earlier backup of the same VMs (another submission) is never taken for a copy.
        let earlier = ExportVms::new(vms.clone(), rules.clone(), BackupType::Full, client.now_ms() - 1_000);
        client.export_vms(&earlier).await.unwrap();
        look_ups.set(0);
        let export = ExportVms::new(vms.clone(), rules, BackupType::Full, client.now_ms());
        let result = client.export_vms(&export).await.unwrap();
        assert_eq!(look_ups.get(), 1, "one GET /tasks for the first VM");
        assert_eq!(result.tasks.len(), 2);
        assert!(result.cancelled_copies.is_empty());
        for vm in &vms {
            let states = export_states(&client, vm).await;
            assert_eq!(states.iter().filter(|s| !s.is_terminal()).count(), 2, "both backups go on: {states:?}");
        }
    });
}

/// A transport behind a proxy that fails from the first request to `submission` on, reads included: that
/// request reaches the server twice (a browser's resend) and its answer is lost; every later request is dropped
/// until the returned flag is cleared.
fn failing_from(submission: &'static str) -> (Rc<Cell<bool>>, Rc<InterceptingTransport>) {
    let server_down = Rc::new(Cell::new(false));
    let down = server_down.clone();
    let transport = InterceptingTransport::new(move |request| match request.path.as_str() {
        path if path == submission => {
            down.set(true);
            Intercept::ResendThenLoseAnswer(2)
        }
        _ if down.get() => Intercept::Drop,
        _ => Intercept::Pass,
    });
    (server_down, transport)
}

#[test]
fn a_lost_backup_that_could_not_be_checked_is_confirmed_once_the_server_answers_again() {
    let sim = simulator(60.0);
    run_local(async {
        let (server_down, transport) = failing_from("/tasks/export");
        let client = client_over(&sim, admin_session(), transport);
        client.login().await.unwrap();
        let (vm, rules) = backupable_vm(&client).await;
        let export = ExportVms::new(vec![vm.clone()], rules, BackupType::Full, client.now_ms());
        let error = client.export_vms(&export).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Unconfirmed);
        assert!(error.message.contains("could not be read to check"), "{}", error.message);
        let still_down = client.confirm_export(&export).await.unwrap_err();
        assert_ne!(still_down.kind, ErrorKind::Unconfirmed, "not being able to look is not 'none found'");

        server_down.set(false);
        let confirmed = client.confirm_export(&export).await.unwrap();
        assert_eq!((confirmed.tasks.len(), confirmed.cancelled_copies.len()), (1, 1));
        assert_eq!(export_states(&client, &vm).await.iter().filter(|s| !s.is_terminal()).count(), 1);
        let again = client.confirm_export(&export).await.unwrap();
        assert_eq!((again.tasks.len(), again.cancelled_copies.len()), (1, 0), "asking again cancels nothing more");
        assert_eq!(again.tasks[0].id, confirmed.tasks[0].id);
    });
}

/// A restore of a present backup copy of some VM, into that VM's own hypervisor manager, under a new name.
async fn restorable(client: &vmbackup_client::Client) -> RestoreAndImport {
    for vm in client.call(&ListVms::page(0, 50)).await.unwrap().items {
        let Some(manager) = vm.hypervisor_manager.clone() else { continue };
        let locations = client.call(&ListBackupLocations::present(vm.id.clone())).await.unwrap().items;
        if let Some(location) = locations.into_iter().find(|l| l.backup.is_some()) {
            return RestoreAndImport::new(location, RestoreTarget::HypervisorManager(manager))
                .with_new_name(format!("{}-restored", vm.name));
        }
    }
    panic!("no VM with a present backup copy and a hypervisor manager in the first 50");
}

#[test]
fn a_restore_whose_answer_is_lost_is_not_resent_and_its_task_is_found() {
    let sim = simulator(60.0);
    run_local(async {
        let transport = InterceptingTransport::new(|request| match request.path.as_str() {
            "/tasks/restore-and-import" => Intercept::LoseAnswer,
            _ => Intercept::Pass,
        });
        let client = client_over(&sim, admin_session(), transport.clone());
        client.login().await.unwrap();
        let restore = restorable(&client).await;
        let result = client.restore(&restore).await.unwrap();
        assert_eq!(transport.intercepted.get(), 1, "the restore is sent exactly once");
        assert!(result.recovered);
        assert_eq!(result.tasks.len(), 1);
        assert_eq!(result.tasks[0].kind, TaskType::Restore);
        assert_eq!(result.tasks[0].backup.as_ref().map(|b| &b.id), restore.location.backup.as_ref().map(|b| &b.id));
    });
}

#[test]
fn a_restore_that_never_reached_the_server_is_reported_unconfirmed_and_not_resent() {
    let sim = simulator(60.0);
    run_local(async {
        let transport = InterceptingTransport::new(|request| match request.path.as_str() {
            "/tasks/restore-and-import" => Intercept::Drop,
            _ => Intercept::Pass,
        });
        let client = client_over(&sim, admin_session(), transport.clone());
        client.login().await.unwrap();
        let restore = restorable(&client).await;
        let error = client.restore(&restore).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Unconfirmed);
        assert_eq!(transport.intercepted.get(), 1);
    });
}

/// The restore's RESTORE tasks at the server that have not ended, and the states of all of them.
async fn restore_tasks_going(
    client: &vmbackup_client::Client,
    restore: &RestoreAndImport,
) -> (Vec<Task>, Vec<TaskState>) {
    let listed = client.call(&restore.possible_tasks().unwrap()).await.unwrap().items;
    let states = listed.iter().map(|t| t.state.clone()).collect();
    (listed.into_iter().filter(|t| !t.state.is_terminal()).collect(), states)
}

/// A logged-in client whose transport sends every restore as `intercept` says and refuses task cancels when
/// `refuse_cancels`, and a restore of a present backup for it.
async fn restoring_client(
    sim: &vmbackup_sim::RunningSimulator,
    intercept: Intercept,
    refuse_cancels: bool,
) -> (vmbackup_client::Client, Rc<InterceptingTransport>, RestoreAndImport) {
    let transport = InterceptingTransport::new(move |request| match request.path.as_str() {
        "/tasks/restore-and-import" => intercept.clone(),
        path if refuse_cancels && path.starts_with("/tasks/") && path.ends_with("/state") => {
            let body = br#"{"error":{"message":"Task cannot be cancelled now"}}"#.to_vec();
            Intercept::Answer(HttpResponse::new(409, body).with_header("Content-Type", "application/json"))
        }
        _ => Intercept::Pass,
    });
    let client = client_over(sim, admin_session(), transport.clone());
    client.login().await.unwrap();
    let restore = restorable(&client).await;
    (client, transport, restore)
}

#[test]
fn a_restore_the_transport_resent_keeps_one_task_and_cancels_the_copies() {
    let sim = simulator(60.0);
    run_local(async {
        let (client, transport, restore) = restoring_client(&sim, Intercept::ResendThenLoseAnswer(3), false).await;
        clear_counts(&sim).await;
        let result = client.restore(&restore).await.unwrap();
        assert!(result.recovered);
        assert_eq!(result.tasks.len(), 1, "one restore to follow");
        assert_eq!(result.cancelled_copies.len(), 2, "the two copies are cancelled");
        let (going, states) = restore_tasks_going(&client, &restore).await;
        assert_eq!(states.iter().filter(|s| **s == TaskState::Cancelled).count(), 2, "{states:?}");
        assert_eq!(going.len(), 1, "one restore goes on: {states:?}");
        assert_eq!(going[0].id, result.tasks[0].id, "the one followed is the one left running");
        assert_eq!(transport.intercepted.get(), 1, "the client sent the restore once");
        assert_eq!(served(&sim, "POST /api/tasks/restore-and-import").await, 3, "nothing resubmitted");
    });
}

#[test]
fn an_answered_restore_whose_resend_made_copies_cancels_them() {
    let sim = simulator(60.0);
    run_local(async {
        let (client, _, restore) = restoring_client(&sim, Intercept::ResendThenAnswer(3), false).await;
        let result = client.restore(&restore).await.unwrap();
        assert!(!result.recovered, "the answer came");
        assert_eq!((result.tasks.len(), result.cancelled_copies.len()), (1, 2));
        let (going, states) = restore_tasks_going(&client, &restore).await;
        assert_eq!(going.len(), 1, "one restore goes on: {states:?}");
        assert_eq!(going[0].id, result.tasks[0].id);
    });
}

#[test]
fn an_answered_restore_without_copies_is_left_as_answered() {
    let sim = simulator(60.0);
    run_local(async {
        let (client, _, restore) = restoring_client(&sim, Intercept::Pass, false).await;
        // An earlier restore of the same backup (another tab, a colleague) is not a copy of this one.
        let earlier = client.restore(&restore).await.unwrap();
        tokio::time::sleep(Duration::from_millis(1_200)).await;
        let result = client.restore(&restore).await.unwrap();
        assert!(!result.recovered);
        assert_eq!((result.tasks.len(), result.cancelled_copies.len()), (1, 0));
        assert_ne!(result.tasks[0].id, earlier.tasks[0].id);
        let (going, states) = restore_tasks_going(&client, &restore).await;
        assert_eq!(going.len(), 2, "{states:?}");
    });
}

#[test]
fn restore_copies_that_cannot_be_cancelled_stay_among_the_tasks() {
    let sim = simulator(60.0);
    run_local(async {
        let (client, _, restore) = restoring_client(&sim, Intercept::ResendThenLoseAnswer(3), true).await;
        let result = client.restore(&restore).await.unwrap();
        assert!(result.recovered);
        assert_eq!((result.tasks.len(), result.cancelled_copies.len()), (3, 0), "the user sees all three");
        let (going, states) = restore_tasks_going(&client, &restore).await;
        assert_eq!(going.len(), 3, "{states:?}");
    });
}

#[test]
fn a_lost_restore_that_could_not_be_checked_is_confirmed_once_the_server_answers_again() {
    let sim = simulator(60.0);
    run_local(async {
        let (server_down, transport) = failing_from("/tasks/restore-and-import");
        let client = client_over(&sim, admin_session(), transport);
        client.login().await.unwrap();
        let restore = restorable(&client).await;
        let submitted_at = client.now_ms();
        let error = client.restore(&restore).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Unconfirmed);
        assert!(error.message.contains("could not be read to check"), "{}", error.message);
        let still_down = client.confirm_restore(&restore, submitted_at).await.unwrap_err();
        assert_ne!(still_down.kind, ErrorKind::Unconfirmed, "not being able to look is not 'none found'");

        server_down.set(false);
        let confirmed = client.confirm_restore(&restore, submitted_at).await.unwrap();
        assert!(confirmed.recovered);
        assert_eq!((confirmed.tasks.len(), confirmed.cancelled_copies.len()), (1, 1));
        let (going, states) = restore_tasks_going(&client, &restore).await;
        assert_eq!(going.len(), 1, "{states:?}");
        let again = client.confirm_restore(&restore, submitted_at).await.unwrap();
        assert_eq!((again.tasks.len(), again.cancelled_copies.len()), (1, 0), "asking again cancels nothing more");
        assert_eq!(again.tasks[0].id, confirmed.tasks[0].id);

        // A restore that never reached the server: found to be none, said so.
        let later = client.now_ms() + CLOCK_SKEW_ALLOWANCE_MS + 60_000;
        let none = client.confirm_restore(&restore, later).await.unwrap_err();
        assert_eq!(none.kind, ErrorKind::Unconfirmed);
        assert!(none.message.contains("no restore task for it was found"), "{}", none.message);
    });
}

#[test]
fn an_invalid_backup_is_refused_before_anything_is_sent() {
    let sim = simulator(1.0);
    run_local(async {
        let transport = lossy(true);
        let client = client_over(&sim, admin_session(), transport.clone());
        let export = ExportVms::new(vec![Ref::id("vm")], Vec::new(), BackupType::Full, 0);
        let error = client.export_vms(&export).await.unwrap_err();
        assert_eq!((error.kind, error.field.as_deref()), (ErrorKind::Validation, Some("rules")));
        assert_eq!(transport.intercepted.get(), 0);
    });
}

#[test]
fn an_unreachable_server_is_a_network_error_after_one_retry_of_a_read() {
    run_local(async {
        // A port nobody listens on: bind, learn the port, close.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let options = vmbackup_client::ClientOptions::new(format!("http://127.0.0.1:{port}/api"), Session::HostCookie);
        let client = vmbackup_client::Client::new(
            options,
            Rc::new(NativeTransport::new()),
            Rc::new(vmbackup_client::native::TokioRuntime),
        );
        let error = client.call(&ListVms::page(0, 5)).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Network);
        assert!(error.message.contains("could not be reached"), "{}", error.message);
        assert!(!client.session_expired());
    });
}
