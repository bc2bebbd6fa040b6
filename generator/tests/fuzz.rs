//! Fuzzing on stable Rust (issue 10, item 7): the content loader, the scenario parser, the
//! URL-fragment decoder and the money parser take inputs mutated from the real files and real
//! inputs, each under a 1 s watchdog and a memory cap, and must neither panic, hang nor grow
//! without bound.
//!
//! The harness is our own mutator over a small deterministic PRNG, not proptest: the inputs are
//! whole content files (up to 41 kB) mutated at the byte level and spliced with each other and
//! with YAML-hostile fragments, which proptest's strategies do not express without rebuilding
//! such a mutator inside one, and a million cases per target must cost no more than the target
//! itself (no strategy trees, no shrinking state). A failing input is saved whole and shrunk by a
//! greedy span-removal pass instead. proptest is used where it fits: the money round trip, a
//! property over generated values.
//!
//! `cargo test -p generator --test fuzz` runs 10,000 inputs per target (fewer for the
//! whole-folder run: each input loads and validates all of `content/`). `bench/fuzz/run` runs the
//! `#[ignore]`d `bench_*` tests with `FUZZ_CASES` (a million) in release and writes
//! `bench/fuzz/RESULTS.md`. `FUZZ_SEED` changes the PRNG seed (the default is fixed, so a
//! failure in the test command is reproducible).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use calculator::scenario::{parse_amount, parse_count};
use calculator::{Lang, Money, RuleSet, Scenario};
use generator::commands::{self, Format};
use generator::load::extras::{Example, SynonymEntry};
use generator::load::{parse_yaml, Repair, SourceFile};
use generator::model::{
    Attachment, DocumentMeta, PlaceEntry, Plan, ResponsibleUnit, Strings, Term,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;

// ---------------------------------------------------------------------------------------------
// The memory cap: a counting allocator in this test binary.
//
// Every allocation of the process is counted; one that would take the live heap above
// `HEAP_CAP` is refused (the process then aborts with "memory allocation failed") after the
// input being run is written to stderr, so an alias bomb stops at the cap instead of taking the
// machine down, and the abort names its input. Cheap (two atomic adds per allocation) and
// honest: it is the heap the parser really holds, not an estimate.
// ---------------------------------------------------------------------------------------------

/// The largest live heap the whole test process may hold. The real content loads in a few MB;
/// a target that needs 100 times that for one input of at most a few hundred kB is unbounded.
const HEAP_CAP: usize = 1 << 30;

/// A target whose one input grows the heap by more than this is a finding even below the cap.
const INPUT_HEAP_LIMIT: usize = 256 << 20;

/// The stack of the thread that runs the inputs: 8 MiB, the main thread's stack under Linux's
/// default `ulimit -s`, where the `generator` binary parses content and scenarios. (A stack
/// overflow aborts the process; `FUZZ_TRACE=file` writes each input there first, to find it.)
const WORKER_STACK: usize = 8 << 20;

/// The watchdog: every input must finish within this.
const WATCHDOG: Duration = Duration::from_secs(1);

struct CountingAlloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// The input being run, for the over-cap message (pointer and length of a live buffer).
static CURRENT_PTR: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static CURRENT_LEN: AtomicUsize = AtomicUsize::new(0);
static OVER_CAP_REPORTED: AtomicBool = AtomicBool::new(false);

impl CountingAlloc {
    fn grow(&self, by: usize) -> bool {
        let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
        if now > HEAP_CAP {
            LIVE.fetch_sub(by, Ordering::Relaxed);
            over_cap(by);
            return false;
        }
        PEAK.fetch_max(now, Ordering::Relaxed);
        true
    }
}

/// Writes the input that broke the cap to stderr, without allocating (the allocator is where
/// this runs).
#[cold]
fn over_cap(by: usize) {
    if OVER_CAP_REPORTED.swap(true, Ordering::Relaxed) {
        return;
    }
    let mut err = std::io::stderr().lock();
    let mut num = [0u8; 20];
    let mut i = num.len();
    let mut n = by;
    loop {
        i -= 1;
        num[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let _ = err
        .write_all(b"\nFUZZ FINDING: memory cap (1 GiB live heap) exceeded by an allocation of ");
    let _ = err.write_all(&num[i..]);
    let _ = err.write_all(b" bytes; the input (first 4 kB) was:\n");
    let ptr = CURRENT_PTR.load(Ordering::Relaxed);
    let len = CURRENT_LEN.load(Ordering::Relaxed);
    if !ptr.is_null() {
        // SAFETY: the harness keeps the buffer alive while its pointer is published.
        let input = unsafe { std::slice::from_raw_parts(ptr, len.min(4096)) };
        let _ = err.write_all(input);
    }
    let _ = err.write_all(b"\n-- end of input\n");
}

// SAFETY: every call is forwarded to `System`; the counters only observe sizes.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !self.grow(layout.size()) {
            return std::ptr::null_mut();
        }
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !self.grow(layout.size()) {
            return std::ptr::null_mut();
        }
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            if !self.grow(new_size - layout.size()) {
                return std::ptr::null_mut();
            }
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        let p = System.realloc(ptr, layout, new_size);
        if p.is_null() {
            // The old block stays allocated: undo the count.
            if new_size > layout.size() {
                LIVE.fetch_sub(new_size - layout.size(), Ordering::Relaxed);
            } else {
                LIVE.fetch_add(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

// ---------------------------------------------------------------------------------------------
// The PRNG and the mutator.
// ---------------------------------------------------------------------------------------------

/// SplitMix64: tiny, fast, and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    /// Below `small` mostly, below `big` one time in sixteen: sizes that are usually cheap and
    /// sometimes hostile (the hostile ones cost most of the time).
    fn sometimes_big(&mut self, small: usize, big: usize) -> usize {
        let max = if self.chance(16) { big } else { small };
        self.below(max)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// YAML-hostile fragments, inserted whole.
const YAML_HOSTILE: &[&str] = &[
    "&a [*a,*a]",
    "a: &a [x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: [*c, *c, *c, *c]\n",
    "<<: *a",
    "<<: {}",
    "*a",
    "*undefined",
    "&a",
    "!!binary aGVsbG8gd29ybGQ=",
    "!!binary",
    "!!str",
    "!!int 12",
    "!!float .inf",
    "!<tag:yaml.org,2002:map>",
    "!custom {}",
    "? [complex, key]\n: value\n",
    "---\n",
    "\n...\n",
    "%YAML 1.2\n---\n",
    "%TAG ! tag:example.com,2000:\n",
    "{",
    "}",
    "[",
    "]",
    "[[[[",
    "{{{{",
    "- - - -",
    "\t",
    "\t- x",
    "\u{feff}",
    "'",
    "\"",
    "\"\\u0000\\uD800\"",
    "|",
    "|+\n  kept\n",
    ">-\n  folded\n",
    "~",
    "null",
    "true",
    "0x1F",
    "0o17",
    ".nan",
    "-.inf",
    "1e400",
    "-1",
    "99999999999999999999999999999999999999999999999999",
    "-99999999999999999999999999999999999999999999999999",
    "12345678901234567890.123456789012345678901234567890",
    "0.0000000000000000000000000000000000001",
    ": ",
    "- ",
    "#",
    "\r\n",
    "\r",
    "\0",
    "\u{85}",
    "\u{2028}",
    "中文",
    "12万",
    "１２００００",
    "{zh: x, en: y}",
    "{zh: x}",
    "id: ''",
    "id: ../../x",
    "id: \"a\\\" onmouseover=\\\"x\"",
];

/// Fragment-hostile pieces for the URL decoder.
const FRAGMENT_HOSTILE: &[&str] = &[
    "%",
    "%2",
    "%ZZ",
    "%00",
    "%FF",
    "%E4%B8",
    "%E4%B8%AD",
    "%25",
    "%26",
    "%3D",
    "%3A",
    "%3B",
    "%2C",
    "%40",
    "&",
    "=",
    ":",
    ";",
    ",",
    "@",
    "#",
    "met",
    "met,met",
    "&c=",
    "&a=",
    "&p=",
    "&d=1",
    "&d=2",
    "&c=training:cost=1,cost=2",
    "a=enterprise",
    "a=organisation",
    "a=training-institution",
    "a=nobody",
    "p=",
    "d=0",
    "c=",
    "c=:",
    "c=@",
    "c=x@:;;;",
    "trainees=999999999",
    "trainees=9999999999999999999999",
    "cost=1e5",
    "fee=-1",
    "fee=0.001",
    "fee=99999999999999999999999999999",
    "fee=12%E4%B8%87",
    "fee=120%2C000",
    "+",
    "%2B",
    " ",
    "\u{feff}",
    "中",
];

/// Amount-shaped pieces for the money parser.
const MONEY_HOSTILE: &[&str] = &[
    "0",
    "00",
    "1",
    "9",
    ".",
    ",",
    "-",
    "+",
    "e",
    "E",
    "万",
    "元",
    "亿",
    "RMB",
    "¥",
    "￥",
    " ",
    "\t",
    "\u{3000}",
    "１",
    "０",
    "．",
    "，",
    "e5",
    "e-5",
    "1e400",
    "_",
    "--",
    "-0",
    "0.00",
    "0.001",
    "999999999999",
    "100000000000",
    "100000000000.01",
    "NaN",
    "inf",
    "\u{feff}",
];

/// Bytes worth setting: structure characters of YAML, JSON and fragments, and invalid UTF-8.
const INTERESTING_BYTES: &[u8] = &[
    0, b'\t', b'\n', b'\r', b' ', b'!', b'"', b'#', b'%', b'&', b'\'', b'*', b',', b'-', b'.',
    b':', b';', b'=', b'>', b'?', b'@', b'[', b']', b'{', b'|', b'}', b'~', b'0', b'9', 0x7f, 0x80,
    0xbf, 0xc0, 0xe4, 0xef, 0xff,
];

/// Invalid UTF-8: a bad continuation, a stray 0xFF, a truncated character, a surrogate.
const BAD_UTF8: &[&[u8]] = &[&[0xc3, 0x28], &[0xff], &[0xe4, 0xb8], &[0xed, 0xa0, 0x80]];

/// How a target's inputs are mutated.
#[derive(Clone, Copy)]
enum Dialect {
    Yaml,
    Fragment,
    Money,
}

fn hostile(d: Dialect) -> &'static [&'static str] {
    match d {
        Dialect::Yaml => YAML_HOSTILE,
        Dialect::Fragment => FRAGMENT_HOSTILE,
        Dialect::Money => MONEY_HOSTILE,
    }
}

/// A random position, preferring the start of a line half of the time (where YAML structure
/// lives).
fn position(rng: &mut Rng, data: &[u8]) -> usize {
    let at = rng.below(data.len() + 1);
    if rng.chance(2) {
        if let Some(nl) = data[..at].iter().rposition(|b| *b == b'\n') {
            return nl + 1;
        }
    }
    at
}

/// One mutation of `data` in place; `seeds` for splicing.
fn mutate_once(rng: &mut Rng, data: &mut Vec<u8>, seeds: &[Vec<u8>], d: Dialect) {
    let len = data.len();
    let span = |rng: &mut Rng, len: usize| -> (usize, usize) {
        let start = rng.below(len + 1);
        let max = (len - start).min(if rng.chance(4) { 4096 } else { 64 });
        (start, start + rng.below(max + 1))
    };
    match rng.below(13) {
        // Flip a bit.
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        // Set an interesting byte.
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = *rng.pick(INTERESTING_BYTES);
        }
        // Delete a span.
        2 => {
            let (a, b) = span(rng, len);
            data.drain(a..b);
        }
        // Duplicate a span, once or many times.
        3 => {
            let (a, b) = span(rng, len);
            let piece = data[a..b].to_vec();
            let times = if rng.chance(8) { 1 + rng.below(200) } else { 1 };
            let at = position(rng, data);
            let rep: Vec<u8> = piece.repeat(times);
            data.splice(at..at, rep);
        }
        // Splice two seeds: this input's head with another's tail.
        4 => {
            let other = rng.pick(seeds);
            let cut_a = position(rng, data);
            let cut_b = position(rng, other);
            data.truncate(cut_a);
            data.extend_from_slice(&other[cut_b..]);
        }
        // Insert a hostile fragment.
        5..=7 => {
            let frag = rng.pick(hostile(d)).as_bytes();
            let at = position(rng, data);
            data.splice(at..at, frag.iter().copied());
        }
        // Replace a span with a hostile fragment (a value becomes an alias, a tag, a number…).
        8 => {
            let (a, b) = span(rng, len);
            let frag = rng.pick(hostile(d)).as_bytes();
            data.splice(a..b.min(a + 16), frag.iter().copied());
        }
        // Deep nesting.
        9 => {
            let depth = 1 + rng.sometimes_big(300, 20_000);
            let open = *rng.pick(b"[{");
            let at = position(rng, data);
            let mut deep = vec![open; depth];
            if rng.chance(2) {
                let close = if open == b'[' { b']' } else { b'}' };
                deep.extend(std::iter::repeat_n(close, depth));
            }
            data.splice(at..at, deep);
        }
        // A very long line.
        10 => {
            let n = 1 + rng.sometimes_big(2_000, 200_000);
            let c = *rng.pick(b"a9 ,.-");
            let at = position(rng, data);
            data.splice(at..at, std::iter::repeat_n(c, n));
        }
        // Encoding damage: BOM at the start, or an invalid UTF-8 sequence anywhere.
        11 => {
            if rng.chance(2) {
                data.splice(0..0, "\u{feff}".bytes());
            } else {
                let bad = *rng.pick(BAD_UTF8);
                let at = rng.below(len + 1);
                data.splice(at..at, bad.iter().copied());
            }
        }
        // Dialect-specific: an alias bomb, a repeated key, a huge count.
        _ => match d {
            Dialect::Yaml => {
                let at = position(rng, data);
                let bomb = alias_bomb(rng);
                data.splice(at..at, bomb);
            }
            Dialect::Fragment => {
                // Repeat one `&`-part (a key given twice, or up to a thousand claims: about
                // 4,000 claims take a second of CPU in a debug build, 50 ms in release, which
                // made the test command's verdict depend on the machine; the bench's first run
                // went to 5,000).
                let text = data.clone();
                let parts: Vec<&[u8]> = text.split(|b| *b == b'&').collect();
                let part = rng.pick(&parts);
                let times = 1 + rng.sometimes_big(3, 1_000);
                for _ in 0..times {
                    data.push(b'&');
                    data.extend_from_slice(part);
                }
            }
            Dialect::Money => {
                let n = 1 + rng.below(60);
                let at = rng.below(len + 1);
                data.splice(at..at, std::iter::repeat_n(b'9', n));
            }
        },
    }
}

/// A billion-laughs document: each level an anchored list of aliases to the level below.
fn alias_bomb(rng: &mut Rng) -> Vec<u8> {
    let levels = 2 + rng.below(12);
    let width = 2 + rng.below(9);
    let mut s = String::from("\nl0: &l0 [\"lol\"]\n");
    for i in 1..levels {
        let refs = vec![format!("*l{}", i - 1); width].join(", ");
        s.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
    }
    s.into_bytes()
}

/// The largest generated input: 1 MiB, 25 times the largest content file. (Stacked repeats
/// could otherwise build inputs of tens of MB whose only finding is their size, which the
/// per-file size limit of issue 10 item 2 is for.)
const MAX_INPUT: usize = 1 << 20;

/// A mutated input: a seed with one to four mutations (occasionally a seed untouched, so the
/// share that gets through has a floor).
fn generate(rng: &mut Rng, seeds: &[Vec<u8>], pool: &[Vec<u8>], d: Dialect) -> Vec<u8> {
    let mut data = rng.pick(seeds).clone();
    if rng.chance(50) {
        return data;
    }
    for _ in 0..1 + rng.below(4) {
        mutate_once(rng, &mut data, pool, d);
    }
    data.truncate(MAX_INPUT);
    data
}

// ---------------------------------------------------------------------------------------------
// The runner: each input in a worker thread under the watchdog.
// ---------------------------------------------------------------------------------------------

/// How far an input got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reached {
    /// Refused by the parser, with an error.
    Rejected,
    /// Parsed; validation or the engine refused it or reported errors.
    Parsed,
    /// Parsed and run through validation / the engine.
    Engine,
}

/// The code that runs one input.
type RunFn = Arc<dyn Fn(&[u8]) -> Result<Reached, String> + Send + Sync>;

/// A target: its inputs' seeds and how to run one.
struct Target {
    name: String,
    /// What inputs start from.
    seeds: Vec<Vec<u8>>,
    /// What they may be spliced with (the seeds, or every file of the same kind).
    pool: Vec<Vec<u8>>,
    dialect: Dialect,
    /// Runs one input; an `Err` is a broken property (not a crash, but still a finding).
    run: RunFn,
}

/// What went wrong with one input.
#[derive(Debug, Clone)]
struct Finding {
    kind: &'static str,
    detail: String,
    input: Vec<u8>,
}

/// A target's run.
#[derive(Debug, Default)]
struct Report {
    inputs: usize,
    parsed: usize,
    engine: usize,
    wall: Duration,
    slowest: Duration,
    max_input_heap: usize,
    /// The first few findings of each kind.
    findings: Vec<Finding>,
    /// Every finding, counted by kind.
    counts: std::collections::BTreeMap<&'static str, usize>,
}

type Job = Arc<Vec<u8>>;
type Done = (std::thread::Result<Result<Reached, String>>, usize);

/// A worker thread that runs inputs one at a time.
struct Worker {
    tx: mpsc::Sender<Job>,
    rx: mpsc::Receiver<Done>,
    /// The worker's thread id, to read its CPU time.
    tid: Arc<AtomicUsize>,
    /// Its CPU time (clock ticks) when the current input started.
    cpu_start: Arc<AtomicUsize>,
}

/// A thread's CPU time (user + system) in clock ticks (1/100 s on Linux), from
/// `/proc/self/task/TID/stat`; `None` without procfs.
fn thread_cpu_ticks(tid: usize) -> Option<usize> {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = after.split_whitespace().collect();
    Some(f.get(11)?.parse::<usize>().ok()? + f.get(12)?.parse::<usize>().ok()?)
}

/// The calling thread's id (from the `/proc/thread-self` link: `PID/task/TID`).
fn own_tid() -> usize {
    std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name()?.to_str()?.parse().ok())
        .unwrap_or(0)
}

fn worker(run: RunFn) -> Worker {
    let (tx, jobs) = mpsc::channel::<Job>();
    let (done, rx) = mpsc::channel::<Done>();
    let trace = std::env::var_os("FUZZ_TRACE");
    let tid = Arc::new(AtomicUsize::new(0));
    let cpu_start = Arc::new(AtomicUsize::new(0));
    let (tid_w, cpu_w) = (tid.clone(), cpu_start.clone());
    let spawned = std::thread::Builder::new()
        .name("fuzz-worker".into())
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let me = own_tid();
            tid_w.store(me, Ordering::Relaxed);
            for input in jobs {
                cpu_w.store(thread_cpu_ticks(me).unwrap_or(0), Ordering::Relaxed);
                if let Some(t) = &trace {
                    // A stack overflow aborts the process: the input is on disk first.
                    let _ = std::fs::write(t, &*input);
                }
                CURRENT_PTR.store(input.as_ptr() as *mut u8, Ordering::Relaxed);
                CURRENT_LEN.store(input.len(), Ordering::Relaxed);
                let base = LIVE.load(Ordering::Relaxed);
                PEAK.store(base, Ordering::Relaxed);
                let result = std::panic::catch_unwind(AssertUnwindSafe(|| run(&input)));
                let grew = PEAK.load(Ordering::Relaxed).saturating_sub(base);
                CURRENT_PTR.store(std::ptr::null_mut(), Ordering::Relaxed);
                if done.send((result, grew)).is_err() {
                    return;
                }
            }
        });
    spawned.expect("a worker thread");
    Worker {
        tx,
        rx,
        tid,
        cpu_start,
    }
}

