//! The estimate: what each clause allows for a scenario, line by line, with the formula in the
//! policy's own terms, the clause, the units, and the 附则 notices that qualify every figure.
//!
//! The engine knows no figure of the policy: rates, caps, thresholds, sums and every clause it
//! quotes come from the [`RuleSet`]. It never panics on a reader's input: a bad amount becomes an
//! [`InputError`] on the line and that instance counts zero. Arithmetic is exact; each line's
//! final amount is rounded half-up to the fen once, and the totals add those rounded amounts.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::money::{Money, Rate};
use crate::rules::{Amount, Applicant, Base, Cap, CapScope, Threshold};
use crate::ruleset::{
    ClauseRef, DocumentInfo, Place, PlaceKind, RuleSet, SubsidyRule, TaskRef, UnitRef,
};
use crate::scenario::{
    parse_amount, parse_count, Claim, InputError, InputErrorKind, Instance, Scenario, MET,
};
use crate::text::{Lang, Text};
use crate::words::{self, both, CapWords};

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
    /// policy sets no amount.
    pub amount: Option<Money>,
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
        Some(p) if p.kind == PlaceKind::County => notices.push(notice(
            NoticeKind::County,
            both(|l| match l {
                Lang::Zh => format!(
                    "{}属于县（市）。本政策执行范围为台州市区，各县（市）参照执行：以下金额仅供参考，不计入市区合计。",
                    p.name.zh
                ),
                Lang::En => format!(
                    "{} is a county-level area. The policy applies in the city districts of Taizhou and the counties only refer to it: the figures below are for reference only and are not part of the city total.",
                    p.name.en
                ),
            }),
            Some(rules.policy.scope.clone()),
            lines.iter().map(|l| l.claim).collect(),
        )),
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
    notices.push(implementing_rules_notice(rules));
    // Last, so that errors found while applying the 附则 (an other award) are counted too; first
    // in the list, because a reader must fix them before trusting any figure.
    if !errors.is_empty() {
        let message = both(|l| {
            match l {
            Lang::Zh => "部分输入有误，未参与计算（有误的场次或项目按0元计）：请按提示修改。".into(),
            Lang::En => "Some inputs cannot be used and are left out (an instance with one counts RMB 0): correct them as shown.".into(),
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

fn notice(kind: NoticeKind, message: Text, clause: Option<ClauseRef>, lines: Vec<usize>) -> Notice {
    Notice {
        kind,
        message,
        clause,
        units: Vec::new(),
        lines,
    }
}

fn implementing_rules_notice(rules: &RuleSet) -> Notice {
    let units = &rules.policy.implementing_units;
    let names = |lang| {
        let n: Vec<&str> = units.iter().map(|u| u.name.get(lang)).collect();
        words::join_names(&n, lang)
    };
    Notice {
        kind: NoticeKind::ImplementingRules,
        message: both(|l| {
            match l {
            Lang::Zh => format!(
                "具体实施细则由{}牵头另行制定，尚未出台：以上金额均为按条文计算的上限，不是承诺；申报条件和实际金额以实施细则为准。",
                names(l)
            ),
            Lang::En => format!(
                "The implementing rules are still to be drawn up, under the lead of the units responsible ({}): every figure here is a ceiling computed from the clause text, not a promise; the conditions and the actual amounts are for those rules to set.",
                names(l)
            ),
        }
        }),
        clause: Some(rules.policy.implementing_rules.clone()),
        units: units.clone(),
        lines: Vec::new(),
    }
}

/// 附则（一）: an applicant on the dishonesty list is not a recipient of support at all.
fn apply_ineligible(rules: &RuleSet, lines: &mut [Line], notices: &mut Vec<Notice>) {
    let reason = both(|l| {
        match l {
        Lang::Zh => "申报主体列入严重失信名单或联合惩戒目录，不属于本政策支持对象：按0元计。".into(),
        Lang::En => "An applicant on the serious-dishonesty list or in the joint-punishment catalogue is not a recipient of support under this policy: RMB 0.".into(),
    }
    });
    let mut ids = Vec::new();
    for line in lines.iter_mut() {
        if let LineStatus::Counted = line.status {
            line.status = LineStatus::Ineligible;
            line.amount = Some(Money::ZERO);
            line.notes.push(reason.clone());
            ids.push(line.claim);
        }
    }
    notices.push(notice(
        NoticeKind::Ineligible,
        both(|l| match l {
            Lang::Zh => "申报主体列入严重失信名单或联合惩戒目录，不属于本政策支持对象：各项金额均按0元计。".into(),
            Lang::En => "An applicant on the serious-dishonesty list or in the joint-punishment catalogue is not a recipient of support under this policy: every amount is RMB 0.".into(),
        }),
        Some(rules.policy.eligibility.clone()),
        ids,
    ));
}

/// A clause pays one type of applicant; for another it counts nothing.
fn apply_wrong_applicant(kind: Applicant, lines: &mut [Line], notices: &mut Vec<Notice>) {
    for line in lines.iter_mut() {
        let Some(payee) = line.applicant else {
            continue;
        };
        if payee == kind || line.status != LineStatus::Counted {
            continue;
        }
        let message = both(|l| match l {
            Lang::Zh => format!(
                "{}的支持对象为{}，与所选申报主体类型不符：按0元计。",
                words::quoted(&line.name, l),
                words::applicant(payee, l)
            ),
            Lang::En => format!(
                "{} is paid to {}, not to the type of applicant chosen: RMB 0.",
                words::quoted(&line.name, l),
                words::applicant(payee, l)
            ),
        });
        line.status = LineStatus::WrongApplicant;
        line.amount = Some(Money::ZERO);
        line.notes.push(message.clone());
        notices.push(notice(
            NoticeKind::WrongApplicant,
            message,
            line.clause.clone(),
            vec![line.claim],
        ));
    }
}

/// 附则（四）against awards under other policies: the higher applies, without duplication. When
/// the other award is at least this line's amount, this line counts 0; otherwise this line
/// counts in full and the other award is not to be enjoyed as well.
fn apply_other_awards(
    rules: &RuleSet,
    scenario: &Scenario,
    lines: &mut [Line],
    notices: &mut Vec<Notice>,
    errors: &mut Vec<InputError>,
) {
    for line in lines.iter_mut() {
        let Some(raw) = scenario
            .claims
            .get(line.claim)
            .and_then(|c| c.other_award.as_deref())
        else {
            continue;
        };
        let other = match parse_amount(raw) {
            Ok(m) => m,
            Err(kind) => {
                let e = InputError::new(format!("claims[{}].other_award", line.claim), kind);
                line.errors.push(e.clone());
                errors.push(e);
                continue;
            }
        };
        if line.status != LineStatus::Counted {
            continue;
        }
        let ours = line.amount.unwrap_or(Money::ZERO);
        let higher = other >= ours;
        let message = both(|l| {
            let (o, y) = (words::amount(other, l), words::amount(ours, l));
            let name = words::quoted(&line.name, l);
            match (l, higher) {
                (Lang::Zh, true) => format!("{name}：其他政策已就同一事项给予{o}，不低于本政策的{y}；按“就高”原则不重复享受，本项按0元计。"),
                (Lang::Zh, false) => format!("{name}：其他政策已就同一事项给予{o}，低于本政策的{y}；按“就高”原则按本政策的{y}计，不再同时享受其他政策的奖补。"),
                (Lang::En, true) => format!("{name}: another policy has granted {o} for the same matter, not less than this policy's {y}; the higher amount applies, without duplication: this line counts RMB 0."),
                (Lang::En, false) => format!("{name}: another policy has granted {o} for the same matter, less than this policy's {y}; the higher amount applies, without duplication: this policy's {y} counts, and the other award is not enjoyed as well."),
            }
        });
        if higher {
            line.status = LineStatus::OtherAwardHigher;
            line.amount = Some(Money::ZERO);
        }
        line.notes.push(message.clone());
        notices.push(notice(
            NoticeKind::OtherAward,
            message,
            Some(rules.policy.no_stacking.clone()),
            vec![line.claim],
        ));
    }
}

/// 附则（四）within the scenario: of the claims for one matter only the highest counts (the
/// first, on a tie); the others count 0 and say what they were compared with. A clause that sets
/// no amount for the same matter is told the same, since it cannot be enjoyed in addition.
fn apply_no_stacking(rules: &RuleSet, lines: &mut [Line], notices: &mut Vec<Notice>) {
    let mut matters: Vec<&str> = Vec::new();
    for l in lines.iter() {
        if let Some(m) = l.matter.as_deref() {
            if !matters.contains(&m) {
                matters.push(m);
            }
        }
    }
    let matters: Vec<String> = matters.into_iter().map(String::from).collect();
    for matter in matters {
        let group: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].matter.as_deref() == Some(matter.as_str()))
            .filter(|&i| matches!(lines[i].status, LineStatus::Counted | LineStatus::NotSet))
            .collect();
        if group.len() < 2 {
            continue;
        }
        let counted: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| lines[i].status == LineStatus::Counted)
            .collect();
        let Some(&winner) = counted
            .iter()
            .fold(None, |best: Option<&usize>, i| match best {
                Some(b) if lines[*b].amount >= lines[*i].amount => Some(b),
                _ => Some(i),
            })
        else {
            continue;
        };
        let w_name = lines[winner].name.clone();
        let w_amount = lines[winner].amount.unwrap_or(Money::ZERO);
        // Nothing is enjoyed twice when the highest claim is nothing: no comparison to show.
        if w_amount.0.is_zero() {
            continue;
        }
        for &i in group.iter().filter(|&&i| i != winner) {
            let line = &mut lines[i];
            let message = match line.amount {
                Some(a) => both(|l| {
                    let (wn, ln) = (words::quoted(&w_name, l), words::quoted(&line.name, l));
                    let (wa, la) = (words::amount(w_amount, l), words::amount(a, l));
                    match l {
                        Lang::Zh => format!("{ln}与{wn}属同一事项：本项{la}，{wn}{wa}；按“就高”原则不重复享受，计{wn}，本项按0元计。"),
                        Lang::En => format!("{ln} and {wn} are the same matter: {la} here against {wa} there; the higher amount applies, without duplication: {wn} counts and this line counts RMB 0."),
                    }
                }),
                None => both(|l| {
                    let (wn, ln) = (words::quoted(&w_name, l), words::quoted(&line.name, l));
                    let wa = words::amount(w_amount, l);
                    match l {
                        Lang::Zh => format!("{ln}与{wn}属同一事项：已计{wn}{wa}，按“就高”原则不重复享受。"),
                        Lang::En => format!("{ln} and {wn} are the same matter: {wn} counts {wa}, and the higher amount applies, without duplication."),
                    }
                }),
            };
            if line.status == LineStatus::Counted {
                line.status = LineStatus::SameMatter;
                line.amount = Some(Money::ZERO);
            }
            line.notes.push(message.clone());
            notices.push(notice(
                NoticeKind::NoStacking,
                message,
                Some(rules.policy.no_stacking.clone()),
                vec![lines[winner].claim, lines[i].claim],
            ));
        }
    }
}

/// What a clause gives for one claim, before the 附则 are applied.
struct Computed {
    steps: Vec<Step>,
    bound_by: Vec<Bound>,
    formula: Text,
    /// Exact; `None`: the policy sets no amount.
    amount: Option<Money>,
    errors: Vec<InputError>,
}

impl Computed {
    fn zero(formula: Text) -> Computed {
        Computed {
            steps: Vec::new(),
            bound_by: Vec::new(),
            formula,
            amount: Some(Money::ZERO),
            errors: Vec::new(),
        }
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
    Line {
        claim: i,
        subsidy: s.id.clone(),
        name: s.name.clone(),
        status: if rounded.is_some() {
            LineStatus::Counted
        } else {
            LineStatus::NotSet
        },
        clause: Some(rule.clause.clone()),
        text_units: rule.text_units.clone(),
        task_units: EditorialUnits {
            editorial: true,
            units: rule.task_units.clone(),
        },
        tasks: rule.tasks.clone(),
        reading: s.reading.clone(),
        clause_amount: rounded,
        amount: rounded,
        reference_only: false,
        steps: c.steps,
        bound_by: c.bound_by,
        formula: c.formula,
        notes: Vec::new(),
        errors: c.errors,
        applicant: Some(s.applicant),
        matter: Some(s.matter.clone()),
    }
}

/// Applies the clause's amount rule to the claim's instances.
fn compute(rule: &SubsidyRule, claim: &Claim, path: &str) -> Computed {
    let s = &rule.subsidy;
    let one = [Instance::default()];
    // A claim with no instances reads as one instance with no inputs: a cap-only clause then
    // gives its cap, and a rate clause asks for its base.
    let instances: &[Instance] = if claim.instances.is_empty() {
        &one
    } else {
        &claim.instances
    };
    let qualify = match &s.amount {
        Amount::Rate { caps, .. } | Amount::CapOnly { caps, .. } => {
            caps.iter().any(|c| c.per != caps[0].per)
        }
        _ => false,
    };
    let cw = CapWords {
        applicant: s.applicant,
        instance: s.instance.as_ref(),
        qualify,
    };
    let mut cx = Cx {
        cw,
        path,
        n: instances.len(),
        errors: Vec::new(),
    };
    let mut c = match &s.amount {
        Amount::Rate {
            rate,
            rate_is_ceiling,
            base,
            threshold,
            caps,
        } => {
            let steps: Vec<Step> = instances
                .iter()
                .enumerate()
                .map(|(k, inst)| {
                    cx.rate_step(
                        k,
                        inst,
                        *rate,
                        *rate_is_ceiling,
                        base,
                        threshold.as_ref(),
                        caps,
                    )
                })
                .collect();
            cx.finish(steps, caps)
        }
        Amount::CapOnly { base, caps } => {
            let steps: Vec<Step> = instances
                .iter()
                .enumerate()
                .map(|(k, inst)| cx.cap_only_step(k, inst, base.as_ref(), caps))
                .collect();
            cx.finish(steps, caps)
        }
        Amount::Fixed { sum, condition } => {
            let mut paid = false;
            let steps: Vec<Step> = instances
                .iter()
                .enumerate()
                .map(|(k, inst)| {
                    let step = cx.fixed_step(k, inst, *sum, condition, s.one_time && paid);
                    paid |= inst.met;
                    step
                })
                .collect();
            cx.finish(steps, &[])
        }
        Amount::NotSet => Computed {
            steps: Vec::new(),
            bound_by: Vec::new(),
            formula: both(|l| match l {
                Lang::Zh => "本政策未规定金额".into(),
                Lang::En => "The policy sets no amount".into(),
            }),
            amount: None,
            errors: Vec::new(),
        },
    };
    c.errors.append(&mut cx.errors);
    c
}

/// The context of one claim's computation.
struct Cx<'a> {
    cw: CapWords<'a>,
    path: &'a str,
    n: usize,
    errors: Vec<InputError>,
}

impl Cx<'_> {
    fn input_path(&self, k: usize, id: &str) -> String {
        format!("{}.instances[{k}].{id}", self.path)
    }

    /// Reports inputs the clause does not take, so a typo is not silently ignored.
    fn check_inputs(&mut self, k: usize, inst: &Instance, known: &[&str], takes_met: bool) {
        for key in inst.inputs.keys() {
            if !known.contains(&key.as_str()) {
                let p = self.input_path(k, key);
                self.errors
                    .push(InputError::new(p, InputErrorKind::UnknownInput));
            }
        }
        if inst.met && !takes_met {
            let p = self.input_path(k, MET);
            self.errors
                .push(InputError::new(p, InputErrorKind::UnknownInput));
        }
    }

    /// Parses an amount input; a missing or bad one is an error and `None`.
    fn money(&mut self, k: usize, inst: &Instance, id: &str, required: bool) -> Option<Money> {
        match inst.inputs.get(id) {
            None if required => {
                let p = self.input_path(k, id);
                self.errors
                    .push(InputError::new(p, InputErrorKind::Missing));
                None
            }
            None => None,
            Some(raw) => match parse_amount(raw) {
                Ok(m) => Some(m),
                Err(kind) => {
                    let p = self.input_path(k, id);
                    self.errors.push(InputError::new(p, kind));
                    None
                }
            },
        }
    }

    fn count(&mut self, k: usize, inst: &Instance, id: &str) -> Option<u64> {
        let parsed = match inst.inputs.get(id) {
            None => Err(InputErrorKind::Missing),
            Some(raw) => parse_count(raw),
        };
        parsed
            .map_err(|kind| {
                let p = self.input_path(k, id);
                self.errors.push(InputError::new(p, kind));
            })
            .ok()
    }

    fn label(&self, k: usize) -> Option<Text> {
        (self.n > 1).then(|| both(|l| self.cw.instance_label(k + 1, l)))
    }

    fn input_error_step(&self, k: usize) -> Step {
        Step {
            label: self.label(k),
            base: None,
            count: None,
            amount: Some(Money::ZERO),
            bound_by: None,
            formula: both(|l| match l {
                Lang::Zh => "输入有误，按0元计".into(),
                Lang::En => "input error: RMB 0".into(),
            }),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn rate_step(
        &mut self,
        k: usize,
        inst: &Instance,
        rate: Rate,
        ceiling: bool,
        base: &Base,
        threshold: Option<&Threshold>,
        caps: &[Cap],
    ) -> Step {
        let mut known = vec![base.id.as_str()];
        if let Some(t) = threshold {
            known.push(t.id.as_str());
        }
        self.check_inputs(k, inst, &known, false);
        let b = self.money(k, inst, &base.id, true);
        let n = threshold.and_then(|t| self.count(k, inst, &t.id));
        let (Some(b), true) = (b, threshold.is_none() || n.is_some()) else {
            return self.input_error_step(k);
        };
        let mut prefix = Text::default();
        if let (Some(t), Some(n)) = (threshold, n) {
            let (nd, min) = (Decimal::from(n), words::count(t.min));
            if nd < t.min {
                return Step {
                    label: self.label(k),
                    base: Some(b),
                    count: Some(n),
                    amount: Some(Money::ZERO),
                    bound_by: Some(Bound::Threshold {
                        id: t.id.clone(),
                        min: t.min,
                    }),
                    formula: both(|l| match l {
                        Lang::Zh => format!(
                            "{}{n}{}，少于{min}{}，不予支持：0元",
                            t.name.zh, t.unit.zh, t.unit.zh
                        ),
                        Lang::En => format!("{n} {}, fewer than {min}: RMB 0", t.unit.en),
                    }),
                };
            }
            prefix = both(|l| match l {
                Lang::Zh => format!("{}{n}{}，不少于{min}{}：", t.name.zh, t.unit.zh, t.unit.zh),
                Lang::En => format!("{n} {}, at least {min}: ", t.unit.en),
            });
        }
        let raw = rate.of(b);
        let (value, bound, cap_text) = self.instance_cap(raw, caps);
        Step {
            label: self.label(k),
            base: Some(b),
            count: n,
            amount: Some(value),
            bound_by: bound,
            formula: both(|l| {
                let pre = match (ceiling, l) {
                    (false, _) => "",
                    (true, Lang::Zh) => "不超过",
                    (true, Lang::En) => "up to ",
                };
                format!(
                    "{}{pre}{} × {} = {}{}",
                    prefix.get(l),
                    rate.as_in_text(),
                    words::amount(b, l),
                    words::amount(raw, l),
                    cap_text.get(l)
                )
            }),
        }
    }

    /// Applies the tightest per-instance cap, if any, with its comparison phrase.
    fn instance_cap(&self, value: Money, caps: &[Cap]) -> (Money, Option<Bound>, Text) {
        match tightest(caps, true) {
            None => (value, None, Text::default()),
            Some(cap) => {
                let text = both(|l| self.cw.compare(value, cap, l));
                if value > cap.amount {
                    (cap.amount, Some(cap_bound(cap)), text)
                } else {
                    (value, None, text)
                }
            }
        }
    }

    fn cap_only_step(
        &mut self,
        k: usize,
        inst: &Instance,
        base: Option<&Base>,
        caps: &[Cap],
    ) -> Step {
        let known: Vec<&str> = base.iter().map(|b| b.id.as_str()).collect();
        self.check_inputs(k, inst, &known, false);
        let had_input = base.is_some_and(|b| inst.inputs.contains_key(&b.id));
        let cost = base.and_then(|b| self.money(k, inst, &b.id, false));
        if had_input && cost.is_none() {
            return self.input_error_step(k);
        }
        match (cost, base) {
            (Some(c), Some(b)) => {
                let (value, bound, cap_text) = self.instance_cap(c, caps);
                Step {
                    label: self.label(k),
                    base: Some(c),
                    count: None,
                    amount: Some(value),
                    bound_by: bound,
                    formula: both(|l| {
                        let sep = if l == Lang::Zh { "" } else { " " };
                        format!(
                            "{}{sep}{}{}",
                            b.name.get(l),
                            words::amount(c, l),
                            cap_text.get(l)
                        )
                    }),
                }
            }
            // No costs entered: the clause's cap is the ceiling.
            _ => match tightest(caps, true) {
                Some(cap) => Step {
                    label: self.label(k),
                    base: None,
                    count: None,
                    amount: Some(cap.amount),
                    bound_by: Some(cap_bound(cap)),
                    formula: both(|l| {
                        format!(
                            "{}{}{}",
                            self.cw.ceiling(cap, l),
                            words::colon(l),
                            words::figure(cap.amount, l)
                        )
                    }),
                },
                // Bounded only by a cap on the whole claim, applied in `finish`.
                None => Step {
                    label: self.label(k),
                    base: None,
                    count: None,
                    amount: None,
                    bound_by: None,
                    formula: Text::default(),
                },
            },
        }
    }

    fn fixed_step(
        &mut self,
        k: usize,
        inst: &Instance,
        sum: Money,
        condition: &Text,
        already_paid: bool,
    ) -> Step {
        self.check_inputs(k, inst, &[], true);
        let (amount, formula) = match (inst.met, already_paid) {
            (true, false) => (
                sum,
                both(|l| match l {
                    Lang::Zh => format!("{}，给予{}", condition.zh, words::figure(sum, l)),
                    Lang::En => format!("where {}: {}", condition.en, words::figure(sum, l)),
                }),
            ),
            (true, true) => (
                Money::ZERO,
                both(|l| match l {
                    Lang::Zh => "一次性奖补，只计一次：0元".into(),
                    Lang::En => "a one-time award, counted once: RMB 0".into(),
                }),
            ),
            (false, _) => (
                Money::ZERO,
                both(|l| match l {
                    Lang::Zh => format!("未确认{}：0元", condition.zh),
                    Lang::En => format!("not confirmed that {}: RMB 0", condition.en),
                }),
            ),
        };
        Step {
            label: self.label(k),
            base: None,
            count: None,
            amount: Some(amount),
            bound_by: None,
            formula,
        }
    }

    /// Sums the instances, applies the caps on the whole claim (per applicant, per applicant and
    /// year: the instances of one claim are read as one year), and rounds once, to the fen.
    fn finish(&self, steps: Vec<Step>, caps: &[Cap]) -> Computed {
        let mut bound_by: Vec<Bound> = steps.iter().filter_map(|s| s.bound_by.clone()).collect();
        let unbounded = steps.iter().any(|s| s.amount.is_none());
        let sum = Money(steps.iter().filter_map(|s| s.amount).map(|m| m.0).sum());
        let mut parts: Vec<Text> = steps
            .iter()
            .filter(|s| !s.formula.zh.is_empty())
            .map(|s| match &s.label {
                Some(lb) => {
                    both(|l| format!("{}{}{}", lb.get(l), words::colon(l), s.formula.get(l)))
                }
                None => s.formula.clone(),
            })
            .collect();
        let mut tail = Text::default();
        if self.n > 1 && !unbounded {
            tail = both(|l| match l {
                Lang::Zh => format!("合计{}", words::amount(sum, l)),
                Lang::En => format!("total {}", words::amount(sum, l)),
            });
        }
        let agg = tightest(caps, false);
        let total = match (agg, unbounded) {
            (Some(cap), true) => {
                bound_by.push(cap_bound(cap));
                let t = both(|l| {
                    format!(
                        "{}{}{}",
                        self.cw.ceiling(cap, l),
                        words::colon(l),
                        words::figure(cap.amount, l)
                    )
                });
                parts.push(t);
                Some(cap.amount)
            }
            (Some(cap), false) => {
                let cmp = both(|l| self.cw.compare(sum, cap, l));
                if tail.zh.is_empty() {
                    // One instance: the comparison continues its formula.
                    match parts.last_mut() {
                        Some(last) => {
                            last.zh.push_str(&cmp.zh);
                            last.en.push_str(&cmp.en);
                        }
                        None => parts.push(cmp),
                    }
                } else {
                    tail.zh.push_str(&cmp.zh);
                    tail.en.push_str(&cmp.en);
                }
                if sum > cap.amount {
                    bound_by.push(cap_bound(cap));
                    Some(cap.amount)
                } else {
                    Some(sum)
                }
            }
            (None, true) => None,
            (None, false) => Some(sum),
        };
        if !tail.zh.is_empty() {
            parts.push(tail);
        }
        let mut formula = both(|l| {
            let p: Vec<&str> = parts.iter().map(|t| t.get(l)).collect();
            p.join(words::semicolon(l))
        });
        if let Some(t) = total {
            let r = t.round_to_fen();
            if r != t {
                formula
                    .zh
                    .push_str(&format!("，四舍五入到分：{}", r.display(Lang::Zh)));
                formula
                    .en
                    .push_str(&format!(", rounded to the fen: {}", r.display(Lang::En)));
            }
        } else {
            formula = both(|l| match l {
                Lang::Zh => "本政策未规定金额".into(),
                Lang::En => "The policy sets no amount".into(),
            });
        }
        Computed {
            steps,
            bound_by,
            formula,
            amount: total,
            errors: Vec::new(),
        }
    }
}

/// The lowest cap counted per instance (`per_instance`) or on the whole claim (otherwise).
fn tightest(caps: &[Cap], per_instance: bool) -> Option<&Cap> {
    caps.iter()
        .filter(|c| (c.per == CapScope::Instance) == per_instance)
        .min_by(|a, b| a.amount.cmp(&b.amount))
}

fn cap_bound(cap: &Cap) -> Bound {
    Bound::Cap {
        amount: cap.amount,
        per: cap.per,
    }
}
