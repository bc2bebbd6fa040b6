//! Markdown where the prose is ours: the editor's notes and readings, the unit notes and the
//! glossary's definitions (never the issued text nor its translation, which stay plain text).
//!
//! Each such field is one paragraph of inline Markdown — emphasis, strong, code, links — since
//! it is shown inside a sentence of the page (`Editor's note: …`). A link goes to a permalink
//! of the documents, written `#<id>` (`[Part IV, item 1](#att-4-1)`, `[task 3](#task-3)`,
//! `[9710](#term-code-9710)`), which the build turns into the path from the page that shows it,
//! or to an `https://`, `http://` or `mailto:` address. Anything else — raw HTML, an image, a
//! heading or list, a `javascript:` or other link — is refused by validation with its file,
//! line and field ([`check`]): an editor learns at once that the page would not show what they
//! wrote, where silently dropping it would not tell them. The HTML rendered by pulldown-cmark is
//! then sanitised with ammonia to exactly that set of tags and URL schemes ([`to_html`]), so even
//! a construct validation missed cannot reach a page or the calculator's rule data.
//!
//! The calculator's WASM carries no Markdown parser: the build renders and sanitises the
//! readings into the rule data (`ruleset::readings_as_html`).

use std::collections::{HashMap, HashSet};

use calculator::{Lang, Text};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::error::ContentError;
use crate::load::Content;
use crate::render::text::escape;
use crate::render::views::Page;

/// True for the fields (as [`crate::validate::all_texts`] names them) written in Markdown.
pub fn is_markdown(field: &str) -> bool {
    [".note", ".definition", ".reading"]
        .iter()
        .any(|end| field.ends_with(end))
}

/// The URL schemes a link may use besides a `#<id>` permalink.
const SCHEMES: [&str; 3] = ["https", "http", "mailto"];

/// The permalinks a `#<id>` link may name, with the page each lives on.
#[derive(Debug, Default)]
pub struct Anchors(HashMap<String, Page>);

impl Anchors {
    /// Every anchor of the plan, the attachment and the glossary.
    pub fn new(c: &Content) -> Self {
        let mut m = HashMap::new();
        let p = &c.document.plan;
        m.insert(p.general.id.clone(), Page::Plan);
        for t in &p.general.targets {
            m.insert(t.id.clone(), Page::Plan);
        }
        for a in &p.actions {
            m.insert(a.id.clone(), Page::Plan);
            for t in &a.tasks {
                m.insert(t.id.clone(), Page::Plan);
            }
        }
        for para in &p.closing {
            m.insert(para.id.clone(), Page::Plan);
        }
        for s in &c.document.attachment.sections {
            m.insert(s.id.clone(), Page::Attachment);
            for i in &s.items {
                m.insert(i.id.clone(), Page::Attachment);
                for cl in &i.clauses {
                    m.insert(cl.id.clone(), Page::Attachment);
                    if let Some(sub) = &cl.subsidy {
                        m.insert(format!("subsidy-{}", sub.id), Page::Attachment);
                    }
                }
            }
        }
        for t in &c.glossary {
            m.insert(format!("term-{}", t.id), Page::Glossary);
        }
        Anchors(m)
    }

    /// The page holding `id`.
    pub fn page(&self, id: &str) -> Option<Page> {
        self.0.get(id).copied()
    }
}

/// Where the HTML will be shown, to write each `#<id>` link as a path from there.
#[derive(Debug)]
pub struct LinkBase<'a> {
    /// The permalinks.
    pub anchors: &'a Anchors,
    /// The path from the showing page to the language's folder (`../../en/`, or `../` from the
    /// calculator, whose app links the same way).
    pub prefix: String,
    /// The page showing the HTML: a link to an anchor of that same page is just `#<id>`.
    pub here: Option<Page>,
}

impl LinkBase<'_> {
    fn href(&self, dest: &str) -> String {
        let Some(id) = dest.strip_prefix('#') else {
            return dest.to_string();
        };
        match self.anchors.page(id) {
            Some(page) if Some(page) == self.here => format!("#{id}"),
            Some(page) => format!("{}{}#{id}", self.prefix, page.entry().path),
            // Validation refuses an unknown id before anything is rendered.
            None => dest.to_string(),
        }
    }
}

fn parser(src: &str) -> Parser<'_> {
    Parser::new_ext(src, Options::empty())
}

