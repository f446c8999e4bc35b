//! A cover the publisher supplies, turned into what the writers embed: the
//! EPUB's JPEG and the PDF's original. It was read and checked under the
//! limits of `crate::picture` by the reader already.
//!
//! CMYK JPEGs (what print designers often deliver) are converted to sRGB
//! through their embedded ICC profile when they have one; see
//! [`cmyk_to_rgb`] for why `image` alone is not enough.

use crate::model::ImageFormat;
use crate::picture::{
    CoverError, EPUB_MAX_HEIGHT, EPUB_MAX_WIDTH, Probe, check_pixel_memory, decoder, jpeg_options,
    map_err,
};
use image::{DynamicImage, ImageEncoder, RgbImage, metadata::Orientation};
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;

/// Quality of re-encoded JPEGs: high, because a cover is seen large and is
/// compressed once only.
const JPEG_QUALITY: u8 = 90;

/// Decodes the pixels as upright 8-bit sRGB, transparency flattened onto
/// white (reading systems show covers on white pages).
pub fn decode(bytes: &[u8], probe: &Probe) -> Result<RgbImage, CoverError> {
    check_pixel_memory(probe.width, probe.height)?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
