//! Storware restore targets and backup destinations: hypervisor managers, hypervisors, clusters, storages,
//! projects, backup destinations (all and usable for given VMs).
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Debug;

use common::{fixture, ok_fixture, AreaErrors};
use serde_json::json;
use vmbackup_core::domain::{
    BackupDestination, Cluster, Direction, Hypervisor, HypervisorManager, Project, Ref, Storage,
};
use vmbackup_core::http::{HttpResponse, Method, Purpose};
use vmbackup_core::storware::inventory::{
    ListBackupDestinations, ListClusters, ListHypervisorManagers, ListHypervisors, ListProjects, ListStorages,
    UsableBackupDestinations,
};
use vmbackup_core::Endpoint;

const MANAGER: &str = "7d0c2e64-6a7b-4f6e-9d51-2f0a3c1b9e11";
const BACKUP: &str = "9c7e2a41-5d0f-4b8e-a3c1-6e2f9d8b7a10";

fn ok_json(name: &str) -> HttpResponse {
    ok_fixture(&format!("inventory/{name}"))
}

/// Every way a call can fail at the HTTP level must give the right error, whatever the operation.
fn assert_error_answers<E: Endpoint>(op: &E)
where
    E::Output: Debug,
{
    common::assert_error_answers(
        op,
        &AreaErrors {
            area: "inventory",
            not_found: "Hypervisor manager with guid 7d0c2e64 not found",
            forbidden: "Missing privilege HV_READ",
            invalid: ("Request body must be a list of virtual machines", "vms"),
        },
    );
}

fn assert_plain_get(req: &vmbackup_core::http::HttpRequest) {
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.purpose, Purpose::Query);
    assert_eq!(req.body, None);
}

// ---------------------------------------------------------------------------------------------------------
// ListHypervisorManagers

#[test]
fn list_hypervisor_managers_requests() {
    let req = ListHypervisorManagers::all().request();
    assert_plain_get(&req);
    assert_eq!(req.path_and_query(), "/hypervisor-managers");

    let req = ListHypervisorManagers::for_restore_of(BACKUP).page(0, 10).sort_by("url", Direction::Asc).request();
    assert_plain_get(&req);
    assert_eq!(
        req.path_and_query(),
        format!("/hypervisor-managers?backup-to-be-restored={BACKUP}&page=0&size=10&orderBy=url&direction=asc")
    );
}

#[test]
fn list_hypervisor_managers_reads_7x_object_enums() {
    let page = ListHypervisorManagers::all()
        .parse(&ok_json("hypervisor_managers_7x.json").with_header("X-Total-Count", "2"))
        .unwrap();
    assert_eq!(page.total, Some(2));
    assert_eq!(
        page.items,
        vec![
            HypervisorManager {
                id: MANAGER.into(),
                name: Some("rhv.lab.local".into()),
                url: Some("https://rhv.lab.local/ovirt-engine/api".into()),
                kind: Some("RHV".into()),
            },
            HypervisorManager {
                id: "8e1d3f75-7b8c-4a7f-8e62-3a1b4d2c0f22".into(),
                name: None,
                url: Some("https://keystone.cloud.local:5000/v3".into()),
                kind: Some("OPENSTACK".into()),
            },
        ]
    );
}

#[test]
fn list_hypervisor_managers_reads_newest_bare_strings_and_extra_fields() {
    let page =
        ListHypervisorManagers::for_restore_of(BACKUP).parse(&ok_json("hypervisor_managers_newest.json")).unwrap();
    assert_eq!(page.total, None);
    assert_eq!(page.items[0].kind.as_deref(), Some("VCENTER"));
    assert_eq!(page.items[0].name.as_deref(), Some("vcenter-01"));
    assert_eq!(page.items[1].kind.as_deref(), Some("PROXMOX_CLUSTER"));
    assert_eq!(page.items[1].url.as_deref(), Some("https://pve.lab.local:8006"));
}

#[test]
fn list_hypervisor_managers_reads_minimal_records() {
    let page = ListHypervisorManagers::all().parse(&ok_json("hypervisor_managers_minimal.json")).unwrap();
    let ids: Vec<&str> = page.items.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["0d000000-0000-4000-8000-000000000001", "0d000000-0000-4000-8000-000000000002"]);
    for m in &page.items {
        assert_eq!((m.name.as_ref(), m.url.as_ref(), m.kind.as_ref()), (None, None, None));
    }
}

