//! VM backup policies (`/policies/vm-backup`) and their rules (`/rules/vm-backup`).
//!
//! A policy (an SLA) groups VMs and carries rules; a rule names the schedules that fire it and the destinations
//! it writes to, with retention. A backup started by hand names the rule it follows, which a backup dialog
//! finds with [`PoliciesForVms`].
//!
//! Writing follows the 5.x–7.x shape of `storware-api.md` §4.9: one request with the rules inline, each rule
//! with `ruleBackupDestinations`. Storware replaces the whole policy on `PUT`, which is also how VMs are
//! assigned and unassigned ([`AssignVms`]).
//!
//! Reading also takes 4.x records: policies without inline rules, rules with `backupDestinations` (a list of
//! destination references, read as active PRIMARY destinations with the server's default retention) and bare
//! guid strings in place of references. Rules marked for deletion (`markedForDeletion: true`) are dropped when a
//! policy is read, as the Storware UI does; rules are ordered by `position`.

use std::collections::HashSet;

use rustc_hash::FxBuildHasher;

use crate::json::{Map, Value};

use super::paged;
use super::wire::{
    ensure_success, guid_ref, guid_refs, name_only, object, parse_empty, parse_list, parse_record, strings, Record,
};
use crate::domain::{
    AutoAssignMode, DestinationRole, Direction, Page, PageRequest, Policy, Ref, Retention, Rule, RuleDestination, Sort,
};
use crate::endpoint::Endpoint;
use crate::error::{ApiError, FieldError, ValidationCode};
use crate::http::{segment, HttpRequest, HttpResponse, Purpose};

/// Priority the Storware UI gives a new policy, and what a record without one is read as.
pub const DEFAULT_PRIORITY: u8 = 50;

/// The retention the Storware UI proposes for a new rule destination: keep the last 4 full and 30 incremental
/// backups, and every backup newer than 30 days.
///
/// ```
/// # use vmbackup_core::storware::policies::ui_default_retention;
/// assert_eq!(ui_default_retention().keep_last_full, Some(4));
/// assert_eq!(ui_default_retention().keep_full_newer_than_ms, Some(2_592_000_000));
/// ```
pub fn ui_default_retention() -> Retention {
    const THIRTY_DAYS_MS: u64 = 30 * 86_400_000;
    Retention {
        keep_last_full: Some(4),
        keep_full_newer_than_ms: Some(THIRTY_DAYS_MS),
        keep_last_incremental: Some(30),
        keep_incremental_newer_than_ms: Some(THIRTY_DAYS_MS),
        keep_last_when_source_exists: false,
    }
}

// ---------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------

/// The fields of a policy record this version reads; every other field is kept in `server_fields`.
/// (`autoAssignSettings` is read for its `mode` and kept whole in `server_fields` too.)
const POLICY_FIELDS: [&str; 12] = [
    "guid",
    "name",
    "active",
    "priority",
    "backupRetryCount",
    "autoRemoveNonPresent",
    "autoAssignSettings",
    "vms",
    "rules",
    "projects",
    "visibleForAllProjects",
    "vmCount",
];

/// The fields of a rule record this version reads; every other field is kept in `server_fields`.
const RULE_FIELDS: [&str; 9] = [
    "guid",
    "name",
    "active",
    "position",
    "policy",
    "schedules",
    "ruleBackupDestinations",
    "backupDestinations",
    "markedForDeletion",
];

fn to_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `backupRetentionSettings`.
fn read_retention(w: Record) -> Retention {
    Retention {
        keep_last_full: w.u64("retentionKeepLastNFull").map(to_u32),
        keep_full_newer_than_ms: w.u64("retentionKeepFullNewerThan"),
        keep_last_incremental: w.u64("retentionKeepLastNIncremental").map(to_u32),
        keep_incremental_newer_than_ms: w.u64("retentionKeepIncrementalNewerThan"),
        keep_last_when_source_exists: w.bool("keepLastBackupWhenSourceStillExists").unwrap_or(false),
    }
}

