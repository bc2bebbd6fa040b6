//! The library's pages: the list on the home page, a page per document (metadata, status,
//! relations both ways, timeline of versions, corrections), and the text pages of every
//! version at its permalink (`/<lang>/documents/<id>/<YYYY-MM-DD>/plan/`) and of the version in
//! force on the build date at the stable URL (`/<lang>/documents/<id>/plan/`).

use calculator::{Lang, Subsidy, Text};
use tera::Tera;

use super::changes::{figure_changes, render_changes_pages, ClauseText, Comparison, VersionText};

use super::text::TermLinker;
use super::views::{self, Page, View};
use super::{
    base_view, merge, render, render_page, root_of, s, t, Output, RenderContext, TextPlace,
};
use crate::diff::Segmenter;
use crate::documents::{
    changed_clauses, Body, ClauseRef, LibraryDocument, Origin, Shape, Standing,
};
use crate::error::BuildError;
use crate::library::Library;
use crate::load::Content;
use crate::model::Date;

/// The version a set of text pages shows, and its neighbours.
#[derive(Debug, Clone)]
pub struct VersionPlace {
    /// The document's id.
    pub doc: String,
    /// The version's date.
    pub date: Date,
    /// The amending document, for a consolidation.
    pub consolidated_by: Option<String>,
    /// The next version's date, if any.
    pub next: Option<Date>,
    /// The clauses the next version changes.
    pub changed_next: Vec<String>,
    /// The page each of those clauses stands on.
    pub changed_parts: Vec<&'static str>,
    /// The previous version's date, if any.
    pub prev: Option<Date>,
    /// The clauses this version changes against the previous one.
    pub changed_prev: Vec<String>,
}

impl VersionPlace {
    /// Where a version of a document stands in it.
    pub fn of(doc: &LibraryDocument, date: Date) -> Option<VersionPlace> {
        let v = doc.version(date)?;
        let next = doc.successor(date);
        let (changed_next, changed_parts) = next
            .map(|n| {
                let ids = changed_clauses(&v.body, &n.body);
                let parts = ids
                    .iter()
                    .map(|id| n.body.clause(id).map_or("plan/", |c| c.part))
                    .collect();
                (ids, parts)
            })
            .unwrap_or_default();
        Some(VersionPlace {
            doc: doc.entry.id.clone(),
            date,
            consolidated_by: match &v.origin {
                Origin::Consolidated { by } => Some(by.clone()),
                Origin::Issued => None,
            },
            next: next.map(|n| n.date),
            changed_next,
            changed_parts,
            prev: doc.predecessor(date).map(|p| p.date),
            changed_prev: doc
                .predecessor(date)
                .map(|p| changed_clauses(&p.body, &v.body))
                .unwrap_or_default(),
        })
    }
}

/// `documents/<id>/`.
pub fn doc_path(id: &str) -> String {
    format!("documents/{id}/")
}

/// `documents/<id>/<date>/`.
pub fn version_path(id: &str, date: Date) -> String {
    format!("documents/{id}/{}/", date.iso())
}

/// `documents/<id>/<date>/changes/`: the version against its predecessor.
pub fn changes_path(id: &str, date: Date) -> String {
    format!("{}changes/", version_path(id, date))
}

/// `documents/<id>/changes/<a>..<b>/`: any two versions, on request.
pub fn pair_path(id: &str, a: Date, b: Date) -> String {
    format!("documents/{id}/changes/{}..{}/", a.iso(), b.iso())
}

