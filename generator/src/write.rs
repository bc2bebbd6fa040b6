//! Stage 5, write: the whole site goes to a temporary folder beside `dist/` and is swapped in
//! at the end, so a failed build never leaves a half-written `dist/`.
//!
//! Every way the write-out can fail ends in a [`WriteError`] that says what `dist/` holds now
//! (untouched, replaced, or — if even moving the old site back failed — where the old site
//! is), and the temporary folder is removed on every failure. Folders left by a build that was
//! killed (`.dist.tmp-PID`, `.dist.old-PID`) are swept at the start of the next one.
//!
//! The site replaced by a build is not removed but kept beside `dist/` as the spare
//! (`.dist.spare`), and the next build makes its temporary folder from it rather than from
//! nothing: renamed to `.dist.tmp-PID`, it is brought to the new output file by file
//! ([`sync_spare`]). Why: on the 1,000-document library (15,761 files in 10,678 folders) making
//! a whole new tree and removing the replaced one took about 1 s of a 4.8 s warm build
//! (`cp -al` of that tree 0.77 s, `rm -rf` 0.52 s: this disk is ext4 mounted with `discard`,
//! where each removed folder waits for the disk). The cost on disk is one more tree of folder
//! entries beside `dist/`; its files are mostly the live site's own, shared by hard links.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{BuildError, DistState, WriteError};
use crate::render::{Output, RenderContext};
use crate::timings::time;
use crate::{feed, fingerprint, headers, open_data, sitemap};

/// A leftover folder whose build cannot be asked about (no `/proc` to tell whether its process
/// lives) is swept once it is this old: a build takes seconds, so a day-old one is dead.
pub const STALE_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Adds the theme's static files (CSS, scripts) to the output under `static/`, the scripts
/// and stylesheets minified ([`minify_script`], [`minify_style`]), each stylesheet with the
/// partials it imports inlined ([`inline_imports`]). A partial (`_base.css`: a name starting
/// with `_`) is not written on its own.
pub fn copy_static(dir: &Path, out: &mut Output) -> Result<(), BuildError> {
    fn walk(dir: &Path, rel: &str, out: &mut Output) -> Result<(), BuildError> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|source| BuildError::Io {
                action: "list",
                path: dir.to_path_buf(),
                source,
            })?
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            let rel_path = format!("{rel}{name}");
            if path.is_dir() {
                walk(&path, &format!("{rel_path}/"), out)?;
            } else if name.starts_with('_') && name.ends_with(".css") {
                continue;
            } else {
                let bytes = std::fs::read(&path).map_err(|source| BuildError::Io {
                    action: "read",
                    path: path.clone(),
                    source,
                })?;
                let bytes = if name.ends_with(".js") {
                    minify_script(&path, bytes)?
                } else if name.ends_with(".css") {
                    minify_style(&path, inline_imports(&path, bytes)?.into_bytes())?
                } else {
                    bytes
                };
                out.insert(rel_path, bytes);
            }
        }
        Ok(())
    }
    if dir.is_dir() {
        walk(dir, "static/", out)?;
    }
    Ok(())
}

/// A theme script without its comments and white space (the `minifier` crate): the search
/// client a reader downloads before the first result goes from 29 to 19 KB. The theme keeps the
/// readable source; its tests run the source and the browser tests the minified file.
pub fn minify_script(path: &Path, bytes: Vec<u8>) -> Result<Vec<u8>, BuildError> {
    minify(path, bytes, "script", "JavaScript", |t| {
        minifier::js::minify(t).map(|m| m.to_string())
    })
}

/// A theme stylesheet without its comments and white space (the same `minifier` crate): the
/// theme's stylesheets explain themselves at length, and every page downloads one of them
/// (the reading pages' `style.css`: 3.4 → 2.7 KB gzip). The theme keeps the readable source.
pub fn minify_style(path: &Path, bytes: Vec<u8>) -> Result<Vec<u8>, BuildError> {
    minify(path, bytes, "stylesheet", "CSS", |t| {
        minifier::css::minify(t).map(|m| m.to_string())
    })
}

