//! The typed views the templates read: one struct per page type, serialised for Tera, so a
//! field a template uses is named once here and a misspelt one is a compile error, not an
//! empty hole on a page. Field names are the templates' names.

use std::collections::BTreeMap;

use calculator::Text;
use serde::Serialize;

/// The pages of one language, in navigation order: the one table that drives rendering,
/// navigation and the search's document filter.
pub const PAGES: [PageEntry; 6] = [
    PageEntry {
        page: Page::Home,
        id: "home",
        path: "",
        template: "home.html",
        nav: "nav_home",
    },
    PageEntry {
        page: Page::Plan,
        id: "plan",
        path: "plan/",
        template: "plan.html",
        nav: "nav_plan",
    },
    PageEntry {
        page: Page::Attachment,
        id: "attachment",
        path: "attachment/",
        template: "attachment.html",
        nav: "nav_attachment",
    },
    PageEntry {
        page: Page::Parallel,
        id: "parallel",
        path: "parallel/",
        template: "parallel.html",
        nav: "nav_parallel",
    },
    PageEntry {
        page: Page::Units,
        id: "units",
        path: "units/",
        template: "units.html",
        nav: "nav_units",
    },
    PageEntry {
        page: Page::Glossary,
        id: "glossary",
        path: "glossary/",
        template: "glossary.html",
        nav: "nav_glossary",
    },
];

/// A page of one language. Its order is that of [`PAGES`] (a test holds them together).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The home page: metadata, targets, the plan at a glance.
    Home,
    /// The plan (and the notice issuing it).
    Plan,
    /// The attachment: the support measures.
    Attachment,
    /// Chinese and English side by side.
    Parallel,
    /// The responsible units.
    Units,
    /// The glossary.
    Glossary,
}

impl Page {
    /// The page's row of [`PAGES`].
    pub fn entry(self) -> &'static PageEntry {
        &PAGES[self as usize]
    }
}

/// A row of the page table.
#[derive(Debug)]
pub struct PageEntry {
    /// The page.
    pub page: Page,
    /// Its name, also the search's document facet (`#d:plan`).
    pub id: &'static str,
    /// Its path below `/<lang>/`.
    pub path: &'static str,
    /// The template rendering it.
    pub template: &'static str,
    /// The interface word naming it in the navigation.
    pub nav: &'static str,
}

/// A page's context: what every page shares, and its own fields beside them.
#[derive(Serialize)]
pub struct View<P: Serialize> {
    /// Language, paths, navigation, metadata.
    #[serde(flatten)]
    pub base: Base,
    /// The page's own fields.
    #[serde(flatten)]
    pub page: P,
}

/// What every page shares.
#[derive(Serialize)]
pub struct Base {
    /// `zh` / `en`.
    pub lang: &'static str,
    /// The BCP 47 tag.
    pub lang_tag: &'static str,
    /// The other language's code.
    pub other: &'static str,
    /// The other language's tag.
    pub other_tag: &'static str,
    /// The relative path to the site root.
    pub root: String,
    /// Where the site is served, when known.
    pub site_url: Option<String>,
    /// The relative path to this language's home.
    pub home: String,
    /// This page's path below `/<lang>/`.
    pub page: String,
    /// The path below `/<lang>/` of the page's canonical URL (a stable URL for the first
    /// edition's text pages, itself otherwise).
    pub canonical: String,
    /// On a page of a version's text: which version it is, and any later one.
    pub version_note: Option<VersionNote>,
    /// The interface words, given to the template apart from the other fields (see
    /// [`InterfaceWords`]).
    #[serde(skip)]
    pub s: InterfaceWords,
    /// The navigation.
    pub nav: Vec<NavLink>,
    /// The document number.
    pub number: String,
    /// The plan's title.
    pub doc_title: String,
}

