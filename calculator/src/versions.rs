//! The policy across its dated versions: which version an estimate uses, how the URL fragment
//! records it, and what a later version changes for one scenario.
//!
//! A document of the library has one or more versions, each taking effect on a date and in
//! force until the next one takes effect; the last is in force until the document expires. The
//! generator writes one rule set per version (`rules/<document>/<YYYY-MM-DD>.json`) and a small
//! [`VersionIndex`]; the page embeds only the rules of the version in force on the build date
//! and fetches another on request. Dates are ISO strings (`2026-01-01`), which order as dates.
//!
//! Those files are named by their content hash when the site is written
//! (`rules/tzzb-2024-26/2025-01-01.3f9a0c12de.json`), so a reader's browser never pairs a cached
//! old rule set with a new WASM. The app finds a version's file through the folder's manifest
//! ([`MANIFEST`]), itself hashed and named by the page: [`manifest_key`] is the name it looks
//! up there.
//!
//! Nothing here reads a clock: the caller gives the day (the reader's date in China time in the
//! browser, `--date` or `SOURCE_DATE_EPOCH` on the command line).

use serde::{Deserialize, Serialize};

use crate::engine::Estimate;
use crate::money::Money;
use crate::text::{Lang, Text};

/// The versions of one document, oldest first, and when the last one stops being in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionIndex {
    /// The document's id in the library (`tzzb-2024-26`): the folder of its rule sets.
    pub document: String,
    /// The last day the document is in force (`2027-12-31`).
    pub expires: String,
    /// The date each version takes effect, oldest first: also the version's id.
    pub versions: Vec<String>,
}

/// Where a version stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// Published, not yet in force.
    NotYet,
    /// In force.
    InForce,
    /// A later version is in force.
    Superseded,
    /// The document has expired: no version is in force any more.
    Expired,
}

impl Standing {
    /// The interface word (`content/site.yaml`) that says it.
    pub fn word_key(self) -> &'static str {
        match self {
            Standing::NotYet => "calc_version_not_yet",
            Standing::InForce => "calc_version_in_force",
            Standing::Superseded => "calc_version_superseded",
            Standing::Expired => "calc_version_expired",
        }
    }
}

/// Whether a string is a date written `YYYY-MM-DD` (digits in place; the month and day are
/// checked only for their range, which is all the ordering of versions needs).
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) {
        return false;
    }
    if !digits(5..7) || !digits(8..10) {
        return false;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

impl VersionIndex {
    /// The version in force on `day`: the latest that has taken effect; the first when none has
    /// yet; the last once the document has expired (its estimate is still shown, marked
    /// expired).
    pub fn on(&self, day: &str) -> Option<&str> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.as_str() <= day)
            .or(self.versions.first())
            .map(String::as_str)
    }

    /// The version taking effect on `date`, if there is one.
    pub fn get(&self, date: &str) -> Option<&str> {
        self.versions
            .iter()
            .find(|v| *v == date)
            .map(String::as_str)
    }

    /// The version before `date`'s: what "compare with the previous version" compares with.
    pub fn previous(&self, date: &str) -> Option<&str> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.as_str() < date)
            .map(String::as_str)
    }

    /// The version after `date`'s.
    pub fn next(&self, date: &str) -> Option<&str> {
        self.versions
            .iter()
            .find(|v| v.as_str() > date)
            .map(String::as_str)
    }

    /// Where `version` stands on `day`: in force from its date until the next version takes
    /// effect, the last one until the document expires.
    pub fn standing(&self, version: &str, day: &str) -> Standing {
        if day < version {
            Standing::NotYet
        } else if day > self.expires.as_str() {
            Standing::Expired
        } else if self.next(version).is_some_and(|n| day >= n) {
            Standing::Superseded
        } else {
            Standing::InForce
        }
    }

    /// The logical path of a version's rule set below the site's root.
    pub fn rules_path(&self, version: &str) -> String {
        rules_path(&self.document, version)
    }
}

/// The folder of the versions' rule sets below the site's root.
pub const RULES_DIR: &str = "rules/";

/// The logical name of the rules folder's manifest: logical name → hashed name of every file
/// of [`RULES_DIR`], each from the folder (`tzzb-2024-26/2025-01-01.json` →
/// `tzzb-2024-26/2025-01-01.3f9a0c12de.json`). The page names the manifest by its own hashed
/// name.
pub const MANIFEST: &str = "rules/manifest.json";

