//! The rule set: everything the engine and the browser app need from `content/`, written by the
//! generator as `rules.json`. It carries the subsidies with the clauses they come from and the
//! units to contact, the places of the policy's scope, and the 附则 clauses the engine quotes.
//!
//! Field names are snake_case and enum values kebab-case, as in the content files, so that a
//! reader of `rules.json` meets the same words as an editor of `attachment.yaml`.

use serde::{Deserialize, Serialize};

use crate::rules::Subsidy;
use crate::text::Text;

/// All the data one estimate needs, for one version of the policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// The rule-set version printed on every estimate (the generator decides its form, e.g. the
    /// document id and the content's date), so a printed estimate says which rules it used.
    pub version: String,
    /// The document the rules come from.
    pub document: DocumentInfo,
    /// Every support measure of the attachment, in document order, including those that set no
    /// amount.
    pub subsidies: Vec<SubsidyRule>,
    /// The city districts and counties an applicant may say it operates in.
    pub places: Vec<Place>,
    /// The 附则 clauses the engine quotes in its notices.
    pub policy: PolicyClauses,
}

/// The document's metadata, as a printed estimate heads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentInfo {
    /// 发文字号, e.g. 台政办发〔2024〕26号.
    pub number: Text,
    /// The document's full title.
    pub title: Text,
    /// 印发日期, `YYYY-MM-DD`.
    pub issued: String,
    /// 施行日期, `YYYY-MM-DD`.
    pub effective: String,
    /// The last day of validity, `YYYY-MM-DD`.
    pub expires: String,
    /// The validity as a sentence (自2025年1月1日起施行，有效期3年 / …).
    pub validity: Text,
}

/// One subsidy with where it comes from and whom to ask about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubsidyRule {
    /// The measure itself: who it pays, how the amount is set.
    pub subsidy: Subsidy,
    /// The clause that states it.
    pub clause: ClauseRef,
    /// Units the attachment's own text names for this item (often none).
    pub text_units: Vec<UnitRef>,
    /// Our editorial link: the units of the action-plan tasks the item serves. Shown marked as
    /// editorial, because the attachment does not name them itself.
    pub task_units: Vec<UnitRef>,
    /// The action-plan tasks the item serves.
    pub tasks: Vec<TaskRef>,
}

/// A pointer to one clause of a document, with its text to quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseRef {
    /// The anchor id on its page (`att-1-3-a`).
    pub id: String,
    /// The site-relative page directory (`attachment`), so the permalink is
    /// `/<lang>/<page>/#<id>`.
    pub page: String,
    /// How a reader cites it: 附件一（三） / Attachment I(3).
    pub label: Text,
    /// The clause text, both languages.
    pub text: Text,
}

/// A responsible unit, linked to its page `units/<id>/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRef {
    /// The unit's id in `units.yaml`.
    pub id: String,
    /// The unit's name.
    pub name: Text,
}

/// An action-plan task, linked to its permalink.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskRef {
    /// The task's id in `plan.yaml` (`task-3`).
    pub id: String,
    /// How a reader cites it (任务3：培育跨境电商品牌 / Task 3: …).
    pub label: Text,
}

/// A city district or county an applicant may operate in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// The place's id in `places.yaml` (`jiaojiang`).
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Whether the policy applies there or is only referred to.
    pub kind: PlaceKind,
}

/// Where a place stands under the scope clause (附则（五）).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceKind {
    /// One of the city districts (市区) where the policy is executed.
    CityDistrict,
    /// A county or county-level city, which only refers to the policy (参照执行).
    County,
}

impl crate::text::Code for PlaceKind {
    const ALL: &'static [PlaceKind] = &[PlaceKind::CityDistrict, PlaceKind::County];

    fn code(self) -> &'static str {
        match self {
            PlaceKind::CityDistrict => "city-district",
            PlaceKind::County => "county",
        }
    }
}

/// The general clauses (附则) the engine quotes beside its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyClauses {
    /// Who may be supported (not on the serious-dishonesty list or joint-punishment catalogue).
    pub eligibility: ClauseRef,
    /// Where the policy is executed (the city districts) and where it is referred to.
    pub scope: ClauseRef,
    /// The higher amount applies, without duplication (就高不重复).
    pub no_stacking: ClauseRef,
    /// The implementing rules are still to be drawn up: every figure is a ceiling.
    pub implementing_rules: ClauseRef,
    /// The units that clause names to draw up the implementing rules.
    pub implementing_units: Vec<UnitRef>,
    /// The units the scope clause names (各县（市）参照执行): a county applicant's own
    /// government, to contact about the county's rules.
    #[serde(default)]
    pub scope_units: Vec<UnitRef>,
}

impl RuleSet {
    /// The subsidy with this id, if the rule set has one.
    pub fn subsidy(&self, id: &str) -> Option<&SubsidyRule> {
        self.subsidies.iter().find(|s| s.subsidy.id == id)
    }

    /// The place with this id, if the rule set has one.
    pub fn place(&self, id: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.id == id)
    }
}
