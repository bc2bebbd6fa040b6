//! The browser app of `/zh/calculator/` and `/en/calculator/`: the profile questions, the
//! activities to pick, the amounts, and the breakdown line by line, in Yew.
//!
//! One component, two renders. At build time the generator renders its first view natively
//! ([`render_static`], Yew's server-side rendering), so the form is in the page's HTML and reads
//! without JavaScript; in the browser the WASM renders the same component into
//! `#calculator-app` in place of that markup ([`start`]). Both start from the page's
//! `<script type="application/json" id="calculator-data">` block (language, interface words and
//! the rule set) and an empty scenario, so the two first renders are the same markup and the
//! takeover moves nothing on the screen. It is a fresh render rather than Yew's hydration: the
//! hydration code of every node kind cost 4.9 KB gzip of WASM (issue 9's page budget). What the
//! reader did with the build's form before the WASM arrived (a choice made, a box ticked, the
//! focus) is read from the old markup and replayed as the app's first messages
//! ([`Msg::TakeOver`]); what only the browser knows (the URL fragment, the reader's date, the
//! page's address) is applied after that, in `rendered`.
//!
//! The whole scenario lives in the URL fragment ([`Scenario::to_fragment`]): a copied link
//! reproduces the estimate, and nothing the reader types is ever sent anywhere (the app makes
//! no request).

mod decode;
#[cfg_attr(not(target_arch = "wasm32"), path = "dom_native.rs")]
mod dom;
mod form;
mod json;
mod results;
mod versions;

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::estimate;
use crate::rules::Applicant;
use crate::ruleset::RuleSet;
use crate::scenario::{Claim, InputErrorKind, Instance, Profile, Scenario};
use crate::text::Lang;
use crate::MoneyError;

/// The id of the element the app renders into (it holds the build's render of the app).
const MOUNT: &str = "calculator-app";
/// The id of the page's JSON data block.
#[cfg(target_arch = "wasm32")]
const DATA: &str = "calculator-data";
/// The id of the results heading, focused when a link loads a scenario.
const RESULTS_HEADING: &str = "calc-results-h";

/// What the page tells the app, from its `#calculator-data` block.
#[derive(Debug, Clone, PartialEq)]
pub struct PageData {
    /// The page's language.
    pub lang: Lang,
    /// The rule set, as the build writes it to `rules.json`.
    pub rules: Rc<RuleSet>,
    /// The interface words (the `calc_…` keys of `content/site.yaml`) in the page's language.
    pub words: BTreeMap<String, String>,
    /// The policy's versions, when the page lists them (`versions.rs`).
    pub versions: Option<versions::Versions>,
}

impl PageData {
    /// Reads the page's data block (JSON text) with the app's own reader; the error names the
    /// member that could not be read.
    pub fn from_json(text: &str) -> Result<PageData, String> {
        let v = json::parse(text).map_err(|e| format!("calculator-data: {e}"))?;
        let (lang, rules, words) =
            decode::page_data(&v).map_err(|e| format!("calculator-data: field `{}`", e.0))?;
        Ok(PageData {
            lang,
            rules: Rc::new(rules),
            words,
            versions: versions::decode(&v),
        })
    }
}

/// The app's first view as HTML, rendered natively at build time from the page's data block
/// (the same JSON text the page carries, read by the same code as in the browser): the markup
/// the WASM replaces by its own identical first render. The result goes inside
/// `#calculator-app`, with nothing around it.
#[cfg(not(target_arch = "wasm32"))]
pub fn render_static(data_json: &str) -> Result<String, String> {
    let data = PageData::from_json(data_json)?;
    let renderer = yew::LocalServerRenderer::<App>::with_props(AppProps {
        data: Rc::new(data),
    });
    // No suspense and no task in the app: off the browser Yew's scheduler runs synchronously,
    // so the future completes on its first poll and needs no runtime.
    Ok(futures::executor::block_on(renderer.render()))
}

/// Starts the app when the WASM module is instantiated: renders it into `#calculator-app` in
/// place of the build's render, keeping what the reader already did with that form.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let data = dom::element_text(DATA).and_then(|t| PageData::from_json(&t).ok());
    let Some(data) = data else {
        dom::show_failure(MOUNT);
        return;
    };
    // Taken over in a task of its own, after the one that instantiated the module and read the
    // data block: three shorter tasks (this one, the takeover, the render once the fragment is
    // read) block the page less than one long one would (Lighthouse's Total Blocking Time).
    dom::later(move || {
        if let Some(root) = dom::mount_point(MOUNT) {
            // Read before Yew empties the mount point. Yew renders in a microtask of this same
            // task, so the browser paints the old form or the new one, never an empty box.
            let (controls, focus) = dom::form_state(&root);
            let app = yew::Renderer::<App>::with_root_and_props(
                root,
                AppProps {
                    data: Rc::new(data),
                },
            )
            .render();
            let msgs = form::carried_over(&controls);
            if !msgs.is_empty() || focus.is_some() {
                app.send_message(Msg::TakeOver(msgs, focus));
            }
        }
    });
}

