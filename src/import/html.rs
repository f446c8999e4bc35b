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

use super::report::Report;
use super::textutil::{clean, is_unwanted};
use super::unit::{Hint, Kind, PageMeta, Style, Unit};
use crate::model::{Block, FileId, Image, Inline, Lang, ListItem, Span};
use ego_tree::{NodeId, NodeRef};
use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::node::Node;
use scraper::{Html, HtmlTreeSink};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Elements deeper than this are read as plain text: it bounds recursion.
const MAX_DEPTH: usize = 60;
/// Lists nested deeper than this are flattened.
const MAX_LIST_DEPTH: usize = 6;
/// Pages whose elements nest deeper than this are refused before parsing.
/// Real pages nest a few dozen levels; the HTML parsing algorithm scans the
/// stack of open elements for many start tags, so absurd nesting (a few
/// thousand levels in a megabyte) would take minutes.
pub const MAX_HTML_NESTING: usize = 512;

/// How deep the elements of `html` nest, estimated from its tags without
/// building a tree: void and self-closed elements and those whose end tag
/// may be left out (`p`, `li`, `td` …) do not count, so a sloppy but real
/// page is never over-counted; comments and the content of `script`,
/// `style` and the like are skipped.
pub fn nesting_depth(html: &str) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param", "keygen", "frame", "basefont", "bgsound",
    ];
    const OPTIONAL_END: &[&str] = &[
        "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
        "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head", "body",
    ];
    const RAW: &[&str] = &[
        "script",
        "style",
        "textarea",
        "title",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
    ];
    let b = html.as_bytes();
    let lower_find = |from: usize, needle: &[u8]| -> Option<usize> {
        b.get(from..)?
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map(|i| from + i)
    };
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = b.get(i..).and_then(|r| r.iter().position(|&c| c == b'<')) {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = lower_find(i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let name_start = i + usize::from(closing);
        let name_len = b[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b':'))
            .count();
        if name_len == 0 || !b[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        // The end of the tag, outside quoted attribute values.
        let mut j = name_start + name_len;
        let mut quote = None;
        while let Some(&c) = b.get(j) {
            match (quote, c) {
                (None, b'"' | b'\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let self_closed = j > 0 && b.get(j - 1) == Some(&b'/');
        i = (j + 1).min(b.len());
        let counted = !VOID.contains(&name.as_str()) && !OPTIONAL_END.contains(&name.as_str());
        if closing {
            if counted {
                depth = depth.saturating_sub(1);
            }
        } else if RAW.contains(&name.as_str()) {
            let end = format!("</{name}");
            i = lower_find(i, end.as_bytes()).unwrap_or(b.len());
        } else if counted && !self_closed {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// A picture of the saved page to copy into the book's `images/`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageCopy {
    pub from: PathBuf,
    /// Path in the book folder (`images/x.jpg`).
    pub to: String,
}

/// What reading a page gave.
pub struct Page {
    pub units: Vec<Unit>,
    pub meta: PageMeta,
    pub images: Vec<ImageCopy>,
}

// ---------------------------------------------------------------- parsing

/// `HtmlTreeSink` plus the line each element started on.
struct LineSink {
    inner: HtmlTreeSink,
    line: Cell<u64>,
    lines: RefCell<HashMap<NodeId, u32>>,
}

impl TreeSink for LineSink {
    type Handle = NodeId;
    type Output = (Html, HashMap<NodeId, u32>);
    type ElemName<'a>
        = <HtmlTreeSink as TreeSink>::ElemName<'a>
    where
        Self: 'a;

    fn finish(self) -> Self::Output {
        (self.inner.finish(), self.lines.into_inner())
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg)
    }
    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let id = self.inner.create_element(name, attrs, flags);
        self.lines
            .borrow_mut()
            .insert(id, self.line.get().min(u32::MAX as u64) as u32);
        id
    }
    fn create_comment(&self, text: html5ever::tendril::StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }
    fn create_pi(
        &self,
        target: html5ever::tendril::StrTendril,
        data: html5ever::tendril::StrTendril,
    ) -> NodeId {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: html5ever::tendril::StrTendril,
        public_id: html5ever::tendril::StrTendril,
        system_id: html5ever::tendril::StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }
    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number)
    }
}

fn parse(src: &str) -> (Html, HashMap<NodeId, u32>) {
    let sink = LineSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        line: Cell::new(1),
        lines: RefCell::new(HashMap::new()),
    };
    html5ever::driver::parse_document(sink, Default::default()).one(src)
}

// ---------------------------------------------------------------- helpers

type N<'a> = NodeRef<'a, Node>;

fn tag<'a>(n: &N<'a>) -> Option<&'a str> {
    n.value().as_element().map(|e| e.name())
}

fn attr<'a>(n: &N<'a>, name: &str) -> Option<&'a str> {
    n.value().as_element().and_then(|e| e.attr(name))
}

