//! The calculator page, `/zh/calculator/` and `/en/calculator/`: the Yew app's first view,
//! rendered here by the app itself (`calculator::app::render_static`, Yew's server-side
//! rendering) so the form is in the HTML before the WASM arrives, which then renders the same
//! markup in its place (`calculator::app::start`); the JSON block that
//! gives the app its language, words and rule set (both renders read the same block); and the
//! worked examples of `content/examples.yaml`, shown statically so they read without
//! JavaScript, each with a link whose fragment loads it into the app.
//!
//! The examples are loaded and checked against the engine with the rest of the content
//! (`load::extras`): a worked example on the site is always what the calculator says.

use calculator::versions::{join_fragment, MANIFEST};
use calculator::{estimate, Applicant, Lang, LineStatus, RuleSet};
use serde_json::{json, Value};
use tera::Tera;

use super::{base, render, Output, RenderContext};
use crate::error::BuildError;
pub use crate::load::extras::{Example, Expected, ExpectedLine};
use crate::ruleset::VersionRules;

/// The page's directory below `/<lang>/`.
pub const PAGE: &str = "calculator/";

fn kind_key(a: Applicant) -> &'static str {
    match a {
        Applicant::Enterprise => "calc_kind_enterprise",
        Applicant::Organisation => "calc_kind_organisation",
        Applicant::TrainingInstitution => "calc_kind_training",
    }
}

/// The policy's versions as the page knows them: every version's rules are files of the site,
/// and only `current`'s (in force on the build date) is embedded in the page.
pub struct Embedded<'a> {
    /// Every version's rules and the index.
    pub versions: &'a VersionRules,
    /// The version in force on the build date: the rules the page embeds.
    pub current: &'a str,
    /// The build date, `YYYY-MM-DD`: the day the page's own render of the app speaks of.
    pub built: String,
}

/// The page's `versions` member: the index, the embedded version, and the rules folder's
/// manifest, relative to the page (`/<lang>/calculator/`). The rule sets are named by content
/// hash when the site is written ([`crate::fingerprint`]), which also rewrites the manifest's
/// path here to its hashed name; the app looks each version's file up in it. Small: dates and
/// one path.
fn versions_value(e: &Embedded) -> Value {
    let i = &e.versions.index;
    json!({
        "document": i.document,
        "expires": i.expires,
        "embedded": e.current,
        "built": e.built,
        "manifest": format!("../../{MANIFEST}"),
        "list": i.versions,
    })
}

/// The rule set as the page needs it, from its `rules.json` form: a text in both languages
/// (`{"en": …, "zh": …}`) becomes the page's language alone, a plain string, except a clause's
/// own `text`, which the app shows in the other language too (one click away); members that
/// are `null` or `false` are left out (the app reads an absent member as none, or false). The page downloads about
/// half the bytes, and the app's decoder (`calculator/src/app/decode.rs`) reads both forms.
fn for_page(v: Value, lang: Lang, key: &str) -> Value {
    match v {
        Value::Object(map) => {
            let bilingual = map.len() == 2
                && map.get("en").is_some_and(Value::is_string)
                && map.get("zh").is_some_and(Value::is_string);
            if bilingual && key != "text" {
                return map.get(lang.code()).cloned().unwrap_or(Value::Null);
            }
            Value::Object(
                map.into_iter()
                    .filter(|(_, x)| !x.is_null() && *x != Value::Bool(false))
                    .map(|(k, x)| {
                        let x = for_page(x, lang, &k);
                        (k, x)
                    })
                    .collect(),
            )
        }
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|x| for_page(x, lang, key)).collect())
        }
        other => other,
    }
}

/// The `calc_…` words that only the page's template uses (calculator.html: its introduction,
/// the worked examples, the messages around the app); the data block leaves them out, since
/// the app never reads them. A test (`generator/tests/calculator.rs`) checks that every word
/// the app's source names is in the block.
const PAGE_ONLY_WORDS: [&str; 8] = [
    "calc_example_open",
    "calc_examples",
    "calc_examples_intro",
    "calc_intro",
    "calc_loading",
    "calc_noscript",
    "calc_not_built",
    "calc_wasm_failed",
];

