//! Publishing: static assets named by content hash (a changed file renames itself and the files
//! that refer to it, nothing else), the feeds, the sitemap, the not-found page and the open data
//! of a real build (wasm off). The feeds' and the sitemap's schema check runs on the built site
//! in the browser gate (tests/browser/publishing.test.mjs).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{copy_dir, options, repo, TempDir};
use generator::fingerprint::looks_hashed;

/// Every file of a built site, by path from its root.
fn files(dist: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dist, dist, &mut out);
    out
}

/// Builds the real content with the theme at `theme` into `dist`.
fn build(theme: &Path, dist: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut o = options(&repo().join("content"), dist);
    o.theme = theme.to_path_buf();
    generator::build(&o).expect("the site builds");
    files(dist)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn changing_a_rule_of_style_css_renames_that_file_and_only_the_files_that_refer_to_it() {
    let tmp = TempDir::new("publish-hash");
    let theme_b = tmp.0.join("theme-b");
    copy_dir(&repo().join("themes/default"), &theme_b);
    let css = theme_b.join("static/style.css");
    let mut bytes = std::fs::read(&css).unwrap();
    // One more rule: a change the minifier keeps (white space or a comment would be minified
    // away, and the shipped file would not change at all).
    bytes.extend_from_slice(b"\n.publish-probe { color: red; }\n");
    std::fs::write(&css, bytes).unwrap();

    let a = build(&repo().join("themes/default"), &tmp.0.join("a"));
    let b = build(&theme_b, &tmp.0.join("b"));

    let only_a: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert_eq!(only_a.len(), 1, "one file renamed, found gone: {only_a:?}");
    assert_eq!(only_b.len(), 1, "one file renamed, found new: {only_b:?}");
    let (old, new) = (only_a[0].as_str(), only_b[0].as_str());
    for name in [old, new] {
        assert!(
            name.starts_with("static/style.") && name.ends_with(".css"),
            "{name}"
        );
        assert!(looks_hashed(name.rsplit('/').next().unwrap()), "{name}");
    }
    assert!(
        !a.contains_key("static/style.css"),
        "no file keeps its logical name"
    );

    // Every file whose content differs refers to the renamed file, and differs only there.
    let old_name = old.rsplit('/').next().unwrap();
    let new_name = new.rsplit('/').next().unwrap();
    let mut changed = BTreeSet::new();
    for (path, bytes) in &a {
        let Some(other) = b.get(path) else { continue };
        if bytes == other {
            continue;
        }
        changed.insert(path.clone());
        assert!(
            !looks_hashed(path.rsplit('/').next().unwrap()),
            "{path} changed but kept its hashed name"
        );
        assert!(
            text(bytes).contains(old_name),
            "{path} changed but never named {old_name}"
        );
        assert_eq!(
            text(bytes).replace(old_name, new_name),
            text(other),
            "{path} differs elsewhere than in the name of the style sheet"
        );
    }
    // ... and every file that names it changed.
    let referrers: BTreeSet<String> = a
        .iter()
        .filter(|(p, b)| p.as_str() != old && text(b).contains(old_name))
        .map(|(p, _)| p.clone())
        .collect();
    assert_eq!(changed, referrers);
    assert!(
        changed.contains("zh/plan/index.html") && changed.contains("404.html"),
        "{changed:?}"
    );
    assert!(
        changed.contains("_headers"),
        "the cache rule names the file: {changed:?}"
    );
}

#[test]
fn a_real_build_names_its_assets_by_hash_and_its_pages_reach_them() {
    let tmp = TempDir::new("publish-real");
    let site = build(&repo().join("themes/default"), &tmp.0.join("dist"));
    let page = text(&site["zh/search/index.html"]);
    let attr = "data-meta=\"../../";
    let at = page.find(attr).expect("the search index's link") + attr.len();
    let meta = &page[at..at + page[at..].find('"').unwrap()];
    // The search index's files, whose names the client composes, are in one folder named by
    // their hash; the page points the client at its meta.json there.
    let folder = meta.strip_suffix("meta.json").expect("a meta.json");
    let hash = folder
        .strip_prefix("search/")
        .unwrap()
        .trim_end_matches('/');
    assert!(looks_hashed(hash), "{meta}");
    for path in site.keys() {
        let name = path.rsplit('/').next().unwrap();
        if path.starts_with("search/") {
            assert!(path.starts_with(folder), "{path} is outside {folder}");
            continue;
        }
        let hashed =
            ["static/", "rules/"].iter().any(|d| path.starts_with(d)) && !path.ends_with(".html");
        assert_eq!(looks_hashed(name), hashed, "{path}");
    }
    assert!(site.contains_key(&format!("{folder}t2s.txt")));
    // The current rules keep their address as open data; the calculator page names the rules
    // folder's manifest instead, which names every version's rule set by its hashed name.
    assert!(site.contains_key("rules.json"));
    let calc = text(&site["zh/calculator/index.html"]);
    let attr = "\"manifest\":\"../../";
    let at = calc.find(attr).expect("the rules' manifest") + attr.len();
    let rules_manifest = &calc[at..at + calc[at..].find('"').unwrap()];
    assert!(
        rules_manifest.starts_with("rules/manifest."),
        "{rules_manifest}"
    );
    let listed: BTreeMap<String, String> =
        serde_json::from_slice(&site[rules_manifest]).expect("the rules' manifest is JSON");
    let rules: BTreeSet<String> = site
        .keys()
        .filter(|p| p.starts_with("rules/") && p.as_str() != rules_manifest)
        .cloned()
        .collect();
    let named: BTreeSet<String> = listed.values().map(|h| format!("rules/{h}")).collect();
    assert_eq!(named, rules);
    assert!(
        listed.contains_key("tzzb-2024-26/2025-01-01.json"),
        "{listed:?}"
    );
    // Cache rules: one per hashed file, for its exact path.
    let headers = text(&site["_headers"]);
    for p in site.keys().filter(|p| {
        ["static/", "search/", "rules/"]
            .iter()
            .any(|d| p.starts_with(d))
    }) {
        assert!(
            headers.contains(&format!(
                "/{p}\n  Cache-Control: public, max-age=31536000, immutable\n"
            )),
            "{p}"
        );
    }
}

#[test]
fn the_open_data_holds_each_clause_in_both_languages_with_its_permalink() {
    let tmp = TempDir::new("publish-data");
    let site = build(&repo().join("themes/default"), &tmp.0.join("dist"));
    let index: serde_json::Value = serde_json::from_slice(&site["data/index.json"]).unwrap();
    let doc = index["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "tzzb-2024-26")
        .expect("the document is listed");
    let file = format!("data/{}", doc["versions"][0]["file"].as_str().unwrap());
    assert_eq!(file, "data/tzzb-2024-26/2025-01-01.json");
    let v: serde_json::Value = serde_json::from_slice(&site[&file]).unwrap();
    assert_eq!(v["document"]["number"]["zh"], "台政办发〔2024〕26号");
    let clauses = v["clauses"].as_array().unwrap();
    let tm = clauses
        .iter()
        .find(|c| c["id"] == "att-1-3-a")
        .expect("the trademark clause");
    assert!(
        tm["text"]["zh"].as_str().unwrap().contains("10万元"),
        "{tm}"
    );
    assert!(
        tm["text"]["en"].as_str().unwrap().contains("RMB 100,000"),
        "{tm}"
    );
    assert_eq!(clauses.iter().filter(|c| c["kind"] == "task").count(), 22);
    // Every clause's permalink lands on an element of its page, in both languages.
    for c in clauses {
        for lang in ["zh", "en"] {
            let url = c["url"][lang].as_str().unwrap();
            let (page, id) = url.split_once('#').unwrap();
            let html = text(&site[&format!("{page}index.html")]);
            assert!(html.contains(&format!(" id=\"{id}\"")), "{url}");
        }
    }
    let subsidies = v["subsidies"].as_array().unwrap();
    let trademark = subsidies
        .iter()
        .find(|s| s["rule"]["id"] == "trademark")
        .unwrap();
    assert_eq!(trademark["clause"], "att-1-3-a");
    assert_eq!(
        v["relations"][0]["document"]["number"]["zh"],
        "台政办发〔2023〕32号"
    );
    assert!(v["units"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["id"] == "customs"));
    assert!(site.contains_key("data/schema.json"));
    // The record has a file of its own: metadata and relations, no text.
    let rec = index["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "tzzb-2023-32")
        .expect("the record is listed");
    assert_eq!(rec["versions"][0]["file"], "tzzb-2023-32/record.json");
    let r: serde_json::Value =
        serde_json::from_slice(&site["data/tzzb-2023-32/record.json"]).unwrap();
    assert_eq!(r["version"]["kind"], "record");
    assert_eq!(r["clauses"].as_array().unwrap().len(), 0);
    assert_eq!(r["relations"][0]["type"], "superseded-by");
    assert_eq!(r["relations"][0]["document"]["id"], "tzzb-2024-26");
}

#[test]
fn feeds_sitemap_and_not_found_page_carry_the_content_dates_not_the_clock() {
    let tmp = TempDir::new("publish-feed");
    let site = build(&repo().join("themes/default"), &tmp.0.join("dist"));
    for lang in ["zh", "en"] {
        let feed = text(&site[&format!("{lang}/feed.xml")]);
        assert!(
            feed.contains("<updated>2024-11-19T00:00:00+08:00</updated>"),
            "{feed}"
        );
        // One entry per version of each document, and one per record (the 32号 record).
        assert_eq!(feed.matches("<entry>").count(), 2, "{feed}");
        assert!(
            feed.contains("href=\"documents/tzzb-2024-26/2025-01-01/plan/\""),
            "the version's entry links its own page: {feed}"
        );
        assert!(
            feed.contains("href=\"documents/tzzb-2023-32/\""),
            "the record's entry links its page: {feed}"
        );
    }
    let zh = text(&site["zh/feed.xml"]);
    let en = text(&site["en/feed.xml"]);
    assert!(zh.contains("台政办发〔2024〕26号") && en.contains("Tai Zheng Ban Fa [2024] No. 26"));
    let sitemap = text(&site["sitemap.xml"]);
    let pages = site
        .keys()
        .filter(|p| p.ends_with(".html") && p.as_str() != "404.html")
        .count();
    assert_eq!(sitemap.matches("<url>").count(), pages);
    assert_eq!(
        sitemap.matches("<lastmod>2024-11-19</lastmod>").count(),
        pages
    );
    assert!(
        sitemap.contains("<loc>/zh/units/customs/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("404.html"));
    let nf = text(&site["404.html"]);
    for action in ["action=\"/zh/search/\"", "action=\"/en/search/\""] {
        assert!(nf.contains(action), "{nf}");
    }
}
