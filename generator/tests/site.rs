//! The reading site built from the real content: faithful Chinese, complete English, every
//! task with exactly its units, reproducible output.

mod common;

use std::collections::BTreeMap;

use calculator::Lang;
use common::{options, repo, visible_text, TempDir};
use generator::load::{apply_repairs, Content};

fn content() -> Content {
    generator::load_valid(&repo().join("content")).expect("the real content validates")
}

fn built() -> (TempDir, std::path::PathBuf) {
    let tmp = TempDir::new("site");
    let dist = tmp.0.join("dist");
    generator::build(&options(&repo().join("content"), &dist)).expect("the site builds");
    (tmp, dist)
}

fn page(dist: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(dist.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn content_loads_and_validates() {
    let c = content();
    assert_eq!(c.document.plan.actions.len(), 5, "five actions");
    let tasks: usize = c.document.plan.actions.iter().map(|a| a.tasks.len()).sum();
    assert_eq!(tasks, 22, "twenty-two tasks");
    assert_eq!(
        c.document.attachment.sections.len(),
        5,
        "five attachment sections"
    );
}

#[test]
fn every_text_has_both_languages() {
    let c = content();
    let texts = generator::validate::all_texts(&c);
    assert!(texts.len() > 150, "all texts are walked ({})", texts.len());
    for (file, _, field, t) in texts {
        assert!(
            t.missing().is_empty(),
            "{}: {field} lacks {:?}",
            file.path.display(),
            t.missing()
        );
    }
}

#[test]
fn every_source_paragraph_is_on_the_chinese_pages_and_translated_on_the_english() {
    let c = content();
    let d = &c.document;
    let paragraphs = apply_repairs(&d.source, &d.repairs, &d.repairs_file).unwrap();
    assert_eq!(
        paragraphs.len(),
        68,
        "the repaired source has 68 paragraphs"
    );
    let (_tmp, dist) = built();
    let zh: String = ["zh/plan/index.html", "zh/attachment/index.html"]
        .iter()
        .map(|p| visible_text(&page(&dist, p)))
        .collect::<Vec<_>>()
        .join(" ");
    for (i, p) in paragraphs.iter().enumerate() {
        // Pages set the number of a task or item in its own element; the text after it must
        // read exactly as issued.
        let body = p
            .trim_start_matches(|ch: char| ch.is_ascii_digit() || ch == '.')
            .to_string();
        let body = body
            .strip_prefix('（')
            .and_then(|b| b.split_once('）'))
            .filter(|(n, _)| n.chars().count() == 1)
            .map(|(_, rest)| rest.to_string())
            .unwrap_or(body);
        for sentence in body.split_inclusive('。') {
            let sentence = sentence.trim();
            if sentence.is_empty() {
                continue;
            }
            assert!(
                zh.contains(sentence),
                "paragraph {i}: `{sentence}` is not on the Chinese pages"
            );
        }
    }
    let en: String = ["en/plan/index.html", "en/attachment/index.html"]
        .iter()
        .map(|p| visible_text(&page(&dist, p)))
        .collect::<Vec<_>>()
        .join(" ");
    let mut checked = 0;
    for (_, _, field, t) in generator::validate::all_texts(&c) {
        let is_clause =
            field.ends_with(".text") || field.ends_with(".title") || field == "preamble";
        if is_clause && !field.starts_with("targets.") {
            let want = t.en.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                en.contains(&want),
                "{field}: English `{want}` is not on the English pages"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "checked {checked} English clauses");
}

/// The unit links of each task's 责任单位 line, by task id, from a built plan page.
fn task_units(html: &str) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    let mut out = BTreeMap::new();
    for chunk in html.split("<section class=\"task\" id=\"").skip(1) {
        let id = chunk.split('"').next().unwrap().to_string();
        let section = chunk.split("</section>").next().unwrap();
        let ids = |marker: &str| -> Vec<String> {
            section
                .split(marker)
                .nth(1)
                .map(|p| p.split("</p>").next().unwrap())
                .unwrap_or("")
                .split("/units/")
                .skip(1)
                .map(|s| s.split('/').next().unwrap().to_string())
                .collect()
        };
        out.insert(id, (ids("class=\"units-text\""), ids("class=\"all-units")));
    }
    out
}

#[test]
fn every_task_shows_exactly_the_units_the_source_gives_it() {
    let c = content();
    let (_tmp, dist) = built();
    let all = &c.document.plan.all_tasks_units;
    for lang in Lang::ALL {
        let shown = task_units(&page(&dist, &format!("{}/plan/index.html", lang.code())));
        assert_eq!(shown.len(), 22, "22 tasks on the {lang:?} plan page");
        for task in c.document.plan.actions.iter().flat_map(|a| a.tasks.iter()) {
            let (listed, for_all) = &shown[&task.id];
            assert_eq!(
                listed, &task.units,
                "{lang:?} {}: units of its 责任单位 line",
                task.id
            );
            let expected_all: Vec<String> = all
                .iter()
                .filter(|u| !task.units.contains(u))
                .cloned()
                .collect();
            assert_eq!(
                for_all, &expected_all,
                "{lang:?} {}: units named once for all tasks",
                task.id
            );
        }
    }
    // Spot checks against the source: task 19 names 台州海关 alone; task 1 lists six units.
    let zh = task_units(&page(&dist, "zh/plan/index.html"));
    assert_eq!(zh["task-19"].0, vec!["customs"]);
    assert_eq!(zh["task-1"].0.len(), 6);
}

#[test]
fn both_languages_have_the_same_pages_and_anchors() {
    let (_tmp, dist) = built();
    for rel in [
        "plan/index.html",
        "attachment/index.html",
        "parallel/index.html",
    ] {
        let ids = |lang: &str| -> Vec<String> {
            page(&dist, &format!("{lang}/{rel}"))
                .split(" id=\"")
                .skip(1)
                .map(|s| s.split('"').next().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            ids("zh"),
            ids("en"),
            "{rel}: same anchors in both languages"
        );
    }
    let zh = page(&dist, "zh/plan/index.html");
    assert!(zh.contains("hreflang=\"en\""), "language switch present");
    for anchor in ["id=\"task-1\"", "id=\"task-22\"", "id=\"action-5\""] {
        assert!(zh.contains(anchor), "{anchor}");
    }
    let att = page(&dist, "en/attachment/index.html");
    assert!(att.contains("id=\"subsidy-training\""), "subsidy permalink");
    assert!(att.contains("id=\"att-5-5\""), "item permalink");
}

#[test]
fn two_builds_are_byte_identical() {
    let a = TempDir::new("repro-a");
    let b = TempDir::new("repro-b");
    generator::build(&options(&repo().join("content"), &a.0.join("dist"))).unwrap();
    generator::build(&options(&repo().join("content"), &b.0.join("dist"))).unwrap();
    let files = |root: &std::path::Path| {
        let mut v = Vec::new();
        fn walk(d: &std::path::Path, v: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, v)
                } else {
                    v.push(p)
                }
            }
        }
        walk(root, &mut v);
        v.sort();
        v
    };
    let fa = files(&a.0.join("dist"));
    let fb = files(&b.0.join("dist"));
    assert_eq!(fa.len(), fb.len());
    assert!(fa.len() > 50);
    for (x, y) in fa.iter().zip(fb.iter()) {
        assert_eq!(
            std::fs::read(x).unwrap(),
            std::fs::read(y).unwrap(),
            "{}",
            x.display()
        );
    }
}

