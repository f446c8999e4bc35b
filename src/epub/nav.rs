//! The navigation document (EPUB 3: contents and landmarks) and the NCX
//! (EPUB 2, for older reading systems), written with quick-xml.

use super::Plan;
use super::fonts::Style;
use super::xhtml::{Depth, Doc, ENDNOTES_ID, Rendered};
use super::xml::Xml;
use crate::model::{Book, plain_text};
use crate::typography::labels;

/// One entry of the table of contents, with its children.
pub struct Entry {
    pub label: String,
    /// Relative to the package document's folder.
    pub href: String,
    pub children: Vec<Entry>,
}

/// The table of contents: chapters, and at `toc-depth = 2` their questions,
/// endnotes and bio.
pub fn toc(book: &Book, plan: &Plan) -> Vec<Entry> {
    let deep = book.settings.epub.toc_depth >= 2;
    book.chapters
        .iter()
        .zip(&plan.chapters)
        .map(|(ch, cp)| {
            let lab = labels(&ch.lang.primary());
            let mut children = Vec::new();
            if deep {
                for (e, id) in ch.exchanges.iter().zip(&cp.question_ids) {
                    children.push(Entry {
                        label: plain_text(&e.question.content),
                        href: format!("{}#{id}", cp.href),
                        children: Vec::new(),
                    });
                }
                if !ch.notes.is_empty() {
                    children.push(Entry {
                        label: lab.endnotes.to_string(),
                        href: format!("{}#{ENDNOTES_ID}", cp.href),
                        children: Vec::new(),
                    });
                }
                if let Some(b) = &cp.bio_href {
                    children.push(Entry {
                        label: lab.about_interviewee.to_string(),
                        href: b.clone(),
                        children: Vec::new(),
                    });
                }
            }
            Entry {
                label: plain_text(&ch.title),
                href: cp.href.clone(),
                children,
            }
        })
        .collect()
}

/// A landmark: its `epub:type`, label and target.
pub struct Landmark {
    pub kind: &'static str,
    pub label: &'static str,
    pub href: String,
}

pub fn landmarks(book: &Book, plan: &Plan) -> Vec<Landmark> {
    let lab = labels(&book.meta.language.primary());
    let mut out = Vec::new();
    if let Some(c) = &plan.cover_page {
        out.push(Landmark {
            kind: "cover",
            label: lab.cover,
            href: c.clone(),
        });
    }
    out.push(Landmark {
        kind: "titlepage",
        label: lab.title_page,
        href: super::TITLE_PAGE.to_string(),
    });
    out.push(Landmark {
        kind: "toc",
        label: lab.contents,
        href: format!("{}#toc", super::NAV),
    });
    if let Some(first) = plan.chapters.first() {
        out.push(Landmark {
            kind: "bodymatter",
            label: lab.start_of_text,
            href: first.href.clone(),
        });
    }
    // One endnotes landmark: the first chapter that has notes.
    if let Some((_, cp)) = book
        .chapters
        .iter()
        .zip(&plan.chapters)
        .find(|(c, _)| !c.notes.is_empty())
    {
        out.push(Landmark {
            kind: "endnotes",
            label: lab.endnotes,
            href: format!("{}#{ENDNOTES_ID}", cp.href),
        });
    }
    out
}

/// `nav.xhtml`: the contents (shown, and in the spine), the landmarks and
/// the print page list (hidden: reading systems show them in their own
/// menus and "go to page" boxes).
///
/// `contents`: the print contents pages, marked before the contents;
/// `page_list`: every print page's marker (href, number) in reading order.
pub fn nav_document(
    book: &Book,
    toc: &[Entry],
    landmarks: &[Landmark],
    contents: &[u32],
    page_list: &[(String, u32)],
) -> Rendered {
    let lang = &book.meta.language;
    let lab = labels(&lang.primary());
    let mut d = Doc::new(
        lang,
        lab.contents,
        Depth::Root,
        "frontmatter",
        8192 + 64 * page_list.len(),
    );
    d.page_breaks(contents);
    d.start(
        "nav",
        &[
            ("id", "toc"),
            ("class", "toc"),
            ("epub:type", "toc"),
            ("role", "doc-toc"),
            ("aria-labelledby", "toc_h"),
        ],
    );
    d.nl();
    d.styled(Style::DISPLAY_BOLD, |d| {
        d.elem(
            "h1",
            &[("id", "toc_h"), ("class", "toc-title")],
            lab.contents,
        )
    });
    d.nl();
    entries(&mut d, toc, 1);
    d.end("nav");
    d.nl();
    hidden_nav(&mut d, "landmarks", None, lab.landmarks, |d| {
        for l in landmarks {
            link_item(d, &[("epub:type", l.kind), ("href", &l.href)], l.label);
        }
    });
    if !page_list.is_empty() {
        hidden_nav(
            &mut d,
            "page-list",
            Some("doc-pagelist"),
            lab.page_list,
            |d| {
                for (href, n) in page_list {
                    link_item(d, &[("href", href)], &n.to_string());
                }
            },
        );
    }
    d.finish()
}

