//! The EPUB writer and `qalam build`: the sample book, the specimen and the
//! writer fixture (tests/fixtures/epub-cover) are built, validated with
//! EPUBCheck, read back with calibre, and their structure is checked from
//! the XHTML; bad input must leave an earlier .epub untouched.

mod common;

use common::{assert_epubcheck_clean, copy_dir, qalam, root, stderr, stdout};
use scraper::{ElementRef, Html, Selector};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Runs `qalam build BOOK -o OUT --format epub` without SOURCE_DATE_EPOCH.
fn build_cmd(book: &Path, out: &Path) -> Output {
    qalam()
        .arg("build")
        .arg(book)
        .arg("-o")
        .arg(out)
        .args(["--format", "epub"])
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("qalam runs")
}

/// Builds and returns the path of the one .epub in `out`.
fn build(book: &Path, out: &Path) -> PathBuf {
    let o = build_cmd(book, out);
    assert!(
        o.status.success(),
        "build of {} failed:\n{}",
        book.display(),
        stderr(&o)
    );
    the_epub(out)
}

/// Copies a book of the repository to `dest` (for the sample, with the
/// project's `covers/` beside it, where its cover lives).
fn copy_book(book: &str, dest: &Path) {
    copy_dir(&root().join(book), dest);
    let _ = std::fs::remove_dir_all(dest.join("out"));
    if book == "book" {
        copy_dir(
            &root().join("covers"),
            &dest.parent().unwrap().join("covers"),
        );
    }
}

fn the_epub(out: &Path) -> PathBuf {
    let epubs: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "epub"))
        .collect();
    assert_eq!(epubs.len(), 1, "{epubs:?}");
    epubs[0].clone()
}

/// An unpacked EPUB: entries in zip order.
struct Epub {
    entries: Vec<(String, Vec<u8>)>,
}

impl Epub {
    fn open(path: &Path) -> Epub {
        let raw = std::fs::read(path).unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(raw)).unwrap();
        let mut entries = Vec::new();
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            entries.push((f.name().unwrap().to_string(), data));
        }
        Epub { entries }
    }

    fn has(&self, name: &str) -> bool {
        self.entries.iter().any(|(n, _)| n == name)
    }

    fn bytes(&self, name: &str) -> &[u8] {
        &self
            .entries
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} is not in the EPUB"))
            .1
    }

    fn text(&self, name: &str) -> String {
        String::from_utf8(self.bytes(name).to_vec()).unwrap()
    }

    fn html(&self, name: &str) -> Html {
        Html::parse_document(&self.text(name))
    }

    fn xhtml_names(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| n.ends_with(".xhtml"))
            .collect()
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

fn text_of(e: ElementRef) -> String {
    e.text().collect::<String>()
}

/// The element with `id` in `doc`, if any.
fn by_id<'a>(doc: &'a Html, id: &str) -> Option<ElementRef<'a>> {
    doc.select(&sel("[id]"))
        .find(|e| e.value().attr("id") == Some(id))
}

/// Resolves `href` (relative to `from`, a file in the package) to a file and
/// checks that the fragment names an element there.
fn assert_resolves(epub: &Epub, from: &str, href: &str) {
    let dir = Path::new(from).parent().unwrap();
    let (file, frag) = match href.split_once('#') {
        Some((f, frag)) => (f, Some(frag)),
        None => (href, None),
    };
    let target = if file.is_empty() {
        from.to_string()
    } else {
        let mut p = dir.to_path_buf();
        for part in file.split('/') {
            if part == ".." {
                p.pop();
            } else {
                p.push(part);
            }
        }
        p.to_string_lossy().into_owned()
    };
    assert!(epub.has(&target), "{href} from {from}: {target} missing");
    if let Some(frag) = frag {
        let doc = epub.html(&target);
        assert!(
            by_id(&doc, frag).is_some(),
            "{href} from {from}: no #{frag}"
        );
    }
}

const JUNK: &[&str] = &[
    "Heading 1",
    "Heading 2",
    "Heading 6",
    "Lorem ipsum",
    "Block quote",
    "Ordered list",
    "Unordered list",
    "Item 1",
    "Item A",
    "Bold text",
    "Superscript",
    "Subscript",
];

