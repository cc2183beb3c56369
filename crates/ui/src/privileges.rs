//! What a session may do, read from its privileges (`GET /session/user`, [`SessionInfo::privileges`]), so that
//! the widgets offer no change the server would refuse with 403.

use leptos::task::spawn_local;
use vmbackup_core::domain::SessionInfo;
use vmbackup_core::storware::session::CurrentUser;

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

/// Whether `session` holds `privilege`.
pub fn holds(session: &SessionInfo, privilege: &str) -> bool {
    session.privileges.iter().any(|p| p == privilege)
}

/// Whether a session may change policies and schedules at all (assign and remove VMs, save or delete a
/// schedule): the server answers a user without [`privilege::SLA_WRITE`] with 403.
pub fn changes_policies(session: &SessionInfo) -> bool {
    holds(session, privilege::SLA_WRITE)
}

/// Whether the user may change policies and schedules ([`changes_policies`]), asked of the server once. It is
/// `true` until the server answers, and stays so when it cannot tell (the server refuses what it does not allow
/// anyway).
pub fn may_change_policies(ctx: WidgetContext) -> ErasedSignal<bool> {
    let allowed = ErasedSignal::new(true);
    spawn_local(async move {
        if let Ok(session) = ctx.client().call(&CurrentUser).await {
            let _ = allowed.try_set(changes_policies(&session));
        }
    });
    allowed
}
