//! A full-wrap cover for print-on-demand: back, spine and front on one
//! sheet, with the bleed around the whole, as KDP and IngramSpark take
//! it for a paperback.
//!
//! The spine is as wide as the book block is thick: `pages / ppi` inches,
//! the interior's page count over the paper's pages per inch (KDP states
//! it as page count x the paper's thickness per page, 0.002252 in for
//! white paper, 0.0025 in for cream; IngramSpark's calculator takes the
//! page count and the paper and uses that paper's pages per inch). The
//! sheet is `bleed + width + spine + width + bleed` wide and
//! `bleed + height + bleed` tall.
//!
//! The front is the book's cover as the print PDF places it; the back and
//! spine take a plain ground (the generated design's, or the colour along
//! the supplied picture's spine edge), the back carries the description
//! and the publisher, clear of the corner where the printer puts the
//! barcode, and the spine the title and authors, turned to read from top
//! to bottom, as English-language books do.

use super::colour::Rgb;
use super::design::Shape;
use super::text::{self, Fit, FontChoice, Line, TextStyle};
use super::{CoverArt, PdfCover, print::Bleed};
use crate::fonts::Role;
use crate::model::{Book, Paper};
use crate::typeset::{Align, Engine, TextFonts};

/// Printers keep spine type this far from either fold (KDP: 0.0625 in).
pub const SPINE_MARGIN: f32 = 4.5;

/// Type smaller than this on a spine cannot be read from a shelf: a
/// narrower spine stays plain.
const MIN_SPINE_TYPE: f32 = 5.0;
const MAX_SPINE_TYPE: f32 = 18.0;

/// The corner of the back that print-on-demand services keep for their
/// barcode: 2 x 1.2 in, inside the safe area at the bottom right.
pub const BARCODE: (f32, f32) = (144.0, 86.4);

/// The sheet's measures, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// Trim width and height of one cover (front or back).
    pub width: f32,
    pub height: f32,
    pub spine: f32,
    pub bleed: f32,
    pub pages: u32,
}

impl Geometry {
    /// A book of `pages` interior pages (an odd count is printed on a
    /// last blank page: rounded up to even) on `paper`.
    pub fn new(book: &Book, pages: u32, paper: &Paper) -> Geometry {
        let pdf = &book.settings.pdf;
        let pages = pages + pages % 2;
        Geometry {
            width: pdf.trim.width.pt(),
            height: pdf.trim.height.pt(),
            spine: paper.spine_pt(pages),
            bleed: pdf.bleed.pt(),
            pages,
        }
    }

    /// The trimmed sheet: back, spine, front.
    pub fn trim(&self) -> (f32, f32) {
        (2.0 * self.width + self.spine, self.height)
    }

    /// The sheet with its bleed (the PDF's page).
    pub fn outer(&self) -> (f32, f32) {
        let (w, h) = self.trim();
        (w + 2.0 * self.bleed, h + 2.0 * self.bleed)
    }

    /// Left edge of the spine and of the front, from the sheet's trimmed
    /// left edge.
    pub fn spine_x(&self) -> f32 {
        self.width
    }
    pub fn front_x(&self) -> f32 {
        self.width + self.spine
    }
}

/// The spine's type: a run of glyphs per part (title, then authors), set
/// at `size` along the spine.
#[derive(Debug, Clone)]
pub struct SpineType {
    pub parts: Vec<(Line, Rgb)>,
    pub size: f32,
    /// Space between the parts, in em.
    pub gap: f32,
}

impl SpineType {
    /// Length along the spine, in points.
    pub fn length(&self) -> f32 {
        let n = self.parts.len().saturating_sub(1) as f32;
        (self.parts.iter().map(|(l, _)| l.width).sum::<f32>() + n * self.gap) * self.size
    }

    /// Ascender and descender of the tallest part, in em.
    pub fn extent(&self) -> (f32, f32) {
        self.parts.iter().fold((0.0f32, 0.0f32), |(a, d), (l, _)| {
            (a.max(l.ascender), d.min(l.descender))
        })
    }
}

