//! The content model: both documents clause by clause, the unit registry, places, glossary
//! and the site's interface words, exactly as the files in `content/` state them.

use std::collections::BTreeMap;

use calculator::{Subsidy, Text};
use serde::Deserialize;

/// One responsible unit (责任单位) of the registry `units.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponsibleUnit {
    /// Stable id, also the page path `units/<id>/`.
    pub id: String,
    /// The name as the text writes it, and its English rendering.
    pub name: Text,
    /// Other Chinese forms the text uses for the same unit.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What kind of body it is.
    pub kind: UnitKind,
    /// A one-line note (for example, which counties are meant).
    #[serde(default)]
    pub note: Option<Text>,
}

/// The kinds of responsible unit, for grouping on the index page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    /// A department of the municipal government.
    Municipal,
    /// A unit under central or provincial line management (customs, tax, PBoC, NFRA, post).
    Vertical,
    /// The county governments and the Taizhou Bay New Area committee.
    LocalGovernment,
}

/// A place for the attachment's scope rule (`places.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceEntry {
    /// Stable id, used in calculator scenarios.
    pub id: String,
    /// The name in both languages.
    pub name: Text,
    /// City district (in scope) or county (refers to the policy).
    pub kind: calculator::ruleset::PlaceKind,
}

/// A glossary term (`glossary.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// Stable id, the anchor on the glossary page.
    pub id: String,
    /// The term; its English is the one rendering allowed.
    pub term: Text,
    /// Other written forms that count as the term.
    #[serde(default)]
    pub forms: Forms,
    /// A short definition.
    pub definition: Text,
}

/// Other written forms of a glossary term, per language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forms {
    /// Chinese forms.
    #[serde(default)]
    pub zh: Vec<String>,
    /// English forms.
    #[serde(default)]
    pub en: Vec<String>,
}

/// One entry of the terminology list (`terms.yaml`): a Chinese term the texts repeat, and the one
/// English rendering every text that uses it must contain. Unlike a glossary [`Term`], it is
/// never linked nor shown on the glossary page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermRendering {
    /// The Chinese term, as the texts write it.
    pub zh: String,
    /// The rendering; `…` stands for any words between its parts
    /// (`integrated … logistics network`).
    pub en: String,
    /// Other accepted forms of the same rendering (`stepping up financial support` beside
    /// `step up financial support`).
    #[serde(default)]
    pub forms: Vec<String>,
    /// Renderings found before and rejected: a text that uses the term must not contain them.
    #[serde(default)]
    pub instead_of: Vec<String>,
    /// Why this form was chosen, for the next translator.
    #[serde(default)]
    pub why: Option<String>,
}

/// The notice and the metadata of one document (`document.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentMeta {
    /// Stable id of the document (its folder name).
    pub id: String,
    /// The red header line (台州市人民政府办公室文件).
    pub header: Text,
    /// 发文字号.
    pub number: Text,
    /// The notice's title.
    pub title: Text,
    /// 主送: the addressees.
    pub addressees: Text,
    /// The notice's body.
    pub body: Text,
    /// 公开属性, as the text states it (此件公开发布).
    pub publicity: Text,
    /// 发文机关.
    pub issuer: Text,
    /// 印发日期.
    pub issued: Date,
    /// 施行日期.
    pub effective: Date,
    /// 有效期 in years.
    pub validity_years: u32,
    /// The unit that leads implementation (牵头组织实施).
    pub lead_unit: String,
    /// The earlier document whose provisions this one ends.
    pub replaces: Replaces,
    /// 抄送.
    pub cc: Text,
}

/// The earlier document whose cross-border provisions cease to apply.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replaces {
    /// Its 发文字号.
    pub number: Text,
    /// Its title.
    pub title: Text,
    /// Which of its provisions end.
    pub scope: Text,
}

