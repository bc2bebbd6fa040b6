//! `generator serve`: a live preview for editors. It builds, serves `dist/` on loopback, watches
//! `content/` and the theme, rebuilds on save, reloads open pages, and shows a failed build as
//! a banner over the last good pages instead of stopping (as `zola serve` does).
//!
//! Saves are seen as file events (notify), deletions included, grouped into saves as soon as
//! the files written are closed ([`watch`]). A save of one version of one document re-renders
//! only that document's pages, checks only that version, and serves the pages from memory at
//! once, before writing them to `dist/` ([`incremental`]); the search index, the other files
//! made from the whole site and every check of the whole content follow from a full build in
//! the background, whose mistakes the banner shows. Any other change rebuilds the whole site. The
//! calculator's WASM is built once, at start: a content or theme save cannot change it, so a
//! rebuild reuses it (see `wasm::build_calculator`); a change under `calculator/` is reported
//! with a request to restart. The reload script and the error banner's style are files served
//! beside the site (never written to `dist/`), so the preview runs under the site's
//! Content-Security-Policy.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard};
use std::time::Instant;

use notify_debouncer_full::notify::event::{ModifyKind, RenameMode};
use notify_debouncer_full::notify::{
    recommended_watcher, Event, EventKind, RecursiveMode, Watcher,
};

use crate::{generate, wasm, write, BuildOptions};

pub mod incremental;
mod watch;

use incremental::{Preview, Rebuilt};

/// Where the preview's own files are served; no page of the site lives there.
const SERVE_PREFIX: &str = "/__serve/";
/// Polled by the reload script: the current build generation.
const GENERATION_PATH: &str = "/__serve/generation";
/// The reload script, injected at the end of every served page.
const RELOAD_JS: &str = include_str!("serve/reload.js");
/// The error banner's class, linked from every served page.
const SERVE_CSS: &str = include_str!("serve/serve.css");

/// What the server knows about the latest build.
#[derive(Debug, Default)]
struct State {
    /// Increases on every build attempt; pages poll it to know when to reload.
    generation: u64,
    /// The error of the last build, if it failed.
    error: Option<String>,
    /// The pages the preview rendered after a save, served from memory before `dist/` (so the
    /// edit is served before anything is written): by path under `dist/`, each with the edit
    /// that rendered it. Dropped once a full build that includes that edit is in `dist/`.
    pages: HashMap<String, (u64, Arc<Vec<u8>>)>,
}

/// Everything the watcher and the background builder share.
struct Served {
    opts: BuildOptions,
    state: Arc<Mutex<State>>,
    /// The last good full build's content and names, with every save rebuilt alone since; none
    /// after a full build failed, when every save rebuilds the whole site until one succeeds.
    preview: Mutex<Option<Preview>>,
    /// Rebuilds started, alone or full: a background build finished after a later save is not
    /// written over it.
    edits: AtomicU64,
    /// Held by whoever writes to `dist/`, taken before `preview` when both are.
    dist: Mutex<()>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Builds once, then serves and rebuilds until interrupted.
pub fn serve(opts: BuildOptions, port: u16) -> std::io::Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let addr = listener.local_addr()?;
    let state = Arc::new(Mutex::new(State::default()));
    let served = Arc::new(Served {
        opts: opts.clone(),
        state: Arc::clone(&state),
        preview: Mutex::new(None),
        edits: AtomicU64::new(0),
        dist: Mutex::new(()),
    });
    full_rebuild(&served);
    let (wanted, requests) = mpsc::channel::<()>();
    {
        let served = Arc::clone(&served);
        std::thread::spawn(move || {
            while requests.recv().is_ok() {
                background_rebuild(&served, &requests);
            }
        });
    }

    let (events, changes) = mpsc::channel();
    let mut watcher = recommended_watcher(events).map_err(std::io::Error::other)?;
    for dir in [&opts.content, &opts.theme] {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| std::io::Error::other(format!("cannot watch {}: {e}", dir.display())))?;
    }
    let calculator = wasm::workspace_root().join("calculator");
    // Only its sources: a change there needs a restart (when the WASM is part of the build and
    // not embedded in a released generator, which never compiles it).
    let calculator =
        (opts.wasm && !wasm::is_embedded() && calculator.is_dir()).then_some(calculator);
    if let Some(dir) = &calculator {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| std::io::Error::other(format!("cannot watch {}: {e}", dir.display())))?;
    }
    println!(
        "Serving {} at http://{addr}/ (Ctrl-C to stop)",
        opts.dist.display()
    );
    {
        let served = Arc::clone(&served);
        std::thread::spawn(move || {
            let _watching = watcher; // dropping it would stop the events
            let report = |e| eprintln!("Watching for changes failed: {e}");
            while let Some(batch) = watch::next_batch(&changes, report) {
                if crate::timings::enabled() {
                    let waited = batch.first.elapsed();
                    let at = std::time::SystemTime::now()
                        .checked_sub(waited)
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .unwrap_or_default();
                    eprintln!(
                        "timing: preview: first file event at {:.3} (Unix ms)",
                        at.as_secs_f64() * 1000.0
                    );
                    eprintln!(
                        "timing: preview: first file event to batch {:.1} ms",
                        waited.as_secs_f64() * 1000.0
                    );
                }
                if on_changes(&batch.events, &served, calculator.as_deref()) {
                    let _ = wanted.send(());
                }
            }
        });
    }
    for stream in listener.incoming().flatten() {
        let state = Arc::clone(&state);
        let dist = opts.dist.clone();
        std::thread::spawn(move || {
            let _ = respond(stream, &dist, &state);
        });
    }
    Ok(())
}

