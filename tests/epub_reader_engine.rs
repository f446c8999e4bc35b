//! The EPUB in a real reading engine (issue 20): epub.js, as web and
//! hybrid reading apps use it, in headless Chromium driven over the
//! DevTools protocol. The sample and the anthology fixture are built,
//! checked with EPUBCheck, served with the harness page
//! (`tests/fixtures/epubjs/`) from a small HTTP server on 127.0.0.1, and
//! read paginated at phone and tablet size in a light and a dark theme
//! (a theme sets the page's background and text colour, nothing else).
//! In each: links and note numbers have the text colour and a contrast
//! of at least 4.5:1 against the background, no line of text is wider
//! than 40 em, and every note reference, tapped, turns to its note,
//! whose back link turns back to the reference. Screenshots are kept in
//! `target/tmp/reader-shots/`.
//!
//! epub.js comes from the npm registry: `.ci/install-reader` installs the
//! pinned versions into `$QALAM_READER_DIR` (default `target/epub-reader`).

mod common;

use common::devtools::{self, Devtools};
use common::{assert_epubcheck_clean, copy_book, missing, qalam, root, stderr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The folder with epub.js and JSZip in `node_modules`, when installed.
fn reader_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("QALAM_READER_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/epub-reader"));
    [
        "node_modules/epubjs/dist/epub.min.js",
        "node_modules/jszip/dist/jszip.min.js",
    ]
    .iter()
    .all(|f| dir.join(f).is_file())
    .then_some(dir)
}

