//! Files named by the sources: where they may be, and reading them safely.
//!
//! A path in `book.toml` or a chapter is relative to the file that names it
//! and must stay inside the book folder or the project's `covers/` folder
//! (the book folder's sibling, trusted only as a real folder: a link named
//! `covers` is not followed). Checks run on the canonical path, so `..`
//! tricks and symbolic links that point elsewhere are caught alike. Every
//! reader of the book (book.toml, chapters, pictures, the cover) goes
//! through [`Roots::confine`]; nothing outside is ever opened, so no part
//! of a refused file can reach a message or an output.

use crate::diag::{Diagnostic, Diagnostics, SourceMap, io_reason};
use crate::model::{Image, ImageFormat, Span};
use crate::picture::{MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, MAX_PIXEL_BYTES};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Chapters larger than this are refused (the longest interviews are a few
/// hundred kilobytes; a 400-page anthology is many chapters).
pub const MAX_CHAPTER_BYTES: u64 = 8 * 1024 * 1024;
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;
/// The folders that files may come from.
#[derive(Debug, Clone)]
pub struct Roots {
    /// Canonical book folder.
    pub book: PathBuf,
    /// The book folder as the user named it, for messages.
    pub book_display: PathBuf,
    /// Canonical `covers/` beside the book folder, when it exists.
    pub covers: Option<PathBuf>,
}

impl Roots {
    pub fn new(book: PathBuf, book_display: PathBuf) -> Self {
        let covers = book.parent().and_then(|p| real_folder(&p.join("covers")));
        Roots {
            book,
            book_display,
            covers,
        }
    }

    /// Display form of a path inside the book: `book/images/x.jpg`.
    pub fn display(&self, canonical: &Path) -> PathBuf {
        match canonical.strip_prefix(&self.book) {
            Ok(rel) => self.book_display.join(rel),
            Err(_) => canonical.to_path_buf(),
        }
    }

    /// Resolves `written`, relative to the folder `base` (canonical), and
    /// checks it. The error says what is wrong and how to fix it.
    pub fn resolve(&self, base: &Path, written: &str) -> Result<PathBuf, (String, String)> {
        let w = written.trim();
        if w.is_empty() {
            return Err((
                "the path is empty".into(),
                "name a file, e.g. images/photo.jpg".into(),
            ));
        }
        let lower = w.to_ascii_lowercase();
        if lower.contains("://") || lower.starts_with("data:") || lower.starts_with("javascript:") {
            return Err((
                format!("`{w}` is a URL; qalam never fetches anything from the network"),
                "download the file into the book folder and name it by its path, e.g. images/photo.jpg".into(),
            ));
        }
        let windows_abs =
            w.len() >= 2 && w.as_bytes()[1] == b':' && w.as_bytes()[0].is_ascii_alphabetic();
        if w.contains('\\') || windows_abs {
            return Err((
                format!("`{w}` is a Windows path"),
                "write paths with forward slashes, relative to the file, e.g. images/photo.jpg"
                    .into(),
            ));
        }
        if w.starts_with('/') || w.starts_with('~') {
            return Err((
                format!("`{w}` is an absolute path"),
                "paths are relative to the file that names them and stay inside the book folder, e.g. images/photo.jpg".into(),
            ));
        }
        self.confine(&base.join(w), w, base)
    }

    /// The one check every file of the book goes through before it is
    /// opened: the real path of `path` (after `..` and every symbolic
    /// link) must lie inside the book folder or the project's `covers/`
    /// folder, and be a file. `written` is the path as the book wrote it
    /// (for messages); `base` the folder it is relative to. A refused file
    /// is never opened, so nothing of its content reaches a message.
    pub fn confine(
        &self,
        path: &Path,
        written: &str,
        base: &Path,
    ) -> Result<PathBuf, (String, String)> {
        let canonical = match path.canonicalize() {
            Ok(c) => c,
            Err(_) => {
                // Refuse escapes even when the target does not exist, so the
                // message does not reveal what lies outside.
                if !self.allowed(&lexical(path)) {
                    return Err(outside(written));
                }
                // A link whose target is missing says no more than that.
                return Err((
                    format!("`{written}` does not exist"),
                    format!(
                        "check the spelling; the path is relative to {}",
                        self.display(base).display()
                    ),
                ));
            }
        };
        if !self.allowed(&canonical) {
            return Err(outside(written));
        }
        if !canonical.is_file() {
            return Err((
                format!("`{written}` is not a file"),
                "name a file, not a folder".into(),
            ));
        }
        Ok(canonical)
    }

    /// Reads a text file of the book (see [`Roots::confine`] and
    /// [`read_text`]): `path` is where it is looked for, `display` how
    /// messages name it. A file outside is refused with `code` and the
    /// message a `..` path gets, and is never read.
    pub fn read_text(
        &self,
        path: &Path,
        display: &Path,
        limit: u64,
        code: &'static str,
    ) -> Result<(PathBuf, String), Diagnostics> {
        let written = path
            .strip_prefix(&self.book)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        let base = path.parent().unwrap_or(&self.book);
        let canonical = self.confine(path, &written, base).map_err(|(msg, help)| {
            Diagnostics::from(Diagnostic::error(code, msg).in_file(display).help(help))
        })?;
        let text = read_text(&canonical, display, limit)?;
        Ok((canonical, text))
    }
}

impl Roots {
    fn allowed(&self, p: &Path) -> bool {
        p.starts_with(&self.book) || self.covers.as_ref().is_some_and(|c| p.starts_with(c))
    }
}

/// `path` when it is a folder and not a symbolic link: the project's
/// `covers/` and `fonts/` are trusted only as real folders, so a link named
/// `covers` cannot open the way to files elsewhere.
pub fn real_folder(path: &Path) -> Option<PathBuf> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_dir() {
        return None;
    }
    // The parent is canonical already; this resolves nothing but makes
    // sure of it.
    path.canonicalize().ok()
}

