//! A chapter's Markdown body → model blocks.
//!
//! pulldown-cmark yields events; we fold them straight into the model (no
//! intermediate HTML or generic tree), keeping each block's source span.
//! The interview structure is read here: `##` headings are questions and the
//! blocks after them their answer; `[^label]` references are collected so the
//! caller can number notes by first reference.

use super::html::{self, HtmlTag};
use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{Align, Block, FileId, Image, Inline, Lang, ListItem, Span, plain_text};
use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::collections::HashMap;
use std::ops::Range;

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
                    let content = self.inlines(&mut events);
                    let span = self.span(range);
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
                let content = self.inlines(ev);
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
                let content = self.inlines(ev);
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
        while let Some((e, _)) = ev.next() {
            match e {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => {
                    let cell = self.inlines(ev);
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

    /// Inlines up to the end of the current container.
    fn inlines(&mut self, ev: &mut Events<'s>) -> Vec<Inline> {
        let mut v = self.paragraph_inlines(ev);
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

    /// Reads inline events. With `stop_at_block`, stops (without consuming)
    /// at a block start or an item end, for tight list items; otherwise reads
    /// through the matching end event.
    fn inline_run(&mut self, ev: &mut Events<'s>, stop_at_block: bool) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        // Raw HTML tags open in this run: (tag name, index in `out` where its content starts).
        let mut html_stack: Vec<(String, usize, Option<Lang>)> = Vec::new();
        let mut skipping: Option<String> = None;
        loop {
            if stop_at_block {
                match ev.peek() {
                    None => break,
                    Some((Event::Start(tag), _)) if is_block_tag(tag) => break,
                    Some((Event::End(TagEnd::Item), _)) | Some((Event::Rule, _)) => break,
                    _ => {}
                }
            }
            let Some((e, r)) = ev.next() else { break };
            if let Some(name) = &skipping {
                if let Event::InlineHtml(h) | Event::Html(h) = &e
                    && let Some(HtmlTag::Close(n)) = html::parse_tag(h)
                    && &n == name
                {
                    skipping = None;
                }
                if matches!(e, Event::End(_)) && !stop_at_block {
                    break;
                }
                continue;
            }
            match e {
                Event::End(_) => break,
                Event::Text(t) => {
                    // An escaped `\^`, `\~` or `\[` is a literal character: mark
                    // it so that `scripts` does not take it for a delimiter, nor
                    // `undefined_refs_in_text` for a note reference.
                    match t.chars().next() {
                        Some(c @ ('^' | '~' | '[')) if self.escaped_at(r.start) => {
                            push_text(
                                &mut out,
                                match c {
                                    '^' => ESCAPED_CARET,
                                    '~' => ESCAPED_TILDE,
                                    _ => ESCAPED_BRACKET,
                                },
                            );
                            push_text(&mut out, &t[1..]);
                        }
                        _ => push_text(&mut out, &t),
                    }
                }
                Event::Code(c) => out.push(Inline::Code(c.to_string())),
                Event::SoftBreak => push_text(&mut out, " "),
                Event::HardBreak => out.push(Inline::LineBreak),
                Event::FootnoteReference(label) => {
                    let span = self.span(r);
                    let slot = self.notes.slot(&label);
                    if let Some(cur) = self.in_note {
                        let msg = if cur == slot {
                            format!("note `{label}` refers to itself")
                        } else {
                            format!("note reference `[^{label}]` inside another note")
                        };
                        self.push(
                            Diagnostic::error("note-in-note", msg)
                                .at(self.sources, span)
                                .help("endnotes cannot contain note references; write the text into the note instead"),
                        );
                        continue;
                    }
                    self.notes.refs.push((slot, span));
                    // Numbered later, by first reference; the slot for now.
                    out.push(Inline::NoteRef(slot));
                }
                Event::InlineHtml(h) | Event::Html(h) => {
                    self.inline_html(&h, r, &mut out, &mut html_stack, &mut skipping);
                }
                Event::Start(tag) => {
                    if self.nesting() >= MAX_NESTING {
                        self.too_deep(r, ev);
                        continue;
                    }
                    self.depth += 1;
                    let inlines = self.inline_container(tag, r, ev);
                    self.depth -= 1;
                    for i in inlines {
                        match i {
                            Inline::Text(t) => push_text(&mut out, &t),
                            other => out.push(other),
                        }
                    }
                }
                Event::Rule => {}
                Event::TaskListMarker(done) => push_text(&mut out, if done { "☑ " } else { "☐ " }),
                Event::InlineMath(m) | Event::DisplayMath(m) => push_text(&mut out, &m),
            }
        }
        // Tags never closed keep their content as plain text.
        self.html_open -= html_stack.len();
        merge_texts(out)
    }

    fn inline_container(
        &mut self,
        tag: Tag<'s>,
        r: Range<usize>,
        ev: &mut Events<'s>,
    ) -> Vec<Inline> {
        let one = match tag {
            Tag::Emphasis => Inline::Emphasis(self.inline_run(ev, false)),
            Tag::Strong => Inline::Strong(self.inline_run(ev, false)),
            Tag::Superscript => Inline::Superscript(self.inline_run(ev, false)),
            Tag::Subscript => Inline::Subscript(self.inline_run(ev, false)),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let content = self.inline_run(ev, false);
                match self.check_url(&dest_url, link_type, r) {
                    Some(url) => Inline::Link { url, content },
                    // An unsafe or unusable link keeps its text.
                    None => return content,
                }
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                let alt_inlines = self.inline_run(ev, false);
                let alt = restore_escaped_str(&plain_text(&alt_inlines));
                // Set aside for the enclosing paragraph, which makes it a figure.
                let span = self.span(r);
                self.pending_images.push(PendingImage {
                    src: dest_url.to_string(),
                    title: title.to_string(),
                    alt,
                    span,
                });
                return Vec::new();
            }
            // Strikethrough is not enabled, and block tags do not occur inside
            // inline content; keep whatever text they hold.
            _ => return self.inline_run(ev, false),
        };
        vec![one]
    }

    fn check_url(
        &mut self,
        url: &CowStr<'_>,
        link_type: LinkType,
        r: Range<usize>,
    ) -> Option<String> {
        let url = url.trim();
        let lower = url.to_ascii_lowercase();
        let target = if link_type == LinkType::Email {
            link_url(&format!("mailto:{url}"))
        } else {
            link_url(url)
        };
        if target.is_some() {
            return target;
        }
        let span = self.span(r);
        let what = if lower.starts_with("javascript:")
            || lower.starts_with("data:")
            || lower.starts_with("vbscript:")
        {
            "an unsafe link"
        } else {
            "a link that cannot work in a book"
        };
        self.push(
            Diagnostic::warning(
                "link-dropped",
                format!("{what} (`{url}`) is kept as plain text"),
            )
            .at(self.sources, span)
            .help("links must be absolute web addresses (https://…) or mailto: addresses"),
        );
        None
    }

    fn inline_html(
        &mut self,
        h: &str,
        r: Range<usize>,
        out: &mut Vec<Inline>,
        stack: &mut Vec<(String, usize, Option<Lang>)>,
        skipping: &mut Option<String>,
    ) {
        let span = self.span(r);
        match html::parse_tag(h) {
            Some(HtmlTag::Comment) => {}
            Some(HtmlTag::Open {
                name,
                lang,
                self_closing,
            }) => {
                if name == "br" {
                    out.push(Inline::LineBreak);
                    return;
                }
                if html::is_kept_inline(&name) {
                    if !self_closing {
                        if self.nesting() >= MAX_NESTING {
                            // The tag is ignored (its close then matches
                            // nothing), and the chapter is refused.
                            self.report_too_deep(span);
                            return;
                        }
                        self.html_open += 1;
                        stack.push((name, out.len(), lang));
                        // An empty text starts the tag's content, so text that
                        // follows is not merged into text before the tag.
                        out.push(Inline::Text(String::new()));
                    }
                    return;
                }
                if html::is_dangerous_container(&name) && !self_closing {
                    *skipping = Some(name.clone());
                }
                self.push(
                    Diagnostic::warning("html-dropped", format!("raw HTML tag <{name}> dropped"))
                        .at(self.sources, span)
                        .help("only <em>, <strong>, <sup>, <sub>, <br> and <span lang=…> are kept; write the rest in Markdown"),
                );
            }
            Some(HtmlTag::Close(name)) => {
                let Some(pos) = stack.iter().rposition(|(n, _, _)| *n == name) else {
                    return;
                };
                self.html_open -= stack.len() - pos;
                let (name, start, lang) = stack.remove(pos);
                stack.truncate(pos);
                let content: Vec<Inline> = out
                    .drain(start..)
                    .filter(|i| !matches!(i, Inline::Text(t) if t.is_empty()))
                    .collect();
                let wrapped = match name.as_str() {
                    "em" | "i" | "cite" | "dfn" | "var" => Inline::Emphasis(content),
                    "strong" | "b" => Inline::Strong(content),
                    "sup" => Inline::Superscript(content),
                    "sub" => Inline::Subscript(content),
                    "code" | "kbd" | "samp" => Inline::Code(plain_text(&content)),
                    _ => match lang {
                        Some(lang) => Inline::Foreign { lang, content },
                        None => {
                            out.extend(content);
                            return;
                        }
                    },
                };
                out.push(wrapped);
            }
            None => {
                self.push(
                    Diagnostic::warning("html-dropped", "raw HTML dropped")
                        .at(self.sources, span)
                        .help("write the content in Markdown"),
                );
            }
        }
    }
}

/// A link target as the outputs may carry it: an absolute URL of a scheme
/// a reader can follow from a book (`http`, `https`, `ftp` with a host;
/// `mailto`, `tel`) that strict validators (EPUBCheck, PDF viewers) accept.
/// A clean ASCII URL is kept as the author wrote it; any other is parsed
/// and written back by the URL Standard (an international host in
/// punycode, everything beyond ASCII percent-encoded), then stripped of the
/// few characters the standard lets through but validators refuse. `None`
/// for anything else: relative paths, `javascript:`, `data:`, `file:`,
/// hosts that are not valid names.
pub fn link_url(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let u = url::Url::parse(raw).ok()?;
    let separator = match u.scheme() {
        "http" | "https" | "ftp" => {
            if !u.host().is_some_and(|h| match h {
                url::Host::Domain(d) => is_host_name(d),
                url::Host::Ipv4(_) | url::Host::Ipv6(_) => true,
            }) {
                return None;
            }
            "://"
        }
        "mailto" | "tel" => {
            if u.path().is_empty() {
                return None;
            }
            ":"
        }
        _ => return None,
    };
    // The parser forgives forms a validator refuses (`https:x.org`,
    // `https:\\x.org`, controls before the scheme); the author's text is
    // kept only when it already spells the scheme out in full.
    let scheme = u.scheme().len();
    let spelled_out = raw
        .get(..scheme)
        .is_some_and(|s| s.eq_ignore_ascii_case(u.scheme()))
        && raw.get(scheme..scheme + separator.len()) == Some(separator);
    if spelled_out && url_escapes(raw).is_none() {
        return Some(raw.to_string());
    }
    let s: String = u.into();
    Some(url_escapes(&s).unwrap_or(s))
}

/// Whether a parsed (lower-case, punycoded) domain is a name a reader's
/// device can look up: dot-separated labels of letters, digits, `-` and
/// `_`, none empty but a final one (`x.org.`). The URL Standard lets far
/// more through (`a..b`, `e'x`), which EPUBCheck then refuses or no resolver
/// knows.
fn is_host_name(domain: &str) -> bool {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    !domain.is_empty()
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// `s` with what a strict URL validator refuses percent-encoded (white
/// space, controls, anything beyond ASCII, `"<>\^`{|}`, a `%` that starts
/// no escape, a second `#`, `[` and `]` outside the host); `None` when
/// nothing needs it.
fn url_escapes(s: &str) -> Option<String> {
    let authority_end = s
        .find("://")
        .map(|i| {
            let start = i + 3;
            start
                + s[start..]
                    .find(['/', '?', '#', '\\'])
                    .unwrap_or(s.len() - start)
        })
        .unwrap_or(0);
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut seen_hash = false;
    let mut changed = false;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '|' | '^' | '`' | '{' | '}' | '\\' | '"' | '<' | '>' => true,
            '[' | ']' => i >= authority_end,
            '#' => std::mem::replace(&mut seen_hash, true),
            '%' => {
                !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            }
            c => c.is_whitespace() || c.is_control() || !c.is_ascii(),
        };
        if escape {
            changed = true;
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    changed.then_some(out)
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

/// Appends text, merging with a preceding text inline.
pub fn push_text(out: &mut Vec<Inline>, t: &str) {
    if t.is_empty() {
        return;
    }
    if let Some(Inline::Text(last)) = out.last_mut() {
        last.push_str(t);
    } else {
        out.push(Inline::Text(t.to_string()));
    }
}

/// Removes leading and trailing white space of an inline run.
pub fn trim_inlines(v: &mut Vec<Inline>) {
    if let Some(Inline::Text(t)) = v.first_mut() {
        let trimmed = t.trim_start();
        if trimmed.len() != t.len() {
            *t = trimmed.to_string();
        }
    }
    // Final breaks and blank texts go until a text with something in it
    // ends the run: taking one away can bare the white space of the text
    // before it (`A ⏎ nbsp`).
    loop {
        match v.last_mut() {
            Some(Inline::LineBreak) => {
                v.pop();
            }
            Some(Inline::Text(t)) => {
                let kept = t.trim_end().len();
                if kept > 0 {
                    t.truncate(kept);
                    break;
                }
                v.pop();
            }
            _ => break,
        }
    }
    v.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
}

/// Turns `^x^` and `~x~` left in text into superscript and subscript.
///
/// pulldown-cmark only recognises them between word boundaries, while the
/// source format (like pandoc) allows `10^th^` and `H~2~O`: the marked text
/// has no white space, as in pandoc.
fn scripts(v: Vec<Inline>) -> Vec<Inline> {
    let mut v = scripts_inner(v);
    crate::model::visit_inline_vec(&mut v, &mut |x: &mut Vec<Inline>| {
        for i in x.iter_mut() {
            if let Inline::Text(t) = i
                && t.contains([ESCAPED_CARET_CHAR, ESCAPED_TILDE_CHAR])
            {
                *t = t
                    .replace(ESCAPED_CARET_CHAR, "^")
                    .replace(ESCAPED_TILDE_CHAR, "~");
            }
        }
    });
    v
}

/// Stand-ins for escaped `^`, `~` and `[` between parsing and [`scripts`]
/// (`[` until the note-reference check of a paragraph): Unicode
/// noncharacters, which no text contains.
const ESCAPED_CARET: &str = "\u{fdd0}";
const ESCAPED_TILDE: &str = "\u{fdd1}";
const ESCAPED_BRACKET: &str = "\u{fdd2}";
const ESCAPED_CARET_CHAR: char = '\u{fdd0}';
const ESCAPED_TILDE_CHAR: char = '\u{fdd1}';
const ESCAPED_BRACKET_CHAR: char = '\u{fdd2}';

fn restore_escaped_str(t: &str) -> String {
    t.replace(ESCAPED_CARET_CHAR, "^")
        .replace(ESCAPED_TILDE_CHAR, "~")
        .replace(ESCAPED_BRACKET_CHAR, "[")
}

/// Puts escaped `[` back (see [`ESCAPED_BRACKET`]).
fn restore_brackets(v: &mut Vec<Inline>) {
    crate::model::visit_inline_vec(v, &mut |x: &mut Vec<Inline>| {
        for i in x.iter_mut() {
            if let Inline::Text(t) = i
                && t.contains(ESCAPED_BRACKET_CHAR)
            {
                *t = t.replace(ESCAPED_BRACKET_CHAR, "[");
            }
        }
    });
}

fn scripts_inner(v: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(v.len());
    for i in v {
        match i {
            Inline::Text(t) if t.contains(['^', '~']) => split_scripts(&t, &mut out),
            Inline::Emphasis(c) => out.push(Inline::Emphasis(scripts_inner(c))),
            Inline::Strong(c) => out.push(Inline::Strong(scripts_inner(c))),
            Inline::Link { url, content } => out.push(Inline::Link {
                url,
                content: scripts_inner(content),
            }),
            Inline::Foreign { lang, content } => out.push(Inline::Foreign {
                lang,
                content: scripts_inner(content),
            }),
            other => out.push(other),
        }
    }
    out
}

fn split_scripts(t: &str, out: &mut Vec<Inline>) {
    let mut rest = t;
    loop {
        let found = rest.char_indices().find_map(|(i, c)| {
            if c != '^' && c != '~' {
                return None;
            }
            let after = &rest[i + 1..];
            let end = after.find(c)?;
            let inner = &after[..end];
            let valid = !inner.is_empty()
                && !inner.contains(char::is_whitespace)
                && !inner.contains(['^', '~']);
            valid.then_some((i, c, inner, i + 1 + end + 1))
        });
        match found {
            Some((start, c, inner, next)) => {
                push_text(out, &rest[..start]);
                let content = vec![Inline::Text(inner.to_string())];
                out.push(if c == '^' {
                    Inline::Superscript(content)
                } else {
                    Inline::Subscript(content)
                });
                rest = &rest[next..];
            }
            None => {
                push_text(out, rest);
                return;
            }
        }
    }
}

/// Joins adjacent texts and drops empty ones.
fn merge_texts(v: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(v.len());
    for i in v {
        match i {
            Inline::Text(t) => push_text(&mut out, &t),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod trim_tests {
    use super::trim_inlines;
    use crate::model::Inline;

    #[test]
    fn trimming_goes_on_while_the_end_changes() {
        // Found by tests/import_props.rs: `A <br>&nbsp;` kept "A " once the
        // blank text and the break had gone, and read back as "A".
        let mut v = vec![
            Inline::Text(" A ".into()),
            Inline::LineBreak,
            Inline::Text("\u{a0}".into()),
            Inline::LineBreak,
        ];
        trim_inlines(&mut v);
        assert_eq!(v, vec![Inline::Text("A".into())]);
        let mut v = vec![Inline::Code(" ".into()), Inline::Text(" ".into())];
        trim_inlines(&mut v);
        assert_eq!(v, vec![Inline::Code(" ".into())]);
    }
}

#[cfg(test)]
mod url_tests {
    use super::link_url;

    #[test]
    fn links_are_valid_urls_or_none() {
        let l = |s: &str| link_url(s);
        assert_eq!(
            l("https://example.org/a?b=1&c=<2>").as_deref(),
            Some("https://example.org/a?b=1&c=%3C2%3E")
        );
        assert_eq!(
            l("https://example.org").as_deref(),
            Some("https://example.org")
        );
        assert_eq!(
            l(" https://a.org/100%25 ").as_deref(),
            Some("https://a.org/100%25")
        );
        assert_eq!(
            l("https://a.org/50%").as_deref(),
            Some("https://a.org/50%25")
        );
        assert_eq!(
            l("https://[::1]:8080/x[1]|^").as_deref(),
            Some("https://[::1]:8080/x%5B1%5D%7C%5E")
        );
        assert_eq!(
            l("https://e.org/#a#b").as_deref(),
            Some("https://e.org/#a%23b")
        );
        assert_eq!(
            l("https://пример.рф/қазақ").as_deref(),
            Some("https://xn--e1afmkfd.xn--p1ai/%D2%9B%D0%B0%D0%B7%D0%B0%D2%9B")
        );
        // Forms the parser forgives are written out in full.
        assert_eq!(l("https:x.org").as_deref(), Some("https://x.org/"));
        assert_eq!(l("HTTPS:\\\\x.org\\a").as_deref(), Some("https://x.org/a"));
        assert_eq!(l("\u{1}https://x.org").as_deref(), Some("https://x.org/"));
        assert_eq!(l("HTTPS://X.org").as_deref(), Some("HTTPS://X.org"));
        assert_eq!(
            l("https://a_b.x.org.").as_deref(),
            Some("https://a_b.x.org.")
        );
        assert_eq!(l("http://1.2.3.4/").as_deref(), Some("http://1.2.3.4/"));
        assert_eq!(l("mailto:a@b.org").as_deref(), Some("mailto:a@b.org"));
        assert_eq!(l("tel:+7 700").as_deref(), Some("tel:+7%20700"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
            "images/x.png",
            "/abs",
            "https://",
            "mailto:",
            "https://\u{1a60}x",
            "https:E'-",
            "https://a..b/",
            "https://e'x.org/",
            "https://./",
        ] {
            assert_eq!(l(bad), None, "{bad}");
        }
    }
}
