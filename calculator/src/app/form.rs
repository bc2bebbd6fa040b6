//! The form: the applicant's profile, the activities to pick, and per picked subsidy its
//! amounts. Every field has a label; an input error shows beside its field, in the page's
//! language, tied to it with `aria-describedby` and marked `aria-invalid`.

use std::collections::BTreeMap;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::html::Scope;
use yew::prelude::*;

use super::{App, Control, Held, Msg, Words};
use crate::money::Money;
use crate::rules::{Amount, Applicant, Subsidy};
use crate::ruleset::{PlaceKind, RuleSet};
use crate::scenario::{Claim, InputError, InputErrorKind, Scenario};
use crate::text::{Lang, Text};

/// The id of the place selector (errors on `applicant.place` show beside it).
pub const PLACE_ID: &str = "calc-place";

/// The name of the applicant-kind radio buttons (one per [`KINDS`], in that order).
const KIND_NAME: &str = "calc-kind";
/// The name of the dishonesty radio buttons: "no", then "yes".
const DISHONEST_NAME: &str = "calc-dishonest";
/// The prefix of a subsidy's checkbox id: `pick-trademark`.
const PICK_PREFIX: &str = "pick-";

/// The `inputmode` of an amount field; amount fields echo the amount they read.
const AMOUNT_MODE: &str = "decimal";

/// The applicant kinds, in the order the form offers them, with their word keys.
pub const KINDS: [(Applicant, &str); 3] = [
    (Applicant::Enterprise, "calc_kind_enterprise"),
    (Applicant::Organisation, "calc_kind_organisation"),
    (Applicant::TrainingInstitution, "calc_kind_training"),
];

/// The messages to show beside fields, by field id.
pub struct FieldErrors {
    by_field: BTreeMap<String, String>,
    /// Errors that belong to no field (an unknown or duplicate subsidy in a link).
    unplaced: bool,
}

impl FieldErrors {
    /// Places the estimate's input errors on their fields; `show` decides, per field and kind,
    /// whether the message shows yet (a "needed" message waits until the field is touched).
    pub fn new(
        errors: &[InputError],
        scenario: &Scenario,
        lang: Lang,
        show: impl Fn(&str, &InputErrorKind) -> bool,
    ) -> FieldErrors {
        let mut by_field = BTreeMap::new();
        let mut unplaced = false;
        for e in errors {
            let Some(id) = field_of(&e.path, scenario) else {
                unplaced = true;
                continue;
            };
            if show(&id, &e.kind) {
                by_field
                    .entry(id)
                    .or_insert_with(|| e.kind.message(lang).to_string());
            }
        }
        FieldErrors { by_field, unplaced }
    }

    fn get(&self, id: &str) -> Option<&String> {
        self.by_field.get(id)
    }

    /// Some error is shown: the estimate's "some inputs cannot be used" notice is due. (A
    /// field just picked and still empty is not yet an error to the reader.)
    pub fn any_shown(&self) -> bool {
        self.unplaced || !self.by_field.is_empty()
    }
}

/// The messages that redo what the reader did with the build's render of the form before the
/// app started, in the form's order (the kind before the subsidies it offers): only the controls
/// that form has at an empty scenario (the profile, the subsidies' checkboxes, the version bar).
// Called by `start`, which only the browser build has.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn carried_over(controls: &[Control]) -> Vec<Msg> {
    controls
        .iter()
        .filter_map(|c| {
            let radio = |name: &str| {
                let n = c.key.strip_prefix(name)?.strip_prefix('#')?;
                n.parse::<usize>().ok()
            };
            match &c.held {
                // A radio button unticked is the other one ticked, carried by its own control.
                Held::Checked(true) if radio(KIND_NAME).is_some() => {
                    KINDS.get(radio(KIND_NAME)?).map(|(k, _)| Msg::Kind(*k))
                }
                Held::Checked(true) if radio(DISHONEST_NAME).is_some() => {
                    Some(Msg::Dishonest(radio(DISHONEST_NAME)? == 1))
                }
                Held::Checked(on) => {
                    let id = c.key.strip_prefix(PICK_PREFIX)?;
                    Some(Msg::Pick(id.to_string(), *on))
                }
                Held::Value(v) if c.key == PLACE_ID && !v.is_empty() => Some(Msg::Place(v.clone())),
                Held::Value(v) => super::versions::carried_over(&c.key, v),
            }
        })
        .collect()
}

