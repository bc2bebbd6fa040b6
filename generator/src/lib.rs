//! The static-site generator: load `content/` → derive the library (numbers, labels, units by
//! id, what reaches what: [`library::Library`]) → validate → build the rule set → render →
//! write `dist/` atomically. The binary in `main.rs` only parses arguments and calls into here.

pub mod commands;
pub mod cuts;
pub mod diff;
pub mod documents;
pub mod editors;
pub mod error;
pub mod feed;
pub mod fingerprint;
pub mod headers;
pub mod library;
pub mod load;
pub mod markdown;
pub mod model;
pub mod numbering;
pub mod open_data;
pub mod parallel;
pub mod render;
pub mod ruleset;
pub mod search;
pub mod serve;
pub mod sitemap;
pub mod timings;
pub mod validate;
pub mod wasm;
pub mod write;

use std::path::{Path, PathBuf};

use error::BuildError;
use model::Date;
use timings::time;

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
    Date::from_unix(now_secs())
}

/// Seconds since the Unix epoch: `SOURCE_DATE_EPOCH` if set, else the clock. The one reading of
/// the clock, so that a reproducible build and the commands agree on what "now" is.
pub fn now_secs() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        })
}

/// Loads and validates the content: every mistake found is returned, with file and line.
/// (The worked examples are checked against the engine later, by [`generate`], which has the
/// rule set.)
pub fn load_valid(content: &Path) -> Result<load::Content, BuildError> {
    let c = load::load(content)?;
    let mut errors = validation_errors(&library::Library::new(&c));
    errors.extend(version_errors(&c, &errors));
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    Ok(c)
}

/// The validate stage: every check of the loaded content that needs no rule set.
pub(crate) fn validation_errors(lib: &library::Library) -> Vec<error::ContentError> {
    let mut errors = validate::validate(lib);
    errors.extend(load::extras::check(lib.content));
    errors
}

/// The checks of one text, run on every other action-plan version of the library (each issued
/// one against its own source); a mistake already reported (in a file every version shares)
/// is not repeated.
fn version_errors(c: &load::Content, already: &[error::ContentError]) -> Vec<error::ContentError> {
    let mut seen: std::collections::BTreeSet<String> =
        already.iter().map(|e| e.to_string()).collect();
    let mut out = Vec::new();
    for d in &c.library {
        for v in &d.versions {
            let documents::Body::ActionPlan(src) = &v.body else {
                continue;
            };
            let cv = c.at(src);
            for e in validation_errors(&library::Library::new(&cv)) {
                if seen.insert(e.to_string()) {
                    out.push(e);
                }
            }
        }
    }
    out
}

/// The rule set of every action-plan version of the featured document, oldest first, by the
/// date each takes effect: what the calculator needs to estimate under any version.
pub fn version_rulesets(
    c: &load::Content,
) -> Result<Vec<(model::Date, calculator::RuleSet)>, BuildError> {
    let mut out = Vec::new();
    for v in c
        .featured()
        .map(|d| d.versions.as_slice())
        .unwrap_or_default()
    {
        if let documents::Body::ActionPlan(src) = &v.body {
            let cv = c.at(src);
            out.push((v.date, ruleset::build_ruleset(&library::Library::new(&cv))?));
        }
    }
    Ok(out)
}

/// A summary of a finished build.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: usize,
    /// The pages added, changed and removed against the previous `dist/`.
    pub changes: editors::PageChanges,
}

/// Builds the whole site into `opts.dist`; on any error the previous `dist/` is untouched, or
/// the error says what it holds instead ([`error::WriteError`]).
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let out = time("generate (total)", || generate(opts))?;
    let report = BuildReport {
        files: out.len(),
        bytes: out.values().map(Vec::len).sum(),
        changes: time("compare with previous dist", || {
            editors::PageChanges::between(&opts.dist, &out)
        }),
    };
    time("write", || write::write_atomically(&opts.dist, &out))?;
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
        changes: editors::PageChanges::between(&opts.dist, &out),
    })
}

