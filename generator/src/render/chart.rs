//! The 2024 and 2027 targets as an SVG bar chart drawn at build time: no script, readable
//! printed, and described for screen readers.

use calculator::Lang;
use rust_decimal::prelude::ToPrimitive;

use super::text::escape;
use crate::model::Target;

/// One small panel per target (the units differ, so each has its own scale), two bars each.
pub fn targets_svg(targets: &[Target], lang: Lang, title: &str, desc: &str) -> String {
    const PANEL_W: f64 = 200.0;
    const H: f64 = 250.0;
    const TOP: f64 = 40.0;
    const BOTTOM: f64 = 200.0;
    let width = PANEL_W * targets.len().max(1) as f64;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {H}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc>",
        escape(title),
        escape(desc)
    );
    for (i, t) in targets.iter().enumerate() {
        let x0 = i as f64 * PANEL_W;
        let max = t
            .values
            .iter()
            .filter_map(|v| v.value.to_f64())
            .fold(0.0_f64, f64::max)
            .max(1.0);
        let bar_w = 56.0;
        let gap = 24.0;
        let start = x0 + (PANEL_W - (bar_w * t.values.len() as f64 + gap)) / 2.0;
        svg.push_str(&format!(
            "<line x1=\"{:.1}\" y1=\"{BOTTOM}\" x2=\"{:.1}\" y2=\"{BOTTOM}\" class=\"axis\"/>",
            x0 + 16.0,
            x0 + PANEL_W - 16.0
        ));
        for (k, v) in t.values.iter().enumerate() {
            let val = v.value.to_f64().unwrap_or(0.0);
            let h = (BOTTOM - TOP) * val / max;
            let x = start + k as f64 * (bar_w + gap);
            let unit = t.unit.get(lang);
            let label = match lang {
                Lang::Zh => format!("{}{}", v.value.normalize(), unit),
                Lang::En => format!("{} ({})", v.value.normalize(), unit),
            };
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar_w}\" height=\"{h:.1}\" class=\"bar y{k}\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" class=\"value\" text-anchor=\"middle\">{}</text>\
<text x=\"{:.1}\" y=\"{:.1}\" class=\"year\" text-anchor=\"middle\">{}</text>",
                BOTTOM - h,
                x + bar_w / 2.0,
                BOTTOM - h - 6.0,
                escape(&label),
                x + bar_w / 2.0,
                BOTTOM + 18.0,
                v.year
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"name\" text-anchor=\"middle\">{}</text>",
            x0 + PANEL_W / 2.0,
            BOTTOM + 40.0,
            escape(&short(t.name.get(lang), lang))
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Panel captions must fit 200 units: long names are cut with an ellipsis (the full name is in
/// the table beside the chart and in the description).
fn short(name: &str, lang: Lang) -> String {
    let max = if lang == Lang::Zh { 13 } else { 30 };
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}