/// The interface words of one language (`s.key` in the templates), as the JSON object the
/// templates read, made once per language and thread rather than once per page: building the
/// map and serialising it for every one of a 1,000-document library's 7,228 pages took 0.48 s
/// of CPU in a build of 7.3 s (`perf`: `Base::serialize`, most of it the map's inserts, and
/// `base_view`), 0.05 s now. Pages share it through `render::render`, which keeps it in one
/// Tera context per thread and language and adds each page's own fields beside it.
#[derive(Clone)]
pub struct InterfaceWords(pub(crate) std::sync::Arc<serde_json::Value>);

impl InterfaceWords {
    /// Whether both are the one object made once (not a comparison of the words).
    pub fn same(&self, other: &InterfaceWords) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }

    /// The words, as the templates read them.
    pub fn value(&self) -> &serde_json::Value {
        &self.0
    }
}

/// A link of the navigation.
#[derive(Serialize)]
pub struct NavLink {
    /// Where it goes.
    pub href: String,
    /// Its words.
    pub label: String,
    /// Whether it is this page (or a page below it).
    pub current: bool,
}

/// A labelled value: a metadata row or a term of a subsidy.
#[derive(Serialize)]
pub struct Row {
    /// The label.
    pub label: String,
    /// The value.
    pub value: String,
    /// The validity status key, on the status row only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// The dates the reader's browser works the status out from, on the status row only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standing: Option<StandingView>,
    /// A link for the value (the superseded document's page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// A status as the page carries it: the build date's words (the fallback without JavaScript)
/// and the dates `status.js` works the reader's status out from.
#[derive(Serialize, Clone)]
pub struct StandingView {
    /// The status key on the build date.
    pub key: &'static str,
    /// Its words, saying they are as of the build date.
    pub fallback: String,
    /// In force from (ISO date, or empty).
    pub effective: String,
    /// Last day in force.
    pub expires: String,
    /// Superseded as a whole from.
    pub superseded: String,
    /// Superseded in part from.
    pub partly: String,
    /// A record without text.
    pub record: bool,
    /// Every status key's words, as JSON for the script.
    pub words: String,
    /// `（按您的日期：{date}）`: how the script says the status is on the reader's date.
    pub as_of: String,
}

/// The note at the top of a version's text page.
#[derive(Serialize)]
pub struct VersionNote {
    /// The document's number.
    pub doc_number: String,
    /// The document's page.
    pub doc_href: String,
    /// `Version in force from 1 January 2025`.
    pub label: String,
    /// `Consolidated by this site from …`, when the text is not an issued one.
    pub consolidated: Option<String>,
    /// The later version, announced once the reader's date reaches it.
    pub later: Option<LaterVersion>,
    /// This version's permalink (the same page at its dated URL).
    pub permalink: String,
    /// The what-changed pages this version takes part in (against the previous, the next).
    pub changes: Vec<LabelledLink>,
}

/// A later version announced on an earlier one's page.
#[derive(Serialize)]
pub struct LaterVersion {
    /// Its effective date, ISO, for the script.
    pub from: String,
    /// Whether it is already in force on the build date (shown without JavaScript).
    pub reached: bool,
    /// `A later version is in force from …`.
    pub text: String,
    /// The same page of it.
    pub href: String,
}

/// A clause that a later version changes: `Amended with effect from …`.
#[derive(Serialize)]
pub struct Amended {
    /// The words (empty when the next version leaves the clause as it is).
    pub text: String,
    /// The clause in the later version.
    pub href: String,
    /// The what-changed page of the later version, at this clause.
    pub next_changes_href: String,
    /// Its words.
    pub next_changes_text: String,
    /// `Changed in this version …` (empty when this version did not change the clause).
    pub changed_text: String,
    /// The what-changed page of this version, at this clause.
    pub changed_href: String,
}

/// The targets chart and its table.
#[derive(Serialize)]
pub struct ChartView {
    /// The chart's HTML (its panels; the template puts it in a captioned `<figure>`).
    pub html: String,
    /// The years of the columns.
    pub years: Vec<i32>,
    /// A row per target.
    pub rows: Vec<ChartRow>,
}

/// A target's row of the chart's table.
#[derive(Serialize)]
pub struct ChartRow {
    /// The target's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its values, year by year, with their unit as the text writes them.
    pub values: Vec<String>,
}

/// The chooser of languages at `/`.
#[derive(Serialize)]
pub struct ChooserPage<'a> {
    /// The Chinese interface words.
    pub zh: BTreeMap<String, String>,
    /// The English interface words.
    pub en: BTreeMap<String, String>,
    /// The document number in both languages.
    pub number: &'a Text,
    /// Where the site is served ("" when unknown).
    pub site_url: String,
}

