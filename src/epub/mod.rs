//! The EPUB 3 writer: [`Book`] → a valid, accessible, reproducible `.epub`.
//!
//! ```text
//! mimetype                       stored, first (OCF)
//! META-INF/container.xml
//! EPUB/package.opf               metadata (incl. accessibility), manifest, spine
//! EPUB/nav.xhtml                 contents + landmarks (EPUB 3), also in the spine
//! EPUB/toc.ncx                   contents for EPUB 2 reading systems
//! EPUB/cover.xhtml               when a cover is given
//! EPUB/titlepage.xhtml
//! EPUB/text/<chapter>.xhtml      one per chapter, with its endnotes
//! EPUB/text/<chapter>.bio.xhtml  the chapter's bio page
//! EPUB/css/book.css
//! EPUB/fonts/*.ttf               bundled fonts, subset to the text
//! EPUB/images/*                  pictures, downscaled; the cover
//! ```
//!
//! Why not the `epub-builder` crate: version 0.8.3 was tried against the bar
//! this writer must meet and cannot meet it through its API. It gives
//! `dc:language` and `dc:creator` the same id (an EPUBCheck error); its
//! fixed templates put no `xml:lang` on the package and the navigation
//! document (a serious Ace violation); landmarks come only from fixed
//! reference types and also land in the contents; manifest items cannot
//! carry properties other than the cover's; and its zip carries wall-clock
//! timestamps by default, so builds are not reproducible. The package
//! documents are therefore written here with quick-xml (which escapes every
//! text and attribute) and zipped with the `zip` crate in a fixed order with
//! fixed timestamps.
//!
//! With the print edition's pagination ([`EpubOptions::print_pages`], from
//! the PDF layout), every numbered page of the PDF gets a page-break marker
//! where it begins and an entry in the `page-list` navigation; see
//! [`pages`] for where the markers go.
//!
//! The output is deterministic: no wall clock (the timestamp comes from
//! `SOURCE_DATE_EPOCH` or the book's date, see [`time`]), no hash-map
//! order, and chapters rendered in parallel are put together in book order.

mod css;
mod fonts;
mod images;
mod nav;
mod opf;
pub mod pages;
mod pending;
pub use crate::timestamp as time;
mod xhtml;
mod xml;

pub use fonts::Usage;
pub use pages::PrintPages;

use crate::cover::CoverArt;
use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{Block, Book, Chapter, Image, Span};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

/// Where the package document and the root documents are.
const OPF: &str = "EPUB/package.opf";
const NAV: &str = "nav.xhtml";
const TITLE_PAGE: &str = "titlepage.xhtml";
const COVER_PAGE: &str = "cover.xhtml";

/// Options of one EPUB build that do not come from the book.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EpubOptions {
    /// Seconds since 1970 for `dcterms:modified` and the zip timestamps
    /// (`SOURCE_DATE_EPOCH`); `None`: the book's date. Never the wall clock.
    pub source_date_epoch: Option<i64>,
    /// The print edition's pages ([`PrintPages::from_layout`]): with them
    /// the EPUB gets page-break markers and a page list. The caller
    /// decides (`[epub] page-list`); the writer uses what it is given.
    pub print_pages: Option<PrintPages>,
}

/// Where each chapter goes in the package, and its anchors.
pub struct ChapterPlan {
    /// Relative to the package document: `text/<id>.xhtml`.
    pub href: String,
    pub bio_href: Option<String>,
    /// The anchor of each question's section, in order.
    pub question_ids: Vec<String>,
}

/// File names and anchors decided before rendering, shared by the chapter
/// documents, the navigation and the package document.
pub struct Plan {
    pub chapters: Vec<ChapterPlan>,
    images: HashMap<PathBuf, (String, u32, u32)>,
    cover_page: Option<String>,
}

impl Plan {
    /// The package path of a picture (`images/…`, relative to the package
    /// document) and its size in pixels as packaged.
    pub fn image(&self, path: &Path) -> Option<(&str, u32, u32)> {
        self.images
            .get(path)
            .map(|(h, w, ht)| (h.as_str(), *w, *ht))
    }
}

/// A picture used by the book, with where it is named first.
struct Used<'a> {
    image: &'a Image,
    chapter: &'a Chapter,
    span: Option<Span>,
}

