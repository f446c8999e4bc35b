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
    interviewee: Option<OneOrMany>,
    interviewer: Option<String>,
    date: Option<Sp<String>>,
    bio: Option<Sp<String>>,
    portrait: Option<Sp<String>>,
    portrait_alt: Option<String>,
    lang: Option<Sp<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
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
    Some(FrontMatter {
        title: raw.title.map(sp),
        standfirst: raw.standfirst.map(sp),
        interviewees: match raw.interviewee {
            None => Vec::new(),
            Some(OneOrMany::One(s)) => vec![s],
            Some(OneOrMany::Many(v)) => v,
        }
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect(),
        interviewer: raw.interviewer.filter(|s| !s.trim().is_empty()),
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
