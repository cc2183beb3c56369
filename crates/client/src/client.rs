//! The client: runs operations, holds the session, recovers lost submissions.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;

use vmbackup_core::domain::{SessionInfo, SubmitResult, Task, TaskType};
use vmbackup_core::http::{HttpRequest, HttpResponse, Purpose};
use vmbackup_core::polling::PollPacing;
use vmbackup_core::session::{next_step, with_bearer, Next, Outcome, SessionMode};
use vmbackup_core::storware::session::{Login, Logout};
use vmbackup_core::storware::tasks::{CancelTask, CreatedTasks, ExportVms, ListTasks, RestoreAndImport};
use vmbackup_core::storware::Scope;
use vmbackup_core::{ApiError, Endpoint, ErrorKind};

use crate::cookies::CookieJar;
use crate::gate::LoginGate;
use crate::listeners::{Listeners, Subscription};
use crate::poller::TaskPoller;
use crate::transport::{LocalBoxFuture, NoAnswer, Runtime, Transport};

/// A caller's callback that returns a fresh bearer token.
pub type TokenProvider = Rc<dyn Fn() -> LocalBoxFuture<'static, Result<String, ApiError>>>;

/// How the client holds its session (see `vmbackup_core::session`).
#[derive(Clone)]
pub enum Session {
    /// The host page's own cookie session: on 401 the client tells the host and pauses until
    /// [`Client::resume`].
    HostCookie,
    /// The client logs in with these credentials, and once more when the session expires.
    Login { username: String, password: String },
    /// Each request carries a bearer token from the callback; on 401 the callback is asked once more.
    Token(TokenProvider),
}

impl Session {
    fn mode(&self) -> SessionMode {
        match self {
            Session::HostCookie => SessionMode::HostCookie,
            Session::Login { .. } => SessionMode::Login,
            Session::Token(_) => SessionMode::Token,
        }
    }
}

impl std::fmt::Debug for Session {
    // Credentials never reach a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Session::HostCookie => f.write_str("HostCookie"),
            Session::Login { username, .. } => write!(f, "Login {{ username: {username:?}, password: *** }}"),
            Session::Token(_) => f.write_str("Token(..)"),
        }
    }
}

/// What a client is created with.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The API base, e.g. `https://backup.example/api` or `/api` behind the portal's proxy.
    pub base_url: String,
    pub session: Session,
    /// The project (tenant) every call is scoped to.
    pub scope: Scope,
    /// How long one request may take.
    pub timeout: Duration,
    /// The task poller's intervals.
    pub pacing: PollPacing,
}

impl ClientOptions {
    /// Options with no project scope, a 30 s timeout and the default polling pace.
    pub fn new(base_url: impl Into<String>, session: Session) -> Self {
        ClientOptions {
            base_url: base_url.into(),
            session,
            scope: Scope::default(),
            timeout: Duration::from_secs(30),
            pacing: PollPacing::default(),
        }
    }

    /// Scopes every call to a project (Storware `project-uuid`).
    pub fn project(mut self, project_uuid: Option<String>) -> Self {
        self.scope.project_uuid = project_uuid;
        self
    }

    /// A scope with the 3rd-party headers too.
    pub fn scope(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }

    /// The per-request timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The task poller's intervals.
    pub fn pacing(mut self, pacing: PollPacing) -> Self {
        self.pacing = pacing;
        self
    }
}

pub(crate) struct ClientInner {
    base_url: String,
    scope: Scope,
    timeout: Duration,
    session: RefCell<Session>,
    token: RefCell<Option<String>>,
    cookies: RefCell<CookieJar>,
    gate: LoginGate,
    expired: Cell<bool>,
    expired_listeners: Listeners<()>,
    resumed_listeners: Listeners<()>,
    transport: Rc<dyn Transport>,
    pub(crate) runtime: Rc<dyn Runtime>,
    poller: TaskPoller,
}

/// The async client. Cheap to clone: clones share the session, cookies and the task poller.
#[derive(Clone)]
pub struct Client {
    inner: Rc<ClientInner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("session", &*self.inner.session.borrow())
            .field("expired", &self.inner.expired.get())
            .finish()
    }
}