fn collect_images<'a>(book: &'a Book) -> Vec<Used<'a>> {
    fn walk<'a>(blocks: &'a [Block], ch: &'a Chapter, out: &mut Vec<Used<'a>>) {
        for b in blocks {
            match b {
                Block::Figure { image, span, .. } => out.push(Used {
                    image,
                    chapter: ch,
                    span: Some(*span),
                }),
                Block::BlockQuote { content, .. } | Block::PullQuote { content, .. } => {
                    walk(content, ch, out)
                }
                Block::List { items, .. } => {
                    for i in items {
                        walk(&i.blocks, ch, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for ch in &book.chapters {
        walk(&ch.intro, ch, &mut out);
        for e in &ch.exchanges {
            walk(&e.answer, ch, &mut out);
        }
        for n in &ch.notes {
            walk(&n.content, ch, &mut out);
        }
        if let Some(bio) = &ch.bio {
            if let Some(p) = &bio.portrait {
                out.push(Used {
                    image: p,
                    chapter: ch,
                    span: bio.portrait_span,
                });
            }
            walk(&bio.content, ch, &mut out);
        }
    }
    // Each file once, where it is first used.
    let mut seen = std::collections::HashSet::new();
    out.retain(|u| seen.insert(u.image.path.clone()));
    out
}

/// A file of the package.
struct Entry {
    path: String,
    data: Vec<u8>,
    /// Already compressed formats are stored.
    compress: bool,
}

/// Writes the book as an EPUB 3 and returns the bytes of the `.epub`.
///
/// `cover` is the finished cover (the supplied one, or one designed for the
/// book); with one, the book gets a cover page, the `cover-image` manifest
/// property and a cover landmark. `sources` places a picture that cannot
/// be packaged where the chapter names it.
pub fn write(
    book: &Book,
    cover: Option<&CoverArt>,
    sources: &SourceMap,
    opts: &EpubOptions,
) -> Result<Vec<u8>, Diagnostics> {
    let moment = time::Moment::for_book(book, opts.source_date_epoch);

    // Pictures: decoded, checked and converted in parallel; the first error
    // in book order is reported.
    let used = collect_images(book);
    let budget = crate::picture::Budget::default();
    let prepared: Vec<images::Prepared> = used
        .par_iter()
        .map(|u| {
            images::prepare(u.image, &budget).map_err(|e| {
                e.map(|d| match u.span {
                    Some(s) => d.at(sources, s),
                    None => d.in_file(&u.chapter.file),
                })
            })
        })
        .collect::<Result<_, _>>()?;

    // The plan: file names and anchors.
    let mut image_hrefs = HashMap::new();
    let mut image_entries = Vec::new();
    for (i, (u, p)) in used.iter().zip(prepared).enumerate() {
        let stem = u
            .image
            .path
            .file_stem()
            .map(|s| crate::slug::slugify(&s.to_string_lossy()))
            .unwrap_or_default();
        let href = format!("images/{:03}-{stem}.{}", i + 1, p.ext);
        image_hrefs.insert(u.image.path.clone(), (href.clone(), p.width, p.height));
        image_entries.push((href, p));
    }
    let chapters: Vec<ChapterPlan> = book
        .chapters
        .iter()
        .map(|ch| {
            let mut taken = crate::slug::UniqueIds::new();
            let question_ids = ch
                .exchanges
                .iter()
                .map(|e| taken.claim(&xhtml::anchor(&e.question.id)))
                .collect();
            ChapterPlan {
                href: format!("text/{}.xhtml", ch.id),
                bio_href: ch.bio.as_ref().map(|_| format!("text/{}.bio.xhtml", ch.id)),
                question_ids,
            }
        })
        .collect();
    let cover_ext = cover.map(|c| {
        if c.media_type == "image/png" {
            "png"
        } else {
            "jpg"
        }
    });
    let plan = Plan {
        chapters,
        images: image_hrefs,
        cover_page: cover.map(|_| COVER_PAGE.to_string()),
    };

    // Where the print pages' markers go.
    let mut marks = opts
        .print_pages
        .as_ref()
        .filter(|p| !p.pages.is_empty())
        .map(|p| pages::place(p, book))
        .unwrap_or_default();
    let chapter_marks = std::mem::take(&mut marks.chapters);

    // Documents: chapters (and bios) in parallel, then the rest.
    let rendered: Vec<(xhtml::Rendered, Option<xhtml::Rendered>)> = book
        .chapters
        .par_iter()
        .zip(plan.chapters.par_iter())
        .enumerate()
        .map(|(i, (ch, cp))| {
            let m = chapter_marks.get(i).cloned().unwrap_or_default();
            let (cm, bm) = m.split_bio(ch.bio.is_some());
            (xhtml::chapter(ch, cp, &plan, cm), xhtml::bio(ch, &plan, bm))
        })
        .collect();
    let title_page = xhtml::title_page(book, &marks.title_start, &marks.imprint, &marks.title_end);
    let toc = nav::toc(book, &plan);
    let landmarks = nav::landmarks(book, &plan);
    // The page list, in reading order: each document's markers as written.
    let mut page_list: Vec<(String, u32)> = Vec::new();
    let mut list = |href: &str, pages: &[u32]| {
        for &n in pages {
            page_list.push((format!("{href}#page_{n}"), n));
        }
    };
    list(TITLE_PAGE, &title_page.pages);
    list(NAV, &marks.contents);
    for (cp, (c, b)) in plan.chapters.iter().zip(&rendered) {
        list(&cp.href, &c.pages);
        if let (Some(b), Some(href)) = (b, &cp.bio_href) {
            list(href, &b.pages);
        }
    }
    let nav_doc = nav::nav_document(book, &toc, &landmarks, &marks.contents, &page_list);
    let cover_doc = cover
        .zip(cover_ext)
        .map(|(c, ext)| xhtml::cover_page(book, &format!("images/cover.{ext}"), &c.alt));

    // Fonts, subset to what the documents set.
    let mut usage = Usage::default();
    for (c, b) in &rendered {
        usage.merge(&c.usage);
        if let Some(b) = b {
            usage.merge(&b.usage);
        }
    }
    usage.merge(&title_page.usage);
    usage.merge(&nav_doc.usage);
    let embedded = if book.settings.epub.embed_fonts {
        fonts::embed(&usage)?
    } else {
        Vec::new()
    };
    let stylesheet = css::stylesheet(&embedded, &book.settings.fonts);

    let has_images = cover.is_some() || !image_entries.is_empty();

    // Manifest (in a fixed order) and the files.
    let mut items: Vec<opf::Item> = Vec::new();
    let mut files: Vec<Entry> = Vec::new();
    let mut add = |items: &mut Vec<opf::Item>,
                   id: String,
                   href: String,
                   media_type: &'static str,
                   properties: Option<&'static str>,
                   in_spine: bool,
                   data: Vec<u8>| {
        let compress = !media_type.starts_with("image/");
        files.push(Entry {
            path: format!("EPUB/{href}"),
            data,
            compress,
        });
        items.push(opf::Item {
            id,
            href,
            media_type,
            properties,
            in_spine,
        });
    };
    const XHTML: &str = "application/xhtml+xml";
    if let Some(doc) = cover_doc {
        add(
            &mut items,
            "cover".into(),
            COVER_PAGE.into(),
            XHTML,
            None,
            true,
            doc.xhtml,
        );
    }
    add(
        &mut items,
        "titlepage".into(),
        TITLE_PAGE.into(),
        XHTML,
        None,
        true,
        title_page.xhtml,
    );
    add(
        &mut items,
        "nav".into(),
        NAV.into(),
        XHTML,
        Some("nav"),
        true,
        nav_doc.xhtml,
    );
    for ((ch, cp), (doc, bio)) in book.chapters.iter().zip(&plan.chapters).zip(rendered) {
        add(
            &mut items,
            format!("ch-{}", ch.id),
            cp.href.clone(),
            XHTML,
            None,
            true,
            doc.xhtml,
        );
        if let (Some(bio), Some(href)) = (bio, &cp.bio_href) {
            add(
                &mut items,
                format!("bio-{}", ch.id),
                href.clone(),
                XHTML,
                None,
                true,
                bio.xhtml,
            );
        }
    }
    add(
        &mut items,
        "css".into(),
        "css/book.css".into(),
        "text/css",
        None,
        false,
        stylesheet.into_bytes(),
    );
    for (i, f) in embedded.into_iter().enumerate() {
        add(
            &mut items,
            format!("font-{}", i + 1),
            format!("fonts/{}", f.file),
            "font/ttf",
            None,
            false,
            f.data,
        );
    }
    if let (Some(c), Some(ext)) = (cover, cover_ext) {
        add(
            &mut items,
            "cover-image".into(),
            format!("images/cover.{ext}"),
            if ext == "png" {
                "image/png"
            } else {
                "image/jpeg"
            },
            Some("cover-image"),
            false,
            c.raster.clone(),
        );
    }
    for (i, (href, p)) in image_entries.into_iter().enumerate() {
        add(
            &mut items,
            format!("img-{}", i + 1),
            href,
            p.media_type,
            None,
            false,
            p.data,
        );
    }
    add(
        &mut items,
        "ncx".into(),
        "toc.ncx".into(),
        "application/x-dtbncx+xml",
        None,
        false,
        nav::ncx(book, &toc),
    );

    let features = opf::Features {
        images: has_images,
        page_source: opts
            .print_pages
            .as_ref()
            .filter(|_| !page_list.is_empty())
            .map(|p| p.source.clone()),
    };
    let package = opf::package(
        book,
        &moment.w3cdtf(),
        &items,
        &features,
        cover.map(|_| "cover-image"),
    );

    let mut all = Vec::with_capacity(files.len() + 3);
    all.push(Entry {
        path: "META-INF/container.xml".into(),
        data: opf::container(OPF),
        compress: true,
    });
    all.push(Entry {
        path: OPF.into(),
        data: package,
        compress: true,
    });
    all.extend(files);
    zip_package(&all, moment.zip())
        .map_err(|e| Diagnostic::bug(format!("the EPUB could not be packaged: {e}")).into())
}

/// The OCF container: `mimetype` first and stored, then every file in the
/// given order, all with the same timestamp and permissions. Entries are
/// compressed in parallel and added in order, so the bytes do not depend on
/// the number of threads.
fn zip_package(entries: &[Entry], when: zip::DateTime) -> zip::result::ZipResult<Vec<u8>> {
    use zip::write::{PreparedZipFile, SimpleFileOptions};
    let base = SimpleFileOptions::default()
        .last_modified_time(when)
        .unix_permissions(0o644);
    let stored = base.compression_method(zip::CompressionMethod::Stored);
    // Level 6, zlib's default, for every compressed entry, fonts included.
    let deflated = base
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6));
    let prepared: Vec<PreparedZipFile> = entries
        .par_iter()
        .map(|e| {
            PreparedZipFile::from_data(
                e.path.as_str(),
                if e.compress { deflated } else { stored },
                &e.data,
            )
        })
        .collect::<Result<_, _>>()?;
    let total: usize = entries.iter().map(|e| e.data.len()).sum();
    // Room for all of it: compressed it is less (text and fonts) or the
    // same (the cover, stored), and growing the buffer would copy it.
    let mut zw = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(total + 4096)));
    zw.start_file("mimetype", stored)?;
    zw.write_all(b"application/epub+zip")?;
    for p in prepared {
        zw.add_prepared_file(p)?;
    }
    Ok(zw.finish()?.into_inner())
}

#[cfg(test)]
mod invariants;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_are_deflated_like_every_other_file() {
        // Text-like, so that the compression level shows in the size.
        let data: Vec<u8> = (0..8_000u32)
            .flat_map(|i| format!("w{} ", i * i % 997).into_bytes())
            .collect();
        let entry = |path: &str| Entry {
            path: path.to_string(),
            data: data.clone(),
            compress: true,
        };
        let bytes = zip_package(
            &[entry("EPUB/fonts/a.ttf"), entry("EPUB/a.bin")],
            zip::DateTime::default(),
        )
        .unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut size = |name: &str| {
            let f = zip.by_name(name).unwrap();
            assert_eq!(f.compression(), zip::CompressionMethod::Deflated);
            f.compressed_size()
        };
        let font = size("EPUB/fonts/a.ttf");
        let other = size("EPUB/a.bin");
        assert!(font < data.len() as u64);
        assert_eq!(font, other);
    }
}