/// What a batch of file events asks for: the changed sources of the site (each with whether it
/// was removed), and the changed calculator sources.
#[derive(Debug, Default, PartialEq, Eq)]
struct Changes {
    /// Changed files under `content/` or the theme, with `true` when removed.
    site: Vec<(PathBuf, bool)>,
    /// Changed files under `calculator/`.
    calculator: Vec<PathBuf>,
}

/// Sorts a batch of events. Reads (access events: every build opens the content) are not
/// changes, and neither are editors' swap and backup files.
fn classify(events: &[Event], calculator: Option<&Path>) -> Changes {
    let mut changes = Changes::default();
    for event in events {
        if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
            continue;
        }
        // Deleted, or moved away (a rename's source: the file is no longer at this path).
        let removed = matches!(
            event.kind,
            EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From))
        );
        // A rename seen from both ends names the source, then the destination.
        let both = matches!(
            event.kind,
            EventKind::Modify(ModifyKind::Name(RenameMode::Both))
        );
        for (i, path) in event.paths.iter().enumerate() {
            let removed = removed || (both && i == 0);
            if is_editor_scratch(path) {
                continue;
            }
            if calculator.is_some_and(|c| path.starts_with(c)) {
                if !changes.calculator.contains(path) {
                    changes.calculator.push(path.clone());
                }
            } else if let Some(seen) = changes.site.iter_mut().find(|(p, _)| p == path) {
                // The last event on a path decides: deleted then written again is a save.
                seen.1 = removed;
            } else {
                changes.site.push((path.clone(), removed));
            }
        }
    }
    changes
}

/// Vim's `.file.swp` and `4913`, Emacs's `#file#` and `.#file`, `file~` backups.
fn is_editor_scratch(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name == "4913"
}

/// A changed path as the editor knows it: relative to the working directory when inside it
/// (`content/plan.yaml`), without `.` segments.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let path = path.strip_prefix(&cwd).unwrap_or(path);
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect::<PathBuf>()
        .display()
        .to_string()
}

/// Rebuilds what a batch of events asks for; true when only some pages were, and the full
/// build is to follow in the background.
fn on_changes(events: &[Event], served: &Served, calculator: Option<&Path>) -> bool {
    let changes = classify(events, calculator);
    if !changes.calculator.is_empty() {
        let shown: Vec<_> = changes.calculator.iter().map(|p| shown(p)).collect();
        println!(
            "Changed: {}\nThe calculator's WASM is built once, when serve starts: restart \
             `generator serve` to see this change.",
            shown.join(", ")
        );
    }
    if changes.site.is_empty() {
        return false;
    }
    let shown: Vec<_> = changes
        .site
        .iter()
        .map(|(p, removed)| {
            if *removed {
                format!("{} (removed)", shown(p))
            } else {
                shown(p)
            }
        })
        .collect();
    println!("Changed: {}", shown.join(", "));
    let started = Instant::now();
    let edit = served.edits.fetch_add(1, Ordering::SeqCst) + 1;
    let outcome = match lock(&served.preview).as_mut() {
        Some(preview) => preview.rebuild(&changes.site),
        None => Ok(Rebuilt::NotSimple),
    };
    match outcome {
        Ok(Rebuilt::Pages { document, pages }) => {
            {
                let mut s = lock(&served.state);
                for (path, bytes) in &pages {
                    s.pages
                        .insert(path.clone(), (edit, Arc::new(bytes.clone())));
                }
                s.generation += 1;
                s.error = None;
            }
            let serving = started.elapsed();
            crate::timings::time("preview: write to dist/", || {
                let _writing = lock(&served.dist);
                if let Err(e) = incremental::write(&served.opts.dist, &pages) {
                    // Served from memory all the same; the full build that follows writes them.
                    eprintln!("Error: {e}");
                }
            });
            println!(
                "Updated {} page(s) of {document} in {} ms; the search index and the other \
                 files made from the whole site follow",
                pages.len(),
                serving.as_millis()
            );
            true
        }
        // A mistake in the saved version: shown at once. The full build that follows reports
        // it with every other mistake, as `build` words them; the preview keeps the last good
        // text of that version, so the next save is rebuilt alone again.
        Err(e) => {
            println!("Error: {e}");
            let mut s = lock(&served.state);
            s.generation += 1;
            s.error = Some(e.to_string());
            true
        }
        Ok(Rebuilt::NotSimple) => {
            full_rebuild(served);
            false
        }
    }
}

