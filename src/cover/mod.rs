//! Covers: the one a publisher supplies, or a typographic one made for the
//! book. Writers receive a finished [`CoverArt`] and never look at files.
//!
//! - Supplied covers ([`supplied`]) are read under decoding limits, checked
//!   for size and shape (from the reader, so `qalam check` reports it), and
//!   reach the EPUB as a JPEG of at most 1600 x 2560 px (the file itself
//!   when it already is one) and the PDF as the original file.
//! - Generated covers ([`design`](mod@design)) are laid out once per canvas as filled
//!   outlines, type included (shaped from the bundled fonts): [`raster`]
//!   draws them as pixels for the EPUB, the PDF writer as vectors, and
//!   `qalam cover` can also write them as SVG.

pub mod colour;
pub mod design;
pub mod raster;
pub mod shape;
pub mod supplied;
pub mod text;

pub use crate::picture::CoverError;
pub use design::{Canvas, Content, Layout, Style};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Book, ImageFormat};
use crate::typeset::Engine;
use colour::Palette;
use std::path::PathBuf;
use std::sync::Arc;

/// A cover ready for the writers.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverArt {
    /// JPEG or PNG bytes for the EPUB (at most 1600 x 2560 px).
    pub raster: Vec<u8>,
    /// `image/jpeg` or `image/png`.
    pub media_type: &'static str,
    pub width: u32,
    pub height: u32,
    /// Alternative text describing the cover.
    pub alt: String,
    /// What the PDF writer places on the cover page.
    pub pdf: PdfCover,
}

/// The cover as the PDF needs it: original pixels, or vectors.
#[derive(Debug, Clone, PartialEq)]
pub enum PdfCover {
    /// The publisher's file, untouched (never re-compressed): place it to
    /// cover the page, or the bleed box in the print variant, with
    /// [`fill_box`]. krilla reads JPEG (CMYK included, with its ICC
    /// profile), PNG and WebP from these bytes. The pixels are upright: a
    /// file that relies on an EXIF rotation (which PDF viewers ignore)
    /// comes as a lossless PNG of the turned pixels instead.
    Supplied {
        /// The file the bytes come from, for messages.
        path: PathBuf,
        bytes: Arc<Vec<u8>>,
        format: ImageFormat,
        width: u32,
        height: u32,
    },
    /// A generated design, with the type as outlines (no fonts needed to
    /// draw it). Sizes are in points; `print` includes the bleed on every
    /// side.
    Generated {
        /// Trim size: `width_pt` x `height_pt`.
        screen: Box<Layout>,
        /// Trim plus `bleed_pt` on every side; made only for a book whose
        /// `[pdf] variants` include "print".
        print: Option<Box<Layout>>,
        width_pt: f32,
        height_pt: f32,
        bleed_pt: f32,
    },
    /// Nothing for the PDF: the cover was prepared for the EPUB alone
    /// ([`prepare_epub`]).
    Omitted,
}

/// Where to draw an image of `img_w` x `img_h` so that it covers a box of
/// `box_w` x `box_h` (as CSS `object-fit: cover`): x, y, width, height,
/// centred, overflowing on one axis when the ratios differ (the overflow
/// is meant to be clipped to the box).
pub fn fill_box(img_w: u32, img_h: u32, box_w: f32, box_h: f32) -> (f32, f32, f32, f32) {
    let (iw, ih) = (img_w.max(1) as f32, img_h.max(1) as f32);
    let scale = (box_w / iw).max(box_h / ih);
    let (w, h) = (iw * scale, ih * scale);
    ((box_w - w) / 2.0, (box_h - h) / 2.0, w, h)
}

/// The writers a cover is prepared for. Each side costs: the EPUB's is a
/// raster (a generated cover drawn at 1600 x 2560 px, a supplied one
/// re-encoded as JPEG unless it can pass through), the PDF's is the
/// original file (turned upright when it relies on an EXIF rotation) or
/// the generated design laid out on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writers {
    Epub,
    Pdf,
    Both,
}

impl Writers {
    fn epub(self) -> bool {
        self != Writers::Pdf
    }
    fn pdf(self) -> bool {
        self != Writers::Epub
    }
}

/// The book's cover for both writers: the supplied one, or a generated one
/// in the style `[cover] style` names. Problems become diagnostics; `None`
/// only when the cover cannot be used.
pub fn prepare(engine: &Engine, book: &Book, diags: &mut Diagnostics) -> Option<CoverArt> {
    prepare_for(engine, book, Writers::Both, diags)
}

/// The cover for an EPUB: as [`prepare`], with [`PdfCover::Omitted`] for
/// the PDF (a build makes the PDF's side with [`prepare_pdf`], at the same
/// time).
pub fn prepare_epub(engine: &Engine, book: &Book, diags: &mut Diagnostics) -> Option<CoverArt> {
    prepare_for(engine, book, Writers::Epub, diags)
}

/// The cover for a PDF: as [`prepare`], without the EPUB's raster.
/// `raster` is empty and `width`/`height` are those of the PDF's image (0
/// for a generated cover); only `pdf` and `alt` are meant to be used.
pub fn prepare_pdf(engine: &Engine, book: &Book, diags: &mut Diagnostics) -> Option<CoverArt> {
    prepare_for(engine, book, Writers::Pdf, diags)
}

