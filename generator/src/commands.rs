//! The `rules` and `estimate` commands: the engine on the command line, reading the rule set
//! built from `content/` exactly as the browser reads `rules.json`.

use std::path::Path;

use calculator::ruleset::RuleSet;
use calculator::versions::{change_line, compare, signed, Comparison, Standing};
use calculator::{Amount, Lang, Scenario};

use crate::error::{BuildError, ScenarioError};
use crate::load::{parse_yaml, Content, SourceFile};
use crate::model::Date;
use crate::ruleset::VersionRules;

/// Output format of `estimate` (`--format text|json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable breakdown.
    Text,
    /// The whole estimate as JSON.
    Json,
}

/// Loads and validates `content/` and builds its rule set, its readings as plain text.
pub fn ruleset(content: &Path) -> Result<RuleSet, BuildError> {
    let c = crate::load_valid(content)?;
    let mut rules = crate::ruleset::build_ruleset(&crate::library::Library::new(&c))?;
    crate::ruleset::readings_as_plain(&mut rules);
    Ok(rules)
}

/// Loads and validates `content/` and builds the rule set of every version of the featured
/// document, with the interface words that say which version an estimate used.
pub fn version_rules(content: &Path) -> Result<(Content, VersionRules), BuildError> {
    let c = crate::load_valid(content)?;
    let v = crate::ruleset::build_version_rules(&c)?;
    Ok((c, v))
}

/// Which version an estimate uses (`--date` or `--version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionChoice {
    /// The version in force on this day (China time).
    Date(Date),
    /// The version taking effect on this date.
    Version(Date),
}

/// The version an estimate uses and where it stands on the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    /// The version's date.
    pub version: String,
    /// The day: the `--date`, else today.
    pub day: String,
    /// Where the version stands on the day.
    pub standing: Standing,
}

/// Today's date in China (UTC+8), from `SOURCE_DATE_EPOCH` when set, else the clock: the day a
/// plain `estimate` is made for, as the browser's default is the reader's date in China.
pub fn today_in_china() -> Date {
    Date::from_unix(crate::now_secs() + 8 * 3600)
}

/// Chooses the version: the one in force on `--date`, or `--version` itself (which must be a
/// version's date), or the one in force on `today`.
pub fn choose(
    v: &VersionRules,
    choice: Option<VersionChoice>,
    today: Date,
) -> Result<Chosen, BuildError> {
    let i = &v.index;
    let (version, day) = match choice {
        Some(VersionChoice::Version(d)) => {
            let d = d.iso();
            if i.get(&d).is_none() {
                return Err(BuildError::Usage(format!(
                    "--version {d}: `{}` has no version taking effect on that date; its versions are {}",
                    i.document,
                    i.versions.join(", ")
                )));
            }
            (d, today.iso())
        }
        Some(VersionChoice::Date(d)) => (i.on(&d.iso()).unwrap_or_default().to_string(), d.iso()),
        None => (
            i.on(&today.iso()).unwrap_or_default().to_string(),
            today.iso(),
        ),
    };
    if version.is_empty() {
        return Err(BuildError::Usage(format!(
            "`{}` has no version to estimate with",
            i.document
        )));
    }
    Ok(Chosen {
        standing: i.standing(&version, &day),
        version,
        day,
    })
}

/// An interface word from `strings.yaml` in `lang`; the key itself where the word is missing,
/// so that a gap shows in the output rather than an empty space.
fn word(c: &Content, key: &str, lang: Lang) -> String {
    c.strings
        .get(key)
        .map(|t| t.get(lang).to_string())
        .unwrap_or_else(|| key.to_string())
}

/// The line that heads an estimate: the version it used and where that version stands on the
/// day, in the words the calculator page uses.
pub fn version_line(c: &Content, v: &VersionRules, chosen: &Chosen, lang: Lang) -> String {
    let w = |k: &str| word(c, k, lang);
    let name = |d: &str| w("calc_version_of").replace("{date}", d);
    w(chosen.standing.word_key())
        .replace("{version}", &name(&chosen.version))
        .replace("{day}", &chosen.day)
        .replace("{expires}", &v.index.expires)
        .replace("{next}", v.index.next(&chosen.version).unwrap_or_default())
}

/// The scenario under the previous version and under the chosen one; `None` for the first.
pub fn comparison(v: &VersionRules, chosen: &Chosen, scenario: &Scenario) -> Option<Comparison> {
    let prev = v.index.previous(&chosen.version)?;
    let old = calculator::estimate(v.get(prev)?, scenario);
    let new = calculator::estimate(v.get(&chosen.version)?, scenario);
    Some(compare(prev, &old, &chosen.version, &new))
}

/// A comparison as text: each line's old and new amount and the difference.
pub fn comparison_text(c: &Content, cmp: &Comparison, lang: Lang) -> String {
    let w = |k: &str| word(c, k, lang);
    let name = |d: &str| w("calc_version_of").replace("{date}", d);
    let none = w("calc_compare_none");
    let money = |m: Option<calculator::Money>| m.map(|m| m.display(lang)).unwrap_or(none.clone());
    let mut out = format!(
        "{}
",
        w("calc_compare_caption")
            .replace("{old}", &name(&cmp.old_version))
            .replace("{new}", &name(&cmp.new_version))
    );
    let colon = w("calc_compare_colon");
    // The app's lines, word for word (`change_line`).
    for l in &cmp.lines {
        let diff = l.difference().map(|d| signed(d, lang)).unwrap_or_default();
        let line = change_line(
            l.name.get(lang),
            &colon,
            &money(l.old),
            &money(l.new),
            &diff,
            lang,
        );
        out.push_str(&format!("  {line}\n"));
    }
    let total = change_line(
        &w("calc_compare_total"),
        &colon,
        &cmp.old_total.display(lang),
        &cmp.new_total.display(lang),
        &signed(cmp.difference(), lang),
        lang,
    );
    out.push_str(&format!("  {total}\n"));
    out
}

