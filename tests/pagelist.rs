//! The EPUB knows the print edition's pages (issue 10): books are built in
//! both formats with `qalam build`, and for every page of the PDF the word
//! that starts it (read with lopdf, without running head and folio) must be the
//! word that follows the EPUB's page-break marker of that number (the
//! XHTML's text after the marker, in reading order). The page list has one
//! entry per numbered page, in order, each pointing at its marker.

mod common;
#[path = "../benches/corpus/mod.rs"]
mod corpus;

use common::{assert_epubcheck_clean, copy_book, qalam, root, stderr, words};
use qalam::model::PageKind;
use quick_xml::events::{BytesStart, Event};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// `qalam build BOOK -o OUT [--format F]`, without SOURCE_DATE_EPOCH.
fn build(book: &Path, out: &Path, format: Option<&str>) {
    let mut c = qalam();
    c.arg("build").arg(book).arg("-o").arg(out);
    if let Some(f) = format {
        c.args(["--format", f]);
    }
    let o = c
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("qalam runs");
    assert!(
        o.status.success(),
        "build of {} failed:\n{}",
        book.display(),
        stderr(&o)
    );
}

fn file_with_ext(dir: &Path, ext: &str) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    found.sort();
    assert_eq!(found.len(), 1, "{found:?}");
    found.remove(0)
}

fn unzip(epub: &Path) -> BTreeMap<String, Vec<u8>> {
    let raw = std::fs::read(epub).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(raw)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.insert(f.name().unwrap().to_string(), data);
    }
    out
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| AsRef::<str>::as_ref(&a.key) == name)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::default())
                .unwrap()
                .into_owned()
        })
}

/// What the EPUB's documents hold, in reading order.
#[derive(Debug)]
enum Item {
    Text(String),
    /// A page-break marker: page number, document, id.
    Mark(u32, String, String),
}

struct Epub {
    files: BTreeMap<String, Vec<u8>>,
    /// Spine documents, as paths in the container.
    spine: Vec<String>,
}

impl Epub {
    fn open(path: &Path) -> Epub {
        let files = unzip(path);
        let opf = String::from_utf8(files["EPUB/package.opf"].clone()).unwrap();
        let mut r = quick_xml::Reader::from_str(&opf);
        let mut hrefs = BTreeMap::new();
        let mut spine = Vec::new();
        loop {
            match r.read_event().unwrap() {
                Event::Eof => break,
                Event::Empty(e) | Event::Start(e) => match AsRef::<str>::as_ref(&e.name()) {
                    "item" => {
                        hrefs.insert(attr(&e, "id").unwrap(), attr(&e, "href").unwrap());
                    }
                    "itemref" => spine.push(format!("EPUB/{}", hrefs[&attr(&e, "idref").unwrap()])),
                    _ => {}
                },
                _ => {}
            }
        }
        Epub { files, spine }
    }

    fn text(&self, name: &str) -> String {
        String::from_utf8(self.files[name].clone()).unwrap()
    }

    fn opf(&self) -> String {
        self.text("EPUB/package.opf")
    }

