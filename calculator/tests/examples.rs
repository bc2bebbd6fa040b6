//! The worked examples of `content/examples.yaml`, computed by hand from the clause text, run
//! through the engine against the fixture rule set. (The generator runs them again against the
//! rule set it builds from `content/`.)

mod common;

use calculator::{estimate, Money, Scenario, Text};
use common::rules;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Example {
    id: String,
    title: Text,
    /// The version the amounts are computed under; this test's rule set is the first one's.
    #[allow(dead_code)]
    version: Option<String>,
    scenario: Scenario,
    expected: Expected,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    lines: Vec<ExpectedLine>,
    city_total: Money,
    reference_total: Money,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedLine {
    subsidy: String,
    status: String,
    amount: Option<Money>,
}

#[test]
fn worked_examples_match_the_hand_computation() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../content/examples.yaml");
    let text = std::fs::read_to_string(path).expect("content/examples.yaml");
    let examples: Vec<Example> = serde_norway::from_str(&text).expect("examples parse");
    assert!(examples.len() >= 4);
    let r = rules();
    for ex in &examples {
        assert!(ex.title.missing().is_empty(), "{}: title", ex.id);
        let e = estimate(&r, &ex.scenario);
        assert!(e.errors.is_empty(), "{}: {:?}", ex.id, e.errors);
        assert_eq!(e.lines.len(), ex.expected.lines.len(), "{}", ex.id);
        for (got, want) in e.lines.iter().zip(&ex.expected.lines) {
            assert_eq!(got.subsidy, want.subsidy, "{}", ex.id);
            let status = serde_json::to_value(got.status).unwrap();
            assert_eq!(status, want.status.as_str(), "{}: {}", ex.id, want.subsidy);
            assert_eq!(got.amount, want.amount, "{}: {}", ex.id, want.subsidy);
        }
        assert_eq!(e.city_total, ex.expected.city_total, "{}", ex.id);
        assert_eq!(e.reference_total, ex.expected.reference_total, "{}", ex.id);
    }
}
