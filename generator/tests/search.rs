//! The search fixture (`tests/search/queries.yaml`) against the index built from `content/`,
//! through the very client the site ships (`themes/default/static/search.js`, minified as the
//! build minifies it, run under `node` by `tests/search/run.mjs`): every query must find each of its expected documents in
//! its first five results. That the client's text rules are the twins of the generator's is
//! checked by `search_twins.rs`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use generator::load_valid;
use generator::search::{self, docs, text};
use serde::Deserialize;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    q: String,
    lang: String,
    expect: Vec<String>,
    #[serde(default)]
    doc: Option<String>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    above: Vec<String>,
    #[serde(default)]
    why: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Answer {
    q: String,
    ids: Vec<String>,
}

fn queries() -> Vec<Query> {
    let path = root().join("tests/search/queries.yaml");
    let text = std::fs::read_to_string(&path).expect("tests/search/queries.yaml");
    serde_norway::from_str(&text).expect("queries.yaml parses")
}

/// Writes the search index of `content/` into a fresh folder, or into `$SEARCH_TEST_DIST` when
/// set (kept, to look at); returns it.
fn built_index() -> PathBuf {
    let dist = std::env::var_os("SEARCH_TEST_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("search-test-{}", std::process::id()))
        });
    let content = load_valid(&root().join("content")).expect("content is valid");
    for (path, bytes) in
        search::index(&generator::library::Library::new(&content)).expect("the index builds")
    {
        let file = dist.join(path);
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("mkdir");
        std::fs::write(file, bytes).expect("write");
    }
    dist
}

