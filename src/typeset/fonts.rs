//! The font book: every face the typesetter may use, parsed once and shared.
//!
//! Faces come from the bundled files (`crate::fonts`) and from families the
//! book names in `[fonts]` (looked up by family name in the book's `dirs`,
//! then in the system font folders). A [`FontBook`] is immutable after
//! construction except for data parsed on first use behind `OnceLock`s
//! (the same whenever it is made), so one book can be shared
//! (`Arc<FontBook>`) by typesetters on several threads. What is learnt
//! while setting text (shaped words) is kept by the
//! [`super::Engine`], not here.

use crate::diag::{Diagnostic, Diagnostics};
use crate::fonts::{Role, bundled};
use crate::model::FontSettings;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use yoke::{Yoke, Yokeable};

mod system;
use system::{FontFinder, FoundFace};

/// Index of a face in its [`FontBook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u16);

/// The families of the book design. Each has up to four styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Body text: `[fonts] body`, else bundled Vollkorn.
    Body,
    /// Questions and titles: `[fonts] heading`, else bundled Noto Sans.
    Heading,
    /// Code: `[fonts] mono`, else bundled Noto Sans Mono.
    Mono,
    /// Arabic script: bundled Noto Naskh Arabic.
    Arabic,
}

/// The bytes of a font file: bundled (static) or read from disk.
enum FontBytes {
    Static(&'static [u8]),
    Owned(Vec<u8>),
}

impl AsRef<[u8]> for FontBytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            FontBytes::Static(b) => b,
            FontBytes::Owned(v) => v,
        }
    }
}

/// The parsed face, borrowing the bytes it was parsed from. `yoke` ties the
/// borrow to the `Arc` that owns the bytes, so the face is parsed once and
/// kept without `unsafe` or leaking the file.
#[derive(Yokeable)]
struct Parsed<'a> {
    face: rustybuzz::Face<'a>,
}

/// OpenType features the typesetter asks a face about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaceFeatures {
    pub onum: bool,
    pub lnum: bool,
    pub tnum: bool,
    pub pnum: bool,
    pub c2sc: bool,
    pub smcp: bool,
}

/// Metrics in em (font units / units per em), read once.
#[derive(Debug, Clone, Copy)]
pub struct FaceMetrics {
    pub units_per_em: f32,
    pub ascender: f32,
    pub descender: f32,
    /// Advance of U+0020, the "normal space" justification is measured against.
    pub space: f32,
    /// Glyph and advance of the hyphen inserted at hyphenation breaks (U+002D).
    pub hyphen: Option<(u16, f32)>,
    pub features: FaceFeatures,
}

/// One face: a file (and index in it) with the family and style it belongs to.
pub struct Face {
    pub family: String,
    pub bold: bool,
    pub italic: bool,
    /// Where it came from (a path, or `bundled:<file>`), for messages.
    pub origin: String,
    bytes: Arc<FontBytes>,
    index: u32,
    parsed: OnceLock<Option<Yoke<Parsed<'static>, Arc<FontBytes>>>>,
    metrics: OnceLock<FaceMetrics>,
    krilla: OnceLock<Option<krilla::text::Font>>,
    /// Coverage of U+0000..U+04FF (Latin, Greek, Cyrillic) and of
    /// U+2000..U+20FF (curly quotes, dashes, ellipsis, currency) as a bit
    /// set, so that itemizing body text does not query the cmap for every
    /// character.
    low: OnceLock<[u64; LOW_WORDS]>,
}

/// Bits of the first range (U+0000..U+04FF); the punctuation range follows.
const LOW_BITS: usize = 0x500;
const PUNCT: std::ops::Range<usize> = 0x2000..0x2100;
const LOW_WORDS: usize = (LOW_BITS + 0x100) / 64;

/// The bit of `u` in the coverage set, if it has one.
fn low_bit(u: usize) -> Option<usize> {
    if u < LOW_BITS {
        Some(u)
    } else if PUNCT.contains(&u) {
        Some(LOW_BITS + (u - PUNCT.start))
    } else {
        None
    }
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("family", &self.family)
            .field("bold", &self.bold)
            .field("italic", &self.italic)
            .field("origin", &self.origin)
            .finish()
    }
}

