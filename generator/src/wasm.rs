//! The calculator's WASM, built as part of the site: compile the `calculator` crate's browser
//! app for `wasm32-unknown-unknown`, generate its JS glue in-process with
//! `wasm-bindgen-cli-support`, and shrink it with binaryen's `wasm-opt -Oz` and the glue with
//! `esbuild --minify` when the npm packages are installed. On a fresh machine the wasm32 target
//! is added with rustup first.
//!
//! The app reads the rules from the page's data block at run time, so a content change rebuilds
//! nothing here: the files of a build are kept under `target/wasm/ready/`, keyed by a digest of
//! everything that decides them (the calculator's sources, the lock file, cargo's settings, the
//! toolchain, wasm-opt), and a build with the same digest takes them from there without running
//! cargo, rustc or wasm-opt. Within one process (`generator serve`) the files are built only
//! once. Identical sources give byte-identical files.
//!
//! A released generator (`scripts/release`) carries the files instead, embedded at compile time
//! (`build.rs`, `GENERATOR_CALCULATOR_DIR`): it never runs cargo, rustup or wasm-opt, so an
//! editor with the binary and `content/` alone can build and preview the site.

use std::path::{Path, PathBuf};
use std::process::{Command, Output as ProcessOutput};
use std::sync::{Mutex, PoisonError};

use crate::error::BuildError;
use crate::timings::time;

/// The target the browser app is compiled for.
const TARGET: &str = "wasm32-unknown-unknown";
/// Where the files go in `dist/`.
pub const OUT_DIR: &str = "static/calculator";
/// The module the page loads: it imports the glue and passes it the WASM's URL.
pub const LOADER: &str = "static/calculator/boot.js";

/// The WebAssembly features rustc enables by default for wasm32-unknown-unknown (and so uses):
/// wasm-bindgen's output no longer carries the `target_features` section that would tell
/// wasm-opt, and `--all-features` would let it use features browsers may lack.
const FEATURES: [&str; 7] = [
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// wasm-opt's options. `-Oz`, except that a function with a single caller is not inlined into
/// it: that shrinks the module's bytes but lengthens it gzipped (measured on this app: 140.7 KB
/// gzip with it, 133.4 KB without; gzip is what a browser downloads). Debug sections and the
/// producers section are dropped.
const OPT_ARGS: [&str; 4] = [
    "-Oz",
    "--one-caller-inline-max-function-size=0",
    "--strip-debug",
    "--strip-producers",
];

/// The loader. `wasm-bindgen-cli-support` as a library omits the glue's default WASM path, so
/// the URL is passed explicitly, relative to this file. On failure a line above
/// `#calculator-app` says so in the page's language (its `data-failed` attribute); the form the
/// build rendered stays, since it shows what the estimator asks.
const BOOT_JS: &str =
    "// Starts the subsidy estimator: instantiates the WASM, whose start function renders the app\n\
// in #calculator-app in place of its first view, which the build rendered. Written by the site build\n\
// (generator/src/wasm.rs).\n\
import init from './calculator.js';\n\
init({ module_or_path: new URL('calculator_bg.wasm', import.meta.url) }).catch(function (e) {\n\
  var el = document.getElementById('calculator-app');\n\
  if (el && el.getAttribute('data-failed')) {\n\
    var p = document.createElement('p');\n\
    p.className = 'calc-status calc-failed';\n\
    p.setAttribute('role', 'alert');\n\
    p.textContent = el.getAttribute('data-failed');\n\
    el.parentNode.insertBefore(p, el);\n\
  }\n\
  throw e;\n\
});\n";

/// The workspace root: the calculator's sources sit beside the generator's.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The calculator's files by path under `dist/`.
pub type CalculatorFiles = Vec<(String, Vec<u8>)>;

/// The files this process has built, with the workspace root they were built from. The
/// calculator's sources are taken as fixed for the life of a process: `generator serve` builds
/// the WASM once when it starts and reuses it on every content or theme save (which cannot change
/// it: the app reads the rules from `rules.json`), saving the cargo, wasm-bindgen and cache steps
/// on each rebuild; a change under `calculator/` asks for a restart. One-shot commands build once
/// anyway.
static BUILT: Mutex<Option<(PathBuf, CalculatorFiles)>> = Mutex::new(None);

/// The calculator's files this binary was compiled with (see `build.rs`).
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_calculator.rs"));
}

