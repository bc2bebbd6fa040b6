//! The engine, subsidy kind by subsidy kind, against the attachment's figures (the fixture
//! mirrors `content/`), and the 附则 notices.

mod common;

use calculator::{
    estimate, Applicant, Bound, CapScope, Claim, InputErrorKind, Lang, LineStatus, Money,
    MoneyError, NoticeKind, PlaceKind, RuleSet, Scenario,
};
use common::*;

fn one(rules: &RuleSet, s: &Scenario) -> calculator::Line {
    let e = estimate(rules, s);
    assert_eq!(e.lines.len(), 1);
    e.lines.into_iter().next().unwrap()
}

fn amount(rules: &RuleSet, c: Claim) -> Money {
    one(rules, &enterprise(vec![c])).amount.expect("an amount")
}

// ----- rate -------------------------------------------------------------------------------

#[test]
fn trademark_under_the_cap_reads_like_the_clause() {
    let l = one(
        &rules(),
        &enterprise(vec![claim("trademark", &[&[("fee", "120000")]])]),
    );
    assert_eq!(l.amount, Some(m("60000")));
    assert_eq!(l.status, LineStatus::Counted);
    assert_eq!(l.formula.zh, "50% × 12万元 = 6万元，未超过上限10万元");
    assert_eq!(
        l.formula.en,
        "50% × RMB 120,000 = RMB 60,000, below the RMB 100,000 cap"
    );
    assert!(l.bound_by.is_empty());
    assert_eq!(l.clause.as_ref().unwrap().id, "att-1-3-a");
    assert!(l.task_units.editorial);
    assert!(l.task_units.units.iter().any(|u| u.id == "commerce"));
}

#[test]
fn trademark_over_the_cap_is_capped() {
    let l = one(
        &rules(),
        &enterprise(vec![claim("trademark", &[&[("fee", "300000")]])]),
    );
    assert_eq!(l.amount, Some(m("100000")));
    assert_eq!(
        l.formula.zh,
        "50% × 30万元 = 15万元，超过上限10万元，按10万元计"
    );
    assert_eq!(
        l.formula.en,
        "50% × RMB 300,000 = RMB 150,000, above the RMB 100,000 cap: RMB 100,000"
    );
    assert_eq!(
        l.bound_by,
        vec![Bound::Cap {
            amount: m("100000"),
            per: CapScope::Applicant
        }]
    );
}

#[test]
fn exactly_at_the_cap_is_within_it() {
    let l = one(
        &rules(),
        &enterprise(vec![claim("trademark", &[&[("fee", "200000")]])]),
    );
    assert_eq!(l.amount, Some(m("100000")));
    assert!(l.bound_by.is_empty());
    assert!(
        l.formula.en.ends_with("within the RMB 100,000 cap"),
        "{}",
        l.formula.en
    );
}

#[test]
fn the_applicant_cap_covers_all_fees_together() {
    let l = one(
        &rules(),
        &enterprise(vec![claim(
            "trademark",
            &[&[("fee", "120000")], &[("fee", "120000")]],
        )]),
    );
    assert_eq!(l.amount, Some(m("100000")));
    assert_eq!(l.steps.len(), 2);
    assert_eq!(
        l.formula.zh,
        "第1项：50% × 12万元 = 6万元；第2项：50% × 12万元 = 6万元；合计12万元，超过上限10万元，按10万元计"
    );
}

#[test]
fn independent_site_and_patent() {
    let r = rules();
    assert_eq!(
        amount(
            &r,
            claim("independent-site", &[&[("investment", "3000000")]])
        ),
        m("600000")
    );
    assert_eq!(
        amount(
            &r,
            claim("independent-site", &[&[("investment", "8000000")]])
        ),
        m("1000000")
    );
    assert_eq!(
        amount(&r, claim("patent", &[&[("fee", "30000")]])),
        m("15000")
    );
    assert_eq!(
        amount(&r, claim("patent", &[&[("fee", "250000")]])),
        m("100000")
    );
}

#[test]
fn credit_insurance_rate_is_a_ceiling_and_says_so() {
    let r = rules();
    let l = one(
        &r,
        &enterprise(vec![claim("credit-insurance", &[&[("premium", "900000")]])]),
    );
    assert_eq!(l.amount, Some(m("500000")));
    assert_eq!(
        l.formula.zh,
        "不超过60% × 90万元 = 54万元，超过上限50万元，按50万元计"
    );
    assert!(l
        .formula
        .en
        .starts_with("up to 60% × RMB 900,000 = RMB 540,000"));
    assert_eq!(
        amount(&r, claim("credit-insurance", &[&[("premium", "500000")]])),
        m("300000")
    );
}

