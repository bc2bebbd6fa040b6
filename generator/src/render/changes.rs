//! The "what changed" page: one version of a document against another, in each language,
//! clause by clause (added, removed, changed; unchanged ones only counted), each changed
//! clause as a word-level redline in both languages ([`crate::diff`]), and every changed rate,
//! cap, threshold or amount as old → new, written as the site writes figures.
//!
//! The input is [`Comparison`], a small description of the two versions that any model of
//! dated versions can fill in: the page knows nothing of how versions are stored. Render it with
//! [`render_changes_pages`] (both languages) or [`render_changes`] (one).
//!
//! Plugging it into a build: make one [`Segmenter`] per build, knowing the site's own words
//! (`Segmenter::new(search::domain_words(content).iter().map(String::as_str))`); for each pair
//! of versions fill a [`Comparison`] (clauses in document order; figures from
//! [`figure_changes`] over the two versions' subsidies); merge
//! `render_changes_pages(&tera, &ctx, &seg, &cmp, "documents/<id>/<date>/changes/")?` into the
//! output with `render::merge`; and link each clause that [`changed_clauses`] lists to
//! `…/changes/#change-<clause id>`. The page links `static/changes.css` itself.

use calculator::{Amount, CapScope, Lang, Money, Rate, Subsidy, Text};
use rust_decimal::Decimal;
use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};
use tera::Tera;

use super::text::escape;
use super::views::View;
use super::{base_view, cap_label, render, root_of, s, Output, RenderContext};
use crate::diff::{Change, Run, Segmenter};
use crate::error::BuildError;
use crate::load::Content;
use crate::model::Date;

/// One clause of a version, in document order.
#[derive(Debug, Clone)]
pub struct ClauseText {
    /// Its id, the same in every version that has it (the anchor on its page).
    pub id: String,
    /// How the document numbers it: `一（三）` / `I (3)`.
    pub label: Text,
    /// Its text in both languages.
    pub text: Text,
    /// The page holding it in this version, below `/<lang>/` (`documents/x/2026-01-01/attachment/`).
    pub path: String,
}

/// One version of a document, as the comparison needs it.
#[derive(Debug, Clone)]
pub struct VersionText {
    /// The date it takes effect.
    pub effective: Date,
    /// Its page, below `/<lang>/`.
    pub path: String,
    /// Its clauses, in document order.
    pub clauses: Vec<ClauseText>,
}

/// Which term of a subsidy a figure is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureField {
    /// The rate applied to the base (`50%`).
    Rate,
    /// A ceiling (`10万元`), counted per something.
    Cap {
        /// What it is counted per.
        per: CapScope,
        /// The subsidy's name for one instance (a session), when counted per instance.
        instance: Option<Text>,
    },
    /// The minimum the base must reach.
    Threshold,
    /// A fixed sum.
    Amount,
}

impl FigureField {
    /// The field's name on the page, as the subsidy's terms name it.
    fn label(&self, c: &Content, lang: Lang) -> String {
        match self {
            FigureField::Rate => s(c, "figure_rate", lang),
            FigureField::Cap { per, instance } => cap_label(c, instance.as_ref(), *per, lang),
            FigureField::Threshold => s(c, "figure_threshold", lang),
            FigureField::Amount => s(c, "figure_amount", lang),
        }
    }
}

/// A figure of a subsidy, with its unit.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// An amount of yuan, written as the text writes it (`10万元`, `RMB 100,000`).
    Money(Money),
    /// A rate (`50%`).
    Rate(Rate),
    /// A count or measure with its unit as the content names it (`150` 人次).
    Quantity {
        /// The number.
        value: Decimal,
        /// Its unit in both languages.
        unit: Text,
    },
}

impl Figure {
    /// The figure as the site writes it in `lang`.
    pub fn in_text(&self, lang: Lang) -> String {
        match self {
            Figure::Money(m) => m.as_in_text(lang),
            Figure::Rate(r) => r.as_in_text(),
            Figure::Quantity { value, unit } => {
                let n = calculator::money::group_thousands(&value.normalize().to_string());
                match lang {
                    Lang::Zh => format!("{n}{}", unit.zh),
                    Lang::En => format!("{n} {}", unit.en),
                }
            }
        }
    }
}

