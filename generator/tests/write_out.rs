//! The write-out tells the truth about `dist/` on every failure and leaves no temporary folder
//! behind; folders left by a killed build are swept by the next.
//!
//! The tests run as root, whom read-only permissions do not stop, so most failures are
//! injected: `write_with_faults` asks a hook before each file-system step, and the hook makes
//! one step fail with an error, exactly where the system's own error would surface. The rest of
//! the write-out runs for real. Two failures are real: `dist` being a file, and a parent path
//! that runs through a file.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use common::{options, repo, TempDir};
use generator::error::{build_failure, BuildError, DistState, WriteError};
use generator::render::Output;
use generator::write::{write_atomically, write_with_faults, Step};

/// A small site of two files.
fn site() -> Output {
    let mut out = Output::new();
    out.insert("index.html".into(), b"new site".to_vec());
    out.insert("en/plan/index.html".into(), b"new plan".to_vec());
    out
}

/// A folder holding `dist/` with the previous build's sentinel.
fn with_previous(tag: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new(tag);
    let dist = tmp.0.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("sentinel.html"), "last good build").unwrap();
    (tmp, dist)
}

/// A folder holding `dist/` and its spare `.dist.spare` as two builds of [`site`] leave them
/// (the second build keeps the site it replaced as the spare).
fn with_spare(tag: &str) -> (TempDir, PathBuf, PathBuf) {
    let tmp = TempDir::new(tag);
    let dist = tmp.0.join("dist");
    let spare = tmp.0.join(".dist.spare");
    write_atomically(&dist, &site()).unwrap();
    write_atomically(&dist, &site()).unwrap();
    (tmp, dist, spare)
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn previous_is_intact(dist: &Path) {
    assert_eq!(
        names(dist),
        ["sentinel.html"],
        "the previous dist/, unchanged"
    );
    assert_eq!(
        std::fs::read_to_string(dist.join("sentinel.html")).unwrap(),
        "last good build"
    );
}

/// Writes the site with `step` failing; a write fails at the second file, so the temporary
/// folder already holds one.
fn failing_at(dist: &Path, step: Step) -> WriteError {
    let mut writes = 0;
    write_with_faults(dist, &site(), &mut |s| {
        if s == Step::WriteNew {
            writes += 1;
            if writes < 2 {
                return None;
            }
        }
        (s == step).then(|| io::Error::other(format!("injected failure at {s:?}")))
    })
    .expect_err("the injected failure stops the write-out")
}

#[test]
fn dist_that_is_a_file_is_refused_and_left_as_it_was() {
    let tmp = TempDir::new("w-file");
    let dist = tmp.0.join("dist");
    std::fs::write(&dist, "not a folder").unwrap();
    let e = write_atomically(&dist, &site()).unwrap_err();
    let msg = e.to_string();
    assert_eq!(e.state, DistState::Untouched);
    assert!(msg.contains("is a file, not a folder"), "{msg}");
    assert!(msg.contains("dist/ was left as it was"), "{msg}");
    assert_eq!(std::fs::read_to_string(&dist).unwrap(), "not a folder");
    assert_eq!(names(&tmp.0), ["dist"], "no temporary or old folder left");
}

/// The same through a whole build, as `generator build` words it.
#[test]
fn a_build_over_a_file_says_the_file_was_left_as_it_was() {
    let tmp = TempDir::new("w-file-build");
    let dist = tmp.0.join("dist");
    std::fs::write(&dist, "not a folder").unwrap();
    let e = generator::build(&options(&repo().join("content"), &dist)).unwrap_err();
    assert!(matches!(e, BuildError::Write(_)), "{e}");
    let msg = build_failure(&e, &dist);
    assert!(msg.starts_with("Failed to build the site: "), "{msg}");
    assert!(msg.contains("was left as it was"), "{msg}");
    assert!(!msg.contains("IS in place"), "{msg}");
    assert_eq!(std::fs::read_to_string(&dist).unwrap(), "not a folder");
    assert_eq!(names(&tmp.0), ["dist"]);
}

/// A parent that cannot be created (a path through a file) fails for real, even as root.
#[test]
fn a_parent_that_cannot_be_created_writes_nothing() {
    let tmp = TempDir::new("w-parent");
    std::fs::write(tmp.0.join("blocker"), "a file").unwrap();
    let dist = tmp.0.join("blocker/site/dist");
    let e = write_atomically(&dist, &site()).unwrap_err();
    let msg = e.to_string();
    assert_eq!(e.state, DistState::Untouched);
    assert!(msg.contains("cannot create"), "{msg}");
    assert!(msg.contains("There was no"), "{msg}");
    assert!(msg.contains("none was made"), "{msg}");
    assert_eq!(names(&tmp.0), ["blocker"]);
}

#[test]
fn a_failed_write_of_the_new_site_leaves_the_previous_and_no_temporary_folder() {
    let (tmp, dist) = with_previous("w-write");
    let e = failing_at(&dist, Step::WriteNew);
    let msg = e.to_string();
    assert_eq!(e.state, DistState::Untouched);
    assert!(msg.contains("cannot write"), "{msg}");
    assert!(msg.contains("injected failure at WriteNew"), "{msg}");
    assert!(msg.contains("The previous"), "{msg}");
    assert!(msg.contains("dist/ was left as it was"), "{msg}");
    previous_is_intact(&dist);
    assert_eq!(names(&tmp.0), ["dist"]);
}

/// As with a read-only parent: the previous `dist/` cannot be moved aside.
#[test]
fn a_failed_move_aside_leaves_the_previous_and_no_temporary_folder() {
    let (tmp, dist) = with_previous("w-aside");
    let e = failing_at(&dist, Step::MoveAside);
    let msg = e.to_string();
    assert_eq!(e.state, DistState::Untouched);
    assert!(msg.contains("cannot move the previous"), "{msg}");
    assert!(msg.contains("dist/ was left as it was"), "{msg}");
    previous_is_intact(&dist);
    assert_eq!(names(&tmp.0), ["dist"]);
}

#[test]
fn a_failed_move_into_place_puts_the_previous_back() {
    let (tmp, dist) = with_previous("w-into");
    let e = failing_at(&dist, Step::MoveIntoPlace);
    let msg = e.to_string();
    assert_eq!(e.state, DistState::Untouched);
    assert!(msg.contains("cannot move the new site"), "{msg}");
    assert!(msg.contains("dist/ was left as it was"), "{msg}");
    previous_is_intact(&dist);
    assert_eq!(names(&tmp.0), ["dist"]);
}

#[test]
fn a_failed_first_build_says_no_dist_was_made() {
    let tmp = TempDir::new("w-first");
    let dist = tmp.0.join("dist");
    let e = failing_at(&dist, Step::MoveIntoPlace);
    let msg = e.to_string();
    assert_eq!(e.state, DistState::Untouched);
    assert!(msg.contains("There was no"), "{msg}");
    assert!(names(&tmp.0).is_empty(), "{:?}", names(&tmp.0));
}

/// The one failure that cannot restore `dist/`: the message says where the previous site is,
/// and that folder is kept (it is the only copy of the last good build).
#[test]
fn when_even_moving_back_fails_the_message_says_where_the_previous_site_is() {
    let (tmp, dist) = with_previous("w-back");
    let e = write_with_faults(&dist, &site(), &mut |s| {
        matches!(s, Step::MoveIntoPlace | Step::MoveBack).then(|| io::Error::other("injected"))
    })
    .unwrap_err();
    let msg = e.to_string();
    let DistState::Missing { old } = &e.state else {
        panic!("dist/ is gone: {msg}")
    };
    assert!(!dist.exists());
    assert!(msg.contains("There is no"), "{msg}");
    assert!(msg.contains(&old.display().to_string()), "{msg}");
    previous_is_intact(old);
    let old_name = old.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        names(&tmp.0),
        [old_name],
        "the new site's folder is removed"
    );
    // Building again sweeps it and makes dist/.
    write_atomically(&dist, &site()).unwrap();
    assert_eq!(names(&tmp.0), ["dist"]);
}