#[test]
fn selection_centre_caps_each_centre() {
    let r = rules();
    let s = |inst: &[&[(&str, &str)]]| {
        scenario(
            Applicant::Organisation,
            "luqiao",
            vec![claim("selection-centre", inst)],
        )
    };
    assert_eq!(
        one(&r, &s(&[&[("investment", "5000000")]])).amount,
        Some(m("1500000"))
    );
    assert_eq!(
        one(&r, &s(&[&[("investment", "10000000")]])).amount,
        Some(m("2000000"))
    );
    // No cap on the whole claim: two centres each reach their own cap.
    let l = one(
        &r,
        &s(&[&[("investment", "10000000")], &[("investment", "8000000")]]),
    );
    assert_eq!(l.amount, Some(m("4000000")));
    assert_eq!(l.bound_by.len(), 2);
    assert!(
        l.formula.zh.contains("选品中心或线上专区1："),
        "{}",
        l.formula.zh
    );
}

// ----- threshold and two caps: training -----------------------------------------------------

fn training(sessions: &[&[(&str, &str)]]) -> Scenario {
    scenario(
        Applicant::TrainingInstitution,
        "huangyan",
        vec![claim("training", sessions)],
    )
}

#[test]
fn exactly_150_trainees_qualify() {
    let l = one(
        &rules(),
        &training(&[&[("cost", "80000"), ("trainees", "150")]]),
    );
    assert_eq!(l.amount, Some(m("40000")));
    assert_eq!(
        l.formula.zh,
        "每场培训人数150人，不少于150人：50% × 8万元 = 4万元，未超过每场次上限5万元，未超过单个机构全年累计上限50万元"
    );
}

#[test]
fn a_session_of_149_trainees_gets_nothing() {
    let l = one(
        &rules(),
        &training(&[&[("cost", "80000"), ("trainees", "149")]]),
    );
    assert_eq!(l.amount, Some(Money::ZERO));
    assert!(
        l.formula
            .zh
            .starts_with("每场培训人数149人，少于150人，不予支持：0元"),
        "{}",
        l.formula.zh
    );
    assert!(
        l.formula
            .en
            .starts_with("149 trainees, fewer than 150: RMB 0"),
        "{}",
        l.formula.en
    );
    assert!(matches!(&l.bound_by[..], [Bound::Threshold { id, .. }] if id == "trainees"));
}

#[test]
fn the_session_cap_applies_to_each_session() {
    let l = one(
        &rules(),
        &training(&[
            &[("cost", "80000"), ("trainees", "200")],
            &[("cost", "120000"), ("trainees", "150")],
            &[("cost", "60000"), ("trainees", "149")],
        ]),
    );
    // 40,000 + min(60,000, 50,000) + 0
    assert_eq!(l.amount, Some(m("90000")));
    assert_eq!(l.steps[1].amount, Some(m("50000")));
    assert_eq!(l.steps[2].amount, Some(Money::ZERO));
}

#[test]
fn the_annual_cap_binds_across_twelve_sessions() {
    let session: &[(&str, &str)] = &[("cost", "100000"), ("trainees", "300")];
    let sessions: Vec<&[(&str, &str)]> = vec![session; 12];
    let l = one(&rules(), &training(&sessions));
    // 12 × min(50,000, 50,000) = 600,000 > 500,000.
    assert_eq!(l.amount, Some(m("500000")));
    assert!(l.bound_by.contains(&Bound::Cap {
        amount: m("500000"),
        per: CapScope::ApplicantYear
    }));
    assert!(
        l.formula
            .zh
            .ends_with("合计60万元，超过单个机构全年累计上限50万元，按50万元计"),
        "{}",
        l.formula.zh
    );
    assert!(
        l.formula.en.ends_with(
            "total RMB 600,000, above the RMB 500,000 cap per institution per year: RMB 500,000"
        ),
        "{}",
        l.formula.en
    );
}

#[test]
fn bad_counts_are_errors_beside_the_field() {
    let r = rules();
    for (raw, kind) in [
        ("150.5", InputErrorKind::NotACount),
        ("abc", InputErrorKind::NotACount),
        ("-150", InputErrorKind::NotACount),
        ("", InputErrorKind::Money(MoneyError::Empty)),
    ] {
        let e = estimate(&r, &training(&[&[("cost", "80000"), ("trainees", raw)]]));
        assert_eq!(e.errors.len(), 1, "{raw}");
        assert_eq!(e.errors[0].path, "claims[0].instances[0].trainees");
        assert_eq!(e.errors[0].kind, kind);
        assert_eq!(e.lines[0].status, LineStatus::InputError);
        assert_eq!(e.lines[0].amount, None);
        assert!(e.notices.iter().any(|n| n.kind == NoticeKind::InputErrors));
    }
    let e = estimate(&r, &training(&[&[("cost", "80000")]]));
    assert_eq!(e.errors[0].path, "claims[0].instances[0].trainees");
    assert_eq!(e.errors[0].kind, InputErrorKind::Missing);
}

