//! Small questions asked of the parsed tree: an element's name, attributes,
//! class tokens, text, and whether it is shown or read at all.

use crate::import::textutil::clean;
use ego_tree::NodeRef;
use scraper::node::Node;

pub(super) type N<'a> = NodeRef<'a, Node>;

pub(super) fn tag<'a>(n: &N<'a>) -> Option<&'a str> {
    n.value().as_element().map(|e| e.name())
}

pub(super) fn attr<'a>(n: &N<'a>, name: &str) -> Option<&'a str> {
    n.value().as_element().and_then(|e| e.attr(name))
}

/// Class names and id of an element, lower-cased, split at `-`/`_` too.
pub(super) fn tokens(n: &N<'_>) -> Vec<String> {
    let Some(e) = n.value().as_element() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in e.classes().chain(e.id()) {
        let c = c.to_ascii_lowercase();
        out.push(c.clone());
    }
    out
}

pub(super) fn has_token(toks: &[String], words: &[&str]) -> bool {
    toks.iter().any(|t| {
        words.iter().any(|w| {
            t == w || t.split(['-', '_']).any(|p| p == *w) || (w.contains('-') && t.contains(w))
        })
    })
}

pub(super) fn is_hidden(n: &N<'_>) -> bool {
    let Some(e) = n.value().as_element() else {
        return false;
    };
    if e.attr("hidden").is_some()
        || e.attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return true;
    }
    let style = e
        .attr("style")
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace(' ', "");
    style.contains("display:none") || style.contains("visibility:hidden")
}

/// Elements whose content is never text of the article.
pub(super) fn is_ignored(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "canvas"
            | "map"
            | "audio"
            | "video"
            | "source"
            | "track"
            | "link"
            | "meta"
            | "head"
            | "button"
            | "input"
            | "select"
            | "textarea"
            | "option"
            | "dialog"
            | "frameset"
            | "frame"
            | "applet"
            | "math"
            | "picture-source"
            | "param"
            | "base"
            | "title"
    )
}

pub(super) fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "figure"
            | "figcaption"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "pre"
            | "hr"
            | "address"
            | "details"
            | "summary"
            | "fieldset"
            | "center"
            | "hgroup"
            | "caption"
            | "body"
            | "html"
    )
}

/// All text under a node, white space collapsed.
pub(super) fn text_of(n: &N<'_>) -> String {
    let mut s = String::new();
    push_text_of(n, &mut s, 0);
    clean(&s)
}

pub(super) fn push_text_of(n: &N<'_>, s: &mut String, depth: usize) {
    // Iterative for deep trees.
    let _ = depth;
    let mut stack = vec![*n];
    while let Some(x) = stack.pop() {
        match x.value() {
            Node::Text(t) => s.push_str(t),
            Node::Element(e) => {
                if is_ignored(e.name()) {
                    continue;
                }
                if is_block(e.name()) || e.name() == "br" {
                    s.push(' ');
                }
                let kids: Vec<_> = x.children().collect();
                stack.extend(kids.into_iter().rev());
            }
            _ => {}
        }
    }
}

/// Length of paragraph text under a node (for finding the article).
pub(super) fn p_text_len(n: &N<'_>) -> usize {
    n.descendants()
        .filter(|d| tag(d) == Some("p"))
        .map(|p| {
            p.descendants()
                .filter_map(|t| t.value().as_text())
                .map(|t| t.trim().len())
                .sum::<usize>()
        })
        .sum()
}

pub(super) fn find_first<'a>(root: N<'a>, pred: &dyn Fn(&N<'a>) -> bool) -> Option<N<'a>> {
    root.descendants()
        .find(|d| d.value().is_element() && pred(d))
}
