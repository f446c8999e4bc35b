//! A supplied cover for print: the picture stays at trim size (what the
//! screen PDF shows, so nothing the designer placed moves towards the
//! trimmer's knife), and the bleed around it repeats the picture's edge
//! pixels outward; or, with `[cover] print`, art made at trim plus bleed
//! fills the bleed box. Either way the band inside the trim that the safe
//! area protects is looked at, and detail in it reported.

use super::fill_box;
use crate::diag::Diagnostic;
use crate::model::ImageFormat;
use image::RgbImage;
use std::path::PathBuf;
use std::sync::Arc;

/// How much a pixel may differ from the trim edge's pixel in its row or
/// column (on any channel, of 255) and still count as plain ground: above
/// JPEG noise on a flat colour and the slow change of a gradient, below
/// any legible type.
const PLAIN: u8 = 40;

/// The bleed of a supplied cover in the print variant.
#[derive(Debug, Clone, PartialEq)]
pub enum Bleed {
    /// No print variant is made: nothing prepared.
    None,
    /// The picture's edge pixels, repeated outward.
    Edges(Box<Edges>),
    /// `[cover] print`: art at trim plus bleed.
    Art(Box<Art>),
}

/// The pixels on the trim line of the part of the picture the page
/// shows, as RGB: one row along the head and the foot, one column down
/// either side, and the four corners. Each strip covers the picture's
/// pixels from `first` (a column for the rows, a row for the columns).
#[derive(Debug, Clone, PartialEq)]
pub struct Edges {
    pub top: Vec<u8>,
    pub bottom: Vec<u8>,
    pub left: Vec<u8>,
    pub right: Vec<u8>,
    /// Top-left, top-right, bottom-left, bottom-right.
    pub corners: [[u8; 3]; 4],
    /// First column of `top` and `bottom`, first row of `left` and `right`.
    pub first: (u32, u32),
}

/// Print art: the file as it is (never re-compressed).
#[derive(Debug, Clone, PartialEq)]
pub struct Art {
    pub path: PathBuf,
    pub bytes: Arc<Vec<u8>>,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    /// The pixels of the art's column on the trim's left edge (where a
    /// full-wrap cover's spine meets it), as RGB.
    pub left: Vec<u8>,
}

/// The part of a picture placed on a box of `box_w` x `box_h` (as
/// [`fill_box`] places it) that falls inside the box, in pixels:
/// x0, y0, x1, y1 (fractional), and the points per pixel.
pub fn visible(img_w: u32, img_h: u32, box_w: f32, box_h: f32) -> ([f32; 4], f32) {
    let (x, y, w, _) = fill_box(img_w, img_h, box_w, box_h);
    let s = w / img_w.max(1) as f32;
    let (x0, y0) = (-x / s, -y / s);
    ([x0, y0, x0 + box_w / s, y0 + box_h / s], s)
}

/// Pixel index ranges of the visible part: first and one-past-last
/// column, first and one-past-last row, inside the picture.
fn pixel_range(img: &RgbImage, v: [f32; 4]) -> (u32, u32, u32, u32) {
    let (w, h) = img.dimensions();
    let lo = |f: f32, n: u32| (f.floor().max(0.0) as u32).min(n.saturating_sub(1));
    let hi = |f: f32, n: u32, start: u32| (f.ceil().max(0.0) as u32).clamp(start + 1, n.max(1));
    let (c0, r0) = (lo(v[0], w), lo(v[1], h));
    (c0, hi(v[2], w, c0), r0, hi(v[3], h, r0))
}

