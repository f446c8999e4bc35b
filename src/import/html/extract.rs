//! The article as Mozilla's Readability algorithm finds it, through the
//! `dom_smoothie` port.
//!
//! Readability decides which elements of the page are the article; qalam
//! still reads the page itself, so that every unit keeps its line in the
//! input, its classes (questions, bios, pull quotes are recognised by them)
//! and its note links. To know which of our elements Readability kept, each
//! element of its copy of the page is numbered in document order before it
//! runs; both copies come from the same html5ever tree builder, so the
//! numbers name the same elements, and the numbers left in its output are
//! the elements it kept.

use super::dom::N;
use crate::import::textutil::clean;
use dom_smoothie::{Config, Readability};
use ego_tree::NodeId;
use scraper::Html;
use std::collections::HashSet;

/// The attribute that carries an element's number through Readability.
const MARK: &str = "data-qalam-n";
/// Text pieces looked up in the article's text, at most …
const MAX_LOOKUPS: usize = 2000;
/// … and at most this many bytes of article text scanned in all.
const LOOKUP_WORK: usize = 50_000_000;

/// What Readability found.
#[derive(Debug, Default)]
pub(super) struct Extract {
    /// Our elements that Readability kept as the article.
    pub kept: HashSet<NodeId>,
    /// The article's text, white space collapsed: text that Readability
    /// moved out of an element it dropped (a wrapper it unwrapped) is
    /// found here.
    pub text: String,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub excerpt: Option<String>,
    pub site_name: Option<String>,
    pub published: Option<String>,
}

/// Runs Readability on `src`, whose tree we hold as `doc`. `None` when it
/// finds no article or the two trees do not match (then the reader's own
/// rules find the article).
pub(super) fn extract(src: &str, doc: &Html) -> Option<Extract> {
    let ours: Vec<NodeId> = doc
        .tree
        .root()
        .descendants()
        .filter(|n| n.value().is_element())
        .map(|n| n.id())
        .collect();
    let theirs = dom_query::Document::from(src);
    // Both trees are built by html5ever with scripting off, so they have
    // the same elements in the same order.
    let elements: Vec<_> = theirs
        .root()
        .descendants_it()
        .filter(|n| n.is_element())
        .collect();
    if elements.len() != ours.len() {
        return None;
    }
    for (k, n) in elements.iter().enumerate() {
        n.set_attr(MARK, &k.to_string());
    }
    drop(elements);
    let mut r = Readability::with_document(theirs, None, Some(Config::default())).ok()?;
    let article = r.parse().ok()?;
    let content: &str = &article.content;
    let mut kept = HashSet::new();
    let needle = format!("{MARK}=\"");
    for at in memchr::memmem::find_iter(content.as_bytes(), needle.as_bytes()) {
        let digits = &content[at + needle.len()..];
        let end = digits
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(digits.len());
        if let Some(&id) = digits[..end]
            .parse::<usize>()
            .ok()
            .and_then(|k| ours.get(k))
        {
            kept.insert(id);
        }
    }
    if kept.is_empty() {
        return None;
    }
    let some = |s: Option<String>| s.map(|s| clean(&s)).filter(|s| !s.is_empty());
    Some(Extract {
        kept,
        text: clean(&article.text_content),
        title: some(Some(article.title)),
        byline: some(article.byline),
        excerpt: some(article.excerpt),
        site_name: some(article.site_name),
        published: some(article.published_time),
    })
}

/// The nearest element holding every kept element.
pub(super) fn article_root<'a>(doc: &'a Html, ex: &Extract) -> Option<N<'a>> {
    let mut it = ex.kept.iter().filter_map(|&id| doc.tree.get(id));
    let first = it.next()?;
    it.try_fold(first, |acc, n| super::article::common_ancestor(acc, n))
}

