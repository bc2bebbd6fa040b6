//! Builds sites with the WASM calculator off, for the browser tests and for looking at pages:
//! run on request only (`cargo test -p generator --test browser_sites -- --ignored`), writing
//! the shipped content's site to `$SITE_OUT` and the fixture library's to `$FIXTURE_OUT`.

mod common;

use std::path::PathBuf;

use common::{options, repo, TempDir};

#[test]
#[ignore = "writes sites outside the test's own folder; run on request"]
fn build_sites_for_the_browser() {
    if let Ok(out) = std::env::var("SITE_OUT") {
        let content = repo().join("content");
        generator::build(&options(&content, &PathBuf::from(out))).expect("the site builds");
    }
    if let Ok(out) = std::env::var("FIXTURE_OUT") {
        let tmp = TempDir::new("browser-fixture");
        let content = common::fixture_content(&tmp.0);
        generator::build(&options(&content, &PathBuf::from(out))).expect("the fixture builds");
    }
}