impl Face {
    fn new(family: &str, bold: bool, italic: bool, origin: String, bytes: FontBytes) -> Face {
        Face {
            family: family.to_string(),
            bold,
            italic,
            origin,
            bytes: Arc::new(bytes),
            index: 0,
            parsed: OnceLock::new(),
            metrics: OnceLock::new(),
            krilla: OnceLock::new(),
            low: OnceLock::new(),
        }
    }

    /// The shaping face, parsed on first use. `None` only for a file that
    /// stopped parsing after it was checked at load (it then covers nothing).
    pub fn rb(&self) -> Option<&rustybuzz::Face<'_>> {
        self.parsed
            .get_or_init(|| {
                let index = self.index;
                Yoke::try_attach_to_cart(self.bytes.clone(), |b: &FontBytes| {
                    rustybuzz::Face::from_slice(b.as_ref(), index)
                        .map(|face| Parsed { face })
                        .ok_or(())
                })
                .ok()
            })
            .as_ref()
            .map(|y| &y.get().face)
    }

    /// Whether the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        if let Some(b) = low_bit(c as usize) {
            let low = self.low.get_or_init(|| {
                let mut bits = [0u64; LOW_WORDS];
                if let Some(f) = self.rb() {
                    // The code points the cmap lists (far fewer than the
                    // 1536 of the two ranges), each confirmed as the face
                    // answers for it.
                    let mut candidates = [0u64; LOW_WORDS];
                    if let Some(cmap) = f.tables().cmap {
                        for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
                            sub.codepoints(|u| {
                                if let Some(b) = low_bit(u as usize) {
                                    candidates[b / 64] |= 1 << (b % 64);
                                }
                            });
                        }
                    }
                    for u in (0..LOW_BITS).chain(PUNCT) {
                        let Some(b) = low_bit(u) else { continue };
                        if candidates[b / 64] & (1 << (b % 64)) != 0
                            && char::from_u32(u as u32).is_some_and(|c| f.glyph_index(c).is_some())
                        {
                            bits[b / 64] |= 1 << (b % 64);
                        }
                    }
                }
                bits
            });
            return low[b / 64] & (1 << (b % 64)) != 0;
        }
        self.rb().is_some_and(|f| f.glyph_index(c).is_some())
    }

    pub fn glyph(&self, c: char) -> Option<u16> {
        self.rb().and_then(|f| f.glyph_index(c)).map(|g| g.0)
    }

    /// Advance of glyph `gid` in em.
    pub fn advance(&self, gid: u16) -> f32 {
        let m = self.metrics();
        self.rb()
            .and_then(|f| f.glyph_hor_advance(ttf_parser::GlyphId(gid)))
            .map_or(0.0, |a| a as f32 / m.units_per_em)
    }

    pub fn metrics(&self) -> &FaceMetrics {
        self.metrics.get_or_init(|| {
            let Some(f) = self.rb() else {
                return FaceMetrics {
                    units_per_em: 1000.0,
                    ascender: 0.8,
                    descender: -0.2,
                    space: 0.25,
                    hyphen: None,
                    features: FaceFeatures::default(),
                };
            };
            let upem = f.units_per_em().max(1) as f32;
            let adv = |c: char| {
                f.glyph_index(c)
                    .map(|g| (g.0, f.glyph_hor_advance(g).unwrap_or(0) as f32 / upem))
            };
            let mut features = FaceFeatures::default();
            for table in [f.tables().gsub, f.tables().gpos].into_iter().flatten() {
                for feat in table.features {
                    match &feat.tag.to_bytes() {
                        b"onum" => features.onum = true,
                        b"lnum" => features.lnum = true,
                        b"tnum" => features.tnum = true,
                        b"pnum" => features.pnum = true,
                        b"c2sc" => features.c2sc = true,
                        b"smcp" => features.smcp = true,
                        _ => {}
                    }
                }
            }
            FaceMetrics {
                units_per_em: upem,
                ascender: f.ascender() as f32 / upem,
                descender: f.descender() as f32 / upem,
                space: adv(' ').map_or(0.25, |a| a.1),
                hyphen: adv('-'),
                features,
            }
        })
    }

    /// The face as a krilla font, for the page builder (`Surface::draw_glyphs`).
    pub fn krilla_font(&self) -> Option<krilla::text::Font> {
        self.krilla
            .get_or_init(|| {
                let data: Arc<dyn AsRef<[u8]> + Send + Sync> = self.bytes.clone();
                krilla::text::Font::new(krilla::Data::from(data), self.index)
            })
            .clone()
    }

    /// The raw font file bytes (for subsetting or embedding elsewhere).
    pub fn data(&self) -> &[u8] {
        self.bytes.as_ref().as_ref()
    }
}

