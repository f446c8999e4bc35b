//! A chapter's Markdown body → model blocks.
//!
//! pulldown-cmark yields events; we fold them straight into the model (no
//! intermediate HTML or generic tree), keeping each block's source span.
//! The interview structure is read here: `##` headings are questions and the
//! blocks after them their answer; `[^label]` references are collected so the
//! caller can number notes by first reference.

use super::html::{self};
use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{Align, Block, FileId, Image, Inline, ListItem, Span};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

mod inline;
mod scripts;
mod urls;

pub use scripts::{push_text, trim_inlines};
use scripts::{restore_brackets, scripts};
pub use urls::link_url;

/// Nesting deeper than this (block quotes in lists in quotes …) is refused:
/// no real book needs it, and it bounds recursion in every later stage.
pub const MAX_NESTING: usize = 64;

pub fn options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_SUBSCRIPT
        | Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Resolves an image path written in the chapter into a checked [`Image`];
/// reports problems itself and returns `None` when the image is unusable.
pub trait ImageResolver {
    fn resolve(&self, src: &str, alt: &str, span: Span, diags: &mut Diagnostics) -> Option<Image>;
}

/// One top-level item of a chapter body, before it is grouped into exchanges.
#[derive(Debug)]
pub enum Item {
    Block(Block),
    /// A `#` heading: the chapter title when front matter has none.
    Title(Vec<Inline>, Span),
    /// A `##` heading.
    Question {
        id: Option<String>,
        content: Vec<Inline>,
        span: Span,
    },
}

/// Note labels, definitions and references of one chapter, before numbering.
#[derive(Debug, Default)]
pub struct Notes {
    /// Label → slot.
    pub index: HashMap<String, u32>,
    pub labels: Vec<String>,
    /// Definition of each slot, if any.
    pub defs: Vec<Option<(Vec<Block>, Span)>>,
    /// Every reference in document order: (slot, span).
    pub refs: Vec<(u32, Span)>,
}

impl Notes {
    fn slot(&mut self, label: &str) -> u32 {
        if let Some(&i) = self.index.get(label) {
            return i;
        }
        let i = self.labels.len() as u32;
        self.index.insert(label.to_string(), i);
        self.labels.push(label.to_string());
        self.defs.push(None);
        i
    }
}

/// Where spans point. Body text maps 1:1 to the file; text parsed from a
/// front matter value (bio, standfirst) cannot, so all its spans become the
/// value's span.
#[derive(Clone, Copy)]
pub enum SpanMode {
    Offset(usize),
    Fixed(Span),
}

pub struct Reader<'s, 'd> {
    sources: &'s SourceMap,
    file: FileId,
    text: &'s str,
    mode: SpanMode,
    diags: &'d mut Diagnostics,
    images: &'s dyn ImageResolver,
    depth: usize,
    /// Raw inline HTML tags (`<em>`, `<span lang>`) open around the current
    /// position: each becomes a level of the model, so they count towards
    /// [`MAX_NESTING`] like Markdown's own containers.
    html_open: usize,
    depth_reported: bool,
    in_note: Option<u32>,
    pending_images: Vec<PendingImage>,
    pub notes: Notes,
}

type Events<'a> =
    std::iter::Peekable<pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>>;

impl<'s, 'd> Reader<'s, 'd> {
    pub fn new(
        sources: &'s SourceMap,
        file: FileId,
        text: &'s str,
        mode: SpanMode,
        images: &'s dyn ImageResolver,
        diags: &'d mut Diagnostics,
    ) -> Self {
        Reader {
            sources,
            file,
            text,
            mode,
            diags,
            images,
            depth: 0,
            html_open: 0,
            depth_reported: false,
            in_note: None,
            pending_images: Vec::new(),
            notes: Notes::default(),
        }
    }