/// Class names and id of an element, lower-cased, split at `-`/`_` too.
fn tokens(n: &N<'_>) -> Vec<String> {
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

fn has_token(toks: &[String], words: &[&str]) -> bool {
    toks.iter().any(|t| {
        words.iter().any(|w| {
            t == w || t.split(['-', '_']).any(|p| p == *w) || (w.contains('-') && t.contains(w))
        })
    })
}

fn is_hidden(n: &N<'_>) -> bool {
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
fn is_ignored(name: &str) -> bool {
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

fn is_block(name: &str) -> bool {
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
fn text_of(n: &N<'_>) -> String {
    let mut s = String::new();
    push_text_of(n, &mut s, 0);
    clean(&s)
}

fn push_text_of(n: &N<'_>, s: &mut String, depth: usize) {
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
fn p_text_len(n: &N<'_>) -> usize {
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

fn find_first<'a>(root: N<'a>, pred: &dyn Fn(&N<'a>) -> bool) -> Option<N<'a>> {
    root.descendants()
        .find(|d| d.value().is_element() && pred(d))
}

// ------------------------------------------------------- classifications

const CHROME_TOKENS: &[(&str, &[&str])] = &[
    (
        "share buttons",
        &[
            "share",
            "sharing",
            "social",
            "sharedaddy",
            "addtoany",
            "a2a",
            "shariff",
            "social-share",
            "share-buttons",
            "sociallinks",
        ],
    ),
    (
        "newsletter prompt",
        &[
            "newsletter",
            "subscribe",
            "subscription",
            "signup",
            "sign-up",
            "mailchimp",
            "mc4wp",
            "optin",
            "opt-in",
        ],
    ),
    (
        "cookie notice",
        &[
            "cookie",
            "cookies",
            "consent",
            "gdpr",
            "cmp",
            "cookiebanner",
            "cookie-notice",
            "cookie-banner",
        ],
    ),
    (
        "related articles",
        &[
            "related",
            "recommended",
            "read-more",
            "readmore",
            "more-stories",
            "jp-relatedposts",
            "yarpp",
            "also-read",
            "read-next",
            "trending",
            "popular",
            "most-read",
        ],
    ),
    (
        "comments section",
        &[
            "comments",
            "comment-respond",
            "respond",
            "disqus",
            "comment-list",
        ],
    ),
    ("breadcrumbs", &["breadcrumb", "breadcrumbs", "crumbs"]),
    (
        "navigation",
        &[
            "nav",
            "navbar",
            "navigation",
            "menu",
            "pagination",
            "post-navigation",
            "skip-link",
            "toolbar",
        ],
    ),
    (
        "sidebar",
        &["sidebar", "widget", "widget-area", "secondary"],
    ),
    (
        "advertisement",
        &[
            "ad",
            "ads",
            "advert",
            "advertisement",
            "sponsor",
            "sponsored",
            "promo",
            "banner-ad",
            "dfp",
            "adsbygoogle",
        ],
    ),
    (
        "tags and categories",
        &[
            "tags",
            "tag-links",
            "cat-links",
            "categories",
            "post-tags",
            "entry-tags",
        ],
    ),
    (
        "screen-reader text",
        &[
            "screen-reader-text",
            "sr-only",
            "visually-hidden",
            "visuallyhidden",
            "a11y-hidden",
        ],
    ),
    (
        "print and tools",
        &["print", "tools", "article-tools", "font-size"],
    ),
    (
        "site header",
        &[
            "site-header",
            "masthead",
            "site-branding",
            "site-title",
            "topbar",
        ],
    ),
    (
        "site footer",
        &["site-footer", "colophon", "footer-widgets"],
    ),
];

fn chrome_reason(n: &N<'_>, name: &str, toks: &[String]) -> Option<&'static str> {
    match name {
        "nav" => return Some("navigation"),
        "form" => return Some("form"),
        _ => {}
    }
    for (reason, words) in CHROME_TOKENS {
        if has_token(toks, words) {
            return Some(reason);
        }
    }
    if attr(n, "role").is_some_and(|r| {
        matches!(
            r,
            "navigation"
                | "banner"
                | "contentinfo"
                | "search"
                | "complementary"
                | "dialog"
                | "alertdialog"
        )
    }) {
        return Some(match attr(n, "role") {
            Some("navigation") => "navigation",
            Some("banner") => "site header",
            Some("contentinfo") => "site footer",
            Some("search") => "search",
            Some("complementary") => "sidebar",
            _ => "dialog",
        });
    }
    None
}

fn is_bio_block(toks: &[String]) -> bool {
    has_token(
        toks,
        &[
            "bio",
            "biography",
            "author-bio",
            "authorbio",
            "about-author",
            "about-the-author",
            "author-box",
            "authorbox",
            "author-info",
            "author-description",
            "contributor-bio",
            "interviewee",
            "speaker-bio",
        ],
    )
}

fn is_byline(toks: &[String]) -> bool {
    has_token(
        toks,
        &[
            "byline",
            "author",
            "authors",
            "entry-meta",
            "post-meta",
            "article-meta",
            "posted-on",
            "dateline",
            "meta",
            "date",
            "published",
            "timestamp",
            "time",
        ],
    )
}

fn is_dek(toks: &[String]) -> bool {
    has_token(
        toks,
        &[
            "standfirst",
            "dek",
            "deck",
            "subtitle",
            "sub-title",
            "subheadline",
            "sub-headline",
            "lede",
            "lead",
            "excerpt",
            "summary",
            "strapline",
            "intro",
            "article-summary",
            "description",
            "teaser",
        ],
    )
}

fn is_pull(toks: &[String]) -> bool {
    has_token(
        toks,
        &[
            "pullquote",
            "pull-quote",
            "pull",
            "wp-block-pullquote",
            "callout-quote",
            "quote-pull",
        ],
    )
}

fn is_notes_container(toks: &[String], n: &N<'_>) -> bool {
    has_token(
        toks,
        &[
            "footnotes",
            "endnotes",
            "footnote-list",
            "notes",
            "references",
            "wp-block-footnotes",
        ],
    ) || attr(n, "role").is_some_and(|r| r == "doc-endnotes" || r == "doc-footnotes")
}

fn question_class(toks: &[String]) -> Option<Style> {
    if has_token(toks, &["question", "interviewer", "q", "ask", "qa-q"]) {
        Some(Style::QuestionClass)
    } else if has_token(toks, &["answer", "interviewee", "response", "qa-a"]) {
        Some(Style::AnswerClass)
    } else {
        None
    }
}

fn is_tracking_pixel(n: &N<'_>) -> bool {
    let small = |a: &str| {
        attr(n, a)
            .and_then(|v| v.trim_end_matches("px").trim().parse::<u32>().ok())
            .is_some_and(|v| v <= 2)
    };
    let src = attr(n, "src").unwrap_or("").to_ascii_lowercase();
    small("width")
        || small("height")
        || [
            "pixel",
            "beacon",
            "tracking",
            "/track",
            "analytics",
            "facebook.com/tr",
            "1x1",
            "spacer.gif",
            "blank.gif",
            "/b/ss/",
            "doubleclick",
            "scorecardresearch",
            "quantserve",
        ]
        .iter()
        .any(|p| src.contains(p))
}

// ----------------------------------------------------------------- reader

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
    report: &'a mut Report,
}

/// Reads a page. `base_dir` is the folder the page was saved in, where its
/// pictures may be.
pub fn read(src: &str, file: FileId, base_dir: Option<&Path>, report: &mut Report) -> Page {
    let (doc, lines) = parse(src);
    report.layout = "web page".into();
    let mut line_starts = vec![0];
    line_starts.extend(
        src.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1),
    );
    let root = doc.tree.root();
    let mut meta = page_meta(root);
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
        report,
    };
    r.find_notes(root);

    let body = find_first(root, &|d| tag(d) == Some("body")).unwrap_or(root);
    let article = find_article(body);
    // The title may sit outside the article's text block (WordPress puts
    // `<h1>` in `header.entry-header`): walk from the nearest common
    // ancestor when it is not the whole page, else read the title first.
    let h1 = find_first(body, &|d| tag(d) == Some("h1") && !in_chrome(d));
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

/// Calls `f` on each maximal element outside `root` (with whether it
/// comes after it), for the report.
fn outside<'a>(n: N<'a>, root: N<'a>, f: &mut dyn FnMut(N<'a>, bool)) {
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

fn in_chrome(n: &N<'_>) -> bool {
    n.ancestors().any(|a| match tag(&a) {
        Some("nav") | Some("footer") | Some("aside") | Some("form") => true,
        Some(name) => chrome_reason(&a, name, &tokens(&a)).is_some_and(|r| r != "site header"),
        None => false,
    })
}

/// The nearest element holding both `a` and `b` (either, if one holds the other).
fn common_ancestor<'a>(a: N<'a>, b: N<'a>) -> Option<N<'a>> {
    let anc: HashSet<NodeId> = std::iter::once(a)
        .chain(a.ancestors())
        .map(|x| x.id())
        .collect();
    std::iter::once(b)
        .chain(b.ancestors())
        .find(|x| anc.contains(&x.id()))
}

/// The element holding the article's text.
fn find_article<'a>(body: N<'a>) -> N<'a> {
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

fn page_meta(root: N<'_>) -> PageMeta {
    let mut m = PageMeta::default();
    for d in root.descendants() {
        match tag(&d) {
            Some("html") => {
                if let Some(l) = attr(&d, "lang").and_then(Lang::parse) {
                    m.lang = Some(l.as_str().to_string());
                }
            }
            Some("title") if m.title.is_none() => {
                let t = text_of(&d);
                let t = strip_site_name(&t);
                if !t.is_empty() {
                    m.title = Some(t);
                }
            }
            Some("meta") => {
                let key = attr(&d, "property")
                    .or_else(|| attr(&d, "name"))
                    .or_else(|| attr(&d, "itemprop"))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let content = clean(attr(&d, "content").unwrap_or(""));
                if content.is_empty() {
                    continue;
                }
                match key.as_str() {
                    "og:title" | "twitter:title" => m.title = Some(strip_site_name(&content)),
                    "description" | "og:description" | "twitter:description" => {
                        m.description.get_or_insert(content);
                    }
                    "article:published_time"
                    | "datepublished"
                    | "date"
                    | "dc.date"
                    | "pubdate"
                    | "publish-date"
                        if m.date.is_none() =>
                    {
                        m.date = super::junk::parse_date(&content);
                    }
                    _ => {}
                }
            }
            Some("time") if m.date.is_none() => {
                if let Some(dt) = attr(&d, "datetime") {
                    m.date = super::junk::parse_date(dt);
                }
            }
            _ => {}
        }
    }
    m
}

/// "The Interview | Steppe Review" → "The Interview".
fn strip_site_name(t: &str) -> String {
    for sep in [" | ", " – ", " — ", " - ", " :: ", " · "] {
        if let Some(i) = t.rfind(sep) {
            let head = t[..i].trim();
            if head.split_whitespace().count() >= 2 {
                return head.to_string();
            }
        }
    }
    t.trim().to_string()
}

fn base_url(root: N<'_>) -> Option<String> {
    let mut canonical = None;
    for d in root.descendants() {
        match tag(&d) {
            Some("base") => {
                if let Some(h) = attr(&d, "href").filter(|h| h.starts_with("http")) {
                    return Some(h.to_string());
                }
            }
            Some("link")
                if attr(&d, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                canonical = attr(&d, "href")
                    .filter(|h| h.starts_with("http"))
                    .map(str::to_string);
            }
            Some("meta") if attr(&d, "property") == Some("og:url") && canonical.is_none() => {
                canonical = attr(&d, "content")
                    .filter(|h| h.starts_with("http"))
                    .map(str::to_string);
            }
            _ => {}
        }
    }
    canonical
}

impl Reader<'_> {
    fn line_of(&self, n: &N<'_>) -> u32 {
        let mut x = Some(*n);
        while let Some(y) = x {
            if let Some(&l) = self.lines.get(&y.id()) {
                return l;
            }
            x = y.parent();
        }
        1
    }

    fn span(&self, line: u32) -> Span {
        let start = self
            .line_starts
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(0);
        Span::new(self.file, start..start)
    }

    fn push(&mut self, line: u32, kind: Kind, style: Style, hint: Option<Hint>) {
        let mut u = Unit::new(line, self.span(line), kind);
        u.style = style;
        u.hint = hint;
        self.units.push(u);
    }

    /// A piece of the page outside the article, as a unit the assembler
    /// drops (and reports) or keeps with --keep-all.
    fn outside_unit(&mut self, n: N<'_>) {
        let name = match n.value() {
            Node::Element(e) => e.name(),
            Node::Text(_) => "",
            _ => return,
        };
        if !name.is_empty() && (is_ignored(name) || is_hidden(&n)) {
            return;
        }
        if self.note_keys.contains_key(&n.id())
            || n.descendants()
                .any(|d| self.note_keys.contains_key(&d.id()))
        {
            // Notes outside the article are read with the article.
            return;
        }
        if !name.is_empty() && is_bio_block(&tokens(&n)) {
            return;
        }
        let t = text_of(&n);
        if t.is_empty() {
            return;
        }
        // What it is: its own class, or the first recognisable part of it.
        let reason = n
            .descendants()
            .filter(|d| d.value().is_element())
            .take(50)
            .find_map(|d| tag(&d).and_then(|nm| chrome_reason(&d, nm, &tokens(&d))));
        let reason = match reason {
            Some(r) => format!("outside the article: {r}"),
            None => "outside the article".to_string(),
        };
        let line = self.line_of(&n);
        self.push(
            line,
            Kind::Para(vec![Inline::Text(t)]),
            Style::Plain,
            Some(Hint::Chrome(reason)),
        );
    }

    /// Finds note elements: targets of note links, and the items of lists
    /// marked as notes.
    fn find_notes(&mut self, root: N<'_>) {
        let mut ids: HashMap<String, NodeId> = HashMap::new();
        for d in root.descendants() {
            if let Some(id) = d.value().as_element().and_then(|e| e.id()) {
                ids.entry(id.to_string()).or_insert(d.id());
            }
        }
        let mut targets: Vec<NodeId> = Vec::new();
        for d in root.descendants() {
            if tag(&d) != Some("a") {
                continue;
            }
            let Some(href) = attr(&d, "href") else {
                continue;
            };
            let Some(frag) = href.strip_prefix('#') else {
                continue;
            };
            let frag = frag.to_string();
            let toks = tokens(&d);
            let in_sup = d.ancestors().take(3).any(|a| tag(&a) == Some("sup"))
                || d.descendants().any(|x| tag(&x) == Some("sup"));
            let marked = has_token(
                &toks,
                &[
                    "footnote-ref",
                    "fn-ref",
                    "noteref",
                    "footnote-link",
                    "footnote-reference",
                ],
            ) || attr(&d, "role") == Some("doc-noteref");
            let back = has_token(
                &toks,
                &["backref", "footnote-backref", "footnote-back", "back"],
            ) || attr(&d, "role") == Some("doc-backlink")
                || frag.starts_with("fnref")
                || frag.starts_with("ref-")
                || d.ancestors()
                    .any(|a| a.value().is_element() && is_notes_container(&tokens(&a), &a));
            if !(in_sup || marked) || back {
                continue;
            }
            let Some(&target) = ids.get(&frag) else {
                continue;
            };
            // The note is the list item (or paragraph) holding the target.
            let Some(tn) = root.tree().get(target) else {
                continue;
            };
            let note = std::iter::once(tn)
                .chain(tn.ancestors())
                .find(|a| {
                    matches!(
                        tag(a),
                        Some("li") | Some("p") | Some("div") | Some("aside") | Some("section")
                    )
                })
                .unwrap_or(tn);
            if matches!(
                tag(&note),
                Some("body") | Some("html") | Some("article") | Some("main")
            ) {
                continue;
            }
            self.note_ids.insert(frag, note.id());
            if !targets.contains(&note.id()) {
                targets.push(note.id());
            }
        }
        // Items of notes lists (also unlinked ones).
        for d in root.descendants() {
            if matches!(tag(&d), Some("ol") | Some("ul")) {
                let toks = tokens(&d);
                let container = is_notes_container(&toks, &d)
                    || d.ancestors()
                        .take(3)
                        .any(|a| a.value().is_element() && is_notes_container(&tokens(&a), &a));
                if container {
                    for li in d.children().filter(|c| tag(c) == Some("li")) {
                        if !targets.contains(&li.id()) {
                            targets.push(li.id());
                        }
                    }
                }
            }
        }
        // Keys in document order.
        let order: HashMap<NodeId, usize> = root
            .descendants()
            .enumerate()
            .map(|(i, d)| (d.id(), i))
            .collect();
        targets.sort_by_key(|id| order.get(id).copied().unwrap_or(usize::MAX));
        for id in targets {
            self.note_keys.insert(id, self.next_note_key);
            self.next_note_key += 1;
        }
    }

    /// Reads a block-level node (and everything in it) into units.
    fn block(&mut self, n: N<'_>, depth: usize) {
        match n.value() {
            Node::Text(_) => {
                // Loose text is gathered by `container`.
                self.container(n, depth);
                return;
            }
            Node::Element(_) => {}
            Node::Document | Node::Fragment => {
                for c in n.children() {
                    self.block(c, depth + 1);
                }
                return;
            }
            _ => return,
        }
        let name = tag(&n).unwrap_or("");
        if is_ignored(name) || is_hidden(&n) {
            return;
        }
        if depth > MAX_DEPTH {
            let t = text_of(&n);
            if !t.is_empty() {
                self.push(
                    self.line_of(&n),
                    Kind::Para(vec![Inline::Text(t)]),
                    Style::Plain,
                    None,
                );
            }
            return;
        }
        if let Some(&key) = self.note_keys.get(&n.id()) {
            let _ = key;
            self.note(n);
            return;
        }
        let toks = tokens(&n);
        let line = self.line_of(&n);

        // Bios before chrome: an author box often sits in a footer.
        if is_bio_block(&toks) && !matches!(name, "body" | "html" | "main" | "article") {
            self.bio(n, depth);
            return;
        }
        if matches!(name, "aside" | "figure" | "div" | "blockquote") && is_pull(&toks) {
            let blocks = self.blocks_of(n, depth, true);
            if !blocks.is_empty() {
                self.push(line, Kind::Quote { blocks, pull: true }, Style::Plain, None);
            }
            return;
        }
        if !matches!(name, "body" | "html" | "main" | "article")
            && let Some(reason) = chrome_reason(&n, name, &toks).or(match name {
                "aside" => Some("aside"),
                "footer" => Some("footer"),
                _ => None,
            })
        {
            let t = text_of(&n);
            if !t.is_empty() {
                self.push(
                    line,
                    Kind::Para(vec![Inline::Text(t)]),
                    Style::Plain,
                    Some(Hint::Chrome(reason.to_string())),
                );
            }
            return;
        }
        if is_byline(&toks)
            && !matches!(
                name,
                "body" | "html" | "main" | "article" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
            )
            && text_of(&n).split_whitespace().count() <= 20
            && !n.descendants().any(|d| tag(&d) == Some("h1"))
        {
            let t = text_of(&n);
            if !t.is_empty() {
                let name_only = t
                    .trim_start_matches("By ")
                    .trim_start_matches("by ")
                    .to_string();
                self.push(
                    line,
                    Kind::Para(vec![Inline::Text(t)]),
                    Style::Plain,
                    Some(Hint::Byline(name_only)),
                );
            }
            return;
        }
        if is_dek(&toks)
            && !self.standfirst_done
            && !matches!(name, "body" | "html" | "main" | "article" | "section")
            && n.descendants()
                .filter(|d| {
                    matches!(
                        tag(d),
                        Some("p") | Some("li") | Some("blockquote") | Some("h2") | Some("h3")
                    )
                })
                .count()
                <= 1
        {
            let content = self.inlines_of(n, depth);
            if !content.is_empty()
                && super::textutil::word_count(&crate::model::plain_text(&content)) <= 100
            {
                self.standfirst_done = true;
                self.push(
                    line,
                    Kind::Para(content),
                    Style::Plain,
                    Some(Hint::Standfirst),
                );
                return;
            }
        }
        match name {
            "h1" if !self.title_done => {
                self.title_done = true;
                let content = self.inlines_of(n, depth);
                if !content.is_empty() {
                    self.push(
                        line,
                        Kind::Heading(1, content),
                        Style::Heading(1),
                        Some(Hint::Title),
                    );
                } else {
                    self.title_done = false;
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse::<u8>().unwrap_or(2).max(2);
                let content = self.inlines_of(n, depth);
                if content.is_empty() {
                    return;
                }
                let text = crate::model::plain_text(&content);
                self.notes_next = super::junk::is_notes_heading(&text);
                let style = question_class(&toks).unwrap_or(Style::Heading(level));
                self.push(line, Kind::Heading(level, content), style, None);
            }
            "p" | "address" | "dt" | "dd" | "summary" | "figcaption" | "caption" => {
                self.paragraph(n, depth, &toks)
            }
            "blockquote" => {
                let blocks = self.blocks_of(n, depth, false);
                if !blocks.is_empty() {
                    self.push(
                        line,
                        Kind::Quote {
                            blocks,
                            pull: false,
                        },
                        Style::Plain,
                        None,
                    );
                }
            }
            "ul" | "ol" => {
                let notes_list = std::mem::take(&mut self.notes_next);
                if notes_list && !n.children().any(|c| self.note_keys.contains_key(&c.id())) {
                    // An unlinked list after a "Notes" heading.
                    for li in n.children().filter(|c| tag(c) == Some("li")) {
                        self.note_keys.insert(li.id(), self.next_note_key);
                        self.next_note_key += 1;
                        self.note(li);
                    }
                    return;
                }
                if n.children().any(|c| self.note_keys.contains_key(&c.id())) {
                    for li in n.children() {
                        if self.note_keys.contains_key(&li.id()) {
                            self.note(li);
                        }
                    }
                    return;
                }
                if let Some(b) = self.list(n, depth, 0) {
                    self.push(line, Kind::Block(b), Style::Plain, None);
                }
            }
            "figure" | "img" | "picture" => self.figure(n),
            "table" => self.table(n, depth),
            "pre" => {
                let mut text = String::new();
                for t in n.descendants().filter_map(|d| d.value().as_text()) {
                    text.push_str(t);
                }
                let text: String = text
                    .chars()
                    .filter(|&c| c == '\n' || !is_unwanted(c))
                    .collect();
                let text = text.trim_matches('\n').to_string();
                if !text.trim().is_empty() {
                    self.push(
                        line,
                        Kind::Block(Block::CodeBlock {
                            text,
                            lang: None,
                            span: self.span(line),
                        }),
                        Style::Plain,
                        None,
                    );
                }
            }
            "hr" => self.push(
                line,
                Kind::Block(Block::SectionBreak {
                    span: self.span(line),
                }),
                Style::Plain,
                None,
            ),
            "br" => {}
            _ => self.container(n, depth),
        }
    }

    /// A container: block children are read as blocks; runs of inline
    /// content between them become paragraphs.
    fn container(&mut self, n: N<'_>, depth: usize) {
        if n.value().is_text() {
            let t = clean(n.value().as_text().map_or("", |t| t));
            if !t.is_empty() {
                let line = self.line_of(&n);
                self.push(line, Kind::Para(vec![Inline::Text(t)]), Style::Plain, None);
            }
            return;
        }
        let mut run: Vec<N<'_>> = Vec::new();
        for c in n.children() {
            let blockish = match c.value() {
                Node::Element(e) => {
                    let nm = e.name();
                    (is_block(nm) && nm != "br") || nm == "img" || nm == "picture" || is_ignored(nm)
                }
                _ => false,
            };
            if blockish {
                self.flush_run(&mut run, n, depth);
                self.block(c, depth + 1);
            } else {
                run.push(c);
            }
        }
        self.flush_run(&mut run, n, depth);
    }

    fn flush_run(&mut self, run: &mut Vec<N<'_>>, parent: N<'_>, depth: usize) {
        if run.is_empty() {
            return;
        }
        let mut v = Vec::new();
        for c in run.iter() {
            self.inline(*c, &mut v, depth + 1);
        }
        let line = run
            .iter()
            .find(|c| c.value().is_element())
            .map_or_else(|| self.line_of(&parent), |c| self.line_of(c));
        run.clear();
        for content in split_paragraphs(v) {
            self.push(line, Kind::Para(content), Style::Plain, None);
        }
    }

    fn paragraph(&mut self, n: N<'_>, depth: usize, toks: &[String]) {
        // A paragraph holding a block (invalid, but seen) is a container.
        if n.children()
            .any(|c| tag(&c).is_some_and(|t| is_block(t) && t != "br"))
        {
            self.container(n, depth);
            return;
        }
        if n.children()
            .any(|c| matches!(tag(&c), Some("img") | Some("picture")))
            && text_of(&n).is_empty()
        {
            for c in n.children() {
                self.block(c, depth + 1);
            }
            return;
        }
        let line = self.line_of(&n);
        let content = self.inlines_of(n, depth);
        if content.is_empty() {
            return;
        }
        let class_style =
            question_class(toks).or_else(|| n.parent().and_then(|p| question_class(&tokens(&p))));
        for content in split_paragraphs(content) {
            // A bold question leading a paragraph: "**Why?** Because …".
            if let Some((q, rest)) = split_bold_lead(&content) {
                self.push(line, Kind::Para(q), Style::Bold, None);
                self.push(
                    line,
                    Kind::Para(rest),
                    class_style.unwrap_or(Style::Plain),
                    None,
                );
                continue;
            }
            let style = class_style.unwrap_or_else(|| whole_style(&content));
            self.push(line, Kind::Para(content), style, None);
        }
    }

    /// The paragraphs of a bio block.
    fn bio(&mut self, n: N<'_>, depth: usize) {
        let start = self.units.len();
        // Read it as ordinary content, then keep the paragraphs as the bio
        // (headings such as "About the author" and author photos go).
        let saved = self.title_done;
        self.title_done = true;
        self.container_or_block(n, depth);
        self.title_done = saved;
        let mut kept = Vec::new();
        for mut u in self.units.drain(start..) {
            match u.kind {
                Kind::Para(_) if u.hint.is_none() => {
                    u.hint = Some(Hint::Bio);
                    kept.push(u);
                }
                Kind::Heading(..) => {
                    let t = u.text();
                    self.report
                        .drop(u.line, t, "bio heading (the book sets its own)");
                }
                _ => {
                    let reason = match &u.hint {
                        Some(Hint::Chrome(r)) => r.clone(),
                        Some(Hint::Byline(_)) => "byline".into(),
                        _ => {
                            "not text of the bio (a picture, list or quote in the bio block)".into()
                        }
                    };
                    self.report.drop(u.line, u.text(), reason);
                }
            }
        }
        self.units.extend(kept);
    }

    fn container_or_block(&mut self, n: N<'_>, depth: usize) {
        match tag(&n) {
            Some("p") => self.paragraph(n, depth, &[]),
            _ => self.container(n, depth),
        }
    }

    /// One endnote: its content without back-links.
    fn note(&mut self, n: N<'_>) {
        if !self.emitted_notes.insert(n.id()) {
            return;
        }
        let Some(&key) = self.note_keys.get(&n.id()) else {
            return;
        };
        let line = self.line_of(&n);
        let mut blocks = self.blocks_of(n, 0, true);
        // Drop back-link leftovers ("↩", "^") at the end.
        crate::model::visit_inlines_mut(&mut blocks, &mut |v: &mut Vec<Inline>| {
            while let Some(Inline::Text(t)) = v.last_mut() {
                let trimmed = t
                    .trim_end()
                    .trim_end_matches(['↩', '↑', '^', '︎'])
                    .trim_end();
                if trimmed.len() == t.len() {
                    break;
                }
                *t = trimmed.to_string();
                if t.is_empty() {
                    v.pop();
                } else {
                    break;
                }
            }
        });
        blocks.retain(|b| {
            !crate::model::plain_text_blocks(std::slice::from_ref(b))
                .trim()
                .is_empty()
        });
        if blocks.is_empty() {
            return;
        }
        self.push(line, Kind::Note { key, blocks }, Style::Plain, None);
    }

    /// The model blocks of a node's content (quotes, list items, notes).
    fn blocks_of(&mut self, n: N<'_>, depth: usize, drop_cite: bool) -> Vec<Block> {
        let start = self.units.len();
        let saved = (self.title_done, self.standfirst_done);
        self.title_done = true;
        self.standfirst_done = true;
        match tag(&n) {
            Some("p") => self.paragraph(n, depth + 1, &[]),
            _ => {
                for c in n.children() {
                    if drop_cite && matches!(tag(&c), Some("cite") | Some("footer")) {
                        let t = text_of(&c);
                        if !t.is_empty() {
                            let line = self.line_of(&c);
                            self.report.drop(line, t, "attribution of a pull quote");
                        }
                        continue;
                    }
                    if tag(&c).is_some_and(|t| !is_block(t) && t != "img") || c.value().is_text() {
                        // Inline content directly in the quote.
                        let mut v = Vec::new();
                        self.inline(c, &mut v, depth + 1);
                        let line = self.line_of(&n);
                        let has_prev = self.units.len() > start;
                        if has_prev
                            && let Some(Unit {
                                kind: Kind::Para(prev),
                                line: l,
                                ..
                            }) = self.units.last_mut()
                            && *l == line
                            && !v.is_empty()
                        {
                            prev.extend(v);
                            continue;
                        }
                        if !v.is_empty() {
                            self.push(line, Kind::Para(v), Style::Plain, None);
                        }
                    } else {
                        self.block(c, depth + 1);
                    }
                }
            }
        }
        (self.title_done, self.standfirst_done) = saved;
        let units: Vec<Unit> = self.units.drain(start..).collect();
        let mut out = Vec::new();
        for u in units {
            match u.kind {
                Kind::Para(mut c) => {
                    normalize(&mut c);
                    if !c.is_empty() {
                        out.push(Block::Paragraph {
                            content: c,
                            span: u.span,
                        });
                    }
                }
                Kind::Heading(l, c) => out.push(Block::Heading {
                    level: l.clamp(3, 6),
                    id: None,
                    content: c,
                    span: u.span,
                }),
                Kind::ListItem { content, .. } => out.push(Block::Paragraph {
                    content,
                    span: u.span,
                }),
                Kind::Quote { blocks, .. } => {
                    if depth < 8 {
                        out.push(Block::BlockQuote {
                            content: blocks,
                            span: u.span,
                        })
                    } else {
                        out.extend(blocks)
                    }
                }
                Kind::Block(b) => out.push(b),
                Kind::Note { blocks, .. } => out.extend(blocks),
            }
        }
        out
    }

    fn list(&mut self, n: N<'_>, depth: usize, list_depth: usize) -> Option<Block> {
        let ordered = tag(&n) == Some("ol");
        let start = if ordered {
            Some(
                attr(&n, "start")
                    .and_then(|s| s.trim().parse::<u64>().ok())
                    .unwrap_or(1)
                    .min(999_999_999),
            )
        } else {
            None
        };
        let mut items = Vec::new();
        for li in n.children() {
            if tag(&li) != Some("li") {
                continue;
            }
            let mut blocks = Vec::new();
            let mut inl = Vec::new();
            for c in li.children() {
                match tag(&c) {
                    Some("ul") | Some("ol") => {
                        push_para(&mut inl, &mut blocks, self.span(self.line_of(&li)));
                        if list_depth < MAX_LIST_DEPTH && depth < MAX_DEPTH {
                            if let Some(b) = self.list(c, depth + 1, list_depth + 1) {
                                blocks.push(b);
                            }
                        } else {
                            // Too deep: the text, as a paragraph.
                            let t = text_of(&c);
                            if !t.is_empty() {
                                blocks.push(Block::Paragraph {
                                    content: vec![Inline::Text(t)],
                                    span: self.span(self.line_of(&c)),
                                });
                            }
                        }
                    }
                    Some(t) if is_block(t) && t != "br" => {
                        push_para(&mut inl, &mut blocks, self.span(self.line_of(&li)));
                        blocks.extend(self.blocks_of(c, depth + 1, false));
                    }
                    _ => self.inline(c, &mut inl, depth + 1),
                }
            }
            push_para(&mut inl, &mut blocks, self.span(self.line_of(&li)));
            if !blocks.is_empty() {
                items.push(ListItem { blocks });
            }
        }
        (!items.is_empty()).then(|| Block::List {
            start,
            items,
            span: self.span(self.line_of(&n)),
        })
    }

    fn table(&mut self, n: N<'_>, depth: usize) {
        // A table of text cells becomes a table; a layout table is read as
        // containers.
        let layout = n.descendants().skip(1).any(|d| {
            matches!(
                tag(&d),
                Some("table")
                    | Some("p")
                    | Some("div")
                    | Some("ul")
                    | Some("ol")
                    | Some("blockquote")
                    | Some("h2")
                    | Some("h3")
            )
        });
        if layout {
            self.container(n, depth);
            return;
        }
        let mut head = Vec::new();
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        for tr in n.descendants().filter(|d| tag(d) == Some("tr")) {
            let cells: Vec<N<'_>> = tr
                .children()
                .filter(|c| matches!(tag(c), Some("td") | Some("th")))
                .collect();
            if cells.is_empty() {
                continue;
            }
            let all_th = cells.iter().all(|c| tag(c) == Some("th"));
            let row: Vec<Vec<Inline>> = cells
                .iter()
                .map(|c| one_line(self.inlines_of(*c, depth)))
                .collect();
            if head.is_empty() && rows.is_empty() && all_th {
                head = row;
            } else {
                rows.push(row);
            }
        }
        let width = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
        if width == 0 {
            return;
        }
        if head.is_empty() {
            head = rows.remove(0);
        }
        head.resize(width, Vec::new());
        for r in &mut rows {
            r.resize(width, Vec::new());
        }
        let line = self.line_of(&n);
        let align = vec![crate::model::Align::None; width];
        self.push(
            line,
            Kind::Block(Block::Table {
                align,
                head,
                rows,
                span: self.span(line),
            }),
            Style::Plain,
            None,
        );
    }

    fn figure(&mut self, n: N<'_>) {
        let line = self.line_of(&n);
        let img = if tag(&n) == Some("img") {
            Some(n)
        } else {
            n.descendants().find(|d| tag(d) == Some("img"))
        };
        let Some(img) = img else {
            self.container(n, 0);
            return;
        };
        if is_tracking_pixel(&img) {
            return;
        }
        let alt = clean(attr(&img, "alt").unwrap_or(""));
        let caption = n
            .descendants()
            .find(|d| tag(d) == Some("figcaption"))
            .map(|c| one_line(self.inlines_of(c, 0)))
            .unwrap_or_default();
        let caption_text = crate::model::plain_text(&caption);
        let src = attr(&img, "src")
            .or_else(|| attr(&img, "data-src"))
            .unwrap_or("")
            .trim()
            .to_string();
        let what = if alt.is_empty() {
            caption_text.clone()
        } else {
            alt.clone()
        };
        if alt.is_empty() && caption_text.is_empty() {
            self.report.drop(
                line,
                src,
                "picture without alt text or caption (decorative, or a logo)",
            );
            return;
        }
        match self.local_image(&src) {
            Some((from, format, w, h)) => {
                let name = self.image_name(&from);
                let to = format!("images/{name}");
                self.images.push(ImageCopy {
                    from: from.clone(),
                    to: to.clone(),
                });
                if alt.is_empty() {
                    self.report.unsure(
                        line,
                        caption_text.clone(),
                        "picture has no alt text; its caption is used as alt text",
                    );
                }
                let image = Image {
                    path: from,
                    src: to,
                    alt: if alt.is_empty() { caption_text } else { alt },
                    width: w,
                    height: h,
                    format,
                };
                self.push(
                    line,
                    Kind::Block(Block::Figure {
                        image,
                        caption,
                        span: self.span(line),
                    }),
                    Style::Plain,
                    None,
                );
            }
            None => {
                let why = if src.starts_with("data:") {
                    "picture embedded in the page (data: URL); save it as a file into images/ and add it by hand".to_string()
                } else {
                    format!(
                        "picture not in the saved page's folder ({}); qalam never downloads: save it into images/ and add it by hand",
                        if src.is_empty() { "no src" } else { &src }
                    )
                };
                self.report.drop(line, what, why);
            }
        }
    }

    /// A picture saved next to the page (`Page_files/x.jpg`).
    fn local_image(&self, src: &str) -> Option<(PathBuf, crate::model::ImageFormat, u32, u32)> {
        let base = self.base_dir.as_ref()?;
        let lower = src.to_ascii_lowercase();
        if src.is_empty()
            || lower.contains("://")
            || lower.starts_with("//")
            || lower.starts_with("data:")
            || lower.starts_with("javascript:")
            || src.starts_with('/')
        {
            return None;
        }
        let rel = percent_decode(src.split(['?', '#']).next().unwrap_or(""));
        let base = base.canonicalize().ok()?;
        let path = base.join(&rel).canonicalize().ok()?;
        if !path.starts_with(&base) || !path.is_file() {
            return None;
        }
        let (format, w, h) = crate::source::paths::probe_image(&path).ok()?;
        Some((path, format, w, h))
    }

    fn image_name(&mut self, from: &Path) -> String {
        let stem = from
            .file_stem()
            .map(|s| crate::slug::slugify(&s.to_string_lossy()))
            .unwrap_or_else(|| "image".into());
        let ext = from
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()) && !e.is_empty())
            .unwrap_or_else(|| "jpg".into());
        let mut name = format!("{stem}.{ext}");
        let mut k = 2;
        while !self.image_names.insert(name.clone()) {
            name = format!("{stem}-{k}.{ext}");
            k += 1;
        }
        name
    }

    fn inlines_of(&mut self, n: N<'_>, depth: usize) -> Vec<Inline> {
        let mut v = Vec::new();
        for c in n.children() {
            self.inline(c, &mut v, depth + 1);
        }
        normalize(&mut v);
        v
    }

    /// Inline content of a node, appended to `out`.
    fn inline(&mut self, n: N<'_>, out: &mut Vec<Inline>, depth: usize) {
        match n.value() {
            Node::Text(t) => {
                let mut s = String::with_capacity(t.len());
                let mut space = false;
                for c in t.chars() {
                    if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
                        if !space {
                            s.push(' ');
                        }
                        space = true;
                    } else if !is_unwanted(c) {
                        s.push(c);
                        space = false;
                    }
                }
                crate::source::markdown::push_text(out, &s);
                return;
            }
            Node::Element(_) => {}
            _ => return,
        }
        let name = tag(&n).unwrap_or("");
        if is_ignored(name) || is_hidden(&n) {
            return;
        }
        let toks = tokens(&n);
        if has_token(
            &toks,
            &[
                "screen-reader-text",
                "sr-only",
                "visually-hidden",
                "visuallyhidden",
            ],
        ) {
            return;
        }
        if depth > MAX_DEPTH {
            crate::source::markdown::push_text(out, &text_of(&n));
            return;
        }
        let kids = |me: &mut Self, depth: usize| {
            let mut v = Vec::new();
            for c in n.children() {
                me.inline(c, &mut v, depth + 1);
            }
            v
        };
        // Note references.
        if let Some(k) = self.note_ref(&n) {
            out.push(Inline::NoteRef(k + 1));
            return;
        }
        let lang = attr(&n, "lang").and_then(Lang::parse).filter(|l| {
            self.doc_lang
                .as_deref()
                .is_none_or(|d| Lang::parse(d).is_none_or(|d| d.primary() != l.primary()))
        });
        let item = match name {
            "em" | "i" | "cite" | "dfn" | "var" => Inline::Emphasis(kids(self, depth)),
            "strong" | "b" => Inline::Strong(kids(self, depth)),
            "sup" => Inline::Superscript(kids(self, depth)),
            "sub" => Inline::Subscript(kids(self, depth)),
            "code" | "kbd" | "samp" | "tt" => Inline::Code(clean(&text_of(&n))),
            "br" => Inline::LineBreak,
            "q" => {
                crate::source::markdown::push_text(out, "“");
                let v = kids(self, depth);
                push_all(out, v);
                crate::source::markdown::push_text(out, "”");
                return;
            }
            "a" => {
                let content = kids(self, depth);
                match attr(&n, "href").and_then(|h| self.absolute_url(h)) {
                    Some(url) if !content.is_empty() => Inline::Link { url, content },
                    _ => {
                        push_all(out, content);
                        return;
                    }
                }
            }
            "img" => {
                if !is_tracking_pixel(&n)
                    && let Some(alt) = attr(&n, "alt").map(clean).filter(|a| !a.is_empty())
                {
                    crate::source::markdown::push_text(out, &alt);
                }
                return;
            }
            "del" | "s" | "strike" => {
                // Struck-out text is not what the page says.
                let t = text_of(&n);
                if !t.is_empty() {
                    let line = self.line_of(&n);
                    self.report.drop(line, t, "struck-out text");
                }
                return;
            }
            _ => {
                let v = kids(self, depth);
                if is_block(name) {
                    crate::source::markdown::push_text(out, " ");
                }
                match lang {
                    Some(lang) if !v.is_empty() => Inline::Foreign { lang, content: v },
                    _ => {
                        push_all(out, v);
                        if is_block(name) {
                            crate::source::markdown::push_text(out, " ");
                        }
                        return;
                    }
                }
            }
        };
        let empty = match &item {
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c) => c.is_empty(),
            Inline::Code(t) => t.is_empty(),
            _ => false,
        };
        if !empty {
            out.push(item);
        }
    }

    /// The note a link or superscript refers to.
    fn note_ref(&self, n: &N<'_>) -> Option<u32> {
        let link = match tag(n)? {
            "a" => Some(*n),
            "sup" => n.descendants().find(|d| tag(d) == Some("a")),
            _ => None,
        }?;
        let frag = attr(&link, "href")?.strip_prefix('#')?;
        let note = self.note_ids.get(frag)?;
        self.note_keys.get(note).copied()
    }

    /// The page's link as the model keeps links (see
    /// [`crate::source::markdown::link_url`]), resolved against the page's
    /// address when it is relative.
    fn absolute_url(&self, href: &str) -> Option<String> {
        crate::source::markdown::link_url(&self.resolve_href(href)?)
    }

    fn resolve_href(&self, href: &str) -> Option<String> {
        let h = href.trim();
        let lower = h.to_ascii_lowercase();
        if lower.starts_with("https://")
            || lower.starts_with("http://")
            || lower.starts_with("mailto:")
        {
            return (!h.contains(char::is_whitespace) && !h.contains(['<', '>']))
                .then(|| h.to_string());
        }
        if h.starts_with('#')
            || lower.starts_with("javascript:")
            || lower.starts_with("data:")
            || h.is_empty()
        {
            return None;
        }
        let base = self.base_url.as_ref()?;
        let origin_end = base
            .find("://")
            .map(|i| i + 3)
            .and_then(|s| base[s..].find('/').map(|j| s + j))
            .unwrap_or(base.len());
        let url = if let Some(rest) = h.strip_prefix("//") {
            format!("{}//{rest}", &base[..base.find("//")?])
        } else if h.starts_with('/') {
            format!("{}{h}", &base[..origin_end])
        } else {
            let dir_end = base
                .rfind('/')
                .filter(|&i| i >= origin_end)
                .map_or(base.len(), |i| i + 1);
            let prefix = if dir_end == base.len() && !base.ends_with('/') {
                format!("{base}/")
            } else {
                base[..dir_end].to_string()
            };
            format!("{prefix}{h}")
        };
        (!url.contains(char::is_whitespace) && !url.contains(['<', '>'])).then_some(url)
    }
}