#[test]
fn list_hypervisor_managers_error_answers() {
    assert_error_answers(&ListHypervisorManagers::all());
}

#[test]
fn list_hypervisor_managers_never_panics() {
    common::parser_never_panics(&ListHypervisorManagers::for_restore_of(BACKUP));
}

// ---------------------------------------------------------------------------------------------------------
// ListHypervisors

#[test]
fn list_hypervisors_requests() {
    let req = ListHypervisors::all().request();
    assert_plain_get(&req);
    assert_eq!(req.path_and_query(), "/hypervisors");
    let req = ListHypervisors::page(3, 5).sort_by("host", Direction::Desc).request();
    assert_plain_get(&req);
    assert_eq!(req.path_and_query(), "/hypervisors?page=3&size=5&orderBy=host&direction=desc");
}

#[test]
fn list_hypervisors_reads_7x_object_enums() {
    let page =
        ListHypervisors::all().parse(&ok_json("hypervisors_7x.json").with_header("X-Total-Count", "12")).unwrap();
    assert_eq!(page.total, Some(12));
    assert_eq!(
        page.items,
        vec![
            Hypervisor {
                id: "b14a6ca8-aebf-4da2-9b95-6d4e7a5f3c55".into(),
                host: "kvm-01.lab.local".into(),
                kind: Some("KVM".into()),
                cluster: Some(Ref::named("c25b7db9-bfc0-4eb3-8ca6-7e5f8b6a4d66", "kvm-cluster")),
                hypervisor_manager: None,
            },
            Hypervisor {
                id: "c36c8eca-c0d1-4fc4-9db7-8f6a9c7b5e77".into(),
                host: "esxi-02.lab.local".into(),
                kind: Some("ESXI".into()),
                cluster: None,
                hypervisor_manager: Some(Ref::named("9f2e4a86-8c9d-4b80-9f73-4b2c5e3d1a33", "vcenter-01")),
            },
        ]
    );
}

#[test]
fn list_hypervisors_reads_newest_bare_strings_and_extra_fields() {
    let page = ListHypervisors::all().parse(&ok_json("hypervisors_newest.json")).unwrap();
    assert_eq!(page.items[0].kind.as_deref(), Some("CITRIX"));
    assert_eq!(page.items[0].cluster, Some(Ref::named("e58eaaec-e2f3-4be6-9fd9-a18cbe9d7a99", "pool-1")));
    assert_eq!(page.items[1].kind.as_deref(), Some("HYPERV_2025"));
    assert_eq!(page.items[1].host, "hyperv-01.lab.local");
}

#[test]
fn list_hypervisors_reads_4x_records() {
    let page = ListHypervisors::all().parse(&ok_json("hypervisors_4x.json")).unwrap();
    assert_eq!(
        page.items,
        vec![Hypervisor {
            id: "f69fbbfd-f304-4cf7-a0ea-b29dcfae8baa".into(),
            host: "10.0.0.21".into(),
            kind: Some("KVM".into()),
            cluster: None,
            hypervisor_manager: None,
        }]
    );
}

#[test]
fn list_hypervisors_reads_minimal_records_with_a_fallback_label() {
    let page = ListHypervisors::all().parse(&ok_json("hypervisors_minimal.json")).unwrap();
    assert_eq!(page.items[0].host, "0e000000-0000-4000-8000-000000000001", "no host: the guid labels it");
    assert_eq!(page.items[1].host, "named-only", "no host: the name labels it");
    for h in &page.items {
        assert_eq!((h.kind.as_ref(), h.cluster.as_ref(), h.hypervisor_manager.as_ref()), (None, None, None));
    }
}

#[test]
fn list_hypervisors_error_answers() {
    assert_error_answers(&ListHypervisors::all());
}

#[test]
fn list_hypervisors_never_panics() {
    common::parser_never_panics(&ListHypervisors::page(0, 20));
}

// ---------------------------------------------------------------------------------------------------------
// ListClusters

