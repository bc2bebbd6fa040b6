//! The preview's rebuild of only what a save touches (issue 12: a one-clause edit served again
//! within 100 ms at 1,000 documents). `serve` keeps the content of the last build in memory;
//! when a save changes only files of one version of one document, that version is read again,
//! checked as the build checks it, and only that document's pages are rendered and written into
//! the served `dist/`. The derived files (search index, open data, feeds, sitemap) are left to a
//! full build that follows in the background; anything else (another file, a theme change, a
//! version added or removed, the featured document, a document in an amendment or with
//! corrections, a mistake) is not simple, and the caller runs the full build at once.
//!
//! The pages written are those the full build writes for the edited content, byte for byte,
//! except that their references to the search index name the last build's files until the
//! background build replaces them (`tests/preview.rs` holds both to it).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use tera::Tera;

use crate::diff::Segmenter;
use crate::documents::{self, Body, LibraryDocument, Origin, Shape, DOCUMENTS};
use crate::error::BuildError;
use crate::library::Library;
use crate::load::{self, Content};
use crate::render::{self, Output};
use crate::timings::time;
use crate::{fingerprint, sitemap, BuildOptions};

/// The files of a version folder: a change to any other file is not a change of one version.
const VERSION_FILES: [&str; 6] = [
    "notice.yaml",
    "plan.yaml",
    "attachment.yaml",
    "text.yaml",
    "source.txt",
    "repairs.yaml",
];

/// What a batch of changes came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// One document's pages were rendered again: the paths under `dist/` written (unchanged
    /// pages are not rewritten).
    Pages {
        /// The document's id.
        document: String,
        /// The pages written.
        written: Vec<String>,
    },
    /// Not a change of one version of one document that stands alone: a full build is needed.
    NotSimple,
}

/// A batch of changes rendered, before anything is written.
#[derive(Debug, PartialEq, Eq)]
pub enum Rebuilt {
    /// The pages of the one document the changes touch, by path under `dist/`, as the full
    /// build renders them.
    Pages {
        /// The document's id.
        document: String,
        /// Every page of the document.
        pages: Output,
    },
    /// Not a change of one version of one document that stands alone: a full build is needed.
    NotSimple,
}

/// What the preview keeps between saves: the content and theme as the last build read them, and
/// the hashed names of the files it wrote.
pub struct Preview {
    opts: BuildOptions,
    /// The content, every text included: what the checks of a saved version read.
    content: Content,
    /// The content as the pages of one document read it ([`for_pages`]), kept so that a save
    /// copies nothing but the saved document.
    pages: Content,
    tera: Tera,
    segmenter: Segmenter,
    renamed: BTreeMap<String, String>,
}

impl Preview {
    /// The preview's state after a full build of `opts` that wrote `out`.
    pub fn after_build(opts: &BuildOptions, out: &Output) -> Result<Preview, BuildError> {
        let mut content = load::load(&opts.content)?;
        crate::show_current(&mut content, opts.today);
        let tera = render::load_theme(&opts.theme)?;
        // The segmenter loads jieba only for a clause text it has not cut before; have the
        // dictionary ready by the time an edit needs it.
        crate::cuts::load_in_background();
        let segmenter = Segmenter::new(
            crate::search::domain_words(&content)
                .iter()
                .map(String::as_str),
        );
        let mut preview = Preview {
            opts: opts.clone(),
            pages: for_pages(&mut content),
            content,
            tera,
            segmenter,
            renamed: BTreeMap::new(),
        };
        preview.names_from(out);
        Ok(preview)
    }

    /// Takes the hashed names of a full build's files (the search index's change with every
    /// edit): the pages rendered after it refer to them.
    pub fn names_from(&mut self, out: &Output) {
        self.renamed = out
            .keys()
            .filter_map(|hashed| {
                let logical = fingerprint::unhashed(hashed)?;
                fingerprint::is_hashed(&logical).then(|| (logical, hashed.clone()))
            })
            .collect();
    }

