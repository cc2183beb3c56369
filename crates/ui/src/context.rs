//! What every widget of a page shares: one client (so one session and one task poller), the language, the
//! time zone for display, and the host element that hears the widgets' events.

use leptos::prelude::*;
use vmbackup_client::Client;
use vmbackup_core::ApiError;
use web_sys::HtmlElement;

use crate::erased::ErasedSignal;
use crate::host_events::HostEvent;
use crate::i18n::{Lang, Msg};

/// The shared state of widgets, provided once per mounted widget tree and read with [`use_widget_context`].
/// All fields are arena handles, so the context is `Copy` and cheap to pass into closures.
#[derive(Clone, Copy)]
pub struct WidgetContext {
    client: StoredValue<Client, LocalStorage>,
    /// The language texts are shown in.
    pub lang: ErasedSignal<Lang>,
    /// The IANA time zone dates are shown in (the browser's by default).
    pub zone: ErasedSignal<String>,
    /// Set when the client reports an expired session; widgets show a prompt and stop asking.
    pub session_expired: ErasedSignal<bool>,
    host: StoredValue<Option<HtmlElement>, LocalStorage>,
}

impl WidgetContext {
    /// A context over `client`, sending host events to `host` (the custom element or mount target).
    pub fn new(client: Client, lang: Lang, zone: String, host: Option<HtmlElement>) -> Self {
        let session_expired = ErasedSignal::new(client.session_expired());
        WidgetContext {
            client: StoredValue::new_local(client),
            lang: ErasedSignal::new(lang),
            zone: ErasedSignal::new(zone),
            session_expired,
            host: StoredValue::new_local(host),
        }
    }

    /// The page's client.
    pub fn client(&self) -> Client {
        self.client.get_value()
    }

    /// A message in the current language (reactive when read inside a view or effect).
    pub fn text(&self, msg: Msg) -> &'static str {
        msg.text(self.lang.get())
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
        self.lang.get().dir()
    }

    /// A message with placeholders filled, in the current language.
    pub fn fill(&self, msg: Msg, values: &[(&str, &str)]) -> String {
        msg.fill(self.lang.get(), values)
    }

    /// Tells the host page something happened (a bubbling, composed `CustomEvent`). Does nothing once the
    /// widget is unmounted (a request may end after that).
    pub fn emit(&self, event: HostEvent) {
        let _ = self.host.try_with_value(|host| {
            if let Some(host) = host {
                event.dispatch_on(host);
            }
        });
    }

    /// Tells the host about an error a widget shows (`vmb-error`).
    pub fn report(&self, error: &ApiError) {
        self.emit(HostEvent::Error {
            kind: crate::widgets::notices::kind_name(error.kind),
            status: error.status,
            message: error.message.clone(),
        });
    }
}

/// The context provided by the widget's mount; widgets cannot work without one.
pub fn use_widget_context() -> WidgetContext {
    use_context::<WidgetContext>().expect("vmbackup widgets are mounted through vmbackup_ui::mount or a custom element")
}
