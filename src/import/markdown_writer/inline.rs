//! Inline text as Markdown: emphasis, links, code, note references, and
//! text escaped where Markdown would read it as markup.

use super::{HARD, SOFT, longest_run};
use crate::model::Inline;
use std::collections::HashMap;
use std::fmt::Write;

/// Inline Markdown on one line (titles).
pub(super) fn inline_md(v: &[Inline], block_start: bool) -> String {
    render_inlines(v, block_start, &HashMap::new()).replace([SOFT, HARD], " ")
}

/// A heading's text: one line, with `#`, `{` and `}` of its text escaped.
pub(super) fn heading_md(v: &[Inline], labels: &HashMap<u32, String>) -> String {
    render(v, false, true, labels).replace([SOFT, HARD], " ")
}

/// Renders inlines as Markdown with `SOFT` for breakable spaces and
/// `HARD` for hard breaks. `block_start`: the text begins a block, so a
/// first character that would start one (`#`, `>`, `-`, `1.`) is escaped.
pub fn render_inlines(v: &[Inline], block_start: bool, labels: &HashMap<u32, String>) -> String {
    render(v, block_start, false, labels)
}

fn render(v: &[Inline], block_start: bool, heading: bool, labels: &HashMap<u32, String>) -> String {
    let mut r = Render {
        out: String::new(),
        labels,
        line_start: block_start,
        in_delims: false,
        heading,
    };
    r.run(v, None);
    r.out
}

struct Render<'a> {
    out: String,
    labels: &'a HashMap<u32, String>,
    /// The next text begins a line (a block, or the line after a hard break).
    line_start: bool,
    /// Inside `*…*` or `**…**`: emphasis within is written as HTML, since
    /// nested delimiters are read in surprising ways.
    in_delims: bool,
    /// In a heading, where a closing `#` sequence or a `{#id}` in the text
    /// would be read as syntax. Code spans and link targets are left alone:
    /// a backslash there is a character, not an escape.
    heading: bool,
}

impl Render<'_> {
    /// `after`: the first character of what follows this run, if known.
    fn run(&mut self, v: &[Inline], after: Option<char>) {
        for (k, i) in v.iter().enumerate() {
            let next = v.get(k + 1).map(first_char).unwrap_or(after);
            self.inline(i, next);
        }
    }

    fn prev(&self) -> Option<char> {
        self.out
            .chars()
            .next_back()
            .map(|c| if c == SOFT || c == HARD { ' ' } else { c })
    }

    fn inline(&mut self, i: &Inline, next: Option<char>) {
        match i {
            Inline::Text(t) => {
                let start = std::mem::take(&mut self.line_start);
                let mut e = escape_text(t, start, false, self.heading);
                // After a link or note reference, "(" or ":" would extend it.
                if self.out.ends_with(']') && (e.starts_with('(') || e.starts_with(':')) {
                    e.insert(0, '\\');
                }
                // "!" before a link or note reference would make an image.
                if e.ends_with('!') && next == Some('[') && !e.ends_with("\\!") {
                    e.pop();
                    e.push_str("\\!");
                }
                self.out.push_str(&e);
            }
            Inline::LineBreak => {
                self.out.push(HARD);
                self.line_start = true;
            }
            Inline::Code(t) => {
                self.line_start = false;
                // Spaces inside code are plain spaces, never break points.
                let n = longest_run(t, '`') + 1;
                let fence = "`".repeat(n);
                let pad = t.starts_with('`')
                    || t.ends_with('`')
                    || (t.starts_with(' ') && t.ends_with(' ') && !t.trim().is_empty());
                if pad {
                    let _ = write!(self.out, "{fence} {t} {fence}");
                } else {
                    let _ = write!(self.out, "{fence}{t}{fence}");
                }
            }
            Inline::Emphasis(c) | Inline::Strong(c) => {
                let (delim, tag) = if matches!(i, Inline::Emphasis(_)) {
                    ("*", "em")
                } else {
                    ("**", "strong")
                };
                let prev = self.prev();
                let first = c.first().map(first_char).unwrap_or(None);
                let last = last_char(c);
                let opens = first.is_some_and(|f| {
                    f.is_alphanumeric()
                        || (is_md_punct(f)
                            && f != '*'
                            && prev
                                .is_none_or(|p| p.is_whitespace() || (is_md_punct(p) && p != '*')))
                        || (!f.is_whitespace() && !is_md_punct(f))
                });
                let closes = last.is_some_and(|l| {
                    l.is_alphanumeric()
                        || (is_md_punct(l)
                            && l != '*'
                            && next
                                .is_none_or(|n| n.is_whitespace() || (is_md_punct(n) && n != '*')))
                        || (!l.is_whitespace() && !is_md_punct(l))
                });
                let clash = prev == Some('*')
                    || next == Some('*')
                    || first == Some('*')
                    || last == Some('*');
                // Nested emphasis of the same kind cannot be written with *.
                let nested_same = c
                    .iter()
                    .any(|x| std::mem::discriminant(x) == std::mem::discriminant(i));
                let use_md = opens && closes && !clash && !nested_same && !self.in_delims;
                self.line_start = false;
                if use_md {
                    self.out.push_str(delim);
                    self.in_delims = true;
                    self.run(c, Some('*'));
                    self.in_delims = false;
                    self.out.push_str(delim);
                } else {
                    let _ = write!(self.out, "<{tag}>");
                    self.run(c, Some('<'));
                    let _ = write!(self.out, "</{tag}>");
                }
            }
            Inline::Superscript(c) | Inline::Subscript(c) => {
                let tag = if matches!(i, Inline::Superscript(_)) {
                    "sup"
                } else {
                    "sub"
                };
                self.line_start = false;
                let _ = write!(self.out, "<{tag}>");
                self.run(c, Some('<'));
                let _ = write!(self.out, "</{tag}>");
            }
            Inline::Link { url, content } => {
                self.line_start = false;
                let autolink = matches!(content.as_slice(), [Inline::Text(t)] if t == url)
                    && (url.starts_with("https://") || url.starts_with("http://"))
                    && !url.contains(['<', '>', ' ', '\\']);
                if autolink {
                    let _ = write!(self.out, "<{url}>");
                } else {
                    // "[^1][text](url)" would read as a reference link.
                    if self.out.ends_with(']') && !self.out.ends_with("\\]") {
                        self.out.push_str("<!-- -->");
                    }
                    self.out.push('[');
                    self.run(content, Some(']'));
                    self.out.push(']');
                    if url.contains(['(', ')', ' ']) {
                        let _ = write!(self.out, "(<{url}>)");
                    } else {
                        let _ = write!(self.out, "({url})");
                    }
                }
            }
            Inline::NoteRef(n) => {
                self.line_start = false;
                let label = self.labels.get(n).cloned().unwrap_or_else(|| n.to_string());
                let _ = write!(self.out, "[^{label}]");
            }
            Inline::Foreign { lang, content } => {
                self.line_start = false;
                let _ = write!(self.out, "<span lang=\"{}\">", lang.as_str());
                self.run(content, Some('<'));
                self.out.push_str("</span>");
            }
        }
    }
}

