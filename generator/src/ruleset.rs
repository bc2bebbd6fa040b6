//! Stage 4, the rule set: the subsidies with their clauses and units, as the engine and the
//! browser app read them (`dist/rules.json`). A rule change reaches the calculator this way,
//! by rebuilding, without touching Rust.

use calculator::ruleset::{
    ClauseRef, DocumentInfo, Place, PolicyClauses, RuleSet, SubsidyRule, TaskRef, UnitRef,
};
use calculator::{Lang, Text};

use crate::error::{BuildError, ContentError};
use crate::load::Content;
use crate::model::{Item, PolicyRule};
use crate::numbering;
use crate::validate::rule_texts;

/// The attachment's page directory, where clause anchors live.
const ATTACHMENT_PAGE: &str = "attachment";

/// Builds the rule set from validated content.
pub fn build_ruleset(c: &Content) -> Result<RuleSet, BuildError> {
    let d = &c.document;
    let unit_ref = |id: &String| {
        c.units.iter().find(|u| &u.id == id).map(|u| UnitRef {
            id: u.id.clone(),
            name: u.name.clone(),
        })
    };
    let tasks: Vec<(usize, &crate::model::Task)> = d
        .plan
        .actions
        .iter()
        .flat_map(|a| a.tasks.iter())
        .enumerate()
        .map(|(i, t)| (i + 1, t))
        .collect();
    let mut subsidies = Vec::new();
    for (i, sec) in d.attachment.sections.iter().enumerate() {
        for (j, item) in sec.items.iter().enumerate() {
            let label = item_label(c, i + 1, j + 1);
            for cl in &item.clauses {
                let Some(sub) = &cl.subsidy else { continue };
                let served: Vec<&(usize, &crate::model::Task)> = tasks
                    .iter()
                    .filter(|(_, t)| item.serves.contains(&t.id))
                    .collect();
                let mut task_units: Vec<UnitRef> = Vec::new();
                for (_, t) in &served {
                    for u in &t.units {
                        if !item.units.contains(u) && !task_units.iter().any(|x| &x.id == u) {
                            task_units.extend(unit_ref(u));
                        }
                    }
                }
                subsidies.push(SubsidyRule {
                    subsidy: sub.clone(),
                    clause: ClauseRef {
                        id: cl.id.clone(),
                        page: ATTACHMENT_PAGE.into(),
                        label: label.clone(),
                        text: cl.text.clone(),
                    },
                    text_units: item.units.iter().filter_map(unit_ref).collect(),
                    task_units,
                    tasks: served
                        .iter()
                        .map(|(n, t)| TaskRef {
                            id: t.id.clone(),
                            label: Text {
                                zh: format!("{}{}", numbering::task(*n), t.title.zh),
                                en: format!("{} {}", numbering::task(*n), t.title.en),
                            },
                        })
                        .collect(),
                });
            }
        }
    }
    let rule = |r: PolicyRule| -> Result<ClauseRef, BuildError> {
        let (id, text) = rule_texts(c, r).into_iter().next().ok_or_else(|| {
            ContentError::new(&d.attachment_file.path, "a general rule is missing").field("rule")
        })?;
        let label = locate_label(c, &id);
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
        d.attachment
            .sections
            .iter()
            .flat_map(|s| s.items.iter())
            .find(|i| i.id == clause.id || i.clauses.iter().any(|c| c.id == clause.id))
            .map(|i: &Item| i.units.iter().filter_map(unit_ref).collect())
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

/// `附件一（三）` / `Attachment I (3)`.
fn item_label(c: &Content, section: usize, item: usize) -> Text {
    let word = c.strings.get("attachment").cloned().unwrap_or_default();
    Text {
        zh: format!(
            "{}{}{}",
            word.zh,
            numbering::zh_numeral(section),
            numbering::paren(item, Lang::Zh)
        ),
        en: format!(
            "{} {} {}",
            word.en,
            numbering::section(section, Lang::En).trim_end_matches('.'),
            numbering::paren(item, Lang::En)
        ),
    }
}

/// The label of the item holding an item or clause id.
fn locate_label(c: &Content, id: &str) -> Text {
    for (i, sec) in c.document.attachment.sections.iter().enumerate() {
        for (j, item) in sec.items.iter().enumerate() {
            if item.id == id || item.clauses.iter().any(|cl| cl.id == id) {
                return item_label(c, i + 1, j + 1);
            }
        }
    }
    Text::default()
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