impl Client {
    /// A client over `transport`, using `runtime` for time and the poller's background loop.
    pub fn new(options: ClientOptions, transport: Rc<dyn Transport>, runtime: Rc<dyn Runtime>) -> Client {
        let inner = Rc::new_cyclic(|weak: &Weak<ClientInner>| ClientInner {
            base_url: options.base_url,
            scope: options.scope,
            timeout: options.timeout,
            session: RefCell::new(options.session),
            token: RefCell::new(None),
            cookies: RefCell::new(CookieJar::default()),
            gate: LoginGate::default(),
            expired: Cell::new(false),
            expired_listeners: Listeners::new(),
            resumed_listeners: Listeners::new(),
            transport,
            runtime,
            poller: TaskPoller::new(weak.clone(), options.pacing),
        });
        Client { inner }
    }

    pub(crate) fn from_inner(inner: Rc<ClientInner>) -> Client {
        Client { inner }
    }

    pub(crate) fn runtime_handle(&self) -> Rc<dyn Runtime> {
        self.inner.runtime.clone()
    }

    /// The API base this client talks to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The clock of the client's runtime (ms since the epoch), e.g. for an export's `window_start`.
    pub fn now_ms(&self) -> i64 {
        self.inner.runtime.now_ms()
    }

    /// Runs one operation under the session rules and reads its answer.
    pub async fn call<E: Endpoint>(&self, operation: &E) -> Result<E::Output, ApiError> {
        // Boxed, so that `send`'s state machine is compiled once here rather than in every crate that instantiates
        // `call` (or awaits a method that calls it).
        let response = self.send_boxed(operation.request()).await?;
        operation.parse(&response)
    }

    /// Logs in with the credentials of [`Session::Login`]; resumes a paused client.
    pub async fn login(&self) -> Result<SessionInfo, ApiError> {
        let epoch = self.inner.gate.epoch();
        let info = Rc::new(RefCell::new(None));
        let slot = info.clone();
        self.inner
            .gate
            .login_once(epoch, async move {
                *slot.borrow_mut() = Some(self.login_now().await?);
                Ok(())
            })
            .await?;
        let info = info.borrow_mut().take();
        Ok(info.unwrap_or_default())
    }

