//! Microtypography: character protrusion (margin kerning) and the bounds of
//! letter-spacing during justification, as LaTeX's microtype does.
//!
//! Written by hand: protrusion is a table lookup, and no crate offers one.
//! The factors are microtype's `default` protrusion set (microtype.cfg,
//! `\SetProtrusion[name=default]`), in thousandths of the glyph's advance:
//! punctuation and hyphens hang into the margin so that the text edge looks
//! straight to the eye.
//!
//! Justification uses letter-spacing rather than glyph scaling: krilla's
//! `Glyph` has no per-glyph horizontal scale, and tracking inside words
//! (never across a space) folds into the advances the page builder draws.

/// Letter-spacing bounds, in em per gap between two glyphs of a word: how
/// much justification may tighten (`TRACK_SHRINK`) or loosen
/// (`TRACK_STRETCH`) a word. Typst's justification limits suggest this range;
/// beyond ~0.02 em the spacing becomes visible.
pub const TRACK_SHRINK: f32 = 0.015;
pub const TRACK_STRETCH: f32 = 0.02;

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