/// Runs one of `minifier`'s minifiers on a theme file; the error names the file and what was
/// expected in it.
fn minify<E: std::fmt::Display>(
    path: &Path,
    bytes: Vec<u8>,
    what: &str,
    expected: &str,
    run: impl FnOnce(&str) -> Result<String, E>,
) -> Result<Vec<u8>, BuildError> {
    let text = String::from_utf8(bytes)
        .map_err(|e| BuildError::Output(format!("{}: not UTF-8: {e}", path.display())))?;
    let min = run(&text).map_err(|e| {
        BuildError::Output(format!(
            "{}: the {what} could not be minified ({e}): expected {expected}",
            path.display()
        ))
    })?;
    Ok(min.into_bytes())
}

/// A theme stylesheet with each `@import "_partial.css";` line replaced by that file of the same
/// folder: one request, as the partial's rules come first either way. The theme's files stay
/// plain CSS (a browser would fetch the import itself); the build serves each page one file, so
/// the calculator shares the site's header and headings (`_base.css`) without downloading the
/// reading pages' rules. Only a partial of the same folder may be imported.
pub fn inline_imports(path: &Path, bytes: Vec<u8>) -> Result<String, BuildError> {
    let text = String::from_utf8(bytes)
        .map_err(|e| BuildError::Output(format!("{}: not UTF-8: {e}", path.display())))?;
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.lines().enumerate() {
        let Some(rest) = line.trim().strip_prefix("@import") else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let name = rest
            .trim()
            .strip_suffix(';')
            .map(|r| r.trim().trim_matches('"'))
            .filter(|n| n.starts_with('_') && !n.contains(['/', '\\', '"']));
        let Some(name) = name else {
            return Err(BuildError::Output(format!(
                "{}:{}: expected `@import \"_name.css\";`, a partial of the same folder, found `{}`",
                path.display(),
                n + 1,
                line.trim()
            )));
        };
        let partial = path.with_file_name(name);
        let inner = std::fs::read_to_string(&partial).map_err(|source| BuildError::Io {
            action: "read",
            path: partial.clone(),
            source,
        })?;
        out.push_str(&inner);
        out.push('\n');
    }
    Ok(out)
}

/// The output pass, once every stage has rendered its files: adds what is made from the whole
/// site (the not-found page, the open data, the Atom feeds, the sitemap), names the static
/// assets by content hash and rewrites the references to them ([`fingerprint`]), and last
/// writes `_headers` from the final pages (their policies, and long caching for hashed files).
pub fn finish_output(
    out: &mut Output,
    tera: &tera::Tera,
    ctx: &RenderContext,
) -> Result<(), BuildError> {
    let site_url = ctx.site_url.as_deref();
    let editions = open_data::editions(ctx.library);
    sitemap::add_not_found(out, tera, ctx)?;
    time("open data", || open_data::add_open_data(out, ctx.library))?;
    time("feeds and sitemap", || {
        feed::add_feeds(out, &editions, &ctx.content.strings, site_url);
        sitemap::add_sitemap(out, &editions, ctx.today, site_url);
    });
    let hashed = time("fingerprint", || {
        fingerprint::fingerprint(out, &sitemap::site_path(site_url))
    })?;
    headers::add_headers_file(out)?;
    headers::add_cache_rules(out, hashed.values())
}

/// A step of the write-out that touches the file system, named so a test can make it fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Creating the folder that holds `dist/`.
    CreateParent,
    /// Removing a stale folder left by a killed build.
    Sweep,
    /// Claiming the spare (`.dist.spare`, the site before the previous one) by renaming it to
    /// `.dist.tmp-PID`; when this fails the new site is written from nothing.
    ClaimSpare,
    /// Writing one file of the new site into the temporary folder.
    WriteNew,
    /// Moving the previous `dist/` aside to `.dist.old-PID`.
    MoveAside,
    /// Moving the new site from `.dist.tmp-PID` to `dist/`.
    MoveIntoPlace,
    /// Moving the previous site back after the new one could not be moved in.
    MoveBack,
    /// Keeping the previous site, once the new one is in place, as the spare for the next
    /// build; when this fails (another build kept its own first) it is removed instead.
    KeepSpare,
    /// Removing the previous site once the new one is in place.
    RemoveOld,
    /// Removing the temporary folder after a failure.
    RemoveNew,
}