/// The home page.
#[derive(Serialize)]
pub struct HomePage {
    /// The library: every document, newest first.
    pub library: Vec<LibraryRow>,
    /// The years of the library's documents, newest first, for the filter.
    pub years: Vec<i32>,
    /// The page title.
    pub title: String,
    /// The metadata block.
    pub meta_rows: Vec<Row>,
    /// The validity status key.
    pub status: &'static str,
    /// The notice's title.
    pub notice_title: String,
    /// The attachment's title.
    pub attachment_title: String,
    /// The targets.
    pub chart: ChartView,
    /// The actions at a glance.
    pub actions: Vec<ActionSummary>,
    /// The attachment's sections at a glance.
    pub sections: Vec<Heading>,
}

/// An action at a glance.
#[derive(Serialize)]
pub struct ActionSummary {
    /// Its id.
    pub id: String,
    /// `（一）` / `(1)`.
    pub number: String,
    /// Its title.
    pub title: String,
    /// How many tasks it has.
    pub tasks: usize,
    /// Its first task's number.
    pub first: usize,
    /// Its last task's number.
    pub last: usize,
    /// Its tasks.
    pub task_links: Vec<TaskLink>,
}

/// A task at a glance.
#[derive(Serialize)]
pub struct TaskLink {
    /// Its id.
    pub id: String,
    /// Its number.
    pub number: usize,
    /// Its title.
    pub title: String,
}

/// A numbered heading with its anchor.
#[derive(Serialize)]
pub struct Heading {
    /// Its id.
    pub id: String,
    /// Its number.
    pub number: String,
    /// Its title.
    pub title: String,
}

/// The plan page.
#[derive(Serialize)]
pub struct PlanPage {
    /// The page title.
    pub title: String,
    /// The metadata block.
    pub meta_rows: Vec<Row>,
    /// The notice issuing the plan.
    pub notice: Notice,
    /// The preamble, with terms linked.
    pub preamble_html: String,
    /// The general part.
    pub general: General,
    /// The targets.
    pub chart: ChartView,
    /// The heading over the actions.
    pub tasks_heading: TasksHeading,
    /// The actions with their tasks.
    pub actions: Vec<ActionView>,
    /// The closing paragraphs.
    pub closing: Vec<ParagraphView>,
    /// The attachment's title.
    pub attachment_title: String,
}

/// The notice issuing the plan.
#[derive(Serialize)]
pub struct Notice {
    /// The issuer's header.
    pub header: String,
    /// The document number.
    pub number: String,
    /// The title.
    pub title: String,
    /// To whom.
    pub addressees: String,
    /// The body.
    pub body: String,
    /// The publicity.
    pub publicity: String,
    /// The issuer.
    pub issuer: String,
    /// The date of issue.
    pub issued: String,
    /// Copied to.
    pub cc: String,
}

/// The plan's general part.
#[derive(Serialize)]
pub struct General {
    /// Its id.
    pub id: String,
    /// `一、` / `I.`.
    pub number: String,
    /// Its heading.
    pub heading: String,
    /// Its text, with terms linked.
    pub text_html: String,
}

/// The heading over the actions.
#[derive(Serialize)]
pub struct TasksHeading {
    /// `二、` / `II.`.
    pub number: String,
    /// Its words.
    pub heading: String,
}

