//! The library of documents on the real content: the 2023 record, the document pages, the
//! stable and dated URLs of 26号, and the first edition's URLs kept as full pages.

mod common;

use common::{options, repo, visible_text, TempDir};

fn built() -> (TempDir, std::path::PathBuf) {
    let tmp = TempDir::new("library");
    let dist = tmp.0.join("dist");
    generator::build(&options(&repo().join("content"), &dist)).expect("the site builds");
    (tmp, dist)
}

fn page(dist: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(dist.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_2023_record_has_a_page_in_both_languages_linked_from_the_supersedes_of_26() {
    let (_tmp, dist) = built();
    let zh = visible_text(&page(&dist, "zh/documents/tzzb-2023-32/index.html"));
    assert!(zh.contains("台政办发〔2023〕32号"), "{zh}");
    assert!(zh.contains("台州市人民政府办公室关于印发台州市促进电子商务高质量发展的若干政策的通知"));
    // Ended in part by 26号, in 26号's own words.
    let by = &zh[zh.find("被替代").expect("superseded by")..];
    assert!(by.contains("台政办发〔2024〕26号"), "{zh}");
    assert!(
        zh.contains("涉及的跨境电商相关规定自2025年1月1日起不再执行"),
        "{zh}"
    );
    let en = visible_text(&page(&dist, "en/documents/tzzb-2023-32/index.html"));
    assert!(en.contains("Tai Zheng Ban Fa [2023] No. 32"), "{en}");
    assert!(
        en.contains("Record only") || en.contains("Partly superseded"),
        "{en}"
    );
    for lang in ["zh", "en"] {
        let doc = page(&dist, &format!("{lang}/documents/tzzb-2024-26/index.html"));
        let rel = doc
            .split("id=\"relations\"")
            .nth(1)
            .expect("a relations section");
        assert!(
            rel.contains(&format!("href=\"../../../{lang}/documents/tzzb-2023-32/\"")),
            "{lang}: 26号's supersedes links the record"
        );
        let label = if lang == "zh" {
            "废止/替代"
        } else {
            "Supersedes"
        };
        assert!(visible_text(rel).contains(label), "{lang}");
        // The extent in the page's own brackets: full-width in Chinese, half-width in English.
        let rel = visible_text(rel);
        if lang == "zh" {
            assert!(rel.contains("（部分，") && !rel.contains("(部分"), "{rel}");
        } else {
            assert!(rel.contains(" (in part, "), "{rel}");
        }
    }
}

#[test]
fn the_first_edition_urls_stay_full_pages_of_the_current_version_with_a_canonical_stable_url() {
    let (_tmp, dist) = built();
    for lang in ["zh", "en"] {
        for part in ["plan", "attachment", "parallel"] {
            let old = page(&dist, &format!("{lang}/{part}/index.html"));
            let stable = page(
                &dist,
                &format!("{lang}/documents/tzzb-2024-26/{part}/index.html"),
            );
            let dated = page(
                &dist,
                &format!("{lang}/documents/tzzb-2024-26/2025-01-01/{part}/index.html"),
            );
            assert!(
                old.contains(&format!(
                    "<link rel=\"canonical\" href=\"../../{lang}/documents/tzzb-2024-26/{part}/\">"
                )),
                "{lang}/{part}"
            );
            // The same text at the three URLs (the version note aside).
            let body = |h: &str| {
                let main = h.split("</main>").next().unwrap();
                visible_text(&main[main.find("<h1").expect("a heading")..])
            };
            assert_eq!(body(&stable), body(&old), "{lang}/{part}");
            assert_eq!(body(&dated), body(&old), "{lang}/{part}");
        }
        // The anchors published today are on the kept pages.
        assert!(page(&dist, &format!("{lang}/plan/index.html")).contains("id=\"task-3\""));
        assert!(page(&dist, &format!("{lang}/attachment/index.html"))
            .contains("id=\"subsidy-trademark\""));
    }
}

#[test]
fn the_status_is_the_build_dates_and_says_so_with_the_dates_for_the_reader() {
    let (_tmp, dist) = built();
    let home = page(&dist, "en/index.html");
    // Built on 2026-11-26 (tests/common): in force, as of that date.
    assert!(
        visible_text(&home).contains("In force (as of the build date, 26 November 2026"),
        "{}",
        visible_text(&home)
    );
    assert!(home.contains("data-effective=\"2025-01-01\" data-expires=\"2027-12-31\""));
    // The script's name carries its content hash (fingerprint.rs): `static/status.<hash>.js`.
    assert!(
        home.contains("static/status.") && home.contains(".js\""),
        "the page loads status.js"
    );
    // The library list: both documents, the newer first.
    let list = home.split("class=\"library-list\"").nth(1).unwrap();
    let a = list.find("Tai Zheng Ban Fa [2024] No. 26").unwrap();
    let b = list.find("Tai Zheng Ban Fa [2023] No. 32").unwrap();
    assert!(a < b, "newest first");
}

#[test]
fn a_new_version_is_scaffolded_from_the_latest_and_the_build_names_the_pages_it_adds() {
    let tmp = TempDir::new("library-new");
    let content = tmp.0.join("content");
    common::copy_dir(&repo().join("content"), &content);
    let dist = tmp.0.join("dist");
    generator::build(&options(&content, &dist)).expect("the site builds");
    // A date not after the latest version is refused: nothing is edited in place.
    let e = generator::editors::new_version(&content, "tzzb-2024-26", "2024-12-31").unwrap_err();
    assert!(
        e.to_string().contains("after the latest one (2025-01-01)"),
        "{e}"
    );
    let dir = generator::editors::new_version(&content, "tzzb-2024-26", "2026-01-01").unwrap();
    assert!(dir.ends_with("documents/tzzb-2024-26/versions/2026-01-01"));
    for f in [
        "notice.yaml",
        "plan.yaml",
        "attachment.yaml",
        "source.txt",
        "repairs.yaml",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    // The copy is a valid version; built on 2026-11-26 (tests/common) it is current, and the
    // report lists its permalinks as added, and nothing removed.
    let r = generator::build(&options(&content, &dist)).expect("the site with two versions builds");
    let added = &r.changes.added;
    for part in ["plan", "attachment", "parallel"] {
        for lang in ["zh", "en"] {
            let p = format!("{lang}/documents/tzzb-2024-26/2026-01-01/{part}/index.html");
            assert!(added.contains(&p), "{p} in {added:?}");
        }
    }
    // With it, its what-changed page against the first version, in each language.
    for lang in ["zh", "en"] {
        let p = format!("{lang}/documents/tzzb-2024-26/2026-01-01/changes/index.html");
        assert!(added.contains(&p), "{p} in {added:?}");
    }
    assert!(r.changes.removed.is_empty(), "{:?}", r.changes.removed);
    assert!(r
        .changes
        .describe(5)
        .starts_with("Against the previous dist/: 8 page(s) added"));
}
