//! The library of documents: every folder of `content/documents/`, its entry (number, issuer,
//! dates, relations to other documents), and its dated versions — each a complete text in both
//! languages with its subsidies, either issued (a full text checked against its own
//! `source.txt`) or consolidated by the site from an amending document's changes. Nothing is
//! edited in place: a later version is a new folder or a new amending document, and our own
//! corrections are a log applied to every version they concern.
//!
//! Layout of a document folder:
//!
//! ```text
//! documents/<id>/document.yaml                 the entry (this module's `Entry`)
//! documents/<id>/versions/<YYYY-MM-DD>/…       one folder per issued version, named by the
//!                                              date it takes effect:
//!   action-plan: notice.yaml plan.yaml attachment.yaml source.txt repairs.yaml
//!   sections / paragraphs: text.yaml source.txt repairs.yaml
//! ```
//!
//! A record (`shape: record`) has no `versions/`.

use std::collections::BTreeMap;
use std::path::Path;

use calculator::{Subsidy, Text};
use serde::Deserialize;

use crate::error::ContentError;
use crate::load::{apply_repairs, parse_yaml, read_file, DocumentSource, Repair, SourceFile};
use crate::model::Date;
use crate::validate::faithful::{compare, ContentParagraph};

/// The folder of the library, below the content folder.
pub const DOCUMENTS: &str = "documents";

/// The library's own settings (`library.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The document whose current version the site's first pages show (`/zh/plan/`, the
    /// calculator): an action plan.
    pub featured: String,
}

/// What kind of text a document has: the render stage works over each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// A notice issuing an action plan with an attachment of subsidies (台政办发〔2024〕26号).
    ActionPlan,
    /// Sections of numbered clauses (implementing rules, 实施细则).
    Sections,
    /// A few paragraphs (an annual application notice, an amending notice).
    Paragraphs,
    /// No text: number, title, issuer and what ended it.
    Record,
}

/// A document's entry (`documents/<id>/document.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable id: the folder's name and the URL segment.
    pub id: String,
    /// The kind of text.
    pub shape: Shape,
    /// 发文字号.
    pub number: Text,
    /// The title.
    pub title: Text,
    /// 发文机关.
    pub issuer: Text,
    /// 印发日期, where a source states it.
    #[serde(default)]
    pub issued: Option<Date>,
    /// 施行日期 (of the first version).
    #[serde(default)]
    pub effective: Option<Date>,
    /// The last day in force, where the text sets one.
    #[serde(default)]
    pub expires: Option<Date>,
    /// A link to the official original.
    #[serde(default)]
    pub official_url: Option<String>,
    /// Relations to other documents, stated from this side (the other side is derived).
    #[serde(default)]
    pub relations: Vec<Relation>,
    /// For an amending document: the changes it makes to another document's text.
    #[serde(default)]
    pub amends: Option<Amends>,
    /// Our own corrections (a translation, a reading), applied to every version they concern.
    #[serde(default)]
    pub corrections: Vec<Correction>,
}

/// A relation from this document to another.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// What this document does to the other.
    pub kind: RelationKind,
    /// The other document's id.
    pub document: String,
    /// Whole, or in part.
    #[serde(default = "Extent::whole")]
    pub extent: Extent,
    /// From when.
    #[serde(default)]
    pub from: Option<Date>,
    /// Which of its provisions (for a relation in part).
    #[serde(default)]
    pub scope: Option<Text>,
    /// The clause of this document that says so.
    #[serde(default)]
    pub clause: Option<String>,
    /// The words of that clause that say so (checked to stand in it, in both languages).
    #[serde(default)]
    pub quote: Option<Text>,
}

/// The kinds of relation between documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelationKind {
    /// This document ends (some of) the other's provisions.
    Supersedes,
    /// This document implements the other (实施细则).
    Implements,
    /// This document changes the other's text.
    Amends,
    /// This document interprets the other (政策解读).
    Interprets,
}

