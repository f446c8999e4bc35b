//! Pictures for the package: decoded (which also proves the file is whole),
//! turned upright, downscaled to a sensible size with their aspect ratio
//! kept, and stored as JPEG or PNG, the formats every reading system shows.
//! A JPEG or PNG that is already small enough and upright goes in as it is.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Image, ImageFormat};
use crate::picture::Budget;
use image::{DynamicImage, ImageDecoder, ImageReader, metadata::Orientation};
use std::io::Cursor;

/// The long side of an inline picture at most (about twice the width of a
/// tablet's text column).
pub const MAX_SIDE: u32 = 1600;

/// A picture ready for the package.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub data: Vec<u8>,
    pub media_type: &'static str,
    /// File extension without the dot.
    pub ext: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Reads, checks and, where needed, converts one picture. The error says
/// what is wrong in words for the author; the caller adds where the
/// picture is named.
pub fn prepare(img: &Image, budget: &Budget) -> Result<Prepared, Diagnostics> {
    let bad = |reason: String| -> Diagnostics {
        Diagnostic::error("bad-image", format!("image `{}` {reason}", img.src))
            .help(
                "open the picture in an image editor and save it again as JPEG (photographs) or PNG (drawings)",
            )
            .into()
    };
    let bytes = std::fs::read(&img.path)
        .map_err(|e| bad(format!("cannot be read ({})", crate::diag::io_reason(&e))))?;
    crate::picture::check_png_icc(&bytes).map_err(|why| bad(format!("cannot be used: {why}")))?;
    let mut reader = ImageReader::new(Cursor::new(&bytes[..]))
        .with_guessed_format()
        .map_err(|e| bad(format!("cannot be read ({e})")))?;
    // The reader checked the header; the limits bound decoder memory again
    // for whatever the file claims now (it may have changed since).
    reader.limits(crate::picture::limits());
    let format = match reader.format() {
        Some(image::ImageFormat::Jpeg) => ImageFormat::Jpeg,
        Some(image::ImageFormat::Png) => ImageFormat::Png,
        Some(image::ImageFormat::WebP) => ImageFormat::WebP,
        _ => return Err(bad("is not a JPEG, PNG or WebP image".into())),
    };
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| bad(format!("is corrupt ({e})")))?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    // The decoded pixels, and for a picture that will be scaled down, the
    // filter's working copy (a float image the height of the result).
    let (w0, h0) = decoder.dimensions();
    let scratch = if w0.max(h0) > MAX_SIDE {
        u64::from(w0.min(2 * MAX_SIDE)) * u64::from(MAX_SIDE) * 16
    } else {
        0
    };
    if decoder.total_bytes() > crate::picture::MAX_PIXEL_BYTES {
        return Err(bad(
            "is too large to process (save it at a few thousand pixels on the long side)".into(),
        ));
    }
    let _permit = budget.acquire(decoder.total_bytes().saturating_add(scratch));
    let mut pixels = DynamicImage::from_decoder(decoder).map_err(|e| {
        bad(match e {
            image::ImageError::Limits(_) => {
                "is too large to process (save it at a few thousand pixels on the long side)"
                    .to_string()
            }
            e => format!("is corrupt ({e})"),
        })
    })?;
    let (w, h) = (pixels.width(), pixels.height());
    let upright = orientation == Orientation::NoTransforms;
    if upright && w.max(h) <= MAX_SIDE {
        match format {
            ImageFormat::Jpeg => return Ok(passthrough(bytes, format, w, h)),
            ImageFormat::Png => return Ok(passthrough(bytes, format, w, h)),
            ImageFormat::WebP => {}
        }
    }
    drop(bytes);
    pixels.apply_orientation(orientation);
    if pixels.width().max(pixels.height()) > 2 * MAX_SIDE {
        // Far larger than needed (a scan, a camera's full size): averaged
        // down to twice the size first, which is fast and needs no working
        // copy of the whole picture; the sharper filter does the rest.
        pixels = pixels.thumbnail(2 * MAX_SIDE, 2 * MAX_SIDE);
    }
    if pixels.width().max(pixels.height()) > MAX_SIDE {
        pixels = pixels.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::CatmullRom);
    }
    // Photographs stay JPEG; drawings (PNG) and anything with transparency
    // become PNG; an opaque WebP becomes JPEG.
    let as_png = format == ImageFormat::Png || pixels.color().has_alpha();
    let mut out = Vec::new();
    if as_png {
        pixels
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .map_err(|e| bad(format!("cannot be converted ({e})")))?;
    } else {
        let rgb = DynamicImage::ImageRgb8(pixels.to_rgb8());
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88);
        rgb.write_with_encoder(enc)
            .map_err(|e| bad(format!("cannot be converted ({e})")))?;
    }
    let (media_type, ext) = if as_png {
        ("image/png", "png")
    } else {
        ("image/jpeg", "jpg")
    };
    Ok(Prepared {
        data: out,
        media_type,
        ext,
        width: pixels.width(),
        height: pixels.height(),
    })
}

fn passthrough(bytes: Vec<u8>, format: ImageFormat, width: u32, height: u32) -> Prepared {
    Prepared {
        data: bytes,
        media_type: format.media_type(),
        ext: if format == ImageFormat::Png {
            "png"
        } else {
            "jpg"
        },
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn image_file(name: &str, img: &DynamicImage, format: image::ImageFormat) -> Image {
        let dir = std::env::temp_dir().join(format!("qalam-images-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path: PathBuf = dir.join(name);
        img.save_with_format(&path, format).unwrap();
        Image {
            path,
            src: name.into(),
            alt: "alt".into(),
            width: img.width(),
            height: img.height(),
            format: ImageFormat::Png,
        }
    }

    #[test]
    fn large_pictures_are_downscaled_keeping_the_ratio() {
        let big = DynamicImage::new_rgb8(3200, 1800);
        let p = prepare(
            &image_file("big.jpg", &big, image::ImageFormat::Jpeg),
            &Budget::default(),
        )
        .unwrap();
        assert_eq!((p.width, p.height, p.media_type), (1600, 900, "image/jpeg"));
        let small = DynamicImage::new_rgb8(400, 300);
        let img = image_file("small.png", &small, image::ImageFormat::Png);
        let p = prepare(&img, &Budget::default()).unwrap();
        assert_eq!(p.data, std::fs::read(&img.path).unwrap(), "passed through");
        let webp = image_file("w.webp", &small, image::ImageFormat::WebP);
        let p = prepare(&webp, &Budget::default()).unwrap();
        assert_eq!((p.ext, p.width), ("jpg", 400));
    }

    #[test]
    fn a_truncated_picture_is_an_error() {
        let small = DynamicImage::new_rgb8(400, 300);
        let img = image_file("cut.png", &small, image::ImageFormat::Png);
        let bytes = std::fs::read(&img.path).unwrap();
        std::fs::write(&img.path, &bytes[..bytes.len() / 2]).unwrap();
        let e = prepare(&img, &Budget::default()).unwrap_err();
        let e: Vec<_> = e.into_iter().collect();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].code, "bad-image");
        assert!(e[0].message.contains("corrupt"), "{}", e[0]);
        assert!(e[0].help.is_some(), "{}", e[0]);
    }
}
