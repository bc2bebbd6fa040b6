//! What readers type into an amount or a count, read by the lenient parser: every form the
//! form and the scenario files accept or refuse, with the exact amount read and the echo shown
//! beside the field. The cases live in `fixtures/typed-amounts.json`, which the browser test
//! types into the WASM app too, so both builds must give the same results.

mod common;

use calculator::scenario::{parse_amount, parse_count};
use calculator::{estimate, InputErrorKind, Lang, Money, MoneyError, Scenario};
use common::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/typed-amounts.json")).expect("fixture parses")
}

fn cases<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key].as_array().expect("a list of cases")
}

fn s<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{case}: no `{key}`"))
}

#[test]
fn every_accepted_form_reads_the_exact_amount_and_echoes_it_in_both_languages() {
    let v = fixture();
    let accepted = cases(&v, "accepted");
    assert!(accepted.len() >= 20, "the fixture lists the forms");
    for c in accepted {
        let input = s(c, "input");
        let read = Money::parse_typed(input).unwrap_or_else(|e| panic!("{input:?}: refused: {e}"));
        // The expected amount is written as a plain decimal, which the strict parser reads.
        assert_eq!(read, Money::parse(s(c, "yuan")).unwrap(), "{input:?}");
        assert_eq!(read.echo(Lang::Zh), s(c, "zh"), "{input:?} in Chinese");
        assert_eq!(read.echo(Lang::En), s(c, "en"), "{input:?} in English");
        assert_eq!(
            parse_amount(input),
            Ok(read),
            "{input:?} through the engine's reader"
        );
    }
}

fn code(e: &MoneyError) -> &'static str {
    InputErrorKind::Money(e.clone()).code()
}

#[test]
fn every_ambiguous_form_is_refused_with_its_reason() {
    let v = fixture();
    let refused = cases(&v, "refused");
    assert!(refused.len() >= 20, "the fixture lists the refusals");
    for c in refused {
        let input = s(c, "input");
        match Money::parse_typed(input) {
            Ok(m) => panic!("{input:?} was read as {m:?}; expected {}", s(c, "error")),
            Err(e) => {
                assert_eq!(code(&e), s(c, "error"), "{input:?}");
                // Each reason has its words in both languages, the Chinese in Chinese.
                assert!(e.message(Lang::Zh).chars().any(|ch| ch > '\u{2E80}'));
                assert!(
                    e.message(Lang::En).is_ascii(),
                    "{input:?}: {}",
                    e.message(Lang::En)
                );
            }
        }
    }
}

#[test]
fn the_two_inputs_the_issue_names_are_no_longer_misread() {
    // Before: "1,5" read as 15 and ",1,,2,0,0,0,0," as 120000.
    assert_eq!(Money::parse_typed("1,5"), Err(MoneyError::Grouping));
    assert_eq!(
        Money::parse_typed(",1,,2,0,0,0,0,"),
        Err(MoneyError::Grouping)
    );
}

#[test]
fn content_keeps_the_strict_reading() {
    // Content and the rules data are plain decimals: what a reader may type is refused there.
    for (raw, err) in [
        ("12万", MoneyError::NotANumber),
        ("120,000", MoneyError::NotANumber),
        ("1,5", MoneyError::NotANumber),
        ("¥120000", MoneyError::NotANumber),
        ("１２００００", MoneyError::NotANumber),
        ("120 000", MoneyError::NotANumber),
    ] {
        assert_eq!(Money::parse(raw), Err(err), "{raw:?}");
    }
    assert_eq!(Money::parse("120000.5"), Ok(m("120000.5")));
}

#[test]
fn counts_accept_full_width_digits_grouping_and_a_whole_number_of_wan() {
    for (raw, n) in [
        ("150", 150),
        (" 150 ", 150),
        ("１５０", 150),
        ("1,500", 1500),
        ("1 500", 1500),
        ("１，５００", 1500),
        ("1万", 10_000),
        ("1.5万", 15_000),
        ("１．５万", 15_000),
        ("0", 0),
    ] {
        assert_eq!(parse_count(raw), Ok(n), "{raw:?}");
    }
    for raw in [
        "149.5",
        "150.0",
        "1.23456万",
        "1,5",
        ",1,5,0",
        "-1",
        "1e3",
        "150元",
        "¥150",
        "150 RMB",
        "9999999999",
        "100000万",
    ] {
        assert_eq!(parse_count(raw), Err(InputErrorKind::NotACount), "{raw:?}");
    }
    assert_eq!(
        parse_count("  "),
        Err(InputErrorKind::Money(MoneyError::Empty))
    );
}

#[test]
fn twelve_wan_in_the_trademark_fee_gives_sixty_thousand() {
    let e = estimate(
        &rules(),
        &enterprise(vec![claim("trademark", &[&[("fee", "12万")]])]),
    );
    assert!(e.errors.is_empty(), "{:?}", e.errors);
    assert_eq!(e.lines[0].amount, Some(m("60000")));
    assert_eq!(e.city_total, m("60000"));
}

