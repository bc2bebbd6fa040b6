//! `generator`: build the site, check the content, preview it, list the rules, estimate a
//! scenario. Only parses arguments (clap) and words each command's outcome; the work is in the
//! library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use calculator::Lang;
use clap::builder::PossibleValue;
use clap::{Parser, Subcommand, ValueEnum};
use generator::commands::{Format, VersionChoice};
use generator::error::{build_failure, BuildError};
use generator::model::Date;
use generator::BuildOptions;

/// Builds the bilingual site of Taizhou's cross-border e-commerce policy from `content/` and
/// estimates the subsidies a scenario may receive.
#[derive(Debug, Parser)]
#[command(
    name = "generator",
    version,
    after_help = "Run it in the project's root folder, or set GENERATOR_ROOT to that folder."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load content/, check it, and write the site to dist/ (replaced only if all succeeds).
    ///
    /// Says which pages were added, changed and removed against the previous dist/.
    Build {
        /// The build date (YYYY-MM-DD): which version is current and the status shown without
        /// JavaScript. Default: SOURCE_DATE_EPOCH, else today.
        #[arg(long)]
        date: Option<String>,
    },
    /// Run every check of `build` without writing: every mistake in content/ at once.
    ///
    /// Loads, validates, checks the worked examples against the engine and renders every page
    /// in memory, as `build` does; only the calculator's WASM (code, not content) is not
    /// compiled and nothing is written.
    Check {
        /// The build date (YYYY-MM-DD), as for `build`.
        #[arg(long)]
        date: Option<String>,
    },
    /// Scaffold a new version of a document from its latest: copies
    /// content/documents/DOC/versions/<latest>/ to versions/DATE/, to be edited into the
    /// re-issued text.
    NewVersion {
        /// The document's id (its folder in content/documents/).
        doc: String,
        /// The date the new version takes effect, YYYY-MM-DD.
        date: String,
    },
    /// Build, serve dist/ on 127.0.0.1, rebuild and reload on every save.
    Serve {
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// List every subsidy id with who may claim it and its inputs.
    Rules {
        /// The language of the names.
        #[arg(long, value_enum, default_value_t = LangArg(Lang::En))]
        lang: LangArg,
    },
    /// The upper-bound support a scenario may receive, line by line.
    Estimate {
        /// The scenario file, YAML or JSON (see examples/scenarios/).
        scenario: PathBuf,
        /// How to print the estimate.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The language of the text format.
        #[arg(long, value_enum, default_value_t = LangArg(Lang::En))]
        lang: LangArg,
        /// Estimate under the version in force on this day, YYYY-MM-DD (default: today in
        /// China, from SOURCE_DATE_EPOCH when set).
        #[arg(long, value_parser = parse_date, conflicts_with = "version")]
        date: Option<Date>,
        /// Estimate under the version taking effect on this date, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date)]
        version: Option<Date>,
        /// Also show each line under the previous version, and the difference.
        #[arg(long)]
        compare: bool,
    },
}

/// A date argument, `YYYY-MM-DD`.
fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("expected a date as YYYY-MM-DD, found `{s}`"))
}

/// A language as a command-line value, spelled as everywhere else by [`Lang::code`].
#[derive(Debug, Clone, Copy)]
struct LangArg(Lang);

/// The values `--lang` accepts, in the site's order.
static LANGS: [LangArg; 2] = [LangArg(Lang::Zh), LangArg(Lang::En)];

impl ValueEnum for LangArg {
    fn value_variants<'a>() -> &'a [Self] {
        &LANGS
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.code()))
    }
}

