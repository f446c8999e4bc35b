//! Where the article is in the page.

use super::classes::chrome_reason;
use super::dom::{N, attr, has_token, p_text_len, tag, text_of, tokens};
use ego_tree::NodeId;
use std::collections::{HashMap, HashSet};

/// Calls `f` on each maximal element outside `root` (with whether it
/// comes after it), for the report.
pub(super) fn outside<'a>(n: N<'a>, root: N<'a>, f: &mut dyn FnMut(N<'a>, bool)) {
    if n.id() == root.id() {
        return;
    }
    let root_pos = root.ancestors().any(|a| a.id() == n.id());
    if !root_pos {
        return;
    }
    let mut after = false;
    for c in n.children() {
        if c.id() == root.id() || root.ancestors().any(|a| a.id() == c.id()) {
            outside(c, root, f);
            after = true;
            continue;
        }
        f(c, after);
    }
}

pub(super) fn in_chrome(n: &N<'_>) -> bool {
    n.ancestors().any(|a| match tag(&a) {
        Some("nav") | Some("footer") | Some("aside") | Some("form") => true,
        Some(name) => chrome_reason(&a, name, &tokens(&a)).is_some_and(|r| r != "site header"),
        None => false,
    })
}

/// The nearest element holding both `a` and `b` (either, if one holds the other).
pub(super) fn common_ancestor<'a>(a: N<'a>, b: N<'a>) -> Option<N<'a>> {
    let anc: HashSet<NodeId> = std::iter::once(a)
        .chain(a.ancestors())
        .map(|x| x.id())
        .collect();
    std::iter::once(b)
        .chain(b.ancestors())
        .find(|x| anc.contains(&x.id()))
}

/// The element holding the article's text.
pub(super) fn find_article<'a>(body: N<'a>) -> N<'a> {
    let total = p_text_len(&body).max(1);
    let articles: Vec<N<'a>> = body
        .descendants()
        .filter(|d| tag(d) == Some("article"))
        .collect();
    if let Some(best) = articles.iter().max_by_key(|a| p_text_len(a))
        && p_text_len(best) * 2 >= total
    {
        return *best;
    }
    const CONTENT: &[&str] = &[
        "entry-content",
        "post-content",
        "article-content",
        "article-body",
        "articlebody",
        "story-body",
        "post-body",
        "content-body",
        "single-content",
        "td-post-content",
        "field-name-body",
        "node__content",
        "rich-text",
        "article__body",
        "article-text",
    ];
    for d in body.descendants() {
        if !d.value().is_element() {
            continue;
        }
        let hit = attr(&d, "itemprop") == Some("articleBody")
            || has_token(&tokens(&d), CONTENT)
            || tag(&d) == Some("main")
            || attr(&d, "role") == Some("main");
        if hit && p_text_len(&d) * 2 >= total {
            return d;
        }
    }
    // The densest block: each paragraph counts for its parent, half for
    // its grandparent.
    let mut score: HashMap<NodeId, usize> = HashMap::new();
    for p in body.descendants().filter(|d| tag(d) == Some("p")) {
        if in_chrome(&p) {
            continue;
        }
        let len = text_of(&p).len();
        if let Some(parent) = p.parent() {
            *score.entry(parent.id()).or_default() += len;
            if let Some(g) = parent.parent() {
                *score.entry(g.id()).or_default() += len / 2;
            }
        }
    }
    score
        .into_iter()
        .max_by_key(|&(id, s)| (s, std::cmp::Reverse(id)))
        .and_then(|(id, _)| body.tree().get(id))
        .unwrap_or(body)
}