/// Builds the whole site and writes it, then keeps what the next save needs.
fn full_rebuild(served: &Served) {
    let started = Instant::now();
    let edit = served.edits.fetch_add(1, Ordering::SeqCst) + 1;
    let result = generate(&served.opts);
    let _writing = lock(&served.dist);
    let result = result.and_then(|out| {
        write::write_atomically(&served.opts.dist, &out)?;
        Ok(out)
    });
    let preview = match &result {
        Ok(out) => Preview::after_build(&served.opts, out)
            .map_err(|e| eprintln!("The preview will rebuild the whole site on every save: {e}"))
            .ok(),
        Err(_) => None,
    };
    *lock(&served.preview) = preview;
    report(served, result, started, "", edit);
}

/// The full build after pages were updated on their own: the search index, open data, feeds
/// and sitemap of the edited site, and every check of the whole content. Dropped and started
/// again when another save came while it ran, so it never writes over a newer page. When it
/// fails the preview keeps its content (the last good build's, and every save since that its
/// own checks passed), so that the save that mends the mistake is rebuilt alone too.
fn background_rebuild(served: &Served, requests: &mpsc::Receiver<()>) {
    loop {
        while requests.try_recv().is_ok() {}
        let started_at = served.edits.load(Ordering::SeqCst);
        let started = Instant::now();
        let result = generate(&served.opts);
        let _writing = lock(&served.dist);
        if served.edits.load(Ordering::SeqCst) != started_at {
            continue;
        }
        let result = result.and_then(|out| {
            write::write_atomically(&served.opts.dist, &out)?;
            Ok(out)
        });
        if let (Ok(out), Some(preview)) = (&result, lock(&served.preview).as_mut()) {
            preview.names_from(out);
        }
        report(
            served,
            result,
            started,
            " (with the search index)",
            started_at,
        );
        return;
    }
}

/// Tells the pages and the terminal how a full build went.
fn report(
    served: &Served,
    result: Result<crate::render::Output, crate::error::BuildError>,
    started: Instant,
    what: &str,
    edit: u64,
) {
    let mut s = lock(&served.state);
    s.generation += 1;
    match result {
        Ok(out) => {
            // `dist/` now holds every page rendered alone up to this edit.
            s.pages.retain(|_, (rendered, _)| *rendered > edit);
            println!(
                "Rebuilt {} files{what} in {} ms",
                out.len(),
                started.elapsed().as_millis()
            );
            s.error = None;
        }
        Err(e) => {
            eprintln!("Error: {e}");
            s.error = Some(e.to_string());
        }
    }
}

fn respond(mut stream: TcpStream, dist: &Path, state: &Mutex<State>) -> std::io::Result<()> {
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let rel = path.trim_start_matches('/');
    let (generation, error, rendered) = {
        let s = state.lock().unwrap_or_else(|p| p.into_inner());
        let rendered = in_memory(&s.pages, rel);
        (s.generation, s.error.clone(), rendered)
    };
    if let Some(name) = path.strip_prefix(SERVE_PREFIX) {
        let generation = generation.to_string();
        let (ty, body) = match path {
            GENERATION_PATH => ("text/plain", generation.as_bytes()),
            _ if name == "reload.js" => (content_type("js"), RELOAD_JS.as_bytes()),
            _ if name == "serve.css" => (content_type("css"), SERVE_CSS.as_bytes()),
            _ => return send(&mut stream, 404, "text/plain", b"not found"),
        };
        return send(&mut stream, 200, ty, body);
    }
    // Only paths inside dist/: no `..` segments.
    if path.split('/').any(|seg| seg == "..") {
        return send(&mut stream, 400, "text/plain", b"bad path");
    }
    let (file, mut body) = match rendered {
        Some((file, bytes)) => (PathBuf::from(file), bytes.to_vec()),
        None => {
            let mut file = dist.join(rel);
            if file.is_dir() {
                file = file.join("index.html");
            }
            let Ok(body) = std::fs::read(&file) else {
                return send(&mut stream, 404, "text/plain", b"not found");
            };
            (file, body)
        }
    };
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext == "html" {
        body = with_preview(
            &String::from_utf8_lossy(&body),
            generation,
            error.as_deref(),
        )
        .into_bytes();
    }
    send(&mut stream, 200, content_type(ext), &body)
}

