//! The calculator page, `/zh/calculator/` and `/en/calculator/`: the mount point of the
//! Yew/WASM app, the JSON block that gives it its language and words, and the worked examples
//! of `content/examples.yaml`, shown statically so they read without JavaScript, each with a
//! link whose fragment loads it into the app.
//!
//! The examples were computed by hand from the clause text; the build runs each one through the
//! engine with the rule set it has just built and stops, naming the example, if the engine does
//! not give the hand-computed result. A worked example on the site is therefore always what the
//! calculator says.

use calculator::{estimate, Applicant, Estimate, Lang, LineStatus, Money, RuleSet, Scenario, Text};
use serde::Deserialize;
use serde_json::{json, Value};
use tera::Tera;

use super::{base, render, Output, RenderContext};
use crate::error::{BuildError, ContentError};
use crate::load::{parse_yaml, read_file, SourceFile};

/// The page's directory below `/<lang>/`.
pub const PAGE: &str = "calculator/";
/// The worked examples' file, in the content folder.
pub const EXAMPLES: &str = "examples.yaml";

/// One worked example: a scenario and its hand-computed result.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// The anchor of the example on the page.
    pub id: String,
    /// What the example is about.
    pub title: Text,
    /// The scenario, as `estimate SCENARIO.yaml` reads it.
    pub scenario: Scenario,
    /// The result computed by hand.
    pub expected: Expected,
}

/// The hand-computed result of an example.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// One per claim, in order.
    pub lines: Vec<ExpectedLine>,
    /// The city total.
    pub city_total: Money,
    /// The total kept out of the city total (a county applicant).
    pub reference_total: Money,
}

/// One expected line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedLine {
    /// The subsidy id.
    pub subsidy: String,
    /// The line status, as the engine's JSON writes it (`counted`, `not-set`, …).
    pub status: String,
    /// The amount; `None` where the policy sets no amount.
    pub amount: Option<Money>,
}

/// Reads `examples.yaml` and checks every example against the engine. A missing file means no
/// examples (a bare copy of the content still builds).
pub fn load_examples(ctx: &RenderContext, rules: &RuleSet) -> Result<Vec<Example>, BuildError> {
    let root = &ctx.content.root;
    if !root.join(EXAMPLES).exists() {
        return Ok(Vec::new());
    }
    let file = read_file(root, EXAMPLES)?;
    let examples: Vec<Example> = parse_yaml(&file)?;
    let mut errors = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (k, ex) in examples.iter().enumerate() {
        // The id is the example's anchor on the page and its link's fragment.
        if let Some(e) =
            crate::validate::ids::check_id(&file, "id", &ex.id, format!("[{k}].id"), "example")
        {
            errors.push(e);
            continue;
        }
        if !seen.insert(ex.id.as_str()) {
            errors.push(file.error_at(
                Some(&ex.id),
                "id:",
                "id",
                format!("two examples share the id `{}`: ids must be unique", ex.id),
            ));
        }
        for lang in ex.title.missing() {
            errors.push(file.error_at(
                Some(&ex.id),
                "title",
                "title",
                format!("the title lacks its `{}` text", lang.code()),
            ));
        }
        errors.extend(check(&file, ex, &estimate(rules, &ex.scenario)));
    }
    if errors.is_empty() {
        Ok(examples)
    } else {
        Err(BuildError::Content(errors))
    }
}

/// The differences between an example's hand computation and the engine's result.
fn check(file: &SourceFile, ex: &Example, e: &Estimate) -> Vec<ContentError> {
    let err = |field: String, msg: String| {
        file.error_at(
            Some(&ex.id),
            "expected",
            field,
            format!(
                "example `{}`: {msg} (the worked examples are computed by hand from the clause \
                 text: recompute this one for the changed rules)",
                ex.id
            ),
        )
    };
    let mut out = Vec::new();
    for i in &e.errors {
        out.push(err(
            format!("scenario.{}", i.path),
            format!(
                "the scenario has an input error: {}",
                i.kind.message(Lang::En)
            ),
        ));
    }
    if e.lines.len() != ex.expected.lines.len() {
        out.push(err(
            "expected.lines".into(),
            format!(
                "{} expected lines for {} claims",
                ex.expected.lines.len(),
                e.lines.len()
            ),
        ));
    }
    for (k, (got, want)) in e.lines.iter().zip(&ex.expected.lines).enumerate() {
        let status = status_code(got.status);
        if got.subsidy != want.subsidy || status != want.status || got.amount != want.amount {
            out.push(err(
                format!("expected.lines[{k}]"),
                format!(
                    "expected {} {} {}, but the rules give {} {} {}",
                    want.subsidy,
                    want.status,
                    shown(want.amount),
                    got.subsidy,
                    status,
                    shown(got.amount)
                ),
            ));
        }
    }
    for (field, want, got) in [
        ("city_total", ex.expected.city_total, e.city_total),
        (
            "reference_total",
            ex.expected.reference_total,
            e.reference_total,
        ),
    ] {
        if want != got {
            out.push(err(
                format!("expected.{field}"),
                format!(
                    "expected {field} {}, but the rules give {}",
                    want.0.normalize(),
                    got.0.normalize()
                ),
            ));
        }
    }
    out
}

