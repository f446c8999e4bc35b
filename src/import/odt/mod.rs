//! An OpenDocument text (`.odt`) → the units the interview passes read,
//! as the Word reader gives them: `content.xml`'s paragraphs and headings
//! with the role of their style, spans bold or italic by their automatic
//! style, links, lists, tables, pictures with their `svg:title`/`svg:desc`
//! alt text, `text:note` footnotes and endnotes as the chapter's endnotes;
//! `meta.xml`'s title, creator and date.
//!
//! Comments (`office:annotation`) are left out and listed in the report;
//! tracked changes are read as accepted (the body holds the inserted text,
//! the deleted text is kept apart in `text:tracked-changes`), with a
//! warning that says how many.

mod styles;

use crate::diag::Diagnostic;
use crate::import::docx::out::{Out, Role};
use crate::import::docx::package::Package;
use crate::import::docx::parts::{Core, resolve};
use crate::import::docx::xml::{El, Node, Ns};
use crate::import::docx::{merge, read_part};
use crate::import::html::Page;
use crate::import::report::Report;
use crate::import::textutil::clean;
use crate::model::{FileId, Inline, Lang};
use std::path::Path;
use styles::{Styles, TextProps};

/// Nesting of spans, sections and tables beyond which content is skipped.
const MAX_DEPTH: usize = 32;

/// Whether `bytes` is a zipped OpenDocument (rather than an OOXML package).
pub fn is_odt(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok_and(|z| {
        z.index_for_name("content.xml").is_some()
            && z.index_for_name("[Content_Types].xml").is_none()
    })
}

struct Doc<'p, 'r> {
    pkg: Package<'p>,
    out: Out<'r>,
    styles: Styles,
    lang: Option<Lang>,
    /// Each note's paragraphs, by key (order of appearance).
    notes: Vec<Vec<Vec<Inline>>>,
    /// Pictures of the paragraph being read: (part, alt).
    pictures: Vec<(String, String)>,
}

fn error(name: &Path, code: &'static str, msg: String, help: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(code, format!("{}: {msg}", name.display()))
            .in_file(name)
            .help(help.to_string()),
    )
}

/// Reads an OpenDocument text. Its text (one paragraph per line) is for
/// the source map, under `file`.
pub fn read(
    bytes: &[u8],
    name: &Path,
    file: FileId,
    report: &mut Report,
) -> Result<(String, Page), Box<Diagnostic>> {
    let mut pkg = Package::open(bytes, name, "OpenDocument file")?;
    let mimetype = pkg.read_text("mimetype")?.unwrap_or_default();
    let mimetype = mimetype.trim();
    if !mimetype.is_empty() && mimetype != "application/vnd.oasis.opendocument.text" {
        return Err(error(
            name,
            "import-not-text",
            format!("the file is an OpenDocument file but not a text document ({mimetype})"),
            "import a .odt, .docx, .html or .txt file",
        ));
    }
    if pkg.names().iter().any(|n| {
        let l = n.to_ascii_lowercase();
        l.starts_with("basic/") || l.starts_with("scripts/")
    }) {
        return Err(error(
            name,
            "import-macros",
            "the document holds macros (Basic or script code); qalam does not read documents with code in them".into(),
            "in LibreOffice, delete the document's macros (Tools → Macros → Organize) and save it again, then import that",
        ));
    }
    let Some(content) = read_part(&mut pkg, "content.xml", name)? else {
        return Err(error(
            name,
            "import-corrupt",
            "the document has no content.xml".into(),
            "open it in LibreOffice and save it again",
        ));
    };
    let mut styles = Styles::default();
    if let Some(s) = read_part(&mut pkg, "styles.xml", name)? {
        styles.add(&s);
    }
    let default_lang = styles.lang.clone();
    styles.add(&content);
    styles.lang = styles.lang.clone().or(default_lang);
    let core = Core::parse(read_part(&mut pkg, "meta.xml", name)?.as_ref());

    report.layout = "paragraphs by their styles".into();
    let mut out = Out::new(file, report);
    let lang_tag = styles.lang.clone().or(core.language.clone());
    out.meta.lang = lang_tag.clone();
    out.meta.title = core.title.clone();
    out.meta.date = core.date.clone();
    out.meta.authors = core.creator.iter().cloned().collect();
    let mut doc = Doc {
        pkg,
        out,
        lang: lang_tag.as_deref().and_then(Lang::parse),
        styles,
        notes: Vec::new(),
        pictures: Vec::new(),
    };
    let Some(text) = content
        .child(Ns::Office, "body")
        .and_then(|b| b.child(Ns::Office, "text"))
    else {
        return Err(error(
            name,
            "import-not-text",
            "the document has no text body (it may be a spreadsheet or drawing)".into(),
            "import a .odt, .docx, .html or .txt file",
        ));
    };
    let (ins, del) = tracked(text);
    doc.blocks(text, None, 0);
    for (k, paras) in std::mem::take(&mut doc.notes).into_iter().enumerate() {
        doc.out.note(k as u32, paras);
    }
    doc.out.tracked_changes(ins, del);
    Ok(doc.out.finish())
}

