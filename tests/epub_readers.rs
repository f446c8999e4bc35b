//! The EPUB as reading apps and stores show it (issue 20): calibre's
//! `ebook-meta` names the book's author, for the EPUB and for the AZW3 it
//! converts to; an anthology is listed by its editors, with its translator,
//! photographer and interviewees as contributors; and the text, opened in
//! headless Chromium at phone and tablet size in a light, a sepia and a dark
//! theme, keeps links in the text colour (readable against the background),
//! lines within 40 em and a 118-letter word on the screen, and every note
//! links back to each of its references. Every EPUB built is checked with
//! EPUBCheck.

mod common;

use common::{assert_epubcheck_clean, copy_book, missing, on_path, qalam, root, stderr, tool};
use scraper::{Html, Selector};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds `book` into `out` (`format`: "epub", "pdf" or both when `None`)
/// and returns the outputs.
fn build(book: &Path, out: &Path, format: Option<&str>) -> Vec<PathBuf> {
    let mut c = qalam();
    c.arg("build").arg(book).arg("-o").arg(out);
    if let Some(f) = format {
        c.args(["--format", f]);
    }
    let o = c.env("SOURCE_DATE_EPOCH", "1700000000").output().unwrap();
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    let mut files: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with(qalam::incremental::RECORD))
        .collect();
    files.sort();
    files
}

fn with_ext(files: &[PathBuf], ext: &str) -> PathBuf {
    files
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == ext))
        .unwrap_or_else(|| panic!("no .{ext} in {files:?}"))
        .clone()
}

/// Every entry of an EPUB, unpacked into `dir`.
fn unpack(epub: &Path, dir: &Path) {
    let raw = std::fs::read(epub).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(raw)).unwrap();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let path = dir.join(f.name().unwrap().to_string());
        if f.is_dir() {
            continue;
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        std::fs::write(path, data).unwrap();
    }
}

