//! The fuzz harnesses: each takes arbitrary bytes and drives one reader of
//! qalam (and what follows it) in memory. A harness never panics on its
//! own; any panic, abort or sanitizer report comes from qalam and is a bug.
//!
//! Shared by the libFuzzer targets (`fuzz_targets/*.rs`, run with
//! `cargo fuzz`) and by the main crate's `tests/fuzz_regressions.rs`, which
//! replays every saved input under `tests/fuzz/regressions/<target>/` on
//! each `cargo test` (the main crate includes this file with `#[path]`, so it
//! must only depend on `qalam` and std).

use qalam::diag::{Diagnostics, SourceMap};
use qalam::internals::source::chapter::{self, ChapterInput};
use qalam::internals::source::markdown::ImageResolver;
use qalam::model::{Book, Image, ImageFormat, Lang, Settings, Span};
use std::path::{Path, PathBuf};

/// Inputs larger than this are skipped: the readers refuse files over their
/// limits before parsing, so large inputs only slow the fuzzer down.
pub const MAX_LEN: usize = 256 * 1024;

/// A harness: arbitrary bytes in, a panic only on a bug.
pub type Harness = fn(&[u8]);

/// The targets, by name (as in `fuzz_targets/` and `regressions/`).
pub const TARGETS: &[(&str, Harness)] = &[
    ("chapter", chapter),
    ("chapter_epub", chapter_epub),
    ("chapter_pdf", chapter_pdf),
    ("book_toml", book_toml),
    ("import_text", import_text),
    ("import_html", import_html),
];

/// Every image a chapter names is the specimen's picture (a real PNG), so
/// figures reach the EPUB writer without touching other files.
struct SpecimenImages;

fn specimen_png() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|p| p.join("tests/fixtures/specimen/images/steppe.png"))
        .find(|p| p.is_file())
        .unwrap_or_default()
}

impl ImageResolver for SpecimenImages {
    fn resolve(&self, src: &str, alt: &str, _: Span, _: &mut Diagnostics) -> Option<Image> {
        Some(Image {
            path: specimen_png(),
            src: src.to_string(),
            alt: alt.to_string(),
            width: 480,
            height: 320,
            format: ImageFormat::Png,
        })
    }
}

/// A chapter file: front matter, Markdown, notes, bio, and when it reads
/// without errors the typography pass.
pub fn chapter(data: &[u8]) {
    read_chapter(data);
}

/// [`chapter`], then the whole EPUB writer on the book it gives (slower:
/// fonts are subset and the package zipped on every input).
pub fn chapter_epub(data: &[u8]) {
    let Some((book, sources)) = read_chapter(data) else {
        return;
    };
    let opts = qalam::internals::epub::EpubOptions {
        source_date_epoch: Some(0),
        print_pages: None,
    };
    if let Err(e) = qalam::internals::epub::write(&book, None, &sources, &opts) {
        // Only a picture the writer cannot decode is an input error; and
        // the specimen's picture always decodes.
        panic!("the EPUB writer failed on a book the reader accepted: {e}");
    }
}

/// [`chapter`], then the PDF: the layout (shaping, hyphenation, line and
/// page breaking, notes, contents) and the writer (fonts, tags, links). A
/// problem the PDF finds in a book the reader accepted must be a
/// diagnostic with a place and a help line, never a panic.
pub fn chapter_pdf(data: &[u8]) {
    let Some((book, sources)) = read_chapter(data) else {
        return;
    };
    let (layout, diags) =
        qalam::internals::pdf::layout(&qalam::Engine::new(), &book, None, &sources, None);
    check_diags(&diags, &sources);
    let Some(layout) = layout else {
        assert!(diags.has_errors(), "no layout and no error");
        return;
    };
    if let Err(d) =
        qalam::internals::pdf::write(&layout, qalam::model::PdfVariant::Screen, &sources)
    {
        assert!(d.has_errors(), "the PDF writer failed without an error");
        check_diags(&d, &sources);
    }
}

fn check_diags(diags: &Diagnostics, sources: &SourceMap) {
    for d in diags {
        assert!(d.file.is_some() && d.help.is_some(), "{d:?}");
        let _ = d.render(sources, false);
    }
}

fn read_chapter(data: &[u8]) -> Option<(Book, SourceMap)> {
    if data.len() > MAX_LEN {
        return None;
    }
    // The file reader turns bytes into text (and refuses what is not
    // UTF-8) before the chapter reader sees them.
    let Ok(text) = std::str::from_utf8(data) else {
        return None;
    };
    read_chapter_text(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// A chapter's text through the chapter reader (and, when it reads without
/// errors, the typography pass).
fn read_chapter_text(text: &str) -> Option<(Book, SourceMap)> {
    let mut sources = SourceMap::new();
    let file = sources.add("book/ch.md", text.to_string());
    let lang = Lang::parse("en").expect("en is a language");
    let mut diags = Diagnostics::new();
    let input = ChapterInput {
        sources: &sources,
        file,
        rel_path: PathBuf::from("ch.md"),
        id: "ch".into(),
        book_lang: &lang,
        images: &SpecimenImages,
    };
    let ch = chapter::read(&input, &mut diags);
    check_diags(&diags, &sources);
    let ch = ch?;
    if diags.has_errors() {
        return None;
    }
    let mut book = Book {
        meta: qalam::model::Metadata {
            title: "Fuzz".into(),
            authors: vec!["A".into()],
            language: lang,
            identifier: "urn:uuid:00000000-0000-5000-8000-000000000000".into(),
            slug: "fuzz".into(),
            ..Default::default()
        },
        settings: Settings::default(),
        cover: None,
        chapters: vec![ch],
        root: PathBuf::from("book"),
    };
    qalam::internals::typography::apply(&mut book);
    Some((book, sources))
}

/// `book.toml`: the TOML parser, the key checks and the settings.
pub fn book_toml(data: &[u8]) {
    if data.len() > MAX_LEN {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = SourceMap::new();
    let file = sources.add("book/book.toml", text.to_string());
    let mut diags = Diagnostics::new();
    let config = qalam::internals::source::config::parse(&sources, file, &mut diags);
    assert!(config.is_some() || diags.has_errors());
    check_diags(&diags, &sources);
}

fn import(data: &[u8], name: &str) {
    if data.len() > MAX_LEN {
        return;
    }
    let opts = qalam::import::Options::default();
    match qalam::import::import_bytes(data, Path::new(name), None, &opts) {
        Ok(imp) => {
            // The project files are written from the model (Markdown and
            // TOML writers), and the report is rendered.
            let files = imp.files();
            assert_eq!(files.len(), 2);
            // The chapter it writes reads back without errors (`qalam
            // import` checks this on disk and calls a failure a bug).
            assert!(
                read_chapter_text(&files[1].1).is_some(),
                "the imported chapter does not read back:\n{}",
                files[1].1
            );
            let _ = imp.report.to_text();
            let _ = imp.report.to_json();
            let _ = imp.book();
        }
        Err(d) => {
            assert!(
                d.has_errors() && d.iter().all(|d| d.code.starts_with("import-")),
                "{d}"
            );
        }
    }
}

/// `qalam import` of a plain-text interview.
pub fn import_text(data: &[u8]) {
    import(data, "page.txt")
}

/// `qalam import` of a saved web page.
pub fn import_html(data: &[u8]) {
    import(data, "page.html")
}
