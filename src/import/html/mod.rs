//! A saved web page → units.
//!
//! Parsed with html5ever (through `scraper`), the HTML5 parser browsers
//! specify, so broken markup is read the way a browser reads it and
//! entities are decoded. A small tree sink wrapper records the line of every
//! element for the report. Nothing is ever fetched: pictures are used only
//! when the saved page's folder has them.
//!
//! The article is found (`<article>`, an `articleBody`/`entry-content`
//! block, `<main>`, or the element with the densest paragraph text), then
//! walked in document order. Page furniture is recognised by element
//! (`nav`, `form`, `aside`, `footer`) and by class or id (`share`,
//! `newsletter`, `cookie`, `related` …); scripts, styles and tracking pixels
//! are ignored outright.

mod article;
mod blocks;
mod classes;
mod dom;
mod extract;
mod inline;
mod media;
mod meta;
mod nesting;
mod parse;

pub use inline::normalize;
pub(crate) use inline::{split_bold_lead, whole_style};
pub use nesting::{MAX_HTML_ELEMENTS, MAX_HTML_NESTING, shape};

use super::report::Report;
use super::unit::{Hint, Kind, PageMeta, Unit};
use crate::model::{FileId, Inline};
use article::{common_ancestor, find_article, in_chrome, outside};
use classes::{is_bio_block, is_dek};
use dom::{N, find_first, tag, tokens};
use ego_tree::NodeId;
use meta::{base_url, page_meta};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A picture of the saved page to copy into the book's `images/`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageCopy {
    pub from: PathBuf,
    /// Path in the book folder (`images/x.jpg`).
    pub to: String,
    /// The picture's bytes, when it came out of a document rather than
    /// from a file beside the page (`from` is then unused).
    pub data: Option<Vec<u8>>,
}

/// What reading a page gave.
pub struct Page {
    pub units: Vec<Unit>,
    pub meta: PageMeta,
    pub images: Vec<ImageCopy>,
}

struct Reader<'a> {
    file: FileId,
    lines: &'a HashMap<NodeId, u32>,
    line_starts: Vec<usize>,
    base_dir: Option<PathBuf>,
    base_url: Option<String>,
    doc_lang: Option<String>,
    /// Note element → key (0-based, document order).
    note_keys: HashMap<NodeId, u32>,
    /// Target ids of note links → note element.
    note_ids: HashMap<String, NodeId>,
    emitted_notes: HashSet<NodeId>,
    units: Vec<Unit>,
    images: Vec<ImageCopy>,
    image_names: HashSet<String>,
    title_done: bool,
    standfirst_done: bool,
    /// Set after a "Notes" heading: the next list holds the notes.
    notes_next: bool,
    next_note_key: u32,
    /// Elements the article extractor kept (or that hold what it kept):
    /// their class names do not make them furniture.
    trusted: HashSet<NodeId>,
    /// Length of the article's text as Readability found it (0 without).
    article_len: usize,
    report: &'a mut Report,
}

