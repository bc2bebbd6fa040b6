//! Exact money and rates: `rust_decimal` throughout, rounded to the fen only at the end.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::Lang;

/// An amount of money in yuan (元), exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

/// A rate such as 50%, held as the fraction 0.5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(pub Decimal);

/// Why a string is not an acceptable amount or rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    /// Empty input.
    Empty,
    /// Not a plain decimal number (letters, exponents, several points, …).
    NotANumber,
    /// Below zero.
    Negative,
    /// More than two decimal places: money is counted to the fen.
    TooManyDecimals,
    /// Larger than any amount this policy could concern.
    TooLarge,
    /// A rate outside 0%–100%, or not written with `%`.
    BadRate,
}

impl MoneyError {
    /// What went wrong, in the reader's language, saying what is expected.
    pub fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (MoneyError::Empty, Lang::Zh) => "请输入金额",
            (MoneyError::Empty, Lang::En) => "Enter an amount",
            (MoneyError::NotANumber, Lang::Zh) => "请输入数字，例如 120000 或 1234.50",
            (MoneyError::NotANumber, Lang::En) => {
                "Enter a number of yuan, for example 120000 or 1234.50"
            }
            (MoneyError::Negative, Lang::Zh) => "金额不能为负数",
            (MoneyError::Negative, Lang::En) => "The amount cannot be negative",
            (MoneyError::TooManyDecimals, Lang::Zh) => "金额最多保留两位小数（到分）",
            (MoneyError::TooManyDecimals, Lang::En) => {
                "Use at most two decimal places (to the fen)"
            }
            (MoneyError::TooLarge, Lang::Zh) => "金额过大：请输入不超过 1000 亿元的金额",
            (MoneyError::TooLarge, Lang::En) => {
                "The amount is too large: enter at most RMB 100 billion"
            }
            (MoneyError::BadRate, Lang::Zh) => "比例应写作 0% 至 100% 之间的百分数",
            (MoneyError::BadRate, Lang::En) => "A rate is a percentage between 0% and 100%",
        }
    }
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message(Lang::En))
    }
}

impl std::error::Error for MoneyError {}

/// The largest amount accepted from a form or a content file: RMB 100 billion.
fn max_amount() -> Decimal {
    Decimal::from(100_000_000_000_i64)
}

/// Parses a plain decimal: digits, at most one point, no sign, no exponent, no separators
/// except an optional thousands comma. `Decimal::from_str` alone would accept `1e5`.
fn parse_plain(s: &str) -> Result<Decimal, MoneyError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(MoneyError::Empty);
    }
    if let Some(rest) = s.strip_prefix('-') {
        // One sign only: `--0` is not a number (found by the fuzz run).
        if rest.trim_start().starts_with('-') {
            return Err(MoneyError::NotANumber);
        }
        return match parse_plain(rest) {
            Ok(d) if d.is_zero() => Ok(d),
            Ok(_) => Err(MoneyError::Negative),
            Err(e) => Err(e),
        };
    }
    let digits: String = s.chars().filter(|c| *c != ',').collect();
    let mut points = 0;
    for c in digits.chars() {
        match c {
            '0'..='9' => {}
            '.' => points += 1,
            _ => return Err(MoneyError::NotANumber),
        }
    }
    if points > 1 || digits.starts_with('.') || digits.ends_with('.') || digits.len() > 40 {
        return Err(MoneyError::NotANumber);
    }
    Decimal::from_str(&digits).map_err(|_| MoneyError::TooLarge)
}

impl Money {
    /// Zero yuan.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Parses an amount typed by a reader or written in content: yuan, to the fen at most.
    pub fn parse(s: &str) -> Result<Money, MoneyError> {
        let d = parse_plain(s)?;
        if d.scale() > 2 && d.normalize().scale() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        if d > max_amount() {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money(d.normalize()))
    }

    /// Rounds half-up to the fen: done once, on the final figures only.
    pub fn round_to_fen(self) -> Money {
        Money(
            self.0
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        )
    }

    /// The smaller of two amounts.
    pub fn min(self, other: Money) -> Money {
        if other.0 < self.0 {
            other
        } else {
            self
        }
    }

