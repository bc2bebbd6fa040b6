//! A scenario: who is asking (the applicant's profile) and what it claims (subsidies with their
//! inputs). It arrives from a YAML/JSON file on the command line or from the URL fragment in the
//! browser, so amounts stay strings until the engine validates them with [`Money::parse_typed`]: a
//! reader's typing mistake must come back as a message beside the field, never as a panic.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::money::{read_typed, Money, MoneyError, Units};
use crate::rules::Applicant;
use crate::text::{Code, Lang, Text};

/// The input key that marks a fixed-sum condition as met (`met: true`).
pub const MET: &str = "met";

/// What one estimate is asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Who applies.
    pub applicant: Profile,
    /// What it claims, in the order the reader entered them.
    #[serde(default)]
    pub claims: Vec<Claim>,
}

/// The applicant's profile: the facts the eligibility and scope clauses turn on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// An enterprise, an organisation or a training institution.
    pub kind: Applicant,
    /// The id of the place where it operates (`jiaojiang`, `wenling`, …).
    pub place: String,
    /// On the serious-dishonesty list or the joint-punishment catalogue.
    #[serde(default)]
    pub dishonest: bool,
}

/// One subsidy claimed, with one or more instances (sessions, centres, events…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// The subsidy's id in the rule set.
    pub subsidy: String,
    /// The instances claimed; an empty list reads as one instance with no inputs.
    #[serde(default)]
    pub instances: Vec<Instance>,
    /// An amount already granted for the same matter under another policy, as typed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "optional_scalar"
    )]
    pub other_award: Option<String>,
}

/// One instance of a claim: its inputs by id, as typed, and whether a fixed sum's condition is
/// met. Written in YAML as a flat map: `{fee: "120000"}`, `{cost: 80000, trainees: 150}`,
/// `{met: true}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Instance {
    /// Inputs by id (`fee`, `investment`, `premium`, `cost`, `trainees`), as typed.
    pub inputs: BTreeMap<String, String>,
    /// The condition of a fixed sum is met.
    pub met: bool,
}

impl Instance {
    /// An instance with the given inputs.
    pub fn with(inputs: &[(&str, &str)]) -> Instance {
        Instance {
            inputs: inputs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            met: false,
        }
    }

    /// An instance whose fixed-sum condition is met.
    pub fn met() -> Instance {
        Instance {
            inputs: BTreeMap::new(),
            met: true,
        }
    }
}

impl Serialize for Instance {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.inputs.len() + usize::from(self.met)))?;
        for (k, v) in &self.inputs {
            map.serialize_entry(k, v)?;
        }
        if self.met {
            map.serialize_entry(MET, &true)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Instance {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Instance;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of inputs, e.g. {fee: \"120000\"} or {met: true}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Instance, A::Error> {
                let mut inst = Instance::default();
                while let Some(key) = m.next_key::<String>()? {
                    if key == MET {
                        inst.met = m.next_value::<bool>()?;
                    } else {
                        let Scalar(v) = m.next_value()?;
                        if inst.inputs.insert(key.clone(), v).is_some() {
                            return Err(de::Error::custom(format!("input `{key}` given twice")));
                        }
                    }
                }
                Ok(inst)
            }
        }
        d.deserialize_map(V)
    }
}

/// A scalar kept as text, so that a quoted `"120000.50"` or `"12万"` reaches
/// [`Money::parse_typed`] exactly as written. A bare integer is its digits and is accepted; a
/// bare number that is not an integer (`1.5`) or is in exponent form (`1e5`) has already been
/// read as a float by the YAML or JSON parser, its digits lost, so it is refused with the way
/// to write it: as text.
struct Scalar(String);

/// Why a bare float is refused, with what to write instead.
const FLOAT_AMOUNT: &str = "a bare number that is not a whole number, or is in exponent form, has passed through a float and lost its digits: write amounts as text, e.g. \"1.5\"";

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an amount or a count, as text (\"120000\", \"12万\") or a whole number",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Err(E::custom(format!("{FLOAT_AMOUNT} (read here as {v})")))
            }
        }
        d.deserialize_any(V)
    }
}