/// True for a released generator, which carries the calculator's WASM and glue and so never
/// compiles them (nor watches `calculator/` in `serve`).
pub fn is_embedded() -> bool {
    embedded::EMBEDDED.is_some()
}

/// The embedded files by path under `dist/`, with the loader, in a released generator.
fn embedded_files() -> Option<CalculatorFiles> {
    let files = embedded::EMBEDDED?;
    Some(
        files
            .iter()
            .map(|(name, bytes)| (format!("{OUT_DIR}/{name}"), bytes.to_vec()))
            .chain([(LOADER.to_string(), BOOT_JS.as_bytes().to_vec())])
            .collect(),
    )
}

/// Returns the calculator's files by path under `dist/`: `static/calculator/calculator_bg.wasm`,
/// `calculator.js` and the loader `boot.js` — the embedded ones in a released generator,
/// otherwise built (once per process and workspace root, see [`BUILT`]).
pub fn build_calculator(root: &Path) -> Result<CalculatorFiles, BuildError> {
    if let Some(files) = embedded_files() {
        return Ok(files);
    }
    let mut built = BUILT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((from, files)) = built.as_ref() {
        if from == root {
            return Ok(files.clone());
        }
    }
    let files = build_calculator_now(root)?;
    *built = Some((root.to_path_buf(), files.clone()));
    Ok(files)
}

/// Compiles, binds and optimises the calculator, without looking at [`BUILT`]. A build whose
/// inputs ([`inputs_key`]) are those of an earlier one takes that build's files from
/// `target/wasm/ready/` instead, running no cargo, rustc or wasm-opt: that is a warm build's
/// case, and those processes were most of its time (`bench/build/warm.md`).
fn build_calculator_now(root: &Path) -> Result<CalculatorFiles, BuildError> {
    let target_dir = root.join("target/wasm");
    let key = time("wasm: inputs' digest", || inputs_key(root));
    let ready = key.map(|k| target_dir.join("ready").join(format!("{k:016x}")));
    let (wasm, js) = match ready.as_deref().and_then(read_ready) {
        Some(files) => {
            note_unoptimised(root);
            files
        }
        None => {
            time("wasm: rustc target check", ensure_target)?;
            let raw = time("wasm: cargo build", || compile(root, &target_dir))?;
            let (wasm, js) = time("wasm: bindgen", || bindgen(&raw))?;
            let wasm = time("wasm: wasm-opt (cached)", || {
                optimise(root, &target_dir, wasm)
            })?;
            let js = time("wasm: esbuild (cached)", || {
                minify(root, &target_dir, js.into_bytes())
            })?;
            // Kept only if no input changed while cargo ran: else the files could be those
            // of the newer sources, filed under the older ones' key.
            if let Some(dir) = ready.filter(|_| inputs_key(root) == key) {
                store_ready(&dir, &wasm, &js);
            }
            (wasm, js)
        }
    };
    Ok(vec![
        (format!("{OUT_DIR}/calculator_bg.wasm"), wasm),
        (format!("{OUT_DIR}/calculator.js"), js),
        (LOADER.to_string(), BOOT_JS.as_bytes().to_vec()),
    ])
}

/// The files a ready folder holds: the optimised WASM and its glue.
const READY: [&str; 2] = ["calculator_bg.wasm", "calculator.js"];

/// The WASM and glue of an earlier build with the same inputs, if both are there.
fn read_ready(dir: &Path) -> Option<(Vec<u8>, Vec<u8>)> {
    let wasm = std::fs::read(dir.join(READY[0])).ok()?;
    let js = std::fs::read(dir.join(READY[1])).ok()?;
    Some((wasm, js))
}

