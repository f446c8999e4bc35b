//! The PDF's pages as pictures (hayro, a PDF rasterizer in Rust), so the
//! preview shows the print pages in any browser, PDF viewer or not. A page
//! is drawn when the page asks for it, from the build's bytes in memory.

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};

/// Pixels per PDF point: a 6 × 9 in page is 648 × 972 px.
const SCALE: f32 = 1.5;

/// The size in pixels of each page's picture, or nothing when the PDF
/// does not open (it always should: qalam wrote it).
pub fn sizes(pdf: &[u8]) -> Vec<[u32; 2]> {
    let Ok(doc) = Pdf::new(pdf.to_vec()) else {
        return Vec::new();
    };
    doc.pages()
        .iter()
        .map(|page| {
            let (w, h) = page.render_dimensions();
            [(w * SCALE) as u32, (h * SCALE) as u32]
        })
        .collect()
}

/// Page `number` (from 1) as a PNG.
pub fn png(pdf: &[u8], number: usize) -> Option<Vec<u8>> {
    let doc = Pdf::new(pdf.to_vec()).ok()?;
    let page = doc.pages().get(number.checked_sub(1)?)?;
    let pixmap = hayro::render(
        page,
        &RenderCache::new(),
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: SCALE,
            y_scale: SCALE,
            bg_color: WHITE,
        },
    );
    pixmap.into_png().ok()
}
