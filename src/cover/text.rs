//! Cover type: shaped by the typesetter's shaper in the text engine's
//! bundled font book (the faces the book is set in), line breaking that
//! balances lines, shrinking until a text fits its box, and glyph outlines
//! as paths.
//!
//! Text is drawn as outlines rather than as text in a font, so what is
//! measured here is exactly what the raster, the PDF and the SVG show: no
//! font lookup at render time, no second layout engine to disagree with.
//! Extents are the glyphs' ink boxes, so nothing can stick out of a margin.

use super::colour::Rgb;
use super::shape::Shape;
use crate::fonts::Role;
use crate::typeset::linebreak::{self, INFINITY_PENALTY, Item, Params};
use crate::typeset::shape::{Features, ShapeKey, Shaper};
use crate::typeset::{Align, Family, FontBook, FontId, TextFonts};
use rustybuzz::Face;
use std::sync::Arc;
use unicode_segmentation::UnicodeSegmentation;

/// One face of the engine's font book with the metrics the cover needs.
#[derive(Clone)]
pub struct Font {
    book: Arc<FontBook>,
    id: FontId,
    upem: f32,
    /// Top and bottom of a line box (font units, descender negative).
    ascender: f32,
    descender: f32,
}

impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Font")
            .field("upem", &self.upem)
            .finish_non_exhaustive()
    }
}

impl Font {
    /// The cover's view of face `id`; `None` when it does not parse.
    fn new(book: &Arc<FontBook>, id: FontId) -> Option<Font> {
        let face = book.face(id).rb()?;
        // The larger of hhea and Windows metrics, so accented capitals
        // (Й, Ä, Ә) stay inside the line box.
        let os2 = face.tables().os2;
        let ascender =
            f32::from(face.ascender()).max(os2.map_or(0.0, |t| f32::from(t.windows_ascender())));
        let descender = f32::from(face.descender()).min(os2.map_or(0.0, |t| {
            -f32::from(t.windows_descender().unsigned_abs() as i16)
        }));
        Some(Font {
            book: book.clone(),
            id,
            upem: face.units_per_em() as f32,
            ascender,
            descender,
        })
    }

    /// A face that does not parse: it draws nothing, and its metrics are
    /// the typesetter's defaults, so that a damaged build still makes a
    /// cover instead of panicking.
    fn unparsed(book: &Arc<FontBook>, id: FontId) -> Font {
        let m = book.face(id).metrics();
        Font {
            book: book.clone(),
            id,
            upem: m.units_per_em,
            ascender: m.ascender * m.units_per_em,
            descender: m.descender * m.units_per_em,
        }
    }

    /// The parsed face (parsed once per font book).
    fn face(&self) -> Option<&Face<'_>> {
        self.book.face(self.id).rb()
    }

    fn has(&self, c: char) -> bool {
        self.face().is_some_and(|f| f.glyph_index(c).is_some())
    }
}

/// A face chosen by role and style, as in the book design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FontChoice {
    pub role: Role,
    pub bold: bool,
    pub italic: bool,
}

impl FontChoice {
    pub const fn new(role: Role, bold: bool, italic: bool) -> Self {
        FontChoice { role, bold, italic }
    }

    fn font(self, fonts: &TextFonts) -> Font {
        let book = fonts.book();
        let family = match self.role {
            Role::Text => Family::Body,
            Role::Display => Family::Heading,
            Role::Mono => Family::Mono,
            Role::Arabic => Family::Arabic,
        };
        let wanted = book.select(family, self.bold, self.italic);
        // Every bundled face parses (a test in `fonts` checks each one);
        // should one not, any face that does is better than no cover.
        std::iter::once(wanted)
            .chain(book.faces().map(|(id, _)| id))
            .find_map(|id| Font::new(book, id))
            .unwrap_or_else(|| Font::unparsed(book, wanted))
    }

    /// This face if it has every letter of `text`; else the first bundled
    /// family of the same style that has them (Noto Sans covers Latin,
    /// Cyrillic and Greek; Noto Naskh Arabic the Arabic script).
    fn for_text(self, fonts: &TextFonts, text: &str) -> Font {
        let covers = |f: &Font| {
            text.chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .all(|c| f.has(c))
        };
        [self.role, Role::Display, Role::Text, Role::Arabic]
            .into_iter()
            .map(|role| FontChoice { role, ..self }.font(fonts))
            .find(|f| covers(f))
            .unwrap_or_else(|| self.font(fonts))
    }
}