/// Nodes under `root` that Readability left out, outermost first: elements
/// it neither kept nor holds a kept element in, unless their words are in
/// the article all the same (Readability rebuilds some elements, a `<p>`
/// split at its `<br>`s say, and the rebuilt ones carry no number); loose
/// text found nowhere in the article. `spare` are elements kept whatever
/// Readability says (the title, which it moves to its metadata). Also
/// returns the elements kept or holding a kept one.
pub(super) fn left_out(
    root: N<'_>,
    ex: &Extract,
    spare: &HashSet<NodeId>,
) -> (Vec<NodeId>, HashSet<NodeId>) {
    let mut live: HashSet<NodeId> = HashSet::with_capacity(ex.kept.len() * 2);
    let tree = root.tree();
    for &id in ex.kept.iter().chain(spare.iter()) {
        let Some(n) = tree.get(id) else { continue };
        for a in std::iter::once(n).chain(n.ancestors()) {
            if !live.insert(a.id()) {
                break;
            }
        }
    }
    let mut find = Finder::new(&ex.text);
    let mut out = Vec::new();
    let mut stack: Vec<N<'_>> = root.children().collect();
    stack.reverse();
    while let Some(n) = stack.pop() {
        let keep = match n.value() {
            scraper::Node::Element(e) => {
                ex.kept.contains(&n.id())
                    || spare.contains(&n.id())
                    || live.contains(&n.id())
                    || matches!(e.name(), "br" | "wbr")
                    || find.mostly_in_article(n)
            }
            scraper::Node::Text(t) => {
                n.parent()
                    .is_some_and(|p| ex.kept.contains(&p.id()) || spare.contains(&p.id()))
                    || find.in_article(t)
            }
            _ => true,
        };
        if keep {
            let from = stack.len();
            stack.extend(n.children());
            stack[from..].reverse();
        } else {
            out.push(n.id());
        }
    }
    (out, live)
}

/// Looks text up in the article's text, within a budget: each look-up
/// costs the article's length, so a page of very many left-out pieces has
/// the rest kept rather than take quadratic time.
struct Finder<'a> {
    text: &'a str,
    left: usize,
}

impl<'a> Finder<'a> {
    fn new(text: &'a str) -> Self {
        Finder {
            text,
            left: (LOOKUP_WORK / text.len().max(1)).min(MAX_LOOKUPS),
        }
    }

    /// Whether a piece of text is in the article (blank text is).
    fn in_article(&mut self, t: &str) -> bool {
        let t = clean(t);
        if t.is_empty() || self.left == 0 {
            return true;
        }
        self.left -= 1;
        self.text.contains(t.as_str())
    }

    /// Whether most of an element's text (by length) is in the article; an
    /// element without text is not.
    fn mostly_in_article(&mut self, n: N<'_>) -> bool {
        let (mut found, mut all) = (0usize, 0usize);
        for t in n
            .descendants()
            .filter_map(|d| d.value().as_text().map(|t| &**t))
        {
            let len = t.trim().len();
            if len == 0 {
                continue;
            }
            all += len;
            if self.in_article(t) {
                found += len;
            }
        }
        all > 0 && found * 2 > all
    }
}

#[cfg(test)]
mod tests {
    use crate::import::html::read;
    use crate::import::report::Report;
    use crate::import::unit::{Hint, Unit};
    use crate::model::FileId;

    const WORDS: &str = "the river keeps its own ledger of every spring flood and every \
        dry summer, and the people who farm its banks have learned to read it the way \
        their grandparents read the sky before a long journey across the steppe";

