//! Properties over many generated inputs: no amount exceeds what its clause allows, amounts
//! never fall as the base grows, and no input — however odd — panics.

mod common;

use calculator::{
    estimate, render_text, Amount, Applicant, CapScope, Claim, Instance, Lang, Money, Profile,
    RuleSet, Scenario,
};
use common::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// An amount to the fen, as a reader might type it (with or without the fen).
fn amount_str() -> impl Strategy<Value = String> {
    (0u64..=2_000_000_000u64, any::<bool>()).prop_map(|(fen, whole)| {
        if whole {
            (fen / 100).to_string()
        } else {
            format!("{}.{:02}", fen / 100, fen % 100)
        }
    })
}

/// The subsidies that compute an amount, with an applicant type each pays (an enterprise
/// where the clause names no type). Lines listed apart (conditions still to be set, measures
/// no applicant claims) compute nothing.
fn computing(rules: &RuleSet) -> Vec<(String, Applicant)> {
    rules
        .subsidies
        .iter()
        .filter(|s| !matches!(s.subsidy.amount, Amount::NotSet))
        .filter(|s| s.subsidy.pending_condition.is_none() && s.subsidy.not_claimed.is_none())
        .map(|s| {
            let kind = s.subsidy.applicant.unwrap_or(Applicant::Enterprise);
            (s.subsidy.id.clone(), kind)
        })
        .collect()
}

/// Inputs for every instance of a subsidy: its base and threshold, if it has them.
fn instance_for(rules: &RuleSet, id: &str, base: &str, count: u64, met: bool) -> Instance {
    let mut inst = Instance::default();
    match &rules.subsidy(id).unwrap().subsidy.amount {
        Amount::Rate {
            base: b, threshold, ..
        } => {
            inst.inputs.insert(b.id.clone(), base.into());
            if let Some(t) = threshold {
                inst.inputs.insert(t.id.clone(), count.to_string());
            }
        }
        Amount::CapOnly { base: Some(b), .. } => {
            inst.inputs.insert(b.id.clone(), base.into());
        }
        _ => {}
    }
    // Only a fixed sum takes `met`; elsewhere it would be an unknown input.
    inst.met = met
        && matches!(
            rules.subsidy(id).unwrap().subsidy.amount,
            Amount::Fixed { .. }
        );
    inst
}

