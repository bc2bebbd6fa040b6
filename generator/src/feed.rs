//! The Atom feed of each language, `/zh/feed.xml` and `/en/feed.xml`: one entry per document
//! version the library publishes, and one per record ([`crate::open_data::editions`]), newest
//! first, each linking the version's own page, so a reader's feed reader learns of a new
//! document or a new version (RFC 4287).
//!
//! Ids must never change, whatever host serves the site: a feed's and an entry's id is a
//! `urn:uuid:` worked out from the document id, the version's date and the language, not the
//! site's address. Dates are the content's (the day a version was issued), never the clock.

use calculator::Lang;
use sha2::{Digest, Sha256};

use crate::model::{Date, Strings};
use crate::open_data::Edition;
use crate::render::text::escape;
use crate::render::Output;

/// The feed's path under a language's folder.
pub const FEED: &str = "feed.xml";

/// The Atom namespace.
pub const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// What a feed is titled and where the site is served.
pub struct FeedSite<'a> {
    /// The site's title in the feed's language (the feed's title and author).
    pub title: &'a str,
    /// The words before the dates of an entry's summary (印发日期, 施行日期).
    pub issued: &'a str,
    /// The label of the date a version takes effect.
    pub effective: &'a str,
    /// `https://host/path/` when known; the links are relative to the feed's URL otherwise.
    pub site_url: Option<&'a str>,
}

/// Adds `zh/feed.xml` and `en/feed.xml` to the output, worded with the interface words
/// (`site_title`, `meta_issued`, `meta_effective`).
pub fn add_feeds(
    out: &mut Output,
    editions: &[Edition],
    strings: &Strings,
    site_url: Option<&str>,
) {
    for lang in Lang::ALL {
        let word = |k: &str| {
            strings
                .get(k)
                .map(|t| t.get(lang).to_string())
                .unwrap_or_default()
        };
        let (title, issued, effective) = (
            word("site_title"),
            word("meta_issued"),
            word("meta_effective"),
        );
        let xml = feed(
            lang,
            editions,
            &FeedSite {
                title: &title,
                issued: &issued,
                effective: &effective,
                site_url,
            },
        );
        out.insert(format!("{}/{FEED}", lang.code()), xml.into_bytes());
    }
}

/// The Atom document of one language.
pub fn feed(lang: Lang, editions: &[Edition], site: &FeedSite) -> String {
    let code = lang.code();
    // Links: absolute when the site's address is known, else relative to /<lang>/feed.xml.
    let link = |page: &str| match site.site_url {
        Some(u) => format!("{u}{code}/{page}"),
        None => {
            if page.is_empty() {
                "./".to_string()
            } else {
                page.to_string()
            }
        }
    };
    let mut sorted: Vec<&Edition> = editions.iter().collect();
    sorted.sort_by(|a, b| b.published.cmp(&a.published).then(b.date.cmp(&a.date)));
    let updated = sorted
        .first()
        .map_or_else(|| timestamp(Date::from_unix(0)), |e| timestamp(e.published));
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"{ATOM_NS}\" xml:lang=\"{}\">\n",
        lang_tag(lang)
    ));
    x.push_str(&format!("  <id>{}</id>\n", urn(&format!("feed/{code}"))));
    x.push_str(&format!("  <title>{}</title>\n", escape(site.title)));
    x.push_str(&format!("  <updated>{updated}</updated>\n"));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&link(FEED))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&link(""))
    ));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(site.title)
    ));
    for e in sorted {
        x.push_str("  <entry>\n");
        x.push_str(&format!(
            "    <id>{}</id>\n",
            urn(&if e.record {
                format!("{}/record/{code}", e.doc_id)
            } else {
                format!("{}/{}/{code}", e.doc_id, e.date.iso())
            })
        ));
        x.push_str(&format!(
            "    <title>{} {}</title>\n",
            escape(e.number.get(lang)),
            escape(e.title.get(lang))
        ));
        x.push_str(&format!(
            "    <updated>{}</updated>\n",
            timestamp(e.published)
        ));
        x.push_str(&format!(
            "    <published>{}</published>\n",
            timestamp(e.published)
        ));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&link(&e.page))
        ));
        x.push_str(&format!(
            "    <link rel=\"related\" type=\"application/json\" href=\"{}\"/>\n",
            escape(&match site.site_url {
                Some(u) => format!("{u}{}", e.data_path()),
                None => format!("../{}", e.data_path()),
            })
        ));
        if e.record {
            // A record states no dates of its own: its issuer only.
            x.push_str(&format!(
                "    <summary>{}</summary>\n",
                escape(e.issuer.get(lang))
            ));
        } else {
            x.push_str(&format!(
                "    <summary>{} · {} {} · {} {}</summary>\n",
                escape(e.issuer.get(lang)),
                escape(site.issued),
                e.published.long(lang),
                escape(site.effective),
                e.date.long(lang)
            ));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// The BCP 47 tag of a language, as the pages' `<html lang>` has it.
fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh-Hans",
        Lang::En => "en",
    }
}

/// An RFC 3339 time for a day, at its start in China time (the policy's dates are China's).
pub fn timestamp(d: Date) -> String {
    format!("{}T00:00:00+08:00", d.iso())
}

/// A `urn:uuid:` for a key, stable across builds and hosts: the key's SHA-256 shaped as an
/// RFC 9562 version 8 (custom) UUID.
pub fn urn(key: &str) -> String {
    let h = Sha256::digest(format!("taizhou-cbec-policy/{key}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
