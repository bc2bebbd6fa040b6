//! The library as open data, for anyone who would rather read data than pages: one JSON file
//! per document version, `data/<doc-id>/<YYYY-MM-DD>.json` (the date the version takes effect),
//! with its metadata, relations, clauses in both languages, subsidies and units; the list of
//! them all in `data/index.json`; and the JSON Schema both follow, `data/schema.json`
//! (`open_data.schema.json` beside this file; README, "Open data").
//!
//! Everything is read from the derived library ([`Library`]), as the pages are, so the data and
//! the pages cannot disagree. [`editions`] is the list of document versions the publishing
//! outputs (this data, the Atom feeds, the sitemap's dates) loop over: every version of every
//! document of the library, and each record (a document with no text) as one metadata-only
//! entry, `data/<doc-id>/record.json`.

use calculator::Text;
use serde_json::{json, Value};

use crate::documents::{Body, LibraryDocument, Origin, Shape};
use crate::error::BuildError;
use crate::library::Library;
use crate::model::Date;
use crate::render::library::{doc_path, version_path};
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
    /// A record only: no text, no versions; `date` and `published` are the day of the
    /// earliest document of the library that states what the record says.
    pub record: bool,
}

impl Edition<'_> {
    /// `data/<doc-id>/<YYYY-MM-DD>.json`, `data/<doc-id>/record.json` for a record.
    pub fn data_path(&self) -> String {
        format!("{DATA_DIR}/{}", self.file())
    }

    /// The file below `data/`.
    pub fn file(&self) -> String {
        if self.record {
            format!("{}/record.json", self.doc_id)
        } else {
            format!("{}/{}.json", self.doc_id, self.date.iso())
        }
    }
}

/// Every document version of the library, oldest first within a document, and each record.
pub fn editions<'a>(lib: &Library<'a>) -> Vec<Edition<'a>> {
    let c = lib.content;
    let mut out = Vec::new();
    for d in &c.library {
        let e = &d.entry;
        if e.shape == Shape::Record {
            // A record states no date of its own: it is as new as the first text naming it.
            let day = c
                .library
                .iter()
                .filter(|o| o.entry.relations.iter().any(|r| r.document == e.id))
                .filter_map(|o| o.entry.issued.or(o.entry.effective))
                .chain(e.issued)
                .min();
            if let Some(day) = day {
                out.push(Edition {
                    doc_id: &e.id,
                    date: day,
                    published: day,
                    expires: e.expires,
                    number: &e.number,
                    title: &e.title,
                    issuer: &e.issuer,
                    page: doc_path(&e.id),
                    record: true,
                });
            }
            continue;
        }
        for v in &d.versions {
            let (published, expires, first) = match &v.body {
                Body::ActionPlan(src) => (
                    src.meta.issued,
                    Some(src.meta.effective.end_of_term(src.meta.validity_years)),
                    "plan/",
                ),
                Body::Clauses(_) => (e.issued.unwrap_or(v.date), e.expires, "text/"),
            };
            // A re-issued text shows what is new from the day it was issued; one whose notice
            // bears no later date than the text it replaces (it repeats the first notice) is
            // dated by the day it takes effect, when its words first apply.
            let before = out
                .last()
                .filter(|p: &&Edition| p.doc_id == e.id && !p.record)
                .map(|p| p.published);
            let published = match before {
                Some(b) if published <= b => v.date,
                _ => published,
            };
            let published = match &v.origin {
                Origin::Consolidated { by } => c
                    .library
                    .iter()
                    .find(|o| &o.entry.id == by)
                    .and_then(|o| o.entry.issued)
                    .unwrap_or(v.date),
                Origin::Issued => published,
            };
            out.push(Edition {
                doc_id: &e.id,
                date: v.date,
                published,
                expires: e.expires.or(expires),
                number: &e.number,
                title: &e.title,
                issuer: &e.issuer,
                page: format!("{}{first}", version_path(&e.id, v.date)),
                record: false,
            });
        }
    }
    out
}

