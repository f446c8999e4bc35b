//! The typesetting engine: styled paragraph text -> justified, hyphenated
//! lines of positioned glyph runs, ready for the page builder.
//!
//! Stages, one module each:
//! - [`engine`]: the [`Engine`] the caller owns and passes down: font
//!   books, the words shaped in them, warm typesetters;
//! - [`cache`]: a book's set paragraphs, kept between its builds by an
//!   engine that is asked to;
//! - [`fonts`]: the [`FontBook`] (bundled and `[fonts]` families, parsed
//!   once, fallback per character);
//! - [`paragraph`]: model inlines -> [`StyledText`] (one string + styles,
//!   links, note references);
//! - [`shape`]: rustybuzz shaping with a word cache;
//! - [`hyphenate`]: hyphenation points by language;
//! - [`linebreak`]: the Knuth–Plass total-fit breaker;
//! - [`microtype`]: protrusion and the bounds of glyph expansion;
//! - `set` (private): the glue between them, from a [`ParagraphSpec`] to a
//!   [`SetParagraph`].
//!
//! Text positions: every [`PositionedGlyph`] and [`Line`] carries a byte
//! range into [`SetParagraph::text`], whose first
//! [`SetParagraph::source_len`] bytes are the paragraph's plain text (the
//! concatenation of its styled spans). A hyphen inserted at a hyphenation
//! break points at the two bytes after that: a U+00AD SOFT HYPHEN, which is
//! how PDF text extraction represents a line-end hyphen that is not part of
//! the word (ISO 32000-1, 14.8.2.2.3).
//!
//! Usage (the page builder):
//! ```no_run
//! use qalam::internals::typeset::*;
//! use qalam::model::{Inline, Lang};
//! let engine = Engine::new();
//! let (fonts, _diags) = engine.fonts(&Default::default());
//! let mut ts = fonts.typesetter();
//! let text = StyledText::from_inlines(&[Inline::Text("Hello".into())], &TextStyle::body(10.5));
//! let lang = Lang::english();
//! let set = ts.set_paragraph(&ParagraphSpec::justified(&text, 334.8, 10.5, &lang));
//! for line in &set.lines {
//!     for run in &line.runs {
//!         // surface.draw_glyphs(Point::from_xy(left + run.x, baseline - run.baseline_shift),
//!         //     &run.glyphs, ts.fonts().krilla_font(run.font).unwrap(), set.text(), run.size, false);
//!     }
//! }
//! ```

mod advances;
pub mod cache;
pub mod engine;
pub mod fonts;
pub mod hyphenate;
pub mod linebreak;
pub mod microtype;
pub mod paragraph;
mod set;
pub mod shape;

pub use cache::SetStats;
pub use engine::{Engine, TextFonts};
pub use fonts::{Family, FontBook, FontId};
pub use paragraph::{Figures, LinkTarget, NoteAnchor, StyledText, TextStyle};

use crate::diag::{Diagnostic, SourceMap};
use crate::model::{Lang, Span};
use shape::Shaper;
use std::ops::Range;
use std::sync::Arc;

/// How the lines of a paragraph are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Justified on both sides; the last line is set at natural width.
    Justify,
    /// Ragged right, with balanced line lengths (headings, pull quotes, captions).
    RaggedRight,
    /// Centred, with balanced line lengths.
    Center,
}

/// What to set and how.
#[derive(Debug, Clone)]
pub struct ParagraphSpec<'a> {
    pub text: &'a StyledText,
    /// Line length in pt.
    pub measure: f32,
    /// First-line indent in pt.
    pub indent: f32,
    pub align: Align,
    /// The paragraph's language (spans may override it).
    pub lang: &'a Lang,
    pub hyphenate: bool,
    /// Protrusion and glyph expansion during justification (`[pdf] microtype`).
    pub microtype: bool,
    /// Bounds of glyph expansion in justified lines (with `microtype`).
    pub expansion: microtype::Expansion,
    /// Lines more (or fewer) than the optimum, as TeX's \looseness.
    pub looseness: i32,
}

impl<'a> ParagraphSpec<'a> {
    /// Justified, hyphenated, with microtype and a first-line indent.
    pub fn justified(text: &'a StyledText, measure: f32, indent: f32, lang: &'a Lang) -> Self {
        ParagraphSpec {
            text,
            measure,
            indent,
            align: Align::Justify,
            lang,
            hyphenate: true,
            microtype: true,
            expansion: microtype::Expansion::default(),
            looseness: 0,
        }
    }

