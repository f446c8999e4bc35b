//! Pictures: the limits every decoder in qalam works under, and the checks
//! a supplied cover passes before any writer sees it.
//!
//! The reader checks a cover here (`qalam check` reports what the stores
//! would refuse); the cover writers read, probe and decode it under the same
//! limits. Decoding is bounded twice: no side above [`MAX_IMAGE_SIDE`] and
//! no pixel buffer above [`MAX_PIXEL_BYTES`], both checked from the header
//! before any pixel memory is taken, so a file that claims 100000 x 100000
//! pixels costs nothing.

mod budget;
mod print_art;
pub mod resolution;

pub use budget::Budget;
pub use print_art::check_art;

use crate::diag::{Diagnostic, Diagnostics, SourceMap, io_reason};
use crate::model::{Image, ImageFormat, Span};
use image::{DynamicImage, ImageDecoder, metadata::Orientation};
use std::io::{Cursor, Read};
use std::path::Path;
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;

/// Larger pictures are refused before decoding: 16k x 16k is far beyond any
/// print need and bounds decoder memory.
pub const MAX_IMAGE_SIDE: u32 = 16_384;
pub const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;
/// Decoded pixels may take at most this much memory (an RGB picture of
/// about 89 megapixels; a 6400 x 10000 RGBA cover): checked from the
/// header, so a small file that claims a huge picture (a decompression
/// bomb) is refused by `qalam check` already, and enforced again by the
/// decoders of every writer.
pub const MAX_PIXEL_BYTES: u64 = 256 * 1024 * 1024;

/// The largest ICC profile a picture may carry, unpacked. Real profiles
/// are a few kilobytes to a megabyte or two; a compressed profile is a
/// place to hide a decompression bomb that PNG decoders inflate whole
/// while reading the header.
pub const MAX_ICC_BYTES: usize = 8 * 1024 * 1024;

/// Refuses a PNG whose embedded ICC profile (`iCCP`) unpacks to more than
/// [`MAX_ICC_BYTES`], checked by inflating it with that cap before any
/// decoder reads the file. Other formats, and PNGs without a profile, pass.
pub fn check_png_icc(bytes: &[u8]) -> Result<(), String> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) {
        return Ok(());
    }
    let mut at = SIGNATURE.len();
    while let Some(head) = bytes.get(at..at + 8) {
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        let Some(data) = bytes.get(at + 8..(at + 8).saturating_add(len)) else {
            return Ok(()); // cut short: the decoder says so in its words
        };
        match kind {
            b"IDAT" | b"IEND" => return Ok(()),
            b"iCCP" => {
                // The profile's name (up to 79 bytes and a NUL), the
                // compression method, then the zlib stream.
                let Some(nul) = data.iter().take(80).position(|&b| b == 0) else {
                    return Ok(());
                };
                let stream = data.get(nul + 2..).unwrap_or_default();
                return miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(
                    stream,
                    MAX_ICC_BYTES,
                )
                .map(|_| ())
                .map_err(|e| match e.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => format!(
                        "its colour profile (ICC) unpacks to more than {} MB",
                        MAX_ICC_BYTES / (1024 * 1024)
                    ),
                    _ => "its colour profile (ICC) is corrupt".to_string(),
                });
            }
            _ => {}
        }
        at = at.saturating_add(12).saturating_add(len);
    }
    Ok(())
}

/// Decoder limits for every picture qalam decodes (figures, portraits,
/// covers): sides and pixel memory as above.
pub fn limits() -> image::Limits {
    let mut l = image::Limits::default();
    l.max_image_width = Some(MAX_IMAGE_SIDE);
    l.max_image_height = Some(MAX_IMAGE_SIDE);
    l.max_alloc = Some(MAX_PIXEL_BYTES);
    l
}

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

/// Why a cover cannot be used.
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

    pub(crate) fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        CoverError {
            message: message.into(),
            help: help.into(),
        }
    }

    pub(crate) fn corrupt(detail: impl std::fmt::Display) -> Self {
        CoverError::new(
            format!("the image is corrupt ({detail})"),
            "open it in an image editor and save it again as JPEG or PNG",
        )
    }

    pub(crate) fn too_large(w: u32, h: u32) -> Self {
        CoverError::new(
            format!(
                "the image claims to be {w} x {h} pixels, more than a cover may decode to \
                 ({MAX_IMAGE_SIDE} px a side, {} MB of pixels)",
                MAX_PIXEL_BYTES / (1024 * 1024)
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

fn image_format(f: ImageFormat) -> image::ImageFormat {
    match f {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::WebP => image::ImageFormat::WebP,
    }
}

pub(crate) fn decoder(
    bytes: &[u8],
    format: ImageFormat,
) -> Result<impl ImageDecoder + '_, CoverError> {
    check_png_icc(bytes).map_err(|why| {
        CoverError::new(
            format!("the image cannot be used: {why}"),
            "save it again without its colour profile, or with a standard sRGB one",
        )
    })?;
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), image_format(format));
    reader.limits(limits());
    reader.into_decoder().map_err(map_err)
}

pub(crate) fn map_err(e: image::ImageError) -> CoverError {
    match e {
        image::ImageError::Limits(_) => CoverError::new(
            format!(
                "the image is larger than a cover may decode to ({MAX_IMAGE_SIDE} px a side, {} MB of pixels)",
                MAX_PIXEL_BYTES / (1024 * 1024)
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
pub(crate) fn jpeg_options() -> DecoderOptions {
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

/// Refuses a picture of `w` x `h` pixels whose decoding could take more
/// than [`MAX_PIXEL_BYTES`] (four bytes a pixel is the most any decoder here
/// produces at once).
pub(crate) fn check_pixel_memory(w: u32, h: u32) -> Result<(), CoverError> {
    if u64::from(w) * u64::from(h) * 4 > MAX_PIXEL_BYTES {
        return Err(CoverError::too_large(w, h));
    }
    Ok(())
}

/// The checks `qalam check` runs on a supplied cover: it must decode, and
/// its size and shape must suit the stores. Diagnostics point at `span`
/// (the `cover =` value in book.toml). Returns the probe when the cover
/// can be used.
pub fn check_cover(
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
            check_pixel_memory(p.width, p.height)?;
            DynamicImage::from_decoder(decoder(&bytes, p.format)?).map_err(map_err)?;
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
}
