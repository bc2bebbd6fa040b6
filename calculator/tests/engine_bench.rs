//! How long the engine alone takes on a large scenario: `bench/calculator/run` times the whole
//! `generator estimate` process and the browser; this times `calculator::estimate` by itself, in
//! process, on the site's rule set. Run by hand (ignored in the suite: it measures, it does not
//! check behaviour beyond the estimate being free of input errors):
//!
//! ```sh
//! ENGINE_BENCH_RULES=$PWD/bench/out/calculator/sites/real/dist/rules.json \
//! ENGINE_BENCH_SCENARIO=$PWD/bench/out/calculator/scenario-100.yaml \
//!   cargo test --release -p calculator --test engine_bench -- --ignored --nocapture
//! ```
//!
//! (absolute paths: cargo runs the test in `calculator/`), or `ENGINE_BENCH=release bash
//! bench/calculator/run`, which adds the line to its results.
//!
//! Prints the median, fastest and slowest of 1,001 estimates (after 50 to warm up).

use std::time::Instant;

use calculator::{estimate, RuleSet, Scenario};

#[test]
#[ignore]
fn time_one_estimate() {
    let (Ok(rules), Ok(scenario)) = (
        std::env::var("ENGINE_BENCH_RULES"),
        std::env::var("ENGINE_BENCH_SCENARIO"),
    ) else {
        panic!("set ENGINE_BENCH_RULES (a site's rules.json) and ENGINE_BENCH_SCENARIO (a scenario .yaml)");
    };
    let rules: RuleSet =
        serde_json::from_str(&std::fs::read_to_string(&rules).expect("rules file"))
            .expect("rules.json parses");
    let scenario: Scenario =
        serde_norway::from_str(&std::fs::read_to_string(&scenario).expect("scenario file"))
            .expect("scenario parses");
    let items: usize = scenario.claims.iter().map(|c| c.instances.len()).sum();
    let first = estimate(&rules, &scenario);
    assert!(
        first.errors.is_empty() && first.lines.iter().all(|l| l.errors.is_empty()),
        "the scenario has input errors"
    );
    for _ in 0..50 {
        std::hint::black_box(estimate(&rules, std::hint::black_box(&scenario)));
    }
    let mut times: Vec<f64> = (0..1001)
        .map(|_| {
            let t0 = Instant::now();
            std::hint::black_box(estimate(&rules, std::hint::black_box(&scenario)));
            t0.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "engine: {} claims, {items} items: median {:.1} µs, fastest {:.1} µs, slowest {:.1} µs ({} build)",
        scenario.claims.len(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
}
