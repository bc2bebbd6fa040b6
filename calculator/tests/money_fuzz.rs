//! Fuzzing the money parser: inputs mutated from real ones (the typed-amount fixture, the worked
//! examples' amounts, and every rendering the site prints) go through the lenient amount and
//! count readers and the strict content reader. None may panic or hang, and whatever is
//! accepted must be an amount the engine can use and read back from its own echo.
//!
//! 10,000 inputs in the test command; `MONEY_FUZZ_CASES=1000000` (see `bench/fuzz-money/run`)
//! for the long run. A watchdog aborts the run if any one input takes more than a second.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use calculator::scenario::parse_count;
use calculator::{Lang, Money};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rust_decimal::Decimal;

/// How long one input may take before the run is called hung.
const WATCHDOG: Duration = Duration::from_secs(1);

/// Inputs a reader or the site produces, to mutate from.
fn seeds() -> Vec<String> {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/typed-amounts.json")).unwrap();
    let mut out: Vec<String> = ["accepted", "refused"]
        .iter()
        .flat_map(|k| fixture[k].as_array().unwrap().iter())
        .map(|c| c["input"].as_str().unwrap().to_string())
        .collect();
    for raw in [
        "80000.05", "120000", "3000000", "900000", "149", "150", "0.01",
    ] {
        let m = Money::parse(raw).unwrap();
        for lang in [Lang::Zh, Lang::En] {
            out.push(m.display(lang));
            out.push(m.as_in_text(lang));
            out.push(m.echo(lang));
        }
        out.push(raw.to_string());
    }
    out
}

/// Characters a mutation inserts: what readers type, what could confuse the grammar, and a
/// few far outside it.
const ALPHABET: &[char] = &[
    '0', '1', '5', '9', '０', '５', '９', '.', '．', ',', '，', ' ', '\u{3000}', '\u{a0}', '\t',
    '万', '元', '亿', '¥', '￥', 'R', 'M', 'B', 'r', 'm', 'b', 'e', 'E', '-', '－', '−', '+', '_',
    '%', '\'', '"', '\u{200b}', '\u{feff}', 'é', '😀', '\0', '\n',
];

#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
    /// Repeats a slice of the input (long runs of digits, separators, units).
    Repeat(usize, usize, usize),
}

fn apply(seed: &str, muts: &[Mutation]) -> String {
    let mut cs: Vec<char> = seed.chars().collect();
    for m in muts {
        let n = cs.len();
        match *m {
            Mutation::Insert(i, c) => cs.insert(i % (n + 1), c),
            Mutation::Delete(i) if n > 0 => {
                cs.remove(i % n);
            }
            Mutation::Replace(i, c) if n > 0 => cs[i % n] = c,
            Mutation::Repeat(i, len, times) if n > 0 => {
                let start = i % n;
                let end = (start + len).min(n);
                let piece: Vec<char> = cs[start..end].to_vec();
                for _ in 0..times {
                    cs.splice(end..end, piece.iter().copied());
                }
            }
            _ => {}
        }
    }
    cs.into_iter().collect()
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let ch = proptest::sample::select(ALPHABET);
    prop_oneof![
        (any::<usize>(), ch.clone()).prop_map(|(i, c)| Mutation::Insert(i, c)),
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), ch).prop_map(|(i, c)| Mutation::Replace(i, c)),
        (any::<usize>(), 1usize..6, 1usize..40).prop_map(|(i, l, t)| Mutation::Repeat(i, l, t)),
    ]
}

/// What one input must satisfy, whatever it is.
fn check(input: &str) -> Result<bool, String> {
    let typed = Money::parse_typed(input);
    if let Ok(m) = typed {
        if m.0.normalize().scale() > 2 {
            return Err(format!(
                "{input:?}: read with more than two decimals: {m:?}"
            ));
        }
        if m.0 < Decimal::ZERO || m.0 > Decimal::from(100_000_000_000i64) {
            return Err(format!(
                "{input:?}: read outside 0 – RMB 100 billion: {m:?}"
            ));
        }
        for lang in [Lang::Zh, Lang::En] {
            let echo = m.echo(lang);
            if Money::parse_typed(echo.trim_start_matches("= ")) != Ok(m) {
                return Err(format!("{input:?}: its echo {echo:?} does not read back"));
            }
        }
    }
    // Whatever content may write, a reader may type, with the same value.
    if let Ok(strict) = Money::parse(input) {
        if typed != Ok(strict) {
            return Err(format!(
                "{input:?}: strict reads {strict:?}, typed reads {typed:?}"
            ));
        }
    }
    let _ = parse_count(input);
    Ok(typed.is_ok())
}

fn cases() -> u32 {
    std::env::var("MONEY_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

#[test]
fn mutated_inputs_never_panic_hang_or_read_as_unusable_amounts() {
    let seeds = seeds();
    let strategy = (
        proptest::sample::select(seeds),
        proptest::collection::vec(mutation(), 0..8),
    )
        .prop_map(|(seed, muts)| apply(&seed, &muts));

    // The watchdog: the runner reports progress; a stall longer than WATCHDOG aborts.
    let current = Arc::new(Mutex::new(String::new()));
    let progress = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let dog = {
        let (current, progress, done) = (current.clone(), progress.clone(), done.clone());
        std::thread::spawn(move || {
            let mut last = (0, Instant::now());
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let p = progress.load(Ordering::Relaxed);
                if p != last.0 {
                    last = (p, Instant::now());
                } else if last.1.elapsed() > WATCHDOG {
                    eprintln!("money parser hung on {:?}", current.lock().unwrap());
                    std::process::abort();
                }
            }
        })
    };

    let n = cases();
    let config = Config {
        cases: n,
        failure_persistence: None,
        ..Config::default()
    };
    // A fixed seed: the test command's 10,000 are the same inputs every run.
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let accepted = AtomicU64::new(0);
    let longest = Mutex::new(Duration::ZERO);
    let started = Instant::now();
    let result = runner.run(&strategy, |input| {
        *current.lock().unwrap() = input.clone();
        let t = Instant::now();
        let ok = check(&input).map_err(TestCaseError::fail)?;
        let took = t.elapsed();
        progress.fetch_add(1, Ordering::Relaxed);
        if ok {
            accepted.fetch_add(1, Ordering::Relaxed);
        }
        let mut l = longest.lock().unwrap();
        *l = (*l).max(took);
        prop_assert!(took < WATCHDOG, "{:?} took {:?}", input, took);
        Ok(())
    });
    done.store(true, Ordering::Relaxed);
    dog.join().unwrap();
    let accepted = accepted.load(Ordering::Relaxed);
    let run = progress.load(Ordering::Relaxed);
    eprintln!(
        "money fuzz: {run} of {n} inputs in {:.1?}, {accepted} accepted as amounts ({:.1}%), slowest {:?}",
        started.elapsed(),
        100.0 * accepted as f64 / run.max(1) as f64,
        longest.lock().unwrap()
    );
    result.unwrap();
    // The mutations keep enough inputs valid for the checks on accepted amounts to bite.
    assert!(accepted * 20 > run, "only {accepted} of {run} accepted");
}
