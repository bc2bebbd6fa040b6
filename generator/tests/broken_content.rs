//! Deliberately broken copies of the content: each mistake stops the build with a message
//! naming the file, the line and the field, and leaves the previous `dist/` untouched.

mod common;

use common::{copy_dir, options, repo, TempDir};

const DOC: &str = "documents/tzzb-2024-26/versions/2025-01-01";

/// Copies the content, applies `edit` to one file (a literal replacement that must match),
/// builds over a `dist/` holding a sentinel, and returns the error message.
fn broken(file: &str, find: &str, replace: &str) -> String {
    let tmp = TempDir::new("broken");
    let content = tmp.0.join("content");
    copy_dir(&repo().join("content"), &content);
    let path = content.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(find), "fixture: `{find}` not found in {file}");
    std::fs::write(&path, text.replacen(find, replace, 1)).unwrap();
    let dist = tmp.0.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("sentinel.html"), "last good build").unwrap();
    let err =
        generator::build(&options(&content, &dist)).expect_err("the broken content must not build");
    // As `generator build` words it.
    let err = generator::error::build_failure(&err, &dist);
    assert!(err.contains("dist/ was left as it was"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dist.join("sentinel.html")).unwrap(),
        "last good build",
        "the previous dist/ must stay untouched"
    );
    assert_eq!(
        std::fs::read_dir(&dist).unwrap().count(),
        1,
        "nothing half-written in dist/"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&tmp.0)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary folder left behind");
    err
}

fn line_of(file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(repo().join("content").join(file)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn bad_yaml_names_file_and_line() {
    let err = broken(
        "units.yaml",
        "- id: customs",
        "- id: customs\n  name: [unclosed",
    );
    assert!(err.contains("content/units.yaml:"), "{err}");
    assert!(err.contains("Failed to build the site"), "{err}");
}

#[test]
fn unknown_field_is_an_error() {
    let err = broken(
        &format!("{DOC}/plan.yaml"),
        "  - id: action-2\n",
        "  - id: action-2\n    titel: {zh: x, en: x}\n",
    );
    assert!(err.contains("plan.yaml:"), "{err}");
    assert!(err.contains("unknown field `titel`"), "{err}");
}

#[test]
fn unknown_unit_names_the_task_line_and_field() {
    let file = format!("{DOC}/plan.yaml");
    let err = broken(&file, "units: [customs]", "units: [customs-office]");
    let line = line_of(&file, "units: [customs]");
    assert!(
        err.contains(&format!("plan.yaml:{line}: field `task-19.units[0]`")),
        "{err}"
    );
    assert!(err.contains("unknown unit `customs-office`"), "{err}");
}

#[test]
fn missing_translation_names_the_clause() {
    let file = format!("{DOC}/attachment.yaml");
    let text = std::fs::read_to_string(repo().join("content").join(&file)).unwrap();
    // The English of the first clause of 三（三）, whatever its wording.
    let start = text.find("id: att-3-3-a").unwrap();
    let en_line = text[start..]
        .lines()
        .find(|l| l.trim_start().starts_with("en:"))
        .unwrap();
    let err = broken(
        &file,
        en_line,
        &format!("{}en: \"\"", &en_line[..en_line.find("en:").unwrap()]),
    );
    assert!(err.contains("attachment.yaml:"), "{err}");
    assert!(err.contains("att-3-3-a.text.en"), "{err}");
    assert!(err.contains("missing English translation"), "{err}");
}

#[test]
fn duplicate_id_is_an_error() {
    let err = broken(&format!("{DOC}/plan.yaml"), "id: task-2\n", "id: task-1\n");
    assert!(err.contains("duplicate id `task-1`"), "{err}");
}

#[test]
fn amount_that_is_not_a_decimal_is_an_error() {
    let file = format!("{DOC}/attachment.yaml");
    let err = broken(&file, "amount: 100000", "amount: 10万");
    assert!(err.contains("attachment.yaml:"), "{err}");
    assert!(
        err.contains("expected an amount of yuan as a plain decimal"),
        "{err}"
    );
}

#[test]
fn a_figure_the_clause_does_not_state_is_an_error() {
    let file = format!("{DOC}/attachment.yaml");
    let err = broken(&file, "amount: 600000", "amount: 650000");
    assert!(err.contains("does not say `65万元`"), "{err}");
    assert!(err.contains("the data and the clause must agree"), "{err}");
}

#[test]
fn a_glossary_term_rendered_otherwise_is_an_error() {
    let file = format!("{DOC}/attachment.yaml");
    let text = std::fs::read_to_string(repo().join("content").join(&file)).unwrap();
    let start = text.find("id: att-3-2-a").unwrap();
    let en_line = text[start..]
        .lines()
        .find(|l| l.trim_start().starts_with("en:"))
        .unwrap();
    let changed = en_line.replace("Consolidation warehouse", "Collection warehouse");
    assert_ne!(changed, en_line, "fixture: the clause uses the term");
    let err = broken(&file, en_line, &changed);
    assert!(err.contains("glossary term `集货仓`"), "{err}");
}

#[test]
fn a_changed_chinese_character_is_an_error() {
    let file = format!("{DOC}/plan.yaml");
    let err = broken(
        &file,
        "积极招引和培育跨境电商企业",
        "积极引进和培育跨境电商企业",
    );
    assert!(err.contains("differs from source.txt"), "{err}");
    assert!(err.contains("plan.yaml:"), "{err}");
}

#[test]
fn a_stale_repair_is_an_error() {
    let file = format!("{DOC}/repairs.yaml");
    let err = broken(&file, "find: \"<市、区>\"", "find: \"<县、区>\"");
    assert!(err.contains("repairs.yaml:"), "{err}");
    assert!(err.contains("expected `<县、区>` 2 time(s)"), "{err}");
}

#[test]
fn a_missing_interface_text_names_site_yaml() {
    let err = broken("site.yaml", "nav_glossary:", "nav_glossary_old:");
    assert!(err.contains("content/site.yaml"), "{err}");
    assert!(
        err.contains("missing interface text `nav_glossary`"),
        "{err}"
    );
}

#[test]
fn a_missing_interface_translation_names_site_yaml() {
    let err = broken(
        "site.yaml",
        "nav_glossary: {zh: 术语表, en: Glossary}",
        "nav_glossary: {zh: 术语表, en: \"\"}",
    );
    assert!(err.contains("content/site.yaml:"), "{err}");
    assert!(err.contains("nav_glossary.en"), "{err}");
}

#[test]
fn target_english_reading_not_in_the_text_names_file_line_and_field() {
    // The chart writes this reading beside the text; a figure the text does not write is refused.
    let file = format!("{DOC}/plan.yaml");
    let err = broken(&file, "en: RMB 22 billion}", "en: RMB 23 billion}");
    assert!(
        err.contains(&format!(
            "content/{file}:{}",
            line_of(&file, "en: RMB 22 billion}")
        )),
        "{err}"
    );
    assert!(err.contains("targets.export-value.values.en"), "{err}");
    assert!(err.contains("RMB 23 billion"), "{err}");
}
