//! The package document (`package.opf`, EPUB 3.3): metadata, including the
//! accessibility metadata of EPUB Accessibility 1.1, manifest and spine.

use super::xml::Xml;
use crate::model::is_blank;
use crate::model::{Book, Lang, Role, file_as};

/// A manifest entry.
pub struct Item {
    pub id: String,
    pub href: String,
    pub media_type: &'static str,
    pub properties: Option<&'static str>,
    pub in_spine: bool,
}

/// What the accessibility metadata depends on.
pub struct Features {
    /// The book shows pictures (figures, portraits, a cover).
    pub images: bool,
    /// The print edition's identifier when the EPUB marks its pages.
    pub page_source: Option<String>,
}

/// A person, how they are filed, and the MARC relator codes of what they did.
struct Person {
    name: String,
    file_as: String,
    roles: Vec<&'static str>,
}

/// Adds `role` to the person called `name` in `list`, or adds the person.
fn add_role(list: &mut Vec<Person>, name: &str, file_as: String, role: &'static str) {
    if is_blank(name) {
        return;
    }
    match list.iter_mut().find(|p| p.name == name) {
        Some(p) if !p.roles.contains(&role) => p.roles.push(role),
        Some(_) => {}
        None => list.push(Person {
            name: name.to_string(),
            file_as,
            roles: vec![role],
        }),
    }
}

/// Who made the book, as stores and library software read it: the
/// creators and the contributors.
///
/// The creators are the `authors` (`aut`, which is what calibre, Kindle
/// libraries and stores list a book by) or, for a book with none, its
/// editors (`edt`). Everyone else named in `[book]` (editors, translators,
/// photographers, illustrators) and the chapters' interviewees (`ive`) and
/// interviewers (`ivr`) are contributors; someone named twice is one
/// person with both roles.
fn people(book: &Book) -> (Vec<Person>, Vec<Person>) {
    let m = &book.meta;
    let mut creators: Vec<Person> = Vec::new();
    for (i, a) in m.authors.iter().enumerate() {
        add_role(&mut creators, a, m.author_file_as(i), "aut");
    }
    let mut contributors: Vec<Person> = Vec::new();
    for c in &m.contributors {
        let creator = (m.authors.is_empty() && c.role == Role::Editor)
            || creators.iter().any(|p| p.name == c.name);
        let list = if creator {
            &mut creators
        } else {
            &mut contributors
        };
        add_role(list, &c.name, file_as(&c.name), c.role.marc());
    }
    let chapter_people = book.chapters.iter().flat_map(|c| {
        c.interviewees
            .iter()
            .map(|n| (n, "ive"))
            .chain(c.interviewer.iter().map(|n| (n, "ivr")))
    });
    for (name, role) in chapter_people {
        let list = if creators.iter().any(|p| &p.name == name) {
            &mut creators
        } else {
            &mut contributors
        };
        add_role(list, name, file_as(name), role);
    }
    (creators, contributors)
}