/// A full-wrap cover ready to write.
pub struct Wrap {
    pub geometry: Geometry,
    pub paper: Paper,
    pub front: CoverArt,
    /// Back and spine.
    pub ground: Rgb,
    /// The back's type, in the back's trim coordinates.
    pub back: Vec<Shape>,
    pub spine: Option<SpineType>,
    pub fonts: TextFonts,
    pub title: String,
}

/// Lays out the wrap of `book`, whose front is `front` (prepared for
/// print) and whose interior has `pages` pages, on the paper `[cover]`
/// names.
pub fn layout(engine: &Engine, book: &Book, front: CoverArt, pages: u32) -> Wrap {
    let paper = book.settings.cover.paper.clone();
    let geometry = Geometry::new(book, pages, &paper);
    let fonts = engine.bundled().clone();
    let ground = ground_of(&front.pdf);
    let ink = ink_on(ground);
    let safe = book.settings.cover.safe_area.pt();
    let back = back(&fonts, book, &geometry, safe, ink);
    let spine = spine(&fonts, book, &geometry, safe, ink);
    Wrap {
        geometry,
        paper,
        front,
        ground,
        back,
        spine,
        fonts,
        title: book.meta.title.clone(),
    }
}

/// The ground of the back and spine: the generated design's, or the
/// average of the supplied picture's (or print art's) pixels along the
/// spine edge.
fn ground_of(front: &PdfCover) -> Rgb {
    match front {
        PdfCover::Generated { screen, print, .. } => print.as_deref().unwrap_or(screen).background,
        PdfCover::Supplied {
            bleed: Bleed::Edges(e),
            ..
        } => average(&e.left),
        PdfCover::Supplied {
            bleed: Bleed::Art(a),
            ..
        } => average(&a.left),
        _ => Rgb(255, 255, 255),
    }
}

fn average(rgb: &[u8]) -> Rgb {
    let n = (rgb.len() / 3).max(1) as u64;
    let mut sum = [0u64; 3];
    for p in rgb.chunks_exact(3) {
        for (s, &c) in sum.iter_mut().zip(p) {
            *s += u64::from(c);
        }
    }
    Rgb((sum[0] / n) as u8, (sum[1] / n) as u8, (sum[2] / n) as u8)
}

/// Near-black or near-white, whichever reads better on `ground`.
fn ink_on(ground: Rgb) -> Rgb {
    let dark = Rgb(28, 28, 30);
    let light = Rgb(250, 248, 242);
    if ground.contrast(dark) >= ground.contrast(light) {
        dark
    } else {
        light
    }
}

const BLURB: TextStyle = TextStyle {
    font: FontChoice::new(Role::Text, false, false),
    tracking: 0.0,
    uppercase: false,
    line_height: 1.4,
};

const IMPRINT: TextStyle = TextStyle {
    font: FontChoice::new(Role::Display, false, false),
    tracking: 0.18,
    uppercase: true,
    line_height: 1.4,
};

/// The back: the description at the head, the publisher at the foot,
/// beside the barcode's corner, all inside the safe area.
fn back(fonts: &TextFonts, book: &Book, g: &Geometry, safe: f32, ink: Rgb) -> Vec<Shape> {
    let mut out = Vec::new();
    // Wider margins than the safe area on a usual page: a back is read.
    let m = safe.max(g.width * 0.1);
    let (left, right) = (m, g.width - m);
    let measure = right - left;
    if measure <= 0.0 {
        return out;
    }
    if let Some(d) = book
        .meta
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        let p = text::fit(
            fonts,
            d.trim(),
            &BLURB,
            &Fit {
                max_width: measure,
                max_height: g.height - 2.0 * m - BARCODE.1 - 24.0,
                max_size: 12.0,
                min_size: 7.0,
                max_lines: 40,
            },
        );
        p.draw(left, right, m + 12.0, Align::RaggedRight, ink, &mut out);
    }
    if let Some(pb) = book.meta.publisher.as_deref() {
        let room = measure - BARCODE.0 - 12.0;
        if room > 0.0 {
            let p = text::fit(
                fonts,
                pb,
                &IMPRINT,
                &Fit {
                    max_width: room,
                    max_height: BARCODE.1,
                    max_size: 8.0,
                    min_size: 5.0,
                    max_lines: 2,
                },
            );
            let top = g.height - m - p.height();
            p.draw(left, left + room, top, Align::RaggedRight, ink, &mut out);
        }
    }
    out
}