#[test]
fn a_refused_input_contributes_nothing_and_its_line_says_only_that() {
    let e = estimate(
        &rules(),
        &enterprise(vec![claim("trademark", &[&[("fee", "1,5")]])]),
    );
    let l = &e.lines[0];
    assert_eq!(
        e.errors[0].kind,
        InputErrorKind::Money(MoneyError::Grouping)
    );
    assert_eq!(l.formula.zh, "输入有误，未计入");
    assert_eq!(l.formula.en, "input not valid: not counted");
    assert!(l.bound_by.is_empty());
    assert_eq!(e.city_total, Money::ZERO);

    // With several instances the valid ones still count, and the bad one says it is left out.
    let e = estimate(
        &rules(),
        &scenario(
            calculator::Applicant::TrainingInstitution,
            "jiaojiang",
            vec![claim(
                "training",
                &[
                    &[("cost", "8万"), ("trainees", "150")],
                    &[("cost", "1e5"), ("trainees", "150")],
                ],
            )],
        ),
    );
    // The valid session is computed and shown; the line waits, out of the total, until the
    // bad one is corrected (a total holds only lines whose every input was read).
    let l = &e.lines[0];
    assert_eq!(l.status, calculator::LineStatus::InputError);
    assert_eq!(l.amount, None);
    assert_eq!(l.clause_amount, Some(m("40000")), "{}", l.formula.zh);
    assert_eq!(e.city_total, Money::ZERO);
    assert!(
        l.formula.zh.contains("场次2：输入有误，未计入"),
        "{}",
        l.formula.zh
    );
    assert!(!l.formula.zh.contains("按0元计"), "{}", l.formula.zh);
}

// ----- scenario files: the raw token, never a float ------------------------------------------

const HEAD: &str = "applicant: {kind: enterprise, place: jiaojiang}\nclaims:\n- subsidy: trademark\n  instances:\n";

#[test]
fn an_unquoted_decimal_or_exponent_in_a_yaml_scenario_is_refused_with_its_line() {
    for bare in ["1e5", "1.5", "120000.50", "1.2e+5", ".inf"] {
        let yaml = format!("{HEAD}  - fee: {bare}\n");
        let err = serde_norway::from_str::<Scenario>(&yaml).expect_err(bare);
        let msg = err.to_string();
        assert!(
            msg.contains("write amounts as text, e.g. \"1.5\""),
            "{bare}: {msg}"
        );
        assert_eq!(
            err.location().map(|l| l.line()),
            Some(5),
            "{bare}: located: {msg}"
        );
    }
}

#[test]
fn quoted_forms_and_bare_integers_in_a_yaml_scenario_are_read_as_typed() {
    for (raw, fee) in [
        ("\"12万\"", "60000"),
        ("'１２００００'", "60000"),
        ("\"120,000\"", "60000"),
        ("\"1.5\"", "0.75"),
        ("120000", "60000"),
    ] {
        let yaml = format!("{HEAD}  - fee: {raw}\n");
        let sc: Scenario = serde_norway::from_str(&yaml).unwrap_or_else(|e| panic!("{raw}: {e}"));
        let e = estimate(&rules(), &sc);
        assert!(e.errors.is_empty(), "{raw}: {:?}", e.errors);
        assert_eq!(e.lines[0].amount, Some(m(fee)), "{raw}");
    }
    // A quoted exponent reaches the parser as text, and the parser refuses it.
    let yaml = format!("{HEAD}  - fee: \"1e5\"\n");
    let sc: Scenario = serde_norway::from_str(&yaml).unwrap();
    let e = estimate(&rules(), &sc);
    assert_eq!(
        e.errors[0].kind,
        InputErrorKind::Money(MoneyError::NotANumber)
    );
}

#[test]
fn a_json_scenario_takes_strings_and_integers_only() {
    let json = |fee: &str| {
        format!(
            r#"{{"applicant": {{"kind": "enterprise", "place": "jiaojiang"}}, "claims": [{{"subsidy": "trademark", "instances": [{{"fee": {fee}}}], "other_award": {fee}}}]}}"#
        )
    };
    for bad in ["1.5", "1e5", "100000.0"] {
        let err = serde_json::from_str::<Scenario>(&json(bad)).expect_err(bad);
        assert!(
            err.to_string().contains("write amounts as text"),
            "{bad}: {err}"
        );
        assert_eq!(err.line(), 1);
    }
    let sc: Scenario = serde_json::from_str(&json("100000")).unwrap();
    assert_eq!(sc.claims[0].instances[0].inputs["fee"], "100000");
    let sc: Scenario = serde_json::from_str(&json("\"10万\"")).unwrap();
    assert_eq!(sc.claims[0].other_award.as_deref(), Some("10万"));
}

// ----- what the site prints reads back to the same amount -------------------------------------

/// Any amount to the fen up to RMB 100 billion, weighted towards round figures (whole 万 and
/// whole millions take the text's own renderings).
fn any_amount() -> impl Strategy<Value = Money> {
    prop_oneof![
        (0i64..=10_000_000_000_000i64).prop_map(|fen| Money(Decimal::new(fen, 2))),
        (0i64..=10_000_000i64).prop_map(|wan| Money(Decimal::from(wan * 10_000))),
        (0i64..=100_000i64).prop_map(|mn| Money(Decimal::from(mn * 1_000_000))),
        (0i64..=100_000_000i64).prop_map(|fen| Money(Decimal::new(fen, 2))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn parse_reads_back_every_rendering_the_site_prints(m in any_amount()) {
        for lang in [Lang::Zh, Lang::En] {
            for shown in [m.display(lang), m.as_in_text(lang)] {
                prop_assert_eq!(Money::parse_typed(&shown), Ok(m), "{}", shown);
            }
            let echo = m.echo(lang);
            let shown = echo.strip_prefix("= ").expect("an echo starts with `= `");
            prop_assert_eq!(Money::parse_typed(shown), Ok(m), "{}", echo);
        }
    }

    #[test]
    fn typed_amounts_never_exceed_two_decimals_or_the_limit(raw in "[0-9０-９.,，．万元¥ RMBe\\-]{0,24}") {
        if let Ok(m) = Money::parse_typed(&raw) {
            prop_assert!(m.0.normalize().scale() <= 2, "{}: {:?}", raw, m);
            prop_assert!(m.0 >= Decimal::ZERO && m.0 <= Decimal::from(100_000_000_000i64), "{}", raw);
        }
    }
}