    /// Switches to [`Session::Login`] with these credentials and logs in (the SPA's login form; a user logging
    /// in again after the session expired).
    pub async fn login_with(
        &self,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Result<SessionInfo, ApiError> {
        *self.inner.session.borrow_mut() = Session::Login { username: username.into(), password: password.into() };
        self.login().await
    }

    /// Ends the server session and forgets the credentials of login mode. Tracked tasks stay tracked.
    pub async fn logout(&self) -> Result<(), ApiError> {
        let result = self.call(&Logout).await;
        self.inner.cookies.borrow_mut().clear();
        *self.inner.token.borrow_mut() = None;
        let mut session = self.inner.session.borrow_mut();
        if let Session::Login { password, .. } = &mut *session {
            password.clear();
        }
        result
    }

    /// Whether the session expired and the client is paused (no request is sent until a login or
    /// [`Client::resume`]).
    pub fn session_expired(&self) -> bool {
        self.inner.expired.get()
    }

    /// The host says its session is back (after its own login): calls and task polling resume.
    pub fn resume(&self) {
        if self.inner.expired.replace(false) {
            self.inner.poller.resume();
            self.inner.resumed_listeners.emit(&());
        }
    }

    /// Calls `callback` each time an expired session is back (a login, or [`Client::resume`]).
    pub fn on_session_resumed(&self, callback: impl Fn() + 'static) -> Subscription {
        self.inner.resumed_listeners.subscribe(move |_| callback())
    }

    /// Calls `callback` each time the session expires (once per expiry, not once per failed call).
    pub fn on_session_expired(&self, callback: impl Fn() + 'static) -> Subscription {
        self.inner.expired_listeners.subscribe(move |_| callback())
    }

    /// The client's task poller.
    pub fn poller(&self) -> &TaskPoller {
        &self.inner.poller
    }

    /// Submits a backup (`POST /tasks/export`) after validating it. The submission is sent once: when its answer
    /// is lost (network error, timeout, gateway 502/504), the client looks for the tasks it may have created
    /// ([`Client::confirm_export`]) and returns those with `recovered: true`; when it finds none, or cannot look,
    /// the error's kind is [`ErrorKind::Unconfirmed`].
    ///
    /// An answered export is checked too (one more `GET /tasks` when there are no copies): the answer may be
    /// that of a browser's resend whose earlier copies reached the server unanswered; those are cancelled and
    /// listed in `cancelled_copies` (see `Client::cancel_export_copies_beside`).
    pub async fn export_vms(&self, export: &ExportVms) -> Result<SubmitResult, ApiError> {
        export.validate()?;
        match self.call(export).await {
            Ok(answered) => Ok(self.cancel_export_copies_beside(export, answered).await),
            Err(lost) if lost.kind == ErrorKind::Unconfirmed => match self.confirm_export(export).await {
                Ok(found) => Ok(found),
                Err(none_found) if none_found.kind == ErrorKind::Unconfirmed => {
                    Err(ApiError { status: lost.status, detail: lost.detail, ..none_found })
                }
                Err(lookup) => Err(not_checked(lost, &lookup)),
            },
            other => other,
        }
    }

    /// Submits a restore (`POST /tasks/restore-and-import`) after validating it. Sent once, like
    /// [`Client::export_vms`]: when its answer is lost the client looks for the RESTORE task of that backup it
    /// created ([`RestoreAndImport::tasks_created`]), cancels the extra copies a browser's resend made (see
    /// `cancelled_copies`) and returns the task to track with `recovered: true`; when it finds none, or cannot
    /// look, the error's kind is [`ErrorKind::Unconfirmed`] and the user should check before restoring again.
    ///
    /// An answered restore is checked too, with one more `GET /tasks`: the answer may be that of a resend whose
    /// earlier copies reached the server unanswered ([`RestoreAndImport::copies_of_answered`]). Those copies are
    /// cancelled the same way and `tasks` holds the task to track; when the list cannot be read the answer is
    /// returned as it came (the restore did start).
    pub async fn restore(&self, restore: &RestoreAndImport) -> Result<SubmitResult, ApiError> {
        restore.validate()?;
        let submitted_at = self.now_ms();
        let lost = match self.call(restore).await {
            Ok(answered) => return Ok(self.cancel_restore_copies_beside(restore, submitted_at, answered).await),
            Err(lost) if lost.kind == ErrorKind::Unconfirmed => lost,
            Err(refused) => return Err(refused),
        };
        match self.confirm_restore(restore, submitted_at).await {
            Ok(found) => Ok(found),
            // None found: the submission's own error stands (it may have been carried out: check).
            Err(none_found) if none_found.kind == ErrorKind::Unconfirmed => Err(lost),
            Err(lookup) => Err(not_checked(lost, &lookup)),
        }
    }

    /// After a restore sent at `submitted_at` (by this client's clock, taken before sending) came back
    /// [`ErrorKind::Unconfirmed`]: looks on the server for the task it created ([`RestoreAndImport::tasks_created`]),
    /// cancels the extra copies a browser's resend made (see `cancelled_copies`), and returns the tasks to track
    /// with `recovered: true`. Never resubmits.
    ///
    /// Errors: kind [`ErrorKind::Unconfirmed`] when the server answered and holds no task of the restore (it most
    /// likely never arrived); any other kind when the server could not be asked, so that a caller can ask again
    /// later, like [`Client::confirm_export`].
    pub async fn confirm_restore(
        &self,
        restore: &RestoreAndImport,
        submitted_at: i64,
    ) -> Result<SubmitResult, ApiError> {
        let none_found = || {
            ApiError::new(
                ErrorKind::Unconfirmed,
                "The server did not confirm the restore and no restore task for it was found. It probably did not \
                 start; check the task list before starting it again.",
            )
        };
        let Some(listing) = restore.possible_tasks() else { return Err(none_found()) };
        let page = self.call(&listing).await?;
        let created = restore.tasks_created(submitted_at, &page.items);
        if created.kept.is_empty() {
            return Err(none_found());
        }
        let (tasks, cancelled_copies) = self.cancel_extra_copies(created).await;
        Ok(SubmitResult { tasks, recovered: true, cancelled_copies, ..SubmitResult::default() })
    }

    /// After `answered` came back for `restore`, sent at `submitted_at`: cancels the copies of it that a resend
    /// left on the server, if any, and says so in the result.
    async fn cancel_restore_copies_beside(
        &self,
        restore: &RestoreAndImport,
        submitted_at: i64,
        answered: SubmitResult,
    ) -> SubmitResult {
        // A restore makes one task; an answer with none or several gives no instant to compare copies with.
        let ([task], Some(listing)) = (answered.tasks.as_slice(), restore.possible_tasks()) else { return answered };
        let elapsed = self.now_ms().saturating_sub(submitted_at);
        let Ok(page) = self.call(&listing).await else { return answered };
        let created = restore.copies_of_answered(task, elapsed, &page.items);
        if created.extra_copies.is_empty() {
            return answered;
        }
        let (tasks, cancelled_copies) = self.cancel_extra_copies(created).await;
        SubmitResult { tasks, cancelled_copies, ..answered }
    }

    /// After an answered export: the answer may be that of a browser's resend whose earlier copies reached the
    /// server unanswered. A resend copies the whole submission, so the first VM's EXPORT tasks tell whether
    /// there are copies at all ([`ExportVms::copied_beside`]): an export without copies costs one `GET /tasks`.
    /// With copies, [`Client::confirm_export`] (reading only the other VMs' tasks) cancels them on every VM, and
    /// `tasks` then holds this submission's task to track per VM. When the server cannot be asked the answer is
    /// returned as it came (the backup did start).
    async fn cancel_export_copies_beside(&self, export: &ExportVms, answered: SubmitResult) -> SubmitResult {
        let Some(first) = export.vms.first() else { return answered };
        let Ok(listed) = self.call(&ListTasks::for_vm(first.id.clone()).of_type(TaskType::Export)).await else {
            return answered;
        };
        if !export.copied_beside(&answered.tasks, &listed.items) {
            return answered;
        }
        match self.confirm_export_from(export, listed.items, 1).await {
            // Only this submission's tasks: the look-up also finds other backups of the VMs started lately.
            Ok(found) => SubmitResult {
                tasks: found.tasks.into_iter().filter(|t| export.is_copy(t)).collect(),
                cancelled_copies: found.cancelled_copies,
                ..answered
            },
            Err(_) => answered,
        }
    }

    /// Cancels `created`'s extra copies; returns the tasks to track (the kept ones, and any copy that could not
    /// be cancelled) and the ids of the copies cancelled.
    async fn cancel_extra_copies(&self, created: CreatedTasks<'_>) -> (Vec<Task>, Vec<String>) {
        let mut tasks: Vec<Task> = created.kept.into_iter().cloned().collect();
        let mut cancelled_copies = Vec::new();
        for copy in created.extra_copies {
            match self.call(&CancelTask::new(copy.id.clone())).await {
                Ok(()) => cancelled_copies.push(copy.id.clone()),
                // Still running: it stays in the list, where the user sees it and can cancel it.
                Err(_) => tasks.push(copy.clone()),
            }
        }
        (tasks, cancelled_copies)
    }

    /// After an export came back [`ErrorKind::Unconfirmed`]: looks on the server for the tasks it created
    /// ([`ExportVms::tasks_created`]), cancels the extra copies a browser's resend may have made (see
    /// `cancelled_copies`), and returns the tasks to track with `recovered: true`. Never resubmits.
    ///
    /// Errors: kind [`ErrorKind::Unconfirmed`] when the server answered and holds no task of the submission (it
    /// most likely never arrived); any other kind when the server could not be asked, so that a caller can ask
    /// again later (a proxy that drops connections recovers; nothing is lost by waiting).
    pub async fn confirm_export(&self, export: &ExportVms) -> Result<SubmitResult, ApiError> {
        self.confirm_export_from(export, Vec::new(), 0).await
    }

    /// [`Client::confirm_export`] with the EXPORT tasks of the submission's first `vms_read` VMs already read
    /// (`read`): only the other VMs' tasks are asked for.
    async fn confirm_export_from(
        &self,
        export: &ExportVms,
        read: Vec<Task>,
        vms_read: usize,
    ) -> Result<SubmitResult, ApiError> {
        let mut candidates = read;
        for vm in export.vms.iter().skip(vms_read) {
            candidates.extend(self.call(&ListTasks::for_vm(vm.id.clone()).of_type(TaskType::Export)).await?.items);
        }
        let created = export.tasks_created(&candidates);
        if created.kept.is_empty() {
            return Err(ApiError::new(
                ErrorKind::Unconfirmed,
                "The server did not confirm the backup and no backup task for it was found. It probably did not \
                 start; check the task list before starting it again.",
            ));
        }
        let (tasks, cancelled_copies) = self.cancel_extra_copies(created).await;
        Ok(SubmitResult { tasks, recovered: true, cancelled_copies, ..SubmitResult::default() })
    }

    /// Completes after `duration`, on the client's runtime (a timer in the browser, the executor's natively).
    pub fn sleep(&self, duration: Duration) -> LocalBoxFuture<'static, ()> {
        self.inner.runtime.sleep(duration)
    }

