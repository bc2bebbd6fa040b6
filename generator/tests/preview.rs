//! The preview's rebuild of one document (`serve`, issue 12 item 2): after a save of one
//! version's file, the pages it writes into `dist/` are those a full build of the edited content
//! writes, and it writes every page that build changes (the derived files, which the full build
//! in the background brings, aside); anything it cannot rebuild alone asks for the full build.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{copy_dir, options, repo, TempDir};
use generator::fingerprint;
use generator::render::Output;
use generator::serve::incremental::{self, Outcome, Preview, Rebuilt};
use generator::BuildOptions;

/// The repository's content with its action plan copied as one more document, so that a
/// document other than the featured one has a text.
fn library(tmp: &Path) -> (PathBuf, BuildOptions) {
    let content = tmp.join("content");
    copy_dir(&repo().join("content"), &content);
    let featured = content.join("documents/tzzb-2024-26");
    let entry = std::fs::read_to_string(featured.join("document.yaml")).unwrap();
    let dir = content.join("documents/syn-0001");
    copy_dir(&featured, &dir);
    let copy = entry.replace("id: tzzb-2024-26", "id: syn-0001");
    assert_ne!(copy, entry);
    std::fs::write(dir.join("document.yaml"), copy).unwrap();
    let opts = options(&content, &tmp.join("dist"));
    (content, opts)
}

fn build(opts: &BuildOptions) -> Output {
    let out = generator::generate(opts).expect("the content builds");
    generator::write::write_atomically(&opts.dist, &out).unwrap();
    out
}

/// The task-3 English of a plan with a word added.
fn edit_plan(plan: &Path, word: &str) {
    let text = std::fs::read_to_string(plan).unwrap();
    let from =
        "and cultivate at least 40 provincial well-known cross-border e-commerce export brands.";
    assert!(text.contains(from), "task-3's English as the test knows it");
    let to = from.replace("brands.", &format!("brands {word}."));
    std::fs::write(plan, text.replace(from, &to)).unwrap();
}

/// A page with every hashed file name read back to its logical name: the search index's names
/// change with every edit, and come with the background build.
fn logical(page: &[u8], names: &[(String, String)]) -> String {
    let mut s = String::from_utf8_lossy(page).into_owned();
    for (hashed, plain) in names {
        s = s.replace(hashed.as_str(), plain);
    }
    s
}

fn hashed_names(outs: &[&Output]) -> Vec<(String, String)> {
    let mut names = BTreeMap::new();
    for out in outs {
        for path in out.keys() {
            if let Some(plain) = fingerprint::unhashed(path) {
                // What differs between the two names: the file name, or the hashed folder
                // with the path below it (`3f9a0c12de/meta.json` → `meta.json`).
                let common = path
                    .split('/')
                    .zip(plain.split('/'))
                    .take_while(|(a, b)| a == b)
                    .map(|(a, _)| a.len() + 1)
                    .sum::<usize>();
                names.insert(path[common..].to_string(), plain[common..].to_string());
            }
        }
    }
    names.into_iter().collect()
}

/// The pages the preview wrote after a save (`written`, in `opts.dist`) are those a full build
/// of the edited content writes, and every page that build changes against `before` (the last
/// full build) is among them; `page` is one the edit changes.
fn assert_written_as_a_full_build_writes(
    opts: &BuildOptions,
    before: &Output,
    written: &[String],
    page: &str,
) {
    let served: BTreeMap<String, Vec<u8>> = written
        .iter()
        .map(|p| (p.clone(), std::fs::read(opts.dist.join(p)).unwrap()))
        .collect();
    let tmp = opts.dist.with_file_name("dist-full");
    // The full build of the edited content, into another folder.
    let full_opts = BuildOptions {
        dist: tmp,
        ..opts.clone()
    };
    let after = build(&full_opts);
    let names = hashed_names(&[before, &after]);
    for (path, bytes) in &served {
        let full = after
            .get(path)
            .unwrap_or_else(|| panic!("{path} is written by the full build too"));
        assert!(
            logical(bytes, &names) == logical(full, &names),
            "{path} as the preview wrote it differs from the full build's"
        );
    }
    // Every page the edit changes is among those written; the rest of dist/ is the last build's.
    let changed: Vec<&String> = after
        .iter()
        .filter(|(p, bytes)| {
            p.ends_with(".html")
                && before
                    .get(*p)
                    .is_none_or(|old| logical(old, &names) != logical(bytes, &names))
        })
        .map(|(p, _)| p)
        .collect();
    assert!(changed.iter().any(|p| p.as_str() == page));
    for p in changed {
        assert!(
            written.contains(p),
            "{p} changes with the edit but the preview did not write it"
        );
    }
}

