//! The inventory file (load, print, errors), the generated inventory's variety, and the enum encodings.
#![allow(clippy::unwrap_used)]

mod common;

use common::{body_json, start_with, Client};
use serde_json::json;
use vmbackup_core::domain::{BackupStatus, BackupType};
use vmbackup_core::http::Method;
use vmbackup_core::storware::backups::{ListBackupLocations, ListBackups};
use vmbackup_core::storware::vms::ListVms;
use vmbackup_sim::{Inventory, Options, RunningSimulator, Simulator, StartError};

fn sample() -> serde_json::Value {
    json!({
        "projects": [
            {"name": "Acme", "login": "acme", "password": "acme-pw", "uuid": "acme-uuid"},
            {"name": "Other", "login": "other", "password": "other-pw"}
        ],
        "hypervisorManagers": [{
            "name": "rhv.test", "type": "RHV",
            "clusters": [{"name": "Default", "uuid": "cluster-uuid"}],
            "storages": [{"name": "data", "clusters": ["Default"]}],
            "hypervisors": [{"host": "kvm-1", "cluster": "Default"}]
        }],
        "backupDestinations": [{"name": "fs", "type": "FILESYSTEM", "default": true}],
        "schedules": [{"name": "daily", "project": "Acme", "hour": 3600000, "startWindowLength": 3600000,
                       "daysOfWeek": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]}],
        "policies": [{"name": "gold", "project": "Acme",
                      "rules": [{"name": "Default", "schedules": ["daily"], "destinations": [{"destination": "fs"}]}]}],
        "vms": [
            {"guid": "vm-web", "name": "web-01", "project": "Acme", "manager": "rhv.test", "cluster": "Default",
             "hypervisor": "kvm-1", "policy": "gold", "tags": ["prod"],
             "backups": [
                {"type": "FULL", "status": "SUCCESS", "ageHours": 30, "size": 1000},
                {"type": "INCREMENTAL", "status": "FAILED", "ageHours": 20, "statusInfo": "Snapshot failed"},
                {"type": "INCREMENTAL", "status": "SUCCESS", "ageHours": 2, "size": 100}
             ]},
            {"name": "old-01", "project": "Acme", "manager": "rhv.test", "present": false},
            {"name": "other-01", "project": "Other", "manager": "rhv.test"}
        ]
    })
}

fn write(name: &str, value: &serde_json::Value) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("vmbackup-sim-{name}-{}.json", std::process::id()));
    std::fs::write(&path, value.to_string()).unwrap();
    path
}

#[test]
fn an_inventory_file_is_loaded_with_its_users_and_history() {
    let path = write("inventory", &sample());
    let sim = start_with(|o| o.inventory = Some(path.clone()));
    let c = Client::logged_in(&sim, "acme", "acme-pw");
    let vms = c.call(&ListVms::all()).unwrap();
    assert_eq!(vms.items.len(), 2);
    let web = vms.items.iter().find(|v| v.id == "vm-web").unwrap();
    assert_eq!(web.protection.up_to_date, Some(true), "backed up 2 h ago, scheduled daily");
    assert_eq!(web.protection.last_backup_size, Some(100));
    assert_eq!(web.cluster.as_ref().unwrap().name.as_deref(), Some("Default"));
    let old = vms.items.iter().find(|v| v.name == "old-01").unwrap();
    assert!(!old.protection.present);
    assert_eq!(old.protection.up_to_date, None, "no policy, no schedule: no backupUpToDate");

    let backups = c.call(&ListBackups::of_vm("vm-web")).unwrap();
    let kinds: Vec<(BackupType, BackupStatus)> =
        backups.items.iter().map(|b| (b.backup_type.clone(), b.status.clone())).collect();
    assert_eq!(
        kinds,
        vec![
            (BackupType::Incremental, BackupStatus::Success),
            (BackupType::Incremental, BackupStatus::Failed),
            (BackupType::Full, BackupStatus::Success)
        ],
        "newest first"
    );
    assert_eq!(backups.items[1].status_info.as_deref(), Some("Snapshot failed"));
    assert_eq!(c.call(&ListBackupLocations::present("vm-web")).unwrap().items.len(), 2);
    let incremental = c.get_json(&format!("/backups/{}", backups.items[0].id));
    assert_eq!(incremental["parentBackup"]["guid"], backups.items[2].id.as_str());
    // Admin sees both projects; the other tenant only its VM.
    assert_eq!(Client::admin(&sim).call(&ListVms::all()).unwrap().items.len(), 3);
    assert_eq!(Client::logged_in(&sim, "other", "other-pw").call(&ListVms::all()).unwrap().items.len(), 1);
    let _ = std::fs::remove_file(path);
}

#[test]
fn bad_inventory_files_say_what_is_wrong() {
    let mut broken = sample();
    broken["vms"][0]["policy"] = json!("platinum");
    let path = write("broken", &broken);
    let options = Options { inventory: Some(path.clone()), ..common::test_options() };
    let err = RunningSimulator::start(options).unwrap_err();
    assert!(matches!(err, StartError::Inventory(_)));
    assert!(err.to_string().contains("platinum"), "{err}");
    let mut typo = sample();
    typo["vms"][0]["polcy"] = json!("gold");
    std::fs::write(&path, typo.to_string()).unwrap();
    let err = Simulator::new(Options { inventory: Some(path.clone()), ..common::test_options() }).unwrap_err();
    assert!(err.to_string().contains("polcy"), "{err}");
    let _ = std::fs::remove_file(path);
}

#[test]
fn printed_inventory_loads_back_to_the_same_data() {
    let options = Options { vms: 60, seed: 7, ..common::test_options() };
    let printed = serde_json::to_string(&Simulator::inventory(&options).unwrap()).unwrap();
    let reread: Inventory = serde_json::from_str(&printed).unwrap();
    let a = Simulator::inventory(&options).unwrap().into_world(7, 1_000_000_000_000).unwrap();
    let b = reread.into_world(7, 1_000_000_000_000).unwrap();
    let names =
        |w: &vmbackup_sim::model::World| w.vms.iter().map(|v| (v.guid.clone(), v.name.clone())).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    assert_eq!(a.backups.len(), b.backups.len());
}

#[test]
fn enums_are_objects_by_default_and_bare_strings_where_the_newest_server_sends_them() {
    for newest in [false, true] {
        let sim = start_with(|o| o.newest_enums = newest);
        let c = Client::admin(&sim);
        let backups = c.get_json("/backups?status=SUCCESS&size=1&page=0");
        let location = &backups[0]["backupLocations"][0];
        assert!(backups[0]["status"]["description"].is_string(), "status stays an object");
        assert_eq!(location["status"].is_string(), newest, "{location}");
        assert_eq!(location["roleType"].is_string(), newest);
        // The core reads both.
        let vm = backups[0]["protectedEntity"]["guid"].as_str().unwrap();
        let read = c.call(&ListBackupLocations::of_vm(vm)).unwrap();
        assert!(!read.items.is_empty());
        let r = c.raw(Method::Get, "/api/tasks", None);
        assert_eq!((r.status, body_json(&r)), (200, json!([])));
    }
}
