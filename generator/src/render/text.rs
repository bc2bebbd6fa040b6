//! Turning content text into HTML: escaping, linking glossary terms and unit names.

use aho_corasick::{AhoCorasick, MatchKind};
use calculator::{Lang, Text};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use crate::model::{ResponsibleUnit, Term};
use crate::validate::unit_names;

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// [`escape`], appended to `out`: a page's text is escaped in runs, not a `String` per character,
/// and copied between the characters to escape a run at a time, not a character at a time.
fn escape_into(out: &mut String, s: &str) {
    let mut copied = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The characters escaped are ASCII, so `i` is on a character boundary.
        out.push_str(&s[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&s[copied..]);
}

/// One language's glossary forms, prepared once per thread and glossary rather than once per
/// page ([`prepared`]): building the automaton costs more than linking a page's texts.
struct Prepared {
    lang: Lang,
    /// What it was made from, each term's id, name and forms in `lang`, compared with the
    /// glossary of every linker asked for, so that a changed glossary (`serve`) is prepared
    /// again.
    source: Vec<(String, String, Vec<String>)>,
    /// Each term's id, by number (one per distinct id).
    ids: Vec<String>,
    /// The number of the term of each form, the forms in the order they are tried at a
    /// position: longest first (by characters), then by form, then in glossary order.
    term_of: Vec<usize>,
    /// The distinct forms as written (`[0]`) and lowercased (`[1]`, for English texts matched
    /// case-insensitively), each with the indices into `term_of` of the forms it stands for, in
    /// that order. Their automata find every occurrence of every form in one pass over a text,
    /// where trying the forms that start with the character at each position of every text,
    /// and preparing them for every page, took 0.53 s of CPU in a 1,000-document library's
    /// build of 7.3 s (`perf`, `TermLinker::html` and `::new`); 0.26 s with the automata, 0.1 s
    /// of it their search.
    automata: [Automaton; 2],
}

/// A set of distinct forms and the automaton that finds them all, overlapping.
struct Automaton {
    /// The forms, by pattern number.
    patterns: Vec<String>,
    /// For each pattern, the indices into [`Prepared::term_of`] of the forms it stands for.
    forms: Vec<Vec<usize>>,
    /// `None` only if the automaton could not be built (a glossary far beyond any real one):
    /// the patterns are then looked for one by one, with the same result.
    ac: Option<AhoCorasick>,
}

impl Automaton {
    /// The automaton of `forms`, in the order they are tried; a form written twice (by two
    /// terms, or twice once lowercased) is one pattern.
    fn new(forms: &[String]) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut of: Vec<Vec<usize>> = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (k, f) in forms.iter().enumerate() {
            let p = *seen.entry(f).or_insert_with(|| {
                patterns.push(f.clone());
                of.push(Vec::new());
                patterns.len() - 1
            });
            of[p].push(k);
        }
        // Standard semantics: the only kind that reports overlapping matches, and every
        // match is needed, since a form's word boundary or its term being linked already is
        // only known at the position it is tried.
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .ok();
        Automaton {
            patterns,
            forms: of,
            ac,
        }
    }

    /// Every occurrence of every pattern in `hay`, as (start, end, pattern).
    fn find_all(&self, hay: &str) -> Vec<(usize, usize, usize)> {
        match &self.ac {
            Some(ac) => ac
                .find_overlapping_iter(hay)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect(),
            None => {
                let mut found = Vec::new();
                for (k, p) in self.patterns.iter().enumerate() {
                    for (start, _) in hay.char_indices() {
                        if hay[start..].starts_with(p.as_str()) {
                            found.push((start, start + p.len(), k));
                        }
                    }
                }
                found
            }
        }
    }
}

