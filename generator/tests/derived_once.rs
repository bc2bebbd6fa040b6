//! Numbers and unit look-ups are derived in one place, the library (`src/library.rs`, over
//! `src/numbering.rs`): a page, the rule set, the search index or a check that counted tasks
//! or looked up units itself could disagree with the others after a reordering.

use std::path::{Path, PathBuf};

/// What only the library may do: number entries, or look a unit up by id.
const DERIVED_ONLY_IN_LIBRARY: [&str; 3] = ["numbering::", "crate::numbering", "units.iter().find"];

/// The files allowed to do it.
const LIBRARY_FILES: [&str; 2] = ["library.rs", "numbering.rs"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("generator/src is readable") {
        let path = e.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_library_numbers_entries_and_looks_units_up() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(
        files.iter().any(|f| f.ends_with("library.rs")),
        "the library exists"
    );
    let mut found = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap_or(f);
        if rel.parent() == Some(Path::new("")) && LIBRARY_FILES.iter().any(|l| rel == Path::new(l))
        {
            continue;
        }
        let text = std::fs::read_to_string(f).expect("a source file is readable");
        for (i, line) in text.lines().enumerate() {
            if let Some(p) = DERIVED_ONLY_IN_LIBRARY.iter().find(|p| line.contains(**p)) {
                found.push(format!(
                    "generator/src/{}:{}: `{p}` outside the library: {}",
                    rel.display(),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "derive numbers and look units up through crate::library::Library:\n{}",
        found.join("\n")
    );
}