#[test]
fn list_clusters_requests() {
    let req = ListClusters::of_manager(MANAGER).request();
    assert_plain_get(&req);
    assert_eq!(req.path_and_query(), format!("/hypervisor-clusters?hypervisor-manager={MANAGER}"));

    let req = ListClusters::of_manager("m/1").page(1, 50).sort_by("name", Direction::Asc).request();
    assert_eq!(
        req.path_and_query(),
        "/hypervisor-clusters?hypervisor-manager=m%2F1&page=1&size=50&orderBy=name&direction=asc"
    );
    assert_eq!(ListClusters::all().request().path_and_query(), "/hypervisor-clusters");
}

#[test]
fn list_clusters_reads_records_with_extra_fields() {
    let page =
        ListClusters::of_manager(MANAGER).parse(&ok_json("clusters.json").with_header("X-Total-Count", "2")).unwrap();
    assert_eq!(page.total, Some(2));
    assert_eq!(
        page.items,
        vec![
            Cluster {
                id: "c4a1e2b3-0c1d-4e2f-8a3b-4c5d6e7f8091".into(),
                uuid: Some("00000002-0002-0002-0002-0000000001e3".into()),
                name: "Default".into(),
            },
            Cluster {
                id: "d5b2f3c4-1d2e-4f30-9b4c-5d6e7f8091a2".into(),
                uuid: Some("7c4e8f1a-2b3c-4d5e-8f90-a1b2c3d4e5f6".into()),
                name: "Production".into(),
            },
        ]
    );
}

#[test]
fn list_clusters_reads_minimal_records_with_fallback_names() {
    let page = ListClusters::all().parse(&ok_json("clusters_minimal.json")).unwrap();
    assert_eq!(
        page.items,
        vec![
            Cluster {
                id: "0f000000-0000-4000-8000-000000000001".into(),
                uuid: None,
                name: "0f000000-0000-4000-8000-000000000001".into()
            },
            Cluster {
                id: "0f000000-0000-4000-8000-000000000002".into(),
                uuid: Some("platform-cluster-2".into()),
                name: "platform-cluster-2".into()
            },
            Cluster {
                id: "0f000000-0000-4000-8000-000000000003".into(),
                uuid: None,
                name: "0f000000-0000-4000-8000-000000000003".into()
            },
        ]
    );
}

#[test]
fn list_clusters_error_answers() {
    assert_error_answers(&ListClusters::of_manager(MANAGER));
}

#[test]
fn list_clusters_never_panics() {
    common::parser_never_panics(&ListClusters::of_manager(MANAGER));
}

// ---------------------------------------------------------------------------------------------------------
// ListStorages

#[test]
fn list_storages_requests() {
    let req = ListStorages::of_manager(MANAGER).request();
    assert_plain_get(&req);
    assert_eq!(req.path_and_query(), format!("/hypervisor-storages?hypervisor-manager={MANAGER}"));
    assert_eq!(ListStorages::all().request().path_and_query(), "/hypervisor-storages");
}

#[test]
fn list_storages_reads_clusters_and_space() {
    let page = ListStorages::of_manager(MANAGER).parse(&ok_json("storages.json")).unwrap();
    assert_eq!(
        page.items[0],
        Storage {
            id: "a1b2c3d4-1111-4aaa-8bbb-000000000001".into(),
            uuid: Some("9a1b2c3d-platform-storage-uuid".into()),
            name: "data-nfs".into(),
            clusters: vec![
                Ref::named("c4a1e2b3-0c1d-4e2f-8a3b-4c5d6e7f8091", "Default"),
                Ref::named("d5b2f3c4-1d2e-4f30-9b4c-5d6e7f8091a2", "Production"),
            ],
            available_bytes: Some(2199023255552),
            used_bytes: Some(549755813888),
        }
    );
    // Bare-guid cluster references, a null and a guid-less entry; a numeric string; a negative size.
    assert_eq!(
        page.items[1],
        Storage {
            id: "a1b2c3d4-1111-4aaa-8bbb-000000000002".into(),
            uuid: Some("5e6f7a8b-platform-storage-uuid".into()),
            name: "iscsi-gold".into(),
            clusters: vec![Ref::id("d5b2f3c4-1d2e-4f30-9b4c-5d6e7f8091a2")],
            available_bytes: Some(1099511627776),
            used_bytes: None,
        }
    );
}

