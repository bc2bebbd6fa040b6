//! Stage 2, validate: every check that makes a content mistake stop the build, each error
//! naming the file, the line, the field and what was expected.

pub mod faithful;
mod figures;
mod glossary;
pub mod ids;
mod terms;

use std::collections::{BTreeMap, BTreeSet};

use calculator::{Lang, Text};

use crate::error::ContentError;
use crate::library::Library;
use crate::load::{Content, SourceFile};
use crate::model::PolicyRule;

/// Runs every check; returns all mistakes found, not just the first.
pub fn validate(lib: &Library) -> Vec<ContentError> {
    let c = lib.content;
    let mut errors = Vec::new();
    errors.extend(check_texts(c));
    // The prose that is ours is Markdown: only what a page may show, links to known permalinks.
    errors.extend(crate::markdown::check(c));
    let bad_ids = ids::check(c);
    if !bad_ids.is_empty() {
        // References to a malformed id would only repeat the same mistake.
        errors.extend(bad_ids);
        return errors;
    }
    errors.extend(check_ids(c));
    errors.extend(check_units(lib));
    errors.extend(figures::check(c));
    errors.extend(glossary::check(c));
    errors.extend(terms::check(c));
    errors.extend(check_rules(c));
    if errors.is_empty() {
        // Only meaningful once both languages are present and ids resolve.
        errors.extend(faithful::check(lib));
    }
    errors
}

/// Every text of the content with its file, anchor and field name.
pub fn all_texts(c: &Content) -> Vec<(&SourceFile, String, String, &Text)> {
    let d = &c.document;
    let mut v: Vec<(&SourceFile, String, String, &Text)> = Vec::new();
    for (k, t) in &c.strings {
        v.push((&c.strings_file, format!("{k}:"), k.clone(), t));
    }
    for u in &c.units {
        v.push((
            &c.units_file,
            u.id.clone(),
            format!("{}.name", u.id),
            &u.name,
        ));
        if let Some(n) = &u.note {
            v.push((&c.units_file, u.id.clone(), format!("{}.note", u.id), n));
        }
    }
    for p in &c.places {
        v.push((
            &c.places_file,
            p.id.clone(),
            format!("{}.name", p.id),
            &p.name,
        ));
    }
    for t in &c.glossary {
        v.push((
            &c.glossary_file,
            t.id.clone(),
            format!("{}.term", t.id),
            &t.term,
        ));
        v.push((
            &c.glossary_file,
            t.id.clone(),
            format!("{}.definition", t.id),
            &t.definition,
        ));
    }
    let m = &d.meta;
    for (k, t) in [
        ("header", &m.header),
        ("number", &m.number),
        ("title", &m.title),
        ("addressees", &m.addressees),
        ("body", &m.body),
        ("publicity", &m.publicity),
        ("issuer", &m.issuer),
        ("cc", &m.cc),
        ("replaces.number", &m.replaces.number),
        ("replaces.title", &m.replaces.title),
        ("replaces.scope", &m.replaces.scope),
    ] {
        v.push((
            &d.meta_file,
            format!("{}:", k.rsplit('.').next().unwrap_or(k)),
            k.into(),
            t,
        ));
    }
    let p = &d.plan;
    v.push((&d.plan_file, "title:".into(), "title".into(), &p.title));
    v.push((
        &d.plan_file,
        "preamble:".into(),
        "preamble".into(),
        &p.preamble,
    ));
    v.push((
        &d.plan_file,
        "general:".into(),
        "general.heading".into(),
        &p.general.heading,
    ));
    v.push((
        &d.plan_file,
        "general:".into(),
        "general.text".into(),
        &p.general.text,
    ));
    for t in &p.general.targets {
        v.push((
            &d.plan_file,
            t.id.clone(),
            format!("targets.{}.name", t.id),
            &t.name,
        ));
        v.push((
            &d.plan_file,
            t.id.clone(),
            format!("targets.{}.unit", t.id),
            &t.unit,
        ));
    }
    v.push((
        &d.plan_file,
        "tasks_heading:".into(),
        "tasks_heading".into(),
        &p.tasks_heading,
    ));
    for a in &p.actions {
        v.push((
            &d.plan_file,
            a.id.clone(),
            format!("{}.title", a.id),
            &a.title,
        ));
        for t in &a.tasks {
            v.push((
                &d.plan_file,
                t.id.clone(),
                format!("{}.title", t.id),
                &t.title,
            ));
            v.push((
                &d.plan_file,
                t.id.clone(),
                format!("{}.text", t.id),
                &t.text,
            ));
            v.push((
                &d.plan_file,
                t.id.clone(),
                format!("{}.units_text", t.id),
                &t.units_text,
            ));
        }
    }
    for para in &p.closing {
        v.push((
            &d.plan_file,
            para.id.clone(),
            format!("{}.text", para.id),
            &para.text,
        ));
    }
    let att = &d.attachment;
    v.push((
        &d.attachment_file,
        "title:".into(),
        "title".into(),
        &att.title,
    ));
    for s in &att.sections {
        v.push((
            &d.attachment_file,
            s.id.clone(),
            format!("{}.title", s.id),
            &s.title,
        ));
        for i in &s.items {
            v.push((
                &d.attachment_file,
                i.id.clone(),
                format!("{}.title", i.id),
                &i.title,
            ));
            for cl in &i.clauses {
                let f = &d.attachment_file;
                v.push((f, cl.id.clone(), format!("{}.text", cl.id), &cl.text));
                if let Some(n) = &cl.note {
                    v.push((f, cl.id.clone(), format!("{}.note", cl.id), n));
                }
                if let Some(sub) = &cl.subsidy {
                    v.push((
                        f,
                        cl.id.clone(),
                        format!("{}.subsidy.name", cl.id),
                        &sub.name,
                    ));
                    if let Some(r) = &sub.reading {
                        v.push((f, cl.id.clone(), format!("{}.subsidy.reading", cl.id), r));
                    }
                    if let Some(r) = &sub.instance {
                        v.push((f, cl.id.clone(), format!("{}.subsidy.instance", cl.id), r));
                    }
                }
            }
        }
    }
    v
}

