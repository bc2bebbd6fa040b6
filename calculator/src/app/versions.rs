//! The policy's versions in the app: which version the estimate uses (the one in force on the
//! reader's date in China time by default, or any version or date the reader picks), the
//! version recorded in the URL fragment (`v=YYYY-MM-DD`), and the comparison of the reader's
//! scenario under two versions, line by line.
//!
//! The page embeds the rules of one version only (in force on the build date); another
//! version's rules are fetched from the site when the reader's date, a link or a choice needs
//! them. Their files are named by content hash (`rules/<document>/<date>.<hash>.json`), so the
//! app first fetches the rules folder's manifest, which the page names by its own hashed name,
//! and looks the version's file up there: a rule set is always the one built with this page and
//! its WASM, never a cached older one. Only those public files are requested: the scenario never
//! leaves the page.

use std::rc::Rc;

use yew::html::Scope;
use yew::prelude::*;

use super::json::Value;
use super::{decode, json, App, Words};
use crate::engine::{estimate, Estimate};
use crate::ruleset::RuleSet;
use crate::scenario::Scenario;
use crate::versions::{change_line, compare, manifest_key, signed, Standing, VersionIndex};

/// The versions the page knows: the index, where to find each version's rules, and the version
/// whose rules the page embeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Versions {
    /// The document's versions and its expiry.
    pub index: VersionIndex,
    /// The rules folder's manifest (logical name → hashed name of each rule set), relative to
    /// the page: `../../rules/manifest.<hash>.json`.
    pub manifest: String,
    /// The version embedded in the page (in force on the build date).
    pub embedded: String,
    /// The build date: the day the page's own render speaks of, before the app knows the
    /// reader's (so that taking over the page changes only the date, not the layout).
    pub built: String,
}

/// Reads the page data's `versions` member; `None` when the page has none (one version only).
pub fn decode(v: &Value) -> Option<Versions> {
    let d = v.get("versions")?;
    let s = |v: &Value, k: &str| v.get(k)?.as_str().map(String::from);
    let versions = d
        .get("list")?
        .as_array()?
        .iter()
        .map(|e| e.as_str().map(String::from))
        .collect::<Option<Vec<_>>>()?;
    Some(Versions {
        index: VersionIndex {
            document: s(d, "document")?,
            expires: s(d, "expires")?,
            versions,
        },
        manifest: s(d, "manifest")?,
        embedded: s(d, "embedded")?,
        built: s(d, "built")?,
    })
}

impl Versions {
    /// The URL of a version's rules, relative to the page, from the manifest: the manifest's
    /// folder and the hashed name listed for the version. `None`: not listed.
    fn rules_url(&self, manifest: &[(String, String)], version: &str) -> Option<String> {
        let key = manifest_key(&self.index.document, version);
        let hashed = manifest.iter().find(|(k, _)| *k == key).map(|(_, h)| h)?;
        let folder = self
            .manifest
            .rfind('/')
            .map_or("", |i| &self.manifest[..=i]);
        Some(format!("{folder}{hashed}"))
    }
}

/// The rules folder's manifest, as far as the app has it.
#[derive(Debug, Clone, Default)]
enum Manifest {
    /// Not asked for yet (the embedded version needs none).
    #[default]
    Unread,
    /// Being fetched.
    Pending,
    /// Read: logical name → hashed name, each from the rules folder.
    Read(Rc<Vec<(String, String)>>),
    /// Could not be fetched or read: no other version can be.
    Failed,
}

/// The manifest's members from its JSON text (an object of strings).
fn read_manifest(text: &str) -> Option<Vec<(String, String)>> {
    json::parse(text)
        .ok()?
        .as_object()?
        .iter()
        .map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect()
}

/// What the reader asked for (nothing: the version in force on the reader's date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The version in force on this date.
    Date(String),
    /// This version.
    Version(String),
}

/// A change of the version state.
pub enum Msg {
    /// The version select: empty for "in force on the date", else a version's date.
    Choose(String),
    /// The date field.
    Day(String),
    /// The rules folder's manifest arrived (or could not be read).
    Manifest(Option<Vec<(String, String)>>),
    /// A version's rules arrived (or could not be read).
    Loaded(String, Option<Rc<RuleSet>>),
    /// Show the comparison between two versions (older, newer), or hide it.
    Compare(Option<(String, String)>),
}