// ----- fixed ----------------------------------------------------------------------------------

#[test]
fn fixed_sums_are_paid_when_met() {
    let r = rules();
    let met = calculator::Claim {
        subsidy: "provincial-brand".into(),
        instances: vec![calculator::Instance::met()],
        other_award: None,
    };
    let l = one(&r, &enterprise(vec![met]));
    assert_eq!(l.amount, Some(m("100000")));
    assert!(l.formula.zh.ends_with("，给予10万元"), "{}", l.formula.zh);
    let not_met = claim("provincial-brand", &[&[]]);
    let l = one(&r, &enterprise(vec![not_met]));
    assert_eq!(l.amount, Some(Money::ZERO));
    assert!(l.formula.zh.starts_with("未确认"));
}

/// 一次性 says the award is paid as a lump sum; that it is counted once comes from the clause
/// paying the enterprise that obtains the title (no instance is named).
#[test]
fn an_award_to_the_applicant_counts_once() {
    let c = calculator::Claim {
        subsidy: "provincial-brand".into(),
        instances: vec![calculator::Instance::met(), calculator::Instance::met()],
        other_award: None,
    };
    let l = one(&rules(), &enterprise(vec![c]));
    assert_eq!(l.amount, Some(m("100000")));
    assert_eq!(l.steps[1].amount, Some(Money::ZERO));
}

// ----- cap-only ---------------------------------------------------------------------------------

/// 一（一）'s 符合条件, 一（二）'s comprehensive service, 二（二）'s demonstration park, 三（二）'s
/// consolidation warehouse and 一（二）'s shop target: ceilings whose conditions the implementing
/// rules will set. Listed apart with the ceiling and the clause's own words, never in a total.
#[test]
fn lines_whose_conditions_are_still_to_be_set_are_listed_apart_and_add_nothing() {
    let r = rules();
    for (id, kind, ceiling, quote) in [
        (
            "qualified-enterprise",
            Applicant::Enterprise,
            "2000000",
            "符合条件的",
        ),
        (
            "comprehensive-service",
            Applicant::Enterprise,
            "3000000",
            "开展平台搭建、生态服务等业务",
        ),
        (
            "demonstration-park",
            Applicant::Organisation,
            "3000000",
            "具有一定规模",
        ),
        (
            "demonstration-park",
            Applicant::Enterprise,
            "3000000",
            "具有一定规模",
        ),
        (
            "consolidation-warehouse",
            Applicant::Enterprise,
            "600000",
            "正常运营的",
        ),
        (
            "shop-target-award",
            Applicant::Organisation,
            "150000",
            "达到一定目标",
        ),
    ] {
        let e = estimate(
            &r,
            &scenario(
                kind,
                "jiaojiang",
                vec![
                    claim(id, &[]),
                    claim("selection-centre", &[&[("investment", "10000")]]),
                ],
            ),
        );
        let l = &e.lines[0];
        assert_eq!(l.status, LineStatus::ConditionsPending, "{id}");
        assert_eq!(l.amount, None, "{id}");
        assert_eq!(l.ceiling, Some(m(ceiling)), "{id}");
        assert!(l.formula.zh.contains(quote), "{id}: {}", l.formula.zh);
        assert!(
            l.formula.zh.contains("不计入合计"),
            "{id}: {}",
            l.formula.zh
        );
        assert!(
            l.formula.en.contains("implementing rules"),
            "{id}: {}",
            l.formula.en
        );
        // Only the selection-centre line, whose investment was entered, is in the total.
        assert_eq!(e.city_total, m("3000"), "{id}");
        assert_eq!(e.reference_total, Money::ZERO, "{id}");
        let n = e
            .notices
            .iter()
            .find(|n| n.kind == NoticeKind::ConditionsPending)
            .expect("a notice lists the pending lines");
        assert_eq!(n.lines, vec![0]);
        assert_eq!(
            n.clause.as_ref().unwrap().id,
            r.policy.implementing_rules.id
        );
        let units: Vec<&str> = n.units.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(units, ["commerce", "finance"]);
    }
    // Per warehouse: the ceiling reads per warehouse, however many are listed.
    let l = one(
        &r,
        &enterprise(vec![claim("consolidation-warehouse", &[&[], &[]])]),
    );
    assert_eq!(l.amount, None);
    assert!(
        l.formula.zh.contains("每个集货仓上限60万元"),
        "{}",
        l.formula.zh
    );
    assert!(
        l.formula
            .en
            .contains("up to RMB 600,000 per consolidation warehouse"),
        "{}",
        l.formula.en
    );
}

