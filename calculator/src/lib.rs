//! The subsidy rules engine of the Taizhou cross-border e-commerce policy site.
//!
//! Pure Rust with no I/O: the same code runs in the generator's command line and, compiled to
//! WASM, in the browser. Every rate, cap, threshold and unit reaches it as data read from
//! `content/`; nothing about the policy is written here.

// Every public item is documented: the generator and the app are written against these docs.
#![warn(missing_docs)]

/// The allocator of the browser app (see `Cargo.toml`): smaller in the WASM than dlmalloc.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod app;
pub mod engine;
pub mod money;
pub mod render;
pub mod rules;
pub mod ruleset;
pub mod scenario;
pub mod text;
pub mod versions;
mod words;
pub use words::measure_summary;

pub use engine::{
    estimate, Bound, EditorialUnits, Estimate, Line, LineStatus, Notice, NoticeKind, Step,
};
pub use money::{Money, MoneyError, Rate};
pub use render::render_text;
pub use rules::{Amount, Applicant, Base, Cap, CapScope, Subsidy, Threshold};
pub use ruleset::{
    ClauseRef, DocumentInfo, Place, PlaceKind, PolicyClauses, RuleSet, SubsidyRule, TaskRef,
    UnitRef,
};
pub use scenario::{Claim, InputError, InputErrorKind, Instance, Profile, Scenario};
pub use text::{Code, Lang, Text};
