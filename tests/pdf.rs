//! The PDF book: the sample, the specimen and fixtures built with `qalam
//! build`. Their structure (catalog, tags, outline, links, fonts, boxes,
//! text) is read in-process with lopdf (`common::pdf`) on every machine;
//! qpdf and poppler check them again on top when installed. Also the
//! layout API that later writers use.

mod common;

use common::pdf::{Pdf, Target};
use common::{copy_book, root, stderr, tool};
use qalam::model::{Block, PdfVariant, plain_text, plain_text_blocks};
use qalam::model::{PageKind, Place, Seq};
use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;

const SLUG: &str = "kazakhstans-new-national-story";

/// `qalam build BOOK -o OUT --format pdf`.
fn build(book: &Path, out: &Path) -> Output {
    common::qalam()
        .arg("build")
        .arg(book)
        .arg("-o")
        .arg(out)
        .args(["--format", "pdf"])
        .output()
        .expect("qalam runs")
}

fn built(book: &Path, out: &Path) {
    let o = build(book, out);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
}

fn append(path: &Path, text: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

/// Adds `lines` to the `[pdf]` table of a book.toml (creating it).
fn pdf_settings(path: &Path, lines: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    let s = if s.contains("[pdf]\n") {
        s.replacen("[pdf]\n", &format!("[pdf]\n{lines}"), 1)
    } else {
        format!("{s}\n[pdf]\n{lines}")
    };
    std::fs::write(path, s).unwrap();
}

fn run_tool(name: &str, args: &[&OsStr]) -> Option<Output> {
    tool(name, args)
}

fn text_of(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Lower-case words (letter and digit runs), line-end hyphens of the PDF
/// text (soft hyphens) joined.
fn words(s: &str) -> Vec<String> {
    // A hyphen the line breaker added is a soft hyphen: the word is whole.
    common::words(&s.replace("\u{AD}\n", "").replace('\u{AD}', ""))
}

/// The sample chapter's text in reading order, from the model.
fn model_text(book: &qalam::model::Book) -> String {
    let mut out = String::new();
    for ch in &book.chapters {
        out.push_str(&plain_text(&ch.title));
        out.push('\n');
        if let Some(s) = &ch.standfirst {
            out.push_str(&plain_text(s));
            out.push('\n');
        }
        out.push_str(&plain_text_blocks(&ch.intro));
        for ex in &ch.exchanges {
            out.push_str(&plain_text(&ex.question.content));
            out.push('\n');
            out.push_str(&plain_text_blocks(&ex.answer));
            out.push('\n');
        }
        for n in &ch.notes {
            out.push_str(&plain_text_blocks(&n.content));
            out.push('\n');
        }
        if let Some(bio) = &ch.bio {
            out.push_str(&plain_text_blocks(&bio.content));
        }
    }
    out
}

/// The body text of a page (running head and folio left out, so that a
/// word hyphenated at a page foot joins the rest of it on the next page).
fn body_lines(text: &str, head: &str) -> Vec<String> {
    text.replace('\u{c}', "")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c.is_ascii_digit()) && *l != head)
        .map(str::to_string)
        .collect()
}

/// Every word of `expected`, in order, among the words of `got`. A
/// compound broken at its own hyphen at a line end ("medium-" / "sized")
/// comes out of pdftotext's default mode as one word ("mediumsized"): two
/// expected words may match one word made of both.
fn assert_words_in_order(expected: &[String], got: &[String], what: &str) {
    let mut it = got.iter();
    let mut i = 0;
    while i < expected.len() {
        let w = &expected[i];
        let joined = expected.get(i + 1).map(|n| format!("{w}{n}"));
        let found = it.find(|p| *p == w || joined.as_ref() == Some(*p));
        assert!(
            found.is_some(),
            "word {i} `{w}` is missing from the text of {what} (after `{}`)",
            expected[i.saturating_sub(8)..i].join(" ")
        );
        i += if found != Some(w) { 2 } else { 1 };
    }
}