/// A navigation list for reading systems only (`hidden`): the nav of
/// type `kind` (also its id), a heading, and the items `items` writes.
fn hidden_nav(
    d: &mut Doc,
    kind: &str,
    role: Option<&str>,
    heading: &str,
    items: impl FnOnce(&mut Doc),
) {
    let heading_id = format!("{kind}_h");
    let mut attrs = vec![("id", kind), ("epub:type", kind)];
    attrs.extend(role.map(|r| ("role", r)));
    attrs.extend([
        ("aria-labelledby", heading_id.as_str()),
        ("hidden", "hidden"),
    ]);
    d.start("nav", &attrs);
    d.nl();
    d.elem("h2", &[("id", &heading_id)], heading);
    d.nl();
    d.start("ol", &[]);
    d.nl();
    items(d);
    d.end("ol");
    d.nl();
    d.end("nav");
    d.nl();
}

/// One list item holding a link.
fn link_item(d: &mut Doc, attrs: &[(&str, &str)], text: &str) {
    d.start("li", &[]);
    d.start("a", attrs);
    d.text(text);
    d.end("a");
    d.end("li");
    d.nl();
}

fn entries(d: &mut Doc, list: &[Entry], depth: usize) {
    d.start(
        "ol",
        &[("class", if depth == 1 { "toc-1" } else { "toc-2" })],
    );
    d.nl();
    for e in list {
        d.start("li", &[]);
        d.start("a", &[("href", &e.href)]);
        if depth == 1 {
            d.styled(Style::DISPLAY_BOLD, |d| d.text(&e.label));
        } else {
            d.text(&e.label);
        }
        d.end("a");
        if !e.children.is_empty() {
            d.nl();
            entries(d, &e.children, depth + 1);
        }
        d.end("li");
        d.nl();
    }
    d.end("ol");
    d.nl();
}

/// `toc.ncx`: the same contents for EPUB 2 reading systems.
pub fn ncx(book: &Book, toc: &[Entry]) -> Vec<u8> {
    let m = &book.meta;
    let depth = if toc.iter().any(|e| !e.children.is_empty()) {
        "2"
    } else {
        "1"
    };
    let mut x = Xml::new(4096);
    x.start(
        "ncx",
        &[
            ("xmlns", "http://www.daisy.org/z3986/2005/ncx/"),
            ("version", "2005-1"),
            ("xml:lang", m.language.as_str()),
        ],
    );
    x.nl();
    x.start("head", &[]);
    x.nl();
    for (name, content) in [
        ("dtb:uid", m.identifier.as_str()),
        ("dtb:depth", depth),
        ("dtb:totalPageCount", "0"),
        ("dtb:maxPageNumber", "0"),
    ] {
        x.empty("meta", &[("name", name), ("content", content)]);
        x.nl();
    }
    x.end("head");
    x.nl();
    x.start("docTitle", &[]);
    x.elem("text", &[], &m.title);
    x.end("docTitle");
    x.nl();
    x.start("navMap", &[]);
    x.nl();
    let mut order = 0;
    nav_points(&mut x, toc, &mut order);
    x.end("navMap");
    x.nl();
    x.end("ncx");
    x.nl();
    x.finish()
}

fn nav_points(x: &mut Xml, list: &[Entry], order: &mut usize) {
    for e in list {
        *order += 1;
        let id = format!("np-{order}");
        let po = order.to_string();
        x.start("navPoint", &[("id", &id), ("playOrder", &po)]);
        x.nl();
        x.start("navLabel", &[]);
        x.elem("text", &[], &e.label);
        x.end("navLabel");
        x.nl();
        x.empty("content", &[("src", &e.href)]);
        x.nl();
        nav_points(x, &e.children, order);
        x.end("navPoint");
        x.nl();
    }
}