/// Refuses an output path that is not a plain relative path inside `dist/`: absolute, with a
/// `..`, `.` or empty segment, a backslash or a NUL. Paths are built from checked ids, so this
/// is a second line of defence: a refused path stops the build before anything is written.
pub fn check_path(rel: &str) -> Result<(), String> {
    let refused = |why: &str| {
        Err(format!(
            "refused to write the output path \"{}\": {why} (every output must stay inside dist/)",
            rel.escape_debug()
        ))
    };
    if rel.is_empty() {
        return refused("it is empty");
    }
    if rel.starts_with('/') || Path::new(rel).is_absolute() {
        return refused("it is absolute");
    }
    if rel.contains('\\') || rel.contains('\0') {
        return refused("it holds a backslash or a NUL");
    }
    if rel
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return refused("it has an empty, `.` or `..` segment");
    }
    Ok(())
}

/// Writes `out` into a temporary folder beside `dist` (the spare, brought to `out`, or else a
/// new one), then swaps it with `dist`, and keeps the replaced site as the next spare.
pub fn write_atomically(dist: &Path, out: &Output) -> Result<(), WriteError> {
    write_with_faults(dist, out, &mut |_| None)
}

/// [`write_atomically`], asking `fault` before each step: `Some(error)` makes that step fail
/// with that error instead of running it. Tests use it to reach failure paths that cannot be
/// provoked for real when they run as root (who ignores read-only permissions).
pub fn write_with_faults(
    dist: &Path,
    out: &Output,
    fault: &mut dyn FnMut(Step) -> Option<io::Error>,
) -> Result<(), WriteError> {
    let fail =
        |failure: String, state: DistState, left_behind: Vec<(PathBuf, String)>| WriteError {
            dist: dist.to_path_buf(),
            failure,
            state,
            left_behind,
        };
    let parent = match dist.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if let Err(e) = out.keys().try_for_each(|rel| check_path(rel)) {
        return Err(fail(e, DistState::Untouched, Vec::new()));
    }
    let name = dist
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dist".into());

    // A file where the site goes would be moved aside and then fail to be removed as a folder
    // after the new site had replaced it: refuse before touching anything.
    if std::fs::symlink_metadata(dist).is_ok() && !dist.is_dir() {
        return Err(fail(
            format!(
                "{} is a file, not a folder: the site is written as a folder there; \
                 move the file away or build elsewhere",
                dist.display()
            ),
            DistState::Untouched,
            Vec::new(),
        ));
    }
    run(fault, Step::CreateParent, || {
        std::fs::create_dir_all(&parent)
    })
    .map_err(|e| {
        fail(
            format!("cannot create {}: {e}", parent.display()),
            DistState::Untouched,
            Vec::new(),
        )
    })?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let spare = parent.join(format!(".{name}.spare"));

    for stale in stale_folders(&parent, &name) {
        // A leftover is as good a spare as any: the sync trusts nothing in a spare but bytes it
        // compares, so a killed build's folder becomes the spare when there is none, and its
        // removal (most of the cost, see `remove_tree`) is saved.
        if adopt_as_spare(&stale, &spare) {
            continue;
        }
        match run(fault, Step::Sweep, || remove_any(&stale)) {
            // Another build swept it, or took it as its spare, first.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(fail(
                    format!(
                        "cannot remove {}, left by an interrupted build: {e}",
                        stale.display()
                    ),
                    DistState::Untouched,
                    Vec::new(),
                ))
            }
            Ok(()) => {}
        }
    }

    let claimed = claim_spare(fault, &spare, &tmp)
        .map_err(|(failure, left)| fail(failure, DistState::Untouched, left))?;

    // The fault hook is asked about every file first, in order, on this thread (it need not
    // be shareable between threads); the files before the first injected failure are written.
    let files: Vec<(&String, &Vec<u8>)> = out.iter().collect();
    let mut injected = None;
    for (i, (rel, _)) in files.iter().enumerate() {
        if let Some(e) = fault(Step::WriteNew) {
            injected = Some((i, tmp.join(rel), e));
            break;
        }
    }
    let upto = injected.as_ref().map_or(files.len(), |(i, _, _)| *i);
    let mut written = if claimed {
        time("write: sync the spare", || {
            sync_spare(dist, &tmp, &files[..upto])
        })
    } else {
        time("write: new tree", || {
            write_files(dist, &tmp, &files[..upto])
        })
    };
    if written.is_ok() {
        if let Some((_, path, e)) = injected {
            written = Err(format!("cannot write {}: {e}", path.display()));
        }
    }
    if let Err(failure) = written {
        let left = discard(fault, &tmp);
        return Err(fail(failure, DistState::Untouched, left));
    }

    // Two renames: the old site stays complete until the new one is in place.
    let had_old = std::fs::symlink_metadata(dist).is_ok();
    if had_old {
        if let Err(e) = run(fault, Step::MoveAside, || std::fs::rename(dist, &old)) {
            let left = discard(fault, &tmp);
            return Err(fail(
                format!(
                    "cannot move the previous {} aside to {}: {e}",
                    dist.display(),
                    old.display()
                ),
                DistState::Untouched,
                left,
            ));
        }
    }
    if let Err(e) = run(fault, Step::MoveIntoPlace, || std::fs::rename(&tmp, dist)) {
        let failure = format!(
            "cannot move the new site from {} into place at {}: {e}",
            tmp.display(),
            dist.display()
        );
        let state = if had_old {
            match run(fault, Step::MoveBack, || std::fs::rename(&old, dist)) {
                Ok(()) => DistState::Untouched,
                Err(back) => {
                    let left = discard(fault, &tmp);
                    return Err(fail(
                        format!("{failure}\nMoving the previous site back failed too: {back}"),
                        DistState::Missing { old },
                        left,
                    ));
                }
            }
        } else {
            DistState::Untouched
        };
        let left = discard(fault, &tmp);
        return Err(fail(failure, state, left));
    }
    // The previous site becomes the spare of the next build, unless another build has kept
    // its own meanwhile: one spare is enough.
    if had_old && run(fault, Step::KeepSpare, || keep_spare(&old, &spare)).is_err() {
        let removed = time("write: remove the replaced site", || {
            run(fault, Step::RemoveOld, || remove_any(&old))
        });
        if let Err(e) = removed {
            return Err(fail(
                format!(
                    "cannot remove the previous site from {}: {e}",
                    old.display()
                ),
                DistState::Replaced,
                vec![(old, e.to_string())],
            ));
        }
    }
    Ok(())
}

