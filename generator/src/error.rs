//! Errors as values with context: the file, the line where known, the field, and what was
//! expected. Each kind says what went wrong and nothing about the command that met it; the
//! command words its own failure around it (`build` says what `dist/` holds now, `check` that
//! the content is not valid, `estimate` that the scenario is not), see [`build_failure`].

use std::fmt;
use std::path::{Path, PathBuf};

/// A mistake in the content (or the environment) that stops the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    /// The file at fault, relative to the content folder's parent when possible.
    pub file: PathBuf,
    /// The 1-based line, when the parser or a text search knows it.
    pub line: Option<usize>,
    /// The field path, such as `actions[0].tasks[2].units[1]`.
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl ContentError {
    /// An error in a file, not yet placed on a line or field.
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        ContentError {
            file: file.into(),
            line: None,
            field: None,
            message: message.into(),
        }
    }

    /// Places the error on a line.
    pub fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    /// Names the field at fault.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ContentError {}

/// Everything that can stop a command, by kind.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The content has mistakes; all that were found are listed, one `Reason:` line each.
    #[error("{} mistake(s) in the content{}", .0.len(), reasons(.0))]
    Content(Vec<ContentError>),
    /// A mistake in how a command was run that the argument parser cannot see (it refuses bad
    /// flags and values itself, with the same exit status 2): no `content/` where it was run.
    #[error("{0}")]
    Usage(String),
    /// Reading a file outside the content (the theme's static files) failed.
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        /// What was being done: `read`, `list`.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The templates failed to load or render (a theme bug, not a content mistake).
    #[error("template: {0}")]
    Template(String),
    /// Two stages of the build claim one output path (a generator or theme bug: ids are
    /// checked, so content cannot cause it).
    #[error("output: {0}")]
    Output(String),
    /// The calculator could not be compiled to WASM (a code or toolchain problem).
    #[error("calculator WASM: {0}")]
    Wasm(String),
    /// A value could not be written as JSON.
    #[error("cannot write {what} as JSON: {source}")]
    Json {
        /// What was being written.
        what: &'static str,
        /// serde_json's reason.
        source: serde_json::Error,
    },
    /// The site was built but could not be written out; says what `dist/` holds now.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A scenario given to `estimate` cannot be read or is not valid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
}

fn reasons(errors: &[ContentError]) -> String {
    errors.iter().map(|e| format!("\nReason: {e}")).collect()
}

impl From<ContentError> for BuildError {
    fn from(e: ContentError) -> Self {
        BuildError::Content(vec![e])
    }
}

impl From<Vec<ContentError>> for BuildError {
    fn from(e: Vec<ContentError>) -> Self {
        BuildError::Content(e)
    }
}

impl BuildError {
    /// The exit status a command ends with: 2 for a usage error (as clap's own), 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            BuildError::Usage(_) => 2,
            _ => 1,
        }
    }
}

/// How `build` (and `serve`'s banner) words a failed build: what failed, every reason, and
/// what `dist/` holds now. Every failure before the write-out leaves `dist/` untouched; a
/// failed write-out says itself what it left (see [`WriteError`]).
pub fn build_failure(e: &BuildError, dist: &Path) -> String {
    match e {
        BuildError::Write(w) => format!("Failed to build the site: {w}"),
        other => format!(
            "Failed to build the site: {other}\nNothing was written: {}",
            untouched(dist)
        ),
    }
}

/// What an untouched `dist` holds: the previous build, or nothing if there was none.
fn untouched(dist: &Path) -> String {
    if dist.exists() {
        format!("the previous {} was left as it was.", shown(dist))
    } else {
        format!("there was no {} and none was made.", shown(dist))
    }
}

/// A folder as a user reads it: `dist/`, not `./dist`.
fn shown(p: &Path) -> String {
    format!("{}/", p.strip_prefix(".").unwrap_or(p).display())
}

/// A scenario file given to `estimate` that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file cannot be read.
    #[error("cannot read the scenario {}: {source}", .path.display())]
    Read {
        /// The file as given.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The file does not parse as a scenario; the error names its line and field.
    #[error("the scenario {} is not valid: {error}", .path.display())]
    Invalid {
        /// The file as given.
        path: PathBuf,
        /// Where and what.
        error: ContentError,
    },
}

/// What `dist/` holds after a write-out that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DistState {
    /// Nothing was swapped: the previous `dist/` (or its absence) is as it was.
    Untouched,
    /// The new site is in place; only the clean-up of the previous one failed.
    Replaced,
    /// Moving the new site in failed and so did moving the previous one back: there is no
    /// `dist/`; the previous site is in `old`.
    Missing {
        /// Where the previous site is.
        old: PathBuf,
    },
}

/// A failed write-out, telling the truth about `dist/` and about any folder it could not
/// remove.
#[derive(Debug)]
pub struct WriteError {
    /// The output folder.
    pub dist: PathBuf,
    /// The step that failed and why (`cannot move … into place: …`).
    pub failure: String,
    /// What `dist/` holds now.
    pub state: DistState,
    /// Folders of this build that could not be removed, with the reason.
    pub left_behind: Vec<(PathBuf, String)>,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.failure)?;
        match &self.state {
            DistState::Untouched => write!(f, "\n{}", capitalise(&untouched(&self.dist)))?,
            DistState::Replaced => write!(
                f,
                "\nThe new site IS in place in {}; only removing the previous one failed.",
                shown(&self.dist)
            )?,
            DistState::Missing { old } => write!(
                f,
                "\nThere is no {} now: the previous site is in {}; move it back or build again.",
                shown(&self.dist),
                shown(old)
            )?,
        }
        for (p, why) in &self.left_behind {
            write!(
                f,
                "\n{} could not be removed ({why}): delete it by hand, or the next build will.",
                shown(p)
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for WriteError {}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