/// A changed figure of one subsidy.
#[derive(Debug, Clone)]
pub struct FigureChange {
    /// The subsidy's id (its anchor is `subsidy-<id>`).
    pub subsidy_id: String,
    /// The subsidy's name.
    pub subsidy: Text,
    /// Which term changed.
    pub field: FigureField,
    /// Before (`None`: the term is new).
    pub old: Option<Figure>,
    /// After (`None`: the term was removed).
    pub new: Option<Figure>,
    /// The page holding the subsidy (in the new version; in the old one if it was removed),
    /// below `/<lang>/`.
    pub path: String,
}

/// The figures of a subsidy, each with its field: its rate, threshold and caps, or its fixed
/// sum. A subsidy that sets no amount has none.
pub fn subsidy_figures(sub: &Subsidy) -> Vec<(FigureField, Figure)> {
    let caps = |caps: &[calculator::Cap]| -> Vec<(FigureField, Figure)> {
        caps.iter()
            .map(|cap| {
                (
                    FigureField::Cap {
                        per: cap.per,
                        instance: sub.instance.clone(),
                    },
                    Figure::Money(cap.amount),
                )
            })
            .collect()
    };
    match &sub.amount {
        Amount::Rate {
            rate,
            threshold,
            caps: cs,
            ..
        } => {
            let mut out = vec![(FigureField::Rate, Figure::Rate(*rate))];
            out.extend(threshold.iter().map(|t| {
                (
                    FigureField::Threshold,
                    Figure::Quantity {
                        value: t.min,
                        unit: t.unit.clone(),
                    },
                )
            }));
            out.extend(caps(cs));
            out
        }
        Amount::Fixed { sum, .. } => vec![(FigureField::Amount, Figure::Money(*sum))],
        Amount::CapOnly { caps: cs, .. } => caps(cs),
        Amount::NotSet => Vec::new(),
    }
}

/// Every figure that differs between two versions' subsidies (matched by id), in the new
/// version's order, then those of subsidies the new version no longer has. `path` gives the
/// page holding a subsidy in `new` (`true`) or in `old` (`false`), below `/<lang>/`.
pub fn figure_changes(
    old: &[&Subsidy],
    new: &[&Subsidy],
    path: impl Fn(&Subsidy, bool) -> String,
) -> Vec<FigureChange> {
    let mut out = Vec::new();
    let mut compare = |o: Option<&Subsidy>, n: Option<&Subsidy>| {
        let Some(shown) = n.or(o) else { return };
        let before = o.map(subsidy_figures).unwrap_or_default();
        let after = n.map(subsidy_figures).unwrap_or_default();
        let mut fields: Vec<&FigureField> = after.iter().map(|(f, _)| f).collect();
        fields.extend(
            before
                .iter()
                .map(|(f, _)| f)
                .filter(|f| !after.iter().any(|(g, _)| g == *f)),
        );
        for field in fields {
            let find = |list: &[(FigureField, Figure)]| {
                list.iter()
                    .find(|(f, _)| f == field)
                    .map(|(_, x)| x.clone())
            };
            let (was, is) = (find(&before), find(&after));
            if was != is {
                out.push(FigureChange {
                    subsidy_id: shown.id.clone(),
                    subsidy: shown.name.clone(),
                    field: field.clone(),
                    old: was,
                    new: is,
                    path: path(shown, n.is_some()),
                });
            }
        }
    };
    for n in new {
        compare(old.iter().copied().find(|o| o.id == n.id), Some(n));
    }
    for o in old.iter().filter(|o| !new.iter().any(|n| n.id == o.id)) {
        compare(Some(o), None);
    }
    out
}

/// Two versions of one document, and the figures that differ between them.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The earlier version.
    pub old: VersionText,
    /// The later version.
    pub new: VersionText,
    /// Every changed rate, cap, threshold or amount, in document order.
    pub figures: Vec<FigureChange>,
}