/// Reads a page. `base_dir` is the folder the page was saved in, where its
/// pictures may be.
pub fn read(
    src: &str,
    file: FileId,
    base_dir: Option<&Path>,
    keep_all: bool,
    report: &mut Report,
) -> Page {
    let (mut doc, lines) = parse::parse(src);
    report.layout = "web page".into();
    let found = find(src, &mut doc, &lines, keep_all, report);
    let mut line_starts = vec![0];
    line_starts.extend(
        src.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1),
    );
    let root = doc.tree.root();
    let mut meta = page_meta(root);
    if let Some(ex) = &found.extract {
        if let Some(t) = ex
            .title
            .as_deref()
            .and_then(|t| meta::title_without_site(t, ex.site_name.as_deref()))
        {
            meta.title = Some(t);
        }
        meta.byline = ex.byline.clone();
        meta.site_name = ex.site_name.clone();
        if meta.description.is_none() {
            meta.description = ex.excerpt.clone();
        }
        if meta.date.is_none() {
            meta.date = ex
                .published
                .as_deref()
                .and_then(crate::import::junk::parse_date);
        }
    }
    let mut r = Reader {
        file,
        lines: &lines,
        line_starts,
        base_dir: base_dir.map(Path::to_path_buf),
        base_url: base_url(root),
        doc_lang: meta.lang.clone(),
        note_keys: HashMap::new(),
        note_ids: HashMap::new(),
        emitted_notes: HashSet::new(),
        units: Vec::new(),
        images: Vec::new(),
        image_names: HashSet::new(),
        title_done: false,
        standfirst_done: false,
        notes_next: false,
        next_note_key: 0,
        trusted: found.trusted,
        article_len: found.extract.as_ref().map_or(0, |ex| ex.text.len()),
        report,
    };
    r.find_notes(root);

    let body = find_first(root, &|d| tag(d) == Some("body")).unwrap_or(root);
    let article = found
        .article
        .and_then(|id| doc.tree.get(id))
        .unwrap_or_else(|| find_article(body));
    // The title may sit outside the article's text block (WordPress puts
    // `<h1>` in `header.entry-header`): walk from the nearest common
    // ancestor when it is not the whole page, else read the title first.
    let h1 = found.h1.and_then(|id| doc.tree.get(id));
    let mut start = article;
    if let Some(h) = h1
        && h.id() != article.id()
        && !h.ancestors().any(|a| a.id() == article.id())
        && let Some(lca) = common_ancestor(h, article)
    {
        if tag(&lca) != Some("body") && tag(&lca) != Some("html") && lca.id() != root.id() {
            start = lca;
        } else {
            r.block(h, 0);
            // A standfirst next to the title.
            if let Some(p) = h.parent() {
                for s in p.children() {
                    if s.id() != h.id() && s.value().is_element() && is_dek(&tokens(&s)) {
                        r.block(s, 0);
                    }
                }
            }
        }
    }
    let first_unit = r.units.len();
    r.block(start, 0);
    // Everything else on the page is furniture: reported, or kept with
    // --keep-all, in page order around the article.
    let mut before = Vec::new();
    let mut after = Vec::new();
    outside(body, start, &mut |n, is_after| {
        if is_after {
            after.push(n)
        } else {
            before.push(n)
        }
    });
    let article_units: Vec<Unit> = r.units.drain(first_unit..).collect();
    for n in before {
        r.outside_unit(n);
    }
    r.units.extend(article_units);
    for n in after {
        r.outside_unit(n);
    }

    // Bio blocks and notes outside the article.
    if !r.units.iter().any(|u| u.hint == Some(Hint::Bio)) {
        let bios: Vec<N<'_>> = body
            .descendants()
            .filter(|d| {
                d.value().is_element()
                    && is_bio_block(&tokens(d))
                    && !d.ancestors().any(|a| a.id() == start.id())
                    && !d
                        .ancestors()
                        .any(|a| a.value().is_element() && is_bio_block(&tokens(&a)))
            })
            .collect();
        for b in bios.into_iter().take(1) {
            r.bio(b, 0);
        }
    }
    let mut rest: Vec<(u32, NodeId)> = r
        .note_keys
        .iter()
        .filter(|(id, _)| !r.emitted_notes.contains(id))
        .map(|(id, k)| (*k, *id))
        .collect();
    rest.sort();
    for (_, id) in rest {
        if let Some(n) = doc.tree.get(id) {
            r.note(n);
        }
    }

    if !r.title_done
        && let Some(t) = meta.title.clone()
    {
        let line = find_first(root, &|d| tag(d) == Some("title")).map_or(1, |t| r.line_of(&t));
        let mut u = Unit::new(line, r.span(line), Kind::Heading(1, vec![Inline::Text(t)]));
        u.hint = Some(Hint::Title);
        r.units.insert(0, u);
    }
    meta.note_count = r.next_note_key;
    let units = std::mem::take(&mut r.units);
    let images = std::mem::take(&mut r.images);
    Page {
        units,
        meta,
        images,
    }
}

/// Where the article and its title are, found before the page is read.
#[derive(Default)]
struct Found {
    /// The element holding the article (Readability's choice).
    article: Option<NodeId>,
    /// The page's title heading.
    h1: Option<NodeId>,
    /// Elements Readability kept or that hold what it kept: the reader's
    /// class-name rules for furniture do not overrule it there.
    trusted: HashSet<NodeId>,
    extract: Option<extract::Extract>,
}

