//! Static assets named by content hash, so that a republished site never pairs a reader's cached
//! old file with a new one (an old `calculator_bg.wasm` with a new glue, an old search shard with
//! a new `meta.json`): a changed file gets a new name, and so does every file that refers to it.
//!
//! One pass over the rendered output set, before it is written: the templates, the theme's
//! files and the other stages keep logical names (`static/style.css`), and this pass renames the
//! files of [`HASHED`] to `style.3f9a0c12de.css` and rewrites the references to them. Doing it
//! on the output set rather than in the templates means no stage has to know the names, and a
//! reference cannot be missed by a template that forgot a filter.
//!
//! A reference is a path in a text file that resolves, from that file's folder (or from the
//! site's root when it starts with the site's path, `/` by default), to a file being renamed:
//! `../../static/style.css` in a page, `./calculator.js` in the calculator's loader,
//! `url(favicon.svg)` in a style sheet. Files are renamed in dependency order (a file after the
//! files it refers to, cycles refused), so a renamed file's hash covers the new names inside it.
//!
//! A script that composes names at run time (the search client asks for `p/17.txt`) cannot be
//! rewritten: for each folder of [`MANIFESTS`] the pass writes a manifest, logical name → hashed
//! name, itself named by its hash, which the page points the script to (`data-manifest`).

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::error::BuildError;
use crate::render::Output;

/// Folders whose files (HTML pages excepted) are named by content hash.
pub const HASHED: [&str; 2] = ["static/", "search/"];

/// Folders that get a manifest of their files' hashed names, under [`MANIFEST`].
pub const MANIFESTS: [&str; 1] = ["search/"];

/// The manifest's logical name in its folder (the name the pages refer to).
pub const MANIFEST: &str = "manifest.json";

/// Hex digits of the SHA-256 kept in a name: 40 bits, enough that two versions of one file
/// never share a name.
pub const HASH_LEN: usize = 10;

/// Text files whose references are rewritten; other files (WASM, search postings) are only
/// renamed.
const TEXT: [&str; 7] = [".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml"];

/// Renames the files of [`HASHED`] in `out` by content hash, writes the manifests of
/// [`MANIFESTS`], and rewrites every reference. `site_path` is the path the site is served
/// under (`/` or `/sub/`), so that root-absolute references (the 404 page's) resolve too.
/// Returns logical path → hashed path for every renamed file.
pub fn fingerprint(
    out: &mut Output,
    site_path: &str,
) -> Result<BTreeMap<String, String>, BuildError> {
    let mut nodes: BTreeSet<String> = out.keys().filter(|p| is_hashed(p)).cloned().collect();
    let mut manifests = BTreeMap::new();
    for dir in MANIFESTS {
        let members: Vec<String> = nodes
            .iter()
            .filter(|p| p.starts_with(dir))
            .cloned()
            .collect();
        if members.is_empty() {
            continue;
        }
        let name = format!("{dir}{MANIFEST}");
        if out.contains_key(&name) {
            return Err(BuildError::Output(format!(
                "{name} is written by another stage, but the asset pass writes the manifest of {dir} there"
            )));
        }
        manifests.insert(name, members);
    }
    nodes.extend(manifests.keys().cloned());

    // What each file refers to, read before anything is renamed.
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for n in &nodes {
        let d = match manifests.get(n) {
            Some(members) => members.iter().cloned().collect(),
            None => references(n, &out[n], site_path, &nodes)
                .into_iter()
                .map(|r| r.target)
                .collect(),
        };
        deps.insert(n.clone(), d);
    }

    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for n in order(&deps)? {
        let bytes = match manifests.get(&n) {
            Some(members) => manifest(&n, members, &renamed)?,
            None => {
                let bytes = out.remove(&n).unwrap_or_default();
                rewrite(&n, bytes, site_path, &renamed)
            }
        };
        let hashed = hashed_name(&n, &bytes);
        out.insert(hashed.clone(), bytes);
        renamed.insert(n, hashed);
    }
    let rest: Vec<String> = out
        .keys()
        .filter(|p| !renamed.values().any(|h| h == *p))
        .cloned()
        .collect();
    for p in rest {
        let bytes = out.remove(&p).unwrap_or_default();
        let bytes = rewrite(&p, bytes, site_path, &renamed);
        out.insert(p, bytes);
    }
    Ok(renamed)
}

/// Whether the file at this logical path is named by its content hash.
pub fn is_hashed(path: &str) -> bool {
    HASHED.iter().any(|d| path.starts_with(d)) && !path.ends_with(".html")
}

