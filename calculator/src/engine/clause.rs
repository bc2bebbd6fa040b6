//! One clause's amount rule applied to one claim's instances: a rate of a base within caps and a
//! threshold, a cap with or without costs, a fixed sum, or no amount at all. Exact arithmetic;
//! the single rounding to the fen happens in `finish`.

use rust_decimal::Decimal;

use crate::money::{Money, Rate};
use crate::rules::{Amount, Base, Cap, CapScope, Threshold};
use crate::ruleset::SubsidyRule;
use crate::scenario::{
    parse_amount, parse_count, Claim, InputError, InputErrorKind, Instance, MET,
};
use crate::text::{Lang, Text};
use crate::words::{self, both, CapWords};

use super::{Bound, Step};

/// What a clause gives for one claim, before the 附则 are applied.
pub(super) struct Computed {
    pub(super) steps: Vec<Step>,
    pub(super) bound_by: Vec<Bound>,
    pub(super) formula: Text,
    /// Exact; `None`: the policy sets no amount.
    pub(super) amount: Option<Money>,
    /// The ceiling of a line whose conditions are still to be set; shown, never added.
    pub(super) ceiling: Option<Money>,
    pub(super) errors: Vec<InputError>,
}

impl Computed {
    pub(super) fn zero(formula: Text) -> Computed {
        Computed {
            steps: Vec::new(),
            bound_by: Vec::new(),
            formula,
            amount: Some(Money::ZERO),
            ceiling: None,
            errors: Vec::new(),
        }
    }

    /// A line with no amount: its formula says why.
    fn none(formula: Text) -> Computed {
        Computed {
            steps: Vec::new(),
            bound_by: Vec::new(),
            formula,
            amount: None,
            ceiling: None,
            errors: Vec::new(),
        }
    }
}

/// A measure that no applicant claims (the clause names its beneficiary, or supports capital
/// joining a fund): the formula says whom it supports.
fn not_claimed(whom: &Text) -> Computed {
    Computed::none(both(|l| match l {
        Lang::Zh => format!("本条不是申请主体申报的扶持：{}", whom.zh),
        Lang::En => format!("Not support that an applicant claims: {}", whom.en),
    }))
}

/// A clause whose conditions the implementing rules are still to set: its ceiling, quoted with
/// the clause's own words for the condition, and no amount.
fn pending(cw: &CapWords, s: &crate::rules::Subsidy, quote: &Text) -> Computed {
    let (ceiling, limit) = match (&s.amount, s.ceiling()) {
        (Amount::Fixed { sum, .. }, _) => (
            Some(*sum),
            both(|l| match l {
                Lang::Zh => format!("达到条件给予{}", words::figure(*sum, l)),
                Lang::En => format!("{} where met", words::figure(*sum, l)),
            }),
        ),
        (_, Some(cap)) => (Some(cap.amount), both(|l| cw.limit(cap, l))),
        (_, None) => (None, Text::default()),
    };
    let mut c = Computed::none(both(|l| {
        let q = words::quoted(quote, l);
        let lim = limit.get(l);
        match l {
            Lang::Zh => format!("条件待实施细则明确（条文：{q}）；{lim}；不计入合计"),
            Lang::En => format!(
                "conditions to be set by the implementing rules (the text: {q}); {lim}; not part of any total"
            ),
        }
    }));
    c.ceiling = ceiling;
    c
}

/// Applies the clause's amount rule to the claim's instances.
pub(super) fn compute(rule: &SubsidyRule, claim: &Claim, path: &str) -> Computed {
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
    if let Some(whom) = &s.not_claimed {
        return not_claimed(whom);
    }
    if let Some(quote) = &s.pending_condition {
        return pending(&cw, s, quote);
    }
    let mut cx = Cx {
        cw,
        path,
        n: instances.len(),
        failed: 0,
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
                    // A fixed sum is paid per instance where the clause names one (each
                    // …), otherwise once to the applicant the clause pays (对获得…的企业).
                    let step =
                        cx.fixed_step(k, inst, *sum, condition, s.instance.is_none() && paid);
                    paid |= inst.met;
                    step
                })
                .collect();
            cx.finish(steps, &[])
        }
        Amount::NotSet => Computed::none(both(|l| match l {
            Lang::Zh => "本政策未规定金额".into(),
            Lang::En => "The policy sets no amount".into(),
        })),
    };
    c.errors.append(&mut cx.errors);
    c
}

/// The context of one claim's computation.
struct Cx<'a> {
    cw: CapWords<'a>,
    path: &'a str,
    n: usize,
    /// Instances whose input could not be used.
    failed: usize,
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

    /// An instance whose input cannot be used: it contributes nothing, and its formula says only
    /// that, with no cap compared against it.
    fn input_error_step(&mut self, k: usize) -> Step {
        self.failed += 1;
        Step {
            label: self.label(k),
            base: None,
            count: None,
            amount: Some(Money::ZERO),
            bound_by: None,
            formula: both(|l| match l {
                Lang::Zh => "输入有误，未计入".into(),
                Lang::En => "input not valid: not counted".into(),
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

    /// A ceiling with costs: the support is at most the costs entered and at most the cap. The
    /// costs are required: a cap is never counted for a sum nobody entered. (A cap-only clause
    /// with no costs to enter is a clause whose conditions are still to be set: the build
    /// requires `pending_condition` on it, and `compute` lists it apart before reaching here.)
    fn cap_only_step(
        &mut self,
        k: usize,
        inst: &Instance,
        base: Option<&Base>,
        caps: &[Cap],
    ) -> Step {
        let known: Vec<&str> = base.iter().map(|b| b.id.as_str()).collect();
        self.check_inputs(k, inst, &known, false);
        let Some(b) = base else {
            return Step {
                label: self.label(k),
                base: None,
                count: None,
                amount: None,
                bound_by: None,
                formula: Text::default(),
            };
        };
        let Some(c) = self.money(k, inst, &b.id, true) else {
            return self.input_error_step(k);
        };
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
                    Lang::Zh => "奖励按申请主体计一笔，已计入：0元".into(),
                    Lang::En => "the award is one sum per applicant, already counted: RMB 0".into(),
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
        if self.failed > 0 && self.failed == steps.len() {
            // Nothing usable was entered: no sum, no cap to compare with, only the error.
            let formula = both(|l| {
                let p: Vec<&str> = parts.iter().map(|t| t.get(l)).collect();
                p.join(words::semicolon(l))
            });
            return Computed {
                steps,
                bound_by: Vec::new(),
                formula,
                amount: Some(Money::ZERO),
                ceiling: None,
                errors: Vec::new(),
            };
        }
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
            ceiling: None,
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
