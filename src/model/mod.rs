//! The document model: what a book IS, independent of where it came from
//! (Markdown chapters, an imported web page) and of where it goes (EPUB, PDF).
//!
//! Plain data, no I/O. Readers build it, the typography pass refines its text,
//! writers only read it. Every structural thing the source format names has a
//! type of its own here, so writers never guess from strings or flags.

mod lang;
mod pages;
mod people;
mod settings;
mod text;
mod visit;

pub use lang::Lang;
pub use pages::{PageInfo, PageKind, Place, Seq, TextPos};
pub use people::{Contributor, Role, file_as};
pub use settings::{
    CoverSettings, CoverStyle, EpubSettings, FontSettings, Length, NoRoom, PdfSettings, PdfVariant,
    Settings, TextBlock, TrimSize,
};
pub use text::{is_blank, is_noncharacter, plain_text, plain_text_blocks};
pub use visit::{visit_inline_vec, visit_inlines_mut};

use std::path::PathBuf;

/// A byte range in one source file, kept on everything a diagnostic may need
/// to point at. Offsets are into the file's text as read (after BOM removal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Self {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Index of a source file in the reader's [`crate::diag::SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A whole book: metadata, settings and chapters in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    pub meta: Metadata,
    pub settings: Settings,
    /// A cover image the publisher supplied (`[book] cover`); `None` means a
    /// typographic cover is generated.
    pub cover: Option<Image>,
    pub chapters: Vec<Chapter>,
    /// The book folder; writers resolve nothing against it (paths in the model
    /// are already resolved and checked), it is kept for reporting.
    pub root: PathBuf,
}

/// The book's metadata. `Default` is an untitled book with no people and
/// the default language: for books made in code to run a pass on
/// (the reader always fills in a title, a language and an identifier).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    pub title: String,
    pub subtitle: Option<String>,
    /// The book's authors (`dc:creator`, role `aut`).
    pub authors: Vec<String>,
    /// How each author is filed (`authors-sort`), one per author; empty
    /// when not given, and then made from the names ([`file_as`]).
    pub authors_sort: Vec<String>,
    /// Editors, translators and others named in `[book]`, by role in the
    /// order of [`Role::ALL`], each role's people in the order given.
    pub contributors: Vec<Contributor>,
    pub language: Lang,
    /// `urn:isbn:…`, `urn:uuid:…` or any URI the publisher gives; by default
    /// a UUID derived from title and authors, so it is stable across builds.
    pub identifier: String,
    pub publisher: Option<String>,
    /// ISO 8601 date (`YYYY-MM-DD`) as given.
    pub date: Option<String>,
    pub rights: Option<String>,
    pub description: Option<String>,
    pub keywords: Vec<String>,
    pub subject: Option<String>,
    /// File-name stem of the outputs (`<slug>.epub`, `<slug>.pdf`).
    pub slug: String,
}

impl Metadata {
    /// Who the book is by, as stores and library software list it: its
    /// authors or, for a book with none (an anthology), its editors.
    pub fn creators(&self) -> Vec<String> {
        if !self.authors.is_empty() {
            return self.authors.clone();
        }
        self.people(Role::Editor).map(str::to_string).collect()
    }

    /// The people named in `role`, in the order given.
    pub fn people(&self, role: Role) -> impl Iterator<Item = &str> {
        self.contributors
            .iter()
            .filter(move |c| c.role == role)
            .map(|c| c.name.as_str())
    }

    /// How author `i` is filed: `authors-sort` or made from the name.
    pub fn author_file_as(&self, i: usize) -> String {
        match self.authors_sort.get(i) {
            Some(s) => s.clone(),
            None => self.authors.get(i).map_or_else(String::new, |a| file_as(a)),
        }
    }
}

/// One interview (or article): front matter plus body.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// The chapter file, relative to the book folder, for messages.
    pub file: PathBuf,
    /// Stable identifier derived from the file name, unique in the book; used
    /// for output file names and anchors.
    pub id: String,
    pub title: Vec<Inline>,
    pub standfirst: Option<Vec<Inline>>,
    /// The short form of the title for the PDF's running heads
    /// (`running-head` in the front matter).
    pub running_head: Option<String>,
    pub interviewees: Vec<String>,
    pub interviewer: Option<String>,
    pub date: Option<String>,
    /// The chapter's language: its own `lang` or the book's.
    pub lang: Lang,
    /// Blocks before the first question (an introduction), possibly empty.
    pub intro: Vec<Block>,
    /// Questions with their answers, in order.
    pub exchanges: Vec<Exchange>,
    /// Endnotes, numbered 1..n in order of first reference: `notes[i].number == i + 1`.
    pub notes: Vec<Note>,
    pub bio: Option<Bio>,
    pub span: Span,
}

