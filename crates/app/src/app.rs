//! The app: configuration from the page, the shared client, and the top-level views.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use vmbackup_client::fetch::{Credentials, FetchTransport, JsRuntime};
use vmbackup_client::{Client, ClientOptions, Session};
use vmbackup_core::domain::Vm;
use vmbackup_core::storware::session::CurrentUser;
use vmbackup_ui::i18n::{Lang, Msg};
use vmbackup_ui::mount::{mount_in, Presentation, Theme};
use vmbackup_ui::privileges;
use vmbackup_ui::show_if::ShowIf;
use vmbackup_ui::style::STYLESHEET;
use vmbackup_ui::use_widget_context;
use vmbackup_ui::widgets::{ErrorNotice, VmTable};
use wasm_bindgen::JsCast;

use crate::catalog::AppMsg;
use crate::shell::{self, page_from_hash, Page};

/// Mounts the app into `#vmb-app`.
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let api_base = document
        .query_selector("meta[name=vmbackup-api-base]")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_else(|| "/api".to_string());
    // The widgets' stylesheet, once, for the whole page.
    if let (Some(head), Ok(style)) = (document.head(), document.create_element("style")) {
        style.set_text_content(Some(STYLESHEET));
        let _ = head.append_child(&style);
    }
    let client = Client::new(
        ClientOptions::new(api_base.clone(), Session::HostCookie),
        Rc::new(FetchTransport::new(Credentials::SameOrigin)),
        Rc::new(JsRuntime),
    );
    vmbackup_ui::clients::register_client(
        vmbackup_ui::clients::Connection { api_base, project: None, credentials: Credentials::SameOrigin },
        client.clone(),
    );
    let Some(root) = document.get_element_by_id("vmb-app").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    root.set_inner_html("");
    let lang =
        web_sys::window().and_then(|w| w.navigator().language()).map(|tag| Lang::parse(&tag)).unwrap_or_default();
    let presentation = Presentation { lang, theme: Theme::Auto, zone: None };
    if let Ok(mounted) = mount_in(root, None, client, &presentation, App) {
        // The app lives as long as the page.
        std::mem::forget(mounted);
    }
}

/// Where the user is in the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SignedIn {
    /// Checking whether a session already exists (a reload).
    Checking,
    No,
    Yes,
}

#[component]
fn App() -> impl IntoView {
    let ctx = use_widget_context();
    let signed_in = RwSignal::new(SignedIn::Checking);
    let page = RwSignal::new(page_from_hash());
    shell::follow_hash(page);
    // A reload keeps the server session (the cookie): ask the server before showing the login form. Its answer
    // lists the session's privileges, which the widgets then need not ask for.
    spawn_local(async move {
        let state = match ctx.client().call(&CurrentUser).await {
            Ok(session) => {
                privileges::remember(ctx, &session);
                SignedIn::Yes
            }
            Err(_) => SignedIn::No,
        };
        let _ = signed_in.try_set(state);
    });
    view! {
        {move || match signed_in.get() {
            SignedIn::Checking => view! { <p class="vmb-muted" role="status">{ctx.text(Msg::Loading)}</p> }.into_any(),
            SignedIn::No => view! { <LoginForm on_success=Callback::new(move |_| signed_in.set(SignedIn::Yes)) /> }.into_any(),
            SignedIn::Yes => view! {
                // Inert behind the login prompt: a modal prompt, the page under it out of reach of Tab and clicks.
                <div class="vmb-app-frame" inert=move || ctx.session_expired()>
                    <shell::Shell page=page on_logout=Callback::new(move |_| signed_in.set(SignedIn::No))>
                        {move || page_view(page.get())}
                    </shell::Shell>
                </div>
                // Expired for good: log in again over the current page, then carry on there.
                <ShowIf when=move || ctx.session_expired()>
                    <div class="vmb-app-overlay" role="dialog" aria-modal="true" aria-labelledby="vmb-login-title">
                        <LoginForm
                            on_success=Callback::new(move |_| ctx.set_session_expired(false))
                            expired=true
                        />
                    </div>
                </ShowIf>
            }.into_any(),
        }}
    }
}

fn page_view(page: Page) -> AnyView {
    match page {
        Page::Vms => view! { <VmDashboard /> }.into_any(),
        Page::Tasks | Page::Schedules | Page::Policies => shell::page_for(page),
    }
}

/// The login form. Credentials go to the client's memory only.
#[component]
fn LoginForm(on_success: Callback<()>, #[prop(optional)] expired: bool) -> impl IntoView {
    let ctx = use_widget_context();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None);
    // The prompt that comes up over a page takes the focus (`autofocus` is not honoured on inserted elements).
    let username_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move || {
        if let Some(input) = username_input.get() {
            let _ = input.focus();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (user, pass) = (username.get_untracked(), password.get_untracked());
        spawn_local(async move {
            let result = ctx.client().login_with(user, pass).await;
            let _ = busy.try_set(false);
            match result {
                Ok(session) => {
                    // The login's answer lists the new user's privileges.
                    privileges::remember(ctx, &session);
                    let _ = password.try_set(String::new());
                    on_success.run(());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="vmb-dialog vmb-app-login" on:submit=submit aria-labelledby="vmb-login-title">
            <h1 id="vmb-login-title" class="vmb-dialog__title">{move || ctx.text(AppMsg::LoginTitle)}</h1>
            {expired.then(|| view! { <p class="vmb-alert vmb-alert--info" role="alert">{move || ctx.text(AppMsg::SessionExpiredLogin)}</p> })}
            <label class="vmb-field">
                <span class="vmb-label">{move || ctx.text(AppMsg::Username)}</span>
                <input class="vmb-input" name="username" autocomplete="username" required node_ref=username_input
                    prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev)) />
            </label>
            <label class="vmb-field">
                <span class="vmb-label">{move || ctx.text(AppMsg::Password)}</span>
                <input class="vmb-input" type="password" name="password" autocomplete="current-password" required
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
            </label>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            <div class="vmb-dialog__actions">
                <button type="submit" class="vmb-button vmb-button--primary" disabled=move || busy.get()>
                    {move || ctx.text(if busy.get() { AppMsg::LoggingIn } else { AppMsg::LogIn })}
                </button>
            </div>
        </form>
    }
}

/// The VM table with a details pane for the selected VM.
#[component]
fn VmDashboard() -> impl IntoView {
    let ctx = use_widget_context();
    let selected: RwSignal<Vec<Vm>> = RwSignal::new(Vec::new());
    view! {
        <div class="vmb-app-dashboard">
            <VmTable visible_rows=14 on_selection=Callback::new(move |vms| selected.set(vms)) />
            <aside class="vmb-app-details" aria-live="polite">
                {move || match selected.get().last().cloned() {
                    None => view! { <p class="vmb-muted">{ctx.text(AppMsg::SelectVmHint)}</p> }.into_any(),
                    Some(vm) => shell::vm_details(vm, selected.get()),
                }}
            </aside>
        </div>
    }
}
