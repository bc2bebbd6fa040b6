//! The two content files beside the documents: the worked examples (`examples.yaml`) and the
//! search synonyms (`search-synonyms.yaml`). They are read and parsed with the other files in
//! [`load`](super::load) (so the same parser and its limits apply, and a mistake in either is
//! reported with every other), checked with the rest of the content by [`check`], and the
//! examples are run through the engine by [`check_examples`] once the rule set exists. Both are
//! optional: a bare copy of the content without them still builds. The terminology list
//! (`terms.yaml`) is read the same way; `validate::terms` checks the texts against it.
//!
//! The examples were computed by hand from the clause text; the check stops the build, naming
//! the example, if the engine does not give the hand-computed result. A worked example on the
//! site is therefore always what the calculator says.

use std::collections::BTreeSet;
use std::path::Path;

use calculator::{estimate, Estimate, Lang, LineStatus, Money, Scenario, Text};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{parse_yaml, read_file, Content, SourceFile};
use crate::error::ContentError;

/// The worked examples' file, in the content folder.
pub const EXAMPLES: &str = "examples.yaml";
/// The synonym table's file, in the content folder.
pub const SYNONYMS: &str = "search-synonyms.yaml";
/// The terminology list's file, in the content folder (checked by `validate::terms`).
pub const TERMS: &str = "terms.yaml";

/// A content file that may be absent: its entries (none when absent) and the file they came
/// from, kept to place later errors on a line.
#[derive(Debug, Clone)]
pub struct OptionalFile<T> {
    /// The parsed entries, in file order.
    pub entries: Vec<T>,
    /// The file, if there is one.
    pub file: Option<SourceFile>,
}

impl<T> Default for OptionalFile<T> {
    fn default() -> Self {
        OptionalFile {
            entries: Vec::new(),
            file: None,
        }
    }
}

/// Reads and parses `rel` below `root` if it exists, adding any mistake to `errors` (and then
/// giving no entries).
pub fn load_optional<T: DeserializeOwned>(
    root: &Path,
    rel: &str,
    errors: &mut Vec<ContentError>,
) -> OptionalFile<T> {
    // `symlink_metadata`: a dangling link is a mistake to report, not an absent file.
    if std::fs::symlink_metadata(root.join(rel)).is_err() {
        return OptionalFile::default();
    }
    let parsed = read_file(root, rel).and_then(|file| {
        let entries: Vec<T> = parse_yaml(&file)?;
        Ok(OptionalFile {
            entries,
            file: Some(file),
        })
    });
    parsed.unwrap_or_else(|e| {
        errors.push(e);
        OptionalFile::default()
    })
}

/// One worked example: a scenario and its hand-computed result.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The anchor of the example on the page.
    pub id: String,
    /// What the example is about.
    pub title: Text,
    /// The version of the policy its amounts are computed under (the date it takes effect);
    /// absent: the version in force on the build date.
    #[serde(default)]
    pub version: Option<crate::model::Date>,
    /// The scenario, as `estimate SCENARIO.yaml` reads it.
    pub scenario: Scenario,
    /// The result computed by hand.
    pub expected: Expected,
}

/// The hand-computed result of an example.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// One per claim, in order.
    pub lines: Vec<ExpectedLine>,
    /// The city total.
    pub city_total: Money,
    /// The total kept out of the city total (a county applicant).
    pub reference_total: Money,
}

/// One expected line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedLine {
    /// The subsidy id.
    pub subsidy: String,
    /// The line status, as the engine's JSON writes it (`counted`, `not-set`, …).
    pub status: String,
    /// The amount; `None` where the policy sets no amount.
    pub amount: Option<Money>,
}

/// One entry of `search-synonyms.yaml`: either `same`, or `words` with `means`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynonymEntry {
    /// Words that mean the same: each finds the others.
    #[serde(default)]
    pub same: Vec<String>,
    /// What readers type…
    #[serde(default)]
    pub words: Vec<String>,
    /// …and what the text says instead.
    #[serde(default)]
    pub means: Vec<String>,
    /// Or: words that ask about money (补贴, 多少, how much): a query holding one ranks the
    /// clauses that set an amount first.
    #[serde(default)]
    pub amount: Vec<String>,
}

