//! The estimate: what each clause allows for a scenario, line by line, with the formula in the
//! policy's own terms, the clause, the units, and the 附则 notices that qualify every figure.
//!
//! The engine knows no figure of the policy: rates, caps, thresholds, sums and every clause it
//! quotes come from the [`RuleSet`]. It never panics on a reader's input: a bad amount becomes an
//! [`InputError`] on the line and that instance counts zero. Arithmetic is exact; each line's
//! final amount is rounded half-up to the fen once, and the totals add those rounded amounts.

mod clause;
mod provisions;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::money::Money;
use crate::rules::{Applicant, CapScope};
use crate::ruleset::{
    ClauseRef, DocumentInfo, Place, PlaceKind, RuleSet, SubsidyRule, TaskRef, UnitRef,
};
use crate::scenario::{Claim, InputError, InputErrorKind, Scenario};
use crate::text::{Lang, Text};
use crate::words::{self, both};

use clause::{compute, Computed};
use provisions::{
    apply_ineligible, apply_no_stacking, apply_other_awards, apply_wrong_applicant,
    implementing_rules_notice, notice,
};

/// The result of one estimate: lines, notices, totals, and what the print view heads them with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// The rule-set version the estimate used.
    pub version: String,
    /// The document the rules come from (number, title, validity).
    pub document: DocumentInfo,
    /// The applicant type the scenario gave.
    pub applicant: Applicant,
    /// The place the scenario gave, if the rule set knows it.
    pub place: Option<Place>,
    /// False when the applicant is on the serious-dishonesty list or joint-punishment catalogue.
    pub eligible: bool,
    /// True when the figures are for reference only (a county, or an unknown place).
    pub reference_only: bool,
    /// One line per claim, in the scenario's order.
    pub lines: Vec<Line>,
    /// The 附则 notices and other remarks, each quoting its clause.
    pub notices: Vec<Notice>,
    /// Every input that could not be used, with its path.
    pub errors: Vec<InputError>,
    /// The upper bound in the city districts: the sum of the counted lines.
    pub city_total: Money,
    /// The same sum for a county applicant (or an unknown place): for reference only.
    pub reference_total: Money,
}

/// One claim's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// The claim's index in the scenario.
    pub claim: usize,
    /// The subsidy id as the scenario gave it.
    pub subsidy: String,
    /// The subsidy's name (the id itself when the rule set lacks it).
    pub name: Text,
    /// Whether and how the line counts.
    pub status: LineStatus,
    /// The clause the subsidy comes from.
    pub clause: Option<ClauseRef>,
    /// Units the attachment's text names for it.
    pub text_units: Vec<UnitRef>,
    /// Units of the action-plan tasks it serves: our editorial link.
    pub task_units: EditorialUnits,
    /// The tasks it serves.
    pub tasks: Vec<TaskRef>,
    /// The editor's note on how the clause is read, shown beside the result.
    pub reading: Option<Text>,
    /// What the clause allows for the inputs, rounded to the fen; `None`: the policy sets no
    /// amount.
    pub clause_amount: Option<Money>,
    /// What counts towards the total after the 附则 (eligibility, no stacking); `None`: the
    /// policy sets no amount, its conditions are still to be set, or an input is wrong.
    pub amount: Option<Money>,
    /// For a line whose conditions the implementing rules are still to set: the clause's
    /// ceiling (its tightest cap, or its fixed sum), shown apart and never added to a total.
    pub ceiling: Option<Money>,
    /// Marked reference only: a county applicant, or an unknown place.
    pub reference_only: bool,
    /// One step per instance.
    pub steps: Vec<Step>,
    /// Which caps or thresholds bound the amount.
    pub bound_by: Vec<Bound>,
    /// The whole computation in the policy's terms.
    pub formula: Text,
    /// Why the counted amount differs from the clause amount, if it does.
    pub notes: Vec<Text>,
    /// Inputs of this claim that could not be used.
    pub errors: Vec<InputError>,
    /// Who the clause pays (`None` for an unknown subsidy).
    pub applicant: Option<Applicant>,
    /// The matter for the no-stacking rule (`None` for an unknown subsidy).
    pub matter: Option<String>,
}

