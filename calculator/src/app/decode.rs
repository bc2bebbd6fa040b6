//! `rules.json` and the page's data block, from parsed JSON to the crate's types, by hand.
//!
//! This mirrors the serde form of [`RuleSet`] (snake_case fields, kebab-case enum values) that
//! the generator writes; a native test (`calculator/tests/app_decode.rs`) checks that both read
//! the same rule set. It also reads the page's data block, the same rule set in fewer bytes
//! (`generator/src/render/calculator.rs`): texts in the page's language, units named once in a
//! `units` table and cited by id, no `tasks`, and no member that is `false`. Every struct is
//! built with all its fields named, so a field added to a rule type does not compile until it
//! is read here too. Members this does not know are ignored (the generator's own check,
//! `deny_unknown_fields`, runs at build time).

use std::collections::BTreeMap;

use super::json::Value;
use crate::money::{Money, Rate};
use crate::rules::{Amount, Applicant, Base, Cap, CapScope, Subsidy, Threshold};
use crate::ruleset::{
    ClauseRef, DocumentInfo, Place, PlaceKind, PolicyClauses, RuleSet, SubsidyRule, TaskRef,
    UnitRef,
};
use crate::text::{Lang, Text};

/// The field that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error(pub &'static str);

type R<T> = Result<T, Error>;

fn field<'a>(v: &'a Value, key: &'static str) -> R<&'a Value> {
    v.get(key).ok_or(Error(key))
}

fn string(v: &Value, key: &'static str) -> R<String> {
    field(v, key)?.as_str().map(String::from).ok_or(Error(key))
}

fn flag(v: &Value, key: &'static str) -> R<bool> {
    v.get(key)
        .map_or(Some(false), Value::as_bool)
        .ok_or(Error(key))
}

/// A member that may be absent or `null`.
fn optional<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|x| **x != Value::Null)
}

fn list<T>(v: &Value, key: &'static str, f: impl Fn(&Value) -> R<T>) -> R<Vec<T>> {
    let items = field(v, key)?.as_array().ok_or(Error(key))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(f(item)?);
    }
    Ok(out)
}

/// A text: both languages (`{"en": …, "zh": …}`, as in `rules.json`), or the page's language
/// alone (a plain string, as the page's data block carries all but the clauses' own text), kept
/// as both: the app shows only the page's language.
fn text_of(v: &Value) -> R<Text> {
    if let Some(s) = v.as_str() {
        return Ok(Text {
            zh: s.to_string(),
            en: s.to_string(),
        });
    }
    Ok(Text {
        zh: string(v, "zh")?,
        en: string(v, "en")?,
    })
}

fn text(v: &Value, key: &'static str) -> R<Text> {
    text_of(field(v, key)?)
}

fn money(v: &Value, key: &'static str) -> R<Money> {
    Money::parse(field(v, key)?.as_str().ok_or(Error(key))?).map_err(|_| Error(key))
}

/// The rule set's table of units (`id` → name), which the page's data block carries once
/// instead of a unit's name at every mention; `rules.json` names each unit where it is cited.
type Units<'a> = Option<&'a Value>;

/// A unit: `{"id": …, "name": …}` (as in `rules.json`), or its id alone (as in the page's data
/// block), named from the rule set's `units` table.
fn unit(v: &Value, units: Units) -> R<UnitRef> {
    if let Some(id) = v.as_str() {
        let name = units.and_then(|u| u.get(id)).ok_or(Error("units"))?;
        return Ok(UnitRef {
            id: id.to_string(),
            name: text_of(name)?,
        });
    }
    Ok(UnitRef {
        id: string(v, "id")?,
        name: text(v, "name")?,
    })
}

fn clause(v: &Value) -> R<ClauseRef> {
    Ok(ClauseRef {
        id: string(v, "id")?,
        page: string(v, "page")?,
        label: text(v, "label")?,
        text: text(v, "text")?,
    })
}

fn base(v: &Value) -> R<Base> {
    Ok(Base {
        id: string(v, "id")?,
        name: text(v, "name")?,
    })
}

fn cap(v: &Value) -> R<Cap> {
    Ok(Cap {
        amount: money(v, "amount")?,
        per: match field(v, "per")?.as_str() {
            Some("instance") => CapScope::Instance,
            Some("applicant") => CapScope::Applicant,
            Some("applicant-year") => CapScope::ApplicantYear,
            _ => return Err(Error("per")),
        },
    })
}

