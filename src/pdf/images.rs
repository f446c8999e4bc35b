//! Figures and portraits: read and fully decoded once at layout time, so
//! that a file that passed the reader's header check but is corrupt further
//! in becomes a diagnostic pointing at the figure, not a failed export. The
//! PDF embeds the original bytes (krilla keeps PNGs lossless and passes
//! JPEGs through); decoding here only proves that it can.

use super::store::Img;
use crate::diag::io_reason;
use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{Image, ImageFormat, Span};
use crate::picture::{MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, MAX_PIXEL_BYTES};
use rayon::prelude::*;
use std::sync::Arc;

/// An image the layout wants, with where it was asked for.
pub(crate) struct Request<'a> {
    pub image: &'a Image,
    pub span: Span,
}

/// Reads and checks every requested image (in parallel). Returns one
/// result per request, in order.
pub(crate) fn load_all(reqs: &[Request<'_>], sources: &SourceMap) -> Vec<Result<Img, Diagnostics>> {
    let budget = crate::picture::Budget::default();
    reqs.par_iter()
        .map(|r| {
            load(r.image, r.span, &budget).map_err(|msg| {
                Diagnostics::from(
                    Diagnostic::error(
                        "image-decode",
                        format!("cannot use the image `{}`: {msg}", r.image.src),
                    )
                    .at(sources, r.span)
                    .help("open the file in an image editor and export it again as PNG or JPEG"),
                )
            })
        })
        .collect()
}

/// Why a picture cannot be placed: the end of its `image-decode` message.
#[derive(Debug, thiserror::Error)]
enum Unusable {
    #[error("{}", io_reason(.0))]
    Unreadable(std::io::Error),
    #[error("it is larger than {} MB", MAX_IMAGE_BYTES / 1_000_000)]
    FileTooLarge,
    #[error(
        "it is too large to process (at most {MAX_IMAGE_SIDE} px a side and {} MB of pixels; \
         save it at a few thousand pixels on the long side)",
        MAX_PIXEL_BYTES / (1024 * 1024)
    )]
    TooLarge,
    #[error("it does not decode ({0})")]
    Corrupt(image::ImageError),
    #[error("it has no pixels")]
    Empty,
    #[error("{0}")]
    Profile(String),
}

fn load(image: &Image, span: Span, budget: &crate::picture::Budget) -> Result<Img, Unusable> {
    use std::io::Read;
    // The same limits as the reader's and the EPUB writer's: the file size
    // (read no further than the limit, whatever the file grew to since the
    // reader checked it), the sides, and the decoded pixels' memory.
    let file = std::fs::File::open(&image.path).map_err(Unusable::Unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_IMAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(Unusable::Unreadable)?;
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return Err(Unusable::FileTooLarge);
    }
    let format = match image.format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::WebP => image::ImageFormat::WebP,
    };
    crate::picture::check_png_icc(&bytes).map_err(Unusable::Profile)?;
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(&bytes), format);
    reader.limits(crate::picture::limits());
    let unusable = |e| match e {
        image::ImageError::Limits(_) => Unusable::TooLarge,
        e => Unusable::Corrupt(e),
    };
    let decoder = reader.into_decoder().map_err(unusable)?;
    // `decode()` checked the pixels' memory against the limits before
    // allocating; taken apart (for the permit), the check is made here.
    let pixel_bytes = image::ImageDecoder::total_bytes(&decoder);
    if pixel_bytes > MAX_PIXEL_BYTES {
        return Err(Unusable::TooLarge);
    }
    let _permit = budget.acquire(pixel_bytes);
    let decoded = image::DynamicImage::from_decoder(decoder).map_err(unusable)?;
    if decoded.width() == 0 || decoded.height() == 0 {
        return Err(Unusable::Empty);
    }
    Ok(Img {
        bytes: Arc::new(bytes),
        format: image.format,
        alt: image.alt.clone(),
        src: image.src.clone(),
        pixels: (decoded.width(), decoded.height()),
        span,
    })
}

#[cfg(test)]
#[path = "../../tests/common/png_bomb.rs"]
mod png_bomb;

#[cfg(test)]
mod tests {
    use super::*;

    use super::png_bomb::png_header_only;

    fn image_at(path: &std::path::Path) -> Image {
        Image {
            path: path.to_path_buf(),
            src: "images/x.png".into(),
            alt: String::new(),
            width: 1,
            height: 1,
            format: ImageFormat::Png,
        }
    }

    /// The PDF decodes under the same limits as the reader and the EPUB:
    /// a picture that passed `qalam check` and was swapped afterwards for
    /// a bomb, a giant or a huge file is refused with a clear reason.
    #[test]
    fn images_are_decoded_under_the_limits() {
        let dir = tempfile::tempdir().unwrap();
        let cases: [(&str, Vec<u8>, &str); 3] = [
            // 10,000 x 10,000 RGBA: 400 MB of pixels, over the 256 MB limit.
            (
                "bomb.png",
                png_header_only(10_000, 10_000),
                "too large to process",
            ),
            // A side over 16,384 px.
            (
                "wide.png",
                png_header_only(20_000, 1),
                "too large to process",
            ),
            // Over 64 MB on disk.
            (
                "huge.png",
                vec![0; MAX_IMAGE_BYTES as usize + 1],
                "larger than",
            ),
        ];
        for (name, bytes, want) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let err = load(
                &image_at(&path),
                Span::default(),
                &crate::picture::Budget::default(),
            )
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
            assert!(err.contains(want), "{name}: {err:?}");
        }
        let missing = load(
            &image_at(&dir.path().join("gone.png")),
            Span::default(),
            &crate::picture::Budget::default(),
        )
        .err();
        assert_eq!(
            missing.map(|e| e.to_string()).as_deref(),
            Some("it does not exist")
        );
    }
}
