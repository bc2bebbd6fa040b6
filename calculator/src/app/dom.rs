//! The few browser calls the app makes: read the page's data block and the URL fragment, write
//! the fragment back with `history.replaceState`, fetch `rules.json`, listen for `hashchange`.
//! There is no other request: what the reader types never leaves the page.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The text of the element with this id (the JSON data block).
pub fn element_text(id: &str) -> Option<String> {
    window()?.document()?.get_element_by_id(id)?.text_content()
}

/// The element the app mounts into, emptied of its "loading" placeholder.
pub fn mount_point(id: &str) -> Option<web_sys::Element> {
    let el = window()?.document()?.get_element_by_id(id)?;
    el.set_inner_html("");
    Some(el)
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

/// Fetches a same-site URL as text.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let w = window().ok_or("no window")?;
    let resp = JsFuture::from(w.fetch_with_str(url))
        .await
        .map_err(|e| describe(&e))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|e| describe(&e))?;
    if !resp.ok() {
        return Err(format!("{url}: HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(|e| describe(&e))?)
        .await
        .map_err(|e| describe(&e))?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}

fn describe(v: &JsValue) -> String {
    v.as_string().unwrap_or_else(|| "request failed".into())
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
