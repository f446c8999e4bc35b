//! Page addresses: where a page of the print edition starts in the book's
//! text, and what the page holds.
//!
//! The PDF layout cuts the book into pages and describes each with a
//! [`PageInfo`]; the PDF writer draws them and the EPUB marks the same
//! pages in its text (the print page list). Both read only these types, so
//! neither writer depends on the other.

/// A position in the book's text: where a page starts.
///
/// `offset` is a byte offset into the *plain text* of the inline sequence
/// that `place` names, as [`super::plain_text`] gives it (note reference
/// numbers are not in it). For a code block it is an offset into the
/// block's text; for a figure, into its caption; for a table, 0.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextPos {
    /// Index into `Book::chapters`.
    pub chapter: usize,
    pub place: Place,
    pub offset: usize,
}

/// An inline sequence of a chapter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// `Chapter::title` (a chapter's opening page starts here).
    Title,
    /// `Chapter::standfirst`.
    Standfirst,
    /// The content of question `i` (`Chapter::exchanges[i].question`).
    Question(usize),
    /// A block: `path[0]` indexes the sequence `seq` names; each further
    /// index goes one level down — into a block quote's or pull quote's
    /// `content`, or, for a list, two indices: the item, then the block in
    /// the item.
    Block { seq: Seq, path: Vec<usize> },
}

/// A sequence of blocks in a chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Seq {
    /// `Chapter::intro`.
    Intro,
    /// The answer of exchange `i`.
    Answer(usize),
    /// The content of note `i` (`Chapter::notes[i]`, numbered `i + 1`).
    Note(usize),
    /// The bio's content.
    Bio,
}

/// What a page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Cover,
    Title,
    /// The title page's back: publisher, rights, identifier.
    Imprint,
    Contents,
    /// Left empty so that the next chapter opens on a right-hand page.
    Blank,
    /// The first page of a chapter (title, standfirst, names).
    Opening,
    Text,
    /// "About the interviewee".
    Bio,
}

/// One page of the print edition.
#[derive(Debug, Clone, PartialEq)]
pub struct PageInfo {
    /// 0-based index in the PDF.
    pub index: usize,
    /// The page number (folio): `None` for the cover. The title page is
    /// page 1; odd numbers are right-hand pages.
    pub number: Option<u32>,
    pub kind: PageKind,
    /// Where the chapter text continues at the top of the page: the first
    /// line (or figure) placed on it. `None` for pages without chapter text.
    pub first: Option<TextPos>,
}
