//! A full-wrap cover ([`crate::cover::wrap::Wrap`]) as a one-page PDF:
//! the page is the sheet with its bleed (MediaBox and BleedBox), the
//! TrimBox the sheet as cut, with no marks (print-on-demand services
//! refuse them). The spine's type is text in an embedded subset of the
//! bundled face, so that the printer's preflight and a search find it;
//! the rest is drawn as on the book's cover page.

use super::cover::{draw, fill, rect_path, shapes};
use crate::cover::wrap::Wrap;
use crate::diag::{Diagnostic, Diagnostics};
use krilla::Document;
use krilla::SerializeSettings;
use krilla::geom::{Point, Rect, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;

/// Writes the wrap. Deterministic: no date, the document id from the
/// title and the sheet's size.
pub fn write(wrap: &Wrap) -> Result<Vec<u8>, Diagnostics> {
    let g = &wrap.geometry;
    let b = g.bleed;
    let (ow, oh) = g.outer();
    let (tw, th) = g.trim();
    let no_page = || Diagnostics::from(Diagnostic::error("pdf-no-room", "the sheet has no size"));
    let ps = PageSettings::from_wh(ow, oh)
        .ok_or_else(no_page)?
        .with_trim_box(Rect::from_xywh(b, b, tw, th))
        .with_bleed_box(Rect::from_xywh(0.0, 0.0, ow, oh));
    let settings = SerializeSettings {
        compress_content_streams: true,
        xmp_metadata: true,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    let mut problems = Diagnostics::new();
    {
        let mut page = doc.start_page_with(ps);
        let mut s = page.surface();
        // The front first, with its bleed on every side; the back and the
        // spine then cover the bleed it threw over the fold.
        s.push_transform(&Transform::from_translate(b + g.front_x(), b));
        let front = &wrap.front.pdf;
        draw(
            &mut s,
            front,
            None,
            g.width,
            g.height,
            b,
            true,
            &mut problems,
        );
        s.pop();
        if let Some(ground) = rect_path(0.0, 0.0, b + g.front_x(), oh) {
            s.set_fill(Some(fill(wrap.ground)));
            s.draw_path(&ground);
        }
        s.push_transform(&Transform::from_translate(b, b));
        shapes(&mut s, &wrap.back);
        s.pop();
        if let Some(t) = &wrap.spine {
            let (asc, desc) = t.extent();
            // Turned a quarter clockwise: the text runs down the spine,
            // its line centred between the folds.
            let cx = b + g.spine_x() + g.spine / 2.0;
            let start = b + (g.height - t.length()) / 2.0;
            let baseline = (asc + desc) / 2.0 * t.size;
            s.push_transform(&Transform::from_row(0.0, 1.0, -1.0, 0.0, cx, start));
            let mut x = 0.0;
            for (line, ink) in &t.parts {
                if let Some(font) = wrap.fonts.book().krilla_font(line.font) {
                    s.set_fill(Some(fill(*ink)));
                    s.draw_glyphs(
                        Point::from_xy(x, baseline),
                        &line.glyphs,
                        font,
                        &line.text,
                        t.size,
                        false,
                    );
                }
                x += (line.width + t.gap) * t.size;
            }
            s.pop();
        }
        s.finish();
        page.finish();
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    doc.set_metadata(
        Metadata::new()
            .title(format!("Cover of {}", wrap.title))
            .creator(format!("qalam {}", env!("CARGO_PKG_VERSION")))
            .document_id(format!("{} wrap {:.2} x {:.2}", wrap.title, ow, oh)),
    );
    doc.finish().map_err(|e| {
        Diagnostics::from(Diagnostic::bug(format!(
            "cannot write the wrap cover: {e:?}"
        )))
    })
}
