//! Stage 3, render: the pages of both languages through the Tera templates of the theme.

pub mod calculator;
pub mod changes;
pub mod chart;
pub mod library;
pub mod text;
pub mod views;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use ::calculator::{Amount, CapScope, Lang, Text};
use serde::Serialize;
use serde_json::Value;
use tera::Tera;

use crate::error::{BuildError, ContentError};
use crate::library::{Library, NumberedTask, UnitReach};
use crate::load::Content;
use crate::markdown;
use crate::model::Date;
use text::{escape, units_html, TermLinker};
use views::{Page, Row, View, PAGES};
use Page::Parallel;

/// A rendered file: its path under `dist/` and its bytes.
pub type Output = BTreeMap<String, Vec<u8>>;

/// Everything the renderer needs besides the content.
pub struct RenderContext<'a> {
    /// The content, validated.
    pub content: &'a Content,
    /// The facts derived from it (numbers, units by id, what reaches what).
    pub library: &'a Library<'a>,
    /// The build date (from `SOURCE_DATE_EPOCH` when set), for the validity status.
    pub today: Date,
    /// Extra pages other stages add to the navigation (calculator, search), by path.
    pub extra_nav: Vec<(&'static str, &'static str)>,
    /// Where the site will be served (`https://host/path/`), for absolute `hreflang` and
    /// canonical links; relative links when unknown.
    pub site_url: Option<String>,
    /// Which text the text pages (plan, attachment, parallel) show and where they stand.
    pub text: TextPlace,
}

/// Where the text pages of one version are written, and what the version is.
#[derive(Debug, Clone, Default)]
pub struct TextPlace {
    /// Their path below `/<lang>/` before `plan/`: `` for the first edition's URLs,
    /// `documents/<id>/` for the stable URLs, `documents/<id>/<date>/` for a version.
    pub prefix: String,
    /// The prefix of the stable URLs, their canonical link.
    pub canonical: String,
    /// The version shown, when it is known (absent in tests of one text).
    pub version: Option<library::VersionPlace>,
}

/// Loads the theme's templates, naming the file on a syntax error.
pub fn load_theme(theme: &Path) -> Result<Tera, BuildError> {
    let glob = theme.join("templates/**/*.html");
    let mut tera = Tera::new(&glob.to_string_lossy())
        .map_err(|e| BuildError::Template(format!("{}: {}", theme.display(), error_chain(&e))))?;
    tera.autoescape_on(vec![".html"]);
    // Tera's default also escapes `/`, which turns every href into `&#x2F;` noise.
    tera.set_escape_fn(escape);
    Ok(tera)
}

