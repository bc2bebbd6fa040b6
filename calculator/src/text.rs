//! Bilingual text: every string a reader sees exists in Chinese and English.

use serde::{Deserialize, Serialize};

/// A closed set of values written as words: each value has one spelling (its code), the one
/// serde reads and writes in content and `rules.json`, the command line accepts, the pages and
/// scenario links carry and the app decodes. A test holds every code to serde's spelling.
pub trait Code: Sized + Copy + PartialEq + 'static {
    /// Every value, in the order they are listed.
    const ALL: &'static [Self];

    /// The value's spelling.
    fn code(self) -> &'static str;

    /// The value spelled `s`, if any.
    fn from_code(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == s)
    }
}

/// A language of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Simplified Chinese, the language of the issued text (which prevails).
    Zh,
    /// English, our translation.
    En,
}

impl Lang {
    /// Both languages, Chinese first, in the order pages list them.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The path segment and `lang` attribute code (`zh`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The BCP 47 tag used in `lang` and `hreflang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-Hans",
            Lang::En => "en",
        }
    }

    /// The other language, for "the other language one click away".
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

impl Code for Lang {
    const ALL: &'static [Lang] = &Lang::ALL;

    fn code(self) -> &'static str {
        Lang::code(self)
    }
}

/// A piece of text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// The Chinese, as issued (extraction damage repaired).
    pub zh: String,
    /// The English translation.
    pub en: String,
}

impl Text {
    /// The text in one language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The languages whose text is empty or only white space.
    pub fn missing(&self) -> Vec<Lang> {
        Lang::ALL
            .into_iter()
            .filter(|l| self.get(*l).trim().is_empty())
            .collect()
    }
}

#[cfg(test)]
mod code_tests {
    use super::{Code, Lang};
    use crate::engine::LineStatus;
    use crate::ruleset::PlaceKind;
    use crate::{Applicant, CapScope};
    use serde::Serialize;

    /// Every value is spelled by serde exactly as by `code()`, and `from_code` reads it back.
    fn codes_match_serde<T: Code + Serialize + std::fmt::Debug>() {
        for v in T::ALL {
            assert_eq!(
                serde_json::to_value(v).ok(),
                Some(serde_json::Value::String(v.code().to_string())),
                "{v:?}"
            );
            assert_eq!(T::from_code(v.code()), Some(*v));
        }
        assert_eq!(T::from_code("no-such-code"), None);
    }

    #[test]
    fn each_coded_enum_has_one_spelling() {
        codes_match_serde::<Lang>();
        codes_match_serde::<Applicant>();
        codes_match_serde::<CapScope>();
        codes_match_serde::<PlaceKind>();
        codes_match_serde::<LineStatus>();
    }
}