/// The panic hook prints nothing while fuzzing: a panic is caught, recorded and reported once.
fn quiet_panics() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current()
                .name()
                .is_some_and(|n| !n.starts_with("fuzz"))
            {
                default(info);
            }
        }));
    });
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic with a non-string payload".into())
}

/// Runs one input on `w` under the watchdog. `None` = hung: it used a second of CPU (not of
/// the wall clock, so a machine busy with other work does not make hangs up) without finishing,
/// or one second of wall time where the CPU time cannot be read.
fn run_one(w: &Worker, input: &Job) -> Option<(Done, Duration)> {
    let t = Instant::now();
    w.tx.send(input.clone()).ok()?;
    if let Ok(d) = w.rx.recv_timeout(WATCHDOG) {
        return Some((d, t.elapsed()));
    }
    let limit_ticks = (WATCHDOG.as_millis() / 10) as usize;
    loop {
        let tid = w.tid.load(Ordering::Relaxed);
        let used = thread_cpu_ticks(tid)
            .map(|now| now.saturating_sub(w.cpu_start.load(Ordering::Relaxed)));
        match used {
            Some(ticks) if ticks >= limit_ticks => return None,
            None => return None,
            Some(_) if t.elapsed() > HANG_GRACE => return None,
            Some(_) => {}
        }
        if let Ok(d) = w.rx.recv_timeout(Duration::from_millis(50)) {
            return Some((d, t.elapsed()));
        }
    }
}