/// The page's rule set in fewer bytes than `rules.json`'s form, read back by the app's decoder
/// (`calculator/src/app/decode.rs`): each unit is named once, in a `units` table (`id` →
/// name), and cited by its id (the task units repeat the same seven names for most subsidies);
/// the action-plan tasks each subsidy serves are left out, as the app never shows them.
fn compact_for_page(mut rules: Value) -> Result<Value, BuildError> {
    let mut units = serde_json::Map::new();
    // Lists that are absent stay absent (the decoder reads them as it reads rules.json).
    let mut by_id = |list: Option<&mut Value>| -> Result<(), BuildError> {
        let Some(items) = list.and_then(Value::as_array_mut) else {
            return Ok(());
        };
        for u in items {
            let (Some(id), Some(name)) = (u["id"].as_str(), u.get("name")) else {
                return Err(BuildError::Output(format!(
                    "calculator data block: a unit without an id and a name: {u}"
                )));
            };
            let id = id.to_string();
            match units.get(&id) {
                Some(known) if known != name => {
                    return Err(BuildError::Output(format!(
                        "calculator data block: the unit {id} is named both {known} and {name}"
                    )))
                }
                Some(_) => {}
                None => {
                    units.insert(id.clone(), name.clone());
                }
            }
            *u = Value::String(id);
        }
        Ok(())
    };
    let Some(set) = rules.as_object_mut() else {
        return Ok(rules);
    };
    for s in set
        .get_mut("subsidies")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
    {
        by_id(s.get_mut("text_units"))?;
        by_id(s.get_mut("task_units"))?;
        s.remove("tasks");
    }
    if let Some(p) = set.get_mut("policy").and_then(Value::as_object_mut) {
        by_id(p.get_mut("implementing_units"))?;
        by_id(p.get_mut("scope_units"))?;
    }
    set.insert("units".into(), Value::Object(units));
    Ok(rules)
}

/// An object as JSON text with the members named in `first` first, in that order, then the
/// others in serde_json's (alphabetical) order. The app's reader takes members in any order.
fn ordered(v: &Value, first: &[&str]) -> String {
    let Some(map) = v.as_object() else {
        return v.to_string();
    };
    let members = first
        .iter()
        .filter_map(|k| map.get_key_value(*k))
        .chain(map.iter().filter(|(k, _)| !first.contains(&k.as_str())))
        .map(|(k, x)| format!("{}:{x}", Value::String(k.clone())))
        .collect::<Vec<_>>();
    format!("{{{}}}", members.join(","))
}