/// As with a read-only `dist/` for a user who is not root: the new site is in place, the
/// previous one cannot be removed; the message says both.
#[test]
fn a_failed_removal_of_the_previous_site_says_the_new_one_is_in_place() {
    let (tmp, dist) = with_previous("w-remove-old");
    // Keeping it as the spare fails first (as when another build has kept its own).
    let e = write_with_faults(&dist, &site(), &mut |s| {
        matches!(s, Step::KeepSpare | Step::RemoveOld).then(|| io::Error::other("injected"))
    })
    .unwrap_err();
    let msg = e.to_string();
    assert_eq!(e.state, DistState::Replaced);
    assert_eq!(
        e.left_behind.len(),
        1,
        "the previous site's folder is named"
    );
    assert!(msg.contains("The new site IS in place"), "{msg}");
    assert!(msg.contains("could not be removed"), "{msg}");
    assert_eq!(
        std::fs::read_to_string(dist.join("index.html")).unwrap(),
        "new site"
    );
    let e = BuildError::Write(e);
    let said = build_failure(&e, &dist);
    assert!(!said.contains("left as it was"), "{said}");
    // The next build takes what this one could not remove as its spare (a leftover, not a
    // folder to keep), and keeps the site it replaces as the next spare.
    write_atomically(&dist, &site()).unwrap();
    assert_eq!(names(&tmp.0), [".dist.spare", "dist"]);
    assert_eq!(names(&dist), ["en", "index.html"]);
}

