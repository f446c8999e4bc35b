//! The package document (`package.opf`, EPUB 3.3): metadata, including the
//! accessibility metadata of EPUB Accessibility 1.1, manifest and spine.

use super::xml::Xml;
use crate::model::{Book, Lang};
use crate::source::config::is_blank;

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

/// A person and the MARC relator codes of what they did.
struct Person {
    name: String,
    roles: Vec<&'static str>,
}

/// Who made the book: the `authors` as creators and everyone else named by
/// the chapters as contributors.
///
/// In an interview book a creator who gave interviews is an interviewee
/// (`ive`), one who conducted them an interviewer (`ivr`); a creator who
/// did neither compiled and edited the interviews (`edt`).
fn people(book: &Book) -> (Vec<Person>, Vec<Person>) {
    let mut interviewees: Vec<&str> = Vec::new();
    let mut interviewers: Vec<&str> = Vec::new();
    for c in &book.chapters {
        for n in &c.interviewees {
            if !interviewees.contains(&n.as_str()) {
                interviewees.push(n);
            }
        }
        if let Some(i) = &c.interviewer
            && !interviewers.contains(&i.as_str())
        {
            interviewers.push(i);
        }
    }
    let roles_of = |name: &str| {
        let mut r = Vec::new();
        if interviewees.contains(&name) {
            r.push("ive");
        }
        if interviewers.contains(&name) {
            r.push("ivr");
        }
        r
    };
    let creators: Vec<Person> = book
        .meta
        .authors
        .iter()
        .filter(|a| !is_blank(a))
        .map(|a| {
            let mut roles = roles_of(a);
            if roles.is_empty() {
                roles.push("edt");
            }
            Person {
                name: a.clone(),
                roles,
            }
        })
        .collect();
    let mut contributors: Vec<Person> = Vec::new();
    for n in interviewees.iter().chain(&interviewers) {
        if is_blank(n)
            || book.meta.authors.iter().any(|a| a == n)
            || contributors.iter().any(|p| p.name == *n)
        {
            continue;
        }
        contributors.push(Person {
            name: n.to_string(),
            roles: roles_of(n),
        });
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
