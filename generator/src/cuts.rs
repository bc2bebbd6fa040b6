//! jieba's cuts of Chinese runs, made only when a run is new: jieba is loaded the first time a
//! run needs it, and the cuts a build made are filed for the next build.
//!
//! **Why.** Loading jieba's dictionary (about 350,000 words into a trie) takes 150–200 ms, more
//! than everything else a warm build of the site does together. Yet a warm build cuts the same
//! runs as the build before it: the what-changed redlines (`diff::Segmenter`) and the search
//! index (`search::text::Tokenizer`) see the same clause texts until an editor changes one.
//!
//! **Why a filed cut is the cut jieba would make.** A cut is a function of the run alone, given
//! the dictionary (the jieba-rs compiled into this executable), the words added to it (the
//! site's own words, with their frequency) and the kind of cut ([`Mode`]). The file's first line
//! is a digest of all of these, the executable standing for the dictionary by its path, size and
//! modification time; a file with another digest is not read, so a rebuilt generator, a changed
//! glossary or unit name, or the other kind of cut starts again from jieba. A run not in the
//! file is cut by jieba. Each file holds the runs its build cut, so it follows the content
//! rather than growing with every edit.
//!
//! **Where.** Only when the command line names a folder ([`remember_in`], `target/jieba/` of
//! the workspace, beside the calculator's `target/wasm/`); without one (tests, a library
//! caller) nothing is read or written and every run is cut by jieba. A file that cannot be
//! read or parsed is ignored; one that cannot be written is skipped: it only saves time.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use jieba_rs::Jieba;
use sha2::{Digest, Sha256};

/// Which of jieba's cuts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `cut` without the HMM guesser: words laid end to end (the what-changed redlines).
    Words,
    /// `cut_for_search` with the HMM guesser: each word and the dictionary words inside it
    /// (the search index).
    Search,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Words => "words",
            Mode::Search => "search",
        }
    }
}

/// The folder the cuts are filed in, for the life of the process.
static FOLDER: OnceLock<PathBuf> = OnceLock::new();

/// Files the cuts under `dir` (one file per [`Mode`]) from now on. Called once by the command
/// line; a second call is ignored.
pub fn remember_in(dir: PathBuf) {
    let _ = FOLDER.set(dir);
}

/// jieba with its default dictionary and nothing added, loaded once per process, on first use.
pub fn dictionary() -> &'static Jieba {
    static LOADED: OnceLock<Jieba> = OnceLock::new();
    LOADED.get_or_init(Jieba::new)
}

/// Starts loading [`dictionary`] on a thread of its own, for a long-lived process (`serve`)
/// whose first new run should not wait for it.
pub fn load_in_background() {
    std::thread::spawn(|| {
        dictionary();
    });
}

/// Byte ranges of a run's tokens, in jieba's order.
type Spans = Vec<(u32, u32)>;

/// A run read from the file, and whether this build cut it again.
struct Filed {
    spans: Spans,
    used: AtomicBool,
}

/// Cuts Chinese runs as jieba with its default dictionary plus some words would, loading jieba
/// only for a run the file does not hold.
pub struct Cutter {
    mode: Mode,
    extra: Vec<String>,
    jieba: OnceLock<Jieba>,
    filed: HashMap<String, Filed>,
    /// Runs cut by jieba in this process, to be filed (only when there is a file).
    learned: Mutex<HashMap<String, Spans>>,
    /// The file and the digest its first line must hold.
    file: Option<(PathBuf, String)>,
}

impl Cutter {
    /// A cutter whose dictionary also knows `extra` (each added with frequency 2000, in this
    /// order), reading the cuts filed for them under the folder of [`remember_in`], if any.
    pub fn new(mode: Mode, extra: Vec<String>) -> Self {
        let file = FOLDER
            .get()
            .and_then(|dir| Some((dir.join(format!("{}.txt", mode.name())), key(mode, &extra)?)));
        Cutter::filing_in(mode, extra, file)
    }

    /// A cutter filing its cuts in `file` (path and digest), if any.
    fn filing_in(mode: Mode, extra: Vec<String>, file: Option<(PathBuf, String)>) -> Self {
        let filed = file
            .as_ref()
            .map(|(path, key)| read_filed(path, key))
            .unwrap_or_default();
        Cutter {
            mode,
            extra,
            jieba: OnceLock::new(),
            filed,
            learned: Mutex::new(HashMap::new()),
            file,
        }
    }

