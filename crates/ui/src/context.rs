//! What every widget of a page shares: one client (so one session and one task poller), the language, the
//! time zone for display, and the host element that hears the widgets' events.

use std::cell::RefCell;

use leptos::prelude::*;
use vmbackup_client::Client;
use vmbackup_core::ApiError;
use web_sys::HtmlElement;

use crate::erased::ErasedSignal;
use crate::host_events::HostEvent;
use crate::i18n::{fill_placeholders, Lang, Message, Msg};

/// The shared state of widgets, provided once per mounted widget tree and read with [`use_widget_context`].
/// All fields are handles, so the context is `Copy` and cheap to pass into closures.
///
/// A request or timer of a widget may end after the widget is gone: the context's reads never fail (a default
/// should its values be disposed), and the client is always there.
#[derive(Clone, Copy)]
pub struct WidgetContext {
    /// Index of the client in [`PAGE_CLIENTS`].
    client: usize,
    lang: ErasedSignal<Lang>,
    zone: ErasedSignal<String>,
    session_expired: ErasedSignal<bool>,
    host: StoredValue<Option<HtmlElement>, LocalStorage>,
}

thread_local! {
    /// The clients the page's widgets were mounted with: a handful (one per API base, project and credentials
    /// mode), living as long as the page, as the shared clients themselves do.
    static PAGE_CLIENTS: RefCell<Vec<Client>> = const { RefCell::new(Vec::new()) };
}

/// Whether `a` and `b` are clones of one client (they share one task poller).
pub(crate) fn same_client(a: &Client, b: &Client) -> bool {
    std::ptr::eq(a.poller(), b.poller())
}

impl WidgetContext {
    /// A context over `client`, sending host events to `host` (the custom element or mount target).
    pub fn new(client: Client, lang: Lang, zone: String, host: Option<HtmlElement>) -> Self {
        let session_expired = ErasedSignal::new(client.session_expired());
        let client = PAGE_CLIENTS.with(|clients| {
            let mut clients = clients.borrow_mut();
            match clients.iter().position(|known| same_client(known, &client)) {
                Some(index) => index,
                None => {
                    clients.push(client);
                    clients.len() - 1
                }
            }
        });
        WidgetContext {
            client,
            lang: ErasedSignal::new(lang),
            zone: ErasedSignal::new(zone),
            session_expired,
            host: StoredValue::new_local(host),
        }
    }

    /// The page's client.
    pub fn client(&self) -> Client {
        PAGE_CLIENTS.with(|clients| clients.borrow()[self.client].clone())
    }

    /// The language texts are shown in (tracked).
    pub fn lang(&self) -> Lang {
        self.lang.try_with(|lang| *lang).unwrap_or_default()
    }

    /// The language, not tracked.
    pub fn lang_untracked(&self) -> Lang {
        self.lang.try_with_untracked(|lang| *lang).unwrap_or_default()
    }

    /// Shows the widgets' texts in `lang`.
    pub fn set_lang(&self, lang: Lang) {
        let _ = self.lang.try_set(lang);
    }

    /// The IANA time zone dates are shown in, the browser's by default (tracked).
    pub fn zone(&self) -> String {
        self.zone.try_with(String::clone).unwrap_or_default()
    }

    /// The time zone, not tracked.
    pub fn zone_untracked(&self) -> String {
        self.zone.try_with_untracked(String::clone).unwrap_or_default()
    }

    /// Whether the client reported an expired session: widgets then show a prompt and stop asking (tracked).
    pub fn session_expired(&self) -> bool {
        self.session_expired.try_with(|expired| *expired).unwrap_or(false)
    }

    /// Records that the session expired, or is back.
    pub fn set_session_expired(&self, expired: bool) {
        let _ = self.session_expired.try_set(expired);
    }

    /// A message in the current language (reactive when read inside a view or effect).
    pub fn text(&self, msg: impl Message) -> &'static str {
        msg.text(self.lang())
    }

    /// A message as a view or attribute value that follows the language: `{ctx.message(Msg::Retry)}`.
    ///
    /// Why not `{move || ctx.text(msg)}`: each such closure is a type of its own, with its own reactive
    /// rendering code and vtable in the wasm (about a hundred of them); this one closure type is shared.
    pub fn message(self, msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.text(msg)
    }

    /// The current language's direction (reactive), for the `dir` of an element holding text the widgets made
    /// (a date, a size, a count): `<bdi dir=move || ctx.dir()>` keeps "23 lis 2026, 04:35" in order in a
    /// right-to-left context, where the bidi algorithm would move the leading day to the end
    /// ("lis 2026, 04:35 23"). The widget itself takes the page's direction (it mirrors on a right-to-left page).
    pub fn dir(&self) -> &'static str {
        self.lang().dir()
    }

    /// A message with placeholders filled, in the current language.
    pub fn fill(&self, msg: impl Message, values: &[(&str, &str)]) -> String {
        fill_placeholders(msg.text(self.lang()), values)
    }

    /// Tells the host page something happened (a bubbling, composed `CustomEvent`), once the widget's own
    /// handling of the click or answer that caused it is over.
    ///
    /// Why not at once: the host's handler may unmount the widget (it closes a VM picker on a selection, an
    /// editor on save), and the widget's code that sent the event would then go on over disposed state.
    pub fn emit(&self, event: HostEvent) {
        let Some(Some(host)) = self.host.try_get_value() else { return };
        leptos::task::spawn_local(async move { event.dispatch_on(&host) });
    }

    /// Tells the host about an error a widget shows (`vmb-error`).
    pub fn report(&self, error: &ApiError) {
        self.emit(HostEvent::Error {
            kind: error.kind.name().to_string(),
            status: error.status,
            message: error.message.clone(),
        });
    }
}

/// The context provided by the widget's mount; widgets cannot work without one.
pub fn use_widget_context() -> WidgetContext {
    use_context::<WidgetContext>().expect("vmbackup widgets are mounted through vmbackup_ui::mount or a custom element")
}