/// Shrinks a panicking input by removing spans while it still panics (at most ~2,000 runs).
fn shrink(run: &RunFn, input: &[u8]) -> Vec<u8> {
    let panics = |data: &[u8]| {
        let data = data.to_vec();
        let run = run.clone();
        std::thread::Builder::new()
            .name("fuzz-shrink".into())
            .spawn(move || std::panic::catch_unwind(AssertUnwindSafe(|| run(&data))).is_err())
            .ok()
            .and_then(|h| h.join().ok())
            .unwrap_or(false)
    };
    let mut best = input.to_vec();
    let mut chunk = best.len() / 2;
    let mut budget = 2_000;
    while chunk > 0 && budget > 0 {
        let mut i = 0;
        while i < best.len() && budget > 0 {
            let mut cand = best.clone();
            cand.drain(i..(i + chunk).min(best.len()));
            budget -= 1;
            if panics(&cand) {
                best = cand;
            } else {
                i += chunk;
            }
        }
        chunk /= 2;
    }
    best
}

/// The number of inputs: `FUZZ_CASES` if set, else `default`.
fn cases(default: usize) -> usize {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn seed_of(name: &str) -> u64 {
    let base = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x7a20_2426);
    // A different stream per target, the same on every run.
    name.bytes()
        .fold(base, |h, b| h.rotate_left(5) ^ u64::from(b))
}