/// The edge pixels of `img` placed at trim size `w` x `h` (points).
pub fn edges(img: &RgbImage, w: f32, h: f32) -> Edges {
    let (v, _) = visible(img.width(), img.height(), w, h);
    let (c0, c1, r0, r1) = pixel_range(img, v);
    let px = |x: u32, y: u32| img.get_pixel(x, y).0;
    let row = |y: u32| (c0..c1).flat_map(|x| px(x, y)).collect::<Vec<u8>>();
    let col = |x: u32| (r0..r1).flat_map(|y| px(x, y)).collect::<Vec<u8>>();
    Edges {
        top: row(r0),
        bottom: row(r1 - 1),
        left: col(c0),
        right: col(c1 - 1),
        corners: [
            px(c0, r0),
            px(c1 - 1, r0),
            px(c0, r1 - 1),
            px(c1 - 1, r1 - 1),
        ],
        first: (c0, r0),
    }
}

/// The pixels of `img`'s column on the left trim line, for a box of
/// `box_w` x `box_h` points whose trim is inset by `inset` points.
pub fn left_column(img: &RgbImage, box_w: f32, box_h: f32, inset: f32) -> Vec<u8> {
    let (v, s) = visible(img.width(), img.height(), box_w, box_h);
    let i = inset / s;
    let (c0, _, r0, r1) = pixel_range(img, [v[0] + i, v[1] + i, v[2] - i, v[3] - i]);
    (r0..r1).flat_map(|y| img.get_pixel(c0, y).0).collect()
}

/// The sides of a cover, for messages.
const SIDES: [&str; 4] = ["head", "foot", "left edge", "right edge"];

/// For each side (head, foot, left, right): how far inside the trim, in
/// points, the nearest detail lies within `band` points of the trim
/// line, for `img` placed on a box of `box_w` x `box_h` points whose trim
/// is inset by `inset` points (the bleed, for print art; 0 for a picture
/// placed at trim size). Detail: a pixel that differs by more than 40
/// (of 255, on any channel) from the trim line's pixel of its column or
/// row, in a row or column with at least two such pixels (one is noise).
pub fn detail(img: &RgbImage, box_w: f32, box_h: f32, inset: f32, band: f32) -> [Option<f32>; 4] {
    let (v, s) = visible(img.width(), img.height(), box_w, box_h);
    let i = inset / s;
    let trim = [v[0] + i, v[1] + i, v[2] - i, v[3] - i];
    let (c0, c1, r0, r1) = pixel_range(img, trim);
    let n = (band / s).ceil() as u32;
    let differs = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).any(|(x, y)| x.abs_diff(y) > PLAIN);
    let px = |x: u32, y: u32| img.get_pixel(x, y).0;
    let mut out = [None; 4];
    // Rows inward from the head and the foot, columns from either side.
    for k in 0..n {
        if out[0].is_none() && r0 + k < r1 {
            let y = r0 + k;
            if (c0..c1).filter(|&x| differs(px(x, y), px(x, r0))).count() >= 2 {
                out[0] = Some(((y as f32 - trim[1]) * s).max(0.0));
            }
        }
        if out[1].is_none() && k < r1 - r0 {
            let y = r1 - 1 - k;
            if (c0..c1)
                .filter(|&x| differs(px(x, y), px(x, r1 - 1)))
                .count()
                >= 2
            {
                out[1] = Some(((trim[3] - (y + 1) as f32) * s).max(0.0));
            }
        }
        if out[2].is_none() && c0 + k < c1 {
            let x = c0 + k;
            if (r0..r1).filter(|&y| differs(px(x, y), px(c0, y))).count() >= 2 {
                out[2] = Some(((x as f32 - trim[0]) * s).max(0.0));
            }
        }
        if out[3].is_none() && k < c1 - c0 {
            let x = c1 - 1 - k;
            if (r0..r1)
                .filter(|&y| differs(px(x, y), px(c1 - 1, y)))
                .count()
                >= 2
            {
                out[3] = Some(((trim[2] - (x + 1) as f32) * s).max(0.0));
            }
        }
    }
    out
}

