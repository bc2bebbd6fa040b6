//! Markdown where the prose is ours (editor's notes and readings, unit notes, glossary
//! definitions): rendered into the pages and, for readings, into the calculator's rule data;
//! anything a page must not carry is refused with its file, line and field.

mod common;

use common::{copy_dir, options, repo, TempDir};

const ATTACHMENT: &str = "documents/tzzb-2024-26/versions/2025-01-01/attachment.yaml";

/// A copy of the content with `find` replaced by `replace` in `file` (it must match).
fn edited(tmp: &TempDir, file: &str, find: &str, replace: &str) -> std::path::PathBuf {
    let content = tmp.0.join("content");
    copy_dir(&repo().join("content"), &content);
    let path = content.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(find), "fixture: `{find}` not found in {file}");
    std::fs::write(&path, text.replacen(find, replace, 1)).unwrap();
    content
}

/// The English reading of the training subsidy, as content/ writes it.
const TRAINING_READING: &str = "A session with fewer than 150 trainees gets no subsidy;";

#[test]
fn a_reading_in_markdown_reaches_the_page_and_the_rule_data_as_html() {
    let tmp = TempDir::new("md");
    let content = edited(
        &tmp,
        ATTACHMENT,
        TRAINING_READING,
        "A session with *fewer* than 150 trainees gets no subsidy ([task 3](#task-3));",
    );
    let dist = tmp.0.join("dist");
    generator::build(&options(&content, &dist)).expect("the content builds");

    // The attachment page: emphasis, and the task's permalink written from that page.
    let page = std::fs::read_to_string(dist.join("en/attachment/index.html")).unwrap();
    assert!(
        page.contains(
            "A session with <em>fewer</em> than 150 trainees gets no subsidy \
             (<a href=\"../../en/plan/#task-3\">task 3</a>);"
        ),
        "the reading is not rendered on the attachment page"
    );
    assert!(!page.contains("*fewer*") && !page.contains("](#task-3)"));

    // The rule data the calculator reads (its page's data block and rules.json): the same
    // HTML, its link written from the calculator page as the app writes its own.
    let rules: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dist.join("rules.json")).unwrap()).unwrap();
    let training = rules["subsidies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["subsidy"]["id"] == "training")
        .expect("the training subsidy");
    let reading = training["subsidy"]["reading"]["en"].as_str().unwrap();
    assert!(
        reading.starts_with(
            "A session with <em>fewer</em> than 150 trainees gets no subsidy \
             (<a href=\"../plan/#task-3\">task 3</a>);"
        ),
        "{reading}"
    );
    let calc = std::fs::read_to_string(dist.join("en/calculator/index.html")).unwrap();
    assert!(
        calc.contains("\\u003cem\\u003efewer\\u003c/em\\u003e"),
        "the calculator page's data block carries the rendered reading"
    );

    // The command line shows the reading as text, without the Markdown.
    let cli = generator::commands::ruleset(&content).expect("rule set");
    let plain = cli
        .subsidies
        .iter()
        .find(|s| s.subsidy.id == "training")
        .and_then(|s| s.subsidy.reading.as_ref())
        .unwrap();
    assert!(
        plain
            .en
            .starts_with("A session with fewer than 150 trainees gets no subsidy (task 3);"),
        "{}",
        plain.en
    );
}

fn build_error(content: &std::path::Path, tmp: &TempDir) -> String {
    let err = generator::check(&options(content, &tmp.0.join("dist")))
        .expect_err("the content must be refused");
    err.to_string()
}

fn line_of(content: &std::path::Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(content.join(ATTACHMENT)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_script_or_javascript_link_in_a_note_is_refused_with_its_line_and_field() {
    let tmp = TempDir::new("md-script");
    let content = edited(
        &tmp,
        ATTACHMENT,
        TRAINING_READING,
        "A session <script>alert(1)</script> with [fewer](javascript:alert(1)) than 150 trainees gets no subsidy;",
    );
    let err = build_error(&content, &tmp);
    let line = line_of(&content, "<script>alert(1)</script>");
    let at = format!("attachment.yaml:{line}: field `att-4-2-b.subsidy.reading.en`");
    assert!(
        err.contains(&format!("{at}: raw HTML `<script>` is not allowed")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{at}: the link `javascript:alert(1)` is not allowed"
        )),
        "{err}"
    );
}

#[test]
fn a_link_to_an_unknown_permalink_is_a_dangling_reference() {
    let tmp = TempDir::new("md-dangling");
    let content = edited(
        &tmp,
        "units.yaml",
        "en: \"A customs house under Hangzhou Customs District.\"",
        "en: \"A customs house under Hangzhou Customs District (see [task 99](#task-99)).\"",
    );
    let err = build_error(&content, &tmp);
    assert!(
        err.contains("units.yaml:")
            && err.contains("customs.note.en`: the link `#task-99` names no permalink"),
        "{err}"
    );
}
