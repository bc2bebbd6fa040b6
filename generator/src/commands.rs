//! The `rules` and `estimate` commands: the engine on the command line, reading the rule set
//! built from `content/` exactly as the browser reads `rules.json`.

use std::path::Path;

use calculator::ruleset::RuleSet;
use calculator::{Amount, Lang, Scenario};

use crate::error::{BuildError, ScenarioError};
use crate::load::{parse_yaml, SourceFile};

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

/// Runs a scenario through the engine and formats the estimate.
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
    let input_errors = e
        .errors
        .iter()
        .map(|err| format!("{}: {}", err.path, err.text().get(lang)))
        .collect();
    Ok(EstimateOutput { text, input_errors })
}
