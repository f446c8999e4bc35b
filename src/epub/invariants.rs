//! Invariants of the package [`write`] makes, read back from the zip: the
//! container and the manifest name every file exactly once, the spine
//! follows the book, every link inside the book resolves, every print page
//! has exactly one marker, in reading order, and the bytes do not depend
//! on the number of threads.

use super::*;
use crate::model::{PageInfo, PageKind, Place, Seq, TextPos};
use crate::test_books::{four_chapters, reading_order, text_at};
use quick_xml::events::Event;
use std::collections::{BTreeMap, HashSet};
use std::io::Read;

/// An element: local name and attributes (keys with their prefix).
type Element = (String, Vec<(String, String)>);

fn elements(xml: &str) -> Vec<Element> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name().as_ref().to_string();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("an attribute");
                        let key = a.key.as_ref().to_string();
                        let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0);
                        (key, value.expect("a value").into_owned())
                    })
                    .collect();
                out.push((name, attrs));
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

fn attr<'a>(e: &'a Element, key: &str) -> Option<&'a str> {
    e.1.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// The package's files in zip order: name, whether deflated, content.
fn unzip(bytes: &[u8]) -> Vec<(String, bool, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            let deflated = f.compression() == zip::CompressionMethod::Deflated;
            (f.name().expect("a name").to_string(), deflated, data)
        })
        .collect()
}

fn text(files: &[(String, bool, Vec<u8>)], name: &str) -> String {
    let f = files
        .iter()
        .find(|f| f.0 == name)
        .unwrap_or_else(|| panic!("{name} is not in the package"));
    String::from_utf8(f.2.clone()).expect("UTF-8")
}

/// `href` (without its fragment) relative to the file `from`.
fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The manifest (id -> href, media type, properties) and the spine's
/// hrefs, in order.
struct Package {
    items: BTreeMap<String, (String, String, String)>,
    spine: Vec<String>,
}

fn package(files: &[(String, bool, Vec<u8>)]) -> Package {
    let opf = elements(&text(files, OPF));
    let mut items = BTreeMap::new();
    for e in opf.iter().filter(|e| e.0 == "item") {
        let id = attr(e, "id").expect("an item id").to_string();
        let href = resolve(OPF, attr(e, "href").expect("an item href"));
        let entry = (
            href,
            attr(e, "media-type").unwrap_or("").to_string(),
            attr(e, "properties").unwrap_or("").to_string(),
        );
        assert!(
            items.insert(id.clone(), entry).is_none(),
            "item id {id} twice"
        );
    }
    let spine = opf
        .iter()
        .filter(|e| e.0 == "itemref")
        .map(|e| {
            let id = attr(e, "idref").expect("an idref");
            items
                .get(id)
                .unwrap_or_else(|| panic!("spine names {id}, not in the manifest"))
                .0
                .clone()
        })
        .collect();
    Package { items, spine }
}

fn options() -> EpubOptions {
    EpubOptions {
        source_date_epoch: Some(1_700_000_000),
        print_pages: None,
    }
}

#[test]
fn the_manifest_lists_every_file_once() {
    let (_dir, book, _) = four_chapters();
    let mut diags = crate::diag::Diagnostics::new();
    let cover = crate::cover::prepare_epub(&crate::typeset::Engine::new(), &book, &mut diags);
    assert!(cover.is_some() && !diags.has_errors(), "{diags:?}");
    let files = unzip(
        &write(
            &book,
            cover.as_ref(),
            &crate::diag::SourceMap::new(),
            &options(),
        )
        .unwrap(),
    );

    // OCF: the media type first, stored; the container names the package.
    assert_eq!(files[0].0, "mimetype");
    assert!(!files[0].1, "mimetype is stored");
    assert_eq!(files[0].2, b"application/epub+zip");
    let container = elements(&text(&files, "META-INF/container.xml"));
    let roots: Vec<&str> = container
        .iter()
        .filter(|e| e.0 == "rootfile")
        .filter_map(|e| attr(e, "full-path"))
        .collect();
    assert_eq!(roots, [OPF]);

    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(
        unique.len(),
        names.len(),
        "a file twice in the zip: {names:?}"
    );
    let pkg = package(&files);
    let mut listed: Vec<&str> = pkg.items.values().map(|i| i.0.as_str()).collect();
    listed.sort_unstable();
    let mut packaged: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !["mimetype", "META-INF/container.xml", OPF].contains(n))
        .collect();
    packaged.sort_unstable();
    assert_eq!(listed, packaged, "manifest and zip differ");

    for (id, (href, media, _)) in &pkg.items {
        let ext = href.rsplit('.').next().unwrap_or("");
        let want = match ext {
            "xhtml" => "application/xhtml+xml",
            "css" => "text/css",
            "ttf" => "font/ttf",
            "ncx" => "application/x-dtbncx+xml",
            "png" => "image/png",
            "jpg" => "image/jpeg",
            "webp" => "image/webp",
            other => panic!("{href}: an unexpected .{other} file"),
        };
        assert_eq!(media, want, "{id}: {href}");
        // Pictures are compressed already: stored; the rest deflated.
        let deflated = files.iter().find(|f| &f.0 == href).unwrap().1;
        assert_eq!(deflated, !want.starts_with("image/"), "{href}");
    }
    let with = |p: &str| {
        pkg.items
            .values()
            .filter(|i| i.2.split(' ').any(|x| x == p))
            .count()
    };
    assert_eq!(with("nav"), 1);
    assert_eq!(with("cover-image"), 1);
}

