//! The command line as a user meets it: one validation path for `check` and `build` (the
//! worked examples and the search synonyms included, every mistake at once), clap's usage
//! errors with exit status 2, and each command wording its own failure.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{copy_dir, repo, TempDir};

/// A copy of the project (content and theme) to run the binary in, with `GENERATOR_ROOT`.
fn project(tag: &str) -> TempDir {
    let tmp = TempDir::new(tag);
    copy_dir(&repo().join("content"), &tmp.0.join("content"));
    copy_dir(&repo().join("themes"), &tmp.0.join("themes"));
    tmp
}

/// Replaces the first `find` in a content file (which must hold it).
fn edit(root: &Path, file: &str, find: &str, replace: &str) {
    let path = root.join("content").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(find), "fixture: `{find}` not found in {file}");
    std::fs::write(&path, text.replacen(find, replace, 1)).unwrap();
}

fn generator(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .current_dir(root)
        .env("GENERATOR_ROOT", root)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Breaks both optional files so that neither parses; returns the lines of the two mistakes.
fn break_examples_and_synonyms(root: &Path) -> (usize, usize) {
    let line = |file: &str, needle: &str| {
        let text = std::fs::read_to_string(root.join("content").join(file)).unwrap();
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    };
    edit(
        root,
        "examples.yaml",
        "- id: jiaojiang-brand-builder",
        "- idd: jiaojiang-brand-builder",
    );
    edit(
        root,
        "search-synonyms.yaml",
        "  means: [物流费用]",
        "  meanz: [物流费用]",
    );
    (
        line("examples.yaml", "- idd: jiaojiang-brand-builder"),
        line("search-synonyms.yaml", "  meanz: [物流费用]"),
    )
}

#[test]
fn check_names_a_broken_examples_file_and_a_broken_synonyms_file_at_once() {
    let p = project("cli-both");
    let (ex_line, syn_line) = break_examples_and_synonyms(&p.0);
    let out = generator(&p.0, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/ is not valid"), "{err}");
    assert!(
        err.contains(&format!("content/examples.yaml:{ex_line}:")),
        "{err}"
    );
    assert!(err.contains("unknown field `idd`"), "{err}");
    assert!(
        err.contains(&format!("content/search-synonyms.yaml:{syn_line}:")),
        "{err}"
    );
    assert!(err.contains("unknown field `meanz`"), "{err}");
    assert!(err.contains("2 mistake(s)"), "{err}");
    assert!(!p.0.join("dist").exists(), "check writes nothing");
}

#[test]
fn build_reports_the_same_two_mistakes_and_leaves_dist_as_it_was() {
    let p = project("cli-both-build");
    break_examples_and_synonyms(&p.0);
    let dist = p.0.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("sentinel.html"), "last good build").unwrap();
    let out = generator(&p.0, &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Failed to build the site"), "{err}");
    assert!(err.contains("content/examples.yaml:"), "{err}");
    assert!(err.contains("content/search-synonyms.yaml:"), "{err}");
    assert!(err.contains("dist/ was left as it was"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dist.join("sentinel.html")).unwrap(),
        "last good build"
    );
}

/// Both files are checked with the rest of the content once they parse, every mistake at once.
#[test]
fn check_reports_an_example_and_a_synonym_entry_that_parse_but_are_wrong() {
    let p = project("cli-both-checked");
    let text = std::fs::read_to_string(p.0.join("content/examples.yaml")).unwrap();
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("- id: "))
        .collect();
    assert!(ids.len() >= 2, "fixture: two examples");
    edit(
        &p.0,
        "examples.yaml",
        &format!("- id: {}", ids[1]),
        &format!("- id: {}", ids[0]),
    );
    edit(
        &p.0,
        "search-synonyms.yaml",
        "- same: [信保, 出口信保, 出口信用保险]",
        "- same: [信保]",
    );
    let out = generator(&p.0, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/examples.yaml:"), "{err}");
    assert!(
        err.contains(&format!("two examples share the id `{}`", ids[0])),
        "{err}"
    );
    assert!(err.contains("content/search-synonyms.yaml:"), "{err}");
    assert!(err.contains("`same` needs at least two words"), "{err}");
}

/// What used to pass `check` and fail `build`: an example the engine disagrees with, and an
/// interface word a template uses that `site.yaml` lacks.
#[test]
fn check_runs_the_checks_build_runs_after_validation() {
    let p = project("cli-engine");
    edit(&p.0, "examples.yaml", "city_total: \"", "city_total: \"1");
    let out = generator(&p.0, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/examples.yaml:"), "{err}");
    assert!(err.contains("but the rules give"), "{err}");

    let p = project("cli-strings");
    edit(&p.0, "site.yaml", "nav_glossary:", "nav_glossary_old:");
    let out = generator(&p.0, &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/site.yaml"), "{err}");
    assert!(err.contains("nav_glossary"), "{err}");
}

#[test]
fn check_says_the_content_is_valid_and_writes_nothing() {
    let p = project("cli-valid");
    let out = generator(&p.0, &["check"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(said.contains("content/ is valid"), "{said}");
    assert!(said.contains("nothing was written"), "{said}");
    assert!(!p.0.join("dist").exists());
}

#[test]
fn bad_values_and_unknown_flags_are_usage_errors() {
    let root = repo();
    let out = generator(&root, &["serve", "--port", "abc"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("invalid value 'abc' for '--port"));

    let out = generator(&root, &["build", "--typo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unexpected argument '--typo'"));

    let out = generator(&root, &["serve", "--prot", "8000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("a similar argument exists: '--port'"),
        "{}",
        stderr(&out)
    );

    let out = generator(&root, &["rules", "--lang", "fr"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("invalid value 'fr' for '--lang"), "{err}");
    assert!(err.contains("[possible values: zh, en]"), "{err}");
    assert!(!err.contains("dist"), "{err}");

    let out = generator(&root, &["estimate", "x.yaml", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("[possible values: text, json]"));

    let out = generator(&root, &["estimate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("<SCENARIO>"));
}

#[test]
fn every_command_has_help_and_the_binary_a_version() {
    let root = repo();
    let out = generator(&root, &["--version"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("generator {}", env!("CARGO_PKG_VERSION"))
    );
    for (cmd, flag) in [
        ("build", None),
        ("check", None),
        ("serve", Some("--port")),
        ("rules", Some("--lang")),
        ("estimate", Some("--format")),
    ] {
        let out = generator(&root, &[cmd, "--help"]);
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{cmd} --help");
        assert!(help.contains(&format!("Usage: generator {cmd}")), "{help}");
        if let Some(flag) = flag {
            assert!(help.contains(flag), "{cmd} --help lists {flag}: {help}");
        }
    }
}

#[test]
fn a_missing_scenario_is_a_scenario_that_cannot_be_read() {
    let tmp = TempDir::new("cli-missing");
    let out = Command::new(env!("CARGO_BIN_EXE_generator"))
        .current_dir(repo())
        .args(["estimate", &tmp.0.join("missing.yaml").to_string_lossy()])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with(&format!(
            "Error: cannot read the scenario {}",
            tmp.0.join("missing.yaml").display()
        )),
        "{err}"
    );
    assert!(!err.contains("mistake"), "{err}");
    assert!(!err.contains("dist"), "{err}");
}

#[test]
fn a_scenario_that_does_not_parse_is_worded_as_a_scenario_error() {
    let tmp = TempDir::new("cli-bad-scenario");
    let path = tmp.0.join("x.yaml");
    std::fs::write(
        &path,
        "applicant: {kind: enterprise, place: jiaojiang}\nclaims:\n  - subsidy: trademark\n    instancez: []\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_generator"))
        .current_dir(&tmp.0)
        .env("GENERATOR_ROOT", repo())
        .args(["estimate", "x.yaml"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("Error: the scenario x.yaml is not valid: x.yaml:4:"),
        "{err}"
    );
    assert!(err.contains("unknown field `instancez`"), "{err}");
    assert!(!err.contains("Failed to build"), "{err}");
    assert!(!err.contains("dist"), "{err}");
}

#[test]
fn a_folder_without_content_is_a_usage_error() {
    let tmp = TempDir::new("cli-no-content");
    for cmd in ["build", "check", "rules"] {
        let out = generator(&tmp.0, &[cmd]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {err}");
        assert!(err.contains("there is no"), "{err}");
        assert!(err.contains("GENERATOR_ROOT"), "{err}");
    }
    assert!(!tmp.0.join("dist").exists());
}

/// A scenario is read within the same limits as content: a device is refused at once (not read
/// forever), and so is a file over the size limit, each worded as a scenario error.
#[test]
fn a_scenario_is_read_within_limits() {
    let out = Command::new(env!("CARGO_BIN_EXE_generator"))
        .current_dir(repo())
        .args(["estimate", "/dev/zero"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("Error: the scenario /dev/zero is not valid"),
        "{err}"
    );
    assert!(err.contains("not a regular file"), "{err}");

    let tmp = TempDir::new("cli-huge-scenario");
    let path = tmp.0.join("huge.yaml");
    let mut text = String::from("applicant: {kind: enterprise, place: jiaojiang}\nclaims:\n");
    while text.len() < 2 << 20 {
        text.push_str("  - subsidy: trademark\n    instances: [{fee: \"1\"}]\n");
    }
    std::fs::write(&path, text).unwrap();
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_generator"))
        .current_dir(repo())
        .args(["estimate", &path.to_string_lossy()])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is not valid"), "{err}");
    assert!(err.contains("more than the limit of 524288 bytes"), "{err}");
    // Generous: the refusal is immediate; this only catches a read that never ends.
    assert!(started.elapsed().as_secs() < 60);
}
