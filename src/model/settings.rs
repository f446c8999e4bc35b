//! Output settings from `book.toml`, resolved to typed values with defaults.

use std::path::PathBuf;

/// A length in PostScript points (1/72 in).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Length(pub f32);

impl Length {
    pub fn pt(self) -> f32 {
        self.0
    }
    pub fn inches(v: f32) -> Length {
        Length(v * 72.0)
    }
    pub fn mm(v: f32) -> Length {
        Length(v * 72.0 / 25.4)
    }

    /// Parses `0.125in`, `3mm`, `0.3cm`, `10.5pt`, `1pc`. A bare number is an error
    /// (the unit is always required, as in CSS).
    pub fn parse(s: &str) -> Result<Length, BadLength> {
        let s = s.trim();
        let split = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
            .ok_or_else(|| BadLength::NoUnit(s.into()))?;
        let (num, unit) = s.split_at(split);
        let v: f32 = num.parse().map_err(|_| BadLength::NotANumber(s.into()))?;
        if !v.is_finite() || v < 0.0 {
            return Err(BadLength::Negative(s.into()));
        }
        let factor = match unit.trim() {
            "pt" => 1.0,
            "in" => 72.0,
            "mm" => 72.0 / 25.4,
            "cm" => 72.0 / 2.54,
            "pc" => 12.0,
            other => {
                return Err(BadLength::UnknownUnit {
                    unit: other.into(),
                    value: s.into(),
                });
            }
        };
        Ok(Length(v * factor))
    }
}

/// Why a length in `book.toml` cannot be read: the message of its
/// `bad-length` diagnostic.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BadLength {
    #[error("`{0}` has no unit; write e.g. `{0}pt`, `{0}mm` or `{0}in`")]
    NoUnit(String),
    #[error("`{0}` is not a length; write e.g. `0.75in` or `12mm`")]
    NotANumber(String),
    #[error("`{0}` must be a non-negative length")]
    Negative(String),
    #[error("unknown unit `{unit}` in `{value}`; use pt, pc, in, mm or cm")]
    UnknownUnit { unit: String, value: String },
}

/// Why a trim size cannot be read: the message of its `bad-trim`
/// diagnostic.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BadTrim {
    #[error("`{0}` is not a page size; write e.g. `6in x 9in`, `148mm x 210mm`, `a5` or `letter`")]
    NotASize(String),
    #[error(transparent)]
    Length(#[from] BadLength),
    #[error("`{0}` is smaller than one inch on a side")]
    TooSmall(String),
}

/// A page (trim) size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrimSize {
    pub width: Length,
    pub height: Length,
}

