//! Stage 4, index: the bilingual search index and the search pages.
//!
//! Built from the content model, not from the HTML: one document per task, clause, item,
//! glossary term and unit (see [`docs`]), in both languages. Files written under `dist/search/`
//! (which the asset pass moves whole into `dist/search/<hash>/`, see [`crate::fingerprint`]):
//!
//! - `meta.json`: the shard count, the synonym table (`[[words…], [what to look for…]]`), the
//!   stop words, the words that ask about
//!   money, which documents are parts of which (a clause of its item) and the names of the two
//!   files below (a few KB; the only file fetched before the query is known).
//! - `t2s.txt`: traditional → simplified pairs for the characters of the index, fetched only
//!   when a Chinese part of a query finds nothing (跨境電商 → 跨境电商).
//! - `words/<n>.txt`: the index's English words of `n` letters, most frequent first, fetched
//!   only when an English word of a query finds nothing, to forgive one typo (tradmark →
//!   trademark): the files of its length and the lengths either side.
//! - `p/<k>.txt`: the postings, sharded by term hash. One line per term:
//!   `term<TAB>postings`, where postings are doc-number deltas in base 36, each followed by one
//!   letter `A`–`Z` giving the precomputed BM25 impact of the term in that document. Chinese
//!   words are filed under the shard of their first two characters, so the shards fetched for a
//!   query's bigrams also tell the browser which longer words the index knows.
//! - `<lang>/<k>.json`: the documents to show (id, permalink, crumb, title, text; a crumb or
//!   title equal to the row before's is 0), one per file up to a thousand documents, then a few
//!   consecutive ones a file ([`chunk_for`]), fetched only for the results on screen.
//!
//! So what a browser downloads before the first result grows with the query, not the library.

pub mod docs;
pub mod text;
pub mod versions;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rustc_hash::FxHashMap;

use calculator::Lang;
use serde_json::{json, Value};
use tera::Tera;

use crate::error::{BuildError, ContentError};
use crate::library::Library;
use crate::load::Content;
use crate::render::{Output, RenderContext};
use crate::timings::time;
use docs::{SearchDoc, DOC_FACETS};
use text::Tokenizer;

/// A file of the document store holds one document up to this many documents in the index
/// (the site, 147: a reader downloads only the results on screen; four a file cost about 4 KB
/// more per query, measured with `bench/search/`), then the number a file holds doubles as the
/// library doubles, up to [`MAX_CHUNK`]: a library is not a file per document and language.
/// Why 128 and not more: the 100-document library (1,323 search documents) wrote 2,646 such
/// files, more than half of its 4,611 (writing, hashing and, on a cold build, creating each
/// one); eight a file add 13 KB before the first result at 1,000 search documents (39.8 KB
/// against Pagefind's 145.5, bench/search/SCALE.md).
pub const CHUNK_SPREAD: usize = 128;
/// The most documents in one file of the document store (about 2–4 KB at library scale, as
/// consecutive documents share their crumb and title, written once).
pub const MAX_CHUNK: usize = 8;
/// Postings kept for one term at most (those of highest impact): a term in nearly every
/// document of a large library cannot make a shard grow without bound.
pub const MAX_POSTINGS: usize = 400;
/// The size a postings shard aims at, in bytes: small, since a query fetches a shard per term
/// (1,500 bytes cost about 2.5 KB more per query than 120, measured with `bench/search/`)…
pub const SHARD_TARGET: usize = 120;
/// …up to this many shards, so that a large library does not become thousands of files (its
/// shards grow instead, to a few KB at thousands of documents).
pub const MAX_SHARDS: usize = 1024;

/// Documents per file of the document store for an index of `n` documents.
pub fn chunk_for(n: usize) -> usize {
    (n / CHUNK_SPREAD).next_power_of_two().clamp(1, MAX_CHUNK)
}

/// What the build tells the browser about readers' words: the synonym table and the words that
/// ask about money.
#[derive(Debug, Clone, Default)]
pub struct QueryWords {
    /// See [`synonyms`].
    pub synonyms: BTreeMap<String, Vec<String>>,
    /// Normalised words that ask about money (`amount:` in `search-synonyms.yaml`).
    pub amount: Vec<String>,
}