/// A form control of the build's render whose state the reader changed before the app started,
/// read from the page by [`dom::form_state`].
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    /// The control's id, or for one without an id (a radio button) `name#n`: the n-th control
    /// of that name in the form, counted from 0.
    pub key: String,
    /// What it holds now.
    pub held: Held,
}

/// What a [`Control`] holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Held {
    /// A checkbox or radio button, ticked or not.
    Checked(bool),
    /// A select's chosen value, or the text of a field.
    Value(String),
}

/// The control that had the keyboard focus when the app took over, and its caret (selection
/// start and end) if it is a text field.
#[derive(Debug, Clone, PartialEq)]
pub struct Focus {
    /// As in [`Control::key`].
    pub key: String,
    /// The selection's start and end, in UTF-16 units as the DOM counts them.
    pub caret: Option<(u32, u32)>,
}

/// The app's properties: the page's data block.
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct AppProps {
    /// Language, words and the rules' URL.
    pub data: Rc<PageData>,
}

/// A change the reader makes, or the page's own state read after the takeover.
pub enum Msg {
    /// What the reader did with the build's render before the app started, as the changes they
    /// would have sent, and the control to focus again; the first message, before the fragment
    /// is read.
    TakeOver(Vec<Msg>, Option<Focus>),
    /// The app has taken over the page: read the fragment and the date.
    TookOver,
    /// The applicant kind.
    Kind(Applicant),
    /// The place of operation.
    Place(String),
    /// On the serious-dishonesty list or the joint-punishment catalogue.
    Dishonest(bool),
    /// A subsidy picked or unpicked.
    Pick(String, bool),
    /// An input of an instance of a claim, as typed.
    Input(usize, usize, String, String),
    /// The condition of a fixed sum met or not.
    Met(usize, usize, bool),
    /// Another instance of a claim.
    AddInstance(usize),
    /// An instance removed.
    RemoveInstance(usize, usize),
    /// The amount already granted under another policy for the same matter.
    OtherAward(usize, String),
    /// A field was left: from now on its "needed" message shows.
    Touch(String),
    /// The URL fragment changed (a worked-example link).
    HashChanged,
    /// Print the estimate.
    Print,
    /// Move to the breakdown (on a phone it is below the form).
    ShowResults,
    /// The policy version: a choice, a date, fetched rules, a comparison.
    Version(versions::Msg),
}

/// The estimator.
pub struct App {
    /// The reader's date, for the printed estimate; empty until the app has taken over the page
    /// (the build's render has no reader, and the app's first render must match it). Also
    /// tells that the fragment has been read: before, the app does not write it.
    today: String,
    scenario: Scenario,
    /// Fields the reader has left; a field's "this input is needed" shows only once touched.
    touched: Vec<String>,
    /// The scenario came from a link: show every message at once.
    from_link: bool,
    /// The fragment could not be read.
    bad_link: bool,
    /// Move to the breakdown after the next render.
    focus_results: bool,
    /// Which version of the policy the estimate uses.
    versions: versions::State,
    /// The reader changed the build's form before the app started (`Msg::TakeOver`): the
    /// fragment is written once read even if the page was opened without one.
    carried: bool,
    /// The control to focus again after the next render (`Msg::TakeOver`).
    refocus: Option<Focus>,
}

fn empty_scenario() -> Scenario {
    Scenario {
        applicant: Profile {
            kind: Applicant::Enterprise,
            place: String::new(),
            dishonest: false,
        },
        claims: Vec::new(),
    }
}

impl App {
    /// The fragment recording the scenario and, once the app runs, the version it uses.
    fn fragment(&self, data: &PageData) -> String {
        let s = self.scenario.to_fragment();
        match &data.versions {
            Some(v) if !self.versions.today.is_empty() => {
                crate::versions::join_fragment(&self.versions.version(v), &s)
            }
            _ => s,
        }
    }