/// One entry of `ruleBackupDestinations`; `None` when it names no destination (nothing to show or send back).
fn read_rule_destination(w: Record) -> Option<RuleDestination> {
    Some(RuleDestination {
        destination: w.reference("backupDestination")?,
        id: w.string("guid"),
        role: w.enum_name("roleType").map_or(DestinationRole::Primary, DestinationRole::from_name),
        active: w.bool("active").unwrap_or(true),
        retention_lock_days: w.u64("daysToKeepRetentionLock").map(to_u32).unwrap_or(0),
        retention: w.object("backupRetentionSettings").map(read_retention).unwrap_or_default(),
    })
}

/// A rule as `GET /rules/vm-backup/{guid}` sends it and as it sits inside a policy (5.x–7.x and 4.x).
fn read_rule_record(w: Record) -> Result<Rule, String> {
    // Entries that are not objects are skipped.
    let mut destinations: Vec<RuleDestination> = w
        .lenient_list("ruleBackupDestinations")
        .iter()
        .filter_map(|d| Record::new(d).ok().and_then(read_rule_destination))
        .collect();
    // 4.x: plain destination references (read before the check, as a record whose list is not a list fails).
    let plain_destinations = w.refs("backupDestinations")?;
    if destinations.is_empty() {
        // 4.x: the rule lists destinations only; retention lived on the destination itself.
        destinations = plain_destinations
            .into_iter()
            .map(|destination| RuleDestination {
                id: None,
                destination,
                role: DestinationRole::Primary,
                active: true,
                retention_lock_days: 0,
                retention: Retention::default(),
            })
            .collect();
    }
    Ok(Rule {
        id: w.string("guid"),
        name: w.string("name").unwrap_or_default(),
        active: w.bool("active").unwrap_or(true),
        position: w.u64("position").map(to_u32),
        policy: w.reference("policy"),
        schedules: w.refs("schedules")?,
        destinations,
        server_fields: w.other_fields(&RULE_FIELDS),
    })
}

/// A policy as `GET /policies/vm-backup[/{guid}]`, create/update and `list-by-entities` send it.
fn read_policy_record(w: Record) -> Result<Policy, String> {
    let guid = w.required_string("guid")?;
    let name = w.string("name");
    let own_ref = Ref { id: guid.clone(), name: name.clone() };
    // Rule objects, or bare rule guids (4.x listings); anything else (an unreadable rule too) is skipped, and so
    // are rules marked for deletion, as the Storware UI does.
    let mut rules: Vec<Rule> = w
        .lenient_list("rules")
        .iter()
        .filter_map(|v| match v {
            Value::String(guid) => Some(Rule { id: Some(guid.clone()), ..bare_rule() }),
            Value::Object(map) if Record(map).bool("markedForDeletion") == Some(true) => None,
            Value::Object(map) => read_rule_record(Record(map)).ok(),
            _ => None,
        })
        .map(|mut rule| {
            // Inline rules often omit their policy; the backup dialog wants to know it.
            rule.policy.get_or_insert_with(|| own_ref.clone());
            rule
        })
        .collect();
    // Stable: rules without a position keep their order, after the positioned ones. An insertion sort: a policy
    // has a handful of rules, and the standard library's stable sort is ~4 KB of wasm per element type.
    let position = |rule: &Rule| rule.position.unwrap_or(u32::MAX);
    for sorted in 1..rules.len() {
        let mut at = sorted;
        while at > 0 && position(&rules[at - 1]) > position(&rules[at]) {
            rules.swap(at - 1, at);
            at -= 1;
        }
    }
    let auto_assign_settings = w.get("autoAssignSettings");
    let auto_assign = auto_assign_settings
        .and_then(|settings| settings.get("mode"))
        .and_then(|mode| match mode {
            Value::String(name) => Some(name.as_str()),
            Value::Object(map) => map.get("name").and_then(Value::as_str),
            _ => None,
        })
        .map_or(AutoAssignMode::Disabled, AutoAssignMode::from_name);
    let mut server_fields = w.other_fields(&POLICY_FIELDS);
    if let Some(settings @ Value::Object(_)) = auto_assign_settings {
        server_fields.insert("autoAssignSettings".into(), settings.clone());
    }
    Ok(Policy {
        id: Some(guid),
        // Blank rather than the id, so that saving the policy back never renames it.
        name: name.unwrap_or_default(),
        active: w.bool("active").unwrap_or(true),
        priority: u8::try_from(w.u64("priority").unwrap_or(u64::from(DEFAULT_PRIORITY)).min(100)).unwrap_or(100),
        retry_count: w.u64("backupRetryCount").map(to_u32).unwrap_or(0),
        auto_remove_non_present: w.bool("autoRemoveNonPresent").unwrap_or(false),
        auto_assign,
        vms: w.refs("vms")?,
        rules,
        projects: w.refs("projects")?,
        visible_for_all_projects: w.bool("visibleForAllProjects").unwrap_or(true),
        vm_count: w.u64("vmCount").map(to_u32),
        server_fields,
    })
}