impl RelationKind {
    /// The interface word for the relation seen from this side, and from the other.
    pub fn keys(self) -> (&'static str, &'static str) {
        match self {
            RelationKind::Supersedes => ("rel_supersedes", "rel_superseded_by"),
            RelationKind::Implements => ("rel_implements", "rel_implemented_by"),
            RelationKind::Amends => ("rel_amends", "rel_amended_by"),
            RelationKind::Interprets => ("rel_interprets", "rel_interpreted_by"),
        }
    }
}

/// Whole or in part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Extent {
    /// The whole document.
    Whole,
    /// Some of its provisions.
    Part,
}

impl Extent {
    fn whole() -> Self {
        Extent::Whole
    }
}

/// The changes an amending document makes to another document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amends {
    /// The amended document's id.
    pub document: String,
    /// The changes, applied in order to the version in force the day before this document's
    /// effective date.
    pub changes: Vec<Change>,
}

/// One change of an amending document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The amending document's clause that makes the change.
    pub by: String,
    /// The amended clause's id.
    pub clause: String,
    /// Its new text, in both languages.
    #[serde(default)]
    pub text: Option<Text>,
    /// Its new subsidy (figures, caps).
    #[serde(default)]
    pub subsidy: Option<Subsidy>,
}

/// A correction of our own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// When we made it.
    pub date: Date,
    /// The clause it concerns.
    pub clause: String,
    /// The corrected English (the Chinese is the issued text and is never corrected here).
    #[serde(default)]
    pub en: Option<String>,
    /// The corrected reading of the clause's subsidy.
    #[serde(default)]
    pub reading: Option<Text>,
    /// What was wrong, in both languages.
    pub why: Text,
}

/// A text of shape `sections` or `paragraphs` (`text.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseText {
    /// The title, as the text states it.
    pub title: Text,
    /// Sections of clauses (shape `sections`).
    #[serde(default)]
    pub sections: Vec<TextSection>,
    /// Paragraphs (shape `paragraphs`).
    #[serde(default)]
    pub paragraphs: Vec<TextClause>,
}

/// A section of a clause text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextSection {
    /// Anchor id.
    pub id: String,
    /// The heading, as the text writes it (with its number).
    pub title: Text,
    /// Its clauses.
    pub clauses: Vec<TextClause>,
}

/// A clause (or paragraph) of a clause text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextClause {
    /// Anchor id.
    pub id: String,
    /// The clause, as the text writes it (with its number).
    pub text: Text,
    /// The support measure it states.
    #[serde(default)]
    pub subsidy: Option<Subsidy>,
}

/// A clause text as loaded, with its files.
#[derive(Debug, Clone)]
pub struct ClauseTextSource {
    /// The text.
    pub text: ClauseText,
    /// `text.yaml`.
    pub file: SourceFile,
    /// The text as received.
    pub source: SourceFile,
    /// Repairs of extraction damage.
    pub repairs: Vec<Repair>,
    /// The repairs' file.
    pub repairs_file: SourceFile,
}

/// The text of one version.
#[derive(Debug, Clone)]
pub enum Body {
    /// A notice with an action plan and its attachment: the machinery of the first edition.
    ActionPlan(Box<DocumentSource>),
    /// Sections or paragraphs of clauses.
    Clauses(Box<ClauseTextSource>),
}

/// Where a version's text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// An issued full text, checked against its own source.
    Issued,
    /// The site's consolidation: the previous version with an amending document's changes.
    Consolidated {
        /// The amending document's id.
        by: String,
    },
}

/// One dated version of a document.
#[derive(Debug, Clone)]
pub struct Version {
    /// The date it takes effect: also its id and URL segment.
    pub date: Date,
    /// Issued or consolidated.
    pub origin: Origin,
    /// Its complete text in both languages, with its subsidies.
    pub body: Body,
}