/// What is wrong with one Markdown text, and a piece of its source to find the line by.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong and what was expected.
    pub message: String,
    /// The source text at fault, as written.
    pub snippet: String,
}

/// The mistakes of one Markdown text: every construct outside one paragraph of emphasis,
/// strong, code and links, and every link that is neither a known `#<id>` nor an address of
/// [`SCHEMES`].
pub fn problems(src: &str, anchors: &Anchors) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut paragraphs = 0;
    let mut refuse = |message: String, snippet: &str| {
        out.push(Problem {
            message,
            snippet: snippet.trim().to_string(),
        })
    };
    for (event, range) in parser(src).into_offset_iter() {
        let at = &src[range];
        match event {
            Event::Start(Tag::Paragraph) => {
                paragraphs += 1;
                if paragraphs == 2 {
                    refuse(
                        "a second paragraph: this text is shown inside a sentence of the page, \
                         so it is one paragraph (no blank line)"
                            .into(),
                        at,
                    );
                }
            }
            Event::Start(Tag::Emphasis | Tag::Strong)
            | Event::End(_)
            | Event::Text(_)
            | Event::Code(_)
            | Event::SoftBreak
            | Event::HardBreak => {}
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(m) = bad_link(&dest_url, anchors) {
                    refuse(m, &dest_url);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => refuse(
                format!(
                    "raw HTML `{}` is not allowed: write Markdown (*emphasis*, **strong**, \
                     `code`, [text](#att-1-3))",
                    at.trim()
                ),
                at,
            ),
            Event::Start(Tag::Image { .. }) => refuse(
                "an image is not allowed here: only emphasis, strong, code and links".into(),
                at,
            ),
            _ => refuse(
                format!(
                    "`{}` makes a heading, list, quote, code block or rule: this text is one \
                     paragraph of inline Markdown (emphasis, strong, code, links)",
                    at.trim().lines().next().unwrap_or_default()
                ),
                at,
            ),
        }
    }
    out
}

/// Why a link destination is refused, if it is.
fn bad_link(dest: &str, anchors: &Anchors) -> Option<String> {
    if let Some(id) = dest.strip_prefix('#') {
        return anchors.page(id).is_none().then(|| {
            format!(
                "the link `#{id}` names no permalink: expected the id of a task, action, \
                 section, item, clause or subsidy (`subsidy-<id>`) of the documents, or of a \
                 glossary term (`term-<id>`)"
            )
        });
    }
    let scheme = dest.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    match scheme {
        Some(s) if SCHEMES.contains(&s.as_str()) => None,
        _ => Some(format!(
            "the link `{dest}` is not allowed: link to a permalink of the documents as \
             `#<id>` (`#att-1-3`, `#task-3`) or to an https:// address"
        )),
    }
}

/// Validates every Markdown field of the content, in both languages: each mistake with its
/// file, line and field.
pub fn check(c: &Content) -> Vec<ContentError> {
    let anchors = Anchors::new(c);
    let mut errors = Vec::new();
    for (file, anchor, field, text) in crate::validate::all_texts(c) {
        if !is_markdown(&field) {
            continue;
        }
        for lang in Lang::ALL {
            for p in problems(text.get(lang), &anchors) {
                let mut e = file.error_at(
                    Some(&anchor),
                    &p.snippet,
                    format!("{field}.{}", lang.code()),
                    p.message,
                );
                if e.line.is_none() {
                    // The snippet may be written with YAML escapes: the field's line will do.
                    e.line = file.line_of(Some(&anchor), &format!("{}:", lang.code()));
                }
                errors.push(e);
            }
        }
    }
    errors
}

/// The allowed HTML: what inline Markdown makes, nothing more.
fn sanitiser() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.tags(HashSet::from(["a", "em", "strong", "code", "br"]))
        .tag_attributes(HashMap::from([("a", HashSet::from(["href", "title"]))]))
        .url_schemes(HashSet::from(SCHEMES))
        .url_relative(ammonia::UrlRelative::PassThrough)
        // No `target` is allowed, so a link opens no window whose opener would need hiding.
        .link_rel(None);
    b
}

/// One Markdown text as sanitised inline HTML, its `#<id>` links written from `base`. A text
/// without Markdown comes out escaped exactly as the templates escape plain text.
pub fn to_html(src: &str, base: &LinkBase) -> String {
    let events = parser(src).map(|e| match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from(base.href(&dest_url)),
            title,
            id,
        }),
        e => e,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    // One paragraph, shown inside the page's own `<p>`.
    let html = html.trim_end();
    let inner = html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html);
    escape_quotes(&sanitiser().clean(inner).to_string())
}