/// The version state of the app.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// The reader's date in China time; empty until the app runs (the build's render has none).
    pub today: String,
    /// What the reader (or the link) chose.
    pub choice: Option<Choice>,
    /// The rules folder's manifest, fetched with the first version the page lacks.
    manifest: Manifest,
    /// Rules fetched so far, by version (a few at most: plain lists keep the WASM small).
    loaded: Vec<(String, Rc<RuleSet>)>,
    /// Versions being fetched, and those that could not be.
    pending: Vec<String>,
    failed: Vec<String>,
    /// The comparison shown (older, newer).
    pub compare: Option<(String, String)>,
}

impl State {
    /// The day the estimate is made for: the chosen date, else the reader's (the build date
    /// in the page's own render, which has no reader).
    pub fn day<'a>(&'a self, v: &'a Versions) -> &'a str {
        match &self.choice {
            Some(Choice::Date(d)) => d,
            _ if self.today.is_empty() => &v.built,
            _ => &self.today,
        }
    }

    /// The version the estimate uses.
    pub fn version(&self, v: &Versions) -> String {
        match &self.choice {
            Some(Choice::Version(x)) if v.index.get(x).is_some() => x.clone(),
            _ if self.today.is_empty() => v.embedded.clone(),
            _ => v.index.on(self.day(v)).unwrap_or(&v.embedded).to_string(),
        }
    }

    /// The rules of a version, if the page has them (embedded or fetched).
    fn rules_of(&self, v: &Versions, embedded: &Rc<RuleSet>, version: &str) -> Option<Rc<RuleSet>> {
        if version == v.embedded {
            return Some(embedded.clone());
        }
        self.loaded
            .iter()
            .find(|(x, _)| x == version)
            .map(|(_, r)| r.clone())
    }

    /// The rules the estimate uses: the chosen version's once the page has them (until then the
    /// embedded ones, and the bar says the version is loading).
    pub fn rules(&self, v: Option<&Versions>, embedded: &Rc<RuleSet>) -> Rc<RuleSet> {
        v.and_then(|v| self.rules_of(v, embedded, &self.version(v)))
            .unwrap_or_else(|| embedded.clone())
    }

    /// Whether a version's rules are still on their way (its manifest or its file): the page
    /// neither embeds them nor has them, and fetching them has not failed.
    fn is_loading(&self, v: &Versions, version: &str) -> bool {
        version != v.embedded
            && !self.loaded.iter().any(|(x, _)| x == version)
            && !self.failed.iter().any(|x| x == version)
    }

    /// Reads the version of a fragment: a link's `v=` pins its version; a link without one is
    /// read under the version in force on the reader's date.
    pub fn read_link(&mut self, version: Option<String>) {
        self.choice = version.map(Choice::Version);
        self.compare = None;
    }

    /// Starts fetching every version the view needs that the page lacks: the manifest first,
    /// once, then each version's file under the name it lists (this runs again when the
    /// manifest arrives).
    pub fn fetch_needed(&mut self, v: &Versions, link: &Scope<App>) {
        let mut wanted = vec![self.version(v)];
        if let Some((a, b)) = &self.compare {
            wanted.push(a.clone());
            wanted.push(b.clone());
        }
        // At most three, deduplicated by hand: a sort of strings would add its code (several
        // KB) to the WASM for this alone.
        let mut need: Vec<String> = Vec::new();
        for version in wanted {
            let fetch = !(version == v.embedded
                || need.contains(&version)
                || self.loaded.iter().any(|(x, _)| *x == version)
                || self.pending.contains(&version)
                || self.failed.contains(&version))
                && v.index.get(&version).is_some();
            if fetch {
                need.push(version);
            }
        }
        if need.is_empty() {
            return;
        }
        let manifest = match &self.manifest {
            Manifest::Read(m) => m.clone(),
            Manifest::Pending => return,
            Manifest::Failed => {
                self.failed.extend(need);
                return;
            }
            Manifest::Unread => {
                self.manifest = Manifest::Pending;
                let link = link.clone();
                fetch_text(&v.manifest, move |text| {
                    let m = text.as_deref().and_then(read_manifest);
                    link.send_message(super::Msg::Version(Msg::Manifest(m)));
                });
                return;
            }
        };
        for version in need {
            let Some(url) = v.rules_url(&manifest, &version) else {
                // A version the page lists but the manifest does not: a broken build.
                self.failed.push(version);
                continue;
            };
            self.pending.push(version.clone());
            let link = link.clone();
            fetch_text(&url, move |text| {
                let rules = text
                    .and_then(|t| json::parse(&t).ok())
                    .and_then(|j| decode::rule_set(&j).ok())
                    .map(Rc::new);
                link.send_message(super::Msg::Version(Msg::Loaded(version, rules)));
            });
        }
    }

