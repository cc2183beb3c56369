//! The `Client` class: one Promise-returning method per backup-server operation, over the global `fetch`.

use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::time::Duration;

use js_sys::{Function, Promise};
use serde::{Deserialize, Serialize};
use vmbackup_client::fetch::{Credentials, FetchTransport, JsRuntime};
use vmbackup_client::{Client, ClientOptions, Session, Subscription, TaskEvent, TokenProvider};
use vmbackup_core::domain::Task;
use vmbackup_core::error::{ApiError, ErrorKind};
use vmbackup_core::http::{HttpRequest, HttpResponse};
use vmbackup_core::json::Value;
use vmbackup_core::polling::PollPacing;
use vmbackup_core::storware::backups::GetBackup;
use vmbackup_core::storware::inventory::{ListProjects, ListStorages};
use vmbackup_core::storware::policies::{GetPolicy, PoliciesForVms};
use vmbackup_core::storware::session::CurrentUser;
use vmbackup_core::storware::tasks::{CancelTask, DeleteTask, GetTask};
use vmbackup_core::storware::vms::GetVm;
use vmbackup_core::{typescript_declaration, Endpoint};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::error::VmbackupError;
use crate::json::{from_js, integer_arg, string_arg, strings_arg, to_js, At, Fields, FromJson};
use crate::options::{
    BackupRequest, ListBackupLocationsOptions, ListBackupsOptions, ListClustersOptions, ListHypervisorManagersOptions,
    ListHypervisorsOptions, ListTasksOptions, ListVmsOptions, RestoreRequest,
};

/// The longest request timeout accepted (a day): longer is a mistake, and `setTimeout` caps near 24.8 days.
const MAX_TIMEOUT_MS: i64 = 86_400_000;

/// The options of `new Client(…)`, less the token callback (which JSON cannot carry; it is read apart).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClientOptionsInput {
    base_url: String,
    session: SessionInput,
    #[serde(default)]
    credentials: Option<String>,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    timeout_ms: Option<f64>,
    #[serde(default)]
    polling: Option<PollingInput>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", tag = "mode", deny_unknown_fields)]
enum SessionInput {
    HostCookie,
    Login { username: String, password: String },
    // `getToken` is a function: `JSON.stringify` leaves it out, and it is read from the object itself.
    Token {},
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PollingInput {
    #[serde(default)]
    fast_ms: Option<u32>,
    #[serde(default)]
    slow_ms: Option<u32>,
    #[serde(default)]
    failing_ms: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginInput {
    username: String,
    password: String,
}

impl FromJson for ClientOptionsInput {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        f.only(&["baseUrl", "session", "credentials", "project", "timeoutMs", "polling"])?;
        Ok(ClientOptionsInput {
            base_url: f.get("baseUrl")?,
            session: f.get("session")?,
            credentials: f.get("credentials")?,
            project: f.get("project")?,
            timeout_ms: f.get("timeoutMs")?,
            polling: f.get("polling")?,
        })
    }
}

impl FromJson for SessionInput {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        match f.tag("mode")?.as_str() {
            "hostCookie" => {
                f.only(&["mode"])?;
                Ok(SessionInput::HostCookie)
            }
            "login" => {
                f.only(&["mode", "username", "password"])?;
                Ok(SessionInput::Login { username: f.get("username")?, password: f.get("password")? })
            }
            // `getToken` is a function, which `JSON.stringify` leaves out; anything else in its place is
            // reported by `token_provider`.
            "token" => {
                f.only(&["mode", "getToken"])?;
                Ok(SessionInput::Token {})
            }
            other => Err(f.unknown_tag("mode", other, &["hostCookie", "login", "token"])),
        }
    }
}

impl FromJson for PollingInput {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        f.only(&["fastMs", "slowMs", "failingMs"])?;
        Ok(PollingInput { fast_ms: f.get("fastMs")?, slow_ms: f.get("slowMs")?, failing_ms: f.get("failingMs")? })
    }
}

impl FromJson for LoginInput {
    fn from_json(value: &Value, at: &At) -> Result<Self, VmbackupError> {
        let f = Fields::of(value, at)?;
        f.only(&["username", "password"])?;
        Ok(LoginInput { username: f.get("username")?, password: f.get("password")? })
    }
}