/// The field id of an engine error path: `claims[2].instances[1].cost` → `f-training-1-cost`,
/// `claims[2].other_award` → `f-training-other`, `applicant.place` → `calc-place`.
fn field_of(path: &str, scenario: &Scenario) -> Option<String> {
    if path == "applicant.place" {
        return Some(PLACE_ID.into());
    }
    let rest = path.strip_prefix("claims[")?;
    let (i, rest) = rest.split_once(']')?;
    let claim = scenario.claims.get(i.parse::<usize>().ok()?)?;
    if rest == ".other_award" {
        return Some(other_id(&claim.subsidy));
    }
    let rest = rest.strip_prefix(".instances[")?;
    let (k, key) = rest.split_once("].")?;
    Some(input_id(&claim.subsidy, k.parse().ok()?, key))
}

fn input_id(subsidy: &str, k: usize, key: &str) -> String {
    format!("f-{subsidy}-{k}-{key}")
}

/// The id of a claim's "already granted under another policy" field.
pub fn other_id(subsidy: &str) -> String {
    format!("f-{subsidy}-other")
}

/// `International trademark registration fees`: a clause's term as a field label.
fn cap_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // ASCII only: the terms are English words (Chinese has no case), and Unicode case
        // mapping would add its tables to the WASM.
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}

/// What the form is drawn from.
pub struct View<'a> {
    /// Interface words.
    pub w: &'a Words<'a>,
    /// The rule set.
    pub rules: &'a RuleSet,
    /// The scenario being edited.
    pub scenario: &'a Scenario,
    /// Messages beside fields.
    pub errors: &'a FieldErrors,
    /// Fields the reader has used.
    pub touched: &'a [String],
    /// Where the fields send their changes.
    pub link: &'a Scope<App>,
}

