//! Numbers and unit look-ups are derived in one place, the library (`src/library.rs`, over
//! `src/numbering.rs`): a page, the rule set, the search index or a check that counted tasks
//! or looked up units itself could disagree with the others after a reordering.

use std::path::{Path, PathBuf};

/// What only the library may do: number entries, or look a unit up by id. Matched with white
/// space removed, so that a chain rustfmt splits over several lines is caught as well.
const DERIVED_ONLY_IN_LIBRARY: [&str; 8] = [
    "numbering::",
    "crate::numbering",
    "super::numbering",
    "units.iter().find(",
    "units.iter().position(",
    "units.iter().filter(|u|u.id",
    // A map of the units by id, built again beside the library's.
    "units.iter().map(|u|(u.id",
    "units.iter().map(|u|(&u.id",
];

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

/// Each pattern of [`DERIVED_ONLY_IN_LIBRARY`] in the code of `text` (comments left out, white
/// space removed), with the line (from 1) where it starts.
fn offences(text: &str) -> Vec<(usize, &'static str)> {
    // The code's characters without white space, each with its line.
    let mut code = String::new();
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split_once("//").map_or(line, |(code, _)| code);
        for ch in line.chars().filter(|c| !c.is_whitespace()) {
            code.push(ch);
            lines.extend(std::iter::repeat_n(i + 1, ch.len_utf8()));
        }
    }
    let mut out = Vec::new();
    for p in DERIVED_ONLY_IN_LIBRARY {
        out.extend(code.match_indices(p).map(|(at, _)| (lines[at], p)));
    }
    out.sort();
    out
}

#[test]
fn a_lookup_split_over_lines_is_caught() {
    let split = "let u = c\n    .units\n    .iter()\n    .find(|u| u.id == id);\n";
    assert_eq!(offences(split), [(2, "units.iter().find(")]);
    let map = "let m: HashMap<_, _> =\n    c.units.iter().map(|u| (u.id.as_str(), u)).collect();";
    assert_eq!(offences(map), [(2, "units.iter().map(|u|(u.id")]);
    assert_eq!(
        offences("use crate::numbering as n;"),
        [(1, "crate::numbering")]
    );
    assert!(offences("// numbering::paren in a comment").is_empty());
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
        for (line, p) in offences(&text) {
            found.push(format!(
                "generator/src/{}:{line}: `{p}` outside the library: {}",
                rel.display(),
                text.lines().nth(line - 1).unwrap_or_default().trim()
            ));
        }
    }
    assert!(
        found.is_empty(),
        "derive numbers and look units up through crate::library::Library:\n{}",
        found.join("\n")
    );
}
