//! How deep a page's elements nest, estimated from its tags before it is
//! parsed.
//!
//! The HTML parsing algorithm scans the stack of open elements for many
//! start and end tags, so a page nested tens of thousands deep costs time
//! in the square of its size (80,000 `<rb>` outside a `<ruby>`: minutes for
//! 320 KB). html5ever cannot be stopped part-way, so the depth is estimated
//! first by a small model of the tree builder's stack: the elements whose
//! end tag may be left out close as the builder closes them (`<p>` before
//! a block, `<li>` before `<li>` in the same list, `<rb>` only inside a
//! `<ruby>` …), and the rest nest. Where the model is unsure it closes
//! rather than nests, so a sloppy but real page is not over-counted; what
//! the builder nests without limit (`<rb>`, `<optgroup>` outside their
//! parents, `<div/>`, markup inside an SVG `<title>`) is counted.

/// Pages whose elements nest deeper than this are refused before parsing.
/// Real pages nest a few dozen levels.
pub const MAX_HTML_NESTING: usize = 512;

/// Pages with more elements than this are refused before parsing: each
/// element costs about a hundred bytes in each of the two trees the
/// importer builds (its own and Readability's), and real pages have tens
/// of thousands.
pub const MAX_HTML_ELEMENTS: usize = 400_000;

/// The estimate stops once it passes this: deeper is refused all the same,
/// and each tag's look down the stack stays bounded (linear time).
const STOP: usize = 4 * MAX_HTML_NESTING;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "frame", "basefont", "bgsound", "image",
];

/// Elements whose content the tokenizer reads as text (outside SVG/MathML).
const RAW: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// Start tags that close an open `<p>` (the builder's "close a p element").
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "listing",
    "form",
    "table",
    "hr",
    "xmp",
    "plaintext",
    "li",
    "dd",
    "dt",
];

/// The builder's stack of open elements, as far as the model knows it.
#[derive(Default)]
struct Stack {
    open: Vec<String>,
    /// Open `<svg>`/`<math>` elements: inside them tags self-close and
    /// nothing is raw text.
    foreign: usize,
}

impl Stack {
    fn has(&self, name: &str) -> bool {
        self.open.iter().any(|n| n == name)
    }

    /// Pops back to (and including) the nearest element in `names`, unless
    /// one of `stop` is found first.
    fn close(&mut self, names: &[&str], stop: &[&str]) {
        for k in (0..self.open.len()).rev() {
            let n = self.open[k].as_str();
            if names.contains(&n) {
                self.truncate(k);
                return;
            }
            if stop.contains(&n) {
                return;
            }
        }
    }

    fn truncate(&mut self, k: usize) {
        for n in self.open.drain(k..) {
            if n == "svg" || n == "math" {
                self.foreign -= 1;
            }
        }
    }

    fn push(&mut self, name: String) {
        if name == "svg" || name == "math" {
            self.foreign += 1;
        }
        self.open.push(name);
    }

    /// What a start tag `name` closes before it opens.
    fn implied_ends(&mut self, name: &str) {
        const SCOPE: &[&str] = &[
            "table", "td", "th", "caption", "button", "applet", "object", "marquee", "template",
        ];
        if CLOSES_P.contains(&name) && self.open.last().is_some_and(|t| t == "p") {
            self.open.pop();
        }
        match name {
            "p" => self.close(&["p"], SCOPE),
            "li" => self.close(&["li"], &[SCOPE, &["ul", "ol"]].concat()),
            "dt" | "dd" => self.close(&["dt", "dd"], &[SCOPE, &["dl"]].concat()),
            // Only inside a <ruby>; elsewhere they nest.
            "rb" | "rtc" if self.has("ruby") => self.close(&["rb", "rt", "rtc", "rp"], &["ruby"]),
            "rt" | "rp" if self.has("ruby") => self.close(&["rb", "rt", "rp"], &["ruby", "rtc"]),
            "option" | "optgroup" => {
                if self.open.last().is_some_and(|t| t == "option") {
                    self.open.pop();
                }
                if name == "optgroup"
                    && self.has("select")
                    && self.open.last().is_some_and(|t| t == "optgroup")
                {
                    self.open.pop();
                }
            }
            "tr" => self.close(&["tr"], &["table"]),
            "td" | "th" => self.close(&["td", "th"], &["tr", "table"]),
            "thead" | "tbody" | "tfoot" => self.close(&["thead", "tbody", "tfoot"], &["table"]),
            "caption" | "colgroup" => self.close(&[name], &["table"]),
            _ => {}
        }
    }
}

