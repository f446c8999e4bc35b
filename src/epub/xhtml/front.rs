//! The title page and the cover page.

use super::doc::{Depth, Doc, Rendered};
use crate::epub::fonts::Style;
use crate::model::{Book, Role};
use crate::typography::{join_names, labels};

/// The title page: title, subtitle, creators, interviewees, imprint.
///
/// Print page markers: `start` at its start, `imprint` before the imprint
/// block (at the end when there is none), `end` at its end.
pub fn title_page(book: &Book, start: &[u32], imprint: &[u32], end: &[u32]) -> Rendered {
    let m = &book.meta;
    let lang = &m.language;
    let primary = lang.primary();
    let lab = labels(&primary);
    let mut d = Doc::new(lang, &m.title, Depth::Root, "frontmatter", 4096);
    d.start(
        "section",
        &[
            ("class", "titlepage"),
            ("epub:type", "titlepage"),
            ("aria-labelledby", "titlepage_h"),
        ],
    );
    d.nl();
    d.page_breaks(start);
    d.styled(Style::DISPLAY_BOLD, |d| {
        d.elem("h1", &[("id", "titlepage_h"), ("class", "title")], &m.title)
    });
    d.nl();
    if let Some(s) = &m.subtitle {
        d.styled(Style::DISPLAY, |d| d.elem("p", &[("class", "subtitle")], s));
        d.nl();
    }
    // Interviewees in order of appearance, each once.
    let mut people: Vec<String> = Vec::new();
    for c in &book.chapters {
        for n in &c.interviewees {
            if !people.contains(n) {
                people.push(n.clone());
            }
        }
    }
    let authors_are_interviewees =
        !m.authors.is_empty() && m.authors.iter().all(|a| people.contains(a));
    if !m.authors.is_empty() && !authors_are_interviewees {
        d.elem(
            "p",
            &[("class", "creators")],
            &join_names(&m.authors, &primary),
        );
        d.nl();
    }
    let editors: Vec<String> = m.people(Role::Editor).map(str::to_string).collect();
    if m.authors.is_empty() && !editors.is_empty() {
        let line = format!("{} {}", lab.edited_by, join_names(&editors, &primary));
        d.elem("p", &[("class", "creators")], &line);
        d.nl();
    }
    if book.chapters.len() == 1 && !people.is_empty() {
        let line = format!("{} {}", lab.interview_with, join_names(&people, &primary));
        d.styled(Style::BODY.italic(true), |d| {
            d.elem("p", &[("class", "interviewees")], &line)
        });
        d.nl();
    } else if !people.is_empty() && people.len() <= 6 {
        let line = join_names(&people, &primary);
        d.styled(Style::BODY.italic(true), |d| {
            d.elem("p", &[("class", "interviewees")], &line)
        });
        d.nl();
    }
    let has_imprint = m.publisher.is_some() || m.date.is_some() || m.rights.is_some();
    if has_imprint {
        d.page_breaks(imprint);
        d.start("div", &[("class", "imprint")]);
        d.nl();
        d.styled(Style::DISPLAY, |d| {
            if let Some(p) = &m.publisher {
                d.elem("p", &[("class", "publisher")], p);
                d.nl();
            }
            if let Some(date) = &m.date {
                d.elem(
                    "p",
                    &[("class", "date")],
                    &crate::epub::time::human_date(date, &primary),
                );
                d.nl();
            }
        });
        if let Some(r) = &m.rights {
            d.elem("p", &[("class", "rights")], r);
            d.nl();
        }
        d.end("div");
        d.nl();
    } else {
        d.page_breaks(imprint);
    }
    d.page_breaks(end);
    d.end("section");
    d.nl();
    d.finish()
}

/// The cover page: the cover picture, full page, with its alternative text.
pub fn cover_page(book: &Book, href: &str, alt: &str) -> Rendered {
    let lab = labels(&book.meta.language.primary());
    let mut d = Doc::new(&book.meta.language, lab.cover, Depth::Root, "cover", 1024);
    d.start("section", &[("class", "cover"), ("epub:type", "cover")]);
    d.empty(
        "img",
        &[
            ("src", href),
            ("alt", alt),
            ("role", "doc-cover"),
            ("class", "cover-image"),
        ],
    );
    d.end("section");
    d.nl();
    d.finish()
}

/// An `img` in a chapter document, with its size so that reading systems
/// can lay the page out before the picture loads.
pub(super) fn img_element(d: &mut Doc, (href, w, h): (&str, u32, u32), alt: &str) {
    d.empty(
        "img",
        &[
            ("src", &format!("../{href}")),
            ("alt", alt),
            ("width", &w.to_string()),
            ("height", &h.to_string()),
        ],
    );
}
