//! `word/document.xml`'s body → paragraphs with their roles and inline
//! content, tables, pictures and note references.
//!
//! Tracked changes are read as accepted: inserted and moved-to text is
//! kept, deleted and moved-from text is not. Comments are left out (their
//! text lives in another part, and only their anchors are here).

use super::Doc;
use super::out::Role;
use super::styles::{RunProps, run_props};
use super::xml::{El, Node, Ns};
use crate::model::{Inline, Lang};

/// Nesting of tables in tables, and of fields and content controls,
/// beyond which the content is read as plain text.
const MAX_DEPTH: usize = 32;

/// What a paragraph gave besides its text.
#[derive(Default)]
pub struct Extras {
    /// Pictures: (relationship id, alt text).
    pub pictures: Vec<(String, String)>,
}

/// Formatting in effect for a run.
type Fmt = super::out::Marks;

impl Doc<'_, '_> {
    /// The body's block content, in order.
    pub fn blocks(&mut self, body: &El, depth: usize) {
        for e in body.els() {
            match (e.ns, e.name.as_str()) {
                (Ns::W, "p") => self.paragraph(e),
                (Ns::W, "tbl") => self.table(e, depth),
                (Ns::W, "sdt") => {
                    if let Some(c) = e.child(Ns::W, "sdtContent")
                        && depth < MAX_DEPTH
                    {
                        self.blocks(c, depth + 1);
                    }
                }
                (Ns::W, "customXml") | (Ns::W, "ins") | (Ns::W, "moveTo") => {
                    if e.name != "customXml" {
                        self.inserted += 1;
                    }
                    if depth < MAX_DEPTH {
                        self.blocks(e, depth + 1);
                    }
                }
                (Ns::W, "del") | (Ns::W, "moveFrom") => self.deleted += 1,
                (Ns::Mc, "AlternateContent") => {
                    if let Some(c) = chosen(e)
                        && depth < MAX_DEPTH
                    {
                        self.blocks(c, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: &El) {
        let ppr = p.child(Ns::W, "pPr");
        let style = ppr
            .and_then(|x| x.child(Ns::W, "pStyle"))
            .and_then(|s| s.attr(Ns::W, "val"));
        let mut role = self.styles.role(style);
        if let Some(level) = ppr
            .and_then(|x| x.child(Ns::W, "outlineLvl"))
            .and_then(|o| o.attr(Ns::W, "val"))
            .and_then(|v| v.parse::<u8>().ok())
            .filter(|&l| l < 9)
            && role == Role::Body
        {
            role = Role::Heading(level + 1);
        }
        let num = ppr.and_then(|x| x.child(Ns::W, "numPr"));
        if let Some(num) = num
            && let Some(id) = num
                .child(Ns::W, "numId")
                .and_then(|n| n.attr(Ns::W, "val"))
                .filter(|&id| id != "0")
            && matches!(role, Role::Body | Role::ListItem { .. })
        {
            let level = num
                .child(Ns::W, "ilvl")
                .and_then(|n| n.attr(Ns::W, "val"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            role = Role::ListItem {
                ordered: self.numbering.is_ordered(id, level),
            };
        }
        let base = self.styles.run(style);
        let mut extras = Extras::default();
        let mut content = Vec::new();
        let line = self.out.line();
        self.inlines(p, base, line, &mut content, &mut extras, 0);
        super::merge(&mut content);
        self.out.para(role, content);
        for (id, alt) in extras.pictures {
            self.picture(&id, &alt);
        }
    }

    /// A note's paragraph (its own mark, `w:footnoteRef`, is not read).
    pub(super) fn note_inlines(
        &mut self,
        p: &El,
        line: u32,
        out: &mut Vec<Inline>,
        extras: &mut Extras,
    ) {
        self.inlines(p, RunProps::default(), line, out, extras, 0);
    }

    /// The inline content of `e`'s children.
    fn inlines(
        &mut self,
        e: &El,
        base: RunProps,
        line: u32,
        out: &mut Vec<Inline>,
        extras: &mut Extras,
        depth: usize,
    ) {
        for c in e.els() {
            match (c.ns, c.name.as_str()) {
                (Ns::W, "r") => self.run(c, base, line, out, extras),
                (Ns::W, "hyperlink") => {
                    let mut inner = Vec::new();
                    if depth < MAX_DEPTH {
                        self.inlines(c, base, line, &mut inner, extras, depth + 1);
                    }
                    let url = c
                        .attr(Ns::R, "id")
                        .and_then(|id| self.rels.by_id.get(id))
                        .filter(|r| r.external)
                        .map(|r| r.target.clone())
                        .filter(|u| is_web_address(u));
                    match url {
                        Some(url) if !inner.is_empty() => out.push(Inline::Link {
                            url,
                            content: inner,
                        }),
                        _ => out.extend(inner),
                    }
                }
                (Ns::W, "ins") | (Ns::W, "moveTo") => {
                    self.inserted += 1;
                    if depth < MAX_DEPTH {
                        self.inlines(c, base, line, out, extras, depth + 1);
                    }
                }
                (Ns::W, "del") | (Ns::W, "moveFrom") => self.deleted += 1,
                (Ns::W, "smartTag")
                | (Ns::W, "customXml")
                | (Ns::W, "fldSimple")
                | (Ns::W, "dir")
                | (Ns::W, "bdo")
                    if depth < MAX_DEPTH =>
                {
                    self.inlines(c, base, line, out, extras, depth + 1);
                }
                (Ns::W, "sdt") => {
                    if let Some(s) = c.child(Ns::W, "sdtContent")
                        && depth < MAX_DEPTH
                    {
                        self.inlines(s, base, line, out, extras, depth + 1);
                    }
                }
                (Ns::Mc, "AlternateContent") => {
                    if let Some(s) = chosen(c)
                        && depth < MAX_DEPTH
                    {
                        self.inlines(s, base, line, out, extras, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn run(
        &mut self,
        r: &El,
        base: RunProps,
        line: u32,
        out: &mut Vec<Inline>,
        extras: &mut Extras,
    ) {
        let rpr = r.child(Ns::W, "rPr");
        let char_style = rpr
            .and_then(|x| x.child(Ns::W, "rStyle"))
            .and_then(|s| s.attr(Ns::W, "val"));
        let props = run_props(rpr).over(self.styles.run(char_style)).over(base);
        let align = rpr
            .and_then(|x| x.child(Ns::W, "vertAlign"))
            .and_then(|v| v.attr(Ns::W, "val"));
        let fmt = Fmt {
            bold: props.bold.unwrap_or(false),
            italic: props.italic.unwrap_or(false),
            sup: align == Some("superscript"),
            sub: align == Some("subscript"),
        };
        let lang = rpr
            .and_then(|x| x.child(Ns::W, "lang"))
            .and_then(|l| l.attr(Ns::W, "val"))
            .and_then(Lang::parse)
            .filter(|l| {
                self.lang
                    .as_ref()
                    .is_some_and(|d| d.primary() != l.primary())
            });
        let mut text = Vec::new();
        self.run_content(r, line, &mut text, out, extras, fmt, 0);
        flush(&mut text, out, fmt, lang.as_ref());
    }

    /// A run's content: text gathered in `text`, flushed with its
    /// formatting before anything that is not text (a note reference).
    #[allow(clippy::too_many_arguments)]
    fn run_content(
        &mut self,
        r: &El,
        line: u32,
        text: &mut Vec<Inline>,
        out: &mut Vec<Inline>,
        extras: &mut Extras,
        fmt: Fmt,
        depth: usize,
    ) {
        for n in &r.kids {
            let Node::El(c) = n else { continue };
            match (c.ns, c.name.as_str()) {
                (Ns::W, "t") => crate::source::markdown::push_text(text, &c.text()),
                (Ns::W, "tab") | (Ns::W, "ptab") => crate::source::markdown::push_text(text, " "),
                (Ns::W, "br") if !matches!(c.attr(Ns::W, "type"), Some("page" | "column")) => {
                    text.push(Inline::LineBreak);
                }
                (Ns::W, "cr") => text.push(Inline::LineBreak),
                (Ns::W, "noBreakHyphen") => crate::source::markdown::push_text(text, "\u{2011}"),
                (Ns::W, "sym") => {
                    if let Some(ch) = c
                        .attr(Ns::W, "char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                        .filter(|ch| !('\u{E000}'..='\u{F8FF}').contains(ch))
                    {
                        crate::source::markdown::push_text(text, ch.encode_utf8(&mut [0; 4]));
                    }
                }
                (Ns::W, "footnoteReference") | (Ns::W, "endnoteReference") => {
                    let endnote = c.name == "endnoteReference";
                    if let Some(id) = c.attr(Ns::W, "id") {
                        let key = self.note_key(endnote, id);
                        flush(text, out, fmt, None);
                        out.push(Inline::NoteRef(key + 1));
                    }
                }
                (Ns::W, "commentReference") => {
                    if let Some(id) = c.attr(Ns::W, "id") {
                        self.comment_at(id, line);
                    }
                }
                (Ns::W, "drawing") => {
                    for pic in c.els() {
                        self.drawing(pic, line, extras);
                    }
                }
                (Ns::W, "pict") | (Ns::W, "object") => self.vml(c, line, extras),
                (Ns::Mc, "AlternateContent") => {
                    if let Some(s) = chosen(c)
                        && depth < MAX_DEPTH
                    {
                        self.run_content(s, line, text, out, extras, fmt, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// A `wp:inline` or `wp:anchor` drawing: its pictures, with the alt
    /// text of its `wp:docPr`. Text boxes are left out (and reported).
    fn drawing(&mut self, d: &El, line: u32, extras: &mut Extras) {
        let doc_pr = d.child(Ns::Wp, "docPr");
        let alt = doc_pr
            .and_then(|p| p.attr(Ns::None, "descr"))
            .filter(|s| !s.trim().is_empty())
            .or_else(|| doc_pr.and_then(|p| p.attr(Ns::None, "title")))
            .unwrap_or("")
            .to_string();
        for blip in d.find_all(Ns::A, "blip") {
            if let Some(id) = blip.attr(Ns::R, "embed") {
                extras.pictures.push((id.to_string(), alt.clone()));
            } else if let Some(id) = blip.attr(Ns::R, "link") {
                self.external(id, line);
            }
        }
        for tb in d.find_all(Ns::W, "txbxContent") {
            let t = crate::import::textutil::clean(&tb.text());
            if !t.is_empty() {
                self.out
                    .report
                    .drop(line, t, "text box (not part of the running text)");
            }
        }
    }

    /// An old-style (VML) picture or an embedded object.
    fn vml(&mut self, p: &El, line: u32, extras: &mut Extras) {
        if p.name == "object" {
            self.out.report.drop(
                line,
                String::new(),
                "embedded object (a spreadsheet, chart or equation); export it as a picture and add it by hand",
            );
        }
        let alt = p
            .find(Ns::V, "shape")
            .and_then(|s| s.attr(Ns::None, "alt"))
            .unwrap_or("")
            .to_string();
        for im in p.find_all(Ns::V, "imagedata") {
            if let Some(id) = im.attr(Ns::R, "id") {
                if self.rels.by_id.get(id).is_some_and(|r| r.external) {
                    self.external(id, line);
                } else if p.name != "object" {
                    extras.pictures.push((id.to_string(), alt.clone()));
                }
            }
        }
    }

    /// A table, each cell's paragraphs as one line of text.
    fn table(&mut self, t: &El, depth: usize) {
        let mut rows = Vec::new();
        for tr in t.els().filter(|e| e.is(Ns::W, "tr")) {
            let mut row = Vec::new();
            for tc in tr.els().filter(|e| e.is(Ns::W, "tc")) {
                let mut cell: Vec<Inline> = Vec::new();
                let line = self.out.line();
                let mut extras = Extras::default();
                for p in tc.find_all(Ns::W, "p") {
                    if depth > MAX_DEPTH {
                        break;
                    }
                    let mut v = Vec::new();
                    self.inlines(p, RunProps::default(), line, &mut v, &mut extras, depth + 1);
                    if !cell.is_empty() && !v.is_empty() {
                        crate::source::markdown::push_text(&mut cell, " ");
                    }
                    cell.extend(v);
                }
                for (_, alt) in extras.pictures {
                    self.out
                        .report
                        .drop(line, alt, "picture in a table cell; add it by hand");
                }
                cell.retain(|i| !matches!(i, Inline::LineBreak));
                super::merge(&mut cell);
                row.push(cell);
            }
            if !row.is_empty() {
                rows.push(row);
            }
        }
        self.out.table(rows);
    }
}

/// The branch of `mc:AlternateContent` to read: the first `mc:Choice`
/// (what the writer meant), else the fallback.
fn chosen(e: &El) -> Option<&El> {
    e.child(Ns::Mc, "Choice")
        .or_else(|| e.child(Ns::Mc, "Fallback"))
}

/// Whether a link target is one a book may carry.
pub fn is_web_address(u: &str) -> bool {
    let l = u.trim().to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://") || l.starts_with("mailto:")
}

/// Wraps gathered text in its formatting and appends it.
fn flush(text: &mut Vec<Inline>, out: &mut Vec<Inline>, fmt: Fmt, lang: Option<&Lang>) {
    if text.is_empty() {
        return;
    }
    let mut v = fmt.wrap(std::mem::take(text));
    if let Some(l) = lang {
        v = vec![Inline::Foreign {
            lang: l.clone(),
            content: v,
        }];
    }
    out.extend(v);
}
