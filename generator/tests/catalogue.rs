//! A catalogue of malformed and hostile content: each case breaks a copy of the real content in
//! one way and checks that the build stops with a message naming the file (and the line where
//! there is one), that nothing outside `dist/` was touched (no file written next to it, no
//! temporary folder left) and that the previous `dist/` is intact.
//!
//! The cases are a table, run by one test so the catalogue reports every failing case at once
//! and its count by category.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{copy_dir, options, repo, TempDir};

const DOC: &str = "documents/tzzb-2024-26/versions/2025-01-01";
const PLAN: &str = "documents/tzzb-2024-26/versions/2025-01-01/plan.yaml";
const ATT: &str = "documents/tzzb-2024-26/versions/2025-01-01/attachment.yaml";
const META: &str = "documents/tzzb-2024-26/versions/2025-01-01/notice.yaml";
const REPAIRS: &str = "documents/tzzb-2024-26/versions/2025-01-01/repairs.yaml";

/// How a case breaks its file.
enum Edit {
    /// Replace the first occurrence of a text (which must be there).
    Replace(&'static str, String),
    /// Replace the whole file with these bytes.
    Write(Vec<u8>),
    /// Make the file a link to a file outside the content folder holding this text.
    LinkOutside(&'static str),
    /// Make the file a folder.
    Folder,
    /// Make the file a named pipe (opening one waits for a writer).
    Pipe,
}

/// Where the message must place the error.
enum Line {
    /// On the first line of the edited file that contains this text.
    At(&'static str),
    /// On some line (where the parser's exact line is its own business).
    Some,
    /// On no line: the error is about the file as a whole.
    File,
}

struct Case {
    category: &'static str,
    name: &'static str,
    file: &'static str,
    edit: Edit,
    line: Line,
    /// Texts the message must hold.
    expect: &'static [&'static str],
}

fn replace(find: &'static str, with: impl Into<String>) -> Edit {
    Edit::Replace(find, with.into())
}

fn cases() -> Vec<Case> {
    let big_clause = format!(
        "zh: \"{}",
        "长".repeat((generator::load::limits::MAX_FILE_BYTES / 3 + 10) as usize)
    );
    let laughs = {
        let mut s = String::from("- &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..9 {
            s.push_str(&format!(
                "- &a{i} [{}]\n",
                vec![format!("*a{}", i - 1); 10].join(", ")
            ));
        }
        s
    };
    let c = |category, name, file, edit, line, expect| Case {
        category,
        name,
        file,
        edit,
        line,
        expect,
    };
    vec![
        // Syntax.
        c("syntax", "unclosed flow sequence", "units.yaml",
          replace("- id: customs", "- id: customs\n  note: [unclosed"), Line::Some,
          &["content/units.yaml:"]),
        c("syntax", "tab indentation", "places.yaml",
          replace("  name: {zh: 黄岩区", "\tname: {zh: 黄岩区"), Line::Some,
          &["content/places.yaml:"]),
        c("syntax", "unterminated quoted string", "glossary.yaml",
          replace("term: {zh: \"9610\", en: \"9610\"}", "term: {zh: \"9610, en: 9610}"), Line::Some,
          &["content/glossary.yaml:"]),
        c("syntax", "duplicate key", "site.yaml",
          replace("nav_home:", "nav_plan: {zh: 重复, en: Twice}\nnav_home:"), Line::Some,
          &["content/site.yaml:", "the key `nav_plan` appears twice"]),
        c("syntax", "two documents in one file", "places.yaml",
          replace("- id: huangyan", "---\n- id: huangyan"), Line::At("---"),
          &["a second YAML document begins here"]),
        c("syntax", "a scalar where a list belongs", "units.yaml",
          Edit::Write(b"just some text\n".to_vec()), Line::Some,
          &["content/units.yaml:", "expected a sequence"]),
        // Types.
        c("types", "an amount that is not a decimal", ATT,
          replace("amount: 100000", "amount: 10万"), Line::At("amount: 10万"),
          &["caps[0].amount", "expected an amount of yuan as a plain decimal"]),
        c("types", "a rate that is not a percentage", ATT,
          replace("rate: \"30%\"", "rate: \"30 pct\""), Line::At("rate: \"30 pct\""),
          &["amount.rate", "expected a rate written as a percentage"]),
        c("types", "validity in words", META,
          replace("validity_years: 3", "validity_years: three"), Line::At("validity_years: three"),
          &["validity_years"]),
        c("types", "a date that does not exist", META,
          replace("issued: 2024-11-19", "issued: 2024-02-30"), Line::At("issued: 2024-02-30"),
          &["expected a date as YYYY-MM-DD"]),
        c("types", "an unknown unit kind", "units.yaml",
          replace("kind: municipal", "kind: ministry"), Line::At("kind: ministry"),
          &["unknown variant `ministry`"]),
        c("types", "a target value in words", PLAN,
          replace("value: 110,", "value: many,"), Line::At("value: many,"),
          &["content/documents/tzzb-2024-26/versions/2025-01-01/plan.yaml:"]),
        c("types", "one_time that is not a boolean", ATT,
          replace("one_time: true", "one_time: maybe"), Line::Some,
          &["invalid type"]),
        // Unknown and missing fields.
        c("fields", "an unknown field", PLAN,
          replace("  - id: action-2\n", "  - id: action-2\n    titel: {zh: x, en: x}\n"),
          Line::At("titel:"), &["unknown field `titel`", "unknown keys are not allowed"]),
        c("fields", "an unknown field in a subsidy", ATT,
          replace("one_time: true", "one_time: true\n              bonus: 5"), Line::Some,
          &["unknown field `bonus`"]),
        c("fields", "a unit without a name", "units.yaml",
          replace("  name: {zh: \"市经信局\", en: \"Taizhou Municipal Bureau of Economy and Information Technology\"}\n", ""),
          Line::Some, &["missing field `name`"]),
        c("fields", "a text without English", "places.yaml",
          replace("{zh: 椒江区, en: Jiaojiang District}", "{zh: 椒江区}"), Line::Some,
          &["missing field `en`", "both languages"]),
        c("fields", "an empty English text", "places.yaml",
          replace("{zh: 椒江区, en: Jiaojiang District}", "{zh: 椒江区, en: \"\"}"),
          Line::At("en: \"\""), &["jiaojiang.name.en", "missing English translation"]),
        // Ids.
        c("ids", "a unit id that climbs out of its folder", "units.yaml",
          replace("- id: customs", "- id: \"../plan\""), Line::At("\"../plan\""),
          &["unit id \"../plan\" is not a valid id"]),
        c("ids", "a unit id that leaves dist/", "units.yaml",
          replace("- id: customs", "- id: \"../../../outside/pwned\""), Line::At("pwned"),
          &["is not a valid id"]),
        c("ids", "an empty unit id", "units.yaml",
          replace("- id: customs", "- id: \"\""), Line::At("id: \"\""),
          &["unit id \"\" is not a valid id"]),
        c("ids", "a unit id `.`", "units.yaml",
          replace("- id: customs", "- id: \".\""), Line::At("id: \".\""),
          &["unit id \".\" is not a valid id"]),
        c("ids", "an upper-case task id", PLAN,
          replace("id: task-2\n", "id: Task-2\n"), Line::At("id: Task-2"),
          &["task id \"Task-2\" is not a valid id"]),
        c("ids", "a duplicate task id", PLAN,
          replace("id: task-2\n", "id: task-1\n"), Line::Some,
          &["duplicate id `task-1`"]),
        c("ids", "a duplicate unit id", "units.yaml",
          replace("- id: sci-tech", "- id: econ-it"), Line::At("- id: econ-it"),
          &["duplicate unit id `econ-it`"]),
        c("ids", "a glossary id with a space", "glossary.yaml",
          replace("- id: code-9610", "- id: code 9610"), Line::At("code 9610"),
          &["term id \"code 9610\" is not a valid id"]),
        c("ids", "a subsidy id with a slash", ATT,
          replace("id: selection-centre", "id: selection/centre"), Line::At("selection/centre"),
          &["subsidy id \"selection/centre\""]),
        c("ids", "a matter with an underscore", ATT,
          replace("matter: selection-centre", "matter: selection_centre"),
          Line::At("selection_centre"), &["matter id \"selection_centre\""]),
        c("ids", "a worked example's id with a hash", "examples.yaml",
          replace("- id: jiaojiang-brand-builder", "- id: \"jiaojiang#x\""), Line::At("jiaojiang#x"),
          &["content/examples.yaml:", "example id \"jiaojiang#x\""]),
        c("ids", "two targets with one id", PLAN,
          replace("- id: leading-enterprises", "- id: export-value"), Line::At("id: export-value"),
          &["duplicate target id `export-value`"]),
        c("ids", "a threshold sharing the base's input id", ATT,
          replace("                  id: trainees", "                  id: cost"), Line::At("                  id: cost"),
          &["threshold.id", "each input of a subsidy needs its own id"]),
        // References.
        c("references", "an unknown unit in a task", PLAN,
          replace("units: [customs]", "units: [customs-office]"), Line::At("units: [customs-office]"),
          &["task-19.units[0]", "unknown unit `customs-office`"]),
        c("references", "an unknown lead unit", META,
          replace("lead_unit: commerce", "lead_unit: trade"), Line::At("lead_unit: trade"),
          &["unknown unit `trade`"]),
        c("references", "an item serving an unknown task", ATT,
          replace("serves: [task-3]", "serves: [task-99]"), Line::At("task-99"),
          &["unknown task `task-99`"]),
        c("references", "an empty registry of units", "units.yaml",
          Edit::Write(b"[]\n".to_vec()), Line::File,
          &["the list of units is empty"]),
        // Figures.
        c("figures", "a cap the clause does not state", ATT,
          replace("amount: 600000", "amount: 650000"), Line::Some,
          &["does not say `65万元`", "the data and the clause must agree"]),
        c("figures", "a target the text does not state", PLAN,
          replace("value: 220,", "value: 230,"), Line::Some,
          &["which the general requirements do not state"]),
        c("figures", "a stale repair", REPAIRS,
          replace("find: \"<市、区>\"", "find: \"<县、区>\""), Line::Some,
          &["expected `<县、区>` 2 time(s)"]),
        c("figures", "a changed Chinese character", PLAN,
          replace("积极招引和培育跨境电商企业", "积极引进和培育跨境电商企业"), Line::Some,
          &["differs from source.txt"]),
        // Encodings.
        c("encodings", "invalid UTF-8", "places.yaml",
          replace("黄岩区, en", "\u{fffd}, en"), Line::At("\u{fffd}"),
          &["invalid UTF-8 at byte", "of the line"]),
        c("encodings", "a file in UTF-16", "places.yaml",
          Edit::Write(vec![0xff, 0xfe, b'-', 0, b' ', 0, b'x', 0]), Line::At(""),
          &["invalid UTF-8 at byte 0"]),
        c("encodings", "a file in Latin-1", "glossary.yaml",
          replace("definition:", "d\u{fffd}finition:"), Line::At("\u{fffd}"),
          &["invalid UTF-8"]),
        // Sizes and odd files.
        c("sizes", "an empty file", "units.yaml",
          Edit::Write(Vec::new()), Line::File,
          &["content/units.yaml: the file is empty: expected a list of units"]),
        c("sizes", "a file of comments only", "glossary.yaml",
          Edit::Write(b"# nothing yet\n".to_vec()), Line::File,
          &["the file is empty: expected a list of glossary terms"]),
        c("sizes", "a clause past the size limit", ATT,
          Edit::Replace("zh: \"", big_clause), Line::File,
          &["bytes, more than the limit of", "MAX_FILE_BYTES"]),
        c("sizes", "a link to a file outside content/", "glossary.yaml",
          Edit::LinkOutside("secret: the-outside-text\n"), Line::File,
          &["is a link to a file outside the content folder"]),
        c("sizes", "a folder where a file belongs", "places.yaml",
          Edit::Folder, Line::File, &["is a folder"]),
        c("sizes", "a named pipe where a file belongs", "units.yaml",
          Edit::Pipe, Line::File, &["is not a regular file"]),
        // Nesting.
        c("nesting", "100,000 open brackets", "site.yaml",
          Edit::Write(format!("a: {}", "[".repeat(100_000)).into_bytes()), Line::At("a: "),
          &["MAX_DEPTH"]),
        c("nesting", "100,000 nested block sequences", "search-synonyms.yaml",
          Edit::Write(format!("{}x\n", "- ".repeat(100_000)).into_bytes()), Line::At("- "),
          &["content/search-synonyms.yaml:", "MAX_DEPTH"]),
        // Aliases.
        c("aliases", "a billion laughs", "glossary.yaml",
          Edit::Write(laughs.clone().into_bytes()), Line::Some,
          &["MAX_EXPANDED_NODES"]),
        c("aliases", "an alias bomb in the worked examples", "examples.yaml",
          Edit::Write(laughs.into_bytes()), Line::Some,
          &["content/examples.yaml:", "MAX_EXPANDED_NODES"]),
        // Injection.
        c("injection", "a glossary id that adds an event handler", "glossary.yaml",
          replace("- id: code-9610", "- id: \"rcep\\\" onmouseover=\\\"alert(4)\""),
          Line::At("onmouseover"), &["term id \"rcep\\\" onmouseover=\\\"alert(4)\" is not a valid id"]),
        c("injection", "a unit id that closes its tag", "units.yaml",
          replace("- id: customs", "- id: \"x\\\"><script>alert(1)</script>\""),
          Line::At("<script>"), &["is not a valid id"]),
        c("injection", "a javascript: anchor", ATT,
          replace("id: selection-centre", "id: \"javascript:alert(1)\""), Line::At("javascript:"),
          &["subsidy id \"javascript:alert(1)\""]),
    ]
}

/// Every file below `dir` with its bytes, skipping `skip` (the `dist/` folder).
fn snapshot(dir: &Path, skip: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p == skip {
                continue;
            }
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                out.insert(p.clone(), Vec::new());
                stack.push(p);
            } else if meta.is_symlink() {
                out.insert(
                    p.clone(),
                    std::fs::read_link(&p)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                );
            } else if meta.is_file() {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            } else {
                // A pipe: reading it would wait for a writer.
                out.insert(p.clone(), b"special".to_vec());
            }
        }
    }
    out
}