/// A rule known by its guid only (4.x policy listings), read as a rule record with no fields would be.
fn bare_rule() -> Rule {
    Rule {
        id: None,
        name: String::new(),
        active: true,
        position: None,
        policy: None,
        schedules: Vec::new(),
        destinations: Vec::new(),
        server_fields: Map::new(),
    }
}

fn read_policy(response: &HttpResponse) -> Result<Policy, ApiError> {
    parse_record(response, "a backup policy", read_policy_record)
}

fn read_rule(response: &HttpResponse) -> Result<Rule, ApiError> {
    // A rule read on its own is returned as it is, `markedForDeletion` or not: the caller asked for it by id.
    parse_record(response, "a policy rule", read_rule_record)
}

fn is_blank(response: &HttpResponse) -> bool {
    response.body.iter().all(u8::is_ascii_whitespace)
}

// ---------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------

/// Whether record ids (`guid`) of rules and rule destinations go into a body: yes when updating existing
/// records, no when creating (a copied policy's rule ids belong to the original).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ids {
    Keep,
    Drop,
}

fn retention_body(r: &Retention) -> Value {
    object(vec![
        ("retentionKeepLastNFull", Value::from(r.keep_last_full)),
        ("retentionKeepFullNewerThan", Value::from(r.keep_full_newer_than_ms)),
        ("retentionKeepLastNIncremental", Value::from(r.keep_last_incremental)),
        ("retentionKeepIncrementalNewerThan", Value::from(r.keep_incremental_newer_than_ms)),
        ("keepLastBackupWhenSourceStillExists", Value::from(r.keep_last_when_source_exists)),
    ])
}

fn destination_body(d: &RuleDestination, ids: Ids) -> Value {
    let mut body = Map::new();
    if let (Ids::Keep, Some(id)) = (ids, &d.id) {
        body.insert("guid".into(), Value::from(id.as_str()));
    }
    body.insert("roleType".into(), name_only(d.role.as_str()));
    body.insert("active".into(), Value::from(d.active));
    body.insert("backupDestination".into(), guid_ref(&d.destination));
    body.insert("daysToKeepRetentionLock".into(), Value::from(d.retention_lock_days));
    body.insert("backupRetentionSettings".into(), retention_body(&d.retention));
    Value::Object(body)
}

/// The fields a rule body always has: `guid` (when kept), `name`, `active`, `schedules`, `ruleBackupDestinations`.
fn rule_fields(rule: &Rule, ids: Ids) -> Map {
    // Unmodelled server fields first, so that saving keeps them; modelled fields overwrite.
    let mut body = rule.server_fields.clone();
    if let (Ids::Keep, Some(id)) = (ids, &rule.id) {
        body.insert("guid".into(), Value::from(id.as_str()));
    }
    body.insert("name".into(), Value::from(rule.name.as_str()));
    body.insert("active".into(), Value::from(rule.active));
    body.insert("schedules".into(), guid_refs(&rule.schedules));
    body.insert("ruleBackupDestinations".into(), rule.destinations.iter().map(|d| destination_body(d, ids)).collect());
    body
}

/// A rule inside a policy body; `position` is the rule's own, or its place in the list.
fn inline_rule_body(rule: &Rule, index: usize, ids: Ids) -> Value {
    let mut body = rule_fields(rule, ids);
    let position = rule.position.unwrap_or_else(|| u32::try_from(index).unwrap_or(u32::MAX));
    body.insert("position".into(), Value::from(position));
    Value::Object(body)
}

