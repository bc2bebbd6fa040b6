//! A word-level comparison of two texts, for the "what changed" pages: the old and the new
//! wording of one clause in one language become a sequence of unchanged, deleted and inserted
//! runs (a redline). Pure: no content, no HTML (the page is `render::changes`).
//!
//! **Tokens.** The texts are cut into tokens that partition them exactly, then compared token
//! by token with Myers' algorithm from the `similar` crate.
//! - A *figure* is one token with its scale and unit: `10万元`, `1.5亿元`, `50%`,
//!   `2025年1月1日`, `RMB 100,000`, `RMB 2 million`, `¥500`, `1 January 2025`. A changed cap
//!   therefore reads as one deletion and one insertion (`10万元` → `20万元`), never as a changed
//!   digit inside an unchanged word (`1[0→2]万元`), which a reader could misread as a typo.
//! - Chinese runs are cut into dictionary words by jieba (`cut`, without its HMM guesser, so the
//!   cut depends on the dictionary only and is the same on every build). The search's own use of
//!   jieba (`search::text`) is not reusable: it indexes *overlapping* terms (every bigram and
//!   every longer word), which cannot be laid end to end as a redline. A character-level cut
//!   was rejected because a changed word then reads as changed characters (扶持 → 支持 as
//!   `[扶→支]持`). Like the search, the segmenter can be told extra words (glossary terms, unit
//!   names) so that 集货仓 or 台州海关 change as one word.
//! - Latin text is cut into words (with inner apostrophes and hyphens: `e-commerce`), runs of
//!   white space, and single punctuation marks.
//!
//! **Merging.** Each change is written as its deletion followed by its insertion; a run of white
//! space between two replacements is folded into them, so "shall be given" →
//! "may receive" reads as one struck phrase and one inserted phrase, not as word-by-word
//! alternation. Concatenating the unchanged and deleted runs always gives the old text back, and
//! the unchanged and inserted runs the new text (a test checks this on random texts).

use crate::cuts::{Cutter, Mode};
use similar::{capture_diff_slices, Algorithm, DiffOp};

/// What a run of the redline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// In both texts.
    Equal,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// A stretch of text with one [`Change`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Kept, deleted or inserted.
    pub change: Change,
    /// The words, exactly as written (white space and punctuation included).
    pub text: String,
}

/// Cuts texts into the tokens the comparison works on. jieba's dictionary (loaded once per
/// process, [`crate::search::text::default_jieba`]) is copied and given the site's words only
/// when a Chinese run is not among the cuts filed by the previous build ([`crate::cuts`]), so a
/// build makes one and reuses it for every clause.
pub struct Segmenter {
    cuts: Cutter,
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new([])
    }
}

/// A number's scale in Chinese, between the digits and the unit (`10万元`).
const ZH_SCALES: &[char] = &['十', '百', '千', '万', '亿'];

/// The measure words a Chinese figure may end with, longest first, so that a figure keeps its
/// unit (`3个月`, `150人次`): these are grammar (how Chinese counts), not policy figures.
const ZH_UNITS: &[&str] = &[
    "平方米",
    "个月",
    "人次",
    "周岁",
    "元",
    "年",
    "月",
    "日",
    "号",
    "个",
    "家",
    "人",
    "次",
    "场",
    "项",
    "件",
    "名",
    "倍",
    "天",
    "周",
    "条",
    "台",
    "批",
    "届",
    "期",
    "所",
    "间",
    "款",
    "笔",
    "单",
    "票",
    "米",
];

/// Words of scale after an English figure (`RMB 2 million`).
const EN_SCALES: &[&str] = &["thousand", "million", "billion"];

/// Month names, for English dates written as the site writes them (`1 January 2025`).
const EN_MONTHS: &[&str] = &crate::model::ENGLISH_MONTHS;

/// A Chinese (Han) character or the ideographic zero.
fn is_han(c: char) -> bool {
    crate::search::text::is_cjk(c)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !is_han(c)
}

/// The character starting at byte `i`, if any.
fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|r| r.chars().next())
}

/// The end of the digits (with an inner `,` or `.` between digits: `100,000`, `1.5`) from `i`,
/// or `None` when no digit starts there.
fn number_end(s: &str, i: usize) -> Option<usize> {
    let mut end = i;
    let mut seen = false;
    let mut j = i;
    while let Some(c) = char_at(s, j) {
        if is_digit(c) {
            seen = true;
            j += c.len_utf8();
            end = j;
        } else if seen
            && matches!(c, ',' | '.')
            && char_at(s, j + c.len_utf8()).is_some_and(is_digit)
        {
            j += c.len_utf8();
        } else {
            break;
        }
    }
    seen.then_some(end)
}