/// The JSON the app reads from `#calculator-data`, safe inside `<script>`: `<`, `>` and `&`
/// are written as JSON escapes, so no text can close the element. It carries the rule set
/// (as `rules.json` does, in the page's language: [`for_page`], and compacted:
/// [`compact_for_page`]) so that the app's first render in the browser needs no request and
/// is the render made here.
fn data_block(
    ctx: &RenderContext,
    rules: &RuleSet,
    versions: &Embedded,
    lang: Lang,
) -> Result<String, BuildError> {
    let words: serde_json::Map<String, Value> = ctx
        .content
        .strings
        .iter()
        .filter(|(k, _)| k.starts_with("calc_") && !PAGE_ONLY_WORDS.contains(&k.as_str()))
        .map(|(k, t)| (k.clone(), json!(t.get(lang))))
        .collect();
    let rules = serde_json::to_value(rules).map_err(|source| BuildError::Json {
        what: "the rule set",
        source,
    })?;
    let rules = compact_for_page(for_page(rules, lang, ""))?;
    // Members in the order that compresses best after the markup above the block (gzip only
    // looks 32 KB back): the words, which the built form and the examples repeat, first; the
    // long subsidies last.
    let rules = ordered(
        &rules,
        &[
            "units",
            "places",
            "document",
            "policy",
            "version",
            "subsidies",
        ],
    );
    let members = [
        ("words", Value::Object(words).to_string()),
        ("lang", json!(lang.code()).to_string()),
        ("versions", versions_value(versions).to_string()),
        ("rules", rules),
    ];
    let data = members
        .iter()
        .map(|(k, v)| format!("\"{k}\":{v}"))
        .collect::<Vec<_>>()
        .join(",");
    let data = format!("{{{data}}}");
    Ok(data
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026"))
}

/// Yew's server render writes a boolean attribute as `selected="selected"`; the site's markup
/// style (html-validate's `attribute-boolean-style`) writes it bare. The browser reads both the
/// same, and the app's takeover replaces this markup rather than reading it. Yew escapes `"` in attribute values, and no text of the
/// app reads ` checked="checked"`, so only attributes match.
fn boolean_attributes(html: &str) -> String {
    ["selected", "checked", "disabled", "hidden", "open"]
        .iter()
        .fold(html.to_string(), |h, a| {
            h.replace(&format!(r#" {a}="{a}""#), &format!(" {a}"))
        })
}

/// The calculator with this subsidy chosen, below `/<lang>/` (an "estimate this" link), for an
/// applicant type the clause pays; `None` for a measure no applicant claims. The place is left
/// unanswered: the calculator asks for it.
pub fn estimate_link(sub: &::calculator::Subsidy) -> Option<String> {
    if sub.not_claimed.is_some() {
        return None;
    }
    let scenario = ::calculator::Scenario {
        applicant: ::calculator::Profile {
            kind: sub.applicant.unwrap_or(::calculator::Applicant::Enterprise),
            place: String::new(),
            dishonest: false,
        },
        claims: vec![::calculator::Claim {
            subsidy: sub.id.clone(),
            instances: Vec::new(),
            other_award: None,
        }],
    };
    Some(format!("{PAGE}#{}", scenario.to_fragment()))
}

/// One example as the page shows it, in one language.
fn example_value(ctx: &RenderContext, v: &Embedded, ex: &Example, lang: Lang) -> Value {
    let word = |k: &str| super::s(ctx.content, k, lang);
    // The version the example is computed under (checked to exist by `check_examples`).
    let version = ex
        .version
        .map(|d| d.iso())
        .unwrap_or_else(|| v.current.to_string());
    let Some(rules) = v.versions.get(&version) else {
        return Value::Null;
    };
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
            // A line with no amount says why once: as its amount (no amount set), or as its
            // tag with the ceiling beside it (conditions still to be set), not again below.
            let (amount, formula) = match (want.amount, got.status, got.ceiling) {
                (Some(m), _, _) => (m.display(lang), got.formula.get(lang).to_string()),
                (None, LineStatus::ConditionsPending, Some(c)) => (
                    format!("{}{}", word("calc_up_to"), c.display(lang)),
                    got.formula.get(lang).to_string(),
                ),
                (None, LineStatus::NotSet, _) => (word("calc_not_set"), String::new()),
                (None, _, _) => (got.formula.get(lang).to_string(), String::new()),
            };
            json!({
                "name": got.name.get(lang),
                "amount": amount,
                // The status tag, except where the amount already says it.
                "tagged": !matches!(got.status, LineStatus::Counted | LineStatus::NotSet),
                "status": word(got.status.word_key()),
                "formula": formula,
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
        "version": word("calc_version_of").replace("{date}", &version),
        "fragment": join_fragment(&version, &ex.scenario.to_fragment()),
    })
}

/// Renders `/zh/calculator/` and `/en/calculator/`, embedding `rules` (the version in force on
/// the build date) and the index of every version. `wasm`: the app is part of this build
/// (otherwise the page says so instead of "loading").
pub fn render_calculator(
    tera: &Tera,
    ctx: &RenderContext,
    rules: &RuleSet,
    versions: &Embedded,
    wasm: bool,
) -> Result<Output, BuildError> {
    let examples = &ctx.content.examples.entries;
    let mut out = Output::new();
    for lang in Lang::ALL {
        let mut m = base(ctx, lang, PAGE);
        m.insert(
            "title".into(),
            json!(super::s(ctx.content, "nav_calculator", lang)),
        );
        let data = data_block(ctx, rules, versions, lang)?;
        // The app's own first view; the WASM renders exactly this markup in its place.
        let app = calculator::app::render_static(&data)
            .map_err(|e| BuildError::Output(format!("{}/{PAGE}: {e}", lang.code())))?;
        m.insert("app".into(), json!(boolean_attributes(&app)));
        m.insert("data".into(), json!(data));
        m.insert("wasm".into(), json!(wasm));
        m.insert(
            "examples".into(),
            json!(examples
                .iter()
                .map(|ex| example_value(ctx, versions, ex, lang))
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