/// Finds the article with Readability and takes out of the tree what it
/// left out inside it (each piece reported as dropped), unless everything
/// is to be kept. Without an answer from Readability the reader's own
/// rules find the article.
fn find(
    src: &str,
    doc: &mut scraper::Html,
    lines: &HashMap<NodeId, u32>,
    keep_all: bool,
    report: &mut Report,
) -> Found {
    let root = doc.tree.root();
    let body = find_first(root, &|d| tag(d) == Some("body")).unwrap_or(root);
    let Some(ex) = extract::extract(src, doc) else {
        let h1 = find_first(body, &|d| tag(d) == Some("h1") && !in_chrome(d));
        return Found {
            h1: h1.map(|h| h.id()),
            ..Found::default()
        };
    };
    let Some(article) = extract::article_root(doc, &ex) else {
        return Found::default();
    };
    // The title: an `<h1>` Readability kept, else the first one that says
    // what Readability's title says (a blog's name in an `<h1>` above every
    // post is not the post's title).
    let same = |a: &str, b: &str| {
        let (a, b) = (a.to_lowercase(), b.to_lowercase());
        !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
    };
    let h1 = find_first(article, &|d| {
        tag(d) == Some("h1") && ex.kept.contains(&d.id())
    })
    .or_else(|| {
        let title = ex.title.as_deref()?;
        find_first(body, &|d| {
            tag(d) == Some("h1")
                && (!in_chrome(d) || d.ancestors().any(|a| a.id() == article.id()))
                && same(&dom::text_of(d), title)
        })
    });
    // What is read as the article: Readability's, with the title's block
    // when the title sits outside it (the reader walks from their common
    // ancestor unless that is the whole page).
    let region = h1
        .and_then(|h| common_ancestor(h, article))
        .filter(|a| !matches!(tag(a), Some("body") | Some("html")) && a.id() != root.id())
        .unwrap_or(article);
    let mut spare: HashSet<NodeId> = HashSet::new();
    if let Some(h) = h1 {
        spare.insert(h.id());
        if let Some(p) = h.parent() {
            spare.extend(
                p.children()
                    .filter(|s| s.value().is_element() && is_dek(&tokens(s)))
                    .map(|s| s.id()),
            );
        }
    }
    let (out, trusted) = extract::left_out(region, &ex, &spare);
    let article_id = article.id();
    let h1 = h1.map(|h| h.id());
    if !keep_all {
        for id in out {
            let Some(n) = doc.tree.get(id) else { continue };
            let text = dom::text_of(&n);
            if !text.is_empty() {
                let line = parse::line_of(lines, &n);
                // Say what it was where its classes tell, as for the
                // furniture outside the article.
                let reason = classes::furniture_reason(&n)
                    .unwrap_or("left out of the article by Readability");
                report.drop(line, text, reason);
            }
            if let Some(mut m) = doc.tree.get_mut(id) {
                m.detach();
            }
        }
    }
    Found {
        article: Some(article_id),
        h1,
        trusted,
        extract: Some(ex),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::unit::Style;

    fn units(html: &str) -> Vec<Unit> {
        let mut r = Report::default();
        read(html, FileId(0), None, false, &mut r).units
    }

    #[test]
    fn lines_are_recorded() {
        let u = units(
            "<!doctype html>\n<html><body>\n<article>\n<h1>Title here</h1>\n<p>First paragraph of the text, long enough.</p>\n\n<p>Second one &amp; more.</p></article></body></html>",
        );
        assert_eq!(u.len(), 3);
        assert_eq!(u[0].hint, Some(Hint::Title));
        assert_eq!(u[0].line, 4);
        assert_eq!(u[1].line, 5);
        assert_eq!(u[2].line, 7);
        assert_eq!(u[2].text(), "Second one & more.");
    }

    #[test]
    fn chrome_and_scripts_are_left_out() {
        let u = units(
            "<body><nav>Home News</nav><script>var x = 1;</script><article><h1>T</h1><div class=\"share-buttons\">Share Facebook</div><p>Text.</p><img src=\"https://t.example/pixel.gif\" width=1 height=1 alt=\"\"></article></body>",
        );
        let texts: Vec<String> = u.iter().map(|u| u.text()).collect();
        assert_eq!(texts, vec!["Home News", "T", "Share Facebook", "Text."]);
        // Readability keeps the whole of so small a page, so the `<nav>`
        // is furniture inside the article rather than outside it.
        assert!(
            matches!(&u[0].hint, Some(Hint::Chrome(r)) if r.ends_with("navigation")),
            "{:?}",
            u[0].hint
        );
        assert_eq!(u[2].hint, Some(Hint::Chrome("share buttons".into())));
    }

    #[test]
    fn bold_lead_question_is_split() {
        let u = units(
            "<article><h1>T</h1><p><strong>Why did you go back?</strong> Because the river called me home.</p></article>",
        );
        assert_eq!(u[1].style, Style::Bold);
        assert_eq!(u[2].text(), "Because the river called me home.");
    }

    #[test]
    fn relative_links_resolve_against_the_canonical_address() {
        let mut r = Report::default();
        let page = read(
            "<head><link rel=canonical href=\"https://example.org/mag/story.html\"></head><article><h1>T</h1><p><a href=\"/about\">About</a> and <a href=\"next.html\">next</a>.</p></article>",
            FileId(0),
            None,
            false,
            &mut r,
        );
        let Kind::Para(c) = &page.units[1].kind else {
            panic!()
        };
        assert!(matches!(&c[0], Inline::Link { url, .. } if url == "https://example.org/about"));
        assert!(
            matches!(&c[2], Inline::Link { url, .. } if url == "https://example.org/mag/next.html")
        );
    }
}
