//! The engine on the rule set built from `content/`: the worked examples, the command line,
//! and a rule change reaching the estimate through a rebuild, without touching Rust.

mod common;

use calculator::ruleset::RuleSet;
use calculator::{estimate, Money, Scenario};
use common::{copy_dir, options, repo, TempDir};
use serde::Deserialize;

#[derive(Deserialize)]
struct Example {
    id: String,
    scenario: Scenario,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    lines: Vec<ExpectedLine>,
    city_total: Money,
    reference_total: Money,
}

#[derive(Deserialize)]
struct ExpectedLine {
    subsidy: String,
    amount: Option<Money>,
}

fn content_rules() -> RuleSet {
    generator::commands::ruleset(&repo().join("content")).expect("content builds a rule set")
}

#[test]
fn worked_examples_hold_on_the_rules_built_from_content() {
    let text = std::fs::read_to_string(repo().join("content/examples.yaml")).unwrap();
    let examples: Vec<Example> = serde_norway::from_str(&text).unwrap();
    let rules = content_rules();
    assert!(examples.len() >= 4);
    for ex in examples {
        let e = estimate(&rules, &ex.scenario);
        assert!(e.errors.is_empty(), "{}: {:?}", ex.id, e.errors);
        let got: Vec<(String, Option<Money>)> = e
            .lines
            .iter()
            .map(|l| (l.subsidy.clone(), l.amount))
            .collect();
        let want: Vec<(String, Option<Money>)> = ex
            .expected
            .lines
            .iter()
            .map(|l| (l.subsidy.clone(), l.amount))
            .collect();
        assert_eq!(got, want, "{}", ex.id);
        assert_eq!(e.city_total, ex.expected.city_total, "{}", ex.id);
        assert_eq!(e.reference_total, ex.expected.reference_total, "{}", ex.id);
    }
}

#[test]
fn every_subsidy_of_the_attachment_is_in_the_rule_set() {
    let rules = content_rules();
    let ids: Vec<&str> = rules
        .subsidies
        .iter()
        .map(|s| s.subsidy.id.as_str())
        .collect();
    for id in [
        "new-shops",
        "qualified-enterprise",
        "bonded-1210",
        "selection-centre",
        "comprehensive-service",
        "shop-target-award",
        "trademark",
        "patent",
        "independent-site",
        "provincial-brand",
        "live-streaming",
        "demonstration-park",
        "multimodal-hub",
        "consolidation-warehouse",
        "bonded-zone-leasing",
        "logistics",
        "exhibitions",
        "events",
        "training",
        "industry-fund",
        "credit-insurance",
        "county-support",
    ] {
        assert!(
            ids.contains(&id),
            "subsidy `{id}` missing from the rule set"
        );
    }
    assert_eq!(ids.len(), 22);
}