fn push_all(out: &mut Vec<Inline>, v: Vec<Inline>) {
    for x in v {
        match x {
            Inline::Text(t) => crate::source::markdown::push_text(out, &t),
            x => out.push(x),
        }
    }
}

fn push_para(inl: &mut Vec<Inline>, blocks: &mut Vec<Block>, span: Span) {
    let mut v = std::mem::take(inl);
    normalize(&mut v);
    if !v.is_empty() {
        blocks.push(Block::Paragraph { content: v, span });
    }
}

/// Collapses white space across inline boundaries and trims the ends.
pub fn normalize(v: &mut Vec<Inline>) {
    fn walk(v: &mut Vec<Inline>, space: &mut bool) {
        for x in v.iter_mut() {
            match x {
                Inline::Text(t) => {
                    let mut s = String::with_capacity(t.len());
                    for c in t.chars() {
                        if c == ' ' {
                            if !*space {
                                s.push(' ');
                            }
                            *space = true;
                        } else {
                            s.push(c);
                            *space = false;
                        }
                    }
                    *t = s;
                }
                Inline::LineBreak => *space = true,
                Inline::Code(_) => *space = false,
                Inline::NoteRef(_) => {}
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Link { content: c, .. }
                | Inline::Foreign { content: c, .. } => walk(c, space),
            }
        }
        v.retain(|x| match x {
            Inline::Text(t) => !t.is_empty(),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Foreign { content: c, .. } => !c.is_empty(),
            _ => true,
        });
    }
    let mut space = true;
    walk(v, &mut space);
    // Trim leading/trailing white space, also inside leading/trailing wrappers.
    trim_edges(v);
    while matches!(v.first(), Some(Inline::LineBreak)) {
        v.remove(0);
    }
    while matches!(v.last(), Some(Inline::LineBreak)) {
        v.pop();
    }
    trim_edges(v);
}

