//! The cover on a PDF page: a supplied picture at trim size (with its
//! bleed in the print variant: the edge pixels repeated outward, or the
//! print art), or a generated design as vectors. Used for the book's
//! first page and for the front of the full-wrap cover.

use crate::cover::PdfCover;
use crate::cover::print::{Bleed, Edges};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::ImageFormat;
use image::ImageEncoder;
use krilla::geom::{PathBuilder, Rect, Size, Transform};
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use std::sync::Arc;

/// How far the bleed strips reach under the picture, in points, so that
/// no hairline of paper shows between the two where a viewer's
/// anti-aliasing meets them.
const UNDER: f32 = 2.0;

/// Draws `art` on a page whose trim is `w` x `h` points at the surface's
/// origin, into a bleed of `bleed` points when `print`. `made` is the
/// picture already handed to krilla, if it was; problems are pushed to
/// `problems`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw(
    s: &mut Surface<'_>,
    art: &PdfCover,
    made: Option<Result<krilla::image::Image, String>>,
    w: f32,
    h: f32,
    bleed: f32,
    print: bool,
    problems: &mut Diagnostics,
) {
    let (bx, by, bw, bh) = (-bleed, -bleed, w + 2.0 * bleed, h + 2.0 * bleed);
    match art {
        PdfCover::Supplied {
            bytes,
            format,
            width,
            height,
            path,
            bleed: extra,
        } => {
            let in_bleed = print && bleed > 0.0;
            if in_bleed && let Bleed::Art(a) = extra {
                match krilla_image(a.bytes.clone(), a.format) {
                    Ok(image) => place(s, image, a.width, a.height, (bx, by, bw, bh)),
                    Err(e) => problems.push(
                        Diagnostic::error("bad-cover", format!("cannot place the cover: {e}"))
                            .in_file(&a.path),
                    ),
                }
                return;
            }
            let made = made.unwrap_or_else(|| krilla_image(bytes.clone(), *format));
            let image = match made {
                Ok(i) => i,
                Err(e) => {
                    problems.push(
                        Diagnostic::error("bad-cover", format!("cannot place the cover: {e}"))
                            .in_file(path),
                    );
                    return;
                }
            };
            if in_bleed
                && let Bleed::Edges(e) = extra
                && let Some(clip) = rect_path(bx, by, bw, bh)
            {
                s.push_clip_path(&clip, &FillRule::NonZero);
                edge_strips(s, e, (*width, *height), w, h, bleed);
                s.pop();
            }
            // The trim box, written as the screen variant always wrote
            // it (a zero bleed: -0.0, which krilla prints as 0).
            let t = 0.0f32;
            place(
                s,
                image,
                *width,
                *height,
                (-t, -t, w + 2.0 * t, h + 2.0 * t),
            );
        }
        // Only an EPUB build prepares a cover this way.
        PdfCover::Omitted => {}
        PdfCover::Generated {
            screen, print: p, ..
        } => {
            let layout = match p {
                Some(p) if print && bleed > 0.0 => p,
                _ => screen,
            };
            let (ow, oh) = layout.canvas.outer();
            if ow <= 0.0 || oh <= 0.0 {
                return;
            }
            // The layout's canvas is the box in points; the scale is
            // 1 unless a caller made the two disagree.
            s.push_transform(&Transform::from_row(bw / ow, 0.0, 0.0, bh / oh, bx, by));
            if let Some(r) = Rect::from_xywh(0.0, 0.0, ow, oh) {
                let mut pb = PathBuilder::new();
                pb.push_rect(r);
                if let Some(path) = pb.finish() {
                    s.set_fill(Some(fill(layout.background)));
                    s.draw_path(&path);
                }
            }
            let b = layout.canvas.bleed;
            s.push_transform(&Transform::from_translate(b, b));
            shapes(s, layout.shapes(true));
            s.pop();
            s.pop();
            s.set_fill(Some(Fill::default()));
        }
    }
}

/// Filled outlines, each in its colour.
pub(crate) fn shapes<'a>(
    s: &mut Surface<'_>,
    shapes: impl IntoIterator<Item = &'a crate::cover::design::Shape>,
) {
    for shape in shapes {
        if let Some(path) = krilla_path(&shape.path) {
            s.set_fill(Some(fill(shape.fill)));
            s.draw_path(&path);
        }
    }
}