/// Units linked by us, not by the text: always shown marked as editorial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditorialUnits {
    /// Always true: a reader of the JSON must not take these for the text's own units.
    pub editorial: bool,
    /// The units.
    pub units: Vec<UnitRef>,
}

/// Whether and how a line counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineStatus {
    /// The amount counts (towards the reference total when the line is reference only).
    Counted,
    /// The policy sets no amount: listed, never given a figure.
    NotSet,
    /// The applicant is not a recipient of support (dishonesty list): 0.
    Ineligible,
    /// The subsidy pays another type of applicant: 0.
    WrongApplicant,
    /// Another claim for the same matter is higher (就高不重复): 0.
    SameMatter,
    /// An award under another policy for the same matter is at least as high: 0.
    OtherAwardHigher,
    /// The subsidy is claimed a second time in the scenario: 0.
    Duplicate,
    /// The rule set has no subsidy with this id.
    UnknownSubsidy,
    /// The clause's conditions are still to be set by the implementing rules (符合条件的…):
    /// listed apart with its ceiling, never in a total.
    ConditionsPending,
    /// The clause names its own beneficiary or supports no applicant's claim: listed only.
    NotClaimed,
    /// An input of the line cannot be used: nothing counts until it is corrected.
    InputError,
}

impl crate::text::Code for LineStatus {
    const ALL: &'static [LineStatus] = &[
        LineStatus::Counted,
        LineStatus::NotSet,
        LineStatus::Ineligible,
        LineStatus::WrongApplicant,
        LineStatus::SameMatter,
        LineStatus::OtherAwardHigher,
        LineStatus::Duplicate,
        LineStatus::UnknownSubsidy,
        LineStatus::ConditionsPending,
        LineStatus::NotClaimed,
        LineStatus::InputError,
    ];

    fn code(self) -> &'static str {
        match self {
            LineStatus::Counted => "counted",
            LineStatus::NotSet => "not-set",
            LineStatus::Ineligible => "ineligible",
            LineStatus::WrongApplicant => "wrong-applicant",
            LineStatus::SameMatter => "same-matter",
            LineStatus::OtherAwardHigher => "other-award-higher",
            LineStatus::Duplicate => "duplicate",
            LineStatus::UnknownSubsidy => "unknown-subsidy",
            LineStatus::ConditionsPending => "conditions-pending",
            LineStatus::NotClaimed => "not-claimed",
            LineStatus::InputError => "input-error",
        }
    }
}

impl LineStatus {
    /// The key of this status's words in `content/site.yaml`, shared by the app and the page.
    pub fn word_key(self) -> &'static str {
        match self {
            LineStatus::Counted => "calc_status_counted",
            LineStatus::NotSet => "calc_not_set",
            LineStatus::Ineligible => "calc_status_ineligible",
            LineStatus::WrongApplicant => "calc_status_wrong_applicant",
            LineStatus::SameMatter => "calc_status_same_matter",
            LineStatus::OtherAwardHigher => "calc_status_other_award",
            LineStatus::Duplicate => "calc_status_duplicate",
            LineStatus::UnknownSubsidy => "calc_unknown",
            LineStatus::ConditionsPending => "calc_status_conditions_pending",
            LineStatus::NotClaimed => "calc_status_not_claimed",
            LineStatus::InputError => "calc_status_input_error",
        }
    }
}