impl QueryWords {
    /// The query words of the content.
    pub fn of(c: &Content) -> Self {
        let mut amount: Vec<String> = Vec::new();
        for e in &c.synonyms.entries {
            for w in &e.amount {
                let w = text::normalize(w.trim());
                if !w.is_empty() && !amount.contains(&w) {
                    amount.push(w);
                }
            }
        }
        QueryWords {
            synonyms: synonyms(c),
            amount,
        }
    }
}

/// The synonym table: normalised query words → what else to look for. From
/// `content/search-synonyms.yaml`, plus each glossary term's other written forms and each
/// unit's aliases.
pub fn synonyms(c: &Content) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |from: &str, to: &str| {
        let (from, to) = (text::normalize(from.trim()), text::normalize(to.trim()));
        if from.is_empty() || to.is_empty() || from == to {
            return;
        }
        let e = map.entry(from).or_default();
        if !e.contains(&to) {
            e.push(to);
        }
    };
    let mut same_groups: Vec<Vec<String>> = Vec::new();
    // The entries were checked with the rest of the content (`load::extras::check`).
    for e in &c.synonyms.entries {
        if e.same.is_empty() {
            for w in &e.words {
                for m in &e.means {
                    add(w, m);
                }
            }
        } else {
            same_groups.push(e.same.clone());
        }
    }
    for term in &c.glossary {
        let mut zh = vec![term.term.zh.clone()];
        zh.extend(term.forms.zh.iter().cloned());
        same_groups.push(zh);
        let mut en = vec![term.term.en.clone()];
        en.extend(term.forms.en.iter().cloned());
        same_groups.push(en);
    }
    for u in &c.units {
        let mut g = vec![u.name.zh.clone()];
        g.extend(u.aliases.iter().cloned());
        same_groups.push(g);
    }
    for g in &same_groups {
        for a in g {
            for b in g {
                add(a, b);
            }
        }
    }
    map
}