/// A clause of a version, read generically (for what-changed, search and markers).
#[derive(Debug, Clone, Copy)]
pub struct ClauseRef<'a> {
    /// Its anchor id.
    pub id: &'a str,
    /// Its text.
    pub text: &'a Text,
    /// The subsidy it states.
    pub subsidy: Option<&'a Subsidy>,
    /// The page of the version it stands on (`plan/`, `attachment/`, `text/`).
    pub part: &'static str,
}

impl Body {
    /// Every clause in document order: the units of comparison between versions.
    pub fn clauses(&self) -> Vec<ClauseRef<'_>> {
        let mut out = Vec::new();
        match self {
            Body::ActionPlan(d) => {
                let p = &d.plan;
                out.push(ClauseRef {
                    id: &p.general.id,
                    text: &p.general.text,
                    subsidy: None,
                    part: "plan/",
                });
                for a in &p.actions {
                    for t in &a.tasks {
                        out.push(ClauseRef {
                            id: &t.id,
                            text: &t.text,
                            subsidy: None,
                            part: "plan/",
                        });
                    }
                }
                for c in &p.closing {
                    out.push(ClauseRef {
                        id: &c.id,
                        text: &c.text,
                        subsidy: None,
                        part: "plan/",
                    });
                }
                for s in &d.attachment.sections {
                    for i in &s.items {
                        for c in &i.clauses {
                            out.push(ClauseRef {
                                id: &c.id,
                                text: &c.text,
                                subsidy: c.subsidy.as_ref(),
                                part: "attachment/",
                            });
                        }
                    }
                }
            }
            Body::Clauses(t) => {
                for c in t
                    .text
                    .paragraphs
                    .iter()
                    .chain(t.text.sections.iter().flat_map(|s| s.clauses.iter()))
                {
                    out.push(ClauseRef {
                        id: &c.id,
                        text: &c.text,
                        subsidy: c.subsidy.as_ref(),
                        part: "text/",
                    });
                }
            }
        }
        out
    }

    /// The clause with this id.
    pub fn clause(&self, id: &str) -> Option<ClauseRef<'_>> {
        self.clauses().into_iter().find(|c| c.id == id)
    }

    /// The text and subsidy of a clause, to change.
    fn clause_mut(&mut self, id: &str) -> Option<(&mut Text, Option<&mut Option<Subsidy>>)> {
        match self {
            Body::ActionPlan(d) => {
                let p = &mut d.plan;
                if p.general.id == id {
                    return Some((&mut p.general.text, None));
                }
                if let Some(t) = p
                    .actions
                    .iter_mut()
                    .flat_map(|a| a.tasks.iter_mut())
                    .find(|t| t.id == id)
                {
                    return Some((&mut t.text, None));
                }
                if let Some(c) = p.closing.iter_mut().find(|c| c.id == id) {
                    return Some((&mut c.text, None));
                }
                d.attachment
                    .sections
                    .iter_mut()
                    .flat_map(|s| s.items.iter_mut())
                    .flat_map(|i| i.clauses.iter_mut())
                    .find(|c| c.id == id)
                    .map(|c| (&mut c.text, Some(&mut c.subsidy)))
            }
            Body::Clauses(t) => {
                let t = &mut t.text;
                t.paragraphs
                    .iter_mut()
                    .chain(t.sections.iter_mut().flat_map(|s| s.clauses.iter_mut()))
                    .find(|c| c.id == id)
                    .map(|c| (&mut c.text, Some(&mut c.subsidy)))
            }
        }
    }

    /// The title of the text.
    pub fn title(&self) -> &Text {
        match self {
            Body::ActionPlan(d) => &d.meta.title,
            Body::Clauses(t) => &t.text.title,
        }
    }
}

/// A document of the library, as loaded, with its versions oldest first.
#[derive(Debug, Clone)]
pub struct LibraryDocument {
    /// Its entry.
    pub entry: Entry,
    /// The entry's file.
    pub file: SourceFile,
    /// Its versions, oldest first (none for a record).
    pub versions: Vec<Version>,
}

