//! Comparing chapters without what names a place in a source file.
#![allow(dead_code)]

use qalam::model::{Block, Chapter, Span, plain_text};
use std::path::PathBuf;

/// A chapter with everything that names a source place cleared: spans,
/// file name and id, note labels, image paths.
pub fn unplaced(ch: &Chapter) -> Chapter {
    let mut c = ch.clone();
    c.file = PathBuf::new();
    c.id = String::new();
    c.span = Span::default();
    for e in &mut c.exchanges {
        e.question.span = Span::default();
        e.question.id = String::new();
        clear_blocks(&mut e.answer);
    }
    clear_blocks(&mut c.intro);
    for n in &mut c.notes {
        n.span = Span::default();
        n.label = String::new();
        clear_blocks(&mut n.content);
    }
    if let Some(b) = &mut c.bio {
        clear_blocks(&mut b.content);
    }
    c
}

fn clear_blocks(blocks: &mut [Block]) {
    for b in blocks {
        match b {
            Block::Paragraph { span, .. }
            | Block::Heading { span, .. }
            | Block::SectionBreak { span }
            | Block::CodeBlock { span, .. }
            | Block::Table { span, .. } => *span = Span::default(),
            Block::BlockQuote { content, span } | Block::PullQuote { content, span } => {
                *span = Span::default();
                clear_blocks(content);
            }
            Block::List { items, span, .. } => {
                *span = Span::default();
                for i in items {
                    clear_blocks(&mut i.blocks);
                }
            }
            Block::Figure { image, span, .. } => {
                *span = Span::default();
                image.path = PathBuf::new();
            }
        }
    }
}

/// Compares two chapters part by part, so a failure says where they differ.
pub fn assert_same_chapter(got: &Chapter, want: &Chapter) {
    let (g, w) = (unplaced(got), unplaced(want));
    assert_eq!(g.title, w.title, "title");
    assert_eq!(g.standfirst, w.standfirst, "standfirst");
    assert_eq!(g.interviewees, w.interviewees, "interviewees");
    assert_eq!(g.interviewer, w.interviewer, "interviewer");
    assert_eq!(g.lang, w.lang, "language");
    assert_eq!(g.intro, w.intro, "introduction");
    assert_eq!(g.exchanges.len(), w.exchanges.len(), "number of questions");
    for (k, (a, b)) in g.exchanges.iter().zip(&w.exchanges).enumerate() {
        assert_eq!(a.question.content, b.question.content, "question {}", k + 1);
        assert_eq!(
            a.answer.len(),
            b.answer.len(),
            "blocks in answer {}: {}",
            k + 1,
            plain_text(&a.question.content)
        );
        for (j, (x, y)) in a.answer.iter().zip(&b.answer).enumerate() {
            assert_eq!(x, y, "answer {}, block {}", k + 1, j + 1);
        }
    }
    assert_eq!(g.notes, w.notes, "endnotes");
    assert_eq!(g.bio, w.bio, "bio");
    assert_eq!(g, w);
}

/// Where two values' pretty debug output first differs, with context.
pub fn first_difference<T: std::fmt::Debug>(a: &T, b: &T) -> String {
    let (x, y) = (format!("{a:#?}"), format!("{b:#?}"));
    let (xl, yl): (Vec<&str>, Vec<&str>) = (x.lines().collect(), y.lines().collect());
    let k = xl
        .iter()
        .zip(&yl)
        .position(|(p, q)| p != q)
        .unwrap_or(xl.len().min(yl.len()));
    let from = k.saturating_sub(12);
    format!(
        "read back (line {k}):\n{}\n--- imported:\n{}",
        xl[from..(k + 6).min(xl.len())].join("\n"),
        yl[from..(k + 6).min(yl.len())].join("\n")
    )
}
