//! The search across the library: the documents of every version of every document, each
//! saying in its crumb which document and version it comes from, and the dates each version is
//! in force, so that the search page shows by default only the versions in force on the
//! reader's date (filtered in the browser, `search.js`).

use calculator::{Lang, Text};

use super::docs::{self, SearchDoc, BODY, TITLE};
use crate::documents::{Body, LibraryDocument, Shape};
use crate::library::Library;
use crate::load::Content;
use crate::model::Date;
use crate::render::library::{doc_path, version_path};

/// The dates a search document's version is in force: from (empty for the first version,
/// shown before it takes effect too) and until (the next version's date, empty for the last).
pub type Range = (String, String);

fn s(c: &Content, key: &str, lang: Lang) -> String {
    c.strings
        .get(key)
        .map(|t| t.get(lang).to_string())
        .unwrap_or_default()
}

/// `台政办发〔2024〕26号 · 自2025年1月1日起施行的版本`.
fn version_crumb(c: &Content, d: &LibraryDocument, date: Date) -> Text {
    let one = |lang: Lang| {
        format!(
            "{} · {}",
            d.entry.number.get(lang),
            s(c, "version_in_force_from", lang).replace("{date}", &date.long(lang))
        )
    };
    Text {
        zh: one(Lang::Zh),
        en: one(Lang::En),
    }
}

fn prefix_crumb(pre: &Text, crumb: &Text) -> Text {
    Text {
        zh: format!("{} › {}", pre.zh, crumb.zh),
        en: format!("{} › {}", pre.en, crumb.en),
    }
}

fn range(d: &LibraryDocument, date: Date) -> Range {
    let first = d.versions.first().map(|v| v.date) == Some(date);
    (
        if first { String::new() } else { date.iso() },
        d.successor(date).map(|n| n.date.iso()).unwrap_or_default(),
    )
}

/// Marks the current version's documents (from [`docs::documents`]) with their document and
/// version, and adds the documents of every other version and document of the library.
/// Returns the range of each versioned document, by its index.
pub fn library_documents(lib: &Library, out: &mut Vec<SearchDoc>) -> Vec<(usize, Range)> {
    let c = lib.content;
    let mut ranges = Vec::new();
    let text_doc = |d: &SearchDoc| d.url.starts_with("plan/") || d.url.starts_with("attachment/");
    if let (Some(feat), Some(date)) = (c.featured(), c.version) {
        let pre = version_crumb(c, feat, date);
        for (i, d) in out.iter_mut().enumerate() {
            if text_doc(d) {
                d.crumb = prefix_crumb(&pre, &d.crumb);
                ranges.push((i, range(feat, date)));
            }
        }
    }
    for d in &c.library {
        if d.entry.shape == Shape::Record {
            out.push(SearchDoc {
                id: format!("doc-{}", d.entry.id),
                url: doc_path(&d.entry.id),
                crumb: d.entry.number.clone(),
                title: d.entry.title.clone(),
                text: d.entry.issuer.clone(),
                fields: vec![
                    (TITLE, d.entry.title.clone()),
                    (BODY, d.entry.number.clone()),
                ],
                facets: Default::default(),
                estimate: None,
                part_of: None,
            });
            continue;
        }
        for v in &d.versions {
            if d.entry.id == c.featured && Some(v.date) == c.version {
                continue;
            }
            let pre = version_crumb(c, d, v.date);
            let at = version_path(&d.entry.id, v.date);
            let key = format!("{}-{}-", d.entry.id, v.date.iso());
            let r = range(d, v.date);
            match &v.body {
                Body::ActionPlan(src) => {
                    let content = c.at(src);
                    let vlib = Library::new(&content);
                    for mut doc in docs::documents(&vlib).into_iter().filter(text_doc) {
                        doc.id = format!("{key}{}", doc.id);
                        doc.part_of = doc.part_of.map(|p| format!("{key}{p}"));
                        doc.url = format!("{at}{}", doc.url);
                        doc.crumb = prefix_crumb(&pre, &doc.crumb);
                        // The calculator estimates under the current rules only.
                        doc.estimate = None;
                        ranges.push((out.len(), r.clone()));
                        out.push(doc);
                    }
                }
                Body::Clauses(t) => {
                    let sections = t
                        .text
                        .sections
                        .iter()
                        .map(|s| (Some(&s.title), &s.clauses))
                        .chain(std::iter::once((None, &t.text.paragraphs)));
                    for (heading, clauses) in sections {
                        for cl in clauses {
                            let crumb = match heading {
                                Some(h) => prefix_crumb(&pre, h),
                                None => pre.clone(),
                            };
                            ranges.push((out.len(), r.clone()));
                            out.push(SearchDoc {
                                id: format!("{key}{}", cl.id),
                                url: format!("{at}text/#{}", cl.id),
                                crumb,
                                title: t.text.title.clone(),
                                text: cl.text.clone(),
                                fields: vec![
                                    (BODY, cl.text.clone()),
                                    (docs::CONTEXT, t.text.title.clone()),
                                ],
                                facets: Default::default(),
                                estimate: None,
                                part_of: None,
                            });
                        }
                    }
                }
            }
        }
    }
    ranges
}