/// The name a version's rule set is listed under in the [`MANIFEST`]: its path from
/// [`RULES_DIR`], `<document>/<date>.json`.
pub fn manifest_key(document: &str, version: &str) -> String {
    format!("{document}/{version}.json")
}

/// The logical path of a version's rule set below the site's root:
/// `rules/<document>/<date>.json` (the build names the file by its hash).
pub fn rules_path(document: &str, version: &str) -> String {
    format!("{RULES_DIR}{}", manifest_key(document, version))
}

/// The logical path of a document's version index below the site's root.
pub fn index_path(document: &str) -> String {
    format!("{RULES_DIR}{document}/index.json")
}

/// Splits the version (`v=YYYY-MM-DD`) off a URL fragment: the version, if the fragment names
/// a well-formed one, and the rest, which is the scenario ([`crate::Scenario::from_fragment`]).
/// A fragment without `v=` is a link made before versions were recorded (or an "estimate this"
/// link): the caller reads it under the version in force on the reader's date.
pub fn split_fragment(fragment: &str) -> (Option<String>, String) {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut version = None;
    let mut rest = Vec::new();
    for part in fragment.split('&').filter(|p| !p.is_empty()) {
        match part.strip_prefix("v=") {
            Some(v) if is_date(v) => version = Some(v.to_string()),
            // A malformed version is left in the scenario, which then says the link is broken.
            _ => rest.push(part),
        }
    }
    (version, rest.join("&"))
}

/// The fragment that records a scenario under a version: `v=2026-01-01&a=…`.
pub fn join_fragment(version: &str, scenario: &str) -> String {
    if scenario.is_empty() {
        format!("v={version}")
    } else {
        format!("v={version}&{scenario}")
    }
}

/// One line of a scenario under two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineChange {
    /// The subsidy id.
    pub subsidy: String,
    /// Its name (the newer version's when both have it).
    pub name: Text,
    /// What counts under the older version; `None`: no amount (not set, pending, an input
    /// error, or no such measure then).
    pub old: Option<Money>,
    /// What counts under the newer version.
    pub new: Option<Money>,
}

impl LineChange {
    /// New minus old, when both versions give an amount.
    pub fn difference(&self) -> Option<Money> {
        Some(Money(self.new?.0 - self.old?.0))
    }
}

/// A scenario's estimate under two versions, line by line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The older version's date.
    pub old_version: String,
    /// The newer version's date.
    pub new_version: String,
    /// Every line of either estimate, in the newer estimate's order.
    pub lines: Vec<LineChange>,
    /// The older estimate's total (city districts, or the reference total for a county).
    pub old_total: Money,
    /// The newer estimate's total.
    pub new_total: Money,
}

impl Comparison {
    /// New total minus old total.
    pub fn difference(&self) -> Money {
        Money(self.new_total.0 - self.old_total.0)
    }
}

/// The total a reader sees: one place per scenario, so its lines are either all counted for
/// the city districts or all for reference.
fn total(e: &Estimate) -> Money {
    Money(e.city_total.0 + e.reference_total.0)
}

/// Compares the same scenario's estimates under an older and a newer version.
pub fn compare(old_version: &str, old: &Estimate, new_version: &str, new: &Estimate) -> Comparison {
    let mut lines: Vec<LineChange> = new
        .lines
        .iter()
        .map(|l| LineChange {
            subsidy: l.subsidy.clone(),
            name: l.name.clone(),
            old: old
                .lines
                .iter()
                .find(|o| o.subsidy == l.subsidy)
                .and_then(|o| o.amount),
            new: l.amount,
        })
        .collect();
    for o in &old.lines {
        if !new.lines.iter().any(|l| l.subsidy == o.subsidy) {
            lines.push(LineChange {
                subsidy: o.subsidy.clone(),
                name: o.name.clone(),
                old: o.amount,
                new: None,
            });
        }
    }
    Comparison {
        old_version: old_version.to_string(),
        new_version: new_version.to_string(),
        lines,
        old_total: total(old),
        new_total: total(new),
    }
}

/// A difference with its sign: `+5万元` / `+RMB 50,000`, `−RMB 1,000.50`, and no sign for none.
pub fn signed(m: Money, lang: Lang) -> String {
    if m.0.is_sign_negative() && !m.0.is_zero() {
        format!("−{}", Money(-m.0).display(lang))
    } else if m.0.is_zero() {
        Money(m.0.abs()).display(lang)
    } else {
        format!("+{}", m.display(lang))
    }
}

