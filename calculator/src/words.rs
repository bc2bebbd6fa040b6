//! The engine's own words, in both languages: how a formula, a cap or a notice is phrased. Only
//! grammar lives here; every figure, rate, name and clause comes from the rule set.

use rust_decimal::Decimal;

use crate::money::Money;
use crate::rules::{Amount, Applicant, Cap, CapScope, Subsidy};
use crate::text::{Lang, Text};

/// Builds a [`Text`] by phrasing the same thing in each language.
pub(crate) fn both(f: impl Fn(Lang) -> String) -> Text {
    Text {
        zh: f(Lang::Zh),
        en: f(Lang::En),
    }
}

/// An amount as a formula shows it: exact, so an intermediate `0.025` is not silently rounded
/// (rounding happens once, on the final figure, and the formula says so).
pub(crate) fn amount(m: Money, lang: Lang) -> String {
    let d = m.0.normalize();
    if d.scale() <= 2 {
        return m.display(lang);
    }
    let s = crate::money::group_thousands(&d.to_string());
    match lang {
        Lang::Zh => format!("{s}元"),
        Lang::En => format!("RMB {s}"),
    }
}

/// A figure exactly as the clause writes it (`10万元`, `RMB 100,000`), so the reader finds it in
/// the quoted text.
pub(crate) fn figure(m: Money, lang: Lang) -> String {
    m.as_in_text(lang)
}

/// A count as the text writes it: `150`.
pub(crate) fn count(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Who a subsidy pays, as a noun phrase for "per …" and "paid to …".
pub(crate) fn applicant(a: Applicant, lang: Lang) -> &'static str {
    match (a, lang) {
        (Applicant::Enterprise, Lang::Zh) => "企业",
        (Applicant::Enterprise, Lang::En) => "enterprises",
        (Applicant::Organisation, Lang::Zh) => "行业组织、机构单位或服务商",
        (Applicant::Organisation, Lang::En) => {
            "industry organisations, institutions or service providers"
        }
        (Applicant::TrainingInstitution, Lang::Zh) => "电子商务培训（服务）机构",
        (Applicant::TrainingInstitution, Lang::En) => "e-commerce training (service) institutions",
    }
}

/// The Chinese measure word and the English noun for one applicant (单家企业 / per enterprise);
/// `None`: the clause names no type of claimant.
fn one_applicant(a: Option<Applicant>, lang: Lang) -> &'static str {
    let Some(a) = a else {
        return match lang {
            Lang::Zh => "单个申请主体",
            Lang::En => "applicant",
        };
    };
    match (a, lang) {
        (Applicant::Enterprise, Lang::Zh) => "单家企业",
        (Applicant::Enterprise, Lang::En) => "enterprise",
        (Applicant::Organisation, Lang::Zh) => "单个单位",
        (Applicant::Organisation, Lang::En) => "organisation",
        (Applicant::TrainingInstitution, Lang::Zh) => "单个机构",
        (Applicant::TrainingInstitution, Lang::En) => "institution",
    }
}

/// How a cap is named in a formula. `qualify` is false when a subsidy has caps of one scope
/// only: then "上限10万元" is unambiguous and reads like the clause.
#[derive(Clone, Copy)]
pub(crate) struct CapWords<'a> {
    pub applicant: Option<Applicant>,
    pub instance: Option<&'a Text>,
    pub qualify: bool,
}