#[test]
fn sample_pdf_passes_the_validators() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    built(&root().join("book"), &out);
    let pdf = out.join(format!("{SLUG}.pdf"));
    assert!(pdf.is_file());
    assert!(!out.join(format!("{SLUG}-print.pdf")).exists());
    let loaded = qalam::internals::source::load(&root().join("book"));
    let book = loaded.book.as_ref().unwrap();

    // In-process: the structure, on every machine.
    let doc = Pdf::open(&pdf);
    doc.assert_sound();
    assert_eq!(doc.lang().as_deref(), Some("en"));
    assert_eq!(doc.page_box(0, "MediaBox"), Some([0.0, 0.0, 432.0, 648.0]));
    // What the book says of itself, from the model (so that the sample
    // can change without breaking this test).
    let meta = &book.meta;
    assert_eq!(doc.info("Title").as_ref(), Some(&meta.title));
    assert_eq!(doc.info("Author"), Some(meta.authors.join(", ")));
    let date = doc.info("CreationDate").unwrap();
    let day = meta
        .date
        .as_ref()
        .expect("the sample has a date")
        .replace('-', "");
    assert!(date.starts_with(&format!("D:{day}")), "{date}");
    let fonts = doc.fonts();
    assert!(fonts.len() >= 3, "{fonts:?}");
    assert!(fonts.iter().all(|f| f.subset), "{fonts:?}");
    // The tags qalam writes for an interview: headings, paragraphs, the
    // notes and the links to them.
    let tags: Vec<String> = doc
        .structure()
        .unwrap()
        .into_iter()
        .map(|e| e.role)
        .collect();
    for t in [
        "Document", "H1", "H2", "P", "Note", "Link", "TOC", "TOCI", "Figure",
    ] {
        assert!(
            tags.iter().any(|x| x == t),
            "no {t} in the structure: {tags:?}"
        );
    }
    assert_eq!(
        tags.iter().filter(|t| *t == "Note").count(),
        book.chapters.iter().map(|c| c.notes.len()).sum::<usize>(),
        "one Note element a note"
    );
    // The outline: the contents, then one entry a chapter, each with its
    // questions.
    let outline = doc.outline();
    let chapters: Vec<_> = outline.iter().filter(|o| o.title != "Contents").collect();
    assert_eq!(chapters.len(), book.chapters.len(), "{outline:#?}");
    let chapter = chapters[0];
    assert_eq!(chapter.title, plain_text(&book.chapters[0].title));
    let questions: Vec<String> = book.chapters[0]
        .exchanges
        .iter()
        .map(|e| plain_text(&e.question.content))
        .collect();
    let titles: Vec<&str> = chapter.kids.iter().map(|k| k.title.as_str()).collect();
    assert_eq!(titles, questions);
    assert_eq!(
        chapter.kids[0].page, chapter.page,
        "the first question is on the opening page"
    );
    assert!(
        chapter.kids.windows(2).all(|w| w[0].page <= w[1].page),
        "questions in page order"
    );
    note_links_resolve_both_ways(&doc, book.chapters[0].notes.len());
    // Every word of the model, in order, in the text of the pages.
    let expected = words(&model_text(book));
    assert!(expected.len() > 500, "{}", expected.len());
    let head = meta.title.to_uppercase();
    let body: Vec<String> = doc
        .pages_text()
        .iter()
        .flat_map(|p| body_lines(p, &head))
        .collect();
    assert_words_in_order(&expected, &words(&body.join("\n")), "the PDF (lopdf)");

    // The outside validators, on top.
    let p = pdf.as_os_str();
    if let Some(o) = run_tool("qpdf", &["--check".as_ref(), p]) {
        let t = text_of(&o);
        assert!(o.status.success(), "qpdf --check:\n{t}");
        assert!(t.contains("No syntax or stream encoding errors"), "{t}");
        assert!(!t.to_lowercase().contains("warning"), "{t}");
    }
    if let Some(o) = run_tool("pdffonts", &[p]) {
        let t = text_of(&o);
        let rows: Vec<&str> = t
            .lines()
            .skip_while(|l| !l.starts_with("---"))
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert_eq!(rows.len(), fonts.len(), "{t}");
        for r in rows {
            let f: Vec<&str> = r.split_whitespace().collect();
            let n = f.len();
            assert!(n >= 5, "pdffonts row does not parse: {r}\n{t}");
            // … emb sub uni object ID
            assert_eq!(
                &f[n - 5..n - 2],
                ["yes", "yes", "yes"],
                "font not embedded/subset/mapped: {r}"
            );
        }
    }
    if let Some(o) = run_tool("pdfinfo", &[p]) {
        let t = text_of(&o);
        assert!(t.contains("Page size:       432 x 648 pts"), "{t}");
        assert!(
            t.contains(&format!("Title:           {}", meta.title)),
            "{t}"
        );
        assert!(t.contains("Tagged:          yes"), "{t}");
    }
    // Both layouts of pdftotext: the default one finds words by statistics
    // of each line; `-raw` (content order) only where a gap exceeds 0.15 em,
    // so it catches word spaces set too tight and labels drawn out of order.
    for mode in ["default", "-raw"] {
        let args: &[&OsStr] = if mode == "-raw" {
            &["-raw".as_ref(), p, "-".as_ref()]
        } else {
            &[p, "-".as_ref()]
        };
        let Some(o) = run_tool("pdftotext", args) else {
            break;
        };
        assert!(o.status.success(), "pdftotext:\n{}", text_of(&o));
        let body = body_lines(&String::from_utf8_lossy(&o.stdout), &head);
        assert_words_in_order(
            &expected,
            &words(&body.join("\n")),
            &format!("pdftotext ({mode} mode)"),
        );
    }
}