/// The most hangs a target may have before it stops (`FUZZ_MAX_HANGS`, default 10): each one
/// costs up to `HANG_GRACE` of waiting, and the first few say all there is to say.
fn max_hangs() -> usize {
    std::env::var("FUZZ_MAX_HANGS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10)
}

/// How long a hung input is given to finish after the watchdog fired, to report how long it
/// really takes (and to get its worker back).
const HANG_GRACE: Duration = Duration::from_secs(30);

/// Keeps the first few findings of each kind (all are counted).
fn record(report: &mut Report, f: Finding) {
    *report.counts.entry(f.kind).or_default() += 1;
    if report.findings.iter().filter(|g| g.kind == f.kind).count() < 3 {
        report.findings.push(f);
    }
}

/// Runs `n` inputs of `target`, each under the watchdog. A hung input is given `HANG_GRACE` to
/// finish (its time is reported); the target stops after `max_hangs()` hangs.
///
/// With `FUZZ_REPLAY=file[:file…]`, runs those saved inputs instead (the files whose name starts
/// with the target's), timed, without the watchdog.
fn fuzz(target: &Target, n: usize) -> Report {
    quiet_panics();
    let mut report = Report::default();
    if let Ok(files) = std::env::var("FUZZ_REPLAY") {
        for f in files.split(':') {
            let name = Path::new(f)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            if !name.is_some_and(|n| n.starts_with(&file_stem(&target.name))) {
                continue;
            }
            let data = std::fs::read(f).expect("the replayed file");
            let t = Instant::now();
            let r = std::panic::catch_unwind(AssertUnwindSafe(|| (target.run)(&data)));
            eprintln!(
                "replay {f}: {:?} in {:?}",
                r.map_err(|p| panic_message(&*p)),
                t.elapsed()
            );
        }
        return report;
    }
    let mut rng = Rng(seed_of(&target.name));
    let mut w = worker(target.run.clone());
    let start = Instant::now();
    for _ in 0..n {
        let input: Job = Arc::new(generate(
            &mut rng,
            &target.seeds,
            &target.pool,
            target.dialect,
        ));
        report.inputs += 1;
        if report.inputs % 100_000 == 0 {
            eprintln!(
                "{}: {} inputs, {:.0} s",
                target.name,
                report.inputs,
                start.elapsed().as_secs_f64()
            );
        }
        let began = Instant::now();
        let Some(((result, grew), took)) = run_one(&w, &input) else {
            let late = w.rx.recv_timeout(HANG_GRACE);
            let detail = match &late {
                Ok(_) => format!(
                    "no answer within {WATCHDOG:?} of CPU; finished after {:.1} s ({} bytes)",
                    began.elapsed().as_secs_f64(),
                    input.len()
                ),
                Err(_) => format!(
                    "still running after {:?} ({} bytes)",
                    WATCHDOG + HANG_GRACE,
                    input.len()
                ),
            };
            record(
                &mut report,
                Finding {
                    kind: "hang",
                    detail,
                    input: input.to_vec(),
                },
            );
            if late.is_err() {
                w = worker(target.run.clone());
            }
            if report.counts["hang"] >= max_hangs() {
                break;
            }
            continue;
        };
        report.slowest = report.slowest.max(took);
        report.max_input_heap = report.max_input_heap.max(grew);
        if grew > INPUT_HEAP_LIMIT {
            record(
                &mut report,
                Finding {
                    kind: "memory",
                    detail: format!(
                        "the heap grew by {grew} bytes for one input of {} bytes",
                        input.len()
                    ),
                    input: input.to_vec(),
                },
            );
        }
        match result {
            Ok(Ok(r)) => {
                if r != Reached::Rejected {
                    report.parsed += 1;
                }
                if r == Reached::Engine {
                    report.engine += 1;
                }
            }
            Ok(Err(broken)) => record(
                &mut report,
                Finding {
                    kind: "property",
                    detail: broken,
                    input: input.to_vec(),
                },
            ),
            Err(p) => {
                let msg = panic_message(&*p);
                let first = !report.counts.contains_key("panic");
                // Shrinking costs up to 2,000 runs: only the first panic of a target.
                let small = if first {
                    shrink(&target.run, &input)
                } else {
                    input.to_vec()
                };
                record(
                    &mut report,
                    Finding {
                        kind: "panic",
                        detail: msg,
                        input: small,
                    },
                );
                // The panic was caught, but start afresh in case it left a lock poisoned.
                w = worker(target.run.clone());
            }
        }
    }
    report.wall = start.elapsed();
    report
}

/// A target's name as a file name.
fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Saves findings under `target/fuzz-findings/`, appends a summary line to `FUZZ_REPORT` if set,
/// and fails the test on any finding.
fn conclude(name: &str, r: Report) {
    if let Err(e) = summarise(name, r) {
        panic!("{e}");
    }
}

/// The summary line and the findings; `Err` lists the findings.
fn summarise(name: &str, r: Report) -> Result<(), String> {
    let dir = common::repo().join("target/fuzz-findings");
    let mut lines = Vec::new();
    for (i, f) in r.findings.iter().enumerate() {
        let _ = std::fs::create_dir_all(&dir);
        // The seed in the name when it is not the default: runs side by side keep their own files.
        let seed = std::env::var("FUZZ_SEED")
            .map(|s| format!("seed{s}-"))
            .unwrap_or_default();
        let path = dir.join(format!("{}-{seed}{}-{i}.bin", file_stem(name), f.kind));
        let _ = std::fs::write(&path, &f.input);
        let shown = String::from_utf8_lossy(&f.input[..f.input.len().min(300)]).into_owned();
        lines.push(format!(
            "{} ({} bytes, saved to {}): {}\n    input starts: {:?}",
            f.kind,
            f.input.len(),
            path.display(),
            f.detail,
            shown
        ));
    }
    let pct = |k: usize| 100.0 * k as f64 / r.inputs.max(1) as f64;
    let counts: Vec<String> = r.counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
    if !counts.is_empty() {
        lines.insert(0, format!("counts: {}", counts.join(", ")));
    }
    let summary = format!(
        "| {name} | {} | {:.1} s | {:.1}% | {:.1}% | {} ms | {:.1} MB | {} |",
        r.inputs,
        r.wall.as_secs_f64(),
        pct(r.parsed),
        pct(r.engine),
        r.slowest.as_millis(),
        r.max_input_heap as f64 / (1 << 20) as f64,
        if lines.is_empty() {
            "none".to_string()
        } else {
            lines.join("; ").replace('\n', " ").replace('|', "\\|")
        }
    );
    eprintln!("{summary}");
    if let Ok(p) = std::env::var("FUZZ_REPORT") {
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
        {
            let _ = writeln!(f, "{summary}");
        }
    }
    if lines.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{name}: {} finding(s) in {} inputs:\n{}",
            lines.len(),
            r.inputs,
            lines.join("\n")
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Seeds and targets.
// ---------------------------------------------------------------------------------------------

fn content_dir() -> PathBuf {
    common::repo().join("content")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(content_dir().join(rel)).unwrap_or_else(|e| panic!("content/{rel}: {e}"))
}

/// The rule set built from the real content, once per process.
fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| commands::ruleset(&content_dir()).expect("the real content builds"))
}

