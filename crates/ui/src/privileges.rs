//! What a session may do, read from its privileges (`GET /session/user`, [`SessionInfo::privileges`]), so that
//! the widgets offer no change the server would refuse with 403.
//!
//! The answer is asked once per client: the first widget that needs it asks, and every widget over the same
//! [`Client`] (one per API base and project on a page, see the `clients` module) reads the same reactive
//! answer. Until it comes, widgets offer no change at all, so that a read-only user never sees Save appear and
//! vanish. A server that cannot be asked counts as allowing every change ([`Privileges::Unlisted`]).

use std::cell::RefCell;

use leptos::task::spawn_local;
use vmbackup_client::Client;
use vmbackup_core::domain::SessionInfo;
use vmbackup_core::storware::session::CurrentUser;
use vmbackup_core::ErrorKind;

use crate::context::WidgetContext;
use crate::erased::ErasedSignal;

/// The privilege names the widgets read.
pub mod privilege {
    /// Create, change and delete backup policies and schedules ("SLA" in Storware's names), which includes
    /// assigning VMs to a policy. Storware's own UI offers those writes only with it:
    /// `userHasPrivilege('VE_BACKUP_SLA_WRITE')` in `src/pages/schedules/SchedulesList.tsx` of
    /// `Storware/ovirt-engine-ui-vprotect-extensions` (the check itself is `src/utils/privileges.ts`, which
    /// matches the session's `privileges[].name`).
    pub const SLA_WRITE: &str = "VE_BACKUP_SLA_WRITE";
    /// Manage access rights: only administrators hold it. Storware's UI checks its read counterpart
    /// (`MGMT_RBAC_ACCESS_READ`, `src/model/task-panel.model.ts`); the write one is the same family's name.
    pub const RBAC_ACCESS_WRITE: &str = "MGMT_RBAC_ACCESS_WRITE";
}

/// What the page knows of the session's privileges.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Privileges {
    /// Not asked yet, or forgotten since (a logout).
    #[default]
    NotAsked,
    /// Asked, no answer yet (also while the session is expired: asked again once it is back).
    Asking,
    /// The privilege names the server listed.
    Listed(Vec<String>),
    /// The server could not be asked (an error other than 401). Every change is then offered, as before the
    /// widgets read privileges: the server still refuses what it does not allow (403), and the widget shows that
    /// refusal where the user acted.
    Unlisted,
}

impl Privileges {
    /// Whether the session holds `privilege`: `None` while unknown; `Some(true)` when the server could not be
    /// asked ([`Privileges::Unlisted`]).
    pub fn allows(&self, privilege: &str) -> Option<bool> {
        match self {
            Privileges::NotAsked | Privileges::Asking => None,
            Privileges::Listed(names) => Some(names.iter().any(|name| name == privilege)),
            Privileges::Unlisted => Some(true),
        }
    }

    /// Whether the session may change policies and schedules at all (assign and remove VMs, save or delete a
    /// schedule): the server answers a user without [`privilege::SLA_WRITE`] with 403. `None` while unknown.
    pub fn changes_policies(&self) -> Option<bool> {
        self.allows(privilege::SLA_WRITE)
    }

    /// Whether the session may also change what is shared by all projects. The server lets only administrators
    /// do that (it answers a project's user with 403), and only administrators manage access rights: project
    /// users lack [`privilege::RBAC_ACCESS_WRITE`]. `None` while unknown.
    pub fn changes_shared_policies(&self) -> Option<bool> {
        Some(self.changes_policies()? && self.allows(privilege::RBAC_ACCESS_WRITE)?)
    }

    /// Whether the session may change one policy: a shared one ([`Privileges::changes_shared_policies`]) or a
    /// project's ([`Privileges::changes_policies`]). `None` while unknown.
    pub fn changes_policy(&self, shared: bool) -> Option<bool> {
        if shared {
            self.changes_shared_policies()
        } else {
            self.changes_policies()
        }
    }
}

/// A client's answer, shared by every widget over it.
struct SharedAnswer {
    /// Kept so that the client, and with it the address [`same_client`] compares, lives as long as the entry.
    client: Client,
    answer: ErasedSignal<Privileges>,
}

thread_local! {
    // One entry per client of the page (a handful); like the clients themselves they live as long as the page.
    static ANSWERS: RefCell<Vec<SharedAnswer>> = const { RefCell::new(Vec::new()) };
}

/// The answer shared by the widgets over `client`, if one was made.
fn answer_of(client: &Client) -> Option<ErasedSignal<Privileges>> {
    ANSWERS.with(|answers| {
        answers.borrow().iter().find(|a| crate::context::same_client(&a.client, client)).map(|a| a.answer)
    })
}