/// One line of a comparison as the app and the command line print it: `name: old → new
/// (difference)`, the difference in the language's own brackets (full-width in Chinese) and left
/// out when there is none. `colon` is the interface's (`：` or `: `).
pub fn change_line(
    name: &str,
    colon: &str,
    old: &str,
    new: &str,
    diff: &str,
    lang: Lang,
) -> String {
    let diff = match lang {
        _ if diff.is_empty() => String::new(),
        Lang::Zh => format!("（{diff}）"),
        Lang::En => format!(" ({diff})"),
    };
    format!("{name}{colon}{old} → {new}{diff}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> VersionIndex {
        VersionIndex {
            document: "doc".into(),
            expires: "2027-12-31".into(),
            versions: vec!["2025-01-01".into(), "2026-01-01".into()],
        }
    }

    #[test]
    fn the_version_in_force_follows_the_day_and_the_last_one_expires() {
        let i = index();
        assert_eq!(i.on("2024-12-31"), Some("2025-01-01"));
        assert_eq!(i.on("2025-06-01"), Some("2025-01-01"));
        assert_eq!(i.on("2025-12-31"), Some("2025-01-01"));
        assert_eq!(i.on("2026-01-01"), Some("2026-01-01"));
        assert_eq!(i.on("2028-01-02"), Some("2026-01-01"));
        assert_eq!(i.standing("2025-01-01", "2024-12-31"), Standing::NotYet);
        assert_eq!(i.standing("2025-01-01", "2025-12-31"), Standing::InForce);
        assert_eq!(i.standing("2025-01-01", "2026-01-01"), Standing::Superseded);
        assert_eq!(i.standing("2026-01-01", "2027-12-31"), Standing::InForce);
        assert_eq!(i.standing("2026-01-01", "2028-01-01"), Standing::Expired);
        assert_eq!(i.previous("2026-01-01"), Some("2025-01-01"));
        assert_eq!(i.previous("2025-01-01"), None);
        assert_eq!(i.rules_path("2026-01-01"), "rules/doc/2026-01-01.json");
        assert_eq!(
            format!("{RULES_DIR}{}", manifest_key("doc", "2026-01-01")),
            i.rules_path("2026-01-01")
        );
        assert!(MANIFEST.starts_with(RULES_DIR));
    }

    #[test]
    fn the_fragment_carries_the_version_apart_from_the_scenario() {
        assert_eq!(
            split_fragment("#v=2026-01-01&a=enterprise&p=jiaojiang&d=0"),
            (
                Some("2026-01-01".to_string()),
                "a=enterprise&p=jiaojiang&d=0".to_string()
            )
        );
        assert_eq!(
            split_fragment("a=enterprise&p=&d=0"),
            (None, "a=enterprise&p=&d=0".to_string())
        );
        // A malformed version stays with the scenario, whose reader refuses it.
        assert_eq!(split_fragment("v=2026-13-01&a=x").1, "v=2026-13-01&a=x");
        assert_eq!(
            join_fragment("2026-01-01", "a=enterprise"),
            "v=2026-01-01&a=enterprise"
        );
        assert!(is_date("2027-12-31"));
        assert!(!is_date("2027-12-3"));
        assert!(!is_date("2027-00-01"));
    }

    #[test]
    fn a_difference_says_its_sign() {
        let m = |s: &str| Money(s.parse().unwrap());
        assert_eq!(signed(m("50000"), Lang::En), "+RMB 50,000");
        assert_eq!(signed(m("-1000.5"), Lang::En), "−RMB 1,000.50");
        assert_eq!(signed(m("0"), Lang::En), Money(m("0").0).display(Lang::En));
    }

    #[test]
    fn a_comparison_line_puts_the_difference_in_the_language_s_brackets() {
        assert_eq!(
            change_line("合计", "：", "10万元", "15万元", "+5万元", Lang::Zh),
            "合计：10万元 → 15万元（+5万元）"
        );
        assert_eq!(
            change_line("Total", ": ", "RMB 1", "RMB 2", "+RMB 1", Lang::En),
            "Total: RMB 1 → RMB 2 (+RMB 1)"
        );
        assert_eq!(
            change_line("Total", ": ", "none", "none", "", Lang::En),
            "Total: none → none"
        );
    }
}
