//! Property tests of the whole `qalam build` (the real binary, every
//! format): whatever a chapter holds, the build never panics (it exits 0 or
//! 1, and says why), and every book it does build is valid: EPUBCheck finds
//! nothing in the EPUB; the PDF reads in-process (`common::pdf`: tagged,
//! fonts embedded, text mapped) and `qpdf --check` finds nothing in it.
//!
//! CI samples `QALAM_BUILD_PROPTEST_CASES` generated books (default 24; if
//! unset, `PROPTEST_CASES` is used); EPUBCheck runs once over all of them in
//! one JVM, qpdf once per PDF. A longer run:
//!
//! ```sh
//! QALAM_BUILD_PROPTEST_CASES=1000 cargo test --release --test build_props -- --nocapture
//! ```

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::path::{Path, PathBuf};

/// Pieces of chapter text: every construct of the format, the broken forms
/// of each, raw HTML, and arbitrary characters. Pieces that always refuse
/// the book (a second title, a figure without alt text, characters no
/// bundled font has) are rare, so that most books build and get
/// validated.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        40 => good_piece(),
        1 => prop_oneof![
            "\\PC{0,12}",
            Just("\n\n# Title\n\n".to_string()),
            Just("![](images/x.png)".to_string()),
        ],
    ]
}

fn good_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z ,.]{1,30}",
        2 => "[a-zA-Z0-9 ,.;:!?()\\[\\]{}*_~^`<>&'\"|-]{0,12}",
        1 => "[\\x00-\\x7f]{0,8}",
        1 => "[а-яӘәҚқҢңҰұҮүӨөҺһІі ]{1,20}",
        1 => Just("\n\n".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("\n\n## A question?\n\n".to_string()),
        1 => Just("\n\n### Sub-heading\n\n".to_string()),
        1 => Just("\n\n> ".to_string()),
        1 => Just("\n\n> [!pull] ".to_string()),
        1 => Just("\n\n> [!quote] ".to_string()),
        1 => Just("\n\n- ".to_string()),
        1 => Just("\n  - ".to_string()),
        1 => Just("\n\n1. ".to_string()),
        1 => Just("\n\n***\n\n".to_string()),
        1 => Just("[^a]".to_string()),
        1 => Just("[^b]".to_string()),
        1 => Just("\n\n[^a]: A note.\n\n".to_string()),
        1 => Just("\n\n[^b]: Another note with *em*.\n\n".to_string()),
        1 => Just("\n\n![A steppe](images/x.png \"A caption\")\n\n".to_string()),
        1 => Just("*em* **strong** ^sup^ ~sub~ `code` ".to_string()),
        1 => Just("10^th^ H~2~O ".to_string()),
        1 => Just("[a link](https://example.org/a?b=1&c=<2>) ".to_string()),
        1 => Just("<https://example.org/very/long/path/that/needs/to/break/somewhere> ".to_string()),
        1 => Just("[bad](javascript:alert(1)) ".to_string()),
        1 => "\\[l\\]\\((https?|ftp|mailto|tel|javascript|data|file):[\\PC]{0,16}\\) ",
        1 => "<https://[\\PC]{0,16}> ",
        1 => Just("<span lang=\"ar\">عربي</span> ".to_string()),
        1 => Just("<span lang=\"ru\">".to_string()),
        1 => Just("</span>".to_string()),
        1 => Just("<em>".to_string()),
        1 => Just("</em>".to_string()),
        1 => Just("<b onclick=\"x()\">b</b>".to_string()),
        1 => Just("<script>alert(1)</script>".to_string()),
        1 => Just("\n\n<div>block</div>\n\n".to_string()),
        1 => Just("<br>".to_string()),
        1 => Just("\n\n```\ncode <b>\n```\n\n".to_string()),
        1 => Just("\n\n| a | b |\n|---|:-:|\n| 1 | *2* |\n\n".to_string()),
        1 => Just("\"quoted\" 'single' -- --- ... ".to_string()),
        1 => Just("& < > ]]> &amp; &lt; &#x41; ".to_string()),
        1 => Just("\u{feff}\u{200b}\u{a0}\t\r\n".to_string()),
        1 => Just("😀 ".to_string()),
        1 => Just("\\* \\[^a] \\^ ".to_string()),
        1 => Just("{#custom-id}".to_string()),
    ]
}