/// The four styles of one family. Missing styles fall back as in
/// [`crate::fonts::bundled_face`]: bold italic -> bold -> regular, italic -> regular.
#[derive(Debug, Clone)]
struct Styles {
    regular: FontId,
    bold: Option<FontId>,
    italic: Option<FontId>,
    bold_italic: Option<FontId>,
}

impl Styles {
    fn pick(&self, bold: bool, italic: bool) -> FontId {
        match (bold, italic) {
            (true, true) => self.bold_italic.or(self.bold).unwrap_or(self.regular),
            (true, false) => self.bold.unwrap_or(self.regular),
            (false, true) => self.italic.unwrap_or(self.regular),
            (false, false) => self.regular,
        }
    }
}

/// All faces of a book, with its family choices and the fallback order.
#[derive(Debug)]
pub struct FontBook {
    faces: Vec<Face>,
    body: Styles,
    heading: Styles,
    mono: Styles,
    arabic: Styles,
    /// Families tried, in order, for characters the chosen face lacks:
    /// body, bundled Vollkorn (when the body is another family), heading,
    /// Noto Sans, Arabic, mono. Deterministic: a fixed list, no map iteration.
    fallback: Vec<Styles>,
}

impl FontBook {
    /// The bundled families only.
    pub fn bundled() -> FontBook {
        let mut faces = Vec::new();
        let mut roles: Vec<(Role, Styles)> = Vec::new();
        for f in bundled() {
            let id = FontId(faces.len() as u16);
            let face = Face::new(
                f.family,
                f.bold,
                f.italic,
                format!("bundled:{}", f.file),
                FontBytes::Static(f.data),
            );
            faces.push(face);
            let entry = match roles.iter_mut().find(|(r, _)| *r == f.role) {
                Some((_, s)) => s,
                None => {
                    roles.push((
                        f.role,
                        Styles {
                            regular: id,
                            bold: None,
                            italic: None,
                            bold_italic: None,
                        },
                    ));
                    &mut roles.last_mut().expect("just pushed").1
                }
            };
            match (f.bold, f.italic) {
                (false, false) => entry.regular = id,
                (true, false) => entry.bold = Some(id),
                (false, true) => entry.italic = Some(id),
                (true, true) => entry.bold_italic = Some(id),
            }
        }
        let role = |r: Role| {
            roles
                .iter()
                .find(|(x, _)| *x == r)
                .map(|(_, s)| s.clone())
                .expect("every role is bundled")
        };
        let (body, heading, mono, arabic) = (
            role(Role::Text),
            role(Role::Display),
            role(Role::Mono),
            role(Role::Arabic),
        );
        let mut book = FontBook {
            faces,
            body,
            heading,
            mono,
            arabic,
            fallback: Vec::new(),
        };
        book.rebuild_fallback(None);
        book
    }