impl View<'_> {
    fn t<'t>(&self, text: &'t Text) -> &'t str {
        text.get(self.w.lang)
    }

    /// The whole form.
    pub fn form(&self) -> Html {
        let w = self.w;
        let claims: Html = self
            .scenario
            .claims
            .iter()
            .enumerate()
            .map(|(i, c)| self.claim(i, c))
            .collect();
        html! {
            // A section, not a <form>: nothing is submitted (every change is applied as it is
            // made), and a form without a submit button would promise one.
            <section class="calc-form" aria-labelledby="calc-form-h">
                <h2 id="calc-form-h">{ w.get("calc_your_case") }</h2>
                <p class="calc-privacy">{ w.get("calc_privacy") }</p>
                { self.profile() }
                { self.picks() }
                if !self.scenario.claims.is_empty() {
                    <h3 class="calc-amounts-h">{ w.get("calc_amounts") }</h3>
                    { claims }
                }
            </section>
        }
    }

    fn profile(&self) -> Html {
        let w = self.w;
        let p = &self.scenario.applicant;
        let kinds: Html = KINDS
            .iter()
            .map(|(k, key)| {
                let k = *k;
                let onchange = self.link.callback(move |_: Event| Msg::Kind(k));
                html! {
                    <label class="calc-choice">
                        <input type="radio" name={KIND_NAME} checked={p.kind == k} {onchange} />
                        { w.get(key) }
                    </label>
                }
            })
            .collect();
        let place_opts = |kind: PlaceKind| -> Html {
            self.rules
                .places
                .iter()
                .filter(|pl| pl.kind == kind)
                .map(|pl| {
                    html! {
                        <option value={pl.id.clone()} selected={pl.id == p.place}>{ self.t(&pl.name) }</option>
                    }
                })
                .collect()
        };
        let on_place = self.link.callback(|e: Event| {
            Msg::Place(e.target_unchecked_into::<HtmlSelectElement>().value())
        });
        let on_blur = self
            .link
            .callback(|_: FocusEvent| Msg::Touch(PLACE_ID.into()));
        let err = self.errors.get(PLACE_ID);
        let d = p.dishonest;
        let yes = self.link.callback(|_: Event| Msg::Dishonest(true));
        let no = self.link.callback(|_: Event| Msg::Dishonest(false));
        html! {
            <fieldset class="calc-profile">
                <legend>{ w.get("calc_profile") }</legend>
                <fieldset class="calc-radios">
                    <legend>{ w.get("calc_kind") }</legend>
                    { kinds }
                </fieldset>
                <div class={if err.is_some() { "calc-field has-error" } else { "calc-field" }}>
                    <label for={PLACE_ID}>{ w.get("calc_place") }</label>
                    <select id={PLACE_ID} onchange={on_place} onblur={on_blur}
                        aria-invalid={err.map(|_| "true")}
                        aria-describedby={describedby(PLACE_ID, true, err.is_some(), false)}>
                        <option value="" selected={p.place.is_empty()}>{ w.get("calc_place_choose") }</option>
                        <optgroup label={w.get("calc_city_districts")}>{ place_opts(PlaceKind::CityDistrict) }</optgroup>
                        <optgroup label={w.get("calc_counties")}>{ place_opts(PlaceKind::County) }</optgroup>
                    </select>
                    <p class="calc-hint" id={format!("{PLACE_ID}-hint")}>{ w.get("calc_place_hint") }</p>
                    if let Some(e) = err {
                        <p class="calc-error" id={format!("{PLACE_ID}-err")}>{ e.clone() }</p>
                    }
                </div>
                <fieldset class="calc-radios">
                    <legend>{ w.get("calc_dishonest") }</legend>
                    <label class="calc-choice">
                        <input type="radio" name={DISHONEST_NAME} checked={!d} onchange={no} />
                        { w.get("calc_no") }
                    </label>
                    <label class="calc-choice">
                        <input type="radio" name={DISHONEST_NAME} checked={d} onchange={yes} />
                        { w.get("calc_yes") }
                    </label>
                </fieldset>
            </fieldset>
        }
    }

    /// Every subsidy paying this kind of applicant, as a checkbox; claims already made for
    /// another kind (or unknown to the rules) stay listed so they can be unpicked.
    fn picks(&self) -> Html {
        let w = self.w;
        let kind = self.scenario.applicant.kind;
        let claimed = |id: &str| self.scenario.claims.iter().any(|c| c.subsidy == id);
        let items: Html = self
            .rules
            .subsidies
            .iter()
            // A measure no applicant claims is listed on the attachment page, not offered here.
            .filter(|r| r.subsidy.not_claimed.is_none() || claimed(&r.subsidy.id))
            .filter(|r| r.subsidy.pays(kind) || claimed(&r.subsidy.id))
            .map(|r| {
                let s = &r.subsidy;
                // The summary below the name already says "no amount set" or "conditions still
                // to be set": a tag is kept only for what it does not say.
                let tag = (!s.pays(kind)).then(|| w.get("calc_other_kind"));
                let summary = crate::words::measure_summary(s, w.lang);
                self.pick(
                    &s.id,
                    self.t(&s.name),
                    Some(self.t(&r.clause.label)),
                    tag,
                    Some(summary),
                )
            })
            .collect();
        let unknown: Html = self
            .scenario
            .claims
            .iter()
            .filter(|c| self.rules.subsidy(&c.subsidy).is_none())
            .map(|c| {
                self.pick(
                    &c.subsidy,
                    &c.subsidy,
                    None,
                    Some(w.get("calc_unknown")),
                    None,
                )
            })
            .collect();
        html! {
            <fieldset class="calc-picks">
                <legend>{ w.get("calc_activities") }</legend>
                <p class="calc-hint">{ w.get("calc_activities_hint") }</p>
                <ul>{ items }{ unknown }</ul>
            </fieldset>
        }
    }

    fn pick(
        &self,
        id: &str,
        name: &str,
        clause: Option<&str>,
        tag: Option<String>,
        summary: Option<String>,
    ) -> Html {
        let checked = self.scenario.claims.iter().any(|c| c.subsidy == id);
        let sid = id.to_string();
        let onchange = self.link.callback(move |e: Event| {
            Msg::Pick(
                sid.clone(),
                e.target_unchecked_into::<HtmlInputElement>().checked(),
            )
        });
        let fid = format!("{PICK_PREFIX}{id}");
        html! {
            <li key={id.to_string()}>
                <input type="checkbox" id={fid.clone()} {checked} {onchange} />
                <label for={fid}>
                    { name.to_string() }
                    if let Some(c) = clause { { " " }<span class="calc-ref">{ c.to_string() }</span> }
                    if let Some(t) = tag { { " " }<span class="calc-tag">{ t }</span> }
                    if let Some(m) = summary { <span class="calc-summary">{ m }</span> }
                </label>
            </li>
        }
    }

    /// The inputs of one claim.
    fn claim(&self, i: usize, claim: &Claim) -> Html {
        let w = self.w;
        let Some(rule) = self.rules.subsidy(&claim.subsidy) else {
            return html! {};
        };
        let s = &rule.subsidy;
        // Nothing to enter while the conditions are unset: the line shows the ceiling apart.
        if let Some(quote) = &s.pending_condition {
            return html! {
                <fieldset class="calc-claim" key={s.id.clone()} id={format!("claim-{}", s.id)}>
                    <legend>{ self.t(&s.name) }{ " " }<span class="calc-ref">{ self.t(&rule.clause.label) }</span></legend>
                    <p class="calc-hint">{ w.get("calc_pending_hint") }{ "“" }{ self.t(quote) }{ "”" }</p>
                </fieldset>
            };
        }
        let n = claim.instances.len().max(1);
        let instances: Html = (0..n).map(|k| self.instance(i, k, n, claim, s)).collect();
        let add = s.instance.as_ref().map(|name| {
            let label = format!("{}{}", w.get("calc_add"), self.t(name));
            let onclick = self.link.callback(move |_: MouseEvent| Msg::AddInstance(i));
            html! { <button type="button" class="calc-add" {onclick}>{ label }</button> }
        });
        // Folded away until used: most claims have no award under another policy.
        let other = (!matches!(s.amount, Amount::NotSet)).then(|| {
            let id = other_id(&s.id);
            let open = claim.other_award.is_some()
                || self.errors.get(&id).is_some()
                || self.touched.contains(&id);
            let field = self.text_field(
                &id,
                w.get("calc_other_award"),
                claim.other_award.clone().unwrap_or_default(),
                Some(w.get("calc_other_award_hint")),
                AMOUNT_MODE,
                move |v| Msg::OtherAward(i, v),
            );
            html! {
                <details class="calc-other" {open}>
                    <summary>{ w.get("calc_other_award_summary") }</summary>
                    { field }
                </details>
            }
        });
        html! {
            <fieldset class="calc-claim" key={s.id.clone()} id={format!("claim-{}", s.id)}>
                <legend>{ self.t(&s.name) }{ " " }<span class="calc-ref">{ self.t(&rule.clause.label) }</span></legend>
                { instances }
                { for add }
                { for other }
            </fieldset>
        }
    }

    fn instance(&self, i: usize, k: usize, n: usize, claim: &Claim, s: &Subsidy) -> Html {
        let w = self.w;
        let inst = claim.instances.get(k);
        let value = |key: &str| {
            inst.and_then(|x| x.inputs.get(key).cloned())
                .unwrap_or_default()
        };
        let field = |key: &str, label: String, hint: Option<String>, mode: &'static str| {
            let key2 = key.to_string();
            self.text_field(
                &input_id(&s.id, k, key),
                label,
                value(key),
                hint,
                mode,
                move |v| Msg::Input(i, k, key2.clone(), v),
            )
        };
        let yuan = w.get("calc_yuan");
        let money_label = |name: &Text| format!("{}{}", cap_first(self.t(name)), yuan);
        let body = match &s.amount {
            Amount::Rate {
                base, threshold, ..
            } => {
                let th = threshold.as_ref().map(|t| {
                    let sep = if w.lang == Lang::Zh { "" } else { " " };
                    let hint = format!(
                        "{}{sep}{}{sep}{}",
                        w.get("calc_at_least"),
                        t.min.normalize(),
                        self.t(&t.unit)
                    );
                    field(&t.id, cap_first(self.t(&t.name)), Some(hint), "numeric")
                });
                html! { <>{ field(&base.id, money_label(&base.name), None, AMOUNT_MODE) }{ for th }</> }
            }
            Amount::CapOnly { base: Some(b), .. } => field(
                &b.id,
                money_label(&b.name),
                Some(w.get("calc_cap_only_hint")),
                AMOUNT_MODE,
            ),
            Amount::CapOnly { base: None, .. } => {
                html! { <p class="calc-hint">{ w.get("calc_cap_only_none") }</p> }
            }
            Amount::Fixed { condition, .. } => {
                let id = input_id(&s.id, k, crate::scenario::MET);
                let met = inst.is_some_and(|x| x.met);
                let onchange = self.link.callback(move |e: Event| {
                    Msg::Met(
                        i,
                        k,
                        e.target_unchecked_into::<HtmlInputElement>().checked(),
                    )
                });
                html! {
                    <div class="calc-field calc-check">
                        <input type="checkbox" id={id.clone()} checked={met} {onchange} />
                        <label for={id}>{ w.get("calc_met") }{ cap_first(self.t(condition)) }</label>
                    </div>
                }
            }
            Amount::NotSet => html! { <p class="calc-hint">{ w.get("calc_not_set_hint") }</p> },
        };
        match &s.instance {
            None => body,
            Some(name) => {
                let sep = if w.lang == Lang::Zh { "" } else { " " };
                let label = format!("{}{sep}{}", cap_first(self.t(name)), k + 1);
                let remove = (n > 1).then(|| {
                    let onclick = self
                        .link
                        .callback(move |_: MouseEvent| Msg::RemoveInstance(i, k));
                    html! {
                        <button type="button" class="calc-remove" {onclick}>
                            { w.get("calc_remove") }<span class="visually-hidden">{ format!(" {label}") }</span>
                        </button>
                    }
                });
                html! {
                    <fieldset class="calc-instance" key={k}>
                        <legend>{ label.clone() }</legend>
                        { body }
                        { for remove }
                    </fieldset>
                }
            }
        }
    }

    /// A text field for an amount or a count (typed as text, so the engine sees exactly what
    /// was typed and can say what is wrong with it).
    fn text_field(
        &self,
        id: &str,
        label: String,
        value: String,
        hint: Option<String>,
        mode: &'static str,
        msg: impl Fn(String) -> Msg + 'static,
    ) -> Html {
        let err = self.errors.get(id);
        let oninput = self.link.callback(move |e: InputEvent| {
            msg(e.target_unchecked_into::<HtmlInputElement>().value())
        });
        let tid = id.to_string();
        let onblur = self
            .link
            .callback(move |_: FocusEvent| Msg::Touch(tid.clone()));
        // The amount read, beside an amount field, so a wrong number of zeros shows at once.
        let echo = (mode == AMOUNT_MODE && err.is_none() && !value.trim().is_empty())
            .then(|| Money::parse_typed(&value).ok())
            .flatten()
            .map(|m| m.echo(self.w.lang));
        html! {
            <div class={if err.is_some() { "calc-field has-error" } else { "calc-field" }}>
                <label for={id.to_string()}>{ label }</label>
                <input type="text" inputmode={mode} autocomplete="off" spellcheck="false"
                    id={id.to_string()} {value} {oninput} {onblur}
                    aria-invalid={err.map(|_| "true")}
                    aria-describedby={describedby(id, hint.is_some(), err.is_some(), echo.is_some())} />
                if let Some(e) = echo {
                    <p class="calc-hint calc-echo" id={format!("{id}-echo")}>{ e }</p>
                }
                if let Some(h) = hint {
                    <p class="calc-hint" id={format!("{id}-hint")}>{ h }</p>
                }
                if let Some(e) = err {
                    <p class="calc-error" id={format!("{id}-err")}>{ e.clone() }</p>
                }
            </div>
        }
    }
}

