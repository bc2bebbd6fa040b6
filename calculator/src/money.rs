//! Exact money and rates: `rust_decimal` throughout, rounded to the fen only at the end.

use std::fmt;

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
    /// Empty input (or nothing left once the units are taken off: `万元`, `¥`).
    Empty,
    /// Not a plain decimal number (letters, exponents, several points, …).
    NotANumber,
    /// Commas or spaces that do not group thousands (`1,5`, `,1,,2,0`, `1,200 000`): the reader
    /// may have meant a decimal comma, so the amount is refused rather than guessed.
    Grouping,
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
            (MoneyError::NotANumber, Lang::Zh) => {
                "请输入数字，例如 120000、120,000、12万 或 1234.50"
            }
            (MoneyError::NotANumber, Lang::En) => {
                "Enter a number of yuan, for example 120000, 120,000 or 1234.50"
            }
            (MoneyError::Grouping, Lang::Zh) => {
                "逗号或空格只能三位一组分隔千位，例如 120,000；小数请用小数点，例如 1.5"
            }
            (MoneyError::Grouping, Lang::En) => {
                "Commas and spaces may only group thousands, as in 120,000; write decimals with a point, as in 1.5"
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

/// Parses a plain decimal: digits, at most one point, no sign, no exponent, no separators.
/// `Decimal::from_str` alone would accept `1e5`. This is the strict reading for content and
/// the rules data, which are written by the site's authors and by the generator; what readers
/// type goes through [`Money::parse_typed`].
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
    let digits = s;
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
    plain_decimal(digits).ok_or(MoneyError::TooLarge)
}

/// Reads a plain decimal (ASCII digits, at most one point, an optional leading `-`) exactly as
/// `Decimal::from_str` reads it — the same value and scale, and beyond the 28 digits `Decimal`
/// holds after the point, rounded half up on the next digit — or `None` where it fails.
///
/// Written out because `Decimal`'s own parser (with its exponent, underscore and rounding
/// paths, generic over several cases) is several kilobytes of the browser app's WASM; this is
/// the only form the app reads.
pub fn plain_decimal(s: &str) -> Option<Decimal> {
    /// The largest mantissa a `Decimal` holds: 96 bits.
    const MAX: u128 = (1 << 96) - 1;
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut m: u128 = 0;
    let mut scale: u32 = 0;
    let mut point = false;
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'.' {
            if point {
                return None;
            }
            point = true;
            continue;
        }
        if !b.is_ascii_digit() {
            return None;
        }
        let digit = u128::from(b - b'0');
        let next = m * 10 + digit;
        if next > MAX || (point && scale >= 28) {
            // More digits than `Decimal` holds: a whole number is refused, a fraction is
            // rounded half up on this digit, and what follows must still be digits.
            if !point || !bytes.all(|b| b.is_ascii_digit()) {
                return None;
            }
            if digit >= 5 {
                m += 1;
                if m > MAX {
                    if scale == 0 {
                        return None;
                    }
                    m = (m + 4) / 10;
                    scale -= 1;
                }
            }
            break;
        }
        m = next;
        if point {
            scale += 1;
        }
    }
    let m = i128::try_from(m).ok()?;
    Decimal::try_from_i128_with_scale(if negative { -m } else { m }, scale).ok()
}

impl Money {
    /// Zero yuan.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Parses an amount written in content or the rules data: a plain decimal of yuan
    /// (`120000`, `1234.5`), to the fen at most. Strict: no separators, units or signs.
    pub fn parse(s: &str) -> Result<Money, MoneyError> {
        let d = parse_plain(s)?;
        // Counted in the text: `Decimal` keeps 28 digits and would round a longer fraction
        // (`8000.00000000000000000000000005` to 8000) instead of refusing it.
        let written = s.trim().split_once('.').map_or("", |(_, f)| f);
        if written.trim_end_matches('0').len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        if d > max_amount() {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money(d.normalize()))
    }