/// A rule sent on its own to `/rules/vm-backup`: with its `policy`, and `position` only when known (the server
/// then places the rule itself).
fn standalone_rule_body(rule: &Rule, policy: Option<&Ref>, guid: Option<&str>) -> Value {
    let mut body = rule_fields(rule, if guid.is_some() { Ids::Keep } else { Ids::Drop });
    if let Some(guid) = guid {
        body.insert("guid".into(), Value::from(guid));
    }
    if let Some(position) = rule.position {
        body.insert("position".into(), Value::from(position));
    }
    if let Some(policy) = policy {
        body.insert("policy".into(), guid_ref(policy));
    }
    Value::Object(body)
}

/// The `VmBackupPolicyRequest` body of `POST /policies/vm-backup` and (with `guid`) `PUT …/{guid}`.
///
/// Fields the domain does not model (auto-assign lists, daily report, thresholds, …) are sent back as the server
/// gave them ([`Policy::server_fields`](crate::domain::Policy::server_fields)); a policy made here gets the
/// Storware UI's defaults: no auto-assign lists, no fail-remaining thresholds, no daily report, cleaning of old
/// backups on, no quiesce.
///
/// ```
/// # use vmbackup_core::domain::*;
/// # use vmbackup_core::storware::policies::policy_body;
/// let policy = Policy {
///     id: None, name: "gold".into(), active: true, priority: 50, retry_count: 0, auto_remove_non_present: false,
///     auto_assign: AutoAssignMode::Disabled, vms: vec![Ref::id("vm-1")], rules: vec![], projects: vec![],
///     visible_for_all_projects: true, vm_count: None, server_fields: Default::default(),
/// };
/// let body = policy_body(&policy, None);
/// let field = |path: &[&str]| path.iter().fold(Some(&body), |v, key| v?.get(key)).map(|v| v.to_json());
/// assert_eq!(field(&["autoAssignSettings", "mode"]).as_deref(), Some(r#"{"name":"DISABLED"}"#));
/// assert_eq!(field(&["vms"]).as_deref(), Some(r#"[{"guid":"vm-1"}]"#));
/// ```
pub fn policy_body(policy: &Policy, guid: Option<&str>) -> Value {
    let ids = if guid.is_some() { Ids::Keep } else { Ids::Drop };
    // Unmodelled server fields first, so that saving keeps what an administrator set; modelled fields overwrite.
    let mut body = policy.server_fields.clone();
    if let Some(guid) = guid {
        body.insert("guid".into(), Value::from(guid));
    }
    body.insert("name".into(), Value::from(policy.name.as_str()));
    body.insert("active".into(), Value::from(policy.active));
    body.insert("priority".into(), Value::from(policy.priority));
    body.insert("backupRetryCount".into(), Value::from(policy.retry_count));
    body.insert("autoRemoveNonPresent".into(), Value::from(policy.auto_remove_non_present));
    let mut auto_assign = match body.remove("autoAssignSettings") {
        Some(Value::Object(settings)) => settings,
        _ => ["includeTags", "excludeTags", "includeRegExps", "excludeRegExps", "hvClusters"]
            .into_iter()
            .map(|key| (key.to_string(), Value::Array(Vec::new())))
            .collect(),
    };
    auto_assign.insert("mode".into(), name_only(policy.auto_assign.as_str()));
    body.insert("autoAssignSettings".into(), Value::Object(auto_assign));
    body.insert("vms".into(), guid_refs(&policy.vms));
    body.insert(
        "rules".into(),
        policy.rules.iter().enumerate().map(|(index, rule)| inline_rule_body(rule, index, ids)).collect(),
    );
    // A project-scoped policy must keep its projects when it is replaced.
    body.insert("projects".into(), guid_refs(&policy.projects));
    body.insert("visibleForAllProjects".into(), Value::from(policy.visible_for_all_projects));
    // Settings the domain does not model: the server's values when the policy was read, else the UI's defaults.
    for (key, default) in [
        ("failRemainingBackupTasksExportThreshold", Value::Null),
        ("failRemainingBackupTasksStoreThreshold", Value::Null),
        ("dailyReportEnabled", Value::Bool(false)),
        ("executeAutoAssignmentAfterSavingPolicy", Value::Bool(false)),
        ("disableCleanOldBackups", Value::Bool(false)),
        ("quiesceBeforeSnapshot", Value::Bool(false)),
    ] {
        if !body.contains_key(key) {
            body.insert(key.into(), default);
        }
    }
    Value::Object(body)
}