fn shown(m: Option<Money>) -> String {
    m.map_or_else(|| "null".into(), |m| m.0.normalize().to_string())
}

/// The status as the engine's JSON writes it (`other-award-higher`).
fn status_code(s: LineStatus) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn kind_key(a: Applicant) -> &'static str {
    match a {
        Applicant::Enterprise => "calc_kind_enterprise",
        Applicant::Organisation => "calc_kind_organisation",
        Applicant::TrainingInstitution => "calc_kind_training",
    }
}

/// The JSON the app reads from `#calculator-data`, safe inside `<script>`: `<`, `>` and `&`
/// are written as JSON escapes, so no text can close the element.
fn data_block(ctx: &RenderContext, lang: Lang) -> String {
    let words: serde_json::Map<String, Value> = ctx
        .content
        .strings
        .iter()
        .filter(|(k, _)| k.starts_with("calc_"))
        .map(|(k, t)| (k.clone(), json!(t.get(lang))))
        .collect();
    let data = json!({
        "lang": lang.code(),
        "rules": "../../rules.json",
        "words": words,
    });
    data.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// One example as the page shows it, in one language.
fn example_value(ctx: &RenderContext, rules: &RuleSet, ex: &Example, lang: Lang) -> Value {
    let word = |k: &str| super::s(ctx.content, k, lang);
    let e = estimate(rules, &ex.scenario);
    let sep = if lang == Lang::Zh { "，" } else { ", " };
    let place = e
        .place
        .as_ref()
        .map(|p| p.name.get(lang).to_string())
        .unwrap_or_else(|| word("calc_place_unknown"));
    let mut who = format!("{}{sep}{place}", word(kind_key(ex.scenario.applicant.kind)));
    if ex.scenario.applicant.dishonest {
        who.push_str(sep);
        who.push_str(&word("calc_dishonest_yes"));
    }
    let lines: Vec<Value> = e
        .lines
        .iter()
        .zip(&ex.expected.lines)
        .map(|(got, want)| {
            json!({
                "name": got.name.get(lang),
                "amount": want.amount.map_or_else(|| word("calc_not_set"), |m| m.display(lang)),
                "counted": got.status == LineStatus::Counted,
                "status": word(got.status.word_key()),
                "formula": got.formula.get(lang),
            })
        })
        .collect();
    json!({
        "id": ex.id,
        "title": ex.title.get(lang),
        "who": who,
        "lines": lines,
        "city_total": ex.expected.city_total.display(lang),
        "reference_total": ex.expected.reference_total.display(lang),
        "show_reference": e.reference_only || !ex.expected.reference_total.0.is_zero(),
        "fragment": ex.scenario.to_fragment(),
    })
}

/// Renders `/zh/calculator/` and `/en/calculator/`. `wasm`: the app is part of this build
/// (otherwise the page says so instead of "loading").
pub fn render_calculator(
    tera: &Tera,
    ctx: &RenderContext,
    rules: &RuleSet,
    wasm: bool,
) -> Result<Output, BuildError> {
    let examples = load_examples(ctx, rules)?;
    let mut out = Output::new();
    for lang in Lang::ALL {
        let mut m = base(ctx, lang, PAGE);
        m.insert(
            "title".into(),
            json!(super::s(ctx.content, "nav_calculator", lang)),
        );
        m.insert("data".into(), json!(data_block(ctx, lang)));
        m.insert("wasm".into(), json!(wasm));
        m.insert(
            "examples".into(),
            json!(examples
                .iter()
                .map(|ex| example_value(ctx, rules, ex, lang))
                .collect::<Vec<_>>()),
        );
        let html = render(tera, "calculator.html", &Value::Object(m))?;
        out.insert(
            format!("{}/{PAGE}index.html", lang.code()),
            html.into_bytes(),
        );
    }
    Ok(out)
}