impl TrimSize {
    /// Parses a named size (`a4`, `a5`, `b5`, `letter`, …) or `W x H` with units.
    pub fn parse(s: &str) -> Result<TrimSize, BadTrim> {
        let named = |w: f32, h: f32| TrimSize {
            width: Length::mm(w),
            height: Length::mm(h),
        };
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => return Ok(named(210.0, 297.0)),
            "a5" => return Ok(named(148.0, 210.0)),
            "a6" => return Ok(named(105.0, 148.0)),
            "b5" => return Ok(named(176.0, 250.0)),
            "b6" => return Ok(named(125.0, 176.0)),
            "letter" => {
                return Ok(TrimSize {
                    width: Length::inches(8.5),
                    height: Length::inches(11.0),
                });
            }
            "digest" => {
                return Ok(TrimSize {
                    width: Length::inches(5.5),
                    height: Length::inches(8.5),
                });
            }
            "trade" | "us-trade" => {
                return Ok(TrimSize {
                    width: Length::inches(6.0),
                    height: Length::inches(9.0),
                });
            }
            _ => {}
        }
        let (w, h) = s
            .split_once(['x', 'X', '×'])
            .ok_or_else(|| BadTrim::NotASize(s.into()))?;
        let width = Length::parse(w)?;
        let height = Length::parse(h)?;
        if width.0 < 72.0 || height.0 < 72.0 {
            return Err(BadTrim::TooSmall(s.into()));
        }
        Ok(TrimSize { width, height })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfVariant {
    /// For reading on screens: trim size, no bleed.
    Screen,
    /// For the printer: bleed, TrimBox/BleedBox, optional crop marks.
    Print,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PdfSettings {
    pub trim: TrimSize,
    pub bleed: Length,
    pub font_size: Length,
    pub leading: Length,
    pub margin_inner: Length,
    pub margin_outer: Length,
    pub margin_top: Length,
    pub margin_bottom: Length,
    pub variants: Vec<PdfVariant>,
    pub crop_marks: bool,
    /// Write PDF/A-2b (archival) instead of a plain PDF.
    pub pdf_a: bool,
    /// Character protrusion and bounded glyph scaling during justification.
    pub microtype: bool,
    /// Bounds of glyph expansion in justified lines, as fractions of the
    /// natural width (`expansion-stretch`, `expansion-shrink`: microtype's
    /// `stretch` and `shrink`, in thousandths in `book.toml`).
    pub expansion_stretch: f32,
    pub expansion_shrink: f32,
    pub hyphenate: bool,
    /// Pictures printed at fewer pixels per inch than this are warned
    /// about in the print variant (`[pdf] warn-ppi`).
    pub warn_ppi: u32,
    /// Pictures printed at fewer pixels per inch than this are an error in
    /// the print variant (`[pdf] min-ppi`).
    pub min_ppi: u32,
}

impl Default for PdfSettings {
    fn default() -> Self {
        PdfSettings {
            trim: TrimSize {
                width: Length::inches(6.0),
                height: Length::inches(9.0),
            },
            bleed: Length::inches(0.125),
            font_size: Length(10.5),
            leading: Length(14.0),
            margin_inner: Length::inches(0.75),
            margin_outer: Length::inches(0.6),
            margin_top: Length::inches(0.7),
            margin_bottom: Length::inches(0.8),
            variants: vec![PdfVariant::Screen],
            crop_marks: false,
            pdf_a: false,
            microtype: true,
            expansion_stretch: 0.02,
            expansion_shrink: 0.02,
            hyphenate: true,
            // What offset and print-on-demand printers ask for, and the
            // floor below which stepped edges show at reading distance.
            warn_ppi: 300,
            min_ppi: 150,
        }
    }
}

/// The smallest text block qalam sets: about 20 characters wide and five
/// lines deep (a question kept with two lines of its answer, plus a line
/// above and below).
const MIN_MEASURE_EM: f32 = 10.0;
const MIN_LINES: f32 = 5.0;

/// The text block inside the page's margins, in pt, and the body type set
/// in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextBlock {
    pub width: f32,
    pub height: f32,
    /// Body size and leading, as the layout uses them (the size clamped to
    /// 4..72 pt, the leading at least 0.8 of it).
    pub size: f32,
    pub lead: f32,
}

/// A page whose margins leave too little room for its type: the reader
/// reports it (so that `qalam check` does) and the PDF layout refuses it.
#[derive(Debug, Clone, PartialEq)]
pub struct NoRoom {
    trim: (f32, f32),
    block: TextBlock,
}

impl NoRoom {
    /// The diagnostic code of this error.
    pub const CODE: &'static str = "pdf-no-room";
    /// What to do about it.
    pub const HELP: &'static str = "use a larger `trim` or smaller `margin-inner`, `margin-outer`, `margin-top`, `margin-bottom` or `font-size` in [pdf]";
}

impl std::fmt::Display for NoRoom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inch = |v: f32| format!("{:.2}in", v / 72.0);
        let b = &self.block;
        write!(
            f,
            "the page ({} x {}) leaves a text block of {} x {} inside its margins, \
             too small for {:.1}pt type (at least {} wide and {} deep)",
            inch(self.trim.0),
            inch(self.trim.1),
            inch(b.width.max(0.0)),
            inch(b.height.max(0.0)),
            b.size,
            inch(MIN_MEASURE_EM * b.size),
            inch(MIN_LINES * b.lead),
        )
    }
}