/// A book: a front matter that is usually valid, a body of pieces.
fn book() -> impl Strategy<Value = (String, String)> {
    let title = prop_oneof![
        Just("A Title".to_string()),
        Just("Q&A <Special> \"Edition\" ]]>".to_string()),
        "[a-zA-Z][a-zA-Z &<>'\"]{0,19}",
    ];
    let fm_extra = prop_oneof![
        3 => Just(String::new()),
        1 => Just("interviewee: Someone & Co\n".to_string()),
        1 => Just("interviewee: [A, B]\nbio: |\n  A *bio* with a [link](https://example.org).\n".to_string()),
        1 => Just("lang: ru\n".to_string()),
        1 => Just("standfirst: A <em>stand</em>first & more\n".to_string()),
        1 => Just("bio: A bio.\nportrait: images/x.png\nportrait-alt: A face\n".to_string()),
    ];
    (
        title,
        fm_extra,
        prop::collection::vec(piece(), 1..30),
        prop_oneof![Just("en"), Just("ru"), Just("kk")],
    )
        .prop_map(|(title, extra, pieces, lang)| {
            let toml = format!(
                "[book]\ntitle = {}\nlanguage = \"{lang}\"\nauthors = [\"A & B\"]\n\n[epub]\ntoc-depth = 2\n",
                toml_string(&title)
            );
            // Notes referred to are usually defined (an undefined one
            // refuses the book; a defined one never referred to only warns).
            let mut body = pieces.concat();
            for label in ["a", "b"] {
                if !body.contains(&format!("[^{label}]:")) {
                    body.push_str(&format!("\n\n[^{label}]: Note {label}.\n"));
                }
            }
            let chapter = format!(
                "---\ntitle: {}\n{extra}---\n\n{body}",
                yaml_string(&title),
            );
            (toml, chapter)
        })
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn yaml_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn cases() -> u32 {
    ["QALAM_BUILD_PROPTEST_CASES", "PROPTEST_CASES"]
        .iter()
        .find_map(|k| std::env::var(k).ok()?.parse().ok())
        .unwrap_or(24)
}

/// Builds one generated book in every format; returns the EPUB and the PDF
/// (kept in `keep`) when the build succeeded.
fn build_one(
    toml: &str,
    chapter: &str,
    dir: &Path,
    keep: &Path,
    n: usize,
) -> Result<Option<(PathBuf, PathBuf)>, TestCaseError> {
    let book = dir.join("book");
    std::fs::create_dir_all(book.join("images")).unwrap();
    std::fs::write(book.join("book.toml"), toml).unwrap();
    std::fs::write(book.join("ch.md"), chapter).unwrap();
    std::fs::copy(
        common::root().join("tests/fixtures/specimen/images/steppe.png"),
        book.join("images/x.png"),
    )
    .unwrap();
    let out = dir.join("out");
    let o = common::qalam()
        .arg("build")
        .arg(&book)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let err = common::stderr(&o);
    prop_assert!(
        !err.contains("panicked") && !err.contains("overflow"),
        "crash:\n{err}\n--- ch.md:\n{chapter}"
    );
    match o.status.code() {
        Some(0) => {
            let find = |ext: &str| {
                std::fs::read_dir(&out)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .find(|p| p.extension().is_some_and(|e| e == ext))
            };
            let (epub, pdf) = (find("epub"), find("pdf"));
            prop_assert!(epub.is_some(), "exit 0 without an EPUB");
            prop_assert!(pdf.is_some(), "exit 0 without a PDF");
            let kept = keep.join(format!("{n:04}.epub"));
            std::fs::copy(epub.unwrap(), &kept).unwrap();
            let kept_pdf = keep.join(format!("{n:04}.pdf"));
            std::fs::copy(pdf.unwrap(), &kept_pdf).unwrap();
            std::fs::write(keep.join(format!("{n:04}.md")), chapter).unwrap();
            Ok(Some((kept, kept_pdf)))
        }
        Some(1) => {
            // Refused: every error is said, with a place and a help line.
            prop_assert!(err.contains("error["), "exit 1 without an error:\n{err}");
            prop_assert!(err.contains("help:"), "an error without help:\n{err}");
            let files: Vec<_> = std::fs::read_dir(&out)
                .map(|rd| rd.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            // Each format is all or nothing: only the EPUB may be written,
            // when the errors are the PDF's alone (a character no font has).
            prop_assert!(
                files
                    .iter()
                    .all(|f| f.extension().is_some_and(|e| e == "epub")),
                "a failed build wrote {files:?}"
            );
            prop_assert!(
                files.is_empty() || err.contains("in the PDF: it was not written"),
                "an EPUB beside errors that are not the PDF's alone:\n{err}"
            );
            // Why, for the tally printed at the end.
            let codes: Vec<&str> = err
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix("error[")?.split(']').next())
                .collect();
            eprintln!("refused: {}", codes.join(", "));
            Ok(None)
        }
        other => Err(TestCaseError::fail(format!(
            "exit {other:?}:\n{err}\n--- ch.md:\n{chapter}"
        ))),
    }
}

#[test]
fn generated_books_build_or_say_why_and_pass_epubcheck_and_qpdf() {
    let keep = tempfile::tempdir().unwrap();
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let built = std::cell::RefCell::new(Vec::new());
    let n = std::cell::Cell::new(0usize);
    let result = runner.run(&book(), |(toml, chapter)| {
        let dir = tempfile::tempdir().unwrap();
        n.set(n.get() + 1);
        if let Some(files) = build_one(&toml, &chapter, dir.path(), keep.path(), n.get())? {
            built.borrow_mut().push(files);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (built, pdfs): (Vec<PathBuf>, Vec<PathBuf>) = built.into_inner().into_iter().unzip();
    eprintln!("{} generated books, {} built", n.get(), built.len());
    assert!(
        built.len() * 4 >= n.get(),
        "too few generated books build ({} of {}): the generator needs mending",
        built.len(),
        n.get()
    );
    // The structure in-process, on every machine.
    for pdf in &pdfs {
        if let Err(e) = std::panic::catch_unwind(|| common::pdf::Pdf::open(pdf).assert_sound()) {
            let md = std::fs::read_to_string(pdf.with_extension("md")).unwrap_or_default();
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{}: {why}\n--- ch.md:\n{md}", pdf.display());
        }
    }
    // qpdf on top: it is quick, and EPUBCheck may be skipped.
    let mut bad_pdfs = Vec::new();
    for pdf in &pdfs {
        let Some(o) = common::tool("qpdf", &["--check".as_ref(), pdf.as_os_str()]) else {
            break;
        };
        let text = format!("{}{}", common::stdout(&o), common::stderr(&o));
        if !o.status.success() || !text.contains("No syntax or stream encoding errors") {
            let md = std::fs::read_to_string(pdf.with_extension("md")).unwrap_or_default();
            bad_pdfs.push(format!("{}:\n{text}\n--- ch.md:\n{md}", pdf.display()));
        }
    }
    assert!(
        bad_pdfs.is_empty(),
        "qpdf --check:\n{}",
        bad_pdfs.join("\n\n")
    );
    let Some(results) = common::epubcheck_many(&built) else {
        return;
    };
    let bad: Vec<String> = built
        .iter()
        .zip(&results)
        .filter(|(_, r)| r.fatals + r.errors + r.warnings > 0)
        .map(|(p, r)| {
            let md = std::fs::read_to_string(p.with_extension("md")).unwrap_or_default();
            format!("{}:\n{}\n--- ch.md:\n{md}", p.display(), r.output)
        })
        .collect();
    assert!(bad.is_empty(), "EPUBCheck:\n{}", bad.join("\n\n"));
}
