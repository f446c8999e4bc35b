//! What the pages are made of: set paragraphs with their tagging, images,
//! the structure tree, and the small vocabulary shared by the flow, the page
//! breaker and the writer (boxes, drawings, anchors).
//!
//! Everything here is plain data owned by the [`super::Layout`]; the writer
//! turns it into krilla calls and never looks at the model again.

use crate::model::{ImageFormat, Span};
use crate::typeset::{FontBook, SetParagraph};
use std::ops::Range;
use std::sync::Arc;

pub(crate) type ParaId = u32;

/// Content that is not part of the document's logical structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Art {
    /// Running heads.
    Header,
    /// Folios.
    PageNumber,
    /// Design: pull quotes (they repeat the text), the section-break dinkus,
    /// rules, blank pages.
    Layout,
}

/// A place in the document a link can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum AnchorKey {
    Contents,
    Chapter(u32),
    Question(u32, u32),
    /// Endnote `n` of a chapter (its label in the endnotes).
    NoteDef(u32, u32),
    /// The first reference to endnote `n` in a chapter's text.
    NoteRef(u32, u32),
    Endnotes(u32),
    Bio(u32),
}

impl AnchorKey {
    /// The named destination written for the anchor (stable, readable in
    /// `qpdf --json`: `note-1-2` is note 2 of the first chapter).
    pub fn name(self) -> String {
        match self {
            AnchorKey::Contents => "contents".into(),
            AnchorKey::Chapter(c) => format!("chapter-{}", c + 1),
            AnchorKey::Question(c, q) => format!("q-{}-{}", c + 1, q + 1),
            AnchorKey::NoteDef(c, n) => format!("note-{}-{n}", c + 1),
            AnchorKey::NoteRef(c, n) => format!("ref-{}-{n}", c + 1),
            AnchorKey::Endnotes(c) => format!("endnotes-{}", c + 1),
            AnchorKey::Bio(c) => format!("bio-{}", c + 1),
        }
    }
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    Url(String),
    Anchor(AnchorKey),
}

/// A stretch of runs of one line drawn as one tagged piece of content.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Seg {
    pub runs: Range<u16>,
    /// Content slot: the writer stores the identifier krilla gives the
    /// marked content here, and the structure tree refers to it.
    pub slot: u32,
    /// Language of a foreign phrase.
    pub lang: Option<String>,
    pub link: Option<SegLink>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SegLink {
    pub target: Target,
    /// The annotation's accessible name.
    pub alt: String,
    /// Annotation slot (as `Seg::slot`, for the link annotation).
    pub annot: u32,
}

/// A set paragraph as the pages draw it.
#[derive(Debug)]
pub(crate) struct Para {
    pub set: SetParagraph,
    /// Tagged segments of each line; empty for artifacts.
    pub segs: Vec<Vec<Seg>>,
    pub artifact: Option<Art>,
    /// Index into [`Store::spans`] (+1; 0 = none), for validation messages.
    pub loc: u32,
}

/// An image file, read and checked at layout time.
#[derive(Debug, Clone)]
pub(crate) struct Img {
    pub bytes: Arc<Vec<u8>>,
    pub format: ImageFormat,
    pub alt: String,
    /// The path as written, the decoded pixels (width, height) and where
    /// it was asked for: what a resolution check names.
    pub src: String,
    pub pixels: (u32, u32),
    pub span: Span,
}

/// What a box draws, relative to the left edge of the text block and the
/// box's baseline (or, once placed on a page, in page coordinates: x from
/// the left trim edge, y down from the top trim edge).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Draw {
    /// Line `line` of a paragraph, its baseline at `y`.
    Line {
        para: ParaId,
        line: u32,
        x: f32,
        y: f32,
    },
    /// An image with its top-left corner at (x, y); `slot` is its content
    /// slot (`None`: an artifact).
    Image {
        img: u32,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        slot: Option<u32>,
    },
    /// A horizontal rule (an artifact) of thickness `t` centred on `y`.
    Rule { x: f32, y: f32, w: f32, t: f32 },
}