fn missing_id(what: &str) -> ApiError {
    ApiError::validation(vec![FieldError::new(
        "guid",
        ValidationCode::Required,
        format!("The {what} has not been created yet, so it cannot be updated."),
    )])
}

/// The id of a saved policy, ready to be replaced: it must have an id and at least one rule. A policy read
/// without its rules (a list without `extended`) would otherwise be saved without them.
fn saved_policy_id(policy: &Policy) -> Result<String, ApiError> {
    let id = match &policy.id {
        Some(id) if !id.trim().is_empty() => id.clone(),
        _ => return Err(missing_id("policy")),
    };
    if policy.rules.is_empty() {
        return Err(ApiError::validation(vec![FieldError::new(
            "rules",
            ValidationCode::Empty,
            "The policy has no rules. Read it with its rules (GetPolicy, or ListPolicies with `extended`) before \
             saving it; the server needs at least one rule.",
        )]));
    }
    Ok(id)
}

// ---------------------------------------------------------------------------------------------------------
// Policy operations
// ---------------------------------------------------------------------------------------------------------

/// `GET /policies/vm-backup`: a page of VM backup policies.
///
/// Without [`ListPolicies::extended`] the server leaves out the rules.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::policies::ListPolicies};
/// let req = ListPolicies::page(0, 20).extended().for_vm("vm-1").request();
/// assert_eq!(req.path_and_query(), "/policies/vm-backup?page=0&size=20&extended=true&virtual-machine=vm-1");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListPolicies {
    /// `None` fetches every policy.
    pub page: Option<PageRequest>,
    pub sort: Option<Sort>,
    /// Ask for the rules too (`extended=true`).
    pub extended: bool,
    /// Names containing this text (`nameLike`).
    pub name_like: Option<String>,
    /// Free-text search (`filter`).
    pub filter: Option<String>,
    /// Only the policy of this VM (Storware guid, `virtual-machine`).
    pub vm: Option<String>,
    /// Only policies of this project (platform uuid).
    pub project_uuid: Option<String>,
}

fn non_blank(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

impl ListPolicies {
    /// One page of `size` policies, 0-based.
    pub fn page(index: u32, size: u32) -> Self {
        ListPolicies { page: Some(PageRequest { index, size }), ..Default::default() }
    }

    /// Every policy at once.
    pub fn all() -> Self {
        ListPolicies::default()
    }

    /// With each policy's rules.
    pub fn extended(mut self) -> Self {
        self.extended = true;
        self
    }

    /// Sorted by a server field (`name`, `priority`, …).
    pub fn sort_by(mut self, field: &str, direction: Direction) -> Self {
        self.sort = Some(Sort { field: field.to_string(), direction });
        self
    }

    /// Names containing `text` (blank text means no filter).
    pub fn name_like(mut self, text: &str) -> Self {
        self.name_like = non_blank(text);
        self
    }

    /// Free-text search (blank text means no filter).
    pub fn filter(mut self, text: &str) -> Self {
        self.filter = non_blank(text);
        self
    }

    /// Only the policy the VM with Storware id `vm_id` is assigned to.
    pub fn for_vm(mut self, vm_id: &str) -> Self {
        self.vm = Some(vm_id.to_string());
        self
    }

    /// Only policies of one project.
    pub fn in_project(mut self, project_uuid: &str) -> Self {
        self.project_uuid = Some(project_uuid.to_string());
        self
    }
}

impl Endpoint for ListPolicies {
    type Output = Page<Policy>;

    fn request(&self) -> HttpRequest {
        paged(HttpRequest::get("/policies/vm-backup"), self.page, self.sort.as_ref())
            .query_opt("extended", self.extended.then_some("true"))
            .query_opt("nameLike", self.name_like.as_ref())
            .query_opt("filter", self.filter.as_ref())
            .query_opt("virtual-machine", self.vm.as_ref())
            .query_opt("project-uuid", self.project_uuid.as_ref())
    }

    fn parse(&self, response: &HttpResponse) -> Result<Page<Policy>, ApiError> {
        parse_list(response, "a list of backup policies", read_policy_record)
    }
}

/// `GET /policies/vm-backup/{guid}`: one policy with its rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetPolicy {
    pub id: String,
}

