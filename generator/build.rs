//! Embeds the calculator's WASM and JS glue in the generator when `GENERATOR_CALCULATOR_DIR`
//! names a folder holding them (`calculator_bg.wasm`, `calculator.js`), as `scripts/release`
//! does: the released binary then builds the whole site with no Rust toolchain or npm on the
//! machine. Without the variable nothing is embedded and the generator compiles the calculator
//! with cargo at build time (developer mode, `src/wasm.rs`).

use std::path::PathBuf;

/// The files embedded, as `src/wasm.rs` names them under `static/calculator/`.
const FILES: [&str; 2] = ["calculator_bg.wasm", "calculator.js"];

fn main() {
    println!("cargo:rerun-if-env-changed=GENERATOR_CALCULATOR_DIR");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let code = match std::env::var_os("GENERATOR_CALCULATOR_DIR").filter(|d| !d.is_empty()) {
        None => "None".to_string(),
        Some(dir) => {
            let dir = std::fs::canonicalize(PathBuf::from(&dir)).unwrap_or_else(|e| {
                panic!(
                    "GENERATOR_CALCULATOR_DIR={}: {e}: expected a folder holding {}",
                    PathBuf::from(&dir).display(),
                    FILES.join(" and ")
                )
            });
            let mut entries = Vec::new();
            for name in FILES {
                let path = dir.join(name);
                assert!(
                    path.is_file(),
                    "GENERATOR_CALCULATOR_DIR={}: {name} is missing (scripts/release writes it)",
                    dir.display()
                );
                println!("cargo:rerun-if-changed={}", path.display());
                entries.push(format!("({name:?}, include_bytes!({:?}) as &[u8])", path));
            }
            format!("Some(&[{}])", entries.join(", "))
        }
    };
    let rs = format!(
        "/// The calculator's files embedded at compile time by build.rs, by name under\n\
         /// `static/calculator/`; `None` in a developer build.\n\
         pub static EMBEDDED: Option<&[(&str, &[u8])]> = {code};\n"
    );
    std::fs::write(out.join("embedded_calculator.rs"), rs).expect("OUT_DIR is writable");
}