/// The worked examples' scenarios (content/examples.yaml).
fn example_scenarios() -> Vec<Scenario> {
    let file = SourceFile {
        path: "content/examples.yaml".into(),
        text: String::from_utf8(read("examples.yaml")).unwrap(),
    };
    let examples: Vec<Example> = parse_yaml(&file).expect("examples.yaml parses");
    examples.into_iter().map(|e| e.scenario).collect()
}

/// Scenario files: examples/scenarios/*.yaml, and each worked example's scenario as YAML and
/// as JSON (the formats `estimate` reads).
fn scenario_seeds() -> Vec<Vec<u8>> {
    let dir = common::repo().join("examples/scenarios");
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    for s in example_scenarios() {
        seeds.push(serde_norway::to_string(&s).unwrap().into_bytes());
        seeds.push(serde_json::to_string_pretty(&s).unwrap().into_bytes());
    }
    seeds
}

/// The fragments of every worked example and example scenario file.
fn fragment_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = example_scenarios()
        .iter()
        .map(|s| s.to_fragment().into_bytes())
        .collect();
    for seed in scenario_seeds() {
        if let Ok(s) = serde_norway::from_slice::<Scenario>(&seed) {
            seeds.push(s.to_fragment().into_bytes());
        }
    }
    seeds.sort();
    seeds.dedup();
    seeds
}

