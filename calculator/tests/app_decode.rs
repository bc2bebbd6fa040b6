//! The browser app reads `rules.json` with its own small JSON reader and a hand-written decoder
//! (`src/app/json.rs`, `src/app/decode.rs`: serde's generic code was too large for the WASM
//! budget). The app is compiled for wasm32 only, so these two modules, which need nothing of the
//! browser, are compiled here natively and checked against serde: both must read the same rule
//! set, and JSON syntax must be handled as serde_json handles it.

// `decode.rs` names the crate's modules as `crate::…`: make them resolve here.
use calculator::{money, rules, ruleset, text};

#[path = "../src/app/json.rs"]
#[allow(dead_code)]
mod json;

#[path = "../src/app/decode.rs"]
#[allow(dead_code)]
mod decode;

use calculator::{Lang, RuleSet};

fn fixture() -> &'static str {
    include_str!("fixtures/rules.json")
}

#[test]
fn the_app_reads_the_rule_set_as_serde_does() {
    let by_serde: RuleSet = serde_json::from_str(fixture()).unwrap();
    let v = json::parse(fixture()).unwrap();
    let by_app = decode::rule_set(&v).unwrap();
    assert_eq!(by_app, by_serde);
}

#[test]
fn the_app_reads_the_generators_output_round_trip() {
    // serde_json's own writing (compact, escaped) of the same rule set.
    let rules: RuleSet = serde_json::from_str(fixture()).unwrap();
    for text in [
        serde_json::to_string(&rules).unwrap(),
        serde_json::to_string_pretty(&rules).unwrap(),
    ] {
        let back = decode::rule_set(&json::parse(&text).unwrap()).unwrap();
        assert_eq!(back, rules);
    }
}

#[test]
fn json_strings_and_escapes() {
    let v = json::parse(
        r#"{"a": "x\"y\\z\/\n\t\u00e9\u4e2d\ud83d\ude00", "b": [1, -2, 3.50, true, null]}"#,
    )
    .unwrap();
    assert_eq!(
        v.get("a").and_then(json::Value::as_str),
        Some("x\"y\\z/\n\té中😀")
    );
    let b = v.get("b").and_then(json::Value::as_array).unwrap();
    assert_eq!(b[2].as_str(), Some("3.50"), "numbers are kept as written");
    assert_eq!(b[3], json::Value::Bool(true));
    assert_eq!(b[4], json::Value::Null);
    // What the page's data block escapes so that no text can close the <script>.
    let v = json::parse(r#""\u003c/script\u003e \u0026""#).unwrap();
    assert_eq!(v.as_str(), Some("</script> &"));
}

#[test]
fn json_errors_are_positions_not_panics() {
    for bad in [
        "",
        "{",
        "[1,]",
        "{\"a\" 1}",
        "\"abc",
        "\"\\x\"",
        "\"\\ud83d\"",
        "tru",
        "{} x",
        "\"\u{1}\"",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]",
    ] {
        assert!(json::parse(bad).is_err(), "{bad:?} should be rejected");
    }
}

#[test]
fn a_broken_rule_set_names_the_field() {
    let mut v: serde_json::Value = serde_json::from_str(fixture()).unwrap();
    v["subsidies"][0]["subsidy"]["amount"]["kind"] = "percent".into();
    let err = decode::rule_set(&json::parse(&v.to_string()).unwrap()).unwrap_err();
    assert_eq!(err.0, "kind");
}

#[test]
fn the_page_data_block() {
    // The page carries the rule set itself: the app's first render must not wait for a fetch.
    let block = format!(
        r#"{{"lang":"en","rules":{},"words":{{"calc_yes":"Yes"}}}}"#,
        fixture()
    );
    let v = json::parse(&block).unwrap();
    let (lang, rules, words) = decode::page_data(&v).unwrap();
    assert_eq!(lang, Lang::En);
    let by_serde: RuleSet = serde_json::from_str(fixture()).unwrap();
    assert_eq!(rules, by_serde);
    assert_eq!(words.get("calc_yes").map(String::as_str), Some("Yes"));
}

