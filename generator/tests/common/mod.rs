//! Helpers shared by the generator's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use generator::{model::Date, BuildOptions};

/// The repository root (the generator crate's parent).
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A fresh temporary folder, removed by the caller's `TempDir` drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!(
            "gen-test-{tag}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The real content with the library's fixture documents (generator/tests/fixtures/library/:
/// a second version of the featured document, an amending document, implementing rules) laid
/// over it, in `dir/content`. The worked examples are left out: they state the amounts of the
/// 2025 text, and a build after 2026-01-01 checks them against the fixture's raised cap.
pub fn fixture_content(dir: &Path) -> PathBuf {
    let content = dir.join("content");
    copy_dir(&repo().join("content"), &content);
    copy_dir(
        &repo().join("generator/tests/fixtures/library/documents"),
        &content.join("documents"),
    );
    std::fs::remove_file(content.join("examples.yaml")).unwrap();
    content
}

/// Build options for the real content and theme, writing to `dist`, on a fixed date.
pub fn options(content: &Path, dist: &Path) -> BuildOptions {
    let mut o = BuildOptions::in_project(&repo());
    o.content = content.to_path_buf();
    o.dist = dist.to_path_buf();
    o.today = Date::parse("2026-11-26").unwrap();
    o.wasm = false;
    o
}

/// The visible text of an HTML page: tags removed, entities decoded, white space folded.
pub fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut skip_until: Option<&str> = None;
    let lower = html.to_lowercase();
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < html.len() {
        if let Some(end) = skip_until {
            if lower[i..].starts_with(end) {
                skip_until = None;
                i += end.len();
            } else {
                // By whole characters: a script may hold Chinese (the calculator's data block).
                i += html[i..].chars().next().map_or(1, char::len_utf8);
            }
            continue;
        }
        if !in_tag && lower[i..].starts_with("<script") {
            skip_until = Some("</script>");
            continue;
        }
        if !in_tag && lower[i..].starts_with("<style") {
            skip_until = Some("</style>");
            continue;
        }
        let c = bytes[i];
        if c == b'<' {
            in_tag = true;
            i += 1;
            continue;
        }
        if c == b'>' && in_tag {
            in_tag = false;
            i += 1;
            continue;
        }
        if in_tag {
            i += 1;
            continue;
        }
        let ch = html[i..].chars().next().unwrap();
        out.push(ch);
        i += ch.len_utf8();
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}
