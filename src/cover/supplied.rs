//! A cover the publisher supplies: read under limits, checked, and turned
//! into the EPUB's JPEG.
//!
//! Decoding is bounded twice: no side above [`MAX_IMAGE_SIDE`] and no
//! pixel buffer above [`MAX_ALLOC`], both checked from the header before
//! any pixel memory is taken, so a file that claims 100000 x 100000 pixels
//! costs nothing. CMYK JPEGs (what print designers often deliver) are
//! converted to sRGB through their embedded ICC profile when they have
//! one; see [`cmyk_to_rgb`] for why `image` alone is not enough.

use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{Image, ImageFormat, Span};
use crate::source::paths::{MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, io_reason};
use image::{DynamicImage, ImageDecoder, ImageEncoder, RgbImage, metadata::Orientation};
use std::io::{Cursor, Read};
use std::path::Path;
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;

/// The largest pixel buffer a cover may decode to. A 6400 x 10000 RGBA
/// picture fits; decompression bombs do not.
pub const MAX_ALLOC: u64 = crate::source::paths::MAX_PIXEL_BYTES;

/// The EPUB cover's bounds (1:1.6, what the big stores recommend).
pub const EPUB_MAX_WIDTH: u32 = 1600;
pub const EPUB_MAX_HEIGHT: u32 = 2560;

/// Below this short side the stores refuse a cover.
pub const MIN_SHORT_SIDE: u32 = 625;
/// Below this short side a cover looks soft on today's screens.
pub const GOOD_SHORT_SIDE: u32 = 1400;
/// Height:width the stores recommend, and how far (as a factor either way)
/// a cover may stray before it is letterboxed or cropped noticeably.
pub const IDEAL_RATIO: f32 = 1.6;
pub const RATIO_TOLERANCE: f32 = 1.2;

/// Quality of re-encoded JPEGs: high, because a cover is seen large and is
/// compressed once only.
const JPEG_QUALITY: u8 = 90;

/// Why a cover cannot be used: what a `bad-cover` diagnostic says, without
/// the cover's name and place, which the caller knows.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct CoverError {
    pub message: String,
    pub help: String,
}

impl CoverError {
    /// The error as the diagnostic for the cover written `src`.
    pub fn diagnostic(self, src: &str) -> Diagnostic {
        Diagnostic::error("bad-cover", format!("cover `{src}`: {}", self.message)).help(self.help)
    }

    fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        CoverError {
            message: message.into(),
            help: help.into(),
        }
    }

    fn corrupt(detail: impl std::fmt::Display) -> Self {
        CoverError::new(
            format!("the image is corrupt ({detail})"),
            "open it in an image editor and save it again as JPEG or PNG",
        )
    }

    fn too_large(w: u32, h: u32) -> Self {
        CoverError::new(
            format!(
                "the image claims to be {w} x {h} pixels, more than a cover may decode to \
                 ({MAX_IMAGE_SIDE} px a side, {} MB of pixels)",
                MAX_ALLOC / (1024 * 1024)
            ),
            "save the cover at 1600 x 2560 pixels (or the printer's size) and name that file",
        )
    }
}

/// What the header says, without decoding pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub format: ImageFormat,
    /// Stored pixel size (before EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// A four-channel (CMYK or YCCK) JPEG.
    pub cmyk: bool,
    pub orientation: Orientation,
    /// The embedded ICC profile, if any.
    pub icc: Option<Vec<u8>>,
}

