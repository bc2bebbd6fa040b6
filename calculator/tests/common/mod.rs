//! Shared test helpers: the rule-set fixture and short ways to write scenarios.
#![allow(dead_code)] // each test file uses a different subset

use calculator::{Applicant, Claim, Instance, Money, Profile, RuleSet, Scenario};

/// A rule set mirroring the attachment's figures (derived from `content/` and checked in, so
/// these tests do not depend on the generator).
pub fn rules() -> RuleSet {
    serde_json::from_str(include_str!("../fixtures/rules.json")).expect("fixture parses")
}

/// A scenario for an applicant in a place.
pub fn scenario(kind: Applicant, place: &str, claims: Vec<Claim>) -> Scenario {
    Scenario {
        applicant: Profile {
            kind,
            place: place.into(),
            dishonest: false,
        },
        claims,
    }
}

/// An enterprise in Jiaojiang District (a city district).
pub fn enterprise(claims: Vec<Claim>) -> Scenario {
    scenario(Applicant::Enterprise, "jiaojiang", claims)
}

/// A claim with instances given as lists of (input, value).
pub fn claim(subsidy: &str, instances: &[&[(&str, &str)]]) -> Claim {
    Claim {
        subsidy: subsidy.into(),
        instances: instances.iter().map(|i| Instance::with(i)).collect(),
        other_award: None,
    }
}

/// Money from a literal.
pub fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}