impl GetPolicy {
    /// The policy with Storware id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        GetPolicy { id: id.into() }
    }
}

impl Endpoint for GetPolicy {
    type Output = Policy;

    fn request(&self) -> HttpRequest {
        HttpRequest::get(format!("/policies/vm-backup/{}", segment(&self.id)))
    }

    fn parse(&self, response: &HttpResponse) -> Result<Policy, ApiError> {
        read_policy(response)
    }
}

/// `POST /policies/vm-backup`: creates a policy with its rules in one request (5.x–7.x) and returns it as saved.
///
/// Ids in the given policy, its rules and their destinations are not sent: the server gives new ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatePolicy {
    pub policy: Policy,
}

impl CreatePolicy {
    /// Creates `policy`.
    pub fn new(policy: Policy) -> Self {
        CreatePolicy { policy }
    }
}

impl Endpoint for CreatePolicy {
    type Output = Policy;

    fn request(&self) -> HttpRequest {
        HttpRequest::post("/policies/vm-backup").json(&policy_body(&self.policy, None))
    }

    fn parse(&self, response: &HttpResponse) -> Result<Policy, ApiError> {
        read_policy(response)
    }
}

/// `PUT /policies/vm-backup/{guid}`: replaces a policy (same body as create plus `guid`; rule and destination
/// ids are kept so that existing rules are updated, not recreated).
///
/// The output is the policy as the server answered it, or — when the answer has no body — the policy sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatePolicy {
    /// The Storware id of the policy to replace (wins over `policy.id`).
    pub id: String,
    pub policy: Policy,
}

impl UpdatePolicy {
    /// Replaces the saved policy `policy`. Validation error when it has no id (field `guid`) or no rules (field
    /// `rules`: it was probably read without them, and saving it would drop them).
    pub fn new(policy: Policy) -> Result<Self, ApiError> {
        let id = saved_policy_id(&policy)?;
        Ok(UpdatePolicy { id, policy })
    }
}

fn put_policy(id: &str, policy: &Policy) -> HttpRequest {
    HttpRequest::put(format!("/policies/vm-backup/{}", segment(id))).json(&policy_body(policy, Some(id)))
}

fn read_put_policy(response: &HttpResponse, id: &str, sent: &Policy) -> Result<Policy, ApiError> {
    ensure_success(response)?;
    if is_blank(response) {
        return Ok(Policy { id: Some(id.to_string()), ..sent.clone() });
    }
    read_policy(response)
}

impl Endpoint for UpdatePolicy {
    type Output = Policy;

    fn request(&self) -> HttpRequest {
        put_policy(&self.id, &self.policy)
    }

    fn parse(&self, response: &HttpResponse) -> Result<Policy, ApiError> {
        read_put_policy(response, &self.id, &self.policy)
    }
}

/// `DELETE /policies/vm-backup/{guid}` (its rules go with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletePolicy {
    pub id: String,
}

impl DeletePolicy {
    /// Deletes the policy with Storware id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        DeletePolicy { id: id.into() }
    }
}

impl Endpoint for DeletePolicy {
    type Output = ();

    fn request(&self) -> HttpRequest {
        HttpRequest::delete(format!("/policies/vm-backup/{}", segment(&self.id)))
    }

    fn parse(&self, response: &HttpResponse) -> Result<(), ApiError> {
        parse_empty(response)
    }
}