    /// Ragged right with balanced lines, not hyphenated, no indent.
    pub fn ragged(text: &'a StyledText, measure: f32, lang: &'a Lang) -> Self {
        ParagraphSpec {
            text,
            measure,
            indent: 0.0,
            align: Align::RaggedRight,
            lang,
            hyphenate: false,
            microtype: true,
            expansion: microtype::Expansion::default(),
            looseness: 0,
        }
    }

    /// Centred, plain: no hyphens, no microtype, no expansion, as a running
    /// head or a heading set on its own is.
    pub fn centred(text: &'a StyledText, measure: f32, lang: &'a Lang) -> Self {
        ParagraphSpec {
            text,
            measure,
            indent: 0.0,
            align: Align::Center,
            lang,
            hyphenate: false,
            microtype: false,
            expansion: microtype::Expansion::NONE,
            looseness: 0,
        }
    }
}

/// One glyph, positioned relative to the previous one. Advances and offsets
/// are in em of the run's size (as krilla's `KrillaGlyph`).
#[derive(Debug, Clone, PartialEq)]
pub struct PositionedGlyph {
    pub id: u16,
    pub x_advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// Bytes of [`SetParagraph::text`] this glyph's cluster stands for
    /// (a ligature covers several characters; several glyphs of one cluster
    /// share it).
    pub text: Range<u32>,
}

impl krilla::text::Glyph for PositionedGlyph {
    fn glyph_id(&self) -> krilla::text::GlyphId {
        krilla::text::GlyphId::new(self.id as u32)
    }
    fn text_range(&self) -> Range<usize> {
        self.text.start as usize..self.text.end as usize
    }
    fn x_advance(&self, size: f32) -> f32 {
        self.x_advance * size
    }
    fn x_offset(&self, size: f32) -> f32 {
        self.x_offset * size
    }
    fn y_offset(&self, size: f32) -> f32 {
        self.y_offset * size
    }
    fn y_advance(&self, _size: f32) -> f32 {
        0.0
    }
    fn location(&self) -> Option<krilla::surface::Location> {
        None
    }
}

/// Glyphs of one font, size and style, drawn from `x` on the baseline
/// (raised by `baseline_shift`).
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    pub font: FontId,
    /// Font size in pt.
    pub size: f32,
    /// Start, in pt from the left edge of the text block (negative when a
    /// protruding character hangs into the margin).
    pub x: f32,
    /// Width in pt on the page (sum of advances times `hscale`).
    pub width: f32,
    /// Horizontal scale the run is drawn under (glyph expansion of a
    /// justified line; 1 for most runs). Advances and offsets of its glyphs
    /// are before the scale.
    pub hscale: f32,
    /// Baseline shift in pt, positive upwards (superscripts).
    pub baseline_shift: f32,
    pub glyphs: Vec<PositionedGlyph>,
    /// Source bytes covered (smallest start .. largest end of its glyphs).
    pub text_range: Range<usize>,
    /// Index into [`SetParagraph::links`].
    pub link: Option<u32>,
    /// Endnote number, for a note reference mark.
    pub note: Option<u32>,
    pub bold: bool,
    pub italic: bool,
    pub rtl: bool,
    /// The language of a span that differs from the paragraph's
    /// (`Inline::Foreign`); runs split where it changes, so that the PDF
    /// can tag the phrase with its own `/Lang`.
    pub lang: Option<Lang>,
}

/// One line of a set paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Runs in visual order, left to right.
    pub runs: Vec<GlyphRun>,
    /// Width of the set line in pt, from its leftmost to its rightmost glyph
    /// edge (protruding characters included).
    pub width: f32,
    /// Adjustment ratio: 0 natural spacing, 1 fully stretched, -1 fully shrunk.
    pub ratio: f32,
    /// Ends with a hyphen (inserted or an explicit hyphen of the text).
    pub hyphenated: bool,
    /// Source bytes of this line; consecutive lines' ranges tile the text
    /// (a space at a break belongs to the line before it).
    pub text_range: Range<usize>,
}

/// A character no font covers.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingGlyph {
    pub ch: char,
    /// Byte offset in the paragraph text.
    pub offset: usize,
    /// Emoji are replaced by a visible box and only warned about.
    pub emoji: bool,
}