/// The warning for detail nearer the trim than `safe` points, if any.
pub fn safe_area_warning(found: [Option<f32>; 4], safe: f32, src: &str) -> Option<Diagnostic> {
    let near: Vec<String> = SIDES
        .iter()
        .zip(found)
        .filter_map(|(side, d)| d.filter(|&d| d < safe).map(|d| (side, d)))
        .map(|(side, d)| format!("{:.2} in inside the trim at the {side}", d / 72.0))
        .collect();
    if near.is_empty() {
        return None;
    }
    Some(
        Diagnostic::warning(
            "cover-safe-area",
            format!(
                "cover `{src}` has detail within the safe area of {:.2} in: {}; \
                 the trimmer may cut into it or leave it too close to the edge",
                safe / 72.0,
                near.join(", ")
            ),
        )
        .help(
            "keep type and faces at least the safe area inside the trim (the PDF places the picture at trim size \
             and repeats its edge pixels into the bleed), or give art made with its bleed as [cover] print; \
             [cover] safe-area sets the distance",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A flat field with a dark block whose nearest edge is `gap` px from
    /// the foot.
    fn field(w: u32, h: u32, gap: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            let ink = x > w / 4 && x < w / 2 && y >= h - gap - 10 && y < h - gap;
            image::Rgb(if ink { [20, 20, 20] } else { [200, 180, 90] })
        })
    }

    #[test]
    fn edges_are_the_pixels_on_the_trim_line() {
        // 100 x 160 px on 60 x 90 pt: width-limited, 0.6 pt/px, 10 px
        // hidden above and below the trim.
        let img = RgbImage::from_fn(100, 160, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let e = edges(&img, 60.0, 90.0);
        assert_eq!(e.first, (0, 5));
        assert_eq!(e.top.len(), 300);
        assert_eq!(&e.top[..6], &[0, 5, 7, 1, 5, 7]);
        assert_eq!(&e.bottom[..3], &[0, 154, 7]);
        assert_eq!(e.left.len(), 150 * 3);
        assert_eq!(&e.right[..3], &[99, 5, 7]);
        assert_eq!(e.corners[3], [99, 154, 7]);
    }

    #[test]
    fn detail_is_measured_from_the_trim() {
        // 1 pt a pixel: the block ends 12 px above the foot.
        let img = field(200, 300, 12);
        let d = detail(&img, 200.0, 300.0, 0.0, 18.0);
        assert_eq!(d[0], None);
        assert!((d[1].unwrap() - 12.0).abs() < 0.01, "{d:?}");
        assert_eq!((d[2], d[3]), (None, None));
        let w = safe_area_warning(d, 18.0, "c.jpg").unwrap();
        assert!(
            w.message.contains("0.17 in inside the trim at the foot"),
            "{}",
            w.message
        );
        // Outside the band, or a safe area it respects: no warning.
        assert_eq!(detail(&img, 200.0, 300.0, 0.0, 10.0)[1], None);
        assert!(safe_area_warning(d, 9.0, "c.jpg").is_none());
        // The same picture as print art with 6 pt of bleed: 6 pt nearer.
        let d = detail(&img, 200.0, 300.0, 6.0, 18.0);
        assert!((d[1].unwrap() - 6.0).abs() < 0.01, "{d:?}");
    }

    #[test]
    fn the_left_column_is_on_the_trim_line() {
        // 1 pt a pixel, 6 pt of bleed: column 6, rows 6 to 293.
        let img = RgbImage::from_fn(200, 300, |x, y| image::Rgb([x as u8, y as u8, 0]));
        let col = left_column(&img, 200.0, 300.0, 6.0);
        assert_eq!(col.len(), 288 * 3);
        assert_eq!(&col[..6], &[6, 6, 0, 6, 7, 0]);
    }

    #[test]
    fn a_gradient_is_plain() {
        let img = RgbImage::from_fn(200, 300, |_, y| image::Rgb([(y / 2) as u8, 60, 60]));
        assert_eq!(detail(&img, 200.0, 300.0, 0.0, 18.0), [None; 4]);
    }
}