/// The index files, by path under `dist/`.
pub fn build_index(docs: &[SearchDoc], words: &QueryWords, tok: &Tokenizer) -> Output {
    const K1: f32 = 1.2;
    const B: f32 = 0.75;
    let n = docs.len();
    // The maps below are keyed by every term of every document, hashed millions of times for
    // a large library: with std's SipHash, hashing was 4.1% of a 1,000-document library's
    // build (`perf` self time: `sip::Hasher::write` 2.4%, `hash_one` 1.7%). FxHash
    // (rustc-hash, which jieba-rs already brings in) costs a few multiplications per term: the
    // index took 0.86 s of CPU instead of 1.19 s.
    // SipHash guards a long-running service against keys chosen to collide; here the keys are
    // the words of the content being built, read once by a build on an editor's or CI's
    // machine, where colliding terms could only slow that build down, never reach a reader.
    // Nothing below depends on the maps' order: the postings are sorted by term, each list is
    // in document order, the rest are sums and a maximum.
    // The terms of each distinct text, segmented once: the versions of a document repeat most
    // of its clauses, and every clause repeats its item's or document's title as context.
    // On every core: the index is built beside the pages, and outlasts them at library scale
    // (1.4 s against 1.1 s at 1,000 documents), when one core would otherwise wait.
    let mut distinct: FxHashMap<&str, usize> = FxHashMap::default();
    let mut texts: Vec<&str> = Vec::new();
    for d in docs {
        for (_, t) in &d.fields {
            for lang in Lang::ALL {
                let text = t.get(lang);
                distinct.entry(text).or_insert_with(|| {
                    texts.push(text);
                    texts.len() - 1
                });
            }
        }
    }
    let cut = crate::timings::time("search: segment", || {
        crate::parallel::map_in_order(&texts, |text| tok.terms(text))
    });
    let segmented: FxHashMap<&str, &Vec<String>> = texts.iter().copied().zip(cut.iter()).collect();
    // Weighted term frequencies and lengths, keyed by the segmented terms themselves (a copy
    // of the term at each of its occurrences was a third of the index's allocations, `perf`).
    let counted = crate::parallel::map_in_order(docs, |d| {
        let mut tf: FxHashMap<&str, f32> = FxHashMap::default();
        let mut len = 0.0;
        for (w, t) in &d.fields {
            for lang in Lang::ALL {
                for term in segmented[t.get(lang)] {
                    *tf.entry(term.as_str()).or_default() += w;
                    len += w;
                }
            }
        }
        (tf, len)
    });
    let (tfs, lens): (Vec<FxHashMap<&str, f32>>, Vec<f32>) = counted.into_iter().unzip();
    let avg = lens.iter().sum::<f32>() / n.max(1) as f32;
    let mut df: FxHashMap<&str, usize> = FxHashMap::default();
    for tf in &tfs {
        for t in tf.keys() {
            *df.entry(t).or_default() += 1;
        }
    }
    // BM25 impact of each (term, doc). Gathered in a hash map and sorted once: a sorted map
    // compared the term with a dozen others at each of the (term, document) pairs (3.4% of a
    // 100-document library's build, `perf`).
    let mut postings: FxHashMap<&str, Vec<(usize, f32)>> = FxHashMap::default();
    let mut max_impact: f32 = 0.0;
    for (i, tf) in tfs.iter().enumerate() {
        for (t, &f) in tf {
            let dfv = df[t] as f32;
            let idf = (1.0 + (n as f32 - dfv + 0.5) / (dfv + 0.5)).ln();
            let impact = idf * f * (K1 + 1.0) / (f + K1 * (1.0 - B + B * lens[i] / avg));
            max_impact = max_impact.max(impact);
            postings.entry(t).or_default().push((i, impact));
        }
    }
    let mut postings: Vec<(&str, Vec<(usize, f32)>)> = postings.into_iter().collect();
    postings.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let quantize = |x: f32| -> u8 {
        let q = (x / max_impact * 25.0).round() as u8 + 1;
        q.clamp(1, 26)
    };
    // The characters of the index, for the traditional → simplified table, and its English
    // words, most frequent first, for the typo vocabulary.
    // (The synonyms' and money words' characters count too: 補貼 must find the synonym 补贴,
    // a word the text never uses.)
    let chars: BTreeSet<char> = postings
        .iter()
        .map(|(t, _)| *t)
        .chain(words.synonyms.keys().map(String::as_str))
        .chain(words.amount.iter().map(String::as_str))
        .flat_map(|t| t.chars())
        .filter(|c| text::is_cjk(*c))
        .collect();
    let simplifier = text::Simplifier::for_chars(&chars);
    let mut vocab: Vec<(&str, usize)> = postings
        .iter()
        .filter(|(t, _)| t.len() >= 3 && t.bytes().all(|b| b.is_ascii_lowercase()))
        .map(|(t, l)| (*t, l.len()))
        .collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    // One file per word length: a word one edit away from a query word is at most one letter
    // longer or shorter, so a typo fetches three small files, not the whole vocabulary.
    let mut by_length: BTreeMap<usize, String> = BTreeMap::new();
    for (t, _) in &vocab {
        let f = by_length.entry(t.len()).or_default();
        f.push_str(t);
        f.push('\n');
    }
    let mut lines: Vec<(String, String)> = Vec::new();
    for (term, mut list) in postings {
        if list.len() > MAX_POSTINGS {
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(MAX_POSTINGS);
        }
        list.sort_by_key(|p| p.0);
        let encoded = encode(list.iter().map(|&(d, x)| (d, quantize(x))));
        lines.push((term.to_string(), encoded));
    }
    // Facets: every document of a facet, impact irrelevant.
    let mut facets: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        for f in &d.facets {
            facets.entry(f.as_str()).or_default().push(i);
        }
    }
    for (f, list) in facets {
        lines.push((f.to_string(), encode(list.into_iter().map(|d| (d, 1)))));
    }
    let total: usize = lines.iter().map(|(t, p)| t.len() + p.len() + 2).sum();
    let shards = (total / SHARD_TARGET)
        .clamp(8, MAX_SHARDS)
        .next_power_of_two() as u32;
    let mut files: Vec<String> = vec![String::new(); shards as usize];
    for (t, p) in &lines {
        let f = &mut files[text::shard_of(t, shards) as usize];
        f.push_str(t);
        f.push('\t');
        f.push_str(p);
        f.push('\n');
    }
    let mut out = Output::new();
    for (k, f) in files.into_iter().enumerate() {
        out.insert(format!("search/p/{k}.txt"), f.into_bytes());
    }
    let chunk_size = chunk_for(n);
    let files: Vec<(Lang, usize, &[SearchDoc])> = Lang::ALL
        .into_iter()
        .flat_map(|lang| {
            docs.chunks(chunk_size)
                .enumerate()
                .map(move |(k, chunk)| (lang, k, chunk))
        })
        .collect();
    let written = crate::parallel::map_in_order(&files, |&(lang, k, chunk)| {
        let rows: Vec<Value> = chunk
            .iter()
            .enumerate()
            .map(|(i, d)| {
                // A crumb or title the row before in the file has is written as 0 (the
                // clauses of one document version share both).
                let prev = i.checked_sub(1).map(|j| &chunk[j]);
                let same = |f: fn(&SearchDoc) -> &calculator::Text| {
                    prev.is_some_and(|p| f(p).get(lang) == f(d).get(lang))
                };
                let crumb = if same(|d| &d.crumb) {
                    json!(0)
                } else {
                    json!(d.crumb.get(lang))
                };
                let title = if same(|d| &d.title) {
                    json!(0)
                } else {
                    json!(d.title.get(lang))
                };
                let mut row = json!([d.id, d.url, crumb, title, d.text.get(lang)]);
                // Only the clauses of claimable subsidies carry a sixth column.
                if let (Some(e), Some(r)) = (&d.estimate, row.as_array_mut()) {
                    r.push(json!(e));
                }
                row
            })
            .collect();
        let bytes = serde_json::to_vec(&rows).unwrap_or_default();
        (format!("search/{}/{k}.json", lang.code()), bytes)
    });
    out.extend(written);
    // The synonym table with the words that look for the same things together:
    // [[words…], [what to look for…]].
    let mut by_means: BTreeMap<&Vec<String>, Vec<&String>> = BTreeMap::new();
    for (k, v) in &words.synonyms {
        by_means.entry(v).or_default().push(k);
    }
    let syn: Vec<Value> = by_means.iter().map(|(v, k)| json!([k, v])).collect();
    // A document that is part of another (a clause of its item): [whole, part, part…].
    let number: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut parts: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(whole) = d.part_of.as_deref().and_then(|w| number.get(w)) {
            parts.entry(*whole).or_default().push(i);
        }
    }
    let parts: Vec<Vec<usize>> = parts
        .into_iter()
        .map(|(w, p)| std::iter::once(w).chain(p).collect())
        .collect();
    let mut meta = json!({
        "v": 1,
        "docs": n,
        "shards": shards,
        "chunk": chunk_size,
        "stop": text::STOP_WORDS,
        "syn": syn,
        "amount": {"words": words.amount, "facet": docs::AMOUNT_FACET},
        "parts": parts,
        "words": {"dir": "words/", "lengths": by_length.keys().collect::<Vec<_>>()},
    });
    for (len, words) in by_length {
        out.insert(format!("search/words/{len}.txt"), words.into_bytes());
    }
    if !simplifier.is_empty() {
        meta["t2s"] = json!("t2s.txt");
        out.insert("search/t2s.txt".into(), simplifier.pairs().into_bytes());
    }
    out.insert(
        "search/meta.json".into(),
        serde_json::to_vec(&meta).unwrap_or_default(),
    );
    out
}