/// How a text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub font: FontChoice,
    /// Extra space after each letter, in em (letter-spaced capitals).
    pub tracking: f32,
    pub uppercase: bool,
    /// Baseline to baseline, in multiples of the size.
    pub line_height: f32,
}

/// The box a text must fit, and how large it may be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub max_width: f32,
    pub max_height: f32,
    pub max_size: f32,
    /// Below this size, words too long for a line are broken between
    /// letters instead of shrinking further.
    pub min_size: f32,
    pub max_lines: usize,
}

/// One glyph, positioned in font units from the start of its word.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    id: ttf_parser::GlyphId,
    x: f32,
    y: f32,
}

/// A shaped word (text between spaces), in font units.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    glyphs: Vec<Glyph>,
    advance: f32,
    /// Ink extent from the pen position: left and right edge.
    ink_left: f32,
    ink_right: f32,
}

/// A text set at one size in lines: the result of [`fit`].
#[derive(Debug, Clone)]
pub struct Paragraph {
    font: Font,
    pub size: f32,
    rtl: bool,
    line_height: f32,
    space: f32,
    lines: Vec<Vec<Word>>,
}

/// A laid-out line's ink box, in canvas units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl BBox {
    pub fn union(self, o: BBox) -> BBox {
        BBox {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }
    pub fn within(&self, o: &BBox) -> bool {
        self.x0 >= o.x0 - 1e-3
            && self.y0 >= o.y0 - 1e-3
            && self.x1 <= o.x1 + 1e-3
            && self.y1 <= o.y1 + 1e-3
    }
}

impl Paragraph {
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    fn scale(&self) -> f32 {
        self.size / self.font.upem
    }

    /// Height of the block: from the top of the first line box to the
    /// bottom of the last.
    pub fn height(&self) -> f32 {
        block_height(&self.font, self.size, self.line_height, self.lines.len())
    }

    /// Distance from the block's top to the first baseline.
    pub fn first_baseline(&self) -> f32 {
        self.font.ascender * self.scale()
    }

    /// Baseline-to-baseline distance.
    pub fn leading(&self) -> f32 {
        self.size * self.line_height
    }

    /// Width of the widest line (ink and advance).
    pub fn width(&self) -> f32 {
        self.lines
            .iter()
            .map(|l| {
                let (lo, hi) = line_extent(l, self.space);
                hi - lo
            })
            .fold(0.0, f32::max)
            * self.scale()
    }

    /// The ink box of the paragraph drawn with its top left at the origin.
    pub fn ink(&self, align: Align, width: f32) -> Option<BBox> {
        let mut scratch = Vec::new();
        self.draw(0.0, width, 0.0, align, Rgb(0, 0, 0), &mut scratch)
            .into_iter()
            .reduce(BBox::union)
    }

    /// Draws the paragraph with its top at `top`, in the column from `left`
    /// to `right`: centred, or (`RaggedRight`, and `Justify`, which a cover
    /// does not use) from the start edge, the right one for right-to-left
    /// text. Appends one shape per line to `out` and returns the ink
    /// box of every line.
    pub fn draw(
        &self,
        left: f32,
        right: f32,
        top: f32,
        align: Align,
        fill: Rgb,
        out: &mut Vec<Shape>,
    ) -> Vec<BBox> {
        let s = self.scale();
        let mut boxes = Vec::new();
        let Some(face) = self.font.face() else {
            return boxes;
        };
        for (i, line) in self.lines.iter().enumerate() {
            let baseline = top + self.first_baseline() + i as f32 * self.leading();
            let words: Vec<&Word> = if self.rtl {
                line.iter().rev().collect()
            } else {
                line.iter().collect()
            };
            let (lo, hi) = line_extent(words.iter().copied(), self.space);
            let width = (hi - lo) * s;
            let start = match (align, self.rtl) {
                (Align::Center, _) => left + (right - left - width) / 2.0,
                (_, false) => left,
                (_, true) => right - width,
            };
            // Pen position of the first word drawn (leftmost).
            let mut pen = start - lo * s;
            let mut path = tiny_skia::PathBuilder::new();
            let mut ink: Option<BBox> = None;
            for w in words {
                for g in &w.glyphs {
                    let mut b = Outline {
                        path: &mut path,
                        x: pen + g.x * s,
                        y: baseline - g.y * s,
                        s,
                    };
                    if let Some(r) = face.outline_glyph(g.id, &mut b) {
                        let gb = BBox {
                            x0: pen + (g.x + f32::from(r.x_min)) * s,
                            x1: pen + (g.x + f32::from(r.x_max)) * s,
                            y0: baseline - (g.y + f32::from(r.y_max)) * s,
                            y1: baseline - (g.y + f32::from(r.y_min)) * s,
                        };
                        ink = Some(ink.map_or(gb, |i| i.union(gb)));
                    }
                }
                pen += (w.advance + self.space) * s;
            }
            if let Some(path) = path.finish() {
                out.push(Shape { fill, path });
            }
            boxes.extend(ink);
        }
        boxes
    }
}

