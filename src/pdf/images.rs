//! Figures and portraits: read and fully decoded once at layout time, so
//! that a file that passed the reader's header check but is corrupt further
//! in becomes a diagnostic pointing at the figure, not a failed export. The
//! PDF embeds the original bytes (krilla keeps PNGs lossless and passes
//! JPEGs through); decoding here only proves that it can.

use super::store::Img;
use crate::diag::{Diagnostic, SourceMap};
use crate::model::{Image, ImageFormat, Span};
use crate::source::paths::{MAX_IMAGE_BYTES, MAX_IMAGE_SIDE};
use rayon::prelude::*;
use std::sync::Arc;

/// An image the layout wants, with where it was asked for.
pub(crate) struct Request<'a> {
    pub image: &'a Image,
    pub span: Span,
}

/// Reads and checks every requested image (in parallel). Returns one
/// result per request, in order.
pub(crate) fn load_all(
    reqs: &[Request<'_>],
    sources: &SourceMap,
) -> Vec<Result<Img, Box<Diagnostic>>> {
    reqs.par_iter()
        .map(|r| {
            load(r.image).map_err(|msg| {
                Box::new(
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

fn load(image: &Image) -> Result<Img, String> {
    let meta = std::fs::metadata(&image.path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_IMAGE_BYTES {
        return Err(format!(
            "it is larger than {} MB",
            MAX_IMAGE_BYTES / 1_000_000
        ));
    }
    let bytes = std::fs::read(&image.path).map_err(|e| e.to_string())?;
    let format = match image.format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::WebP => image::ImageFormat::WebP,
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(&bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(1 << 30);
    reader.limits(limits);
    let decoded = reader
        .decode()
        .map_err(|e| format!("it does not decode ({e})"))?;
    if decoded.width() == 0 || decoded.height() == 0 {
        return Err("it has no pixels".into());
    }
    Ok(Img {
        bytes: Arc::new(bytes),
        format: image.format,
        alt: image.alt.clone(),
    })
}