/// The site's files, by path under `dist/`: load, validate (every mistake of the content and
/// of the interface words at once), build the rule set, check the worked examples against it,
/// render, index.
pub fn generate(opts: &BuildOptions) -> Result<render::Output, BuildError> {
    // The templates read only the theme: they are parsed on a thread of their own while the
    // content loads, instead of on one core after it while the other waits (15 ms of the
    // 100-document library's build, `perf` samples per thread over time).
    std::thread::scope(|s| {
        let theme = s.spawn(|| time("templates", || render::load_theme(&opts.theme)));
        generate_with(opts, || {
            theme
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

/// [`generate`], given what parses the theme's templates (called once the content has passed
/// its checks, so that a content error is reported as before whatever the theme holds).
fn generate_with(
    opts: &BuildOptions,
    templates: impl FnOnce() -> Result<tera::Tera, BuildError>,
) -> Result<render::Output, BuildError> {
    let mut content = time("load", || load::load(&opts.content))?;
    let current = show_current(&mut content, opts.today);
    // Every derived fact (numbers, labels, units by id, what reaches what), worked out once
    // and read by validation, the rule set, the pages and the search index alike.
    let library = time("derived library", || library::Library::new(&content));
    let mut errors = time("validate", || validation_errors(&library));
    errors.extend(time("validate versions", || {
        version_errors(&content, &errors)
    }));
    errors.extend(time("check strings", || {
        render::check_strings(&opts.theme, &content)
    }));
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    let mut rules = time("rule set", || ruleset::build_ruleset(&library))?;
    // Every version's rules, each its own file; the calculator page embeds the current one.
    let mut versions = time("versions' rules", || ruleset::build_version_rules(&content))?;
    let current_version = current.as_ref().map(|(d, _)| d.iso()).unwrap_or_default();
    let errors = time("worked examples", || {
        load::extras::check_examples(&content, &versions, &current_version)
    });
    if !errors.is_empty() {
        return Err(BuildError::Content(errors));
    }
    // The readings are Markdown: the browser gets them rendered and sanitised, in every
    // version's rules as in the embedded one (the WASM carries no Markdown parser).
    ruleset::readings_as_html(&mut rules, &content);
    for (_, r) in &mut versions.rules {
        ruleset::readings_as_html(r, &content);
    }
    let tera = templates()?;
    let ctx = site_context(&content, &library, opts, current.map(|(date, _)| date));
    // The pages and the search index read the same context and neither reads the other's
    // files: the index is built on a second thread while the pages render.
    let (out, search) = std::thread::scope(|s| {
        let search = s.spawn(|| time("search", || search::build(&tera, &ctx)));
        let out = time("render pages", || render::render_site(&tera, &ctx));
        let search = search
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (out, search)
    });
    let (mut out, search) = (out?, search?);
    render::merge(&mut out, search, "the search stage")?;
    let json = serde_json::to_vec_pretty(&rules).map_err(|source| BuildError::Json {
        what: "the rule set",
        source,
    })?;
    // The current rule set at a stable address, as open data for scripts (README, "Publishing
    // files"): not named by its hash, since a script's URL must not change with each republish.
    // The calculator never fetches it (its page embeds its rules, and the other versions' are
    // found through `rules/`'s hashed manifest), so no cached copy can meet a newer WASM.
    out.insert("rules.json".into(), json);
    render::merge(
        &mut out,
        versions.files()?.into_iter().collect(),
        "the versions' rules",
    )?;
    let calculator = time("calculator page", || {
        render::calculator::render_calculator(
            &tera,
            &ctx,
            &rules,
            &render::calculator::Embedded {
                versions: &versions,
                current: &current_version,
                built: opts.today.iso(),
            },
            opts.wasm,
        )
    })?;
    render::merge(&mut out, calculator, "the calculator stage")?;
    if opts.wasm {
        let app = time("wasm", || wasm::build_calculator(&wasm::workspace_root()))?;
        render::merge(&mut out, app.into_iter().collect(), "the WASM stage")?;
    }
    time("static files", || {
        write::copy_static(&opts.theme.join("static"), &mut out)
    })?;
    time("finish output", || {
        write::finish_output(&mut out, &tera, &ctx)
    })?;
    Ok(out)
}

/// The first edition's pages, the rule set and the calculator show the featured document's
/// version in force on the build date: sets `content.document` to it, and returns its date and
/// text.
pub(crate) fn show_current(
    content: &mut load::Content,
    today: Date,
) -> Option<(Date, documents::Body)> {
    let current = content
        .featured()
        .and_then(|d| d.version_on(today))
        .map(|v| (v.date, v.body.clone()));
    if let Some((date, documents::Body::ActionPlan(src))) = &current {
        content.document = (**src).clone();
        content.version = Some(*date);
    }
    current
}

/// What every page of the site is rendered with: the content, its derived facts, the build's
/// options, and the featured document's current version (`current`) as the text pages' place.
pub(crate) fn site_context<'a>(
    content: &'a load::Content,
    library: &'a library::Library<'a>,
    opts: &BuildOptions,
    current: Option<Date>,
) -> render::RenderContext<'a> {
    render::RenderContext {
        content,
        library,
        today: opts.today,
        extra_nav: vec![("calculator/", "nav_calculator"), ("search/", "nav_search")],
        site_url: opts.site_url.clone(),
        text: render::TextPlace {
            prefix: String::new(),
            canonical: render::library::doc_path(&content.featured),
            version: current
                .and_then(|date| render::library::VersionPlace::of(content.featured()?, date)),
        },
    }
}
