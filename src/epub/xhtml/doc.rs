//! The XHTML document being written: elements, text, ids and print page
//! markers, and the ids qalam gives notes and their references.

use crate::epub::fonts::{Style, Usage};
use crate::epub::xml::Xml;
use crate::model::Lang;

/// A rendered document and the characters it sets in each style.
pub struct Rendered {
    pub xhtml: Vec<u8>,
    pub usage: Usage,
    /// The print page-break markers written, in document order.
    pub pages: Vec<u32>,
}

/// An XHTML document being written.
pub struct Doc {
    pub(super) x: Xml,
    pub usage: Usage,
    pub(super) style: Style,
    pub(super) ids: crate::slug::UniqueIds,
    /// Level of the last heading written (for `h3`…`h6` without gaps).
    pub(super) last_heading: u8,
    /// Print page-break markers written, in order.
    pub(super) pages: Vec<u32>,
}

/// Where the stylesheet is, from a document at the package root or in `text/`.
pub enum Depth {
    Root,
    Text,
}

impl Doc {
    /// Starts a document: XML declaration, doctype, `html` with its
    /// language, `head` with the title and stylesheet, and the open `body`.
    pub fn new(lang: &Lang, title: &str, depth: Depth, body_type: &str, capacity: usize) -> Doc {
        let mut x = Xml::new(capacity);
        x.raw("<!DOCTYPE html>\n");
        let tag = lang.as_str();
        let mut html: Vec<(&str, &str)> = vec![
            ("xmlns", "http://www.w3.org/1999/xhtml"),
            ("xmlns:epub", "http://www.idpf.org/2007/ops"),
            ("lang", tag),
            ("xml:lang", tag),
        ];
        if lang.is_rtl() {
            html.push(("dir", "rtl"));
        }
        x.start("html", &html);
        x.nl();
        x.start("head", &[]);
        x.nl();
        x.empty("meta", &[("charset", "UTF-8")]);
        x.nl();
        x.elem("title", &[], title);
        x.nl();
        let css = match depth {
            Depth::Root => "css/book.css",
            Depth::Text => "../css/book.css",
        };
        x.empty(
            "link",
            &[("rel", "stylesheet"), ("type", "text/css"), ("href", css)],
        );
        x.nl();
        x.end("head");
        x.nl();
        x.start("body", &[("epub:type", body_type)]);
        x.nl();
        Doc {
            x,
            usage: Usage::default(),
            style: Style::BODY,
            ids: crate::slug::UniqueIds::new(),
            last_heading: 1,
            pages: Vec::new(),
        }
    }

    pub fn finish(mut self) -> Rendered {
        self.x.end("body");
        self.x.nl();
        self.x.end("html");
        self.x.nl();
        Rendered {
            xhtml: self.x.finish(),
            usage: self.usage,
            pages: self.pages,
        }
    }

    /// The marker where print page `n` begins: an empty `span` inside text,
    /// a `div` between blocks. It shows nothing; its number is its label.
    pub fn page_break(&mut self, n: u32, block: bool) {
        let id = format!("page_{n}");
        let label = n.to_string();
        self.reserve(&id);
        self.empty(
            if block { "div" } else { "span" },
            &[
                ("id", &id),
                ("class", "pagebreak"),
                ("epub:type", "pagebreak"),
                ("role", "doc-pagebreak"),
                ("aria-label", &label),
            ],
        );
        if block {
            self.nl();
        }
        self.pages.push(n);
    }

    /// Markers between blocks, in page order.
    pub fn page_breaks(&mut self, numbers: &[u32]) {
        for &n in numbers {
            self.page_break(n, true);
        }
    }

    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.x.start(name, attrs);
    }
    pub fn end(&mut self, name: &str) {
        self.x.end(name);
    }
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.x.empty(name, attrs);
    }
    pub fn nl(&mut self) {
        self.x.nl();
    }

    /// Visible text, recorded for font subsetting in the current style.
    pub fn text(&mut self, s: &str) {
        self.usage.add(s, self.style);
        self.x.text(s);
    }

    /// `<name attrs>text</name>` in the current style.
    pub fn elem(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(name, attrs);
        self.text(text);
        self.end(name);
    }

    /// Runs `f` with text set in `style`.
    pub fn styled<R>(&mut self, style: Style, f: impl FnOnce(&mut Doc) -> R) -> R {
        let saved = self.style;
        self.style = style;
        let r = f(self);
        self.style = saved;
        r
    }

    /// Registers a generated id (they contain `_`, which source ids never
    /// do after [`anchor`], so the two cannot collide).
    pub(super) fn reserve(&mut self, id: &str) {
        self.ids.reserve(id);
    }

    /// A source id made unique in this document.
    pub(super) fn claim(&mut self, wanted: &str) -> String {
        self.ids.claim(&anchor(wanted))
    }
}

/// A source id as an XML/HTML id: ASCII letters, digits and `-`, starting
/// with a letter. Generated ids use `_`, so they never clash with these.
pub fn anchor(wanted: &str) -> String {
    let mut s = String::with_capacity(wanted.len() + 2);
    let mut dash = false;
    for c in wanted.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !s.is_empty() {
                s.push('-');
            }
            dash = false;
            s.push(c);
        } else {
            dash = true;
        }
    }
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert_str(0, "id-");
    }
    s
}

/// The id of note `n` and of its `k`-th reference (1-based).
pub fn note_id(n: u32) -> String {
    format!("note_{n}")
}
pub(super) fn ref_id(n: u32, k: u32) -> String {
    if k <= 1 {
        format!("ref_{n}")
    } else {
        format!("ref_{n}_{k}")
    }
}
pub const ENDNOTES_ID: &str = "endnotes_";
pub const TITLE_ID: &str = "title_";