fn trim_edges(v: &mut Vec<Inline>) {
    loop {
        match v.first_mut() {
            Some(Inline::Text(t)) => {
                let s = t.trim_start_matches(' ');
                if s.is_empty() {
                    v.remove(0);
                    continue;
                }
                *t = s.to_string();
            }
            Some(
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Foreign { content: c, .. },
            ) => {
                if let Some(Inline::Text(t)) = c.first_mut() {
                    *t = t.trim_start_matches(' ').to_string();
                    if t.is_empty() {
                        c.remove(0);
                    }
                }
                if c.is_empty() {
                    v.remove(0);
                    continue;
                }
            }
            _ => {}
        }
        break;
    }
    loop {
        match v.last_mut() {
            Some(Inline::Text(t)) => {
                let s = t.trim_end_matches(' ');
                if s.is_empty() {
                    v.pop();
                    continue;
                }
                *t = s.to_string();
            }
            Some(
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Foreign { content: c, .. },
            ) => {
                if let Some(Inline::Text(t)) = c.last_mut() {
                    *t = t.trim_end_matches(' ').to_string();
                    if t.is_empty() {
                        c.pop();
                    }
                }
                if c.is_empty() {
                    v.pop();
                    continue;
                }
            }
            _ => {}
        }
        break;
    }
}