/// The tracked insertions and deletions of the document.
fn tracked(text: &El) -> (usize, usize) {
    let Some(t) = text.child(Ns::Text, "tracked-changes") else {
        return (0, 0);
    };
    let mut ins = 0;
    let mut del = 0;
    for r in t.els().filter(|e| e.is(Ns::Text, "changed-region")) {
        for c in r.els() {
            if c.is(Ns::Text, "insertion") {
                ins += 1;
            } else if c.is(Ns::Text, "deletion") {
                del += 1;
            }
        }
    }
    (ins, del)
}

impl Doc<'_, '_> {
    /// Block content; `list` is the list style in effect.
    fn blocks(&mut self, e: &El, list: Option<(&str, bool)>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for c in e.els() {
            match (c.ns, c.name.as_str()) {
                (Ns::Text, "p") | (Ns::Text, "h") => self.paragraph(c, list),
                (Ns::Text, "list") => {
                    let style = c.attr(Ns::Text, "style-name");
                    let ordered = match (style, list) {
                        (Some(s), _) => self.styles.list_ordered(Some(s)),
                        (None, Some((_, o))) => o,
                        (None, None) => false,
                    };
                    for item in c.els() {
                        self.blocks(item, Some(("", ordered)), depth + 1);
                    }
                }
                (Ns::Text, "section")
                | (Ns::Text, "list-item")
                | (Ns::Text, "list-header")
                | (Ns::Text, "index-body") => self.blocks(c, list, depth + 1),
                (Ns::Table, "table") => self.table(c, depth),
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: &El, list: Option<(&str, bool)>) {
        let style = p.attr(Ns::Text, "style-name");
        let mut role = self.styles.role(style);
        if p.name == "h" && !matches!(role, Role::Title | Role::Subtitle) {
            let level = p
                .attr(Ns::Text, "outline-level")
                .and_then(|l| l.parse::<u8>().ok())
                .unwrap_or(1)
                .clamp(1, 9);
            role = Role::Heading(level);
        }
        if let Some((_, ordered)) = list
            && matches!(role, Role::Body | Role::ListItem { .. })
        {
            role = Role::ListItem { ordered };
        }
        let base = self.styles.text("paragraph", style, TextProps::default());
        let line = self.out.line();
        let mut v = Vec::new();
        self.inlines(p, base, line, &mut v, 0);
        merge(&mut v);
        self.out.para(role, v);
        for (part, alt) in std::mem::take(&mut self.pictures) {
            self.picture(&part, &alt);
        }
    }

    fn inlines(&mut self, e: &El, fmt: TextProps, line: u32, out: &mut Vec<Inline>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut text = Vec::new();
        for n in &e.kids {
            let c = match n {
                Node::Text(t) => {
                    crate::source::markdown::push_text(&mut text, t);
                    continue;
                }
                Node::El(c) => c,
            };
            match (c.ns, c.name.as_str()) {
                (Ns::Text, "s") => {
                    let n = c
                        .attr(Ns::Text, "c")
                        .and_then(|n| n.parse::<usize>().ok())
                        .unwrap_or(1)
                        .min(8);
                    crate::source::markdown::push_text(&mut text, &" ".repeat(n));
                }
                (Ns::Text, "tab") => crate::source::markdown::push_text(&mut text, " "),
                (Ns::Text, "line-break") => text.push(Inline::LineBreak),
                _ => {
                    flush(&mut text, out, fmt);
                    self.element(c, fmt, line, out, depth);
                }
            }
        }
        flush(&mut text, out, fmt);
    }

    /// An inline element other than spaces and breaks.
    fn element(&mut self, c: &El, fmt: TextProps, line: u32, out: &mut Vec<Inline>, depth: usize) {
        match (c.ns, c.name.as_str()) {
            (Ns::Text, "span") => {
                let style = c.attr(Ns::Text, "style-name");
                let f = self.styles.text("text", style, fmt);
                let lang = self
                    .styles
                    .lang("text", style)
                    .and_then(|l| Lang::parse(&l))
                    .filter(|l| {
                        self.lang
                            .as_ref()
                            .is_some_and(|d| d.primary() != l.primary())
                    });
                let mut v = Vec::new();
                self.inlines(c, f, line, &mut v, depth + 1);
                match lang {
                    Some(lang) if !v.is_empty() => out.push(Inline::Foreign { lang, content: v }),
                    _ => out.extend(v),
                }
            }
            (Ns::Text, "a") => {
                let mut v = Vec::new();
                self.inlines(c, fmt, line, &mut v, depth + 1);
                match c
                    .attr(Ns::XLink, "href")
                    .filter(|u| crate::import::docx::is_web_address(u))
                {
                    Some(url) if !v.is_empty() => out.push(Inline::Link {
                        url: url.to_string(),
                        content: v,
                    }),
                    _ => out.extend(v),
                }
            }
            (Ns::Text, "note") => {
                let key = self.notes.len();
                self.notes.push(Vec::new());
                let mut paras = Vec::new();
                if let Some(body) = c.child(Ns::Text, "note-body") {
                    for p in body.find_all(Ns::Text, "p") {
                        let mut v = Vec::new();
                        let base = self.styles.text(
                            "paragraph",
                            p.attr(Ns::Text, "style-name"),
                            TextProps::default(),
                        );
                        self.inlines(p, base, line, &mut v, depth + 1);
                        merge(&mut v);
                        paras.push(v);
                    }
                }
                self.notes[key] = paras;
                out.push(Inline::NoteRef(key as u32 + 1));
            }
            (Ns::Office, "annotation") => {
                let who = c
                    .child(Ns::Dc, "creator")
                    .map(|d| clean(&d.text()))
                    .filter(|s| !s.is_empty())
                    .map(|a| format!(" by {a}"))
                    .unwrap_or_default();
                let text = c
                    .find_all(Ns::Text, "p")
                    .iter()
                    .map(|p| clean(&p.text()))
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                self.out.report.drop(
                    line,
                    text,
                    format!("comment{who} (comments are not part of the text)"),
                );
            }
            (Ns::Draw, "frame") => self.frame(c, line),
            (Ns::Draw, "a") | (Ns::Text, "meta") | (Ns::Text, "ruby-base") => {
                self.inlines(c, fmt, line, out, depth + 1)
            }
            (Ns::Text, "ruby") => {
                if let Some(b) = c.child(Ns::Text, "ruby-base") {
                    self.inlines(b, fmt, line, out, depth + 1);
                }
            }
            _ => {
                // Fields (page numbers, dates, cross-references) show their
                // text; bookmarks and change marks have none.
                if c.ns == Ns::Text
                    && !c.name.starts_with("bookmark")
                    && !c.name.starts_with("change")
                    && !matches!(
                        c.name.as_str(),
                        "reference-mark"
                            | "reference-mark-start"
                            | "reference-mark-end"
                            | "soft-page-break"
                            | "alphabetical-index-mark"
                            | "toc-mark"
                    )
                {
                    self.inlines(c, fmt, line, out, depth + 1);
                }
            }
        }
    }

    /// A frame: its picture (an image inside the package) with its alt
    /// text; text frames are reported and left out.
    fn frame(&mut self, f: &El, line: u32) {
        let alt = f
            .child(Ns::Svg, "desc")
            .map(|d| clean(&d.text()))
            .filter(|s| !s.is_empty())
            .or_else(|| f.child(Ns::Svg, "title").map(|d| clean(&d.text())))
            .unwrap_or_default();
        if let Some(im) = f.child(Ns::Draw, "image") {
            let href = im.attr(Ns::XLink, "href").unwrap_or("");
            let lower = href.to_ascii_lowercase();
            if lower.contains("://") || lower.starts_with("//") || lower.starts_with("file:") {
                self.out.report.unsure(
                    line,
                    href.to_string(),
                    "the document links to an outside picture (never fetched); save the picture into images/ and add it by hand",
                );
            } else if !href.is_empty() {
                self.pictures.push((resolve("", href), alt));
            }
        } else if let Some(tb) = f.child(Ns::Draw, "text-box") {
            let t = clean(&tb.text());
            if !t.is_empty() {
                self.out
                    .report
                    .drop(line, t, "text frame (not part of the running text)");
            }
        }
    }

    fn picture(&mut self, part: &str, alt: &str) {
        let line = self.out.line();
        match self.pkg.read(part) {
            Ok(Some(data)) => self.out.picture(data, part, alt, Vec::new()),
            Ok(None) => self.out.report.drop(
                line,
                alt.to_string(),
                format!("picture {part} missing from the document"),
            ),
            Err(d) => self
                .out
                .report
                .drop(line, alt.to_string(), d.message.clone()),
        }
    }

    fn table(&mut self, t: &El, depth: usize) {
        let mut rows = Vec::new();
        let mut all_rows: Vec<&El> = Vec::new();
        for c in t.els() {
            if c.is(Ns::Table, "table-row") {
                all_rows.push(c);
            } else if matches!(
                c.name.as_str(),
                "table-header-rows" | "table-rows" | "table-row-group"
            ) {
                all_rows.extend(c.els().filter(|r| r.is(Ns::Table, "table-row")));
            }
        }
        for tr in all_rows {
            let mut row = Vec::new();
            for tc in tr.els().filter(|e| e.is(Ns::Table, "table-cell")) {
                let mut cell: Vec<Inline> = Vec::new();
                let line = self.out.line();
                if depth <= MAX_DEPTH {
                    for p in tc
                        .find_all(Ns::Text, "p")
                        .into_iter()
                        .chain(tc.find_all(Ns::Text, "h"))
                    {
                        let mut v = Vec::new();
                        self.inlines(p, TextProps::default(), line, &mut v, depth + 1);
                        if !cell.is_empty() && !v.is_empty() {
                            crate::source::markdown::push_text(&mut cell, " ");
                        }
                        cell.extend(v);
                    }
                }
                for (_, alt) in std::mem::take(&mut self.pictures) {
                    self.out
                        .report
                        .drop(line, alt, "picture in a table cell; add it by hand");
                }
                cell.retain(|i| !matches!(i, Inline::LineBreak));
                merge(&mut cell);
                row.push(cell);
            }
            if !row.is_empty() {
                rows.push(row);
            }
        }
        self.out.table(rows);
    }
}

/// Wraps gathered text in its formatting and appends it.
fn flush(text: &mut Vec<Inline>, out: &mut Vec<Inline>, fmt: TextProps) {
    if text.is_empty() {
        return;
    }
    out.extend(fmt.wrap(std::mem::take(text)));
}
