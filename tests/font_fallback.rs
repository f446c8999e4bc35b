//! Characters the bundled fonts lack come from the system's fonts (a
//! Korean chapter from Noto CJK, 🎉 from Noto Color Emoji); when no font
//! has one, the PDF is refused with `no-glyph` while the EPUB, which needs
//! no glyphs, is still written (each format all or nothing).

mod common;

use common::pdf::Pdf;
use qalam::build::{BuildOptions, Failure, Format, Project};
use std::path::Path;

const SCRIPTS: &str = "tests/fixtures/scripts";

/// Whether the system has the fallback fonts this test needs, by family
/// as fontdb (which the build uses) sees them.
fn fonts_installed() -> bool {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let has = |want: &str| {
        db.faces()
            .any(|f| f.families.iter().any(|(n, _)| n.starts_with(want)))
    };
    has("Noto Sans CJK") && has("Noto Color Emoji")
}

#[test]
fn a_korean_chapter_and_an_emoji_build_to_pdf_with_the_systems_fonts() {
    if !fonts_installed() {
        let msg = "Noto CJK and Noto Color Emoji are not installed \
                   (apt-get install fonts-noto-cjk fonts-noto-color-emoji)";
        assert!(!common::validators_required(), "{msg}");
        eprintln!("skipped: {msg}");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let report = Project::load(&common::root().join(SCRIPTS))
        .build(&BuildOptions {
            formats: vec![Format::Pdf],
            out_dir: tmp.path().to_path_buf(),
            ..Default::default()
        })
        .unwrap_or_else(|f| panic!("{}: {:?}", f.reason, f.diagnostics));
    assert!(
        report.diagnostics.iter().all(|d| d.code != "no-glyph"),
        "{:?}",
        report.diagnostics
    );
    let pdf = Pdf::open(&report.written[0].path);
    pdf.assert_sound();
    let text = pdf.pages_text().concat();
    assert!(text.contains("할머니의"), "{text}");
    let fonts: Vec<String> = pdf.fonts().iter().map(|f| format!("{f:?}")).collect();
    assert!(
        fonts.iter().any(|f| f.contains("CJK")),
        "a Noto CJK face is embedded: {fonts:?}"
    );
    // krilla draws colour glyphs as a Type 3 font, with their text.
    assert!(
        pdf.fonts()
            .iter()
            .any(|f| f.subtype == "Type3" && f.to_unicode),
        "the emoji's colour glyph is embedded: {fonts:?}"
    );
    // The Korean book takes the Korean cut of Noto CJK.
    assert!(fonts.iter().any(|f| f.contains("CJKkr")), "{fonts:?}");
}

#[test]
fn a_character_no_font_has_refuses_the_pdf_but_the_epub_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let book = common::copy_book(SCRIPTS, tmp.path());
    let md = book.join("korean.md");
    // An unassigned code point: in no font, bundled or installed.
    let text = std::fs::read_to_string(&md)
        .unwrap()
        .replace('🎉', "\u{378}");
    std::fs::write(&md, text).unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("book.pdf"), b"earlier").unwrap();
    let o = common::qalam()
        .arg("build")
        .arg(&book)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[no-glyph]"), "{err}");
    assert!(err.contains("U+0378"), "{err}");
    assert!(err.contains("apt-get install"), "{err}");
    assert!(err.contains("PDF: it was not written"), "{err}");
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let epub = files
        .iter()
        .find(|f| f.ends_with(".epub"))
        .unwrap_or_else(|| panic!("the EPUB is written: {files:?}"));
    assert!(
        !files.iter().any(|f| f.ends_with(".pdf") && f != "book.pdf"),
        "{files:?}"
    );
    assert_eq!(std::fs::read(out.join("book.pdf")).unwrap(), b"earlier");
    common::assert_epubcheck_clean(&out.join(epub));

    // The library says the same: the PDF failed, the EPUB is in `written`.
    let out2 = tmp.path().join("out2");
    let failure = Project::load(&book)
        .build(&BuildOptions {
            out_dir: out2.clone(),
            ..Default::default()
        })
        .expect_err("the PDF has an error");
    assert!(matches!(failure.reason, Failure::Format(Format::Pdf, n) if n >= 1));
    assert_eq!(failure.written.len(), 1);
    assert!(failure.written[0].path.starts_with(&out2));
    assert!(Path::new(&failure.written[0].path).exists());
}
