//! Embedding for host pages: the `vmbackup/widgets` entry's JavaScript functions and custom elements.
//!
//! ```js
//! import init, { defineElements, mount } from "vmbackup/widgets";
//! await init();
//! defineElements();                       // <vmb-vm-table api-base="/api" lang="pl" theme="dark">
//! const handle = mount(document.querySelector("#backups"), "backup-history", { apiBase: "/api", vm: "…" });
//! handle.unmount();
//! ```
//!
//! Every widget lives in its element's shadow root with the stylesheet adopted there. Widgets against the same
//! API base, project and credentials mode share one client (one session, one task poller). Events bubble out of
//! the shadow root as `vmb-*` `CustomEvent`s.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use vmbackup_client::fetch::Credentials;

use crate::clients::{shared_client, Connection};
use crate::i18n::Lang;
use crate::linear_map::LinearMap;
use crate::mount::{mount_in_shadow, MountedWidget, Presentation, Theme};
use crate::privileges;
use crate::widgets::kinds::{WidgetConfig, WidgetKind};

/// The attributes every custom element reads.
pub const OBSERVED_ATTRIBUTES: [&str; 10] =
    ["api-base", "project", "vm", "task", "schedule", "backup", "lang", "theme", "zone", "credentials"];

/// Where a widget takes its settings from: element attributes or a `mount` options object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedSettings {
    pub api_base: Option<String>,
    pub project: Option<String>,
    pub vm: Option<String>,
    pub task: Option<String>,
    pub schedule: Option<String>,
    pub backup: Option<String>,
    pub lang: Option<String>,
    pub theme: Option<String>,
    pub zone: Option<String>,
    pub credentials: Option<String>,
}

impl EmbedSettings {
    fn from_element(element: &HtmlElement) -> Self {
        let attr = |name: &str| element.get_attribute(name).filter(|v| !v.trim().is_empty());
        EmbedSettings {
            api_base: attr("api-base"),
            project: attr("project"),
            vm: attr("vm"),
            task: attr("task"),
            schedule: attr("schedule"),
            backup: attr("backup"),
            // An element without `lang` speaks the page's language.
            lang: attr("lang")
                .or_else(|| element.closest("[lang]").ok().flatten().and_then(|e| e.get_attribute("lang"))),
            theme: attr("theme"),
            zone: attr("zone"),
            credentials: attr("credentials"),
        }
    }

    fn from_options(options: &JsValue) -> Result<Self, JsValue> {
        if options.is_undefined() || options.is_null() {
            return Ok(EmbedSettings::default());
        }
        if !options.is_object() {
            return Err(usage_error("mount options must be an object"));
        }
        let read = |key: &str| -> Result<Option<String>, JsValue> {
            let value = js_sys::Reflect::get(options, &JsValue::from_str(key))?;
            if value.is_undefined() || value.is_null() {
                return Ok(None);
            }
            value.as_string().map(Some).ok_or_else(|| usage_error(&format!("mount option `{key}` must be a string")))
        };
        Ok(EmbedSettings {
            api_base: read("apiBase")?,
            project: read("project")?,
            vm: read("vm")?,
            task: read("task")?,
            schedule: read("schedule")?,
            backup: read("backup")?,
            lang: read("lang")?,
            theme: read("theme")?,
            zone: read("zone")?,
            credentials: read("credentials")?,
        })
    }

    fn connection(&self) -> Result<Connection, JsValue> {
        let credentials = match self.credentials.as_deref() {
            None => Credentials::Include,
            Some(value) => Credentials::parse(value)
                .ok_or_else(|| usage_error("credentials must be \"include\", \"same-origin\" or \"omit\""))?,
        };
        Ok(Connection {
            api_base: self.api_base.clone().unwrap_or_else(|| "/api".to_string()),
            project: self.project.clone(),
            credentials,
        })
    }

    fn presentation(&self) -> Presentation {
        Presentation {
            lang: self.lang.as_deref().map(Lang::parse).unwrap_or_default(),
            theme: self.theme.as_deref().map(Theme::parse).unwrap_or_default(),
            zone: self.zone.clone(),
        }
    }

    fn config(&self) -> WidgetConfig {
        WidgetConfig {
            project: self.project.clone(),
            vm: self.vm.clone(),
            task: self.task.clone(),
            schedule: self.schedule.clone(),
            backup: self.backup.clone(),
        }
    }
}