impl CapWords<'_> {
    /// `每场次上限5万元` / `the RMB 50,000 cap per session`.
    fn name(&self, cap: &Cap, lang: Lang) -> String {
        let fig = figure(cap.amount, lang);
        if !self.qualify {
            return match lang {
                Lang::Zh => format!("上限{fig}"),
                Lang::En => format!("the {fig} cap"),
            };
        }
        let who = one_applicant(self.applicant, lang);
        match (cap.per, lang) {
            (CapScope::Instance, Lang::Zh) => match self.instance {
                Some(t) => format!("每{}上限{fig}", t.zh),
                None => format!("每项上限{fig}"),
            },
            (CapScope::Instance, Lang::En) => match self.instance {
                Some(t) => format!("the {fig} cap per {}", t.en),
                None => format!("the {fig} cap per item"),
            },
            (CapScope::Applicant, Lang::Zh) => format!("{who}上限{fig}"),
            (CapScope::Applicant, Lang::En) => format!("the {fig} cap per {who}"),
            (CapScope::ApplicantYear, Lang::Zh) => format!("{who}全年累计上限{fig}"),
            (CapScope::ApplicantYear, Lang::En) => format!("the {fig} cap per {who} per year"),
        }
    }

    /// The comparison with a cap, appended to a formula: `，未超过上限10万元` /
    /// `, above the RMB 100,000 cap: RMB 100,000`.
    pub(crate) fn compare(&self, value: Money, cap: &Cap, lang: Lang) -> String {
        let name = self.name(cap, lang);
        let fig = figure(cap.amount, lang);
        match lang {
            Lang::Zh if value > cap.amount => format!("，超过{name}，按{fig}计"),
            Lang::Zh => format!("，未超过{name}"),
            Lang::En if value > cap.amount => format!(", above {name}: {fig}"),
            Lang::En if value == cap.amount => format!(", within {name}"),
            Lang::En => format!(", below {name}"),
        }
    }

    /// A cap named with what it is counted per, whatever the other caps:
    /// `单家企业上限200万元` / `up to RMB 2 million per enterprise`.
    pub(crate) fn limit(&self, cap: &Cap, lang: Lang) -> String {
        let fig = figure(cap.amount, lang);
        let who = one_applicant(self.applicant, lang);
        match (cap.per, lang) {
            (CapScope::Instance, Lang::Zh) => match self.instance {
                Some(t) => format!("每个{}上限{fig}", t.zh),
                None => format!("每项上限{fig}"),
            },
            (CapScope::Instance, Lang::En) => match self.instance {
                Some(t) => format!("up to {fig} per {}", t.en),
                None => format!("up to {fig} per item"),
            },
            (CapScope::Applicant, Lang::Zh) => format!("{who}上限{fig}"),
            (CapScope::Applicant, Lang::En) => format!("up to {fig} per {who}"),
            (CapScope::ApplicantYear, Lang::Zh) => format!("{who}全年累计上限{fig}"),
            (CapScope::ApplicantYear, Lang::En) => format!("up to {fig} per {who} per year"),
        }
    }

    /// A cap with no rate in front of it: `本条未定比例，按上限计：最高60万元`.
    pub(crate) fn ceiling(&self, cap: &Cap, lang: Lang) -> String {
        let name = self.name(cap, lang);
        match lang {
            Lang::Zh => format!("本条未定比例，按{name}计"),
            Lang::En => format!("no rate is set, so at most {name}"),
        }
    }

    /// The label of the k-th instance (1-based) when a claim has several: `场次2` / `Session 2`.
    pub(crate) fn instance_label(&self, k: usize, lang: Lang) -> String {
        match (self.instance, lang) {
            (Some(t), Lang::Zh) => format!("{}{k}", t.zh),
            (Some(t), Lang::En) => format!("{} {k}", capitalise(&t.en)),
            (None, Lang::Zh) => format!("第{k}项"),
            (None, Lang::En) => format!("Item {k}"),
        }
    }
}

/// Upper-cases the first letter, for an instance name that starts a line.
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // ASCII only: the terms are English words (Chinese has no case), and Unicode case
        // mapping would add its tables to the WASM.
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}

/// `：` / `: ` between a label and its formula.
pub(crate) fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    }
}

/// `；` / `; ` between the formulas of several instances.
pub(crate) fn semicolon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    }
}

/// Joins unit names as the text does: `市商务局和市财政局` / `A and B`, `A、B和C` / `A, B and C`.
pub(crate) fn join_names(names: &[&str], lang: Lang) -> String {
    let (sep, last) = match lang {
        Lang::Zh => ("、", "和"),
        Lang::En => (", ", " and "),
    };
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., tail] => format!("{}{last}{tail}", init.join(sep)),
    }
}