/// Builds the EPUB of `book` into `out`.
fn build_epub(book: &Path, out: &Path) -> PathBuf {
    let o = qalam()
        .arg("build")
        .arg(book)
        .arg("-o")
        .arg(out)
        .args(["--format", "epub"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("an EPUB")
}

/// A static HTTP server on 127.0.0.1 for the harness, the reader and the
/// books; stopped when dropped.
struct Files {
    server: Arc<tiny_http::Server>,
    addr: String,
}

impl Files {
    /// Serves each `(path, file)`; anything else is a 404.
    fn serve(files: Vec<(String, PathBuf)>) -> Files {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a free port"));
        let addr = server.server_addr().to_ip().unwrap().to_string();
        let s = Arc::clone(&server);
        std::thread::spawn(move || {
            for req in s.incoming_requests() {
                let path = req.url().split('?').next().unwrap_or("").to_string();
                let _ = match files.iter().find(|(p, _)| *p == path) {
                    Some((_, file)) => {
                        let kind = match file.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("js") => "text/javascript; charset=utf-8",
                            Some("epub") => "application/epub+zip",
                            _ => "application/octet-stream",
                        };
                        let body = std::fs::read(file).unwrap();
                        let header = tiny_http::Header::from_bytes("Content-Type", kind).unwrap();
                        req.respond(tiny_http::Response::from_data(body).with_header(header))
                    }
                    None => req.respond(tiny_http::Response::empty(404)),
                };
            }
        });
        Files { server, addr }
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// Reading-app themes (the harness registers them with epub.js) and the
/// text colour each sets.
const THEMES: &[(&str, &str)] = &[("light", "rgb(0, 0, 0)"), ("dark", "rgb(224, 224, 224)")];

/// Screen sizes in CSS pixels: a phone, and a tablet held upright.
const SCREENS: &[(&str, u32, u32)] = &[("phone", 390, 844), ("tablet", 820, 1180)];

/// A book as the test reads it.
struct Book {
    name: &'static str,
    epub: PathBuf,
    /// The spine item with the notes.
    chapter: &'static str,
    /// Each note reference and its note.
    notes: &'static [(&'static str, &'static str)],
    /// Whether every note is on another page than its reference, on
    /// every screen (the anthology's chapters fit on one page).
    notes_apart: bool,
}

fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn epub_js_opens_the_notes_and_follows_the_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = copy_book("book", tmp.path());
    let books = [
        Book {
            name: "sample",
            epub: build_epub(&sample, &tmp.path().join("sample")),
            chapter: "text/interview.xhtml",
            notes: &[("ref_1", "note_1"), ("ref_2", "note_2")],
            notes_apart: true,
        },
        Book {
            name: "anthology",
            epub: build_epub(
                &root().join("tests/fixtures/anthology"),
                &tmp.path().join("anthology"),
            ),
            chapter: "text/first.xhtml",
            notes: &[
                ("ref_1", "note_1"),
                ("ref_1_2", "note_1"),
                ("ref_2", "note_2"),
            ],
            notes_apart: false,
        },
    ];
    for b in &books {
        assert_epubcheck_clean(&b.epub);
    }
    let Some(exe) = devtools::chromium() else {
        missing("chromium");
        return;
    };
    let Some(reader) = reader_dir() else {
        missing("epub.js (bash .ci/install-reader)");
        return;
    };

    let harness = root().join("tests/fixtures/epubjs");
    let modules = reader.join("node_modules");
    let mut files = vec![
        ("/".to_string(), harness.join("index.html")),
        ("/harness.js".to_string(), harness.join("harness.js")),
        (
            "/reader/jszip.min.js".to_string(),
            modules.join("jszip/dist/jszip.min.js"),
        ),
        (
            "/reader/epub.min.js".to_string(),
            modules.join("epubjs/dist/epub.min.js"),
        ),
    ];
    for b in &books {
        files.push((format!("/{}.epub", b.name), b.epub.clone()));
    }
    let server = Files::serve(files);
    let url = format!("http://{}/", server.addr);
    let (_browser, mut dt) = devtools::open(&exe, &url, (1000, 1200));
    // Generous: a loaded machine, a debug build beside it.
    dt.limit = Duration::from_secs(60);
    dt.until(
        "document.readyState === 'complete' && typeof qalam === 'object' && typeof ePub === 'function'",
        "the harness page",
    );
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reader-shots");
    std::fs::create_dir_all(&shots).unwrap();

    for b in &books {
        for &(screen, w, h) in SCREENS {
            dt.call(
                "Emulation.setDeviceMetricsOverride",
                serde_json::json!({"width": w, "height": h, "deviceScaleFactor": 1, "mobile": false}),
            );
            for &(theme, text_colour) in THEMES {
                let view = format!("{}-{screen}-{theme}", b.name);
                read(&mut dt, b, &view, theme, text_colour, (w, h), &shots);
            }
        }
    }
}

/// One book at one size in one theme: every document measured, the notes
/// there and back, and the screenshots.
fn read(
    dt: &mut Devtools,
    b: &Book,
    view: &str,
    theme: &str,
    text_colour: &str,
    (w, h): (u32, u32),
    shots: &Path,
) {
    let opened = dt.eval_async(&format!(
        "qalam.open({}, {}, {w}, {h}, {})",
        js(&format!("/{}.epub", b.name)),
        js(theme),
        js(b.chapter)
    ));
    assert_eq!(opened, true, "{view}: not opened");
    std::fs::write(shots.join(format!("{view}.png")), dt.screenshot()).unwrap();

    let spine: Vec<String> = serde_json::from_value(dt.eval("qalam.spine()")).unwrap();
    assert!(spine.iter().any(|s| s == b.chapter), "{view}: {spine:?}");
    let (mut lines, mut links, mut widest, mut lowest) = (0.0, 0.0, 0.0f64, f64::MAX);
    for href in &spine {
        let shown = dt.eval_async(&format!("qalam.show({})", js(href)));
        assert_eq!(shown, true, "{view}: {href} not shown");
        let m = dt.eval("qalam.measure()");
        let num = |k: &str| {
            m[k].as_f64()
                .unwrap_or_else(|| panic!("{view} {href}: {k} in {m}"))
        };
        // The theme took effect, and the book's style sheet follows it:
        // links and note numbers in the text colour, readable on the
        // theme's background.
        assert_eq!(m["body_colour"], text_colour, "{view} {href}: {m}");
        assert_eq!(m["off_colour"], serde_json::json!([]), "{view} {href}: {m}");
        assert!(num("min_contrast") >= 4.5, "{view} {href}: {m}");
        // No line wider than 40 em of its own text's size.
        assert!(num("widest_em") <= 40.0, "{view} {href}: {m}");
        lines += num("lines");
        links += num("links");
        widest = widest.max(num("widest_em"));
        lowest = lowest.min(num("min_contrast"));
        if href.starts_with("nav") {
            std::fs::write(shots.join(format!("{view}-contents.png")), dt.screenshot()).unwrap();
        }
    }
    eprintln!(
        "{view}: {} documents, {lines} lines, widest {widest:.1} em; {links} links, lowest contrast {lowest:.1}:1",
        spine.len()
    );
    // Something was measured.
    assert!(
        lines >= 30.0 && links >= 10.0,
        "{view}: {lines} lines, {links} links"
    );
    notes_there_and_back(dt, b, view, shots);
}

/// Each note reference, tapped, turns to its note, whose back link turns
/// back to the reference; a screenshot of the first note.
fn notes_there_and_back(dt: &mut Devtools, b: &Book, view: &str, shots: &Path) {
    let visible = |dt: &mut Devtools, id: &str| {
        dt.eval(&format!("qalam.visible({})", js(&format!("#{id}")))) == true
    };
    for (i, &(reference, note)) in b.notes.iter().enumerate() {
        let at = format!("{}#{reference}", b.chapter);
        assert_eq!(dt.eval_async(&format!("qalam.show({})", js(&at))), true);
        assert!(
            visible(dt, reference),
            "{view}: {reference} not on the screen"
        );
        // The sample's notes are pages away from their references, so
        // that there the tap and the back link are seen to turn pages.
        let apart = !visible(dt, note);
        assert!(apart || !b.notes_apart, "{view}: {note} beside {reference}");
        let tapped = dt.eval(&format!("qalam.tap({})", js(&format!("#{reference}"))));
        assert_eq!(tapped, true, "{view}: no #{reference}");
        dt.until(
            &format!("qalam.visible({})", js(&format!("#{note}"))),
            &format!("{view}: {note} after tapping {reference}"),
        );
        assert!(
            !b.notes_apart || !visible(dt, reference),
            "{view}: {reference} still on the screen with its note"
        );
        if i == 0 {
            std::fs::write(shots.join(format!("{view}-note.png")), dt.screenshot()).unwrap();
        }
        let back = format!("#{note} a[href=\"#{reference}\"]");
        assert_eq!(
            dt.eval(&format!("qalam.tap({})", js(&back))),
            true,
            "{view}: {note} has no back link to {reference}"
        );
        dt.until(
            &format!("qalam.visible({})", js(&format!("#{reference}"))),
            &format!("{view}: {reference} after its note's back link"),
        );
        assert!(
            !b.notes_apart || !visible(dt, note),
            "{view}: {note} still on the screen back at {reference}"
        );
        eprintln!("{view}: {reference} -> {note} -> back (on different pages: {apart})");
    }
}
