//! The estimate as plain text, for the command line and for anyone who pastes it into a mail:
//! the document and rule-set version first, then each line with its formula, clause and units,
//! then the totals and the notices with the clauses they quote.

use std::fmt::Write;

use crate::engine::{Estimate, Line, LineStatus};
use crate::ruleset::{ClauseRef, UnitRef};
use crate::text::Lang;
use crate::words;

/// Renders an estimate as a plain-text breakdown in one language.
pub fn render_text(e: &Estimate, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    // Writing to a String cannot fail, so the results of `writeln!` are ignored.
    let _ = writeln!(
        out,
        "{}  {}",
        e.document.number.get(lang),
        e.document.title.get(lang)
    );
    let _ = writeln!(
        out,
        "{}{}{}",
        e.document.validity.get(lang),
        if zh {
            "；规则版本 "
        } else {
            "; rule set "
        },
        e.version
    );
    let place = e
        .place
        .as_ref()
        .map_or(if zh { "（未知）" } else { "(unknown)" }, |p| {
            p.name.get(lang)
        });
    let _ = writeln!(
        out,
        "{}{}{}{}{}",
        if zh { "申报主体：" } else { "Applicant: " },
        words::applicant_kind(e.applicant, lang),
        if zh { "，" } else { ", " },
        place,
        match (e.eligible, zh) {
            (true, _) => "",
            (false, true) => "，列入严重失信名单或联合惩戒目录",
            (false, false) =>
                ", on the list of seriously dishonest entities or in the joint-punishment catalogue",
        }
    );
    for line in &e.lines {
        out.push('\n');
        render_line(&mut out, line, lang);
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{}{}",
        if zh {
            "市区合计（上限）："
        } else {
            "City total (upper bound): "
        },
        e.city_total.display(lang)
    );
    if e.reference_only || !e.reference_total.0.is_zero() {
        let _ = writeln!(
            out,
            "{}{}",
            if zh {
                "参考合计（仅供参考，不计入市区合计）："
            } else {
                "Reference total (for reference only, not part of the city total): "
            },
            e.reference_total.display(lang)
        );
    }
    if !e.notices.is_empty() {
        let _ = writeln!(out, "\n{}", if zh { "提示" } else { "Notices" });
        for n in &e.notices {
            let _ = writeln!(out, "- {}", n.message.get(lang));
            if let Some(c) = &n.clause {
                quote(&mut out, c, lang, "  ");
            }
        }
    }
    out
}

fn render_line(out: &mut String, line: &Line, lang: Lang) {
    let zh = lang == Lang::Zh;
    let amount = match (line.status, line.amount) {
        (_, Some(a)) => a.display(lang),
        (LineStatus::NotSet, None) => if zh {
            "本政策未规定金额"
        } else {
            "the policy sets no amount"
        }
        .to_string(),
        (LineStatus::ConditionsPending, None) => match (line.ceiling, zh) {
            (Some(c), true) => format!("条件待实施细则明确，上限{}，不计入合计", c.display(lang)),
            (Some(c), false) => format!(
                "conditions to be set by the implementing rules; up to {}, not part of any total",
                c.display(lang)
            ),
            (None, true) => "条件待实施细则明确，不计入合计".to_string(),
            (None, false) => {
                "conditions to be set by the implementing rules; not part of any total".to_string()
            }
        },
        (LineStatus::NotClaimed, None) => if zh {
            "非申报类扶持"
        } else {
            "not support that an applicant claims"
        }
        .to_string(),
        (LineStatus::InputError, None) => if zh {
            "输入有误，暂不计入合计"
        } else {
            "input error: left out of the total until corrected"
        }
        .to_string(),
        (_, None) => "—".to_string(),
    };
    let reference = match (line.reference_only && line.amount.is_some(), zh) {
        (false, _) => "",
        (true, true) => "（仅供参考）",
        (true, false) => " (for reference only)",
    };
    let _ = writeln!(
        out,
        "{}. {}{}{amount}{reference}",
        line.claim + 1,
        line.name.get(lang),
        words::colon(lang)
    );
    let _ = writeln!(out, "   {}", line.formula.get(lang));
    if line.clause_amount != line.amount {
        if let Some(c) = line.clause_amount {
            let _ = writeln!(
                out,
                "   {}{}",
                if zh {
                    "按条文计算："
                } else {
                    "By the clause: "
                },
                c.display(lang)
            );
        }
    }
    for n in &line.notes {
        let _ = writeln!(out, "   {}", n.get(lang));
    }
    for e in &line.errors {
        let _ = writeln!(out, "   ! {}: {}", e.path, e.kind.message(lang));
    }
    if let Some(c) = &line.clause {
        quote(out, c, lang, "   ");
    }
    units(
        out,
        if zh {
            "条文所列单位"
        } else {
            "Units named by the text"
        },
        &line.text_units,
        lang,
    );
    units(
        out,
        if zh {
            "相关任务责任单位（编者关联）"
        } else {
            "Units of the related tasks (our editorial link)"
        },
        &line.task_units.units,
        lang,
    );
    if let Some(r) = &line.reading {
        let _ = writeln!(
            out,
            "   {}{}",
            if zh { "解读：" } else { "Reading: " },
            r.get(lang)
        );
    }
}

fn quote(out: &mut String, c: &ClauseRef, lang: Lang, indent: &str) {
    let _ = writeln!(
        out,
        "{indent}{}{}{}{}",
        if lang == Lang::Zh {
            "依据："
        } else {
            "Clause: "
        },
        c.label.get(lang),
        words::colon(lang),
        words::quoted_str(c.text.get(lang))
    );
}

fn units(out: &mut String, heading: &str, list: &[UnitRef], lang: Lang) {
    if list.is_empty() {
        return;
    }
    let names: Vec<&str> = list.iter().map(|u| u.name.get(lang)).collect();
    let sep = if lang == Lang::Zh { "、" } else { "; " };
    let _ = writeln!(out, "   {heading}{}{}", words::colon(lang), names.join(sep));
}