    /// Applies a batch of changed files (`true` when removed): renders and writes the pages of
    /// the one document they change, or says that a full build is needed. On a mistake in the
    /// changed files it returns the error; the caller runs the full build, which reports every
    /// mistake as `build` words them.
    pub fn apply(&mut self, changed: &[(PathBuf, bool)]) -> Result<Outcome, BuildError> {
        Ok(match self.rebuild(changed)? {
            Rebuilt::Pages { document, pages } => Outcome::Pages {
                document,
                written: write(&self.opts.dist, &pages)?,
            },
            Rebuilt::NotSimple => Outcome::NotSimple,
        })
    }

    /// What [`Preview::apply`] does short of writing: reads and checks the changed version, and
    /// renders every page of its document into memory (`serve` serves them from there at once,
    /// and writes them after). The preview's content then holds the new version.
    pub fn rebuild(&mut self, changed: &[(PathBuf, bool)]) -> Result<Rebuilt, BuildError> {
        let Some((id, date)) = self.one_version(changed) else {
            return Ok(Rebuilt::NotSimple);
        };
        let Some(at) = self.content.library.iter().position(|d| d.entry.id == id) else {
            return Ok(Rebuilt::NotSimple);
        };
        if !self.stands_alone(at) {
            return Ok(Rebuilt::NotSimple);
        }
        let doc = &self.content.library[at];
        let Some(v) = doc.versions.iter().position(|v| v.date == date) else {
            return Ok(Rebuilt::NotSimple);
        };
        let vrel = format!("{DOCUMENTS}/{id}/versions/{}", date.iso());
        let mut errors = Vec::new();
        let body = time("preview: read", || match doc.entry.shape {
            Shape::ActionPlan => {
                documents::load_action_plan(&self.opts.content, &vrel, &mut errors)
                    .map(|d| Body::ActionPlan(Box::new(d)))
            }
            Shape::Sections | Shape::Paragraphs => {
                documents::load_clause_text(&self.opts.content, &vrel, &mut errors)
                    .map(|t| Body::Clauses(Box::new(t)))
            }
            Shape::Record => None,
        });
        let Some(body) = body.filter(|_| errors.is_empty()) else {
            return Err(BuildError::Content(errors));
        };
        let mut doc = doc.clone();
        doc.versions[v].body = body;

        // The checks the full build runs that read this version: the library's own checks of
        // the document, and for an action plan every check of one text (as `version_errors`).
        time("preview: check", || {
            documents::check_document(&doc, &self.content.library, &mut errors);
            if let Body::ActionPlan(src) = &doc.versions[v].body {
                let text = Content {
                    document: (**src).clone(),
                    ..without_library(&mut self.pages)
                };
                errors.extend(crate::validation_errors(&Library::new(&text)));
            }
        });
        if !errors.is_empty() {
            return Err(BuildError::Content(errors));
        }

        let pages = time("preview: render", || self.render(at, &doc))?;
        self.content.library[at] = doc;
        Ok(Rebuilt::Pages {
            document: id,
            pages,
        })
    }

    /// The document and version date that every changed file belongs to, when they are files
    /// of one version folder, saved (not removed).
    fn one_version(&self, changed: &[(PathBuf, bool)]) -> Option<(String, crate::model::Date)> {
        let mut found: Option<(String, String)> = None;
        for (path, removed) in changed {
            if *removed {
                return None;
            }
            let rel = self.relative(path)?;
            let parts: Vec<&str> = rel
                .components()
                .map(|c| match c {
                    Component::Normal(s) => s.to_str(),
                    _ => None,
                })
                .collect::<Option<_>>()?;
            let [DOCUMENTS, id, "versions", date, file] = parts.as_slice() else {
                return None;
            };
            if !VERSION_FILES.contains(file) {
                return None;
            }
            let this = (id.to_string(), date.to_string());
            match &found {
                Some(f) if *f != this => return None,
                _ => found = Some(this),
            }
        }
        let (id, date) = found?;
        Some((id, crate::model::Date::parse(&date)?))
    }

