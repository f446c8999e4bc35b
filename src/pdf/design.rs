//! The page design: geometry from `[pdf]` and the text styles of every
//! element, scaled with the body size so that `font-size = "12pt"` keeps the
//! proportions of the default 10.5/14 design.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{NoRoom, PdfSettings, TextBlock};
use crate::typeset::{Family, Figures, TextStyle};

/// Page geometry and type sizes, all in pt.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Design {
    /// Trim size.
    pub w: f32,
    pub h: f32,
    pub inner: f32,
    pub outer: f32,
    pub top: f32,
    pub bottom: f32,
    /// Width of the text block.
    pub measure: f32,
    /// Height of the text block.
    pub text_h: f32,
    /// Body size and leading.
    pub size: f32,
    pub lead: f32,
    pub microtype: bool,
    pub expansion: crate::typeset::microtype::Expansion,
    pub hyphenate: bool,
    /// Bleed of the print variant and whether it gets crop marks.
    pub bleed: f32,
    pub crop_marks: bool,
    pub pdf_a: bool,
}

impl Design {
    /// The design of `[pdf]`; an error when the margins leave too little
    /// room for the type (the reader has reported it already for books it
    /// read).
    pub fn new(s: &PdfSettings) -> Result<Design, Diagnostics> {
        let block = s.text_block().map_err(|e| {
            Diagnostics::from(Diagnostic::error(NoRoom::CODE, e.to_string()).help(NoRoom::HELP))
        })?;
        let TextBlock {
            width: measure,
            height: text_h,
            size,
            lead,
        } = block;
        Ok(Design {
            w: s.trim.width.pt(),
            h: s.trim.height.pt(),
            inner: s.margin_inner.pt(),
            outer: s.margin_outer.pt(),
            top: s.margin_top.pt(),
            bottom: s.margin_bottom.pt(),
            measure,
            text_h,
            size,
            lead,
            microtype: s.microtype,
            expansion: crate::typeset::microtype::Expansion {
                stretch: s.expansion_stretch,
                shrink: s.expansion_shrink,
            },
            hyphenate: s.hyphenate,
            bleed: s.bleed.pt(),
            crop_marks: s.crop_marks,
            pdf_a: s.pdf_a,
        })
    }

    /// Body-size ratio: every other size is the default design's size times this.
    pub fn k(&self) -> f32 {
        self.size / 10.5
    }

    /// Left edge of the text block: the inner margin on right-hand pages.
    pub fn left(&self, recto: bool) -> f32 {
        if recto { self.inner } else { self.outer }
    }

    /// The first baseline sits one body size below the top of the text block.
    pub fn topskip(&self) -> f32 {
        self.size
    }

    /// How many body lines a full page holds.
    pub fn lines_per_page(&self) -> usize {
        ((self.text_h - self.topskip()) / self.lead).floor() as usize + 1
    }

    /// The last baseline of a full page of body text, from the text block top.
    pub fn goal(&self) -> f32 {
        self.topskip() + (self.lines_per_page() - 1) as f32 * self.lead
    }

    pub fn body(&self) -> TextStyle {
        TextStyle::body(self.size)
    }

    pub fn question(&self) -> TextStyle {
        TextStyle::heading(self.size, true)
    }

    pub fn pull(&self) -> (TextStyle, f32) {
        let mut s = TextStyle::body(13.0 * self.k());
        s.italic = true;
        (s, 17.0 * self.k())
    }

    pub fn quote(&self) -> (TextStyle, f32) {
        (TextStyle::body(9.5 * self.k()), 13.0 * self.k())
    }

    pub fn note(&self) -> (TextStyle, f32) {
        (TextStyle::body(9.0 * self.k()), 12.0 * self.k())
    }

    pub fn caption(&self) -> (TextStyle, f32) {
        let mut s = TextStyle::body(9.0 * self.k());
        s.italic = true;
        (s, 12.0 * self.k())
    }

    pub fn code(&self) -> (TextStyle, f32) {
        let mut s = TextStyle::body(8.5 * self.k());
        s.family = Family::Mono;
        s.figures = Figures::Tabular;
        s.acronym_small_caps = false;
        s.breakable_token = true;
        (s, 12.0 * self.k())
    }

    /// Sub-headings `###`..`######`: bold, then italic, in the body face.
    pub fn subheading(&self, level: u8) -> TextStyle {
        let mut s = TextStyle::body(self.size);
        s.figures = Figures::Lining;
        if level <= 3 {
            s.bold = true;
        } else {
            s.italic = true;
        }
        s
    }

    pub fn chapter_title(&self) -> (TextStyle, f32) {
        (TextStyle::heading(20.0 * self.k(), true), 24.0 * self.k())
    }

    pub fn standfirst(&self) -> (TextStyle, f32) {
        let mut s = TextStyle::body(12.0 * self.k());
        s.italic = true;
        (s, 16.0 * self.k())
    }

    /// Names and running heads, given in capitals: every capital set as a
    /// true small capital, a lone "A" as much as "ISLAND".
    pub fn small_caps(&self, size: f32) -> TextStyle {
        let mut s = TextStyle::body(size);
        s.figures = Figures::Lining;
        s.small_caps = true;
        s
    }

    pub fn section_heading(&self) -> (TextStyle, f32) {
        (TextStyle::heading(13.0 * self.k(), true), 17.0 * self.k())
    }

    pub fn folio(&self) -> TextStyle {
        let mut s = TextStyle::body(9.0 * self.k());
        s.figures = Figures::Lining;
        s
    }

    /// Chapter openings start this far below the top of the text block.
    pub fn sink(&self) -> f32 {
        (self.text_h * 0.16).round()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_design_holds_38_lines() {
        let d = Design::new(&PdfSettings::default()).unwrap();
        assert!((d.measure - 334.8).abs() < 0.01);
        assert!((d.text_h - 540.0).abs() < 0.01);
        assert_eq!(d.lines_per_page(), 38);
        assert!(d.goal() <= d.text_h);
    }

    #[test]
    fn tiny_page_is_refused() {
        let mut s = PdfSettings::default();
        s.trim.width = crate::model::Length::inches(1.5);
        let e = Design::new(&s).unwrap_err();
        assert_eq!(
            e.iter().map(|d| d.code).collect::<Vec<_>>(),
            ["pdf-no-room"]
        );
    }
}
