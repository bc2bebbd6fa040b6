//! `dist/_headers`: each page's Content-Security-Policy as an HTTP header, for static hosts that
//! read this file (Netlify, Cloudflare Pages). The policy is written once, in the theme
//! (`templates/csp.html`), and reaches every page as a `<meta http-equiv>`; this file copies each
//! page's value from its `<meta>`, so the two cannot differ, and adds `frame-ancestors`, which
//! browsers ignore in a `<meta>` policy.

use crate::error::BuildError;
use crate::render::Output;

/// The file's path in `dist/`, where the hosts look for it.
pub const HEADERS_FILE: &str = "_headers";

/// What the header adds to the page's own policy: no other site may frame the pages
/// (clickjacking); only a header can say so.
pub const HEADER_ONLY: &str = "frame-ancestors 'none'";

/// The opening of the `<meta>` that carries a page's policy, as the theme writes it.
const META: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";

/// Adds `_headers` to the output: one rule per HTML page, for each URL that serves it (the folder
/// and its `index.html`). Rules never overlap, because hosts merge overlapping rules differently
/// (Cloudflare Pages joins the values, which would enforce both policies). A page without the
/// policy `<meta>` is a theme error: the site would go out unprotected.
pub fn add_headers_file(out: &mut Output) -> Result<(), BuildError> {
    let mut text = String::from(
        "# Content-Security-Policy per page, for hosts that read this file (Netlify, Cloudflare\n\
         # Pages). Written by the site build from each page's <meta http-equiv> (the policy is in\n\
         # themes/default/templates/csp.html), plus frame-ancestors, which only a header can carry.\n",
    );
    for (path, bytes) in out.iter() {
        if !path.ends_with(".html") {
            continue;
        }
        // Only the head is read: decoding each whole page took 3 % of a build's CPU.
        let head = memchr::memmem::find(bytes, b"</head>")
            .map_or(&bytes[..0], |end| &bytes[..end + "</head>".len()]);
        let html = String::from_utf8_lossy(head);
        let policy = page_policy(&html).ok_or_else(|| {
            BuildError::Template(format!(
                "{path} has no <meta http-equiv=\"Content-Security-Policy\"> in its <head> \
                 (every page template must include the policy of templates/csp.html)"
            ))
        })?;
        for url in urls_of(path) {
            text.push_str(&format!(
                "{url}\n  Content-Security-Policy: {policy}; {HEADER_ONLY}\n"
            ));
        }
    }
    out.insert(HEADERS_FILE.to_string(), text.into_bytes());
    Ok(())
}

/// The caching a file named by its content hash allows: its name changes with every byte, so a
/// browser may keep it a year without asking again.
pub const IMMUTABLE: &str = "Cache-Control: public, max-age=31536000, immutable";

/// Appends to `_headers` a rule per hashed file ([`crate::fingerprint`]), each for its exact
/// path, so no rule overlaps a page's (hosts merge overlapping rules differently). Pages and
/// other files keep the host's default caching: they are revalidated, and bring the new names.
pub fn add_cache_rules<'a>(
    out: &mut Output,
    hashed: impl Iterator<Item = &'a String>,
) -> Result<(), BuildError> {
    let mut text = String::from_utf8(out.remove(HEADERS_FILE).unwrap_or_default())
        .map_err(|e| BuildError::Output(format!("{HEADERS_FILE}: {e}")))?;
    text.push_str("# Files named by the hash of their content: cached for a year.\n");
    for path in hashed {
        text.push_str(&format!("/{path}\n  {IMMUTABLE}\n"));
    }
    out.insert(HEADERS_FILE.to_string(), text.into_bytes());
    Ok(())
}

/// The policy in a page's `<meta http-equiv="Content-Security-Policy">`, with the HTML escapes
/// of the attribute undone; `None` when the page has none in its `<head>`.
pub fn page_policy(html: &str) -> Option<String> {
    let head = &html[..html.find("</head>")?];
    let start = head.find(META)? + META.len();
    let value = &head[start..start + head[start..].find('"')?];
    Some(
        value
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The URL paths that serve a file of `dist/`: `zh/plan/index.html` is `/zh/plan/` and
/// `/zh/plan/index.html`; `404.html` is `/404.html` and `/404`.
fn urls_of(path: &str) -> [String; 2] {
    match path.strip_suffix("index.html") {
        Some(folder) => [format!("/{folder}"), format!("/{path}")],
        None => [
            format!("/{path}"),
            format!("/{}", path.trim_end_matches(".html")),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(head: &str) -> Vec<u8> {
        format!("<!doctype html><html><head>{head}</head><body></body></html>").into_bytes()
    }

    #[test]
    fn every_page_gets_its_own_policy_and_frame_ancestors() {
        let mut out = Output::new();
        out.insert(
            "index.html".into(),
            page(&format!("{META}default-src &#39;self&#39;\">")),
        );
        out.insert(
            "zh/calculator/index.html".into(),
            page(&format!(
                "{META}default-src 'self'; script-src 'self' 'wasm-unsafe-eval'\">"
            )),
        );
        out.insert("static/site.js".into(), b"/* not a page */".to_vec());
        add_headers_file(&mut out).unwrap();
        let text = String::from_utf8(out[HEADERS_FILE].clone()).unwrap();
        let rules: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            rules,
            [
                "/",
                "  Content-Security-Policy: default-src 'self'; frame-ancestors 'none'",
                "/index.html",
                "  Content-Security-Policy: default-src 'self'; frame-ancestors 'none'",
                "/zh/calculator/",
                "  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; frame-ancestors 'none'",
                "/zh/calculator/index.html",
                "  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; frame-ancestors 'none'",
            ]
        );
    }

    #[test]
    fn a_page_without_the_policy_is_refused_by_name() {
        let mut out = Output::new();
        out.insert("en/plan/index.html".into(), page("<title>x</title>"));
        let err = add_headers_file(&mut out).unwrap_err().to_string();
        assert!(err.contains("en/plan/index.html"), "{err}");
        assert!(err.contains("Content-Security-Policy"), "{err}");
    }

    #[test]
    fn a_policy_meta_in_the_body_does_not_count() {
        let html = format!("<html><head></head><body>{META}default-src *\"></body></html>");
        assert_eq!(page_policy(&html), None);
    }
}
