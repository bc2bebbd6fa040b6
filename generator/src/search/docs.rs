//! The search documents: one per task, attachment clause (with the subsidy it states), item,
//! action, section, plan paragraph, glossary term and responsible unit, each with its permalink
//! in both languages, the document/action/section it belongs to, and the facets the search page
//! filters on (document, action, responsible unit).

use std::collections::BTreeSet;

use calculator::{Lang, Text};

use crate::library::Library;
use crate::load::Content;
use crate::render::views::Page;

/// Weight of a heading field: a term's name, a task's title, a subsidy's name.
pub const TITLE: f32 = 3.0;
/// Weight of the text itself.
pub const BODY: f32 = 1.0;
/// Weight of the surrounding heading (the item of a clause, the action of a task).
pub const CONTEXT: f32 = 0.5;
/// Weight of an editor's note.
pub const NOTE: f32 = 0.3;

/// One search result candidate.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// The anchor id (`task-11`, `att-3-2-a`, `term-rcep`, `unit-customs`): what the query
    /// fixture names.
    pub id: String,
    /// The permalink below `/<lang>/`: `plan/#task-11`, `units/customs/`.
    pub url: String,
    /// Where it stands: `行动计划 › （三）实施基础要素夯实行动`.
    pub crumb: Text,
    /// The result's link text.
    pub title: Text,
    /// The text a snippet is cut from.
    pub text: Text,
    /// The indexed fields with their weights.
    pub fields: Vec<(f32, Text)>,
    /// Facet terms: `#d:plan`, `#a:action-3`, `#u:customs`.
    pub facets: BTreeSet<String>,
    /// For a clause that states a subsidy an applicant can claim: the calculator with that
    /// subsidy chosen, below `/<lang>/` (`calculator/#a=enterprise&p=&d=0&c=trademark`).
    pub estimate: Option<String>,
    /// The id of the document this one is part of as a search result: a clause's item. The
    /// browser shows an item and its own clauses as one result, not two.
    pub part_of: Option<String>,
}

/// The facet term of the clauses that set an amount of money: a query that asks about money
/// (`amount:` in `search-synonyms.yaml`) ranks them first.
pub const AMOUNT_FACET: &str = "#amount";

