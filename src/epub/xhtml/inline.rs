//! Inline content: emphasis, links, note references, foreign-language
//! spans, and the page markers that fall inside a run of text.

use super::context::{Cx, Mode};
use super::doc::{Doc, note_id, ref_id};
use crate::epub::fonts::Style;
use crate::epub::pages::{Mark, snap};
use crate::model::{Inline, plain_text};

pub(super) fn inlines(d: &mut Doc, is: &[Inline], cx: &mut Cx, mode: Mode) {
    for i in is {
        inline(d, i, cx, mode);
    }
}

/// Inlines with the page markers `ms` (offsets into their plain text) set
/// where they fall, moved out of words and links (see [`snap`]).
pub(super) fn marked_inlines(d: &mut Doc, is: &[Inline], cx: &mut Cx, mode: Mode, ms: Vec<Mark>) {
    if ms.is_empty() {
        inlines(d, is, cx, mode);
        return;
    }
    let text = plain_text(is);
    let mut links = Vec::new();
    link_ranges(is, &mut 0, &mut links);
    let at = ms
        .iter()
        .map(|m| (snap(&text, &links, m.offset), m.number))
        .collect();
    start_marks(cx, at);
    inlines(d, is, cx, mode);
    end_marks(d, cx);
}

/// Plain-text byte ranges of the links in `is` (as [`plain_text`] counts).
pub(super) fn link_ranges(is: &[Inline], pos: &mut usize, out: &mut Vec<(usize, usize)>) {
    for i in is {
        match i {
            Inline::Text(t) | Inline::Code(t) => *pos += t.len(),
            Inline::LineBreak => *pos += 1,
            Inline::NoteRef(_) => {}
            Inline::Link { content, .. } => {
                let start = *pos;
                link_ranges(content, pos, out);
                out.push((start, *pos));
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Foreign { content: c, .. } => link_ranges(c, pos, out),
        }
    }
}

pub(super) fn start_marks(cx: &mut Cx, mut at: Vec<(usize, u32)>) {
    at.sort_unstable();
    cx.inline = at;
    cx.next = 0;
    cx.pos = 0;
}

/// Markers not written yet (past the end of the text): at its end.
pub(super) fn end_marks(d: &mut Doc, cx: &mut Cx) {
    for &(_, n) in &cx.inline[cx.next.min(cx.inline.len())..] {
        d.page_break(n, false);
    }
    cx.inline.clear();
    cx.next = 0;
    cx.pos = 0;
}

/// Whether markers of the current inline sequence are still to be written.
pub(super) fn marking(cx: &Cx) -> bool {
    cx.next < cx.inline.len()
}

/// Writes the markers at or before the plain-text offset reached.
pub(super) fn marks_here(d: &mut Doc, cx: &mut Cx) {
    while let Some(&(off, n)) = cx.inline.get(cx.next) {
        if off > cx.pos {
            break;
        }
        d.page_break(n, false);
        cx.next += 1;
    }
}

/// Text with the markers that fall inside it.
pub(super) fn marked_text(d: &mut Doc, t: &str, cx: &mut Cx) {
    if !marking(cx) {
        d.text(t);
        return;
    }
    let mut done = 0;
    while let Some(&(off, n)) = cx.inline.get(cx.next) {
        if off >= cx.pos + t.len() {
            break;
        }
        let mut at = off.saturating_sub(cx.pos).max(done);
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        let at = at.max(done);
        if at > done {
            d.text(&t[done..at]);
            done = at;
        }
        d.page_break(n, false);
        cx.next += 1;
    }
    if done < t.len() {
        d.text(&t[done..]);
    }
    cx.pos += t.len();
}

pub(super) fn inline(d: &mut Doc, i: &Inline, cx: &mut Cx, mode: Mode) {
    match i {
        Inline::Text(t) => marked_text(d, t, cx),
        Inline::LineBreak => {
            if marking(cx) {
                marks_here(d, cx);
                cx.pos += 1;
            }
            d.empty("br", &[]);
        }
        Inline::Emphasis(c) => {
            let italic = !d.style.italic;
            d.start("em", &[]);
            d.styled(d.style.italic(italic), |d| inlines(d, c, cx, mode));
            d.end("em");
        }
        Inline::Strong(c) => {
            d.start("strong", &[]);
            d.styled(d.style.bold(), |d| inlines(d, c, cx, mode));
            d.end("strong");
        }
        Inline::Superscript(c) => {
            d.start("sup", &[]);
            inlines(d, c, cx, mode);
            d.end("sup");
        }
        Inline::Subscript(c) => {
            d.start("sub", &[]);
            inlines(d, c, cx, mode);
            d.end("sub");
        }
        Inline::Code(t) => {
            d.start("code", &[]);
            let style = d.style.mono();
            d.styled(style, |d| marked_text(d, t, cx));
            d.end("code");
        }
        Inline::Link { url, content } => {
            if mode == Mode::Presentational {
                inlines(d, content, cx, mode);
                return;
            }
            // A marker never goes inside a link (it would join the link's
            // name): those in it were moved to its start, written here.
            let marked = marking(cx);
            if marked {
                marks_here(d, cx);
            }
            let start = cx.pos;
            let (saved, next) = (std::mem::take(&mut cx.inline), cx.next);
            d.start("a", &[("href", url)]);
            match content.as_slice() {
                [Inline::Text(t)] if looks_like_url(t) => url_text(d, t),
                _ => inlines(d, content, cx, mode),
            }
            d.end("a");
            cx.inline = saved;
            cx.next = next;
            if marked {
                let mut len = 0;
                link_ranges(std::slice::from_ref(i), &mut len, &mut Vec::new());
                cx.pos = start + len;
            }
        }
        Inline::NoteRef(n) => {
            if mode == Mode::Presentational {
                return;
            }
            let n = *n;
            let num = n.to_string();
            if n == 0 || n > cx.notes {
                // The reader never lets this through; keep the number visible.
                d.start("sup", &[]);
                d.text(&num);
                d.end("sup");
                return;
            }
            let seen = &mut cx.refs_seen[n as usize];
            *seen += 1;
            let id = ref_id(n, *seen);
            d.reserve(&id);
            let href = format!("#{}", note_id(n));
            let label = format!("{} {num}", cx.labels.note);
            d.start("sup", &[("class", "noteref")]);
            d.start(
                "a",
                &[
                    ("id", &id),
                    ("href", &href),
                    ("epub:type", "noteref"),
                    ("role", "doc-noteref"),
                    ("aria-label", &label),
                ],
            );
            d.text(&num);
            d.end("a");
            d.end("sup");
        }
        Inline::Foreign { lang, content } => {
            let tag = lang.as_str();
            if lang.is_rtl() {
                d.start("span", &[("lang", tag), ("xml:lang", tag), ("dir", "rtl")]);
            } else {
                d.start("span", &[("lang", tag), ("xml:lang", tag)]);
            }
            let style = if lang.is_arabic_script() {
                Style {
                    role: crate::fonts::Role::Arabic,
                    ..d.style
                }
            } else {
                d.style
            };
            d.styled(style, |d| inlines(d, content, cx, mode));
            d.end("span");
        }
    }
}

pub(super) fn looks_like_url(t: &str) -> bool {
    t.len() > 24 && (t.contains("://") || t.starts_with("www."))
}

/// A URL shown as text, with break opportunities (`<wbr/>`) after slashes
/// and before other punctuation, so that it wraps in every reading system
/// (the stylesheet's `overflow-wrap` is the fallback).
pub(super) fn url_text(d: &mut Doc, t: &str) {
    let mut start = 0;
    let bytes = t.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let before = matches!(b, b'.' | b'-' | b'_' | b'?' | b'&' | b'=' | b'#' | b'%');
        let after_slash = b == b'/' && bytes.get(i + 1) != Some(&b'/');
        if before && i > start {
            d.text(&t[start..i]);
            d.empty("wbr", &[]);
            start = i;
        }
        if after_slash {
            d.text(&t[start..=i]);
            d.empty("wbr", &[]);
            start = i + 1;
        }
    }
    if start < t.len() {
        d.text(&t[start..]);
    }
}
