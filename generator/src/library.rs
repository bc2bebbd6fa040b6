//! The derived library: every fact worked out from the content rather than written in it —
//! the numbers of sections, items, actions and tasks, the items' labels, the units by id, the
//! units an item reaches through the tasks it serves, the tasks and items reaching a unit.
//! Built once from the loaded content, it is what validation, the rule set, the renderer and
//! the search index read, so no two of them can count differently.
//!
//! It never fails: an id naming nothing (which validation reports) is simply not found here.

use std::collections::HashMap;

use calculator::{Lang, Text};

use crate::load::Content;
use crate::model::{Action, Item, ResponsibleUnit, Section, Task};
use crate::numbering;

/// An action of the plan, with its place in the document and its numbered tasks.
#[derive(Debug)]
pub struct NumberedAction<'a> {
    /// The action as written.
    pub action: &'a Action,
    /// Its position among the actions, from 1.
    pub ordinal: usize,
    /// Its tasks, numbered across the whole plan.
    pub tasks: Vec<NumberedTask<'a>>,
    /// The number its first task has or would have.
    after: usize,
}

impl NumberedAction<'_> {
    /// `（一）` / `(1)`.
    pub fn number(&self, lang: Lang) -> String {
        numbering::paren(self.ordinal, lang)
    }

    /// The number of its first task (one past the previous action's last when it has none).
    pub fn first(&self) -> usize {
        self.tasks.first().map_or(self.after, |t| t.n)
    }

    /// The number of its last task (the previous action's last when it has none).
    pub fn last(&self) -> usize {
        self.tasks.last().map_or(self.after - 1, |t| t.n)
    }
}

/// A task, with its number across the plan (`1.` … in both languages).
#[derive(Debug, Clone, Copy)]
pub struct NumberedTask<'a> {
    /// The task as written.
    pub task: &'a Task,
    /// Its number across the plan, from 1.
    pub n: usize,
    /// The index of its action in the plan.
    pub action: usize,
}

impl NumberedTask<'_> {
    /// `1.`.
    pub fn number(&self) -> String {
        numbering::task(self.n)
    }
}

/// A section of the attachment, with its number and its numbered items.
#[derive(Debug)]
pub struct NumberedSection<'a> {
    /// The section as written.
    pub section: &'a Section,
    /// Its position among the sections, from 1.
    pub ordinal: usize,
    /// Its items.
    pub items: Vec<NumberedItem<'a>>,
}

impl NumberedSection<'_> {
    /// `一、` / `I.`.
    pub fn number(&self, lang: Lang) -> String {
        numbering::section(self.ordinal, lang)
    }
}

/// An item of the attachment, with its number and the units it reaches.
#[derive(Debug)]
pub struct NumberedItem<'a> {
    /// The item as written.
    pub item: &'a Item,
    /// Its section's position, from 1.
    pub section: usize,
    /// Its position within its section, from 1.
    pub ordinal: usize,
    /// The units reached through the tasks it serves that its own text does not name, in the
    /// plan's order (the editor's reading, shown apart from the issued text's units).
    pub task_units: Vec<String>,
}

impl NumberedItem<'_> {
    /// `（一）` / `(1)`.
    pub fn number(&self, lang: Lang) -> String {
        numbering::paren(self.ordinal, lang)
    }

    /// The section's and the item's numbers together: `一、（一）` / `I.(1)`.
    pub fn full_number(&self, lang: Lang) -> String {
        format!(
            "{}{}",
            numbering::section(self.section, lang),
            numbering::paren(self.ordinal, lang)
        )
    }

    /// `附件一（三）` / `Attachment I (3)`, with the word for "attachment" given.
    pub fn label(&self, attachment: &Text) -> Text {
        Text {
            zh: format!(
                "{}{}{}",
                attachment.zh,
                numbering::zh_numeral(self.section),
                numbering::paren(self.ordinal, Lang::Zh)
            ),
            en: format!(
                "{} {} {}",
                attachment.en,
                numbering::section(self.section, Lang::En).trim_end_matches('.'),
                numbering::paren(self.ordinal, Lang::En)
            ),
        }
    }
}

/// Task numbers and item ids reaching a unit, each with whether the text itself names it.
#[derive(Debug, Default)]
pub struct UnitReach {
    /// The numbers of the tasks naming the unit (`true`) or reaching it through the plan's
    /// once-for-all sentence (`false`).
    pub tasks: Vec<(usize, bool)>,
    /// The ids of the items naming the unit (`true`) or reaching it through their tasks
    /// (`false`).
    pub items: Vec<(String, bool)>,
}

/// The facts derived from the content, built once.
#[derive(Debug)]
pub struct Library<'a> {
    /// The content the facts are derived from.
    pub content: &'a Content,
    units: HashMap<&'a str, &'a ResponsibleUnit>,
    actions: Vec<NumberedAction<'a>>,
    sections: Vec<NumberedSection<'a>>,
    reach: HashMap<&'a str, UnitReach>,
}

