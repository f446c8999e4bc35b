//! The bundled fonts, compiled into the binary so that an installed `qalam`
//! needs no `fonts/` folder. The files in `fonts/` (with their OFL licences)
//! are the source of these bytes.
//!
//! Faces are plain byte slices here, parsed lazily and once per process
//! ([`BundledFace::parsed`]): the typesetter, the cover's type and the
//! EPUB's font subsetter all use the same parse, and a face no stage needs
//! (the Arabic faces of an English book) is never parsed at all.

use std::sync::OnceLock;

/// A family's role in the book design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Body text (Vollkorn).
    Text,
    /// Questions, titles, running heads (Noto Sans).
    Display,
    /// Code (Noto Sans Mono).
    Mono,
    /// Arabic script (Noto Naskh Arabic).
    Arabic,
}

/// One bundled font file.
#[derive(Debug, Clone, Copy)]
pub struct BundledFace {
    pub role: Role,
    pub family: &'static str,
    /// File name in `fonts/<folder>/`.
    pub file: &'static str,
    pub bold: bool,
    pub italic: bool,
    pub data: &'static [u8],
}

macro_rules! face {
    ($role:ident, $family:literal, $dir:literal, $file:literal, $bold:literal, $italic:literal) => {
        BundledFace {
            role: Role::$role,
            family: $family,
            file: $file,
            bold: $bold,
            italic: $italic,
            data: include_bytes!(concat!("../fonts/", $dir, "/", $file)),
        }
    };
}

static BUNDLED: &[BundledFace] = &[
    face!(
        Text,
        "Vollkorn",
        "vollkorn",
        "Vollkorn-Regular.ttf",
        false,
        false
    ),
    face!(
        Text,
        "Vollkorn",
        "vollkorn",
        "Vollkorn-Italic.ttf",
        false,
        true
    ),
    face!(
        Text,
        "Vollkorn",
        "vollkorn",
        "Vollkorn-Bold.ttf",
        true,
        false
    ),
    face!(
        Text,
        "Vollkorn",
        "vollkorn",
        "Vollkorn-BoldItalic.ttf",
        true,
        true
    ),
    face!(
        Display,
        "Noto Sans",
        "noto-sans",
        "NotoSans-Regular.ttf",
        false,
        false
    ),
    face!(
        Display,
        "Noto Sans",
        "noto-sans",
        "NotoSans-Italic.ttf",
        false,
        true
    ),
    face!(
        Display,
        "Noto Sans",
        "noto-sans",
        "NotoSans-Bold.ttf",
        true,
        false
    ),
    face!(
        Display,
        "Noto Sans",
        "noto-sans",
        "NotoSans-BoldItalic.ttf",
        true,
        true
    ),
    face!(
        Mono,
        "Noto Sans Mono",
        "noto-sans-mono",
        "NotoSansMono-Regular.ttf",
        false,
        false
    ),
    face!(
        Mono,
        "Noto Sans Mono",
        "noto-sans-mono",
        "NotoSansMono-Bold.ttf",
        true,
        false
    ),
    face!(
        Arabic,
        "Noto Naskh Arabic",
        "noto-naskh-arabic",
        "NotoNaskhArabic-Regular.ttf",
        false,
        false
    ),
    face!(
        Arabic,
        "Noto Naskh Arabic",
        "noto-naskh-arabic",
        "NotoNaskhArabic-Bold.ttf",
        true,
        false
    ),
];

/// Every bundled face.
pub fn bundled() -> &'static [BundledFace] {
    BUNDLED
}

/// The parsed faces, one slot per entry of [`BUNDLED`] (same order).
static PARSED: [OnceLock<Option<rustybuzz::Face<'static>>>; 12] = [const { OnceLock::new() }; 12];

impl BundledFace {
    /// Position in [`bundled()`]: faces are `Copy`, so they are found again
    /// by file name (twelve string comparisons, once per call site that
    /// has no cached reference).
    pub fn index(&self) -> usize {
        BUNDLED
            .iter()
            .position(|f| f.file == self.file)
            .unwrap_or(0)
    }

    /// The face parsed for shaping, parsed on first use and shared by every
    /// stage and thread of the process (rustybuzz's face dereferences to
    /// ttf-parser's, so table readers use it too). `None` cannot happen for
    /// the files compiled in (a test parses them all); it is kept so that a
    /// damaged build degrades to missing glyphs instead of a panic.
    pub fn parsed(&self) -> Option<&'static rustybuzz::Face<'static>> {
        let data = self.data;
        PARSED[self.index()]
            .get_or_init(|| rustybuzz::Face::from_slice(data, 0))
            .as_ref()
    }
}

/// The bundled face of `role` closest to the wanted style (bold and italic
/// fall back to regular where the family has no such face).
pub fn bundled_face(role: Role, bold: bool, italic: bool) -> &'static BundledFace {
    let of_role = || BUNDLED.iter().filter(move |f| f.role == role);
    of_role()
        .find(|f| f.bold == bold && f.italic == italic)
        .or_else(|| of_role().find(|f| f.bold == bold && !f.italic))
        .or_else(|| of_role().find(|f| !f.bold && !f.italic))
        .expect("every role has a regular face")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_face_parses() {
        for f in bundled() {
            let face =
                ttf_parser::Face::parse(f.data, 0).unwrap_or_else(|e| panic!("{}: {e}", f.file));
            assert!(face.number_of_glyphs() > 100, "{}", f.file);
        }
    }

    #[test]
    fn parsed_faces_are_shared() {
        assert_eq!(PARSED.len(), bundled().len());
        let f = bundled_face(Role::Text, false, false);
        let a = f.parsed().expect("parses") as *const _;
        let b = bundled()[f.index()].parsed().expect("parses") as *const _;
        assert_eq!(a, b, "one parse per face and process");
    }

    #[test]
    fn styles_fall_back_to_regular() {
        assert_eq!(
            bundled_face(Role::Mono, false, true).file,
            "NotoSansMono-Regular.ttf"
        );
        assert_eq!(
            bundled_face(Role::Text, true, true).file,
            "Vollkorn-BoldItalic.ttf"
        );
    }
}