/// Files the WASM and glue under their inputs' key. Written to a folder of this process and
/// renamed into place, so a killed build never leaves half a pair. A failure only costs the
/// next build the cargo step, so it is not an error.
fn store_ready(dir: &Path, wasm: &[u8], js: &[u8]) {
    let Some(parent) = dir.parent() else { return };
    let tmp = parent.join(format!("tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let written = std::fs::create_dir_all(&tmp)
        .and_then(|()| std::fs::write(tmp.join(READY[0]), wasm))
        .and_then(|()| std::fs::write(tmp.join(READY[1]), js))
        .and_then(|()| std::fs::rename(&tmp, dir));
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
}

/// The digest of everything that decides the calculator's files, read without running any
/// process: the calculator's sources and the patched crates under `vendor/`, the workspace's manifest and lock file, cargo's
/// configuration and the environment variables it reads, the Rust toolchain installed (rustup's
/// settings and each toolchain's component list and manifest, by size and time), wasm-opt (its
/// package's version, or its absence) and this generator's own options. `None` when the
/// sources cannot be read: then the build runs cargo as before.
fn inputs_key(root: &Path) -> Option<u64> {
    let mut buf: Vec<u8> = Vec::new();
    let mut put = |part: &[u8]| {
        buf.extend_from_slice(&(part.len() as u64).to_le_bytes());
        buf.extend_from_slice(part);
    };
    put(b"calculator-ready-2");
    put(env!("CARGO_PKG_VERSION").as_bytes());
    put(TARGET.as_bytes());
    put(OPT_ARGS.join(" ").as_bytes());
    put(FEATURES.join(" ").as_bytes());
    let mut sources = Vec::new();
    source_files(&root.join("calculator"), &mut sources).ok()?;
    // The patched crates the calculator is built with (`[patch.crates-io]`); absent is fine.
    let vendor = root.join("vendor");
    if vendor.is_dir() {
        source_files(&vendor, &mut sources).ok()?;
    }
    sources.sort();
    for path in sources {
        put(path.to_string_lossy().as_bytes());
        put(&std::fs::read(&path).ok()?);
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let mut optional: Vec<PathBuf> = [
        "Cargo.toml",
        "Cargo.lock",
        "rust-toolchain",
        "rust-toolchain.toml",
        ".cargo/config",
        ".cargo/config.toml",
    ]
    .iter()
    .map(|f| root.join(f))
    .collect();
    if let Some(home) = &cargo_home {
        optional.extend([home.join("config"), home.join("config.toml")]);
    }
    for path in optional {
        put(path.to_string_lossy().as_bytes());
        put(&std::fs::read(&path).unwrap_or_default());
    }
    let mut vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.to_string_lossy().into_owned())))
        .filter(|(k, _)| {
            [
                "CARGO_PROFILE_",
                "CARGO_BUILD_",
                "CARGO_TARGET_WASM32",
                "RUSTC",
                "RUSTUP_",
            ]
            .iter()
            .any(|p| k.starts_with(p))
        })
        .collect();
    vars.sort();
    for (k, v) in vars {
        put(k.as_bytes());
        put(v.as_bytes());
    }
    let rustup = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".rustup")));
    if let Some(rustup) = rustup {
        put(&std::fs::read(rustup.join("settings.toml")).unwrap_or_default());
        let mut toolchains: Vec<PathBuf> = std::fs::read_dir(rustup.join("toolchains"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        toolchains.sort();
        for t in toolchains {
            put(t.to_string_lossy().as_bytes());
            for f in ["components", "multirust-channel-manifest.toml"] {
                put(&stamp(&t.join("lib/rustlib").join(f)));
            }
        }
    }
    // A toolchain without rustup: the first rustc on PATH.
    let rustc = std::env::var_os("PATH").map(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("rustc"))
            .find(|r| r.is_file())
    });
    put(&rustc.flatten().map(|r| stamp(&r)).unwrap_or_default());
    let binaryen = root.join("node_modules/binaryen/package.json");
    put(&std::fs::read(binaryen).unwrap_or_default());
    put(&stamp(&root.join("node_modules/.bin/wasm-opt")));
    let esbuild = root.join("node_modules/esbuild/package.json");
    put(&std::fs::read(esbuild).unwrap_or_default());
    put(&stamp(&root.join("node_modules/.bin/esbuild")));
    put(MINIFY_ARGS.join(" ").as_bytes());
    Some(fnv1a(&[buf.as_slice()]))
}