/// Quotation marks around a name: `“商标国际注册费用扶持”` / `“International trademark …”`.
pub(crate) fn quoted(t: &Text, lang: Lang) -> String {
    quoted_str(t.get(lang))
}

/// Quotation marks around a string.
pub(crate) fn quoted_str(s: &str) -> String {
    format!("“{s}”")
}

/// An applicant type as a profile shows it: `企业` / `enterprise`.
pub(crate) fn applicant_kind(a: Applicant, lang: Lang) -> &'static str {
    match (a, lang) {
        (_, Lang::Zh) => applicant(a, lang),
        (Applicant::Enterprise, Lang::En) => "enterprise",
        (Applicant::Organisation, Lang::En) => {
            "industry organisation, institution or service provider"
        }
        (Applicant::TrainingInstitution, Lang::En) => "e-commerce training (service) institution",
    }
}

/// A measure in a few words, for the list the reader picks from: its rate, ceilings and
/// threshold (`50%，单家企业上限10万元` / `50%; up to RMB 100,000 per enterprise`), or why it
/// has no figure. Every figure comes from the subsidy's data.
pub fn measure_summary(s: &Subsidy, lang: Lang) -> String {
    let cw = CapWords {
        applicant: s.applicant,
        instance: s.instance.as_ref(),
        qualify: true,
    };
    let sep = match lang {
        Lang::Zh => "，",
        Lang::En => "; ",
    };
    let limits = |caps: &[Cap]| -> Vec<String> { caps.iter().map(|c| cw.limit(c, lang)).collect() };
    let mut parts: Vec<String> = Vec::new();
    if s.not_claimed.is_some() {
        parts.push(
            match lang {
                Lang::Zh => "非申报类扶持",
                Lang::En => "not claimed by applicants",
            }
            .into(),
        );
    } else if s.pending_condition.is_some() {
        parts.push(
            match lang {
                Lang::Zh => "条件待实施细则明确",
                Lang::En => "conditions still to be set",
            }
            .into(),
        );
    }
    match &s.amount {
        Amount::Rate {
            rate,
            rate_is_ceiling,
            base,
            threshold,
            caps,
        } => {
            let r = rate.as_in_text();
            parts.push(match (rate_is_ceiling, lang) {
                (false, Lang::Zh) => format!("{}{r}", base.name.zh),
                (false, Lang::En) => format!("{r} of {}", base.name.en),
                (true, Lang::Zh) => format!("不超过{}{r}", base.name.zh),
                (true, Lang::En) => format!("up to {r} of {}", base.name.en),
            });
            parts.extend(limits(caps));
            if let Some(t) = threshold {
                let min = count(t.min);
                parts.push(match lang {
                    Lang::Zh => format!("{}不少于{min}{}", t.name.zh, t.unit.zh),
                    Lang::En => format!("at least {min} {}", t.name.en),
                });
            }
        }
        Amount::CapOnly { base, caps } => {
            if let Some(b) = base {
                parts.push(match lang {
                    Lang::Zh => format!("不超过{}", b.name.zh),
                    Lang::En => format!("at most the {}", b.name.en),
                });
            }
            parts.extend(limits(caps));
        }
        Amount::Fixed { sum, .. } => parts.push(figure(*sum, lang)),
        Amount::NotSet => parts.push(
            match lang {
                Lang::Zh => "本政策未规定金额",
                Lang::En => "no amount set by this policy",
            }
            .into(),
        ),
    }
    parts.join(sep)
}

/// One way of writing money per sentence: where a sentence mixes the clause's style (`10万元`,
/// `RMB 2 million`) with plain figures (`1,234元`, `RMB 1,500,000`), every amount of that
/// sentence is written plainly (`100,000元`, `RMB 2,000,000`), so the reader compares like with
/// like. A sentence all in one style is left as it is. Sentences end at `。` `；` (`. ` `; `).
pub(crate) fn one_money_style(t: &mut Text) {
    t.zh = one_style(&t.zh, Lang::Zh);
    t.en = one_style(&t.en, Lang::En);
}

