use std::fmt;

/// A BCP 47 language tag as given (`en`, `ru`, `kk-Cyrl`, `en-GB`).
///
/// Only the primary subtag drives behaviour (quotes, labels, hyphenation);
/// the full tag is kept for `xml:lang` and `/Lang`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(String);

impl Lang {
    /// Accepts a tag made of ASCII alphanumeric subtags of 1..=8 characters
    /// separated by `-`, the first of 2..=3 letters (the common, checkable
    /// part of BCP 47). Returns `None` for anything else.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim();
        let mut parts = tag.split('-');
        let primary = parts.next()?;
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        if !parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return None;
        }
        Some(Lang(tag.to_string()))
    }

    pub fn english() -> Lang {
        Lang("en".to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag, lower-cased (`en` for `en-GB`).
    pub fn primary(&self) -> String {
        self.0.split('-').next().unwrap_or("").to_ascii_lowercase()
    }

    /// Whether the language is written right to left (Arabic, Hebrew,
    /// Persian, Urdu, Yiddish, Pashto, Sindhi, Uyghur, Dhivehi, Sorani
    /// Kurdish). The one list: the typesetter (the paragraph's base
    /// direction) and the EPUB (`dir="rtl"`) both ask here.
    pub fn is_rtl(&self) -> bool {
        matches!(
            self.primary().as_str(),
            "ar" | "he" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" | "ckb"
        )
    }

    /// Whether the language is written in the Arabic script (Arabic,
    /// Persian, Urdu, Pashto, Sindhi, Uyghur, Sorani Kurdish): its text is
    /// set in the Arabic face.
    pub fn is_arabic_script(&self) -> bool {
        matches!(
            self.primary().as_str(),
            "ar" | "fa" | "ur" | "ps" | "sd" | "ug" | "ckb"
        )
    }

    /// Whether the language follows the Russian typographic conventions
    /// (Russian, Kazakh, Ukrainian, Belarusian, Kyrgyz, Uzbek, Tajik):
    /// quotations in guillemets, dashes spaced with a no-break space.
    pub fn uses_guillemets(&self) -> bool {
        Lang::primary_uses_guillemets(&self.primary())
    }

    /// [`Lang::uses_guillemets`] for a primary subtag (lower case).
    pub fn primary_uses_guillemets(primary: &str) -> bool {
        matches!(primary, "ru" | "kk" | "uk" | "be" | "ky" | "uz" | "tg")
    }

    /// The mark a quotation opens with: « (the languages of
    /// [`Lang::uses_guillemets`], and French), „ (German), else “.
    pub fn opening_quote(&self) -> &'static str {
        match self.primary().as_str() {
            p if Lang::primary_uses_guillemets(p) => "«",
            "fr" => "«",
            "de" => "„",
            _ => "“",
        }
    }
}

impl Default for Lang {
    fn default() -> Self {
        Lang::english()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_tags() {
        assert_eq!(Lang::parse("kk-Cyrl").unwrap().primary(), "kk");
        assert_eq!(Lang::parse("EN-gb").unwrap().primary(), "en");
        assert!(Lang::parse("english!").is_none());
        assert!(Lang::parse("").is_none());
        assert!(Lang::parse("e").is_none());
    }

    #[test]
    fn right_to_left_languages() {
        for tag in ["ckb", "ar", "he", "fa", "ur", "ar-EG", "CKB-IQ"] {
            assert!(Lang::parse(tag).unwrap().is_rtl(), "{tag}");
        }
        for tag in ["en", "ru", "kk", "kk-Arab-CN", "en-GB"] {
            assert!(!Lang::parse(tag).unwrap().is_rtl(), "{tag}");
        }
    }

    #[test]
    fn facts_agree_with_each_other() {
        for tag in ["ar", "fa", "ur", "ckb", "ug", "en", "he", "ru", "kk", "dv"] {
            let l = Lang::parse(tag).unwrap();
            // Every Arabic-script language is written right to left.
            assert!(!l.is_arabic_script() || l.is_rtl(), "{tag}");
        }
        assert!(!Lang::parse("he").unwrap().is_arabic_script());
        for tag in ["ru", "kk-Cyrl", "ky", "uz", "tg", "UK", "be"] {
            let l = Lang::parse(tag).unwrap();
            assert!(l.uses_guillemets(), "{tag}");
            assert_eq!(l.opening_quote(), "«", "{tag}");
        }
        assert_eq!(Lang::parse("fr").unwrap().opening_quote(), "«");
        assert!(!Lang::parse("fr").unwrap().uses_guillemets());
        assert_eq!(Lang::parse("de-AT").unwrap().opening_quote(), "„");
        assert_eq!(Lang::english().opening_quote(), "“");
    }
}
