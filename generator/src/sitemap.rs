//! `sitemap.xml` (the sitemaps.org protocol 0.9): every page of the site with its `lastmod`,
//! and the site's `404.html`, the page static hosts serve for a path they do not have.
//!
//! `lastmod` is the date of the content a page shows, never the clock: the day the newest
//! document version the page draws on was issued, and never later than the build date (which
//! comes from `SOURCE_DATE_EPOCH` when set, [`crate::build_date`]). A page of one version
//! (`documents/<id>/<date>/…`) takes that version's issue date; a what-changed page of two
//! versions the later one's; a document's own pages (its page, its stable URLs) the newest of
//! its versions issued by the build date; every other page the newest of the whole library.

use calculator::Lang;
use serde::Serialize;
use tera::Tera;

use crate::error::BuildError;
use crate::model::Date;
use crate::open_data::Edition;
use crate::render::text::escape;
use crate::render::{self, Output, RenderContext};

/// The sitemap's path in `dist/`.
pub const SITEMAP: &str = "sitemap.xml";

/// The not-found page's path in `dist/`, where static hosts look for it.
pub const NOT_FOUND: &str = "404.html";

/// The sitemap protocol's namespace.
pub const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The URL path of a page file: `zh/plan/index.html` → `zh/plan/`.
pub fn page_url(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// Adds `sitemap.xml`, listing every HTML page of `out` but the not-found page. `loc` is
/// absolute when the site's address is known (`SITE_URL`), else the path from the site's root
/// (`/zh/plan/`), as the site's own links would reach it.
pub fn add_sitemap(out: &mut Output, editions: &[Edition], today: Date, site_url: Option<&str>) {
    let newest = lastmod(editions, today);
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!("<urlset xmlns=\"{SITEMAP_NS}\">\n"));
    for path in out
        .keys()
        .filter(|p| p.ends_with(".html") && *p != NOT_FOUND)
    {
        let loc = match site_url {
            Some(u) => format!("{u}{}", page_url(path)),
            None => format!("/{}", page_url(path)),
        };
        x.push_str(&format!(
            "  <url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            escape(&loc),
            page_lastmod(path, editions, today).unwrap_or(newest).iso()
        ));
    }
    x.push_str("</urlset>\n");
    out.insert(SITEMAP.into(), x.into_bytes());
}

/// The date of the content the pages show: the newest version's issue date, not after `today`.
pub fn lastmod(editions: &[Edition], today: Date) -> Date {
    editions
        .iter()
        .map(|e| e.published)
        .filter(|d| *d <= today)
        .max()
        .unwrap_or(today)
}

/// The date of the content of the page at `path` (`zh/documents/<id>/…/index.html`), when it
/// shows one document: see the module's description.
pub fn page_lastmod(path: &str, editions: &[Edition], today: Date) -> Option<Date> {
    let rest = path.split_once('/')?.1.strip_prefix("documents/")?;
    let (id, rest) = rest.split_once('/')?;
    let of_doc: Vec<&Edition> = editions.iter().filter(|e| e.doc_id == id).collect();
    let issued = |date: &str| {
        let d = Date::parse(date)?;
        of_doc
            .iter()
            .find(|e| e.date == d && !e.record)
            .map(|e| e.published)
    };
    let first = rest.split('/').next().unwrap_or("");
    if let Some(d) = issued(first) {
        return Some(d.min(today));
    }
    if let Some(pair) = rest.strip_prefix("changes/") {
        let later = pair.split('/').next()?.split_once("..")?.1;
        return issued(later).map(|d| d.min(today));
    }
    of_doc
        .iter()
        .map(|e| e.published)
        .filter(|d| *d <= today)
        .max()
}

/// The view of the not-found page: both languages on one page, since the host serves it for
/// any path, whatever language the reader came from.
#[derive(Serialize)]
struct NotFoundPage {
    zh: std::collections::BTreeMap<String, String>,
    en: std::collections::BTreeMap<String, String>,
    /// The site's path from the host's root (`/`, or `/sub/` from `SITE_URL`): the page is
    /// served at any depth, so its links start from the root.
    root: String,
}

impl render::Renderable for NotFoundPage {}

/// Renders `404.html` with the theme's `404.html` template.
pub fn add_not_found(out: &mut Output, tera: &Tera, ctx: &RenderContext) -> Result<(), BuildError> {
    let view = NotFoundPage {
        zh: render::strings(ctx.content, Lang::Zh),
        en: render::strings(ctx.content, Lang::En),
        root: site_path(ctx.site_url.as_deref()),
    };
    let html = render::render(tera, NOT_FOUND, &view)?;
    out.insert(NOT_FOUND.into(), html.into_bytes());
    Ok(())
}

/// The path part of `SITE_URL` (`https://host/sub/` → `/sub/`), `/` when unknown.
pub fn site_path(site_url: Option<&str>) -> String {
    site_url
        .and_then(|u| u.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_else(|| "/".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calculator::Text;

    #[test]
    fn the_site_path_comes_from_site_url() {
        assert_eq!(site_path(None), "/");
        assert_eq!(site_path(Some("https://example.org/")), "/");
        assert_eq!(site_path(Some("https://example.org/policy/")), "/policy/");
    }

    #[test]
    fn lastmod_is_the_newest_issue_date_never_after_the_build_date() {
        let t = Text::default();
        let d = |s| Date::parse(s).unwrap();
        let e = |issued| Edition {
            doc_id: "x",
            date: d("2025-01-01"),
            published: d(issued),
            expires: None,
            number: &t,
            title: &t,
            issuer: &t,
            page: String::new(),
            record: false,
        };
        let both = [e("2024-11-19"), e("2025-10-01")];
        assert_eq!(lastmod(&both, d("2026-01-01")), d("2025-10-01"));
        // A version issued after the build date is not yet what the pages show.
        assert_eq!(lastmod(&both, d("2025-06-01")), d("2024-11-19"));
        assert_eq!(lastmod(&[], d("2025-06-01")), d("2025-06-01"));
    }
}