/// A clause without one of its two languages is a missing translation.
fn check_texts(c: &Content) -> Vec<ContentError> {
    let mut errors = Vec::new();
    for (file, anchor, field, text) in all_texts(c) {
        for lang in text.missing() {
            let needle = format!("{}:", lang.code());
            errors.push(
                file.error_at(
                    Some(&anchor),
                    &needle,
                    format!("{field}.{}", lang.code()),
                    match lang {
                        Lang::Zh => {
                            "missing Chinese text: every text needs both `zh` and `en`".to_string()
                        }
                        Lang::En => {
                            "missing English translation: every text needs both `zh` and `en`"
                                .to_string()
                        }
                    },
                ),
            );
        }
    }
    errors
}

/// Ids are permalinks: each must be unique within its kind of page.
fn check_ids(c: &Content) -> Vec<ContentError> {
    let d = &c.document;
    let mut errors = Vec::new();
    let mut seen: BTreeMap<String, ()> = BTreeMap::new();
    let mut dup = |file: &SourceFile, id: &str| {
        if seen.insert(id.to_string(), ()).is_some() || id.trim().is_empty() {
            errors.push(file.error_at(
                None,
                &format!("id: {id}"),
                "id",
                format!("duplicate id `{id}`: every action, task, section, item, clause and subsidy needs its own permalink id"),
            ));
        }
    };
    dup(&d.plan_file, &d.plan.general.id);
    for a in &d.plan.actions {
        dup(&d.plan_file, &a.id);
        for t in &a.tasks {
            dup(&d.plan_file, &t.id);
        }
    }
    for p in &d.plan.closing {
        dup(&d.plan_file, &p.id);
    }
    for s in &d.attachment.sections {
        dup(&d.attachment_file, &s.id);
        for i in &s.items {
            dup(&d.attachment_file, &i.id);
            for cl in &i.clauses {
                dup(&d.attachment_file, &cl.id);
                if let Some(sub) = &cl.subsidy {
                    // Subsidy anchors are prefixed, but their ids must still be unique.
                    dup(&d.attachment_file, &format!("subsidy-{}", sub.id));
                }
            }
        }
    }
    let mut other = |file: &SourceFile, ids: Vec<&str>, what: &str| {
        let mut set = BTreeSet::new();
        for id in ids {
            if !set.insert(id) {
                errors.push(file.error_at(
                    None,
                    &format!("id: {id}"),
                    "id",
                    format!("duplicate {what} id `{id}`"),
                ));
            }
        }
    };
    other(
        &c.units_file,
        c.units.iter().map(|u| u.id.as_str()).collect(),
        "unit",
    );
    other(
        &c.places_file,
        c.places.iter().map(|u| u.id.as_str()).collect(),
        "place",
    );
    other(
        &d.plan_file,
        d.plan
            .general
            .targets
            .iter()
            .map(|t| t.id.as_str())
            .collect(),
        "target",
    );
    other(
        &c.glossary_file,
        c.glossary.iter().map(|u| u.id.as_str()).collect(),
        "term",
    );
    errors
}