impl Probe {
    /// Size as displayed (after EXIF orientation).
    pub fn display_size(&self) -> (u32, u32) {
        if swaps_sides(self.orientation) {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }

    /// Whether the file can go into the EPUB as it is: an RGB or grey JPEG
    /// within bounds, shown upright. Re-encoding it would compress twice.
    pub fn passes_through(&self) -> bool {
        self.format == ImageFormat::Jpeg
            && !self.cmyk
            && self.orientation == Orientation::NoTransforms
            && self.width <= EPUB_MAX_WIDTH
            && self.height <= EPUB_MAX_HEIGHT
    }
}

fn swaps_sides(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Reads a cover file, refusing files above [`MAX_IMAGE_BYTES`].
pub fn read(path: &Path) -> Result<Vec<u8>, CoverError> {
    let unreadable = |e: std::io::Error| {
        CoverError::new(
            format!("cannot be read ({})", io_reason(&e)),
            "check that the file exists and can be read",
        )
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_IMAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return Err(CoverError::new(
            format!(
                "the file is larger than the {} MB a cover may have",
                MAX_IMAGE_BYTES / (1024 * 1024)
            ),
            "save the cover as a JPEG of at most a few megabytes",
        ));
    }
    Ok(bytes)
}

fn limits() -> image::Limits {
    crate::source::paths::image_limits()
}

fn image_format(f: ImageFormat) -> image::ImageFormat {
    match f {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::WebP => image::ImageFormat::WebP,
    }
}

fn decoder(bytes: &[u8], format: ImageFormat) -> Result<impl ImageDecoder + '_, CoverError> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), image_format(format));
    reader.limits(limits());
    reader.into_decoder().map_err(map_err)
}

fn map_err(e: image::ImageError) -> CoverError {
    match e {
        image::ImageError::Limits(_) => CoverError::new(
            format!(
                "the image is larger than a cover may decode to ({MAX_IMAGE_SIDE} px a side, {} MB of pixels)",
                MAX_ALLOC / (1024 * 1024)
            ),
            "save the cover at 1600 x 2560 pixels (or the printer's size) and name that file",
        ),
        image::ImageError::Unsupported(u) => CoverError::new(
            format!("the image uses a feature qalam cannot read ({u})"),
            "save it again as a baseline JPEG or a PNG",
        ),
        other => CoverError::corrupt(other),
    }
}

/// Reads the header: size, colour model, orientation, ICC profile.
pub fn probe(bytes: &[u8], format: ImageFormat) -> Result<Probe, CoverError> {
    let mut dec = decoder(bytes, format)?;
    let (width, height) = dec.dimensions();
    let orientation = dec.orientation().unwrap_or(Orientation::NoTransforms);
    let icc = dec.icc_profile().ok().flatten();
    let cmyk = format == ImageFormat::Jpeg && jpeg_colorspace(bytes)?.num_components() == 4;
    Ok(Probe {
        format,
        width,
        height,
        cmyk,
        orientation,
        icc,
    })
}

/// JPEGs are decoded strictly: where browsers paint grey over damaged or
/// missing picture data (and `image` does too), a cover that is cut short
/// or garbled is refused, since nobody would ship it knowingly.
fn jpeg_options() -> DecoderOptions {
    DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(MAX_IMAGE_SIDE as usize)
        .set_max_height(MAX_IMAGE_SIDE as usize)
}

fn jpeg_colorspace(bytes: &[u8]) -> Result<ColorSpace, CoverError> {
    let mut d = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), jpeg_options());
    d.decode_headers().map_err(CoverError::corrupt)?;
    d.input_colorspace()
        .ok_or_else(|| CoverError::corrupt("no colour space in the header"))
}

/// Decodes the pixels as upright 8-bit sRGB, transparency flattened onto
/// white (reading systems show covers on white pages).
pub fn decode(bytes: &[u8], probe: &Probe) -> Result<RgbImage, CoverError> {
    let (w, h) = (probe.width, probe.height);
    // Four bytes a pixel is the most any decoder here produces at once.
    if u64::from(w) * u64::from(h) * 4 > MAX_ALLOC {
        return Err(CoverError::too_large(w, h));
    }
    let mut img = if probe.format == ImageFormat::Jpeg {
        DynamicImage::ImageRgb8(decode_jpeg(bytes, probe)?)
    } else {
        let dec = decoder(bytes, probe.format)?;
        DynamicImage::from_decoder(dec).map_err(map_err)?
    };
    img.apply_orientation(probe.orientation);
    Ok(flatten(img))
}