/// The note on a version's text page.
pub fn version_note(
    ctx: &RenderContext,
    lang: Lang,
    path: &str,
    page: Page,
) -> Option<views::VersionNote> {
    let v = ctx.text.version.as_ref()?;
    let root = root_of(path);
    let c = ctx.content;
    let home = format!("{root}{}/", lang.code());
    let by = v
        .consolidated_by
        .as_ref()
        .and_then(|id| c.library.iter().find(|d| &d.entry.id == id));
    let doc = c.library.iter().find(|d| d.entry.id == v.doc)?;
    let mut changes = Vec::new();
    if v.prev.is_some() {
        changes.push(views::LabelledLink {
            id: "changes-prev".into(),
            label: s(c, "changes_from_prev", lang),
            href: format!("{home}{}", changes_path(&v.doc, v.date)),
        });
    }
    if let Some(n) = v.next {
        changes.push(views::LabelledLink {
            id: "changes-next".into(),
            label: s(c, "changes_to_next", lang).replace("{date}", &n.long(lang)),
            href: format!("{home}{}", changes_path(&v.doc, n)),
        });
    }
    Some(views::VersionNote {
        changes,
        doc_number: t(&doc.entry.number, lang),
        doc_href: format!("{home}{}", doc_path(&v.doc)),
        label: s(c, "version_in_force_from", lang).replace("{date}", &v.date.long(lang)),
        consolidated: by
            .map(|d| s(c, "version_consolidated", lang).replace("{by}", d.entry.number.get(lang))),
        later: v.next.map(|n| views::LaterVersion {
            from: n.iso(),
            reached: ctx.today >= n,
            text: s(c, "version_later", lang).replace("{date}", &n.long(lang)),
            href: format!("{home}{}{}", version_path(&v.doc, n), page.entry().path),
        }),
        permalink: format!(
            "{home}{}{}",
            version_path(&v.doc, v.date),
            page.entry().path
        ),
    })
}

/// The markers of a clause on a version's page: `Amended with effect from …` where the next
/// version changes it (with the what-changed page), and "changed in this version" where this
/// version changed it against the previous one.
pub fn amended(ctx: &RenderContext, lang: Lang, root: &str, id: &str) -> Option<views::Amended> {
    let v = ctx.text.version.as_ref()?;
    let home = format!("{root}{}/", lang.code());
    let next = v.next.and_then(|next| {
        let i = v.changed_next.iter().position(|c| c == id)?;
        Some((next, i))
    });
    let prev = v.prev.filter(|_| v.changed_prev.iter().any(|c| c == id));
    if next.is_none() && prev.is_none() {
        return None;
    }
    let c = ctx.content;
    let (text, href, next_changes_href) = match next {
        Some((next, i)) => (
            s(c, "amended_from", lang).replace("{date}", &next.long(lang)),
            format!(
                "{home}{}{}#{id}",
                version_path(&v.doc, next),
                v.changed_parts[i]
            ),
            format!("{home}{}#change-{id}", changes_path(&v.doc, next)),
        ),
        None => Default::default(),
    };
    Some(views::Amended {
        text,
        href,
        next_changes_href,
        next_changes_text: s(c, "changes_link", lang),
        changed_text: prev
            .map(|p| s(c, "changed_in_version", lang).replace("{date}", &p.long(lang)))
            .unwrap_or_default(),
        changed_href: prev
            .map(|_| format!("{home}{}#change-{id}", changes_path(&v.doc, v.date)))
            .unwrap_or_default(),
    })
}

/// A status as the page carries it.
pub fn standing_view(ctx: &RenderContext, st: &Standing, lang: Lang) -> views::StandingView {
    let c = ctx.content;
    let key = st.on(ctx.today);
    let keys = [
        "status_in_force",
        "status_pending",
        "status_expired",
        "status_superseded",
        "status_partly_superseded",
        "status_record",
    ];
    let words: serde_json::Map<String, serde_json::Value> = keys
        .iter()
        .map(|k| (k.to_string(), serde_json::Value::String(s(c, k, lang))))
        .collect();
    let iso = |d: Option<Date>| d.map(|d| d.iso()).unwrap_or_default();
    views::StandingView {
        key,
        fallback: format!(
            "{}{}",
            s(c, key, lang),
            s(c, "status_as_of_build", lang).replace("{date}", &ctx.today.long(lang))
        ),
        effective: iso(st.effective),
        expires: iso(st.expires),
        superseded: iso(st.superseded),
        partly: iso(st.partly_superseded),
        record: st.record,
        words: serde_json::Value::Object(words).to_string(),
        as_of: s(c, "status_as_of_reader", lang),
    }
}

/// The standing of the featured document.
pub fn featured_standing(ctx: &RenderContext) -> Option<Standing> {
    let c = ctx.content;
    c.featured().map(|d| Standing::of(d, &c.library))
}

/// The year a document is filed under.
fn year_of(d: &LibraryDocument) -> String {
    if let Some(y) = d.entry.issued.or(d.entry.effective).map(|d| d.year) {
        return y.to_string();
    }
    // 〔2023〕: the year in the number.
    let n = &d.entry.number.zh;
    n.find('〔')
        .and_then(|i| n[i + '〔'.len_utf8()..].get(..4))
        .unwrap_or("")
        .to_string()
}