/// Writes `files` (paths relative to the site) under `tmp`, linking those the previous site at
/// `dist` holds unchanged ([`write_or_link`]); the first failure, in path order, names its file.
///
/// Why this shape: the folders are made first, each once and parents before children (no
/// `create_dir_all` probing folders that exist: 638 failed `mkdir`s of 1,773 for the
/// 100-document library), a level at a time on every core, then the files are written or
/// linked by one thread per core, each taking a run of whole folders, so that reading the
/// previous site's copies to compare overlaps and no two threads wait on one folder's lock.
/// What this does not change (measured, 100- and 1,000-document libraries): on this machine's
/// ext4, which has no journal, the kernel passes over every inode freed in the last 60 to 360
/// seconds for each new file or folder, so a cold build right after many deletions costs about
/// the product of the two counts (2,627 files and 1,135 folders at 100 documents: a write phase
/// of about 50 ms with nothing deleted for six minutes, 140-280 ms within them).
fn write_files(dist: &Path, tmp: &Path, files: &[(&String, &Vec<u8>)]) -> Result<(), String> {
    // Not `create_dir_all`: a folder already there (even a link to one) is not ours to fill.
    std::fs::create_dir(tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    create_folders(tmp, folders_of(files).into_iter())?;
    place_files(dist, tmp, files, &HashSet::new())
}

/// Creates the `folders` (paths relative to `tmp`, each parent either there already or among
/// them) under `tmp`: a level of depth at a time, each level by one thread per core.
///
/// Why not one by one: a cold build makes every folder of the site (1,135 for the 100-document
/// library), and on this machine's ext4 each new inode costs a lookup in the kernel's buffer
/// cache (`recently_deleted`, see [`write_files`]); one thread made them while the other core
/// waited (8 % of a cold build's samples).
fn create_folders<'a>(tmp: &Path, folders: impl Iterator<Item = &'a str>) -> Result<(), String> {
    let mut by_depth: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for dir in folders {
        by_depth
            .entry(dir.matches('/').count())
            .or_default()
            .push(dir);
    }
    for level in by_depth.values() {
        in_parallel(level, writers(), |dir| {
            let path = tmp.join(dir);
            // Not `create_dir_all`: a folder already there (even a link to one) is not ours.
            std::fs::create_dir(&path).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display()))
            })
        })
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Threads creating or writing entries: one per core, at most four (the work is mostly the
/// kernel's, on the same disk).
fn writers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(4)
}

