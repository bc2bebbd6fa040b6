//! The library with the test fixtures (generator/tests/fixtures/library/) laid over a copy of
//! the real content: a re-issued full text of 26号 (trademark cap 10万 → 20万 from 2026-01-01),
//! an amending document (patent cap 10万 → 15万 from 2026-07-01, the consolidation path) and
//! implementing rules of another shape (sections).

mod common;

use std::path::{Path, PathBuf};

use common::{options, repo, visible_text, TempDir};
use generator::model::Date;

/// The real content with the fixtures laid over it ([`common::fixture_content`]).
fn fixture_content(tmp: &TempDir) -> PathBuf {
    common::fixture_content(&tmp.0)
}

fn build_on(content: &Path, dist: &Path, day: &str) -> Result<(), String> {
    let mut o = options(content, dist);
    o.today = Date::parse(day).unwrap();
    generator::build(&o).map(|_| ()).map_err(|e| e.to_string())
}

fn text(dist: &Path, rel: &str) -> String {
    visible_text(&std::fs::read_to_string(dist.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

fn html(dist: &Path, rel: &str) -> String {
    std::fs::read_to_string(dist.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The visible text of the element with this id (up to the next clause).
fn clause(page: &str, id: &str) -> String {
    let at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let rest = &page[at..];
    let end = rest[1..]
        .find("<div class=\"clause")
        .map_or(rest.len(), |e| e + 1);
    visible_text(&format!("<div {}", &rest[..end]))
}

#[test]
fn the_fixture_library_builds_and_shows_every_version_at_its_permalink() {
    let tmp = TempDir::new("libfx");
    let content = fixture_content(&tmp);
    let dist = tmp.0.join("dist");
    build_on(&content, &dist, "2026-11-26").expect("the fixture library builds");
    let v25 = "documents/tzzb-2024-26/2025-01-01/attachment/index.html";
    let v26 = "documents/tzzb-2024-26/2026-01-01/attachment/index.html";
    let v26b = "documents/tzzb-2024-26/2026-07-01/attachment/index.html";
    // Each version keeps its own text in both languages.
    let old = clause(&html(&dist, &format!("zh/{v25}")), "att-1-3-a");
    assert!(old.contains("单家企业扶持额度最高不超过10万元"), "{old}");
    let new = clause(&html(&dist, &format!("zh/{v26}")), "att-1-3-a");
    assert!(new.contains("单家企业扶持额度最高不超过20万元"), "{new}");
    let old_en = clause(&html(&dist, &format!("en/{v25}")), "att-1-3-a");
    assert!(old_en.contains("shall not exceed RMB 100,000"), "{old_en}");
    assert!(old_en.contains("RMB 100,000"), "{old_en}");
    let new_en = clause(&html(&dist, &format!("en/{v26}")), "att-1-3-a");
    assert!(new_en.contains("shall not exceed RMB 200,000"), "{new_en}");
    // The earlier text announces the change on the clause it changes, and only there.
    assert!(
        old_en.contains("Amended with effect from 1 January 2026"),
        "{old_en}"
    );
    let patent_25 = clause(&html(&dist, &format!("en/{v25}")), "att-1-3-b");
    assert!(!patent_25.contains("Amended with effect"), "{patent_25}");
    // The consolidation: the patent clause changed, marked as the site's, not issued.
    let patent_26 = clause(&html(&dist, &format!("en/{v26}")), "att-1-3-b");
    assert!(
        patent_26.contains("Amended with effect from 1 July 2026"),
        "{patent_26}"
    );
    let cons = text(&dist, &format!("en/{v26b}"));
    assert!(cons.contains("consolidated by this site from Tai Zheng Ban Fa [2026] No. 99"));
    assert!(cons.contains("not an issued text"));
    let patent = clause(&html(&dist, &format!("zh/{v26b}")), "att-1-3-b");
    assert!(patent.contains("最高不超过15万元"), "{patent}");
    let trademark = clause(&html(&dist, &format!("zh/{v26b}")), "att-1-3-a");
    assert!(trademark.contains("最高不超过20万元"), "{trademark}");
    // The timeline lists the three versions, each linked; the current one named.
    let doc = text(&dist, "en/documents/tzzb-2024-26/index.html");
    for d in [
        "1 January 2025 — issued text",
        "1 January 2026 — issued text",
        "1 July 2026 — consolidated by this site",
    ] {
        assert!(doc.contains(d), "{d}: {doc}");
    }
    let doc_html = html(&dist, "en/documents/tzzb-2024-26/index.html");
    for d in ["2025-01-01", "2026-01-01", "2026-07-01"] {
        assert!(
            doc_html.contains(&format!(
                "href=\"../../../en/documents/tzzb-2024-26/{d}/plan/\""
            )),
            "{d}"
        );
    }
    let after =
        |label: &str| doc[doc.find(label).unwrap_or_else(|| panic!("{label}"))..].to_string();
    assert!(
        after("Amended by").contains("Tai Zheng Ban Fa [2026] No. 99"),
        "{doc}"
    );
    assert!(
        after("Implemented by").contains("Tai Shang Wu [2026] No. 1"),
        "{doc}"
    );
    // The first edition's URL shows the version in force on the build date.
    let current = clause(&html(&dist, "en/attachment/index.html"), "att-1-3-a");
    assert!(
        current.contains("shall not exceed RMB 200,000"),
        "{current}"
    );
    // The other shapes: sections and paragraphs, with our correction applied and logged.
    let rules = text(
        &dist,
        "zh/documents/fixture-rules-2026/2026-03-01/text/index.html",
    );
    assert!(rules.contains("第二章 申报"), "{rules}");
    assert!(rules.contains("海外仓备案企业于每年三月"), "{rules}");
    let amend = text(&dist, "en/documents/fixture-amend-2026/text/index.html");
    assert!(
        amend.contains("This Notice shall come into force on 1 July 2026."),
        "{amend}"
    );
    // Units and the glossary span the library: the rules name 市商务局 and use 海外仓.
    let rules_clause = "documents/fixture-rules-2026/2026-03-01/text/#r-2-1";
    let unit = html(&dist, "zh/units/commerce/index.html");
    assert!(
        unit.contains(&format!(
            "zh/{rules_clause}\">台商务〔2026〕1号（测试样例）"
        )),
        "the unit page links the rules"
    );
    // ... with the clause's words, after the Chinese colon.
    assert!(
        visible_text(&unit).contains("自2026年3月1日起施行的版本：第二条"),
        "{}",
        visible_text(&unit)
    );
    let glossary = html(&dist, "en/glossary/index.html");
    let term = &glossary[glossary
        .find("id=\"term-overseas-warehouse\"")
        .expect("the term")..];
    let term = &term[..term.find("</div>").unwrap()];
    assert!(term.contains(&format!("en/{rules_clause}")), "{term}");
    let log = text(&dist, "en/documents/fixture-amend-2026/index.html");
    assert!(
        log.contains("1 August 2026 · p-2: The English left out"),
        "{log}"
    );
}

/// The text of one `<section class="clause-change …" id="change-<id>">` of a what-changed page.
fn change_section(page: &str, id: &str) -> String {
    let at = page
        .find(&format!("id=\"change-{id}\""))
        .unwrap_or_else(|| panic!("no #change-{id}"));
    let rest = &page[at..];
    let end = rest.find("</section>").unwrap_or(rest.len());
    rest[..end].to_string()
}

/// The words a redline marks with `tag` (`del`, `ins`), without the words announced to screen
/// readers.
fn marked(section: &str, tag: &str) -> Vec<String> {
    section
        .split(&format!("<{tag}"))
        .skip(1)
        .map(|m| {
            let inner = &m[m.find('>').unwrap() + 1..m.find(&format!("</{tag}>")).unwrap()];
            let mut out = String::new();
            let mut rest = inner;
            while let Some(i) = rest.find("<span class=\"visually-hidden\">") {
                out.push_str(&rest[..i]);
                rest = &rest[i..];
                rest = &rest[rest.find("</span>").unwrap() + "</span>".len()..];
            }
            out.push_str(rest);
            out
        })
        .collect()
}

/// The figures list of a what-changed page.
fn figures_list(page: &str) -> String {
    let at = page
        .find("class=\"figure-changes\"")
        .expect("a figures list");
    let rest = &page[at..];
    visible_text(&rest[..rest.find("</section>").unwrap()])
}

#[test]
fn each_version_has_a_what_changed_page_linked_from_both_versions_and_the_changed_clause() {
    let tmp = TempDir::new("libfx-changes");
    let content = fixture_content(&tmp);
    let dist = tmp.0.join("dist");
    build_on(&content, &dist, "2026-11-26").expect("the fixture library builds");
    let page = "documents/tzzb-2024-26/2026-01-01/changes/index.html";
    let zh = html(&dist, &format!("zh/{page}"));
    let en = html(&dist, &format!("en/{page}"));
    // The redline of the trademark clause, in both languages, labelled as the text numbers it:
    // the old figure deleted, the new one inserted, each kept whole.
    let tm = change_section(&zh, "att-1-3-a");
    assert!(visible_text(&tm).contains("附件一（三）"), "{tm}");
    assert_eq!(marked(&tm, "del"), ["10万元", "RMB 100,000"], "{tm}");
    assert_eq!(marked(&tm, "ins"), ["20万元", "RMB 200,000"], "{tm}");
    let tm_en = change_section(&en, "att-1-3-a");
    assert!(visible_text(&tm_en).contains("Attachment I (3)"), "{tm_en}");
    assert_eq!(marked(&tm_en, "del"), ["RMB 100,000", "10万元"], "{tm_en}");
    assert_eq!(marked(&tm_en, "ins"), ["RMB 200,000", "20万元"], "{tm_en}");
    // The figures list: old → new.
    let figs = figures_list(&zh);
    assert!(figs.contains("10万元") && figs.contains("20万元"), "{figs}");
    assert!(figs.find("10万元") < figs.find("20万元"), "{figs}");
    let figs_en = figures_list(&en);
    assert!(
        figs_en.find("RMB 100,000").is_some()
            && figs_en.find("RMB 100,000") < figs_en.find("RMB 200,000"),
        "{figs_en}"
    );
    // The patent clause is not changed by this version (the amendment of July changes it).
    assert!(!zh.contains("id=\"change-att-1-3-b\""));
    let july = html(
        &dist,
        "en/documents/tzzb-2024-26/2026-07-01/changes/index.html",
    );
    assert!(july.contains("id=\"change-att-1-3-b\""));
    assert!(figures_list(&july).contains("RMB 150,000"));
    // Linked from the document's timeline, from both versions' pages and from the clause on
    // each side.
    let changes_href = "en/documents/tzzb-2024-26/2026-01-01/changes/";
    let doc = html(&dist, "en/documents/tzzb-2024-26/index.html");
    assert!(doc.contains(changes_href), "the timeline links the page");
    let old = html(
        &dist,
        "en/documents/tzzb-2024-26/2025-01-01/attachment/index.html",
    );
    let new = html(
        &dist,
        "en/documents/tzzb-2024-26/2026-01-01/attachment/index.html",
    );
    assert!(clause(&old, "att-1-3-a").contains("what changed"));
    assert!(old.contains(&format!("{changes_href}#change-att-1-3-a")));
    assert!(new.contains(&format!("{changes_href}#change-att-1-3-a")));
    assert!(
        clause(&new, "att-1-3-a").contains("Changed from the version in force from 1 January 2025")
    );
    assert!(!new.contains(&format!("{changes_href}#change-att-1-3-b")));
    // Any two on request: three versions, so every pair has its page, listed on the document.
    for (a, b) in [
        ("2025-01-01", "2026-01-01"),
        ("2025-01-01", "2026-07-01"),
        ("2026-01-01", "2026-07-01"),
    ] {
        let rel = format!("documents/tzzb-2024-26/changes/{a}..{b}/");
        assert!(doc.contains(&format!("en/{rel}\"")), "{rel} is listed");
        assert!(dist.join(format!("zh/{rel}index.html")).exists(), "{rel}");
    }
    let both = html(
        &dist,
        "zh/documents/tzzb-2024-26/changes/2025-01-01..2026-07-01/index.html",
    );
    assert!(both.contains("id=\"change-att-1-3-a\"") && both.contains("id=\"change-att-1-3-b\""));
}

#[test]
fn feeds_sitemap_and_open_data_cover_every_document_and_version() {
    let tmp = TempDir::new("libfx-publish");
    let content = fixture_content(&tmp);
    let dist = tmp.0.join("dist");
    build_on(&content, &dist, "2026-11-26").expect("builds");
    let versions = [
        ("tzzb-2024-26", "2025-01-01", "plan/"),
        ("tzzb-2024-26", "2026-01-01", "plan/"),
        ("tzzb-2024-26", "2026-07-01", "plan/"),
        ("fixture-amend-2026", "", "text/"),
        ("fixture-rules-2026", "2026-03-01", "text/"),
    ];
    let index: serde_json::Value = serde_json::from_str(&html(&dist, "data/index.json")).unwrap();
    let listed: Vec<String> = index["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["versions"].as_array().unwrap().iter())
        .map(|v| v["file"].as_str().unwrap().to_string())
        .collect();
    // Every version of every document, and the record, each with its file.
    assert_eq!(listed.len(), 6, "{listed:?}");
    for f in &listed {
        assert!(dist.join("data").join(f).exists(), "{f}");
    }
    assert!(listed.contains(&"tzzb-2023-32/record.json".to_string()));
    let v26: serde_json::Value =
        serde_json::from_str(&html(&dist, "data/tzzb-2024-26/2026-01-01.json")).unwrap();
    let tm = v26["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "att-1-3-a")
        .unwrap();
    assert!(
        tm["text"]["zh"].as_str().unwrap().contains("20万元"),
        "{tm}"
    );
    assert_eq!(
        tm["url"]["en"],
        "en/documents/tzzb-2024-26/2026-01-01/attachment/#att-1-3-a"
    );
    let cons: serde_json::Value =
        serde_json::from_str(&html(&dist, "data/tzzb-2024-26/2026-07-01.json")).unwrap();
    assert_eq!(cons["version"]["kind"], "consolidated");
    let rules: serde_json::Value =
        serde_json::from_str(&html(&dist, "data/fixture-rules-2026/2026-03-01.json")).unwrap();
    assert!(rules["clauses"].as_array().unwrap().len() > 1);
    // The feed: an entry per version and record, each linking its own page.
    let feed = html(&dist, "en/feed.xml");
    assert_eq!(feed.matches("<entry>").count(), 6, "{feed}");
    for (id, date, part) in versions {
        if date.is_empty() {
            assert!(feed.contains(&format!("href=\"documents/{id}/")), "{id}");
        } else {
            assert!(
                feed.contains(&format!("href=\"documents/{id}/{date}/{part}\"")),
                "{id} {date}"
            );
        }
    }
    // The sitemap: every new page, dated by the content it shows.
    let sitemap = html(&dist, "sitemap.xml");
    let lastmod = |loc: &str| {
        let at = sitemap
            .find(&format!("<loc>/{loc}</loc>"))
            .unwrap_or_else(|| panic!("{loc} is not in the sitemap"));
        let rest = &sitemap[at..];
        let l = rest.find("<lastmod>").unwrap() + "<lastmod>".len();
        rest[l..l + 10].to_string()
    };
    assert_eq!(
        lastmod("zh/documents/tzzb-2024-26/2025-01-01/plan/"),
        "2024-11-19"
    );
    let reissued = lastmod("zh/documents/tzzb-2024-26/2026-01-01/attachment/");
    assert!(reissued.as_str() > "2024-11-19", "{reissued}");
    assert_eq!(
        lastmod("en/documents/tzzb-2024-26/2026-01-01/changes/"),
        reissued
    );
    assert!(
        sitemap.contains("<loc>/en/documents/tzzb-2024-26/changes/2025-01-01..2026-07-01/</loc>")
    );
    assert!(
        !sitemap.contains("<lastmod>2026-11-26</lastmod>"),
        "never the build date"
    );
}

#[test]
fn the_stable_url_follows_the_build_date_and_a_later_version_is_announced() {
    let tmp = TempDir::new("libfx-date");
    let content = fixture_content(&tmp);
    let dist = tmp.0.join("dist");
    build_on(&content, &dist, "2025-06-01").expect("builds");
    let stable = html(&dist, "en/documents/tzzb-2024-26/attachment/index.html");
    assert!(clause(&stable, "att-1-3-a").contains("shall not exceed RMB 100,000"));
    // The later version is published but not yet in force on the build date: its notice is in
    // the page, hidden until the reader's date reaches it (status.js), and the clause it
    // changes says so.
    let note = &stable[stable
        .find("class=\"later-version\"")
        .expect("a later-version note")..];
    assert!(
        note.starts_with("class=\"later-version\" data-from=\"2026-01-01\" hidden>"),
        "{}",
        &note[..80]
    );
    assert!(clause(&stable, "att-1-3-a").contains("Amended with effect from 1 January 2026"));
    let legacy = html(&dist, "zh/attachment/index.html");
    assert!(clause(&legacy, "att-1-3-a").contains("最高不超过10万元"));
}

#[test]
fn an_amendment_citing_a_clause_that_does_not_exist_names_the_file_and_field() {
    let tmp = TempDir::new("libfx-bad");
    let content = fixture_content(&tmp);
    let f = content.join("documents/fixture-amend-2026/document.yaml");
    let s = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, s.replace("clause: att-1-3-b", "clause: att-1-3-z")).unwrap();
    let err = build_on(&content, &tmp.0.join("dist"), "2026-11-26").unwrap_err();
    assert!(err.contains("fixture-amend-2026/document.yaml:"), "{err}");
    assert!(err.contains("no clause `att-1-3-z`"), "{err}");
}

#[test]
fn a_reissued_text_is_checked_against_its_own_source() {
    let tmp = TempDir::new("libfx-src");
    let content = fixture_content(&tmp);
    let f = content.join("documents/tzzb-2024-26/versions/2026-01-01/attachment.yaml");
    let s = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, s.replacen("企业使用自主品牌", "企业采用自主品牌", 1)).unwrap();
    let err = build_on(&content, &tmp.0.join("dist"), "2026-11-26").unwrap_err();
    assert!(
        err.contains("versions/2026-01-01/attachment.yaml:"),
        "{err}"
    );
    assert!(err.contains("differs from source.txt"), "{err}");
}

/// Runs queries through the shipped search client (`tests/search/run.mjs`) on a built site.
fn search(dist: &Path, queries: serde_json::Value) -> Vec<serde_json::Value> {
    use std::io::Write;
    let mut child = std::process::Command::new("node")
        .arg(repo().join("tests/search/run.mjs"))
        .arg(dist)
        .arg(repo().join("themes/default/static/search.js"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(queries.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The ids found, each with its standing on the query's date ("" when in force).
fn found(answer: &serde_json::Value) -> Vec<(String, String)> {
    let ids = answer["ids"].as_array().unwrap();
    let st = answer["standing"].as_array().unwrap();
    ids.iter()
        .zip(st)
        .map(|(i, s)| {
            (
                i.as_str().unwrap().to_string(),
                s.as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn search_finds_each_fixture_document_and_marks_a_superseded_version() {
    let tmp = TempDir::new("libfx-search");
    let content = fixture_content(&tmp);
    let dist = tmp.0.join("dist");
    build_on(&content, &dist, "2026-11-26").expect("builds");
    let day = "2026-11-26";
    let answers = search(
        &dist,
        serde_json::json!([
            {"q": "海外仓备案企业", "lang": "zh", "today": day},
            {"q": "修改为", "lang": "zh", "today": day},
            {"q": "商标国际注册", "lang": "zh", "today": day},
            {"q": "商标国际注册", "lang": "zh", "today": day, "versions": "all"},
            {"q": "international trademark registration", "lang": "en", "today": "2025-06-01"},
        ]),
    );
    // The implementing rules (sections) and the amending notice (paragraphs).
    let rules = found(&answers[0]);
    assert!(
        rules.contains(&("fixture-rules-2026-2026-03-01-r-2-1".into(), String::new())),
        "{rules:?}"
    );
    let amend = found(&answers[1]);
    assert!(
        amend.contains(&("fixture-amend-2026-2026-07-01-p-1".into(), String::new())),
        "{amend:?}"
    );
    // By default only the version in force on the reader's date: the consolidated 2026-07-01
    // text (the first edition's ids), not the 2025 nor the re-issued 2026-01-01 text.
    let now = found(&answers[2]);
    assert!(
        now.iter()
            .any(|(id, st)| id == "att-1-3-a" && st.is_empty()),
        "{now:?}"
    );
    assert!(
        now.iter().all(|(id, _)| !id.starts_with("tzzb-2024-26-20")),
        "{now:?}"
    );
    // Asked for every version, the re-issued text is found and marked superseded.
    let all = found(&answers[3]);
    assert!(
        all.contains(&(
            "tzzb-2024-26-2026-01-01-att-1-3-a".into(),
            "superseded".into()
        )),
        "{all:?}"
    );
    // On 2025-06-01 the 2025 text is the one in force, and the current version's result is
    // not shown (it is not yet in force then).
    let then = found(&answers[4]);
    assert!(
        then.contains(&("tzzb-2024-26-2025-01-01-att-1-3-a".into(), String::new())),
        "{then:?}"
    );
    assert!(then.iter().all(|(id, _)| id != "att-1-3-a"), "{then:?}");
}

#[test]
fn each_version_has_its_own_subsidies_for_the_calculator() {
    let tmp = TempDir::new("libfx-rules");
    let content = fixture_content(&tmp);
    let c = generator::load_valid(&content).expect("the fixture library is valid");
    let sets = generator::version_rulesets(&c).expect("a rule set per version");
    let cap = |set: &calculator::RuleSet, id: &str| -> String {
        let rule = set.subsidies.iter().find(|r| r.subsidy.id == id).expect(id);
        match &rule.subsidy.amount {
            calculator::Amount::Rate { caps, .. } => serde_json::to_value(caps[0].amount)
                .unwrap()
                .to_string()
                .trim_matches('"')
                .to_string(),
            other => panic!("{id}: {other:?}"),
        }
    };
    let dates: Vec<String> = sets.iter().map(|(d, _)| d.iso()).collect();
    assert_eq!(dates, ["2025-01-01", "2026-01-01", "2026-07-01"]);
    let caps: Vec<(String, String)> = sets
        .iter()
        .map(|(_, s)| (cap(s, "trademark"), cap(s, "patent")))
        .collect();
    assert_eq!(
        caps,
        [
            ("100000".to_string(), "100000".to_string()),
            ("200000".to_string(), "100000".to_string()),
            ("200000".to_string(), "150000".to_string()),
        ]
    );
}

/// A term used across more documents than a page can list: the glossary names each document
/// once (its latest version using the term), ten at most, and counts the rest with a link that
/// searches every version for the term; a unit's page the same. A library of a thousand
/// documents once made the glossary 15 MB of links, every clause of every version.
#[test]
fn a_term_used_in_many_documents_lists_ten_and_searches_for_the_rest() {
    let tmp = TempDir::new("libmentions");
    let content = fixture_content(&tmp);
    let src = content.join("documents/fixture-rules-2026");
    // Twelve more copies of the implementing rules, whose 第二条 names 海外仓 and 市商务局.
    let copies = 12;
    for k in 1..=copies {
        let id = format!("fixture-rules-2026-k{k:02}");
        let dir = content.join("documents").join(&id);
        common::copy_dir(&src, &dir);
        let doc = dir.join("document.yaml");
        let yaml = std::fs::read_to_string(&doc)
            .unwrap()
            .replace("id: fixture-rules-2026", &format!("id: {id}"))
            .replace("〔2026〕1号", &format!("〔2026〕{}号", k + 1))
            .replace("[2026] No. 1 ", &format!("[2026] No. {} ", k + 1));
        std::fs::write(&doc, yaml).unwrap();
    }
    let dist = tmp.0.join("dist");
    build_on(&content, &dist, "2026-11-26").expect("the library builds");

    let page = html(&dist, "en/glossary/index.html");
    let at = page
        .find("id=\"term-overseas-warehouse\"")
        .expect("the term");
    let term = &page[at..at + page[at..].find("</div>").expect("its end")];
    let links: Vec<&str> = term
        .split("<a href=\"")
        .skip(1)
        .map(|a| &a[..a.find('"').unwrap()])
        .collect();
    let documents: Vec<&&str> = links.iter().filter(|h| h.contains("/documents/")).collect();
    assert_eq!(documents.len(), 10, "{term}");
    let mut distinct: Vec<&str> = documents
        .iter()
        .map(|h| {
            h.split("/documents/")
                .nth(1)
                .unwrap()
                .split('/')
                .next()
                .unwrap()
        })
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 10, "each document once: {documents:?}");
    // 13 documents of implementing rules name it (the original and 12 copies), and no other
    // document or version outside the current 26号's text: 3 more, searched for in every version.
    let more = visible_text(term);
    assert!(
        more.contains("3 more documents: search for “overseas warehouse”"),
        "{more}"
    );
    assert!(
        links.contains(&"../../en/search/?q=overseas%20warehouse&amp;versions=all"),
        "{links:?}"
    );
    let zh = visible_text(&html(&dist, "zh/glossary/index.html"));
    assert!(zh.contains("另有3份文件：搜索“海外仓”"), "{zh}");

    let unit = html(&dist, "zh/units/commerce/index.html");
    let named = &unit[unit.find("id=\"elsewhere-h\"").expect("named elsewhere")..];
    let named = &named[..named.find("</section>").unwrap()];
    assert_eq!(named.matches("/documents/").count(), 10, "{named}");
    assert!(
        named.contains("search/?q=%E5%B8%82%E5%95%86%E5%8A%A1%E5%B1%80&amp;versions=all"),
        "{named}"
    );
}
