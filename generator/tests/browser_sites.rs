//! Builds sites with the WASM calculator off, for the browser tests and for looking at pages:
//! run on request only (`cargo test -p generator --test browser_sites -- --ignored`), writing
//! the shipped content's site to `$SITE_OUT` and the fixture library's to `$FIXTURE_OUT`.

mod common;

use std::path::PathBuf;

use common::{copy_dir, options, repo, TempDir};

#[test]
#[ignore = "writes sites outside the test's own folder; run on request"]
fn build_sites_for_the_browser() {
    if let Ok(out) = std::env::var("SITE_OUT") {
        let content = repo().join("content");
        generator::build(&options(&content, &PathBuf::from(out))).expect("the site builds");
    }
    if let Ok(out) = std::env::var("FIXTURE_OUT") {
        let tmp = TempDir::new("browser-fixture");
        let content = tmp.0.join("content");
        copy_dir(&repo().join("content"), &content);
        copy_dir(
            &repo().join("generator/tests/fixtures/library/documents"),
            &content.join("documents"),
        );
        // The worked examples state the 2025 amounts (see tests/library_fixture.rs).
        std::fs::remove_file(content.join("examples.yaml")).unwrap();
        generator::build(&options(&content, &PathBuf::from(out))).expect("the fixture builds");
    }
}