/// Every file under the calculator's folder (its sources, manifest and tests), skipping a
/// `target/` folder.
fn source_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let path = e.path();
        if e.file_type()?.is_dir() {
            if e.file_name() != "target" {
                source_files(&path, out)?;
            }
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// A file's size and modification time (nanoseconds), empty if it is absent: the identity of
/// a file too large to read on every build (a toolchain's manifest, wasm-opt).
fn stamp(path: &Path) -> Vec<u8> {
    let Ok(m) = std::fs::metadata(path) else {
        return Vec::new();
    };
    let modified = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut v = m.len().to_le_bytes().to_vec();
    v.extend_from_slice(&modified.to_le_bytes());
    v
}

fn io(what: impl std::fmt::Display) -> BuildError {
    BuildError::Wasm(what.to_string())
}

/// The last lines of a failed command's output, for the error message.
fn tail(out: &ProcessOutput) -> String {
    let text = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

fn run(cmd: &mut Command, what: &str) -> Result<ProcessOutput, BuildError> {
    let out = cmd
        .output()
        .map_err(|e| io(format!("cannot run {what}: {e}")))?;
    if !out.status.success() {
        return Err(io(format!(
            "{what} failed ({}):\n{}",
            out.status,
            tail(&out)
        )));
    }
    Ok(out)
}

/// Adds the wasm32 target with rustup when the toolchain lacks its standard library.
fn ensure_target() -> Result<(), BuildError> {
    let out = run(
        Command::new("rustc").args(["--print", "target-libdir", "--target", TARGET]),
        "`rustc --print target-libdir --target wasm32-unknown-unknown`",
    )?;
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let installed = std::fs::read_dir(&dir)
        .map(|mut d| d.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".rlib"))))
        .unwrap_or(false);
    if !installed {
        eprintln!("Adding the {TARGET} target with rustup (once per toolchain)…");
        run(
            Command::new("rustup").args(["target", "add", TARGET]),
            "`rustup target add wasm32-unknown-unknown` (is rustup installed?)",
        )?;
    }
    Ok(())
}

/// `cargo build -p calculator --lib --target wasm32-unknown-unknown --profile wasm`, in its own
/// target folder (the `cargo run` that started this build may hold `target/`'s lock).
fn compile(root: &Path, target_dir: &Path) -> Result<Vec<u8>, BuildError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let home = std::env::var("CARGO_HOME")
        .ok()
        .or_else(|| std::env::var("HOME").ok().map(|h| format!("{h}/.cargo")))
        .unwrap_or_default();
    // The same flags on every machine and every run: paths are remapped so the module does not
    // depend on where the repository or the registry sit, and a RUSTFLAGS meant for the host
    // (target-cpu=native, …) never reaches the WASM.
    let mut flags = format!("--remap-path-prefix={}=/src", root.display());
    if !home.is_empty() {
        flags.push_str(&format!("\x1f--remap-path-prefix={home}=/cargo"));
    }
    run(
        Command::new(cargo)
            .current_dir(root)
            .args(["build", "-p", "calculator", "--lib", "--target", TARGET])
            .args(["--profile", "wasm"])
            .env("CARGO_TARGET_DIR", target_dir)
            .env("CARGO_ENCODED_RUSTFLAGS", flags)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .env_remove("CARGO_BUILD_TARGET"),
        "cargo build of the calculator for wasm32-unknown-unknown",
    )?;
    let path = target_dir.join(TARGET).join("wasm/calculator.wasm");
    std::fs::read(&path).map_err(|e| io(format!("cannot read {}: {e}", path.display())))
}