/// Paragraphs inside one run, split at a blank line made of two `<br>`s.
fn split_paragraphs(v: Vec<Inline>) -> Vec<Vec<Inline>> {
    let mut out = Vec::new();
    let mut cur: Vec<Inline> = Vec::new();
    let mut iter = v.into_iter().peekable();
    while let Some(x) = iter.next() {
        if matches!(x, Inline::LineBreak) {
            // Skip spaces between the breaks.
            let mut breaks = 1;
            while let Some(next) = iter.peek() {
                match next {
                    Inline::LineBreak => {
                        breaks += 1;
                        iter.next();
                    }
                    Inline::Text(t) if t.trim().is_empty() => {
                        iter.next();
                    }
                    _ => break,
                }
            }
            if breaks >= 2 {
                normalize(&mut cur);
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                continue;
            }
        }
        cur.push(x);
    }
    normalize(&mut cur);
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// One line for a table cell or caption: breaks become spaces.
fn one_line(mut v: Vec<Inline>) -> Vec<Inline> {
    crate::model::visit_inline_vec(&mut v, &mut |x: &mut Vec<Inline>| {
        for i in x.iter_mut() {
            if matches!(i, Inline::LineBreak) {
                *i = Inline::Text(" ".into());
            }
        }
    });
    normalize(&mut v);
    v
}

/// Bold or italic when all the paragraph's text is.
fn whole_style(v: &[Inline]) -> Style {
    let mut bold = true;
    let mut italic = true;
    let mut any = false;
    for x in v {
        match x {
            Inline::Strong(_) => {
                italic = false;
                any = true;
            }
            Inline::Emphasis(c) => {
                bold &= c.iter().all(|i| {
                    matches!(i, Inline::Strong(_))
                        || matches!(i, Inline::Text(t) if t.trim().is_empty())
                });
                any = true;
            }
            Inline::Text(t) if t.trim().is_empty() => {}
            Inline::NoteRef(_) | Inline::LineBreak => {}
            _ => {
                bold = false;
                italic = false;
            }
        }
    }
    if !any {
        return Style::Plain;
    }
    let has_strong = v.iter().any(|x| matches!(x, Inline::Strong(_)));
    if bold && has_strong {
        Style::Bold
    } else if italic && v.iter().any(|x| matches!(x, Inline::Emphasis(_))) {
        Style::Italic
    } else {
        Style::Plain
    }
}

/// "**What changed?** Everything …": a bold question, then its answer, in
/// one paragraph.
fn split_bold_lead(v: &[Inline]) -> Option<(Vec<Inline>, Vec<Inline>)> {
    let Some(Inline::Strong(c)) = v.first() else {
        return None;
    };
    let q = crate::model::plain_text(c);
    let q = q.trim();
    if !q.ends_with('?')
        || q.split_whitespace().count() < 3
        || super::assemble::qa_label(q).is_some()
    {
        return None;
    }
    let mut rest: Vec<Inline> = v[1..].to_vec();
    normalize(&mut rest);
    if crate::model::plain_text(&rest).split_whitespace().count() < 3 {
        return None;
    }
    Some((vec![Inline::Strong(c.clone())], rest))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(html: &str) -> Vec<Unit> {
        let mut r = Report::default();
        read(html, FileId(0), None, &mut r).units
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
        assert_eq!(
            u[0].hint,
            Some(Hint::Chrome("outside the article: navigation".into()))
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

#[cfg(test)]
mod nesting_tests {
    use super::nesting_depth;

    #[test]
    fn nesting_is_estimated_from_tags() {
        assert_eq!(
            nesting_depth("<html><body><div><p>a<p>b<ul><li>x<li>y</ul></div>"),
            2
        );
        assert_eq!(
            nesting_depth("<div><br><img src='a>b'><hr/><x-y/></div>"),
            1
        );
        assert_eq!(
            nesting_depth("<script>if (a<b) { '<div><div>' }</script><!-- <div><div> -->"),
            0
        );
        assert_eq!(nesting_depth(&"<div><blockquote>".repeat(1000)), 2000);
        assert_eq!(nesting_depth("< div> 3 < 4 <1> </div></div></div>"), 0);
    }
}
