//! Active content never reaches a book: the html-injection fixture puts
//! scripts, event handlers, unsafe link schemes, frames, forms, SVG, MathML
//! and escaping traps everywhere an author can type (metadata, front matter,
//! headings, paragraphs, lists, tables, quotes, notes, bio). The build must
//! succeed with warnings, EPUBCheck must pass, and no file of the EPUB may
//! hold an active element, an event-handler attribute or an unsafe URL;
//! every XML document must parse, with the titles' `& < > " '` and `]]>`
//! read back as text.

mod common;

use common::{assert_epubcheck_clean, qalam, root, stderr};
use quick_xml::events::Event;
use std::io::Read;
use std::path::Path;

/// Elements that are active, or that submit, embed or frame content.
const ACTIVE: &[&str] = &[
    "script", "iframe", "frame", "frameset", "form", "input", "button", "textarea", "select",
    "object", "embed", "applet", "base", "svg", "math", "video", "audio", "canvas", "template",
    "noscript", "style",
];

fn entries(epub: &Path) -> Vec<(String, Vec<u8>)> {
    let raw = std::fs::read(epub).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(raw)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

/// A URL a reading system would run or load inline: `javascript:`,
/// `vbscript:`, `data:` (ignoring case, white space and control characters,
/// as browsers do).
fn unsafe_url(v: &str) -> bool {
    let squeezed: String = v
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| squeezed.starts_with(s))
}

/// Every problem found in one XML document of the package.
fn scan_xml(name: &str, data: &[u8], problems: &mut Vec<String>) {
    let text = match std::str::from_utf8(data) {
        Ok(t) => t,
        Err(e) => {
            problems.push(format!("{name}: not UTF-8 ({e})"));
            return;
        }
    };
    let mut r = quick_xml::Reader::from_str(text);
    loop {
        match r.read_event() {
            Err(e) => {
                problems.push(format!("{name}: not well-formed XML ({e})"));
                return;
            }
            Ok(Event::Eof) => return,
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let el = e.local_name().as_ref().to_ascii_lowercase();
                if ACTIVE.contains(&el.as_str()) {
                    problems.push(format!("{name}: <{el}> element"));
                }
                for a in e.attributes() {
                    let a = match a {
                        Ok(a) => a,
                        Err(err) => {
                            problems.push(format!("{name}: bad attribute in <{el}> ({err})"));
                            continue;
                        }
                    };
                    let key = a.key.local_name().as_ref().to_ascii_lowercase();
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::default())
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    if key.starts_with("on") {
                        problems.push(format!("{name}: event handler {key}= on <{el}>"));
                    }
                    if el == "meta" && key == "http-equiv" {
                        problems.push(format!("{name}: <meta http-equiv={value}>"));
                    }
                    if matches!(
                        key.as_str(),
                        "href"
                            | "src"
                            | "action"
                            | "formaction"
                            | "data"
                            | "poster"
                            | "background"
                            | "cite"
                            | "srcset"
                    ) && unsafe_url(&value)
                    {
                        problems.push(format!("{name}: {key}=\"{value}\" on <{el}>"));
                    }
                    if key == "style" {
                        problems.push(format!("{name}: style attribute on <{el}>"));
                    }
                }
            }
            Ok(_) => {}
        }
    }
}

/// The text of the first `<tag …>…</tag>` in an XML document: inner tags
/// removed, entities resolved.
fn first_text(doc: &str, tag: &str) -> Option<String> {
    let open = doc
        .match_indices(&format!("<{tag}"))
        .map(|(i, _)| i)
        .find(|&i| matches!(doc.as_bytes().get(i + tag.len() + 1), Some(b' ' | b'>')))?;
    let start = open + doc[open..].find('>')? + 1;
    let end = start + doc[start..].find(&format!("</{tag}>"))?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in doc[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    quick_xml::escape::unescape(&text)
        .ok()
        .map(|t| t.into_owned())
}

/// Builds the injection fixture in one format into `tmp/out`; returns the
/// file and what the build said on stderr (the build must succeed).
fn build_fixture(tmp: &Path, format: &str) -> (std::path::PathBuf, String) {
    let out = tmp.join("out");
    let o = qalam()
        .arg("build")
        .arg(root().join("tests/fixtures/html-injection"))
        .arg("-o")
        .arg(&out)
        .args(["--format", format])
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let file = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == format))
        .unwrap_or_else(|| panic!("no .{format} in {}", out.display()));
    (file, err)
}