#[test]
fn the_command_line_prints_the_estimate_as_json() {
    let bin = env!("CARGO_BIN_EXE_generator");
    let out = std::process::Command::new(bin)
        .current_dir(repo())
        .args([
            "estimate",
            "examples/scenarios/jiaojiang-brand-builder.yaml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["city_total"], "1160000");
    let rules = std::process::Command::new(bin)
        .current_dir(repo())
        .args(["rules"])
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&rules.stdout);
    assert!(
        listing.contains("training") && listing.contains("trainees"),
        "{listing}"
    );
}

#[test]
fn a_bad_scenario_names_the_file_and_line() {
    let tmp = TempDir::new("scenario");
    let path = tmp.0.join("bad.yaml");
    std::fs::write(&path, "applicant: {kind: enterprise, place: jiaojiang}\nclaims:\n  - subsidy: trademark\n    instancez: []\n").unwrap();
    let err = generator::commands::read_scenario(&path)
        .unwrap_err()
        .to_string();
    assert!(err.contains("bad.yaml:4"), "{err}");
    assert!(err.contains("unknown field `instancez`"), "{err}");
}

/// Bureau staff change the trademark cap from 10万元 to 20万元 (text and data together, as a
/// new version of the policy would), rebuild, and the estimate follows.
#[test]
fn a_changed_cap_reaches_the_estimate_by_rebuilding() {
    let tmp = TempDir::new("cap");
    let content = tmp.0.join("content");
    copy_dir(&repo().join("content"), &content);
    let doc = content.join("documents/tzzb-2024-26/versions/2025-01-01");
    let edit = |file: &str, from: &str, to: &str, after: Option<&str>| {
        let p = doc.join(file);
        let text = std::fs::read_to_string(&p).unwrap();
        let start = after.map(|a| text.find(a).expect(a)).unwrap_or(0);
        let at = start + text[start..].find(from).unwrap_or_else(|| panic!("{from}"));
        let new = format!("{}{}{}", &text[..at], to, &text[at + from.len()..]);
        std::fs::write(&p, new).unwrap();
    };
    edit(
        "source.txt",
        "扶持额度最高不超过 10 万元。对取得",
        "扶持额度最高不超过 20 万元。对取得",
        None,
    );
    edit(
        "attachment.yaml",
        "不超过10万元。",
        "不超过20万元。",
        Some("id: att-1-3-a"),
    );
    edit(
        "attachment.yaml",
        "RMB 100,000",
        "RMB 200,000",
        Some("id: att-1-3-a"),
    );
    edit(
        "attachment.yaml",
        "amount: 100000",
        "amount: 200000",
        Some("id: trademark"),
    );
    // The build checks the worked examples against the rules: the one whose trademark fee hits
    // the cap is recomputed by hand, as an editor would (50% × 300,000 = 150,000 ≤ 200,000).
    let examples = content.join("examples.yaml");
    let text = std::fs::read_to_string(&examples).unwrap();
    let at = text
        .find("id: wenling-county-enterprise")
        .expect("the Wenling example");
    let (head, tail) = text.split_at(at);
    let tail = tail
        .replacen(
            r#"{subsidy: trademark, status: counted, amount: "100000"}"#,
            r#"{subsidy: trademark, status: counted, amount: "150000"}"#,
            1,
        )
        .replacen(
            r#"reference_total: "180000""#,
            r#"reference_total: "230000""#,
            1,
        );
    std::fs::write(&examples, format!("{head}{tail}")).unwrap();
    let dist = tmp.0.join("dist");
    generator::build(&options(&content, &dist)).expect("the changed content builds");
    let rules: RuleSet =
        serde_json::from_slice(&std::fs::read(dist.join("rules.json")).unwrap()).unwrap();
    let scenario: Scenario = serde_norway::from_str(
        "applicant: {kind: enterprise, place: jiaojiang}\nclaims:\n  - subsidy: trademark\n    instances: [{fee: \"300000\"}]\n",
    )
    .unwrap();
    let before = estimate(&content_rules(), &scenario);
    let after = estimate(&rules, &scenario);
    assert_eq!(
        before.lines[0].amount,
        Some(Money::parse("100000").unwrap())
    );
    assert_eq!(after.lines[0].amount, Some(Money::parse("150000").unwrap()));
    let page = std::fs::read_to_string(dist.join("zh/attachment/index.html")).unwrap();
    assert!(page.contains("20万元"), "the page shows the new cap too");
}

/// `examples/scenarios/<id>.yaml` are the worked examples of `content/examples.yaml`, for the
/// command line: each must hold exactly its example's scenario.
#[test]
fn the_example_scenario_files_are_the_worked_examples() {
    let examples: Vec<serde_json::Value> = serde_norway::from_str(
        &std::fs::read_to_string(repo().join("content/examples.yaml")).unwrap(),
    )
    .unwrap();
    assert!(!examples.is_empty());
    for ex in &examples {
        let id = ex["id"].as_str().unwrap();
        let path = repo().join(format!("examples/scenarios/{id}.yaml"));
        let file: serde_json::Value =
            serde_norway::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let a: calculator::Scenario = serde_json::from_value(ex["scenario"].clone()).unwrap();
        let b: calculator::Scenario = serde_json::from_value(file).unwrap();
        assert_eq!(a, b, "{}", path.display());
    }
}

/// An input that cannot be used makes `estimate` exit non-zero, name the input, and mark the
/// line `input-error` (never `counted`) in the JSON.
#[test]
fn an_input_error_makes_estimate_fail_and_the_line_says_so() {
    let dir = common::TempDir::new("estimate-input-error");
    let path = dir.0.join("bad.yaml");
    std::fs::write(
        &path,
        "applicant: {kind: enterprise, place: jiaojiang}\nclaims:\n  - subsidy: trademark\n    instances: [{fee: \"12x\"}]\n  - subsidy: patent\n    instances: [{fee: \"1000\"}]\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_generator"))
        .current_dir(repo())
        .args(["estimate", path.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("claims[0].instances[0].fee"), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lines"][0]["status"], "input-error");
    assert_eq!(v["lines"][0]["amount"], serde_json::Value::Null);
    assert_eq!(v["lines"][1]["status"], "counted");
    assert_eq!(v["city_total"], "500");
}
