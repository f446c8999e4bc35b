//! The navigation document (EPUB 3: contents and landmarks) and the NCX
//! (EPUB 2, for older reading systems), written with quick-xml.

use super::Plan;
use super::fonts::Style;
use super::xhtml::{Depth, Doc, ENDNOTES_ID, Rendered};
use super::xml::Xml;
use crate::model::{Book, Inline, Lang, plain_text};
use crate::typography::labels;

/// One entry of the table of contents, with its children.
pub struct Entry {
    /// The label as plain text (for the NCX, which has no language spans).
    pub label: String,
    /// The language of the chapter the entry leads to.
    pub lang: Lang,
    /// The label as runs of text by language: a phrase in another
    /// language keeps its `lang` in the contents as in the text.
    pub runs: Vec<(Lang, String)>,
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
                    children.push(Entry::of(
                        &e.question.content,
                        &ch.lang,
                        format!("{}#{id}", cp.href),
                    ));
                }
                if !ch.notes.is_empty() {
                    children.push(Entry::plain(
                        lab.endnotes,
                        &ch.lang,
                        format!("{}#{ENDNOTES_ID}", cp.href),
                    ));
                }
                if let Some(b) = &cp.bio_href {
                    children.push(Entry::plain(lab.about_interviewee, &ch.lang, b.clone()));
                }
            }
            Entry {
                children,
                ..Entry::of(&ch.title, &ch.lang, cp.href.clone())
            }
        })
        .collect()
}

impl Entry {
    /// An entry labelled with `inlines` of a chapter in `lang`.
    fn of(inlines: &[Inline], lang: &Lang, href: String) -> Entry {
        let mut runs = Vec::new();
        lang_runs(inlines, lang, &mut runs);
        Entry {
            label: plain_text(inlines),
            lang: lang.clone(),
            runs,
            href,
            children: Vec::new(),
        }
    }

    /// An entry labelled with a fixed text in `lang`.
    fn plain(label: &str, lang: &Lang, href: String) -> Entry {
        Entry {
            label: label.to_string(),
            lang: lang.clone(),
            runs: vec![(lang.clone(), label.to_string())],
            href,
            children: Vec::new(),
        }
    }
}

/// The text of `inlines` as runs by language (as [`plain_text`] reads it).
fn lang_runs(inlines: &[Inline], lang: &Lang, out: &mut Vec<(Lang, String)>) {
    let push = |s: &str, out: &mut Vec<(Lang, String)>| match out.last_mut() {
        Some((l, t)) if l == lang => t.push_str(s),
        _ if s.is_empty() => {}
        _ => out.push((lang.clone(), s.to_string())),
    };
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => push(t, out),
            Inline::LineBreak => push(" ", out),
            Inline::NoteRef(_) => {}
            Inline::Foreign { lang: l, content } => lang_runs(content, l, out),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Link { content: c, .. } => lang_runs(c, lang, out),
        }
    }
}

/// `lang` and `xml:lang` (and `dir` for a right-to-left language).
fn lang_attrs(lang: &Lang) -> Vec<(&'static str, &str)> {
    let tag = lang.as_str();
    let mut a = vec![("lang", tag), ("xml:lang", tag)];
    if lang.is_rtl() {
        a.push(("dir", "rtl"));
    }
    a
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
    entries(&mut d, toc, 1, lang);
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

fn entries(d: &mut Doc, list: &[Entry], depth: usize, doc_lang: &Lang) {
    d.start(
        "ol",
        &[("class", if depth == 1 { "toc-1" } else { "toc-2" })],
    );
    d.nl();
    for e in list {
        d.start("li", &[]);
        let mut attrs = vec![("href", e.href.as_str())];
        if e.lang != *doc_lang {
            attrs.extend(lang_attrs(&e.lang));
        }
        d.start("a", &attrs);
        let style = if depth == 1 {
            Style::DISPLAY_BOLD
        } else {
            Style::BODY
        };
        d.styled(style, |d| {
            for (l, t) in &e.runs {
                if *l == e.lang {
                    d.text(t);
                } else {
                    d.start("span", &lang_attrs(l));
                    d.text(t);
                    d.end("span");
                }
            }
        });
        d.end("a");
        if !e.children.is_empty() {
            d.nl();
            entries(d, &e.children, depth + 1, doc_lang);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::epub::ChapterPlan;
    use crate::model::{Chapter, Exchange, Metadata, Question, Settings, Span};

    fn t(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    #[test]
    fn contents_keep_the_language_of_every_phrase() {
        let ar = Lang::parse("ar").unwrap();
        let kk = Lang::parse("kk").unwrap();
        let chapter = Chapter {
            file: "c.md".into(),
            id: "c".into(),
            title: vec![
                t("Salam, "),
                Inline::Foreign {
                    lang: ar.clone(),
                    content: vec![Inline::Emphasis(vec![t("\u{633}\u{644}\u{627}\u{645}")])],
                },
                t("!"),
            ],
            standfirst: None,
            running_head: None,
            interviewees: Vec::new(),
            interviewer: None,
            date: None,
            lang: kk.clone(),
            intro: Vec::new(),
            exchanges: vec![Exchange {
                question: Question {
                    id: "q1".into(),
                    content: vec![t("\u{421}\u{4b1}\u{440}\u{430}\u{49b}?")],
                    span: Span::default(),
                },
                answer: Vec::new(),
            }],
            notes: Vec::new(),
            bio: None,
            span: Span::default(),
        };
        let mut settings = Settings::default();
        settings.epub.toc_depth = 2;
        let book = Book {
            meta: Metadata {
                title: "T".into(),
                ..Metadata::default()
            },
            settings,
            cover: None,
            chapters: vec![chapter],
            root: "b".into(),
        };
        let plan = Plan {
            chapters: vec![ChapterPlan {
                href: "text/c.xhtml".into(),
                bio_href: None,
                question_ids: vec!["q1".into()],
            }],
            images: Default::default(),
            cover_page: None,
        };
        let toc = toc(&book, &plan);
        assert_eq!(toc[0].label, "Salam, \u{633}\u{644}\u{627}\u{645}!");
        let x = String::from_utf8(nav_document(&book, &toc, &[], &[], &[]).xhtml).unwrap();
        assert!(x.contains("<a href=\"text/c.xhtml\" lang=\"kk\" xml:lang=\"kk\">Salam, <span lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">\u{633}\u{644}\u{627}\u{645}</span>!</a>"), "{x}");
        assert!(x.contains("<a href=\"text/c.xhtml#q1\" lang=\"kk\" xml:lang=\"kk\">\u{421}\u{4b1}\u{440}\u{430}\u{49b}?</a>"), "{x}");
    }
}
