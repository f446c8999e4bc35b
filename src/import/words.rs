//! The importer's vocabularies: plain-text files under `src/import/words/`,
//! one folder per language and one file per list, built into the binary
//! with `include_str!`.
//!
//! A file holds one entry a line; blank lines and lines starting with `#`
//! are skipped, and entries are compared as written (already lower-cased
//! where the rule lower-cases the text). A page's language is often
//! unknown, so [`list`] gives every language's file of a list, in the order
//! of [`FILES`] (English first) and, within a file, line by line: where a
//! rule takes the first entry that matches, the file keeps that order.
//!
//! Nothing is cached: the lists are small and read from the included text
//! each time.

/// (language, list, text), English first.
macro_rules! files {
    ($($lang:literal: [$($name:literal),* $(,)?]),* $(,)?) => {
        &[$($(($lang, $name, include_str!(concat!("words/", $lang, "/", $name, ".txt"))),)*)*]
    };
}

pub const FILES: &[(&str, &str, &str)] = files! {
    "en": [
        "interview-words",
        "answer-labels",
        "answer-openers",
        "articles",
        "author-bylines",
        "bio-headings",
        "bio-verbs",
        "bio-verbs-later",
        "comment-headings",
        "cookie-buttons",
        "cookie-words",
        "count-words",
        "dateline-prefixes",
        "first-person",
        "honorifics",
        "imperatives",
        "interview-with",
        "interviewer-bylines",
        "months",
        "more-from",
        "more-name-particles",
        "name-joins",
        "name-particles",
        "navigation",
        "newsletter-buttons",
        "newsletter-words",
        "not-bio-headings",
        "not-persons",
        "not-speakers",
        "notes-headings",
        "organisation-words",
        "photo-agencies",
        "photo-credit-phrases",
        "photo-credit-starts",
        "place-words",
        "question-labels",
        "rare-name-particles",
        "read-more",
        "read-more-starts",
        "reading-time-ends",
        "related-headings",
        "second-person",
        "share-keys",
        "share-words",
        "social-words",
        "specimens",
        "tag-starts",
        "titles",
        "weak-specimens",
        "weekdays",
    ],
    "de": [
        "interview-words",
        "answer-labels",
        "articles",
        "bio-headings",
        "colon-only-labels",
        "forms-of-address",
        "interview-with",
        "not-persons",
        "not-speakers",
        "organisation-words",
        "question-labels",
        "social-words",
    ],
    "es": [
        "interview-words",
        "answer-labels",
        "articles",
        "bio-headings",
        "colon-only-labels",
        "forms-of-address",
        "interview-with",
        "not-speakers",
        "organisation-words",
        "question-labels",
        "social-words",
    ],
    "ru": [
        "interview-words",
        "answer-labels",
        "answer-openers",
        "bio-headings",
        "bio-verbs",
        "bio-verbs-later",
        "first-person",
        "imperatives",
        "interview-with",
        "navigation",
        "not-persons",
        "not-speakers",
        "notes-headings",
        "question-labels",
        "second-person",
        "social-words",
        "titles",
    ],
    "kk": [
        "interview-words",
        "bio-headings",
        "first-person",
        "imperatives",
        "navigation",
        "notes-headings",
        "second-person",
    ],
    "fr": ["interview-words"],
    "it": ["interview-words"],
    "pl": ["interview-words"],
    "cs": ["interview-words"],
};

/// The entries of one file's text.
fn entries(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Every language's entries of a list, English first.
pub fn list(name: &str) -> impl Iterator<Item = &'static str> + '_ {
    debug_assert!(
        FILES.iter().any(|f| f.1 == name),
        "no word list named {name}"
    );
    FILES
        .iter()
        .filter(move |f| f.1 == name)
        .flat_map(|f| entries(f.2))
}

/// One language's entries of a list.
pub fn list_in<'a>(lang: &'a str, name: &'a str) -> impl Iterator<Item = &'static str> + 'a {
    debug_assert!(
        FILES.iter().any(|f| f.0 == lang && f.1 == name),
        "no word list {lang}/{name}"
    );
    FILES
        .iter()
        .filter(move |f| f.0 == lang && f.1 == name)
        .flat_map(|f| entries(f.2))
}

/// Whether `w` is an entry of the list (in any language).
pub fn has(name: &str, w: &str) -> bool {
    list(name).any(|e| e == w)
}

/// `s` without a leading entry of the list and the space after it (lists
/// of phrases "followed by a space": "by" reads "By Jane Roe"), trying the
/// entries in order.
pub fn strip_phrase<'s>(name: &str, s: &'s str) -> Option<&'s str> {
    list(name).find_map(|p| s.strip_prefix(p)?.strip_prefix(' '))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn files_are_clean() {
        let mut seen = HashSet::new();
        for &(lang, name, text) in FILES {
            assert!(seen.insert((lang, name)), "{lang}/{name} listed twice");
            let mut entries_seen = HashSet::new();
            for line in text.lines() {
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                assert_eq!(
                    line,
                    line.trim(),
                    "{lang}/{name}: whitespace around {line:?}"
                );
                assert!(entries_seen.insert(line), "{lang}/{name}: {line:?} twice");
            }
            assert!(!entries_seen.is_empty(), "{lang}/{name} is empty");
        }
        // Every file on disk is built in.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/import/words");
        for lang in std::fs::read_dir(&dir).unwrap() {
            let lang = lang.unwrap();
            let l = lang.file_name().into_string().unwrap();
            for f in std::fs::read_dir(lang.path()).unwrap() {
                let f = f.unwrap().file_name().into_string().unwrap();
                let name = f.strip_suffix(".txt").unwrap_or(&f);
                assert!(
                    seen.contains(&(l.as_str(), name)),
                    "{l}/{f} is not in words::FILES"
                );
            }
        }
    }

    /// Each list the importer's code asks for by name (with `list`,
    /// `list_in`, `has`, `strip_phrase`) exists, and each list is asked for.
    #[test]
    fn lists_asked_for_exist() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/import");
        let mut stack = vec![root];
        let mut asked = HashSet::new();
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let src = std::fs::read_to_string(&p).unwrap();
            for call in ["words::list(\"", "words::has(\"", "words::strip_phrase(\""] {
                for (at, _) in src.match_indices(call) {
                    let rest = &src[at + call.len()..];
                    let name = &rest[..rest.find('"').unwrap()];
                    assert!(
                        FILES.iter().any(|f| f.1 == name),
                        "{}: no word list {name:?}",
                        p.display()
                    );
                    asked.insert(name.to_string());
                }
            }
            for (at, _) in src.match_indices("words::list_in(\"") {
                let rest = &src[at + "words::list_in(\"".len()..];
                let lang = &rest[..rest.find('"').unwrap()];
                let rest = &rest[lang.len() + 1..];
                let rest = &rest[rest.find('"').unwrap() + 1..];
                let name = &rest[..rest.find('"').unwrap()];
                assert!(
                    FILES.iter().any(|f| f.0 == lang && f.1 == name),
                    "{}: no word list {lang}/{name}",
                    p.display()
                );
                asked.insert(name.to_string());
            }
        }
        for &(lang, name, _) in FILES {
            assert!(asked.contains(name), "{lang}/{name} is never used");
        }
    }
}