/// The end of a word of letters from `i` (`e-commerce`, `enterprise's`).
fn word_end(s: &str, i: usize) -> usize {
    let mut j = i;
    while let Some(c) = char_at(s, j) {
        let inner_mark = matches!(c, '\'' | '’' | '-')
            && j > i
            && char_at(s, j + c.len_utf8()).is_some_and(is_letter);
        if !(is_letter(c) || is_digit(c) || inner_mark) {
            break;
        }
        j += c.len_utf8();
    }
    j
}

/// After a figure ending at `j`: ` word` where word is one of `words` and ends a word.
fn spaced_word(s: &str, j: usize, words: &[&str]) -> Option<usize> {
    let rest = s.get(j..)?.strip_prefix(' ')?;
    words.iter().find_map(|w| {
        let after = rest.strip_prefix(w)?;
        (!after.chars().next().is_some_and(is_letter)).then(|| j + 1 + w.len())
    })
}

/// The end of a figure starting at byte `i`, or `None` when none starts there.
fn figure_end(s: &str, i: usize) -> Option<usize> {
    let rest = s.get(i..)?;
    // A currency before the digits belongs to the figure.
    let digits_at = if let Some(after) = rest.strip_prefix("RMB") {
        let spaces = after.len() - after.trim_start_matches([' ', '\u{a0}']).len();
        i + 3 + spaces
    } else if rest.starts_with(['¥', '￥']) {
        i + rest.chars().next().map_or(0, char::len_utf8)
    } else {
        i
    };
    let mut end = number_end(s, digits_at)?;
    // English: a scale word, a percentage, or a day-month-year date.
    if let Some(e) = spaced_word(s, end, EN_SCALES) {
        return Some(e);
    }
    if let Some(c @ ('%' | '％')) = char_at(s, end) {
        return Some(end + c.len_utf8());
    }
    if let Some(after_month) = spaced_word(s, end, EN_MONTHS) {
        if s.get(after_month..).is_some_and(|r| r.starts_with(' ')) {
            if let Some(year) = number_end(s, after_month + 1) {
                return Some(year);
            }
        }
        return Some(after_month);
    }
    // Chinese: scales, then a unit; a date goes on 年 → 月 → 日.
    loop {
        while let Some(c) = char_at(s, end).filter(|c| ZH_SCALES.contains(c)) {
            end += c.len_utf8();
        }
        let Some(unit) = s
            .get(end..)
            .and_then(|r| ZH_UNITS.iter().find(|u| r.starts_with(**u)))
        else {
            return Some(end);
        };
        end += unit.len();
        let next = match *unit {
            "年" | "月" => number_end(s, end),
            _ => None,
        };
        match next {
            Some(n)
                if s.get(n..)
                    .is_some_and(|r| r.starts_with(['月', '日', '号'])) =>
            {
                end = n
            }
            _ => return Some(end),
        }
    }
}

impl Segmenter {
    /// A segmenter whose dictionary also knows `extra` words (glossary terms, unit names).
    pub fn new<'a>(extra: impl IntoIterator<Item = &'a str>) -> Self {
        let words = extra
            .into_iter()
            .filter(|w| w.chars().count() >= 2 && w.chars().all(is_han))
            .map(str::to_string)
            .collect();
        Segmenter {
            cuts: Cutter::new(Mode::Words, words),
        }
    }

    /// The tokens of `text`, in order; together they are exactly `text`.
    pub fn tokens<'t>(&self, text: &'t str) -> Vec<&'t str> {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(c) = char_at(text, i) {
            let end = if let Some(e) = figure_end(text, i) {
                e
            } else if is_han(c) {
                let mut e = i;
                while let Some(h) = char_at(text, e).filter(|h| is_han(*h)) {
                    e += h.len_utf8();
                }
                // A run of Han characters ends where a figure could start (a digit), so
                // jieba never sees one; its words lie end to end over the run.
                out.extend(self.cuts.cut(&text[i..e]));
                i = e;
                continue;
            } else if is_letter(c) {
                word_end(text, i)
            } else if c.is_whitespace() {
                let mut e = i;
                while let Some(w) = char_at(text, e).filter(|w| w.is_whitespace()) {
                    e += w.len_utf8();
                }
                e
            } else {
                i + c.len_utf8()
            };
            out.push(&text[i..end]);
            i = end;
        }
        out
    }

    /// The redline from `old` to `new`: unchanged, deleted and inserted runs, merged as the
    /// module documentation says. Identical texts give one unchanged run (none if empty).
    pub fn diff(&self, old: &str, new: &str) -> Vec<Run> {
        let a = self.tokens(old);
        let b = self.tokens(new);
        let mut groups: Vec<Group> = Vec::new();
        for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
            match op {
                DiffOp::Equal { old_index, len, .. } => {
                    groups.push(Group::Equal(a[old_index..old_index + len].concat()));
                }
                DiffOp::Delete {
                    old_index, old_len, ..
                } => push_change(&mut groups, a[old_index..old_index + old_len].concat(), ""),
                DiffOp::Insert {
                    new_index, new_len, ..
                } => push_change(&mut groups, "", b[new_index..new_index + new_len].concat()),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => push_change(
                    &mut groups,
                    a[old_index..old_index + old_len].concat(),
                    b[new_index..new_index + new_len].concat(),
                ),
            }
        }
        fold_spaces(&mut groups);
        let mut runs: Vec<Run> = Vec::new();
        let mut push = |change, text: String| {
            if text.is_empty() {
                return;
            }
            match runs.last_mut() {
                Some(last) if last.change == change => last.text.push_str(&text),
                _ => runs.push(Run { change, text }),
            }
        };
        for g in groups {
            match g {
                Group::Equal(t) => push(Change::Equal, t),
                Group::Changed { del, ins } => {
                    push(Change::Delete, del);
                    push(Change::Insert, ins);
                }
            }
        }
        runs
    }
}