impl Prepared {
    fn new(glossary: &[Term], lang: Lang) -> Self {
        let source = source(glossary, lang).collect();
        let mut forms: Vec<(String, &str)> = glossary
            .iter()
            .flat_map(|t| {
                std::iter::once(t.term.get(lang).to_string())
                    .chain(forms_in(t, lang).iter().cloned())
                    .filter(|f| !f.is_empty())
                    .map(move |f| (f, t.id.as_str()))
            })
            .collect();
        // Longest first, so 跨境电商综合试验区 wins over 跨境电商 (a stable sort: a form two
        // terms share goes to the first in the glossary).
        forms.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        let mut number: HashMap<&str, usize> = HashMap::new();
        let mut ids = Vec::new();
        let term_of = forms
            .iter()
            .map(|(_, id)| {
                *number.entry(id).or_insert_with(|| {
                    ids.push(id.to_string());
                    ids.len() - 1
                })
            })
            .collect();
        let written: Vec<String> = forms.iter().map(|(f, _)| f.clone()).collect();
        let lower: Vec<String> = forms.iter().map(|(f, _)| f.to_lowercase()).collect();
        Prepared {
            lang,
            source,
            ids,
            term_of,
            automata: [Automaton::new(&written), Automaton::new(&lower)],
        }
    }

    /// Whether this was prepared from `glossary` in `lang`.
    fn made_from(&self, glossary: &[Term], lang: Lang) -> bool {
        self.lang == lang
            && self.source.len() == glossary.len()
            && self
                .source
                .iter()
                .zip(glossary)
                .all(|((id, name, forms), t)| {
                    *id == t.id && name == t.term.get(lang) && forms == forms_in(t, lang)
                })
    }
}

fn forms_in(t: &Term, lang: Lang) -> &Vec<String> {
    match lang {
        Lang::Zh => &t.forms.zh,
        Lang::En => &t.forms.en,
    }
}

/// Each term's id, name and forms in `lang`: what [`Prepared`] is made from.
fn source(
    glossary: &[Term],
    lang: Lang,
) -> impl Iterator<Item = (String, String, Vec<String>)> + '_ {
    glossary.iter().map(move |t| {
        (
            t.id.clone(),
            t.term.get(lang).to_string(),
            forms_in(t, lang).clone(),
        )
    })
}

thread_local! {
    /// The glossary prepared last on this thread, per language. Pages are rendered on every
    /// core, each thread preparing its own once; a glossary edited in `serve` replaces it.
    static PREPARED: RefCell<Vec<Arc<Prepared>>> = const { RefCell::new(Vec::new()) };
}

/// `glossary` prepared for `lang`, made once per thread while it stays the same.
fn prepared(glossary: &[Term], lang: Lang) -> Arc<Prepared> {
    PREPARED.with(|cell| {
        let mut cache = cell.borrow_mut();
        if let Some(p) = cache.iter().find(|p| p.made_from(glossary, lang)) {
            return Arc::clone(p);
        }
        let p = Arc::new(Prepared::new(glossary, lang));
        cache.retain(|q| q.lang != lang);
        cache.push(Arc::clone(&p));
        p
    })
}

/// Links the first use of each glossary term on a page to its definition.
///
/// One link per term per page: linking 跨境电商 in every clause would drown the text.
pub struct TermLinker {
    prepared: Arc<Prepared>,
    /// Whether each term (by number, one per distinct id) is linked on this page already.
    linked: Vec<bool>,
    /// How many terms are not linked yet: none left, a text is only escaped.
    unlinked: usize,
    lang: Lang,
    href: String,
}

impl TermLinker {
    /// A linker for one page; `href` is the glossary page's path from this page.
    pub fn new(glossary: &[Term], lang: Lang, href: String) -> Self {
        let prepared = prepared(glossary, lang);
        let terms = prepared.ids.len();
        TermLinker {
            prepared,
            linked: vec![false; terms],
            unlinked: terms,
            lang,
            href,
        }
    }