fn usage_error(message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name("VmbackupError");
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("kind"), &JsValue::from_str("usage"));
    error.into()
}

/// Mounts `kind` in `element` with `settings`.
fn mount_kind(element: &HtmlElement, kind: WidgetKind, settings: &EmbedSettings) -> Result<MountedWidget, JsValue> {
    let client = shared_client(&settings.connection()?);
    let config = settings.config();
    mount_in_shadow(element, client, &settings.presentation(), move || kind.view(config))
}

// The entry's TypeScript vocabulary: what `mount` takes, and the `vmb-*` events' details, added to the DOM's event
// maps so that `element.addEventListener("vmb-backup-started", e => e.detail.taskIds)` is typed. The details are
// those of `HostEvent::detail`; tests/npm/types checks a consumer's use of them with `tsc --strict`.
#[wasm_bindgen(typescript_custom_section)]
const WIDGETS_TYPES: &str = r#"
/** The widgets `mount` takes by name; each is also the custom element `<vmb-NAME>`. */
export type WidgetName = "vm-table" | "backup-button" | "task-progress" | "schedule-form" | "backup-history" | "restore-dialog" | "policy-panel";

/** `"auto"` follows the user's `prefers-color-scheme`. */
export type WidgetTheme = "light" | "dark" | "auto";

/** How the widgets' requests carry the session cookie (`fetch`'s `credentials`); `"include"` by default. */
export type WidgetCredentials = "include" | "same-origin" | "omit";

/** What `mount` reads; every field may be left out. The custom elements read the same as attributes (`api-base`, `project`, …). */
export interface MountOptions {
  /** The backup server's API as the page reaches it, `"/api"` by default (a path behind the portal's proxy, or a URL). */
  apiBase?: string;
  /** The project (tenant) the widget is limited to. */
  project?: string;
  /** The VM the widget is about (backup button, history, restore dialog, policy panel, task progress). */
  vm?: string;
  /** The task or tasks (comma-separated ids) a task progress follows; none follows every task the page tracks. */
  task?: string;
  /** The schedule a schedule form edits; none creates one. */
  schedule?: string;
  /** The backup a restore dialog restores; none lets the user choose. */
  backup?: string;
  /** A BCP 47 language tag (`"pl"`, `"en-GB"`); English when the widgets do not speak it. */
  lang?: string;
  theme?: WidgetTheme;
  /** An IANA time zone (`"Europe/Warsaw"`) for times and schedules; the browser's by default. */
  zone?: string;
  credentials?: WidgetCredentials;
}

/** What went wrong, as the headless entry's `ErrorKind`. */
export type WidgetErrorKind = "unauthorized" | "forbidden" | "notFound" | "validation" | "conflict" | "server" | "network" | "timeout" | "decode" | "unconfirmed" | "usage";

/** `vmb-backup-started`: backup tasks were created (`recovered`: found on the server after their answer was lost). */
export interface BackupStartedDetail { taskIds: string[]; vmIds: string[]; recovered: boolean }
/** `vmb-restore-started`. */
export interface RestoreStartedDetail { taskIds: string[] }
/** `vmb-task-finished`: a followed task ended; `state` is the server's (`"FINISHED"`, `"FAILED"`, `"CANCELLED"`, …). */
export interface TaskFinishedDetail { taskId: string; state: string; message: string | null }
/** `vmb-error`: an error a widget showed its user. */
export interface WidgetErrorDetail { kind: WidgetErrorKind; status: number | null; message: string }
/** `vmb-selection-changed`: the VM table's selection. */
export interface SelectionChangedDetail { vmIds: string[] }
/** `vmb-backup-selected`: a backup chosen in the history (to restore it). */
export interface BackupSelectedDetail { backupId: string; vmId: string | null }
/** `vmb-schedule-saved`. */
export interface ScheduleSavedDetail { scheduleId: string | null }
/** `vmb-schedule-deleted`. */
export interface ScheduleDeletedDetail { scheduleId: string }