/// One instance's computation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// `场次2` / `Session 2`, when the claim has several instances.
    pub label: Option<Text>,
    /// The base amount entered, if valid.
    pub base: Option<Money>,
    /// The count entered for the threshold, if valid.
    pub count: Option<u64>,
    /// The instance's amount, exact (not yet rounded); `None`: bounded only by a later cap.
    pub amount: Option<Money>,
    /// The cap or threshold that bound this instance.
    pub bound_by: Option<Bound>,
    /// The instance's formula.
    pub formula: Text,
}

/// A limit that decided an amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Bound {
    /// A cap, and what it is counted per.
    Cap {
        /// The cap.
        amount: Money,
        /// Per instance, applicant or applicant-year.
        per: CapScope,
    },
    /// A threshold that an instance did not reach.
    Threshold {
        /// The input id (`trainees`).
        id: String,
        /// The least count that qualifies.
        min: Decimal,
    },
}

/// A remark on the whole estimate, quoting the clause it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// What the notice is about.
    pub kind: NoticeKind,
    /// The message.
    pub message: Text,
    /// The clause quoted, both languages.
    pub clause: Option<ClauseRef>,
    /// Units to contact (those drawing up the implementing rules).
    pub units: Vec<UnitRef>,
    /// The lines (claim indexes) it concerns.
    pub lines: Vec<usize>,
}

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// Some inputs could not be used.
    InputErrors,
    /// The applicant is not a recipient of support.
    Ineligible,
    /// A county applicant: reference only.
    County,
    /// The place is unknown: reference only.
    UnknownPlace,
    /// A subsidy paid to another type of applicant.
    WrongApplicant,
    /// Two claims for one matter: the higher applies.
    NoStacking,
    /// An award under another policy for the same matter: the higher applies.
    OtherAward,
    /// Clauses that set no amount.
    NotSet,
    /// Clauses whose conditions the implementing rules are still to set: ceilings listed apart.
    ConditionsPending,
    /// The implementing rules are still to be drawn up: every figure is a ceiling.
    ImplementingRules,
}