/// Every note reference links to its note, and the note's number links
/// back to the page of the reference: named destinations `note-1-N` and
/// `ref-1-N`, each on the page where the other link sits.
fn note_links_resolve_both_ways(doc: &Pdf, notes: usize) {
    let dests = doc.named_destinations();
    let dest_page = |name: &str| -> usize {
        *dests
            .get(name)
            .unwrap_or_else(|| panic!("no destination {name} in {dests:?}"))
    };
    let links = doc.links();
    let links_from = |page: usize, to: &str| {
        links
            .iter()
            .any(|(p, t)| *p == page && *t == Target::Named(to.to_string()))
    };
    for n in 1..=notes {
        let to_note = format!("note-1-{n}");
        let back = format!("ref-1-{n}");
        let note_page = dest_page(&to_note);
        let ref_page = dest_page(&back);
        assert!(note_page > ref_page, "note {n} is after its reference");
        assert!(
            links_from(ref_page, &to_note),
            "the reference to note {n} (page {ref_page}) links to it"
        );
        assert!(
            links_from(note_page, &back),
            "note {n} (page {note_page}) links back"
        );
    }
    assert!(
        !dests.contains_key(&format!("note-1-{}", notes + 1)),
        "exactly {notes} notes: {dests:?}"
    );
}

#[test]
fn specimen_pdf_is_tagged_with_languages_alt_text_and_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    built(&root().join("tests/fixtures/specimen"), &out);
    let pdf = out.join("style-specimen.pdf");
    let doc = Pdf::open(&pdf);
    doc.assert_sound();
    let s = doc.structure().unwrap();
    // Structure: figure with its alt text, lists, notes, block quote, headings.
    assert!(
        s.iter().any(|e| e.role == "Figure"
            && e.alt.as_deref()
                == Some("A stylised steppe landscape with a yellow sun over green hills")),
        "the figure's alt text"
    );
    for t in [
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Note",
        "BlockQuote",
        "H1",
        "H2",
        "H3",
        "Table",
        "TOC",
        "Caption",
    ] {
        assert!(s.iter().any(|e| e.role == t), "structure has {t}");
    }
    // Per-span language of the foreign phrases.
    let marked = doc.marked_content();
    let span_lang = |lang: &str| {
        marked.iter().any(|(_, tag, p)| {
            tag == "Span" && p.get(b"Lang").is_ok_and(|l| common::pdf::text(l) == lang)
        })
    };
    assert!(span_lang("ar"), "Arabic phrase tagged");
    assert!(span_lang("ru"), "Russian phrase tagged");
    // Running heads, folios and pull quotes are artifacts.
    let artifact = |subtype: Option<&str>| {
        marked.iter().any(|(_, tag, p)| {
            tag == "Artifact"
                && subtype.is_none_or(|s| {
                    p.get(b"Subtype")
                        .and_then(|x| x.as_name())
                        .is_ok_and(|x| x == s.as_bytes())
                })
        })
    };
    assert!(artifact(None) && artifact(Some("Header")));
    let t = doc.pages_text().concat();
    assert!(t.contains("Добрый день"), "Cyrillic extracts");
    assert!(t.contains("Endnotes"));
    assert!(t.contains("About the interviewee"));
    // Ligatures and small capitals extract as the source text.
    assert!(t.contains("ACSH") && t.contains("UNDP"));

    // The outside validators, on top.
    let p = pdf.as_os_str();
    if let Some(o) = run_tool("qpdf", &["--check".as_ref(), p]) {
        assert!(o.status.success(), "{}", text_of(&o));
    }
    if let Some(o) = run_tool("pdftotext", &[p, "-".as_ref()]) {
        let t = String::from_utf8_lossy(&o.stdout);
        assert!(t.contains("Добрый день"), "Cyrillic extracts");
        assert!(t.contains("ACSH") && t.contains("UNDP"));
    }
}