impl PdfSettings {
    /// The text block the trim size and margins leave, or why it is too
    /// small for the type.
    pub fn text_block(&self) -> Result<TextBlock, NoRoom> {
        let (w, h) = (self.trim.width.pt(), self.trim.height.pt());
        let size = self.font_size.pt().clamp(4.0, 72.0);
        let block = TextBlock {
            width: w - self.margin_inner.pt() - self.margin_outer.pt(),
            height: h - self.margin_top.pt() - self.margin_bottom.pt(),
            size,
            lead: self.leading.pt().max(size * 0.8),
        };
        // Written so that NaN (from absurd settings) fails too.
        let fits = block.width >= MIN_MEASURE_EM * size
            && block.height >= MIN_LINES * block.lead
            && w.is_finite();
        if fits {
            Ok(block)
        } else {
            Err(NoRoom {
                trim: (w, h),
                block,
            })
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EpubSettings {
    /// 1: chapters only; 2: chapters and their questions.
    pub toc_depth: u8,
    /// Print page-break markers and a page-list from the PDF's pagination.
    pub page_list: bool,
    pub embed_fonts: bool,
}

impl Default for EpubSettings {
    fn default() -> Self {
        EpubSettings {
            toc_depth: 1,
            page_list: true,
            embed_fonts: true,
        }
    }
}

/// Font choices by family name; `None` means the bundled default.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FontSettings {
    pub body: Option<String>,
    pub heading: Option<String>,
    pub mono: Option<String>,
    /// Extra folders searched for font files (absolute, already resolved).
    pub dirs: Vec<PathBuf>,
}

/// A design of the generated cover (`[cover] style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CoverStyle {
    /// A solid field, large type set low, names at the head and a large
    /// quotation mark: the interview's sign.
    #[default]
    Field,
    /// Light paper crossed by a full-width band of colour carrying the title.
    Band,
    /// A centred, classical page inside a double rule.
    Frame,
}

impl CoverStyle {
    pub const ALL: [CoverStyle; 3] = [CoverStyle::Field, CoverStyle::Band, CoverStyle::Frame];

    pub fn name(self) -> &'static str {
        match self {
            CoverStyle::Field => "field",
            CoverStyle::Band => "band",
            CoverStyle::Frame => "frame",
        }
    }