/// The JS glue (`--target web`) and the WASM it drives.
fn bindgen(raw: &[u8]) -> Result<(Vec<u8>, String), BuildError> {
    let mut b = wasm_bindgen_cli_support::Bindgen::new();
    b.input_bytes("calculator", raw.to_vec())
        .out_name("calculator")
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true);
    b.web(true)
        .map_err(|e| io(format!("wasm-bindgen: {e:#}")))?;
    let mut out = b
        .generate_output()
        .map_err(|e| io(format!("wasm-bindgen: {e:#}")))?;
    if !out.snippets().values().all(Vec::is_empty) || !out.local_modules().is_empty() {
        return Err(io(
            "the app uses JS snippets (`#[wasm_bindgen(inline_js)]` or `module = …`), which this build does not copy",
        ));
    }
    let mut js = out.js().to_string();
    let module = out.wasm_mut();
    // wasm-bindgen names each import `__wbg_<method>_<16 hex digits>` and each closure export
    // `wasm_bindgen__convert__closures_…__h<16 hex digits>`; the names sit in both files and the
    // digits do not compress (about 3 KB gzip). They are renamed to short names in the WASM and,
    // by the same table, in the glue; every name being unique, a plain replacement is exact.
    let mut renames: Vec<(String, String)> = Vec::new();
    let mut imports_module = None;
    for import in module.imports.iter_mut() {
        if import.module == GLUE_MODULE {
            let short = short_name(renames.len());
            renames.push((std::mem::replace(&mut import.name, short.clone()), short));
            imports_module.get_or_insert(());
        }
    }
    for export in module.exports.iter_mut() {
        if export.name.starts_with("wasm_bindgen__convert__closures") {
            let short = short_name(renames.len());
            renames.push((std::mem::replace(&mut export.name, short.clone()), short));
        }
    }
    let quoted_module = format!("\"{GLUE_MODULE}\"");
    for (old, new) in &renames {
        // Each old name is in the glue (its import object or its call); else the glue is not
        // what this step expects, and the build stops rather than ship a module that cannot
        // start.
        if !js.contains(old.as_str()) {
            return Err(io(format!(
                "wasm-bindgen: `{old}` is not in the JS glue; cannot shorten the import names"
            )));
        }
        js = js.replace(old.as_str(), new);
    }
    if imports_module.is_some() && js.matches(&quoted_module).count() == 1 {
        js = js.replace(&quoted_module, "\"a\"");
        for import in module.imports.iter_mut() {
            if import.module == GLUE_MODULE {
                import.module = "a".to_string();
            }
        }
    }
    Ok((module.emit_wasm(), js))
}

/// The module name wasm-bindgen gives the glue's imports (`--target web`, out name
/// `calculator`).
const GLUE_MODULE: &str = "./calculator_bg.js";

/// The `i`-th short name: `_a` … `_Z`, `_ba` …: a valid JS identifier that no name of
/// wasm-bindgen's (`memory`, `start`, `__wbindgen_…`, `__externref_…`) can equal.
fn short_name(mut i: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(LETTERS[i % LETTERS.len()]);
        i /= LETTERS.len();
        if i == 0 {
            break;
        }
    }
    name.push(b'_');
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// `wasm-opt` ([`OPT_ARGS`]) from the npm package `binaryen` (node_modules/.bin), cached by the
/// digest of its input, options and version.
/// Without it the module is shipped as wasm-bindgen wrote it, and the build says so.
fn optimise(root: &Path, target_dir: &Path, wasm: Vec<u8>) -> Result<Vec<u8>, BuildError> {
    let tool = root.join("node_modules/.bin/wasm-opt");
    if note_unoptimised(root) {
        return Ok(wasm);
    }
    // The cache key covers everything that decides the output: the module, the options and the
    // tool's version.
    let version = run(Command::new(&tool).arg("--version"), "wasm-opt --version")?.stdout;
    let key = fnv1a(&[
        &wasm,
        OPT_ARGS.join(" ").as_bytes(),
        FEATURES.join(" ").as_bytes(),
        &version,
    ]);
    run_cached(
        target_dir,
        key,
        &wasm,
        ("", "wasm"),
        "wasm-opt",
        |input, output| {
            let mut c = Command::new(&tool);
            c.args(OPT_ARGS)
                .args(FEATURES)
                .arg(input)
                .arg("-o")
                .arg(output);
            c
        },
    )
}