    fn span(&self, r: Range<usize>) -> Span {
        match self.mode {
            SpanMode::Offset(base) => Span::new(self.file, base + r.start..base + r.end),
            SpanMode::Fixed(s) => s,
        }
    }

    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Whether the character at byte `pos` of the text is escaped (preceded
    /// by an odd number of backslashes).
    fn escaped_at(&self, pos: usize) -> bool {
        let before = self.text.get(..pos).unwrap_or("");
        before.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
    }

    /// Reads the whole text into top-level items.
    pub fn read_items(&mut self) -> Vec<Item> {
        let text = self.text;
        let mut events: Events<'s> = Parser::new_ext(text, options())
            .into_offset_iter()
            .peekable();
        let mut items = Vec::new();
        let mut last_heading = 2u8;
        while let Some((event, range)) = events.next() {
            match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let span = self.span(range);
                    let content = self.inlines(&mut events, span);
                    self.drop_pending_images(span);
                    let level = heading_level(level);
                    if content.is_empty() {
                        self.push(
                            Diagnostic::warning("empty-heading", "this heading has no text")
                                .at(self.sources, span)
                                .help("write the heading's text after the #s, or remove the line"),
                        );
                        continue;
                    }
                    match level {
                        1 => items.push(Item::Title(content, span)),
                        2 => items.push(Item::Question {
                            id: id.map(|s| s.to_string()),
                            content,
                            span,
                        }),
                        _ => {
                            if level > last_heading + 1 {
                                let hashes = "#".repeat(level as usize);
                                let prev = "#".repeat(last_heading as usize);
                                self.push(
                                    Diagnostic::warning(
                                        "heading-skipped",
                                        format!("heading level skipped: `{prev}` then `{hashes}`"),
                                    )
                                    .at(self.sources, span)
                                    .help(format!(
                                        "use `{}` here, so that readers and screen readers see the outline",
                                        "#".repeat(last_heading as usize + 1)
                                    )),
                                );
                            }
                            items.push(Item::Block(Block::Heading {
                                level,
                                id: id.map(|s| s.to_string()),
                                content,
                                span,
                            }))
                        }
                    }
                    last_heading = level.max(2);
                }
                Event::Start(tag) => {
                    let r = range.clone();
                    for b in self.block(tag, r, &mut events) {
                        items.push(Item::Block(b));
                    }
                }
                other => {
                    if let Some(b) = self.loose_block_event(other, range) {
                        items.push(Item::Block(b));
                    }
                }
            }
        }
        items
    }

    /// Reads all blocks of the text (for bios and notes written in front matter).
    pub fn read_blocks(&mut self) -> Vec<Block> {
        self.read_items()
            .into_iter()
            .map(|i| match i {
                Item::Block(b) => b,
                Item::Title(content, span) | Item::Question { content, span, .. } => {
                    Block::Paragraph { content, span }
                }
            })
            .collect()
    }

    /// Events that stand alone at block level (rules, stray HTML).
    fn loose_block_event(&mut self, event: Event<'s>, range: Range<usize>) -> Option<Block> {
        match event {
            Event::Rule => Some(Block::SectionBreak {
                span: self.span(range),
            }),
            Event::Html(h) | Event::InlineHtml(h) => {
                self.dropped_html(&h, range);
                None
            }
            _ => None,
        }
    }

    fn dropped_html(&mut self, h: &str, range: Range<usize>) {
        let t = h.trim_start();
        if t.starts_with("<!--") || t.is_empty() {
            return; // comments are for editors
        }
        let span = self.span(range);
        self.push(
            Diagnostic::warning("html-dropped", "raw HTML block dropped")
                .at(self.sources, span)
                .help("write the content in Markdown; only a few inline tags (<em>, <strong>, <sup>, <sub>, <br>, <span lang>) are kept"),
        );
    }

    /// Consumes events up to the end of `tag` and returns the block(s) it
    /// makes (none for footnote definitions and dropped HTML, two for a
    /// paragraph with an embedded image).
    fn block(&mut self, tag: Tag<'s>, range: Range<usize>, ev: &mut Events<'s>) -> Vec<Block> {
        if self.nesting() >= MAX_NESTING {
            self.too_deep(range, ev);
            return Vec::new();
        }
        self.depth += 1;
        let out = self.block_inner(tag, range, ev);
        self.depth -= 1;
        out
    }

    fn too_deep(&mut self, range: Range<usize>, ev: &mut Events<'s>) {
        // Skip the whole subtree without recursion.
        let mut level = 1usize;
        for (e, _) in ev.by_ref() {
            match e {
                Event::Start(_) => level += 1,
                Event::End(_) => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        let span = self.span(range);
        self.report_too_deep(span);
    }

    /// How many levels of the model are open around the current position.
    fn nesting(&self) -> usize {
        self.depth + self.html_open
    }

    fn report_too_deep(&mut self, span: Span) {
        if !self.depth_reported {
            self.depth_reported = true;
            self.push(
                Diagnostic::error(
                    "nesting-too-deep",
                    format!("lists, quotes or inline markup are nested more than {MAX_NESTING} levels deep"),
                )
                .at(self.sources, span)
                .help("flatten the structure; books rarely need more than three levels"),
            );
        }
    }

    fn block_inner(
        &mut self,
        tag: Tag<'s>,
        range: Range<usize>,
        ev: &mut Events<'s>,
    ) -> Vec<Block> {
        let span = self.span(range.clone());
        match tag {
            Tag::Paragraph => {
                let content = self.paragraph_inlines(ev);
                self.paragraph(content, span)
            }
            Tag::Heading { level, id, .. } => {
                // Headings inside quotes or lists: keep as sub-headings.
                let content = self.inlines(ev, span);
                self.drop_pending_images(span);
                vec![Block::Heading {
                    level: heading_level(level).max(3),
                    id: id.map(|s| s.to_string()),
                    content,
                    span,
                }]
            }
            Tag::BlockQuote(_) => {
                let content = self.blocks_until_end(ev);
                vec![Block::BlockQuote { content, span }]
            }
            Tag::List(start) => {
                let mut items = Vec::new();
                while let Some((e, r)) = ev.next() {
                    match e {
                        Event::Start(Tag::Item) => {
                            if self.nesting() >= MAX_NESTING {
                                self.too_deep(r, ev);
                                continue;
                            }
                            self.depth += 1;
                            let blocks = self.item_blocks(ev);
                            self.depth -= 1;
                            items.push(ListItem { blocks });
                        }
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                vec![Block::List { start, items, span }]
            }
            Tag::CodeBlock(kind) => {
                let mut text = String::new();
                for (e, _) in ev.by_ref() {
                    match e {
                        Event::Text(t) => text.push_str(&t),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .map(str::to_string)
                        .filter(|s| !s.is_empty()),
                    CodeBlockKind::Indented => None,
                };
                if text.ends_with('\n') {
                    text.pop();
                }
                vec![Block::CodeBlock { text, lang, span }]
            }
            Tag::HtmlBlock => {
                let mut html = String::new();
                for (e, _) in ev.by_ref() {
                    match e {
                        Event::Html(h) | Event::Text(h) => html.push_str(&h),
                        Event::End(_) => break,
                        _ => {}
                    }
                }
                self.dropped_html(&html, range);
                Vec::new()
            }
            Tag::FootnoteDefinition(label) => {
                let slot = self.notes.slot(&label);
                let outer = self.in_note.replace(slot);
                let content = self.blocks_until_end(ev);
                self.in_note = outer;
                if self.notes.defs[slot as usize].is_some() {
                    self.push(
                        Diagnostic::error(
                            "note-duplicate",
                            format!("note `{label}` is defined twice"),
                        )
                        .at(self.sources, span)
                        .help("give each note its own label, or remove one definition"),
                    );
                } else {
                    self.notes.defs[slot as usize] = Some((content, span));
                }
                Vec::new()
            }
            Tag::Table(aligns) => {
                let t = self.table(aligns, span, ev);
                self.drop_pending_images(span);
                vec![t]
            }
            Tag::Item => self.item_blocks(ev),
            other => {
                // Anything else at block level (definition lists, metadata
                // blocks) is not enabled; read its text as a paragraph so
                // nothing is lost.
                let _ = other;
                let content = self.inlines(ev, span);
                if content.is_empty() {
                    Vec::new()
                } else {
                    vec![Block::Paragraph { content, span }]
                }
            }
        }
    }

    /// A list item: tight items give bare inlines, loose ones paragraphs.
    fn item_blocks(&mut self, ev: &mut Events<'s>) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut loose: Vec<Inline> = Vec::new();
        let mut loose_start: Option<Range<usize>> = None;
        while let Some((e, r)) = ev.peek().cloned() {
            match e {
                Event::End(TagEnd::Item) => {
                    ev.next();
                    break;
                }
                Event::Start(tag) if is_block_tag(&tag) => {
                    ev.next();
                    if !loose.is_empty() {
                        let span = self.span(loose_start.take().unwrap_or(r.clone()));
                        let content = scripts(std::mem::take(&mut loose));
                        blocks.extend(self.paragraph(content, span));
                    }
                    blocks.extend(self.block(tag, r, ev));
                }
                Event::Rule => {
                    ev.next();
                    blocks.push(Block::SectionBreak { span: self.span(r) });
                }
                _ => {
                    loose_start.get_or_insert(r.clone());
                    let mut one = self.inline_run(ev, true);
                    loose.append(&mut one);
                }
            }
        }
        if !loose.is_empty() {
            let span = self.span(loose_start.unwrap_or(0..0));
            blocks.extend(self.paragraph(scripts(loose), span));
        }
        blocks
    }

    fn blocks_until_end(&mut self, ev: &mut Events<'s>) -> Vec<Block> {
        let mut blocks = Vec::new();
        while let Some((e, r)) = ev.next() {
            match e {
                Event::End(_) => break,
                Event::Start(tag) => blocks.extend(self.block(tag, r, ev)),
                other => {
                    if let Some(b) = self.loose_block_event(other, r) {
                        blocks.push(b);
                    }
                }
            }
        }
        blocks
    }

    fn table(&mut self, aligns: Vec<Alignment>, span: Span, ev: &mut Events<'s>) -> Block {
        let align = aligns
            .iter()
            .map(|a| match a {
                Alignment::None => Align::None,
                Alignment::Left => Align::Left,
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
            })
            .collect();
        let mut head = Vec::new();
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        let mut in_head = false;
        while let Some((e, r)) = ev.next() {
            match e {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => {
                    let cell_span = self.span(r);
                    let cell = self.inlines(ev, cell_span);
                    if in_head {
                        head.push(cell);
                    } else if let Some(row) = rows.last_mut() {
                        row.push(cell);
                    }
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        Block::Table {
            align,
            head,
            rows,
            span,
        }
    }

    /// A finished paragraph: a lone image becomes a figure; `[^x]` text left
    /// by the parser is an undefined note; leftover `^x^`/`~x~` become
    /// superscript/subscript.
    fn paragraph(&mut self, mut content: Vec<Inline>, span: Span) -> Vec<Block> {
        self.undefined_refs_in_text(&content, span);
        restore_brackets(&mut content);
        let figures = std::mem::take(&mut self.pending_images);
        trim_inlines(&mut content);
        let mut out = Vec::new();
        let lone = content.is_empty() && figures.len() == 1;
        if !content.is_empty() {
            out.push(Block::Paragraph { content, span });
        }
        for fig in figures {
            if !lone {
                self.push(
                    Diagnostic::warning(
                        "image-in-text",
                        "an image inside a paragraph is set as a figure after it",
                    )
                    .at(self.sources, span)
                    .help("put the image on a line of its own, with blank lines around it"),
                );
            }
            if let Some(b) = self.figure(fig, span) {
                out.push(b);
            }
        }
        out
    }

    fn figure(&mut self, fig: PendingImage, para_span: Span) -> Option<Block> {
        let span = if fig.span.file == para_span.file {
            fig.span
        } else {
            para_span
        };
        if fig.alt.trim().is_empty() {
            self.push(
                Diagnostic::error("image-no-alt", format!("image `{}` has no alt text", fig.src))
                    .at(self.sources, span)
                    .help("describe the picture for readers who cannot see it: ![A crowd in Almaty's main square](images/x.jpg)"),
            );
            return None;
        }
        let image = self
            .images
            .resolve(&fig.src, fig.alt.trim(), span, self.diags)?;
        let caption = if fig.title.trim().is_empty() {
            Vec::new()
        } else {
            vec![Inline::Text(fig.title.trim().to_string())]
        };
        Some(Block::Figure {
            image,
            caption,
            span,
        })
    }

    fn undefined_refs_in_text(&mut self, content: &[Inline], span: Span) {
        // Code spans are literal: `[^x]` in code is no reference.
        fn prose(v: &[Inline], out: &mut String) {
            for i in v {
                match i {
                    Inline::Text(t) => out.push_str(t),
                    Inline::Code(_) | Inline::LineBreak | Inline::NoteRef(_) => out.push(' '),
                    Inline::Emphasis(c)
                    | Inline::Strong(c)
                    | Inline::Superscript(c)
                    | Inline::Subscript(c)
                    | Inline::Link { content: c, .. }
                    | Inline::Foreign { content: c, .. } => prose(c, out),
                }
            }
        }
        let mut text = String::new();
        prose(content, &mut text);
        let mut rest = text.as_str();
        while let Some(i) = rest.find("[^") {
            let after = &rest[i + 2..];
            if let Some(end) = after.find(']') {
                let label = &after[..end];
                if !label.is_empty() && !label.contains(char::is_whitespace) {
                    // Point at the reference itself when it can be found in
                    // the paragraph's source.
                    let needle = format!("[^{label}]");
                    let r = span.range();
                    let at = self
                        .sources
                        .file(span.file)
                        .text
                        .get(r.clone())
                        .and_then(|s| s.find(&needle))
                        .map_or(span, |off| {
                            Span::new(span.file, r.start + off..r.start + off + needle.len())
                        });
                    self.push(
                        Diagnostic::error(
                            "note-undefined",
                            format!("note `[^{label}]` is referenced but never defined"),
                        )
                        .at(self.sources, at)
                        .help(format!(
                            "add a definition on its own line: [^{label}]: The note's text."
                        )),
                    );
                }
                rest = &after[end..];
            } else {
                break;
            }
        }
    }

    /// Inlines up to the end of the current container (a heading, a table
    /// cell), with `[^x]` text left by the parser reported as an undefined
    /// note, as in a paragraph.
    fn inlines(&mut self, ev: &mut Events<'s>, span: Span) -> Vec<Inline> {
        let mut v = self.paragraph_inlines(ev);
        self.undefined_refs_in_text(&v, span);
        restore_brackets(&mut v);
        v
    }

    /// [`Reader::inlines`] with escaped `[` still marked, for
    /// [`Reader::paragraph`] to check note references first.
    fn paragraph_inlines(&mut self, ev: &mut Events<'s>) -> Vec<Inline> {
        let mut v = scripts(self.inline_run(ev, false));
        trim_inlines(&mut v);
        v
    }

    /// Images read where no figure can go (headings, table cells).
    fn drop_pending_images(&mut self, span: Span) {
        for img in std::mem::take(&mut self.pending_images) {
            self.push(
                Diagnostic::warning(
                    "image-dropped",
                    format!("image `{}` in a heading or table cell is left out", img.src),
                )
                .at(self.sources, span)
                .help("put the image on a line of its own, as a figure"),
            );
        }
    }
}

/// An image seen inside a paragraph, on its way to becoming a figure.
struct PendingImage {
    src: String,
    title: String,
    alt: String,
    span: Span,
}

fn is_block_tag(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::Table(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_)
    )
}

fn heading_level(l: HeadingLevel) -> u8 {
    l as u8
}
