//! The calculator across versions, with the fixture library (generator/tests/fixtures/library/)
//! laid over a copy of the real content: 26号 re-issued from 2026-01-01 with the trademark cap
//! raised from 10万 to 20万, and consolidated from 2026-07-01 (patent cap 15万).
//!
//! The estimate under the version in force on a date, from the command line (`--date`,
//! `--version`, `--compare`), each version's rules as its own file with an index, named by
//! content hash and found through the hashed manifest the calculator page names, and the
//! calculator page embedding only the version in force on the build date.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{copy_dir, options, repo, TempDir};
use generator::fingerprint::looks_hashed;
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
    // In Chinese the difference stands in full-width brackets, as in the app.
    let zh = estimate_text(
        &root,
        &s,
        &["--date", "2026-06-01", "--compare", "--lang", "zh"],
    );
    assert!(zh.contains("10万元 → 15万元（+5万元）"), "{zh}");
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

/// The calculator page's data block (`/<lang>/calculator/`), parsed.
fn page_data(dist: &Path, lang: &str) -> serde_json::Value {
    let page = std::fs::read_to_string(dist.join(format!("{lang}/calculator/index.html"))).unwrap();
    let data = &page[page.find("id=\"calculator-data\">").unwrap()..];
    let data = &data[data.find('>').unwrap() + 1..data.find("</script>").unwrap()];
    serde_json::from_str(data).unwrap()
}

/// The rules folder as the calculator finds it: the manifest the page names (its path from
/// the site's root) and its members, logical name → hashed path from the site's root.
fn rules_manifest(dist: &Path) -> (String, BTreeMap<String, String>) {
    let url = page_data(dist, "en")["versions"]["manifest"]
        .as_str()
        .expect("the page names the rules' manifest")
        .to_string();
    let path = url
        .strip_prefix("../../")
        .expect("a path from the page")
        .to_string();
    let m: BTreeMap<String, String> =
        serde_json::from_slice(&std::fs::read(dist.join(&path)).unwrap()).unwrap();
    let m = m
        .into_iter()
        .map(|(k, v)| (k, format!("rules/{v}")))
        .collect();
    (path, m)
}

/// Builds the fixture project's content into `dist`, dated 2026-03-01.
fn build_fixture(root: &Path, dist: &Path) {
    let mut o = options(&root.join("content"), dist);
    o.today = Date::parse("2026-03-01").unwrap();
    // The worked examples name their version (2025-01-01), so they are checked under it on a
    // build after the cap was raised.
    generator::build(&o).expect("the fixture library builds, with its worked examples");
}

#[test]
fn every_version_has_its_rules_file_and_the_page_embeds_only_the_current_one() {
    let tmp = TempDir::new("versions-site");
    let root = fixture_project(&tmp);
    let dist = tmp.0.join("dist");
    build_fixture(&root, &dist);
    let (manifest_path, manifest) = rules_manifest(&dist);
    // Every file of the rules folder is named by its hash and listed, the manifest too.
    assert!(
        looks_hashed(manifest_path.rsplit('/').next().unwrap()),
        "{manifest_path}"
    );
    let listed: Vec<&str> = manifest.keys().map(String::as_str).collect();
    assert_eq!(
        listed,
        [
            "tzzb-2024-26/2025-01-01.json",
            "tzzb-2024-26/2026-01-01.json",
            "tzzb-2024-26/2026-07-01.json",
            "tzzb-2024-26/index.json"
        ]
    );
    for hashed in manifest.values() {
        assert!(looks_hashed(hashed.rsplit('/').next().unwrap()), "{hashed}");
        assert!(dist.join(hashed).is_file(), "{hashed}");
    }
    for logical in ["rules/tzzb-2024-26/2025-01-01.json", "rules/manifest.json"] {
        assert!(
            !dist.join(logical).exists(),
            "{logical} keeps no fixed name"
        );
    }
    let index: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dist.join(&manifest["tzzb-2024-26/index.json"])).unwrap(),
    )
    .unwrap();
    assert_eq!(
        index["versions"],
        serde_json::json!(["2025-01-01", "2026-01-01", "2026-07-01"])
    );
    assert_eq!(index["expires"], "2027-12-31");
    let cap = |date: &str| {
        let r: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dist.join(&manifest[&format!("tzzb-2024-26/{date}.json")])).unwrap(),
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
    let data = page_data(&dist, "en");
    // Only the version in force on the build date is in the page; the others are fetched,
    // through the manifest.
    assert_eq!(data["versions"]["embedded"], "2026-01-01");
    assert_eq!(
        data["versions"]["list"],
        serde_json::json!(["2025-01-01", "2026-01-01", "2026-07-01"])
    );
    assert_eq!(page.matches("\"subsidies\"").count(), 1);
    // The open-data copy of the current rules keeps its address, and no page names it.
    assert!(dist.join("rules.json").is_file());
    assert!(!page.contains("/rules.json") && !page.contains("rules/tzzb-2024-26/"));
    // The worked examples name their version, and their links record it.
    assert!(page.contains("the version in force from 2025-01-01"));
    assert!(page.contains("href=\"#v=2025-01-01&amp;a=enterprise"));
}

#[test]
fn changing_one_version_s_rule_set_renames_it_its_manifest_and_the_calculator_pages_only() {
    let tmp = TempDir::new("versions-rehash");
    let root = fixture_project(&tmp);
    let a = tmp.0.join("a");
    build_fixture(&root, &a);
    // One byte in the 2025-01-01 version's attachment (a comment: the rule set's version digest
    // covers the file, so only that version's rule set changes, not its rules).
    let file = root.join("content/documents/tzzb-2024-26/versions/2025-01-01/attachment.yaml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("#\n");
    std::fs::write(&file, text).unwrap();
    let b = tmp.0.join("b");
    build_fixture(&root, &b);

    let (path_a, ma) = rules_manifest(&a);
    let (path_b, mb) = rules_manifest(&b);
    assert_ne!(path_a, path_b, "the manifest is renamed");
    let renamed: Vec<&str> = ma
        .keys()
        .filter(|k| ma[*k] != mb[*k])
        .map(String::as_str)
        .collect();
    assert_eq!(renamed, ["tzzb-2024-26/2025-01-01.json"]);
    // The files of the rules folder: only the changed rule set and the manifest differ.
    let files = |dist: &Path| -> Vec<String> {
        let mut out = Vec::new();
        for doc in std::fs::read_dir(dist.join("rules")).unwrap() {
            let p = doc.unwrap().path();
            let entries: Vec<PathBuf> = if p.is_dir() {
                std::fs::read_dir(&p)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect()
            } else {
                vec![p]
            };
            for e in entries {
                out.push(
                    e.strip_prefix(dist)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
        out.sort();
        out
    };
    let (fa, fb) = (files(&a), files(&b));
    let gone: Vec<&String> = fa.iter().filter(|f| !fb.contains(f)).collect();
    let new: Vec<&String> = fb.iter().filter(|f| !fa.contains(f)).collect();
    assert_eq!(
        gone,
        [&path_a, &ma["tzzb-2024-26/2025-01-01.json"]]
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    assert_eq!(new.len(), 2, "{new:?}");
    assert!(new.contains(&&path_b) && new.contains(&&mb["tzzb-2024-26/2025-01-01.json"]));
    // The calculator pages name the new manifest; nothing names the old one any more.
    for lang in ["zh", "en"] {
        let page =
            std::fs::read_to_string(b.join(format!("{lang}/calculator/index.html"))).unwrap();
        assert!(page.contains(&path_b), "/{lang}/calculator/ names {path_b}");
        assert!(!page.contains(&path_a));
    }
}
