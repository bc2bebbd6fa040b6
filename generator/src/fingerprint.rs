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
//! A script that composes names at run time (the search client asks for `p/17.txt`, the
//! calculator for `tzzb-2024-26/2025-01-01.json`) cannot be rewritten. The search index's files
//! keep their names and move together into a folder named by the hash of them all
//! (`search/3f9a0c12de/p/17.txt`, [`FOLDERS`]), which the search page's reference to one of them
//! (`data-meta="../../search/meta.json"`) follows: no list of its 830 files to fetch first. For
//! each folder of [`MANIFESTS`] the pass writes a manifest, logical name → hashed name, itself named by its
//! hash, which the page points the script to (the calculator page's data block). A changed file thus renames itself, its folder's manifest and the pages
//! naming the manifest, nothing else.
//!
//! `rules.json` at the site's root is not hashed: it is open data for scripts, whose address
//! must stay put, and the calculator never reads it (its page embeds its rules and finds the
//! other versions' through `rules/`'s manifest).

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::error::BuildError;
use crate::render::Output;

/// Folders whose files (HTML pages excepted) are named by content hash: the theme's and the
/// calculator's static files, the search index, and the rule set of every policy version.
pub const HASHED: [&str; 3] = ["static/", "search/", calculator::versions::RULES_DIR];

/// Folders of [`HASHED`] whose files keep their names and move together into a subfolder named
/// by the hash of them all (the search index: a per-file manifest of its 830 files was 29 KB
/// fetched before every first query, measured with `bench/search/`). Their files may refer to
/// each other (by relative name, which the move keeps) but to no file outside the folder.
pub const FOLDERS: [&str; 1] = ["search/"];

/// Folders that get a manifest of their files' hashed names, under [`MANIFEST`].
pub const MANIFESTS: [&str; 1] = [calculator::versions::RULES_DIR];

/// The manifest's logical name in its folder (the name the pages refer to).
pub const MANIFEST: &str = "manifest.json";

/// Hex digits of the SHA-256 kept in a name: 40 bits, enough that two versions of one file
/// never share a name.
pub const HASH_LEN: usize = 10;

/// Text files whose references are rewritten; other files (WASM, search postings) are only
/// renamed.
const TEXT: [&str; 7] = [".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml"];

/// Renames the files of [`HASHED`] in `out` by content hash, moves those of [`FOLDERS`] into
/// their hashed folder, writes the manifests of [`MANIFESTS`], and rewrites every reference. `site_path` is the path the site is served
/// under (`/` or `/sub/`), so that root-absolute references (the 404 page's) resolve too.
/// Returns logical path → hashed path for every renamed file.
pub fn fingerprint(
    out: &mut Output,
    site_path: &str,
) -> Result<BTreeMap<String, String>, BuildError> {
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for dir in FOLDERS {
        let members: Vec<String> = out
            .keys()
            .filter(|p| p.starts_with(dir) && is_hashed(p))
            .cloned()
            .collect();
        if members.is_empty() {
            continue;
        }
        // Names and lengths are hashed too: moving bytes from one file to another changes it.
        let mut h = Sha256::new();
        for m in &members {
            h.update(m.as_bytes());
            h.update([0]);
            h.update((out[m].len() as u64).to_le_bytes());
            h.update(&out[m]);
        }
        let hex = short_hex(&h.finalize());
        for m in members {
            let bytes = out.remove(&m).unwrap_or_default();
            let moved = format!("{dir}{hex}/{}", &m[dir.len()..]);
            out.insert(moved.clone(), bytes);
            renamed.insert(m, moved);
        }
    }
    let mut nodes: BTreeSet<String> = out
        .keys()
        .filter(|p| is_hashed(p) && !FOLDERS.iter().any(|d| p.starts_with(d)))
        .cloned()
        .collect();
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
            None => references(n, &out[n], site_path, |t| nodes.contains(t))
                .into_iter()
                .map(|r| r.target)
                .collect(),
        };
        deps.insert(n.clone(), d);
    }

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
    // The other files (every page) are rewritten in place, on every core: scanning the pages
    // for references was most of this pass (85 ms of a 100-document library's warm build).
    let done: BTreeSet<&String> = renamed.values().collect();
    let mut rest: Vec<(&String, &mut Vec<u8>)> =
        out.iter_mut().filter(|(p, _)| !done.contains(p)).collect();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let per_thread = rest.len().div_ceil(threads).max(1);
    let renamed_ref = &renamed;
    std::thread::scope(|s| {
        for share in rest.chunks_mut(per_thread) {
            s.spawn(move || {
                for (p, bytes) in share {
                    let old = std::mem::take(&mut **bytes);
                    **bytes = rewrite(p, old, site_path, renamed_ref);
                }
            });
        }
    });
    Ok(renamed)
}

