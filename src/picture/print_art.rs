//! `[cover] print` art, checked where the book is read: a picture qalam
//! can read, of the shape of the trim plus the bleed on every side.

use super::CoverError;
use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{Image, PdfSettings, Span};

/// How far the shapes of the print art and of the trim plus bleed may
/// differ: half a percent (under 0.05 in on a 9.25 in side, cut from the
/// bleed when the art is placed).
const SHAPE_TOLERANCE: f64 = 0.005;

/// Checks `[cover] print` art: a picture qalam can read, of the shape of
/// the trim plus the bleed on every side. Errors name the key.
pub fn check_art(
    image: &Image,
    span: Span,
    pdf: &PdfSettings,
    sources: &SourceMap,
    diags: &mut Diagnostics,
) -> bool {
    let src = &image.src;
    let probe = super::read(&image.path).and_then(|bytes| super::probe(&bytes, image.format));
    let (w, h) = match probe {
        Ok(p) => p.display_size(),
        Err(e) => {
            diags.push(print_error(src, e).at(sources, span));
            return false;
        }
    };
    let b = f64::from(pdf.bleed.pt());
    let (ow, oh) = (
        f64::from(pdf.trim.width.pt()) + 2.0 * b,
        f64::from(pdf.trim.height.pt()) + 2.0 * b,
    );
    let want = ow / oh;
    let got = f64::from(w) / f64::from(h.max(1));
    if (got / want - 1.0).abs() <= SHAPE_TOLERANCE {
        return true;
    }
    let inch = |v: f64| v / 72.0;
    diags.push(
        Diagnostic::error(
            "bad-print-cover",
            format!(
                "print cover `{src}` is {w} x {h} px, {:.4}:1; art for print must have the shape of the trim \
                 plus {:.3} in of bleed on every side, {:.3} x {:.3} in ({want:.4}:1)",
                got,
                inch(b),
                inch(ow),
                inch(oh)
            ),
        )
        .at(sources, span)
        .help(format!(
            "make the art {} x {} px (300 ppi), or remove `print` to let qalam extend the cover's edges into the bleed",
            (inch(ow) * 300.0).round(),
            (inch(oh) * 300.0).round()
        )),
    );
    false
}

fn print_error(src: &str, e: CoverError) -> Diagnostic {
    Diagnostic::error(
        "bad-print-cover",
        format!("print cover `{src}`: {}", e.message),
    )
    .help(e.help)
}