/// The spine's title and authors, as large as the spine's width allows
/// (up to 18 pt) and short enough to keep the safe area at head and
/// foot; `None` when the spine is too narrow for legible type.
fn spine(fonts: &TextFonts, book: &Book, g: &Geometry, safe: f32, ink: Rgb) -> Option<SpineType> {
    let room_across = g.spine - 2.0 * SPINE_MARGIN;
    let room_along = g.height - 2.0 * safe.max(SPINE_MARGIN);
    let mut parts = vec![(
        text::line(
            fonts,
            book.meta.title.trim(),
            FontChoice::new(Role::Display, true, false),
        ),
        ink,
    )];
    let people = book.meta.creators();
    if !people.is_empty() {
        let names = crate::typography::join_names(&people, &book.meta.language.primary());
        parts.push((
            text::line(fonts, &names, FontChoice::new(Role::Display, false, false)),
            ink,
        ));
    }
    let mut t = SpineType {
        parts,
        size: 1.0,
        gap: 1.5,
    };
    let (asc, desc) = t.extent();
    let across = room_across / (asc - desc).max(0.1);
    let along = room_along / t.length().max(0.1);
    t.size = across.min(along).min(MAX_SPINE_TYPE);
    if t.size < MIN_SPINE_TYPE {
        // The authors go first when both do not fit; then the spine stays
        // plain.
        t.parts.truncate(1);
        t.size = 1.0;
        let along = room_along / t.length().max(0.1);
        t.size = across.min(along).min(MAX_SPINE_TYPE);
        if t.size < MIN_SPINE_TYPE {
            return None;
        }
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(title: &str, authors: &[&str]) -> Book {
        Book {
            meta: crate::model::Metadata {
                title: title.into(),
                authors: authors.iter().map(|a| a.to_string()).collect(),
                ..Default::default()
            },
            settings: Default::default(),
            cover: None,
            chapters: Vec::new(),
            root: Default::default(),
        }
    }

    #[test]
    fn geometry_follows_the_page_count_and_the_paper() {
        let book = book("T", &[]);
        let cream = Paper::named("cream").unwrap();
        let g = Geometry::new(&book, 200, &cream);
        assert!((g.spine - 36.0).abs() < 1e-3, "200 / 400 ppi = 0.5 in");
        assert_eq!(g.trim(), (900.0, 648.0));
        assert_eq!(g.outer(), (918.0, 666.0));
        // An odd count is printed on an even number of pages.
        assert_eq!(Geometry::new(&book, 199, &cream).pages, 200);
    }

    #[test]
    fn spine_type_fits_the_spine_or_is_left_out() {
        let engine = Engine::new();
        let book = book("Kazakhstan’s New National Story", &["Alikhan Baimenov"]);
        let fonts = engine.bundled().clone();
        let ink = Rgb(0, 0, 0);
        for pages in [60u32, 120, 200, 600] {
            let g = Geometry::new(&book, pages, &Paper::default());
            match spine(&fonts, &book, &g, 18.0, ink) {
                Some(t) => {
                    let (a, d) = t.extent();
                    assert!((a - d) * t.size <= g.spine - 2.0 * SPINE_MARGIN + 1e-3);
                    assert!(t.length() <= g.height - 36.0 + 1e-3);
                    assert!(t.size >= MIN_SPINE_TYPE && t.size <= MAX_SPINE_TYPE);
                }
                None => assert!(pages < 100, "{pages} pages: no spine type"),
            }
        }
    }
}