/// Runs an npm tool that reads the file `input` and writes `output`, through a cache in
/// `target/wasm/opt/` keyed by `key` (the digest of everything that decides the output): on a
/// hit the tool is not run. `names` is the scratch files' prefix and extension.
fn run_cached(
    target_dir: &Path,
    key: u64,
    bytes: &[u8],
    names: (&str, &str),
    what: &str,
    command: impl FnOnce(&Path, &Path) -> Command,
) -> Result<Vec<u8>, BuildError> {
    let (prefix, ext) = names;
    let dir = target_dir.join("opt");
    std::fs::create_dir_all(&dir)
        .map_err(|e| io(format!("cannot create {}: {e}", dir.display())))?;
    let cached = dir.join(format!("{key:016x}-{}.{ext}", bytes.len()));
    if let Ok(bytes) = std::fs::read(&cached) {
        return Ok(bytes);
    }
    let input = dir.join(format!("{prefix}input-{}.{ext}", std::process::id()));
    let output = dir.join(format!("{prefix}output-{}.{ext}", std::process::id()));
    std::fs::write(&input, bytes)
        .map_err(|e| io(format!("cannot write {}: {e}", input.display())))?;
    let result = run(&mut command(&input, &output), what);
    let _ = std::fs::remove_file(&input);
    result?;
    let bytes =
        std::fs::read(&output).map_err(|e| io(format!("cannot read {}: {e}", output.display())))?;
    std::fs::rename(&output, &cached)
        .map_err(|e| io(format!("cannot write {}: {e}", cached.display())))?;
    Ok(bytes)
}

/// esbuild's options for the glue: minified (wasm-bindgen writes it readable: 36 KB, 7.0 KB gzip;
/// minified 5.2 KB gzip), kept an ES module, and no syntax newer than ES2020 introduced (the
/// glue uses none; unbounded, esbuild would rewrite `a = a || b` as `a ||= b`).
const MINIFY_ARGS: [&str; 4] = [
    "--minify",
    "--format=esm",
    "--target=es2020",
    "--log-level=warning",
];

/// The glue minified by `esbuild` from the npm package (node_modules/.bin), cached by the digest
/// of its input, options and version, as [`optimise`] does. Without it the glue is shipped as
/// wasm-bindgen wrote it, and the build says so.
fn minify(root: &Path, target_dir: &Path, js: Vec<u8>) -> Result<Vec<u8>, BuildError> {
    let tool = root.join("node_modules/.bin/esbuild");
    if !tool.exists() {
        eprintln!(
            "note: {} not found, the calculator's JS glue is not minified (npm ci installs esbuild)",
            tool.display()
        );
        return Ok(js);
    }
    let version = run(Command::new(&tool).arg("--version"), "esbuild --version")?.stdout;
    let key = fnv1a(&[&js, MINIFY_ARGS.join(" ").as_bytes(), &version]);
    run_cached(
        target_dir,
        key,
        &js,
        ("glue-", "js"),
        "esbuild (minifying the calculator's JS glue)",
        |input, output| {
            let mut c = Command::new(&tool);
            c.arg(input)
                .args(MINIFY_ARGS)
                .arg(format!("--outfile={}", output.display()));
            c
        },
    )
}

/// Says so when wasm-opt is not installed (the module is then shipped as wasm-bindgen wrote it),
/// on every build, whether its files were made now or taken from `ready/`. True if it is not.
fn note_unoptimised(root: &Path) -> bool {
    let tool = root.join("node_modules/.bin/wasm-opt");
    if tool.exists() {
        return false;
    }
    eprintln!(
        "note: {} not found, the calculator's WASM is not size-optimised (npm ci installs binaryen)",
        tool.display()
    );
    true
}

/// FNV-1a, 64 bits, over several byte strings (each followed by a separator): a stable digest
/// for the cache key.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.iter().chain(&[0xff]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::short_name;

    /// The short names stand for wasm-bindgen's in both files: each must be a JS identifier
    /// (the glue writes `o._ba(…)` and `{_ba: function …}`), and no two may be equal.
    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!(names[0], "_a");
        assert_eq!(names[52], "_ba");
        let mut seen = std::collections::HashSet::new();
        for n in &names {
            assert!(n.starts_with('_') && n[1..].bytes().all(|b| b.is_ascii_alphabetic()));
            assert!(
                !n.starts_with("__"),
                "{n} could be one of wasm-bindgen's own names"
            );
            assert!(seen.insert(n.clone()), "{n} twice");
        }
    }
}