/// What the tags of a page say of its tree before it is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// The estimated depth of its elements (not counting `html`, `head`
    /// and `body`); past `STOP` the count stops rising.
    pub depth: usize,
    /// Start tags outside comments and raw text.
    pub elements: usize,
}

/// The estimated depth of `html`'s elements; see [`Shape::depth`].
#[cfg(test)]
pub fn nesting_depth(html: &str) -> usize {
    shape(html).depth
}

/// The depth and element count of `html`, from its tags.
pub fn shape(html: &str) -> Shape {
    let mut elements = 0usize;
    let b = html.as_bytes();
    let lower_find = |from: usize, needle: &[u8]| -> Option<usize> {
        b.get(from..)?
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map(|i| from + i)
    };
    let mut stack = Stack::default();
    let (mut max, mut i) = (0usize, 0usize);
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
        // `<div/>` opens a div in HTML; only SVG and MathML close there.
        let self_closed = stack.foreign > 0 && j > 0 && b.get(j - 1) == Some(&b'/');
        i = (j + 1).min(b.len());
        if !closing {
            elements += 1;
        }
        if matches!(name.as_str(), "html" | "head" | "body") || VOID.contains(&name.as_str()) {
            continue;
        }
        if closing {
            stack.close(&[name.as_str()], &[]);
            continue;
        }
        if stack.foreign == 0 && RAW.contains(&name.as_str()) {
            let end = format!("</{name}");
            i = lower_find(i, end.as_bytes()).unwrap_or(b.len());
            continue;
        }
        if self_closed {
            continue;
        }
        stack.implied_ends(&name);
        stack.push(name);
        max = max.max(stack.open.len());
        if max > STOP {
            break;
        }
    }
    Shape {
        depth: max,
        elements,
    }
}

#[cfg(test)]
mod tests {
    use super::nesting_depth;

    #[test]
    fn nesting_is_estimated_from_tags() {
        // div > ul > li; the second <p> closes the first, <ul> closes the
        // open <p>, the second <li> the first.
        assert_eq!(
            nesting_depth("<html><body><div><p>a<p>b<ul><li>x<li>y</ul></div>"),
            3
        );
        assert_eq!(
            nesting_depth("<div><br><img src='a>b'><hr/><x-y></x-y></div>"),
            2
        );
        assert_eq!(
            nesting_depth("<script>if (a<b) { '<div><div>' }</script><!-- <div><div> -->"),
            0
        );
        assert_eq!(nesting_depth(&"<div><blockquote>".repeat(1000)), 2000);
        assert_eq!(nesting_depth("< div> 3 < 4 <1> </div></div></div>"), 0);
        // Tables and ruby as written on real pages.
        assert_eq!(nesting_depth("<table><tr><td>a<td>b<tr><td>c</table>"), 3);
        assert_eq!(nesting_depth("<ruby>漢<rb>a<rt>b<rb>c<rt>d</ruby>"), 2);
    }

    /// What the builder nests without limit is counted: each of these made
    /// the parser take minutes before.
    #[test]
    fn unbounded_nesting_is_counted() {
        let deep = |s: &str| nesting_depth(&s.repeat(3000)) > super::MAX_HTML_NESTING;
        assert!(deep("<rb>a"), "<rb> outside <ruby>");
        assert!(deep("<rt>a"), "<rt> outside <ruby>");
        assert!(deep("<optgroup>a"), "<optgroup> outside <select>");
        assert!(deep("<div/>"), "<div/> is a start tag in HTML");
        assert!(
            nesting_depth(&format!(
                "<svg><title>{}</title></svg>",
                "<div>a".repeat(3000)
            )) > super::MAX_HTML_NESTING,
            "markup inside an SVG <title>"
        );
        // Self-closed SVG elements do not nest.
        assert!(nesting_depth(&format!("<svg>{}</svg>", "<path d='M0'/>".repeat(3000))) < 5);
    }

    #[test]
    fn elements_are_counted_outside_comments_and_raw_text() {
        let s = super::shape("<p>a<br><b>b</b></p><!-- <i> --><script>'<i>'</script>");
        assert_eq!(s.elements, 4);
    }

    #[test]
    fn the_estimate_stops_rising_past_the_limit() {
        let d = nesting_depth(&"<span>".repeat(100_000));
        assert!(d > super::MAX_HTML_NESTING && d <= super::STOP + 1, "{d}");
    }
}