/// 三（一） names its beneficiary (台州湾经济技术开发区) and 四（三） supports capital joining a
/// fund: no applicant claims them, and a scenario that does gets no figure.
#[test]
fn measures_no_applicant_claims_are_listed_never_counted() {
    let r = rules();
    for id in ["multimodal-hub", "industry-fund"] {
        assert!(r.subsidy(id).unwrap().subsidy.not_claimed.is_some(), "{id}");
        for kind in [Applicant::Enterprise, Applicant::Organisation] {
            let l = one(&r, &scenario(kind, "jiaojiang", vec![claim(id, &[])]));
            assert_eq!(l.status, LineStatus::NotClaimed, "{id}");
            assert_eq!(l.amount, None, "{id}");
            assert!(
                l.formula.zh.starts_with("本条不是申请主体申报的扶持"),
                "{}",
                l.formula.zh
            );
        }
    }
}

/// 一（二） "对各个产业带选品中心或线上专区…给予资金支持" names no type of claimant.
#[test]
fn a_clause_that_names_no_claimant_type_pays_every_type() {
    let r = rules();
    assert_eq!(
        r.subsidy("selection-centre").unwrap().subsidy.applicant,
        None
    );
    for kind in [
        Applicant::Enterprise,
        Applicant::Organisation,
        Applicant::TrainingInstitution,
    ] {
        let l = one(
            &r,
            &scenario(
                kind,
                "jiaojiang",
                vec![claim("selection-centre", &[&[("investment", "1000000")]])],
            ),
        );
        assert_eq!(l.status, LineStatus::Counted, "{kind:?}");
        assert_eq!(l.amount, Some(m("300000")), "{kind:?}");
    }
}

/// No two subsidies share a matter unless the text ties them together; the shipped text ties
/// none, so every subsidy is its own matter (就高不重复 is then shown only for what the
/// applicant enters: an award under another policy, or two claims of one subsidy).
#[test]
fn every_subsidy_is_its_own_matter() {
    let r = rules();
    let mut matters: Vec<&str> = r
        .subsidies
        .iter()
        .map(|s| s.subsidy.matter.as_str())
        .collect();
    let n = matters.len();
    matters.sort_unstable();
    matters.dedup();
    assert_eq!(matters.len(), n, "two subsidies share a matter");
}

#[test]
fn a_line_with_an_input_error_is_left_out_of_the_total() {
    let r = rules();
    let e = estimate(
        &r,
        &enterprise(vec![
            claim("trademark", &[&[("fee", "abc")]]),
            claim("patent", &[&[("fee", "1000")]]),
        ]),
    );
    assert_eq!(e.lines[0].status, LineStatus::InputError);
    assert_eq!(e.lines[0].amount, None);
    assert_eq!(e.lines[1].status, LineStatus::Counted);
    assert_eq!(e.city_total, m("500"));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["lines"][0]["status"], "input-error");
    // One good session and one bad: the line waits for the correction as a whole.
    let t = estimate(
        &r,
        &scenario(
            Applicant::TrainingInstitution,
            "jiaojiang",
            vec![claim(
                "training",
                &[
                    &[("cost", "80000"), ("trainees", "150")],
                    &[("cost", "80000"), ("trainees", "x")],
                ],
            )],
        ),
    );
    assert_eq!(t.lines[0].status, LineStatus::InputError);
    assert_eq!(t.lines[0].clause_amount, Some(m("40000")));
    assert_eq!(t.city_total, Money::ZERO);
}

#[test]
fn cap_only_with_costs_gives_the_lower() {
    let r = rules();
    let l = one(
        &r,
        &enterprise(vec![claim("logistics", &[&[("cost", "80000")]])]),
    );
    assert_eq!(l.amount, Some(m("80000")));
    assert_eq!(l.formula.zh, "物流费用8万元，未超过上限10万元");
    let l = one(
        &r,
        &enterprise(vec![claim("logistics", &[&[("cost", "300000")]])]),
    );
    assert_eq!(l.amount, Some(m("100000")));
    assert_eq!(
        l.formula.en,
        "logistics costs RMB 300,000, above the RMB 100,000 cap: RMB 100,000"
    );
    // No costs entered: nothing to count, and the field asks for them (no cap for nothing).
    let none = one(&r, &enterprise(vec![claim("logistics", &[])]));
    assert_eq!(none.status, LineStatus::InputError);
    assert_eq!(none.amount, None);
    assert_eq!(none.errors[0].kind, InputErrorKind::Missing);
    assert_eq!(
        amount(&r, claim("exhibitions", &[&[("cost", "15000")]])),
        m("15000")
    );
    let ev = |inst: &[&[(&str, &str)]]| {
        one(
            &r,
            &scenario(
                Applicant::Organisation,
                "jiaojiang",
                vec![claim("events", inst)],
            ),
        )
    };
    assert_eq!(
        ev(&[&[("cost", "800000")], &[("cost", "300000")]]).amount,
        Some(m("900000"))
    );
}