fn block_height(font: &Font, size: f32, line_height: f32, lines: usize) -> f32 {
    if lines == 0 {
        return 0.0;
    }
    let s = size / font.upem;
    (font.ascender - font.descender) * s + (lines - 1) as f32 * size * line_height
}

/// Left and right extent of a line from its pen start, in font units:
/// advances, widened where ink overhangs them.
fn line_extent<'a>(line: impl IntoIterator<Item = &'a Word>, space: f32) -> (f32, f32) {
    let mut pen = 0.0f32;
    let (mut lo, mut hi) = (0.0f32, 0.0f32);
    for (i, w) in line.into_iter().enumerate() {
        if i > 0 {
            pen += space;
        }
        lo = lo.min(pen + w.ink_left);
        hi = hi.max(pen + w.advance.max(w.ink_right));
        pen += w.advance;
    }
    (lo, hi)
}

/// Sets `text` as large as `fit` allows: the largest size (stepping down by
/// 4 %) at which the lines, broken and balanced, fit the box. Never clips:
/// below `min_size`, words wider than the box are broken between letters,
/// and the size keeps shrinking until the text fits.
pub fn fit(fonts: &TextFonts, text: &str, style: &TextStyle, fit: &Fit) -> Paragraph {
    let text = if style.uppercase {
        text.to_uppercase()
    } else {
        text.to_string()
    };
    let font = style.font.for_text(fonts, &text);
    let tracking = style.tracking * font.upem;
    let rtl = matches!(
        unicode_bidi::get_base_direction(text.as_str()),
        unicode_bidi::Direction::Rtl
    );
    let space = font
        .face()
        .and_then(|f| f.glyph_hor_advance(f.glyph_index(' ')?))
        .map_or(font.upem * 0.25, f32::from)
        + tracking;
    let mut shaper = WordShaper::new(fonts, &font, tracking);
    let words: Vec<Word> = split_words(&text).map(|w| shaper.shape(w)).collect();
    let make = |size: f32, (pieces, lines): (Vec<Word>, Vec<std::ops::Range<usize>>)| Paragraph {
        font: font.clone(),
        size,
        rtl,
        line_height: style.line_height,
        space,
        lines: lines.into_iter().map(|r| pieces[r].to_vec()).collect(),
    };
    let mut size = fit.max_size;
    let first = loop {
        let tiny = size < fit.max_size * 0.02 || size < 0.5;
        match attempt(&mut shaper, &words, space, style, fit, size) {
            Attempt::Fits(set) => break (size, set),
            Attempt::TooBig(set) if tiny => return make(size, set),
            _ => size *= 0.96,
        }
    };
    // A designer gives up a little size to save a line (no lone "Story" on
    // a line of its own): take up to 14 % smaller type for fewer lines.
    let (mut best_size, mut best) = first;
    let floor = (best_size * 0.86).max(fit.min_size);
    size = best_size * 0.96;
    while size >= floor {
        if let Attempt::Fits(set) = attempt(&mut shaper, &words, space, style, fit, size)
            && set.1.len() < best.1.len()
        {
            (best_size, best) = (size, set);
        }
        size *= 0.96;
    }
    make(best_size, best)
}

enum Attempt {
    Fits((Vec<Word>, Vec<std::ops::Range<usize>>)),
    TooBig((Vec<Word>, Vec<std::ops::Range<usize>>)),
    /// A word is wider than the measure and the size may still shrink.
    WordTooWide,
}

/// Breaks the words into lines at `size`.
fn attempt(
    shaper: &mut WordShaper<'_>,
    words: &[Word],
    space: f32,
    style: &TextStyle,
    fit: &Fit,
    size: f32,
) -> Attempt {
    let font = shaper.font;
    let s = size / font.upem;
    let max_w = fit.max_width / s;
    let widest = words.iter().map(word_width).fold(0.0, f32::max);
    let tiny = size < fit.max_size * 0.02 || size < 0.5;
    if widest > max_w && size > fit.min_size && !tiny {
        return Attempt::WordTooWide;
    }
    let pieces: Vec<Word> = words
        .iter()
        .flat_map(|w| {
            if word_width(w) > max_w {
                shaper.break_word(w, max_w)
            } else {
                vec![w.clone()]
            }
        })
        .collect();
    let lines = break_lines(&pieces, space, max_w);
    let fits = lines.len() <= fit.max_lines.max(1)
        && block_height(font, size, style.line_height, lines.len()) <= fit.max_height;
    if fits {
        Attempt::Fits((pieces, lines))
    } else {
        Attempt::TooBig((pieces, lines))
    }
}

