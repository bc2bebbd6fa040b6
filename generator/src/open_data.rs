//! The library as open data, for anyone who would rather read data than pages: one JSON file
//! per document version, `data/<doc-id>/<YYYY-MM-DD>.json` (the date the version takes effect),
//! with its metadata, relations, clauses in both languages, subsidies and units; the list of
//! them all in `data/index.json`; and the JSON Schema both follow, `data/schema.json`
//! (`open_data.schema.json` beside this file; README, "Open data").
//!
//! Everything is read from the derived library ([`Library`]), as the pages are, so the data and
//! the pages cannot disagree. [`editions`] is the list of document versions the publishing
//! outputs (this data, the Atom feeds, the sitemap's dates) loop over: today the library holds
//! one document in one version.

use calculator::Text;
use serde_json::{json, Value};

use crate::error::BuildError;
use crate::library::Library;
use crate::model::Date;
use crate::render::Output;

/// The folder of the open data in `dist/`.
pub const DATA_DIR: &str = "data";

/// The version of the files' shape; raised when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// The JSON Schema of the files, as published at `data/schema.json`.
pub const SCHEMA: &str = include_str!("open_data.schema.json");

/// One version of one document, as the publishing outputs list it.
#[derive(Debug, Clone)]
pub struct Edition<'a> {
    /// The document's id (its folder in `content/documents/`).
    pub doc_id: &'a str,
    /// The date this version takes effect: its identity (`data/<doc>/<date>.json`).
    pub date: Date,
    /// The day this version's text was issued (made public): the date of its content.
    pub published: Date,
    /// The last day it is in force, when its text sets one.
    pub expires: Option<Date>,
    /// 发文字号.
    pub number: &'a Text,
    /// The document's title.
    pub title: &'a Text,
    /// 发文机关.
    pub issuer: &'a Text,
    /// The page that shows this version, under a language's folder (`""`: the language's home).
    pub page: String,
}

impl Edition<'_> {
    /// `data/<doc-id>/<YYYY-MM-DD>.json`.
    pub fn data_path(&self) -> String {
        format!("{DATA_DIR}/{}/{}.json", self.doc_id, self.date.iso())
    }
}

/// Every document version of the library, oldest first. Today: the one document, in the one
/// version its text issued, in force from its effective date for its term of validity.
pub fn editions<'a>(lib: &Library<'a>) -> Vec<Edition<'a>> {
    let m = &lib.content.document.meta;
    vec![Edition {
        doc_id: &m.id,
        date: m.effective,
        published: m.issued,
        expires: Some(m.effective.end_of_term(m.validity_years)),
        number: &m.number,
        title: &m.title,
        issuer: &m.issuer,
        page: String::new(),
    }]
}

/// Adds `data/index.json`, `data/schema.json` and one file per document version.
pub fn add_open_data(out: &mut Output, lib: &Library) -> Result<(), BuildError> {
    let editions = editions(lib);
    let mut documents: Vec<Value> = Vec::new();
    for e in &editions {
        let file = version_file(lib, e);
        out.insert(e.data_path(), to_bytes(&file)?);
        let entry = json!({
            "date": e.date.iso(),
            "issued": e.published.iso(),
            "expires": e.expires.map(|d| d.iso()),
            "file": format!("{}/{}.json", e.doc_id, e.date.iso()),
        });
        match documents.iter_mut().find(|d| d["id"] == e.doc_id) {
            Some(d) => d["versions"]
                .as_array_mut()
                .expect("versions is an array")
                .push(entry),
            None => documents.push(json!({
                "id": e.doc_id,
                "number": e.number,
                "title": e.title,
                "issuer": e.issuer,
                "versions": [entry],
            })),
        }
    }
    let index = json!({
        "schema_version": SCHEMA_VERSION,
        "schema": "schema.json",
        "documents": documents,
    });
    out.insert(format!("{DATA_DIR}/index.json"), to_bytes(&index)?);
    out.insert(
        format!("{DATA_DIR}/schema.json"),
        SCHEMA.as_bytes().to_vec(),
    );
    Ok(())
}

fn to_bytes(v: &Value) -> Result<Vec<u8>, BuildError> {
    let mut b = serde_json::to_vec_pretty(v).map_err(|source| BuildError::Json {
        what: "the open data",
        source,
    })?;
    b.push(b'\n');
    Ok(b)
}

/// A link to an anchor of a page, in both languages, relative to the site's root.
fn urls(page: &str, id: &str) -> Value {
    json!({"zh": format!("zh/{page}#{id}"), "en": format!("en/{page}#{id}")})
}