impl LibraryDocument {
    /// The version in force on `day`: the latest that has taken effect, or the first when none
    /// has yet (a document published before it takes effect shows its first text).
    pub fn version_on(&self, day: Date) -> Option<&Version> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.date <= day)
            .or(self.versions.first())
    }

    /// The version taking effect on `date`.
    pub fn version(&self, date: Date) -> Option<&Version> {
        self.versions.iter().find(|v| v.date == date)
    }

    /// The version before the one taking effect on `date`: what a what-changed page compares
    /// it with.
    pub fn predecessor(&self, date: Date) -> Option<&Version> {
        self.versions.iter().rev().find(|v| v.date < date)
    }

    /// The version after the one taking effect on `date`.
    pub fn successor(&self, date: Date) -> Option<&Version> {
        self.versions.iter().find(|v| v.date > date)
    }
}

/// The ids of clauses whose text or subsidy differs between two versions (added and removed
/// clauses included): the clauses a later version changes.
pub fn changed_clauses(old: &Body, new: &Body) -> Vec<String> {
    let a: BTreeMap<&str, ClauseRef> = old.clauses().into_iter().map(|c| (c.id, c)).collect();
    let b = new.clauses();
    let mut out: Vec<String> = b
        .iter()
        .filter(|c| match a.get(c.id) {
            None => true,
            Some(o) => {
                o.text != c.text
                    || serde_json::to_value(o.subsidy).ok() != serde_json::to_value(c.subsidy).ok()
            }
        })
        .map(|c| c.id.to_string())
        .collect();
    for id in a.keys() {
        if !b.iter().any(|c| c.id == *id) {
            out.push(id.to_string());
        }
    }
    out
}

/// Reads `library.yaml` and every document folder; applies amending documents (a consolidated
/// version of the amended document) and corrections. Every mistake found is added to `errors`.
pub fn load_library(
    root: &Path,
    errors: &mut Vec<ContentError>,
) -> (Settings, Vec<LibraryDocument>) {
    let settings = read_file(root, "library.yaml").and_then(|f| parse_yaml::<Settings>(&f));
    let settings = match settings {
        Ok(s) => s,
        Err(e) => {
            errors.push(e);
            Settings {
                featured: String::new(),
            }
        }
    };
    let mut ids: Vec<String> = match std::fs::read_dir(root.join(DOCUMENTS)) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(e) => {
            errors.push(ContentError::new(
                root.join(DOCUMENTS),
                format!("cannot list the documents folder: {e}"),
            ));
            Vec::new()
        }
    };
    ids.sort();
    // Read and parsed on every core, handed out one document at a time, then taken in the order
    // of their ids with their mistakes, as one after another would: parsing the YAML was the
    // whole load stage (0.9-1.4 s of a warm build of the 1,000-document library). Handed out
    // singly, not as a fixed share per core, so that a core slowed by other work (the templates
    // are parsed meanwhile, `crate::generate`) does not leave the other idle at the end.
    let loaded: Vec<(Option<LibraryDocument>, Vec<ContentError>)> =
        crate::parallel::map_in_order(&ids, |id| {
            let mut errors = Vec::new();
            (load_document(root, id, &mut errors), errors)
        });
    let mut docs = Vec::new();
    for (d, e) in loaded {
        errors.extend(e);
        docs.extend(d);
    }
    consolidate(&mut docs, errors);
    correct(&mut docs, errors);
    check(&settings, &docs, errors);
    (settings, docs)
}