/// RGB on white: alpha composited, 16-bit and grey widened or narrowed.
fn flatten(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u32::from(p[3]);
        let over = |c: u8| ((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        *o = image::Rgb([over(p[0]), over(p[1]), over(p[2])]);
    }
    out
}

/// JPEGs to sRGB; CMYK and YCCK ones through their ICC profile.
///
/// `image` (through zune-jpeg) turns these into RGB by a bare formula,
/// R = C'·K'/255 on the stored (Adobe-inverted) samples, and ignores the
/// ICC profile that Photoshop and every prepress tool embed; the result is
/// the garish, too-light picture that gives CMYK covers their bad name.
/// Here the raw samples are taken from zune-jpeg and converted through the
/// embedded profile with moxcms; the bare formula remains the fallback for
/// files without a usable profile. As browsers, krilla and pdf.js do, the
/// samples are read as Adobe-inverted (255 = no ink), which is what
/// Photoshop writes and the Adobe marker announces.
fn decode_jpeg(bytes: &[u8], probe: &Probe) -> Result<RgbImage, CoverError> {
    let mut d = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), jpeg_options());
    d.decode_headers().map_err(CoverError::corrupt)?;
    let cs = d
        .input_colorspace()
        .ok_or_else(|| CoverError::corrupt("no colour space in the header"))?;
    let four = cs.num_components() == 4;
    // Asking for the input colour space makes zune-jpeg hand over CMYK and
    // YCCK channels untouched; everything else becomes RGB.
    let out = if four { cs } else { ColorSpace::RGB };
    d.set_options(jpeg_options().jpeg_set_out_colorspace(out));
    let mut raw = d.decode().map_err(CoverError::corrupt)?;
    let (w, h) = (probe.width, probe.height);
    let channels = if four { 4 } else { 3 };
    if raw.len() != w as usize * h as usize * channels {
        return Err(CoverError::corrupt(
            "the decoded size does not match the header",
        ));
    }
    if !four {
        return RgbImage::from_raw(w, h, raw).ok_or_else(|| CoverError::corrupt("pixel buffer"));
    }
    if cs == ColorSpace::YCCK {
        ycck_to_cmyk(&mut raw);
    }
    let rgb = probe
        .icc
        .as_deref()
        .and_then(|icc| cmyk_through_profile(&raw, icc))
        .unwrap_or_else(|| cmyk_to_rgb(&raw));
    RgbImage::from_raw(w, h, rgb).ok_or_else(|| CoverError::corrupt("pixel buffer"))
}

/// YCCK (Adobe transform 2) to inverted CMYK: the YCbCr part decodes to
/// 255 − C, 255 − M, 255 − Y as JFIF RGB does; K is stored as is.
fn ycck_to_cmyk(px: &mut [u8]) {
    for p in px.chunks_exact_mut(4) {
        let y = f32::from(p[0]);
        let cb = f32::from(p[1]) - 128.0;
        let cr = f32::from(p[2]) - 128.0;
        let r = y + 1.402 * cr;
        let g = y - 0.344_136 * cb - 0.714_136 * cr;
        let b = y + 1.772 * cb;
        p[0] = (255.0 - r).round().clamp(0.0, 255.0) as u8;
        p[1] = (255.0 - g).round().clamp(0.0, 255.0) as u8;
        p[2] = (255.0 - b).round().clamp(0.0, 255.0) as u8;
    }
}

/// The bare conversion of inverted CMYK: each ink darkens its channel,
/// black darkens all three.
pub fn cmyk_to_rgb(inverted: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(inverted.len() / 4 * 3);
    for p in inverted.chunks_exact(4) {
        let k = u32::from(p[3]);
        for &c in &p[..3] {
            out.push(((u32::from(c) * k + 127) / 255) as u8);
        }
    }
    out
}

