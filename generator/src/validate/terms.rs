//! One rendering per repeated term, beyond the glossary: where any text's Chinese uses a term of
//! the terminology list (`terms.yaml`), its English must render it the list's way. Unlike the
//! glossary check, this one reads every text a reader sees — interface words, unit names,
//! editor's notes, subsidy names and conditions, the worked examples' titles — because a term
//! rendered one way in the clause and another in the calculator's question is the same fault.

use calculator::{Amount, Text};

use crate::error::ContentError;
use crate::load::{Content, SourceFile};
use crate::model::TermRendering;

/// Where a rendering leaves words out (`integrated … logistics network`).
const GAP: char = '…';

/// Checks every text against the terminology list, and the list against the glossary.
pub fn check(c: &Content) -> Vec<ContentError> {
    let Some(list) = &c.terms.file else {
        return Vec::new();
    };
    let mut errors = agrees_with_glossary(c, list);
    for (file, anchor, field, text) in texts(c) {
        // A missing translation is reported once, as such.
        if text.en.trim().is_empty() {
            continue;
        }
        for term in c.terms.entries.iter().filter(|t| text.zh.contains(&t.zh)) {
            let at_line = list.line_of(None, &format!("zh: {}", term.zh));
            let where_listed = match at_line {
                Some(n) => format!("{}:{n}", list.path.display()),
                None => list.path.display().to_string(),
            };
            let rejected = term
                .instead_of
                .iter()
                .find(|r| text.en.to_lowercase().contains(&r.to_lowercase()));
            let fault = match (renders(&text.en, term), rejected) {
                (true, None) => continue,
                (_, Some(r)) => format!("it writes `{r}`, a rendering the list rejects"),
                (false, None) => "it does not".to_string(),
            };
            errors.push(
                ContentError::new(
                    &file.path,
                    format!(
                        "the Chinese uses `{}`: the English must render it as `{}`{}, but {fault} ({where_listed}: one rendering per term)",
                        term.zh,
                        term.en,
                        if term.forms.is_empty() {
                            String::new()
                        } else {
                            format!(" (or `{}`)", term.forms.join("`, `"))
                        },
                    ),
                )
                .at_line(line_of_english(file, &anchor, &text.en))
                .field(format!("{field}.en")),
            );
        }
    }
    errors
}

/// Whether `en` holds the term's rendering or one of its forms, case aside.
fn renders(en: &str, term: &TermRendering) -> bool {
    let en = en.to_lowercase();
    std::iter::once(&term.en)
        .chain(&term.forms)
        .any(|form| holds_in_order(&en, &form.to_lowercase()))
}

/// Whether the parts of `form` between its `…` stand in `en` in that order.
fn holds_in_order(en: &str, form: &str) -> bool {
    let mut rest = en;
    for part in form.split(GAP).map(str::trim).filter(|p| !p.is_empty()) {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

/// A term both here and in the glossary must have one rendering, not two.
fn agrees_with_glossary(c: &Content, list: &SourceFile) -> Vec<ContentError> {
    let mut errors = Vec::new();
    for term in &c.terms.entries {
        for g in c.glossary.iter().filter(|g| g.term.zh == term.zh) {
            let glossary_forms: Vec<&String> =
                std::iter::once(&g.term.en).chain(&g.forms.en).collect();
            if !glossary_forms
                .iter()
                .any(|f| f.eq_ignore_ascii_case(&term.en))
            {
                errors.push(list.error_at(
                    None,
                    &format!("zh: {}", term.zh),
                    "en",
                    format!(
                        "`{}` is also the glossary term `{}`, rendered `{}` there: the list and the glossary must give the same rendering",
                        term.zh, g.id, g.term.en
                    ),
                ));
            }
        }
    }
    errors
}

/// The line of an English text: the line holding its first words after the anchor (an inline
/// `{zh: …, en: …}` shares its line with other fields), else the first `en:` after it.
fn line_of_english(file: &SourceFile, anchor: &str, en: &str) -> Option<usize> {
    // YAML may escape quotes and backslashes: look for the words before the first of them.
    let head: String = en
        .chars()
        .take_while(|ch| !matches!(ch, '"' | '\'' | '\\'))
        .take(40)
        .collect();
    (!head.trim().is_empty())
        .then(|| file.line_of(Some(anchor), &head))
        .flatten()
        .or_else(|| file.line_of(Some(anchor), "en:"))
}

/// Every text a reader sees, with its file, anchor and field: those of `super::all_texts`, and
/// the subsidies' conditions and bases and the worked examples' titles, which it leaves out.
fn texts(c: &Content) -> Vec<(&SourceFile, String, String, &Text)> {
    let mut v = super::all_texts(c);
    let f = &c.document.attachment_file;
    let clauses = c
        .document
        .attachment
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| &i.clauses);
    for cl in clauses {
        let Some(sub) = &cl.subsidy else { continue };
        let mut fields: Vec<(&str, &Text)> = Vec::new();
        if let Some(t) = &sub.pending_condition {
            fields.push(("pending_condition", t));
        }
        if let Some(t) = &sub.not_claimed {
            fields.push(("not_claimed", t));
        }
        match &sub.amount {
            Amount::Rate {
                base, threshold, ..
            } => {
                fields.push(("amount.base.name", &base.name));
                if let Some(th) = threshold {
                    fields.push(("amount.threshold.name", &th.name));
                }
            }
            Amount::Fixed { condition, .. } => fields.push(("amount.condition", condition)),
            Amount::CapOnly { base, .. } => {
                if let Some(b) = base {
                    fields.push(("amount.base.name", &b.name));
                }
            }
            Amount::NotSet => {}
        }
        for (name, t) in fields {
            v.push((f, cl.id.clone(), format!("{}.subsidy.{name}", cl.id), t));
        }
    }
    if let Some(file) = &c.examples.file {
        for ex in &c.examples.entries {
            v.push((file, ex.id.clone(), format!("{}.title", ex.id), &ex.title));
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::holds_in_order;

    #[test]
    fn a_gap_in_a_rendering_allows_words_between_its_parts_in_order() {
        let form = "integrated … logistics network";
        assert!(holds_in_order(
            "build an integrated road, sea, rail and air logistics network",
            form
        ));
        assert!(!holds_in_order(
            "a logistics network, integrated by road",
            form
        ));
        assert!(!holds_in_order(
            "a multi-dimensional logistics network",
            form
        ));
    }
}
