//! The calculator across versions, with the fixture library (generator/tests/fixtures/library/)
//! laid over a copy of the real content: 26号 re-issued from 2026-01-01 with the trademark cap
//! raised from 10万 to 20万, and consolidated from 2026-07-01 (patent cap 15万).
//!
//! The estimate under the version in force on a date, from the command line (`--date`,
//! `--version`, `--compare`), each version's rules as its own file with an index, and the
//! calculator page embedding only the version in force on the build date.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_dir, options, repo, TempDir};
use generator::model::Date;

/// The real content with the fixture documents laid over it, in a project folder (content and
/// the theme) for the binary.
fn fixture_project(tmp: &TempDir) -> PathBuf {
    let root = tmp.0.join("project");
    let content = root.join("content");
    copy_dir(&repo().join("content"), &content);
    copy_dir(
        &repo().join("generator/tests/fixtures/library/documents"),
        &content.join("documents"),
    );
    copy_dir(&repo().join("themes"), &root.join("themes"));
    root
}

/// A trademark registered abroad for 300,000 yuan, in a city district.
fn trademark_scenario(dir: &Path) -> PathBuf {
    let f = dir.join("trademark.yaml");
    std::fs::write(
        &f,
        "applicant: {kind: enterprise, place: jiaojiang}\n\
         claims:\n  - subsidy: trademark\n    instances: [{fee: \"300000\"}]\n",
    )
    .unwrap();
    f
}

