//! The imported chapter put in the form the Markdown reader gives back, so
//! that the written project reads back as the same model: text merged,
//! white space moved out of emphasis and links, nesting bounded, quotes
//! curled as the typography pass would.

use super::textutil;
use crate::model::{Block, Book, Chapter, Inline, Metadata, Settings, Span, plain_text};
use std::path::PathBuf;

/// Puts inline content in the form the Markdown reader gives back: text
/// merged, white space at the edges of emphasis and links moved outside,
/// empty wrappers and unusable links removed, no nested links.
pub(super) fn canonical_chapter(ch: &mut Chapter) {
    canonical_inlines(&mut ch.title);
    if let Some(s) = &mut ch.standfirst {
        canonical_inlines(s);
    }
    canonical_blocks(&mut ch.intro);
    for e in &mut ch.exchanges {
        canonical_inlines(&mut e.question.content);
        canonical_blocks(&mut e.answer);
    }
    for n in &mut ch.notes {
        canonical_blocks(&mut n.content);
    }
    if let Some(b) = &mut ch.bio {
        canonical_blocks(&mut b.content);
    }
    // Lists and quotes nested deeper than any book needs are flattened
    // (the reader refuses more than 64 levels).
    limit_nesting(&mut ch.intro, 0);
    for e in &mut ch.exchanges {
        limit_nesting(&mut e.answer, 0);
    }
    for n in &mut ch.notes {
        limit_nesting(&mut n.content, 0);
    }
    if let Some(b) = &mut ch.bio {
        limit_nesting(&mut b.content, 0);
    }
    // Empty paragraphs left by the clean-up go.
    fn prune(blocks: &mut Vec<Block>) {
        blocks.retain_mut(|b| match b {
            Block::Paragraph { content, .. } => !content.is_empty(),
            Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                prune(content);
                !content.is_empty()
            }
            Block::List { items, .. } => {
                for i in items.iter_mut() {
                    prune(&mut i.blocks);
                }
                items.retain(|i| !i.blocks.is_empty());
                !items.is_empty()
            }
            _ => true,
        });
    }
    prune(&mut ch.intro);
    for e in &mut ch.exchanges {
        prune(&mut e.answer);
    }
    for n in &mut ch.notes {
        prune(&mut n.content);
    }
    drop_empty_notes(ch);
    if let Some(b) = &mut ch.bio {
        prune(&mut b.content);
        if b.content.is_empty() {
            ch.bio = None;
        }
    }
}

/// Notes left without content are removed with their references, and the
/// rest renumbered 1..n.
fn drop_empty_notes(ch: &mut Chapter) {
    if ch.notes.iter().all(|n| !n.content.is_empty()) {
        return;
    }
    ch.notes.retain(|n| !n.content.is_empty());
    let map: std::collections::HashMap<u32, u32> = ch
        .notes
        .iter()
        .enumerate()
        .map(|(k, n)| (n.number, k as u32 + 1))
        .collect();
    for (k, n) in ch.notes.iter_mut().enumerate() {
        n.number = k as u32 + 1;
    }
    let mut f = |v: &mut Vec<Inline>| {
        v.retain_mut(|i| match i {
            Inline::NoteRef(n) => match map.get(n) {
                Some(&m) => {
                    *n = m;
                    true
                }
                None => false,
            },
            _ => true,
        })
    };
    crate::model::visit_inlines_mut(&mut ch.intro, &mut f);
    for e in &mut ch.exchanges {
        crate::model::visit_inlines_mut(&mut e.answer, &mut f);
    }
}

/// Deepest nesting of lists and quotes kept as such.
const MAX_IMPORT_NESTING: usize = 12;

