//! What a subsidy is, as the attachment states it: a rate and its base, caps and what each cap is
//! counted per, fixed sums, thresholds, one-time or not. Content files deserialize into these
//! types; the engine applies them. No figure is written here.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Money, Rate};
use crate::text::Text;

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

/// One support measure stated by one clause of the attachment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subsidy {
    /// Stable id, also the permalink anchor (`#subsidy-<id>`).
    pub id: String,
    /// Short name in both languages.
    pub name: Text,
    /// Who the clause pays.
    pub applicant: Applicant,
    /// Paid once only (一次性).
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
