//! One English form per term: where a clause's Chinese uses a glossary term, its English must
//! use the glossary's rendering.

use calculator::Text;

use crate::error::ContentError;
use crate::load::Content;

/// Checks every clause of both documents against the glossary.
pub fn check(c: &Content) -> Vec<ContentError> {
    let mut errors = Vec::new();
    let texts = super::all_texts(c);
    for (file, anchor, field, text) in texts {
        // The glossary's own entries, units and interface words are not translations of the
        // documents' clauses.
        if std::ptr::eq(file, &c.glossary_file)
            || std::ptr::eq(file, &c.strings_file)
            || std::ptr::eq(file, &c.units_file)
            || std::ptr::eq(file, &c.places_file)
            || field.ends_with(".note")
            || field.contains(".subsidy.")
            || field.starts_with("targets.")
            // A missing translation is reported once, as such.
            || text.en.trim().is_empty()
        {
            continue;
        }
        for term in &c.glossary {
            if uses(text, term) && !renders(text, term) {
                errors.push(file.error_at(
                    Some(&anchor),
                    "en:",
                    format!("{field}.en"),
                    format!(
                        "the Chinese uses the glossary term `{}`, but the English does not render it as `{}` (glossary.yaml: one English form per term)",
                        term.term.zh, term.term.en
                    ),
                ));
            }
        }
    }
    errors
}

fn uses(text: &Text, term: &crate::model::Term) -> bool {
    std::iter::once(&term.term.zh)
        .chain(term.forms.zh.iter())
        .any(|f| text.zh.contains(f.as_str()))
}

fn renders(text: &Text, term: &crate::model::Term) -> bool {
    let en = text.en.to_lowercase();
    std::iter::once(&term.term.en)
        .chain(term.forms.en.iter())
        .any(|f| en.contains(&f.to_lowercase()))
}