#[test]
fn a_temporary_folder_that_cannot_be_removed_is_named() {
    let (tmp, dist) = with_previous("w-remove-new");
    let mut writes = 0;
    let e = write_with_faults(&dist, &site(), &mut |s| {
        if s == Step::WriteNew {
            writes += 1;
        }
        let fails = (s == Step::WriteNew && writes == 2) || s == Step::RemoveNew;
        fails.then(|| io::Error::other("injected"))
    })
    .unwrap_err();
    let msg = e.to_string();
    assert_eq!(e.state, DistState::Untouched);
    assert_eq!(e.left_behind.len(), 1, "{msg}");
    assert!(
        msg.contains(&format!(
            "{}/ could not be removed",
            e.left_behind[0].0.display()
        )),
        "{msg}"
    );
    let mut there = vec![
        e.left_behind[0]
            .0
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned(),
        "dist".into(),
    ];
    there.sort();
    assert_eq!(names(&tmp.0), there, "only the folder the message names");
    previous_is_intact(&dist);
}

/// The PID of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn leftovers_of_a_killed_build_are_swept_but_not_those_of_a_running_one() {
    let (tmp, dist) = with_previous("w-sweep");
    let dead = dead_pid();
    let mut running = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let live = running.id();
    for name in [
        format!(".dist.tmp-{dead}"),
        format!(".dist.old-{dead}"),
        format!(".dist.tmp-{live}"),
    ] {
        std::fs::create_dir_all(tmp.0.join(&name).join("en")).unwrap();
        std::fs::write(tmp.0.join(&name).join("en/index.html"), "half").unwrap();
    }
    // A file named like this build's own temporary folder.
    std::fs::write(
        tmp.0.join(format!(".dist.tmp-{}", std::process::id())),
        "in the way",
    )
    .unwrap();
    // Not a leftover of ours: kept.
    std::fs::write(tmp.0.join(".dist.tmp-notes"), "keep").unwrap();
    let r = write_atomically(&dist, &site());
    running.kill().unwrap();
    running.wait().unwrap();
    r.unwrap();
    // The killed build's folders are gone (one became the spare, synced into the new site);
    // the previous site is the spare now.
    let mut kept = vec![
        ".dist.spare".to_string(),
        ".dist.tmp-notes".to_string(),
        format!(".dist.tmp-{live}"),
        "dist".into(),
    ];
    kept.sort();
    assert_eq!(names(&tmp.0), kept);
    assert_eq!(names(&dist), ["en", "index.html"]);
    assert_eq!(
        std::fs::read(dist.join("index.html")).unwrap(),
        b"new site",
        "the half-written leftover's files are not taken as they are"
    );
    previous_is_intact(&tmp.0.join(".dist.spare"));
}

#[test]
fn a_leftover_that_cannot_be_swept_stops_before_anything_is_written() {
    let (tmp, dist) = with_previous("w-sweep-fails");
    let stale = tmp.0.join(format!(".dist.tmp-{}", dead_pid()));
    std::fs::create_dir_all(&stale).unwrap();
    // With a spare there already, the leftover is not taken as the spare but removed.
    std::fs::create_dir_all(tmp.0.join(".dist.spare/en")).unwrap();
    let e = failing_at(&dist, Step::Sweep);
    let msg = e.to_string();
    assert_eq!(e.state, DistState::Untouched);
    assert!(
        msg.contains(&format!("cannot remove {}", stale.display())),
        "{msg}"
    );
    assert!(msg.contains("left by an interrupted build"), "{msg}");
    previous_is_intact(&dist);
    assert!(stale.exists());
}