/// The package document.
pub fn package(
    book: &Book,
    modified: &str,
    items: &[Item],
    features: &Features,
    cover_image_id: Option<&str>,
) -> Vec<u8> {
    let m = &book.meta;
    let mut x = Xml::new(8192);
    x.start(
        "package",
        &[
            ("xmlns", "http://www.idpf.org/2007/opf"),
            ("version", "3.0"),
            ("unique-identifier", "pub-id"),
            ("xml:lang", m.language.as_str()),
            (
                "prefix",
                "ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/",
            ),
        ],
    );
    x.nl();
    x.start(
        "metadata",
        &[("xmlns:dc", "http://purl.org/dc/elements/1.1/")],
    );
    x.nl();
    let meta = |x: &mut Xml, property: &str, value: &str| {
        x.elem("meta", &[("property", property)], value);
        x.nl();
    };
    let refine = |x: &mut Xml, id: &str, property: &str, value: &str, scheme: Option<&str>| {
        let target = format!("#{id}");
        match scheme {
            Some(s) => x.elem(
                "meta",
                &[("refines", &target), ("property", property), ("scheme", s)],
                value,
            ),
            None => x.elem(
                "meta",
                &[("refines", &target), ("property", property)],
                value,
            ),
        }
        x.nl();
    };

    x.elem("dc:identifier", &[("id", "pub-id")], &m.identifier);
    x.nl();
    x.elem("dc:title", &[("id", "title")], &m.title);
    x.nl();
    refine(&mut x, "title", "title-type", "main", None);
    // The reader refuses blank values; what might slip through is left out
    // rather than written as an empty element (EPUBCheck RSC-005).
    let given = |v: &Option<String>| v.clone().filter(|v| !is_blank(v));
    if let Some(sub) = &given(&m.subtitle) {
        x.elem("dc:title", &[("id", "subtitle")], sub);
        x.nl();
        refine(&mut x, "subtitle", "title-type", "subtitle", None);
    }
    // The book's language first, then any other a chapter is written in.
    let mut langs: Vec<&Lang> = vec![&m.language];
    for c in &book.chapters {
        if !langs.contains(&&c.lang) {
            langs.push(&c.lang);
        }
    }
    for l in langs {
        x.elem("dc:language", &[], l.as_str());
        x.nl();
    }
    let (creators, contributors) = people(book);
    for (kind, list) in [("creator", &creators), ("contributor", &contributors)] {
        for (i, p) in list.iter().enumerate() {
            let id = format!("{kind}-{}", i + 1);
            x.elem(&format!("dc:{kind}"), &[("id", &id)], &p.name);
            x.nl();
            if !is_blank(&p.file_as) {
                refine(&mut x, &id, "file-as", &p.file_as, None);
            }
            for r in &p.roles {
                refine(&mut x, &id, "role", r, Some("marc:relators"));
            }
        }
    }
    if let Some(p) = &given(&m.publisher) {
        x.elem("dc:publisher", &[], p);
        x.nl();
    }
    if let Some(d) = &m.date {
        x.elem("dc:date", &[], d);
        x.nl();
    }
    if let Some(r) = &given(&m.rights) {
        x.elem("dc:rights", &[], r);
        x.nl();
    }
    if let Some(d) = &given(&m.description) {
        x.elem("dc:description", &[], d);
        x.nl();
    }
    if let Some(src) = &features.page_source {
        // The page breaks' source: `dc:source` refined by `source-of`
        // (EPUB 3.3), and `pageBreakSource` (EPUB Accessibility 1.1's
        // page source identification, which EPUBCheck 5 accepts).
        x.elem("dc:source", &[("id", "print-source")], src);
        x.nl();
        refine(&mut x, "print-source", "source-of", "pagination", None);
    }
    for s in m.subject.iter().chain(&m.keywords).filter(|s| !is_blank(s)) {
        x.elem("dc:subject", &[], s);
        x.nl();
    }
    meta(&mut x, "dcterms:modified", modified);
    if let Some(src) = &features.page_source {
        meta(&mut x, "pageBreakSource", src);
    }

    // Accessibility (EPUB Accessibility 1.1, schema.org properties).
    meta(&mut x, "schema:accessMode", "textual");
    if features.images {
        meta(&mut x, "schema:accessMode", "visual");
    }
    // Every picture has a text alternative, so text alone suffices.
    meta(&mut x, "schema:accessModeSufficient", "textual");
    if features.images {
        meta(&mut x, "schema:accessModeSufficient", "textual,visual");
    }
    let mut feats = vec![
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
        "ARIA",
    ];
    if features.images {
        feats.push("alternativeText");
    }
    if features.page_source.is_some() {
        feats.push("pageBreakMarkers");
        feats.push("pageNavigation");
    }
    for f in feats {
        meta(&mut x, "schema:accessibilityFeature", f);
    }
    meta(&mut x, "schema:accessibilityHazard", "none");
    let mut summary = String::from(
        "This publication meets WCAG 2.2 Level AA. It has a table of contents, landmarks and headings for every chapter and question; ",
    );
    if features.images {
        summary.push_str("every picture has a text alternative; ");
    }
    if features.page_source.is_some() {
        summary.push_str("the page breaks of the print edition are marked where each page begins and listed in a page list; ");
    }
    summary.push_str("endnotes link both ways; pull quotes, which repeat the text, are hidden from assistive technology; text and fonts can be changed by the reader.");
    let summary = summary.as_str();
    // The summary is written in English; say so when the book is not.
    if m.language.primary() == "en" {
        meta(&mut x, "schema:accessibilitySummary", summary);
    } else {
        x.elem(
            "meta",
            &[
                ("property", "schema:accessibilitySummary"),
                ("xml:lang", "en"),
            ],
            summary,
        );
        x.nl();
    }
    meta(
        &mut x,
        "dcterms:conformsTo",
        "EPUB Accessibility 1.1 - WCAG 2.2 Level AA",
    );
    if let Some(by) = m.publisher.as_ref().or(m.authors.first()) {
        meta(&mut x, "a11y:certifiedBy", by);
    }
    // Apple Books uses the embedded fonts only when asked to.
    meta(&mut x, "ibooks:specified-fonts", "true");
    if let Some(id) = cover_image_id {
        // EPUB 2 reading systems (and Kindle) find the cover by this.
        x.empty("meta", &[("name", "cover"), ("content", id)]);
        x.nl();
    }
    x.end("metadata");
    x.nl();

    x.start("manifest", &[]);
    x.nl();
    for it in items {
        let mut a: Vec<(&str, &str)> = vec![
            ("id", &it.id),
            ("href", &it.href),
            ("media-type", it.media_type),
        ];
        if let Some(p) = it.properties {
            a.push(("properties", p));
        }
        x.empty("item", &a);
        x.nl();
    }
    x.end("manifest");
    x.nl();
    x.start("spine", &[("toc", "ncx")]);
    x.nl();
    for it in items.iter().filter(|i| i.in_spine) {
        x.empty("itemref", &[("idref", &it.id)]);
        x.nl();
    }
    x.end("spine");
    x.nl();
    x.end("package");
    x.nl();
    x.finish()
}

