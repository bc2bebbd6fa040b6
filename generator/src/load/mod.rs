//! Stage 1, load: read every file of `content/` into the model, with the parser's line numbers
//! on any error.

pub mod extras;
pub mod limits;
mod repairs;

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::error::ContentError;
use crate::model::{Attachment, DocumentMeta, PlaceEntry, Plan, ResponsibleUnit, Strings, Term};

pub use repairs::{apply_repairs, Repair};

/// A content file as read: its path and text, kept to place later errors on a line.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the content folder's parent (`content/units.yaml`).
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
}

impl SourceFile {
    /// The first line holding `needle` at or after the line holding `anchor` (an id the
    /// error concerns). Semantic errors are found after parsing, when serde has forgotten
    /// positions; the ids are unique, so this finds the right place.
    pub fn line_of(&self, anchor: Option<&str>, needle: &str) -> Option<usize> {
        let start = anchor
            .and_then(|a| {
                self.text
                    .lines()
                    .position(|l| l.contains(&format!("id: {a}")) || l.contains(a))
            })
            .unwrap_or(0);
        self.text
            .lines()
            .enumerate()
            .skip(start)
            .find(|(_, l)| l.contains(needle))
            .map(|(i, _)| i + 1)
    }

    /// An error located at `needle` after `anchor`.
    pub fn error_at(
        &self,
        anchor: Option<&str>,
        needle: &str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> ContentError {
        ContentError::new(&self.path, message)
            .at_line(self.line_of(anchor, needle))
            .field(field)
    }
}

/// One document of the library, as loaded.
#[derive(Debug, Clone)]
pub struct DocumentSource {
    /// The notice and metadata.
    pub meta: DocumentMeta,
    /// The action plan.
    pub plan: Plan,
    /// The attachment.
    pub attachment: Attachment,
    /// The text as received.
    pub source: SourceFile,
    /// Repairs of extraction damage.
    pub repairs: Vec<Repair>,
    /// The files, for locating errors.
    pub meta_file: SourceFile,
    /// The plan's file.
    pub plan_file: SourceFile,
    /// The attachment's file.
    pub attachment_file: SourceFile,
    /// The repairs' file.
    pub repairs_file: SourceFile,
    /// The site's consolidation of an amending document's changes, not an issued text: it has
    /// no source of its own to be checked against.
    pub consolidated: bool,
}

/// Everything in `content/`.
#[derive(Debug, Clone)]
pub struct Content {
    /// The folder it came from.
    pub root: PathBuf,
    /// Interface words.
    pub strings: Strings,
    /// Responsible units.
    pub units: Vec<ResponsibleUnit>,
    /// Places for the scope rule.
    pub places: Vec<PlaceEntry>,
    /// Glossary terms.
    pub glossary: Vec<Term>,
    /// The featured document's version whose pages are being built (the one in force on the
    /// build date, once [`Content::at`] has chosen it): what the first edition's pages, the rule
    /// set and the checks of one text read.
    pub document: DocumentSource,
    /// Every document of the library, with its versions.
    pub library: Documents,
    /// The id of the featured document (`library.yaml`).
    pub featured: String,
    /// The date of the featured document's version that `document` holds.
    pub version: Option<crate::model::Date>,
    /// The files, for locating errors.
    pub strings_file: SourceFile,
    /// The registry's file.
    pub units_file: SourceFile,
    /// The places' file.
    pub places_file: SourceFile,
    /// The glossary's file.
    pub glossary_file: SourceFile,
    /// The worked examples of the calculator page (`examples.yaml`, optional).
    pub examples: extras::OptionalFile<extras::Example>,
    /// The search's synonym table (`search-synonyms.yaml`, optional).
    pub synonyms: extras::OptionalFile<extras::SynonymEntry>,
    /// The terminology list (`terms.yaml`, optional): one English rendering per repeated term.
    pub terms: extras::OptionalFile<crate::model::TermRendering>,
}

impl Content {
    /// The featured document of the library.
    pub fn featured(&self) -> Option<&crate::documents::LibraryDocument> {
        self.library.iter().find(|d| d.entry.id == self.featured)
    }

