//! The bundled fonts, compiled into the binary so that an installed `qalam`
//! needs no `fonts/` folder. The files in `fonts/` (with their OFL licences)
//! are the source of these bytes.
//!
//! Faces are plain byte slices here; they are parsed where they are set,
//! once per [`crate::typeset::FontBook`] (the engine's), and a face no
//! stage needs (the Arabic faces of an English book) is never parsed.

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