#[test]
fn a_save_of_one_document_writes_the_pages_a_full_build_writes() {
    let tmp = TempDir::new("preview");
    let (content, opts) = library(&tmp.0);
    let before = build(&opts);
    let mut preview = Preview::after_build(&opts, &before).unwrap();

    let plan = content.join("documents/syn-0001/versions/2025-01-01/plan.yaml");
    edit_plan(&plan, "previewmark");
    let outcome = preview.apply(&[(plan.clone(), false)]).unwrap();
    let Outcome::Pages { document, written } = outcome else {
        panic!("a save of one document's plan is rebuilt alone, got {outcome:?}");
    };
    assert_eq!(document, "syn-0001");

    let served: BTreeMap<String, Vec<u8>> = written
        .iter()
        .map(|p| (p.clone(), std::fs::read(opts.dist.join(p)).unwrap()))
        .collect();
    let page = "en/documents/syn-0001/2025-01-01/plan/index.html";
    assert!(
        String::from_utf8_lossy(&served[page]).contains("previewmark"),
        "the edited page is served with the new word"
    );

    assert_written_as_a_full_build_writes(&opts, &before, &written, page);
    // The featured document's pages, and the first edition's, were not touched.
    assert!(!written
        .iter()
        .any(|p| p.contains("tzzb-2024-26") || !p.contains("/documents/")));
}

/// The library of the fixtures (generator/tests/fixtures/library/: a second version of the
/// featured document, an amending document, implementing rules of shape `sections`), with a
/// copy of the rules that quotes its own first article as implementing the rules: a save of the
/// rules re-renders their page, which links to that quote in the other document's text.
#[test]
fn a_save_of_a_document_quoted_by_another_writes_the_pages_a_full_build_writes() {
    let tmp = TempDir::new("preview-quoted");
    let content = common::fixture_content(&tmp.0);
    let rules = content.join("documents/fixture-rules-2026");
    let quoting = content.join("documents/fixture-rules-quoting");
    copy_dir(&rules, &quoting);
    let entry = std::fs::read_to_string(rules.join("document.yaml")).unwrap();
    let copy = entry
        .replace("id: fixture-rules-2026", "id: fixture-rules-quoting")
        .replace("document: tzzb-2024-26", "document: fixture-rules-2026");
    assert!(copy.contains("document: fixture-rules-2026") && copy.contains("clause: r-1-1"));
    std::fs::write(quoting.join("document.yaml"), copy).unwrap();
    let opts = options(&content, &tmp.0.join("dist"));
    let before = build(&opts);
    let mut preview = Preview::after_build(&opts, &before).unwrap();

    let text = rules.join("versions/2026-03-01/text.yaml");
    let yaml = std::fs::read_to_string(&text).unwrap();
    let from = "in March each year.";
    assert!(
        yaml.contains(from),
        "article 2's English as the test knows it"
    );
    std::fs::write(&text, yaml.replace(from, "in March each year previewmark.")).unwrap();
    let rebuilt = preview.rebuild(&[(text.clone(), false)]).unwrap();
    let Rebuilt::Pages { document, pages } = rebuilt else {
        panic!("a save of the rules' text is rebuilt alone, got {rebuilt:?}");
    };
    assert_eq!(document, "fixture-rules-2026");
    let page = "en/documents/fixture-rules-2026/2026-03-01/text/index.html";
    assert!(String::from_utf8_lossy(&pages[page]).contains("previewmark"));
    // The rules' page names the document that implements them, with a link to the quote in
    // that document's text.
    let doc_page = String::from_utf8_lossy(&pages["en/documents/fixture-rules-2026/index.html"]);
    assert!(
        doc_page.contains("documents/fixture-rules-quoting/text/#r-1-1"),
        "the link to the quote in the implementing document"
    );
    let written = incremental::write(&opts.dist, &pages).unwrap();
    assert_written_as_a_full_build_writes(&opts, &before, &written, page);
}

#[test]
fn what_is_not_one_document_alone_asks_for_the_full_build() {
    let tmp = TempDir::new("preview-full");
    let (content, opts) = library(&tmp.0);
    // No build: the preview's names of hashed files are not needed to decide.
    let mut preview = Preview::after_build(&opts, &Output::new()).unwrap();
    let featured = content.join("documents/tzzb-2024-26/versions/2025-01-01/plan.yaml");
    let other = content.join("documents/syn-0001/versions/2025-01-01/plan.yaml");
    for changed in [
        // The featured document's text is also the first pages, the units and the calculator.
        vec![(featured.clone(), false)],
        // The site's own files reach every page.
        vec![(content.join("glossary.yaml"), false)],
        // A removal, and two documents at once.
        vec![(other.clone(), true)],
        vec![(other.clone(), false), (featured.clone(), false)],
        vec![(content.join("documents/syn-0001/document.yaml"), false)],
    ] {
        assert_eq!(
            preview.apply(&changed).unwrap(),
            Outcome::NotSimple,
            "{changed:?}"
        );
    }
    // A mistake in the saved file is an error (the full build then reports it with the others).
    let text = std::fs::read_to_string(&other).unwrap();
    std::fs::write(
        &other,
        text.replacen("培育跨境电商品牌", "培育跨境电商名牌", 1),
    )
    .unwrap();
    assert!(preview.apply(&[(other, false)]).is_err());
}