#[test]
fn print_variant_has_bleed_trim_box_and_crop_marks() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    pdf_settings(
        &book.join("book.toml"),
        "variants = [\"screen\", \"print\"]\ncrop-marks = true\n",
    );
    let out = tmp.path().join("out");
    built(&book, &out);
    let screen = out.join(format!("{SLUG}.pdf"));
    let print = out.join(format!("{SLUG}-print.pdf"));
    assert!(screen.is_file() && print.is_file());
    // 0.125in bleed (9pt) and 18pt for the marks on every side; the
    // screen edition has neither.
    let doc = Pdf::open(&print);
    doc.assert_sound();
    for page in 0..doc.page_count() {
        let b = |k| doc.page_box(page, k);
        assert_eq!(b("MediaBox"), Some([0.0, 0.0, 486.0, 702.0]), "page {page}");
        assert_eq!(
            b("BleedBox"),
            Some([18.0, 18.0, 468.0, 684.0]),
            "page {page}"
        );
        assert_eq!(
            b("TrimBox"),
            Some([27.0, 27.0, 459.0, 675.0]),
            "page {page}"
        );
    }
    let plain = Pdf::open(&screen);
    assert_eq!(plain.page_count(), doc.page_count());
    for page in 0..plain.page_count() {
        assert_eq!(
            plain.page_box(page, "MediaBox"),
            Some([0.0, 0.0, 432.0, 648.0])
        );
        assert_eq!(plain.page_box(page, "BleedBox"), None);
    }
    if let Some(o) = run_tool(
        "pdfinfo",
        &[
            "-box".as_ref(),
            "-f".as_ref(),
            "1".as_ref(),
            "-l".as_ref(),
            "3".as_ref(),
            print.as_os_str(),
        ],
    ) {
        let t = text_of(&o).split_whitespace().collect::<Vec<_>>().join(" ");
        for page in 1..=3 {
            for want in [
                format!("Page {page} size: 486 x 702 pts"),
                format!("Page {page} MediaBox: 0.00 0.00 486.00 702.00"),
                format!("Page {page} BleedBox: 18.00 18.00 468.00 684.00"),
                format!("Page {page} TrimBox: 27.00 27.00 459.00 675.00"),
            ] {
                assert!(t.contains(&want), "{want} in {t}");
            }
        }
    }
    if let Some(o) = run_tool("qpdf", &["--check".as_ref(), print.as_os_str()]) {
        assert!(o.status.success(), "{}", text_of(&o));
    }
}

#[test]
fn builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    pdf_settings(
        &book.join("book.toml"),
        "variants = [\"screen\", \"print\"]\n",
    );
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    built(&book, &a);
    built(&book, &b);
    for name in [format!("{SLUG}.pdf"), format!("{SLUG}-print.pdf")] {
        let x = std::fs::read(a.join(&name)).unwrap();
        let y = std::fs::read(b.join(&name)).unwrap();
        assert!(x == y, "{name} differs between two builds");
    }
}

#[test]
fn pdf_a_writes_archival_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    pdf_settings(&book.join("book.toml"), "pdf-a = true\n");
    let out = tmp.path().join("out");
    built(&book, &out);
    let pdf = out.join(format!("{SLUG}.pdf"));
    let doc = Pdf::open(&pdf);
    doc.assert_sound();
    let xmp = doc.xmp().expect("PDF/A has XMP metadata");
    for want in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
    ] {
        assert!(xmp.contains(want), "{want} in {xmp}");
    }
    if let Some(o) = run_tool("pdfinfo", &["-meta".as_ref(), pdf.as_os_str()]) {
        let t = text_of(&o);
        assert!(t.contains("<pdfaid:part>2</pdfaid:part>"), "{t}");
        assert!(
            t.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
            "{t}"
        );
        assert!(t.contains("<pdfuaid:part>1</pdfuaid:part>"), "{t}");
    }
    if let Some(o) = run_tool("qpdf", &["--check".as_ref(), pdf.as_os_str()]) {
        assert!(o.status.success(), "{}", text_of(&o));
    }
}