    /// [`Client::send`] as a boxed future whose state machine is compiled in this crate: a caller in another crate
    /// that awaits `send` itself gets a second copy of it (and of what it awaits) in a wasm module, ~6 KB.
    pub fn send_boxed(&self, request: HttpRequest) -> LocalBoxFuture<'_, Result<HttpResponse, ApiError>> {
        Box::pin(self.send(request))
    }

    /// Sends a request under the session rules: scope, credentials, re-login or token refresh and replay once,
    /// retry once when safe, never resend a submission of unknown fate.
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse, ApiError> {
        let request = if request.purpose == Purpose::Login { request } else { self.inner.scope.apply(request) };
        if request.purpose != Purpose::Login && self.inner.expired.get() {
            return Err(session_expired_error());
        }
        let mode = self.inner.session.borrow().mode();
        let mut replayed = false;
        loop {
            let epoch = self.inner.gate.epoch();
            if mode == SessionMode::Token && self.inner.token.borrow().is_none() {
                self.refresh_token(epoch).await?;
            }
            let outcome = self.transmit(&request).await;
            let next = match &outcome {
                Ok(response) => next_step(mode, &request, Outcome::Answered(response), replayed),
                Err(no_answer) => next_step(mode, &request, Outcome::NoAnswer(no_answer.kind), replayed),
            };
            match (next, outcome) {
                (Next::Deliver, Ok(response)) => return Ok(response),
                (Next::ReloginAndReplay, _) => {
                    let relogin = self.inner.gate.login_once(epoch, async { self.login_now().await.map(|_| ()) });
                    match relogin.await {
                        Ok(()) => {}
                        // The server could not be asked: the session may well be fine, so do not pause.
                        Err(error) if matches!(error.kind, ErrorKind::Network | ErrorKind::Timeout) => {
                            return Err(error)
                        }
                        Err(mut error) => {
                            error.message =
                                format!("Your session expired and logging in again failed: {}", error.message);
                            return Err(self.expire(error));
                        }
                    }
                }
                (Next::RefreshTokenAndReplay, _) => {
                    *self.inner.token.borrow_mut() = None;
                    self.refresh_token(epoch).await?;
                }
                (Next::SessionExpired, Ok(response)) => return Err(self.expire(ApiError::from_response(&response))),
                (Next::RetryOnce, _) => {}
                (Next::OutcomeUnknown, outcome) => return Err(unconfirmed(outcome)),
                (_, Ok(response)) => return Ok(response),
                (_, Err(no_answer)) => return Err(unreachable_error(no_answer)),
            }
            replayed = true;
        }
    }

    /// Sends once, with the session's credentials, and keeps cookies the server sets (where the runtime shows
    /// them).
    async fn transmit(&self, request: &HttpRequest) -> Result<HttpResponse, NoAnswer> {
        let mut prepared = request.clone();
        if let Some(cookie) = self.inner.cookies.borrow().header() {
            prepared = prepared.header("Cookie", cookie);
        }
        if let Some(token) = self.inner.token.borrow().as_deref() {
            prepared = with_bearer(prepared, token);
        }
        let url = prepared.url(&self.inner.base_url);
        let response = self.inner.transport.send(url, &prepared, self.inner.timeout).await?;
        self.inner.cookies.borrow_mut().store_from(&response.headers);
        Ok(response)
    }

    /// One login with the stored credentials; a success resumes a paused client.
    async fn login_now(&self) -> Result<SessionInfo, ApiError> {
        let login = match &*self.inner.session.borrow() {
            Session::Login { username, password } => Login::new(username.clone(), password.clone()),
            Session::HostCookie | Session::Token(_) => {
                return Err(ApiError::new(
                    ErrorKind::Unauthorized,
                    "This client uses the host page's session or a token; it does not log in itself.",
                ))
            }
        };
        let response = match self.transmit(&login.request()).await {
            Ok(response) => response,
            Err(no_answer) => return Err(unreachable_error(no_answer)),
        };
        let info = login.parse(&response)?;
        self.resume();
        Ok(info)
    }

    async fn refresh_token(&self, epoch: u64) -> Result<(), ApiError> {
        let provider = match &*self.inner.session.borrow() {
            Session::Token(provider) => provider.clone(),
            _ => return Ok(()),
        };
        let refresh = async {
            let token = provider().await?;
            *self.inner.token.borrow_mut() = Some(token);
            Ok(())
        };
        match self.inner.gate.login_once(epoch, refresh).await {
            Ok(()) => {
                self.resume();
                Ok(())
            }
            Err(error) => Err(self.expire(error)),
        }
    }

    /// Marks the session expired (telling subscribers on the transition only) and returns `error` as the
    /// caller's unauthorized error.
    fn expire(&self, mut error: ApiError) -> ApiError {
        if error.kind != ErrorKind::Unauthorized {
            error.detail = Some(match error.detail.take() {
                Some(detail) => format!("{}: {detail}", error.message),
                None => error.message.clone(),
            });
            error.kind = ErrorKind::Unauthorized;
            error.message = "Your session has expired and logging in again failed. Log in again.".into();
        }
        if !self.inner.expired.replace(true) {
            self.inner.expired_listeners.emit(&());
        }
        error
    }
}

