//! YAML front matter of a chapter (the block between `---` lines).
//!
//! Parsed with serde-saphyr: maintained (serde_yaml is not), panic-free by
//! design, and with budgets on events and alias expansion, which is what
//! keeps a "billion laughs" alias bomb from exhausting memory.

use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{FileId, Span};
use serde::Deserialize;
use serde_saphyr::Options;
use serde_saphyr::budget::Budget;
use serde_saphyr::options::AliasLimits;

/// The keys a chapter's front matter may have.
pub const KEYS: &[&str] = &[
    "title",
    "standfirst",
    "running-head",
    "interviewee",
    "interviewer",
    "date",
    "bio",
    "portrait",
    "portrait-alt",
    "lang",
];

/// Front matter values, each with the span of its value for diagnostics.
#[derive(Debug, Default)]
pub struct FrontMatter {
    pub title: Option<(String, Span)>,
    pub standfirst: Option<(String, Span)>,
    /// The short title for the PDF's running heads.
    pub running_head: Option<(String, Span)>,
    pub interviewees: Vec<String>,
    pub interviewer: Option<String>,
    pub date: Option<(String, Span)>,
    pub bio: Option<(String, Span)>,
    pub portrait: Option<(String, Span)>,
    pub portrait_alt: Option<String>,
    pub lang: Option<(String, Span)>,
}

type Sp<T> = serde_saphyr::Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    title: Option<Sp<String>>,
    standfirst: Option<Sp<String>>,
    running_head: Option<Sp<String>>,
    interviewee: Option<Sp<OneOrMany>>,
    interviewer: Option<Sp<String>>,
    date: Option<Sp<String>>,
    bio: Option<Sp<String>>,
    portrait: Option<Sp<String>>,
    portrait_alt: Option<String>,
    lang: Option<Sp<String>>,
}

/// One name or a list of names, each entry with its place (an untagged
/// enum would lose the places: serde buffers its content).
enum OneOrMany {
    One(String),
    Many(Vec<Sp<Option<String>>>),
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a name or a list of names")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<Sp<Name>>()? {
                    names.push(Sp {
                        value: n.value.0,
                        referenced: n.referenced,
                        defined: n.defined,
                    });
                }
                Ok(OneOrMany::Many(names))
            }
        }
        d.deserialize_any(V)
    }
}