    /// Applies a message; true when the view changes.
    pub fn update(&mut self, msg: Msg) -> bool {
        match msg {
            Msg::Choose(x) if x.is_empty() => self.choice = None,
            Msg::Choose(x) => self.choice = Some(Choice::Version(x)),
            Msg::Day(d) if crate::versions::is_date(&d) => self.choice = Some(Choice::Date(d)),
            Msg::Day(_) => self.choice = None,
            Msg::Manifest(m) => {
                self.manifest = m.map_or(Manifest::Failed, |m| Manifest::Read(Rc::new(m)));
            }
            Msg::Loaded(version, rules) => {
                self.pending.retain(|x| *x != version);
                match rules {
                    Some(r) => self.loaded.push((version, r)),
                    None => self.failed.push(version),
                }
            }
            Msg::Compare(c) => self.compare = c,
        }
        true
    }
}

/// A version's `calc_version_of` label: `the version of 2026-01-01`.
fn name(w: &Words, version: &str) -> String {
    w.get("calc_version_of").replace("{date}", version)
}

/// The message that redoes a change the reader made to the version bar of the build's render
/// before the app started (`form::carried_over`): the control's id and its value.
// Called by `start`, which only the browser build has.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn carried_over(id: &str, value: &str) -> Option<super::Msg> {
    let m = match id {
        VERSION_ID => Msg::Choose(value.to_string()),
        DAY_ID => Msg::Day(value.to_string()),
        _ => return None,
    };
    Some(super::Msg::Version(m))
}

/// The id of the version select.
const VERSION_ID: &str = "calc-version";
/// The id of the date field.
const DAY_ID: &str = "calc-day";

/// The version bar above the form: the choice, where the chosen version stands on the day,
/// the offers to compare, and the comparison.
pub fn view(
    w: &Words,
    v: &Versions,
    s: &State,
    embedded: &Rc<RuleSet>,
    scenario: &Scenario,
    link: &Scope<App>,
) -> Html {
    let version = s.version(v);
    let day = s.day(v).to_string();
    let wrap = |m: Msg| super::Msg::Version(m);
    let on_choose = link.callback(move |e: Event| {
        wrap(Msg::Choose(
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value(),
        ))
    });
    let on_day = link.callback(move |e: Event| {
        wrap(Msg::Day(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .value(),
        ))
    });
    let pinned = matches!(&s.choice, Some(Choice::Version(_)));
    let status = {
        let standing = v.index.standing(&version, &day);
        let mut text = w
            .get(standing.word_key())
            .replace("{version}", &name(w, &version))
            .replace("{day}", &day);
        if standing == Standing::Expired {
            text = text.replace("{expires}", &v.index.expires);
        } else if let Some(next) = v.index.next(&version) {
            text = text.replace("{next}", next);
        }
        let class = if standing == Standing::InForce {
            "calc-version-status"
        } else {
            "calc-version-status calc-version-warn"
        };
        html! { <p class={class} role="status">{ text }</p> }
    };
    let loading = if s.is_loading(v, &version) {
        html! { <p class="calc-version-status" role="status">{ w.get("calc_version_loading") }</p> }
    } else if s.failed.contains(&version) {
        html! { <p class="calc-status calc-failed" role="alert">{ w.get("calc_version_failed") }</p> }
    } else {
        Html::default()
    };
    // The offers: the previous version, and the current one for a link of another version.
    let current = (!s.today.is_empty())
        .then(|| v.index.on(&s.today).map(String::from))
        .flatten();
    let mut offers = Vec::new();
    if let Some(prev) = v.index.previous(&version) {
        offers.push((
            w.get("calc_compare_previous")
                .replace("{version}", &name(w, prev)),
            (prev.to_string(), version.clone()),
        ));
    }
    if let Some(cur) = current.filter(|c| *c != version) {
        let pair = if cur < version {
            (cur.clone(), version.clone())
        } else {
            (version.clone(), cur.clone())
        };
        offers.push((
            w.get("calc_compare_current")
                .replace("{version}", &name(w, &cur)),
            pair,
        ));
    }
    let offers: Html = offers
        .into_iter()
        .map(|(label, pair)| {
            let shown = s.compare.as_ref() == Some(&pair);
            let onclick = link.callback(move |_: MouseEvent| {
                wrap(Msg::Compare((!shown).then(|| pair.clone())))
            });
            html! { <button type="button" class="calc-compare-offer" aria-pressed={shown.to_string()} {onclick}>{ label }</button> }
        })
        .collect();
    let table = s
        .compare
        .as_ref()
        .map(|(a, b)| comparison(w, v, s, embedded, scenario, a, b))
        .unwrap_or_default();
    html! {
        <section class="calc-versions" aria-labelledby="calc-versions-h">
            <h2 id="calc-versions-h">{ w.get("calc_versions") }</h2>
            <div class="calc-version-choice">
                <label for={VERSION_ID}>{ w.get("calc_version_label") }</label>
                <select id={VERSION_ID} onchange={on_choose}>
                    <option value="" selected={!pinned}>{ w.get("calc_version_by_date") }</option>
                    { for v.index.versions.iter().map(|x| html! {
                        <option value={x.clone()} selected={pinned && *x == version}>{ name(w, x) }</option>
                    }) }
                </select>
                <label for={DAY_ID}>{ w.get("calc_version_day") }</label>
                <input type="date" id={DAY_ID} value={day.clone()} onchange={on_day} />
            </div>
            { status }
            { loading }
            <div class="calc-compare-offers">{ offers }</div>
            { table }
        </section>
    }
}