/// The file of one document version.
fn version_file(lib: &Library, e: &Edition) -> Value {
    let d = &lib.content.document;
    let m = &d.meta;
    let mut clauses: Vec<Value> = Vec::new();
    let mut push = |id: &str,
                    kind: &str,
                    parent: Option<&str>,
                    number: Option<Text>,
                    title: Option<&Text>,
                    text: Option<&Text>,
                    units: &[String],
                    page: &str| {
        clauses.push(json!({
            "id": id,
            "kind": kind,
            "parent": parent,
            "number": number,
            "title": title,
            "text": text,
            "units": units,
            "url": urls(page, id),
        }));
    };
    let g = &d.plan.general;
    let general_no = Text {
        zh: lib.general_number(calculator::Lang::Zh),
        en: lib.general_number(calculator::Lang::En),
    };
    push(
        &g.id,
        "general",
        None,
        Some(general_no),
        Some(&g.heading),
        Some(&g.text),
        &[],
        "plan/",
    );
    for a in lib.actions() {
        let number = Text {
            zh: a.number(calculator::Lang::Zh),
            en: a.number(calculator::Lang::En),
        };
        push(
            &a.action.id,
            "action",
            None,
            Some(number),
            Some(&a.action.title),
            None,
            &[],
            "plan/",
        );
        for t in &a.tasks {
            let number = Text {
                zh: t.number(),
                en: t.number(),
            };
            let text = Text {
                zh: format!("{}{}", t.task.text.zh, t.task.units_text.zh),
                en: format!("{} {}", t.task.text.en, t.task.units_text.en)
                    .trim()
                    .to_string(),
            };
            push(
                &t.task.id,
                "task",
                Some(&a.action.id),
                Some(number),
                Some(&t.task.title),
                Some(&text),
                &t.task.units,
                "plan/",
            );
        }
    }
    for p in &d.plan.closing {
        push(
            &p.id,
            "paragraph",
            None,
            None,
            None,
            Some(&p.text),
            &[],
            "plan/",
        );
    }
    let mut subsidies: Vec<Value> = Vec::new();
    for s in lib.sections() {
        let number = Text {
            zh: s.number(calculator::Lang::Zh),
            en: s.number(calculator::Lang::En),
        };
        push(
            &s.section.id,
            "section",
            None,
            Some(number),
            Some(&s.section.title),
            None,
            &[],
            "attachment/",
        );
        for i in &s.items {
            let number = Text {
                zh: i.full_number(calculator::Lang::Zh),
                en: i.full_number(calculator::Lang::En),
            };
            push(
                &i.item.id,
                "item",
                Some(&s.section.id),
                Some(number),
                Some(&i.item.title),
                None,
                &i.item.units,
                "attachment/",
            );
            for c in &i.item.clauses {
                push(
                    &c.id,
                    "clause",
                    Some(&i.item.id),
                    None,
                    None,
                    Some(&c.text),
                    &[],
                    "attachment/",
                );
                if let Some(sub) = &c.subsidy {
                    subsidies.push(json!({
                        "clause": c.id,
                        "item": i.item.id,
                        "label": i.label(&lib.attachment_word()),
                        "serves": i.item.serves,
                        "units": i.item.units,
                        "task_units": i.task_units,
                        "rule": sub,
                        "url": urls("attachment/", &format!("subsidy-{}", sub.id)),
                    }));
                }
            }
        }
    }
    let units: Vec<Value> = lib
        .content
        .units
        .iter()
        .map(|u| {
            json!({
                "id": u.id,
                "name": u.name,
                "aliases": u.aliases,
                "kind": u.kind,
                "note": u.note,
                "url": {"zh": format!("zh/units/{}/", u.id), "en": format!("en/units/{}/", u.id)},
            })
        })
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "document": {
            "id": m.id,
            "number": m.number,
            "title": m.title,
            "issuer": m.issuer,
            "addressees": m.addressees,
            "publicity": m.publicity,
            "issued": m.issued.iso(),
            "effective": m.effective.iso(),
            "expires": e.expires.map(|d| d.iso()),
            "lead_unit": m.lead_unit,
            "notice": m.body,
            "cc": m.cc,
            "titles": {"plan": d.plan.title, "attachment": d.attachment.title},
        },
        "version": {
            "date": e.date.iso(),
            "issued": e.published.iso(),
            "kind": "issued-text",
            "url": {"zh": format!("zh/{}", e.page), "en": format!("en/{}", e.page)},
        },
        "relations": [{
            "type": "supersedes",
            "extent": "part",
            "document": {"id": null, "number": m.replaces.number, "title": m.replaces.title},
            "provisions": m.replaces.scope,
            "from": m.effective.iso(),
        }],
        "clauses": clauses,
        "subsidies": subsidies,
        "units": units,
    })
}
