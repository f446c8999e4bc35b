//! The one thing a cover is drawn with: a filled outline. The designer
//! makes the decoration of them and the type setter the letters, and the
//! PDF, PNG and SVG writers draw them alike.

use super::colour::Rgb;
use tiny_skia::Path;

/// One filled outline, in trim coordinates (the non-zero rule).
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub fill: Rgb,
    pub path: Path,
}