typescript_declaration!(
    r#"/** How the client holds its session. */
export type SessionOptions =
    /** The host page's own cookie session: on 401 the client calls `onSessionExpired` listeners and pauses until `resume()`. */
    | { mode: "hostCookie" }
    /** The client logs in with these credentials (`login()`), and once more when the session expires. For tools and tests: never put a shared password into a page. */
    | { mode: "login"; username: string; password: string }
    /** Each request carries `Authorization: Bearer <token>`; on 401 `getToken` is asked once more. */
    | { mode: "token"; getToken: () => Promise<string> | string };

/** What `new Client(…)` takes. */
export interface ClientOptions {
    /** The API base, e.g. `"https://backup.example/api"`, or `"/api"` behind the portal's proxy. */
    baseUrl: string;
    session: SessionOptions;
    /** Whether `fetch` sends cookies; default `"include"`. */
    credentials?: "include" | "same-origin" | "omit";
    /** The project (its platform uuid) every call is scoped to. */
    project?: string | null;
    /** How long one request may take, in ms; default 30000. */
    timeoutMs?: number;
    /** The task poller's waits in ms: `fastMs` while tasks move (default 1000), up to `slowMs` while they do not (10000), up to `failingMs` while polling fails (30000). */
    polling?: { fastMs?: number; slowMs?: number; failingMs?: number };
}

/** What `onTaskEvent` listeners hear about tracked tasks. */
export type TaskEvent =
    /** A tracked task was read for the first time, or its state, progress or message changed. */
    | { type: "updated"; task: Task; previous: Task | null }
    /** A tracked task reached FINISHED, FAILED or CANCELLED; it is no longer tracked. */
    | { type: "ended"; task: Task }
    /** A tracked task no longer exists on the server; it is no longer tracked. */
    | { type: "gone"; id: string }
    /** A polling round failed (network, server); polling goes on, more slowly. */
    | { type: "error"; error: VmbackupError };"#
);

/// The client of one backup server for JavaScript: `new Client(options)`.
///
/// Every method returns a Promise of plain objects (the core's types as JSON) and rejects with a
/// `VmbackupError`; arguments of the wrong type reject with `kind: "usage"`.
#[wasm_bindgen(js_name = Client)]
pub struct WasmClient {
    client: Rc<Client>,
    /// Pauses task polling while the page is hidden; absent outside documents (workers, Node, edge).
    _visibility: Option<VisibilityWatch>,
}

