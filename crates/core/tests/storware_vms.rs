#![allow(clippy::unwrap_used)]
//! `GET /virtual-machines` and `GET /virtual-machines/{guid}`: requests and parsing.

mod common;

use common::{fixture, html_page, json_response, ok_fixture};
use vmbackup_core::domain::{Direction, Ref};
use vmbackup_core::http::{HttpResponse, Method};
use vmbackup_core::storware::vms::{GetVm, ListVms};
use vmbackup_core::{Endpoint, ErrorKind};

#[test]
fn list_request_with_every_option() {
    let op = ListVms::page(3, 25).sort_by("lastBackup", Direction::Desc).name_like("  web & db ").in_project("p/1");
    let req = op.request();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path, "/virtual-machines");
    assert_eq!(
        req.path_and_query(),
        "/virtual-machines?page=3&size=25&orderBy=lastBackup&direction=desc&filter=web%20%26%20db&project-uuid=p%2F1"
    );
    assert_eq!(req.body, None);
}

#[test]
fn list_request_without_paging_fetches_all() {
    let req = ListVms::all().request();
    assert_eq!(req.path_and_query(), "/virtual-machines");
    // A blank search is no filter at all.
    assert_eq!(ListVms::page(0, 10).name_like("   ").request().path_and_query(), "/virtual-machines?page=0&size=10");
}

#[test]
fn list_parses_7x_records_with_object_enums_and_total() {
    let resp = ok_fixture("vms/list_7x.json").with_header("x-total-count", "137");
    let page = ListVms::page(0, 2).parse(&resp).unwrap();
    assert_eq!(page.total, Some(137));
    assert_eq!(page.items.len(), 2);
    let web = &page.items[0];
    assert_eq!(web.id, "0f36f40c-6427-4035-9f2b-1ead6aca3597");
    assert_eq!(web.platform_id.as_deref(), Some("4a9e2b71-3c1d-4e55-9f0a-8c2d1e7b6a10"));
    assert_eq!(web.name, "web-01");
    assert_eq!(web.hypervisor_manager, Some(Ref::named("7d0c2e64-6a7b-4f6e-9d51-2f0a3c1b9e11", "rhv.lab.local")));
    assert_eq!(web.cluster, Some(Ref::named("c4a10000-0000-4000-8000-000000000001", "Default")));
    assert_eq!(web.platform.as_deref(), Some("RHV"));
    assert_eq!(web.protection.policy, Some(Ref::named("a8b1f0d2-1111-4c3d-9e8f-000000000001", "gold")));
    assert_eq!(web.protection.up_to_date, Some(true));
    assert_eq!(web.protection.last_backup, Some(1_740_989_261_000));
    assert_eq!(web.protection.last_backup_size, Some(2_147_483_648));
    assert!(web.protection.present);
    assert!(!web.protection.warnings);
    assert_eq!(web.tags, vec!["prod", "web"]);

    let db = &page.items[1];
    assert!(!db.protection.present);
    assert_eq!(db.protection.policy, None);
    assert_eq!(db.protection.up_to_date, None, "absent backupUpToDate means no schedule applies");
    assert_eq!(db.protection.last_backup, None);
    assert_eq!(db.hypervisor, Some(Ref::named("h1000000-0000-4000-8000-000000000001", "kvm-host-1")));
    assert_eq!(db.platform.as_deref(), Some("KVM"));
}

#[test]
fn list_parses_bare_strings_numeric_strings_and_bare_guid_refs() {
    let page = ListVms::all().parse(&ok_fixture("vms/list_bare_enums.json")).unwrap();
    let vm = &page.items[0];
    assert_eq!(page.total, None, "no X-Total-Count header, no total");
    assert_eq!(vm.platform.as_deref(), Some("OPENSTACK"));
    assert_eq!(vm.hypervisor_manager, Some(Ref::id("m-guid")));
    assert_eq!(vm.project, Some(Ref::named("p-1", "tenant-a")));
    assert_eq!(vm.protection.policy, Some(Ref::id("pol-guid")));
    assert_eq!(vm.protection.last_backup, Some(1_740_989_261_000));
    assert_eq!(vm.protection.last_backup_size, Some(1024));
    assert!(vm.protection.present);
    assert!(vm.protection.warnings);
    assert_eq!(vm.protection.up_to_date, Some(false));
    assert_eq!(vm.tags, vec!["a", "b"], "non-string tags are skipped, not fatal");
}

