//! Effective resolution: a picture's pixels over the size the layout
//! prints it at. The layout reports where it placed each picture
//! ([`Placed`]); this turns the placements into diagnostics for the print
//! variant, against `[pdf] warn-ppi` and `min-ppi`.

use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{PdfSettings, PdfVariant, Span};

/// A picture as the layout placed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The path as written in the source.
    pub src: String,
    /// Decoded pixels, width and height.
    pub pixels: (u32, u32),
    /// Printed width and height, in pt.
    pub size: (f32, f32),
    /// Index of the page it is on.
    pub page: usize,
    /// Where the source asks for it.
    pub span: Span,
}

impl Placed {
    /// Pixels per inch at the printed size: the lower of the two axes
    /// (a picture stretched one way is only as sharp as its thinner axis).
    pub fn ppi(&self) -> f32 {
        let per_inch = |px: u32, pt: f32| px as f32 / (pt.max(f32::MIN_POSITIVE) / 72.0);
        per_inch(self.pixels.0, self.size.0).min(per_inch(self.pixels.1, self.size.1))
    }

    /// "240 x 300 px printed at 2.09 x 2.62 in (53.1 x 66.4 mm)".
    pub fn describe(&self) -> String {
        let (w, h) = self.size;
        format!(
            "{} x {} px printed at {:.2} x {:.2} in ({:.1} x {:.1} mm)",
            self.pixels.0,
            self.pixels.1,
            w / 72.0,
            h / 72.0,
            w / 72.0 * 25.4,
            h / 72.0 * 25.4
        )
    }
}

/// The diagnostics for pictures printed below the thresholds: a warning
/// under `warn_ppi`, an error under `min_ppi`, each naming the file, its
/// pixels, its printed size and its resolution. Only the print variant is
/// judged: a screen shows a picture at the screen's resolution, not the
/// page's, so a screen-only book gets none (see [`screen_notes`]).
pub fn check(placed: &[Placed], settings: &PdfSettings, sources: &SourceMap) -> Diagnostics {
    let mut out = Diagnostics::new();
    if !settings.variants.contains(&PdfVariant::Print) {
        return out;
    }
    for p in placed {
        let ppi = p.ppi();
        let (code, make, floor): (_, fn(&'static str, String) -> Diagnostic, _) =
            if ppi < settings.min_ppi as f32 {
                ("print-ppi-too-low", Diagnostic::error, settings.min_ppi)
            } else if ppi < settings.warn_ppi as f32 {
                ("print-ppi-low", Diagnostic::warning, settings.warn_ppi)
            } else {
                continue;
            };
        let scale = settings.warn_ppi as f32 / ppi;
        let want = (
            (p.pixels.0 as f32 * scale).ceil() as u32,
            (p.pixels.1 as f32 * scale).ceil() as u32,
        );
        out.push(
            make(
                code,
                format!(
                    "picture `{}` is {}: {:.0} ppi, under the {floor} ppi the print variant needs",
                    p.src,
                    p.describe(),
                    ppi.floor()
                ),
            )
            .at(sources, p.span)
            .help(format!(
                "supply it at {} x {} px or more ({} ppi at this size), or set `[pdf] {} = {}` \
                 if the printer accepts less",
                want.0,
                want.1,
                settings.warn_ppi,
                if code == "print-ppi-too-low" {
                    "min-ppi"
                } else {
                    "warn-ppi"
                },
                ppi.floor() as u32
            )),
        );
    }
    out
}

/// For a book without the print variant: a note (not a warning: nothing
/// is wrong on screen) for each picture that would be an error in print,
/// so that the author learns it before asking for the printer's PDF.
pub fn screen_notes(placed: &[Placed], settings: &PdfSettings) -> Vec<String> {
    if settings.variants.contains(&PdfVariant::Print) {
        return Vec::new();
    }
    placed
        .iter()
        .filter(|p| p.ppi() < settings.min_ppi as f32)
        .map(|p| {
            format!(
                "note: picture `{}` is {}: {:.0} ppi, fine on screen but under the {} ppi \
                 a print variant would need",
                p.src,
                p.describe(),
                p.ppi().floor(),
                settings.min_ppi
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(px: (u32, u32), inches: (f32, f32)) -> Placed {
        Placed {
            src: "images/p.png".into(),
            pixels: px,
            size: (inches.0 * 72.0, inches.1 * 72.0),
            page: 3,
            span: Span::default(),
        }
    }

    fn print() -> PdfSettings {
        PdfSettings {
            variants: vec![PdfVariant::Screen, PdfVariant::Print],
            ..PdfSettings::default()
        }
    }

    #[test]
    fn the_thinner_axis_decides() {
        // 600 px over 2 in is 300 ppi; 300 px over 2 in is 150.
        assert_eq!(placed((600, 300), (2.0, 2.0)).ppi(), 150.0);
        assert_eq!(placed((600, 600), (2.0, 2.0)).ppi(), 300.0);
    }

    #[test]
    fn thresholds_give_warning_error_or_nothing() {
        let mut sources = SourceMap::new();
        sources.add("one.md", "![A face](images/p.png)\n".into());
        let at = |px: u32| check(&[placed((px, px), (2.0, 2.0))], &print(), &sources);
        // 144 ppi: under 150, an error that names pixels, size and ppi.
        let low = at(288);
        assert_eq!(low.error_count(), 1, "{low:?}");
        let msg = &low.iter().next().unwrap().message;
        assert!(msg.contains("288 x 288 px"), "{msg}");
        assert!(msg.contains("2.00 x 2.00 in (50.8 x 50.8 mm)"), "{msg}");
        assert!(msg.contains("144 ppi"), "{msg}");
        // 200 ppi: a warning.
        let mid = at(400);
        assert_eq!((mid.error_count(), mid.warning_count()), (0, 1));
        assert!(mid.iter().next().unwrap().message.contains("200 ppi"));
        // 300 ppi: silent.
        assert!(at(600).is_empty());
        // Screen only: silent whatever the resolution.
        let screen = check(
            &[placed((72, 72), (2.0, 2.0))],
            &PdfSettings::default(),
            &sources,
        );
        assert!(screen.is_empty(), "{screen:?}");
        let notes = screen_notes(&[placed((72, 72), (2.0, 2.0))], &PdfSettings::default());
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("36 ppi"), "{notes:?}");
        assert!(screen_notes(&[placed((72, 72), (2.0, 2.0))], &print()).is_empty());
        // The thresholds are settings.
        let lax = PdfSettings {
            warn_ppi: 100,
            min_ppi: 50,
            ..print()
        };
        assert!(check(&[placed((288, 288), (2.0, 2.0))], &lax, &sources).is_empty());
    }
}