fn node(args: &[&Path], stdin: &str) -> String {
    let mut cmd = Command::new("node");
    cmd.args(args);
    let mut child = cmd
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs (install Node.js: the search client is tested under it)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write to node");
    let out = child.wait_with_output().expect("node finishes");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn every_fixture_query_finds_its_clauses_in_the_top_five() {
    let qs = queries();
    assert!(
        qs.len() >= 40,
        "the fixture needs at least 40 queries, has {}",
        qs.len()
    );
    let content = load_valid(&root().join("content")).expect("content is valid");
    let all = docs::documents(&generator::library::Library::new(&content));
    let ids: std::collections::BTreeSet<String> = all.iter().map(|d| d.id.clone()).collect();
    // Each clause's item: the two are one result.
    let whole: std::collections::BTreeMap<&str, &str> = all
        .iter()
        .filter_map(|d| Some((d.id.as_str(), d.part_of.as_deref()?)))
        .collect();
    for q in &qs {
        assert!(!q.expect.is_empty(), "`{}` expects nothing", q.q);
        assert!(
            q.lang == "zh" || q.lang == "en",
            "`{}`: lang is zh or en",
            q.q
        );
        for e in q.expect.iter().chain(&q.above) {
            assert!(
                ids.contains(e),
                "`{}` expects `{e}`, which is no search document",
                q.q
            );
        }
    }
    let dist = built_index();
    // The client as the build ships it: minified.
    let source = root().join("themes/default/static/search.js");
    let shipped = dist.join("search.min.js");
    let min = generator::write::minify_script(&source, std::fs::read(&source).expect("search.js"))
        .expect("search.js minifies");
    std::fs::write(&shipped, min).expect("write the minified client");
    let input: Vec<serde_json::Value> = qs
        .iter()
        .map(|q| {
            serde_json::json!({"q": q.q, "lang": q.lang, "doc": q.doc, "action": q.action, "unit": q.unit})
        })
        .collect();
    let out = node(
        &[&root().join("tests/search/run.mjs"), &dist, &shipped],
        &serde_json::to_string(&input).expect("json"),
    );
    let answers: Vec<Answer> = serde_json::from_str(&out).expect("runner output");
    if std::env::var_os("SEARCH_TEST_DIST").is_none() {
        let _ = std::fs::remove_dir_all(&dist);
    }
    let mut failures = Vec::new();
    let mut found = 0;
    let mut expected = 0;
    for (q, a) in qs.iter().zip(&answers) {
        assert_eq!(q.q, a.q);
        let top: Vec<&String> = a.ids.iter().take(5).collect();
        let why = q
            .why
            .as_ref()
            .map(|w| format!(" — {w}"))
            .unwrap_or_default();
        // Every expected document ranks above each of `above` that was found.
        for b in &q.above {
            let Some(rb) = a.ids.iter().position(|id| id == b) else {
                continue;
            };
            for e in &q.expect {
                if a.ids
                    .iter()
                    .position(|id| id == e)
                    .is_some_and(|re| re > rb)
                {
                    failures.push(format!(
                        "`{}` ({}): `{e}` ranks below `{b}` in {:?}{why}",
                        q.q, q.lang, a.ids
                    ));
                }
            }
        }
        // No item is shown with one of its own clauses.
        for id in &a.ids {
            if let Some(item) = whole.get(id.as_str()) {
                if a.ids.iter().any(|x| x == item) {
                    failures.push(format!(
                        "`{}` ({}): the item `{item}` and its clause `{id}` are two results in {:?}",
                        q.q, q.lang, a.ids
                    ));
                }
            }
        }
        for e in &q.expect {
            expected += 1;
            if top.contains(&e) {
                found += 1;
            } else {
                failures.push(format!(
                    "`{}` ({}): `{e}` not in the top 5 {:?}{why}",
                    q.q, q.lang, top
                ));
            }
        }
    }
    println!(
        "{found} of {expected} expected documents found in the top 5, over {} queries",
        qs.len()
    );
    assert!(
        failures.is_empty(),
        "{} miss(es):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A library document as `bench/search/library.mjs` writes it.
#[derive(Debug, Deserialize)]
struct LibraryDoc {
    id: String,
    url: String,
    crumb: calculator::Text,
    title: calculator::Text,
    text: calculator::Text,
}

/// Indexes a library written by `bench/search/library.mjs` (`$SEARCH_LIBRARY`) into
/// `$SEARCH_LIBRARY_OUT` with the site's own index stage: the scaling measurement of
/// `bench/search/`. Run by hand (`--ignored`).
#[test]
#[ignore]
fn index_a_library() {
    let (Some(input), Some(out)) = (
        std::env::var_os("SEARCH_LIBRARY"),
        std::env::var_os("SEARCH_LIBRARY_OUT"),
    ) else {
        panic!("set SEARCH_LIBRARY (a library .json) and SEARCH_LIBRARY_OUT (a folder)");
    };
    let lib: Vec<LibraryDoc> =
        serde_json::from_str(&std::fs::read_to_string(input).expect("library")).expect("json");
    let content = load_valid(&root().join("content")).expect("content is valid");
    let query_words = search::QueryWords::of(&content);
    let words = search::domain_words(&content);
    let tok = text::Tokenizer::new(words.iter().map(String::as_str));
    let docs: Vec<docs::SearchDoc> = lib
        .into_iter()
        .map(|d| docs::SearchDoc {
            fields: vec![
                (docs::TITLE, d.title.clone()),
                (docs::BODY, d.text.clone()),
                (docs::CONTEXT, d.crumb.clone()),
            ],
            facets: Default::default(),
            id: d.id,
            url: d.url,
            crumb: d.crumb,
            title: d.title,
            text: d.text,
            estimate: None,
            part_of: None,
        })
        .collect();
    let out = PathBuf::from(out);
    let _ = std::fs::remove_dir_all(&out);
    for (path, bytes) in search::build_index(&docs, &query_words, &tok) {
        let file = out.join(path);
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("mkdir");
        std::fs::write(file, bytes).expect("write");
    }
}

/// The money words of `search-synonyms.yaml` reach the browser, and an entry that mixes them
/// with another kind is a mistake named in the file.
#[test]
fn money_words_are_shipped_and_an_entry_has_one_kind() {
    let mut content = load_valid(&root().join("content")).expect("content is valid");
    let words = search::QueryWords::of(&content);
    for w in ["补贴", "多少", "subsidy", "how much"] {
        assert!(
            words.amount.iter().any(|a| a == w),
            "`{w}` asks about money: {:?}",
            words.amount
        );
    }
    let mut mixed = content.synonyms.entries[0].clone();
    mixed.same.clear();
    mixed.words = vec!["补钱".into()];
    mixed.means = vec!["补助".into()];
    mixed.amount = vec!["补钱".into()];
    content.synonyms.entries.push(mixed);
    let errors: Vec<String> = generator::load::extras::check(&content)
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("search-synonyms.yaml") && e.contains("not two")),
        "{errors:?}"
    );
}