/// `a/b/../c` → `a/c` without touching the file system.
pub(crate) fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

pub(crate) fn outside(w: &str) -> (String, String) {
    (
        format!("`{w}` lies outside the book folder"),
        "copy the file into the book folder (or the project's covers/ folder) and name it from there; links that lead outside are refused".into(),
    )
}

/// Control characters in a chapter (C0 but tab and line ends, DEL, C1) and
/// Unicode's noncharacters (U+FFFE, U+FDD0, …) are not text: no font draws
/// them and XML forbids most. Each is replaced by
/// as many spaces as it has bytes, so every offset, and so every position
/// in a diagnostic, stays as it was. Returns the text and, if there were
/// any, the first one's offset and character and how many there were.
pub fn replace_controls(text: String) -> (String, Option<(usize, char, usize)>) {
    let is_bad =
        |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_noncharacter(c);
    let Some((first, ch)) = text.char_indices().find(|&(_, c)| is_bad(c)) else {
        return (text, None);
    };
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    for c in text.chars() {
        if is_bad(c) {
            count += 1;
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    (out, Some((first, ch, count)))
}

pub use crate::model::is_noncharacter;

/// Reads a text file: size limit, BOM removed, UTF-8 checked with the
/// position of the first bad byte.
pub fn read_text(path: &Path, display: &Path, limit: u64) -> Result<String, Diagnostics> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(
                "file-unreadable",
                format!("cannot read {}: {}", display.display(), io_reason(&e)),
            )
            .in_file(display)
            .help("check that the file exists and can be read"),
        )
    })?;
    if meta.len() > limit {
        return Err(Diagnostics::from(
            Diagnostic::error(
                "file-too-large",
                format!(
                    "{} is {:.1} MB, more than the {} MB a source file may have",
                    display.display(),
                    meta.len() as f64 / 1e6,
                    limit / (1024 * 1024)
                ),
            )
            .in_file(display)
            .help("split it into several chapters, or check that it is the right file"),
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| {
            Diagnostic::error(
                "file-unreadable",
                format!("cannot read {}: {}", display.display(), io_reason(&e)),
            )
            .in_file(display)
            .help("check that the file exists and can be read")
        })?;
    if bytes.len() as u64 > limit {
        // It grew while being read, or is not a regular file.
        return Err(Diagnostics::from(
            Diagnostic::error(
                "file-too-large",
                format!(
                    "{} is more than the {} MB a source file may have",
                    display.display(),
                    limit / (1024 * 1024)
                ),
            )
            .in_file(display)
            .help("split it into several chapters, or check that it is the right file"),
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let good = &body[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() as u32 + 1;
            Err(Diagnostics::from(
                Diagnostic::error(
                    "not-utf8",
                    format!(
                        "{} is not UTF-8 text (byte 0x{:02X})",
                        display.display(),
                        body[e.valid_up_to()]
                    ),
                )
                .at_line(display, line, column)
                .help("save the file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)"),
            ))
        }
    }
}

/// Resolves and checks images named in chapters and `book.toml`.
pub struct ImageChecker<'a> {
    pub roots: &'a Roots,
    pub sources: &'a SourceMap,
    /// Canonical folder of the file that names the images.
    pub base: PathBuf,
}

impl ImageChecker<'_> {
    /// Resolves the path and reads the image header (format and size) without
    /// decoding pixels.
    pub fn check(
        &self,
        src: &str,
        alt: &str,
        span: Span,
        diags: &mut Diagnostics,
    ) -> Option<Image> {
        let path = match self.roots.resolve(&self.base, src) {
            Ok(p) => p,
            Err((msg, help)) => {
                diags.push(
                    Diagnostic::error("bad-path", msg)
                        .at(self.sources, span)
                        .help(help),
                );
                return None;
            }
        };
        match probe_image(&path) {
            Ok((format, width, height)) => Some(Image {
                path,
                src: src.to_string(),
                alt: alt.to_string(),
                width,
                height,
                format,
            }),
            Err((msg, help)) => {
                diags.push(
                    Diagnostic::error("bad-image", format!("image `{src}`: {msg}"))
                        .at(self.sources, span)
                        .help(help),
                );
                None
            }
        }
    }
}

impl super::markdown::ImageResolver for ImageChecker<'_> {
    fn resolve(&self, src: &str, alt: &str, span: Span, diags: &mut Diagnostics) -> Option<Image> {
        let image = self.check(src, alt, span, diags)?;
        if let Err((msg, help)) = check_pixel_memory(&image.path) {
            diags.push(
                Diagnostic::error("bad-image", format!("image `{src}`: {msg}"))
                    .at(self.sources, span)
                    .help(help),
            );
            return None;
        }
        Some(image)
    }
}

