//! The JSON records the simulator sends, shaped like the real server's (see storware-api.md §4).
//!
//! Enums are `{"name", "description"}` objects (encoding A). With `--newest-enums` the fields that the newest
//! generated docs show as bare strings (backup-location `roleType`/`backupDestinationType`/`status`/`type`,
//! `vmExportImportMode` of backups, `autoAssignSettings.mode`, rule-destination `roleType`, `restoreType`) are
//! bare strings instead, so clients can be tested against both.

use serde_json::{json, Map, Value};

use crate::model::{
    Backup, Cluster, Destination, HvManager, Hypervisor, Location, Millis, NamedRef, Origin, Policy, Project, Rule,
    Schedule, Storage, Task, TaskKind, TaskState, Vm, World,
};

/// How records are written.
#[derive(Debug, Clone, Copy)]
pub struct Render {
    /// See the module doc.
    pub newest_enums: bool,
    /// The instant "now" for derived values (`backupUpToDate`).
    pub now: Millis,
}

/// The human description of an enum value, as the server pairs it with the name.
pub fn describe(name: &str) -> String {
    let known = match name {
        "VM" => "Virtual machine",
        "INPROGRESS" => "In progress",
        "RHV" => "Red Hat Virtualization",
        "RHEV" => "Red Hat Enterprise Virtualization",
        "OPENSTACK" => "OpenStack",
        "VCENTER" => "VMware vCenter",
        "NUTANIX" => "Nutanix AHV",
        "KVM" => "KVM",
        "ESXI" => "VMware ESXi",
        "S3" => "Amazon S3 / compatible",
        "SYNTHETICDDBOOST" => "Dell EMC Data Domain (synthetic)",
        "SYNTHETICXFS" => "Synthetic file system (XFS)",
        "FILESYSTEM" => "File system",
        "VM_BACKUP" => "VM backup",
        "VM_SNAPSHOT" => "VM snapshot",
        "RESTORE_AND_IMPORT" => "Restore and import",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    // Everything else reads well as "Sentence case": PARTIAL_SUCCESS -> "Partial success".
    let lower = name.replace('_', " ").to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Encoding A: `{"name": "X", "description": "…"}`.
pub fn enum_object(name: &str) -> Value {
    json!({ "name": name, "description": describe(name) })
}

/// `{"guid", "name"}`.
pub fn name_and_guid(guid: &str, name: &str) -> Value {
    json!({ "guid": guid, "name": name })
}

fn named(r: &NamedRef) -> Value {
    name_and_guid(&r.guid, &r.name)
}

fn opt_named(r: Option<&NamedRef>) -> Value {
    r.map(named).unwrap_or(Value::Null)
}

/// A backup's display name: `web-01 - 2025-03-03 08:07` (UTC).
pub fn backup_name(vm_name: &str, time: Millis) -> String {
    format!("{vm_name} - {}", utc_minutes(time))
}

/// `YYYY-MM-DD HH:MM` in UTC, from epoch ms (civil-from-days, proleptic Gregorian).
pub fn utc_minutes(ms: Millis) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}", rem / 3600, (rem % 3600) / 60)
}

impl Render {
    /// An enum field the newest docs write as a bare string.
    fn newest(&self, name: &str) -> Value {
        if self.newest_enums {
            Value::String(name.to_string())
        } else {
            enum_object(name)
        }
    }

    /// A project as `GET /projects` lists it.
    pub fn project(&self, p: &Project) -> Value {
        json!({ "guid": p.guid, "uuid": p.uuid, "name": p.name })
    }

    /// A hypervisor manager.
    pub fn manager(&self, world: &World, index: usize, m: &HvManager) -> Value {
        let vm_count = world.vms.iter().filter(|v| v.manager == index);
        json!({
            "guid": m.guid,
            "name": m.name,
            "url": m.url,
            "type": enum_object(&m.kind),
            "vmExportImportMode": enum_object(&m.export_mode),
            "node": named(&world.node),
            "vmCount": vm_count.count(),
        })
    }

