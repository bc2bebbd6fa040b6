//! The 附则 (supplementary provisions) applied to the lines the clauses computed: who is a
//! recipient at all, which applicant type a clause pays, the no-stacking rule against other
//! claims and other policies, and the notice that the implementing rules are still to come.

use crate::money::Money;
use crate::rules::Applicant;
use crate::ruleset::{ClauseRef, RuleSet};
use crate::scenario::{parse_amount, InputError, Scenario};
use crate::text::{Lang, Text};
use crate::words::{self, both};

use super::{Line, LineStatus, Notice, NoticeKind};

pub(super) fn notice(
    kind: NoticeKind,
    message: Text,
    clause: Option<ClauseRef>,
    lines: Vec<usize>,
) -> Notice {
    Notice {
        kind,
        message,
        clause,
        units: Vec::new(),
        lines,
    }
}

pub(super) fn implementing_rules_notice(rules: &RuleSet) -> Notice {
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
pub(super) fn apply_ineligible(rules: &RuleSet, lines: &mut [Line], notices: &mut Vec<Notice>) {
    let reason = both(|l| {
        match l {
        Lang::Zh => "申报主体列入严重失信名单或联合惩戒目录，不属于本政策支持对象：按0元计。".into(),
        Lang::En => "An applicant on the list of seriously dishonest entities or in the joint-punishment catalogue is not a recipient of support under this policy: RMB 0.".into(),
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
            Lang::En => "An applicant on the list of seriously dishonest entities or in the joint-punishment catalogue is not a recipient of support under this policy: every amount is RMB 0.".into(),
        }),
        Some(rules.policy.eligibility.clone()),
        ids,
    ));
}

/// A clause pays one type of applicant; for another it counts nothing.
pub(super) fn apply_wrong_applicant(
    kind: Applicant,
    lines: &mut [Line],
    notices: &mut Vec<Notice>,
) {
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
pub(super) fn apply_other_awards(
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
        let claims = vec![line.claim];
        held_to_one(
            line,
            higher.then_some(LineStatus::OtherAwardHigher),
            NoticeKind::OtherAward,
            message,
            claims,
            rules,
            notices,
        );
    }
}

/// A line the no-stacking clause (附则（四）) holds to one award: set to `zeroed` at RMB 0 when
/// that is given, told why in its notes, and the same words as a notice quoting the clause.
fn held_to_one(
    line: &mut Line,
    zeroed: Option<LineStatus>,
    kind: NoticeKind,
    message: Text,
    claims: Vec<usize>,
    rules: &RuleSet,
    notices: &mut Vec<Notice>,
) {
    if let Some(status) = zeroed {
        line.status = status;
        line.amount = Some(Money::ZERO);
    }
    line.notes.push(message.clone());
    notices.push(notice(
        kind,
        message,
        Some(rules.policy.no_stacking.clone()),
        claims,
    ));
}

/// 附则（四）within the scenario: of the claims for one matter only the highest counts (the
/// first, on a tie); the others count 0 and say what they were compared with. A clause that sets
/// no amount for the same matter is told the same, since it cannot be enjoyed in addition.
pub(super) fn apply_no_stacking(rules: &RuleSet, lines: &mut [Line], notices: &mut Vec<Notice>) {
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
            let zeroed = (line.status == LineStatus::Counted).then_some(LineStatus::SameMatter);
            let claims = vec![lines[winner].claim, lines[i].claim];
            held_to_one(
                &mut lines[i],
                zeroed,
                NoticeKind::NoStacking,
                message,
                claims,
                rules,
                notices,
            );
        }
    }
}