impl<'a> Library<'a> {
    /// Derives every fact from the loaded content.
    pub fn new(content: &'a Content) -> Self {
        let d = &content.document;
        let mut n = 0;
        let actions: Vec<NumberedAction> = d
            .plan
            .actions
            .iter()
            .enumerate()
            .map(|(i, action)| {
                let after = n + 1;
                let tasks = action
                    .tasks
                    .iter()
                    .map(|task| {
                        n += 1;
                        NumberedTask { task, n, action: i }
                    })
                    .collect();
                NumberedAction {
                    action,
                    ordinal: i + 1,
                    tasks,
                    after,
                }
            })
            .collect();
        let sections: Vec<NumberedSection> = d
            .attachment
            .sections
            .iter()
            .enumerate()
            .map(|(i, section)| NumberedSection {
                section,
                ordinal: i + 1,
                items: section
                    .items
                    .iter()
                    .enumerate()
                    .map(|(j, item)| NumberedItem {
                        item,
                        section: i + 1,
                        ordinal: j + 1,
                        task_units: task_units(&actions, item),
                    })
                    .collect(),
            })
            .collect();
        let mut lib = Library {
            content,
            units: content.units.iter().map(|u| (u.id.as_str(), u)).collect(),
            actions,
            sections,
            reach: HashMap::new(),
        };
        lib.reach = content
            .units
            .iter()
            .map(|u| (u.id.as_str(), lib.derive_reach(&u.id)))
            .collect();
        lib
    }

    /// The unit with this id.
    pub fn unit(&self, id: &str) -> Option<&'a ResponsibleUnit> {
        self.units.get(id).copied()
    }

    /// The units these ids name, in their order; an unknown id is passed over.
    pub fn units_of<'s>(
        &'s self,
        ids: &'s [String],
    ) -> impl Iterator<Item = &'a ResponsibleUnit> + 's {
        ids.iter().filter_map(|id| self.unit(id))
    }

    /// `一、` / `I.`: the number of the plan's general part.
    pub fn general_number(&self, lang: Lang) -> String {
        numbering::section(1, lang)
    }

    /// `二、` / `II.`: the number of the plan's heading over the actions.
    pub fn tasks_heading_number(&self, lang: Lang) -> String {
        numbering::section(2, lang)
    }

    /// The plan's actions, numbered.
    pub fn actions(&self) -> &[NumberedAction<'a>] {
        &self.actions
    }

    /// Every task of the plan, numbered, in order.
    pub fn tasks(&self) -> impl Iterator<Item = &NumberedTask<'a>> {
        self.actions.iter().flat_map(|a| a.tasks.iter())
    }

    /// The task with this id.
    pub fn task(&self, id: &str) -> Option<&NumberedTask<'a>> {
        self.tasks().find(|t| t.task.id == id)
    }

    /// The task numbered `n`.
    pub fn task_numbered(&self, n: usize) -> Option<&NumberedTask<'a>> {
        self.tasks().find(|t| t.n == n)
    }

    /// The attachment's sections, numbered.
    pub fn sections(&self) -> &[NumberedSection<'a>] {
        &self.sections
    }

    /// Every item of the attachment, numbered, in order.
    pub fn items(&self) -> impl Iterator<Item = &NumberedItem<'a>> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    /// The item with this id, or holding a clause with this id.
    pub fn item_holding(&self, id: &str) -> Option<&NumberedItem<'a>> {
        self.items()
            .find(|i| i.item.id == id || i.item.clauses.iter().any(|c| c.id == id))
    }

    /// The tasks an item serves, in the plan's order.
    pub fn served_tasks<'s>(
        &'s self,
        item: &'s Item,
    ) -> impl Iterator<Item = &'s NumberedTask<'a>> + 's {
        self.tasks()
            .filter(move |t| item.serves.contains(&t.task.id))
    }

    /// The tasks and items reaching a unit.
    pub fn reach(&self, unit: &str) -> Option<&UnitReach> {
        self.reach.get(unit)
    }

    /// The word for "attachment" in both languages, from the interface words.
    pub fn attachment_word(&self) -> Text {
        self.content
            .strings
            .get("attachment")
            .cloned()
            .unwrap_or_default()
    }

    fn derive_reach(&self, id: &str) -> UnitReach {
        let for_all = self
            .content
            .document
            .plan
            .all_tasks_units
            .iter()
            .any(|u| u == id);
        let tasks = self
            .tasks()
            .filter_map(|t| {
                if t.task.units.iter().any(|u| u == id) {
                    Some((t.n, true))
                } else if for_all {
                    Some((t.n, false))
                } else {
                    None
                }
            })
            .collect();
        let items = self
            .items()
            .filter_map(|i| {
                if i.item.units.iter().any(|u| u == id) {
                    Some((i.item.id.clone(), true))
                } else if i.task_units.iter().any(|u| u == id) {
                    Some((i.item.id.clone(), false))
                } else {
                    None
                }
            })
            .collect();
        UnitReach { tasks, items }
    }
}

/// The units an item reaches through the tasks it serves that its own text does not name.
fn task_units(actions: &[NumberedAction], item: &Item) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in actions.iter().flat_map(|a| a.tasks.iter()) {
        if item.serves.contains(&t.task.id) {
            for u in &t.task.units {
                if !out.contains(u) && !item.units.contains(u) {
                    out.push(u.clone());
                }
            }
        }
    }
    out
}

/// The number of the `n`th (from 1) unsectioned paragraph of a clause text: `（n）`.
pub fn paragraph_number(n: usize, lang: Lang) -> String {
    numbering::paren(n, lang)
}

/// The number of clause `j` of section `i` (both from 1) of a clause text, as one label:
/// `一（二）`, `1 (2)`.
pub fn section_clause_number(i: usize, j: usize, lang: Lang) -> String {
    format!(
        "{}{}",
        numbering::section(i, lang),
        numbering::paren(j, lang)
    )
    .replace("、（", "（")
    .replace(". (", " (")
}
