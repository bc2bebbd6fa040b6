//! Times the preview's rebuild of one document (`serve`'s incremental path) on a project root
//! without building the whole site first: a library too large to build in the time at hand can
//! still be measured here. Loads the content as `serve` keeps it, then adds a word to the
//! English of the first clause of DOC's newest version (`plan.yaml` or `text.yaml`, as
//! bench/preview/bench.mjs does) N times, and prints the time of each rebuild (read, check,
//! render into memory, as `serve` serves it) and of writing the pages into ROOT/dist-preview/.
//! With `GENERATOR_TIMINGS=1` each phase of the rebuild is printed too.
//!
//!   cargo run --release -p generator --example preview_apply -- ROOT DOC [N]
//!
//! `bench/preview/run` measures the whole path from the write to the first byte served,
//! file events and the debounce included.

use std::path::PathBuf;
use std::time::Instant;

use generator::serve::incremental::{self, Preview, Rebuilt};
use generator::BuildOptions;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(root), Some(doc)) = (args.first(), args.get(1)) else {
        eprintln!("usage: preview_apply ROOT DOC [N]");
        std::process::exit(2);
    };
    let n: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(5);
    let root = PathBuf::from(root);
    let mut opts = BuildOptions::in_project(&root);
    opts.wasm = false;
    opts.dist = root.join("dist-preview");
    let vdir = opts.content.join("documents").join(doc).join("versions");
    let mut dates: Vec<PathBuf> = std::fs::read_dir(&vdir)
        .expect("the document has versions")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    dates.sort();
    let version = dates.last().expect("a version");
    let plan = [version.join("plan.yaml"), version.join("text.yaml")]
        .into_iter()
        .find(|p| p.is_file())
        .expect("an action plan's plan.yaml or a clause text's text.yaml");
    let original = std::fs::read_to_string(&plan).expect("the version's text");
    // The English of the first clause text: the `en:` line two lines after a `text:`.
    let lines: Vec<&str> = original.split('\n').collect();
    let at = (2..lines.len())
        .find(|&i| {
            let l = lines[i].trim();
            l.starts_with("en: \"") && l.ends_with('"') && lines[i - 2].trim() == "text:"
        })
        .expect("a clause text with a quoted en: line");

    let started = Instant::now();
    let mut preview = Preview::after_build(&opts, &Default::default()).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    println!("loaded in {} ms", started.elapsed().as_millis());
    let mut times = Vec::new();
    for k in 0..n {
        let mut edited = lines.clone();
        let line = format!(
            "{} previewmark{}\"",
            lines[at].trim_end().trim_end_matches('"'),
            char::from(b'a' + (k % 26) as u8)
        );
        edited[at] = &line;
        std::fs::write(&plan, edited.join("\n")).unwrap();
        let started = Instant::now();
        let outcome = preview.rebuild(&[(plan.clone(), false)]);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match outcome {
            Ok(Rebuilt::Pages { pages, .. }) => {
                let started = Instant::now();
                let written = incremental::write(&opts.dist, &pages).unwrap();
                println!(
                    "edit {}: {} page(s) rendered in {ms:.1} ms, {} written in {:.1} ms",
                    k + 1,
                    pages.len(),
                    written.len(),
                    started.elapsed().as_secs_f64() * 1000.0
                )
            }
            other => {
                std::fs::write(&plan, &original).unwrap();
                panic!("not rebuilt alone: {other:?}")
            }
        }
        times.push(ms);
    }
    std::fs::write(&plan, &original).unwrap();
    times.sort_by(f64::total_cmp);
    println!("median rebuild {:.1} ms over {n} edits", times[n / 2]);
}
