//! Bounded reading and parsing: every content file and scenario is read and scanned within
//! fixed limits before the YAML parser builds anything from it, so a hostile or broken file ends
//! in a located error within a second and in bounded memory, never in a hang or an abort.
//!
//! Why a scan before `serde_norway`: its parser slows with the square of the nesting depth
//! (100,000 levels took 26 s) and its deserializer replays aliases without a total budget (a
//! 1.2 MB alias bomb grew past 7 GB). The scan uses a pull parser (`saphyr-parser`) and stops at
//! the first limit crossed, so its own cost is bounded by the limits, not by the file.

use std::io::Read;
use std::path::Path;

use saphyr_parser::{Event, Parser};

use crate::error::ContentError;

/// The largest file read, in bytes. The largest real content file (`plan.yaml`) is under
/// 40 KB and a scenario is a few hundred bytes: 512 KiB leaves room for a document twelve
/// times as long, while a 50 MB clause is refused before it is read whole or rendered into
/// every page. It also bounds the scan's worst case: a single-line flow collection is held
/// whole by the scanner (about 70 MB and a quarter of a second, release build, at this size).
pub const MAX_FILE_BYTES: u64 = 512 * 1024;

/// The deepest nesting of YAML collections. The content nests at most eleven levels
/// (`sections` → item → `clauses` → clause → `subsidy` → `amount` → `caps` → cap, and the
/// `{zh, en}` of a text); 32 leaves room while keeping the parsers, whose time grows with the
/// depth (libyaml's with its square), fast.
pub const MAX_DEPTH: usize = 32;

/// The most YAML nodes a file may stand for once every alias is expanded. The largest real
/// file (`attachment.yaml`) has about 1,400; an alias bomb of a few lines stands for billions.
/// 100,000 bounds what the deserializer builds or replays to a few megabytes, and the scan's
/// own time, on a file of tiny nodes, to well under a second.
pub const MAX_EXPANDED_NODES: usize = 100_000;

