//! Stage 4, the rule set: the subsidies with their clauses and units, as the engine and the
//! browser app read them (`dist/rules.json`). A rule change reaches the calculator this way,
//! by rebuilding, without touching Rust.
//!
//! One rule set per version of the featured document ([`build_version_rules`]): the
//! calculator page embeds the version in force on the build date and fetches another from
//! `rules/<document>/<date>.json` when the reader's date or choice needs it (under its
//! content-hashed name, found through the folder's manifest: [`crate::fingerprint`]).

use calculator::ruleset::{
    ClauseRef, DocumentInfo, Place, PolicyClauses, RuleSet, SubsidyRule, TaskRef, UnitRef,
};
use calculator::versions::VersionIndex;
use calculator::{Lang, Text};

use crate::documents::Body;
use crate::error::{BuildError, ContentError};
use crate::library::Library;
use crate::load::Content;
use crate::markdown::{self, Anchors, LinkBase};
use crate::model::{PolicyRule, ResponsibleUnit};
use crate::validate::rule_texts;

/// The attachment's page directory, where clause anchors live.
const ATTACHMENT_PAGE: &str = "attachment";

/// Builds the rule set from validated content, through its derived library. The readings are
/// left as written, in Markdown: [`readings_as_html`] or [`readings_as_plain`] says how they
/// are shown.
pub fn build_ruleset(lib: &Library) -> Result<RuleSet, BuildError> {
    let c = lib.content;
    let d = &c.document;
    let unit_ref = |u: &ResponsibleUnit| UnitRef {
        id: u.id.clone(),
        name: u.name.clone(),
    };
    let word = lib.attachment_word();
    let mut subsidies = Vec::new();
    for ni in lib.items() {
        let item = ni.item;
        let label = ni.label(&word);
        for cl in &item.clauses {
            let Some(sub) = &cl.subsidy else { continue };
            subsidies.push(SubsidyRule {
                subsidy: sub.clone(),
                clause: ClauseRef {
                    id: cl.id.clone(),
                    page: ATTACHMENT_PAGE.into(),
                    label: label.clone(),
                    text: cl.text.clone(),
                },
                text_units: lib.units_of(&item.units).map(unit_ref).collect(),
                task_units: lib.units_of(&ni.task_units).map(unit_ref).collect(),
                tasks: lib
                    .served_tasks(item)
                    .map(|t| TaskRef {
                        id: t.task.id.clone(),
                        label: Text {
                            zh: format!("{}{}", t.number(), t.task.title.zh),
                            en: format!("{} {}", t.number(), t.task.title.en),
                        },
                    })
                    .collect(),
            });
        }
    }
    let rule = |r: PolicyRule| -> Result<ClauseRef, BuildError> {
        let (id, text) = rule_texts(c, r).into_iter().next().ok_or_else(|| {
            ContentError::new(&d.attachment_file.path, "a general rule is missing").field("rule")
        })?;
        let label = lib
            .item_holding(&id)
            .map(|i| i.label(&word))
            .unwrap_or_default();
        Ok(ClauseRef {
            id,
            page: ATTACHMENT_PAGE.into(),
            label,
            text,
        })
    };
    let implementing = rule(PolicyRule::ImplementingRules)?;
    let scope = rule(PolicyRule::Scope)?;
    // The units the item holding a general clause names.
    let item_units = |clause: &ClauseRef| -> Vec<UnitRef> {
        lib.item_holding(&clause.id)
            .map(|i| lib.units_of(&i.item.units).map(unit_ref).collect())
            .unwrap_or_default()
    };
    let implementing_units = item_units(&implementing);
    let scope_units = item_units(&scope);
    let m = &d.meta;
    let expires = m.effective.end_of_term(m.validity_years);
    Ok(RuleSet {
        version: version(c),
        document: DocumentInfo {
            number: m.number.clone(),
            title: d.plan.title.clone(),
            issued: m.issued.iso(),
            effective: m.effective.iso(),
            expires: expires.iso(),
            validity: Text {
                zh: format!(
                    "自{}起施行，有效期{}年（至{}）",
                    m.effective.long(Lang::Zh),
                    m.validity_years,
                    expires.long(Lang::Zh)
                ),
                en: format!(
                    "in force from {} for {} years (to {})",
                    m.effective.long(Lang::En),
                    m.validity_years,
                    expires.long(Lang::En)
                ),
            },
        },
        subsidies,
        places: c
            .places
            .iter()
            .map(|p| Place {
                id: p.id.clone(),
                name: p.name.clone(),
                kind: p.kind,
            })
            .collect(),
        policy: PolicyClauses {
            eligibility: rule(PolicyRule::Eligibility)?,
            scope,
            no_stacking: rule(PolicyRule::NoStacking)?,
            implementing_rules: implementing,
            implementing_units,
            scope_units,
        },
    })
}