    /// A hypervisor host.
    pub fn hypervisor(&self, world: &World, index: usize, h: &Hypervisor) -> Value {
        let manager = world.managers.get(h.manager);
        let cluster = h.cluster.and_then(|c| world.clusters.get(c));
        json!({
            "guid": h.guid,
            "host": h.host,
            "name": h.host,
            "type": enum_object(&h.kind),
            "user": "root",
            "node": named(&world.node),
            "cluster": cluster.map(|c| name_and_guid(&c.guid, &c.name)),
            "hvManager": manager.map(|m| name_and_guid(&m.guid, &m.name)),
            "vmExportImportMode": manager.map(|m| enum_object(&m.export_mode)),
            "licenseCovered": true,
            "vmCount": world.vms.iter().filter(|v| v.hypervisor == Some(index)).count(),
            "dataCenterName": "Default",
        })
    }

    /// A cluster; `uuid` is what a restore sends as `restoreClusterId`.
    pub fn cluster(&self, world: &World, c: &Cluster) -> Value {
        let manager = world.managers.get(c.manager);
        json!({
            "guid": c.guid,
            "uuid": c.uuid,
            "name": c.name,
            "hvManager": manager.map(|m| name_and_guid(&m.guid, &m.name)),
        })
    }

    /// A storage; `uuid` is what a restore sends as `restoreStorageId`.
    pub fn storage(&self, world: &World, s: &Storage) -> Value {
        let manager = world.managers.get(s.manager);
        let clusters: Vec<Value> =
            s.clusters.iter().filter_map(|c| world.clusters.get(*c)).map(|c| name_and_guid(&c.guid, &c.name)).collect();
        json!({
            "guid": s.guid,
            "uuid": s.uuid,
            "name": s.name,
            "clusters": clusters,
            "hvManager": manager.map(|m| name_and_guid(&m.guid, &m.name)),
            "totalAvailableSpace": s.total_available,
            "totalUsedSpace": s.total_used,
        })
    }

    /// A backup destination.
    pub fn destination(&self, d: &Destination) -> Value {
        json!({
            "guid": d.guid,
            "name": d.name,
            "type": enum_object(&d.kind),
            "description": d.description,
            "defaultBackupDestination": d.default,
            "totalUsedSpace": d.total_used,
            "totalAvailableSpace": d.total_available,
            "totalDedupUsedSpace": d.total_used,
            "totalDedupAvailableSpace": d.total_available,
            "nodeConfigs": [],
            "projects": [],
            "visibleForAllVms": true,
        })
    }

    /// A VM as `GET /virtual-machines` lists it; `details` adds the settings group of `GET /virtual-machines/{g}`.
    pub fn vm(&self, world: &World, v: &Vm, details: bool) -> Value {
        let manager = world.managers.get(v.manager);
        let project = world.projects.get(v.project);
        let policy = v.policy.as_deref().and_then(|g| world.policies.get(g));
        let mut m = Map::new();
        m.insert("guid".into(), json!(v.guid));
        m.insert("uuid".into(), json!(v.uuid));
        m.insert("name".into(), json!(v.name));
        m.insert("present".into(), json!(v.present));
        m.insert(
            "hypervisor".into(),
            v.hypervisor
                .and_then(|h| world.hypervisors.get(h))
                .map_or(Value::Null, |h| name_and_guid(&h.guid, &h.host)),
        );
        m.insert("hvManager".into(), manager.map_or(Value::Null, |x| name_and_guid(&x.guid, &x.name)));
        m.insert(
            "hvCluster".into(),
            v.cluster.and_then(|c| world.clusters.get(c)).map_or(Value::Null, |c| name_and_guid(&c.guid, &c.name)),
        );
        m.insert("hvType".into(), Value::Null);
        m.insert("hvmType".into(), manager.map_or(Value::Null, |x| enum_object(&x.kind)));
        m.insert("project".into(), project.map_or(Value::Null, |p| name_and_guid(&p.guid, &p.name)));
        m.insert("vmBackupPolicy".into(), policy.map_or(Value::Null, |p| name_and_guid(&p.guid, &p.name)));
        m.insert("snapshotMgmtPolicy".into(), Value::Null);
        // Absent (not null) when no schedule applies, as the real server does.
        if let Some(up) = world.backup_up_to_date(v, self.now) {
            m.insert("backupUpToDate".into(), json!(up));
        }
        m.insert("lastBackup".into(), json!(v.last_backup));
        m.insert("lastSuccessfulBackupSize".into(), json!(v.last_backup_size));
        m.insert("lastSuccessfulFullBackupSize".into(), json!(v.last_full_backup_size));
        m.insert("lastSuccessfulFullBackup".into(), opt_named(v.last_full_backup.as_ref()));
        m.insert("lastSuccessfulIncBackup".into(), opt_named(v.last_incremental_backup.as_ref()));
        m.insert("warningsPresent".into(), json!(v.warnings_present));
        m.insert("tags".into(), json!(v.tags));
        m.insert("vmExportImportMode".into(), manager.map_or(Value::Null, |x| enum_object(&x.export_mode)));
        m.insert("restorable".into(), json!(v.last_backup_size.unwrap_or(0) > 0));
        if details {
            m.insert("quiesceBeforeSnapshot".into(), json!(false));
            m.insert("preSnapCmdExecEnabled".into(), json!(false));
            m.insert("postSnapCmdExecEnabled".into(), json!(false));
            m.insert("sshHost".into(), Value::Null);
            m.insert("sshPort".into(), json!(22));
            m.insert("sshUser".into(), Value::Null);
        }
        Value::Object(m)
    }

