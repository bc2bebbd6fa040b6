//! The static-site generator: load `content/` → derive the library (numbers, labels, units by
//! id, what reaches what: [`library::Library`]) → validate → build the rule set → render →
//! write `dist/` atomically. The binary in `main.rs` only parses arguments and calls into here.

pub mod commands;
pub mod error;
pub mod headers;
pub mod library;
pub mod load;
pub mod markdown;
pub mod model;
pub mod numbering;
pub mod render;
pub mod ruleset;
pub mod search;
pub mod serve;
pub mod validate;
pub mod wasm;
pub mod write;

use std::path::{Path, PathBuf};

use error::BuildError;
use model::Date;

/// Where a build reads from and writes to.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The content folder.
    pub content: PathBuf,
    /// The theme folder (templates and static files).
    pub theme: PathBuf,
    /// The output folder, replaced only when the build succeeds.
    pub dist: PathBuf,
    /// The build date, for the validity status; from `SOURCE_DATE_EPOCH` when set.
    pub today: Date,
    /// Also compile the calculator to WASM (off in tests that build copies of the content).
    pub wasm: bool,
    /// Where the site will be served, from `SITE_URL` (absolute `hreflang` links need it).
    pub site_url: Option<String>,
}

impl BuildOptions {
    /// The standard layout below a project root.
    pub fn in_project(root: &Path) -> Self {
        BuildOptions {
            content: root.join("content"),
            theme: root.join("themes/default"),
            dist: root.join("dist"),
            today: build_date(),
            wasm: true,
            site_url: std::env::var("SITE_URL")
                .ok()
                .filter(|u| !u.trim().is_empty())
                .map(|u| format!("{}/", u.trim().trim_end_matches('/'))),
        }
    }
}

/// The build date: `SOURCE_DATE_EPOCH` if set (reproducible builds), else the clock.
pub fn build_date() -> Date {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    Date::from_unix(secs)
}

/// Loads and validates the content: every mistake found is returned, with file and line.
/// (The worked examples are checked against the engine later, by [`generate`], which has the
/// rule set.)
pub fn load_valid(content: &Path) -> Result<load::Content, BuildError> {
    let c = load::load(content)?;
    let errors = validation_errors(&library::Library::new(&c));
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    Ok(c)
}

/// The validate stage: every check of the loaded content that needs no rule set.
fn validation_errors(lib: &library::Library) -> Vec<error::ContentError> {
    let mut errors = validate::validate(lib);
    errors.extend(load::extras::check(lib.content));
    errors
}

/// A summary of a finished build.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: usize,
}

/// Builds the whole site into `opts.dist`; on any error the previous `dist/` is untouched, or
/// the error says what it holds instead ([`error::WriteError`]).
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let out = generate(opts)?;
    let report = BuildReport {
        files: out.len(),
        bytes: out.values().map(Vec::len).sum(),
    };
    write::write_atomically(&opts.dist, &out)?;
    Ok(report)
}

/// Runs everything [`build`] runs except compiling the calculator's WASM (code, not content:
/// minutes, and nothing an editor's change can break) and writing: every page is rendered in
/// memory and thrown away. Reports the files a build would write.
pub fn check(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let out = generate(&BuildOptions {
        wasm: false,
        ..opts.clone()
    })?;
    Ok(BuildReport {
        files: out.len(),
        bytes: out.values().map(Vec::len).sum(),
    })
}

/// The site's files, by path under `dist/`: load, validate (every mistake of the content and
/// of the interface words at once), build the rule set, check the worked examples against it,
/// render, index.
pub fn generate(opts: &BuildOptions) -> Result<render::Output, BuildError> {
    let content = load::load(&opts.content)?;
    // Every derived fact (numbers, labels, units by id, what reaches what), worked out once
    // and read by validation, the rule set, the pages and the search index alike.
    let library = library::Library::new(&content);
    let mut errors = validation_errors(&library);
    errors.extend(render::check_strings(&opts.theme, &content));
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    let mut rules = ruleset::build_ruleset(&library)?;
    let errors = load::extras::check_examples(&content, &rules);
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    ruleset::readings_as_html(&mut rules, &content);
    let tera = render::load_theme(&opts.theme)?;
    let ctx = render::RenderContext {
        content: &content,
        library: &library,
        today: opts.today,
        extra_nav: vec![("calculator/", "nav_calculator"), ("search/", "nav_search")],
        site_url: opts.site_url.clone(),
    };
    let mut out = render::render_site(&tera, &ctx)?;
    render::merge(&mut out, search::build(&tera, &ctx)?, "the search stage")?;
    let json = serde_json::to_vec_pretty(&rules).map_err(|source| BuildError::Json {
        what: "the rule set",
        source,
    })?;
    out.insert("rules.json".into(), json);
    let calculator = render::calculator::render_calculator(&tera, &ctx, &rules, opts.wasm)?;
    render::merge(&mut out, calculator, "the calculator stage")?;
    if opts.wasm {
        let app = wasm::build_calculator(&wasm::workspace_root())?;
        render::merge(&mut out, app.into_iter().collect(), "the WASM stage")?;
    }
    write::copy_static(&opts.theme.join("static"), &mut out)?;
    headers::add_headers_file(&mut out)?;
    Ok(out)
}