/// `aria-describedby` for a field with an optional hint, error and echo of the amount read.
fn describedby(id: &str, hint: bool, err: bool, echo: bool) -> Option<String> {
    let mut parts = Vec::new();
    if err {
        parts.push(format!("{id}-err"));
    }
    if echo {
        parts.push(format!("{id}-echo"));
    }
    if hint {
        parts.push(format!("{id}-hint"));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn control(key: &str, held: Held) -> Control {
        Control {
            key: key.to_string(),
            held,
        }
    }

    /// What a reader can do with the build's form before the app starts comes back as the
    /// messages the same clicks would have sent; untouched or unknown controls send none.
    #[test]
    fn carried_over_redoes_the_readers_changes() {
        let controls = [
            control("calc-kind#0", Held::Checked(false)),
            control("calc-kind#2", Held::Checked(true)),
            control(PLACE_ID, Held::Value("luqiao".into())),
            control("calc-dishonest#1", Held::Checked(true)),
            control("pick-trademark", Held::Checked(true)),
            control("pick-patent", Held::Checked(false)),
            control("calc-day", Held::Value("2025-06-01".into())),
            control("site-search-q", Held::Value("warehouse".into())),
        ];
        let msgs = carried_over(&controls);
        assert_eq!(msgs.len(), 6, "one message per change the app knows");
        assert!(matches!(&msgs[0], Msg::Kind(k) if *k == KINDS[2].0));
        assert!(matches!(&msgs[1], Msg::Place(p) if p == "luqiao"));
        assert!(matches!(&msgs[2], Msg::Dishonest(true)));
        assert!(matches!(&msgs[3], Msg::Pick(id, true) if id == "trademark"));
        assert!(matches!(&msgs[4], Msg::Pick(id, false) if id == "patent"));
        assert!(matches!(
            &msgs[5],
            Msg::Version(super::super::versions::Msg::Day(d)) if d == "2025-06-01"
        ));
    }

    /// A place set back to "Choose…" is no answer: it must not mark the field as left.
    #[test]
    fn carried_over_ignores_an_empty_place() {
        assert!(carried_over(&[control(PLACE_ID, Held::Value(String::new()))]).is_empty());
    }
}