fn amount(v: &Value) -> R<Amount> {
    Ok(match field(v, "kind")?.as_str() {
        Some("rate") => Amount::Rate {
            rate: Rate::parse(field(v, "rate")?.as_str().ok_or(Error("rate"))?)
                .map_err(|_| Error("rate"))?,
            rate_is_ceiling: flag(v, "rate_is_ceiling")?,
            base: base(field(v, "base")?)?,
            threshold: match optional(v, "threshold") {
                None => None,
                Some(t) => Some(Threshold {
                    id: string(t, "id")?,
                    name: text(t, "name")?,
                    min: crate::money::plain_decimal(
                        field(t, "min")?.as_str().ok_or(Error("min"))?,
                    )
                    .ok_or(Error("min"))?,
                    unit: text(t, "unit")?,
                }),
            },
            caps: caps(v)?,
        },
        Some("fixed") => Amount::Fixed {
            sum: money(v, "sum")?,
            condition: text(v, "condition")?,
        },
        Some("cap-only") => Amount::CapOnly {
            base: optional(v, "base").map(base).transpose()?,
            caps: caps(v)?,
        },
        Some("not-set") => Amount::NotSet,
        _ => return Err(Error("kind")),
    })
}

fn caps(v: &Value) -> R<Vec<Cap>> {
    match optional(v, "caps") {
        None => Ok(Vec::new()),
        Some(_) => list(v, "caps", cap),
    }
}

/// An applicant kind as the content writes it (`training-institution`).
pub fn applicant(s: &str) -> Option<Applicant> {
    match s {
        "enterprise" => Some(Applicant::Enterprise),
        "organisation" => Some(Applicant::Organisation),
        "training-institution" => Some(Applicant::TrainingInstitution),
        _ => None,
    }
}

fn subsidy(v: &Value) -> R<Subsidy> {
    Ok(Subsidy {
        id: string(v, "id")?,
        name: text(v, "name")?,
        applicant: match field(v, "applicant")?.as_str() {
            Some("any") => None,
            other => Some(other.and_then(applicant).ok_or(Error("applicant"))?),
        },
        one_time: flag(v, "one_time")?,
        matter: string(v, "matter")?,
        amount: amount(field(v, "amount")?)?,
        instance: optional(v, "instance").map(text_of).transpose()?,
        reading: optional(v, "reading").map(text_of).transpose()?,
        pending_condition: optional(v, "pending_condition").map(text_of).transpose()?,
        not_claimed: optional(v, "not_claimed").map(text_of).transpose()?,
    })
}

fn subsidy_rule(v: &Value, units: Units) -> R<SubsidyRule> {
    Ok(SubsidyRule {
        subsidy: subsidy(field(v, "subsidy")?)?,
        clause: clause(field(v, "clause")?)?,
        text_units: list(v, "text_units", |u| unit(u, units))?,
        task_units: list(v, "task_units", |u| unit(u, units))?,
        // The page's data block leaves the tasks out: the app never shows them (`rules.json`
        // has them, for its other readers).
        tasks: match optional(v, "tasks") {
            None => Vec::new(),
            Some(_) => list(v, "tasks", |t| {
                Ok(TaskRef {
                    id: string(t, "id")?,
                    label: text(t, "label")?,
                })
            })?,
        },
    })
}

fn place(v: &Value) -> R<Place> {
    Ok(Place {
        id: string(v, "id")?,
        name: text(v, "name")?,
        kind: match field(v, "kind")?.as_str() {
            Some("city-district") => PlaceKind::CityDistrict,
            Some("county") => PlaceKind::County,
            _ => return Err(Error("kind")),
        },
    })
}

/// The rule set from `rules.json`, or from the page's data block (its own language, units by
/// id, no tasks: `generator/src/render/calculator.rs`).
pub fn rule_set(v: &Value) -> R<RuleSet> {
    let d = field(v, "document")?;
    let p = field(v, "policy")?;
    let units = optional(v, "units");
    Ok(RuleSet {
        version: string(v, "version")?,
        document: DocumentInfo {
            number: text(d, "number")?,
            title: text(d, "title")?,
            issued: string(d, "issued")?,
            effective: string(d, "effective")?,
            expires: string(d, "expires")?,
            validity: text(d, "validity")?,
        },
        subsidies: list(v, "subsidies", |s| subsidy_rule(s, units))?,
        places: list(v, "places", place)?,
        policy: PolicyClauses {
            eligibility: clause(field(p, "eligibility")?)?,
            scope: clause(field(p, "scope")?)?,
            no_stacking: clause(field(p, "no_stacking")?)?,
            implementing_rules: clause(field(p, "implementing_rules")?)?,
            implementing_units: list(p, "implementing_units", |u| unit(u, units))?,
            scope_units: match optional(p, "scope_units") {
                None => Vec::new(),
                Some(_) => list(p, "scope_units", |u| unit(u, units))?,
            },
        },
    })
}

/// The page's data block: its language, the rule set (in its compact form, or as in
/// `rules.json`), and the interface words.
pub fn page_data(v: &Value) -> R<(Lang, RuleSet, BTreeMap<String, String>)> {
    let lang = match field(v, "lang")?.as_str() {
        Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        _ => return Err(Error("lang")),
    };
    let words = field(v, "words")?
        .as_object()
        .ok_or(Error("words"))?
        .iter()
        .filter_map(|(k, w)| Some((k.clone(), w.as_str()?.to_string())))
        .collect();
    Ok((lang, rule_set(field(v, "rules")?)?, words))
}
