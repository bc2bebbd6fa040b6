//! Repairs of extraction damage in the source text, each named by line: the auditable bridge
//! between the text as received and the Chinese the site shows.

use serde::Deserialize;

use super::SourceFile;
use crate::error::ContentError;

/// One repair of `repairs.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repair {
    /// The 1-based line of `source.txt` it applies to.
    pub line: usize,
    /// Text to replace on that line.
    #[serde(default)]
    pub find: Option<String>,
    /// Its replacement.
    #[serde(default)]
    pub replace: Option<String>,
    /// How many times `find` occurs on the line (all are replaced).
    #[serde(default)]
    pub count: Option<usize>,
    /// Half-width `, : ( )` on the line become full-width.
    #[serde(default)]
    pub fullwidth: bool,
    /// The line continues on the next non-blank line.
    #[serde(default)]
    pub join: bool,
    /// Why: the kind of damage.
    pub why: String,
}

/// Applies the repairs to the source and returns its paragraphs (non-blank lines after joins).
///
/// Every repair must match what it says it repairs, so the list cannot go stale silently.
pub fn apply_repairs(
    source: &SourceFile,
    repairs: &[Repair],
    repairs_file: &SourceFile,
) -> Result<Vec<String>, ContentError> {
    let mut lines: Vec<String> = source.text.split('\n').map(str::to_string).collect();
    let mut joins = vec![false; lines.len()];
    for (i, r) in repairs.iter().enumerate() {
        let at = |msg: String| {
            ContentError::new(&repairs_file.path, msg)
                .at_line(nth_entry_line(&repairs_file.text, i))
                .field(format!("[{i}]"))
        };
        if r.line == 0 || r.line > lines.len() {
            return Err(at(format!(
                "line {} is outside source.txt (expected 1–{})",
                r.line,
                lines.len()
            )));
        }
        let idx = r.line - 1;
        let kinds = usize::from(r.find.is_some()) + usize::from(r.fullwidth) + usize::from(r.join);
        if kinds != 1 {
            return Err(at(
                "expected exactly one of `find`/`replace`, `fullwidth: true` or `join: true`"
                    .into(),
            ));
        }
        if let Some(find) = &r.find {
            let replace = r
                .replace
                .as_deref()
                .ok_or_else(|| at("`find` needs a `replace` (use \"\" to delete)".into()))?;
            let found = lines[idx].matches(find.as_str()).count();
            let expected = r.count.unwrap_or(1);
            if found != expected {
                return Err(at(format!(
                    "expected `{find}` {expected} time(s) on line {} of source.txt, found it {found} time(s)",
                    r.line
                )));
            }
            lines[idx] = lines[idx].replace(find.as_str(), replace);
        } else if r.fullwidth {
            if !lines[idx].contains([',', ':', '(', ')']) {
                return Err(at(format!(
                    "line {} of source.txt has no half-width punctuation to repair",
                    r.line
                )));
            }
            lines[idx] = lines[idx]
                .chars()
                .map(|c| match c {
                    ',' => '，',
                    ':' => '：',
                    '(' => '（',
                    ')' => '）',
                    c => c,
                })
                .collect();
        } else {
            joins[idx] = true;
        }
    }
    let mut paragraphs = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let mut p = lines[i].trim().to_string();
        while joins[i] {
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim().is_empty() {
                j += 1;
            }
            if j >= lines.len() {
                break;
            }
            p.push_str(lines[j].trim());
            i = j;
        }
        paragraphs.push(p);
        i += 1;
    }
    Ok(paragraphs)
}

/// The line of the `n`th list entry (`- line: …`) in the repairs file.
fn nth_entry_line(text: &str, n: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- "))
        .nth(n)
        .map(|(i, _)| i + 1)
}
