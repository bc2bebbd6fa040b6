//! One grammar for every id of the content: lowercase ASCII letters and digits in words joined
//! by single hyphens (`att-1-3-a`, `cross-border`). Ids become file names, URL paths, anchors
//! and HTML attributes, so an id of another shape (`../plan`, `x" onmouseover="…`, `""`) could
//! write outside `dist/`, replace another page or inject markup: it stops the build here, with
//! its line, before anything is rendered.

use calculator::Amount;

use crate::error::ContentError;
use crate::load::{Content, SourceFile};

/// Whether `id` follows the grammar `^[a-z0-9]+(-[a-z0-9]+)*$`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The error for an id of the wrong shape, or `None` when it is well formed.
///
/// `key` is the YAML key that holds it (`id`, `matter`), used with the id to find its line;
/// `field` names it in the message; `what` says what kind of id it is.
pub fn check_id(
    file: &SourceFile,
    key: &str,
    id: &str,
    field: impl Into<String>,
    what: &str,
) -> Option<ContentError> {
    if is_valid_id(id) {
        return None;
    }
    let shown: String = id.chars().take(60).collect();
    let shown = shown.escape_debug();
    Some(
        ContentError::new(
            &file.path,
            format!(
                "the {what} id \"{shown}\" is not a valid id: expected lowercase ASCII letters and \
                 digits, words joined by single hyphens (like `task-12` or `cross-border`); ids \
                 become page paths and anchors"
            ),
        )
        .at_line(line_of_value(file, key, id))
        .field(field),
    )
}

/// The first line that sets `key` to `value` (quoted or not).
fn line_of_value(file: &SourceFile, key: &str, value: &str) -> Option<usize> {
    let prefix = format!("{key}:");
    file.text
        .lines()
        .enumerate()
        .find(|(_, l)| {
            let Some(at) = l.find(&prefix) else {
                return false;
            };
            let rest = l[at + prefix.len()..].trim();
            let rest = rest.split(['#', ',', '}']).next().unwrap_or("").trim();
            let unquoted = rest
                .strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .or_else(|| rest.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
                .unwrap_or(rest);
            // A quote inside a quoted id is written `\"`: compare without the escapes.
            unquoted == value
                || (!value.is_empty()
                    && l[at..].replace('\\', "").contains(&value.replace('\\', "")))
        })
        .map(|(i, _)| i + 1)
}

/// Checks the shape of every id of the content.
pub fn check(c: &Content) -> Vec<ContentError> {
    let d = &c.document;
    let mut errors = Vec::new();
    let mut shared = Vec::new();
    let mut id = |file: &SourceFile, key: &str, value: &str, field: String, what: &str| {
        errors.extend(check_id(file, key, value, field, what));
    };
    for (k, u) in c.units.iter().enumerate() {
        id(&c.units_file, "id", &u.id, format!("[{k}].id"), "unit");
    }
    for (k, p) in c.places.iter().enumerate() {
        id(&c.places_file, "id", &p.id, format!("[{k}].id"), "place");
    }
    for (k, t) in c.glossary.iter().enumerate() {
        id(&c.glossary_file, "id", &t.id, format!("[{k}].id"), "term");
    }
    id(&d.meta_file, "id", &d.meta.id, "id".into(), "document");
    let p = &d.plan;
    id(
        &d.plan_file,
        "id",
        &p.general.id,
        "general.id".into(),
        "anchor",
    );
    for (k, t) in p.general.targets.iter().enumerate() {
        let f = format!("general.targets[{k}].id");
        id(&d.plan_file, "id", &t.id, f, "target");
    }
    for (i, a) in p.actions.iter().enumerate() {
        id(
            &d.plan_file,
            "id",
            &a.id,
            format!("actions[{i}].id"),
            "action",
        );
        for (j, t) in a.tasks.iter().enumerate() {
            let f = format!("actions[{i}].tasks[{j}].id");
            id(&d.plan_file, "id", &t.id, f, "task");
        }
    }
    for (k, para) in p.closing.iter().enumerate() {
        let f = format!("closing[{k}].id");
        id(&d.plan_file, "id", &para.id, f, "paragraph");
    }
    for (i, s) in d.attachment.sections.iter().enumerate() {
        let f = &d.attachment_file;
        id(f, "id", &s.id, format!("sections[{i}].id"), "section");
        for (j, item) in s.items.iter().enumerate() {
            let at = format!("sections[{i}].items[{j}]");
            id(f, "id", &item.id, format!("{at}.id"), "item");
            for (k, cl) in item.clauses.iter().enumerate() {
                let at = format!("{at}.clauses[{k}]");
                id(f, "id", &cl.id, format!("{at}.id"), "clause");
                let Some(sub) = &cl.subsidy else { continue };
                id(f, "id", &sub.id, format!("{at}.subsidy.id"), "subsidy");
                let m = format!("{at}.subsidy.matter");
                id(f, "matter", &sub.matter, m, "matter");
                let (base, threshold) = match &sub.amount {
                    Amount::Rate {
                        base, threshold, ..
                    } => (Some(base), threshold.as_ref()),
                    Amount::CapOnly { base, .. } => (base.as_ref(), None),
                    _ => (None, None),
                };
                if let Some(b) = base {
                    let fb = format!("{at}.subsidy.amount.base.id");
                    id(f, "id", &b.id, fb, "input");
                }
                if let Some(t) = threshold {
                    let ft = format!("{at}.subsidy.amount.threshold.id");
                    if base.is_some_and(|b| b.id == t.id) {
                        // A scenario gives each input by id: two inputs cannot share one.
                        let needle = format!("id: {}", t.id);
                        let line = f.line_of(Some(&sub.id), "threshold:").and_then(|from| {
                            f.text
                                .lines()
                                .enumerate()
                                .skip(from - 1)
                                .find(|(_, l)| l.contains(&needle))
                                .map(|(i, _)| i + 1)
                        });
                        shared.push(
                            ContentError::new(
                                &f.path,
                                format!(
                                    "the threshold's input id `{}` is also the base's: each input \
                                     of a subsidy needs its own id",
                                    t.id
                                ),
                            )
                            .at_line(line)
                            .field(ft.clone()),
                        );
                    }
                    id(f, "id", &t.id, ft, "input");
                }
            }
        }
    }
    errors.extend(shared);
    errors
}

#[cfg(test)]
mod tests {
    use super::is_valid_id;

    #[test]
    fn the_grammar() {
        for ok in ["a", "task-12", "att-1-3-a", "cross-border", "9610"] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../plan",
            "a/b",
            "-a",
            "a-",
            "a--b",
            "A",
            "a_b",
            "a b",
            "rcep\" onmouseover=\"alert(4)",
            "ä",
            "a\\b",
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }
}
