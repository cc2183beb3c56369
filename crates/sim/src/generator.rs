//! The generated inventory: the same [`Inventory`] document a file would hold, drawn from `--seed`.
//!
//! Three platforms (RHV, OpenStack, vCenter), three backup destinations, per project three policies (gold with
//! two destinations and daily incrementals, silver with weekly fulls, bronze with no schedule) and VMs spread over
//! them: some without a policy, some no longer present, most with a history of FULL and INCREMENTAL backups in
//! SUCCESS, PARTIAL_SUCCESS and FAILED states.

use crate::inventory::{
    BackupSpec, ClusterSpec, DestinationSpec, HypervisorSpec, IntervalSpec, Inventory, ManagerSpec, PolicySpec,
    ProjectSpec, RuleDestinationSpec, RuleSpec, ScheduleSpec, StorageSpec, VmSpec,
};
use crate::rng::SplitMix;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneratorSettings {
    pub seed: u64,
    pub vms: usize,
    pub projects: usize,
    /// Give the first VMs names made of markup and script payloads, to show that clients render them as text.
    pub hostile_names: bool,
}

/// The names `hostile_names` gives the first VMs: each would run script or break markup if a client rendered it
/// as HTML rather than as text.
pub const HOSTILE_VM_NAMES: [&str; 3] = [
    "<img src=x onerror=\"window.__vmbInjected=1\">",
    "\"><script>window.__vmbInjected=1</script>",
    "web-<b>bold</b> & 'quoted' \u{202e}rtl",
];

const ROLES: &[&str] = &["web", "db", "app", "cache", "mail", "ci", "dns", "proxy", "files", "mq", "auth", "log"];
const WEEKDAYS: &[&str] = &["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"];
const HOUR_MS: i64 = 3_600_000;