/// Inverted CMYK through a CMYK ICC profile to sRGB; `None` when the
/// profile is not a usable CMYK profile.
fn cmyk_through_profile(inverted: &[u8], icc: &[u8]) -> Option<Vec<u8>> {
    let src = moxcms::ColorProfile::new_from_slice(icc).ok()?;
    if src.color_space != moxcms::DataColorSpace::Cmyk {
        return None;
    }
    let options = moxcms::TransformOptions {
        rendering_intent: src.rendering_intent,
        ..moxcms::TransformOptions::default()
    };
    let t = src
        .create_transform_8bit(
            moxcms::Layout::Rgba,
            &moxcms::ColorProfile::new_srgb(),
            moxcms::Layout::Rgb,
            options,
        )
        .ok()?;
    // ICC CMYK counts ink (0 = none); Adobe JPEGs store its inverse.
    let ink: Vec<u8> = inverted.iter().map(|v| 255 - v).collect();
    let mut out = vec![0u8; inverted.len() / 4 * 3];
    t.transform(&ink, &mut out).ok()?;
    Some(out)
}

/// The picture for the PDF: the file as it is, or, when it relies on an
/// EXIF rotation, its turned pixels as a PNG (lossless: still the original
/// pixels, compressed once).
pub struct PdfOriginal {
    pub bytes: Vec<u8>,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
}

pub fn pdf_original(
    bytes: Vec<u8>,
    format: ImageFormat,
    probe: &Probe,
) -> Result<PdfOriginal, CoverError> {
    if probe.orientation == Orientation::NoTransforms {
        return Ok(PdfOriginal {
            bytes,
            format,
            width: probe.width,
            height: probe.height,
        });
    }
    let img = decode(&bytes, probe)?;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| {
            CoverError::new(
                format!("cannot encode the PDF cover ({e})"),
                "report this as a bug",
            )
        })?;
    Ok(PdfOriginal {
        bytes: out,
        format: ImageFormat::Png,
        width: img.width(),
        height: img.height(),
    })
}

/// The EPUB's copy of a supplied cover: the file itself when it can pass
/// through, else a JPEG of at most 1600 x 2560 px keeping the ratio.
/// Returns bytes, media type, width and height.
pub fn epub_raster(bytes: &[u8], probe: &Probe) -> Result<(Vec<u8>, u32, u32), CoverError> {
    if probe.passes_through() {
        return Ok((bytes.to_vec(), probe.width, probe.height));
    }
    let img = decode(bytes, probe)?;
    let img = fit_within(img, EPUB_MAX_WIDTH, EPUB_MAX_HEIGHT);
    let (w, h) = img.dimensions();
    // An RGB profile travels with the pixels; CMYK ones do not (the pixels
    // are sRGB now) and grey ones cannot describe RGB.
    let icc = probe
        .icc
        .as_deref()
        .filter(|p| !probe.cmyk && p.get(16..20) == Some(b"RGB "));
    Ok((encode_jpeg(&img, icc)?, w, h))
}

/// Scales down (never up) to fit `max_w` x `max_h`, keeping the ratio.
fn fit_within(img: RgbImage, max_w: u32, max_h: u32) -> RgbImage {
    let (w, h) = img.dimensions();
    if w <= max_w && h <= max_h {
        return img;
    }
    let scale = (max_w as f64 / w as f64).min(max_h as f64 / h as f64);
    let nw = ((w as f64 * scale).round() as u32).clamp(1, max_w);
    let nh = ((h as f64 * scale).round() as u32).clamp(1, max_h);
    // Big reductions first average areas (cheap, little memory), so the
    // Lanczos pass works on at most twice the final size.
    let img = if scale < 0.5 {
        image::imageops::thumbnail(&img, nw * 2, nh * 2)
    } else {
        img
    };
    image::imageops::resize(&img, nw, nh, image::imageops::FilterType::Lanczos3)
}

pub fn encode_jpeg(img: &RgbImage, icc: Option<&[u8]>) -> Result<Vec<u8>, CoverError> {
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    if let Some(icc) = icc {
        // A profile the encoder cannot embed only costs colour accuracy.
        let _ = enc.set_icc_profile(icc.to_vec());
    }
    enc.write_image(
        img.as_raw(),
        img.width(),
        img.height(),
        image::ExtendedColorType::Rgb8,
    )
    .map_err(|e| {
        CoverError::new(
            format!("cannot encode the EPUB cover ({e})"),
            "report this as a bug",
        )
    })?;
    Ok(out)
}

