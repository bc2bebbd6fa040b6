//! The browser calls of `dom.rs`, for the native build that renders the app's first view into
//! the page at build time. None of them is reached there: they are called from `update` and
//! `rendered`, and a server render runs only `create` and `view`. They answer as a page with
//! no fragment would.

/// No page: no fragment.
pub fn fragment() -> String {
    String::new()
}

/// No page: no address.
pub fn href() -> String {
    String::new()
}

/// No page: nothing to write.
pub fn set_fragment(_fragment: &str) {}

/// No page: no event.
pub fn on_hashchange(_f: impl Fn() + 'static) {}

/// No page: no task to run.
pub fn later(_f: impl FnOnce() + 'static) {}

/// No page: nothing to focus.
pub fn focus(_id: &str) {}

/// No page: nothing to focus.
pub fn refocus(_mount: &str, _f: &super::Focus) {}

/// No page: nothing to print.
pub fn print() {}

/// No reader: no date.
pub fn today() -> String {
    String::new()
}