#[test]
fn an_input_a_clause_does_not_take_is_reported() {
    let e = estimate(
        &rules(),
        &enterprise(vec![claim(
            "logistics",
            &[&[("cost", "5000"), ("fee", "5")]],
        )]),
    );
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.errors[0].kind, InputErrorKind::UnknownInput);
    assert_eq!(e.errors[0].path, "claims[0].instances[0].fee");
    assert_eq!(e.lines[0].status, LineStatus::InputError);
    assert_eq!(e.lines[0].amount, None);
}

// ----- not set ----------------------------------------------------------------------------------

#[test]
fn a_clause_without_an_amount_is_listed_without_one() {
    let r = rules();
    let e = estimate(
        &r,
        &enterprise(vec![
            claim("new-shops", &[]),
            claim("trademark", &[&[("fee", "1000")]]),
        ]),
    );
    let l = &e.lines[0];
    assert_eq!(l.status, LineStatus::NotSet);
    assert_eq!(l.amount, None);
    assert_eq!(l.formula.zh, "本政策未规定金额");
    assert_eq!(l.formula.en, "The policy sets no amount");
    assert!(l.reading.is_some());
    assert_eq!(e.city_total, m("500"));
    assert!(e
        .notices
        .iter()
        .any(|n| n.kind == NoticeKind::NotSet && n.lines == vec![0]));
    for id in [
        "new-shops",
        "bonded-1210",
        "live-streaming",
        "multimodal-hub",
        "bonded-zone-leasing",
        "industry-fund",
        "county-support",
    ] {
        let s = scenario(
            r.subsidy(id)
                .unwrap()
                .subsidy
                .applicant
                .unwrap_or(Applicant::Enterprise),
            "jiaojiang",
            vec![claim(id, &[])],
        );
        assert_eq!(one(&r, &s).amount, None, "{id}");
    }
}

// ----- rounding --------------------------------------------------------------------------------

#[test]
fn rounding_is_half_up_to_the_fen_and_only_at_the_end() {
    let r = rules();
    // Three training sessions: 50% × 80,000.05 = 40,000.025 (exact), 150 trainees exactly at
    // the threshold → 60,000 capped at 50,000, 149 trainees → 0; the sum 90,000.025 is rounded
    // once, half-up, at the end: 90,000.03.
    let t = one(
        &r,
        &training(&[
            &[("cost", "80000.05"), ("trainees", "200")],
            &[("cost", "120000"), ("trainees", "150")],
            &[("cost", "60000"), ("trainees", "149")],
        ]),
    );
    assert_eq!(
        t.steps[0].amount,
        Some(Money(rust_decimal::Decimal::new(40_000_025, 3)))
    );
    assert_eq!(t.amount, Some(m("90000.03")));
    assert!(t.formula.zh.contains("四舍五入到分"), "{}", t.formula.zh);
    let l = one(
        &r,
        &enterprise(vec![claim("trademark", &[&[("fee", "0.05")]])]),
    );
    // 50% × 0.05 = 0.025 exactly; half-up to the fen: 0.03.
    assert_eq!(l.amount, Some(m("0.03")));
    assert_eq!(
        l.steps[0].amount,
        Some(Money(rust_decimal::Decimal::new(25, 3)))
    );
    assert!(l.formula.zh.contains("= 0.025元"), "{}", l.formula.zh);
    assert!(
        l.formula.zh.ends_with("四舍五入到分：0.03元"),
        "{}",
        l.formula.zh
    );
    assert_eq!(
        amount(&r, claim("trademark", &[&[("fee", "1234.57")]])),
        m("617.29")
    );
    assert_eq!(
        amount(&r, claim("trademark", &[&[("fee", "0.01")]])),
        m("0.01")
    );
    // Two instances of 0.025 sum exactly to 0.05 before the one rounding.
    assert_eq!(
        amount(
            &r,
            claim("trademark", &[&[("fee", "0.05")], &[("fee", "0.05")]])
        ),
        m("0.05")
    );
    // Each line is rounded once; the total adds the rounded lines.
    let e = estimate(
        &r,
        &enterprise(vec![
            claim("trademark", &[&[("fee", "0.05")]]),
            claim("patent", &[&[("fee", "0.05")]]),
        ]),
    );
    assert_eq!(e.city_total, m("0.06"));
}