/// Whether the file at this logical path is named by its content hash.
pub fn is_hashed(path: &str) -> bool {
    HASHED.iter().any(|d| path.starts_with(d)) && !path.ends_with(".html")
}

/// `static/style.css` with these bytes → `static/style.3f9a0c12de.css`.
pub fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let hex = short_hex(&Sha256::digest(bytes));
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

/// The first [`HASH_LEN`] hex digits of a digest.
fn short_hex(digest: &[u8]) -> String {
    digest
        .iter()
        .flat_map(|b| [b >> 4, b & 15])
        .take(HASH_LEN)
        .map(|n| char::from_digit(u32::from(n), 16).unwrap_or('0'))
        .collect()
}

/// The logical path of a file [`hashed_name`] named (`static/style.3f9a0c12de.css` →
/// `static/style.css`) or moved into the hashed folder of one of [`FOLDERS`]
/// (`search/3f9a0c12de/p/17.txt` → `search/p/17.txt`), or `None` for a name without a hash. The
/// preview reads the names of the last build's files back this way, to rewrite the references
/// of the pages it renders again.
pub fn unhashed(path: &str) -> Option<String> {
    let is_hash = |s: &str| {
        s.len() == HASH_LEN
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    for dir in FOLDERS {
        if let Some((folder, rest)) = path.strip_prefix(dir).and_then(|r| r.split_once('/')) {
            if is_hash(folder) {
                return Some(format!("{dir}{rest}"));
            }
        }
    }
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
    known: impl Fn(&str) -> bool,
) -> Vec<Reference> {
    if !TEXT.iter().any(|e| path.ends_with(e)) {
        return Vec::new();
    }
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let is_path_byte =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-' | b'~');
    // A reference is quoted (an attribute, a string literal) or in a CSS `url(…)`; the same
    // words in prose or a comment ("uses the site's colours (style.css)") are none. So only
    // the path after an opening quote or parenthesis is read, found with `memchr` (SIMD), not
    // the run of path characters at every byte of every page: that loop was 4.2% of a
    // 1,000-document library's build (`perf`, `fingerprint::rewrite` self); the rewrite took
    // 0.12 s of CPU instead of 0.31 s. An opening character is no path character, so the path
    // after it is the whole run, as before.
    let quotes = memchr::memchr3_iter(b'"', b'\'', b'`', bytes);
    let parens = memchr::memchr_iter(b'(', bytes).filter(|&k| bytes[..k].ends_with(b"url"));
    let mut found = Vec::new();
    for open in quotes.chain(parens) {
        let start = open + 1;
        let mut i = start;
        while i < bytes.len() && is_path_byte(bytes[i]) {
            i += 1;
        }
        if i == start {
            continue;
        }
        let closed = matches!(bytes.get(i), Some(b'"' | b'\'' | b'`' | b')' | b'?' | b'#'));
        if !closed {
            continue;
        }
        // Only ASCII bytes were taken, so the token is valid UTF-8.
        let token = std::str::from_utf8(&bytes[start..i]).unwrap_or_default();
        if let Some(target) = resolve(dir, token, site_path).filter(|t| known(t)) {
            let last = token.rfind('/').map_or(0, |k| k + 1);
            found.push(Reference {
                start: start + last,
                end: i,
                target,
            });
        }
    }
    // In the order of the text, for the rewrite; the two searches above each found theirs in
    // order, and no two references overlap (each is a whole run of path characters).
    found.sort_by_key(|r| r.start);
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
    // Looked up in the map itself: a set of its keys made per file cost the square of the
    // number of files (most of a 100-document library's build, bench/build/profile.md).
    let refs = references(path, &bytes, site_path, |t| renamed.contains_key(t));
    if refs.is_empty() {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len() + refs.len() * (HASH_LEN + 1));
    let mut at = 0;
    for r in refs {
        out.extend_from_slice(&bytes[at..r.start]);
        // The last segment becomes the new path from the target's folder: a file name, or
        // `3f9a0c12de/meta.json` for a file moved into its hashed folder.
        let new = &renamed[&r.target];
        let dir = r.target.rsplit_once('/').map_or("", |(d, _)| d);
        let from_dir = new
            .strip_prefix(dir)
            .map_or(new.as_str(), |r| r.trim_start_matches('/'));
        out.extend_from_slice(from_dir.as_bytes());
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
        what: "a folder's manifest of hashed names",
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
            "rules/manifest.json",
            "static/calculator/boot.js",
        ] {
            let hashed = hashed_name(path, b"some bytes");
            assert_ne!(hashed, path);
            assert_eq!(unhashed(&hashed).as_deref(), Some(path));
        }
        assert_eq!(unhashed("static/style.css"), None);
        assert_eq!(unhashed("zh/plan/index.html"), None);
        // A file of the search index, moved into the folder named by the index's hash.
        assert_eq!(
            unhashed("search/3f9a0c12de/p/17.txt").as_deref(),
            Some("search/p/17.txt")
        );
        assert_eq!(unhashed("search/p/17.txt"), None);
    }

    fn site() -> Output {
        let mut out = Output::new();
        out.insert(
            "zh/calculator/index.html".into(),
            br#"<link rel="stylesheet" href="../../static/style.css"><link rel="modulepreload" href="../../static/calculator/calculator.js"><script type="application/json" id="calculator-data">{"versions":{"document":"doc","manifest":"../../rules/manifest.json","list":["2025-01-01","2026-01-01"]}}</script><script type="module" src="../../static/calculator/boot.js"></script>"#.to_vec(),
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
        out.insert("search/meta.json".into(), br#"{"t2s":"t2s.txt"}"#.to_vec());
        out.insert("search/t2s.txt".into(), "臺台".as_bytes().to_vec());
        out.insert("rules.json".into(), b"{\"version\":\"2026\"}".to_vec());
        out.insert("rules/doc/index.json".into(), b"{\"versions\":[]}".to_vec());
        out.insert("rules/doc/2025-01-01.json".into(), b"{\"cap\":1}".to_vec());
        out.insert("rules/doc/2026-01-01.json".into(), b"{\"cap\":2}".to_vec());
        out.insert("search/p/0.txt".into(), b"a".to_vec());
        out.insert(
            "zh/search/index.html".into(),
            br#"<div data-meta="../../search/meta.json"></div>"#.to_vec(),
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
    }

    #[test]
    fn the_search_index_moves_whole_into_a_folder_named_by_its_hash() {
        let mut out = site();
        let map = renamed(&mut out);
        let meta = &map["search/meta.json"];
        let folder = meta.strip_suffix("meta.json").unwrap();
        let hash = folder
            .strip_prefix("search/")
            .unwrap()
            .trim_end_matches('/');
        assert!(looks_hashed(hash), "{meta}");
        // Every file keeps its name in the one folder, so names composed at run time work.
        assert_eq!(map["search/p/0.txt"], format!("{folder}p/0.txt"));
        assert_eq!(map["search/t2s.txt"], format!("{folder}t2s.txt"));
        // Their references to each other are relative and stay as they are.
        assert_eq!(out[meta], br#"{"t2s":"t2s.txt"}"#);
        // The page's reference follows the file into the folder.
        let search = String::from_utf8(out["zh/search/index.html"].clone()).unwrap();
        assert!(
            search.contains(&format!("data-meta=\"../../{meta}\"")),
            "{search}"
        );
        // One changed file moves them all: no reader pairs an old shard with a new meta.json.
        let mut other = site();
        other.insert("search/p/0.txt".into(), b"b".to_vec());
        let moved = renamed(&mut other);
        assert_ne!(moved["search/meta.json"], *meta);
        assert_ne!(moved["search/t2s.txt"], map["search/t2s.txt"]);
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
    fn a_version_s_rule_set_is_found_through_the_hashed_manifest_the_calculator_page_names() {
        let mut out = site();
        let map = renamed(&mut out);
        // The calculator composes `<document>/<date>.json`, and finds it in the manifest.
        assert_eq!(
            format!("{}{MANIFEST}", calculator::versions::RULES_DIR),
            calculator::versions::MANIFEST
        );
        let manifest = &map[calculator::versions::MANIFEST];
        let m: BTreeMap<String, String> = serde_json::from_slice(&out[manifest]).unwrap();
        let key = calculator::versions::manifest_key("doc", "2025-01-01");
        assert_eq!(
            format!("rules/{}", m[&key]),
            map[&calculator::versions::rules_path("doc", "2025-01-01")]
        );
        assert_eq!(m.len(), 3, "the two rule sets and the index: {m:?}");
        let page = String::from_utf8(out["zh/calculator/index.html"].clone()).unwrap();
        assert!(
            page.contains(&format!("\"manifest\":\"../../{manifest}\"")),
            "{page}"
        );
        // The open-data file keeps its address.
        assert!(out.contains_key("rules.json"));
        assert!(!map.contains_key("rules.json"));
    }

    #[test]
    fn a_changed_rule_set_renames_itself_its_manifest_and_the_calculator_pages_only() {
        let mut a = site();
        let mut b = site();
        b.insert("rules/doc/2025-01-01.json".into(), b"{\"cap\":3}".to_vec());
        let (ma, mb) = (renamed(&mut a), renamed(&mut b));
        let changed: Vec<&String> = ma.keys().filter(|k| ma[*k] != mb[*k]).collect();
        assert_eq!(
            changed,
            ["rules/doc/2025-01-01.json", "rules/manifest.json"]
        );
        let pages: Vec<&String> = a
            .keys()
            .filter(|p| !ma.values().any(|h| h == *p) && a.get(*p) != b.get(*p))
            .collect();
        assert_eq!(pages, ["zh/calculator/index.html"]);
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
