//! Every figure of a subsidy's data must stand in its clause text, in both languages: the
//! rule the calculator applies and the sentence a reader sees cannot drift apart.

use calculator::{Amount, Lang};

use crate::error::ContentError;
use crate::load::Content;

/// Checks subsidies against their clauses, and the targets against the general requirements.
pub fn check(c: &Content) -> Vec<ContentError> {
    let d = &c.document;
    let file = &d.attachment_file;
    let mut errors = Vec::new();
    for s in &d.attachment.sections {
        for i in &s.items {
            for cl in &i.clauses {
                let Some(sub) = &cl.subsidy else { continue };
                let mut figures: Vec<(String, [String; 2])> = sub
                    .amount
                    .figures()
                    .into_iter()
                    .map(|m| {
                        (
                            m.0.to_string(),
                            [m.as_in_text(Lang::Zh), m.as_in_text(Lang::En)],
                        )
                    })
                    .collect();
                if let Amount::Rate {
                    rate, threshold, ..
                } = &sub.amount
                {
                    let r = rate.as_in_text();
                    figures.push((r.clone(), [r.clone(), r]));
                    if let Some(t) = threshold {
                        let n = t.min.normalize().to_string();
                        figures.push((n.clone(), [n.clone(), n]));
                    }
                }
                // A condition quoted as pending must be the clause's own words, in both
                // languages (the calculator quotes it to the reader as the text's).
                if let Some(q) = &sub.pending_condition {
                    for lang in [Lang::Zh, Lang::En] {
                        if !cl.text.get(lang).contains(q.get(lang)) {
                            errors.push(file.error_at(
                                Some(&sub.id),
                                "pending_condition:",
                                format!("{}.subsidy.pending_condition", cl.id),
                                format!(
                                    "subsidy `{}` quotes the condition `{}`, but its clause's {} text does not contain those words: quote the clause exactly",
                                    sub.id,
                                    q.get(lang),
                                    if lang == Lang::Zh { "Chinese" } else { "English" },
                                ),
                            ));
                        }
                    }
                }
                // A ceiling with nothing to enter would put a sum nobody entered into a total:
                // such a clause must say which of its conditions the implementing rules set.
                if let Amount::CapOnly { base: None, .. } = &sub.amount {
                    if sub.pending_condition.is_none() && sub.not_claimed.is_none() {
                        errors.push(file.error_at(
                            Some(&sub.id),
                            "cap-only",
                            format!("{}.subsidy.amount", cl.id),
                            format!(
                                "subsidy `{}` is cap-only with no `base` to enter: give it a `base` (the costs it pays for) or a `pending_condition` (the clause's words for the condition the implementing rules will set), so that no total holds a sum nobody entered",
                                sub.id
                            ),
                        ));
                    }
                }
                for (raw, [zh, en]) in figures {
                    for (lang, want) in [(Lang::Zh, zh), (Lang::En, en)] {
                        if !cl.text.get(lang).contains(want.as_str()) {
                            errors.push(file.error_at(
                                Some(&sub.id),
                                &raw,
                                format!("{}.subsidy.amount", cl.id),
                                format!(
                                    "subsidy `{}` states {raw}, but its clause's {} text does not say `{want}`: the data and the clause must agree",
                                    sub.id,
                                    if lang == Lang::Zh { "Chinese" } else { "English" },
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
    let g = &d.plan.general;
    for t in &g.targets {
        for v in &t.values {
            let want = format!("{}{}", v.value.normalize(), t.unit.zh);
            let stated = g.text.zh.contains(&format!("{}{}", t.name.zh, want))
                || g.text.zh.contains(&format!("{}提升至{}", t.name.zh, want))
                || (g.text.zh.contains(t.name.zh.as_str()) && g.text.zh.contains(want.as_str()));
            if !stated {
                errors.push(d.plan_file.error_at(
                    Some(&t.id),
                    &v.value.to_string(),
                    format!("targets.{}.values", t.id),
                    format!(
                        "target `{}` for {} is {want}, which the general requirements do not state",
                        t.id, v.year
                    ),
                ));
            }
            // The chart writes the English reading beside the text: it must be the text's own.
            if let Some(en) = &v.en {
                if !g.text.en.contains(en.as_str()) {
                    errors.push(d.plan_file.error_at(
                        Some(&t.id),
                        en,
                        format!("targets.{}.values.en", t.id),
                        format!(
                            "target `{}` for {} reads \"{en}\" in English, which the English general requirements do not write (expected words found in general.text.en)",
                            t.id, v.year
                        ),
                    ));
                }
            }
        }
    }
    errors
}