impl Chapter {
    /// All body blocks in reading order: the intro, then each answer.
    /// Question headings are not blocks; see [`Chapter::exchanges`].
    pub fn body_blocks(&self) -> impl Iterator<Item = &Block> {
        self.intro
            .iter()
            .chain(self.exchanges.iter().flat_map(|e| e.answer.iter()))
    }

    pub fn pull_quote_count(&self) -> usize {
        fn count(blocks: &[Block]) -> usize {
            blocks
                .iter()
                .map(|b| match b {
                    Block::PullQuote { .. } => 1,
                    Block::BlockQuote { content, .. } => count(content),
                    Block::List { items, .. } => items.iter().map(|i| count(&i.blocks)).sum(),
                    _ => 0,
                })
                .sum()
        }
        count(&self.intro)
            + self
                .exchanges
                .iter()
                .map(|e| count(&e.answer))
                .sum::<usize>()
    }
}

/// A question and the answer that follows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub question: Question,
    pub answer: Vec<Block>,
}

/// The interviewer's question: a `##` heading in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Anchor, unique within the chapter (`q1`, `q2`, … unless the source gives one).
    pub id: String,
    pub content: Vec<Inline>,
    pub span: Span,
}

/// An endnote definition, numbered by first reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub number: u32,
    /// The label used in the source (`[^label]`), for messages.
    pub label: String,
    pub content: Vec<Block>,
    pub span: Span,
}

/// The "About the interviewee" page.
#[derive(Debug, Clone, PartialEq)]
pub struct Bio {
    /// Whose bio: the interviewee's name(s), used as the page heading.
    pub name: String,
    pub content: Vec<Block>,
    pub portrait: Option<Image>,
    /// Where the front matter names the portrait, for writers' messages.
    pub portrait_span: Option<Span>,
}

/// A checked, resolved image file. The reader has verified that it exists,
/// lies inside the book, and has a readable header.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Absolute, canonical path.
    pub path: PathBuf,
    /// The path as written in the source, for messages.
    pub src: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
    pub format: ImageFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Png,
    WebP,
}

impl ImageFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::WebP => "image/webp",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Body text (answer paragraphs, intro, note and bio text).
    Paragraph { content: Vec<Inline>, span: Span },
    /// A sub-heading (`###`…`######`), level as in the source (3..=6).
    Heading {
        level: u8,
        id: Option<String>,
        content: Vec<Inline>,
        span: Span,
    },
    /// A quotation read as part of the text.
    BlockQuote { content: Vec<Block>, span: Span },
    /// A display repetition of a passage of the chapter. Writers present it so
    /// that assistive technology does not read it twice.
    PullQuote { content: Vec<Block>, span: Span },
    List {
        /// `Some(start)` for an ordered list.
        start: Option<u64>,
        items: Vec<ListItem>,
        span: Span,
    },
    Figure {
        image: Image,
        caption: Vec<Inline>,
        span: Span,
    },
    /// `***`: a centred dinkus.
    SectionBreak { span: Span },
    CodeBlock {
        text: String,
        lang: Option<String>,
        span: Span,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        span: Span,
    },
}

impl Block {
    pub fn span(&self) -> Span {
        match self {
            Block::Paragraph { span, .. }
            | Block::Heading { span, .. }
            | Block::BlockQuote { span, .. }
            | Block::PullQuote { span, .. }
            | Block::List { span, .. }
            | Block::Figure { span, .. }
            | Block::SectionBreak { span }
            | Block::CodeBlock { span, .. }
            | Block::Table { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    /// A hard line break.
    LineBreak,
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Superscript(Vec<Inline>),
    Subscript(Vec<Inline>),
    Code(String),
    Link {
        url: String,
        content: Vec<Inline>,
    },
    /// A reference to endnote `number` of the same chapter.
    NoteRef(u32),
    /// A span in another language than its surroundings.
    Foreign {
        lang: Lang,
        content: Vec<Inline>,
    },
}