#[test]
fn supplied_jpeg_cover_passes_through_to_the_print_page() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    // A 640 x 1000 JPEG (taller than the page's 2:3, so it is cropped).
    let img = image::RgbImage::from_fn(640, 1000, |x, y| {
        image::Rgb([(x / 3) as u8, (y / 4) as u8, 120])
    });
    img.save(book.join("cover.jpg")).unwrap();
    let toml = std::fs::read_to_string(book.join("book.toml"))
        .unwrap()
        .lines()
        .map(|l| {
            if l.starts_with("cover =") {
                "cover = \"cover.jpg\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(book.join("book.toml"), toml + "\n").unwrap();
    pdf_settings(
        &book.join("book.toml"),
        "variants = [\"screen\", \"print\"]\n",
    );
    let out = tmp.path().join("out");
    built(&book, &out);
    let print = out.join(format!("{SLUG}-print.pdf"));
    let doc = Pdf::open(&print);
    let images = doc.images(0);
    assert!(
        images
            .iter()
            .any(|i| (i.width, i.height) == (640, 1000) && i.filters == ["DCTDecode"]),
        "the JPEG passes through, on the first page: {images:?}"
    );
    // Placed at trim size (0.675 pt a pixel, 960 of its 1000 rows inside
    // the trim), with the bleed drawn from its edges: a row of 640 pixels
    // at the head and the foot, a column of 960 down either side.
    let strips = |w: i64, h: i64| {
        images
            .iter()
            .filter(|i| (i.width, i.height) == (w, h))
            .count()
    };
    assert_eq!((strips(640, 1), strips(1, 960)), (2, 2), "{images:?}");
    // The page labels: the cover, then 1, 2, …
    let labels = doc.page_labels();
    assert_eq!(
        labels[&0].get(b"P").map(common::pdf::text).ok().as_deref(),
        Some("Cover")
    );
    assert_eq!(labels[&1].get(b"St").and_then(|x| x.as_i64()).ok(), Some(1));
    if let Some(o) = run_tool("pdfimages", &["-list".as_ref(), print.as_os_str()]) {
        let t = text_of(&o);
        let row = t
            .lines()
            .find(|l| l.contains(" 640 ") && l.contains(" 1000 "))
            .unwrap_or_else(|| panic!("{t}"));
        assert!(row.contains("jpeg"), "the JPEG passes through: {row}");
        assert!(
            row.trim_start().starts_with('1'),
            "on the first page: {row}"
        );
    }
}

#[test]
fn layout_tells_where_each_page_starts() {
    let loaded = qalam::internals::source::load(&root().join("book"));
    let book = loaded.book.unwrap();
    let (layout, diags) =
        qalam::internals::pdf::layout(&qalam::Engine::new(), &book, None, &loaded.sources, None);
    assert!(!diags.has_errors(), "{diags:?}");
    let layout = layout.unwrap();
    let ch = &book.chapters[0];
    assert_eq!(layout.pages[0].kind, PageKind::Title);
    assert_eq!(layout.pages[0].number, Some(1));
    let opening = layout
        .pages
        .iter()
        .find(|p| p.kind == PageKind::Opening)
        .unwrap();
    assert_eq!(
        opening.number.unwrap() % 2,
        1,
        "chapters open on right-hand pages"
    );
    let first = opening.first.as_ref().unwrap();
    assert_eq!(
        (first.chapter, &first.place, first.offset),
        (0, &Place::Title, 0)
    );
    let mut text_pages = 0;
    let mut last = (0usize, 0usize, 0usize);
    for p in &layout.pages {
        let Some(pos) = &p.first else { continue };
        if p.kind == PageKind::Text {
            text_pages += 1;
        }
        // The offset lies inside the text it names, on a character boundary.
        let text = match &pos.place {
            Place::Title => plain_text(&ch.title),
            Place::Standfirst => plain_text(ch.standfirst.as_ref().unwrap()),
            Place::Question(i) => plain_text(&ch.exchanges[*i].question.content),
            Place::Block { seq, path } => {
                let blocks = match seq {
                    Seq::Intro => &ch.intro,
                    Seq::Answer(i) => &ch.exchanges[*i].answer,
                    Seq::Note(i) => &ch.notes[*i].content,
                    Seq::Bio => &ch.bio.as_ref().unwrap().content,
                };
                let mut b = &blocks[path[0]];
                for &k in &path[1..] {
                    b = match b {
                        Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                            &content[k]
                        }
                        other => panic!("path goes through {other:?}"),
                    };
                }
                match b {
                    Block::Paragraph { content, .. } => plain_text(content),
                    other => panic!("page starts in {other:?}"),
                }
            }
        };
        assert!(
            pos.offset < text.len().max(1) && text.is_char_boundary(pos.offset),
            "{pos:?}"
        );
        // Pages start further and further into the chapter.
        let order = match &pos.place {
            Place::Title | Place::Standfirst => (0, 0, 0),
            Place::Question(i) => (1 + 2 * i, 0, 0),
            Place::Block {
                seq: Seq::Answer(i),
                path,
            } => (2 + 2 * i, path[0], pos.offset),
            Place::Block {
                seq: Seq::Note(i), ..
            } => (100 + i, 0, pos.offset),
            Place::Block { seq: Seq::Bio, .. } => (1000, 0, 0),
            Place::Block { .. } => (0, 0, 0),
        };
        assert!(order >= last, "{order:?} after {last:?}");
        last = order;
        // A page starting inside a paragraph starts at a word.
        if pos.offset > 0 {
            let before = &text[..pos.offset];
            assert!(
                before.ends_with(' ')
                    || before.ends_with('-')
                    || before.ends_with('—')
                    || text[pos.offset..].starts_with(char::is_alphanumeric),
                "{pos:?}: …{}|{}",
                &before[before.len().saturating_sub(20)..],
                &text[pos.offset..(pos.offset + 20).min(text.len())]
            );
        }
    }
    assert!(text_pages >= 6, "{text_pages}");
    assert!(layout.pages.iter().any(|p| p.kind == PageKind::Bio));
    // Writing the same layout twice gives the same bytes.
    let a = qalam::internals::pdf::write(&layout, PdfVariant::Screen, &loaded.sources).unwrap();
    let b = qalam::internals::pdf::write(&layout, PdfVariant::Screen, &loaded.sources).unwrap();
    assert!(a == b);
    // Writing it last (its lines let go page by page) gives them too.
    let c = qalam::internals::pdf::write_last(layout, PdfVariant::Screen, &loaded.sources).unwrap();
    assert!(a == c);
}

// --- bad input -------------------------------------------------------------

/// Builds `book` into `out` where an earlier PDF exists; the build must fail
/// with `code` and leave the earlier file as it was.
fn fails_and_keeps_earlier(book: &Path, out: &Path, slug: &str, code: &str) -> String {
    std::fs::create_dir_all(out).unwrap();
    let earlier = out.join(format!("{slug}.pdf"));
    std::fs::write(&earlier, b"earlier").unwrap();
    let o = build(book, out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("error[{code}]")), "{err}");
    assert_eq!(std::fs::read(&earlier).unwrap(), b"earlier");
    let others: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != OsStr::new(&format!("{slug}.pdf")))
        .collect();
    assert!(others.is_empty(), "no other file is left: {others:?}");
    err
}