    /// The bundled families, with those named in `[fonts]` loaded by family
    /// name from `settings.dirs` and then the system font folders. A family
    /// that cannot be found is an error diagnostic; the bundled family is used
    /// in its place so that a proof can still be made.
    pub fn from_settings(settings: &FontSettings) -> (FontBook, Diagnostics) {
        let mut book = FontBook::bundled();
        let mut diags = Diagnostics::new();
        let wanted = [
            (Family::Body, settings.body.as_deref(), "body"),
            (Family::Heading, settings.heading.as_deref(), "heading"),
            (Family::Mono, settings.mono.as_deref(), "mono"),
        ];
        if wanted.iter().all(|(_, n, _)| n.is_none()) {
            return (book, diags);
        }
        let mut finder = FontFinder::new(&settings.dirs);
        let bundled_text = book.body.clone();
        for (family, name, key) in wanted {
            let Some(name) = name else { continue };
            if let Some(styles) = book.bundled_family(name) {
                book.set_family(family, styles);
                continue;
            }
            match finder.find(name) {
                Some(files) => {
                    let styles = book.add_family(name, files, &mut diags);
                    if let Some(styles) = styles {
                        book.set_family(family, styles);
                    }
                }
                None => {
                    let mut searched: Vec<String> = settings
                        .dirs
                        .iter()
                        .map(|d| d.display().to_string())
                        .collect();
                    searched.push("the system font folders".into());
                    let near = finder.nearest(name);
                    let help = match near {
                        Some(n) => format!(
                            "did you mean `{n}`? Or add the folder holding the font files to `[fonts] dirs`"
                        ),
                        None => "add the folder holding the font files to `[fonts] dirs`".into(),
                    };
                    diags.push(
                        Diagnostic::error(
                            "font-not-found",
                            format!(
                                "font family `{name}` (`[fonts] {key}`) was not found in {}",
                                searched.join(", ")
                            ),
                        )
                        .help(help),
                    );
                }
            }
        }
        book.rebuild_fallback(Some(bundled_text));
        (book, diags)
    }

    fn bundled_family(&self, name: &str) -> Option<Styles> {
        [&self.body, &self.heading, &self.mono, &self.arabic]
            .into_iter()
            .find(|s| {
                self.faces[s.regular.0 as usize]
                    .family
                    .eq_ignore_ascii_case(name)
            })
            .cloned()
    }

    fn set_family(&mut self, family: Family, styles: Styles) {
        match family {
            Family::Body => self.body = styles,
            Family::Heading => self.heading = styles,
            Family::Mono => self.mono = styles,
            Family::Arabic => self.arabic = styles,
        }
    }

    fn add_family(
        &mut self,
        name: &str,
        files: Vec<FoundFace>,
        diags: &mut Diagnostics,
    ) -> Option<Styles> {
        let mut styles: Option<Styles> = None;
        let mut by_style: [Option<FontId>; 4] = [None; 4];
        for f in files {
            let bytes = match std::fs::read(&f.path) {
                Ok(b) => b,
                Err(e) => {
                    diags.push(
                        Diagnostic::warning(
                            "font-unreadable",
                            format!("cannot read font file {}: {e}", f.path.display()),
                        )
                        .in_file(&f.path),
                    );
                    continue;
                }
            };
            let mut face = Face::new(
                name,
                f.bold,
                f.italic,
                f.path.display().to_string(),
                FontBytes::Owned(bytes),
            );
            face.index = f.index;
            if face.rb().is_none() {
                diags.push(
                    Diagnostic::warning(
                        "font-unreadable",
                        format!("{} is not a font qalam can read", f.path.display()),
                    )
                    .in_file(&f.path),
                );
                continue;
            }
            let slot = (f.bold as usize) * 2 + f.italic as usize;
            if by_style[slot].is_none() {
                by_style[slot] = Some(FontId(self.faces.len() as u16));
                self.faces.push(face);
            }
        }
        let regular = by_style[0].or(by_style[2]).or(by_style[1]).or(by_style[3]);
        if let Some(regular) = regular {
            styles = Some(Styles {
                regular,
                italic: by_style[1],
                bold: by_style[2],
                bold_italic: by_style[3],
            });
        }
        styles
    }

    fn rebuild_fallback(&mut self, bundled_text: Option<Styles>) {
        let mut chain = vec![self.body.clone()];
        if let Some(t) = bundled_text
            && t.regular != self.body.regular
        {
            chain.push(t);
        }
        chain.push(self.heading.clone());
        let noto_sans = FontBook::bundled_role(&self.faces, "Noto Sans");
        if let Some(s) = noto_sans
            && s.regular != self.heading.regular
        {
            chain.push(s);
        }
        chain.push(self.arabic.clone());
        chain.push(self.mono.clone());
        self.fallback = chain;
    }

