//! The calculator's tests read a checked-in rule set (`calculator/tests/fixtures/rules.json`) so
//! that they do not depend on the generator. This test keeps it honest: it must be exactly the
//! rule set the generator builds from `content/`, apart from its version string.
//!
//! After a content change, regenerate it with
//! `UPDATE_FIXTURE=1 cargo test -p generator --test fixture`.

mod common;

use common::repo;

#[test]
fn the_calculators_fixture_is_the_rule_set_built_from_content() {
    let mut rules =
        generator::commands::ruleset(&repo().join("content")).expect("content is valid");
    let path = repo().join("calculator/tests/fixtures/rules.json");
    let fixture = std::fs::read_to_string(&path).expect("fixture exists");
    let old: serde_json::Value = serde_json::from_str(&fixture).expect("fixture parses");
    // The version is a hash of the content: the fixture keeps its own, stable one.
    rules.version = old["version"]
        .as_str()
        .expect("fixture has a version")
        .to_string();
    // One-space indentation, as the fixture was first written.
    let mut built = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut ser = serde_json::Serializer::with_formatter(&mut built, fmt);
    serde::Serialize::serialize(&rules, &mut ser).expect("serialises");
    let built = String::from_utf8(built).expect("JSON is UTF-8");
    if std::env::var_os("UPDATE_FIXTURE").is_some() {
        std::fs::write(&path, format!("{built}\n")).expect("fixture written");
        return;
    }
    let new: serde_json::Value = serde_json::from_str(&built).unwrap();
    assert!(
        old == new,
        "calculator/tests/fixtures/rules.json is not the rule set built from content/: run UPDATE_FIXTURE=1 cargo test -p generator --test fixture"
    );
}