    /// The same content with `document` set to another action-plan text (a version of the
    /// library), for the stages that read one text. The library is shared, not copied
    /// ([`Documents`]).
    pub fn at(&self, document: &DocumentSource) -> Content {
        Content {
            document: document.clone(),
            ..self.clone()
        }
    }
}

/// The documents of the library, shared by every copy of the [`Content`]: [`Content::at`] makes
/// one copy per action-plan version, and copying every document's texts each time made a build
/// quadratic in the size of the library (a thousand documents, a thousand copies of all of
/// them). Reading goes through to the list; writing (the preview replaces one document) copies
/// it first when another `Content` still shares it, so no copy sees another's change.
#[derive(Debug, Clone, Default)]
pub struct Documents(Arc<Vec<crate::documents::LibraryDocument>>);

impl Deref for Documents {
    type Target = Vec<crate::documents::LibraryDocument>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for Documents {
    fn deref_mut(&mut self) -> &mut Self::Target {
        Arc::make_mut(&mut self.0)
    }
}

impl From<Vec<crate::documents::LibraryDocument>> for Documents {
    fn from(docs: Vec<crate::documents::LibraryDocument>) -> Self {
        Documents(Arc::new(docs))
    }
}

impl FromIterator<crate::documents::LibraryDocument> for Documents {
    fn from_iter<I: IntoIterator<Item = crate::documents::LibraryDocument>>(iter: I) -> Self {
        Documents(Arc::new(iter.into_iter().collect()))
    }
}

impl<'a> IntoIterator for &'a Documents {
    type Item = &'a crate::documents::LibraryDocument;
    type IntoIter = std::slice::Iter<'a, crate::documents::LibraryDocument>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Reads a file of the content folder, naming it in the error.
///
/// The file must stay inside the content folder (a link to a file elsewhere is refused without
/// reading it), be at most [`limits::MAX_FILE_BYTES`] long and be UTF-8; a byte-order mark is
/// dropped.
pub fn read_file(root: &Path, rel: &str) -> Result<SourceFile, ContentError> {
    let full = root.join(rel);
    let shown = display_path(root, rel);
    // A path of plain names, none of them a link, cannot lead outside: nothing to resolve.
    if !plainly_inside(root, rel) {
        if let (Ok(inside), Ok(target)) = (root.canonicalize(), full.canonicalize()) {
            if !target.starts_with(&inside) {
                return Err(ContentError::new(
                    &shown,
                    "is a link to a file outside the content folder: refused (content files \
                     must be inside content/; copy the file in instead)",
                ));
            }
        }
    }
    let text = limits::read_bounded(&full, &shown)?;
    Ok(SourceFile { path: shown, text })
}

/// Whether `rel` leads from `root` to an entry through plain names only (no `..`, no root, no
/// prefix), none of them a link: such a path cannot leave `root`, whatever `root` itself is.
///
/// Why before resolving both paths: `canonicalize` reads every component of both as a link
/// (`readlink`), about twenty calls a file and 9,400 for the 342 files of the 100-document
/// library (strace), where this looks at the three or four names below `root`.
fn plainly_inside(root: &Path, rel: &str) -> bool {
    let rel = Path::new(rel);
    let mut path = root.to_path_buf();
    rel.components().all(|c| {
        let std::path::Component::Normal(name) = c else {
            return false;
        };
        path.push(name);
        std::fs::symlink_metadata(&path).is_ok_and(|m| !m.file_type().is_symlink())
    })
}

fn display_path(root: &Path, rel: &str) -> PathBuf {
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "content".into());
    PathBuf::from(name).join(rel)
}

/// Parses YAML into `T`, turning serde's message into a located [`ContentError`].
///
/// The text is first scanned within the limits of [`limits`] (size, nesting depth, alias
/// expansion), so no file can make the parser hang or exhaust memory; an empty file is named
/// as empty.
pub fn parse_yaml<T: DeserializeOwned>(file: &SourceFile) -> Result<T, ContentError> {
    // A byte-order mark before the first key is not part of it.
    let text = file.text.strip_prefix('\u{feff}').unwrap_or(&file.text);
    if limits::scan(text, &file.path)? == limits::Scanned::Empty {
        return Err(ContentError::new(
            &file.path,
            format!("the file is empty: expected {}", expected_in(&file.path)),
        ));
    }
    serde_norway::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        // serde_norway appends " at line L column C": the line is reported separately.
        let msg = e.to_string();
        let msg = match msg.find(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        let (field, msg) = split_field(&msg);
        let (line, field) = relocate(text, line, field, &msg);
        let mut err = ContentError::new(&file.path, explain(&msg)).at_line(line);
        if let Some(f) = field {
            err = err.field(f);
        }
        err
    })
}

/// What a file holds, by its name, for the message on an empty file.
fn expected_in(path: &Path) -> &'static str {
    match path.file_name().and_then(|n| n.to_str()).unwrap_or("") {
        "units.yaml" => "a list of units",
        "places.yaml" => "a list of places",
        "glossary.yaml" => "a list of glossary terms",
        "site.yaml" => "the interface texts (`key: {zh: …, en: …}`)",
        "document.yaml" => "the document's library entry (id, shape, number, title, issuer, …)",
        "notice.yaml" => "the notice issuing the text, and its metadata",
        "text.yaml" => "the text's title and its sections or paragraphs",
        "library.yaml" => "the library's settings (`featured: <document id>`)",
        "plan.yaml" => "the action plan",
        "attachment.yaml" => "the attachment's sections",
        "repairs.yaml" => "a list of repairs (`[]` for none)",
        "examples.yaml" => "a list of worked examples",
        "search-synonyms.yaml" => "a list of synonym groups",
        _ => "a YAML document",
    }
}