    /// Reads the fragment into the scenario and the version; false when there is none. A
    /// fragment without `v=` is read under the version in force on the reader's date.
    fn load_fragment(&mut self, data: &PageData) -> bool {
        let f = dom::fragment();
        if f.is_empty() || f == self.fragment(data) {
            return false;
        }
        let (version, f) = crate::versions::split_fragment(&f);
        self.versions.read_link(version);
        if f.is_empty() || f == self.scenario.to_fragment() {
            return true;
        }
        match Scenario::from_fragment(&f) {
            Ok(s) => {
                // A shared estimate (it names a place) shows every message at once; an
                // "estimate this" link only picks a measure, and its empty fields stay prompts.
                self.from_link = !s.applicant.place.is_empty();
                self.scenario = s;
                self.bad_link = false;
            }
            Err(_) => self.bad_link = true,
        }
        true
    }

    /// Fetches the rules of the versions the view needs that the page does not carry.
    fn fetch_versions(&mut self, data: &PageData, ctx: &Context<Self>) {
        if let Some(v) = &data.versions {
            self.versions.fetch_needed(v, ctx.link());
        }
    }

    fn claim_mut(&mut self, i: usize) -> Option<&mut Claim> {
        self.scenario.claims.get_mut(i)
    }

    /// The instance `k` of claim `i`, created if the claim lists none yet.
    fn instance_mut(&mut self, i: usize, k: usize) -> Option<&mut Instance> {
        let c = self.claim_mut(i)?;
        if c.instances.is_empty() {
            c.instances.push(Instance::default());
        }
        c.instances.get_mut(k)
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(_ctx: &Context<Self>) -> Self {
        // The same state at build time and in the browser: an empty scenario. The fragment is
        // read once the app has taken over (`Msg::TookOver`).
        App {
            today: String::new(),
            scenario: empty_scenario(),
            touched: Vec::new(),
            from_link: false,
            bad_link: false,
            focus_results: false,
            versions: versions::State::default(),
            carried: false,
            refocus: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let data = ctx.props().data.clone();
        let before = self.fragment(&data);
        match msg {
            Msg::TakeOver(msgs, focus) => {
                self.carried = !msgs.is_empty();
                for m in msgs {
                    Component::update(self, ctx, m);
                }
                self.refocus = focus;
                return true;
            }
            Msg::TookOver => {
                self.today = dom::today();
                self.versions.today = versions::today_in_china();
                // A link's scenario replaces what was carried over from the build's form: the
                // reader opened the link for it.
                if self.load_fragment(&data) || self.carried {
                    // A link records the version it is read under from now on.
                    dom::set_fragment(&self.fragment(&data));
                }
                self.fetch_versions(&data, ctx);
                // Drawn again either way: the date and the page's address join the print view.
                return true;
            }
            Msg::HashChanged => {
                // A worked example was opened: show its estimate once it is drawn.
                self.focus_results = self.load_fragment(&data);
                self.fetch_versions(&data, ctx);
                return self.focus_results;
            }
            Msg::Version(m) => {
                self.versions.update(m);
                self.fetch_versions(&data, ctx);
            }
            Msg::ShowResults => {
                dom::focus(RESULTS_HEADING);
                return false;
            }
            Msg::Print => {
                dom::print();
                return false;
            }
            Msg::Touch(id) => {
                if self.touched.contains(&id) {
                    return false;
                }
                self.touched.push(id);
                return true;
            }
            Msg::Kind(k) => self.scenario.applicant.kind = k,
            Msg::Place(p) => {
                if !self.touched.iter().any(|t| t == form::PLACE_ID) {
                    self.touched.push(form::PLACE_ID.into());
                }
                self.scenario.applicant.place = p;
            }
            Msg::Dishonest(d) => self.scenario.applicant.dishonest = d,
            Msg::Pick(id, on) => {
                let claims = &mut self.scenario.claims;
                if on && !claims.iter().any(|c| c.subsidy == id) {
                    claims.push(Claim {
                        subsidy: id,
                        instances: vec![Instance::default()],
                        other_award: None,
                    });
                } else if !on {
                    claims.retain(|c| c.subsidy != id);
                }
            }
            Msg::Input(i, k, key, value) => {
                if let Some(inst) = self.instance_mut(i, k) {
                    if value.trim().is_empty() {
                        // Rebuilt rather than `remove`d: the map's removal code (node merging
                        // and stealing) would be several KB of WASM for this one call.
                        inst.inputs = std::mem::take(&mut inst.inputs)
                            .into_iter()
                            .filter(|(k, _)| *k != key)
                            .collect();
                    } else {
                        inst.inputs.insert(key, value);
                    }
                }
            }
            Msg::Met(i, k, met) => {
                if let Some(inst) = self.instance_mut(i, k) {
                    inst.met = met;
                }
            }
            Msg::AddInstance(i) => {
                if let Some(c) = self.claim_mut(i) {
                    if c.instances.is_empty() {
                        c.instances.push(Instance::default());
                    }
                    c.instances.push(Instance::default());
                }
            }
            Msg::RemoveInstance(i, k) => {
                if let Some(c) = self.claim_mut(i) {
                    if k < c.instances.len() && c.instances.len() > 1 {
                        c.instances.remove(k);
                    }
                }
            }
            Msg::OtherAward(i, v) => {
                // Keeps its fold open while the reader edits it, even when emptied.
                if let Some(c) = self.scenario.claims.get(i) {
                    let id = form::other_id(&c.subsidy);
                    if !self.touched.contains(&id) {
                        self.touched.push(id);
                    }
                }
                if let Some(c) = self.claim_mut(i) {
                    c.other_award = (!v.trim().is_empty()).then_some(v);
                }
            }
        }
        let after = self.fragment(&data);
        // Not before the fragment is read (`Msg::TookOver`): the messages carried over from the
        // build's form would overwrite a link before it is read.
        if after != before && !self.today.is_empty() {
            dom::set_fragment(&after);
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            let link = ctx.link().clone();
            dom::on_hashchange(move || link.send_message(Msg::HashChanged));
            // In a task of its own: the takeover and this second render would otherwise block
            // the page as one long task (Lighthouse's Total Blocking Time).
            let link = ctx.link().clone();
            dom::later(move || link.send_message(Msg::TookOver));
        }
        if std::mem::take(&mut self.focus_results) {
            dom::focus(RESULTS_HEADING);
        }
        if let Some(f) = self.refocus.take() {
            dom::refocus(MOUNT, &f);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let data = &ctx.props().data;
        let w = Words {
            lang: data.lang,
            map: &data.words,
        };
        // Empty in the build's render and so in the app's first one; filled in once the app has
        // taken over.
        let printed = results::Printed {
            link: if self.today.is_empty() {
                String::new()
            } else {
                dom::href()
            },
            date: self.today.clone(),
        };
        let rules = self.versions.rules(data.versions.as_ref(), &data.rules);
        let est = estimate(&rules, &self.scenario);
        let version_bar = data
            .versions
            .as_ref()
            .map(|v| {
                versions::view(
                    &w,
                    v,
                    &self.versions,
                    &data.rules,
                    &self.scenario,
                    ctx.link(),
                )
            })
            .unwrap_or_default();
        // An unanswered question is a prompt, not an error: a field that is only empty (an
        // amount not yet typed, no place chosen yet) is flagged once the reader has left it,
        // or when a shared link brought the scenario.
        let place_unanswered = self.scenario.applicant.place.is_empty();
        let errors = form::FieldErrors::new(&est.errors, &self.scenario, w.lang, |id, kind| {
            let needed = matches!(
                kind,
                InputErrorKind::Missing | InputErrorKind::Money(MoneyError::Empty)
            ) || (*kind == InputErrorKind::UnknownPlace && place_unanswered);
            !needed || self.from_link || self.touched.iter().any(|t| t == id)
        });
        let place_prompt = place_unanswered && !self.touched.iter().any(|t| t == form::PLACE_ID);
        let view = form::View {
            w: &w,
            rules: &rules,
            scenario: &self.scenario,
            errors: &errors,
            touched: &self.touched,
            link: ctx.link(),
        };
        // Marks the app as running (tests and tools wait for it): absent from the build's render.
        let ready = (!self.today.is_empty()).then_some("ready");
        html! {
            <div class="calc" data-app={ready}>
                if self.bad_link {
                    <p class="calc-status calc-failed" role="alert">{ w.get("calc_bad_link") }</p>
                }
                { version_bar }
                { view.form() }
                { results::jump(&w, &est, ctx.link()) }
                { results::view(&w, &self.scenario, &est, errors.any_shown(), place_prompt, &printed, ctx.link()) }
            </div>
        }
    }
}

/// The interface words in the page's language.
pub struct Words<'a> {
    /// The page's language.
    pub lang: Lang,
    map: &'a BTreeMap<String, String>,
}

impl Words<'_> {
    /// The word for a key; the key itself if the page lacks it (the build checks the keys the
    /// template uses, so a missing one shows up visibly rather than as a blank).
    pub fn get(&self, key: &str) -> String {
        self.map
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }
}