/// The folders that hold `files`, in path order (a folder before the folders inside it).
fn folders_of<'a>(files: &[(&'a String, &Vec<u8>)]) -> BTreeSet<&'a str> {
    let mut folders = BTreeSet::new();
    for (rel, _) in files {
        let mut rel = rel.as_str();
        while let Some((dir, _)) = rel.rsplit_once('/') {
            if !folders.insert(dir) {
                break;
            }
            rel = dir;
        }
    }
    folders
}

/// Puts every file of `files` under `tmp`, whose folders exist, by one thread per core (at most
/// four). A file of `present` (a plain file the claimed spare already holds there) stays when
/// it holds the same bytes; otherwise it is removed first, never written in place: its inode
/// may be the live site's too, by a hard link ([`write_or_link`]). The rest are linked from
/// `dist` when unchanged, or written.
fn place_files(
    dist: &Path,
    tmp: &Path,
    files: &[(&String, &Vec<u8>)],
    present: &HashSet<&str>,
) -> Result<(), String> {
    // A first build has no previous site to link from: no lookup per file.
    let previous = std::fs::symlink_metadata(dist)
        .is_ok_and(|m| m.is_dir())
        .then_some(dist);
    in_parallel(files, writers(), |(rel, bytes)| {
        let path = tmp.join(rel);
        let named = |e: io::Error, what: &str| {
            io::Error::new(e.kind(), format!("cannot {what} {}: {e}", path.display()))
        };
        if present.contains(rel.as_str()) {
            if same_bytes(&path, bytes) {
                return Ok(());
            }
            std::fs::remove_file(&path).map_err(|e| named(e, "replace"))?;
        }
        match previous {
            Some(dist) => write_or_link(&dist.join(rel), &path, bytes),
            None => std::fs::write(&path, bytes),
        }
        .map_err(|e| named(e, "write"))
    })
    .map_err(|e| e.to_string())
}

/// Whether the file at `path` (a plain file, seen by the walk of the spare) holds exactly
/// `bytes`: the length first, from the open file, so that a changed size costs no read.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    if !file
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
    {
        return false;
    }
    let mut held = Vec::with_capacity(bytes.len());
    file.read_to_end(&mut held).is_ok() && held == bytes
}

/// Takes the spare as this build's temporary folder `tmp`: a rename, so of two builds that
/// find the same spare only one gets it, and the other writes from nothing as a first build
/// does. `Ok(false)`: there was no spare (or the rename failed), write from nothing. Anything
/// there that is not a plain folder (a link to one elsewhere) is removed, not followed: nothing
/// is written outside `dist/`'s parent. `Err`: such a thing could not be removed; nothing was
/// written, and it is named.
fn claim_spare(
    fault: &mut dyn FnMut(Step) -> Option<io::Error>,
    spare: &Path,
    tmp: &Path,
) -> Result<bool, (String, Vec<(PathBuf, String)>)> {
    if run(fault, Step::ClaimSpare, || std::fs::rename(spare, tmp)).is_err() {
        return Ok(false);
    }
    match std::fs::symlink_metadata(tmp) {
        Ok(m) if m.is_dir() => Ok(true),
        _ => match remove_any(tmp) {
            Ok(()) => Ok(false),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err((
                format!(
                    "cannot remove {} (the spare {} renamed), which is not a folder: {e}",
                    tmp.display(),
                    spare.display()
                ),
                vec![(tmp.to_path_buf(), e.to_string())],
            )),
        },
    }
}