#[test]
fn the_validity_status_follows_the_build_date() {
    let c = content();
    let status = |date: &str| {
        let ctx = generator::render::RenderContext {
            content: &c,
            library: &generator::library::Library::new(&c),
            today: generator::model::Date::parse(date).unwrap(),
            extra_nav: vec![],
            site_url: None,
            text: Default::default(),
        };
        generator::render::validity_status(&ctx)
    };
    assert_eq!(status("2024-12-31"), "status_pending");
    assert_eq!(status("2025-01-01"), "status_in_force");
    assert_eq!(status("2027-12-31"), "status_in_force");
    assert_eq!(status("2028-01-01"), "status_expired");
}

/// A page that leaves out `status.js` (the calculator, to save its bytes) must have nothing the
/// script would date: otherwise a reader would see a status that never follows their day.
#[test]
fn a_page_without_status_js_has_nothing_for_it_to_date() {
    let (_tmp, dist) = built();
    let mut pages = Vec::new();
    let mut dirs = vec![dist.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap().map(Result::unwrap) {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                pages.push(p);
            }
        }
    }
    let mut without = Vec::new();
    for p in pages {
        let html = std::fs::read_to_string(&p).unwrap();
        if html.contains("static/status.") {
            continue;
        }
        let rel = p.strip_prefix(&dist).unwrap().display().to_string();
        // The hooks status.js reads (themes/default/static/status.js).
        for hook in [
            "data-status",
            "data-from",
            "class=\"timeline",
            "data-library-filter",
            "data-point-in-time",
            "data-version-pairs",
        ] {
            assert!(
                !html.contains(hook),
                "{rel} has {hook} but does not load status.js"
            );
        }
        without.push(rel);
    }
    assert!(
        without.iter().any(|p| p.ends_with("calculator/index.html")),
        "the calculator page leaves status.js out (pages without it: {without:?})"
    );
}

