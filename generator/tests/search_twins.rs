//! The search's twin code held together: the index is built by `generator/src/search/text.rs`
//! and queried by `themes/default/static/search.js`, and a query finds a document only if both
//! turn text into the same terms and file each term in the same shard.
//!
//! Random strings — Chinese (common, rare, traditional), Latin with and without accents and in
//! both cases, digits and digit groups, ASCII and full-width punctuation, full-width letters and
//! digits, the ideographic space, other scripts, empty and long strings — go through both sides'
//! normaliser, traditional → simplified folding (with the same table, as the build would ship it
//! for an index of the common characters), runs, stemmer, stop words, query terms and shard
//! hash, and every output must be
//! the same. The strings come from a fixed seed, so a failure is the same on every machine, and
//! proptest shrinks a failing string to a short one. One node process answers for the browser
//! (`tests/search/twins.mjs`), string by string.
//!
//! Jieba is on the index side only: the words it finds (three Chinese characters or more) have
//! no twin in the browser, which learns them from the shards instead. So the query's terms must
//! equal the index's terms without those words, and each of those words must be filed in the
//! shard of its first two characters, which the browser fetches for the query's bigram.

use std::cell::{Cell, RefCell};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use generator::search::text::{self, Run};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// How many random strings; `SEARCH_TWINS_CASES` asks for more (by hand).
const CASES: u32 = 2000;
/// The seed of the strings: fixed, so every run checks the same ones.
const SEED: [u8; 32] = *b"taizhou cross-border search twin";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Common characters of the policy texts, simplified.
const COMMON: &str = "跨境电商台州海关集货仓物流补贴企业对正常运营的给予支持资金奖励服务平台\
    出口进口保税区综合试验区海外仓品牌培训人才政策申报年度元万亿百分之一二三四五六七八九十个\
    市区县政府部门商务局财政税务中心的了和与或及在为是有不按照规定条款第项章节";
/// Words of the texts in traditional characters.
const TRADITIONAL: &str = "臺灣關稅貨倉電商補貼資金獎勵負責單位貿易區內進出報營運與給錢幣圓億萬";

/// English words of the texts, with endings the stemmer takes off, and stop words.
const WORDS: &[&str] = &[
    "warehouse",
    "ship",
    "train",
    "subsidy",
    "centre",
    "tax",
    "logistic",
    "business",
    "process",
    "install",
    "register",
    "qualify",
    "box",
    "match",
    "wish",
    "bus",
    "analysis",
    "fee",
    "cap",
    "stop",
    "agree",
    "die",
    "tie",
    "see",
    "free",
    "kiss",
    "fizz",
    "egg",
    "zoo",
    "a",
    "the",
    "and",
    "of",
    "is",
    "i",
    "rcep",
    "e",
    "commerce",
    "zhejiang",
    "made",
    "taizhou",
    "sing",
    "bed",
    "red",
    "ies",
    "ing",
    "ed",
    "s",
];
/// Endings added to those words.
const ENDINGS: &[&str] = &[
    "", "", "s", "es", "ies", "ing", "ed", "ied", "e", "ss", "sses", "xes", "ches", "shes", "us",
    "is", "ings", "eds",
];