/// A rebuild that keeps some files and changes others leaves exactly the new site: the kept files
/// (taken over from the previous site rather than written again) read as before, the changed one
/// reads as new, the dropped one is gone, and nothing of the previous site is left beside it.
/// A failed write after that leaves the previous site whole, kept files included.
#[test]
fn a_rebuild_keeps_unchanged_files_and_replaces_changed_ones() {
    let tmp = TempDir::new("write-rebuild");
    let dist = tmp.0.join("dist");
    let mut first = site();
    first.insert("old.html".into(), b"dropped next time".to_vec());
    write_atomically(&dist, &first).unwrap();

    let mut second = site();
    second.insert("en/plan/index.html".into(), b"plan, edited".to_vec());
    write_atomically(&dist, &second).unwrap();
    assert_eq!(std::fs::read(dist.join("index.html")).unwrap(), b"new site");
    assert_eq!(
        std::fs::read(dist.join("en/plan/index.html")).unwrap(),
        b"plan, edited"
    );
    assert!(
        !dist.join("old.html").exists(),
        "a page no longer built is removed"
    );
    assert_eq!(
        names(&tmp.0),
        [".dist.spare", "dist"],
        "no temporary or old folder left, the first site kept as the spare"
    );

    // A third build fails while writing: the second site, with the file it kept, stays whole.
    let mut third = second.clone();
    third.insert("index.html".into(), b"third".to_vec());
    let err = write_with_faults(&dist, &third, &mut |s| {
        (s == Step::WriteNew).then(|| io::Error::other("disk full"))
    });
    assert!(err.is_err());
    assert_eq!(
        names(&tmp.0),
        ["dist"],
        "the spare it had claimed is removed with its temporary folder"
    );
    assert_eq!(std::fs::read(dist.join("index.html")).unwrap(), b"new site");
    assert_eq!(
        std::fs::read(dist.join("en/plan/index.html")).unwrap(),
        b"plan, edited"
    );
}

/// Every file (with its bytes) and every folder under `dir`, by relative path; a link or
/// anything else that is not a plain file or folder fails the test.
fn tree(dir: &Path) -> (BTreeMap<String, Vec<u8>>, BTreeSet<String>) {
    fn walk(
        dir: &Path,
        rel: &str,
        files: &mut BTreeMap<String, Vec<u8>>,
        folders: &mut BTreeSet<String>,
    ) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let meta = std::fs::symlink_metadata(e.path()).unwrap();
            if meta.is_dir() {
                folders.insert(rel.clone());
                walk(&e.path(), &rel, files, folders);
            } else if meta.is_file() {
                files.insert(rel, std::fs::read(e.path()).unwrap());
            } else {
                panic!("{} is neither a file nor a folder", e.path().display());
            }
        }
    }
    let (mut files, mut folders) = (BTreeMap::new(), BTreeSet::new());
    walk(dir, "", &mut files, &mut folders);
    (files, folders)
}

/// `dir` holds exactly the site `out`: its files with their bytes, the folders they need, and
/// nothing else.
fn holds_exactly(dir: &Path, out: &Output) {
    let (files, folders) = tree(dir);
    let expected: BTreeMap<String, Vec<u8>> = out.clone().into_iter().collect();
    assert_eq!(files, expected, "the files of {}", dir.display());
    let mut needed = BTreeSet::new();
    for rel in out.keys() {
        let mut rel = rel.as_str();
        while let Some((parent, _)) = rel.rsplit_once('/') {
            needed.insert(parent.to_string());
            rel = parent;
        }
    }
    assert_eq!(folders, needed, "the folders of {}", dir.display());
}

fn output(files: &[(&str, &str)]) -> Output {
    files
        .iter()
        .map(|(rel, text)| (rel.to_string(), text.as_bytes().to_vec()))
        .collect()
}

/// The third build makes its site from the first's, kept as the spare, and leaves exactly the
/// new site: changed files rewritten, unchanged ones kept, pages and folders no longer built
/// gone, a folder where a file was and a file where a folder was; the second site is the spare
/// now, whole.
#[test]
fn a_rebuild_after_a_rebuild_reuses_the_spare_and_leaves_exactly_the_new_site() {
    let tmp = TempDir::new("w-spare-sync");
    let dist = tmp.0.join("dist");
    let spare = tmp.0.join(".dist.spare");
    let first = output(&[
        ("index.html", "first home"),
        ("en/plan/index.html", "plan"),
        ("old.html", "dropped"),
        ("gone/deep/page.html", "a folder dropped"),
        ("flip", "a file, a folder next time"),
        ("flop/index.html", "a folder, a file next time"),
    ]);
    let second = output(&[
        ("index.html", "second home"),
        ("en/plan/index.html", "plan"),
        ("gone/deep/page.html", "a folder dropped"),
    ]);
    let third = output(&[
        ("index.html", "third"),
        ("en/plan/index.html", "plan"),
        ("en/new/index.html", "a new page"),
        ("flip/index.html", "now a folder"),
        ("flop", "now a file"),
    ]);
    write_atomically(&dist, &first).unwrap();
    assert!(!spare.exists(), "a first build has nothing to keep");
    write_atomically(&dist, &second).unwrap();
    holds_exactly(&spare, &first);
    let spare_folder = std::fs::metadata(&spare).unwrap().ino();

    write_atomically(&dist, &third).unwrap();
    holds_exactly(&dist, &third);
    assert_eq!(
        std::fs::metadata(&dist).unwrap().ino(),
        spare_folder,
        "the new site was made from the spare, not from nothing"
    );
    holds_exactly(&spare, &second);
    assert_eq!(names(&tmp.0), [".dist.spare", "dist"]);
}