fn optional_scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<Scalar>::deserialize(d).map(|o| o.map(|Scalar(s)| s))
}

/// A reader's input that cannot be used, with where it is, so the app can show the message
/// beside the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Where: `applicant.place`, `claims[0].instances[1].cost`, `claims[2].other_award`,
    /// `claims[1].subsidy`, or a fragment key (`a`, `p`, `c[0]`).
    pub path: String,
    /// What is wrong.
    pub kind: InputErrorKind,
}

/// What is wrong with an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputErrorKind {
    /// An amount that [`Money::parse_typed`] rejects.
    Money(MoneyError),
    /// A count (trainees) that is not a whole number of zero or more.
    NotACount,
    /// An input the subsidy needs was not given.
    Missing,
    /// An input this subsidy does not take.
    UnknownInput,
    /// A subsidy id the rule set does not have.
    UnknownSubsidy,
    /// A place id the rule set does not have.
    UnknownPlace,
    /// A subsidy claimed a second time: its instances belong in the first claim.
    DuplicateClaim,
    /// A URL fragment that is not in the calculator's format.
    BadFragment,
}

impl InputErrorKind {
    /// A stable code for JSON and tests (`not-a-number`, `missing`, …).
    pub fn code(&self) -> &'static str {
        match self {
            InputErrorKind::Money(MoneyError::Empty) => "empty",
            InputErrorKind::Money(MoneyError::NotANumber) => "not-a-number",
            InputErrorKind::Money(MoneyError::Grouping) => "bad-grouping",
            InputErrorKind::Money(MoneyError::Negative) => "negative",
            InputErrorKind::Money(MoneyError::TooManyDecimals) => "too-many-decimals",
            InputErrorKind::Money(MoneyError::TooLarge) => "too-large",
            InputErrorKind::Money(MoneyError::BadRate) => "bad-rate",
            InputErrorKind::NotACount => "not-a-count",
            InputErrorKind::Missing => "missing",
            InputErrorKind::UnknownInput => "unknown-input",
            InputErrorKind::UnknownSubsidy => "unknown-subsidy",
            InputErrorKind::UnknownPlace => "unknown-place",
            InputErrorKind::DuplicateClaim => "duplicate-claim",
            InputErrorKind::BadFragment => "bad-fragment",
        }
    }

    /// What went wrong, in the reader's language, saying what is expected.
    pub fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (InputErrorKind::Money(e), _) => e.message(lang),
            (InputErrorKind::NotACount, Lang::Zh) => "请输入不小于 0 的整数，例如 150",
            (InputErrorKind::NotACount, Lang::En) => {
                "Enter a whole number of zero or more, for example 150"
            }
            (InputErrorKind::Missing, Lang::Zh) => "请填写此项",
            (InputErrorKind::Missing, Lang::En) => "This input is needed",
            (InputErrorKind::UnknownInput, Lang::Zh) => "此项扶持不使用该输入",
            (InputErrorKind::UnknownInput, Lang::En) => "This subsidy does not take that input",
            (InputErrorKind::UnknownSubsidy, Lang::Zh) => "本政策中没有这一扶持项目",
            (InputErrorKind::UnknownSubsidy, Lang::En) => "This policy has no such subsidy",
            (InputErrorKind::UnknownPlace, Lang::Zh) => "请选择所在的区或县（市）",
            (InputErrorKind::UnknownPlace, Lang::En) => {
                "Choose the district or county where you operate"
            }
            (InputErrorKind::DuplicateClaim, Lang::Zh) => {
                "该扶持项目已选择：请在同一项下添加多个场次或项目"
            }
            (InputErrorKind::DuplicateClaim, Lang::En) => {
                "This subsidy is already claimed: add further instances to that claim"
            }
            (InputErrorKind::BadFragment, Lang::Zh) => "链接中的测算参数无法读取",
            (InputErrorKind::BadFragment, Lang::En) => "The estimate in this link cannot be read",
        }
    }
}