/// The "Author(s)" line `ebook-meta` prints for `file`, without its label.
fn calibre_authors(file: &Path) -> Option<String> {
    let o = tool("ebook-meta", &[file.as_os_str()])?;
    assert!(o.status.success(), "ebook-meta {}", file.display());
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let line = text
        .lines()
        .find(|l| l.starts_with("Author(s)"))
        .unwrap_or_else(|| panic!("ebook-meta shows no author:\n{text}"));
    Some(line.split_once(':').unwrap().1.trim().to_string())
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

#[test]
fn calibre_shows_the_author_of_the_sample_for_the_epub_and_the_azw3() {
    let tmp = tempfile::tempdir().unwrap();
    let book = copy_book("book", tmp.path());
    let out = tmp.path().join("out");
    let epub = with_ext(&build(&book, &out, Some("epub")), "epub");
    assert_epubcheck_clean(&epub);

    // In-process: the author is a creator with the role `aut`, filed by
    // the family name, and keeps the role of interviewee.
    let dir = tmp.path().join("x");
    unpack(&epub, &dir);
    let opf = std::fs::read_to_string(dir.join("EPUB/package.opf")).unwrap();
    for needle in [
        r#"<dc:creator id="creator-1">Alikhan Baimenov</dc:creator>"#,
        r##"<meta refines="#creator-1" property="file-as">Baimenov, Alikhan</meta>"##,
        r##"<meta refines="#creator-1" property="role" scheme="marc:relators">aut</meta>"##,
        r##"<meta refines="#creator-1" property="role" scheme="marc:relators">ive</meta>"##,
    ] {
        assert!(opf.contains(needle), "{needle}\n{opf}");
    }

    let Some(authors) = calibre_authors(&epub) else {
        return;
    };
    assert_eq!(authors, "Alikhan Baimenov [Baimenov, Alikhan]");
    let azw3 = tmp.path().join("book.azw3");
    let Some(o) = tool("ebook-convert", &[epub.as_os_str(), azw3.as_os_str()]) else {
        return;
    };
    assert!(
        o.status.success(),
        "ebook-convert:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let authors = calibre_authors(&azw3).unwrap();
    assert!(authors.starts_with("Alikhan Baimenov"), "{authors}");
}

#[test]
fn an_anthology_is_listed_by_its_editors_and_names_each_interviewee() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let files = build(&root().join("tests/fixtures/anthology"), &out, None);
    let epub = with_ext(&files, "epub");
    assert_epubcheck_clean(&epub);
    let dir = tmp.path().join("x");
    unpack(&epub, &dir);
    let read = |name: &str| std::fs::read_to_string(dir.join("EPUB").join(name)).unwrap();

    let opf = read("package.opf");
    let role = |id: &str, r: &str| {
        format!(r##"<meta refines="#{id}" property="role" scheme="marc:relators">{r}</meta>"##)
    };
    for needle in [
        r#"<dc:creator id="creator-1">Aigerim Sadykova</dc:creator>"#.to_string(),
        role("creator-1", "edt"),
        // She also conducted the first interview.
        role("creator-1", "ivr"),
        r#"<dc:creator id="creator-2">Daniel O’Neill</dc:creator>"#.to_string(),
        r##"<meta refines="#creator-2" property="file-as">O’Neill, Daniel</meta>"##.to_string(),
        r#"<dc:contributor id="contributor-1">Marat Zhaksylykov</dc:contributor>"#.to_string(),
        role("contributor-1", "trl"),
        r#"<dc:contributor id="contributor-2">Saule Nurlanovna</dc:contributor>"#.to_string(),
        role("contributor-2", "pht"),
        r#"<dc:contributor id="contributor-3">Nurlan Abenov</dc:contributor>"#.to_string(),
        role("contributor-3", "ive"),
        r#"<dc:contributor id="contributor-4">Gulnara Ismailova</dc:contributor>"#.to_string(),
        role("contributor-4", "ive"),
    ] {
        assert!(opf.contains(&needle), "{needle}\n{opf}");
    }
    assert!(!opf.contains(">aut<"), "an anthology has no author\n{opf}");

    // Each chapter names its interviewee (and interviewer) under its title.
    for (file, who, by) in [
        ("first", "Nurlan Abenov", "Aigerim Sadykova"),
        ("second", "Gulnara Ismailova", "Daniel O’Neill"),
    ] {
        let doc = Html::parse_document(&read(&format!("text/{file}.xhtml")));
        let byline: String = doc
            .select(&sel("header p.byline"))
            .next()
            .unwrap_or_else(|| panic!("{file} has no byline"))
            .text()
            .collect();
        assert!(
            byline.contains(&format!("An interview with {who}")),
            "{byline}"
        );
        assert!(byline.contains(&format!("Interview by {by}")), "{byline}");
    }
    let title = Html::parse_document(&read("titlepage.xhtml"));
    let creators: String = title
        .select(&sel("p.creators"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(creators, "Edited by Aigerim Sadykova and Daniel O’Neill");

    // A note referred to twice links back to both places; an Arabic phrase
    // keeps its language and direction in the text and in the contents.
    let first = Html::parse_document(&read("text/first.xhtml"));
    let backs: Vec<&str> = first
        .select(&sel("li#note_1 a.backlink"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(backs, ["#ref_1", "#ref_1_2"]);
    for href in backs {
        let id = &href[1..];
        let refs = first
            .select(&sel("a[role=doc-noteref]"))
            .filter(|a| a.value().attr("id") == Some(id))
            .count();
        assert_eq!(refs, 1, "{id}");
    }
    let nav = Html::parse_document(&read("nav.xhtml"));
    for doc in [&first, &nav] {
        let spans: Vec<_> = doc.select(&sel(r#"span[lang="ar"]"#)).collect();
        assert!(!spans.is_empty());
        for s in spans {
            assert_eq!(s.value().attr("xml:lang"), Some("ar"));
            assert_eq!(s.value().attr("dir"), Some("rtl"));
        }
    }

    if let Some(authors) = calibre_authors(&epub) {
        assert_eq!(
            authors,
            "Aigerim Sadykova & Daniel O’Neill [Sadykova, Aigerim & O’Neill, Daniel]"
        );
    }
    // The PDF's Author field follows the same rule.
    let pdf = with_ext(&files, "pdf");
    if let Some(o) = tool("pdfinfo", &[pdf.as_os_str()]) {
        let info = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(
            info.lines().any(
                |l| l.starts_with("Author:") && l.ends_with("Aigerim Sadykova, Daniel O’Neill")
            ),
            "{info}"
        );
    }
}

/// Reading-system themes as they are applied: a style sheet after the
/// book's that sets the page's background and text colour, nothing else.
const THEMES: &[(&str, &str)] = &[
    ("light", ""),
    (
        "sepia",
        "html, body { background-color: #f4ecd8; color: #5b4636; }",
    ),
    (
        "dark",
        "html, body { background-color: #121212; color: #e0e0e0; }",
    ),
];

/// Screen sizes in CSS pixels: a phone, and a tablet held sideways.
const SCREENS: &[(&str, u32, u32)] = &[("phone", 390, 844), ("tablet", 1366, 1024)];

/// Measures the page once fonts are loaded and sends the result, as JSON,
/// to the frame around it (see [`framed`]).
const PROBE: &str = r##"
document.fonts.ready.then(function () {
  function rgba(s) { var m = s.match(/[\d.]+/g).map(Number); if (m.length < 4) m.push(1); return m; }
  function lum(c) {
    var v = [c[0], c[1], c[2]].map(function (x) {
      x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  }
  function contrast(a, b) {
    var x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  function background(el) {
    for (; el && el.nodeType === 1; el = el.parentNode) {
      var c = rgba(getComputedStyle(el).backgroundColor);
      if (c[3] > 0) return c;
    }
    return [255, 255, 255, 1];
  }
  var body = getComputedStyle(document.body);
  var em = parseFloat(body.fontSize);
  var r = { width: window.innerWidth, scroll: document.documentElement.scrollWidth,
            em: em, links: 0, off_colour: [], min_contrast: 100, widest: 0,
            noterefs: 0, linked_back: 0, long_word_right: -1, justified: 0 };
  var links = document.querySelectorAll('a');
  for (var i = 0; i < links.length; i++) {
    var a = links[i], c = getComputedStyle(a).color;
    r.links++;
    if (c !== body.color) r.off_colour.push(a.getAttribute('href'));
    r.min_contrast = Math.min(r.min_contrast, contrast(rgba(c), background(a)));
  }
  var blocks = document.querySelectorAll('p, li, h1, h2, h3, blockquote, figcaption');
  for (var j = 0; j < blocks.length; j++) {
    r.widest = Math.max(r.widest, blocks[j].getBoundingClientRect().width);
    if (getComputedStyle(blocks[j]).textAlign === 'justify') r.justified++;
  }
  var refs = document.querySelectorAll('a[role="doc-noteref"]');
  for (var k = 0; k < refs.length; k++) {
    r.noterefs++;
    var note = document.getElementById(refs[k].getAttribute('href').slice(1));
    if (note && note.querySelector('a[href="#' + refs[k].id + '"]')) r.linked_back++;
  }
  var word = document.querySelector('span[lang="de"]');
  if (word) r.long_word_right = word.getBoundingClientRect().right;
  parent.postMessage(JSON.stringify(r), '*');
});
"##;

/// `chapter` (a file of the unpacked EPUB) with `theme` and the probe:
/// a copy beside it, so that its links to the style sheet still work.
fn themed_copy(chapter: &Path, name: &str, theme: &str) -> PathBuf {
    let x = std::fs::read_to_string(chapter).unwrap();
    let style = format!("<style>{theme}</style>\n</head>");
    let script = format!("<script><![CDATA[{PROBE}]]></script>\n</body>");
    let x = x
        .replacen("</head>", &style, 1)
        .replacen("</body>", &script, 1);
    let path = chapter.with_file_name(format!("{name}.xhtml"));
    std::fs::write(&path, x).unwrap();
    path
}

/// A page showing `page` in a frame of the screen's size, which writes what
/// the probe sends into an element the DOM dump shows. (Headless Chromium
/// makes no window narrower than 500 pixels; a frame can be a phone.)
fn framed(page: &Path, w: u32, h: u32) -> PathBuf {
    let name = page.file_name().unwrap().to_str().unwrap();
    let html = format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>body {{ margin: 0; }} iframe {{ border: 0; display: block; }}</style></head>
<body>
<script>window.addEventListener('message', function (e) {{
  var p = document.createElement('pre'); p.id = 'qalam-probe'; p.textContent = e.data;
  document.body.appendChild(p);
}});</script>
<iframe src="{name}" style="width: {w}px; height: {h}px"></iframe>
</body></html>
"#
    );
    let path = page.with_extension("frame.html");
    std::fs::write(&path, html).unwrap();
    path
}

fn chromium(args: &[String]) -> std::process::Output {
    Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
        ])
        .args(args)
        .output()
        .expect("chromium runs")
}

#[test]
fn in_a_browser_links_follow_the_theme_and_text_fits_the_screen() {
    if !on_path("chromium") {
        missing("chromium");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let epub = with_ext(
        &build(&root().join("tests/fixtures/anthology"), &out, Some("epub")),
        "epub",
    );
    assert_epubcheck_clean(&epub);
    let dir = tmp.path().join("x");
    unpack(&epub, &dir);
    let chapter = dir.join("EPUB/text/first.xhtml");
    // Kept as test artefacts, for a person to look at.
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("epub-screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    for &(screen, w, h) in SCREENS {
        for &(theme, css) in THEMES {
            let name = format!("{screen}-{theme}");
            let page = framed(&themed_copy(&chapter, &name, css), w, h);
            let url = format!("file://{}", page.display());
            let window = format!("--window-size={},{h}", w.max(500));
            let o = chromium(&[window.clone(), "--dump-dom".into(), url.clone()]);
            let dom = String::from_utf8_lossy(&o.stdout).into_owned();
            let json = dom
                .split_once("<pre id=\"qalam-probe\">")
                .and_then(|(_, rest)| rest.split_once("</pre>"))
                .map(|(j, _)| j.replace("&quot;", "\"").replace("&amp;", "&"))
                .unwrap_or_else(|| {
                    panic!(
                        "{name}: no probe result\n{}\n{dom}",
                        String::from_utf8_lossy(&o.stderr)
                    )
                });
            let r: serde_json::Value = serde_json::from_str(&json).unwrap();
            let num = |k: &str| r[k].as_f64().unwrap_or_else(|| panic!("{k} in {r}"));
            // The screen size took effect (else nothing below is measured).
            assert_eq!(num("width"), f64::from(w), "{name}: {r}");
            assert!(num("links") >= 5.0, "{name}: {r}");
            assert_eq!(r["off_colour"], serde_json::json!([]), "{name}: {r}");
            assert!(num("min_contrast") >= 4.5, "{name}: {r}");
            assert!(num("widest") <= 40.0 * num("em"), "{name}: {r}");
            // Nothing runs off the screen, not even the 118-letter word.
            assert!(num("scroll") <= f64::from(w), "{name}: {r}");
            let right = num("long_word_right");
            assert!(right > 0.0 && right <= f64::from(w), "{name}: {r}");
            // Ragged on a phone; justified on a wide screen by an engine
            // that hyphenates (Chromium says it does).
            if w < 500 {
                assert_eq!(num("justified"), 0.0, "{name}: {r}");
            } else {
                assert!(num("justified") >= 2.0, "{name}: {r}");
            }
            // Every note reference leads to a note that links back to it.
            assert_eq!(num("noterefs"), 3.0, "{name}: {r}");
            assert_eq!(num("linked_back"), 3.0, "{name}: {r}");

            let png = shots.join(format!("{name}.png"));
            let _ = std::fs::remove_file(&png);
            let o = chromium(&[window, format!("--screenshot={}", png.display()), url]);
            let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
            assert!(
                size > 1000,
                "{name}: no screenshot\n{}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
}
