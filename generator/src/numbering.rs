//! The numbering of the documents, derived from the order of entries: （一） and 一、 in Chinese,
//! (1) and I. in English. Content never writes numbers, so reordering cannot leave them wrong.

use calculator::Lang;

const ZH_DIGITS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const ROMAN: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];

/// 一 … 十 for 1 … 10, then `n` itself (the documents never go beyond ten at one level).
pub fn zh_numeral(n: usize) -> String {
    nth_or_digits(&ZH_DIGITS, n)
}

/// The `n`th (from 1) numeral of a table, or `n` in digits beyond its end.
fn nth_or_digits(table: &[&str], n: usize) -> String {
    table
        .get(n.wrapping_sub(1))
        .map(|s| s.to_string())
        .unwrap_or_else(|| n.to_string())
}

/// A top-level heading number: `一、` / `I.`.
pub fn section(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}、", zh_numeral(n)),
        Lang::En => format!("{}.", nth_or_digits(&ROMAN, n)),
    }
}

/// A second-level number: `（一）` / `(1)`.
pub fn paren(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（{}）", zh_numeral(n)),
        Lang::En => format!("({n})"),
    }
}

/// A task number: `1.` in both languages.
pub fn task(n: usize) -> String {
    format!("{n}.")
}