/// Every subsidy id with who may claim it and the inputs a scenario gives it.
pub fn list_rules(rules: &RuleSet, lang: Lang) -> String {
    let mut out = format!(
        "{} · {}\n\n",
        rules.document.number.get(lang),
        rules.version
    );
    for r in &rules.subsidies {
        let s = &r.subsidy;
        let inputs = match &s.amount {
            Amount::Rate {
                base, threshold, ..
            } => {
                let mut v = vec![format!("{} ({})", base.id, base.name.get(lang))];
                if let Some(t) = threshold {
                    v.push(format!("{} ({})", t.id, t.name.get(lang)));
                }
                v.join(", ")
            }
            Amount::CapOnly { base: Some(b), .. } => format!("{} ({})", b.id, b.name.get(lang)),
            Amount::CapOnly { base: None, .. } => "—".into(),
            Amount::Fixed { condition, .. } => format!("met ({})", condition.get(lang)),
            Amount::NotSet => "— (amount not set)".into(),
        };
        let applicant = serde_json::to_value(s.applicant)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<24} {}\n{:<24} applicant: {applicant}; inputs: {inputs}{}; clause: {}\n",
            s.id,
            s.name.get(lang),
            "",
            s.instance
                .as_ref()
                .map(|i| format!(" (one instance per {})", i.get(lang)))
                .unwrap_or_default(),
            r.clause.label.get(lang),
        ));
    }
    out
}

/// Reads a scenario file (YAML or JSON), naming the file and line on a mistake.
pub fn read_scenario(path: &Path) -> Result<Scenario, ScenarioError> {
    // A missing or unreadable file is said as such; an existing one is read within the same
    // limits as content (a regular file, not a pipe or device, of bounded size), so
    // `estimate /dev/zero` is refused at once instead of reading forever.
    std::fs::metadata(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text =
        crate::load::limits::read_bounded(path, path).map_err(|error| ScenarioError::Invalid {
            path: path.to_path_buf(),
            error,
        })?;
    let file = SourceFile {
        path: path.to_path_buf(),
        text,
    };
    parse_yaml(&file).map_err(|error| ScenarioError::Invalid {
        path: path.to_path_buf(),
        error,
    })
}

/// What `estimate` prints, and how many of the scenario's inputs could not be used.
#[derive(Debug, Clone)]
pub struct EstimateOutput {
    /// The estimate, formatted.
    pub text: String,
    /// Inputs with an error: the command then exits non-zero, since the totals leave those
    /// lines out.
    pub input_errors: Vec<String>,
}

impl EstimateOutput {
    /// The formatted estimate with the estimate's input errors, each as `path: message`.
    fn new(text: String, e: &calculator::Estimate, lang: Lang) -> Self {
        let input_errors = e
            .errors
            .iter()
            .map(|err| format!("{}: {}", err.path, err.text().get(lang)))
            .collect();
        EstimateOutput { text, input_errors }
    }
}

/// Runs a scenario through the engine under the chosen version and formats the estimate,
/// headed by the version it used; `compare`: also the comparison with the previous version.
/// JSON: the estimate's members, with `policy_version` (version, day, standing) and
/// `comparison` added.
pub fn estimate_under(
    c: &Content,
    v: &VersionRules,
    chosen: &Chosen,
    scenario: &Scenario,
    compare_previous: bool,
    format: Format,
    lang: Lang,
) -> Result<EstimateOutput, BuildError> {
    let rules = v
        .get(&chosen.version)
        .ok_or_else(|| BuildError::Usage(format!("no rules for the version {}", chosen.version)))?;
    let e = calculator::estimate(rules, scenario);
    let cmp = if compare_previous {
        comparison(v, chosen, scenario)
    } else {
        None
    };
    let text = match format {
        Format::Json => {
            let json_err = |source| BuildError::Json {
                what: "the estimate",
                source,
            };
            let mut value = serde_json::to_value(&e).map_err(json_err)?;
            if let Some(o) = value.as_object_mut() {
                o.insert(
                    "policy_version".into(),
                    serde_json::json!({
                        "version": chosen.version,
                        "day": chosen.day,
                        "standing": chosen.standing,
                        "expires": v.index.expires,
                    }),
                );
                if compare_previous {
                    o.insert(
                        "comparison".into(),
                        serde_json::to_value(&cmp).map_err(json_err)?,
                    );
                }
            }
            serde_json::to_string_pretty(&value).map_err(json_err)?
        }
        Format::Text => {
            let mut t = format!(
                "{}\n\n{}",
                version_line(c, v, chosen, lang),
                calculator::render_text(&e, lang)
            );
            if let Some(cmp) = &cmp {
                if !t.ends_with('\n') {
                    t.push('\n');
                }
                t.push('\n');
                t.push_str(&comparison_text(c, cmp, lang));
            }
            t
        }
    };
    Ok(EstimateOutput::new(text, &e, lang))
}

/// Runs a scenario through the engine with one rule set and formats the estimate, without a
/// version heading (the fuzz tests' entry point; `estimate` on the command line uses
/// [`estimate_under`]).
pub fn estimate(
    rules: &RuleSet,
    scenario: &Scenario,
    format: Format,
    lang: Lang,
) -> Result<EstimateOutput, BuildError> {
    let e = calculator::estimate(rules, scenario);
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&e).map_err(|source| BuildError::Json {
            what: "the estimate",
            source,
        })?,
        Format::Text => calculator::render_text(&e, lang),
    };
    Ok(EstimateOutput::new(text, &e, lang))
}