/// Amounts as readers type them, and every amount in the worked examples.
fn money_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<String> = [
        "120000",
        "12万",
        "１２００００",
        "¥120,000",
        "1,5",
        "1e5",
        "12.345万",
        "120,000.50",
        "0",
        "0.01",
        "1234.5",
        " 80000 ",
        "-0",
        "100000000000",
        "3000000",
        "150",
        "12万元",
        "RMB 120,000",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for s in example_scenarios() {
        for c in s.claims {
            seeds.extend(c.other_award);
            for i in c.instances {
                seeds.extend(i.inputs.into_values());
            }
        }
    }
    seeds.sort();
    seeds.dedup();
    seeds.into_iter().map(String::into_bytes).collect()
}

/// Runs the scenario through the engine as `estimate` does, as text in English or as JSON in
/// Chinese (chosen by `pick`, the input's length: both are covered at half the cost).
fn run_engine(s: &Scenario, pick: usize) -> Result<Reached, String> {
    let (format, lang) = if pick % 2 == 0 {
        (Format::Text, Lang::En)
    } else {
        (Format::Json, Lang::Zh)
    };
    commands::estimate(rules(), s, format, lang).map_err(|e| format!("estimate failed: {e}"))?;
    Ok(Reached::Engine)
}

/// One content file type, parsed alone through `parse_yaml::<T>`.
fn parse_target<T: DeserializeOwned + 'static>(rel: &'static str, pool: &[Vec<u8>]) -> Target {
    let run = move |data: &[u8]| {
        // The loader reads files with `read_to_string`: invalid UTF-8 never reaches the parser
        // (the whole-folder target covers that path); the lossy text does.
        let file = SourceFile {
            path: PathBuf::from("content").join(rel),
            text: String::from_utf8_lossy(data).into_owned(),
        };
        Ok(match parse_yaml::<T>(&file) {
            Ok(_) => Reached::Parsed,
            Err(e) => {
                // The error must name the file.
                let shown = e.to_string();
                if !shown.contains(rel.rsplit('/').next().unwrap_or(rel)) {
                    return Err(format!("the error does not name the file: {shown}"));
                }
                Reached::Rejected
            }
        })
    };
    Target {
        name: format!("parse_yaml {rel}"),
        seeds: vec![read(rel)],
        pool: pool.to_vec(),
        dialect: Dialect::Yaml,
        run: Arc::new(run),
    }
}

/// The content files, relative to `content/`, in the loader's order.
const CONTENT_FILES: [&str; 10] = [
    "site.yaml",
    "units.yaml",
    "places.yaml",
    "glossary.yaml",
    "documents/tzzb-2024-26/versions/2025-01-01/notice.yaml",
    "documents/tzzb-2024-26/versions/2025-01-01/plan.yaml",
    "documents/tzzb-2024-26/versions/2025-01-01/attachment.yaml",
    "documents/tzzb-2024-26/versions/2025-01-01/repairs.yaml",
    "examples.yaml",
    "search-synonyms.yaml",
];