#[wasm_bindgen(js_class = Client)]
impl WasmClient {
    /// A client for `options.baseUrl` with `options.session`; throws a `usage` error for invalid options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<WasmClient, JsValue> {
        let client = Rc::new(build_client(&options)?);
        let visibility = VisibilityWatch::start(Rc::downgrade(&client));
        Ok(WasmClient { client, _visibility: visibility })
    }

    /// Logs in (login mode) with the options' credentials, or with `credentials`, which then replace them.
    #[wasm_bindgen(unchecked_return_type = "Promise<SessionInfo>")]
    pub fn login(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "{ username: string; password: string }")] credentials: JsValue,
    ) -> Promise {
        let credentials = match from_js::<Option<LoginInput>>(&credentials, "credentials") {
            Ok(credentials) => credentials,
            Err(error) => return rejected(error),
        };
        let client = self.client();
        promise(async move {
            Ok(match credentials {
                Some(LoginInput { username, password }) => client.login_with(username, password).await?,
                None => client.login().await?,
            })
        })
    }

    /// Ends the server session and forgets login mode's password. Tracked tasks stay tracked.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn logout(&self) -> Promise {
        let client = self.client();
        promise(async move { Ok(client.logout().await?) })
    }

    /// What the server says about the current session (its user's time zone, privileges).
    #[wasm_bindgen(js_name = currentUser, unchecked_return_type = "Promise<SessionInfo>")]
    pub fn current_user(&self) -> Promise {
        self.call(Ok(CurrentUser))
    }

    /// Whether the session expired and the client is paused until a login or `resume()`.
    #[wasm_bindgen(getter, js_name = sessionExpired)]
    pub fn session_expired(&self) -> bool {
        self.client.session_expired()
    }

    /// The host says its session is back (host-cookie mode, after its own login): calls and polling resume.
    pub fn resume(&self) {
        self.client.resume();
    }

    /// Calls `listener` each time the session expires (once per expiry). Returns a function that unsubscribes.
    #[wasm_bindgen(js_name = onSessionExpired, unchecked_return_type = "() => void")]
    pub fn on_session_expired(
        &self,
        #[wasm_bindgen(unchecked_param_type = "() => void")] listener: JsValue,
    ) -> Result<JsValue, JsValue> {
        let listener = function_arg(listener, "listener")?;
        let subscription = self.client.on_session_expired(move || {
            // A listener that throws must not stop the others (nor unwind through the wasm).
            let _ = listener.call0(&JsValue::UNDEFINED);
        });
        Ok(unsubscriber(subscription))
    }

    /// Calls `listener` with every event of the tracked tasks. Returns a function that unsubscribes.
    #[wasm_bindgen(js_name = onTaskEvent, unchecked_return_type = "() => void")]
    pub fn on_task_event(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(event: TaskEvent) => void")] listener: JsValue,
    ) -> Result<JsValue, JsValue> {
        let listener = function_arg(listener, "listener")?;
        let subscription = self.client.poller().subscribe(move |event| {
            if let Ok(event) = task_event_to_js(event) {
                let _ = listener.call1(&JsValue::UNDEFINED, &event);
            }
        });
        Ok(unsubscriber(subscription))
    }

    /// Starts tracking a task (its events go to `onTaskEvent` listeners) until it ends, is gone or is untracked.
    /// All tracked tasks share one request per polling round.
    #[wasm_bindgen(js_name = trackTask)]
    pub fn track_task(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Result<(), JsValue> {
        self.client.poller().track(string_arg(&id, "id")?);
        Ok(())
    }

    /// Stops tracking a task.
    #[wasm_bindgen(js_name = untrackTask)]
    pub fn untrack_task(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Result<(), JsValue> {
        self.client.poller().untrack(&string_arg(&id, "id")?);
        Ok(())
    }

    /// The ids of the tasks tracked now, sorted.
    #[wasm_bindgen(js_name = trackedTasks)]
    pub fn tracked_tasks(&self) -> Vec<String> {
        self.client.poller().tracked()
    }

    /// The latest reading of a tracked task, or `null` before the first one.
    #[wasm_bindgen(js_name = trackedTask, unchecked_return_type = "Task | null")]
    pub fn tracked_task(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<JsValue, JsValue> {
        let task: Option<Task> = self.client.poller().latest(&string_arg(&id, "id")?);
        Ok(to_js(&task)?)
    }

    // ---- VMs ------------------------------------------------------------------------------------------------

    /// One page of VMs (every VM when neither `page` nor `size` is given), with the total count.
    #[wasm_bindgen(js_name = listVms, unchecked_return_type = "Promise<Page<Vm>>")]
    pub fn list_vms(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListVmsOptions")] options: JsValue,
    ) -> Promise {
        self.call(options_arg::<ListVmsOptions>(&options).and_then(ListVmsOptions::operation))
    }

    /// One VM.
    #[wasm_bindgen(js_name = getVm, unchecked_return_type = "Promise<Vm>")]
    pub fn get_vm(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.call(string_arg(&id, "id").map(GetVm::new))
    }

    // ---- Backups --------------------------------------------------------------------------------------------

    /// The backups of a VM (of every VM the user may see when `vmId` is `null`).
    #[wasm_bindgen(js_name = listBackups, unchecked_return_type = "Promise<Page<Backup>>")]
    pub fn list_backups(
        &self,
        #[wasm_bindgen(js_name = vmId, unchecked_param_type = "string | null")] vm_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ListBackupsOptions")] options: JsValue,
    ) -> Promise {
        let operation = optional_string_arg(&vm_id, "vmId")
            .and_then(|vm| options_arg::<ListBackupsOptions>(&options).and_then(|o| o.operation(vm)));
        self.call(operation)
    }

    /// One backup with its locations.
    #[wasm_bindgen(js_name = getBackup, unchecked_return_type = "Promise<Backup>")]
    pub fn get_backup(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.call(string_arg(&id, "id").map(GetBackup::new))
    }

    /// The locations of a VM's backups (`{ status: "PRESENT" }`: those a restore can use).
    #[wasm_bindgen(js_name = listBackupLocations, unchecked_return_type = "Promise<Page<BackupLocation>>")]
    pub fn list_backup_locations(
        &self,
        #[wasm_bindgen(js_name = vmId, unchecked_param_type = "string")] vm_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ListBackupLocationsOptions")] options: JsValue,
    ) -> Promise {
        let operation = string_arg(&vm_id, "vmId")
            .and_then(|vm| options_arg::<ListBackupLocationsOptions>(&options).and_then(|o| o.operation(vm)));
        self.call(operation)
    }

    // ---- Tasks ----------------------------------------------------------------------------------------------

    /// Tasks, filtered and paged.
    #[wasm_bindgen(js_name = listTasks, unchecked_return_type = "Promise<Page<Task>>")]
    pub fn list_tasks(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListTasksOptions")] options: JsValue,
    ) -> Promise {
        self.call(options_arg::<ListTasksOptions>(&options).and_then(ListTasksOptions::operation))
    }

    /// One task.
    #[wasm_bindgen(js_name = getTask, unchecked_return_type = "Promise<Task>")]
    pub fn get_task(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.call(string_arg(&id, "id").map(GetTask::new))
    }

    /// Cancels a queued or running task (an ended one rejects with `conflict`).
    #[wasm_bindgen(js_name = cancelTask, unchecked_return_type = "Promise<void>")]
    pub fn cancel_task(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.call(string_arg(&id, "id").map(CancelTask::new))
    }

    /// Deletes a task record.
    #[wasm_bindgen(js_name = deleteTask, unchecked_return_type = "Promise<void>")]
    pub fn delete_task(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.call(string_arg(&id, "id").map(DeleteTask::new))
    }

    /// Starts a backup now. Validated first (rejects with `validation` listing every problem). Sent once: when
    /// the answer is lost the client looks for the tasks it created and resolves with `recovered: true` (extra
    /// copies made by a browser's resend are cancelled and listed in `cancelledCopies`), or rejects with
    /// `unconfirmed` when it finds none or cannot look. An answered backup is checked for such copies too.
    #[wasm_bindgen(js_name = backUp, unchecked_return_type = "Promise<SubmitResult>")]
    pub fn back_up(&self, #[wasm_bindgen(unchecked_param_type = "BackupRequest")] request: JsValue) -> Promise {
        let client = self.client();
        let export = from_js::<BackupRequest>(&request, "request").and_then(|r| r.operation(client.now_ms()));
        let export = match export {
            Ok(export) => export,
            Err(error) => return rejected(error),
        };
        promise(async move { Ok(client.export_vms(&export).await?) })
    }

    /// Restores a backup from one of its locations as a VM (into a hypervisor manager or onto a hypervisor).
    /// Sent once: when the answer is lost the client looks for the restore task of that backup and resolves with
    /// `recovered: true`, or rejects with `unconfirmed` when it finds none or cannot look. Extra copies made by a
    /// browser's resend, found after a lost or an answered submission, are cancelled and listed in
    /// `cancelledCopies`.
    #[wasm_bindgen(unchecked_return_type = "Promise<SubmitResult>")]
    pub fn restore(&self, #[wasm_bindgen(unchecked_param_type = "RestoreRequest")] request: JsValue) -> Promise {
        let client = self.client();
        let restore = match from_js::<RestoreRequest>(&request, "request").and_then(RestoreRequest::operation) {
            Ok(restore) => restore,
            Err(error) => return rejected(error),
        };
        promise(async move { Ok(client.restore(&restore).await?) })
    }

    // ---- Policies and rules ---------------------------------------------------------------------------------

    /// One policy with its rules.
    #[wasm_bindgen(js_name = getPolicy, unchecked_return_type = "Promise<Policy>")]
    pub fn get_policy(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        self.call(string_arg(&id, "id").map(GetPolicy::new))
    }

    /// The policies the given VMs are assigned to.
    #[wasm_bindgen(js_name = policiesForVms, unchecked_return_type = "Promise<Policy[]>")]
    pub fn policies_for_vms(
        &self,
        #[wasm_bindgen(js_name = vmIds, unchecked_param_type = "string[]")] vm_ids: JsValue,
    ) -> Promise {
        self.call(strings_arg(&vm_ids, "vmIds").map(PoliciesForVms::new))
    }

    // ---- Restore targets and destinations -------------------------------------------------------------------

    /// Hypervisor managers (`{ forRestoreOf: backupId }`: those a restore of that backup can go to).
    #[wasm_bindgen(js_name = listHypervisorManagers, unchecked_return_type = "Promise<Page<HypervisorManager>>")]
    pub fn list_hypervisor_managers(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListHypervisorManagersOptions")] options: JsValue,
    ) -> Promise {
        let operation =
            options_arg::<ListHypervisorManagersOptions>(&options).and_then(ListHypervisorManagersOptions::operation);
        self.call(operation)
    }

    /// Stand-alone hypervisors.
    #[wasm_bindgen(js_name = listHypervisors, unchecked_return_type = "Promise<Page<Hypervisor>>")]
    pub fn list_hypervisors(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListHypervisorsOptions")] options: JsValue,
    ) -> Promise {
        self.call(options_arg::<ListHypervisorsOptions>(&options).and_then(ListHypervisorsOptions::operation))
    }

    /// The clusters of a hypervisor manager (every cluster when `managerId` is left out or `null`).
    #[wasm_bindgen(js_name = listClusters, unchecked_return_type = "Promise<Page<Cluster>>")]
    pub fn list_clusters(
        &self,
        #[wasm_bindgen(js_name = managerId, unchecked_optional_param_type = "string | null")] manager_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ListClustersOptions")] options: JsValue,
    ) -> Promise {
        let operation = optional_string_arg(&manager_id, "managerId")
            .and_then(|manager| options_arg::<ListClustersOptions>(&options).and_then(|o| o.operation(manager)));
        self.call(operation)
    }

    /// The storages of a hypervisor manager (every storage when `managerId` is left out or `null`).
    #[wasm_bindgen(js_name = listStorages, unchecked_return_type = "Promise<Page<Storage>>")]
    pub fn list_storages(
        &self,
        #[wasm_bindgen(js_name = managerId, unchecked_optional_param_type = "string | null")] manager_id: JsValue,
    ) -> Promise {
        self.call(
            optional_string_arg(&manager_id, "managerId").map(|manager| ListStorages { hypervisor_manager: manager }),
        )
    }

    /// The projects (tenants) of a hypervisor manager (every project when `managerId` is left out or `null`).
    #[wasm_bindgen(js_name = listProjects, unchecked_return_type = "Promise<Page<Project>>")]
    pub fn list_projects(
        &self,
        #[wasm_bindgen(js_name = managerId, unchecked_optional_param_type = "string | null")] manager_id: JsValue,
    ) -> Promise {
        self.call(
            optional_string_arg(&manager_id, "managerId").map(|manager| ListProjects { hypervisor_manager: manager }),
        )
    }
}

impl WasmClient {
    /// The Rust client behind this object (for Rust code that shares it, such as widgets).
    pub fn client(&self) -> Client {
        (*self.client).clone()
    }

    /// Runs `operation` (or rejects with why it could not be built) and resolves with its output as JSON.
    ///
    /// What `Client::call` does (send under the session rules, then parse), split so that the only generic part
    /// is the reader: one async state machine serves every operation instead of one per operation type.
    pub(crate) fn call<E>(&self, operation: Result<E, VmbackupError>) -> Promise
    where
        E: Endpoint + 'static,
        E::Output: Serialize,
    {
        match operation {
            Ok(operation) => {
                self.send(operation.request(), Box::new(move |response| to_js(&operation.parse(response)?)))
            }
            Err(error) => rejected(error),
        }
    }

    /// Sends `request` under the session rules and resolves with what `read` makes of the answer.
    fn send(&self, request: HttpRequest, read: Reader) -> Promise {
        let client = self.client();
        settle(Box::pin(async move { read(&client.send_boxed(request).await?) }))
    }
}

/// Builds the Rust client from `new Client(options)`.
fn build_client(options: &JsValue) -> Result<Client, VmbackupError> {
    let input: ClientOptionsInput = from_js(options, "options")?;
    let base_url = input.base_url.trim().to_string();
    if base_url.is_empty() {
        return Err(VmbackupError::usage_of("baseUrl", "baseUrl must be the API's address, e.g. \"/api\""));
    }
    let session = match input.session {
        SessionInput::HostCookie => Session::HostCookie,
        SessionInput::Login { username, password } => Session::Login { username, password },
        SessionInput::Token {} => Session::Token(token_provider(options)?),
    };
    let credentials = match input.credentials.as_deref() {
        None => Credentials::Include,
        Some(text) => Credentials::parse(text).ok_or_else(|| {
            VmbackupError::usage_of(
                "credentials",
                format!("credentials: unknown value \"{text}\", expected one of include, same-origin, omit"),
            )
        })?,
    };
    let timeout_ms = match input.timeout_ms {
        None => 30_000,
        Some(ms) => {
            let ms = integer_arg(ms, "timeoutMs")?;
            if !(1..=MAX_TIMEOUT_MS).contains(&ms) {
                return Err(VmbackupError::usage_of("timeoutMs", "timeoutMs must be between 1 and 86400000"));
            }
            ms
        }
    };
    let defaults = PollPacing::default();
    let polling = input.polling.unwrap_or_default();
    let pacing = PollPacing {
        fast_ms: polling.fast_ms.unwrap_or(defaults.fast_ms).max(1),
        slow_ms: polling.slow_ms.unwrap_or(defaults.slow_ms).max(1),
        failing_ms: polling.failing_ms.unwrap_or(defaults.failing_ms).max(1),
        growth_tenths: defaults.growth_tenths,
    };
    let project = input.project.map(|p| p.trim().to_string()).filter(|p| !p.is_empty());
    let options = ClientOptions::new(base_url, session)
        .project(project)
        .timeout(Duration::from_millis(timeout_ms.unsigned_abs()))
        .pacing(pacing);
    Ok(Client::new(options, Rc::new(FetchTransport::new(credentials)), Rc::new(JsRuntime)))
}

/// `options.session.getToken` as the client's token provider.
fn token_provider(options: &JsValue) -> Result<TokenProvider, VmbackupError> {
    let get_token = js_sys::Reflect::get(options, &"session".into())
        .and_then(|session| js_sys::Reflect::get(&session, &"getToken".into()))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| {
            VmbackupError::usage_of("session.getToken", "session.getToken must be a function returning the token")
        })?;
    Ok(Rc::new(move || {
        let get_token = get_token.clone();
        Box::pin(async move {
            // A plain string or a Promise of one; `Promise.resolve` takes both.
            let answer = get_token.call0(&JsValue::UNDEFINED).map_err(token_failure)?;
            let token = JsFuture::from(Promise::resolve(&answer)).await.map_err(token_failure)?;
            token.as_string().filter(|t| !t.trim().is_empty()).ok_or_else(|| {
                ApiError::new(ErrorKind::Unauthorized, "session.getToken did not give a token (a non-empty string).")
            })
        })
    }))
}

fn token_failure(error: JsValue) -> ApiError {
    let reason = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "no reason given".to_string());
    ApiError::new(ErrorKind::Unauthorized, "No token could be had for the backup server.").with_detail(reason)
}