    /// Parses an amount as a reader types it, in the form or in a scenario file: full-width
    /// digits and punctuation, `¥`/`￥`/`RMB` before, `元`/`万`/`万元`/`RMB`/`million` after,
    /// commas or spaces grouping thousands. Anything that could be read two ways is refused
    /// (see [`read_typed`]); the result is in yuan, to the fen at most.
    pub fn parse_typed(s: &str) -> Result<Money, MoneyError> {
        read_typed(s, Units::Money).map(|d| Money(d.normalize()))
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
                // Whole 万: a whole number whose quotient is whole (`%` would bring `Decimal`'s
                // remainder code into the WASM for this one test).
                if d >= wan && d.fract().is_zero() && (d / wan).fract().is_zero() {
                    format!("{}万元", (d / wan).normalize())
                } else {
                    format!("{}元", group_thousands(&d.to_string()))
                }
            }
            Lang::En => {
                if d >= million && d.fract().is_zero() && (d / million).fract().is_zero() {
                    format!("RMB {} million", (d / million).normalize())
                } else {
                    format!("RMB {}", group_thousands(&d.to_string()))
                }
            }
        }
    }

    /// The amount read from a typed field, echoed beside it so that a wrong number of zeros
    /// shows: `= 12万元` / `= RMB 120,000`, `= 1,234.50元` / `= RMB 1,234.50`. It is the
    /// rendering of the results ([`Money::display`]), so the reader sees the figure the estimate
    /// uses, and [`Money::parse_typed`] reads it back (without the `= `) to the same amount.
    pub fn echo(self, lang: Lang) -> String {
        format!("= {}", self.display(lang))
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

/// What a typed figure may carry besides its digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    /// An amount of money: `¥`, `￥` or `RMB` before; `元`, `万`, `万元`, `RMB` or `million` after.
    Money,
    /// A count (trainees): `万` after, nothing else.
    Count,
}

/// Readers' inputs are short; anything longer (spaces around it aside) is not an amount and is
/// refused before any work.
const MAX_TYPED_CHARS: usize = 100;

/// The yuan amount has at most this many digits before the point (RMB 100 billion has 12).
const MAX_INTEGER_DIGITS: usize = 12;

/// Maps what an input method or a phone keyboard produces to the ASCII the grammar is written
/// in: full-width forms (`１２０`, `．`, `，`, `ＲＭＢ`, `－`) to ASCII, `￥` to `¥`, every kind of
/// space (ideographic, no-break, thin, tab) to a plain space, and the minus sign to `-`.
fn fold_char(c: char) -> char {
    match c {
        // The full-width block mirrors ASCII `!`..`~` at a fixed offset.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{FFE5}' => '¥',
        '\u{2212}' | '\u{FE63}' => '-',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

/// `s` without the ASCII prefix `p`, compared case-insensitively.
fn strip_prefix_ci<'a>(s: &'a str, p: &str) -> Option<&'a str> {
    let head = s.get(..p.len())?;
    head.eq_ignore_ascii_case(p).then(|| &s[p.len()..])
}

/// `s` without the ASCII suffix `p`, compared case-insensitively.
fn strip_suffix_ci<'a>(s: &'a str, p: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(p.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(p).then(|| &s[..cut])
}