/// One target per content file type, each parsed by its own type; splicing draws on every file.
fn content_targets() -> Vec<Target> {
    let pool: Vec<Vec<u8>> = CONTENT_FILES.iter().map(|f| read(f)).collect();
    vec![
        parse_target::<Strings>(CONTENT_FILES[0], &pool),
        parse_target::<Vec<ResponsibleUnit>>(CONTENT_FILES[1], &pool),
        parse_target::<Vec<PlaceEntry>>(CONTENT_FILES[2], &pool),
        parse_target::<Vec<Term>>(CONTENT_FILES[3], &pool),
        parse_target::<DocumentMeta>(CONTENT_FILES[4], &pool),
        parse_target::<Plan>(CONTENT_FILES[5], &pool),
        parse_target::<Attachment>(CONTENT_FILES[6], &pool),
        parse_target::<Vec<Repair>>(CONTENT_FILES[7], &pool),
        parse_target::<Vec<Example>>(CONTENT_FILES[8], &pool),
        parse_target::<Vec<SynonymEntry>>(CONTENT_FILES[9], &pool),
    ]
}

/// The content loader, file by file: `n` inputs shared among the ten file types.
fn fuzz_content_files(n: usize) {
    let targets = content_targets();
    let per = n.div_ceil(targets.len());
    let mut failures = Vec::new();
    for t in &targets {
        let r = fuzz(t, per);
        if let Err(e) = summarise(&t.name, r) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The whole folder: a temporary copy of `content/` with one file replaced by a mutation of
/// itself, loaded and validated by `load_valid` and turned into a rule set (what `check`,
/// `build` and `estimate` all start with).
fn folder_target(dir: &Path) -> Target {
    let pool: Vec<Vec<u8>> = CONTENT_FILES.iter().map(|f| read(f)).collect();
    common::copy_dir(&content_dir(), dir);
    let dir = dir.to_path_buf();
    // Which file the input replaces: chosen from the input's own bytes, so a saved finding
    // replays (the first byte, then dropped).
    let run = move |data: &[u8]| -> Result<Reached, String> {
        let Some((&which, body)) = data.split_first() else {
            return Ok(Reached::Rejected);
        };
        let rel = CONTENT_FILES[which as usize % CONTENT_FILES.len()];
        let original = read(rel);
        std::fs::write(dir.join(rel), body).map_err(|e| e.to_string())?;
        let loaded = generator::load_valid(&dir);
        let result = match loaded {
            Err(e) => {
                let shown = e.to_string();
                if shown.trim().is_empty() {
                    return Err("an empty error message".into());
                }
                Ok(Reached::Rejected)
            }
            Ok(_) => match commands::ruleset(&dir) {
                Ok(_) => Ok(Reached::Engine),
                Err(_) => Ok(Reached::Parsed),
            },
        };
        std::fs::write(dir.join(rel), original).map_err(|e| e.to_string())?;
        result
    };
    let seeds = pool
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut v = vec![i as u8];
            v.extend_from_slice(f);
            v
        })
        .collect();
    Target {
        name: "load_valid content/ (one file mutated)".into(),
        seeds,
        pool,
        dialect: Dialect::Yaml,
        run: Arc::new(run),
    }
}

fn fuzz_folder(n: usize) {
    let tmp = common::TempDir::new("fuzz-folder");
    let t = folder_target(&tmp.0.join("content"));
    let r = fuzz(&t, n);
    conclude(&t.name, r);
}

/// Scenario files through `read_scenario`, and the engine on what parses.
fn fuzz_scenarios(n: usize) {
    let tmp = common::TempDir::new("fuzz-scenario");
    let path = tmp.0.join("scenario.yaml");
    let seeds = scenario_seeds();
    let _ = rules();
    let run = move |data: &[u8]| -> Result<Reached, String> {
        std::fs::write(&path, data).map_err(|e| e.to_string())?;
        match commands::read_scenario(&path) {
            Ok(s) => run_engine(&s, data.len()),
            Err(e) => {
                let shown = e.to_string();
                if !shown.contains("scenario.yaml") {
                    return Err(format!("the error does not name the file: {shown}"));
                }
                Ok(Reached::Rejected)
            }
        }
    };
    let t = Target {
        name: "read_scenario + estimate".into(),
        pool: seeds.clone(),
        seeds,
        dialect: Dialect::Yaml,
        run: Arc::new(run),
    };
    let r = fuzz(&t, n);
    conclude(&t.name, r);
}

/// URL fragments through `Scenario::from_fragment`; what decodes must encode back to itself and
/// run through the engine.
fn fuzz_fragments(n: usize) {
    let seeds = fragment_seeds();
    let _ = rules();
    let run = |data: &[u8]| -> Result<Reached, String> {
        // A fragment reaches the decoder as a string (the browser's `location.hash`).
        let text = String::from_utf8_lossy(data);
        match Scenario::from_fragment(&text) {
            Ok(s) => {
                let again = Scenario::from_fragment(&s.to_fragment()).map_err(|e| {
                    format!("to_fragment of a decoded scenario does not decode: {e}")
                })?;
                if again != s {
                    return Err(format!(
                        "decode(encode(s)) != s: {:?} became {:?}",
                        s.to_fragment(),
                        again.to_fragment()
                    ));
                }
                run_engine(&s, data.len())
            }
            Err(_) => Ok(Reached::Rejected),
        }
    };
    let t = Target {
        name: "Scenario::from_fragment + estimate".into(),
        pool: seeds.clone(),
        seeds,
        dialect: Dialect::Fragment,
        run: Arc::new(run),
    };
    let r = fuzz(&t, n);
    conclude(&t.name, r);
}

/// The largest amount the parser accepts (the documented RMB 100 billion).
fn max_amount() -> Decimal {
    Decimal::from(100_000_000_000_i64)
}