    /// Escapes `text` and links the terms not yet linked on this page.
    ///
    /// At each position, left to right, the forms found there are tried longest first; the
    /// first whose term is not linked yet and that stands on word boundaries (English) is
    /// linked, and the search goes on after it.
    pub fn html(&mut self, text: &Text) -> String {
        let s = text.get(self.lang);
        let mut out = String::with_capacity(s.len());
        if self.unlinked == 0 {
            escape_into(&mut out, s);
            return out;
        }
        // Lowercasing can change byte lengths outside ASCII; match case-insensitively only
        // when it does not, at any character (a text's positions must be the same in both).
        let (lower, caseless) = lowercase(s);
        let same_positions = caseless
            || (lower.len() == s.len() && s.char_indices().all(|(i, _)| lower.is_char_boundary(i)));
        let hay = if same_positions { lower.as_str() } else { s };
        // Both languages match Latin letters regardless of case, as the lowercased text is
        // searched for the lowercased forms: a Chinese text once searched lowercased for the
        // forms as written, so a form with capitals (RCEP, MCN) was never linked there.
        let use_lower = same_positions;
        let prepared = Arc::clone(&self.prepared);
        let automaton = &prepared.automata[usize::from(use_lower)];
        // Each form found, by position and then in the order forms are tried there (the
        // order of `term_of`, as a loop over the forms at each position tried them).
        let mut found: Vec<(usize, usize, usize)> = automaton
            .find_all(hay)
            .into_iter()
            .flat_map(|(start, end, pattern)| {
                automaton.forms[pattern]
                    .iter()
                    .map(move |&k| (start, k, end))
            })
            .collect();
        found.sort_unstable();
        // Where the text not yet copied to `out` starts: unlinked text is escaped in one piece
        // when a term or the end is reached.
        let mut run = 0;
        for (start, k, end) in found {
            let n = prepared.term_of[k];
            if start < run || self.linked[n] {
                continue;
            }
            if !self.word_boundary(s, start, end - start) {
                continue;
            }
            let mut end = end;
            // Link the whole plural ("industrial belts"), not the stem alone.
            if self.lang == Lang::En && s[end..].starts_with('s') {
                end += 1;
            }
            // Ids are checked against the id grammar, but every attribute value is escaped
            // whatever its source.
            escape_into(&mut out, &s[run..start]);
            out.push_str(&format!(
                "<a class=\"term\" href=\"{}\">{}</a>",
                escape(&format!("{}#term-{}", self.href, prepared.ids[n])),
                escape(&s[start..end])
            ));
            self.linked[n] = true;
            self.unlinked -= 1;
            run = end;
        }
        escape_into(&mut out, &s[run..]);
        out
    }

    /// English terms must start and end on word boundaries (not "RCEP" inside a word);
    /// Chinese has no spaces, so any position counts.
    fn word_boundary(&self, s: &str, start: usize, len: usize) -> bool {
        if self.lang == Lang::Zh {
            return true;
        }
        let before = s[..start].chars().last();
        let after = s[start + len..].chars().next();
        let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        !alnum(before) && (!alnum(after) || after == Some('s'))
    }
}

/// `s` lowercased exactly as [`str::to_lowercase`] does, and whether every character kept its
/// length (then a position in one is the same in the other). ASCII and the caseless characters
/// of a Chinese text (ideographs, CJK and general punctuation, fullwidth punctuation) are
/// copied without `to_lowercase`'s table lookup per character, which was 0.06 s of CPU in a
/// 1,000-document library's build (`perf`); any other character lowercases the whole text the
/// standard way (Greek's final sigma depends on its neighbours).
fn lowercase(s: &str) -> (String, bool) {
    if s.is_ascii() {
        return (s.to_ascii_lowercase(), true);
    }
    let caseless = |c: char| {
        matches!(
            c,
            '\u{2000}'..='\u{206F}'
                | '\u{3000}'..='\u{303F}'
                | '\u{4E00}'..='\u{9FFF}'
                | '\u{FF01}'..='\u{FF20}'
                | '\u{FF3B}'..='\u{FF40}'
                | '\u{FF5B}'..='\u{FF65}'
        )
    };
    if s.chars().all(|c| c.is_ascii() || caseless(c)) {
        let lower = s.chars().map(|c| c.to_ascii_lowercase()).collect();
        return (lower, true);
    }
    (s.to_lowercase(), false)
}

