//! The YAML front matter of a chapter, and `book.toml`.

use super::inline::{inline_md, render_inlines};
use super::{WIDTH, Writer, wrap};
use crate::model::{Chapter, Metadata};
use crate::source::quote::{toml_value, yaml_value};
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
    let _ = writeln!(s, "title = {}", toml_value(&meta.title));
    if let Some(st) = &meta.subtitle {
        let _ = writeln!(s, "subtitle = {}", toml_value(st));
    }
    if !meta.authors.is_empty() {
        let list: Vec<String> = meta.authors.iter().map(|a| toml_value(a)).collect();
        let _ = writeln!(s, "authors = [{}]", list.join(", "));
    }
    let _ = writeln!(s, "language = {}", toml_value(meta.language.as_str()));
    if let Some(d) = &meta.date {
        let _ = writeln!(s, "date = {}", toml_value(d));
    }
    if let Some(d) = &meta.description {
        let _ = writeln!(s, "description = {}", toml_value(d));
    }
    let _ = writeln!(s, "chapters = [{}]", toml_value(chapter_file));
    s.push_str("\n[epub]\ntoc-depth = 2   # list the questions in the table of contents\n");
    s
}

fn one_line_comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The front matter between its `---` lines: title, standfirst,
/// interviewees, interviewer, date and bio.
pub(super) fn front_matter(ch: &Chapter, w: &mut Writer) -> String {
    let mut s = String::new();
    s.push_str("---\n");
    let _ = writeln!(s, "title: {}", yaml_value(&inline_md(&ch.title, true)));
    if let Some(sf) = &ch.standfirst {
        s.push_str("standfirst: >\n");
        for line in wrap(&render_inlines(sf, true, &w.labels), WIDTH - 2).lines() {
            let _ = writeln!(s, "  {line}");
        }
    }
    match ch.interviewees.len() {
        0 => {}
        1 => {
            let _ = writeln!(s, "interviewee: {}", yaml_value(&ch.interviewees[0]));
        }
        _ => {
            s.push_str("interviewee:\n");
            for n in &ch.interviewees {
                let _ = writeln!(s, "  - {}", yaml_value(n));
            }
        }
    }
    if let Some(i) = &ch.interviewer {
        let _ = writeln!(s, "interviewer: {}", yaml_value(i));
    }
    if let Some(d) = &ch.date {
        let _ = writeln!(s, "date: {}", yaml_value(d));
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
