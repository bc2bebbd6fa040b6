//! Turning content text into HTML: escaping, linking glossary terms and unit names.

use calculator::{Lang, Text};
use std::collections::HashMap;

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

/// A hasher for the characters [`TermLinker`] looks up at every position of every text: one
/// multiplication, where the default (SipHash, resistant to chosen keys, which the glossary's
/// own characters need not be) was 3% of a 100-document library's build (`perf`).
#[derive(Default)]
struct CharHasher(u64);

impl std::hash::Hasher for CharHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Candidate forms by their first character.
type ByFirst = HashMap<char, Vec<usize>, std::hash::BuildHasherDefault<CharHasher>>;

/// Links the first use of each glossary term on a page to its definition.
///
/// One link per term per page: linking 跨境电商 in every clause would drown the text.
pub struct TermLinker<'a> {
    /// Each form, with its lowercase made once here rather than at every byte of every text,
    /// and the number of its term in `linked`.
    terms: Vec<(String, String, &'a Term, usize)>,
    /// The indices into `terms` of the forms (`[0]`) and of their lowercases (`[1]`) by first
    /// character, in `terms`' order: at a position of a text only the forms that start with its
    /// character are tried (trying every form at every byte was most of a large library's build).
    by_first: [ByFirst; 2],
    /// Whether each term (by number, one per distinct id) is linked on this page already: a
    /// flag rather than a set of ids, since it is asked at every candidate position of every
    /// text (the set's string comparisons were 9% of a 100-document library's build, `perf`).
    linked: Vec<bool>,
    lang: Lang,
    href: String,
}

impl<'a> TermLinker<'a> {
    /// A linker for one page; `href` is the glossary page's path from this page.
    pub fn new(glossary: &'a [Term], lang: Lang, href: String) -> Self {
        let mut terms: Vec<(String, &Term)> = glossary
            .iter()
            .flat_map(|t| {
                let forms = match lang {
                    Lang::Zh => t.forms.zh.clone(),
                    Lang::En => t.forms.en.clone(),
                };
                std::iter::once(t.term.get(lang).to_string())
                    .chain(forms)
                    .filter(|f| !f.is_empty())
                    .map(move |f| (f, t))
            })
            .collect();
        // Longest first, so 跨境电商综合试验区 wins over 跨境电商.
        terms.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        let mut number: HashMap<&str, usize> = HashMap::new();
        let terms: Vec<(String, String, &Term, usize)> = terms
            .into_iter()
            .map(|(form, t)| {
                let lower = form.to_lowercase();
                let next = number.len();
                let n = *number.entry(t.id.as_str()).or_insert(next);
                (form, lower, t, n)
            })
            .collect();
        let mut by_first: [ByFirst; 2] = Default::default();
        for (k, (form, lower, _, _)) in terms.iter().enumerate() {
            for (map, f) in by_first.iter_mut().zip([form, lower]) {
                if let Some(c) = f.chars().next() {
                    map.entry(c).or_default().push(k);
                }
            }
        }
        TermLinker {
            terms,
            by_first,
            linked: vec![false; number.len()],
            lang,
            href,
        }
    }

    /// Escapes `text` and links the terms not yet linked on this page.
    pub fn html(&mut self, text: &Text) -> String {
        let s = text.get(self.lang);
        let lower = s.to_lowercase();
        // Lowercasing can change byte lengths outside ASCII; match case-insensitively only
        // when it does not.
        let hay = if lower.len() == s.len() {
            lower
        } else {
            s.to_string()
        };
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        // Where the text not yet copied to `out` starts: unlinked text is escaped in one piece
        // when a term or the end is reached.
        let mut run = 0;
        let use_lower = hay.len() == s.len() && self.lang == Lang::En;
        let by_first = &self.by_first[usize::from(use_lower)];
        'outer: while i < s.len() {
            let first = hay[i..].chars().next().unwrap_or(' ');
            for &k in by_first.get(&first).map_or(&[][..], Vec::as_slice) {
                let (form, lower, term, n) = &self.terms[k];
                if self.linked[*n] {
                    continue;
                }
                let f = if use_lower { lower } else { form };
                if hay[i..].starts_with(f.as_str()) && self.word_boundary(s, i, f.len()) {
                    let mut end = i + f.len();
                    // Link the whole plural ("industrial belts"), not the stem alone.
                    if self.lang == Lang::En && s[end..].starts_with('s') {
                        end += 1;
                    }
                    // Ids are checked against the id grammar, but every attribute value
                    // is escaped whatever its source.
                    escape_into(&mut out, &s[run..i]);
                    out.push_str(&format!(
                        "<a class=\"term\" href=\"{}\">{}</a>",
                        escape(&format!("{}#term-{}", self.href, term.id)),
                        escape(&s[i..end])
                    ));
                    self.linked[*n] = true;
                    i = end;
                    run = end;
                    continue 'outer;
                }
            }
            i += s[i..].chars().next().map_or(1, char::len_utf8);
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

    #[test]
    fn escape_covers_both_quotes_and_tags() {
        assert_eq!(
            escape("<a href=\"x\" title='y'>&"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;"
        );
    }
}
