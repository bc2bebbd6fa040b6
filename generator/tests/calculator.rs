//! The calculator page: the app's mount point and data block, the worked examples shown
//! statically with the links that load them, the build stopping when an example disagrees with
//! the rules, and every word the app uses present in `site.yaml`. The WASM itself is built by an
//! ignored test (minutes on a cold cache): `cargo test -p generator --test calculator -- --ignored`.

mod common;

use std::path::{Path, PathBuf};

use calculator::{estimate, Lang};
use common::{copy_dir, options, repo, visible_text, TempDir};
use generator::error::BuildError;
use generator::render::calculator::Example;

fn examples() -> Vec<Example> {
    let text = std::fs::read_to_string(repo().join("content/examples.yaml")).unwrap();
    serde_norway::from_str(&text).expect("examples.yaml parses")
}

fn build(content: &Path, tag: &str) -> (TempDir, PathBuf, Result<(), BuildError>) {
    let tmp = TempDir::new(tag);
    let dist = tmp.0.join("dist");
    let r = generator::build(&options(content, &dist)).map(|_| ());
    (tmp, dist, r)
}

/// The JSON of the page's `#calculator-data` block.
fn data_block(html: &str) -> serde_json::Value {
    let open = r#"<script type="application/json" id="calculator-data">"#;
    let start = html.find(open).expect("the data block") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("the data block is JSON")
}

