//! The breakdown: per claim its amount, the formula in the policy's terms, the clause in the
//! page's language (the other one a click away), the units to contact and the clause's
//! permalink; then the notices and the totals. Headed, for print, with the document number,
//! its validity and the rule-set version.

use yew::html::Scope;
use yew::prelude::*;

use super::{form::KINDS, App, Msg, Words, RESULTS_HEADING};
use crate::engine::{Estimate, Line, LineStatus, Notice, NoticeKind};
use crate::money::Money;
use crate::ruleset::{ClauseRef, PlaceKind, UnitRef};
use crate::scenario::Scenario;
use crate::text::Lang;

/// What only the reader's browser knows, for the print view: empty in the build's render.
pub struct Printed {
    /// The reader's date, `2026-11-30`.
    pub date: String,
    /// The page's address with the fragment.
    pub link: String,
}

/// The results section; `input_notice`: show the notice about inputs that cannot be used;
/// `place_prompt`: the place question is still unanswered (its notice would flag what the
/// reader has not yet been asked to give); `printed`: the date and link of the print view.
pub fn view(
    w: &Words,
    scenario: &Scenario,
    e: &Estimate,
    input_notice: bool,
    place_prompt: bool,
    printed: &Printed,
    link: &Scope<App>,
) -> Html {
    let l = w.lang;
    let kind = KINDS
        .iter()
        .find(|(k, _)| *k == scenario.applicant.kind)
        .map(|(_, key)| w.get(key))
        .unwrap_or_default();
    let place = e
        .place
        .as_ref()
        .map(|p| p.name.get(l).to_string())
        .unwrap_or_else(|| w.get("calc_place_unknown"));
    let sep = if l == Lang::Zh { "，" } else { ", " };
    let mut who = format!("{kind}{sep}{place}");
    if !e.eligible {
        who.push_str(sep);
        who.push_str(&w.get("calc_dishonest_yes"));
    }
    let show_reference = e.reference_only || !e.reference_total.0.is_zero();
    // A county applicant's figures are all reference figures: that total is its headline.
    let county = e
        .place
        .as_ref()
        .is_some_and(|p| p.kind == PlaceKind::County);
    // Lines whose conditions are still to be set, and measures no applicant claims, are listed
    // apart: they have a ceiling or a text, never an amount in a total.
    let apart = |x: &&Line| {
        matches!(
            x.status,
            LineStatus::ConditionsPending | LineStatus::NotClaimed
        )
    };
    let lines: Html = e
        .lines
        .iter()
        .filter(|x| !apart(x))
        .map(|x| line(w, x))
        .collect();
    let pending: Html = e.lines.iter().filter(apart).map(|x| line(w, x)).collect();
    let has_pending = e.lines.iter().any(|x| apart(&x));
    let has_lines = e.lines.iter().any(|x| !apart(&x));
    // A clause quoted by several notices (就高不重复 for two claims) is quoted in full once.
    let mut quoted: Vec<&str> = Vec::new();
    let notices: Html = e
        .notices
        .iter()
        .filter(|n| input_notice || n.kind != NoticeKind::InputErrors)
        .filter(|n| !place_prompt || n.kind != NoticeKind::UnknownPlace)
        .map(|n| {
            let first = n.clause.as_ref().is_none_or(|c| {
                let new = !quoted.contains(&c.id.as_str());
                quoted.push(&c.id);
                new
            });
            notice(w, n, first)
        })
        .collect();
    let print = link.callback(|_: MouseEvent| Msg::Print);
    html! {
        <section class="calc-results" aria-labelledby={RESULTS_HEADING}>
            <h2 id={RESULTS_HEADING} tabindex="-1">{ w.get("calc_results") }</h2>
            <div class="calc-basis">
                <p><strong>{ e.document.number.get(l) }</strong>{ " " }{ e.document.title.get(l) }</p>
                <p>{ w.get("calc_validity") }{ e.document.validity.get(l) }</p>
                <p>{ w.get("calc_version") }<code>{ e.version.clone() }</code></p>
                <p class="calc-printed">{ w.get("calc_printed") }{ printed.date.clone() }</p>
            </div>
            <p class="calc-who"><span class="calc-label">{ w.get("calc_applicant") }</span>{ who }</p>
            <div class="calc-totals" role="status" aria-live="polite" aria-atomic="true">
                // A county applicant's headline is its reference total: its city total is 0 by
                // the scope rule, and leading with 0 would hide the figure that matters to it.
                if county {
                    { reference_total(w, e) }
                }
                <p class={if county { "calc-total muted" } else { "calc-total" }}>
                    <span>{ w.get("calc_total_city") }</span>{ " " }
                    <strong data-total="city" data-value={plain(e.city_total)}>{ e.city_total.display(l) }</strong>
                </p>
                if show_reference && !county {
                    { reference_total(w, e) }
                }
                <p class="calc-ceiling">{ w.get("calc_ceiling") }</p>
            </div>
            if e.lines.is_empty() {
                <p class="calc-empty">{ w.get("calc_empty") }</p>
            }
            if has_lines {
                <ol class="calc-lines">{ lines }</ol>
            }
            if has_pending {
                <h3>{ w.get("calc_pending_heading") }</h3>
                <p class="calc-pending-intro">{ w.get("calc_pending_intro") }</p>
                <ol class="calc-lines pending">{ pending }</ol>
            }
            <h3>{ w.get("calc_notices") }</h3>
            <ul class="calc-notices">{ notices }</ul>
            <p class="calc-actions">
                <button type="button" class="calc-print" onclick={print}>{ w.get("calc_print") }</button>
            </p>
            <p class="calc-share">{ w.get("calc_share") }</p>
            <p class="calc-print-link">{ w.get("calc_print_link") }<span>{ printed.link.clone() }</span></p>
        </section>
    }
}