fn load_document(root: &Path, id: &str, errors: &mut Vec<ContentError>) -> Option<LibraryDocument> {
    let rel = format!("{DOCUMENTS}/{id}");
    let file = read_file(root, &format!("{rel}/document.yaml"))
        .map_err(|e| errors.push(e))
        .ok()?;
    let entry: Entry = parse_yaml(&file).map_err(|e| errors.push(e)).ok()?;
    if entry.id != id {
        errors.push(file.error_at(
            None,
            "id:",
            "id",
            format!("the id `{}` must be the folder's name `{id}`", entry.id),
        ));
        return None;
    }
    let vdir = root.join(&rel).join("versions");
    let mut dates: Vec<(String, Option<Date>)> = std::fs::read_dir(&vdir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .map(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    let d = Date::parse(&n);
                    (n, d)
                })
                .collect()
        })
        .unwrap_or_default();
    dates.sort();
    let mut versions = Vec::new();
    for (name, date) in dates {
        let vrel = format!("{rel}/versions/{name}");
        let Some(date) = date else {
            errors.push(ContentError::new(
                root.join(&vrel),
                "a version folder must be named by the date it takes effect, YYYY-MM-DD",
            ));
            continue;
        };
        if entry.shape == Shape::Record {
            errors.push(file.error_at(
                None,
                "shape:",
                "shape",
                format!("a record has no text, but {vrel} exists: give the document its shape (action-plan, sections, paragraphs)"),
            ));
            continue;
        }
        let body = match entry.shape {
            Shape::ActionPlan => {
                load_action_plan(root, &vrel, errors).map(|d| Body::ActionPlan(Box::new(d)))
            }
            _ => load_clause_text(root, &vrel, errors).map(|t| Body::Clauses(Box::new(t))),
        };
        if let Some(body) = body {
            versions.push(Version {
                date,
                origin: Origin::Issued,
                body,
            });
        }
    }
    if entry.shape != Shape::Record && versions.is_empty() && errors.is_empty() {
        errors.push(ContentError::new(
            root.join(&rel),
            "expected at least one version folder versions/YYYY-MM-DD/ (or `shape: record` for a record without text)",
        ));
    }
    Some(LibraryDocument {
        entry,
        file,
        versions,
    })
}

/// Reads the five files of an action-plan version.
pub fn load_action_plan(
    root: &Path,
    vrel: &str,
    errors: &mut Vec<ContentError>,
) -> Option<DocumentSource> {
    let read = |name: &str, errors: &mut Vec<ContentError>| {
        read_file(root, &format!("{vrel}/{name}"))
            .map_err(|e| errors.push(e))
            .ok()
    };
    let meta_file = read("notice.yaml", errors);
    let plan_file = read("plan.yaml", errors);
    let attachment_file = read("attachment.yaml", errors);
    let source = read("source.txt", errors);
    let repairs_file = read("repairs.yaml", errors);
    let (meta_file, plan_file, attachment_file, source, repairs_file) = (
        meta_file?,
        plan_file?,
        attachment_file?,
        source?,
        repairs_file?,
    );
    let meta = parse_yaml(&meta_file).map_err(|e| errors.push(e)).ok();
    let plan = parse_yaml(&plan_file).map_err(|e| errors.push(e)).ok();
    let attachment = parse_yaml(&attachment_file)
        .map_err(|e| errors.push(e))
        .ok();
    let repairs = parse_yaml(&repairs_file).map_err(|e| errors.push(e)).ok();
    Some(DocumentSource {
        meta: meta?,
        plan: plan?,
        attachment: attachment?,
        source,
        repairs: repairs?,
        meta_file,
        plan_file,
        attachment_file,
        repairs_file,
        consolidated: false,
    })
}

/// Reads the three files of a clause text's version.
pub fn load_clause_text(
    root: &Path,
    vrel: &str,
    errors: &mut Vec<ContentError>,
) -> Option<ClauseTextSource> {
    let read = |name: &str, errors: &mut Vec<ContentError>| {
        read_file(root, &format!("{vrel}/{name}"))
            .map_err(|e| errors.push(e))
            .ok()
    };
    let file = read("text.yaml", errors);
    let source = read("source.txt", errors);
    let repairs_file = read("repairs.yaml", errors);
    let (file, source, repairs_file) = (file?, source?, repairs_file?);
    let text = parse_yaml(&file).map_err(|e| errors.push(e)).ok();
    let repairs = parse_yaml(&repairs_file).map_err(|e| errors.push(e)).ok();
    Some(ClauseTextSource {
        text: text?,
        file,
        source,
        repairs: repairs?,
        repairs_file,
    })
}