/// A subsidy's `amount` is read whole before its kind is known, so serde places an error in
/// it at the start of the subsidy. When the message quotes the value it found, the error is
/// moved to the line that holds it (`rate:`, a cap's `amount:`), and the field named.
fn relocate(
    text: &str,
    line: Option<usize>,
    field: Option<String>,
    msg: &str,
) -> (Option<usize>, Option<String>) {
    let (Some(from), Some(found)) = (line, quoted_found(msg)) else {
        return (line, field);
    };
    let lines: Vec<&str> = text.lines().collect();
    // The value stands within the subsidy, a few lines below its start.
    let window = from.saturating_sub(1)..lines.len().min(from + 40);
    let Some(at) = window.clone().find(|&i| {
        let l = lines[i];
        l.contains(found) && l.contains(':') && !l.trim_start().starts_with('#')
    }) else {
        return (line, field);
    };
    let here = lines[at]
        .trim_start()
        .trim_start_matches("- ")
        .trim_start_matches('{');
    let key = here.split(':').next().unwrap_or("").trim();
    let in_caps = (window.start..at)
        .rev()
        .find(|&i| lines[i].trim_start().starts_with("caps:"))
        .map(|c| {
            (c + 1..at)
                .filter(|&i| lines[i].trim_start().starts_with('-'))
                .count()
        });
    let suffix = match (key, in_caps) {
        ("amount", Some(k)) => format!("amount.caps[{k}].amount"),
        ("rate" | "sum" | "kind", _) => format!("amount.{key}"),
        ("min", _) => "amount.threshold.min".to_string(),
        _ => key.to_string(),
    };
    let field = field.map(|f| {
        if f.ends_with(".subsidy") && !suffix.is_empty() {
            format!("{f}.{suffix}")
        } else {
            f
        }
    });
    (Some(at + 1), field)
}

/// The value a deserializer's message says it found (`found `30 pct``), if any.
fn quoted_found(msg: &str) -> Option<&str> {
    let start = msg.find("found `")? + "found `".len();
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len]).filter(|v| !v.trim().is_empty())
}

/// serde_norway prefixes the path of the failing value (`actions[0].tasks[1].units: …`).
fn split_field(msg: &str) -> (Option<String>, String) {
    if let Some((path, rest)) = msg.split_once(": ") {
        if !path.contains(' ') && !path.is_empty() {
            return (Some(path.to_string()), rest.to_string());
        }
    }
    (None, msg.to_string())
}

/// Adds what was expected where serde's wording leaves it implicit.
fn explain(msg: &str) -> String {
    if msg.starts_with("unknown field") {
        format!("{msg} (a typo? unknown keys are not allowed)")
    } else if msg.starts_with("missing field `zh`") || msg.starts_with("missing field `en`") {
        format!("{msg}: every text needs both languages, `zh` and `en`")
    } else {
        msg.to_string()
    }
}