/// Runs one case; returns what went wrong, if anything.
fn run(case: &Case) -> Result<(), String> {
    let tmp = TempDir::new("catalogue");
    let content = tmp.0.join("content");
    copy_dir(&repo().join("content"), &content);
    let outside = tmp.0.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("keep.txt"), "outside dist").unwrap();
    let path = content.join(case.file);
    match &case.edit {
        Edit::Replace(find, with) => {
            let text = std::fs::read_to_string(&path).unwrap();
            if !text.contains(find) {
                return Err(format!("fixture: `{find}` not in {}", case.file));
            }
            // U+FFFD marks where a byte that is not UTF-8 goes.
            let edited = text.replacen(find, with, 1);
            let bytes: Vec<u8> = edited
                .replace('\u{fffd}', "\u{1}")
                .bytes()
                .map(|b| if b == 1 { 0xe9 } else { b })
                .collect();
            std::fs::write(&path, bytes).unwrap();
        }
        Edit::Write(bytes) => std::fs::write(&path, bytes).unwrap(),
        Edit::LinkOutside(text) => {
            std::fs::write(outside.join("secret.yaml"), text).unwrap();
            std::fs::remove_file(&path).unwrap();
            std::os::unix::fs::symlink(outside.join("secret.yaml"), &path).unwrap();
        }
        Edit::Folder => {
            std::fs::remove_file(&path).unwrap();
            std::fs::create_dir_all(path.join("inside")).unwrap();
        }
        Edit::Pipe => {
            std::fs::remove_file(&path).unwrap();
            let made = std::process::Command::new("mkfifo").arg(&path).status();
            if !made.is_ok_and(|s| s.success()) {
                return Err("fixture: mkfifo failed".into());
            }
        }
    }
    let dist = tmp.0.join("dist");
    std::fs::create_dir_all(dist.join("en")).unwrap();
    std::fs::write(dist.join("index.html"), "last good build").unwrap();
    std::fs::write(dist.join("en/index.html"), "last good page").unwrap();
    let before = snapshot(&tmp.0, &dist);
    let dist_before = snapshot(&dist, Path::new(""));

    let started = std::time::Instant::now();
    let err = match generator::build(&options(&content, &dist)) {
        Ok(_) => return Err("the build succeeded".into()),
        Err(e) => e.to_string(),
    };
    let took = started.elapsed();

    let mut problems = Vec::new();
    // A generous bound, for a machine under load: it catches a hang (deep nesting once took
    // minutes), not a slow render.
    if took > std::time::Duration::from_secs(30) {
        problems.push(format!("took {took:?}"));
    }
    let shown = format!("content/{}", case.file);
    let located = match &case.line {
        Line::At(needle) => {
            let text =
                String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()).into_owned();
            // A byte that is not UTF-8 reads back as U+FFFD, as the needle writes it.
            match text.lines().position(|l| l.contains(needle)) {
                Some(i) => format!("{shown}:{}:", i + 1),
                None => return Err(format!("fixture: `{needle}` not in the edited file")),
            }
        }
        Line::Some => format!("{shown}:"),
        Line::File => format!("{shown}: "),
    };
    if !err.contains(&located) {
        problems.push(format!("expected `{located}`"));
    }
    if matches!(case.line, Line::Some) {
        let after = err.split(&located).nth(1).unwrap_or("");
        if !after.starts_with(|c: char| c.is_ascii_digit()) {
            problems.push("expected a line number".into());
        }
    }
    for want in case.expect {
        if !err.contains(want) {
            problems.push(format!("expected `{want}`"));
        }
    }
    if err.contains("the-outside-text") {
        problems.push("printed the contents of a file outside content/".into());
    }
    if snapshot(&tmp.0, &dist) != before {
        problems.push("something outside dist/ changed".into());
    }
    if snapshot(&dist, Path::new("")) != dist_before {
        problems.push("the previous dist/ changed".into());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n    message: {err}", problems.join("; ")))
    }
}