/// Applies every amending document to the document it amends: a new consolidated version of
/// the amended document on the amending document's effective date.
fn consolidate(docs: &mut [LibraryDocument], errors: &mut Vec<ContentError>) {
    let mut amendments: Vec<(usize, Amends, Option<Date>)> = docs
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.entry.amends.clone().map(|a| (i, a, d.entry.effective)))
        .collect();
    amendments.sort_by_key(|(_, _, date)| *date);
    for (i, amends, date) in amendments {
        let by = docs[i].entry.id.clone();
        let by_file = docs[i].file.clone();
        let Some(date) = date else {
            errors.push(by_file.error_at(
                None,
                "amends:",
                "effective",
                "an amending document needs its `effective` date: its changes take effect on it",
            ));
            continue;
        };
        for ch in &amends.changes {
            if docs[i]
                .versions
                .iter()
                .all(|v| v.body.clause(&ch.by).is_none())
            {
                errors.push(by_file.error_at(
                    None,
                    &format!("by: {}", ch.by),
                    "amends.changes.by",
                    format!("no clause `{}` in this document's text: a change must cite the amending clause", ch.by),
                ));
            }
        }
        let Some(t) = docs.iter().position(|d| d.entry.id == amends.document) else {
            errors.push(by_file.error_at(
                None,
                "document:",
                "amends.document",
                format!("no document `{}` in the library to amend", amends.document),
            ));
            continue;
        };
        let target = &mut docs[t];
        if target.version(date).is_some() {
            errors.push(by_file.error_at(
                None,
                "amends:",
                "amends",
                format!(
                    "`{}` already has a version taking effect on {}: one version per date",
                    amends.document,
                    date.iso()
                ),
            ));
            continue;
        }
        let Some(prev) = target.predecessor(date) else {
            errors.push(by_file.error_at(
                None,
                "amends:",
                "amends",
                format!(
                    "`{}` has no version in force before {} to amend",
                    amends.document,
                    date.iso()
                ),
            ));
            continue;
        };
        let mut body = prev.body.clone();
        if let Body::ActionPlan(d) = &mut body {
            d.consolidated = true;
        }
        for ch in &amends.changes {
            match body.clause_mut(&ch.clause) {
                None => errors.push(by_file.error_at(
                    None,
                    &format!("clause: {}", ch.clause),
                    "amends.changes.clause",
                    format!(
                        "no clause `{}` in the version of `{}` in force before {}",
                        ch.clause,
                        amends.document,
                        date.iso()
                    ),
                )),
                Some((text, subsidy)) => {
                    if let Some(new) = &ch.text {
                        *text = new.clone();
                    }
                    match (subsidy, &ch.subsidy) {
                        (Some(slot), Some(new)) => *slot = Some(new.clone()),
                        (None, Some(_)) => errors.push(by_file.error_at(
                            None,
                            &format!("clause: {}", ch.clause),
                            "amends.changes.subsidy",
                            format!("clause `{}` states no subsidy: only a clause of the attachment or a text's clause can", ch.clause),
                        )),
                        _ => {}
                    }
                }
            }
        }
        target.versions.push(Version {
            date,
            origin: Origin::Consolidated { by: by.clone() },
            body,
        });
        target.versions.sort_by_key(|v| v.date);
    }
}

/// Applies our corrections to every version holding the clause they concern.
fn correct(docs: &mut [LibraryDocument], errors: &mut Vec<ContentError>) {
    for d in docs.iter_mut() {
        for c in d.entry.corrections.clone() {
            let mut found = false;
            for v in d.versions.iter_mut() {
                if let Some((text, subsidy)) = v.body.clause_mut(&c.clause) {
                    found = true;
                    if let Some(en) = &c.en {
                        text.en = en.clone();
                    }
                    if let (Some(r), Some(Some(s))) = (&c.reading, subsidy) {
                        s.reading = Some(r.clone());
                    }
                }
            }
            if !found {
                errors.push(d.file.error_at(
                    None,
                    &format!("clause: {}", c.clause),
                    "corrections.clause",
                    format!("no version of this document has a clause `{}`", c.clause),
                ));
            }
        }
    }
}