#[test]
fn the_page_data_block_in_one_language() {
    // The page carries its own language only (a plain string where rules.json has both), and
    // leaves out members that are null: the app reads both forms to the same rule set, less
    // the other language.
    let by_serde: RuleSet = serde_json::from_str(fixture()).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(fixture()).unwrap();
    for s in v["subsidies"].as_array_mut().unwrap() {
        let zh = s["subsidy"]["name"]["zh"].clone();
        s["subsidy"]["name"] = zh;
        let sub = s["subsidy"].as_object_mut().unwrap();
        sub.retain(|_, x| !x.is_null());
    }
    let rules = decode::rule_set(&json::parse(&v.to_string()).unwrap()).unwrap();
    assert_eq!(rules.subsidies.len(), by_serde.subsidies.len());
    for (got, want) in rules.subsidies.iter().zip(&by_serde.subsidies) {
        assert_eq!(
            got.subsidy.name.get(Lang::Zh),
            want.subsidy.name.get(Lang::Zh)
        );
        assert_eq!(
            got.subsidy.name.get(Lang::En),
            want.subsidy.name.get(Lang::Zh)
        );
        assert_eq!(got.subsidy.reading, want.subsidy.reading);
        assert_eq!(got.subsidy.amount, want.subsidy.amount);
        assert_eq!(got.clause, want.clause);
    }
    // A text that is neither a string nor both languages is an error naming the member.
    v["subsidies"][0]["subsidy"]["name"] = serde_json::json!({"zh": "只有中文"});
    let err = decode::rule_set(&json::parse(&v.to_string()).unwrap()).unwrap_err();
    assert_eq!(err.0, "en");
}

#[test]
fn the_page_data_block_names_units_once_and_leaves_tasks_out() {
    // The page's compact form (generator/src/render/calculator.rs): each unit cited by its id
    // and named in the rule set's `units` table; no `tasks`. The same rule set, less the tasks.
    let by_serde: RuleSet = serde_json::from_str(fixture()).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(fixture()).unwrap();
    let mut table = serde_json::Map::new();
    let mut by_id = |list: &mut serde_json::Value| {
        for u in list.as_array_mut().unwrap() {
            table.insert(u["id"].as_str().unwrap().into(), u["name"].clone());
            *u = u["id"].clone();
        }
    };
    for s in v["subsidies"].as_array_mut().unwrap() {
        by_id(&mut s["text_units"]);
        by_id(&mut s["task_units"]);
        s.as_object_mut().unwrap().remove("tasks");
        // Members that are false, left out.
        let sub = s["subsidy"].as_object_mut().unwrap();
        sub.retain(|_, x| *x != serde_json::Value::Bool(false));
        if let Some(a) = sub.get_mut("amount").and_then(|a| a.as_object_mut()) {
            a.retain(|_, x| *x != serde_json::Value::Bool(false));
        }
    }
    by_id(&mut v["policy"]["implementing_units"]);
    v["units"] = table.into();
    let rules = decode::rule_set(&json::parse(&v.to_string()).unwrap()).unwrap();
    let mut want = by_serde.clone();
    for s in &mut want.subsidies {
        s.tasks.clear();
    }
    assert!(by_serde.subsidies.iter().any(|s| !s.tasks.is_empty()));
    assert!(by_serde.subsidies.iter().any(|s| !s.task_units.is_empty()));
    assert!(!v.to_string().contains("false"));
    assert_eq!(rules, want);
    // A unit cited by an id the table lacks is an error naming the table.
    v["subsidies"][0]["task_units"] = serde_json::json!(["no-such-unit"]);
    let err = decode::rule_set(&json::parse(&v.to_string()).unwrap()).unwrap_err();
    assert_eq!(err.0, "units");
}