/// Typed amounts and counts through `parse_amount` / `parse_count`; what parses is in range, to
/// the fen, and parses again from its own plain decimal form to the same amount.
fn fuzz_money(n: usize) {
    let seeds = money_seeds();
    let run = |data: &[u8]| -> Result<Reached, String> {
        let text = String::from_utf8_lossy(data);
        let count = parse_count(&text);
        if let Ok(c) = count {
            if c > 999_999_999 {
                return Err(format!("count {c} above nine digits"));
            }
        }
        match parse_amount(&text) {
            Ok(m) => {
                if m.0 > max_amount() || m.0.is_sign_negative() && !m.0.is_zero() {
                    return Err(format!("{text:?} parsed to {} out of range", m.0));
                }
                if m.0.normalize().scale() > 2 {
                    return Err(format!("{text:?} parsed to {} finer than the fen", m.0));
                }
                let again = parse_amount(&m.0.to_string())
                    .map_err(|e| format!("{} (from {text:?}) does not parse again: {e:?}", m.0))?;
                if again != m {
                    return Err(format!("{text:?} → {} → {}", m.0, again.0));
                }
                Ok(Reached::Engine)
            }
            Err(_) if count.is_ok() => Ok(Reached::Parsed),
            Err(_) => Ok(Reached::Rejected),
        }
    };
    let t = Target {
        name: "parse_amount + parse_count".into(),
        pool: seeds.clone(),
        seeds,
        dialect: Dialect::Money,
        run: Arc::new(run),
    };
    let r = fuzz(&t, n);
    conclude(&t.name, r);
}

// ---------------------------------------------------------------------------------------------
// The test command: 10,000 inputs per target (the whole folder: 200, each input loading all
// of content/).
// ---------------------------------------------------------------------------------------------

#[test]
fn content_files_survive_mutation() {
    fuzz_content_files(10_000);
}

#[test]
fn content_folder_survives_one_mutated_file() {
    fuzz_folder(200);
}

#[test]
fn scenario_files_survive_mutation() {
    fuzz_scenarios(10_000);
}

#[test]
fn url_fragments_survive_mutation() {
    fuzz_fragments(10_000);
}

#[test]
fn amounts_survive_mutation() {
    fuzz_money(10_000);
}

// ---------------------------------------------------------------------------------------------
// The bench (bench/fuzz/run): FUZZ_CASES inputs per target, in release.
// ---------------------------------------------------------------------------------------------

#[test]
#[ignore = "bench: bench/fuzz/run runs it with FUZZ_CASES in release"]
fn bench_content_files() {
    // FUZZ_CONTENT_CASES, if set, overrides FUZZ_CASES for this target alone (its inputs are
    // whole files of up to 41 kB: the slowest per input after the whole folder).
    let n = std::env::var("FUZZ_CONTENT_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| cases(1_000_000));
    fuzz_content_files(n);
}

#[test]
#[ignore = "bench: bench/fuzz/run runs it with FUZZ_FOLDER_CASES in release"]
fn bench_content_folder() {
    let n = std::env::var("FUZZ_FOLDER_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    fuzz_folder(n);
}

#[test]
#[ignore = "bench: bench/fuzz/run runs it with FUZZ_CASES in release"]
fn bench_scenarios() {
    fuzz_scenarios(cases(1_000_000));
}

#[test]
#[ignore = "bench: bench/fuzz/run runs it with FUZZ_CASES in release"]
fn bench_fragments() {
    fuzz_fragments(cases(1_000_000));
}

#[test]
#[ignore = "bench: bench/fuzz/run runs it with FUZZ_CASES in release"]
fn bench_money() {
    fuzz_money(cases(1_000_000));
}

/// Found by the fuzzer: `Money::parse` recursed once per leading `-`, so 67,193 of them
/// overflowed an 8 MiB stack (and far fewer the browser's 1 MiB WASM stack) and aborted the
/// process. Run on a 1 MiB stack, as in the browser.
#[test]
fn a_long_run_of_minus_signs_is_refused_without_overflowing_the_stack() {
    let typed = format!("{}5", "-".repeat(200_000));
    let result = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || parse_amount(&typed).is_err())
        .unwrap()
        .join()
        .unwrap();
    assert!(result, "a run of minus signs was accepted as an amount");
    // One sign still reads as a negative amount, and minus zero as zero.
    assert!(parse_amount("-5").is_err());
    assert_eq!(parse_amount("-0"), Ok(Money::ZERO));
}

// ---------------------------------------------------------------------------------------------
// parse(format(m)) = m for every amount in range.
// ---------------------------------------------------------------------------------------------

/// Every amount the parser accepts: whole fen from 0 to RMB 100 billion.
fn any_money() -> impl Strategy<Value = Money> {
    (0i64..=10_000_000_000_000).prop_map(|fen| Money(Decimal::new(fen, 2).normalize()))
}

/// Thousands separators in the integer part, as the site groups them.
fn grouped(d: Decimal) -> String {
    calculator::money::group_thousands(&d.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(10_000) as u32))]

    /// The plain decimal forms the strict parser accepts: `120000`, `120000.5`, `120,000.50`
    /// (what a form echoes and what content writes).
    #[test]
    fn amounts_round_trip_through_their_plain_decimal_form(m in any_money()) {
        prop_assert_eq!(parse_amount(&m.0.to_string()), Ok(m));
        prop_assert_eq!(parse_amount(&format!("{:.2}", m.0)), Ok(m));
        prop_assert_eq!(parse_amount(&grouped(m.0)), Ok(m));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(10_000) as u32))]

    /// The form the site PRINTS, `Money::display` (`60,000.00元`, `6万元`, `RMB 60,000.00`,
    /// `RMB 2 million`), read back by the reader-facing parser. It failed with the strict parser
    /// (`RMB 0` was "not a number") and holds since the lenient one (`Money::parse_typed`).
    #[test]
    fn amounts_round_trip_through_their_display_form(m in any_money(), zh in any::<bool>()) {
        let lang = if zh { Lang::Zh } else { Lang::En };
        prop_assert_eq!(parse_amount(&m.display(lang)), Ok(m), "{}", m.display(lang));
    }
}