/// Keeps `old`, the site just replaced, as the spare, unless there is one (another build kept
/// its own, or adopted a leftover): then it fails and the caller removes `old`.
fn keep_spare(old: &Path, spare: &Path) -> io::Result<()> {
    if std::fs::symlink_metadata(spare).is_ok() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    // Should another build keep its spare between the look and the rename, the rename fails
    // (a folder that is not empty, or not a folder, is not replaced by a folder) or replaces
    // an empty folder: no site is lost either way.
    std::fs::rename(old, spare)
}

/// Makes a leftover folder of a killed build the spare when there is none. Only a plain
/// folder: a link is swept like any other leftover.
fn adopt_as_spare(stale: &Path, spare: &Path) -> bool {
    std::fs::symlink_metadata(stale).is_ok_and(|m| m.is_dir()) && keep_spare(stale, spare).is_ok()
}

/// Brings `tmp`, a claimed spare (an earlier site, or a killed build's folder), to exactly
/// `files`, as [`write_files`] would have made it from nothing: what it holds is read once, a
/// folder at a time (no `stat` of every path of the new site); files, folders and anything else
/// it holds that the new site does not have are removed, links and other things that are not
/// plain files or folders whatever their name (never followed); missing folders are made; then
/// each file stays if it holds the same bytes, or is replaced ([`place_files`]).
///
/// Why: a warm build of the 1,000-document library otherwise makes 10,678 folders and links or
/// writes 15,761 files, and removes as many of the replaced site (see the module's comment);
/// here a rebuild that changes a few pages touches those pages' files only. Measured (release
/// builds, warm, unchanged content, the machine shared with other builds): the write phase of
/// the 1,000-document library went from 0.80–1.90 s to 0.13–0.20 s, of the 100-document one
/// from 0.17–0.52 s to 0.03–0.04 s; the output is byte for byte that of a build from nothing.
fn sync_spare(dist: &Path, tmp: &Path, files: &[(&String, &Vec<u8>)]) -> Result<(), String> {
    let folders = folders_of(files);
    let wanted: HashSet<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
    let mut present_folders: HashSet<String> = HashSet::new();
    let mut present: HashSet<&str> = HashSet::new();
    let (mut extra_files, mut extra_folders): (Vec<PathBuf>, Vec<PathBuf>) = Default::default();
    let listed = |e: io::Error, dir: &Path| format!("cannot list {}: {e}", dir.display());
    let mut pending = vec![String::new()];
    while let Some(dir) = pending.pop() {
        let here = if dir.is_empty() {
            tmp.to_path_buf()
        } else {
            tmp.join(&dir)
        };
        for entry in std::fs::read_dir(&here).map_err(|e| listed(e, &here))? {
            let entry = entry.map_err(|e| listed(e, &here))?;
            let kind = entry.file_type().map_err(|e| listed(e, &here))?;
            let rel = match entry.file_name().to_str() {
                Some(n) if dir.is_empty() => n.to_string(),
                Some(n) => format!("{dir}/{n}"),
                // Not a name the site has (output paths are UTF-8).
                None => String::new(),
            };
            if kind.is_dir() && folders.contains(rel.as_str()) {
                present_folders.insert(rel.clone());
                pending.push(rel);
            } else if kind.is_dir() {
                extra_folders.push(entry.path());
            } else if let Some(&keep) = wanted.get(rel.as_str()).filter(|_| kind.is_file()) {
                present.insert(keep);
            } else {
                extra_files.push(entry.path());
            }
        }
    }
    let removed = |e: io::Error| e.to_string();
    in_parallel(&extra_files, REMOVERS, |f| {
        std::fs::remove_file(f)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot remove {}: {e}", f.display())))
    })
    .map_err(removed)?;
    for folder in &extra_folders {
        remove_tree(folder).map_err(|e| format!("cannot remove {}: {e}", folder.display()))?;
    }
    create_folders(
        tmp,
        folders
            .iter()
            .copied()
            .filter(|d| !present_folders.contains(*d)),
    )?;
    place_files(dist, tmp, files, &present)
}

