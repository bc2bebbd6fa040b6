//! Stage 5, write: the whole site goes to a temporary folder beside `dist/` and is swapped in
//! at the end, so a failed build never leaves a half-written `dist/`.

use std::path::Path;

use crate::error::BuildError;
use crate::render::Output;

/// Adds the theme's static files (CSS, scripts) to the output under `static/`.
pub fn copy_static(dir: &Path, out: &mut Output) -> Result<(), BuildError> {
    fn walk(dir: &Path, rel: &str, out: &mut Output) -> Result<(), BuildError> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| BuildError::Io(format!("cannot read {}: {e}", dir.display())))?
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            let rel_path = format!("{rel}{name}");
            if path.is_dir() {
                walk(&path, &format!("{rel_path}/"), out)?;
            } else {
                let bytes = std::fs::read(&path)
                    .map_err(|e| BuildError::Io(format!("cannot read {}: {e}", path.display())))?;
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

/// Refuses an output path that is not a plain relative path inside `dist/`: absolute, with a
/// `..`, `.` or empty segment, a backslash or a NUL. Paths are built from checked ids, so this
/// is a second line of defence: a refused path stops the build before anything is written.
pub fn check_path(rel: &str) -> Result<(), BuildError> {
    let refused = |why: &str| {
        Err(BuildError::Io(format!(
            "refused to write the output path \"{}\": {why} (every output must stay inside dist/)",
            rel.escape_debug()
        )))
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

/// Writes `out` into a fresh temporary folder, then swaps it with `dist`.
pub fn write_atomically(dist: &Path, out: &Output) -> Result<(), BuildError> {
    let io = |what: &str, p: &Path, e: std::io::Error| {
        BuildError::Io(format!("cannot {what} {}: {e}", p.display()))
    };
    out.keys().try_for_each(|rel| check_path(rel))?;
    let parent = dist.parent().unwrap_or(Path::new("."));
    let name = dist
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dist".into());
    std::fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| io("remove", &tmp, e))?;
    }
    let result = (|| {
        for (rel, bytes) in out {
            let path = tmp.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| io("create", dir, e))?;
            }
            std::fs::write(&path, bytes).map_err(|e| io("write", &path, e))?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    // Two renames: the old site stays complete until the new one is in place.
    let had_old = dist.exists();
    if had_old {
        std::fs::rename(dist, &old).map_err(|e| io("move aside", dist, e))?;
    }
    if let Err(e) = std::fs::rename(&tmp, dist) {
        if had_old {
            let _ = std::fs::rename(&old, dist);
        }
        return Err(io("move into place", dist, e));
    }
    if had_old {
        std::fs::remove_dir_all(&old).map_err(|e| io("remove", &old, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_path;

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
