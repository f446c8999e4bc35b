//! Covers as pixels: a [`Layout`] filled with tiny-skia one band of rows at
//! a time, each band handed on (to a streaming PNG encoder) before the
//! next is drawn.
//!
//! Why bands rather than one canvas: the EPUB cover is 1600 x 2560 px,
//! 16 MB as RGBA, written once and read once, so a one-book build pays
//! for a whole canvas in page faults and cache misses. A band of 32 rows
//! is 200 KB, stays in cache while it is filled, stripped of alpha and
//! compressed, and is reused for the next band. Shapes are drawn only
//! into the bands their bounds reach, and they are the layout's own
//! paths: no SVG is written or parsed on the way. Together this took
//! `cargo bench --bench cover` from 14.7 ms (resvg on the layout's SVG,
//! whole canvas, then PNG) to 8.7 ms.

use super::colour::Rgb;
use super::design::Layout;
use std::io::Write as _;
use tiny_skia::{Color, FillRule, Paint, PixmapMut, Transform};

/// Rows drawn at a time.
const BAND: u32 = 32;

/// A cover that cannot be drawn: always qalam's fault (the layout is
/// ours), so the messages say so.
#[derive(Debug)]
pub struct RasterError(pub String);

impl std::fmt::Display for RasterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::io::Error> for RasterError {
    fn from(e: std::io::Error) -> Self {
        RasterError(e.to_string())
    }
}

impl From<png::EncodingError> for RasterError {
    fn from(e: png::EncodingError) -> Self {
        RasterError(e.to_string())
    }
}

/// The layout's size in pixels (one canvas unit is one pixel), bleed
/// included.
pub fn size(layout: &Layout) -> (u32, u32) {
    let (w, h) = layout.canvas.outer();
    (w.ceil().max(0.0) as u32, h.ceil().max(0.0) as u32)
}

fn color(c: Rgb) -> Color {
    Color::from_rgba8(c.0, c.1, c.2, 255)
}

/// Draws the layout (without its decor when `decor` is false) and calls
/// `rows` with each band as packed RGB rows, top to bottom.
fn bands(
    layout: &Layout,
    decor: bool,
    rows: impl FnMut(&[u8]) -> Result<(), RasterError>,
) -> Result<(), RasterError> {
    bands_of(layout, decor, BAND, rows)
}

/// [`bands`] with `band_rows` rows at a time.
fn bands_of(
    layout: &Layout,
    decor: bool,
    band_rows: u32,
    mut rows: impl FnMut(&[u8]) -> Result<(), RasterError>,
) -> Result<(), RasterError> {
    let (w, h) = size(layout);
    let band_rows = band_rows.clamp(1, h.max(1));
    if w == 0 || h == 0 {
        return Err(RasterError(format!("an empty canvas ({w} x {h} px)")));
    }
    let width = w as usize;
    let mut rgba = vec![0u8; width * band_rows as usize * 4];
    let mut rgb = vec![0u8; width * band_rows as usize * 3];
    let background = color(layout.background);
    let bleed = layout.canvas.bleed;
    let mut paint = Paint {
        anti_alias: true,
        ..Paint::default()
    };
    // A band no shape reaches is background only: its rows are made once.
    let mut plain: Vec<u8> = Vec::new();
    let mut top = 0;
    while top < h {
        let n = band_rows.min(h - top);
        let len = width * n as usize;
        let (y0, y1) = (top as f32 - bleed, (top + n) as f32 - bleed);
        let mut reaching = layout
            .shapes(decor)
            .filter(|s| {
                let b = s.path.bounds();
                b.bottom() >= y0 && b.top() <= y1
            })
            .peekable();
        if reaching.peek().is_none() {
            if plain.len() < len * 3 {
                let c = layout.background;
                plain = [c.0, c.1, c.2].repeat(width * band_rows as usize);
            }
            rows(&plain[..len * 3])?;
            top += n;
            continue;
        }
        let mut band = PixmapMut::from_bytes(&mut rgba[..len * 4], w, n)
            .ok_or_else(|| RasterError(format!("a band of {w} x {n} px")))?;
        band.fill(background);
        let place = Transform::from_translate(bleed, -y0);
        for shape in reaching {
            paint.set_color(color(shape.fill));
            band.fill_path(&shape.path, &paint, FillRule::Winding, place, None);
        }
        // The background is opaque, so premultiplied RGBA is plain RGBA:
        // keeping the first three bytes of each pixel is the conversion.
        for (d, s) in rgb[..len * 3]
            .chunks_exact_mut(3)
            .zip(rgba[..len * 4].chunks_exact(4))
        {
            d.copy_from_slice(&s[..3]);
        }
        rows(&rgb[..len * 3])?;
        top += n;
    }
    Ok(())
}

