//! Phase timings of a build, for profiling: with `GENERATOR_TIMINGS=1` in the environment each
//! phase prints its wall time to stderr (`timing: render.pages 12.3 ms`); without it nothing is
//! measured or printed. `bench/build/warm.md` records what they showed.

use std::sync::OnceLock;
use std::time::Instant;

/// Whether `GENERATOR_TIMINGS` asks for the timings (read once per process).
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("GENERATOR_TIMINGS").is_ok_and(|v| !v.is_empty() && v != "0"))
}

/// Runs `f`, printing how long it took as phase `name` when timings are on.
pub fn time<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let started = Instant::now();
    let value = f();
    eprintln!(
        "timing: {name} {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    value
}