/// mimalloc rather than the system's allocator: the build allocates and frees millions of small
/// strings on several threads (see generator/Cargo.toml for the measurement).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = project_root();
    let mut opts = BuildOptions::in_project(&root);
    // jieba's cuts are filed beside the calculator's WASM, so a warm build loads no dictionary.
    generator::cuts::remember_in(generator::wasm::workspace_root().join("target/jieba"));
    if let Err(e) = find_project(&opts) {
        return fail(&e.to_string(), &e);
    }
    if let Command::Build { date: Some(d) } | Command::Check { date: Some(d) } = &cli.command {
        match generator::model::Date::parse(d) {
            Some(d) => opts.today = d,
            None => {
                let e = BuildError::Usage(format!("--date `{d}`: expected YYYY-MM-DD"));
                return fail(&e.to_string(), &e);
            }
        }
    }
    match cli.command {
        Command::NewVersion { doc, date } => {
            match generator::editors::new_version(&opts.content, &doc, &date) {
                Ok(dir) => {
                    println!(
                        "Created {}: a copy of the latest version. Replace source.txt with the re-issued text, \
                         update repairs.yaml, edit the changed clauses (both languages, and their figures), \
                         then run `generator check`.",
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_string(), &e),
            }
        }
        Command::Build { .. } => {
            let started = std::time::Instant::now();
            match generator::build(&opts) {
                Ok(r) => {
                    println!(
                        "Built {} files ({} KB) into {} in {} ms",
                        r.files,
                        r.bytes / 1024,
                        opts.dist.display(),
                        started.elapsed().as_millis()
                    );
                    println!("{}", r.changes.describe(20));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&build_failure(&e, &opts.dist), &e),
            }
        }
        Command::Check { .. } => match generator::check(&opts) {
            Ok(r) => {
                println!(
                    "{} is valid: a build would write {} files ({} KB); nothing was written.",
                    folder(&opts.content),
                    r.files,
                    r.bytes / 1024
                );
                println!("{}", r.changes.describe(20));
                ExitCode::SUCCESS
            }
            Err(e) => fail(&failure("cannot check the site", &opts, &e), &e),
        },
        Command::Serve { port } => match generator::serve::serve(opts, port) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("Error: cannot serve: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Rules { lang } => match generator::commands::ruleset(&opts.content) {
            Ok(rules) => print_out(&generator::commands::list_rules(&rules, lang.0)),
            Err(e) => fail(&failure("cannot list the rules", &opts, &e), &e),
        },
        Command::Estimate {
            scenario,
            format,
            lang,
            date,
            version,
            compare,
        } => {
            let choice = date
                .map(VersionChoice::Date)
                .or(version.map(VersionChoice::Version));
            let result = generator::commands::read_scenario(&scenario)
                .map_err(BuildError::from)
                .and_then(|s| {
                    let (c, v) = generator::commands::version_rules(&opts.content)?;
                    let today = generator::commands::today_in_china();
                    let chosen = generator::commands::choose(&v, choice, today)?;
                    generator::commands::estimate_under(
                        &c, &v, &chosen, &s, compare, format, lang.0,
                    )
                });
            match result {
                // The estimate is printed either way; an input error makes the exit code say
                // that its totals leave lines out.
                Ok(out) if !out.input_errors.is_empty() => {
                    print_out(&out.text);
                    eprintln!(
                        "Error: {} input(s) of the scenario {} cannot be used; the lines that have them are left out of the totals:",
                        out.input_errors.len(),
                        scenario.display()
                    );
                    for e in &out.input_errors {
                        eprintln!("  {e}");
                    }
                    ExitCode::FAILURE
                }
                Ok(out) => print_out(&out.text),
                Err(e @ BuildError::Scenario(_)) => fail(&e.to_string(), &e),
                Err(e) => fail(&failure("cannot estimate", &opts, &e), &e),
            }
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

/// Every command reads `content/`: without it the command was run in the wrong place, which
/// is a usage mistake, not nine missing files.
fn find_project(opts: &BuildOptions) -> Result<(), BuildError> {
    if opts.content.is_dir() {
        return Ok(());
    }
    Err(BuildError::Usage(format!(
        "there is no {} folder: run generator in the project's root folder, or set \
         GENERATOR_ROOT to it",
        folder(&opts.content)
    )))
}

/// How a command other than `build` words a failure: mistakes in the content are the
/// content's, anything else is the command's.
fn failure(what: &str, opts: &BuildOptions, e: &BuildError) -> String {
    match e {
        BuildError::Content(_) => format!("{} is not valid: {e}", folder(&opts.content)),
        _ => format!("{what}: {e}"),
    }
}

/// A folder as the user knows it: `content/`, not `./content`.
fn folder(p: &Path) -> String {
    let p = p.strip_prefix(".").unwrap_or(p);
    format!("{}/", p.display())
}

fn fail(message: &str, e: &BuildError) -> ExitCode {
    eprintln!("Error: {message}");
    ExitCode::from(e.exit_code())
}

/// Prints a command's output, ending with one newline.
fn print_out(out: &str) -> ExitCode {
    print!("{out}");
    if !out.ends_with('\n') {
        println!();
    }
    ExitCode::SUCCESS
}