/// Words of a text: split at breaking spaces only, so the no-break spaces
/// the typography pass put in (`т. е.`, `10 000`) keep their words together.
fn split_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}'))
        .filter(|w| !w.is_empty())
}

fn word_width(w: &Word) -> f32 {
    w.advance.max(w.ink_right) - w.ink_left.min(0.0)
}

/// Shapes the words of one text with the typesetter's [`Shaper`], in one
/// face, letter-spaced by `tracking` (font units).
struct WordShaper<'a> {
    fonts: &'a TextFonts,
    font: &'a Font,
    tracking: f32,
    shaper: Shaper,
    lang: u16,
    glyphs: Vec<crate::typeset::shape::ShapedGlyph>,
}

impl<'a> WordShaper<'a> {
    fn new(fonts: &'a TextFonts, font: &'a Font, tracking: f32) -> Self {
        let mut shaper = Shaper::new();
        // Cover texts mix the book's language with names in others: no
        // language is assumed ("und": the script's default forms).
        let lang = shaper.lang_id(fonts.words(), "und");
        WordShaper {
            fonts,
            font,
            tracking,
            shaper,
            lang,
            glyphs: Vec::new(),
        }
    }

    fn shape(&mut self, text: &str) -> Word {
        let font = self.font;
        let rtl = matches!(
            unicode_bidi::get_base_direction(text),
            unicode_bidi::Direction::Rtl
        );
        let key = ShapeKey {
            font: font.id,
            // Letter-spaced text must not form ligatures (the spacing would
            // split `fi` visibly in two otherwise).
            features: if self.tracking != 0.0 {
                Features(Features::NO_LIGA)
            } else {
                Features::default()
            },
            rtl,
            lang: self.lang,
        };
        self.glyphs.clear();
        self.shaper
            .shape(self.fonts.book(), key, text, &mut self.glyphs);
        let face = font.face();
        let mut glyphs = Vec::with_capacity(self.glyphs.len());
        let mut pen = 0.0f32;
        let (mut lo, mut hi) = (0.0f32, 0.0f32);
        let n = self.glyphs.len();
        for (i, g) in self.glyphs.iter().enumerate() {
            let id = ttf_parser::GlyphId(g.id);
            let x = pen + g.x_offset as f32;
            let y = g.y_offset as f32;
            if let Some(r) = face.and_then(|f| f.glyph_bounding_box(id)) {
                lo = lo.min(x + f32::from(r.x_min));
                hi = hi.max(x + f32::from(r.x_max));
            }
            glyphs.push(Glyph { id, x, y });
            pen += g.x_advance as f32;
            if i + 1 < n {
                pen += self.tracking;
            }
        }
        Word {
            text: text.to_string(),
            glyphs,
            advance: pen,
            ink_left: lo,
            ink_right: hi,
        }
    }

    /// Breaks a word too wide for a line between letters (grapheme
    /// clusters), as few pieces as possible.
    fn break_word(&mut self, w: &Word, max_w: f32) -> Vec<Word> {
        let mut pieces = Vec::new();
        let mut current = String::new();
        for g in w.text.graphemes(true) {
            let candidate = format!("{current}{g}");
            if !current.is_empty() && word_width(&self.shape(&candidate)) > max_w {
                pieces.push(self.shape(&current));
                current = g.to_string();
            } else {
                current = candidate;
            }
        }
        if !current.is_empty() {
            pieces.push(self.shape(&current));
        }
        pieces
    }
}

/// Lines of `words` at `max_w` (font units), broken by the typesetter's
/// line breaker in its balanced mode ([`Params::balanced`]): the fewest
/// lines, as even as they can be, as a designer breaks a title, instead of
/// full lines and a widow. Ranges of word indices.
fn break_lines(words: &[Word], space: f32, max_w: f32) -> Vec<std::ops::Range<usize>> {
    if words.is_empty() {
        return Vec::new();
    }
    // Word i is the box at 2i, the space before it the glue at 2i - 1;
    // the last item forces the final break. A box is the word's extent,
    // ink included, so a line that fits by the items fits in ink.
    let mut items = Vec::with_capacity(words.len() * 2);
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            items.push(Item::glue(space, 0.0, 0.0));
        }
        items.push(Item::boxed(word_width(w), 0.0, 0.0));
    }
    items.push(Item::penalty(0.0, -INFINITY_PENALTY, false));
    let breaks = linebreak::total_fit(&items, &Params::balanced(max_w));
    let mut lines = Vec::new();
    let mut start = 0;
    for b in &breaks.breaks {
        let end = (b.at.div_ceil(2)).min(words.len());
        if end > start {
            lines.push(start..end);
            start = end;
        }
    }
    if start < words.len() {
        lines.push(start..words.len());
    }
    lines
}