/// The page's own fields.
#[derive(Serialize)]
pub struct ChangesPage {
    /// The page title.
    pub title: String,
    /// Which versions are compared, with links to both (HTML, escaped).
    pub between_html: String,
    /// The changed, added and removed clauses, in document order.
    pub clauses: Vec<ClauseChangeView>,
    /// How many clauses are the same in both versions.
    pub unchanged: usize,
    /// That count in words ("" when there are none).
    pub unchanged_text: String,
    /// The changed figures.
    pub figures: Vec<FigureView>,
}

/// A clause that differs between the versions.
#[derive(Serialize)]
pub struct ClauseChangeView {
    /// The clause's id.
    pub id: String,
    /// `added`, `removed` or `changed` (a class name too).
    pub kind: &'static str,
    /// That in words.
    pub kind_label: String,
    /// Its number, from the version that has it (the new one unless removed).
    pub label: String,
    /// Its place in that version.
    pub href: String,
    /// The redline in the page's language (HTML).
    pub html: String,
    /// The redline in the other language (HTML).
    pub other_html: String,
}

/// A changed figure, as written on the page.
#[derive(Serialize)]
pub struct FigureView {
    /// The subsidy's name.
    pub subsidy: String,
    /// Its place in the version that has it.
    pub href: String,
    /// Which term.
    pub field: String,
    /// Before.
    pub old: String,
    /// After.
    pub new: String,
}

/// The words a screen reader hears around a deletion and an insertion, in the redline's
/// language (visually hidden on screen; they also keep the change when the text is copied).
struct Markers {
    del_start: String,
    del_end: String,
    ins_start: String,
    ins_end: String,
}

impl Markers {
    fn new(c: &Content, lang: Lang) -> Self {
        Markers {
            del_start: s(c, "diff_del_start", lang),
            del_end: s(c, "diff_del_end", lang),
            ins_start: s(c, "diff_ins_start", lang),
            ins_end: s(c, "diff_ins_end", lang),
        }
    }
}

fn hidden(words: &str) -> String {
    if words.is_empty() {
        String::new()
    } else {
        format!(r#"<span class="visually-hidden">{}</span>"#, escape(words))
    }
}

/// A redline as HTML: `<del>` and `<ins>` around the changes, each with its announcement, every
/// text escaped.
///
/// A short change (a figure, a word or two) is kept on one line (`class="short"`), so that
/// `RMB 100,000` is never torn into `RMB` and `100,000` at a line end; a long one wraps.
fn redline_html(runs: &[Run], m: &Markers) -> String {
    let mut out = String::new();
    for r in runs {
        let text = escape(&r.text);
        let class = if r.text.chars().count() <= SHORT_CHANGE {
            r#" class="short""#
        } else {
            ""
        };
        match r.change {
            Change::Equal => out.push_str(&text),
            Change::Delete => out.push_str(&format!(
                "<del{class}>{}{text}{}</del>",
                hidden(&m.del_start),
                hidden(&m.del_end)
            )),
            Change::Insert => out.push_str(&format!(
                "<ins{class}>{}{text}{}</ins>",
                hidden(&m.ins_start),
                hidden(&m.ins_end)
            )),
        }
    }
    out
}

/// The longest change, in characters, kept on one line: about a third of a phone's line.
const SHORT_CHANGE: usize = 16;

/// A clause's place in the document, after the comparison of the two versions' clause lists.
enum Place<'a> {
    Added(&'a ClauseText),
    Removed(&'a ClauseText),
    Both(&'a ClauseText, &'a ClauseText),
}

/// The clauses of both versions in document order: the new version's order, with each removed
/// clause where it stood in the old one. A clause is matched by its id, so a clause that moved
/// is shown once, at its new place, as changed if its words changed.
fn places(cmp: &Comparison) -> Vec<Place<'_>> {
    let (old, new) = (&cmp.old.clauses, &cmp.new.clauses);
    let old_ids: Vec<&str> = old.iter().map(|c| c.id.as_str()).collect();
    let new_ids: Vec<&str> = new.iter().map(|c| c.id.as_str()).collect();
    let in_old = |id: &str| old.iter().find(|c| c.id == id);
    let in_new = |id: &str| new.iter().any(|c| c.id == id);
    let mut out: Vec<Place<'_>> = Vec::new();
    let deleted = |range: std::ops::Range<usize>| {
        old[range]
            .iter()
            .filter(|c| !in_new(&c.id))
            .map(Place::Removed)
    };
    let inserted = |range: std::ops::Range<usize>| {
        new[range].iter().map(|c| match in_old(&c.id) {
            Some(o) => Place::Both(o, c),
            None => Place::Added(c),
        })
    };
    for op in capture_diff_slices(Algorithm::Myers, &old_ids, &new_ids) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for k in 0..len {
                    out.push(Place::Both(&old[old_index + k], &new[new_index + k]));
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => out.extend(deleted(old_index..old_index + old_len)),
            DiffOp::Insert {
                new_index, new_len, ..
            } => out.extend(inserted(new_index..new_index + new_len)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                out.extend(deleted(old_index..old_index + old_len));
                out.extend(inserted(new_index..new_index + new_len));
            }
        }
    }
    out
}