/// An action with its tasks.
#[derive(Serialize)]
pub struct ActionView {
    /// Its id.
    pub id: String,
    /// `（一）` / `(1)`.
    pub number: String,
    /// Its title.
    pub title: String,
    /// Its title, with terms linked.
    pub title_html: String,
    /// Its tasks.
    pub tasks: Vec<TaskView>,
}

/// A task of the plan.
#[derive(Serialize)]
pub struct TaskView {
    /// Its id.
    pub id: String,
    /// `1.`.
    pub number: String,
    /// Its number alone.
    pub n: usize,
    /// Its title.
    pub title: String,
    /// Its title, with terms linked.
    pub title_html: String,
    /// Its text, with terms linked.
    pub text_html: String,
    /// Its 责任单位 text, with the units linked.
    pub units_text_html: String,
    /// The units it names.
    pub units: Vec<UnitLink>,
    /// The units every task has besides.
    pub all_units: Vec<UnitLink>,
    /// A later version's change to it.
    pub amended: Option<Amended>,
}

/// A link to a unit's page.
#[derive(Serialize)]
pub struct UnitLink {
    /// The unit's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its page.
    pub href: String,
}

/// A paragraph with its anchor.
#[derive(Serialize)]
pub struct ParagraphView {
    /// Its id.
    pub id: String,
    /// Its text, with terms linked.
    pub text_html: String,
}

/// The attachment page.
#[derive(Serialize)]
pub struct AttachmentPage {
    /// The page title.
    pub title: String,
    /// The sections.
    pub sections: Vec<SectionView>,
}

/// A section of the attachment.
#[derive(Serialize)]
pub struct SectionView {
    /// Its id.
    pub id: String,
    /// `一、` / `I.`.
    pub number: String,
    /// Its title.
    pub title: String,
    /// Its items.
    pub items: Vec<ItemView>,
}

/// An item of the attachment.
#[derive(Serialize)]
pub struct ItemView {
    /// Its id.
    pub id: String,
    /// `（一）` / `(1)`.
    pub number: String,
    /// Its title.
    pub title: String,
    /// Its title, with terms linked.
    pub title_html: String,
    /// Its clauses.
    pub clauses: Vec<ClauseView>,
    /// The units its text names.
    pub text_units: Vec<UnitLink>,
    /// The units it reaches through the tasks it serves.
    pub editorial_units: Vec<UnitLink>,
    /// The tasks it serves.
    pub tasks: Vec<LabelledLink>,
}

/// A link with its words and anchor id.
#[derive(Serialize)]
pub struct LabelledLink {
    /// The target's id.
    pub id: String,
    /// The words.
    pub label: String,
    /// Where it goes.
    pub href: String,
}

/// A clause of an item.
#[derive(Serialize)]
pub struct ClauseView {
    /// Its id.
    pub id: String,
    /// Its text, with terms linked.
    pub text_html: String,
    /// The editor's note, Markdown rendered to sanitised HTML.
    pub note_html: Option<String>,
    /// The subsidy it states.
    pub subsidy: Option<SubsidyView>,
    /// A later version's change to it.
    pub amended: Option<Amended>,
}

/// A subsidy stated by a clause.
#[derive(Serialize)]
pub struct SubsidyView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its terms, summarised.
    pub terms: Vec<Row>,
    /// The editor's reading, Markdown rendered to sanitised HTML.
    pub reading_html: Option<String>,
    /// Whether the text sets no amount.
    pub not_set: bool,
    /// The calculator with this subsidy chosen.
    pub estimate_href: Option<String>,
}

/// The parallel page.
#[derive(Serialize)]
pub struct ParallelPage {
    /// The page title.
    pub title: Option<String>,
    /// The paragraphs in both languages.
    pub rows: Vec<ParallelRow>,
}

/// A paragraph in both languages.
#[derive(Serialize)]
pub struct ParallelRow {
    /// Its anchor.
    pub id: String,
    /// `heading`, `subheading`, `minorheading` or `text`.
    pub kind: &'static str,
    /// The Chinese.
    pub zh: String,
    /// The English.
    pub en: String,
}