/// Adds glyph outlines to a path, scaled and flipped (font units grow
/// upward, the canvas downward).
struct Outline<'a> {
    path: &'a mut tiny_skia::PathBuilder,
    x: f32,
    y: f32,
    s: f32,
}

impl Outline<'_> {
    fn pt(&self, x: f32, y: f32) -> (f32, f32) {
        (self.x + x * self.s, self.y - y * self.s)
    }
}

/// A coordinate with two decimals and no trailing zeros: small files, and
/// the same bytes on every machine.
pub fn num(v: f32) -> String {
    let r = (v * 100.0).round() / 100.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let s = format!("{r:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

impl ttf_parser::OutlineBuilder for Outline<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.pt(x, y);
        self.path.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.pt(x, y);
        self.path.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (x1, y1) = self.pt(x1, y1);
        let (x, y) = self.pt(x, y);
        self.path.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (x1, y1) = self.pt(x1, y1);
        let (x2, y2) = self.pt(x2, y2);
        let (x, y) = self.pt(x, y);
        self.path.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.path.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLE: TextStyle = TextStyle {
        font: FontChoice::new(Role::Text, true, false),
        tracking: 0.0,
        uppercase: false,
        line_height: 1.1,
    };

    fn boxed(w: f32, h: f32) -> Fit {
        Fit {
            max_width: w,
            max_height: h,
            max_size: 200.0,
            min_size: 40.0,
            max_lines: 8,
        }
    }

    fn fonts() -> TextFonts {
        crate::typeset::Engine::new().bundled().clone()
    }

    fn fit(text: &str, style: &TextStyle, fit: &Fit) -> Paragraph {
        super::fit(&fonts(), text, style, fit)
    }

    #[test]
    fn bundled_faces_cover_kazakh_and_russian() {
        let fonts = fonts();
        for (id, face) in fonts.book().faces() {
            let f = Font::new(fonts.book(), id).expect("parses");
            let file = &face.origin;
            if file.contains("Vollkorn") || file.contains("NotoSans-") {
                for c in "ӘәҒғҚқҢңӨөҰұҮүҺһІіЁёЙй«»—".chars() {
                    assert!(f.has(c), "{file} lacks {c}");
                }
            }
        }
    }

    #[test]
    fn short_text_keeps_the_largest_size() {
        let p = fit("Short", &TITLE, &boxed(1300.0, 800.0));
        assert_eq!(p.size, 200.0);
        assert_eq!(p.line_count(), 1);
    }

    #[test]
    fn long_text_wraps_and_shrinks_inside_the_box() {
        let t = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty";
        let p = fit(t, &TITLE, &boxed(1300.0, 800.0));
        assert!(p.size < 200.0 && p.line_count() > 2);
        assert!(p.height() <= 800.0 && p.width() <= 1300.0);
        let mut shapes = Vec::new();
        let boxes = p.draw(
            100.0,
            1400.0,
            50.0,
            Align::RaggedRight,
            Rgb(0, 0, 0),
            &mut shapes,
        );
        let area = BBox {
            x0: 100.0,
            y0: 50.0,
            x1: 1400.0,
            y1: 850.0,
        };
        assert!(boxes.iter().all(|b| b.within(&area)), "{boxes:?}");
    }

    #[test]
    fn balanced_lines_avoid_a_lone_last_word() {
        // Greedy breaking at this measure would give three words, then one.
        let p = fit(
            "Kazakhstan’s New National Story",
            &TITLE,
            &boxed(2600.0, 2000.0),
        );
        assert_eq!(p.size, 200.0);
        let words: Vec<usize> = p.lines.iter().map(Vec::len).collect();
        assert_eq!(words, vec![2, 2], "{p:?}");
    }

    #[test]
    fn a_word_wider_than_any_line_is_broken_not_clipped() {
        let p = fit(&"Ж".repeat(60), &TITLE, &boxed(600.0, 2000.0));
        assert!(p.line_count() > 1);
        assert!(p.width() <= 600.0 + 1e-3);
    }
}
