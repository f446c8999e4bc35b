//! Microtypography: character protrusion (margin kerning) and the bounds of
//! letter-spacing during justification, as LaTeX's microtype does.
//!
//! Written by hand: protrusion is a table lookup, and no crate offers one.
//! The factors are microtype's `default` protrusion set (microtype.cfg,
//! `\SetProtrusion[name=default]`), in thousandths of the glyph's advance:
//! punctuation and hyphens hang into the margin so that the text edge looks
//! straight to the eye.
//!
//! Justification scales a line's glyphs horizontally, as pdfTeX's font
//! expansion does: the eye does not see a glyph 2 % wider, while it does see
//! letters spaced 0.02 em apart, line against line. The breaker counts the
//! expansion as stretch and shrink of every box (pdfTeX's
//! `\adjustspacing=2`); the PDF draws each expanded run under a horizontal
//! scale, so the glyphs' text and the page's tagging stay as they are.
//! Letter-spacing is the last resort, after the expansion and after the
//! spaces have gone half their stretch or shrink, and stays under
//! [`TRACK_MAX_EM`].

/// Letter-spacing bound, in em per gap between two glyphs of a word, for a
/// line that expansion and its spaces' first half of stretch (or shrink)
/// cannot justify: below ~0.005 em no reader sees it, and the less a book
/// uses it the more even its lines look from one to the next.
pub const TRACK_MAX_EM: f32 = 0.0045;

/// Bounds of glyph expansion, as fractions of the natural width
/// (microtype's `stretch` and `shrink`, there in thousandths).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expansion {
    pub stretch: f32,
    pub shrink: f32,
}

impl Expansion {
    /// The most a book may ask for: past 5 % glyphs look visibly distorted.
    pub const MAX: f32 = 0.05;
    /// No expansion (ragged text, or `microtype = false`).
    pub const NONE: Expansion = Expansion {
        stretch: 0.0,
        shrink: 0.0,
    };
}

impl Default for Expansion {
    /// microtype's defaults: 2 % either way.
    fn default() -> Self {
        Expansion {
            stretch: 0.02,
            shrink: 0.02,
        }
    }
}

/// Protrusion of `c` at the (left, right) margin, as a fraction of its advance.
pub fn protrusion(c: char) -> (f32, f32) {
    let (l, r): (u16, u16) = match c {
        '.' | '…' => (0, 700),
        ',' => (0, 500),
        ':' | ';' => (0, 500),
        '!' | '?' => (0, 100),
        '-' | '\u{00AD}' | '\u{2010}' | '\u{2011}' => (400, 500),
        '–' => (200, 200),
        '—' => (150, 150),
        '‘' | '’' | '\'' => (300, 400),
        '“' | '”' | '"' => (300, 300),
        '«' | '‹' => (200, 200),
        '»' | '›' => (100, 200),
        '(' | '[' => (100, 0),
        ')' | ']' => (0, 200),
        '/' => (100, 200),
        '*' => (200, 200),
        '+' => (250, 250),
        'A' | 'T' | 'V' | 'W' | 'X' | 'Y' | 'v' | 'w' | 'x' => (50, 50),
        'F' | 'K' | 'L' | 'k' | 'r' | 't' | 'y' => (0, 50),
        'J' => (50, 0),
        '1' | '2' | '3' | '5' | '6' | '7' | '8' | '9' => (50, 50),
        '4' => (100, 50),
        _ => (0, 0),
    };
    (l as f32 / 1000.0, r as f32 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_hangs_more_than_letters() {
        assert!(protrusion('.').1 > protrusion('A').1);
        assert_eq!(protrusion('.').0, 0.0);
        assert!(protrusion('“').0 > 0.0);
        assert!(protrusion('-').1 >= 0.5);
        assert_eq!(protrusion('m'), (0.0, 0.0));
    }
}