/// Builds an inventory document from the settings; the same settings give the same document.
pub fn generate(settings: GeneratorSettings) -> Inventory {
    let mut rng = SplitMix::new(settings.seed);
    let mut inv = Inventory::default();

    for i in 0..settings.projects.clamp(1, 26) {
        let letter = (b'a' + i as u8) as char;
        inv.projects.push(ProjectSpec {
            guid: Some(rng.uuid()),
            uuid: Some(rng.uuid()),
            name: format!("Project {}", letter.to_ascii_uppercase()),
            login: format!("tenant-{letter}"),
            password: format!("tenant-{letter}-pass"),
        });
    }

    inv.hypervisor_managers = vec![
        manager(
            &mut rng,
            "rhv.lab.local",
            "RHV",
            "https://rhv.lab.local/ovirt-engine/api",
            &["Default", "Production"],
            &[("data-fast", &["Default", "Production"]), ("data-bulk", &["Production"])],
            &[("kvm-01.lab.local", "Default"), ("kvm-02.lab.local", "Default"), ("kvm-03.lab.local", "Production")],
            "KVM",
        ),
        manager(
            &mut rng,
            "openstack.lab.local",
            "OPENSTACK",
            "https://openstack.lab.local:5000/v3",
            &["nova"],
            &[("ceph-volumes", &["nova"]), ("lvm-local", &["nova"])],
            &[("compute-01.lab.local", "nova"), ("compute-02.lab.local", "nova")],
            "KVM",
        ),
        manager(
            &mut rng,
            "vcenter.lab.local",
            "VCENTER",
            "https://vcenter.lab.local/sdk",
            &["Cluster-1"],
            &[("datastore1", &["Cluster-1"]), ("datastore2", &["Cluster-1"])],
            &[("esxi-01.lab.local", "Cluster-1"), ("esxi-02.lab.local", "Cluster-1")],
            "ESXI",
        ),
    ];

    inv.backup_destinations = vec![
        destination(&mut rng, "fs-primary", "FILESYSTEM", "Local file system on node1", true),
        destination(&mut rng, "s3-offsite", "S3", "Object storage in the second site", false),
        destination(&mut rng, "ddboost", "SYNTHETICDDBOOST", "Data Domain with synthetic fulls", false),
    ];

    let project_names: Vec<String> = inv.projects.iter().map(|p| p.name.clone()).collect();
    for (i, project) in project_names.iter().enumerate() {
        let short = (b'a' + i as u8) as char;
        let daily = format!("{short}-daily-incremental");
        let weekly = format!("{short}-weekly-full");
        let hourly = format!("{short}-every-4h");
        inv.schedules.push(ScheduleSpec {
            guid: Some(rng.uuid()),
            name: daily.clone(),
            project: Some(project.clone()),
            active: true,
            kind: "VM_BACKUP".into(),
            backup_type: "INCREMENTAL".into(),
            execution_type: "TIME".into(),
            hour: Some(HOUR_MS + 30 * 60_000),
            start_window_length: Some(6 * HOUR_MS),
            interval: None,
            days_of_week: WEEKDAYS.iter().map(|d| d.to_string()).collect(),
            day_of_week_occurrences: Vec::new(),
            months: Vec::new(),
        });
        inv.schedules.push(ScheduleSpec {
            guid: Some(rng.uuid()),
            name: weekly.clone(),
            project: Some(project.clone()),
            active: true,
            kind: "VM_BACKUP".into(),
            backup_type: "FULL".into(),
            execution_type: "TIME".into(),
            hour: Some(2 * HOUR_MS),
            start_window_length: Some(8 * HOUR_MS),
            interval: None,
            days_of_week: vec!["SATURDAY".into()],
            day_of_week_occurrences: Vec::new(),
            months: Vec::new(),
        });
        inv.schedules.push(ScheduleSpec {
            guid: Some(rng.uuid()),
            name: hourly.clone(),
            project: Some(project.clone()),
            active: false,
            kind: "VM_BACKUP".into(),
            backup_type: "INCREMENTAL".into(),
            execution_type: "INTERVAL".into(),
            hour: None,
            start_window_length: None,
            interval: Some(IntervalSpec { start_hour: 0, end_hour: 79_140_000, frequency: 4 * HOUR_MS }),
            days_of_week: WEEKDAYS.iter().map(|d| d.to_string()).collect(),
            day_of_week_occurrences: Vec::new(),
            months: Vec::new(),
        });
        inv.policies.push(policy(
            &mut rng,
            "gold",
            project,
            80,
            vec![daily, weekly.clone()],
            &[("fs-primary", "PRIMARY"), ("s3-offsite", "SECONDARY")],
        ));
        inv.policies.push(policy(&mut rng, "silver", project, 50, vec![weekly], &[("fs-primary", "PRIMARY")]));
        // No schedule: backups only on demand, so its VMs have no `backupUpToDate`.
        inv.policies.push(policy(&mut rng, "bronze", project, 20, Vec::new(), &[("ddboost", "PRIMARY")]));
    }

    let mut counters = vec![[0u32; 12]; project_names.len()];
    for i in 0..settings.vms {
        let pi = i % project_names.len().max(1);
        let Some(project) = project_names.get(pi) else { break };
        let role_index = rng.below(ROLES.len() as u64) as usize;
        counters[pi][role_index] += 1;
        let number = counters[pi][role_index];
        let name = if settings.vms > 5_000 {
            format!("{}-{:05}", ROLES[role_index], number)
        } else {
            format!("{}-{:02}", ROLES[role_index], number)
        };
        // Each project mostly lives on "its" platform.
        let mi = if rng.chance(0.75) { pi % 3 } else { rng.below(3) as usize };
        let m = &inv.hypervisor_managers[mi];
        let cluster = rng.pick(&m.clusters).map(|c| c.name.clone());
        let hypervisor = if m.kind == "OPENSTACK" {
            None
        } else {
            let hosts: Vec<&HypervisorSpec> =
                m.hypervisors.iter().filter(|h| h.cluster.as_deref() == cluster.as_deref()).collect();
            rng.pick(&hosts).map(|h| h.host.clone())
        };
        let roll = rng.unit();
        let policy = if roll < 0.15 {
            None
        } else if roll < 0.50 {
            Some("gold")
        } else if roll < 0.85 {
            Some("silver")
        } else {
            Some("bronze")
        };
        let present = !rng.chance(0.05);
        let tags = match rng.below(4) {
            0 => vec!["prod".to_string()],
            1 => vec!["dev".to_string()],
            2 => vec!["prod".to_string(), ROLES[role_index].to_string()],
            _ => Vec::new(),
        };
        let backups = history(&mut rng, policy);
        inv.vms.push(VmSpec {
            guid: Some(rng.uuid()),
            uuid: Some(rng.uuid()),
            name,
            project: project.clone(),
            manager: m.name.clone(),
            cluster,
            hypervisor,
            policy: policy.map(str::to_string),
            present,
            tags,
            backups,
        });
    }
    if settings.hostile_names {
        for (vm, name) in inv.vms.iter_mut().zip(HOSTILE_VM_NAMES) {
            vm.name = name.to_string();
        }
    }
    inv
}

