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
//! paths: no SVG is written or parsed on the way.

use super::colour::Rgb;
use super::design::Layout;
use std::io::Write as _;
use tiny_skia::{Color, FillRule, Paint, PixmapMut, Transform};

/// Rows drawn at a time.
const BAND: u32 = 32;

/// A cover that cannot be drawn: always qalam's fault (the layout is
/// ours), so the caller reports it as a bug.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("an empty canvas ({0} x {1} px)")]
    EmptyCanvas(u32, u32),
    #[error("no pixel buffer for a band of {0} x {1} px")]
    Band(u32, u32),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Png(#[from] png::EncodingError),
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

/// A band of rows as [`bands_of`] hands it on.
enum Band<'a> {
    /// `n` rows of background only (no shape reaches them).
    Plain(u32),
    /// Drawn rows as RGBA; opaque, so premultiplied RGBA is plain RGBA.
    Rgba(&'a [u8]),
}

/// Draws the layout (without its decor when `decor` is false) and calls
/// `rows` with each band as packed RGB rows, top to bottom.
fn bands(
    layout: &Layout,
    decor: bool,
    mut rows: impl FnMut(&[u8]) -> Result<(), RasterError>,
) -> Result<(), RasterError> {
    let (w, _) = size(layout);
    let width = w as usize;
    let c = layout.background;
    let mut plain: Vec<u8> = Vec::new();
    let mut rgb: Vec<u8> = Vec::new();
    bands_of(layout, decor, BAND, |band| match band {
        Band::Plain(n) => {
            let len = width * n as usize * 3;
            if plain.len() < len {
                plain = [c.0, c.1, c.2].repeat(len / 3);
            }
            rows(&plain[..len])
        }
        Band::Rgba(px) => {
            rgb.resize(px.len() / 4 * 3, 0);
            for (d, s) in rgb.chunks_exact_mut(3).zip(px.chunks_exact(4)) {
                d.copy_from_slice(&s[..3]);
            }
            rows(&rgb)
        }
    })
}

/// Draws the layout `band_rows` rows at a time and calls `rows` with each
/// band, top to bottom.
fn bands_of(
    layout: &Layout,
    decor: bool,
    band_rows: u32,
    mut rows: impl FnMut(Band<'_>) -> Result<(), RasterError>,
) -> Result<(), RasterError> {
    let (w, h) = size(layout);
    let band_rows = band_rows.clamp(1, h.max(1));
    if w == 0 || h == 0 {
        return Err(RasterError::EmptyCanvas(w, h));
    }
    let width = w as usize;
    let mut rgba = vec![0u8; width * band_rows as usize * 4];
    let background = color(layout.background);
    let bleed = layout.canvas.bleed;
    let mut paint = Paint {
        anti_alias: true,
        ..Paint::default()
    };
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
            rows(Band::Plain(n))?;
            top += n;
            continue;
        }
        let mut band =
            PixmapMut::from_bytes(&mut rgba[..len * 4], w, n).ok_or(RasterError::Band(w, n))?;
        band.fill(background);
        let place = Transform::from_translate(bleed, -y0);
        for shape in reaching {
            paint.set_color(color(shape.fill));
            band.fill_path(&shape.path, &paint, FillRule::Winding, place, None);
        }
        rows(Band::Rgba(&rgba[..len * 4]))?;
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

/// The layout as a PNG: with a palette when it has at most 256 colours
/// (flat fields and type do: the seed's cover has 74, counting the shades
/// of the letters' anti-aliased edges), else as RGB.
/// A palette image is a third of the pixels' bytes to filter and
/// compress, and a smaller file.
pub fn png(layout: &Layout) -> Result<Vec<u8>, RasterError> {
    match indexed(layout)? {
        Some(image) => {
            let (w, h) = size(layout);
            png_indexed(w, h, image)
        }
        None => png_rgb(layout),
    }
}

/// A palette image: the PLTE bytes (R, G, B per entry) and its rows,
/// filtered and compressed: the IDAT data.
struct Indexed {
    palette: Vec<u8>,
    idat: Vec<u8>,
}

/// The layout as a palette image, or `None` past 256 colours.
///
/// PNG puts the palette before the pixels, but the palette is known only
/// once every band is drawn; the rows are compressed band by band as they
/// come and the chunks are put in order afterwards. Keeping the rows
/// instead, one index per pixel, would take 4 MB of fresh memory for the
/// EPUB cover (one byte for each of its 1600 x 2560 pixels).
fn indexed(layout: &Layout) -> Result<Option<Indexed>, RasterError> {
    let (w, _) = size(layout);
    let width = w as usize;
    let mut palette = Colours::default();
    let bg = palette
        .index(u32::from_le_bytes([
            layout.background.0,
            layout.background.1,
            layout.background.2,
            255,
        ]))
        .unwrap_or(0);
    let mut rows = Rows::new(width)?;
    let mut band: Vec<u8> = Vec::new();
    let mut full = false;
    bands_of(layout, true, BAND, |drawn| {
        // Past 256 colours the rest is only drawn; the caller draws RGB.
        if full {
            return Ok(());
        }
        let px = match drawn {
            Band::Plain(n) => {
                band.clear();
                band.resize(width, bg);
                return rows.push_times(&band, n);
            }
            Band::Rgba(px) => px,
        };
        band.resize(px.len() / 4, 0);
        // Four pixels at a time while they repeat the last colour.
        let mut out4 = band.chunks_exact_mut(4);
        let mut px16 = px.chunks_exact(16);
        for (o, p) in (&mut out4).zip(&mut px16) {
            let quad = u128::from_le_bytes(p.try_into().expect("16 bytes"));
            if quad == u128::from(palette.last) * 0x0000_0001_0000_0001_0000_0001_0000_0001 {
                o.fill(palette.at);
            } else if !palette.pixels(o, p) {
                full = true;
                return Ok(());
            }
        }
        full = !palette.pixels(out4.into_remainder(), px16.remainder());
        if !full {
            for row in band.chunks_exact(width) {
                rows.push(row)?;
            }
        }
        Ok(())
    })?;
    if full {
        return Ok(None);
    }
    Ok(Some(Indexed {
        palette: palette.rgb(),
        idat: rows.finish()?,
    }))
}

/// Rows of palette indices on their way into IDAT data: each filtered
/// with `Sub`, which turns a run of one index into a run of zeros (which
/// fdeflate compresses well and other repeated bytes not: unfiltered, a
/// palette PNG of a banded design is several times larger than its RGB PNG),
/// then compressed with fdeflate, the fastest compressor the png crate
/// has: row by row, as the png crate does it, so the bytes are the ones
/// its `write_image_data` gave (the seed's EPUB is byte for byte the
/// same). Unlike it, rows that would not compress are not stored instead:
/// flat covers always compress.
struct Rows {
    compressor: fdeflate::Compressor<Vec<u8>>,
    /// One filtered row: the filter type, then the differences.
    filtered: Vec<u8>,
}

impl Rows {
    fn new(width: usize) -> Result<Self, RasterError> {
        Ok(Rows {
            compressor: fdeflate::Compressor::new(Vec::with_capacity(128 * 1024))?,
            filtered: vec![0; width + 1],
        })
    }

    fn push(&mut self, row: &[u8]) -> Result<(), RasterError> {
        self.push_times(row, 1)
    }

    /// `row`, filtered once, `n` times over.
    fn push_times(&mut self, row: &[u8], n: u32) -> Result<(), RasterError> {
        // PNG's filter type 1, Sub: each byte minus the one to its left.
        self.filtered[0] = 1;
        let out = &mut self.filtered[1..];
        if let (Some(o), Some(&first)) = (out.first_mut(), row.first()) {
            *o = first;
        }
        for (o, pair) in out[1..].iter_mut().zip(row.windows(2)) {
            *o = pair[1].wrapping_sub(pair[0]);
        }
        for _ in 0..n {
            self.compressor.write_data(&self.filtered)?;
        }
        Ok(())
    }

    fn finish(self) -> Result<Vec<u8>, RasterError> {
        Ok(self.compressor.finish()?)
    }
}

/// The colours met so far, in order, each with its palette index.
struct Colours {
    seen: rustc_hash::FxHashMap<u32, u8>,
    order: Vec<u32>,
    recent: [Option<(u32, u8)>; 64],
    /// The last pixel's colour and index: most pixels repeat the one
    /// before, and only changes are looked up. Every pixel is opaque, so
    /// the zero colour (alpha 0) starts the run.
    last: u32,
    at: u8,
}

impl Default for Colours {
    fn default() -> Self {
        Colours {
            seen: Default::default(),
            order: Vec::new(),
            recent: [None; 64],
            last: 0,
            at: 0,
        }
    }
}

impl Colours {
    /// Writes the index of each RGBA pixel of `px` into `out`; `false` as
    /// soon as the palette is full.
    fn pixels(&mut self, out: &mut [u8], px: &[u8]) -> bool {
        for (o, p) in out.iter_mut().zip(px.chunks_exact(4)) {
            let c = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
            if c != self.last {
                match self.index(c) {
                    Some(i) => (self.last, self.at) = (c, i),
                    None => return false,
                }
            }
            *o = self.at;
        }
        true
    }

    /// The index of opaque colour `c` (RGBA bytes, little end first);
    /// `None` when the palette is full.
    fn index(&mut self, c: u32) -> Option<u8> {
        // Anti-aliased edges go back and forth between a few shades: a
        // small direct-mapped table answers most lookups before the map.
        let slot = (c.wrapping_mul(0x9E37_79B9) >> 26) as usize;
        if let Some((k, i)) = self.recent[slot]
            && k == c
        {
            return Some(i);
        }
        if let Some(&i) = self.seen.get(&c) {
            self.recent[slot] = Some((c, i));
            return Some(i);
        }
        let i = u8::try_from(self.order.len()).ok()?;
        self.seen.insert(c, i);
        self.order.push(c);
        Some(i)
    }

    /// The PLTE chunk's bytes: R, G, B per entry.
    fn rgb(&self) -> Vec<u8> {
        self.order
            .iter()
            .flat_map(|c| {
                let [r, g, b, _] = c.to_le_bytes();
                [r, g, b]
            })
            .collect()
    }
}

/// The layout as an RGB PNG, compressed as it is drawn.
fn png_rgb(layout: &Layout) -> Result<Vec<u8>, RasterError> {
    let (w, h) = size(layout);
    let mut out = Vec::with_capacity(256 * 1024);
    let mut encoder = png_encoder(&mut out, w, h, png::ColorType::Rgb, None);
    // `Sub` turns the flat fields of a design into runs of zeros.
    encoder.set_filter(png::Filter::Sub);
    let mut writer = encoder.write_header()?;
    let mut stream = writer.stream_writer_with_size(64 * 1024)?;
    bands(layout, true, |rows| Ok(stream.write_all(rows)?))?;
    stream.finish()?;
    writer.finish()?;
    Ok(out)
}

/// A palette image as a PNG: its header and palette, then its rows as
/// one IDAT chunk.
fn png_indexed(w: u32, h: u32, image: Indexed) -> Result<Vec<u8>, RasterError> {
    let mut out = Vec::with_capacity(image.idat.len() + 1024);
    let encoder = png_encoder(&mut out, w, h, png::ColorType::Indexed, Some(image.palette));
    let mut writer = encoder.write_header()?;
    writer.write_chunk(png::chunk::IDAT, &image.idat)?;
    writer.finish()?;
    Ok(out)
}

/// An 8-bit encoder. fdeflate, the fastest compression the png crate has:
/// a cover must be made in milliseconds, and flat colour compresses well
/// anyway (trying every filter on every row, `Adaptive`, cost a tenth of a
/// catalogue book's build).
fn png_encoder<'a>(
    out: &'a mut Vec<u8>,
    w: u32,
    h: u32,
    colour: png::ColorType,
    palette: Option<Vec<u8>>,
) -> png::Encoder<'a, &'a mut Vec<u8>> {
    let mut encoder = png::Encoder::new(out, w, h);
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    if let Some(p) = palette {
        encoder.set_palette(p);
    }
    encoder.set_compression(png::Compression::Fast);
    encoder
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
        design::layout(
            crate::typeset::Engine::new().bundled(),
            &content,
            &palette,
            Style::Band,
            canvas,
        )
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
    fn a_design_of_many_colours_is_written_as_rgb() {
        let mut l = layout(Canvas::EPUB);
        // 300 squares of colours of their own: more than a palette holds.
        for i in 0..300u32 {
            let (x, y) = ((i % 20) as f32 * 60.0, (i / 20) as f32 * 60.0 + 40.0);
            l.decor.push(crate::cover::design::Shape {
                fill: Rgb((i % 256) as u8, (i / 256) as u8 * 100 + 7, 200),
                path: tiny_skia::PathBuilder::from_rect(
                    tiny_skia::Rect::from_xywh(x, y, 50.0, 50.0).unwrap(),
                ),
            });
        }
        assert!(indexed(&l).unwrap().is_none());
        let (_, _, pixels) = rgb(&l, true).unwrap();
        let decoded = image::load_from_memory(&png(&l).unwrap())
            .unwrap()
            .to_rgb8();
        assert!(decoded.as_raw() == &pixels);
        // The usual design takes a palette, smaller than RGB would be.
        let l = layout(Canvas::EPUB);
        assert!(indexed(&l).unwrap().is_some());
        let (a, b) = (png(&l).unwrap().len(), png_rgb(&l).unwrap().len());
        assert!(a < b, "palette {a} rgb {b}");
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
        bands_of(&l, true, u32::MAX, |band| {
            if let Band::Rgba(px) = band {
                whole.extend(px.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]));
            }
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
            safe: 0.0,
        };
        assert!(rgb(&l, true).is_err());
        assert!(png(&l).is_err());
    }
}