#[test]
fn sample_book_epub_is_valid_and_structured() {
    let tmp = tempfile::tempdir().unwrap();
    let path = build(&root().join("book"), tmp.path());
    assert_eq!(
        path.file_name().unwrap(),
        "kazakhstans-new-national-story.epub"
    );
    assert_epubcheck_clean(&path);
    let epub = Epub::open(&path);

    // Every document says its language.
    for name in epub.xhtml_names() {
        let doc = epub.html(&name);
        let html = doc.select(&sel("html")).next().unwrap();
        assert_eq!(html.value().attr("lang"), Some("en"), "{name}");
        assert_eq!(html.value().attr("xml:lang"), Some("en"), "{name}");
    }

    let ch = "EPUB/text/interview.xhtml";
    let doc = epub.html(ch);
    let chapter = doc
        .select(&sel(r#"section[epub\:type="chapter"][role="doc-chapter"]"#))
        .next()
        .expect("chapter section");
    assert!(text_of(chapter).contains("Kazakhstan’s New National Story"));
    assert_eq!(doc.select(&sel("h1")).count(), 1);

    // 7 questions, each the heading of its own section.
    let questions: Vec<_> = doc.select(&sel("section > h2.question")).collect();
    assert_eq!(questions.len(), 7);
    assert!(text_of(questions[0]).starts_with("In your tenure as Chairman"));
    assert!(text_of(questions[6]).starts_with("Kazakhstan’s rich history"));
    for q in &questions {
        let section = ElementRef::wrap(q.parent().unwrap()).unwrap();
        assert_eq!(section.value().name(), "section");
        assert!(section.value().attr("id").is_some());
    }

    // The standfirst is the chapter's abstract.
    let sf = doc
        .select(&sel(r#"[role="doc-abstract"]"#))
        .next()
        .expect("abstract");
    assert!(text_of(sf).starts_with("Alikhan Baimenov, the Central Asian"));

    // 2 pull quotes, hidden from assistive technology, without links.
    let pulls: Vec<_> = doc
        .select(&sel(r#"aside[epub\:type="pullquote"]"#))
        .collect();
    assert_eq!(pulls.len(), 2);
    for p in &pulls {
        assert_eq!(p.value().attr("aria-hidden"), Some("true"));
        assert_eq!(p.select(&sel("a")).count(), 0);
    }
    assert!(
        text_of(pulls[0])
            .trim()
            .starts_with("Every government operates")
    );
    assert!(
        text_of(pulls[1])
            .trim()
            .starts_with("The ability to listen")
    );
    assert_eq!(doc.select(&sel("blockquote")).count(), 0);

    // 2 note references, superscript numbers, to 2 endnotes that link back.
    let refs: Vec<_> = doc
        .select(&sel(r#"a[epub\:type="noteref"][role="doc-noteref"]"#))
        .collect();
    assert_eq!(refs.len(), 2);
    let notes_section = doc
        .select(&sel(
            r#"section[epub\:type="endnotes"][role="doc-endnotes"]"#,
        ))
        .next()
        .expect("endnotes section");
    assert!(text_of(notes_section).trim().starts_with("Endnotes"));
    let notes: Vec<_> = notes_section
        .select(&sel(r#"li[epub\:type="endnote"]"#))
        .collect();
    assert_eq!(notes.len(), 2);
    for (i, r) in refs.iter().enumerate() {
        let n = (i + 1).to_string();
        assert_eq!(text_of(*r), n);
        assert_eq!(
            ElementRef::wrap(r.parent().unwrap())
                .unwrap()
                .value()
                .name(),
            "sup"
        );
        let href = r.value().attr("href").unwrap();
        let target = by_id(&doc, href.trim_start_matches('#')).expect("note target");
        assert_eq!(target.value().attr("id"), notes[i].value().attr("id"));
        let back = target
            .select(&sel(r#"a[role="doc-backlink"]"#))
            .next()
            .expect("back link");
        assert_eq!(
            back.value().attr("href").unwrap(),
            format!("#{}", r.value().attr("id").unwrap())
        );
    }
    assert!(text_of(notes[0]).contains("astanacivilservicehub.org"));
    assert!(text_of(notes[1]).contains("Qandy Qantar"));
    // The long URL has break opportunities.
    assert!(notes[0].select(&sel("wbr")).count() > 5);

    // The bio page, headed by the interviewee's name.
    let bio = epub.html("EPUB/text/interview.bio.xhtml");
    let h1 = text_of(bio.select(&sel("h1")).next().unwrap());
    assert!(h1.contains("About the interviewee"), "{h1}");
    assert!(h1.contains("Alikhan Baimenov"), "{h1}");
    let bio_text = text_of(bio.select(&sel("section.bio")).next().unwrap());
    assert!(bio_text.contains("Chairman of the Astana Civil Service Hub"));

    // Navigation: contents with the questions (toc-depth = 2) and landmarks.
    let nav = epub.html("EPUB/nav.xhtml");
    let toc = nav
        .select(&sel(r#"nav[epub\:type="toc"]"#))
        .next()
        .expect("toc");
    let toc_links: Vec<_> = toc.select(&sel("a")).collect();
    assert_eq!(toc_links.len(), 1 + 7 + 2, "chapter, questions, notes, bio");
    for a in &toc_links {
        assert_resolves(&epub, "EPUB/nav.xhtml", a.value().attr("href").unwrap());
    }
    let landmarks: Vec<(String, String)> = nav
        .select(&sel(r#"nav[epub\:type="landmarks"] a"#))
        .map(|a| {
            (
                a.value().attr("epub:type").unwrap().to_string(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    let kinds: Vec<&str> = landmarks.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        ["cover", "titlepage", "toc", "bodymatter", "endnotes"]
    );
    for (_, href) in &landmarks {
        assert_resolves(&epub, "EPUB/nav.xhtml", href);
    }
    let ncx = epub.text("EPUB/toc.ncx");
    assert_eq!(ncx.matches("<navPoint ").count(), 10);

    // Metadata, including accessibility.
    let opf = epub.text("EPUB/package.opf");
    for needle in [
        r#"<dc:title id="title">Kazakhstan’s New National Story</dc:title>"#,
        "<dc:language>en</dc:language>",
        r##"<meta refines="#creator-1" property="role" scheme="marc:relators">ive</meta>"##,
        "<dc:publisher>Qalam Sample Editions</dc:publisher>",
        "<dc:date>2024-05-01</dc:date>",
        r#"<meta property="dcterms:modified">2024-05-01T00:00:00Z</meta>"#,
        r#"<meta property="schema:accessMode">textual</meta>"#,
        r#"<meta property="schema:accessModeSufficient">textual</meta>"#,
        r#"<meta property="schema:accessibilityFeature">structuralNavigation</meta>"#,
        r#"<meta property="schema:accessibilityFeature">tableOfContents</meta>"#,
        r#"<meta property="schema:accessibilityFeature">readingOrder</meta>"#,
        r#"<meta property="schema:accessibilityHazard">none</meta>"#,
        r#"<meta property="schema:accessibilitySummary">"#,
        r#"<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>"#,
        r#"properties="nav""#,
        r#"<spine toc="ncx">"#,
    ] {
        assert!(opf.contains(needle), "OPF lacks {needle}\n{opf}");
    }
    assert!(opf.contains("<dc:identifier id=\"pub-id\">urn:uuid:"));
    // The sample's only picture is its cover (supplied in ../covers/).
    assert!(opf.contains(r#"properties="cover-image""#));
    assert!(opf.contains(r#"<meta property="schema:accessibilityFeature">alternativeText</meta>"#));
    assert!(opf.contains(r#"<meta property="schema:accessMode">visual</meta>"#));
    let cover = epub.html("EPUB/cover.xhtml");
    let img = cover
        .select(&sel(r#"img[role="doc-cover"]"#))
        .next()
        .unwrap();
    assert!(!img.value().attr("alt").unwrap().is_empty());
    assert_resolves(&epub, "EPUB/cover.xhtml", img.value().attr("src").unwrap());

    // None of the seed's CMS junk anywhere.
    for (name, data) in &epub.entries {
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx") {
            let text = String::from_utf8_lossy(data);
            for junk in JUNK {
                assert!(!text.contains(junk), "{junk} in {name}");
            }
        }
    }

    // Fonts: embedded and subset.
    let fonts: Vec<&(String, Vec<u8>)> = epub
        .entries
        .iter()
        .filter(|(n, _)| n.ends_with(".ttf"))
        .collect();
    assert!(
        fonts
            .iter()
            .any(|(n, _)| n == "EPUB/fonts/Vollkorn-Regular.ttf")
    );
    assert!(
        fonts
            .iter()
            .any(|(n, _)| n == "EPUB/fonts/NotoSans-Bold.ttf")
    );
    for (name, data) in fonts {
        let face = ttf_parser::Face::parse(data, 0).unwrap();
        assert!(face.number_of_glyphs() < 400, "{name} is not subset");
        assert!(face.glyph_index('K').is_some(), "{name}");
        assert!(face.glyph_index('Ж').is_none(), "{name}: unused glyph kept");
    }
    let css = epub.text("EPUB/css/book.css");
    assert!(css.contains("@font-face"));
    assert!(css.contains("hyphens: auto"));
    assert!(css.contains("overflow-wrap"));
    // No forced colours: links take the text colour, nothing else sets one.
    assert!(
        css.match_indices("color:")
            .all(|(i, _)| css[i..].starts_with("color: inherit;")),
        "a forced colour"
    );
    assert!(css.contains("a { color: inherit;"));
}

#[test]
fn specimen_epub_is_valid_and_keeps_every_element() {
    let tmp = tempfile::tempdir().unwrap();
    let path = build(&root().join("tests/fixtures/specimen"), tmp.path());
    assert_epubcheck_clean(&path);
    let epub = Epub::open(&path);
    let doc = epub.html("EPUB/text/specimen.xhtml");
    assert_eq!(doc.select(&sel("section > h2.question")).count(), 3);
    for (s, n) in [
        ("h3", 1),
        ("h4", 1),
        ("h5", 1),
        ("h6", 1),
        ("blockquote", 1),
        (r#"aside[epub\:type="pullquote"]"#, 2),
        ("ol:not(.notes)", 2),
        ("ul", 3),
        ("table th[scope=col]", 3),
        ("pre code", 1),
        ("hr.dinkus", 1),
        ("em", 4),
        ("strong", 2),
        ("sub", 1),
        (r#"a[role="doc-noteref"]"#, 4),
        (r#"li[epub\:type="endnote"]"#, 3),
    ] {
        assert_eq!(doc.select(&sel(s)).count(), n, "{s}");
    }
    // Note 1 is referenced twice: distinct ids, a back link to each.
    let ids: Vec<&str> = doc
        .select(&sel(r##"a[href="#note_1"]"##))
        .map(|a| a.value().attr("id").unwrap())
        .collect();
    assert_eq!(ids, ["ref_1", "ref_1_2"]);
    let backs: Vec<&str> = doc
        .select(&sel("li#note_1 a.backlink"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(backs, ["#ref_1", "#ref_1_2"]);
    // Foreign-language spans.
    let ar = doc.select(&sel(r#"span[lang="ar"]"#)).next().unwrap();
    assert_eq!(ar.value().attr("xml:lang"), Some("ar"));
    assert_eq!(ar.value().attr("dir"), Some("rtl"));
    assert_eq!(text_of(ar), "السلام عليكم");
    let ru = doc.select(&sel(r#"span[lang="ru"]"#)).next().unwrap();
    assert_eq!(text_of(ru), "«Добрый день»");
    // The figure, its alternative text and caption; the picture packaged.
    let fig = doc.select(&sel("figure")).next().unwrap();
    let img = fig.select(&sel("img")).next().unwrap();
    assert!(
        img.value()
            .attr("alt")
            .unwrap()
            .starts_with("A stylised steppe")
    );
    assert_eq!(
        text_of(fig.select(&sel("figcaption")).next().unwrap()),
        "The steppe at noon (illustration)"
    );
    assert_resolves(
        &epub,
        "EPUB/text/specimen.xhtml",
        img.value().attr("src").unwrap(),
    );
    let opf = epub.text("EPUB/package.opf");
    assert!(opf.contains(r#"<meta property="schema:accessibilityFeature">alternativeText</meta>"#));
    assert!(opf.contains(r#"<meta property="schema:accessMode">visual</meta>"#));
    assert!(opf.contains(r#"scheme="marc:relators">ivr</meta>"#));
    // No cover named: one is designed for the book.
    assert!(epub.has("EPUB/images/cover.png"));
    assert!(opf.contains(r#"properties="cover-image""#));
    // Code is set in the mono face, which is then embedded.
    assert!(epub.has("EPUB/fonts/NotoSansMono-Regular.ttf"));
    // Sub-headings never skip a level.
    let levels: Vec<u8> = doc
        .select(&sel("h1, h2, h3, h4, h5, h6"))
        .map(|h| h.value().name()[1..].parse().unwrap())
        .collect();
    for w in levels.windows(2) {
        assert!(w[1] <= w[0] + 1, "{levels:?}");
    }
}

#[test]
fn a_supplied_cover_two_languages_and_escaping() {
    let tmp = tempfile::tempdir().unwrap();
    let path = build(&root().join("tests/fixtures/epub-cover"), tmp.path());
    assert_epubcheck_clean(&path);
    let epub = Epub::open(&path);

    // The cover: page, picture, manifest property, landmark.
    let cover = epub.html("EPUB/cover.xhtml");
    let img = cover.select(&sel("img")).next().unwrap();
    assert_eq!(img.value().attr("src"), Some("images/cover.jpg"));
    assert!(img.value().attr("alt").unwrap().starts_with("Cover of Q&A"));
    assert_eq!(
        epub.bytes("EPUB/images/cover.jpg"),
        std::fs::read(root().join("tests/fixtures/epub-cover/images/cover.jpg")).unwrap()
    );
    let opf = epub.text("EPUB/package.opf");
    assert!(opf.contains(
        r#"<item id="cover-image" href="images/cover.jpg" media-type="image/jpeg" properties="cover-image"/>"#
    ));
    assert!(opf.contains(r#"<meta name="cover" content="cover-image"/>"#));
    let spine_first = opf.split("<spine").nth(1).unwrap();
    assert!(spine_first.contains(r#"<itemref idref="cover"/>"#));
    let nav = epub.html("EPUB/nav.xhtml");
    let kinds: Vec<&str> = nav
        .select(&sel(r#"nav[epub\:type="landmarks"] a"#))
        .map(|a| a.value().attr("epub:type").unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["cover", "titlepage", "toc", "bodymatter", "endnotes"]
    );
    // toc-depth 1: chapters only.
    assert_eq!(nav.select(&sel(r#"nav[epub\:type="toc"] a"#)).count(), 2);

    // Escaping: the title survives a round trip through XML.
    let title = "Q&A <Special> “Edition” ‘one’ ]]> Tales";
    let raw = opf
        .split(r#"<dc:title id="title">"#)
        .nth(1)
        .and_then(|r| r.split("</dc:title>").next())
        .unwrap();
    assert!(!raw.contains('<') && !raw.contains("]]>"), "{raw}");
    assert_eq!(quick_xml::escape::unescape(raw).unwrap(), title);
    let tp = epub.html("EPUB/titlepage.xhtml");
    assert_eq!(text_of(tp.select(&sel("h1")).next().unwrap()), title);
    assert_eq!(
        text_of(tp.select(&sel("p.publisher")).next().unwrap()),
        "Qalam & Sons <Test>"
    );
    let one = epub.html("EPUB/text/one.xhtml");
    assert_eq!(
        text_of(one.select(&sel("h1")).next().unwrap()),
        "Tom & Jerry <say> “hello” ]]>"
    );
    // A source id that looks like a generated one does not collide.
    assert_eq!(
        one.select(&sel("section.exchange"))
            .next()
            .unwrap()
            .value()
            .attr("id"),
        Some("note-1")
    );
    assert!(by_id(&one, "note_1").is_some());

    // The Russian chapter: its language and its labels.
    let two = epub.html("EPUB/text/two.xhtml");
    let html = two.select(&sel("html")).next().unwrap();
    assert_eq!(html.value().attr("xml:lang"), Some("ru"));
    assert_eq!(
        text_of(two.select(&sel("h2.endnotes-title")).next().unwrap()),
        "Примечания"
    );
    assert!(opf.contains("<dc:language>ru</dc:language>"));
    assert!(epub.has("EPUB/text/two.bio.xhtml"));

    // Pictures: the portrait downscaled to 1600 px keeping its ratio (1800 x
    // 2250 → 1280 x 1600), the WebP converted to JPEG.
    let bio = epub.html("EPUB/text/one.bio.xhtml");
    let portrait = bio.select(&sel("figure.portrait img")).next().unwrap();
    let src = portrait.value().attr("src").unwrap();
    assert!(src.ends_with(".png"), "{src}");
    let data = epub.bytes(&format!("EPUB/text/{src}").replace("text/../", ""));
    let pic = image::load_from_memory(data).unwrap();
    assert_eq!((pic.width(), pic.height()), (1280, 1600));
    assert_eq!(portrait.value().attr("width"), Some("1280"));
    let field = one.select(&sel("figure img")).next().unwrap();
    assert!(field.value().attr("src").unwrap().ends_with(".jpg"));
    assert!(opf.contains(r#"<meta property="schema:accessibilityFeature">alternativeText</meta>"#));
    // The editor who interviewed is the interviewer; Tom & Jerry contribute.
    assert!(opf.contains(r#"<dc:creator id="creator-1">Jane Editor</dc:creator>"#));
    assert!(opf.contains(r#"<dc:contributor id="contributor-1">Tom &amp; Jerry</dc:contributor>"#));
}

#[test]
fn builds_are_byte_identical() {
    for book in ["book", "tests/fixtures/epub-cover"] {
        // Two copies in different folders, built at different times.
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        copy_book(book, &a.path().join("src"));
        copy_book(book, &b.path().join("elsewhere"));
        let pa = build(&a.path().join("src"), &a.path().join("out"));
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let pb = build(&b.path().join("elsewhere"), &b.path().join("out"));
        assert!(
            std::fs::read(&pa).unwrap() == std::fs::read(&pb).unwrap(),
            "{book}: two builds differ"
        );
    }
}

#[test]
fn container_layout_and_timestamps() {
    let tmp = tempfile::tempdir().unwrap();
    let o = qalam()
        .arg("build")
        .arg(root().join("book"))
        .arg("-o")
        .arg(tmp.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let path = the_epub(tmp.path());
    let raw = std::fs::read(&path).unwrap();
    // OCF: `mimetype` first, stored, no extra field, at offset 0.
    assert_eq!(&raw[0..4], b"PK\x03\x04");
    assert_eq!(&raw[30..38], b"mimetype");
    assert_eq!(&raw[38..58], b"application/epub+zip");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(raw.clone())).unwrap();
    {
        let m = z.by_index(0).unwrap();
        assert_eq!(m.name().unwrap(), "mimetype");
        assert_eq!(m.compression(), zip::CompressionMethod::Stored);
    }
    let names: Vec<String> = (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    assert_eq!(names[1], "META-INF/container.xml");
    assert_eq!(names[2], "EPUB/package.opf");
    // SOURCE_DATE_EPOCH = 2023-11-14T22:13:20Z, everywhere.
    for i in 0..z.len() {
        let f = z.by_index(i).unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2023, 11, 14, 22, 13, 20),
            "{}",
            f.name().unwrap()
        );
    }
    let epub = Epub::open(&path);
    assert!(
        epub.text("EPUB/package.opf")
            .contains(r#"<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>"#)
    );
}

/// Letters runs and digit runs, lower-cased: the words as a reader hears them.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut digits = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            let d = c.is_numeric();
            if !cur.is_empty() && d != digits {
                out.push(std::mem::take(&mut cur));
            }
            digits = d;
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[test]
fn calibre_reads_back_every_word_of_the_article_in_order() {
    if !common::on_path("ebook-convert") {
        common::missing("calibre (ebook-convert)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let path = build(&root().join("book"), tmp.path());
    let txt = tmp.path().join("book.txt");
    let o = std::process::Command::new("ebook-convert")
        .arg(&path)
        .arg(&txt)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let got = words(&std::fs::read_to_string(&txt).unwrap());

    // The article from the model: title, standfirst, each question and its
    // answer (pull quotes repeat text, so they are not part of it), the
    // notes and the bio.
    let book = qalam::internals::source::load(&root().join("book"))
        .book
        .unwrap();
    let ch = &book.chapters[0];
    use qalam::model::{Block, plain_text, plain_text_blocks};
    let mut article = plain_text(&ch.title);
    article.push('\n');
    article.push_str(&plain_text(ch.standfirst.as_ref().unwrap()));
    for e in &ch.exchanges {
        article.push('\n');
        article.push_str(&plain_text(&e.question.content));
        for b in &e.answer {
            if !matches!(b, Block::PullQuote { .. }) {
                article.push('\n');
                article.push_str(&plain_text_blocks(std::slice::from_ref(b)));
            }
        }
    }
    for n in &ch.notes {
        article.push('\n');
        article.push_str(&plain_text_blocks(&n.content));
    }
    article.push('\n');
    article.push_str(&plain_text_blocks(&ch.bio.as_ref().unwrap().content));
    let want = words(&article);
    assert!(want.len() > 2000, "{} words", want.len());

    // Every word, in order (calibre adds the contents, labels and note numbers).
    let mut at = 0;
    for (i, w) in want.iter().enumerate() {
        match got[at..].iter().position(|g| g == w) {
            Some(p) => at += p + 1,
            None => {
                let context = want[i.saturating_sub(8)..(i + 8).min(want.len())].join(" ");
                panic!("word {i} `{w}` not found in order (…{context}…)");
            }
        }
    }
}

/// A copy of the sample book with one thing broken.
struct Breakage {
    code: &'static str,
    apply: fn(&Path),
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

fn append_figure(book: &Path, line: &str) {
    edit(&book.join("interview.md"), |t| {
        t.replacen(
            "\n## What are some challenges",
            &format!("\n{line}\n\n## What are some challenges"),
            1,
        )
    });
}

fn with_steppe(book: &Path) -> PathBuf {
    let dir = book.join("images");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("steppe.png");
    std::fs::copy(root().join("tests/fixtures/specimen/images/steppe.png"), &p).unwrap();
    p
}

const BREAKAGES: &[Breakage] = &[
    Breakage {
        code: "toml-syntax",
        apply: |b| edit(&b.join("book.toml"), |t| t.replacen("[book]", "[book", 1)),
    },
    Breakage {
        code: "unknown-key",
        apply: |b| {
            edit(&b.join("book.toml"), |t| {
                t.replacen("[book]\n", "[book]\ncolour = \"red\"\n", 1)
            })
        },
    },
    Breakage {
        code: "bad-chapter",
        apply: |b| {
            edit(&b.join("book.toml"), |t| {
                t.replace(
                    "chapters = [\"interview.md\"]",
                    "chapters = [\"missing.md\"]",
                )
            })
        },
    },
    Breakage {
        code: "front-matter-unclosed",
        apply: |b| {
            edit(&b.join("interview.md"), |t| {
                let mut lines: Vec<&str> = t.lines().collect();
                let second = lines.iter().skip(1).position(|l| *l == "---").unwrap() + 1;
                lines.remove(second);
                lines.join("\n")
            })
        },
    },
    Breakage {
        code: "note-undefined",
        apply: |b| {
            edit(&b.join("interview.md"), |t| {
                t.replace("[^qantar]:", "[^elsewhere]:")
            })
        },
    },
    Breakage {
        code: "empty-chapter",
        apply: |b| {
            edit(&b.join("interview.md"), |t| {
                let end = t[3..].find("\n---\n").unwrap() + 3 + 5;
                t[..end].to_string()
            })
        },
    },
    Breakage {
        code: "bad-path",
        apply: |b| append_figure(b, "![A missing picture](images/missing.png)"),
    },
    Breakage {
        code: "bad-path",
        apply: |b| append_figure(b, "![Outside](../../../etc/hostname.png)"),
    },
    Breakage {
        code: "image-no-alt",
        apply: |b| {
            with_steppe(b);
            append_figure(b, "![](images/steppe.png)")
        },
    },
    Breakage {
        code: "bad-image",
        apply: |b| {
            // Not an image at all: refused by the reader.
            std::fs::create_dir_all(b.join("images")).unwrap();
            std::fs::write(b.join("images/fake.png"), b"not a picture").unwrap();
            append_figure(b, "![A fake picture](images/fake.png)")
        },
    },
    Breakage {
        code: "bad-image",
        apply: |b| {
            // A whole header and half the pixels: only decoding finds it,
            // so the EPUB writer must stop the build.
            let p = with_steppe(b);
            let bytes = std::fs::read(&p).unwrap();
            std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
            append_figure(b, "![A cut picture](images/steppe.png)")
        },
    },
    Breakage {
        code: "cover-too-small",
        apply: |b| {
            let small = b.parent().unwrap().join("covers/small.png");
            image::RgbImage::new(500, 800).save(&small).unwrap();
            edit(&b.join("book.toml"), |t| {
                t.replace("kazakhstans-new-national-story.jpg", "small.png")
            })
        },
    },
    Breakage {
        code: "not-utf8",
        apply: |b| {
            let mut bytes = std::fs::read(b.join("interview.md")).unwrap();
            bytes.extend_from_slice(b"\nBad byte: \xff\n");
            std::fs::write(b.join("interview.md"), bytes).unwrap();
        },
    },
];

#[test]
fn bad_input_stops_the_build_and_keeps_the_earlier_epub() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let good = build(&root().join("book"), &out);
    let before = std::fs::read(&good).unwrap();
    for (i, b) in BREAKAGES.iter().enumerate() {
        let book = tmp.path().join(format!("book-{i}"));
        copy_book("book", &book);
        (b.apply)(&book);
        let o = build_cmd(&book, &out);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{}: {err}", b.code);
        assert!(
            err.contains(&format!("error[{}]", b.code)),
            "{}: wrong diagnostic:\n{err}",
            b.code
        );
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(
            std::fs::read(&good).unwrap(),
            before,
            "{}: the earlier EPUB changed",
            b.code
        );
        let files: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != qalam::incremental::RECORD)
            .collect();
        assert_eq!(
            files,
            [good.file_name().unwrap().to_string_lossy().into_owned()],
            "{}: stray files",
            b.code
        );
    }
}

#[test]
fn build_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    copy_book("book", &book);

    // Default output folder: BOOK_DIR/out; it says what it wrote and how long it took.
    let o = qalam().arg("build").arg(&book).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("wrote"), "{out}");
    assert!(out.contains("kazakhstans-new-national-story.epub"), "{out}");
    assert!(out.contains(" ms"), "{out}");
    assert!(
        book.join("out/kazakhstans-new-national-story.epub")
            .is_file()
    );

    // --quiet prints nothing on success.
    let o = qalam()
        .args(["--quiet", "build"])
        .arg(&book)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(stdout(&o), "");

    // Usage errors: an unknown format, an output path that is a file.
    let o = qalam()
        .arg("build")
        .arg(&book)
        .args(["--format", "mobi"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let o = qalam()
        .arg("build")
        .arg(&book)
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    // A folder that is not a book: an input error.
    let o = qalam()
        .arg("build")
        .arg(tmp.path().join("nothing"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
}

/// A note referred to only inside a pull quote (which repeats text without
/// note numbers) has no reference to link back to: its number is not a
/// link, so no fragment dangles (EPUBCheck RSC-012; found by
/// tests/build_props.rs). A note referred to in the text keeps its link.
#[test]
fn a_note_referred_to_only_in_a_pull_quote_links_back_to_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    std::fs::create_dir_all(&book).unwrap();
    std::fs::write(book.join("book.toml"), "[book]\ntitle = \"Pull\"\n").unwrap();
    std::fs::write(
        book.join("ch.md"),
        "---\ntitle: A chapter\ninterviewee: Someone\n---\n\n> [!pull] Quoted words.[^a]\n\n\
         ## A question?\n\nAn answer.[^b]\n\n[^a]: Note a.\n\n[^b]: Note b.\n",
    )
    .unwrap();
    let epub = build(&book, &tmp.path().join("out"));
    assert_epubcheck_clean(&epub);
    let e = Epub::open(&epub);
    let name = e
        .xhtml_names()
        .into_iter()
        .find(|n| e.text(n).contains("class=\"notes\""))
        .expect("a chapter with notes");
    let doc = e.html(&name);
    let backlinks: Vec<String> = doc
        .select(&sel("li.note a.backlink"))
        .map(|a| a.value().attr("href").unwrap_or_default().to_string())
        .collect();
    let notes = doc.select(&sel("li.note")).count();
    assert_eq!(notes, 2);
    assert_eq!(backlinks.len(), 1, "{backlinks:?}");
    // The other note's number is there, bold, linking nowhere.
    assert_eq!(doc.select(&sel("li.note span.note-number")).count(), 1);
    for href in &backlinks {
        assert!(
            by_id(&doc, href.trim_start_matches('#')).is_some(),
            "{href} dangles"
        );
    }
}

/// EPUBCheck's counts are read from its summary, never assumed: output
/// without a summary that parses is no result (the test fails), not
/// "0 errors".
#[test]
fn epubcheck_summaries_parse_or_fail() {
    use common::parse_epubcheck_summary as parse;
    assert_eq!(
        parse("Validating...\nMessages: 1 fatal / 2 errors / 3 warnings / 0 infos\n"),
        Some((1, 2, 3))
    );
    assert_eq!(
        parse("Messages: 0 fatals / 0 errors / 0 warnings / 0 infos\n\nEPUBCheck completed\n"),
        Some((0, 0, 0))
    );
    assert_eq!(parse("No errors or warnings detected.\n"), Some((0, 0, 0)));
    for bad in [
        "",
        "Exception in thread \"main\" java.lang.UnsupportedClassVersionError\n",
        "Messages: many fatals / 0 errors / 0 warnings\n",
        "Messages: 0 fatals / 0 errors\n",
        "Messages:\n",
    ] {
        assert_eq!(parse(bad), None, "{bad:?}");
    }
}
