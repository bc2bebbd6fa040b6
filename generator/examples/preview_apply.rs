//! Times the preview's rebuild of one document (`serve`'s incremental path) on a project root
//! without building the whole site first: a library too large to build in the time at hand can
//! still be measured here. Loads the content as `serve` keeps it, then adds a word to the
//! English of the first task of DOC's newest version N times, and prints the time of each
//! rebuild (read, check, render, write the pages into ROOT/dist-preview/).
//!
//!   cargo run --release -p generator --example preview_apply -- ROOT DOC [N]
//!
//! `bench/preview/run` measures the whole path from the write to the first byte served,
//! file events and the debounce included.

use std::path::PathBuf;
use std::time::Instant;

use generator::serve::incremental::{Outcome, Preview};
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
    let plan = dates.last().expect("a version").join("plan.yaml");
    let original = std::fs::read_to_string(&plan).expect("an action plan's plan.yaml");

    let started = Instant::now();
    let mut preview = Preview::after_build(&opts, &Default::default()).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    println!("loaded in {} ms", started.elapsed().as_millis());
    let from = "brands.\"";
    assert!(
        original.contains(from),
        "task-3's English ends in `brands.`"
    );
    let mut times = Vec::new();
    for k in 0..n {
        let marker = format!("brands previewmark{}.\"", char::from(b'a' + (k % 26) as u8));
        std::fs::write(&plan, original.replacen(from, &marker, 1)).unwrap();
        let started = Instant::now();
        let outcome = preview.apply(&[(plan.clone(), false)]);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match outcome {
            Ok(Outcome::Pages { written, .. }) => {
                println!("edit {}: {} page(s) in {ms:.1} ms", k + 1, written.len())
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
    println!("median {:.1} ms over {n} edits", times[n / 2]);
}