/// One name of a list, or `None` for a list or a table in its place: read
/// to its end and refused by [`parse`] with its place (so that a nest of
/// aliases is read through, and meets the parser's replay limit).
struct Name(Option<String>);

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IgnoredAny};
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Name;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a name")
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Name, E> {
                Ok(Name(Some(v.to_string())))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Name, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Name(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Name, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Name(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// Where the front matter and the body lie in a chapter's text.
pub struct Split {
    /// Byte range of the YAML between the fences.
    pub yaml: std::ops::Range<usize>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// Finds the `---` fences. `None` when the file does not start with one.
/// Errors (an opening fence that is never closed) go to `diags`.
pub fn split(
    sources: &SourceMap,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<Result<Split, ()>> {
    let text = &sources.file(file).text;
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Some(Ok(Split {
                yaml: first_end..pos,
                body_start: end,
            }));
        }
        pos = end;
    }
    diags.push(
        Diagnostic::error("front-matter-unclosed", "the front matter is never closed")
            .at(sources, Span::new(file, 0..3))
            .help("end the front matter with a line of three dashes: ---"),
    );
    Some(Err(()))
}

/// Parses the YAML in `range` of `file`.
pub fn parse(
    sources: &SourceMap,
    file: FileId,
    range: std::ops::Range<usize>,
    diags: &mut Diagnostics,
) -> Option<FrontMatter> {
    let src = sources.file(file);
    let yaml = &src.text[range.clone()];
    // Positions from the YAML parser are relative to the YAML text; the
    // front matter starts on line 2 of the file.
    let (base_line, _) = src.line_col(range.start);
    let to_span = |loc: &serde_saphyr::Location| -> Span {
        let line = base_line + loc.line().saturating_sub(1) as u32;
        let start = src.offset(line, loc.column() as u32);
        let len = loc.span().byte_len().unwrap_or(0) as usize;
        Span::new(file, start..(start + len).min(src.text.len()))
    };

    if yaml.trim().is_empty() {
        return Some(FrontMatter::default());
    }

    let raw: Raw = match serde_saphyr::from_str_with_options(yaml, options()) {
        Ok(raw) => raw,
        Err(e) => {
            let span = e
                .location()
                .map_or(Span::new(file, range.start..range.start), |l| to_span(&l));
            diags.push(describe(&e, sources, span));
            return None;
        }
    };
    let sp = |v: Sp<String>| {
        let span = to_span(&v.referenced);
        (v.value, span)
    };
    // Names become `dc:contributor`s: one that would be empty once written
    // (nothing but spaces or control characters) is an error at its place.
    let name = |diags: &mut Diagnostics,
                key: &str,
                entry: bool,
                value: String,
                span: Span|
     -> Option<String> {
        if super::config::is_blank(&value) {
            let (what, help) = if entry {
                (
                    format!("an entry of `{key}`"),
                    format!("remove the empty entry from `{key}`, or give it a name"),
                )
            } else {
                (
                    format!("`{key}`"),
                    format!("give `{key}` a name, or remove the line"),
                )
            };
            diags.push(
                Diagnostic::error(
                    "empty-value",
                    format!("{what} {}", super::config::blank_reason(&value)),
                )
                .at(sources, span)
                .help(help),
            );
            return None;
        }
        Some(value.trim().to_string())
    };
    let mut interviewees = Vec::new();
    if let Some(v) = raw.interviewee {
        let span = to_span(&v.referenced);
        match v.value {
            OneOrMany::One(s) => interviewees.extend(name(diags, "interviewee", false, s, span)),
            OneOrMany::Many(list) => {
                for s in list {
                    let span = to_span(&s.referenced);
                    match s.value {
                        Some(v) => interviewees.extend(name(diags, "interviewee", true, v, span)),
                        None => diags.push(
                            Diagnostic::error(
                                "front-matter",
                                "an entry of `interviewee` is a list or a table, not a name",
                            )
                            .at(sources, span)
                            .help(
                                "write one name per entry: interviewee: [First Name, Second Name]",
                            ),
                        ),
                    }
                }
            }
        }
    }
    let interviewer = raw.interviewer.and_then(|v| {
        let span = to_span(&v.referenced);
        name(diags, "interviewer", false, v.value, span)
    });
    Some(FrontMatter {
        title: raw.title.map(sp),
        standfirst: raw.standfirst.map(sp),
        running_head: raw.running_head.map(sp),
        interviewees,
        interviewer,
        date: raw.date.map(sp),
        bio: raw.bio.map(sp),
        portrait: raw.portrait.map(sp),
        portrait_alt: raw.portrait_alt,
        lang: raw.lang.map(sp),
    })
}

/// Front matter is a handful of short fields: budgets far below the YAML
/// crate's defaults turn alias bombs and runaway nesting into a quick error.
fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_events = 20_000;
    budget.max_aliases = 100;
    budget.max_anchors = 100;
    budget.max_depth = 32;
    let mut alias_limits = AliasLimits::default();
    alias_limits.max_total_replayed_events = 10_000;
    alias_limits.max_replay_stack_depth = 8;
    let mut o = Options::default();
    o.budget = Some(budget);
    o.alias_limits = alias_limits;
    o.with_snippet = false;
    o
}

fn describe(e: &serde_saphyr::Error, sources: &SourceMap, span: Span) -> Diagnostic {
    use serde_saphyr::Error as E;
    match e {
        E::SerdeUnknownField { field, .. } => {
            let d = Diagnostic::error("unknown-key", format!("unknown front matter key `{field}`"))
                .at(sources, span);
            match super::config::closest(field, KEYS) {
                Some(k) => d.help(format!("did you mean `{k}`?")),
                None => d.help(format!(
                    "front matter keys are {}",
                    KEYS.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
        _ => {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("").trim();
            // The position is given by the diagnostic itself (in file
            // coordinates); the parser's own is relative to the YAML block.
            let msg = first.find(" at line ").map_or(first, |i| &first[..i]);
            let budget = msg.contains("budget") || msg.contains("alias") || msg.contains("limit");
            let d = Diagnostic::error(
                if budget { "yaml-limit" } else { "front-matter" },
                format!("the front matter is not valid: {msg}"),
            )
            .at(sources, span);
            if budget {
                d.help("front matter is a few short fields; remove the anchors and aliases (& and *) or the deep nesting")
            } else {
                d.help("front matter is YAML `key: value` lines between two `---` lines; put text with a colon in quotes")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> (Option<FrontMatter>, Diagnostics) {
        let mut sources = SourceMap::new();
        let id = sources.add("c.md", text.to_string());
        let mut diags = Diagnostics::new();
        let split = split(&sources, id, &mut diags).unwrap().ok().unwrap();
        let fm = parse(&sources, id, split.yaml, &mut diags);
        (fm, diags)
    }

    #[test]
    fn running_head_is_a_key() {
        let (fm, d) = parse_str(
            "---\ntitle: \"A long title: with a subtitle\"\nrunning-head: A long title\n---\n",
        );
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(fm.unwrap().running_head.unwrap().0, "A long title");
    }

    #[test]
    fn blank_names_are_errors_at_their_place() {
        let (fm, d) =
            parse_str("---\ninterviewee: [\"A\", \"\\x01\", ' ']\ninterviewer: \"\\x7f\"\n---\n");
        assert_eq!(fm.unwrap().interviewees, ["A"]);
        let got: Vec<_> = d.iter().map(|e| (e.code, e.line, e.column)).collect();
        assert_eq!(
            got,
            [
                ("empty-value", 2, 20),
                ("empty-value", 2, 28),
                ("empty-value", 3, 14)
            ]
        );
        assert!(d.iter().all(|e| e.help.is_some()));
    }

    #[test]
    fn names_are_text_not_lists() {
        let (_, d) = parse_str("---\ninterviewee:\n  - A\n  - [B, C]\n---\n");
        let e = d.iter().next().unwrap();
        assert_eq!((e.code, e.line), ("front-matter", 4));
        assert!(e.message.contains("not a name"), "{}", e.message);
        let (fm, d) = parse_str("---\ninterviewee: '  Jane  '\n---\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.unwrap().interviewees, ["Jane"]);
    }
}