    /// A changed path relative to the content folder, when inside it.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let content = &self.opts.content;
        if let Ok(rel) = path.strip_prefix(content) {
            return Some(rel.to_path_buf());
        }
        let canonical = content.canonicalize().ok()?;
        path.strip_prefix(&canonical).ok().map(Path::to_path_buf)
    }

    /// Whether the document's pages are all that its text reaches: not the featured document
    /// (its text is the first edition's pages, the units, the calculator and the rules), not in
    /// an amendment (consolidated versions of another document), without corrections (applied
    /// at load to every version).
    fn stands_alone(&self, at: usize) -> bool {
        let c = &self.content;
        let doc = &c.library[at];
        doc.entry.id != c.featured
            && doc.entry.amends.is_none()
            && doc.entry.corrections.is_empty()
            && doc.versions.iter().all(|v| v.origin == Origin::Issued)
            && !c.library.iter().any(|o| {
                o.entry
                    .amends
                    .as_ref()
                    .is_some_and(|a| a.document == doc.entry.id)
            })
    }

    /// The pages of `doc` as the full build renders them, their references to hashed files
    /// rewritten as the build's asset pass does. `doc` is the document at `at` with its new
    /// version; `self.pages` takes its texts while its pages render, and keeps them after
    /// when it keeps that document's texts.
    fn render(&mut self, at: usize, doc: &LibraryDocument) -> Result<Output, BuildError> {
        let keep = keeps_texts(&self.content, &self.content.library[at]);
        let held = &mut self.pages.library[at];
        held.versions.clone_from(&doc.versions);
        let pages = &self.pages;
        let derived = Library::new(pages);
        let ctx = crate::site_context(pages, &derived, &self.opts, pages.version);
        let doc = &pages.library[at];
        let mut out = Output::new();
        let rendered = time("preview: render: document pages", || {
            render::library::render_document(&self.tera, &ctx, &self.segmenter, doc, &mut out)
        });
        if !keep {
            self.pages.library[at].versions = Vec::new();
        }
        rendered?;
        let site_path = sitemap::site_path(self.opts.site_url.as_deref());
        Ok(time("preview: render: hashed names", || {
            out.into_iter()
                .map(|(path, bytes)| {
                    let bytes =
                        fingerprint::rewrite_references(&path, bytes, &site_path, &self.renamed);
                    (path, bytes)
                })
                .collect()
        }))
    }
}

/// Writes the pages that differ from those in `dist`, each replaced whole (written beside it,
/// then renamed over it), so that a page is never served half written; returns the paths
/// written. The caller holds whatever keeps other writers of `dist/` out.
pub fn write(dist: &Path, pages: &Output) -> Result<Vec<String>, BuildError> {
    let mut written = Vec::new();
    for (path, bytes) in pages {
        crate::write::check_path(path).map_err(BuildError::Output)?;
        let file = dist.join(path);
        if std::fs::read(&file).is_ok_and(|old| &old == bytes) {
            continue;
        }
        let io = |source| BuildError::Io {
            action: "write",
            path: file.clone(),
            source,
        };
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = file.with_extension(format!("preview-{}", std::process::id()));
        std::fs::write(&tmp, bytes).map_err(io)?;
        std::fs::rename(&tmp, &file).map_err(io)?;
        written.push(path.clone());
    }
    Ok(written)
}

/// The content as the pages of one document read it: every document's entry (relations,
/// status), and the texts of only the documents whose text those pages show (the featured one,
/// and those quoting another's clause, [`keeps_texts`]); the text of the document being rendered
/// is put in for the time it takes. A page of one action-plan version copies the content
/// (`Content::at`), and with a thousand documents' texts in it that copy would be most of a
/// save's time.
fn for_pages(content: &mut Content) -> Content {
    let library = content
        .library
        .iter()
        .map(|d| LibraryDocument {
            entry: d.entry.clone(),
            file: d.file.clone(),
            versions: if keeps_texts(content, d) {
                d.versions.clone()
            } else {
                Vec::new()
            },
        })
        .collect();
    Content {
        library,
        ..without_library(content)
    }
}

/// A copy of the content with an empty library: the checks and pages of one text never read
/// the other documents, and a library of a thousand documents is too much to copy on a save.
fn without_library(content: &mut Content) -> Content {
    let library = std::mem::take(&mut content.library);
    let copy = content.clone();
    content.library = library;
    copy
}

/// Whether the pages of other documents read this document's text: the featured document
/// (the first edition's pages), and a document quoting a clause of its own in a relation (the
/// quote links to the clause from the other document's page).
fn keeps_texts(content: &Content, d: &LibraryDocument) -> bool {
    d.entry.id == content.featured
        || d.entry
            .relations
            .iter()
            .any(|r| r.quote.is_some() && r.clause.is_some())
}