/// The index of units.
#[derive(Serialize)]
pub struct UnitsPage {
    /// The page title.
    pub title: String,
    /// The units by kind.
    pub groups: Vec<UnitGroup>,
}

/// The units of one kind.
#[derive(Serialize)]
pub struct UnitGroup {
    /// The kind's words.
    pub label: String,
    /// The units.
    pub units: Vec<UnitSummary>,
}

/// A unit at a glance.
#[derive(Serialize)]
pub struct UnitSummary {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its page.
    pub href: String,
    /// How many tasks reach it.
    pub tasks: usize,
    /// How many items reach it.
    pub subsidies: usize,
}

/// A unit's page.
#[derive(Serialize)]
pub struct UnitPage {
    /// The page title.
    pub title: String,
    /// The unit.
    pub unit: UnitView,
    /// The tasks reaching it.
    pub tasks: Vec<UnitTask>,
    /// The items reaching it.
    pub items: Vec<UnitItem>,
    /// The item with the implementing rules, when the unit is among its units.
    pub implementing: Option<Href>,
    /// Other documents and versions naming it.
    pub elsewhere: super::library::Mentioned,
}

/// The unit itself.
#[derive(Serialize)]
pub struct UnitView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its name in the other language.
    pub other_name: String,
    /// The editor's note, Markdown rendered to sanitised HTML.
    pub note_html: Option<String>,
    /// Its kind's words.
    pub kind: String,
    /// Whether the plan names it for every task.
    pub for_all: bool,
}

/// A task reaching a unit.
#[derive(Serialize)]
pub struct UnitTask {
    /// Its id.
    pub id: String,
    /// `1.`.
    pub number: String,
    /// Its title.
    pub title: String,
    /// Whether its text names the unit.
    pub by_text: bool,
    /// Its place on the plan page.
    pub href: String,
}

/// An item reaching a unit.
#[derive(Serialize)]
pub struct UnitItem {
    /// Its id.
    pub id: String,
    /// `附件一、（一）` / `Attachment I.(1)`.
    pub label: String,
    /// Its title.
    pub title: String,
    /// Whether its text names the unit.
    pub by_text: bool,
    /// Its subsidies.
    pub subsidies: Vec<SubsidyLink>,
    /// Its place on the attachment page.
    pub href: String,
}

/// A link to a subsidy.
#[derive(Serialize)]
pub struct SubsidyLink {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its place on the attachment page.
    pub href: String,
}

/// A link.
#[derive(Serialize)]
pub struct Href {
    /// Where it goes.
    pub href: String,
}

/// The glossary.
#[derive(Serialize)]
pub struct GlossaryPage {
    /// The page title.
    pub title: String,
    /// The terms.
    pub terms: Vec<TermView>,
}

/// A term of the glossary.
#[derive(Serialize)]
pub struct TermView {
    /// Its id.
    pub id: String,
    /// The term.
    pub term: String,
    /// The term in the other language, when it differs.
    pub other: String,
    /// The definition, Markdown rendered to sanitised HTML.
    pub definition: String,
    /// Other documents and versions using it.
    pub elsewhere: super::library::Mentioned,
}

#[cfg(test)]
mod tests {
    use super::PAGES;

    #[test]
    fn the_page_table_is_in_the_order_of_the_pages() {
        for (i, e) in PAGES.iter().enumerate() {
            assert_eq!(e.page as usize, i, "{} is row {i}", e.id);
            assert_eq!(e.page.entry().id, e.id);
        }
    }
}

/// A document in the library list.
#[derive(Serialize)]
pub struct LibraryRow {
    /// Its id.
    pub id: String,
    /// Its page.
    pub href: String,
    /// 发文字号.
    pub number: String,
    /// Its title.
    pub title: String,
    /// 发文机关.
    pub issuer: String,
    /// 印发日期 (or empty).
    pub issued: String,
    /// 施行日期 (or empty).
    pub effective: String,
    /// The year it is filed under (issued, else effective, else the year in its number).
    pub year: String,
    /// Its status.
    pub standing: StandingView,
}