/// Assigns VMs to a policy or removes them: Storware has no call for it, so the whole policy is replaced
/// (`PUT /policies/vm-backup/{guid}`) with the new `vms` list. A VM belongs to at most one policy; the server
/// moves a VM assigned here away from its previous policy.
///
/// The policy must be a fresh, complete read (with rules): whatever it holds is written back.
///
/// ```
/// # use vmbackup_core::domain::*;
/// # use vmbackup_core::storware::policies::AssignVms;
/// # let rule = Rule { id: Some("r1".into()), name: "Default".into(), active: true, position: Some(0), policy: None,
/// #     schedules: vec![], destinations: vec![], server_fields: Default::default() };
/// # let policy = Policy { id: Some("p1".into()), name: "gold".into(), active: true, priority: 50, retry_count: 0,
/// #     auto_remove_non_present: false, auto_assign: AutoAssignMode::Disabled, vms: vec![Ref::id("a")],
/// #     rules: vec![rule], projects: vec![], visible_for_all_projects: true, vm_count: None,
/// #     server_fields: Default::default() };
/// let op = AssignVms::assign(policy, &[Ref::id("a"), Ref::id("b")]).unwrap();
/// assert_eq!(op.policy.vms, vec![Ref::id("a"), Ref::id("b")]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignVms {
    /// The policy's Storware id.
    pub id: String,
    /// The policy as it will be saved, with the new `vms` list.
    pub policy: Policy,
}

/// A set of ids. FxHash instead of std's SipHash with random keys: the ids come from the backup server and the
/// user's own selection, not from an attacker choosing collisions, and SipHash with its key set-up added ~1 KiB
/// (brotli) to each wasm module; rustc-hash is already in the tree, through Leptos.
type IdSet<'a> = HashSet<&'a str, FxBuildHasher>;

/// `refs` without repeated ids, first occurrence kept.
fn unique_by_id(refs: Vec<Ref>) -> Vec<Ref> {
    let mut seen = IdSet::default();
    let first: Vec<bool> = refs.iter().map(|r| seen.insert(r.id.as_str())).collect();
    refs.into_iter().zip(first).filter_map(|(r, first)| first.then_some(r)).collect()
}

impl AssignVms {
    /// Adds `add` to the policy's VMs (VMs already assigned stay once).
    pub fn assign(mut policy: Policy, add: &[Ref]) -> Result<Self, ApiError> {
        let id = saved_policy_id(&policy)?;
        policy.vms.extend_from_slice(add);
        policy.vms = unique_by_id(policy.vms);
        Ok(AssignVms { id, policy })
    }

    /// Removes `remove` from the policy's VMs (compared by id).
    pub fn unassign(mut policy: Policy, remove: &[Ref]) -> Result<Self, ApiError> {
        let id = saved_policy_id(&policy)?;
        let gone: IdSet = remove.iter().map(|r| r.id.as_str()).collect();
        policy.vms.retain(|vm| !gone.contains(vm.id.as_str()));
        policy.vms = unique_by_id(policy.vms);
        Ok(AssignVms { id, policy })
    }

    /// Makes `vms` the policy's whole VM list.
    pub fn replace(mut policy: Policy, vms: Vec<Ref>) -> Result<Self, ApiError> {
        let id = saved_policy_id(&policy)?;
        policy.vms = unique_by_id(vms);
        Ok(AssignVms { id, policy })
    }
}

impl Endpoint for AssignVms {
    type Output = Policy;

    fn request(&self) -> HttpRequest {
        put_policy(&self.id, &self.policy)
    }

    fn parse(&self, response: &HttpResponse) -> Result<Policy, ApiError> {
        read_put_policy(response, &self.id, &self.policy)
    }
}

/// `POST /policies/vm-backup/list-by-entities`: the policies (with rules) of the given VMs. This is how a backup
/// dialog finds the rules a VM's backup can follow. A query: safe to repeat.
///
/// ```
/// # use vmbackup_core::{Endpoint, storware::policies::PoliciesForVms};
/// let req = PoliciesForVms::new(["vm-1"]).request();
/// assert_eq!(req.body_json(), Some(serde_json::json!({"protectedEntities": ["vm-1"]})));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoliciesForVms {
    /// Storware ids of the VMs.
    pub vm_ids: Vec<String>,
}

impl PoliciesForVms {
    /// The policies of the VMs with these Storware ids.
    pub fn new<I, S>(vm_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        PoliciesForVms { vm_ids: vm_ids.into_iter().map(Into::into).collect() }
    }
}

