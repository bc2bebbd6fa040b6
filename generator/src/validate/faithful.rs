//! The Chinese content, read in document order, must be the issued text with exactly the
//! listed repairs: this is what lets bureau staff trust the site against the paper.

use calculator::Lang;

use crate::error::ContentError;
use crate::library::Library;
use crate::load::{apply_repairs, SourceFile};

/// A paragraph of the Chinese as the content states it, with where it comes from.
pub struct ContentParagraph<'a> {
    /// The paragraph text.
    pub text: String,
    /// The content file it comes from.
    pub file: &'a SourceFile,
    /// The id (or key) of the entry, to find its line.
    pub anchor: String,
}

/// The Chinese of both documents, paragraph by paragraph, in the order of the issued text.
pub fn content_paragraphs<'a>(lib: &Library<'a>) -> Vec<ContentParagraph<'a>> {
    let c = lib.content;
    let d = &c.document;
    let s = |key: &str| c.strings.get(key).map(|t| t.zh.clone()).unwrap_or_default();
    let mut out = Vec::new();
    let mut push = |text: String, file: &'static str, anchor: &str| {
        let f = match file {
            "meta" => &d.meta_file,
            "plan" => &d.plan_file,
            _ => &d.attachment_file,
        };
        out.push(ContentParagraph {
            text,
            file: f,
            anchor: anchor.to_string(),
        });
    };
    let m = &d.meta;
    push(m.header.zh.clone(), "meta", "header:");
    push(m.number.zh.clone(), "meta", "number:");
    push(m.title.zh.clone(), "meta", "title:");
    push(format!("{}：", m.addressees.zh), "meta", "addressees:");
    push(m.body.zh.clone(), "meta", "body:");
    push(format!("（{}）", m.publicity.zh), "meta", "publicity:");
    let p = &d.plan;
    push(p.title.zh.clone(), "plan", "title:");
    push(p.preamble.zh.clone(), "plan", "preamble:");
    push(
        format!("{}{}", lib.general_number(Lang::Zh), p.general.heading.zh),
        "plan",
        "general:",
    );
    push(p.general.text.zh.clone(), "plan", "general:");
    push(
        format!(
            "{}{}",
            lib.tasks_heading_number(Lang::Zh),
            p.tasks_heading.zh
        ),
        "plan",
        "tasks_heading:",
    );
    for a in lib.actions() {
        push(
            format!("{}{}。", a.number(Lang::Zh), a.action.title.zh),
            "plan",
            &a.action.id,
        );
        for nt in &a.tasks {
            let t = nt.task;
            push(
                format!(
                    "{}{}。{}（{}：{}）",
                    nt.number(),
                    t.title.zh,
                    t.text.zh,
                    s("responsible_units"),
                    t.units_text.zh
                ),
                "plan",
                &t.id,
            );
        }
    }
    for para in &p.closing {
        push(para.text.zh.clone(), "plan", &para.id);
    }
    let att = &d.attachment;
    push(
        format!("{}：{}", s("attachment"), att.title.zh),
        "attachment",
        "title:",
    );
    push(s("attachment"), "attachment", "title:");
    push(att.title.zh.clone(), "attachment", "title:");
    for sec in lib.sections() {
        push(
            format!("{}{}", sec.number(Lang::Zh), sec.section.title.zh),
            "attachment",
            &sec.section.id,
        );
        for ni in &sec.items {
            let item = ni.item;
            let body: String = item.clauses.iter().map(|c| c.text.zh.as_str()).collect();
            push(
                format!("{}{}。{}", ni.number(Lang::Zh), item.title.zh, body),
                "attachment",
                &item.id,
            );
        }
    }
    push(format!("{}：{}", s("cc"), m.cc.zh), "meta", "cc:");
    push(m.issuer.zh.clone(), "meta", "issuer:");
    push(
        format!("{}{}", m.issued.long(Lang::Zh), s("printed")),
        "meta",
        "issued:",
    );
    out
}

/// Checks the Chinese content against `source.txt` with its repairs; reports every paragraph
/// that differs, with the first differing character.
pub fn check(lib: &Library) -> Vec<ContentError> {
    let d = &lib.content.document;
    if d.consolidated {
        // The site's consolidation has no issued text: the amending document's own text is
        // checked against its source instead.
        return Vec::new();
    }
    let expected = match apply_repairs(&d.source, &d.repairs, &d.repairs_file) {
        Ok(p) => p,
        Err(e) => return vec![e],
    };
    compare(&content_paragraphs(lib), &expected, &d.source)
}

/// Compares the Chinese the content states, paragraph by paragraph, with the issued text
/// (`source`, after its repairs): every paragraph that differs is reported, with the first
/// differing character; a paragraph beyond the source, or a source longer than the content,
/// once. The one comparison for the featured document and for every clause text.
pub fn compare(
    got: &[ContentParagraph],
    expected: &[String],
    source: &SourceFile,
) -> Vec<ContentError> {
    let mut errors = Vec::new();
    for (i, para) in got.iter().enumerate() {
        let Some(want) = expected.get(i) else {
            errors.push(para.file.error_at(
                Some(&para.anchor),
                "zh:",
                "zh",
                format!(
                    "this paragraph is not in source.txt (the repaired source has {} paragraphs)",
                    expected.len()
                ),
            ));
            break;
        };
        if &para.text != want {
            let at = para
                .text
                .chars()
                .zip(want.chars())
                .take_while(|(a, b)| a == b)
                .count();
            let ctx = |s: &str| {
                s.chars()
                    .skip(at.saturating_sub(8))
                    .take(24)
                    .collect::<String>()
            };
            errors.push(para.file.error_at(
                Some(&para.anchor),
                "zh:",
                "zh",
                format!(
                    "the Chinese differs from source.txt with its repairs at character {at}: content has `…{}…`, the issued text has `…{}…` (the Chinese must be the issued text; fix the content, or add a repair to repairs.yaml)",
                    ctx(&para.text),
                    ctx(want)
                ),
            ));
        }
    }
    if got.len() < expected.len() && errors.is_empty() {
        errors.push(ContentError::new(
            &source.path,
            format!(
                "the content ends before the issued text: missing `{}`",
                expected[got.len()]
            ),
        ));
    }
    errors
}
