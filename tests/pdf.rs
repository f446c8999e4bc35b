//! The PDF book: the sample, the specimen and fixtures built with `qalam
//! build`, checked with real tools (qpdf, poppler, mutool) when installed,
//! and the layout API that later writers use.

mod common;

use common::{copy_book, root, stderr, tool};
use qalam::model::{Block, PdfVariant, plain_text, plain_text_blocks};
use qalam::pdf::{PageKind, Place, Seq};
use serde_json::Value;
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

fn qpdf_json(pdf: &Path) -> Option<Value> {
    let o = run_tool("qpdf", &["--json".as_ref(), pdf.as_os_str()])?;
    Some(serde_json::from_slice(&o.stdout).expect("qpdf --json gives JSON"))
}

fn object<'a>(j: &'a Value, r: &str) -> &'a Value {
    &j["qpdf"][1][format!("obj:{r}")]["value"]
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

#[test]
fn sample_pdf_passes_the_validators() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    built(&root().join("book"), &out);
    let pdf = out.join(format!("{SLUG}.pdf"));
    assert!(pdf.is_file());
    assert!(!out.join(format!("{SLUG}-print.pdf")).exists());
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
        assert!(rows.len() >= 3, "{t}");
        for r in rows {
            let f: Vec<&str> = r.split_whitespace().collect();
            let n = f.len();
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
            t.contains("Title:           Kazakhstan’s New National Story"),
            "{t}"
        );
        assert!(t.contains("Author:          Alikhan Baimenov"), "{t}");
        assert!(t.contains("Tagged:          yes"), "{t}");
        assert!(
            t.contains("CreationDate:    Wed May  1 00:00:00 2024 UTC"),
            "{t}"
        );
    }
    if let Some(j) = qpdf_json(&pdf) {
        // The document language, in the catalog.
        let root_ref = j["qpdf"][1]["trailer"]["value"]["/Root"]
            .as_str()
            .unwrap()
            .to_string();
        let catalog = object(&j, &root_ref);
        assert_eq!(catalog["/Lang"], "u:en");
        assert!(catalog["/StructTreeRoot"].is_string());
        // The outline: a chapter entry with its 7 questions.
        let chapter = j["outlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["title"] == "Kazakhstan’s New National Story")
            .expect("chapter bookmark");
        let kids = chapter["kids"].as_array().unwrap();
        assert_eq!(kids.len(), 7);
        assert!(
            kids[6]["title"]
                .as_str()
                .unwrap()
                .starts_with("Kazakhstan’s rich history")
        );
        let qpage = kids[0]["destpageposfrom1"].as_u64().unwrap();
        let cpage = chapter["destpageposfrom1"].as_u64().unwrap();
        assert_eq!(qpage, cpage, "the first question is on the opening page");
        note_links_resolve_both_ways(&j, 2);
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
        // Without running heads and folios, so that a word hyphenated at a
        // page foot joins the rest of it on the next page.
        let text = String::from_utf8_lossy(&o.stdout).replace('\u{c}', "");
        let body: Vec<&str> = text
            .lines()
            .filter(|l| {
                let l = l.trim();
                !l.is_empty()
                    && !l.chars().all(|c| c.is_ascii_digit())
                    && l != "KAZAKHSTAN’S NEW NATIONAL STORY"
            })
            .collect();
        let pdf_words = words(&body.join("\n"));
        let loaded = qalam::source::load(&root().join("book"));
        let expected = words(&model_text(loaded.book.as_ref().unwrap()));
        assert!(expected.len() > 2500, "{}", expected.len());
        let mut it = pdf_words.iter();
        for (i, w) in expected.iter().enumerate() {
            assert!(
                it.any(|p| p == w),
                "word {i} `{w}` is missing from the text of pdftotext ({mode} mode) (after `{}`)",
                expected[i.saturating_sub(8)..i].join(" ")
            );
        }
    }
}