    /// The body text and markers of every spine document, in order; text
    /// inside `hidden` elements (the hidden navigation lists) is left out.
    /// Every document must be well-formed XML.
    fn stream(&self) -> Vec<Item> {
        let mut out = Vec::new();
        for doc in &self.spine {
            let xhtml = self.text(doc);
            let mut r = quick_xml::Reader::from_str(&xhtml);
            let mut in_body = false;
            let mut hidden_depth = 0usize;
            let mut stack: Vec<String> = Vec::new();
            loop {
                let ev = r
                    .read_event()
                    .unwrap_or_else(|e| panic!("{doc} is not well-formed: {e}"));
                match ev {
                    Event::Eof => break,
                    Event::Start(e) => {
                        let name = AsRef::<str>::as_ref(&e.name()).to_string();
                        if name == "body" {
                            in_body = true;
                        }
                        if hidden_depth > 0 || attr(&e, "hidden").is_some() {
                            hidden_depth += 1;
                        }
                        if attr(&e, "role").as_deref() == Some("doc-pagebreak") {
                            panic!("{doc}: a page-break marker must be empty");
                        }
                        stack.push(name);
                    }
                    Event::End(e) => {
                        assert_eq!(
                            stack.pop().as_deref(),
                            Some(AsRef::<str>::as_ref(&e.name())),
                            "{doc}: tags do not match"
                        );
                        hidden_depth = hidden_depth.saturating_sub(1);
                        if AsRef::<str>::as_ref(&e.name()) == "body" {
                            in_body = false;
                        }
                    }
                    Event::Empty(e) if attr(&e, "role").as_deref() == Some("doc-pagebreak") => {
                        assert!(in_body, "{doc}: marker outside the body");
                        assert_eq!(hidden_depth, 0, "{doc}: a hidden marker");
                        assert_eq!(
                            attr(&e, "epub:type").as_deref(),
                            Some("pagebreak"),
                            "{doc}: role and epub:type go together"
                        );
                        let label = attr(&e, "aria-label").expect("labelled marker");
                        let id = attr(&e, "id").expect("marker with an id");
                        assert_eq!(id, format!("page_{label}"));
                        out.push(Item::Mark(label.parse().unwrap(), doc.clone(), id));
                    }
                    Event::Text(t) if in_body && hidden_depth == 0 => {
                        out.push(Item::Text(t.xml10_content().into_owned()));
                    }
                    Event::GeneralRef(g) if in_body && hidden_depth == 0 => {
                        // Entities (`&amp;`, `&#160;`): their text matters
                        // only as word boundaries here.
                        let name = g.xml10_content();
                        let s = match name.as_ref() {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            _ => " ",
                        };
                        out.push(Item::Text(s.to_string()));
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// The page list: (href, label), in order.
    fn page_list(&self) -> Vec<(String, String)> {
        let nav = self.text("EPUB/nav.xhtml");
        let mut r = quick_xml::Reader::from_str(&nav);
        let mut inside = false;
        let mut out = Vec::new();
        let mut href: Option<String> = None;
        loop {
            match r.read_event().unwrap() {
                Event::Eof => break,
                Event::Start(e) if AsRef::<str>::as_ref(&e.name()) == "nav" => {
                    inside = attr(&e, "epub:type").as_deref() == Some("page-list");
                    if inside {
                        assert!(attr(&e, "hidden").is_some(), "the page list is hidden");
                        assert_eq!(attr(&e, "role").as_deref(), Some("doc-pagelist"));
                    }
                }
                Event::End(e) if AsRef::<str>::as_ref(&e.name()) == "nav" => inside = false,
                Event::Start(e) if inside && AsRef::<str>::as_ref(&e.name()) == "a" => {
                    href = attr(&e, "href");
                }
                Event::Text(t) if inside => {
                    if let Some(h) = href.take() {
                        out.push((h, t.xml10_content().into_owned()));
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// One PDF page's text without its running head and folio.
struct PdfPage {
    number: Option<u32>,
    kind: PageKind,
    lines: Vec<String>,
}

/// The PDF's pages: their text read in-process (`common::pdf`, in content
/// order), with the layout's page numbers and kinds (the same layout
/// `qalam build` makes).
fn pdf_pages(book_dir: &Path, pdf: &Path) -> Vec<PdfPage> {
    let raw = common::pdf::Pdf::open(pdf).pages_text();
    let loaded = qalam::internals::source::load(book_dir);
    let book = loaded.book.expect("the book reads");
    let mut diags = qalam::diag::Diagnostics::new();
    let engine = qalam::Engine::new();
    let cover = qalam::cover::prepare_pdf(&engine, &book, &mut diags);
    let (layout, ld) =
        qalam::internals::pdf::layout(&engine, &book, cover.as_ref(), &loaded.sources, None);
    assert!(!ld.has_errors() && !diags.has_errors());
    let layout = layout.unwrap();
    let mut heads: Vec<String> = vec![book.meta.title.to_uppercase()];
    for ch in &book.chapters {
        heads.push(qalam::model::plain_text(&ch.title).to_uppercase());
    }
    assert_eq!(
        raw.len(),
        layout.pages.len(),
        "the PDF has {} pages, the layout {}",
        raw.len(),
        layout.pages.len()
    );
    layout
        .pages
        .iter()
        .zip(&raw)
        .map(|(info, t)| {
            let mut lines: Vec<String> = t
                .lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect();
            // The running head: a title in capitals (cut when it is longer
            // than the line), drawn after the text of a text page.
            if info.kind == PageKind::Text
                && let Some(k) = lines
                    .iter()
                    .rposition(|l| heads.iter().any(|h| h.starts_with(l.as_str())))
            {
                lines.remove(k);
            }
            // The folio.
            if let Some(n) = info.number {
                let n = n.to_string();
                if let Some(k) = lines.iter().rposition(|l| *l == n) {
                    lines.remove(k);
                }
            }
            PdfPage {
                number: info.number,
                kind: info.kind,
                lines,
            }
        })
        .collect()
}

/// The checks of the issue on one book built in both formats into `out`.
/// Returns what was compared.
fn check_pages(book_dir: &Path, out: &Path) -> Checked {
    let epub_path = file_with_ext(out, "epub");
    let pdf_path = file_with_ext(out, "pdf");
    let epub = Epub::open(&epub_path);
    let stream = epub.stream();

    // Markers: each number once, 1, 2, 3, … in reading order.
    let marks: Vec<(u32, &str, &str)> = stream
        .iter()
        .filter_map(|i| match i {
            Item::Mark(n, doc, id) => Some((*n, doc.as_str(), id.as_str())),
            Item::Text(_) => None,
        })
        .collect();
    let numbers: Vec<u32> = marks.iter().map(|m| m.0).collect();
    let expected: Vec<u32> = (1..=marks.len() as u32).collect();
    assert_eq!(numbers, expected, "markers in page order");

    // The page list: one entry per marker, in the same order, pointing at it.
    let list = epub.page_list();
    assert_eq!(list.len(), marks.len());
    for ((href, label), (n, doc, id)) in list.iter().zip(&marks) {
        assert_eq!(label, &n.to_string());
        assert_eq!(&format!("EPUB/{href}"), &format!("{doc}#{id}"));
    }

    // The package declares the source and the features.
    let opf = epub.opf();
    for needle in [
        "<dc:source id=\"print-source\">",
        "<meta refines=\"#print-source\" property=\"source-of\">pagination</meta>",
        "<meta property=\"pageBreakSource\">",
        "<meta property=\"schema:accessibilityFeature\">pageBreakMarkers</meta>",
        "<meta property=\"schema:accessibilityFeature\">pageNavigation</meta>",
    ] {
        assert!(opf.contains(needle), "package.opf lacks {needle}");
    }

    let pdf = pdf_pages(book_dir, &pdf_path);
    let numbered = pdf.iter().filter(|p| p.number.is_some()).count();
    assert_eq!(
        list.len(),
        numbered,
        "the page list has as many entries as the PDF has numbered pages"
    );

    // The words after each marker.
    let mut after: BTreeMap<u32, (String, Vec<String>)> = BTreeMap::new();
    for (k, item) in stream.iter().enumerate() {
        if let Item::Mark(n, doc, _) = item {
            let mut text = String::new();
            for next in &stream[k + 1..] {
                if let Item::Text(t) = next {
                    text.push_str(t);
                    if words(&text).len() > 3 {
                        break;
                    }
                }
            }
            after.insert(*n, (doc.clone(), words(&text)));
        }
    }

    let mut compared = 0;
    let mut blank = 0;
    let mut imprint = 0;
    let mut later_contents = 0;
    let mut first_contents = true;
    for (k, page) in pdf.iter().enumerate() {
        let Some(n) = page.number else { continue };
        let (doc, epub_words) = &after[&n];
        let context = || {
            format!(
                "page {n} ({:?}): PDF `{}`, EPUB ({doc}) `{}`",
                page.kind,
                page.lines.first().map_or("", String::as_str),
                epub_words.join(" ")
            )
        };
        match page.kind {
            // Blank pages have no text; the imprint's marker is at the
            // title page's imprint block, which the EPUB sets differently;
            // contents pages after the first are marked at the contents'
            // start (see src/epub/pages.rs).
            PageKind::Blank => {
                assert!(page.lines.is_empty(), "{}", context());
                blank += 1;
                continue;
            }
            PageKind::Imprint => {
                assert_eq!(doc, "EPUB/titlepage.xhtml", "{}", context());
                imprint += 1;
                continue;
            }
            PageKind::Contents if !first_contents => {
                assert_eq!(doc, "EPUB/nav.xhtml", "{}", context());
                later_contents += 1;
                continue;
            }
            PageKind::Contents => first_contents = false,
            _ => {}
        }
        let pdf_words = words(&page.lines.join("\n"));
        let pdf_first = pdf_words.first().unwrap_or_else(|| panic!("{}", context()));
        let epub_first = epub_words
            .first()
            .unwrap_or_else(|| panic!("{}", context()));
        // A word hyphenated across the page break: the marker stands before
        // the word, whose start ends the previous page.
        let joined = k
            .checked_sub(1)
            .and_then(|p| pdf[p].lines.last())
            .filter(|l| l.ends_with('\u{AD}'))
            .and_then(|l| words(l).pop())
            .map(|w| format!("{w}{pdf_first}"));
        assert!(
            epub_first == pdf_first || joined.as_ref() == Some(epub_first),
            "{}",
            context()
        );
        compared += 1;
    }
    let checked = Checked {
        compared,
        numbered,
        blank,
        imprint,
        later_contents,
    };
    eprintln!("{checked:?}");
    checked
}

/// What [`check_pages`] compared.
#[derive(Debug, Default)]
struct Checked {
    /// Numbered pages whose first word was compared with the EPUB's.
    compared: usize,
    /// The PDF's numbered pages (and the page list's entries).
    numbered: usize,
    /// Blank pages (no text to compare; their markers were checked).
    blank: usize,
    /// The imprint page and the contents pages after the first (marked at
    /// the title page's imprint and the contents' start: checked there).
    imprint: usize,
    later_contents: usize,
}

/// Every numbered page is compared word for word but blank pages (at most
/// one before each chapter opening and each bio, and one after the
/// contents), the imprint and contents pages after the first.
fn assert_most_compared(c: &Checked, chapters: usize) {
    assert!(c.blank <= 2 * chapters + 1, "{c:?}");
    assert!(c.imprint <= 1, "{c:?}");
    assert_eq!(
        c.compared + c.blank + c.imprint + c.later_contents,
        c.numbered,
        "{c:?}"
    );
}

#[test]
fn sample_epub_marks_every_print_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let book = root().join("book");
    build(&book, &out, None);
    let checked = check_pages(&book, &out);
    assert_most_compared(&checked, 1);
    assert_epubcheck_clean(&file_with_ext(&out, "epub"));

    // An EPUB-only build paginates all the same: the same bytes.
    let only = tmp.path().join("only");
    build(&book, &only, Some("epub"));
    assert!(
        std::fs::read(file_with_ext(&out, "epub")).unwrap()
            == std::fs::read(file_with_ext(&only, "epub")).unwrap(),
        "the EPUB built alone differs from the one built with the PDF"
    );
}

#[test]
fn fifty_chapter_epub_marks_every_print_page() {
    let tmp = tempfile::tempdir().unwrap();
    let book = corpus::write_book(&tmp.path().join("book-50"), 50);
    let out = tmp.path().join("out");
    build(&book, &out, None);
    let checked = check_pages(&book, &out);
    assert_most_compared(&checked, 50);
    if checked.numbered > 0 {
        assert!(checked.numbered > 400, "{checked:?}");
    }
    assert_epubcheck_clean(&file_with_ext(&out, "epub"));
}

#[test]
fn specimen_epub_marks_every_print_page() {
    // Lists, a table, code, figures, links, foreign spans, a dinkus.
    let tmp = tempfile::tempdir().unwrap();
    let book = root().join("tests/fixtures/specimen");
    let out = tmp.path().join("out");
    build(&book, &out, None);
    let checked = check_pages(&book, &out);
    assert!(checked.compared + 4 >= checked.numbered, "{checked:?}");
    assert_epubcheck_clean(&file_with_ext(&out, "epub"));
}

#[test]
fn page_list_false_leaves_the_pages_out() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    let toml = book.join("book.toml");
    let s = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, s.replace("[epub]\n", "[epub]\npage-list = false\n")).unwrap();
    let out = tmp.path().join("out");
    build(&book, &out, Some("epub"));
    let epub = Epub::open(&file_with_ext(&out, "epub"));
    assert!(
        !epub.stream().iter().any(|i| matches!(i, Item::Mark(..))),
        "no markers"
    );
    assert!(epub.page_list().is_empty());
    assert!(!epub.text("EPUB/nav.xhtml").contains("page-list"));
    let opf = epub.opf();
    assert!(!opf.contains("dc:source") && !opf.contains("pageBreak"));
    assert!(!epub.text("EPUB/css/book.css").is_empty());
}

#[test]
fn an_epub_whose_pdf_cannot_be_laid_out_is_written_without_pages() {
    // A body font that is not installed: the PDF cannot be made, the EPUB
    // (whose fonts fall back to the reading system's) can, without pages.
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    let toml = book.join("book.toml");
    let s = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("{s}\n[fonts]\nbody = \"No Such Font Family\"\n"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = qalam()
        .arg("build")
        .arg(&book)
        .args(["-o"])
        .arg(&out)
        .args(["--format", "epub"])
        .output()
        .expect("qalam runs");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the EPUB gets no print page list"),
        "{}",
        stderr(&o)
    );
    let epub = Epub::open(&file_with_ext(&out, "epub"));
    assert!(epub.page_list().is_empty());
    assert!(!epub.opf().contains("pageBreak"));
    assert_epubcheck_clean(&file_with_ext(&out, "epub"));
}