/// A paragraph set into lines.
#[derive(Debug, Clone, PartialEq)]
pub struct SetParagraph {
    text: String,
    source_len: usize,
    pub lines: Vec<Line>,
    pub links: Vec<LinkTarget>,
    pub notes: Vec<NoteAnchor>,
    pub missing: Vec<MissingGlyph>,
    /// Words too long for any line and without a hyphenation point that
    /// helps, broken with a hyphen wherever the line is full (warned about).
    pub broken_words: Vec<Range<usize>>,
    /// Total demerits of the chosen breaks.
    pub demerits: f64,
    /// Whether the breaker needed its emergency pass.
    pub emergency: bool,
}

impl SetParagraph {
    /// The text glyph ranges index into: the paragraph text followed by a
    /// soft hyphen for inserted hyphens. Pass this to `draw_glyphs`.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The paragraph's plain text.
    pub fn source_text(&self) -> &str {
        &self.text[..self.source_len]
    }

    pub fn source_len(&self) -> usize {
        self.source_len
    }

    /// Diagnostics for characters no font covers: `no-glyph` errors, and
    /// warnings for emoji (drawn as a visible box). `at` points them at the
    /// paragraph's source.
    pub fn diagnostics(&self, at: Option<(&SourceMap, Span)>) -> Vec<Diagnostic> {
        self.missing
            .iter()
            .map(|m| {
                let src = self.source_text();
                let from = floor_char(src, m.offset.saturating_sub(24));
                let to = ceil_char(src, (m.offset + 24).min(src.len()));
                let context = src[from..to].trim();
                let what = format!("U+{:04X} `{}`", m.ch as u32, m.ch);
                let d = if m.emoji {
                    Diagnostic::warning(
                        "no-glyph",
                        format!("no font has the emoji {what} (in “{context}”); it is shown as a box"),
                    )
                    .help("install a colour emoji font (Debian: `apt-get install fonts-noto-color-emoji`), add a font that has it to `[fonts] dirs`, or remove the emoji")
                } else {
                    Diagnostic::error(
                        "no-glyph",
                        format!("no font has a glyph for {what} (in “{context}”)"),
                    )
                    .help("install a font that has it, qalam looks among the system's fonts (Debian: `apt-get install fonts-noto-cjk` for Chinese, Japanese and Korean, `fonts-noto` for other scripts), or name a `[fonts]` family that covers it, or add its font folder to `[fonts] dirs`")
                };
                match at {
                    Some((sources, span)) => d.at(sources, span),
                    None => d,
                }
            })
            .chain(self.broken_words.iter().map(|r| {
                let word = self.source_text().get(r.clone()).unwrap_or("");
                let d = Diagnostic::warning(
                    "long-word",
                    format!("“{word}” is longer than a line and was broken where the line is full, not at a syllable"),
                )
                .help("add soft hyphens (U+00AD) where it may break, or mark its language so that it is hyphenated");
                match at {
                    Some((sources, span)) => d.at(sources, span),
                    None => d,
                }
            }))
            .collect()
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Sets paragraphs. Owns its own caches and shares the engine's text fonts
/// (the font book and its shaped words) with the other typesetters of the
/// [`Engine`] (one per thread).
pub struct Typesetter {
    fonts: TextFonts,
    shaper: Shaper,
    scratch: set::Scratch,
}

impl Typesetter {
    /// A typesetter with words of its own for `fonts` (tests, tools);
    /// builds take theirs from an [`Engine`].
    pub fn new(fonts: Arc<FontBook>) -> Typesetter {
        TextFonts::of_book(fonts).typesetter()
    }

    fn with_state(fonts: TextFonts, warm: Option<engine::Warm>) -> Typesetter {
        let warm = warm.unwrap_or_else(|| engine::Warm {
            shaper: Shaper::new(),
            scratch: set::Scratch::default(),
        });
        Typesetter {
            fonts,
            shaper: warm.shaper,
            scratch: warm.scratch,
        }
    }

    fn into_warm(self) -> engine::Warm {
        engine::Warm {
            shaper: self.shaper,
            scratch: self.scratch,
        }
    }

    pub fn fonts(&self) -> &Arc<FontBook> {
        self.fonts.book()
    }

    /// Number of distinct words in the shaping cache.
    pub fn cached_words(&self) -> usize {
        self.shaper.cached_words()
    }

    /// Sets one paragraph. Never panics on any text.
    pub fn set_paragraph(&mut self, spec: &ParagraphSpec<'_>) -> SetParagraph {
        set::set_paragraph(self, spec)
    }
}

#[cfg(test)]
mod craft_tests;
#[cfg(test)]
mod tests;
