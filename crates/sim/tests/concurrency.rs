//! 100 concurrent clients doing mixed work (login, paged lists, details, backups, polling, backup history):
//! no request fails and no task is lost. Loopback only, bounded loops.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::{start_with, wait_for, Client};
use vmbackup_core::domain::{BackupType, Direction, Ref, TaskState};
use vmbackup_core::storware::backups::ListBackups;
use vmbackup_core::storware::session::{KeepAlive, Login};
use vmbackup_core::storware::tasks::{ExportVms, GetTask, ListTasks};
use vmbackup_core::storware::vms::{GetVm, ListVms};

const CLIENTS: usize = 100;

#[test]
fn hundred_concurrent_clients_no_errors_no_lost_tasks() {
    let sim = start_with(|o| {
        o.vms = 300;
        o.task_seconds = 1.0;
        o.task_slots = 50;
    });
    let root = Client::admin(&sim);
    // Each client backs up its own present VM with a policy, in its own project.
    let all = root.call(&ListVms::all()).unwrap().items;
    let targets: Vec<(String, String)> = all
        .iter()
        .filter(|v| v.protection.present && v.protection.policy.is_some())
        .map(|v| (v.id.clone(), v.project.as_ref().unwrap().name.clone().unwrap()))
        .take(CLIENTS)
        .collect();
    assert_eq!(targets.len(), CLIENTS);
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;

    let handles: Vec<_> = targets
        .into_iter()
        .enumerate()
        .map(|(i, (vm, project))| {
            let barrier = barrier.clone();
            let c = Client::new(&sim);
            std::thread::spawn(move || {
                // Tenants for their own VMs, every fourth client as the admin.
                let (login, password) = if i % 4 == 0 {
                    ("admin".to_string(), "vPr0tect".to_string())
                } else {
                    let letter = project.trim_start_matches("Project ").to_lowercase();
                    (format!("tenant-{letter}"), format!("tenant-{letter}-pass"))
                };
                barrier.wait();
                c.call(&Login::new(&login, &password)).unwrap();
                let page = c.call(&ListVms::page((i % 5) as u32, 20).sort_by("name", Direction::Asc)).unwrap();
                assert!(page.total.unwrap() > 0);
                c.call(&GetVm::new(&vm)).unwrap();
                let submitted = c.call(&ExportVms::new(vec![Ref::id(&vm)], vec![], BackupType::Full, now)).unwrap();
                let task = submitted.tasks[0].clone();
                let backup = task.backup.clone().unwrap().id;
                // Poll as a portal would, with other reads mixed in.
                let mut polls = 0;
                loop {
                    polls += 1;
                    assert!(polls < 400, "task {} did not end", task.id);
                    let mine = c.call(&ListTasks::for_vm(&vm)).unwrap();
                    assert!(mine.items.iter().any(|t| t.id == task.id), "own task listed");
                    c.call(&KeepAlive).unwrap();
                    let b = c.call(&ListBackups::of_vm(&vm)).unwrap();
                    let b = b.items.iter().find(|b| b.id == backup).unwrap();
                    if b.status.as_str() == "SUCCESS" {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
                task.id
            })
        })
        .collect();
    let created: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let unique: HashSet<&String> = created.iter().collect();
    assert_eq!(unique.len(), CLIENTS);

    // No task lost: every EXPORT is listed FINISHED, each with one STORE that finished.
    let tasks = wait_for(Duration::from_secs(10), || {
        let t = root.call(&ListTasks::all()).unwrap().items;
        t.iter().all(|t| t.state.is_terminal()).then_some(t)
    });
    for id in &created {
        assert_eq!(root.call(&GetTask::new(id)).unwrap().state, TaskState::Finished);
        let stores = tasks.iter().filter(|t| t.parent.as_ref().is_some_and(|p| &p.id == id)).count();
        assert_eq!(stores, 1, "one STORE for export {id}");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&root.raw(vmbackup_core::http::Method::Get, "/__sim/requests", None).body).unwrap();
    let statuses = summary["byStatus"].as_object().unwrap();
    assert!(statuses.keys().all(|s| s.starts_with('2')), "only 2xx answers: {statuses:?}");
}
