//! The print edition's pages in the EPUB (issue 10): a page-break marker
//! where each page of the PDF begins, and the `page-list` navigation.
//!
//! The PDF layout tells, for every page, where the book's text continues at
//! its top ([`PageInfo::first`]). This module decides where each
//! numbered page's marker goes in the EPUB; the documents write the markers
//! as they are rendered (`super::xhtml`), and the navigation document
//! lists them in reading order.
//!
//! # Where a marker goes
//!
//! A marker stands immediately before the first thing of its page that the
//! EPUB also has, so that "the text after marker N" is the text that opens
//! print page N:
//! - a page that starts inside a paragraph: at that character (inside the
//!   paragraph, inside emphasis, …), except that a marker never splits a
//!   word (a word hyphenated across two pages gets its marker before the
//!   word: the page where the word starts) and never goes inside a link (it
//!   moves before the link, whose accessible name it would otherwise join);
//! - a page that starts with a heading, question, figure, table, code line
//!   or pull quote: just before that element (a marker inside a heading
//!   would become part of the heading's accessible name; a pull quote is
//!   hidden from assistive technology, its marker must not be);
//! - a page that starts with a section break (the dinkus, kept with what
//!   follows it): before the section break;
//! - the first page of a chapter: at the start of the chapter's section;
//!   a page that starts with the endnotes (their heading is kept with the
//!   first note): before the endnotes section; a page that starts a note:
//!   before the note's number; the bio page: at the start of the bio
//!   section, before its heading;
//! - the title page: at the start of the EPUB's title page; the imprint
//!   (the title page's back): before the title page's imprint block
//!   (publisher, date, rights), or at the title page's end when it has
//!   none; the contents pages: all at the start of the navigation
//!   document, before the contents (EPUB 3.3 allows nothing but links
//!   inside a `toc` nav's list, so a contents page that starts inside the
//!   list cannot be marked there).
//!
//! Pages that show nothing the EPUB has — a blank left-hand page before a
//! chapter opening, a page holding only the rows of a long table — get
//! their marker where the next page's marker goes, just before it. (The
//! layout gives a table a position at its first row only: a page that
//! starts with the continued rows of a table gets its marker before what
//! follows the table on that page, not between the rows.) So every
//! numbered page of the PDF has exactly one marker, the markers are in page
//! order in the EPUB's reading order, and the page list has as many entries
//! as the PDF has numbered pages. (The cover has no number and no marker.)

use crate::model::Book;
use crate::model::{PageInfo, PageKind, Place, Seq, TextPos};

/// One numbered page of the print edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintPage {
    /// The page number printed on it (the title page is 1).
    pub number: u32,
    pub kind: PageKind,
    /// Where the book's text continues at the top of the page.
    pub first: Option<TextPos>,
}

/// The print edition's pagination, as the EPUB marks it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrintPages {
    /// The print edition's identifier, declared as the source of the page
    /// breaks (`dc:source` with `source-of`, and `pageBreakSource`).
    pub source: String,
    /// The numbered pages, in order.
    pub pages: Vec<PrintPage>,
}

impl PrintPages {
    /// The numbered pages of a layout (the PDF layout's `pages`). `source`
    /// identifies the PDF edition (qalam writes the book's identifier into
    /// the PDF).
    pub fn from_layout(pages: &[PageInfo], source: &str) -> Self {
        PrintPages {
            source: source.to_string(),
            pages: pages
                .iter()
                .filter_map(|p| {
                    p.number.map(|number| PrintPage {
                        number,
                        kind: p.kind,
                        first: p.first.clone(),
                    })
                })
                .collect(),
        }
    }
}

/// A marker at a place in a chapter's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mark {
    pub place: Place,
    /// Byte offset into the plain text of `place` (not yet moved out of a
    /// word or link: the renderer does that, it has the inlines).
    pub offset: usize,
    pub number: u32,
}

#[cfg(test)]
impl Mark {
    /// Marker `number` at byte `offset` of the block at `path` in `seq`.
    pub(crate) fn in_block(
        seq: crate::model::Seq,
        path: &[usize],
        offset: usize,
        number: u32,
    ) -> Mark {
        Mark {
            place: Place::Block {
                seq,
                path: path.to_vec(),
            },
            offset,
            number,
        }
    }
}

/// The markers of one chapter (its document and its bio document).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ChapterMarks {
    /// At the start of the chapter's section.
    pub start: Vec<u32>,
    /// Before the endnotes section.
    pub endnotes: Vec<u32>,
    /// At the start of the bio section.
    pub bio_start: Vec<u32>,
    /// In the text, in page order.
    pub text: Vec<Mark>,
    /// At the end of the chapter's last document (pages after the last
    /// text, in the last chapter only).
    pub end: Vec<u32>,
}

impl ChapterMarks {
    /// The markers of the bio document (when the chapter has one) and the
    /// rest.
    pub fn split_bio(mut self, has_bio: bool) -> (ChapterMarks, ChapterMarks) {
        if !has_bio {
            return (self, ChapterMarks::default());
        }
        let (bio_text, text): (Vec<Mark>, Vec<Mark>) = std::mem::take(&mut self.text)
            .into_iter()
            .partition(|m| matches!(m.place, Place::Block { seq: Seq::Bio, .. }));
        self.text = text;
        let bio = ChapterMarks {
            bio_start: std::mem::take(&mut self.bio_start),
            text: bio_text,
            end: std::mem::take(&mut self.end),
            ..Default::default()
        };
        (self, bio)
    }
}