/// `META-INF/container.xml`.
pub fn container(opf_path: &str) -> Vec<u8> {
    let mut x = Xml::new(256);
    x.start(
        "container",
        &[
            ("version", "1.0"),
            ("xmlns", "urn:oasis:names:tc:opendocument:xmlns:container"),
        ],
    );
    x.nl();
    x.start("rootfiles", &[]);
    x.nl();
    x.empty(
        "rootfile",
        &[
            ("full-path", opf_path),
            ("media-type", "application/oebps-package+xml"),
        ],
    );
    x.nl();
    x.end("rootfiles");
    x.nl();
    x.end("container");
    x.nl();
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Chapter, Contributor, Metadata, Settings, Span};

    fn chapter(interviewees: &[&str], interviewer: Option<&str>) -> Chapter {
        Chapter {
            file: "c.md".into(),
            id: "c".into(),
            title: Vec::new(),
            standfirst: None,
            running_head: None,
            interviewees: interviewees.iter().map(|s| s.to_string()).collect(),
            interviewer: interviewer.map(str::to_string),
            date: None,
            lang: Lang::english(),
            intro: Vec::new(),
            exchanges: Vec::new(),
            notes: Vec::new(),
            bio: None,
            span: Span::default(),
        }
    }

    fn opf(meta: Metadata, chapters: Vec<Chapter>) -> String {
        let book = Book {
            meta: Metadata {
                title: "T".into(),
                identifier: "urn:uuid:x".into(),
                ..meta
            },
            settings: Settings::default(),
            cover: None,
            chapters,
            root: "b".into(),
        };
        let features = Features {
            images: false,
            page_source: None,
        };
        String::from_utf8(package(&book, "2024-01-01T00:00:00Z", &[], &features, None)).unwrap()
    }

    fn person(kind: &str, n: usize, name: &str, file_as: &str, roles: &[&str]) -> String {
        let id = format!("{kind}-{n}");
        let mut s = format!(
            "<dc:{kind} id=\"{id}\">{name}</dc:{kind}>\n<meta refines=\"#{id}\" property=\"file-as\">{file_as}</meta>\n"
        );
        for r in roles {
            s.push_str(&format!(
                "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">{r}</meta>\n"
            ));
        }
        s
    }

    #[test]
    fn authors_are_creators_and_everyone_else_contributes() {
        let meta = Metadata {
            authors: vec!["Alikhan Baimenov".into(), "Jane Roe".into()],
            authors_sort: vec!["Baimenov, A.".into(), "Roe, Jane".into()],
            contributors: vec![
                Contributor {
                    name: "Ed Itor".into(),
                    role: Role::Editor,
                },
                Contributor {
                    name: "Jane Roe".into(),
                    role: Role::Translator,
                },
                Contributor {
                    name: "Pho Tog".into(),
                    role: Role::Photographer,
                },
            ],
            ..Metadata::default()
        };
        let x = opf(
            meta,
            vec![
                chapter(&["Alikhan Baimenov"], Some("Ask Er")),
                chapter(&["Other Person"], None),
            ],
        );
        let expected = [
            person(
                "creator",
                1,
                "Alikhan Baimenov",
                "Baimenov, A.",
                &["aut", "ive"],
            ),
            person("creator", 2, "Jane Roe", "Roe, Jane", &["aut", "trl"]),
            person("contributor", 1, "Ed Itor", "Itor, Ed", &["edt"]),
            person("contributor", 2, "Pho Tog", "Tog, Pho", &["pht"]),
            person("contributor", 3, "Ask Er", "Er, Ask", &["ivr"]),
            person("contributor", 4, "Other Person", "Person, Other", &["ive"]),
        ]
        .concat();
        assert!(x.contains(&expected), "{x}");
        assert_eq!(x.matches("<dc:creator").count(), 2);
        assert_eq!(x.matches("<dc:contributor").count(), 4);
    }

    #[test]
    fn a_book_without_authors_is_by_its_editors() {
        let meta = Metadata {
            contributors: vec![Contributor {
                name: "Ed Itor".into(),
                role: Role::Editor,
            }],
            ..Metadata::default()
        };
        let x = opf(meta, vec![chapter(&["Alikhan Baimenov"], None)]);
        let expected = [
            person("creator", 1, "Ed Itor", "Itor, Ed", &["edt"]),
            person(
                "contributor",
                1,
                "Alikhan Baimenov",
                "Baimenov, Alikhan",
                &["ive"],
            ),
        ]
        .concat();
        assert!(x.contains(&expected), "{x}");
        assert!(!x.contains(">aut<"));
    }
}