    /// A backup location record (§4.4); it carries its backup's times and type.
    pub fn location(&self, world: &World, b: &Backup, l: &Location) -> Value {
        let d = world.destinations.get(l.destination);
        json!({
            "guid": l.guid,
            "backup": name_and_guid(&b.guid, &b.name),
            "protectedEntity": self.protected_vm(&b.vm, &b.vm_name),
            "snapshotTime": b.snapshot_time,
            "backupTime": b.backup_time,
            "backupDestination": d.map(|d| name_and_guid(&d.guid, &d.name)),
            "roleType": self.newest(&l.role),
            "backupDestinationType": d.map(|d| self.newest(&d.kind)),
            "status": self.newest(&l.status),
            "retentionHint": enum_object(&l.retention_hint),
            "type": self.newest(&b.kind),
        })
    }

    fn protected_vm(&self, guid: &str, name: &str) -> Value {
        json!({ "guid": guid, "name": name, "type": enum_object("VM") })
    }

    fn origin(&self, o: &Origin) -> Value {
        json!({ "guid": o.guid, "name": o.name, "type": enum_object(&o.kind) })
    }

    /// A backup (`BackupListRecord`; `details` adds the extended fields of `GET /backups/{guid}`).
    pub fn backup(&self, world: &World, b: &Backup, details: bool) -> Value {
        let locations: Vec<Value> = b.locations.iter().map(|l| self.location(world, b, l)).collect();
        let mut v = json!({
            "guid": b.guid,
            "name": b.name,
            "backupTime": b.backup_time,
            "snapshotTime": b.snapshot_time,
            "status": enum_object(&b.status),
            "type": enum_object(&b.kind),
            "size": b.size,
            "statusInfo": b.status_info,
            "description": b.description,
            "protectedEntity": self.protected_vm(&b.vm, &b.vm_name),
            "parentBackup": opt_named(b.parent.as_ref()),
            "backupRule": opt_named(b.rule.as_ref()),
            "sourceProject": world.projects.get(b.project).map(|p| name_and_guid(&p.guid, &p.name)),
            "originEntity": self.origin(&b.origin),
            "backupLocations": locations,
            "warnings": b.warnings,
            "warningsPresent": !b.warnings.is_empty(),
            "warningsAcknowledged": b.warnings_acknowledged,
            "taskTimeStats": {
                "queuedExportTime": b.stats.queued_export,
                "exportTime": b.stats.export,
                "queuedStoreTime": b.stats.queued_store,
                "storeTime": b.stats.store,
            },
            "taskDurationTime": b.stats.queued_export + b.stats.export + b.stats.queued_store + b.stats.store,
            "effectiveBackupSize": b.size,
            "vmExportImportMode": self.newest(&b.export_mode),
            "hidden": false,
        });
        if details {
            if let Value::Object(m) = &mut v {
                m.insert("iscsiMountable".into(), json!(false));
                m.insert("networkInterfaceCards".into(), json!([]));
            }
        }
        v
    }