/// Reads an operation's answer into its JavaScript value.
type Reader = Box<dyn FnOnce(&HttpResponse) -> Result<JsValue, VmbackupError>>;

/// A Promise of `future`'s value as JSON, rejected with a `VmbackupError`.
pub(crate) fn promise<T, F>(future: F) -> Promise
where
    T: Serialize,
    F: Future<Output = Result<T, VmbackupError>> + 'static,
{
    settle(Box::pin(async move { to_js(&future.await?) }))
}

/// The one place futures become Promises: boxed, so `future_to_promise` is in the wasm once rather than once per
/// method (about 2 KB each).
fn settle(future: Pin<Box<dyn Future<Output = Result<JsValue, VmbackupError>>>>) -> Promise {
    future_to_promise(async move { future.await.map_err(JsValue::from) })
}

pub(crate) fn rejected(error: VmbackupError) -> Promise {
    Promise::reject(&error.into_js())
}

/// An optional options object (`undefined` or `null`: all defaults).
pub(crate) fn options_arg<T: FromJson + Default>(options: &JsValue) -> Result<T, VmbackupError> {
    Ok(from_js::<Option<T>>(options, "options")?.unwrap_or_default())
}

/// A string or `null`/`undefined`.
fn optional_string_arg(value: &JsValue, name: &str) -> Result<Option<String>, VmbackupError> {
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    string_arg(value, name).map(Some)
}

