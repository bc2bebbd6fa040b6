//! `generator`: build the site, list the rules, estimate a scenario.

use std::path::PathBuf;
use std::process::ExitCode;

use generator::{build, BuildOptions};

const USAGE: &str = "usage: generator <command>

commands:
  build                 load content/, check it, and write the site to dist/
  check                 load and check content/ without writing anything";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    match args.first().map(String::as_str) {
        Some("build") => {
            let opts = BuildOptions::in_project(&root);
            let started = std::time::Instant::now();
            match build(&opts) {
                Ok(r) => {
                    println!(
                        "Built {} files ({} KB) into {} in {} ms",
                        r.files,
                        r.bytes / 1024,
                        opts.dist.display(),
                        started.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("Error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("check") => match generator::load_valid(&root.join("content")) {
            Ok(_) => {
                println!("content/ is valid");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("Error: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The project root: `GENERATOR_ROOT` if set (tests build copies of the content), else the
/// current directory.
fn project_root() -> PathBuf {
    std::env::var_os("GENERATOR_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}