    /// A task (`TaskListRecord` and task details share the shape).
    pub fn task(&self, world: &World, t: &Task) -> Value {
        let manager = t.manager.and_then(|m| world.managers.get(m));
        let hypervisor = t.hypervisor.and_then(|h| world.hypervisors.get(h));
        let destination = t.destination.and_then(|d| world.destinations.get(d));
        let mut m = Map::new();
        m.insert("guid".into(), json!(t.guid));
        m.insert("type".into(), enum_object(t.kind.name()));
        m.insert("state".into(), enum_object(t.state.name()));
        m.insert("progress".into(), json!(t.progress));
        m.insert("priority".into(), json!(t.priority));
        m.insert("windowStart".into(), json!(t.window_start));
        m.insert("windowEnd".into(), json!(t.window_end));
        m.insert("startTime".into(), json!(t.start_time));
        m.insert("finishTime".into(), json!(t.finish_time));
        m.insert("backupType".into(), t.backup_type.as_deref().map_or(Value::Null, enum_object));
        m.insert(
            "protectedEntity".into(),
            t.vm.as_ref()
                .filter(|v| world.vms.contains(&v.guid))
                .map_or(Value::Null, |v| self.protected_vm(&v.guid, &v.name)),
        );
        m.insert("protectedEntityDisplayName".into(), json!(t.vm.as_ref().map(|v| v.name.clone())));
        m.insert(
            "dstProtectedEntity".into(),
            t.dst_vm.as_ref().map_or(Value::Null, |v| self.protected_vm(&v.guid, &v.name)),
        );
        m.insert("hypervisorManager".into(), manager.map_or(Value::Null, |x| name_and_guid(&x.guid, &x.name)));
        m.insert("hypervisor".into(), hypervisor.map_or(Value::Null, |x| name_and_guid(&x.guid, &x.host)));
        m.insert("node".into(), named(&world.node));
        m.insert("backupDestination".into(), destination.map_or(Value::Null, |x| name_and_guid(&x.guid, &x.name)));
        m.insert("backup".into(), opt_named(t.backup.as_ref()));
        m.insert("originEntity".into(), self.origin(&t.origin));
        m.insert("statusInfo".into(), json!(t.status_info));
        m.insert("retryCount".into(), json!(t.retry_count));
        m.insert("parentTask".into(), opt_named(t.parent.as_ref()));
        m.insert("workflowExecution".into(), json!({ "guid": t.workflow }));
        if matches!(t.kind, TaskKind::Restore | TaskKind::Import) {
            m.insert("restoreType".into(), self.newest("RESTORE_AND_IMPORT"));
            m.insert("powerOnAfterRestore".into(), json!(false));
        }
        m.insert("progressChange".into(), json!(0));
        let total = if t.kind == TaskKind::Export || t.kind == TaskKind::Store { 2 } else { 1 };
        let done = if t.state == TaskState::Finished { total } else { (t.progress / 100.0 * total as f64) as i64 };
        m.insert("processedObjectCount".into(), json!(done));
        m.insert("totalObjectCount".into(), json!(total));
        Value::Object(m)
    }

    /// A schedule, with the rules and policies that use it.
    pub fn schedule(&self, world: &World, s: &Schedule) -> Value {
        let rules = world.rules_with_schedule(&s.guid);
        let rule_refs: Vec<Value> = rules.iter().map(|r| name_and_guid(&r.guid, &r.name)).collect();
        let mut policies: Vec<Value> = Vec::new();
        for r in &rules {
            if let Some(p) = world.policies.get(&r.policy) {
                let v = name_and_guid(&p.guid, &p.name);
                if !policies.contains(&v) {
                    policies.push(v);
                }
            }
        }
        json!({
            "guid": s.guid,
            "name": s.name,
            "active": s.active,
            "type": enum_object(&s.kind),
            "backupType": enum_object(&s.backup_type),
            "executionType": enum_object(&s.execution_type),
            "hour": s.hour,
            "startWindowLength": s.start_window_length,
            "interval": s.interval.map(|i| json!({
                "startHour": i.start_hour, "endHour": i.end_hour, "frequency": i.frequency
            })),
            "daysOfWeek": s.days_of_week.iter().map(|d| enum_object(d)).collect::<Vec<_>>(),
            "dayOfWeekOccurrences": s.day_of_week_occurrences.iter().map(|d| enum_object(d)).collect::<Vec<_>>(),
            "months": s.months.iter().map(|d| enum_object(d)).collect::<Vec<_>>(),
            "rules": rule_refs,
            "policies": policies,
            "projectUuid": s.project.and_then(|p| world.projects.get(p)).map(|p| p.uuid.clone()),
        })
    }