impl InputError {
    /// An error at a path.
    pub fn new(path: impl Into<String>, kind: InputErrorKind) -> InputError {
        InputError {
            path: path.into(),
            kind,
        }
    }

    /// The message in both languages.
    pub fn text(&self) -> Text {
        Text {
            zh: self.kind.message(Lang::Zh).to_string(),
            en: self.kind.message(Lang::En).to_string(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind.message(Lang::En))
    }
}

impl std::error::Error for InputError {}

/// Serialized as `{path, error, message: {zh, en}}` so a JSON reader gets both the code and the
/// words.
impl Serialize for InputError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("path", &self.path)?;
        map.serialize_entry("error", self.kind.code())?;
        map.serialize_entry("message", &self.text())?;
        map.end()
    }
}

/// The largest count accepted: no policy counts a billion people, and the bound keeps the
/// arithmetic far from overflow.
const MAX_COUNT: u64 = 999_999_999;

/// Parses a count such as a number of trainees, as a reader types it: ASCII or full-width
/// digits, commas or spaces grouping thousands (`1,500`, `１５０`), and `万` when the result is a
/// whole number (`1.5万` is 15,000; `1.23456万` is refused). A decimal point without `万` is
/// refused (`149.0` is not a count a reader would type), and so are currency units, signs
/// (`-0` reads as 0) and exponents.
pub fn parse_count(s: &str) -> Result<u64, InputErrorKind> {
    let folded_point = s.contains(['.', '\u{FF0E}']);
    match read_typed(s, Units::Count) {
        Err(MoneyError::Empty) => Err(InputErrorKind::Money(MoneyError::Empty)),
        Err(_) => Err(InputErrorKind::NotACount),
        Ok(_) if folded_point && !s.contains('万') => Err(InputErrorKind::NotACount),
        Ok(d) if d.fract().is_zero() && d <= Decimal::from(MAX_COUNT) => {
            d.to_u64().ok_or(InputErrorKind::NotACount)
        }
        Ok(_) => Err(InputErrorKind::NotACount),
    }
}

/// Parses an amount typed by the reader (the form, a scenario file, a link) with the lenient
/// reading of [`Money::parse_typed`], the error as an input-error kind.
pub fn parse_amount(s: &str) -> Result<Money, InputErrorKind> {
    Money::parse_typed(s).map_err(InputErrorKind::Money)
}

// ---------------------------------------------------------------------------------------------
// The URL fragment.
//
// `a=enterprise&p=jiaojiang&d=0&c=trademark:fee=120000&c=training@20000:cost=80000,trainees=150;met`
//
// `a` applicant kind, `p` place id, `d` dishonest (0/1), then one `c` per claim, in order:
// `subsidy[@other_award][:instance(;instance)*]`, an instance being `key=value` items joined by
// `,` and the bare word `met`. Keys and values are percent-encoded outside `[A-Za-z0-9._-]`, so
// an amount typed as `120,000` or with Chinese text survives the round trip exactly as typed.
// Nothing here is ever sent to a server: a fragment stays in the browser.
// ---------------------------------------------------------------------------------------------

impl Scenario {
    /// The scenario as a URL fragment (without the leading `#`).
    pub fn to_fragment(&self) -> String {
        let mut out = format!(
            "a={}&p={}&d={}",
            self.applicant.kind.code(),
            encode(&self.applicant.place),
            u8::from(self.applicant.dishonest)
        );
        for claim in &self.claims {
            out.push_str("&c=");
            out.push_str(&encode(&claim.subsidy));
            if let Some(o) = &claim.other_award {
                out.push('@');
                out.push_str(&encode(o));
            }
            if !claim.instances.is_empty() {
                out.push(':');
                let parts: Vec<String> = claim.instances.iter().map(encode_instance).collect();
                out.push_str(&parts.join(";"));
            }
        }
        out
    }