/// The library's own checks: relations name documents, quotes stand in their clauses, the
/// first version's notice agrees with the entry.
fn check(settings: &Settings, docs: &[LibraryDocument], errors: &mut Vec<ContentError>) {
    match docs.iter().find(|d| d.entry.id == settings.featured) {
        Some(d) if d.entry.shape == Shape::ActionPlan => {}
        _ if settings.featured.is_empty() => {}
        _ => errors.push(
            ContentError::new(
                "content/library.yaml",
                format!(
                    "`featured: {}` must name an action-plan document of documents/",
                    settings.featured
                ),
            )
            .field("featured"),
        ),
    }
    for d in docs {
        check_document(d, docs, errors);
    }
}

/// The checks of one document of the library: its clause texts against their sources, its
/// relations (the documents they name, the quotes in its own clauses), and its entry against
/// its first version's notice. Nothing here reads another document's text, so a preview that
/// reloads one document runs exactly these checks for it (`serve`).
pub fn check_document(
    d: &LibraryDocument,
    docs: &[LibraryDocument],
    errors: &mut Vec<ContentError>,
) {
    for v in &d.versions {
        if let (Body::Clauses(t), Origin::Issued) = (&v.body, &v.origin) {
            errors.extend(check_clause_text(d.entry.shape, t));
        }
    }
    let f = &d.file;
    for (k, r) in d.entry.relations.iter().enumerate() {
        if !docs.iter().any(|o| o.entry.id == r.document) || r.document == d.entry.id {
            errors.push(f.error_at(
                None,
                &format!("document: {}", r.document),
                format!("relations[{k}].document"),
                format!("no other document `{}` in documents/", r.document),
            ));
        }
        if let (Some(q), Some(cl)) = (&r.quote, &r.clause) {
            let holds = d.versions.iter().any(|v| {
                v.body
                    .clause(cl)
                    .is_some_and(|c| c.text.zh.contains(&q.zh) && c.text.en.contains(&q.en))
            });
            if !holds {
                errors.push(f.error_at(
                    None,
                    "quote:",
                    format!("relations[{k}].quote"),
                    format!(
                        "the quote must stand word for word in clause `{cl}`, in both languages"
                    ),
                ));
            }
        } else if r.quote.is_some() {
            errors.push(f.error_at(
                None,
                "quote:",
                format!("relations[{k}].clause"),
                "a quote needs the `clause` it comes from",
            ));
        }
    }
    if let Some(Version {
        body: Body::ActionPlan(first),
        ..
    }) = d.versions.first()
    {
        let m = &first.meta;
        let same = m.number == d.entry.number
            && m.title == d.entry.title
            && m.issuer == d.entry.issuer
            && Some(m.issued) == d.entry.issued
            && Some(m.effective) == d.entry.effective;
        if !same {
            errors.push(f.error_at(
                None,
                "number:",
                "number",
                format!("the entry's number, title, issuer, issued and effective must be those of the first version's {}", first.meta_file.path.display()),
            ));
        }
    }
}

/// What a document's status is worked out from: the dates its page carries, for the build and
/// for the reader's browser alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// In force from.
    pub effective: Option<Date>,
    /// Last day in force.
    pub expires: Option<Date>,
    /// Superseded as a whole from.
    pub superseded: Option<Date>,
    /// Superseded in part from.
    pub partly_superseded: Option<Date>,
    /// A record without text.
    pub record: bool,
}