/// Computes the estimate for a scenario under a rule set. Never panics.
pub fn estimate(rules: &RuleSet, scenario: &Scenario) -> Estimate {
    let mut errors = Vec::new();
    let profile = &scenario.applicant;
    let place = rules.place(&profile.place).cloned();
    if place.is_none() {
        errors.push(InputError::new(
            "applicant.place",
            InputErrorKind::UnknownPlace,
        ));
    }
    // Only the city districts execute the policy (附则（五）); a county, or a place we cannot
    // place, gets figures for reference only.
    let reference_only = place.as_ref().is_none_or(|p| p.kind == PlaceKind::County);

    let mut lines: Vec<Line> = Vec::new();
    for (i, claim) in scenario.claims.iter().enumerate() {
        let path = format!("claims[{i}]");
        let mut line = match rules.subsidy(&claim.subsidy) {
            None => {
                let e = InputError::new(format!("{path}.subsidy"), InputErrorKind::UnknownSubsidy);
                unknown_line(i, claim, e)
            }
            Some(rule) if lines.iter().any(|l| l.subsidy == claim.subsidy) => {
                let e = InputError::new(format!("{path}.subsidy"), InputErrorKind::DuplicateClaim);
                let mut l = rule_line(i, rule, Computed::zero(e.text()));
                l.status = LineStatus::Duplicate;
                l.errors.push(e);
                l
            }
            Some(rule) => rule_line(i, rule, compute(rule, claim, &path)),
        };
        line.reference_only = reference_only;
        errors.extend(line.errors.iter().cloned());
        lines.push(line);
    }

    let mut notices = Vec::new();
    if profile.dishonest {
        apply_ineligible(rules, &mut lines, &mut notices);
    } else {
        apply_wrong_applicant(profile.kind, &mut lines, &mut notices);
        apply_other_awards(rules, scenario, &mut lines, &mut notices, &mut errors);
        apply_no_stacking(rules, &mut lines, &mut notices);
    }
    match &place {
        Some(p) if p.kind == PlaceKind::County => notices.push(Notice {
            units: rules.policy.scope_units.clone(),
            ..notice(
            NoticeKind::County,
            both(|l| match l {
                Lang::Zh => format!(
                    "{}属于县（市）。本政策执行范围为台州市区，各县（市）参照执行，即按各自的实施办法和财政预算执行：以下金额是按本政策计算的参考数，不计入市区合计；请向所在县（市）政府了解当地规定。",
                    p.name.zh
                ),
                Lang::En => format!(
                    "{} is a county (county-level city). The policy applies in the city districts of Taizhou; the counties implement it by reference, under their own implementing rules and budgets: the figures below are a reference computed under this policy, not part of the city total. Ask your county government about its own rules.",
                    p.name.en
                ),
            }),
            Some(rules.policy.scope.clone()),
            lines.iter().map(|l| l.claim).collect(),
        )
        }),
        Some(_) => {}
        None => notices.push(notice(
            NoticeKind::UnknownPlace,
            both(|l| match l {
                Lang::Zh => "未选择所在地或无法识别：本政策执行范围为台州市区，以下金额仅供参考，不计入市区合计。".into(),
                Lang::En => "The place of operation is missing or unknown. The policy applies in the city districts of Taizhou: the figures below are for reference only and are not part of the city total.".into(),
            }),
            Some(rules.policy.scope.clone()),
            lines.iter().map(|l| l.claim).collect(),
        )),
    }
    let not_set: Vec<&Line> = lines
        .iter()
        .filter(|l| l.status == LineStatus::NotSet)
        .collect();
    if !not_set.is_empty() {
        let names = |lang| {
            let n: Vec<String> = not_set
                .iter()
                .map(|l| words::quoted(&l.name, lang))
                .collect();
            n.join(if lang == Lang::Zh { "、" } else { ", " })
        };
        let message = both(|l| match l {
            Lang::Zh => format!("{}：本政策未规定金额，不计入合计。", names(l)),
            Lang::En => format!(
                "{}: the policy sets no amount; not part of the total.",
                names(l)
            ),
        });
        let ids = not_set.iter().map(|l| l.claim).collect();
        notices.push(notice(NoticeKind::NotSet, message, None, ids));
    }
    let pending: Vec<&Line> = lines
        .iter()
        .filter(|l| l.status == LineStatus::ConditionsPending)
        .collect();
    if !pending.is_empty() {
        let items = |lang| {
            let n: Vec<String> = pending
                .iter()
                .map(|l| {
                    let name = words::quoted(&l.name, lang);
                    match (l.ceiling, lang) {
                        (Some(c), Lang::Zh) => format!("{name}（上限{}）", words::figure(c, lang)),
                        (Some(c), Lang::En) => format!("{name} (up to {})", words::figure(c, lang)),
                        (None, _) => name,
                    }
                })
                .collect();
            n.join(if lang == Lang::Zh { "、" } else { "; " })
        };
        let message = both(|l| {
            match l {
            Lang::Zh => format!(
                "条件待实施细则明确：{}。条文只定上限，申请条件由实施细则另行制定，能否获得、获得多少目前无法估算，故单列于此，不计入合计。",
                items(l)
            ),
            Lang::En => format!(
                "Conditions to be set by the implementing rules: {}. The clause sets only a ceiling and leaves the conditions to the implementing rules, so whether and how much an applicant may receive cannot be estimated yet: listed apart, not part of any total.",
                items(l)
            ),
        }
        });
        let mut n = notice(
            NoticeKind::ConditionsPending,
            message,
            Some(rules.policy.implementing_rules.clone()),
            pending.iter().map(|l| l.claim).collect(),
        );
        n.units = rules.policy.implementing_units.clone();
        notices.push(n);
    }
    notices.push(implementing_rules_notice(rules));
    // Last, so that errors found while applying the 附则 (an other award) are counted too; first
    // in the list, because a reader must fix them before trusting any figure.
    if !errors.is_empty() {
        let message = both(|l| {
            match l {
            Lang::Zh => "部分输入有误：有误的项目暂不计入合计，请按提示修改。".into(),
            Lang::En => "Some inputs cannot be used: the lines that have them are left out of the total until they are corrected as shown.".into(),
        }
        });
        let ids = lines
            .iter()
            .filter(|l| !l.errors.is_empty())
            .map(|l| l.claim)
            .collect();
        notices.insert(0, notice(NoticeKind::InputErrors, message, None, ids));
    }

    let mut city_total = Money::ZERO;
    let mut reference_total = Money::ZERO;
    for l in lines.iter().filter(|l| l.status == LineStatus::Counted) {
        let a = l.amount.unwrap_or(Money::ZERO);
        if l.reference_only {
            reference_total = Money(reference_total.0 + a.0);
        } else {
            city_total = Money(city_total.0 + a.0);
        }
    }

    // One way of writing money per sentence, in every text the reader sees.
    for l in &mut lines {
        words::one_money_style(&mut l.formula);
        l.notes.iter_mut().for_each(words::one_money_style);
        l.steps
            .iter_mut()
            .for_each(|s| words::one_money_style(&mut s.formula));
    }
    notices
        .iter_mut()
        .for_each(|n| words::one_money_style(&mut n.message));

    Estimate {
        version: rules.version.clone(),
        document: rules.document.clone(),
        applicant: profile.kind,
        place,
        eligible: !profile.dishonest,
        reference_only,
        lines,
        notices,
        errors,
        city_total,
        reference_total,
    }
}

