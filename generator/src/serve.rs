//! `generator serve`: a live preview for editors. It builds, serves `dist/` on loopback, watches
//! `content/` and the theme, rebuilds on save, reloads open pages, and shows a failed build as
//! a banner over the last good pages instead of stopping (as `zola serve` does).
//!
//! Saves are seen as file events (notify, grouped by its debouncer), deletions included. A save
//! of one version of one document re-renders only that document's pages and serves them at once
//! ([`incremental`]); the search index and the other files made from the whole site follow from
//! a full build in the background. Any other change rebuilds the whole site. The
//! calculator's WASM is built once, at start: a content or theme save cannot change it, so a
//! rebuild reuses it (see `wasm::build_calculator`); a change under `calculator/` is reported
//! with a request to restart. The reload script and the error banner's style are files served
//! beside the site (never written to `dist/`), so the preview runs under the site's
//! Content-Security-Policy.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{ModifyKind, RenameMode};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, DebouncedEvent};

use crate::{generate, wasm, write, BuildOptions};

pub mod incremental;

use incremental::{Outcome, Preview};

/// How long the watcher waits for a burst of file events (an editor's save, a `git checkout`)
/// to end before rebuilding once. Short: a save is one write, and the edit is to be served
/// again within 100 ms (issue 12); events that arrive while a rebuild runs are taken together
/// by the next one.
const DEBOUNCE: Duration = Duration::from_millis(20);

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
}

/// The served site: what the preview keeps of the last build, and a count of the rebuilds
/// started, so that a background build finished after a later save is not written over it.
/// Whoever writes to `dist/` holds its lock.
#[derive(Default)]
struct Site {
    /// The last good build's content and names; none after a failed build, when every save
    /// rebuilds the whole site until one succeeds.
    preview: Option<Preview>,
    /// Rebuilds started, incremental or full.
    edits: u64,
}

/// Everything the watcher and the background builder share.
struct Served {
    opts: BuildOptions,
    state: Arc<Mutex<State>>,
    site: Mutex<Site>,
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
        site: Mutex::new(Site::default()),
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

    let (events, changes) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, events).map_err(std::io::Error::other)?;
    for dir in [&opts.content, &opts.theme] {
        debouncer
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| std::io::Error::other(format!("cannot watch {}: {e}", dir.display())))?;
    }
    let calculator = wasm::workspace_root().join("calculator");
    // Only its sources: a change there needs a restart (when the WASM is part of the build and
    // not embedded in a released generator, which never compiles it).
    let calculator =
        (opts.wasm && !wasm::is_embedded() && calculator.is_dir()).then_some(calculator);
    if let Some(dir) = &calculator {
        debouncer
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
            let _watching = debouncer; // dropping it would stop the events
            while let Ok(first) = changes.recv() {
                // The batches that came while the last rebuild ran, taken as one.
                let mut events = Vec::new();
                for batch in std::iter::once(first).chain(changes.try_iter()) {
                    match batch {
                        Ok(batch) => events.extend(batch),
                        Err(errors) => {
                            for e in errors {
                                eprintln!("Watching for changes failed: {e}");
                            }
                        }
                    }
                }
                if on_changes(&events, &served, calculator.as_deref()) {
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
fn classify(events: &[DebouncedEvent], calculator: Option<&Path>) -> Changes {
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
        for path in &event.paths {
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
fn on_changes(events: &[DebouncedEvent], served: &Served, calculator: Option<&Path>) -> bool {
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
    let outcome = {
        let mut site = lock(&served.site);
        site.edits += 1;
        match site.preview.as_mut() {
            Some(preview) => preview.apply(&changes.site),
            None => Ok(Outcome::NotSimple),
        }
    };
    match outcome {
        Ok(Outcome::Pages { document, written }) => {
            let mut s = lock(&served.state);
            s.generation += 1;
            s.error = None;
            println!(
                "Updated {} page(s) of {document} in {} ms; the search index and the other \
                 files made from the whole site follow",
                written.len(),
                started.elapsed().as_millis()
            );
            true
        }
        // A mistake is reported by the full build, with every other mistake, as `build`
        // reports them.
        Ok(Outcome::NotSimple) | Err(_) => {
            full_rebuild(served);
            false
        }
    }
}

/// Builds the whole site and writes it, then keeps what the next save needs.
fn full_rebuild(served: &Served) {
    let started = Instant::now();
    let result = generate(&served.opts);
    let mut site = lock(&served.site);
    site.edits += 1;
    let result = result.and_then(|out| {
        write::write_atomically(&served.opts.dist, &out)?;
        Ok(out)
    });
    if let Ok(out) = &result {
        site.preview = Preview::after_build(&served.opts, out)
            .map_err(|e| eprintln!("The preview will rebuild the whole site on every save: {e}"))
            .ok();
    } else {
        site.preview = None;
    }
    report(served, result, started, "");
}

/// The full build after pages were updated on their own: the search index, open data, feeds
/// and sitemap of the edited site. Dropped and started again when another save came while it
/// ran, so it never writes over a newer page.
fn background_rebuild(served: &Served, requests: &mpsc::Receiver<()>) {
    loop {
        while requests.try_recv().is_ok() {}
        let started_at = lock(&served.site).edits;
        let started = Instant::now();
        let result = generate(&served.opts);
        let mut site = lock(&served.site);
        if site.edits != started_at {
            continue;
        }
        let result = result.and_then(|out| {
            write::write_atomically(&served.opts.dist, &out)?;
            Ok(out)
        });
        match &result {
            Ok(out) => {
                if let Some(preview) = site.preview.as_mut() {
                    preview.names_from(out);
                }
            }
            Err(_) => site.preview = None,
        }
        report(served, result, started, " (with the search index)");
        return;
    }
}

/// Tells the pages and the terminal how a full build went.
fn report(
    served: &Served,
    result: Result<crate::render::Output, crate::error::BuildError>,
    started: Instant,
    what: &str,
) {
    let mut s = lock(&served.state);
    s.generation += 1;
    match result {
        Ok(out) => {
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
    let (generation, error) = {
        let s = state.lock().unwrap_or_else(|p| p.into_inner());
        (s.generation, s.error.clone())
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
    let mut file = dist.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let Ok(mut body) = std::fs::read(&file) else {
        return send(&mut stream, 404, "text/plain", b"not found");
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

    fn event(kind: EventKind, path: &str) -> DebouncedEvent {
        DebouncedEvent::new(
            Event::new(kind).add_path(PathBuf::from(path)),
            Instant::now(),
        )
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
