//! Harness of the widget tests in headless Chromium against the simulator (started by `cargo xtask test`
//! with 10,000 VMs and hostile names, its root URL compiled in as `VMBACKUP_SIM_URL`).
#![allow(clippy::unwrap_used, clippy::option_env_unwrap, dead_code)]

use std::rc::Rc;
use std::time::Duration;

use vmbackup_client::fetch::{Credentials, FetchTransport, JsRuntime};
use vmbackup_client::{Client, ClientOptions, Runtime, Session};
use vmbackup_core::domain::Vm;
use vmbackup_core::http::HttpRequest;
use vmbackup_core::storware::policies::GetPolicy;
use vmbackup_core::storware::session::Login;
use vmbackup_core::storware::vms::ListVms;
use vmbackup_ui::i18n::Lang;
use vmbackup_ui::mount::{mount_in_shadow, MountedWidget, Presentation, Theme};
use vmbackup_ui::widgets::backup_button::usable_rules;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRoot};

/// The simulator's root (`http://127.0.0.1:PORT`).
pub fn sim_root() -> &'static str {
    option_env!("VMBACKUP_SIM_URL")
        .expect("VMBACKUP_SIM_URL was not set when this suite was compiled: run it through `cargo xtask test`")
}

/// A client in the host page's cookie session, after the host's own login as the administrator.
pub async fn host_session_client() -> Client {
    host_session_client_as("admin", "vPr0tect").await
}

/// A client in the host page's cookie session, after the host's own login as `user`; the page's cookie is then
/// that user's session for every widget.
pub async fn host_session_client_as(user: &str, password: &str) -> Client {
    let options = ClientOptions::new(format!("{}/api", sim_root()), Session::HostCookie);
    let client = Client::new(options, Rc::new(FetchTransport::new(Credentials::Include)), Rc::new(JsRuntime));
    client.call(&Login::new(user, password)).await.unwrap();
    client
}

/// A host element appended to the page.
pub fn host_element() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

/// Mounts a widget view in a new host element (English, light).
pub fn mount<V: leptos::prelude::IntoView + 'static>(
    client: Client,
    lang: Lang,
    view: impl FnOnce() -> V + 'static,
) -> (HtmlElement, MountedWidget) {
    let host = host_element();
    let presentation = Presentation { lang, theme: Theme::Light, zone: Some("Europe/Warsaw".into()) };
    let mounted = mount_in_shadow(&host, client, &presentation, view).unwrap();
    (host, mounted)
}

/// The host's shadow root.
pub fn shadow(host: &HtmlElement) -> ShadowRoot {
    host.shadow_root().unwrap()
}

/// Every element matching `selector` in the shadow root.
pub fn all(host: &HtmlElement, selector: &str) -> Vec<Element> {
    let list = shadow(host).query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect()
}

/// The first element matching `selector`, if any.
pub fn first(host: &HtmlElement, selector: &str) -> Option<Element> {
    shadow(host).query_selector(selector).unwrap()
}

/// Waits up to `seconds` for `condition`, panicking with `what` when it never holds.
pub async fn wait_for(what: &str, seconds: u32, mut condition: impl FnMut() -> bool) {
    for _ in 0..seconds * 20 {
        if condition() {
            return;
        }
        JsRuntime.sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out after {seconds} s waiting for {what}");
}

/// Lets effects and fetches settle a little.
pub async fn pause(ms: u64) {
    JsRuntime.sleep(Duration::from_millis(ms)).await;
}

/// A control call to the simulator.
pub async fn control(request: HttpRequest) {
    let transport = FetchTransport::new(Credentials::Omit);
    let response =
        vmbackup_client::Transport::send(&transport, request.url(sim_root()), &request, Duration::from_secs(10))
            .await
            .unwrap();
    assert!(response.is_success(), "control {} answered {}", request.path, response.status);
}

/// Changes the simulator's faults.
pub async fn set_faults(faults: serde_json::Value) {
    control(HttpRequest::put("/__sim/faults").json(&faults.into())).await;
}

/// A simulator control document, e.g. `GET /__sim/faults`.
pub async fn sim_get(path: &str) -> serde_json::Value {
    let request = HttpRequest::get(path);
    let transport = FetchTransport::new(Credentials::Omit);
    let response =
        vmbackup_client::Transport::send(&transport, request.url(sim_root()), &request, Duration::from_secs(10))
            .await
            .unwrap();
    serde_json::from_slice(&response.body).unwrap()
}

/// How many `"METHOD /api/path"` requests the simulator has answered so far (its request log): counted before
/// and after an action, the difference is what the action sent.
pub async fn requests_answered(method_and_path: &str) -> u64 {
    sim_get("/__sim/requests").await["byPath"][method_and_path].as_u64().unwrap_or(0)
}

/// Dispatches a click on an element.
pub fn click(element: &Element) {
    element.dyn_ref::<HtmlElement>().unwrap().click();
}

/// Types `value` into an `<input>` as a user would: its value, then the `input` event the widgets listen to.
pub fn type_text(input: &Element, value: &str) {
    let input: &web_sys::HtmlInputElement = input.dyn_ref().expect("an <input> element");
    input.set_value(value);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

/// Types `value` into the input `selector` finds in the widget.
pub fn type_into(host: &HtmlElement, selector: &str, value: &str) {
    type_text(&first(host, selector).unwrap_or_else(|| panic!("no {selector}")), value);
}

/// Scrolls `scroller` to `top` pixels and sends the `scroll` event the table listens to (setting `scrollTop`
/// from a script sends none before the next frame).
pub fn scroll_to(scroller: &HtmlElement, top: i32) {
    scroller.set_scroll_top(top);
    scroller.dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
}

/// Text of an element.
pub fn text(element: &Element) -> String {
    element.text_content().unwrap_or_default()
}

/// Collects the `detail` of each `event` the host hears.
pub fn listen(host: &HtmlElement, event: &str) -> std::rc::Rc<std::cell::RefCell<Vec<serde_json::Value>>> {
    let heard: std::rc::Rc<std::cell::RefCell<Vec<serde_json::Value>>> = std::rc::Rc::default();
    let sink = heard.clone();
    let listener =
        wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
            let json: String = js_sys::JSON::stringify(&event.detail()).unwrap().into();
            sink.borrow_mut().push(serde_json::from_str(&json).unwrap());
        });
    host.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref()).unwrap();
    listener.forget();
    heard
}