/// The scenario under two versions: each line's old and new amount and the difference.
fn comparison(
    w: &Words,
    v: &Versions,
    s: &State,
    embedded: &Rc<RuleSet>,
    scenario: &Scenario,
    old: &str,
    new: &str,
) -> Html {
    let (Some(a), Some(b)) = (s.rules_of(v, embedded, old), s.rules_of(v, embedded, new)) else {
        return html! { <p class="calc-version-status" role="status">{ w.get("calc_version_loading") }</p> };
    };
    let ea: Estimate = estimate(&a, scenario);
    let eb: Estimate = estimate(&b, scenario);
    let c = compare(old, &ea, new, &eb);
    let lang = w.lang;
    let none = w.get("calc_compare_none");
    let amount =
        |m: Option<crate::money::Money>| m.map(|m| m.display(lang)).unwrap_or(none.clone());
    // One line of text per measure, as the command line prints it: old → new (difference).
    let colon = w.get("calc_compare_colon");
    let row = |name: &str, old: String, new: String, diff: String| {
        change_line(name, &colon, &old, &new, &diff, lang)
    };
    html! {
        <div class="calc-compare">
            <p class="calc-compare-caption">{ w.get("calc_compare_caption").replace("{old}", &name(w, old)).replace("{new}", &name(w, new)) }</p>
            <ul>
                { for c.lines.iter().map(|l| html! {
                    <li data-subsidy={l.subsidy.clone()}>{ row(l.name.get(lang), amount(l.old), amount(l.new), l.difference().map(|d| signed(d, lang)).unwrap_or_default()) }</li>
                }) }
                <li class="calc-compare-total">{ row(&w.get("calc_compare_total"), c.old_total.display(lang), c.new_total.display(lang), signed(c.difference(), lang)) }</li>
            </ul>
        </div>
    }
}

/// Today's date in China (UTC+8, no daylight saving), whatever the reader's time zone: the
/// policy's dates are China's.
#[cfg(target_arch = "wasm32")]
pub fn today_in_china() -> String {
    let ms = js_sys::Date::now() + 8.0 * 3_600_000.0;
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02}",
        d.get_utc_full_year(),
        d.get_utc_month() + 1,
        d.get_utc_date()
    )
}

/// No reader off the browser.
#[cfg(not(target_arch = "wasm32"))]
pub fn today_in_china() -> String {
    String::new()
}

/// Fetches a file of the site as text and calls `done` with it (`None` on any failure).
#[cfg(target_arch = "wasm32")]
fn fetch_text(url: &str, done: impl FnOnce(Option<String>) + 'static) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let Some(w) = web_sys::window() else {
        return done(None);
    };
    let request = w.fetch_with_str(url);
    wasm_bindgen_futures::spawn_local(async move {
        let text = async {
            let resp: web_sys::Response = JsFuture::from(request).await.ok()?.dyn_into().ok()?;
            if !resp.ok() {
                return None;
            }
            JsFuture::from(resp.text().ok()?).await.ok()?.as_string()
        };
        done(text.await);
    });
}

/// Off the browser nothing is fetched (the build's render needs only the embedded version).
#[cfg(not(target_arch = "wasm32"))]
fn fetch_text(_url: &str, done: impl FnOnce(Option<String>) + 'static) {
    done(None);
}