/// Every marker of the book, by document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Marks {
    /// Title page: at its start, before its imprint block, at its end.
    pub title_start: Vec<u32>,
    pub imprint: Vec<u32>,
    pub title_end: Vec<u32>,
    /// Navigation document, before the contents.
    pub contents: Vec<u32>,
    /// One per chapter.
    pub chapters: Vec<ChapterMarks>,
}

/// Where one page's marker goes.
enum Spot {
    TitleStart,
    Imprint,
    TitleEnd,
    Contents,
    ChapterStart(usize),
    Endnotes(usize),
    BioStart(usize),
    Text(TextPos),
    /// Where the next page's marker goes.
    Next,
}

/// Decides where every page's marker goes (see the module documentation).
pub(crate) fn place(pages: &PrintPages, book: &Book) -> Marks {
    let m = &book.meta;
    let has_imprint = m.publisher.is_some() || m.date.is_some() || m.rights.is_some();
    let n = book.chapters.len();
    let mut marks = Marks {
        chapters: vec![ChapterMarks::default(); n],
        ..Default::default()
    };
    let mut pending: Vec<u32> = Vec::new();
    // The chapter of the text seen last, for a bio page without text.
    let mut chapter: Option<usize> = None;
    for page in &pages.pages {
        if let Some(f) = &page.first
            && f.chapter < n
        {
            chapter = Some(f.chapter);
        }
        let first = page.first.as_ref().filter(|f| f.chapter < n);
        let spot = match page.kind {
            PageKind::Cover => continue,
            PageKind::Title => Spot::TitleStart,
            PageKind::Imprint if has_imprint => Spot::Imprint,
            PageKind::Imprint => Spot::TitleEnd,
            PageKind::Contents => Spot::Contents,
            PageKind::Blank => Spot::Next,
            PageKind::Opening => match first {
                Some(f) => Spot::ChapterStart(f.chapter),
                None => Spot::Next,
            },
            PageKind::Bio => match chapter {
                Some(c) if book.chapters[c].bio.is_some() => Spot::BioStart(c),
                _ => Spot::Next,
            },
            PageKind::Text => match first {
                None => Spot::Next,
                Some(f) => match &f.place {
                    Place::Title => Spot::ChapterStart(f.chapter),
                    Place::Block {
                        seq: Seq::Note(0),
                        path,
                    } if f.offset == 0 && path.iter().all(|&k| k == 0) => Spot::Endnotes(f.chapter),
                    _ => Spot::Text(f.clone()),
                },
            },
        };
        if let Spot::Next = spot {
            pending.push(page.number);
            continue;
        }
        let numbers: Vec<u32> = pending
            .drain(..)
            .chain(std::iter::once(page.number))
            .collect();
        match spot {
            Spot::Next => {}
            Spot::TitleStart => marks.title_start.extend(numbers),
            Spot::Imprint => marks.imprint.extend(numbers),
            Spot::TitleEnd => marks.title_end.extend(numbers),
            Spot::Contents => marks.contents.extend(numbers),
            Spot::ChapterStart(c) => marks.chapters[c].start.extend(numbers),
            Spot::Endnotes(c) => marks.chapters[c].endnotes.extend(numbers),
            Spot::BioStart(c) => marks.chapters[c].bio_start.extend(numbers),
            Spot::Text(pos) => {
                let list = &mut marks.chapters[pos.chapter].text;
                for number in numbers {
                    list.push(Mark {
                        place: pos.place.clone(),
                        offset: pos.offset,
                        number,
                    });
                }
            }
        }
    }
    // Pages after the last text: at the end of the book.
    if !pending.is_empty() {
        match marks.chapters.last_mut() {
            Some(c) => c.end.append(&mut pending),
            None => marks.contents.append(&mut pending),
        }
    }
    marks
}

/// Whether `c` continues a word: a page that starts after it, at another
/// such character, starts inside a hyphenated word.
fn in_word(c: char) -> bool {
    c.is_alphanumeric()
        || c == '\u{AD}'
        || c == '\u{200C}'
        || c == '\u{200D}'
        || unicode_normalization::char::is_combining_mark(c)
}

/// `offset` moved back to the start of the word it falls inside, if any,
/// and then out of any link (`links`: plain-text byte ranges) to the link's
/// start. Always a character boundary of `text`, at most `text.len()`.
pub(crate) fn snap(text: &str, links: &[(usize, usize)], offset: usize) -> usize {
    let mut off = offset.min(text.len());
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let starts_word = text[off..].chars().next().is_some_and(in_word);
    if starts_word {
        while let Some(c) = text[..off].chars().next_back() {
            if !in_word(c) {
                break;
            }
            off -= c.len_utf8();
        }
    }
    for &(s, e) in links {
        if s < off && off < e {
            off = s;
        }
    }
    off
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_move_to_the_start_of_a_split_word() {
        let t = "the typography of it";
        assert_eq!(snap(t, &[], 4), 4);
        assert_eq!(snap(t, &[], 8), 4, "typo|graphy");
        assert_eq!(snap(t, &[], 3), 3, "at a space: kept");
        assert_eq!(snap(t, &[], 100), t.len());
        // After an explicit hyphen or dash the page starts a word of its own.
        assert_eq!(snap("well-known", &[], 5), 5);
        assert_eq!(snap("this—that", &[], "this—".len()), "this—".len());
        // Not a character boundary: moved back to one.
        assert_eq!(snap("aé b", &[], 2), 0);
        // Cyrillic.
        let r = "Добрый день";
        assert_eq!(snap(r, &[], "Добр".len()), 0);
        // Out of a link, to its start.
        assert_eq!(snap("see the page here", &[(4, 13)], 8), 4);
        assert_eq!(snap("see the page here", &[(4, 13)], 4), 4);
    }
}