/// Postings as text: for each document, the gap from the previous one in base 36, then its
/// impact as a letter `A` (1) … `Z` (26).
fn encode(list: impl Iterator<Item = (usize, u8)>) -> String {
    let mut s = String::new();
    let mut prev = 0usize;
    for (d, q) in list {
        s.push_str(&base36(d - prev));
        s.push((b'A' + q - 1) as char);
        prev = d;
    }
    s
}

fn base36(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n == 0 {
        return "0".into();
    }
    let mut v = Vec::new();
    while n > 0 {
        v.push(DIGITS[n % 36]);
        n /= 36;
    }
    v.reverse();
    String::from_utf8(v).unwrap_or_default()
}

/// The words jieba should know besides its dictionary: glossary terms and their forms, unit
/// names and aliases, subsidy names.
pub fn domain_words(c: &Content) -> Vec<String> {
    let mut w: Vec<String> = Vec::new();
    for t in &c.glossary {
        w.push(t.term.zh.clone());
        w.extend(t.forms.zh.iter().cloned());
    }
    for u in &c.units {
        w.push(u.name.zh.clone());
        w.extend(u.aliases.iter().cloned());
    }
    w
}

/// The search page's context: the shared page context plus the filters' choices.
fn page_value(ctx: &RenderContext, lang: Lang) -> Value {
    let c = ctx.content;
    let mut m = crate::render::base(ctx, lang, "search/");
    let st = |k: &str| {
        c.strings
            .get(k)
            .map(|t| t.get(lang).to_string())
            .unwrap_or_default()
    };
    let actions: Vec<Value> = ctx
        .library
        .actions()
        .iter()
        .map(|a| {
            let sep = if lang == Lang::En { " " } else { "" };
            json!({"value": a.action.id, "label": format!("{}{sep}{}", a.number(lang), a.action.title.get(lang))})
        })
        .collect();
    let units: Vec<Value> = c
        .units
        .iter()
        .map(|u| json!({"value": u.id, "label": u.name.get(lang)}))
        .collect();
    let documents: Vec<Value> = DOC_FACETS
        .iter()
        .map(|p| json!({"value": p.entry().id, "label": st(p.entry().nav)}))
        .collect();
    m.insert("title".into(), json!(st("search_title")));
    m.insert(
        "filters".into(),
        json!({"documents": documents, "actions": actions, "units": units}),
    );
    Value::Object(m)
}