/// The checks `qalam check` runs on a supplied cover: it must decode, and
/// its size and shape must suit the stores. Diagnostics point at `span`
/// (the `cover =` value in book.toml). Returns the probe when the cover
/// can be used.
pub fn check(
    image: &Image,
    span: Span,
    sources: &SourceMap,
    diags: &mut Diagnostics,
) -> Option<Probe> {
    let src = &image.src;
    let fail = |e: CoverError| e.diagnostic(src).at(sources, span);
    let result = read(&image.path).and_then(|bytes| {
        let p = probe(&bytes, image.format)?;
        // A JPEG is checked from its markers, not decoded: decoding a
        // 1600 x 2560 cover costs more than building the rest of a short
        // book, and a JPEG that passes through to the EPUB is never decoded
        // again. The walk finds what makes a file unusable in practice (cut
        // short, garbage instead of segments); damage inside the compressed
        // data shows as wrong pixels, as it would in any viewer. Other
        // formats are always decoded for the EPUB, so they are decoded here.
        if p.format == ImageFormat::Jpeg {
            jpeg_structure(&bytes)?;
        } else {
            decode(&bytes, &p)?;
        }
        Ok(p)
    });
    let probe = match result {
        Ok(p) => p,
        Err(e) => {
            diags.push(fail(e));
            return None;
        }
    };
    for d in size_diagnostics(src, probe.display_size()) {
        diags.push(d.at(sources, span));
    }
    Some(probe)
}

/// Walks a JPEG's segments from the start marker to the end marker,
/// skipping over the compressed data of each scan, without decoding.
pub fn jpeg_structure(b: &[u8]) -> Result<(), CoverError> {
    let cut = || CoverError::corrupt("the file ends before the picture does; it was cut short");
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err(CoverError::corrupt("no JPEG start marker"));
    }
    let mut i = 2;
    let mut scans = 0usize;
    loop {
        if *b.get(i).ok_or_else(cut)? != 0xFF {
            return Err(CoverError::corrupt(
                "stray bytes where a segment should start",
            ));
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while b.get(i) == Some(&0xFF) {
            i += 1;
        }
        let marker = *b.get(i).ok_or_else(cut)?;
        i += 1;
        match marker {
            0xD9 if scans > 0 => return Ok(()),
            0xD9 => return Err(CoverError::corrupt("the file holds no picture data")),
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => continue,
            0x00 => return Err(CoverError::corrupt("a marker is damaged")),
            _ => {}
        }
        let len = match b.get(i..i + 2) {
            Some(l) => usize::from(u16::from_be_bytes([l[0], l[1]])),
            None => return Err(cut()),
        };
        if len < 2 || i + len > b.len() {
            return Err(cut());
        }
        i += len;
        if marker != 0xDA {
            continue;
        }
        // Start of scan: compressed data up to the next marker that is not
        // a stuffed 0xFF00 or a restart marker.
        scans += 1;
        loop {
            let ff = i + b[i..].iter().position(|&c| c == 0xFF).ok_or_else(cut)?;
            match *b.get(ff + 1).ok_or_else(cut)? {
                0x00 | 0xD0..=0xD7 => i = ff + 2,
                0xFF => i = ff + 1,
                _ => {
                    i = ff;
                    break;
                }
            }
        }
    }
}

