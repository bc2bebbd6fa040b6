//! The static-site generator: load `content/` → validate → build the rule set → render → write
//! `dist/` atomically. The binary in `main.rs` only parses arguments and calls into here.

pub mod commands;
pub mod error;
pub mod headers;
pub mod load;
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
pub fn load_valid(content: &Path) -> Result<load::Content, BuildError> {
    let c = load::load(content)?;
    let errors = validate::validate(&c);
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    Ok(c)
}

/// A summary of a finished build.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: usize,
}

/// Builds the whole site into `opts.dist`; on any error the previous `dist/` is untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let content = load_valid(&opts.content)?;
    let string_errors = render::check_strings(&opts.theme, &content);
    if !string_errors.is_empty() {
        return Err(BuildError::Content(string_errors));
    }
    let rules = ruleset::build_ruleset(&content)?;
    let tera = render::load_theme(&opts.theme)?;
    let ctx = render::RenderContext {
        content: &content,
        today: opts.today,
        extra_nav: vec![("calculator/", "nav_calculator"), ("search/", "nav_search")],
        site_url: opts.site_url.clone(),
    };
    let mut out = render::render_site(&tera, &ctx)?;
    out.append(&mut search::build(&tera, &ctx)?);
    let json = serde_json::to_vec_pretty(&rules)
        .map_err(|e| BuildError::Io(format!("cannot serialise the rule set: {e}")))?;
    out.insert("rules.json".into(), json);
    out.append(&mut render::calculator::render_calculator(
        &tera, &ctx, &rules, opts.wasm,
    )?);
    if opts.wasm {
        out.extend(wasm::build_calculator(&wasm::workspace_root())?);
    }
    write::copy_static(&opts.theme.join("static"), &mut out)?;
    headers::add_headers_file(&mut out)?;
    let bytes = out.values().map(Vec::len).sum();
    let files = out.len();
    write::write_atomically(&opts.dist, &out)?;
    Ok(BuildReport { files, bytes })
}