fn tx(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

fn s(c: &Content, key: &str) -> Text {
    c.strings.get(key).cloned().unwrap_or_else(|| tx(key, key))
}

/// `a › b` in both languages.
fn crumb(parts: &[&Text]) -> Text {
    let join = |lang: Lang| {
        parts
            .iter()
            .map(|t| t.get(lang))
            .collect::<Vec<_>>()
            .join(" › ")
    };
    tx(join(Lang::Zh), join(Lang::En))
}

/// A number and a title: `（三）实施…` / `(3) Implement…`.
fn numbered(number: &dyn Fn(Lang) -> String, title: &Text) -> Text {
    tx(
        format!("{}{}", number(Lang::Zh), title.zh),
        format!("{} {}", number(Lang::En), title.en),
    )
}

/// The pages whose documents the search's document filter offers, in its order; a facet's id
/// and words are the page's own (the page table, [`PAGES`](crate::render::views::PAGES)).
pub const DOC_FACETS: [Page; 4] = [Page::Plan, Page::Attachment, Page::Glossary, Page::Units];

/// The permalink of an anchor on a page, below `/<lang>/`: `plan/#task-11`.
fn permalink(page: Page, anchor: &str) -> String {
    format!("{}#{anchor}", page.entry().path)
}

/// Every search document of the content, in reading order.
pub fn documents(lib: &Library) -> Vec<SearchDoc> {
    let c = lib.content;
    let d = &c.document;
    let plan_name = s(c, Page::Plan.entry().nav);
    let att_name = s(c, Page::Attachment.entry().nav);
    let mut out = Vec::new();
    let facets = |doc: Page, actions: &[String], units: &[String]| -> BTreeSet<String> {
        let mut f = BTreeSet::new();
        f.insert(format!("#d:{}", doc.entry().id));
        f.extend(actions.iter().map(|a| format!("#a:{a}")));
        f.extend(units.iter().map(|u| format!("#u:{u}")));
        f
    };

    // The notice and the plan's opening.
    let m = &d.meta;
    out.push(SearchDoc {
        id: "notice".into(),
        url: Page::Plan.entry().path.into(),
        crumb: crumb(&[&plan_name]),
        title: m.title.clone(),
        text: m.body.clone(),
        fields: vec![
            (TITLE, m.title.clone()),
            (BODY, m.body.clone()),
            (BODY, m.number.clone()),
        ],
        facets: facets(Page::Plan, &[], &[]),
        estimate: None,
        part_of: None,
    });
    let p = &d.plan;
    out.push(SearchDoc {
        id: "plan".into(),
        url: permalink(Page::Plan, "plan"),
        crumb: crumb(&[&plan_name]),
        title: p.title.clone(),
        text: p.preamble.clone(),
        fields: vec![(TITLE, p.title.clone()), (BODY, p.preamble.clone())],
        facets: facets(Page::Plan, &[], &[]),
        estimate: None,
        part_of: None,
    });
    let general_title = numbered(&|l| lib.general_number(l), &p.general.heading);
    out.push(SearchDoc {
        id: p.general.id.clone(),
        url: permalink(Page::Plan, &p.general.id),
        crumb: crumb(&[&plan_name]),
        title: general_title,
        text: p.general.text.clone(),
        fields: vec![
            (TITLE, p.general.heading.clone()),
            (BODY, p.general.text.clone()),
        ],
        facets: facets(Page::Plan, &[], &[]),
        estimate: None,
        part_of: None,
    });

    // Actions and tasks.
    for na in lib.actions() {
        let a = na.action;
        let action_title = numbered(&|l| na.number(l), &a.title);
        let action_ids = vec![a.id.clone()];
        out.push(SearchDoc {
            id: a.id.clone(),
            url: permalink(Page::Plan, &a.id),
            crumb: crumb(&[&plan_name]),
            title: action_title.clone(),
            text: tx(
                a.tasks
                    .iter()
                    .map(|t| t.title.zh.as_str())
                    .collect::<Vec<_>>()
                    .join("；"),
                a.tasks
                    .iter()
                    .map(|t| t.title.en.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            fields: vec![(TITLE, a.title.clone())],
            facets: facets(Page::Plan, &action_ids, &[]),
            estimate: None,
            part_of: None,
        });
        for nt in &na.tasks {
            let tk = nt.task;
            let mut units = tk.units.clone();
            units.extend(
                p.all_tasks_units
                    .iter()
                    .filter(|u| !tk.units.contains(u))
                    .cloned(),
            );
            let label = s(c, "responsible_units");
            let text = tx(
                format!("{}（{}：{}）", tk.text.zh, label.zh, tk.units_text.zh),
                format!("{} ({}: {})", tk.text.en, label.en, tk.units_text.en),
            );
            out.push(SearchDoc {
                id: tk.id.clone(),
                url: permalink(Page::Plan, &tk.id),
                crumb: crumb(&[&plan_name, &action_title]),
                title: tx(
                    format!("{} {}", nt.number(), tk.title.zh),
                    format!("{} {}", nt.number(), tk.title.en),
                ),
                text,
                fields: vec![
                    (TITLE, tk.title.clone()),
                    (BODY, tk.text.clone()),
                    (BODY, tk.units_text.clone()),
                    (CONTEXT, a.title.clone()),
                ],
                facets: facets(Page::Plan, &action_ids, &units),
                estimate: None,
                part_of: None,
            });
        }
    }
    for para in &p.closing {
        out.push(SearchDoc {
            id: para.id.clone(),
            url: permalink(Page::Plan, &para.id),
            crumb: crumb(&[&plan_name]),
            title: p.title.clone(),
            text: para.text.clone(),
            fields: vec![(BODY, para.text.clone())],
            facets: facets(Page::Plan, &[], &[]),
            estimate: None,
            part_of: None,
        });
    }

    // The attachment: sections, items, clauses (each with the subsidy it states).
    for ns in lib.sections() {
        let sec = ns.section;
        let sec_title = numbered(&|l| ns.number(l), &sec.title);
        out.push(SearchDoc {
            id: sec.id.clone(),
            url: permalink(Page::Attachment, &sec.id),
            crumb: crumb(&[&att_name]),
            title: sec_title.clone(),
            text: tx(
                sec.items
                    .iter()
                    .map(|t| t.title.zh.as_str())
                    .collect::<Vec<_>>()
                    .join("；"),
                sec.items
                    .iter()
                    .map(|t| t.title.en.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            fields: vec![(TITLE, sec.title.clone())],
            facets: facets(Page::Attachment, &[], &[]),
            estimate: None,
            part_of: None,
        });
        for ni in &ns.items {
            let item = ni.item;
            let item_title = numbered(&|l| ni.number(l), &item.title);
            // The facets are sets: the actions of the tasks served, and every unit the item
            // reaches, by its text or through those tasks.
            let actions: Vec<String> = lib
                .served_tasks(item)
                .map(|t| lib.actions()[t.action].action.id.clone())
                .collect();
            let units: Vec<String> = item.units.iter().chain(&ni.task_units).cloned().collect();
            let f = facets(Page::Attachment, &actions, &units);
            out.push(SearchDoc {
                id: item.id.clone(),
                url: permalink(Page::Attachment, &item.id),
                crumb: crumb(&[&att_name, &sec_title]),
                title: item_title.clone(),
                text: tx(
                    item.clauses
                        .iter()
                        .map(|c| c.text.zh.as_str())
                        .collect::<String>(),
                    item.clauses
                        .iter()
                        .map(|c| c.text.en.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                fields: vec![(TITLE, item.title.clone())],
                facets: f.clone(),
                estimate: None,
                part_of: None,
            });
            for cl in &item.clauses {
                let mut fields = vec![(BODY, cl.text.clone()), (CONTEXT, item.title.clone())];
                let mut title = item_title.clone();
                if let Some(sub) = &cl.subsidy {
                    fields.push((TITLE, sub.name.clone()));
                    if let Some(r) = &sub.reading {
                        fields.push((NOTE, r.clone()));
                    }
                    title = tx(
                        format!("{} · {}", item_title.zh, sub.name.zh),
                        format!("{} · {}", item_title.en, sub.name.en),
                    );
                }
                if let Some(note) = &cl.note {
                    fields.push((NOTE, note.clone()));
                }
                let estimate = cl
                    .subsidy
                    .as_ref()
                    .and_then(crate::render::calculator::estimate_link);
                let mut facets = f.clone();
                if cl
                    .subsidy
                    .as_ref()
                    .is_some_and(|sub| !matches!(sub.amount, calculator::rules::Amount::NotSet))
                {
                    facets.insert(AMOUNT_FACET.to_string());
                }
                out.push(SearchDoc {
                    id: cl.id.clone(),
                    url: permalink(Page::Attachment, &cl.id),
                    crumb: crumb(&[&att_name, &sec_title]),
                    title,
                    text: cl.text.clone(),
                    fields,
                    facets,
                    estimate,
                    part_of: Some(item.id.clone()),
                });
            }
        }
    }

    // The glossary.
    let gl_name = s(c, Page::Glossary.entry().nav);
    for term in &c.glossary {
        let mut names = vec![(TITLE, term.term.clone())];
        if !term.forms.zh.is_empty() || !term.forms.en.is_empty() {
            names.push((TITLE, tx(term.forms.zh.join(" "), term.forms.en.join(" "))));
        }
        names.push((BODY, term.definition.clone()));
        out.push(SearchDoc {
            id: format!("term-{}", term.id),
            url: permalink(Page::Glossary, &format!("term-{}", term.id)),
            crumb: crumb(&[&gl_name]),
            title: if term.term.zh == term.term.en {
                term.term.clone()
            } else {
                tx(
                    format!("{}（{}）", term.term.zh, term.term.en),
                    format!("{} ({})", term.term.en, term.term.zh),
                )
            },
            text: term.definition.clone(),
            fields: names,
            facets: facets(Page::Glossary, &[], &[]),
            estimate: None,
            part_of: None,
        });
    }

    // The responsible units.
    let units_name = s(c, Page::Units.entry().nav);
    for u in &c.units {
        let mut fields = vec![(TITLE, u.name.clone())];
        if !u.aliases.is_empty() {
            fields.push((TITLE, tx(u.aliases.join(" "), "")));
        }
        let text = match &u.note {
            Some(note) => {
                fields.push((BODY, note.clone()));
                tx(
                    format!("{}（{}）", note.zh, u.name.en),
                    format!("{} ({})", note.en, u.name.zh),
                )
            }
            None => tx(u.name.en.clone(), u.name.zh.clone()),
        };
        out.push(SearchDoc {
            id: format!("unit-{}", u.id),
            url: format!("{}{}/", Page::Units.entry().path, u.id),
            crumb: crumb(&[&units_name]),
            title: u.name.clone(),
            text,
            fields,
            facets: facets(Page::Units, &[], std::slice::from_ref(&u.id)),
            estimate: None,
            part_of: None,
        });
    }
    out
}