/// Writes `bytes` at `path`, or, when the previous site holds the same bytes at `previous`, links
/// that file there instead. Why: a build mostly rewrites what it wrote last time, and on ext4
/// creating hundreds of new files right after deleting as many makes the kernel's inode
/// allocator step over every recently freed inode (measured: the write phase of a warm build of
/// this site varied from 30 to 550 ms with the same output). A link allocates no inode, and
/// removing the previous site then frees none. The new site is complete and independent of the
/// old one's later removal or reuse as the spare; files are never written in place (the sync
/// of a spare removes a file before putting another there), so the shared inode never changes
/// under either name. Any failure to link falls back to writing.
fn write_or_link(previous: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Ok(meta) = std::fs::symlink_metadata(previous) {
        if meta.is_file()
            && meta.len() == bytes.len() as u64
            && std::fs::read(previous).is_ok_and(|old| old == bytes)
            && std::fs::hard_link(previous, path).is_ok()
        {
            return Ok(());
        }
    }
    std::fs::write(path, bytes)
}

/// Runs one step, unless `fault` makes it fail.
fn run(
    fault: &mut dyn FnMut(Step) -> Option<io::Error>,
    s: Step,
    op: impl FnOnce() -> io::Result<()>,
) -> io::Result<()> {
    match fault(s) {
        Some(e) => Err(e),
        None => op(),
    }
}

/// Removes the temporary folder after a failure; returns it with the reason if that fails too.
fn discard(fault: &mut dyn FnMut(Step) -> Option<io::Error>, tmp: &Path) -> Vec<(PathBuf, String)> {
    match run(fault, Step::RemoveNew, || remove_any(tmp)) {
        Ok(()) => Vec::new(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => vec![(tmp.to_path_buf(), e.to_string())],
    }
}

/// Removes a folder with its contents, or a file.
fn remove_any(p: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => remove_tree(p),
        Ok(_) => std::fs::remove_file(p),
        Err(e) => Err(e),
    }
}

/// Threads removing a tree: the work waits on the disk, not the processor, so more than the
/// cores.
const REMOVERS: usize = 8;

/// Removes the folder `root` with everything in it, as `std::fs::remove_dir_all` does, but with
/// [`REMOVERS`] threads: first every file, then the folders, deepest first, a level at a time.
///
/// Why (measured on the 100-document library, warm build, four engineers' builds sharing the
/// disk): removing the previous site took 3.6 s of the write phase's 3.7, nearly all of it in
/// its 1,135 folders (3.2 ms each; its 4,611 files, links to the new site's, took 49 ms). On
/// this file system (ext4 without a journal, mounted with `discard`) freeing a folder's block
/// waits for the disk to discard it; the disk serves several such waits at once (600 empty
/// folders: 1.57 s one by one, 0.14–0.76 s with eight at a time).
fn remove_tree(root: &Path) -> io::Result<()> {
    // Breadth first, so the folders come in order of depth.
    let mut folders: Vec<(usize, PathBuf)> = vec![(0, root.to_path_buf())];
    let mut files: Vec<PathBuf> = Vec::new();
    let mut next = 0;
    while let Some((depth, dir)) = folders.get(next).cloned() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                folders.push((depth + 1, entry.path()));
            } else {
                files.push(entry.path());
            }
        }
        next += 1;
    }
    in_parallel(&files, REMOVERS, |f| std::fs::remove_file(f))?;
    while let Some(&(depth, _)) = folders.last() {
        let level = folders.partition_point(|(d, _)| *d < depth);
        let paths: Vec<&PathBuf> = folders[level..].iter().map(|(_, p)| p).collect();
        in_parallel(&paths, REMOVERS, |d| std::fs::remove_dir(d))?;
        folders.truncate(level);
    }
    Ok(())
}