fn session_expired_error() -> ApiError {
    let mut error = ApiError::new(ErrorKind::Unauthorized, "Your session has expired. Log in again.");
    error.status = Some(401);
    error
}

fn unreachable_error(no_answer: NoAnswer) -> ApiError {
    let message = match no_answer.kind {
        ErrorKind::Timeout => "The backup server did not answer in time. Try again.",
        _ => "The backup server could not be reached. Check the connection and try again.",
    };
    let mut error = ApiError::new(no_answer.kind, message);
    error.detail = Some(no_answer.message);
    error
}

/// A lost submission's error, saying that the tasks it may have created could not be looked up.
fn not_checked(mut lost: ApiError, lookup: &ApiError) -> ApiError {
    lost.message = format!("{} The task list could not be read to check ({}).", lost.message, lookup.message);
    lost
}

fn unconfirmed(outcome: Result<HttpResponse, NoAnswer>) -> ApiError {
    let mut error = ApiError::new(
        ErrorKind::Unconfirmed,
        "The server did not confirm the request. It may have been carried out: check before trying again.",
    );
    match outcome {
        Ok(response) => {
            error.status = Some(response.status);
            error.detail = Some(ApiError::from_response(&response).message);
        }
        Err(no_answer) => error.detail = Some(no_answer.message),
    }
    error
}
