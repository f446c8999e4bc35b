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
}
