//! The task poller against the simulator: one request per round however many tasks are tracked, events to
//! the end of a task, pauses while hidden or expired.
// Native only: the simulator and tokio do not run in wasm (fetch_transport.rs covers wasm).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use common::*;
use serde_json::Value;
use vmbackup_client::{Client, TaskEvent};
use vmbackup_core::domain::{BackupType, Ref, TaskState};
use vmbackup_core::http::HttpRequest;
use vmbackup_core::storware::tasks::ExportVms;
use vmbackup_core::storware::vms::ListVms;
use vmbackup_sim::RunningSimulator;

/// Starts backups of the first `count` VMs with a policy (one task each) and returns the task ids.
async fn start_backups(client: &Client, count: usize) -> Vec<String> {
    let (_, rules) = backupable_vm(client).await;
    let vms = client.call(&ListVms::page(0, 1_000)).await.unwrap();
    let chosen: Vec<Ref> = vms
        .items
        .into_iter()
        .filter(|vm| vm.protection.present && vm.protection.policy.is_some())
        .take(count)
        .map(|vm| Ref::named(vm.id, vm.name))
        .collect();
    assert_eq!(chosen.len(), count, "the simulator has {count} backupable VMs");
    let result = client.export_vms(&ExportVms::new(chosen, rules, BackupType::Full, client.now_ms())).await.unwrap();
    result.tasks.into_iter().map(|t| t.id).collect()
}

/// Waits until the poller has made `rounds` more rounds.
async fn wait_rounds(client: &Client, rounds: u64) {
    let target = client.poller().rounds() + rounds;
    for _ in 0..200 {
        if client.poller().rounds() >= target {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the poller made no {rounds} rounds in 10 s");
}

/// Requests served per path since the last clear: (list of tasks, single task reads).
async fn task_requests(sim: &RunningSimulator) -> (u64, u64) {
    let summary = control(sim, HttpRequest::get("/__sim/requests")).await;
    let by_path = summary["byPath"].as_object().cloned().unwrap_or_default();
    let list = by_path.get("GET /api/tasks").and_then(Value::as_u64).unwrap_or(0);
    let singles = by_path
        .iter()
        .filter(|(path, _)| path.starts_with("GET /api/tasks/"))
        .filter_map(|(_, count)| count.as_u64())
        .sum();
    (list, singles)
}

#[test]
fn tracking_1_10_and_100_running_tasks_costs_one_request_per_round() {
    let sim = simulator_with(|options| {
        options.vms = 400;
        options.task_seconds = 600.0;
    });
    run_local(async {
        let client = admin_client(&sim);
        client.login().await.unwrap();
        let ids = start_backups(&client, 100).await;
        let mut tracked = 0;
        for count in [1, 10, 100] {
            for id in &ids[tracked..count] {
                client.poller().track(id.clone());
            }
            tracked = count;
            wait_rounds(&client, 1).await; // the first reading of newly tracked tasks
            clear_counts(&sim).await;
            let before = client.poller().rounds();
            wait_rounds(&client, 6).await;
            let rounds = client.poller().rounds() - before;
            let (lists, singles) = task_requests(&sim).await;
            println!("tracking {count} running tasks: {rounds} rounds, {lists} list requests, {singles} single reads");
            // The round counter moves when a round starts, the simulator's count when its request arrives: the
            // window may cut one round either way, never more.
            assert!(lists.abs_diff(rounds) <= 1, "{lists} lists in {rounds} rounds");
            assert_eq!(singles, 0, "no task is read on its own while it is in the active list");
            assert_eq!(client.poller().tracked().len(), count);
        }
    });
}

#[test]
fn a_tracked_backup_is_followed_to_its_end_and_then_untracked() {
    let sim = simulator(1.0);
    run_local(async {
        let client = admin_client(&sim);
        client.login().await.unwrap();
        let ids = start_backups(&client, 1).await;
        let events: Rc<RefCell<Vec<TaskEvent>>> = Rc::default();
        let sink = events.clone();
        let _subscription = client.poller().subscribe(move |event| sink.borrow_mut().push(event.clone()));
        client.poller().track(ids[0].clone());
        for _ in 0..200 {
            if events.borrow().iter().any(|e| matches!(e, TaskEvent::Ended { .. })) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let events = events.borrow();
        let Some(TaskEvent::Ended { task }) = events.last() else { panic!("no end: {events:?}") };
        assert_eq!((task.id.as_str(), &task.state), (ids[0].as_str(), &TaskState::Finished));
        let progress: Vec<f64> = events
            .iter()
            .filter_map(|e| match e {
                TaskEvent::Updated { task, .. } => Some(task.progress),
                _ => None,
            })
            .collect();
        assert!(!progress.is_empty(), "progress was reported before the end");
        assert!(progress.windows(2).all(|w| w[0] <= w[1]), "progress never goes back: {progress:?}");
        assert!(client.poller().tracked().is_empty());
    });
}

#[test]
fn polling_pauses_while_hidden_and_while_the_session_is_expired() {
    let sim = simulator(600.0);
    run_local(async {
        let client = client_over(
            &sim,
            vmbackup_client::Session::HostCookie,
            Rc::new(vmbackup_client::native::NativeTransport::new()),
        );
        client.call(&vmbackup_core::storware::session::Login::new("admin", "vPr0tect")).await.unwrap();
        let ids = start_backups(&client, 2).await;
        for id in &ids {
            client.poller().track(id.clone());
        }
        wait_rounds(&client, 2).await;

        client.poller().set_hidden(true);
        tokio::time::sleep(Duration::from_millis(600)).await; // the round under way ends
        clear_counts(&sim).await;
        let rounds = client.poller().rounds();
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        assert_eq!(client.poller().rounds(), rounds, "no round while hidden");
        assert_eq!(task_requests(&sim).await, (0, 0));
        client.poller().set_hidden(false);
        wait_rounds(&client, 1).await;

        expire_sessions(&sim).await;
        tokio::time::sleep(Duration::from_millis(1_000)).await; // a round meets the 401 and the client pauses
        assert!(client.session_expired());
        clear_counts(&sim).await;
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        assert_eq!(task_requests(&sim).await, (0, 0), "no request loop while expired");
        assert_eq!(client.poller().tracked().len(), 2, "no task is lost");

        client.call(&vmbackup_core::storware::session::Login::new("admin", "vPr0tect")).await.unwrap();
        client.resume();
        wait_rounds(&client, 2).await;
        assert!(task_requests(&sim).await.0 >= 1, "tracking resumed");
    });
}