/// A step of the comparison before it becomes runs.
enum Group {
    Equal(String),
    Changed { del: String, ins: String },
}

/// Adds a change, joining it to a change just before (a deletion next to an insertion is one
/// replacement).
fn push_change(groups: &mut Vec<Group>, del: impl Into<String>, ins: impl Into<String>) {
    let (del, ins) = (del.into(), ins.into());
    if let Some(Group::Changed { del: d, ins: i }) = groups.last_mut() {
        d.push_str(&del);
        i.push_str(&ins);
    } else {
        groups.push(Group::Changed { del, ins });
    }
}

/// Folds white space between two replacements into one replacement, so a rewritten phrase
/// reads as one struck and one inserted phrase. Only between replacements: the space is in
/// both texts, so it must go to both the deletion and the insertion, and a pure insertion has no
/// deletion to carry it.
fn fold_spaces(groups: &mut Vec<Group>) {
    let mut out: Vec<Group> = Vec::with_capacity(groups.len());
    let mut it = std::mem::take(groups).into_iter().peekable();
    while let Some(g) = it.next() {
        let foldable = match (&g, out.last(), it.peek()) {
            (
                Group::Equal(space),
                Some(Group::Changed { del: d1, ins: i1 }),
                Some(Group::Changed { del: d2, ins: i2 }),
            ) => {
                space.chars().all(char::is_whitespace)
                    && ![d1, i1, d2, i2].iter().any(|s| s.is_empty())
            }
            _ => false,
        };
        if !foldable {
            out.push(g);
            continue;
        }
        let (Group::Equal(space), Some(Group::Changed { del: d2, ins: i2 })) = (g, it.next())
        else {
            continue;
        };
        if let Some(Group::Changed { del, ins }) = out.last_mut() {
            del.push_str(&space);
            del.push_str(&d2);
            ins.push_str(&space);
            ins.push_str(&i2);
        }
    }
    *groups = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn seg() -> &'static Segmenter {
        static SEG: OnceLock<Segmenter> = OnceLock::new();
        SEG.get_or_init(Segmenter::default)
    }

    fn changes(runs: &[Run], change: Change) -> Vec<&str> {
        runs.iter()
            .filter(|r| r.change == change)
            .map(|r| r.text.as_str())
            .collect()
    }

    fn side(runs: &[Run], skip: Change) -> String {
        runs.iter()
            .filter(|r| r.change != skip)
            .map(|r| r.text.as_str())
            .collect()
    }

    const TRADEMARK_ZH: &str = "鼓励跨境电商企业使用自主品牌开展业务，对取得商标国际注册（不包含转让、变更）的企业，按照商标国际注册费用50%给予一次性资金扶持，单家企业扶持额度最高不超过10万元。";
    const TRADEMARK_EN: &str = "Cross-border e-commerce enterprises are encouraged to do business under their own brands, and enterprises that obtain international trademark registration (excluding assignment or change) shall be given one-time financial support at 50% of the international trademark registration fees, and the support for a single enterprise shall not exceed RMB 100,000.";

    #[test]
    fn figures_are_whole_tokens() {
        let s = seg();
        for (text, figure) in [
            ("最高不超过10万元。", "10万元"),
            ("最高不超过1.5亿元", "1.5亿元"),
            ("按照费用50%给予", "50%"),
            ("自2025年1月1日起施行", "2025年1月1日"),
            ("于2025年起", "2025年"),
            ("shall not exceed RMB 100,000.", "RMB 100,000"),
            ("up to a maximum of RMB 1 million.", "RMB 1 million"),
            ("at 50% of the fees", "50%"),
            ("from 1 January 2025 on", "1 January 2025"),
            ("计￥500元", "￥500元"),
        ] {
            let tokens = s.tokens(text);
            assert!(tokens.contains(&figure), "{text}: {tokens:?}");
            assert_eq!(tokens.concat(), text);
        }
        // A full stop after a figure is not a decimal point; a comma after a year is not a
        // thousands separator.
        assert!(s.tokens("In 2025, the cap").contains(&"2025"));
    }

    #[test]
    fn chinese_is_cut_into_words() {
        let tokens = seg().tokens("鼓励跨境电商企业使用自主品牌开展业务");
        assert!(tokens.contains(&"企业"), "{tokens:?}");
        assert!(tokens.contains(&"品牌"), "{tokens:?}");
        assert!(
            tokens.iter().any(|t| t.chars().count() >= 2),
            "not one character at a time: {tokens:?}"
        );
    }

    #[test]
    fn a_changed_cap_is_one_deletion_and_one_insertion_in_chinese() {
        let new = TRADEMARK_ZH.replace("10万元", "20万元");
        let runs = seg().diff(TRADEMARK_ZH, &new);
        assert_eq!(changes(&runs, Change::Delete), ["10万元"]);
        assert_eq!(changes(&runs, Change::Insert), ["20万元"]);
        assert_eq!(side(&runs, Change::Insert), TRADEMARK_ZH);
        assert_eq!(side(&runs, Change::Delete), new);
        // Deletion first, then the insertion, then the full stop.
        let tail: Vec<_> = runs.iter().rev().take(3).rev().collect();
        assert_eq!(tail[0].change, Change::Delete);
        assert_eq!(tail[1].change, Change::Insert);
        assert_eq!(tail[2].text, "。");
    }

    #[test]
    fn a_changed_cap_is_one_deletion_and_one_insertion_in_english() {
        let new = TRADEMARK_EN.replace("RMB 100,000", "RMB 200,000");
        let runs = seg().diff(TRADEMARK_EN, &new);
        assert_eq!(changes(&runs, Change::Delete), ["RMB 100,000"]);
        assert_eq!(changes(&runs, Change::Insert), ["RMB 200,000"]);
    }

    #[test]
    fn a_rewritten_phrase_reads_as_one_deletion_and_one_insertion() {
        let runs = seg().diff(
            "support shall be given at 50% of the fees",
            "support may receive at 50% of the fees",
        );
        assert_eq!(
            changes(&runs, Change::Delete),
            ["shall be given"],
            "{runs:?}"
        );
        assert_eq!(changes(&runs, Change::Insert), ["may receive"], "{runs:?}");
    }

    #[test]
    fn added_and_removed_words() {
        let runs = seg().diff("对企业给予扶持", "对企业给予一次性扶持");
        assert_eq!(changes(&runs, Change::Insert), ["一次性"], "{runs:?}");
        assert!(changes(&runs, Change::Delete).is_empty());
        let runs = seg().diff("one-time financial support", "financial support");
        assert_eq!(changes(&runs, Change::Delete), ["one-time "], "{runs:?}");
        assert!(changes(&runs, Change::Insert).is_empty());
    }

    #[test]
    fn identical_and_empty_texts() {
        let runs = seg().diff(TRADEMARK_ZH, TRADEMARK_ZH);
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].change, Change::Equal);
        assert!(seg().diff("", "").is_empty());
        let added = seg().diff("", "新增条款。");
        assert_eq!(
            added,
            [Run {
                change: Change::Insert,
                text: "新增条款。".into()
            }]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Whatever the texts, the redline gives both back exactly, and no two neighbouring
        /// runs have the same kind.
        #[test]
        fn the_redline_keeps_both_texts(
            old in "[a-c 0-9,.%万元年月日企业扶持RMB ]{0,40}",
            new in "[a-c 0-9,.%万元年月日企业扶持RMB ]{0,40}",
        ) {
            let runs = seg().diff(&old, &new);
            prop_assert_eq!(side(&runs, Change::Insert), old.clone());
            prop_assert_eq!(side(&runs, Change::Delete), new.clone());
            prop_assert!(runs.iter().all(|r| !r.text.is_empty()));
            prop_assert!(runs.windows(2).all(|w| w[0].change != w[1].change));
            prop_assert_eq!(seg().tokens(&old).concat(), old);
        }
    }
}
