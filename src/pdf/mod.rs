//! The PDF book: pages built from the typesetting engine's lines, written
//! with krilla.
//!
//! Stages, one module each:
//! - `design`: page geometry and type styles from `[pdf]`;
//! - `flow`: model blocks -> a vertical list of boxes (lines), glue and
//!   penalties per chapter, with the structure tree for tagging;
//! - `pages`: page breaking by cost (no widows or orphans, headings kept
//!   with their answers, facing pages level);
//! - `book`: the book around the chapters — cover, title page, contents,
//!   chapter openings on right-hand pages, endnotes, bio pages, running
//!   heads and folios — giving a [`Layout`];
//! - `images`: figures and portraits, read and checked at layout time;
//! - `write`: the [`Layout`] -> PDF bytes (screen or print variant).
//!
//! Layout and writing are separate so that other writers can use the
//! pagination: [`Layout::pages`] tells, for every page, where the book's
//! text continues at its top ([`TextPos`]); the EPUB's print page list
//! (issue 10) is made from it.
//!
//! ```no_run
//! let loaded = qalam::internals::source::load(std::path::Path::new("book"));
//! let book = loaded.book.unwrap();
//! let engine = qalam::Engine::new();
//! let (layout, diags) = qalam::internals::pdf::layout(&engine, &book, None, &loaded.sources, None);
//! let layout = layout.unwrap();
//! for page in &layout.pages {
//!     println!("page {:?} starts at {:?}", page.number, page.first);
//! }
//! let pdf = qalam::internals::pdf::write(&layout, qalam::model::PdfVariant::Screen, &loaded.sources);
//! ```

mod book;
mod design;
mod flow;
mod heads;
mod images;
mod pages;
mod store;
mod write;

pub use book::layout;
pub use write::write;
// The page addresses the layout gives, named here too for callers of
// `layout` (they live in the model so that the EPUB reads them without the PDF).
pub use crate::model::PageInfo;

use crate::cover::CoverArt;
use store::{AnchorKey, Store};

/// Document metadata, as the writer needs it.
#[derive(Debug, Clone)]
pub(crate) struct DocMeta {
    pub title: String,
    pub authors: Vec<String>,
    pub lang: String,
    pub subject: Option<String>,
    pub keywords: Vec<String>,
    pub identifier: String,
    /// (year, month, day, hour, minute, second), UTC.
    pub date: Option<(u16, u8, u8, u8, u8, u8)>,
}

/// A page to draw.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageBody {
    pub draws: Vec<store::Draw>,
    pub cover: bool,
}

/// An outline entry: title, destination, children.
#[derive(Debug, Clone)]
pub(crate) struct OutlineEntry {
    pub title: String,
    pub anchor: AnchorKey,
    pub children: Vec<OutlineEntry>,
}

/// The book laid out in pages, ready to write (as many times and variants
/// as wanted).
pub struct Layout {
    pub pages: Vec<PageInfo>,
    pub(crate) bodies: Vec<PageBody>,
    pub(crate) store: Store,
    pub(crate) design: design::Design,
    pub(crate) meta: DocMeta,
    pub(crate) outline: Vec<OutlineEntry>,
    /// Destinations: page index and point (trim coordinates).
    pub(crate) anchors: std::collections::BTreeMap<AnchorKey, (usize, f32, f32)>,
    pub(crate) cover: Option<CoverArt>,
}

impl Layout {
    /// The page number printed on the page at `index` (see [`PageInfo::number`]).
    pub fn number(&self, index: usize) -> Option<u32> {
        self.pages.get(index).and_then(|p| p.number)
    }

    /// The pages whose text starts in chapter `chapter`.
    pub fn chapter_pages(&self, chapter: usize) -> impl Iterator<Item = &PageInfo> {
        self.pages
            .iter()
            .filter(move |p| p.first.as_ref().is_some_and(|t| t.chapter == chapter))
    }

    /// Every figure and portrait as placed, in page order, with its printed
    /// size: what the print-resolution check judges. The cover is not
    /// among them (the cover's checks are its own).
    pub(crate) fn pictures(&self) -> Vec<crate::picture::resolution::Placed> {
        let mut out = Vec::new();
        for (page, body) in self.bodies.iter().enumerate() {
            for draw in &body.draws {
                if let store::Draw::Image { img, w, h, .. } = *draw
                    && let Some(i) = self.store.images.get(img as usize)
                {
                    out.push(crate::picture::resolution::Placed {
                        src: i.src.clone(),
                        pixels: i.pixels,
                        size: (w, h),
                        page,
                        span: i.span,
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
