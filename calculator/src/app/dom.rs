//! The few browser calls the app makes: read the page's data block and the URL fragment, write
//! the fragment back with `history.replaceState`, listen for `hashchange`. The app makes no
//! request at all (the rules are in the page): what the reader types never leaves the page.
//!
//! wasm32 only; the server render links `dom_native.rs` instead, whose functions are never
//! called there (they run in `update` and `rendered`, which a server render does not reach).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

use super::{Control, Focus, Held};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The text of the element with this id (the JSON data block).
pub fn element_text(id: &str) -> Option<String> {
    window()?.document()?.get_element_by_id(id)?.text_content()
}

/// The element the app renders into: it holds the build's render of the app until then.
pub fn mount_point(id: &str) -> Option<web_sys::Element> {
    window()?.document()?.get_element_by_id(id)
}

/// What the reader did with the build's render under `root` before the app started: the
/// controls whose state differs from their markup's (the markup is the app's own first render,
/// so these are exactly the reader's changes), in document order, and the focused control with
/// its caret.
pub fn form_state(root: &web_sys::Element) -> (Vec<Control>, Option<Focus>) {
    let mut controls = Vec::new();
    let mut focus = None;
    let Ok(list) = root.query_selector_all("input,select") else {
        return (controls, focus);
    };
    let active = window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let mut names: Vec<String> = Vec::new();
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let key = match el.id() {
            id if !id.is_empty() => id,
            _ => {
                let name = el.get_attribute("name").unwrap_or_default();
                let n = names.iter().filter(|x| **x == name).count();
                names.push(name.clone());
                format!("{name}#{n}")
            }
        };
        let held = if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
            match input.type_().as_str() {
                "radio" | "checkbox" => (input.checked() != input.default_checked())
                    .then(|| Held::Checked(input.checked())),
                _ => (input.value() != input.default_value()).then(|| Held::Value(input.value())),
            }
        } else if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
            // The option the markup selects, or else the first, as the browser shows it.
            let first = |q: &str| select.query_selector(q).ok().flatten();
            let markup = first("option[selected]")
                .or_else(|| first("option"))
                .and_then(|o| o.get_attribute("value"))
                .unwrap_or_default();
            let value = select.value();
            (value != markup).then_some(Held::Value(value))
        } else {
            None
        };
        if active.as_ref() == Some(&el) {
            let caret = el.dyn_ref::<HtmlInputElement>().and_then(|i| {
                // Null for a control without a caret (a checkbox, a date).
                Some((i.selection_start().ok()??, i.selection_end().ok()??))
            });
            focus = Some(Focus {
                key: key.clone(),
                caret,
            });
        }
        if let Some(held) = held {
            controls.push(Control { key, held });
        }
    }
    (controls, focus)
}

/// Focuses again the control the reader was in when the app took over (found by its key in
/// the app's render under the element `mount`), with its caret where it was.
pub fn refocus(mount: &str, f: &Focus) {
    let Some(doc) = window().and_then(|w| w.document()) else {
        return;
    };
    let el = match f.key.rsplit_once('#') {
        Some((name, n)) => doc
            .query_selector_all(&format!("#{mount} [name=\"{name}\"]"))
            .ok()
            .zip(n.parse::<u32>().ok())
            .and_then(|(list, n)| list.item(n)),
        None => doc.get_element_by_id(&f.key).map(Into::into),
    };
    let Some(el) = el.and_then(|e| e.dyn_into::<HtmlElement>().ok()) else {
        return;
    };
    let _ = el.focus();
    if let (Some((start, end)), Some(input)) = (f.caret, el.dyn_ref::<HtmlInputElement>()) {
        let _ = input.set_selection_range(start, end);
    }
}

/// Replaces the text of the mount point when the page's data cannot be read (the message is
/// the element's `data-failed` attribute, in the page's language).
pub fn show_failure(id: &str) {
    if let Some(el) = mount_point(id) {
        if let Some(msg) = el.get_attribute("data-failed") {
            el.set_text_content(Some(&msg));
        }
    }
}

/// The URL fragment without its `#` (empty when there is none).
pub fn fragment() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// The page's address with the fragment: the link that reproduces the estimate.
pub fn href() -> String {
    window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Replaces the URL fragment without adding a history entry or firing `hashchange`.
pub fn set_fragment(fragment: &str) {
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// Calls `f` on every `hashchange` (a worked-example link, or a link pasted into this tab).
pub fn on_hashchange(f: impl Fn() + 'static) {
    if let Some(w) = window() {
        let cb = Closure::<dyn Fn()>::new(f);
        let _ = w.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        cb.forget();
    }
}

/// Calls `f` in a task of its own, after the current one (`setTimeout(f, 0)`): the browser can
/// paint and answer input between the steps of starting the app (reading the data block, the
/// takeover, the render once the fragment is read) rather than running them as one long task.
pub fn later(f: impl FnOnce() + 'static) {
    if let Some(w) = window() {
        let cb = Closure::once_into_js(f);
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 0);
    }
}

/// Moves keyboard focus to an element (a heading with `tabindex="-1"`) and scrolls it into view.
pub fn focus(id: &str) {
    let el = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
        el.scroll_into_view();
    }
}

/// Opens the browser's print dialog (the print view is the page's `@media print` style).
pub fn print() {
    if let Some(w) = window() {
        let _ = w.print();
    }
}

/// Today's date on the reader's clock, `2026-11-30`, for the printed estimate's heading.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}