/// The whole layout as packed RGB: width, height, pixels.
pub fn rgb(layout: &Layout, decor: bool) -> Result<(u32, u32, Vec<u8>), RasterError> {
    let (w, h) = size(layout);
    let mut out = Vec::with_capacity(w as usize * h as usize * 3);
    bands(layout, decor, |rows| {
        out.extend_from_slice(rows);
        Ok(())
    })?;
    Ok((w, h, out))
}

/// The layout as an RGB PNG, compressed as it is drawn.
pub fn png(layout: &Layout) -> Result<Vec<u8>, RasterError> {
    let (w, h) = size(layout);
    let mut out = Vec::with_capacity(256 * 1024);
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // fdeflate and one filter: flat colour compresses well anyway, and a
    // cover must be made in milliseconds. `Sub` turns the flat fields of a
    // design into runs of zeros; trying every filter on every row
    // (`Adaptive`) cost a tenth of a catalogue book's build.
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::Filter::Sub);
    let mut writer = encoder.write_header()?;
    let mut stream = writer.stream_writer_with_size(64 * 1024)?;
    bands(layout, true, |rows| Ok(stream.write_all(rows)?))?;
    stream.finish()?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cover::colour::Palette;
    use crate::cover::design::{self, Canvas, Content, Style};

    fn layout(canvas: Canvas) -> Layout {
        let content = Content {
            title: "Bands Meet Without Seams".into(),
            subtitle: Some("A test of the rasteriser".into()),
            names: Some("A. Person".into()),
            publisher: Some("Press".into()),
            lang: "en".into(),
        };
        let palette = Palette::for_title(&content.title);
        design::layout(&content, &palette, Style::Band, canvas)
    }

    #[test]
    fn the_png_holds_the_same_pixels_as_the_raster() {
        let l = layout(Canvas::EPUB);
        let (w, h, pixels) = rgb(&l, true).unwrap();
        assert_eq!((w, h), (1600, 2560));
        let png = png(&l).unwrap();
        let decoded = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(decoded.dimensions(), (w, h));
        assert!(decoded.as_raw() == &pixels);
        // Not all background: the type and the band are there.
        let bg = &pixels[..3];
        let inked = pixels.chunks_exact(3).filter(|p| p != &bg).count();
        assert!(inked > 100_000, "{inked}");
    }

    #[test]
    fn bands_draw_what_one_canvas_draws() {
        // tiny-skia chops a curve where a band's edge cuts it and flattens
        // each piece on its own, so edge pixels of letters that straddle
        // a band's edge may differ from a one-canvas drawing by a fraction
        // of a pixel's coverage; nothing else may.
        let l = layout(Canvas::EPUB);
        let (_, _, banded) = rgb(&l, true).unwrap();
        let mut whole = Vec::new();
        bands_of(&l, true, u32::MAX, |rows| {
            whole.extend_from_slice(rows);
            Ok(())
        })
        .unwrap();
        assert_eq!(banded.len(), whole.len());
        let diffs: Vec<u8> = banded
            .iter()
            .zip(&whole)
            .map(|(a, b)| a.abs_diff(*b))
            .filter(|&d| d > 0)
            .collect();
        let worst = diffs.iter().copied().max().unwrap_or(0);
        assert!(worst <= 96, "a sample differs by {worst}");
        assert!(
            diffs.len() < banded.len() / 500,
            "{} of {} samples differ",
            diffs.len(),
            banded.len()
        );
    }

    #[test]
    fn an_empty_canvas_is_an_error_not_a_panic() {
        let mut l = layout(Canvas::EPUB);
        l.canvas = Canvas {
            width: 0.0,
            height: 0.0,
            bleed: 0.0,
        };
        assert!(rgb(&l, true).is_err());
        assert!(png(&l).is_err());
    }
}