/// Every `s.key` a template uses must exist in `site.yaml`, in both languages: otherwise a
/// page would show a hole. Checked before rendering so the error names the content file.
pub fn check_strings(theme: &Path, c: &Content) -> Vec<ContentError> {
    let mut errors = Vec::new();
    let Ok(entries) = std::fs::read_dir(theme.join("templates")) else {
        return errors;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut seen = std::collections::BTreeSet::new();
    for path in paths {
        let Ok(src) = std::fs::read_to_string(&path) else {
            continue;
        };
        let bytes = src.as_bytes();
        let mut i = 0;
        while let Some(pos) = src[i..].find("s.") {
            let at = i + pos;
            let prev = if at == 0 { b' ' } else { bytes[at - 1] };
            let key: String = src[at + 2..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            let is_key_use =
                !(prev.is_ascii_alphanumeric() || prev == b'_' || prev == b'.' || key.is_empty());
            if is_key_use && seen.insert(key.clone()) && !c.strings.contains_key(&key) {
                errors.push(
                    ContentError::new(
                        &c.strings_file.path,
                        format!(
                            "missing interface text `{key}` (used by template {}): add `{key}: {{zh: …, en: …}}`",
                            path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
                        ),
                    )
                    .field(key),
                );
            }
            i = at + 2;
        }
    }
    errors
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Renders every page of both languages, and the language chooser at `/`.
pub fn render_site(tera: &Tera, ctx: &RenderContext) -> Result<Output, BuildError> {
    let mut out = Output::new();
    let mentions = mentions(ctx.content);
    for lang in Lang::ALL {
        for entry in &PAGES {
            let html = render_page(tera, ctx, lang, entry.page, &mentions)?;
            out.insert(
                format!("{}/{}index.html", lang.code(), entry.path),
                html.into_bytes(),
            );
        }
        for (k, u) in ctx.content.units.iter().enumerate() {
            let page = unit_path(&u.id);
            let path = format!("{}/{}index.html", lang.code(), page);
            // Ids are checked, so no unit can claim another page's path; should one ever,
            // the build stops rather than let one page silently replace the other.
            if out.contains_key(&path) {
                let other = PAGES
                    .iter()
                    .find(|p| format!("{}/{}index.html", lang.code(), p.path) == path)
                    .map_or_else(
                        || "another unit".to_string(),
                        |p| format!("the page /{}/{}", lang.code(), p.path),
                    );
                return Err(ctx
                    .content
                    .units_file
                    .error_at(
                        None,
                        &u.id,
                        "id",
                        format!(
                            "unit `{}` would write {path}, which {other} already claims",
                            u.id
                        ),
                    )
                    .into());
            }
            let view = View {
                base: base_view(ctx, lang, &page),
                page: unit_page(ctx, lang, &page, (k, u), &mentions),
            };
            out.insert(path, render(tera, "unit.html", &view)?.into_bytes());
        }
    }
    crate::timings::time("render pages: library", || {
        library::render_library(tera, ctx, &mut out)
    })?;
    let chooser = views::ChooserPage {
        zh: strings(ctx.content, Lang::Zh),
        en: strings(ctx.content, Lang::En),
        number: &ctx.content.document.meta.number,
        site_url: ctx.site_url.clone().unwrap_or_default(),
    };
    out.insert(
        "index.html".into(),
        render(tera, "chooser.html", &chooser)?.into_bytes(),
    );
    Ok(out)
}

/// Where the library names each unit and uses each glossary term: the units first, in the
/// content's order, then the terms ([`unit_page`] and [`glossary`] count on that order).
fn mentions(c: &Content) -> library::Mentions<'_> {
    let mut subjects: Vec<Vec<&str>> = c
        .units
        .iter()
        .map(|u| {
            let mut names = vec![u.name.zh.as_str()];
            names.extend(u.aliases.iter().map(String::as_str));
            names
        })
        .collect();
    subjects.extend(c.glossary.iter().map(|term| {
        let mut names = vec![term.term.zh.as_str()];
        names.extend(term.forms.zh.iter().map(String::as_str));
        names
    }));
    library::Mentions::find(c, &subjects)
}

/// Renders one page of the table in one language: every page type has its view, so no page
/// can fall through to another's template. `mentions` serves the glossary.
fn render_page(
    tera: &Tera,
    ctx: &RenderContext,
    lang: Lang,
    page: Page,
    mentions: &library::Mentions,
) -> Result<String, BuildError> {
    let entry = page.entry();
    let path = text_path(ctx, page);
    let mut base = base_view(ctx, lang, &path);
    if is_text_page(page) {
        base.canonical = format!("{}{}", ctx.text.canonical, entry.path);
        base.version_note = library::version_note(ctx, lang, &path, page);
    }
    let tpl = entry.template;
    match page {
        Page::Home => render(
            tera,
            tpl,
            &View {
                base,
                page: home(ctx, lang),
            },
        ),
        Page::Plan => render(
            tera,
            tpl,
            &View {
                base,
                page: plan(ctx, lang),
            },
        ),
        Page::Attachment => render(
            tera,
            tpl,
            &View {
                base,
                page: attachment(ctx, lang),
            },
        ),
        Page::Parallel => render(
            tera,
            tpl,
            &View {
                base,
                page: parallel(ctx, lang),
            },
        ),
        Page::Units => render(
            tera,
            tpl,
            &View {
                base,
                page: units_index(ctx, lang),
            },
        ),
        Page::Glossary => render(
            tera,
            tpl,
            &View {
                base,
                page: glossary(ctx, lang, mentions),
            },
        ),
    }
}

/// Adds the files of a later stage to the output; a path already written by an earlier stage
/// is an error naming the stage, never a silent overwrite.
pub fn merge(out: &mut Output, more: Output, stage: &str) -> Result<(), BuildError> {
    if let Some(path) = more.keys().find(|p| out.contains_key(*p)) {
        return Err(BuildError::Output(format!(
            "{stage} would write {path}, which an earlier stage of the build already wrote"
        )));
    }
    out.extend(more);
    Ok(())
}

/// A value a template is rendered with.
pub(crate) trait Renderable: Serialize {
    /// The interface words, when the value's fields leave them out (a page's [`View`]): they
    /// are then given to the template as `s` from a context made once per thread and language.
    fn interface_words(&self) -> Option<&views::InterfaceWords> {
        None
    }
}

impl<P: Serialize> Renderable for View<P> {
    fn interface_words(&self) -> Option<&views::InterfaceWords> {
        Some(&self.base.s)
    }
}

impl Renderable for Value {}

impl Renderable for views::ChooserPage<'_> {}

pub(crate) fn render(
    tera: &Tera,
    tpl: &str,
    value: &impl Renderable,
) -> Result<String, BuildError> {
    let page =
        tera::Context::from_serialize(value).map_err(|e| BuildError::Template(error_chain(&e)))?;
    let rendered = match value.interface_words() {
        // A page's own `s`, were there one, would stand in for the words, as a field of the
        // same name did in the one map the view serialised to.
        Some(words) if !page.contains_key("s") => {
            with_words(words, page, |context| tera.render(tpl, context))
        }
        _ => tera.render(tpl, &page),
    };
    rendered.map_err(|e| BuildError::Template(format!("{tpl}: {}", error_chain(&e))))
}

thread_local! {
    /// The interface words made on this thread, per language ([`interface_words`]).
    static WORDS: RefCell<Vec<(Lang, views::InterfaceWords)>> = const { RefCell::new(Vec::new()) };
    /// A Tera context holding only `s`, per set of interface words (the two languages'), for
    /// [`with_words`]: a page's fields are added to it for its rendering and taken out again,
    /// so the words are neither copied nor serialised per page.
    static CONTEXTS: RefCell<Vec<(views::InterfaceWords, tera::Context)>> =
        const { RefCell::new(Vec::new()) };
}

/// Calls `f` with a context of `page`'s fields and `words` as `s`.
fn with_words<T>(
    words: &views::InterfaceWords,
    page: tera::Context,
    f: impl FnOnce(&tera::Context) -> T,
) -> T {
    CONTEXTS.with(|cell| {
        let mut contexts = cell.borrow_mut();
        let at = match contexts.iter().position(|(w, _)| w.same(words)) {
            Some(at) => at,
            None => {
                let mut context = tera::Context::new();
                context.insert("s", words.value());
                // Both languages' stay; words made again (a content edit in `serve`) replace
                // the oldest.
                if contexts.len() >= Lang::ALL.len() {
                    contexts.remove(0);
                }
                contexts.push((words.clone(), context));
                contexts.len() - 1
            }
        };
        let context = &mut contexts[at].1;
        let page = page.into_json();
        let keys: Vec<String> = page
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        if let Ok(page) = tera::Context::from_value(page) {
            context.extend(page);
        }
        let out = f(context);
        for k in &keys {
            context.remove(k);
        }
        out
    })
}

/// The interface words of `lang` as the templates read them, made once per thread while the
/// content's words stay the same.
fn interface_words(c: &Content, lang: Lang) -> views::InterfaceWords {
    WORDS.with(|cell| {
        let mut made = cell.borrow_mut();
        let current = |w: &Value| {
            w.as_object().is_some_and(|m| {
                m.len() == c.strings.len()
                    && m.iter()
                        .zip(&c.strings)
                        .all(|((k, v), (key, t))| k == key && v.as_str() == Some(t.get(lang)))
            })
        };
        if let Some((_, w)) = made.iter().find(|(l, w)| *l == lang && current(w.value())) {
            return w.clone();
        }
        let words = views::InterfaceWords(Arc::new(Value::Object(
            c.strings
                .iter()
                .map(|(k, t)| (k.clone(), Value::String(t.get(lang).to_string())))
                .collect(),
        )));
        made.retain(|(l, _)| *l != lang);
        made.push((lang, words.clone()));
        words
    })
}

/// The interface words in one language, as a map for templates (`s.key`).
pub fn strings(c: &Content, lang: Lang) -> BTreeMap<String, String> {
    c.strings
        .iter()
        .map(|(k, t)| (k.clone(), t.get(lang).to_string()))
        .collect()
}

/// A unit's page, below `/<lang>/`: under the units page.
fn unit_path(id: &str) -> String {
    format!("{}{id}/", Page::Units.entry().path)
}

/// The link to a unit's page from a page `root` away from the site root.
fn unit_href(root: &str, lang: Lang, id: &str) -> String {
    format!("{root}{}/{}", lang.code(), unit_path(id))
}

/// The link to a page of the table from a page `root` away from the site root.
fn page_href(root: &str, lang: Lang, page: Page) -> String {
    format!("{root}{}/{}", lang.code(), page.entry().path)
}

/// The link to an anchor of a page of the table from a page `root` away from the site root.
fn anchor_href(root: &str, lang: Lang, page: Page, anchor: &str) -> String {
    format!("{}#{anchor}", page_href(root, lang, page))
}

/// Whether a page shows the text of a version (and so has a page per version).
pub fn is_text_page(page: Page) -> bool {
    matches!(page, Page::Plan | Page::Attachment | Parallel)
}

/// A page's path below `/<lang>/`: a text page below the version's prefix.
fn text_path(ctx: &RenderContext, page: Page) -> String {
    if is_text_page(page) {
        format!("{}{}", ctx.text.prefix, page.entry().path)
    } else {
        page.entry().path.to_string()
    }
}

/// The link to a page of the table from a page `root` away from the site root, to the same
/// version's page for a text page.
fn text_href(ctx: &RenderContext, root: &str, lang: Lang, page: Page) -> String {
    format!("{root}{}/{}", lang.code(), text_path(ctx, page))
}

/// Relative path from a page at `page` (below `/<lang>/`) to the site root.
fn root_of(page: &str) -> String {
    "../".repeat(1 + page.matches('/').count())
}

/// The context every page shares, as a map for the stages that add fields of their own.
pub(crate) fn base(ctx: &RenderContext, lang: Lang, page: &str) -> serde_json::Map<String, Value> {
    let view = base_view(ctx, lang, page);
    // A struct of strings, booleans and lists serialises to an object; nothing else can come.
    let mut m = match serde_json::to_value(&view) {
        Ok(Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    // The words are no field of the view's serialisation (see `views::InterfaceWords`).
    m.insert("s".into(), view.s.value().clone());
    m
}

/// The context every page shares: language, paths, navigation (the page table, then the
/// pages of later stages), metadata.
fn base_view(ctx: &RenderContext, lang: Lang, page: &str) -> views::Base {
    let c = ctx.content;
    let root = root_of(page);
    let home = format!("{root}{}/", lang.code());
    let nav = PAGES
        .iter()
        .map(|e| (e.path, e.nav))
        .chain(ctx.extra_nav.iter().copied())
        .map(|(p, key)| views::NavLink {
            href: format!("{home}{p}"),
            label: c.strings.get(key).map_or(key, |t| t.get(lang)).to_string(),
            current: p == page || (!p.is_empty() && page.starts_with(p)),
        })
        .collect();
    views::Base {
        canonical: page.to_string(),
        version_note: None,
        lang: lang.code(),
        lang_tag: lang.tag(),
        other: lang.other().code(),
        other_tag: lang.other().tag(),
        root,
        site_url: ctx.site_url.clone(),
        home,
        page: page.to_string(),
        s: interface_words(c, lang),
        nav,
        number: c.document.meta.number.get(lang).to_string(),
        doc_title: c.document.plan.title.get(lang).to_string(),
    }
}

fn t(text: &Text, lang: Lang) -> String {
    text.get(lang).to_string()
}

fn s(c: &Content, key: &str, lang: Lang) -> String {
    c.strings
        .get(key)
        .map(|t| t.get(lang).to_string())
        .unwrap_or_default()
}

/// The validity (有效性) on the build date: not yet in force, in force, or expired.
pub fn validity_status(ctx: &RenderContext) -> &'static str {
    let m = &ctx.content.document.meta;
    let end = m.effective.end_of_term(m.validity_years);
    if ctx.today < m.effective {
        "status_pending"
    } else if ctx.today > end {
        "status_expired"
    } else {
        "status_in_force"
    }
}

/// The metadata block as Chinese government sites show it.
/// `root` is the page's way back to the site root, for the link to the superseded document.
fn meta_rows(ctx: &RenderContext, lang: Lang, root: &str) -> Vec<Row> {
    let c = ctx.content;
    let m = &c.document.meta;
    let end = m.effective.end_of_term(m.validity_years);
    let lead = ctx.library.unit(&m.lead_unit);
    let years = match lang {
        Lang::Zh => format!(
            "{}年（{}至{}）",
            m.validity_years,
            m.effective.long(lang),
            end.long(lang)
        ),
        Lang::En => format!(
            "{} years ({} to {})",
            m.validity_years,
            m.effective.long(lang),
            end.long(lang)
        ),
    };
    let replaces = match lang {
        Lang::Zh => format!(
            "《{}》（{}）{}自{}起不再执行",
            m.replaces.title.zh,
            m.replaces.number.zh,
            m.replaces.scope.zh,
            m.effective.long(lang)
        ),
        Lang::En => format!(
            "{} ({}): {} cease to apply from {}",
            m.replaces.title.en,
            m.replaces.number.en,
            m.replaces.scope.en,
            m.effective.long(lang)
        ),
    };
    let standing = library::featured_standing(ctx).map(|st| library::standing_view(ctx, &st, lang));
    let status_key = standing
        .as_ref()
        .map_or_else(|| validity_status(ctx), |st| st.key);
    let status = standing
        .as_ref()
        .map_or_else(|| s(c, status_key, lang), |st| st.fallback.clone());
    let row = |k: &str, v: String| Row {
        label: s(c, k, lang),
        value: v,
        status: None,
        standing: None,
        href: None,
    };
    let mut rows = vec![
        row("meta_number", t(&m.number, lang)),
        row("meta_issuer", t(&m.issuer, lang)),
        row("meta_addressees", t(&m.addressees, lang)),
        row("meta_issued", m.issued.long(lang)),
        row("meta_effective", m.effective.long(lang)),
        row("meta_validity", years),
        Row {
            label: s(c, "meta_status", lang),
            value: status,
            status: Some(status_key),
            standing,
            href: None,
        },
        Row {
            href: c.featured().and_then(|d| {
                d.entry
                    .relations
                    .iter()
                    .find(|r| r.kind == crate::documents::RelationKind::Supersedes)
                    .map(|r| format!("{root}{}/{}", lang.code(), library::doc_path(&r.document)))
            }),
            ..row("meta_replaces", replaces)
        },
        row("meta_publicity", t(&m.publicity, lang)),
    ];
    if let Some(u) = lead {
        rows.push(row("meta_lead", t(&u.name, lang)));
    }
    rows.push(row("meta_cc", t(&m.cc, lang)));
    rows
}

fn chart(ctx: &RenderContext, lang: Lang) -> views::ChartView {
    let targets = &ctx.content.document.plan.general.targets;
    let years: Vec<i32> = targets
        .first()
        .map(|t| t.values.iter().map(|v| v.year).collect())
        .unwrap_or_default();
    views::ChartView {
        html: chart::targets_chart(targets, lang),
        years,
        rows: targets
            .iter()
            .map(|t| views::ChartRow {
                id: t.id.clone(),
                name: t.name.get(lang).to_string(),
                values: t
                    .values
                    .iter()
                    .map(|v| chart::reading(t, v, lang))
                    .collect(),
            })
            .collect(),
    }
}

fn home(ctx: &RenderContext, lang: Lang) -> views::HomePage {
    let c = ctx.content;
    let d = &c.document;
    let library = library::library_rows(ctx, lang, &root_of(""));
    let mut years: Vec<i32> = library.iter().filter_map(|r| r.year.parse().ok()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    views::HomePage {
        library,
        years,
        title: s(c, "site_title", lang),
        meta_rows: meta_rows(ctx, lang, &root_of("")),
        status: validity_status(ctx),
        notice_title: t(&d.meta.title, lang),
        attachment_title: t(&d.attachment.title, lang),
        chart: chart(ctx, lang),
        actions: ctx
            .library
            .actions()
            .iter()
            .map(|a| views::ActionSummary {
                id: a.action.id.clone(),
                number: a.number(lang),
                title: t(&a.action.title, lang),
                tasks: a.tasks.len(),
                first: a.first(),
                last: a.last(),
                task_links: a
                    .tasks
                    .iter()
                    .map(|tk| views::TaskLink {
                        id: tk.task.id.clone(),
                        number: tk.n,
                        title: t(&tk.task.title, lang),
                    })
                    .collect(),
            })
            .collect(),
        sections: ctx
            .library
            .sections()
            .iter()
            .map(|sec| views::Heading {
                id: sec.section.id.clone(),
                number: sec.number(lang),
                title: t(&sec.section.title, lang),
            })
            .collect(),
    }
}

/// A link to a unit's page.
fn unit_link(u: &crate::model::ResponsibleUnit, lang: Lang, root: &str) -> views::UnitLink {
    views::UnitLink {
        id: u.id.clone(),
        name: t(&u.name, lang),
        href: unit_href(root, lang, &u.id),
    }
}

fn task_value(
    ctx: &RenderContext,
    lang: Lang,
    numbered: &NumberedTask,
    linker: &mut TermLinker,
    root: &str,
) -> views::TaskView {
    let lib = ctx.library;
    let task = numbered.task;
    let link = |id: &str| unit_href(root, lang, id);
    views::TaskView {
        id: task.id.clone(),
        number: numbered.number(),
        n: numbered.n,
        title: t(&task.title, lang),
        title_html: linker.html(&task.title),
        text_html: linker.html(&task.text),
        units_text_html: units_html(&task.units_text, lang, lib.units_of(&task.units), link),
        units: lib
            .units_of(&task.units)
            .map(|u| unit_link(u, lang, root))
            .collect(),
        all_units: ctx
            .content
            .document
            .plan
            .all_tasks_units
            .iter()
            .filter(|id| !task.units.contains(id))
            .filter_map(|id| lib.unit(id))
            .map(|u| unit_link(u, lang, root))
            .collect(),
        amended: library::amended(ctx, lang, root, &task.id),
    }
}

fn plan(ctx: &RenderContext, lang: Lang) -> views::PlanPage {
    let c = ctx.content;
    let d = &c.document;
    let root = root_of(&text_path(ctx, Page::Plan));
    let mut linker = TermLinker::new(&c.glossary, lang, page_href(&root, lang, Page::Glossary));
    let meta = &d.meta;
    let p = &d.plan;
    views::PlanPage {
        title: t(&d.plan.title, lang),
        meta_rows: meta_rows(ctx, lang, &root_of(&text_path(ctx, Page::Plan))),
        notice: views::Notice {
            header: t(&meta.header, lang),
            number: t(&meta.number, lang),
            title: t(&meta.title, lang),
            addressees: t(&meta.addressees, lang),
            body: t(&meta.body, lang),
            publicity: t(&meta.publicity, lang),
            issuer: t(&meta.issuer, lang),
            issued: meta.issued.long(lang),
            cc: t(&meta.cc, lang),
        },
        preamble_html: linker.html(&p.preamble),
        general: views::General {
            id: p.general.id.clone(),
            number: ctx.library.general_number(lang),
            heading: t(&p.general.heading, lang),
            text_html: linker.html(&p.general.text),
        },
        chart: chart(ctx, lang),
        tasks_heading: views::TasksHeading {
            number: ctx.library.tasks_heading_number(lang),
            heading: t(&p.tasks_heading, lang),
        },
        actions: ctx
            .library
            .actions()
            .iter()
            .map(|na| {
                let a = na.action;
                views::ActionView {
                    tasks: na
                        .tasks
                        .iter()
                        .map(|tk| task_value(ctx, lang, tk, &mut linker, &root))
                        .collect(),
                    id: a.id.clone(),
                    number: na.number(lang),
                    title: t(&a.title, lang),
                    title_html: linker.html(&a.title),
                }
            })
            .collect(),
        closing: p
            .closing
            .iter()
            .map(|para| views::ParagraphView {
                id: para.id.clone(),
                text_html: linker.html(&para.text),
            })
            .collect(),
        attachment_title: t(&d.attachment.title, lang),
    }
}

/// The calculator with this subsidy chosen, from a page `root` away from the site root.
fn estimate_href(root: &str, lang: Lang, sub: &::calculator::Subsidy) -> Option<String> {
    calculator::estimate_link(sub).map(|l| format!("{root}{}/{l}", lang.code()))
}

/// A cap's label, saying what it is counted per (`每个申请主体上限`, `Cap per session`): the
/// subsidy's terms and the "what changed" page name a cap alike.
pub(crate) fn cap_label(
    c: &Content,
    instance: Option<&Text>,
    scope: CapScope,
    lang: Lang,
) -> String {
    let per = match scope {
        CapScope::Instance => instance
            .map(|i| format!("{}{}", s(c, "per_each", lang), i.get(lang)))
            .unwrap_or_else(|| s(c, "per_instance", lang)),
        CapScope::Applicant => s(c, "per_applicant", lang),
        CapScope::ApplicantYear => s(c, "per_applicant_year", lang),
    };
    s(c, "terms_cap", lang).replace("{per}", &per)
}

/// The terms of a subsidy, summarised from its data in the page's language.
pub fn subsidy_terms(c: &Content, sub: &::calculator::Subsidy, lang: Lang) -> Vec<Row> {
    let row = |k: &str, v: String| Row {
        label: s(c, k, lang),
        value: v,
        status: None,
        standing: None,
        href: None,
    };
    // Each cap's label says what it applies to (`Cap per session`), so two caps read apart and
    // the value column holds only amounts.
    let cap_row = |cap: &::calculator::Cap| Row {
        label: cap_label(c, sub.instance.as_ref(), cap.per, lang),
        value: cap.amount.as_in_text(lang),
        status: None,
        standing: None,
        href: None,
    };
    let mut rows = vec![row(
        "terms_applicant",
        s(
            c,
            match sub.applicant {
                Some(::calculator::Applicant::Enterprise) => "applicant_enterprise",
                Some(::calculator::Applicant::Organisation) => "applicant_organisation",
                Some(::calculator::Applicant::TrainingInstitution) => "applicant_training",
                None => "applicant_any",
            },
            lang,
        ),
    )];
    match &sub.amount {
        Amount::Rate {
            rate,
            rate_is_ceiling,
            base,
            threshold,
            caps,
        } => {
            let r = if *rate_is_ceiling {
                format!("{} {}", s(c, "at_most", lang), rate.as_in_text())
            } else {
                rate.as_in_text()
            };
            rows.push(row("terms_rate", format!("{r} × {}", base.name.get(lang))));
            if let Some(th) = threshold {
                rows.push(row(
                    "terms_threshold",
                    format!(
                        "{} ≥ {}{}{}",
                        th.name.get(lang),
                        th.min.normalize(),
                        if lang == Lang::En { " " } else { "" },
                        th.unit.get(lang)
                    ),
                ));
            }
            rows.extend(caps.iter().map(cap_row));
        }
        Amount::Fixed { sum, condition } => {
            rows.push(row("terms_fixed", sum.as_in_text(lang)));
            rows.push(row("terms_condition", condition.get(lang).to_string()));
        }
        Amount::CapOnly { base, caps } => {
            rows.extend(caps.iter().map(cap_row));
            rows.push(row(
                "terms_rate",
                s(c, "no_rate", lang)
                    + &base
                        .as_ref()
                        .map(|b| format!(" — {}", b.name.get(lang)))
                        .unwrap_or_default(),
            ));
        }
        Amount::NotSet => rows.push(row("terms_amount", s(c, "amount_not_set", lang))),
    }
    if sub.one_time {
        rows.push(row("terms_once", s(c, "yes_once", lang)));
    }
    if let Some(q) = &sub.pending_condition {
        let (open, close) = match lang {
            Lang::Zh => ("“", "”"),
            Lang::En => ("“", "”"),
        };
        rows.push(row(
            "terms_conditions",
            format!(
                "{}{open}{}{close}",
                s(c, "conditions_pending_value", lang),
                q.get(lang)
            ),
        ));
    }
    if let Some(whom) = &sub.not_claimed {
        rows.push(row("terms_claim", whom.get(lang).to_string()));
    }
    rows
}

fn attachment(ctx: &RenderContext, lang: Lang) -> views::AttachmentPage {
    let c = ctx.content;
    let d = &c.document;
    let root = root_of(&text_path(ctx, Page::Attachment));
    let mut linker = TermLinker::new(&c.glossary, lang, page_href(&root, lang, Page::Glossary));
    let anchors = markdown::Anchors::new(c);
    let prose = markdown::LinkBase {
        anchors: &anchors,
        prefix: format!("{root}{}/", lang.code()),
        here: Some(Page::Attachment),
    };
    let lib = ctx.library;
    let unit_links = |ids: &[String]| -> Vec<views::UnitLink> {
        lib.units_of(ids)
            .map(|u| unit_link(u, lang, &root))
            .collect()
    };
    let mut item_view = |ni: &crate::library::NumberedItem| {
        let item = ni.item;
        // The clauses' terms are linked before the title's: the linker links a term once.
        let clauses = item
            .clauses
            .iter()
            .map(|cl| views::ClauseView {
                id: cl.id.clone(),
                text_html: linker.html(&cl.text),
                note_html: cl
                    .note
                    .as_ref()
                    .map(|n| markdown::to_html(n.get(lang), &prose)),
                amended: library::amended(ctx, lang, &root, &cl.id),
                subsidy: cl.subsidy.as_ref().map(|sub| views::SubsidyView {
                    id: sub.id.clone(),
                    name: t(&sub.name, lang),
                    terms: subsidy_terms(c, sub, lang),
                    reading_html: sub
                        .reading
                        .as_ref()
                        .map(|r| markdown::to_html(r.get(lang), &prose)),
                    not_set: matches!(sub.amount, Amount::NotSet),
                    estimate_href: estimate_href(&root, lang, sub),
                }),
            })
            .collect();
        views::ItemView {
            id: item.id.clone(),
            number: ni.number(lang),
            title: t(&item.title, lang),
            clauses,
            title_html: linker.html(&item.title),
            text_units: unit_links(&item.units),
            editorial_units: unit_links(&ni.task_units),
            tasks: item
                .serves
                .iter()
                .filter_map(|id| lib.task(id))
                .map(|tk| views::LabelledLink {
                    id: tk.task.id.clone(),
                    label: format!("{} {}", tk.number(), tk.task.title.get(lang)),
                    href: format!("{}#{}", text_href(ctx, &root, lang, Page::Plan), tk.task.id),
                })
                .collect(),
        }
    };
    views::AttachmentPage {
        title: t(&d.attachment.title, lang),
        sections: lib
            .sections()
            .iter()
            .map(|sec| views::SectionView {
                id: sec.section.id.clone(),
                number: sec.number(lang),
                title: t(&sec.section.title, lang),
                items: sec.items.iter().map(&mut item_view).collect(),
            })
            .collect(),
    }
}

fn parallel(ctx: &RenderContext, lang: Lang) -> views::ParallelPage {
    let c = ctx.content;
    let lib = ctx.library;
    let d = &c.document;
    let mut rows: Vec<views::ParallelRow> = Vec::new();
    let mut row = |id: &str, kind: &'static str, zh: String, en: String| {
        rows.push(views::ParallelRow {
            id: id.to_string(),
            kind,
            zh,
            en,
        });
    };
    let both = |t: &Text| (t.zh.clone(), t.en.clone());
    // A numbered heading in both languages: `（一）标题` / `(1) Title`, with its end mark.
    let numbered = |number: &dyn Fn(Lang) -> String, t: &Text, end: (&str, &str)| {
        (
            format!("{}{}{}", number(Lang::Zh), t.zh, end.0),
            format!("{} {}{}", number(Lang::En), t.en, end.1),
        )
    };
    let meta = &d.meta;
    let (zh, en) = both(&meta.title);
    row("p-notice", "heading", zh, en);
    row(
        "p-notice-body",
        "text",
        format!("{}：{}", meta.addressees.zh, meta.body.zh),
        format!("{}: {}", meta.addressees.en, meta.body.en),
    );
    let p = &d.plan;
    let (zh, en) = both(&p.title);
    row("p-plan", "heading", zh, en);
    let (zh, en) = both(&p.preamble);
    row("p-preamble", "text", zh, en);
    let (zh, en) = numbered(&|l| lib.general_number(l), &p.general.heading, ("", ""));
    row(&format!("p-{}", p.general.id), "subheading", zh, en);
    let (zh, en) = both(&p.general.text);
    row("p-general-text", "text", zh, en);
    for na in lib.actions() {
        let (zh, en) = numbered(&|l| na.number(l), &na.action.title, ("", ""));
        row(&format!("p-{}", na.action.id), "subheading", zh, en);
        for nt in &na.tasks {
            let tk = nt.task;
            row(
                &format!("p-{}", tk.id),
                "text",
                format!(
                    "{}{}。{}（{}：{}）",
                    nt.number(),
                    tk.title.zh,
                    tk.text.zh,
                    s(c, "responsible_units", Lang::Zh),
                    tk.units_text.zh
                ),
                format!(
                    "{} {}. {} ({}: {})",
                    nt.number(),
                    tk.title.en,
                    tk.text.en,
                    s(c, "responsible_units", Lang::En),
                    tk.units_text.en
                ),
            );
        }
    }
    for para in &p.closing {
        let (zh, en) = both(&para.text);
        row(&format!("p-{}", para.id), "text", zh, en);
    }
    let (zh, en) = both(&d.attachment.title);
    row("p-attachment", "heading", zh, en);
    for ns in lib.sections() {
        let (zh, en) = numbered(&|l| ns.number(l), &ns.section.title, ("", ""));
        row(&format!("p-{}", ns.section.id), "subheading", zh, en);
        for ni in &ns.items {
            let item = ni.item;
            let (zh, en) = numbered(&|l| ni.number(l), &item.title, ("。", "."));
            row(&format!("p-{}", item.id), "minorheading", zh, en);
            for cl in &item.clauses {
                let (zh, en) = both(&cl.text);
                row(&format!("p-{}", cl.id), "text", zh, en);
            }
        }
    }
    views::ParallelPage {
        title: c
            .strings
            .get("nav_parallel")
            .map(|t| t.get(lang).to_string()),
        rows,
    }
}

fn units_index(ctx: &RenderContext, lang: Lang) -> views::UnitsPage {
    let c = ctx.content;
    let root = root_of(Page::Units.entry().path);
    let mut groups: BTreeMap<crate::model::UnitKind, Vec<views::UnitSummary>> = BTreeMap::new();
    for u in &c.units {
        let (tasks, subsidies) = ctx
            .library
            .reach(&u.id)
            .map_or((0, 0), |r| (r.tasks.len(), r.items.len()));
        groups.entry(u.kind).or_default().push(views::UnitSummary {
            id: u.id.clone(),
            name: t(&u.name, lang),
            href: unit_href(&root, lang, &u.id),
            tasks,
            subsidies,
        });
    }
    views::UnitsPage {
        title: s(c, "nav_units", lang),
        groups: groups
            .into_iter()
            .map(|(k, units)| views::UnitGroup {
                label: s(c, kind_key(k), lang),
                units,
            })
            .collect(),
    }
}

/// The interface word naming a kind of unit.
fn kind_key(k: crate::model::UnitKind) -> &'static str {
    match k {
        crate::model::UnitKind::Municipal => "kind_municipal",
        crate::model::UnitKind::Vertical => "kind_vertical",
        crate::model::UnitKind::LocalGovernment => "kind_local",
    }
}

fn unit_page(
    ctx: &RenderContext,
    lang: Lang,
    page: &str,
    (k, u): (usize, &crate::model::ResponsibleUnit),
    mentions: &library::Mentions,
) -> views::UnitPage {
    let c = ctx.content;
    let d = &c.document;
    let root = root_of(page);
    let lib = ctx.library;
    let id = u.id.as_str();
    let none = UnitReach::default();
    let reach = lib.reach(id).unwrap_or(&none);
    let tasks = reach
        .tasks
        .iter()
        .filter_map(|(n, by_text)| lib.task_numbered(*n).map(|tk| (tk, *by_text)))
        .map(|(nt, by_text)| views::UnitTask {
            id: nt.task.id.clone(),
            number: nt.number(),
            title: t(&nt.task.title, lang),
            by_text,
            href: anchor_href(&root, lang, Page::Plan, &nt.task.id),
        })
        .collect();
    let items = lib
        .items()
        .filter_map(|ni| {
            let (_, by_text) = reach.items.iter().find(|(iid, _)| iid == &ni.item.id)?;
            let item = ni.item;
            Some(views::UnitItem {
                id: item.id.clone(),
                label: format!(
                    "{}{}{}",
                    s(c, "attachment", lang),
                    if lang == Lang::En { " " } else { "" },
                    ni.full_number(lang)
                ),
                title: t(&item.title, lang),
                by_text: *by_text,
                subsidies: item
                    .clauses
                    .iter()
                    .filter_map(|cl| cl.subsidy.as_ref())
                    .map(|sub| views::SubsidyLink {
                        id: sub.id.clone(),
                        name: t(&sub.name, lang),
                        href: anchor_href(
                            &root,
                            lang,
                            Page::Attachment,
                            &format!("subsidy-{}", sub.id),
                        ),
                    })
                    .collect(),
                href: anchor_href(&root, lang, Page::Attachment, &item.id),
            })
        })
        .collect();
    let implementing = lib
        .items()
        .map(|ni| ni.item)
        .find(|i| {
            i.clauses
                .iter()
                .any(|cl| cl.rule == Some(crate::model::PolicyRule::ImplementingRules))
        })
        .filter(|i| i.units.iter().any(|x| x == id))
        .map(|i| views::Href {
            href: anchor_href(&root, lang, Page::Attachment, &i.id),
        });
    views::UnitPage {
        title: t(&u.name, lang),
        unit: views::UnitView {
            id: u.id.clone(),
            name: t(&u.name, lang),
            other_name: u.name.get(lang.other()).to_string(),
            note_html: u.note.as_ref().map(|n| {
                let anchors = markdown::Anchors::new(c);
                let prose = markdown::LinkBase {
                    anchors: &anchors,
                    prefix: format!("{root}{}/", lang.code()),
                    here: None,
                };
                markdown::to_html(n.get(lang), &prose)
            }),
            kind: s(c, kind_key(u.kind), lang),
            for_all: d.plan.all_tasks_units.iter().any(|x| x == id),
        },
        tasks,
        items,
        implementing,
        // `k`: the unit's place in the content, its subject in `mentions`.
        elsewhere: mentions.links(ctx, lang, &root, k, &t(&u.name, lang)),
    }
}

fn glossary(ctx: &RenderContext, lang: Lang, mentions: &library::Mentions) -> views::GlossaryPage {
    let c = ctx.content;
    let anchors = markdown::Anchors::new(c);
    let prose = markdown::LinkBase {
        anchors: &anchors,
        prefix: format!("{}{}/", root_of(Page::Glossary.entry().path), lang.code()),
        here: Some(Page::Glossary),
    };
    let root = root_of(Page::Glossary.entry().path);
    let terms = c
        .glossary
        .iter()
        .enumerate()
        .map(|(k, term)| {
            // A code or an acronym (9610, RCEP) is written the same in both languages: once.
            let other = term.term.get(lang.other());
            let other = if other == term.term.get(lang) {
                ""
            } else {
                other
            };
            views::TermView {
                id: term.id.clone(),
                term: t(&term.term, lang),
                other: other.to_string(),
                definition: markdown::to_html(term.definition.get(lang), &prose),
                elsewhere: mentions.links(
                    ctx,
                    lang,
                    &root,
                    c.units.len() + k,
                    &t(&term.term, lang),
                ),
            }
        })
        .collect();
    views::GlossaryPage {
        title: s(c, "nav_glossary", lang),
        terms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_stage_cannot_replace_an_earlier_output() {
        let mut out = Output::new();
        out.insert("en/plan/index.html".into(), b"plan".to_vec());
        let mut later = Output::new();
        later.insert("en/plan/index.html".into(), b"other".to_vec());
        let e = merge(&mut out, later, "the search stage")
            .expect_err("a path claimed twice")
            .to_string();
        assert!(
            e.contains("the search stage would write en/plan/index.html"),
            "{e}"
        );
        assert_eq!(out["en/plan/index.html"], b"plan");
        let mut fresh = Output::new();
        fresh.insert("en/search/index.html".into(), b"search".to_vec());
        merge(&mut out, fresh, "the search stage").expect("a new path");
        assert_eq!(out.len(), 2);
    }

    fn test_base(words: &views::InterfaceWords, page: &str) -> views::Base {
        views::Base {
            lang: "en",
            lang_tag: "en",
            other: "zh",
            other_tag: "zh-CN",
            root: "../".into(),
            site_url: None,
            home: "../en/".into(),
            page: page.into(),
            canonical: page.into(),
            version_note: None,
            s: words.clone(),
            nav: vec![],
            number: String::new(),
            doc_title: String::new(),
        }
    }

    #[derive(Serialize)]
    struct Extra {
        #[serde(skip_serializing_if = "Option::is_none")]
        extra: Option<&'static str>,
    }

    #[test]
    fn pages_sharing_the_words_keep_their_own_fields() {
        let mut tera = Tera::default();
        tera.add_raw_template(
            "t.txt",
            "{{ s.hello }}|{{ page }}|{% if extra is defined %}{{ extra }}{% endif %}",
        )
        .unwrap();
        let hi = views::InterfaceWords(Arc::new(serde_json::json!({"hello": "Hi"})));
        let hello = views::InterfaceWords(Arc::new(serde_json::json!({"hello": "Hello"})));
        let page = |words: &views::InterfaceWords, page: &str, extra| View {
            base: test_base(words, page),
            page: Extra { extra },
        };
        let html = |view| render(&tera, "t.txt", &view).unwrap();
        assert_eq!(html(page(&hi, "a/", Some("x"))), "Hi|a/|x");
        // The first page's field is not left over for the next.
        assert_eq!(html(page(&hi, "b/", None)), "Hi|b/|");
        assert_eq!(html(page(&hello, "c/", None)), "Hello|c/|");
        assert_eq!(html(page(&hi, "d/", Some("y"))), "Hi|d/|y");
    }

    #[test]
    fn edited_interface_words_are_made_again() {
        let mut c = crate::load::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"))
            .expect("the content loads");
        let before = interface_words(&c, Lang::En);
        assert!(before.same(&interface_words(&c, Lang::En)), "made once");
        assert!(!before.same(&interface_words(&c, Lang::Zh)));
        let word = |w: &views::InterfaceWords| w.value()["skip_to_content"].clone();
        assert_eq!(word(&before), "Skip to content");
        if let Some(t) = c.strings.get_mut("skip_to_content") {
            t.en = "Straight to the text".into();
        }
        let after = interface_words(&c, Lang::En);
        assert!(!after.same(&before));
        assert_eq!(word(&after), "Straight to the text");
    }
}
