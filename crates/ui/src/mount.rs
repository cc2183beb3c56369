//! Mounting a widget into a host element: a shadow root holding the adopted stylesheet and a `vmb-root`
//! container, a [`WidgetContext`] for the widget tree, and a handle that unmounts it.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;
use vmbackup_client::Client;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use crate::context::WidgetContext;
use crate::host_events::HostEvent;
use crate::i18n::Lang;
use crate::style::STYLESHEET;

/// Light, dark, or following the user's system setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    Light,
    Dark,
    #[default]
    Auto,
}

impl Theme {
    /// Reads `light`, `dark` or `auto` (anything else is `auto`).
    pub fn parse(value: &str) -> Theme {
        match value {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::Auto,
        }
    }

    /// The theme to draw now (`auto` asks `prefers-color-scheme`).
    pub fn resolve(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => {
                let dark = web_sys::window()
                    .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                    .is_some_and(|query| query.matches());
                if dark {
                    "dark"
                } else {
                    "light"
                }
            }
        }
    }
}

/// How a widget tree looks and speaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presentation {
    pub lang: Lang,
    pub theme: Theme,
    /// IANA zone for dates; `None` uses the browser's.
    pub zone: Option<String>,
}

/// A mounted widget; dropping it (or [`MountedWidget::unmount`]) removes it from the page.
pub struct MountedWidget {
    handle: Option<Box<dyn Any>>,
    container: HtmlElement,
    _session_events: [vmbackup_client::Subscription; 2],
    context: WidgetContext,
    /// Owns the context's values (its language, zone and session signals, its handle on the host element):
    /// they go when the widget goes, after its view.
    context_owner: Owner,
}

impl MountedWidget {
    /// Removes the widget.
    pub fn unmount(self) {}

    /// The widget's shared context (to change language or theme later).
    pub fn context(&self) -> WidgetContext {
        self.context
    }

    /// Changes the language of the mounted widget.
    pub fn set_lang(&self, lang: Lang) {
        let _ = self.container.set_attribute("lang", lang.tag());
        self.context.set_lang(lang);
    }

    /// Changes the theme of the mounted widget.
    pub fn set_theme(&self, theme: Theme) {
        let _ = self.container.set_attribute("data-theme", theme.resolve());
    }
}

impl Drop for MountedWidget {
    fn drop(&mut self) {
        drop(self.handle.take());
        self.container.remove();
        // A request of the widget that ends later reads defaults from the context (its reads never fail) and
        // tells the host nothing more.
        self.context_owner.cleanup();
    }
}

thread_local! {
    static SHEET: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
}

/// The one stylesheet object every shadow root of the page adopts.
fn shared_sheet() -> Result<CssStyleSheet, JsValue> {
    SHEET.with(|slot| {
        if let Some(sheet) = slot.borrow().as_ref() {
            return Ok(sheet.clone());
        }
        let sheet = CssStyleSheet::new()?;
        sheet.replace_sync(STYLESHEET)?;
        *slot.borrow_mut() = Some(sheet.clone());
        Ok(sheet)
    })
}

/// The host's shadow root (made on first mount; a re-connected element reuses it).
fn shadow_root_of(host: &HtmlElement) -> Result<ShadowRoot, JsValue> {
    if let Some(root) = host.shadow_root() {
        return Ok(root);
    }
    let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    root.set_adopted_style_sheets(&js_sys::Array::of1(&shared_sheet()?.into()));
    Ok(root)
}

/// Mounts `view` in `host`'s shadow root with a context over `client`. Events go to `host`.
pub fn mount_in_shadow<V: IntoView + 'static>(
    host: &HtmlElement,
    client: Client,
    presentation: &Presentation,
    view: impl FnOnce() -> V + 'static,
) -> Result<MountedWidget, JsValue> {
    let root = shadow_root_of(host)?;
    let document = host.owner_document().ok_or_else(|| JsValue::from_str("the host element has no document"))?;
    let container: HtmlElement = document.create_element("div")?.dyn_into()?;
    root.append_child(&container)?;
    mount_in(container, Some(host.clone()), client, presentation, view)
}

/// Mounts `view` straight into `container`, without a shadow root (the SPA, whose page is all ours). The
/// stylesheet must then be on the page (the SPA links it).
pub fn mount_in<V: IntoView + 'static>(
    container: HtmlElement,
    host: Option<HtmlElement>,
    client: Client,
    presentation: &Presentation,
    view: impl FnOnce() -> V + 'static,
) -> Result<MountedWidget, JsValue> {
    container.set_class_name("vmb-root");
    container.set_attribute("data-theme", presentation.theme.resolve())?;
    container.set_attribute("lang", presentation.lang.tag())?;
    let zone = presentation.zone.clone().unwrap_or_else(crate::format::runtime_zone);
    // The view's owner is a root of its own (`mount_to`), whatever the caller's is; so is the context's, which
    // the view's cleanup may still read and which is disposed after it (see `Drop`).
    let (context, context_owner, handle) = detached(|| {
        let context_owner = Owner::new();
        let context = context_owner.with(|| WidgetContext::new(client.clone(), presentation.lang, zone, host));
        let handle = leptos::mount::mount_to(container.clone(), move || {
            provide_context(context);
            view()
        });
        (context, context_owner, handle)
    });
    let expiry = client.on_session_expired(move || {
        context.set_session_expired(true);
        context.emit(HostEvent::SessionExpired);
    });
    let resumed = client.on_session_resumed(move || {
        context.set_session_expired(false);
    });
    Ok(MountedWidget {
        handle: Some(Box::new(handle)),
        container,
        _session_events: [expiry, resumed],
        context,
        context_owner,
    })
}

/// Runs `make` outside any reactive owner and untracked, as if called from the page's top level.
///
/// Why: a host mounts widgets from its own callbacks, and those may run inside one of ours (the portal
/// re-points its widgets from its `vmb-selection-changed` handler, called while the table handles a row's
/// click). What `make` creates would otherwise belong to that row and be disposed when the row leaves the
/// table, leaving a dead widget on the page; and what it reads would re-run the row's effects.
pub(crate) fn detached<T>(make: impl FnOnce() -> T) -> T {
    let caller = Owner::current();
    if let Some(caller) = caller.clone() {
        caller.unset();
    }
    let made = untrack(make);
    if let Some(caller) = caller {
        caller.set();
    }
    made
}