/// The library list of the home page, newest first.
pub fn library_rows(ctx: &RenderContext, lang: Lang, root: &str) -> Vec<views::LibraryRow> {
    let c = ctx.content;
    let mut docs: Vec<&LibraryDocument> = c.library.iter().collect();
    docs.sort_by(|a, b| {
        (year_of(b), b.entry.issued.or(b.entry.effective))
            .cmp(&(year_of(a), a.entry.issued.or(a.entry.effective)))
    });
    docs.into_iter()
        .map(|d| views::LibraryRow {
            id: d.entry.id.clone(),
            href: format!("{root}{}/{}", lang.code(), doc_path(&d.entry.id)),
            number: t(&d.entry.number, lang),
            title: t(&d.entry.title, lang),
            issuer: t(&d.entry.issuer, lang),
            issued: d.entry.issued.map(|x| x.long(lang)).unwrap_or_default(),
            effective: d.entry.effective.map(|x| x.long(lang)).unwrap_or_default(),
            year: year_of(d),
            standing: standing_view(ctx, &Standing::of(d, &c.library), lang),
        })
        .collect()
}

/// The text pages of a version: plan, attachment and parallel for an action plan, `text/`
/// for a clause text.
const ACTION_PLAN_PAGES: [Page; 3] = [Page::Plan, Page::Attachment, Page::Parallel];

/// Renders every document page, every version's text pages and the stable URLs.
pub fn render_library(
    tera: &Tera,
    ctx: &RenderContext,
    out: &mut Output,
) -> Result<(), BuildError> {
    let c = ctx.content;
    // One segmenter for every what-changed page, knowing the site's own words.
    let seg = crate::timings::time("render pages: segmenter (jieba dictionary)", || {
        Segmenter::new(crate::search::domain_words(c).iter().map(String::as_str))
    });
    // A document's pages read no other document's text: the documents are rendered on every
    // core, each into its own output, and merged in the library's order, so that the site and
    // the first error reported do not depend on which thread finished first. The documents
    // with the most text are handed out first (a page per version, each as long as its
    // clauses), so that no thread is left with a long one at the end while the others wait.
    let rendered = crate::parallel::map_costliest_first(
        &c.library,
        |doc| {
            doc.versions
                .iter()
                .map(|v| v.body.clauses().len() + 1)
                .sum::<usize>()
        },
        |doc| {
            let mut pages = Output::new();
            render_document(tera, ctx, &seg, doc, &mut pages).map(|()| pages)
        },
    );
    for pages in rendered {
        merge(out, pages?, "the library's pages")?;
    }
    Ok(())
}