/// A VM's past backups, oldest first.
fn history(rng: &mut SplitMix, policy: Option<&str>) -> Vec<BackupSpec> {
    let has_history = match policy {
        None => rng.chance(0.4),
        Some(_) => rng.chance(0.9),
    };
    if !has_history {
        return Vec::new();
    }
    let count = rng.between(1, 4) as usize;
    let weekly = policy == Some("silver");
    let spacing = if weekly { 168.0 } else { 24.0 };
    // Most VMs backed up within the last day; some are stale.
    let newest_age = if rng.chance(0.85) { 1.0 + rng.unit() * 20.0 } else { 60.0 + rng.unit() * 200.0 };
    (0..count)
        .map(|i| {
            let age = newest_age + spacing * (count - 1 - i) as f64 + rng.unit();
            let kind = if i == 0 || weekly || policy.is_none() { "FULL" } else { "INCREMENTAL" };
            let roll = rng.unit();
            let status = if roll < 0.10 {
                "FAILED"
            } else if roll < 0.15 && policy == Some("gold") {
                "PARTIAL_SUCCESS"
            } else {
                "SUCCESS"
            };
            BackupSpec {
                guid: Some(rng.uuid()),
                kind: kind.into(),
                status: status.into(),
                age_hours: (age * 100.0).round() / 100.0,
                size: Some(((rng.between(2, 80) as u64) << 29) / if kind == "INCREMENTAL" { 8 } else { 1 }),
                status_info: None,
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn manager(
    rng: &mut SplitMix,
    name: &str,
    kind: &str,
    url: &str,
    clusters: &[&str],
    storages: &[(&str, &[&str])],
    hosts: &[(&str, &str)],
    host_kind: &str,
) -> ManagerSpec {
    ManagerSpec {
        guid: Some(rng.uuid()),
        name: name.into(),
        kind: kind.into(),
        url: Some(url.into()),
        clusters: clusters
            .iter()
            .map(|c| ClusterSpec { guid: Some(rng.uuid()), uuid: Some(rng.uuid()), name: c.to_string() })
            .collect(),
        storages: storages
            .iter()
            .map(|(s, cs)| StorageSpec {
                guid: Some(rng.uuid()),
                uuid: Some(rng.uuid()),
                name: s.to_string(),
                clusters: cs.iter().map(|c| c.to_string()).collect(),
                total_available_space: (rng.between(2, 16) as u64) << 40,
                total_used_space: (rng.between(1, 900) as u64) << 30,
            })
            .collect(),
        hypervisors: hosts
            .iter()
            .map(|(h, c)| HypervisorSpec {
                guid: Some(rng.uuid()),
                host: h.to_string(),
                kind: host_kind.into(),
                cluster: Some(c.to_string()),
            })
            .collect(),
    }
}

fn destination(rng: &mut SplitMix, name: &str, kind: &str, description: &str, default: bool) -> DestinationSpec {
    DestinationSpec {
        guid: Some(rng.uuid()),
        name: name.into(),
        kind: kind.into(),
        description: description.into(),
        default,
        total_available_space: (rng.between(10, 60) as u64) << 40,
        total_used_space: (rng.between(1, 9) as u64) << 40,
    }
}

fn policy(
    rng: &mut SplitMix,
    name: &str,
    project: &str,
    priority: i64,
    schedules: Vec<String>,
    destinations: &[(&str, &str)],
) -> PolicySpec {
    PolicySpec {
        guid: Some(rng.uuid()),
        name: name.into(),
        project: Some(project.into()),
        active: true,
        priority,
        rules: vec![RuleSpec {
            guid: Some(rng.uuid()),
            name: "Default".into(),
            active: true,
            schedules,
            destinations: destinations
                .iter()
                .map(|(d, role)| RuleDestinationSpec {
                    destination: d.to_string(),
                    role: role.to_string(),
                    keep_last_n_full: 4,
                    keep_last_n_incremental: 30,
                })
                .collect(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_inventory() {
        let s = GeneratorSettings { seed: 5, vms: 50, projects: 3, hostile_names: false };
        let a = serde_json::to_string(&generate(s)).unwrap_or_default();
        let b = serde_json::to_string(&generate(s)).unwrap_or_default();
        assert_eq!(a, b);
        let c = serde_json::to_string(&generate(GeneratorSettings { seed: 6, ..s })).unwrap_or_default();
        assert_ne!(a, c);
    }

    #[test]
    fn generated_inventory_loads_with_variety() {
        let inv = generate(GeneratorSettings { seed: 1, vms: 300, projects: 3, hostile_names: true });
        let world = inv.into_world(1, 1_750_000_000_000);
        let Ok(world) = world else { panic!("generated inventory must load: {:?}", world.err()) };
        assert_eq!(world.vms.len(), 300);
        assert!(world.vms.iter().any(|v| v.name == HOSTILE_VM_NAMES[0]));
        assert!(world.vms.iter().any(|v| v.policy.is_none()));
        assert!(world.vms.iter().any(|v| !v.present));
        for status in ["SUCCESS", "FAILED", "PARTIAL_SUCCESS"] {
            assert!(world.backups.iter().any(|b| b.status == status), "no {status} backup");
        }
        for kind in ["FULL", "INCREMENTAL"] {
            assert!(world.backups.iter().any(|b| b.kind == kind), "no {kind} backup");
        }
    }
}