    /// The tokens jieba cuts `run` into, in its order.
    pub fn cut<'t>(&self, run: &'t str) -> Vec<&'t str> {
        if let Some(f) = self.filed.get(run) {
            f.used.store(true, Ordering::Relaxed);
            return slices(run, &f.spans);
        }
        if self.file.is_some() {
            if let Some(spans) = self.lock_learned().get(run) {
                return slices(run, spans);
            }
        }
        let jieba = self.jieba();
        let words: Vec<&'t str> = match self.mode {
            Mode::Words => jieba.cut(run, false),
            Mode::Search => jieba.cut_for_search(run, true),
        }
        .into_iter()
        .map(|t| t.word)
        .collect();
        if self.file.is_some() {
            let base = run.as_ptr() as usize;
            let spans = words
                .iter()
                .map(|w| {
                    let start = w.as_ptr() as usize - base;
                    (start as u32, (start + w.len()) as u32)
                })
                .collect();
            self.lock_learned().insert(run.to_string(), spans);
        }
        words
    }

    /// Whether jieba's dictionary has been loaded for this cutter (a run was not on file).
    pub fn loaded_jieba(&self) -> bool {
        self.jieba.get().is_some()
    }

    fn jieba(&self) -> &Jieba {
        self.jieba.get_or_init(|| {
            let mut jieba = crate::search::text::default_jieba();
            for w in &self.extra {
                jieba.add_word(w, Some(2000), None);
            }
            jieba
        })
    }

    fn lock_learned(&self) -> std::sync::MutexGuard<'_, HashMap<String, Spans>> {
        self.learned.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Cutter {
    /// Files the runs this cutter cut, if any was new or any filed one was not cut again.
    fn drop(&mut self) {
        let Some((path, key)) = &self.file else {
            return;
        };
        let learned = std::mem::take(&mut *self.lock_learned());
        let stale = self.filed.values().any(|f| !f.used.load(Ordering::Relaxed));
        if learned.is_empty() && !stale {
            return;
        }
        let mut rows: Vec<(&str, &Spans)> = self
            .filed
            .iter()
            .filter(|(_, f)| f.used.load(Ordering::Relaxed))
            .map(|(run, f)| (run.as_str(), &f.spans))
            .chain(learned.iter().map(|(run, s)| (run.as_str(), s)))
            // A run is one line of the file (Chinese runs never hold either).
            .filter(|(run, _)| !run.contains(['\t', '\n', '\r']))
            .collect();
        rows.sort_unstable_by_key(|(run, _)| *run);
        let mut text = format!("{key}\n");
        for (run, spans) in rows {
            let _ = write!(text, "{run}\t");
            for (i, (s, e)) in spans.iter().enumerate() {
                let _ = write!(text, "{}{s},{e}", if i == 0 { "" } else { " " });
            }
            text.push('\n');
        }
        let _ = write_replacing(path, text.as_bytes());
    }
}

/// The digest a file's first line must hold: the format, the mode, this executable (standing for
/// jieba-rs and its dictionary) and the added words. `None` when the executable cannot be named.
fn key(mode: Mode, extra: &[String]) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut h = Sha256::new();
    h.update(format!(
        "jieba cuts v1\n{}\n{}\n{}\n{}.{}\n",
        mode.name(),
        exe.display(),
        meta.len(),
        modified.as_secs(),
        modified.subsec_nanos()
    ));
    for w in extra {
        h.update(w.as_bytes());
        h.update(b"\n");
    }
    Some(
        h.finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
    )
}

/// The runs filed under `key` at `path`; none if the file is missing, under another key, or
/// malformed anywhere (a span off the run or off a character boundary).
fn read_filed(path: &Path, key: &str) -> HashMap<String, Filed> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return HashMap::new();
    };
    let mut lines = text.lines();
    if lines.next() != Some(key) {
        return HashMap::new();
    }
    let mut out = HashMap::new();
    for line in lines {
        let Some(spans) = line
            .split_once('\t')
            .and_then(|(run, spans)| Some((run, parse_spans(run, spans)?)))
        else {
            return HashMap::new();
        };
        let (run, spans) = spans;
        out.insert(
            run.to_string(),
            Filed {
                spans,
                used: AtomicBool::new(false),
            },
        );
    }
    out
}

/// `s,e s,e …`, each a slice of `run` on character boundaries.
fn parse_spans(run: &str, text: &str) -> Option<Spans> {
    text.split(' ')
        .filter(|s| !s.is_empty())
        .map(|pair| {
            let (s, e) = pair.split_once(',')?;
            let (s, e): (u32, u32) = (s.parse().ok()?, e.parse().ok()?);
            run.get(s as usize..e as usize).filter(|w| !w.is_empty())?;
            Some((s, e))
        })
        .collect::<Option<Spans>>()
        .filter(|spans| !spans.is_empty())
}

fn slices<'t>(run: &'t str, spans: &Spans) -> Vec<&'t str> {
    spans
        .iter()
        .map(|&(s, e)| &run[s as usize..e as usize])
        .collect()
}

/// Writes `bytes` to `path` through a file of its own beside it, renamed over `path`, so a
/// concurrent build reads the old file or the new one, never half of one.
fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_filed_cut_is_what_jieba_cuts_and_needs_no_jieba() {
        let dir = std::env::temp_dir().join(format!("cuts-test-{}", std::process::id()));
        let runs = [
            "台州跨境电商集货仓建设扶持",
            "对新认定的公共海外仓给予奖励",
            "台州海关",
        ];
        let extra = words(&["集货仓", "台州海关"]);
        for mode in [Mode::Words, Mode::Search] {
            let path = dir.join(format!("{}.txt", mode.name()));
            let key = key(mode, &extra).expect("the test executable has a name");
            let fresh = Cutter::filing_in(mode, extra.clone(), Some((path.clone(), key.clone())));
            let expected: Vec<Vec<&str>> = runs.iter().map(|r| fresh.cut(r)).collect();
            assert!(fresh.loaded_jieba());
            drop(fresh);

            let again = Cutter::filing_in(mode, extra.clone(), Some((path.clone(), key.clone())));
            let got: Vec<Vec<&str>> = runs.iter().map(|r| again.cut(r)).collect();
            assert_eq!(got, expected, "{mode:?}");
            assert!(!again.loaded_jieba(), "{mode:?}: every run was on file");

            // The same runs under other added words are not read back.
            assert!(read_filed(&path, &super::key(mode, &words(&["集货"])).unwrap()).is_empty());
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_malformed_file_is_ignored() {
        let dir = std::env::temp_dir().join(format!("cuts-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("words.txt");
        // 台 is three bytes: a span ending at byte 1 is inside it.
        std::fs::write(&path, "k\n台州\t0,1 1,6\n").unwrap();
        assert!(read_filed(&path, "k").is_empty());
        std::fs::write(&path, "k\n台州\t0,3 3,6\n").unwrap();
        assert_eq!(read_filed(&path, "k")["台州"].spans, vec![(0, 3), (3, 6)]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