#[test]
fn image_that_does_not_decode_is_a_diagnostic_at_the_figure() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("tests/fixtures/positions/image-decode", tmp.path());
    // A PNG whose header is fine (the reader accepts it) but whose pixels are not.
    let img = image::RgbImage::from_fn(64, 64, |x, y| image::Rgb([x as u8 * 4, y as u8 * 4, 90]));
    std::fs::create_dir_all(book.join("images")).unwrap();
    let path = book.join("images/pic.png");
    img.save(&path).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    // Past the signature and the IHDR chunk (8 + 25 bytes): the IDAT data.
    let idat = bytes.windows(4).position(|w| w == b"IDAT").unwrap();
    for b in bytes.iter_mut().skip(idat + 8).take(200) {
        *b ^= 0x5a;
    }
    std::fs::write(&path, bytes).unwrap();
    let out = tmp.path().join("out");
    let err = fails_and_keeps_earlier(&book, &out, "positions", "image-decode");
    assert!(err.contains("interview.md:10:1"), "{err}");
    assert!(err.contains("pic.png"), "{err}");
}

#[test]
fn missing_image_is_reported_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("tests/fixtures/bad/missing-image", tmp.path());
    let out = tmp.path().join("out");
    let o = build(&book, &out);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("interview.md:"), "{}", stderr(&o));
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
}