/// Where each space-separated word of `element`'s first text node is drawn: `(left, right)` in pixels, in the
/// text's logical order. On screen the words of a left-to-right text go from left to right, whatever the page's
/// direction, only when the text is isolated from it.
pub fn word_boxes(element: &Element) -> Vec<(f64, f64)> {
    let node = element.first_child().expect("the element has a text node");
    drawn_words(&node).iter().map(|(_, rect)| (rect.left(), rect.right())).collect()
}

/// Asserts that the widget's table is no wider than its scroll box (`place` names the case in the message) and
/// returns the scroll box.
pub fn assert_table_fits_sideways(host: &HtmlElement, place: &str) -> Element {
    let scroll = first(host, ".vmb-table-scroll").unwrap();
    let widths: Vec<String> = all(host, "thead th")
        .iter()
        .map(|th| format!("{} {:.0}", text(th), th.get_bounding_client_rect().width()))
        .collect();
    assert!(
        scroll.scroll_width() <= scroll.client_width(),
        "{place}: the table is {} px wide in {} px, columns {widths:?}",
        scroll.scroll_width(),
        scroll.client_width()
    );
    scroll
}

/// Asserts that `element`'s text is isolated from the page's direction (`<bdi>`, or `unicode-bidi: plaintext`
/// in the stylesheet) and that its words are drawn in reading order, left to right.
pub fn assert_isolated_left_to_right(element: &Element) {
    let style = web_sys::window().unwrap().get_computed_style(element).unwrap().unwrap();
    let bidi = style.get_property_value("unicode-bidi").unwrap();
    assert!(["isolate", "plaintext"].contains(&bidi.as_str()), "{} is not isolated: {bidi}", element.outer_html());
    let boxes = word_boxes(element);
    assert!(
        boxes.windows(2).all(|pair| pair[0].1 <= pair[1].0 + 0.5),
        "the words of \"{}\" are drawn out of order: {boxes:?}",
        text(element)
    );
}

/// The text nodes under `node` that a sighted user reads: not inside `<select>` (its options are drawn by the
/// browser, out of reach of a Range), `<style>` or a screen-reader-only element.
fn drawn_text_nodes(node: &web_sys::Node, found: &mut Vec<web_sys::Node>) {
    if let Some(element) = node.dyn_ref::<Element>() {
        let tag = element.tag_name();
        if ["SELECT", "STYLE", "SCRIPT", "TEMPLATE"].contains(&tag.as_str())
            || element.class_list().contains("vmb-sr-only")
        {
            return;
        }
    }
    let children = node.child_nodes();
    for index in 0..children.length() {
        let Some(child) = children.item(index) else { continue };
        if child.node_type() == web_sys::Node::TEXT_NODE {
            found.push(child);
        } else {
            drawn_text_nodes(&child, found);
        }
    }
}