// ----- the 附则 ---------------------------------------------------------------------------------

#[test]
fn a_dishonest_applicant_gets_nothing_and_is_told_why() {
    let r = rules();
    let mut s = enterprise(vec![
        claim("trademark", &[&[("fee", "120000")]]),
        claim("new-shops", &[]),
    ]);
    s.applicant.dishonest = true;
    let e = estimate(&r, &s);
    assert!(!e.eligible);
    assert_eq!(e.lines[0].status, LineStatus::Ineligible);
    assert_eq!(e.lines[0].amount, Some(Money::ZERO));
    assert_eq!(e.lines[0].clause_amount, Some(m("60000")));
    assert_eq!(e.lines[1].amount, None);
    assert_eq!(e.city_total, Money::ZERO);
    let n = e
        .notices
        .iter()
        .find(|n| n.kind == NoticeKind::Ineligible)
        .unwrap();
    assert_eq!(n.clause.as_ref().unwrap().id, r.policy.eligibility.id);
    assert!(n.clause.as_ref().unwrap().text.zh.contains("严重失信名单"));
}

#[test]
fn a_subsidy_for_another_applicant_type_counts_nothing() {
    let e = estimate(
        &rules(),
        &enterprise(vec![claim(
            "training",
            &[&[("cost", "80000"), ("trainees", "200")]],
        )]),
    );
    assert_eq!(e.lines[0].status, LineStatus::WrongApplicant);
    assert_eq!(e.lines[0].amount, Some(Money::ZERO));
    assert_eq!(e.city_total, Money::ZERO);
    assert!(e
        .notices
        .iter()
        .any(|n| n.kind == NoticeKind::WrongApplicant));
}

#[test]
fn a_county_sees_reference_figures_outside_the_city_total() {
    let r = rules();
    let s = scenario(
        Applicant::Enterprise,
        "wenling",
        vec![claim("trademark", &[&[("fee", "300000")]])],
    );
    let e = estimate(&r, &s);
    assert_eq!(e.place.as_ref().unwrap().kind, PlaceKind::County);
    assert!(e.reference_only && e.lines[0].reference_only);
    assert_eq!(e.lines[0].amount, Some(m("100000")));
    assert_eq!(e.city_total, Money::ZERO);
    assert_eq!(e.reference_total, m("100000"));
    let n = e
        .notices
        .iter()
        .find(|n| n.kind == NoticeKind::County)
        .unwrap();
    assert_eq!(n.clause.as_ref().unwrap().id, r.policy.scope.id);
    assert!(n.message.zh.starts_with("温岭市"));
    // 各县（市）参照执行: implemented under the county's own rules, so its government is named.
    let units: Vec<&str> = n.units.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(units, ["counties"]);
    assert!(
        n.message.en.contains("own implementing rules and budgets"),
        "{}",
        n.message.en
    );
}

#[test]
fn an_unknown_place_is_an_error_and_reference_only() {
    let e = estimate(
        &rules(),
        &scenario(
            Applicant::Enterprise,
            "atlantis",
            vec![claim("trademark", &[&[("fee", "1000")]])],
        ),
    );
    assert_eq!(e.errors[0].path, "applicant.place");
    assert_eq!(e.errors[0].kind, InputErrorKind::UnknownPlace);
    assert_eq!(e.city_total, Money::ZERO);
    assert_eq!(e.reference_total, m("500"));
    assert!(e.notices.iter().any(|n| n.kind == NoticeKind::UnknownPlace));
}

/// The fixture with trademark and patent filed under one matter, to test both directions.
fn same_matter_rules() -> RuleSet {
    let mut r = rules();
    for s in &mut r.subsidies {
        if s.subsidy.id == "patent" {
            s.subsidy.matter = "trademark".into();
        }
    }
    r
}

#[test]
fn of_two_claims_for_one_matter_only_the_higher_counts() {
    let r = same_matter_rules();
    for (tm_fee, pt_fee, winner) in [
        ("120000", "300000", 1),
        ("300000", "120000", 0),
        ("100000", "100000", 0),
    ] {
        let e = estimate(
            &r,
            &enterprise(vec![
                claim("trademark", &[&[("fee", tm_fee)]]),
                claim("patent", &[&[("fee", pt_fee)]]),
            ]),
        );
        let loser = 1 - winner;
        assert_eq!(e.lines[winner].status, LineStatus::Counted);
        assert_eq!(e.lines[loser].status, LineStatus::SameMatter);
        assert_eq!(e.lines[loser].amount, Some(Money::ZERO));
        assert_eq!(e.city_total, e.lines[winner].amount.unwrap());
        let n = e
            .notices
            .iter()
            .find(|n| n.kind == NoticeKind::NoStacking)
            .unwrap();
        assert_eq!(n.clause.as_ref().unwrap().id, r.policy.no_stacking.id);
        // The comparison is shown, with both amounts.
        let a = e.lines[loser].clause_amount.unwrap().display(Lang::Zh);
        let b = e.lines[winner].amount.unwrap().display(Lang::Zh);
        assert!(
            n.message.zh.contains(&a) && n.message.zh.contains(&b),
            "{}",
            n.message.zh
        );
    }
}

