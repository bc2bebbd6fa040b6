//! How text becomes index terms. The browser client (`themes/default/static/search.js`) applies
//! the same normalisation, English stemming, stop words and shard hash to the query, so every
//! rule here has a twin there; `generator/tests/search_twins.rs` checks that the two agree on
//! random strings.
//!
//! - Chinese runs give every character bigram (the recall floor: 集货仓 → 集货, 货仓) and the
//!   words of three or more characters that jieba finds in search mode (跨境电商, 台州海关), so a
//!   whole word outranks its scattered characters. A run of one character is indexed as itself.
//! - Latin and digit runs give lowercase words, lightly stemmed (warehouses → warehous), without
//!   stop words; digit groups such as `100,000` are joined first.
//! - A query in traditional characters is folded into the simplified text by [`Simplifier`]
//!   (跨境電商 → 跨境电商), with a table the build cuts down to the characters of the index.

use std::collections::{BTreeMap, BTreeSet};

use jieba_rs::Jieba;

use crate::cuts::{Cutter, Mode};

/// English words too common to help a search. Shipped to the browser in `meta.json`.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "all", "an", "and", "any", "are", "as", "at", "be", "been", "by", "can", "do",
    "does", "each", "for", "from", "has", "have", "how", "i", "if", "in", "into", "is", "it",
    "its", "may", "much", "my", "of", "on", "or", "our", "shall", "such", "than", "that", "the",
    "their", "these", "this", "those", "to", "was", "we", "were", "what", "when", "where", "which",
    "who", "will", "with", "you", "your",
];

/// Normalises text for indexing and matching: full-width ASCII to half-width, the ideographic
/// space to a space, lowercase, and `100,000` to `100000`.
pub fn normalize(s: &str) -> String {
    let chars: Vec<char> = s
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        // A comma between a digit and exactly three digits is a thousands separator.
        if c == ','
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.len() >= i + 4
            && chars[i + 1..i + 4].iter().all(char::is_ascii_digit)
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit)
        {
            continue;
        }
        out.push(c);
    }
    out
}

/// A Chinese (Han) character.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '〇')
}

/// A character of a Latin word or number (after [`normalize`]).
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || ('\u{00C0}'..='\u{024F}').contains(&c)
}

/// A run of text of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run {
    /// Consecutive Chinese characters.
    Cjk(String),
    /// A Latin word or number.
    Word(String),
}

/// Splits normalised text into Chinese runs and Latin words; everything else separates.
pub fn runs(normalized: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut kind = 0u8; // 0 none, 1 cjk, 2 word
    for c in normalized.chars() {
        let k = if is_cjk(c) {
            1
        } else if is_word_char(c) {
            2
        } else {
            0
        };
        if k != kind && !cur.is_empty() {
            out.push(if kind == 1 {
                Run::Cjk(std::mem::take(&mut cur))
            } else {
                Run::Word(std::mem::take(&mut cur))
            });
        }
        kind = k;
        if k != 0 {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(if kind == 1 {
            Run::Cjk(cur)
        } else {
            Run::Word(cur)
        });
    }
    out
}

/// Light English stemming: plurals, `-ing`, `-ed` and a final `e`, so that warehouse,
/// warehouses and warehousing meet at `warehous`, and logistics at `logistic`. Words holding
/// a digit or a non-ASCII letter are kept as they are.
pub fn stem(word: &str) -> String {
    if !word.bytes().all(|b| b.is_ascii_lowercase()) || word.len() <= 3 {
        return word.to_string();
    }
    let mut w = word.to_string();
    if w.ends_with("ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("sses")
        || w.ends_with("xes")
        || w.ends_with("ches")
        || w.ends_with("shes")
    {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.truncate(w.len() - 1);
    }
    if w.ends_with("ing") && w.len() > 5 {
        w.truncate(w.len() - 3);
        undouble(&mut w);
    } else if w.ends_with("ied") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("ed") && w.len() > 4 {
        w.truncate(w.len() - 2);
        undouble(&mut w);
    }
    if w.ends_with('e') && w.len() > 4 {
        w.truncate(w.len() - 1);
    }
    w
}

/// `shipp` → `ship`; `install` and `process` keep their double letters.
fn undouble(w: &mut String) {
    let b = w.as_bytes();
    let n = b.len();
    if n >= 2 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z' | b'e' | b'o') {
        w.truncate(n - 1);
    }
}

/// The term of a Latin word, or `None` for a stop word or a lone letter.
pub fn word_term(word: &str) -> Option<String> {
    if STOP_WORDS.contains(&word) {
        return None;
    }
    if word.chars().count() == 1 && !word.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(stem(word))
}

/// The bigrams of a Chinese run (`集货仓` → `集货`, `货仓`); a single character is itself.
pub fn bigrams(run: &str) -> Vec<String> {
    let chars: Vec<char> = run.chars().collect();
    if chars.len() == 1 {
        return vec![run.to_string()];
    }
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// The traditional → simplified character table (`t2s.txt`, one pair a line).
const T2S: &str = include_str!("t2s.txt");

/// Folds traditional characters into simplified ones, character by character. The table holds
/// only what the index needs: pairs whose simplified form is a character of the index, and
/// whose traditional form is not (a character the text itself uses is never folded away).
/// Shipped to the browser as `t2s.txt`, a string of pairs, fetched only when a Chinese part of
/// a query finds nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Simplifier {
    map: BTreeMap<char, char>,
}

impl Simplifier {
    /// The table for an index whose text uses the characters `used`.
    pub fn for_chars(used: &BTreeSet<char>) -> Self {
        let map = T2S
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut c = l.chars();
                match (c.next(), c.next(), c.next(), c.next()) {
                    (Some(t), Some(' '), Some(s), None) => Some((t, s)),
                    _ => None,
                }
            })
            .filter(|(t, s)| used.contains(s) && !used.contains(t))
            .collect();
        Simplifier { map }
    }

    /// The simplified form of each character of `s` the table knows; the others as they are.
    pub fn fold(&self, s: &str) -> String {
        s.chars().map(|c| *self.map.get(&c).unwrap_or(&c)).collect()
    }

    /// The table as the browser reads it: traditional then simplified, pair after pair.
    pub fn pairs(&self) -> String {
        self.map.iter().flat_map(|(t, s)| [*t, *s]).collect()
    }

    /// Whether the table is empty (an index without Chinese).
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// jieba with its default dictionary and nothing added. Loading the dictionary (about 350,000
/// words into a trie) is the slowest step of a build after the WASM's; the search index and the
/// what-changed pages each need a copy to add their own words to, so it is loaded once per
/// process and cloned (a copy of flat arrays), which gives the same segmenter as a fresh load.
/// A build whose runs were all cut before loads none ([`crate::cuts`]).
pub fn default_jieba() -> Jieba {
    crate::cuts::dictionary().clone()
}