/// `static/style.css` with these bytes → `static/style.3f9a0c12de.css`.
pub fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest
        .iter()
        .flat_map(|b| [b >> 4, b & 15])
        .take(HASH_LEN)
        .map(|n| char::from_digit(u32::from(n), 16).unwrap_or('0'))
        .collect();
    let (dir, file) = path.rsplit_once('/').map_or(("", path), |(d, f)| (d, f));
    let named = match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hex}.{ext}"),
        _ => format!("{file}.{hex}"),
    };
    if dir.is_empty() {
        named
    } else {
        format!("{dir}/{named}")
    }
}

/// The logical path of a file [`hashed_name`] named (`static/style.3f9a0c12de.css` →
/// `static/style.css`), or `None` for a name without a hash. The preview reads the names of the
/// last build's files back this way, to rewrite the references of the pages it renders again.
pub fn unhashed(path: &str) -> Option<String> {
    let (dir, file) = path.rsplit_once('/').map_or(("", path), |(d, f)| (d, f));
    let parts: Vec<&str> = file.split('.').collect();
    let at = (1..parts.len()).rev().find(|&i| {
        parts[i].len() == HASH_LEN
            && parts[i]
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })?;
    let mut kept = parts;
    kept.remove(at);
    let named = kept.join(".");
    Some(if dir.is_empty() {
        named
    } else {
        format!("{dir}/{named}")
    })
}

/// A file's bytes with every reference to a file of `renamed` (logical path → hashed path, as
/// [`fingerprint`] returns) pointing at its hashed name: the same rewrite the build's pass
/// makes, for a page rendered again on its own (`serve`).
pub fn rewrite_references(
    path: &str,
    bytes: Vec<u8>,
    site_path: &str,
    renamed: &BTreeMap<String, String>,
) -> Vec<u8> {
    rewrite(path, bytes, site_path, renamed)
}

/// Whether `name` (a file name, no folder) has the shape [`hashed_name`] gives.
pub fn looks_hashed(name: &str) -> bool {
    name.split('.').any(|part| {
        part.len() == HASH_LEN
            && part
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// A reference found in a file: the byte range of its last segment, and the file it names.
struct Reference {
    start: usize,
    end: usize,
    target: String,
}

/// The references in the file `path` to any of `known`.
fn references(
    path: &str,
    bytes: &[u8],
    site_path: &str,
    known: &BTreeSet<String>,
) -> Vec<Reference> {
    if !TEXT.iter().any(|e| path.ends_with(e)) {
        return Vec::new();
    }
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let is_path_byte =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-' | b'~');
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_path_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_path_byte(bytes[i]) {
            i += 1;
        }
        // A reference is quoted (an attribute, a string literal) or in a CSS `url(…)`; the same
        // words in prose or a comment ("uses the site's colours (style.css)") are none.
        let opened = match start.checked_sub(1).map(|k| bytes[k]) {
            Some(b'"' | b'\'' | b'`') => true,
            Some(b'(') => bytes[..start - 1].ends_with(b"url"),
            _ => false,
        };
        let closed = matches!(bytes.get(i), Some(b'"' | b'\'' | b'`' | b')' | b'?' | b'#'));
        if !(opened && closed) {
            continue;
        }
        // Only ASCII bytes were taken, so the token is valid UTF-8.
        let token = std::str::from_utf8(&bytes[start..i]).unwrap_or_default();
        if let Some(target) = resolve(dir, token, site_path).filter(|t| known.contains(t)) {
            let last = token.rfind('/').map_or(0, |k| k + 1);
            found.push(Reference {
                start: start + last,
                end: i,
                target,
            });
        }
    }
    found
}

/// The logical path a token names from the folder `dir`, if it is a path inside the site.
fn resolve(dir: &str, token: &str, site_path: &str) -> Option<String> {
    if token.starts_with("//") || token.ends_with('/') || !token.contains('.') {
        return None;
    }
    let (base, rel) = match token
        .strip_prefix(site_path)
        .filter(|_| site_path.starts_with('/'))
    {
        Some(rest) => ("", rest),
        None if token.starts_with('/') => ("", &token[1..]),
        None => (dir, token),
    };
    let mut segs: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segs.pop()?;
            }
            s => segs.push(s),
        }
    }
    Some(segs.join("/"))
}