/// 四（四）'s county support names brands and exhibitions among its cases; the text does not
/// make it one matter with the city's brand award, so the two are not joined.
#[test]
fn county_support_is_not_joined_to_the_city_brand_award() {
    let c = calculator::Claim {
        subsidy: "provincial-brand".into(),
        instances: vec![calculator::Instance::met()],
        other_award: None,
    };
    let e = estimate(&rules(), &enterprise(vec![c, claim("county-support", &[])]));
    assert_eq!(e.lines[0].amount, Some(m("100000")));
    assert_eq!(e.lines[1].status, LineStatus::NotSet);
    assert!(e.lines[1].notes.is_empty());
    assert!(!e.notices.iter().any(|n| n.kind == NoticeKind::NoStacking));
    assert_eq!(e.city_total, m("100000"));
}

#[test]
fn an_award_under_another_policy_is_compared_both_ways() {
    let r = rules();
    let with_other = |fee: &str, other: &str| {
        let mut c = claim("trademark", &[&[("fee", fee)]]);
        c.other_award = Some(other.into());
        estimate(&r, &enterprise(vec![c]))
    };
    // Ours 60,000 against 80,000 elsewhere: the other is higher, this line counts 0.
    let e = with_other("120000", "80000");
    assert_eq!(e.lines[0].status, LineStatus::OtherAwardHigher);
    assert_eq!(e.lines[0].amount, Some(Money::ZERO));
    assert_eq!(e.city_total, Money::ZERO);
    let n = e
        .notices
        .iter()
        .find(|n| n.kind == NoticeKind::OtherAward)
        .unwrap();
    assert!(n.message.zh.contains("8万元") && n.message.zh.contains("6万元"));
    // Ours 60,000 against 20,000: ours is higher and counts.
    let e = with_other("120000", "20000");
    assert_eq!(e.lines[0].status, LineStatus::Counted);
    assert_eq!(e.city_total, m("60000"));
    assert_eq!(e.lines[0].notes.len(), 1);
    // Equal: not higher, so nothing more from this policy.
    assert_eq!(with_other("120000", "60000").city_total, Money::ZERO);
    // A bad amount is an error at its path, and the line counts as if none were given.
    let e = with_other("120000", "1e5");
    assert_eq!(e.errors[0].path, "claims[0].other_award");
    assert_eq!(e.notices[0].kind, NoticeKind::InputErrors);
    assert_eq!(e.city_total, m("60000"));
}

#[test]
fn every_estimate_says_the_implementing_rules_are_to_come() {
    let r = rules();
    let e = estimate(&r, &enterprise(vec![]));
    let n = e
        .notices
        .iter()
        .find(|n| n.kind == NoticeKind::ImplementingRules)
        .unwrap();
    assert_eq!(
        n.clause.as_ref().unwrap().id,
        r.policy.implementing_rules.id
    );
    let ids: Vec<&str> = n.units.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["commerce", "finance"]);
    assert!(
        n.message.zh.contains("市商务局和市财政局"),
        "{}",
        n.message.zh
    );
    assert_eq!(e.city_total, Money::ZERO);
}

#[test]
fn unknown_and_repeated_subsidies_are_errors_not_panics() {
    let e = estimate(
        &rules(),
        &enterprise(vec![
            claim("no-such-thing", &[&[("fee", "1")]]),
            claim("trademark", &[&[("fee", "1000")]]),
            claim("trademark", &[&[("fee", "1000")]]),
        ]),
    );
    assert_eq!(e.lines[0].status, LineStatus::UnknownSubsidy);
    assert_eq!(e.lines[0].amount, None);
    assert_eq!(e.lines[2].status, LineStatus::Duplicate);
    let kinds: Vec<_> = e
        .errors
        .iter()
        .map(|x| (x.path.as_str(), x.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("claims[0].subsidy", InputErrorKind::UnknownSubsidy),
            ("claims[2].subsidy", InputErrorKind::DuplicateClaim)
        ]
    );
    assert_eq!(e.city_total, m("500"));
}