/// The reference total (a county applicant, an unknown place), with its label.
fn reference_total(w: &Words, e: &Estimate) -> Html {
    html! {
        <p class="calc-total reference">
            <span>{ w.get("calc_total_reference") }</span>{ " " }
            <strong data-total="reference" data-value={plain(e.reference_total)}>{ e.reference_total.display(w.lang) }</strong>
        </p>
    }
}

/// On a phone the breakdown is below the form: a bar kept at the bottom of the screen while
/// the form is in view shows the total and moves to the breakdown (a button: a `#` link would
/// replace the scenario in the fragment).
pub fn jump(w: &Words, e: &Estimate, link: &Scope<App>) -> Html {
    let l = w.lang;
    let county = e
        .place
        .as_ref()
        .is_some_and(|p| p.kind == PlaceKind::County);
    let (label, total) = if county {
        (w.get("calc_total_reference"), e.reference_total)
    } else {
        (w.get("calc_total_city"), e.city_total)
    };
    let onclick = link.callback(|_: MouseEvent| Msg::ShowResults);
    html! {
        <p class="calc-jump">
            <button type="button" {onclick}>
                { label }{ " " }<strong>{ total.display(l) }</strong>{ " · " }{ w.get("calc_see_results") }
            </button>
        </p>
    }
}

/// An amount as a plain decimal, as the command line's JSON writes it (for tests and scripts).
fn plain(m: Money) -> String {
    m.0.normalize().to_string()
}

fn line(w: &Words, x: &Line) -> Html {
    let l = w.lang;
    let amount = match (x.amount, x.status, x.ceiling) {
        (Some(m), _, _) => m.display(l),
        (None, LineStatus::ConditionsPending, Some(c)) => {
            format!("{}{}", w.get("calc_up_to"), c.display(l))
        }
        (None, LineStatus::NotSet, _) => w.get("calc_not_set"),
        (None, _, _) => "—".to_string(),
    };
    let counted = x.status == LineStatus::Counted;
    let clause_amount = match (x.clause_amount, x.amount) {
        (Some(c), Some(a)) if c != a => Some(c.display(l)),
        _ => None,
    };
    let notes: Html = x
        .notes
        .iter()
        .map(|n| html! { <p class="calc-note">{ n.get(l) }</p> })
        .collect();
    html! {
        <li class={if counted { "calc-line" } else { "calc-line not-counted" }} key={x.claim}>
            <h4>{ x.name.get(l) }</h4>
            <p class="calc-amount">
                <strong>{ amount }</strong>
                if !counted && x.status != LineStatus::NotSet { { " " }<span class="calc-tag">{ w.get(x.status.word_key()) }</span> }
                if counted && x.reference_only { { " " }<span class="calc-tag reference">{ w.get("calc_reference_only") }</span> }
            </p>
            if let Some(c) = clause_amount {
                <p class="calc-clause-amount">{ w.get("calc_clause_amount") }{ c }</p>
            }
            { formula(w, x) }
            { notes }
            if let Some(r) = &x.reading {
                <p class="calc-reading"><span class="calc-label">{ w.get("calc_reading") }</span>{ reading(r.get(l)) }</p>
            }
            if let Some(c) = &x.clause { { clause(w, c) } }
            { units(w, "calc_units_text", &x.text_units, false) }
            { units(w, "calc_units_editorial", &x.task_units.units, true) }
        </li>
    }
}