    pub fn from_name(name: &str) -> Option<CoverStyle> {
        CoverStyle::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The names of all styles, for messages: "field, band, frame".
    pub fn names() -> String {
        CoverStyle::ALL.map(CoverStyle::name).join(", ")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CoverSettings {
    /// `None`: the default style.
    pub style: Option<CoverStyle>,
    /// `#rrggbb` colours; derived from the title when absent.
    pub background: Option<String>,
    pub foreground: Option<String>,
    pub accent: Option<String>,
    /// Art made at trim plus bleed for the print variant (`[cover] print`),
    /// read and checked for its shape by the reader.
    pub print: Option<super::Image>,
    /// How far inside the trim type must keep (`[cover] safe-area`).
    pub safe_area: Length,
    /// The interior paper, which sets the spine's width on a full-wrap
    /// cover (`[cover] paper`, `paper-ppi`).
    pub paper: Paper,
}

impl Default for CoverSettings {
    fn default() -> Self {
        CoverSettings {
            style: None,
            background: None,
            foreground: None,
            accent: None,
            print: None,
            safe_area: Length::inches(0.25),
            paper: Paper::default(),
        }
    }
}

/// An interior paper, by its thickness: the spine of a book of `pages`
/// pages is `pages / ppi` inches wide (pages per inch, as printers state a
/// paper's bulk; a leaf is two pages).
#[derive(Debug, Clone, PartialEq)]
pub struct Paper {
    /// The name given in `book.toml`, or `paper-ppi = N` as written.
    pub name: String,
    pub ppi: f64,
}

impl Paper {
    /// Papers by name, with the thickness per page that Amazon KDP's cover
    /// calculator uses (inches per page): white 0.002252, cream 0.0025,
    /// premium colour 0.002347. Other printers publish pages per inch for
    /// their papers: give it as `paper-ppi`.
    pub const KNOWN: [(&'static str, f64); 3] =
        [("white", 0.002252), ("cream", 0.0025), ("colour", 0.002347)];

    /// The known paper `name` (case and surrounding spaces ignored).
    pub fn named(name: &str) -> Option<Paper> {
        let n = name.trim().to_ascii_lowercase();
        let n = if n == "color" {
            "colour".to_string()
        } else {
            n
        };
        Paper::KNOWN
            .iter()
            .find(|(k, _)| *k == n)
            .map(|&(k, inches)| Paper {
                name: k.to_string(),
                ppi: 1.0 / inches,
            })
    }

    /// The names of the known papers, for messages: "white, cream, colour".
    pub fn names() -> String {
        Paper::KNOWN.map(|(n, _)| n).join(", ")
    }

    /// The spine's width in points for `pages` pages.
    pub fn spine_pt(&self, pages: u32) -> f32 {
        (f64::from(pages) / self.ppi * 72.0) as f32
    }
}

impl Default for Paper {
    /// White: what print-on-demand services print black-and-white
    /// interiors on unless asked otherwise.
    fn default() -> Self {
        Paper {
            name: "white".into(),
            ppi: 1.0 / 0.002252,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    pub pdf: PdfSettings,
    pub epub: EpubSettings,
    pub fonts: FontSettings,
    pub cover: CoverSettings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_sizes() {
        assert_eq!(Length::parse("0.125in").unwrap().pt(), 9.0);
        assert!((Length::parse("25.4mm").unwrap().pt() - 72.0).abs() < 1e-3);
        assert!(Length::parse("12").is_err());
        assert!(Length::parse("12furlongs").is_err());
        let t = TrimSize::parse("6in x 9in").unwrap();
        assert_eq!((t.width.pt(), t.height.pt()), (432.0, 648.0));
        let a5 = TrimSize::parse("A5").unwrap();
        assert!((a5.width.pt() - 419.53).abs() < 0.01);
        assert!(TrimSize::parse("148mm x 210mm").is_ok());
        assert!(TrimSize::parse("huge").is_err());
    }

    #[test]
    fn the_text_block_must_hold_ten_ems_by_five_lines() {
        let d = PdfSettings::default();
        let b = d.text_block().unwrap();
        assert!((b.width - 334.8).abs() < 0.01 && (b.height - 540.0).abs() < 0.01);
        // Just wide enough, then a point too narrow.
        let mut s = d.clone();
        s.margin_outer = Length(d.trim.width.pt() - d.margin_inner.pt() - 10.0 * b.size);
        assert!(s.text_block().is_ok());
        s.margin_outer.0 += 1.0;
        let e = s.text_block().unwrap_err().to_string();
        assert!(e.contains("too small for 10.5pt type"), "{e}");
        // Absurd values fail rather than pass as NaN.
        s = d.clone();
        s.trim.width = Length(f32::NAN);
        assert!(s.text_block().is_err());
        s = d;
        s.margin_top = Length(f32::INFINITY);
        assert!(s.text_block().is_err());
    }

    #[test]
    fn spine_width_is_pages_over_pages_per_inch() {
        let cream = Paper::named(" Cream ").unwrap();
        assert!((cream.spine_pt(200) - 36.0).abs() < 1e-3, "0.5 in");
        let white = Paper::default();
        assert!((white.spine_pt(200) / 72.0 - 0.4504).abs() < 1e-4);
        assert_eq!(Paper::named("color").unwrap().name, "colour");
        assert!(Paper::named("glossy").is_none());
        assert_eq!(Paper::names(), "white, cream, colour");
    }

    #[test]
    fn cover_styles_by_name() {
        for style in CoverStyle::ALL {
            assert_eq!(CoverStyle::from_name(style.name()), Some(style));
            assert_eq!(
                CoverStyle::from_name(&format!(" {} ", style.name().to_uppercase())),
                Some(style)
            );
        }
        assert_eq!(CoverStyle::from_name("fields"), None);
        assert_eq!(CoverStyle::names(), "field, band, frame");
    }
}