impl Standing {
    /// The standing of a document, with the relations other documents state about it.
    pub fn of(doc: &LibraryDocument, docs: &[LibraryDocument]) -> Standing {
        let mut s = Standing {
            effective: doc.entry.effective,
            expires: doc.entry.expires,
            superseded: None,
            partly_superseded: None,
            record: doc.entry.shape == Shape::Record,
        };
        for o in docs {
            for r in &o.entry.relations {
                if r.document == doc.entry.id && r.kind == RelationKind::Supersedes {
                    let from = r.from.or(o.entry.effective);
                    match r.extent {
                        Extent::Whole => s.superseded = s.superseded.min(from).or(from),
                        Extent::Part => {
                            s.partly_superseded = s.partly_superseded.min(from).or(from)
                        }
                    }
                }
            }
        }
        s
    }

    /// The status key (`status_in_force`, …) on `day`. `status.js` works out the same in the
    /// reader's browser from the same dates.
    pub fn on(&self, day: Date) -> &'static str {
        let reached = |d: Option<Date>| d.is_some_and(|d| day >= d);
        if reached(self.superseded) {
            "status_superseded"
        } else if self.record {
            if reached(self.partly_superseded) {
                "status_partly_superseded"
            } else {
                "status_record"
            }
        } else if self.effective.is_some_and(|e| day < e) {
            "status_pending"
        } else if self.expires.is_some_and(|e| day > e) {
            "status_expired"
        } else if reached(self.partly_superseded) {
            "status_partly_superseded"
        } else {
            "status_in_force"
        }
    }
}

/// A clause text's Chinese, paragraph by paragraph (title, then each section's heading and
/// clauses, or each paragraph), must be its `source.txt` with its repairs.
fn check_clause_text(shape: Shape, t: &ClauseTextSource) -> Vec<ContentError> {
    let f = &t.file;
    let mut errors = Vec::new();
    match shape {
        Shape::Sections if t.text.sections.is_empty() || !t.text.paragraphs.is_empty() => {
            errors.push(f.error_at(
                None,
                "title:",
                "sections",
                "a text of shape `sections` has `sections:` (and no `paragraphs:`)",
            ));
        }
        Shape::Paragraphs if t.text.paragraphs.is_empty() || !t.text.sections.is_empty() => {
            errors.push(f.error_at(
                None,
                "title:",
                "paragraphs",
                "a text of shape `paragraphs` has `paragraphs:` (and no `sections:`)",
            ));
        }
        _ => {}
    }
    let expected = match apply_repairs(&t.source, &t.repairs, &t.repairs_file) {
        Ok(p) => p,
        Err(e) => return vec![e],
    };
    let para = |text: &str, anchor: &str| ContentParagraph {
        text: text.to_string(),
        file: f,
        anchor: anchor.to_string(),
    };
    let mut got = vec![para(&t.text.title.zh, "title:")];
    for p in &t.text.paragraphs {
        got.push(para(&p.text.zh, &p.id));
    }
    for s in &t.text.sections {
        got.push(para(&s.title.zh, &s.id));
        for c in &s.clauses {
            got.push(para(&c.text.zh, &c.id));
        }
    }
    errors.extend(compare(&got, &expected, &t.source));
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_status_follows_the_dates() {
        let s = Standing {
            effective: Some(d("2025-01-01")),
            expires: Some(d("2027-12-31")),
            superseded: None,
            partly_superseded: None,
            record: false,
        };
        assert_eq!(s.on(d("2024-12-31")), "status_pending");
        assert_eq!(s.on(d("2025-01-01")), "status_in_force");
        assert_eq!(s.on(d("2027-12-31")), "status_in_force");
        assert_eq!(s.on(d("2028-01-01")), "status_expired");
        let r = Standing {
            effective: None,
            expires: None,
            superseded: None,
            partly_superseded: Some(d("2025-01-01")),
            record: true,
        };
        assert_eq!(r.on(d("2024-06-01")), "status_record");
        assert_eq!(r.on(d("2025-01-01")), "status_partly_superseded");
    }
}
