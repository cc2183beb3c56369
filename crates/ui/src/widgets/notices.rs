//! Notices every widget shows the same way: an error with what the user can do, and the expired-session prompt.

use leptos::prelude::*;
use vmbackup_core::{ApiError, ErrorKind};

use crate::context::use_widget_context;
use crate::handler;
use crate::i18n::Msg;
use crate::show_if::ShowIf;

/// The catalog's sentence for an error kind.
pub fn kind_message(kind: ErrorKind) -> Msg {
    match kind {
        ErrorKind::Unauthorized => Msg::ErrorUnauthorized,
        ErrorKind::Forbidden => Msg::ErrorForbidden,
        ErrorKind::NotFound => Msg::ErrorNotFound,
        ErrorKind::Validation => Msg::ErrorValidation,
        ErrorKind::Conflict => Msg::ErrorConflict,
        ErrorKind::Server => Msg::ErrorServer,
        ErrorKind::Network => Msg::ErrorNetwork,
        ErrorKind::Timeout => Msg::ErrorTimeout,
        ErrorKind::Decode => Msg::ErrorDecode,
        ErrorKind::Unconfirmed => Msg::ErrorUnconfirmed,
    }
}

/// An error in the user's language, the server's own words (as text, never markup) and a retry button when
/// `on_retry` is given. Announced to screen readers as an alert.
#[component]
pub fn ErrorNotice(error: ApiError, #[prop(optional, into)] on_retry: Option<Callback<()>>) -> impl IntoView {
    let ctx = use_widget_context();
    let summary = kind_message(error.kind);
    // The server's message adds to the summary unless it is the core's generic text for the status.
    let server_text = Some(error.message.clone()).filter(|m| !m.is_empty());
    let status = error.status.map(|s| format!("HTTP {s}"));
    view! {
        <div class="vmb-alert" role="alert">
            <div>
                <strong>{ctx.message(summary)}</strong>
                {server_text.map(|text| view! { <div>{text}</div> })}
                {status.map(|s| view! { <div class="vmb-alert__detail">{s}</div> })}
            </div>
            {on_retry.map(|retry| view! {
                <button type="button" class="vmb-button" on:click=handler::mouse(move |_| retry.run(()))>
                    {ctx.message(Msg::Retry)}
                </button>
            })}
        </div>
    }
}

/// Shown while the session is expired: the host logs the user in again, then this resumes the client.
#[component]
pub fn SessionNotice() -> impl IntoView {
    let ctx = use_widget_context();
    let resume = move |_| {
        ctx.client().resume();
        ctx.set_session_expired(false);
    };
    view! {
        <ShowIf when=move || ctx.session_expired()>
            <div class="vmb-alert vmb-alert--info" role="alert">
                <span>{ctx.message(Msg::SessionExpired)}</span>
                <button type="button" class="vmb-button" on:click=handler::mouse(resume)>{ctx.message(Msg::ResumeSession)}</button>
            </div>
        </ShowIf>
    }
}