fn prepare_for(
    engine: &Engine,
    book: &Book,
    writers: Writers,
    diags: &mut Diagnostics,
) -> Option<CoverArt> {
    let Some(image) = &book.cover else {
        return generated(engine, book, style_of(book), writers)
            .map_err(|e| diags.extend(e))
            .ok();
    };
    let result = crate::picture::read(&image.path).and_then(|bytes| {
        let probe = crate::picture::probe(&bytes, image.format)?;
        let epub = if writers.epub() {
            Some(supplied::epub_raster(&bytes, &probe)?)
        } else {
            None
        };
        let pdf = if writers.pdf() {
            Some(supplied::pdf_original(bytes, image.format, &probe)?)
        } else {
            None
        };
        let (raster, media_type, width, height) = match (epub, &pdf) {
            (Some((raster, w, h)), _) => (raster, "image/jpeg", w, h),
            (None, Some(p)) => (Vec::new(), p.format.media_type(), p.width, p.height),
            (None, None) => (Vec::new(), "image/jpeg", 0, 0),
        };
        Ok(CoverArt {
            raster,
            media_type,
            width,
            height,
            alt: image.alt.clone(),
            pdf: pdf.map_or(PdfCover::Omitted, |p| PdfCover::Supplied {
                path: image.path.clone(),
                bytes: Arc::new(p.bytes),
                format: p.format,
                width: p.width,
                height: p.height,
            }),
        })
    });
    result
        .map_err(|e: CoverError| diags.push(e.diagnostic(&image.src).in_file(&image.path)))
        .ok()
}

/// A generated cover in `style` for `writers`.
fn generated(
    engine: &Engine,
    book: &Book,
    style: Style,
    writers: Writers,
) -> Result<CoverArt, Diagnostics> {
    let (raster, media_type, width, height) = if writers.epub() {
        let png = render_png(&design(engine, book, style, Canvas::EPUB))?;
        let (w, h) = (Canvas::EPUB.width as u32, Canvas::EPUB.height as u32);
        (png, "image/png", w, h)
    } else {
        (Vec::new(), "image/svg+xml", 0, 0)
    };
    let pdf = if writers.pdf() {
        generated_pdf(engine, book, style)
    } else {
        PdfCover::Omitted
    };
    Ok(CoverArt {
        raster,
        media_type,
        width,
        height,
        alt: Content::of_book(book).alt(),
        pdf,
    })
}

/// A generated cover's layouts for the PDF: the trim size, and the trim
/// plus bleed when the book asks for the print variant.
fn generated_pdf(engine: &Engine, book: &Book, style: Style) -> PdfCover {
    let screen = Canvas::pdf(book, false);
    let print = Canvas::pdf(book, true);
    let wants_print = book
        .settings
        .pdf
        .variants
        .contains(&crate::model::PdfVariant::Print);
    PdfCover::Generated {
        screen: Box::new(design(engine, book, style, screen)),
        print: wants_print.then(|| Box::new(design(engine, book, style, print))),
        width_pt: screen.width,
        height_pt: screen.height,
        bleed_pt: print.bleed,
    }
}

/// The style `[cover] style` names, or the default.
pub fn style_of(book: &Book) -> Style {
    book.settings.cover.style.unwrap_or_default()
}

/// Lays out the book's generated cover on `canvas`, its type set in the
/// engine's bundled fonts.
pub fn design(engine: &Engine, book: &Book, style: Style, canvas: Canvas) -> Layout {
    let content = Content::of_book(book);
    let palette = Palette::for_book(&content.title, &book.settings.cover);
    design::layout(engine.bundled(), &content, &palette, style, canvas)
}

/// A generated cover for both writers: the EPUB's 1600 x 2560 PNG and the
/// PDF's layouts.
pub fn generate(engine: &Engine, book: &Book, style: Style) -> Result<CoverArt, Diagnostics> {
    generated(engine, book, style, Writers::Both)
}

fn render_error(e: raster::RasterError) -> Diagnostics {
    Diagnostic::bug(format!("cannot draw the cover: {e}")).into()
}

/// The layout as a PNG (the generated EPUB cover).
pub fn render_png(layout: &Layout) -> Result<Vec<u8>, Diagnostics> {
    raster::png(layout).map_err(render_error)
}

/// The layout as packed RGB pixels (width, height, pixels), with its decor
/// or (`decor` false) the type alone.
pub fn render_rgb(layout: &Layout, decor: bool) -> Result<(u32, u32, Vec<u8>), Diagnostics> {
    raster::rgb(layout, decor).map_err(render_error)
}

/// The layout as a JPEG.
pub fn render_jpeg(layout: &Layout) -> Result<Vec<u8>, Diagnostics> {
    let (w, h, rgb) = render_rgb(layout, true)?;
    let img = image::RgbImage::from_raw(w, h, rgb).ok_or_else(|| {
        Diagnostic::bug(format!(
            "cannot draw the cover: {w} x {h} px do not fit its pixels"
        ))
    })?;
    supplied::encode_jpeg(&img, None)
        .map_err(|e| Diagnostic::bug(format!("cannot encode the cover: {e}")).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_box_covers_and_centres() {
        // A 1:1.6 picture on a 1:1.5 page overflows top and bottom.
        let (x, y, w, h) = fill_box(1600, 2560, 432.0, 648.0);
        assert!(x.abs() < 1e-3 && (w - 432.0).abs() < 1e-3, "{x} {w}");
        assert!(h > 648.0 && (y + h / 2.0 - 324.0).abs() < 1e-3);
    }
}
