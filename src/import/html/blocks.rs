//! Block-level reading: headings, paragraphs, lists, quotes, notes, bio
//! boxes and furniture, each turned into units in document order.

use super::Reader;
use super::classes::*;
use super::dom::*;
use super::inline::*;
use super::parse::{MAX_DEPTH, MAX_LIST_DEPTH};
use crate::import::textutil::{clean, is_unwanted};
use crate::import::unit::{Hint, Kind, Style, Unit};
use crate::model::{Block, Inline, ListItem, Span};
use ego_tree::NodeId;
use scraper::node::Node;
use std::collections::HashMap;

impl Reader<'_> {
    pub(super) fn line_of(&self, n: &N<'_>) -> u32 {
        super::parse::line_of(self.lines, n)
    }

    pub(super) fn span(&self, line: u32) -> Span {
        let start = self
            .line_starts
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(0);
        Span::new(self.file, start..start)
    }

    pub(super) fn push(&mut self, line: u32, kind: Kind, style: Style, hint: Option<Hint>) {
        let mut u = Unit::new(line, self.span(line), kind);
        u.style = style;
        u.hint = hint;
        self.units.push(u);
    }

    /// A piece of the page outside the article, as a unit the assembler
    /// drops (and reports) or keeps with --keep-all.
    pub(super) fn outside_unit(&mut self, n: N<'_>) {
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
        let reason = furniture_reason(&n);
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
    pub(super) fn find_notes(&mut self, root: N<'_>) {
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
    pub(super) fn block(&mut self, n: N<'_>, depth: usize) {
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
            && !self.holds_article(n)
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
                && crate::import::textutil::word_count(&crate::model::plain_text(&content)) <= 100
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
                self.notes_next = crate::import::junk::is_notes_heading(&text);
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
    pub(super) fn container(&mut self, n: N<'_>, depth: usize) {
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

    pub(super) fn flush_run(&mut self, run: &mut Vec<N<'_>>, parent: N<'_>, depth: usize) {
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

    pub(super) fn paragraph(&mut self, n: N<'_>, depth: usize, toks: &[String]) {
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
    pub(super) fn bio(&mut self, n: N<'_>, depth: usize) {
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

    pub(super) fn container_or_block(&mut self, n: N<'_>, depth: usize) {
        match tag(&n) {
            Some("p") => self.paragraph(n, depth, &[]),
            _ => self.container(n, depth),
        }
    }

    /// One endnote: its content without back-links.
    pub(super) fn note(&mut self, n: N<'_>) {
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
    pub(super) fn blocks_of(&mut self, n: N<'_>, depth: usize, drop_cite: bool) -> Vec<Block> {
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

    pub(super) fn list(&mut self, n: N<'_>, depth: usize, list_depth: usize) -> Option<Block> {
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

    /// Whether a class name may not make `n` furniture: it is an element
    /// Readability kept (or that holds one) and it holds much of the
    /// article, as a wrapper does (`l-sidebar-fixed`, `elementor-widget-…`
    /// around the text). A share box or newsletter prompt inside the
    /// article holds a line or two and is still furniture.
    pub(super) fn holds_article(&self, n: N<'_>) -> bool {
        if !self.trusted.contains(&n.id()) {
            return false;
        }
        let paragraphs = n
            .descendants()
            .filter(|d| matches!(tag(d), Some("p") | Some("li") | Some("blockquote")))
            .take(3)
            .count();
        paragraphs >= 3 || text_of(&n).len() * 2 >= self.article_len
    }
}