#[test]
fn list_reads_minimal_and_4x_records() {
    let page = ListVms::all().parse(&ok_fixture("vms/list_minimal.json")).unwrap();
    let vm = &page.items[0];
    assert_eq!(vm.name, "only-guid", "a VM without a name is shown by its id");
    assert!(vm.protection.present, "servers that omit `present` list existing VMs");
    assert_eq!(vm.protection.policy, None);

    let page = ListVms::all().parse(&ok_fixture("vms/list_4x.json")).unwrap();
    let vm = &page.items[0];
    assert_eq!(vm.name, "legacy-vm");
    assert_eq!(vm.platform.as_deref(), Some("RHEV"));
    assert_eq!(vm.protection.policy, Some(Ref::named("p-1", "default")));
    assert_eq!(vm.protection.last_backup_size, Some(12345));
}

#[test]
fn list_accepts_an_envelope_and_ignores_a_bad_total() {
    let body = r#"{"members":[{"guid":"a","name":"x"}]}"#;
    let page = ListVms::all().parse(&json_response(200, body).with_header("X-Total-Count", "many")).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.total, None);
}

#[test]
fn list_row_without_guid_is_a_decode_error_naming_the_row() {
    let e = ListVms::all().parse(&json_response(200, r#"[{"guid":"a"},{"name":"no id"}]"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.detail.unwrap().contains("row 1"));
}

#[test]
fn list_errors_carry_the_servers_message() {
    let e = ListVms::all().parse(&HttpResponse::new(401, Vec::new())).unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Unauthorized, Some(401)));

    let e = ListVms::all().parse(&HttpResponse::new(403, fixture("errors/forbidden.json"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert_eq!(e.message, "Missing privilege: VE_BACKUP_SLA_WRITE");

    let e = ListVms::all().parse(&json_response(500, r#"{"message":"Database unavailable"}"#)).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::Server, "Database unavailable"));
}

#[test]
fn list_html_answers_say_so() {
    let e = ListVms::all().parse(&html_page(502)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server);
    assert!(e.message.contains("web page"), "{}", e.message);
    assert_eq!(e.detail.as_deref(), Some("Page title: 502 Bad Gateway"));

    // A 200 HTML page: the API base URL points at a web site (the portal's own index.html).
    let resp = HttpResponse::new(200, fixture("errors/spa_index.html"));
    let e = ListVms::all().parse(&resp).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.message.contains("web page"), "{}", e.message);
    assert_eq!(e.detail.as_deref(), Some("Page title: Cloud Portal"));
}

#[test]
fn list_not_json_is_a_decode_error() {
    let e = ListVms::all().parse(&HttpResponse::new(200, b"{\"guid\": ".to_vec())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.message.contains("list of virtual machines"));
    let e = ListVms::all().parse(&json_response(200, r#"{"guid":"a"}"#)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
}

#[test]
fn hostile_names_are_kept_verbatim() {
    let body = r#"[{"guid":"x","name":"<img src=x onerror=alert(1)>\"'; DROP TABLE"}]"#;
    let page = ListVms::all().parse(&json_response(200, body)).unwrap();
    assert_eq!(page.items[0].name, "<img src=x onerror=alert(1)>\"'; DROP TABLE");
}

#[test]
fn get_vm_request_and_detail_parse() {
    let op = GetVm::new("0f36/../x");
    let req = op.request();
    assert_eq!((req.method, req.path.as_str()), (Method::Get, "/virtual-machines/0f36%2F..%2Fx"));
    let vm = GetVm::new("0f36f40c-6427-4035-9f2b-1ead6aca3597").parse(&ok_fixture("vms/detail_7x.json")).unwrap();
    assert_eq!(vm.name, "web-01");
    assert_eq!(vm.protection.policy.unwrap().name.as_deref(), Some("gold"));
    let e = op.parse(&HttpResponse::new(404, fixture("errors/not_found.json"))).unwrap_err();
    assert_eq!((e.kind, e.message.as_str()), (ErrorKind::NotFound, "Virtual machine with guid 0f36 not found"));
}

#[test]
fn list_vms_never_panics() {
    common::parser_never_panics(&ListVms::page(0, 10));
}

#[test]
fn get_vm_never_panics() {
    common::parser_never_panics(&GetVm::new("x"));
}