/// `generator estimate` in the project, as JSON.
fn estimate_json(root: &Path, scenario: &Path, args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_generator"))
        .env("GENERATOR_ROOT", root)
        // A plain `estimate` would read the clock: these runs name their day.
        .env("SOURCE_DATE_EPOCH", "1764460800")
        .arg("estimate")
        .arg(scenario)
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn estimate_text(root: &Path, scenario: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_generator"))
        .env("GENERATOR_ROOT", root)
        .env("SOURCE_DATE_EPOCH", "1764460800")
        .arg("estimate")
        .arg(scenario)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The amount of the estimate's first line, as JSON writes money.
fn first_amount(e: &serde_json::Value) -> String {
    e["lines"][0]["amount"]
        .as_str()
        .unwrap_or("none")
        .to_string()
}

#[test]
fn a_trademark_fee_is_estimated_under_the_version_in_force_on_the_date() {
    let tmp = TempDir::new("versions-cli");
    let root = fixture_project(&tmp);
    let s = trademark_scenario(&tmp.0);
    // 2025: 50% × 300,000 = 150,000, capped at 10万.
    let e = estimate_json(&root, &s, &["--date", "2025-06-01"]);
    assert_eq!(e["policy_version"]["version"], "2025-01-01");
    assert_eq!(e["policy_version"]["standing"], "in-force");
    assert_eq!(first_amount(&e), "100000");
    // 2026: the cap is 20万, so the 50% share stands.
    let e = estimate_json(&root, &s, &["--date", "2026-06-01"]);
    assert_eq!(e["policy_version"]["version"], "2026-01-01");
    assert_eq!(first_amount(&e), "150000");
    // The same version chosen by name.
    let e = estimate_json(&root, &s, &["--version", "2026-01-01"]);
    assert_eq!(first_amount(&e), "150000");
    let e = estimate_json(&root, &s, &["--version", "2025-01-01"]);
    assert_eq!(first_amount(&e), "100000");
}

#[test]
fn the_comparison_with_the_previous_version_shows_each_line_and_the_difference() {
    let tmp = TempDir::new("versions-compare");
    let root = fixture_project(&tmp);
    let s = trademark_scenario(&tmp.0);
    let e = estimate_json(&root, &s, &["--date", "2026-06-01", "--compare"]);
    let c = &e["comparison"];
    assert_eq!(c["old_version"], "2025-01-01");
    assert_eq!(c["new_version"], "2026-01-01");
    assert_eq!(c["lines"][0]["subsidy"], "trademark");
    assert_eq!(c["lines"][0]["old"], "100000");
    assert_eq!(c["lines"][0]["new"], "150000");
    let text = estimate_text(
        &root,
        &s,
        &["--date", "2026-06-01", "--compare", "--lang", "en"],
    );
    assert!(
        text.contains(
            "Estimated under the version in force from 2026-01-01: it is in force on 2026-06-01."
        ),
        "{text}"
    );
    assert!(
        text.contains("RMB 100,000 → RMB 150,000 (+RMB 50,000)"),
        "{text}"
    );
    // The first version has nothing before it to compare with.
    let first = estimate_json(&root, &s, &["--date", "2025-06-01", "--compare"]);
    assert!(first["comparison"].is_null(), "{}", first["comparison"]);
}

#[test]
fn after_the_last_version_expires_the_estimate_still_works_and_says_so() {
    let tmp = TempDir::new("versions-expired");
    let root = fixture_project(&tmp);
    let s = trademark_scenario(&tmp.0);
    let e = estimate_json(&root, &s, &["--date", "2028-01-02"]);
    assert_eq!(e["policy_version"]["version"], "2026-07-01");
    assert_eq!(e["policy_version"]["standing"], "expired");
    assert_eq!(first_amount(&e), "150000");
    let text = estimate_text(&root, &s, &["--date", "2028-01-02", "--lang", "en"]);
    assert!(text.contains("This policy expired on 2027-12-31"), "{text}");
    let zh = estimate_text(&root, &s, &["--date", "2028-01-02", "--lang", "zh"]);
    assert!(zh.contains("本政策已于2027-12-31到期失效"), "{zh}");
    // A version that does not exist is refused, naming the versions there are.
    let out = Command::new(env!("CARGO_BIN_EXE_generator"))
        .env("GENERATOR_ROOT", &root)
        .arg("estimate")
        .arg(&s)
        .args(["--version", "2026-02-01"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2025-01-01, 2026-01-01, 2026-07-01"), "{err}");
}

#[test]
fn every_version_has_its_rules_file_and_the_page_embeds_only_the_current_one() {
    let tmp = TempDir::new("versions-site");
    let root = fixture_project(&tmp);
    let dist = tmp.0.join("dist");
    let mut o = options(&root.join("content"), &dist);
    o.today = Date::parse("2026-03-01").unwrap();
    // The worked examples name their version (2025-01-01), so they are checked under it on a
    // build after the cap was raised.
    generator::build(&o).expect("the fixture library builds, with its worked examples");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dist.join("rules/tzzb-2024-26/index.json")).unwrap())
            .unwrap();
    assert_eq!(
        index["versions"],
        serde_json::json!(["2025-01-01", "2026-01-01", "2026-07-01"])
    );
    assert_eq!(index["expires"], "2027-12-31");
    let cap = |date: &str| {
        let r: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dist.join(format!("rules/tzzb-2024-26/{date}.json"))).unwrap(),
        )
        .unwrap();
        let t = r["subsidies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["subsidy"]["id"] == "trademark")
            .unwrap()
            .clone();
        t["subsidy"]["amount"]["caps"][0]["amount"].clone()
    };
    assert_eq!(cap("2025-01-01"), "100000");
    assert_eq!(cap("2026-01-01"), "200000");
    let page = std::fs::read_to_string(dist.join("en/calculator/index.html")).unwrap();
    let data = &page[page.find("id=\"calculator-data\">").unwrap()..];
    let data = &data[data.find('>').unwrap() + 1..data.find("</script>").unwrap()];
    let data: serde_json::Value = serde_json::from_str(data).unwrap();
    // Only the version in force on the build date is in the page; the others are fetched.
    assert_eq!(data["versions"]["embedded"], "2026-01-01");
    assert_eq!(
        data["versions"]["list"][0]["url"],
        "../../rules/tzzb-2024-26/2025-01-01.json"
    );
    assert_eq!(page.matches("\"subsidies\"").count(), 1);
    // The worked examples name their version, and their links record it.
    assert!(page.contains("the version in force from 2025-01-01"));
    assert!(page.contains("href=\"#v=2025-01-01&amp;a=enterprise"));
}