/// Renders the pages of one document: its what-changed pages, its page, and the text pages of
/// every version (at its permalink, and at the stable URL for the version in force). They read
/// no other document's text, so the preview re-renders only these when one document changes.
pub fn render_document(
    tera: &Tera,
    ctx: &RenderContext,
    seg: &Segmenter,
    doc: &LibraryDocument,
    out: &mut Output,
) -> Result<(), BuildError> {
    let c = ctx.content;
    for (i, new) in doc.versions.iter().enumerate().skip(1) {
        let cmp = comparison(c, doc, &doc.versions[i - 1], new);
        let pages =
            render_changes_pages(tera, ctx, seg, &cmp, &changes_path(&doc.entry.id, new.date))?;
        merge(out, pages, "the what-changed pages")?;
    }
    if doc.versions.len() > 2 {
        for (i, a) in doc.versions.iter().enumerate() {
            for b in &doc.versions[i + 1..] {
                let cmp = comparison(c, doc, a, b);
                let pages = render_changes_pages(
                    tera,
                    ctx,
                    seg,
                    &cmp,
                    &pair_path(&doc.entry.id, a.date, b.date),
                )?;
                merge(out, pages, "the what-changed pages")?;
            }
        }
    }
    for lang in Lang::ALL {
        let path = doc_path(&doc.entry.id);
        let view = View {
            base: base_view(ctx, lang, &path),
            page: document_page(ctx, doc, lang, &path),
        };
        out.insert(
            format!("{}/{path}index.html", lang.code()),
            render(tera, "document.html", &view)?.into_bytes(),
        );
    }
    let current = doc.version_on(ctx.today).map(|v| v.date);
    for v in &doc.versions {
        let mut prefixes = vec![version_path(&doc.entry.id, v.date)];
        if Some(v.date) == current {
            prefixes.push(doc_path(&doc.entry.id));
        }
        let place = VersionPlace::of(doc, v.date);
        for prefix in prefixes {
            let text = TextPlace {
                prefix: prefix.clone(),
                canonical: prefix.clone(),
                version: place.clone(),
            };
            match &v.body {
                Body::ActionPlan(src) => {
                    let content = c.at(src);
                    let library = Library::new(&content);
                    let vctx = RenderContext {
                        content: &content,
                        library: &library,
                        today: ctx.today,
                        extra_nav: ctx.extra_nav.clone(),
                        site_url: ctx.site_url.clone(),
                        text,
                    };
                    for lang in Lang::ALL {
                        for page in ACTION_PLAN_PAGES {
                            let html = render_page(tera, &vctx, lang, page, &Mentions::default())?;
                            out.insert(
                                format!("{}/{prefix}{}index.html", lang.code(), page.entry().path),
                                html.into_bytes(),
                            );
                        }
                    }
                }
                Body::Clauses(src) => {
                    let vctx = RenderContext {
                        content: ctx.content,
                        library: ctx.library,
                        today: ctx.today,
                        extra_nav: ctx.extra_nav.clone(),
                        site_url: ctx.site_url.clone(),
                        text,
                    };
                    for lang in Lang::ALL {
                        let path = format!("{prefix}text/");
                        let mut base = base_view(&vctx, lang, &path);
                        base.version_note =
                            version_note(&vctx, lang, &path, Page::Plan).map(|mut n| {
                                n.permalink = n.permalink.replace("plan/", "text/");
                                if let Some(l) = n.later.as_mut() {
                                    l.href = l.href.replace("plan/", "text/");
                                }
                                n
                            });
                        let view = View {
                            base,
                            page: clause_text_page(&vctx, lang, &path, &src.text),
                        };
                        out.insert(
                            format!("{}/{path}index.html", lang.code()),
                            render(tera, "text.html", &view)?.into_bytes(),
                        );
                    }
                }
            }
        }
    }
    Ok(())
}

/// The labels of a version's clauses as its pages number them: `一（三）`-style numbers of the
/// attachment (`附件一（三）`), the plan's `二、（一）1.` tasks, a section's `一、（二）`.
fn clause_labels(c: &crate::load::Content, body: &Body) -> Vec<(String, Text)> {
    use crate::library::{paragraph_number, section_clause_number};
    let both = |f: &dyn Fn(Lang) -> String| Text {
        zh: f(Lang::Zh),
        en: f(Lang::En),
    };
    let mut out = Vec::new();
    match body {
        Body::ActionPlan(src) => {
            let content = c.at(src);
            let lib = Library::new(&content);
            let p = &src.plan;
            out.push((p.general.id.clone(), both(&|l| lib.general_number(l))));
            for a in lib.actions() {
                for tk in &a.tasks {
                    out.push((
                        tk.task.id.clone(),
                        both(&|l| {
                            format!(
                                "{}{}{}",
                                lib.tasks_heading_number(l),
                                a.number(l),
                                tk.number()
                            )
                        }),
                    ));
                }
            }
            for (i, para) in p.closing.iter().enumerate() {
                out.push((
                    para.id.clone(),
                    both(&|l| s(c, "clause_closing", l).replace("{n}", &(i + 1).to_string())),
                ));
            }
            let word = lib.attachment_word();
            for item in lib.items() {
                let label = item.label(&word);
                let many = item.item.clauses.len() > 1;
                for (k, cl) in item.item.clauses.iter().enumerate() {
                    let mut l = label.clone();
                    if many {
                        l.zh.push_str(&format!(" ¶{}", k + 1));
                        l.en.push_str(&format!(" ¶{}", k + 1));
                    }
                    out.push((cl.id.clone(), l));
                }
            }
        }
        Body::Clauses(src) => {
            let t = &src.text;
            for (j, cl) in t.paragraphs.iter().enumerate() {
                out.push((cl.id.clone(), both(&|l| paragraph_number(j + 1, l))));
            }
            for (i, sec) in t.sections.iter().enumerate() {
                for (j, cl) in sec.clauses.iter().enumerate() {
                    out.push((
                        cl.id.clone(),
                        both(&|l| section_clause_number(i + 1, j + 1, l)),
                    ));
                }
            }
        }
    }
    out
}

