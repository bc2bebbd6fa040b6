//! `generator`: build the site, list the rules, estimate a scenario.

use std::path::PathBuf;
use std::process::ExitCode;

use calculator::Lang;
use generator::commands::Format;
use generator::error::BuildError;
use generator::{build, BuildOptions};

const USAGE: &str = "usage: generator <command>

commands:
  build                 load content/, check it, and write the site to dist/
  check                 load and check content/ without writing anything
  serve [--port N]      build, serve dist/ on 127.0.0.1, rebuild and reload on every save
  rules [--lang zh|en]  list every subsidy id with its inputs
  estimate SCENARIO.yaml [--format text|json] [--lang zh|en]
                        the upper-bound support a scenario may receive, line by line";

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
        Some("serve") => {
            let port = flag(&args, "--port")
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            match generator::serve::serve(BuildOptions::in_project(&root), port) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("Error: cannot serve: {e}");
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
        Some("rules") => {
            let lang = flag(&args, "--lang").map_or(Ok(Lang::En), parse_lang);
            run(lang.and_then(|lang| {
                let rules = generator::commands::ruleset(&root.join("content"))?;
                Ok(generator::commands::list_rules(&rules, lang))
            }))
        }
        Some("estimate") => {
            let Some(path) = args.get(1).filter(|a| !a.starts_with("--")) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            let format = match flag(&args, "--format").as_deref() {
                None | Some("text") => Format::Text,
                Some("json") => Format::Json,
                Some(other) => {
                    eprintln!("Error: unknown format `{other}`: expected `text` or `json`");
                    return ExitCode::from(2);
                }
            };
            let lang = flag(&args, "--lang").map_or(Ok(Lang::En), parse_lang);
            run(lang.and_then(|lang| {
                let rules = generator::commands::ruleset(&root.join("content"))?;
                let scenario = generator::commands::read_scenario(&PathBuf::from(path))?;
                generator::commands::estimate(&rules, &scenario, format, lang)
            }))
        }
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

/// The value after a `--flag`, if given.
fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn parse_lang(s: String) -> Result<Lang, BuildError> {
    match s.as_str() {
        "zh" => Ok(Lang::Zh),
        "en" => Ok(Lang::En),
        other => Err(BuildError::Io(format!(
            "unknown language `{other}`: expected `zh` or `en`"
        ))),
    }
}

/// Prints a command's output, or its error, and sets the exit code.
fn run(result: Result<String, BuildError>) -> ExitCode {
    match result {
        Ok(out) => {
            print!("{out}");
            if !out.ends_with('\n') {
                println!();
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Error: {e}");
            ExitCode::FAILURE
        }
    }
}
