//! The site's own words, as a reader meets them: the metadata labels, the subsidy card's caps,
//! Chinese punctuation in Chinese strings, and a code shown once in the glossary.

mod common;

use common::{options, repo, visible_text, TempDir};

fn built() -> (TempDir, std::path::PathBuf) {
    let tmp = TempDir::new("interface-words");
    let dist = tmp.0.join("dist");
    generator::build(&options(&repo().join("content"), &dist)).expect("the site builds");
    (tmp, dist)
}

fn html_of(dist: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(dist.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn text_of(dist: &std::path::Path, rel: &str) -> String {
    visible_text(&html_of(dist, rel))
}

#[test]
fn the_interface_reads_at_once_in_both_languages() {
    let (_tmp, dist) = built();

    let en_home = text_of(&dist, "en/index.html");
    // (The visible text joins a label and its value without a space.)
    assert!(
        en_home.contains("Date of issue19 November 2024"),
        "{en_home}"
    );
    assert!(
        en_home.contains("SupersedesNotice of the General Office"),
        "{en_home}"
    );
    for old in ["Printed and issued", "Provisions it ends"] {
        assert!(
            !en_home.contains(old),
            "`{old}` is still on the English home page"
        );
    }
    let zh_home = text_of(&dist, "zh/index.html");
    assert!(
        zh_home.contains("现行有效（截至"),
        "no space before a full-width bracket"
    );

    // The training subsidy has two caps: each label says what it applies to, and the value
    // column holds only the amount.
    let en_att = html_of(&dist, "en/attachment/index.html");
    assert!(en_att.contains("<dt>Cap per session</dt><dd>RMB 50,000</dd>"));
    assert!(en_att.contains("<dt>Cap per applicant per year</dt><dd>RMB 500,000</dd>"));
    let zh_att = html_of(&dist, "zh/attachment/index.html");
    assert!(zh_att.contains("<dt>每个场次上限</dt><dd>5万元</dd>"));
    assert!(zh_att.contains("<dt>每个申请主体每年累计上限</dt><dd>50万元</dd>"));
    let half_width: Vec<&str> = zh_att
        .split("<dd>")
        .skip(1)
        .filter_map(|rest| rest.split("</dd>").next())
        .filter(|value| value.contains('(') || value.contains(" （"))
        .collect();
    assert!(
        half_width.is_empty(),
        "Chinese brackets on the subsidy cards are full-width, with no space before them: {half_width:?}"
    );

    let en_plan = text_of(&dist, "en/plan/index.html");
    assert!(!en_plan.contains("Named once"), "{en_plan}");
    assert!(en_plan.contains("(date of issue)"), "{en_plan}");
}

#[test]
fn a_code_is_shown_once_in_the_glossary() {
    let (_tmp, dist) = built();
    for lang in ["zh", "en"] {
        let g = text_of(&dist, &format!("{lang}/glossary/index.html"));
        for code in ["9610", "9710", "9810", "1210", "RCEP", "MCN"] {
            assert!(
                !g.contains(&format!("{code} {code}")),
                "/{lang}/glossary/ shows `{code}` twice"
            );
        }
        // A term with a rendering still shows the other language beside it.
        let pair = if lang == "zh" {
            "海外仓 overseas warehouse"
        } else {
            "overseas warehouse 海外仓"
        };
        assert!(g.contains(pair), "/{lang}/glossary/: {g}");
    }
}

/// The preview rebuilds in one process, and the interface words and the glossary's forms are
/// prepared once and kept between pages (each cache's renewal is unit-tested in `render`): an
/// edit to either must show on every page of the next build.
#[test]
fn edited_words_and_glossary_show_at_the_next_build_of_the_same_process() {
    let (tmp, first) = built();
    assert!(html_of(&first, "en/plan/index.html").contains("#term-rcep\""));
    let content = tmp.0.join("content");
    common::copy_dir(&repo().join("content"), &content);
    let edit = |file: &str, from: &str, to: &str| {
        let path = content.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(from).count(), 1, "{from} in {file}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    // A word the templates read themselves (`s.skip_to_content`), and one of the navigation.
    edit(
        "site.yaml",
        "skip_to_content: {zh: 跳到正文, en: Skip to content}",
        "skip_to_content: {zh: 直达正文, en: Straight to the text}",
    );
    edit(
        "site.yaml",
        "nav_glossary: {zh: 术语表, en: Glossary}",
        "nav_glossary: {zh: 名词解释, en: Terms explained}",
    );
    edit("glossary.yaml", "- id: rcep\n", "- id: rcep-agreement\n");
    let second = tmp.0.join("dist-edited");
    generator::build(&options(&content, &second)).expect("the edited site builds");
    for (page, words) in [
        ("en/plan/index.html", "Terms explained"),
        ("zh/plan/index.html", "名词解释"),
        ("en/units/index.html", "Terms explained"),
    ] {
        let text = text_of(&second, page);
        assert!(text.contains(words), "{page}: {text}");
        assert!(
            !text.contains("Glossary") && !text.contains("术语表"),
            "{page}"
        );
    }
    let plan = html_of(&second, "en/plan/index.html");
    assert!(
        plan.contains("#term-rcep-agreement\""),
        "the new id is linked"
    );
    assert!(!plan.contains("#term-rcep\""), "the old id is gone");
}
