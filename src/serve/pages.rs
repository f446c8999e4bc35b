//! The PDF's pages as pictures (hayro, a PDF rasterizer in Rust), so the
//! preview shows the print pages in any browser, PDF viewer or not. A page
//! is drawn when the page asks for it, from the build's bytes in memory.

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::hayro_syntax::object::{Array, Dict, Name};
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};

/// Pixels per PDF point: a 6 × 9 in page is 648 × 972 px.
const SCALE: f32 = 1.5;

/// A page of the PDF as the preview page knows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageInfo {
    /// The size of its picture in pixels.
    pub width: u32,
    pub height: u32,
    /// Its printed number (the EPUB's page list names pages by it), when
    /// it has one.
    pub number: Option<u32>,
}

/// Each page of the PDF, or nothing when it does not open (it always
/// should: qalam wrote it).
pub fn pages(pdf: &[u8]) -> Vec<PageInfo> {
    let Ok(doc) = Pdf::new(pdf.to_vec()) else {
        return Vec::new();
    };
    let numbers = printed_numbers(&doc);
    doc.pages()
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let (w, h) = page.render_dimensions();
            PageInfo {
                width: (w * SCALE) as u32,
                height: (h * SCALE) as u32,
                number: numbers.get(i).copied().flatten(),
            }
        })
        .collect()
}

/// The printed number of each page, from the catalogue's page labels (a
/// flat number tree, as qalam writes it): a range with decimal numbering
/// (`/S /D`) counts from its `/St`; others (the cover's) have none.
fn printed_numbers(doc: &Pdf) -> Vec<Option<u32>> {
    let count = doc.pages().len();
    let mut numbers = vec![None; count];
    let catalog: Option<Dict<'_>> = doc.xref().get(doc.xref().root_id());
    let nums: Option<Array<'_>> = catalog
        .and_then(|c| c.get::<Dict<'_>>(b"PageLabels"))
        .and_then(|l| l.get(b"Nums"));
    let Some(nums) = nums else { return numbers };
    let mut ranges: Vec<(usize, Option<u32>)> = Vec::new();
    let mut items = nums.flex_iter();
    while let (Some(start), Some(label)) = (items.next::<usize>(), items.next::<Dict<'_>>()) {
        let decimal = label
            .get::<Name<'_>>(b"S")
            .is_some_and(|s| s.as_ref() == b"D");
        let first = label.get::<u32>(b"St").unwrap_or(1);
        ranges.push((start, decimal.then_some(first)));
    }
    for (k, &(start, first)) in ranges.iter().enumerate() {
        let end = ranges.get(k + 1).map_or(count, |r| r.0).min(count);
        for (offset, slot) in numbers.iter_mut().enumerate().take(end).skip(start) {
            *slot = first.map(|f| f + (offset - start) as u32);
        }
    }
    numbers
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