fn limit_nesting(blocks: &mut [Block], depth: usize) {
    for b in blocks.iter_mut() {
        let span = b.span();
        match b {
            Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                if depth >= MAX_IMPORT_NESTING {
                    *b = flat_paragraph(content, span);
                } else {
                    limit_nesting(content, depth + 1);
                }
            }
            Block::List { items, .. } => {
                if depth >= MAX_IMPORT_NESTING {
                    let all: Vec<Block> = items.iter().flat_map(|i| i.blocks.clone()).collect();
                    *b = flat_paragraph(&all, span);
                } else {
                    for i in items.iter_mut() {
                        limit_nesting(&mut i.blocks, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

fn flat_paragraph(blocks: &[Block], span: Span) -> Block {
    let t = textutil::clean(&crate::model::plain_text_blocks(blocks));
    Block::Paragraph {
        content: if t.is_empty() {
            Vec::new()
        } else {
            vec![Inline::Text(t)]
        },
        span,
    }
}

pub(super) fn canonical_blocks(blocks: &mut [Block]) {
    for b in blocks.iter_mut() {
        match b {
            Block::Paragraph { content, .. } => canonical_inlines(content),
            Block::Heading { content, .. } => {
                // A heading is one line.
                crate::model::visit_inline_vec(content, &mut |x: &mut Vec<Inline>| {
                    for i in x.iter_mut() {
                        if matches!(i, Inline::LineBreak) {
                            *i = Inline::Text(" ".into());
                        }
                    }
                });
                canonical_inlines(content)
            }
            Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                canonical_blocks(content)
            }
            Block::List { items, .. } => {
                for i in items {
                    canonical_blocks(&mut i.blocks);
                }
            }
            Block::Figure { caption, .. } => {
                let t = textutil::clean(&plain_text(caption));
                *caption = if t.is_empty() {
                    Vec::new()
                } else {
                    vec![Inline::Text(t)]
                };
            }
            Block::Table { head, rows, .. } => {
                for c in head.iter_mut().chain(rows.iter_mut().flatten()) {
                    canonical_inlines(c);
                }
            }
            Block::SectionBreak { .. } | Block::CodeBlock { .. } => {}
        }
    }
}

/// See `canonical_chapter`.
pub fn canonical_inlines(v: &mut Vec<Inline>) {
    canon(v, false);
    crate::import::html::normalize(v);
    crate::source::markdown::trim_inlines(v);
}

/// Straight quotes become the curly ones the typography pass would make of
/// them, so that the Markdown says what the book will print (and the
/// Markdown reader's own smart quotes never disagree with the pass). Only
/// quote characters change; a text the pass would change in length is
/// left as it is (the writer then escapes its straight quotes).
pub(super) fn curl_quotes(ch: &mut Chapter) {
    let mut book = Book {
        meta: Metadata {
            language: ch.lang.clone(),
            ..Metadata::default()
        },
        settings: Settings::default(),
        cover: None,
        chapters: vec![ch.clone()],
        root: PathBuf::new(),
    };
    crate::typography::apply(&mut book);
    let typed = book.chapters.remove(0);
    zip_inlines(&mut ch.title, &typed.title);
    if let (Some(a), Some(b)) = (&mut ch.standfirst, &typed.standfirst) {
        zip_inlines(a, b);
    }
    zip_blocks(&mut ch.intro, &typed.intro);
    for (a, b) in ch.exchanges.iter_mut().zip(&typed.exchanges) {
        zip_inlines(&mut a.question.content, &b.question.content);
        zip_blocks(&mut a.answer, &b.answer);
    }
    for (a, b) in ch.notes.iter_mut().zip(&typed.notes) {
        zip_blocks(&mut a.content, &b.content);
    }
    if let (Some(a), Some(b)) = (&mut ch.bio, &typed.bio) {
        zip_blocks(&mut a.content, &b.content);
    }
}

fn zip_blocks(a: &mut [Block], b: &[Block]) {
    for (x, y) in a.iter_mut().zip(b) {
        match (x, y) {
            (Block::Paragraph { content: c, .. }, Block::Paragraph { content: d, .. })
            | (Block::Heading { content: c, .. }, Block::Heading { content: d, .. }) => {
                zip_inlines(c, d)
            }
            (Block::BlockQuote { content: c, .. }, Block::BlockQuote { content: d, .. })
            | (Block::PullQuote { content: c, .. }, Block::PullQuote { content: d, .. }) => {
                zip_blocks(c, d)
            }
            (Block::List { items: c, .. }, Block::List { items: d, .. }) => {
                for (i, j) in c.iter_mut().zip(d) {
                    zip_blocks(&mut i.blocks, &j.blocks);
                }
            }
            (Block::Figure { caption: c, .. }, Block::Figure { caption: d, .. }) => {
                zip_inlines(c, d)
            }
            (
                Block::Table {
                    head: h1, rows: r1, ..
                },
                Block::Table {
                    head: h2, rows: r2, ..
                },
            ) => {
                for (c, d) in h1
                    .iter_mut()
                    .chain(r1.iter_mut().flatten())
                    .zip(h2.iter().chain(r2.iter().flatten()))
                {
                    zip_inlines(c, d);
                }
            }
            _ => {}
        }
    }
}

fn zip_inlines(a: &mut [Inline], b: &[Inline]) {
    for (x, y) in a.iter_mut().zip(b) {
        match (x, y) {
            (Inline::Text(t), Inline::Text(u))
                if t.contains(['"', '\'']) && t.chars().count() == u.chars().count() =>
            {
                *t = t
                    .chars()
                    .zip(u.chars())
                    .map(|(o, n)| if o == '"' || o == '\'' { n } else { o })
                    .collect();
            }
            (Inline::Emphasis(c), Inline::Emphasis(d))
            | (Inline::Strong(c), Inline::Strong(d))
            | (Inline::Superscript(c), Inline::Superscript(d))
            | (Inline::Subscript(c), Inline::Subscript(d))
            | (Inline::Link { content: c, .. }, Inline::Link { content: d, .. })
            | (Inline::Foreign { content: c, .. }, Inline::Foreign { content: d, .. }) => {
                zip_inlines(c, d)
            }
            _ => {}
        }
    }
}

/// `--` and `---` are an en and an em dash, as in the source format.
fn dashes(t: &str) -> std::borrow::Cow<'_, str> {
    // "..." is an ellipsis, as the typography pass would make it.
    if t.contains("...") {
        let e = t.replace("...", "…");
        return std::borrow::Cow::Owned(dashes(&e).into_owned());
    }
    if !t.contains("--") {
        return std::borrow::Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    let mut run = 0usize;
    let flush = |out: &mut String, run: usize| match run {
        0 => {}
        2 => out.push('–'),
        3 => out.push('—'),
        n => out.extend(std::iter::repeat_n('-', n)),
    };
    for c in t.chars() {
        if c == '-' {
            run += 1;
        } else {
            flush(&mut out, run);
            run = 0;
            out.push(c);
        }
    }
    flush(&mut out, run);
    std::borrow::Cow::Owned(out)
}

fn canon(v: &mut Vec<Inline>, in_link: bool) {
    let old = std::mem::take(v);
    for x in old {
        match x {
            Inline::Text(t) => push_text(v, &dashes(&t)),
            Inline::Emphasis(mut c) => {
                canon(&mut c, in_link);
                if !c.is_empty() {
                    wrap_edges(v, c, Inline::Emphasis);
                }
            }
            Inline::Strong(mut c) => {
                canon(&mut c, in_link);
                if !c.is_empty() {
                    wrap_edges(v, c, Inline::Strong);
                }
            }
            Inline::Superscript(mut c) => {
                canon(&mut c, in_link);
                if !c.is_empty() {
                    wrap_edges(v, c, Inline::Superscript);
                }
            }
            Inline::Subscript(mut c) => {
                canon(&mut c, in_link);
                if !c.is_empty() {
                    wrap_edges(v, c, Inline::Subscript);
                }
            }
            Inline::Link { url, mut content } => {
                canon(&mut content, true);
                // The link as the source reader keeps it (a valid URL of a
                // scheme a book can follow), so it reads back the same.
                let url = crate::source::markdown::link_url(&url).filter(|_| !in_link);
                if let Some(url) = url.filter(|_| !content.is_empty()) {
                    wrap_edges(v, content, |c| Inline::Link {
                        url: url.clone(),
                        content: c,
                    });
                } else {
                    for c in content {
                        match c {
                            Inline::Text(t) => push_text(v, &t),
                            c => v.push(c),
                        }
                    }
                }
            }
            Inline::Foreign { lang, mut content } => {
                canon(&mut content, in_link);
                if !content.is_empty() {
                    wrap_edges(v, content, |c| Inline::Foreign {
                        lang: lang.clone(),
                        content: c,
                    });
                }
            }
            Inline::Code(t) => {
                let t = textutil::clean(&t);
                if t.is_empty() {
                    continue;
                }
                // Two code spans in a row read back as one: make them one.
                if let Some(Inline::Code(prev)) = v.last_mut() {
                    prev.push_str(&t);
                } else {
                    v.push(Inline::Code(t));
                }
            }
            Inline::NoteRef(_) if in_link => {}
            other => v.push(other),
        }
    }
}

fn push_text(v: &mut Vec<Inline>, t: &str) {
    crate::source::markdown::push_text(v, t);
}

/// Pushes `wrap(content)` with leading/trailing spaces of `content` moved
/// outside.
fn wrap_edges(v: &mut Vec<Inline>, mut content: Vec<Inline>, wrap: impl Fn(Vec<Inline>) -> Inline) {
    let mut lead = false;
    let mut trail = false;
    if let Some(Inline::Text(t)) = content.first_mut()
        && t.starts_with(|c: char| c.is_whitespace())
    {
        lead = true;
        *t = t.trim_start().to_string();
        if t.is_empty() {
            content.remove(0);
        }
    }
    if let Some(Inline::Text(t)) = content.last_mut()
        && t.ends_with(|c: char| c.is_whitespace())
    {
        trail = true;
        *t = t.trim_end().to_string();
        if t.is_empty() {
            content.pop();
        }
    }
    while matches!(content.last(), Some(Inline::LineBreak)) {
        content.pop();
        trail = true;
    }
    if lead {
        push_text(v, " ");
    }
    if !content.is_empty() {
        v.push(wrap(content));
    }
    if trail {
        push_text(v, " ");
    }
}