fn function_arg(value: JsValue, name: &str) -> Result<Function, VmbackupError> {
    value.dyn_into::<Function>().map_err(|_| VmbackupError::usage_of(name, format!("{name} must be a function")))
}

/// A JavaScript function that cancels `subscription`; calling it again does nothing.
fn unsubscriber(subscription: Subscription) -> JsValue {
    let mut subscription = Some(subscription);
    Closure::<dyn FnMut()>::new(move || drop(subscription.take())).into_js_value()
}

/// The JavaScript shape of a task event (see the `TaskEvent` declaration).
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
enum TaskEventPayload<'a> {
    Updated { task: &'a Task, previous: Option<&'a Task> },
    Ended { task: &'a Task },
    Gone { id: &'a str },
    Error {},
}

fn task_event_to_js(event: &TaskEvent) -> Result<JsValue, VmbackupError> {
    let payload = match event {
        TaskEvent::Updated { task, previous } => TaskEventPayload::Updated { task, previous: previous.as_deref() },
        TaskEvent::Ended { task } => TaskEventPayload::Ended { task },
        TaskEvent::Gone { id } => TaskEventPayload::Gone { id },
        TaskEvent::Error(_) => TaskEventPayload::Error {},
    };
    let object = to_js(&payload)?;
    if let TaskEvent::Error(error) = event {
        let error = VmbackupError::from(error.clone()).into_js();
        let _ = js_sys::Reflect::set(&object, &"error".into(), &error);
    }
    Ok(object)
}

#[wasm_bindgen]
extern "C" {
    /// The parts of `document` the visibility watch uses (no `web-sys` features needed).
    #[derive(Clone)]
    type VisibilityDocument;

    #[wasm_bindgen(method, js_name = addEventListener)]
    fn add_event_listener(this: &VisibilityDocument, kind: &str, listener: &Function);

    #[wasm_bindgen(method, js_name = removeEventListener)]
    fn remove_event_listener(this: &VisibilityDocument, kind: &str, listener: &Function);

    #[wasm_bindgen(method, getter, js_name = visibilityState)]
    fn visibility_state(this: &VisibilityDocument) -> JsValue;
}

/// Tells the task poller when the page is hidden (polling pauses) and visible again, where there is a
/// `document`; it holds the client weakly, so a dropped client is not kept alive by the page.
struct VisibilityWatch {
    document: VisibilityDocument,
    listener: Closure<dyn FnMut()>,
}

impl VisibilityWatch {
    fn start(client: Weak<Client>) -> Option<Self> {
        let document = js_sys::Reflect::get(&js_sys::global(), &"document".into()).ok()?;
        if !document.is_object() {
            return None;
        }
        let document: VisibilityDocument = document.unchecked_into();
        if let Some(client) = client.upgrade() {
            client.poller().set_hidden(hidden(&document));
        }
        let watched = document.clone();
        let listener = Closure::<dyn FnMut()>::new(move || {
            if let Some(client) = client.upgrade() {
                client.poller().set_hidden(hidden(&watched));
            }
        });
        document.add_event_listener("visibilitychange", listener.as_ref().unchecked_ref());
        Some(VisibilityWatch { document, listener })
    }
}

fn hidden(document: &VisibilityDocument) -> bool {
    document.visibility_state().as_string().as_deref() == Some("hidden")
}

impl Drop for VisibilityWatch {
    fn drop(&mut self) {
        self.document.remove_event_listener("visibilitychange", self.listener.as_ref().unchecked_ref());
    }
}