/** The events the widgets dispatch on their element; they bubble out of the shadow root to `document`. */
export interface WidgetEventMap {
  "vmb-backup-started": CustomEvent<BackupStartedDetail>;
  "vmb-restore-started": CustomEvent<RestoreStartedDetail>;
  "vmb-task-finished": CustomEvent<TaskFinishedDetail>;
  /** The session ended: log the user in, then call `resumeSession()`. */
  "vmb-session-expired": CustomEvent<Record<string, never>>;
  "vmb-error": CustomEvent<WidgetErrorDetail>;
  "vmb-selection-changed": CustomEvent<SelectionChangedDetail>;
  "vmb-backup-selected": CustomEvent<BackupSelectedDetail>;
  "vmb-schedule-saved": CustomEvent<ScheduleSavedDetail>;
  "vmb-schedule-deleted": CustomEvent<ScheduleDeletedDetail>;
}

declare global {
  interface HTMLElementEventMap extends WidgetEventMap {}
  interface DocumentEventMap extends WidgetEventMap {}
  interface HTMLElementTagNameMap {
    "vmb-vm-table": HTMLElement;
    "vmb-backup-button": HTMLElement;
    "vmb-task-progress": HTMLElement;
    "vmb-schedule-form": HTMLElement;
    "vmb-backup-history": HTMLElement;
    "vmb-restore-dialog": HTMLElement;
    "vmb-policy-panel": HTMLElement;
  }
}
"#;

/// A mounted widget, as `mount` returns it to JavaScript.
#[wasm_bindgen]
pub struct WidgetHandle {
    mounted: Option<MountedWidget>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Removes the widget from its element.
    pub fn unmount(&mut self) {
        self.mounted.take();
    }

    /// Switches between `"light"`, `"dark"` and `"auto"`.
    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&self, #[wasm_bindgen(unchecked_param_type = "WidgetTheme")] theme: &str) {
        if let Some(mounted) = &self.mounted {
            mounted.set_theme(Theme::parse(theme));
        }
    }

    /// Switches the language (`"en"`, `"pl"`).
    #[wasm_bindgen(js_name = setLang)]
    pub fn set_lang(&self, lang: &str) {
        if let Some(mounted) = &self.mounted {
            mounted.set_lang(Lang::parse(lang));
        }
    }
}

/// Mounts a widget (`"vm-table"`, `"backup-button"`, `"task-progress"`, `"schedule-form"`, `"backup-history"`,
/// `"restore-dialog"`, `"policy-panel"`) in `element`. Options: `apiBase` (default `/api`), `project`, `vm`,
/// `task`, `schedule`, `backup`, `lang`, `theme`, `zone`, `credentials`.
#[wasm_bindgen(js_name = mount)]
pub fn mount_widget(
    element: HtmlElement,
    #[wasm_bindgen(unchecked_param_type = "WidgetName")] widget: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "MountOptions")] options: Option<JsValue>,
) -> Result<WidgetHandle, JsValue> {
    let kind = WidgetKind::parse(widget).ok_or_else(|| {
        let names: Vec<&str> = WidgetKind::ALL.iter().map(|k| k.name()).collect();
        usage_error(&format!("unknown widget `{widget}`; the widgets are {}", names.join(", ")))
    })?;
    let settings = EmbedSettings::from_options(&options.unwrap_or(JsValue::UNDEFINED))?;
    Ok(WidgetHandle { mounted: Some(mount_kind(&element, kind, &settings)?) })
}

/// Tells every widget against `apiBase` (default `/api`) that the host's session is back after a login, or that
/// the host logged in another user without the old session expiring: the widgets then ask again what the user
/// may change.
#[wasm_bindgen(js_name = resumeSession)]
pub fn resume_session(#[wasm_bindgen(js_name = apiBase)] api_base: Option<String>, project: Option<String>) {
    for credentials in [Credentials::Include, Credentials::SameOrigin, Credentials::Omit] {
        let connection = Connection {
            api_base: api_base.clone().unwrap_or_else(|| "/api".into()),
            project: project.clone(),
            credentials,
        };
        let client = shared_client(&connection);
        // An expired session's return asks again by itself (`Client::on_session_resumed`); a live one is asked
        // here, since the login may have been another user's.
        if client.session_expired() {
            client.resume();
        } else {
            privileges::ask_again(&client);
        }
    }
}