/// Every unit id resolves, and each task's units stand in its 责任单位 text in both languages.
fn check_units(lib: &Library) -> Vec<ContentError> {
    let c = lib.content;
    let d = &c.document;
    let known = || {
        let ids: BTreeSet<&str> = c.units.iter().map(|u| u.id.as_str()).collect();
        ids.into_iter().collect::<Vec<_>>().join(", ")
    };
    let mut errors = Vec::new();
    if c.units.is_empty() {
        // One error for the empty registry, not one per unit the documents name.
        errors.push(ContentError::new(
            &c.units_file.path,
            "the list of units is empty: expected the responsible units the documents name",
        ));
        return errors;
    }
    let unknown = |file: &SourceFile, anchor: Option<&str>, field: String, id: &str| {
        file.error_at(
            anchor,
            id,
            field,
            format!(
                "unknown unit `{id}`: expected an id from units.yaml ({})",
                known()
            ),
        )
    };
    for id in &d.plan.all_tasks_units {
        if lib.unit(id).is_none() {
            errors.push(unknown(
                &d.plan_file,
                Some("all_tasks_units"),
                "all_tasks_units".into(),
                id,
            ));
        }
    }
    if lib.unit(&d.meta.lead_unit).is_none() {
        errors.push(unknown(
            &d.meta_file,
            None,
            "lead_unit".into(),
            &d.meta.lead_unit,
        ));
    }
    for a in &d.plan.actions {
        for t in &a.tasks {
            if t.units.is_empty() {
                errors.push(d.plan_file.error_at(
                    Some(&t.id),
                    "units:",
                    format!("{}.units", t.id),
                    "a task needs the ids of the units its 责任单位 text names",
                ));
            }
            for (k, id) in t.units.iter().enumerate() {
                let Some(u) = lib.unit(id) else {
                    errors.push(unknown(
                        &d.plan_file,
                        Some(&t.id),
                        format!("{}.units[{k}]", t.id),
                        id,
                    ));
                    continue;
                };
                for lang in Lang::ALL {
                    let text = t.units_text.get(lang);
                    let names = unit_names(u, lang);
                    if !names.iter().any(|n| text.contains(n.as_str())) {
                        errors.push(d.plan_file.error_at(
                            Some(&t.id),
                            "units_text:",
                            format!("{}.units_text.{}", t.id, lang.code()),
                            format!(
                                "unit `{id}` is listed in `units` but its name `{}` does not stand in the {} 责任单位 text",
                                names[0],
                                if lang == Lang::Zh { "Chinese" } else { "English" }
                            ),
                        ));
                    }
                }
            }
        }
    }
    for s in &d.attachment.sections {
        for i in &s.items {
            for (k, id) in i.units.iter().enumerate() {
                match lib.unit(id) {
                    None => errors.push(unknown(
                        &d.attachment_file,
                        Some(&i.id),
                        format!("{}.units[{k}]", i.id),
                        id,
                    )),
                    Some(u) => {
                        let body: String = std::iter::once(i.title.zh.as_str())
                            .chain(i.clauses.iter().map(|c| c.text.zh.as_str()))
                            .collect();
                        if !unit_names(u, Lang::Zh)
                            .iter()
                            .any(|n| body.contains(n.as_str()))
                        {
                            errors.push(d.attachment_file.error_at(
                                Some(&i.id),
                                "units:",
                                format!("{}.units[{k}]", i.id),
                                format!("the item's text does not name unit `{id}`: `units` lists only the units the text itself names (use `serves` for the editorial link)"),
                            ));
                        }
                    }
                }
            }
            for (k, id) in i.serves.iter().enumerate() {
                if lib.task(id).is_none() {
                    errors.push(d.attachment_file.error_at(
                        Some(&i.id),
                        id,
                        format!("{}.serves[{k}]", i.id),
                        format!("unknown task `{id}`: expected a task id of plan.yaml (task-1 … task-22)"),
                    ));
                }
            }
        }
    }
    errors
}