/// One piece of a random string.
fn piece() -> BoxedStrategy<String> {
    let chars = |s: &'static str| -> Vec<char> { s.chars().collect() };
    let cjk_run = |alphabet: Vec<char>| {
        prop::collection::vec(prop::sample::select(alphabet), 1..7)
            .prop_map(|v| v.into_iter().collect::<String>())
    };
    // Rare characters: CJK extension A, the compatibility ideographs, the newest of the main
    // block, extension B (outside the BMP: two UTF-16 units in the browser), 〇 (a Chinese
    // character to both sides), and 〆 and ⺀ (which neither counts as one).
    let rare = prop::collection::vec(
        prop_oneof![
            prop::char::range('\u{3400}', '\u{4DBF}'),
            prop::char::range('\u{F900}', '\u{FAFF}'),
            prop::char::range('\u{9FA6}', '\u{9FFF}'),
            prop::char::range('\u{20000}', '\u{2A6DF}'),
            Just('〇'),
            Just('\u{3006}'),
            Just('\u{2E80}'),
        ],
        1..5,
    )
    .prop_map(|v| v.into_iter().collect::<String>());
    let word = (
        prop::sample::select(WORDS),
        prop::sample::select(ENDINGS),
        0..4u8,
    )
        .prop_map(|(w, e, case)| {
            let w = format!("{w}{e}");
            match case {
                0 => w.to_uppercase(),
                1 => {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                }
                _ => w,
            }
        });
    let latin = prop::collection::vec(
        prop_oneof![
            prop::char::range('a', 'z'),
            prop::char::range('A', 'Z'),
            // Latin-1, Extended-A and -B (word characters), then letters just outside them.
            prop::char::range('\u{00C0}', '\u{024F}'),
            prop::char::range('\u{1E00}', '\u{1EFF}'),
            prop::sample::select(chars("ßẞſİıǅǈǋǲΣσςΑΩάДжЁё")),
        ],
        1..10,
    )
    .prop_map(|v| v.into_iter().collect::<String>());
    let number = prop::collection::vec(
        prop_oneof![
            3 => prop::char::range('0', '9'),
            1 => Just(','),
            1 => Just('.'),
        ],
        1..12,
    )
    .prop_map(|v| v.into_iter().collect::<String>());
    let grouped = (1..1_000_000_000u64, prop::bool::ANY).prop_map(|(n, wide)| {
        let digits = n.to_string();
        let mut s = String::new();
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                s.push(if wide { '，' } else { ',' });
            }
            s.push(d);
        }
        s
    });
    let punctuation = prop::collection::vec(
        prop_oneof![
            prop::char::range('!', '/'),
            prop::char::range(':', '@'),
            prop::char::range('[', '`'),
            prop::char::range('{', '~'),
            prop::sample::select(chars("，。、；：？！“”‘’（）《》【】—…·　 \t\n\u{a0}")),
        ],
        1..4,
    )
    .prop_map(|v| v.into_iter().collect::<String>());
    let full_width = prop::collection::vec(prop::char::range('\u{FF01}', '\u{FF5E}'), 1..8)
        .prop_map(|v| v.into_iter().collect::<String>());
    let anything =
        prop::collection::vec(any::<char>(), 1..4).prop_map(|v| v.into_iter().collect::<String>());
    prop_oneof![
        4 => cjk_run(chars(COMMON)),
        1 => cjk_run(chars(TRADITIONAL)),
        1 => rare,
        4 => word,
        2 => latin,
        1 => number,
        1 => grouped,
        3 => punctuation,
        2 => full_width,
        1 => Just("\u{3000}".to_string()),
        1 => anything,
    ]
    .boxed()
}

/// A random string: mostly a handful of pieces, sometimes none, sometimes a long text.
fn input() -> impl Strategy<Value = String> {
    let sep = prop_oneof![3 => Just(""), 2 => Just(" "), 1 => Just("\u{3000}")];
    let text = |pieces| {
        prop::collection::vec((piece(), sep.clone()), pieces)
            .prop_map(|parts| parts.into_iter().map(|(p, s)| p + s).collect::<String>())
    };
    // Few long texts: generating a piece takes proptest a fraction of a millisecond in debug.
    prop_oneof![
        1 => Just(String::new()),
        30 => text(1..8),
        1 => text(60..150),
    ]
}

/// What one side made of one string. Named after the Rust functions; each JS field comes from
/// the twin function of `search.js` (see `tests/search/twins.mjs`).
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Outputs {
    /// `normalize(s)`.
    normalize: String,
    /// `runs(normalize(s))`: (Chinese?, text).
    runs: Vec<(bool, String)>,
    /// `stem` of each Latin run.
    word_stems: Vec<String>,
    /// `stem(s)`, on the raw string.
    stem: String,
    /// The query's atoms: each Chinese character, and each Latin run's term (stop words and
    /// lone letters dropped), with the number of its run.
    query_atoms: Vec<(bool, String, usize)>,
    /// The query's terms: what the index holds for `s` besides jieba's words.
    query_parts: Vec<String>,
    /// The Chinese runs of three characters or more, looked up as words.
    query_bonus: Vec<String>,
    /// `Simplifier::fold(s)`, with the table of an index of the common characters.
    fold: String,
    /// `fnv1a(s)`.
    fnv1a: u32,
    /// `shard_of(s, shards)`.
    shard: u32,
    /// `shard_of` of every index term of `s`.
    term_shards: Vec<u32>,
}