    fn bundled_role(faces: &[Face], family: &str) -> Option<Styles> {
        let find = |b: bool, i: bool| {
            faces
                .iter()
                .position(|f| {
                    f.origin.starts_with("bundled:")
                        && f.family == family
                        && f.bold == b
                        && f.italic == i
                })
                .map(|p| FontId(p as u16))
        };
        Some(Styles {
            regular: find(false, false)?,
            bold: find(true, false),
            italic: find(false, true),
            bold_italic: find(true, true),
        })
    }

    pub fn face(&self, id: FontId) -> &Face {
        &self.faces[id.0 as usize]
    }

    pub fn faces(&self) -> impl Iterator<Item = (FontId, &Face)> {
        self.faces
            .iter()
            .enumerate()
            .map(|(i, f)| (FontId(i as u16), f))
    }

    /// The face of `family` closest to the wanted style.
    pub fn select(&self, family: Family, bold: bool, italic: bool) -> FontId {
        let s = match family {
            Family::Body => &self.body,
            Family::Heading => &self.heading,
            Family::Mono => &self.mono,
            Family::Arabic => &self.arabic,
        };
        s.pick(bold, italic)
    }

    /// The first face, starting with `primary` and then along the fallback
    /// chain in the same style, that has a glyph for `c`.
    pub fn cover(&self, primary: FontId, c: char) -> Option<FontId> {
        if self.face(primary).covers(c) {
            return Some(primary);
        }
        let p = self.face(primary);
        self.fallback
            .iter()
            .map(|s| s.pick(p.bold, p.italic))
            .chain(self.fallback.iter().map(|s| s.regular))
            .find(|&id| id != primary && self.face(id).covers(c))
    }

    /// krilla font of a face, parsed once (see [`Face::krilla_font`]).
    pub fn krilla_font(&self, id: FontId) -> Option<krilla::text::Font> {
        self.face(id).krilla_font()
    }
}

/// A path for messages (unused outside tests, kept for symmetry).
#[allow(dead_code)]
fn display(p: &Path) -> String {
    p.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_families_and_fallback() {
        let book = FontBook::bundled();
        let body = book.select(Family::Body, false, false);
        assert_eq!(book.face(body).family, "Vollkorn");
        let bi = book.select(Family::Mono, true, true);
        assert!(book.face(bi).bold);
        // Cyrillic is in Vollkorn; Arabic only in Noto Naskh; arrows in Noto Sans (or later).
        assert_eq!(book.cover(body, 'Ж'), Some(body));
        let ar = book.cover(body, 'ب').expect("arabic covered");
        assert_eq!(book.face(ar).family, "Noto Naskh Arabic");
        let sym = book.cover(body, '→').expect("arrow covered");
        assert!(book.face(sym).covers('→'));
        assert_eq!(book.cover(body, '\u{1F600}'), None);
        let m = book.face(body).metrics();
        assert!(m.space > 0.1 && m.space < 0.5);
        assert!(m.hyphen.is_some());
    }

    #[test]
    fn coverage_bits_agree_with_the_cmap() {
        let book = FontBook::bundled();
        for id in [
            book.select(Family::Body, false, false),
            book.select(Family::Heading, true, false),
            book.select(Family::Mono, false, false),
        ] {
            let face = book.face(id);
            let f = face.rb().expect("bundled faces parse");
            // Both bit ranges, their edges, and characters beyond them.
            for u in (0..0x600).chain(0x1FF0..0x2110).chain([0x2190, 0x1F600]) {
                let Some(c) = char::from_u32(u) else { continue };
                assert_eq!(face.covers(c), f.glyph_index(c).is_some(), "U+{u:04X}");
            }
        }
    }

    #[test]
    fn unknown_family_is_a_diagnostic() {
        let settings = FontSettings {
            body: Some("No Such Family Qalam".into()),
            dirs: vec![],
            ..Default::default()
        };
        let (book, diags) = FontBook::from_settings(&settings);
        assert!(diags.iter().any(|d| d.code == "font-not-found"));
        assert_eq!(
            book.face(book.select(Family::Body, false, false)).family,
            "Vollkorn"
        );
    }
}