    /// A rule (`VmBackupRuleDetails`).
    pub fn rule(&self, world: &World, r: &Rule) -> Value {
        let policy = world.policies.get(&r.policy);
        let schedules: Vec<Value> = r
            .schedules
            .iter()
            .filter_map(|g| world.schedules.get(g))
            .map(|s| name_and_guid(&s.guid, &s.name))
            .collect();
        let destinations: Vec<Value> = r
            .destinations
            .iter()
            .map(|d| {
                let dest = world.destinations.get(d.destination);
                json!({
                    "guid": d.guid,
                    "backupDestination": dest.map(|x| name_and_guid(&x.guid, &x.name)),
                    "roleType": self.newest(&d.role),
                    "active": d.active,
                    "daysToKeepRetentionLock": d.days_to_keep_retention_lock,
                    "backupRetentionSettings": {
                        "retentionKeepLastNFull": d.retention.keep_last_n_full,
                        "retentionKeepFullNewerThan": d.retention.keep_full_newer_than,
                        "retentionKeepLastNIncremental": d.retention.keep_last_n_incremental,
                        "retentionKeepIncrementalNewerThan": d.retention.keep_incremental_newer_than,
                        "keepLastBackupWhenSourceStillExists": d.retention.keep_last_backup_when_source_still_exists,
                    },
                })
            })
            .collect();
        let backup_count = world.backups.iter().filter(|b| b.rule.as_ref().is_some_and(|x| x.guid == r.guid)).count();
        json!({
            "guid": r.guid,
            "name": r.name,
            "active": r.active,
            "position": r.position,
            "policy": policy.map(|p| name_and_guid(&p.guid, &p.name)),
            "schedules": schedules,
            "schedulesCount": r.schedules.len(),
            "ruleBackupDestinations": destinations,
            "vmCount": policy.map_or(0, |p| p.members.len()),
            "backupCount": backup_count,
            "removable": true,
            "markedForDeletion": false,
        })
    }

    /// A policy (`VmBackupPolicyDetails`); `extended` adds its rules and VMs.
    pub fn policy(&self, world: &World, p: &Policy, extended: bool) -> Value {
        let project = p.project.and_then(|i| world.projects.get(i));
        let mut v = json!({
            "guid": p.guid,
            "name": p.name,
            "active": p.active,
            "priority": p.priority,
            "backupRetryCount": p.backup_retry_count,
            "autoRemoveNonPresent": p.auto_remove_non_present,
            "autoAssignSettings": {
                "mode": self.newest(&p.auto_assign_mode),
                "includeTags": [], "excludeTags": [], "includeRegExps": [], "excludeRegExps": [],
                "hvClusters": [], "projects": [],
            },
            "failRemainingBackupTasksExportThreshold": p.fail_export_threshold,
            "failRemainingBackupTasksStoreThreshold": p.fail_store_threshold,
            "dailyReportEnabled": p.daily_report_enabled,
            "disableCleanOldBackups": p.disable_clean_old_backups,
            "quiesceBeforeSnapshot": p.quiesce_before_snapshot,
            "projects": project.map(|p| vec![name_and_guid(&p.guid, &p.name)]).unwrap_or_default(),
            "projectUuid": project.map(|p| p.uuid.clone()),
            "visibleForAllProjects": p.project.is_none(),
            "vmCount": p.members.len(),
        });
        if extended {
            if let Value::Object(m) = &mut v {
                let rules: Vec<Value> = world.rules_of(p).into_iter().map(|r| self.rule(world, r)).collect();
                let vms: Vec<Value> = p
                    .members
                    .iter()
                    .filter_map(|g| world.vms.get(g))
                    .map(|vm| name_and_guid(&vm.guid, &vm.name))
                    .collect();
                m.insert("rules".into(), Value::Array(rules));
                m.insert("vms".into(), Value::Array(vms));
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_read_well() {
        assert_eq!(describe("PARTIAL_SUCCESS"), "Partial success");
        assert_eq!(describe("RUNNING"), "Running");
        assert_eq!(describe("VM"), "Virtual machine");
    }

    #[test]
    fn utc_formatting() {
        assert_eq!(utc_minutes(0), "1970-01-01 00:00");
        assert_eq!(utc_minutes(1_740_989_261_000), "2025-03-03 08:07");
        assert_eq!(utc_minutes(951_782_400_000), "2000-02-29 00:00");
    }
}