/// Size and shape checks of a cover of `width` x `height` pixels.
pub fn size_diagnostics(src: &str, (width, height): (u32, u32)) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let short = width.min(height);
    if short < MIN_SHORT_SIDE {
        out.push(
            Diagnostic::error(
                "cover-too-small",
                format!(
                    "cover `{src}` is {width} x {height} pixels; stores refuse covers under {MIN_SHORT_SIDE} pixels on the short side"
                ),
            )
            .help(format!(
                "supply the cover at {EPUB_MAX_WIDTH} x {EPUB_MAX_HEIGHT} pixels, or remove `cover` to have qalam design one"
            )),
        );
    } else if short < GOOD_SHORT_SIDE {
        out.push(
            Diagnostic::warning(
                "cover-small",
                format!(
                    "cover `{src}` is {width} x {height} pixels and will look soft; {GOOD_SHORT_SIDE} pixels or more on the short side are recommended"
                ),
            )
            .help(format!("supply the cover at {EPUB_MAX_WIDTH} x {EPUB_MAX_HEIGHT} pixels")),
        );
    }
    let ratio = height as f32 / width.max(1) as f32;
    if (ratio / IDEAL_RATIO).ln().abs() > RATIO_TOLERANCE.ln() {
        out.push(
            Diagnostic::warning(
                "cover-ratio",
                format!(
                    "cover `{src}` is {width} x {height} pixels (1:{ratio:.2}); covers are usually 1:{IDEAL_RATIO} (portrait), so stores will letterbox or crop it"
                ),
            )
            .help(format!("crop the cover to 1:{IDEAL_RATIO}, e.g. {EPUB_MAX_WIDTH} x {EPUB_MAX_HEIGHT} pixels")),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_structure_finds_cut_and_garbled_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/covers");
        for good in ["rgb.jpg", "cmyk.jpg", "cmyk-icc.jpg", "rotated.jpg"] {
            let b = std::fs::read(dir.join(good)).unwrap();
            jpeg_structure(&b).unwrap_or_else(|e| panic!("{good}: {}", e.message));
            // Cut anywhere after the header: refused.
            for cut in [b.len() - 2, b.len() / 2, 200] {
                assert!(jpeg_structure(&b[..cut]).is_err(), "{good} cut at {cut}");
            }
        }
        let noisy = std::fs::read(dir.join("corrupt.jpg")).unwrap();
        assert!(jpeg_structure(&noisy).is_err());
        assert!(jpeg_structure(b"this is not a picture").is_err());
    }

    #[test]
    fn size_rules() {
        let codes = |w, h| -> Vec<&str> {
            size_diagnostics("c.jpg", (w, h))
                .iter()
                .map(|d| d.code)
                .collect()
        };
        assert!(codes(1600, 2560).is_empty());
        assert!(codes(1400, 2100).is_empty(), "6 x 9 is fine");
        assert_eq!(codes(1000, 1600), ["cover-small"]);
        assert_eq!(codes(500, 800), ["cover-too-small"]);
        assert_eq!(codes(2000, 2000), ["cover-ratio"]);
        assert_eq!(codes(2560, 1600), ["cover-ratio"]);
    }

    #[test]
    fn alpha_is_flattened_onto_white() {
        let mut img = image::RgbaImage::new(2, 1);
        img.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
        img.put_pixel(1, 0, image::Rgba([0, 0, 0, 128]));
        let out = flatten(DynamicImage::ImageRgba8(img));
        assert_eq!(out.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(out.get_pixel(1, 0).0, [127, 127, 127]);
    }

    #[test]
    fn bare_cmyk_conversion_reads_inverted_samples() {
        // 255 = no ink: white; K' = 0: full black.
        assert_eq!(cmyk_to_rgb(&[255, 255, 255, 255]), [255, 255, 255]);
        assert_eq!(cmyk_to_rgb(&[255, 255, 255, 0]), [0, 0, 0]);
        // Full cyan only: no red.
        assert_eq!(cmyk_to_rgb(&[0, 255, 255, 255]), [0, 255, 255]);
    }

    #[test]
    fn a_header_beyond_the_limits_is_refused_before_decoding() {
        let probe = Probe {
            format: ImageFormat::Png,
            width: 16_000,
            height: 16_000,
            cmyk: false,
            orientation: Orientation::NoTransforms,
            icc: None,
        };
        let e = decode(b"not even read", &probe).unwrap_err();
        assert!(
            e.message.contains("more than a cover may decode to"),
            "{e:?}"
        );
    }

    #[test]
    fn fit_within_keeps_the_ratio() {
        let img = RgbImage::new(180, 288);
        assert_eq!(fit_within(img, 160, 256).dimensions(), (160, 256));
        let img = RgbImage::new(400, 400);
        assert_eq!(fit_within(img, 160, 256).dimensions(), (160, 160));
        let img = RgbImage::new(10, 10);
        assert_eq!(fit_within(img, 160, 256).dimensions(), (10, 10));
    }
}