#[test]
fn the_spine_follows_the_book() {
    let (_dir, book, _) = four_chapters();
    let files = unzip(&write(&book, None, &crate::diag::SourceMap::new(), &options()).unwrap());
    let pkg = package(&files);
    let mut want = vec!["EPUB/titlepage.xhtml".to_string(), "EPUB/nav.xhtml".into()];
    for ch in &book.chapters {
        want.push(format!("EPUB/text/{}.xhtml", ch.id));
        if ch.bio.is_some() {
            want.push(format!("EPUB/text/{}.bio.xhtml", ch.id));
        }
    }
    assert_eq!(pkg.spine, want);
    // Every document is read: each XHTML file is in the spine once.
    let docs: HashSet<&str> = pkg
        .items
        .values()
        .filter(|i| i.1 == "application/xhtml+xml")
        .map(|i| i.0.as_str())
        .collect();
    assert_eq!(docs.len(), pkg.spine.len());
    assert!(pkg.spine.iter().all(|s| docs.contains(s.as_str())));
    assert!(book.chapters.iter().any(|c| c.bio.is_some()));
}

#[test]
fn every_link_inside_the_book_resolves() {
    let (_dir, book, _) = four_chapters();
    let files = unzip(&write(&book, None, &crate::diag::SourceMap::new(), &options()).unwrap());
    let names: HashSet<&str> = files.iter().map(|f| f.0.as_str()).collect();
    let mut ids: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    let mut parsed = Vec::new();
    for (name, _, data) in &files {
        if !(name.ends_with(".xhtml") || name.ends_with(".ncx")) {
            continue;
        }
        let els = elements(std::str::from_utf8(data).unwrap());
        let mut seen = HashSet::new();
        for e in &els {
            if let Some(id) = attr(e, "id") {
                assert!(seen.insert(id.to_string()), "{name}: id {id} twice");
            }
        }
        ids.insert(name.clone(), seen);
        parsed.push((name.clone(), els));
    }
    let mut targets: HashSet<String> = HashSet::new();
    let mut fragments = 0;
    for (name, els) in &parsed {
        for e in els {
            for key in ["href", "src"] {
                let Some(target) = attr(e, key) else { continue };
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let (file, fragment) = match target.split_once('#') {
                    Some((f, frag)) => (f, Some(frag)),
                    None => (target, None),
                };
                let file = if file.is_empty() {
                    name.clone()
                } else {
                    resolve(name, file)
                };
                assert!(
                    names.contains(file.as_str()),
                    "{name}: {target} -> no {file}"
                );
                if let Some(frag) = fragment {
                    assert!(
                        ids.get(&file).is_some_and(|s| s.contains(frag)),
                        "{name}: {target} -> no #{frag} in {file}"
                    );
                    fragments += 1;
                }
                targets.insert(file);
            }
        }
    }
    // The contents reach every chapter; the stylesheet and the figure are
    // linked; each note reference and its way back is a link.
    for ch in &book.chapters {
        assert!(targets.contains(&format!("EPUB/text/{}.xhtml", ch.id)));
    }
    assert!(targets.contains("EPUB/css/book.css"));
    assert!(targets.iter().any(|t| t.starts_with("EPUB/images/")));
    let notes: usize = book.chapters.iter().map(|c| c.notes.len()).sum();
    assert!(
        notes > 0 && fragments >= 2 * notes,
        "{fragments} links to {notes} notes"
    );
}

