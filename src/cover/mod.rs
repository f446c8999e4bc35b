//! Covers: the one a publisher supplies, or a typographic one made for the
//! book. Writers receive a finished [`CoverArt`] and never look at files.

/// A cover ready for the writers.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverArt {
    /// JPEG or PNG bytes for the EPUB (at most 1600 x 2560 px).
    pub raster: Vec<u8>,
    /// `image/jpeg` or `image/png`.
    pub media_type: &'static str,
    pub width: u32,
    pub height: u32,
    /// Alternative text describing the cover.
    pub alt: String,
}