/// A document's page.
#[derive(Serialize)]
pub struct DocumentPage {
    /// The page title (the document's title).
    pub title: String,
    /// Its id.
    pub id: String,
    /// 发文字号.
    pub doc_number: String,
    /// The metadata.
    pub meta_rows: Vec<Row>,
    /// Its relations, both ways.
    pub relations: Vec<RelationView>,
    /// Its versions, oldest first.
    pub versions: Vec<VersionView>,
    /// The versions as JSON (`[{date, href}]`) for the date chooser.
    pub versions_json: String,
    /// The last day the document is in force (`YYYY-MM-DD`), empty when it states none: the
    /// timeline's script says "expired" of the last version after it.
    pub expires: String,
    /// The what-changed page of every pair of versions, when there are more than two.
    pub pairs: Vec<PairLink>,
    /// Its parts in the version on the build date (plan, attachment, …).
    pub parts: Vec<LabelledLink>,
    /// Our corrections.
    pub corrections: Vec<CorrectionView>,
    /// A record without text.
    pub record: bool,
    /// The official original.
    pub official_url: Option<String>,
}

/// A relation as a document page shows it.
#[derive(Serialize)]
pub struct RelationView {
    /// `Supersedes` / `Superseded by` …
    pub label: String,
    /// The other document's number and title.
    pub other: String,
    /// Its page.
    pub href: String,
    /// In part: which provisions, from when.
    pub detail: String,
    /// The words that say so, with the clause's link.
    pub quote: Option<String>,
    /// The clause quoted.
    pub quote_href: Option<String>,
}

/// A version in a timeline.
#[derive(Serialize)]
pub struct VersionView {
    /// Its effective date, ISO.
    pub date: String,
    /// Its effective date in words.
    pub date_long: String,
    /// Its first page.
    pub href: String,
    /// `issued text` / `consolidated by this site`.
    pub origin: String,
    /// The amending document, for a consolidation.
    pub by_href: Option<String>,
    /// Its parts.
    pub parts: Vec<LabelledLink>,
    /// The day after its last day (the next version's date), ISO, or empty.
    pub until: String,
    /// The version in force on the build date.
    pub current: bool,
    /// Its what-changed page against the previous version, if it has one.
    pub changes_href: Option<String>,
}

/// The what-changed page of two versions.
#[derive(Serialize)]
pub struct PairLink {
    /// The earlier version's date, ISO.
    pub old: String,
    /// The later version's date, ISO.
    pub new: String,
    /// `1 January 2025 → 1 January 2026`.
    pub label: String,
    /// The page.
    pub href: String,
}

/// A correction of ours.
#[derive(Serialize)]
pub struct CorrectionView {
    /// When.
    pub date: String,
    /// The clause.
    pub clause: String,
    /// Its place in the current version.
    pub href: Option<String>,
    /// What was wrong.
    pub why: String,
}

/// A page of a clause text (sections or paragraphs).
#[derive(Serialize)]
pub struct ClauseTextPage {
    /// Its title.
    pub title: String,
    /// Its paragraphs (shape `paragraphs`).
    pub paragraphs: Vec<TextClauseView>,
    /// Its sections (shape `sections`).
    pub sections: Vec<TextSectionView>,
}

/// A section of a clause text.
#[derive(Serialize)]
pub struct TextSectionView {
    /// Its id.
    pub id: String,
    /// Its heading.
    pub title: String,
    /// Its clauses.
    pub clauses: Vec<TextClauseView>,
}

/// A clause of a clause text.
#[derive(Serialize)]
pub struct TextClauseView {
    /// Its id.
    pub id: String,
    /// Its text, with terms linked.
    pub text_html: String,
    /// A later version's change to it.
    pub amended: Option<Amended>,
}