/// Loads the whole content folder; stops at the first file that does not parse.
pub fn load(root: &Path) -> Result<Content, Vec<ContentError>> {
    let mut errors = Vec::new();
    macro_rules! parsed {
        ($file:expr) => {
            match parse_yaml(&$file) {
                Ok(v) => Some(v),
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        };
    }
    let files =
        ["site.yaml", "units.yaml", "places.yaml", "glossary.yaml"].map(|rel| read_file(root, rel));
    // The optional files first, so their mistakes are reported with every other.
    let examples = extras::load_optional(root, extras::EXAMPLES, &mut errors);
    let synonyms = extras::load_optional(root, extras::SYNONYMS, &mut errors);
    let terms = extras::load_optional(root, extras::TERMS, &mut errors);
    let mut read = Vec::new();
    for f in files {
        match f {
            Ok(f) => read.push(f),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (settings, library) = crate::documents::load_library(root, &mut errors);
    let first = library
        .iter()
        .find(|d| d.entry.id == settings.featured)
        .and_then(|d| d.versions.first());
    let version = first.map(|v| v.date);
    let document = first.and_then(|v| match &v.body {
        crate::documents::Body::ActionPlan(d) => Some((**d).clone()),
        crate::documents::Body::Clauses(_) => None,
    });
    if document.is_none() && errors.is_empty() {
        errors.push(ContentError::new(
            display_path(root, "library.yaml"),
            "the featured document has no action-plan version to show",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let [strings_file, units_file, places_file, glossary_file]: [SourceFile; 4] =
        read.try_into().expect("four files were read");
    let strings: Option<Strings> = parsed!(strings_file);
    let units: Option<Vec<ResponsibleUnit>> = parsed!(units_file);
    let places: Option<Vec<PlaceEntry>> = parsed!(places_file);
    let glossary: Option<Vec<Term>> = parsed!(glossary_file);
    match (strings, units, places, glossary, document) {
        (Some(strings), Some(units), Some(places), Some(glossary), Some(document))
            if errors.is_empty() =>
        {
            Ok(Content {
                root: root.to_path_buf(),
                strings,
                units,
                places,
                glossary,
                document,
                library: library.into(),
                featured: settings.featured,
                version,
                strings_file,
                units_file,
                places_file,
                glossary_file,
                examples,
                synonyms,
                terms,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::{plainly_inside, read_file};

    /// A content folder with `documents/a.yaml`, a folder `linked` that is a link to a folder
    /// outside holding `b.yaml`, and `documents/inner` that is a link to `documents` itself.
    fn content_with_links() -> (std::path::PathBuf, std::path::PathBuf) {
        let base = std::env::temp_dir().join(format!("load-links-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (root, outside) = (base.join("content"), base.join("outside"));
        std::fs::create_dir_all(root.join("documents")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(root.join("documents/a.yaml"), "a: 1\n").unwrap();
        std::fs::write(outside.join("b.yaml"), "b: 2\n").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("linked")).unwrap();
        std::os::unix::fs::symlink(root.join("documents"), root.join("documents/inner")).unwrap();
        (base, root)
    }

    #[test]
    fn only_plain_names_skip_resolving_and_links_out_are_still_refused() {
        let (base, root) = content_with_links();
        assert!(plainly_inside(&root, "documents/a.yaml"));
        assert!(!plainly_inside(&root, "linked/b.yaml"));
        assert!(!plainly_inside(&root, "documents/../documents/a.yaml"));
        assert!(!plainly_inside(&root, "documents/inner/a.yaml"));
        assert!(!plainly_inside(&root, "documents/missing.yaml"));

        assert_eq!(read_file(&root, "documents/a.yaml").unwrap().text, "a: 1\n");
        // Through a linked folder that stays inside: read.
        assert_eq!(
            read_file(&root, "documents/inner/a.yaml").unwrap().text,
            "a: 1\n"
        );
        // Through a linked folder that leads outside: refused, naming the file.
        let e = read_file(&root, "linked/b.yaml").unwrap_err().to_string();
        assert!(e.contains("outside the content folder"), "{e}");
        assert!(e.contains("linked/b.yaml"), "{e}");
        std::fs::remove_dir_all(base).unwrap();
    }
}