impl Draw {
    pub fn moved(&self, dx: f32, dy: f32) -> Draw {
        let mut d = self.clone();
        match &mut d {
            Draw::Line { x, y, .. } | Draw::Image { x, y, .. } | Draw::Rule { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
        }
        d
    }
}

/// Kinds of structure elements (a subset of PDF's standard structure types).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Section,
    Div,
    /// Heading level and its title (PDF/UA wants the text as `/T`).
    H(u16, String),
    P,
    BlockQuote,
    /// A list: ordered or not.
    L(bool),
    LI,
    Lbl,
    LBody,
    Figure(String),
    Caption,
    Table,
    TR,
    TH,
    TD,
    Code,
    Note,
    Reference,
    Link,
    Toc,
    TocI,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Child {
    Node(u32),
    Content(u32),
    Annot(u32),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub kind: Kind,
    pub children: Vec<Child>,
    /// Language of the element when it differs from the document's.
    pub lang: Option<String>,
}

/// The logical structure, in reading order.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
    pub roots: Vec<u32>,
}

impl Tree {
    /// A new element under `parent` (`None`: at the top level).
    pub fn add(&mut self, parent: Option<u32>, kind: Kind) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(Node {
            kind,
            children: Vec::new(),
            lang: None,
        });
        match parent {
            Some(p) => self.nodes[p as usize].children.push(Child::Node(id)),
            None => self.roots.push(id),
        }
        id
    }

    pub fn push(&mut self, node: u32, child: Child) {
        self.nodes[node as usize].children.push(child);
    }
}

/// Everything the pages refer to.
pub(crate) struct Store {
    pub fonts: Arc<FontBook>,
    pub paras: Vec<Para>,
    pub images: Vec<Img>,
    pub tree: Tree,
    /// Content and annotation slots handed out so far.
    pub slots: u32,
    pub annots: u32,
    /// Source spans for validation messages (see [`Para::loc`]).
    pub spans: Vec<crate::model::Span>,
}

impl Store {
    pub fn new(fonts: Arc<FontBook>) -> Store {
        Store {
            fonts,
            paras: Vec::new(),
            images: Vec::new(),
            tree: Tree::default(),
            slots: 0,
            annots: 0,
            spans: Vec::new(),
        }
    }

    pub fn slot(&mut self) -> u32 {
        self.slots += 1;
        self.slots - 1
    }

    pub fn annot(&mut self) -> u32 {
        self.annots += 1;
        self.annots - 1
    }

    pub fn loc(&mut self, span: Option<crate::model::Span>) -> u32 {
        match span {
            Some(s) => {
                self.spans.push(s);
                self.spans.len() as u32
            }
            None => 0,
        }
    }
}

/// Forbids a page break (widows, orphans, keeps); still finite so that an
/// impossible page can break somewhere rather than nowhere.
pub(crate) const INF: f32 = 1.0e7;
/// Forces a page break.
pub(crate) const FORCE: f32 = -1.0e9;

/// An item of a vertical list (TeX's boxes, glue and penalties).
#[derive(Debug, Clone)]
pub(crate) enum V {
    Box(VBox),
    /// Space between blocks: discarded at the top of a page.
    Glue {
        w: f32,
        stretch: f32,
        shrink: f32,
    },
    /// A place to break the page, at a cost.
    Penalty(f32),
}

/// One line (or image, or table row line) of the vertical list.
#[derive(Debug, Clone, Default)]
pub(crate) struct VBox {
    /// Distance from the previous box's baseline (on the same page).
    pub advance: f32,
    /// Distance from the top of the text block when it is first on a page.
    pub top: f32,
    /// What the box draws: one thing (a line, an image) without allocating,
    /// more in `more` (a label beside a line, the cells of a row).
    pub draw: Option<Draw>,
    pub more: Vec<Draw>,
    /// Text position of the box's start: (place id, byte offset).
    pub pos: Option<(u32, u32)>,
    pub anchors: Vec<AnchorKey>,
    /// The last line of contents entry `n` (its page number goes there).
    pub toc: Option<u32>,
}

impl VBox {
    /// What the box draws, in reading order: a label (a note's number, a
    /// question's mark) comes before its line, so that text extraction and
    /// the content stream read "2. Qandy Qantar…", not the number mid-note.
    pub fn draws(&self) -> impl Iterator<Item = &Draw> {
        self.more.iter().chain(self.draw.iter())
    }
}
