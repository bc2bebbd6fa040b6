//! The 2024 and 2027 targets as a bar chart drawn at build time: no script, readable on a phone
//! and printed, and read by screen readers as text.
//!
//! Each target is a panel of its own (the units differ, so each has its own scale) with a
//! horizontal bar per year. Every word is HTML text, not SVG text: it wraps, stays at body size
//! at any width instead of shrinking with a scaled drawing, and is never cut. Only the bars are
//! SVG (a `<rect>` whose width is the value's share of the panel's largest value; the page's
//! Content-Security-Policy forbids `style=` attributes, so a width in CSS cannot carry it).

use calculator::Lang;
use rust_decimal::prelude::ToPrimitive;

use super::text::escape;
use crate::model::{Target, TargetValue};

/// A target's value as the text beside the chart writes it: 110亿元 in Chinese, and in English
/// the content's own reading ("RMB 11 billion") or else the value and the unit.
pub fn reading(t: &Target, v: &TargetValue, lang: Lang) -> String {
    match (lang, &v.en) {
        (Lang::Zh, _) => format!("{}{}", v.value.normalize(), t.unit.zh),
        (Lang::En, Some(en)) => en.clone(),
        (Lang::En, None) => format!("{} {}", v.value.normalize(), t.unit.en),
    }
}

/// The chart's HTML: one panel per target, its name, then a row per year (the year, the
/// value's reading, its bar). Goes inside the `<figure>` whose caption names the chart.
pub fn targets_chart(targets: &[Target], lang: Lang) -> String {
    let mut html = String::from("<div class=\"chart\">");
    for t in targets {
        let max = t
            .values
            .iter()
            .filter_map(|v| v.value.to_f64())
            .fold(0.0_f64, f64::max);
        html.push_str(&format!(
            "<div class=\"panel\"><p class=\"name\">{}</p><dl>",
            escape(t.name.get(lang))
        ));
        for (k, v) in t.values.iter().enumerate() {
            let share = match v.value.to_f64() {
                Some(x) if max > 0.0 => (100.0 * x / max).clamp(0.0, 100.0),
                _ => 0.0,
            };
            html.push_str(&format!(
                "<div class=\"row y{k}\"><dt>{}</dt><dd><span class=\"value\">{}</span>\
<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">\
<rect width=\"{share:.1}\" height=\"10\"/></svg></dd></div>",
                v.year,
                escape(&reading(t, v, lang))
            ));
        }
        html.push_str("</dl></div>");
    }
    html.push_str("</div>");
    html
}