/// The English month names, as the site writes dates (`19 November 2024`).
pub const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31.
    pub day: u32,
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("expected a date as YYYY-MM-DD, found `{s}`"))
        })
    }
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the month and day.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// `2024-11-19`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `2024年11月19日` / `19 November 2024`.
    pub fn long(&self, lang: calculator::Lang) -> String {
        match lang {
            calculator::Lang::Zh => format!("{}年{}月{}日", self.year, self.month, self.day),
            calculator::Lang::En => format!(
                "{} {} {}",
                self.day,
                ENGLISH_MONTHS[(self.month - 1) as usize],
                self.year
            ),
        }
    }

    /// The last day of a validity of `years` starting on this date.
    pub fn end_of_term(&self, years: u32) -> Date {
        // From 2025-01-01 for three years runs through 2027-12-31: the day before the
        // anniversary.
        let next = Date {
            year: self.year + years as i32,
            month: self.month,
            day: self
                .day
                .min(days_in_month(self.year + years as i32, self.month)),
        };
        next.previous_day()
    }

    fn previous_day(&self) -> Date {
        if self.day > 1 {
            Date {
                day: self.day - 1,
                ..*self
            }
        } else if self.month > 1 {
            Date {
                year: self.year,
                month: self.month - 1,
                day: days_in_month(self.year, self.month - 1),
            }
        } else {
            Date {
                year: self.year - 1,
                month: 12,
                day: 31,
            }
        }
    }

    /// The date of a Unix timestamp (UTC), for `SOURCE_DATE_EPOCH`.
    pub fn from_unix(secs: i64) -> Date {
        // Civil-from-days (Howard Hinnant's algorithm): no date crate needed for one conversion.
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// The action plan (`plan.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The plan's title.
    pub title: Text,
    /// The opening paragraph.
    pub preamble: Text,
    /// 一、总体要求, with the targets as numbers.
    pub general: General,
    /// 二、主要任务.
    pub tasks_heading: Text,
    /// Units the plan names once for every task (task 1's closing sentence).
    pub all_tasks_units: Vec<String>,
    /// The five actions.
    pub actions: Vec<Action>,
    /// The closing paragraphs (working requirements; entry into force).
    pub closing: Vec<Paragraph>,
}

/// The general requirements.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct General {
    /// Anchor id.
    pub id: String,
    /// The heading (总体要求).
    pub heading: Text,
    /// The paragraph.
    pub text: Text,
    /// The 2024 and 2027 targets the paragraph states, as data for the chart.
    pub targets: Vec<Target>,
}

/// One target series of the general requirements.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Anchor id.
    pub id: String,
    /// What is measured, as the text words it.
    pub name: Text,
    /// The unit of the values (亿元, 家).
    pub unit: Text,
    /// The value for each target year.
    pub values: Vec<TargetValue>,
}

/// A target for one year-end.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetValue {
    /// The year (到…年底).
    pub year: i32,
    /// The value, in the target's unit.
    pub value: rust_decimal::Decimal,
    /// The value as the English text of the general requirements writes it, where the unit does
    /// not carry over word for word (110 亿元 is "RMB 11 billion", 1 家 "1 leading enterprise");
    /// without it, the chart writes the value and the unit.
    #[serde(default)]
    pub en: Option<String>,
}

/// One of the five actions (行动).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Anchor id (`action-1`).
    pub id: String,
    /// The action's title.
    pub title: Text,
    /// Its tasks, numbered on across actions.
    pub tasks: Vec<Task>,
}

/// One of the twenty-two tasks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Anchor id (`task-1`).
    pub id: String,
    /// The task's title sentence.
    pub title: Text,
    /// The body after the title.
    pub text: Text,
    /// The 责任单位 parenthesis, as written.
    pub units_text: Text,
    /// The unit ids the parenthesis names, in order.
    pub units: Vec<String>,
}

/// A plain paragraph with an anchor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paragraph {
    /// Anchor id.
    pub id: String,
    /// The paragraph.
    pub text: Text,
}

/// The attachment of fiscal policies (`attachment.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// The attachment's title.
    pub title: Text,
    /// Its five sections.
    pub sections: Vec<Section>,
}

/// A section of the attachment (一、…).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Anchor id (`att-1`).
    pub id: String,
    /// The heading.
    pub title: Text,
    /// Its items (（一）…).
    pub items: Vec<Item>,
}

/// An item of a section: a titled paragraph of clauses.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Anchor id (`att-1-3`).
    pub id: String,
    /// The title sentence.
    pub title: Text,
    /// Units the item's own text names.
    #[serde(default)]
    pub units: Vec<String>,
    /// Action-plan tasks the item serves: our editorial link.
    #[serde(default)]
    pub serves: Vec<String>,
    /// The general rule the item states (附则 items are a single titled sentence).
    #[serde(default)]
    pub rule: Option<PolicyRule>,
    /// The sentences after the title.
    pub clauses: Vec<Clause>,
}

/// One sentence of the attachment, with the rule it states if any.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// Anchor id (`att-1-3-a`).
    pub id: String,
    /// The sentence.
    pub text: Text,
    /// The support measure the sentence states.
    #[serde(default)]
    pub subsidy: Option<Subsidy>,
    /// The general rule the sentence states (附则).
    #[serde(default)]
    pub rule: Option<PolicyRule>,
    /// An editor's note.
    #[serde(default)]
    pub note: Option<Text>,
}

/// The general rules of 附则 that the calculator quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyRule {
    /// Who the policy supports (附则（一）).
    Eligibility,
    /// Costs shared by fiscal level (附则（二）).
    FiscalSharing,
    /// Implementing rules still to be drawn up (附则（三）).
    ImplementingRules,
    /// The higher amount applies, without duplication (附则（四）).
    NoStacking,
    /// City districts apply it; counties refer to it (附则（五）).
    Scope,
}

/// The site's interface words: one map of key → text.
pub type Strings = BTreeMap<String, Text>;