/// The table the twins fold with: that of an index whose text uses the common characters.
fn simplifier() -> &'static text::Simplifier {
    static T2S: std::sync::OnceLock<text::Simplifier> = std::sync::OnceLock::new();
    T2S.get_or_init(|| text::Simplifier::for_chars(&COMMON.chars().collect()))
}

/// The Rust side; `terms` are the index terms of `s` (`Tokenizer::terms`).
fn rust_outputs(s: &str, shards: u32, terms: &[String], t2s: &text::Simplifier) -> Outputs {
    let norm = text::normalize(s);
    let runs = text::runs(&norm);
    let mut query_atoms = Vec::new();
    for (i, r) in runs.iter().enumerate() {
        match r {
            Run::Cjk(r) => query_atoms.extend(r.chars().map(|c| (true, c.to_string(), i))),
            Run::Word(w) => query_atoms.extend(text::word_term(w).map(|t| (false, t, i))),
        }
    }
    Outputs {
        normalize: norm.clone(),
        runs: runs
            .iter()
            .map(|r| match r {
                Run::Cjk(t) => (true, t.clone()),
                Run::Word(t) => (false, t.clone()),
            })
            .collect(),
        word_stems: runs
            .iter()
            .filter_map(|r| match r {
                Run::Word(w) => Some(text::stem(w)),
                Run::Cjk(_) => None,
            })
            .collect(),
        stem: text::stem(s),
        query_atoms,
        query_parts: terms
            .iter()
            .filter(|t| !is_jieba_word(t))
            .cloned()
            .collect(),
        query_bonus: runs
            .iter()
            .filter_map(|r| match r {
                Run::Cjk(t) if t.chars().count() >= 3 => Some(t.clone()),
                _ => None,
            })
            .collect(),
        fold: t2s.fold(s),
        fnv1a: text::fnv1a(s),
        shard: text::shard_of(s, shards),
        term_shards: terms.iter().map(|t| text::shard_of(t, shards)).collect(),
    }
}

/// A word jieba found: the only index terms of three Chinese characters or more (bigrams have
/// two, a lone character one).
fn is_jieba_word(term: &str) -> bool {
    term.chars().count() >= 3 && term.chars().all(text::is_cjk)
}

/// The browser's side: `tests/search/twins.mjs` under node, asked one string at a time.
struct Browser {
    child: Child,
    ask: ChildStdin,
    answers: BufReader<ChildStdout>,
}