/// Format and pixel size from the file's header, by content (not extension).
pub fn probe_image(path: &Path) -> Result<(ImageFormat, u32, u32), (String, String)> {
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if len > MAX_IMAGE_BYTES {
        return Err((
            format!(
                "the file is {} MB, more than the {} MB allowed",
                len / 1_000_000,
                MAX_IMAGE_BYTES / 1_000_000
            ),
            "save a smaller JPEG or PNG (a few thousand pixels on the long side is plenty)".into(),
        ));
    }
    // A PNG's colour profile is inflated by the decoder as it reads the
    // header: checked first, with a cap.
    if let Ok(bytes) = std::fs::read(path) {
        crate::picture::check_png_icc(&bytes).map_err(|why| {
            (
                format!("the image cannot be used: {why}"),
                "save it again without its colour profile, or with a standard sRGB one".to_string(),
            )
        })?;
    }
    let reader = image::ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| {
            (
                format!("cannot be read ({})", io_reason(&e)),
                "check the file".to_string(),
            )
        })?;
    let format = match reader.format() {
        Some(image::ImageFormat::Jpeg) => ImageFormat::Jpeg,
        Some(image::ImageFormat::Png) => ImageFormat::Png,
        Some(image::ImageFormat::WebP) => ImageFormat::WebP,
        Some(other) => {
            return Err((
                format!("{other:?} images are not supported"),
                "convert the picture to JPEG (photographs) or PNG (drawings)".into(),
            ));
        }
        None => {
            return Err((
                "the file is not a JPEG, PNG or WebP image (it may be corrupt)".into(),
                "open it in an image editor and save it again as JPEG or PNG".into(),
            ));
        }
    };
    // The decoder reads the header only: size and pixel format.
    let decoder = reader.into_decoder().map_err(|e| {
        (
            format!("the image is corrupt ({e})"),
            "open it in an image editor and save it again as JPEG or PNG".to_string(),
        )
    })?;
    let (w, h) = image::ImageDecoder::dimensions(&decoder);
    if w == 0 || h == 0 || w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE {
        return Err((
            format!(
                "the image claims to be {w} x {h} pixels, outside the 1..{MAX_IMAGE_SIDE} allowed"
            ),
            "save it at a reasonable size (a few thousand pixels on the long side)".into(),
        ));
    }
    Ok((format, w, h))
}

/// Refuses a picture whose pixels would take more than `MAX_PIXEL_BYTES`
/// once decoded, from its header alone (a small file can claim a huge
/// picture). Covers have their own check with their own message
/// (`crate::picture::check_cover`); this one is for figures and portraits.
pub fn check_pixel_memory(path: &Path) -> Result<(), (String, String)> {
    let Ok(decoder) = image::ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .map_err(|_| ())
        .and_then(|r| r.into_decoder().map_err(|_| ()))
    else {
        // Unreadable headers were reported by probe_image already.
        return Ok(());
    };
    let (w, h) = image::ImageDecoder::dimensions(&decoder);
    let bytes = image::ImageDecoder::total_bytes(&decoder);
    if bytes > MAX_PIXEL_BYTES {
        return Err((
            format!(
                "the image claims {w} x {h} pixels, {} MB once decoded, more than the {} MB allowed",
                bytes / (1024 * 1024),
                MAX_PIXEL_BYTES / (1024 * 1024)
            ),
            "save it at a reasonable size (a few thousand pixels on the long side) and 8 bits per channel".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_normalisation() {
        assert_eq!(
            lexical(Path::new("/a/book/../../etc/x")),
            PathBuf::from("/etc/x")
        );
        assert_eq!(
            lexical(Path::new("/a/book/images/../x.jpg")),
            PathBuf::from("/a/book/x.jpg")
        );
    }
}