#[test]
fn every_malformed_case_stops_the_build_with_a_located_message() {
    let cases = cases();
    let mut by_category: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in &cases {
        *by_category.entry(case.category).or_default() += 1;
        if let Err(e) = run(case) {
            failures.push(format!("[{}] {}: {e}", case.category, case.name));
        }
    }
    eprintln!("catalogue: {} cases {by_category:?}", cases.len());
    assert!(
        cases.len() >= 40,
        "the catalogue holds {} cases",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_byte_order_mark_before_the_first_key_is_accepted() {
    let tmp = TempDir::new("catalogue-bom");
    let content = tmp.0.join("content");
    copy_dir(&repo().join("content"), &content);
    for file in ["units.yaml", "site.yaml", &format!("{DOC}/plan.yaml")] {
        let path = content.join(file);
        let mut bytes = vec![0xef, 0xbb, 0xbf];
        bytes.extend(std::fs::read(&path).unwrap());
        std::fs::write(&path, bytes).unwrap();
    }
    generator::load_valid(&content).expect("a BOM is not part of the first key");
}

#[test]
fn markup_in_content_text_is_shown_as_text() {
    let tmp = TempDir::new("catalogue-text");
    let content = tmp.0.join("content");
    copy_dir(&repo().join("content"), &content);
    // A plain-text field (a worked example's title): the Markdown fields (notes, readings,
    // definitions) refuse raw HTML instead (tests/markdown.rs).
    let path = content.join("examples.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let hostile = "<script>alert(1)</script>\\\" onmouseover=\\\"alert(2)";
    let edited = text.replacen(
        "en: \"An enterprise in Jiaojiang:",
        &format!("en: \"{hostile} An enterprise in Jiaojiang:"),
        1,
    );
    assert_ne!(edited, text, "fixture: the title is there");
    std::fs::write(&path, edited).unwrap();
    let dist = tmp.0.join("dist");
    generator::build(&options(&content, &dist)).expect("text may hold markup characters");
    let page = std::fs::read_to_string(dist.join("en/calculator/index.html")).unwrap();
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "shown as text"
    );
    assert!(!page.contains("<script>alert(1)"), "never as a tag");
    assert!(!page.contains("\" onmouseover=\""), "never as an attribute");
}