#[test]
fn unreadable_font_file_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    std::fs::create_dir_all(book.join("fonts")).unwrap();
    std::fs::write(
        book.join("fonts/Broken-Regular.ttf"),
        b"this is not a font file at all",
    )
    .unwrap();
    append(
        &book.join("book.toml"),
        "\n[fonts]\nbody = \"Broken\"\ndirs = [\"fonts\"]\n",
    );
    let out = tmp.path().join("out");
    let err = fails_and_keeps_earlier(&book, &out, SLUG, "font-not-found");
    assert!(err.contains("Broken-Regular.ttf"), "{err}");
    assert!(err.contains("font-unreadable"), "{err}");
}

#[test]
fn character_no_font_has_is_an_error_at_its_paragraph() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("tests/fixtures/positions/no-glyph", tmp.path());
    // 漢 is in the system's fonts where Noto CJK is installed (the PDF
    // then takes it from there); an unassigned code point is in none.
    let md = book.join("interview.md");
    let text = std::fs::read_to_string(&md)
        .unwrap()
        .replace('漢', "\u{378}");
    std::fs::write(&md, text).unwrap();
    let out = tmp.path().join("out");
    let err = fails_and_keeps_earlier(&book, &out, "positions", "no-glyph");
    assert!(err.contains("U+0378"), "{err}");
    assert!(
        err.contains("apt-get install"),
        "says how to install a font: {err}"
    );
    assert!(err.contains("interview.md:10:1"), "{err}");
}

#[test]
fn emoji_is_a_warning_and_the_pdf_still_validates() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("tests/fixtures/positions/no-glyph", tmp.path());
    let md = book.join("interview.md");
    let text = std::fs::read_to_string(&md)
        .unwrap()
        // In the emoji block but unassigned: no emoji font has it.
        .replace('漢', "\u{1FAFF}");
    std::fs::write(&md, text).unwrap();
    let out = tmp.path().join("out");
    let o = build(&book, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning[no-glyph]"), "{err}");
    assert!(err.contains("interview.md:10:1"), "{err}");
    let pdf = out.join("positions.pdf");
    let doc = Pdf::open(&pdf);
    doc.assert_sound();
    let text = doc.pages_text().concat();
    assert!(text.contains("waits for a font"), "{text}");
    if let Some(o) = run_tool("qpdf", &["--check".as_ref(), pdf.as_os_str()]) {
        assert!(o.status.success(), "{}", text_of(&o));
    }
}

#[test]
fn page_without_room_for_text_is_refused_at_the_setting() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("tests/fixtures/positions/no-room", tmp.path());
    let out = tmp.path().join("out");
    let err = fails_and_keeps_earlier(&book, &out, "positions", "pdf-no-room");
    assert!(err.contains("book.toml:5:8"), "{err}");
    // `qalam check` says the same.
    let o = common::run(&["check", book.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("pdf-no-room"));
    assert!(stderr(&o).contains("book.toml:5:8"), "{}", stderr(&o));
}

#[test]
fn build_writes_into_book_out_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("tests/fixtures/specimen", tmp.path());
    let o = common::qalam().arg("build").arg(&book).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(book.join("out/style-specimen.pdf").is_file());
}