/// Runs `op` on every item, `threads` at a time (each thread takes one run of consecutive
/// items); the first error in the items' order wins.
///
/// Why runs and not every `threads`-th item: items come in path order, so a run is a few whole
/// folders, and creating or removing an entry locks its folder. With every other file, two
/// threads took turns on each folder's lock and spun waiting for it (`rwsem_spin_on_owner`, 11 %
/// of a cold build's samples for the 100-document library, perf, 2026-12-01).
fn in_parallel<T: Sync>(
    items: &[T],
    threads: usize,
    op: impl Fn(&T) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let threads = threads.clamp(1, items.len().max(1));
    let run = items.len().div_ceil(threads);
    let share = |k: usize| -> Option<(usize, io::Error)> {
        items
            .iter()
            .enumerate()
            .skip(k * run)
            .take(run)
            .find_map(|(i, item)| op(item).err().map(|e| (i, e)))
    };
    let share = &share;
    let failures: Vec<(usize, io::Error)> = std::thread::scope(|s| {
        let others: Vec<_> = (1..threads).map(|k| s.spawn(move || share(k))).collect();
        let mut failures: Vec<(usize, io::Error)> = share(0).into_iter().collect();
        for t in others {
            match t.join() {
                Ok(f) => failures.extend(f),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        failures
    });
    match failures.into_iter().min_by_key(|f| f.0) {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

/// The `.NAME.tmp-PID` and `.NAME.old-PID` entries beside `dist/` whose build is over. The
/// spare (`.NAME.spare`) is not one: it is kept on purpose, for the next build.
///
/// Only those of a process that no longer runs (or of this process, whose builds run one at a
/// time), not all of them: two builds of the same site may run at once (`serve` in one
/// terminal, `build` in another), and removing the other's temporary folder while it writes
/// would let it move a partial site into place. Where the system cannot say whether a process
/// lives (no `/proc`), a leftover is swept once older than [`STALE_AFTER`]. A reused PID only
/// delays the sweep to a later build.
fn stale_folders(parent: &Path, name: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let Some(pid) = prefixes
                .iter()
                .find_map(|p| file.strip_prefix(p.as_str()))
                .and_then(|n| n.parse::<u32>().ok())
            else {
                return false;
            };
            build_is_over(pid, &e.path())
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

fn build_is_over(pid: u32, path: &Path) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return !proc.join(pid.to_string()).exists();
    }
    std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > STALE_AFTER)
}

#[cfg(test)]
mod tests {
    use super::{check_path, remove_tree};

    /// The threaded removal leaves nothing of a nested tree and does not follow a link to a
    /// folder outside it (as `remove_dir_all` does not).
    #[cfg(unix)]
    #[test]
    fn a_tree_is_removed_whole_without_following_links() {
        let base = std::env::temp_dir().join(format!("w-remove-tree-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (tree, outside) = (base.join("tree"), base.join("outside"));
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("keep.txt"), "kept").unwrap();
        for i in 0..30 {
            let dir = tree.join(format!("{}/{i}/deeper", i % 3));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("index.html"), "page").unwrap();
            std::fs::write(tree.join(format!("{i}.txt")), "file").unwrap();
        }
        std::os::unix::fs::symlink(&outside, tree.join("link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists(), "the tree is gone");
        assert_eq!(
            std::fs::read_to_string(outside.join("keep.txt")).unwrap(),
            "kept"
        );
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn paths_that_leave_dist_are_refused() {
        for ok in ["index.html", "en/units/tax/index.html", "static/site.css"] {
            assert!(check_path(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "en/../../x",
            "en/./x",
            "en//x",
            "en/units/",
            "en\\..\\x",
            "a\0b",
        ] {
            let e = check_path(bad).expect_err(bad).to_string();
            assert!(e.contains("refused to write the output path"), "{e}");
        }
    }
}