/// A version as the what-changed page reads it.
fn version_text(
    c: &crate::load::Content,
    doc: &LibraryDocument,
    v: &crate::documents::Version,
) -> VersionText {
    let labels = clause_labels(c, &v.body);
    let prefix = version_path(&doc.entry.id, v.date);
    let first = match v.body {
        Body::ActionPlan(_) => "plan/",
        Body::Clauses(_) => "text/",
    };
    VersionText {
        effective: v.date,
        path: format!("{prefix}{first}"),
        clauses: v
            .body
            .clauses()
            .into_iter()
            .map(|cl| ClauseText {
                id: cl.id.to_string(),
                label: labels
                    .iter()
                    .find(|(id, _)| id == cl.id)
                    .map(|(_, l)| l.clone())
                    .unwrap_or_else(|| Text {
                        zh: cl.id.to_string(),
                        en: cl.id.to_string(),
                    }),
                text: cl.text.clone(),
                path: format!("{prefix}{}", cl.part),
            })
            .collect(),
    }
}

/// Two versions of a document compared: their clauses and their changed figures.
fn comparison(
    c: &crate::load::Content,
    doc: &LibraryDocument,
    old: &crate::documents::Version,
    new: &crate::documents::Version,
) -> Comparison {
    let subsidies = |v: &crate::documents::Version| -> Vec<(Subsidy, &'static str)> {
        v.body
            .clauses()
            .into_iter()
            .filter_map(|cl| cl.subsidy.map(|s| (s.clone(), cl.part)))
            .collect()
    };
    let (o, n) = (subsidies(old), subsidies(new));
    let part_of = |list: &[(Subsidy, &'static str)], id: &str| {
        list.iter()
            .find(|(s, _)| s.id == id)
            .map_or("attachment/", |(_, p)| *p)
    };
    let figures = figure_changes(
        &o.iter().map(|(s, _)| s).collect::<Vec<_>>(),
        &n.iter().map(|(s, _)| s).collect::<Vec<_>>(),
        |sub, in_new| {
            let (v, list) = if in_new { (new, &n) } else { (old, &o) };
            format!(
                "{}{}",
                version_path(&doc.entry.id, v.date),
                part_of(list, &sub.id)
            )
        },
    );
    Comparison {
        old: version_text(c, doc, old),
        new: version_text(c, doc, new),
        figures,
    }
}

fn clause_text_page(
    ctx: &RenderContext,
    lang: Lang,
    path: &str,
    text: &crate::documents::ClauseText,
) -> views::ClauseTextPage {
    let c = ctx.content;
    let root = root_of(path);
    let mut linker = TermLinker::new(
        &c.glossary,
        lang,
        format!("{root}{}/{}", lang.code(), Page::Glossary.entry().path),
    );
    let mut clause = |cl: &crate::documents::TextClause| views::TextClauseView {
        id: cl.id.clone(),
        text_html: linker.html(&cl.text),
        amended: amended(ctx, lang, &root, &cl.id),
    };
    views::ClauseTextPage {
        title: t(&text.title, lang),
        paragraphs: text.paragraphs.iter().map(&mut clause).collect(),
        sections: text
            .sections
            .iter()
            .map(|sec| views::TextSectionView {
                id: sec.id.clone(),
                title: t(&sec.title, lang),
                clauses: sec.clauses.iter().map(&mut clause).collect(),
            })
            .collect(),
    }
}

/// The parts of a version, as links from a page `root` away from the site root.
fn parts(
    ctx: &RenderContext,
    doc: &LibraryDocument,
    prefix: &str,
    lang: Lang,
    root: &str,
) -> Vec<views::LabelledLink> {
    let c = ctx.content;
    let link = |part: &str, key: &str| views::LabelledLink {
        id: part.trim_end_matches('/').to_string(),
        label: s(c, key, lang),
        href: format!("{root}{}/{prefix}{part}", lang.code()),
    };
    match doc.entry.shape {
        Shape::ActionPlan => vec![
            link("plan/", "nav_plan"),
            link("attachment/", "nav_attachment"),
            link("parallel/", "nav_parallel"),
        ],
        Shape::Sections | Shape::Paragraphs => vec![link("text/", "doc_full_text")],
        Shape::Record => Vec::new(),
    }
}

fn document_page(
    ctx: &RenderContext,
    doc: &LibraryDocument,
    lang: Lang,
    path: &str,
) -> views::DocumentPage {
    let c = ctx.content;
    let root = root_of(path);
    let e = &doc.entry;
    let href_of = |id: &str| format!("{root}{}/{}", lang.code(), doc_path(id));
    let row = |k: &str, v: String| views::Row {
        label: s(c, k, lang),
        value: v,
        status: None,
        standing: None,
        href: None,
    };
    let standing = standing_view(ctx, &Standing::of(doc, &c.library), lang);
    let mut meta_rows = vec![
        row("meta_number", t(&e.number, lang)),
        row("meta_doc_title", t(&e.title, lang)),
        row("meta_issuer", t(&e.issuer, lang)),
    ];
    if let Some(d) = e.issued {
        meta_rows.push(row("meta_issued", d.long(lang)));
    }
    if let Some(d) = e.effective {
        meta_rows.push(row("meta_effective", d.long(lang)));
    }
    if let Some(d) = e.expires {
        meta_rows.push(row("meta_expires", d.long(lang)));
    }
    meta_rows.push(views::Row {
        label: s(c, "meta_status", lang),
        value: standing.fallback.clone(),
        status: Some(standing.key),
        standing: Some(standing),
        href: None,
    });
    let current = doc.version_on(ctx.today).map(|v| v.date);
    let mut relations = Vec::new();
    let detail = |r: &crate::documents::Relation| {
        let mut parts = Vec::new();
        if r.extent == crate::documents::Extent::Part {
            parts.push(s(c, "rel_in_part", lang));
        }
        if let Some(sc) = &r.scope {
            parts.push(t(sc, lang));
        }
        if let Some(d) = r.from {
            parts.push(s(c, "rel_from", lang).replace("{date}", &d.long(lang)));
        }
        parts.join(if lang == Lang::Zh { "，" } else { ", " })
    };
    let quote_href = |holder: &LibraryDocument, r: &crate::documents::Relation| {
        let cl = r.clause.as_ref()?;
        let v = holder.version_on(ctx.today)?;
        let part = v.body.clause(cl)?.part;
        Some(format!(
            "{root}{}/{}{part}#{cl}",
            lang.code(),
            doc_path(&holder.entry.id)
        ))
    };
    let name =
        |d: &LibraryDocument| format!("{} {}", t(&d.entry.number, lang), t(&d.entry.title, lang));
    // A relation read from either side: `holder` states it, `other` is the document at its
    // other end from this page's, and `label` words it from this page's side.
    let relation = |label: &str,
                    other: &LibraryDocument,
                    holder: &LibraryDocument,
                    r: &crate::documents::Relation| {
        views::RelationView {
            label: s(c, label, lang),
            other: name(other),
            href: href_of(&other.entry.id),
            detail: detail(r),
            quote: r.quote.as_ref().map(|q| t(q, lang)),
            quote_href: quote_href(holder, r),
        }
    };
    for r in &e.relations {
        if let Some(o) = c.library.iter().find(|o| o.entry.id == r.document) {
            relations.push(relation(r.kind.keys().0, o, doc, r));
        }
    }
    for o in &c.library {
        for r in o.entry.relations.iter().filter(|r| r.document == e.id) {
            relations.push(relation(r.kind.keys().1, o, o, r));
        }
        if o.entry.amends.as_ref().is_some_and(|a| a.document == e.id)
            && !o.entry.relations.iter().any(|r| r.document == e.id)
        {
            relations.push(views::RelationView {
                label: s(c, "rel_amended_by", lang),
                other: name(o),
                href: href_of(&o.entry.id),
                detail: o
                    .entry
                    .effective
                    .map(|d| s(c, "rel_from", lang).replace("{date}", &d.long(lang)))
                    .unwrap_or_default(),
                quote: None,
                quote_href: None,
            });
        }
    }
    let versions: Vec<views::VersionView> = doc
        .versions
        .iter()
        .map(|v| {
            let prefix = version_path(&e.id, v.date);
            let parts = parts(ctx, doc, &prefix, lang, &root);
            views::VersionView {
                date: v.date.iso(),
                date_long: v.date.long(lang),
                href: parts.first().map(|p| p.href.clone()).unwrap_or_default(),
                origin: match &v.origin {
                    Origin::Issued => s(c, "version_issued", lang),
                    Origin::Consolidated { by } => {
                        let n = c
                            .library
                            .iter()
                            .find(|d| &d.entry.id == by)
                            .map(|d| t(&d.entry.number, lang))
                            .unwrap_or_default();
                        s(c, "version_consolidated", lang).replace("{by}", &n)
                    }
                },
                by_href: match &v.origin {
                    Origin::Consolidated { by } => Some(href_of(by)),
                    Origin::Issued => None,
                },
                parts,
                until: doc
                    .successor(v.date)
                    .map(|n| n.date.iso())
                    .unwrap_or_default(),
                current: Some(v.date) == current,
                changes_href: doc
                    .predecessor(v.date)
                    .map(|_| format!("{root}{}/{}", lang.code(), changes_path(&e.id, v.date))),
            }
        })
        .collect();
    let mut pairs = Vec::new();
    if doc.versions.len() > 2 {
        for (i, a) in doc.versions.iter().enumerate() {
            for b in &doc.versions[i + 1..] {
                pairs.push(views::PairLink {
                    old: a.date.iso(),
                    new: b.date.iso(),
                    label: format!("{} → {}", a.date.long(lang), b.date.long(lang)),
                    href: format!("{root}{}/{}", lang.code(), pair_path(&e.id, a.date, b.date)),
                });
            }
        }
    }
    let versions_json = serde_json::Value::Array(
        versions
            .iter()
            .map(|v| serde_json::json!({"date": v.date, "href": v.href}))
            .collect(),
    )
    .to_string();
    let corrections = e
        .corrections
        .iter()
        .map(|k| views::CorrectionView {
            date: k.date.long(lang),
            clause: k.clause.clone(),
            href: doc.version_on(ctx.today).and_then(|v| {
                v.body.clause(&k.clause).map(|cl| {
                    format!(
                        "{root}{}/{}{}#{}",
                        lang.code(),
                        doc_path(&e.id),
                        cl.part,
                        k.clause
                    )
                })
            }),
            why: t(&k.why, lang),
        })
        .collect();
    views::DocumentPage {
        title: t(&e.title, lang),
        id: e.id.clone(),
        doc_number: t(&e.number, lang),
        meta_rows,
        relations,
        versions,
        versions_json,
        expires: e.expires.map(|d| d.iso()).unwrap_or_default(),
        pairs,
        parts: parts(ctx, doc, &doc_path(&e.id), lang, &root),
        corrections,
        record: e.shape == Shape::Record,
        official_url: e.official_url.clone(),
    }
}

/// How many documents a unit's page or a glossary term lists as naming it, at most; the rest
/// are counted, with a link to search for them. Why: listing every clause of every version
/// made the glossary of the 1,000-document library 15 MB of HTML (every term is used in
/// hundreds of documents), unreadable and most of what the build wrote.
pub const MENTIONS_SHOWN: usize = 10;

/// Where the library outside the version the first edition's pages show names each subject (a
/// unit by its name and aliases, a glossary term by its forms), found in one pass over every
/// clause of every version, in Chinese (the issued text). A clause of another version of the
/// featured document counts only where its text differs from the current one's.
#[derive(Default)]
pub struct Mentions<'a> {
    /// For each subject, in the order given: (document, version, clause) in library order.
    hits: Vec<Vec<(usize, usize, ClauseRef<'a>)>>,
}

/// What a unit's page or a glossary term shows of the documents naming it.
#[derive(Default, serde::Serialize)]
pub struct Mentioned {
    /// One link per document, the newest first: the first clause naming the subject in the
    /// latest version that does.
    pub shown: Vec<views::LabelledLink>,
    /// The documents beyond [`MENTIONS_SHOWN`]: how many, and where to search for them.
    pub more: Option<views::LabelledLink>,
}

impl<'a> Mentions<'a> {
    /// Finds every subject's mentions; `subjects[i]` lists the Chinese names of subject `i`
    /// (empty names are ignored).
    ///
    /// Why one automaton over all names: a scan per subject and language read every clause of
    /// the library 2 × (units + terms) times (6 % of a 1,000-document build, `perf`).
    pub fn find(c: &'a Content, subjects: &[Vec<&str>]) -> Self {
        let mut names: Vec<&str> = Vec::new();
        let mut owner: Vec<usize> = Vec::new();
        for (i, list) in subjects.iter().enumerate() {
            for n in list.iter().filter(|n| !n.is_empty()) {
                names.push(n);
                owner.push(i);
            }
        }
        let mut hits = vec![Vec::new(); subjects.len()];
        // A pattern set this small cannot exceed the automaton's limits; should it ever, the
        // pages simply list no mentions rather than stop the build.
        let Ok(automaton) = aho_corasick::AhoCorasick::new(&names) else {
            return Mentions { hits };
        };
        let current = c
            .featured()
            .zip(c.version)
            .and_then(|(d, date)| d.version(date));
        // Each document on every core (the scan is serial otherwise, before the other pages).
        // By index, so the clauses borrow from the content (`'a`), not from the closure's item.
        let documents: Vec<usize> = (0..c.library.len()).collect();
        let per_document = crate::parallel::map_in_order(&documents, |&di| {
            let d = &c.library[di];
            let featured = d.entry.id == c.featured;
            let mut found: Vec<usize> = Vec::new();
            let mut hits: Vec<(usize, usize, ClauseRef<'a>)> = Vec::new();
            for (vi, v) in d.versions.iter().enumerate() {
                if featured && Some(v.date) == c.version {
                    continue;
                }
                for cl in v.body.clauses() {
                    found.clear();
                    found.extend(
                        automaton
                            .find_overlapping_iter(cl.text.zh.as_str())
                            .map(|m| owner[m.pattern().as_usize()]),
                    );
                    if found.is_empty() {
                        continue;
                    }
                    let same_as_current = featured
                        && current
                            .and_then(|cur| cur.body.clause(cl.id))
                            .is_some_and(|x| x.text == cl.text);
                    if same_as_current {
                        continue;
                    }
                    found.sort_unstable();
                    found.dedup();
                    hits.extend(found.iter().map(|&i| (i, vi, cl)));
                }
            }
            hits
        });
        for (di, found) in per_document.into_iter().enumerate() {
            for (i, vi, cl) in found {
                hits[i].push((di, vi, cl));
            }
        }
        Mentions { hits }
    }

    /// What subject `i`'s page shows in `lang` from a page `root` away from the site root;
    /// `query` is what the search link beyond [`MENTIONS_SHOWN`] looks for (the subject's name
    /// in that language).
    pub fn links(
        &self,
        ctx: &RenderContext,
        lang: Lang,
        root: &str,
        i: usize,
        query: &str,
    ) -> Mentioned {
        let c = ctx.content;
        let Some(hits) = self.hits.get(i) else {
            return Mentioned::default();
        };
        // Per document, the first clause of the latest version naming the subject (versions
        // are oldest first, clauses in document order).
        let mut latest: Vec<(usize, usize, ClauseRef<'a>)> = Vec::new();
        for &(di, vi, cl) in hits {
            match latest.last_mut() {
                Some(last) if last.0 == di => {
                    if vi > last.1 {
                        *last = (di, vi, cl);
                    }
                }
                _ => latest.push((di, vi, cl)),
            }
        }
        // The newest versions first: what a reader most likely looks for.
        latest.sort_by(|a, b| {
            let date = |x: &(usize, usize, ClauseRef)| c.library[x.0].versions[x.1].date;
            date(b).cmp(&date(a)).then(a.0.cmp(&b.0))
        });
        let rest = latest.len().saturating_sub(MENTIONS_SHOWN);
        let shown = latest
            .into_iter()
            .take(MENTIONS_SHOWN)
            .map(|(di, vi, cl)| {
                let d = &c.library[di];
                let v = &d.versions[vi];
                let words: String = cl.text.get(lang).chars().take(60).collect();
                let more = if cl.text.get(lang).chars().count() > 60 {
                    "…"
                } else {
                    ""
                };
                views::LabelledLink {
                    id: cl.id.to_string(),
                    label: format!(
                        "{} · {}{}{words}{more}",
                        d.entry.number.get(lang),
                        s(c, "version_in_force_from", lang).replace("{date}", &v.date.long(lang)),
                        s(c, "colon", lang)
                    ),
                    href: format!(
                        "{root}{}/{}{}#{}",
                        lang.code(),
                        version_path(&d.entry.id, v.date),
                        cl.part,
                        cl.id
                    ),
                }
            })
            .collect();
        let search = ctx.extra_nav.iter().any(|(p, _)| *p == "search/");
        let more = (rest > 0).then(|| views::LabelledLink {
            id: String::new(),
            label: s(c, "more_elsewhere", lang)
                .replace("{n}", &rest.to_string())
                .replace("{term}", query),
            // Every version: the mentions span superseded ones too.
            href: if search {
                format!(
                    "{root}{}/search/?q={}&versions=all",
                    lang.code(),
                    query_component(query)
                )
            } else {
                String::new()
            },
        });
        Mentioned { shown, more }
    }
}

/// `text` percent-encoded for a URL's query (UTF-8 bytes; unreserved characters kept).
fn query_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