/// Reads a figure as a reader types it and returns its exact value (in yuan for money).
///
/// Accepted: ASCII or full-width digits; one decimal point (`.` or `．`); a currency before
/// (`¥`, `￥`, `RMB` in any case) and a unit after (`元`, `万`, `万元`, `RMB`, `million`); spaces
/// around them; commas (either width) or spaces grouping thousands — a first group of one to
/// three digits, then groups of exactly three, all with the same kind of separator.
///
/// Refused, because it could mean two things or is not an amount: a comma or space that does
/// not group thousands (`1,5`, `,1,,2,0,0,0,0,`, `1,200 000`); separators after the point; an
/// exponent (`1e5`) or any other letter; a sign other than a leading minus (refused as
/// negative unless the value is zero); more than two decimals once scaled to yuan (`12.345万`
/// is 123,450 yuan and fine; `1.234元` is refused); nothing left once the units are taken off.
pub fn read_typed(s: &str, units: Units) -> Result<Decimal, MoneyError> {
    // Spaces around a pasted value are harmless; the bound is on what is left.
    let s = s.trim();
    if s.chars().count() > MAX_TYPED_CHARS {
        return Err(MoneyError::NotANumber);
    }
    let folded: String = s.chars().map(fold_char).collect();
    let mut t = folded.trim();
    if t.is_empty() {
        return Err(MoneyError::Empty);
    }
    let mut negative = false;
    if let Some(r) = t.strip_prefix('-') {
        negative = true;
        t = r.trim_start();
    }
    let mut currency = false;
    if units == Units::Money {
        if let Some(r) = t.strip_prefix('¥').or_else(|| strip_prefix_ci(t, "RMB")) {
            currency = true;
            t = r.trim_start();
        }
        if !negative {
            if let Some(r) = t.strip_prefix('-') {
                negative = true;
                t = r.trim_start();
            }
        }
    }
    // The power of ten the number is scaled by: 万 is 10^4, million 10^6.
    let mut exp = 0usize;
    match units {
        Units::Money => {
            if let Some(r) = t.strip_suffix('元') {
                t = r.trim_end();
                if let Some(r) = t.strip_suffix('万') {
                    t = r.trim_end();
                    exp = 4;
                }
            } else if let Some(r) = t.strip_suffix('万') {
                t = r.trim_end();
                exp = 4;
            } else if let Some(r) = strip_suffix_ci(t, "million") {
                t = r.trim_end();
                exp = 6;
            } else if let (false, Some(r)) = (currency, strip_suffix_ci(t, "RMB")) {
                t = r.trim_end();
            }
        }
        Units::Count => {
            if let Some(r) = t.strip_suffix('万') {
                t = r.trim_end();
                exp = 4;
            }
        }
    }
    if t.is_empty() {
        return Err(if negative {
            MoneyError::NotANumber
        } else {
            MoneyError::Empty
        });
    }
    let (int, frac) = read_digits(t)?;
    let value = scale(&int, &frac, exp)?;
    if negative && !value.is_zero() {
        return Err(MoneyError::Negative);
    }
    Ok(value)
}

/// Splits a number into its integer digits (separators removed) and its decimal digits,
/// checking that every separator groups thousands.
fn read_digits(t: &str) -> Result<(String, String), MoneyError> {
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    let is_sep = |c: char| c == ',' || c == ' ';
    let frac = match frac {
        None => String::new(),
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => f.to_string(),
        Some(f) if f.chars().any(is_sep) && f.chars().all(|c| c.is_ascii_digit() || is_sep(c)) => {
            return Err(MoneyError::Grouping)
        }
        Some(_) => return Err(MoneyError::NotANumber),
    };
    if !int.chars().all(|c| c.is_ascii_digit() || is_sep(c)) {
        return Err(MoneyError::NotANumber);
    }
    if int.is_empty() {
        return Err(MoneyError::NotANumber);
    }
    // Groups of digits and the separators between them.
    let mut groups: Vec<&str> = Vec::new();
    let mut seps: Vec<&str> = Vec::new();
    let mut rest = int;
    while !rest.is_empty() {
        let d = rest.find(is_sep).unwrap_or(rest.len());
        groups.push(&rest[..d]);
        rest = &rest[d..];
        let s = rest.find(|c: char| !is_sep(c)).unwrap_or(rest.len());
        if s > 0 {
            seps.push(&rest[..s]);
            rest = &rest[s..];
        }
    }
    if groups.len() == 1 && seps.is_empty() {
        return Ok((int.to_string(), frac));
    }
    // A separator first or last, or no digit after it, is not a grouping.
    let commas = |s: &&str| s.matches(',').count();
    let grouped = groups.len() == seps.len() + 1
        && groups.iter().all(|g| !g.is_empty())
        && (1..=3).contains(&groups[0].len())
        && !groups[0].starts_with('0')
        && groups[1..].iter().all(|g| g.len() == 3)
        && seps.iter().all(|s| commas(s) <= 1)
        && (seps.iter().all(|s| commas(s) == 1) || seps.iter().all(|s| commas(s) == 0));
    if !grouped {
        return Err(MoneyError::Grouping);
    }
    Ok((groups.concat(), frac))
}

/// The exact value of `int.frac × 10^exp`, with at most two decimals and at most RMB 100
/// billion; built from the digits, so no float and no overflow is ever involved.
fn scale(int: &str, frac: &str, exp: usize) -> Result<Decimal, MoneyError> {
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    if frac.len() > exp + 2 {
        return Err(MoneyError::TooManyDecimals);
    }
    if int.len() + exp > MAX_INTEGER_DIGITS {
        return Err(MoneyError::TooLarge);
    }
    // At most 12 + 2 digits: well within an i64.
    let mut mantissa: i64 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        mantissa = mantissa * 10 + i64::from(b - b'0');
    }
    let mut dp = frac.len() as u32;
    let mut up = exp;
    while up > 0 && dp > 0 {
        up -= 1;
        dp -= 1;
    }
    for _ in 0..up {
        mantissa *= 10;
    }
    let d = Decimal::new(mantissa, dp);
    if d > max_amount() {
        return Err(MoneyError::TooLarge);
    }
    Ok(d)
}