/// The answer shared by the widgets over `client`, made on first use.
fn shared_answer(client: &Client) -> ErasedSignal<Privileges> {
    if let Some(answer) = answer_of(client) {
        return answer;
    }
    // Made outside the calling widget's reactive owner, so that unmounting that widget does not dispose what
    // the others read.
    let answer = crate::mount::detached(|| ErasedSignal::new(Privileges::NotAsked));
    // A session back after an expiry may be another user's (the host logged in again).
    let asker = client.clone();
    client.on_session_resumed(move || ask_again(&asker)).keep();
    ANSWERS.with(|answers| answers.borrow_mut().push(SharedAnswer { client: client.clone(), answer }));
    answer
}

/// Asks the server for the session's privileges into `answer`.
fn ask(client: &Client, answer: ErasedSignal<Privileges>) {
    answer.set(Privileges::Asking);
    let client = client.clone();
    spawn_local(async move {
        // Settled before this task ran: the SPA's login, which resumes the session (and so asks again), gives
        // the answer itself right after.
        if answer.with_untracked(|p| !matches!(p, Privileges::Asking)) {
            return;
        }
        let known = match client.call(&CurrentUser).await {
            Ok(session) => Privileges::Listed(session.privileges),
            // The session expired: the answer stays unknown until it is back (then it is asked again).
            Err(e) if e.kind == ErrorKind::Unauthorized => return,
            Err(_) => Privileges::Unlisted,
        };
        // Only an answer still awaited counts: one remembered or forgotten meanwhile (a login, a logout) is newer.
        if answer.with_untracked(|p| matches!(p, Privileges::Asking)) {
            answer.set(known);
        }
    });
}

/// The session's privileges as the page knows them (reactive). The first widget over the client asks the
/// server (`GET /session/user`); the others share its answer.
pub fn session_privileges(ctx: WidgetContext) -> ErasedSignal<Privileges> {
    let client = ctx.client();
    let answer = shared_answer(&client);
    if answer.with_untracked(|p| matches!(p, Privileges::NotAsked)) {
        ask(&client, answer);
    }
    answer
}

/// The session over `client` may be another user's now (the host logged in, after an expiry or not): asks the
/// server again, unless no widget needed the answer yet.
pub fn ask_again(client: &Client) {
    if let Some(answer) = answer_of(client).filter(|a| a.with_untracked(|p| !matches!(p, Privileges::NotAsked))) {
        ask(client, answer);
    }
}

/// Takes `session` as the answer for the widgets over `ctx`'s client, without asking: the SPA knows it from its
/// login or its own `GET /session/user`.
pub fn remember(ctx: WidgetContext, session: &SessionInfo) {
    shared_answer(&ctx.client()).set(Privileges::Listed(session.privileges.clone()));
}

/// Forgets the answer (a logout): the next user's widgets ask again, or get [`remember`]ed.
pub fn forget(ctx: WidgetContext) {
    shared_answer(&ctx.client()).set(Privileges::NotAsked);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sla_writers_change_policies_and_only_administrators_shared_ones() {
        let listed = |names: &[&str]| Privileges::Listed(names.iter().map(|n| n.to_string()).collect());
        let admin = listed(&["VE_BACKUP_SLA_READ", "VE_BACKUP_SLA_WRITE", "MGMT_RBAC_ACCESS_WRITE"]);
        let tenant = listed(&["VE_BACKUP_SLA_READ", "VE_BACKUP_SLA_WRITE"]);
        let viewer = listed(&["VE_BACKUP_SLA_READ", "MGMT_RBAC_ACCESS_READ"]);
        let odd = listed(&["VE_BACKUP_SLA_READ", "MGMT_RBAC_ACCESS_WRITE"]);
        let both = |p: &Privileges| (p.changes_policies(), p.changes_shared_policies());
        assert_eq!(both(&admin), (Some(true), Some(true)));
        assert_eq!(both(&tenant), (Some(true), Some(false)));
        assert_eq!(both(&viewer), (Some(false), Some(false)));
        assert_eq!(both(&odd), (Some(false), Some(false)), "managing access rights alone does not write policies");
        for p in [&admin, &tenant, &viewer, &odd, &Privileges::Asking] {
            assert_eq!((p.changes_policy(false), p.changes_policy(true)), both(p));
        }
    }

    #[test]
    fn nothing_is_allowed_while_unknown_and_everything_when_the_server_could_not_be_asked() {
        for unknown in [Privileges::NotAsked, Privileges::Asking] {
            assert_eq!((unknown.changes_policies(), unknown.changes_shared_policies()), (None, None));
        }
        let unlisted = Privileges::Unlisted;
        assert_eq!((unlisted.changes_policies(), unlisted.changes_shared_policies()), (Some(true), Some(true)));
    }
}
