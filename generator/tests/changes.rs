//! The "what changed" page, from two versions built out of the real attachment: the second
//! raises the trademark cap from 10万元 to 20万元 (RMB 100,000 to RMB 200,000), as the fixture
//! amendment of issue 8 does. A reader must find the old and the new cap as whole figures, struck
//! and inserted, with words a screen reader announces, and the figure listed as old → new.
//!
//! With `CHANGES_DEMO_DIR` set, the pages are also written there (with the theme's static files)
//! for screenshots.

mod common;

use calculator::{Amount, CapScope, Lang, Money, Rate, Subsidy, Text};
use common::{repo, visible_text};
use generator::diff::Segmenter;
use generator::library::Library;
use generator::load::Content;
use generator::model::Date;
use generator::render::changes::{
    changed_clauses, figure_changes, render_changes_pages, ClauseChange, ClauseText, Comparison,
    Figure, FigureField, VersionText,
};
use generator::render::{load_theme, Output, RenderContext};

const PAGE: &str = "documents/tzzb-2024-26/2026-01-01/changes/";

/// Every clause of the attachment, in document order, as one version of the document.
fn version(lib: &Library, date: &str) -> VersionText {
    let path = format!("documents/tzzb-2024-26/{date}/");
    let mut clauses = Vec::new();
    for ni in lib.items() {
        let n = ni.item.clauses.len();
        for (k, cl) in ni.item.clauses.iter().enumerate() {
            let (zh, en) = (ni.full_number(Lang::Zh), ni.full_number(Lang::En));
            let label = if n == 1 {
                Text { zh, en }
            } else {
                Text {
                    zh: format!("{zh}第{}段", k + 1),
                    en: format!("{en}, paragraph {}", k + 1),
                }
            };
            clauses.push(ClauseText {
                id: cl.id.clone(),
                label,
                text: cl.text.clone(),
                path: format!("{path}attachment/"),
            });
        }
    }
    VersionText {
        effective: Date::parse(date).unwrap(),
        path,
        clauses,
    }
}

/// The real trademark clause and its cap.
fn trademark(c: &Content) -> (&generator::model::Clause, Money) {
    let clause = c
        .document
        .attachment
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| &i.clauses)
        .find(|cl| cl.subsidy.as_ref().is_some_and(|s| s.id == "trademark"))
        .expect("the attachment has the trademark subsidy");
    let Some(Amount::Rate { caps, .. }) = clause.subsidy.as_ref().map(|s| &s.amount) else {
        panic!("the trademark subsidy is a rate with a cap");
    };
    (clause, caps[0].amount)
}

/// Every subsidy of the attachment, in document order.
fn subsidies(c: &Content) -> Vec<Subsidy> {
    c.document
        .attachment
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| &i.clauses)
        .filter_map(|cl| cl.subsidy.clone())
        .collect()
}

/// The page holding a subsidy in the fixture's versions.
fn subsidy_path(_: &Subsidy, in_new: bool) -> String {
    let date = if in_new { "2026-01-01" } else { "2025-01-01" };
    format!("documents/tzzb-2024-26/{date}/attachment/")
}

/// The trademark subsidy with its cap set to `cap`.
fn with_cap(mut sub: Subsidy, cap: Money) -> Subsidy {
    if let Amount::Rate { caps, .. } = &mut sub.amount {
        caps[0].amount = cap;
    }
    sub
}

/// The two-version fixture: the cap raised to 20万 in the clause text and in the subsidy.
fn raised_cap(c: &Content, lib: &Library) -> Comparison {
    let (clause, cap) = trademark(c);
    let old = version(lib, "2025-01-01");
    let mut new = version(lib, "2026-01-01");
    let raised = Money::parse("200000").unwrap();
    let text = new
        .clauses
        .iter_mut()
        .find(|cl| cl.id == clause.id)
        .map(|cl| &mut cl.text)
        .unwrap();
    for lang in Lang::ALL {
        let (from, to) = (cap.as_in_text(lang), raised.as_in_text(lang));
        let t = match lang {
            Lang::Zh => &mut text.zh,
            Lang::En => &mut text.en,
        };
        assert!(t.contains(&from), "the clause states its cap {from}");
        *t = t.replace(&from, &to);
    }
    let before = subsidies(c);
    let after: Vec<Subsidy> = before
        .iter()
        .map(|s| {
            if s.id == "trademark" {
                with_cap(s.clone(), raised)
            } else {
                s.clone()
            }
        })
        .collect();
    let figures = figure_changes(
        &before.iter().collect::<Vec<_>>(),
        &after.iter().collect::<Vec<_>>(),
        subsidy_path,
    );
    Comparison { old, new, figures }
}