    /// Reads a scenario from a URL fragment (with or without the leading `#`). The structure must
    /// be right; the amounts are kept as typed and validated by the engine, so a link with a bad
    /// amount still opens with the message beside the field.
    pub fn from_fragment(fragment: &str) -> Result<Scenario, InputError> {
        let bad = |path: &str| InputError::new(path, InputErrorKind::BadFragment);
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let mut kind = None;
        let mut place = None;
        let mut dishonest = false;
        let mut claims = Vec::new();
        for part in fragment.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| bad(part))?;
            match key {
                "a" => kind = Some(Applicant::from_code(value).ok_or_else(|| bad("a"))?),
                "p" => place = Some(decode(value).ok_or_else(|| bad("p"))?),
                "d" => {
                    dishonest = match value {
                        "0" => false,
                        "1" => true,
                        _ => return Err(bad("d")),
                    }
                }
                "c" => {
                    let path = format!("c[{}]", claims.len());
                    claims.push(decode_claim(value).ok_or_else(|| bad(&path))?);
                }
                _ => return Err(bad(key)),
            }
        }
        Ok(Scenario {
            applicant: Profile {
                kind: kind.ok_or_else(|| bad("a"))?,
                place: place.ok_or_else(|| bad("p"))?,
                dishonest,
            },
            claims,
        })
    }
}

fn encode_instance(inst: &Instance) -> String {
    let mut items: Vec<String> = inst
        .inputs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    if inst.met {
        items.push(MET.to_string());
    }
    items.join(",")
}

fn decode_claim(s: &str) -> Option<Claim> {
    let (head, body) = match s.split_once(':') {
        Some((h, b)) => (h, Some(b)),
        None => (s, None),
    };
    let (id, other) = match head.split_once('@') {
        Some((i, o)) => (i, Some(decode(o)?)),
        None => (head, None),
    };
    let subsidy = decode(id)?;
    if subsidy.is_empty() {
        return None;
    }
    let instances = match body {
        None => Vec::new(),
        Some(b) => b.split(';').map(decode_instance).collect::<Option<_>>()?,
    };
    Some(Claim {
        subsidy,
        instances,
        other_award: other,
    })
}

fn decode_instance(s: &str) -> Option<Instance> {
    let mut inst = Instance::default();
    for item in s.split(',').filter(|i| !i.is_empty()) {
        if item == MET {
            if inst.met {
                return None;
            }
            inst.met = true;
            continue;
        }
        let (k, v) = item.split_once('=')?;
        let k = decode(k)?;
        if k == MET || inst.inputs.insert(k, decode(v)?).is_some() {
            return None;
        }
    }
    Some(inst)
}

/// Percent-encodes every byte outside `[A-Za-z0-9._-]`, so the separators `& = : ; , @ %` can
/// never occur inside a key or value.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reverses [`encode`]; `None` for a malformed escape or bytes that are not UTF-8.
fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_round_trips() {
        for s in ["", "120,000.50", "椒江", "a&b=c:d;e@f%g", "%", "1 2"] {
            assert_eq!(decode(&encode(s)).as_deref(), Some(s));
        }
        assert_eq!(decode("%"), None);
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%E6"), None);
    }

    #[test]
    fn counts_are_whole_numbers() {
        assert_eq!(parse_count(" 150 "), Ok(150));
        assert_eq!(parse_count("149.5"), Err(InputErrorKind::NotACount));
        assert_eq!(parse_count("-1"), Err(InputErrorKind::NotACount));
        assert_eq!(parse_count("1e3"), Err(InputErrorKind::NotACount));
        assert_eq!(parse_count("9999999999"), Err(InputErrorKind::NotACount));
        assert_eq!(
            parse_count(""),
            Err(InputErrorKind::Money(MoneyError::Empty))
        );
    }
}