/// An editor's reading, which the build rendered from Markdown and sanitised to HTML (links,
/// emphasis, code: generator/src/markdown.rs), inserted as it is. Inserting it unescaped is
/// safe because it comes only from the page's own data block, written by the same build that
/// wrote the page: nothing the reader types or the URL fragment holds reaches it, and ammonia
/// has already reduced it to `a[href]` (http, https, mailto or a relative path), `em`,
/// `strong`, `code` and `br`. Anyone able to change the data block could change the page itself.
fn reading(html: &str) -> Html {
    Html::from_html_unchecked(AttrValue::from(html.to_string()))
}

/// The formula; with several instances, one row per instance and one for the total (the
/// engine joins them with the language's semicolon).
fn formula(w: &Words, x: &Line) -> Html {
    let l = w.lang;
    let f = x.formula.get(l);
    let label = html! { <span class="calc-label">{ w.get("calc_formula") }</span> };
    if x.steps.len() < 2 {
        return html! { <p class="calc-formula">{ label }{ f }</p> };
    }
    let sep = if l == Lang::Zh { "；" } else { "; " };
    let rows: Html = f
        .split(sep)
        .map(|part| html! { <li>{ part.to_string() }</li> })
        .collect();
    html! { <div class="calc-formula">{ label }<ul>{ rows }</ul></div> }
}

/// The clause's label, linked to its permalink on the attachment page.
fn clause_link(w: &Words, c: &ClauseRef) -> Html {
    html! { <a href={format!("../{}/#{}", c.page, c.id)}>{ c.label.get(w.lang) }</a> }
}

/// The clause: its label linked to its permalink, its text in the page's language, and the
/// other language one click away.
fn clause(w: &Words, c: &ClauseRef) -> Html {
    let l = w.lang;
    let o = l.other();
    html! {
        <div class="calc-clause">
            <p class="calc-clause-ref">{ clause_link(w, c) }</p>
            <blockquote lang={l.tag()}><p>{ c.text.get(l) }</p></blockquote>
            <details>
                <summary>{ w.get("calc_other_language") }</summary>
                <blockquote lang={o.tag()}><p>{ c.text.get(o) }</p></blockquote>
            </details>
        </div>
    }
}

fn units(w: &Words, key: &str, list: &[UnitRef], editorial: bool) -> Html {
    if list.is_empty() {
        return html! {};
    }
    let l = w.lang;
    let sep = if l == Lang::Zh { "、" } else { "; " };
    let links: Html = list
        .iter()
        .enumerate()
        .map(|(i, u)| {
            html! {
                <>
                    if i > 0 { { sep } }
                    <a href={format!("../units/{}/", u.id)}>{ u.name.get(l) }</a>
                </>
            }
        })
        .collect();
    html! {
        <p class={if editorial { "calc-units editorial" } else { "calc-units" }}>
            <span class="calc-label">{ w.get(key) }</span>{ links }
        </p>
    }
}

fn notice_class(k: NoticeKind) -> &'static str {
    match k {
        NoticeKind::InputErrors => "input-errors",
        NoticeKind::Ineligible => "ineligible",
        NoticeKind::County => "county",
        NoticeKind::UnknownPlace => "unknown-place",
        NoticeKind::WrongApplicant => "wrong-applicant",
        NoticeKind::NoStacking => "no-stacking",
        NoticeKind::OtherAward => "other-award",
        NoticeKind::NotSet => "not-set",
        NoticeKind::ConditionsPending => "conditions-pending",
        NoticeKind::ImplementingRules => "implementing-rules",
    }
}

/// A notice; `quote`: quote its clause in full (otherwise only its linked label).
fn notice(w: &Words, n: &Notice, quote: bool) -> Html {
    let l = w.lang;
    html! {
        <li class={format!("calc-notice {}", notice_class(n.kind))}>
            <p>{ n.message.get(l) }</p>
            if let Some(c) = &n.clause {
                if quote {
                    { clause(w, c) }
                } else {
                    <p class="calc-clause-ref">{ clause_link(w, c) }</p>
                }
            }
            { units(w, "calc_units_contact", &n.units, false) }
        </li>
    }
}