/// The names a unit goes by in one language: its name, and in Chinese its aliases.
pub fn unit_names(u: &crate::model::ResponsibleUnit, lang: Lang) -> Vec<String> {
    let mut v = vec![u.name.get(lang).to_string()];
    if lang == Lang::Zh {
        v.extend(u.aliases.iter().cloned());
    }
    v
}

/// The calculator quotes the general rules of 附则: each must be tagged exactly once, and the
/// city districts of `places.yaml` must be those the scope clause names.
fn check_rules(c: &Content) -> Vec<ContentError> {
    let d = &c.document;
    let mut errors = Vec::new();
    for rule in [
        PolicyRule::Eligibility,
        PolicyRule::Scope,
        PolicyRule::NoStacking,
        PolicyRule::ImplementingRules,
    ] {
        let n = rule_texts(c, rule).len();
        if n != 1 {
            errors.push(ContentError::new(
                &d.attachment_file.path,
                format!("expected exactly one item or clause with `rule: {}`, found {n}: the calculator quotes it", rule_name(rule)),
            ).field("rule"));
        }
    }
    if let Some((_, scope)) = rule_texts(c, PolicyRule::Scope).first() {
        for p in &c.places {
            if p.kind == calculator::ruleset::PlaceKind::CityDistrict
                && !scope.zh.contains(p.name.zh.as_str())
            {
                errors.push(c.places_file.error_at(
                    Some(&p.id),
                    "kind:",
                    format!("{}.kind", p.id),
                    format!(
                        "`{}` is marked city-district but the scope clause does not name it",
                        p.name.zh
                    ),
                ));
            }
        }
    }
    errors
}

/// The items or clauses that state a general rule, with their whole text (an item's text is
/// its title sentence and its clauses).
pub fn rule_texts(c: &Content, rule: PolicyRule) -> Vec<(String, Text)> {
    let mut out = Vec::new();
    for item in c
        .document
        .attachment
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
    {
        if item.rule == Some(rule) {
            out.push((item.id.clone(), item_text(item)));
        }
        for cl in &item.clauses {
            if cl.rule == Some(rule) {
                out.push((cl.id.clone(), cl.text.clone()));
            }
        }
    }
    out
}

/// An item's whole text: its title sentence followed by its clauses.
pub fn item_text(item: &crate::model::Item) -> Text {
    let mut zh = format!("{}。", item.title.zh);
    let mut en = format!("{}.", item.title.en.trim_end_matches('.'));
    for cl in &item.clauses {
        zh.push_str(&cl.text.zh);
        en.push(' ');
        en.push_str(&cl.text.en);
    }
    Text { zh, en }
}

fn rule_name(r: PolicyRule) -> &'static str {
    match r {
        PolicyRule::Eligibility => "eligibility",
        PolicyRule::FiscalSharing => "fiscal-sharing",
        PolicyRule::ImplementingRules => "implementing-rules",
        PolicyRule::NoStacking => "no-stacking",
        PolicyRule::Scope => "scope",
    }
}