/// Every note reference links to its note, and the note's number links
/// back to the page of the reference: named destinations `note-1-N` and
/// `ref-1-N`, each on the page where the other link sits.
fn note_links_resolve_both_ways(j: &Value, notes: usize) {
    let pages: Vec<String> = j["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["object"].as_str().unwrap().to_string())
        .collect();
    let root_ref = j["qpdf"][1]["trailer"]["value"]["/Root"]
        .as_str()
        .unwrap()
        .to_string();
    let names = object(j, &root_ref)["/Names"]["/Dests"]["/Names"]
        .as_array()
        .expect("named destinations")
        .clone();
    let dest_page = |name: &str| -> usize {
        let i = names
            .iter()
            .position(|v| v == &Value::String(format!("u:{name}")))
            .unwrap_or_else(|| panic!("no destination {name}"));
        let r = names[i + 1].as_str().unwrap();
        let d = object(j, r);
        let page = d[0].as_str().unwrap();
        pages.iter().position(|p| p == page).unwrap()
    };
    // Link annotations by destination name -> page index.
    let mut link_pages: Vec<(String, usize)> = Vec::new();
    for (pi, p) in pages.iter().enumerate() {
        if let Some(annots) = object(j, p)["/Annots"].as_array() {
            for a in annots {
                let a = object(j, a.as_str().unwrap());
                if let Some(d) = a["/Dest"].as_str() {
                    link_pages.push((d.trim_start_matches("u:").to_string(), pi));
                }
            }
        }
    }
    for n in 1..=notes {
        let to_note = format!("note-1-{n}");
        let back = format!("ref-1-{n}");
        let note_page = dest_page(&to_note);
        let ref_page = dest_page(&back);
        assert!(note_page > ref_page, "note {n} is after its reference");
        assert!(
            link_pages
                .iter()
                .any(|(d, p)| *d == to_note && *p == ref_page),
            "the reference to note {n} (page {ref_page}) links to it"
        );
        assert!(
            link_pages
                .iter()
                .any(|(d, p)| *d == back && *p == note_page),
            "note {n} (page {note_page}) links back"
        );
    }
}

#[test]
fn specimen_pdf_is_tagged_with_languages_alt_text_and_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    built(&root().join("tests/fixtures/specimen"), &out);
    let pdf = out.join("style-specimen.pdf");
    let p = pdf.as_os_str();
    if let Some(o) = run_tool("qpdf", &["--check".as_ref(), p]) {
        assert!(o.status.success(), "{}", text_of(&o));
    }
    // Uncompressed, so the marked content and structure can be read.
    let qdf = tmp.path().join("qdf.pdf");
    if let Some(o) = run_tool(
        "qpdf",
        &[
            "--qdf".as_ref(),
            "--object-streams=disable".as_ref(),
            p,
            qdf.as_os_str(),
        ],
    ) {
        assert!(o.status.success(), "{}", text_of(&o));
        let raw = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
        // Per-span language of the foreign phrases.
        let raw_nospace = raw.replace("/Lang (", "/Lang(");
        assert!(raw_nospace.contains("/Lang(ar)"), "Arabic phrase tagged");
        assert!(raw_nospace.contains("/Lang(ru)"), "Russian phrase tagged");
        // Structure: figure with its alt text, lists, notes, block quote, headings.
        assert!(raw.contains("/S /Figure"));
        assert!(
            raw.contains("/Alt (A stylised steppe landscape with a yellow sun over green hills)")
        );
        for s in [
            "/S /L",
            "/S /LI",
            "/S /Lbl",
            "/S /LBody",
            "/S /Note",
            "/S /BlockQuote",
            "/S /H1",
            "/S /H2",
            "/S /H3",
            "/S /Table",
            "/S /TOC",
            "/S /Caption",
        ] {
            assert!(raw.contains(s), "structure has {s}");
        }
        // Running heads, folios and pull quotes are artifacts.
        assert!(raw.contains("/Artifact"));
        let compact = raw.replace(' ', "");
        assert!(compact.contains("/Artifact<<") && compact.contains("/Subtype/Header"));
    }
    if let Some(o) = run_tool("pdftotext", &[p, "-".as_ref()]) {
        let t = String::from_utf8_lossy(&o.stdout);
        assert!(t.contains("Добрый день"), "Cyrillic extracts");
        assert!(t.contains("Endnotes"));
        assert!(t.contains("About the interviewee"));
        // Ligatures and small capitals extract as the source text.
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
        // 0.125in bleed (9pt) and 18pt for the marks on every side.
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
fn supplied_jpeg_cover_fills_the_page_and_the_bleed() {
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
    if let Some(o) = run_tool("pdfimages", &["-list".as_ref(), print.as_os_str()]) {
        let t = text_of(&o);
        let row = t
            .lines()
            .find(|l| l.contains(" 640 "))
            .unwrap_or_else(|| panic!("{t}"));
        assert!(row.contains("jpeg"), "the JPEG passes through: {row}");
        assert!(
            row.trim_start().starts_with('1'),
            "on the first page: {row}"
        );
    }
    // The page labels: the cover, then 1, 2, …
    if let Some(j) = qpdf_json(&print) {
        let pages = j["pages"].as_array().unwrap();
        assert_eq!(pages[0]["label"]["/P"], "u:Cover");
        assert_eq!(pages[1]["label"]["/St"], 1);
    }
}

#[test]
fn layout_tells_where_each_page_starts() {
    let loaded = qalam::source::load(&root().join("book"));
    let book = loaded.book.unwrap();
    let (layout, diags) = qalam::pdf::layout(
        &qalam::typeset::Engine::new(),
        &book,
        None,
        &loaded.sources,
        None,
    );
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
    let a = qalam::pdf::write(&layout, PdfVariant::Screen, &loaded.sources).unwrap();
    let b = qalam::pdf::write(&layout, PdfVariant::Screen, &loaded.sources).unwrap();
    assert!(a == b);
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
    let book = copy_book("tests/fixtures/specimen", tmp.path());
    // A PNG whose header is fine (the reader accepts it) but whose pixels are not.
    let path = book.join("images/steppe.png");
    let mut bytes = std::fs::read(&path).unwrap();
    for b in bytes.iter_mut().skip(41).take(400) {
        *b ^= 0x5a;
    }
    std::fs::write(&path, bytes).unwrap();
    let out = tmp.path().join("out");
    let err = fails_and_keeps_earlier(&book, &out, "style-specimen", "image-decode");
    assert!(err.contains("specimen.md:72:1"), "{err}");
    assert!(err.contains("steppe.png"), "{err}");
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
    let book = copy_book("book", tmp.path());
    let md = book.join("interview.md");
    let text = std::fs::read_to_string(&md).unwrap().replacen(
        "After conducting a study",
        "After conducting a 漢 study",
        1,
    );
    std::fs::write(&md, text).unwrap();
    let out = tmp.path().join("out");
    let err = fails_and_keeps_earlier(&book, &out, SLUG, "no-glyph");
    assert!(err.contains("U+6F22"), "{err}");
    assert!(err.contains("interview.md:21:1"), "{err}");
}

#[test]
fn emoji_is_a_warning_and_the_pdf_still_validates() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    let md = book.join("interview.md");
    let text = std::fs::read_to_string(&md).unwrap().replacen(
        "After conducting a study",
        "After conducting a \u{1F600} study",
        1,
    );
    std::fs::write(&md, text).unwrap();
    let out = tmp.path().join("out");
    let o = build(&book, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning[no-glyph]"), "{}", stderr(&o));
    let pdf = out.join(format!("{SLUG}.pdf"));
    if let Some(o) = run_tool("qpdf", &["--check".as_ref(), pdf.as_os_str()]) {
        assert!(o.status.success(), "{}", text_of(&o));
    }
}

#[test]
fn page_without_room_for_text_is_refused_at_the_setting() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    let toml = std::fs::read_to_string(book.join("book.toml"))
        .unwrap()
        .replace("trim = \"6in x 9in\"", "trim = \"2in x 3in\"");
    std::fs::write(book.join("book.toml"), toml).unwrap();
    let out = tmp.path().join("out");
    let err = fails_and_keeps_earlier(&book, &out, SLUG, "pdf-no-room");
    assert!(err.contains("book.toml:19:8"), "{err}");
    // `qalam check` says the same.
    let o = common::run(&["check", book.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("pdf-no-room"));
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