#[test]
fn list_storages_reads_minimal_records() {
    let page = ListStorages::all().parse(&ok_json("storages_minimal.json")).unwrap();
    for (s, id) in
        page.items.iter().zip(["10000000-0000-4000-8000-000000000001", "10000000-0000-4000-8000-000000000002"])
    {
        assert_eq!(
            *s,
            Storage {
                id: id.into(),
                uuid: None,
                name: id.into(),
                clusters: vec![],
                available_bytes: None,
                used_bytes: None
            }
        );
    }
}

#[test]
fn list_storages_error_answers() {
    assert_error_answers(&ListStorages::of_manager(MANAGER));
}

#[test]
fn list_storages_never_panics() {
    common::parser_never_panics(&ListStorages::of_manager(MANAGER));
}

// ---------------------------------------------------------------------------------------------------------
// ListBackupDestinations

fn fs_primary() -> BackupDestination {
    BackupDestination {
        id: "b0d1c2e3-1111-4222-8333-444455556666".into(),
        name: "fs-primary".into(),
        kind: Some("FILESYSTEM".into()),
        description: Some("Local XFS on node1".into()),
        is_default: true,
        used_bytes: Some(3298534883328),
        available_bytes: Some(7696581394432),
    }
}

#[test]
fn list_backup_destinations_requests() {
    let req = ListBackupDestinations::all().request();
    assert_plain_get(&req);
    assert_eq!(req.path_and_query(), "/backup-destinations");
    let req = ListBackupDestinations::page(0, 20).sort_by("name", Direction::Asc).request();
    assert_plain_get(&req);
    assert_eq!(req.path_and_query(), "/backup-destinations?page=0&size=20&orderBy=name&direction=asc");
}

#[test]
fn list_backup_destinations_reads_7x_object_enums() {
    let page = ListBackupDestinations::all()
        .parse(&ok_json("backup_destinations_7x.json").with_header("X-Total-Count", "2"))
        .unwrap();
    assert_eq!(page.total, Some(2));
    assert_eq!(
        page.items,
        vec![
            fs_primary(),
            BackupDestination {
                id: "c1e2d3f4-2222-4333-8444-555566667777".into(),
                name: "s3-offsite".into(),
                kind: Some("S3".into()),
                description: None,
                is_default: false,
                used_bytes: Some(1099511627776),
                available_bytes: None,
            },
        ]
    );
}

#[test]
fn list_backup_destinations_reads_newest_bare_strings_and_extra_fields() {
    let page = ListBackupDestinations::all().parse(&ok_json("backup_destinations_newest.json")).unwrap();
    assert_eq!(
        page.items[0],
        BackupDestination {
            id: "d2f3e4a5-3333-4444-8555-666677778888".into(),
            name: "azure-archive".into(),
            kind: Some("AZURE".into()),
            description: None,
            is_default: false,
            used_bytes: Some(0),
            available_bytes: Some(1099511627776),
        }
    );
    assert_eq!(page.items[1].kind.as_deref(), Some("CEPH_RGW"));
    assert!(!page.items[1].is_default);
}

#[test]
fn list_backup_destinations_reads_minimal_records() {
    let page = ListBackupDestinations::all().parse(&ok_json("backup_destinations_minimal.json")).unwrap();
    for (d, id) in
        page.items.iter().zip(["11000000-0000-4000-8000-000000000001", "11000000-0000-4000-8000-000000000002"])
    {
        assert_eq!(
            *d,
            BackupDestination {
                id: id.into(),
                name: id.into(),
                kind: None,
                description: None,
                is_default: false,
                used_bytes: None,
                available_bytes: None,
            }
        );
    }
}

#[test]
fn list_backup_destinations_error_answers() {
    assert_error_answers(&ListBackupDestinations::all());
}

#[test]
fn list_backup_destinations_never_panics() {
    common::parser_never_panics(&ListBackupDestinations::page(0, 10));
}

// ---------------------------------------------------------------------------------------------------------
// UsableBackupDestinations