#[wasm_bindgen(inline_js = r#"
export function define_element(name, observed, connect, disconnect, changed) {
  if (customElements.get(name)) return;
  class VmbackupElement extends HTMLElement {
    static get observedAttributes() { return observed; }
    connectedCallback() { connect(this); }
    disconnectedCallback() { disconnect(this); }
    attributeChangedCallback(attribute, before, after) {
      if (this.isConnected && before !== after) changed(this, attribute);
    }
  }
  customElements.define(name, VmbackupElement);
}
"#)]
extern "C" {
    fn define_element(
        name: &str,
        observed: &js_sys::Array,
        connect: &js_sys::Function,
        disconnect: &js_sys::Function,
        changed: &js_sys::Function,
    );
}

thread_local! {
    /// The widget mounted in each connected custom element, by the element's instance number.
    static ELEMENTS: RefCell<LinearMap<u32, MountedWidget>> = RefCell::new(LinearMap::new());
    static NEXT_INSTANCE: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    static DEFINED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

const INSTANCE_ATTRIBUTE: &str = "data-vmb-instance";

fn instance_of(element: &HtmlElement) -> u32 {
    if let Some(id) = element.get_attribute(INSTANCE_ATTRIBUTE).and_then(|v| v.parse().ok()) {
        return id;
    }
    let id = NEXT_INSTANCE.with(|next| {
        let id = next.get();
        next.set(id + 1);
        id
    });
    let _ = element.set_attribute(INSTANCE_ATTRIBUTE, &id.to_string());
    id
}

fn connect(element: HtmlElement) {
    let Some(kind) = WidgetKind::from_tag(&element.tag_name()) else { return };
    let instance = instance_of(&element);
    // Take any earlier widget out before mounting: no borrow may be held across DOM changes.
    let previous = ELEMENTS.with(|elements| elements.borrow_mut().remove(&instance));
    drop(previous);
    match mount_kind(&element, kind, &EmbedSettings::from_element(&element)) {
        Ok(mounted) => {
            ELEMENTS.with(|elements| elements.borrow_mut().insert(instance, mounted));
        }
        Err(error) => {
            let message = error
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| "the widget could not be mounted".into());
            crate::host_events::HostEvent::Error { kind: "usage".into(), status: None, message }.dispatch_on(&element);
        }
    }
}

/// An observed attribute changed: a new language or theme is applied to the mounted widget, so that it keeps its
/// state (a selection, created tasks, a half-filled form); any other attribute (api-base, vm, …) remounts it.
fn attribute_changed(element: HtmlElement, attribute: String) {
    let instance = instance_of(&element);
    let value = element.get_attribute(&attribute).unwrap_or_default();
    let applied = ELEMENTS.with(|elements| match (elements.borrow().get(&instance), attribute.as_str()) {
        (Some(mounted), "lang") => {
            mounted.set_lang(Lang::parse(&value));
            true
        }
        (Some(mounted), "theme") => {
            mounted.set_theme(Theme::parse(&value));
            true
        }
        _ => false,
    });
    if !applied {
        connect(element);
    }
}

fn disconnect(element: HtmlElement) {
    let instance = instance_of(&element);
    let mounted = ELEMENTS.with(|elements| elements.borrow_mut().remove(&instance));
    drop(mounted);
}

/// Defines the custom elements `<vmb-vm-table>`, `<vmb-backup-button>`, `<vmb-task-progress>`,
/// `<vmb-schedule-form>`, `<vmb-backup-history>`, `<vmb-restore-dialog>` and `<vmb-policy-panel>`. Calling it
/// again does nothing.
#[wasm_bindgen(js_name = defineElements)]
pub fn define_elements() {
    if DEFINED.with(|defined| defined.replace(true)) {
        return;
    }
    let observed: js_sys::Array = OBSERVED_ATTRIBUTES.iter().map(|a| JsValue::from_str(a)).collect();
    for kind in WidgetKind::ALL {
        // The callbacks live as long as the page: the element class holds them.
        let connect_callback = Closure::<dyn FnMut(HtmlElement)>::new(connect);
        let disconnect_callback = Closure::<dyn FnMut(HtmlElement)>::new(disconnect);
        let changed_callback = Closure::<dyn FnMut(HtmlElement, String)>::new(attribute_changed);
        define_element(
            &kind.tag(),
            &observed,
            connect_callback.as_ref().unchecked_ref(),
            disconnect_callback.as_ref().unchecked_ref(),
            changed_callback.as_ref().unchecked_ref(),
        );
        connect_callback.forget();
        disconnect_callback.forget();
        changed_callback.forget();
    }
}
