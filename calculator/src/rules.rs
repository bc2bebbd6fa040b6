//! What a subsidy is, as the attachment states it: a rate and its base, caps and what each cap is
//! counted per, fixed sums, thresholds, one-time or not. Content files deserialize into these
//! types; the engine applies them. No figure is written here.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Money, Rate};
use crate::text::{Code, Text};

/// Who may claim a subsidy, as the clause names the recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicant {
    /// A cross-border e-commerce enterprise (企业).
    Enterprise,
    /// An industry organisation, service provider or other institution (行业组织、机构单位、服务商).
    Organisation,
    /// An e-commerce training (service) institution (电子商务培训（服务）机构).
    TrainingInstitution,
}

impl Code for Applicant {
    const ALL: &'static [Applicant] = &[
        Applicant::Enterprise,
        Applicant::Organisation,
        Applicant::TrainingInstitution,
    ];

    fn code(self) -> &'static str {
        match self {
            Applicant::Enterprise => "enterprise",
            Applicant::Organisation => "organisation",
            Applicant::TrainingInstitution => "training-institution",
        }
    }
}

/// One support measure stated by one clause of the attachment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subsidy {
    /// Stable id, also the permalink anchor (`#subsidy-<id>`).
    pub id: String,
    /// Short name in both languages.
    pub name: Text,
    /// Who the clause pays; `None` (`applicant: any` in content) where the text names no type
    /// of claimant, so every type may claim it.
    #[serde(with = "any_applicant")]
    pub applicant: Option<Applicant>,
    /// Paid as a one-off lump sum (一次性). This says how it is paid, not how often an applicant
    /// may receive it: the per-applicant limit comes from a cap (单家企业…最高不超过).
    #[serde(default)]
    pub one_time: bool,
    /// Claims with the same matter are one 事项 for the no-stacking rule (就高不重复).
    pub matter: String,
    /// How the amount is set.
    pub amount: Amount,
    /// Several claims may be made under one subsidy (sessions, centres, events): their name.
    #[serde(default)]
    pub instance: Option<Text>,
    /// An editor's note on how the calculator reads an open point of the text.
    #[serde(default)]
    pub reading: Option<Text>,
    /// The clause's own words for a condition that the implementing rules (附则（三）) are still
    /// to set (符合条件的, 正常运营的, 达到一定目标). While it is unset, nobody can say whether
    /// an applicant meets it, so the line lists the ceiling apart and adds nothing to a total.
    /// The build checks that the words stand in the clause text, in both languages.
    #[serde(default)]
    pub pending_condition: Option<Text>,
    /// Set when the clause names its own beneficiary (台州湾经济技术开发区) or supports something
    /// other than an applicant's claim (capital joining an industry fund): the words saying whom
    /// or what it supports. Such a measure is listed, never offered as a claim.
    #[serde(default)]
    pub not_claimed: Option<Text>,
}

/// `applicant: any` ↔ `None`: the clause names no type of claimant.
mod any_applicant {
    use super::Applicant;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `any` for `None`.
    pub fn serialize<S: Serializer>(a: &Option<Applicant>, s: S) -> Result<S::Ok, S::Error> {
        match a {
            Some(a) => a.serialize(s),
            None => s.serialize_str("any"),
        }
    }

    /// Reads `any` as `None`, anything else as an [`Applicant`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Applicant>, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "kebab-case")]
        enum Payee {
            Enterprise,
            Organisation,
            TrainingInstitution,
            Any,
        }
        Ok(match Payee::deserialize(d)? {
            Payee::Enterprise => Some(Applicant::Enterprise),
            Payee::Organisation => Some(Applicant::Organisation),
            Payee::TrainingInstitution => Some(Applicant::TrainingInstitution),
            Payee::Any => None,
        })
    }
}

/// How a clause sets the amount of support.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Amount {
    /// A rate of a base amount (50% of the fee), within caps.
    Rate {
        /// The rate, e.g. `50%`.
        rate: Rate,
        /// The text says "not more than" the rate (不超过60%): the rate itself is a ceiling.
        #[serde(default)]
        rate_is_ceiling: bool,
        /// What the rate applies to.
        base: Base,
        /// A minimum each claim must reach (150 trainees per session).
        #[serde(default)]
        threshold: Option<Threshold>,
        /// Upper limits, each counted per something.
        #[serde(default)]
        caps: Vec<Cap>,
    },
    /// A fixed sum paid when a condition is met (15万元 for reaching the shop target).
    Fixed {
        /// The sum.
        sum: Money,
        /// What must be true, in both languages.
        condition: Text,
    },
    /// A ceiling with no rate: the support is at most the cap (and, if costs are given, at most
    /// the costs).
    CapOnly {
        /// The costs the support is for, if the clause names them.
        #[serde(default)]
        base: Option<Base>,
        /// Upper limits.
        caps: Vec<Cap>,
    },
    /// The clause promises support but sets no amount: never given an invented figure.
    NotSet,
}

/// The amount a rate applies to, named as the clause names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Base {
    /// Input id in scenarios (`fee`, `investment`, `premium`, `cost`).
    pub id: String,
    /// The clause's own term for it.
    pub name: Text,
}

/// A minimum that each claim must reach before any support is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// Input id in scenarios (`trainees`).
    pub id: String,
    /// What is counted, in both languages.
    pub name: Text,
    /// The least count that qualifies (inclusive: 不少于).
    pub min: Decimal,
    /// The counting unit as the text writes it (人 / trainees).
    pub unit: Text,
}

/// An upper limit on support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cap {
    /// The limit.
    pub amount: Money,
    /// What the limit is counted per.
    pub per: CapScope,
}

/// What a cap is counted per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapScope {
    /// Each instance claimed (a session, a centre, an event).
    Instance,
    /// The applicant as a whole (单家企业).
    Applicant,
    /// The applicant within one calendar year (单个机构全年累计).
    ApplicantYear,
}

impl Code for CapScope {
    const ALL: &'static [CapScope] = &[
        CapScope::Instance,
        CapScope::Applicant,
        CapScope::ApplicantYear,
    ];

    fn code(self) -> &'static str {
        match self {
            CapScope::Instance => "instance",
            CapScope::Applicant => "applicant",
            CapScope::ApplicantYear => "applicant-year",
        }
    }
}

impl Subsidy {
    /// True when `kind` may claim this subsidy: the clause pays it, or names no claimant type.
    pub fn pays(&self, kind: Applicant) -> bool {
        self.applicant.is_none_or(|a| a == kind)
    }

    /// The most the clause allows where nothing is entered: the tightest cap, or the fixed sum.
    pub fn ceiling(&self) -> Option<&Cap> {
        match &self.amount {
            Amount::Rate { caps, .. } | Amount::CapOnly { caps, .. } => {
                caps.iter().min_by(|a, b| a.amount.cmp(&b.amount))
            }
            _ => None,
        }
    }
}

impl Amount {
    /// Every money figure the data states, for the build to find in the clause text.
    pub fn figures(&self) -> Vec<Money> {
        match self {
            Amount::Rate { caps, .. } | Amount::CapOnly { caps, .. } => {
                caps.iter().map(|c| c.amount).collect()
            }
            Amount::Fixed { sum, .. } => vec![*sum],
            Amount::NotSet => vec![],
        }
    }
}