/// The line for a subsidy id the rule set lacks: an error, never a panic, never a figure.
fn unknown_line(i: usize, claim: &Claim, e: InputError) -> Line {
    let name = Text {
        zh: claim.subsidy.clone(),
        en: claim.subsidy.clone(),
    };
    Line {
        claim: i,
        subsidy: claim.subsidy.clone(),
        name,
        status: LineStatus::UnknownSubsidy,
        clause: None,
        text_units: Vec::new(),
        task_units: EditorialUnits {
            editorial: true,
            units: Vec::new(),
        },
        tasks: Vec::new(),
        reading: None,
        clause_amount: None,
        amount: None,
        ceiling: None,
        reference_only: false,
        steps: Vec::new(),
        bound_by: Vec::new(),
        formula: e.text(),
        notes: Vec::new(),
        errors: vec![e],
        applicant: None,
        matter: None,
    }
}

fn rule_line(i: usize, rule: &SubsidyRule, c: Computed) -> Line {
    let s = &rule.subsidy;
    let rounded = c.amount.map(Money::round_to_fen);
    let status = if s.not_claimed.is_some() {
        LineStatus::NotClaimed
    } else if s.pending_condition.is_some() {
        LineStatus::ConditionsPending
    } else if !c.errors.is_empty() {
        LineStatus::InputError
    } else if rounded.is_some() {
        LineStatus::Counted
    } else {
        LineStatus::NotSet
    };
    // Only a counted line carries an amount: a line with a wrong input shows what its valid
    // instances give (`clause_amount`) but adds nothing until the input is corrected.
    let amount = rounded.filter(|_| status == LineStatus::Counted);
    Line {
        claim: i,
        subsidy: s.id.clone(),
        name: s.name.clone(),
        status,
        clause: Some(rule.clause.clone()),
        text_units: rule.text_units.clone(),
        task_units: EditorialUnits {
            editorial: true,
            units: rule.task_units.clone(),
        },
        tasks: rule.tasks.clone(),
        reading: s.reading.clone(),
        clause_amount: rounded,
        amount,
        ceiling: c.ceiling,
        reference_only: false,
        steps: c.steps,
        bound_by: c.bound_by,
        formula: c.formula,
        notes: Vec::new(),
        errors: c.errors,
        applicant: s.applicant,
        matter: Some(s.matter.clone()),
    }
}