/// An amount found in a text: its byte range, its value in yuan, and whether it is written in
/// the clause's style (万 / million).
struct Found {
    start: usize,
    end: usize,
    yuan: Decimal,
    styled: bool,
}

fn one_style(s: &str, lang: Lang) -> String {
    let ends: &[&str] = match lang {
        Lang::Zh => &["。", "；"],
        Lang::En => &[". ", "; "],
    };
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let cut = ends
            .iter()
            .filter_map(|e| rest.find(e).map(|i| i + e.len()))
            .min()
            .unwrap_or(rest.len());
        out.push_str(&restyle(&rest[..cut], lang));
        rest = &rest[cut..];
    }
    out
}

/// The digits, commas and point of a figure starting at `i`, and where they end.
fn figure_at(s: &str, i: usize) -> Option<(Decimal, usize)> {
    let tail = &s[i..];
    let len = tail
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(tail.len());
    let raw = tail[..len].trim_end_matches(['.', ',']);
    if raw.is_empty() || !raw.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let d = crate::money::plain_decimal(&raw.replace(',', ""))?;
    Some((d, i + raw.len()))
}

fn restyle(sentence: &str, lang: Lang) -> String {
    let mut found: Vec<Found> = Vec::new();
    let bytes = sentence.as_bytes();
    let mut i = 0;
    while i < sentence.len() {
        let starts_figure = bytes[i].is_ascii_digit()
            && (i == 0
                || !(bytes[i - 1].is_ascii_digit()
                    || bytes[i - 1] == b','
                    || bytes[i - 1] == b'.'));
        match lang {
            Lang::Zh if starts_figure => {
                if let Some((d, end)) = figure_at(sentence, i) {
                    let after = &sentence[end..];
                    if after.starts_with("万元") {
                        let e = end + "万元".len();
                        found.push(Found {
                            start: i,
                            end: e,
                            yuan: d * Decimal::from(10_000),
                            styled: true,
                        });
                        i = e;
                        continue;
                    } else if after.starts_with('元') {
                        let e = end + '元'.len_utf8();
                        found.push(Found {
                            start: i,
                            end: e,
                            yuan: d,
                            styled: false,
                        });
                        i = e;
                        continue;
                    }
                    i = end;
                    continue;
                }
            }
            Lang::En if sentence[i..].starts_with("RMB ") => {
                if let Some((d, end)) = figure_at(sentence, i + 4) {
                    if sentence[end..].starts_with(" million") {
                        let e = end + " million".len();
                        found.push(Found {
                            start: i,
                            end: e,
                            yuan: d * Decimal::from(1_000_000),
                            styled: true,
                        });
                        i = e;
                    } else {
                        found.push(Found {
                            start: i,
                            end,
                            yuan: d,
                            styled: false,
                        });
                        i = end;
                    }
                    continue;
                }
            }
            _ => {}
        }
        i += sentence[i..].chars().next().map_or(1, char::len_utf8);
    }
    let mixed = found.iter().any(|f| f.styled) && found.iter().any(|f| !f.styled);
    if !mixed {
        return sentence.to_string();
    }
    let mut out = String::with_capacity(sentence.len() + 16);
    let mut at = 0;
    for f in &found {
        out.push_str(&sentence[at..f.start]);
        if f.styled {
            let plain = crate::money::group_thousands(&f.yuan.normalize().to_string());
            match lang {
                Lang::Zh => out.push_str(&format!("{plain}元")),
                Lang::En => out.push_str(&format!("RMB {plain}")),
            }
        } else {
            out.push_str(&sentence[f.start..f.end]);
        }
        at = f.end;
    }
    out.push_str(&sentence[at..]);
    out
}