/// Both languages of a Markdown text as HTML.
pub fn text_to_html(text: &Text, base: &LinkBase) -> Text {
    Text {
        zh: to_html(&text.zh, base),
        en: to_html(&text.en, base),
    }
}

/// ammonia's serialiser leaves quotes in text as they are; the site's escape ([`escape`])
/// writes them as entities. Writing them the same way keeps a page whose notes use no Markdown
/// byte for byte what it was before notes were Markdown.
fn escape_quotes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ => {}
        }
        match c {
            '\'' | '"' if !in_tag => out.push_str(&escape(&c.to_string())),
            c => out.push(c),
        }
    }
    out
}

/// One Markdown text as plain text: what a reader sees, without the markup (for the search
/// index and the command line).
pub fn to_plain(src: &str) -> String {
    let mut out = String::new();
    for e in parser(src) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph) if !out.is_empty() => out.push(' '),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// Both languages of a Markdown text as plain text.
pub fn text_to_plain(text: &Text) -> Text {
    Text {
        zh: to_plain(&text.zh),
        en: to_plain(&text.en),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchors() -> Anchors {
        Anchors(HashMap::from([
            ("att-4-1".to_string(), Page::Attachment),
            ("task-3".to_string(), Page::Plan),
            ("term-code-9710".to_string(), Page::Glossary),
        ]))
    }

    fn base(a: &Anchors, here: Option<Page>) -> LinkBase<'_> {
        LinkBase {
            anchors: a,
            prefix: "../../en/".into(),
            here,
        }
    }

    #[test]
    fn plain_text_comes_out_as_the_templates_escape_it() {
        let a = anchors();
        for s in [
            "The counties' own rules apply.",
            "“一次性”指一次性给予；A & B < C",
            "He said \"no\".",
        ] {
            assert_eq!(to_html(s, &base(&a, None)), escape(s), "{s}");
            assert_eq!(to_plain(s), s);
        }
    }

    #[test]
    fn links_to_permalinks_are_written_from_the_showing_page() {
        let a = anchors();
        let src = "See [Part IV, item 1](#att-4-1) and [task 3](#task-3), *not* `9710`.";
        assert_eq!(
            to_html(src, &base(&a, Some(Page::Attachment))),
            "See <a href=\"#att-4-1\">Part IV, item 1</a> and \
             <a href=\"../../en/plan/#task-3\">task 3</a>, <em>not</em> <code>9710</code>."
        );
        assert_eq!(to_plain(src), "See Part IV, item 1 and task 3, not 9710.");
        assert!(problems(src, &a).is_empty());
    }

    #[test]
    fn script_and_javascript_links_are_refused_and_never_rendered() {
        let a = anchors();
        let script = "Note <script>alert(1)</script> here.";
        let p = problems(script, &a);
        assert!(
            p.iter()
                .any(|p| p.message.contains("raw HTML") && p.snippet == "<script>"),
            "{p:?}"
        );
        let js = "[click](javascript:alert(1)) and [x](JavaScript:alert(2))";
        let p = problems(js, &a);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0]
            .message
            .contains("`javascript:alert(1)` is not allowed"));
        // The sanitiser is the second line: whatever got past validation never reaches a page.
        let b = base(&a, None);
        for src in [
            script,
            js,
            "<img src=x onerror=alert(1)>",
            "[a](data:text/html,x)",
        ] {
            let html = to_html(src, &b);
            let lower = html.to_lowercase();
            for bad in ["<script", "javascript:", "onerror", "<img", "data:"] {
                assert!(!lower.contains(bad), "{src} → {html}");
            }
        }
    }

    #[test]
    fn unknown_permalinks_blocks_and_images_are_refused() {
        let a = anchors();
        assert!(problems("[x](#att-9-9)", &a)[0]
            .message
            .contains("`#att-9-9` names no permalink"));
        assert!(problems("one\n\ntwo", &a)[0]
            .message
            .contains("second paragraph"));
        assert!(!problems("- a list", &a).is_empty());
        assert!(!problems("# heading", &a).is_empty());
        assert!(!problems("![i](https://x/y.png)", &a).is_empty());
        assert!(problems("[site](https://example.org/) <https://a.b/>", &a).is_empty());
    }
}