#[test]
fn pdf_a_needs_a_date_and_takes_source_date_epoch() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    let toml = std::fs::read_to_string(book.join("book.toml")).unwrap();
    let toml: String = toml
        .lines()
        .filter(|l| !l.starts_with("date ="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(book.join("book.toml"), toml).unwrap();
    pdf_settings(&book.join("book.toml"), "pdf-a = true\n");
    let out = tmp.path().join("out");
    let o = common::qalam()
        .env_remove("SOURCE_DATE_EPOCH")
        .args([
            "build",
            book.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--format",
            "pdf",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error[pdf-a-date]"), "{}", stderr(&o));
    assert!(!out.join(format!("{SLUG}.pdf")).exists());
    // 2023-11-14 22:13:20 UTC.
    let o = common::qalam()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args([
            "build",
            book.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--format",
            "pdf",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let date = Pdf::open(&out.join(format!("{SLUG}.pdf")))
        .info("CreationDate")
        .expect("a creation date");
    assert!(date.starts_with("D:20231114221320"), "{date}");
    if let Some(o) = run_tool("pdfinfo", &[out.join(format!("{SLUG}.pdf")).as_os_str()]) {
        let t = text_of(&o);
        assert!(
            t.contains("CreationDate:    Tue Nov 14 22:13:20 2023 UTC"),
            "{t}"
        );
    }
}

#[test]
fn validation_errors_of_the_standard_are_diagnostics() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    let toml = std::fs::read_to_string(book.join("book.toml"))
        .unwrap()
        .replacen(
            "subject = \"",
            &format!("subject = \"{} ", "very long ".repeat(4000)),
            1,
        );
    std::fs::write(book.join("book.toml"), toml).unwrap();
    pdf_settings(&book.join("book.toml"), "pdf-a = true\n");
    let out = tmp.path().join("out");
    let err = fails_and_keeps_earlier(&book, &out, SLUG, "pdf-validation");
    assert!(err.contains("PDF/A-2b"), "{err}");
    assert!(err.contains("32767"), "{err}");
}

/// The in-process checks can fail: the sample's PDF with one thing taken
/// out at a time (the language, the tagged flag, the structure tree, a
/// font's file, a font's ToUnicode map, a named destination) is refused
/// by `Pdf::assert_sound`, which passes on the file as written.
#[test]
fn the_in_process_reader_refuses_what_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    built(&root().join("book"), &out);
    let pdf = out.join(format!("{SLUG}.pdf"));
    Pdf::open(&pdf).assert_sound();
    type Break = fn(&mut lopdf::Document);
    let cases: Vec<(&str, &str, Break)> = vec![
        ("no /Lang", "/Lang", |d| {
            let c = d.trailer.get(b"Root").unwrap().as_reference().unwrap();
            d.get_dictionary_mut(c).unwrap().remove(b"Lang");
        }),
        ("no /MarkInfo", "/MarkInfo", |d| {
            let c = d.trailer.get(b"Root").unwrap().as_reference().unwrap();
            d.get_dictionary_mut(c).unwrap().remove(b"MarkInfo");
        }),
        ("no structure tree", "/StructTreeRoot", |d| {
            let c = d.trailer.get(b"Root").unwrap().as_reference().unwrap();
            d.get_dictionary_mut(c).unwrap().remove(b"StructTreeRoot");
        }),
        ("a font not embedded", "is not embedded", |d| {
            for o in d.objects.values_mut() {
                if let Ok(fd) = o.as_dict_mut()
                    && fd.has(b"FontFile2")
                {
                    fd.remove(b"FontFile2");
                    return;
                }
            }
            panic!("no FontFile2 to remove");
        }),
        ("a font without ToUnicode", "/ToUnicode", |d| {
            for o in d.objects.values_mut() {
                if let Ok(f) = o.as_dict_mut()
                    && f.remove(b"ToUnicode").is_some()
                {
                    return;
                }
            }
            panic!("no ToUnicode to remove");
        }),
        ("a link to a missing destination", "missing nowhere", |d| {
            for o in d.objects.values_mut() {
                if let Ok(a) = o.as_dict_mut()
                    && a.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Link")
                    && a.has(b"Dest")
                {
                    a.set("Dest", lopdf::Object::string_literal("nowhere"));
                    return;
                }
            }
            panic!("no named link to break");
        }),
    ];
    for (what, says, f) in cases {
        let mut doc = lopdf::Document::load(&pdf).unwrap();
        f(&mut doc);
        let broken = tmp.path().join("broken.pdf");
        doc.save(&broken).unwrap();
        let Err(e) = std::panic::catch_unwind(|| Pdf::open(&broken).assert_sound()) else {
            panic!("{what}: the broken PDF passes");
        };
        let why = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        assert!(
            why.contains(says),
            "{what}: refused for another reason: {why}"
        );
    }
}