/// The file's bytes with every reference to a renamed file pointing at its new name.
fn rewrite(
    path: &str,
    bytes: Vec<u8>,
    site_path: &str,
    renamed: &BTreeMap<String, String>,
) -> Vec<u8> {
    let known: BTreeSet<String> = renamed.keys().cloned().collect();
    let refs = references(path, &bytes, site_path, &known);
    if refs.is_empty() {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len() + refs.len() * (HASH_LEN + 1));
    let mut at = 0;
    for r in refs {
        out.extend_from_slice(&bytes[at..r.start]);
        let new = &renamed[&r.target];
        out.extend_from_slice(new.rsplit('/').next().unwrap_or(new).as_bytes());
        at = r.end;
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

/// The manifest of a folder: each member's path from the folder → its hashed path from there.
fn manifest(
    name: &str,
    members: &[String],
    renamed: &BTreeMap<String, String>,
) -> Result<Vec<u8>, BuildError> {
    let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
    let strip = |p: &str| {
        p.strip_prefix(dir)
            .map_or(p, |r| r.trim_start_matches('/'))
            .to_string()
    };
    let map: BTreeMap<String, String> = members
        .iter()
        .filter_map(|m| renamed.get(m).map(|h| (strip(m), strip(h))))
        .collect();
    serde_json::to_vec(&map).map_err(|source| BuildError::Json {
        what: "the search index's manifest",
        source,
    })
}

/// The files in dependency order (each after those it refers to); a cycle is refused by name,
/// since no file of it could carry the others' final names.
fn order(deps: &BTreeMap<String, BTreeSet<String>>) -> Result<Vec<String>, BuildError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        n: &str,
        deps: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        out: &mut Vec<String>,
        path: &mut Vec<String>,
    ) -> Result<(), BuildError> {
        match marks.get(n) {
            Some(Mark::Done) => return Ok(()),
            Some(Mark::Open) => {
                path.push(n.to_string());
                return Err(BuildError::Output(format!(
                    "static files refer to each other in a circle ({}): none of them can be named \
                     by the hash of the others' names; break the circle",
                    path.join(" → ")
                )));
            }
            None => {}
        }
        marks.insert(n.to_string(), Mark::Open);
        path.push(n.to_string());
        for d in deps.get(n).into_iter().flatten() {
            if d != n {
                visit(d, deps, marks, out, path)?;
            }
        }
        path.pop();
        marks.insert(n.to_string(), Mark::Done);
        out.push(n.to_string());
        Ok(())
    }
    let mut marks = BTreeMap::new();
    let mut out = Vec::new();
    for n in deps.keys() {
        visit(n, deps, &mut marks, &mut out, &mut Vec::new())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_name_reads_back_to_its_logical_path() {
        for path in [
            "static/style.css",
            "search/manifest.json",
            "static/calculator/boot.js",
        ] {
            let hashed = hashed_name(path, b"some bytes");
            assert_ne!(hashed, path);
            assert_eq!(unhashed(&hashed).as_deref(), Some(path));
        }
        assert_eq!(unhashed("static/style.css"), None);
        assert_eq!(unhashed("zh/plan/index.html"), None);
    }

    fn site() -> Output {
        let mut out = Output::new();
        out.insert(
            "zh/calculator/index.html".into(),
            br#"<link rel="stylesheet" href="../../static/style.css"><link rel="modulepreload" href="../../static/calculator/calculator.js"><script type="module" src="../../static/calculator/boot.js"></script>"#.to_vec(),
        );
        out.insert(
            "404.html".into(),
            br#"<link rel="stylesheet" href="/static/style.css"><p>style.css is not a link</p>"#
                .to_vec(),
        );
        out.insert(
            "static/calculator/boot.js".into(),
            b"import init from './calculator.js';\ninit(new URL('calculator_bg.wasm', import.meta.url));\n".to_vec(),
        );
        out.insert(
            "static/calculator/calculator.js".into(),
            b"export default 1;".to_vec(),
        );
        out.insert(
            "static/calculator/calculator_bg.wasm".into(),
            b"\0asm1".to_vec(),
        );
        out.insert(
            "static/style.css".into(),
            b"/* The icon (favicon.svg) */ body{background:url(favicon.svg)}".to_vec(),
        );
        out.insert("static/favicon.svg".into(), b"<svg/>".to_vec());
        out.insert("search/meta.json".into(), b"{}".to_vec());
        out.insert("search/p/0.txt".into(), b"a".to_vec());
        out.insert(
            "zh/search/index.html".into(),
            br#"<div data-base="../../search/" data-manifest="../../search/manifest.json"></div>"#
                .to_vec(),
        );
        out
    }

    fn renamed(out: &mut Output) -> BTreeMap<String, String> {
        fingerprint(out, "/").expect("fingerprints")
    }

    #[test]
    fn assets_are_renamed_and_every_reference_follows() {
        let mut out = site();
        let map = renamed(&mut out);
        for (logical, hashed) in &map {
            assert!(out.contains_key(hashed), "{hashed}");
            assert!(!out.contains_key(logical), "{logical} is gone");
        }
        let page = String::from_utf8(out["zh/calculator/index.html"].clone()).unwrap();
        let css = &map["static/style.css"];
        assert!(page.contains(&format!("../../{css}")), "{page}");
        assert!(
            page.contains(&format!("../../{}", map["static/calculator/boot.js"])),
            "{page}"
        );
        let boot = String::from_utf8(out[&map["static/calculator/boot.js"]].clone()).unwrap();
        let glue = map["static/calculator/calculator.js"]
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        assert!(boot.contains(&format!("'./{glue}'")), "{boot}");
        let sheet = String::from_utf8(out[&map["static/style.css"]].clone()).unwrap();
        let icon = map["static/favicon.svg"]
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        assert!(sheet.contains(&format!("url({icon})")), "{sheet}");
        assert!(
            sheet.contains("(favicon.svg)"),
            "a comment is no reference: {sheet}"
        );
        let not_found = String::from_utf8(out["404.html"].clone()).unwrap();
        assert!(
            not_found.contains(&format!("href=\"/{css}\"")),
            "{not_found}"
        );
        assert!(
            not_found.contains("<p>style.css is not a link</p>"),
            "prose stays: {not_found}"
        );
        // The folder the search client starts from is no file and stays.
        let search = String::from_utf8(out["zh/search/index.html"].clone()).unwrap();
        assert!(search.contains("data-base=\"../../search/\""), "{search}");
    }

    #[test]
    fn the_manifest_maps_each_index_file_to_its_hashed_name() {
        let mut out = site();
        let map = renamed(&mut out);
        let m: BTreeMap<String, String> =
            serde_json::from_slice(&out[&map["search/manifest.json"]]).unwrap();
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(format!("search/{}", m["p/0.txt"]), map["search/p/0.txt"]);
        assert_eq!(
            format!("search/{}", m["meta.json"]),
            map["search/meta.json"]
        );
        let search = String::from_utf8(out["zh/search/index.html"].clone()).unwrap();
        assert!(search.contains(&map["search/manifest.json"]), "{search}");
    }

    #[test]
    fn a_changed_file_renames_itself_and_the_files_that_refer_to_it_only() {
        let mut a = site();
        let mut b = site();
        b.insert(
            "static/calculator/calculator_bg.wasm".into(),
            b"\0asm2".to_vec(),
        );
        let (ma, mb) = (renamed(&mut a), renamed(&mut b));
        let changed: Vec<&String> = ma.keys().filter(|k| ma[*k] != mb[*k]).collect();
        // The WASM changed; the loader names it, so it changes too; nothing else does.
        assert_eq!(
            changed,
            [
                "static/calculator/boot.js",
                "static/calculator/calculator_bg.wasm"
            ]
        );
        assert_ne!(a["zh/calculator/index.html"], b["zh/calculator/index.html"]);
        assert_eq!(a["404.html"], b["404.html"]);
    }

    #[test]
    fn files_referring_to_each_other_in_a_circle_are_refused_by_name() {
        let mut out = Output::new();
        out.insert("static/a.js".into(), b"import './b.js'".to_vec());
        out.insert("static/b.js".into(), b"import './a.js'".to_vec());
        let e = fingerprint(&mut out, "/").unwrap_err().to_string();
        assert!(
            e.contains("static/a.js") && e.contains("static/b.js"),
            "{e}"
        );
    }

    #[test]
    fn names_keep_their_folder_and_extension() {
        let h = hashed_name("static/calculator/calculator_bg.wasm", b"x");
        assert!(h.starts_with("static/calculator/calculator_bg."), "{h}");
        assert!(h.ends_with(".wasm"), "{h}");
        assert!(looks_hashed(h.rsplit('/').next().unwrap()), "{h}");
        assert!(!looks_hashed("style.css"));
        assert_eq!(
            resolve("zh/plan", "../../static/style.css", "/"),
            Some("static/style.css".into())
        );
        assert_eq!(
            resolve("", "/sub/static/style.css", "/sub/"),
            Some("static/style.css".into())
        );
        assert_eq!(resolve("zh", "../../../x.css", "/"), None);
    }
}