/// Adds `data/index.json`, `data/schema.json` and one file per document version.
pub fn add_open_data(out: &mut Output, lib: &Library) -> Result<(), BuildError> {
    let editions = editions(lib);
    let by_id: std::collections::HashMap<&str, &LibraryDocument> = lib
        .content
        .library
        .iter()
        .map(|d| (d.entry.id.as_str(), d))
        .collect();
    // Each version's file on every core (a quarter of a second, serial, at 1,000 documents),
    // in the editions' order.
    let files = crate::parallel::map_in_order(&editions, |e| {
        let doc = by_id.get(e.doc_id)?;
        let file = match doc.version(e.date).map(|v| &v.body) {
            Some(Body::ActionPlan(src)) if !e.record => {
                let content = lib.content.at(src);
                version_file(&Library::new(&content), e, doc)
            }
            _ => generic_file(lib, e, doc),
        };
        Some(to_bytes(&file))
    });
    let mut documents: Vec<Value> = Vec::new();
    // Where each document's entry stands in `documents`: a search of the list per version
    // compared JSON values a million times at 1,000 documents.
    let mut place: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (e, file) in editions.iter().zip(files) {
        let Some(file) = file else {
            continue;
        };
        out.insert(e.data_path(), file?);
        let entry = json!({
            "date": e.date.iso(),
            "issued": e.published.iso(),
            "expires": e.expires.map(|d| d.iso()),
            "record": e.record,
            "file": e.file(),
        });
        match place.get(e.doc_id) {
            Some(&i) => {
                if let Some(list) = documents[i]["versions"].as_array_mut() {
                    list.push(entry);
                }
            }
            None => {
                place.insert(e.doc_id, documents.len());
                documents.push(json!({
                    "id": e.doc_id,
                    "number": e.number,
                    "title": e.title,
                    "issuer": e.issuer,
                    "versions": [entry],
                }));
            }
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

/// The metadata of a library document, and its relations both ways.
fn entry_meta(lib: &Library, doc: &LibraryDocument) -> (Value, Vec<Value>) {
    let e = &doc.entry;
    let iso = |d: Option<Date>| d.map(|d| d.iso());
    let meta = json!({
        "id": e.id,
        "number": e.number,
        "title": e.title,
        "issuer": e.issuer,
        "issued": iso(e.issued),
        "effective": iso(e.effective),
        "expires": iso(e.expires),
        "official_url": e.official_url,
    });
    let other = |id: &str| {
        let o = lib.content.library.iter().find(|d| d.entry.id == id);
        json!({
            "id": id,
            "number": o.map(|o| &o.entry.number),
            "title": o.map(|o| &o.entry.title),
        })
    };
    let mut relations: Vec<Value> = e
        .relations
        .iter()
        .map(|r| {
            json!({
                "type": serde_json::to_value(r.kind).unwrap_or(Value::Null),
                "extent": serde_json::to_value(r.extent).unwrap_or(Value::Null),
                "document": other(&r.document),
                "provisions": r.scope,
                "from": iso(r.from),
            })
        })
        .collect();
    for o in &lib.content.library {
        for r in o.entry.relations.iter().filter(|r| r.document == e.id) {
            relations.push(json!({
                // The relation seen from this side: `superseded-by`, `implemented-by`, …
                "type": r.kind.keys().1.trim_start_matches("rel_").replace('_', "-"),
                "extent": serde_json::to_value(r.extent).unwrap_or(Value::Null),
                "document": other(&o.entry.id),
                "provisions": r.scope,
                "from": iso(r.from),
            }));
        }
    }
    // A relation states what its text states: a field without a value is left out.
    for r in &mut relations {
        if let Value::Object(m) = r {
            m.retain(|_, v| !v.is_null());
        }
    }
    (meta, relations)
}

/// The file of a version of a document not shaped as the action plan, or of a record: its
/// metadata, relations, clauses and subsidies as the generic model reads them.
fn generic_file(lib: &Library, e: &Edition, doc: &LibraryDocument) -> Value {
    let (meta, relations) = entry_meta(lib, doc);
    let v = doc.version(e.date).filter(|_| !e.record);
    let clauses: Vec<Value> = v
        .map(|v| {
            v.body
                .clauses()
                .iter()
                .map(|cl| {
                    json!({
                        "id": cl.id,
                        "kind": "clause",
                        "parent": null,
                        "number": null,
                        "title": null,
                        "text": cl.text,
                        "units": [],
                        "url": urls(&format!("{}{}", version_path(&doc.entry.id, e.date), cl.part), cl.id),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let subsidies: Vec<Value> = v
        .map(|v| {
            v.body
                .clauses()
                .iter()
                .filter_map(|cl| {
                    cl.subsidy.map(|sub| {
                        json!({
                            "clause": cl.id,
                            "rule": sub,
                            "url": urls(&format!("{}{}", version_path(&doc.entry.id, e.date), cl.part), &format!("subsidy-{}", sub.id)),
                        })
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    json!({
        "schema_version": SCHEMA_VERSION,
        "document": meta,
        "version": {
            "date": e.date.iso(),
            "issued": e.published.iso(),
            "kind": if e.record { "record" } else { kind(v.map(|v| &v.origin)) },
            "url": {"zh": format!("zh/{}", e.page), "en": format!("en/{}", e.page)},
        },
        "relations": relations,
        "clauses": clauses,
        "subsidies": subsidies,
        "units": [],
    })
}

/// `issued-text` or `consolidated`.
fn kind(origin: Option<&Origin>) -> &'static str {
    match origin {
        Some(Origin::Consolidated { .. }) => "consolidated",
        _ => "issued-text",
    }
}

/// The file of one version of an action plan (the shape of 台政办发〔2024〕26号), read through
/// the derived library of that version's text.
fn version_file(lib: &Library, e: &Edition, doc: &LibraryDocument) -> Value {
    // Every link goes to this version's own pages, at its permalink.
    let pre = version_path(&doc.entry.id, e.date);
    let urls = |page: &str, id: &str| urls(&format!("{pre}{page}"), id);
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
            "kind": kind(doc.version(e.date).map(|v| &v.origin)),
            "url": {"zh": format!("zh/{}", e.page), "en": format!("en/{}", e.page)},
        },
        "relations": entry_meta(lib, doc).1,
        "clauses": clauses,
        "subsidies": subsidies,
        "units": units,
    })
}