/// Turns text into index terms, one entry per occurrence.
pub struct Tokenizer {
    /// jieba's search cuts, loaded only for a run the previous build did not cut
    /// ([`crate::cuts`]).
    cuts: Cutter,
}

impl Tokenizer {
    /// A tokenizer whose jieba dictionary also knows `extra` words (glossary terms, unit names),
    /// so that 集货仓 or 台州海关 are found as words.
    pub fn new<'a>(extra: impl IntoIterator<Item = &'a str>) -> Self {
        let mut words = Vec::new();
        for w in extra {
            let w = normalize(w);
            for run in runs(&w) {
                if let Run::Cjk(r) = run {
                    if r.chars().count() >= 2 {
                        words.push(r);
                    }
                }
            }
        }
        Tokenizer {
            cuts: Cutter::new(Mode::Search, words),
        }
    }

    /// The index terms of `text`, in order, with repeats.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for run in runs(&normalize(text)) {
            match run {
                Run::Word(w) => out.extend(word_term(&w)),
                Run::Cjk(r) => {
                    out.extend(bigrams(&r));
                    if r.chars().count() >= 3 {
                        out.extend(
                            self.cuts
                                .cut(&r)
                                .into_iter()
                                .filter(|w| w.chars().count() >= 3)
                                .map(str::to_string),
                        );
                    }
                }
            }
        }
        out
    }
}

/// FNV-1a (32 bits) of the term's UTF-8 bytes: the same in `search.js`.
pub fn fnv1a(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The shard a term's postings live in. A Chinese word is filed under its first two characters,
/// so the shard fetched for a query bigram also holds every word that starts with it: the
/// browser learns the index's vocabulary from the shards it needs anyway.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    let mut it = term.chars();
    let key: String = match (it.next(), it.next()) {
        (Some(a), Some(b)) if is_cjk(a) && is_cjk(b) => [a, b].iter().collect(),
        _ => term.to_string(),
    };
    fnv1a(&key) % shards
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_meet() {
        for (a, b) in [
            ("warehouse", "warehouses"),
            ("warehouse", "warehousing"),
            ("logistics", "logistic"),
            ("subsidy", "subsidies"),
            ("centre", "centres"),
            ("tax", "taxes"),
            ("ship", "shipping"),
            ("train", "training"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        assert_eq!(stem("business"), "business");
    }

    #[test]
    fn normalizes_numbers_and_width() {
        assert_eq!(normalize("RMB 100,000"), "rmb 100000");
        assert_eq!(normalize("ＲＣＥＰ，9610/9710"), "rcep,9610/9710");
        assert_eq!(normalize("1,2,3"), "1,2,3");
    }

    #[test]
    fn chinese_runs_give_bigrams_and_words() {
        let t = Tokenizer::new(["集货仓"]);
        let terms = t.terms("对正常运营的集货仓，给予支持。RCEP");
        assert!(terms.contains(&"集货".to_string()));
        assert!(terms.contains(&"集货仓".to_string()));
        assert!(terms.contains(&"rcep".to_string()));
    }

    #[test]
    fn traditional_characters_fold_into_the_index_s_simplified_ones() {
        let used: BTreeSet<char> = "跨境电商培训后".chars().collect();
        let s = Simplifier::for_chars(&used);
        assert_eq!(s.fold("跨境電商培訓"), "跨境电商培训");
        // 貨 → 货 is left out: 货 is not a character of this index.
        assert_eq!(s.fold("貨"), "貨");
        // 後 folds to 后, which the index uses; 后 itself is never touched.
        assert_eq!(s.fold("後后"), "后后");
        assert!(s.pairs().contains("電电"));
    }

    #[test]
    fn words_share_the_shard_of_their_first_bigram() {
        assert_eq!(shard_of("跨境电商", 64), shard_of("跨境", 64));
    }
}