/// The hashed file a logical static path was written as (`static/style.css` →
/// `static/style.<hash>.css`), read.
fn static_file(dist: &std::path::Path, stem: &str) -> String {
    let dir = dist.join("static");
    let found = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with(&format!("{stem}.")) && n.ends_with(".css"))
        .unwrap_or_else(|| panic!("no static/{stem}.*.css"));
    std::fs::read_to_string(dir.join(found)).unwrap()
}

/// The site's base (`_base.css`: header, menu, headings, footer) reaches every page through the
/// one stylesheet it loads: inlined into the reading pages' `style.css` and the calculator's
/// `calculator.css`, never served alone; the calculator loads no `style.css`.
#[test]
fn each_page_loads_one_stylesheet_that_carries_the_sites_base() {
    let (_tmp, dist) = built();
    let style = static_file(&dist, "style");
    let calc = static_file(&dist, "calculator");
    for (name, css) in [("style.css", &style), ("calculator.css", &calc)] {
        assert!(!css.contains("@import"), "{name}: the partial is inlined");
        for rule in [
            ".site-header{",
            ".skip{",
            ".visually-hidden{",
            ".site-footer{",
        ] {
            assert!(css.contains(rule), "{name} lacks the base's {rule}");
        }
    }
    assert!(style.contains(".chart{") && !calc.contains(".chart{"));
    assert!(calc.contains(".calc-totals{") && !style.contains(".calc-totals{"));
    let names: Vec<String> = std::fs::read_dir(dist.join("static"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.starts_with("_base")), "{names:?}");
    for lang in ["zh", "en"] {
        let c = page(&dist, &format!("{lang}/calculator/index.html"));
        assert!(c.contains("static/calculator.") && !c.contains("static/style."));
        let plan = page(&dist, &format!("{lang}/plan/index.html"));
        assert!(plan.contains("static/style.") && !plan.contains("static/calculator."));
    }
}

/// A stylesheet may import only a partial of its own folder; anything else stops the build
/// naming the file and line.
#[test]
fn a_stylesheet_importing_other_than_a_partial_is_refused() {
    let tmp = TempDir::new("css-import");
    std::fs::write(tmp.0.join("_part.css"), "p { margin: 0; }\n").unwrap();
    let path = tmp.0.join("page.css");
    let ok = generator::write::inline_imports(
        &path,
        b"/* x */\n@import \"_part.css\";\nb { }\n".to_vec(),
    )
    .unwrap();
    assert_eq!(ok, "/* x */\np { margin: 0; }\n\nb { }\n");
    for bad in [
        "@import \"https://example.com/x.css\";",
        "@import url(_part.css);",
        "@import \"../_part.css\";",
    ] {
        let err = generator::write::inline_imports(&path, format!("{bad}\n").into_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("page.css:1") && err.contains("partial"),
            "{bad}: {err}"
        );
    }
}