/// Where each whitespace-separated word of a text node is drawn: `(word, rect)`, in the text's logical order.
fn drawn_words(node: &web_sys::Node) -> Vec<(String, web_sys::DomRect)> {
    let content = node.text_content().unwrap_or_default();
    let document = web_sys::window().unwrap().document().unwrap();
    let mut words = Vec::new();
    let mut offset = 0_u32;
    for word in content.split(|c: char| c.is_whitespace()) {
        let length = word.encode_utf16().count() as u32;
        if length > 0 {
            let range = document.create_range().unwrap();
            range.set_start(node, offset).unwrap();
            range.set_end(node, offset + length).unwrap();
            words.push((word.to_string(), range.get_bounding_client_rect()));
        }
        offset += length + 1;
    }
    words
}

/// Checks every drawn sentence of the widget in `host` on a right-to-left page (the widgets' catalog languages
/// read left to right): within each text node, each word is drawn to the right of the word before it on the
/// same line, so a sentence's full stop or a title's colon stays at its end (".Żadne zadania…" and
/// "ci-01 :Kopia zapasowa" are what an unisolated sentence gives); every such text still sits in a
/// right-to-left box (the layout mirrors), and a paragraph's text is aligned to its right edge. Returns how many
/// text nodes with letters were measured.
pub fn assert_sentences_read_in_order(host: &HtmlElement) -> usize {
    let window = web_sys::window().unwrap();
    let mut nodes = Vec::new();
    drawn_text_nodes(&shadow(host), &mut nodes);
    let mut faults = Vec::new();
    let mut measured = 0;
    for node in nodes {
        let content = node.text_content().unwrap_or_default();
        if !content.chars().any(char::is_alphabetic) {
            continue;
        }
        let words = drawn_words(&node);
        if words.iter().all(|(_, rect)| rect.width() == 0.0) {
            continue; // not rendered (a closed dialog)
        }
        measured += 1;
        for pair in words.windows(2) {
            let ((before, a), (after, b)) = (&pair[0], &pair[1]);
            let same_line = (a.top() - b.top()).abs() < 2.0;
            if same_line && b.left() < a.right() - 0.5 {
                faults.push(format!(
                    "\"{content}\": \"{after}\" ({:.0}–{:.0}) is drawn before \"{before}\" ({:.0}–{:.0})",
                    b.left(),
                    b.right(),
                    a.left(),
                    a.right()
                ));
            }
        }
        let parent = node.parent_element().unwrap();
        let style = window.get_computed_style(&parent).unwrap().unwrap();
        // A value with a direction of its own (`dir`, or a `<bdi>`: a date, a name) may be left to right; everything
        // else mirrors.
        let own_direction = parent.closest("[dir], bdi").unwrap().is_some();
        if !own_direction && style.get_property_value("direction").unwrap() != "rtl" {
            faults.push(format!("\"{content}\" is in a left-to-right box: the layout no longer mirrors"));
        }
        // A paragraph (one text, a block of its own) ends at its box's right edge, as the page's text does.
        let display = style.get_property_value("display").unwrap();
        if display == "block" && parent.child_nodes().length() == 1 {
            let px = |property: &str| -> f64 {
                style.get_property_value(property).unwrap().trim_end_matches("px").parse().unwrap_or(0.0)
            };
            let text_right = words.iter().map(|(_, rect)| rect.right()).fold(f64::MIN, f64::max);
            let box_right = parent.get_bounding_client_rect().right() - px("padding-right") - px("border-right-width");
            if box_right - text_right > 1.5 {
                faults
                    .push(format!("\"{content}\" ends {:.0} px left of its box's right edge", box_right - text_right));
            }
        }
    }
    assert!(faults.is_empty(), "on a right-to-left page:\n{}", faults.join("\n"));
    measured
}

/// Counts the panics of the page from now on: one in a widget's task or event handler does not fail a test by
/// itself (it is not the test's future).
pub fn count_panics() -> &'static std::sync::atomic::AtomicUsize {
    static PANICS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    static HOOKED: std::sync::Once = std::sync::Once::new();
    HOOKED.call_once(|| {
        let reported = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            reported(info);
        }));
    });
    &PANICS
}

/// The VMs whose name contains `name` (the first 100).
pub async fn vms_named(client: &Client, name: &str) -> Vec<Vm> {
    client.call(&ListVms::page(0, 100).name_like(name)).await.unwrap().items
}

/// The `skip`-th present VM named `name…` whose policy has a usable rule. Each test names its own VMs so that
/// tests (and suites) do not share them.
pub async fn protected_vm(client: &Client, name: &str, skip: usize) -> Vm {
    let mut found = Vec::new();
    for vm in vms_named(client, name).await {
        let Some(policy) = vm.protection.policy.clone().filter(|_| vm.protection.present) else { continue };
        let policy = client.call(&GetPolicy::new(policy.id)).await.unwrap();
        if !usable_rules(&policy).is_empty() {
            found.push(vm);
        }
        if found.len() > skip {
            break;
        }
    }
    found.into_iter().nth(skip).unwrap_or_else(|| panic!("no protected VM {name}… #{skip} in the simulator"))
}