impl Browser {
    fn start() -> Self {
        let mut child = Command::new("node")
            .arg(root().join("tests/search/twins.mjs"))
            .arg(root().join("themes/default/static/search.js"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node runs (install Node.js: the search client is tested under it)");
        let mut ask = child.stdin.take().expect("stdin");
        let answers = BufReader::new(child.stdout.take().expect("stdout"));
        // The stop words reach the browser in meta.json, from this very list.
        writeln!(ask, "{}", json!(text::STOP_WORDS)).expect("write to node");
        // And the traditional → simplified table in t2s.txt.
        writeln!(ask, "{}", json!(simplifier().pairs())).expect("write to node");
        Browser {
            child,
            ask,
            answers,
        }
    }

    fn outputs(&mut self, s: &str, shards: u32, terms: &[String]) -> Outputs {
        writeln!(
            self.ask,
            "{}",
            json!({"s": s, "shards": shards, "terms": terms})
        )
        .expect("write to node (did twins.mjs fail? its error is above)");
        self.ask.flush().expect("flush");
        let mut line = String::new();
        self.answers.read_line(&mut line).expect("read from node");
        serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("twins.mjs answered {line:?} for {s:?}: {e}"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The strings the first twin test checked (21 words), and a few more written by hand.
const FIXED: &[&str] = &[
    "warehouse",
    "warehouses",
    "Warehousing",
    "logistics",
    "subsidies",
    "centres",
    "taxes",
    "shipping",
    "qualified",
    "registered",
    "business",
    "ＲＣＥＰ",
    "RMB 100,000",
    "集货仓",
    "跨境电商",
    "台州海关",
    "9710",
    "e-commerce",
    "Zhejiang Made",
    "training",
    "fees",
    "",
    "ＡＢＣ　１２３，４５６",
    "對正常運營的集貨倉，給予支持。RCEP",
    "ΣΟΦΟΣ",
    "\u{212A}ELVIN \u{212B}NGSTRÖM \u{1E9E} İSTANBUL",
    "1,000,000 1,0000 ,000 1,000, １，０００ 12,345.678,9",
    "ＳＵＢＳＩＤＩＥＳ，ｗａｒｅｈｏｕｓｉｎｇ　跨境電商",
];

/// Compares the two sides on one string: the differing fields with both values, or nothing.
/// Counts the jieba words it checked.
fn compare(
    tok: &text::Tokenizer,
    browser: &RefCell<Browser>,
    jieba_words: &Cell<usize>,
    s: &str,
    shards: u32,
) -> Result<(), String> {
    let terms = tok.terms(s);
    let rust = rust_outputs(s, shards, &terms, simplifier());
    let js = browser.borrow_mut().outputs(s, shards, &terms);
    if rust != js {
        return Err(format!(
            "the twins differ on {s:?} ({shards} shards):\n{}",
            differences(&rust, &js)
        ));
    }
    // The browser finds jieba's words in the shard of the query's bigram.
    for t in terms.iter().filter(|t| is_jieba_word(t)) {
        jieba_words.set(jieba_words.get() + 1);
        let first_two: String = t.chars().take(2).collect();
        if text::shard_of(t, shards) != text::shard_of(&first_two, shards) {
            return Err(format!(
                "{t} (from {s:?}) is not filed with {first_two} ({shards} shards)"
            ));
        }
    }
    Ok(())
}

#[test]
fn the_client_text_rules_are_twins_of_the_generator() {
    // A few domain words, as the site's tokenizer has, so that jieba finds words to check.
    let tok = text::Tokenizer::new(["集货仓", "台州海关", "跨境电商综合试验区"]);
    let browser = RefCell::new(Browser::start());
    let jieba_words = Cell::new(0);
    for s in FIXED {
        if let Err(e) = compare(&tok, &browser, &jieba_words, s, 64) {
            panic!("{e}");
        }
    }
    let cases = std::env::var("SEARCH_TWINS_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    let config = Config {
        cases,
        // No file of past failures: the seed is fixed, so a failure comes back by itself.
        failure_persistence: None,
        // A failing string of a long text shrinks slowly (jieba and node on every try).
        max_shrink_time: 30_000,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &SEED));
    let strategy = (input(), prop_oneof![Just(64u32), 1..5000u32]);
    let first = RefCell::new(None::<String>);
    let result = runner.run(&strategy, |(s, shards)| {
        compare(&tok, &browser, &jieba_words, &s, shards).map_err(|e| {
            // Proptest reports the shortest failing string; the first one is shown too.
            first.borrow_mut().get_or_insert_with(|| e.clone());
            TestCaseError::fail(e)
        })
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, _)) => panic!(
            "{why}\n\n(shrunk from: {})",
            first.borrow().as_deref().unwrap_or("?")
        ),
        Err(e) => panic!("{e}"),
    }
    println!(
        "{} strings agree; {} jieba words filed with their first bigram",
        FIXED.len() + cases as usize,
        jieba_words.get()
    );
    assert!(
        jieba_words.get() > 100,
        "the strings gave jieba only {} words to check",
        jieba_words.get()
    );
}

/// The fields on which the two sides differ, each with both values.
fn differences(rust: &Outputs, js: &Outputs) -> String {
    let r = serde_json::to_value(rust).expect("json");
    let j = serde_json::to_value(js).expect("json");
    let (r, j) = (
        r.as_object().expect("object"),
        j.as_object().expect("object"),
    );
    r.iter()
        .filter(|(k, v)| j.get(*k) != Some(v))
        .map(|(k, v)| format!("  {k}:\n    rust: {v}\n    js:   {}", j[k]))
        .collect::<Vec<_>>()
        .join("\n")
}