pub(crate) fn fill(c: crate::cover::colour::Rgb) -> Fill {
    Fill {
        paint: krilla::color::rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: krilla::num::NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

pub(crate) fn rect_path(x: f32, y: f32, w: f32, h: f32) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    pb.push_rect(Rect::from_xywh(x, y, w, h)?);
    pb.finish()
}

/// An image of `iw` x `ih` px covering the box `(x, y, w, h)`, clipped to
/// it.
fn place(
    s: &mut Surface<'_>,
    image: krilla::image::Image,
    iw: u32,
    ih: u32,
    b: (f32, f32, f32, f32),
) {
    let (bx, by, bw, bh) = b;
    let (x, y, w, h) = crate::cover::fill_box(iw, ih, bw, bh);
    let Some(size) = Size::from_wh(w, h) else {
        return;
    };
    let clip = rect_path(bx, by, bw, bh);
    if let Some(clip) = &clip {
        s.push_clip_path(clip, &FillRule::NonZero);
    }
    s.push_transform(&Transform::from_translate(bx + x, by + y));
    s.draw_image(image, size);
    s.pop();
    if clip.is_some() {
        s.pop();
    }
}

/// The bleed around a picture of `iw` x `ih` px placed at trim size: its
/// edge pixels stretched outward, one-pixel strips drawn without
/// interpolation, so that every column of the bleed repeats the picture's
/// pixel on the trim line. Drawn before the picture, which covers the
/// part of each strip that reaches under it.
fn edge_strips(s: &mut Surface<'_>, e: &Edges, (iw, ih): (u32, u32), w: f32, h: f32, b: f32) {
    let (x, y, pw, _) = crate::cover::fill_box(iw, ih, w, h);
    let k = pw / iw.max(1) as f32;
    let (c0, r0) = (e.first.0 as f32, e.first.1 as f32);
    let cols = (e.top.len() / 3) as f32 * k;
    let rows = (e.left.len() / 3) as f32 * k;
    let (sx, sy) = (x + c0 * k, y + r0 * k);
    let reach = b + UNDER;
    let corner = |c: [u8; 3]| c.to_vec();
    let strips: [(Vec<u8>, u32, u32, [f32; 4]); 8] = [
        (corner(e.corners[0]), 1, 1, [-b, -b, reach, reach]),
        (corner(e.corners[1]), 1, 1, [w - UNDER, -b, reach, reach]),
        (corner(e.corners[2]), 1, 1, [-b, h - UNDER, reach, reach]),
        (
            corner(e.corners[3]),
            1,
            1,
            [w - UNDER, h - UNDER, reach, reach],
        ),
        (
            e.top.clone(),
            (e.top.len() / 3) as u32,
            1,
            [sx, -b, cols, reach],
        ),
        (
            e.bottom.clone(),
            (e.bottom.len() / 3) as u32,
            1,
            [sx, h - UNDER, cols, reach],
        ),
        (
            e.left.clone(),
            1,
            (e.left.len() / 3) as u32,
            [-b, sy, reach, rows],
        ),
        (
            e.right.clone(),
            1,
            (e.right.len() / 3) as u32,
            [w - UNDER, sy, reach, rows],
        ),
    ];
    for (px, iw, ih, [x, y, w, h]) in strips {
        let (Some(png), Some(size)) = (png(&px, iw, ih), Size::from_wh(w, h)) else {
            continue;
        };
        let Ok(image) = krilla_image(Arc::new(png), ImageFormat::Png) else {
            continue;
        };
        s.push_transform(&Transform::from_translate(x, y));
        s.draw_image(image, size);
        s.pop();
    }
}

/// RGB pixels as a PNG (a strip of the bleed).
fn png(rgb: &[u8], w: u32, h: u32) -> Option<Vec<u8>> {
    if w == 0 || h == 0 || rgb.len() != (w * h * 3) as usize {
        return None;
    }
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(rgb, w, h, image::ExtendedColorType::Rgb8)
        .ok()?;
    Some(out)
}

/// The same outline as a krilla path (krilla keeps its tiny-skia path
/// private, so it is rebuilt segment by segment), with its points rounded
/// to hundredths of a point.
///
/// Why rounded: the cover's outlines (its type, mostly) are the largest
/// content stream of the PDF, and an `f32` prints with up to nine digits
/// (`129.70801`); at two decimals the numbers are shorter, the page is
/// smaller before and after compression, and less to compress is less
/// time. A hundredth of a point is 3.5 micrometres, a tenth of a 2,400 dpi
/// printer's dot, so no printer can show the difference.
fn krilla_path(path: &tiny_skia::Path) -> Option<krilla::geom::Path> {
    use tiny_skia::PathSegment as Seg;
    let r = hundredths; // short, for the long lines below
    let mut pb = PathBuilder::new();
    for seg in path.segments() {
        match seg {
            Seg::MoveTo(p) => pb.move_to(r(p.x), r(p.y)),
            Seg::LineTo(p) => pb.line_to(r(p.x), r(p.y)),
            Seg::QuadTo(a, p) => pb.quad_to(r(a.x), r(a.y), r(p.x), r(p.y)),
            Seg::CubicTo(a, b, p) => pb.cubic_to(r(a.x), r(a.y), r(b.x), r(b.y), r(p.x), r(p.y)),
            Seg::Close => pb.close(),
        }
    }
    pb.finish()
}

/// `v` rounded to two decimals: an `f32` that prints with two at most.
fn hundredths(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

pub(crate) fn krilla_image(
    bytes: Arc<Vec<u8>>,
    format: ImageFormat,
) -> Result<krilla::image::Image, String> {
    let data = krilla::Data::from(bytes);
    // No interpolation: PDF/A forbids it, and print wants the pixels as they are.
    match format {
        ImageFormat::Png => krilla::image::Image::from_png(data, false),
        ImageFormat::Jpeg => krilla::image::Image::from_jpeg(data, false),
        ImageFormat::WebP => krilla::image::Image::from_webp(data, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_points_print_with_two_decimals_at_most() {
        for v in [
            129.708_01_f32,
            -0.004,
            647.999,
            12.345_678,
            0.1 + 0.2,
            432.0,
        ] {
            let r = hundredths(v);
            // pdf-writer prints the shortest decimal that reads back as the
            // same f32, as Display does.
            let s = r.to_string();
            let decimals = s.split('.').nth(1).map_or(0, str::len);
            assert!(decimals <= 2, "{v} prints as {s}");
            assert!((r - v).abs() <= 0.005 + 1e-4, "{v} moved to {r}");
        }
    }
}