/// Reads a file of at most [`MAX_FILE_BYTES`] as UTF-8 text without its byte-order mark.
///
/// `shown` is the path named in errors. Invalid UTF-8 is located by line and byte.
pub fn read_bounded(full: &Path, shown: &Path) -> Result<String, ContentError> {
    // Before opening: opening a named pipe would wait for a writer forever.
    if let Ok(meta) = std::fs::metadata(full) {
        if meta.is_dir() {
            return Err(ContentError::new(
                shown,
                "is a folder: expected a YAML file",
            ));
        }
        if !meta.is_file() {
            return Err(ContentError::new(
                shown,
                "is not a regular file (a device or a pipe): expected a YAML file",
            ));
        }
    }
    let file = std::fs::File::open(full).map_err(|e| {
        ContentError::new(
            shown,
            format!("cannot read the file: {e} (expected it to exist)"),
        )
    })?;
    let too_large = |size: String| {
        ContentError::new(
            shown,
            format!(
                "the file is {size} bytes, more than the limit of {MAX_FILE_BYTES} bytes \
                 (MAX_FILE_BYTES): split it or shorten it"
            ),
        )
    };
    let mut expected = 0;
    if let Ok(meta) = file.metadata() {
        if meta.len() > MAX_FILE_BYTES {
            return Err(too_large(meta.len().to_string()));
        }
        expected = meta.len();
    }
    // Read one byte past the limit: a file that grows, or a device, cannot make us read more.
    // Room for the whole file and that byte, so that it is read in two calls, not a dozen of
    // growing sizes (3,661 reads for the 342 files of the 100-document library, strace).
    let mut bytes = Vec::with_capacity(expected as usize + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ContentError::new(shown, format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(format!("more than {MAX_FILE_BYTES}")));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        ContentError::new(
            shown,
            format!(
                "invalid UTF-8 at byte {at} of the file (byte {} of the line): content files must \
                 be UTF-8 text",
                at - line_start + 1
            ),
        )
        .at_line(Some(line))
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        // A byte-order mark (some Windows editors write one) is not part of the first key.
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// A collection the scan is inside.
struct Open {
    /// Its anchor id (0: none).
    anchor: usize,
    /// The node count when it opened, for the expanded size of its anchor.
    start: usize,
    /// Children seen so far.
    children: usize,
    /// For a mapping, its keys so far with their lines.
    keys: Option<std::collections::HashMap<String, usize>>,
}

fn too_deep() -> String {
    format!(
        "nested more than {MAX_DEPTH} levels deep (MAX_DEPTH): the content files need at most \
         eleven"
    )
}

/// What a YAML text holds, as far as the scan needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scanned {
    /// No node at all: an empty file, or only comments.
    Empty,
    /// At least one node, within every limit.
    Nodes,
}

/// Scans YAML `text` within [`MAX_FILE_BYTES`], [`MAX_DEPTH`] and [`MAX_EXPANDED_NODES`].
///
/// The scan stops at the first limit crossed; its cost is bounded by the limits. A syntax
/// error is reported as such, with its line.
pub fn scan(text: &str, shown: &Path) -> Result<Scanned, ContentError> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(ContentError::new(
            shown,
            format!(
                "the text is {} bytes, more than the limit of {MAX_FILE_BYTES} bytes \
                 (MAX_FILE_BYTES)",
                text.len()
            ),
        ));
    }
    // Open collections, innermost last.
    let mut open: Vec<Open> = Vec::new();
    // The expanded size of each anchored node, by anchor id.
    let mut sizes: std::collections::HashMap<usize, usize> = Default::default();
    let mut nodes = 0usize;
    let mut aliases = 0usize;
    let mut documents = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            // The scanner counts flow levels (`[[[…`) in a byte and stops at 255.
            let msg = if e.info() == "recursion limit exceeded" {
                too_deep()
            } else {
                format!("invalid YAML: {}", e.info())
            };
            ContentError::new(shown, msg).at_line(Some(e.marker().line()))
        })?;
        let line = span.start.line();
        let starts_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
        );
        if starts_node {
            if let Some(parent) = open.last_mut() {
                // In a mapping, every other child is a key: a key given twice would silently
                // replace the first value in a map such as `site.yaml`.
                if let (Some(keys), Event::Scalar(key, ..)) = (&mut parent.keys, &event) {
                    if parent.children % 2 == 0 {
                        if let Some(first) = keys.insert(key.to_string(), line) {
                            return Err(ContentError::new(
                                shown,
                                format!(
                                    "the key `{key}` appears twice in the same mapping (first on \
                                     line {first}): each key must be given once"
                                ),
                            )
                            .at_line(Some(line)));
                        }
                    }
                }
                parent.children += 1;
            }
        }
        match event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                nodes += 1;
                let keys = matches!(event, Event::MappingStart(..)).then(Default::default);
                open.push(Open {
                    anchor,
                    start: nodes,
                    children: 0,
                    keys,
                });
                if open.len() > MAX_DEPTH {
                    return Err(ContentError::new(shown, too_deep()).at_line(Some(line)));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(o) = open.pop() {
                    if o.anchor != 0 {
                        sizes.insert(o.anchor, nodes + 1 - o.start);
                    }
                }
            }
            Event::Scalar(_, _, anchor, _) => {
                nodes += 1;
                if anchor != 0 {
                    sizes.insert(anchor, 1);
                }
            }
            Event::Alias(anchor) => {
                aliases += 1;
                // The deserializer replays the anchored node here, aliases within it included.
                nodes = nodes.saturating_add(sizes.get(&anchor).copied().unwrap_or(1));
            }
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(ContentError::new(
                        shown,
                        "a second YAML document begins here (`---`): a file holds one document",
                    )
                    .at_line(Some(line)));
                }
            }
            _ => {}
        }
        if nodes > MAX_EXPANDED_NODES {
            let msg = if aliases == 0 {
                format!(
                    "the file holds more than {MAX_EXPANDED_NODES} values (MAX_EXPANDED_NODES): \
                     split it"
                )
            } else {
                format!(
                    "the file's aliases (`*name`) expand to more than {MAX_EXPANDED_NODES} \
                     values (MAX_EXPANDED_NODES): write the values out, or use fewer aliases"
                )
            };
            return Err(ContentError::new(shown, msg).at_line(Some(line)));
        }
    }
    Ok(if nodes == 0 {
        Scanned::Empty
    } else {
        Scanned::Nodes
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_str(s: &str) -> Result<Scanned, ContentError> {
        scan(s, Path::new("content/x.yaml"))
    }

    /// `read_bounded` on a file holding these bytes, in a scratch folder named after `tag`.
    fn read_bytes(tag: &str, bytes: &[u8]) -> Result<String, ContentError> {
        let dir = std::env::temp_dir().join(format!("limits-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.yaml");
        std::fs::write(&path, bytes).unwrap();
        let read = read_bounded(&path, Path::new("content/x.yaml"));
        std::fs::remove_dir_all(&dir).unwrap();
        read
    }

    #[test]
    fn invalid_utf8_is_located_by_line_and_byte() {
        let e = read_bytes("utf8", b"a: 1\nb: caf\xe9\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(
            e.message
                .contains("invalid UTF-8 at byte 11 of the file (byte 7 of the line)"),
            "{e}"
        );
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let text = read_bytes("bom", b"\xef\xbb\xbfname: x\n").unwrap();
        assert_eq!(text, "name: x\n");
    }

    #[test]
    fn real_shapes_pass() {
        assert_eq!(
            scan_str("- id: a\n  name: {zh: 甲, en: A}\n").unwrap(),
            Scanned::Nodes
        );
        assert_eq!(scan_str("# only a comment\n").unwrap(), Scanned::Empty);
        assert_eq!(scan_str("").unwrap(), Scanned::Empty);
    }

    #[test]
    fn deep_flow_nesting_is_refused_with_its_line() {
        let text = format!("a: 1\nb: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = scan_str(&text).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("MAX_DEPTH"), "{e}");
    }

    #[test]
    fn deep_block_nesting_is_refused() {
        let mut text = String::new();
        for i in 0..200 {
            text.push_str(&" ".repeat(i));
            text.push_str("k:\n");
        }
        let e = scan_str(&text).unwrap_err();
        assert!(e.message.contains("MAX_DEPTH"), "{e}");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                vec![format!("*a{prev}"); 10].join(", ")
            ));
        }
        let e = scan_str(&text).unwrap_err();
        assert!(e.message.contains("MAX_EXPANDED_NODES"), "{e}");
        assert!(e.line.is_some());
    }

    #[test]
    fn too_many_plain_values_are_not_blamed_on_aliases() {
        let text = format!("[{}]", vec!["1"; MAX_EXPANDED_NODES + 1].join(","));
        let e = scan_str(&text).unwrap_err();
        assert!(e.message.contains("holds more than"), "{e}");
    }

    #[test]
    fn a_key_given_twice_is_refused() {
        let e = scan_str("a: 1\nb:\n  c: 2\n  c: 3\n").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("`c` appears twice"), "{e}");
        // The same key in two mappings is fine.
        assert!(scan_str("- {c: 1}\n- {c: 2}\n").is_ok());
    }

    #[test]
    fn a_few_aliases_are_fine() {
        let text = "base: &b {zh: 甲, en: A}\nother: *b\n";
        assert_eq!(scan_str(text).unwrap(), Scanned::Nodes);
    }
}