fn single(id: &str, kind: Applicant, instances: Vec<Instance>) -> Scenario {
    Scenario {
        applicant: Profile {
            kind,
            place: "jiaojiang".into(),
            dishonest: false,
        },
        claims: vec![Claim {
            subsidy: id.into(),
            instances,
            other_award: None,
        }],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn no_amount_exceeds_its_caps_or_rate_times_base(
        pick in 0usize..100,
        bases in proptest::collection::vec((amount_str(), 100u64..400, any::<bool>()), 1..14),
    ) {
        let r = rules();
        let subs = computing(&r);
        let (id, kind) = &subs[pick % subs.len()];
        let instances: Vec<Instance> = bases.iter().map(|(b, n, met)| instance_for(&r, id, b, *n, *met)).collect();
        let n = Decimal::from(instances.len() as u64);
        let e = estimate(&r, &single(id, *kind, instances));
        prop_assert!(e.errors.is_empty(), "{:?}", e.errors);
        let got = e.lines[0].amount.unwrap().0;
        let base_sum: Decimal = bases.iter().map(|(b, _, _)| Money::parse(b).unwrap().0).sum();
        let caps = match &r.subsidy(id).unwrap().subsidy.amount {
            Amount::Rate { rate, caps, .. } => {
                prop_assert!(got <= Money(rate.0 * base_sum).round_to_fen().0);
                caps.clone()
            }
            Amount::CapOnly { base, caps } => {
                if base.is_some() {
                    prop_assert!(got <= base_sum);
                }
                caps.clone()
            }
            Amount::Fixed { sum, .. } => {
                prop_assert!(got <= sum.0 * n);
                vec![]
            }
            Amount::NotSet => unreachable!(),
        };
        for cap in caps {
            let limit = match cap.per {
                CapScope::Instance => cap.amount.0 * n,
                CapScope::Applicant | CapScope::ApplicantYear => cap.amount.0,
            };
            prop_assert!(got <= limit, "{id}: {got} > {limit}");
        }
        prop_assert!(got >= Decimal::ZERO);
        prop_assert_eq!(e.city_total.0, got);
    }

    #[test]
    fn amounts_never_fall_as_the_base_grows(
        pick in 0usize..100,
        a in amount_str(),
        b in amount_str(),
        count in 100u64..300,
    ) {
        let r = rules();
        let subs = computing(&r);
        let (id, kind) = &subs[pick % subs.len()];
        let (lo, hi) = if Money::parse(&a).unwrap() <= Money::parse(&b).unwrap() { (a, b) } else { (b, a) };
        let at = |base: &str| {
            let e = estimate(&r, &single(id, *kind, vec![instance_for(&r, id, base, count, true)]));
            e.lines[0].amount.unwrap()
        };
        prop_assert!(at(&lo) <= at(&hi), "{id}: {lo} -> {hi}");
    }

    #[test]
    fn more_trainees_never_lower_the_subsidy(cost in amount_str(), n in 0u64..400, more in 0u64..50) {
        let r = rules();
        let at = |count| {
            let e = estimate(&r, &single("training", Applicant::TrainingInstitution, vec![instance_for(&r, "training", &cost, count, false)]));
            e.lines[0].amount.unwrap()
        };
        prop_assert!(at(n) <= at(n + more));
    }

    #[test]
    fn no_input_panics(
        kind in prop_oneof![Just(Applicant::Enterprise), Just(Applicant::Organisation), Just(Applicant::TrainingInstitution)],
        place in prop_oneof![Just("jiaojiang".to_string()), Just("wenling".to_string()), any::<String>()],
        dishonest in any::<bool>(),
        claims in proptest::collection::vec(
            (
                prop_oneof![Just("trademark"), Just("training"), Just("logistics"), Just("shop-target-award"), Just("new-shops"), Just("consolidation-warehouse"), Just("x")],
                proptest::collection::vec(
                    (proptest::collection::btree_map(
                        prop_oneof![Just("fee".to_string()), Just("cost".to_string()), Just("trainees".to_string()), Just("investment".to_string()), any::<String>()],
                        prop_oneof![any::<String>(), "[0-9.,e+-]{0,30}", amount_str()],
                        0..4,
                    ), any::<bool>()),
                    0..4,
                ),
                proptest::option::of(prop_oneof![any::<String>(), amount_str()]),
            ),
            0..6,
        ),
    ) {
        let r = rules();
        let s = Scenario {
            applicant: Profile { kind, place, dishonest },
            claims: claims.into_iter().map(|(id, insts, other)| Claim {
                subsidy: id.into(),
                instances: insts.into_iter().map(|(inputs, met)| Instance { inputs: inputs.into_iter().filter(|(k, _)| k != "met").collect(), met }).collect(),
                other_award: other,
            }).collect(),
        };
        let e = estimate(&r, &s);
        prop_assert!(e.city_total >= Money::ZERO && e.reference_total >= Money::ZERO);
        let _ = render_text(&e, Lang::Zh);
        let _ = render_text(&e, Lang::En);
        prop_assert!(serde_json::to_string(&e).is_ok());
        // Whatever the scenario, its fragment reads back as the same scenario.
        prop_assert_eq!(Scenario::from_fragment(&s.to_fragment()), Ok(s));
    }

    #[test]
    fn no_fragment_panics(f in any::<String>(), g in "[a-z=&:;,@%0-9.-]{0,60}") {
        for text in [f, format!("a=enterprise&p=jiaojiang&{g}")] {
            if let Ok(s) = Scenario::from_fragment(&text) {
                prop_assert_eq!(Scenario::from_fragment(&s.to_fragment()), Ok(s.clone()));
                let _ = estimate(&rules(), &s);
            }
        }
    }
}