#[test]
fn usable_backup_destinations_request() {
    let req = UsableBackupDestinations::new(vec![
        Ref::id("0f36f40c-6427-4035-9f2b-1ead6aca3597"),
        Ref::named("1a47a51d-7538-4146-8a3c-2fbe7bdb46a8", "db-01"),
    ])
    .request();
    assert_eq!(req.method, Method::Post);
    // Only reads: safe to replay after a lost answer.
    assert_eq!(req.purpose, Purpose::Query);
    assert_eq!(req.path_and_query(), "/backup-destinations/usable-for-vms");
    assert_eq!(
        req.body_json(),
        Some(json!([
            {"guid": "0f36f40c-6427-4035-9f2b-1ead6aca3597"},
            {"guid": "1a47a51d-7538-4146-8a3c-2fbe7bdb46a8", "name": "db-01"}
        ]))
    );
    assert!(req.headers.contains(&("Content-Type".to_string(), "application/json".to_string())));
}

#[test]
fn usable_backup_destinations_reads_destinations() {
    let op = UsableBackupDestinations::new(vec![Ref::id("vm-1")]);
    let page = op.parse(&ok_json("usable_destinations.json")).unwrap();
    let mut expected = fs_primary();
    expected.description = None;
    assert_eq!(page.items, vec![expected]);
    assert_eq!(page.total, None);

    let page = op.parse(&ok_json("backup_destinations_newest.json")).unwrap();
    assert_eq!(page.items[0].kind.as_deref(), Some("AZURE"));

    let page = op.parse(&ok_json("backup_destinations_minimal.json")).unwrap();
    assert_eq!(page.items.len(), 2);

    // 201 Created with the list, as the generated docs show for POSTs.
    let page = op.parse(&HttpResponse::new(201, fixture("inventory/usable_destinations.json"))).unwrap();
    assert_eq!(page.items.len(), 1);
}

#[test]
fn usable_backup_destinations_error_answers() {
    assert_error_answers(&UsableBackupDestinations::new(vec![Ref::id("vm-1")]));
}

#[test]
fn usable_backup_destinations_never_panics() {
    common::parser_never_panics(&UsableBackupDestinations::new(vec![Ref::id("vm-1")]));
}

// ---------------------------------------------------------------------------------------------------------
// ListProjects

#[test]
fn list_projects_requests() {
    let req = ListProjects::of_manager(MANAGER).request();
    assert_plain_get(&req);
    assert_eq!(req.path_and_query(), format!("/projects?hypervisor-manager={MANAGER}"));
    let req = ListProjects::all().request();
    assert_plain_get(&req);
    assert_eq!(req.path_and_query(), "/projects");
}

#[test]
fn list_projects_reads_records_with_extra_fields() {
    let page =
        ListProjects::of_manager(MANAGER).parse(&ok_json("projects.json").with_header("X-Total-Count", "2")).unwrap();
    assert_eq!(page.total, Some(2));
    assert_eq!(
        page.items,
        vec![
            Project {
                id: "aa11bb22-3333-4444-8555-666677778888".into(),
                uuid: Some("4f0c9e7a1b2c4d3e8f9a0b1c2d3e4f5a".into()),
                name: "tenant-a".into(),
            },
            Project {
                id: "bb22cc33-4444-4555-8666-777788889999".into(),
                uuid: Some("5a1d0f8b2c3d4e5f9a0b1c2d3e4f5a6b".into()),
                name: "tenant-b".into(),
            },
        ]
    );
}

#[test]
fn list_projects_reads_minimal_records_with_fallback_names() {
    let page = ListProjects::all().parse(&ok_json("projects_minimal.json")).unwrap();
    assert_eq!(
        page.items,
        vec![
            Project {
                id: "12000000-0000-4000-8000-000000000001".into(),
                uuid: None,
                name: "12000000-0000-4000-8000-000000000001".into()
            },
            Project {
                id: "12000000-0000-4000-8000-000000000002".into(),
                uuid: Some("platform-project-2".into()),
                name: "platform-project-2".into()
            },
        ]
    );
}

#[test]
fn list_projects_error_answers() {
    assert_error_answers(&ListProjects::of_manager(MANAGER));
}

#[test]
fn list_projects_never_panics() {
    common::parser_never_panics(&ListProjects::of_manager(MANAGER));
}