    /// The amount as the policy text writes it: `10万元` / `RMB 100,000`, `200万元` / `RMB 2 million`.
    ///
    /// The build compares this rendering with the clause text, so it must follow the text's
    /// own convention: whole 万 in Chinese, and the glossary's "RMB 2 million" style in English.
    pub fn as_in_text(self, lang: Lang) -> String {
        let d = self.0.normalize();
        let wan = Decimal::from(10_000);
        let million = Decimal::from(1_000_000);
        match lang {
            Lang::Zh => {
                if d >= wan && (d % wan).is_zero() {
                    format!("{}万元", (d / wan).normalize())
                } else {
                    format!("{}元", group_thousands(&d.to_string()))
                }
            }
            Lang::En => {
                if d >= million && (d % million).is_zero() {
                    format!("RMB {} million", (d / million).normalize())
                } else {
                    format!("RMB {}", group_thousands(&d.to_string()))
                }
            }
        }
    }

    /// The amount as a result line shows it, to the fen: `60,000.00元` / `RMB 60,000.00`;
    /// whole amounts of 万 keep the text's own style (`6万元`).
    pub fn display(self, lang: Lang) -> String {
        let r = self.round_to_fen().0;
        if r.fract().is_zero() {
            return Money(r).as_in_text(lang);
        }
        let s = group_thousands(&format!("{:.2}", r));
        match lang {
            Lang::Zh => format!("{s}元"),
            Lang::En => format!("RMB {s}"),
        }
    }
}

/// Inserts thousands separators into the integer part of a plain decimal string.
fn group_thousands(s: &str) -> String {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let mut out = String::new();
    let len = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

impl Rate {
    /// Parses `50%` (content and forms write rates as percentages, as the text does).
    pub fn parse(s: &str) -> Result<Rate, MoneyError> {
        let s = s.trim();
        let num = s.strip_suffix('%').ok_or(MoneyError::BadRate)?;
        let d = parse_plain(num).map_err(|_| MoneyError::BadRate)?;
        if d > Decimal::from(100) {
            return Err(MoneyError::BadRate);
        }
        Ok(Rate(d / Decimal::from(100)))
    }

    /// `50%`, as both languages of the text write it.
    pub fn as_in_text(self) -> String {
        format!("{}%", (self.0 * Decimal::from(100)).normalize())
    }

    /// Applies the rate to a base amount, exactly.
    pub fn of(self, base: Money) -> Money {
        Money(self.0 * base.0)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.normalize().to_string())
    }
}

/// Accepts a YAML/JSON number or string; either way it must be a plain decimal of yuan.
impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = NumberOrString::deserialize(d)?;
        Money::parse(&raw.0).map_err(|e| {
            serde::de::Error::custom(format!(
                "expected an amount of yuan as a plain decimal (e.g. 100000), found `{}`: {e}",
                raw.0
            ))
        })
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_in_text())
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = NumberOrString::deserialize(d)?;
        Rate::parse(&raw.0).map_err(|_| {
            serde::de::Error::custom(format!(
                "expected a rate written as a percentage such as \"50%\", found `{}`",
                raw.0
            ))
        })
    }
}

/// A scalar read as text, so that numbers keep the digits the author wrote.
struct NumberOrString(String);

impl<'de> Deserialize<'de> for NumberOrString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = NumberOrString;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(NumberOrString(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(NumberOrString(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(NumberOrString(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(NumberOrString(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_exponents_and_junk() {
        assert_eq!(Money::parse("1e5"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("12a"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1.2.3"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse(""), Err(MoneyError::Empty));
        assert_eq!(Money::parse("-5"), Err(MoneyError::Negative));
        assert_eq!(Money::parse("1.234"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Money::parse("1000000000000"), Err(MoneyError::TooLarge));
        assert_eq!(
            Money::parse("120,000.50").unwrap().0.to_string(),
            "120000.5"
        );
    }

    #[test]
    fn renders_amounts_as_the_text_does() {
        let m = |s| Money::parse(s).unwrap();
        assert_eq!(m("100000").as_in_text(Lang::Zh), "10万元");
        assert_eq!(m("2000000").as_in_text(Lang::Zh), "200万元");
        assert_eq!(m("2000000").as_in_text(Lang::En), "RMB 2 million");
        assert_eq!(m("150000").as_in_text(Lang::En), "RMB 150,000");
        assert_eq!(m("60000.5").display(Lang::En), "RMB 60,000.50");
        assert_eq!(Rate::parse("50%").unwrap().as_in_text(), "50%");
    }

    #[test]
    fn rounds_half_up_to_the_fen() {
        assert!(Money::parse("0.125").is_err());
        let m = Money(Decimal::from_str("0.125").unwrap()).round_to_fen();
        assert_eq!(m.0.to_string(), "0.13");
    }
}
