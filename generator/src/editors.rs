//! What an editor needs besides the build: the pages a build adds, changes and removes against
//! the previous `dist/` (said before the upload), and a new version scaffolded from the latest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::documents::DOCUMENTS;
use crate::error::BuildError;
use crate::model::Date;
use crate::render::Output;

/// The pages (`.html` files) a build adds, changes and removes against the previous `dist/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageChanges {
    /// Pages the previous `dist/` did not have.
    pub added: Vec<String>,
    /// Pages whose bytes differ.
    pub changed: Vec<String>,
    /// Pages of the previous `dist/` the new build no longer writes.
    pub removed: Vec<String>,
}

impl PageChanges {
    /// Compares the output of a build with the files of `dist` (absent: every page is added).
    pub fn between(dist: &Path, out: &Output) -> PageChanges {
        let mut before: BTreeMap<String, PathBuf> = BTreeMap::new();
        collect(dist, dist, &mut before);
        let mut c = PageChanges::default();
        let pages: Vec<(&String, &Vec<u8>)> =
            out.iter().filter(|(p, _)| p.ends_with(".html")).collect();
        // Reading the previous pages back is most of the comparison (7,228 pages, 100 MB, at
        // 1,000 documents): on every core.
        let state = crate::parallel::map_in_order(&pages, |(path, bytes)| {
            before
                .get(*path)
                .map(|file| std::fs::read(file).ok().as_deref() == Some(bytes.as_slice()))
        });
        for ((path, _), same) in pages.iter().zip(state) {
            match same {
                None => c.added.push((*path).clone()),
                Some(false) => c.changed.push((*path).clone()),
                Some(true) => {}
            }
        }
        c.removed = before
            .keys()
            .filter(|p| !out.contains_key(*p))
            .cloned()
            .collect();
        c
    }

    /// `2 pages added, 5 changed, 0 removed`, then the pages, at most `limit` of each kind.
    pub fn describe(&self, limit: usize) -> String {
        let mut s = format!(
            "Against the previous dist/: {} page(s) added, {} changed, {} removed",
            self.added.len(),
            self.changed.len(),
            self.removed.len()
        );
        for (sign, list) in [
            ("+", &self.added),
            ("~", &self.changed),
            ("-", &self.removed),
        ] {
            for p in list.iter().take(limit) {
                s.push_str(&format!("\n  {sign} /{}", p.trim_end_matches("index.html")));
            }
            if list.len() > limit {
                s.push_str(&format!("\n  {sign} … and {} more", list.len() - limit));
            }
        }
        s
    }
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        // The entry's own type, from the folder listing: no `stat` per file, and a link is
        // never followed out of dist/.
        let Ok(kind) = e.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(root, &p, out);
        } else if kind.is_file() && p.extension().is_some_and(|x| x == "html") {
            if let Ok(rel) = p.strip_prefix(root) {
                out.insert(rel.to_string_lossy().replace('\\', "/"), p);
            }
        }
    }
}

/// Copies the latest version of document `doc` to `versions/<date>/`, for an editor to change
/// into the re-issued text (its `source.txt`, `repairs.yaml` and the changed clauses). Returns
/// the new folder. Refuses a date that is not after the latest version, or a folder that
/// exists: nothing is ever edited in place.
pub fn new_version(content: &Path, doc: &str, date: &str) -> Result<PathBuf, BuildError> {
    let usage = |m: String| BuildError::Usage(m);
    let date = Date::parse(date)
        .ok_or_else(|| usage(format!("`{date}` is not a date: expected YYYY-MM-DD")))?;
    let versions = content.join(DOCUMENTS).join(doc).join("versions");
    let mut dates: Vec<Date> = std::fs::read_dir(&versions)
        .map_err(|e| {
            usage(format!(
                "no versions of `{doc}` in {}: {e} (a record has none; see the README, \"add a document\")",
                versions.display()
            ))
        })?
        .flatten()
        .filter_map(|e| Date::parse(&e.file_name().to_string_lossy()))
        .collect();
    dates.sort();
    let latest = *dates
        .last()
        .ok_or_else(|| usage(format!("no version folder in {}", versions.display())))?;
    if date <= latest {
        return Err(usage(format!(
            "the new version must take effect after the latest one ({}); a text in force is never edited in place",
            latest.iso()
        )));
    }
    let from = versions.join(latest.iso());
    let to = versions.join(date.iso());
    copy(&from, &to).map_err(|e| usage(format!("cannot write {}: {e}", to.display())))?;
    Ok(to)
}

fn copy(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir(to)?;
    for e in std::fs::read_dir(from)?.flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}