    /// A page as a theme lays it out: site header and menu, a sidebar of
    /// links, the article inside `wrapper`'s class, share buttons and a
    /// footer.
    fn page(wrapper: &str) -> String {
        let mut article = String::new();
        for k in 1..=6 {
            article.push_str(&format!("<p>Paragraph {k}: {WORDS}.</p>\n"));
        }
        format!(
            "<html><head><title>Reading the River | Steppe Review</title></head><body>\n\
             <header class=\"site-header\"><a href=\"/\">Steppe Review</a></header>\n\
             <nav><ul><li><a href=\"/a\">Politics</a></li><li><a href=\"/b\">Culture</a></li></ul></nav>\n\
             <div class=\"{wrapper}\">\n<h1>Reading the River</h1>\n{article}\
             <div class=\"share-buttons\"><a href=\"https://x.example/share\">Share on X</a></div>\n</div>\n\
             <aside class=\"sidebar\"><h3>Most read</h3><ul><li><a href=\"/1\">Ten cheap flights</a></li>\
             <li><a href=\"/2\">A cat elected mayor</a></li></ul></aside>\n\
             <footer class=\"site-footer\">© Steppe Review. All rights reserved.</footer>\n\
             </body></html>"
        )
    }

    fn kept_text(units: &[Unit]) -> Vec<String> {
        units
            .iter()
            .filter(|u| !matches!(u.hint, Some(Hint::Chrome(_))))
            .map(|u| u.text())
            .collect()
    }

    /// Each wrapper class here once made the old class-name rules throw
    /// the whole article away as page furniture.
    #[test]
    fn an_article_wrapper_named_like_furniture_keeps_its_text() {
        for wrapper in [
            "l-sidebar-fixed",
            "elementor-widget-theme-post-content elementor-widget",
            "container--primary-and-secondary-columns",
            "entry-content-read-more",
            "pagination-aware post",
        ] {
            let mut r = Report::default();
            let units = read(&page(wrapper), FileId(0), None, false, &mut r).units;
            let text = kept_text(&units);
            for k in 1..=6 {
                assert!(
                    text.iter()
                        .any(|t| t.starts_with(&format!("Paragraph {k}:"))),
                    "{wrapper}: paragraph {k} lost: {text:#?}"
                );
            }
            assert_eq!(text.first().map(String::as_str), Some("Reading the River"));
            for junk in [
                "Share on X",
                "Most read",
                "Ten cheap flights",
                "Politics",
                "©",
            ] {
                assert!(
                    !text.iter().any(|t| t.contains(junk)),
                    "{wrapper}: {junk:?} kept: {text:#?}"
                );
            }
        }
    }

    /// A `<p>` that Readability splits at its `<br>`s comes back as new
    /// paragraphs without our numbers; its text is still the article's.
    #[test]
    fn text_readability_moved_into_new_elements_is_kept() {
        let lines: Vec<String> = (1..=6).map(|k| format!("Line {k}: {WORDS}.")).collect();
        let html = format!(
            "<html><body><nav><a href=\"/\">Home</a> <a href=\"/n\">News</a></nav>\
             <div class=\"paragraph\"><p class=\"detail\">{}</p></div>\
             <ul class=\"ranking\"><li><a href=\"/r\">Ranking one</a></li></ul></body></html>",
            lines.join("<br><br>")
        );
        let mut r = Report::default();
        let units = read(&html, FileId(0), None, false, &mut r).units;
        let text = kept_text(&units).join("\n");
        for l in &lines {
            assert!(text.contains(l.as_str()), "lost {l:?} in {text}");
        }
        assert!(!text.contains("Ranking one"), "{text}");
    }

    /// With --keep-all nothing inside the article is taken out.
    #[test]
    fn keep_all_takes_nothing_out() {
        let mut r = Report::default();
        let units = read(&page("post"), FileId(0), None, true, &mut r).units;
        assert!(units.iter().any(|u| u.text().contains("Share on X")));
        assert!(!r.dropped.iter().any(|e| e.text.contains("Share on X")));
    }

    /// A tracking pixel in a `<noscript>` in the head makes the parser
    /// start the body early when scripting is off; both trees must agree
    /// on it, or Readability's answer could not be mapped back.
    #[test]
    fn both_trees_agree_on_noscript_in_the_head() {
        let html = page("post").replace(
            "</head>",
            "<noscript><img src=\"https://t.example/p.gif\"></noscript><style>p{}</style></head>",
        );
        let (doc, _) = crate::import::html::parse::parse(&html);
        assert!(super::extract(&html, &doc).is_some());
    }
}