#[test]
fn amounts_are_validated_by_money_parse() {
    let r = rules();
    for (raw, err) in [
        ("1e5", MoneyError::NotANumber),
        ("-5", MoneyError::Negative),
        ("1.234", MoneyError::TooManyDecimals),
        ("1000000000000", MoneyError::TooLarge),
    ] {
        let e = estimate(
            &r,
            &enterprise(vec![claim("trademark", &[&[("fee", raw)]])]),
        );
        assert_eq!(e.errors[0].path, "claims[0].instances[0].fee");
        assert_eq!(e.errors[0].kind, InputErrorKind::Money(err));
        assert_eq!(e.city_total, Money::ZERO);
    }
    let e = estimate(&r, &enterprise(vec![claim("trademark", &[&[]])]));
    assert_eq!(e.errors[0].kind, InputErrorKind::Missing);
}

#[test]
fn a_rule_change_in_the_data_reaches_the_estimate() {
    let mut r = rules();
    for s in &mut r.subsidies {
        if let calculator::Amount::Rate { caps, .. } = &mut s.subsidy.amount {
            if s.subsidy.id == "trademark" {
                caps[0].amount = m("80000");
            }
        }
    }
    let l = one(
        &r,
        &enterprise(vec![claim("trademark", &[&[("fee", "300000")]])]),
    );
    assert_eq!(l.amount, Some(m("80000")));
    assert!(l.formula.zh.ends_with("超过上限8万元，按8万元计"));
}

#[test]
fn the_estimate_serializes_for_format_json() {
    let e = estimate(
        &rules(),
        &enterprise(vec![
            claim("trademark", &[&[("fee", "120000")]]),
            claim("new-shops", &[]),
        ]),
    );
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["city_total"], "60000");
    assert_eq!(v["lines"][0]["amount"], "60000");
    assert_eq!(v["lines"][0]["status"], "counted");
    assert_eq!(v["lines"][0]["task_units"]["editorial"], true);
    assert_eq!(v["lines"][1]["amount"], serde_json::Value::Null);
    assert_eq!(v["lines"][1]["status"], "not-set");
    assert_eq!(v["place"]["kind"], "city-district");
    assert!(v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "implementing-rules"));
}

/// The list of measures says each one's ceiling and condition in a few words, from its data.
#[test]
fn each_measure_is_summarised_in_a_few_words() {
    let r = rules();
    let sum = |id: &str, l| calculator::measure_summary(&r.subsidy(id).unwrap().subsidy, l);
    assert_eq!(
        sum("trademark", Lang::Zh),
        "商标国际注册费用50%，单家企业上限10万元"
    );
    assert_eq!(
        sum("trademark", Lang::En),
        "50% of international trademark registration fees; up to RMB 100,000 per enterprise"
    );
    assert!(sum("training", Lang::En).contains("at least 150 trainees per session"));
    assert_eq!(
        sum("training", Lang::Zh),
        "实际培训费用50%，每个场次上限5万元，单个机构全年累计上限50万元，每场培训人数不少于150人"
    );
    assert!(sum("qualified-enterprise", Lang::Zh).starts_with("条件待实施细则明确"));
    assert_eq!(sum("new-shops", Lang::En), "no amount set by this policy");
    assert!(sum("credit-insurance", Lang::Zh).starts_with("不超过出口信保保费60%"));
}

/// Money is written one way per language within a sentence: a sentence that would mix the
/// clause's 万 / million with plain figures writes them all plainly.
#[test]
fn money_is_written_one_way_within_a_sentence() {
    let r = rules();
    let l = one(
        &r,
        &enterprise(vec![claim("trademark", &[&[("fee", "1234")]])]),
    );
    assert_eq!(l.formula.zh, "50% × 1,234元 = 617元，未超过上限100,000元");
    assert_eq!(
        l.formula.en,
        "50% × RMB 1,234 = RMB 617, below the RMB 100,000 cap"
    );
    let c = one(
        &r,
        &scenario(
            Applicant::Organisation,
            "jiaojiang",
            vec![claim("selection-centre", &[&[("investment", "5000000")]])],
        ),
    );
    // 30% × RMB 5 million = RMB 1,500,000 would mix: all plain.
    assert_eq!(
        c.formula.en,
        "30% × RMB 5,000,000 = RMB 1,500,000, below the RMB 2,000,000 cap"
    );
    // All in the clause's style: left as it is.
    let t = one(
        &r,
        &enterprise(vec![claim("trademark", &[&[("fee", "120000")]])]),
    );
    assert_eq!(t.formula.zh, "50% × 12万元 = 6万元，未超过上限10万元");
}