/// Escapes a 责任单位 text and links each listed unit's name (resolved by the library, in the
/// order the content lists them) to its page.
pub fn units_html<'u>(
    text: &Text,
    lang: Lang,
    units: impl IntoIterator<Item = &'u ResponsibleUnit>,
    unit_href: impl Fn(&str) -> String,
) -> String {
    let s = text.get(lang);
    // Find the first occurrence of each unit's name, then link in order of position.
    let mut spans: Vec<(usize, usize, &str)> = Vec::new();
    for u in units {
        let mut names = unit_names(u, lang);
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        for n in names {
            let mut from = 0;
            while let Some(pos) = s[from..].find(n.as_str()) {
                let start = from + pos;
                let end = start + n.len();
                if spans.iter().all(|(a, b, _)| end <= *a || start >= *b) {
                    spans.push((start, end, u.id.as_str()));
                    break;
                }
                from = end;
            }
            if spans.iter().any(|(_, _, sid)| *sid == u.id) {
                break;
            }
        }
    }
    spans.sort();
    let mut out = String::new();
    let mut at = 0;
    for (start, end, id) in spans {
        out.push_str(&escape(&s[at..start]));
        out.push_str(&format!(
            "<a class=\"unit\" href=\"{}\">{}</a>",
            escape(&unit_href(id)),
            escape(&s[start..end])
        ));
        at = end;
    }
    out.push_str(&escape(&s[at..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Forms, UnitKind};

    /// Strings a hostile content file could carry into the HTML.
    const HOSTILE: [&str; 4] = [
        "\" onmouseover=\"alert(4)",
        "<script>alert(1)</script>",
        "javascript:alert(2)",
        "' onerror='alert(3)",
    ];

    fn text(s: &str) -> Text {
        Text {
            zh: s.to_string(),
            en: s.to_string(),
        }
    }

    /// No quote, apostrophe or angle bracket of the input survives unescaped: the only
    /// quotes are those of the `class` and `href` attributes the builder wrote itself, and no
    /// link starts with a script scheme.
    fn assert_inert(html: &str) {
        let links = html.matches("<a ").count();
        assert!(links >= 1, "{html}");
        assert_eq!(
            html.matches('<').count(),
            2 * links,
            "only the links' tags: {html}"
        );
        assert_eq!(
            html.matches('>').count(),
            2 * links,
            "only the links' tags: {html}"
        );
        assert_eq!(
            html.matches('"').count(),
            4 * links,
            "only the builder's quotes: {html}"
        );
        assert!(!html.contains('\''), "{html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
    }

    #[test]
    fn term_links_escape_hostile_ids_and_text() {
        for h in HOSTILE {
            let term = Term {
                id: format!("rcep{h}"),
                term: text("RCEP"),
                forms: Forms::default(),
                definition: text(h),
            };
            let terms = [term];
            let mut linker = TermLinker::new(&terms, Lang::En, format!("../{h}/"));
            let html = linker.html(&text(&format!("Under RCEP {h} rules")));
            assert!(
                html.contains("class=\"term\""),
                "the term is linked: {html}"
            );
            assert_inert(&html);
        }
    }

    #[test]
    fn unit_links_escape_hostile_ids_and_names() {
        for h in HOSTILE {
            let unit = ResponsibleUnit {
                id: format!("tax{h}"),
                name: text("Tax Bureau"),
                aliases: vec![],
                kind: UnitKind::Vertical,
                note: None,
            };
            let units = [unit];
            let html = units_html(
                &text(&format!("Tax Bureau and {h}")),
                Lang::En,
                &units,
                |id| format!("../units/{id}/"),
            );
            assert!(
                html.contains("class=\"unit\""),
                "the unit is linked: {html}"
            );
            assert_inert(&html);
        }
    }

    fn term(id: &str, zh: &str, en: &str, zh_forms: &[&str], en_forms: &[&str]) -> Term {
        Term {
            id: id.to_string(),
            term: Text {
                zh: zh.to_string(),
                en: en.to_string(),
            },
            forms: Forms {
                zh: zh_forms.iter().map(|f| f.to_string()).collect(),
                en: en_forms.iter().map(|f| f.to_string()).collect(),
            },
            definition: text("a definition"),
        }
    }

    /// The ids of the terms linked in `html`, in order, with the text of each link.
    fn links(html: &str) -> Vec<(String, String)> {
        html.split("<a class=\"term\" href=\"g/#term-")
            .skip(1)
            .map(|rest| {
                let (id, rest) = rest.split_once("\">").expect("a link's end");
                let (label, _) = rest.split_once("</a>").expect("a closed link");
                (id.to_string(), label.to_string())
            })
            .collect()
    }

    fn linked(glossary: &[Term], lang: Lang, texts: &[&str]) -> Vec<Vec<(String, String)>> {
        let mut linker = TermLinker::new(glossary, lang, "g/".to_string());
        texts
            .iter()
            .map(|s| links(&linker.html(&text(s))))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    /// A Chinese text names RCEP and MCN in capitals, as the glossary writes them: they are
    /// linked there as in English (the Chinese pages once linked neither).
    #[test]
    fn a_term_in_latin_capitals_is_linked_in_chinese_text() {
        let glossary = [
            term("rcep", "RCEP", "RCEP", &[], &[]),
            term("mcn", "MCN", "MCN", &["MCN机构"], &[]),
        ];
        let got = linked(
            &glossary,
            Lang::Zh,
            &[
                "RCEP高水平开放合作示范区",
                "鼓励MCN机构和跨境电商卖家",
                "rcep",
            ],
        );
        assert_eq!(got[0], pairs(&[("rcep", "RCEP")]));
        assert_eq!(got[1], pairs(&[("mcn", "MCN机构")]));
        // Each term once per page: the third text is not linked again.
        assert!(got[2].is_empty(), "{:?}", got[2]);
    }

    #[test]
    fn the_longest_form_wins_and_each_term_is_linked_once_per_page() {
        let glossary = [
            term(
                "zone",
                "跨境电商综合试验区",
                "Comprehensive Pilot Zone",
                &["综试区"],
                &[],
            ),
            term(
                "cbec",
                "跨境电商",
                "cross-border e-commerce",
                &[],
                &["CBEC"],
            ),
        ];
        let zh = linked(
            &glossary,
            Lang::Zh,
            &["建设跨境电商综合试验区，发展跨境电商。", "综试区和跨境电商"],
        );
        assert_eq!(
            zh,
            [
                pairs(&[("zone", "跨境电商综合试验区"), ("cbec", "跨境电商")]),
                vec![],
            ]
        );
        // English: case-insensitive, the text's own case kept in the link.
        let en = linked(
            &glossary,
            Lang::En,
            &[
                "The comprehensive pilot zone and Cross-Border E-Commerce",
                "CBEC",
            ],
        );
        assert_eq!(
            en,
            [
                pairs(&[
                    ("zone", "comprehensive pilot zone"),
                    ("cbec", "Cross-Border E-Commerce")
                ]),
                vec![],
            ]
        );
    }

    #[test]
    fn an_english_form_stands_on_word_boundaries_with_its_plural() {
        let glossary = [
            term("belt", "产业带", "industrial belt", &[], &[]),
            term("rcep", "RCEP", "RCEP", &[], &[]),
            term("port", "口岸", "port", &[], &["port of entry"]),
        ];
        let en = linked(
            &glossary,
            Lang::En,
            &[
                // Inside a word: no link; the next standalone use is linked.
                "XRCEP and RCEP2 then RCEP.",
                // The plural is linked whole.
                "Two industrial belts.",
                // The longer form fails its boundary, so the shorter one at the same place wins.
                "a port of entryway",
            ],
        );
        assert_eq!(
            en,
            [
                pairs(&[("rcep", "RCEP")]),
                pairs(&[("belt", "industrial belts")]),
                pairs(&[("port", "port")]),
            ]
        );
        // Chinese has no word boundaries.
        let zh = linked(&glossary, Lang::Zh, &["出口岸产业带们"]);
        assert_eq!(zh, [pairs(&[("port", "口岸"), ("belt", "产业带")])]);
    }

    #[test]
    fn a_form_of_a_term_already_linked_gives_way_to_another_term_at_the_same_place() {
        // 综合保税区 is a form of one term; 综合 alone is another. Once the first is linked, its
        // next use no longer hides the second.
        let glossary = [
            term("bonded", "综保区", "bonded zone", &["综合保税区"], &[]),
            term("general", "综合", "comprehensive", &[], &[]),
        ];
        let zh = linked(&glossary, Lang::Zh, &["综合保税区", "综合保税区"]);
        assert_eq!(
            zh,
            [
                pairs(&[("bonded", "综合保税区")]),
                pairs(&[("general", "综合")])
            ]
        );
    }

    #[test]
    fn a_changed_glossary_is_prepared_again() {
        // The preview renders again in one process, on the same threads.
        let text = ["Under RCEP and the Regional Agreement"];
        let before = [term("rcep", "RCEP", "RCEP", &[], &[])];
        assert_eq!(
            linked(&before, Lang::En, &text),
            [pairs(&[("rcep", "RCEP")])]
        );
        let renamed = [term("rcep-agreement", "RCEP", "RCEP", &[], &[])];
        assert_eq!(
            linked(&renamed, Lang::En, &text),
            [pairs(&[("rcep-agreement", "RCEP")])]
        );
        let new_form = [term("rcep", "RCEP", "RCEP", &[], &["Regional Agreement"])];
        assert_eq!(
            linked(&new_form, Lang::En, &["the Regional Agreement"]),
            [pairs(&[("rcep", "Regional Agreement")])]
        );
        // The same glossary again is linked as before.
        assert_eq!(
            linked(&before, Lang::En, &text),
            [pairs(&[("rcep", "RCEP")])]
        );
    }

    #[test]
    fn texts_lowercase_as_the_standard_library_does() {
        for s in [
            "RCEP and B2C",
            "推进RCEP高水平开放（试点）、“跨境电商”——9610。",
            "ＡＢＣ全角字母",
            "ΟΔΟΣ ends in a final sigma",
            "İstanbul",
            "",
        ] {
            let (lower, caseless) = lowercase(s);
            assert_eq!(lower, s.to_lowercase(), "{s}");
            if caseless {
                assert_eq!(lower.len(), s.len(), "{s}");
            }
        }
        // Only the ASCII-and-caseless texts skip the standard way.
        assert!(lowercase("推进RCEP（试点）").1);
        assert!(!lowercase("ＡＢＣ").1);
    }

    #[test]
    fn without_its_automaton_a_form_set_finds_the_same_occurrences() {
        let forms: Vec<String> = ["跨境电商综合试验区", "跨境电商", "电商", "电商"]
            .map(String::from)
            .to_vec();
        let built = Automaton::new(&forms);
        assert!(built.ac.is_some());
        assert_eq!(built.patterns.len(), 3, "the repeated form is one pattern");
        let fallback = Automaton {
            ac: None,
            ..Automaton::new(&forms)
        };
        let hay = "发展跨境电商，建设跨境电商综合试验区和电商电商";
        let (mut a, mut b) = (built.find_all(hay), fallback.find_all(hay));
        a.sort_unstable();
        b.sort_unstable();
        // 跨境电商 twice, the zone once, 电商 inside both 跨境电商 and twice alone.
        assert_eq!(a.len(), 2 + 1 + 4, "{a:?}");
        assert_eq!(a, b);
    }

    #[test]
    fn escape_covers_both_quotes_and_tags() {
        assert_eq!(
            escape("<a href=\"x\" title='y'>&"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;"
        );
    }
}