/// A link in the spare (to a folder or a file outside, where the new site has a folder, a file,
/// or nothing) is removed, never written through; and a spare that is itself a link to a
/// folder outside is dropped, the site written from nothing.
#[test]
fn links_in_the_spare_are_removed_and_nothing_is_written_through_them() {
    let (tmp, dist, spare) = with_spare("w-spare-links");
    let outside = tmp.0.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("index.html"), "outside").unwrap();
    let before = tree(&outside);
    std::fs::remove_dir_all(spare.join("en/plan")).unwrap();
    std::os::unix::fs::symlink(&outside, spare.join("en/plan")).unwrap();
    std::fs::remove_file(spare.join("index.html")).unwrap();
    std::os::unix::fs::symlink(outside.join("index.html"), spare.join("index.html")).unwrap();
    std::os::unix::fs::symlink(&outside, spare.join("extra")).unwrap();

    let mut changed = site();
    changed.insert("index.html".into(), b"changed site".to_vec());
    changed.insert("en/plan/index.html".into(), b"changed plan".to_vec());
    write_atomically(&dist, &changed).unwrap();
    holds_exactly(&dist, &changed);
    assert_eq!(tree(&outside), before, "nothing written outside");

    std::fs::remove_dir_all(&spare).unwrap();
    std::os::unix::fs::symlink(&outside, &spare).unwrap();
    write_atomically(&dist, &site()).unwrap();
    holds_exactly(&dist, &site());
    assert_eq!(tree(&outside), before, "nothing written outside");
    holds_exactly(&spare, &changed);
}

/// The spare's files are mostly the live site's, by hard links: a file that changes is
/// replaced in the spare, never rewritten, so the live site reads as before until the swap, and
/// the replaced site (the next spare) keeps its bytes.
#[test]
fn syncing_the_spare_does_not_change_the_live_site() {
    let tmp = TempDir::new("w-spare-shared");
    let dist = tmp.0.join("dist");
    let spare = tmp.0.join(".dist.spare");
    let mut first = site();
    first.insert("shared.html".into(), b"version 1".to_vec());
    write_atomically(&dist, &first).unwrap();
    write_atomically(&dist, &first).unwrap();
    let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
    assert_eq!(
        inode(&dist.join("shared.html")),
        inode(&spare.join("shared.html")),
        "the unchanged file is one inode in the live site and the spare"
    );

    let mut second = site();
    second.insert("shared.html".into(), b"version 2".to_vec());
    let mut live_before_swap = None;
    write_with_faults(&dist, &second, &mut |s| {
        if s == Step::MoveAside {
            live_before_swap = Some(std::fs::read(dist.join("shared.html")).unwrap());
        }
        None
    })
    .unwrap();
    assert_eq!(live_before_swap.as_deref(), Some(&b"version 1"[..]));
    holds_exactly(&dist, &second);
    holds_exactly(&spare, &first);
}

/// Of two builds that find the same spare only one gets it (the other's rename finds nothing
/// and it writes from nothing); a build that finds a spare kept by another when it is done
/// removes the site it replaced instead of replacing that spare.
#[test]
fn two_builds_do_not_share_a_spare() {
    let (tmp, dist, spare) = with_spare("w-spare-two");
    assert!(spare.is_dir());
    let mut other_claim = None;
    write_with_faults(&dist, &site(), &mut |s| {
        if s == Step::WriteNew && other_claim.is_none() {
            // Another build, starting now, tries to claim the spare, then (it wrote from
            // nothing) finishes and keeps the site it replaced as the spare.
            other_claim = Some(std::fs::rename(&spare, tmp.0.join(".dist.tmp-other")));
            std::fs::create_dir_all(&spare).unwrap();
            std::fs::write(spare.join("other.html"), "the other build's").unwrap();
        }
        None
    })
    .unwrap();
    let other_claim = other_claim.expect("the hook ran");
    assert_eq!(
        other_claim.map_err(|e| e.kind()),
        Err(io::ErrorKind::NotFound),
        "the spare was already taken"
    );
    holds_exactly(&dist, &site());
    assert_eq!(
        names(&spare),
        ["other.html"],
        "the other build's spare stays"
    );
    assert_eq!(
        names(&tmp.0),
        [".dist.spare", "dist"],
        "the replaced site is removed"
    );
}