/// The checks of both files that need no rule set: unique example ids, both languages of
/// every title, and well-formed synonym entries.
pub fn check(c: &Content) -> Vec<ContentError> {
    let mut errors = Vec::new();
    if let Some(file) = &c.examples.file {
        let mut seen = BTreeSet::new();
        for (k, ex) in c.examples.entries.iter().enumerate() {
            // The id is the example's anchor on the page and its link's fragment.
            if let Some(e) =
                crate::validate::ids::check_id(file, "id", &ex.id, format!("[{k}].id"), "example")
            {
                errors.push(e);
                continue;
            }
            if !seen.insert(ex.id.as_str()) {
                errors.push(file.error_at(
                    Some(&ex.id),
                    "id:",
                    "id",
                    format!("two examples share the id `{}`: ids must be unique", ex.id),
                ));
            }
            for lang in ex.title.missing() {
                errors.push(file.error_at(
                    Some(&ex.id),
                    "title",
                    "title",
                    format!("the title lacks its `{}` text", lang.code()),
                ));
            }
        }
    }
    if let Some(file) = &c.synonyms.file {
        for (i, e) in c.synonyms.entries.iter().enumerate() {
            let anchor = e
                .same
                .first()
                .or(e.words.first())
                .or(e.amount.first())
                .map(String::as_str);
            let bad = |msg: &str| file.error_at(None, anchor.unwrap_or("-"), format!("[{i}]"), msg);
            let empty = e
                .same
                .iter()
                .chain(&e.words)
                .chain(&e.means)
                .chain(&e.amount)
                .any(|w| w.trim().is_empty());
            // An entry is one of three kinds; only one.
            let kinds = [
                !e.same.is_empty(),
                !e.words.is_empty() || !e.means.is_empty(),
                !e.amount.is_empty(),
            ];
            if empty {
                errors.push(bad("an empty word: every word needs some text"));
            } else if kinds.iter().filter(|k| **k).count() > 1 {
                errors.push(bad(
                    "an entry has one of `same: [...]`, `words:` with `means:`, or `amount: [...]`, not two",
                ));
            } else if !e.amount.is_empty() {
                // A list of words, nothing more to check.
            } else if !e.same.is_empty() {
                if e.same.len() < 2 {
                    errors.push(bad("`same` needs at least two words"));
                }
            } else if e.words.is_empty() || e.means.is_empty() {
                errors.push(bad(
                    "expected `words: [...]` and `means: [...]` (or `same: [...]`, or `amount: [...]`)",
                ));
            }
        }
    }
    errors
}

/// Runs every worked example through the engine with the rules of the version it names
/// (`version`, else `current`: the version in force on the build date) and lists each
/// difference from its hand computation.
pub fn check_examples(
    c: &Content,
    rules: &crate::ruleset::VersionRules,
    current: &str,
) -> Vec<ContentError> {
    let Some(file) = &c.examples.file else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for ex in &c.examples.entries {
        let version = ex
            .version
            .map(|d| d.iso())
            .unwrap_or_else(|| current.to_string());
        match rules.get(&version) {
            Some(r) => out.extend(differences(file, ex, &estimate(r, &ex.scenario))),
            None => out.push(file.error_at(
                Some(&ex.id),
                "version:",
                "version",
                format!(
                    "example `{}` names the version {version}, but `{}` has versions {}",
                    ex.id,
                    rules.index.document,
                    rules.index.versions.join(", ")
                ),
            )),
        }
    }
    out
}

/// The differences between an example's hand computation and the engine's result.
fn differences(file: &SourceFile, ex: &Example, e: &Estimate) -> Vec<ContentError> {
    let err = |field: String, msg: String| {
        file.error_at(
            Some(&ex.id),
            "expected",
            field,
            format!(
                "example `{}`: {msg} (the worked examples are computed by hand from the clause \
                 text: recompute this one for the changed rules)",
                ex.id
            ),
        )
    };
    let mut out = Vec::new();
    for i in &e.errors {
        out.push(err(
            format!("scenario.{}", i.path),
            format!(
                "the scenario has an input error: {}",
                i.kind.message(Lang::En)
            ),
        ));
    }
    if e.lines.len() != ex.expected.lines.len() {
        out.push(err(
            "expected.lines".into(),
            format!(
                "{} expected lines for {} claims",
                ex.expected.lines.len(),
                e.lines.len()
            ),
        ));
    }
    for (k, (got, want)) in e.lines.iter().zip(&ex.expected.lines).enumerate() {
        let status = status_code(got.status);
        if got.subsidy != want.subsidy || status != want.status || got.amount != want.amount {
            out.push(err(
                format!("expected.lines[{k}]"),
                format!(
                    "expected {} {} {}, but the rules give {} {} {}",
                    want.subsidy,
                    want.status,
                    shown(want.amount),
                    got.subsidy,
                    status,
                    shown(got.amount)
                ),
            ));
        }
    }
    for (field, want, got) in [
        ("city_total", ex.expected.city_total, e.city_total),
        (
            "reference_total",
            ex.expected.reference_total,
            e.reference_total,
        ),
    ] {
        if want != got {
            out.push(err(
                format!("expected.{field}"),
                format!(
                    "expected {field} {}, but the rules give {}",
                    want.0.normalize(),
                    got.0.normalize()
                ),
            ));
        }
    }
    out
}

fn shown(m: Option<Money>) -> String {
    m.map_or_else(|| "null".into(), |m| m.0.normalize().to_string())
}

/// The status as the engine's JSON writes it (`other-award-higher`).
fn status_code(s: LineStatus) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}