#[test]
fn the_calculator_page_renders_with_its_worked_examples() {
    let (_tmp, dist, r) = build(&repo().join("content"), "calc-page");
    r.expect("the site builds");
    let rules: calculator::RuleSet =
        serde_json::from_slice(&std::fs::read(dist.join("rules.json")).unwrap()).unwrap();
    let examples = examples();
    assert!(examples.len() >= 4);
    for lang in Lang::ALL {
        let rel = format!("{}/calculator/index.html", lang.code());
        let html =
            std::fs::read_to_string(dist.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(
            html.contains(r#"<div id="calculator-app""#),
            "{rel}: mount point"
        );
        assert!(
            html.contains("<noscript>"),
            "{rel}: a message without JavaScript"
        );
        // Built without WASM (tests): no loader, and the page says so instead of "loading".
        assert!(
            !html.contains("boot.js"),
            "{rel}: no loader without the WASM"
        );
        let data = data_block(&html);
        assert_eq!(data["lang"], lang.code(), "{rel}");
        // The rule set is in the page (the app's first render needs no request), as in
        // rules.json but in the page's language only, except each clause's own text (the app
        // shows the other language one click away), and compacted (below). Read by the app's
        // own reader.
        let block = html.split(r#"id="calculator-data">"#).nth(1).unwrap();
        let block = &block[..block.find("</script>").unwrap()];
        let page = calculator::app::PageData::from_json(block)
            .unwrap_or_else(|e| panic!("{rel}: the app reads the data block: {e}"));
        let embedded = &page.rules;
        assert_eq!(embedded.version, rules.version, "{rel}");
        assert_eq!(embedded.subsidies.len(), rules.subsidies.len(), "{rel}");
        let other = lang.other();
        for (got, want) in embedded.subsidies.iter().zip(&rules.subsidies) {
            let (g, w) = (&got.subsidy, &want.subsidy);
            assert_eq!(g.id, w.id, "{rel}");
            assert_eq!(g.name.get(lang), w.name.get(lang), "{rel}: {}", w.id);
            assert_eq!(g.amount.figures(), w.amount.figures(), "{rel}: {}", w.id);
            assert_eq!(
                (g.applicant, g.one_time),
                (w.applicant, w.one_time),
                "{rel}: {}",
                w.id
            );
            assert_eq!(got.clause.text, want.clause.text, "{rel}: {}", w.id);
            if w.name.get(other) != w.name.get(lang) {
                assert!(
                    !block.contains(&format!("\"{}\"", w.name.get(other))),
                    "{rel}: {} is named in the page's language only",
                    w.id
                );
            }
        }
        for (got, want) in embedded.places.iter().zip(&rules.places) {
            assert_eq!(got.name.get(lang), want.name.get(lang), "{rel}");
        }
        // The form is in the HTML, rendered by the app itself at build time: every measure an
        // enterprise (the first answer, checked in an empty form) claims is offered before any
        // script runs.
        let app = html.split(r#"<div id="calculator-app""#).nth(1).unwrap();
        let app = &app[..app.find(r#"<!--</[calculator::app::App]>-->"#).unwrap()];
        assert!(
            app.contains(r#"class="calc-form""#),
            "{rel}: the form is rendered at build time"
        );
        let offered = rules.subsidies.iter().filter(|s| {
            s.subsidy.not_claimed.is_none() && s.subsidy.pays(calculator::Applicant::Enterprise)
        });
        for s in offered {
            assert!(
                app.contains(&format!(r#"value="{}""#, s.subsidy.id))
                    || app.contains(&format!(r#"id="pick-{}""#, s.subsidy.id))
                    || app.contains(s.subsidy.name.get(lang)),
                "{rel}: the measure {} is offered in the built form",
                s.subsidy.id
            );
        }
        // The app's words, and only those: the template's own (the examples' heading, the
        // introduction) are in the HTML already.
        let words = data["words"].as_object().unwrap();
        assert!(words.keys().all(|k| k.starts_with("calc_")), "{rel}");
        let used = app_words();
        for key in &used {
            assert!(words.contains_key(key), "{rel}: the block lacks `{key}`");
        }
        for key in ["calc_examples_intro", "calc_intro", "calc_noscript"] {
            assert!(
                !used.contains(key) && !words.contains_key(key),
                "{rel}: {key}"
            );
        }
        // Each unit is named once, in the `units` table, and cited by id; the tasks (which the
        // app never shows) are left out. The app reads back the units of rules.json.
        let units = data["rules"]["units"].as_object().expect("a units table");
        for (got, want) in embedded.subsidies.iter().zip(&rules.subsidies) {
            let names = |l: &[calculator::UnitRef]| -> Vec<(String, String)> {
                l.iter()
                    .map(|u| (u.id.clone(), u.name.get(lang).to_string()))
                    .collect()
            };
            assert_eq!(names(&got.task_units), names(&want.task_units), "{rel}");
            assert_eq!(names(&got.text_units), names(&want.text_units), "{rel}");
            for u in &want.task_units {
                assert_eq!(units[&u.id], u.name.get(lang), "{rel}: unit {}", u.id);
            }
        }
        assert_eq!(
            embedded.policy.implementing_units,
            rules
                .policy
                .implementing_units
                .iter()
                .map(|u| calculator::UnitRef {
                    id: u.id.clone(),
                    name: calculator::Text {
                        zh: u.name.get(lang).to_string(),
                        en: u.name.get(lang).to_string(),
                    },
                })
                .collect::<Vec<_>>(),
            "{rel}"
        );
        let subsidies = data["rules"]["subsidies"].as_array().unwrap();
        assert!(
            subsidies.iter().all(|s| s.get("tasks").is_none()
                && s["task_units"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|u| u.is_string())),
            "{rel}: tasks left out, units by id"
        );
        assert!(!block.contains('<'), "{rel}: the data block escapes `<`");
        let text = visible_text(&html);
        for ex in &examples {
            assert!(
                html.contains(&format!(r#"id="{}""#, ex.id)),
                "{rel}: #{}",
                ex.id
            );
            // The link records the version the example is computed under.
            let version = ex
                .version
                .expect("every shipped example names its version")
                .iso();
            let href = format!("#v={version}&{}", ex.scenario.to_fragment()).replace('&', "&amp;");
            assert!(
                html.contains(&format!(r#"href="{href}""#)),
                "{rel}: {} opens with {href}",
                ex.id
            );
            assert!(text.contains(ex.title.get(lang)), "{rel}: {} title", ex.id);
            let e = estimate(&rules, &ex.scenario);
            assert!(
                text.contains(&ex.expected.city_total.display(lang)),
                "{rel}: {} total {}",
                ex.id,
                ex.expected.city_total.display(lang)
            );
            for line in &e.lines {
                assert!(
                    text.contains(line.formula.get(lang)),
                    "{rel}: {} formula {}",
                    ex.id,
                    line.formula.get(lang)
                );
            }
        }
        // Every page links to the calculator from its navigation.
        let home =
            std::fs::read_to_string(dist.join(format!("{}/index.html", lang.code()))).unwrap();
        assert!(
            home.contains("calculator/\""),
            "{}: navigation to the calculator",
            lang.code()
        );
    }
}

#[test]
fn an_example_that_disagrees_with_the_rules_stops_the_build() {
    let tmp = TempDir::new("calc-bad-example");
    let content = tmp.0.join("content");
    copy_dir(&repo().join("content"), &content);
    let path = content.join("examples.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let first = &examples()[0];
    let want = format!("city_total: \"{}\"", first.expected.city_total.0);
    assert!(text.contains(&want), "the first example states {want}");
    std::fs::write(&path, text.replacen(&want, "city_total: \"1\"", 1)).unwrap();
    let (_t, dist, r) = build(&content, "calc-bad-example-out");
    let Err(BuildError::Content(errors)) = r else {
        panic!("the build must stop on a wrong example")
    };
    let e = errors
        .iter()
        .find(|e| e.file.ends_with("examples.yaml"))
        .unwrap_or_else(|| panic!("an error names examples.yaml: {errors:?}"));
    assert!(e.line.is_some(), "{e}");
    assert!(e.message.contains(&first.id), "{e}");
    assert!(e.field.as_deref() == Some("expected.city_total"), "{e}");
    assert!(!dist.exists(), "no dist/ from a failed build");
}

/// Every `"calc_…"` key named in the calculator crate's source: the words the app (and the
/// engine's status and standing keys, which the app shows) may ask for.
fn app_words() -> std::collections::BTreeSet<String> {
    let mut used = std::collections::BTreeSet::new();
    let mut dirs = vec![repo().join("calculator/src")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let src = std::fs::read_to_string(path).unwrap();
            for part in src.split("\"calc_").skip(1) {
                let key: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if part[key.len()..].starts_with('"') {
                    used.insert(format!("calc_{key}"));
                }
            }
        }
    }
    assert!(used.len() > 40, "found the app's words ({})", used.len());
    used
}

#[test]
fn every_word_the_app_uses_is_in_site_yaml_in_both_languages() {
    let strings: std::collections::BTreeMap<String, calculator::Text> =
        serde_norway::from_str(&std::fs::read_to_string(repo().join("content/site.yaml")).unwrap())
            .unwrap();
    for key in app_words() {
        let t = strings
            .get(&key)
            .unwrap_or_else(|| panic!("content/site.yaml lacks `{key}`, which the app uses"));
        assert!(t.missing().is_empty(), "`{key}` lacks {:?}", t.missing());
    }
}

/// Sizes of the files the calculator adds, gzip -9.
fn gzip_size(path: &Path) -> usize {
    let out = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .expect("gzip");
    out.stdout.len()
}

/// The file a logical path (`static/calculator/boot.js`) was written as: `boot.<hash>.js`.
fn hashed(dist: &Path, logical: &str) -> PathBuf {
    let path = dist.join(logical);
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    let ext = path.extension().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(&format!("{stem}."))
                && name.ends_with(&format!(".{ext}"))
                && generator::fingerprint::looks_hashed(&name)
        })
        .unwrap_or_else(|| panic!("{logical}: no hashed file in {}", dist.display()))
}

#[test]
#[ignore = "compiles the calculator to WASM: minutes on a cold cache"]
fn the_wasm_build_is_deterministic_and_within_its_budget() {
    let files = [
        "static/calculator/calculator_bg.wasm",
        "static/calculator/calculator.js",
        "static/calculator/boot.js",
    ];
    let mut runs = Vec::new();
    for tag in ["calc-wasm-a", "calc-wasm-b"] {
        let tmp = TempDir::new(tag);
        let dist = tmp.0.join("dist");
        let mut o = options(&repo().join("content"), &dist);
        o.wasm = true;
        generator::build(&o).expect("the site builds with its WASM");
        let page = std::fs::read_to_string(dist.join("zh/calculator/index.html")).unwrap();
        // The files are named by their content hash (generator/src/fingerprint.rs).
        let files: Vec<PathBuf> = files.iter().map(|f| hashed(&dist, f)).collect();
        assert!(
            page.contains(&*files[2].strip_prefix(&dist).unwrap().to_string_lossy()),
            "the page loads the app"
        );
        let bytes: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        let gz: usize = files[..2].iter().map(|f| gzip_size(f)).sum();
        runs.push((bytes, gz, tmp));
    }
    assert!(
        runs[0].0 == runs[1].0,
        "two builds give byte-identical WASM and JS"
    );
    let gz = runs[0].1;
    eprintln!("calculator WASM + JS: {gz} bytes gzip -9");
    assert!(
        gz <= 150_000,
        "the calculator weighs {gz} bytes gzip, over 150 KB"
    );
}