/// Print pages as a layout would give them, from the model alone: title,
/// imprint, two contents pages, then each chapter on a right-hand page
/// (blank pages before as needed) and a page starting halfway into each
/// of its text blocks; a blank page at the end.
fn print_pages(book: &Book) -> Vec<PageInfo> {
    fn push(pages: &mut Vec<PageInfo>, kind: PageKind, first: Option<TextPos>) {
        let index = pages.len();
        pages.push(PageInfo {
            index,
            number: Some(index as u32 + 1),
            kind,
            first,
        });
    }
    let mut pages = Vec::new();
    for kind in [
        PageKind::Title,
        PageKind::Imprint,
        PageKind::Contents,
        PageKind::Contents,
    ] {
        push(&mut pages, kind, None);
    }
    for (c, ch) in book.chapters.iter().enumerate() {
        let mut bio = false;
        for place in reading_order(ch) {
            let (kind, offset) = match &place {
                Place::Title => (PageKind::Opening, 0),
                Place::Block { seq: Seq::Bio, .. } if !bio => {
                    bio = true;
                    (PageKind::Bio, 0)
                }
                _ => {
                    let text = text_at(ch, &place);
                    let mut half = text.len() / 2;
                    while !text.is_char_boundary(half) {
                        half -= 1;
                    }
                    (PageKind::Text, half)
                }
            };
            // The next page number is even: a blank page before an opening.
            if kind == PageKind::Opening && pages.len() % 2 == 1 {
                push(&mut pages, PageKind::Blank, None);
            }
            let first = TextPos {
                chapter: c,
                place,
                offset,
            };
            push(&mut pages, kind, Some(first));
        }
    }
    push(&mut pages, PageKind::Blank, None);
    pages
}

#[test]
fn every_print_page_is_marked_once_in_reading_order() {
    let (_dir, book, _) = four_chapters();
    let pages = print_pages(&book);
    let opts = EpubOptions {
        print_pages: Some(PrintPages::from_layout(&pages, "urn:test:print")),
        ..options()
    };
    let files = unzip(&write(&book, None, &crate::diag::SourceMap::new(), &opts).unwrap());
    let pkg = package(&files);
    // The markers in reading order: the spine, each document top down.
    let mut marked: Vec<(u32, String)> = Vec::new();
    for doc in &pkg.spine {
        for e in elements(&text(&files, doc)) {
            if let Some(n) = attr(&e, "id").and_then(|id| id.strip_prefix("page_")) {
                assert_eq!(attr(&e, "epub:type"), Some("pagebreak"), "{doc}: page_{n}");
                marked.push((n.parse().expect("a page number"), doc.clone()));
            }
        }
    }
    let numbers: Vec<u32> = marked.iter().map(|m| m.0).collect();
    let want: Vec<u32> = (1..=pages.len() as u32).collect();
    assert_eq!(numbers, want, "one marker per page, in page order");

    // The page list: every page, in order, pointing at its marker.
    let nav = elements(&text(&files, "EPUB/nav.xhtml"));
    let start = nav
        .iter()
        .position(|e| e.0 == "nav" && attr(e, "epub:type") == Some("page-list"))
        .expect("a page list");
    let listed: Vec<(u32, String)> = nav[start + 1..]
        .iter()
        .take_while(|e| e.0 != "nav")
        .filter(|e| e.0 == "a")
        .map(|e| {
            let href = attr(e, "href").unwrap();
            let (file, frag) = href.split_once('#').unwrap();
            let n = frag.strip_prefix("page_").unwrap().parse().unwrap();
            (n, resolve("EPUB/nav.xhtml", file))
        })
        .collect();
    assert_eq!(listed, marked);
}

#[test]
fn the_bytes_do_not_depend_on_the_threads() {
    let (_dir, book, _) = four_chapters();
    let pages = print_pages(&book);
    let opts = EpubOptions {
        print_pages: Some(PrintPages::from_layout(&pages, "urn:test:print")),
        ..options()
    };
    let many = write(&book, None, &crate::diag::SourceMap::new(), &opts).unwrap();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| write(&book, None, &crate::diag::SourceMap::new(), &opts).unwrap());
    assert!(many == one, "one thread and many give different bytes");
    assert!(many == write(&book, None, &crate::diag::SourceMap::new(), &opts).unwrap());
}
