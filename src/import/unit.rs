//! The intermediate form both importers produce: a flat list of units (a
//! paragraph, a heading, a list line, a quotation …) in reading order, each
//! with its line in the input and whatever the reader knows about its role.
//!
//! The text reader knows little (where lines start and end); the HTML reader
//! knows a lot (an `<h1>`, a `class="standfirst"`, a bold paragraph, an
//! `<ol class="footnotes">`). [`super::passes`] decide the rest with the
//! same rules for both, so a question is recognised the same way whichever
//! format it came in.

use crate::model::{Block, Inline, Span, plain_text};

/// Presentation of a unit in the page, as far as it tells its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// Nothing special (all plain text).
    Plain,
    /// An HTML heading `<h2>` … `<h6>`.
    Heading(u8),
    /// A paragraph set entirely in bold.
    Bold,
    /// A paragraph set entirely in italics.
    Italic,
    /// A paragraph whose class names it a question (`class="question"`).
    QuestionClass,
    /// A paragraph whose class names it an answer (`class="answer"`).
    AnswerClass,
}

/// What the reader is sure of (from HTML semantics); the assembler keeps it.
#[derive(Debug, Clone, PartialEq)]
pub enum Hint {
    Title,
    Standfirst,
    /// A paragraph of the author bio block (`class="author-bio"`, …).
    Bio,
    /// Page furniture identified by its element (`<nav>`, `class="share"`);
    /// the reason says what it was.
    Chrome(String),
    /// A byline ("By Jane Roe"); the text is the name.
    Byline(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Para(Vec<Inline>),
    /// A heading in the page (HTML), or a line the text reader saw as one.
    Heading(u8, Vec<Inline>),
    /// A list line of plain text (`- x`, `1. x`, `[1] x`); `number` is the
    /// number written, for notes.
    ListItem {
        ordered: bool,
        number: Option<u64>,
        content: Vec<Inline>,
    },
    /// A quotation; `pull` when the page marks it as a pull quote.
    Quote {
        blocks: Vec<Block>,
        pull: bool,
    },
    /// A block the HTML reader built whole (a list, figure, table, code …).
    Block(Block),
    /// One endnote of an HTML notes list, with the `id` links point at.
    Note {
        key: u32,
        blocks: Vec<Block>,
    },
}

#[derive(Debug, Clone)]
pub struct Unit {
    /// 1-based line in the input where the unit starts.
    pub line: u32,
    pub span: Span,
    pub kind: Kind,
    pub style: Style,
    pub hint: Option<Hint>,
}

impl Unit {
    pub fn new(line: u32, span: Span, kind: Kind) -> Self {
        Unit {
            line,
            span,
            kind,
            style: Style::Plain,
            hint: None,
        }
    }

    /// The unit's text as a reader hears it, for the heuristics.
    pub fn text(&self) -> String {
        match &self.kind {
            Kind::Para(c) | Kind::Heading(_, c) | Kind::ListItem { content: c, .. } => {
                plain_text(c)
            }
            Kind::Quote { blocks, .. } | Kind::Note { blocks, .. } => {
                crate::model::plain_text_blocks(blocks)
            }
            Kind::Block(b) => crate::model::plain_text_blocks(std::slice::from_ref(b)),
        }
    }

    /// The inline content of a one-line unit.
    pub fn inlines(&self) -> Option<&Vec<Inline>> {
        match &self.kind {
            Kind::Para(c) | Kind::Heading(_, c) | Kind::ListItem { content: c, .. } => Some(c),
            _ => None,
        }
    }

    pub fn inlines_mut(&mut self) -> Option<&mut Vec<Inline>> {
        match &mut self.kind {
            Kind::Para(c) | Kind::Heading(_, c) | Kind::ListItem { content: c, .. } => Some(c),
            _ => None,
        }
    }
}

/// What a whole page says about itself besides its units (HTML `<meta>`).
#[derive(Debug, Clone, Default)]
pub struct PageMeta {
    /// `<title>` or `og:title`, used when the page has no `<h1>`.
    pub title: Option<String>,
    /// `description` / `og:description`.
    pub description: Option<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
    /// `article:published_time` and the like, as `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The page's byline ("By Jane Roe", `rel=author`, JSON-LD `author`),
    /// as the article extractor read it.
    pub byline: Option<String>,
    /// Authors named by the page's metadata (JSON-LD `author`).
    pub authors: Vec<String>,
    /// The site's name (`og:site_name`), never a title or a person.
    pub site_name: Option<String>,
    /// Notes of an HTML notes list, by key, that the assembler numbers by
    /// first reference.
    pub note_count: u32,
}