impl Endpoint for PoliciesForVms {
    type Output = Vec<Policy>;

    fn request(&self) -> HttpRequest {
        // Bare guid strings, as the Storware UI sends them.
        HttpRequest::post("/policies/vm-backup/list-by-entities")
            .purpose(Purpose::Query)
            .json(&object(vec![("protectedEntities", strings(&self.vm_ids))]))
    }

    fn parse(&self, response: &HttpResponse) -> Result<Vec<Policy>, ApiError> {
        parse_list(response, "a list of backup policies", read_policy_record).map(|page| page.items)
    }
}

// ---------------------------------------------------------------------------------------------------------
// Rule operations
// ---------------------------------------------------------------------------------------------------------

/// `GET /rules/vm-backup/{guid}?only-active-destinations=false`: one rule with all its destinations (inactive
/// ones too, so that saving it back keeps them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetRule {
    pub id: String,
}

impl GetRule {
    /// The rule with Storware id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        GetRule { id: id.into() }
    }
}

impl Endpoint for GetRule {
    type Output = Rule;

    fn request(&self) -> HttpRequest {
        HttpRequest::get(format!("/rules/vm-backup/{}", segment(&self.id))).query("only-active-destinations", "false")
    }

    fn parse(&self, response: &HttpResponse) -> Result<Rule, ApiError> {
        read_rule(response)
    }
}

/// `POST /rules/vm-backup`: adds a rule to an existing policy and returns it as saved.
///
/// Body: `name`, `active`, `schedules`, `ruleBackupDestinations`, `policy`, and `position` when the rule has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateRule {
    /// The policy the rule joins (wins over `rule.policy`).
    pub policy: Ref,
    pub rule: Rule,
}

impl CreateRule {
    /// Adds `rule` to `policy`.
    pub fn new(policy: Ref, rule: Rule) -> Self {
        CreateRule { policy, rule }
    }
}

impl Endpoint for CreateRule {
    type Output = Rule;

    fn request(&self) -> HttpRequest {
        HttpRequest::post("/rules/vm-backup").json(&standalone_rule_body(&self.rule, Some(&self.policy), None))
    }

    fn parse(&self, response: &HttpResponse) -> Result<Rule, ApiError> {
        read_rule(response)
    }
}

/// `PUT /rules/vm-backup/{guid}`: replaces one rule (same body as create plus `guid`; `policy` when the rule
/// names it).
///
/// The output is the rule as the server answered it, or — when the answer has no body — the rule sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateRule {
    /// The Storware id of the rule to replace (wins over `rule.id`).
    pub id: String,
    pub rule: Rule,
}

impl UpdateRule {
    /// Replaces the saved rule `rule`; a validation error (field `guid`) when it has no id yet.
    pub fn new(rule: Rule) -> Result<Self, ApiError> {
        match rule.id.clone() {
            Some(id) if !id.trim().is_empty() => Ok(UpdateRule { id, rule }),
            _ => Err(missing_id("rule")),
        }
    }
}

impl Endpoint for UpdateRule {
    type Output = Rule;

    fn request(&self) -> HttpRequest {
        HttpRequest::put(format!("/rules/vm-backup/{}", segment(&self.id))).json(&standalone_rule_body(
            &self.rule,
            self.rule.policy.as_ref(),
            Some(&self.id),
        ))
    }

    fn parse(&self, response: &HttpResponse) -> Result<Rule, ApiError> {
        ensure_success(response)?;
        if is_blank(response) {
            return Ok(Rule { id: Some(self.id.clone()), ..self.rule.clone() });
        }
        read_rule(response)
    }
}

/// `DELETE /rules/vm-backup/{guid}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteRule {
    pub id: String,
}

impl DeleteRule {
    /// Deletes the rule with Storware id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        DeleteRule { id: id.into() }
    }
}

impl Endpoint for DeleteRule {
    type Output = ();

    fn request(&self) -> HttpRequest {
        HttpRequest::delete(format!("/rules/vm-backup/{}", segment(&self.id)))
    }

    fn parse(&self, response: &HttpResponse) -> Result<(), ApiError> {
        parse_empty(response)
    }
}