/// The page at `rel` (a URL path without its leading slash) among those rendered in memory: the
/// file itself, or the `index.html` of the folder it names.
fn in_memory(
    pages: &HashMap<String, (u64, Arc<Vec<u8>>)>,
    rel: &str,
) -> Option<(String, Arc<Vec<u8>>)> {
    let folder = rel.trim_end_matches('/');
    let index = if folder.is_empty() {
        "index.html".to_string()
    } else {
        format!("{folder}/index.html")
    };
    [rel.to_string(), index]
        .into_iter()
        .find_map(|p| pages.get(&p).map(|(_, bytes)| (p, Arc::clone(bytes))))
}

/// A page as the preview serves it: the banner's stylesheet in the head; the banner (when the
/// last build failed) and the reload script at the end of the body. No inline script or style.
fn with_preview(html: &str, generation: u64, error: Option<&str>) -> String {
    let banner = error
        .map(|e| {
            format!(
                "<pre class=\"serve-error\" role=\"alert\">{}</pre>",
                crate::render::text::escape(e)
            )
        })
        .unwrap_or_default();
    html.replacen(
        "</head>",
        &format!("<link rel=\"stylesheet\" href=\"{SERVE_PREFIX}serve.css\">\n</head>"),
        1,
    )
    .replacen(
        "</body>",
        &format!(
            "{banner}<script src=\"{SERVE_PREFIX}reload.js\" data-generation=\"{generation}\"></script>\n</body>"
        ),
        1,
    )
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

fn send(stream: &mut TcpStream, status: u16, ty: &str, body: &[u8]) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status} OK\r\nContent-Type: {ty}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{AccessKind, CreateKind, RemoveKind};
    use notify_debouncer_full::notify::Event;

    fn event(kind: EventKind, path: &str) -> Event {
        Event::new(kind).add_path(PathBuf::from(path))
    }

    #[test]
    fn a_deletion_or_a_move_away_is_a_removal_and_a_read_is_no_change() {
        let events = [
            event(EventKind::Access(AccessKind::Any), "/p/content/site.yaml"),
            event(EventKind::Remove(RemoveKind::File), "/p/content/units.yaml"),
            event(
                EventKind::Modify(ModifyKind::Any),
                "/p/themes/default/static/style.css",
            ),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::From)),
                "/p/content/glossary.yaml",
            ),
        ];
        let changes = classify(&events, Some(Path::new("/p/calculator")));
        assert_eq!(
            changes.site,
            [
                (PathBuf::from("/p/content/units.yaml"), true),
                (PathBuf::from("/p/themes/default/static/style.css"), false),
                (PathBuf::from("/p/content/glossary.yaml"), true),
            ]
        );
        assert!(changes.calculator.is_empty());
    }

    #[test]
    fn a_calculator_change_is_kept_apart_and_editor_scratch_files_are_ignored() {
        let events = [
            event(
                EventKind::Modify(ModifyKind::Any),
                "/p/calculator/src/lib.rs",
            ),
            event(
                EventKind::Create(CreateKind::File),
                "/p/content/.plan.yaml.swp",
            ),
            event(EventKind::Create(CreateKind::File), "/p/content/4913"),
            event(EventKind::Modify(ModifyKind::Any), "/p/content/plan.yaml~"),
        ];
        let changes = classify(&events, Some(Path::new("/p/calculator")));
        assert_eq!(
            changes.calculator,
            [PathBuf::from("/p/calculator/src/lib.rs")]
        );
        assert!(changes.site.is_empty());
    }

    #[test]
    fn a_file_removed_then_written_again_is_a_save() {
        let events = [
            event(EventKind::Remove(RemoveKind::File), "/p/content/plan.yaml"),
            event(EventKind::Create(CreateKind::File), "/p/content/plan.yaml"),
        ];
        let changes = classify(&events, None);
        assert_eq!(
            changes.site,
            [(PathBuf::from("/p/content/plan.yaml"), false)]
        );
    }

    #[test]
    fn the_preview_adds_no_inline_script_or_style() {
        let page = "<html><head><meta charset=\"utf-8\"></head><body><p>x</p></body></html>";
        let served = with_preview(page, 7, Some("content/plan.yaml:3: <bad>"));
        assert!(served.contains("<link rel=\"stylesheet\" href=\"/__serve/serve.css\">\n</head>"));
        assert!(served.contains(
            "<pre class=\"serve-error\" role=\"alert\">content/plan.yaml:3: &lt;bad&gt;</pre>"
        ));
        assert!(served.contains("<script src=\"/__serve/reload.js\" data-generation=\"7\">"));
        assert!(!served.contains("style="));
        assert!(!served.contains("<script>"));
        assert!(!with_preview(page, 7, None).contains("serve-error"));
    }
}