/// How a clause differs between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClauseChange {
    /// Only the new version has it.
    Added,
    /// Only the old version has it.
    Removed,
    /// Both have it, with different words (in either language).
    Changed,
}

impl ClauseChange {
    /// Its name: a class on the page, and the key `change_<name>` of its interface word.
    pub fn name(self) -> &'static str {
        match self {
            ClauseChange::Added => "added",
            ClauseChange::Removed => "removed",
            ClauseChange::Changed => "changed",
        }
    }
}

/// The clauses that differ between the two versions, in document order, by id: for the "changed
/// in this version" link each changed clause carries to the page (its anchor there is
/// `change-<id>`).
pub fn changed_clauses(cmp: &Comparison) -> Vec<(&str, ClauseChange)> {
    places(cmp)
        .into_iter()
        .filter_map(|p| match p {
            Place::Both(o, n) if o.text == n.text => None,
            Place::Both(_, n) => Some((n.id.as_str(), ClauseChange::Changed)),
            Place::Added(n) => Some((n.id.as_str(), ClauseChange::Added)),
            Place::Removed(o) => Some((o.id.as_str(), ClauseChange::Removed)),
        })
        .collect()
}

/// `{old}` and `{new}` of an interface text replaced by links, the rest escaped.
fn with_links(template: &str, links: &[(&str, String, String)]) -> String {
    let mut out = escape(template);
    for (key, href, words) in links {
        out = out.replace(
            &format!("{{{key}}}"),
            &format!(r#"<a href="{}">{}</a>"#, escape(href), escape(words)),
        );
    }
    out
}

/// Each changed clause's redline, HTML, in Chinese and in English, by place ([`places`]);
/// `None` for a clause left as it was.
///
/// Why computed apart from the page: each language's page shows both languages' redlines, so
/// computing them per page diffed every changed clause twice (the diff was 6 % of a
/// 1,000-document build, `perf`).
pub struct Redlines(Vec<Option<[String; 2]>>);

impl Redlines {
    /// The redlines of `cmp`.
    pub fn new(c: &Content, seg: &Segmenter, cmp: &Comparison) -> Self {
        let markers = [Markers::new(c, Lang::Zh), Markers::new(c, Lang::En)];
        let both = |old: &Text, new: &Text| {
            [Lang::Zh, Lang::En].map(|l| {
                let m = &markers[Self::slot(l)];
                redline_html(&seg.diff(old.get(l), new.get(l)), m)
            })
        };
        let empty = Text::default();
        Redlines(
            places(cmp)
                .into_iter()
                .map(|place| match place {
                    Place::Both(o, n) if o.text == n.text => None,
                    Place::Both(o, n) => Some(both(&o.text, &n.text)),
                    Place::Added(n) => Some(both(&empty, &n.text)),
                    Place::Removed(o) => Some(both(&o.text, &empty)),
                })
                .collect(),
        )
    }

    fn slot(lang: Lang) -> usize {
        match lang {
            Lang::Zh => 0,
            Lang::En => 1,
        }
    }

    /// Place `i`'s redline in `lang` and in the other language.
    fn get(&self, i: usize, lang: Lang) -> (String, String) {
        match self.0.get(i) {
            Some(Some(r)) => (
                r[Self::slot(lang)].clone(),
                r[Self::slot(lang.other())].clone(),
            ),
            _ => (String::new(), String::new()),
        }
    }
}

/// The page's fields in one language; `page` is its path below `/<lang>/`.
pub fn changes_page(
    c: &Content,
    redlines: &Redlines,
    cmp: &Comparison,
    lang: Lang,
    page: &str,
) -> ChangesPage {
    let root = root_of(page);
    let href = |path: &str, anchor: Option<&str>| {
        format!(
            "{root}{}/{path}{}",
            lang.code(),
            anchor.map(|a| format!("#{a}")).unwrap_or_default()
        )
    };
    let mut clauses = Vec::new();
    let mut unchanged = 0;
    for (i, place) in places(cmp).into_iter().enumerate() {
        let (kind, shown) = match place {
            Place::Both(o, n) if o.text == n.text => {
                unchanged += 1;
                continue;
            }
            Place::Both(_, n) => (ClauseChange::Changed, n),
            Place::Added(n) => (ClauseChange::Added, n),
            Place::Removed(o) => (ClauseChange::Removed, o),
        };
        let (html, other_html) = redlines.get(i, lang);
        clauses.push(ClauseChangeView {
            id: shown.id.clone(),
            kind: kind.name(),
            kind_label: s(c, &format!("change_{}", kind.name()), lang),
            label: shown.label.get(lang).to_string(),
            href: href(&shown.path, Some(&shown.id)),
            html,
            other_html,
        });
    }
    let none = s(c, "figure_none", lang);
    let figures = cmp
        .figures
        .iter()
        .map(|f| FigureView {
            subsidy: f.subsidy.get(lang).to_string(),
            href: href(&f.path, Some(&format!("subsidy-{}", f.subsidy_id))),
            field: f.field.label(c, lang),
            old: f
                .old
                .as_ref()
                .map_or_else(|| none.clone(), |x| x.in_text(lang)),
            new: f
                .new
                .as_ref()
                .map_or_else(|| none.clone(), |x| x.in_text(lang)),
        })
        .collect();
    let between_html = with_links(
        &s(c, "changes_between", lang),
        &[
            (
                "old",
                href(&cmp.old.path, None),
                cmp.old.effective.long(lang),
            ),
            (
                "new",
                href(&cmp.new.path, None),
                cmp.new.effective.long(lang),
            ),
        ],
    );
    ChangesPage {
        title: s(c, "changes_title", lang),
        between_html,
        clauses,
        unchanged,
        unchanged_text: if unchanged == 0 {
            String::new()
        } else {
            s(c, "changes_unchanged", lang).replace("{n}", &unchanged.to_string())
        },
        figures,
    }
}

/// The page in one language, through `changes.html`; `page` is its path below `/<lang>/`.
pub fn render_changes(
    tera: &Tera,
    ctx: &RenderContext,
    redlines: &Redlines,
    cmp: &Comparison,
    lang: Lang,
    page: &str,
) -> Result<String, BuildError> {
    let view = View {
        base: base_view(ctx, lang, page),
        page: changes_page(ctx.content, redlines, cmp, lang, page),
    };
    render(tera, "changes.html", &view)
}

/// The page in both languages, as files `<lang>/<page>index.html` to merge into the build's
/// output (`page` ends with `/`).
pub fn render_changes_pages(
    tera: &Tera,
    ctx: &RenderContext,
    seg: &Segmenter,
    cmp: &Comparison,
    page: &str,
) -> Result<Output, BuildError> {
    let mut out = Output::new();
    let redlines = Redlines::new(ctx.content, seg, cmp);
    for lang in Lang::ALL {
        let html = render_changes(tera, ctx, &redlines, cmp, lang, page)?;
        out.insert(
            format!("{}/{page}index.html", lang.code()),
            html.into_bytes(),
        );
    }
    Ok(out)
}