/// Inserts thousands separators into the integer part of a plain decimal string
/// (`1234567.5` → `1,234,567.5`): the one grouping the site, the formulas and the tests share.
pub fn group_thousands(s: &str) -> String {
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
    use std::str::FromStr;

    #[test]
    fn plain_decimals_read_as_decimal_from_str_reads_them() {
        let long_fraction = format!("0.{}", "3".repeat(27) + "46");
        let rounds_up = format!("0.{}", "9".repeat(30));
        let max = "79228162514264337593543950335";
        for s in [
            "0",
            "7",
            "120000",
            "120000.50",
            "0.125",
            "00012.3400",
            "12.",
            "-5",
            "-0.5",
            "-0",
            "-0.00",
            "8000.00000000000000000000000005",
            "8000.0000000000000000000000000000",
            &long_fraction,
            &rounds_up,
            max,
            "7922816251426433759354395033.59",
            "79228162514264337593543950335.9",
            "79228162514264337593543950336",
            "1234567890123456789012345678901234567890",
        ] {
            let ours = plain_decimal(s);
            let theirs = Decimal::from_str(s).ok();
            assert_eq!(ours, theirs, "{s}");
            // The same scale too, not only the same value: `to_string` shows it.
            assert_eq!(
                ours.map(|d| d.to_string()),
                theirs.map(|d| d.to_string()),
                "{s}"
            );
        }
        for s in ["", ".", "-", "1.2.3", "1e5", "1_000", "+1", "1,5", " 1"] {
            assert_eq!(plain_decimal(s), None, "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_plain_decimal_reads_as_decimal_from_str_reads_it(
            s in "-?[0-9]{1,32}(\\.[0-9]{1,34})?"
        ) {
            let ours = plain_decimal(&s).map(|d| d.to_string());
            let theirs = Decimal::from_str(&s).ok().map(|d| d.to_string());
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn rejects_exponents_and_junk() {
        assert_eq!(Money::parse("1e5"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("12a"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1.2.3"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse(""), Err(MoneyError::Empty));
        assert_eq!(Money::parse("-5"), Err(MoneyError::Negative));
        assert_eq!(Money::parse("--0"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1.234"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Money::parse("1000000000000"), Err(MoneyError::TooLarge));
        assert_eq!(Money::parse("120000.50").unwrap().0.to_string(), "120000.5");
        // Content is strict: separators, units and full-width digits are for typed input only.
        assert_eq!(Money::parse("120,000"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("12万"), Err(MoneyError::NotANumber));
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
    fn a_fraction_longer_than_decimal_holds_is_refused_not_rounded() {
        // Found by the fuzz run: read through `Decimal` alone, this was 8000.
        let long = "8000.00000000000000000000000005";
        assert_eq!(Money::parse(long), Err(MoneyError::TooManyDecimals));
        assert_eq!(Money::parse_typed(long), Err(MoneyError::TooManyDecimals));
        assert_eq!(
            Money::parse("8000.0000000000000000000000000000"),
            Ok(Money(Decimal::from(8000)))
        );
    }

    #[test]
    fn spaces_around_a_typed_amount_do_not_count_towards_its_length() {
        // Found by the fuzz run: a pasted value with a long run of trailing spaces.
        let padded = format!("  120000{}", " ".repeat(150));
        assert_eq!(
            Money::parse_typed(&padded),
            Ok(Money(Decimal::from(120_000)))
        );
        assert_eq!(
            Money::parse_typed(&"1".repeat(101)),
            Err(MoneyError::NotANumber)
        );
    }

    #[test]
    fn rounds_half_up_to_the_fen() {
        assert!(Money::parse("0.125").is_err());
        let m = Money(Decimal::from_str("0.125").unwrap()).round_to_fen();
        assert_eq!(m.0.to_string(), "0.13");
    }
}