fn is_md_punct(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace() && !c.is_ascii())
}

/// The first character an inline renders as.
fn first_char(i: &Inline) -> Option<char> {
    match i {
        Inline::Text(t) => {
            let c = t.chars().next()?;
            Some(if needs_escape(c) { '\\' } else { c })
        }
        Inline::LineBreak => Some('\\'),
        Inline::Code(_) => Some('`'),
        Inline::Emphasis(_) | Inline::Strong(_) => Some('*'),
        Inline::Superscript(_) | Inline::Subscript(_) | Inline::Foreign { .. } => Some('<'),
        Inline::Link { .. } | Inline::NoteRef(_) => Some('['),
    }
}

fn last_char(v: &[Inline]) -> Option<char> {
    match v.last()? {
        Inline::Text(t) => t.chars().next_back(),
        Inline::LineBreak => Some(' '),
        Inline::Code(_) => Some('`'),
        Inline::Emphasis(_) | Inline::Strong(_) => Some('*'),
        Inline::Superscript(_) | Inline::Subscript(_) | Inline::Foreign { .. } => Some('>'),
        Inline::Link { .. } => Some(')'),
        Inline::NoteRef(_) => Some(']'),
    }
}

fn needs_escape(c: char) -> bool {
    matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '^' | '~')
}

/// Escapes text for Markdown. Spaces become `SOFT` break points (unless
/// `keep_spaces`). `line_start`: escape what would begin a block.
/// `heading`: escape `#`, `{` and `}` as well.
pub fn escape_text(t: &str, line_start: bool, keep_spaces: bool, heading: bool) -> String {
    let mut out = String::with_capacity(t.len() + 8);
    let chars: Vec<char> = t.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        let at_start = line_start && k == 0;
        match c {
            c if needs_escape(c) => {
                out.push('\\');
                out.push(c);
            }
            '&' if entity_like(&chars[k + 1..]) => out.push_str("\\&"),
            // Hyphens in a run would become a dash.
            '-' if (k > 0 && chars[k - 1] == '-') || chars.get(k + 1) == Some(&'-') => {
                out.push_str("\\-")
            }
            '#' | '{' | '}' if heading => {
                out.push('\\');
                out.push(c);
            }
            '#' | '>' | '-' | '+' | '=' | '|' | ':' if at_start => {
                out.push('\\');
                out.push(c);
            }
            ' ' if !keep_spaces => out.push(SOFT),
            // Straight quotes left by the importer stay straight (the
            // reader's smart quotes would guess); apostrophes in words are safe.
            '"' => out.push_str("\\\""),
            '\'' if !(k > 0
                && chars[k - 1].is_alphanumeric()
                && chars.get(k + 1).is_some_and(|c| c.is_alphanumeric())) =>
            {
                out.push_str("\\'")
            }
            c => out.push(c),
        }
    }
    // "1. " or "1) " at the start of a block is a list.
    if line_start {
        let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && matches!(chars.get(digits), Some('.') | Some(')')) {
            let mut fixed = String::new();
            fixed.extend(&chars[..digits]);
            fixed.push('\\');
            fixed.push_str(&out[digits..]);
            return fixed;
        }
    }
    out
}

fn entity_like(rest: &[char]) -> bool {
    let mut k = 0;
    if rest.first() == Some(&'#') {
        k = 1;
    }
    let name = rest[k..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    name > 0 && rest.get(k + name) == Some(&';')
}
