//! Scenarios as files (YAML/JSON) and as URL fragments.

mod common;

use calculator::{Applicant, Claim, InputErrorKind, Instance, Profile, Scenario};
use common::*;

fn sample() -> Scenario {
    let mut training = claim(
        "training",
        &[
            &[("cost", "80000"), ("trainees", "200")],
            &[("cost", "120,000.50"), ("trainees", "150")],
        ],
    );
    training.other_award = Some("20000".into());
    Scenario {
        applicant: Profile {
            kind: Applicant::TrainingInstitution,
            place: "huangyan".into(),
            dishonest: true,
        },
        claims: vec![
            training,
            Claim {
                subsidy: "shop-target-award".into(),
                instances: vec![Instance::met()],
                other_award: None,
            },
            claim("new-shops", &[]),
            claim("qualified-enterprise", &[&[]]),
            claim("logistics", &[&[("cost", "六万 & 1e5; a=b")]]),
        ],
    }
}

#[test]
fn the_fragment_is_compact_and_readable() {
    let s = enterprise(vec![claim("trademark", &[&[("fee", "120000")]])]);
    assert_eq!(
        s.to_fragment(),
        "a=enterprise&p=jiaojiang&d=0&c=trademark:fee=120000"
    );
    let f = sample().to_fragment();
    assert!(
        f.starts_with("a=training-institution&p=huangyan&d=1&c=training@20000:cost=80000,trainees=200;cost=120%2C000.50,trainees=150&c=shop-target-award:met&c=new-shops&c=qualified-enterprise:&c=logistics:cost="),
        "{f}"
    );
}

#[test]
fn the_fragment_round_trips() {
    let s = sample();
    assert_eq!(Scenario::from_fragment(&s.to_fragment()), Ok(s.clone()));
    assert_eq!(
        Scenario::from_fragment(&format!("#{}", s.to_fragment())),
        Ok(s)
    );
}

#[test]
fn a_malformed_fragment_says_where() {
    let cases = [
        ("p=jiaojiang", "a"),
        ("a=enterprise", "p"),
        ("a=robot&p=x", "a"),
        ("a=enterprise&p=x&d=2", "d"),
        ("a=enterprise&p=x&z=1", "z"),
        ("a=enterprise&p=x&c=trademark:fee", "c[0]"),
        ("a=enterprise&p=x&c=trademark:fee=%G1", "c[0]"),
        ("a=enterprise&p=x&c=ok&c=:fee=1", "c[1]"),
        ("a=enterprise&p=x&c=t:met,met", "c[0]"),
        ("a=enterprise&p=x&c=t:fee=1,fee=2", "c[0]"),
        ("a=enterprise&p=%E6", "p"),
    ];
    for (f, path) in cases {
        let e = Scenario::from_fragment(f).unwrap_err();
        assert_eq!(
            (e.kind, e.path.as_str()),
            (InputErrorKind::BadFragment, path),
            "{f}"
        );
    }
    // `d` may be left out; an empty fragment part is ignored.
    let s = Scenario::from_fragment("a=enterprise&&p=tbna").unwrap();
    assert!(!s.applicant.dishonest && s.claims.is_empty());
}

#[test]
fn yaml_scenarios_take_numbers_or_strings() {
    let yaml = r#"
applicant: {kind: training-institution, place: huangyan}
claims:
  - subsidy: training
    instances:
      - {cost: 80000, trainees: 200}
      - {cost: "120000.50", trainees: "149"}
    other_award: 20000
  - subsidy: shop-target-award
    instances: [{met: true}]
  - subsidy: new-shops
"#;
    let s: Scenario = serde_norway::from_str(yaml).unwrap();
    assert!(!s.applicant.dishonest);
    assert_eq!(s.claims[0].instances[0].inputs["cost"], "80000");
    assert_eq!(s.claims[0].instances[1].inputs["cost"], "120000.50");
    assert_eq!(s.claims[0].other_award.as_deref(), Some("20000"));
    assert!(s.claims[1].instances[0].met);
    assert!(s.claims[2].instances.is_empty());
    // And back, through JSON.
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<Scenario>(&json).unwrap(), s);
}

#[test]
fn yaml_mistakes_are_errors() {
    for bad in [
        "applicant: {kind: robot, place: x}",
        "applicant: {kind: enterprise, place: x, extra: 1}",
        "applicant: {kind: enterprise, place: x}\nclaims: [{subsidy: t, instances: [{met: 1}]}]",
        "applicant: {kind: enterprise, place: x}\nclaims: [{subsidy: t, instances: [{fee: [1]}]}]",
        "applicant: {kind: enterprise, place: x}\nclaims: [{subsidy: t, typo: 1}]",
    ] {
        assert!(serde_norway::from_str::<Scenario>(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_quoted_exponent_reaches_money_parse_and_is_refused() {
    // Unquoted, `1e5` is a YAML float and the scenario is refused (tests/typed_input.rs); quoted, it is text and
    // `Money::parse_typed` refuses it, as it refuses it from the browser form.
    let yaml = "applicant: {kind: enterprise, place: jiaojiang}\nclaims: [{subsidy: trademark, instances: [{fee: \"1e5\"}]}]";
    let s: Scenario = serde_norway::from_str(yaml).unwrap();
    let e = calculator::estimate(&rules(), &s);
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.city_total, calculator::Money::ZERO);
}

#[test]
fn input_errors_serialize_with_code_and_both_languages() {
    let e = calculator::estimate(
        &rules(),
        &enterprise(vec![claim("trademark", &[&[("fee", "abc")]])]),
    );
    let v = serde_json::to_value(&e.errors[0]).unwrap();
    assert_eq!(v["path"], "claims[0].instances[0].fee");
    assert_eq!(v["error"], "not-a-number");
    assert!(v["message"]["zh"].as_str().unwrap().contains("请输入数字"));
    assert!(v["message"]["en"]
        .as_str()
        .unwrap()
        .starts_with("Enter a number"));
}
