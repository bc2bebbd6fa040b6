//! Build errors as values with context: the file, the line where known, the field, and what
//! was expected. They print as a chain, the way Zola's do.

use std::fmt;
use std::path::PathBuf;

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

/// Everything that stopped a build: one or more content errors, or a failure to write.
#[derive(Debug)]
pub enum BuildError {
    /// The content has mistakes; all that were found are listed.
    Content(Vec<ContentError>),
    /// Templates failed to render (a theme bug, not a content mistake).
    Template(String),
    /// Reading or writing files failed.
    Io(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Content(errors) => {
                writeln!(
                    f,
                    "Failed to build the site: {} mistake(s) in the content",
                    errors.len()
                )?;
                for e in errors {
                    writeln!(f, "Reason: {e}")?;
                }
                write!(f, "The previous dist/ was left as it was.")
            }
            BuildError::Template(m) => write!(
                f,
                "Failed to build the site\nReason: template: {m}\nThe previous dist/ was left as it was."
            ),
            BuildError::Io(m) => write!(
                f,
                "Failed to build the site\nReason: {m}\nThe previous dist/ was left as it was."
            ),
        }
    }
}

impl std::error::Error for BuildError {}

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