/// The readings as the browser app shows them: Markdown rendered and sanitised to HTML here, at
/// build time, so the WASM carries no Markdown parser and inserts them as they are. Their
/// `#<id>` links are written from the calculator page, as the app writes its clause links
/// (`../attachment/#att-1-3`), which also holds for `rules.json` read beside it.
pub fn readings_as_html(rules: &mut RuleSet, c: &Content) {
    let anchors = Anchors::new(c);
    let base = LinkBase {
        anchors: &anchors,
        prefix: "../".into(),
        here: None,
    };
    for r in &mut rules.subsidies {
        if let Some(reading) = &mut r.subsidy.reading {
            *reading = markdown::text_to_html(reading, &base);
        }
    }
}

/// The readings as plain text, without their Markdown, for the command line.
pub fn readings_as_plain(rules: &mut RuleSet) {
    for r in &mut rules.subsidies {
        if let Some(reading) = &mut r.subsidy.reading {
            *reading = markdown::text_to_plain(reading);
        }
    }
}

/// The rule-set version: the document number, its date, and a digest of the attachment's
/// rules, so a printed estimate names exactly the rules it used.
fn version(c: &Content) -> String {
    // FNV-1a: stable across platforms and Rust versions, unlike the std hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in c.document.attachment_file.text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{}-{:08x}", c.document.meta.issued.iso(), h >> 32)
}

/// The rule set of every version of the featured document, with the index the calculator
/// reads: each is written as its own file (`rules/<document>/<date>.json`), so the calculator
/// page embeds only the version in force on the build date and fetches another on request.
#[derive(Debug, Clone)]
pub struct VersionRules {
    /// The document's versions and when the last one expires.
    pub index: VersionIndex,
    /// Each version's rule set, by the date it takes effect, oldest first.
    pub rules: Vec<(String, RuleSet)>,
}

impl VersionRules {
    /// The rule set of the version taking effect on `date`.
    pub fn get(&self, date: &str) -> Option<&RuleSet> {
        self.rules.iter().find(|(d, _)| d == date).map(|(_, r)| r)
    }

    /// The files of the rule sets and of the index, by path under `dist/`.
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
        let json = |what: &'static str, v: serde_json::Result<Vec<u8>>| {
            v.map_err(|source| BuildError::Json { what, source })
        };
        let doc = &self.index.document;
        let mut out = vec![(
            calculator::versions::index_path(doc),
            json("the version index", serde_json::to_vec(&self.index))?,
        )];
        for (date, rules) in &self.rules {
            out.push((
                calculator::versions::rules_path(doc, date),
                json("a version's rule set", serde_json::to_vec(rules))?,
            ));
        }
        Ok(out)
    }
}

/// Builds the rule set of every version of the featured document (an action plan: its
/// attachment holds the subsidies). Each version's expiry is the document's (`expires` in its
/// entry, else the first version's term).
pub fn build_version_rules(c: &Content) -> Result<VersionRules, BuildError> {
    let doc = c.featured().ok_or_else(|| {
        BuildError::Content(vec![ContentError::new(
            c.root.join("library.yaml"),
            format!("no document `{}` to estimate with", c.featured),
        )
        .field("featured")])
    })?;
    // The first version's term, when the entry states no expiry.
    let first_term = doc.versions.iter().find_map(|v| match &v.body {
        Body::ActionPlan(src) => Some(src.meta.effective.end_of_term(src.meta.validity_years)),
        Body::Clauses(_) => None,
    });
    let rules: Vec<(String, RuleSet)> = crate::version_rulesets(c)?
        .into_iter()
        .map(|(d, r)| (d.iso(), r))
        .collect();
    let expires = doc
        .entry
        .expires
        .or(first_term)
        .map(|d| d.iso())
        .unwrap_or_default();
    Ok(VersionRules {
        index: VersionIndex {
            document: doc.entry.id.clone(),
            expires,
            versions: rules.iter().map(|(d, _)| d.clone()).collect(),
        },
        rules,
    })
}