#[test]
fn no_active_content_reaches_the_epub() {
    let tmp = tempfile::tempdir().unwrap();
    let (epub, err) = build_fixture(tmp.path(), "epub");
    // Everything dropped was said: tags, blocks, links.
    for w in ["warning[html-dropped]", "warning[link-dropped]"] {
        assert!(err.contains(w), "no {w} in:\n{err}");
    }
    assert!(!err.contains("error["), "{err}");

    assert_epubcheck_clean(&epub);

    let files = entries(&epub);
    let mut problems = Vec::new();
    let mut xml_docs = 0;
    for (name, data) in &files {
        let lower = String::from_utf8_lossy(data).to_lowercase();
        // Raw bytes: no active tag and no script scheme anywhere, in any
        // file (escaped text such as `&lt;script&gt;` is not a tag).
        for needle in [
            "<script",
            "<iframe",
            "<form",
            "<object",
            "<embed",
            "<frame",
            "javascript:",
            "vbscript:",
        ] {
            if lower.contains(needle) {
                problems.push(format!("{name}: contains `{needle}`"));
            }
        }
        if name.ends_with(".xhtml")
            || name.ends_with(".opf")
            || name.ends_with(".ncx")
            || name.ends_with(".xml")
        {
            xml_docs += 1;
            scan_xml(name, data, &mut problems);
        }
        if name.ends_with(".css")
            && (lower.contains("expression(")
                || lower.contains("url(data:")
                || lower.contains("@import"))
        {
            problems.push(format!("{name}: active CSS"));
        }
    }
    assert!(xml_docs >= 6, "{xml_docs} XML documents");
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // Escaping: the titles are text, read back whole from every document
    // that carries them. Typography curls the straight quotes.
    let doc = |n: &str| -> String {
        let (_, d) = files
            .iter()
            .find(|(name, _)| name == n)
            .unwrap_or_else(|| panic!("{n} is not in the EPUB"));
        String::from_utf8(d.clone()).unwrap()
    };
    let book_title = "Q&A <script>alert(0)</script> “Edition” ‘one’ ]]> <b onclick=”x()”>Tales</b>";
    assert_eq!(
        first_text(&doc("EPUB/package.opf"), "dc:title").as_deref(),
        Some(book_title)
    );
    assert_eq!(
        first_text(&doc("EPUB/toc.ncx"), "docTitle")
            .map(|t| t.trim().to_string())
            .as_deref(),
        Some(book_title)
    );
    assert_eq!(
        first_text(&doc("EPUB/titlepage.xhtml"), "h1").as_deref(),
        Some(book_title)
    );
    // The chapter title is Markdown: its raw HTML is dropped (with the
    // script's content), entities and quotes are text.
    let chapter_title = "Injection & bold ]]> “quoted”";
    let chapter = files
        .iter()
        .find(|(n, _)| n.starts_with("EPUB/text/") && n.ends_with(".xhtml") && !n.contains(".bio."))
        .map(|(n, _)| n.clone())
        .unwrap();
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        first_text(&doc(&chapter), "h1")
            .map(|t| words(&t))
            .as_deref(),
        Some(chapter_title)
    );
    let ncx = doc("EPUB/toc.ncx");
    assert!(
        words(&ncx).contains("Injection &amp; bold ]]&gt; “quoted”"),
        "the chapter's entry in the NCX:\n{ncx}"
    );
    let nav = doc("EPUB/nav.xhtml");
    assert!(
        words(&nav).contains("Injection &amp; bold ]]&gt; “quoted”"),
        "{nav}"
    );
    // Text the author wrote as entities stays text.
    let body = doc(&chapter);
    assert!(
        body.contains("&lt;script&gt;alert(32)&lt;/script&gt; as text"),
        "{body}"
    );
    // Kept inline markup keeps its meaning, without the attributes.
    assert!(body.contains("<strong>bold</strong>"), "{body}");
    assert!(
        body.contains(r#"<span lang="ar" xml:lang="ar" dir="rtl">عربي</span>"#),
        "{body}"
    );
    // Dropped elements take their content with them.
    for gone in [
        "alert(10)",
        "alert(11)",
        "alert(12)",
        "alert(26)",
        "fallback",
        "Go",
    ] {
        assert!(!body.contains(gone), "`{gone}` is still in the chapter");
    }
}

/// The same book as a PDF: qpdf finds it sound, and its objects (expanded,
/// uncompressed) hold no script, launch or form action and no `javascript:`
/// or `data:` link; the text dropped from the EPUB is not in the PDF either,
/// and the text the author wrote as entities reads as text.
#[test]
fn no_active_content_reaches_the_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let (pdf, err) = build_fixture(tmp.path(), "pdf");
    assert!(!err.contains("error["), "{err}");

    // In-process: every name and string of every object.
    let doc = common::pdf::Pdf::open(&pdf);
    doc.assert_sound();
    let found = doc.all_names_and_strings();
    for name in [
        "/JavaScript",
        "/JS",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/AcroForm",
        "/RichMedia",
    ] {
        assert!(
            !found.iter().any(|x| x.eq_ignore_ascii_case(name)),
            "the PDF contains `{name}`"
        );
    }
    for scheme in ["javascript:", "vbscript:", "data:"] {
        assert!(
            !found
                .iter()
                .any(|x| x.trim_start().to_lowercase().starts_with(scheme)),
            "the PDF holds a `{scheme}` string"
        );
    }
    let text = doc.pages_text().concat();
    for gone in [
        "alert(10)",
        "alert(11)",
        "alert(12)",
        "alert(26)",
        "fallback",
    ] {
        assert!(!text.contains(gone), "`{gone}` is in the PDF's text");
    }
    assert!(
        text.contains("<script>alert(32)</script>"),
        "the entities as text:\n{text}"
    );

    // The outside validators, on top: qpdf's expanded, uncompressed file
    // searched as bytes (a stream lopdf could not see into would show there).
    let Some(check) = common::tool("qpdf", &["--check".as_ref(), pdf.as_os_str()]) else {
        return;
    };
    assert!(check.status.success(), "qpdf --check:\n{}", stderr(&check));
    let qdf = tmp.path().join("qdf.pdf");
    let expanded = common::tool(
        "qpdf",
        &[
            "--qdf".as_ref(),
            "--object-streams=disable".as_ref(),
            pdf.as_os_str(),
            qdf.as_os_str(),
        ],
    )
    .unwrap();
    assert!(expanded.status.success(), "{}", stderr(&expanded));
    let raw = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).to_lowercase();
    for needle in [
        "/javascript",
        "/js ",
        "/js(",
        "/launch",
        "/submitform",
        "/importdata",
        "/acroform",
        "/richmedia",
        "(javascript:",
        "(vbscript:",
        "(data:",
    ] {
        assert!(!raw.contains(needle), "the PDF contains `{needle}`");
    }
    if let Some(o) = common::tool("pdftotext", &[pdf.as_os_str(), "-".as_ref()]) {
        let t = common::stdout(&o);
        assert!(t.contains("<script>alert(32)</script>"), "{t}");
    }
}
