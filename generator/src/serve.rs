//! `generator serve`: a live preview for editors. It builds, serves `dist/` on loopback, watches
//! `content/` and the theme, rebuilds on save, reloads open pages, and shows a failed build as
//! a banner over the last good pages instead of stopping (as `zola serve` does).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::{build, BuildOptions};

/// What the server knows about the latest build.
#[derive(Debug, Default)]
struct State {
    /// Increases on every build attempt; pages poll it to know when to reload.
    generation: u64,
    /// The error of the last build, if it failed.
    error: Option<String>,
}

/// Builds once, then serves and rebuilds until interrupted.
pub fn serve(opts: BuildOptions, port: u16) -> std::io::Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let addr = listener.local_addr()?;
    let state = Arc::new(Mutex::new(State::default()));
    rebuild(&opts, &state);
    println!(
        "Serving {} at http://{addr}/ (Ctrl-C to stop)",
        opts.dist.display()
    );
    let watched = vec![opts.content.clone(), opts.theme.clone()];
    {
        let state = Arc::clone(&state);
        let opts = opts.clone();
        std::thread::spawn(move || {
            let mut last = newest_change(&watched);
            loop {
                std::thread::sleep(Duration::from_millis(400));
                let now = newest_change(&watched);
                if now != last {
                    last = now;
                    rebuild(&opts, &state);
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

fn rebuild(opts: &BuildOptions, state: &Mutex<State>) {
    let started = std::time::Instant::now();
    let result = build(opts);
    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
    s.generation += 1;
    match result {
        Ok(r) => {
            println!(
                "Rebuilt {} files in {} ms",
                r.files,
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

/// The newest modification time below the watched folders (polling: no watcher crate needed
/// for a few dozen files).
fn newest_change(dirs: &[PathBuf]) -> Option<SystemTime> {
    fn walk(d: &Path, newest: &mut Option<SystemTime>) {
        let Ok(entries) = std::fs::read_dir(d) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, newest);
            } else if let Ok(t) = e.metadata().and_then(|m| m.modified()) {
                if newest.is_none_or(|n| t > n) {
                    *newest = Some(t);
                }
            }
        }
    }
    let mut newest = None;
    for d in dirs {
        walk(d, &mut newest);
    }
    newest
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
    if path == "/__generation" {
        return send(
            &mut stream,
            200,
            "text/plain",
            generation.to_string().as_bytes(),
        );
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
        let banner = error
            .map(|e| {
                format!(
                    "<pre style=\"position:fixed;inset:0 0 auto 0;z-index:99;margin:0;padding:1rem;background:#a4161a;color:#fff;white-space:pre-wrap;max-height:60vh;overflow:auto\">{}</pre>",
                    crate::render::text::escape(&e)
                )
            })
            .unwrap_or_default();
        let script = format!(
            "<script>setInterval(function(){{fetch('/__generation').then(function(r){{return r.text()}}).then(function(g){{if(g!=='{generation}')location.reload()}})}},700)</script>"
        );
        let html = String::from_utf8_lossy(&body).replacen(
            "</body>",
            &format!("{banner}{script}</body>"),
            1,
        );
        body = html.into_bytes();
    }
    send(&mut stream, 200, content_type(ext), &body)
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