/// The index files of the content, by path under `dist/` (`search/…`).
pub fn index(lib: &Library) -> Result<Output, BuildError> {
    let c = lib.content;
    let query_words = QueryWords::of(c);
    let words = domain_words(c);
    let tok = time("search: tokenizer (jieba dictionary)", || {
        Tokenizer::new(words.iter().map(String::as_str))
    });
    let mut docs = time("search: documents", || docs::documents(lib));
    let ranges = versions::library_documents(lib, &mut docs);
    check_unique(&docs)?;
    let mut out = time("search: index", || build_index(&docs, &query_words, &tok));
    // The dates each version is in force, by document index, for the browser's filter. Added
    // to meta.json here, so the index format itself stays one function's.
    if let Some(meta) = out.get_mut("search/meta.json") {
        if let Ok(Value::Object(mut m)) = serde_json::from_slice::<Value>(meta) {
            // [first, count, from, until] for each run of consecutive documents with the same
            // dates (the clauses of one version), leaving out those in force at any date: a
            // row per document was 53 KB of a 100-document library's meta.json.
            let mut rows: Vec<(usize, usize, String, String)> = Vec::new();
            for (i, (from, until)) in ranges {
                if from.is_empty() && until.is_empty() {
                    continue;
                }
                match rows.last_mut() {
                    Some(r) if r.0 + r.1 == i && r.2 == from && r.3 == until => r.1 += 1,
                    _ => rows.push((i, 1, from, until)),
                }
            }
            let rows: Vec<Value> = rows
                .into_iter()
                .map(|(i, n, from, until)| json!([i, n, from, until]))
                .collect();
            m.insert("versions".into(), Value::Array(rows));
            *meta = serde_json::to_vec(&Value::Object(m)).unwrap_or_default();
        }
    }
    Ok(out)
}

/// The index stage: the index files and the search page of each language.
pub fn build(tera: &Tera, ctx: &RenderContext) -> Result<Output, BuildError> {
    let mut out = index(ctx.library)?;
    for lang in Lang::ALL {
        let html = crate::render::render(tera, "search.html", &page_value(ctx, lang))?;
        out.insert(
            format!("{}/search/index.html", lang.code()),
            html.into_bytes(),
        );
    }
    Ok(out)
}

fn check_unique(docs: &[SearchDoc]) -> Result<(), BuildError> {
    let mut seen = BTreeSet::new();
    for d in docs {
        if !seen.insert(d.id.as_str()) {
            return Err(ContentError::new(
                "content",
                format!(
                    "two search documents share the id `{}`: ids must be unique",
                    d.id
                ),
            )
            .into());
        }
    }
    Ok(())
}