fn render(c: &Content, cmp: &Comparison) -> Output {
    let lib = Library::new(c);
    let tera = load_theme(&repo().join("themes/default")).expect("the theme loads");
    let ctx = RenderContext {
        content: c,
        library: &lib,
        today: Date::parse("2026-11-26").unwrap(),
        extra_nav: vec![],
        site_url: None,
        text: Default::default(),
    };
    let seg = Segmenter::new(
        generator::search::domain_words(c)
            .iter()
            .map(String::as_str),
    );
    render_changes_pages(&tera, &ctx, &seg, cmp, PAGE).expect("the page renders")
}

fn content() -> Content {
    generator::load_valid(&repo().join("content")).expect("the content loads")
}

fn page(out: &Output, lang: &str) -> String {
    String::from_utf8(out[&format!("{lang}/{PAGE}index.html")].clone()).unwrap()
}

/// The text of every `<tag>…</tag>` of the redlines (not the legend's samples), tags inside removed.
fn elements(html: &str, tag: &str) -> Vec<String> {
    html.split(&format!("<{tag}"))
        .skip(1)
        .filter(|rest| rest.starts_with('>') || rest.starts_with(r#" class="short">"#))
        .filter_map(|rest| rest.split(&format!("</{tag}>")).next())
        .map(|inner| inner.split_once('>').map_or("", |(_, t)| t))
        .map(visible_text)
        .collect()
}

#[test]
fn the_raised_trademark_cap_reads_as_one_deletion_and_one_insertion() {
    let c = content();
    let lib = Library::new(&c);
    let cmp = raised_cap(&c, &lib);
    let out = render(&c, &cmp);
    if let Some(dir) = std::env::var_os("CHANGES_DEMO_DIR") {
        let dir = std::path::PathBuf::from(dir);
        for (path, bytes) in &out {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        common::copy_dir(&repo().join("themes/default/static"), &dir.join("static"));
    }

    let zh = page(&out, "zh");
    let en = page(&out, "en");
    // Only the trademark clause changed: one clause shown, the others counted.
    assert_eq!(zh.matches(r#"class="clause-change "#).count(), 1);
    let others = cmp.old.clauses.len() - 1;
    assert!(visible_text(&zh).contains(&format!("其余{others}条条款未作修改")));
    assert!(visible_text(&en).contains(&format!("Clauses unchanged: {others}.")));
    assert!(zh.contains(r#"id="change-att-1-3-a""#));
    assert_eq!(
        changed_clauses(&cmp),
        [("att-1-3-a", ClauseChange::Changed)]
    );
    assert!(
        visible_text(&zh).contains("修改 一、（三）第1段"),
        "{}",
        visible_text(&zh)
    );

    // Each page holds both languages' redlines, its own language first: the figures struck and
    // inserted whole, with the words a screen reader hears, in the redline's own language.
    let zh_del = "〔删去：10万元〕";
    let en_del = "[deleted: RMB 100,000]";
    let zh_ins = "〔新增：20万元〕";
    let en_ins = "[inserted: RMB 200,000]";
    assert_eq!(elements(&zh, "del"), [zh_del, en_del]);
    assert_eq!(elements(&zh, "ins"), [zh_ins, en_ins]);
    assert_eq!(elements(&en, "del"), [en_del, zh_del]);
    assert_eq!(elements(&en, "ins"), [en_ins, zh_ins]);
    for html in [&zh, &en] {
        assert!(html.contains(
            r#"<del class="short"><span class="visually-hidden">〔删去：</span>10万元<span class="visually-hidden">〕</span></del><ins class="short"><span class="visually-hidden">〔新增：</span>20万元<span class="visually-hidden">〕</span></ins>。"#
        ));
    }
    // The other language's redline is marked as such.
    assert!(zh.contains(r#"<div class="redline-other" lang="en">"#));
    assert!(en.contains(r#"<div class="redline-other" lang="zh-Hans">"#));

    // The figures list: old → new, as the site writes money, linked to the subsidy.
    let zh_text = visible_text(&zh);
    assert!(
        zh_text.contains("商标国际注册费用扶持·每个申请主体上限：10万元 →改为 20万元"),
        "{zh_text}"
    );
    let en_text = visible_text(&en);
    assert!(
        en_text.contains(
            "International trademark registration · Cap per applicant: RMB 100,000 →changed to RMB 200,000"
        ),
        "{en_text}"
    );
    assert!(zh.contains(
        r#"href="../../../../../zh/documents/tzzb-2024-26/2026-01-01/attachment/#subsidy-trademark""#
    ));
    // Both versions are named by their dates and linked.
    assert!(en_text.contains(
        "The text in force from 1 January 2025 compared with the text in force from 1 January 2026."
    ));
    assert!(zh.contains(
        r#"<a href="../../../../../zh/documents/tzzb-2024-26/2025-01-01/">2025年1月1日</a>"#
    ));
}

#[test]
fn added_and_removed_clauses_in_document_order_with_text_escaped() {
    let c = content();
    let lib = Library::new(&c);
    let old = version(&lib, "2025-01-01");
    let mut new = version(&lib, "2026-01-01");
    // The patent clause goes; a clause quoting markup comes after the trademark clause.
    let removed = new
        .clauses
        .iter()
        .position(|cl| cl.id == "att-1-3-b")
        .unwrap();
    new.clauses.remove(removed);
    new.clauses.insert(
        removed,
        ClauseText {
            id: "att-1-3-new".into(),
            label: Text {
                zh: "一、（三）第4段".into(),
                en: "I.(3), paragraph 4".into(),
            },
            text: Text {
                zh: "申报材料含<附表>及“A&B”说明。".into(),
                en: "Applications include <Form 1> & a note.".into(),
            },
            path: format!("{}attachment/", new.path),
        },
    );
    let cmp = Comparison {
        old,
        new,
        figures: vec![],
    };
    let out = render(&c, &cmp);
    let en = page(&out, "en");
    let kinds: Vec<&str> = en
        .split(r#"<section class="clause-change "#)
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["removed", "added"],
        "the patent clause, then the new one"
    );
    // The same list, by id, for the links the clauses carry to this page.
    assert_eq!(
        changed_clauses(&cmp),
        [
            ("att-1-3-b", ClauseChange::Removed),
            ("att-1-3-new", ClauseChange::Added)
        ]
    );
    assert!(en.find("change-att-1-3-b") < en.find("change-att-1-3-new"));
    assert!(en.contains(
        r#"<ins><span class="visually-hidden">[inserted: </span>Applications include &lt;Form 1&gt; &amp; a note.<span class="visually-hidden">]</span></ins>"#
    ));
    assert!(!en.contains("<Form 1>"));
    let zh = page(&out, "zh");
    assert!(zh.contains("申报材料含&lt;附表&gt;及“A&amp;B”说明。"));
    assert!(
        elements(&zh, "del")[0].starts_with("〔删去：对取得产品外观"),
        "the removed clause is struck whole"
    );
    // No figures changed: no figures section.
    assert!(!en.contains("Changed figures"));
}

#[test]
fn every_changed_term_of_every_subsidy_is_listed_once() {
    let c = content();
    let before = subsidies(&c);
    let raised = Money::parse("200000").unwrap();
    // The trademark cap is raised, the independent-site rate lowered to 10%, and the patent
    // subsidy dropped; nothing else changes.
    let after: Vec<Subsidy> = before
        .iter()
        .filter(|s| s.id != "patent")
        .map(|s| match s.id.as_str() {
            "trademark" => with_cap(s.clone(), raised),
            "independent-site" => {
                let mut s = s.clone();
                if let Amount::Rate { rate, .. } = &mut s.amount {
                    *rate = Rate::parse("10%").unwrap();
                }
                s
            }
            _ => s.clone(),
        })
        .collect();
    let changes = figure_changes(
        &before.iter().collect::<Vec<_>>(),
        &after.iter().collect::<Vec<_>>(),
        subsidy_path,
    );
    let listed: Vec<(&str, &FigureField, Option<String>, Option<String>)> = changes
        .iter()
        .map(|f| {
            (
                f.subsidy_id.as_str(),
                &f.field,
                f.old.as_ref().map(|x| x.in_text(Lang::Zh)),
                f.new.as_ref().map(|x| x.in_text(Lang::Zh)),
            )
        })
        .collect();
    let applicant_cap = FigureField::Cap {
        per: CapScope::Applicant,
        instance: None,
    };
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        listed,
        [
            ("trademark", &applicant_cap, some("10万元"), some("20万元")),
            (
                "independent-site",
                &FigureField::Rate,
                some("20%"),
                some("10%")
            ),
            ("patent", &FigureField::Rate, some("50%"), None),
            ("patent", &applicant_cap, some("10万元"), None),
        ]
    );
    // A removed subsidy links to the old version, where it still is.
    assert!(changes[2].path.contains("2025-01-01"));
    assert!(changes[0].path.contains("2026-01-01"));
    // Figures are written as the text writes them, in English too.
    assert_eq!(
        changes[0].new.as_ref().unwrap().in_text(Lang::En),
        "RMB 200,000"
    );
    assert!(matches!(changes[0].old, Some(Figure::Money(_))));
}
