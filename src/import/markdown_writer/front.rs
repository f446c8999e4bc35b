//! The YAML front matter of a chapter, and `book.toml`.

use super::inline::{inline_md, render_inlines};
use super::{WIDTH, Writer, wrap};
use crate::model::{Chapter, Metadata};
use std::fmt::Write;

/// `book.toml` for a one-chapter book.
pub fn book_toml(meta: &Metadata, chapter_file: &str, input_name: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Made by `qalam import` from {}.",
        one_line_comment(input_name)
    );
    s.push_str("# Check the import report, then run `qalam check` on this folder.\n\n");
    s.push_str("[book]\n");
    let _ = writeln!(s, "title = {}", toml_string(&meta.title));
    if let Some(st) = &meta.subtitle {
        let _ = writeln!(s, "subtitle = {}", toml_string(st));
    }
    if !meta.authors.is_empty() {
        let list: Vec<String> = meta.authors.iter().map(|a| toml_string(a)).collect();
        let _ = writeln!(s, "authors = [{}]", list.join(", "));
    }
    let _ = writeln!(s, "language = {}", toml_string(meta.language.as_str()));
    if let Some(d) = &meta.date {
        let _ = writeln!(s, "date = {}", toml_string(d));
    }
    if let Some(d) = &meta.description {
        let _ = writeln!(s, "description = {}", toml_string(d));
    }
    let _ = writeln!(s, "chapters = [{}]", toml_string(chapter_file));
    s.push_str("\n[epub]\ntoc-depth = 2   # list the questions in the table of contents\n");
    s
}

fn one_line_comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) fn yaml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() || c == '\u{feff}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML scalar: plain when it reads back as the same string, else
/// double-quoted.
pub(super) fn yaml_scalar(s: &str) -> String {
    let first = s.chars().next();
    let plain = first.is_some_and(|c| c.is_alphabetic())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.ends_with(' ')
        && !s.chars().any(|c| {
            c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\t')
        })
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain { s.to_string() } else { yaml_string(s) }
}

/// The front matter between its `---` lines: title, standfirst,
/// interviewees, interviewer, date and bio.
pub(super) fn front_matter(ch: &Chapter, w: &mut Writer) -> String {
    let mut s = String::new();
    s.push_str("---\n");
    let _ = writeln!(s, "title: {}", yaml_scalar(&inline_md(&ch.title, true)));
    if let Some(sf) = &ch.standfirst {
        s.push_str("standfirst: >\n");
        for line in wrap(&render_inlines(sf, true, &w.labels), WIDTH - 2).lines() {
            let _ = writeln!(s, "  {line}");
        }
    }
    match ch.interviewees.len() {
        0 => {}
        1 => {
            let _ = writeln!(s, "interviewee: {}", yaml_scalar(&ch.interviewees[0]));
        }
        _ => {
            s.push_str("interviewee:\n");
            for n in &ch.interviewees {
                let _ = writeln!(s, "  - {}", yaml_scalar(n));
            }
        }
    }
    if let Some(i) = &ch.interviewer {
        let _ = writeln!(s, "interviewer: {}", yaml_scalar(i));
    }
    if let Some(d) = &ch.date {
        let _ = writeln!(s, "date: {}", yaml_string(d));
    }
    if let Some(bio) = &ch.bio {
        s.push_str("bio: |\n");
        let text = w.blocks_in(&bio.content, 2);
        for line in text.trim_end().lines() {
            if line.is_empty() {
                s.push('\n');
            } else {
                let _ = writeln!(s, "  {line}");
            }
        }
    }
    s.push_str("---\n");
    s
}
